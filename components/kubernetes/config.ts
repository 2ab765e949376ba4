import { z } from "zod";
import { MINIKUBE_MIN_MEMORY_MIB, MINIKUBE_MIN_VCPUS, OS_RESERVE_MIB } from "../shared/instance-types";
import { USER_VALUE, logRetentionDays } from "../shared/config-fields";
import type { HostRequirement } from "../shared/host/config";
import type { NetworkConfig } from "../network/config";
import { DEFAULT_EKS_VERSION, EKS_VERSIONS, EKS_VERSION_NAMES } from "./eks-versions";
import { NodeGroupConfig, duplicateNodeGroupNames, nodeGroupSchema } from "./node-groups";
import { KUBERNETES_ARCHITECTURES, missingKubernetesChecksums } from "./tools";

export const KUBERNETES_MODES = ["none", "minikube", "eks"] as const;
export type KubernetesMode = (typeof KUBERNETES_MODES)[number];

/** `data-platform:kubernetes`. */
export const kubernetesSchema = z
    .enum(KUBERNETES_MODES)
    .default("none")
    .describe("Kubernetes: none, minikube (the minikube + ArgoCD host) or eks (an EKS cluster, configured by data-platform:eks)");

/** What the minikube host's instance type must offer. */
export const MINIKUBE_HOST: HostRequirement = {
    key: "kubernetesInstanceType",
    vcpus: MINIKUBE_MIN_VCPUS,
    memoryMiB: MINIKUBE_MIN_MEMORY_MIB + OS_RESERVE_MIB,
    what: `minikube needs ${MINIKUBE_MIN_VCPUS} vCPUs and ${MINIKUBE_MIN_MEMORY_MIB} MiB, plus ${OS_RESERVE_MIB} MiB for the OS`,
    architectures: KUBERNETES_ARCHITECTURES,
    architectureReason: (architecture) => `no pinned sha256 for ${missingKubernetesChecksums(architecture).join(", ")}`,
};

// ---------------------------------------------------------------------------
// EKS (`kubernetes: eks`)
// ---------------------------------------------------------------------------

/** Control-plane log types EKS can send to CloudWatch Logs. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type EksLogType = (typeof EKS_LOG_TYPES)[number];
/** Who called the API, what it changed, and which IAM identity it was: the security-relevant three. */
export const DEFAULT_EKS_LOG_TYPES: readonly EksLogType[] = ["api", "audit", "authenticator"];

/** Access entries only (API), or access entries plus the legacy aws-auth ConfigMap. CONFIG_MAP alone is not offered. */
export const EKS_AUTHENTICATION_MODES = ["API", "API_AND_CONFIG_MAP"] as const;

/** An IAM role ARN (with an optional path) in any partition. */
export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** x86_64 by default: the platform's images are built for linux/amd64 (components/registry/registry.ts IMAGE_PLATFORM). */
const DEFAULT_NODE_GROUPS: NodeGroupConfig[] = [
    { name: "general", capacityType: "ON_DEMAND", instanceTypes: ["t3a.medium"], minSize: 2, maxSize: 3, desiredSize: 2, diskSizeGb: 20 },
];

/** `data-platform:eks`: the EKS cluster of `kubernetes: eks`. */
export const eksSchema = z
    .strictObject({
        version: z
            .enum(EKS_VERSION_NAMES, { error: `one of the EKS versions in standard support: ${EKS_VERSION_NAMES.join(", ")}` })
            .default(DEFAULT_EKS_VERSION)
            .describe(
                `Kubernetes version: ${EKS_VERSION_NAMES.map((v) => `${v} (standard support until ${EKS_VERSIONS[v].endOfStandardSupport})`).join(", ")}; add-ons pinned per version; default ${DEFAULT_EKS_VERSION}`,
            ),
        endpointPublicAccess: z
            .boolean()
            .default(false)
            .describe("public API endpoint, open only to access.adminCidrs (default false: private endpoint only; refused with protect)"),
        adminRoleArn: z
            .string()
            .regex(IAM_ROLE_ARN, "expected an IAM role ARN, e.g. arn:aws:iam::123456789012:role/platform-admin")
            .describe("IAM role you own that gets cluster admin (an access entry with AmazonEKSClusterAdminPolicy); required")
            .meta(USER_VALUE),
        authenticationMode: z
            .enum(EKS_AUTHENTICATION_MODES)
            .default("API")
            .describe("API (access entries only) or API_AND_CONFIG_MAP (also the aws-auth ConfigMap); default API"),
        bootstrapCreatorAdmin: z
            .boolean()
            .default(false)
            .describe("make the identity that runs `pulumi up` a cluster admin too (default false; refused with protect)"),
        logTypes: z
            .array(z.enum(EKS_LOG_TYPES))
            .default([...DEFAULT_EKS_LOG_TYPES])
            .describe(
                `control-plane log types sent to /aws/eks/<cluster>/cluster: any of ${EKS_LOG_TYPES.join(", ")}; default api, audit, authenticator`,
            ),
        logRetentionDays: logRetentionDays.default(90).describe("control-plane log retention (a CloudWatch-allowed value, default 90)"),
        nodeGroups: z
            .array(nodeGroupSchema)
            .min(1)
            .default(DEFAULT_NODE_GROUPS)
            .describe("managed node groups in the private subnets: {name, capacityType, instanceTypes, minSize, maxSize, desiredSize, diskSizeGb}"),
    })
    .superRefine((eks, ctx) => {
        for (const { index, name } of duplicateNodeGroupNames(eks.nodeGroups)) {
            ctx.addIssue({ code: "custom", path: ["nodeGroups", index, "name"], message: `node group name ${name} is used twice` });
        }
        eks.logTypes.forEach((type, index) => {
            if (eks.logTypes.indexOf(type) !== index) ctx.addIssue({ code: "custom", path: ["logTypes", index], message: `${type} is listed twice` });
        });
        if (!eks.logTypes.includes("audit")) {
            ctx.addIssue({
                code: "custom",
                path: ["logTypes"],
                message: "must include audit: who did what in the cluster is the one log that cannot be recovered later (Security Hub EKS.8)",
            });
        }
    });

export type EksConfig = z.infer<typeof eksSchema>;

/**
 * Interface endpoints EKS nodes need in private subnets without NAT (AWS, "Deploy private clusters with
 * limited internet access"): ECR for images, EC2 for the VPC CNI, STS and EKS Auth for Pod Identity.
 */
export const EKS_NODE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "ec2", "sts", "eks-auth"] as const;

/** What the EKS cross-tier checks read. */
export interface EksCheckInput {
    readonly kubernetes: string;
    /** The `data-platform:eks` section, absent when the stack does not set it. */
    readonly eks?: EksConfig;
    /** The stack's `protect` (prod): no public endpoint and no creator-admin bootstrap. */
    readonly protect: boolean;
    readonly network: Pick<NetworkConfig, "privateSubnetCidrs" | "natGateways" | "interfaceEndpoints">;
    readonly access: { readonly adminCidrs: readonly string[] };
    /** The services the network's interface endpoints cover (its INTERFACE_ENDPOINT_SERVICES). Default: none. */
    readonly interfaceEndpointServices?: readonly string[];
}

type Problem = { path: (string | number)[]; message: string };

/** Checks between `kubernetes: eks`, the eks section, the network, access and protect. */
export function eksProblems(input: EksCheckInput): Problem[] {
    const { eks } = input;
    if (input.kubernetes !== "eks") {
        return eks === undefined
            ? []
            : [{ path: ["eks"], message: `is set but kubernetes is ${input.kubernetes}: set kubernetes: eks, or remove the eks section` }];
    }
    if (eks === undefined) return [{ path: ["eks"], message: "kubernetes: eks needs the eks section, with at least eks.adminRoleArn" }];
    return [...subnetProblems(input), ...endpointProblems(input, eks), ...bootstrapProblems(input, eks), ...nodeEgressProblems(input)];
}

function subnetProblems({ network }: EksCheckInput): Problem[] {
    if (network.privateSubnetCidrs.length >= 2) return [];
    return [
        {
            path: ["network", "privateSubnetCidrs"],
            message: `EKS needs private subnets in at least two availability zones; the network has ${network.privateSubnetCidrs.length}`,
        },
    ];
}

function endpointProblems({ protect, access }: EksCheckInput, eks: EksConfig): Problem[] {
    if (!eks.endpointPublicAccess) return [];
    if (protect) {
        return [
            {
                path: ["eks", "endpointPublicAccess"],
                message:
                    "a protected (production) stack keeps the API endpoint private: set eks.endpointPublicAccess: false and reach it from inside the VPC",
            },
        ];
    }
    if (access.adminCidrs.length === 0) {
        return [
            {
                path: ["eks", "endpointPublicAccess"],
                message:
                    "a public endpoint is open only to access.adminCidrs, which is empty: add your office or VPN range there, or set endpointPublicAccess: false",
            },
        ];
    }
    return access.adminCidrs.flatMap((cidr, index) =>
        cidr.includes(":")
            ? [
                  {
                      path: ["access", "adminCidrs", index],
                      message: `${cidr} is IPv6; the cluster's public endpoint is IPv4 only (an IPv4 VPC), so list IPv4 ranges for eks.endpointPublicAccess`,
                  },
              ]
            : [],
    );
}

function bootstrapProblems({ protect }: EksCheckInput, eks: EksConfig): Problem[] {
    if (!protect || !eks.bootstrapCreatorAdmin) return [];
    return [
        {
            path: ["eks", "bootstrapCreatorAdmin"],
            message: "a protected (production) stack gives cluster admin only to eks.adminRoleArn: set bootstrapCreatorAdmin: false",
        },
    ];
}

/** Nodes pull images from ECR, and the VPC CNI and Pod Identity call EC2, STS and EKS Auth: they need NAT or all those endpoints. */
function nodeEgressProblems({ network, interfaceEndpointServices = [] }: EksCheckInput): Problem[] {
    if (network.natGateways !== "none") return [];
    const missing = network.interfaceEndpoints ? EKS_NODE_ENDPOINT_SERVICES.filter((service) => !interfaceEndpointServices.includes(service)) : [];
    if (network.interfaceEndpoints && missing.length === 0) return [];
    return [
        {
            path: ["eks", "nodeGroups"],
            message: network.interfaceEndpoints
                ? `nodes in private subnets without NAT need interface endpoints for ${EKS_NODE_ENDPOINT_SERVICES.join(", ")}; the network has none for ${missing.join(", ")}: set network.natGateways to single|perAz`
                : "nodes in private subnets cannot pull images or reach the EC2, STS and EKS APIs without egress: set network.natGateways to single|perAz",
        },
    ];
}
