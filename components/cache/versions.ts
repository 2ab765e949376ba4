/**
 * The one table of what the cache tier may ask ElastiCache for: engine versions with their
 * parameter-group family, and node types. Anything else is refused in config, naming these values.
 *
 * Engine versions and families: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html
 * and https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html ("Valkey 8.2 / 8.1 / 8.0 parameter
 * changes — Parameter group family: valkey8"; "Valkey 7.2 parameters are the same as Redis OSS 7": family valkey7; the
 * CreateCacheParameterGroup families include valkey7, valkey8 and redis7). From 7 on, ElastiCache takes `major.minor` as
 * EngineVersion (`7.1`, `8.0`), never a patch or `7.x` (@pulumi/aws elasticache/replicationGroup.d.ts, engineVersion).
 * Valkey 9.x is left out until its family name is confirmed in AWS's own documentation.
 */

export const CACHE_ENGINES = ["redis", "valkey"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/** EngineVersion string → parameter-group family, per engine. Only versions with TLS-required mode and log delivery (≥ 7.0.5). */
export const ENGINE_VERSIONS: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
    redis: { "7.0": "redis7", "7.1": "redis7" },
    valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8" },
};

/** The version an engine gets when config names none: the newest Redis OSS, and the newest widely available Valkey 8. */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<CacheEngine, string>> = { redis: "7.1", valkey: "8.1" };

/** The engine versions config may name for an engine. */
export function engineVersionsOf(engine: CacheEngine): string[] {
    return Object.keys(ENGINE_VERSIONS[engine]);
}

/** The parameter-group family of an allowed engine version; throws for anything outside the table (config refuses it first). */
export function parameterGroupFamily(engine: CacheEngine, version: string): string {
    const family = ENGINE_VERSIONS[engine][version];
    if (!family) throw new Error(`${engine} ${version} is not an allowed ElastiCache version; allowed: ${engineVersionsOf(engine).join(", ")}`);
    return family;
}

/**
 * Current-generation node types (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html):
 * burstable T4g (Graviton) and T3 for small stacks, general-purpose M7g/M6g and memory-optimised R7g/R6g for production.
 * Every one supports Redis OSS 7 / Valkey, in-transit encryption and Multi-AZ with automatic failover (T1/T2 do not).
 */
export const NODE_TYPES = [
    "cache.t4g.micro",
    "cache.t4g.small",
    "cache.t4g.medium",
    "cache.t3.micro",
    "cache.t3.small",
    "cache.t3.medium",
    "cache.m7g.large",
    "cache.m7g.xlarge",
    "cache.m7g.2xlarge",
    "cache.m6g.large",
    "cache.m6g.xlarge",
    "cache.r7g.large",
    "cache.r7g.xlarge",
    "cache.r7g.2xlarge",
    "cache.r6g.large",
    "cache.r6g.xlarge",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Eviction policies Redis OSS and Valkey accept for `maxmemory-policy`. */
export const MAXMEMORY_POLICIES = [
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];
