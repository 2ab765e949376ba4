import * as path from "path";
import { StackConfig, parseStackConfig, stackConfigSchema } from "../components/config";
import { ROOT_DIR } from "./run-program";
import { readStackFile } from "./stack-files";

/**
 * The README's config reference, generated from the zod schema itself with the
 * effective value of every key in every stack (`npm run docs` writes it; a test
 * fails when the README is out of date or a key has no description here).
 */

export const DESCRIPTIONS: Readonly<Record<string, string>> = {
    "aws:region": "AWS region (must be one the AZ table in components/regions.ts knows)",
    environment: "environment name, prefix of every physical name ([a-z0-9-], 1–20)",
    protect: "protect stateful resources (buckets, secrets, keys) from deletion: `protect` + `retainOnDelete`",
    "network.vpcCidr": "VPC CIDR (/16–/28)",
    "network.availabilityZones": "AZs in order; subnet lists align with it",
    "network.publicSubnetCidrs": "one public subnet per AZ",
    "network.privateSubnetCidrs": "one private subnet per AZ",
    "network.databaseSubnetCidrs": "none, or one isolated database subnet per AZ",
    "network.natGateways": "NAT gateways: none, one shared, or one per AZ",
    "network.interfaceEndpoints": "ECR, CloudWatch Logs and Secrets Manager interface endpoints in private subnets",
    "network.flowLogs.retentionDays": "flow-log group retention (a CloudWatch-allowed value)",
    "network.flowLogs.trafficType": "flow-log traffic type",
    "access.adminCidrs": "CIDRs allowed on admin ports; never world-open (0.0.0.0/0, ::/0, nor broader than IPv4 /8 or IPv6 /16)",
    "access.sshPublicKey": "OpenSSH public key; when set, SSH opens to admin CIDRs (else SSM only)",
    "encryption.kms": "customer-managed KMS keys per purpose (rotation on)",
    "dataLake.rawToInfrequentAccessDays": "days before raw/ moves to STANDARD_IA (S3 minimum 30)",
    "dataLake.rawToGlacierDays": "days before raw/ moves to GLACIER (at least 30 after STANDARD_IA)",
    "dataLake.noncurrentVersionExpirationDays": "days noncurrent object versions are kept",
    "dataLake.abortIncompleteMultipartUploadDays": "days before incomplete multipart uploads are aborted",
    "dataLake.accessLogExpirationDays": "days access logs are kept",
    "secrets.recoveryWindowDays": "days a deleted secret can be restored (7–30)",
    "etl.glueVersion": "Glue version of the Spark job",
    "etl.processingWorkerType": "worker type of the data-processing job",
    "etl.processingWorkers": "workers of the data-processing job (minimum 2)",
    "etl.processingTimeoutMinutes": "data-processing job timeout",
    "etl.qualityMaxCapacity": "DPUs of the data-quality Python shell job (0.0625 or 1)",
    "etl.qualityTimeoutMinutes": "data-quality job timeout",
    "registry.imageTagMutability": "ECR tag mutability",
    "registry.keepTaggedImages": "tagged images kept per repository",
    "registry.untaggedExpiryDays": "days before untagged images expire",
    "images.build": "build and push assets/images with awsx (needs Docker)",
    "images.tag": "image tag tasks run when images are not built here",
    "containers.containerInsights": "ECS Container Insights",
    "containers.placement": "task subnets: public (public IP) or private (needs NAT or interface endpoints)",
    "containers.logRetentionDays": "task log retention",
    "containers.dataProcessing": "data-processing task size {cpu, memory} (a Fargate combination)",
    "containers.sparkJob": "spark-job task size {cpu, memory} (a Fargate combination)",
    "containers.serviceDesiredCount": "desired count of the data-processing service",
    kubernetes: "Kubernetes host: none or minikube",
    monitoring: "build the monitoring host",
    "hosts.kubernetesInstanceType": "instance type of the minikube host",
    "hosts.monitoringInstanceType": "instance type of the monitoring host",
    "hosts.rootVolumeGiB": "root volume size of each host",
    "hosts.detailedMonitoring": "EC2 detailed monitoring on the hosts",
    "budget.monthlyUsd": "monthly budget for the plan's cost estimate",
    "budget.enforce": "fail the plan (exit 2) when the estimate is over budget",
};

interface ZodLike {
    def: {
        type: string;
        innerType?: ZodLike;
        in?: ZodLike;
        element?: ZodLike;
        entries?: Record<string, string>;
        shape?: Record<string, ZodLike>;
        defaultValue?: unknown;
    };
    shape?: Record<string, ZodLike>;
}

export interface ConfigKey {
    readonly path: string;
    readonly type: string;
    readonly defaultValue?: unknown;
    readonly required: boolean;
}

function describeType(schema: ZodLike): string {
    const { def } = schema;
    switch (def.type) {
        case "enum": return Object.values(def.entries ?? {}).map((v) => `\`${v}\``).join(" \\| ");
        case "array": return `list of ${describeType(def.element!)}`;
        case "object": return "object";
        case "default": case "prefault": case "optional": return describeType(def.innerType!);
        case "pipe": return describeType(def.in!);
        default: return def.type;
    }
}

/** Every leaf key of the schema (objects with their own refinements, like task sizes, count as leaves). */
export function configKeys(): ConfigKey[] {
    const keys: ConfigKey[] = [];
    const walk = (schema: ZodLike, prefix: string, defaultValue: unknown, required: boolean) => {
        let current = schema;
        let fallback = defaultValue;
        let isRequired = required;
        for (;;) {
            const { def } = current;
            if (def.type === "default" || def.type === "prefault") {
                if (fallback === undefined) fallback = def.defaultValue;
                isRequired = false;
                current = def.innerType!;
            } else if (def.type === "optional") {
                isRequired = false;
                current = def.innerType!;
            } else break;
        }
        const shape = current.def.type === "object" ? current.def.shape ?? current.shape : undefined;
        const isSection = shape && !Object.keys(DESCRIPTIONS).includes(prefix);
        if (isSection && shape) {
            for (const [key, child] of Object.entries(shape)) walk(child, prefix ? `${prefix}.${key}` : key, undefined, isRequired);
            return;
        }
        keys.push({ path: prefix, type: describeType(current), defaultValue: fallback, required: isRequired });
    };
    walk(stackConfigSchema as unknown as ZodLike, "", undefined, true);
    return keys.map((key) => (key.path === "region" ? { ...key, path: "aws:region" } : key));
}

function valueAt(config: StackConfig, keyPath: string): unknown {
    const parts = keyPath === "aws:region" ? ["region"] : keyPath.split(".");
    return parts.reduce<unknown>((value, part) => (value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined), config);
}

function cell(value: unknown): string {
    if (value === undefined) return "—";
    const text = typeof value === "string" ? value : JSON.stringify(value).replace(/"/g, "").replace(/,/g, ", ");
    return `\`${text.replace(/\|/g, "\\|")}\``;
}

export function renderConfigReference(stacks: readonly string[] = ["dev", "staging", "prod"]): string {
    const configs = stacks.map((stack) => parseStackConfig(readStackFile(stack).config));
    const header = `| key | type | default | ${stacks.join(" | ")} | description |`;
    const divider = `| --- | --- | --- | ${stacks.map(() => "---").join(" | ")} | --- |`;
    const rows = configKeys().map((key) => {
        const name = key.path === "aws:region" ? "`aws:region`" : `\`${key.path}\``;
        const fallback = key.required ? "required" : cell(key.defaultValue);
        const values = configs.map((config) => cell(valueAt(config, key.path)));
        return `| ${name} | ${key.type} | ${fallback} | ${values.join(" | ")} | ${DESCRIPTIONS[key.path] ?? ""} |`;
    });
    return [header, divider, ...rows].join("\n");
}

export const README_PATH = path.join(ROOT_DIR, "README.md");
