import * as pulumi from "@pulumi/pulumi";

/** One customer-managed key per purpose; tiers receive them as `keys?: Partial<KeyArns>`. */
export const KEY_PURPOSES = ["storage", "secrets", "logs", "registry"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Key ARN per purpose. Undefined (or absent) means the AWS-managed default for that service. */
export type KeyArns = Readonly<Record<KeyPurpose, pulumi.Input<string>>>;

export const KEY_DESCRIPTIONS: Readonly<Record<KeyPurpose, string>> = {
    storage: "S3 buckets (SSE-KMS with bucket keys) and the Glue security configuration",
    secrets: "Secrets Manager secrets",
    logs: "CloudWatch log groups (flow logs, ECS, Glue)",
    registry: "ECR repositories",
};
