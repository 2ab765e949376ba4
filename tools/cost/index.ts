import { CostItem, CostReport, DeploymentResource } from "../deployment";
import { readStackFile } from "../stack-files";
import { MissingPriceError, PRICE_TABLES, PriceEntry, PriceKey } from "./prices";
import { ResourceIndex, displayName } from "./resources";
import { Charge, RULES, RuleContext, isFree, usd } from "./rules";
import { Usage, loadUsageFile } from "./usage";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * Monthly cost estimate of a plan: every resource whose type has a pricing
 * rule becomes one item (tier, resource, monthly USD, basis). Counts, sizes and
 * flags come from the resources' inputs; traffic and storage assumptions come
 * from `usage/<stack>.yaml`; prices from `prices.ts`.
 */

export { loadUsage, loadUsageFile, parseUsage, usageFile, LoadedUsage, Usage } from "./usage";
export { PRICE_TABLES, PRICED_REGIONS, HOURS_PER_MONTH, isPricedRegion } from "./prices";

/**
 * The reference estimate the dev stack is compared with: the monthly cost breakdown of the
 * Terraform data platform this program reproduces ("Total: ~$40-60/month (development)",
 * with both hosts on t3.small).
 */
export const REFERENCE_DEV_ESTIMATE = {
    lowUsd: 40,
    highUsd: 60,
    source: "the cost breakdown of the Terraform data platform this program reproduces, which puts both hosts on t3.small",
} as const;

export interface PricedItem extends CostItem {
    readonly tier: string;
    readonly name: string;
    /** The item always on, where the plan's stop/start schedules shorten its hours (else absent). */
    readonly alwaysOnMonthly?: number;
}

/**
 * Instances the plan stops and starts on a schedule: what they cost as scheduled (hours, public
 * IPv4 hours, volumes) and always on, and the stack total both ways.
 */
export interface ScheduledHosts {
    readonly instances: number;
    readonly scheduledMonthly: number;
    readonly alwaysOnMonthly: number;
    readonly monthlyTotalAlwaysOn: number;
}

export interface ReferenceComparison {
    readonly lowUsd: number;
    readonly highUsd: number;
    readonly source: string;
    /** Total minus the nearest end of the reference range; 0 when inside it. */
    readonly differenceUsd: number;
    readonly summary: string;
}

export interface DetailedCostReport extends CostReport {
    readonly stack: string;
    readonly region: string;
    readonly items: readonly PricedItem[];
    readonly byTier: Readonly<Record<string, number>>;
    readonly usage: Usage;
    /** Where the usage assumptions came from, in words. */
    readonly usageSource: string;
    readonly referenceEstimate: ReferenceComparison;
    /** Types in the plan with neither a pricing rule nor a known-free entry, and resources whose price entry is missing. */
    readonly unpriced: readonly string[];
    /** The price entries this estimate used, with their sources. */
    readonly prices: Readonly<Record<string, PriceEntry>>;
    /** Present when the plan's schedules stop and start instances. */
    readonly scheduledHosts?: ScheduledHosts;
}

export interface EstimateOptions {
    /** Defaults to `aws:region` of `Pulumi.<stack>.yaml`. */
    readonly region?: string;
    /** Defaults to `usage/<stack>.yaml` (or the schema defaults). */
    readonly usage?: Usage;
    /** Where `usage` came from, for the report (default: "given by the caller"). */
    readonly usageSource?: string;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function estimateCost(resources: readonly DeploymentResource[], stack: string, options: EstimateOptions = {}): DetailedCostReport {
    const region = options.region ?? stackRegion(stack);
    const loaded = options.usage ? { usage: options.usage, source: options.usageSource ?? "given by the caller" } : loadUsageFile(stack);
    const usage = loaded.usage;
    const index = new ResourceIndex(resources);
    const ctx: RuleContext = { region, usage, index };

    const items: PricedItem[] = [];
    const usedKeys = new Set<PriceKey>();
    const unpriced = new Set<string>();
    for (const resource of resources) {
        const rule = RULES[resource.type];
        if (!rule) {
            // Components (awsx included) bill nothing themselves; their children are priced.
            if (resource.custom && !isFree(resource.type)) unpriced.add(resource.type);
            continue;
        }
        let charges: Charge[];
        try {
            charges = rule(resource, ctx);
        } catch (error) {
            // A price the table lacks is reported, never guessed; a missing region table still fails.
            if (!(error instanceof MissingPriceError) || !PRICE_TABLES[region]) throw error;
            unpriced.add(`${resource.type} (${error.key}: no price entry for ${region})`);
            continue;
        }
        if (charges.length === 0) continue;
        charges.forEach((c) => c.priceKeys.forEach((key) => usedKeys.add(key)));
        const scheduled = charges.some((c) => c.alwaysOnMonthly !== undefined);
        items.push({
            urn: resource.urn,
            type: resource.type,
            tier: index.tierOf(resource),
            name: displayName(resource),
            monthly: round2(charges.reduce((sum, c) => sum + c.monthly, 0)),
            basis: charges.map((c) => c.basis).join(" + "),
            ...(scheduled ? { alwaysOnMonthly: round2(charges.reduce((sum, c) => sum + (c.alwaysOnMonthly ?? c.monthly), 0)) } : {}),
        });
    }
    items.sort((a, b) => a.tier.localeCompare(b.tier) || b.monthly - a.monthly || a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn));

    const byTier: Record<string, number> = {};
    for (const item of items) byTier[item.tier] = round2((byTier[item.tier] ?? 0) + item.monthly);
    const monthlyTotal = round2(items.reduce((sum, item) => sum + item.monthly, 0));
    const table = PRICE_TABLES[region];
    const onSchedule = items.filter((item) => item.alwaysOnMonthly !== undefined);
    const scheduledHosts: ScheduledHosts | undefined =
        onSchedule.length === 0
            ? undefined
            : {
                  instances: onSchedule.length,
                  scheduledMonthly: round2(onSchedule.reduce((sum, item) => sum + item.monthly, 0)),
                  alwaysOnMonthly: round2(onSchedule.reduce((sum, item) => sum + (item.alwaysOnMonthly ?? item.monthly), 0)),
                  monthlyTotalAlwaysOn: round2(items.reduce((sum, item) => sum + (item.alwaysOnMonthly ?? item.monthly), 0)),
              };
    return {
        currency: "USD",
        monthlyTotal,
        items,
        stack,
        region,
        byTier,
        usage,
        usageSource: loaded.source,
        referenceEstimate: compareWithReference(monthlyTotal),
        unpriced: [...unpriced].sort(),
        prices: Object.fromEntries([...usedKeys].sort().map((key) => [key, table[key]])),
        ...(scheduledHosts ? { scheduledHosts } : {}),
    };
}

/** "hosts on a schedule: $X/month; always on: $Y/month (stack: $T, always on $A)". */
export function describeScheduledHosts(hosts: ScheduledHosts, monthlyTotal: number): string {
    return (
        `Hosts on a schedule (${hosts.instances} ${hosts.instances === 1 ? "instance" : "instances"}): ${usd(hosts.scheduledMonthly)}/month; ` +
        `always on: ${usd(hosts.alwaysOnMonthly)}/month (stack total ${usd(monthlyTotal)}/month; with the hosts always on ${usd(hosts.monthlyTotalAlwaysOn)}/month).`
    );
}

function stackRegion(stack: string): string {
    const region = readStackFile(stack).config["aws:region"];
    if (!region) throw new Error(`Pulumi.${stack}.yaml sets no aws:region`);
    return region;
}

export function compareWithReference(total: number): ReferenceComparison {
    const { lowUsd, highUsd, source } = REFERENCE_DEV_ESTIMATE;
    const differenceUsd = round2(total > highUsd ? total - highUsd : total < lowUsd ? total - lowUsd : 0);
    const summary =
        differenceUsd === 0
            ? `within the reference estimate for dev of $${lowUsd}–${highUsd}/month`
            : `${usd(Math.abs(differenceUsd))}/month ${differenceUsd > 0 ? "above" : "below"} the reference estimate for dev of $${lowUsd}–${highUsd}/month`;
    return { lowUsd, highUsd, source, differenceUsd, summary };
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

function isDetailed(report: CostReport): report is DetailedCostReport {
    return typeof report.byTier === "object" && Array.isArray(report.items) && report.items.every((item) => "tier" in item);
}

function pad(text: string, width: number, right = false): string {
    return right ? text.padStart(width) : text.padEnd(width);
}

/** The plan's cost table: by tier and resource, monthly cost, basis, tier subtotals, total, reference comparison. */
export function formatCostTable(report: CostReport): string {
    const items = report.items.map((item) => ({
        tier: isDetailed(report) ? (item as PricedItem).tier : "-",
        name: (item as Partial<PricedItem>).name ?? item.urn,
        monthly: item.monthly,
        basis: item.basis,
    }));
    const tierWidth = Math.max(4, ...items.map((i) => i.tier.length));
    const nameWidth = Math.min(48, Math.max(8, ...items.map((i) => i.name.length)));
    const moneyWidth = Math.max(9, ...items.map((i) => usd(i.monthly).length), usd(report.monthlyTotal).length);
    const header = `${pad("tier", tierWidth)}  ${pad("resource", nameWidth)}  ${pad("$/month", moneyWidth, true)}  basis`;
    const lines = [
        `Estimated monthly cost${isDetailed(report) ? ` — stack ${report.stack}, ${report.region}, on-demand list prices` : ""}`,
        header,
        "-".repeat(header.length + 20),
    ];
    let currentTier: string | undefined;
    const byTier = isDetailed(report) ? report.byTier : {};
    for (const item of items) {
        if (currentTier !== undefined && item.tier !== currentTier && isDetailed(report)) {
            lines.push(`${pad("", tierWidth)}  ${pad(`  ${currentTier} subtotal`, nameWidth)}  ${pad(usd(byTier[currentTier]), moneyWidth, true)}`);
        }
        currentTier = item.tier;
        const name = item.name.length > nameWidth ? `${item.name.slice(0, nameWidth - 1)}…` : item.name;
        lines.push(`${pad(item.tier, tierWidth)}  ${pad(name, nameWidth)}  ${pad(usd(item.monthly), moneyWidth, true)}  ${item.basis}`);
    }
    if (currentTier !== undefined && isDetailed(report)) {
        lines.push(`${pad("", tierWidth)}  ${pad(`  ${currentTier} subtotal`, nameWidth)}  ${pad(usd(byTier[currentTier]), moneyWidth, true)}`);
    }
    lines.push("-".repeat(header.length + 20));
    lines.push(`${pad("TOTAL", tierWidth + nameWidth + 2)}  ${pad(usd(report.monthlyTotal), moneyWidth, true)}  ${report.currency}/month`);
    if (isDetailed(report)) {
        if (report.scheduledHosts) lines.push(describeScheduledHosts(report.scheduledHosts, report.monthlyTotal));
        lines.push(`Reference estimate: ${report.referenceEstimate.summary} (${report.referenceEstimate.source}).`);
        lines.push(`Usage assumptions (${report.usageSource}): ${describeUsage(report.usage, new Set(report.items.map((item) => item.type)))}.`);
        if (report.unpriced.length > 0)
            lines.push(`NOT PRICED (add a rule in tools/cost/rules.ts or an entry in tools/cost/prices.ts): ${report.unpriced.join("; ")}.`);
    }
    return lines.join("\n");
}

/** The usage assumptions that price something this stack builds, each with the types it applies to. */
function describeUsage(usage: Usage, types: ReadonlySet<string>): string {
    const named = (map: Readonly<Record<string, number>>) =>
        Object.entries(map)
            .map(([key, value]) => `${key} ${value}`)
            .join(", ");
    const free = [
        [`${usage.freeTier.alarms} alarms`, [TYPE.cloudwatchMetricAlarm]],
        [`${usage.freeTier.budgets} budgets`, [TYPE.budgetsBudget]],
        [`management-events copy ${usage.freeTier.managementEventsCopy ? "yes" : "no"}`, [TYPE.cloudtrailTrail]],
        [`Lambda/SNS ${usage.freeTier.lambdaAndSns ? "yes" : "no"}`, [TYPE.lambdaFunction, TYPE.snsTopic]],
    ] as const;
    const assumptions: (readonly [string, readonly string[]])[] = [
        [`S3 GB stored {${named(usage.s3StoredGb)}}`, [TYPE.s3Bucket, TYPE.s3BucketV2]],
        [`ECR GB stored {${named(usage.ecrStoredGb)}}`, [TYPE.ecrRepository]],
        [`logs ${usage.logsIngestedGbPerMonth} GB/month`, [TYPE.cloudwatchLogGroup]],
        [`NAT ${usage.natGbProcessedPerMonth} GB/month`, [TYPE.ec2NatGateway]],
        [`interface endpoints ${usage.interfaceEndpointGbPerMonth} GB/month`, [TYPE.ec2VpcEndpoint]],
        [`ALB ${usage.albLcus} LCU`, [TYPE.lbLoadBalancer, TYPE.albLoadBalancer]],
        [`Glue jobs ${usage.glue.jobRunsPerMonth} runs × ${usage.glue.jobRunMinutes} min`, [TYPE.glueJob]],
        [`crawlers ${usage.glue.crawlerRunsPerMonth} runs × ${usage.glue.crawlerRunMinutes} min × ${usage.glue.crawlerDpus} DPU`, [TYPE.glueCrawler]],
        [`scaled-to-zero services ${usage.ecs.scaledToZeroServiceHoursPerMonth} task-h/month`, [TYPE.ecsService]],
        [`one-off tasks ${usage.ecs.standaloneTaskHoursPerMonth} h/month each`, [TYPE.ecsTaskDefinition]],
        [`WAF ${usage.wafRequestsMillionsPerMonth} M requests/month`, [TYPE.wafv2WebAcl]],
        [`RDS backups beyond free {${named(usage.rds.backupGbBeyondFree)}} GB`, [TYPE.rdsInstance]],
        [`cache snapshots beyond free {${named(usage.cache.backupGbBeyondFree)}} GB`, [TYPE.elasticacheReplicationGroup, TYPE.elasticacheCluster]],
        [
            `CloudTrail ${usage.cloudtrail.managementEventsPerMonth} management + ${usage.cloudtrail.dataEventsPerMonth} data events/month`,
            [TYPE.cloudtrailTrail],
        ],
        [`SNS ${usage.sns.publishesPerMonth} publishes + ${usage.sns.emailNotificationsPerMonth} emails/month`, [TYPE.snsTopic]],
        [
            `Lambda {${named(usage.lambda.invocationsPerMonth)}} invocations × {${named(usage.lambda.averageDurationSeconds)}} s`,
            [TYPE.lambdaFunction],
        ],
    ];
    const built = (applies: readonly string[]) => applies.some((type) => types.has(type));
    const freeTier = free.filter(([, applies]) => built(applies)).map(([text]) => text);
    return [
        ...assumptions.filter(([, applies]) => built(applies)).map(([text]) => text),
        ...(freeTier.length > 0 ? [`free tier: ${freeTier.join(", ")}`] : []),
    ].join("; ");
}

// ---------------------------------------------------------------------------
// Budget
// ---------------------------------------------------------------------------

export interface Budget {
    readonly monthlyUsd?: number;
    readonly enforce: boolean;
}

/**
 * Compares the estimate with `data-platform:budget`. `over` is true whenever the
 * total exceeds the budget; the caller fails the plan as a config error only
 * when `enforce` is set (the message says which).
 */
export function checkBudget(report: CostReport, budget: Budget): { over: boolean; message?: string } {
    if (budget.monthlyUsd === undefined) return { over: false };
    const limit = budget.monthlyUsd;
    if (report.monthlyTotal <= limit) {
        return { over: false, message: `Estimated ${usd(report.monthlyTotal)}/month is within data-platform:budget.monthlyUsd ${usd(limit)}.` };
    }
    const excess = report.monthlyTotal - limit;
    const consequence = budget.enforce
        ? "data-platform:budget.enforce is true: this is a config error."
        : "advisory only (set data-platform:budget.enforce: true to fail the plan).";
    return {
        over: true,
        message: `Estimated ${usd(report.monthlyTotal)}/month exceeds data-platform:budget.monthlyUsd ${usd(limit)} by ${usd(excess)}: ${consequence}`,
    };
}
