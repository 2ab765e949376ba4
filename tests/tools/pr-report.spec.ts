import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimateCost, loadUsage } from "../../tools/cost";
import { DeploymentResource, PlanDocument, toDeploymentResources } from "../../tools/deployment";
import { EXIT_BAD_INPUT, EXIT_MANDATORY_VIOLATION, PlanOptions, main } from "../../tools/plan";
import { chooseLevels, runPolicies } from "../../tools/policy-runner";
import { diffPlans, readPlanDocument, renderReport, REPLACEMENT_RULES, replacementOf } from "../../tools/pr-report";
import { formatValue } from "../../tools/pr-report/markdown";
import { typeNoun } from "../../tools/pr-report/names";
import { PROJECT_NAME, ProgramRun, ROOT_DIR } from "../../tools/run-program";
import { STATEFUL_TYPES as TOOL_STATEFUL_TYPES } from "../../tools/stateful";
import { TYPE } from "../../policy-pack/policies/types";
import { runStack, runStackWith } from "../support/helpers";
import { captureIo, editedFixtureDir } from "../support/plan";
import { FIXTURE_STACKS, FIXTURE_STACKS_DIR, STATEFUL_TYPES } from "../support/stateful";

/**
 * The PR report (`npm run plan -- --base BASE.json --markdown FILE`): tools/pr-report/ over two plan
 * documents built in-process from the dev fixture stack with config edits, and the CLI flags through
 * the plan's in-process entry `main(argv, io)`.
 */

/** The plan document of a run, as `npm run plan -- --json` writes it (round-tripped through JSON). */
function documentOf(run: ProgramRun): PlanDocument {
    const resources = toDeploymentResources(run);
    const levels = chooseLevels({ project: PROJECT_NAME, stack: run.stack });
    const violations = runPolicies(resources, levels.config, run.stack);
    const cost = estimateCost(resources, run.stack, { region: run.region, usage: loadUsage(run.stack) });
    return JSON.parse(JSON.stringify({ stack: run.stack, project: run.project, deployment: { resources }, violations, cost })) as PlanDocument;
}

/** The section of the report under the first heading that starts with `heading`, up to the next heading of its level or higher. */
function section(report: string, heading: string): string {
    const lines = report.split("\n");
    const start = lines.findIndex((line) => line.startsWith(heading));
    assert.ok(start >= 0, `no section ${heading} in:\n${report}`);
    const level = heading.match(/^#+/)?.[0].length ?? 3;
    const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line));
    return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The table rows (lines starting with "| `") of a section. */
function rows(text: string): string[] {
    return text.split("\n").filter((line) => line.startsWith("| `"));
}

/** A type token the replacement table never lists. */
const UNLISTED_TYPE = "aws:example/unlisted:Unlisted";

const usd = (value: number) => `$${value.toFixed(2)}`;
const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;

const PRIVATE_WITH_NAT = {
    "data-platform:network": { natGateways: "single" },
    "data-platform:containers": { placement: "private" },
};

interface Case {
    readonly name: string;
    /** Config edits of the base (default: the dev fixture as it is). */
    readonly base?: Record<string, unknown>;
    readonly head: Record<string, unknown>;
    readonly check: (report: string, base: PlanDocument, head: PlanDocument) => void;
}

describe("PR report: a plan compared with its base", function () {
    this.timeout(120000);

    let dev: PlanDocument;
    before(async () => {
        dev = documentOf(await runStack("dev"));
    });

    const cases: Case[] = [
        {
            name: "NAT gateways none → single: the NAT gateway and its address added, the cost delta with its driver; the hosts move to a private subnet, which replaces them (warned)",
            head: { "data-platform:network": { natGateways: "single" } },
            check: (report, _base, head) => {
                const warning = report.slice(report.indexOf("> [!CAUTION]"), report.indexOf("### Resources"));
                assert.deepStrictEqual(
                    warning
                        .split("\n")
                        .filter((line) => line.startsWith("> - "))
                        .map((line) => line.split(" (")[0]),
                    ["> - **replace** EC2 instance `dev-kubernetes-instance`", "> - **replace** EC2 instance `dev-monitoring-instance`"],
                );
                assert.match(warning, /`associatePublicIpAddress`, `subnetId` force replacement/);
                assert.match(section(report, "#### Resolved violations (2)"), /`ec2-no-public-ip` \| `dev-kubernetes-instance`/);
                const added = rows(section(report, "#### Added ("));
                assert.ok(
                    added.some((row) => row.includes("`aws:ec2/natGateway:NatGateway`")),
                    added.join("\n"),
                );
                assert.ok(
                    added.some((row) => row.includes("`aws:ec2/eip:Eip`")),
                    added.join("\n"),
                );
                const nat = sum(head.cost.items.filter((item) => item.type === TYPE.ec2NatGateway).map((item) => item.monthly));
                assert.ok(nat > 30, `a NAT gateway costs more than $30/month, got ${nat}`);
                const cost = section(report, "### Monthly cost (USD)");
                assert.ok(cost.split("\n").includes(`- network: +1 NAT gateway: +${usd(nat)}`), cost);
                assert.match(cost, /^\| network \| \$\d+\.\d\d \| \$\d+\.\d\d \| \+\$\d+\.\d\d \|$/m);
                assert.match(cost, /^\| \*\*total\*\* \|/m);
            },
        },
        {
            name: "a public subnet's CIDR: the subnet is replaced, and the warning about it comes first",
            head: { "data-platform:network": { publicSubnetCidrs: ["10.0.1.0/24", "10.0.3.0/24"] } },
            check: (report) => {
                const warning = report.indexOf("> [!CAUTION]");
                assert.ok(warning > 0 && warning < report.indexOf("### Resources"), "the warning comes before the resources");
                assert.match(
                    report,
                    /^> - \*\*replace\*\* subnet `dev-network-public-us-east-2b` \(`aws:ec2\/subnet:Subnet`, tier network\): `cidrBlock` forces replacement; \d+ resources? depends? on it$/m,
                );
                const changed = rows(section(report, "#### Changed (1)"));
                assert.deepStrictEqual(changed, [
                    "| `dev-network-public-us-east-2b` | `aws:ec2/subnet:Subnet` | network | **replace** (forced by `cidrBlock`) | " +
                        '`cidrBlock`: `"10.0.2.0/24"` → `"10.0.3.0/24"` |',
                ]);
                assert.doesNotMatch(report, /#### (Added|Removed)/);
                assert.match(section(report, "### Monthly cost (USD)"), /No change in the estimate/);
            },
        },
        {
            name: "tasks and hosts back in public subnets: new violations, the NAT gateway removed, the hosts replaced",
            base: PRIVATE_WITH_NAT,
            head: {},
            check: (report) => {
                const fresh = section(report, "#### New violations (3)");
                assert.deepStrictEqual(
                    fresh
                        .split("\n")
                        .filter((line) => line.startsWith("| advisory"))
                        .map((line) => line.split(" | ").slice(1, 3).join(" ")),
                    [
                        "`ec2-no-public-ip` `dev-kubernetes-instance`",
                        "`ec2-no-public-ip` `dev-monitoring-instance`",
                        "`ecs-no-public-ip` `dev-containers-data-processing-service`",
                    ],
                );
                assert.doesNotMatch(report, /#### Resolved violations/);
                const removed = rows(section(report, "#### Removed ("));
                assert.ok(
                    removed.some((row) => row.includes("`aws:ec2/natGateway:NatGateway`")),
                    removed.join("\n"),
                );
                assert.match(
                    report,
                    /^> - \*\*replace\*\* EC2 instance `dev-kubernetes-instance` .*`associatePublicIpAddress`, `subnetId` force replacement/m,
                );
                assert.match(section(report, "### Monthly cost (USD)"), /^- network: -1 NAT gateway: -\$\d+\.\d\d$/m);
            },
        },
    ];

    for (const c of cases) {
        it(c.name, async () => {
            const base = c.base ? documentOf(await runStackWith("dev", c.base)) : dev;
            const head = documentOf(await runStackWith("dev", c.head));
            const report = renderReport(base, head);
            c.check(report, base, head);
            // The diagram: the changed part of the graph, the changes highlighted.
            const diagram = section(report, "### Graph of the change");
            assert.match(diagram, /```mermaid\nflowchart LR\n/);
            assert.match(diagram, /^ {4}classDef (added|changed|replaced|removed) /m);
            assert.match(diagram, /^ {4}class r\d+(,r\d+)* (added|replaced|removed)$/m);
        });
    }

    it("is deterministic: two runs of the same stacks give the same bytes, whatever the order of the documents", async () => {
        const edits = { "data-platform:network": { natGateways: "single", publicSubnetCidrs: ["10.0.1.0/24", "10.0.3.0/24"] } };
        const first = renderReport(dev, documentOf(await runStackWith("dev", edits)));
        const head = documentOf(await runStackWith("dev", edits));
        const second = renderReport(documentOf(await runStackWith("dev", {})), head);
        assert.strictEqual(second, first);
        const reversed = (document: PlanDocument): PlanDocument => ({
            ...document,
            deployment: { resources: [...document.deployment.resources].reverse() },
            violations: [...document.violations].reverse(),
            cost: { ...document.cost, items: [...document.cost.items].reverse() },
        });
        assert.strictEqual(renderReport(reversed(dev), reversed(head)), first);
        assert.doesNotMatch(first, /\d{4}-\d\d-\d\dT\d\d:/, "no timestamps");
    });

    it("the same plan on both sides: nothing added, changed or removed, no cost change, no diagram", () => {
        const report = renderReport(dev, dev);
        assert.match(report, /No resource is added, changed or removed\./);
        assert.match(report, /No change in the estimate\./);
        assert.match(report, /No policy finding appears or goes\./);
        assert.doesNotMatch(report, /```mermaid/);
    });

    describe("documents edited by hand", () => {
        const bucketUrn = () => {
            const bucket = dev.deployment.resources.find((r) => r.type === TYPE.s3Bucket);
            assert.ok(bucket);
            return bucket.urn;
        };
        const edit = (change: (resources: DeploymentResource[]) => DeploymentResource[]): PlanDocument => ({
            ...dev,
            deployment: { resources: change(dev.deployment.resources.map((r) => ({ ...r, inputs: { ...r.inputs } }))) },
        });
        const table: { name: string; head: () => PlanDocument; expect: RegExp[]; not?: RegExp[] }[] = [
            {
                name: "a renamed logical name (same bucket name): a replacement, in the warning, with the old URN",
                head: () => edit((resources) => resources.map((r) => (r.urn === bucketUrn() ? { ...r, urn: `${r.urn}-renamed` } : r))),
                expect: [
                    /^> - \*\*replace\*\* S3 bucket `[^`]+-renamed` .*its URN changed from `urn:pulumi:dev::/m,
                    /\| \*\*replace\*\* \(renamed from `[^`]+`\) \| no input changes \(the URN changed\) \|$/m,
                ],
                not: [/#### Added/, /#### Removed/],
            },
            {
                name: "a stateful resource removed: a deletion, in the warning",
                head: () => edit((resources) => resources.filter((r) => r.urn !== bucketUrn())),
                expect: [/^> - \*\*delete\*\* S3 bucket `[^`]+`.*removed from the program/m, /#### Removed \(1\)/],
            },
            {
                name: "an ignored input (the hosts' AMI): an update with no effect, not a replacement",
                head: () =>
                    edit((resources) => resources.map((r) => (r.type === TYPE.ec2Instance ? { ...r, inputs: { ...r.inputs, ami: "ami-0new" } } : r))),
                expect: [/\| update in place \| `ami`: `"[^"]*"` → `"ami-0new"`<br>`ami` changed but is in ignoreChanges: no effect \|$/m],
                not: [/\[!CAUTION\]/],
            },
        ];
        for (const row of table) {
            it(row.name, () => {
                const report = renderReport(dev, row.head());
                for (const pattern of row.expect) assert.match(report, pattern);
                for (const pattern of row.not ?? []) assert.doesNotMatch(report, pattern);
            });
        }

        it("an unknown type's change says so", () => {
            const topic = (name: string): DeploymentResource => ({
                urn: `urn:pulumi:dev::data-platform::${UNLISTED_TYPE}::alerts`,
                type: UNLISTED_TYPE,
                custom: true,
                inputs: { name },
                outputs: {},
                dependencies: [],
            });
            const base = { ...dev, deployment: { resources: [...dev.deployment.resources, topic("a")] } };
            const head = { ...dev, deployment: { resources: [...dev.deployment.resources, topic("b")] } };
            const report = renderReport(base, head);
            assert.match(report, /\*\*replacement unknown\*\* \(`aws:example\/unlisted:Unlisted` is not in the replacement table\)/);
            assert.match(report, /Replacement unknown for `aws:example\/unlisted:Unlisted`/);
        });

        it("secrets stay [secret]", () => {
            const version = dev.deployment.resources.find((r) => r.type === TYPE.secretsmanagerSecretVersion);
            assert.ok(version && version.inputs.secretString === "[secret]", "the plan holds secret values as [secret]");
            assert.strictEqual(formatValue("[secret]"), "[secret]");
            const head = edit((resources) =>
                resources.map((r) => (r.urn === version.urn ? { ...r, inputs: { ...r.inputs, secretString: "[secret]", secretId: "other" } } : r)),
            );
            const change = diffPlans(dev, head).changes.find((c) => c.urn === version.urn);
            assert.deepStrictEqual(change?.inputs, ["secretId"]);
        });
    });

    describe("the replacement table", () => {
        it("covers every type the fixture stacks build, and every stateful type", async () => {
            const types = new Set<string>();
            for (const stack of FIXTURE_STACKS) for (const r of (await runStack(stack)).resources) if (r.custom) types.add(r.type);
            for (const type of STATEFUL_TYPES) types.add(type);
            const missing = [...types].filter((type) => !REPLACEMENT_RULES[type]).sort();
            assert.deepStrictEqual(missing, [], "add these types to tools/pr-report/replacements.ts");
        });

        const verdicts: { type: string; before: Record<string, unknown>; after: Record<string, unknown>; verdict: string; reasons: string[] }[] = [
            {
                type: TYPE.ec2Subnet,
                before: { cidrBlock: "10.0.1.0/24" },
                after: { cidrBlock: "10.0.3.0/24" },
                verdict: "replace",
                reasons: ["cidrBlock"],
            },
            { type: TYPE.ec2Subnet, before: { mapPublicIpOnLaunch: true }, after: { mapPublicIpOnLaunch: false }, verdict: "update", reasons: [] },
            {
                type: TYPE.s3Bucket,
                before: { bucket: "a", forceDestroy: true },
                after: { bucket: "b", forceDestroy: false },
                verdict: "replace",
                reasons: ["bucket"],
            },
            { type: TYPE.kmsKey, before: { description: "a" }, after: { description: "b" }, verdict: "update", reasons: [] },
            {
                type: TYPE.kmsKey,
                before: { keyUsage: "ENCRYPT_DECRYPT" },
                after: { keyUsage: "SIGN_VERIFY" },
                verdict: "replace",
                reasons: ["keyUsage"],
            },
            { type: TYPE.ec2Instance, before: { instanceType: "t3.small" }, after: { instanceType: "t3.medium" }, verdict: "update", reasons: [] },
            {
                type: TYPE.ec2Instance,
                before: { userData: "a", userDataReplaceOnChange: true },
                after: { userData: "b", userDataReplaceOnChange: true },
                verdict: "replace",
                reasons: ["userData (userDataReplaceOnChange is true)"],
            },
            { type: TYPE.ec2Instance, before: { userData: "a" }, after: { userData: "b" }, verdict: "update", reasons: [] },
            {
                type: TYPE.ec2Instance,
                before: { rootBlockDevice: { volumeSize: 8, encrypted: true } },
                after: { rootBlockDevice: { volumeSize: 20, encrypted: true } },
                verdict: "update",
                reasons: [],
            },
            { type: TYPE.ecsTaskDefinition, before: { cpu: "256", tags: {} }, after: { cpu: "512", tags: {} }, verdict: "replace", reasons: ["cpu"] },
            { type: TYPE.randomPassword, before: { length: 24 }, after: { length: 32 }, verdict: "replace", reasons: ["length"] },
            { type: UNLISTED_TYPE, before: { name: "a" }, after: { name: "b" }, verdict: "unknown", reasons: [] },
            // The data stores: what loses data, and what a user might expect to but does not.
            { type: TYPE.rdsInstance, before: { kmsKeyId: "k1" }, after: { kmsKeyId: "k2" }, verdict: "replace", reasons: ["kmsKeyId"] },
            { type: TYPE.rdsInstance, before: { identifier: "a" }, after: { identifier: "b" }, verdict: "update", reasons: [] },
            {
                type: TYPE.rdsInstance,
                before: { instanceClass: "db.t4g.micro" },
                after: { instanceClass: "db.t4g.small" },
                verdict: "update",
                reasons: [],
            },
            {
                type: TYPE.elasticacheReplicationGroup,
                before: { engine: "redis", engineVersion: "7.1" },
                after: { engine: "valkey", engineVersion: "8.0" },
                verdict: "update",
                reasons: [],
            },
            {
                type: TYPE.elasticacheReplicationGroup,
                before: { engine: "valkey", engineVersion: "8.0" },
                after: { engine: "redis", engineVersion: "7.1" },
                verdict: "replace",
                reasons: ["engine (only redis → valkey is an in-place engine change)", "engineVersion (a lower engine version)"],
            },
            {
                type: TYPE.elasticacheReplicationGroup,
                before: { subnetGroupName: "a" },
                after: { subnetGroupName: "b" },
                verdict: "replace",
                reasons: ["subnetGroupName"],
            },
            {
                type: TYPE.mskCluster,
                before: { brokerNodeGroupInfo: { instanceType: "kafka.m7g.large", clientSubnets: ["a", "b"] } },
                after: { brokerNodeGroupInfo: { instanceType: "kafka.m7g.xlarge", clientSubnets: ["a", "b"] } },
                verdict: "update",
                reasons: [],
            },
            {
                type: TYPE.mskCluster,
                before: { brokerNodeGroupInfo: { clientSubnets: ["a", "b"] } },
                after: { brokerNodeGroupInfo: { clientSubnets: ["a", "c"] } },
                verdict: "replace",
                reasons: ["brokerNodeGroupInfo.clientSubnets"],
            },
            { type: TYPE.mskCluster, before: { kafkaVersion: "3.8.x" }, after: { kafkaVersion: "3.9.x" }, verdict: "update", reasons: [] },
            {
                type: TYPE.mskCluster,
                before: { kafkaVersion: "3.6.0" },
                after: { kafkaVersion: "3.5.1" },
                verdict: "replace",
                reasons: ["kafkaVersion (a lower Kafka version the provider can compare)"],
            },
            { type: TYPE.mskTopic, before: { partitionCount: 3 }, after: { partitionCount: 6 }, verdict: "update", reasons: [] },
            {
                type: TYPE.mskTopic,
                before: { replicationFactor: 2 },
                after: { replicationFactor: 3 },
                verdict: "replace",
                reasons: ["replicationFactor"],
            },
            {
                type: TYPE.eksCluster,
                before: { vpcConfig: { subnetIds: ["a"] } },
                after: { vpcConfig: { subnetIds: ["b"] } },
                verdict: "update",
                reasons: [],
            },
            {
                type: TYPE.eksCluster,
                before: { encryptionConfig: { resources: ["secrets"] } },
                after: {},
                verdict: "replace",
                reasons: ["encryptionConfig (envelope encryption cannot be turned off)"],
            },
            { type: TYPE.eksCluster, before: { roleArn: "a" }, after: { roleArn: "b" }, verdict: "replace", reasons: ["roleArn"] },
        ];
        for (const v of verdicts) {
            it(`${v.type}: ${JSON.stringify(v.before)} → ${JSON.stringify(v.after)} is ${v.verdict}`, () => {
                const changed = Object.keys({ ...v.before, ...v.after }).filter((k) => JSON.stringify(v.before[k]) !== JSON.stringify(v.after[k]));
                const result = replacementOf(v.type, v.before, v.after, changed);
                assert.strictEqual(result.verdict, v.verdict);
                assert.deepStrictEqual(result.reasons, v.reasons);
            });
        }
    });

    describe("inputs in ignoreChanges", () => {
        const VOLUME = "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize";
        const broker = (volumeSize: number, instanceType = "kafka.m7g.large") => ({
            brokerNodeGroupInfo: { instanceType, storageInfo: { ebsStorageInfo: { volumeSize } } },
        });
        const cases: {
            name: string;
            type: string;
            before: Record<string, unknown>;
            after: Record<string, unknown>;
            verdict: string;
            ignored: string[];
            /** The resource's own ignoreChanges option, as the plan document records it. */
            ignoreChanges?: string[];
        }[] = [
            {
                name: "the MSK volume size alone: ignored, no update",
                type: TYPE.mskCluster,
                before: broker(100),
                after: broker(200),
                verdict: "update",
                ignored: [VOLUME],
            },
            {
                name: "the MSK volume size and the broker type: the type updates, the size is ignored",
                type: TYPE.mskCluster,
                before: broker(100),
                after: broker(200, "kafka.m7g.xlarge"),
                verdict: "update",
                ignored: [VOLUME],
            },
            {
                name: "the web service's desired count (autoscaling owns it: the service passes ignoreChanges)",
                type: TYPE.ecsService,
                before: { name: "dev-web-service", desiredCount: 2 },
                after: { name: "dev-web-service", desiredCount: 4 },
                verdict: "update",
                ignored: ["desiredCount"],
                ignoreChanges: ["desiredCount"],
            },
            {
                name: "the data-processing service's desired count is not ignored",
                type: TYPE.ecsService,
                before: { name: "dev-data-processing-service", desiredCount: 1 },
                after: { name: "dev-data-processing-service", desiredCount: 2 },
                verdict: "update",
                ignored: [],
            },
            {
                name: "the capacity group's desired capacity (managed scaling owns it)",
                type: TYPE.autoscalingGroup,
                before: { desiredCapacity: 1 },
                after: { desiredCapacity: 3 },
                verdict: "update",
                ignored: ["desiredCapacity"],
            },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const changed = Object.keys({ ...c.before, ...c.after }).filter((k) => JSON.stringify(c.before[k]) !== JSON.stringify(c.after[k]));
                const result = replacementOf(c.type, c.before, c.after, changed, c.ignoreChanges);
                assert.strictEqual(result.verdict, c.verdict);
                assert.deepStrictEqual(result.ignored, c.ignored);
            });
        }

        it("the plan document records each resource's ignoreChanges (the web service's desired count), and only where it has one", async () => {
            const resources = toDeploymentResources(await runStack("staging"));
            const services = resources.filter((resource) => resource.type === TYPE.ecsService);
            const web = services.filter((service) => String(service.inputs.name).endsWith("-web-service"));
            assert.strictEqual(web.length, 1);
            assert.deepStrictEqual(web[0].ignoreChanges, ["desiredCount"]);
            for (const other of services.filter((service) => !web.includes(service))) assert.strictEqual(other.ignoreChanges, undefined, other.urn);
        });

        it("a changed input that only differs in an ignored nested path is not a change", () => {
            const result = replacementOf(TYPE.mskCluster, broker(100), broker(200), ["brokerNodeGroupInfo"]);
            assert.deepStrictEqual(result, { verdict: "update", reasons: [], ignored: [VOLUME] });
        });
    });

    it("the stateful types live in tools/stateful.ts; the tests read the same list", () => {
        assert.strictEqual(STATEFUL_TYPES, TOOL_STATEFUL_TYPES);
    });

    it("names types as a reader says them", () => {
        assert.strictEqual(typeNoun(TYPE.ec2NatGateway, 3), "NAT gateways");
        assert.strictEqual(typeNoun(TYPE.ec2Instance), "EC2 instance");
        assert.strictEqual(typeNoun(TYPE.s3Bucket, 2), "S3 buckets");
        assert.strictEqual(typeNoun(TYPE.ecrRepository, 2), "ECR repositories");
        assert.strictEqual(typeNoun(TYPE.ec2Eip, 2), "Elastic IPs");
        assert.strictEqual(typeNoun(TYPE.cloudwatchLogGroup), "log group");
    });
});

describe("PR report through the plan CLI (--base, --markdown)", function () {
    this.timeout(120000);
    let tmp: string;
    let basePlan: string;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pr-report-"));
        basePlan = path.join(tmp, "base.json");
        const io = captureIo();
        assert.strictEqual(await main(["--stack", "dev", "--quiet", "--json", basePlan], io, { root: FIXTURE_STACKS_DIR }), 0, io.stderr());
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("writes the report the two plan documents give, and keeps the plan's exit code", async () => {
        const dir = editedFixtureDir("dev", [["natGateways: none", "natGateways: single"]]);
        try {
            const markdown = path.join(tmp, "report.md");
            const headPlan = path.join(tmp, "head.json");
            const io = captureIo();
            const code = await main(["--stack", "dev", "--quiet", "--json", headPlan, "--base", basePlan, "--markdown", markdown], io, { root: dir });
            assert.strictEqual(code, 0, io.stderr());
            assert.match(io.stdout(), new RegExp(`wrote: .*${markdown.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
            const report = fs.readFileSync(markdown, "utf8");
            assert.strictEqual(report, renderReport(readPlanDocument(basePlan), readPlanDocument(headPlan)));
            assert.match(report, /^- network: \+1 NAT gateway: \+\$\d+\.\d\d$/m);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a mandatory violation still exits 1, with the report written", async () => {
        const markdown = path.join(tmp, "strict.md");
        const io = captureIo();
        const prodLevels = path.join(ROOT_DIR, "policy-pack", "config", "prod.json");
        const argv = ["--stack", "dev", "--quiet", "--policy-config", prodLevels, "--base", basePlan, "--markdown", markdown];
        assert.strictEqual(await main(argv, io, { root: FIXTURE_STACKS_DIR }), EXIT_MANDATORY_VIOLATION, io.stderr());
        assert.ok(fs.existsSync(markdown));
    });

    it("with the base unchanged, says nothing changed", async () => {
        const markdown = path.join(tmp, "same.md");
        const io = captureIo();
        assert.strictEqual(
            await main(["--stack", "dev", "--quiet", "--base", basePlan, "--markdown", markdown], io, { root: FIXTURE_STACKS_DIR }),
            0,
        );
        assert.match(fs.readFileSync(markdown, "utf8"), /No resource is added, changed or removed\./);
    });

    describe("refuses bad flags before the program runs: exit 2, one line", () => {
        const cases: { name: string; argv: () => string[]; message: RegExp }[] = [
            { name: "--base without --markdown", argv: () => ["--base", basePlan], message: /^plan: --base .*base\.json needs --markdown FILE\.md/ },
            {
                name: "--markdown without --base",
                argv: () => ["--markdown", path.join(tmp, "r.md")],
                message: /^plan: --markdown .*r\.md needs --base PLAN\.json/,
            },
            {
                name: "a base that is not a plan document, named",
                argv: () => ["--base", path.join(FIXTURE_STACKS_DIR, "..", "not-an-export.json"), "--markdown", path.join(tmp, "r.md")],
                message: /^plan: --base .*not-an-export\.json is not a plan document: no "stack" string/,
            },
            {
                name: "a base that is not JSON, named",
                argv: () => ["--base", path.join(FIXTURE_STACKS_DIR, "Pulumi.dev.yaml"), "--markdown", path.join(tmp, "r.md")],
                message: /^plan: --base .*Pulumi\.dev\.yaml is not a plan document: not JSON/,
            },
            {
                name: "a base that does not exist",
                argv: () => ["--base", path.join(tmp, "nope.json"), "--markdown", path.join(tmp, "r.md")],
                message: /^plan: --base .*nope\.json: no such file/,
            },
            {
                name: "the report on the base",
                argv: () => ["--base", basePlan, "--markdown", basePlan],
                message: /--markdown and --base both name/,
            },
            {
                name: "the report in a folder that does not exist",
                argv: () => ["--base", basePlan, "--markdown", path.join(tmp, "no", "r.md")],
                message: /--markdown .*: the folder .*no does not exist/,
            },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                let ran = false;
                const io = captureIo();
                const overrides: Partial<PlanOptions> = {
                    root: FIXTURE_STACKS_DIR,
                    program: () => {
                        ran = true;
                    },
                };
                assert.strictEqual(await main(c.argv(), io, overrides), EXIT_BAD_INPUT, io.stderr());
                assert.match(io.stderr(), c.message);
                assert.strictEqual(io.stderr().split("\n").length, 1, io.stderr());
                assert.strictEqual(ran, false, "the program did not run");
            });
        }
    });
});
