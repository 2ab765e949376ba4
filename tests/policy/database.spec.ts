import * as assert from "assert";
import { DatabaseConfig, databaseSchema } from "../../components/database/config";
import { Database } from "../../components/database/database";
import { Naming } from "../../components/shared/naming";
import { databasePolicies } from "../../policy-pack/policies/database";
import { TYPE } from "../../policy-pack/policies/types";
import { toDeploymentResources } from "../../tools/deployment";
import { STRICTEST_CONFIG, StackInput, loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING, describeCases, evaluate, res } from "../fixtures/policy-harness";
import { DATABASE_KEY, RDS_INSTANCE, RDS_PARAMETER_GROUP, databaseCases, rdsInstance } from "../fixtures/policy-cases";

// The cases (tests/fixtures/policy-cases.ts `databaseCases`) are also run by pack.spec and unknowns.spec (unknown,
// odd and "[secret]" values) through `allCases`.

describe("policy: database rules", () => {
    describeCases(databaseCases);

    it("has violating and compliant cases for every database rule", () => {
        for (const policy of databasePolicies) {
            const cases = databaseCases.find((rule) => rule.policy === policy.name);
            assert.ok(cases && cases.good.length > 0 && cases.bad.length > 0, policy.name);
        }
    });

    it("maps every rule to checkov and, where one exists, FSBP; only Multi-AZ is advisory by default", () => {
        const references = Object.fromEntries(
            databasePolicies.map((policy) => [policy.name, [...policy.references.checkov, ...policy.references.securityHub]]),
        );
        assert.deepStrictEqual(references, {
            "rds-multi-az": ["CKV_AWS_157", "RDS.5"],
            "rds-enhanced-monitoring": ["CKV_AWS_118", "RDS.6"],
            "rds-log-exports": ["CKV_AWS_129", "RDS.9", "RDS.36"],
            "rds-iam-authentication": ["CKV_AWS_161", "RDS.10"],
            "rds-auto-minor-version-upgrade": ["CKV_AWS_226", "RDS.13"],
            "rds-copy-tags-to-snapshot": ["CKV2_AWS_60", "RDS.17"],
            "rds-performance-insights-kms": ["CKV_AWS_353", "CKV_AWS_354"],
            "rds-tls-required": ["CKV2_AWS_69"],
        });
        assert.deepStrictEqual(
            databasePolicies.filter((policy) => policy.enforcementLevel !== "mandatory").map((policy) => policy.name),
            ["rds-multi-az"],
        );
    });

    describe('the decisive property unknown gives "cannot tell yet", not a pass', () => {
        const decisive: [string, StackInput[]][] = [
            ["rds-multi-az", rdsInstance({ multiAz: UNKNOWN_BOOLEAN })],
            ["rds-enhanced-monitoring", rdsInstance({ monitoringInterval: UNKNOWN_NUMBER, monitoringRoleArn: "arn:r" })],
            ["rds-log-exports", rdsInstance({ engine: "postgres", enabledCloudwatchLogsExports: UNKNOWN_ARRAY })],
            ["rds-log-exports", rdsInstance({ engine: UNKNOWN_STRING, enabledCloudwatchLogsExports: ["error"] })],
            ["rds-iam-authentication", rdsInstance({ engine: "postgres", iamDatabaseAuthenticationEnabled: UNKNOWN_BOOLEAN })],
            ["rds-iam-authentication", rdsInstance({ engine: UNKNOWN_STRING })],
            ["rds-auto-minor-version-upgrade", rdsInstance({ autoMinorVersionUpgrade: UNKNOWN_BOOLEAN })],
            ["rds-copy-tags-to-snapshot", rdsInstance({ copyTagsToSnapshot: UNKNOWN_BOOLEAN })],
            ["rds-performance-insights-kms", rdsInstance({ performanceInsightsEnabled: true, performanceInsightsKmsKeyId: UNKNOWN_STRING })],
            ["rds-tls-required", rdsInstance({ engine: UNKNOWN_STRING })],
            ["rds-tls-required", rdsInstance({ engine: "postgres", parameterGroupName: UNKNOWN_STRING })],
            ["rds-tls-required", rdsInstance({ engine: "postgres", parameterGroupName: "shared-group-of-another-stack" })],
            [
                "rds-tls-required",
                [
                    res(RDS_PARAMETER_GROUP, "g", { name: "g", parameters: UNKNOWN_ARRAY }),
                    res(RDS_INSTANCE, "db", { engine: "postgres", parameterGroupName: "g" }),
                ],
            ],
            [
                "rds-tls-required",
                [
                    res(RDS_PARAMETER_GROUP, "g", { name: "g", parameters: [{ name: "rds.force_ssl", value: UNKNOWN_STRING }] }),
                    res(RDS_INSTANCE, "db", { engine: "postgres", parameterGroupName: "g" }),
                ],
            ],
        ];
        decisive.forEach(([policy, resources], index) => {
            it(`${policy} #${index + 1}`, () => {
                const outcome = evaluate(policy, resources);
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, true);
            });
        });

        it("rds-tls-required reports what it knows and defers the rest", () => {
            const outcome = evaluate("rds-tls-required", [
                res(RDS_INSTANCE, "plain", { engine: "postgres" }),
                res(RDS_INSTANCE, "elsewhere", { engine: "postgres", parameterGroupName: "not-in-this-stack" }),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((violation) => violation.urn),
                [res(RDS_INSTANCE, "plain", {}).urn],
            );
            assert.strictEqual(outcome.unknown, true);
        });
    });

    describe("the database tier's own resources", () => {
        async function runTier(config: DatabaseConfig, protect: boolean, stack: string): Promise<ProgramRun> {
            return runProgram({
                stack,
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Database("t-database", {
                        naming: new Naming(stack),
                        config,
                        region: "us-east-2",
                        protect,
                        subnetIds: ["subnet-01", "subnet-02", "subnet-03"],
                        securityGroupId: "sg-0database",
                        keys: { database: DATABASE_KEY, secrets: DATABASE_KEY.replace("4444", "1111"), logs: DATABASE_KEY.replace("4444", "2222") },
                        logRetentionDays: 30,
                    });
                },
            });
        }

        const prod = databaseSchema.parse({ enabled: true, instanceClass: "db.m7g.large", multiAz: true, backupRetentionDays: 30 });
        const staging = databaseSchema.parse({ enabled: true, instanceClass: "db.t4g.small", backupRetentionDays: 7 });
        const mysql = databaseSchema.parse({ enabled: true, engine: "mysql", instanceClass: "db.m7g.large", multiAz: true, backupRetentionDays: 30 });

        for (const [title, config] of [
            ["prod-like PostgreSQL", prod],
            ["prod-like MySQL", mysql],
        ] as const) {
            it(`${title}: passes every rule of the pack at its strictest (all mandatory), deciding everything`, async () => {
                const run = await runTier(config, true, "prod");
                const findings = runPolicies(toDeploymentResources(run), STRICTEST_CONFIG, "prod");
                assert.deepStrictEqual(
                    findings.map((finding) => `${finding.policy}: ${finding.message}`),
                    [],
                );
                assert.ok(run.resources.some((resource) => resource.type === TYPE.rdsInstance));
            });
        }

        it("staging-like (single-AZ, destroyable): no mandatory violation under staging's pack config; only the advisory ones it relaxes", async () => {
            const run = await runTier(staging, false, "staging");
            const findings = runPolicies(toDeploymentResources(run), loadPackConfig("staging"), "staging");
            assert.deepStrictEqual(
                findings.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
            assert.deepStrictEqual([...new Set(findings.map((finding) => finding.policy))].sort(), ["rds-deletion-safety", "rds-multi-az"]);
            assert.ok(!findings.some((finding) => finding.cannotTell), "the offline plan knows every value");
        });
    });
});
