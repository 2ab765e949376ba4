import * as assert from "assert";
import { Audit } from "../../components/audit/audit";
import { auditSchema } from "../../components/audit/config";
import { Naming } from "../../components/shared/naming";
import { toDeploymentResources } from "../../tools/deployment";
import { runPolicies } from "../../tools/policy-runner";
import { runProgram } from "../../tools/run-program";
import { auditPolicies } from "../../policy-pack/policies/audit";
import { TYPE } from "../../policy-pack/policies/types";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, describeCases, evaluate } from "../fixtures/policy-harness";
import { ALARM_TOPIC_ARN, alarm, auditCases } from "../fixtures/policy-cases";

// The cases are tests/fixtures/policy-cases.ts `auditCases` (unknowns.spec also runs them with unknown, odd and "[secret]" values).

describe("policy: audit rules", () => {
    describeCases(auditCases);

    describe("unknown values", () => {
        it('cloudwatch-alarm-actions: unknown alarmActions or actionsEnabled is "cannot tell yet", not a pass', () => {
            for (const props of [{ alarmActions: UNKNOWN_ARRAY }, { actionsEnabled: UNKNOWN_BOOLEAN, alarmActions: [ALARM_TOPIC_ARN] }]) {
                const outcome = evaluate("cloudwatch-alarm-actions", alarm(props));
                assert.deepStrictEqual([outcome.violations, outcome.unknown], [[], true], JSON.stringify(props));
            }
        });
    });

    it("every audit rule has cases, references and a default level", () => {
        for (const policy of auditPolicies) {
            assert.ok(
                auditCases.some((cases) => cases.policy === policy.name),
                policy.name,
            );
            assert.ok(
                policy.references.checkov.length + policy.references.securityHub.length + (policy.references.securityHubOther ?? []).length > 0,
            );
            assert.strictEqual(policy.enforcementLevel, "advisory");
        }
    });

    it("the audit tier's own resources pass the audit rules", async () => {
        const run = await runProgram({
            stack: "staging",
            config: { "aws:region": "us-east-2" },
            program: () => {
                new Audit("t-audit", {
                    naming: new Naming("staging"),
                    config: auditSchema.parse({ budget: true, alarms: true, alertEmail: "ops@example.com" }),
                    region: "us-east-2",
                    keys: { audit: "arn:aws:kms:us-east-2:123456789012:key/77777777-7777-4777-a777-777777777777" },
                    budgetMonthlyUsd: 300,
                    database: { instanceIdentifier: "staging-postgres" },
                    streaming: { clusterName: "staging-kafka", brokerCount: 2 },
                    protect: false,
                });
            },
        });
        const levels = Object.fromEntries(auditPolicies.map((policy) => [policy.name, "mandatory" as const]));
        const mine = new Set(auditPolicies.map((policy) => policy.name));
        const findings = runPolicies(toDeploymentResources(run), levels, "staging").filter((finding) => mine.has(finding.policy));
        assert.ok(run.resources.filter((resource) => resource.type === TYPE.cloudwatchMetricAlarm).length >= 5);
        assert.deepStrictEqual(
            findings.map((finding) => finding.message),
            [],
        );
    });
});
