import * as assert from "assert";
import * as path from "path";
import { PROJECT, STRICTEST_CONFIG, chooseLevels, describeLevels, levelOf, loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { loadStateFile } from "../../tools/state/load";
import { policyNamed } from "../fixtures/policy-harness";

/**
 * Which levels judge a state (issue 10, item 3): --config, else this project's
 * own stack config when the URNs name this project, else the strictest levels.
 */

const QUIRKS = path.join(__dirname, "..", "fixtures", "state-quirks");

describe("policy levels for a state", () => {
    it("the project is read from Pulumi.yaml", () => {
        assert.strictEqual(PROJECT, "data-platform");
    });

    it("this project's stack gets its own policy-pack/config/<stack>.json", () => {
        const levels = chooseLevels({ projects: ["data-platform"], stacks: ["dev"] });
        assert.strictEqual(levels.source, "stack");
        assert.strictEqual(levels.file, path.join("policy-pack", "config", "dev.json"));
        assert.strictEqual(levels.reason, 'the state is stack "dev" of this project, data-platform');
        assert.deepStrictEqual(levels.config, loadPackConfig("dev"));
        assert.strictEqual(
            describeLevels(levels),
            'levels from policy-pack/config/dev.json (the state is stack "dev" of this project, data-platform)',
        );
    });

    it("a foreign project's stack called dev gets the strictest levels, not this project's dev levels", () => {
        const state = loadStateFile(path.join(QUIRKS, "checkpoint-foreign-dev.json"));
        const levels = chooseLevels(state);
        assert.strictEqual(levels.source, "strictest");
        assert.strictEqual(levels.ownStack, undefined);
        assert.strictEqual(levels.reason, 'the state is project "shop" stack "dev", not this project, data-platform');
        assert.strictEqual(describeLevels(levels), `the strictest levels, every policy mandatory (${levels.reason})`);
        // What would have happened with this project's dev levels: the public IP only advisory.
        const underDev = runPolicies(state.resources, loadPackConfig("dev"), "dev", { propsFrom: "state" });
        assert.deepStrictEqual(
            underDev.map((finding) => `${finding.enforcementLevel} ${finding.policy}`),
            ["advisory ec2-no-public-ip"],
        );
        const underStrictest = runPolicies(state.resources, levels.config, "dev", { propsFrom: "state" });
        assert.deepStrictEqual(
            underStrictest.map((finding) => `${finding.enforcementLevel} ${finding.policy}`),
            ["mandatory ec2-no-public-ip"],
        );
    });

    it("the strictest levels make every policy mandatory", () => {
        for (const name of ["ec2-no-public-ip", "log-group-kms", "rds-deletion-safety", "required-tags"]) {
            assert.strictEqual(levelOf(policyNamed(name), STRICTEST_CONFIG), "mandatory", name);
        }
    });

    it("a stack of this project without a pack config, mixed stacks, and no project all get the strictest levels, each saying why", () => {
        const cases: [Parameters<typeof chooseLevels>[0], string][] = [
            [
                { projects: ["data-platform"], stacks: ["mine"] },
                `stack "mine" of this project has no ${path.join("policy-pack", "config", "mine.json")}`,
            ],
            [{ projects: ["data-platform"], stacks: ["dev", "prod"] }, "the resources name several stacks (dev, prod)"],
            [{ projects: ["data-platform", "shop"], stacks: ["dev"] }, 'the state is project "shop" stack "dev", not this project, data-platform'],
            [{ projects: [], stacks: [] }, "the state names no project (it has no resources)"],
        ];
        for (const [state, reason] of cases) {
            const levels = chooseLevels(state);
            assert.deepStrictEqual([levels.source, levels.reason], ["strictest", reason], JSON.stringify(state));
            assert.strictEqual(levels.config, STRICTEST_CONFIG);
        }
        assert.strictEqual(
            chooseLevels({ projects: ["data-platform"], stacks: ["mine"] }).ownStack,
            "mine",
            "still this project's stack (for its waivers)",
        );
    });

    it("a plan document's declared project and stack count when it has no resources", () => {
        assert.strictEqual(chooseLevels({ project: "data-platform", stack: "staging" }).file, path.join("policy-pack", "config", "staging.json"));
    });

    it("--config wins over everything, and the report says it was given", () => {
        const levels = chooseLevels({ projects: ["shop"], stacks: ["dev"] }, "policy-pack/config/prod.json");
        assert.deepStrictEqual([levels.source, levels.file, levels.reason], ["file", "policy-pack/config/prod.json", "given with --config"]);
        assert.deepStrictEqual(levels.config, loadPackConfig("prod"));
    });
});
