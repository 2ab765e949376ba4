import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyFinding, chooseLevels, loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { LoadedState, StateFileError, loadStateFile, mergeOutputsUnderInputs, parseState } from "../../tools/state/load";
import { NUMERIC_KEYS } from "../../tools/state/numeric-keys";

/**
 * The state shapes and quirks Pulumi really writes (issue 10, item 1 and 2),
 * each reproduced by a small hand-written fixture in tests/fixtures/state-quirks/.
 */

const QUIRKS = path.join(__dirname, "..", "fixtures", "state-quirks");
const load = (file: string): LoadedState => loadStateFile(path.join(QUIRKS, file));

/** Runs the pack over a loaded state with the levels the CLI would choose. */
function judge(state: LoadedState): PolicyFinding[] {
    return runPolicies(state.resources, chooseLevels(state).config, state.stack ?? "unknown", { propsFrom: state.propsFrom });
}

const brief = (findings: readonly PolicyFinding[]) =>
    findings
        .map(
            (finding) =>
                `${finding.cannotTell ? `cannot-tell:${finding.cannotTell}` : finding.enforcementLevel} ${finding.policy} ${finding.urn?.split("::").pop() ?? "-"}`,
        )
        .sort();

const TAGS = { Environment: "prod", Project: "data-platform", ManagedBy: "pulumi" };
const volume = (name: string, extra: Record<string, unknown> = {}) => ({
    urn: `urn:pulumi:prod::data-platform::aws:ebs/volume:Volume::${name}`,
    custom: true,
    type: "aws:ebs/volume:Volume",
    inputs: { availabilityZone: "us-east-2a", encrypted: false, tags: TAGS },
    ...extra,
});

describe("state files as Pulumi writes them", () => {
    describe("shapes", () => {
        it("reads `pulumi stack export` versions 1, 2 and 3 and checkpoint version 4 alike", () => {
            for (const version of [1, 2, 3]) {
                const state = parseState({ version, deployment: { manifest: {}, resources: [volume("prod-data")] } }, "export.json");
                assert.strictEqual(state.kind, "stack export");
                assert.strictEqual(state.format, `pulumi stack export, version ${version}`);
                assert.deepStrictEqual(brief(judge(state)), ["mandatory ebs-encryption prod-data"], `version ${version}`);
            }
            const v4 = parseState(
                { version: 4, features: ["refreshBeforeUpdate"], checkpoint: { stack: "prod", latest: { resources: [volume("prod-data")] } } },
                "v4.json",
            );
            assert.strictEqual(v4.format, "state checkpoint, version 4");
            assert.deepStrictEqual(brief(judge(v4)), ["mandatory ebs-encryption prod-data"]);
        });

        it("refuses a version newer than it knows, naming the file and the versions it reads", () => {
            assert.throws(
                () => parseState({ version: 5, deployment: { resources: [] } }, "future.json"),
                (error: Error) =>
                    error instanceof StateFileError &&
                    /^future\.json: "version" is 5; this runner reads versions 1, 2, 3, 4 \(the file was written by a newer Pulumi/.test(
                        error.message,
                    ),
            );
        });

        it("reads a checkpoint {checkpoint: {stack, latest: {resources}}}, taking project and stack from it", () => {
            const state = load("checkpoint-foreign-dev.json");
            assert.strictEqual(state.kind, "checkpoint");
            assert.strictEqual(state.format, "state checkpoint, version 3");
            assert.strictEqual(state.project, "shop");
            assert.strictEqual(state.stack, "dev");
            assert.strictEqual(state.resources.length, 2);
        });

        it("reads the unversioned {target, latest} checkpoint and its `defaults`", () => {
            const state = load("checkpoint-v0.json");
            assert.strictEqual(state.format, "state checkpoint, version 0 ({target, latest})");
            assert.strictEqual(state.stack, "dev");
            assert.deepStrictEqual(state.resources[0].inputs, { name: "dev-app-logs" });
            assert.deepStrictEqual(judge(state), [], "a log group with 14 days and a KMS key passes dev's levels");
        });

        it("reads a stack with no resources (Pulumi omits the key) as zero resources, judged by the strictest levels", () => {
            const state = load("empty-stack.json");
            assert.strictEqual(state.resources.length, 0);
            assert.strictEqual(state.project, undefined);
            const levels = chooseLevels(state);
            assert.strictEqual(levels.source, "strictest");
            assert.strictEqual(levels.reason, "the state names no project (it has no resources)");
            assert.deepStrictEqual(judge(state), []);
            assert.strictEqual(
                parseState({ version: 3, checkpoint: { stack: "dev" } }, "c.json").resources.length,
                0,
                "a checkpoint without `latest`",
            );
        });

        it("names the file, the place and what was expected for a document it cannot use", () => {
            const cases: [unknown, RegExp][] = [
                [[], /^x\.json: the top level is a list, not an object; expected a `pulumi stack export` file/],
                [{ deployment: [] }, /^x\.json: "deployment" is a list, not an object/],
                [{ version: 3, deployment: { resources: {} } }, /^x\.json: "deployment\.resources" is an object, not a list/],
                [
                    { version: 3, checkpoint: { latest: { resources: [{ urn: "u" }] } } },
                    /^x\.json: checkpoint\.latest\.resources\[0\] has no "urn" and "type" strings/,
                ],
                [{ resources: [] }, /^x\.json: no "deployment" or "checkpoint" \(top-level keys: resources\)/],
                [{ version: "3", deployment: { resources: [] } }, /^x\.json: "version" is "3"; this runner reads versions 1, 2, 3, 4;/],
            ];
            for (const [document, expected] of cases) {
                assert.throws(
                    () => parseState(document, "x.json"),
                    (error: Error) => error instanceof StateFileError && expected.test(error.message),
                    JSON.stringify(document),
                );
            }
        });
    });

    describe("quirks", () => {
        it("reads null where a list or map is expected (dependencies, propertyDependencies and their lists, outputs)", () => {
            const state = load("null-lists.json");
            const [key, logs] = state.resources;
            assert.deepStrictEqual(key.dependencies, []);
            assert.deepStrictEqual(key.propertyDependencies, {});
            assert.deepStrictEqual(key.outputs, {});
            assert.deepStrictEqual(logs.propertyDependencies, { kmsKeyId: [key.urn], retentionInDays: [], tags: [] });
            assert.deepStrictEqual(judge(state), [], "clean under dev's levels, and no crash in the stack policies");
        });

        it("the runner itself takes null property-dependency lists from a direct caller", () => {
            const resources = load("null-lists.json").resources.map((resource) => ({
                ...resource,
                propertyDependencies: { kmsKeyId: null } as never,
                dependencies: null as never,
            }));
            assert.deepStrictEqual(runPolicies(resources, loadPackConfig("dev"), "dev"), []);
        });

        it('an encrypted secret whose content decides is "hidden secret, cannot tell"; a preview unknown and __pulumiUnknown are "cannot tell yet"', () => {
            const findings = judge(load("secrets-and-unknowns.json"));
            const found = brief(findings);
            for (const expected of [
                "cannot-tell:secret iam-trust-specific-principals prod-identity-task",
                "cannot-tell:unknown ebs-encryption prod-data",
                "cannot-tell:unknown kms-key-rotation prod-data-key",
            ]) {
                assert.ok(found.includes(expected), `${expected} in\n${found.join("\n")}`);
            }
            for (const finding of findings) {
                assert.ok(finding.cannotTell && finding.enforcementLevel === "advisory", `never a pass or a fail: ${JSON.stringify(finding)}`);
            }
            const onRole = findings.filter((finding) => finding.urn?.endsWith("::prod-identity-task"));
            assert.ok(
                onRole.every((finding) => finding.cannotTell === "secret"),
                "the role's only undecided value is its encrypted trust policy",
            );
            const secret = findings.find((finding) => finding.cannotTell === "secret");
            assert.match(
                secret!.message,
                /^hidden secret, cannot tell: .*assumeRolePolicy.* is encrypted in the file \(`pulumi stack export --show-secrets` shows it\)$/,
            );
            const unknown = findings.find((finding) => finding.policy === "ebs-encryption");
            assert.match(unknown!.message, /^cannot tell yet: .*encrypted/);
        });

        it("skips resources awaiting deletion (delete: true) or pending replacement, and says so", () => {
            const state = load("pending.json");
            assert.deepStrictEqual(state.skipped, [
                { urn: "urn:pulumi:prod::data-platform::aws:ebs/volume:Volume::prod-data", reason: "an old copy awaiting deletion (delete: true)" },
                {
                    urn: "urn:pulumi:prod::data-platform::aws:ebs/volume:Volume::prod-scratch",
                    reason: "pending replacement (pendingReplacement: true)",
                },
            ]);
            assert.deepStrictEqual(
                state.resources.map((resource) => resource.id),
                ["vol-new"],
            );
            assert.deepStrictEqual(judge(state), [], "the unencrypted copies are not judged");
        });

        it("reads numbers written as strings under numeric properties, and leaves other digit strings alone", () => {
            const state = load("numbers-as-strings.json");
            assert.strictEqual(state.resources[1].inputs.retentionInDays, 3);
            assert.strictEqual(state.resources[2].inputs.fromPort, 22);
            const raw = parseState(
                {
                    version: 3,
                    deployment: {
                        resources: [
                            {
                                urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::v",
                                type: "aws:ec2/vpc:Vpc",
                                outputs: { ownerId: "111122223333", tags: { Tier: "3" } },
                            },
                        ],
                    },
                },
                "v.json",
            );
            assert.deepStrictEqual(raw.resources[0].outputs, { ownerId: "111122223333", tags: { Tier: "3" } });
            const findings = judge(state);
            const retention = brief(findings.filter((finding) => finding.policy === "log-group-retention"));
            assert.deepStrictEqual(retention, ["mandatory log-group-retention prod-app-logs"], '"400" days is enough, "3" is not');
            assert.match(findings.find((finding) => finding.policy === "log-group-retention")!.message, /keeps logs 3 day\(s\); at least 30/);
            const ssh = findings.filter((finding) => finding.urn?.endsWith("::prod-firewall-web-in-ssh") && finding.enforcementLevel === "mandatory");
            const messages = ssh.map((finding) => finding.message).join("\n");
            assert.ok(
                ssh.length > 0 && ssh.every((finding) => /port(\(s\))? 22 to the internet/.test(finding.message)),
                `"22" is port 22:\n${messages}`,
            );
        });

        it("every numeric key is a number in the @pulumi/aws typings and never a string (port: only digits convert)", function () {
            this.timeout(60000);
            const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
            const declared = new Map<string, Set<string>>();
            const pattern = /^\s+(?:readonly )?(\w+)\??: pulumi\.(?:Input|Output)<([^>]*)>/gm;
            const visit = (dir: string) => {
                for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                    const full = path.join(dir, entry.name);
                    if (entry.isDirectory()) visit(full);
                    else if (entry.name.endsWith(".d.ts")) {
                        const text = fs.readFileSync(full, "utf8");
                        for (const match of text.matchAll(pattern)) {
                            if (!NUMERIC_KEYS.has(match[1])) continue;
                            const types = declared.get(match[1]) ?? new Set<string>();
                            types.add(match[2].replace(/ \| undefined$/, ""));
                            declared.set(match[1], types);
                        }
                    }
                }
            };
            visit(root);
            for (const key of NUMERIC_KEYS) {
                const types = [...(declared.get(key) ?? [])];
                assert.ok(types.includes("number"), `${key} is never declared a number (${types.join(", ") || "not found"})`);
                if (key !== "port")
                    assert.deepStrictEqual(
                        types.filter((type) => type !== "number"),
                        [],
                        `${key} is also declared ${types.join(", ")}`,
                    );
            }
        });
    });

    describe("state files are judged by the values they record (outputs merged under inputs)", () => {
        const instance = {
            urn: "urn:pulumi:prod::data-platform::aws:ec2/instance:Instance::prod-host",
            custom: true,
            type: "aws:ec2/instance:Instance",
            inputs: {
                ami: "ami-1",
                metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true },
                tags: TAGS,
            },
            outputs: {
                ami: "ami-1",
                associatePublicIpAddress: true,
                metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
                rootBlockDevice: { encrypted: true, volumeSize: 8 },
            },
        };

        it("a public IP the inputs never asked for but the outputs show is a violation in a stack export", () => {
            const state = parseState({ version: 3, deployment: { resources: [instance] } }, "s.json");
            assert.strictEqual(state.propsFrom, "state");
            assert.deepStrictEqual(
                brief(judge(state)),
                ["mandatory ec2-no-public-ip prod-host"],
                "inputs win where they speak (httpTokens required)",
            );
        });

        it("a plan document keeps judging the program's inputs", () => {
            const state = parseState({ stack: "prod", project: "data-platform", deployment: { resources: [instance] } }, "plan.json");
            assert.strictEqual(state.propsFrom, "inputs");
            assert.deepStrictEqual(judge(state), []);
        });

        it("merges nested objects key by key, inputs first; lists and secrets come whole from the inputs", () => {
            const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" };
            assert.deepStrictEqual(
                mergeOutputsUnderInputs(
                    { a: { x: 1, y: 2 }, list: [1, 2, 3], token: { plaintext: '"p"' }, kept: true, nulled: 5 },
                    { a: { y: 3 }, list: [9], token: secret, nulled: null },
                ),
                { a: { x: 1, y: 3 }, list: [9], token: secret, kept: true, nulled: 5 },
            );
        });

        it("a foreign project's checkpoint judges the public IP its outputs record, under the strictest levels", () => {
            const state = load("checkpoint-foreign-dev.json");
            assert.deepStrictEqual(brief(judge(state)), ["mandatory ec2-no-public-ip web"], "dev's levels would make it advisory");
        });
    });
});
