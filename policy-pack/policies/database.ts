import { refersTo } from "./links";
import { Findings, PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { T, TYPE, isOneOf } from "./types";
import { Read, SECRET, UNKNOWN, at, isOpaque, isSet, list, truthy } from "./values";

/**
 * RDS DB instances beyond what encryption.ts (rds-storage-encrypted), public-access.ts (rds-not-public) and
 * operations.ts (rds-backup-retention, rds-deletion-safety) already judge: Multi-AZ, Enhanced Monitoring, log
 * exports, IAM authentication, minor upgrades, tags on snapshots, Performance Insights with a customer key, and TLS
 * forced through the parameter group.
 */

const isTrue = (value: unknown) => truthy(value) === true;
const stringList = { type: "array", items: { type: "string" } } as const;

/** The engine of an instance, lower-cased; UNKNOWN/SECRET when it cannot be read, undefined when unset. */
function engineOf(props: unknown): string | typeof UNKNOWN | typeof SECRET | undefined {
    const engine = at(props, "engine");
    if (isOpaque(engine)) return engine;
    return typeof engine === "string" ? engine.toLowerCase() : undefined;
}

/** Engines with IAM database authentication (RDS for MySQL, MariaDB and PostgreSQL). */
const IAM_AUTH_ENGINES = ["mysql", "mariadb", "postgres"];

export const rdsMultiAz = resourceRule({
    name: "rds-multi-az",
    description:
        "RDS DB instances run Multi-AZ (multiAz: true): a synchronous standby in another AZ takes over on failure. Advisory by default; prod makes it mandatory.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_157"], securityHub: ["RDS.5"] },
    check: (resource, findings) => {
        findings.require(at(resource.props, "multiAz"), isTrue, `${label(resource)} is single-AZ (multiAz is not true; RDS.5).`, "multiAz");
    },
});

export const rdsEnhancedMonitoring = resourceRule<{ maxIntervalSeconds: number }>({
    name: "rds-enhanced-monitoring",
    description:
        "RDS DB instances have Enhanced Monitoring: monitoringInterval one of 1, 5, 10, 15, 30, 60 seconds (at most maxIntervalSeconds, default 60) and a monitoringRoleArn.",
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_118"], securityHub: ["RDS.6"] },
    parameters: { schema: { maxIntervalSeconds: { type: "integer", minimum: 1, maximum: 60 } }, defaults: { maxIntervalSeconds: 60 } },
    check: (resource, findings, config) => {
        const name = label(resource);
        const interval = at(resource.props, "monitoringInterval");
        findings.require(
            interval,
            (value) => typeof value === "number" && [1, 5, 10, 15, 30, 60].includes(value) && value <= config.maxIntervalSeconds,
            `${name} has no Enhanced Monitoring at an interval of at most ${config.maxIntervalSeconds} s (monitoringInterval ${interval === undefined ? "unset, i.e. 0" : String(interval)}; RDS.6).`,
            "monitoringInterval",
        );
        findings.require(
            at(resource.props, "monitoringRoleArn"),
            isSet,
            `${name} names no monitoringRoleArn for Enhanced Monitoring (RDS.6).`,
            "monitoringRoleArn",
            undefined,
            true,
        );
    },
});

/** The log types RDS.9 asks each engine to publish, less MySQL's and MariaDB's general log (every statement). */
export const REQUIRED_LOG_TYPES = {
    postgresLogTypes: ["postgresql", "upgrade"],
    mysqlLogTypes: ["audit", "error", "slowquery"],
    mariadbLogTypes: ["audit", "error", "slowquery"],
};
type LogTypeConfig = typeof REQUIRED_LOG_TYPES;

function requiredLogTypes(engine: string, config: LogTypeConfig): string[] | undefined {
    if (engine === "postgres") return config.postgresLogTypes;
    if (engine === "mysql") return config.mysqlLogTypes;
    if (engine === "mariadb") return config.mariadbLogTypes;
    return undefined;
}

export const rdsLogExports = resourceRule<LogTypeConfig>({
    name: "rds-log-exports",
    description:
        "RDS DB instances export their logs to CloudWatch Logs (enabledCloudwatchLogsExports): PostgreSQL postgresql and upgrade; MySQL and MariaDB audit, error and slowquery (the general log, which RDS.9 also lists, records every statement and is not required); any other engine at least one log.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_129"], securityHub: ["RDS.9", "RDS.36"] },
    parameters: {
        schema: { postgresLogTypes: stringList, mysqlLogTypes: stringList, mariadbLogTypes: stringList },
        defaults: REQUIRED_LOG_TYPES,
    },
    check: (resource, findings, config) => {
        const engine = engineOf(resource.props);
        if (isOpaque(engine)) return findings.unknown("engine");
        const exports = list(resource.props, "enabledCloudwatchLogsExports");
        if (isOpaque(exports)) return findings.unknown("enabledCloudwatchLogsExports");
        if (exports.some(isOpaque)) return findings.unknown("enabledCloudwatchLogsExports[]");
        const exported = exports.filter((item): item is string => typeof item === "string");
        const required = engine === undefined ? undefined : requiredLogTypes(engine, config);
        if (required === undefined) {
            if (exported.length === 0)
                findings.violation(`${label(resource)} exports no logs to CloudWatch Logs (enabledCloudwatchLogsExports; RDS.9).`);
            return;
        }
        const missing = required.filter((log) => !exported.includes(log));
        if (missing.length > 0) {
            findings.violation(
                `${label(resource)} (${engine}) does not export ${missing.join(", ")} to CloudWatch Logs (enabledCloudwatchLogsExports; RDS.9).`,
            );
        }
    },
});

export const rdsIamAuthentication = resourceRule({
    name: "rds-iam-authentication",
    description:
        "RDS DB instances of engines that support it (MySQL, MariaDB, PostgreSQL) turn on IAM database authentication (iamDatabaseAuthenticationEnabled), so apps log in with short-lived tokens instead of stored passwords.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_161"], securityHub: ["RDS.10"] },
    check: (resource, findings) => {
        const engine = engineOf(resource.props);
        if (isOpaque(engine)) return findings.unknown("engine");
        if (engine === undefined || !IAM_AUTH_ENGINES.includes(engine)) return;
        findings.require(
            at(resource.props, "iamDatabaseAuthenticationEnabled"),
            isTrue,
            `${label(resource)} does not turn on IAM database authentication (iamDatabaseAuthenticationEnabled; RDS.10).`,
            "iamDatabaseAuthenticationEnabled",
        );
    },
});

export const rdsAutoMinorVersionUpgrade = resourceRule({
    name: "rds-auto-minor-version-upgrade",
    description:
        "RDS DB instances take minor engine upgrades (security fixes) automatically: autoMinorVersionUpgrade is not false (unset means true).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_226"], securityHub: ["RDS.13"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "autoMinorVersionUpgrade"),
            (value) => truthy(value) !== false,
            `${label(resource)} turns automatic minor version upgrades off (autoMinorVersionUpgrade: false; RDS.13).`,
            "autoMinorVersionUpgrade",
        );
    },
});

export const rdsCopyTagsToSnapshot = resourceRule({
    name: "rds-copy-tags-to-snapshot",
    description: "RDS DB instances copy their tags to snapshots (copyTagsToSnapshot: true; AWS's default is false), so snapshots stay attributable.",
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV2_AWS_60"], securityHub: ["RDS.17"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "copyTagsToSnapshot"),
            isTrue,
            `${label(resource)} does not copy tags to snapshots (copyTagsToSnapshot; RDS.17).`,
            "copyTagsToSnapshot",
        );
    },
});

/** An AWS-managed key (`alias/aws/<service>`, as an alias or alias ARN) is not a customer key. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

export const rdsPerformanceInsightsKms = resourceRule({
    name: "rds-performance-insights-kms",
    description:
        "RDS DB instances have Performance Insights on (performanceInsightsEnabled) and encrypted with a customer-managed KMS key (performanceInsightsKmsKeyId set, not an alias/aws/... key).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.rdsInstance,
    references: { checkov: ["CKV_AWS_353", "CKV_AWS_354"], securityHub: [] },
    check: (resource, findings) => {
        const name = label(resource);
        const enabled = at(resource.props, "performanceInsightsEnabled");
        findings.require(
            enabled,
            isTrue,
            `${name} has Performance Insights off (performanceInsightsEnabled; CKV_AWS_353).`,
            "performanceInsightsEnabled",
        );
        if (isOpaque(enabled) || truthy(enabled) !== true) return;
        findings.require(
            at(resource.props, "performanceInsightsKmsKeyId"),
            (key) => isSet(key) && !(typeof key === "string" && AWS_MANAGED_ALIAS.test(key)),
            `${name} encrypts Performance Insights with the AWS-managed key, not a customer key (performanceInsightsKmsKeyId; CKV_AWS_354).`,
            "performanceInsightsKmsKeyId",
            undefined,
            true,
        );
    },
});

// ---------------------------------------------------------------------------
// TLS forced through the parameter group (stack rule: the instance and its ParameterGroup)
// ---------------------------------------------------------------------------

/** The parameter that makes each engine refuse connections without TLS. */
export function tlsParameterOf(engine: string): string | undefined {
    if (engine === "postgres" || engine.startsWith("sqlserver")) return "rds.force_ssl";
    if (engine === "mysql" || engine === "mariadb") return "require_secure_transport";
    return undefined;
}

const TLS_ON = ["1", "on", "true"];

/** "ok", UNKNOWN, or why the group does not force TLS. */
function judgeGroup(group: StackResource, parameter: string): "ok" | typeof UNKNOWN | string {
    const parameters = list(group.props, "parameters");
    if (isOpaque(parameters)) return UNKNOWN;
    let unknown = false;
    for (const item of parameters) {
        const name = at(item, "name");
        if (isOpaque(name)) {
            unknown = true;
            continue;
        }
        if (typeof name !== "string" || name.toLowerCase() !== parameter) continue;
        const value = at(item, "value");
        if (isOpaque(value)) return UNKNOWN;
        return TLS_ON.includes(String(value).trim().toLowerCase()) ? "ok" : `${group.name} sets ${parameter} = ${String(value)}`;
    }
    return unknown ? UNKNOWN : `${group.name} does not set ${parameter}`;
}

function checkInstanceTls(instance: StackResource, groups: readonly StackResource[], findings: Findings): void {
    const engine = engineOf(instance.props);
    if (isOpaque(engine)) return findings.unknown(`engine of ${instance.name}`);
    const parameter = engine === undefined ? undefined : tlsParameterOf(engine);
    if (parameter === undefined) return;
    const name: Read = at(instance.props, "parameterGroupName");
    const linked = groups.map((group) => ({ group, link: refersTo(instance, "parameterGroupName", group, ["name", "id"]) }));
    const definite = linked.filter(({ link }) => link === true).map(({ group }) => group);
    const defaultGroup = !isOpaque(name) && (!isSet(name) || (typeof name === "string" && name.startsWith("default.")));
    if (definite.length === 0 && defaultGroup) {
        findings.violation(
            `${label(instance)} uses the engine's default parameter group${isSet(name) ? ` ${String(name)}` : ""}, which does not force TLS: attach a parameter group with ${parameter} = 1 (CKV2_AWS_69).`,
            instance.urn,
        );
        return;
    }
    if (definite.length === 0) return findings.unknown(`parameter group of ${instance.name}`);
    const verdicts = definite.map((group) => judgeGroup(group, parameter));
    if (verdicts.includes("ok")) return;
    if (verdicts.includes(UNKNOWN)) return findings.unknown(`${parameter} of ${instance.name}'s parameter group`);
    findings.violation(`${label(instance)} does not force TLS: ${verdicts.join("; ")} (needs ${parameter} = 1; CKV2_AWS_69).`, instance.urn);
}

export const rdsTlsRequired = stackRule({
    name: "rds-tls-required",
    description:
        "RDS DB instances refuse unencrypted connections through their parameter group: PostgreSQL and SQL Server rds.force_ssl = 1, MySQL and MariaDB require_secure_transport = ON. An instance on the engine's default group (no parameterGroupName, or default.*) violates; a group outside the stack cannot be read and is reported as unknown.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.rdsInstance, TYPE.rdsParameterGroup],
    references: { checkov: ["CKV2_AWS_69"], securityHub: [] },
    check: (resources, findings) => {
        const groups = resources.filter((resource) => resource.type === TYPE.rdsParameterGroup);
        for (const instance of resources.filter((resource) => isOneOf(resource.type, T.rdsInstance))) checkInstanceTls(instance, groups, findings);
    },
});

export const databaseResourcePolicies = [
    rdsMultiAz,
    rdsEnhancedMonitoring,
    rdsLogExports,
    rdsIamAuthentication,
    rdsAutoMinorVersionUpgrade,
    rdsCopyTagsToSnapshot,
    rdsPerformanceInsightsKms,
];
export const databaseStackPolicies = [rdsTlsRequired];

/** The database rules. */
export const databasePolicies: readonly PackPolicy[] = [...databaseResourcePolicies, ...databaseStackPolicies];
