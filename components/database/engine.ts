import { PORTS, PortSpec } from "../shared/ports";
import type { DatabaseEngine } from "./versions";

/** What differs between the engines: port, parameters, log exports, options, the IAM user's SQL. */

export const ENGINE_PORTS: Readonly<Record<DatabaseEngine, PortSpec>> = { postgres: PORTS.postgres, mysql: PORTS.mysql };

/**
 * `immediate` only for dynamic parameters (RDS refuses it for static ones); `pending-reboot` is accepted for any.
 * The group is attached when the instance is created, so every value is in effect from its first boot either way.
 */
export type ApplyMethod = "immediate" | "pending-reboot";

export interface DbParameter {
    readonly name: string;
    readonly value: string;
    readonly applyMethod: ApplyMethod;
}

/** Statements slower than this are logged (log_min_duration_statement / long_query_time). */
export const SLOW_STATEMENT_MS = 1000;

/** The parameter that makes the engine refuse connections without TLS, and the value that turns it on. */
export const TLS_PARAMETER: Readonly<Record<DatabaseEngine, { readonly name: string; readonly value: string }>> = {
    postgres: { name: "rds.force_ssl", value: "1" },
    mysql: { name: "require_secure_transport", value: "ON" },
};

/**
 * PostgreSQL: TLS forced; slow statements, connections, disconnections and lock waits logged; pg_stat_statements
 * loaded (shared_preload_libraries is static). rds.force_ssl is given as pending-reboot: AWS documents it as static for
 * some engines and versions, and pending-reboot is valid either way.
 * MySQL: TLS required (require_secure_transport, dynamic); the slow query log on, written to FILE (CloudWatch Logs
 * exports read files, not the mysql.slow_log table) — all dynamic.
 */
export function engineParameters(engine: DatabaseEngine): DbParameter[] {
    const tls = { ...TLS_PARAMETER[engine], applyMethod: engine === "postgres" ? "pending-reboot" : "immediate" } as const;
    if (engine === "postgres") {
        return [
            tls,
            { name: "log_min_duration_statement", value: String(SLOW_STATEMENT_MS), applyMethod: "immediate" },
            { name: "log_connections", value: "1", applyMethod: "immediate" },
            { name: "log_disconnections", value: "1", applyMethod: "immediate" },
            { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
            { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
        ];
    }
    return [
        tls,
        { name: "slow_query_log", value: "1", applyMethod: "immediate" },
        { name: "long_query_time", value: String(SLOW_STATEMENT_MS / 1000), applyMethod: "immediate" },
        { name: "log_output", value: "FILE", applyMethod: "immediate" },
    ];
}

/**
 * Logs exported to CloudWatch (CreateDBInstance EnableCloudwatchLogsExports). PostgreSQL: the server log and the
 * upgrade log. MySQL: audit (the audit plugin below), error and slow query logs; the general log is left off — it
 * records every statement, and the audit log already records connections and DDL/DCL. Both: IAM authentication errors.
 */
export const LOG_EXPORTS: Readonly<Record<DatabaseEngine, readonly string[]>> = {
    postgres: ["postgresql", "upgrade", "iam-db-auth-error"],
    mysql: ["audit", "error", "slowquery", "iam-db-auth-error"],
};

/** `/aws/rds/instance/<identifier>/<log>`: the group RDS writes each exported log to (and creates when it is missing). */
export function rdsLogGroupName(identifier: string, log: string): string {
    return `/aws/rds/instance/${identifier}/${log}`;
}

export interface DbOptionSetting {
    readonly name: string;
    readonly value: string;
}

/**
 * MySQL's audit log needs the MARIADB_AUDIT_PLUGIN option (all RDS for MySQL 8.4 versions,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.html): connections, DDL and DCL
 * (grants, users), not every query; RDS's own rdsadmin sessions left out. PostgreSQL needs no option group.
 */
export const AUDIT_PLUGIN = {
    optionName: "MARIADB_AUDIT_PLUGIN",
    settings: [
        { name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" },
        { name: "SERVER_AUDIT_EXCL_USERS", value: "rdsadmin" },
    ] as readonly DbOptionSetting[],
} as const;

/**
 * The SQL a DBA runs once (as the master user) so `user` can log in with an IAM token
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html).
 */
export function iamUserSql(engine: DatabaseEngine, user: string, databaseName: string): string[] {
    if (engine === "postgres") {
        return [`CREATE USER ${user};`, `GRANT rds_iam TO ${user};`, `GRANT CONNECT ON DATABASE ${databaseName} TO ${user};`];
    }
    return [
        `CREATE USER '${user}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${databaseName}.* TO '${user}'@'%';`,
    ];
}
