import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Audit, CLOUDTRAIL_PREFIX, cloudTrailDeliveryStatements, trailName } from "./audit/audit";
import { Cache } from "./cache/cache";
import { StackConfig } from "./config";
import { Ec2Capacity } from "./containers/capacity";
import { Containers, taskPlacement } from "./containers/containers";
import { DataLake, LogDelivery } from "./data-lake/data-lake";
import { Database, databaseConnectStatements } from "./database/database";
import { ALB_ACCESS_LOG_PREFIX, Edge, albLogDeliveryStatements } from "./edge/edge";
import { Encryption } from "./encryption/encryption";
import { KEY_PURPOSES, KeyPurpose } from "./encryption/keys";
import { Etl } from "./etl/etl";
import { Firewall } from "./firewall/firewall";
import { Identity } from "./identity/identity";
import { EksCluster } from "./kubernetes/eks";
import { KubernetesHost } from "./kubernetes/kubernetes";
import { MonitoringHost } from "./monitoring/monitoring";
import { Network } from "./network/network";
import { Registry } from "./registry/registry";
import { HostSchedule } from "./schedule/schedule";
import { Secrets, secretPurposesFor, secretValueStatements } from "./secrets/secrets";
import { AccountContext, PolicyStatement, keyUseVia } from "./shared/iam";
import type { KeyArns } from "./encryption/keys";
import { Naming, componentType } from "./shared/naming";
import { BucketRef } from "./shared/refs";
import { ENGINE_PORTS } from "./database/engine";
import { Streaming, kafkaClientStatements } from "./streaming/streaming";
import { streamingAzCount } from "./streaming/config";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: StackConfig;
}

/**
 * The whole platform: builds the tiers the stack enables, in dependency order, and nothing it does not
 * use. Each tier is a ComponentResource of its own; this class only wires them.
 */
export class Platform extends pulumi.ComponentResource {
    readonly naming: Naming;
    readonly network: Network;
    readonly firewall: Firewall;
    /** Customer-managed keys; undefined unless `encryption.kms`. */
    readonly encryption?: Encryption;
    /**
     * The lake's buckets, or only the access-log bucket (`dataLake.enabled: false` with an edge, a trail or the
     * monitoring host); undefined when nothing needs a bucket.
     */
    readonly dataLake?: DataLake;
    readonly secrets: Secrets;
    /** Undefined unless `registry.enabled`. */
    readonly registry?: Registry;
    /** Undefined unless `database.enabled`. */
    readonly database?: Database;
    /** Undefined unless `cache.enabled`. */
    readonly cache?: Cache;
    /** Undefined unless `streaming.enabled`. */
    readonly streaming?: Streaming;
    /** The Glue and ECS roles; undefined when the stack runs neither. */
    readonly identity?: Identity;
    /** Undefined unless `etl.enabled`. */
    readonly etl?: Etl;
    /** The ECS cluster (and the data tasks with `containers.dataTasks`); undefined unless `containers.enabled`. */
    readonly containers?: Containers;
    /** ECS on EC2 capacity; undefined unless `containers.ec2Capacity`. */
    readonly ec2Capacity?: Ec2Capacity;
    /** The EKS cluster; undefined unless `kubernetes: eks`. */
    readonly eks?: EksCluster;
    /** The ALB, certificate, DNS, WAF and the web service; undefined unless `edge.enabled`. */
    readonly edge?: Edge;
    /** CloudTrail, the budget and the alarms; undefined unless one of them is on. */
    readonly audit?: Audit;
    /** minikube + ArgoCD host; undefined unless `kubernetes: minikube`. */
    readonly kubernetes?: KubernetesHost;
    /** Monitoring host; undefined unless `monitoring: true`. */
    readonly monitoring?: MonitoringHost;
    /** Stops and starts the hosts outside `hosts.schedule`; undefined with `always` or without hosts. */
    readonly schedule?: HostSchedule;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("platform", "Platform"), name, {}, opts);
        const { config } = args;
        const naming = new Naming(config.environment);
        const { region, protect } = config;
        this.naming = naming;
        const parent = { parent: this };
        const ctx: AccountContext = {
            partition: aws.getPartitionOutput({}, parent).partition,
            account: aws.getCallerIdentityOutput({}, parent).accountId,
            region,
        };
        const eksMode = config.kubernetes === "eks";
        const dataTasks = config.containers.enabled && config.containers.dataTasks;
        const ec2CapacityConfig = config.containers.enabled ? config.containers.ec2Capacity : undefined;
        const alarmsOrTrail = config.audit.cloudTrail || config.audit.alarms;
        const podsBehindAlb = config.edge.enabled && config.edge.service.runtime === "eks";

        // Built before the network (not after the firewall) so the flow-log group can use the logs key.
        this.encryption = config.encryption.kms
            ? new Encryption(
                  `${name}-encryption`,
                  {
                      naming,
                      region,
                      protect,
                      purposes: keyPurposes(config),
                      autoscalingVolumes: [...(eksMode ? (["kubernetes"] as const) : []), ...(ec2CapacityConfig ? (["storage"] as const) : [])],
                  },
                  parent,
              )
            : undefined;
        const keys = this.encryption?.keyArns;

        this.network = new Network(`${name}-network`, { naming, config: config.network, region, keys, loadBalancerSubnetTags: eksMode }, parent);
        const subnets = { public: this.network.publicSubnetIds, private: this.network.privateSubnetIds, database: this.network.databaseSubnetIds };
        this.firewall = new Firewall(
            `${name}-firewall`,
            {
                naming,
                vpcId: this.network.vpcId,
                config: config.access,
                // Host groups only for the hosts this stack builds; no inbound unless hosts.publicAdminIngress.
                hosts: { kubernetes: config.kubernetes === "minikube", monitoring: config.monitoring },
                publicAdminIngress: config.hosts.publicAdminIngress,
                eksNodes: eksMode,
                webTargets: podsBehindAlb ? "kubernetes" : "app",
                stores: {
                    database: config.database.enabled ? ENGINE_PORTS[config.database.engine] : undefined,
                    cache: config.cache.enabled,
                    streaming: config.streaming.enabled ? { openMonitoring: config.monitoring } : undefined,
                },
            },
            parent,
        );
        const groups = this.firewall.groupIds;

        // The access-log bucket also takes the load balancer's and the trail's logs; their statements go into its policy.
        const logDeliveries: LogDelivery[] = [
            ...(config.edge.enabled ? [(bucket: BucketRef) => albLogDeliveryStatements(bucket, ALB_ACCESS_LOG_PREFIX, ctx)] : []),
            ...(config.audit.cloudTrail
                ? [(bucket: BucketRef) => cloudTrailDeliveryStatements(bucket, CLOUDTRAIL_PREFIX, trailName(naming), ctx)]
                : []),
        ];
        // The monitoring host reads the access-log bucket too (Logstash's S3 input).
        this.dataLake =
            config.dataLake.enabled || logDeliveries.length > 0 || config.monitoring
                ? new DataLake(
                      `${name}-data-lake`,
                      { naming, config: config.dataLake, protect, keys, lake: config.dataLake.enabled, logDeliveries },
                      parent,
                  )
                : undefined;
        const lakeBuckets = config.dataLake.enabled
            ? {
                  dataLake: this.dataLake!.bucketRef("dataLake"),
                  glueScripts: this.dataLake!.bucketRef("glueScripts"),
                  glueOutputs: this.dataLake!.bucketRef("glueOutputs"),
              }
            : undefined;

        // Only the secrets whose consumer this stack builds.
        const purposes = secretPurposesFor({
            database: config.database.enabled,
            cache: config.cache.enabled,
            monitoring: config.monitoring,
            argocd: config.kubernetes === "minikube",
            app: dataTasks,
        });
        this.secrets = new Secrets(`${name}-secrets`, { naming, config: config.secrets, protect, keys, purposes }, parent);
        this.registry = config.registry.enabled
            ? new Registry(
                  `${name}-registry`,
                  {
                      naming,
                      config: config.registry,
                      images: config.images,
                      protect,
                      keys,
                      optional: config.edge.enabled && !podsBehindAlb ? ["web"] : [],
                      taskImages: dataTasks,
                  },
                  parent,
              )
            : undefined;

        this.database = config.database.enabled
            ? new Database(
                  `${name}-database`,
                  {
                      naming,
                      config: config.database,
                      region,
                      protect,
                      subnetIds: subnets.database,
                      securityGroupId: groups.database!,
                      keys,
                      logRetentionDays: config.database.logRetentionDays,
                  },
                  parent,
              )
            : undefined;
        this.cache = config.cache.enabled
            ? new Cache(
                  `${name}-cache`,
                  {
                      naming,
                      config: config.cache,
                      protect,
                      subnetIds: config.cache.subnets === "database" ? subnets.database : subnets.private,
                      securityGroupId: groups.cache!,
                      authToken: this.secrets.passwords.redis!,
                      keys,
                      logRetentionDays: config.cache.logRetentionDays,
                  },
                  parent,
              )
            : undefined;
        this.streaming = config.streaming.enabled
            ? new Streaming(
                  `${name}-streaming`,
                  {
                      naming,
                      config: config.streaming,
                      protect,
                      subnetIds: subnets.private.slice(0, streamingAzCount(config.network)),
                      securityGroupId: groups.streaming!,
                      openMonitoring: config.monitoring,
                      keys,
                  },
                  parent,
              )
            : undefined;
        const dataStoreStatements = this.dataStoreStatements(
            ctx,
            naming,
            config.streaming.topics.map((topic) => topic.name),
            keys,
        );

        const executionSecretArns = dataTasks ? [this.secrets.secretArn("app")] : [];
        this.identity =
            config.etl.enabled || config.containers.enabled
                ? new Identity(
                      `${name}-identity`,
                      {
                          naming,
                          region,
                          buckets: lakeBuckets,
                          glue: config.etl.enabled,
                          repositoryArns: this.registry
                              ? [...Object.values(this.registry.repositoryArns), ...Object.values(this.registry.optionalRepositoryArns)]
                              : [],
                          // The tasks inject the app secret's fields; the program reads nothing else.
                          executionSecretArns,
                          taskSecretArns: executionSecretArns,
                          keys,
                          dataStoreStatements,
                      },
                      parent,
                  )
                : undefined;

        // After the Glue role's policies exist: Glue checks the role when crawlers and jobs are created.
        this.etl =
            config.etl.enabled && lakeBuckets && this.identity?.glueRole
                ? new Etl(
                      `${name}-etl`,
                      { naming, config: config.etl, glueRoleArn: this.identity.glueRole.arn, buckets: lakeBuckets, keys },
                      { parent: this, dependsOn: [this.identity] },
                  )
                : undefined;

        // After the roles' policies exist, so the first tasks can pull, log and read secrets.
        let ec2Capacity: Ec2Capacity | undefined;
        const identity = this.identity;
        this.containers =
            config.containers.enabled && identity
                ? new Containers(
                      `${name}-containers`,
                      {
                          naming,
                          config: config.containers,
                          region,
                          keys,
                          tasks:
                              dataTasks && this.registry && lakeBuckets
                                  ? {
                                        executionRoleArn: identity.taskExecutionRole.arn,
                                        taskRoleArn: identity.taskRole.arn,
                                        imageUris: this.registry.taskImageUris(),
                                        ...taskPlacement(config.containers.placement, subnets),
                                        appSecurityGroupId: groups.app,
                                        dataLakeBucket: lakeBuckets.dataLake,
                                        appSecretArn: this.secrets.secretArn("app"),
                                        catalog: config.etl.enabled,
                                    }
                                  : undefined,
                          extraCapacityProviders: ec2CapacityConfig
                              ? (clusterName) => {
                                    ec2Capacity = new Ec2Capacity(
                                        `${name}-ec2-capacity`,
                                        {
                                            naming,
                                            config: ec2CapacityConfig,
                                            clusterName,
                                            subnetIds: ec2CapacityConfig.placement === "public" ? subnets.public : subnets.private,
                                            securityGroupId: groups.app,
                                            keys,
                                            protect,
                                        },
                                        parent,
                                    );
                                    return [ec2Capacity.capacityProviderName];
                                }
                              : undefined,
                      },
                      { parent: this, dependsOn: [identity] },
                  )
                : undefined;
        this.ec2Capacity = ec2Capacity;

        this.edge =
            config.edge.enabled && this.dataLake && (podsBehindAlb || (this.containers && identity && this.registry))
                ? new Edge(
                      `${name}-edge`,
                      {
                          naming,
                          config: config.edge,
                          region,
                          protect,
                          vpcId: this.network.vpcId,
                          publicSubnetIds: subnets.public,
                          // config guarantees NAT or endpoints for private placement (edgeProblems)
                          webSecurityGroupId: groups.web,
                          ...(podsBehindAlb
                              ? {}
                              : {
                                    serviceSubnetIds: subnets.private,
                                    appSecurityGroupId: groups.app,
                                    clusterArn: this.containers!.cluster.arn,
                                    executionRoleArn: identity!.taskExecutionRole.arn,
                                    imageUri: this.registry!.optionalImageUris.web!,
                                }),
                          accessLogsBucket: this.dataLake.bucketRef("accessLogs"),
                          dataLakeBucket: lakeBuckets?.dataLake,
                          catalog: config.etl.enabled,
                          keys,
                          ec2CapacityProvider: this.ec2Capacity?.capacityProviderName,
                      },
                      // The log bucket's policy must allow ELB log delivery before the ALB turns access logs on.
                      { parent: this, dependsOn: [this.dataLake, ...(podsBehindAlb ? [] : [identity!, this.containers!])] },
                  )
                : undefined;

        // After the edge: with runtime eks the cluster's load balancer controller may register pods in its target group.
        this.eks = eksMode
            ? new EksCluster(
                  `${name}-eks`,
                  {
                      naming,
                      config: config.eks!,
                      region,
                      protect,
                      subnetIds: subnets.private,
                      nodeSecurityGroupId: groups.kubernetes!,
                      adminCidrs: config.access.adminCidrs,
                      keys,
                      workloadStatements: dataStoreStatements,
                      // With edge.service.runtime eks the pods are the ALB's targets (a TargetGroupBinding).
                      ...(podsBehindAlb && this.edge ? { loadBalancerTargetGroupArns: [this.edge.targetGroupArn], vpcId: this.network.vpcId } : {}),
                  },
                  parent,
              )
            : undefined;

        this.audit = alarmsOrTrail || config.audit.budget ? this.auditTier(name, config, naming, keys) : undefined;

        // The hosts take no inbound traffic (SSM tunnels); for egress they sit behind the NAT gateway where
        // the stack has one, else in the first public subnet with a public IP assigned at launch (dev).
        const behindNat = config.network.natGateways !== "none";
        const hostArgs = {
            naming,
            region,
            subnetId: behindNat ? subnets.private[0] : subnets.public[0],
            associatePublicIp: !behindNat,
            sshPublicKey: config.access.sshPublicKey,
            hosts: config.hosts,
            keys,
        };
        this.kubernetes =
            config.kubernetes === "minikube"
                ? new KubernetesHost(
                      `${name}-kubernetes`,
                      { ...hostArgs, securityGroupId: groups.kubernetes!, argocdSecretArn: this.secrets.secretArn("argocd") },
                      parent,
                  )
                : undefined;
        this.monitoring = config.monitoring
            ? new MonitoringHost(
                  `${name}-monitoring`,
                  {
                      ...hostArgs,
                      securityGroupId: groups.monitoring!,
                      grafanaSecretArn: this.secrets.secretArn("grafana"),
                      accessLogsBucket: this.dataLake!.bucketRef("accessLogs"),
                  },
                  parent,
              )
            : undefined;

        const hostIds = [this.kubernetes?.instanceId, this.monitoring?.instanceId];
        this.schedule =
            config.hosts.schedule !== "always" && hostIds.some((id) => id !== undefined)
                ? new HostSchedule(`${name}-schedule`, { naming, region, schedule: config.hosts.schedule, instanceIds: hostIds }, parent)
                : undefined;

        // Last: the hosts and endpoints the secrets describe exist by now. Fields of tiers
        // this stack does not build stay absent. The UI URLs are the SSM tunnels' local ports.
        this.secrets.writeValues({
            database: this.database && {
                engine: this.database.engine,
                host: this.database.endpoint,
                port: this.database.port,
                dbname: this.database.databaseName,
                username: this.database.masterUsername,
                masterSecretArn: this.database.masterSecretArn,
                iamUsername: this.database.iamUsername,
            },
            redisHost: this.cache?.primaryEndpoint,
            redisPort: this.cache?.port,
            grafanaUrl: this.monitoring?.grafanaUrl,
            argocdUrl: this.kubernetes?.argocdUrl,
        });

        this.registerOutputs({});
    }

    /**
     * What the workloads (ECS tasks, EKS pods) may do with the data stores: read the secrets that describe
     * them (endpoints; the Redis AUTH token), connect as the IAM database user, use the configured topics.
     */
    private dataStoreStatements(ctx: AccountContext, naming: Naming, topics: readonly string[], keys?: Partial<KeyArns>): PolicyStatement[] {
        const storeSecrets = [
            ...(this.database ? [this.secrets.secretArn("database")] : []),
            ...(this.cache ? [this.secrets.secretArn("redis")] : []),
        ];
        return [
            ...secretValueStatements("DataStoreSecrets", storeSecrets),
            ...(storeSecrets.length > 0 ? keyUseVia("DataStoreSecretsKey", keys?.secrets, ["kms:Decrypt"], "secretsmanager", ctx.region) : []),
            ...(this.database ? databaseConnectStatements("ConnectDatabase", ctx, this.database.resourceId, this.database.iamUsername) : []),
            ...(this.streaming && topics.length > 0
                ? kafkaClientStatements("Kafka", this.streaming.clusterArn, {
                      topics,
                      access: "readWrite",
                      groupPrefix: naming.name(""),
                  })
                : []),
        ];
    }

    /** The audit tier, alarming on the tiers this stack built. */
    private auditTier(name: string, config: StackConfig, naming: Naming, keys: Encryption["keyArns"] | undefined): Audit {
        const services = [
            ...(this.edge?.serviceName ? [{ clusterName: this.containers!.clusterName, serviceName: this.edge.serviceName }] : []),
            ...(this.containers?.serviceName && config.containers.serviceDesiredCount > 0
                ? [{ clusterName: this.containers.clusterName, serviceName: this.containers.serviceName }]
                : []),
        ];
        return new Audit(
            `${name}-audit`,
            {
                naming,
                config: config.audit,
                region: config.region,
                protect: config.protect,
                logBucket: config.audit.cloudTrail ? this.dataLake!.bucketRef("accessLogs") : undefined,
                keys,
                budgetMonthlyUsd: config.budget.monthlyUsd,
                database: this.database && { instanceIdentifier: this.database.instance.identifier },
                loadBalancer: this.edge && { arnSuffix: this.edge.loadBalancerArnSuffix, targetGroupArnSuffix: this.edge.targetGroupArnSuffix },
                ecsServices: services,
                streaming: this.streaming && { clusterName: this.streaming.clusterName, brokerCount: this.streaming.brokerCount },
            },
            // CloudTrail refuses to create a trail it cannot deliver to: after the log bucket's policy.
            { parent: this, dependsOn: this.dataLake ? [this.dataLake] : [] },
        );
    }
}

/** The customer-managed keys a KMS stack needs: the base ones for what it builds, and one per data store, EKS and audit. */
export function keyPurposes(config: StackConfig): KeyPurpose[] {
    const wanted: Record<KeyPurpose, boolean> = {
        storage: config.dataLake.enabled || config.containers.ec2Capacity !== undefined,
        secrets: true,
        logs: true,
        registry: config.registry.enabled,
        database: config.database.enabled,
        cache: config.cache.enabled,
        streaming: config.streaming.enabled,
        kubernetes: config.kubernetes === "eks",
        audit: config.audit.cloudTrail || config.audit.alarms,
    };
    return KEY_PURPOSES.filter((purpose) => wanted[purpose]);
}
