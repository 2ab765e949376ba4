import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    BUCKET_PURPOSES,
    BUCKET_SEGMENTS,
    BUCKET_SUFFIX_BYTES,
    BucketPurpose,
    LOGGED_BUCKETS,
    ZONE_PREFIXES,
    accessLogPrefix,
    bucketName,
    environmentBucketNameProblems,
} from "./layout";
import { DataLakeConfig } from "./config";
import { lifecycleRules } from "./lifecycle";
import type { KeyArns } from "../encryption/keys";
import { PolicyStatement, policyDocument } from "../shared/iam";
import { BucketRef } from "../shared/refs";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { recordOf } from "../shared/records";

export interface DataLakeArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:dataLake` section (lifecycle days). */
    readonly config: DataLakeConfig;
    /** Protect the buckets (and retain them on delete). */
    readonly protect: boolean;
    /** Customer-managed keys; the `storage` key encrypts the buckets (SSE-KMS), AES256 (SSE-S3) without it. */
    readonly keys?: Partial<KeyArns>;
    /**
     * More services that deliver logs into the access-log bucket (the load balancer, CloudTrail): each gives
     * its bucket-policy statements for the bucket. The tier that owns the service exports the builder.
     * Default none.
     */
    readonly logDeliveries?: readonly LogDelivery[];
    /**
     * Build the lake itself (the data lake and Glue buckets). False builds only the access-log bucket, for a
     * stack without a lake whose load balancer or trail logs into it. Default true.
     */
    readonly lake?: boolean;
}

/** The statements a log-delivering service needs in the access-log bucket's policy. */
export type LogDelivery = (logBucket: BucketRef) => PolicyStatement[];

/**
 * Data lake, Glue scripts, Glue outputs and access-log buckets with one shared
 * random suffix; every bucket versioned, encrypted, private, TLS-only, owner-
 * enforced and under lifecycle rules; the three working buckets log their access
 * into the log bucket; the data lake gets the seed's zone prefixes.
 */
export class DataLake extends TierComponent {
    /** The buckets built, in BUCKET_PURPOSES order (only accessLogs without `lake`). */
    readonly purposes: readonly BucketPurpose[];
    readonly buckets: Partial<Record<BucketPurpose, aws.s3.Bucket>>;
    /** Name and ARN of each bucket built, the shape other tiers take. */
    readonly bucketRefs: Readonly<Partial<Record<BucketPurpose, BucketRef>>>;
    private readonly baseName: string;
    readonly suffix: random.RandomId;

    constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("data-lake", "DataLake"), name, opts);
        const { naming, config, protect } = args;
        this.baseName = name;
        const lake = args.lake ?? true;
        this.purposes = BUCKET_PURPOSES.filter((purpose) => lake || purpose === "accessLogs");
        const logged = LOGGED_BUCKETS.filter((purpose) => this.purposes.includes(purpose));
        const problems = environmentBucketNameProblems(naming.environment);
        if (problems.length > 0)
            throw new Error(`environment "${naming.environment}" gives invalid S3 bucket names:\n  - ${problems.join("\n  - ")}`);

        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        this.suffix = new random.RandomId(`${name}-bucket-suffix`, { byteLength: BUCKET_SUFFIX_BYTES }, this.child({ protect }));

        const buckets = {} as Record<BucketPurpose, aws.s3.Bucket>;
        const encryption = {} as Record<BucketPurpose, aws.s3.BucketServerSideEncryptionConfiguration>;
        const controls = {} as Record<BucketPurpose, aws.s3.BucketOwnershipControls>;
        for (const purpose of this.purposes) {
            const bucket = new aws.s3.Bucket(
                `${name}-${BUCKET_SEGMENTS[purpose]}`,
                {
                    bucket: this.suffix.hex.apply((hex) => bucketName(naming.environment, purpose, hex)),
                    // Unprotected stacks are destroyed with their data (S3 refuses to delete a non-empty
                    // bucket otherwise); prod keeps protect + retainOnDelete and never empties a bucket.
                    forceDestroy: !protect,
                    tags: naming.tags("data-lake", BUCKET_SEGMENTS[purpose]),
                },
                this.child({ protect, retainOnDelete: protect }),
            );
            buckets[purpose] = bucket;
            const secured = this.secureBucket(name, purpose, bucket, args.keys?.storage, config);
            encryption[purpose] = secured.encryption;
            controls[purpose] = secured.ownership;
        }
        this.buckets = buckets;

        const logDeliveryPolicy = this.bucketPolicy(
            name,
            "accessLogs",
            buckets.accessLogs,
            [
                ...logDeliveryStatements(buckets, logged, account),
                ...(args.logDeliveries ?? []).flatMap((delivery) => delivery({ name: buckets.accessLogs.bucket, arn: buckets.accessLogs.arn })),
            ],
            controls.accessLogs,
        );
        for (const purpose of logged) {
            const policy = this.bucketPolicy(name, purpose, buckets[purpose], [], controls[purpose]);
            new aws.s3.BucketLogging(
                `${name}-${BUCKET_SEGMENTS[purpose]}-logging`,
                {
                    bucket: buckets[purpose].id,
                    targetBucket: buckets.accessLogs.id,
                    targetPrefix: accessLogPrefix(purpose),
                },
                // After the log bucket's delivery policy, and after this bucket's own policy: S3 answers
                // 409 OperationAborted to concurrent configuration writes on one bucket.
                this.child({ dependsOn: [logDeliveryPolicy, policy] }),
            );
        }

        for (const key of lake ? ZONE_PREFIXES : []) {
            const zone = `zone-${key.replace(/\/$/, "").replace(/\//g, "-")}`;
            // After the default encryption exists, so the markers are encrypted like the data.
            new aws.s3.BucketObjectv2(
                `${name}-${zone}`,
                {
                    bucket: buckets.dataLake.id,
                    key,
                    content: "",
                    tags: naming.tags("data-lake", zone),
                },
                this.child({ dependsOn: [encryption.dataLake] }),
            );
        }

        this.bucketRefs = recordOf(this.purposes, (purpose) => ({ name: buckets[purpose].bucket, arn: buckets[purpose].arn }));
        this.registerOutputs({ bucketRefs: this.bucketRefs });
    }

    /** The ref of a bucket this stack builds; throws when the lake is off and a tier asks for a lake bucket (a wiring error). */
    bucketRef(purpose: BucketPurpose): BucketRef {
        const ref = this.bucketRefs[purpose];
        if (ref === undefined) throw new Error(`${this.baseName}: no ${purpose} bucket is built in this stack (built: ${this.purposes.join(", ")})`);
        return ref;
    }

    /**
     * Versioning, default encryption, public-access block, owner-enforced ownership and lifecycle.
     * S3 answers 409 OperationAborted ("A conflicting conditional operation is currently in progress")
     * when the public-access block, the ownership controls and the bucket policy of one bucket are
     * written at the same time (hashicorp/terraform-provider-aws#7628; the policy is chained after the
     * public-access block as terraform-aws-modules/s3-bucket does), so those are chained: public-access
     * block, then ownership controls (returned), then the policy (bucketPolicy). The lifecycle waits for
     * versioning. Returns the encryption (the zone markers wait for it) and the ownership controls.
     */
    private secureBucket(
        name: string,
        purpose: BucketPurpose,
        bucket: aws.s3.Bucket,
        storageKeyArn: pulumi.Input<string> | undefined,
        config: DataLakeConfig,
    ): { encryption: aws.s3.BucketServerSideEncryptionConfiguration; ownership: aws.s3.BucketOwnershipControls } {
        const prefix = `${name}-${BUCKET_SEGMENTS[purpose]}`;
        const parent = this.child();
        const versioning = new aws.s3.BucketVersioning(
            `${prefix}-versioning`,
            {
                bucket: bucket.id,
                versioningConfiguration: { status: "Enabled" },
            },
            parent,
        );
        // S3 server-access-log target buckets support SSE-S3 only, so the log bucket never uses the key.
        const kmsKey = purpose === "accessLogs" ? undefined : storageKeyArn;
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${prefix}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    kmsKey === undefined
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKey }, bucketKeyEnabled: true },
                ],
            },
            parent,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${prefix}-public-access-block`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        const ownership = new aws.s3.BucketOwnershipControls(
            `${prefix}-ownership`,
            {
                bucket: bucket.id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            },
            this.child({ dependsOn: [publicAccessBlock] }),
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${prefix}-lifecycle`,
            {
                bucket: bucket.id,
                rules: lifecycleRules(purpose, config),
            },
            this.child({ dependsOn: [versioning] }),
        );
        return { encryption, ownership };
    }

    /**
     * TLS-only bucket policy, plus any extra statements (log delivery); written after the bucket's
     * ownership controls (and so after its public-access block).
     */
    private bucketPolicy(
        name: string,
        purpose: BucketPurpose,
        bucket: aws.s3.Bucket,
        extra: PolicyStatement[],
        after: aws.s3.BucketOwnershipControls,
    ): aws.s3.BucketPolicy {
        return new aws.s3.BucketPolicy(
            `${name}-${BUCKET_SEGMENTS[purpose]}-policy`,
            {
                bucket: bucket.id,
                policy: policyDocument([denyInsecureTransport(bucket), ...extra]),
            },
            this.child({ dependsOn: [after] }),
        );
    }
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
function logDeliveryStatements(
    buckets: Record<BucketPurpose, aws.s3.Bucket>,
    logged: readonly BucketPurpose[],
    account: pulumi.Output<string>,
): PolicyStatement[] {
    if (logged.length === 0) return [];
    return [
        {
            Sid: "S3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: logged.map((purpose) => pulumi.interpolate`${buckets.accessLogs.arn}/${accessLogPrefix(purpose)}*`),
            Condition: {
                ArnLike: { "aws:SourceArn": logged.map((purpose) => buckets[purpose].arn) },
                StringEquals: { "aws:SourceAccount": account },
            },
        },
    ];
}

/** Bucket-level and object-level S3 actions of a reader/writer. */
export const S3_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"] as const;
export const S3_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;

/** Read and write the objects of these buckets (statements `<sid>Buckets` and `<sid>Objects`). */
export function bucketReadWriteStatements(sid: string, buckets: readonly BucketRef[]): PolicyStatement[] {
    const arns = buckets.map((bucket) => bucket.arn);
    return [
        { Sid: `${sid}Buckets`, Effect: "Allow", Action: [...S3_BUCKET_ACTIONS], Resource: arns },
        { Sid: `${sid}Objects`, Effect: "Allow", Action: [...S3_OBJECT_ACTIONS], Resource: arns.map((arn) => pulumi.interpolate`${arn}/*`) },
    ];
}

/** List and read one bucket (statements `List<sid>` and `Read<sid>`). */
export function bucketReadStatements(sid: string, bucket: BucketRef): PolicyStatement[] {
    return [
        { Sid: `List${sid}`, Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket.arn },
        { Sid: `Read${sid}`, Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${bucket.arn}/*` },
    ];
}
