import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { z } from "zod";
import { ROOT_DIR } from "../run-program";

/**
 * Usage assumptions: what the resources' inputs cannot say (GB stored, runs a
 * month, traffic). One file per stack, `usage/<stack>.yaml`; every key is
 * optional and the defaults below are printed with the report.
 *
 * Maps written `{ default: n, <name>: n }` are matched against each resource's
 * `Name` tag (logical name when untagged): the longest key it contains wins,
 * else `default`.
 */

const amount = z.number().min(0);
const byName = z.record(z.string(), amount).refine((map) => "default" in map, { message: "needs a `default` entry" });

export const usageSchema = z.strictObject({
    /** GB kept in S3 Standard, per bucket. */
    s3StoredGb: byName.default({ default: 1 }),
    /** GB of images kept, per ECR repository (after lifecycle expiry). */
    ecrStoredGb: byName.default({ default: 0.5 }),
    /** GB a month written to CloudWatch Logs, across all log groups (split evenly). */
    logsIngestedGbPerMonth: amount.default(1),
    /** GB a month through NAT gateways, across all of them (split evenly). */
    natGbProcessedPerMonth: amount.default(10),
    /** GB a month through interface endpoints, across all of them. */
    interfaceEndpointGbPerMonth: amount.default(1),
    /** Average load balancer capacity units per ALB. */
    albLcus: amount.default(1),
    glue: z
        .strictObject({
            jobRunsPerMonth: amount.default(30),
            /** Average run length; capped by each job's own timeout. */
            jobRunMinutes: amount.default(10),
            crawlerRunsPerMonth: amount.default(30),
            /** Billed with a 10-minute minimum per run. */
            crawlerRunMinutes: amount.default(10),
            /** DPUs a crawler run uses (AWS sizes crawlers itself). */
            crawlerDpus: amount.default(2),
        })
        .prefault({}),
    /** Requests a month through all WAF web ACLs, in millions (split evenly across them). */
    wafRequestsMillionsPerMonth: amount.default(1),
    rds: z
        .strictObject({
            /**
             * GB of backups per DB instance beyond the free allowance (100% of the Region's provisioned storage); 0 for 7–30 days of
             * automated backups of a small database.
             */
            backupGbBeyondFree: byName.default({ default: 0 }),
        })
        .prefault({}),
    cache: z
        .strictObject({
            /** GB of snapshots per cache beyond the free allowance (snapshots retained within the free allowance cost nothing). */
            backupGbBeyondFree: byName.default({ default: 0 }),
        })
        .prefault({}),
    cloudtrail: z
        .strictObject({
            /** Management events a month a trail records (billed only for a trail that is not the account's first copy). */
            managementEventsPerMonth: amount.default(100000),
            /** Data events a month, across all trails that select data events (split evenly). */
            dataEventsPerMonth: amount.default(0),
        })
        .prefault({}),
    sns: z
        .strictObject({
            /** Publishes a month across all topics (split evenly; alarms and budget alerts are a handful). */
            publishesPerMonth: amount.default(1000),
            /** Email notifications delivered a month across all topics (split evenly). */
            emailNotificationsPerMonth: amount.default(200),
        })
        .prefault({}),
    lambda: z
        .strictObject({
            /** Invocations a month per function (the streaming topic creator runs on deploys only). */
            invocationsPerMonth: byName.default({ default: 10 }),
            /** Average run, in seconds; capped by each function's own timeout. */
            averageDurationSeconds: byName.default({ default: 30 }),
        })
        .prefault({}),
    /**
     * The account's always-free allowances this stack may count on. AWS grants them per account, so a stack
     * that shares its account with others (staging beside prod) should claim only its part.
     */
    freeTier: z
        .strictObject({
            /** Standard-resolution alarm metrics of the 10 free a month (default 10: this stack is the account's only alarms). */
            alarms: amount.max(10).default(10),
            /** Budgets of the 2 free (default 2). */
            budgets: amount.max(2).default(2),
            /** Whether this stack's first trail delivers the account's free copy of management events (no organization trail elsewhere). */
            managementEventsCopy: z.boolean().default(true),
            /** Whether the monthly Lambda (1M requests, 400,000 GB-s) and SNS (1M requests, 1,000 emails) allowances apply. */
            lambdaAndSns: z.boolean().default(true),
        })
        .prefault({}),
    ecs: z
        .strictObject({
            /** Task-hours a month of services whose desired count is 0 (scaled up by hand or by autoscaling). */
            scaledToZeroServiceHoursPerMonth: amount.default(0),
            /** Hours a month each task definition no service uses runs as a one-off task. */
            standaloneTaskHoursPerMonth: amount.default(0),
        })
        .prefault({}),
});

export type Usage = z.infer<typeof usageSchema>;
export type NamedAmounts = Readonly<Record<string, number>>;

export const USAGE_DIR = path.join(ROOT_DIR, "usage");

export function usageFile(stack: string): string {
    return path.join(USAGE_DIR, `${stack}.yaml`);
}

export class UsageError extends Error {}

/** Parses usage assumptions (object from YAML); errors name the key and what is allowed. */
export function parseUsage(raw: unknown, source = "usage"): Usage {
    const result = usageSchema.safeParse(raw ?? {});
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `  - ${issue.path.join(".") || "(root)"}: ${issue.message}`);
        throw new UsageError(`Invalid ${source}:\n${problems.join("\n")}`);
    }
    return result.data;
}

/** Usage assumptions and where they came from. */
export interface LoadedUsage {
    readonly usage: Usage;
    /** `usage/<stack>.yaml` (relative to the repository) when the stack has one. */
    readonly file?: string;
    /** In words: "usage/dev.yaml, defaults where unset" or "the defaults: there is no usage/mine.yaml". */
    readonly source: string;
}

/** Reads `usage/<stack>.yaml`; a stack without a file gets the defaults, and says so. */
export function loadUsageFile(stack: string): LoadedUsage {
    const file = usageFile(stack);
    const relative = path.relative(ROOT_DIR, file);
    if (!fs.existsSync(file)) return { usage: parseUsage({}, "the default usage"), source: `the defaults: there is no ${relative}` };
    let raw: unknown;
    try {
        raw = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`${relative} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
    return { usage: parseUsage(raw, relative), file: relative, source: `${relative}, defaults where unset` };
}

/** Reads `usage/<stack>.yaml`; a stack without a file gets the defaults. */
export function loadUsage(stack: string): Usage {
    return loadUsageFile(stack).usage;
}

/** The amount for a resource from a `{ default, <name>: n }` map. */
export function amountFor(map: NamedAmounts, names: readonly string[]): number {
    const keys = Object.keys(map)
        .filter((key) => key !== "default" && names.some((name) => name.includes(key)))
        .sort((a, b) => b.length - a.length || a.localeCompare(b));
    return keys.length > 0 ? map[keys[0]] : map.default;
}
