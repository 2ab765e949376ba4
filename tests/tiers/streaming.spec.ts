import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { LOG_RETENTION_HOURS, configurationName, parseServerProperties, serverProperties } from "../../components/streaming/broker-config";
import {
    StreamingConfig,
    brokerCount,
    clusterReplication,
    streamingAzCount,
    streamingProblems,
    streamingSchema,
} from "../../components/streaming/config";
import {
    STORAGE_SCALING,
    Streaming,
    StreamingArgs,
    VOLUME_SIZE_PATH,
    brokerLogGroupName,
    kafkaClientStatements,
} from "../../components/streaming/streaming";
import { clusterUuidOf, kafkaResourceArn, topicConfigs } from "../../components/streaming/topics";
import { BROKER_TYPE_NAMES, DEFAULT_KAFKA_VERSION, KAFKA_VERSIONS, KAFKA_VERSION_NAMES } from "../../components/streaming/versions";
import { Naming } from "../../components/shared/naming";
import { policyDocument } from "../../components/shared/iam";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { TYPE } from "../../policy-pack/policies/types";
import { inputsOf, named, ofType } from "../support/helpers";

const CLUSTER = TYPE.mskCluster;
const CONFIGURATION = TYPE.mskConfiguration;
const LOG_GROUP = TYPE.cloudwatchLogGroup;
const TARGET = TYPE.appautoscalingTarget;
const POLICY = TYPE.appautoscalingPolicy;

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"];
const GROUP = "sg-0streaming0000001";
const KEYS = {
    streaming: "arn:aws:kms:us-east-2:123456789012:key/33333333-3333-4333-a333-333333333333",
    logs: "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222",
};
const HOUR_MS = 3_600_000;

/** The seed's topics (ecommerce-analytics-infra terraform/modules/msk: partitions, cleanup policy and retention). */
const SEED_TOPICS = [
    { name: "transactions", partitions: 6, cleanupPolicy: "delete", retentionHours: 168 },
    { name: "user-events", partitions: 6, cleanupPolicy: "delete", retentionHours: 72 },
    { name: "product-updates", partitions: 3, cleanupPolicy: "compact", retentionHours: 720 },
    { name: "fraud-alerts", partitions: 3, cleanupPolicy: "delete", retentionHours: 720 },
] as const;

/** prod's section: streaming on, m7g.large brokers, the seed's topics; every other key its default. */
function prodStreaming(overrides: Record<string, unknown> = {}): StreamingConfig {
    return streamingSchema.parse({ enabled: true, brokerType: "kafka.m7g.large", topics: SEED_TOPICS, ...overrides });
}

interface TierRun {
    readonly run: ProgramRun;
    readonly tier: Streaming;
}

/** Builds one Streaming component alone under the mock cloud with literal inputs (prod-like by default). */
async function runStreaming(overrides: Partial<StreamingArgs> = {}, name = "t-streaming"): Promise<TierRun> {
    let tier: Streaming | undefined;
    const args: StreamingArgs = {
        naming: new Naming("prod"),
        config: prodStreaming(),
        protect: true,
        subnetIds: SUBNETS,
        securityGroupId: GROUP,
        openMonitoring: true,
        keys: KEYS,
        ...overrides,
    };
    const run = await runProgram({
        stack: "prod",
        config: { "aws:region": "us-east-2" },
        program: () => {
            tier = new Streaming(name, args);
        },
    });
    assert.ok(tier);
    return { run, tier };
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

const cluster = (run: ProgramRun) => named(run, CLUSTER, "-cluster");
const clusterInputs = (run: ProgramRun) => inputsOf(cluster(run));
const topicsOf = (run: ProgramRun) => ofType(run, TYPE.mskTopic);

/** Issues of a section parse: [path, message] pairs (fails when the value is accepted). */
function refusal(input: unknown): { path: string; message: string }[] {
    const result = streamingSchema.safeParse(input);
    assert.ok(!result.success, `expected ${JSON.stringify(input)} to be refused`);
    return (result.error as z.ZodError).issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("streaming tier", () => {
    describe("prod-like: 3 AZs, one kafka.m7g.large broker each, the seed's topics, protected", () => {
        let tier: TierRun;
        before(async () => {
            tier = await runStreaming();
        });

        it("builds one cluster configuration, cluster, broker log group, storage target and policy, and a topic per configured topic", () => {
            const count = (type: string) => ofType(tier.run, type).length;
            assert.deepStrictEqual(
                [count(CONFIGURATION), count(CLUSTER), count(LOG_GROUP), count(TARGET), count(POLICY), count(TYPE.mskTopic)],
                [1, 1, 1, 1, 1, SEED_TOPICS.length],
            );
            const componentUrn = tier.run.resources.find((resource) => resource.type === "data-platform:streaming:Streaming")?.urn;
            assert.ok(componentUrn, "the component is registered as data-platform:streaming:Streaming");
            for (const resource of tier.run.resources.filter((r) => r.custom)) assert.strictEqual(resource.parent, componentUrn, resource.name);
        });

        it("runs the pinned Kafka version on three brokers, one per client subnet, of the configured type", () => {
            const inputs = clusterInputs(tier.run);
            assert.strictEqual(inputs.clusterName, "prod-streaming");
            assert.strictEqual(inputs.kafkaVersion, DEFAULT_KAFKA_VERSION);
            assert.strictEqual(inputs.numberOfBrokerNodes, 3);
            assert.strictEqual(tier.tier.brokerCount, 3);
            assert.strictEqual(inputs.brokerNodeGroupInfo.instanceType, "kafka.m7g.large");
            assert.deepStrictEqual(inputs.brokerNodeGroupInfo.clientSubnets, SUBNETS);
        });

        it("puts the brokers only in the streaming security group, with public access DISABLED", () => {
            const info = clusterInputs(tier.run).brokerNodeGroupInfo;
            assert.deepStrictEqual(info.securityGroups, [GROUP]);
            assert.deepStrictEqual(info.connectivityInfo, { publicAccess: { type: "DISABLED" } });
        });

        it("gives each broker an EBS volume of volumeSizeGb that autoscaling may grow (Pulumi ignores the grown size)", () => {
            assert.deepStrictEqual(clusterInputs(tier.run).brokerNodeGroupInfo.storageInfo, { ebsStorageInfo: { volumeSize: 100 } });
            assert.deepStrictEqual(cluster(tier.run).ignoreChanges, [VOLUME_SIZE_PATH]);
        });

        it("encrypts at rest with the streaming key and in transit with TLS only, client-broker and in-cluster", () => {
            assert.deepStrictEqual(clusterInputs(tier.run).encryptionInfo, {
                encryptionAtRestKmsKeyArn: KEYS.streaming,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            });
        });

        it("authenticates clients with IAM only: no SCRAM, no mutual TLS, nothing unauthenticated", () => {
            assert.deepStrictEqual(clusterInputs(tier.run).clientAuthentication, { sasl: { iam: true, scram: false }, unauthenticated: false });
        });

        it("delivers broker logs to its own log group, with the configured retention and the logs key", () => {
            const logs = inputsOf(named(tier.run, LOG_GROUP, "-broker-logs"));
            assert.strictEqual(logs.name, "/aws/vendedlogs/msk/prod-streaming");
            assert.strictEqual(logs.name, brokerLogGroupName(new Naming("prod")));
            assert.strictEqual(logs.retentionInDays, 30);
            assert.strictEqual(logs.kmsKeyId, KEYS.logs);
            assert.deepStrictEqual(clusterInputs(tier.run).loggingInfo, { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logs.name } } });
        });

        it("monitors per topic per broker and turns on both Prometheus exporters", () => {
            const inputs = clusterInputs(tier.run);
            assert.strictEqual(inputs.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
            assert.deepStrictEqual(inputs.openMonitoring, {
                prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
            });
        });

        it("attaches a configuration for its version: no auto-created topics, replication 3 with min.insync.replicas 2", () => {
            const configuration = named(tier.run, CONFIGURATION, "-config");
            const inputs = inputsOf(configuration);
            assert.strictEqual(inputs.name, "prod-streaming-3-9-x-kraft");
            assert.deepStrictEqual(inputs.kafkaVersions, [DEFAULT_KAFKA_VERSION]);
            assert.deepStrictEqual(parseServerProperties(inputs.serverProperties), {
                "auto.create.topics.enable": "false",
                "default.replication.factor": "3",
                "min.insync.replicas": "2",
                "offsets.topic.replication.factor": "3",
                "transaction.state.log.replication.factor": "3",
                "transaction.state.log.min.isr": "2",
                "unclean.leader.election.enable": "false",
                "num.partitions": "3",
                "log.retention.hours": String(LOG_RETENTION_HOURS),
            });
            const info = clusterInputs(tier.run).configurationInfo;
            assert.strictEqual(info.arn, configuration.outputs.arn);
            assert.deepStrictEqual(cluster(tier.run).propertyDependencies.configurationInfo, [configuration.urn]);
            // The revision is the configuration's latest, as AWS computes it.
            assert.strictEqual(typeof configuration.outputs.latestRevision, "number");
            assert.strictEqual(info.revision, configuration.outputs.latestRevision);
        });

        it("scales broker storage up to maxVolumeSizeGb by tracking KafkaBrokerStorageUtilization, never scaling in", () => {
            const clusterArn = cluster(tier.run).outputs.arn;
            const target = inputsOf(named(tier.run, TARGET, "-storage-target"));
            assert.strictEqual(target.serviceNamespace, "kafka");
            assert.strictEqual(target.scalableDimension, "kafka:broker-storage:VolumeSize");
            assert.strictEqual(target.resourceId, clusterArn);
            assert.strictEqual(target.maxCapacity, 1000);
            const policy = inputsOf(named(tier.run, POLICY, "-storage-policy"));
            assert.strictEqual(policy.name, "prod-streaming-storage");
            assert.strictEqual(policy.policyType, "TargetTrackingScaling");
            assert.deepStrictEqual(
                [policy.serviceNamespace, policy.scalableDimension, policy.resourceId],
                [STORAGE_SCALING.serviceNamespace, STORAGE_SCALING.scalableDimension, clusterArn],
            );
            assert.deepStrictEqual(policy.targetTrackingScalingPolicyConfiguration, {
                predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
                targetValue: 60,
                disableScaleIn: true,
            });
        });

        it("creates the seed's topics on this cluster with their partitions, replication 3, cleanup policy and retention", () => {
            const clusterArn = cluster(tier.run).outputs.arn;
            const byName = new Map(topicsOf(tier.run).map((topic) => [inputsOf(topic).name, inputsOf(topic)]));
            assert.deepStrictEqual([...byName.keys()].sort(), SEED_TOPICS.map((topic) => topic.name).sort());
            for (const seed of SEED_TOPICS) {
                const topic = byName.get(seed.name)!;
                assert.strictEqual(topic.clusterArn, clusterArn, seed.name);
                assert.strictEqual(topic.partitionCount, seed.partitions, seed.name);
                assert.strictEqual(topic.replicationFactor, 3, seed.name);
                assert.deepStrictEqual(JSON.parse(topic.configs), {
                    "cleanup.policy": seed.cleanupPolicy,
                    "retention.ms": String(seed.retentionHours * HOUR_MS),
                });
            }
        });

        it("protects and retains the cluster and the topics (prod); the configuration, logs and scaling stay replaceable", () => {
            const stateful = [cluster(tier.run), ...topicsOf(tier.run)];
            for (const resource of stateful) assert.deepStrictEqual([resource.protect, resource.retainOnDelete], [true, true], resource.name);
            for (const type of [CONFIGURATION, LOG_GROUP, TARGET, POLICY])
                for (const resource of ofType(tier.run, type)) assert.strictEqual(resource.protect, false, resource.name);
        });

        it("tags the cluster, log group and scaling target with the stack's tags and Tier streaming", () => {
            for (const [type, suffix, purpose] of [
                [CLUSTER, "-cluster", "streaming"],
                [LOG_GROUP, "-broker-logs", "streaming-broker-logs"],
                [TARGET, "-storage-target", "streaming-storage"],
            ]) {
                assert.deepStrictEqual(inputsOf(named(tier.run, type, suffix)).tags, new Naming("prod").tags("streaming", purpose), suffix);
            }
        });

        it("outputs the IAM bootstrap brokers, the cluster's ARN, name and UUID, and the topic names", async () => {
            assert.strictEqual(tier.tier.bootstrapBrokersIam, tier.tier.cluster.bootstrapBrokersSaslIam);
            assert.strictEqual(tier.tier.clusterUuid, tier.tier.cluster.clusterUuid);
            assert.strictEqual(await outputValue(tier.tier.clusterArn), cluster(tier.run).outputs.arn);
            assert.strictEqual(await outputValue(tier.tier.clusterName), "prod-streaming");
            assert.deepStrictEqual(
                await outputValue(tier.tier.topicNames),
                SEED_TOPICS.map((topic) => topic.name),
            );
            assert.deepStrictEqual(tier.tier.replication, { replicationFactor: 3, minInsyncReplicas: 2 });
        });
    });

    describe("other shapes", () => {
        it("unprotected (not prod): nothing is protected or retained, so the stack can be destroyed and re-created", async () => {
            const { run } = await runStreaming({ protect: false, naming: new Naming("staging") });
            for (const resource of run.resources.filter((r) => r.custom)) {
                assert.deepStrictEqual([resource.protect, resource.retainOnDelete], [false, false], resource.name);
            }
            assert.strictEqual(clusterInputs(run).clusterName, "staging-streaming");
        });

        it("without open monitoring both exporters are explicitly off", async () => {
            const { run } = await runStreaming({ openMonitoring: false });
            assert.deepStrictEqual(clusterInputs(run).openMonitoring, {
                prometheus: { jmxExporter: { enabledInBroker: false }, nodeExporter: { enabledInBroker: false } },
            });
        });

        it("without keys falls back to the AWS-managed key for storage and no log group key", async () => {
            const { run } = await runStreaming({ keys: undefined });
            assert.strictEqual(clusterInputs(run).encryptionInfo.encryptionAtRestKmsKeyArn, undefined);
            assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-broker-logs")).kmsKeyId, undefined);
        });

        it("two AZs with two brokers each: four brokers, replication 3, min.insync.replicas 2; topics default to 3 replicas", async () => {
            const { run, tier } = await runStreaming({ subnetIds: SUBNETS.slice(0, 2), config: prodStreaming({ brokersPerAz: 2 }) });
            assert.strictEqual(clusterInputs(run).numberOfBrokerNodes, 4);
            assert.deepStrictEqual(tier.replication, { replicationFactor: 3, minInsyncReplicas: 2 });
            for (const topic of topicsOf(run)) assert.strictEqual(inputsOf(topic).replicationFactor, 3);
        });

        it("takes the configured version, broker type, storage, monitoring level, retention and topic replication", async () => {
            const config = prodStreaming({
                kafkaVersion: "3.8.x",
                brokerType: "kafka.m5.large",
                volumeSizeGb: 250,
                maxVolumeSizeGb: 2000,
                storageTargetPercent: 50,
                enhancedMonitoring: "PER_TOPIC_PER_PARTITION",
                logRetentionDays: 90,
                topics: [{ name: "orders", partitions: 12, replicationFactor: 3 }],
            });
            const { run } = await runStreaming({ config });
            const inputs = clusterInputs(run);
            assert.deepStrictEqual(
                [inputs.kafkaVersion, inputs.brokerNodeGroupInfo.instanceType, inputs.brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize],
                ["3.8.x", "kafka.m5.large", 250],
            );
            assert.strictEqual(inputs.enhancedMonitoring, "PER_TOPIC_PER_PARTITION");
            assert.strictEqual(inputsOf(named(run, CONFIGURATION, "-config")).name, "prod-streaming-3-8-x");
            assert.deepStrictEqual(inputsOf(named(run, CONFIGURATION, "-config")).kafkaVersions, ["3.8.x"]);
            assert.strictEqual(inputsOf(named(run, TARGET, "-storage-target")).maxCapacity, 2000);
            assert.strictEqual(inputsOf(named(run, POLICY, "-storage-policy")).targetTrackingScalingPolicyConfiguration.targetValue, 50);
            assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-broker-logs")).retentionInDays, 90);
            const [topic] = topicsOf(run).map(inputsOf);
            assert.deepStrictEqual([topic.name, topic.partitionCount, topic.replicationFactor, topic.configs], ["orders", 12, 3, undefined]);
        });

        it("no topics configured: no topic resources, an empty topic list", async () => {
            const { run, tier } = await runStreaming({ config: prodStreaming({ topics: [] }) });
            assert.strictEqual(topicsOf(run).length, 0);
            assert.deepStrictEqual(await outputValue(tier.topicNames), []);
        });

        it("two instances in one program do not collide (children are named after the component)", async () => {
            const run = await runProgram({
                stack: "prod",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    const base = { config: prodStreaming(), protect: false, subnetIds: SUBNETS, securityGroupId: GROUP, openMonitoring: false };
                    new Streaming("a", { ...base, naming: new Naming("prod") });
                    new Streaming("b", { ...base, naming: new Naming("prod2") });
                },
            });
            assert.deepStrictEqual(
                ofType(run, CLUSTER).map((resource) => resource.name),
                ["a-cluster", "b-cluster"],
            );
            assert.strictEqual(topicsOf(run).length, 2 * SEED_TOPICS.length);
        });

        for (const count of [1, 4]) {
            it(`refuses ${count} client subnet(s): MSK takes two or three`, async () => {
                const subnetIds = Array.from({ length: count }, (_, i) => `subnet-0${i}`);
                await assert.rejects(runStreaming({ subnetIds }), /MSK takes 2 or 3 client subnets in distinct AZs, got \d/);
            });
        }
    });

    describe("cluster configuration for each broker count", () => {
        const cases: [number, number, number][] = [
            // brokers, default.replication.factor, min.insync.replicas
            [2, 2, 1],
            [3, 3, 2],
            [4, 3, 2],
            [6, 3, 2],
            [9, 3, 2],
        ];
        for (const [brokers, replicationFactor, minInsync] of cases) {
            it(`${brokers} brokers: replication ${replicationFactor}, min.insync.replicas ${minInsync}, auto-creation off`, () => {
                assert.deepStrictEqual(clusterReplication(brokers), { replicationFactor, minInsyncReplicas: minInsync });
                const properties = parseServerProperties(serverProperties(brokers));
                assert.strictEqual(properties["auto.create.topics.enable"], "false");
                assert.strictEqual(properties["default.replication.factor"], String(replicationFactor));
                assert.strictEqual(properties["min.insync.replicas"], String(minInsync));
                assert.strictEqual(properties["offsets.topic.replication.factor"], String(replicationFactor));
                assert.ok(Number(properties["min.insync.replicas"]) < Number(properties["default.replication.factor"]), "one broker may be down");
            });
        }

        it("names the configuration after the cluster and the version, with only the characters MSK allows", () => {
            for (const { version } of KAFKA_VERSIONS) assert.match(configurationName("prod-streaming", version), /^[0-9A-Za-z][0-9A-Za-z-]*$/);
            assert.strictEqual(configurationName("prod-streaming", "4.1.x.kraft"), "prod-streaming-4-1-x-kraft");
        });
    });

    describe("topic settings", () => {
        it("writes only the settings a topic declares, with retention in milliseconds", () => {
            assert.strictEqual(topicConfigs({}), undefined);
            assert.strictEqual(topicConfigs({ cleanupPolicy: "compact" }), JSON.stringify({ "cleanup.policy": "compact" }));
            assert.strictEqual(topicConfigs({ retentionHours: 24 }), JSON.stringify({ "retention.ms": "86400000" }));
        });
    });

    describe("IAM for Kafka clients", () => {
        const ARN = "arn:aws:kafka:us-east-2:123456789012:cluster/prod-streaming/279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3";
        const TOPIC_ARN = (topic: string) =>
            `arn:aws:kafka:us-east-2:123456789012:topic/prod-streaming/279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3/${topic}`;
        const GROUP_ARN = "arn:aws:kafka:us-east-2:123456789012:group/prod-streaming/279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3/prod-*";

        async function document(statements: ReturnType<typeof kafkaClientStatements>) {
            return JSON.parse(await outputValue(policyDocument(statements))).Statement as Record<string, unknown>[];
        }

        it("derives topic and group ARNs and the UUID from the cluster ARN", () => {
            assert.strictEqual(kafkaResourceArn(ARN, "topic", "transactions"), TOPIC_ARN("transactions"));
            assert.strictEqual(kafkaResourceArn(ARN, "group", "prod-*"), GROUP_ARN);
            assert.strictEqual(clusterUuidOf(ARN), "279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3");
            assert.throws(() => kafkaResourceArn("arn:aws:kafka:us-east-2:123456789012:configuration/x/y", "topic", "t"), /not an MSK cluster ARN/);
        });

        it("readWrite: connect and describe the cluster, idempotent writes, read and write the granted topics only, groups by prefix", async () => {
            const statements = await document(kafkaClientStatements("Kafka", ARN, { topics: ["transactions", "user-events"], groupPrefix: "prod-" }));
            assert.deepStrictEqual(statements, [
                {
                    Sid: "KafkaCluster",
                    Effect: "Allow",
                    Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"],
                    Resource: ARN,
                },
                {
                    Sid: "KafkaTopics",
                    Effect: "Allow",
                    Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"],
                    Resource: [TOPIC_ARN("transactions"), TOPIC_ARN("user-events")],
                },
                { Sid: "KafkaGroups", Effect: "Allow", Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource: GROUP_ARN },
            ]);
        });

        it("write-only: no ReadData and no consumer groups; read-only: no WriteData and no idempotent writes", async () => {
            const writer = await document(kafkaClientStatements("Producer", ARN, { topics: ["fraud-alerts"], access: "write" }));
            assert.deepStrictEqual(
                writer.map((statement) => statement.Sid),
                ["ProducerCluster", "ProducerTopics"],
            );
            assert.deepStrictEqual(writer[1].Action, ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]);
            const reader = await document(kafkaClientStatements("Consumer", ARN, { topics: ["fraud-alerts"], access: "read", groupPrefix: "fraud" }));
            assert.deepStrictEqual(reader[0].Action, ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]);
            assert.deepStrictEqual(reader[1].Action, ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]);
        });

        it("grants no wildcard action and never a bare `*` resource", async () => {
            const statements = await document(kafkaClientStatements("Kafka", ARN, { topics: ["transactions"], groupPrefix: "prod-" }));
            for (const statement of statements) {
                for (const action of statement.Action as string[]) assert.ok(!action.includes("*"), action);
                for (const resource of [statement.Resource].flat() as string[])
                    assert.ok(resource.startsWith("arn:aws:kafka:us-east-2:123456789012:"), resource);
            }
        });

        it("refuses a reading client without a consumer-group prefix (it would get every group)", () => {
            assert.throws(() => kafkaClientStatements("Kafka", ARN, { topics: ["t"] }), /consumer-group prefix/);
            assert.throws(() => kafkaClientStatements("Kafka", ARN, { topics: ["t"], groupPrefix: "*" }), /consumer-group prefix/);
        });
    });

    describe("config section", () => {
        it("defaults: off, KRaft 3.9.x, one kafka.m7g.large broker per AZ, 100 → 1000 GiB at 60%, per-topic monitoring, 30-day logs, no topics", () => {
            assert.deepStrictEqual(streamingSchema.parse({}), {
                enabled: false,
                kafkaVersion: "3.9.x.kraft",
                brokerType: "kafka.m7g.large",
                brokersPerAz: 1,
                volumeSizeGb: 100,
                maxVolumeSizeGb: 1000,
                storageTargetPercent: 60,
                enhancedMonitoring: "PER_TOPIC_PER_BROKER",
                logRetentionDays: 30,
                topics: [],
            });
        });

        it("describes every key with its default", () => {
            const shape = (streamingSchema as unknown as { def: { in?: { shape: Record<string, z.ZodType> } } }).def.in?.shape;
            const keys = shape ?? (streamingSchema as unknown as { shape: Record<string, z.ZodType> }).shape;
            assert.ok(keys, "a strict object");
            for (const [key, schema] of Object.entries(keys)) {
                assert.ok(schema.description && schema.description.length > 10, `${key} has a description`);
                assert.match(schema.description!, /default/, `${key} states its default`);
            }
        });

        it("accepts every version and broker type of the table", () => {
            for (const kafkaVersion of KAFKA_VERSION_NAMES) assert.strictEqual(streamingSchema.parse({ kafkaVersion }).kafkaVersion, kafkaVersion);
            for (const brokerType of BROKER_TYPE_NAMES) assert.strictEqual(streamingSchema.parse({ brokerType }).brokerType, brokerType);
            assert.ok(KAFKA_VERSIONS.filter((spec) => spec.metadata === "kraft").every((spec) => spec.version.endsWith(".kraft")));
        });

        const refusals: [string, Record<string, unknown>, string, RegExp][] = [
            ["a Kafka version MSK no longer offers for new clusters", { kafkaVersion: "2.8.1" }, "kafkaVersion", /one of 3\.7\.x, .*4\.1\.x\.kraft/],
            ["3.6.0 (end of support announced)", { kafkaVersion: "3.6.0" }, "kafkaVersion", /one of .*3\.9\.x\.kraft/],
            ["an EC2 type that is not an MSK broker", { brokerType: "m7g.large" }, "brokerType", /one of kafka\.t3\.small, .*kafka\.m7g\.16xlarge/],
            ["an Express broker (no EBS storage to scale)", { brokerType: "express.m7g.large" }, "brokerType", /kafka\.m7g\.large/],
            ["zero brokers per AZ", { brokersPerAz: 0 }, "brokersPerAz", />=1|at least 1|too small/i],
            ["half a broker", { brokersPerAz: 1.5 }, "brokersPerAz", /int/i],
            ["a volume above 16 TiB", { volumeSizeGb: 20000 }, "volumeSizeGb", /16384/],
            ["a ceiling below the initial size", { volumeSizeGb: 500, maxVolumeSizeGb: 200 }, "maxVolumeSizeGb", /at least volumeSizeGb \(500 GiB\)/],
            ["a storage target MSK refuses", { storageTargetPercent: 95 }, "storageTargetPercent", /80/],
            [
                "an unknown monitoring level",
                { enhancedMonitoring: "FULL" },
                "enhancedMonitoring",
                /one of DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER, PER_TOPIC_PER_PARTITION/,
            ],
            ["a log retention CloudWatch does not offer", { logRetentionDays: 10 }, "logRetentionDays", /one of 1, 3, 5, 7, 14, 30/],
            ["an unknown key", { brokers: 3 }, "", /brokers/],
        ];
        for (const [title, input, path, message] of refusals) {
            it(`refuses ${title}, naming the key and what is allowed`, () => {
                const issues = refusal(input);
                assert.ok(
                    issues.some((issue) => issue.path === path && message.test(issue.message)) ||
                        (path === "" && issues.some((issue) => message.test(JSON.stringify(issue)))),
                    JSON.stringify(issues),
                );
            });
        }

        const badTopics: [string, unknown, string, RegExp][] = [
            ["a space in a topic name", { name: "user events", partitions: 1 }, "topics.0.name", /a-z, A-Z, 0-9/],
            ["a slash in a topic name", { name: "orders/v1", partitions: 1 }, "topics.0.name", /a-z, A-Z, 0-9/],
            ["an empty topic name", { name: "", partitions: 1 }, "topics.0.name", /at least one character/],
            ["'..' as a topic name", { name: "..", partitions: 1 }, "topics.0.name", /not topic names/],
            ["an internal topic name", { name: "__consumer_offsets", partitions: 1 }, "topics.0.name", /reserved/],
            ["a 250-character topic name", { name: "t".repeat(250), partitions: 1 }, "topics.0.name", /249/],
            ["zero partitions", { name: "orders", partitions: 0 }, "topics.0.partitions", />=1|too small/i],
            ["an unknown cleanup policy", { name: "orders", partitions: 1, cleanupPolicy: "archive" }, "topics.0.cleanupPolicy", /delete|compact/],
            ["an unknown topic key", { name: "orders", partitions: 1, retention: 5 }, "topics.0", /retention/],
        ];
        for (const [title, topic, path, message] of badTopics) {
            it(`refuses ${title}`, () => {
                const issues = refusal({ topics: [topic] });
                assert.ok(
                    issues.some((issue) => issue.path === path && message.test(issue.message)) ||
                        issues.some((issue) => issue.path === path && message.test(JSON.stringify(issue))),
                    JSON.stringify(issues),
                );
            });
        }

        it("refuses a topic listed twice, and two names Kafka's metrics cannot tell apart", () => {
            assert.deepStrictEqual(
                refusal({
                    topics: [
                        { name: "orders", partitions: 1 },
                        { name: "orders", partitions: 2 },
                    ],
                }),
                [{ path: "topics.1.name", message: "listed twice" }],
            );
            assert.deepStrictEqual(
                refusal({
                    topics: [
                        { name: "user.events", partitions: 1 },
                        { name: "user_events", partitions: 1 },
                    ],
                }),
                [{ path: "topics.1.name", message: "collides with topic user.events (Kafka treats '.' and '_' alike in metric names)" }],
            );
        });
    });

    describe("cross-section checks (streamingProblems)", () => {
        const network = (count: number) => ({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"].slice(0, count) });

        it("a disabled section is never a problem", () => {
            assert.deepStrictEqual(
                streamingProblems(network(1), streamingSchema.parse({ topics: [{ name: "t", partitions: 1, replicationFactor: 9 }] })),
                [],
            );
        });

        it("the seed's topics on 3 AZs (and on 2) pass", () => {
            assert.deepStrictEqual(streamingProblems(network(3), prodStreaming(), { kms: true }), []);
            assert.deepStrictEqual(streamingProblems(network(2), prodStreaming(), { kms: true }), []);
        });

        it("refuses one AZ: MSK needs private subnets in two or three AZs", () => {
            const problems = streamingProblems(network(1), prodStreaming());
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["streaming", "enabled"]],
            );
            assert.match(problems[0].message, /2 or 3 distinct AZs; network\.availabilityZones has 1 \(us-east-1a\)/);
        });

        it("uses at most three AZs: four AZs give brokersPerAz × 3 brokers", () => {
            assert.strictEqual(streamingAzCount(network(4)), 3);
            assert.strictEqual(brokerCount(prodStreaming({ brokersPerAz: 2 }), streamingAzCount(network(4))), 6);
            assert.deepStrictEqual(streamingProblems(network(4), prodStreaming(), { kms: true }), []);
        });

        it("refuses a topic replication factor above the broker count", () => {
            const config = prodStreaming({ topics: [{ name: "orders", partitions: 3, replicationFactor: 4 }] });
            assert.deepStrictEqual(streamingProblems(network(3), config), [
                {
                    path: ["streaming", "topics", 0, "replicationFactor"],
                    message: "4 replicas need as many brokers; the cluster has 3 (brokersPerAz 1 × 3 AZs)",
                },
            ]);
            assert.deepStrictEqual(streamingProblems(network(2), prodStreaming({ brokersPerAz: 2, topics: config.topics })), []);
        });

        it("refuses a topic replication factor that does not exceed min.insync.replicas", () => {
            const problems = streamingProblems(network(3), prodStreaming({ topics: [{ name: "orders", partitions: 3, replicationFactor: 2 }] }));
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["streaming", "topics", 0, "replicationFactor"]],
            );
            assert.match(problems[0].message, /must exceed the cluster's min\.insync\.replicas \(2\).*allowed 3–3/);
        });

        it("refuses more partition replicas per broker than the broker type supports", () => {
            const config = prodStreaming({ brokerType: "kafka.t3.small", topics: [{ name: "clicks", partitions: 301 }] });
            const problems = streamingProblems(network(3), config);
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["streaming", "topics"]],
            );
            assert.match(problems[0].message, /903 partition replicas over 3 brokers is 301 per broker; kafka\.t3\.small supports at most 300/);
            assert.deepStrictEqual(streamingProblems(network(3), prodStreaming({ brokerType: "kafka.m7g.large", topics: config.topics })), []);
        });

        it("refuses streaming without customer-managed keys when given the encryption section", () => {
            const problems = streamingProblems(network(3), prodStreaming(), { kms: false });
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["encryption", "kms"]],
            );
        });
    });
});
