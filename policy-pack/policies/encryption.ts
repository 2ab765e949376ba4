import { BUCKET_IDENTIFIERS, childrenOf } from "./links";
import { Findings, PackPolicy, RuleResource, label, resourceRule, stackRule } from "./rules";
import { T, isOneOf } from "./types";
import { Read, SECRET, UNKNOWN, at, isOpaque, isSet, keys, list, truthy } from "./values";

/** Encryption at rest and in transit. */

const isTrue = (value: unknown) => truthy(value) === true;

// ---------------------------------------------------------------------------
// S3 (stack rule: the bucket and its BucketServerSideEncryptionConfiguration)
// ---------------------------------------------------------------------------

export const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Every `sseAlgorithm` found under a value (inline v6/v7 shapes and standalone `rules` differ in nesting). */
function sseAlgorithms(value: Read, depth = 0): Read[] {
    if (value === UNKNOWN || value === SECRET) return [value];
    if (value === null || typeof value !== "object" || depth > 6) return [];
    const found: Read[] = [];
    const names = keys(value);
    if (isOpaque(names)) return [names];
    for (const name of names) {
        const item = at(value, name);
        if (name === "sseAlgorithm") found.push(item);
        else found.push(...sseAlgorithms(item, depth + 1));
    }
    return found;
}

/** Judges one encryption configuration: "ok", "unknown", or a reason it fails. */
function judgeSse(config: Read, allowed: readonly string[]): "ok" | "unknown" | string {
    const algorithms = sseAlgorithms(config);
    if (algorithms.length === 0) return "has no default encryption rule";
    if (algorithms.some(isOpaque)) return "unknown";
    const bad = algorithms.filter((algorithm) => typeof algorithm !== "string" || !allowed.includes(algorithm));
    return bad.length === 0 ? "ok" : `uses ${bad.join(", ")} (allowed: ${allowed.join(", ")})`;
}

export const s3BucketEncryption = stackRule<{ allowedAlgorithms: string[] }>({
    name: "s3-bucket-encryption",
    description: "Every S3 bucket has a server-side-encryption configuration (inline, or a BucketServerSideEncryptionConfiguration for it) with AES256 or aws:kms.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.bucket, ...T.bucketSse],
    references: { checkov: ["CKV_AWS_19", "CKV_AWS_145"], securityHub: [], securityHubRetired: ["S3.4"] },
    parameters: {
        schema: { allowedAlgorithms: { type: "array", items: { type: "string" } } },
        defaults: { allowedAlgorithms: SSE_ALGORITHMS },
    },
    check: (resources, findings, config) => {
        for (const bucket of resources.filter((resource) => isOneOf(resource.type, T.bucket))) {
            const inline = at(bucket.props, "serverSideEncryptionConfiguration") ?? at(bucket.props, "serverSideEncryptionConfigurations");
            const inlineVerdict = inline === undefined || (Array.isArray(inline) && inline.length === 0) ? undefined : judgeSse(inline, config.allowedAlgorithms);
            if (inlineVerdict === "ok") continue;
            const { definite, possible } = childrenOf(resources, T.bucketSse, "bucket", bucket, BUCKET_IDENTIFIERS);
            const verdicts = definite.map((sse) => ({ sse, verdict: judgeSse(at(sse.props, "rules"), config.allowedAlgorithms) }));
            if (verdicts.some(({ verdict }) => verdict === "ok")) continue;
            if (inlineVerdict === "unknown" || possible.length > 0 || verdicts.some(({ verdict }) => verdict === "unknown")) {
                findings.unknown(`encryption of ${bucket.name}`);
                continue;
            }
            const reasons = [
                ...(inlineVerdict ? [`inline configuration ${inlineVerdict}`] : []),
                ...verdicts.map(({ sse, verdict }) => `${sse.name} ${verdict}`),
            ];
            findings.violation(`${label(bucket)} has no server-side encryption${reasons.length ? `: ${reasons.join("; ")}` : ""}.`, bucket.urn);
        }
    },
});

// ---------------------------------------------------------------------------
// Databases, caches, streams, clusters
// ---------------------------------------------------------------------------

export const rdsStorageEncrypted = resourceRule({
    name: "rds-storage-encrypted",
    description: "RDS instances and clusters set storageEncrypted.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.rdsInstance, ...T.rdsCluster],
    references: { checkov: ["CKV_AWS_16", "CKV_AWS_96"], securityHub: ["RDS.3", "RDS.27"] },
    check: ({ props, ...resource }, findings) => {
        // Read replicas inherit encryption from their source; Aurora Serverless v1 is always encrypted.
        const source = at(props, "replicateSourceDb");
        const mode = at(props, "engineMode");
        if (isSet(source) || mode === "serverless") return;
        if (source === UNKNOWN || mode === UNKNOWN) return findings.unknown("replicateSourceDb/engineMode");
        findings.require(at(props, "storageEncrypted"), isTrue, `${label({ props, ...resource })} does not set storageEncrypted: true.`, "storageEncrypted");
    },
});

export const elasticacheEncryption = resourceRule({
    name: "elasticache-encryption",
    description: "ElastiCache replication groups encrypt at rest and in transit (TLS required), and authenticate with an auth token or RBAC user groups.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.cacheReplicationGroup,
    references: { checkov: ["CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_31"], securityHub: ["ElastiCache.4", "ElastiCache.5", "ElastiCache.6"] },
    check: (resource, findings) => {
        const { props } = resource;
        const name = label(resource);
        findings.require(at(props, "atRestEncryptionEnabled"), isTrue, `${name} does not enable atRestEncryptionEnabled.`, "atRestEncryptionEnabled");
        findings.require(at(props, "transitEncryptionEnabled"), isTrue, `${name} does not enable transitEncryptionEnabled.`, "transitEncryptionEnabled");
        findings.require(at(props, "transitEncryptionMode"), (mode) => mode === undefined || mode === null || mode === "required",
            `${name} sets transitEncryptionMode "preferred": clients may still connect without TLS.`, "transitEncryptionMode");
        const token = at(props, "authToken");
        const writeOnlyToken = at(props, "authTokenWo");
        const userGroups = list(props, "userGroupIds");
        if (isSet(token) || isSet(writeOnlyToken) || (Array.isArray(userGroups) && userGroups.length > 0)) return;
        if (token === UNKNOWN || writeOnlyToken === UNKNOWN || userGroups === UNKNOWN) findings.unknown("authToken/userGroupIds");
        else findings.violation(`${name} has neither an authToken nor RBAC userGroupIds.`);
    },
});

/** EBS volumes a resource declares: [where, encrypted value]. */
function ebsVolumes(resource: RuleResource, findings: Findings): [string, Read][] | undefined {
    const { props, type } = resource;
    if (isOneOf(type, T.ebsVolume)) return [["volume", at(props, "encrypted")]];
    if (isOneOf(type, T.launchTemplate)) {
        const mappings = list(props, "blockDeviceMappings");
        if (isOpaque(mappings)) return void findings.unknown("blockDeviceMappings");
        return mappings
            .map((mapping, index): [string, Read, Read] => [`blockDeviceMappings[${index}]`, at(mapping, "ebs"), at(mapping, "ebs", "encrypted")])
            .filter(([, ebs]) => ebs !== undefined && ebs !== null)
            .map(([where, , encrypted]) => [where, encrypted]);
    }
    // ec2.Instance, ec2.SpotInstanceRequest and ec2.LaunchConfiguration: root device plus EBS block devices.
    const volumes: [string, Read][] = [];
    const root = at(props, "rootBlockDevice");
    const template = at(props, "launchTemplate");
    if (root === UNKNOWN) findings.unknown("rootBlockDevice");
    else if (root !== undefined && root !== null) volumes.push(["rootBlockDevice", at(root, "encrypted")]);
    else if (template === UNKNOWN) findings.unknown("launchTemplate");
    else if (!isSet(template)) volumes.push(["rootBlockDevice (not declared, so not encrypted unless the AMI is)", undefined]);
    const blocks = list(props, "ebsBlockDevices");
    if (isOpaque(blocks)) findings.unknown("ebsBlockDevices");
    else blocks.forEach((block, index) => volumes.push([`ebsBlockDevices[${index}]`, at(block, "encrypted")]));
    return volumes;
}

export const ebsEncryption = resourceRule({
    name: "ebs-encryption",
    description: "EBS is encrypted everywhere: EC2 instance and spot instance request root and EBS block devices, launch templates, launch configurations and ebs.Volume.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.ec2Instance, ...T.spotInstanceRequest, ...T.launchTemplate, ...T.launchConfiguration, ...T.ebsVolume],
    references: { checkov: ["CKV_AWS_3", "CKV_AWS_8", "CKV2_AWS_2"], securityHub: ["EC2.3", "EC2.7"] },
    check: (resource, findings) => {
        for (const [where, encrypted] of ebsVolumes(resource, findings) ?? []) {
            findings.require(encrypted, isTrue, `${label(resource)} ${where} is not encrypted.`, `${where}.encrypted`);
        }
    },
});

export const mskEncryption = resourceRule({
    name: "msk-encryption",
    description: "MSK clusters use TLS between clients and brokers and inside the cluster, and encrypt at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.mskCluster,
    references: { checkov: ["CKV_AWS_81"], securityHub: ["MSK.1"] },
    check: (resource, findings) => {
        const info = at(resource.props, "encryptionInfo");
        const name = label(resource);
        // AWS defaults: clientBroker TLS, inCluster true; an explicit weaker value fails.
        findings.require(at(info, "encryptionInTransit", "clientBroker"), (mode) => mode === undefined || mode === null || mode === "TLS",
            `${name} allows plaintext client-broker traffic (clientBroker must be TLS).`, "encryptionInfo.encryptionInTransit.clientBroker");
        findings.require(at(info, "encryptionInTransit", "inCluster"), (value) => value === undefined || value === null || truthy(value) === true,
            `${name} disables in-cluster TLS.`, "encryptionInfo.encryptionInTransit.inCluster");
        findings.require(at(info, "encryptionAtRestKmsKeyArn"), isSet,
            `${name} does not set encryptionInfo.encryptionAtRestKmsKeyArn (customer-managed KMS key at rest).`, "encryptionInfo.encryptionAtRestKmsKeyArn");
    },
});

export const eksSecretsEncryption = resourceRule({
    name: "eks-secrets-encryption",
    description: "EKS clusters encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources [\"secrets\"]).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.eksCluster,
    references: { checkov: ["CKV_AWS_58"], securityHub: [], securityHubOther: ["EKS.3"] },
    check: (resource, findings) => {
        const configs = list(resource.props, "encryptionConfig");
        if (isOpaque(configs)) return findings.unknown("encryptionConfig");
        let unknown = false;
        for (const config of configs) {
            const resources = list(config, "resources");
            const key = at(config, "provider", "keyArn");
            if (isOpaque(resources) || isOpaque(key)) {
                unknown = true;
                continue;
            }
            if (resources.includes("secrets") && isSet(key)) return;
            if (resources.some(isOpaque)) unknown = true;
        }
        if (unknown) findings.unknown("encryptionConfig");
        else findings.violation(`${label(resource)} does not encrypt secrets with KMS (encryptionConfig.resources must include "secrets" with provider.keyArn).`);
    },
});

// ---------------------------------------------------------------------------
// Keys, logs, secrets, registries, Glue
// ---------------------------------------------------------------------------

export const kmsKeyRotation = resourceRule({
    name: "kms-key-rotation",
    description: "Symmetric KMS keys have automatic rotation on.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.kmsKey,
    references: { checkov: ["CKV_AWS_7"], securityHub: [], securityHubOther: ["KMS.4"] },
    check: (resource, findings) => {
        const spec = at(resource.props, "customerMasterKeySpec") ?? at(resource.props, "keySpec");
        const usage = at(resource.props, "keyUsage");
        const store = at(resource.props, "customKeyStoreId");
        // Rotation exists only for symmetric encryption keys outside custom key stores.
        if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") return;
        if (typeof usage === "string" && usage !== "ENCRYPT_DECRYPT") return;
        if (isSet(store) && store !== UNKNOWN) return;
        if ([spec, usage, store].some(isOpaque) && truthy(at(resource.props, "enableKeyRotation")) !== true) return findings.unknown("key spec/usage");
        findings.require(at(resource.props, "enableKeyRotation"), isTrue, `${label(resource)} does not set enableKeyRotation: true.`, "enableKeyRotation");
    },
});

export const logGroupRetention = resourceRule<{ minRetentionDays: number }>({
    name: "log-group-retention",
    description: "CloudWatch log groups set a retention period (never \"keep forever\"), at least the configured minimum.",
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: T.logGroup,
    references: { checkov: ["CKV_AWS_66", "CKV_AWS_338"], securityHub: [], securityHubOther: ["CloudWatch.16"] },
    parameters: { schema: { minRetentionDays: { type: "integer", minimum: 1 } }, defaults: { minRetentionDays: 1 } },
    check: (resource, findings, config) => {
        const days = at(resource.props, "retentionInDays");
        const found = typeof days === "number" && days > 0 ? `keeps logs ${days} day(s)` : "keeps logs forever (retentionInDays unset or 0)";
        findings.require(days, (value) => typeof value === "number" && value >= config.minRetentionDays,
            `${label(resource)} ${found}; at least ${config.minRetentionDays} day(s) required.`, "retentionInDays");
    },
});

function kmsRule(name: string, description: string, types: readonly string[], read: (props: unknown) => Read, what: string, references: PackPolicy["references"]) {
    return resourceRule({
        name,
        description,
        enforcementLevel: "advisory",
        severity: "low",
        resourceTypes: types,
        references,
        check: (resource, findings) => {
            findings.require(read(resource.props), isSet, `${label(resource)} does not use a customer-managed KMS key (${what}).`, what, undefined, true);
        },
    });
}

export const logGroupKms = kmsRule("log-group-kms", "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    T.logGroup, (props) => at(props, "kmsKeyId"), "kmsKeyId", { checkov: ["CKV_AWS_158"], securityHub: [] });

export const secretKms = kmsRule("secrets-manager-kms", "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    T.secret, (props) => at(props, "kmsKeyId"), "kmsKeyId", { checkov: ["CKV_AWS_149"], securityHub: [] });

export const ecrKms = kmsRule("ecr-kms", "ECR repositories are encrypted with KMS (encryptionConfigurations encryptionType KMS).",
    T.ecrRepository, (props) => {
        const configs = list(props, "encryptionConfigurations");
        if (isOpaque(configs)) return configs;
        const types = configs.map((config) => at(config, "encryptionType"));
        if (types.some((type) => typeof type === "string" && type.startsWith("KMS"))) return "KMS";
        return types.some(isOpaque) ? UNKNOWN : undefined;
    }, "encryptionConfigurations[].encryptionType", { checkov: ["CKV_AWS_136"], securityHub: [] });

export const glueSecurityConfiguration = resourceRule({
    name: "glue-security-configuration",
    description: "Glue jobs and crawlers run with a security configuration, and security configurations do not disable S3 encryption.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.glueJob, ...T.glueCrawler, ...T.glueSecurityConfiguration],
    references: { checkov: ["CKV_AWS_195", "CKV_AWS_99"], securityHub: [] },
    check: (resource, findings) => {
        if (isOneOf(resource.type, T.glueSecurityConfiguration)) {
            findings.require(at(resource.props, "encryptionConfiguration", "s3Encryption", "s3EncryptionMode"), (mode) => typeof mode === "string" && mode !== "DISABLED",
                `${label(resource)} does not encrypt S3 data (s3Encryption.s3EncryptionMode must be SSE-S3 or SSE-KMS).`, "encryptionConfiguration.s3Encryption.s3EncryptionMode");
            return;
        }
        findings.require(at(resource.props, "securityConfiguration"), isSet, `${label(resource)} has no securityConfiguration.`, "securityConfiguration", undefined, true);
    },
});

// ---------------------------------------------------------------------------
// Load balancer listeners
// ---------------------------------------------------------------------------

/** TLS 1.2+ policies: TLS13-1-2/1-3, TLS-1-2, FS-1-2 families (incl. Res, Ext, FIPS, PQ variants). */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

function redirectsToHttps(action: Read): boolean | typeof UNKNOWN {
    const type = at(action, "type");
    const protocol = at(action, "redirect", "protocol");
    if (isOpaque(type) || (type === "redirect" && isOpaque(protocol))) return UNKNOWN;
    return type === "redirect" && protocol === "HTTPS";
}

/**
 * The listener's protocol, upper-cased. Unset, AWS uses HTTPS when a certificate
 * is attached and HTTP on an application load balancer; without either hint the
 * load balancer type decides, which a listener alone cannot tell.
 */
function listenerProtocol(resource: RuleResource): string | typeof UNKNOWN | undefined {
    const protocol = at(resource.props, "protocol");
    if (protocol === UNKNOWN) return UNKNOWN;
    if (typeof protocol === "string" && protocol !== "") return protocol.toUpperCase();
    const certificate = at(resource.props, "certificateArn");
    if (certificate === UNKNOWN) return UNKNOWN;
    if (isSet(certificate)) return "HTTPS";
    const port = at(resource.props, "port");
    if (port === UNKNOWN) return UNKNOWN;
    return port === 80 ? "HTTP" : undefined;
}

export const albTls = resourceRule<{ allowedSslPolicies: string[] }>({
    name: "alb-listener-tls",
    description: "HTTPS/TLS listeners use a TLS 1.2+ security policy (not ELBSecurityPolicy-2016-08); HTTP listeners only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.listener,
    references: { checkov: ["CKV_AWS_2", "CKV_AWS_103", "CKV2_AWS_20"], securityHub: ["ELB.17", "ELB.1"] },
    parameters: {
        schema: { allowedSslPolicies: { type: "array", items: { type: "string" } } },
        defaults: { allowedSslPolicies: [] },
    },
    check: (resource, findings, config) => {
        const protocol = listenerProtocol(resource);
        const name = label(resource);
        if (protocol === UNKNOWN) return findings.unknown("protocol");
        if (protocol === "HTTPS" || protocol === "TLS") {
            findings.require(at(resource.props, "sslPolicy"),
                (policy) => typeof policy === "string" && (MODERN_TLS_POLICY.test(policy) || config.allowedSslPolicies.includes(policy)),
                `${name} does not use a TLS 1.2+ security policy (sslPolicy unset means ELBSecurityPolicy-2016-08; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06).`, "sslPolicy");
            return;
        }
        if (protocol !== "HTTP") return;
        const actions = list(resource.props, "defaultActions");
        if (isOpaque(actions)) return findings.unknown("defaultActions");
        const verdicts = actions.map(redirectsToHttps);
        if (verdicts.some((verdict) => verdict === false) || actions.length === 0) {
            findings.violation(`${name} is an HTTP listener whose default action does not redirect to HTTPS.`);
        } else if (verdicts.some((verdict) => verdict === UNKNOWN)) {
            findings.unknown("defaultActions");
        }
    },
});

export const encryptionResourcePolicies = [
    rdsStorageEncrypted,
    elasticacheEncryption,
    ebsEncryption,
    mskEncryption,
    eksSecretsEncryption,
    kmsKeyRotation,
    logGroupRetention,
    logGroupKms,
    secretKms,
    ecrKms,
    glueSecurityConfiguration,
    albTls,
];
export const encryptionStackPolicies = [s3BucketEncryption];
export const encryptionPolicies: PackPolicy[] = [...encryptionResourcePolicies, ...encryptionStackPolicies];
