import * as assert from "assert";
import { StackConfig, parseStackConfig } from "../../components/config";
import { Containers, SCRATCH_PATH, TASKS, TaskPurpose, taskPlacement } from "../../components/containers/containers";
import { APP_SECRET_FIELDS } from "../../components/secrets/secrets";
import { Naming } from "../../components/shared/naming";
import { RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import {
    configErrorFor,
    STACKS,
    editConfig,
    idOf,
    inputsOf,
    jsonInput,
    named,
    ofType,
    runStack,
    runStackWith,
    fixtureStack,
    fixtureConfig,
} from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const CLUSTER = TYPE.ecsCluster;
const CAPACITY = TYPE.ecsClusterCapacityProviders;
const TASK_DEFINITION = TYPE.ecsTaskDefinition;
const SERVICE = TYPE.ecsService;
const LOG_GROUP = TYPE.cloudwatchLogGroup;
const SUBNET = TYPE.ec2Subnet;
const SECURITY_GROUP = TYPE.ec2SecurityGroup;
const SECRET = TYPE.secretsmanagerSecret;
const ROLE = TYPE.iamRole;

/** Literal inputs for the tier alone (the platform wires the real ones). */
const LITERALS = {
    executionRoleArn: "arn:aws:iam::123456789012:role/test-execution",
    taskRoleArn: "arn:aws:iam::123456789012:role/test-task",
    imageUris: {
        sparkApps: "123456789012.dkr.ecr.us-east-2.amazonaws.com/t-spark-apps:latest",
        dataJobs: "123456789012.dkr.ecr.us-east-2.amazonaws.com/t-data-jobs:latest",
        glueJobs: "123456789012.dkr.ecr.us-east-2.amazonaws.com/t-glue-jobs:latest",
    },
    subnetIds: ["subnet-0aaa", "subnet-0bbb"],
    appSecurityGroupId: "sg-0app",
    dataLakeBucket: { name: "t-data-lake-0123abcd", arn: "arn:aws:s3:::t-data-lake-0123abcd" },
    appSecretArn: "arn:aws:secretsmanager:us-east-2:123456789012:secret:t-app-secrets-AbCdEf",
};
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/logs-key";

/** Builds the containers tier alone for a stack's config with edits. */
async function runContainers(stack: string, edits: Record<string, unknown> = {}): Promise<ProgramRun> {
    const raw = editConfig(fixtureStack(stack).config, edits);
    const config: StackConfig = parseStackConfig(raw);
    return runProgram({
        stack,
        config: raw,
        program: () =>
            new Containers("t-containers", {
                naming: new Naming(config.environment),
                config: config.containers,
                region: config.region,
                ...LITERALS,
                assignPublicIp: config.containers.placement === "public",
                keys: config.encryption.kms ? { logs: LOGS_KEY } : undefined,
            }),
    });
}

function taskDefinition(run: ProgramRun, purpose: TaskPurpose): RecordedResource {
    return named(run, TASK_DEFINITION, `-${TASKS[purpose].family}`);
}

function container(run: ProgramRun, purpose: TaskPurpose): any {
    const definitions = jsonInput(taskDefinition(run, purpose), "containerDefinitions");
    assert.strictEqual(definitions.length, 1);
    return definitions[0];
}

function expectConfigError(stack: string, edits: Record<string, unknown>, key: string): void {
    const error = configErrorFor(stack, edits);
    assert.ok(
        error.problems.some((problem) => problem.key === key),
        `no problem named ${key}: ${error.message}`,
    );
}

describe("containers tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const insights = stack !== "dev";
            let run: ProgramRun;
            before(async () => {
                run = await runContainers(stack);
            });

            it(`creates ${stack}-data-processing-cluster with Container Insights ${insights ? "enabled" : "disabled"}`, () => {
                const cluster = inputsOf(named(run, CLUSTER, "-cluster"));
                assert.strictEqual(cluster.name, `${stack}-data-processing-cluster`);
                assert.deepStrictEqual(cluster.settings, [{ name: "containerInsights", value: insights ? "enabled" : "disabled" }]);
                assert.strictEqual(cluster.tags.Tier, "containers");
            });

            it("attaches FARGATE and FARGATE_SPOT with spot as the default (weights 1 and 0)", () => {
                const providers = inputsOf(named(run, CAPACITY, "-capacity-providers"));
                assert.strictEqual(providers.clusterName, `${stack}-data-processing-cluster`);
                assert.deepStrictEqual(providers.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
                assert.deepStrictEqual(providers.defaultCapacityProviderStrategies, [
                    { capacityProvider: "FARGATE_SPOT", weight: 1 },
                    { capacityProvider: "FARGATE", weight: 0 },
                ]);
            });

            it("defines data-processing (1024/2048) and spark-job (2048/4096) Fargate tasks in awsvpc mode with both roles", () => {
                const expected: Record<TaskPurpose, [string, string]> = { dataProcessing: ["1024", "2048"], sparkJob: ["2048", "4096"] };
                for (const purpose of Object.keys(expected) as TaskPurpose[]) {
                    const task = inputsOf(taskDefinition(run, purpose));
                    assert.strictEqual(task.family, `${stack}-${TASKS[purpose].family}`);
                    assert.deepStrictEqual([task.cpu, task.memory], expected[purpose]);
                    assert.strictEqual(task.networkMode, "awsvpc");
                    assert.deepStrictEqual(task.requiresCompatibilities, ["FARGATE"]);
                    assert.deepStrictEqual(task.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" });
                    assert.strictEqual(task.executionRoleArn, LITERALS.executionRoleArn);
                    assert.strictEqual(task.taskRoleArn, LITERALS.taskRoleArn);
                }
            });

            it("runs the data-jobs image for data-processing and the spark-apps image for spark-job", () => {
                assert.strictEqual(container(run, "dataProcessing").image, LITERALS.imageUris.dataJobs);
                assert.strictEqual(container(run, "sparkJob").image, LITERALS.imageUris.sparkApps);
                assert.strictEqual(container(run, "dataProcessing").name, "data-processor");
                assert.strictEqual(container(run, "sparkJob").name, "spark-job");
            });

            it("passes S3_BUCKET and ENVIRONMENT as environment and the app secrets only through valueFrom", () => {
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const definition = container(run, purpose);
                    assert.deepStrictEqual(definition.environment, [
                        { name: "S3_BUCKET", value: LITERALS.dataLakeBucket.name },
                        { name: "ENVIRONMENT", value: stack },
                    ]);
                    assert.deepStrictEqual(
                        definition.secrets,
                        APP_SECRET_FIELDS.map((field) => ({
                            name: field.toUpperCase(),
                            valueFrom: `${LITERALS.appSecretArn}:${field}::`,
                        })),
                    );
                    const environmentNames = definition.environment.map((variable: { name: string }) => variable.name);
                    for (const secret of definition.secrets) assert.ok(!environmentNames.includes(secret.name));
                }
            });

            it("is not privileged, has a read-only root filesystem, and mounts writable /tmp only where the program needs scratch space", () => {
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const definition = container(run, purpose);
                    const task = inputsOf(taskDefinition(run, purpose));
                    assert.strictEqual(definition.privileged, false);
                    assert.strictEqual(definition.readonlyRootFilesystem, true);
                    assert.strictEqual(definition.essential, true);
                    assert.notStrictEqual(task.networkMode, "host");
                    if (TASKS[purpose].scratch) {
                        assert.deepStrictEqual(task.volumes, [{ name: "scratch" }]);
                        assert.deepStrictEqual(definition.mountPoints, [{ sourceVolume: "scratch", containerPath: SCRATCH_PATH, readOnly: false }]);
                    } else {
                        assert.deepStrictEqual(task.volumes ?? [], []);
                        assert.deepStrictEqual(definition.mountPoints, []);
                    }
                }
                assert.strictEqual(TASKS.sparkJob.scratch, true);
                assert.strictEqual(TASKS.dataProcessing.scratch, false);
            });

            it(`logs through awslogs to a log group per task kept 30 days${stack === "dev" ? "" : ", encrypted with the logs key"}`, () => {
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const family = TASKS[purpose].family;
                    const group = inputsOf(named(run, LOG_GROUP, `-${family}-logs`));
                    assert.strictEqual(group.name, `/ecs/${stack}-${family}`);
                    assert.strictEqual(group.retentionInDays, 30);
                    assert.strictEqual(group.kmsKeyId, stack === "dev" ? undefined : LOGS_KEY);
                    assert.deepStrictEqual(container(run, purpose).logConfiguration, {
                        logDriver: "awslogs",
                        options: { "awslogs-group": group.name, "awslogs-region": "us-east-2", "awslogs-stream-prefix": TASKS[purpose].container },
                    });
                }
            });

            it("runs the data-processing service at desired count 0 on FARGATE_SPOT with the app group and a rolling-back circuit breaker", () => {
                const service = named(run, SERVICE, "-data-processing-service");
                const inputs = inputsOf(service);
                assert.strictEqual(inputs.name, `${stack}-data-processing-service`);
                assert.strictEqual(inputs.cluster, named(run, CLUSTER, "-cluster").outputs.arn);
                assert.strictEqual(inputs.taskDefinition, taskDefinition(run, "dataProcessing").outputs.arn);
                assert.strictEqual(inputs.desiredCount, 0);
                assert.strictEqual(inputs.launchType, undefined);
                assert.deepStrictEqual(inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
                assert.deepStrictEqual(inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.deepStrictEqual(inputs.networkConfiguration, {
                    subnets: LITERALS.subnetIds,
                    securityGroups: [LITERALS.appSecurityGroupId],
                    assignPublicIp: stack === "dev",
                });
                assert.ok(
                    service.dependencies.includes(named(run, CAPACITY, "-capacity-providers").urn),
                    "service must wait for the capacity providers",
                );
            });
        });
    }

    describe("config", () => {
        it("sizes tasks from containers.dataProcessing and containers.sparkJob", async () => {
            const run = await runContainers("staging", {
                "data-platform:containers": { sparkJob: { cpu: 4096, memory: 16384 }, dataProcessing: { cpu: 512, memory: 1024 } },
            });
            assert.deepStrictEqual(
                [inputsOf(taskDefinition(run, "sparkJob")).cpu, inputsOf(taskDefinition(run, "sparkJob")).memory],
                ["4096", "16384"],
            );
            assert.deepStrictEqual(
                [inputsOf(taskDefinition(run, "dataProcessing")).cpu, inputsOf(taskDefinition(run, "dataProcessing")).memory],
                ["512", "1024"],
            );
        });

        it("takes desired count, log retention and Container Insights from config", async () => {
            const run = await runContainers("dev", {
                "data-platform:containers": { serviceDesiredCount: 2, logRetentionDays: 90, containerInsights: true },
            });
            assert.strictEqual(inputsOf(named(run, SERVICE, "-data-processing-service")).desiredCount, 2);
            for (const group of ofType(run, LOG_GROUP)) assert.strictEqual(inputsOf(group).retentionInDays, 90);
            assert.deepStrictEqual(inputsOf(named(run, CLUSTER, "-cluster")).settings, [{ name: "containerInsights", value: "enabled" }]);
        });

        it("refuses a memory size Fargate does not offer with the CPU, naming the key", () => {
            expectConfigError(
                "dev",
                { "data-platform:containers": { dataProcessing: { cpu: 1024, memory: 1024 } } },
                "data-platform:containers.dataProcessing.memory",
            );
            expectConfigError(
                "prod",
                { "data-platform:containers": { sparkJob: { cpu: 2048, memory: 2048 } } },
                "data-platform:containers.sparkJob.memory",
            );
        });

        it("refuses a CPU size Fargate does not offer, naming the key", () => {
            expectConfigError(
                "dev",
                { "data-platform:containers": { sparkJob: { cpu: 3000, memory: 4096 } } },
                "data-platform:containers.sparkJob.cpu",
            );
        });

        it("refuses private placement when private subnets have neither NAT nor interface endpoints", () => {
            expectConfigError("staging", { "data-platform:network": { natGateways: "none" } }, "data-platform:containers.placement");
            expectConfigError("dev", { "data-platform:containers": { placement: "private" } }, "data-platform:containers.placement");
        });

        it("accepts private placement without NAT when the interface endpoints exist", () => {
            const raw = editConfig(fixtureStack("dev").config, {
                "data-platform:containers": { placement: "private" },
                "data-platform:network": { interfaceEndpoints: true },
            });
            assert.strictEqual(parseStackConfig(raw).containers.placement, "private");
        });
    });

    describe("placement", () => {
        const subnets = { public: ["subnet-pub-a", "subnet-pub-b"], private: ["subnet-priv-a", "subnet-priv-b"] };
        it("public: public subnets with a public IP", () => {
            assert.deepStrictEqual(taskPlacement("public", subnets), { subnetIds: subnets.public, assignPublicIp: true });
        });
        it("private: private subnets without a public IP", () => {
            assert.deepStrictEqual(taskPlacement("private", subnets), { subnetIds: subnets.private, assignPublicIp: false });
        });
    });

    describe("in the platform", () => {
        it("with images.build, runs each task on the digest awsx pushed", async () => {
            const run = await runStackWith("staging", { "data-platform:images": { build: true } });
            const images = ofType(run, TYPE.awsxEcrImage);
            assert.strictEqual(images.length, 3);
            for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                const repository = purpose === "sparkJob" ? "spark-apps" : "data-jobs";
                const image = images.find((candidate) => candidate.name.endsWith(`-${repository}-image`));
                assert.ok(image);
                assert.match(String(image.outputs.imageUri), /@sha256:[0-9a-f]{64}$/);
                assert.strictEqual(container(run, purpose).image, image.outputs.imageUri);
            }
        });

        for (const stack of STACKS) {
            const publicPlacement = stack === "dev";
            it(`${stack}: places the service in ${publicPlacement ? "public subnets with a public IP" : "private subnets without a public IP"}, with the app group`, async () => {
                const run = await runStack(stack);
                const service = inputsOf(named(run, SERVICE, "-data-processing-service"));
                const tier = publicPlacement ? "public" : "private";
                const expectedSubnets = ofType(run, SUBNET)
                    .filter((subnet) => inputsOf(subnet).tags.SubnetTier === tier)
                    .map(idOf);
                assert.ok(expectedSubnets.length >= 2);
                assert.deepStrictEqual(service.networkConfiguration.subnets, expectedSubnets);
                assert.strictEqual(service.networkConfiguration.assignPublicIp, publicPlacement);
                const appGroup = ofType(run, SECURITY_GROUP).find((group) => inputsOf(group).tags.Name === `${stack}-app-sg`);
                assert.ok(appGroup);
                assert.deepStrictEqual(service.networkConfiguration.securityGroups, [idOf(appGroup)]);
            });

            it(`${stack}: wires the identity roles, the registry images, the data lake bucket and the app secret into the tasks`, async () => {
                const run = await runStack(stack);
                const roleArn = (purpose: string) => ofType(run, ROLE).find((role) => inputsOf(role).name === `${stack}-${purpose}`)?.outputs.arn;
                const appSecretArn = ofType(run, SECRET).find((secret) => inputsOf(secret).name === `${stack}-app-secrets`)?.outputs.arn;
                const dataLake = ofType(run, TYPE.s3Bucket).find((bucket) => /-data-lake-[0-9a-f]+$/.test(String(inputsOf(bucket).bucket)));
                assert.ok(dataLake);
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const task = inputsOf(taskDefinition(run, purpose));
                    assert.strictEqual(task.executionRoleArn, roleArn("ecs-task-execution-role"));
                    assert.strictEqual(task.taskRoleArn, roleArn("ecs-task-role"));
                    const definition = container(run, purpose);
                    const repository = purpose === "sparkJob" ? "spark-apps" : "data-jobs";
                    const tag = fixtureConfig(stack).images.tag;
                    assert.strictEqual(definition.image, `123456789012.dkr.ecr.us-east-2.amazonaws.com/${stack}-${repository}:${tag}`);
                    assert.strictEqual(definition.environment[0].value, inputsOf(dataLake).bucket);
                    for (const secret of definition.secrets) assert.ok(String(secret.valueFrom).startsWith(`${appSecretArn}:`));
                }
            });
        }
    });
});
