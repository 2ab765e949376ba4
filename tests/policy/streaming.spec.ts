import * as assert from "assert";
import { streamingSchema } from "../../components/streaming/config";
import { Streaming } from "../../components/streaming/streaming";
import { Naming } from "../../components/shared/naming";
import { streamingPolicies } from "../../policy-pack/policies/streaming";
import { toDeploymentResources } from "../../tools/deployment";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { PackConfig, runPolicies } from "../../tools/policy-runner";
import { UNKNOWN_BOOLEAN, UNKNOWN_OBJECT, UNKNOWN_STRING, describeCases, evaluate, replaceAt } from "../fixtures/policy-harness";
import { MSK_CLUSTER, STREAMING_KEY, mskWith, streamingCases } from "../fixtures/policy-cases";

/**
 * The streaming rules (policy-pack/policies/streaming.ts) with good, bad and unknown cases, as the engine
 * calls them; and the pack over what the streaming tier builds. The cases are tests/fixtures/policy-cases.ts
 * `streamingCases`, part of `allCases` (pack.spec and unknowns.spec iterate that list).
 */

describe("policy: streaming rules", () => {
    describeCases(streamingCases);

    it("every streaming rule has cases, each rule judges msk.Cluster, and every reference is well-formed", () => {
        for (const policy of streamingPolicies) {
            const cases = streamingCases.find((rule) => rule.policy === policy.name);
            assert.ok(cases && cases.good.length > 0 && cases.bad.length > 0, policy.name);
            assert.deepStrictEqual(policy.resourceTypes, [MSK_CLUSTER], policy.name);
            for (const id of policy.references.checkov) assert.match(id, /^CKV2?_AWS_\d+$/);
            for (const id of policy.references.securityHub) assert.match(id, /^MSK\.\d+$/);
        }
        assert.deepStrictEqual(
            streamingPolicies.map((policy) => [policy.name, policy.enforcementLevel]),
            [
                ["msk-client-authentication", "mandatory"],
                ["msk-public-access-disabled", "mandatory"],
                ["msk-broker-logging", "mandatory"],
                ["msk-enhanced-monitoring", "advisory"],
            ],
        );
    });

    describe('the decisive property unknown gives "cannot tell yet", not a pass', () => {
        const decisive: [string, Record<string, unknown>][] = [
            ["msk-client-authentication", { clientAuthentication: UNKNOWN_OBJECT }],
            ["msk-client-authentication", { clientAuthentication: { sasl: { iam: UNKNOWN_BOOLEAN } } }],
            ["msk-client-authentication", { clientAuthentication: { sasl: { iam: true }, unauthenticated: UNKNOWN_BOOLEAN } }],
            ["msk-public-access-disabled", { brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: UNKNOWN_STRING } } } }],
            ["msk-public-access-disabled", { brokerNodeGroupInfo: UNKNOWN_OBJECT }],
            ["msk-broker-logging", { loggingInfo: UNKNOWN_OBJECT }],
            ["msk-broker-logging", { loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: UNKNOWN_BOOLEAN, logGroup: "g" } } } }],
            ["msk-broker-logging", { loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: UNKNOWN_STRING } } } }],
            ["msk-enhanced-monitoring", { enhancedMonitoring: UNKNOWN_STRING }],
        ];
        for (const [policy, changes] of decisive) {
            it(`${policy}: ${JSON.stringify(changes)}`, () => {
                const outcome = evaluate(policy, mskWith(changes));
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, true);
            });
        }

        it("a mechanism known to be on decides even when another is unknown", () => {
            const outcome = evaluate("msk-client-authentication", mskWith({ clientAuthentication: { sasl: { iam: true, scram: UNKNOWN_BOOLEAN } } }));
            assert.deepStrictEqual([outcome.violations, outcome.unknown], [[], false]);
        });
    });

    describe("the pack over what the streaming tier builds", () => {
        /** Every policy mandatory, so an advisory finding cannot hide. */
        const STRICT: PackConfig = { all: "mandatory" };
        let run: ProgramRun;
        before(async () => {
            run = await runProgram({
                stack: "prod",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Streaming("t-streaming", {
                        naming: new Naming("prod"),
                        config: streamingSchema.parse({
                            enabled: true,
                            topics: [
                                { name: "transactions", partitions: 6, cleanupPolicy: "delete", retentionHours: 168 },
                                { name: "product-updates", partitions: 3, cleanupPolicy: "compact", retentionHours: 720 },
                            ],
                        }),
                        protect: true,
                        subnetIds: ["subnet-1", "subnet-2", "subnet-3"],
                        securityGroupId: "sg-0streaming",
                        openMonitoring: true,
                        keys: { streaming: STREAMING_KEY, logs: "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222" },
                    });
                },
            });
        });

        it("the tier's resources pass every rule of the pack, the streaming ones included, with nothing left undecided", () => {
            const findings = runPolicies(toDeploymentResources(run), STRICT, "prod");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });

        it("the streaming rules really ran on the tier's cluster (a public one is caught)", () => {
            const resources = toDeploymentResources(run).map((resource) =>
                resource.type === MSK_CLUSTER
                    ? {
                          ...resource,
                          inputs: replaceAt(
                              resource.inputs,
                              ["brokerNodeGroupInfo", "connectivityInfo", "publicAccess", "type"],
                              "SERVICE_PROVIDED_EIPS",
                          ) as Record<string, unknown>,
                      }
                    : resource,
            );
            const policies = runPolicies(resources, STRICT, "prod").map((finding) => finding.policy);
            assert.deepStrictEqual(policies, ["msk-public-access-disabled"]);
        });
    });
});
