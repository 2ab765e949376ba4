import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import { PolicyStatement, policyDocument } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";

export const BUCKET_PURPOSES = ["dataLake", "glueScripts", "glueOutputs", "accessLogs"] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

/** The name segment of each bucket: `${env}-<segment>-<hex>`; also its access-log prefix. */
export const BUCKET_SEGMENTS: Readonly<Record<BucketPurpose, string>> = {
    dataLake: "data-lake",
    glueScripts: "glue-scripts",
    glueOutputs: "glue-outputs",
    accessLogs: "access-logs",
};

/** Buckets whose server access logs go to the access-log bucket (it cannot log into itself usefully). */
export const LOGGED_BUCKETS = ["dataLake", "glueScripts", "glueOutputs"] as const satisfies readonly BucketPurpose[];

/** Bytes of the shared random suffix: 8 hex characters, as the seed's random_id. */
export const BUCKET_SUFFIX_BYTES = 4;

/** The zone layout of the seed, as empty prefix objects in the data lake bucket. */
export const ZONE_PREFIXES = [
    "raw/logs/", "raw/events/", "raw/feeds/",
    "processed/daily/", "processed/hourly/", "processed/real-time/",
    "curated/analytics/", "curated/reporting/", "curated/ml/",
    "logs/",
] as const;

/** Raw data ages into cheaper storage classes under this prefix. */
export const RAW_PREFIX = "raw/";

/** Physical bucket name for a purpose and suffix. */
export function bucketName(environment: string, purpose: BucketPurpose, suffix: string): string {
    return `${environment}-${BUCKET_SEGMENTS[purpose]}-${suffix}`;
}

/** Server access-log prefix of a bucket inside the access-log bucket. */
export function accessLogPrefix(purpose: BucketPurpose): string {
    return `${BUCKET_SEGMENTS[purpose]}/`;
}

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * What is wrong with a general-purpose S3 bucket name (empty when valid):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * Dots are allowed by S3 but refused here: they break TLS for virtual-hosted-style URLs.
 */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) problems.push(`must be 3–63 characters long (is ${name.length})`);
    if (!/^[a-z0-9-]*$/.test(name)) problems.push("may contain only lowercase letters, digits and hyphens");
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push("must begin and end with a letter or digit");
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("must not be formatted as an IP address");
    for (const prefix of RESERVED_PREFIXES) if (name.startsWith(prefix)) problems.push(`must not start with the reserved prefix "${prefix}"`);
    for (const suffix of RESERVED_SUFFIXES) if (name.endsWith(suffix)) problems.push(`must not end with the reserved suffix "${suffix}"`);
    return problems;
}

/**
 * Problems of every bucket name an environment would produce (the suffix is
 * random, so a representative suffix of the same length and alphabet stands in).
 */
export function environmentBucketNameProblems(environment: string): string[] {
    const sample = "0".repeat(BUCKET_SUFFIX_BYTES * 2);
    return BUCKET_PURPOSES.flatMap((purpose) => {
        const shown = bucketName(environment, purpose, "<hex>");
        return bucketNameProblems(bucketName(environment, purpose, sample)).map((problem) => `bucket name ${shown} ${problem}`);
    });
}

export interface DataLakeArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:dataLake` section (lifecycle days). */
    readonly config: StackConfig["dataLake"];
    /** Protect the buckets (and retain them on delete). */
    readonly protect: boolean;
    /** Customer-managed key for SSE-KMS (storage key); AES256 (SSE-S3) when undefined. */
    readonly storageKeyArn?: pulumi.Input<string>;
}

/**
 * Data lake, Glue scripts, Glue outputs and access-log buckets with one shared
 * random suffix; every bucket versioned, encrypted, private, TLS-only, owner-
 * enforced and under lifecycle rules; the three working buckets log their access
 * into the log bucket; the data lake gets the seed's zone prefixes.
 */
export class DataLake extends pulumi.ComponentResource {
    readonly buckets: Record<BucketPurpose, aws.s3.Bucket>;
    readonly bucketNames: Record<BucketPurpose, pulumi.Output<string>>;
    readonly bucketArns: Record<BucketPurpose, pulumi.Output<string>>;
    readonly suffix: random.RandomId;

    constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("data-lake", "DataLake"), name, {}, opts);
        const { naming, config, protect } = args;
        const problems = environmentBucketNameProblems(naming.environment);
        if (problems.length > 0) throw new Error(`environment "${naming.environment}" gives invalid S3 bucket names:\n  - ${problems.join("\n  - ")}`);

        const parent = { parent: this };
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        this.suffix = new random.RandomId(`${name}-bucket-suffix`, { byteLength: BUCKET_SUFFIX_BYTES }, { parent: this, protect });

        const buckets = {} as Record<BucketPurpose, aws.s3.Bucket>;
        const encryption = {} as Record<BucketPurpose, aws.s3.BucketServerSideEncryptionConfiguration>;
        for (const purpose of BUCKET_PURPOSES) {
            const bucket = new aws.s3.Bucket(`${name}-${BUCKET_SEGMENTS[purpose]}`, {
                bucket: this.suffix.hex.apply((hex) => bucketName(naming.environment, purpose, hex)),
                forceDestroy: false,
                tags: naming.tags("data-lake", BUCKET_SEGMENTS[purpose]),
            }, { parent: this, protect, retainOnDelete: protect });
            buckets[purpose] = bucket;
            encryption[purpose] = this.secureBucket(name, purpose, bucket, args.storageKeyArn, config);
        }
        this.buckets = buckets;

        const logDeliveryPolicy = this.bucketPolicy(name, "accessLogs", buckets.accessLogs, logDeliveryStatements(buckets, account));
        for (const purpose of LOGGED_BUCKETS) {
            this.bucketPolicy(name, purpose, buckets[purpose], []);
            new aws.s3.BucketLogging(`${name}-${BUCKET_SEGMENTS[purpose]}-logging`, {
                bucket: buckets[purpose].id,
                targetBucket: buckets.accessLogs.id,
                targetPrefix: accessLogPrefix(purpose),
            }, { parent: this, dependsOn: [logDeliveryPolicy] });
        }

        for (const key of ZONE_PREFIXES) {
            const zone = `zone-${key.replace(/\/$/, "").replace(/\//g, "-")}`;
            // After the default encryption exists, so the markers are encrypted like the data.
            new aws.s3.BucketObjectv2(`${name}-${zone}`, {
                bucket: buckets.dataLake.id,
                key,
                content: "",
                tags: naming.tags("data-lake", zone),
            }, { parent: this, dependsOn: [encryption.dataLake] });
        }

        this.bucketNames = mapPurposes((purpose) => buckets[purpose].bucket);
        this.bucketArns = mapPurposes((purpose) => buckets[purpose].arn);
        this.registerOutputs({ bucketNames: this.bucketNames, bucketArns: this.bucketArns });
    }

    /** Versioning, default encryption, public-access block, owner-enforced ownership and lifecycle; returns the encryption. */
    private secureBucket(name: string, purpose: BucketPurpose, bucket: aws.s3.Bucket, storageKeyArn: pulumi.Input<string> | undefined, config: StackConfig["dataLake"]): aws.s3.BucketServerSideEncryptionConfiguration {
        const prefix = `${name}-${BUCKET_SEGMENTS[purpose]}`;
        const parent = { parent: this };
        const versioning = new aws.s3.BucketVersioning(`${prefix}-versioning`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, parent);
        // S3 server-access-log target buckets support SSE-S3 only, so the log bucket never uses the key.
        const kmsKey = purpose === "accessLogs" ? undefined : storageKeyArn;
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, {
            bucket: bucket.id,
            rules: [kmsKey === undefined
                ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKey }, bucketKeyEnabled: true }],
        }, parent);
        new aws.s3.BucketPublicAccessBlock(`${prefix}-public-access-block`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, parent);
        new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, parent);
        new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, {
            bucket: bucket.id,
            rules: lifecycleRules(purpose, config),
        }, { parent: this, dependsOn: [versioning] });
        return encryption;
    }

    /** TLS-only bucket policy, plus any extra statements (log delivery). */
    private bucketPolicy(name: string, purpose: BucketPurpose, bucket: aws.s3.Bucket, extra: PolicyStatement[]): aws.s3.BucketPolicy {
        return new aws.s3.BucketPolicy(`${name}-${BUCKET_SEGMENTS[purpose]}-policy`, {
            bucket: bucket.id,
            policy: policyDocument([denyInsecureTransport(bucket), ...extra]),
        }, { parent: this });
    }
}

function mapPurposes<T>(fn: (purpose: BucketPurpose) => T): Record<BucketPurpose, T> {
    return Object.fromEntries(BUCKET_PURPOSES.map((purpose) => [purpose, fn(purpose)])) as Record<BucketPurpose, T>;
}

/** Refuses every request made without TLS. A Deny on s3:* only narrows access. */
function denyInsecureTransport(bucket: aws.s3.Bucket): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * With ObjectOwnership BucketOwnerEnforced, ACLs are off, so S3 delivers server
 * access logs only when the target bucket's policy allows the logging service
 * principal — limited to our source buckets, our account and their prefixes.
 */
function logDeliveryStatements(buckets: Record<BucketPurpose, aws.s3.Bucket>, account: pulumi.Output<string>): PolicyStatement[] {
    return [{
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: LOGGED_BUCKETS.map((purpose) => pulumi.interpolate`${buckets.accessLogs.arn}/${accessLogPrefix(purpose)}*`),
        Condition: {
            ArnLike: { "aws:SourceArn": LOGGED_BUCKETS.map((purpose) => buckets[purpose].arn) },
            StringEquals: { "aws:SourceAccount": account },
        },
    }];
}

/**
 * Every bucket: noncurrent versions expire and incomplete multipart uploads are
 * aborted. The data lake also ages raw/ into STANDARD_IA then GLACIER; the log
 * bucket expires its logs.
 */
export function lifecycleRules(purpose: BucketPurpose, config: StackConfig["dataLake"]): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: config.noncurrentVersionExpirationDays },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: config.abortIncompleteMultipartUploadDays },
        },
    ];
    if (purpose === "dataLake") {
        rules.push({
            id: "raw-to-infrequent-access-and-glacier",
            status: "Enabled",
            filter: { prefix: RAW_PREFIX },
            transitions: [
                { days: config.rawToInfrequentAccessDays, storageClass: "STANDARD_IA" },
                { days: config.rawToGlacierDays, storageClass: "GLACIER" },
            ],
        });
    }
    if (purpose === "accessLogs") {
        rules.push({
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: config.accessLogExpirationDays },
        });
    }
    return rules;
}
