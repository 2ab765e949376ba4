import { RuleResource } from "./rules";
import { T, isOneOf } from "./types";
import { Read, SECRET, UNKNOWN, Unknown, at, isOpaque, list } from "./values";

/**
 * Security-group rules in one shape, whichever form declared them: inline
 * `ingress`/`egress` blocks of `ec2.SecurityGroup` / `ec2.DefaultSecurityGroup`,
 * `ec2.SecurityGroupRule`, or `vpc.SecurityGroupIngressRule` / `EgressRule`.
 */
export interface SgRule {
    readonly direction: "ingress" | "egress";
    /** "ingress[2]" for inline blocks, "rule" for standalone rules. */
    readonly where: string;
    readonly protocol: Read;
    readonly fromPort: Read;
    readonly toPort: Read;
    /** IPv4 and IPv6 CIDRs (elements may be UNKNOWN), or UNKNOWN for the whole list. */
    readonly cidrs: Read[] | Unknown;
    readonly prefixLists: Read[] | Unknown;
    /** Referenced security groups (including `self`). */
    readonly groups: Read[] | Unknown;
    readonly description: Read;
}

export const SG_RULE_TYPES: readonly string[] = [
    ...T.securityGroup,
    ...T.defaultSecurityGroup,
    ...T.securityGroupRule,
    ...T.vpcIngressRule,
    ...T.vpcEgressRule,
];

function joined(...parts: (unknown[] | Unknown | typeof SECRET)[]): Read[] | Unknown {
    const items: Read[] = [];
    for (const part of parts) {
        if (part === UNKNOWN || part === SECRET) return UNKNOWN;
        items.push(...part);
    }
    return items;
}

function single(value: Read): Read[] | Unknown {
    if (value === UNKNOWN) return UNKNOWN;
    return value === undefined || value === null || value === "" ? [] : [value];
}

function inlineRules(props: unknown, direction: "ingress" | "egress"): SgRule[] | Unknown {
    const blocks = list(props, direction);
    if (isOpaque(blocks)) return UNKNOWN;
    return blocks.map((block, index) => {
        const self = at(block, "self");
        return {
            direction,
            where: `${direction}[${index}]`,
            protocol: at(block, "protocol"),
            fromPort: at(block, "fromPort"),
            toPort: at(block, "toPort"),
            cidrs: joined(list(block, "cidrBlocks"), list(block, "ipv6CidrBlocks")),
            prefixLists: joined(list(block, "prefixListIds")),
            groups: joined(list(block, "securityGroups"), self === true ? ["self"] : self === UNKNOWN ? [UNKNOWN] : []),
            description: at(block, "description"),
        };
    });
}

/** Every rule a resource declares; UNKNOWN when its rule list itself is unknown. */
export function rulesOf(resource: RuleResource): SgRule[] | Unknown {
    const { props, type } = resource;
    if (isOneOf(type, T.securityGroup) || isOneOf(type, T.defaultSecurityGroup)) {
        const ingress = inlineRules(props, "ingress");
        const egress = inlineRules(props, "egress");
        if (ingress === UNKNOWN || egress === UNKNOWN) return UNKNOWN;
        return [...ingress, ...egress];
    }
    if (isOneOf(type, T.securityGroupRule)) {
        const kind = at(props, "type");
        if (kind === UNKNOWN || kind === SECRET) return UNKNOWN;
        const self = at(props, "self");
        return [
            {
                direction: String(kind).toLowerCase() === "egress" ? "egress" : "ingress",
                where: "rule",
                protocol: at(props, "protocol"),
                fromPort: at(props, "fromPort"),
                toPort: at(props, "toPort"),
                cidrs: joined(list(props, "cidrBlocks"), list(props, "ipv6CidrBlocks")),
                prefixLists: joined(list(props, "prefixListIds")),
                groups: joined(single(at(props, "sourceSecurityGroupId")), self === true ? ["self"] : self === UNKNOWN ? [UNKNOWN] : []),
                description: at(props, "description"),
            },
        ];
    }
    if (isOneOf(type, T.vpcIngressRule) || isOneOf(type, T.vpcEgressRule)) {
        return [
            {
                direction: isOneOf(type, T.vpcIngressRule) ? "ingress" : "egress",
                where: "rule",
                protocol: at(props, "ipProtocol"),
                fromPort: at(props, "fromPort"),
                toPort: at(props, "toPort"),
                cidrs: joined(single(at(props, "cidrIpv4")), single(at(props, "cidrIpv6"))),
                prefixLists: single(at(props, "prefixListId")),
                groups: single(at(props, "referencedSecurityGroupId")),
                description: at(props, "description"),
            },
        ];
    }
    return [];
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const PORT_PROTOCOLS = new Set(["tcp", "udp", "6", "17"]);

/**
 * Ports a rule opens: a range, "all" (every protocol and port), "none" (ICMP and
 * other portless protocols) or UNKNOWN.
 */
export function portsOf(rule: SgRule): { from: number; to: number } | "all" | "none" | Unknown {
    const protocol = rule.protocol;
    if (protocol === UNKNOWN || protocol === SECRET) return UNKNOWN;
    const name = String(protocol ?? "").toLowerCase();
    if (ALL_PROTOCOLS.has(name)) return "all";
    if (!PORT_PROTOCOLS.has(name)) return "none";
    const from = rule.fromPort;
    const to = rule.toPort;
    if (isOpaque(from) || isOpaque(to)) return UNKNOWN;
    if (typeof from !== "number" || typeof to !== "number") {
        // The VPC rule resource allows omitting ports only for "all"; treat a missing range as every port.
        return from === undefined && to === undefined ? { from: 0, to: 65535 } : UNKNOWN;
    }
    if (from === 0 && to === 0) return { from: 0, to: 65535 };
    return { from: Math.min(from, to), to: Math.max(from, to) };
}

/** True when the port range contains `port`. */
export function opens(ports: ReturnType<typeof portsOf>, port: number): boolean {
    if (ports === "all") return true;
    if (ports === "none" || ports === UNKNOWN) return false;
    return port >= ports.from && port <= ports.to;
}

/**
 * Prefix lengths below which a CIDR counts as "the internet": an IPv4 block
 * shorter than /8 or an IPv6 block shorter than /16 covers more than any one
 * organisation holds (0.0.0.0/1 + 128.0.0.0/1 is the whole IPv4 space).
 */
export const WORLD_IPV4_PREFIX_BELOW = 8;
export const WORLD_IPV6_PREFIX_BELOW = 16;

/**
 * CIDRs the network-exposure rules treat as world-open: 0.0.0.0/0, ::/0, and
 * any IPv4 prefix shorter than /8 or IPv6 prefix shorter than /16. The one
 * place those rules decide "world".
 */
export function isWorldCidr(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    if (!match) return false;
    const prefix = Number(match[2]);
    return match[1].includes(":") ? prefix < WORLD_IPV6_PREFIX_BELOW : prefix < WORLD_IPV4_PREFIX_BELOW;
}

/** Whether the rule's sources include the whole internet: true, false, or UNKNOWN. */
export function fromWorld(rule: SgRule): boolean | Unknown {
    if (rule.cidrs === UNKNOWN) return UNKNOWN;
    if (rule.cidrs.some(isWorldCidr)) return true;
    return rule.cidrs.some((cidr) => isOpaque(cidr)) ? UNKNOWN : false;
}

/** World-open CIDRs for messages: "(from 0.0.0.0/0)", or with the reason when a short prefix (not /0) is why. */
export function describeWorldCidrs(cidrs: readonly unknown[]): string {
    const world = cidrs.filter(isWorldCidr).map((cidr) => String(cidr).trim());
    const why = world.some((cidr) => !cidr.endsWith("/0"))
        ? `: IPv4 CIDRs shorter than /${WORLD_IPV4_PREFIX_BELOW} and IPv6 CIDRs shorter than /${WORLD_IPV6_PREFIX_BELOW} count as the internet`
        : "";
    return `(from ${world.join(", ")}${why})`;
}

/** The rule's world-open sources, for messages. */
export function worldSources(rule: SgRule): string {
    return describeWorldCidrs(rule.cidrs === UNKNOWN ? [] : rule.cidrs);
}

/** What a rule opens, for messages: "port 22", "all protocols and ports", "protocol icmp". */
export function describeOpening(rule: SgRule, ports: ReturnType<typeof portsOf>): string {
    return ports === "none" ? `protocol ${String(rule.protocol ?? "(unset)")}` : describePorts(ports);
}

/** Whether the rule's sources include any CIDR or prefix list (anything but a group reference). */
export function fromAddresses(rule: SgRule): boolean | Unknown {
    if (rule.cidrs === UNKNOWN || rule.prefixLists === UNKNOWN) return UNKNOWN;
    return rule.cidrs.length > 0 || rule.prefixLists.length > 0;
}

export function describePorts(ports: ReturnType<typeof portsOf>): string {
    if (ports === "all") return "all protocols and ports";
    if (ports === "none" || ports === UNKNOWN) return "no ports";
    return ports.from === ports.to ? `port ${ports.from}` : `ports ${ports.from}-${ports.to}`;
}
