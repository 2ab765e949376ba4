/**
 * The one table of what the database tier may ask RDS for: engine versions with their parameter-group
 * family, instance classes, Performance Insights retention periods and Enhanced Monitoring intervals.
 * Anything else is refused in config, naming these values.
 *
 * Engine versions (checked December 2026):
 * - PostgreSQL 17.9 and 16.13: "Amazon RDS for PostgreSQL supports minor versions 18.3, 17.9, 16.13, 15.17 and 14.22"
 *   (https://aws.amazon.com/about-aws/whats-new/2026/02/rds-minor-version-18-3-17-9-16-13-15-17-14-22/; aws-cdk
 *   PostgresEngineVersion VER_17_9 / VER_16_13). 16.5–16.8 and 17.1–17.4 reached RDS end of standard support on
 *   2026-05-31, which is why nothing older is listed. PostgreSQL 18 is left out: its log_connections became a list
 *   parameter, and the values the postgres18 family accepts are not confirmed in AWS's own documentation yet.
 * - MySQL 8.4.10: current RDS minor (aws-cdk MysqlEngineVersion VER_8_4_10, `describe-db-engine-versions` of 2026-07),
 *   RDS end of standard support 2027-07-07. MySQL 8.0 is left out: it left RDS standard support on 2026-07-31, so a
 *   new 8.0 instance is enrolled in (paid) RDS Extended Support.
 * Families are `postgres<major>` and `mysql<major.minor>` (CreateDBParameterGroup DBParameterGroupFamily).
 */

export const DATABASE_ENGINES = ["postgres", "mysql"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export interface EngineVersionSpec {
    /** DB parameter group family of the version. */
    readonly family: string;
    /** Major version, as option groups name it (`MajorEngineVersion`). */
    readonly major: string;
}

export const ENGINE_VERSIONS: Readonly<Record<DatabaseEngine, Readonly<Record<string, EngineVersionSpec>>>> = {
    postgres: {
        "17.9": { family: "postgres17", major: "17" },
        "16.13": { family: "postgres16", major: "16" },
    },
    mysql: {
        "8.4.10": { family: "mysql8.4", major: "8.4" },
    },
};

/** The version an engine gets when config names none: the newest listed. */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<DatabaseEngine, string>> = { postgres: "17.9", mysql: "8.4.10" };

/** The engine versions config may name for an engine. */
export function engineVersionsOf(engine: DatabaseEngine): string[] {
    return Object.keys(ENGINE_VERSIONS[engine]);
}

/** The table entry of an allowed engine version; throws for anything outside the table (config refuses it first). */
export function engineVersionSpec(engine: DatabaseEngine, version: string): EngineVersionSpec {
    const spec = ENGINE_VERSIONS[engine][version];
    if (!spec) throw new Error(`${engine} ${version} is not an allowed RDS version; allowed: ${engineVersionsOf(engine).join(", ")}`);
    return spec;
}

export interface InstanceClassSpec {
    readonly vcpus: number;
    readonly memoryGiB: number;
    /** Burstable (CPU credits): fine for staging, not for sustained production load. */
    readonly burstable: boolean;
}

/**
 * Graviton classes for RDS for PostgreSQL 16/17 and MySQL 8.4
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html): burstable T4g for
 * small stacks, general-purpose M7g/M6g and memory-optimised R7g/R6g for production. Sizes as AWS publishes them
 * (https://aws.amazon.com/rds/instance-types/). M7g/R7g are not offered in every region; M6g/R6g are the fallback.
 */
export const INSTANCE_CLASSES: Readonly<Record<string, InstanceClassSpec>> = {
    "db.t4g.micro": { vcpus: 2, memoryGiB: 1, burstable: true },
    "db.t4g.small": { vcpus: 2, memoryGiB: 2, burstable: true },
    "db.t4g.medium": { vcpus: 2, memoryGiB: 4, burstable: true },
    "db.t4g.large": { vcpus: 2, memoryGiB: 8, burstable: true },
    "db.m7g.large": { vcpus: 2, memoryGiB: 8, burstable: false },
    "db.m7g.xlarge": { vcpus: 4, memoryGiB: 16, burstable: false },
    "db.m7g.2xlarge": { vcpus: 8, memoryGiB: 32, burstable: false },
    "db.m6g.large": { vcpus: 2, memoryGiB: 8, burstable: false },
    "db.m6g.xlarge": { vcpus: 4, memoryGiB: 16, burstable: false },
    "db.r7g.large": { vcpus: 2, memoryGiB: 16, burstable: false },
    "db.r7g.xlarge": { vcpus: 4, memoryGiB: 32, burstable: false },
    "db.r7g.2xlarge": { vcpus: 8, memoryGiB: 64, burstable: false },
    "db.r6g.large": { vcpus: 2, memoryGiB: 16, burstable: false },
    "db.r6g.xlarge": { vcpus: 4, memoryGiB: 32, burstable: false },
};
export const INSTANCE_CLASS_NAMES = Object.keys(INSTANCE_CLASSES);

/**
 * Classes on which RDS for MySQL has no Performance Insights / Database Insights
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html: db.t2/t3/t4g micro and
 * small). RDS for PostgreSQL has no such restriction. Performance Insights is always on here, so MySQL refuses them.
 */
export const NO_PERFORMANCE_INSIGHTS: Readonly<Record<DatabaseEngine, readonly string[]>> = {
    postgres: [],
    mysql: ["db.t4g.micro", "db.t4g.small"],
};

/**
 * Performance Insights retention in days: 7 (the free tier), 31 × months for 1–23 months, or 731 (two years)
 * (CreateDBInstance PerformanceInsightsRetentionPeriod: "If you specify a retention period that isn't valid, such as
 * 94, Amazon RDS issues an error"). Kept by the Standard mode of Database Insights after Performance Insights' console
 * end of life on 2026-07-31.
 */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS: readonly number[] = [7, ...Array.from({ length: 23 }, (_, index) => 31 * (index + 1)), 731];

/** Enhanced Monitoring intervals in seconds (MonitoringInterval; 0, which turns it off, is not offered). */
export const MONITORING_INTERVALS_SECONDS = [1, 5, 10, 15, 30, 60] as const;

/** gp3 storage limits of RDS for PostgreSQL and MySQL, GiB (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html). */
export const GP3_MIN_GIB = 20;
export const GP3_MAX_GIB = 65536;
/** "Set the maximum storage threshold to at least 10% more than the current allocated storage" (USER_PIOPS.Autoscaling). */
export const AUTOSCALING_HEADROOM_PERCENT = 10;
