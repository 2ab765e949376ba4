import * as assert from "assert";
import { edgeSchema } from "../../components/edge/config";
import { Edge } from "../../components/edge/edge";
import { Naming } from "../../components/shared/naming";
import { edgePolicies } from "../../policy-pack/policies/edge";
import { toDeploymentResources } from "../../tools/deployment";
import { STRICTEST_CONFIG, StackInput, runPolicies } from "../../tools/policy-runner";
import { runProgram } from "../../tools/run-program";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING, describeCases, evaluate, res } from "../fixtures/policy-harness";
import { ALB_ARN, ECS_SERVICE, EDGE_SERVICE, LB_LISTENER, acl, alb, association, edgeCases, httpsListener, logging } from "../fixtures/policy-cases";

// The cases are tests/fixtures/policy-cases.ts `edgeCases` (unknowns.spec also runs them with unknown, odd and "[secret]" values).

const one = (type: string, props: Record<string, unknown>, name = "subject"): StackInput[] => [res(type, name, props)];

describe("policy: edge rules", () => {
    describeCases(edgeCases);

    it("has compliant and violating cases for every edge rule, each rule with references and a level", () => {
        assert.deepStrictEqual(edgeCases.map((rule) => rule.policy).sort(), edgePolicies.map((policy) => policy.name).sort());
        for (const policy of edgePolicies) {
            assert.ok(["mandatory", "advisory"].includes(policy.enforcementLevel ?? ""), policy.name);
            for (const id of policy.references.checkov) assert.match(id, /^CKV2?_AWS_\d+$/);
            for (const id of policy.references.securityHub) assert.match(id, /^(ELB|WAF)\.\d+$/);
        }
        const levels = Object.fromEntries(edgePolicies.map((policy) => [policy.name, policy.enforcementLevel]));
        assert.deepStrictEqual(levels, {
            "alb-drop-invalid-headers": "mandatory",
            "alb-access-logs": "mandatory",
            "lb-deletion-protection": "advisory",
            "alb-listener-tls13": "mandatory",
            "ecs-service-circuit-breaker": "advisory",
            "alb-waf-protected": "advisory",
        });
    });

    describe('the decisive property unknown gives "cannot tell yet", not a pass', () => {
        const decisive: [string, StackInput[]][] = [
            ["alb-drop-invalid-headers", [alb({ dropInvalidHeaderFields: UNKNOWN_BOOLEAN })]],
            ["alb-drop-invalid-headers", [alb({ loadBalancerType: UNKNOWN_STRING, dropInvalidHeaderFields: false })]],
            ["alb-access-logs", [alb({ accessLogs: { bucket: "logs", enabled: UNKNOWN_BOOLEAN } })]],
            ["lb-deletion-protection", [alb({ enableDeletionProtection: UNKNOWN_BOOLEAN })]],
            ["alb-listener-tls13", httpsListener(UNKNOWN_STRING)],
            ["alb-listener-tls13", one(LB_LISTENER, { protocol: UNKNOWN_STRING, sslPolicy: "ELBSecurityPolicy-2016-08" })],
            ["alb-waf-protected", [alb({ internal: UNKNOWN_BOOLEAN })]],
            ["alb-waf-protected", [alb(), acl(), association(UNKNOWN_STRING), logging()]],
            ["alb-waf-protected", [alb(), association(ALB_ARN, "arn:aws:wafv2:us-east-2:123456789012:regional/webacl/shared/x")]],
            [
                "ecs-service-circuit-breaker",
                one(ECS_SERVICE, { ...EDGE_SERVICE, deploymentCircuitBreaker: { enable: UNKNOWN_BOOLEAN, rollback: true } }),
            ],
        ];
        for (const [policy, resources] of decisive) {
            const what = JSON.stringify(resources.map((r) => r.props)).includes("04da6b54") ? "an unknown string" : "an unknown value";
            it(`${policy} with ${what} (${resources.map((r) => r.name).join(", ")})`, () => {
                const outcome = evaluate(policy, resources);
                assert.deepStrictEqual(
                    outcome.violations.map((v) => v.message),
                    [],
                );
                assert.strictEqual(outcome.unknown, true);
            });
        }
    });

    describe("the edge tier's own resources, as the stock mock cloud plans them", () => {
        async function findings(config: Record<string, unknown>, protect: boolean, levels = STRICTEST_CONFIG) {
            const run = await runProgram({
                stack: "prod",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Edge("t-edge", {
                        naming: new Naming("prod"),
                        config: edgeSchema.parse({ enabled: true, domain: "data-platform.example.com", hostedZoneId: "Z0EXAMPLE12345", ...config }),
                        region: "us-east-2",
                        protect,
                        vpcId: "vpc-0edge",
                        publicSubnetIds: ["subnet-0a", "subnet-0b"],
                        serviceSubnetIds: ["subnet-0c", "subnet-0d"],
                        webSecurityGroupId: "sg-0web",
                        appSecurityGroupId: "sg-0app",
                        clusterArn: "arn:aws:ecs:us-east-2:123456789012:cluster/prod-data-processing-cluster",
                        executionRoleArn: "arn:aws:iam::123456789012:role/prod-ecs-task-execution-role",
                        imageUri: "123456789012.dkr.ecr.us-east-2.amazonaws.com/prod-web:v0.1.0",
                        accessLogsBucket: { name: "prod-access-logs-0123abcd", arn: "arn:aws:s3:::prod-access-logs-0123abcd" },
                        dataLakeBucket: { name: "prod-data-lake-0123abcd", arn: "arn:aws:s3:::prod-data-lake-0123abcd" },
                        catalog: true,
                        keys: { logs: "arn:aws:kms:us-east-2:123456789012:key/logs", storage: "arn:aws:kms:us-east-2:123456789012:key/storage" },
                    });
                },
            });
            return runPolicies(toDeploymentResources(run), levels, "prod");
        }

        it("prod-like (WAF, protected, 365-day logs): no finding of any rule of the pack at its strictest", async () => {
            const found = await findings({ waf: true, logRetentionDays: 365 }, true);
            assert.deepStrictEqual(
                found.map((finding) => `${finding.enforcementLevel} ${finding.policy}: ${finding.message}`),
                [],
            );
        });

        it("staging-like (no WAF, unprotected): only the WAF and deletion-protection rules speak, and they name the ALB", async () => {
            const found = await findings({}, false);
            assert.deepStrictEqual(found.map((finding) => finding.policy).sort(), ["alb-waf-protected", "lb-deletion-protection"]);
            for (const finding of found) assert.match(finding.message, /t-edge-alb \(LoadBalancer\)/);
        });
    });
});
