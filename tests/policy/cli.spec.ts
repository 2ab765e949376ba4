import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policyProcess } from "../support/policy-cli";

/** `npm run policy`: exit codes 0/1/2, output grouped by level, --json report. Spawns the real CLI (more in tests/policy/). */

const FIXTURES = path.join(__dirname, "..", "fixtures");

describe("policy CLI", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 1 on mandatory violations, groups them by level and writes --json", () => {
        const out = path.join(dir, "violations.json");
        const run = policyProcess("--state", path.join(FIXTURES, "stack-export.json"), "--config", "policy-pack/config/dev.json", "--json", out);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /levels from policy-pack\/config\/dev\.json/);
        // dev.json allows the export's immediate secret deletion (secrets-recovery-window allowImmediateDeletion).
        assert.match(run.stdout, /^mandatory \(6\)$/m);
        assert.match(run.stdout, /^advisory \(1\)$/m);
        assert.match(run.stdout, /\[sg-world-ingress-public-ports-only\] prod-firewall-web-in-ssh/);
        assert.strictEqual(run.stdout.match(/\] prod-firewall-web-in-ssh /g)?.length, 1, "the world-open SSH rule is reported once");
        assert.match(run.stdout, /\[s3-tls-only\] prod-data-lake-logs \(Bucket\)/);
        assert.doesNotMatch(run.stdout, /\[s3-tls-only\] prod-data-lake-lake /);
        assert.match(run.stdout, /FAIL: 6 mandatory violation\(s\)/);
        const written = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(written.verdict, "fail");
        assert.deepStrictEqual(written.levels, { source: "file", file: "policy-pack/config/dev.json", reason: "given with --config" });
        assert.deepStrictEqual(written.summary, { mandatory: 6, advisory: 1, cannotTell: 0, hiddenSecrets: 0, waived: 0 });
        assert.strictEqual(written.violations.length, 7);
        for (const violation of written.violations)
            assert.deepStrictEqual(Object.keys(violation).sort(), ["enforcementLevel", "message", "policy", "urn"]);
        assert.deepStrictEqual(
            written.violations.find((v: { policy: string }) => v.policy === "secrets-manager-kms"),
            {
                policy: "secrets-manager-kms",
                enforcementLevel: "advisory",
                urn: "urn:pulumi:prod::data-platform::aws:secretsmanager/secret:Secret::prod-secrets-app",
                message: "prod-secrets-app (Secret) does not use a customer-managed KMS key (kmsKeyId).",
            },
        );
    });

    it("picks the stack's config from the state's URNs when --config is absent", () => {
        const run = policyProcess("--state", path.join(FIXTURES, "stack-export.json"));
        assert.strictEqual(run.status, 1);
        assert.match(
            run.stdout,
            /\(project data-platform, stack prod\)\nlevels from policy-pack\/config\/prod\.json \(the state is stack "prod" of this project, data-platform\)/,
        );
        assert.match(run.stdout, /^mandatory \(8\)$/m);
    });

    it("exits 0 on a clean export and writes an empty list", () => {
        const out = path.join(dir, "clean.json");
        const run = policyProcess("--state", path.join(FIXTURES, "stack-export-clean.json"), "--json", out);
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /PASS: no mandatory violations/);
        const written = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(written.verdict, "pass");
        assert.deepStrictEqual(written.violations, []);
        assert.deepStrictEqual(written.waived, []);
    });

    it("accepts a plan JSON (stack + deployment.resources) and uses that stack's config", () => {
        const exported = JSON.parse(fs.readFileSync(path.join(FIXTURES, "stack-export.json"), "utf8"));
        const plan = path.join(dir, "plan.json");
        const resources = JSON.parse(JSON.stringify(exported.deployment.resources).replaceAll("urn:pulumi:prod::", "urn:pulumi:dev::"));
        fs.writeFileSync(plan, JSON.stringify({ stack: "dev", project: "data-platform", deployment: { resources }, violations: [], cost: {} }));
        const run = policyProcess("--state", plan);
        assert.strictEqual(run.status, 1);
        assert.match(run.stdout, /resources of plan document .*\(project data-platform, stack dev\)\nlevels from policy-pack\/config\/dev\.json/);
        assert.match(run.stdout, /^advisory \(1\)$/m);
    });

    it("exits 2 with a clear message for a file that is not a stack export", () => {
        const run = policyProcess("--state", path.join(FIXTURES, "not-an-export.json"));
        assert.strictEqual(run.status, 2);
        assert.match(
            run.stderr,
            /not-an-export\.json: no "deployment" or "checkpoint" \(top-level keys: not, resources\); expected a `pulumi stack export` file \(\{"version": 3, "deployment": \{"resources": \[\.\.\.\]\}\}\), a state checkpoint/,
        );
        assert.strictEqual(run.stdout, "");
    });

    it("exits 2 for invalid JSON, a missing file, a missing --state and a bad config", () => {
        const broken = path.join(dir, "broken.json");
        fs.writeFileSync(broken, "{ not json");
        const invalid = policyProcess("--state", broken);
        assert.strictEqual(invalid.status, 2);
        assert.match(invalid.stderr, /broken\.json is not JSON \(.*\); expected a `pulumi stack export` file/);

        const missing = policyProcess("--state", path.join(dir, "nope.json"));
        assert.strictEqual(missing.status, 2);
        assert.match(missing.stderr, /cannot read .*nope\.json \(no such file\)/);

        const usage = policyProcess();
        assert.strictEqual(usage.status, 2);
        assert.match(usage.stderr, /--state FILE is required\nusage: npm run policy -- --state FILE/);

        const config = path.join(dir, "bad-config.json");
        fs.writeFileSync(config, JSON.stringify({ "no-such-rule": "mandatory" }));
        const badConfig = policyProcess("--state", path.join(FIXTURES, "stack-export-clean.json"), "--config", config);
        assert.strictEqual(badConfig.status, 2);
        assert.match(badConfig.stderr, /unknown policy "no-such-rule"/);
    });
});
