import type { z } from "zod";
import type { ContainersConfig } from "../containers/config";
import { taskEgressProblems } from "../containers/config";
import { environmentBucketNameProblems } from "../data-lake/layout";
import { MINIKUBE_HOST, KubernetesMode } from "../kubernetes/config";
import { MONITORING_HOST } from "../monitoring/config";
import { NetworkConfig, availabilityZoneProblems } from "../network/config";
import { ImagesConfig, RegistryConfig, imageTagProblems } from "../registry/config";
import { HostsConfig, hostSizeProblems } from "../shared/host/config";
import { REGION_AZS, SUPPORTED_REGIONS } from "../shared/regions";

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
    ];
    for (const problem of problems) ctx.addIssue({ code: "custom", ...problem });
}
