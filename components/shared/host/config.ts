import { z } from "zod";
import { ARCHITECTURES, Architecture, instanceTypeSpec, typesOfArchitecture, typesWithAtLeast } from "../instance-types";
import { hostScheduleSchema } from "./schedule";

const knownTypes = ARCHITECTURES.map((architecture) => `${architecture}: ${typesOfArchitecture(architecture).join(", ")}`).join("; ");

const instanceType = z.string().refine((name) => instanceTypeSpec(name) !== undefined, {
    message: `unknown instance type; known types by architecture (x86_64 boots the x86_64 Amazon Linux 2023 AMI, arm64 the arm64 one) — ${knownTypes}`,
});

/** `data-platform:hosts`: the EC2 hosts of the kubernetes (minikube) and monitoring tiers. */
export const hostsSchema = z.strictObject({
    kubernetesInstanceType: instanceType
        .default("t3a.medium")
        .describe(
            "instance type of the minikube host; needs >= 2 vCPUs and 2 GiB for minikube plus the OS reserve, and an architecture every pinned tool has a checksum for (x86_64 today)",
        ),
    monitoringInstanceType: instanceType
        .default("t4g.large")
        .describe(
            "instance type of the monitoring host (x86_64 or arm64/Graviton); memory must fit the catalog's container limits plus the OS reserve",
        ),
    rootVolumeGiB: z.number().int().min(20).max(1024).default(30).describe("root volume size of each host (GiB)"),
    detailedMonitoring: z.boolean().default(false).describe("EC2 detailed monitoring on the hosts"),
    publicAdminIngress: z
        .boolean()
        .default(false)
        .describe(
            "open the UIs (ArgoCD 30080, Grafana, Prometheus, Kibana, Jaeger) and SSH (with access.sshPublicKey) to access.adminCidrs; RISK: plain HTTP, and Prometheus, Kibana and Jaeger have no login. Default: no inbound at all, use `npm run tunnel`",
        ),
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
    /** Architectures the host's software and pinned downloads exist for. */
    readonly architectures: readonly Architecture[];
    /** Why an architecture outside `architectures` is refused. */
    readonly architectureReason?: (architecture: Architecture) => string;
}

/** Problems when the configured type is of an unsupported architecture or smaller than the requirement (unknown types are refused by the schema). */
export function hostSizeProblems(hosts: HostsConfig, need: HostRequirement): { path: string[]; message: string }[] {
    const spec = instanceTypeSpec(hosts[need.key]);
    if (!spec) return [];
    const allowed = () => typesWithAtLeast(need.vcpus, need.memoryMiB, need.architectures).join(", ");
    if (!need.architectures.includes(spec.architecture)) {
        const reason = need.architectureReason ? `: ${need.architectureReason(spec.architecture)}` : "";
        return [
            {
                path: ["hosts", need.key],
                message: `${spec.architecture} is not supported by this host${reason}; allowed (${need.architectures.join(", ")}): ${allowed()}`,
            },
        ];
    }
    if (spec.vcpus >= need.vcpus && spec.memoryMiB >= need.memoryMiB) return [];
    return [
        {
            path: ["hosts", need.key],
            message: `too small (${spec.vcpus} vCPUs, ${spec.memoryMiB} MiB): ${need.what}; allowed: ${allowed()}`,
        },
    ];
}
