import { z } from "zod";
import { logRetentionDays } from "../shared/config-fields";
import type { NetworkConfig } from "../network/config";
import {
    BROKER_TYPE_NAMES,
    DEFAULT_KAFKA_VERSION,
    ENHANCED_MONITORING_LEVELS,
    KAFKA_VERSION_NAMES,
    MAX_CLIENT_SUBNETS,
    MAX_STORAGE_TARGET_PERCENT,
    MAX_VOLUME_GB,
    MIN_CLIENT_SUBNETS,
    MIN_STORAGE_TARGET_PERCENT,
    MIN_VOLUME_GB,
    brokerTypeSpec,
} from "./versions";

/**
 * Kafka's topic-name rules (Topic.validate in Apache Kafka): 1–249 characters of a-z A-Z 0-9 . _ -,
 * not `.` or `..`. Names starting with `__` are Kafka's and MSK's own (`__consumer_offsets`,
 * `__amazon_msk_canary`).
 */
export const TOPIC_NAME_MAX_LENGTH = 249;
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

const topicName = z
    .string()
    .min(1, "a topic name needs at least one character")
    .max(TOPIC_NAME_MAX_LENGTH, `Kafka topic names are at most ${TOPIC_NAME_MAX_LENGTH} characters`)
    .regex(TOPIC_NAME, "Kafka topic names use only a-z, A-Z, 0-9, '.', '_' and '-'")
    .refine((name) => name !== "." && name !== "..", { message: "'.' and '..' are not topic names Kafka accepts" })
    .refine((name) => !name.startsWith("__"), { message: "names starting with '__' are reserved for Kafka's and MSK's internal topics" });

export const CLEANUP_POLICIES = ["delete", "compact", "compact,delete"] as const;

const topicSchema = z.strictObject({
    name: topicName.describe("topic name (Kafka rules: 1–249 of a-z A-Z 0-9 . _ -)"),
    partitions: z
        .number()
        .int()
        .min(1)
        .describe("partitions; raising it adds partitions in place, lowering it is refused by Kafka (recreate the topic instead)"),
    replicationFactor: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe(
            "replicas per partition; default the cluster's default.replication.factor, min(3, brokers); must exceed min.insync.replicas and not exceed the broker count; changing it replaces the topic",
        ),
    cleanupPolicy: z
        .enum(CLEANUP_POLICIES)
        .optional()
        .describe("topic cleanup.policy: delete, compact or compact,delete; default the broker's (delete)"),
    retentionHours: z.number().int().min(1).optional().describe("topic retention.ms, in hours; default the broker's log.retention.hours (168)"),
});

export type TopicConfig = z.infer<typeof topicSchema>;

const oneOf = (what: string, values: readonly string[]) => ({ error: `${what} must be one of ${values.join(", ")}` });

/** `data-platform:streaming`: the MSK cluster, its storage, monitoring and topics. */
export const streamingSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(false)
            .describe(
                "build the MSK cluster (default false), brokers in the private subnets of the first two or three AZs (MSK takes at most three)",
            ),
        kafkaVersion: z
            .enum(KAFKA_VERSION_NAMES, oneOf("an MSK Kafka version", KAFKA_VERSION_NAMES))
            .default(DEFAULT_KAFKA_VERSION)
            .describe(
                `Kafka version (components/streaming/versions.ts; default ${DEFAULT_KAFKA_VERSION}); .kraft versions are KRaft clusters, and the metadata mode cannot change after creation`,
            ),
        brokerType: z
            .enum(BROKER_TYPE_NAMES, oneOf("an MSK Standard broker type", BROKER_TYPE_NAMES))
            .default("kafka.m7g.large")
            .describe("broker instance type (MSK Standard brokers; default kafka.m7g.large)"),
        brokersPerAz: z
            .number()
            .int()
            .min(1)
            .default(1)
            .describe("brokers per AZ (default 1): the broker count is this times the AZ count, the multiple MSK requires"),
        volumeSizeGb: z
            .number()
            .int()
            .min(MIN_VOLUME_GB)
            .max(MAX_VOLUME_GB)
            .default(100)
            .describe(`initial EBS storage per broker, GiB (${MIN_VOLUME_GB}–${MAX_VOLUME_GB}; default 100); storage autoscaling owns it afterwards`),
        maxVolumeSizeGb: z
            .number()
            .int()
            .min(MIN_VOLUME_GB)
            .max(MAX_VOLUME_GB)
            .default(1000)
            .describe(`storage autoscaling ceiling per broker, GiB (at least volumeSizeGb, at most ${MAX_VOLUME_GB}; default 1000)`),
        storageTargetPercent: z
            .number()
            .int()
            .min(MIN_STORAGE_TARGET_PERCENT)
            .max(MAX_STORAGE_TARGET_PERCENT)
            .default(60)
            .describe(
                `disk utilization at which storage autoscaling grows the volumes, percent (${MIN_STORAGE_TARGET_PERCENT}–${MAX_STORAGE_TARGET_PERCENT}; default 60)`,
            ),
        enhancedMonitoring: z
            .enum(ENHANCED_MONITORING_LEVELS, oneOf("enhancedMonitoring", ENHANCED_MONITORING_LEVELS))
            .default("PER_TOPIC_PER_BROKER")
            .describe(
                "CloudWatch monitoring level (default PER_TOPIC_PER_BROKER, the lowest Security Hub MSK.2 accepts; levels above DEFAULT are billed)",
            ),
        logRetentionDays: logRetentionDays.default(30).describe("broker log group retention (a CloudWatch-allowed value; default 30)"),
        topics: z.array(topicSchema).default([]).describe("topics created on the cluster (aws.msk.Topic through the MSK topic API); default none"),
    })
    .superRefine(checkStreaming);

export type StreamingConfig = z.infer<typeof streamingSchema>;

/** The ceiling cannot be below the initial size; topic names must be distinct, also in Kafka's metric names. */
function checkStreaming(streaming: Pick<StreamingConfig, "volumeSizeGb" | "maxVolumeSizeGb" | "topics">, ctx: z.RefinementCtx): void {
    if (streaming.maxVolumeSizeGb < streaming.volumeSizeGb) {
        ctx.addIssue({
            code: "custom",
            path: ["maxVolumeSizeGb"],
            message: `the autoscaling ceiling must be at least volumeSizeGb (${streaming.volumeSizeGb} GiB)`,
        });
    }
    const seen = new Map<string, string>();
    streaming.topics.forEach((topic, index) => {
        // Kafka maps '.' to '_' in metric names, so `a.b` and `a_b` would collide there.
        const metricName = topic.name.replace(/\./g, "_");
        const clash = seen.get(metricName);
        if (clash !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["topics", index, "name"],
                message: clash === topic.name ? "listed twice" : `collides with topic ${clash} (Kafka treats '.' and '_' alike in metric names)`,
            });
        } else seen.set(metricName, topic.name);
    });
}

/** How many AZs the brokers use: the network's, at most three (MSK takes two or three client subnets). */
export function streamingAzCount(network: Pick<NetworkConfig, "availabilityZones">): number {
    return Math.min(network.availabilityZones.length, MAX_CLIENT_SUBNETS);
}

/** Broker count: brokers per AZ times the AZs, so always a multiple of the AZ count as MSK requires. */
export function brokerCount(streaming: Pick<StreamingConfig, "brokersPerAz">, azCount: number): number {
    return streaming.brokersPerAz * azCount;
}

export interface ClusterReplication {
    /** `default.replication.factor`: min(3, brokers). */
    readonly replicationFactor: number;
    /** `min.insync.replicas`: one below the replication factor, so one broker down (a rolling patch) never stops acks=all producers. */
    readonly minInsyncReplicas: number;
}

export function clusterReplication(brokers: number): ClusterReplication {
    const replicationFactor = Math.max(1, Math.min(3, brokers));
    return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) };
}

/** A topic's replication factor: its own, or the cluster default. */
export function topicReplicationFactor(topic: Pick<TopicConfig, "replicationFactor">, brokers: number): number {
    return topic.replicationFactor ?? clusterReplication(brokers).replicationFactor;
}

type Problem = { path: (string | number)[]; message: string };

/**
 * Cross-section checks (paths from the stack-config root): MSK needs private subnets in at least two
 * AZs; topic replication must fit the broker count and exceed min.insync.replicas; the partition
 * replicas per broker must stay within what the broker type supports; and, given the encryption
 * section, the at-rest key must be a customer-managed one.
 */
export function streamingProblems(
    network: Pick<NetworkConfig, "availabilityZones">,
    streaming: StreamingConfig,
    encryption?: { readonly kms: boolean },
): Problem[] {
    if (!streaming.enabled) return [];
    const azs = streamingAzCount(network);
    if (azs < MIN_CLIENT_SUBNETS) {
        return [
            {
                path: ["streaming", "enabled"],
                message: `MSK needs private subnets in ${MIN_CLIENT_SUBNETS} or ${MAX_CLIENT_SUBNETS} distinct AZs; network.availabilityZones has ${azs} (${network.availabilityZones.join(", ")}): add an AZ, or set streaming.enabled: false`,
            },
        ];
    }
    const brokers = brokerCount(streaming, azs);
    // No broker at all is the section's own error (brokersPerAz >= 1); nothing else can be judged against it.
    if (brokers < 1) return keyProblems(encryption);
    return [...topicReplicationProblems(streaming, brokers, azs), ...partitionBudgetProblems(streaming, brokers), ...keyProblems(encryption)];
}

function topicReplicationProblems(streaming: StreamingConfig, brokers: number, azs: number): Problem[] {
    const { minInsyncReplicas } = clusterReplication(brokers);
    const problems: Problem[] = [];
    streaming.topics.forEach((topic, index) => {
        if (topic.replicationFactor === undefined) return;
        const path = ["streaming", "topics", index, "replicationFactor"];
        if (topic.replicationFactor > brokers) {
            problems.push({
                path,
                message: `${topic.replicationFactor} replicas need as many brokers; the cluster has ${brokers} (brokersPerAz ${streaming.brokersPerAz} × ${azs} AZs)`,
            });
        } else if (topic.replicationFactor <= minInsyncReplicas) {
            problems.push({
                path,
                message: `must exceed the cluster's min.insync.replicas (${minInsyncReplicas}): otherwise acks=all producers stop whenever one broker restarts (MSK patches brokers one at a time); allowed ${minInsyncReplicas + 1}–${brokers}`,
            });
        }
    });
    return problems;
}

function partitionBudgetProblems(streaming: StreamingConfig, brokers: number): Problem[] {
    const spec = brokerTypeSpec(streaming.brokerType);
    if (!spec) return [];
    const replicas = streaming.topics.reduce((sum, topic) => sum + topic.partitions * topicReplicationFactor(topic, brokers), 0);
    const perBroker = Math.ceil(replicas / brokers);
    if (perBroker <= spec.maxPartitions) return [];
    return [
        {
            path: ["streaming", "topics"],
            message: `${replicas} partition replicas over ${brokers} brokers is ${perBroker} per broker; ${spec.type} supports at most ${spec.maxPartitions} (AWS recommends ${spec.recommendedPartitions}): fewer partitions, more brokers or a larger brokerType`,
        },
    ];
}

function keyProblems(encryption: { readonly kms: boolean } | undefined): Problem[] {
    if (encryption === undefined || encryption.kms) return [];
    return [
        {
            path: ["encryption", "kms"],
            message:
                "streaming encrypts broker storage with the customer-managed streaming key (the pack's msk-encryption rule requires one): set encryption.kms: true",
        },
    ];
}
