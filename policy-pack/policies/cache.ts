import { Findings, PackPolicy, RuleResource, label, resourceRule } from "./rules";
import { T, TYPE, isOneOf } from "./types";
import { Read, UNKNOWN, at, isOpaque, isSet, truthy } from "./values";

/**
 * ElastiCache rules beyond `elasticache-encryption` (encryption.ts: replication groups encrypted at
 * rest and in transit with TLS required, AUTH token or RBAC user groups; FSBP ElastiCache.4/5/6):
 * backups, minor upgrades, failover, a customer-managed key, a custom subnet group, and standalone
 * cache clusters, which that rule does not see.
 */

const CLUSTER = [TYPE.elasticacheCluster] as const;
const GROUPS_AND_CLUSTERS = [...T.cacheReplicationGroup, ...CLUSTER];

/** How a rule sees a resource: a replication group, a standalone cluster of an engine, or a group member (judged with its group). */
type CacheScope = "group" | "member" | "memcached" | "redis" | typeof UNKNOWN;

/**
 * A cluster with `replicationGroupId` is a node of that group and inherits its settings. A standalone
 * cluster must name its engine (the provider requires it); an absent engine is judged as Redis OSS,
 * the stricter reading.
 */
function scopeOf(resource: RuleResource): CacheScope {
    if (!isOneOf(resource.type, CLUSTER)) return "group";
    const group = at(resource.props, "replicationGroupId");
    if (group === UNKNOWN) return UNKNOWN;
    if (isSet(group)) return "member";
    const engine = at(resource.props, "engine");
    if (isOpaque(engine)) return UNKNOWN;
    return engine === "memcached" ? "memcached" : "redis";
}

/** The resource's scope, or undefined (with the unknown recorded) when it cannot be told yet. */
function knownScope(resource: RuleResource, findings: Findings): Exclude<CacheScope, typeof UNKNOWN> | undefined {
    const scope = scopeOf(resource);
    if (scope !== UNKNOWN) return scope;
    findings.unknown("replicationGroupId/engine");
    return undefined;
}

function describeDays(days: Read): string {
    return typeof days === "number" && days > 0
        ? `keeps automatic snapshots ${days} day(s)`
        : "takes no automatic snapshots (snapshotRetentionLimit unset or 0)";
}

export const elasticacheBackups = resourceRule<{ minSnapshotRetentionDays: number }>({
    name: "elasticache-backups",
    description:
        "ElastiCache replication groups and standalone Redis OSS / Valkey cache clusters keep automatic snapshots (snapshotRetentionLimit ≥ the configured minimum, default 1); Memcached has no snapshots and cluster members follow their group.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: GROUPS_AND_CLUSTERS,
    references: { checkov: ["CKV_AWS_134"], securityHub: ["ElastiCache.1"] },
    parameters: { schema: { minSnapshotRetentionDays: { type: "integer", minimum: 1, maximum: 35 } }, defaults: { minSnapshotRetentionDays: 1 } },
    check: (resource, findings, config) => {
        const scope = knownScope(resource, findings);
        if (scope !== "group" && scope !== "redis") return;
        const days = at(resource.props, "snapshotRetentionLimit");
        findings.require(
            days,
            (value) => typeof value === "number" && value >= config.minSnapshotRetentionDays,
            `${label(resource)} ${describeDays(days)}; at least ${config.minSnapshotRetentionDays} day(s) required.`,
            "snapshotRetentionLimit",
        );
    },
});

export const elasticacheAutoMinorVersionUpgrade = resourceRule({
    name: "elasticache-auto-minor-version-upgrade",
    description:
        "ElastiCache replication groups and standalone Redis OSS / Valkey cache clusters do not turn off automatic minor version upgrades (autoMinorVersionUpgrade unset means true).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: GROUPS_AND_CLUSTERS,
    references: { checkov: ["CKV_AWS_322"], securityHub: ["ElastiCache.2"] },
    check: (resource, findings) => {
        const scope = knownScope(resource, findings);
        if (scope !== "group" && scope !== "redis") return;
        findings.require(
            at(resource.props, "autoMinorVersionUpgrade"),
            (value) => truthy(value) !== false,
            `${label(resource)} sets autoMinorVersionUpgrade: false (security patches wait for a manual upgrade).`,
            "autoMinorVersionUpgrade",
        );
    },
});

export const elasticacheAutomaticFailover = resourceRule<{ requireMultiAz: boolean }>({
    name: "elasticache-automatic-failover",
    description:
        "ElastiCache replication groups fail over automatically (automaticFailoverEnabled, which needs at least 2 nodes) and, unless requireMultiAz is false, place replicas in other AZs (multiAzEnabled). Advisory by default; mandatory where the stack must stay up.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: T.cacheReplicationGroup,
    references: { checkov: ["CKV2_AWS_50"], securityHub: ["ElastiCache.3"] },
    parameters: { schema: { requireMultiAz: { type: "boolean" } }, defaults: { requireMultiAz: true } },
    check: (resource, findings, config) => {
        const { props } = resource;
        const wanted: [string, string][] = [["automaticFailoverEnabled", "does not fail over automatically (automaticFailoverEnabled)"]];
        if (config.requireMultiAz) wanted.push(["multiAzEnabled", "is not Multi-AZ (multiAzEnabled)"]);
        const gaps: string[] = [];
        for (const [key, gap] of wanted) {
            const value = at(props, key);
            if (isOpaque(value)) findings.unknown(key);
            else if (truthy(value) !== true) gaps.push(gap);
        }
        if (gaps.length === 0) return;
        const nodes = at(props, "numCacheClusters");
        const single = typeof nodes === "number" && nodes < 2 ? `, with ${nodes} node: failover needs a replica (numCacheClusters ≥ 2)` : "";
        findings.violation(`${label(resource)} ${gaps.join(" and ")}${single}.`);
    },
});

export const elasticacheKms = resourceRule({
    name: "elasticache-kms",
    description: "ElastiCache replication groups encrypt at rest with a customer-managed KMS key (kmsKeyId), not the AWS-managed default.",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: T.cacheReplicationGroup,
    references: { checkov: ["CKV_AWS_191"], securityHub: [] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "kmsKeyId"),
            isSet,
            `${label(resource)} does not use a customer-managed KMS key at rest (kmsKeyId).`,
            "kmsKeyId",
            undefined,
            true,
        );
    },
});

export const elasticacheSubnetGroup = resourceRule({
    name: "elasticache-subnet-group",
    description:
        'ElastiCache replication groups and standalone cache clusters name their own subnet group (subnetGroupName set and not "default": unset, AWS uses the default VPC\'s subnets).',
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: GROUPS_AND_CLUSTERS,
    references: { checkov: ["CKV_AWS_323"], securityHub: ["ElastiCache.7"] },
    check: (resource, findings) => {
        const scope = knownScope(resource, findings);
        if (scope === undefined || scope === "member") return;
        findings.require(
            at(resource.props, "subnetGroupName"),
            (name) => isSet(name) && String(name).trim().toLowerCase() !== "default",
            `${label(resource)} uses the default subnet group (subnetGroupName unset or "default").`,
            "subnetGroupName",
            undefined,
            true,
        );
    },
});

export const elasticacheClusterEncryption = resourceRule({
    name: "elasticache-cluster-encryption",
    description:
        "Standalone ElastiCache cache clusters are encrypted: a Redis OSS / Valkey cluster outside a replication group can neither encrypt nor require AUTH, so it is refused (build a replication group, even of one node); a Memcached cluster sets transitEncryptionEnabled (Memcached keeps nothing at rest). Members of a replication group follow elasticache-encryption.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: CLUSTER,
    references: { checkov: [], securityHub: [] },
    check: (resource, findings) => {
        const scope = knownScope(resource, findings);
        const name = label(resource);
        if (scope === "redis") {
            findings.violation(
                `${name} is a standalone Redis OSS / Valkey cluster, which ElastiCache cannot encrypt at rest or in transit or protect with AUTH: use an aws.elasticache.ReplicationGroup (numCacheClusters 1 is allowed).`,
            );
            return;
        }
        if (scope !== "memcached") return;
        findings.require(
            at(resource.props, "transitEncryptionEnabled"),
            (value) => truthy(value) === true,
            `${name} is a Memcached cluster without in-transit encryption (transitEncryptionEnabled, Memcached 1.6.12+).`,
            "transitEncryptionEnabled",
        );
    },
});

export const cachePolicies: readonly PackPolicy[] = [
    elasticacheBackups,
    elasticacheAutoMinorVersionUpgrade,
    elasticacheAutomaticFailover,
    elasticacheKms,
    elasticacheSubnetGroup,
    elasticacheClusterEncryption,
];
