import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    PackConfigError,
    PolicyFinding,
    Waiver,
    applyWaivers,
    isIsoDate,
    readWaiverFile,
    urnMatches,
    validatePackConfig,
    validateWaivers,
} from "../../tools/policy-runner";

/**
 * Waivers (issue 10, item 8): one finding accepted with a reason until a date,
 * reported as waived, never dropped; expired or stale waivers reported. The
 * clock is an argument (`today`), never the real date.
 */

const URN = "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::prod-monitoring-host";
const OTHER = "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::prod-bastion";

const finding = (policy: string, urn: string | undefined, level: "mandatory" | "advisory" = "mandatory"): PolicyFinding => ({
    policy,
    enforcementLevel: level,
    ...(urn ? { urn } : {}),
    message: `${policy} on ${urn ?? "the stack"}`,
});

const waiver = (overrides: Partial<Waiver> = {}): Waiver => ({
    policy: "ec2-no-public-ip",
    urn: URN,
    reason: "the monitoring host is reached over its public IP until the VPN lands (OPS-42)",
    expires: "2026-03-31",
    ...overrides,
});

describe("policy waivers", () => {
    describe("applying them, as of a given day", () => {
        const findings = [finding("ec2-no-public-ip", URN), finding("ec2-no-public-ip", OTHER), finding("ec2-imdsv2", URN)];

        it("a waiver moves exactly its finding to `waived`, with its reason; the others still count", () => {
            const outcome = applyWaivers(findings, [waiver()], "2026-01-15");
            assert.deepStrictEqual(outcome.waived, [{ ...findings[0], waiver: waiver() }]);
            assert.deepStrictEqual(outcome.violations, [findings[1], findings[2]]);
            assert.deepStrictEqual(outcome.expired, []);
            assert.deepStrictEqual(outcome.unused, []);
        });

        it("holds through its expiry day and waives nothing the day after, being reported as expired", () => {
            assert.strictEqual(applyWaivers(findings, [waiver()], "2026-03-31").waived.length, 1, "the last day it holds");
            const after = applyWaivers(findings, [waiver()], "2026-04-01");
            assert.deepStrictEqual(after.waived, []);
            assert.deepStrictEqual(after.violations, findings, "the finding counts again");
            assert.deepStrictEqual(after.expired, [{ waiver: waiver(), matched: 1 }]);
            assert.deepStrictEqual(after.unused, []);
        });

        it("reports a waiver that matches nothing (fixed or renamed resource, wrong policy)", () => {
            const stale = waiver({ urn: "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::gone" });
            const wrongPolicy = waiver({ policy: "ebs-encryption" });
            const outcome = applyWaivers(findings, [stale, wrongPolicy], "2026-01-15");
            assert.deepStrictEqual(outcome.unused, [stale, wrongPolicy]);
            assert.deepStrictEqual(outcome.violations, findings);
            assert.deepStrictEqual(applyWaivers(findings, [waiver({ expires: "2020-01-01", urn: "urn:x" })], "2026-01-15").expired, [
                { waiver: waiver({ expires: "2020-01-01", urn: "urn:x" }), matched: 0 },
            ]);
        });

        it("a glob waives every finding of its policy it matches, and advisory findings too", () => {
            const glob = waiver({ urn: "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::*" });
            const outcome = applyWaivers([...findings, finding("ec2-no-public-ip", URN.replace("prod", "dev"), "advisory")], [glob], "2026-01-15");
            assert.deepStrictEqual(
                outcome.waived.map((item) => item.urn),
                [URN, OTHER],
            );
            assert.deepStrictEqual(
                outcome.violations.map((item) => item.policy),
                ["ec2-imdsv2", "ec2-no-public-ip"],
            );
            const advisory = applyWaivers([finding("log-group-kms", URN, "advisory")], [waiver({ policy: "log-group-kms" })], "2026-01-15");
            assert.strictEqual(advisory.waived.length, 1);
        });

        it('never waives a "cannot tell" entry', () => {
            const undecided: PolicyFinding = { ...finding("ec2-no-public-ip", URN, "advisory"), cannotTell: "unknown" };
            const outcome = applyWaivers([undecided], [waiver()], "2026-01-15");
            assert.deepStrictEqual(outcome.violations, [undecided]);
            assert.deepStrictEqual(outcome.unused, [waiver()]);
        });

        it("refuses a clock that is not a date", () => {
            assert.throws(() => applyWaivers([], [], "15/01/2026"), /today must be YYYY-MM-DD/);
        });
    });

    it("URN patterns: exact, or * for any characters; a stack-level finding only matches *", () => {
        const table: [string, string | undefined, boolean][] = [
            [URN, URN, true],
            [URN, OTHER, false],
            [`${URN}x`, URN, false],
            ["urn:pulumi:prod::data-platform::*::prod-monitoring-host", URN, true],
            ["urn:pulumi:*::data-platform::*", URN, true],
            ["urn:pulumi:dev::*", URN, false],
            [
                "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::prod-(monitoring)-host",
                "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::prod-(monitoring)-host",
                true,
            ],
            ["*", undefined, true],
            [URN, undefined, false],
        ];
        for (const [pattern, urn, expected] of table) assert.strictEqual(urnMatches(pattern, urn), expected, `${pattern} ~ ${urn}`);
    });

    describe("the waiver file", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "waivers-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it('reads {"waivers": [{policy, urn, reason, expires}]}', () => {
            const file = path.join(dir, "prod.json");
            fs.writeFileSync(file, JSON.stringify({ $comment: "accepted findings", waivers: [waiver()] }));
            assert.deepStrictEqual(readWaiverFile(file), [waiver()]);
        });

        it("refuses a bad shape, naming the file and the field", () => {
            const ok = waiver();
            const table: [unknown, RegExp][] = [
                [[], /^w\.json: a waiver file is a JSON object \{"waivers": \[/],
                [{ waiver: [] }, /^w\.json: unknown key "waiver"; allowed: waivers, \$comment$/],
                [{ waivers: {} }, /^w\.json: "waivers" must be a list/],
                [{ waivers: ["x"] }, /^w\.json: waivers\[0\] must be an object/],
                [
                    { waivers: [{ ...ok, owner: "me" }] },
                    /^w\.json: waivers\[0\]\.owner is not a waiver field; allowed: policy, urn, reason, expires$/,
                ],
                [{ waivers: [ok, { ...ok, reason: " " }] }, /^w\.json: waivers\[1\]\.reason is " "; expected a non-empty string$/],
                [
                    { waivers: [{ policy: ok.policy, urn: ok.urn, reason: ok.reason }] },
                    /^w\.json: waivers\[0\]\.expires is missing; expected a non-empty string$/,
                ],
                [
                    { waivers: [{ ...ok, policy: "ec2-no-public-ips" }] },
                    /^w\.json: waivers\[0\]\.policy is "ec2-no-public-ips", not a policy of the pack; known policies: .*ec2-no-public-ip,/,
                ],
                [{ waivers: [{ ...ok, expires: "2026-02-30" }] }, /^w\.json: waivers\[0\]\.expires is "2026-02-30"; expected a date YYYY-MM-DD/],
                [{ waivers: [{ ...ok, expires: "31/03/2026" }] }, /^w\.json: waivers\[0\]\.expires is "31\/03\/2026"; expected a date YYYY-MM-DD/],
                [{ waivers: [{ ...ok, urn: 7 }] }, /^w\.json: waivers\[0\]\.urn is 7; expected a non-empty string$/],
            ];
            for (const [value, expected] of table) {
                assert.throws(
                    () => validateWaivers(value, "w.json"),
                    (error: Error) => error instanceof PackConfigError && expected.test(error.message),
                    JSON.stringify(value),
                );
            }
        });

        it("refuses waivers inside a pack config, which the Pulumi CLI would reject", () => {
            assert.throws(
                () => validatePackConfig({ "ec2-no-public-ip": "advisory", waivers: [] }, "dev.json"),
                /PackConfigError: dev\.json: "waivers" cannot live in a pack config .*put them in .*policy-pack\/waivers\/<stack>\.json$/,
            );
        });

        it("dates are real calendar days", () => {
            assert.deepStrictEqual(["2024-02-29", "2023-02-29", "2026-13-01", "2026-1-01", "2026-01-01"].map(isIsoDate), [
                true,
                false,
                false,
                false,
                true,
            ]);
        });
    });
});
