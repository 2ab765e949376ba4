import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../components/config";
import { isSecretValue, RecordedResource } from "../../tools/mock-cloud";
import { EXIT_BAD_INPUT, EXIT_MANDATORY_VIOLATION, EXIT_OK, buildPlan, main } from "../../tools/plan";
import { ROOT_DIR } from "../../tools/run-program";
import { stackNames } from "../../tools/stack-files";
import { STACKS, runStack } from "../support/helpers";
import { captureIo, editedFixtureDir } from "../support/plan";
import { FIXTURE_STACKS_DIR } from "../support/stateful";

/**
 * `npm run plan`: the plan document, exit codes and config errors, through `main(argv, io)` and
 * `buildPlan(options)` in-process (what the CLI runs; a new Node process costs more than a plan).
 * The CLI process itself, arguments and output: plan-cli.spec.ts.
 */

/** Every plain-text value the program marked secret (generated passwords, ...). */
function secretValues(resources: readonly RecordedResource[]): string[] {
    const found: string[] = [];
    const walk = (value: unknown) => {
        if (isSecretValue(value)) {
            const inner = value.value;
            if (typeof inner === "string" && inner.length >= 8) found.push(inner);
            else walk(inner);
        } else if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    for (const resource of resources) {
        walk(resource.inputs);
        walk(resource.outputs);
    }
    return found;
}

/** Plans the dev fixture with text edits (each must apply) and `append`ed YAML, from a temporary folder. */
async function planEditedDev(edits: readonly (readonly [string, string])[], append = "") {
    const dir = editedFixtureDir("dev", edits, append);
    try {
        return await buildPlan({ stack: "dev", root: dir });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The ConfigError the plan of the edited dev fixture stops with, before the program runs. */
async function configErrorOfEditedDev(edits: readonly (readonly [string, string])[]): Promise<ConfigError> {
    let caught: unknown;
    await planEditedDev(edits).catch((error: unknown) => {
        caught = error;
    });
    assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
    return caught;
}

describe("offline plan CLI", function () {
    this.timeout(120000);

    it("exits 2 for an unknown stack, listing the stacks, in one line without a stack trace", async () => {
        const io = captureIo();
        assert.strictEqual(await main(["--stack", "qa"], io), EXIT_BAD_INPUT);
        const stacks = stackNames(ROOT_DIR).join(", ");
        assert.ok(io.stderr().includes(`unknown stack "qa" (no Pulumi.qa.yaml); stacks here: ${stacks}`), io.stderr());
        assert.strictEqual(io.stderr().split("\n").length, 1, io.stderr());
        assert.doesNotMatch(io.stderr(), /at .*\.ts:\d+/, "no stack trace");
    });

    it("writes the plan document for prod, every resource in stack-export shape, secrets as [secret]", async () => {
        const { document } = await buildPlan({ stack: "prod", root: FIXTURE_STACKS_DIR });
        const text = JSON.stringify(document);
        assert.strictEqual(document.stack, "prod");
        assert.strictEqual(document.project, "data-platform");
        assert.ok(Array.isArray(document.violations));
        assert.strictEqual(document.cost.currency, "USD");
        assert.ok(Array.isArray(document.cost.items));
        const resources = document.deployment.resources;
        const run = await runStack("prod");
        assert.strictEqual(resources.length, run.resources.length);
        for (const resource of resources) {
            assert.match(resource.urn, /^urn:pulumi:prod::data-platform::/);
            assert.strictEqual(typeof resource.type, "string");
            assert.strictEqual(typeof resource.custom, "boolean");
            assert.ok(resource.inputs && resource.outputs && Array.isArray(resource.dependencies));
        }
        assert.ok(
            resources.some((r) => r.parent),
            "parents are recorded",
        );
        for (const secret of secretValues(run.resources)) {
            assert.ok(!text.includes(secret), "a secret value leaked into the plan JSON");
        }
        if (secretValues(run.resources).length > 0) assert.ok(text.includes('"[secret]"'));
    });

    it("exits 1 when a mandatory rule fires (the dev fixture judged by prod's rules), listing the rule", async () => {
        const result = await buildPlan({
            stack: "dev",
            root: FIXTURE_STACKS_DIR,
            policyConfig: path.join(ROOT_DIR, "policy-pack", "config", "prod.json"),
        });
        assert.strictEqual(result.exitCode, EXIT_MANDATORY_VIOLATION);
        assert.ok(
            result.document.violations.some((violation) => violation.policy === "ec2-no-public-ip" && violation.enforcementLevel === "mandatory"),
        );
        assert.match(result.detail, /\[ec2-no-public-ip\]/);
    });

    describe("stops before running the program on bad config, naming the key (exit 2)", () => {
        it("a typo'd key", async () => {
            const error = await configErrorOfEditedDev([["natGateways: none", "natGateway: none"]]);
            assert.match(error.message, /data-platform:network\.natGateway = "none": unknown key/);
        });

        it("an overlapping subnet", async () => {
            const error = await configErrorOfEditedDev([
                ["privateSubnetCidrs: [10.0.10.0/24, 10.0.20.0/24]", "privateSubnetCidrs: [10.0.10.0/24, 10.0.2.0/24]"],
            ]);
            assert.match(error.message, /data-platform:network\.privateSubnetCidrs\[1\] = "10\.0\.2\.0\/24": overlaps/);
        });

        it("a world-open admin CIDR", async () => {
            const error = await configErrorOfEditedDev([["adminCidrs: [198.51.100.0/24]", "adminCidrs: [0.0.0.0/0]"]]);
            assert.match(error.message, /data-platform:access\.adminCidrs\[0\] = "0\.0\.0\.0\/0"/);
        });
    });

    it("exits 2 when the estimate is over a budget the stack enforces, and only warns otherwise", async () => {
        // $1 is below any plan's estimate, whatever the user's stack costs.
        const budget = (enforce: boolean) => `  data-platform:budget:\n    monthlyUsd: 1\n    enforce: ${enforce}\n`;
        const enforced = await planEditedDev([], budget(true));
        assert.strictEqual(enforced.exitCode, EXIT_BAD_INPUT);
        assert.match(enforced.summary, /exceeds data-platform:budget\.monthlyUsd \$1\.00 .*config error/);
        const advisory = await planEditedDev([], budget(false));
        assert.strictEqual(advisory.exitCode, EXIT_OK);
        assert.match(advisory.summary, /exceeds data-platform:budget\.monthlyUsd \$1\.00 .*advisory only/);
    });

    it("keeps every stack's generated secrets out of recorded plain inputs", async () => {
        for (const stack of STACKS) {
            const run = await runStack(stack);
            const secrets = secretValues(run.resources);
            for (const resource of run.resources) {
                const plainText = JSON.stringify(resource.inputs, (_key, value) => (isSecretValue(value) ? "[secret]" : value));
                for (const secret of secrets) assert.ok(!plainText.includes(secret), `${resource.name} carries a secret in plain text`);
            }
        }
    });
});
