import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { EtlConfig, etlSchema } from "../../components/etl/config";
import {
    CRAWLER_POLICIES,
    Etl,
    EtlArgs,
    GLUE_SCRIPTS_DIR,
    GLUE_SCRIPT_FILES,
    GlueScript,
    SCHEMA_WHEEL,
    catalogDatabaseName,
    schemaWheel,
    scriptHash,
} from "../../components/etl/etl";
import { wheelFileName } from "../../components/etl/wheel";
import { Naming } from "../../components/shared/naming";
import { RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun, ROOT_DIR, runProgram } from "../../tools/run-program";
import { configErrorFor, STACKS, fixtureConfig, inputsOf, named, ofType, runStack, runStackWith } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const JOB = TYPE.glueJob;
const CRAWLER = TYPE.glueCrawler;
const TRIGGER = TYPE.glueTrigger;
const WORKFLOW = TYPE.glueWorkflow;
const DATABASE = TYPE.glueCatalogDatabase;
const SECURITY = TYPE.glueSecurityConfiguration;
const OBJECT = TYPE.s3BucketObjectv2;

const ROLE_ARN = "arn:aws:iam::123456789012:role/test-glue-service-role";
const STORAGE_KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-1111-4111-a111-111111111111";
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222";
const bucket = (name: string) => ({ name, arn: `arn:aws:s3:::${name}` });
const BUCKETS = {
    dataLake: bucket("test-data-lake-abcd"),
    glueScripts: bucket("test-glue-scripts-abcd"),
    glueOutputs: bucket("test-glue-outputs-abcd"),
};

/** The etl section with every default, applied by the section itself (no stack file). */
function defaultEtlConfig(): EtlConfig {
    return etlSchema.parse({});
}

/** Builds one Etl component alone under the mock cloud with literal inputs. */
function runEtl(overrides: Partial<EtlArgs> = {}, name = "t-etl"): Promise<ProgramRun> {
    const args: EtlArgs = {
        naming: new Naming("test"),
        glueRoleArn: ROLE_ARN,
        buckets: BUCKETS,
        config: defaultEtlConfig(),
        ...overrides,
    };
    return runProgram({
        stack: "test",
        config: { "aws:region": "us-east-2" },
        program: () => {
            new Etl(name, args);
        },
    });
}

function jobNamed(run: ProgramRun, physical: string): Record<string, any> {
    const jobs = ofType(run, JOB)
        .map(inputsOf)
        .filter((job) => job.name === physical);
    assert.strictEqual(jobs.length, 1, `expected one job ${physical}`);
    return jobs[0];
}

function copyScripts(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glue-scripts-"));
    for (const file of fs.readdirSync(GLUE_SCRIPTS_DIR).filter((f) => f.endsWith(".py"))) {
        fs.copyFileSync(path.join(GLUE_SCRIPTS_DIR, file), path.join(dir, file));
    }
    return dir;
}

describe("etl tier", () => {
    describe("alone, without KMS keys (dev-like)", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runEtl();
        });

        it("creates the catalog database with the Athena-friendly underscore name", () => {
            const database = inputsOf(named(run, DATABASE, "-catalog"));
            assert.strictEqual(database.name, "test_data_lake_catalog");
            assert.strictEqual(database.description, "Data catalog for test data lake");
            assert.strictEqual(catalogDatabaseName("my-env"), "my_env_data_lake_catalog");
        });

        it("encrypts S3 with SSE-S3 and leaves CloudWatch and bookmarks unencrypted when no key is given", () => {
            const security = inputsOf(named(run, SECURITY, "-security"));
            assert.strictEqual(security.name, "test-etl-security-config");
            assert.deepStrictEqual(security.encryptionConfiguration, {
                s3Encryption: { s3EncryptionMode: "SSE-S3" },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
            });
        });

        it("crawls raw/ on demand, re-crawling everything and updating schemas", () => {
            const raw = inputsOf(named(run, CRAWLER, "-raw-crawler"));
            assert.strictEqual(raw.name, "test-raw-data-crawler");
            assert.strictEqual(raw.databaseName, "test_data_lake_catalog");
            assert.strictEqual(raw.role, ROLE_ARN);
            assert.deepStrictEqual(raw.s3Targets, [{ path: "s3://test-data-lake-abcd/raw/" }]);
            assert.strictEqual(raw.schedule, undefined);
            assert.strictEqual(raw.tablePrefix, "raw_");
            assert.strictEqual(raw.securityConfiguration, "test-etl-security-config");
            assert.deepStrictEqual(raw.schemaChangePolicy, { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "DEPRECATE_IN_DATABASE" });
            assert.deepStrictEqual(raw.recrawlPolicy, { recrawlBehavior: "CRAWL_EVERYTHING" });
            assert.deepStrictEqual(JSON.parse(raw.configuration), { Version: 1, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } });
        });

        it("crawls processed/ on demand, new folders only, with the LOG/LOG policy AWS requires for that", () => {
            const processed = inputsOf(named(run, CRAWLER, "-processed-crawler"));
            assert.strictEqual(processed.name, "test-processed-data-crawler");
            assert.strictEqual(processed.role, ROLE_ARN);
            assert.deepStrictEqual(processed.s3Targets, [{ path: "s3://test-data-lake-abcd/processed/" }]);
            assert.strictEqual(processed.schedule, undefined);
            assert.strictEqual(processed.tablePrefix, "processed_");
            assert.strictEqual(processed.securityConfiguration, "test-etl-security-config");
            assert.deepStrictEqual(processed.recrawlPolicy, { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" });
            assert.deepStrictEqual(processed.schemaChangePolicy, { updateBehavior: "LOG", deleteBehavior: "LOG" });
            assert.deepStrictEqual(JSON.parse(processed.configuration).CrawlerOutput, { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } });
        });

        it("never pairs new-folders-only crawling with a schema policy other than LOG/LOG", () => {
            for (const policy of Object.values(CRAWLER_POLICIES)) {
                if (policy.recrawlBehavior !== "CRAWL_NEW_FOLDERS_ONLY") continue;
                assert.strictEqual(policy.updateBehavior, "LOG");
                assert.strictEqual(policy.deleteBehavior, "LOG");
            }
        });

        it("uploads the three scripts under scripts/ in the scripts bucket with their content hash", () => {
            const objects = ofType(run, OBJECT)
                .map(inputsOf)
                .filter((object) => object.key.endsWith(".py"));
            assert.deepStrictEqual(objects.map((o) => o.key).sort(), [
                "scripts/data_processing.py",
                "scripts/data_quality.py",
                "scripts/event_schema.py",
            ]);
            for (const object of objects) {
                const file = path.join(GLUE_SCRIPTS_DIR, path.basename(object.key));
                assert.strictEqual(object.bucket, "test-glue-scripts-abcd");
                assert.strictEqual(object.sourceHash, scriptHash(file), object.key);
                assert.match(object.sourceHash, /^[0-9a-f]{64}$/);
                assert.strictEqual(object.etag, undefined, "etag is not an MD5 under SSE-KMS; sourceHash is used instead");
                assert.strictEqual(object.contentType, "text/x-python");
            }
        });

        it("uploads the schema module as a wheel for the Python shell job, hashed so a change re-uploads it", () => {
            const wheel = inputsOf(named(run, OBJECT, "-schema-wheel"));
            assert.strictEqual(wheel.key, `scripts/${wheelFileName(SCHEMA_WHEEL)}`);
            assert.strictEqual(wheel.key, "scripts/event_schema-1.0.0-py3-none-any.whl");
            assert.strictEqual(wheel.bucket, "test-glue-scripts-abcd");
            const bytes = Buffer.from(schemaWheel());
            assert.strictEqual(wheel.contentBase64, bytes.toString("base64"));
            assert.strictEqual(wheel.sourceHash, createHash("sha256").update(bytes).digest("hex"));
            assert.strictEqual(wheel.contentType, "application/zip");
        });

        it("runs data processing as a glueetl job: Glue 5.1, G.1X × 2, FLEX, 60 min, bookmarks, metrics, TempDir in the scripts bucket", () => {
            const job = jobNamed(run, "test-data-processing-job");
            assert.deepStrictEqual(job.command, {
                name: "glueetl",
                pythonVersion: "3",
                scriptLocation: "s3://test-glue-scripts-abcd/scripts/data_processing.py",
            });
            assert.strictEqual(job.roleArn, ROLE_ARN);
            assert.strictEqual(job.glueVersion, "5.1");
            assert.strictEqual(job.workerType, "G.1X");
            assert.strictEqual(job.numberOfWorkers, 2);
            assert.strictEqual(job.executionClass, "FLEX");
            assert.strictEqual(job.maxCapacity, undefined, "worker type/count and maxCapacity are exclusive");
            assert.strictEqual(job.timeout, 60);
            assert.strictEqual(job.maxRetries, 0);
            assert.deepStrictEqual(job.executionProperty, { maxConcurrentRuns: 1 });
            assert.strictEqual(job.securityConfiguration, "test-etl-security-config");
            assert.deepStrictEqual(job.defaultArguments, {
                "--job-language": "python",
                "--job-bookmark-option": "job-bookmark-enable",
                "--enable-metrics": "true",
                "--TempDir": "s3://test-glue-scripts-abcd/temp/",
                "--extra-py-files": "s3://test-glue-scripts-abcd/scripts/event_schema.py",
                "--enable-spark-ui": "true",
                "--spark-event-logs-path": "s3://test-glue-outputs-abcd/spark-event-logs/",
                "--DATA_LAKE_BUCKET": "test-data-lake-abcd",
            });
        });

        it("runs data quality as a pythonshell job: 1 DPU, Python 3.9 with the analytics libraries, 30 min", () => {
            const job = jobNamed(run, "test-data-quality-job");
            assert.deepStrictEqual(job.command, {
                name: "pythonshell",
                pythonVersion: "3.9",
                scriptLocation: "s3://test-glue-scripts-abcd/scripts/data_quality.py",
            });
            assert.strictEqual(job.roleArn, ROLE_ARN);
            assert.strictEqual(job.glueVersion, "3.0");
            assert.strictEqual(job.maxCapacity, 1);
            assert.strictEqual(job.workerType, undefined);
            assert.strictEqual(job.numberOfWorkers, undefined);
            assert.strictEqual(job.timeout, 30);
            assert.strictEqual(job.executionClass, undefined, "Glue runs FLEX only for glueetl jobs");
            assert.strictEqual(job.securityConfiguration, "test-etl-security-config");
            // Exactly these: no --job-bookmark-option, which Python shell jobs cannot use.
            assert.deepStrictEqual(job.defaultArguments, {
                "--job-language": "python",
                "library-set": "analytics",
                "--TempDir": "s3://test-glue-scripts-abcd/temp/",
                // Python shell 3.9 takes extra modules as a .whl (not .egg, not a bare .py).
                "--extra-py-files": "s3://test-glue-scripts-abcd/scripts/event_schema-1.0.0-py3-none-any.whl",
                "--DATA_LAKE_BUCKET": "test-data-lake-abcd",
                "--FAIL_ON_ERROR": "true",
            });
        });

        it("starts the workflow on demand with processing, then runs quality and the processed crawler only after it succeeds", () => {
            const workflow = inputsOf(named(run, WORKFLOW, "-workflow"));
            assert.strictEqual(workflow.name, "test-etl-workflow");
            assert.strictEqual(workflow.maxConcurrentRuns, 1);

            const start = inputsOf(named(run, TRIGGER, "-start"));
            assert.strictEqual(start.name, "test-etl-trigger");
            assert.strictEqual(start.type, "ON_DEMAND");
            assert.strictEqual(start.schedule, undefined);
            assert.strictEqual(start.workflowName, "test-etl-workflow");
            assert.deepStrictEqual(start.actions, [{ jobName: "test-data-processing-job" }]);
            assert.strictEqual(start.startOnCreation, undefined, "AWS rejects startOnCreation on ON_DEMAND triggers");

            const after = inputsOf(named(run, TRIGGER, "-after-processing"));
            assert.strictEqual(after.name, "test-etl-after-processing-trigger");
            assert.strictEqual(after.type, "CONDITIONAL");
            assert.strictEqual(after.workflowName, "test-etl-workflow");
            assert.strictEqual(after.startOnCreation, true);
            assert.deepStrictEqual(after.predicate, {
                logical: "AND",
                conditions: [{ jobName: "test-data-processing-job", state: "SUCCEEDED", logicalOperator: "EQUALS" }],
            });
            assert.deepStrictEqual(after.actions, [{ jobName: "test-data-quality-job" }, { crawlerName: "test-processed-data-crawler" }]);
        });

        it("parents every child to the component and tags every taggable one for the etl tier", () => {
            const component = run.resources.find((r) => r.type === "data-platform:etl:Etl");
            assert.ok(component);
            const children = run.resources.filter((r) => r.custom);
            assert.strictEqual(children.length, 13);
            for (const child of children) {
                assert.strictEqual(child.parent, component.urn, child.name);
                assert.ok(child.name.startsWith("t-etl-"), child.name);
                if (child.type === SECURITY) continue; // Glue security configurations take no tags
                const tags = inputsOf(child).tags;
                assert.deepStrictEqual(
                    { Environment: tags.Environment, Project: tags.Project, ManagedBy: tags.ManagedBy, Tier: tags.Tier },
                    { Environment: "test", Project: "data-platform", ManagedBy: "pulumi", Tier: "etl" },
                    child.name,
                );
                assert.match(tags.Name, /^test-/, child.name);
            }
        });
    });

    describe("alone, with KMS keys (staging/prod-like)", () => {
        it("uses SSE-KMS for S3 and CloudWatch and CSE-KMS for bookmarks", async () => {
            const run = await runEtl({ keys: { storage: STORAGE_KEY, logs: LOGS_KEY } });
            assert.deepStrictEqual(inputsOf(named(run, SECURITY, "-security")).encryptionConfiguration, {
                s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: STORAGE_KEY },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: LOGS_KEY },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: STORAGE_KEY },
            });
        });

        it("keys each part on its own key: a storage key alone leaves CloudWatch DISABLED", async () => {
            const run = await runEtl({ keys: { storage: STORAGE_KEY } });
            assert.deepStrictEqual(inputsOf(named(run, SECURITY, "-security")).encryptionConfiguration, {
                s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: STORAGE_KEY },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: STORAGE_KEY },
            });
        });
    });

    describe("config", () => {
        it("passes worker type, count, versions, capacity and timeouts through", async () => {
            const config: EtlConfig = {
                ...defaultEtlConfig(),
                glueVersion: "5.0",
                processingWorkerType: "G.2X",
                processingWorkers: 5,
                processingTimeoutMinutes: 120,
                qualityMaxCapacity: 0.0625,
                qualityTimeoutMinutes: 15,
            };
            const run = await runEtl({ config });
            const processing = jobNamed(run, "test-data-processing-job");
            assert.deepStrictEqual(
                [processing.glueVersion, processing.workerType, processing.numberOfWorkers, processing.timeout],
                ["5.0", "G.2X", 5, 120],
            );
            const quality = jobNamed(run, "test-data-quality-job");
            assert.deepStrictEqual([quality.glueVersion, quality.maxCapacity, quality.timeout], ["3.0", 0.0625, 15]);
        });

        const rejects: [string, unknown, RegExp][] = [
            ["processingWorkers", 1, /data-platform:etl\.processingWorkers = 1: .*at least 2 workers/],
            ["qualityMaxCapacity", 2, /data-platform:etl\.qualityMaxCapacity = 2: .*0\.0625 or 1 DPU/],
            ["glueVersion", "3.0", /data-platform:etl\.glueVersion = "3\.0": .*"5\.1"/],
            ["processingWorkerType", "Standard", /data-platform:etl\.processingWorkerType = "Standard"/],
            ["qualityTimeoutMinutes", 20000, /data-platform:etl\.qualityTimeoutMinutes = 20000: .*10080/],
            ["processingTimeoutMinutes", 0, /data-platform:etl\.processingTimeoutMinutes = 0/],
            ["processingExecutionClass", "SPOT", /data-platform:etl\.processingExecutionClass = "SPOT": .*"FLEX"/],
        ];
        for (const [key, value, message] of rejects) {
            it(`rejects etl.${key} = ${JSON.stringify(value)} naming the key, value and what is allowed`, () => {
                assert.match(configErrorFor("dev", { "data-platform:etl": { [key]: value } }).message, message);
            });
        }

        it("refuses FLEX with a worker type Glue runs only on STANDARD (G.4X, G.8X), naming the key", () => {
            for (const workerType of ["G.4X", "G.8X"]) {
                const error = configErrorFor("dev", { "data-platform:etl": { processingWorkerType: workerType } });
                // The default FLEX shows as (missing): the key is not in the stack file.
                assert.match(
                    error.message,
                    /data-platform:etl\.processingExecutionClass = \(missing\): Glue runs FLEX only on G\.1X or G\.2X workers/,
                );
            }
            assert.doesNotThrow(() => etlSchema.parse({ processingWorkerType: "G.2X" }));
            assert.doesNotThrow(() => etlSchema.parse({ processingWorkerType: "G.8X", processingExecutionClass: "STANDARD" }));
        });

        it("takes a section parsed from the keys given, defaults for the rest", async () => {
            const run = await runEtl({
                config: etlSchema.parse({ processingWorkerType: "G.4X", processingExecutionClass: "STANDARD", qualityMaxCapacity: 0.0625 }),
            });
            const processing = jobNamed(run, "test-data-processing-job");
            assert.deepStrictEqual(
                [processing.glueVersion, processing.workerType, processing.numberOfWorkers, processing.timeout],
                ["5.1", "G.4X", 2, 60],
            );
            assert.strictEqual(processing.executionClass, "STANDARD");
            assert.strictEqual(jobNamed(run, "test-data-quality-job").maxCapacity, 0.0625);
        });

        it("the section defaults to on, Glue 5.1, G.1X × 2, 60 and 30 minutes, 1 DPU quality", () => {
            assert.deepStrictEqual(defaultEtlConfig(), {
                enabled: true,
                glueVersion: "5.1",
                processingWorkerType: "G.1X",
                processingWorkers: 2,
                processingTimeoutMinutes: 60,
                processingExecutionClass: "FLEX",
                qualityMaxCapacity: 1,
                qualityTimeoutMinutes: 30,
            });
        });

        it("etl.enabled: false builds no Glue resource and no Glue role; the lake and the tasks stay", async () => {
            const run = await runStackWith("dev", { "data-platform:etl": { enabled: false } });
            const glue = run.resources.filter((resource) => resource.type.startsWith("aws:glue/"));
            assert.deepStrictEqual(
                glue.map((resource) => resource.type),
                [],
            );
            assert.ok(!ofType(run, TYPE.iamRole).some((role) => inputsOf(role).name === "dev-glue-service-role"));
            assert.strictEqual(run.stackOutputs.glue, undefined);
            assert.strictEqual((run.stackOutputs.roleArns as Record<string, string>).glue, undefined);
            assert.ok(ofType(run, TYPE.s3Bucket).length > 0, "the lake is still built");
            assert.ok(ofType(run, TYPE.ecsTaskDefinition).length > 0, "the data tasks still run");
        });

        it("refuses etl.enabled without the data lake, naming the key", () => {
            const error = configErrorFor("dev", { "data-platform:dataLake": { enabled: false }, "data-platform:containers": { dataTasks: false } });
            assert.ok(
                error.problems.some((problem) => problem.key === "data-platform:dataLake.enabled" && /etl\.enabled/.test(problem.message)),
                error.message,
            );
        });
    });

    describe("schema wheel", () => {
        const wheelDir = () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-wheel-"));
            const file = path.join(dir, wheelFileName(SCHEMA_WHEEL));
            fs.writeFileSync(file, schemaWheel());
            return { dir, file };
        };

        it("is a valid wheel Python imports event_schema from, with a RECORD whose hashes match", () => {
            const { file } = wheelDir();
            const check = [
                "import base64, csv, hashlib, io, sys, zipfile",
                "wheel = sys.argv[1]",
                "with zipfile.ZipFile(wheel) as archive:",
                "    names = archive.namelist()",
                "    record = [row for row in csv.reader(io.TextIOWrapper(archive.open('event_schema-1.0.0.dist-info/RECORD'), 'utf-8')) if row]",
                "    for name, digest, size in record:",
                "        if not digest: continue",
                "        data = archive.read(name)",
                "        assert digest == 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode(), name",
                "        assert int(size) == len(data), name",
                "    wheel_meta = archive.read('event_schema-1.0.0.dist-info/WHEEL').decode()",
                "    assert 'Root-Is-Purelib: true' in wheel_meta and 'Tag: py3-none-any' in wheel_meta",
                "sys.path.insert(0, wheel)",
                "import event_schema",
                "print(sorted(names)); print(event_schema.PROCESSED_EVENTS_PREFIX)",
            ].join("\n");
            const result = spawnSync("python3", ["-c", check, file], { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stdout, /processed\/daily\/events\//);
            assert.match(result.stdout, /'event_schema\.py'/);
        });

        it("installs with pip, as Glue installs --extra-py-files wheels", function () {
            if (spawnSync("python3", ["-m", "pip", "--version"]).status !== 0) this.skip();
            const { dir, file } = wheelDir();
            const target = path.join(dir, "site");
            const install = spawnSync("python3", ["-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir", "--target", target, file], {
                encoding: "utf8",
                env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
            });
            assert.strictEqual(install.status, 0, install.stderr);
            assert.ok(fs.existsSync(path.join(target, "event_schema.py")));
        });

        it("has bytes that depend only on the module's content", () => {
            const first = Buffer.from(schemaWheel());
            assert.deepStrictEqual(Buffer.from(schemaWheel()), first);
            const dir = copyScripts();
            fs.appendFileSync(path.join(dir, GLUE_SCRIPT_FILES.schema), "\n# changed\n");
            assert.notDeepStrictEqual(Buffer.from(schemaWheel(dir)), first);
        });
    });

    describe("script redeploys", () => {
        let dir: string;
        beforeEach(() => {
            dir = copyScripts();
        });
        afterEach(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        const hashes = (run: ProgramRun): Record<GlueScript, string> => {
            const byKey = new Map(ofType(run, OBJECT).map((o: RecordedResource) => [inputsOf(o).key, inputsOf(o).sourceHash]));
            return {
                processing: byKey.get(`scripts/${GLUE_SCRIPT_FILES.processing}`),
                quality: byKey.get(`scripts/${GLUE_SCRIPT_FILES.quality}`),
                schema: byKey.get(`scripts/${GLUE_SCRIPT_FILES.schema}`),
            } as Record<GlueScript, string>;
        };

        it("changes the processing script's sourceHash (and only it) when its content changes", async () => {
            const before = hashes(await runEtl({ scriptsDir: dir }));
            const file = path.join(dir, GLUE_SCRIPT_FILES.processing);
            fs.appendFileSync(file, "\n# changed\n");
            const after = hashes(await runEtl({ scriptsDir: dir }));
            assert.notStrictEqual(after.processing, before.processing);
            assert.strictEqual(after.processing, scriptHash(file));
            assert.strictEqual(after.quality, before.quality);
            assert.strictEqual(after.schema, before.schema);
        });

        it("hashes content, not the path: identical copies hash alike", () => {
            for (const file of Object.values(GLUE_SCRIPT_FILES)) {
                assert.strictEqual(scriptHash(path.join(dir, file)), scriptHash(path.join(GLUE_SCRIPTS_DIR, file)));
            }
        });
    });

    describe("through the platform", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                const kms = fixtureConfig(stack).encryption.kms;
                let run: ProgramRun;
                before(async () => {
                    run = await runStack(stack);
                });

                const bucket = (segment: string): string => named(run, TYPE.s3Bucket, `-data-lake-${segment}`).outputs.bucket as string;
                const glueRole = () => named(run, TYPE.iamRole, "-identity-glue");
                const gluePolicy = () => named(run, TYPE.iamRolePolicy, "-identity-glue");

                it("builds the etl component under the platform with the stack's names", () => {
                    const component = named(run, "data-platform:etl:Etl", `${stack}-etl`);
                    assert.strictEqual(component.parent, named(run, "data-platform:platform:Platform", stack).urn);
                    assert.strictEqual(inputsOf(named(run, DATABASE, "-etl-catalog")).name, `${stack}_data_lake_catalog`);
                    assert.deepStrictEqual(
                        ofType(run, CRAWLER)
                            .map((c) => inputsOf(c).name)
                            .sort(),
                        [`${stack}-processed-data-crawler`, `${stack}-raw-data-crawler`],
                    );
                    assert.deepStrictEqual(
                        ofType(run, JOB)
                            .map((j) => inputsOf(j).name)
                            .sort(),
                        [`${stack}-data-processing-job`, `${stack}-data-quality-job`],
                    );
                    assert.strictEqual(inputsOf(named(run, WORKFLOW, "-etl-workflow")).name, `${stack}-etl-workflow`);
                });

                it("runs every crawler and job as the identity tier's Glue role, after its policies exist", () => {
                    const roleArn = glueRole().outputs.arn;
                    assert.match(String(roleArn), /^arn:aws:iam::\d{12}:role\//);
                    for (const resource of [...ofType(run, CRAWLER), ...ofType(run, JOB)]) {
                        const inputs = inputsOf(resource);
                        assert.strictEqual(inputs.role ?? inputs.roleArn, roleArn, resource.name);
                        assert.ok(resource.dependencies.includes(gluePolicy().urn), `${resource.name} waits for the Glue role policy`);
                    }
                });

                it("points crawlers, jobs and scripts at the data lake tier's buckets", () => {
                    const [lake, scripts, outputs] = [bucket("data-lake"), bucket("glue-scripts"), bucket("glue-outputs")];
                    assert.match(lake, new RegExp(`^${stack}-data-lake-[0-9a-f]{8}$`));
                    assert.deepStrictEqual(inputsOf(named(run, CRAWLER, "-raw-crawler")).s3Targets, [{ path: `s3://${lake}/raw/` }]);
                    assert.deepStrictEqual(inputsOf(named(run, CRAWLER, "-processed-crawler")).s3Targets, [{ path: `s3://${lake}/processed/` }]);
                    const processing = jobNamed(run, `${stack}-data-processing-job`);
                    assert.strictEqual(processing.command.scriptLocation, `s3://${scripts}/scripts/data_processing.py`);
                    assert.strictEqual(processing.defaultArguments["--TempDir"], `s3://${scripts}/temp/`);
                    assert.strictEqual(processing.defaultArguments["--spark-event-logs-path"], `s3://${outputs}/spark-event-logs/`);
                    assert.strictEqual(processing.defaultArguments["--DATA_LAKE_BUCKET"], lake);
                    assert.strictEqual(jobNamed(run, `${stack}-data-quality-job`).command.scriptLocation, `s3://${scripts}/scripts/data_quality.py`);
                    for (const object of ofType(run, OBJECT).filter((o) => o.name.includes("-etl-")))
                        assert.strictEqual(inputsOf(object).bucket, scripts);
                });

                it("exports the Glue names (no secrets) as the `glue` stack output", () => {
                    assert.deepStrictEqual(run.stackOutputs.glue, {
                        databaseName: `${stack}_data_lake_catalog`,
                        crawlerNames: { raw: `${stack}-raw-data-crawler`, processed: `${stack}-processed-data-crawler` },
                        jobNames: { processing: `${stack}-data-processing-job`, quality: `${stack}-data-quality-job` },
                        workflowName: `${stack}-etl-workflow`,
                    });
                });

                it(
                    kms
                        ? "encrypts S3, CloudWatch and bookmarks with the stack's storage and logs keys"
                        : "uses SSE-S3 and no KMS (the stack has no keys)",
                    () => {
                        const encryption = inputsOf(named(run, SECURITY, "-etl-security")).encryptionConfiguration;
                        if (!kms) {
                            assert.deepStrictEqual(encryption, {
                                s3Encryption: { s3EncryptionMode: "SSE-S3" },
                                cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
                                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
                            });
                            return;
                        }
                        const storage = named(run, TYPE.kmsKey, "-encryption-storage").outputs.arn;
                        const logs = named(run, TYPE.kmsKey, "-encryption-logs").outputs.arn;
                        assert.deepStrictEqual(encryption, {
                            s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: storage },
                            cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: logs },
                            jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: storage },
                        });
                    },
                );
            });
        }
    });

    it("can be built twice in one program (child names derive from the component name)", async () => {
        const args: EtlArgs = { naming: new Naming("test"), glueRoleArn: ROLE_ARN, buckets: BUCKETS, config: defaultEtlConfig() };
        const run = await runProgram({
            stack: "test",
            config: { "aws:region": "us-east-2" },
            program: () => [new Etl("first", args), new Etl("second", args)],
        });
        assert.strictEqual(ofType(run, JOB).length, 4);
    });

    describe("Glue scripts (tools/check-glue-scripts.sh: py_compile, Python 3.9 grammar, unit tests)", () => {
        const checkScript = path.join(ROOT_DIR, "tools", "check-glue-scripts.sh");
        const check = (env: NodeJS.ProcessEnv = {}) => spawnSync("bash", [checkScript], { encoding: "utf8", env: { ...process.env, ...env } });

        // One run of the check on assets/glue serves the two tests about it.
        let shipped: ReturnType<typeof check>;
        before(() => {
            shipped = check();
        });

        it("passes on the scripts in assets/glue", () => {
            const result = shipped;
            assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`);
            for (const file of Object.values(GLUE_SCRIPT_FILES)) assert.match(result.stdout, new RegExp(`compiled .*${file.replace(".", "\\.")}`));
        });

        it("fails on a syntax error", () => {
            const dir = copyScripts();
            try {
                fs.appendFileSync(path.join(dir, GLUE_SCRIPT_FILES.processing), "\ndef broken(:\n");
                const result = check({ GLUE_SCRIPTS_DIR: dir });
                assert.notStrictEqual(result.status, 0);
                assert.match(result.stderr, /SyntaxError/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("fails when the Python shell script uses syntax newer than Python 3.9", () => {
            const dir = copyScripts();
            try {
                fs.appendFileSync(path.join(dir, GLUE_SCRIPT_FILES.quality), "\nmatch 1:\n    case 1:\n        pass\n");
                const result = check({ GLUE_SCRIPTS_DIR: dir });
                assert.notStrictEqual(result.status, 0);
                assert.match(result.stderr, /SyntaxError/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("leaves no bytecode in assets/glue", () => {
            assert.strictEqual(shipped.status, 0, shipped.stderr);
            assert.ok(!fs.existsSync(path.join(GLUE_SCRIPTS_DIR, "__pycache__")));
        });
    });
});
