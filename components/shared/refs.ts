import * as pulumi from "@pulumi/pulumi";

/**
 * The shapes tiers hand each other. One shape per kind of reference, so a tier never has to learn
 * another tier's field names: KMS keys arrive as `keys?: Partial<KeyArns>` (encryption/keys.ts),
 * buckets as a BucketRef, subnets and groups as ids.
 */

/** An S3 bucket another tier uses: its physical name (for URLs and APIs) and its ARN (for IAM). */
export interface BucketRef {
    readonly name: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
}
