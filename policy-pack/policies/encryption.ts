import { Statement, principals, resourceDocuments } from "./iam-documents";
import { BUCKET_IDENTIFIERS, childrenOf, refersTo } from "./links";
import { Findings, PackPolicy, RuleResource, StackResource, label, resourceRule, stackRule } from "./rules";
import { T, isOneOf } from "./types";
import { Read, SECRET, UNKNOWN, at, globMatches, isOpaque, isSet, keys, list, truthy } from "./values";

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
    description:
        "Every S3 bucket has a server-side-encryption configuration (inline, or a BucketServerSideEncryptionConfiguration for it) with AES256 or aws:kms.",
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
            const inlineVerdict =
                inline === undefined || (Array.isArray(inline) && inline.length === 0) ? undefined : judgeSse(inline, config.allowedAlgorithms);
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
        findings.require(
            at(props, "storageEncrypted"),
            isTrue,
            `${label({ props, ...resource })} does not set storageEncrypted: true.`,
            "storageEncrypted",
        );
    },
});

export const elasticacheEncryption = resourceRule({
    name: "elasticache-encryption",
    description:
        "ElastiCache replication groups encrypt at rest and in transit (TLS required), and authenticate with an auth token or RBAC user groups.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.cacheReplicationGroup,
    references: { checkov: ["CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_31"], securityHub: ["ElastiCache.4", "ElastiCache.5", "ElastiCache.6"] },
    check: (resource, findings) => {
        const { props } = resource;
        const name = label(resource);
        findings.require(at(props, "atRestEncryptionEnabled"), isTrue, `${name} does not enable atRestEncryptionEnabled.`, "atRestEncryptionEnabled");
        findings.require(
            at(props, "transitEncryptionEnabled"),
            isTrue,
            `${name} does not enable transitEncryptionEnabled.`,
            "transitEncryptionEnabled",
        );
        findings.require(
            at(props, "transitEncryptionMode"),
            (mode) => mode === undefined || mode === null || mode === "required",
            `${name} sets transitEncryptionMode "preferred": clients may still connect without TLS.`,
            "transitEncryptionMode",
        );
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
    description:
        "EBS is encrypted everywhere: EC2 instance and spot instance request root and EBS block devices, launch templates, launch configurations and ebs.Volume.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.ec2Instance, ...T.spotInstanceRequest, ...T.launchTemplate, ...T.launchConfiguration, ...T.ebsVolume],
    references: { checkov: ["CKV_AWS_3", "CKV_AWS_8", "CKV2_AWS_2"], securityHub: ["EC2.3"] },
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
        findings.require(
            at(info, "encryptionInTransit", "clientBroker"),
            (mode) => mode === undefined || mode === null || mode === "TLS",
            `${name} allows plaintext client-broker traffic (clientBroker must be TLS).`,
            "encryptionInfo.encryptionInTransit.clientBroker",
        );
        findings.require(
            at(info, "encryptionInTransit", "inCluster"),
            (value) => value === undefined || value === null || truthy(value) === true,
            `${name} disables in-cluster TLS.`,
            "encryptionInfo.encryptionInTransit.inCluster",
        );
        findings.require(
            at(info, "encryptionAtRestKmsKeyArn"),
            isSet,
            `${name} does not set encryptionInfo.encryptionAtRestKmsKeyArn (customer-managed KMS key at rest).`,
            "encryptionInfo.encryptionAtRestKmsKeyArn",
        );
    },
});

export const eksSecretsEncryption = resourceRule({
    name: "eks-secrets-encryption",
    description: 'EKS clusters encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources ["secrets"]).',
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
        else
            findings.violation(
                `${label(resource)} does not encrypt secrets with KMS (encryptionConfig.resources must include "secrets" with provider.keyArn).`,
            );
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
        if ([spec, usage, store].some(isOpaque) && truthy(at(resource.props, "enableKeyRotation")) !== true)
            return findings.unknown("key spec/usage");
        findings.require(
            at(resource.props, "enableKeyRotation"),
            isTrue,
            `${label(resource)} does not set enableKeyRotation: true.`,
            "enableKeyRotation",
        );
    },
});

export const logGroupRetention = resourceRule<{ minRetentionDays: number }>({
    name: "log-group-retention",
    description: 'CloudWatch log groups set a retention period (never "keep forever"), at least the configured minimum.',
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: T.logGroup,
    references: { checkov: ["CKV_AWS_66", "CKV_AWS_338"], securityHub: [], securityHubOther: ["CloudWatch.16"] },
    parameters: { schema: { minRetentionDays: { type: "integer", minimum: 1 } }, defaults: { minRetentionDays: 1 } },
    check: (resource, findings, config) => {
        const days = at(resource.props, "retentionInDays");
        const found = typeof days === "number" && days > 0 ? `keeps logs ${days} day(s)` : "keeps logs forever (retentionInDays unset or 0)";
        findings.require(
            days,
            (value) => typeof value === "number" && value >= config.minRetentionDays,
            `${label(resource)} ${found}; at least ${config.minRetentionDays} day(s) required.`,
            "retentionInDays",
        );
    },
});

function kmsRule(
    name: string,
    description: string,
    types: readonly string[],
    read: (props: unknown) => Read,
    what: string,
    references: PackPolicy["references"],
) {
    return resourceRule({
        name,
        description,
        enforcementLevel: "advisory",
        severity: "low",
        resourceTypes: types,
        references,
        check: (resource, findings) => {
            findings.require(
                read(resource.props),
                isSet,
                `${label(resource)} does not use a customer-managed KMS key (${what}).`,
                what,
                undefined,
                true,
            );
        },
    });
}

export const logGroupKms = kmsRule(
    "log-group-kms",
    "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    T.logGroup,
    (props) => at(props, "kmsKeyId"),
    "kmsKeyId",
    { checkov: ["CKV_AWS_158"], securityHub: [] },
);

export const secretKms = kmsRule(
    "secrets-manager-kms",
    "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    T.secret,
    (props) => at(props, "kmsKeyId"),
    "kmsKeyId",
    { checkov: ["CKV_AWS_149"], securityHub: [] },
);

export const ecrKms = kmsRule(
    "ecr-kms",
    "ECR repositories are encrypted with KMS (encryptionConfigurations encryptionType KMS).",
    T.ecrRepository,
    (props) => {
        const configs = list(props, "encryptionConfigurations");
        if (isOpaque(configs)) return configs;
        const types = configs.map((config) => at(config, "encryptionType"));
        if (types.some((type) => typeof type === "string" && type.startsWith("KMS"))) return "KMS";
        return types.some(isOpaque) ? UNKNOWN : undefined;
    },
    "encryptionConfigurations[].encryptionType",
    { checkov: ["CKV_AWS_136"], securityHub: [] },
);

export const glueSecurityConfiguration = resourceRule({
    name: "glue-security-configuration",
    description: "Glue jobs and crawlers run with a security configuration, and security configurations do not disable S3 encryption.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.glueJob, ...T.glueCrawler, ...T.glueSecurityConfiguration],
    references: { checkov: ["CKV_AWS_195", "CKV_AWS_99"], securityHub: [] },
    check: (resource, findings) => {
        if (isOneOf(resource.type, T.glueSecurityConfiguration)) {
            findings.require(
                at(resource.props, "encryptionConfiguration", "s3Encryption", "s3EncryptionMode"),
                (mode) => typeof mode === "string" && mode !== "DISABLED",
                `${label(resource)} does not encrypt S3 data (s3Encryption.s3EncryptionMode must be SSE-S3 or SSE-KMS).`,
                "encryptionConfiguration.s3Encryption.s3EncryptionMode",
            );
            return;
        }
        findings.require(
            at(resource.props, "securityConfiguration"),
            isSet,
            `${label(resource)} has no securityConfiguration.`,
            "securityConfiguration",
            undefined,
            true,
        );
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
 * The listener's protocol, upper-cased. Unset, AWS uses HTTP on an application
 * load balancer (the provider's documented default; a certificate does not
 * change it); network load balancer listeners must name theirs; a gateway load
 * balancer listener has neither protocol nor port, so undefined is returned
 * for it (GENEVE, not HTTP or TLS).
 */
function listenerProtocol(props: unknown): string | typeof UNKNOWN | undefined {
    const protocol = at(props, "protocol");
    if (protocol === UNKNOWN) return UNKNOWN;
    if (typeof protocol === "string" && protocol !== "") return protocol.toUpperCase();
    const port = at(props, "port");
    if (port === UNKNOWN) return UNKNOWN;
    return port === undefined || port === null ? undefined : "HTTP";
}

export const albTls = resourceRule<{ allowedSslPolicies: string[] }>({
    name: "alb-listener-tls",
    description:
        "HTTPS/TLS listeners use a TLS 1.2+ security policy (not ELBSecurityPolicy-2016-08); HTTP listeners, including one with no protocol (AWS makes it HTTP), only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.listener,
    references: { checkov: ["CKV_AWS_2", "CKV_AWS_103", "CKV2_AWS_20"], securityHub: ["ELB.17", "ELB.1"] },
    parameters: {
        schema: { allowedSslPolicies: { type: "array", items: { type: "string" } } },
        defaults: { allowedSslPolicies: [] },
    },
    check: (resource, findings, config) => {
        const protocol = listenerProtocol(resource.props);
        const name = label(resource);
        if (protocol === UNKNOWN) return findings.unknown("protocol");
        if (protocol === "HTTPS" || protocol === "TLS") {
            findings.require(
                at(resource.props, "sslPolicy"),
                (policy) => typeof policy === "string" && (MODERN_TLS_POLICY.test(policy) || config.allowedSslPolicies.includes(policy)),
                `${name} does not use a TLS 1.2+ security policy (sslPolicy unset means ELBSecurityPolicy-2016-08; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06).`,
                "sslPolicy",
            );
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

/** The listener a listener rule belongs to: its protocol, UNKNOWN, or "missing" when the listener is not in this stack. */
function ruleListenerProtocol(rule: StackResource, listeners: readonly StackResource[]): string | typeof UNKNOWN | undefined | "missing" {
    const definite: StackResource[] = [];
    const possible: StackResource[] = [];
    for (const listener of listeners) {
        const link = refersTo(rule, "listenerArn", listener, ["arn", "id"]);
        if (link === true) definite.push(listener);
        else if (link === UNKNOWN) possible.push(listener);
    }
    if (definite.length > 0) {
        const protocols = definite.map((listener) => listenerProtocol(listener.props));
        if (protocols.includes("HTTP")) return "HTTP";
        return protocols.includes(UNKNOWN) ? UNKNOWN : protocols[0];
    }
    if (possible.length > 0 || isOpaque(at(rule.props, "listenerArn"))) return UNKNOWN;
    return "missing";
}

export const albHttpListenerRulesRedirect = stackRule({
    name: "alb-http-listener-rules-redirect",
    description:
        "Listener rules on an HTTP listener only redirect to HTTPS: a rule that forwards (or answers, or authenticates) on an HTTP listener serves traffic over plain HTTP even when the listener's default action redirects.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.listenerRule, ...T.listener],
    references: { checkov: ["CKV2_AWS_20"], securityHub: ["ELB.1"] },
    check: (resources, findings) => {
        const listeners = resources.filter((resource) => isOneOf(resource.type, T.listener));
        for (const rule of resources.filter((resource) => isOneOf(resource.type, T.listenerRule))) {
            const actions = list(rule.props, "actions");
            if (isOpaque(actions)) {
                findings.unknown(`actions of ${rule.name}`);
                continue;
            }
            const verdicts = actions.map(redirectsToHttps);
            if (actions.length > 0 && verdicts.every((verdict) => verdict === true)) continue;
            const protocol = ruleListenerProtocol(rule, listeners);
            if (protocol === "missing") {
                findings.unknown(`protocol of the listener of ${rule.name} (not in this stack)`);
                continue;
            }
            if (protocol === UNKNOWN) {
                findings.unknown(`listener of ${rule.name}`);
                continue;
            }
            if (protocol !== "HTTP") continue;
            if (verdicts.some((verdict) => verdict === false) || actions.length === 0) {
                const kinds = actions.map((action) => String(at(action, "type") ?? "(unset)")).join(", ") || "no action";
                findings.violation(
                    `${label(rule)} is a rule of an HTTP listener that does not redirect to HTTPS (actions: ${kinds}); traffic it matches is served over plain HTTP.`,
                    rule.urn,
                );
            } else {
                findings.unknown(`actions of ${rule.name}`);
            }
        }
    },
});

export const elbClassicListenerTls = resourceRule({
    name: "elb-classic-listener-tls",
    description:
        "Classic load balancer listeners (elb.LoadBalancer, legacy elasticloadbalancing.LoadBalancer) terminate HTTPS or SSL (lbProtocol), never plain HTTP or TCP.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.classicLoadBalancer,
    references: { checkov: ["CKV_AWS_376"], securityHub: ["ELB.3"] },
    check: (resource, findings) => {
        const listeners = list(resource.props, "listeners");
        if (isOpaque(listeners)) return findings.unknown("listeners");
        listeners.forEach((listener, index) => {
            const protocol = at(listener, "lbProtocol");
            findings.require(
                protocol,
                (value) => typeof value === "string" && ["HTTPS", "SSL"].includes(value.toUpperCase()),
                `${label(resource)} listeners[${index}] listens on ${String(protocol ?? "(unset)")} port ${String(at(listener, "lbPort") ?? "?")}; classic load balancer listeners must use HTTPS or SSL.`,
                `listeners[${index}].lbProtocol`,
            );
        });
    },
});

// ---------------------------------------------------------------------------
// Account defaults, topics, queues
// ---------------------------------------------------------------------------

/**
 * EBS encryption by default is an account-and-region setting: an
 * ebs.EncryptionByDefault with `enabled: false` turns it off for everyone and is
 * a violation. A stack that does not manage it is not a finding: the setting is
 * a singleton an account baseline owns (two stacks managing it fight, and
 * deleting either turns it off), and ebs-encryption already requires every
 * volume this stack creates to be encrypted.
 */
export const ebsEncryptionByDefault = resourceRule({
    name: "ebs-encryption-by-default",
    description:
        "An ebs.EncryptionByDefault resource keeps EBS encryption by default on (enabled unset or true; false turns it off for the whole account and region). Stacks that do not manage the setting are not judged: it is an account baseline, and ebs-encryption covers this stack's own volumes.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.ebsEncryptionByDefault,
    references: { checkov: ["CKV_AWS_106"], securityHub: ["EC2.7"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "enabled"),
            (value) => value === undefined || value === null || truthy(value) === true,
            `${label(resource)} turns EBS encryption by default off (enabled: false) for the whole account and region.`,
            "enabled",
        );
    },
});

export const snsTopicKms = resourceRule({
    name: "sns-topic-kms",
    description: "SNS topics are encrypted at rest with a KMS key (kmsMasterKeyId set).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.snsTopic,
    references: { checkov: ["CKV_AWS_26"], securityHub: [], securityHubOther: ["SNS.1"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "kmsMasterKeyId"),
            isSet,
            `${label(resource)} is not encrypted with KMS (kmsMasterKeyId unset).`,
            "kmsMasterKeyId",
            undefined,
            true,
        );
    },
});

export const sqsQueueEncryption = resourceRule({
    name: "sqs-queue-encryption",
    description:
        "SQS queues are encrypted at rest: a KMS key (kmsMasterKeyId), or SQS-managed SSE, which AWS turns on for new queues unless sqsManagedSseEnabled is false.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.sqsQueue,
    references: { checkov: ["CKV_AWS_27"], securityHub: ["SQS.1"] },
    check: (resource, findings) => {
        const key = at(resource.props, "kmsMasterKeyId");
        const managed = at(resource.props, "sqsManagedSseEnabled");
        if (isSet(key) || truthy(managed) === true) return;
        if (key === UNKNOWN || isOpaque(managed)) return findings.unknown("kmsMasterKeyId/sqsManagedSseEnabled");
        if (truthy(managed) === false)
            findings.violation(`${label(resource)} is not encrypted at rest (no kmsMasterKeyId and sqsManagedSseEnabled: false).`);
    },
});

// ---------------------------------------------------------------------------
// S3 TLS-only bucket policies (stack rule: the bucket and its BucketPolicy)
// ---------------------------------------------------------------------------

const S3_ARN_PREFIX = /^arn:[^:]*:s3:::/i;

/** A statement's resources cover the bucket and its objects: true, false, or UNKNOWN (bucket name not known yet). */
function coversBucketAndObjects(statement: Statement, bucketName: Read): boolean | typeof UNKNOWN {
    const patterns = statement.resources.map((resource) => resource.trim());
    if (patterns.includes("*")) return true;
    if (typeof bucketName !== "string") return UNKNOWN;
    const covers = (target: string) =>
        patterns.some((pattern) => S3_ARN_PREFIX.test(pattern) && globMatches(pattern.replace(S3_ARN_PREFIX, ""), target));
    return covers(bucketName) && covers(`${bucketName}/any-object-key`);
}

/** The statement denies every S3 action to everyone when aws:SecureTransport is false. */
function isTlsDeny(statement: Statement, bucketName: Read): boolean | typeof UNKNOWN {
    if (statement.effect.toLowerCase() !== "deny") return false;
    if (!principals(statement.principal).everyone) return false;
    if (!statement.actions.some((action) => ["*", "s3:*"].includes(action.trim().toLowerCase()))) return false;
    const insecure = Object.entries(statement.condition).some(
        ([operator, block]) =>
            /^bool(ifexists)?$/i.test(operator) &&
            block !== null &&
            typeof block === "object" &&
            Object.entries(block).some(
                ([key, value]) =>
                    key.toLowerCase() === "aws:securetransport" &&
                    (Array.isArray(value) ? value : [value]).some((item) => String(item).toLowerCase() === "false"),
            ),
    );
    if (!insecure) return false;
    return coversBucketAndObjects(statement, bucketName);
}

export const s3TlsOnly = stackRule({
    name: "s3-tls-only",
    description:
        "Every S3 bucket has a bucket policy (inline, or an s3.BucketPolicy for it) that denies s3:* to everyone when aws:SecureTransport is false, on the bucket and its objects.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.bucket, ...T.bucketPolicy],
    references: { checkov: [], securityHub: ["S3.5"] },
    check: (resources, findings) => {
        for (const bucket of resources.filter((resource) => isOneOf(resource.type, T.bucket))) {
            const name = at(bucket.props, "bucket") ?? at(bucket.props, "id");
            const { definite, possible } = childrenOf(resources, T.bucketPolicy, "bucket", bucket, BUCKET_IDENTIFIERS);
            const documents = [...resourceDocuments(bucket), ...definite.flatMap((policy) => resourceDocuments(policy))];
            let unknown = possible.length > 0;
            let enforced = false;
            for (const document of documents) {
                if (document.statements === UNKNOWN) unknown = true;
                if (!Array.isArray(document.statements)) continue;
                for (const statement of document.statements) {
                    const verdict = isTlsDeny(statement, name);
                    if (verdict === true) enforced = true;
                    else if (verdict === UNKNOWN) unknown = true;
                }
            }
            if (enforced) continue;
            if (unknown) findings.unknown(`TLS-only policy of ${bucket.name}`);
            else
                findings.violation(
                    `${label(bucket)} has no bucket policy denying requests without TLS (Deny s3:* to Principal "*" when aws:SecureTransport is "false", on the bucket and its objects).`,
                    bucket.urn,
                );
        }
    },
});

export const encryptionResourcePolicies = [
    rdsStorageEncrypted,
    elasticacheEncryption,
    ebsEncryption,
    ebsEncryptionByDefault,
    mskEncryption,
    eksSecretsEncryption,
    kmsKeyRotation,
    logGroupRetention,
    logGroupKms,
    secretKms,
    ecrKms,
    snsTopicKms,
    sqsQueueEncryption,
    glueSecurityConfiguration,
    albTls,
    elbClassicListenerTls,
];
export const encryptionStackPolicies = [s3BucketEncryption, s3TlsOnly, albHttpListenerRulesRedirect];
export const encryptionPolicies: PackPolicy[] = [...encryptionResourcePolicies, ...encryptionStackPolicies];
