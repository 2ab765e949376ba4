import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resourcePolicies } from "../../policy-pack/policies";
import { PackResourcePolicy } from "../../policy-pack/policies/rules";
import { PolicyRun, policyInProcess, policyProcess } from "../support/policy-cli";

/**
 * `npm run policy` over the state shapes Pulumi writes, the levels it chooses
 * and says, waivers, and the exit codes of DESIGN.md interface 3 (0 pass,
 * 1 mandatory violation, 2 bad input naming the file, 3 internal error in one
 * line). Spawns the real CLI, except for the internal error, which needs a
 * broken rule injected in-process.
 */

const QUIRKS = path.join(__dirname, "..", "fixtures", "state-quirks");
const quirk = (name: string) => path.join(QUIRKS, name);

const noStackTrace = (run: PolicyRun) => assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");

describe("policy CLI over real-world state", () => {
    let dir: string;
    const json = (name: string) => path.join(dir, name);
    const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-state-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("levels, said in text and JSON", () => {
        it("a foreign project's stack called dev is judged by the strictest levels, exit 1, JSON written", () => {
            const out = json("foreign.json");
            const run = policyInProcess("--state", quirk("checkpoint-foreign-dev.json"), "--json", out);
            assert.strictEqual(run.status, 1, run.stderr);
            assert.match(
                run.stdout,
                /^policy pack over 2 resources of state checkpoint, version 3 .*checkpoint-foreign-dev\.json \(project shop, stack dev\)$/m,
            );
            assert.match(
                run.stdout,
                /^the strictest levels, every policy mandatory \(the state is project "shop" stack "dev", not this project, data-platform\)$/m,
            );
            assert.match(run.stdout, /^waivers: none \(the state is project "shop"/m);
            assert.match(run.stdout, /\[ec2-no-public-ip\] web \(Instance\) assigns a public IP address\./);
            const report = read(out);
            assert.deepStrictEqual([report.verdict, report.exitCode], ["fail", 1]);
            assert.deepStrictEqual(report.levels, {
                source: "strictest",
                reason: 'the state is project "shop" stack "dev", not this project, data-platform',
            });
            assert.deepStrictEqual(report.state.judged, "outputs merged under inputs");
            assert.deepStrictEqual(
                report.violations.map((v: { policy: string; enforcementLevel: string }) => `${v.enforcementLevel} ${v.policy}`),
                ["mandatory ec2-no-public-ip"],
            );
        });

        it("this project's old {target, latest} checkpoint is judged by its stack's levels, exit 0", () => {
            const run = policyInProcess("--state", quirk("checkpoint-v0.json"));
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            assert.match(run.stdout, /^levels from policy-pack\/config\/dev\.json \(the state is stack "dev" of this project, data-platform\)$/m);
            assert.match(run.stdout, /PASS: no mandatory violations/);
        });

        it("an empty stack passes with zero resources and a JSON report", () => {
            const out = json("empty.json");
            const run = policyInProcess("--state", quirk("empty-stack.json"), "--json", out);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, /policy pack over 0 resources of pulumi stack export, version 3/);
            assert.match(run.stdout, /the strictest levels, every policy mandatory \(the state names no project \(it has no resources\)\)/);
            assert.deepStrictEqual([read(out).verdict, read(out).violations], ["pass", []]);
        });
    });

    describe("quirks", () => {
        it('secrets and unknowns are "cannot tell", in their own group, and do not fail', () => {
            const out = json("secrets.json");
            const run = policyInProcess("--state", quirk("secrets-and-unknowns.json"), "--json", out);
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            const report = read(out);
            const secrets = report.violations.filter((v: { cannotTell?: string }) => v.cannotTell === "secret").length;
            assert.ok(report.violations.length >= 3 && secrets >= 1, JSON.stringify(report.violations, null, 2));
            assert.deepStrictEqual(report.summary, {
                mandatory: 0,
                advisory: 0,
                cannotTell: report.violations.length,
                hiddenSecrets: secrets,
                waived: 0,
            });
            assert.match(run.stdout, new RegExp(`^mandatory \\(0\\)\nadvisory \\(0\\)\ncannot tell \\(${report.violations.length}\\)$`, "m"));
            assert.match(run.stdout, /\[iam-trust-specific-principals\] hidden secret, cannot tell: /);
            assert.match(run.stdout, /\[kms-key-rotation\] cannot tell yet: /);
        });

        it("resources pending deletion or replacement are skipped and listed", () => {
            const out = json("pending.json");
            const run = policyInProcess("--state", quirk("pending.json"), "--json", out);
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            assert.match(
                run.stdout,
                /^skipped 2 resource\(s\):\n {2}urn:pulumi:prod::data-platform::aws:ebs\/volume:Volume::prod-data: an old copy awaiting deletion \(delete: true\)\n/m,
            );
            assert.strictEqual(read(out).state.skipped.length, 2);
        });

        it("null lists no longer crash the runner", () => {
            const run = policyInProcess("--state", quirk("null-lists.json"));
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        });
    });

    it("summarises required-tags per resource type on a foreign stack; the JSON keeps every finding", () => {
        const topic = (name: string, type = "aws:sns/topic:Topic") => ({
            urn: `urn:pulumi:test::shop::${type}::${name}`,
            custom: true,
            type,
            inputs: {},
            outputs: { name },
        });
        const state = json("untagged.json");
        fs.writeFileSync(
            state,
            JSON.stringify({ version: 3, deployment: { resources: [topic("a"), topic("b"), topic("c"), topic("q", "aws:sqs/queue:Queue")] } }),
        );
        const out = json("untagged-report.json");
        const run = policyInProcess("--state", state, "--json", out);
        assert.strictEqual(run.status, 1);
        assert.match(
            run.stdout,
            / {2}\[required-tags\] 4 finding\(s\) summarised by resource type \(each one is in the --json report\):\n {6}3 × aws:sns\/topic:Topic\n {6}1 × aws:sqs\/queue:Queue\n/,
        );
        assert.doesNotMatch(run.stdout, /\[required-tags\] a \(Topic\)/);
        assert.strictEqual(read(out).violations.filter((v: { policy: string }) => v.policy === "required-tags").length, 4);
    });

    describe("waivers", () => {
        const STATE = quirk("waivable-prod.json");
        const APP_LOGS = "urn:pulumi:prod::data-platform::aws:cloudwatch/logGroup:LogGroup::prod-app-logs";
        const DEBUG_LOGS = "urn:pulumi:prod::data-platform::aws:cloudwatch/logGroup:LogGroup::prod-debug-logs";
        const write = (name: string, waivers: unknown) => {
            const file = json(name);
            fs.writeFileSync(file, JSON.stringify({ waivers }));
            return file;
        };

        it("waived findings are listed with their reason and not counted; expired and stale waivers are reported", () => {
            const file = write("waivers.json", [
                { policy: "log-group-retention", urn: APP_LOGS, reason: "short-lived app logs, exported nightly (OPS-12)", expires: "2030-01-31" },
                {
                    policy: "ebs-encryption",
                    urn: "urn:pulumi:prod::data-platform::*::prod-scratch",
                    reason: "scratch volume, replaced in OPS-7",
                    expires: "2025-05-31",
                },
                { policy: "s3-versioning", urn: "urn:pulumi:prod::data-platform::*", reason: "no buckets left", expires: "2030-01-31" },
            ]);
            const out = json("waived-report.json");
            const run = policyInProcess("--state", STATE, "--waivers", file, "--today", "2025-06-01", "--json", out);
            assert.strictEqual(run.status, 1, run.stderr);
            assert.match(run.stdout, /^waivers: 3 from .*waivers\.json \(given with --waivers\), as of 2025-06-01$/m);
            assert.match(run.stdout, /^mandatory \(2\)$/m);
            assert.match(run.stdout, /^ {2}\[log-group-retention\] prod-debug-logs .*\n {6}urn:.*::prod-debug-logs$/m);
            assert.match(run.stdout, /^ {2}\[ebs-encryption\] prod-scratch .*\n {6}urn:.*::prod-scratch$/m);
            assert.match(
                run.stdout,
                new RegExp(
                    `^waived \\(1\\), not counted:\n {2}\\[log-group-retention\\] prod-app-logs .*\n {6}${APP_LOGS}\n {6}waived until 2030-01-31: short-lived app logs, exported nightly \\(OPS-12\\)$`,
                    "m",
                ),
            );
            assert.match(
                run.stdout,
                /^waivers to review \(2\):\n {2}expired 2025-05-31, waives nothing: 1 finding\(s\) count again: \[ebs-encryption\] .*prod-scratch: scratch volume, replaced in OPS-7\n {2}matches nothing: \[s3-versioning\] urn:pulumi:prod::data-platform::\*: no buckets left$/m,
            );
            assert.match(run.stdout, /FAIL: 2 mandatory violation\(s\)/);
            const report = read(out);
            assert.deepStrictEqual(report.summary, { mandatory: 2, advisory: 0, cannotTell: 0, hiddenSecrets: 0, waived: 1 });
            assert.deepStrictEqual(
                report.waived.map((v: { urn: string; waiver: { reason: string } }) => [v.urn, v.waiver.reason]),
                [[APP_LOGS, "short-lived app logs, exported nightly (OPS-12)"]],
            );
            assert.deepStrictEqual(
                report.waivers.expired.map((e: { waiver: { policy: string }; matched: number }) => [e.waiver.policy, e.matched]),
                [["ebs-encryption", 1]],
            );
            assert.deepStrictEqual(
                report.waivers.unused.map((w: { policy: string }) => w.policy),
                ["s3-versioning"],
            );
            assert.strictEqual(report.waivers.asOf, "2025-06-01");
        });

        it("every finding waived passes (exit 0) until the waivers expire, then fails again", () => {
            const file = write("all.json", [
                {
                    policy: "log-group-retention",
                    urn: "urn:pulumi:prod::data-platform::aws:cloudwatch/logGroup:LogGroup::*",
                    reason: "logs exported nightly",
                    expires: "2030-01-31",
                },
                {
                    policy: "ebs-encryption",
                    urn: "urn:pulumi:prod::data-platform::aws:ebs/volume:Volume::prod-scratch",
                    reason: "scratch",
                    expires: "2030-01-31",
                },
            ]);
            const before = policyInProcess("--state", STATE, "--waivers", file, "--today", "2030-01-31");
            assert.strictEqual(before.status, 0, before.stdout);
            assert.match(before.stdout, /^mandatory \(0\)$/m);
            assert.match(before.stdout, /^waived \(3\), not counted:/m);
            assert.ok(before.stdout.includes(DEBUG_LOGS));
            const afterwards = policyInProcess("--state", STATE, "--waivers", file, "--today", "2030-02-01");
            assert.strictEqual(afterwards.status, 1);
            assert.match(afterwards.stdout, /^mandatory \(3\)$/m);
            assert.match(afterwards.stdout, /^waivers to review \(2\):\n {2}expired 2030-01-31, waives nothing: 2 finding\(s\) count again/m);
        });

        it("a bad waiver file exits 2 naming the file and the field", () => {
            const file = write("bad.json", [{ policy: "log-group-retention", urn: APP_LOGS, reason: "x", expires: "next week" }]);
            const run = policyInProcess("--state", STATE, "--waivers", file);
            assert.strictEqual(run.status, 2);
            assert.match(run.stderr, /^policy: .*bad\.json: waivers\[0\]\.expires is "next week"; expected a date YYYY-MM-DD/);
            assert.strictEqual(run.stdout, "");
        });
    });

    describe("exit codes", () => {
        it("2 for bad arguments and files, one line on stderr naming what is wrong, before any work", () => {
            fs.writeFileSync(json("future.json"), JSON.stringify({ version: 7, deployment: { resources: [] } }));
            const cases: [string[], RegExp][] = [
                [["--state", quirk("pending.json"), "--json", dir], /--json .* is a directory; expected a file path/],
                [
                    ["--state", quirk("pending.json"), "--json", path.join(dir, "no", "such", "r.json")],
                    /--json .*r\.json: the folder .*such does not exist/,
                ],
                [["--state", quirk("pending.json"), "--sarif-typo", "x"], /Unknown option '--sarif-typo'/],
                [["--state", quirk("pending.json"), "--today", "tomorrow"], /--today is "tomorrow"; expected a date YYYY-MM-DD/],
                [
                    ["--state", json("future.json")],
                    /future\.json: "version" is 7; this runner reads versions 1, 2, 3, 4 \(the file was written by a newer Pulumi/,
                ],
                [["--state", dir], /cannot read .* \(it is a directory\)/],
            ];
            for (const [args, expected] of cases) {
                const run = policyProcess(...args);
                assert.strictEqual(run.status, 2, `${args.join(" ")}\n${run.stdout}${run.stderr}`);
                assert.match(run.stderr, expected);
                assert.match(run.stderr, /^policy: /);
                assert.strictEqual(run.stdout, "", "nothing judged");
                noStackTrace(run);
            }
        });

        it("3 for an internal error: one line saying how to get the detail, the stack trace only with --debug", () => {
            const broken = {
                name: "broken-rule",
                description: "a rule with a bug",
                enforcementLevel: "mandatory",
                resourceTypes: [],
                references: { checkov: [], securityHub: [] },
                validateResource: () => {
                    throw new TypeError("Cannot read properties of null (reading 'map')");
                },
            } as unknown as PackResourcePolicy;
            const policies = resourcePolicies as PackResourcePolicy[];
            policies.push(broken);
            try {
                const out = json("never.json");
                const plain = policyInProcess("--state", quirk("pending.json"), "--json", out);
                assert.strictEqual(plain.status, 3);
                assert.strictEqual(plain.stdout, "");
                assert.strictEqual(
                    plain.stderr,
                    "policy: internal error: stack prod: policy broken-rule failed on urn:pulumi:prod::data-platform::aws:ebs/volume:Volume::prod-data: Cannot read properties of null (reading 'map') (run again with --debug for the stack trace)",
                );
                assert.ok(!fs.existsSync(out), "no verdict, no report");
                const debug = policyInProcess("--state", quirk("pending.json"), "--debug");
                assert.strictEqual(debug.status, 3);
                assert.match(debug.stderr, /^policy: internal error: .*\(reading 'map'\)\nError: .*\n\s+at /);
            } finally {
                policies.splice(policies.indexOf(broken), 1);
            }
        });
    });
});
