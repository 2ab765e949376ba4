import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * tools/check-real-exports.sh, which CI runs over ../shared/real-exports: every
 * state file must get a verdict (exit 0 or 1, JSON report written). Run here
 * over the project's own quirk fixtures, never the shared files.
 */

const ROOT = path.join(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "tools", "check-real-exports.sh");
const QUIRKS = path.join(__dirname, "..", "fixtures", "state-quirks");

function check(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync("bash", [SCRIPT, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120000, env: { ...process.env, JOBS: "2", ...env } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("tools/check-real-exports.sh", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "real-exports-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes when every state file gets a verdict, counting files by exit code, and keeps the reports with --keep", () => {
        const keep = path.join(dir, "kept");
        const run = check([QUIRKS, "--keep", keep]);
        const count = fs.readdirSync(QUIRKS).filter((name) => name.endsWith(".json")).length;
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(
            run.stdout,
            new RegExp(
                `^check-real-exports: ${count} files from .*state-quirks in \\d+\\.\\d{3} s \\(5 × exit 0, 3 × exit 1\\): ${count} with a verdict, 0 without$`,
                "m",
            ),
        );
        const report = JSON.parse(fs.readFileSync(path.join(keep, "checkpoint-foreign-dev.json.report.json"), "utf8"));
        assert.strictEqual(report.levels.source, "strictest");
    });

    it("fails on a file the runner refuses (exit 2), naming it, in-process and with --spawn", () => {
        fs.copyFileSync(path.join(QUIRKS, "empty-stack.json"), path.join(dir, "good.json"));
        fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ resources: [] }));
        fs.writeFileSync(path.join(dir, "README.md"), "not a state file");
        for (const mode of [[], ["--spawn"]]) {
            const run = check([dir, ...mode]);
            assert.strictEqual(run.status, 1, `${mode.join(" ")}\n${run.stdout}${run.stderr}`);
            assert.match(run.stderr, /^FAIL bad\.json: exit 2: policy: .*bad\.json: no "deployment" or "checkpoint"/m);
            assert.match(run.stdout, /2 files from .* \(1 × exit 0, 1 × exit 2\): 1 with a verdict, 1 without/);
        }
    });

    it("fails when the run stops before a file gets its verdict", () => {
        const boom = path.join(dir, "boom.js");
        fs.writeFileSync(boom, 'throw new Error("boom at start-up");');
        fs.copyFileSync(path.join(QUIRKS, "empty-stack.json"), path.join(dir, "good.json"));
        const folder = path.join(dir, "states");
        fs.mkdirSync(folder);
        fs.copyFileSync(path.join(QUIRKS, "empty-stack.json"), path.join(folder, "good.json"));
        const batch = check([folder], { NODE_OPTIONS: `--require ${boom}` });
        assert.strictEqual(batch.status, 1, batch.stdout + batch.stderr);
        assert.match(batch.stderr, /^FAIL good\.json: no verdict \(the run stopped, exit 1: Error: boom at start-up\)/m);
        const spawned = check([folder, "--spawn"], { NODE_OPTIONS: `--require ${boom}` });
        assert.strictEqual(spawned.status, 1);
        assert.match(spawned.stderr, /^FAIL good\.json: no JSON report/m);
    });

    it("skips, with a message, a folder that does not exist", () => {
        const run = check([path.join(dir, "absent")]);
        assert.strictEqual(run.status, 0);
        assert.match(run.stdout, /check-real-exports: .*absent does not exist; skipped/);
    });

    it("passes shellcheck", function () {
        const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
        if (probe.status !== 0) this.skip();
        const run = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    });
});
