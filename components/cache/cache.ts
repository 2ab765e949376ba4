import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { Naming, componentType } from "../shared/naming";
import { PORTS } from "../shared/ports";
import { TierComponent } from "../shared/tier";
import { CacheConfig } from "./config";
import { parameterGroupFamily } from "./versions";

export interface CacheArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:cache` section. */
    readonly config: CacheConfig;
    /** Protect the replication group (protect + retainOnDelete) and take a final snapshot when it is deleted (prod). */
    readonly protect: boolean;
    /** Subnets of the cache subnet group: the stack's database or private subnets, as `config.subnets` says. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The firewall's `cache` security group (6379 only from the app and Kubernetes groups). */
    readonly securityGroupId: pulumi.Input<string>;
    /** The AUTH token: the secrets tier's generated Redis password, a Pulumi secret (16–128 characters ElastiCache accepts). */
    readonly authToken: pulumi.Input<string>;
    /** Customer-managed keys: `cache` encrypts data at rest and snapshots, `logs` the log groups (AWS-managed keys without them). */
    readonly keys?: Partial<KeyArns>;
    /** Retention of the slow-log and engine-log groups (a CloudWatch-allowed value). */
    readonly logRetentionDays: number;
}

/** The logs ElastiCache delivers to CloudWatch, each to its own group. */
export const CACHE_LOG_TYPES = ["slow-log", "engine-log"] as const;
export type CacheLogType = (typeof CACHE_LOG_TYPES)[number];

/** `/aws/elasticache/${env}-cache/<log type>`. */
export function cacheLogGroupName(naming: Naming, logType: CacheLogType): string {
    return `/aws/elasticache/${naming.name("cache")}/${logType}`;
}

/**
 * The ElastiCache replication group (Redis OSS or Valkey, cluster mode disabled): a subnet group,
 * a parameter group of the engine's family, TLS required, AUTH with the given token, encryption at
 * rest with the cache key, automatic snapshots, slow and engine logs in CloudWatch; failover and
 * Multi-AZ per config.
 */
export class Cache extends TierComponent {
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    readonly logGroups: Readonly<Record<CacheLogType, aws.cloudwatch.LogGroup>>;
    /** Address of the primary endpoint (reads and writes). */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Address of the reader endpoint (spreads reads over the replicas). */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly replicationGroupArn: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("cache", "Cache"), name, opts);
        const { naming, config } = args;
        const family = parameterGroupFamily(config.engine, config.engineVersion);

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                name: naming.name("cache-subnets"),
                description: `Subnets of ${naming.name("cache")}`,
                subnetIds: args.subnetIds,
                tags: naming.tags("cache", "cache-subnets"),
            },
            this.child(),
        );
        // The family is part of the name, so a major upgrade creates the new group before the old one goes; the
        // description (a replace-on-change input) names only the family, so a minor upgrade keeps the group.
        const parameterGroup = new aws.elasticache.ParameterGroup(
            `${name}-parameters`,
            {
                name: naming.name(`cache-${family}`),
                family,
                description: `${naming.name("cache")} ${family} parameters`,
                parameters: [{ name: "maxmemory-policy", value: config.maxmemoryPolicy }],
                tags: naming.tags("cache", `cache-${family}`),
            },
            this.child(),
        );
        const logGroups = {} as Record<CacheLogType, aws.cloudwatch.LogGroup>;
        for (const logType of CACHE_LOG_TYPES) {
            logGroups[logType] = new aws.cloudwatch.LogGroup(
                `${name}-${logType}`,
                {
                    name: cacheLogGroupName(naming, logType),
                    retentionInDays: args.logRetentionDays,
                    kmsKeyId: args.keys?.logs,
                    tags: naming.tags("cache", `cache-${logType}`),
                },
                this.child(),
            );
        }
        this.logGroups = logGroups;

        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                replicationGroupId: naming.name("cache"),
                description: `${naming.environment} ${config.engine} cache`,
                engine: config.engine,
                engineVersion: config.engineVersion,
                nodeType: config.nodeType,
                numCacheClusters: config.nodes,
                port: PORTS.redis.from,
                parameterGroupName: parameterGroup.name,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [args.securityGroupId],
                automaticFailoverEnabled: config.automaticFailover,
                multiAzEnabled: config.multiAz,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: pulumi.secret(args.authToken),
                // A changed token is added next to the old one, so connected clients keep working until they reconnect.
                authTokenUpdateStrategy: "ROTATE",
                atRestEncryptionEnabled: true,
                kmsKeyId: args.keys?.cache,
                autoMinorVersionUpgrade: true,
                snapshotRetentionLimit: config.snapshotRetentionDays,
                snapshotWindow: config.snapshotWindow,
                maintenanceWindow: config.maintenanceWindow,
                // ElastiCache requires apply-immediately for log-delivery changes (Log_Delivery.html) and rotates AUTH tokens
                // with it; a deploy that left other changes pending would leave Pulumi's state out of step with the cache.
                applyImmediately: true,
                logDeliveryConfigurations: CACHE_LOG_TYPES.map((logType) => ({
                    destination: logGroups[logType].name,
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType,
                })),
                // Only a protected stack keeps a final snapshot: its name would clash when an unprotected stack is re-created.
                finalSnapshotIdentifier: args.protect ? naming.name("cache-final") : undefined,
                tags: naming.tags("cache", "cache"),
            },
            this.child({ protect: args.protect, retainOnDelete: args.protect }),
        );

        this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
        this.readerEndpoint = this.replicationGroup.readerEndpointAddress;
        this.port = this.replicationGroup.port.apply((port) => port ?? PORTS.redis.from);
        this.replicationGroupArn = this.replicationGroup.arn;
        this.replicationGroupId = this.replicationGroup.replicationGroupId;

        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            replicationGroupArn: this.replicationGroupArn,
            replicationGroupId: this.replicationGroupId,
        });
    }
}
