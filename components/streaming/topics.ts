import type { TopicConfig } from "./config";

/*
 * Topics are created through the MSK topic API (CreateTopic/UpdateTopic/DeleteTopic, MSK Provisioned,
 * Kafka 3.6.0 or later) that @pulumi/aws exposes as aws.msk.Topic (TYPE.mskTopic): declarative, diffed in
 * the plan, and run by the deployer against the AWS API, so nothing has to reach the brokers from inside the VPC.
 * (docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html)
 */

const HOUR_MS = 3_600_000;

/**
 * The topic-level settings a topic declares, as the JSON object aws.msk.Topic `configs` takes
 * (keys sorted so the plan does not churn); undefined when the topic keeps the broker defaults.
 */
export function topicConfigs(topic: Pick<TopicConfig, "cleanupPolicy" | "retentionHours">): string | undefined {
    const configs: Record<string, string> = {};
    if (topic.cleanupPolicy !== undefined) configs["cleanup.policy"] = topic.cleanupPolicy;
    if (topic.retentionHours !== undefined) configs["retention.ms"] = String(topic.retentionHours * HOUR_MS);
    return Object.keys(configs).length === 0 ? undefined : JSON.stringify(configs);
}

/**
 * ARN of a Kafka resource of a cluster, from the cluster ARN
 * `arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>`: `topic/<name>/<uuid>/<topic>`,
 * `group/<name>/<uuid>/<group>` (docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html#msk-iam-resources).
 */
export function kafkaResourceArn(clusterArn: string, kind: "topic" | "group", resource: string): string {
    const marker = ":cluster/";
    const at = clusterArn.indexOf(marker);
    if (at < 0 || !clusterArn.startsWith("arn:")) throw new Error(`not an MSK cluster ARN: ${clusterArn}`);
    return `${clusterArn.slice(0, at)}:${kind}/${clusterArn.slice(at + marker.length)}/${resource}`;
}

/** The cluster UUID, the last part of the cluster ARN (for IAM policies that name it). */
export function clusterUuidOf(clusterArn: string): string | undefined {
    const parts = clusterArn.split(":cluster/")[1]?.split("/") ?? [];
    return parts.length === 2 ? parts[1] : undefined;
}
