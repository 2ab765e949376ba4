import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policy-pack/policies";
import { validatePackConfig } from "../../tools/policy-runner";
import {
    CONSOLE_IO,
    EXIT_BAD_INPUT,
    INSTALL_PULUMI,
    WrapperIo,
    main,
    parseArgs,
    pulumiArgs,
    stackPackConfig,
    strictestPackConfig,
} from "../../tools/pulumi-wrapper";
import { ROOT_DIR } from "../../tools/run-program";
import { stackNames } from "../../tools/stack-files";

/**
 * `npm run preview` / `npm run up` without the Pulumi CLI: the argv the wrapper builds, the strictest
 * levels for a stack without a pack config, the one-line refusals (unknown stack, no CLI, the wrapper's
 * own flags), and the exact call, recorded by a fake `pulumi` on PATH in a temporary folder.
 */

const PACK_NAMES = [...new Set(allPolicies.map((policy) => policy.name))].sort();

const created: string[] = [];

function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    created.push(dir);
    return dir;
}

/** A `pulumi` that records its argv (one per line), its cwd and a copy of the pack config it was given. */
function fakePulumi(bin: string, record: string, exitCode = 0): void {
    const script = [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > '${record}/argv'`,
        `pwd > '${record}/cwd'`,
        'prev=""',
        'for arg in "$@"; do',
        `  if [ "$prev" = "--policy-pack-config" ]; then /bin/cp "$arg" '${record}/pack-config.json'; echo "$arg" > '${record}/pack-config-path'; fi`,
        '  prev="$arg"',
        "done",
        `exit ${exitCode}`,
        "",
    ].join("\n");
    fs.writeFileSync(path.join(bin, "pulumi"), script);
    fs.chmodSync(path.join(bin, "pulumi"), 0o755);
}

const recorded = (record: string): string[] => fs.readFileSync(path.join(record, "argv"), "utf8").split("\n").slice(0, -1);

interface Captured {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
}

async function run(argv: string[], overrides: Partial<WrapperIo> = {}): Promise<Captured> {
    const out: string[] = [];
    const err: string[] = [];
    const io: WrapperIo = { ...CONSOLE_IO, out: (line) => out.push(line), err: (line) => err.push(line), ...overrides };
    const code = await main(argv, io);
    return { code, out, err };
}

/** A repository with stack `qa` and no pack config for it (the shipped stacks all have one). */
function rootWithoutPackConfig(): string {
    const root = tempDir("wrapper-root-");
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: data-platform\nruntime: nodejs\n");
    fs.writeFileSync(path.join(root, "Pulumi.qa.yaml"), "config: {}\n");
    fs.mkdirSync(path.join(root, "policy-pack", "config"), { recursive: true });
    return root;
}

describe("npm run preview / npm run up (the Pulumi CLI with the policy pack)", () => {
    after(() => created.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("builds `pulumi <command> --stack S --policy-pack policy-pack --policy-pack-config policy-pack/config/S.json <args>`", () => {
        assert.deepStrictEqual(pulumiArgs("preview", "dev", "policy-pack/config/dev.json", ["--diff"]), [
            "preview",
            "--stack",
            "dev",
            "--policy-pack",
            "policy-pack",
            "--policy-pack-config",
            "policy-pack/config/dev.json",
            "--diff",
        ]);
    });

    it("passes every other argument through, before and after `--`, in order", () => {
        assert.deepStrictEqual(parseArgs(["up", "--stack", "prod", "--diff", "--", "--yes", "--non-interactive"]), {
            command: "up",
            stack: "prod",
            passThrough: ["--diff", "--yes", "--non-interactive"],
        });
        assert.strictEqual(parseArgs(["preview", "--stack=staging"]).stack, "staging");
        assert.strictEqual(parseArgs(["preview", "-s", "dev"]).stack, "dev");
    });

    const refusals: [string, string[], RegExp][] = [
        ["no --stack", ["preview", "--diff"], /--stack is required/],
        ["the stack twice", ["up", "--stack", "dev", "--", "-s", "prod"], /stack is given twice/],
        ["--policy-pack", ["up", "--stack", "dev", "--policy-pack", "other"], /--policy-pack is set by the wrapper/],
        [
            "--policy-pack-config after --",
            ["up", "--stack", "dev", "--", "--policy-pack-config=x.json"],
            /--policy-pack-config is set by the wrapper/,
        ],
        ["an unknown command", ["destroy", "--stack", "dev"], /unknown command "destroy"/],
    ];
    for (const [what, argv, message] of refusals) {
        it(`refuses ${what} with exit 2 and one line`, async () => {
            const result = await run(argv);
            assert.strictEqual(result.code, EXIT_BAD_INPUT);
            assert.strictEqual(result.err.length, 1, result.err.join("\n"));
            assert.match(result.err[0], message);
        });
    }

    it("refuses an unknown stack with exit 2, naming the stack files present", async () => {
        const result = await run(["preview", "--stack", "qa"], { env: { PATH: "" } });
        assert.strictEqual(result.code, EXIT_BAD_INPUT);
        assert.strictEqual(result.err.length, 1);
        const files = stackNames().map((stack) => `Pulumi.${stack}.yaml`);
        assert.ok(files.length > 0);
        assert.strictEqual(result.err[0], `preview: unknown stack "qa" (no Pulumi.qa.yaml); stack files here: ${files.join(", ")}`);
    });

    it("without the CLI: one line that says how to install it, exit 2", async () => {
        const empty = tempDir("wrapper-nobin-");
        const result = await run(["up", "--stack", "dev"], { env: { PATH: empty } });
        assert.strictEqual(result.code, EXIT_BAD_INPUT);
        assert.deepStrictEqual(result.err, [`up: ${INSTALL_PULUMI}`]);
        assert.match(INSTALL_PULUMI, /curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
        assert.match(INSTALL_PULUMI, /brew install pulumi\/tap\/pulumi/);
    });

    it("the strictest levels name every policy of the pack as mandatory, in a config the offline runner accepts", () => {
        const strictest = strictestPackConfig();
        assert.deepStrictEqual(Object.keys(strictest), PACK_NAMES);
        assert.ok(Object.values(strictest).every((level) => level === "mandatory"));
        validatePackConfig(strictest, "strictest");
    });

    it("every shipped stack with a pack config is run with its own file", () => {
        for (const stack of stackNames()) {
            const own = stackPackConfig(stack, ROOT_DIR);
            if (fs.existsSync(path.join(ROOT_DIR, "policy-pack", "config", `${stack}.json`))) {
                assert.strictEqual(own, `policy-pack/config/${stack}.json`);
            } else {
                assert.strictEqual(own, undefined);
            }
        }
    });

    describe("a fake `pulumi` on PATH records the exact call", () => {
        let bin: string;
        let record: string;

        beforeEach(() => {
            bin = tempDir("wrapper-bin-");
            record = tempDir("wrapper-record-");
            fakePulumi(bin, record);
        });

        it("npm run preview -- --stack dev --diff (through package.json)", () => {
            const result = spawnSync("npm", ["run", "--silent", "preview", "--", "--stack", "dev", "--diff"], {
                cwd: ROOT_DIR,
                encoding: "utf8",
                env: { ...process.env, PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter) },
            });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(recorded(record), [
                "preview",
                "--stack",
                "dev",
                "--policy-pack",
                "policy-pack",
                "--policy-pack-config",
                "policy-pack/config/dev.json",
                "--diff",
            ]);
            assert.strictEqual(fs.realpathSync(fs.readFileSync(path.join(record, "cwd"), "utf8").trim()), fs.realpathSync(ROOT_DIR));
            assert.match(
                result.stderr,
                /^\$ pulumi preview --stack dev --policy-pack policy-pack --policy-pack-config policy-pack\/config\/dev\.json --diff$/m,
            );
        });

        it("npm run up -- --stack prod -- --yes --non-interactive (arguments after `--`)", () => {
            const result = spawnSync("npm", ["run", "--silent", "up", "--", "--stack", "prod", "--", "--yes", "--non-interactive"], {
                cwd: ROOT_DIR,
                encoding: "utf8",
                env: { ...process.env, PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter) },
            });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(recorded(record), [
                "up",
                "--stack",
                "prod",
                "--policy-pack",
                "policy-pack",
                "--policy-pack-config",
                "policy-pack/config/prod.json",
                "--yes",
                "--non-interactive",
            ]);
        });

        it("passes pulumi's exit code on", async () => {
            fakePulumi(bin, record, 7);
            const result = await run(["up", "--stack", "staging", "--yes"], { env: { PATH: bin } });
            assert.strictEqual(result.code, 7);
            assert.deepStrictEqual(recorded(record).slice(-2), ["policy-pack/config/staging.json", "--yes"]);
        });

        it("a stack without a pack config: a temporary all-mandatory config, removed afterwards", async () => {
            const root = rootWithoutPackConfig();
            const result = await run(["preview", "--stack", "qa"], { env: { PATH: bin }, root });
            assert.strictEqual(result.code, 0, result.err.join("\n"));
            const argv = recorded(record);
            assert.deepStrictEqual(argv.slice(0, 6), ["preview", "--stack", "qa", "--policy-pack", "policy-pack", "--policy-pack-config"]);
            const given = fs.readFileSync(path.join(record, "pack-config-path"), "utf8").trim();
            assert.strictEqual(argv[6], given);
            assert.ok(path.isAbsolute(given) && !given.startsWith(root), given);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(record, "pack-config.json"), "utf8")), strictestPackConfig());
            assert.ok(!fs.existsSync(given), "the temporary pack config is removed when pulumi exits");
            assert.match(result.err[0], /stack qa has no policy-pack\/config\/qa\.json: the strictest levels, every policy mandatory/);
            assert.strictEqual(fs.realpathSync(fs.readFileSync(path.join(record, "cwd"), "utf8").trim()), fs.realpathSync(root));
        });
    });

    describe("pack-config (what CI passes to pulumi/actions as policyPackConfigs)", () => {
        it("prints the stack's own config", async () => {
            const result = await run(["pack-config", "--stack", "prod"]);
            assert.strictEqual(result.code, 0);
            assert.deepStrictEqual(result.out, ["policy-pack/config/prod.json"]);
        });

        it("writes the strictest levels to --out for a stack without one, and prints that path", async () => {
            const root = rootWithoutPackConfig();
            const out = path.join(tempDir("wrapper-out-"), "pack-config-qa.json");
            const result = await run(["pack-config", "--stack", "qa", "--out", out], { root });
            assert.strictEqual(result.code, 0);
            assert.deepStrictEqual(result.out, [out]);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(out, "utf8")), strictestPackConfig());
        });

        it("refuses an unknown stack like the commands do", async () => {
            const result = await run(["pack-config", "--stack", "nope"]);
            assert.strictEqual(result.code, EXIT_BAD_INPUT);
            assert.match(result.err[0], /^pack-config: unknown stack "nope"/);
        });
    });
});
