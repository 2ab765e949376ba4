import { DeploymentResource, logicalName } from "../deployment";
import { ResourceIndex, displayName, input, listInput, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * The architecture diagram as data, built only from the plan's resources:
 * one group per tier (component), the VPC with its subnets by AZ and what runs
 * in each, the security-group flow from ingress rules, and the data flow
 * (S3 zones → crawlers/jobs → catalog → ECS) from crawler targets, job
 * arguments and task-role policies. Renderers (Mermaid, Graphviz) only draw it.
 */

export interface DiagramNode {
    readonly id: string;
    readonly lines: readonly string[];
    readonly shape: "box" | "round" | "cylinder" | "circle";
}

export interface DiagramGroup {
    readonly id: string;
    readonly label: string;
    readonly nodes: DiagramNode[];
    readonly groups: DiagramGroup[];
}

export type EdgeKind = "traffic" | "data" | "uses";

export interface DiagramEdge {
    readonly from: string;
    readonly to: string;
    readonly label: string;
    readonly kind: EdgeKind;
}

export interface Diagram {
    /** Nodes outside every tier (internet, admin CIDRs). */
    readonly outside: DiagramNode[];
    /** One group per tier, id `tier_<tier>`, sorted by tier name. */
    readonly tiers: DiagramGroup[];
    readonly edges: DiagramEdge[];
}

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
    rdsSubnetGroup: TYPE.rdsSubnetGroup,
    cache: TYPE.elasticacheCluster,
    cacheGroup: TYPE.elasticacheReplicationGroup,
    cacheSubnetGroup: TYPE.elasticacheSubnetGroup,
    msk: TYPE.mskCluster,
    eks: TYPE.eksCluster,
    nodeGroup: TYPE.eksNodeGroup,
    bucket: TYPE.s3Bucket,
    bucketV2: TYPE.s3BucketV2,
    lifecycle: TYPE.s3BucketLifecycleConfiguration,
    crawler: TYPE.glueCrawler,
    job: TYPE.glueJob,
    catalog: TYPE.glueCatalogDatabase,
    repository: TYPE.ecrRepository,
    rolePolicy: TYPE.iamRolePolicy,
} as const;

/** Bucket sub-resources, folded into their bucket's node as one-word features. */
const BUCKET_FEATURES: Readonly<Record<string, (resource: DeploymentResource) => string | undefined>> = {
    [TYPE.s3BucketVersioning]: (r) => (stringInput(r, "versioningConfiguration.status") === "Enabled" ? "versioned" : undefined),
    [TYPE.s3BucketServerSideEncryptionConfiguration]: (r) =>
        `SSE ${stringInput(r, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm") ?? ""}`.trim(),
    [TYPE.s3BucketPublicAccessBlock]: () => "public access blocked",
    [TYPE.s3BucketPolicy]: () => "bucket policy",
    [TYPE.s3BucketLogging]: () => "access-logged",
    [TYPE.s3BucketLifecycleConfiguration]: () => "lifecycle",
    [TYPE.s3BucketOwnershipControls]: () => undefined,
    [TYPE.s3BucketObjectv2]: () => undefined,
};

/** Types drawn as nodes of their own (everything else is summarised per tier). */
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

/** Stable Mermaid/DOT-safe id from a logical name. */
export function nodeId(prefix: string, name: string): string {
    return `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, "_")}`;
}

function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}

function portLabel(rule: DeploymentResource): string {
    const protocol = stringInput(rule, "ipProtocol") ?? "tcp";
    if (protocol === "-1") return "all";
    const from = numberInput(rule, "fromPort", 0);
    const to = numberInput(rule, "toPort", from);
    return from === to ? `${from}` : `${from}-${to}`;
}

function sortPorts(ports: Iterable<string>): string[] {
    return [...new Set(ports)].sort((a, b) => (parseInt(a, 10) || 0) - (parseInt(b, 10) || 0) || a.localeCompare(b));
}

class Builder {
    private readonly tierGroups = new Map<string, DiagramGroup>();
    private readonly drawnIds = new Map<string, string>(); // urn → node id
    readonly outside: DiagramNode[] = [];
    readonly edges: DiagramEdge[] = [];

    constructor(private readonly index: ResourceIndex) {
        for (const tier of index.tiers()) this.tierGroups.set(tier, { id: `tier_${tier.replace(/-/g, "_")}`, label: tier, nodes: [], groups: [] });
    }

    tierGroup(resource: DeploymentResource): DiagramGroup {
        const tier = this.index.tierOf(resource);
        let group = this.tierGroups.get(tier);
        if (!group) {
            group = { id: `tier_${tier.replace(/-/g, "_")}`, label: tier, nodes: [], groups: [] };
            this.tierGroups.set(tier, group);
        }
        return group;
    }

    idOf(resource: DeploymentResource): string | undefined {
        return this.drawnIds.get(resource.urn);
    }

    add(group: DiagramGroup, resource: DeploymentResource, prefix: string, lines: string[], shape: DiagramNode["shape"] = "box"): string {
        const id = nodeId(prefix, logicalName(resource.urn));
        group.nodes.push({ id, lines, shape });
        this.drawnIds.set(resource.urn, id);
        return id;
    }

    outsideNode(id: string, lines: string[], shape: DiagramNode["shape"]): string {
        if (!this.outside.some((node) => node.id === id)) this.outside.push({ id, lines, shape });
        return id;
    }

    edge(from: string, to: string, label: string, kind: EdgeKind): void {
        if (!this.edges.some((e) => e.from === from && e.to === to && e.label === label)) this.edges.push({ from, to, label, kind });
    }

    result(): Diagram {
        const sortGroup = (group: DiagramGroup): void => {
            group.nodes.sort((a, b) => a.id.localeCompare(b.id));
            group.groups.sort((a, b) => a.id.localeCompare(b.id));
            group.groups.forEach(sortGroup);
        };
        const tiers = [...this.tierGroups.values()].sort((a, b) => a.label.localeCompare(b.label));
        tiers.forEach(sortGroup);
        this.outside.sort((a, b) => a.id.localeCompare(b.id));
        const edges = [...this.edges].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.label.localeCompare(b.label));
        return { outside: this.outside, tiers, edges };
    }
}

// ---------------------------------------------------------------------------
// Network: VPC, AZs, subnets and what runs in them
// ---------------------------------------------------------------------------

/** Subnet ids each workload is placed in, with a one-line description. */
function placements(index: ResourceIndex): { subnets: string[]; text: string }[] {
    const result: { subnets: string[]; text: string }[] = [];
    const place = (subnets: unknown[], text: string) => result.push({ subnets: subnets.filter((s): s is string => typeof s === "string"), text });
    const subnetGroupIds = (ref: unknown) => listInput(index.resolve(ref) ?? ({ inputs: {} } as DeploymentResource), "subnetIds");

    for (const nat of index.ofType(T.nat)) place([input(nat, "subnetId")], "NAT gateway");
    for (const host of index.ofType(T.instance))
        place([input(host, "subnetId")], `host ${displayName(host)} (${stringInput(host, "instanceType") ?? "?"})`);
    for (const service of index.ofType(T.service)) {
        place(
            listInput(service, "networkConfiguration.subnets"),
            `ECS tasks ${displayName(service)} (desired ${numberInput(service, "desiredCount", 0)})`,
        );
    }
    for (const lb of index.ofType(T.lb)) place(listInput(lb, "subnets"), `load balancer ${displayName(lb)}`);
    for (const db of index.ofType(T.rds))
        place(subnetGroupIds(input(db, "dbSubnetGroupName")), `database ${displayName(db)} (${stringInput(db, "instanceClass") ?? "?"})`);
    for (const cache of [...index.ofType(T.cache), ...index.ofType(T.cacheGroup)])
        place(subnetGroupIds(input(cache, "subnetGroupName")), `cache ${displayName(cache)}`);
    for (const msk of index.ofType(T.msk)) place(listInput(msk, "brokerNodeGroupInfo.clientSubnets"), `Kafka ${displayName(msk)}`);
    for (const eks of index.ofType(T.eks)) place(listInput(eks, "vpcConfig.subnetIds"), `EKS ${displayName(eks)}`);
    for (const group of index.ofType(T.nodeGroup)) place(listInput(group, "subnetIds"), `EKS nodes ${displayName(group)}`);
    const interfaces = index.ofType(T.endpoint).filter((e) => stringInput(e, "vpcEndpointType") === "Interface");
    const bySubnet = new Map<string, string[]>();
    for (const endpoint of interfaces) {
        const service = (stringInput(endpoint, "serviceName") ?? "").split(".").slice(3).join(".");
        for (const subnet of listInput(endpoint, "subnetIds")) {
            if (typeof subnet === "string") bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), service]);
        }
    }
    for (const [subnet, services] of bySubnet) place([subnet], `endpoints ${services.sort().join(", ")}`);
    return result;
}

function buildNetwork(builder: Builder, index: ResourceIndex): void {
    const placed = placements(index);
    for (const vpc of index.ofType(T.vpc)) {
        const tier = builder.tierGroup(vpc);
        const vpcGroup: DiagramGroup = {
            id: nodeId("vpc", displayName(vpc)),
            label: `VPC ${displayName(vpc)} · ${stringInput(vpc, "cidrBlock") ?? ""}`,
            nodes: [],
            groups: [],
        };
        tier.groups.push(vpcGroup);
        const subnets = index.ofType(T.subnet).filter((s) => input(s, "vpcId") === vpc.id);
        const azs = [...new Set(subnets.map((s) => stringInput(s, "availabilityZone") ?? "?"))].sort();
        for (const az of azs) {
            const azGroup: DiagramGroup = { id: nodeId("az", `${displayName(vpc)}_${az}`), label: az, nodes: [], groups: [] };
            vpcGroup.groups.push(azGroup);
            for (const subnet of subnets.filter((s) => stringInput(s, "availabilityZone") === az)) {
                const subnetTier = (input(subnet, "tags.SubnetTier") as string | undefined) ?? "";
                const residents = placed
                    .filter((p) => p.subnets.includes(subnet.id ?? ""))
                    .map((p) => p.text)
                    .sort();
                builder.add(azGroup, subnet, "subnet", [`${subnetTier} subnet ${stringInput(subnet, "cidrBlock") ?? ""}`.trim(), ...residents]);
            }
        }
        for (const gateway of index
            .ofType(T.endpoint)
            .filter((e) => stringInput(e, "vpcEndpointType") === "Gateway" && input(e, "vpcId") === vpc.id)) {
            builder.add(vpcGroup, gateway, "endpoint", [`gateway endpoint ${(stringInput(gateway, "serviceName") ?? "").split(".").pop()}`], "round");
        }
        for (const igw of index.ofType(T.igw).filter((g) => input(g, "vpcId") === vpc.id)) {
            const id = builder.add(builder.tierGroup(igw), igw, "igw", ["internet gateway"], "round");
            builder.edge(builder.outsideNode("internet", ["Internet"], "circle"), id, "", "traffic");
        }
    }
}

// ---------------------------------------------------------------------------
// Security-group flow
// ---------------------------------------------------------------------------

function sgMembers(index: ResourceIndex): Map<string, string[]> {
    const members = new Map<string, string[]>();
    const addAll = (groups: unknown[], what: string) => {
        for (const group of groups) if (typeof group === "string") members.set(group, [...(members.get(group) ?? []), what]);
    };
    for (const host of index.ofType(T.instance)) addAll(listInput(host, "vpcSecurityGroupIds"), `host ${displayName(host)}`);
    for (const service of index.ofType(T.service)) addAll(listInput(service, "networkConfiguration.securityGroups"), `ECS ${displayName(service)}`);
    for (const lb of index.ofType(T.lb)) addAll(listInput(lb, "securityGroups"), `LB ${displayName(lb)}`);
    for (const db of index.ofType(T.rds)) addAll(listInput(db, "vpcSecurityGroupIds"), `RDS ${displayName(db)}`);
    for (const cache of [...index.ofType(T.cache), ...index.ofType(T.cacheGroup)])
        addAll(listInput(cache, "securityGroupIds"), `cache ${displayName(cache)}`);
    for (const msk of index.ofType(T.msk)) addAll(listInput(msk, "brokerNodeGroupInfo.securityGroups"), `Kafka ${displayName(msk)}`);
    for (const endpoint of index.ofType(T.endpoint)) addAll(listInput(endpoint, "securityGroupIds"), "interface endpoints");
    return members;
}

function buildSecurityGroups(builder: Builder, index: ResourceIndex): void {
    const rules = index.ofType(T.ingress);
    const members = sgMembers(index);
    for (const group of index.ofType(T.sg)) {
        const own = rules.filter((rule) => input(rule, "securityGroupId") === group.id);
        const ports = sortPorts(own.map(portLabel));
        const used = [...new Set(members.get(group.id ?? "") ?? [])].sort();
        const name = displayName(group).replace(/-sg$/, "");
        builder.add(builder.tierGroup(group), group, "sg", [
            `SG ${name}`,
            ports.length > 0 ? `in: ${ports.join(", ")}` : "no inbound",
            ...(used.length > 0 ? [`used by: ${used.join(", ")}`] : []),
        ]);
    }
    // One edge per (source, group) with the ports it opens.
    const flows = new Map<string, { from: string; to: string; ports: string[] }>();
    for (const rule of rules) {
        const target = builder.idOf(index.resolve(input(rule, "securityGroupId")) ?? rule);
        if (!target) continue;
        const from = sourceNode(builder, index, rule);
        if (!from) continue;
        const key = `${from}->${target}`;
        const flow = flows.get(key) ?? { from, to: target, ports: [] };
        flow.ports.push(portLabel(rule));
        flows.set(key, flow);
    }
    for (const flow of flows.values()) builder.edge(flow.from, flow.to, sortPorts(flow.ports).join(", "), "traffic");
}

function sourceNode(builder: Builder, index: ResourceIndex, rule: DeploymentResource): string | undefined {
    const referenced = index.resolve(input(rule, "referencedSecurityGroupId"));
    if (referenced) return builder.idOf(referenced);
    const cidr = stringInput(rule, "cidrIpv4") ?? stringInput(rule, "cidrIpv6");
    if (!cidr) return undefined;
    if (cidr === "0.0.0.0/0" || cidr === "::/0") return builder.outsideNode("internet", ["Internet"], "circle");
    const vpc = index.ofType(T.vpc).find((v) => stringInput(v, "cidrBlock") === cidr);
    if (vpc) return builder.outsideNode(nodeId("cidr", cidr), [`inside the VPC ${cidr}`], "circle");
    return builder.outsideNode(nodeId("cidr", cidr), [`admin CIDR ${cidr}`], "circle");
}

// ---------------------------------------------------------------------------
// Data flow: S3 zones → crawlers/jobs → catalog → ECS
// ---------------------------------------------------------------------------

function bucketName(bucket: DeploymentResource): string | undefined {
    return stringInput(bucket, "bucket") ?? (typeof bucket.outputs.bucket === "string" ? bucket.outputs.bucket : undefined);
}

/** `s3://bucket/zone/...` → [bucket, zone]. */
function s3Parts(path: string): [string, string] | undefined {
    const match = /^s3:\/\/([^/]+)\/?([^/]*)/.exec(path);
    return match ? [match[1], match[2]] : undefined;
}

function buildDataFlow(builder: Builder, index: ResourceIndex): void {
    const buckets = [...index.ofType(T.bucket), ...index.ofType(T.bucketV2)];
    const byName = new Map<string, DeploymentResource>();
    for (const bucket of buckets) {
        const name = bucketName(bucket);
        if (name) byName.set(name, bucket);
    }
    const crawlers = index.ofType(T.crawler);
    const zones = new Map<string, Set<string>>(); // bucket urn → zones
    const addZone = (bucket: DeploymentResource, zone: string) => {
        const top = zone.split("/")[0]; // zones are top-level prefixes; raw/events/ is inside raw/
        if (top) zones.set(bucket.urn, new Set([...(zones.get(bucket.urn) ?? []), `${top}/`]));
    };
    for (const crawler of crawlers) {
        for (const target of listInput(crawler, "s3Targets")) {
            const parts = s3Parts(String((target as { path?: unknown }).path ?? ""));
            const bucket = parts && byName.get(parts[0]);
            if (bucket && parts) addZone(bucket, parts[1]);
        }
    }
    for (const lifecycle of index.ofType(T.lifecycle)) {
        const bucket = byName.get(stringInput(lifecycle, "bucket") ?? "");
        for (const rule of listInput(lifecycle, "rules")) {
            const prefix = (rule as { filter?: { prefix?: unknown } }).filter?.prefix;
            if (bucket && typeof prefix === "string") addZone(bucket, prefix.replace(/\/$/, ""));
        }
    }
    const partsOf = (bucket: DeploymentResource) => {
        const name = bucketName(bucket);
        return index.resources.filter((r) => BUCKET_FEATURES[r.type] && name !== undefined && stringInput(r, "bucket") === name);
    };
    for (const bucket of buckets) {
        // Folder markers (`raw/`, `processed/`, ...) are the lake's zones.
        for (const object of partsOf(bucket).filter((r) => r.type === TYPE.s3BucketObjectv2)) {
            const key = stringInput(object, "key") ?? "";
            if (key.endsWith("/")) addZone(bucket, key.slice(0, -1));
        }
    }
    for (const bucket of buckets) {
        const zoneList = [...(zones.get(bucket.urn) ?? [])].sort();
        const parts = partsOf(bucket);
        const features = [...new Set(parts.map((r) => BUCKET_FEATURES[r.type](r)).filter((f): f is string => f !== undefined))].sort();
        const files = parts.filter((r) => r.type === TYPE.s3BucketObjectv2 && !(stringInput(r, "key") ?? "").endsWith("/")).length;
        builder.add(
            builder.tierGroup(bucket),
            bucket,
            "bucket",
            [
                `S3 ${displayName(bucket)}`,
                ...(zoneList.length > 0 ? [`zones: ${zoneList.join(" ")}`] : []),
                ...(features.length > 0 ? [features.join(" · ")] : []),
                ...(files > 0 ? [`${files} uploaded files`] : []),
            ],
            "cylinder",
        );
    }

    const catalogs = new Map<string, string>(); // database name → node id
    for (const catalog of index.ofType(T.catalog)) {
        const name = stringInput(catalog, "name") ?? displayName(catalog);
        catalogs.set(name, builder.add(builder.tierGroup(catalog), catalog, "catalog", [`Glue catalog ${name}`], "cylinder"));
    }
    for (const crawler of crawlers) {
        const id = builder.add(
            builder.tierGroup(crawler),
            crawler,
            "crawler",
            [`crawler ${stringInput(crawler, "name") ?? displayName(crawler)}`],
            "round",
        );
        for (const target of listInput(crawler, "s3Targets")) {
            const parts = s3Parts(String((target as { path?: unknown }).path ?? ""));
            const bucket = parts && byName.get(parts[0]);
            const bucketId = bucket && builder.idOf(bucket);
            if (bucketId && parts) builder.edge(bucketId, id, `${parts[1]}/`, "data");
        }
        const catalog = catalogs.get(stringInput(crawler, "databaseName") ?? "");
        if (catalog) builder.edge(id, catalog, "tables", "data");
    }
    for (const job of index.ofType(T.job)) {
        const kind = stringInput(job, "command.name") ?? "job";
        const id = builder.add(builder.tierGroup(job), job, "job", [`Glue ${kind} job ${stringInput(job, "name") ?? displayName(job)}`], "round");
        const args = (input(job, "defaultArguments") ?? {}) as Record<string, unknown>;
        const scriptBucket = s3Parts(stringInput(job, "command.scriptLocation") ?? "")?.[0];
        for (const [key, value] of Object.entries(args)) {
            if (typeof value !== "string") continue;
            const name = s3Parts(value)?.[0] ?? value;
            const bucket = byName.get(name);
            const bucketId = bucket && builder.idOf(bucket);
            // Data buckets only: scripts, temp dirs and Spark UI logs are plumbing.
            if (!bucketId || name === scriptBucket || /TempDir|spark-event-logs|extra-py-files/.test(key)) continue;
            builder.edge(bucketId, id, "reads/writes", "data");
        }
        const role = index.resolve(input(job, "roleArn"));
        const readsCatalog =
            Object.values(args).some((value) => typeof value === "string" && catalogs.has(value)) ||
            (role !== undefined && hasGlueAccess(index, role));
        if (readsCatalog) for (const catalog of catalogs.values()) builder.edge(catalog, id, "tables", "data");
    }
    buildContainers(builder, index, byName, catalogs);
}

/** Whether a role may use the Glue catalog: an inline `glue:` grant or AWS's Glue service-role policy. */
function hasGlueAccess(index: ResourceIndex, role: DeploymentResource): boolean {
    const attached = index
        .ofType(TYPE.iamRolePolicyAttachment)
        .some(
            (a) => [role.id, role.outputs.name].includes(input(a, "role") as string) && /AWSGlueServiceRole$/.test(stringInput(a, "policyArn") ?? ""),
        );
    return attached || roleGrants(index, role).actions.some((action) => action.startsWith("glue:"));
}

/** IAM actions and resources granted to a role by its inline policies. */
function roleGrants(index: ResourceIndex, role: DeploymentResource): { actions: string[]; resources: string[] } {
    const actions: string[] = [];
    const resources: string[] = [];
    for (const policy of index.ofType(T.rolePolicy)) {
        const ref = input(policy, "role");
        if (ref !== role.id && ref !== role.outputs.name && ref !== role.outputs.arn) continue;
        let document: { Statement?: unknown } = {};
        try {
            document = JSON.parse(stringInput(policy, "policy") ?? "{}");
        } catch {
            continue;
        }
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
        for (const statement of statements as { Effect?: string; Action?: unknown; Resource?: unknown }[]) {
            if (!statement || statement.Effect !== "Allow") continue;
            actions.push(...[statement.Action].flat().filter((a): a is string => typeof a === "string"));
            resources.push(...[statement.Resource].flat().filter((r): r is string => typeof r === "string"));
        }
    }
    return { actions, resources };
}

function buildContainers(builder: Builder, index: ResourceIndex, buckets: Map<string, DeploymentResource>, catalogs: Map<string, string>): void {
    for (const cluster of index.ofType(T.cluster)) {
        builder.add(builder.tierGroup(cluster), cluster, "ecs", [`ECS cluster ${stringInput(cluster, "name") ?? displayName(cluster)}`]);
    }
    const repositories = index.ofType(T.repository);
    for (const taskDefinition of index.ofType(T.taskDefinition)) {
        const cpu = numberInput(taskDefinition, "cpu", 0) / 1024;
        const memory = numberInput(taskDefinition, "memory", 0) / 1024;
        const id = builder.add(
            builder.tierGroup(taskDefinition),
            taskDefinition,
            "task",
            [`task ${stringInput(taskDefinition, "family") ?? displayName(taskDefinition)}`, `${cpu} vCPU / ${memory} GB`],
            "round",
        );
        const definitions = stringInput(taskDefinition, "containerDefinitions") ?? "";
        for (const repository of repositories) {
            const url = repository.outputs.repositoryUrl;
            if (typeof url === "string" && definitions.includes(url)) builder.edge(nodeId("tiernode", index.tierOf(repository)), id, "image", "uses");
        }
        const role = index.resolve(input(taskDefinition, "taskRoleArn"));
        if (!role) continue;
        const grants = roleGrants(index, role);
        if (hasGlueAccess(index, role)) for (const catalog of catalogs.values()) builder.edge(catalog, id, "tables", "data");
        for (const [name, bucket] of buckets) {
            const arn = bucket.outputs.arn;
            const bucketId = builder.idOf(bucket);
            const granted = grants.resources.some(
                (resource) => resource === arn || resource.startsWith(`${String(arn)}/`) || resource.includes(`:::${name}`),
            );
            if (bucketId && granted && grants.actions.some((action) => action.startsWith("s3:"))) builder.edge(bucketId, id, "S3 data", "data");
        }
    }
    for (const service of index.ofType(T.service)) {
        const taskDefinition = index.resolve(input(service, "taskDefinition"));
        const cluster = index.resolve(input(service, "cluster"));
        const taskId = taskDefinition && builder.idOf(taskDefinition);
        const clusterId = cluster && builder.idOf(cluster);
        if (taskId && clusterId)
            builder.edge(clusterId, taskId, `service ${displayName(service)} × ${numberInput(service, "desiredCount", 0)}`, "uses");
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
        if (!resource.custom || DRAWN.has(resource.type) || resource.type.startsWith("random:")) continue;
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

function buildHosts(builder: Builder, index: ResourceIndex): void {
    for (const host of index.ofType(T.instance)) {
        const eip = index.ofType(TYPE.ec2EipAssociation).some((a) => input(a, "instanceId") === host.id);
        const access = eip ? "Elastic IP" : input(host, "associatePublicIpAddress") === true ? "public IP" : "private";
        const id = builder.add(builder.tierGroup(host), host, "host", [
            `host ${displayName(host)}`,
            `${stringInput(host, "instanceType") ?? "?"} · ${access}`,
        ]);
        for (const group of listInput(host, "vpcSecurityGroupIds")) {
            const sg = index.resolve(group);
            const sgId = sg && builder.idOf(sg);
            if (sgId) builder.edge(sgId, id, "", "uses");
        }
    }
}

export function buildDiagram(resources: readonly DeploymentResource[]): Diagram {
    const index = new ResourceIndex(resources);
    const builder = new Builder(index);
    buildNetwork(builder, index);
    buildSecurityGroups(builder, index);
    buildHosts(builder, index);
    buildDataFlow(builder, index);
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
