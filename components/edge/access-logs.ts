import * as pulumi from "@pulumi/pulumi";
import { AccountContext, PolicyStatement } from "../shared/iam";
import { BucketRef } from "../shared/refs";

/**
 * ALB access logs: where they go in the log bucket and the bucket-policy statement that lets Elastic
 * Load Balancing write them. Pure (no resources): the data-lake tier adds the statement to the log
 * bucket's policy, the edge tier points the ALB at the prefix.
 */

/** Key prefix of the ALB's access logs in the access-log bucket: `alb/AWSLogs/<account>/elasticloadbalancing/<region>/...`. */
export const ALB_ACCESS_LOG_PREFIX = "alb";

/**
 * Regions available before August 2022: ELB delivers access logs as this regional account, which
 * the bucket policy names. Source: "Enable access logs for your Application Load Balancer", step 2
 * (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), as
 * terraform-provider-aws carries it (internal/service/elb/service_account_data_source.go).
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** Regions available as of August 2022 (and later ones) grant the log-delivery service principal instead. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Refuses prefixes ELB would refuse or that would make the policy's object ARN miss the logs. */
export function accessLogPrefixProblems(prefix: string): string[] {
    const problems: string[] = [];
    if (prefix.startsWith("/") || prefix.endsWith("/")) problems.push("must not start or end with /");
    if (/AWSLogs/i.test(prefix)) problems.push("must not contain AWSLogs (ELB adds it)");
    if (!/^[A-Za-z0-9!_.*'()/-]*$/.test(prefix)) problems.push("may contain only letters, digits and !_.*'()/-");
    return problems;
}

/** The objects ELB writes for this account: `<bucket>/<prefix>/AWSLogs/<account>/*`. */
export function albAccessLogObjects(bucket: BucketRef, prefix: string, ctx: AccountContext): pulumi.Output<string> {
    return pulumi.interpolate`${bucket.arn}/${prefix}/AWSLogs/${ctx.account}/*`;
}

/**
 * The bucket-policy statement ELB's log delivery needs to write this account's ALB access logs under
 * `prefix` in `bucket` (which must use SSE-S3: ALB access logs do not support SSE-KMS). Regions in
 * ELB_LOG_DELIVERY_ACCOUNTS name their regional ELB account; every other (newer) region names the
 * log-delivery service principal. Only s3:PutObject, only on this account's log objects.
 */
export function albLogDeliveryStatements(bucket: BucketRef, prefix: string, ctx: AccountContext): PolicyStatement[] {
    const problems = accessLogPrefixProblems(prefix);
    if (problems.length > 0) throw new Error(`ALB access-log prefix "${prefix}" ${problems.join("; ")}`);
    const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[ctx.region];
    const principal =
        elbAccount === undefined ? { Service: ELB_LOG_DELIVERY_SERVICE } : { AWS: pulumi.interpolate`arn:${ctx.partition}:iam::${elbAccount}:root` };
    return [
        {
            Sid: "AlbAccessLogDelivery",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:PutObject",
            Resource: albAccessLogObjects(bucket, prefix, ctx),
        },
    ];
}
