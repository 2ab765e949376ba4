import * as assert from "assert";
import { S3_OBJECT_ACTIONS } from "../../components/data-lake/data-lake";
import { BUCKET_SEGMENTS, BucketPurpose } from "../../components/data-lake/layout";
import { KeyPurpose } from "../../components/encryption/keys";
import { ECR_PULL_ACTIONS } from "../../components/registry/registry";
import { MOCK_ACCOUNT_ID } from "../../tools/mock-cloud";
import { Encryption } from "../../components/encryption/encryption";
import { Identity, IdentityArgs } from "../../components/identity/identity";
import { Naming } from "../../components/shared/naming";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, fixtureConfig, inputsOf, named, ofType, runStack } from "../support/helpers";
import { Fixture, REGION, fixtureFor, runTierChain } from "../support/iam-fixtures";
import {
    Decision,
    Request,
    RoleUnderTest,
    asList,
    decideAssume,
    expectDecision,
    roleNamed,
    statementsOf,
    wholeServiceActions,
} from "../support/iam-simulation";
import { TYPE } from "../../policy-pack/policies/types";

const BUCKET = TYPE.s3Bucket;
const KMS_KEY = TYPE.kmsKey;
const FOREIGN_ACCOUNT = "999999999999";

function bucketArn(run: ProgramRun, environment: string, purpose: BucketPurpose): string {
    const prefix = `${environment}-${BUCKET_SEGMENTS[purpose]}-`;
    const matches = ofType(run, BUCKET).filter((bucket) => String(inputsOf(bucket).bucket).startsWith(prefix));
    assert.strictEqual(matches.length, 1, `one bucket ${prefix}<hex>`);
    return String(matches[0].outputs.arn);
}

function keyArn(run: ProgramRun, purpose: KeyPurpose): string {
    return String(named(run, KMS_KEY, `-encryption-${purpose}`).outputs.arn);
}

const logStream = (group: string, stream = "stream-1") => `arn:aws:logs:${REGION}:${MOCK_ACCOUNT_ID}:log-group:${group}:log-stream:${stream}`;
const logGroup = (group: string) => `arn:aws:logs:${REGION}:${MOCK_ACCOUNT_ID}:log-group:${group}`;
const viaService = (service: string) => ({ "kms:ViaService": `${service}.${REGION}.amazonaws.com` });

interface Roles {
    readonly glue: RoleUnderTest;
    readonly execution: RoleUnderTest;
    readonly task: RoleUnderTest;
}

type Case = readonly [keyof Roles, Request, Decision | "Denied"];

async function check(run: ProgramRun, roles: Roles, cases: readonly Case[]): Promise<void> {
    for (const [role, request, expected] of cases) await expectDecision(run, roles[role], request, expected);
}

interface Subject {
    readonly run: ProgramRun;
    readonly environment: string;
    readonly fixture: Fixture;
}

/** The platform as `index.ts` builds it: secret and repository ARNs are the ones the secrets and registry tiers registered. */
async function platformSubject(stack: string): Promise<Subject> {
    const run = await runStack(stack);
    const environment = stack;
    const arnOfNamed = (type: string, name: string) => {
        const matches = ofType(run, type).filter((resource) => inputsOf(resource).name === name);
        assert.strictEqual(matches.length, 1, `one ${type} named ${name}`);
        return String(matches[0].outputs.arn);
    };
    const databaseSecret = `${environment}-database-credentials`;
    const built = ofType(run, TYPE.secretsmanagerSecret).some((secret) => inputsOf(secret).name === databaseSecret);
    return {
        run,
        environment,
        fixture: {
            app: arnOfNamed(TYPE.secretsmanagerSecret, `${environment}-app-secrets`),
            // The database secret where the stack builds one, else its would-be ARN: either way "a secret not granted".
            database: built ? arnOfNamed(TYPE.secretsmanagerSecret, databaseSecret) : fixtureFor(environment).database,
            repositories: ["spark-apps", "data-jobs", "glue-jobs"].map((repo) => arnOfNamed(TYPE.ecrRepository, `${environment}-${repo}`)),
            foreignRepository: fixtureFor(environment).foreignRepository,
        },
    };
}

/** The encryption → data-lake → identity chain alone, with literal secret and repository ARNs. */
async function chainSubject(stack: string): Promise<Subject> {
    const chain = await runTierChain(stack);
    return { run: chain.run, environment: chain.config.environment, fixture: chain.fixture };
}

const SUBJECTS: readonly [string, (stack: string) => Promise<Subject>][] = [
    ["in the platform", platformSubject],
    ["built alone with literal ARNs", chainSubject],
];

describe("identity tier", () => {
    describe("stack outputs", () => {
        for (const stack of STACKS) {
            it(`${stack}: exports the three role ARNs as roleArns`, async () => {
                const run = await runStack(stack);
                assert.ok(fixtureConfig(stack).etl.enabled, "the fixture runs the ETL tier, so it has a Glue role");
                assert.deepStrictEqual(run.stackOutputs.roleArns, {
                    glue: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${stack}-glue-service-role`,
                    taskExecution: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${stack}-ecs-task-execution-role`,
                    task: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${stack}-ecs-task-role`,
                });
            });
        }
    });

    describe("what the platform's tasks and Glue jobs use, their roles may do", () => {
        for (const stack of STACKS) {
            it(`${stack}: the execution role pulls every task image, reads every injected secret and writes every task log group`, async () => {
                const { run } = await platformSubject(stack);
                const execution = roleNamed(run, `${stack}-ecs-task-execution-role`);
                const task = roleNamed(run, `${stack}-ecs-task-role`);
                const definitions = ofType(run, TYPE.ecsTaskDefinition);
                const [containers] = ofType(run, "data-platform:containers:Containers");
                const dataTasks = definitions.filter((definition) => definition.parent === containers.urn);
                assert.ok(dataTasks.length >= 2, "the containers tier registers its task definitions");
                for (const definition of definitions) {
                    // Every task on the cluster (the edge's web task too) pulls and logs with the execution role;
                    // only the data tasks run as the data task role, whose grants are theirs.
                    assert.strictEqual(inputsOf(definition).executionRoleArn, execution.arn, definition.name);
                    if (dataTasks.includes(definition)) assert.strictEqual(inputsOf(definition).taskRoleArn, task.arn, definition.name);
                    else assert.notStrictEqual(inputsOf(definition).taskRoleArn, task.arn, `${definition.name} runs as a role of its own`);
                    for (const container of JSON.parse(inputsOf(definition).containerDefinitions as string) as Record<string, any>[]) {
                        const image = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(container.image);
                        assert.ok(image, `${container.name} runs an ECR image: ${container.image}`);
                        const repository = `arn:aws:ecr:${image[2]}:${image[1]}:repository/${image[3]}`;
                        for (const action of ECR_PULL_ACTIONS) await expectDecision(run, execution, { action, resource: repository }, "Allowed");
                        for (const secret of (container.secrets ?? []) as { valueFrom: string }[]) {
                            const secretArn = secret.valueFrom.split(":").slice(0, 7).join(":");
                            await expectDecision(run, execution, { action: "secretsmanager:GetSecretValue", resource: secretArn }, "Allowed");
                            const secretKey = inputsOf(
                                ofType(run, TYPE.secretsmanagerSecret).find((candidate) => candidate.outputs.arn === secretArn)!,
                            ).kmsKeyId;
                            assert.strictEqual(
                                secretKey !== undefined,
                                stack !== "dev",
                                "the injected secret uses the secrets key exactly when the stack has keys",
                            );
                            if (secretKey !== undefined) {
                                await expectDecision(
                                    run,
                                    execution,
                                    { action: "kms:Decrypt", resource: secretKey, context: viaService("secretsmanager") },
                                    "Allowed",
                                );
                            }
                        }
                        const options = container.logConfiguration.options as Record<string, string>;
                        const stream = logStream(options["awslogs-group"], `${options["awslogs-stream-prefix"]}/${container.name}/0123`);
                        for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
                            await expectDecision(run, execution, { action, resource: stream }, "Allowed");
                            await expectDecision(run, task, { action, resource: stream }, "ImplicitlyDenied");
                        }
                    }
                }
            });

            it(`${stack}: the Glue role reads every job script and crawler path and writes the jobs' temporary and event-log paths`, async () => {
                const { run } = await platformSubject(stack);
                const glue = roleNamed(run, `${stack}-glue-service-role`);
                const s3Object = (url: string, key = "") => `arn:aws:s3:::${url.replace(/^s3:\/\//, "")}${key}`;
                const jobs = ofType(run, TYPE.glueJob);
                const crawlers = ofType(run, TYPE.glueCrawler);
                assert.ok(jobs.length >= 2 && crawlers.length >= 2, "the etl tier registers its jobs and crawlers");
                for (const job of jobs) {
                    const inputs = inputsOf(job);
                    assert.strictEqual(inputs.roleArn, glue.arn, job.name);
                    await expectDecision(run, glue, { action: "s3:GetObject", resource: s3Object(inputs.command.scriptLocation) }, "Allowed");
                    const args = inputs.defaultArguments as Record<string, string>;
                    await expectDecision(run, glue, { action: "s3:PutObject", resource: s3Object(args["--TempDir"], "part-0") }, "Allowed");
                    if (args["--spark-event-logs-path"]) {
                        await expectDecision(
                            run,
                            glue,
                            { action: "s3:PutObject", resource: s3Object(args["--spark-event-logs-path"], "event-1") },
                            "Allowed",
                        );
                    }
                }
                for (const crawler of crawlers) {
                    assert.strictEqual(inputsOf(crawler).role, glue.arn, crawler.name);
                    for (const target of inputsOf(crawler).s3Targets as { path: string }[]) {
                        await expectDecision(run, glue, { action: "s3:GetObject", resource: s3Object(target.path, "events/part-0.json") }, "Allowed");
                        await expectDecision(
                            run,
                            glue,
                            { action: "s3:ListBucket", resource: s3Object(target.path.split("/").slice(0, 3).join("/")) },
                            "Allowed",
                        );
                    }
                }
            });
        }
    });

    for (const [label, load] of SUBJECTS)
        for (const stack of STACKS) {
            describe(`${stack} (${label})`, () => {
                const kms = stack !== "dev";
                let run: ProgramRun;
                let environment: string;
                let fixture: Fixture;
                let roles: Roles;
                let buckets: Record<BucketPurpose, string>;
                const allRoles = (): RoleUnderTest[] => [roles.glue, roles.execution, roles.task];
                const objectIn = (purpose: BucketPurpose) => `${buckets[purpose]}/raw/events/part-0000.json`;

                before(async () => {
                    ({ run, environment, fixture } = await load(stack));
                    roles = {
                        glue: roleNamed(run, `${environment}-glue-service-role`),
                        execution: roleNamed(run, `${environment}-ecs-task-execution-role`),
                        task: roleNamed(run, `${environment}-ecs-task-role`),
                    };
                    buckets = {
                        dataLake: bucketArn(run, environment, "dataLake"),
                        glueScripts: bucketArn(run, environment, "glueScripts"),
                        glueOutputs: bucketArn(run, environment, "glueOutputs"),
                        accessLogs: bucketArn(run, environment, "accessLogs"),
                    };
                });

                it("trust policies admit only the role's service (the task role: only for this account)", async () => {
                    // aws:SourceAccount only where the service documents sending it (ECS task roles).
                    const expectations: [RoleUnderTest, string, string, boolean][] = [
                        [roles.glue, "glue.amazonaws.com", "ecs-tasks.amazonaws.com", false],
                        [roles.execution, "ecs-tasks.amazonaws.com", "glue.amazonaws.com", false],
                        [roles.task, "ecs-tasks.amazonaws.com", "glue.amazonaws.com", true],
                    ];
                    for (const [role, service, otherService, accountBound] of expectations) {
                        assert.deepStrictEqual(
                            role.trustPolicy,
                            {
                                Version: "2012-10-17",
                                Statement: [
                                    {
                                        Effect: "Allow",
                                        Principal: { Service: service },
                                        Action: "sts:AssumeRole",
                                        ...(accountBound ? { Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } } } : {}),
                                    },
                                ],
                            },
                            role.name,
                        );
                        assert.strictEqual(await decideAssume(role, service, MOCK_ACCOUNT_ID), "Allowed", `${service} assumes ${role.name}`);
                        if (accountBound) {
                            assert.notStrictEqual(
                                await decideAssume(role, service, FOREIGN_ACCOUNT),
                                "Allowed",
                                `${service} for another account (confused deputy) assumes ${role.name}`,
                            );
                        }
                        assert.notStrictEqual(
                            await decideAssume(role, otherService, MOCK_ACCOUNT_ID),
                            "Allowed",
                            `${otherService} assumes ${role.name}`,
                        );
                    }
                });

                it("attaches AWSGlueServiceRole (partition-aware ARN) to the Glue role and no AWS-managed policy to the ECS roles", () => {
                    assert.deepStrictEqual(roles.glue.awsManagedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]);
                    // AmazonECSTaskExecutionRolePolicy grants ECR pulls and log writes on "*": its grants are inlined, scoped.
                    assert.deepStrictEqual(roles.execution.awsManagedPolicyArns, []);
                    assert.deepStrictEqual(roles.task.awsManagedPolicyArns, []);
                    const getPartition = run.cloud.calls.filter((token) => token === "aws:index/getPartition:getPartition");
                    assert.ok(getPartition.length > 0, "the partition comes from aws.getPartition");
                });

                it('no statement grants Action "*" or a whole service', () => {
                    for (const role of allRoles()) {
                        for (const { name, policy } of role.policies) {
                            for (const statement of statementsOf(policy)) {
                                assert.deepStrictEqual(wholeServiceActions(statement), [], `${role.name} policy ${name} statement ${statement.Sid}`);
                            }
                        }
                    }
                });

                it('only ecr:GetAuthorizationToken is granted on "*"', () => {
                    const onStar = allRoles().flatMap((role) =>
                        role.policies.flatMap(({ policy }) =>
                            statementsOf(policy)
                                .filter(
                                    (statement) =>
                                        statement.Resource === "*" || (Array.isArray(statement.Resource) && statement.Resource.includes("*")),
                                )
                                .map((statement) => `${role.name}:${String(statement.Action)}`),
                        ),
                    );
                    assert.deepStrictEqual(onStar, [`${environment}-ecs-task-execution-role:ecr:GetAuthorizationToken`]);
                });

                it("Glue role reads and writes exactly the data lake, Glue scripts and Glue outputs buckets", async () => {
                    const cases: Case[] = [];
                    for (const purpose of ["dataLake", "glueScripts", "glueOutputs"] as const) {
                        for (const action of S3_OBJECT_ACTIONS) cases.push(["glue", { action, resource: objectIn(purpose) }, "Allowed"]);
                        cases.push(["glue", { action: "s3:ListBucket", resource: buckets[purpose] }, "Allowed"]);
                    }
                    cases.push(
                        ["glue", { action: "s3:GetObject", resource: objectIn("accessLogs") }, "ImplicitlyDenied"],
                        ["glue", { action: "s3:PutObject", resource: "arn:aws:s3:::someone-elses-bucket/x" }, "ImplicitlyDenied"],
                        ["glue", { action: "s3:PutBucketPolicy", resource: buckets.dataLake }, "ImplicitlyDenied"],
                    );
                    await check(run, roles, cases);
                });

                it("Glue role cannot read secrets or pull images, and writes logs only under /aws-glue/", async () => {
                    await check(run, roles, [
                        ["glue", { action: "secretsmanager:GetSecretValue", resource: fixture.app }, "ImplicitlyDenied"],
                        ["glue", { action: "secretsmanager:GetSecretValue", resource: fixture.database }, "ImplicitlyDenied"],
                        ["glue", { action: "ecr:BatchGetImage", resource: fixture.repositories[2] }, "ImplicitlyDenied"],
                        ["glue", { action: "logs:PutLogEvents", resource: logStream("/aws-glue/jobs/output") }, "Allowed"],
                        ["glue", { action: "logs:CreateLogGroup", resource: logGroup("/aws-glue/crawlers") }, "Allowed"],
                        ["glue", { action: "logs:PutLogEvents", resource: logStream(`/ecs/${environment}-data-processing`) }, "ImplicitlyDenied"],
                    ]);
                });

                it('task-execution role pulls from the platform\'s repositories only (GetAuthorizationToken on "*")', async () => {
                    const cases: Case[] = [["execution", { action: "ecr:GetAuthorizationToken", resource: "*" }, "Allowed"]];
                    for (const repository of fixture.repositories) {
                        for (const action of ECR_PULL_ACTIONS) cases.push(["execution", { action, resource: repository }, "Allowed"]);
                    }
                    for (const action of ECR_PULL_ACTIONS)
                        cases.push(["execution", { action, resource: fixture.foreignRepository }, "ImplicitlyDenied"]);
                    cases.push(
                        ["execution", { action: "ecr:PutImage", resource: fixture.repositories[0] }, "ImplicitlyDenied"],
                        ["task", { action: "ecr:BatchGetImage", resource: fixture.repositories[0] }, "ImplicitlyDenied"],
                    );
                    await check(run, roles, cases);
                });

                it("task-execution role reads the injected app secret, not the database secret, and writes only ECS task logs", async () => {
                    await check(run, roles, [
                        ["execution", { action: "secretsmanager:GetSecretValue", resource: fixture.app }, "Allowed"],
                        ["execution", { action: "secretsmanager:GetSecretValue", resource: fixture.database }, "ImplicitlyDenied"],
                        ["execution", { action: "secretsmanager:PutSecretValue", resource: fixture.app }, "ImplicitlyDenied"],
                        ["execution", { action: "logs:CreateLogStream", resource: logStream(`/ecs/${environment}-data-processing`) }, "Allowed"],
                        ["execution", { action: "logs:PutLogEvents", resource: logStream(`/ecs/${environment}-spark-job`) }, "Allowed"],
                        ["execution", { action: "logs:PutLogEvents", resource: logStream("/aws-glue/jobs/output") }, "ImplicitlyDenied"],
                        ["execution", { action: "s3:GetObject", resource: objectIn("dataLake") }, "ImplicitlyDenied"],
                    ]);
                });

                it("task role reads and writes the data lake bucket only, reads the app secret, the data stores' secrets and the lake's catalog", async () => {
                    // In the platform the task connects to the stack's database, so it reads the secret describing it; alone, nothing grants that.
                    const readsDatabaseSecret = label === "in the platform" && fixtureConfig(stack).database.enabled;
                    const cases: Case[] = [];
                    for (const action of S3_OBJECT_ACTIONS) cases.push(["task", { action, resource: objectIn("dataLake") }, "Allowed"]);
                    cases.push(
                        ["task", { action: "s3:ListBucket", resource: buckets.dataLake }, "Allowed"],
                        ["task", { action: "s3:PutObject", resource: objectIn("glueScripts") }, "ImplicitlyDenied"],
                        ["task", { action: "s3:GetObject", resource: objectIn("glueScripts") }, "ImplicitlyDenied"],
                        ["task", { action: "s3:GetObject", resource: objectIn("glueOutputs") }, "ImplicitlyDenied"],
                        ["task", { action: "s3:GetObject", resource: objectIn("accessLogs") }, "ImplicitlyDenied"],
                        ["task", { action: "secretsmanager:GetSecretValue", resource: fixture.app }, "Allowed"],
                        [
                            "task",
                            { action: "secretsmanager:GetSecretValue", resource: fixture.database },
                            readsDatabaseSecret ? "Allowed" : "ImplicitlyDenied",
                        ],
                        ["task", { action: "secretsmanager:PutSecretValue", resource: fixture.database }, "ImplicitlyDenied"],
                        ["task", { action: "iam:PassRole", resource: roles.glue.arn }, "ImplicitlyDenied"],
                    );
                    // The catalog audit task lists the stack's catalog tables (boto3 get_tables), nothing else of Glue.
                    const glueArn = (resource: string) => `arn:aws:glue:${REGION}:${MOCK_ACCOUNT_ID}:${resource}`;
                    const database = `${environment.replace(/-/g, "_")}_data_lake_catalog`;
                    for (const resource of [glueArn("catalog"), glueArn(`database/${database}`), glueArn(`table/${database}/raw_events`)])
                        cases.push(["task", { action: "glue:GetTables", resource }, "Allowed"]);
                    cases.push(
                        ["task", { action: "glue:GetTables", resource: glueArn("database/other_catalog") }, "ImplicitlyDenied"],
                        ["task", { action: "glue:DeleteTable", resource: glueArn(`table/${database}/raw_events`) }, "ImplicitlyDenied"],
                        ["execution", { action: "glue:GetTables", resource: glueArn(`database/${database}`) }, "ImplicitlyDenied"],
                    );
                    await check(run, roles, cases);
                });

                it("no role can delete a bucket or change a bucket policy; the bucket policies refuse requests without TLS", async () => {
                    const cases: Case[] = [];
                    for (const role of ["glue", "execution", "task"] as const) {
                        for (const purpose of Object.keys(buckets) as BucketPurpose[]) {
                            cases.push([role, { action: "s3:DeleteBucket", resource: buckets[purpose] }, "Denied"]);
                            cases.push([role, { action: "s3:DeleteBucketPolicy", resource: buckets[purpose] }, "Denied"]);
                        }
                    }
                    cases.push(
                        [
                            "task",
                            { action: "s3:GetObject", resource: objectIn("dataLake"), context: { "aws:SecureTransport": "false" } },
                            "ExplicitlyDenied",
                        ],
                        [
                            "glue",
                            { action: "s3:PutObject", resource: objectIn("glueScripts"), context: { "aws:SecureTransport": "false" } },
                            "ExplicitlyDenied",
                        ],
                    );
                    await check(run, roles, cases);
                });

                if (kms) {
                    it("KMS: each role uses only the keys its job needs, through the service that needs them", async () => {
                        const storage = keyArn(run, "storage");
                        const secrets = keyArn(run, "secrets");
                        await check(run, roles, [
                            ["glue", { action: "kms:Decrypt", resource: storage }, "Allowed"],
                            ["glue", { action: "kms:GenerateDataKey", resource: storage }, "Allowed"],
                            ["glue", { action: "kms:Decrypt", resource: secrets }, "ImplicitlyDenied"],
                            ["task", { action: "kms:GenerateDataKey", resource: storage, context: viaService("s3") }, "Allowed"],
                            ["task", { action: "kms:Decrypt", resource: storage, context: viaService("s3") }, "Allowed"],
                            ["task", { action: "kms:Decrypt", resource: storage }, "ImplicitlyDenied"],
                            ["task", { action: "kms:Decrypt", resource: secrets, context: viaService("secretsmanager") }, "Allowed"],
                            ["execution", { action: "kms:Decrypt", resource: secrets, context: viaService("secretsmanager") }, "Allowed"],
                            ["execution", { action: "kms:Decrypt", resource: secrets }, "ImplicitlyDenied"],
                            ["execution", { action: "kms:Decrypt", resource: storage, context: viaService("s3") }, "ImplicitlyDenied"],
                            ["execution", { action: "kms:Decrypt", resource: keyArn(run, "logs") }, "ImplicitlyDenied"],
                        ]);
                        for (const role of ["glue", "execution", "task"] as const) {
                            for (const purpose of ["storage", "secrets", "logs", "registry"] as const) {
                                await expectDecision(
                                    run,
                                    roles[role],
                                    { action: "kms:ScheduleKeyDeletion", resource: keyArn(run, purpose) },
                                    "Denied",
                                );
                                await expectDecision(run, roles[role], { action: "kms:PutKeyPolicy", resource: keyArn(run, purpose) }, "Denied");
                            }
                        }
                    });
                } else {
                    it("without customer-managed keys no statement mentions KMS", () => {
                        for (const role of allRoles()) {
                            const actions = role.policies.flatMap(({ policy }) =>
                                statementsOf(policy).flatMap((statement) => asList(statement.Action)),
                            );
                            assert.deepStrictEqual(
                                actions.filter((action) => action.startsWith("kms:")),
                                [],
                                role.name,
                            );
                        }
                    });
                }

                it("tags every role", () => {
                    for (const role of allRoles()) {
                        assert.deepStrictEqual(inputsOf(role.resource).tags, {
                            Name: role.name,
                            Environment: environment,
                            Project: "data-platform",
                            ManagedBy: "pulumi",
                            Tier: "identity",
                        });
                    }
                });
            });
        }

    describe("what the platform's workloads may do with the data stores", () => {
        for (const stack of STACKS) {
            const config = fixtureConfig(stack);
            const stores = [config.database.enabled && "database", config.streaming.enabled && "streaming"].filter(Boolean);
            it(`${stack}: the task role ${stores.length > 0 ? `uses ${stores.join(" and ")} as the stack's client, nothing else of them` : "gets no data-store grant (no database, no streaming)"}`, async () => {
                const run = await runStack(stack);
                const task = roleNamed(run, `${stack}-ecs-task-role`);
                const execution = roleNamed(run, `${stack}-ecs-task-execution-role`);
                const actions = (role: RoleUnderTest) =>
                    role.policies.flatMap(({ policy }) => statementsOf(policy).flatMap((statement) => asList(statement.Action)));
                for (const role of [task, execution]) {
                    const storeActions = actions(role).filter((action) => /^(rds-db|kafka-cluster):/.test(action));
                    if (role === execution || stores.length === 0) assert.deepStrictEqual(storeActions, [], role.name);
                }
                if (config.database.enabled) {
                    const [instance] = ofType(run, TYPE.rdsInstance);
                    const dbUser = (user: string) =>
                        `arn:aws:rds-db:${REGION}:${MOCK_ACCOUNT_ID}:dbuser:${String(instance.outputs.resourceId)}/${user}`;
                    await expectDecision(run, task, { action: "rds-db:connect", resource: dbUser(config.database.iamUsername) }, "Allowed");
                    await expectDecision(
                        run,
                        task,
                        { action: "rds-db:connect", resource: dbUser(config.database.masterUsername) },
                        "ImplicitlyDenied",
                    );
                    await expectDecision(
                        run,
                        execution,
                        { action: "rds-db:connect", resource: dbUser(config.database.iamUsername) },
                        "ImplicitlyDenied",
                    );
                    await expectDecision(
                        run,
                        task,
                        {
                            action: "secretsmanager:GetSecretValue",
                            resource: String((instance.outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn),
                        },
                        "ImplicitlyDenied",
                    );
                }
                if (config.streaming.enabled) {
                    const [cluster] = ofType(run, TYPE.mskCluster);
                    const clusterArn = String(cluster.outputs.arn);
                    const topicArn = (topic: string) => `${clusterArn.replace(":cluster/", ":topic/")}/${topic}`;
                    await expectDecision(run, task, { action: "kafka-cluster:Connect", resource: clusterArn }, "Allowed");
                    assert.ok(config.streaming.topics.length > 0, "the fixture configures topics");
                    for (const { name } of config.streaming.topics) {
                        for (const action of ["kafka-cluster:ReadData", "kafka-cluster:WriteData"])
                            await expectDecision(run, task, { action, resource: topicArn(name) }, "Allowed");
                    }
                    await expectDecision(
                        run,
                        task,
                        { action: "kafka-cluster:WriteData", resource: topicArn("not-a-configured-topic") },
                        "ImplicitlyDenied",
                    );
                    await expectDecision(
                        run,
                        task,
                        { action: "kafka-cluster:DeleteTopic", resource: topicArn(config.streaming.topics[0].name) },
                        "ImplicitlyDenied",
                    );
                    await expectDecision(run, execution, { action: "kafka-cluster:Connect", resource: clusterArn }, "ImplicitlyDenied");
                }
            });
        }
    });

    describe("built alone, for stacks without the lake or the ETL tier", () => {
        const ENV = "test";
        const APP_SECRET = `arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT_ID}:secret:${ENV}-app-secrets-AbC123`;
        const bucket = (segment: string) => ({ name: `${ENV}-${segment}-0123abcd`, arn: `arn:aws:s3:::${ENV}-${segment}-0123abcd` });
        const BUCKETS = { dataLake: bucket("data-lake"), glueScripts: bucket("glue-scripts"), glueOutputs: bucket("glue-outputs") };
        const DB_USER = `arn:aws:rds-db:${REGION}:${MOCK_ACCOUNT_ID}:dbuser:db-ABCDEFGHIJ/platform_app`;
        const runIdentity = (args: Partial<Pick<IdentityArgs, "buckets" | "glue" | "dataStoreStatements">>) =>
            runProgram({
                stack: ENV,
                config: { "aws:region": REGION },
                program: () => {
                    // The keys too, so the simulator evaluates their policies.
                    const encryption = new Encryption("t-encryption", { naming: new Naming(ENV), region: REGION, protect: false });
                    new Identity("t-identity", {
                        naming: new Naming(ENV),
                        region: REGION,
                        repositoryArns: [`arn:aws:ecr:${REGION}:${MOCK_ACCOUNT_ID}:repository/${ENV}-web`],
                        executionSecretArns: [],
                        taskSecretArns: [APP_SECRET],
                        keys: { storage: encryption.keyArns.storage, secrets: encryption.keyArns.secrets },
                        ...args,
                    });
                },
            });
        const roleNames = (run: ProgramRun) =>
            ofType(run, TYPE.iamRole)
                .map((role) => String(inputsOf(role).name))
                .sort();

        it("without buckets: no Glue role, and a task role with neither the lake, its catalog nor the storage key", async () => {
            const run = await runIdentity({});
            assert.deepStrictEqual(roleNames(run), [`${ENV}-ecs-task-execution-role`, `${ENV}-ecs-task-role`]);
            const task = roleNamed(run, `${ENV}-ecs-task-role`);
            const actions = task.policies.flatMap(({ policy }) => statementsOf(policy).flatMap((statement) => asList(statement.Action)));
            assert.deepStrictEqual(
                actions.filter((action) => /^(s3|glue):/.test(action)),
                [],
            );
            await expectDecision(run, task, { action: "s3:GetObject", resource: `${BUCKETS.dataLake.arn}/raw/x` }, "ImplicitlyDenied");
            await expectDecision(
                run,
                task,
                { action: "kms:Decrypt", resource: keyArn(run, "storage"), context: viaService("s3") },
                "ImplicitlyDenied",
            );
            await expectDecision(run, task, { action: "secretsmanager:GetSecretValue", resource: APP_SECRET }, "Allowed");
            await expectDecision(
                run,
                task,
                { action: "kms:Decrypt", resource: keyArn(run, "secrets"), context: viaService("secretsmanager") },
                "Allowed",
            );
        });

        it("buckets with glue: false: no Glue role, the task role still reads and writes the data lake", async () => {
            const run = await runIdentity({ buckets: BUCKETS, glue: false });
            assert.deepStrictEqual(roleNames(run), [`${ENV}-ecs-task-execution-role`, `${ENV}-ecs-task-role`]);
            const task = roleNamed(run, `${ENV}-ecs-task-role`);
            for (const action of S3_OBJECT_ACTIONS) await expectDecision(run, task, { action, resource: `${BUCKETS.dataLake.arn}/raw/x` }, "Allowed");
            await expectDecision(run, task, { action: "kms:Decrypt", resource: keyArn(run, "storage"), context: viaService("s3") }, "Allowed");
        });

        it("buckets without the glue flag: the Glue role exists (glue defaults to true with buckets)", async () => {
            const run = await runIdentity({ buckets: BUCKETS });
            assert.ok(roleNames(run).includes(`${ENV}-glue-service-role`));
        });

        it("appends the data-store statements to the task role only", async () => {
            const statement = { Sid: "ConnectDatabase", Effect: "Allow", Action: "rds-db:connect", Resource: DB_USER };
            const run = await runIdentity({ dataStoreStatements: [statement] });
            const task = roleNamed(run, `${ENV}-ecs-task-role`);
            const execution = roleNamed(run, `${ENV}-ecs-task-execution-role`);
            assert.deepStrictEqual(statementsOf(task.policies[0].policy).at(-1), statement);
            await expectDecision(run, task, { action: "rds-db:connect", resource: DB_USER }, "Allowed");
            await expectDecision(run, execution, { action: "rds-db:connect", resource: DB_USER }, "ImplicitlyDenied");
            const without = await runIdentity({});
            await expectDecision(
                without,
                roleNamed(without, `${ENV}-ecs-task-role`),
                { action: "rds-db:connect", resource: DB_USER },
                "ImplicitlyDenied",
            );
        });
    });
});
