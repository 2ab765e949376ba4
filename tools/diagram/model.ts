import { DeploymentResource } from "../deployment";
import { ResourceIndex, displayName, input, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { Builder, Diagram, DiagramGroup, nodeId } from "./builder";
import { Links } from "./links";
import { buildSecurityGroups } from "./firewall";
import { buildStores, storeSubnets, STORE_TYPES } from "./stores";
import { buildEntry } from "./entry";
import { buildAlerts } from "./alerts";
import { BUCKET_FEATURES, buildDataFlow } from "./dataflow";
import { LOAD_BALANCERS, buildCapacity, buildFunctions, buildServices, carriers, nameOf } from "./workloads";
import { buildKubernetes } from "./kubernetes";

/**
 * The architecture diagram as data, built only from the plan's resources (their inputs, dependencies,
 * propertyDependencies and parents, so any stack's values draw): one group per tier (component), the
 * VPC with its subnets by AZ and what runs in each, the security-group flow from ingress rules
 * (firewall.ts), the data flow (S3 zones → crawlers/jobs → catalog → ECS) from crawler targets, job
 * arguments and task-role policies, compute (workloads.ts: ECS services, EC2 capacity, EKS, Lambda),
 * the data stores and who may reach them (stores.ts), the entry point (entry.ts) and the alarm flow
 * (alerts.ts). Renderers (Mermaid, Graphviz) only draw it.
 */

export type { Diagram, DiagramEdge, DiagramGroup, DiagramNode, EdgeKind } from "./builder";
export { nodeId } from "./builder";

const T = {
    vpc: TYPE.ec2Vpc,
    subnet: TYPE.ec2Subnet,
    igw: TYPE.ec2InternetGateway,
    nat: TYPE.ec2NatGateway,
    endpoint: TYPE.ec2VpcEndpoint,
    instance: TYPE.ec2Instance,
    sg: TYPE.ec2SecurityGroup,
    ingress: TYPE.vpcSecurityGroupIngressRule,
    service: TYPE.ecsService,
    cluster: TYPE.ecsCluster,
    taskDefinition: TYPE.ecsTaskDefinition,
    lb: TYPE.lbLoadBalancer,
    rds: TYPE.rdsInstance,
    cache: TYPE.elasticacheCluster,
    cacheGroup: TYPE.elasticacheReplicationGroup,
    msk: TYPE.mskCluster,
    eks: TYPE.eksCluster,
    nodeGroup: TYPE.eksNodeGroup,
    bucket: TYPE.s3Bucket,
    bucketV2: TYPE.s3BucketV2,
    crawler: TYPE.glueCrawler,
    job: TYPE.glueJob,
    catalog: TYPE.glueCatalogDatabase,
} as const;

/**
 * Types always drawn as nodes of their own or folded into one (everything else is summarised per tier, unless
 * stores.ts, entry.ts, workloads.ts or alerts.ts drew or folded that resource: see Builder.represents).
 */
const DRAWN = new Set<string>([
    ...Object.keys(BUCKET_FEATURES),
    TYPE.ec2EipAssociation,
    T.vpc,
    T.subnet,
    T.igw,
    T.nat,
    T.endpoint,
    T.instance,
    T.sg,
    T.ingress,
    T.service,
    T.cluster,
    T.lb,
    T.rds,
    T.cache,
    T.cacheGroup,
    T.msk,
    T.eks,
    T.nodeGroup,
    T.bucket,
    T.bucketV2,
    T.crawler,
    T.job,
    T.catalog,
    T.taskDefinition,
]);

function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}

// ---------------------------------------------------------------------------
// Network: VPC, AZs, subnets and what runs in them
// ---------------------------------------------------------------------------

const SUBNET = [TYPE.ec2Subnet];

/** The subnets each workload is placed in, with a one-line description. */
function placements(links: Links): { subnets: DeploymentResource[]; text: string }[] {
    const { index } = links;
    const result: { subnets: DeploymentResource[]; text: string }[] = [];
    const place = (resource: DeploymentResource, path: string, text: string) => result.push({ subnets: links.refs(resource, path, SUBNET), text });
    for (const nat of index.ofType(T.nat)) place(nat, "subnetId", "NAT gateway");
    for (const host of index.ofType(T.instance)) place(host, "subnetId", `host ${displayName(host)} (${stringInput(host, "instanceType") ?? "?"})`);
    for (const service of index.ofType(T.service)) {
        place(service, "networkConfiguration.subnets", `ECS tasks ${displayName(service)} (desired ${numberInput(service, "desiredCount", 0)})`);
    }
    for (const lb of LOAD_BALANCERS.flatMap((type) => index.ofType(type))) place(lb, "subnets", `load balancer ${displayName(lb)}`);
    for (const store of STORE_TYPES.flatMap((type) => index.ofType(type))) {
        const size =
            store.type === T.rds
                ? stringInput(store, "instanceClass")
                : store.type === T.msk
                  ? stringInput(store, "brokerNodeGroupInfo.instanceType")
                  : stringInput(store, "nodeType");
        const kind = store.type === T.rds ? "database" : store.type === T.msk ? "Kafka" : "cache";
        result.push({ subnets: storeSubnets(links, store), text: `${kind} ${displayName(store)} (${size ?? "?"})` });
    }
    for (const eks of index.ofType(T.eks)) place(eks, "vpcConfig.subnetIds", `EKS ${displayName(eks)}`);
    for (const group of index.ofType(T.nodeGroup)) place(group, "subnetIds", `EKS nodes ${displayName(group)}`);
    for (const fn of index.ofType(TYPE.lambdaFunction)) place(fn, "vpcConfig.subnetIds", `Lambda ${displayName(fn)}`);
    for (const asg of index.ofType(TYPE.autoscalingGroup)) place(asg, "vpcZoneIdentifiers", `EC2 capacity ${nameOf(asg)}`);
    const interfaces = index.ofType(T.endpoint).filter((e) => stringInput(e, "vpcEndpointType") === "Interface");
    const bySubnet = new Map<DeploymentResource, string[]>();
    for (const endpoint of interfaces) {
        const service = (stringInput(endpoint, "serviceName") ?? "").split(".").slice(3).join(".");
        for (const subnet of links.refs(endpoint, "subnetIds", SUBNET)) bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), service]);
    }
    for (const [subnet, services] of bySubnet) result.push({ subnets: [subnet], text: `endpoints ${services.sort().join(", ")}` });
    return result;
}

function buildNetwork(builder: Builder, links: Links): void {
    const { index } = links;
    const placed = placements(links);
    for (const vpc of index.ofType(T.vpc)) {
        const tier = builder.tierGroup(vpc);
        const vpcGroup: DiagramGroup = {
            id: nodeId("vpc", displayName(vpc)),
            label: `VPC ${displayName(vpc)} · ${stringInput(vpc, "cidrBlock") ?? ""}`,
            nodes: [],
            groups: [],
        };
        tier.groups.push(vpcGroup);
        const subnets = index.ofType(T.subnet).filter((s) => links.refs(s, "vpcId", [T.vpc]).includes(vpc));
        const azs = [...new Set(subnets.map((s) => stringInput(s, "availabilityZone") ?? "?"))].sort();
        for (const az of azs) {
            const azGroup: DiagramGroup = { id: nodeId("az", `${displayName(vpc)}_${az}`), label: az, nodes: [], groups: [] };
            vpcGroup.groups.push(azGroup);
            for (const subnet of subnets.filter((s) => (stringInput(s, "availabilityZone") ?? "?") === az)) {
                const subnetTier = stringInput(subnet, "tags.SubnetTier") ?? "";
                const residents = placed
                    .filter((p) => p.subnets.includes(subnet))
                    .map((p) => p.text)
                    .sort();
                builder.add(azGroup, subnet, "subnet", [`${subnetTier} subnet ${stringInput(subnet, "cidrBlock") ?? ""}`.trim(), ...residents]);
            }
        }
        for (const gateway of index
            .ofType(T.endpoint)
            .filter((e) => stringInput(e, "vpcEndpointType") === "Gateway" && links.refs(e, "vpcId", [T.vpc]).includes(vpc))) {
            builder.add(vpcGroup, gateway, "endpoint", [`gateway endpoint ${(stringInput(gateway, "serviceName") ?? "").split(".").pop()}`], "round");
        }
        for (const igw of index.ofType(T.igw).filter((g) => links.refs(g, "vpcId", [T.vpc]).includes(vpc))) {
            const id = builder.add(builder.tierGroup(igw), igw, "igw", ["internet gateway"], "round");
            builder.edge(builder.internet(), id, "", "traffic");
        }
    }
}

// ---------------------------------------------------------------------------
// Everything else: one summary node per tier
// ---------------------------------------------------------------------------

/** Types whose members a summary names (what a reader looks for), rather than only counting them. */
const NAMED_IN_SUMMARY: Readonly<Record<string, string>> = {
    [TYPE.secretsmanagerSecret]: "secrets",
    [TYPE.ecrRepository]: "repositories",
    [TYPE.kmsKey]: "KMS keys",
};

function buildSummaries(builder: Builder, index: ResourceIndex): void {
    const counts = new Map<string, Map<string, number>>();
    const named = new Map<string, Map<string, string[]>>();
    for (const resource of index.resources) {
        if (!resource.custom || DRAWN.has(resource.type) || builder.represents(resource) || resource.type.startsWith("random:")) continue;
        const tier = index.tierOf(resource);
        const label = NAMED_IN_SUMMARY[resource.type];
        if (label) {
            const byLabel = named.get(tier) ?? new Map<string, string[]>();
            const environment = resource.urn.split("::")[0].replace("urn:pulumi:", "");
            byLabel.set(label, [...(byLabel.get(label) ?? []), displayName(resource).replace(new RegExp(`^${environment}-`), "")]);
            named.set(tier, byLabel);
            continue;
        }
        const byType = counts.get(tier) ?? new Map<string, number>();
        byType.set(shortType(resource.type), (byType.get(shortType(resource.type)) ?? 0) + 1);
        counts.set(tier, byType);
    }
    for (const tier of [...new Set([...counts.keys(), ...named.keys()])]) {
        const anchor = index.resources.find((r) => index.tierOf(r) === tier && r.custom);
        if (!anchor) continue;
        const lines = [...(named.get(tier) ?? new Map<string, string[]>()).entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([label, names]) => `${label}: ${names.sort().join(", ")}`);
        const entries = [...(counts.get(tier) ?? new Map<string, number>()).entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, count]) => `${count} ${type}`);
        for (let i = 0; i < entries.length; i += 3) lines.push(entries.slice(i, i + 3).join(" · "));
        builder.tierGroup(anchor).nodes.push({ id: nodeId("tiernode", tier), lines, shape: "box" });
    }
}

function buildHosts(builder: Builder, links: Links): void {
    const { index } = links;
    for (const host of index.ofType(T.instance)) {
        const eip = index.ofType(TYPE.ec2EipAssociation).some((a) => input(a, "instanceId") === host.id);
        const access = eip ? "Elastic IP" : input(host, "associatePublicIpAddress") === true ? "public IP" : "private";
        const id = builder.add(builder.tierGroup(host), host, "host", [
            `host ${displayName(host)}`,
            `${stringInput(host, "instanceType") ?? "?"} · ${access}`,
        ]);
        for (const sg of links.refs(host, "vpcSecurityGroupIds", [T.sg])) {
            const sgId = builder.idOf(sg);
            if (sgId) builder.edge(sgId, id, "", "uses");
        }
    }
}

export function buildDiagram(resources: readonly DeploymentResource[]): Diagram {
    const index = new ResourceIndex(resources);
    const links = new Links(index);
    const builder = new Builder(index);
    const all = carriers(links);
    buildNetwork(builder, links);
    buildSecurityGroups(builder, links, all);
    buildHosts(builder, links);
    buildDataFlow(builder, links);
    buildServices(builder, links);
    buildCapacity(builder, links);
    buildKubernetes(builder, links);
    buildFunctions(builder, links);
    buildEntry(builder, links);
    buildStores(builder, links, all);
    buildAlerts(builder, links);
    buildSummaries(builder, index);
    const diagram = builder.result();
    // Edges to summary nodes that were never drawn (e.g. no other resources in that tier) are dropped.
    const ids = new Set<string>(diagram.outside.map((n) => n.id));
    const collect = (group: DiagramGroup): void => {
        group.nodes.forEach((n) => ids.add(n.id));
        group.groups.forEach(collect);
    };
    diagram.tiers.forEach(collect);
    return { ...diagram, edges: diagram.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) };
}
