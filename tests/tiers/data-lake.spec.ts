import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDTRAIL_PREFIX, cloudTrailDeliveryStatements, trailName } from "../../components/audit/audit";
import { ALB_ACCESS_LOG_PREFIX, albLogDeliveryStatements } from "../../components/edge/edge";
import { ConfigError } from "../../components/config";
import { dataLakeSchema } from "../../components/data-lake/config";
import { DataLake, DataLakeArgs, LogDelivery } from "../../components/data-lake/data-lake";
import { BUCKET_PURPOSES, BUCKET_SEGMENTS, BucketPurpose, LOGGED_BUCKETS, bucketNameProblems } from "../../components/data-lake/layout";
import { UNREADABLE_STORAGE_CLASSES } from "../../components/data-lake/lifecycle";
import { Naming } from "../../components/shared/naming";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { configErrorFor, configWith, STACKS, fixtureConfig, inputsOf, jsonInput, named, ofType, runStack, runStackWith } from "../support/helpers";
import { PolicyDocument, decideService } from "../support/iam-simulation";
import { TYPE } from "../../policy-pack/policies/types";

const T = {
    bucket: TYPE.s3Bucket,
    randomId: TYPE.randomId,
    versioning: TYPE.s3BucketVersioning,
    encryption: TYPE.s3BucketServerSideEncryptionConfiguration,
    publicAccessBlock: TYPE.s3BucketPublicAccessBlock,
    ownership: TYPE.s3BucketOwnershipControls,
    policy: TYPE.s3BucketPolicy,
    logging: TYPE.s3BucketLogging,
    lifecycle: TYPE.s3BucketLifecycleConfiguration,
    object: TYPE.s3BucketObjectv2,
    kmsKey: TYPE.kmsKey,
} as const;

interface Lake {
    readonly run: ProgramRun;
    readonly suffix: string;
    readonly names: Record<BucketPurpose, string>;
    readonly buckets: Record<BucketPurpose, RecordedResource>;
}

function lakeOf(run: ProgramRun, environment: string): Lake {
    const suffix = String(named(run, T.randomId, "-data-lake-bucket-suffix").outputs.hex);
    const buckets = {} as Record<BucketPurpose, RecordedResource>;
    const names = {} as Record<BucketPurpose, string>;
    for (const purpose of BUCKET_PURPOSES) {
        names[purpose] = `${environment}-${BUCKET_SEGMENTS[purpose]}-${suffix}`;
        const matches = ofType(run, T.bucket).filter((bucket) => inputsOf(bucket).bucket === names[purpose]);
        assert.strictEqual(matches.length, 1, `one bucket named ${names[purpose]}`);
        buckets[purpose] = matches[0];
    }
    return { run, suffix, names, buckets };
}

/** The one sub-resource of a type configuring this bucket. */
function configOf(lake: Lake, type: string, purpose: BucketPurpose): Record<string, any> {
    const matches = ofType(lake.run, type).filter((resource) => inputsOf(resource).bucket === lake.names[purpose]);
    assert.strictEqual(matches.length, 1, `one ${type} for ${lake.names[purpose]}, found ${matches.length}`);
    return inputsOf(matches[0]);
}

function policyOf(lake: Lake, purpose: BucketPurpose): PolicyDocument {
    const matches = ofType(lake.run, T.policy).filter((resource) => inputsOf(resource).bucket === lake.names[purpose]);
    assert.strictEqual(matches.length, 1, `one bucket policy for ${lake.names[purpose]}`);
    return jsonInput(matches[0], "policy") as PolicyDocument;
}

const arnOf = (name: string) => `arn:aws:s3:::${name}`;

/** The Sids the access-log bucket's policy carries for the load balancer's and the trail's deliveries, by their owners' builders. */
function deliverySids(config: ReturnType<typeof fixtureConfig>): string[] {
    const bucket = { name: "b", arn: "arn:aws:s3:::b" };
    const ctx = { partition: "aws", account: MOCK_ACCOUNT_ID, region: config.region };
    const naming = new Naming(config.environment);
    return [
        ...(config.edge.enabled ? albLogDeliveryStatements(bucket, ALB_ACCESS_LOG_PREFIX, ctx) : []),
        ...(config.audit.cloudTrail ? cloudTrailDeliveryStatements(bucket, CLOUDTRAIL_PREFIX, trailName(naming), ctx) : []),
    ].map((statement) => String(statement.Sid));
}

describe("data-lake tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const {
                environment,
                protect,
                encryption: { kms },
            } = fixtureConfig(stack);
            let lake: Lake;
            before(async () => {
                lake = lakeOf(await runStack(stack), environment);
            });

            it("names the buckets ${env}-<purpose>-<hex> with one shared 8-hex random suffix", () => {
                assert.match(lake.suffix, /^[0-9a-f]{8}$/);
                assert.strictEqual(inputsOf(named(lake.run, T.randomId, "-data-lake-bucket-suffix")).byteLength, 4);
                assert.deepStrictEqual(lake.names, {
                    dataLake: `${environment}-data-lake-${lake.suffix}`,
                    glueScripts: `${environment}-glue-scripts-${lake.suffix}`,
                    glueOutputs: `${environment}-glue-outputs-${lake.suffix}`,
                    accessLogs: `${environment}-access-logs-${lake.suffix}`,
                });
                for (const purpose of BUCKET_PURPOSES) {
                    assert.deepStrictEqual(bucketNameProblems(lake.names[purpose]), [], lake.names[purpose]);
                    // Unprotected stacks are destroyed with their objects; prod never empties a bucket.
                    assert.strictEqual(inputsOf(lake.buckets[purpose]).forceDestroy, !protect);
                    assert.deepStrictEqual(inputsOf(lake.buckets[purpose]).tags, {
                        Name: `${environment}-${BUCKET_SEGMENTS[purpose]}`,
                        Environment: environment,
                        Project: "data-platform",
                        ManagedBy: "pulumi",
                        Tier: "data-lake",
                    });
                }
            });

            it("exports the bucket names as the stack output bucketNames", () => {
                assert.deepStrictEqual(lake.run.stackOutputs.bucketNames, lake.names);
            });

            it("versions every bucket", () => {
                for (const purpose of BUCKET_PURPOSES) {
                    assert.deepStrictEqual(configOf(lake, T.versioning, purpose).versioningConfiguration, { status: "Enabled" }, purpose);
                }
            });

            it(
                kms
                    ? "encrypts with SSE-KMS (storage key, bucket key) except the access-log bucket, which stays SSE-S3"
                    : "encrypts every bucket with SSE-S3 (AES256)",
                () => {
                    const storageKeyArn = kms ? String(named(lake.run, T.kmsKey, "-encryption-storage").outputs.arn) : undefined;
                    for (const purpose of BUCKET_PURPOSES) {
                        const expected =
                            kms && purpose !== "accessLogs"
                                ? [
                                      {
                                          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: storageKeyArn },
                                          bucketKeyEnabled: true,
                                      },
                                  ]
                                : [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
                        assert.deepStrictEqual(configOf(lake, T.encryption, purpose).rules, expected, purpose);
                    }
                },
            );

            it("blocks public access (all four flags) and enforces bucket-owner object ownership on every bucket", () => {
                for (const purpose of BUCKET_PURPOSES) {
                    const block = configOf(lake, T.publicAccessBlock, purpose);
                    assert.deepStrictEqual(
                        [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                        [true, true, true, true],
                        purpose,
                    );
                    assert.deepStrictEqual(configOf(lake, T.ownership, purpose).rule, { objectOwnership: "BucketOwnerEnforced" }, purpose);
                }
            });

            it("writes each bucket's public-access block, then its ownership controls, then its policy (S3 answers 409 to concurrent writes)", () => {
                for (const purpose of BUCKET_PURPOSES) {
                    const [block, ownership, policy] = [T.publicAccessBlock, T.ownership, T.policy].map((type) => {
                        const matches = ofType(lake.run, type).filter((resource) => inputsOf(resource).bucket === lake.names[purpose]);
                        assert.strictEqual(matches.length, 1, `${purpose} ${type}`);
                        return matches[0];
                    });
                    assert.ok(ownership.dependencies.includes(block.urn), `${purpose}: ownership controls after the public-access block`);
                    assert.ok(policy.dependencies.includes(ownership.urn), `${purpose}: policy after the ownership controls`);
                }
                for (const logging of ofType(lake.run, T.logging)) {
                    const own = ofType(lake.run, T.policy).find((policy) => inputsOf(policy).bucket === inputsOf(logging).bucket);
                    assert.ok(own && logging.dependencies.includes(own.urn), `${logging.name} waits for its bucket's policy`);
                }
            });

            it("never ages an object into a class the jobs cannot read (GLACIER, DEEP_ARCHIVE): raw/ stays readable", () => {
                for (const lifecycle of ofType(lake.run, T.lifecycle)) {
                    for (const rule of inputsOf(lifecycle).rules as { transitions?: { storageClass: string }[] }[]) {
                        for (const transition of rule.transitions ?? []) {
                            assert.ok(
                                !(UNREADABLE_STORAGE_CLASSES as readonly string[]).includes(transition.storageClass),
                                `${lifecycle.name}: ${transition.storageClass}`,
                            );
                        }
                    }
                }
            });

            it("whole-bucket lifecycle rules filter on the empty prefix, never an empty filter", () => {
                for (const lifecycle of ofType(lake.run, T.lifecycle)) {
                    for (const rule of inputsOf(lifecycle).rules as { id: string; filter: Record<string, unknown> }[]) {
                        assert.ok(Object.keys(rule.filter).length > 0, `${lifecycle.name} ${rule.id}: empty filter`);
                    }
                }
            });

            it("every bucket policy denies requests without TLS", () => {
                for (const purpose of BUCKET_PURPOSES) {
                    const arn = arnOf(lake.names[purpose]);
                    assert.deepStrictEqual(
                        policyOf(lake, purpose).Statement[0],
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, `${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        purpose,
                    );
                }
                for (const purpose of LOGGED_BUCKETS) assert.strictEqual(policyOf(lake, purpose).Statement.length, 1, purpose);
            });

            it("the log bucket policy lets the S3 logging service deliver only our buckets' logs, under their prefixes", async () => {
                const logs = arnOf(lake.names.accessLogs);
                assert.deepStrictEqual(policyOf(lake, "accessLogs").Statement[1], {
                    Sid: "S3ServerAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: [`${logs}/data-lake/*`, `${logs}/glue-scripts/*`, `${logs}/glue-outputs/*`],
                    Condition: {
                        ArnLike: { "aws:SourceArn": LOGGED_BUCKETS.map((purpose) => arnOf(lake.names[purpose])) },
                        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                    },
                });
                const policy = policyOf(lake, "accessLogs");
                const deliver = (key: string, source: string, account = MOCK_ACCOUNT_ID) =>
                    decideService(
                        "logging.s3.amazonaws.com",
                        {
                            action: "s3:PutObject",
                            resource: `${logs}/${key}`,
                            context: { "aws:SourceArn": source, "aws:SourceAccount": account },
                        },
                        policy,
                    );
                assert.strictEqual(await deliver("data-lake/2026-01-01-00-00-00-ABC", arnOf(lake.names.dataLake)), "Allowed");
                assert.strictEqual(await deliver("glue-outputs/2026-01-01-00-00-00-ABC", arnOf(lake.names.glueOutputs)), "Allowed");
                assert.notStrictEqual(await deliver("data-lake/x", arnOf("someone-elses-bucket")), "Allowed", "foreign source bucket");
                assert.notStrictEqual(await deliver("data-lake/x", arnOf(lake.names.dataLake), "999999999999"), "Allowed", "foreign source account");
                assert.notStrictEqual(await deliver("elsewhere/x", arnOf(lake.names.dataLake)), "Allowed", "outside the log prefixes");
            });

            const deliveries = deliverySids(fixtureConfig(stack));
            it(`the log bucket policy also carries the deliveries of the tiers that log into it${deliveries.length > 0 ? ` (${deliveries.join(", ")})` : " (none here)"}`, () => {
                const policy = policyOf(lake, "accessLogs");
                assert.deepStrictEqual(
                    policy.Statement.map((statement) => statement.Sid),
                    ["DenyInsecureTransport", "S3ServerAccessLogDelivery", ...deliveries],
                );
                const logs = arnOf(lake.names.accessLogs);
                for (const statement of policy.Statement.slice(2)) {
                    for (const resource of [statement.Resource ?? []].flat())
                        assert.ok(resource === logs || resource.startsWith(`${logs}/`), `${statement.Sid}: ${resource} is the log bucket's`);
                }
            });

            it("logs access of the three working buckets into the log bucket under per-bucket prefixes, after its policy exists", () => {
                const loggings = ofType(lake.run, T.logging);
                assert.deepStrictEqual(
                    loggings
                        .map((logging) => inputsOf(logging))
                        .map(({ bucket, targetBucket, targetPrefix }) => ({ bucket, targetBucket, targetPrefix })),
                    [
                        { bucket: lake.names.dataLake, targetBucket: lake.names.accessLogs, targetPrefix: "data-lake/" },
                        { bucket: lake.names.glueScripts, targetBucket: lake.names.accessLogs, targetPrefix: "glue-scripts/" },
                        { bucket: lake.names.glueOutputs, targetBucket: lake.names.accessLogs, targetPrefix: "glue-outputs/" },
                    ],
                );
                const logPolicy = ofType(lake.run, T.policy).find((policy) => inputsOf(policy).bucket === lake.names.accessLogs);
                assert.ok(logPolicy);
                for (const logging of loggings)
                    assert.ok(logging.dependencies.includes(logPolicy.urn), `${logging.name} waits for the delivery policy`);
            });

            it("ages raw/ data to STANDARD_IA at 30 days and GLACIER_IR at 90; expires noncurrent versions; aborts uploads after 7 days", () => {
                assert.deepStrictEqual(configOf(lake, T.lifecycle, "dataLake").rules, [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: { prefix: "" },
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                    },
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    {
                        id: "raw-to-infrequent-access-and-glacier",
                        status: "Enabled",
                        filter: { prefix: "raw/" },
                        transitions: [
                            { days: 30, storageClass: "STANDARD_IA" },
                            { days: 90, storageClass: "GLACIER_IR" },
                        ],
                    },
                ]);
            });

            it("expires access logs after 365 days and keeps the housekeeping rules on every other bucket", () => {
                const logRules = configOf(lake, T.lifecycle, "accessLogs").rules as { id: string }[];
                assert.deepStrictEqual(
                    logRules.find((rule) => rule.id === "expire-access-logs"),
                    { id: "expire-access-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: 365 } },
                );
                for (const purpose of ["glueScripts", "glueOutputs"] as const) {
                    assert.deepStrictEqual(
                        (configOf(lake, T.lifecycle, purpose).rules as { id: string }[]).map((rule) => rule.id),
                        ["expire-noncurrent-versions", "abort-incomplete-multipart-uploads"],
                        purpose,
                    );
                }
                for (const purpose of BUCKET_PURPOSES) {
                    const lifecycle = ofType(lake.run, T.lifecycle).find((resource) => inputsOf(resource).bucket === lake.names[purpose]);
                    const versioning = ofType(lake.run, T.versioning).find((resource) => inputsOf(resource).bucket === lake.names[purpose]);
                    assert.ok(lifecycle && versioning && lifecycle.dependencies.includes(versioning.urn), `${purpose} lifecycle after versioning`);
                }
            });

            it("creates the seed's zone layout as empty prefix objects in the data lake bucket", () => {
                const objects = ofType(lake.run, T.object).filter((object) => inputsOf(object).bucket === lake.names.dataLake);
                assert.deepStrictEqual(objects.map((object) => inputsOf(object).key).sort(), [
                    "curated/analytics/",
                    "curated/ml/",
                    "curated/reporting/",
                    "logs/",
                    "processed/daily/",
                    "processed/hourly/",
                    "processed/real-time/",
                    "raw/events/",
                    "raw/feeds/",
                    "raw/logs/",
                ]);
                const encryption = ofType(lake.run, T.encryption).find((resource) => inputsOf(resource).bucket === lake.names.dataLake);
                assert.ok(encryption);
                for (const object of objects) {
                    assert.strictEqual(inputsOf(object).content, "", object.name);
                    assert.ok(object.dependencies.includes(encryption.urn), `${object.name} is written after default encryption is set`);
                }
                assert.strictEqual(
                    inputsOf(objects.find((object) => inputsOf(object).key === "processed/real-time/")!).tags.Name,
                    `${environment}-zone-processed-real-time`,
                );
            });

            it(protect ? "protects and retains the buckets and their suffix" : "does not protect the buckets", () => {
                for (const purpose of BUCKET_PURPOSES) {
                    assert.strictEqual(lake.buckets[purpose].protect, protect, purpose);
                    assert.strictEqual(lake.buckets[purpose].retainOnDelete, protect, purpose);
                }
                assert.strictEqual(named(lake.run, T.randomId, "-data-lake-bucket-suffix").protect, protect);
            });
        });
    }

    it("a stack without the lake whose load balancer logs into S3 builds only the access-log bucket, with the load balancer's delivery", async () => {
        const edits = {
            "data-platform:dataLake": { enabled: false },
            "data-platform:etl": { enabled: false },
            "data-platform:containers": { dataTasks: false },
        };
        const run = await runStackWith("staging", edits);
        const buckets = ofType(run, T.bucket).map((bucket) => String(inputsOf(bucket).bucket));
        assert.strictEqual(buckets.length, 1, buckets.join(", "));
        assert.match(buckets[0], /^staging-access-logs-[0-9a-f]{8}$/);
        assert.deepStrictEqual(run.stackOutputs.bucketNames, { accessLogs: buckets[0] });
        const policy = jsonInput(ofType(run, T.policy)[0], "policy") as PolicyDocument;
        assert.deepStrictEqual(
            policy.Statement.map((statement) => statement.Sid),
            ["DenyInsecureTransport", ...deliverySids(configWith("staging", edits))],
        );
        assert.ok(deliverySids(configWith("staging", edits)).length > 0, "staging's edge logs into the bucket");
    });

    it("a stack without the lake but with the monitoring host builds the access-log bucket its Logstash reads", async () => {
        const run = await runStackWith("dev", {
            "data-platform:dataLake": { enabled: false },
            "data-platform:etl": { enabled: false },
            "data-platform:containers": { enabled: false, dataTasks: false },
        });
        const buckets = ofType(run, T.bucket).map((bucket) => String(inputsOf(bucket).bucket));
        assert.strictEqual(buckets.length, 1, buckets.join(", "));
        assert.match(buckets[0], /^dev-access-logs-[0-9a-f]{8}$/);
        const monitoringPolicy = ofType(run, TYPE.iamRolePolicy).find((policy) =>
            String(inputsOf(policy).policy).includes(`arn:aws:s3:::${buckets[0]}`),
        );
        assert.ok(monitoringPolicy, "a role reads the access-log bucket");
        assert.match(monitoringPolicy.name, /monitoring/);
    });

    describe("config", () => {
        it("lifecycle days come from dataLake.* config", async () => {
            const run = await runStackWith("dev", {
                "data-platform:dataLake": {
                    rawToInfrequentAccessDays: 45,
                    rawToGlacierDays: 180,
                    noncurrentVersionExpirationDays: 30,
                    abortIncompleteMultipartUploadDays: 3,
                    accessLogExpirationDays: 90,
                },
            });
            const lake = lakeOf(run, "dev");
            const rules = configOf(lake, T.lifecycle, "dataLake").rules as Record<string, any>[];
            assert.deepStrictEqual(rules.find((rule) => rule.id === "raw-to-infrequent-access-and-glacier")?.transitions, [
                { days: 45, storageClass: "STANDARD_IA" },
                { days: 180, storageClass: "GLACIER_IR" },
            ]);
            assert.deepStrictEqual(rules.find((rule) => rule.id === "expire-noncurrent-versions")?.noncurrentVersionExpiration, {
                noncurrentDays: 30,
            });
            assert.deepStrictEqual(rules.find((rule) => rule.id === "abort-incomplete-multipart-uploads")?.abortIncompleteMultipartUpload, {
                daysAfterInitiation: 3,
            });
            const logRules = configOf(lake, T.lifecycle, "accessLogs").rules as Record<string, any>[];
            assert.deepStrictEqual(logRules.find((rule) => rule.id === "expire-access-logs")?.expiration, { days: 90 });
        });

        const invalid = (edits: Record<string, unknown>): ConfigError => configErrorFor("dev", edits);

        it("refuses lifecycle days S3 would reject, naming the key", () => {
            const early = invalid({ "data-platform:dataLake": { rawToInfrequentAccessDays: 10 } });
            assert.deepStrictEqual(
                early.problems.map((problem) => [problem.key, problem.value]),
                [["data-platform:dataLake.rawToInfrequentAccessDays", 10]],
            );
            assert.match(early.problems[0].message, /at least 30 days before STANDARD_IA/);
            const order = invalid({ "data-platform:dataLake": { rawToInfrequentAccessDays: 60, rawToGlacierDays: 89 } });
            assert.deepStrictEqual(
                order.problems.map((problem) => problem.key),
                ["data-platform:dataLake.rawToGlacierDays"],
            );
            assert.match(order.message, /at least 30 days after rawToInfrequentAccessDays \(60\), i\.e\. >= 90/);
        });

        it("refuses an environment that would give invalid bucket names, before any resource exists", () => {
            const error = invalid({ "data-platform:environment": "xn--dev" });
            assert.ok(error.problems.length >= 1);
            for (const problem of error.problems) {
                assert.strictEqual(problem.key, "data-platform:environment");
                assert.strictEqual(problem.value, "xn--dev");
            }
            assert.match(error.message, /bucket name xn--dev-data-lake-<hex> must not start with the reserved prefix "xn--"/);
            const leadingHyphen = invalid({ "data-platform:environment": "-dev" });
            assert.match(leadingHyphen.message, /bucket name -dev-data-lake-<hex> must begin and end with a letter or digit/);
        });

        it("the component refuses a bad environment too, when built alone", async () => {
            await assert.rejects(
                runProgram({
                    stack: "test",
                    config: { "aws:region": "us-east-2" },
                    program: () => {
                        new DataLake("t-data-lake", { naming: new Naming("sthree-dev"), config: dataLakeSchema.parse({}), protect: false });
                    },
                }),
                /must not start with the reserved prefix "sthree-"/,
            );
        });
    });

    describe("built alone from its section, without a stack file", () => {
        const runLake = (section: unknown, keys?: { storage: string }) =>
            runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new DataLake("t-data-lake", { naming: new Naming("test"), config: dataLakeSchema.parse(section), protect: false, keys });
                },
            });

        it("gets the section's lifecycle defaults: raw/ to STANDARD_IA at 30 days and GLACIER_IR at 90, logs kept 365 days", async () => {
            const lake = lakeOf(await runLake({}), "test");
            const rules = configOf(lake, T.lifecycle, "dataLake").rules as Record<string, any>[];
            assert.deepStrictEqual(rules.find((rule) => rule.id === "raw-to-infrequent-access-and-glacier")?.transitions, [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "GLACIER_IR" },
            ]);
            assert.deepStrictEqual(rules.find((rule) => rule.id === "expire-noncurrent-versions")?.noncurrentVersionExpiration, {
                noncurrentDays: 90,
            });
            const logRules = configOf(lake, T.lifecycle, "accessLogs").rules as Record<string, any>[];
            assert.deepStrictEqual(logRules.find((rule) => rule.id === "expire-access-logs")?.expiration, { days: 365 });
        });

        it("takes the days given, and encrypts with the storage key given (SSE-S3 without one)", async () => {
            const key = "arn:aws:kms:us-east-2:123456789012:key/11111111-1111-4111-a111-111111111111";
            const lake = lakeOf(await runLake({ rawToInfrequentAccessDays: 45, rawToGlacierDays: 180 }, { storage: key }), "test");
            const rules = configOf(lake, T.lifecycle, "dataLake").rules as Record<string, any>[];
            assert.deepStrictEqual(rules.find((rule) => rule.id === "raw-to-infrequent-access-and-glacier")?.transitions, [
                { days: 45, storageClass: "STANDARD_IA" },
                { days: 180, storageClass: "GLACIER_IR" },
            ]);
            assert.deepStrictEqual(configOf(lake, T.encryption, "dataLake").rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true },
            ]);
            assert.deepStrictEqual(configOf(lakeOf(await runLake({}), "test"), T.encryption, "dataLake").rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
        });

        /** A log delivery as a tier would give it: its service may put objects under its own prefix of the bucket it is handed. */
        const testDelivery: LogDelivery = (bucket) => [
            {
                Sid: "TestServiceDelivery",
                Effect: "Allow",
                Principal: { Service: "delivery.test.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucket.arn}/test-service/*`,
            },
        ];
        const runWith = async (args: Partial<Pick<DataLakeArgs, "lake" | "logDeliveries">>) => {
            let lake: DataLake | undefined;
            const run = await runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    lake = new DataLake("t-data-lake", { naming: new Naming("test"), config: dataLakeSchema.parse({}), protect: false, ...args });
                },
            });
            assert.ok(lake);
            return { run, lake };
        };

        it("lake: false builds only the access-log bucket, secured like the others, and its policy carries the log deliveries", async () => {
            const { run, lake } = await runWith({ lake: false, logDeliveries: [testDelivery] });
            const suffix = String(named(run, T.randomId, "-data-lake-bucket-suffix").outputs.hex);
            const name = `test-access-logs-${suffix}`;
            assert.deepStrictEqual(
                ofType(run, T.bucket).map((bucket) => inputsOf(bucket).bucket),
                [name],
            );
            for (const type of [T.versioning, T.encryption, T.publicAccessBlock, T.ownership, T.lifecycle, T.policy]) {
                assert.deepStrictEqual(
                    ofType(run, type).map((resource) => inputsOf(resource).bucket),
                    [name],
                    type,
                );
            }
            assert.deepStrictEqual(ofType(run, T.logging), [], "nothing of the lake logs into it");
            assert.deepStrictEqual(ofType(run, T.object), [], "no zone markers without the lake");
            assert.deepStrictEqual(lake.purposes, ["accessLogs"]);
            assert.deepStrictEqual(Object.keys(lake.bucketRefs), ["accessLogs"]);
            assert.ok(lake.bucketRef("accessLogs"));
            for (const purpose of ["dataLake", "glueScripts", "glueOutputs"] as const) {
                assert.throws(() => lake.bucketRef(purpose), new RegExp(`no ${purpose} bucket is built in this stack \\(built: accessLogs\\)`));
            }
            const policy = jsonInput(ofType(run, T.policy)[0], "policy") as PolicyDocument;
            assert.deepStrictEqual(
                policy.Statement.map((statement) => statement.Sid),
                ["DenyInsecureTransport", "TestServiceDelivery"],
                "no S3 server-access-log statement without buckets that log",
            );
            const deliver = (key: string) =>
                decideService("delivery.test.amazonaws.com", { action: "s3:PutObject", resource: `${arnOf(name)}/${key}` }, policy);
            assert.strictEqual(await deliver("test-service/2026/01/01/log.gz"), "Allowed", "the delivery got the log bucket's ARN");
            assert.notStrictEqual(await deliver("elsewhere/log.gz"), "Allowed");
        });

        it("with the lake, the log deliveries follow the S3 server-access-log statement; none by default", async () => {
            const withDelivery = lakeOf((await runWith({ logDeliveries: [testDelivery, testDelivery] })).run, "test");
            assert.deepStrictEqual(
                policyOf(withDelivery, "accessLogs").Statement.map((statement) => statement.Sid),
                ["DenyInsecureTransport", "S3ServerAccessLogDelivery", "TestServiceDelivery", "TestServiceDelivery"],
            );
            for (const purpose of LOGGED_BUCKETS) assert.strictEqual(policyOf(withDelivery, purpose).Statement.length, 1, purpose);
            const plain = lakeOf((await runWith({})).run, "test");
            assert.deepStrictEqual(
                policyOf(plain, "accessLogs").Statement.map((statement) => statement.Sid),
                ["DenyInsecureTransport", "S3ServerAccessLogDelivery"],
            );
        });

        it("refuses in the section what S3 would refuse", () => {
            assert.throws(() => dataLakeSchema.parse({ rawToInfrequentAccessDays: 10 }), /at least 30 days before STANDARD_IA/);
        });
    });

    describe("bucketNameProblems", () => {
        it("accepts valid names", () => {
            for (const name of ["abc", "dev-data-lake-0a1b2c3d", "a".repeat(63), "1-2-3"]) assert.deepStrictEqual(bucketNameProblems(name), [], name);
        });

        it("names each S3 rule a name breaks", () => {
            const cases: [string, RegExp][] = [
                ["ab", /3–63 characters long \(is 2\)/],
                ["a".repeat(64), /3–63 characters long \(is 64\)/],
                ["Dev-lake", /only lowercase letters, digits and hyphens/],
                ["dev_lake", /only lowercase letters, digits and hyphens/],
                ["dev.lake", /only lowercase letters, digits and hyphens/],
                ["-dev-lake", /begin and end with a letter or digit/],
                ["dev-lake-", /begin and end with a letter or digit/],
                ["192.168.5.4", /IP address/],
                ["xn--lake", /reserved prefix "xn--"/],
                ["sthree-lake", /reserved prefix "sthree-"/],
                ["amzn-s3-demo-lake", /reserved prefix "amzn-s3-demo-"/],
                ["lake-s3alias", /reserved suffix "-s3alias"/],
                ["lake--ol-s3", /reserved suffix "--ol-s3"/],
                ["lake--x-s3", /reserved suffix "--x-s3"/],
                ["lake--table-s3", /reserved suffix "--table-s3"/],
            ];
            for (const [name, problem] of cases) {
                const problems = bucketNameProblems(name);
                assert.ok(
                    problems.some((text) => problem.test(text)),
                    `${name}: ${problems.join("; ") || "no problem found"}`,
                );
            }
        });
    });
});
