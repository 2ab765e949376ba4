import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isSecretValue, RecordedResource } from "../tools/mock-cloud";
import { ROOT_DIR } from "../tools/run-program";
import { STACKS, runStack } from "./helpers";

const PLAN = path.join(ROOT_DIR, "tools", "plan.ts");

function runPlan(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ["-r", path.join(ROOT_DIR, "tools", "ts-register.js"), PLAN, ...args], {
        cwd: ROOT_DIR,
        encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a temporary stack file derived from dev's, runs the plan on it, removes it. */
function planEditedDev(edit: (text: string) => string, extraArgs: string[] = []): ReturnType<typeof runPlan> {
    const stack = `zz-test-${process.pid}`;
    const file = path.join(ROOT_DIR, `Pulumi.${stack}.yaml`);
    const text = edit(fs.readFileSync(path.join(ROOT_DIR, "Pulumi.dev.yaml"), "utf8"));
    fs.writeFileSync(file, text.replace("data-platform:environment: dev", "data-platform:environment: zz"));
    try {
        return runPlan(["--stack", stack, ...extraArgs]);
    } finally {
        fs.unlinkSync(file);
    }
}

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

describe("offline plan CLI", function () {
    this.timeout(120000);

    it("prints the dev tree with a summary and wall time, exit 0", () => {
        const result = runPlan([]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Offline plan of stack "dev" \(us-east-2\)/);
        assert.match(result.stdout, /└── dev {2}\(Platform, \d+ resources\)/);
        assert.match(result.stdout, /dev-network {2}\(Network, \d+ resources\)/);
        assert.match(result.stdout, /Resources by type:/);
        assert.match(result.stdout, /Plan dev: \d+ resources in \d+ components, .* wall time \d+\.\d+ s/);
    });

    it("writes the plan document for prod with --json, secrets as [secret]", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "prod.json");
        const result = runPlan(["--stack", "prod", "--json", out]);
        assert.ok(result.status === 0 || result.status === 1, result.stderr);
        const text = fs.readFileSync(out, "utf8");
        const document = JSON.parse(text);
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
        assert.ok(resources.some((r: { parent?: string }) => r.parent), "parents are recorded");
        for (const secret of secretValues(run.resources)) {
            assert.ok(!text.includes(secret), "a secret value leaked into the plan JSON");
        }
        if (secretValues(run.resources).length > 0) assert.ok(text.includes('"[secret]"'));
    });

    it("exits 2 naming the key for a typo'd key", () => {
        const result = planEditedDev((text) => text.replace("natGateways: none", "natGateway: none"));
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /data-platform:network\.natGateway = "none": unknown key/);
        assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, "no stack trace");
    });

    it("exits 2 naming the key for an overlapping subnet", () => {
        const result = planEditedDev((text) => text.replace("10.0.20.0/24", "10.0.2.0/24"));
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /data-platform:network\.privateSubnetCidrs\[1\] = "10\.0\.2\.0\/24": overlaps/);
    });

    it("exits 2 naming the key for a world-open admin CIDR", () => {
        const result = planEditedDev((text) => text.replace("adminCidrs: [203.0.113.0/24]", "adminCidrs: [0.0.0.0/0]"));
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /data-platform:access\.adminCidrs\[0\] = "0\.0\.0\.0\/0"/);
    });

    it("exits 2 when the estimate is over a budget the stack enforces, and only warns otherwise", () => {
        const withBudget = (enforce: boolean) => (text: string) => `${text}  data-platform:budget:\n    monthlyUsd: 50\n    enforce: ${enforce}\n`;
        const args = ["--policy-config", "policy-pack/config/dev.json"];
        const enforced = planEditedDev(withBudget(true), args);
        assert.strictEqual(enforced.status, 2, enforced.stderr);
        assert.match(enforced.stdout, /exceeds data-platform:budget\.monthlyUsd \$50\.00 .*config error/);
        const advisory = planEditedDev(withBudget(false), args);
        assert.strictEqual(advisory.status, 0, advisory.stderr);
        assert.match(advisory.stdout, /exceeds data-platform:budget\.monthlyUsd \$50\.00 .*advisory only/);
    });

    it("exits 1 when a mandatory rule fires (dev judged by prod's rules)", () => {
        const result = runPlan(["--stack", "dev", "--policy-config", "policy-pack/config/prod.json"]);
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /mandatory \([1-9]\d*\)/);
        assert.match(result.stdout, /\[ec2-no-public-ip\]/);
    });

    it("exits 2 for an unknown stack, listing the stacks", () => {
        const result = runPlan(["--stack", "qa"]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /unknown stack "qa" \(no Pulumi\.qa\.yaml\); stacks here: dev, prod, staging/);
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
