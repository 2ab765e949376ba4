import { ID_ONLY, childrenOf } from "./links";
import { Findings, PackPolicy, RuleResource, StackResource, label, resourceRule, stackRule } from "./rules";
import {
    SG_RULE_TYPES,
    SgRule,
    describeOpening,
    fromAddresses,
    fromWorld,
    isWorldCidr,
    opens,
    portsOf,
    rulesOf,
    worldSources,
} from "./security-groups";
import { T, isOneOf } from "./types";
import { UNKNOWN, at as read, isOpaque, isSet, list } from "./values";

/** Network exposure: security-group rules, default security groups, flow logs. */

const portsSchema = { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 } } as const;

/** Runs `check` over every rule of a resource (deferring when the rule list is unknown). */
function eachRule(resource: RuleResource, findings: Findings, check: (rule: SgRule) => void): void {
    const rules = rulesOf(resource);
    if (rules === UNKNOWN) {
        findings.unknown("security group rules");
        return;
    }
    rules.forEach(check);
}

function at(resource: RuleResource, rule: SgRule): string {
    return rule.where === "rule" ? label(resource) : `${label(resource)} ${rule.where}`;
}

function onlyPorts(range: { from: number; to: number }, allowed: readonly number[]): boolean {
    if (range.to - range.from + 1 > allowed.length) return false;
    for (let port = range.from; port <= range.to; port++) if (!allowed.includes(port)) return false;
    return true;
}

/** Admin, database, cache, broker and search ports. */
export const RESTRICTED_PORTS = [
    20, 21, 22, 23, 135, 137, 138, 139, 445, 1433, 1521, 2049, 2375, 2376, 2379, 2380, 3306, 3389, 4333, 5432, 5439, 5500, 5601, 5984, 6379, 6443,
    7199, 8020, 8086, 8888, 9042, 9090, 9092, 9093, 9094, 9095, 9096, 9097, 9098, 9160, 9200, 9300, 10250, 11211, 11214, 11215, 27017, 27018, 27019,
    28017, 50070,
];

/** Database and cache ports: reachable only from security groups, never from address ranges. */
export const DATA_PORTS = [1433, 1521, 3306, 5432, 5439, 6379, 9042, 11211, 27017, 27018, 27019];

function summarize(ports: number[]): string {
    return ports.length > 8 ? `${ports.slice(0, 8).join(", ")} and ${ports.length - 8} more` : ports.join(", ");
}

/**
 * Why a world-open ingress rule is a problem, each reason with the checkov and
 * Security Hub IDs (and the pack rule) it stands for, so one finding carries
 * what used to be up to four mandatory lines.
 */
function worldReasons(
    rule: SgRule,
    ports: { from: number; to: number } | "all" | "none",
    config: { publicPorts: number[]; restrictedPorts: number[] },
): string[] {
    const reasons: string[] = [];
    const publicOnly = ports !== "all" && ports !== "none" && onlyPorts(ports, config.publicPorts);
    if (ports === "all")
        reasons.push(
            `every protocol is allowed, not only TCP/UDP ports ${config.publicPorts.join(", ")} (CKV_AWS_277, EC2.18; sg-no-all-protocol-ingress)`,
        );
    else if (ports === "none")
        reasons.push(
            `protocol ${String(rule.protocol ?? "(unset)")} has no ports, and only TCP/UDP ports ${config.publicPorts.join(", ")} may be world-open (EC2.18)`,
        );
    else if (!publicOnly) reasons.push(`only TCP/UDP ports ${config.publicPorts.join(", ")} may be world-open (EC2.18)`);
    // Admin ports first: they are what a reader looks for in a long list.
    const restricted =
        ports === "none"
            ? []
            : config.restrictedPorts
                  .filter((port) => opens(ports, port))
                  .sort((a, b) => Number(![22, 3389].includes(a)) - Number(![22, 3389].includes(b)) || a - b);
    if (restricted.length > 0) {
        const cidrs = rule.cidrs === UNKNOWN ? [] : rule.cidrs.filter(isWorldCidr).map(String);
        const admin = restricted.includes(22) || restricted.includes(3389);
        const ids = [
            ...(restricted.includes(22) ? ["CKV_AWS_24"] : []),
            ...(restricted.includes(3389) ? ["CKV_AWS_25"] : []),
            "EC2.19",
            ...(admin && cidrs.some((cidr) => !cidr.includes(":")) ? ["EC2.53"] : []),
            ...(admin && cidrs.some((cidr) => cidr.includes(":")) ? ["EC2.54"] : []),
        ];
        const data = restricted.filter((port) => DATA_PORTS.includes(port));
        const dataNote =
            data.length > 0 ? `; data port(s) ${summarize(data)} belong behind a security-group reference (sg-data-ports-group-reference-only)` : "";
        reasons.push(
            `restricted admin/data port(s) ${summarize(restricted)} are never world-open, even when listed as public (${ids.join(", ")})${dataNote}`,
        );
    }
    return reasons;
}

export const sgWorldIngressPublicPortsOnly = resourceRule<{ publicPorts: number[]; restrictedPorts: number[] }>({
    name: "sg-world-ingress-public-ports-only",
    description:
        "Ingress from the internet is allowed only on the configured public ports (80, 443) over TCP/UDP: no other port, no all-protocol rule, no port-less protocol (ICMP, ICMPv6, ...), and never a restricted admin, database, cache, broker or search port (22, 3389, 3306, 5432, 6379, 9092-9098, 9200, ...) even if listed as public. World-open means 0.0.0.0/0, ::/0, or any IPv4 CIDR shorter than /8 or IPv6 CIDR shorter than /16. One finding per world-open rule lists every reason with its IDs.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: SG_RULE_TYPES,
    references: {
        checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"],
        securityHub: ["EC2.18", "EC2.19", "EC2.53", "EC2.54"],
        securityHubOther: ["EC2.13", "EC2.14"],
    },
    parameters: {
        schema: { publicPorts: portsSchema, restrictedPorts: portsSchema },
        defaults: { publicPorts: [80, 443], restrictedPorts: RESTRICTED_PORTS },
    },
    check: (resource, findings, config) =>
        eachRule(resource, findings, (rule) => {
            if (rule.direction !== "ingress") return;
            const ports = portsOf(rule);
            const harmless =
                ports !== UNKNOWN &&
                ports !== "all" &&
                ports !== "none" &&
                onlyPorts(ports, config.publicPorts) &&
                !config.restrictedPorts.some((port) => opens(ports, port));
            if (harmless) return;
            const world = fromWorld(rule);
            if (world === false) return;
            if (world === UNKNOWN || ports === UNKNOWN) {
                findings.unknown(`${rule.where} sources or ports`);
                return;
            }
            const reasons = worldReasons(rule, ports, config);
            if (reasons.length === 0) return;
            findings.violation(
                `${at(resource, rule)} opens ${describeOpening(rule, ports)} to the internet ${worldSources(rule)}: ${reasons.join("; ")}.`,
            );
        }),
});

export const sgNoAllProtocolIngress = resourceRule({
    name: "sg-no-all-protocol-ingress",
    description:
        "No ingress rule allows all protocols (-1) from a CIDR or prefix list; all-traffic rules may only reference security groups. From the internet this is part of the sg-world-ingress-public-ports-only finding.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: SG_RULE_TYPES,
    references: { checkov: ["CKV_AWS_277"], securityHub: ["EC2.18"] },
    check: (resource, findings) =>
        eachRule(resource, findings, (rule) => {
            if (rule.direction !== "ingress") return;
            const ports = portsOf(rule);
            if (ports !== "all" && ports !== UNKNOWN) return;
            // From the internet, sg-world-ingress-public-ports-only reports it (one finding per world-open rule).
            if (fromWorld(rule) === true) return;
            const addresses = fromAddresses(rule);
            if (addresses === false) return;
            if (addresses === UNKNOWN || ports === UNKNOWN) {
                findings.unknown(`${rule.where} protocol or sources`);
                return;
            }
            findings.violation(`${at(resource, rule)} allows all protocols from address ranges.`);
        }),
});

export const sgRuleDescriptions = resourceRule({
    name: "sg-rule-descriptions",
    description: "Every security-group rule (ingress and egress, inline or standalone) has a description.",
    enforcementLevel: "mandatory",
    severity: "low",
    resourceTypes: SG_RULE_TYPES,
    references: { checkov: ["CKV_AWS_23"], securityHub: [] },
    check: (resource, findings) =>
        eachRule(resource, findings, (rule) => {
            findings.require(rule.description, isSet, `${at(resource, rule)} has no description.`, `${rule.where}.description`, undefined, true);
        }),
});

export const sgDataPortsByGroupReference = resourceRule<{ dataPorts: number[] }>({
    name: "sg-data-ports-group-reference-only",
    description:
        "Database and cache ports (3306, 5432, 6379, ...) are reachable only by security-group reference, never from CIDRs or prefix lists. From the internet this is part of the sg-world-ingress-public-ports-only finding.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: SG_RULE_TYPES,
    references: { checkov: [], securityHub: [] },
    parameters: { schema: { dataPorts: portsSchema }, defaults: { dataPorts: DATA_PORTS } },
    check: (resource, findings, config) =>
        eachRule(resource, findings, (rule) => {
            if (rule.direction !== "ingress") return;
            const ports = portsOf(rule);
            if (ports === "none") return;
            if (ports === UNKNOWN) {
                if (fromAddresses(rule) !== false) findings.unknown(`${rule.where} ports`);
                return;
            }
            const reached = config.dataPorts.filter((port) => opens(ports, port));
            if (reached.length === 0) return;
            // From the internet, sg-world-ingress-public-ports-only reports it (one finding per world-open rule).
            if (fromWorld(rule) === true) return;
            const addresses = fromAddresses(rule);
            if (addresses === UNKNOWN) findings.unknown(`${rule.where} sources`);
            else if (addresses)
                findings.violation(
                    `${at(resource, rule)} opens data port(s) ${summarize(reached)} to address ranges; reference the client security group instead.`,
                );
        }),
});

// ---------------------------------------------------------------------------
// Stack rules
// ---------------------------------------------------------------------------

function ruleCount(resource: StackResource): number | typeof UNKNOWN {
    const ingress = list(resource.props, "ingress");
    const egress = list(resource.props, "egress");
    if (isOpaque(ingress) || isOpaque(egress)) return UNKNOWN;
    return ingress.length + egress.length;
}

/**
 * Whether a standalone rule targets a default security group (an ec2.DefaultSecurityGroup, or a VPC's
 * `defaultSecurityGroupId`). Real ids decide first: a known `securityGroupId` that is some other group's id, or
 * that differs from every known default group id, is not a default group, whatever its property dependencies
 * say (they are transitive: an EKS ingress rule's group id is computed from the cluster, which depends on the
 * VPC). Property dependencies decide only while ids are unknown, and only when they name a VPC or default group
 * and nothing else a group id could come from.
 */
function targetsDefaultGroup(
    rule: StackResource,
    defaults: readonly StackResource[],
    vpcs: readonly StackResource[],
    groups: readonly StackResource[],
): boolean | typeof UNKNOWN {
    const value = read(rule.props, "securityGroupId");
    const defaultIds = [...defaults.map((group) => read(group.props, "id")), ...vpcs.map((vpc) => read(vpc.props, "defaultSecurityGroupId"))];
    if (typeof value === "string" && value !== "") {
        if (defaultIds.includes(value)) return true;
        if (groups.some((group) => read(group.props, "id") === value)) return false;
        if (defaultIds.every((id) => typeof id === "string" && id !== "")) return false;
    }
    const targets = rule.propertyDependencies.securityGroupId ?? [];
    if (targets.length > 0) {
        const isDefault = (target: StackResource) => isOneOf(target.type, T.defaultSecurityGroup) || isOneOf(target.type, T.vpc);
        if (!targets.some(isDefault)) return false;
        return targets.every(isDefault) ? true : UNKNOWN;
    }
    if (value === undefined || value === null || value === "") return false;
    if (defaults.length === 0 && vpcs.length === 0) return false;
    if (rule.dependencies.some((dependency) => defaults.includes(dependency))) return true;
    return UNKNOWN;
}

export const vpcDefaultSecurityGroupClosed = stackRule({
    name: "vpc-default-security-group-closed",
    description:
        "Each VPC's default security group is managed (ec2.DefaultSecurityGroup) with no ingress or egress rules, and no standalone rule targets it.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.vpc, ...T.defaultSecurityGroup, ...T.securityGroupRule, ...T.vpcIngressRule, ...T.vpcEgressRule],
    references: { checkov: ["CKV2_AWS_12"], securityHub: ["EC2.2"] },
    check: (resources, findings) => {
        const defaults = resources.filter((resource) => isOneOf(resource.type, T.defaultSecurityGroup));
        const vpcs = resources.filter((resource) => isOneOf(resource.type, T.vpc));
        for (const group of defaults) {
            const count = ruleCount(group);
            if (count === UNKNOWN) findings.unknown(`${group.name} rules`);
            else if (count > 0) findings.violation(`${label(group)} has ${count} rule(s); the default security group must have none.`, group.urn);
        }
        for (const vpc of vpcs) {
            const { definite, possible } = childrenOf(resources, T.defaultSecurityGroup, "vpcId", vpc, ID_ONLY);
            if (definite.length > 0) continue;
            if (possible.length > 0) findings.unknown(`default security group of ${vpc.name}`);
            else
                findings.violation(
                    `${label(vpc)} does not manage its default security group: AWS leaves allow-all rules on it. Add an ec2.DefaultSecurityGroup with no ingress or egress.`,
                    vpc.urn,
                );
        }
        const groups = resources.filter((resource) => isOneOf(resource.type, T.securityGroup));
        for (const rule of resources.filter((resource) =>
            [...T.securityGroupRule, ...T.vpcIngressRule, ...T.vpcEgressRule].includes(resource.type as never),
        )) {
            const targeted = targetsDefaultGroup(rule, defaults, vpcs, groups);
            if (targeted === UNKNOWN) findings.unknown(`security group of ${rule.name}`);
            else if (targeted === true) findings.violation(`${label(rule)} adds a rule to a default security group.`, rule.urn);
        }
    },
});

export const vpcFlowLogs = stackRule({
    name: "vpc-flow-logs",
    description: "Each VPC has a flow log (ec2.FlowLog with its vpcId).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...T.vpc, ...T.flowLog],
    references: { checkov: ["CKV2_AWS_11"], securityHub: ["EC2.6"] },
    check: (resources, findings) => {
        for (const vpc of resources.filter((resource) => isOneOf(resource.type, T.vpc))) {
            const { definite, possible } = childrenOf(resources, T.flowLog, "vpcId", vpc, ID_ONLY);
            if (definite.length > 0) continue;
            if (possible.length > 0) findings.unknown(`flow log of ${vpc.name}`);
            else findings.violation(`${label(vpc)} has no flow log.`, vpc.urn);
        }
    },
});

export const networkResourcePolicies = [sgWorldIngressPublicPortsOnly, sgNoAllProtocolIngress, sgRuleDescriptions, sgDataPortsByGroupReference];
export const networkStackPolicies = [vpcDefaultSecurityGroupClosed, vpcFlowLogs];
export const networkPolicies: PackPolicy[] = [...networkResourcePolicies, ...networkStackPolicies];
