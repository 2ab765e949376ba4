import { BUCKET_IDENTIFIERS, childrenOf } from "./links";
import { PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { TAGGABLE_TYPES } from "./taggable-types";
import { T, isOneOf } from "./types";
import { INVALID_JSON, Read, SECRET, UNKNOWN, at, globMatches, isOpaque, isSet, jsonValue, keys, list, truthy } from "./values";

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
        findings.require(
            days,
            (value) => typeof value === "number" && value >= config.minBackupRetentionDays,
            `${label(resource)} keeps backups ${typeof days === "number" ? `${days} day(s)` : "for the AWS default of 1 day (backupRetentionPeriod unset)"}; at least ${config.minBackupRetentionDays} required.`,
            "backupRetentionPeriod",
        );
    },
});

export const rdsDeletionSafety = resourceRule<{ requireFinalSnapshot: boolean }>({
    name: "rds-deletion-safety",
    description:
        "RDS instances and clusters have deletion protection and take a final snapshot on delete (skipFinalSnapshot not true; read replicas, which AWS cannot snapshot on delete, excepted). Mandatory in prod.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.rdsInstance, ...T.rdsCluster],
    references: { checkov: ["CKV_AWS_293", "CKV_AWS_139"], securityHub: ["RDS.7", "RDS.8"] },
    parameters: { schema: { requireFinalSnapshot: { type: "boolean" } }, defaults: { requireFinalSnapshot: true } },
    check: (resource, findings, config) => {
        const name = label(resource);
        findings.require(at(resource.props, "deletionProtection"), isTrue, `${name} does not set deletionProtection: true.`, "deletionProtection");
        if (!config.requireFinalSnapshot) return;
        // AWS takes no final snapshot of a read replica (DeleteDBInstance refuses one): it must skip it.
        const source = at(resource.props, "replicateSourceDb");
        if (source === UNKNOWN) return findings.unknown("replicateSourceDb");
        if (isSet(source)) return;
        findings.require(
            at(resource.props, "skipFinalSnapshot"),
            (skip) => truthy(skip) !== true,
            `${name} skips the final snapshot on delete.`,
            "skipFinalSnapshot",
        );
    },
});

export const secretsRecoveryWindow = resourceRule<{ minRecoveryWindowDays: number; allowImmediateDeletion: boolean }>({
    name: "secrets-recovery-window",
    description:
        "Secrets Manager secrets keep a recovery window of at least 7 days (unset means 30); 0 (delete without recovery) only where allowImmediateDeletion is set, for stacks destroyed and re-created the same day.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.secret,
    references: { checkov: [], securityHub: [] },
    parameters: {
        schema: { minRecoveryWindowDays: { type: "integer", minimum: 7, maximum: 30 }, allowImmediateDeletion: { type: "boolean" } },
        defaults: { minRecoveryWindowDays: 7, allowImmediateDeletion: false },
    },
    check: (resource, findings, config) => {
        findings.require(
            at(resource.props, "recoveryWindowInDays"),
            (days) =>
                days === undefined ||
                days === null ||
                (typeof days === "number" && (days >= config.minRecoveryWindowDays || (days === 0 && config.allowImmediateDeletion))),
            `${label(resource)} has a recovery window below ${config.minRecoveryWindowDays} days.`,
            "recoveryWindowInDays",
        );
    },
});

/** Registry-level scanning that covers a repository name: true, false or UNKNOWN. */
function registryScans(configs: readonly StackResource[], repositoryName: Read): boolean | typeof UNKNOWN {
    let unknown = false;
    for (const config of configs) {
        const rules = list(config.props, "rules");
        if (isOpaque(rules)) {
            unknown = true;
            continue;
        }
        for (const rule of rules) {
            const frequency = at(rule, "scanFrequency");
            if (isOpaque(frequency)) {
                unknown = true;
                continue;
            }
            if (frequency !== "SCAN_ON_PUSH" && frequency !== "CONTINUOUS_SCAN") continue;
            const filters = list(rule, "repositoryFilters");
            if (isOpaque(filters)) {
                unknown = true;
                continue;
            }
            for (const filter of filters) {
                const pattern = at(filter, "filter");
                if (isOpaque(pattern)) unknown = true;
                else if (typeof pattern === "string" && pattern.trim() === "*") return true;
                else if (typeof pattern === "string") {
                    if (typeof repositoryName === "string") {
                        if (globMatches(pattern.trim(), repositoryName)) return true;
                    } else unknown = true;
                }
            }
        }
    }
    return unknown ? UNKNOWN : false;
}

export const ecrScanOnPush = stackRule({
    name: "ecr-scan-on-push",
    description:
        "ECR repositories scan images on push: imageScanningConfiguration.scanOnPush, or a registry-level ecr.RegistryScanningConfiguration rule (SCAN_ON_PUSH or CONTINUOUS_SCAN) whose repository filter matches the repository, which AWS applies instead.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.ecrRepository, ...T.ecrRegistryScanningConfiguration],
    references: { checkov: ["CKV_AWS_163"], securityHub: ["ECR.1"] },
    check: (resources, findings) => {
        const registry = resources.filter((resource) => isOneOf(resource.type, T.ecrRegistryScanningConfiguration));
        for (const repository of resources.filter((resource) => isOneOf(resource.type, T.ecrRepository))) {
            const scanOnPush = at(repository.props, "imageScanningConfiguration", "scanOnPush");
            if (truthy(scanOnPush) === true) continue;
            const covered = registryScans(registry, at(repository.props, "name"));
            if (covered === true) continue;
            if (covered === UNKNOWN || isOpaque(scanOnPush)) findings.unknown(`image scanning of ${repository.name}`);
            else
                findings.violation(
                    `${label(repository)} does not scan images on push (imageScanningConfiguration.scanOnPush, and no registry scanning rule covers it).`,
                    repository.urn,
                );
        }
    },
});

export const ecsContainerSafety = resourceRule({
    name: "ecs-container-safety",
    description:
        'ECS task definitions use no host networking, do not share the host\'s process or IPC namespace (pidMode / ipcMode "host"), and run no privileged containers (containerDefinitions is a JSON string).',
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.ecsTaskDefinition,
    references: { checkov: ["CKV_AWS_334", "CKV_AWS_335"], securityHub: ["ECS.1", "ECS.3", "ECS.4"] },
    check: (resource, findings) => {
        const name = label(resource);
        const notHost = (mode: unknown) => typeof mode !== "string" || mode.trim().toLowerCase() !== "host";
        findings.require(
            at(resource.props, "networkMode"),
            (mode) => mode !== "host",
            `${name} uses host networking (networkMode "host").`,
            "networkMode",
        );
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

/** Why a trail's management-event selection is not "read and write": undefined when it is, UNKNOWN when unknown. */
function managementEventsGap(props: unknown): string | typeof UNKNOWN | undefined {
    const selectors = list(props, "eventSelectors");
    const advanced = list(props, "advancedEventSelectors");
    if (isOpaque(selectors) || isOpaque(advanced)) return UNKNOWN;
    if (advanced.length > 0) {
        // Advanced selectors replace basic ones: one must select eventCategory = Management without a readOnly filter.
        let unknown = false;
        for (const selector of advanced) {
            const fields = list(selector, "fieldSelectors");
            if (isOpaque(fields)) {
                unknown = true;
                continue;
            }
            if (fields.some((item) => isOpaque(item) || isOpaque(at(item, "field")))) {
                unknown = true;
                continue;
            }
            const field = (name: string) => fields.find((item) => at(item, "field") === name);
            const category = list(field("eventCategory"), "equals");
            if (isOpaque(category) || category.some(isOpaque)) {
                unknown = true;
                continue;
            }
            if (category.includes("Management") && field("readOnly") === undefined) return undefined;
        }
        return unknown ? UNKNOWN : "no advanced event selector records all management events (eventCategory Management, no readOnly filter)";
    }
    if (selectors.length === 0) return undefined; // AWS default: all management events, read and write
    let unknown = false;
    for (const selector of selectors) {
        const include = at(selector, "includeManagementEvents");
        const readWrite = at(selector, "readWriteType");
        if (isOpaque(include) || isOpaque(readWrite)) {
            unknown = true;
            continue;
        }
        if (truthy(include) !== false && (readWrite === undefined || readWrite === null || readWrite === "All")) return undefined;
    }
    return unknown ? UNKNOWN : "its event selectors do not record read and write management events (includeManagementEvents true, readWriteType All)";
}

export const cloudtrailTrail = resourceRule({
    name: "cloudtrail-trail",
    description:
        "CloudTrail trails are multi-region, log, record read and write management events, encrypt with a KMS key (kmsKeyId) and validate log files (enableLogFileValidation); one finding per trail lists what is missing.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.cloudtrailTrail,
    references: { checkov: ["CKV_AWS_67", "CKV_AWS_35", "CKV_AWS_36"], securityHub: ["CloudTrail.1", "CloudTrail.2", "CloudTrail.4"] },
    check: (resource, findings) => {
        const { props } = resource;
        const gaps: string[] = [];
        const judge = (value: Read, ok: (value: unknown) => boolean, gap: string, what: string, secretOk = false) => {
            if (value === UNKNOWN || (value === SECRET && !secretOk)) findings.unknown(what);
            else if (value !== SECRET && !ok(value)) gaps.push(gap);
        };
        judge(at(props, "isMultiRegionTrail"), isTrue, "not multi-region (isMultiRegionTrail; CloudTrail.1, CKV_AWS_67)", "isMultiRegionTrail");
        judge(at(props, "enableLogging"), (value) => truthy(value) !== false, "logging is off (enableLogging: false; CloudTrail.1)", "enableLogging");
        const events = managementEventsGap(props);
        if (events === UNKNOWN) findings.unknown("event selectors");
        else if (events) gaps.push(`${events} (CloudTrail.1)`);
        judge(at(props, "kmsKeyId"), isSet, "logs not encrypted with a KMS key (kmsKeyId; CloudTrail.2, CKV_AWS_35)", "kmsKeyId", true);
        judge(
            at(props, "enableLogFileValidation"),
            isTrue,
            "log file validation off (enableLogFileValidation; CloudTrail.4, CKV_AWS_36)",
            "enableLogFileValidation",
        );
        if (gaps.length > 0) findings.violation(`${label(resource)}: ${gaps.join("; ")}.`);
    },
});

export const operationsResourcePolicies = [
    requiredTags,
    rdsBackupRetention,
    rdsDeletionSafety,
    secretsRecoveryWindow,
    ecsContainerSafety,
    cloudtrailTrail,
];
export const operationsStackPolicies = [s3Versioning, ecrScanOnPush];
export const operationsPolicies: PackPolicy[] = [...operationsResourcePolicies, ...operationsStackPolicies];
