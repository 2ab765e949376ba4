import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanIo, PlanOptions, main } from "../../tools/plan";
import { ROOT_DIR } from "../../tools/run-program";
import { stackNames } from "../../tools/stack-files";
import { FIXTURE_STACKS_DIR } from "../support/stateful";
import { copiedStackDir, inRegion, removeStackDir } from "../support/stack-dirs";

/**
 * The plan CLI as a person meets it: arguments checked before the program runs (exit 2, one
 * line), internal errors as one line (exit 3, the trace only with --debug), the summary first,
 * `--quiet`, a copied stack, and a region without prices. All but two tests call `main()`
 * in-process; two spawn the real CLI for the exit code and the absence of a stack trace.
 */

interface Captured {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

async function runMain(argv: string[], overrides: Partial<PlanOptions> = {}): Promise<Captured> {
    const out: string[] = [];
    const err: string[] = [];
    const io: PlanIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const code = await main(argv, io, { root: FIXTURE_STACKS_DIR, ...overrides });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const STACK_TRACE = /^\s+at .*[:(]\d+/m;

function spawnPlan(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(
        process.execPath,
        ["-r", path.join(ROOT_DIR, "tools", "ts-register.js"), path.join(ROOT_DIR, "tools", "plan.ts"), ...args],
        {
            cwd: ROOT_DIR,
            encoding: "utf8",
        },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("plan CLI: arguments, errors and output", function () {
    this.timeout(120000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("refuses bad arguments before the program runs: exit 2, one line naming the argument", () => {
        const cases: { name: string; argv: () => string[]; message: RegExp }[] = [
            {
                name: "a diagram format it cannot write",
                argv: () => ["--diagram", "x.png"],
                message: /--diagram x\.png: "\.png" is not a diagram format; use \.svg .* or \.mmd/,
            },
            { name: "a diagram file without extension", argv: () => ["--diagram", path.join(tmp, "diagram")], message: /the file has no extension/ },
            { name: "--json naming a directory", argv: () => ["--json", tmp], message: /--json .* is a directory; expected a file path/ },
            {
                name: "--json in a folder that does not exist",
                argv: () => ["--json", path.join(tmp, "no", "plan.json")],
                message: /the folder .*no does not exist/,
            },
            { name: "--json ending in a slash", argv: () => ["--json", `${tmp}/out/`], message: /names a folder/ },
            {
                name: "the same file for --json and --diagram",
                argv: () => ["--json", path.join(tmp, "a.svg"), "--diagram", path.join(tmp, "a.svg")],
                message: /both name/,
            },
            { name: "an unknown flag", argv: () => ["--jsn", "x.json"], message: /Unknown option '--jsn'; usage: npm run plan/ },
            { name: "a positional argument", argv: () => ["prod"], message: /Unexpected argument 'prod'/ },
            { name: "a flag without its value", argv: () => ["--json"], message: /^plan: --json needs a value/ },
            { name: "a flag followed by another flag", argv: () => ["--json", "--quiet"], message: /^plan: --json needs a value/ },
            { name: "a stack name Pulumi would not take", argv: () => ["--stack", "my stack"], message: /--stack "my stack": a stack name is/ },
            {
                name: "a pack config that does not exist",
                argv: () => ["--policy-config", path.join(tmp, "nope.json")],
                message: /--policy-config .*nope\.json: no such file/,
            },
        ];
        for (const { name, argv, message } of cases) {
            it(name, async () => {
                let ran = false;
                const result = await runMain(argv(), {
                    program: () => {
                        ran = true;
                    },
                });
                assert.strictEqual(result.code, 2, result.stderr);
                assert.match(result.stderr, message);
                assert.strictEqual(result.stderr.split("\n").length, 1, `one line: ${result.stderr}`);
                assert.strictEqual(result.stdout, "");
                assert.strictEqual(ran, false, "the program did not run");
            });
        }
    });

    it("--help prints the usage, exit 0", async () => {
        const result = await runMain(["--help"]);
        assert.strictEqual(result.code, 0);
        assert.match(result.stdout, /^usage: npm run plan -- .*--quiet.*--debug/);
    });

    describe("an internal error", () => {
        const boom = () => {
            throw new TypeError("cannot read the moon\nsecond line");
        };

        it("is one line, exit 3, pointing at --debug", async () => {
            const result = await runMain(["--quiet"], { program: boom });
            assert.strictEqual(result.code, 3);
            assert.strictEqual(result.stderr, "plan: internal error: cannot read the moon (run with --debug for the trace)");
        });

        it("with --debug also prints the trace", async () => {
            const result = await runMain(["--quiet", "--debug"], { program: boom });
            assert.strictEqual(result.code, 3);
            assert.match(result.stderr, /^plan: internal error: cannot read the moon\n/);
            assert.match(result.stderr, STACK_TRACE);
        });

        it("from an asynchronous program is reported once, with no rejection left behind", async () => {
            const result = await runMain(["--quiet"], {
                program: async () => {
                    await new Promise((resolve) => setTimeout(resolve, 5));
                    throw new Error("late");
                },
            });
            assert.strictEqual(result.code, 3);
            assert.strictEqual(result.stderr, "plan: internal error: late (run with --debug for the trace)");
        });
    });

    describe("output a person reads", () => {
        let full: Captured;
        before(async () => {
            full = await runMain(["--stack", "dev"]);
        });

        it("prints the summary first: stack, resources, policy, cost, exit meaning", () => {
            assert.strictEqual(full.code, 0, full.stderr);
            const lines = full.stdout.split("\n");
            assert.match(lines[0], /^Offline plan of stack "dev" \(us-east-2\), from Pulumi\.dev\.yaml$/);
            const summary = lines.slice(0, lines.indexOf(""));
            const field = (name: string) => summary.find((line) => line.startsWith(`  ${name}: `));
            assert.match(field("resources") ?? "", /^ {2}resources: \d+ in \d+ components/);
            assert.match(
                field("policy") ?? "",
                /^ {2}policy: 0 mandatory, \d+ advisory; levels from policy-pack\/config\/dev\.json, the stack's own$/,
            );
            assert.match(field("cost") ?? "", /^ {2}cost: \$\d+\.\d{2}\/month, on-demand list prices for us-east-2$/);
            assert.match(field("reference") ?? "", /reference estimate for dev of \$40–60\/month/);
            assert.strictEqual(field("exit"), "  exit: 0: no mandatory policy violation");
            assert.ok(full.stdout.indexOf("Resource tree:") > full.stdout.indexOf("  exit: "), "the detail follows the summary");
            assert.match(full.stdout, /\nPlan dev: \d+ resources in \d+ components, .*exit 0; program \d+\.\d+ s, wall time \d+\.\d+ s$/);
        });

        it("--quiet prints the summary only", async () => {
            const quiet = await runMain(["--stack", "dev", "--quiet"]);
            assert.strictEqual(quiet.code, 0);
            assert.strictEqual(
                quiet.stdout,
                full.stdout.slice(0, full.stdout.indexOf("\n\n")).replace(/time: .*/, quiet.stdout.match(/time: .*/)?.[0] ?? ""),
            );
            assert.doesNotMatch(quiet.stdout, /Resource tree:|mandatory \(\d+\)|TOTAL/);
        });

        it("never mentions the seed or files outside the repository", () => {
            assert.doesNotMatch(full.stdout, /seed|seeds\//i);
            assert.match(
                full.stdout,
                /Reference estimate: .*reference estimate for dev of \$40–60\/month \(the cost breakdown of the Terraform data platform this program reproduces/,
            );
        });
    });

    describe("a stack copied from dev (cp Pulumi.dev.yaml Pulumi.mine.yaml)", () => {
        let dir: string;
        let result: Captured;
        let document: Record<string, any>;
        before(async () => {
            dir = copiedStackDir("dev", "mine");
            const json = path.join(dir, "mine.plan.json");
            result = await runMain(["--stack", "mine", "--json", json], { root: dir });
            document = JSON.parse(fs.readFileSync(json, "utf8"));
        });
        after(() => removeStackDir(dir));

        it("plans fully, judged by the strictest levels, and says so", () => {
            assert.ok(result.code === 0 || result.code === 1, result.stderr);
            assert.match(
                result.stdout,
                /policy: \d+ mandatory, .*the strictest levels, every policy mandatory \(stack "mine" of this project has no policy-pack\/config\/mine\.json\)/,
            );
            assert.match(result.stdout, /warning: no policy-pack\/config\/mine\.json: the pack judges this stack by the strictest levels/);
            assert.strictEqual(document.levels.source, "strictest");
            assert.ok(document.deployment.resources.length > 100);
            if (result.code === 1) assert.match(result.stdout, /exit: 1: \d+ mandatory policy violations? under the strictest levels/);
        });

        it("announces the missing usage file: the cost uses the defaults", () => {
            assert.match(result.stdout, /warning: no usage\/mine\.yaml: the cost uses the default usage assumptions/);
            assert.match(result.stdout, /Usage assumptions \(the defaults: there is no usage\/mine\.yaml\)/);
            assert.match(result.stdout, /cost: \$\d+\.\d{2}\/month/);
        });

        it("warns that its environment is still dev's: physical names would collide", () => {
            assert.match(result.stdout, /warning: data-platform:environment is "dev" but the stack is "mine": physical names .* would collide/);
            assert.ok(document.warnings.some((warning: string) => /environment is "dev"/.test(warning)));
        });

        it("does not warn about the environment once it is the stack's name", async () => {
            const renamed = copiedStackDir("dev", "mine", (text) =>
                text.replace("data-platform:environment: dev", "data-platform:environment: mine"),
            );
            try {
                const again = await runMain(["--stack", "mine", "--quiet"], { root: renamed });
                assert.doesNotMatch(again.stdout, /environment is/);
            } finally {
                removeStackDir(renamed);
            }
        });
    });

    it("a region without prices still prints the tree and the policy report: cost: not priced, exit 0", async () => {
        const dir = copiedStackDir("dev", "dev", inRegion("ap-southeast-2"));
        try {
            const json = path.join(dir, "plan.json");
            const result = await runMain(["--stack", "dev", "--json", json], { root: dir });
            assert.strictEqual(result.code, 0, result.stderr);
            assert.match(
                result.stdout,
                /cost: not priced for ap-southeast-2 \(price tables: us-east-2, us-east-1, us-west-2, eu-west-1, eu-central-1\)/,
            );
            assert.match(result.stdout, /\ncost: not priced for ap-southeast-2/);
            assert.match(result.stdout, /Resource tree:\n[\s\S]*mandatory \(0\)/);
            const document = JSON.parse(fs.readFileSync(json, "utf8"));
            assert.deepStrictEqual(
                { priced: document.cost.priced, region: document.cost.region, items: document.cost.items },
                { priced: false, region: "ap-southeast-2", items: [] },
            );
        } finally {
            removeStackDir(dir);
        }
    });

    it("lists the stack files for CI (tools/stack-files.ts)", () => {
        assert.deepStrictEqual(stackNames(FIXTURE_STACKS_DIR), ["dev", "prod", "staging"]);
        const dir = copiedStackDir("dev", "My_Stack.2");
        try {
            assert.deepStrictEqual(stackNames(dir), ["My_Stack.2"]);
        } finally {
            removeStackDir(dir);
        }
    });

    describe("the CLI process", () => {
        it("a bad --diagram extension: exit 2, one line, no stack trace, before any plan output", () => {
            const result = spawnPlan(["--stack", "dev", "--diagram", "x.png"]);
            assert.strictEqual(result.status, 2);
            assert.strictEqual(result.stdout, "");
            assert.strictEqual(result.stderr.trim().split("\n").length, 1, result.stderr);
            assert.doesNotMatch(result.stderr, STACK_TRACE);
        });

        it("--quiet on a shipped stack: the summary only, exit 0", () => {
            const result = spawnPlan(["--stack", "staging", "--quiet"]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stdout, /^Offline plan of stack "staging"/);
            assert.match(result.stdout, /exit: 0: no mandatory policy violation/);
            assert.doesNotMatch(result.stdout, /Resource tree:/);
        });
    });
});
