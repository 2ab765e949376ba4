import * as assert from "assert";
import { DeploymentResource } from "../../tools/deployment";
import { DetailedCostReport, estimateCost, parseUsage } from "../../tools/cost";
import { HOURS_PER_MONTH, PRICED_REGIONS, PRICE_TABLES } from "../../tools/cost/prices";
import { FREE_PERFORMANCE_INSIGHTS_DAYS, FREE_TYPES, RDS_VCPUS, RULES, isFree, wafRules } from "../../tools/cost/rules";
import { DATABASE_ENGINES, INSTANCE_CLASSES } from "../../components/database/versions";
import { CACHE_ENGINES, NODE_TYPES } from "../../components/cache/versions";
import { BROKER_TYPE_NAMES } from "../../components/streaming/versions";
import { NODE_INSTANCE_TYPES } from "../../components/kubernetes/node-groups";
import { INSTANCE_TYPES } from "../../components/shared/instance-types";
import { fakeResource } from "../support/fake-resources";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * The data-store, edge, audit and serverless types (issues 12 and 13), priced in every priced region from the table's own
 * values: a price update leaves these tests green, a wrong formula turns them red. Where a region's table lacks a price
 * the rule needs, the estimate must report that key as unpriced, never guess it; the regions' known gaps are listed once
 * below, so adding a price shrinks the list and a new gap fails.
 */

const H = HOURS_PER_MONTH;

function estimate(resources: DeploymentResource[], region: string, usage: Record<string, unknown> = {}): DetailedCostReport {
    return estimateCost(resources, "test", { region, usage: parseUsage(usage) });
}

function priceOf(region: string, key: string): number | undefined {
    return PRICE_TABLES[region][key]?.usd;
}

interface Case {
    readonly title: string;
    readonly resources: () => DeploymentResource[];
    readonly subject?: number;
    readonly usage?: Record<string, unknown>;
    /** Every price key the formula reads. */
    readonly keys: readonly string[];
    /** The expected monthly figure from the region's prices. */
    readonly expected: (p: (key: string) => number) => number;
}

const template = (id: string, inputs: Record<string, unknown>) => fakeResource(TYPE.ec2LaunchTemplate, inputs, { id });
const gp3Volume = (gb: number) => [{ deviceName: "/dev/xvda", ebs: { volumeSize: gb, volumeType: "gp3", encrypted: "true" } }];
const managedGroup = (name: string, priority: number) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } },
});
const PROD_WAF_RULES = [
    managedGroup("AWSManagedRulesCommonRuleSet", 0),
    managedGroup("AWSManagedRulesKnownBadInputsRuleSet", 1),
    managedGroup("AWSManagedRulesSQLiRuleSet", 2),
    { name: "rate", priority: 3, action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } },
];

const CASES: Record<string, Case[]> = {
    [TYPE.rdsInstance]: [
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
            keys: ["rds:postgres:db.m7g.large", "rds.gp3.gbMonth", "rds.backup.gbMonth"],
            expected: (p) => 2 * H * p("rds:postgres:db.m7g.large") + 200 * p("rds.gp3.gbMonth") + 50 * p("rds.backup.gbMonth"),
        },
        {
            title: "mysql db.t4g.small single-AZ, 20 GB gp3, Performance Insights at the free 7 days",
            resources: () => [
                fakeResource(TYPE.rdsInstance, {
                    engine: "mysql",
                    instanceClass: "db.t4g.small",
                    allocatedStorage: 20,
                    storageType: "gp3",
                    performanceInsightsEnabled: true,
                    performanceInsightsRetentionPeriod: 7,
                }),
            ],
            keys: ["rds:mysql:db.t4g.small", "rds.gp3.gbMonth"],
            expected: (p) => H * p("rds:mysql:db.t4g.small") + 20 * p("rds.gp3.gbMonth"),
        },
        {
            title: "postgres db.r7g.large Multi-AZ with 31 days of Performance Insights (Database Insights Advanced, per vCPU-hour)",
            resources: () => [
                fakeResource(TYPE.rdsInstance, {
                    engine: "postgres",
                    instanceClass: "db.r7g.large",
                    multiAz: true,
                    allocatedStorage: 50,
                    storageType: "gp3",
                    performanceInsightsEnabled: true,
                    performanceInsightsRetentionPeriod: 31,
                }),
            ],
            keys: ["rds:postgres:db.r7g.large", "rds.gp3.gbMonth", "rds.databaseInsightsAdvanced.vcpuHour"],
            // Only the primary is monitored: its vCPUs, not the standby's.
            expected: (p) =>
                2 * H * p("rds:postgres:db.r7g.large") +
                100 * p("rds.gp3.gbMonth") +
                RDS_VCPUS["db.r7g.large"] * H * p("rds.databaseInsightsAdvanced.vcpuHour"),
        },
    ],
    [TYPE.elasticacheReplicationGroup]: [
        {
            title: "Valkey: primary and replica cache.r7g.large",
            resources: () => [fakeResource(TYPE.elasticacheReplicationGroup, { engine: "valkey", nodeType: "cache.r7g.large", numCacheClusters: 2 })],
            keys: ["elasticache:valkey:cache.r7g.large"],
            expected: (p) => 2 * H * p("elasticache:valkey:cache.r7g.large"),
        },
        {
            title: "Redis OSS: one cache.t4g.micro",
            resources: () => [fakeResource(TYPE.elasticacheReplicationGroup, { engine: "redis", nodeType: "cache.t4g.micro", numCacheClusters: 1 })],
            keys: ["elasticache:redis:cache.t4g.micro"],
            expected: (p) => H * p("elasticache:redis:cache.t4g.micro"),
        },
    ],
    [TYPE.mskCluster]: [
        {
            title: "3 kafka.m7g.large brokers × 500 GB",
            resources: () => [
                fakeResource(TYPE.mskCluster, {
                    numberOfBrokerNodes: 3,
                    brokerNodeGroupInfo: { instanceType: "kafka.m7g.large", storageInfo: { ebsStorageInfo: { volumeSize: 500 } } },
                }),
            ],
            keys: ["msk:kafka.m7g.large", "msk.storage.gbMonth"],
            expected: (p) => 3 * H * p("msk:kafka.m7g.large") + 1500 * p("msk.storage.gbMonth"),
        },
    ],
    [TYPE.eksCluster]: [
        {
            title: "control plane",
            resources: () => [fakeResource(TYPE.eksCluster, { version: "1.36" })],
            keys: ["eks.cluster.hour"],
            expected: (p) => H * p("eks.cluster.hour"),
        },
    ],
    [TYPE.eksNodeGroup]: [
        {
            title: "2 × m7g.large from a launch template with 30 GB gp3",
            resources: () => [
                fakeResource(TYPE.eksNodeGroup, {
                    scalingConfig: { desiredSize: 2 },
                    instanceTypes: ["m7g.large"],
                    launchTemplate: { id: "lt-ng", version: "1" },
                }),
                template("lt-ng", { blockDeviceMappings: gp3Volume(30) }),
            ],
            keys: ["ec2:m7g.large", "ebs.gp3.gbMonth"],
            expected: (p) => 2 * H * p("ec2:m7g.large") + 60 * p("ebs.gp3.gbMonth"),
        },
    ],
    [TYPE.autoscalingGroup]: [
        {
            title: "ECS capacity: 2 × t4g.medium with 30 GB gp3 from the launch template",
            resources: () => [
                fakeResource(TYPE.autoscalingGroup, {
                    minSize: 1,
                    desiredCapacity: 2,
                    maxSize: 4,
                    launchTemplate: { id: "lt-asg", version: "$Latest" },
                }),
                template("lt-asg", { instanceType: "t4g.medium", blockDeviceMappings: gp3Volume(30) }),
            ],
            keys: ["ec2:t4g.medium", "ebs.gp3.gbMonth"],
            expected: (p) => 2 * H * p("ec2:t4g.medium") + 60 * p("ebs.gp3.gbMonth"),
        },
    ],
    [TYPE.lbLoadBalancer]: [
        {
            title: "internet-facing ALB in 2 AZs at 1 LCU",
            resources: () => [fakeResource(TYPE.lbLoadBalancer, { loadBalancerType: "application", subnets: ["a", "b"] })],
            keys: ["alb.hour", "alb.lcuHour", "publicIpv4.hour"],
            expected: (p) => H * p("alb.hour") + H * p("alb.lcuHour") + 2 * H * p("publicIpv4.hour"),
        },
    ],
    [TYPE.wafv2WebAcl]: [
        {
            title: "prod web ACL: 3 AWS managed rule groups and a rate-based rule, 5 M requests",
            resources: () => [fakeResource(TYPE.wafv2WebAcl, { scope: "REGIONAL", rules: PROD_WAF_RULES })],
            usage: { wafRequestsMillionsPerMonth: 5 },
            keys: ["waf.webAclMonth", "waf.ruleMonth", "waf.requestsMillion"],
            expected: (p) => p("waf.webAclMonth") + 4 * p("waf.ruleMonth") + 5 * p("waf.requestsMillion"),
        },
    ],
    [TYPE.cloudtrailTrail]: [
        {
            title: "a second trail: its copy of 200,000 management events and 1M data events",
            resources: () => [
                fakeResource(TYPE.cloudtrailTrail, { isMultiRegionTrail: true }, { name: "org" }),
                fakeResource(
                    TYPE.cloudtrailTrail,
                    {
                        advancedEventSelectors: [
                            { fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
                            {
                                fieldSelectors: [
                                    { field: "eventCategory", equals: ["Data"] },
                                    { field: "resources.type", equals: ["AWS::S3::Object"] },
                                ],
                            },
                        ],
                    },
                    { name: "audit" },
                ),
            ],
            subject: 1,
            usage: { cloudtrail: { managementEventsPerMonth: 200_000, dataEventsPerMonth: 1_000_000 } },
            keys: ["cloudtrail.paidManagementEvents100k", "cloudtrail.dataEvents100k"],
            expected: (p) => 2 * p("cloudtrail.paidManagementEvents100k") + 10 * p("cloudtrail.dataEvents100k"),
        },
        {
            title: "the account's only trail: $0 (its log files are priced on the bucket)",
            resources: () => [fakeResource(TYPE.cloudtrailTrail, { isMultiRegionTrail: true, enableLogFileValidation: true })],
            keys: [],
            expected: () => 0,
        },
    ],
    [TYPE.snsTopic]: [
        {
            title: "2 topics, 5M publishes and 21,000 emails: beyond the free tier, split",
            resources: () => [fakeResource(TYPE.snsTopic, {}), fakeResource(TYPE.snsTopic, {})],
            usage: { sns: { publishesPerMonth: 5_000_000, emailNotificationsPerMonth: 21_000 } },
            keys: ["sns.requestsMillion", "sns.emailNotifications100k"],
            expected: (p) => (4 * p("sns.requestsMillion") + 0.2 * p("sns.emailNotifications100k")) / 2,
        },
        {
            title: "the alarm topic: within the free tier, $0",
            resources: () => [fakeResource(TYPE.snsTopic, { kmsMasterKeyId: "alias/x" })],
            keys: [],
            expected: () => 0,
        },
    ],
    [TYPE.cloudwatchMetricAlarm]: [
        {
            title: "standard alarm, every free alarm used elsewhere",
            resources: () => [fakeResource(TYPE.cloudwatchMetricAlarm, { metricName: "CPUUtilization", namespace: "AWS/RDS", period: 300 })],
            usage: { freeTier: { alarms: 0 } },
            keys: ["cloudwatch.alarmMonth"],
            expected: (p) => p("cloudwatch.alarmMonth"),
        },
        {
            title: "high-resolution alarm (10 s period)",
            resources: () => [fakeResource(TYPE.cloudwatchMetricAlarm, { metricName: "x", period: 10 })],
            keys: ["cloudwatch.highResolutionAlarmMonth"],
            expected: (p) => p("cloudwatch.highResolutionAlarmMonth"),
        },
    ],
    [TYPE.budgetsBudget]: [
        {
            title: "a third budget in the account: $0.02/day",
            resources: () => [fakeResource(TYPE.budgetsBudget, { budgetType: "COST", limitAmount: "100", limitUnit: "USD", timeUnit: "MONTHLY" })],
            usage: { freeTier: { budgets: 0 } },
            keys: ["budgets.budgetDay"],
            expected: (p) => (p("budgets.budgetDay") * H) / 24,
        },
        {
            title: "the stack's budget: one of the free two",
            resources: () => [fakeResource(TYPE.budgetsBudget, { budgetType: "COST", timeUnit: "MONTHLY" })],
            keys: [],
            expected: () => 0,
        },
    ],
    [TYPE.lambdaFunction]: [
        {
            title: "the topic creator at its usage defaults: within the free tier, $0",
            resources: () => [fakeResource(TYPE.lambdaFunction, { memorySize: 512, timeout: 300, architectures: ["arm64"] })],
            keys: [],
            expected: () => 0,
        },
        {
            title: "Arm, 3M runs × 2 s × 256 MB: 2M requests and 1.1M GB-s beyond the free tier",
            resources: () => [fakeResource(TYPE.lambdaFunction, { memorySize: 256, timeout: 60, architectures: ["arm64"] })],
            usage: { lambda: { invocationsPerMonth: { default: 3_000_000 }, averageDurationSeconds: { default: 2 } } },
            keys: ["lambda.requestsMillion", "lambda.armGbSecond"],
            expected: (p) => 2 * p("lambda.requestsMillion") + 1_100_000 * p("lambda.armGbSecond"),
        },
    ],
};

function itemOf(report: DetailedCostReport, resource: DeploymentResource) {
    return report.items.find((item) => item.urn === resource.urn);
}

describe("cost: new tiers, priced in every priced region from the table's values", () => {
    for (const region of PRICED_REGIONS) {
        for (const [type, cases] of Object.entries(CASES)) {
            for (const c of cases) {
                it(`${region} ${type}: ${c.title}`, () => {
                    const resources = c.resources();
                    const subject = resources[c.subject ?? 0];
                    const report = estimate(resources, region, c.usage);
                    const missing = c.keys.filter((key) => priceOf(region, key) === undefined);
                    if (missing.length === 0) {
                        const item = itemOf(report, subject);
                        assert.ok(item, `no item for ${subject.urn}; unpriced: ${report.unpriced.join("; ")}`);
                        const expected = c.expected((key) => priceOf(region, key)!);
                        assert.ok(
                            Math.abs(item.monthly - expected) <= 0.006,
                            `expected $${expected.toFixed(4)}, got $${item.monthly} (${item.basis})`,
                        );
                        return;
                    }
                    // A missing price is reported with its key, and the resource gets no item (never a guessed one).
                    assert.strictEqual(itemOf(report, subject), undefined, "no item for a resource whose price is missing");
                    const reported = report.unpriced.filter((gap) => gap.startsWith(`${type} (`) && gap.endsWith(`: no price entry for ${region})`));
                    assert.ok(
                        reported.some((gap) => missing.some((key) => gap.includes(`(${key}:`))),
                        `${region} lacks ${missing.join(", ")}; unpriced says ${report.unpriced.join("; ")}`,
                    );
                });
            }
        }
    }
});

describe("cost: RDS Multi-AZ and Performance Insights", () => {
    const db = (inputs: Record<string, unknown>) =>
        fakeResource(TYPE.rdsInstance, { engine: "postgres", instanceClass: "db.m7g.large", allocatedStorage: 100, storageType: "gp3", ...inputs });

    for (const region of PRICED_REGIONS.filter(
        (r) => priceOf(r, "rds:postgres:db.m7g.large") !== undefined && priceOf(r, "rds.gp3.gbMonth") !== undefined,
    )) {
        it(`${region}: Multi-AZ is exactly twice Single-AZ (instance and storage)`, () => {
            const single = db({ multiAz: false });
            const multi = db({ multiAz: true });
            const monthly = (resource: DeploymentResource) => itemOf(estimate([resource], region), resource)!.monthly;
            assert.ok(Math.abs(monthly(multi) - 2 * monthly(single)) <= 0.011);
        });
    }

    it(`retention up to the free ${FREE_PERFORMANCE_INSIGHTS_DAYS} days asks no Performance Insights price; longer retention or Advanced mode does`, () => {
        const region = "us-east-2";
        const keysOf = (resource: DeploymentResource) => {
            const report = estimate([resource], region);
            return [...Object.keys(report.prices), ...report.unpriced];
        };
        const free = keysOf(db({ performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 7 }));
        assert.ok(!free.some((key) => key.includes("databaseInsights")), free.join(", "));
        for (const inputs of [
            { performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 465 },
            { performanceInsightsEnabled: true, databaseInsightsMode: "advanced", performanceInsightsRetentionPeriod: 465 },
        ]) {
            const asked = keysOf(db(inputs));
            assert.ok(
                asked.some((key) => key.includes("rds.databaseInsightsAdvanced.vcpuHour")),
                asked.join(", "),
            );
        }
        const off = keysOf(db({ performanceInsightsEnabled: false, performanceInsightsRetentionPeriod: 465 }));
        assert.ok(!off.some((key) => key.includes("databaseInsights")), "Performance Insights off: nothing to pay");
    });

    it("has a vCPU count for every allowed DB instance class, equal to the database tier's table", () => {
        for (const [klass, spec] of Object.entries(INSTANCE_CLASSES)) assert.strictEqual(RDS_VCPUS[klass], spec.vcpus, klass);
    });
});

describe("cost: WAF rule counting", () => {
    const region = "us-east-2";
    const acl = (inputs: Record<string, unknown>) => fakeResource(TYPE.wafv2WebAcl, { scope: "REGIONAL", ...inputs });
    const rulesCharged = (resource: DeploymentResource) => {
        const item = itemOf(estimate([resource], region, { wafRequestsMillionsPerMonth: 0 }), resource)!;
        return Math.round((item.monthly - priceOf(region, "waf.webAclMonth")!) / priceOf(region, "waf.ruleMonth")!);
    };

    it("counts each rule, a managed rule group as one rule", () => {
        assert.strictEqual(rulesCharged(acl({ rules: PROD_WAF_RULES })), 4);
        assert.strictEqual(rulesCharged(acl({ rules: [] })), 0);
    });

    it("counts the rules of ruleJson like those of rules", () => {
        const json = JSON.stringify(
            PROD_WAF_RULES.map((rule) => ({
                Name: rule.name,
                Priority: rule.priority,
                Statement: "managedRuleGroupStatement" in rule.statement ? { ManagedRuleGroupStatement: { Name: rule.name, VendorName: "AWS" } } : {},
            })),
        );
        const resource = acl({ ruleJson: json });
        assert.strictEqual(wafRules(resource).length, 4);
        assert.strictEqual(rulesCharged(resource), 4);
    });

    it("reports a managed rule group with a fee of its own (Bot Control) instead of pricing it as a plain rule", () => {
        const resource = acl({ rules: [managedGroup("AWSManagedRulesBotControlRuleSet", 0)] });
        const report = estimate([resource], region);
        assert.deepStrictEqual(report.unpriced, [`${TYPE.wafv2WebAcl} (waf.managed:AWSManagedRulesBotControlRuleSet: no price entry for ${region})`]);
    });
});

describe("cost: account free tiers", () => {
    const region = "us-east-2";

    it("the first trail that records management events is free, a second is not; freeTier.managementEventsCopy: false charges both", () => {
        const trails = () => [fakeResource(TYPE.cloudtrailTrail, {}, { name: "t1" }), fakeResource(TYPE.cloudtrailTrail, {}, { name: "t2" })];
        const paid = priceOf(region, "cloudtrail.paidManagementEvents100k")!;
        const [a, b] = trails();
        const report = estimate([a, b], region);
        assert.deepStrictEqual([itemOf(report, a)!.monthly, itemOf(report, b)!.monthly], [0, paid]);
        const shared = estimate([a, b], region, { freeTier: { managementEventsCopy: false } });
        assert.deepStrictEqual([itemOf(shared, a)!.monthly, itemOf(shared, b)!.monthly], [paid, paid]);
    });

    it("a data-events-only trail pays no management events", () => {
        const trail = fakeResource(TYPE.cloudtrailTrail, {
            advancedEventSelectors: [{ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }] }],
        });
        const report = estimate([fakeResource(TYPE.cloudtrailTrail, {}, { name: "first" }), trail], region, {
            cloudtrail: { dataEventsPerMonth: 100_000 },
        });
        assert.strictEqual(itemOf(report, trail)!.monthly, priceOf(region, "cloudtrail.dataEvents100k"));
    });

    it("alarms: the account's free 10 standard alarm metrics are shared over the stack's alarms", () => {
        const alarms = Array.from({ length: 15 }, () => fakeResource(TYPE.cloudwatchMetricAlarm, { period: 60 }));
        const total = (usage: Record<string, unknown>) => estimate(alarms, region, usage).monthlyTotal;
        const alarm = priceOf(region, "cloudwatch.alarmMonth")!;
        assert.ok(Math.abs(total({}) - 5 * alarm) <= 0.08);
        assert.ok(Math.abs(total({ freeTier: { alarms: 0 } }) - 15 * alarm) <= 0.08);
    });

    it("Lambda: the free allowance is shared over the stack's functions in proportion to their use", () => {
        const fns = [
            fakeResource(TYPE.lambdaFunction, { memorySize: 1024, timeout: 60 }, { name: "a" }),
            fakeResource(TYPE.lambdaFunction, { memorySize: 1024, timeout: 60 }, { name: "b" }),
        ];
        const usage = { lambda: { invocationsPerMonth: { default: 1_000_000 }, averageDurationSeconds: { default: 1 } } };
        const report = estimate(fns, region, usage);
        // 2M requests − 1M free = 1M billable; 2M GB-s − 400,000 free = 1.6M billable; each function half.
        const each = (priceOf(region, "lambda.requestsMillion")! + 1_600_000 * priceOf(region, "lambda.x86GbSecond")!) / 2;
        for (const fn of fns) assert.ok(Math.abs(itemOf(report, fn)!.monthly - each) <= 0.006);
    });
});

describe("cost: every key a rule can ask for the new tiers, in every priced region", () => {
    /** What the rules of the new tiers ask, for the classes and types the tiers may use. */
    function requiredKeys(): string[] {
        const keys = new Set<string>([
            "rds.gp3.gbMonth",
            "rds.backup.gbMonth",
            "msk.storage.gbMonth",
            "eks.cluster.hour",
            "ebs.gp3.gbMonth",
            "alb.hour",
            "alb.lcuHour",
            "publicIpv4.hour",
            "waf.webAclMonth",
            "waf.ruleMonth",
            "waf.requestsMillion",
            "cloudtrail.paidManagementEvents100k",
            "cloudtrail.dataEvents100k",
            "sns.requestsMillion",
            "sns.emailNotifications100k",
            "cloudwatch.alarmMonth",
            "cloudwatch.highResolutionAlarmMonth",
            "budgets.budgetDay",
            "lambda.requestsMillion",
            "lambda.x86GbSecond",
            "lambda.armGbSecond",
            "logs.ingestGb",
            "logs.storageGbMonth",
            "fargate.vcpuHour",
            "fargate.gbHour",
            "rds.databaseInsightsAdvanced.vcpuHour",
            "cloudtrail.insightsEvents100k",
        ]);
        for (const engine of DATABASE_ENGINES) for (const klass of Object.keys(INSTANCE_CLASSES)) keys.add(`rds:${engine}:${klass}`);
        for (const engine of CACHE_ENGINES) for (const nodeType of NODE_TYPES) keys.add(`elasticache:${engine}:${nodeType}`);
        for (const broker of BROKER_TYPE_NAMES) keys.add(`msk:${broker}`);
        for (const type of new Set([...NODE_INSTANCE_TYPES, ...Object.keys(INSTANCE_TYPES)])) keys.add(`ec2:${type}`);
        return [...keys].sort();
    }

    /**
     * Keys exempt from the per-region check (the estimate reports them when a plan needs them): ElastiCache snapshots beyond
     * the free allowance (no public source found naming a price), and MSK's m7g sizes above 2xlarge (no US East source; only
     * us-west-2, eu-west-1 and eu-central-1 price them, from AWS's metered-unit map).
     */
    const NOWHERE = [/^elasticache\.backup\./, /^msk:kafka\.m7g\.(4|8|12|16)xlarge$/];
    const NOT_ASKED_HERE = ["elasticache.backup.gbMonth"];

    /** Per region: what its table lacks (no public source found that names the region). */
    const KNOWN_GAPS: Readonly<Record<string, readonly RegExp[]>> = {
        "us-east-2": [],
        "us-east-1": [],
        "us-west-2": [
            /^rds\.databaseInsightsAdvanced\.vcpuHour$/,
            /^sns\./,
            /^cloudwatch\.highResolutionAlarmMonth$/,
            /^cloudtrail\.insightsEvents100k$/,
        ],
        "eu-west-1": [/^rds\.databaseInsightsAdvanced\.vcpuHour$/, /^sns\./, /^cloudtrail\.insightsEvents100k$/],
        "eu-central-1": [/^rds\.databaseInsightsAdvanced\.vcpuHour$/, /^sns\./, /^cloudwatch\./, /^cloudtrail\.insightsEvents100k$/],
    };

    it("the priced-nowhere keys are asked only when a plan needs them", () => {
        for (const key of NOT_ASKED_HERE)
            for (const region of PRICED_REGIONS) assert.strictEqual(priceOf(region, key), undefined, `${region} prices ${key}: update NOWHERE`);
    });

    for (const region of PRICED_REGIONS) {
        it(`${region}: has every such key but its documented gaps, and every documented gap is still one`, () => {
            const gaps = [...NOWHERE, ...(KNOWN_GAPS[region] ?? [])];
            const missing = requiredKeys().filter((key) => priceOf(region, key) === undefined);
            assert.deepStrictEqual(
                missing.filter((key) => !gaps.some((gap) => gap.test(key))),
                [],
                `${region} lacks these (add them to tools/cost/prices.ts with a source)`,
            );
            const stale = (KNOWN_GAPS[region] ?? []).filter((gap) => !missing.some((key) => gap.test(key)));
            assert.deepStrictEqual(stale.map(String), [], `${region}: these gaps are priced now; drop them from KNOWN_GAPS`);
        });
    }

    it("US East prices every allowed DB class, cache node type (Redis OSS and Valkey), broker type but m7g above 2xlarge, and node type", () => {
        for (const region of ["us-east-1", "us-east-2"]) {
            const missing = requiredKeys().filter((key) => priceOf(region, key) === undefined && !NOWHERE.some((gap) => gap.test(key)));
            assert.deepStrictEqual(missing, [], region);
        }
    });
});

describe("cost: new types are priced or known to be free", () => {
    const FREE = [
        TYPE.acmCertificate,
        TYPE.acmCertificateValidation,
        TYPE.route53Record,
        TYPE.appautoscalingTarget,
        TYPE.appautoscalingPolicy,
        TYPE.ecsCapacityProvider,
        TYPE.wafv2WebAclAssociation,
        TYPE.wafv2WebAclLoggingConfiguration,
        TYPE.snsTopicSubscription,
        TYPE.snsTopicPolicy,
        TYPE.cloudwatchLogResourcePolicy,
        TYPE.lambdaInvocation,
        TYPE.lambdaPermission,
        TYPE.eksAccessEntry,
        TYPE.eksAccessPolicyAssociation,
        TYPE.eksPodIdentityAssociation,
        TYPE.elasticacheParameterGroup,
        TYPE.elasticacheUser,
        TYPE.elasticacheUserGroup,
        TYPE.elasticacheSubnetGroup,
        TYPE.rdsOptionGroup,
        TYPE.rdsParameterGroup,
        TYPE.rdsSubnetGroup,
        TYPE.mskConfiguration,
        TYPE.eksAddon,
        TYPE.ec2LaunchTemplate,
        TYPE.iamOpenIdConnectProvider,
        TYPE.iamInstanceProfile,
        // Not in TYPE yet (string literals in tools/cost/rules.ts): an MSK topic, an ALB's extra certificate, an EC2 tag.
        "aws:msk/topic:Topic",
        "aws:lb/listenerCertificate:ListenerCertificate",
        "aws:ec2/tag:Tag",
    ];
    const PRICED = [
        TYPE.rdsInstance,
        TYPE.elasticacheReplicationGroup,
        TYPE.mskCluster,
        TYPE.eksCluster,
        TYPE.eksNodeGroup,
        TYPE.autoscalingGroup,
        TYPE.lbLoadBalancer,
        TYPE.wafv2WebAcl,
        TYPE.cloudtrailTrail,
        TYPE.snsTopic,
        TYPE.cloudwatchMetricAlarm,
        TYPE.budgetsBudget,
        TYPE.lambdaFunction,
    ];

    it("free: configuration and association types, and those billed on another resource", () => {
        assert.deepStrictEqual(
            FREE.filter((type) => !isFree(type)),
            [],
        );
        assert.deepStrictEqual(
            FREE.filter((type) => type in RULES),
            [],
        );
    });

    it("priced: each has a rule and is not also listed free", () => {
        assert.deepStrictEqual(
            PRICED.filter((type) => !(type in RULES) || FREE_TYPES.has(type)),
            [],
        );
    });

    it("a plan of only free new types costs $0 and has no unpriced type", () => {
        const report = estimate(
            FREE.map((type) => fakeResource(type, {})),
            "us-east-2",
        );
        assert.deepStrictEqual([report.monthlyTotal, report.unpriced], [0, []]);
    });
});
