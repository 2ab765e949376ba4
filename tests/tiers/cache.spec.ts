import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CACHE_LOG_TYPES, Cache, CacheArgs, cacheLogGroupName } from "../../components/cache/cache";
import { CacheConfig, cacheProblems, cacheSchema, dailyWindowMinutes, weeklyWindowMinutes } from "../../components/cache/config";
import { DEFAULT_ENGINE_VERSIONS, ENGINE_VERSIONS, NODE_TYPES, engineVersionsOf, parameterGroupFamily } from "../../components/cache/versions";
import { problemsFromZod } from "../../components/config/errors";
import { NetworkConfig, networkSchema } from "../../components/network/config";
import { Naming } from "../../components/shared/naming";
import { RecordedResource, isSecretValue, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { inputsOf, named, ofType } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const GROUP = TYPE.elasticacheReplicationGroup;
const SUBNET_GROUP = TYPE.elasticacheSubnetGroup;
const PARAMETER_GROUP = TYPE.elasticacheParameterGroup;
const LOG_GROUP = TYPE.cloudwatchLogGroup;

const CACHE_KEY = "arn:aws:kms:us-east-2:123456789012:key/33333333-3333-4333-a333-333333333333";
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"];
const SECURITY_GROUP = "sg-0cache00000000001";
/** Shaped like the secrets tier's Redis password: 64 characters of alphanumerics and !&#^<>-. */
const TOKEN = "Tk9!&#^<>-aZ".repeat(5) + "q7W2";

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

interface TierRun {
    readonly run: ProgramRun;
    readonly outputs: Record<"primaryEndpoint" | "readerEndpoint" | "port" | "replicationGroupArn" | "replicationGroupId", unknown>;
}

/** Builds one Cache component alone under the mock cloud. */
async function runCache(config: CacheConfig, overrides: Partial<CacheArgs> = {}, environment = "test"): Promise<TierRun> {
    let cache: Cache | undefined;
    const run = await runProgram({
        stack: environment,
        config: { "aws:region": "us-east-2" },
        program: () => {
            cache = new Cache("t-cache", {
                naming: new Naming(environment),
                config,
                protect: false,
                subnetIds: SUBNETS,
                securityGroupId: SECURITY_GROUP,
                authToken: pulumi.secret(TOKEN),
                keys: { cache: CACHE_KEY, logs: LOGS_KEY },
                logRetentionDays: 30,
                ...overrides,
            });
        },
    });
    assert.ok(cache);
    const built = cache;
    const outputs = {
        primaryEndpoint: await outputValue(built.primaryEndpoint),
        readerEndpoint: await outputValue(built.readerEndpoint),
        port: await outputValue(built.port),
        replicationGroupArn: await outputValue(built.replicationGroupArn),
        replicationGroupId: await outputValue(built.replicationGroupId),
    };
    return { run, outputs };
}

/** Staging-like: one small Graviton node, no failover. */
const STAGING_CACHE = cacheSchema.parse({ enabled: true, nodeType: "cache.t4g.small", nodes: 1, snapshotRetentionDays: 7 });
/** Prod-like: a primary and two replicas across AZs, Valkey. */
const PROD_CACHE = cacheSchema.parse({
    enabled: true,
    engine: "valkey",
    engineVersion: "8.1",
    nodeType: "cache.r7g.large",
    nodes: 3,
    automaticFailover: true,
    multiAz: true,
    snapshotRetentionDays: 30,
    snapshotWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    maxmemoryPolicy: "volatile-lru",
});

/** Every input of a resource with secrets masked: what a reader of the state sees in plain text. */
function plainInputs(resource: RecordedResource): string {
    return JSON.stringify(revealSecrets(resource.inputs, () => "[secret]"));
}

const network = (overrides: Partial<Record<string, unknown>> = {}): NetworkConfig =>
    networkSchema.parse({
        vpcCidr: "10.0.0.0/16",
        availabilityZones: ["us-east-2a", "us-east-2b"],
        publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
        privateSubnetCidrs: ["10.0.11.0/24", "10.0.12.0/24"],
        databaseSubnetCidrs: ["10.0.21.0/24", "10.0.22.0/24"],
        ...overrides,
    });

describe("cache tier", () => {
    const cases = [
        {
            title: "staging-like (1 small Graviton node, Redis OSS 7.1, no failover)",
            config: STAGING_CACHE,
            protect: false,
            expect: {
                engine: "redis",
                engineVersion: "7.1",
                family: "redis7",
                nodeType: "cache.t4g.small",
                nodes: 1,
                failover: false,
                multiAz: false,
                snapshots: 7,
                snapshotWindow: undefined,
                maintenanceWindow: undefined,
                maxmemoryPolicy: "allkeys-lru",
            },
        },
        {
            title: "prod-like (3 nodes, Valkey 8.1, failover, Multi-AZ, protected)",
            config: PROD_CACHE,
            protect: true,
            expect: {
                engine: "valkey",
                engineVersion: "8.1",
                family: "valkey8",
                nodeType: "cache.r7g.large",
                nodes: 3,
                failover: true,
                multiAz: true,
                snapshots: 30,
                snapshotWindow: "03:00-04:00",
                maintenanceWindow: "sun:05:00-sun:06:00",
                maxmemoryPolicy: "volatile-lru",
            },
        },
    ];

    for (const { title, config, protect, expect } of cases) {
        describe(title, () => {
            let tier: TierRun;
            let group: Record<string, any>;
            before(async () => {
                tier = await runCache(config, { protect });
                group = inputsOf(named(tier.run, GROUP, "-group"));
            });

            it("builds one replication group, one subnet group, one parameter group and the two log groups", () => {
                assert.strictEqual(ofType(tier.run, GROUP).length, 1);
                assert.strictEqual(ofType(tier.run, SUBNET_GROUP).length, 1);
                assert.strictEqual(ofType(tier.run, PARAMETER_GROUP).length, 1);
                assert.strictEqual(ofType(tier.run, LOG_GROUP).length, 2);
                assert.strictEqual(ofType(tier.run, TYPE.elasticacheCluster).length, 0, "never a standalone cache cluster");
                assert.ok(
                    tier.run.resources.filter((resource) => resource.custom).every((resource) => resource.name.startsWith("t-cache-")),
                    "child logical names start with the component's name",
                );
            });

            it("pins the engine, version, node type and node count from config", () => {
                assert.strictEqual(group.replicationGroupId, "test-cache");
                assert.strictEqual(group.engine, expect.engine);
                assert.strictEqual(group.engineVersion, expect.engineVersion);
                assert.strictEqual(group.nodeType, expect.nodeType);
                assert.strictEqual(group.numCacheClusters, expect.nodes);
                assert.strictEqual(group.port, 6379);
                assert.strictEqual(group.numNodeGroups, undefined, "cluster mode disabled: one shard");
            });

            it(`${expect.failover ? "fails over automatically, Multi-AZ" : "has no failover and no Multi-AZ (one node)"}`, () => {
                assert.strictEqual(group.automaticFailoverEnabled, expect.failover);
                assert.strictEqual(group.multiAzEnabled, expect.multiAz);
            });

            it("requires TLS and AUTH with the token, and encrypts at rest with the cache key", () => {
                assert.strictEqual(group.transitEncryptionEnabled, true);
                assert.strictEqual(group.transitEncryptionMode, "required");
                assert.strictEqual(group.authToken, TOKEN);
                assert.strictEqual(group.authTokenUpdateStrategy, "ROTATE");
                assert.strictEqual(group.userGroupIds, undefined);
                assert.strictEqual(group.atRestEncryptionEnabled, true);
                assert.strictEqual(group.kmsKeyId, CACHE_KEY);
            });

            it("keeps automatic snapshots, upgrades minor versions and applies changes immediately", () => {
                assert.strictEqual(group.snapshotRetentionLimit, expect.snapshots);
                assert.strictEqual(group.snapshotWindow, expect.snapshotWindow);
                assert.strictEqual(group.maintenanceWindow, expect.maintenanceWindow);
                assert.strictEqual(group.autoMinorVersionUpgrade, true);
                assert.strictEqual(group.applyImmediately, true);
            });

            it("places the nodes in its own subnet group over the given subnets, behind the cache security group", () => {
                const subnets = inputsOf(named(tier.run, SUBNET_GROUP, "-subnets"));
                assert.strictEqual(subnets.name, "test-cache-subnets");
                assert.deepStrictEqual(subnets.subnetIds, SUBNETS);
                assert.strictEqual(group.subnetGroupName, "test-cache-subnets");
                assert.deepStrictEqual(group.securityGroupIds, [SECURITY_GROUP]);
            });

            it(`uses a ${expect.family} parameter group with maxmemory-policy ${expect.maxmemoryPolicy}`, () => {
                const parameters = inputsOf(named(tier.run, PARAMETER_GROUP, "-parameters"));
                assert.strictEqual(parameters.family, expect.family);
                assert.strictEqual(parameters.name, `test-cache-${expect.family}`);
                assert.deepStrictEqual(parameters.parameters, [{ name: "maxmemory-policy", value: expect.maxmemoryPolicy }]);
                assert.strictEqual(group.parameterGroupName, parameters.name);
            });

            it("delivers the slow log and the engine log as JSON to their own log groups (retention, logs key)", () => {
                assert.deepStrictEqual(
                    group.logDeliveryConfigurations,
                    CACHE_LOG_TYPES.map((logType) => ({
                        destination: `/aws/elasticache/test-cache/${logType}`,
                        destinationType: "cloudwatch-logs",
                        logFormat: "json",
                        logType,
                    })),
                );
                for (const logType of CACHE_LOG_TYPES) {
                    const logGroup = inputsOf(named(tier.run, LOG_GROUP, `-${logType}`));
                    assert.strictEqual(logGroup.name, cacheLogGroupName(new Naming("test"), logType));
                    assert.strictEqual(logGroup.retentionInDays, 30);
                    assert.strictEqual(logGroup.kmsKeyId, LOGS_KEY);
                }
            });

            it(
                protect
                    ? "protects the replication group and takes a final snapshot"
                    : "leaves the replication group destroyable with no final snapshot (re-creatable the same day)",
                () => {
                    const resource = named(tier.run, GROUP, "-group");
                    assert.strictEqual(resource.protect, protect);
                    assert.strictEqual(resource.retainOnDelete, protect);
                    assert.strictEqual(group.finalSnapshotIdentifier, protect ? "test-cache-final" : undefined);
                    for (const other of tier.run.resources.filter((item) => item.custom && item.type !== GROUP)) {
                        assert.strictEqual(other.protect, false, other.name);
                    }
                },
            );

            it("tags every resource with the cache tier and its physical name", () => {
                for (const resource of tier.run.resources.filter((item) => item.custom)) {
                    const tags = inputsOf(resource).tags;
                    assert.strictEqual(tags.Tier, "cache", resource.name);
                    assert.strictEqual(tags.Environment, "test", resource.name);
                    assert.match(tags.Name, /^test-cache/, resource.name);
                }
            });

            it("outputs the primary and reader endpoints, the port and the group's ARN and id", () => {
                const recorded = named(tier.run, GROUP, "-group").outputs;
                assert.strictEqual(tier.outputs.primaryEndpoint, recorded.primaryEndpointAddress);
                assert.match(String(tier.outputs.primaryEndpoint), /^master\.test-cache\./);
                assert.strictEqual(tier.outputs.readerEndpoint, recorded.readerEndpointAddress);
                assert.match(String(tier.outputs.readerEndpoint), /^replica\.test-cache\./);
                assert.strictEqual(tier.outputs.port, 6379);
                assert.strictEqual(tier.outputs.replicationGroupArn, recorded.arn);
                assert.strictEqual(tier.outputs.replicationGroupId, "test-cache");
            });

            it("keeps the auth token a secret: the recorded authToken input is secret and no input shows it in plain text", () => {
                const resource = named(tier.run, GROUP, "-group");
                assert.ok(isSecretValue(resource.inputs.authToken), "authToken is recorded as a secret");
                for (const item of tier.run.resources) assert.ok(!plainInputs(item).includes(TOKEN), `${item.name} shows the token`);
                assert.ok(!JSON.stringify(tier.outputs).includes(TOKEN), "an output shows the token");
            });
        });
    }

    describe("args", () => {
        it("keeps a token passed as a plain string secret too", async () => {
            const { run } = await runCache(STAGING_CACHE, { authToken: TOKEN });
            const resource = named(run, GROUP, "-group");
            assert.ok(isSecretValue(resource.inputs.authToken));
            for (const item of run.resources) assert.ok(!plainInputs(item).includes(TOKEN), item.name);
        });

        it("uses the AWS-managed keys when no customer keys are given, still encrypting at rest", async () => {
            const { run } = await runCache(STAGING_CACHE, { keys: undefined });
            const group = inputsOf(named(run, GROUP, "-group"));
            assert.strictEqual(group.atRestEncryptionEnabled, true);
            assert.strictEqual(group.kmsKeyId, undefined);
            for (const logGroup of ofType(run, LOG_GROUP)) assert.strictEqual(inputsOf(logGroup).kmsKeyId, undefined);
        });

        it("keeps the parameter group across a minor upgrade (same name and inputs), and makes a new one for a new family", async () => {
            const parametersOf = async (engineVersion: string) =>
                inputsOf(named((await runCache(cacheSchema.parse({ engine: "valkey", engineVersion }))).run, PARAMETER_GROUP, "-parameters"));
            assert.deepStrictEqual(await parametersOf("8.0"), await parametersOf("8.1"));
            assert.strictEqual((await parametersOf("7.2")).name, "test-cache-valkey7");
            assert.strictEqual((await parametersOf("8.2")).name, "test-cache-valkey8");
        });

        it("names everything after the environment, so two stacks never collide", async () => {
            const { run } = await runCache(STAGING_CACHE, {}, "qa");
            assert.strictEqual(inputsOf(named(run, GROUP, "-group")).replicationGroupId, "qa-cache");
            assert.strictEqual(inputsOf(named(run, SUBNET_GROUP, "-subnets")).name, "qa-cache-subnets");
            assert.strictEqual(inputsOf(named(run, PARAMETER_GROUP, "-parameters")).name, "qa-cache-redis7");
        });
    });

    describe("versions table", () => {
        it("maps every allowed version to its parameter-group family", () => {
            assert.deepStrictEqual(ENGINE_VERSIONS, {
                redis: { "7.0": "redis7", "7.1": "redis7" },
                valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8" },
            });
            for (const engine of ["redis", "valkey"] as const) {
                assert.ok(engineVersionsOf(engine).includes(DEFAULT_ENGINE_VERSIONS[engine]), `default ${engine} version is allowed`);
                for (const version of engineVersionsOf(engine)) assert.match(version, /^\d+\.\d+$/, "ElastiCache takes major.minor from 7 on");
            }
            assert.strictEqual(parameterGroupFamily("valkey", "7.2"), "valkey7");
            assert.throws(() => parameterGroupFamily("redis", "6.2"), /redis 6\.2 is not an allowed ElastiCache version; allowed: 7\.0, 7\.1/);
        });

        it("allows only current-generation node types that support TLS and failover", () => {
            for (const type of NODE_TYPES) assert.match(type, /^cache\.(t4g|t3|m7g|m6g|r7g|r6g)\./);
            assert.ok(NODE_TYPES.includes("cache.t4g.micro") && NODE_TYPES.includes("cache.m7g.large") && NODE_TYPES.includes("cache.r7g.large"));
        });
    });

    describe("config section", () => {
        const root = z.strictObject({ cache: cacheSchema });
        function problemsOf(input: Record<string, unknown>) {
            const result = root.safeParse({ cache: input });
            assert.ok(!result.success, `expected ${JSON.stringify(input)} to be refused`);
            return problemsFromZod(result.error, { cache: input }, { schema: root });
        }

        it("defaults to off: Redis OSS 7.1 on one cache.t4g.micro, database subnets, 7 days of snapshots, 30-day logs", () => {
            assert.deepStrictEqual(cacheSchema.parse({}), {
                logRetentionDays: 30,
                enabled: false,
                engine: "redis",
                engineVersion: "7.1",
                nodeType: "cache.t4g.micro",
                nodes: 1,
                automaticFailover: false,
                multiAz: false,
                snapshotRetentionDays: 7,
                maxmemoryPolicy: "allkeys-lru",
                subnets: "database",
            });
        });

        it("gives each engine its own default version", () => {
            assert.strictEqual(cacheSchema.parse({ engine: "valkey" }).engineVersion, "8.1");
            assert.strictEqual(cacheSchema.parse({ engine: "redis" }).engineVersion, "7.1");
            assert.strictEqual(cacheSchema.parse({ engine: "valkey", engineVersion: "7.2" }).engineVersion, "7.2");
        });

        const refusals: { title: string; input: Record<string, unknown>; key: string; value: unknown; message: RegExp }[] = [
            {
                title: "a version of the other engine",
                input: { engine: "redis", engineVersion: "8.1" },
                key: "data-platform:cache.engineVersion",
                value: "8.1",
                message: /not an allowed redis version; allowed for redis: 7\.0, 7\.1 \(for valkey: 7\.2, 8\.0, 8\.1, 8\.2\)/,
            },
            {
                title: "an old Redis OSS version",
                input: { engineVersion: "6.2" },
                key: "data-platform:cache.engineVersion",
                value: "6.2",
                message: /allowed for redis: 7\.0, 7\.1/,
            },
            {
                title: "an unquoted version YAML reads as a number",
                input: { engine: "valkey", engineVersion: 8.0 },
                key: "data-platform:cache.engineVersion",
                value: 8,
                message: /quoted string/,
            },
            {
                title: "an engine ElastiCache replication groups do not run",
                input: { engine: "memcached" },
                key: "data-platform:cache.engine",
                value: "memcached",
                message: /one of redis, valkey/,
            },
            {
                title: "a node type outside the table",
                input: { nodeType: "cache.t2.micro" },
                key: "data-platform:cache.nodeType",
                value: "cache.t2.micro",
                message: /allowed: cache\.t4g\.micro, cache\.t4g\.small, .*cache\.m7g\.large.*cache\.r7g\.large/,
            },
            {
                title: "no nodes",
                input: { nodes: 0 },
                key: "data-platform:cache.nodes",
                value: 0,
                message: /must be 1–6: a primary plus up to 5 replicas/,
            },
            {
                title: "more nodes than a group holds",
                input: { nodes: 7 },
                key: "data-platform:cache.nodes",
                value: 7,
                message: /must be 1–6: a primary plus up to 5 replicas/,
            },
            {
                title: "automatic failover with one node",
                input: { automaticFailover: true, nodes: 1 },
                key: "data-platform:cache.automaticFailover",
                value: true,
                message: /set cache\.nodes to 2–6 \(it is 1\)/,
            },
            {
                title: "Multi-AZ with one node",
                input: { multiAz: true, automaticFailover: true },
                key: "data-platform:cache.multiAz",
                value: true,
                message: /needs a replica/,
            },
            {
                title: "Multi-AZ without automatic failover",
                input: { multiAz: true, nodes: 2 },
                key: "data-platform:cache.multiAz",
                value: true,
                message: /requires automatic failover: set cache\.automaticFailover: true/,
            },
            {
                title: "snapshots kept longer than ElastiCache allows",
                input: { snapshotRetentionDays: 36 },
                key: "data-platform:cache.snapshotRetentionDays",
                value: 36,
                message: /must be 0–35 days/,
            },
            {
                title: "a snapshot window shorter than an hour",
                input: { snapshotWindow: "03:00-03:30" },
                key: "data-platform:cache.snapshotWindow",
                value: "03:00-03:30",
                message: /hh24:mi-hh24:mi in UTC, at least 60 minutes/,
            },
            {
                title: "a maintenance window without days",
                input: { maintenanceWindow: "05:00-06:00" },
                key: "data-platform:cache.maintenanceWindow",
                value: "05:00-06:00",
                message: /ddd:hh24:mi-ddd:hh24:mi .*sun, mon/,
            },
            {
                title: "an eviction policy Redis does not know",
                input: { maxmemoryPolicy: "lru" },
                key: "data-platform:cache.maxmemoryPolicy",
                value: "lru",
                message: /one of volatile-lru, allkeys-lru/,
            },
            {
                title: "subnets of another kind",
                input: { subnets: "public" },
                key: "data-platform:cache.subnets",
                value: "public",
                message: /one of database, private/,
            },
            {
                title: "a key that would turn TLS off (there is none)",
                input: { transitEncryption: false },
                key: "data-platform:cache.transitEncryption",
                value: false,
                message: /unknown key; allowed keys here: logRetentionDays, enabled, engine, engineVersion, nodeType/,
            },
            {
                title: "a log retention CloudWatch Logs does not offer",
                input: { logRetentionDays: 45 },
                key: "data-platform:cache.logRetentionDays",
                value: 45,
                message: /CloudWatch Logs retention must be one of 1, 3, 5, 7, 14, 30, 60, .*3653/,
            },
        ];
        for (const { title, input, key, value, message } of refusals) {
            it(`refuses ${title}, naming the key, the value and what is allowed`, () => {
                const problem = problemsOf(input).find((candidate) => candidate.key === key);
                assert.ok(problem, `no problem for ${key}: ${JSON.stringify(problemsOf(input))}`);
                assert.deepStrictEqual(problem.value, value);
                assert.match(problem.message, message);
            });
        }

        it("accepts windows that wrap midnight and the week", () => {
            assert.strictEqual(dailyWindowMinutes("23:30-00:30"), 60);
            assert.strictEqual(weeklyWindowMinutes("sat:23:00-sun:01:00"), 120);
            assert.strictEqual(weeklyWindowMinutes("sun:5:00-sun:06:00"), undefined);
            assert.ok(cacheSchema.safeParse({ snapshotWindow: "23:30-00:30", maintenanceWindow: "sat:23:00-sun:01:00" }).success);
        });

        it("describes every key, saying TLS and AUTH cannot be turned off", () => {
            const schema = z.toJSONSchema(cacheSchema, { io: "input", unrepresentable: "any" }) as {
                properties: Record<string, { description?: string }>;
            };
            for (const [key, field] of Object.entries(schema.properties)) assert.ok(field.description, `${key} has no description`);
            assert.match(schema.properties.enabled.description ?? "", /TLS required.*AUTH .*always on.*token without TLS cannot be configured/);
        });
    });

    describe("cross-tier checks (cacheProblems)", () => {
        const on = (input: Record<string, unknown>) => cacheSchema.parse({ enabled: true, ...input });

        it("finds nothing wrong with a cache in the database subnets of a two-AZ network", () => {
            assert.deepStrictEqual(cacheProblems(network(), on({ nodes: 2, automaticFailover: true, multiAz: true })), []);
        });

        it("refuses database subnets the stack does not have, pointing to both fixes", () => {
            assert.deepStrictEqual(cacheProblems(network({ databaseSubnetCidrs: [] }), on({})), [
                {
                    path: ["cache", "subnets"],
                    message: "the stack has no database subnets: set network.databaseSubnetCidrs (one per AZ), or cache.subnets: private",
                },
            ]);
            assert.deepStrictEqual(cacheProblems(network({ databaseSubnetCidrs: [] }), on({ subnets: "private" })), []);
        });

        it("refuses Multi-AZ when the subnets are in one AZ", () => {
            const oneAz = network({
                availabilityZones: ["us-east-2a"],
                publicSubnetCidrs: ["10.0.1.0/24"],
                privateSubnetCidrs: ["10.0.11.0/24"],
                databaseSubnetCidrs: ["10.0.21.0/24"],
            });
            const problems = cacheProblems(oneAz, on({ nodes: 2, automaticFailover: true, multiAz: true }));
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["cache", "multiAz"]],
            );
            assert.match(problems[0].message, /at least 2 AZs, but network\.availabilityZones has 1 \(us-east-2a\)/);
            assert.deepStrictEqual(cacheProblems(oneAz, on({ nodes: 2, automaticFailover: true })), [], "failover alone works in one AZ");
        });

        it("checks nothing while the cache is off", () => {
            assert.deepStrictEqual(cacheProblems(network({ databaseSubnetCidrs: [] }), cacheSchema.parse({})), []);
        });
    });
});
