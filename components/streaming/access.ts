import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../shared/iam";
import { kafkaResourceArn } from "./topics";

/**
 * What a Kafka client may do on this tier's cluster with IAM authentication (port 9098). The actions
 * and the resources each one needs: docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html.
 */

export type KafkaAccess = "read" | "write" | "readWrite";

export interface KafkaClientGrant {
    /** Topics the client reads or writes: only these (names from `streaming.topics`). */
    readonly topics: readonly string[];
    /** What the client does with them. Default `readWrite`. */
    readonly access?: KafkaAccess;
    /** Consumer groups `<groupPrefix>*` the client may join and commit offsets in; required to read. */
    readonly groupPrefix?: string;
}

const GROUP_PREFIX = /^[A-Za-z0-9._-]+$/;

/**
 * Statements for a consumer's role: Connect and DescribeCluster on the cluster (plus
 * WriteDataIdempotently for writers: Kafka 3 producers are idempotent by default), DescribeTopic and
 * ReadData/WriteData on the granted topics' ARNs, DescribeGroup and AlterGroup on `<groupPrefix>*`.
 * Topic and group ARNs are derived from the cluster ARN, so nothing is granted on another cluster.
 */
export function kafkaClientStatements(sid: string, clusterArn: pulumi.Input<string>, grant: KafkaClientGrant): PolicyStatement[] {
    const access = grant.access ?? "readWrite";
    const reads = access !== "write";
    const writes = access !== "read";
    if (reads && (grant.groupPrefix === undefined || !GROUP_PREFIX.test(grant.groupPrefix))) {
        throw new Error(`${sid}: a reading client needs a consumer-group prefix of A-Z a-z 0-9 . _ - (got ${JSON.stringify(grant.groupPrefix)})`);
    }
    const arn = pulumi.output(clusterArn);
    const statements: PolicyStatement[] = [
        {
            Sid: `${sid}Cluster`,
            Effect: "Allow",
            Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", ...(writes ? ["kafka-cluster:WriteDataIdempotently"] : [])],
            Resource: arn,
        },
    ];
    if (grant.topics.length > 0) {
        statements.push({
            Sid: `${sid}Topics`,
            Effect: "Allow",
            Action: ["kafka-cluster:DescribeTopic", ...(reads ? ["kafka-cluster:ReadData"] : []), ...(writes ? ["kafka-cluster:WriteData"] : [])],
            Resource: grant.topics.map((topic) => arn.apply((cluster) => kafkaResourceArn(cluster, "topic", topic))),
        });
    }
    if (reads) {
        statements.push({
            Sid: `${sid}Groups`,
            Effect: "Allow",
            Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
            Resource: arn.apply((cluster) => kafkaResourceArn(cluster, "group", `${grant.groupPrefix}*`)),
        });
    }
    return statements;
}
