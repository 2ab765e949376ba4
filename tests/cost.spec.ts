import * as assert from "assert";
import { CostReport, DeploymentResource, toDeploymentResources } from "../tools/deployment";
import {
    DetailedCostReport, SEED_DEV_ESTIMATE, checkBudget, compareWithSeed, estimateCost, formatCostTable, loadUsage, parseUsage,
} from "../tools/cost";
import { HOURS_PER_MONTH, MissingPriceError, PRICE_TABLES } from "../tools/cost/prices";
import { RULES, isFree } from "../tools/cost/rules";
import { UsageError, amountFor } from "../tools/cost/usage";
import { INSTANCE_TYPES } from "../components/shared/instance-types";
import { STACKS, ofType, runStack, runStackWith } from "./helpers";

const REGION = "us-east-2";
const H = HOURS_PER_MONTH;

// Prices restated here on purpose: a change to the table must be a visible test change.
const P = {
    t3small: 0.0208, t3medium: 0.0416, gp3: 0.08, gp2: 0.10, ipv4: 0.005, natHour: 0.045, natGb: 0.045,
    vpceHour: 0.01, vpceGb: 0.01, albHour: 0.0225, lcu: 0.008, t4gMicro: 0.016, rdsGp3: 0.115, cacheT3Micro: 0.017,
    kafkaT3Small: 0.0456, mskGb: 0.10, eks: 0.10, vcpu: 0.04048, gbHour: 0.004445, spotOff: 0.5, secret: 0.40, kms: 1,
    ingest: 0.50, logGbMonth: 0.03, s3: 0.023, dpu: 0.44, ecr: 0.10,
};

// ---------------------------------------------------------------------------
// Hand-built resources
// ---------------------------------------------------------------------------

let serial = 0;
function resource(type: string, inputs: Record<string, unknown>, extra: Partial<DeploymentResource> & { name?: string } = {}): DeploymentResource {
    const name = extra.name ?? `r${++serial}`;
    const id = extra.id ?? `${name}-id`;
    return {
        urn: `urn:pulumi:test::data-platform::${type}::${name}`,
        type,
        custom: !type.startsWith("data-platform:"),
        id,
        inputs,
        outputs: { ...inputs, ...(extra.outputs ?? {}) },
        dependencies: [],
        ...(extra.parent ? { parent: extra.parent } : {}),
    };
}

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
    resource("aws:ecs/taskDefinition:TaskDefinition", { family: name, cpu, memory }, { name, outputs: { arn: `arn:aws:ecs:us-east-2:123456789012:task-definition/${name}:1` } });

const service = (task: DeploymentResource, inputs: Record<string, unknown>) =>
    resource("aws:ecs/service:Service", { taskDefinition: task.outputs.arn, ...inputs });

/** Known input → known monthly figure, per priced type (and per variant that changes the formula). */
const CASES: Record<string, Case[]> = {
    "aws:ec2/instance:Instance": [{
        title: "t3.medium with a 30 GB gp3 root volume and a public IP",
        resources: () => [resource("aws:ec2/instance:Instance", { instanceType: "t3.medium", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, associatePublicIpAddress: true })],
        expected: P.t3medium * H + 30 * P.gp3 + P.ipv4 * H,
    }, {
        title: "public t3.medium with an Elastic IP: the EIP replaces the instance's public IP",
        resources: () => [
            resource("aws:ec2/instance:Instance", { instanceType: "t3.medium", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, associatePublicIpAddress: true }, { id: "i-1" }),
            resource("aws:ec2/eipAssociation:EipAssociation", { instanceId: "i-1", allocationId: "eip-1" }),
        ],
        expected: P.t3medium * H + 30 * P.gp3,
    }, {
        title: "t3.small, default 8 GB root, private",
        resources: () => [resource("aws:ec2/instance:Instance", { instanceType: "t3.small" })],
        expected: P.t3small * H + 8 * P.gp3,
    }],
    "aws:ebs/volume:Volume": [{
        title: "100 GB gp3 volume",
        resources: () => [resource("aws:ebs/volume:Volume", { size: 100, type: "gp3" })],
        expected: 100 * P.gp3,
    }, {
        title: "50 GB gp2 volume",
        resources: () => [resource("aws:ebs/volume:Volume", { size: 50, type: "gp2" })],
        expected: 50 * P.gp2,
    }],
    "aws:ec2/eip:Eip": [{
        title: "Elastic IP",
        resources: () => [resource("aws:ec2/eip:Eip", { domain: "vpc" })],
        expected: P.ipv4 * H,
    }],
    "aws:ec2/natGateway:NatGateway": [{
        title: "NAT gateway hours plus its share of 100 GB processed (two gateways)",
        resources: () => [resource("aws:ec2/natGateway:NatGateway", {}), resource("aws:ec2/natGateway:NatGateway", {})],
        usage: { natGbProcessedPerMonth: 100 },
        expected: P.natHour * H + 50 * P.natGb,
    }],
    "aws:ec2/vpcEndpoint:VpcEndpoint": [{
        title: "interface endpoint in 2 AZs with 10 GB",
        resources: () => [resource("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] })],
        usage: { interfaceEndpointGbPerMonth: 10 },
        expected: 2 * P.vpceHour * H + 10 * P.vpceGb,
    }],
    "aws:lb/loadBalancer:LoadBalancer": [{
        title: "internet-facing ALB in 2 AZs at 2 LCU",
        resources: () => [resource("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application", subnets: ["a", "b"] })],
        usage: { albLcus: 2 },
        expected: P.albHour * H + 2 * P.lcu * H + 2 * P.ipv4 * H,
    }, {
        title: "internal ALB at 1 LCU (no public IPs)",
        resources: () => [resource("aws:lb/loadBalancer:LoadBalancer", { internal: true, subnets: ["a", "b"] })],
        expected: P.albHour * H + P.lcu * H,
    }],
    "aws:alb/loadBalancer:LoadBalancer": [{
        title: "ALB under its alias token",
        resources: () => [resource("aws:alb/loadBalancer:LoadBalancer", { internal: true })],
        expected: P.albHour * H + P.lcu * H,
    }],
    "aws:rds/instance:Instance": [{
        title: "db.t4g.micro Multi-AZ with 20 GB gp3 (instance and storage doubled)",
        resources: () => [resource("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, storageType: "gp3" })],
        expected: 2 * P.t4gMicro * H + 40 * P.rdsGp3,
    }, {
        title: "db.t4g.micro single-AZ with 20 GB gp3",
        resources: () => [resource("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro", multiAz: false, allocatedStorage: 20, storageType: "gp3" })],
        expected: P.t4gMicro * H + 20 * P.rdsGp3,
    }],
    "aws:elasticache/cluster:Cluster": [{
        title: "2 × cache.t3.micro",
        resources: () => [resource("aws:elasticache/cluster:Cluster", { nodeType: "cache.t3.micro", numCacheNodes: 2 })],
        expected: 2 * P.cacheT3Micro * H,
    }],
    "aws:elasticache/replicationGroup:ReplicationGroup": [{
        title: "replication group of 3 cache.t3.micro clusters",
        resources: () => [resource("aws:elasticache/replicationGroup:ReplicationGroup", { nodeType: "cache.t3.micro", numCacheClusters: 3 })],
        expected: 3 * P.cacheT3Micro * H,
    }, {
        title: "cluster-mode group: 2 shards × (1 primary + 1 replica)",
        resources: () => [resource("aws:elasticache/replicationGroup:ReplicationGroup", { nodeType: "cache.t3.micro", numNodeGroups: 2, replicasPerNodeGroup: 1 })],
        expected: 4 * P.cacheT3Micro * H,
    }],
    "aws:msk/cluster:Cluster": [{
        title: "2 kafka.t3.small brokers with 100 GB each",
        resources: () => [resource("aws:msk/cluster:Cluster", { numberOfBrokerNodes: 2, brokerNodeGroupInfo: { instanceType: "kafka.t3.small", storageInfo: { ebsStorageInfo: { volumeSize: 100 } } } })],
        expected: 2 * P.kafkaT3Small * H + 200 * P.mskGb,
    }],
    "aws:eks/cluster:Cluster": [{
        title: "EKS control plane",
        resources: () => [resource("aws:eks/cluster:Cluster", {})],
        expected: P.eks * H,
    }],
    "aws:eks/nodeGroup:NodeGroup": [{
        title: "node group of 2 × t3.medium with 20 GB disks",
        resources: () => [resource("aws:eks/nodeGroup:NodeGroup", { scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 }, instanceTypes: ["t3.medium"], diskSize: 20 })],
        expected: 2 * P.t3medium * H + 40 * P.gp2,
    }],
    "aws:autoscaling/group:Group": [{
        title: "auto scaling group of 3 from a t3.small launch template",
        resources: () => [
            resource("aws:autoscaling/group:Group", { desiredCapacity: 3, launchTemplate: { id: "lt-1" } }),
            resource("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "t3.small" }, { id: "lt-1" }),
        ],
        expected: 3 * P.t3small * H,
    }],
    "aws:ecs/service:Service": [{
        title: "Fargate service, desired 1, 1 vCPU / 2 GB on-demand",
        resources: () => { const task = fargateTask("1024", "2048"); return [service(task, { desiredCount: 1, launchType: "FARGATE" }), task]; },
        expected: H * (P.vcpu + 2 * P.gbHour),
    }, {
        title: "Fargate Spot service, desired 1, with a public IP per task",
        resources: () => {
            const task = fargateTask("1024", "2048");
            return [service(task, { desiredCount: 1, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], networkConfiguration: { assignPublicIp: true } }), task];
        },
        expected: H * (P.vcpu + 2 * P.gbHour) * (1 - P.spotOff) + H * P.ipv4,
    }, {
        title: "scaled-to-zero service runs the usage file's task-hours",
        resources: () => { const task = fargateTask("1024", "2048"); return [service(task, { desiredCount: 0, launchType: "FARGATE" }), task]; },
        usage: { ecs: { scaledToZeroServiceHoursPerMonth: 20 } },
        expected: 20 * (P.vcpu + 2 * P.gbHour),
    }],
    "aws:ecs/taskDefinition:TaskDefinition": [{
        title: "one-off 2 vCPU / 4 GB task definition no service uses",
        resources: () => [fargateTask("2048", "4096", "spark")],
        usage: { ecs: { standaloneTaskHoursPerMonth: 10 } },
        expected: 10 * (2 * P.vcpu + 4 * P.gbHour),
    }],
    "aws:secretsmanager/secret:Secret": [{ title: "one secret", resources: () => [resource("aws:secretsmanager/secret:Secret", {})], expected: P.secret }],
    "aws:kms/key:Key": [{ title: "one customer-managed key", resources: () => [resource("aws:kms/key:Key", { enableKeyRotation: true })], expected: P.kms }],
    "aws:cloudwatch/logGroup:LogGroup": [{
        title: "one log group, 3 GB/month, 30-day retention",
        resources: () => [resource("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 })],
        usage: { logsIngestedGbPerMonth: 3 },
        expected: 3 * P.ingest + 3 * P.logGbMonth,
    }],
    "aws:s3/bucket:Bucket": [{
        title: "bucket matched by Name tag in the usage map",
        resources: () => [resource("aws:s3/bucket:Bucket", { tags: { Name: "t-data-lake" } })],
        usage: { s3StoredGb: { default: 1, "data-lake": 100 } },
        expected: 100 * P.s3,
    }],
    "aws:s3/bucketV2:BucketV2": [{
        title: "legacy BucketV2 token, default usage",
        resources: () => [resource("aws:s3/bucketV2:BucketV2", { tags: { Name: "t-other" } })],
        usage: { s3StoredGb: { default: 1, "data-lake": 100 } },
        expected: 1 * P.s3,
    }],
    "aws:ecr/repository:Repository": [{
        title: "5 GB of images",
        resources: () => [resource("aws:ecr/repository:Repository", {})],
        usage: { ecrStoredGb: { default: 5 } },
        expected: 5 * P.ecr,
    }],
    "aws:glue/job:Job": [{
        title: "Spark job, 2 × G.1X, 30 runs × 10 min",
        resources: () => [resource("aws:glue/job:Job", { workerType: "G.1X", numberOfWorkers: 2, timeout: 60, command: { name: "glueetl" } })],
        usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
        expected: 30 * (10 / 60) * 2 * P.dpu,
    }, {
        title: "run length capped by the job's timeout (5 min)",
        resources: () => [resource("aws:glue/job:Job", { workerType: "G.2X", numberOfWorkers: 2, timeout: 5 })],
        usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
        expected: 30 * (5 / 60) * 4 * P.dpu,
    }, {
        title: "Python shell job at 1/16 DPU",
        resources: () => [resource("aws:glue/job:Job", { maxCapacity: 0.0625, command: { name: "pythonshell" } })],
        usage: { glue: { jobRunsPerMonth: 30, jobRunMinutes: 10 } },
        expected: 30 * (10 / 60) * 0.0625 * P.dpu,
    }],
    "aws:glue/crawler:Crawler": [{
        title: "crawler billed at the 10-minute minimum per run",
        resources: () => [resource("aws:glue/crawler:Crawler", {})],
        usage: { glue: { crawlerRunsPerMonth: 30, crawlerRunMinutes: 3, crawlerDpus: 2 } },
        expected: 30 * (10 / 60) * 2 * P.dpu,
    }],
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
        const gateway = resource("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Gateway" });
        const task = fargateTask("1024", "2048");
        const report = estimate([gateway, task, service(task, { desiredCount: 1 })]);
        assert.deepStrictEqual(report.items.map((i) => i.type), ["aws:ecs/service:Service"]);
    });
});

describe("cost: report shape", () => {
    it("sums items into tier subtotals and a total, grouped by the enclosing component", () => {
        const network = resource("data-platform:network:Network", {}, { name: "net" });
        const platform = resource("data-platform:platform:Platform", {}, { name: "plat" });
        const eip = resource("aws:ec2/eip:Eip", {}, { parent: network.urn });
        const key = resource("aws:kms/key:Key", {}, { parent: platform.urn });
        const report = estimate([platform, network, eip, key]);
        assert.deepStrictEqual(report.byTier, { network: 3.65, platform: 1 });
        assert.strictEqual(report.monthlyTotal, 4.65);
        assert.strictEqual(report.currency, "USD");
        assert.deepStrictEqual(report.items.map((i) => i.tier), ["network", "platform"]);
    });

    it("lists types it cannot price instead of counting them as free", () => {
        const report = estimate([resource("aws:route53/zone:Zone", {}), resource("aws:ec2/vpc:Vpc", {}), { ...resource("awsx:ecr:Image", {}), custom: false }]);
        assert.deepStrictEqual(report.unpriced, ["aws:route53/zone:Zone"]);
        assert.strictEqual(report.monthlyTotal, 0);
        assert.ok(isFree("aws:iam/role:Role") && isFree("aws:s3/bucketVersioning:BucketVersioning") && !isFree("aws:route53/zone:Zone"));
    });

    it("fails on a region without a price table, naming the priced regions", () => {
        assert.throws(() => estimateCost([resource("aws:kms/key:Key", {})], "test", { region: "eu-west-1", usage: baseUsage }),
            (error: unknown) => error instanceof MissingPriceError && /eu-west-1.*us-east-2/.test(error.message));
    });

    it("reports an instance type the table lacks instead of guessing its price", () => {
        const report = estimate([resource("aws:ec2/instance:Instance", { instanceType: "x9.huge" }), resource("aws:kms/key:Key", {})]);
        assert.deepStrictEqual(report.unpriced, ["aws:ec2/instance:Instance (ec2:x9.huge: no price entry for us-east-2)"]);
        assert.strictEqual(report.monthlyTotal, P.kms);
        assert.match(formatCostTable(report), /NOT PRICED .*ec2:x9\.huge/);
    });

    it("has an hourly price for every instance type the hosts may use", () => {
        const missing = Object.keys(INSTANCE_TYPES).filter((type) => !PRICE_TABLES[REGION][`ec2:${type}`]);
        assert.deepStrictEqual(missing, []);
    });

    it("carries the sources of the prices it used", () => {
        const report = estimate([resource("aws:ec2/eip:Eip", {})]);
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

describe("cost: seed comparison and budget", () => {
    it("compares with the seed's $40–60 dev estimate", () => {
        assert.deepStrictEqual([SEED_DEV_ESTIMATE.lowUsd, SEED_DEV_ESTIMATE.highUsd], [40, 60]);
        assert.strictEqual(compareWithSeed(50).differenceUsd, 0);
        assert.strictEqual(compareWithSeed(72.5).differenceUsd, 12.5);
        assert.strictEqual(compareWithSeed(30).differenceUsd, -10);
        assert.match(compareWithSeed(72.5).summary, /\$12\.50\/month above the seed's dev estimate of \$40–60\/month/);
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
        assert.throws(() => parseUsage({ s3Gb: 1 }), (e: unknown) => e instanceof UsageError && /s3Gb/.test(e.message));
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
            assert.match(table, /Seed comparison: /);
            for (const item of report.items) assert.ok(table.includes(item.basis), `table shows the basis of ${item.name}`);
        });
    }

    it("dev: NAT none → perAz adds exactly the NAT gateway hours, their EIPs and the NAT traffic", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const run = await runStackWith("dev", { "data-platform:network": { natGateways: "perAz" } });
        const after = estimateCost(toDeploymentResources(run), "dev");
        const gateways = ofType(run, "aws:ec2/natGateway:NatGateway").length;
        assert.strictEqual(gateways, 2);
        const natTraffic = loadUsage("dev").natGbProcessedPerMonth * P.natGb;
        assertMoney(after.monthlyTotal - before.monthlyTotal, gateways * (P.natHour * H + P.ipv4 * H) + natTraffic, "perAz NAT delta", 0.02);
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
        const keys = ofType(run, "aws:kms/key:Key").length;
        assert.ok(keys > 0, "kms: true creates keys");
        assert.strictEqual(after.items.filter((i) => i.type === "aws:kms/key:Key").length, keys);
        assert.ok(after.monthlyTotal >= before.monthlyTotal + keys * P.kms - 0.005);
    });

    it("dev: longer flow-log retention keeps more log GB", async () => {
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const after = estimateCost(toDeploymentResources(await runStackWith("dev", { "data-platform:network": { flowLogs: { retentionDays: 365 } } })), "dev");
        assert.ok(after.monthlyTotal > before.monthlyTotal);
    });

    it("dev: a bigger Kubernetes host adds exactly the hourly price difference", async () => {
        const hostTypes = (report: DetailedCostReport) => report.items.filter((i) => i.type === "aws:ec2/instance:Instance").map((i) => `${i.name}=${i.basis.split(" ")[0]}`).sort();
        const before = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        const after = estimateCost(toDeploymentResources(await runStackWith("dev", { "data-platform:hosts": { kubernetesInstanceType: "t3.large" } })), "dev");
        assert.deepStrictEqual(hostTypes(before), ["dev-kubernetes-host=t3.medium", "dev-monitoring-host=t3.large"]);
        assert.deepStrictEqual(hostTypes(after), ["dev-kubernetes-host=t3.large", "dev-monitoring-host=t3.large"]);
        assertMoney(after.monthlyTotal - before.monthlyTotal, (0.0832 - P.t3medium) * H, "t3.medium → t3.large", 0.02);
    });
});
