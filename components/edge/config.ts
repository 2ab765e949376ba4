import { z } from "zod";
import { FARGATE_SIZES } from "../containers/config";
import type { NetworkConfig } from "../network/config";
import { USER_VALUE, logRetentionDays } from "../shared/config-fields";

/**
 * The TLS 1.3 security policies an HTTPS listener may use: every ALB policy that offers TLS 1.3
 * and nothing older than TLS 1.2 (the TLS13-1-0 and TLS13-1-1 families still accept TLS 1.0/1.1
 * and are refused). ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 is what AWS recommends and what
 * the console now sets: TLS 1.3 and 1.2, GCM ciphers only, hybrid post-quantum key exchange
 * (ML-KEM) for clients that offer it. Names: "Security policies for your Application Load
 * Balancer" (docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
 * and the CDK's SslPolicy enum (aws-cdk-lib/aws-elasticloadbalancingv2/lib/shared/enums.ts).
 */
export const ALB_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;
export type AlbSslPolicy = (typeof ALB_SSL_POLICIES)[number];
export const DEFAULT_SSL_POLICY: AlbSslPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/**
 * AWS WAF rate-based rules: at least 10 and at most 2,000,000,000 requests per evaluation window
 * (AWS lowered the minimum from 100 to 10 in August 2024: "AWS WAF enhances rate-based rules to
 * support lower rate limits"; the console says "Rate limit must be between 10 and 2,000,000,000").
 */
export const WAF_RATE_LIMIT_MIN = 10;
export const WAF_RATE_LIMIT_MAX = 2_000_000_000;

/**
 * AWS APIs the web service's tasks reach from the private subnets: ECR and CloudWatch Logs always (image
 * pull and logs), Glue when it lists the catalog. S3 goes through the network's gateway endpoint.
 */
export const WEB_SERVICE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs"] as const;
export const CATALOG_ENDPOINTS = ["glue"] as const;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** What is wrong with a domain for a public ACM certificate and a Route53 alias (empty when fine). */
export function domainProblems(domain: string): string[] {
    if (domain.endsWith(".")) return ["write the name without the trailing dot"];
    if (domain.includes("*")) return ["a wildcard is not a site: name the host the alias record points at"];
    if (domain !== domain.toLowerCase()) return ["use lowercase letters (DNS is case-insensitive; ACM and Route53 store lowercase)"];
    const problems: string[] = [];
    if (domain.length > 253) problems.push(`is ${domain.length} characters long; a DNS name has at most 253`);
    const labels = domain.split(".");
    if (labels.length < 2) problems.push("needs at least two labels (a host inside your hosted zone, e.g. data-platform.example.com)");
    const bad = labels.filter((label) => !LABEL.test(label));
    if (bad.length > 0)
        problems.push(`label(s) ${bad.map((label) => JSON.stringify(label)).join(", ")}: 1–63 of a-z, 0-9 and -, not starting or ending with -`);
    return problems;
}

const domain = z.string().superRefine((value, ctx) => {
    for (const message of domainProblems(value)) ctx.addIssue({ code: "custom", message: `not a usable domain name: ${message}` });
});

/** Route53 hosted zone ids: Z followed by upper-case letters and digits (e.g. Z0EXAMPLE12345). */
const hostedZoneId = z
    .string()
    .regex(
        /^Z[A-Z0-9]{4,31}$/,
        "not a Route53 hosted zone id: expected Z followed by upper-case letters and digits (e.g. Z0EXAMPLE12345), without /hostedzone/",
    );

const count = (what: string) => z.number().int().min(1, `${what} must be at least 1`);

/** Where the web tasks run: Fargate (on demand), or the cluster's EC2 capacity (`containers.ec2Capacity`). */
export const WEB_CAPACITIES = ["fargate", "ec2"] as const;

/**
 * What serves the site behind the ALB: the edge's own ECS service, or pods on the stack's EKS cluster
 * (`kubernetes: eks`), which the AWS Load Balancer Controller registers in the edge's `ip` target group
 * through a TargetGroupBinding (the Edge component's `targetGroupBinding` output).
 */
export const WEB_RUNTIMES = ["ecs", "eks"] as const;
export type WebRuntime = (typeof WEB_RUNTIMES)[number];

/**
 * The defaults of the keys that configure the ECS service only. With `runtime: eks` the pods' Deployment
 * sets replicas and resources, so these keys would do nothing: the section refuses any other value.
 */
export const ECS_SERVICE_DEFAULTS = {
    capacity: "fargate",
    cpu: 256,
    memory: 512,
    desiredCount: 2,
    minCount: 2,
    maxCount: 4,
    cpuTargetPercent: 60,
    requestsPerTarget: 1000,
} as const;
export type EcsServiceKey = keyof typeof ECS_SERVICE_DEFAULTS;
const ECS_SERVICE_KEYS = Object.keys(ECS_SERVICE_DEFAULTS) as EcsServiceKey[];

const ECS_ONLY = "; ECS only (refused with runtime: eks)";

const webServiceSchema = z
    .strictObject({
        runtime: z
            .enum(WEB_RUNTIMES, { error: `must be one of ${WEB_RUNTIMES.join(", ")}` })
            .default("ecs")
            .describe(
                "what serves the site behind the ALB: ecs (the edge's own ECS service, configured by the keys below) or eks (pods on the stack's EKS cluster, kubernetes: eks, registered in the ALB's ip target group by the AWS Load Balancer Controller through a TargetGroupBinding; the other service keys then keep their defaults); default ecs",
            ),
        capacity: z
            .enum(WEB_CAPACITIES)
            .default(ECS_SERVICE_DEFAULTS.capacity)
            .describe(
                `where the web tasks run: fargate (on demand) or ec2 (the cluster's EC2 capacity provider; needs containers.ec2Capacity); default fargate${ECS_ONLY}`,
            ),
        cpu: z
            .number()
            .int()
            .default(ECS_SERVICE_DEFAULTS.cpu)
            .describe(`web task CPU units (1024 = 1 vCPU; a Fargate size with memory); default 256${ECS_ONLY}`),
        memory: z
            .number()
            .int()
            .default(ECS_SERVICE_DEFAULTS.memory)
            .describe(`web task memory in MiB (a Fargate size with cpu); default 512${ECS_ONLY}`),
        desiredCount: count("desiredCount")
            .default(ECS_SERVICE_DEFAULTS.desiredCount)
            .describe(`tasks the service starts with (autoscaling moves it between minCount and maxCount); default 2${ECS_ONLY}`),
        minCount: count("minCount")
            .default(ECS_SERVICE_DEFAULTS.minCount)
            .describe(`fewest tasks autoscaling keeps; default 2 (one per AZ)${ECS_ONLY}`),
        maxCount: count("maxCount")
            .max(100)
            .default(ECS_SERVICE_DEFAULTS.maxCount)
            .describe(`most tasks autoscaling starts (1–100); default 4${ECS_ONLY}`),
        cpuTargetPercent: z
            .number()
            .int()
            .min(10)
            .max(90)
            .default(ECS_SERVICE_DEFAULTS.cpuTargetPercent)
            .describe(
                `target average CPU utilization of the service, percent (10–90; target tracking on ECSServiceAverageCPUUtilization); default 60${ECS_ONLY}`,
            ),
        requestsPerTarget: z
            .number()
            .int()
            .min(1)
            .default(ECS_SERVICE_DEFAULTS.requestsPerTarget)
            .describe(`target requests per task per minute (target tracking on ALBRequestCountPerTarget); default 1000${ECS_ONLY}`),
    })
    .superRefine((service, ctx) => {
        if (service.runtime === "eks") {
            for (const key of ecsKeysSet(service)) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `edge.service.${key} configures the ECS web service, and edge.service.runtime is eks (the pods' Deployment on EKS sets replicas and resources): remove edge.service.${key}, or set edge.service.runtime: ecs`,
                });
            }
            return;
        }
        const allowed = FARGATE_SIZES[service.cpu];
        if (!allowed) {
            ctx.addIssue({ code: "custom", path: ["cpu"], message: `Fargate CPU must be one of ${Object.keys(FARGATE_SIZES).join(", ")}` });
        } else if (!allowed.includes(service.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                message: `Fargate allows ${allowed.join(", ")} MiB with ${service.cpu} CPU units`,
            });
        }
        if (service.minCount > service.maxCount) {
            ctx.addIssue({ code: "custom", path: ["minCount"], message: `must not exceed maxCount (${service.maxCount})` });
        }
        if (service.desiredCount < service.minCount || service.desiredCount > service.maxCount) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredCount"],
                message: `must be between minCount (${service.minCount}) and maxCount (${service.maxCount})`,
            });
        }
    });

/** The ECS-only service keys whose value is not their default (a key set to its default changes nothing). */
export function ecsKeysSet(service: Readonly<Record<EcsServiceKey, unknown>>): EcsServiceKey[] {
    return ECS_SERVICE_KEYS.filter((key) => service[key] !== ECS_SERVICE_DEFAULTS[key]);
}

/** `data-platform:edge`: the HTTPS entry point (ALB, ACM, Route53, WAF) and the web service behind it. */
export const edgeSchema = z
    .strictObject({
        enabled: z.boolean().default(false).describe("build the edge tier: ALB, certificate, DNS record, web service (and WAF); default false"),
        domain: domain
            .optional()
            .describe(
                "FQDN the site answers on (certificate and alias record), inside the hosted zone edge.hostedZoneId, e.g. data-platform.example.com; required with edge.enabled",
            )
            .meta(USER_VALUE),
        hostedZoneId: hostedZoneId
            .optional()
            .describe("id of the public Route53 hosted zone you own that contains edge.domain (e.g. Z0EXAMPLE12345); required with edge.enabled")
            .meta(USER_VALUE),
        waf: z
            .boolean()
            .default(false)
            .describe(
                "WAFv2 web ACL on the ALB (AWS common, known-bad-inputs and SQL-injection rule groups, a rate limit) with logging; default false (prod: true)",
            ),
        wafRateLimit: z
            .number()
            .int()
            .min(WAF_RATE_LIMIT_MIN, `AWS WAF's lowest rate limit is ${WAF_RATE_LIMIT_MIN} requests per 5 minutes`)
            .max(WAF_RATE_LIMIT_MAX, `AWS WAF's highest rate limit is ${WAF_RATE_LIMIT_MAX} requests per 5 minutes`)
            .default(2000)
            .describe(`requests per 5 minutes one IP may send before the WAF blocks it (${WAF_RATE_LIMIT_MIN}–${WAF_RATE_LIMIT_MAX}); default 2000`),
        sslPolicy: z
            .enum(ALB_SSL_POLICIES, { error: `not a TLS 1.3 ALB security policy; allowed: ${ALB_SSL_POLICIES.join(", ")}` })
            .default(DEFAULT_SSL_POLICY)
            .describe(`security policy of the HTTPS listener (a TLS 1.3 policy); default ${DEFAULT_SSL_POLICY}`),
        logRetentionDays: logRetentionDays.default(30).describe("retention of the web service's and the WAF's log groups; default 30"),
        service: webServiceSchema.prefault({}),
    })
    .superRefine((edge, ctx) => {
        if (!edge.enabled) return;
        if (edge.domain === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["domain"],
                message:
                    "required when edge.enabled is true: the name the HTTPS certificate and the alias record are for (e.g. data-platform.example.com), inside the hosted zone edge.hostedZoneId",
            });
        }
        if (edge.hostedZoneId === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["hostedZoneId"],
                message:
                    "required when edge.enabled is true: the id of your public Route53 hosted zone that contains edge.domain (e.g. Z0EXAMPLE12345); ACM validates the certificate through it",
            });
        }
    });

export type EdgeConfig = z.infer<typeof edgeSchema>;
export type WebServiceConfig = EdgeConfig["service"];

type Problem = { path: (string | number)[]; message: string };

/**
 * What the edge needs from the network: an internet-facing ALB spans at least two AZs, and the ECS web
 * service runs in the private subnets, where it reaches ECR, CloudWatch Logs (and Glue, when it lists
 * the catalog: `catalog`, default true) through NAT or interface endpoints. `interfaceEndpointServices`
 * is what `network.interfaceEndpoints` builds (components/network/network.ts INTERFACE_ENDPOINT_SERVICES).
 * With `service.runtime: eks` the pods run on the EKS nodes, whose image pulls eksProblems checks; they
 * still call Glue when they list the catalog (and log to stdout, not to CloudWatch Logs).
 */
export function edgeProblems(
    network: Pick<NetworkConfig, "availabilityZones" | "natGateways" | "interfaceEndpoints">,
    edge: Pick<EdgeConfig, "enabled"> & { readonly service?: Pick<WebServiceConfig, "runtime"> },
    interfaceEndpointServices: readonly string[],
    catalog = true,
): Problem[] {
    if (!edge.enabled) return [];
    const onEcs = (edge.service?.runtime ?? "ecs") === "ecs";
    const needed: string[] = [...(onEcs ? WEB_SERVICE_ENDPOINTS : []), ...(catalog ? CATALOG_ENDPOINTS : [])];
    const problems: Problem[] = [];
    const azs = network.availabilityZones;
    if (azs.length < 2) {
        problems.push({
            path: ["edge", "enabled"],
            message: `an internet-facing ALB needs public subnets in at least two availability zones, and network.availabilityZones lists ${azs.length} (${azs.join(", ")}): add an AZ with its subnets, or set edge.enabled: false`,
        });
    }
    if (needed.length > 0 && network.natGateways === "none") {
        const missing = network.interfaceEndpoints ? needed.filter((service) => !interfaceEndpointServices.includes(service)) : [];
        if (!network.interfaceEndpoints || missing.length > 0) {
            problems.push({
                path: ["edge", "enabled"],
                message: `the web service runs in private subnets and calls ${needed.join(", ")}: set network.natGateways to single|perAz${
                    network.interfaceEndpoints
                        ? ` (network.interfaceEndpoints builds no ${missing.join(", ")} endpoint)`
                        : `, or network.interfaceEndpoints: true with endpoints for ${needed.join(", ")}`
                }`,
            });
        }
    }
    return problems;
}

/**
 * `edge.service.runtime: eks` puts the site on the stack's EKS cluster: it needs `kubernetes: eks`.
 * `kubernetesMode` is the stack's `kubernetes` value (components/kubernetes/config.ts KUBERNETES_MODES).
 */
export function edgeRuntimeProblems(
    edge: Pick<EdgeConfig, "enabled"> & { readonly service: Pick<WebServiceConfig, "runtime"> },
    kubernetesMode: string,
): Problem[] {
    if (!edge.enabled || edge.service.runtime !== "eks" || kubernetesMode === "eks") return [];
    return [
        {
            path: ["edge", "service", "runtime"],
            message: `is eks, and kubernetes is ${kubernetesMode}: the site's pods run on the stack's EKS cluster, so set kubernetes: eks (with the eks section), or edge.service.runtime: ecs`,
        },
    ];
}
