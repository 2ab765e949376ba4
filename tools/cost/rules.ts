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

// --- RDS ---

/**
 * vCPUs per DB instance class, for the per-vCPU charges (Database Insights): docs.aws.amazon.com/AmazonRDS/latest/UserGuide/
 * Concepts.DBInstanceClass.Summary.html (hardware specifications); the same counts as the EC2 types of the same name.
 */
export const RDS_VCPUS: Readonly<Record<string, number>> = {
    "db.t4g.micro": 2,
    "db.t4g.small": 2,
    "db.t4g.medium": 2,
    "db.t4g.large": 2,
    "db.m6g.large": 2,
    "db.m6g.xlarge": 4,
    "db.m7g.large": 2,
    "db.m7g.xlarge": 4,
    "db.m7g.2xlarge": 8,
    "db.r6g.large": 2,
    "db.r6g.xlarge": 4,
    "db.r7g.large": 2,
    "db.r7g.xlarge": 4,
    "db.r7g.2xlarge": 8,
};

/** Days of Performance Insights history that cost nothing. */
export const FREE_PERFORMANCE_INSIGHTS_DAYS = 7;

/**
 * Longer Performance Insights retention: since the Performance Insights paid tier ended (2025-11-30), history beyond the free 7
 * days needs the Advanced mode of CloudWatch Database Insights (retention 465 days), billed per vCPU-hour monitored
 * (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Considerations.html). The standby of a Multi-AZ instance
 * serves no load and is not monitored, so only the primary's vCPUs count.
 */
function databaseInsights(resource: DeploymentResource, ctx: RuleContext, klass: string): Charge[] {
    const retention = numberInput(resource, "performanceInsightsRetentionPeriod", FREE_PERFORMANCE_INSIGHTS_DAYS);
    const advanced = stringInput(resource, "databaseInsightsMode") === "advanced";
    const enabled = boolInput(resource, "performanceInsightsEnabled") === true || advanced;
    if (!enabled || (retention <= FREE_PERFORMANCE_INSIGHTS_DAYS && !advanced)) return [];
    const vcpus = RDS_VCPUS[klass];
    if (vcpus === undefined) throw new Error(`${resource.urn}: no vCPU count for ${klass} in tools/cost/rules.ts RDS_VCPUS`);
    const why = advanced
        ? "Database Insights Advanced"
        : `Performance Insights ${qty(retention)} d retention (> ${FREE_PERFORMANCE_INSIGHTS_DAYS} d free)`;
    return [charge(ctx, "rds.databaseInsightsAdvanced.vcpuHour", vcpus * HOURS, `${why}: ${vcpus} vCPU × 730 h`)];
}

/**
 * A DB instance: instance-hours at its engine's price (Multi-AZ: primary and standby, instance and storage twice), storage,
 * backups beyond the free allowance (usage `rds.backupGbBeyondFree`), and longer Performance Insights retention. Enhanced
 * monitoring is billed as CloudWatch Logs ingestion into RDSOSMetrics (no item here: count it in `logsIngestedGbPerMonth`).
 */
const rdsInstance: Rule = (resource, ctx) => {
    const multiAz = boolInput(resource, "multiAz") === true;
    const copies = multiAz ? 2 : 1;
    const engine = stringInput(resource, "engine") ?? "postgres";
    const klass = stringInput(resource, "instanceClass") ?? "db.t4g.micro";
    const storageType = stringInput(resource, "storageType") ?? "gp2";
    const gb = numberInput(resource, "allocatedStorage", 20);
    const az = multiAz ? " (Multi-AZ: primary + standby)" : "";
    const hours = copies * HOURS;
    const instance = charge(ctx, `rds:${engine}:${klass}` as PriceKey, hours, `${copies > 1 ? `${copies} × ` : ""}${engine} ${klass} × 730 h${az}`);
    const monitoring =
        numberInput(resource, "monitoringInterval", 0) > 0 ? " (enhanced monitoring: CloudWatch Logs ingestion, not in this item)" : "";
    const storage = gbMonth(
        ctx,
        `rds.${storageType}.gbMonth` as PriceKey,
        gb * copies,
        ` ${storageType}${multiAz ? ` (${qty(gb)} GB × 2 copies)` : ""}`,
    );
    const charges = [{ ...instance, basis: instance.basis + monitoring }, storage];
    const backupGb = amountFor(ctx.usage.rds.backupGbBeyondFree, matchNames(resource));
    if (backupGb > 0) charges.push(gbMonth(ctx, "rds.backup.gbMonth", backupGb, " backups beyond the free allowance"));
    return [...charges, ...databaseInsights(resource, ctx, klass)];
};

// --- ElastiCache ---

/** Node-hours at the engine's price (Valkey node-based clusters are 20% below Redis OSS) and snapshots beyond the free allowance. */
function cacheNodes(resource: DeploymentResource, ctx: RuleContext, nodes: number): Charge[] {
    const engine = stringInput(resource, "engine") ?? "redis";
    const nodeType = stringInput(resource, "nodeType") ?? "cache.t3.micro";
    const charges = [
        charge(
            ctx,
            `elasticache:${engine}:${nodeType}` as PriceKey,
            nodes * HOURS,
            `${nodes > 1 ? `${qty(nodes)} × ` : ""}${engine} ${nodeType} × 730 h`,
        ),
    ];
    const backupGb = amountFor(ctx.usage.cache.backupGbBeyondFree, matchNames(resource));
    if (backupGb > 0) charges.push(gbMonth(ctx, "elasticache.backup.gbMonth", backupGb, " snapshots beyond the free allowance"));
    return charges;
}

const elasticacheCluster: Rule = (resource, ctx) => cacheNodes(resource, ctx, numberInput(resource, "numCacheNodes", 1));

const elasticacheReplicationGroup: Rule = (resource, ctx) => {
    const explicit = numberInput(resource, "numCacheClusters", 0);
    const nodes = explicit > 0 ? explicit : numberInput(resource, "numNodeGroups", 1) * (numberInput(resource, "replicasPerNodeGroup", 0) + 1);
    return cacheNodes(resource, ctx, nodes);
};

// --- MSK ---

/** Broker-hours and broker storage: numberOfBrokerNodes × the EBS volume of each (provisioned size; autoscaling grows it later). */
const mskCluster: Rule = (resource, ctx) => {
    const brokers = numberInput(resource, "numberOfBrokerNodes", 1);
    const type = stringInput(resource, "brokerNodeGroupInfo.instanceType") ?? "kafka.t3.small";
    const gbPerBroker = numberInput(resource, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", 1000);
    const monitoring = stringInput(resource, "enhancedMonitoring");
    const metrics = monitoring && monitoring !== "DEFAULT" ? ` (${monitoring} monitoring: CloudWatch metric charges not modelled)` : "";
    const hours = instanceHours(ctx, "msk", type, brokers);
    return [
        { ...hours, basis: hours.basis + metrics },
        gbMonth(ctx, "msk.storage.gbMonth", brokers * gbPerBroker, ` broker storage (${brokers} × ${qty(gbPerBroker)} GB)`),
    ];
};

// --- EKS, EC2 capacity ---

const eksCluster: Rule = (_resource, ctx) => [hourly(ctx, "eks.cluster.hour", 1, "control plane × ")];

/** The launch template a node group or auto scaling group names (by id or name), when it is in the plan. */
function launchTemplateOf(ctx: RuleContext, ...refs: (string | undefined)[]): DeploymentResource | undefined {
    for (const ref of refs) {
        const found = ctx.index.resolve(ref);
        if (found && found.type === TYPE.ec2LaunchTemplate) return found;
    }
    return undefined;
}

interface TemplateVolume {
    readonly gb: number;
    readonly type?: string;
}

function templateVolumes(template: DeploymentResource): TemplateVolume[] {
    return (listInput(template, "blockDeviceMappings") as { ebs?: { volumeSize?: number | string; volumeType?: string } }[])
        .filter((mapping) => mapping.ebs !== undefined)
        .map((mapping) => ({ gb: Number(mapping.ebs?.volumeSize ?? 8), type: mapping.ebs?.volumeType }));
}

function templateDisks(ctx: RuleContext, template: DeploymentResource, nodes: number): Charge[] {
    const volumes = templateVolumes(template);
    if (volumes.length === 0)
        return [{ monthly: 0, basis: "root volume of the AMI's default size (the launch template sets none): not priced", priceKeys: [] }];
    return volumes.map((volume) => ebsVolume(ctx, volume.gb * nodes, volume.type, `launch-template volumes (${nodes} × ${qty(volume.gb)} GB)`));
}

/**
 * A managed node group: desired nodes × instance-hours, and their disks (the launch template's block devices when it has one,
 * else `diskSize` gp2). Spot nodes are priced at the on-demand price, the most a Spot hour can cost (Spot's default maximum price).
 */
const eksNodeGroup: Rule = (resource, ctx) => {
    const nodes = numberInput(resource, "scalingConfig.desiredSize", 1);
    const template = launchTemplateOf(ctx, stringInput(resource, "launchTemplate.id"), stringInput(resource, "launchTemplate.name"));
    const type = String(listInput(resource, "instanceTypes")[0] ?? (template ? stringInput(template, "instanceType") : undefined) ?? "t3.medium");
    const spot = stringInput(resource, "capacityType") === "SPOT";
    const compute = instanceHours(ctx, "ec2", type, nodes);
    const hours = spot ? { ...compute, basis: `${compute.basis} (SPOT: at the on-demand ceiling)` } : compute;
    if (template) return [hours, ...templateDisks(ctx, template, nodes)];
    const disk = numberInput(resource, "diskSize", 20);
    return [hours, ebsVolume(ctx, disk * nodes, "gp2", `node disks (${nodes} × ${qty(disk)} GB)`)];
};

/**
 * An auto scaling group (ECS on EC2 capacity): desired (else minimum) instances × the launch template's instance type, and the
 * template's volumes. A mixed-instances policy is priced at its first override type (else the template's).
 */
const autoscalingGroup: Rule = (resource, ctx) => {
    const mixed = "mixedInstancesPolicy.launchTemplate";
    const template = launchTemplateOf(
        ctx,
        stringInput(resource, "launchTemplate.id"),
        stringInput(resource, "launchTemplate.name"),
        stringInput(resource, `${mixed}.launchTemplateSpecification.launchTemplateId`),
        stringInput(resource, `${mixed}.launchTemplateSpecification.launchTemplateName`),
    );
    const override = stringInput(resource, `${mixed}.overrides.0.instanceType`);
    const type = override ?? (template ? stringInput(template, "instanceType") : undefined);
    if (!template || !type) throw new Error(`${resource.urn}: cannot find the launch template's instance type`);
    const instances = numberInput(resource, "desiredCapacity", numberInput(resource, "minSize", 0));
    const why = resource.inputs.desiredCapacity === undefined ? " (minimum size)" : "";
    const compute = instanceHours(ctx, "ec2", type, instances);
    return [{ ...compute, basis: compute.basis + why }, ...(instances > 0 ? templateDisks(ctx, template, instances) : [])];
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

type Strategy = { capacityProvider?: string; weight?: number; base?: number }[];

/** Where a service's tasks run, as shares of its task-hours (weights): Fargate Spot, and EC2 capacity providers (priced on their ASG). */
interface CapacityShares {
    readonly spot: number;
    readonly ec2: number;
}

/** The service's capacity provider strategy, else its cluster's default strategy. */
function strategyOf(service: DeploymentResource, ctx: RuleContext): Strategy {
    const own = listInput(service, "capacityProviderStrategies") as Strategy;
    if (own.length > 0) return own;
    const cluster = ctx.index.resolve(stringInput(service, "cluster"));
    const name = cluster ? (cluster.outputs.name ?? cluster.inputs.name) : undefined;
    const defaults = ctx.index.ofType(TYPE.ecsClusterCapacityProviders).find((ccp) => name !== undefined && stringInput(ccp, "clusterName") === name);
    return defaults ? (listInput(defaults, "defaultCapacityProviderStrategies") as Strategy) : [];
}

function capacityShares(service: DeploymentResource, ctx: RuleContext): CapacityShares {
    const launchType = stringInput(service, "launchType");
    if (launchType === "FARGATE") return { spot: 0, ec2: 0 };
    if (launchType === "EC2") return { spot: 0, ec2: 1 };
    const strategy = strategyOf(service, ctx);
    const total = strategy.reduce((sum, item) => sum + (item.weight ?? 0), 0);
    if (total === 0) return { spot: 0, ec2: 0 };
    const weightOf = (test: (provider: string) => boolean) =>
        strategy.filter((item) => test(item.capacityProvider ?? "")).reduce((sum, item) => sum + (item.weight ?? 0), 0) / total;
    return { spot: weightOf((p) => p === "FARGATE_SPOT"), ec2: weightOf((p) => p !== "FARGATE" && p !== "FARGATE_SPOT") };
}

function fargateCharges(ctx: RuleContext, size: TaskSize, taskHours: number, shares: CapacityShares, publicIps: boolean): Charge[] {
    const fargateHours = taskHours * (1 - shares.ec2);
    const perTask = `(${qty(size.vcpu)} vCPU / ${qty(size.gb)} GB per task)`;
    if (fargateHours === 0) {
        const why = shares.ec2 > 0 ? "on EC2 capacity: priced on the auto scaling group" : "0 task-hours";
        return [{ monthly: 0, basis: `${why} ${perTask}`, priceKeys: [] }];
    }
    const spot = shares.spot;
    const discount = spot > 0 ? price(ctx.region, "fargateSpot.discount").usd : 0;
    const cpu = price(ctx.region, "fargate.vcpuHour");
    const mem = price(ctx.region, "fargate.gbHour");
    const monthly = taskHours * (size.vcpu * cpu.usd + size.gb * mem.usd) * (1 - shares.ec2 - spot * discount);
    const spotNote = spot > 0 ? ` × (1 − ${qty(spot)} Spot × ${qty(discount)} off)` : "";
    const ec2Note = shares.ec2 > 0 ? ` (${qty(shares.ec2)} on EC2 capacity, priced on the auto scaling group)` : "";
    const charges: Charge[] = [
        {
            monthly,
            basis: `${qty(fargateHours)} task-h × (${qty(size.vcpu)} vCPU × ${rate(cpu.usd)} + ${qty(size.gb)} GB × ${rate(mem.usd)})${spotNote}${ec2Note}`,
            priceKeys: ["fargate.vcpuHour", "fargate.gbHour", ...(spot > 0 ? ["fargateSpot.discount" as const] : [])],
        },
    ];
    if (publicIps) charges.push(publicIp(ctx, 1, fargateHours, "task public IPv4"));
    return charges;
}

const ecsService: Rule = (resource, ctx) => {
    const taskDefinition = ctx.index.resolve(stringInput(resource, "taskDefinition"));
    if (!taskDefinition) throw new Error(`${resource.urn}: its task definition is not in the plan`);
    const desired = numberInput(resource, "desiredCount", 0);
    const taskHours = desired > 0 ? desired * HOURS : ctx.usage.ecs.scaledToZeroServiceHoursPerMonth;
    const publicIps = boolInput(resource, "networkConfiguration.assignPublicIp") === true;
    const charges = fargateCharges(ctx, taskSize(taskDefinition), taskHours, capacityShares(resource, ctx), publicIps);
    const why = desired > 0 ? `desired count ${desired}` : "desired count 0: usage ecs.scaledToZeroServiceHoursPerMonth";
    return charges.map((item, i) => (i === 0 ? { ...item, basis: `${item.basis} [${why}]` } : item));
};

const ecsTaskDefinition: Rule = (resource, ctx) => {
    const arn = resource.outputs.arn;
    const usedByService = ctx.index.ofType(TYPE.ecsService).some((service) => stringInput(service, "taskDefinition") === arn);
    if (usedByService) return []; // priced on its service
    const hours = ctx.usage.ecs.standaloneTaskHoursPerMonth;
    const charges = fargateCharges(ctx, taskSize(resource), hours, { spot: 0, ec2: 0 }, false);
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

// --- Edge: WAF ---

interface WafRule {
    readonly name?: string;
    readonly statement?: { managedRuleGroupStatement?: { name?: string; vendorName?: string } };
    readonly Statement?: { ManagedRuleGroupStatement?: { Name?: string; VendorName?: string } };
}

/** The web ACL's rules, from `rules` or the `ruleJson` alternative. */
export function wafRules(resource: DeploymentResource): WafRule[] {
    const listed = listInput(resource, "rules") as WafRule[];
    if (listed.length > 0) return listed;
    const json = stringInput(resource, "ruleJson");
    if (!json) return [];
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) throw new Error(`${resource.urn}: ruleJson is not a list of rules`);
    return parsed as WafRule[];
}

/** AWS managed rule groups with a fee of their own on top of the rule charge (aws.amazon.com/waf/pricing); none is priced yet. */
const PAID_MANAGED_GROUPS = new Set([
    "AWSManagedRulesBotControlRuleSet",
    "AWSManagedRulesATPRuleSet",
    "AWSManagedRulesACFPRuleSet",
    "AWSManagedRulesAntiDDoSRuleSet",
]);

/** A web ACL: the ACL-month, one rule-month per rule (a managed rule group counts as one), and its share of the requests. */
const wafWebAcl: Rule = (resource, ctx) => {
    const rules = wafRules(resource);
    const managed = rules
        .map((rule) => rule.statement?.managedRuleGroupStatement?.name ?? rule.Statement?.ManagedRuleGroupStatement?.Name)
        .filter((name): name is string => name !== undefined);
    const requests = share(ctx, ctx.usage.wafRequestsMillionsPerMonth, resource.type);
    const charges = [
        charge(ctx, "waf.webAclMonth", 1, "1 web ACL"),
        charge(ctx, "waf.ruleMonth", rules.length, `${rules.length} rules (${managed.length} managed rule groups)`),
        charge(ctx, "waf.requestsMillion", requests, `${qty(requests)} M requests`),
    ];
    for (const name of managed.filter((group) => PAID_MANAGED_GROUPS.has(group))) {
        charges.push(charge(ctx, `waf.managed:${name}` as PriceKey, 1, `${name} subscription`));
    }
    return charges;
};

// --- Audit: CloudTrail, SNS, alarms, budgets ---

interface EventSelector {
    readonly includeManagementEvents?: boolean;
    readonly dataResources?: unknown[];
}

interface AdvancedSelector {
    readonly fieldSelectors?: { field?: string; equals?: string[] }[];
}

function advancedCategories(trail: DeploymentResource): string[] {
    return (listInput(trail, "advancedEventSelectors") as AdvancedSelector[]).flatMap((selector) =>
        (selector.fieldSelectors ?? []).filter((field) => field.field === "eventCategory").flatMap((field) => field.equals ?? []),
    );
}

/** Whether a trail records management events: the default (no selectors), a basic selector that keeps them, or an advanced Management selector. */
export function recordsManagementEvents(trail: DeploymentResource): boolean {
    const basic = listInput(trail, "eventSelectors") as EventSelector[];
    const advanced = listInput(trail, "advancedEventSelectors");
    if (basic.length === 0 && advanced.length === 0) return true;
    if (basic.length > 0) return basic.some((selector) => selector.includeManagementEvents !== false);
    return advancedCategories(trail).includes("Management");
}

/** Whether a trail records data events: a basic selector with data resources, or an advanced Data selector. */
export function recordsDataEvents(trail: DeploymentResource): boolean {
    const basic = listInput(trail, "eventSelectors") as EventSelector[];
    return basic.some((selector) => (selector.dataResources ?? []).length > 0) || advancedCategories(trail).includes("Data");
}

/**
 * A trail: the account's first copy of management events is free (usage `freeTier.managementEventsCopy`: the first trail in
 * the plan that records them), every further copy is charged per 100,000 events; data events always are. The log files are
 * priced on their bucket, CloudWatch Logs delivery on its log group.
 */
const cloudtrailTrail: Rule = (resource, ctx) => {
    const { managementEventsPerMonth, dataEventsPerMonth } = ctx.usage.cloudtrail;
    const charges: Charge[] = [];
    if (recordsManagementEvents(resource)) {
        const first = ctx.index.ofType(resource.type).find(recordsManagementEvents);
        if (ctx.usage.freeTier.managementEventsCopy && first?.urn === resource.urn) {
            charges.push({ monthly: 0, basis: "management events: the account's free first copy (S3 storage on the log bucket)", priceKeys: [] });
        } else {
            const per100k = managementEventsPerMonth / 100000;
            charges.push(charge(ctx, "cloudtrail.paidManagementEvents100k", per100k, `${qty(per100k)} × 100k management events (a further copy)`));
        }
    }
    if (recordsDataEvents(resource)) {
        const withData = ctx.index.ofType(resource.type).filter(recordsDataEvents).length;
        const per100k = dataEventsPerMonth / withData / 100000;
        charges.push(charge(ctx, "cloudtrail.dataEvents100k", per100k, `${qty(per100k)} × 100k data events`));
    }
    if (listInput(resource, "insightSelectors").length > 0) {
        charges.push(charge(ctx, "cloudtrail.insightsEvents100k", managementEventsPerMonth / 100000, "Insights analysis of the management events"));
    }
    return charges.length > 0 ? charges : [{ monthly: 0, basis: "records no events", priceKeys: [] }];
};

/** This resource's part of a stack-wide amount beyond an account's free allowance (split evenly over the type's resources). */
function beyondFree(ctx: RuleContext, type: string, total: number, free: number): { gross: number; billable: number } {
    const count = ctx.index.ofType(type).length;
    const allowance = ctx.usage.freeTier.lambdaAndSns ? free : 0;
    return { gross: count > 0 ? total / count : 0, billable: count > 0 ? Math.max(0, total - allowance) / count : 0 };
}

/** A topic: its share of the stack's publishes and email notifications beyond the account's free 1M requests and 1,000 emails. */
const snsTopic: Rule = (resource, ctx) => {
    const publishes = beyondFree(ctx, resource.type, ctx.usage.sns.publishesPerMonth, 1_000_000);
    const emails = beyondFree(ctx, resource.type, ctx.usage.sns.emailNotificationsPerMonth, 1000);
    const charges: Charge[] = [];
    if (publishes.billable > 0)
        charges.push(charge(ctx, "sns.requestsMillion", publishes.billable / 1e6, `${qty(publishes.billable / 1e6)} M requests`));
    if (emails.billable > 0) charges.push(charge(ctx, "sns.emailNotifications100k", emails.billable / 1e5, `${qty(emails.billable)} emails`));
    if (charges.length > 0) return charges;
    return [{ monthly: 0, basis: `${qty(publishes.gross)} publishes, ${qty(emails.gross)} emails: within the free tier`, priceKeys: [] }];
};

interface MetricQuery {
    readonly metric?: { period?: number };
    readonly expression?: string;
}

/** Metrics an alarm watches (a metric-math alarm pays per metric it reads) and whether it evaluates at high resolution (< 60 s). */
export function alarmMetrics(alarm: DeploymentResource): { metrics: number; highResolution: boolean } {
    const queries = listInput(alarm, "metricQueries") as MetricQuery[];
    if (queries.length === 0) return { metrics: 1, highResolution: numberInput(alarm, "period", 60) < 60 };
    const reads = queries.filter((query) => query.metric !== undefined);
    return { metrics: Math.max(1, reads.length), highResolution: reads.some((query) => (query.metric?.period ?? 60) < 60) };
}

/**
 * A metric alarm: per alarm metric-month, standard or high resolution. The account's 10 free standard alarm metrics
 * (usage `freeTier.alarms`) are shared evenly over the plan's standard alarms.
 */
const metricAlarm: Rule = (resource, ctx) => {
    const { metrics, highResolution } = alarmMetrics(resource);
    if (highResolution)
        return [charge(ctx, "cloudwatch.highResolutionAlarmMonth", metrics, `${metrics} high-resolution alarm metric${metrics > 1 ? "s" : ""}`)];
    const standard = ctx.index.ofType(resource.type).filter((alarm) => !alarmMetrics(alarm).highResolution);
    const total = standard.reduce((sum, alarm) => sum + alarmMetrics(alarm).metrics, 0);
    const billable = (metrics * Math.max(0, total - ctx.usage.freeTier.alarms)) / total;
    const free = ctx.usage.freeTier.alarms > 0 ? ` (of ${total} in the stack, ${qty(Math.min(total, ctx.usage.freeTier.alarms))} free)` : "";
    if (billable === 0) return [{ monthly: 0, basis: `${metrics} alarm metric: within the free 10${free}`, priceKeys: [] }];
    return [charge(ctx, "cloudwatch.alarmMonth", billable, `${qty(billable)} billable alarm metric${free}`)];
};

const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** A budget: per budget-day beyond the account's first two (usage `freeTier.budgets`), shared evenly over the plan's budgets. */
const budget: Rule = (resource, ctx) => {
    const count = ctx.index.ofType(resource.type).length;
    const billable = Math.max(0, count - ctx.usage.freeTier.budgets) / count;
    if (billable === 0) return [{ monthly: 0, basis: `one of the account's ${qty(ctx.usage.freeTier.budgets)} free budgets`, priceKeys: [] }];
    return [charge(ctx, "budgets.budgetDay", billable * DAYS_PER_MONTH, `${qty(billable)} budget × ${qty(DAYS_PER_MONTH)} days`)];
};

// --- Lambda ---

function lambdaRun(resource: DeploymentResource, ctx: RuleContext): { invocations: number; gbSeconds: number; arm: boolean } {
    const names = matchNames(resource);
    const seconds = Math.min(amountFor(ctx.usage.lambda.averageDurationSeconds, names), numberInput(resource, "timeout", 3));
    const invocations = amountFor(ctx.usage.lambda.invocationsPerMonth, names);
    const arm = listInput(resource, "architectures")[0] === "arm64";
    return { invocations, gbSeconds: invocations * seconds * (numberInput(resource, "memorySize", 128) / 1024), arm };
}

/**
 * A function: requests and GB-seconds (x86 or Arm) from usage `lambda.*`, less its share of the account's free 1M requests and
 * 400,000 GB-seconds a month (shared in proportion to each function's use).
 */
const lambdaFunction: Rule = (resource, ctx) => {
    const run = lambdaRun(resource, ctx);
    const all = ctx.index.ofType(resource.type).map((fn) => lambdaRun(fn, ctx));
    const free = ctx.usage.freeTier.lambdaAndSns;
    const part = (mine: number, total: number, allowance: number) => (total > 0 && free ? (mine * Math.max(0, total - allowance)) / total : mine);
    const requests = part(
        run.invocations,
        all.reduce((sum, r) => sum + r.invocations, 0),
        1_000_000,
    );
    const gbSeconds = part(
        run.gbSeconds,
        all.reduce((sum, r) => sum + r.gbSeconds, 0),
        400_000,
    );
    const what = `${qty(run.invocations)} invocations, ${qty(run.gbSeconds)} GB-s${run.arm ? " (Arm)" : ""}`;
    if (requests === 0 && gbSeconds === 0) return [{ monthly: 0, basis: `${what}: within the free tier`, priceKeys: [] }];
    return [
        charge(ctx, "lambda.requestsMillion", requests / 1e6, `${qty(requests / 1e6)} M requests`),
        charge(ctx, run.arm ? "lambda.armGbSecond" : "lambda.x86GbSecond", gbSeconds, `${qty(gbSeconds)} GB-s beyond the free tier (${what})`),
    ];
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
    [TYPE.wafv2WebAcl]: wafWebAcl,
    [TYPE.cloudtrailTrail]: cloudtrailTrail,
    [TYPE.snsTopic]: snsTopic,
    [TYPE.cloudwatchMetricAlarm]: metricAlarm,
    [TYPE.budgetsBudget]: budget,
    [TYPE.lambdaFunction]: lambdaFunction,
};

/** Tokens `policy-pack/policies/types.ts` lacks (string literals until the lead adds them to TYPE). */
const LISTENER_CERTIFICATE = "aws:lb/listenerCertificate:ListenerCertificate";
const EC2_TAG = "aws:ec2/tag:Tag";
/** A Kafka topic: no charge of its own (its data is broker storage). */
const MSK_TOPIC = "aws:msk/topic:Topic";

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
    // Edge: public ACM certificates and their validation are free (aws.amazon.com/certificate-manager/pricing); alias queries
    // to an ALB are free (aws.amazon.com/route53/pricing) and the hosted zone is the user's, not built here; target tracking is free.
    TYPE.acmCertificate,
    TYPE.acmCertificateValidation,
    TYPE.route53Record,
    TYPE.appautoscalingTarget,
    TYPE.appautoscalingPolicy,
    TYPE.wafv2WebAclAssociation,
    TYPE.wafv2WebAclLoggingConfiguration, // the logs are priced on their log group or bucket
    LISTENER_CERTIFICATE,
    // ECS on EC2: the capacity provider is free, its instances are priced on the auto scaling group.
    TYPE.ecsCapacityProvider,
    // Audit: subscriptions and policies are free; deliveries are priced on the topic, log ingestion on the log group.
    TYPE.snsTopicSubscription,
    TYPE.snsTopicPolicy,
    TYPE.cloudwatchLogResourcePolicy,
    // Lambda: invocations are priced on the function (usage lambda.invocationsPerMonth).
    TYPE.lambdaInvocation,
    TYPE.lambdaPermission,
    // EKS access management, cache users and groups, option groups: configuration, no charge.
    TYPE.eksAccessEntry,
    TYPE.eksAccessPolicyAssociation,
    TYPE.eksPodIdentityAssociation,
    TYPE.elasticacheParameterGroup,
    TYPE.elasticacheUser,
    TYPE.elasticacheUserGroup,
    TYPE.rdsOptionGroup,
    EC2_TAG,
    MSK_TOPIC,
]);

/** Free prefixes: IAM, S3 bucket sub-resources, Pulumi internals, components, random values. */
const FREE_PREFIXES = ["aws:iam/", "aws:s3/bucket", "pulumi:", "data-platform:", "random:"];

export function isFree(type: string): boolean {
    return FREE_TYPES.has(type) || FREE_PREFIXES.some((prefix) => type.startsWith(prefix));
}
