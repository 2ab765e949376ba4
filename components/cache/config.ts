import { logRetentionDays } from "../shared/config-fields";
import { z } from "zod";
import type { NetworkConfig } from "../network/config";
import { CACHE_ENGINES, CacheEngine, DEFAULT_ENGINE_VERSIONS, MAXMEMORY_POLICIES, NODE_TYPES, NodeType, engineVersionsOf } from "./versions";

export const CACHE_SUBNETS = ["database", "private"] as const;
export type CacheSubnets = (typeof CACHE_SUBNETS)[number];

/** ElastiCache replication groups hold a primary and up to 5 replicas. */
export const MAX_CACHE_NODES = 6;

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function clockMinutes(text: string): number | undefined {
    const match = CLOCK.exec(text);
    return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Length in minutes of `hh24:mi-hh24:mi` (wrapping midnight), or undefined when malformed. */
export function dailyWindowMinutes(window: string): number | undefined {
    const [from, to, ...rest] = window.split("-");
    const start = clockMinutes(from ?? "");
    const end = clockMinutes(to ?? "");
    if (rest.length > 0 || start === undefined || end === undefined) return undefined;
    return (end - start + 1440) % 1440;
}

/** Length in minutes of `ddd:hh24:mi-ddd:hh24:mi` (wrapping the week), or undefined when malformed. */
export function weeklyWindowMinutes(window: string): number | undefined {
    const bounds = window.split("-").map((bound) => {
        const day = DAYS.indexOf(bound.slice(0, 3) as (typeof DAYS)[number]);
        const clock = bound[3] === ":" ? clockMinutes(bound.slice(4)) : undefined;
        return day < 0 || clock === undefined ? undefined : day * 1440 + clock;
    });
    if (bounds.length !== 2 || bounds[0] === undefined || bounds[1] === undefined) return undefined;
    return (bounds[1] - bounds[0] + 7 * 1440) % (7 * 1440);
}

const snapshotWindow = z.string().refine((window) => (dailyWindowMinutes(window) ?? 0) >= 60, {
    message: "must be hh24:mi-hh24:mi in UTC, at least 60 minutes long (e.g. 03:00-04:00)",
});

const maintenanceWindow = z.string().refine((window) => {
    const minutes = weeklyWindowMinutes(window);
    return minutes !== undefined && minutes >= 60 && minutes <= 24 * 60;
}, "must be ddd:hh24:mi-ddd:hh24:mi in UTC (ddd one of sun, mon, tue, wed, thu, fri, sat), 60 minutes to 24 hours long (e.g. sun:05:00-sun:06:00)");

const engineVersion = z.string({
    error: (issue) =>
        typeof issue.input === "number"
            ? `write the version as a quoted string (YAML reads ${issue.input} as a number, and 8.0 as 8): e.g. "${DEFAULT_ENGINE_VERSIONS.redis}"`
            : 'must be a version string such as "7.1"',
});

const nodeType = z.string().refine((type) => (NODE_TYPES as readonly string[]).includes(type), {
    message: `not an ElastiCache node type this platform allows; allowed: ${NODE_TYPES.join(", ")}`,
});

const cacheFields = z.strictObject({
    logRetentionDays: logRetentionDays.default(30).describe("slow-log and engine-log group retention (a CloudWatch-allowed value)"),
    enabled: z
        .boolean()
        .default(false)
        .describe(
            "build the ElastiCache replication group. In-transit encryption (TLS required) and AUTH with the generated Redis password are always on: no key turns them off, so a token without TLS cannot be configured",
        ),
    engine: z
        .enum(CACHE_ENGINES, { error: `one of ${CACHE_ENGINES.join(", ")}` })
        .default("redis")
        .describe("cache engine: redis (Redis OSS) or valkey"),
    engineVersion: engineVersion
        .optional()
        .describe(
            `engine version, quoted: redis ${engineVersionsOf("redis").join(" | ")}; valkey ${engineVersionsOf("valkey").join(" | ")} (default ${DEFAULT_ENGINE_VERSIONS.redis} for redis, ${DEFAULT_ENGINE_VERSIONS.valkey} for valkey)`,
        ),
    nodeType: nodeType.default("cache.t4g.micro").describe(`node type, one of ${NODE_TYPES.join(", ")}`),
    nodes: z
        .number()
        .int()
        .min(1, `must be 1–${MAX_CACHE_NODES}: a primary plus up to ${MAX_CACHE_NODES - 1} replicas`)
        .max(MAX_CACHE_NODES, `must be 1–${MAX_CACHE_NODES}: a primary plus up to ${MAX_CACHE_NODES - 1} replicas`)
        .default(1)
        .describe(`cache clusters (nodes) in the replication group: the primary plus replicas, 1–${MAX_CACHE_NODES}`),
    automaticFailover: z.boolean().default(false).describe("promote a replica when the primary fails (needs nodes ≥ 2)"),
    multiAz: z.boolean().default(false).describe("place replicas in other AZs than the primary (needs nodes ≥ 2, automaticFailover and ≥ 2 AZs)"),
    snapshotRetentionDays: z
        .number()
        .int()
        .min(0, "must be 0–35 days (ElastiCache keeps automatic snapshots at most 35 days)")
        .max(35, "must be 0–35 days (ElastiCache keeps automatic snapshots at most 35 days)")
        .default(7)
        .describe("days automatic daily snapshots are kept, 0–35 (0 turns backups off, which the pack refuses)"),
    snapshotWindow: snapshotWindow.optional().describe("daily UTC snapshot window hh24:mi-hh24:mi, ≥ 60 minutes (default: ElastiCache chooses)"),
    maintenanceWindow: maintenanceWindow
        .optional()
        .describe("weekly UTC maintenance window ddd:hh24:mi-ddd:hh24:mi, 60 minutes to 24 hours (default: ElastiCache chooses)"),
    maxmemoryPolicy: z
        .enum(MAXMEMORY_POLICIES, { error: `one of ${MAXMEMORY_POLICIES.join(", ")}` })
        .default("allkeys-lru")
        .describe("eviction policy when memory is full (parameter group `maxmemory-policy`); allkeys-lru suits a cache, noeviction a store"),
    subnets: z
        .enum(CACHE_SUBNETS, { error: `one of ${CACHE_SUBNETS.join(", ")}` })
        .default("database")
        .describe("subnets of the cache subnet group: database (needs network.databaseSubnetCidrs) or private"),
});

type CacheFields = z.infer<typeof cacheFields>;

/** Impossible combinations inside the section. */
function checkCache(cache: CacheFields, ctx: z.RefinementCtx): void {
    const version = cache.engineVersion;
    if (version !== undefined && !engineVersionsOf(cache.engine).includes(version)) {
        ctx.addIssue({
            code: "custom",
            path: ["engineVersion"],
            message: `not an allowed ${cache.engine} version; allowed for ${cache.engine}: ${engineVersionsOf(cache.engine).join(", ")} (for ${otherEngine(cache.engine)}: ${engineVersionsOf(otherEngine(cache.engine)).join(", ")})`,
        });
    }
    for (const key of ["automaticFailover", "multiAz"] as const) {
        if (cache[key] && cache.nodes < 2) {
            ctx.addIssue({
                code: "custom",
                path: [key],
                message: `needs a replica to fail over to: set cache.nodes to 2–${MAX_CACHE_NODES} (it is ${cache.nodes}), or ${key}: false`,
            });
        }
    }
    if (cache.multiAz && !cache.automaticFailover) {
        ctx.addIssue({
            code: "custom",
            path: ["multiAz"],
            message: "ElastiCache Multi-AZ requires automatic failover: set cache.automaticFailover: true",
        });
    }
}

function otherEngine(engine: CacheEngine): CacheEngine {
    return engine === "redis" ? "valkey" : "redis";
}

/** `data-platform:cache`: the ElastiCache (Redis OSS or Valkey) replication group. */
export const cacheSchema = cacheFields.superRefine(checkCache).transform((cache) => ({
    ...cache,
    engineVersion: cache.engineVersion ?? DEFAULT_ENGINE_VERSIONS[cache.engine],
    nodeType: cache.nodeType as NodeType,
}));

export type CacheConfig = z.output<typeof cacheSchema>;

type Problem = { path: (string | number)[]; message: string };

/** What the cache needs from the network: database subnets when it asks for them, two AZs for Multi-AZ. */
export function cacheProblems(network: NetworkConfig, cache: CacheConfig): Problem[] {
    if (!cache.enabled) return [];
    const problems: Problem[] = [];
    if (cache.subnets === "database" && network.databaseSubnetCidrs.length === 0) {
        problems.push({
            path: ["cache", "subnets"],
            message: "the stack has no database subnets: set network.databaseSubnetCidrs (one per AZ), or cache.subnets: private",
        });
    }
    const azs = network.availabilityZones;
    if (cache.multiAz && azs.length < 2) {
        problems.push({
            path: ["cache", "multiAz"],
            message: `Multi-AZ needs subnets in at least 2 AZs, but network.availabilityZones has ${azs.length} (${azs.join(", ")}): add an AZ, or cache.multiAz: false`,
        });
    }
    return problems;
}
