/**
 * EC2 instance types the hosts may use: architecture, vCPUs and memory, as AWS publishes them
 * (https://aws.amazon.com/ec2/instance-types/). x86_64 types boot the x86_64 Amazon Linux 2023
 * AMI, arm64 (Graviton) types the arm64 one; every tool a host downloads is pinned per
 * architecture. Config validation and the cost tool read this table.
 */
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** What `uname -m` prints on each architecture (the bootstraps refuse to run on another). */
export const UNAME_MACHINE: Readonly<Record<Architecture, string>> = { x86_64: "x86_64", arm64: "aarch64" };

export interface InstanceTypeSpec {
    readonly architecture: Architecture;
    readonly vcpus: number;
    /** Nominal memory in MiB (the OS sees a little less; OS_RESERVE_MIB covers it). */
    readonly memoryMiB: number;
}

const GiB = 1024;

function family(prefix: string, architecture: Architecture, sizes: Readonly<Record<string, [number, number]>>): Record<string, InstanceTypeSpec> {
    return Object.fromEntries(
        Object.entries(sizes).map(([size, [vcpus, memoryGiB]]) => [`${prefix}.${size}`, { architecture, vcpus, memoryMiB: memoryGiB * GiB }]),
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
    ...family("t3", "x86_64", BURSTABLE),
    ...family("t3a", "x86_64", BURSTABLE),
    ...family("m5", "x86_64", GENERAL),
    ...family("m6i", "x86_64", GENERAL),
    ...family("m7i", "x86_64", GENERAL),
    ...family("c6i", "x86_64", COMPUTE),
    ...family("r6i", "x86_64", MEMORY),
    // Graviton: same sizes as their x86 counterparts (t4g as t3, m7g as m7i, c7g as c6i, r7g as r6i).
    ...family("t4g", "arm64", BURSTABLE),
    ...family("m7g", "arm64", GENERAL),
    ...family("c7g", "arm64", COMPUTE),
    ...family("r7g", "arm64", MEMORY),
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

/** The architecture of a known type; throws for an unknown one (config validation refuses those first). */
export function architectureOf(name: string): Architecture {
    const spec = instanceTypeSpec(name);
    if (!spec) throw new Error(`unknown instance type ${name} (config validation should have refused it)`);
    return spec.architecture;
}

/** Known type names of one architecture, in table order. */
export function typesOfArchitecture(architecture: Architecture): string[] {
    return Object.entries(INSTANCE_TYPES)
        .filter(([, spec]) => spec.architecture === architecture)
        .map(([name]) => name);
}

/** Known types with at least these resources (of the given architectures), cheapest-looking first (fewest vCPUs, then memory). */
export function typesWithAtLeast(vcpus: number, memoryMiB: number, architectures: readonly Architecture[] = ARCHITECTURES): string[] {
    return Object.entries(INSTANCE_TYPES)
        .filter(([, spec]) => architectures.includes(spec.architecture) && spec.vcpus >= vcpus && spec.memoryMiB >= memoryMiB)
        .sort(([a, x], [b, y]) => x.vcpus - y.vcpus || x.memoryMiB - y.memoryMiB || a.localeCompare(b))
        .map(([name]) => name);
}
