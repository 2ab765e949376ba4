import { clusterReplication } from "./config";

/** Broker-wide retention before a topic sets its own (Kafka's default, 7 days). */
export const LOG_RETENTION_HOURS = 168;

/**
 * The cluster configuration's server.properties (only properties MSK lets a custom configuration set:
 * docs.aws.amazon.com/msk/latest/developerguide/msk-configuration-properties.html). Topics exist only
 * when declared (auto-creation off); replication fits the broker count, and so do the internal
 * offsets and transaction topics; a replica that fell behind never becomes leader.
 */
export function serverProperties(brokers: number): string {
    const { replicationFactor, minInsyncReplicas } = clusterReplication(brokers);
    const properties: [string, string | number | boolean][] = [
        ["auto.create.topics.enable", false],
        ["default.replication.factor", replicationFactor],
        ["min.insync.replicas", minInsyncReplicas],
        ["offsets.topic.replication.factor", replicationFactor],
        ["transaction.state.log.replication.factor", replicationFactor],
        ["transaction.state.log.min.isr", minInsyncReplicas],
        ["unclean.leader.election.enable", false],
        ["num.partitions", Math.max(3, brokers)],
        ["log.retention.hours", LOG_RETENTION_HOURS],
    ];
    return properties.map(([key, value]) => `${key}=${String(value)}`).join("\n") + "\n";
}

/** Parses server.properties text into key → value (for tests and the plan's readers). */
export function parseServerProperties(text: string): Record<string, string> {
    const entries = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length > 0 && !line.startsWith("#"))
        .map((line) => {
            const at = line.indexOf("=");
            return [line.slice(0, at), line.slice(at + 1)] as const;
        });
    return Object.fromEntries(entries);
}

/** MSK configuration names allow letters, digits and `-`: `${env}-streaming-3-9-x-kraft`. */
export function configurationName(clusterName: string, kafkaVersion: string): string {
    return `${clusterName}-${kafkaVersion.replace(/[^0-9A-Za-z-]/g, "-")}`;
}
