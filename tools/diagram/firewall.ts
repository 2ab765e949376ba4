import { DeploymentResource } from "../deployment";
import { ResourceIndex, displayName, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { Builder, nodeId } from "./builder";
import { Links } from "./links";
import { Carrier } from "./workloads";

/** Security groups with their inbound ports and members, and one traffic edge per (source, group). */

const SG = [TYPE.ec2SecurityGroup];

/** `tcp`, `udp`, or `all` for `-1`; protocol numbers 6 and 17 read as tcp and udp. */
export function ruleProtocol(rule: DeploymentResource): string {
    const protocol = String(rule.inputs.ipProtocol ?? "tcp").toLowerCase();
    return protocol === "-1" ? "all" : protocol === "6" ? "tcp" : protocol === "17" ? "udp" : protocol;
}

export function portLabel(rule: DeploymentResource): string {
    if (ruleProtocol(rule) === "all") return "all";
    const from = numberInput(rule, "fromPort", 0);
    const to = numberInput(rule, "toPort", from);
    return from === to ? `${from}` : `${from}-${to}`;
}

export function sortPorts(ports: Iterable<string>): string[] {
    return [...new Set(ports)].sort(
        (a, b) => (parseInt(a.replace(/^\D+/, ""), 10) || 0) - (parseInt(b.replace(/^\D+/, ""), 10) || 0) || a.localeCompare(b),
    );
}

/** The ingress rules of a group (`securityGroupId`). */
export function ingressRulesOf(links: Links, group: DeploymentResource): DeploymentResource[] {
    return links.index.ofType(TYPE.vpcSecurityGroupIngressRule).filter((rule) => links.refs(rule, "securityGroupId", SG).includes(group));
}

/** The group a rule lets in (`referencedSecurityGroupId`), if it names one. */
export function referencedGroup(links: Links, rule: DeploymentResource): DeploymentResource | undefined {
    return links.ref(rule, "referencedSecurityGroupId", SG);
}

/** The node for a rule's CIDR source: the internet, the VPC itself, or an admin CIDR. */
export function cidrSource(builder: Builder, index: ResourceIndex, rule: DeploymentResource): string | undefined {
    const cidr = stringInput(rule, "cidrIpv4") ?? stringInput(rule, "cidrIpv6");
    if (!cidr) return undefined;
    if (cidr === "0.0.0.0/0" || cidr === "::/0") return builder.internet();
    const vpc = index.ofType(TYPE.ec2Vpc).find((v) => stringInput(v, "cidrBlock") === cidr);
    if (vpc) return builder.outsideNode(nodeId("cidr", cidr), [`inside the VPC ${cidr}`], "circle");
    return builder.outsideNode(nodeId("cidr", cidr), [`admin CIDR ${cidr}`], "circle");
}

export function buildSecurityGroups(builder: Builder, links: Links, all: readonly Carrier[]): void {
    const { index } = links;
    for (const group of index.ofType(TYPE.ec2SecurityGroup)) {
        const ports = sortPorts(ingressRulesOf(links, group).map(portLabel));
        const used = [...new Set(all.filter((c) => c.groups.includes(group)).map((c) => c.label))].sort();
        const name = displayName(group).replace(/-sg$/, "");
        builder.draw(group, "sg", [
            `SG ${name}`,
            ports.length > 0 ? `in: ${ports.join(", ")}` : "no inbound",
            ...(used.length > 0 ? [`used by: ${used.join(", ")}`] : []),
        ]);
    }
    // One edge per (source, group) with the ports it opens.
    const flows = new Map<string, { from: string; to: string; ports: string[] }>();
    for (const rule of index.ofType(TYPE.vpcSecurityGroupIngressRule)) {
        const group = links.ref(rule, "securityGroupId", SG);
        const target = group && builder.idOf(group);
        if (!target) continue;
        const referenced = referencedGroup(links, rule);
        const from = referenced ? builder.idOf(referenced) : cidrSource(builder, index, rule);
        if (!from) continue;
        const key = `${from}->${target}`;
        const flow = flows.get(key) ?? { from, to: target, ports: [] };
        flow.ports.push(portLabel(rule));
        flows.set(key, flow);
    }
    for (const flow of flows.values()) builder.edge(flow.from, flow.to, sortPorts(flow.ports).join(", "), "traffic");
}
