import * as assert from "assert";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policy-pack/policies";
import { PlanIo, main as planMain } from "../../tools/plan";
import { PolicyReportInput } from "../../tools/reports/common";
import { renderJunit, xmlAttribute, xmlText } from "../../tools/reports/junit";
import { ROOT_DIR } from "../../tools/run-program";
import { PolicyRun, policyProcess } from "../support/policy-cli";
import { FIXTURE_STACKS_DIR } from "../support/stateful";

/**
 * `--junit F` on `npm run plan` and `npm run policy` (issue 15, item 2): well-formed XML
 * (checked with fast-xml-parser), one testsuite per policy and one testcase per resource
 * it evaluated; mandatory findings fail, advisory ones pass with the message in
 * system-out, waived and "cannot tell" ones are skipped with the reason; escaping; the
 * same bytes for the same input; the flag checked before anything runs.
 */

const FIXTURES = path.join(__dirname, "..", "fixtures");
const QUIRKS = path.join(FIXTURES, "state-quirks");

interface Testcase {
    classname: string;
    name: string;
    file: string;
    failure?: { type: string; message: string; "#text": string };
    skipped?: { message: string };
    "system-out"?: string;
    properties?: unknown;
}

interface Testsuite {
    name: string;
    tests: string;
    failures: string;
    errors: string;
    skipped: string;
    properties: { property: { name: string; value: string }[] };
    testcase?: Testcase[];
}

interface Junit {
    testsuites: { name: string; tests: string; failures: string; skipped: string; errors: string; testsuite: Testsuite[] };
}

function parse(xml: string): Junit {
    const valid = XMLValidator.validate(xml);
    assert.strictEqual(valid, true, `not well-formed XML: ${JSON.stringify(valid)}`);
    const parser = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: "",
        parseAttributeValue: false,
        parseTagValue: false,
        trimValues: false,
        isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
    });
    return parser.parse(xml) as Junit;
}

const suite = (junit: Junit, policy: string): Testsuite => {
    const found = junit.testsuites.testsuite.find((item) => item.name === policy);
    assert.ok(found, `no testsuite ${policy}`);
    return found;
};
const cases = (junit: Junit): Testcase[] => junit.testsuites.testsuite.flatMap((item) => item.testcase ?? []);

describe("JUnit reports (--junit)", function () {
    this.timeout(120000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "junit-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("npm run policy, with a waiver", () => {
        const APP_LOGS = "urn:pulumi:prod::data-platform::aws:cloudwatch/logGroup:LogGroup::prod-app-logs";
        let file: string;
        let xml: string;
        let junit: Junit;
        let run: PolicyRun;
        const judge = (out: string) => {
            const waivers = path.join(tmp, "waivers.json");
            fs.writeFileSync(
                waivers,
                JSON.stringify({
                    waivers: [{ policy: "log-group-retention", urn: APP_LOGS, reason: "exported nightly & kept <30 days>", expires: "2030-01-31" }],
                }),
            );
            return policyProcess("--state", path.join(QUIRKS, "waivable-prod.json"), "--waivers", waivers, "--today", "2025-06-01", "--junit", out);
        };
        before(() => {
            file = path.join(tmp, "waivable.xml");
            run = judge(file);
            xml = fs.readFileSync(file, "utf8");
            junit = parse(xml);
        });

        it("is written on exit 1 too, well-formed, one testsuite per policy, totals that add up", () => {
            assert.strictEqual(run.status, 1, run.stderr);
            assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
            const suites = junit.testsuites.testsuite;
            assert.deepStrictEqual(
                suites.map((item) => item.name),
                allPolicies.map((policy) => policy.name).sort(),
            );
            const sum = (key: "tests" | "failures" | "skipped") => suites.reduce((total, item) => total + Number(item[key]), 0);
            assert.strictEqual(Number(junit.testsuites.tests), sum("tests"));
            assert.strictEqual(Number(junit.testsuites.failures), sum("failures"));
            assert.strictEqual(Number(junit.testsuites.skipped), sum("skipped"));
            for (const item of suites) {
                assert.strictEqual(Number(item.tests), (item.testcase ?? []).length, item.name);
                assert.strictEqual(Number(item.failures), (item.testcase ?? []).filter((test) => test.failure).length, item.name);
            }
            assert.strictEqual(Number(junit.testsuites.failures), 2, "the two mandatory findings (exit 1)");
        });

        it("a mandatory finding is a failure of its policy × resource testcase", () => {
            const retention = suite(junit, "log-group-retention");
            const debug = retention.testcase!.find((test) => test.name === "aws:cloudwatch/logGroup:LogGroup::prod-debug-logs")!;
            assert.ok(debug.failure, JSON.stringify(retention, null, 2));
            assert.strictEqual(debug.failure.type, "mandatory");
            assert.match(debug.failure.message, /^prod-debug-logs /);
            assert.strictEqual(debug.classname, "log-group-retention");
            assert.strictEqual(debug.file, "Pulumi.prod.yaml");
            assert.match(
                debug["system-out"]!,
                /^urn: urn:pulumi:prod::data-platform::aws:cloudwatch\/logGroup:LogGroup::prod-debug-logs\nmandatory: /,
            );
        });

        it("a waived finding is skipped with the waiver's date and reason", () => {
            const app = suite(junit, "log-group-retention").testcase!.find((test) => test.name.endsWith("::prod-app-logs"))!;
            assert.strictEqual(app.failure, undefined);
            assert.deepStrictEqual(app.skipped, { message: "waived until 2030-01-31: exported nightly & kept <30 days>" });
            assert.match(app["system-out"]!, /^waived \(mandatory\) until 2030-01-31: .*\(reason: exported nightly & kept <30 days>\)$/m);
            assert.match(xml, /exported nightly &amp; kept &lt;30 days&gt;/);
        });

        it("one testcase per resource the policy evaluated; resources it passed have no child element", () => {
            const retention = suite(junit, "log-group-retention");
            const logGroups = JSON.parse(fs.readFileSync(path.join(QUIRKS, "waivable-prod.json"), "utf8"))
                .deployment.resources.filter((resource: { type: string }) => resource.type === "aws:cloudwatch/logGroup:LogGroup")
                .map((resource: { urn: string }) => `aws:cloudwatch/logGroup:LogGroup::${resource.urn.split("::").pop()}`)
                .sort();
            assert.deepStrictEqual(
                retention.testcase!.map((test) => test.name),
                logGroups,
            );
            assert.match(
                xml,
                /^ {4}<testcase classname="log-group-kms" name="aws:cloudwatch\/logGroup:LogGroup::prod-app-logs" file="Pulumi\.prod\.yaml" time="0"\/>$/m,
            );
            assert.deepStrictEqual(suite(junit, "rds-backup-retention").testcase, undefined, "no RDS instance: an empty suite");
            assert.strictEqual(suite(junit, "rds-backup-retention").tests, "0");
        });

        it("each suite names its level, severity and checkov / Security Hub IDs", () => {
            const properties = Object.fromEntries(suite(junit, "s3-bucket-encryption").properties.property.map(({ name, value }) => [name, value]));
            assert.strictEqual(properties.level, "mandatory");
            assert.strictEqual(properties.severity, "high");
            assert.strictEqual(properties.checkov, "CKV_AWS_19, CKV_AWS_145");
            assert.strictEqual(properties.securityHub, "S3.4 (retired)");
        });

        it("the same input gives the same bytes", () => {
            const again = path.join(tmp, "again.xml");
            assert.strictEqual(judge(again).status, 1);
            assert.strictEqual(fs.readFileSync(again, "utf8"), xml);
        });

        it('"cannot tell" findings are skipped with their message, and do not fail', () => {
            const out = path.join(tmp, "secrets.xml");
            const secrets = policyProcess("--state", path.join(QUIRKS, "secrets-and-unknowns.json"), "--junit", out);
            assert.strictEqual(secrets.status, 0, secrets.stderr);
            const parsed = parse(fs.readFileSync(out, "utf8"));
            assert.strictEqual(Number(parsed.testsuites.failures), 0);
            const skipped = cases(parsed).filter((test) => test.skipped);
            assert.ok(skipped.length >= 1);
            assert.ok(
                skipped.some((test) => /^(cannot tell yet|hidden secret, cannot tell): /.test(test.skipped!.message)),
                JSON.stringify(skipped, null, 2),
            );
        });

        it("refuses a --junit directory before judging: exit 2, one line", () => {
            const result = policyProcess("--state", path.join(FIXTURES, "stack-export.json"), "--junit", tmp);
            assert.strictEqual(result.status, 2);
            assert.match(result.stderr, /^policy: --junit .* is a directory; expected a file path\n$/);
            assert.strictEqual(result.stdout, "");
        });
    });

    describe("npm run plan", () => {
        it("advisory findings pass with their message in system-out; a disabled policy is one skipped case", async () => {
            const config = path.join(tmp, "dev-without-tags.json");
            const dev = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, "policy-pack", "config", "dev.json"), "utf8"));
            fs.writeFileSync(config, JSON.stringify({ ...dev, "required-tags": "disabled" }));
            const out = path.join(tmp, "dev.xml");
            const err: string[] = [];
            const io: PlanIo = { out: () => undefined, err: (text) => err.push(text) };
            const code = await planMain(["--stack", "dev", "--quiet", "--policy-config", config, "--junit", out], io, { root: FIXTURE_STACKS_DIR });
            assert.strictEqual(code, 0, err.join("\n"));
            const junit = parse(fs.readFileSync(out, "utf8"));
            assert.strictEqual(Number(junit.testsuites.failures), 0);
            const advisory = cases(junit).filter((test) => test["system-out"]?.includes("\nadvisory: "));
            assert.ok(advisory.length > 0);
            for (const test of advisory) {
                assert.strictEqual(test.failure, undefined);
                assert.strictEqual(test.skipped, undefined);
                assert.strictEqual(test.file, "tests/fixtures/stacks/Pulumi.dev.yaml");
            }
            const tags = suite(junit, "required-tags");
            assert.deepStrictEqual(
                tags.testcase!.map((test) => [test.name, test.skipped?.message]),
                [["(disabled)", `disabled under levels from ${config} (--policy-config)`]],
            );
            assert.match(junit.testsuites.name, /^data-platform-policies: stack dev \(npm run plan; /);
        });

        it("refuses a --junit that is the --sarif file, before the program runs", async () => {
            const err: string[] = [];
            let ran = false;
            const io: PlanIo = { out: () => undefined, err: (text) => err.push(text) };
            const same = path.join(tmp, "report.out");
            const code = await planMain(["--sarif", same, "--junit", same], io, { root: FIXTURE_STACKS_DIR, program: () => void (ran = true) });
            assert.strictEqual(code, 2);
            assert.deepStrictEqual(err, [`plan: --sarif and --junit both name ${same}; give each its own file`]);
            assert.strictEqual(ran, false);
        });
    });

    describe("escaping", () => {
        const NASTY = "a <b> & \"c\" 'd' ]]> \u0001 tab\there\nnew line \ud800 😀";
        const input: PolicyReportInput = {
            tool: "policy",
            project: "data-platform",
            stack: "dev & <test>",
            artifact: { path: 'dir/Pulumi."dev".yaml' },
            config: { all: "mandatory" },
            levels: "levels <from> a & test",
            resources: [
                {
                    urn: "urn:pulumi:dev::data-platform::aws:sns/topic:Topic::t<1>&",
                    type: "aws:sns/topic:Topic",
                    custom: true,
                    inputs: {},
                    outputs: {},
                    dependencies: [],
                },
            ],
            violations: [
                {
                    policy: "sns-topic-kms",
                    enforcementLevel: "mandatory",
                    urn: "urn:pulumi:dev::data-platform::aws:sns/topic:Topic::t<1>&",
                    message: NASTY,
                },
                { policy: "vpc-flow-logs", enforcementLevel: "advisory", message: `stack level: ${NASTY}` },
            ],
            waived: [],
        };

        it("escapes text and attributes, drops what XML cannot carry, keeps what it can", () => {
            const xml = renderJunit(input);
            const junit = parse(xml);
            const topic = suite(junit, "sns-topic-kms").testcase![0];
            assert.strictEqual(topic.name, "aws:sns/topic:Topic::t<1>&");
            assert.strictEqual(topic.file, 'dir/Pulumi."dev".yaml');
            const expected = "a <b> & \"c\" 'd' ]]> \ufffd tab\there\nnew line \ufffd 😀";
            // fast-xml-parser decodes the named entities but leaves character references (&#9;) as written.
            const message = topic.failure!.message.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
            assert.strictEqual(message, expected);
            assert.ok(!xml.includes("\u0001") && !/\ud800(?![\udc00-\udfff])/.test(xml), "no control character, no lone surrogate");
            assert.match(xml, /]]&gt;/);
            assert.strictEqual(suite(junit, "vpc-flow-logs").testcase![0].name, "(stack)");
            assert.match(xml, /<testsuites name="data-platform-policies: stack dev &amp; &lt;test&gt; /);
            assert.strictEqual(junit.testsuites.name, "data-platform-policies: stack dev & <test> (npm run policy; levels <from> a & test)");
        });

        it("xmlText and xmlAttribute", () => {
            assert.strictEqual(xmlText("<a & b>"), "&lt;a &amp; b&gt;");
            assert.strictEqual(xmlAttribute('say "hi"\nthen\tgo'), "say &quot;hi&quot;&#10;then&#9;go");
            assert.strictEqual(xmlText("\u0000\u000b ok \ud83d\ude00 \udc00"), "\ufffd\ufffd ok 😀 \ufffd");
        });
    });
});
