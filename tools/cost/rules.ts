import { DeploymentResource } from "../deployment";
import { HOURS_PER_MONTH, PriceKey, price } from "./prices";
import { ResourceIndex, boolInput, listInput, matchNames, numberInput, stringInput } from "./resources";
import { instanceRunTime } from "./schedules";
import { Usage, amountFor } from "./usage";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * Pricing rules, one per resource type token. A rule reads counts, sizes,
 * instance types and flags from the resource's own inputs and multiplies them
 * with the price table; usage assumptions fill in what inputs cannot say.
 * A type with no rule is either known to be free (FREE_TYPES) or reported as
 * unpriced, so a new resource never silently costs $0.
 */

export interface Charge {
    readonly monthly: number;
    /** Human-readable formula, e.g. "730 h × t3.medium $0.0416/h". */
    readonly basis: string;
    readonly priceKeys: readonly PriceKey[];
    /** What this charge would be always on, where a schedule in the plan shortens it (instance and public IPv4 hours). */
    readonly alwaysOnMonthly?: number;
}

export interface RuleContext {
    readonly region: string;
    readonly usage: Usage;
    readonly index: ResourceIndex;
}

export type Rule = (resource: DeploymentResource, ctx: RuleContext) => Charge[];

// ---------------------------------------------------------------------------
// Formatting and charge builders
// ---------------------------------------------------------------------------

export function usd(value: number): string {
    if (value !== 0 && Math.abs(value) < 0.01) return `$${Number(value.toPrecision(3))}`;
    return `$${value.toFixed(2)}`;
}

function rate(value: number): string {
    return `$${Number(value.toPrecision(4))}`;
}

function qty(value: number): string {
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

/** `quantity` units a month at the price of `key`. */
function charge(ctx: RuleContext, key: PriceKey, quantity: number, describe: string): Charge {
    const entry = price(ctx.region, key);
    return { monthly: quantity * entry.usd, basis: `${describe} × ${rate(entry.usd)}/${shortUnit(entry.unit)}`, priceKeys: [key] };
}

function shortUnit(unit: string): string {
    if (unit === "DPU-hour") return "DPU-h";
    return /hour$/.test(unit) ? "h" : unit.split(" ")[0];
}

/** Always-on hourly resources: count × 730 h. */
function hourly(ctx: RuleContext, key: PriceKey, count: number, what: string): Charge {
    const hours = count * HOURS_PER_MONTH;
    return charge(ctx, key, hours, `${count > 1 ? `${qty(count)} × ` : ""}${what}730 h`);
}

function gbMonth(ctx: RuleContext, key: PriceKey, gb: number, what = ""): Charge {
    return charge(ctx, key, gb, `${qty(gb)} GB${what}`);
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

const HOURS = HOURS_PER_MONTH;

function instanceHours(ctx: RuleContext, prefix: "ec2" | "rds" | "elasticache" | "msk", type: string, count: number, hours = HOURS): Charge {
    const key = `${prefix}:${type}` as PriceKey;
    const quantity = count * hours;
    const label = `${count > 1 ? `${qty(count)} × ` : ""}${type} × ${qty(hours)} h`;
    return charge(ctx, key, quantity, label);
}

function ebsVolume(ctx: RuleContext, sizeGb: number, volumeType: string | undefined, what: string): Charge {
    const type = volumeType ?? "gp3";
    const key: PriceKey = type === "gp2" ? "ebs.gp2.gbMonth" : "ebs.gp3.gbMonth";
    return gbMonth(ctx, key, sizeGb, ` ${type} ${what}`);
}

function publicIp(ctx: RuleContext, count: number, hours = HOURS, what = "public IPv4"): Charge {
    return charge(ctx, "publicIpv4.hour", count * hours, `${count > 1 ? `${qty(count)} × ` : ""}${what} × ${qty(hours)} h`);
}

/** Even share of a stack-wide monthly amount across every resource of a type. */
function share(ctx: RuleContext, total: number, type: string): number {
    const count = ctx.index.ofType(type).length;
    return count > 0 ? total / count : 0;
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/**
 * An instance: its hours (shortened by the plan's stop/start schedules, see schedules.ts), its
 * volumes (billed whether it runs or not), and an auto-assigned public IPv4 address for the hours
 * it runs (released on stop; an Elastic IP is priced on its own, all month).
 */
const ec2Instance: Rule = (resource, ctx) => {
    const type = stringInput(resource, "instanceType") ?? "t3.micro";
    const runTime = instanceRunTime(resource, ctx.index);
    const scheduled = (always: Charge, hours: number, make: (hours: number) => Charge): Charge =>
        runTime.scheduled ? { ...make(hours), alwaysOnMonthly: always.monthly } : always;
    const compute = scheduled(instanceHours(ctx, "ec2", type, 1), runTime.hoursPerMonth, (hours) => instanceHours(ctx, "ec2", type, 1, hours));
    const charges = [runTime.note ? { ...compute, basis: `${compute.basis} (${runTime.note})` } : compute];
    charges.push(
        ebsVolume(ctx, numberInput(resource, "rootBlockDevice.volumeSize", 8), stringInput(resource, "rootBlockDevice.volumeType"), "root volume"),
    );
    for (const device of listInput(resource, "ebsBlockDevices")) {
        const spec = device as { volumeSize?: number; volumeType?: string };
        charges.push(ebsVolume(ctx, spec.volumeSize ?? 8, spec.volumeType, "data volume"));
    }
    if (boolInput(resource, "associatePublicIpAddress") && !hasElasticIp(resource, ctx)) {
        charges.push(scheduled(publicIp(ctx, 1), runTime.hoursPerMonth, (hours) => publicIp(ctx, 1, hours)));
    }
    return charges;
};

/** An Elastic IP replaces the instance's auto-assigned public IP; the EIP is priced on its own. */
function hasElasticIp(instance: DeploymentResource, ctx: RuleContext): boolean {
    const associations = ctx.index.ofType(TYPE.ec2EipAssociation).filter((a) => stringInput(a, "instanceId") === instance.id);
    const direct = ctx.index.ofType(TYPE.ec2Eip).filter((eip) => stringInput(eip, "instance") === instance.id);
    return instance.id !== undefined && associations.length + direct.length > 0;
}

const ebsVolumeRule: Rule = (resource, ctx) => [ebsVolume(ctx, numberInput(resource, "size", 0), stringInput(resource, "type"), "volume")];

const eip: Rule = (_resource, ctx) => [publicIp(ctx, 1, HOURS, "Elastic IP")];

const natGateway: Rule = (resource, ctx) => {
    const gb = share(ctx, ctx.usage.natGbProcessedPerMonth, resource.type);
    return [hourly(ctx, "nat.hour", 1, ""), charge(ctx, "nat.gb", gb, `${qty(gb)} GB processed`)];
};

const vpcEndpoint: Rule = (resource, ctx) => {
    if (stringInput(resource, "vpcEndpointType") !== "Interface") return []; // gateway endpoints are free
    const azs = Math.max(1, listInput(resource, "subnetIds").length);
    const interfaces = ctx.index.ofType(resource.type).filter((r) => stringInput(r, "vpcEndpointType") === "Interface").length;
    const gb = interfaces > 0 ? ctx.usage.interfaceEndpointGbPerMonth / interfaces : 0;
    return [charge(ctx, "vpce.interface.azHour", azs * HOURS, `${azs} AZ × 730 h`), charge(ctx, "vpce.interface.gb", gb, `${qty(gb)} GB`)];
};

const loadBalancer: Rule = (resource, ctx) => {
    const type = stringInput(resource, "loadBalancerType") ?? "application";
    if (type !== "application") throw new Error(`${resource.urn}: ${type} load balancers have no price entry yet`);
    const charges = [
        hourly(ctx, "alb.hour", 1, "ALB × "),
        charge(ctx, "alb.lcuHour", ctx.usage.albLcus * HOURS, `${qty(ctx.usage.albLcus)} LCU × 730 h`),
    ];
    if (boolInput(resource, "internal") !== true) {
        const azs = Math.max(listInput(resource, "subnets").length, listInput(resource, "subnetMappings").length, 1);
        charges.push(publicIp(ctx, azs, HOURS, "ALB public IPv4"));
    }
    return charges;
};

const rdsInstance: Rule = (resource, ctx) => {
    const multiAz = boolInput(resource, "multiAz") === true;
    const copies = multiAz ? 2 : 1;
    const klass = stringInput(resource, "instanceClass") ?? "db.t4g.micro";
    const storageType = stringInput(resource, "storageType") ?? "gp2";
    const storageKey: PriceKey = storageType === "gp3" ? "rds.gp3.gbMonth" : "rds.gp2.gbMonth";
    const gb = numberInput(resource, "allocatedStorage", 20);
    const az = multiAz ? " (Multi-AZ)" : "";
    const instance = instanceHours(ctx, "rds", klass, copies);
    const storage = gbMonth(ctx, storageKey, gb * copies, ` ${storageType}${multiAz ? ` (${qty(gb)} GB × 2 copies)` : ""}`);
    return [{ ...instance, basis: instance.basis + az }, storage];
};

function cacheNodes(ctx: RuleContext, nodeType: string, nodes: number): Charge[] {
    return [instanceHours(ctx, "elasticache", nodeType, nodes)];
}

const elasticacheCluster: Rule = (resource, ctx) =>
    cacheNodes(ctx, stringInput(resource, "nodeType") ?? "cache.t3.micro", numberInput(resource, "numCacheNodes", 1));

const elasticacheReplicationGroup: Rule = (resource, ctx) => {
    const explicit = numberInput(resource, "numCacheClusters", 0);
    const nodes = explicit > 0 ? explicit : numberInput(resource, "numNodeGroups", 1) * (numberInput(resource, "replicasPerNodeGroup", 0) + 1);
    return cacheNodes(ctx, stringInput(resource, "nodeType") ?? "cache.t3.micro", nodes);
};

const mskCluster: Rule = (resource, ctx) => {
    const brokers = numberInput(resource, "numberOfBrokerNodes", 1);
    const type = stringInput(resource, "brokerNodeGroupInfo.instanceType") ?? "kafka.t3.small";
    const gbPerBroker = numberInput(resource, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", 1000);
    return [
        instanceHours(ctx, "msk", type, brokers),
        gbMonth(ctx, "msk.storage.gbMonth", brokers * gbPerBroker, ` broker storage (${brokers} × ${qty(gbPerBroker)} GB)`),
    ];
};

const eksCluster: Rule = (_resource, ctx) => [hourly(ctx, "eks.cluster.hour", 1, "control plane × ")];

const eksNodeGroup: Rule = (resource, ctx) => {
    const nodes = numberInput(resource, "scalingConfig.desiredSize", 1);
    const type = String(listInput(resource, "instanceTypes")[0] ?? "t3.medium");
    const disk = numberInput(resource, "diskSize", 20);
    const spot = stringInput(resource, "capacityType") === "SPOT";
    if (spot) throw new Error(`${resource.urn}: SPOT node groups have no price entry yet`);
    return [instanceHours(ctx, "ec2", type, nodes), ebsVolume(ctx, disk * nodes, "gp2", `node disks (${nodes} × ${qty(disk)} GB)`)];
};

const autoscalingGroup: Rule = (resource, ctx) => {
    const template = ctx.index.resolve(stringInput(resource, "launchTemplate.id") ?? stringInput(resource, "launchTemplate.name"));
    const type = template ? stringInput(template, "instanceType") : undefined;
    if (!type) throw new Error(`${resource.urn}: cannot find the launch template's instance type`);
    return [instanceHours(ctx, "ec2", type, numberInput(resource, "desiredCapacity", numberInput(resource, "minSize", 0)))];
};

// --- ECS on Fargate ---

interface TaskSize {
    readonly vcpu: number;
    readonly gb: number;
    readonly family: string;
}

function taskSize(taskDefinition: DeploymentResource): TaskSize {
    return {
        vcpu: numberInput(taskDefinition, "cpu", 256) / 1024,
        gb: numberInput(taskDefinition, "memory", 512) / 1024,
        family: stringInput(taskDefinition, "family") ?? matchNames(taskDefinition)[0],
    };
}

/** Share of task-hours on FARGATE_SPOT from the service's capacity provider strategy (weights). */
function spotShare(service: DeploymentResource): number {
    if (stringInput(service, "launchType") === "FARGATE") return 0;
    const strategy = listInput(service, "capacityProviderStrategies") as { capacityProvider?: string; weight?: number; base?: number }[];
    const total = strategy.reduce((sum, item) => sum + (item.weight ?? 0), 0);
    if (total === 0) return 0;
    return strategy.filter((item) => item.capacityProvider === "FARGATE_SPOT").reduce((sum, item) => sum + (item.weight ?? 0), 0) / total;
}

function fargateCharges(ctx: RuleContext, size: TaskSize, taskHours: number, spot: number, publicIps: boolean): Charge[] {
    if (taskHours === 0) {
        return [{ monthly: 0, basis: `0 task-hours (${qty(size.vcpu)} vCPU / ${qty(size.gb)} GB per task)`, priceKeys: [] }];
    }
    const discount = price(ctx.region, "fargateSpot.discount").usd;
    const factor = 1 - spot * discount;
    const cpu = price(ctx.region, "fargate.vcpuHour");
    const mem = price(ctx.region, "fargate.gbHour");
    const monthly = taskHours * (size.vcpu * cpu.usd + size.gb * mem.usd) * factor;
    const spotNote = spot > 0 ? ` × (1 − ${qty(spot)} Spot × ${qty(discount)} off)` : "";
    const charges: Charge[] = [
        {
            monthly,
            basis: `${qty(taskHours)} task-h × (${qty(size.vcpu)} vCPU × ${rate(cpu.usd)} + ${qty(size.gb)} GB × ${rate(mem.usd)})${spotNote}`,
            priceKeys: ["fargate.vcpuHour", "fargate.gbHour", ...(spot > 0 ? ["fargateSpot.discount" as const] : [])],
        },
    ];
    if (publicIps) charges.push(publicIp(ctx, 1, taskHours, "task public IPv4"));
    return charges;
}

const ecsService: Rule = (resource, ctx) => {
    const taskDefinition = ctx.index.resolve(stringInput(resource, "taskDefinition"));
    if (!taskDefinition) throw new Error(`${resource.urn}: its task definition is not in the plan`);
    const desired = numberInput(resource, "desiredCount", 0);
    const taskHours = desired > 0 ? desired * HOURS : ctx.usage.ecs.scaledToZeroServiceHoursPerMonth;
    const publicIps = boolInput(resource, "networkConfiguration.assignPublicIp") === true;
    const charges = fargateCharges(ctx, taskSize(taskDefinition), taskHours, spotShare(resource), publicIps);
    const why = desired > 0 ? `desired count ${desired}` : "desired count 0: usage ecs.scaledToZeroServiceHoursPerMonth";
    return charges.map((item, i) => (i === 0 ? { ...item, basis: `${item.basis} [${why}]` } : item));
};

const ecsTaskDefinition: Rule = (resource, ctx) => {
    const arn = resource.outputs.arn;
    const usedByService = ctx.index.ofType(TYPE.ecsService).some((service) => stringInput(service, "taskDefinition") === arn);
    if (usedByService) return []; // priced on its service
    const hours = ctx.usage.ecs.standaloneTaskHoursPerMonth;
    const charges = fargateCharges(ctx, taskSize(resource), hours, 0, false);
    return charges.map((item) => ({ ...item, basis: `${item.basis} [one-off tasks: usage ecs.standaloneTaskHoursPerMonth]` }));
};

// --- Secrets, keys, logs, storage ---

const secret: Rule = (_resource, ctx) => [charge(ctx, "secretsmanager.secretMonth", 1, "1 secret")];

const kmsKey: Rule = (_resource, ctx) => [charge(ctx, "kms.keyMonth", 1, "1 key")];

/** Months a log group keeps data; "never expire" is taken as one year. */
function retentionMonths(resource: DeploymentResource): number {
    const days = numberInput(resource, "retentionInDays", 0);
    return (days > 0 ? days : 365) / 30;
}

const logGroup: Rule = (resource, ctx) => {
    const ingested = share(ctx, ctx.usage.logsIngestedGbPerMonth, resource.type);
    const stored = ingested * retentionMonths(resource);
    return [
        charge(ctx, "logs.ingestGb", ingested, `${qty(ingested)} GB ingested`),
        charge(ctx, "logs.storageGbMonth", stored, `${qty(stored)} GB kept (${qty(numberInput(resource, "retentionInDays", 365))} d retention)`),
    ];
};

const s3Bucket: Rule = (resource, ctx) => [gbMonth(ctx, "s3.standard.gbMonth", amountFor(ctx.usage.s3StoredGb, matchNames(resource)), " Standard")];

const ecrRepository: Rule = (resource, ctx) => [gbMonth(ctx, "ecr.gbMonth", amountFor(ctx.usage.ecrStoredGb, matchNames(resource)), " images")];

// --- Glue ---

const DPU_PER_WORKER: Readonly<Record<string, number>> = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, "Z.2X": 2 };

function glueJobDpus(resource: DeploymentResource): number {
    const workerType = stringInput(resource, "workerType");
    const workers = numberInput(resource, "numberOfWorkers", 0);
    if (workerType && workers > 0) {
        const perWorker = DPU_PER_WORKER[workerType];
        if (perWorker === undefined) throw new Error(`${resource.urn}: unknown Glue worker type ${workerType}`);
        return perWorker * workers;
    }
    const isShell = stringInput(resource, "command.name") === "pythonshell";
    return numberInput(resource, "maxCapacity", isShell ? 0.0625 : 10);
}

/** A Glue job: runs × minutes × DPUs, at the Flex rate when `executionClass` is FLEX (Spark jobs on spare capacity). */
const glueJob: Rule = (resource, ctx) => {
    const { jobRunsPerMonth, jobRunMinutes } = ctx.usage.glue;
    const timeout = numberInput(resource, "timeout", 2880);
    const minutes = Math.min(jobRunMinutes, timeout);
    const dpus = glueJobDpus(resource);
    const dpuHours = jobRunsPerMonth * (minutes / 60) * dpus;
    const flex = stringInput(resource, "executionClass") === "FLEX";
    return [
        charge(
            ctx,
            flex ? "glue.flex.dpuHour" : "glue.dpuHour",
            dpuHours,
            `${qty(jobRunsPerMonth)} runs × ${qty(minutes)} min × ${qty(dpus)} DPU${flex ? " (Flex)" : ""}`,
        ),
    ];
};

const glueCrawler: Rule = (_resource, ctx) => {
    const { crawlerRunsPerMonth, crawlerRunMinutes, crawlerDpus } = ctx.usage.glue;
    const minutes = Math.max(10, crawlerRunMinutes); // 10-minute minimum per run
    const dpuHours = crawlerRunsPerMonth * (minutes / 60) * crawlerDpus;
    return [charge(ctx, "glue.crawlerDpuHour", dpuHours, `${qty(crawlerRunsPerMonth)} runs × ${qty(minutes)} min × ${qty(crawlerDpus)} DPU`)];
};

/** Pricing rules by type token. */
export const RULES: Readonly<Record<string, Rule>> = {
    [TYPE.ec2Instance]: ec2Instance,
    [TYPE.ebsVolume]: ebsVolumeRule,
    [TYPE.ec2Eip]: eip,
    [TYPE.ec2NatGateway]: natGateway,
    [TYPE.ec2VpcEndpoint]: vpcEndpoint,
    [TYPE.lbLoadBalancer]: loadBalancer,
    [TYPE.albLoadBalancer]: loadBalancer,
    [TYPE.rdsInstance]: rdsInstance,
    [TYPE.elasticacheCluster]: elasticacheCluster,
    [TYPE.elasticacheReplicationGroup]: elasticacheReplicationGroup,
    [TYPE.mskCluster]: mskCluster,
    [TYPE.eksCluster]: eksCluster,
    [TYPE.eksNodeGroup]: eksNodeGroup,
    [TYPE.autoscalingGroup]: autoscalingGroup,
    [TYPE.ecsService]: ecsService,
    [TYPE.ecsTaskDefinition]: ecsTaskDefinition,
    [TYPE.secretsmanagerSecret]: secret,
    [TYPE.kmsKey]: kmsKey,
    [TYPE.cloudwatchLogGroup]: logGroup,
    [TYPE.s3Bucket]: s3Bucket,
    [TYPE.s3BucketV2]: s3Bucket,
    [TYPE.ecrRepository]: ecrRepository,
    [TYPE.glueJob]: glueJob,
    [TYPE.glueCrawler]: glueCrawler,
};

/**
 * Types with no charge of their own (their usage is billed elsewhere: flow
 * logs on the log group, instances on the node group, ...).
 */
export const FREE_TYPES: ReadonlySet<string> = new Set([
    TYPE.ec2Vpc,
    TYPE.ec2Subnet,
    TYPE.ec2InternetGateway,
    TYPE.ec2RouteTable,
    TYPE.ec2Route,
    TYPE.ec2RouteTableAssociation,
    TYPE.ec2SecurityGroup,
    TYPE.ec2DefaultSecurityGroup,
    TYPE.ec2SecurityGroupRule,
    TYPE.ec2FlowLog,
    TYPE.ec2KeyPair,
    TYPE.ec2LaunchTemplate,
    TYPE.ec2EipAssociation,
    TYPE.ec2NetworkAcl,
    TYPE.ec2DefaultNetworkAcl,
    TYPE.vpcSecurityGroupIngressRule,
    TYPE.vpcSecurityGroupEgressRule,
    TYPE.kmsAlias,
    TYPE.secretsmanagerSecretVersion,
    TYPE.secretsmanagerSecretPolicy,
    TYPE.ecsCluster,
    TYPE.ecsClusterCapacityProviders,
    TYPE.ecrLifecyclePolicy,
    TYPE.ecrRepositoryPolicy,
    TYPE.ecrRegistryScanningConfiguration,
    TYPE.glueCatalogDatabase,
    TYPE.glueWorkflow,
    TYPE.glueTrigger,
    TYPE.glueSecurityConfiguration,
    TYPE.glueCatalogTable,
    TYPE.s3BucketObject,
    TYPE.s3BucketObjectv2,
    TYPE.lbListener,
    TYPE.lbTargetGroup,
    TYPE.lbListenerRule,
    TYPE.rdsSubnetGroup,
    TYPE.rdsParameterGroup,
    TYPE.elasticacheSubnetGroup,
    TYPE.mskConfiguration,
    TYPE.eksAddon,
    TYPE.cloudwatchLogStream,
    // EventBridge Scheduler bills invocations: $1.00 per million after 14 million free a month
    // (cloudburn.io/blog/amazon-eventbridge-pricing, March 2026); a stop/start pair fires ~44 times a month.
    TYPE.schedulerSchedule,
]);

/** Free prefixes: IAM, S3 bucket sub-resources, Pulumi internals, components, random values. */
const FREE_PREFIXES = ["aws:iam/", "aws:s3/bucket", "pulumi:", "data-platform:", "random:"];

export function isFree(type: string): boolean {
    return FREE_TYPES.has(type) || FREE_PREFIXES.some((prefix) => type.startsWith(prefix));
}
