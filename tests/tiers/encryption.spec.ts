import * as assert from "assert";
import { LOGS_SERVICE_KEY_ACTIONS, ROOT_KEY_ACTIONS } from "../../components/encryption/encryption";
import { KEY_PURPOSES, KeyPurpose } from "../../components/encryption/keys";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun } from "../../tools/run-program";
import { STACKS, inputsOf, jsonInput, named, ofType, runStack } from "../support/helpers";
import { PolicyDocument, decideService, statementsOf, wholeServiceActions } from "../support/iam-simulation";
import { TYPE } from "../../policy-pack/policies/types";

const KEY = TYPE.kmsKey;
const ALIAS = TYPE.kmsAlias;
const COMPONENT = "data-platform:encryption:Encryption";
const LOG_GROUP = TYPE.cloudwatchLogGroup;
const REGION = "us-east-2";
const LOGS_SERVICE = `logs.${REGION}.amazonaws.com`;

const ROOT_STATEMENT = {
    Sid: "AccountRootAdministersAndDelegatesToIam",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` },
    Action: [...ROOT_KEY_ACTIONS],
    Resource: "*",
};

function keyOf(run: ProgramRun, purpose: KeyPurpose): RecordedResource {
    return named(run, KEY, `-encryption-${purpose}`);
}

describe("encryption tier", () => {
    describe("dev", () => {
        it("creates no customer-managed keys (encryption.kms is off)", async () => {
            const run = await runStack("dev");
            assert.deepStrictEqual(ofType(run, COMPONENT), []);
            assert.deepStrictEqual(ofType(run, KEY), []);
            assert.deepStrictEqual(ofType(run, ALIAS), []);
            assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-flow-logs")).kmsKeyId, undefined);
            assert.deepStrictEqual(run.stackOutputs.kmsKeyAliases, {});
        });
    });

    for (const stack of STACKS.filter((name) => name !== "dev")) {
        describe(stack, () => {
            const environment = stack;
            const protect = stack === "prod";
            let run: ProgramRun;
            before(async () => {
                run = await runStack(stack);
            });

            it("creates one key per purpose under the Encryption component, rotated yearly", () => {
                const [component] = ofType(run, COMPONENT);
                assert.ok(component);
                assert.strictEqual(ofType(run, KEY).length, KEY_PURPOSES.length);
                for (const purpose of KEY_PURPOSES) {
                    const key = keyOf(run, purpose);
                    assert.strictEqual(key.parent, component.urn, purpose);
                    const inputs = inputsOf(key);
                    assert.strictEqual(inputs.enableKeyRotation, true, purpose);
                    assert.strictEqual(inputs.rotationPeriodInDays, 365, purpose);
                    assert.strictEqual(inputs.deletionWindowInDays, protect ? 30 : 7, purpose);
                    assert.deepStrictEqual(inputs.tags, {
                        Name: `${environment}-${purpose}-key`,
                        Environment: environment,
                        Project: "data-platform",
                        ManagedBy: "pulumi",
                        Tier: "encryption",
                    });
                }
            });

            it("aliases each key alias/${env}-<purpose>", () => {
                const aliases = ofType(run, ALIAS).map((alias) => inputsOf(alias));
                assert.deepStrictEqual(
                    aliases.map((alias) => [alias.name, alias.targetKeyId]).sort(),
                    KEY_PURPOSES.map((purpose) => [`alias/${environment}-${purpose}`, keyOf(run, purpose).outputs.keyId]).sort(),
                );
            });

            it("exports the aliases as the stack output kmsKeyAliases", () => {
                assert.deepStrictEqual(run.stackOutputs.kmsKeyAliases, {
                    storage: `alias/${environment}-storage`,
                    secrets: `alias/${environment}-secrets`,
                    logs: `alias/${environment}-logs`,
                    registry: `alias/${environment}-registry`,
                });
            });

            it(protect ? "protects and retains every key" : "does not protect the keys", () => {
                for (const purpose of KEY_PURPOSES) {
                    assert.strictEqual(keyOf(run, purpose).protect, protect, purpose);
                    assert.strictEqual(keyOf(run, purpose).retainOnDelete, protect, purpose);
                }
            });

            it("key policies: the account root administers every key (no kms:*); only the logs key admits CloudWatch Logs", () => {
                for (const purpose of KEY_PURPOSES) {
                    const policy = jsonInput(keyOf(run, purpose), "policy") as PolicyDocument;
                    assert.deepStrictEqual(policy.Statement[0], ROOT_STATEMENT, purpose);
                    for (const statement of statementsOf(policy))
                        assert.deepStrictEqual(wholeServiceActions(statement), [], `${purpose} ${statement.Sid}`);
                    if (purpose !== "logs") assert.strictEqual(policy.Statement.length, 1, purpose);
                }
                const logsPolicy = jsonInput(keyOf(run, "logs"), "policy") as PolicyDocument;
                assert.deepStrictEqual(logsPolicy.Statement[1], {
                    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                    Effect: "Allow",
                    Principal: { Service: LOGS_SERVICE },
                    Action: [...LOGS_SERVICE_KEY_ACTIONS],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${MOCK_ACCOUNT_ID}:log-group:*` } },
                });
            });

            // The simulator drops encryption-context keys whose name holds a colon (`aws:logs:arn`), so
            // the allow path is asserted on the statement above; here: what CloudWatch Logs is refused.
            it("CloudWatch Logs gets nothing from the logs key without a log-group encryption context, nor from any other key", async () => {
                const request = (key: RecordedResource, action: string) =>
                    decideService(
                        LOGS_SERVICE,
                        {
                            action,
                            resource: String(key.outputs.arn),
                        },
                        jsonInput(key, "policy") as PolicyDocument,
                    );
                for (const purpose of KEY_PURPOSES) {
                    for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]) {
                        assert.notStrictEqual(await request(keyOf(run, purpose), action), "Allowed", `${purpose} ${action}`);
                    }
                }
            });

            it("the VPC flow-log group is encrypted with the logs key", () => {
                assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-flow-logs")).kmsKeyId, keyOf(run, "logs").outputs.arn);
            });
        });
    }
});
