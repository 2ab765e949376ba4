import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, logGroupArn } from "../shared/iam";
import { BucketRef } from "../shared/refs";
import { EtlConfig } from "./config";
import { Naming, componentType } from "../shared/naming";
import { ASSETS_DIR } from "../shared/paths";
import { TierComponent } from "../shared/tier";
import { buildWheel, wheelFileName } from "./wheel";

/** Where the Glue scripts live in the repository. */
export const GLUE_SCRIPTS_DIR = path.join(ASSETS_DIR, "glue");

/** The files uploaded to the scripts bucket: the two jobs and the schema module both import. */
export const GLUE_SCRIPT_FILES = {
    processing: "data_processing.py",
    quality: "data_quality.py",
    schema: "event_schema.py",
} as const;
export type GlueScript = keyof typeof GLUE_SCRIPT_FILES;

/**
 * The shared schema module as the Python shell job takes it: a wheel (Python shell 3.9 documents
 * `.whl` for `--extra-py-files`). The Spark job takes the `.py` itself, as Spark jobs document.
 */
export const SCHEMA_WHEEL = { name: "event_schema", version: "1.0.0", summary: "Event schema shared by the data-platform Glue jobs" } as const;

/** The schema wheel's bytes, built from the module's source (same content, same bytes). */
export function schemaWheel(scriptsDir: string = GLUE_SCRIPTS_DIR): Uint8Array {
    return buildWheel({ ...SCHEMA_WHEEL, source: fs.readFileSync(path.join(scriptsDir, GLUE_SCRIPT_FILES.schema), "utf8") });
}

/** Key prefix of the scripts in the scripts bucket (as in the seed). */
export const SCRIPTS_PREFIX = "scripts/";

/**
 * Python shell jobs with Python 3.9 run on Glue version 3.0 (as AWS CDK's
 * PythonShellJob sets); the Spark job's version comes from config.
 */
export const PYTHON_SHELL_GLUE_VERSION = "3.0";
export const PYTHON_SHELL_PYTHON_VERSION = "3.9";

/** SHA-256 of a file's content: the object's `sourceHash`, so a changed script is re-uploaded. */
export function scriptHash(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Glue database names: Athena wants lowercase letters, digits and underscores only. */
export function catalogDatabaseName(environment: string): string {
    return `${environment.replace(/-/g, "_")}_data_lake_catalog`;
}

/**
 * The Glue security configuration's encryption. Allowed modes (Glue API):
 * S3 DISABLED | SSE-S3 | SSE-KMS; CloudWatch DISABLED | SSE-KMS;
 * job bookmarks DISABLED | CSE-KMS.
 */
export function securityEncryption(keys: Partial<KeyArns> = {}): aws.types.input.glue.SecurityConfigurationEncryptionConfiguration {
    // storage: S3 data and job bookmarks (without it SSE-S3, bookmarks unencrypted);
    // logs: CloudWatch (without it Glue logs are not KMS-encrypted; log groups still encrypt at rest).
    const { storage: storageKeyArn, logs: logsKeyArn } = keys;
    return {
        s3Encryption: storageKeyArn ? { s3EncryptionMode: "SSE-KMS", kmsKeyArn: storageKeyArn } : { s3EncryptionMode: "SSE-S3" },
        cloudwatchEncryption: logsKeyArn ? { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: logsKeyArn } : { cloudwatchEncryptionMode: "DISABLED" },
        jobBookmarksEncryption: storageKeyArn
            ? { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: storageKeyArn }
            : { jobBookmarksEncryptionMode: "DISABLED" },
    };
}

/** The buckets the ETL tier reads and writes. */
export interface EtlBuckets {
    /** Raw JSON in, Parquet and quality reports out. */
    readonly dataLake: BucketRef;
    /** Scripts (`scripts/`) and Spark temp files (`temp/`). */
    readonly glueScripts: BucketRef;
    /** Spark UI event logs (`spark-event-logs/`). */
    readonly glueOutputs: BucketRef;
}

export interface EtlArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** ARN of the Glue service role (identity tier) used by the jobs and crawlers. */
    readonly glueRoleArn: pulumi.Input<string>;
    readonly buckets: EtlBuckets;
    /** Customer-managed keys: `storage` for S3 and job bookmarks, `logs` for Glue's logs. */
    readonly keys?: Partial<KeyArns>;
    /** The `etl` config section. */
    readonly config: EtlConfig;
    /** Directory holding the scripts (defaults to assets/glue; tests point it elsewhere). */
    readonly scriptsDir?: string;
}

export type CrawlerZone = "raw" | "processed";
export type EtlJob = "processing" | "quality";

/** A crawler's recrawl and schema-change policies, and the crawler configuration JSON. */
interface CrawlerPolicy {
    readonly recrawlBehavior: "CRAWL_EVERYTHING" | "CRAWL_NEW_FOLDERS_ONLY";
    readonly updateBehavior: "UPDATE_IN_DATABASE" | "LOG";
    readonly deleteBehavior: "DEPRECATE_IN_DATABASE" | "LOG";
    readonly configuration: Record<string, unknown>;
}

/**
 * raw/: producers' JSON drifts, so every run re-crawls and updates schemas;
 * vanished objects deprecate their tables rather than deleting them.
 * processed/: the processing job fixes the schema and only adds date
 * partitions, so crawling new folders only is enough (and AWS then requires
 * LOG for both schema-change behaviours); partitions inherit the table schema.
 */
export const CRAWLER_POLICIES: Readonly<Record<CrawlerZone, CrawlerPolicy>> = {
    raw: {
        recrawlBehavior: "CRAWL_EVERYTHING",
        updateBehavior: "UPDATE_IN_DATABASE",
        deleteBehavior: "DEPRECATE_IN_DATABASE",
        configuration: { Version: 1.0, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } },
    },
    processed: {
        recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY",
        updateBehavior: "LOG",
        deleteBehavior: "LOG",
        configuration: {
            Version: 1.0,
            Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
            CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
        },
    },
};

/**
 * The Glue tier: catalog database, on-demand crawlers over raw/ and processed/,
 * the Spark processing job and the Python shell quality job (scripts uploaded
 * from assets/glue), a workflow that runs processing and then, on success,
 * quality and the processed crawler, and the security configuration all of
 * them use.
 */
export class Etl extends TierComponent {
    readonly securityConfiguration: aws.glue.SecurityConfiguration;
    readonly database: aws.glue.CatalogDatabase;
    readonly crawlers: Readonly<Record<CrawlerZone, aws.glue.Crawler>>;
    readonly scripts: Readonly<Record<GlueScript, aws.s3.BucketObjectv2>>;
    /** The schema module as a wheel, for the Python shell job's `--extra-py-files`. */
    readonly schemaWheel: aws.s3.BucketObjectv2;
    readonly jobs: Readonly<Record<EtlJob, aws.glue.Job>>;
    readonly workflow: aws.glue.Workflow;
    /** ON_DEMAND: starts the processing job. */
    readonly startTrigger: aws.glue.Trigger;
    /** CONDITIONAL: when processing succeeds, runs the quality job and the processed crawler. */
    readonly afterProcessingTrigger: aws.glue.Trigger;
    readonly jobNames: Readonly<Record<EtlJob, pulumi.Output<string>>>;

    private readonly baseName: string;
    private readonly naming: Naming;

    constructor(name: string, args: EtlArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("etl", "Etl"), name, opts);
        this.baseName = name;
        this.naming = args.naming;
        const { naming } = args;

        this.securityConfiguration = new aws.glue.SecurityConfiguration(
            `${name}-security`,
            {
                name: naming.name("etl-security-config"),
                encryptionConfiguration: securityEncryption(args.keys),
            },
            this.child(),
        );

        this.database = new aws.glue.CatalogDatabase(
            `${name}-catalog`,
            {
                name: catalogDatabaseName(naming.environment),
                description: `Data catalog for ${naming.environment} data lake`,
                tags: naming.tags("etl", "data-lake-catalog"),
            },
            this.child(),
        );

        this.crawlers = {
            raw: this.crawler("raw", args),
            processed: this.crawler("processed", args),
        };

        this.scripts = this.uploadScripts(args);
        this.schemaWheel = this.uploadSchemaWheel(args);
        this.jobs = {
            processing: this.processingJob(args),
            quality: this.qualityJob(args),
        };
        this.jobNames = { processing: this.jobs.processing.name, quality: this.jobs.quality.name };

        this.workflow = new aws.glue.Workflow(
            `${name}-workflow`,
            {
                name: naming.name("etl-workflow"),
                description: "ETL workflow for data processing pipeline",
                // One run at a time: job bookmarks assume runs do not overlap.
                maxConcurrentRuns: 1,
                tags: naming.tags("etl", "etl-workflow"),
            },
            this.child(),
        );

        this.startTrigger = new aws.glue.Trigger(
            `${name}-start`,
            {
                name: naming.name("etl-trigger"),
                description: "Starts the ETL workflow on demand (no schedule, no idle cost)",
                type: "ON_DEMAND",
                workflowName: this.workflow.name,
                actions: [{ jobName: this.jobs.processing.name }],
                tags: naming.tags("etl", "etl-trigger"),
            },
            this.child(),
        );

        this.afterProcessingTrigger = new aws.glue.Trigger(
            `${name}-after-processing`,
            {
                name: naming.name("etl-after-processing-trigger"),
                description: "Checks quality and catalogs new partitions once processing has succeeded",
                type: "CONDITIONAL",
                workflowName: this.workflow.name,
                // Conditional triggers are created deactivated unless started on creation.
                startOnCreation: true,
                predicate: {
                    logical: "AND",
                    conditions: [{ jobName: this.jobs.processing.name, state: "SUCCEEDED", logicalOperator: "EQUALS" }],
                },
                actions: [{ jobName: this.jobs.quality.name }, { crawlerName: this.crawlers.processed.name }],
                tags: naming.tags("etl", "etl-after-processing-trigger"),
            },
            this.child(),
        );

        this.registerOutputs({
            databaseName: this.database.name,
            crawlerNames: { raw: this.crawlers.raw.name, processed: this.crawlers.processed.name },
            jobNames: this.jobNames,
            workflowName: this.workflow.name,
            securityConfigurationName: this.securityConfiguration.name,
        });
    }

    private crawler(zone: CrawlerZone, args: EtlArgs): aws.glue.Crawler {
        const policy = CRAWLER_POLICIES[zone];
        const purpose = `${zone}-data-crawler`;
        return new aws.glue.Crawler(
            `${this.baseName}-${zone}-crawler`,
            {
                name: this.naming.name(purpose),
                description: `On-demand crawler of ${zone}/ in the data lake`,
                databaseName: this.database.name,
                role: args.glueRoleArn,
                s3Targets: [{ path: pulumi.interpolate`s3://${args.buckets.dataLake.name}/${zone}/` }],
                // raw/events and processed/daily/events would both become "events" otherwise.
                tablePrefix: `${zone}_`,
                schemaChangePolicy: { updateBehavior: policy.updateBehavior, deleteBehavior: policy.deleteBehavior },
                recrawlPolicy: { recrawlBehavior: policy.recrawlBehavior },
                configuration: JSON.stringify(policy.configuration),
                securityConfiguration: this.securityConfiguration.name,
                tags: this.naming.tags("etl", purpose),
            },
            this.child(),
        );
    }

    private uploadScripts(args: EtlArgs): Record<GlueScript, aws.s3.BucketObjectv2> {
        const dir = args.scriptsDir ?? GLUE_SCRIPTS_DIR;
        const upload = (script: GlueScript): aws.s3.BucketObjectv2 => {
            const file = path.join(dir, GLUE_SCRIPT_FILES[script]);
            return new aws.s3.BucketObjectv2(
                `${this.baseName}-${script}-script`,
                {
                    bucket: args.buckets.glueScripts.name,
                    key: `${SCRIPTS_PREFIX}${GLUE_SCRIPT_FILES[script]}`,
                    source: new pulumi.asset.FileAsset(file),
                    // Not `etag`: with SSE-KMS buckets the ETag is not the content MD5.
                    sourceHash: scriptHash(file),
                    contentType: "text/x-python",
                    tags: this.naming.tags("etl", `${script}-script`),
                },
                this.child(),
            );
        };
        return { processing: upload("processing"), quality: upload("quality"), schema: upload("schema") };
    }

    private uploadSchemaWheel(args: EtlArgs): aws.s3.BucketObjectv2 {
        const wheel = Buffer.from(schemaWheel(args.scriptsDir ?? GLUE_SCRIPTS_DIR));
        return new aws.s3.BucketObjectv2(
            `${this.baseName}-schema-wheel`,
            {
                bucket: args.buckets.glueScripts.name,
                key: `${SCRIPTS_PREFIX}${wheelFileName(SCHEMA_WHEEL)}`,
                contentBase64: wheel.toString("base64"),
                sourceHash: createHash("sha256").update(wheel).digest("hex"),
                contentType: "application/zip",
                tags: this.naming.tags("etl", "schema-wheel"),
            },
            this.child(),
        );
    }

    private scriptUrl(script: GlueScript): pulumi.Output<string> {
        return objectUrl(this.scripts[script]);
    }

    private processingJob(args: EtlArgs): aws.glue.Job {
        const { config } = args;
        const bucketNames = bucketNamesOf(args.buckets);
        const purpose = "data-processing-job";
        return new aws.glue.Job(
            `${this.baseName}-processing`,
            {
                name: this.naming.name(purpose),
                description: "Raw JSON events to deduplicated Parquet partitioned by event date",
                roleArn: args.glueRoleArn,
                glueVersion: config.glueVersion,
                command: { name: "glueetl", pythonVersion: "3", scriptLocation: this.scriptUrl("processing") },
                workerType: config.processingWorkerType,
                numberOfWorkers: config.processingWorkers,
                // FLEX by default: spare capacity at a lower price for a batch job nobody waits on.
                executionClass: config.processingExecutionClass,
                timeout: config.processingTimeoutMinutes,
                maxRetries: 0,
                executionProperty: { maxConcurrentRuns: 1 },
                securityConfiguration: this.securityConfiguration.name,
                defaultArguments: {
                    "--job-language": "python",
                    "--job-bookmark-option": "job-bookmark-enable",
                    "--enable-metrics": "true",
                    "--TempDir": pulumi.interpolate`s3://${bucketNames.glueScripts}/temp/`,
                    "--extra-py-files": this.scriptUrl("schema"),
                    "--enable-spark-ui": "true",
                    "--spark-event-logs-path": pulumi.interpolate`s3://${bucketNames.glueOutputs}/spark-event-logs/`,
                    "--DATA_LAKE_BUCKET": bucketNames.dataLake,
                },
                tags: this.naming.tags("etl", purpose),
            },
            this.child(),
        );
    }

    /**
     * The seed's 1 DPU is below a Spark job's minimum (2 workers), so quality is
     * a Python shell job: 1 DPU (or 1/16), Python 3.9 with the analytics library
     * set (awswrangler, pandas). Python shell jobs cannot use job bookmarks.
     */
    private qualityJob(args: EtlArgs): aws.glue.Job {
        const { config } = args;
        const bucketNames = bucketNamesOf(args.buckets);
        const purpose = "data-quality-job";
        return new aws.glue.Job(
            `${this.baseName}-quality`,
            {
                name: this.naming.name(purpose),
                description: "Row counts, nulls, duplicates and schema checks; JSON report under curated/reporting/",
                roleArn: args.glueRoleArn,
                glueVersion: PYTHON_SHELL_GLUE_VERSION,
                command: { name: "pythonshell", pythonVersion: PYTHON_SHELL_PYTHON_VERSION, scriptLocation: this.scriptUrl("quality") },
                maxCapacity: config.qualityMaxCapacity,
                timeout: config.qualityTimeoutMinutes,
                maxRetries: 0,
                executionProperty: { maxConcurrentRuns: 1 },
                securityConfiguration: this.securityConfiguration.name,
                defaultArguments: {
                    "--job-language": "python",
                    "library-set": "analytics",
                    "--TempDir": pulumi.interpolate`s3://${bucketNames.glueScripts}/temp/`,
                    "--extra-py-files": objectUrl(this.schemaWheel),
                    "--DATA_LAKE_BUCKET": bucketNames.dataLake,
                    "--FAIL_ON_ERROR": "true",
                },
                tags: this.naming.tags("etl", purpose),
            },
            this.child(),
        );
    }
}

function objectUrl(object: aws.s3.BucketObjectv2): pulumi.Output<string> {
    return pulumi.interpolate`s3://${object.bucket}/${object.key}`;
}

function bucketNamesOf(buckets: EtlBuckets): Readonly<Record<keyof EtlBuckets, pulumi.Input<string>>> {
    return { dataLake: buckets.dataLake.name, glueScripts: buckets.glueScripts.name, glueOutputs: buckets.glueOutputs.name };
}

/** Glue writes job and crawler logs under this log-group prefix. */
export const GLUE_LOG_GROUP_PREFIX = "/aws-glue/";

/** What the Glue role needs to write the jobs' and crawlers' logs (and encrypt them with a key). */
export function glueLogStatements(ctx: AccountContext): PolicyStatement[] {
    return [
        {
            Sid: "GlueLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
            Resource: logGroupArn(ctx, `${GLUE_LOG_GROUP_PREFIX}*`),
        },
    ];
}

/** Glue actions the catalog audit task calls (boto3 `get_tables` paginates glue:GetTables). */
export const CATALOG_READ_ACTIONS = ["glue:GetDatabase", "glue:GetTables"] as const;

/**
 * Read the stack's catalog database and its tables' metadata: Glue authorizes GetTables on the
 * catalog, the database and its tables (Glue developer guide, "Specifying AWS Glue resource ARNs").
 */
export function catalogReadStatements(ctx: AccountContext, environment: string): PolicyStatement[] {
    const database = catalogDatabaseName(environment);
    const glueArn = (resource: string) => pulumi.interpolate`arn:${ctx.partition}:glue:${ctx.region}:${ctx.account}:${resource}`;
    return [
        {
            Sid: "ReadDataLakeCatalog",
            Effect: "Allow",
            Action: [...CATALOG_READ_ACTIONS],
            Resource: [glueArn("catalog"), glueArn(`database/${database}`), glueArn(`table/${database}/*`)],
        },
    ];
}
