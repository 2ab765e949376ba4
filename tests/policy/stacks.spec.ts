import * as assert from "assert";
import { toDeploymentResources } from "../../tools/deployment";
import { loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { STACKS, runStack } from "../support/helpers";

/**
 * Every stack this program builds passes its own stack's pack config with zero
 * mandatory violations. A failure here is fixed in the program, never in the rule.
 */
describe("policy: every stack passes its own pack config", () => {
    for (const stack of STACKS) {
        it(`${stack}: no mandatory violations`, async () => {
            const run = await runStack(stack);
            const violations = runPolicies(toDeploymentResources(run), loadPackConfig(stack), stack);
            const mandatory = violations.filter((violation) => violation.enforcementLevel === "mandatory");
            assert.deepStrictEqual(
                mandatory.map((violation) => `${violation.policy}: ${violation.message}`),
                [],
            );
            assert.ok(!violations.some((violation) => violation.message.startsWith("cannot tell yet")), "the offline plan knows every value");
        });
    }

    it("dev's advisory findings are the ones dev relaxes on purpose", async () => {
        const run = await runStack("dev");
        const advisory = runPolicies(toDeploymentResources(run), loadPackConfig("dev"), "dev").filter(
            (violation) => violation.enforcementLevel === "advisory",
        );
        const relaxed = new Set(["ec2-no-public-ip", "ecs-no-public-ip", "rds-deletion-safety", "log-group-kms", "secrets-manager-kms", "ecr-kms"]);
        assert.deepStrictEqual(
            advisory.filter((violation) => !relaxed.has(violation.policy)),
            [],
        );
    });
});
