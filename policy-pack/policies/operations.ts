import { BUCKET_IDENTIFIERS, childrenOf } from "./links";
import { PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { TAGGABLE_TYPES } from "./taggable-types";
import { T, isOneOf } from "./types";
import { INVALID_JSON, Read, SECRET, UNKNOWN, at, isOpaque, isSet, jsonValue, keys, list, truthy } from "./values";

/** Safety and operations: tags, versioning, backups, deletion safety, secrets, images, containers. */

const isTrue = (value: unknown) => truthy(value) === true;

/** Tag keys a resource carries: from `tags` (map, or autoscaling's list of {key, value}) and `tagsAll`. */
function tagValues(props: unknown): { found: Map<string, Read>; partial: boolean } {
    const found = new Map<string, Read>();
    let unknown = false;
    for (const source of ["tags", "tagsAll"]) {
        const tags = at(props, source);
        if (tags === UNKNOWN || tags === SECRET) {
            unknown = true;
            continue;
        }
        if (Array.isArray(tags)) {
            const entries = list(tags);
            if (isOpaque(entries)) {
                unknown = true;
                continue;
            }
            for (const entry of entries) {
                const key = at(entry, "key");
                if (typeof key === "string") found.set(key, at(entry, "value"));
                else if (isOpaque(key)) unknown = true;
            }
            continue;
        }
        const names = keys(tags);
        if (isOpaque(names)) {
            unknown = true;
            continue;
        }
        for (const name of names) found.set(name, at(tags, name));
    }
    return { found, partial: unknown };
}

export const requiredTags = resourceRule<{ requiredTags: string[] }>({
    name: "required-tags",
    description: "Every taggable AWS resource carries the tags Environment, Project and ManagedBy (non-empty).",
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: TAGGABLE_TYPES,
    references: { checkov: [], securityHub: [] },
    parameters: {
        schema: { requiredTags: { type: "array", items: { type: "string" } } },
        defaults: { requiredTags: ["Environment", "Project", "ManagedBy"] },
    },
    check: (resource, findings, config) => {
        const { found, partial } = tagValues(resource.props);
        const missing = config.requiredTags.filter((key) => {
            const value = found.get(key);
            return !(isSet(value) || value === UNKNOWN);
        });
        if (missing.length === 0) return;
        // Some tags are not known yet: a missing key may be among them.
        if (partial) findings.unknown("tags");
        else findings.violation(`${label(resource)} is missing tag(s) ${missing.join(", ")}.`);
    },
});

// ---------------------------------------------------------------------------

function inlineVersioning(bucket: StackResource): Read {
    const single = at(bucket.props, "versioning");
    if (single !== undefined && single !== null) return isOpaque(single) ? single : at(single, "enabled");
    const many = list(bucket.props, "versionings");
    if (isOpaque(many)) return many;
    return many.length > 0 ? at(many[0], "enabled") : undefined;
}

export const s3Versioning = stackRule({
    name: "s3-versioning",
    description: "Every S3 bucket has versioning enabled (inline, or a BucketVersioning with status Enabled).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.bucket, ...T.bucketVersioning],
    references: { checkov: ["CKV_AWS_21"], securityHub: [], securityHubOther: ["S3.14"] },
    check: (resources, findings) => {
        for (const bucket of resources.filter((resource) => isOneOf(resource.type, T.bucket))) {
            const inline = inlineVersioning(bucket);
            if (truthy(inline) === true) continue;
            const { definite, possible } = childrenOf(resources, T.bucketVersioning, "bucket", bucket, BUCKET_IDENTIFIERS);
            const statuses = definite.map((versioning) => at(versioning.props, "versioningConfiguration", "status"));
            if (statuses.includes("Enabled")) continue;
            if (isOpaque(inline) || possible.length > 0 || statuses.some(isOpaque)) {
                findings.unknown(`versioning of ${bucket.name}`);
                continue;
            }
            const state = statuses.length > 0 ? `versioning status is ${statuses.map(String).join(", ")}` : "no versioning configuration";
            findings.violation(`${label(bucket)} is not versioned (${state}).`, bucket.urn);
        }
    },
});

// ---------------------------------------------------------------------------

export const rdsBackupRetention = resourceRule<{ minBackupRetentionDays: number }>({
    name: "rds-backup-retention",
    description: "RDS instances and clusters keep automated backups for at least the configured number of days (default 7).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.rdsInstance, ...T.rdsCluster],
    references: { checkov: ["CKV_AWS_133"], securityHub: ["RDS.11"] },
    parameters: { schema: { minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35 } }, defaults: { minBackupRetentionDays: 7 } },
    check: (resource, findings, config) => {
        if (isSet(at(resource.props, "replicateSourceDb"))) return; // read replicas are backed up through their source
        const days = at(resource.props, "backupRetentionPeriod");
        findings.require(days, (value) => typeof value === "number" && value >= config.minBackupRetentionDays,
            `${label(resource)} keeps backups ${typeof days === "number" ? `${days} day(s)` : "for the AWS default of 1 day (backupRetentionPeriod unset)"}; at least ${config.minBackupRetentionDays} required.`,
            "backupRetentionPeriod");
    },
});

export const rdsDeletionSafety = resourceRule<{ requireFinalSnapshot: boolean }>({
    name: "rds-deletion-safety",
    description: "RDS instances and clusters have deletion protection and take a final snapshot on delete (skipFinalSnapshot not true). Mandatory in prod.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.rdsInstance, ...T.rdsCluster],
    references: { checkov: ["CKV_AWS_293", "CKV_AWS_139"], securityHub: ["RDS.7", "RDS.8"] },
    parameters: { schema: { requireFinalSnapshot: { type: "boolean" } }, defaults: { requireFinalSnapshot: true } },
    check: (resource, findings, config) => {
        const name = label(resource);
        findings.require(at(resource.props, "deletionProtection"), isTrue, `${name} does not set deletionProtection: true.`, "deletionProtection");
        if (config.requireFinalSnapshot) {
            findings.require(at(resource.props, "skipFinalSnapshot"), (skip) => truthy(skip) !== true, `${name} skips the final snapshot on delete.`, "skipFinalSnapshot");
        }
    },
});

export const secretsRecoveryWindow = resourceRule<{ minRecoveryWindowDays: number }>({
    name: "secrets-recovery-window",
    description: "Secrets Manager secrets keep a recovery window of at least 7 days (0 deletes immediately; unset means 30).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.secret,
    references: { checkov: [], securityHub: [] },
    parameters: { schema: { minRecoveryWindowDays: { type: "integer", minimum: 7, maximum: 30 } }, defaults: { minRecoveryWindowDays: 7 } },
    check: (resource, findings, config) => {
        findings.require(at(resource.props, "recoveryWindowInDays"), (days) => days === undefined || days === null || (typeof days === "number" && days >= config.minRecoveryWindowDays),
            `${label(resource)} has a recovery window below ${config.minRecoveryWindowDays} days.`, "recoveryWindowInDays");
    },
});

export const ecrScanOnPush = resourceRule({
    name: "ecr-scan-on-push",
    description: "ECR repositories scan images on push.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.ecrRepository,
    references: { checkov: ["CKV_AWS_163"], securityHub: ["ECR.1"] },
    check: (resource, findings) => {
        findings.require(at(resource.props, "imageScanningConfiguration", "scanOnPush"), isTrue,
            `${label(resource)} does not scan images on push (imageScanningConfiguration.scanOnPush).`, "imageScanningConfiguration.scanOnPush");
    },
});

export const ecsContainerSafety = resourceRule({
    name: "ecs-container-safety",
    description: "ECS task definitions use no host networking, do not share the host's process or IPC namespace (pidMode / ipcMode \"host\"), and run no privileged containers (containerDefinitions is a JSON string).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.ecsTaskDefinition,
    references: { checkov: ["CKV_AWS_334", "CKV_AWS_335"], securityHub: ["ECS.1", "ECS.3", "ECS.4"] },
    check: (resource, findings) => {
        const name = label(resource);
        const notHost = (mode: unknown) => typeof mode !== "string" || mode.trim().toLowerCase() !== "host";
        findings.require(at(resource.props, "networkMode"), (mode) => mode !== "host", `${name} uses host networking (networkMode "host").`, "networkMode");
        findings.require(at(resource.props, "pidMode"), notHost, `${name} shares the host's process namespace (pidMode "host").`, "pidMode");
        findings.require(at(resource.props, "ipcMode"), notHost, `${name} shares the host's IPC namespace (ipcMode "host").`, "ipcMode");
        const definitions = jsonValue(at(resource.props, "containerDefinitions"));
        if (isOpaque(definitions)) return findings.unknown("containerDefinitions");
        if (definitions === INVALID_JSON || !Array.isArray(definitions)) {
            if (definitions !== undefined) findings.violation(`${name} containerDefinitions is not a JSON array.`);
            return;
        }
        definitions.forEach((container: Record<string, unknown>, index) => {
            if (container?.privileged === true || container?.privileged === "true") {
                findings.violation(`${name} container ${String(container.name ?? index)} is privileged.`);
            }
        });
    },
});

export const operationsResourcePolicies = [requiredTags, rdsBackupRetention, rdsDeletionSafety, secretsRecoveryWindow, ecrScanOnPush, ecsContainerSafety];
export const operationsStackPolicies = [s3Versioning];
export const operationsPolicies: PackPolicy[] = [...operationsResourcePolicies, ...operationsStackPolicies];
