import { DeploymentResource } from "../deployment";
import { displayName, numberInput, stringInput } from "../cost/resources";
import { T as PACK, TYPE } from "../../policy-pack/policies/types";
import { Builder } from "./builder";
import { Links, known, unique, valuesAt } from "./links";

/**
 * What runs code or takes traffic: ECS services, EKS clusters and their node groups, Lambda functions,
 * EC2 capacity (auto scaling groups and ECS capacity providers), hosts, load balancers and the data
 * stores — each with the security groups it carries, which is how an ingress rule's referenced group
 * turns into "who may connect".
 */

const SG = [TYPE.ec2SecurityGroup];
const LAUNCH_TEMPLATE = [TYPE.ec2LaunchTemplate];
const CLUSTER = [TYPE.ecsCluster];
const EKS = [TYPE.eksCluster];
const ASG = [TYPE.autoscalingGroup];
const CAPACITY_PROVIDER = [TYPE.ecsCapacityProvider];
const LAMBDA = [TYPE.lambdaFunction];
export const LOAD_BALANCERS = PACK.loadBalancer;

/** The name AWS knows a resource by: its `name` output or input, else the display name. */
export function nameOf(resource: DeploymentResource, key = "name"): string {
    return known(resource.outputs[key]) ?? known(resource.inputs[key]) ?? displayName(resource);
}

export interface Carrier {
    readonly resource: DeploymentResource;
    readonly groups: readonly DeploymentResource[];
    /** How the group's "used by" line names it. */
    readonly label: string;
}

/** The launch template a node group or auto scaling group names (by id or name), with its security groups. */
export function launchTemplateOf(links: Links, resource: DeploymentResource): DeploymentResource | undefined {
    const paths =
        resource.type === TYPE.autoscalingGroup
            ? [
                  "launchTemplate.id",
                  "launchTemplate.name",
                  "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId",
                  "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateName",
              ]
            : ["launchTemplate.id", "launchTemplate.name"];
    return unique(paths.flatMap((path) => links.refs(resource, path, LAUNCH_TEMPLATE)))[0];
}

function launchTemplateGroups(links: Links, resource: DeploymentResource): DeploymentResource[] {
    const template = launchTemplateOf(links, resource);
    if (!template) return [];
    return unique([...links.refs(template, "vpcSecurityGroupIds", SG), ...links.refs(template, "networkInterfaces.securityGroups", SG)]);
}

/** Every resource that carries security groups, with them. */
export function carriers(links: Links): Carrier[] {
    const { index } = links;
    const result: Carrier[] = [];
    const add = (types: readonly string[], groupsOf: (r: DeploymentResource) => DeploymentResource[], label: (r: DeploymentResource) => string) => {
        for (const resource of types.flatMap((type) => index.ofType(type))) {
            const groups = groupsOf(resource);
            if (groups.length > 0) result.push({ resource, groups, label: label(resource) });
        }
    };
    const byPath = (path: string) => (r: DeploymentResource) => links.refs(r, path, SG);
    add([TYPE.ec2Instance], byPath("vpcSecurityGroupIds"), (r) => `host ${displayName(r)}`);
    add([TYPE.ecsService], byPath("networkConfiguration.securityGroups"), (r) => `ECS ${displayName(r)}`);
    add(LOAD_BALANCERS, byPath("securityGroups"), (r) => `LB ${displayName(r)}`);
    add([TYPE.rdsInstance], byPath("vpcSecurityGroupIds"), (r) => `RDS ${displayName(r)}`);
    add([TYPE.elasticacheCluster, TYPE.elasticacheReplicationGroup], byPath("securityGroupIds"), (r) => `cache ${displayName(r)}`);
    add([TYPE.mskCluster], byPath("brokerNodeGroupInfo.securityGroups"), (r) => `Kafka ${displayName(r)}`);
    add([TYPE.ec2VpcEndpoint], byPath("securityGroupIds"), () => "interface endpoints");
    add(EKS, byPath("vpcConfig.securityGroupIds"), (r) => `EKS ${displayName(r)}`);
    add(
        [TYPE.eksNodeGroup],
        (r) => launchTemplateGroups(links, r),
        (r) => `EKS nodes ${displayName(r)}`,
    );
    add(LAMBDA, byPath("vpcConfig.securityGroupIds"), (r) => `Lambda ${displayName(r)}`);
    add(
        ASG,
        (r) => launchTemplateGroups(links, r),
        (r) => `ASG ${nameOf(r)}`,
    );
    return result;
}

/**
 * The drawn workloads that carry `group`: what an ingress rule referencing it lets in. An EKS cluster
 * counts only where none of its node groups carries the group (the nodes stand for it).
 */
export function workloadsCarrying(builder: Builder, links: Links, all: readonly Carrier[], group: DeploymentResource): string[] {
    const carrying = all.filter((c) => c.groups.includes(group) && builder.idOf(c.resource) !== undefined);
    const nodeGroupClusters = new Set(
        carrying.filter((c) => c.resource.type === TYPE.eksNodeGroup).flatMap((c) => links.refs(c.resource, "clusterName", EKS).map((e) => e.urn)),
    );
    return [
        ...new Set(
            carrying
                .filter((c) => !(c.resource.type === TYPE.eksCluster && nodeGroupClusters.has(c.resource.urn)))
                .map((c) => builder.idOf(c.resource)!),
        ),
    ].sort();
}

// ---------------------------------------------------------------------------
// Scaling (Application Auto Scaling targets and policies)
// ---------------------------------------------------------------------------

const PREDEFINED_METRICS: Readonly<Record<string, string>> = {
    ECSServiceAverageCPUUtilization: "CPU",
    ECSServiceAverageMemoryUtilization: "memory",
    ALBRequestCountPerTarget: "requests",
    KafkaBrokerStorageUtilization: "storage",
};

export interface Scaling {
    readonly min: number;
    readonly max: number;
    /** What the policies track, e.g. `CPU 60%`, `requests 1000`. */
    readonly metrics: string[];
}

/** The scalable targets of `resource` (matched by `resourceId`, or by what it was computed from) and their policies, folded. */
export function scalingOf(builder: Builder, links: Links, resource: DeploymentResource, resourceId: string | undefined): Scaling | undefined {
    const { index } = links;
    const targets = index
        .ofType(TYPE.appautoscalingTarget)
        .filter(
            (t) =>
                (resourceId !== undefined && known(t.inputs.resourceId) === resourceId) ||
                links.dependencies(t, "resourceId", [resource.type]).includes(resource),
        );
    if (targets.length === 0) return undefined;
    const policies = index.ofType(TYPE.appautoscalingPolicy).filter((p) => {
        const id = known(p.inputs.resourceId);
        return (
            (id !== undefined && targets.some((t) => known(t.inputs.resourceId) === id)) ||
            links.dependencies(p, "resourceId", [resource.type, TYPE.appautoscalingTarget]).some((r) => r === resource || targets.includes(r))
        );
    });
    builder.fold(...targets, ...policies);
    const metrics = policies
        .map((p) => {
            const config = "targetTrackingScalingPolicyConfiguration";
            const predefined = stringInput(p, `${config}.predefinedMetricSpecification.predefinedMetricType`);
            const metric = predefined
                ? (PREDEFINED_METRICS[predefined] ?? predefined)
                : (stringInput(p, `${config}.customizedMetricSpecification.metricName`) ?? stringInput(p, "policyType") ?? "policy");
            const target = numberInput(p, `${config}.targetValue`, NaN);
            return Number.isFinite(target) ? `${metric} ${target}${/CPU|memory|storage/.test(metric) ? "%" : ""}` : metric;
        })
        .sort();
    return {
        min: Math.min(...targets.map((t) => numberInput(t, "minCapacity", 0))),
        max: Math.max(...targets.map((t) => numberInput(t, "maxCapacity", 0))),
        metrics,
    };
}

// ---------------------------------------------------------------------------
// ECS services, EC2 capacity
// ---------------------------------------------------------------------------

function launchOf(service: DeploymentResource): string {
    const launchType = stringInput(service, "launchType");
    if (launchType) return launchType;
    const providers = valuesAt(service.inputs, "capacityProviderStrategies.capacityProvider")
        .map(known)
        .filter((p): p is string => p !== undefined);
    return providers.length > 0 ? [...new Set(providers)].sort().join("/") : "default capacity";
}

/** One node per ECS service: its cluster → it → its task definition; autoscaling folded in. */
export function buildServices(builder: Builder, links: Links): void {
    for (const service of links.index.ofType(TYPE.ecsService)) {
        const cluster = links.ref(service, "cluster", CLUSTER);
        const clusterName = cluster && known(cluster.outputs.name);
        const serviceName = known(service.outputs.name) ?? known(service.inputs.name);
        const resourceId = clusterName && serviceName ? `service/${clusterName}/${serviceName}` : undefined;
        const scaling = scalingOf(builder, links, service, resourceId);
        const id = builder.draw(
            service,
            "svc",
            [
                `ECS service ${displayName(service)}`,
                `${launchOf(service)} · desired ${numberInput(service, "desiredCount", 0)}`,
                ...(scaling
                    ? [`autoscaling ${scaling.min}–${scaling.max}${scaling.metrics.length > 0 ? ` on ${scaling.metrics.join(", ")}` : ""}`]
                    : []),
            ],
            "round",
        );
        const clusterId = cluster && builder.idOf(cluster);
        if (clusterId) builder.edge(clusterId, id, "", "uses");
        const taskDefinition = links.ref(service, "taskDefinition", [TYPE.ecsTaskDefinition]);
        const taskId = taskDefinition && builder.idOf(taskDefinition);
        if (taskId) builder.edge(id, taskId, "runs", "uses");
    }
}

/** The capacity providers of an ECS cluster (FARGATE, FARGATE_SPOT and its own), for the cluster's node. */
export function clusterCapacity(builder: Builder, links: Links, cluster: DeploymentResource): string[] {
    const names: string[] = [];
    for (const attachment of links.index.ofType(TYPE.ecsClusterCapacityProviders)) {
        if (!links.refs(attachment, "clusterName", CLUSTER).includes(cluster)) continue;
        builder.fold(attachment);
        for (const value of valuesAt(attachment.inputs, "capacityProviders")) {
            const provider = links.find(value, CAPACITY_PROVIDER);
            const name = provider ? nameOf(provider) : known(value);
            if (name) names.push(name);
        }
        for (const provider of links.dependencies(attachment, "capacityProviders", CAPACITY_PROVIDER)) names.push(nameOf(provider));
    }
    return [...new Set(names)].sort();
}

export function instanceTypeOf(links: Links, resource: DeploymentResource, template: DeploymentResource | undefined): string {
    const overrides = valuesAt(resource.inputs, "mixedInstancesPolicy.launchTemplate.overrides.instanceType")
        .map(known)
        .filter((t): t is string => t !== undefined);
    const direct = valuesAt(resource.inputs, "instanceTypes")
        .map(known)
        .filter((t): t is string => t !== undefined);
    const types = [...overrides, ...direct];
    if (types.length > 0) return [...new Set(types)].join("/");
    if (template && template.inputs.instanceRequirements !== undefined) return "attribute-based types";
    return (template && stringInput(template, "instanceType")) ?? "?";
}

export function templateLine(template: DeploymentResource | undefined): string[] {
    if (!template) return [];
    const imds = stringInput(template, "metadataOptions.httpTokens") === "required" ? " · IMDSv2" : "";
    return [`launch template ${nameOf(template)}${imds}`];
}

/** Auto scaling groups → ECS capacity providers → clusters. */
export function buildCapacity(builder: Builder, links: Links): void {
    const { index } = links;
    for (const group of index.ofType(TYPE.autoscalingGroup)) {
        const template = launchTemplateOf(links, group);
        if (template) builder.fold(template);
        const desired = numberInput(group, "desiredCapacity", NaN);
        builder.draw(group, "asg", [
            `ASG ${nameOf(group)}`,
            `${instanceTypeOf(links, group, template)} · ${numberInput(group, "minSize", 0)}–${numberInput(group, "maxSize", 0)}${Number.isFinite(desired) ? ` (desired ${desired})` : ""}`,
            ...templateLine(template),
        ]);
    }
    const attachments = index.ofType(TYPE.ecsClusterCapacityProviders);
    for (const provider of index.ofType(TYPE.ecsCapacityProvider)) {
        const asgProvider = "autoScalingGroupProvider";
        const managed = stringInput(provider, `${asgProvider}.managedScaling.status`) === "ENABLED";
        const target = numberInput(provider, `${asgProvider}.managedScaling.targetCapacity`, NaN);
        const features = [
            ...(managed ? [`managed scaling${Number.isFinite(target) ? ` ${target}%` : ""}`] : []),
            ...(stringInput(provider, `${asgProvider}.managedTerminationProtection`) === "ENABLED" ? ["termination protection"] : []),
        ];
        const id = builder.draw(
            provider,
            "cp",
            [`capacity provider ${nameOf(provider)}`, ...(features.length > 0 ? [features.join(" · ")] : [])],
            "round",
        );
        for (const group of links.refs(provider, `${asgProvider}.autoScalingGroupArn`, ASG)) {
            const groupId = builder.idOf(group);
            if (groupId) builder.edge(groupId, id, "instances", "uses");
        }
        const clusters = [
            ...links.refs(provider, "cluster", CLUSTER),
            ...attachments
                .filter(
                    (a) =>
                        valuesAt(a.inputs, "capacityProviders").some((v) => links.find(v, CAPACITY_PROVIDER) === provider) ||
                        links.dependencies(a, "capacityProviders", CAPACITY_PROVIDER).includes(provider),
                )
                .flatMap((a) => links.refs(a, "clusterName", CLUSTER)),
        ];
        for (const cluster of unique(clusters)) {
            const clusterId = builder.idOf(cluster);
            if (clusterId) builder.edge(id, clusterId, "capacity", "uses");
        }
    }
}

// ---------------------------------------------------------------------------
// Lambda
// ---------------------------------------------------------------------------

export function buildFunctions(builder: Builder, links: Links): void {
    const { index } = links;
    for (const fn of index.ofType(TYPE.lambdaFunction)) {
        const invocations = index.ofType(TYPE.lambdaInvocation).filter((i) => links.refs(i, "functionName", LAMBDA).includes(fn));
        builder.fold(...invocations);
        const inVpc = valuesAt(fn.inputs, "vpcConfig.subnetIds").length > 0;
        builder.draw(
            fn,
            "lambda",
            [
                `Lambda ${nameOf(fn)}`,
                [stringInput(fn, "runtime") ?? stringInput(fn, "packageType") ?? "", inVpc ? "in the VPC" : ""].filter((s) => s !== "").join(" · ") ||
                    "function",
                ...(invocations.length > 0 ? ["invoked on deploy"] : []),
            ],
            "round",
        );
    }
}
