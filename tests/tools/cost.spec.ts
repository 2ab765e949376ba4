import * as assert from "assert";
import { CostReport, DeploymentResource, toDeploymentResources } from "../../tools/deployment";
import {
    DetailedCostReport,
    REFERENCE_DEV_ESTIMATE,
    checkBudget,
    compareWithReference,
    estimateCost,
    formatCostTable,
    loadUsage,
    parseUsage,
} from "../../tools/cost";
import { HOURS_PER_MONTH, MissingPriceError, PRICE_TABLES } from "../../tools/cost/prices";
import { RULES, isFree } from "../../tools/cost/rules";
import { UsageError, amountFor } from "../../tools/cost/usage";
import { INSTANCE_TYPES } from "../../components/shared/instance-types";
import { fakeResource } from "../support/fake-resources";
import { STACKS, ofType, runStack, runStackWith } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const REGION = "us-east-2";
const H = HOURS_PER_MONTH;

// Prices restated here on purpose: a change to the table must be a visible test change.
const P = {
    t3small: 0.0208,
    t3medium: 0.0416,
    gp3: 0.08,
    gp2: 0.1,
    ipv4: 0.005,
    natHour: 0.045,
    natGb: 0.045,
    vpceHour: 0.01,
    vpceGb: 0.01,
    albHour: 0.0225,
    lcu: 0.008,
    t4gMicro: 0.016,
    rdsGp3: 0.115,
    cacheT3Micro: 0.017,
    kafkaT3Small: 0.0456,
    mskGb: 0.1,
    eks: 0.1,
    vcpu: 0.04048,
    gbHour: 0.004445,
    spotOff: 0.5,
    secret: 0.4,
    kms: 1,
    ingest: 0.5,
    logGbMonth: 0.03,
    s3: 0.023,
    dpu: 0.44,
    flexDpu: 0.29,
    ecr: 0.1,
    t4gMedium: 0.0336,
    pgM7gLarge: 0.168,
    mysqlT4gMicro: 0.016,
    rdsBackup: 0.095,
    redisR7gLarge: 0.219,
    valkeyR7gLarge: 0.1752,
    kafkaM7gLarge: 0.204,
    wafAcl: 5,
    wafRule: 1,
    wafRequests: 0.6,
    trailManagement: 2,
    trailData: 0.1,
    snsRequests: 0.5,
    snsEmail: 2,
    alarm: 0.1,
    alarmHighResolution: 0.3,
    budgetDay: 0.02,
    lambdaRequests: 0.2,
    lambdaX86: 0.0000166667,
    lambdaArm: 0.0000133334,
};

// ---------------------------------------------------------------------------
// Hand-built resources
// ---------------------------------------------------------------------------

const baseUsage = parseUsage({});

function estimate(resources: DeploymentResource[], usage: Record<string, unknown> = {}): DetailedCostReport {
    return estimateCost(resources, "test", { region: REGION, usage: parseUsage(usage) });
}

function monthlyOf(report: CostReport, urn: string): number {
    const item = report.items.find((i) => i.urn === urn);
    assert.ok(item, `no cost item for ${urn}; items: ${report.items.map((i) => i.urn).join(", ")}`);
    return item.monthly;
}

/** Items are rounded to cents, so a difference of several items may be off by a cent per item. */
function assertMoney(actual: number, expected: number, what: string, tolerance = 0.006): void {
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected $${expected.toFixed(4)}, got $${actual.toFixed(4)}`);
}

interface Case {
    /** What the case prices, for the test title. */
    readonly title: string;
    readonly resources: () => DeploymentResource[];
    /** The resource whose item is checked (defaults to the first). */
    readonly subject?: number;
    readonly usage?: Record<string, unknown>;
    readonly expected: number;
}

const fargateTask = (cpu: string, memory: string, name = "task") =>
    fakeResource(
        TYPE.ecsTaskDefinition,
        { family: name, cpu, memory },
        { name, outputs: { arn: `arn:aws:ecs:us-east-2:123456789012:task-definition/${name}:1` } },
    );

const service = (task: DeploymentResource, inputs: Record<string, unknown>) =>
    fakeResource(TYPE.ecsService, { taskDefinition: task.outputs.arn, ...inputs });

/** Known input → known monthly figure, per priced type (and per variant that changes the formula). */
const CASES: Record<string, Case[]> = {
    [TYPE.ec2Instance]: [
        {
            title: "t3.medium with a 30 GB gp3 root volume and a public IP",
            resources: () => [
                fakeResource(TYPE.ec2Instance, {
                    instanceType: "t3.medium",
                    rootBlockDevice: { volumeSize: 30, volumeType: "gp3" },
                    associatePublicIpAddress: true,
                }),
            ],
            expected: P.t3medium * H + 30 * P.gp3 + P.ipv4 * H,
        },
        {
            title: "public t3.medium with an Elastic IP: the EIP replaces the instance's public IP",
            resources: () => [
                fakeResource(
                    TYPE.ec2Instance,
                    { instanceType: "t3.medium", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, associatePublicIpAddress: true },
                    { id: "i-1" },
                ),
                fakeResource(TYPE.ec2EipAssociation, { instanceId: "i-1", allocationId: "eip-1" }),
            ],
            expected: P.t3medium * H + 30 * P.gp3,
        },
        {
            title: "public t3.medium stopped and started by schedules (weekdays 08:00–18:00): 50 of 168 hours, the volume all month",
            resources: () => [
                fakeResource(
                    TYPE.ec2Instance,
                    { instanceType: "t3.medium", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, associatePublicIpAddress: true },
                    { id: "i-1" },
                ),
                ...(["stop", "start"] as const).map((action) =>
                    fakeResource(TYPE.schedulerSchedule, {
                        scheduleExpression: `cron(0 ${action === "stop" ? 18 : 8} ? * MON-FRI *)`,
                        scheduleExpressionTimezone: "Europe/Berlin",
                        target: { arn: `arn:aws:scheduler:::aws-sdk:ec2:${action}Instances`, input: JSON.stringify({ InstanceIds: ["i-1"] }) },
                    }),
                ),
            ],
            expected: ((P.t3medium + P.ipv4) * H * 50) / 168 + 30 * P.gp3,
        },
        {
            title: "t3.small, default 8 GB root, private",
            resources: () => [fakeResource(TYPE.ec2Instance, { instanceType: "t3.small" })],
            expected: P.t3small * H + 8 * P.gp3,
        },
    ],
    [TYPE.ebsVolume]: [
        {
            title: "100 GB gp3 volume",
            resources: () => [fakeResource(TYPE.ebsVolume, { size: 100, type: "gp3" })],
            expected: 100 * P.gp3,
        },
        {
            title: "50 GB gp2 volume",
            resources: () => [fakeResource(TYPE.ebsVolume, { size: 50, type: "gp2" })],
            expected: 50 * P.gp2,
        },
    ],
    [TYPE.ec2Eip]: [
        {
            title: "Elastic IP",
            resources: () => [fakeResource(TYPE.ec2Eip, { domain: "vpc" })],
            expected: P.ipv4 * H,
        },
    ],
    [TYPE.ec2NatGateway]: [
        {
            title: "NAT gateway hours plus its share of 100 GB processed (two gateways)",
            resources: () => [fakeResource(TYPE.ec2NatGateway, {}), fakeResource(TYPE.ec2NatGateway, {})],
            usage: { natGbProcessedPerMonth: 100 },
            expected: P.natHour * H + 50 * P.natGb,
        },
    ],
    [TYPE.ec2VpcEndpoint]: [
        {
            title: "interface endpoint in 2 AZs with 10 GB",
            resources: () => [fakeResource(TYPE.ec2VpcEndpoint, { vpcEndpointType: "Interface", subnetIds: ["a", "b"] })],
            usage: { interfaceEndpointGbPerMonth: 10 },
            expected: 2 * P.vpceHour * H + 10 * P.vpceGb,
        },
    ],
    [TYPE.lbLoadBalancer]: [
        {
            title: "internet-facing ALB in 2 AZs at 2 LCU",
            resources: () => [fakeResource(TYPE.lbLoadBalancer, { loadBalancerType: "application", subnets: ["a", "b"] })],
            usage: { albLcus: 2 },
            expected: P.albHour * H + 2 * P.lcu * H + 2 * P.ipv4 * H,
        },
        {
            title: "internal ALB at 1 LCU (no public IPs)",
            resources: () => [fakeResource(TYPE.lbLoadBalancer, { internal: true, subnets: ["a", "b"] })],
            expected: P.albHour * H + P.lcu * H,
        },
    ],
    [TYPE.albLoadBalancer]: [
        {
            title: "ALB under its alias token",
            resources: () => [fakeResource(TYPE.albLoadBalancer, { internal: true })],
            expected: P.albHour * H + P.lcu * H,
        },
    ],
    [TYPE.rdsInstance]: [
        {
            title: "db.t4g.micro Multi-AZ with 20 GB gp3 (instance and storage doubled)",
            resources: () => [
                fakeResource(TYPE.rdsInstance, { instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, storageType: "gp3" }),
            ],
            expected: 2 * P.t4gMicro * H + 40 * P.rdsGp3,
        },
        {
            title: "db.t4g.micro single-AZ with 20 GB gp3",
            resources: () => [
                fakeResource(TYPE.rdsInstance, { instanceClass: "db.t4g.micro", multiAz: false, allocatedStorage: 20, storageType: "gp3" }),
            ],
            expected: P.t4gMicro * H + 20 * P.rdsGp3,
        },
        {
            title: "postgres db.m7g.large Multi-AZ, 100 GB gp3, 50 GB of backups beyond the free allowance",
            resources: () => [
                fakeResource(
                    TYPE.rdsInstance,
                    { engine: "postgres", instanceClass: "db.m7g.large", multiAz: true, allocatedStorage: 100, storageType: "gp3" },
                    { name: "db" },
                ),
            ],
            usage: { rds: { backupGbBeyondFree: { default: 50 } } },
            expected: 2 * P.pgM7gLarge * H + 200 * P.rdsGp3 + 50 * P.rdsBackup,
        },
        {
            title: "mysql db.t4g.micro with Performance Insights at the free 7 days and enhanced monitoring",
            resources: () => [
                fakeResource(TYPE.rdsInstance, {
                    engine: "mysql",
                    instanceClass: "db.t4g.micro",
                    allocatedStorage: 20,
                    storageType: "gp3",
                    performanceInsightsEnabled: true,
                    performanceInsightsRetentionPeriod: 7,
                    monitoringInterval: 60,
                }),
            ],
            expected: P.mysqlT4gMicro * H + 20 * P.rdsGp3,
        },
    ],
    [TYPE.elasticacheCluster]: [
        {
            title: "2 × cache.t3.micro",
            resources: () => [fakeResource(TYPE.elasticacheCluster, { nodeType: "cache.t3.micro", numCacheNodes: 2 })],
            expected: 2 * P.cacheT3Micro * H,
        },
    ],
    [TYPE.elasticacheReplicationGroup]: [
        {
            title: "replication group of 3 cache.t3.micro clusters",
            resources: () => [fakeResource(TYPE.elasticacheReplicationGroup, { nodeType: "cache.t3.micro", numCacheClusters: 3 })],
            expected: 3 * P.cacheT3Micro * H,
        },
        {
            title: "cluster-mode group: 2 shards × (1 primary + 1 replica)",
            resources: () => [
                fakeResource(TYPE.elasticacheReplicationGroup, { nodeType: "cache.t3.micro", numNodeGroups: 2, replicasPerNodeGroup: 1 }),
            ],
            expected: 4 * P.cacheT3Micro * H,
        },
        {
            title: "Valkey group of 2 cache.r7g.large (Valkey's own, lower price)",
            resources: () => [fakeResource(TYPE.elasticacheReplicationGroup, { engine: "valkey", nodeType: "cache.r7g.large", numCacheClusters: 2 })],
            expected: 2 * P.valkeyR7gLarge * H,
        },
        {
            title: "Redis OSS group of 2 cache.r7g.large",
            resources: () => [fakeResource(TYPE.elasticacheReplicationGroup, { engine: "redis", nodeType: "cache.r7g.large", numCacheClusters: 2 })],
            expected: 2 * P.redisR7gLarge * H,
        },
    ],
    [TYPE.mskCluster]: [
        {
            title: "2 kafka.t3.small brokers with 100 GB each",
            resources: () => [
                fakeResource(TYPE.mskCluster, {
                    numberOfBrokerNodes: 2,
                    brokerNodeGroupInfo: { instanceType: "kafka.t3.small", storageInfo: { ebsStorageInfo: { volumeSize: 100 } } },
                }),
            ],
            expected: 2 * P.kafkaT3Small * H + 200 * P.mskGb,
        },
        {
            title: "3 kafka.m7g.large brokers with 500 GB each",
            resources: () => [
                fakeResource(TYPE.mskCluster, {
                    numberOfBrokerNodes: 3,
                    brokerNodeGroupInfo: { instanceType: "kafka.m7g.large", storageInfo: { ebsStorageInfo: { volumeSize: 500 } } },
                    enhancedMonitoring: "PER_BROKER",
                }),
            ],
            expected: 3 * P.kafkaM7gLarge * H + 1500 * P.mskGb,
        },
    ],
    [TYPE.eksCluster]: [
        {
            title: "EKS control plane",
            resources: () => [fakeResource(TYPE.eksCluster, {})],
            expected: P.eks * H,
        },
    ],
    [TYPE.eksNodeGroup]: [
        {
            title: "node group of 2 × t3.medium with 20 GB disks",
            resources: () => [
                fakeResource(TYPE.eksNodeGroup, {
                    scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 },
                    instanceTypes: ["t3.medium"],
                    diskSize: 20,
                }),
            ],
            expected: 2 * P.t3medium * H + 40 * P.gp2,
        },
        {
            title: "node group of 3 × t4g.medium from a launch template with a 30 GB gp3 volume",
            resources: () => [
                fakeResource(TYPE.eksNodeGroup, {
                    scalingConfig: { desiredSize: 3 },
                    instanceTypes: ["t4g.medium"],
                    launchTemplate: { id: "lt-2", version: "1" },
                }),
                fakeResource(
                    TYPE.ec2LaunchTemplate,
                    { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true" } }] },
                    { id: "lt-2" },
                ),
            ],
            expected: 3 * P.t4gMedium * H + 90 * P.gp3,
        },
        {
            title: "SPOT node group: priced at the on-demand ceiling",
            resources: () => [
                fakeResource(TYPE.eksNodeGroup, {
                    scalingConfig: { desiredSize: 1 },
                    instanceTypes: ["t3.medium"],
                    capacityType: "SPOT",
                    diskSize: 20,
                }),
            ],
            expected: P.t3medium * H + 20 * P.gp2,
        },
    ],
    [TYPE.autoscalingGroup]: [
        {
            title: "auto scaling group of 3 from a t3.small launch template",
            resources: () => [
                fakeResource(TYPE.autoscalingGroup, { desiredCapacity: 3, launchTemplate: { id: "lt-1" } }),
                fakeResource(TYPE.ec2LaunchTemplate, { instanceType: "t3.small" }, { id: "lt-1" }),
            ],
            expected: 3 * P.t3small * H,
        },
        {
            title: "ECS capacity: minimum 2 × t4g.medium (desired left to the capacity provider) with 30 GB gp3 each",
            resources: () => [
                fakeResource(TYPE.autoscalingGroup, { minSize: 2, maxSize: 4, launchTemplate: { id: "lt-3", version: "$Latest" } }),
                fakeResource(
                    TYPE.ec2LaunchTemplate,
                    { instanceType: "t4g.medium", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3" } }] },
                    { id: "lt-3" },
                ),
            ],
            expected: 2 * P.t4gMedium * H + 60 * P.gp3,
        },
    ],
    [TYPE.ecsService]: [
        {
            title: "Fargate service, desired 1, 1 vCPU / 2 GB on-demand",
            resources: () => {
                const task = fargateTask("1024", "2048");
                return [service(task, { desiredCount: 1, launchType: "FARGATE" }), task];
            },
            expected: H * (P.vcpu + 2 * P.gbHour),
        },
        {
            title: "Fargate Spot service, desired 1, with a public IP per task",
            resources: () => {
                const task = fargateTask("1024", "2048");
                return [
                    service(task, {
                        desiredCount: 1,
                        capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
                        networkConfiguration: { assignPublicIp: true },
                    }),
                    task,
                ];
            },
            expected: H * (P.vcpu + 2 * P.gbHour) * (1 - P.spotOff) + H * P.ipv4,
        },
        {
            title: "scaled-to-zero service runs the usage file's task-hours",
            resources: () => {
                const task = fargateTask("1024", "2048");
                return [service(task, { desiredCount: 0, launchType: "FARGATE" }), task];
            },
            usage: { ecs: { scaledToZeroServiceHoursPerMonth: 20 } },
            expected: 20 * (P.vcpu + 2 * P.gbHour),
        },
        {
            title: "service on the EC2 capacity provider: its tasks are priced on the auto scaling group",
            resources: () => {
                const task = fargateTask("1024", "2048");
                return [service(task, { desiredCount: 2, capacityProviderStrategies: [{ capacityProvider: "dev-ec2", weight: 1 }] }), task];
            },
            expected: 0,
        },
        {
            title: "service split evenly between FARGATE and an EC2 capacity provider",
            resources: () => {
                const task = fargateTask("1024", "2048");
                return [
                    service(task, {
                        desiredCount: 2,
                        capacityProviderStrategies: [
                            { capacityProvider: "FARGATE", weight: 1 },
                            { capacityProvider: "dev-ec2", weight: 1 },
                        ],
                    }),
                    task,
                ];
            },
            expected: H * (P.vcpu + 2 * P.gbHour),
        },
        {
            title: "service without a strategy takes its cluster's default (all Fargate Spot)",
            resources: () => {
                const task = fargateTask("1024", "2048");
                const cluster = fakeResource(TYPE.ecsCluster, { name: "c1" }, { id: "arn:aws:ecs:us-east-2:123456789012:cluster/c1" });
                return [
                    service(task, { desiredCount: 1, cluster: cluster.id }),
                    task,
                    cluster,
                    fakeResource(TYPE.ecsClusterCapacityProviders, {
                        clusterName: "c1",
                        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
                    }),
                ];
            },
            expected: H * (P.vcpu + 2 * P.gbHour) * (1 - P.spotOff),
        },
    ],
    [TYPE.ecsTaskDefinition]: [
        {
            title: "one-off 2 vCPU / 4 GB task definition no service uses",
            resources: () => [fargateTask("2048", "4096", "spark")],
            usage: { ecs: { standaloneTaskHoursPerMonth: 10 } },
            expected: 10 * (2 * P.vcpu + 4 * P.gbHour),
        },
    ],
    [TYPE.secretsmanagerSecret]: [{ title: "one secret", resources: () => [fakeResource(TYPE.secretsmanagerSecret, {})], expected: P.secret }],
    [TYPE.kmsKey]: [
        { title: "one customer-managed key", resources: () => [fakeResource(TYPE.kmsKey, { enableKeyRotation: true })], expected: P.kms },
    ],
    [TYPE.cloudwatchLogGroup]: [
        {
            title: "one log group, 3 GB/month, 30-day retention",
            resources: () => [fakeResource(TYPE.cloudwatchLogGroup, { retentionInDays: 30 })],
            usage: { logsIngestedGbPerMonth: 3 },
            expected: 3 * P.ingest + 3 * P.logGbMonth,
        },
    ],
    [TYPE.s3Bucket]: [
        {
            title: "bucket matched by Name tag in the usage map",
            resources: () => [fakeResource(TYPE.s3Bucket, { tags: { Name: "t-data-lake" } })],
            usage: { s3StoredGb: { default: 1, "data-lake": 100 } },
            expected: 100 * P.s3,
        },
    ],
    [TYPE.s3BucketV2]: [
        {
            title: "legacy BucketV2 token, default usage",
            resources: () => [fakeResource(TYPE.s3BucketV2, { tags: { Name: "t-other" } })],
            usage: { s3StoredGb: { default: 1, "data-lake": 100 } },
            expected: 1 * P.s3,
        },
    ],
    [TYPE.ecrRepository]: [
        {
            title: "5 GB of images",
            resources: () => [fakeResource(TYPE.ecrRepository, {})],
            usage: { ecrStoredGb: { default: 5 } },
            expected: 5 * P.ecr,
        },
    ],
    [TYPE.glueJob]: [
        {
            title: "Spark job, 2 × G.1X, 30 runs × 10 min",
            resources: () => [fakeResource(TYPE.glueJob, { workerType: "G.1X", numberOfWorkers: 2, timeout: 60, command: { name: "glueetl" } })],
            usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
            expected: 30 * (10 / 60) * 2 * P.dpu,
        },
        {
            title: "run length capped by the job's timeout (5 min)",
            resources: () => [fakeResource(TYPE.glueJob, { workerType: "G.2X", numberOfWorkers: 2, timeout: 5 })],
            usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
            expected: 30 * (5 / 60) * 4 * P.dpu,
        },
        {
            title: "Spark job with executionClass FLEX, 2 × G.1X: the Flex rate",
            resources: () => [
                fakeResource(TYPE.glueJob, {
                    workerType: "G.1X",
                    numberOfWorkers: 2,
                    timeout: 60,
                    command: { name: "glueetl" },
                    executionClass: "FLEX",
                }),
            ],
            usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
            expected: 30 * (10 / 60) * 2 * P.flexDpu,
        },
        {
            title: "Python shell job at 1/16 DPU",
            resources: () => [fakeResource(TYPE.glueJob, { maxCapacity: 0.0625, command: { name: "pythonshell" } })],
            usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
            expected: 30 * (10 / 60) * 0.0625 * P.dpu,
        },
    ],
    [TYPE.glueCrawler]: [
        {
            title: "crawler billed at the 10-minute minimum per run",
            resources: () => [fakeResource(TYPE.glueCrawler, {})],
            usage: { glue: { crawlerRunsPerMonth: 30, crawlerRunMinutes: 3, crawlerDpus: 2 } },
            expected: 30 * (10 / 60) * 2 * P.dpu,
        },
    ],
    [TYPE.wafv2WebAcl]: [
        {
            title: "web ACL with 3 AWS managed rule groups and a rate-based rule, 10 M requests",
            resources: () => [
                fakeResource(TYPE.wafv2WebAcl, {
                    rules: [
                        ...["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"].map((name, i) => ({
                            name,
                            priority: i,
                            statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } },
                        })),
                        { name: "rate", priority: 3, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } },
                    ],
                }),
            ],
            usage: { wafRequestsMillionsPerMonth: 10 },
            expected: P.wafAcl + 4 * P.wafRule + 10 * P.wafRequests,
        },
    ],
    [TYPE.cloudtrailTrail]: [
        {
            title: "the account's first trail: management events free",
            resources: () => [fakeResource(TYPE.cloudtrailTrail, { isMultiRegionTrail: true })],
            expected: 0,
        },
        {
            title: "a second trail pays for its copy of 150,000 management events",
            resources: () => [fakeResource(TYPE.cloudtrailTrail, {}, { name: "a" }), fakeResource(TYPE.cloudtrailTrail, {}, { name: "b" })],
            subject: 1,
            usage: { cloudtrail: { managementEventsPerMonth: 150000 } },
            expected: 1.5 * P.trailManagement,
        },
        {
            title: "a data-events trail (S3 object-level) records 2M data events",
            resources: () => [
                fakeResource(TYPE.cloudtrailTrail, {
                    eventSelectors: [{ includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }],
                }),
            ],
            usage: { cloudtrail: { dataEventsPerMonth: 2_000_000 } },
            expected: 20 * P.trailData,
        },
    ],
    [TYPE.snsTopic]: [
        {
            title: "alarm topic within the free tier",
            resources: () => [fakeResource(TYPE.snsTopic, {})],
            expected: 0,
        },
        {
            title: "3M publishes and 101,000 emails: 2M requests and 100,000 emails beyond the free tier",
            resources: () => [fakeResource(TYPE.snsTopic, {})],
            usage: { sns: { publishesPerMonth: 3_000_000, emailNotificationsPerMonth: 101_000 } },
            expected: 2 * P.snsRequests + P.snsEmail,
        },
    ],
    [TYPE.cloudwatchMetricAlarm]: [
        {
            title: "standard alarm, no free alarms left in the account",
            resources: () => [fakeResource(TYPE.cloudwatchMetricAlarm, { metricName: "CPUUtilization", period: 300 })],
            usage: { freeTier: { alarms: 0 } },
            expected: P.alarm,
        },
        {
            title: "metric-math alarm reading 2 metrics at high resolution (10 s)",
            resources: () => [
                fakeResource(TYPE.cloudwatchMetricAlarm, {
                    metricQueries: [
                        { id: "a", metric: { metricName: "x", period: 10, stat: "Sum" } },
                        { id: "b", metric: { metricName: "y", period: 10, stat: "Sum" } },
                        { id: "e", expression: "a/b", returnData: true },
                    ],
                }),
            ],
            expected: 2 * P.alarmHighResolution,
        },
        {
            title: "12 standard alarms share the account's 10 free ones",
            resources: () => Array.from({ length: 12 }, () => fakeResource(TYPE.cloudwatchMetricAlarm, { period: 60 })),
            expected: (2 * P.alarm) / 12,
        },
    ],
    [TYPE.budgetsBudget]: [
        {
            title: "three budgets: one beyond the free two, shared",
            resources: () => Array.from({ length: 3 }, () => fakeResource(TYPE.budgetsBudget, { budgetType: "COST", timeUnit: "MONTHLY" })),
            expected: (P.budgetDay * (H / 24)) / 3,
        },
    ],
    [TYPE.lambdaFunction]: [
        {
            title: "the topic creator: a few runs a month stay in the free tier",
            resources: () => [fakeResource(TYPE.lambdaFunction, { memorySize: 256, timeout: 300 })],
            expected: 0,
        },
        {
            title: "2M runs × 1 s × 512 MB x86: 1M requests and 600,000 GB-s beyond the free tier",
            resources: () => [fakeResource(TYPE.lambdaFunction, { memorySize: 512, timeout: 30 })],
            usage: { lambda: { invocationsPerMonth: { default: 2_000_000 }, averageDurationSeconds: { default: 1 } } },
            expected: P.lambdaRequests + 600_000 * P.lambdaX86,
        },
        {
            title: "Arm function, free tier claimed elsewhere in the account: every request and GB-s",
            resources: () => [fakeResource(TYPE.lambdaFunction, { memorySize: 1024, timeout: 60, architectures: ["arm64"] })],
            usage: {
                lambda: { invocationsPerMonth: { default: 1_000_000 }, averageDurationSeconds: { default: 2 } },
                freeTier: { lambdaAndSns: false },
            },
            expected: P.lambdaRequests + 2_000_000 * P.lambdaArm,
        },
    ],
};

describe("cost: every priced type gives a known monthly figure for a known input", () => {
    for (const [type, cases] of Object.entries(CASES)) {
        for (const c of cases) {
            it(`${type}: ${c.title}`, () => {
                const resources = c.resources();
                const report = estimate(resources, c.usage);
                assertMoney(monthlyOf(report, resources[c.subject ?? 0].urn), c.expected, c.title);
            });
        }
    }

    it("every type with a pricing rule has a known-figure case above", () => {
        const missing = Object.keys(RULES).filter((type) => !(type in CASES));
        assert.deepStrictEqual(missing, []);
    });

    it("gateway endpoints and services priced on their task definition add no item", () => {
        const gateway = fakeResource(TYPE.ec2VpcEndpoint, { vpcEndpointType: "Gateway" });
        const task = fargateTask("1024", "2048");
        const report = estimate([gateway, task, service(task, { desiredCount: 1 })]);
        assert.deepStrictEqual(
            report.items.map((i) => i.type),
            [TYPE.ecsService],
        );
    });
});

describe("cost: report shape", () => {
    it("states only the usage assumptions that price something the stack builds", () => {
        const usageLine = (resources: DeploymentResource[]) =>
            formatCostTable(estimate(resources))
                .split("\n")
                .find((line) => line.startsWith("Usage assumptions")) ?? "";
        const withNat = usageLine([fakeResource(TYPE.ec2NatGateway, {})]);
        assert.match(withNat, /NAT \d+ GB\/month/);
        for (const absent of ["WAF", "CloudTrail", "RDS backups", "Glue jobs", "free tier"])
            assert.ok(!withNat.includes(absent), `${absent} in: ${withNat}`);
        const withAlarm = usageLine([fakeResource(TYPE.cloudwatchMetricAlarm, {}), fakeResource(TYPE.wafv2WebAcl, {})]);
        assert.match(withAlarm, /WAF \d+ M requests\/month; free tier: \d+ alarms\./);
        assert.ok(!withAlarm.includes("NAT"), withAlarm);
    });

    it("sums items into tier subtotals and a total, grouped by the enclosing component", () => {
        const network = fakeResource("data-platform:network:Network", {}, { name: "net" });
        const platform = fakeResource("data-platform:platform:Platform", {}, { name: "plat" });
        const eip = fakeResource(TYPE.ec2Eip, {}, { parent: network.urn });
        const key = fakeResource(TYPE.kmsKey, {}, { parent: platform.urn });
        const report = estimate([platform, network, eip, key]);
        assert.deepStrictEqual(report.byTier, { network: 3.65, platform: 1 });
        assert.strictEqual(report.monthlyTotal, 4.65);
        assert.strictEqual(report.currency, "USD");
        assert.deepStrictEqual(
            report.items.map((i) => i.tier),
            ["network", "platform"],
        );
    });

    it("lists types it cannot price instead of counting them as free", () => {
        const report = estimate([
            fakeResource("aws:route53/zone:Zone", {}),
            fakeResource(TYPE.ec2Vpc, {}),
            fakeResource(TYPE.awsxEcrImage, {}, { custom: false }),
        ]);
        assert.deepStrictEqual(report.unpriced, ["aws:route53/zone:Zone"]);
        assert.strictEqual(report.monthlyTotal, 0);
        assert.ok(isFree(TYPE.iamRole) && isFree(TYPE.s3BucketVersioning) && !isFree("aws:route53/zone:Zone"));
    });

    it("fails on a region without a price table, naming the priced regions", () => {
        assert.throws(
            () => estimateCost([fakeResource(TYPE.kmsKey, {})], "test", { region: "ap-southeast-2", usage: baseUsage }),
            (error: unknown) => error instanceof MissingPriceError && /ap-southeast-2.*us-east-2/.test(error.message),
        );
    });

    it("reports an instance type the table lacks instead of guessing its price", () => {
        const report = estimate([fakeResource(TYPE.ec2Instance, { instanceType: "x9.huge" }), fakeResource(TYPE.kmsKey, {})]);
        assert.deepStrictEqual(report.unpriced, ["aws:ec2/instance:Instance (ec2:x9.huge: no price entry for us-east-2)"]);
        assert.strictEqual(report.monthlyTotal, P.kms);
        assert.match(formatCostTable(report), /NOT PRICED .*ec2:x9\.huge/);
    });

    it("has an hourly price for every instance type the hosts may use", () => {
        const missing = Object.keys(INSTANCE_TYPES).filter((type) => !PRICE_TABLES[REGION][`ec2:${type}`]);
        assert.deepStrictEqual(missing, []);
    });

    it("carries the sources of the prices it used", () => {
        const report = estimate([fakeResource(TYPE.ec2Eip, {})]);
        assert.deepStrictEqual(Object.keys(report.prices), ["publicIpv4.hour"]);
        assert.match(report.prices["publicIpv4.hour"].source, /vpc\/pricing/);
    });

    it("every price entry names its source and the date it was read", () => {
        for (const [region, table] of Object.entries(PRICE_TABLES)) {
            for (const [key, entry] of Object.entries(table)) {
                assert.ok(entry.usd > 0, `${region} ${key} usd`);
                assert.ok(entry.source.length > 10, `${region} ${key} source`);
                assert.match(entry.checked, /^\d{4}-\d{2}-\d{2}$/, `${region} ${key} checked`);
            }
        }
    });
});

describe("cost: reference estimate and budget", () => {
    it("compares with the reference $40–60 dev estimate", () => {
        assert.deepStrictEqual([REFERENCE_DEV_ESTIMATE.lowUsd, REFERENCE_DEV_ESTIMATE.highUsd], [40, 60]);
        assert.strictEqual(compareWithReference(50).differenceUsd, 0);
        assert.strictEqual(compareWithReference(72.5).differenceUsd, 12.5);
        assert.strictEqual(compareWithReference(30).differenceUsd, -10);
        assert.match(compareWithReference(72.5).summary, /\$12\.50\/month above the reference estimate for dev of \$40–60\/month/);
    });

    const report = (total: number): CostReport => ({ currency: "USD", monthlyTotal: total, items: [] });

    it("no budget: never over", () => {
        assert.deepStrictEqual(checkBudget(report(1e6), { enforce: true }), { over: false });
    });

    it("within budget: not over", () => {
        assert.strictEqual(checkBudget(report(99.99), { monthlyUsd: 100, enforce: true }).over, false);
    });

    it("over an enforced budget: over, and says it is a config error", () => {
        const result = checkBudget(report(120), { monthlyUsd: 100, enforce: true });
        assert.strictEqual(result.over, true);
        assert.match(result.message ?? "", /\$120\.00\/month exceeds data-platform:budget\.monthlyUsd \$100\.00 by \$20\.00: .*config error/);
    });

    it("over an advisory budget: over, and says it is advisory", () => {
        const result = checkBudget(report(120), { monthlyUsd: 100, enforce: false });
        assert.strictEqual(result.over, true);
        assert.match(result.message ?? "", /advisory only/);
    });
});

describe("cost: usage files", () => {
    it("rejects unknown keys and maps without a default, naming the key", () => {
        assert.throws(
            () => parseUsage({ s3Gb: 1 }),
            (e: unknown) => e instanceof UsageError && /s3Gb/.test(e.message),
        );
        assert.throws(() => parseUsage({ s3StoredGb: { "data-lake": 1 } }), /s3StoredGb: needs a `default` entry/);
        assert.throws(() => parseUsage({ glue: { jobRunsPerMonth: -1 } }), /glue\.jobRunsPerMonth/);
    });

    it("matches the longest key contained in the name, else default", () => {
        const map = { default: 1, lake: 5, "data-lake": 100 };
        assert.strictEqual(amountFor(map, ["dev-data-lake"]), 100);
        assert.strictEqual(amountFor(map, ["dev-lake"]), 5);
        assert.strictEqual(amountFor(map, ["dev-access-logs"]), 1);
    });

    for (const stack of STACKS) {
        it(`usage/${stack}.yaml parses`, () => {
            const usage = loadUsage(stack);
            assert.ok(usage.s3StoredGb.default > 0);
            assert.ok("data-lake" in usage.s3StoredGb, "each stack says how much the data lake holds");
        });
    }
});

describe("cost: estimates of the real stacks", () => {
    for (const stack of STACKS) {
        it(`${stack}: every resource type is priced or known to be free, and the table prints`, async () => {
            const report = estimateCost(toDeploymentResources(await runStack(stack)), stack);
            assert.deepStrictEqual(report.unpriced, []);
            assert.strictEqual(report.region, "us-east-2");
            assert.ok(report.monthlyTotal > 0);
            const sum = Math.round(report.items.reduce((s, i) => s + i.monthly, 0) * 100) / 100;
            assert.strictEqual(report.monthlyTotal, sum);
            const table = formatCostTable(report);
            assert.match(table, new RegExp(`TOTAL\\s+\\$${report.monthlyTotal.toFixed(2)}`));
            assert.match(table, /Reference estimate: /);
            for (const item of report.items) assert.ok(table.includes(item.basis), `table shows the basis of ${item.name}`);
        });
    }

    it("dev: NAT none → perAz adds exactly the NAT gateway hours, their EIPs and the NAT traffic", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const run = await runStackWith("dev", { "data-platform:network": { natGateways: "perAz" } });
        const after = estimateCost(toDeploymentResources(run), "dev");
        const gateways = ofType(run, TYPE.ec2NatGateway).length;
        assert.strictEqual(gateways, 2);
        const natTraffic = loadUsage("dev").natGbProcessedPerMonth * P.natGb;
        // Behind NAT the hosts need no public IPv4 address of their own: those hours go.
        const publicIpHours = (report: DetailedCostReport) =>
            report.items
                .filter((i) => i.type === TYPE.ec2Instance)
                .reduce((sum, i) => sum + Number(/public IPv4 × ([\d.]+) h/.exec(i.basis)?.[1] ?? 0), 0);
        const hostIps = (publicIpHours(before) - publicIpHours(after)) * P.ipv4;
        assertMoney(
            after.monthlyTotal - before.monthlyTotal,
            gateways * (P.natHour * H + P.ipv4 * H) + natTraffic - hostIps,
            "perAz NAT delta",
            0.02,
        );
        assert.ok(after.byTier.network > before.byTier.network);
    });

    it("prod: NAT perAz → single removes two gateways' hours", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("prod")), "prod");
        const after = estimateCost(toDeploymentResources(await runStackWith("prod", { "data-platform:network": { natGateways: "single" } })), "prod");
        assertMoney(before.monthlyTotal - after.monthlyTotal, 2 * (P.natHour * H + P.ipv4 * H), "perAz → single delta", 0.02);
    });

    it("dev: turning on customer-managed KMS keys adds $1 per key", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const run = await runStackWith("dev", { "data-platform:encryption": { kms: true } });
        const after = estimateCost(toDeploymentResources(run), "dev");
        const keys = ofType(run, TYPE.kmsKey).length;
        assert.ok(keys > 0, "kms: true creates keys");
        assert.strictEqual(after.items.filter((i) => i.type === TYPE.kmsKey).length, keys);
        assert.ok(after.monthlyTotal >= before.monthlyTotal + keys * P.kms - 0.005);
    });

    it("dev: longer flow-log retention keeps more log GB", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const after = estimateCost(
            toDeploymentResources(await runStackWith("dev", { "data-platform:network": { flowLogs: { retentionDays: 365 } } })),
            "dev",
        );
        assert.ok(after.monthlyTotal > before.monthlyTotal);
    });

    it("dev: a bigger Kubernetes host adds exactly the hourly price difference", async () => {
        const kubernetesHost = (report: DetailedCostReport) => {
            const item = report.items.find((i) => i.type === TYPE.ec2Instance && i.name === "dev-kubernetes-host");
            assert.ok(item, "dev has a Kubernetes host");
            const [, type, hours] = /^(\S+) × ([\d.]+) h/.exec(item.basis) ?? [];
            return { type, hours: Number(hours) };
        };
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const was = kubernetesHost(before);
        // The next size up of the same family (the AMI follows the architecture).
        const bigger = was.type.replace(/\.medium$/, ".large");
        assert.notStrictEqual(bigger, was.type, `dev's Kubernetes host is a .medium (${was.type})`);
        const after = estimateCost(
            toDeploymentResources(await runStackWith("dev", { "data-platform:hosts": { kubernetesInstanceType: bigger } })),
            "dev",
        );
        assert.deepStrictEqual(kubernetesHost(after), { type: bigger, hours: was.hours });
        const price = (type: string) => PRICE_TABLES[REGION][`ec2:${type}`].usd;
        assertMoney(after.monthlyTotal - before.monthlyTotal, (price(bigger) - price(was.type)) * was.hours, `${was.type} → ${bigger}`, 0.02);
    });
});
