import * as pulumi from "@pulumi/pulumi";

/** One customer-managed key per purpose; tiers receive them as `keys?: Partial<KeyArns>`. */
export const KEY_PURPOSES = ["storage", "secrets", "logs", "registry", "database", "cache", "streaming", "kubernetes", "audit"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** The keys every KMS stack builds; the others only with the tier that uses them. */
export const BASE_KEY_PURPOSES = ["storage", "secrets", "logs", "registry"] as const satisfies readonly KeyPurpose[];

/** Key ARN per purpose. Undefined (or absent) means the AWS-managed default for that service. */
export type KeyArns = Readonly<Record<KeyPurpose, pulumi.Input<string>>>;

export const KEY_DESCRIPTIONS: Readonly<Record<KeyPurpose, string>> = {
    storage: "S3 buckets (SSE-KMS with bucket keys) and the Glue security configuration",
    secrets: "Secrets Manager secrets",
    logs: "CloudWatch log groups (flow logs, ECS, Glue)",
    registry: "ECR repositories",
    database: "RDS storage, snapshots and Performance Insights",
    cache: "ElastiCache data at rest and snapshots",
    streaming: "MSK broker storage",
    kubernetes: "EKS Kubernetes secrets (envelope encryption) and node volumes",
    audit: "CloudTrail log files and the alarm topic (SNS)",
};
