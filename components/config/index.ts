import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { REGION_AZS, SUPPORTED_REGIONS } from "../shared/regions";
import { environmentBucketNameProblems } from "../data-lake/data-lake";
import { INSTANCE_TYPES, MINIKUBE_MIN_MEMORY_MIB, MINIKUBE_MIN_VCPUS, OS_RESERVE_MIB, instanceTypeSpec, typesWithAtLeast } from "../shared/instance-types";
import { monitoringHostMinimumMemoryMiB } from "../monitoring/catalog";

/**
 * The stack config: one zod schema for every key a stack can set under the
 * `data-platform:` namespace (plus `aws:region`). It is parsed once, before any
 * resource is registered; an error names the key, the value and what is allowed.
 */

export const CONFIG_NAMESPACE = "data-platform";

// ---------------------------------------------------------------------------
// CIDR helpers
// ---------------------------------------------------------------------------

interface Ipv4Range {
    readonly cidr: string;
    readonly first: number;
    readonly last: number;
    readonly prefix: number;
}

/** Parses `a.b.c.d/n` into a numeric range; undefined when not a network-aligned IPv4 CIDR. */
function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) return undefined;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
        parsed = ipaddr.parseCIDR(cidr);
    } catch {
        return undefined;
    }
    const [address, prefix] = parsed;
    if (address.kind() !== "ipv4") return undefined;
    const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
    if (network.toString() !== address.toString()) return undefined;
    const first = network.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
    const size = 2 ** (32 - prefix);
    return { cidr, first, last: first + size - 1, prefix };
}

function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
    return inner.first >= outer.first && inner.last <= outer.last;
}

function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
    return a.first <= b.last && b.first <= a.last;
}

/**
 * True for CIDRs as good as the whole internet: broader than an IPv4 /8 or an IPv6
 * /16 (0.0.0.0/0, ::/0, or halves like 0.0.0.0/1). The policy pack draws the same line.
 */
function isWorldCidr(cidr: string): boolean {
    try {
        const [address, prefix] = ipaddr.parseCIDR(cidr);
        return prefix < (address.kind() === "ipv4" ? 8 : 16);
    } catch {
        return false;
    }
}

// ---------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------

const ipv4Cidr = z.string().refine((value) => parseIpv4Cidr(value) !== undefined, {
    message: "not a network-aligned IPv4 CIDR (expected a.b.c.d/n with host bits zero, e.g. 10.0.1.0/24)",
});

/** An IPv4 CIDR of the sizes AWS allows for VPCs and subnets (/16 to /28). */
const awsCidr = (what: string) => ipv4Cidr.refine((value) => {
    const prefix = parseIpv4Cidr(value)?.prefix ?? 0;
    return prefix >= 16 && prefix <= 28;
}, { message: `AWS ${what} must be between /16 and /28` });

const subnetCidr = awsCidr("subnets");

const adminCidr = z.string()
    .refine((value) => {
        try {
            ipaddr.parseCIDR(value);
            return true;
        } catch {
            return false;
        }
    }, { message: "not a valid IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24)" })
    .refine((value) => !isWorldCidr(value), {
        message: "admin ports are never open to the whole internet (nor to a range broader than an IPv4 /8 or IPv6 /16): use your office or VPN range (e.g. 203.0.113.0/24)",
    });

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const logRetention = z.number().int().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `CloudWatch Logs retention must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

const positiveDays = z.number().int().min(1);

/**
 * Fargate task sizes AWS accepts: CPU units → allowed memory in MiB.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: [1024, 2048, 3072, 4096],
    1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) values.push(value);
    return values;
}

const taskSize = z.strictObject({
    /** Task CPU units (1024 = 1 vCPU). */
    cpu: z.number().int(),
    /** Task memory in MiB. */
    memory: z.number().int(),
}).superRefine((size, ctx) => {
    const allowed = FARGATE_SIZES[size.cpu];
    if (!allowed) {
        ctx.addIssue({ code: "custom", path: ["cpu"], message: `Fargate CPU must be one of ${Object.keys(FARGATE_SIZES).join(", ")}` });
    } else if (!allowed.includes(size.memory)) {
        ctx.addIssue({ code: "custom", path: ["memory"], message: `Fargate allows ${allowed[0]}–${allowed[allowed.length - 1]} MiB (${allowed.join(", ")}) with ${size.cpu} CPU units` });
    }
});

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

export const NAT_MODES = ["none", "single", "perAz"] as const;
export type NatMode = (typeof NAT_MODES)[number];

const networkSchema = z.strictObject({
    /** VPC CIDR block. */
    vpcCidr: awsCidr("VPCs"),
    /** Availability zones, in order; subnet lists are aligned with this list. */
    availabilityZones: z.array(z.string()).min(1),
    /** One public subnet per AZ. */
    publicSubnetCidrs: z.array(subnetCidr),
    /** One private subnet per AZ. */
    privateSubnetCidrs: z.array(subnetCidr),
    /** Database subnets: none, or one per AZ. */
    databaseSubnetCidrs: z.array(subnetCidr).default([]),
    /** NAT gateways: none, one shared, or one per AZ. */
    natGateways: z.enum(NAT_MODES).default("none"),
    /** Interface endpoints for ECR, CloudWatch Logs and Secrets Manager (lets private tasks work without NAT). */
    interfaceEndpoints: z.boolean().default(false),
    flowLogs: z.strictObject({
        retentionDays: logRetention.default(30),
        trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
    }).prefault({}),
});

export type NetworkConfig = z.infer<typeof networkSchema>;

const accessSchema = z.strictObject({
    /** CIDRs allowed to reach admin ports (SSH, Kubernetes, monitoring UIs). Never world-open. */
    adminCidrs: z.array(adminCidr).default([]),
    /** Optional SSH public key; without it hosts are reached through SSM Session Manager only. */
    sshPublicKey: z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, "expected an OpenSSH public key line (ssh-ed25519 AAAA... comment)").optional(),
});

const encryptionSchema = z.strictObject({
    /** Create customer-managed KMS keys (rotation on) for buckets, secrets, logs and registries. */
    kms: z.boolean().default(false),
});

const dataLakeSchema = z.strictObject({
    rawToInfrequentAccessDays: positiveDays.min(30, "S3 requires at least 30 days before STANDARD_IA").default(30),
    rawToGlacierDays: positiveDays.default(90),
    noncurrentVersionExpirationDays: positiveDays.default(90),
    abortIncompleteMultipartUploadDays: positiveDays.default(7),
    accessLogExpirationDays: positiveDays.default(365),
}).superRefine((lake, ctx) => {
    // S3 refuses a lifecycle rule that moves objects on from STANDARD_IA before they spent 30 days there.
    if (lake.rawToGlacierDays < lake.rawToInfrequentAccessDays + 30) {
        ctx.addIssue({ code: "custom", path: ["rawToGlacierDays"], message: `must be at least 30 days after rawToInfrequentAccessDays (${lake.rawToInfrequentAccessDays}), i.e. >= ${lake.rawToInfrequentAccessDays + 30}` });
    }
});

const secretsSchema = z.strictObject({
    /** Days a deleted secret can be restored (AWS allows 7–30). */
    recoveryWindowDays: z.number().int().min(7).max(30).default(7),
});

/** Glue versions for the Spark job (https://docs.aws.amazon.com/glue/latest/dg/release-notes.html); 5.1 is current. */
export const GLUE_VERSIONS = ["4.0", "5.0", "5.1"] as const;
/** Spark worker types (1, 2, 4, 8 DPU per worker). */
export const GLUE_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X"] as const;
/** Python shell jobs run on 1/16 or 1 DPU, nothing else. */
export const PYTHON_SHELL_CAPACITIES = [0.0625, 1] as const;
/** Glue caps batch job timeouts at 7 days. */
const glueTimeout = z.number().int().min(1).max(10080, "Glue job timeouts are 1–10080 minutes (7 days)");

const etlSchema = z.strictObject({
    /** Glue version of the Spark processing job. */
    glueVersion: z.enum(GLUE_VERSIONS).default("5.1"),
    processingWorkerType: z.enum(GLUE_WORKER_TYPES).default("G.1X"),
    /** Spark jobs need at least 2 workers (one driver, one executor). */
    processingWorkers: z.number().int().min(2, "Glue Spark jobs need at least 2 workers").default(2),
    processingTimeoutMinutes: glueTimeout.default(60),
    /** DPU of the Python shell quality job. */
    qualityMaxCapacity: z.number().refine((dpu) => (PYTHON_SHELL_CAPACITIES as readonly number[]).includes(dpu), {
        message: `Python shell jobs run on ${PYTHON_SHELL_CAPACITIES.join(" or ")} DPU`,
    }).default(1),
    qualityTimeoutMinutes: glueTimeout.default(30),
});

export type EtlConfig = z.infer<typeof etlSchema>;

const registrySchema = z.strictObject({
    imageTagMutability: z.enum(["MUTABLE", "IMMUTABLE"]).default("MUTABLE"),
    /** Tagged images kept per repository by the lifecycle policy. */
    keepTaggedImages: z.number().int().min(1).default(10),
    untaggedExpiryDays: positiveDays.default(7),
});

const imagesSchema = z.strictObject({
    /** Build and push the images in assets/images with awsx (needs Docker). */
    build: z.boolean().default(false),
    /** Tag the tasks run when images are not built here (`<repositoryUrl>:<tag>`); ignored with build, which pins the pushed digest. */
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a Docker tag: 1–128 characters of A-Z a-z 0-9 _ . -, not starting with . or -").default("latest"),
});

export const TASK_PLACEMENTS = ["public", "private"] as const;

const containersSchema = z.strictObject({
    containerInsights: z.boolean().default(false),
    /** Where tasks run: public subnets with a public IP, or private subnets (needs NAT or interface endpoints). */
    placement: z.enum(TASK_PLACEMENTS).default("private"),
    logRetentionDays: logRetention.default(30),
    dataProcessing: taskSize.default({ cpu: 1024, memory: 2048 }),
    sparkJob: taskSize.default({ cpu: 2048, memory: 4096 }),
    serviceDesiredCount: z.number().int().min(0).default(0),
});

// "eks" joins this list when the EKS tier lands; until then asking for it is a config error, not a silent no-op.
export const KUBERNETES_MODES = ["none", "minikube"] as const;

const instanceType = z.string().refine((name) => instanceTypeSpec(name) !== undefined, {
    message: `unknown instance type; known x86_64 types (the hosts boot the x86_64 Amazon Linux 2023 AMI): ${Object.keys(INSTANCE_TYPES).join(", ")}`,
});

const hostsSchema = z.strictObject({
    /** minikube + ArgoCD host; needs >= 2 vCPUs and 2 GiB for minikube plus the OS reserve (t3.medium). */
    kubernetesInstanceType: instanceType.default("t3.medium"),
    /** Monitoring host; memory must fit the catalog's container limits plus the OS reserve (t3.large). */
    monitoringInstanceType: instanceType.default("t3.large"),
    rootVolumeGiB: z.number().int().min(20).max(1024).default(30),
    detailedMonitoring: z.boolean().default(false),
});

const budgetSchema = z.strictObject({
    /** Monthly budget in USD for the plan's cost estimate. */
    monthlyUsd: z.number().positive().optional(),
    /** When true, a plan over budget fails like a config error. */
    enforce: z.boolean().default(false),
});

// ---------------------------------------------------------------------------
// The whole stack config
// ---------------------------------------------------------------------------

export const stackConfigSchema = z.strictObject({
    /** `aws:region`. */
    region: z.string(),
    environment: z.string().regex(/^[a-z0-9-]{1,20}$/, "must be 1–20 characters of a-z, 0-9 and -"),
    /** Protect stateful resources (buckets, secrets, keys, databases) from deletion. */
    protect: z.boolean().default(false),
    network: networkSchema,
    access: accessSchema.prefault({}),
    encryption: encryptionSchema.prefault({}),
    dataLake: dataLakeSchema.prefault({}),
    secrets: secretsSchema.prefault({}),
    etl: etlSchema.prefault({}),
    registry: registrySchema.prefault({}),
    images: imagesSchema.prefault({}),
    containers: containersSchema.prefault({}),
    kubernetes: z.enum(KUBERNETES_MODES).default("none"),
    monitoring: z.boolean().default(false),
    hosts: hostsSchema.prefault({}),
    budget: budgetSchema.prefault({}),
}).superRefine(checkRegion).superRefine(checkNetwork).superRefine(checkTaskEgress).superRefine(checkImageTag).superRefine(checkBucketNames).superRefine(checkHostSizes);

export type StackConfig = z.infer<typeof stackConfigSchema>;

type Ctx = z.RefinementCtx;

function checkRegion(config: { region: string }, ctx: Ctx): void {
    if (!REGION_AZS[config.region]) {
        ctx.addIssue({ code: "custom", path: ["region"], message: `unsupported region; supported: ${SUPPORTED_REGIONS.join(", ")}` });
    }
}

function checkNetwork(config: { region: string; network: NetworkConfig }, ctx: Ctx): void {
    const { network } = config;
    const regionAzs = REGION_AZS[config.region] ?? [];
    const azs = network.availabilityZones;

    if (regionAzs.length > 0 && azs.length > regionAzs.length) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZones"], message: `${azs.length} AZs asked but ${config.region} offers ${regionAzs.length} (${regionAzs.join(", ")})` });
    }
    azs.forEach((az, index) => {
        if (regionAzs.length > 0 && !regionAzs.includes(az)) {
            ctx.addIssue({ code: "custom", path: ["network", "availabilityZones", index], message: `not an availability zone of ${config.region}; allowed: ${regionAzs.join(", ")}` });
        }
        if (azs.indexOf(az) !== index) {
            ctx.addIssue({ code: "custom", path: ["network", "availabilityZones", index], message: "listed twice: one subnet per AZ per tier" });
        }
    });

    const vpc = parseIpv4Cidr(network.vpcCidr);
    const tiers = [
        ["publicSubnetCidrs", network.publicSubnetCidrs, true],
        ["privateSubnetCidrs", network.privateSubnetCidrs, true],
        ["databaseSubnetCidrs", network.databaseSubnetCidrs, false],
    ] as const;
    const seen: { key: string; range: Ipv4Range }[] = [];
    for (const [key, cidrs, required] of tiers) {
        if ((required || cidrs.length > 0) && cidrs.length !== azs.length) {
            ctx.addIssue({ code: "custom", path: ["network", key], message: `needs exactly one subnet per AZ: ${azs.length} AZs (${azs.join(", ")}) but ${cidrs.length} subnets${required ? "" : " (or none at all)"}` });
        }
        cidrs.forEach((cidr, index) => {
            const subnet = parseIpv4Cidr(cidr);
            if (!subnet || !vpc) return;
            if (!rangeContains(vpc, subnet)) {
                ctx.addIssue({ code: "custom", path: ["network", key, index], message: `outside the VPC CIDR ${network.vpcCidr}` });
            }
            const clash = seen.find((other) => rangesOverlap(other.range, subnet));
            if (clash) {
                ctx.addIssue({ code: "custom", path: ["network", key, index], message: `overlaps ${clash.key} ${clash.range.cidr}` });
            }
            seen.push({ key: `${key}[${index}]`, range: subnet });
        });
    }
}

/** The environment is part of every bucket name: S3's naming rules apply to it (data-lake tier). */
type HostsConfig = z.infer<typeof hostsSchema>;

/** The hosts a stack runs must be big enough for their software (unknown types are refused by the schema). */
function checkHostSizes(config: { kubernetes: string; monitoring: boolean; hosts: HostsConfig }, ctx: Ctx): void {
    const requirements = [
        {
            enabled: config.kubernetes === "minikube",
            key: "kubernetesInstanceType" as const,
            vcpus: MINIKUBE_MIN_VCPUS,
            memoryMiB: MINIKUBE_MIN_MEMORY_MIB + OS_RESERVE_MIB,
            what: `minikube needs ${MINIKUBE_MIN_VCPUS} vCPUs and ${MINIKUBE_MIN_MEMORY_MIB} MiB, plus ${OS_RESERVE_MIB} MiB for the OS`,
        },
        {
            enabled: config.monitoring,
            key: "monitoringInstanceType" as const,
            vcpus: 2,
            memoryMiB: monitoringHostMinimumMemoryMiB(),
            what: `the monitoring containers' memory limits add up to ${monitoringHostMinimumMemoryMiB() - OS_RESERVE_MIB} MiB, plus ${OS_RESERVE_MIB} MiB for the OS`,
        },
    ];
    for (const need of requirements) {
        const spec = instanceTypeSpec(config.hosts[need.key]);
        if (!need.enabled || !spec || (spec.vcpus >= need.vcpus && spec.memoryMiB >= need.memoryMiB)) continue;
        ctx.addIssue({
            code: "custom",
            path: ["hosts", need.key],
            message: `too small (${spec.vcpus} vCPUs, ${spec.memoryMiB} MiB): ${need.what}; allowed: ${typesWithAtLeast(need.vcpus, need.memoryMiB).join(", ")}`,
        });
    }
}

function checkBucketNames(config: { environment: string }, ctx: Ctx): void {
    for (const problem of environmentBucketNameProblems(config.environment)) {
        ctx.addIssue({ code: "custom", path: ["environment"], message: problem });
    }
}

function checkImageTag(config: { registry: { imageTagMutability: string }; images: { build: boolean; tag: string } }, ctx: Ctx): void {
    const { registry, images } = config;
    if (registry.imageTagMutability === "IMMUTABLE" && !images.build && images.tag === "latest") {
        ctx.addIssue({
            code: "custom",
            path: ["images", "tag"],
            message: "an IMMUTABLE repository accepts a tag once, so `latest` could never move: set a release tag (e.g. v1.4.0), or registry.imageTagMutability: MUTABLE",
        });
    }
}

function checkTaskEgress(config: { network: NetworkConfig; containers: { placement: string } }, ctx: Ctx): void {
    const { network, containers } = config;
    if (containers.placement === "private" && network.natGateways === "none" && !network.interfaceEndpoints) {
        ctx.addIssue({
            code: "custom",
            path: ["containers", "placement"],
            message: "tasks in private subnets cannot pull images or write logs without egress: set network.natGateways to single|perAz, or network.interfaceEndpoints: true, or containers.placement: public",
        });
    }
}

// ---------------------------------------------------------------------------
// Loading and errors
// ---------------------------------------------------------------------------

export interface ConfigProblem {
    /** Fully qualified key, e.g. `data-platform:network.publicSubnetCidrs[1]`. */
    readonly key: string;
    /** The offending value as written in the stack file (JSON), or undefined when missing. */
    readonly value: unknown;
    /** What is allowed. */
    readonly message: string;
}

/**
 * Bad stack config. Extends `pulumi.RunError` so the CLI prints the message
 * without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly ConfigProblem[], source = "stack config") {
        super(`Invalid ${source}:\n${problems.map(formatProblem).join("\n")}`);
        this.name = "ConfigError";
    }
}

function formatProblem(problem: ConfigProblem): string {
    const value = problem.value === undefined ? "(missing)" : JSON.stringify(problem.value);
    return `  - ${problem.key} = ${value}: ${problem.message}`;
}

/** Maps a schema path to the key a user writes in Pulumi.<stack>.yaml. */
function qualifiedKey(path: readonly PropertyKey[]): string {
    if (path.length === 0) return CONFIG_NAMESPACE;
    const [head, ...rest] = path;
    const base = head === "region" ? "aws:region" : `${CONFIG_NAMESPACE}:${String(head)}`;
    return base + rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = input;
    for (const part of path) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[part];
    }
    return current;
}

/** The keys a strict object at `path` accepts, for "unknown key" messages. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
    let schema: unknown = stackConfigSchema;
    for (const part of [...path, undefined]) {
        // unwrap defaults, prefaults, optionals and refinement pipes
        for (let guard = 0; guard < 10; guard++) {
            const def = (schema as { def?: { innerType?: unknown; in?: unknown } }).def;
            if (def?.innerType) schema = def.innerType;
            else if (def?.in) schema = def.in;
            else break;
        }
        if (part === undefined) break;
        const shape = (schema as { shape?: Record<string, unknown> }).shape;
        if (!shape || typeof part !== "string") return [];
        schema = shape[part];
    }
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    return shape ? Object.keys(shape).map((key) => (path.length === 0 && key === "region" ? "aws:region" : key)) : [];
}

function problemsFromZod(error: z.ZodError, input: unknown): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(issue.path).join(", ");
            for (const key of issue.keys) {
                const path = [...issue.path, key];
                problems.push({ key: qualifiedKey(path), value: valueAt(input, path), message: `unknown key; allowed keys here: ${allowed}` });
            }
            continue;
        }
        problems.push({ key: qualifiedKey(issue.path), value: valueAt(input, issue.path), message: issue.message });
    }
    return problems;
}

/** Pulumi hands structured config to programs as JSON strings. */
function decodeConfigValue(raw: string): unknown {
    const trimmed = raw.trim();
    if (/^[[{]/.test(trimmed) || /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return raw;
        }
    }
    return raw;
}

/**
 * Validates raw config (`namespace:key` → string, as `pulumi.runtime.allConfig()`
 * returns it) and returns the typed config, or throws a ConfigError naming every
 * bad key. Keys of other namespaces (aws:, pulumi:) are left to their owners,
 * except `aws:region`, which the platform needs.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source?: string): StackConfig {
    const input: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        if (fullKey === "aws:region") input.region = value;
        const prefix = `${CONFIG_NAMESPACE}:`;
        if (fullKey.startsWith(prefix)) input[fullKey.slice(prefix.length)] = decodeConfigValue(value);
    }
    const result = stackConfigSchema.safeParse(input);
    if (!result.success) throw new ConfigError(problemsFromZod(result.error, input), source);
    return result.data;
}

/** Reads the running stack's config once. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), `config of stack "${pulumi.getStack()}"`);
}
