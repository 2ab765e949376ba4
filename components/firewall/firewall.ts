import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APP_PORTS, BASTION_PORTS, DATA_PORTS, KUBERNETES_ADMIN_PORTS, OUTBOUND_WEB_PORTS, PORTS, PUBLIC_PORTS, PortSpec } from "../shared/ports";
import { MONITORING_ADMIN_PORTS } from "../monitoring/catalog";
import { Naming, componentType } from "../shared/naming";
import { AccessConfig } from "./config";
import { TierComponent } from "../shared/tier";

export interface FirewallArgs {
    readonly naming: Naming;
    readonly vpcId: pulumi.Input<string>;
    /**
     * The `access` section: admin ports open to `adminCidrs` (validated never to be world-open);
     * SSH (bastion, Kubernetes host) opens only when `sshPublicKey` is set.
     */
    readonly config: AccessConfig;
}

export const GROUP_NAMES = ["web", "app", "data", "bastion", "kubernetes", "monitoring"] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

const WORLD_IPV4 = "0.0.0.0/0";

type Peer = { kind: "group"; key: GroupName; group: aws.ec2.SecurityGroup; label: string } | { kind: "cidr"; cidr: string; label: string };

/**
 * The seed's security groups with every rule a separate resource carrying a
 * description. Only web is world-open (80/443); app takes its ports from web,
 * data from app (by group reference), and every admin port only from admin CIDRs.
 */
export class Firewall extends TierComponent {
    readonly groups: Readonly<Record<GroupName, aws.ec2.SecurityGroup>>;
    readonly groupIds: Readonly<Record<GroupName, pulumi.Output<string>>>;

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
        const groups: Record<GroupName, aws.ec2.SecurityGroup> = {
            web: group("web", "Load balancers and web servers: HTTP/HTTPS from the internet"),
            app: group("app", "Application servers and ECS tasks: app ports from the web tier"),
            data: group("data", "Databases and caches: data ports from the app tier"),
            bastion: group("bastion", "Bastion host: SSH from admin CIDRs"),
            kubernetes: group("kubernetes", "Kubernetes host: API and NodePorts from admin CIDRs"),
            monitoring: group("monitoring", "Monitoring host: UIs from admin CIDRs"),
        };
        this.groups = groups;
        this.groupIds = Object.fromEntries(GROUP_NAMES.map((key) => [key, groups[key].id])) as Record<GroupName, pulumi.Output<string>>;

        const world: Peer = { kind: "cidr", cidr: WORLD_IPV4, label: "anywhere" };
        const byGroup = (key: GroupName): Peer => ({ kind: "group", key, group: groups[key], label: `${key} group` });
        const sshEnabled = args.config.sshPublicKey !== undefined;
        const admins: Peer[] = args.config.adminCidrs.map((cidr) => ({ kind: "cidr", cidr, label: `admin ${cidr}` }));
        const ssh = sshEnabled ? BASTION_PORTS : [];

        this.ingress("web", PUBLIC_PORTS, [world]);
        this.ingress("app", APP_PORTS, [byGroup("web")]);
        this.ingress("data", DATA_PORTS, [byGroup("app")]);
        this.ingress("bastion", ssh, admins);
        this.ingress("kubernetes", [...ssh, ...KUBERNETES_ADMIN_PORTS], admins);
        this.ingress("monitoring", MONITORING_ADMIN_PORTS, admins);

        this.egress("web", APP_PORTS, [byGroup("app")]);
        this.egress("app", [PORTS.https], [world]);
        this.egress("app", DATA_PORTS, [byGroup("data")]);
        // data: no egress rule at all (responses are stateful); nothing there calls out.
        this.egress("bastion", [PORTS.https], [world]);
        if (sshEnabled) this.egress("bastion", [PORTS.ssh], [byGroup("kubernetes"), byGroup("monitoring")]);
        this.egress("kubernetes", OUTBOUND_WEB_PORTS, [world]);
        this.egress("monitoring", OUTBOUND_WEB_PORTS, [world]);

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
                    securityGroupId: this.groups[key].id,
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
