import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { configurationName, serverProperties } from "./broker-config";
import { ClusterReplication, StreamingConfig, TopicConfig, brokerCount, clusterReplication, topicReplicationFactor } from "./config";
import { topicConfigs } from "./topics";
import { MAX_CLIENT_SUBNETS, MIN_CLIENT_SUBNETS } from "./versions";

export { kafkaClientStatements } from "./access";
export type { KafkaAccess, KafkaClientGrant } from "./access";

/** Physical name purpose of the cluster: `${env}-streaming`. */
export const CLUSTER_PURPOSE = "streaming";

/** MSK's Application Auto Scaling dimension for broker storage (docs.aws.amazon.com/msk/latest/developerguide/msk-autoexpand.html). */
export const STORAGE_SCALING = {
    serviceNamespace: "kafka",
    scalableDimension: "kafka:broker-storage:VolumeSize",
    predefinedMetricType: "KafkaBrokerStorageUtilization",
} as const;

/** The cluster's input autoscaling grows; Pulumi must not try to shrink it back (MSK never shrinks storage). */
export const VOLUME_SIZE_PATH = "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize";

/**
 * Broker log group. The `/aws/vendedlogs/` prefix lets CloudWatch Logs cover MSK's log delivery with
 * one resource policy for the prefix instead of one entry per group (its size is limited).
 */
export function brokerLogGroupName(naming: Naming): string {
    return `/aws/vendedlogs/msk/${naming.name(CLUSTER_PURPOSE)}`;
}

export interface StreamingArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:streaming` section. */
    readonly config: StreamingConfig;
    /** Protect the cluster and its topics (protect + retainOnDelete; prod). */
    readonly protect: boolean;
    /**
     * Client subnets: private subnets in two or three distinct AZs, one per AZ (`streamingAzCount` of
     * the network). The brokers are spread evenly over them: brokersPerAz in each.
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** The firewall's `streaming` group: 9098 from the app and Kubernetes groups (and 11001/11002 from monitoring with open monitoring). */
    readonly securityGroupId: pulumi.Input<string>;
    /** Turn on the Prometheus JMX (11001) and node (11002) exporters in the brokers, where the stack runs Prometheus. */
    readonly openMonitoring: boolean;
    /**
     * Customer-managed keys: `streaming` encrypts broker storage (AWS-managed `aws/kafka` without it),
     * `logs` the broker log group.
     */
    readonly keys?: Partial<KeyArns>;
}

/**
 * Amazon MSK (Provisioned, Standard brokers): a cluster configuration; the cluster with TLS-only
 * traffic, IAM client authentication and nothing unauthenticated or public, storage encrypted with
 * the streaming key, broker logs to CloudWatch, enhanced and (optionally) open monitoring; broker
 * storage autoscaling; and the configured topics.
 */
export class Streaming extends TierComponent {
    readonly configuration: aws.msk.Configuration;
    readonly cluster: aws.msk.Cluster;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly storageTarget: aws.appautoscaling.Target;
    readonly storagePolicy: aws.appautoscaling.Policy;
    /** Topic resources by topic name. */
    readonly topics: Readonly<Record<string, aws.msk.Topic>>;
    /** Brokers in the cluster: brokersPerAz × the client subnets. */
    readonly brokerCount: number;
    /** The cluster's default.replication.factor and min.insync.replicas. */
    readonly replication: ClusterReplication;
    /** Bootstrap brokers for IAM authentication (`host:9098,...`, TLS). */
    readonly bootstrapBrokersIam: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    /** The UUID in the cluster ARN, for IAM policies that name topics and groups. */
    readonly clusterUuid: pulumi.Output<string>;
    /** Names of the created topics (resolves once they exist). */
    readonly topicNames: pulumi.Output<string[]>;

    constructor(name: string, args: StreamingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("streaming", "Streaming"), name, opts);
        const { naming, config } = args;
        const azs = args.subnetIds.length;
        if (azs < MIN_CLIENT_SUBNETS || azs > MAX_CLIENT_SUBNETS) {
            throw new Error(`${name}: MSK takes ${MIN_CLIENT_SUBNETS} or ${MAX_CLIENT_SUBNETS} client subnets in distinct AZs, got ${azs}`);
        }
        this.brokerCount = brokerCount(config, azs);
        this.replication = clusterReplication(this.brokerCount);
        const stateful = this.child({ protect: args.protect, retainOnDelete: args.protect });
        const clusterName = naming.name(CLUSTER_PURPOSE);

        // The version is in the name: a new version replaces the configuration (kafkaVersions), and the
        // replacement is created before the old one is deleted, so the two must not share a name.
        this.configuration = new aws.msk.Configuration(
            `${name}-config`,
            {
                name: configurationName(clusterName, config.kafkaVersion),
                description: `${clusterName}: topics only as declared, replication for ${this.brokerCount} brokers`,
                kafkaVersions: [config.kafkaVersion],
                serverProperties: serverProperties(this.brokerCount),
            },
            this.child(),
        );

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-broker-logs`,
            {
                name: brokerLogGroupName(naming),
                retentionInDays: config.logRetentionDays,
                kmsKeyId: args.keys?.logs,
                tags: naming.tags("streaming", "streaming-broker-logs"),
            },
            this.child(),
        );

        this.cluster = new aws.msk.Cluster(
            `${name}-cluster`,
            {
                clusterName,
                kafkaVersion: config.kafkaVersion,
                numberOfBrokerNodes: this.brokerCount,
                brokerNodeGroupInfo: {
                    instanceType: config.brokerType,
                    clientSubnets: args.subnetIds,
                    securityGroups: [args.securityGroupId],
                    storageInfo: { ebsStorageInfo: { volumeSize: config.volumeSizeGb } },
                    connectivityInfo: { publicAccess: { type: "DISABLED" } },
                },
                encryptionInfo: {
                    encryptionAtRestKmsKeyArn: args.keys?.streaming,
                    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
                },
                // IAM only: SCRAM would need secrets per client, mTLS a private CA; neither is needed here.
                clientAuthentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
                configurationInfo: { arn: this.configuration.arn, revision: this.configuration.latestRevision },
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name } } },
                enhancedMonitoring: config.enhancedMonitoring,
                openMonitoring: {
                    prometheus: {
                        jmxExporter: { enabledInBroker: args.openMonitoring },
                        nodeExporter: { enabledInBroker: args.openMonitoring },
                    },
                },
                tags: naming.tags("streaming", CLUSTER_PURPOSE),
            },
            { ...stateful, ignoreChanges: [VOLUME_SIZE_PATH] },
        );
        this.clusterArn = this.cluster.arn;
        this.clusterName = this.cluster.clusterName;
        this.clusterUuid = this.cluster.clusterUuid;
        this.bootstrapBrokersIam = this.cluster.bootstrapBrokersSaslIam;

        this.storageTarget = new aws.appautoscaling.Target(
            `${name}-storage-target`,
            {
                serviceNamespace: STORAGE_SCALING.serviceNamespace,
                scalableDimension: STORAGE_SCALING.scalableDimension,
                resourceId: this.cluster.arn,
                // MSK never scales storage in; the floor is whatever the brokers have.
                minCapacity: 1,
                maxCapacity: config.maxVolumeSizeGb,
                tags: naming.tags("streaming", "streaming-storage"),
            },
            this.child(),
        );
        this.storagePolicy = new aws.appautoscaling.Policy(
            `${name}-storage-policy`,
            {
                name: naming.name("streaming-storage"),
                policyType: "TargetTrackingScaling",
                serviceNamespace: this.storageTarget.serviceNamespace,
                scalableDimension: this.storageTarget.scalableDimension,
                resourceId: this.storageTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: STORAGE_SCALING.predefinedMetricType },
                    targetValue: config.storageTargetPercent,
                    disableScaleIn: true,
                },
            },
            this.child(),
        );

        const topics: Record<string, aws.msk.Topic> = {};
        for (const topic of config.topics) topics[topic.name] = this.topic(name, topic, stateful);
        this.topics = topics;
        this.topicNames = pulumi.all(Object.values(topics).map((topic) => topic.name));

        this.registerOutputs({
            bootstrapBrokersIam: this.bootstrapBrokersIam,
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            clusterUuid: this.clusterUuid,
            topicNames: this.topicNames,
        });
    }

    /**
     * One topic through the MSK topic API. Partitions grow in place; a new replication factor replaces
     * the topic, which `protect` refuses in prod (the data would go with it).
     */
    private topic(name: string, topic: TopicConfig, stateful: pulumi.CustomResourceOptions): aws.msk.Topic {
        return new aws.msk.Topic(
            `${name}-topic-${topic.name}`,
            {
                clusterArn: this.cluster.arn,
                name: topic.name,
                partitionCount: topic.partitions,
                replicationFactor: topicReplicationFactor(topic, this.brokerCount),
                configs: topicConfigs(topic),
            },
            stateful,
        );
    }
}
