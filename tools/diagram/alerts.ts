import { DeploymentResource, logicalName } from "../deployment";
import { boolInput, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { Builder, nodeId } from "./builder";
import { Links, known, valuesAt } from "./links";
import { nameOf } from "./workloads";

/**
 * The alarm flow and the audit trail: CloudWatch alarms (one node per set of actions, counting the alarms
 * and naming their metrics) → SNS topics → subscribers (outside nodes); budgets → their email and topic
 * subscribers; CloudTrail → the bucket (and log group) it delivers to.
 */

const TOPIC = [TYPE.snsTopic];
const BUCKETS = [TYPE.s3Bucket, TYPE.s3BucketV2];

/** An alert recipient outside the cloud: one node per protocol and address (shared by topics and budgets). */
function subscriber(builder: Builder, protocol: string, endpoint: unknown): string {
    const address = known(endpoint);
    const id = nodeId("subscriber", `${protocol}_${address ?? "secret"}`);
    return builder.outsideNode(id, [address ? `${protocol} ${address}` : `${protocol} (address not shown: secret or unknown)`], "circle");
}

function buildTopics(builder: Builder, links: Links): void {
    const { index } = links;
    for (const topic of index.ofType(TYPE.snsTopic)) {
        const encrypted = topic.inputs.kmsMasterKeyId !== undefined;
        builder.draw(topic, "topic", [`SNS topic ${nameOf(topic)}`, encrypted ? "KMS encrypted" : "not encrypted"], "round");
    }
    for (const subscription of index.ofType(TYPE.snsTopicSubscription)) {
        const topics = links.refs(subscription, "topic", TOPIC);
        if (topics.length === 0) continue;
        builder.fold(subscription);
        const protocol = stringInput(subscription, "protocol") ?? "?";
        const to = subscriber(builder, protocol, subscription.inputs.endpoint);
        for (const topic of topics) builder.edge(builder.idOf(topic)!, to, protocol, "notify");
    }
}

/** `AWS/RDS` → `RDS`. */
function namespaceLabel(namespace: string | undefined): string {
    return (namespace ?? "?").replace(/^AWS\//, "");
}

/** Metric names an alarm watches, by namespace (metric-math alarms: their queries' metrics). */
function alarmMetrics(alarm: DeploymentResource): [string, string][] {
    const direct = stringInput(alarm, "metricName");
    if (direct) return [[namespaceLabel(stringInput(alarm, "namespace")), direct]];
    const queried = (valuesAt(alarm.inputs, "metricQueries.metric") as Record<string, unknown>[]).map((metric): [string, string] => [
        namespaceLabel(known(metric?.namespace)),
        known(metric?.metricName) ?? "?",
    ]);
    return queried.length > 0 ? queried : [["?", "expression"]];
}

function buildAlarms(builder: Builder, links: Links): void {
    const groups = new Map<string, { alarms: DeploymentResource[]; topics: DeploymentResource[]; tier: string }>();
    for (const alarm of links.index.ofType(TYPE.cloudwatchMetricAlarm)) {
        const topics = ["alarmActions", "okActions", "insufficientDataActions"]
            .flatMap((path) => links.refs(alarm, path, TOPIC))
            .filter((t, i, all) => all.indexOf(t) === i)
            .sort((a, b) => a.urn.localeCompare(b.urn));
        const tier = links.index.tierOf(alarm);
        const key = `${tier}|${topics.map((t) => t.urn).join(",")}`;
        const group = groups.get(key) ?? { alarms: [], topics, tier };
        group.alarms.push(alarm);
        groups.set(key, group);
    }
    for (const { alarms, topics, tier } of groups.values()) {
        const byNamespace = new Map<string, Set<string>>();
        for (const [namespace, metric] of alarms.flatMap(alarmMetrics))
            byNamespace.set(namespace, new Set([...(byNamespace.get(namespace) ?? []), metric]));
        const lines = [
            `${alarms.length} alarm${alarms.length > 1 ? "s" : ""}${topics.length === 0 ? " (no actions)" : ""}`,
            ...[...byNamespace.entries()]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([namespace, metrics]) => `${namespace}: ${[...metrics].sort().join(", ")}`),
        ];
        const id = nodeId("alarms", `${tier}_${topics.map((t) => logicalName(t.urn)).join("_") || "none"}`);
        builder.drawMany(alarms, id, lines);
        for (const topic of topics) {
            const actions = ["alarmActions", "okActions"].filter((path) => alarms.some((a) => links.refs(a, path, TOPIC).includes(topic)));
            builder.edge(id, builder.idOf(topic)!, actions.map((a) => a.replace("Actions", "")).join(", ") || "insufficient data", "notify");
        }
    }
}

/** `80% actual`, `100% forecasted`. */
function notificationLabel(notification: Record<string, unknown>): string {
    const threshold = notification.threshold;
    const unit = known(notification.thresholdType) === "ABSOLUTE_VALUE" ? "" : "%";
    return `${String(threshold ?? "?")}${unit} ${(known(notification.notificationType) ?? "?").toLowerCase()}`;
}

function buildBudgets(builder: Builder, links: Links): void {
    for (const budget of links.index.ofType(TYPE.budgetsBudget)) {
        const notifications = valuesAt(budget.inputs, "notifications") as Record<string, unknown>[];
        const amount = stringInput(budget, "limitAmount") ?? String(numberInput(budget, "limitAmount", NaN));
        const id = builder.draw(budget, "budget", [
            `Budget ${nameOf(budget)}`,
            `${amount} ${stringInput(budget, "limitUnit") ?? ""} ${(stringInput(budget, "timeUnit") ?? "").toLowerCase()} ${(stringInput(budget, "budgetType") ?? "").toLowerCase()}`
                .replace(/\s+/g, " ")
                .trim(),
            ...(notifications.length > 0 ? [`alerts at ${notifications.map(notificationLabel).join(", ")}`] : []),
        ]);
        for (const notification of notifications) {
            for (const email of valuesAt(notification, "subscriberEmailAddresses"))
                builder.edge(id, subscriber(builder, "email", email), "email", "notify");
        }
        for (const topic of links.refs(budget, "notifications.subscriberSnsTopicArns", TOPIC))
            builder.edge(id, builder.idOf(topic)!, "alert", "notify");
    }
}

function buildTrails(builder: Builder, links: Links): void {
    for (const trail of links.index.ofType(TYPE.cloudtrailTrail)) {
        const flags = [
            boolInput(trail, "isMultiRegionTrail") === true ? "multi-region" : "single region",
            ...(boolInput(trail, "enableLogFileValidation") === true ? ["log file validation"] : []),
            ...(trail.inputs.kmsKeyId !== undefined ? ["KMS"] : []),
        ];
        const logGroup = links.ref(trail, "cloudWatchLogsGroupArn", [TYPE.cloudwatchLogGroup]);
        const id = builder.draw(trail, "trail", [
            `CloudTrail ${nameOf(trail)}`,
            flags.join(" · "),
            ...(logGroup
                ? [`also to CloudWatch Logs ${nameOf(logGroup)}`]
                : trail.inputs.cloudWatchLogsGroupArn !== undefined
                  ? ["also to CloudWatch Logs"]
                  : []),
        ]);
        const prefix = stringInput(trail, "s3KeyPrefix");
        for (const bucket of links.refs(trail, "s3BucketName", BUCKETS)) {
            const bucketId = builder.idOf(bucket);
            if (bucketId) builder.edge(id, bucketId, prefix ? `${prefix.replace(/\/$/, "")}/` : "AWSLogs/", "data");
        }
    }
}

export function buildAlerts(builder: Builder, links: Links): void {
    buildTopics(builder, links);
    buildAlarms(builder, links);
    buildBudgets(builder, links);
    buildTrails(builder, links);
}
