import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APP_PORTS, DATA_PORTS, KUBERNETES_ADMIN_PORTS, OUTBOUND_WEB_PORTS, PORTS, PUBLIC_PORTS, PortSpec } from "../shared/ports";
import { MONITORING_ADMIN_PORTS } from "../monitoring/catalog";
import { Naming, componentType } from "../shared/naming";
import { AccessConfig } from "./config";
import { TierComponent } from "../shared/tier";

export interface FirewallArgs {
    readonly naming: Naming;
    readonly vpcId: pulumi.Input<string>;
    /**
     * The `access` section: with `publicAdminIngress`, the hosts' UIs open to `adminCidrs` (validated
     * never to be world-open), and SSH too when `sshPublicKey` is set.
     */
    readonly config: AccessConfig;
    /** The hosts the stack builds: each gets its group; a stack without hosts builds neither group. Default: none. */
    readonly hosts?: { readonly kubernetes?: boolean; readonly monitoring?: boolean };
    /**
     * `hosts.publicAdminIngress`: open the hosts' UIs (and SSH, with a key) to the admin CIDRs. Default
     * false: the host groups take no inbound traffic at all; users reach the UIs with SSM port forwarding.
     */
    readonly publicAdminIngress?: boolean;
}

/** The groups every stack builds. */
export const BASE_GROUP_NAMES = ["web", "app", "data"] as const;
/** One group per host, built only with that host. */
export const HOST_GROUP_NAMES = ["kubernetes", "monitoring"] as const;
export const GROUP_NAMES = [...BASE_GROUP_NAMES, ...HOST_GROUP_NAMES] as const;
export type GroupName = (typeof GROUP_NAMES)[number];
export type HostGroupName = (typeof HOST_GROUP_NAMES)[number];

const WORLD_IPV4 = "0.0.0.0/0";

type Peer = { kind: "group"; key: GroupName; group: aws.ec2.SecurityGroup; label: string } | { kind: "cidr"; cidr: string; label: string };

/**
 * The seed's security groups with every rule a separate resource carrying a description. Only web is
 * world-open (80/443); app takes its ports from web, data from app (by group reference). The hosts'
 * groups exist only where the stack builds the host, and take no inbound traffic unless
 * `publicAdminIngress` opens their UIs to the admin CIDRs. The seed's bastion group is gone: Session
 * Manager replaces the bastion, and nothing used the group.
 */
export class Firewall extends TierComponent {
    readonly groups: Readonly<Partial<Record<GroupName, aws.ec2.SecurityGroup>>>;
    readonly groupIds: Readonly<
        Record<(typeof BASE_GROUP_NAMES)[number], pulumi.Output<string>> & Partial<Record<HostGroupName, pulumi.Output<string>>>
    >;

    private readonly baseName: string;
    private readonly naming: Naming;

    constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("firewall", "Firewall"), name, opts);
        this.baseName = name;
        this.naming = args.naming;

        const group = (key: GroupName, description: string) =>
            new aws.ec2.SecurityGroup(
                `${name}-${key}`,
                {
                    namePrefix: `${args.naming.name(key)}-`,
                    vpcId: args.vpcId,
                    description,
                    tags: args.naming.tags("firewall", `${key}-sg`),
                },
                this.child(),
            );
        const hosts = { kubernetes: args.hosts?.kubernetes ?? false, monitoring: args.hosts?.monitoring ?? false };
        const groups: Partial<Record<GroupName, aws.ec2.SecurityGroup>> = {
            web: group("web", "Load balancers and web servers: HTTP/HTTPS from the internet"),
            app: group("app", "Application servers and ECS tasks: app ports from the web tier"),
            data: group("data", "Databases and caches: data ports from the app tier"),
            ...(hosts.kubernetes ? { kubernetes: group("kubernetes", "Kubernetes host: egress only; reached through SSM Session Manager") } : {}),
            ...(hosts.monitoring ? { monitoring: group("monitoring", "Monitoring host: egress only; reached through SSM Session Manager") } : {}),
        };
        this.groups = groups;
        this.groupIds = Object.fromEntries(
            GROUP_NAMES.filter((key) => groups[key] !== undefined).map((key) => [key, groups[key]!.id]),
        ) as Firewall["groupIds"];

        const world: Peer = { kind: "cidr", cidr: WORLD_IPV4, label: "anywhere" };
        const byGroup = (key: GroupName): Peer => ({ kind: "group", key, group: groups[key]!, label: `${key} group` });
        const admins: Peer[] = args.config.adminCidrs.map((cidr) => ({ kind: "cidr", cidr, label: `admin ${cidr}` }));
        // SSH needs no rule by default either: with a key, `ssh` goes through Session Manager (AWS-StartSSHSession).
        const ssh = args.config.sshPublicKey !== undefined ? [PORTS.ssh] : [];
        const publicAdmin = args.publicAdminIngress ?? false;

        this.ingress("web", PUBLIC_PORTS, [world]);
        this.ingress("app", APP_PORTS, [byGroup("web")]);
        this.ingress("data", DATA_PORTS, [byGroup("app")]);
        if (publicAdmin && hosts.kubernetes) this.ingress("kubernetes", [...ssh, ...KUBERNETES_ADMIN_PORTS], admins);
        if (publicAdmin && hosts.monitoring) this.ingress("monitoring", [...ssh, ...MONITORING_ADMIN_PORTS], admins);

        this.egress("web", APP_PORTS, [byGroup("app")]);
        this.egress("app", [PORTS.https], [world]);
        this.egress("app", DATA_PORTS, [byGroup("data")]);
        // data: no egress rule at all (responses are stateful); nothing there calls out.
        // The hosts: packages, images, AWS APIs (Session Manager included) over HTTP(S).
        if (hosts.kubernetes) this.egress("kubernetes", OUTBOUND_WEB_PORTS, [world]);
        if (hosts.monitoring) this.egress("monitoring", OUTBOUND_WEB_PORTS, [world]);

        this.registerOutputs({ groupIds: this.groupIds });
    }

    private ingress(key: GroupName, ports: readonly PortSpec[], peers: readonly Peer[]): void {
        this.rules("in", key, ports, peers);
    }

    private egress(key: GroupName, ports: readonly PortSpec[], peers: readonly Peer[]): void {
        this.rules("out", key, ports, peers);
    }

    private rules(direction: "in" | "out", key: GroupName, ports: readonly PortSpec[], peers: readonly Peer[]): void {
        for (const port of ports) {
            for (const peer of peers) {
                const portLabel = port.from === port.to ? `${port.from}` : `${port.from}-${port.to}`;
                const peerLabel = peer.kind === "group" ? peer.key : peer.cidr.replace(/[/:]/g, "_");
                const resourceName = `${this.baseName}-${key}-${direction}-${port.protocol}${portLabel}-${peerLabel}`;
                const description = direction === "in" ? `${port.description} from ${peer.label}` : `${port.description} to ${peer.label}`;
                const common = {
                    securityGroupId: this.groups[key]!.id,
                    ipProtocol: port.protocol,
                    fromPort: port.from,
                    toPort: port.to,
                    description,
                    ...peerArgs(peer),
                    tags: this.naming.tags("firewall", `${key}-${direction}-${portLabel}`),
                };
                if (direction === "in") new aws.vpc.SecurityGroupIngressRule(resourceName, common, this.child());
                else new aws.vpc.SecurityGroupEgressRule(resourceName, common, this.child());
            }
        }
    }
}

function peerArgs(peer: Peer): { referencedSecurityGroupId?: pulumi.Input<string>; cidrIpv4?: string; cidrIpv6?: string } {
    if (peer.kind === "group") return { referencedSecurityGroupId: peer.group.id };
    return peer.cidr.includes(":") ? { cidrIpv6: peer.cidr } : { cidrIpv4: peer.cidr };
}
