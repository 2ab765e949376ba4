import { logRetentionDays } from "../shared/config-fields";
import { z } from "zod";
import type { NetworkConfig } from "../network/config";
import {
    AUTOSCALING_HEADROOM_PERCENT,
    DATABASE_ENGINES,
    DEFAULT_ENGINE_VERSIONS,
    DatabaseEngine,
    GP3_MAX_GIB,
    GP3_MIN_GIB,
    INSTANCE_CLASS_NAMES,
    MONITORING_INTERVALS_SECONDS,
    NO_PERFORMANCE_INSIGHTS,
    PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    engineVersionsOf,
} from "./versions";

/**
 * Names RDS or the engines keep for themselves (CreateDBInstance MasterUsername: "Can't be a reserved word for the
 * chosen database engine"; RDS's own rdsadmin / rdsrepladmin / rdsproxyadmin accounts and roles).
 */
export const RESERVED_USER_NAMES = ["rdsadmin", "rdsrepladmin", "rdsproxyadmin", "rds_superuser", "rds_iam", "rds_replication", "root", "mysql"];
/** Databases the engines create themselves (PostgreSQL's templates and maintenance database, MySQL's system schemas). */
export const RESERVED_DATABASE_NAMES = ["postgres", "template0", "template1", "rdsadmin", "mysql", "sys", "information_schema", "performance_schema"];

/** 1–16 characters, a letter first, then letters, digits or underscores: valid as a master user for both engines. */
const USER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
/** 1–63 characters, a letter first, then letters, digits or underscores (PostgreSQL's limit is the tighter one). */
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

const userName = (what: string) =>
    z
        .string()
        .regex(USER_NAME, `${what} must be 1–16 characters: a letter, then letters, digits or _`)
        .refine((name) => !RESERVED_USER_NAMES.includes(name.toLowerCase()), {
            message: `${what} is reserved by RDS or the engine; reserved: ${RESERVED_USER_NAMES.join(", ")}`,
        });

const engineVersion = z.string({
    error: (issue) =>
        typeof issue.input === "number"
            ? `write the version as a quoted string (YAML reads ${issue.input} as a number): e.g. "${DEFAULT_ENGINE_VERSIONS.postgres}"`
            : `must be a version string such as "${DEFAULT_ENGINE_VERSIONS.postgres}"`,
});

const oneOf =
    <T extends number | string>(allowed: readonly T[], what: string) =>
    (value: T) =>
        allowed.includes(value) ? undefined : `${String(value)} is not ${what}; allowed: ${allowed.join(", ")}`;

const instanceClass = z.string().refine((value) => INSTANCE_CLASS_NAMES.includes(value), {
    error: (issue) => oneOf(INSTANCE_CLASS_NAMES, "an RDS instance class this platform allows")(String(issue.input)),
});

const performanceInsightsRetention = z
    .number()
    .int()
    .refine((days) => PERFORMANCE_INSIGHTS_RETENTION_DAYS.includes(days), {
        error: (issue) =>
            `${String(issue.input)} days is not a Performance Insights retention RDS accepts; allowed: 7 (free), 31 × months for 1–23 months (31, 62, …, 713), or 731`,
    });

const monitoringInterval = z
    .number()
    .int()
    .refine((seconds) => (MONITORING_INTERVALS_SECONDS as readonly number[]).includes(seconds), {
        error: (issue) => oneOf<number>(MONITORING_INTERVALS_SECONDS, "an Enhanced Monitoring interval")(Number(issue.input)),
    });

const databaseFields = z.strictObject({
    logRetentionDays: logRetentionDays.default(30).describe("exported database log groups retention (a CloudWatch-allowed value)"),
    enabled: z
        .boolean()
        .default(false)
        .describe(
            "build the RDS instance (needs network.databaseSubnetCidrs in at least 2 AZs). TLS, IAM authentication and the RDS-managed master password are always on",
        ),
    engine: z
        .enum(DATABASE_ENGINES, { error: `one of ${DATABASE_ENGINES.join(", ")}` })
        .default("postgres")
        .describe("database engine: postgres or mysql"),
    engineVersion: engineVersion
        .optional()
        .describe(
            `engine version, quoted: postgres ${engineVersionsOf("postgres").join(" | ")}; mysql ${engineVersionsOf("mysql").join(" | ")} (default ${DEFAULT_ENGINE_VERSIONS.postgres} for postgres, ${DEFAULT_ENGINE_VERSIONS.mysql} for mysql)`,
        ),
    instanceClass: instanceClass
        .default("db.t4g.small")
        .describe(`instance class, one of ${INSTANCE_CLASS_NAMES.join(", ")} (mysql: not db.t4g.micro/small, which have no Performance Insights)`),
    allocatedStorageGb: z
        .number()
        .int()
        .min(GP3_MIN_GIB)
        .max(GP3_MAX_GIB)
        .default(20)
        .describe(`initial gp3 storage in GiB, ${GP3_MIN_GIB}–${GP3_MAX_GIB}`),
    maxAllocatedStorageGb: z
        .number()
        .int()
        .max(GP3_MAX_GIB)
        .default(100)
        .describe(`storage autoscaling ceiling in GiB: at least 10% above allocatedStorageGb, at most ${GP3_MAX_GIB}`),
    multiAz: z.boolean().default(false).describe("a synchronous standby in a second AZ with automatic failover (needs database subnets in ≥ 2 AZs)"),
    backupRetentionDays: z.number().int().min(1).max(35).default(7).describe("days automated backups (point-in-time recovery) are kept, 1–35"),
    databaseName: z
        .string()
        .regex(DATABASE_NAME, "must be 1–63 characters: a letter, then letters, digits or _")
        .refine((name) => !RESERVED_DATABASE_NAMES.includes(name.toLowerCase()), {
            message: `is a database the engine creates itself; reserved: ${RESERVED_DATABASE_NAMES.join(", ")}`,
        })
        .default("data_platform")
        .describe("name of the database created with the instance"),
    masterUsername: userName("the master user")
        .default("platform_admin")
        .describe("master user; its password is generated and rotated by RDS in Secrets Manager"),
    iamUsername: userName("the IAM user")
        .default("platform_app")
        .describe("database user the apps connect as with IAM tokens (rds-db:connect); created once with the SQL in components/database/engine.ts"),
    performanceInsightsRetentionDays: performanceInsightsRetention
        .default(7)
        .describe("Performance Insights retention: 7 (free), 31 × months for 1–23 months, or 731"),
    monitoringIntervalSeconds: monitoringInterval
        .default(60)
        .describe(`Enhanced Monitoring interval in seconds, one of ${MONITORING_INTERVALS_SECONDS.join(", ")}`),
});

type DatabaseFields = z.infer<typeof databaseFields>;

function otherEngine(engine: DatabaseEngine): DatabaseEngine {
    return engine === "postgres" ? "mysql" : "postgres";
}

/** Impossible combinations inside the section. */
function checkDatabase(database: DatabaseFields, ctx: z.RefinementCtx): void {
    const { engine, engineVersion: version } = database;
    if (version !== undefined && !engineVersionsOf(engine).includes(version)) {
        ctx.addIssue({
            code: "custom",
            path: ["engineVersion"],
            message: `${version} is not an allowed ${engine} version; allowed for ${engine}: ${engineVersionsOf(engine).join(", ")} (for ${otherEngine(engine)}: ${engineVersionsOf(otherEngine(engine)).join(", ")})`,
        });
    }
    const minimum = Math.ceil((database.allocatedStorageGb * (100 + AUTOSCALING_HEADROOM_PERCENT)) / 100);
    if (database.maxAllocatedStorageGb < minimum) {
        ctx.addIssue({
            code: "custom",
            path: ["maxAllocatedStorageGb"],
            message: `${database.maxAllocatedStorageGb} GiB leaves storage autoscaling no room: RDS needs at least ${AUTOSCALING_HEADROOM_PERCENT}% above allocatedStorageGb (${database.allocatedStorageGb}), i.e. ≥ ${minimum}`,
        });
    }
    if (NO_PERFORMANCE_INSIGHTS[engine].includes(database.instanceClass)) {
        ctx.addIssue({
            code: "custom",
            path: ["instanceClass"],
            message: `RDS for ${engine} has no Performance Insights on ${database.instanceClass} (refused: ${NO_PERFORMANCE_INSIGHTS[engine].join(", ")}); use db.t4g.medium or larger`,
        });
    }
    if (database.iamUsername.toLowerCase() === database.masterUsername.toLowerCase()) {
        ctx.addIssue({
            code: "custom",
            path: ["iamUsername"],
            message: `${database.iamUsername} is also the master user: the apps' IAM user must be a separate, unprivileged one`,
        });
    }
}

/** `data-platform:database`: the RDS instance (PostgreSQL or MySQL). */
export const databaseSchema = databaseFields
    .superRefine(checkDatabase)
    .transform((database) => ({ ...database, engineVersion: database.engineVersion ?? DEFAULT_ENGINE_VERSIONS[database.engine] }));

export type DatabaseConfig = z.output<typeof databaseSchema>;

type Problem = { path: (string | number)[]; message: string };

/** What the database needs from the network: database subnets, in at least 2 AZs (an RDS subnet group requires that). */
export function databaseProblems(network: NetworkConfig, database: DatabaseConfig): Problem[] {
    if (!database.enabled) return [];
    const subnets = network.databaseSubnetCidrs.length;
    if (subnets === 0) {
        return [
            {
                path: ["database", "enabled"],
                message:
                    "the database needs database subnets: set network.databaseSubnetCidrs (one isolated subnet per AZ, at least 2), or database.enabled: false",
            },
        ];
    }
    const problems: Problem[] = [];
    const azs = new Set(network.availabilityZones.slice(0, subnets));
    if (azs.size < 2) {
        problems.push({
            path: ["network", "databaseSubnetCidrs"],
            message: `an RDS subnet group needs subnets in at least 2 AZs, but the database subnets cover ${azs.size} (${[...azs].join(", ")}): add an AZ with its subnets`,
        });
    }
    if (database.multiAz && subnets < 2) {
        problems.push({
            path: ["database", "multiAz"],
            message: `Multi-AZ puts the standby in another AZ's subnet, but there is ${subnets} database subnet: add one per AZ, or database.multiAz: false`,
        });
    }
    return problems;
}

/**
 * The environment is the start of the instance identifier `${env}-<engine>`, which RDS requires to start with a letter
 * and to have no two consecutive hyphens (1–63 characters; the environment is at most 20).
 */
export function databaseIdentifierProblems(environment: string): string[] {
    const problems: string[] = [];
    if (!/^[a-z]/.test(environment)) problems.push("must start with a letter: it starts the RDS instance identifier <environment>-<engine>");
    if (environment.includes("--") || environment.endsWith("-")) {
        problems.push("must not contain -- or end with -: the RDS instance identifier <environment>-<engine> may not have two hyphens in a row");
    }
    return problems;
}
