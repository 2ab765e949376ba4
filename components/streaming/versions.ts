/**
 * The ONE table of what the streaming tier may ask MSK for: Kafka versions, broker types and their
 * limits. Config refuses anything else with a message naming the allowed values.
 */

export type MetadataMode = "zookeeper" | "kraft";

export interface KafkaVersionSpec {
    /** The string the MSK API takes (`kafkaVersion`, the configuration's `kafkaVersions`). */
    readonly version: string;
    /** `.kraft` versions create a KRaft cluster; the mode is fixed when the cluster is created. */
    readonly metadata: MetadataMode;
}

/**
 * MSK Provisioned versions, Standard brokers, without a published end-of-support date: MSK phases
 * out creating clusters on versions that have one (3.6.0 has 2026-06-01), and the MSK topic API
 * (aws.msk.Topic) needs 3.6.0 or later, which every entry is. 3.9.x is the last version with both
 * metadata modes; 4.x is KRaft only. (4.2.x is Express-only, so it is not here.)
 * Sources: docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html,
 * .../version-support.html, .../metadata-management.html#kraft-intro (`3.7.x.kraft` selects KRaft),
 * .../doc-history.html (4.1.x added 2025-10-15), aws-cdk msk-alpha KafkaVersion (the `.kraft` strings),
 * .../msk-topic-operations-information.html (topic API requirements).
 */
export const KAFKA_VERSIONS: readonly KafkaVersionSpec[] = [
    { version: "3.7.x", metadata: "zookeeper" },
    { version: "3.7.x.kraft", metadata: "kraft" },
    { version: "3.8.x", metadata: "zookeeper" },
    { version: "3.8.x.kraft", metadata: "kraft" },
    { version: "3.9.x", metadata: "zookeeper" },
    { version: "3.9.x.kraft", metadata: "kraft" },
    { version: "4.0.x.kraft", metadata: "kraft" },
    { version: "4.1.x.kraft", metadata: "kraft" },
];

export const KAFKA_VERSION_NAMES = KAFKA_VERSIONS.map((spec) => spec.version) as [string, ...string[]];

/** New clusters default to KRaft on the newest version that still offers both modes. */
export const DEFAULT_KAFKA_VERSION = "3.9.x.kraft";

export interface BrokerTypeSpec {
    readonly type: string;
    /** Partition replicas (leaders and followers) per broker AWS recommends. */
    readonly recommendedPartitions: number;
    /** Partition replicas per broker above which MSK refuses update operations (version upgrades, resizing). */
    readonly maxPartitions: number;
}

function sizes(family: string, limits: Readonly<Record<string, [number, number]>>): BrokerTypeSpec[] {
    return Object.entries(limits).map(([size, [recommendedPartitions, maxPartitions]]) => ({
        type: `kafka.${family}.${size}`,
        recommendedPartitions,
        maxPartitions,
    }));
}

const LARGE_SIZES: Readonly<Record<string, [number, number]>> = {
    "4xlarge": [4000, 6000],
    "8xlarge": [4000, 6000],
    "12xlarge": [4000, 6000],
    "16xlarge": [4000, 6000],
};

/**
 * Standard broker sizes (Express brokers have no EBS storage to size or scale, so they are not here).
 * Sources: docs.aws.amazon.com/msk/latest/developerguide/broker-instance-sizes.html (the sizes) and
 * .../bestpractices.html#partitions-per-broker (recommended and maximum partitions per broker).
 * Some sizes are not offered in every region (aws.amazon.com/msk/pricing).
 */
export const BROKER_TYPES: readonly BrokerTypeSpec[] = [
    ...sizes("t3", { small: [300, 300] }),
    ...sizes("m5", { large: [1000, 1500], xlarge: [1000, 1500], "2xlarge": [2000, 3000], ...LARGE_SIZES, "24xlarge": [4000, 6000] }),
    ...sizes("m7g", { large: [1000, 1500], xlarge: [1000, 1500], "2xlarge": [2000, 3000], ...LARGE_SIZES }),
];

export const BROKER_TYPE_NAMES = BROKER_TYPES.map((spec) => spec.type) as [string, ...string[]];

export function brokerTypeSpec(type: string): BrokerTypeSpec | undefined {
    return BROKER_TYPES.find((spec) => spec.type === type);
}

/** EBS data volume per broker, GiB (aws.msk.Cluster ebsStorageInfo.volumeSize; autoscaling up to 16 TiB). */
export const MIN_VOLUME_GB = 1;
export const MAX_VOLUME_GB = 16384;

/**
 * MSK takes two or three client subnets in distinct AZs (exactly two in us-west-1, which has two)
 * and spreads the brokers evenly over them: docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
 * aws-properties-msk-cluster-brokernodegroupinfo.html (ClientSubnets).
 */
export const MIN_CLIENT_SUBNETS = 2;
export const MAX_CLIENT_SUBNETS = 3;

/**
 * CloudWatch monitoring levels, cheapest first. Security Hub MSK.2 passes from PER_TOPIC_PER_BROKER up
 * (docs.aws.amazon.com/securityhub/latest/userguide/msk-controls.html#msk-2).
 */
export const ENHANCED_MONITORING_LEVELS = ["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"] as const;
export type EnhancedMonitoringLevel = (typeof ENHANCED_MONITORING_LEVELS)[number];

/** Storage utilization targets MSK accepts for storage autoscaling, percent (it recommends 50–60). */
export const MIN_STORAGE_TARGET_PERCENT = 10;
export const MAX_STORAGE_TARGET_PERCENT = 80;
