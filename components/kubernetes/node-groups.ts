import { z } from "zod";
import { Architecture, instanceTypeSpec, typesWithAtLeast } from "../shared/instance-types";

/**
 * Managed node groups: which instance types a group may use, the EKS-optimized AMI type of each
 * architecture, and the `eks.nodeGroups[]` entry of the config. Pure: no resources.
 */

/**
 * Node instance types: the shared table's types with at least 2 vCPUs and 4 GiB. Smaller ones hold too
 * few pods for the add-ons alone (the VPC CNI allows 11 pods on a t3.small, 4 on a t3.micro; the five
 * add-ons run 2–3 pods per node plus CoreDNS and the EBS CSI controller).
 */
export const NODE_INSTANCE_TYPES: readonly string[] = typesWithAtLeast(2, 4 * 1024);

/**
 * The Amazon Linux 2023 EKS-optimized AMI per architecture (`amiType` of a managed node group; EKS
 * API reference, Nodegroup.amiType). AL2 AMIs end with Kubernetes 1.32, so only AL2023 is offered.
 */
export const AMI_TYPES: Readonly<Record<Architecture, string>> = {
    x86_64: "AL2023_x86_64_STANDARD",
    arm64: "AL2023_ARM_64_STANDARD",
};

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** The AL2023 EKS AMI's root volume is a 20 GiB snapshot; gp3 volumes go up to 16 TiB. */
export const MIN_NODE_DISK_GB = 20;
export const MAX_NODE_DISK_GB = 16384;

/** Node group names: `${env}-eks-<name>` must stay within EKS's 63 characters (environment ≤ 20). */
const NODE_GROUP_NAME = /^[a-z][a-z0-9-]{0,29}$/;

const nodeInstanceType = z.string().refine((type) => NODE_INSTANCE_TYPES.includes(type), {
    message: `not an allowed node instance type; allowed: ${NODE_INSTANCE_TYPES.join(", ")}`,
});

/** One `eks.nodeGroups[]` entry. */
export const nodeGroupSchema = z
    .strictObject({
        name: z
            .string()
            .regex(NODE_GROUP_NAME, "1–30 characters of a-z, 0-9 and -, starting with a letter")
            .describe("node group name; physical name `${env}-eks-<name>`"),
        capacityType: z.enum(CAPACITY_TYPES).default("ON_DEMAND").describe("ON_DEMAND or SPOT (default ON_DEMAND)"),
        instanceTypes: z
            .array(nodeInstanceType)
            .min(1)
            .describe("instance types of one architecture (x86_64 or arm64: the AMI type follows it); SPOT groups should list several"),
        minSize: z.number().int().min(0).describe("minimum nodes"),
        maxSize: z.number().int().min(1).describe("maximum nodes"),
        desiredSize: z.number().int().min(0).describe("desired nodes (between minSize and maxSize)"),
        diskSizeGb: z
            .number()
            .int()
            .min(MIN_NODE_DISK_GB)
            .max(MAX_NODE_DISK_GB)
            .default(MIN_NODE_DISK_GB)
            .describe(`encrypted gp3 root volume per node, GiB (${MIN_NODE_DISK_GB}–${MAX_NODE_DISK_GB}, default ${MIN_NODE_DISK_GB})`),
    })
    .superRefine((group, ctx) => {
        if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredSize"],
                message: `needs minSize ≤ desiredSize ≤ maxSize, got ${group.minSize} ≤ ${group.desiredSize} ≤ ${group.maxSize}`,
            });
        }
        const architectures = new Set(group.instanceTypes.map((type) => instanceTypeSpec(type)?.architecture).filter((arch) => arch !== undefined));
        if (architectures.size > 1) {
            const byArchitecture = group.instanceTypes.map((type) => `${type} (${instanceTypeSpec(type)?.architecture})`).join(", ");
            ctx.addIssue({
                code: "custom",
                path: ["instanceTypes"],
                message: `mixes architectures (${byArchitecture}): a node group runs one AMI type, so list only x86_64 or only arm64 types (use one group per architecture)`,
            });
        }
        const duplicate = group.instanceTypes.find((type, index) => group.instanceTypes.indexOf(type) !== index);
        if (duplicate) ctx.addIssue({ code: "custom", path: ["instanceTypes"], message: `lists ${duplicate} twice` });
    });

export type NodeGroupConfig = z.infer<typeof nodeGroupSchema>;

/** The architecture of a (validated) node group: that of its instance types. */
export function nodeGroupArchitecture(group: Pick<NodeGroupConfig, "instanceTypes">): Architecture {
    const spec = instanceTypeSpec(group.instanceTypes[0]);
    if (!spec) throw new Error(`unknown instance type ${group.instanceTypes[0]} (config validation should have refused it)`);
    return spec.architecture;
}

/** The EKS AMI type of a (validated) node group. */
export function amiTypeOf(group: Pick<NodeGroupConfig, "instanceTypes">): string {
    return AMI_TYPES[nodeGroupArchitecture(group)];
}

/** Physical name of a node group and of its launch template. */
export function nodeGroupPurpose(group: Pick<NodeGroupConfig, "name">): string {
    return `eks-${group.name}`;
}

/** The refinement of the list: unique names. */
export function duplicateNodeGroupNames(groups: readonly Pick<NodeGroupConfig, "name">[]): { index: number; name: string }[] {
    return groups.flatMap((group, index) => (groups.findIndex((other) => other.name === group.name) !== index ? [{ index, name: group.name }] : []));
}
