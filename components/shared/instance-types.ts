/**
 * EC2 instance types the hosts may use: vCPUs and memory, as AWS publishes them
 * (https://aws.amazon.com/ec2/instance-types/). Only x86_64 types: the hosts boot the
 * x86_64 Amazon Linux 2023 AMI. Config validation and the cost tool read this table.
 */
export interface InstanceTypeSpec {
    readonly vcpus: number;
    /** Nominal memory in MiB (the OS sees a little less; OS_RESERVE_MIB covers it). */
    readonly memoryMiB: number;
}

const GiB = 1024;

function family(prefix: string, sizes: Readonly<Record<string, [number, number]>>): Record<string, InstanceTypeSpec> {
    return Object.fromEntries(
        Object.entries(sizes).map(([size, [vcpus, memoryGiB]]) => [`${prefix}.${size}`, { vcpus, memoryMiB: memoryGiB * GiB }]),
    );
}

const BURSTABLE: Readonly<Record<string, [number, number]>> = {
    micro: [2, 1],
    small: [2, 2],
    medium: [2, 4],
    large: [2, 8],
    xlarge: [4, 16],
    "2xlarge": [8, 32],
};
const GENERAL: Readonly<Record<string, [number, number]>> = { large: [2, 8], xlarge: [4, 16], "2xlarge": [8, 32] };
const COMPUTE: Readonly<Record<string, [number, number]>> = { large: [2, 4], xlarge: [4, 8], "2xlarge": [8, 16] };
const MEMORY: Readonly<Record<string, [number, number]>> = { large: [2, 16], xlarge: [4, 32], "2xlarge": [8, 64] };

export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeSpec>> = {
    ...family("t3", BURSTABLE),
    ...family("t3a", BURSTABLE),
    ...family("m5", GENERAL),
    ...family("m6i", GENERAL),
    ...family("m7i", GENERAL),
    ...family("c6i", COMPUTE),
    ...family("r6i", MEMORY),
};

/**
 * Memory kept free for the kernel, Docker/containerd, the SSM agent and page cache
 * on every host (kernel reservations alone take ~5% of a small instance).
 */
export const OS_RESERVE_MIB = 1536;

/** minikube's documented minimum: 2 CPUs and 2 GB of free memory (https://minikube.sigs.k8s.io/docs/start/). */
export const MINIKUBE_MIN_VCPUS = 2;
export const MINIKUBE_MIN_MEMORY_MIB = 2048;

export function instanceTypeSpec(name: string): InstanceTypeSpec | undefined {
    return Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
}

/** Known types with at least these resources, cheapest-looking first (fewest vCPUs, then memory). */
export function typesWithAtLeast(vcpus: number, memoryMiB: number): string[] {
    return Object.entries(INSTANCE_TYPES)
        .filter(([, spec]) => spec.vcpus >= vcpus && spec.memoryMiB >= memoryMiB)
        .sort(([a, x], [b, y]) => x.vcpus - y.vcpus || x.memoryMiB - y.memoryMiB || a.localeCompare(b))
        .map(([name]) => name);
}
