import { PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { T, isOneOf } from "./types";
import { Read, UNKNOWN, at, isOpaque, isSet, list, truthy } from "./values";

/**
 * EKS: supported version (EKS.2), control-plane logging (EKS.8 and the log types), access entries
 * without creator-admin bootstrap, and node groups on launch templates that require IMDSv2. Secrets
 * encryption (encryption.ts), the public endpoint and node remote access (public-access.ts) and the
 * generic launch-template rules (compute.ts, public-access.ts, encryption.ts) live with their concerns.
 */

/**
 * Kubernetes versions in EKS standard support (release calendar, docs.aws.amazon.com/eks/latest/userguide/
 * kubernetes-versions.html): 1.34 until 2026-12-02, 1.35 until 2027-03-27, 1.36 until 2027-08. Kept here
 * because the pack imports nothing from the program; drop a version when its standard support ends
 * (a stack's pack config can override the list: `supportedVersions`).
 */
export const EKS_STANDARD_SUPPORT_VERSIONS = ["1.34", "1.35", "1.36"];

export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
/** The API requests, the audit trail of who changed what, and which IAM identity each request was. */
export const EKS_REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"];

export const EKS_ACCESS_ENTRY_MODES = ["API", "API_AND_CONFIG_MAP"];

const stringList = { type: "array", items: { type: "string" } } as const;

/** `1.35` for "1.35" or "1.35.3"; undefined for anything else. */
function minorVersion(value: unknown): string | undefined {
    if (typeof value !== "string") return undefined;
    const match = /^(\d+\.\d+)(\.\d+)?$/.exec(value.trim());
    return match ? match[1] : undefined;
}

export const eksSupportedVersion = resourceRule<{ supportedVersions: string[] }>({
    name: "eks-supported-version",
    description:
        "EKS clusters pin a Kubernetes version in EKS standard support (`version` set, one of supportedVersions, default 1.34, 1.35, 1.36): extended support costs $0.60 instead of $0.10 per cluster-hour and ends in a forced upgrade.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.eksCluster,
    references: { checkov: ["CKV_AWS_339"], securityHub: ["EKS.2"] },
    parameters: { schema: { supportedVersions: stringList }, defaults: { supportedVersions: EKS_STANDARD_SUPPORT_VERSIONS } },
    check: (resource, findings, config) => {
        const version = at(resource.props, "version");
        const supported = config.supportedVersions.map((item) => item.trim());
        findings.require(
            version,
            (value) => supported.includes(minorVersion(value) ?? ""),
            version === undefined || version === null
                ? `${label(resource)} does not pin a Kubernetes version (EKS picks its default, and the cluster drifts out of support unseen); set version to one of ${supported.join(", ")}.`
                : `${label(resource)} runs Kubernetes ${String(version)}, not in EKS standard support; supported: ${supported.join(", ")}.`,
            "version",
        );
    },
});

/** The enabled control-plane log types, or UNKNOWN. */
function logTypes(props: Record<string, unknown>): string[] | typeof UNKNOWN {
    const types = list(props, "enabledClusterLogTypes");
    if (isOpaque(types) || types.some(isOpaque)) return UNKNOWN;
    return types.filter((type): type is string => typeof type === "string");
}

export const eksAuditLogging = resourceRule({
    name: "eks-audit-logging",
    description:
        "EKS clusters send the audit control-plane log to CloudWatch Logs (enabledClusterLogTypes includes audit): who did what in the cluster.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.eksCluster,
    references: { checkov: [], securityHub: ["EKS.8"] },
    check: (resource, findings) => {
        const types = logTypes(resource.props);
        if (types === UNKNOWN) return findings.unknown("enabledClusterLogTypes");
        if (!types.includes("audit")) {
            findings.violation(`${label(resource)} does not enable the audit log (enabledClusterLogTypes: [${types.join(", ")}]); add "audit".`);
        }
    },
});

export const eksControlPlaneLogging = resourceRule<{ requiredLogTypes: string[] }>({
    name: "eks-control-plane-logging",
    description:
        "EKS clusters enable the control-plane log types requiredLogTypes (default api, audit, authenticator): the API requests, the audit trail and the IAM identity behind each request.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.eksCluster,
    references: { checkov: ["CKV_AWS_37"], securityHub: [] },
    parameters: { schema: { requiredLogTypes: stringList }, defaults: { requiredLogTypes: EKS_REQUIRED_LOG_TYPES } },
    check: (resource, findings, config) => {
        const types = logTypes(resource.props);
        if (types === UNKNOWN) return findings.unknown("enabledClusterLogTypes");
        const missing = config.requiredLogTypes.filter((type) => !types.includes(type));
        if (missing.length > 0) findings.violation(`${label(resource)} does not enable control-plane log type(s) ${missing.join(", ")}.`);
    },
});

export const eksControlPlaneLoggingComplete = resourceRule({
    name: "eks-control-plane-logging-complete",
    description:
        "EKS clusters enable all five control-plane log types (api, audit, authenticator, controllerManager, scheduler); controllerManager and scheduler are for diagnosis, hence advisory by default.",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: T.eksCluster,
    references: { checkov: ["CKV_AWS_37"], securityHub: [] },
    check: (resource, findings) => {
        const types = logTypes(resource.props);
        if (types === UNKNOWN) return findings.unknown("enabledClusterLogTypes");
        const missing = EKS_LOG_TYPES.filter((type) => !types.includes(type));
        if (missing.length > 0) findings.violation(`${label(resource)} does not enable control-plane log type(s) ${missing.join(", ")}.`);
    },
});

export const eksAccessEntries = resourceRule({
    name: "eks-access-entries",
    description:
        "EKS clusters authenticate with access entries (accessConfig.authenticationMode API or API_AND_CONFIG_MAP); unset means CONFIG_MAP, where cluster access lives only in the aws-auth ConfigMap, outside IAM and this program.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.eksCluster,
    references: { checkov: [], securityHub: [] },
    check: (resource, findings) => {
        const mode = at(resource.props, "accessConfig", "authenticationMode");
        findings.require(
            mode,
            (value) => typeof value === "string" && EKS_ACCESS_ENTRY_MODES.includes(value),
            `${label(resource)} uses authentication mode ${typeof mode === "string" ? mode : "CONFIG_MAP (unset)"}; set accessConfig.authenticationMode to API or API_AND_CONFIG_MAP.`,
            "accessConfig.authenticationMode",
        );
    },
});

export const eksNoCreatorAdminBootstrap = resourceRule({
    name: "eks-no-creator-admin-bootstrap",
    description:
        "EKS clusters do not make their creator a cluster admin (accessConfig.bootstrapClusterCreatorAdminPermissions false; unset means true): admin goes to named access entries. Advisory by default, mandatory in prod.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: T.eksCluster,
    references: { checkov: [], securityHub: [] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "accessConfig", "bootstrapClusterCreatorAdminPermissions"),
            (value) => truthy(value) === false,
            `${label(resource)} makes the identity that created it a cluster admin (bootstrapClusterCreatorAdminPermissions is true or unset); grant admin through an access entry instead.`,
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
        );
    },
});

// ---------------------------------------------------------------------------
// Node groups on launch templates that require IMDSv2 (stack rule: the group and its template)
// ---------------------------------------------------------------------------

const TEMPLATE_IDENTIFIERS = ["id", "name", "arn"] as const;

/** The launch template a node group uses: the resource, "none", or UNKNOWN. */
function templateOf(group: StackResource, resources: readonly StackResource[]): StackResource | "none" | "external" | typeof UNKNOWN {
    const reference = at(group.props, "launchTemplate");
    if (reference === UNKNOWN) return UNKNOWN;
    if (reference === undefined || reference === null) return "none";
    const id = at(reference, "id");
    const name = at(reference, "name");
    const templates = resources.filter((resource) => isOneOf(resource.type, T.launchTemplate));
    const given = [id, name].filter((value): value is string => typeof value === "string" && value !== "");
    const byValue = templates.find((template) => TEMPLATE_IDENTIFIERS.some((key) => given.includes(at(template.props, key) as string)));
    if (byValue) return byValue;
    const byDependency = (group.propertyDependencies.launchTemplate ?? []).filter((dependency) => isOneOf(dependency.type, T.launchTemplate));
    if (byDependency.length === 1) return byDependency[0];
    if (isOpaque(id) || isOpaque(name) || byDependency.length > 1) return UNKNOWN;
    return given.length > 0 ? "external" : "none";
}

/** Why a launch template's metadata options fall short, or undefined when they do not. */
function metadataProblem(template: StackResource, maxHopLimit: number): string | typeof UNKNOWN | undefined {
    const options = at(template.props, "metadataOptions");
    if (isOpaque(options)) return UNKNOWN;
    const endpoint = at(options, "httpEndpoint");
    if (endpoint === "disabled") return undefined;
    const problem = tokenOrHopProblem(options, maxHopLimit);
    // An endpoint not known yet may turn out "disabled", which makes any problem moot.
    return problem !== undefined && isOpaque(endpoint) ? UNKNOWN : problem;
}

function tokenOrHopProblem(options: Read, maxHopLimit: number): string | typeof UNKNOWN | undefined {
    const tokens: Read = at(options, "httpTokens");
    const hops: Read = at(options, "httpPutResponseHopLimit");
    if (isOpaque(tokens) || isOpaque(hops)) return UNKNOWN;
    if (tokens !== "required") return `does not require IMDSv2 (metadataOptions.httpTokens is ${isSet(tokens) ? String(tokens) : "unset"})`;
    if (typeof hops !== "number")
        return `does not state the IMDS hop limit (metadataOptions.httpPutResponseHopLimit unset; the AMI's default applies)`;
    if (hops > maxHopLimit) return `lets pods reach IMDS (httpPutResponseHopLimit ${hops}, at most ${maxHopLimit})`;
    return undefined;
}

export const eksNodeGroupImdsv2 = stackRule<{ maxHopLimit: number }>({
    name: "eks-node-group-imdsv2",
    description:
        "EKS managed node groups launch from a launch template of the stack that requires IMDSv2 with a hop limit of at most maxHopLimit (default 1), so pods on the pod network cannot take the node role's credentials.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.eksNodeGroup, ...T.launchTemplate],
    references: { checkov: ["CKV_AWS_79", "CKV_AWS_341"], securityHub: ["EC2.170"] },
    parameters: { schema: { maxHopLimit: { type: "integer", minimum: 1, maximum: 64 } }, defaults: { maxHopLimit: 1 } },
    check: (resources, findings, config) => {
        for (const group of resources.filter((resource) => isOneOf(resource.type, T.eksNodeGroup))) {
            const template = templateOf(group, resources);
            if (template === UNKNOWN) {
                findings.unknown(`launch template of ${group.name}`);
            } else if (template === "none") {
                findings.violation(
                    `${label(group)} has no launch template: EKS generates one whose metadata options this stack does not state. Give it a launch template that requires IMDSv2.`,
                    group.urn,
                );
            } else if (template === "external") {
                findings.unknown(`launch template of ${group.name} (not in this stack)`);
            } else {
                const problem = metadataProblem(template, config.maxHopLimit);
                if (problem === UNKNOWN) findings.unknown(`metadataOptions of ${template.name}`);
                else if (problem !== undefined) findings.violation(`${label(group)} launches from ${label(template)}, which ${problem}.`, group.urn);
            }
        }
    },
});

export const kubernetesResourcePolicies = [
    eksSupportedVersion,
    eksAuditLogging,
    eksControlPlaneLogging,
    eksControlPlaneLoggingComplete,
    eksAccessEntries,
    eksNoCreatorAdminBootstrap,
];
export const kubernetesStackPolicies = [eksNodeGroupImdsv2];

/** The kubernetes rules. */
export const kubernetesPolicies: readonly PackPolicy[] = [...kubernetesResourcePolicies, ...kubernetesStackPolicies];
