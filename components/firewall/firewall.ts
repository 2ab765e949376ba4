import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APP_PORTS, KUBERNETES_ADMIN_PORTS, OUTBOUND_WEB_PORTS, PORTS, PUBLIC_PORTS, PortSpec } from "../shared/ports";
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
    /**
     * The `kubernetes` group's role: the minikube host's (`hosts.kubernetes`), or the EKS nodes' (`eks`), which
     * reach the data stores like the app tier. Default: the host's, when `hosts.kubernetes` is set.
     */
    readonly eksNodes?: boolean;
    /** The data stores the stack builds: each gets its group, reachable only from app and the Kubernetes group. Default: none. */
    readonly stores?: StoreAccess;
    /**
     * Where the load balancer's targets are: `app` (ECS tasks) or `kubernetes` (EKS pods through a
     * TargetGroupBinding; pods carry their node's groups). `kubernetes` opens the web port from `web` to the
     * EKS nodes' group. Default `app`.
     */
    readonly webTargets?: "app" | "kubernetes";
}

export interface StoreAccess {
    /** The database's engine port (PORTS.postgres or PORTS.mysql); absent: no database group. */
    readonly database?: PortSpec;
    /** Build the cache group (Redis/Valkey 6379). */
    readonly cache?: boolean;
    /** Build the streaming group (Kafka over TLS with IAM, 9098); `openMonitoring` also opens the exporters to the monitoring host. */
    readonly streaming?: { readonly openMonitoring: boolean };
}

/** The groups every stack builds. */
export const BASE_GROUP_NAMES = ["web", "app"] as const;
/** One group per host (or the EKS nodes), built only with it. */
export const HOST_GROUP_NAMES = ["kubernetes", "monitoring"] as const;
/** One group per data store, built only with it. */
export const STORE_GROUP_NAMES = ["database", "cache", "streaming"] as const;
export const GROUP_NAMES = [...BASE_GROUP_NAMES, ...HOST_GROUP_NAMES, ...STORE_GROUP_NAMES] as const;
export type GroupName = (typeof GROUP_NAMES)[number];
export type HostGroupName = (typeof HOST_GROUP_NAMES)[number];
export type StoreGroupName = (typeof STORE_GROUP_NAMES)[number];

const WORLD_IPV4 = "0.0.0.0/0";

type Peer = { kind: "group"; key: GroupName; group: aws.ec2.SecurityGroup; label: string } | { kind: "cidr"; cidr: string; label: string };

/**
 * The seed's security groups with every rule a separate resource carrying a description. Only web is
 * world-open (80/443); app takes its ports from web; each data store's group takes its one port from app
 * and the EKS nodes (by group reference). The hosts' groups exist only where the stack builds the host, and
 * take no inbound traffic unless `publicAdminIngress` opens their UIs to the admin CIDRs. The seed's bastion
 * group is gone (Session Manager replaces the bastion), and so is its shared "data" group: one group per
 * store means a client allowed the database port cannot reach the cache's.
 */
export class Firewall extends TierComponent {
    readonly groups: Readonly<Partial<Record<GroupName, aws.ec2.SecurityGroup>>>;
    readonly groupIds: Readonly<
        Record<(typeof BASE_GROUP_NAMES)[number], pulumi.Output<string>> & Partial<Record<HostGroupName | StoreGroupName, pulumi.Output<string>>>
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
        const eksNodes = args.eksNodes ?? false;
        const hosts = { kubernetes: !eksNodes && (args.hosts?.kubernetes ?? false), monitoring: args.hosts?.monitoring ?? false };
        const stores = args.stores ?? {};
        const kubernetesGroup = () =>
            eksNodes
                ? group("kubernetes", "EKS nodes (beside the cluster security group): reach the data stores")
                : group("kubernetes", "Kubernetes host: egress only; reached through SSM Session Manager");
        const groups: Partial<Record<GroupName, aws.ec2.SecurityGroup>> = {
            web: group("web", "Load balancers and web servers: HTTP/HTTPS from the internet"),
            app: group("app", "Application servers and ECS tasks: app ports from the web tier"),
            ...(hosts.kubernetes || eksNodes ? { kubernetes: kubernetesGroup() } : {}),
            ...(hosts.monitoring ? { monitoring: group("monitoring", "Monitoring host: egress only; reached through SSM Session Manager") } : {}),
            ...(stores.database ? { database: group("database", `Database: ${stores.database.description} from app and the EKS nodes`) } : {}),
            ...(stores.cache ? { cache: group("cache", "Cache: Redis from app and the EKS nodes") } : {}),
            ...(stores.streaming ? { streaming: group("streaming", "Kafka brokers: TLS with IAM authentication from app and the EKS nodes") } : {}),
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
        const clients: GroupName[] = ["app", ...(eksNodes ? (["kubernetes"] as const) : [])];
        const storePorts: [StoreGroupName, PortSpec | undefined][] = [
            ["database", stores.database],
            ["cache", stores.cache ? PORTS.redis : undefined],
            ["streaming", stores.streaming ? PORTS.kafkaIam : undefined],
        ];
        for (const [store, port] of storePorts) {
            if (port === undefined) continue;
            this.ingress(store, [port], clients.map(byGroup));
            for (const client of clients) this.egress(client, [port], [byGroup(store)]);
        }
        if (args.webTargets === "kubernetes" && eksNodes) {
            this.ingress("kubernetes", [PORTS.appHttp], [byGroup("web")]);
            this.egress("web", [PORTS.appHttp], [byGroup("kubernetes")]);
        }
        if (stores.streaming?.openMonitoring && hosts.monitoring) {
            const exporters = [PORTS.mskJmxExporter, PORTS.mskNodeExporter];
            this.ingress("streaming", exporters, [byGroup("monitoring")]);
            this.egress("monitoring", exporters, [byGroup("streaming")]);
        }
        if (publicAdmin && hosts.kubernetes) this.ingress("kubernetes", [...ssh, ...KUBERNETES_ADMIN_PORTS], admins);
        if (publicAdmin && hosts.monitoring) this.ingress("monitoring", [...ssh, ...MONITORING_ADMIN_PORTS], admins);

        this.egress("web", APP_PORTS, [byGroup("app")]);
        this.egress("app", [PORTS.https], [world]);
        // The store groups: no egress rule at all (responses are stateful); nothing there calls out.
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
