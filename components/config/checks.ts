import type { z } from "zod";
import { CacheConfig, cacheProblems } from "../cache/config";
import { DatabaseConfig, databaseIdentifierProblems, databaseProblems } from "../database/config";
import { StreamingConfig, streamingProblems } from "../streaming/config";
import { AuditConfig, auditProblems } from "../audit/config";
import { ec2CapacityProblems } from "../containers/capacity-config";
import { EdgeConfig, edgeProblems, edgeRuntimeProblems } from "../edge/config";
import { EksConfig, eksProblems } from "../kubernetes/config";
import { INTERFACE_ENDPOINT_SERVICES } from "../network/config";
import type { DataLakeConfig } from "../data-lake/config";
import type { EtlConfig } from "../etl/config";
import type { ContainersConfig } from "../containers/config";
import { taskEgressProblems } from "../containers/config";
import { environmentBucketNameProblems } from "../data-lake/layout";
import { MINIKUBE_HOST, KubernetesMode } from "../kubernetes/config";
import { MONITORING_HOST } from "../monitoring/config";
import { NetworkConfig, availabilityZoneProblems } from "../network/config";
import { ImagesConfig, RegistryConfig, imageTagProblems } from "../registry/config";
import { HostsConfig, hostSizeProblems } from "../shared/host/config";
import { REGION_AZS, SUPPORTED_REGIONS } from "../shared/regions";
import { architectureOf } from "../shared/instance-types";

/** What the cross-tier checks read: keys of more than one section. */
interface CrossTierInput {
    readonly region: string;
    readonly environment: string;
    readonly network: NetworkConfig;
    readonly registry: RegistryConfig;
    readonly images: ImagesConfig;
    readonly containers: ContainersConfig;
    readonly kubernetes: KubernetesMode;
    readonly monitoring: boolean;
    readonly hosts: HostsConfig;
    readonly encryption: { readonly kms: boolean };
    readonly dataLake: DataLakeConfig;
    readonly etl: EtlConfig;
    readonly database: DatabaseConfig;
    readonly cache: CacheConfig;
    readonly streaming: StreamingConfig;
    readonly protect: boolean;
    readonly access: { readonly adminCidrs: readonly string[] };
    readonly eks?: EksConfig;
    readonly edge: EdgeConfig;
    readonly audit: AuditConfig;
    readonly budget: { readonly monthlyUsd?: number };
}

type Problem = { path: (string | number)[]; message: string };

/** Checks that span sections; each tier states its own rule, this only wires them to the keys. */
export function crossTierChecks(config: CrossTierInput, ctx: z.RefinementCtx): void {
    const regionAzs = REGION_AZS[config.region] ?? [];
    const problems: Problem[] = [
        ...(regionAzs.length === 0 ? [{ path: ["region"], message: `unsupported region; supported: ${SUPPORTED_REGIONS.join(", ")}` }] : []),
        ...availabilityZoneProblems(config.network, config.region, regionAzs).map((problem) => ({ ...problem, path: ["network", ...problem.path] })),
        ...taskEgressProblems(config.network, config.containers),
        ...imageTagProblems(config.registry, config.images),
        // The environment is part of every bucket name: S3's naming rules apply to it.
        ...environmentBucketNameProblems(config.environment).map((message) => ({ path: ["environment"], message })),
        ...(config.kubernetes === "minikube" ? hostSizeProblems(config.hosts, MINIKUBE_HOST) : []),
        ...(config.monitoring ? hostSizeProblems(config.hosts, MONITORING_HOST) : []),
        ...tierDependencyProblems(config),
        ...databaseProblems(config.network, config.database),
        ...(config.database.enabled ? databaseIdentifierProblems(config.environment).map((message) => ({ path: ["environment"], message })) : []),
        ...cacheProblems(config.network, config.cache),
        ...streamingProblems(config.network, config.streaming, config.encryption),
        ...eksProblems({ ...config, interfaceEndpointServices: INTERFACE_ENDPOINT_SERVICES }),
        ...edgeProblems(config.network, config.edge, INTERFACE_ENDPOINT_SERVICES, config.etl.enabled),
        ...edgeRuntimeProblems(config.edge, config.kubernetes),
        ...ec2CapacityProblems(config.network, config.containers.ec2Capacity, config.environment),
        ...auditProblems(config.audit, config.encryption, config.budget),
    ];
    for (const problem of problems) ctx.addIssue({ code: "custom", ...problem });
}

/** A tier that needs another the stack turns off. */
function tierDependencyProblems(config: CrossTierInput): Problem[] {
    const problems: Problem[] = [];
    const needs = (on: boolean, path: string[], required: boolean, what: string) => {
        if (on && !required) problems.push({ path, message: what });
    };
    needs(
        config.etl.enabled,
        ["dataLake", "enabled"],
        config.dataLake.enabled,
        "the Glue jobs (etl.enabled) read and write the data lake: set etl.enabled: false too, or dataLake.enabled: true",
    );
    needs(
        config.containers.enabled && config.containers.dataTasks,
        ["dataLake", "enabled"],
        config.dataLake.enabled,
        "the data tasks (containers.dataTasks) read and write the data lake: set containers.dataTasks: false too, or dataLake.enabled: true",
    );
    needs(
        config.containers.enabled && config.containers.dataTasks,
        ["registry", "enabled"],
        config.registry.enabled,
        "the data tasks (containers.dataTasks) run images from the registry: set containers.dataTasks: false too, or registry.enabled: true",
    );
    // With runtime eks the pods behind the ALB are the cluster's, deployed with kubectl: no ECS service, no image of ours.
    const ecsWeb = config.edge.enabled && config.edge.service.runtime === "ecs";
    needs(
        ecsWeb,
        ["containers", "enabled"],
        config.containers.enabled,
        "the edge's web service (edge.enabled) runs on the ECS cluster: set edge.enabled: false too (or edge.service.runtime: eks), or containers.enabled: true",
    );
    needs(
        ecsWeb,
        ["registry", "enabled"],
        config.registry.enabled,
        "the edge's web service (edge.enabled) runs its image from the registry: set edge.enabled: false too (or edge.service.runtime: eks), or registry.enabled: true",
    );
    needs(
        ecsWeb && config.edge.service.capacity === "ec2",
        ["edge", "service", "capacity"],
        config.containers.ec2Capacity !== undefined,
        "the web tasks run on the cluster's EC2 capacity: set containers.ec2Capacity, or edge.service.capacity: fargate",
    );
    // The data stores and EKS encrypt with keys of their own (the pack requires customer-managed keys for them).
    const kms = config.encryption.kms;
    const keyNeeded = (what: string, off: string) => `${what}: set encryption.kms: true, or ${off}`;
    needs(
        config.database.enabled,
        ["database", "enabled"],
        kms,
        keyNeeded("the database encrypts its storage and Performance Insights with a key of its own", "database.enabled: false"),
    );
    needs(
        config.cache.enabled,
        ["cache", "enabled"],
        kms,
        keyNeeded("the cache encrypts its data at rest with a key of its own", "cache.enabled: false"),
    );
    needs(
        config.kubernetes === "eks",
        ["kubernetes"],
        kms,
        keyNeeded("EKS encrypts Kubernetes secrets with a key of its own", "another kubernetes mode"),
    );
    // Nothing without a consumer: a cluster that runs nothing, alarms that watch nothing.
    const ecsRuns = config.containers.dataTasks || ecsWeb || config.containers.ec2Capacity !== undefined;
    needs(
        config.containers.enabled,
        ["containers", "dataTasks"],
        ecsRuns,
        "without the data tasks the ECS cluster would run nothing (no web service, no EC2 capacity): set containers.enabled: false too, or keep containers.dataTasks: true",
    );
    const watched =
        config.database.enabled ||
        config.streaming.enabled ||
        config.edge.enabled ||
        (config.containers.dataTasks && config.containers.serviceDesiredCount > 0);
    needs(
        config.audit.alarms,
        ["audit", "alarms"],
        watched,
        "there is nothing to alarm on (no database, no MSK cluster, no load balancer, no data-processing service running): set audit.alarms: false, or turn one of them on",
    );
    const capacityType = config.containers.ec2Capacity?.instanceType;
    needs(
        ecsWeb && config.edge.service.capacity === "ec2" && capacityType !== undefined,
        ["containers", "ec2Capacity", "instanceType"],
        capacityType === undefined || architectureOf(capacityType) === "x86_64",
        `the web image is built for linux/amd64, and ${capacityType} is arm64: choose an x86_64 instance type, or edge.service.capacity: fargate`,
    );
    needs(
        config.containers.ec2Capacity !== undefined,
        ["containers", "enabled"],
        config.containers.enabled,
        "EC2 capacity (containers.ec2Capacity) joins the ECS cluster: remove containers.ec2Capacity too, or containers.enabled: true",
    );
    return problems;
}
