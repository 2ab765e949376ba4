import { childrenOf, refersTo } from "./links";
import { Findings, PackPolicy, RuleResource, StackResource, label, resourceRule, stackRule } from "./rules";
import { T, TYPE, isOneOf } from "./types";
import { Read, UNKNOWN, at, isOpaque, isSet, list, truthy } from "./values";

/**
 * The edge: load balancers (headers, desync, access logs, deletion protection), TLS 1.3 on HTTPS
 * listeners, WAF on internet-facing ALBs with logging, and the circuit breaker of services behind a
 * load balancer. Listener TLS 1.2+ and HTTP-to-HTTPS redirects are encryption.ts's
 * (alb-listener-tls, alb-http-listener-rules-redirect).
 */

const isTrue = (value: unknown) => truthy(value) === true;

type LoadBalancerKind = "application" | "network" | "gateway";

/** The kind of an elbv2 load balancer; unset is `application` (the provider's default). */
function loadBalancerKind(props: unknown): LoadBalancerKind | string | typeof UNKNOWN {
    const type = at(props, "loadBalancerType");
    if (isOpaque(type)) return UNKNOWN;
    if (type === undefined || type === null || type === "") return "application";
    return String(type).toLowerCase();
}

/** Calls `check` for application load balancers; defers when the kind is not known yet. */
function forApplicationLoadBalancers(resource: RuleResource, findings: Findings, check: () => void): void {
    const kind = loadBalancerKind(resource.props);
    if (kind === UNKNOWN) return findings.unknown("loadBalancerType");
    if (kind === "application") check();
}

export const albDropInvalidHeaders = resourceRule({
    name: "alb-drop-invalid-headers",
    description:
        'Application load balancers drop invalid HTTP header fields (dropInvalidHeaderFields: true) and mitigate HTTP desync in defensive or strictest mode (desyncMitigationMode unset, the AWS default "defensive", or "strictest"; never "monitor").',
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.loadBalancer,
    references: { checkov: ["CKV_AWS_131", "CKV_AWS_328"], securityHub: ["ELB.4", "ELB.12"] },
    check: (resource, findings) =>
        forApplicationLoadBalancers(resource, findings, () => {
            const name = label(resource);
            findings.require(
                at(resource.props, "dropInvalidHeaderFields"),
                isTrue,
                `${name} passes invalid HTTP header fields to its targets (set dropInvalidHeaderFields: true).`,
                "dropInvalidHeaderFields",
            );
            findings.require(
                at(resource.props, "desyncMitigationMode"),
                (mode) => mode === undefined || mode === null || ["defensive", "strictest"].includes(String(mode).toLowerCase()),
                `${name} does not mitigate HTTP desync (desyncMitigationMode must be defensive or strictest, not monitor).`,
                "desyncMitigationMode",
            );
        }),
});

/** Access logging of an elbv2 (provider default: off even with a bucket) or a classic load balancer (default: on with the block). */
function accessLogsOn(resource: RuleResource): Read {
    const logs = at(resource.props, "accessLogs");
    if (isOpaque(logs)) return logs;
    if (logs === undefined || logs === null) return false;
    const bucket = at(logs, "bucket");
    const enabled = at(logs, "enabled");
    if (isOpaque(bucket) || isOpaque(enabled)) return UNKNOWN;
    const defaultOn = isOneOf(resource.type, T.classicLoadBalancer);
    return isSet(bucket) && (enabled === undefined || enabled === null ? defaultOn : truthy(enabled) === true);
}

export const loadBalancerAccessLogs = resourceRule({
    name: "alb-access-logs",
    description:
        "Application and classic load balancers write access logs to S3 (accessLogs with a bucket and, for application load balancers, enabled: true: the provider leaves them off even with a bucket).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.loadBalancer, ...T.classicLoadBalancer],
    references: { checkov: ["CKV_AWS_91", "CKV_AWS_92"], securityHub: ["ELB.5"] },
    check: (resource, findings) => {
        const judge = () =>
            findings.require(
                accessLogsOn(resource),
                (on) => on === true,
                `${label(resource)} does not write access logs (set accessLogs with a bucket and enabled: true).`,
                "accessLogs",
            );
        if (isOneOf(resource.type, T.classicLoadBalancer)) return judge();
        forApplicationLoadBalancers(resource, findings, judge);
    },
});

export const loadBalancerDeletionProtection = resourceRule({
    name: "lb-deletion-protection",
    description:
        "Application, network and gateway load balancers have deletion protection on (enableDeletionProtection: true). Advisory by default: stacks destroyed and re-created the same day leave it off; prod makes it mandatory.",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: T.loadBalancer,
    references: { checkov: ["CKV_AWS_150"], securityHub: ["ELB.6"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "enableDeletionProtection"),
            isTrue,
            `${label(resource)} can be deleted by any API call or destroy (enableDeletionProtection is not true).`,
            "enableDeletionProtection",
        );
    },
});

/** TLS 1.3 policies whose oldest protocol is TLS 1.2 or 1.3 (TLS13-1-0 and TLS13-1-1 still accept TLS 1.0/1.1). */
export const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;

export const listenerTls13 = resourceRule<{ allowedSslPolicies: string[] }>({
    name: "alb-listener-tls13",
    description:
        "HTTPS and TLS listeners use a TLS 1.3 security policy that accepts nothing older than TLS 1.2 (ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-*, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06 or the post-quantum ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), or one the stack's config allows.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.listener,
    references: { checkov: ["CKV_AWS_103"], securityHub: ["ELB.17"] },
    parameters: { schema: { allowedSslPolicies: { type: "array", items: { type: "string" } } }, defaults: { allowedSslPolicies: [] } },
    check: (resource, findings, config) => {
        const protocol = at(resource.props, "protocol");
        if (isOpaque(protocol)) return findings.unknown("protocol");
        if (typeof protocol !== "string" || !["HTTPS", "TLS"].includes(protocol.toUpperCase())) return;
        const policy = at(resource.props, "sslPolicy");
        findings.require(
            policy,
            (value) => typeof value === "string" && (TLS13_POLICY.test(value) || config.allowedSslPolicies.includes(value)),
            `${label(resource)} uses ${typeof policy === "string" ? policy : "no sslPolicy (so ELBSecurityPolicy-2016-08)"}, not a TLS 1.3 policy (ELBSecurityPolicy-TLS13-1-2-2021-06 or newer).`,
            "sslPolicy",
        );
    },
});

// ---------------------------------------------------------------------------
// WAF on internet-facing application load balancers (stack rule)
// ---------------------------------------------------------------------------

const ARN_OR_ID = ["arn", "id"] as const;

/** True for an internet-facing application load balancer, UNKNOWN when its kind or scheme is not known yet. */
function isInternetFacingAlb(resource: StackResource): boolean | typeof UNKNOWN {
    const kind = loadBalancerKind(resource.props);
    const internal = at(resource.props, "internal");
    if (kind === UNKNOWN) return UNKNOWN;
    if (kind !== "application") return false;
    if (isOpaque(internal)) return UNKNOWN;
    return truthy(internal) !== true;
}

/** Whether the stack logs a web ACL: "yes", "no", or UNKNOWN (a logging configuration may point at it). */
function aclLogged(resources: readonly StackResource[], acl: StackResource): "yes" | "no" | typeof UNKNOWN {
    const logging = childrenOf(resources, [TYPE.wafv2WebAclLoggingConfiguration], "resourceArn", acl, ARN_OR_ID);
    const withDestinations = logging.definite.map((config) => list(config.props, "logDestinationConfigs"));
    if (withDestinations.some((destinations) => Array.isArray(destinations) && destinations.length > 0)) return "yes";
    if (logging.possible.length > 0 || withDestinations.some(isOpaque)) return UNKNOWN;
    return "no";
}

/** Whether a logging configuration in the stack names this ARN (a web ACL managed outside the stack). */
function arnLogged(resources: readonly StackResource[], arn: Read): boolean {
    return (
        typeof arn === "string" &&
        resources.some((resource) => resource.type === TYPE.wafv2WebAclLoggingConfiguration && at(resource.props, "resourceArn") === arn)
    );
}

/** Judges the logging of the web ACLs associated with one ALB; returns false when it has no association at all. */
function judgeAlbAcls(resources: readonly StackResource[], alb: StackResource, findings: Findings, judged: Set<string>): boolean | typeof UNKNOWN {
    const associations = childrenOf(resources, [TYPE.wafv2WebAclAssociation], "resourceArn", alb, ARN_OR_ID);
    if (associations.definite.length === 0) return associations.possible.length > 0 ? UNKNOWN : false;
    const acls = resources.filter((resource) => resource.type === TYPE.wafv2WebAcl);
    for (const association of associations.definite) {
        const links = acls.map((acl) => ({ acl, link: refersTo(association, "webAclArn", acl, ARN_OR_ID) }));
        const acl = links.find(({ link }) => link === true)?.acl;
        if (acl) {
            judged.add(acl.urn);
            judgeAclLogging(resources, acl, findings, ` (on ${alb.name})`);
        } else if (!arnLogged(resources, at(association.props, "webAclArn"))) {
            const why = links.some(({ link }) => link === UNKNOWN) ? "not known yet" : "not in this stack";
            findings.unknown(`logging of the web ACL of ${association.name} (${why})`);
        }
    }
    return true;
}

function judgeAclLogging(resources: readonly StackResource[], acl: StackResource, findings: Findings, where = ""): void {
    const logged = aclLogged(resources, acl);
    if (logged === UNKNOWN) findings.unknown(`logging of ${acl.name}`);
    else if (logged === "no")
        findings.violation(
            `${label(acl)}${where} has no logging configuration (a wafv2.WebAclLoggingConfiguration to an aws-waf-logs-* destination).`,
            acl.urn,
        );
}

export const albWafProtected = stackRule({
    name: "alb-waf-protected",
    description:
        "Every internet-facing application load balancer has a WAFv2 web ACL association, and every web ACL (associated, or in the stack) has a logging configuration. Advisory by default; prod makes it mandatory.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: [...T.loadBalancer, TYPE.wafv2WebAclAssociation, TYPE.wafv2WebAcl, TYPE.wafv2WebAclLoggingConfiguration],
    references: { checkov: ["CKV2_AWS_28", "CKV2_AWS_31"], securityHub: ["ELB.16", "WAF.11"] },
    check: (resources, findings) => {
        const judged = new Set<string>();
        for (const alb of resources.filter((resource) => isOneOf(resource.type, T.loadBalancer))) {
            const facing = isInternetFacingAlb(alb);
            if (facing === UNKNOWN) {
                findings.unknown(`scheme of ${alb.name}`);
                continue;
            }
            if (!facing) continue;
            const associated = judgeAlbAcls(resources, alb, findings, judged);
            if (associated === UNKNOWN) findings.unknown(`WAF association of ${alb.name}`);
            else if (!associated)
                findings.violation(
                    `${label(alb)} is internet-facing without a WAFv2 web ACL (no wafv2.WebAclAssociation with its ARN as resourceArn).`,
                    alb.urn,
                );
        }
        for (const acl of resources.filter((resource) => resource.type === TYPE.wafv2WebAcl && !judged.has(resource.urn))) {
            judgeAclLogging(resources, acl, findings);
        }
    },
});

// ---------------------------------------------------------------------------
// ECS services behind a load balancer
// ---------------------------------------------------------------------------

export const ecsServiceCircuitBreaker = resourceRule({
    name: "ecs-service-circuit-breaker",
    description:
        "ECS services behind a load balancer (loadBalancers set) with the rolling-update controller stop and roll back a failing deployment (deploymentCircuitBreaker enable and rollback true); CODE_DEPLOY and EXTERNAL controllers, which have no circuit breaker, are not judged.",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: T.ecsService,
    references: { checkov: [], securityHub: [] },
    check: (resource, findings) => {
        const balancers = list(resource.props, "loadBalancers");
        if (isOpaque(balancers)) return findings.unknown("loadBalancers");
        if (balancers.length === 0) return;
        const controller = at(resource.props, "deploymentController", "type");
        if (isOpaque(controller)) return findings.unknown("deploymentController.type");
        if (typeof controller === "string" && controller.toUpperCase() !== "ECS") return;
        const enable = at(resource.props, "deploymentCircuitBreaker", "enable");
        const rollback = at(resource.props, "deploymentCircuitBreaker", "rollback");
        if (isOpaque(enable) || isOpaque(rollback)) return findings.unknown("deploymentCircuitBreaker");
        if (truthy(enable) !== true || truthy(rollback) !== true)
            findings.violation(
                `${label(resource)} serves a load balancer without the deployment circuit breaker and rollback (deploymentCircuitBreaker { enable: true, rollback: true }): a failing release keeps replacing healthy tasks.`,
            );
    },
});

export const edgeResourcePolicies = [
    albDropInvalidHeaders,
    loadBalancerAccessLogs,
    loadBalancerDeletionProtection,
    listenerTls13,
    ecsServiceCircuitBreaker,
];
export const edgeStackPolicies = [albWafProtected];

/** The edge rules. */
export const edgePolicies: readonly PackPolicy[] = [...edgeResourcePolicies, ...edgeStackPolicies];
