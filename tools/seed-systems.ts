/**
 * The seed systems reproduced as stacks of their own (README "The seed systems"): which seed document each
 * stack comes from, where it deliberately differs from the seed and why, and the seed's own monthly figure
 * where it gives one. What each stack builds and what it costs come from its plan (tools/docs.ts).
 */

export interface SeedSystem {
    /** The seed document in ../shared/seeds/. */
    readonly seed: string;
    /** The stack (`Pulumi.<stack>.yaml`). */
    readonly stack: string;
    /** Where the stack deliberately differs from the seed, and why. */
    readonly differences: readonly string[];
    /** The seed's own monthly cost figure, verbatim, where it gives one. */
    readonly seedEstimate?: string;
}

export const SEED_SYSTEMS: readonly SeedSystem[] = [
    {
        seed: "ecommerce-analytics-infra.md",
        stack: "ecommerce",
        seedEstimate: "~$100–150 (dev)",
        differences: [
            "two AZs, not the seed's single-AZ dev: EKS, an RDS subnet group and MSK each need subnets in at least two",
            "the ALB serves HTTPS only (ACM, DNS-validated), so it needs a domain and hosted zone; the pods join its target group through a TargetGroupBinding",
            "Graviton db.t4g / cache.t4g classes instead of the previous-generation t3 ones",
            "MSK takes TLS with IAM authentication only; topics are declared in config and created by the provider",
            "the lake's lifecycle moves raw/ to Standard-IA and Glacier IR instead of Intelligent-Tiering: the access pattern is known, and Intelligent-Tiering charges a monitoring fee per object",
            "the EKS API is public only to the admin CIDRs, with access entries and no creator admin",
        ],
    },
    {
        seed: "external-metrics-infra.md",
        stack: "metrics",
        differences: [
            "a Kubernetes version in standard support with add-ons pinned to it, not the seed's 1.27 (long out of support)",
            "no `allowed_cidr_blocks = 10.0.0.0/8`: only the ALB takes traffic from the internet, and the data stores only from the nodes' group",
            "the database has isolated subnets of its own, not the nodes' private subnets",
            "Graviton db.t4g and cache.t4g classes instead of the seed's previous-generation db.t3 and cache.t3",
            "Redis clustering is a primary and a replica with automatic failover across AZs (the seed's two cache nodes), AUTH over TLS only",
            "WAF and interface endpoints are on: the seed lists them as production hardening",
            "the pods join the ALB's target group through a TargetGroupBinding",
        ],
    },
    {
        seed: "ecs-ec2-infra.md",
        stack: "ecs-ec2",
        differences: [
            "RDS in isolated database subnets, not the private subnets the instances use",
            "the secrets carry the real RDS and Redis endpoints; RDS generates and keeps the master password itself, so no password is in the state",
            "the ALB serves HTTPS only (ACM, DNS-validated) in front of a real, health-checked web service (assets/images/web) with autoscaling",
            "container instances with IMDSv2 (hop limit 1), encrypted gp3 and managed termination protection; tasks in awsvpc mode",
            'environment "webapp": ECS refuses capacity provider names that start with "ecs"',
            "the ALB's access logs go to an S3 bucket of their own (the seed has none)",
        ],
    },
];
