import { z } from "zod";
import type { NetworkConfig } from "../network/config";
import { INTERFACE_ENDPOINT_SERVICES } from "../network/config";
import { INSTANCE_TYPES, instanceTypeSpec } from "../shared/instance-types";

export const EC2_CAPACITY_PLACEMENTS = ["private", "public"] as const;
export type Ec2CapacityPlacement = (typeof EC2_CAPACITY_PLACEMENTS)[number];

/**
 * The ECS-optimized Amazon Linux 2023 AMI's root volume is a 30 GiB snapshot: a launch may grow it,
 * never shrink it (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-ami-storage-config.html).
 * gp3 volumes go up to 16 TiB.
 */
export const MIN_ROOT_VOLUME_GIB = 30;
export const MAX_ROOT_VOLUME_GIB = 16384;

/**
 * Interface endpoints the ECS container agent needs to register and report without NAT
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html); Fargate tasks do not
 * need them, EC2 container instances do.
 */
export const ECS_AGENT_ENDPOINT_SERVICES = ["ecs", "ecs-agent", "ecs-telemetry"] as const;

/** ECS refuses capacity provider names that start with these (CreateCapacityProvider `name`). */
export const RESERVED_CAPACITY_PROVIDER_PREFIXES = ["aws", "ecs", "fargate"] as const;

/** `data-platform:containers.ec2Capacity`: ECS on EC2 capacity beside Fargate. Absent: no EC2 capacity. */
export const ec2CapacitySchema = z
    .strictObject({
        instanceType: z
            .string()
            .refine((type) => instanceTypeSpec(type) !== undefined, {
                message: `not an instance type of components/shared/instance-types.ts; one of ${Object.keys(INSTANCE_TYPES).join(", ")}`,
            })
            .default("t3.medium")
            .describe("container instance type (its architecture picks the x86_64 or arm64 ECS-optimized AL2023 AMI)"),
        minSize: z.number().int().min(0).default(1).describe("auto scaling group minimum instances"),
        maxSize: z.number().int().min(1).max(100).default(2).describe("auto scaling group maximum instances"),
        desiredSize: z
            .number()
            .int()
            .min(0)
            .default(1)
            .describe("instances at creation, between minSize and maxSize (managed scaling owns it afterwards)"),
        targetCapacityPercent: z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(100)
            .describe("managed scaling target: percent of the instances' capacity the tasks should use (100 = no spare instance)"),
        volumeSizeGb: z
            .number()
            .int()
            .min(MIN_ROOT_VOLUME_GIB, `the ECS-optimized AL2023 AMI's root volume is ${MIN_ROOT_VOLUME_GIB} GiB and cannot shrink`)
            .max(MAX_ROOT_VOLUME_GIB)
            .default(MIN_ROOT_VOLUME_GIB)
            .describe(`encrypted gp3 root volume in GiB (OS and images; ${MIN_ROOT_VOLUME_GIB}–${MAX_ROOT_VOLUME_GIB})`),
        placement: z
            .enum(EC2_CAPACITY_PLACEMENTS)
            .default("private")
            .describe("instance subnets: private (needs NAT, or interface endpoints including the ECS agent's) or public (public IP, no NAT)"),
    })
    .superRefine((capacity, ctx) => {
        if (capacity.minSize > capacity.maxSize) {
            ctx.addIssue({ code: "custom", path: ["minSize"], message: `must be at most maxSize (${capacity.maxSize})` });
        } else if (capacity.desiredSize < capacity.minSize || capacity.desiredSize > capacity.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredSize"],
                message: `must be between minSize (${capacity.minSize}) and maxSize (${capacity.maxSize})`,
            });
        }
    });

export type Ec2CapacityConfig = z.infer<typeof ec2CapacitySchema>;

type Problem = { path: (string | number)[]; message: string };

/**
 * Container instances in private subnets need egress to register with ECS, pull images and write logs:
 * a NAT gateway, or interface endpoints that include the ECS agent's (the same rule as
 * `taskEgressProblems` for Fargate tasks, which need no ECS endpoints). With `environment`, also the
 * capacity provider's name (`${environment}-ecs-capacity-...`), which ECS refuses when it starts with
 * aws, ecs or fargate.
 */
export function ec2CapacityProblems(
    network: Pick<NetworkConfig, "natGateways" | "interfaceEndpoints">,
    capacity: Ec2CapacityConfig | undefined,
    environment?: string,
    endpointServices: readonly string[] = INTERFACE_ENDPOINT_SERVICES,
): Problem[] {
    if (capacity === undefined) return [];
    const problems: Problem[] = [];
    const reserved = RESERVED_CAPACITY_PROVIDER_PREFIXES.find((prefix) => environment?.toLowerCase().startsWith(prefix));
    if (reserved !== undefined) {
        problems.push({
            path: ["environment"],
            message: `starts with "${reserved}": the EC2 capacity provider is named after the environment and ECS refuses names starting with ${RESERVED_CAPACITY_PROVIDER_PREFIXES.join(", ")}`,
        });
    }
    if (capacity.placement !== "private" || network.natGateways !== "none") return problems;
    const missing = ECS_AGENT_ENDPOINT_SERVICES.filter((service) => !endpointServices.includes(service));
    if (network.interfaceEndpoints && missing.length === 0) return problems;
    const fixes = [
        "set network.natGateways to single|perAz",
        ...(missing.length === 0 ? ["network.interfaceEndpoints: true"] : []),
        "containers.ec2Capacity.placement: public",
    ];
    const why = !network.interfaceEndpoints ? "" : ` (the network's interface endpoints lack ${missing.join(", ")}, which the ECS agent needs)`;
    const message = `container instances in private subnets cannot register with ECS, pull images or write logs without egress${why}: ${fixes.join(", or ")}`;
    problems.push({ path: ["containers", "ec2Capacity", "placement"], message });
    return problems;
}
