import { z } from "zod";
import { INSTANCE_TYPES, instanceTypeSpec, typesWithAtLeast } from "../instance-types";
import { hostScheduleSchema } from "./schedule";

const instanceType = z.string().refine((name) => instanceTypeSpec(name) !== undefined, {
    message: `unknown instance type; known x86_64 types (the hosts boot the x86_64 Amazon Linux 2023 AMI): ${Object.keys(INSTANCE_TYPES).join(", ")}`,
});

/** `data-platform:hosts`: the EC2 hosts of the kubernetes (minikube) and monitoring tiers. */
export const hostsSchema = z.strictObject({
    kubernetesInstanceType: instanceType
        .default("t3.medium")
        .describe("instance type of the minikube host; needs >= 2 vCPUs and 2 GiB for minikube plus the OS reserve"),
    monitoringInstanceType: instanceType
        .default("t3.large")
        .describe("instance type of the monitoring host; memory must fit the catalog's container limits plus the OS reserve"),
    rootVolumeGiB: z.number().int().min(20).max(1024).default(30).describe("root volume size of each host (GiB)"),
    detailedMonitoring: z.boolean().default(false).describe("EC2 detailed monitoring on the hosts"),
    schedule: hostScheduleSchema,
});

export type HostsConfig = z.infer<typeof hostsSchema>;

/** The least a host tier's software needs of its instance type. */
export interface HostRequirement {
    /** The `hosts` key that sets the instance type. */
    readonly key: "kubernetesInstanceType" | "monitoringInstanceType";
    readonly vcpus: number;
    readonly memoryMiB: number;
    /** Why, for the error message. */
    readonly what: string;
}

/** Problems when the configured type is smaller than the requirement (unknown types are refused by the schema). */
export function hostSizeProblems(hosts: HostsConfig, need: HostRequirement): { path: string[]; message: string }[] {
    const spec = instanceTypeSpec(hosts[need.key]);
    if (!spec || (spec.vcpus >= need.vcpus && spec.memoryMiB >= need.memoryMiB)) return [];
    return [
        {
            path: ["hosts", need.key],
            message: `too small (${spec.vcpus} vCPUs, ${spec.memoryMiB} MiB): ${need.what}; allowed: ${typesWithAtLeast(need.vcpus, need.memoryMiB).join(", ")}`,
        },
    ];
}
