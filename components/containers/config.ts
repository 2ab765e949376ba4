import { z } from "zod";
import { logRetentionDays } from "../shared/config-fields";
import type { NetworkConfig } from "../network/config";
import { ec2CapacitySchema } from "./capacity-config";

/**
 * Fargate task sizes AWS accepts: CPU units → allowed memory in MiB.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: [1024, 2048, 3072, 4096],
    1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) values.push(value);
    return values;
}

const taskSize = z
    .strictObject({
        cpu: z.number().int().describe("task CPU units (1024 = 1 vCPU)"),
        memory: z.number().int().describe("task memory in MiB"),
    })
    .superRefine((size, ctx) => {
        const allowed = FARGATE_SIZES[size.cpu];
        if (!allowed) {
            ctx.addIssue({ code: "custom", path: ["cpu"], message: `Fargate CPU must be one of ${Object.keys(FARGATE_SIZES).join(", ")}` });
        } else if (!allowed.includes(size.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                message: `Fargate allows ${allowed[0]}–${allowed[allowed.length - 1]} MiB (${allowed.join(", ")}) with ${size.cpu} CPU units`,
            });
        }
    });

export const TASK_PLACEMENTS = ["public", "private"] as const;
export type TaskPlacementMode = (typeof TASK_PLACEMENTS)[number];

/** `data-platform:containers`: the ECS cluster, its tasks and service. */
export const containersSchema = z.strictObject({
    enabled: z.boolean().default(true).describe("build the ECS cluster (the data tasks, the edge's web service and EC2 capacity run on it)"),
    dataTasks: z
        .boolean()
        .default(true)
        .describe("build the data platform's task definitions and data-processing service (needs dataLake.enabled and registry.enabled)"),
    containerInsights: z.boolean().default(false).describe("ECS Container Insights"),
    placement: z.enum(TASK_PLACEMENTS).default("private").describe("task subnets: public (public IP) or private (needs NAT or interface endpoints)"),
    logRetentionDays: logRetentionDays.default(30).describe("task log retention"),
    dataProcessing: taskSize.default({ cpu: 1024, memory: 2048 }).describe("data-processing task size {cpu, memory} (a Fargate combination)"),
    sparkJob: taskSize.default({ cpu: 2048, memory: 4096 }).describe("spark-job task size {cpu, memory} (a Fargate combination)"),
    catalogAudit: taskSize
        .default({ cpu: 256, memory: 512 })
        .describe("catalog-audit task size {cpu, memory} (a Fargate combination); the task runs the glue-jobs image on demand"),
    inventoryIntervalMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440)
        .default(60)
        .describe("minutes between the data-processing service's inventory runs (the service's worker runs until stopped)"),
    serviceDesiredCount: z.number().int().min(0).default(0).describe("desired count of the data-processing service"),
    // No describe here: the reference then lists the section's own keys (containers.ec2Capacity.*).
    ec2Capacity: ec2CapacitySchema.optional(),
});

export type ContainersConfig = z.infer<typeof containersSchema>;

/** Tasks in private subnets need NAT or the interface endpoints to pull images and write logs. */
export function taskEgressProblems(network: NetworkConfig, containers: ContainersConfig): { path: string[]; message: string }[] {
    if (containers.placement !== "private" || network.natGateways !== "none" || network.interfaceEndpoints) return [];
    return [
        {
            path: ["containers", "placement"],
            message:
                "tasks in private subnets cannot pull images or write logs without egress: set network.natGateways to single|perAz, or network.interfaceEndpoints: true, or containers.placement: public",
        },
    ];
}
