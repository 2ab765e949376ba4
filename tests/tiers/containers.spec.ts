import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { StackConfig, parseStackConfig } from "../../components/config";
import { Containers, ContainersArgs, SCRATCH_PATH, TASKS, TASK_PURPOSES, TaskPurpose, taskPlacement } from "../../components/containers/containers";
import { containersSchema } from "../../components/containers/config";
import { IMAGES_DIR, REPOSITORY_NAMES, REPOSITORY_PURPOSES, RepositoryPurpose } from "../../components/registry/registry";
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
const COMPONENT = "data-platform:containers:Containers";

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

/** Builds the containers tier alone, with its data tasks, for a stack's config with edits. */
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
                tasks: { ...LITERALS, assignPublicIp: config.containers.placement === "public" },
                keys: config.encryption.kms ? { logs: LOGS_KEY } : undefined,
            }),
    });
}

/** Builds the tier alone from a section, without a stack file; `args` adds tasks or capacity providers. */
async function runStandalone(args: Partial<Pick<ContainersArgs, "tasks" | "extraCapacityProviders">> = {}) {
    let containers: Containers | undefined;
    const run = await runProgram({
        stack: "test",
        config: { "aws:region": "us-east-2" },
        program: () => {
            containers = new Containers("t-containers", {
                naming: new Naming("test"),
                config: containersSchema.parse({}),
                region: "us-east-2",
                ...args,
            });
        },
    });
    assert.ok(containers);
    return { run, containers };
}

/** The containers tier's own task definitions (the edge registers its web task on the same cluster). */
function dataTaskDefinitions(run: ProgramRun): RecordedResource[] {
    const components = ofType(run, COMPONENT);
    assert.strictEqual(components.length, 1, "one Containers component");
    return ofType(run, TASK_DEFINITION).filter((definition) => definition.parent === components[0].urn);
}

function taskDefinition(run: ProgramRun, purpose: TaskPurpose): RecordedResource {
    return named(run, TASK_DEFINITION, `-${TASKS[purpose].family}`);
}

function container(run: ProgramRun, purpose: TaskPurpose): any {
    const definitions = jsonInput(taskDefinition(run, purpose), "containerDefinitions");
    assert.strictEqual(definitions.length, 1);
    return definitions[0];
}

interface Instruction {
    readonly keyword: string;
    readonly args: string;
}

/** The instructions of a Dockerfile's last stage (the image that runs): continuations joined, comments dropped. */
function finalStage(dockerfile: string): Instruction[] {
    const logical = dockerfile
        .replace(/\\\r?\n/g, " ")
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0 && !line.startsWith("#"));
    const instructions = logical.map((line) => {
        const match = /^(\S+)\s*(.*)$/.exec(line);
        assert.ok(match, line);
        return { keyword: match[1].toUpperCase(), args: match[2] };
    });
    const from = instructions.map((instruction) => instruction.keyword).lastIndexOf("FROM");
    return instructions.slice(from);
}

function readDockerfile(image: RepositoryPurpose): string {
    return fs.readFileSync(path.join(IMAGES_DIR, REPOSITORY_NAMES[image], "Dockerfile"), "utf8");
}

/** `VOLUME ["/a", "/b"]` or `VOLUME /a /b`. */
function volumePaths(args: string): string[] {
    return args.startsWith("[") ? (JSON.parse(args) as string[]) : args.split(/\s+/);
}

/**
 * Why `mountPath` would not be writable for the image's user when ECS mounts an empty bind volume
 * there (empty when it is): ECS copies a VOLUME declared at the same path, with its owner and mode,
 * into the bind volume (else Fargate creates it root-owned 0755), and a build step that changes the
 * path after its VOLUME line is discarded. So a RUN before the VOLUME must chown the path to the
 * final USER or chmod it 1777/777.
 */
function writableVolumeProblems(dockerfile: string, mountPath: string): string[] {
    const stage = finalStage(dockerfile);
    const users = stage.filter((instruction) => instruction.keyword === "USER").map((instruction) => instruction.args.split(":")[0]);
    const user = users[users.length - 1] ?? "root";
    const volumeAt = stage.findIndex((instruction) => instruction.keyword === "VOLUME" && volumePaths(instruction.args).includes(mountPath));
    if (volumeAt < 0) return [`no VOLUME declares ${mountPath}`];
    const commands = stage
        .slice(0, volumeAt)
        .filter((instruction) => instruction.keyword === "RUN")
        .flatMap((instruction) => instruction.args.split(/&&|;/).map((command) => command.trim().split(/\s+/)));
    const names = (words: string[]) => words.slice(1).filter((word) => !word.startsWith("-"));
    const owned = commands.some(
        (words) => words[0] === "chown" && names(words)[0]?.split(":")[0] === user && names(words).slice(1).includes(mountPath),
    );
    const open = commands.some(
        (words) => words[0] === "chmod" && ["1777", "777", "a+rwx"].includes(names(words)[0]) && names(words).slice(1).includes(mountPath),
    );
    return owned || open ? [] : [`no RUN before VOLUME ${mountPath} gives it to USER ${user} (chown) or mode 1777 (chmod)`];
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

            it("defines data-processing (1024/2048), spark-job (2048/4096) and catalog-audit (256/512) Fargate tasks in awsvpc mode with both roles", () => {
                const expected: Record<TaskPurpose, [string, string]> = {
                    dataProcessing: ["1024", "2048"],
                    sparkJob: ["2048", "4096"],
                    catalogAudit: ["256", "512"],
                };
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

            it("runs the data-jobs image for data-processing, spark-apps for spark-job and glue-jobs for catalog-audit", () => {
                assert.strictEqual(container(run, "dataProcessing").image, LITERALS.imageUris.dataJobs);
                assert.strictEqual(container(run, "sparkJob").image, LITERALS.imageUris.sparkApps);
                assert.strictEqual(container(run, "catalogAudit").image, LITERALS.imageUris.glueJobs);
                assert.strictEqual(container(run, "dataProcessing").name, "data-processor");
                assert.strictEqual(container(run, "sparkJob").name, "spark-job");
                assert.strictEqual(container(run, "catalogAudit").name, "catalog-audit");
            });

            it("passes S3_BUCKET, ENVIRONMENT and each program's own variables as environment; app secrets only through valueFrom, only where used", () => {
                const extra: Record<TaskPurpose, { name: string; value: string }[]> = {
                    dataProcessing: [{ name: "INVENTORY_INTERVAL_SECONDS", value: "3600" }],
                    sparkJob: [],
                    // The catalog's real name: `-` in an environment becomes `_`.
                    catalogAudit: [{ name: "GLUE_DATABASE", value: `${stack}_data_lake_catalog` }],
                };
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const definition = container(run, purpose);
                    assert.deepStrictEqual(definition.environment, [
                        { name: "S3_BUCKET", value: LITERALS.dataLakeBucket.name },
                        { name: "ENVIRONMENT", value: stack },
                        ...extra[purpose],
                    ]);
                    assert.deepStrictEqual(
                        definition.secrets,
                        purpose === "catalogAudit"
                            ? []
                            : APP_SECRET_FIELDS.map((field) => ({
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
                assert.strictEqual(TASKS.catalogAudit.scratch, false);
            });

            it("every writable mount of every task is declared by its image's Dockerfile as a VOLUME the image's user can write", () => {
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const dockerfile = readDockerfile(TASKS[purpose].image);
                    const writable = (container(run, purpose).mountPoints as { containerPath: string; readOnly: boolean }[]).filter(
                        (mount) => !mount.readOnly,
                    );
                    for (const mount of writable) {
                        assert.deepStrictEqual(
                            writableVolumeProblems(dockerfile, mount.containerPath),
                            [],
                            `${purpose}: ${mount.containerPath} in assets/images/${REPOSITORY_NAMES[TASKS[purpose].image]}/Dockerfile`,
                        );
                    }
                }
                assert.ok(
                    TASK_PURPOSES.some((purpose) => TASKS[purpose].scratch),
                    "at least one task mounts scratch space (else this test checks nothing)",
                );
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
                // A service restarts a task that exits: it runs the long-lived inventory worker, the others run on demand.
                assert.deepStrictEqual(
                    TASK_PURPOSES.filter((purpose) => TASKS[purpose].runs === "service"),
                    ["dataProcessing"],
                );
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

    describe("built alone from its section, without a stack file", () => {
        it("without tasks builds only the cluster and its capacity providers (what the edge's web service runs on)", async () => {
            const { run, containers } = await runStandalone();
            assert.deepStrictEqual(
                run.resources
                    .filter((resource) => resource.custom)
                    .map((resource) => resource.type)
                    .sort(),
                [CLUSTER, CAPACITY].sort(),
            );
            assert.strictEqual(inputsOf(named(run, CLUSTER, "-cluster")).name, "test-data-processing-cluster");
            assert.deepStrictEqual(inputsOf(named(run, CAPACITY, "-capacity-providers")).capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.strictEqual(containers.taskDefinitions, undefined);
            assert.strictEqual(containers.logGroups, undefined);
            assert.strictEqual(containers.service, undefined);
            assert.strictEqual(containers.serviceName, undefined);
            assert.ok(containers.capacityProviders);
        });

        it("with tasks builds the three task definitions, their log groups and the service", async () => {
            const { run, containers } = await runStandalone({ tasks: { ...LITERALS, assignPublicIp: false } });
            assert.deepStrictEqual(
                ofType(run, TASK_DEFINITION)
                    .map((definition) => inputsOf(definition).family)
                    .sort(),
                TASK_PURPOSES.map((purpose) => `test-${TASKS[purpose].family}`).sort(),
            );
            assert.strictEqual(ofType(run, LOG_GROUP).length, TASK_PURPOSES.length);
            assert.strictEqual(ofType(run, SERVICE).length, 1);
            assert.deepStrictEqual(Object.keys(containers.taskDefinitions ?? {}).sort(), [...TASK_PURPOSES].sort());
        });

        it("attaches extra capacity providers beside Fargate, asked for with the cluster's name; spot stays the default", async () => {
            const asked: string[] = [];
            const { run } = await runStandalone({
                extraCapacityProviders: (clusterName) => {
                    clusterName.apply((value) => asked.push(value));
                    return ["test-ec2-capacity"];
                },
            });
            const providers = inputsOf(named(run, CAPACITY, "-capacity-providers"));
            assert.deepStrictEqual(providers.capacityProviders, ["FARGATE", "FARGATE_SPOT", "test-ec2-capacity"]);
            assert.deepStrictEqual(providers.defaultCapacityProviderStrategies, [
                { capacityProvider: "FARGATE_SPOT", weight: 1 },
                { capacityProvider: "FARGATE", weight: 0 },
            ]);
            assert.deepStrictEqual(asked, ["test-data-processing-cluster"]);
        });

        it("the section defaults to the cluster with its data tasks and no EC2 capacity", () => {
            const section = containersSchema.parse({});
            assert.deepStrictEqual([section.enabled, section.dataTasks, section.ec2Capacity], [true, true, undefined]);
            assert.throws(() => containersSchema.parse({ enabled: "yes" }), /enabled/);
        });
    });

    describe("switched off in the platform", () => {
        it("containers.dataTasks: false (with EC2 capacity to run something) builds the cluster without task definitions, service, task log groups or app secret", async () => {
            const run = await runStackWith("dev", {
                "data-platform:containers": { dataTasks: false, placement: "public", ec2Capacity: { placement: "public" } },
            });
            assert.strictEqual(ofType(run, CLUSTER).length, 1);
            assert.strictEqual(ofType(run, CAPACITY).length, 1);
            assert.deepStrictEqual(ofType(run, TASK_DEFINITION), []);
            assert.deepStrictEqual(ofType(run, SERVICE), []);
            assert.ok(!ofType(run, LOG_GROUP).some((group) => String(inputsOf(group).name).startsWith("/ecs/")));
            assert.ok(!ofType(run, SECRET).some((secret) => inputsOf(secret).name === "dev-app-secrets"));
            const ecs = run.stackOutputs.ecs as Record<string, unknown>;
            assert.deepStrictEqual(Object.keys(ecs).sort(), ["clusterName", "ec2CapacityProvider"]);
            assert.strictEqual(ecs.clusterName, "dev-data-processing-cluster");
        });

        it("containers.enabled: false builds no ECS resource at all", async () => {
            const run = await runStackWith("dev", { "data-platform:containers": { enabled: false } });
            for (const type of [CLUSTER, CAPACITY, TASK_DEFINITION, SERVICE]) assert.deepStrictEqual(ofType(run, type), [], type);
            assert.strictEqual(run.stackOutputs.ecs, undefined);
        });

        it("refuses what needs the cluster or the tasks' inputs when they are off, naming the key", () => {
            expectConfigError(
                "dev",
                {
                    "data-platform:containers": { dataTasks: true },
                    "data-platform:dataLake": { enabled: false },
                    "data-platform:etl": { enabled: false },
                },
                "data-platform:dataLake.enabled",
            );
            expectConfigError("dev", { "data-platform:registry": { enabled: false } }, "data-platform:registry.enabled");
            expectConfigError("dev", { "data-platform:containers": { enabled: false, ec2Capacity: {} } }, "data-platform:containers.enabled");
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

    describe("writable mounts and their images' Dockerfiles", () => {
        const base = "FROM python:3.12-slim\nRUN useradd app\n";
        it("accepts a VOLUME the user owns or that is 1777, declared after the change", () => {
            assert.deepStrictEqual(writableVolumeProblems(`${base}RUN mkdir -p /tmp && chown app:app /tmp\nVOLUME ["/tmp"]\nUSER app\n`, "/tmp"), []);
            assert.deepStrictEqual(
                writableVolumeProblems(`${base}RUN chmod 1777 /scratch \\\n    && true\nVOLUME /scratch /other\nUSER app\n`, "/scratch"),
                [],
            );
        });
        it("refuses a mount without VOLUME, a change after the VOLUME line, another user's ownership, or an earlier stage's", () => {
            assert.deepStrictEqual(writableVolumeProblems(`${base}RUN chmod 1777 /tmp\nUSER app\n`, "/tmp"), ["no VOLUME declares /tmp"]);
            assert.match(writableVolumeProblems(`${base}VOLUME ["/tmp"]\nRUN chmod 1777 /tmp\nUSER app\n`, "/tmp")[0], /no RUN before VOLUME/);
            assert.match(writableVolumeProblems(`${base}RUN chown root /tmp\nVOLUME ["/tmp"]\nUSER app\n`, "/tmp")[0], /USER app/);
            assert.match(
                writableVolumeProblems(`FROM a AS build\nRUN chmod 1777 /tmp\nVOLUME /tmp\nFROM b\nUSER app\n`, "/tmp")[0],
                /no VOLUME declares \/tmp/,
            );
        });
    });

    describe("in the platform", () => {
        for (const stack of STACKS) {
            it(`${stack}: every writable mount of every task definition is a VOLUME its image's user can write`, async () => {
                const run = await runStack(stack);
                assert.strictEqual(dataTaskDefinitions(run).length, TASK_PURPOSES.length);
                const definitions = ofType(run, TASK_DEFINITION);
                const repositories = ofType(run, TYPE.ecrRepository).map((repository) => String(inputsOf(repository).name));
                let writable = 0;
                for (const definition of definitions) {
                    for (const containerDefinition of jsonInput(definition, "containerDefinitions")) {
                        const repository = repositories.find((name) => String(containerDefinition.image).includes(`/${name}:`));
                        assert.ok(repository, `${definition.name}: image ${containerDefinition.image} is none of the registry's repositories`);
                        const folder = repository.slice(`${stack}-`.length);
                        for (const mount of (containerDefinition.mountPoints ?? []) as { containerPath: string; readOnly: boolean }[]) {
                            if (mount.readOnly) continue;
                            writable += 1;
                            const dockerfile = fs.readFileSync(path.join(IMAGES_DIR, folder, "Dockerfile"), "utf8");
                            assert.deepStrictEqual(writableVolumeProblems(dockerfile, mount.containerPath), [], definition.name);
                        }
                    }
                }
                assert.ok(writable > 0, "the spark-job task mounts writable scratch space");
            });

            it(`${stack}: every repository's image has a consumer (a task definition runs it), the edge's web repository included`, async () => {
                const run = await runStack(stack);
                const images = ofType(run, TASK_DEFINITION).flatMap((definition) =>
                    jsonInput(definition, "containerDefinitions").map((containerDefinition: { image: string }) => containerDefinition.image),
                );
                const repositories = ofType(run, TYPE.ecrRepository).map((repository) => String(inputsOf(repository).name));
                for (const purpose of REPOSITORY_PURPOSES) assert.ok(repositories.includes(`${stack}-${REPOSITORY_NAMES[purpose]}`), purpose);
                for (const repository of repositories) {
                    assert.ok(
                        images.some((image: string) => image.includes(`/${repository}:`)),
                        `no task runs ${repository}`,
                    );
                }
            });
        }

        it("with images.build, runs each task on the digest awsx pushed", async () => {
            const run = await runStackWith("staging", { "data-platform:images": { build: true } });
            const images = ofType(run, TYPE.awsxEcrImage);
            assert.strictEqual(images.length, ofType(run, TYPE.ecrRepository).length, "one pushed image per repository");
            for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                const repository = REPOSITORY_NAMES[TASKS[purpose].image];
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
                assert.deepStrictEqual(
                    dataTaskDefinitions(run)
                        .map((definition) => inputsOf(definition).family)
                        .sort(),
                    TASK_PURPOSES.map((purpose) => `${stack}-${TASKS[purpose].family}`).sort(),
                );
                for (const purpose of Object.keys(TASKS) as TaskPurpose[]) {
                    const task = inputsOf(taskDefinition(run, purpose));
                    assert.strictEqual(task.executionRoleArn, roleArn("ecs-task-execution-role"));
                    assert.strictEqual(task.taskRoleArn, roleArn("ecs-task-role"));
                    const definition = container(run, purpose);
                    const repository = REPOSITORY_NAMES[TASKS[purpose].image];
                    const tag = fixtureConfig(stack).images.tag;
                    assert.strictEqual(definition.image, `123456789012.dkr.ecr.us-east-2.amazonaws.com/${stack}-${repository}:${tag}`);
                    assert.strictEqual(definition.environment[0].value, inputsOf(dataLake).bucket);
                    for (const secret of definition.secrets) assert.ok(String(secret.valueFrom).startsWith(`${appSecretArn}:`));
                }
            });
        }
    });
});
