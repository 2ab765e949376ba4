import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policy-pack/policies";
import { PlanIo, PlanOptions, main as planMain } from "../../tools/plan";
import { PolicyReportInput, lineOf, tierOf } from "../../tools/reports/common";
import { SarifLog, SarifResult, renderSarif, toSarif } from "../../tools/reports/sarif";
import { PolicyRun, policyInProcess } from "../support/policy-cli";
import { FIXTURE_STACKS_DIR } from "../support/stateful";

/**
 * `--sarif F` on `npm run plan` and `npm run policy` (issue 15, item 2): every report is
 * valid against the published SARIF 2.1.0 schema (tests/fixtures/schemas/, Ajv's draft-07
 * support); one rule per policy with its checkov / Security Hub IDs; one result per
 * finding with its level, the stack file and the resource's logical location; waived
 * findings suppressed with their reason; stable fingerprints and bytes; the flag checked
 * before anything runs.
 */

const FIXTURES = path.join(__dirname, "..", "fixtures");
const QUIRKS = path.join(FIXTURES, "state-quirks");
const SCHEMA = path.join(FIXTURES, "schemas", "sarif-schema-2.1.0.json");

/** The SARIF 2.1.0 schema, compiled. Its `run.language` pattern is not a valid Unicode-mode regex, hence `unicodeRegExp: false`. */
function sarifValidator(): ValidateFunction {
    const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
}

function assertValid(validate: ValidateFunction, log: unknown): void {
    const ok = validate(log);
    assert.ok(ok, `not valid SARIF 2.1.0:\n${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

async function plan(argv: string[], overrides: Partial<PlanOptions> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: PlanIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const code = await planMain(argv, io, { root: FIXTURE_STACKS_DIR, ...overrides });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const readSarif = (file: string): SarifLog => JSON.parse(fs.readFileSync(file, "utf8"));
const results = (log: SarifLog): readonly SarifResult[] => log.runs[0].results;
const location = (result: SarifResult) =>
    result.locations[0] as {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
    };

describe("SARIF reports (--sarif)", function () {
    this.timeout(120000);
    let tmp: string;
    let validate: ValidateFunction;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-"));
        validate = sarifValidator();
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the schema copy is the draft-07 SARIF 2.1.0 schema, and it rejects what is not SARIF", () => {
        const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
        assert.strictEqual(schema.$schema, "http://json-schema.org/draft-07/schema#");
        assert.match(schema.title, /SARIF\) Version 2\.1\.0 JSON Schema/);
        assert.strictEqual(
            validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r" }] }] }),
            false,
            "a result needs a message",
        );
        assert.strictEqual(validate({ version: "2.0.0", runs: [] }), false);
    });

    describe("npm run policy", () => {
        const APP_LOGS = "urn:pulumi:prod::data-platform::aws:cloudwatch/logGroup:LogGroup::prod-app-logs";
        const REASON = 'short-lived app logs, exported nightly (OPS-12) <see "runbook">';
        let sarif: string;
        let log: SarifLog;
        let run: PolicyRun;
        before(() => {
            const waivers = path.join(tmp, "waivers.json");
            fs.writeFileSync(
                waivers,
                JSON.stringify({ waivers: [{ policy: "log-group-retention", urn: APP_LOGS, reason: REASON, expires: "2030-01-31" }] }),
            );
            sarif = path.join(tmp, "waivable.sarif");
            run = policyInProcess(
                "--state",
                path.join(QUIRKS, "waivable-prod.json"),
                "--waivers",
                waivers,
                "--today",
                "2025-06-01",
                "--sarif",
                sarif,
            );
            log = readSarif(sarif);
        });

        it("writes the report on exit 1 too, and it is valid SARIF 2.1.0", () => {
            assert.strictEqual(run.status, 1, run.stderr);
            assert.match(run.stdout, new RegExp(`^wrote ${sarif.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
            assertValid(validate, log);
            assert.strictEqual(log.version, "2.1.0");
            assert.strictEqual(log.runs.length, 1);
            assert.strictEqual(log.runs[0].automationDetails.id, "data-platform-policies/prod/");
        });

        it("has one rule per policy: id, name, descriptions, help with its checkov and FSBP IDs, level in force", () => {
            const rules = log.runs[0].tool.driver.rules;
            assert.deepStrictEqual(
                rules.map((rule) => rule.id),
                allPolicies.map((policy) => policy.name).sort(),
            );
            const encryption = rules.find((rule) => rule.id === "s3-bucket-encryption")!;
            assert.strictEqual(encryption.name, "S3BucketEncryption");
            assert.match(encryption.shortDescription.text, /^Every S3 bucket has a server-side-encryption configuration/);
            assert.match(encryption.help.text, /^checkov: CKV_AWS_19, CKV_AWS_145$/m);
            assert.match(encryption.help.text, /^AWS Security Hub \(FSBP\): S3\.4 \(retired\)$/m);
            assert.match(encryption.help.markdown!, /`CKV_AWS_19`, `CKV_AWS_145`/);
            assert.deepStrictEqual(encryption.defaultConfiguration, { level: "error" }, "prod.json: mandatory");
            assert.strictEqual(encryption.properties["security-severity"], "8.0");
            assert.ok((encryption.properties.tags as string[]).includes("security"));
            const sg = rules.find((rule) => rule.id === "sg-world-ingress-public-ports-only")!;
            assert.match(
                sg.help.text,
                /^AWS Security Hub \(FSBP\): EC2\.18, EC2\.19, EC2\.53, EC2\.54, EC2\.13 \(other standard\), EC2\.14 \(other standard\)$/m,
            );
            assert.match(sg.help.text, /^checkov: CKV_AWS_24, CKV_AWS_25, CKV_AWS_277$/m);
            const tags = rules.find((rule) => rule.id === "required-tags")!;
            assert.ok(!(tags.properties.tags as string[]).includes("security"), "an operations policy is no security rule");
            assert.strictEqual(tags.properties["security-severity"], undefined);
        });

        it("one result per finding: mandatory → error, the stack file and a logical location with the URN", () => {
            const report = JSON.parse(JSON.stringify(results(log)));
            const errors = results(log).filter((result) => result.level === "error" && !result.suppressions);
            assert.strictEqual(errors.length, 2, JSON.stringify(report, null, 2));
            for (const result of results(log)) {
                const rules = log.runs[0].tool.driver.rules;
                assert.strictEqual(rules[result.ruleIndex].id, result.ruleId);
                const where = location(result);
                assert.strictEqual(where.physicalLocation.artifactLocation.uri, "Pulumi.prod.yaml", "the stack file, relative to the repository");
                assert.ok(where.physicalLocation.region.startLine >= 1);
                assert.strictEqual(where.logicalLocations.length, 1);
                assert.match(where.logicalLocations[0].fullyQualifiedName, /^urn:pulumi:prod::data-platform::/);
                assert.strictEqual(where.logicalLocations[0].kind, "resource");
                assert.ok(where.logicalLocations[0].fullyQualifiedName.endsWith(`::${where.logicalLocations[0].name}`));
                assert.match(result.partialFingerprints["policyUrnHash/v1"], /^[0-9a-f]{64}$/);
            }
        });

        it("a waived finding is a suppressed result with the waiver's reason", () => {
            const waived = results(log).filter((result) => result.suppressions);
            assert.strictEqual(waived.length, 1);
            assert.strictEqual(waived[0].ruleId, "log-group-retention");
            assert.strictEqual(location(waived[0]).logicalLocations[0].fullyQualifiedName, APP_LOGS);
            assert.deepStrictEqual(waived[0].suppressions, [{ kind: "external", status: "accepted", justification: REASON }]);
            assert.strictEqual(waived[0].level, "error", "a waived mandatory finding keeps its level; the suppression hides it");
            assert.deepStrictEqual(waived[0].properties.waiver, { urn: APP_LOGS, expires: "2030-01-31" });
        });

        it("the same input gives the same bytes; fingerprints do not depend on the run", () => {
            const again = path.join(tmp, "again.sarif");
            const waivers = path.join(tmp, "waivers.json");
            const second = policyInProcess(
                "--state",
                path.join(QUIRKS, "waivable-prod.json"),
                "--waivers",
                waivers,
                "--today",
                "2025-06-01",
                "--sarif",
                again,
            );
            assert.strictEqual(second.status, 1, second.stderr);
            assert.strictEqual(fs.readFileSync(again, "utf8"), fs.readFileSync(sarif, "utf8"));
            const fingerprints = results(log).map((result) => result.partialFingerprints["policyUrnHash/v1"]);
            assert.strictEqual(new Set(fingerprints).size, fingerprints.length, "distinct results, distinct fingerprints");
        });

        it('"cannot tell" findings are notes; advisory findings are warnings', () => {
            const file = path.join(tmp, "secrets.sarif");
            const secrets = policyInProcess("--state", path.join(QUIRKS, "secrets-and-unknowns.json"), "--sarif", file);
            assert.strictEqual(secrets.status, 0, secrets.stderr);
            const notes = readSarif(file);
            assertValid(validate, notes);
            assert.ok(results(notes).length >= 3);
            for (const result of results(notes)) {
                assert.strictEqual(result.level, "note", result.message.text);
                assert.match(String(result.properties.cannotTell), /^(unknown|secret)$/);
            }
            const advisory = path.join(tmp, "advisory.sarif");
            const run = policyInProcess(
                "--state",
                path.join(FIXTURES, "stack-export.json"),
                "--config",
                "policy-pack/config/dev.json",
                "--sarif",
                advisory,
            );
            assert.strictEqual(run.status, 1, run.stderr);
            const levels = results(readSarif(advisory)).map((result) => `${result.ruleId}:${result.level}`);
            assert.ok(levels.includes("secrets-manager-kms:warning"), levels.join(", "));
            assert.strictEqual(levels.filter((level) => level.endsWith(":error")).length, 6);
        });

        it("a state of no stack of this project is located in the judged file", () => {
            const file = path.join(tmp, "foreign.sarif");
            const run = policyInProcess("--state", path.join(QUIRKS, "checkpoint-foreign-dev.json"), "--sarif", file);
            assert.ok(run.status === 0 || run.status === 1, run.stderr);
            const log = readSarif(file);
            assertValid(validate, log);
            assert.ok(results(log).length > 0, "the foreign state has findings to locate");
            for (const result of results(log)) {
                assert.strictEqual(location(result).physicalLocation.artifactLocation.uri, "tests/fixtures/state-quirks/checkpoint-foreign-dev.json");
            }
        });

        describe("refuses a bad --sarif before judging: exit 2, one line", () => {
            const cases: [string, () => string[], RegExp][] = [
                ["a directory", () => ["--sarif", tmp], /^policy: --sarif .* is a directory; expected a file path$/],
                [
                    "a folder that does not exist",
                    () => ["--sarif", path.join(tmp, "no", "x.sarif")],
                    /^policy: --sarif .*: the folder .*no does not exist/,
                ],
                [
                    "the --junit file",
                    () => ["--sarif", path.join(tmp, "same"), "--junit", path.join(tmp, "same")],
                    /^policy: --sarif and --junit both name/,
                ],
                ["the state file itself", () => ["--sarif", path.join(FIXTURES, "stack-export.json")], /^policy: --state and --sarif both name/],
                ["no value", () => ["--sarif"], /^policy: .*--sarif/],
            ];
            for (const [name, args, message] of cases) {
                it(name, () => {
                    const result = policyInProcess("--state", path.join(FIXTURES, "stack-export.json"), ...args());
                    assert.strictEqual(result.status, 2, result.stdout + result.stderr);
                    assert.match(result.stderr.trimEnd(), message);
                    assert.strictEqual(result.stdout, "", "nothing judged");
                });
            }
        });
    });

    describe("npm run plan", () => {
        let file: string;
        let log: SarifLog;
        let first: Awaited<ReturnType<typeof plan>>;
        before(async () => {
            file = path.join(tmp, "dev.sarif");
            first = await plan(["--stack", "dev", "--quiet", "--sarif", file]);
            log = readSarif(file);
        });

        it("writes a valid report of the plan's findings, in the fixture stack file", () => {
            assert.strictEqual(first.code, 0, first.stderr);
            assert.match(first.stdout, /wrote: .*dev\.sarif/);
            assertValid(validate, log);
            assert.ok(results(log).length > 0);
            for (const result of results(log)) {
                assert.strictEqual(result.level, "warning", `dev.json: ${result.ruleId} is advisory`);
                assert.strictEqual(location(result).physicalLocation.artifactLocation.uri, "tests/fixtures/stacks/Pulumi.dev.yaml");
            }
            assert.strictEqual(log.runs[0].properties.tool, "npm run plan");
            assert.strictEqual(log.runs[0].automationDetails.id, "data-platform-policies/dev/");
        });

        it("points each finding at the line that configures its tier", () => {
            const text = fs.readFileSync(path.join(FIXTURE_STACKS_DIR, "Pulumi.dev.yaml"), "utf8").split("\n");
            const byTier = results(log).map((result) => ({
                urn: location(result).logicalLocations[0].fullyQualifiedName,
                line: location(result).physicalLocation.region.startLine,
            }));
            const kubernetes = byTier.find(({ urn }) => tierOf(urn) === "kubernetes");
            assert.ok(kubernetes, JSON.stringify(byTier, null, 2));
            assert.match(text[kubernetes.line - 1], /^\s+data-platform:kubernetes:/);
            for (const { urn, line } of byTier) {
                const tier = tierOf(urn);
                if (line > 1) assert.match(text[line - 1], new RegExp(`data-platform:${tier}`), urn);
            }
        });

        it("writes it on exit 1 too (every policy mandatory), the same bytes every time", async () => {
            const strictest = path.join(tmp, "all-mandatory.json");
            fs.writeFileSync(strictest, JSON.stringify({ all: "mandatory" }));
            const a = path.join(tmp, "strict-a.sarif");
            const b = path.join(tmp, "strict-b.sarif");
            const one = await plan(["--stack", "dev", "--quiet", "--policy-config", strictest, "--sarif", a]);
            const two = await plan(["--stack", "dev", "--quiet", "--policy-config", strictest, "--sarif", b]);
            assert.strictEqual(one.code, 1, one.stderr);
            assert.strictEqual(two.code, 1);
            assert.strictEqual(fs.readFileSync(a, "utf8"), fs.readFileSync(b, "utf8"));
            const strict = readSarif(a);
            assertValid(validate, strict);
            assert.ok(results(strict).every((result) => result.level === "error"));
            const strictPrints = new Set(results(strict).map((result) => result.partialFingerprints["policyUrnHash/v1"]));
            for (const result of results(log)) {
                assert.ok(
                    strictPrints.has(result.partialFingerprints["policyUrnHash/v1"]),
                    `fingerprints name policy and resource, not the level: ${result.ruleId}`,
                );
            }
        });

        describe("refuses a bad --sarif before the program runs: exit 2, one line", () => {
            const cases: [string, () => string[], RegExp][] = [
                ["a directory", () => ["--sarif", tmp], /^plan: --sarif .* is a directory; expected a file path$/],
                ["a path ending in a slash", () => ["--sarif", `${tmp}/x/`], /^plan: --sarif .* names a folder/],
                [
                    "a folder that does not exist",
                    () => ["--sarif", path.join(tmp, "no", "x.sarif")],
                    /^plan: --sarif .*the folder .*no does not exist/,
                ],
                [
                    "the --json file",
                    () => ["--json", path.join(tmp, "p.json"), "--sarif", path.join(tmp, "p.json")],
                    /^plan: --json and --sarif both name/,
                ],
                ["no value", () => ["--sarif", "--quiet"], /^plan: --sarif needs a value/],
            ];
            for (const [name, args, message] of cases) {
                it(name, async () => {
                    let ran = false;
                    const result = await plan(args(), { program: () => void (ran = true) });
                    assert.strictEqual(result.code, 2, result.stderr);
                    assert.match(result.stderr, message);
                    assert.strictEqual(result.stderr.split("\n").length, 1, result.stderr);
                    assert.strictEqual(ran, false, "the program did not run");
                });
            }
        });
    });

    describe("from a report input", () => {
        const input = (overrides: Partial<PolicyReportInput> = {}): PolicyReportInput => ({
            tool: "policy",
            project: "data-platform",
            stack: "dev",
            artifact: { path: "Pulumi.dev.yaml", text: "config:\n  aws:region: us-east-2\n  data-platform:network:\n    vpcCidr: 10.0.0.0/16\n" },
            config: { all: "advisory", "s3-versioning": "disabled" },
            levels: "levels from a test",
            resources: [],
            violations: [],
            waived: [],
            ...overrides,
        });
        const VPC = "urn:pulumi:dev::data-platform::data-platform:platform:Platform$data-platform:network:Network$aws:ec2/vpc:Vpc::dev-vpc";

        it("a disabled policy is a rule that is not enabled; a stack-level finding is located at the stack", () => {
            const log = toSarif(
                input({
                    violations: [
                        { policy: "vpc-flow-logs", enforcementLevel: "advisory", message: "the stack has no flow logs" },
                        { policy: "vpc-flow-logs", enforcementLevel: "advisory", urn: VPC, message: "b: second" },
                        { policy: "vpc-flow-logs", enforcementLevel: "advisory", urn: VPC, message: "a: first" },
                    ],
                }),
            );
            assertValid(validate, log);
            const rules = log.runs[0].tool.driver.rules;
            assert.deepStrictEqual(rules.find((rule) => rule.id === "s3-versioning")!.defaultConfiguration, { level: "none", enabled: false });
            assert.deepStrictEqual(rules.find((rule) => rule.id === "vpc-flow-logs")!.defaultConfiguration, { level: "warning" });
            const [a, b, stack] = results(log);
            assert.deepStrictEqual([a.message.text, b.message.text, stack.message.text], ["a: first", "b: second", "the stack has no flow logs"]);
            assert.strictEqual(
                location(stack).logicalLocations[0].fullyQualifiedName,
                "urn:pulumi:dev::data-platform::pulumi:pulumi:Stack::data-platform-dev",
            );
            assert.strictEqual(location(a).physicalLocation.region.startLine, 3, "data-platform:network: is line 3");
            assert.strictEqual(location(stack).physicalLocation.region.startLine, 1);
            assert.notStrictEqual(
                a.partialFingerprints["policyUrnHash/v1"],
                b.partialFingerprints["policyUrnHash/v1"],
                "two findings on one resource",
            );
        });

        it("the line of a tier is found only where the stack file configures it", () => {
            const artifact = input().artifact;
            assert.strictEqual(lineOf(artifact, VPC), 3);
            assert.strictEqual(lineOf(artifact, VPC.replace(/network:Network/, "registry:Registry")), 1);
            assert.strictEqual(lineOf({ path: "state.json" }, VPC), 1);
            assert.strictEqual(tierOf("urn:pulumi:dev::data-platform::data-platform:platform:Platform::dev"), undefined);
        });

        it("renders paths as relative URIs and ends with a newline", () => {
            const text = renderSarif(
                input({
                    artifact: { path: "stacks/Pulumi.my stack.yaml" },
                    violations: [{ policy: "vpc-flow-logs", enforcementLevel: "mandatory", urn: VPC, message: "m" }],
                }),
            );
            assert.ok(text.endsWith("}\n"));
            const log = JSON.parse(text) as SarifLog;
            assertValid(validate, log);
            assert.strictEqual(location(results(log)[0]).physicalLocation.artifactLocation.uri, "stacks/Pulumi.my%20stack.yaml");
        });
    });
});
