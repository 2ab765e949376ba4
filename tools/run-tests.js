#!/usr/bin/env node
// Runs every tests/**/*.spec.ts with mocha (TypeScript through tools/ts-register.js) and ends with the line
// CI reads: "N passed, N failed". Exits non-zero on any failure: a failing test, a failing hook, a spec file
// that does not load, or no test at all.
//
//   node tools/run-tests.js [WORD...]   only the spec files whose path contains one of the words
//
// Spec files run in parallel worker processes (mocha's parallel mode), one worker per core up to
// TEST_JOBS (default 2); each worker keeps its program runs cached across the files it runs
// (tests/support/helpers.ts). TEST_JOBS=1 runs everything in this process, in file order.
// Files run longest first, by the durations of the previous run (node_modules/.cache).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const TS_REGISTER = path.join(__dirname, "ts-register.js");
const DURATIONS = path.join(ROOT, "node_modules", ".cache", "data-platform-tests", "durations.json");

function specFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return specFiles(full);
        return entry.name.endsWith(".spec.ts") ? [full] : [];
    });
}

function readDurations() {
    try {
        return JSON.parse(fs.readFileSync(DURATIONS, "utf8"));
    } catch {
        return {};
    }
}

function writeDurations(durations) {
    try {
        fs.mkdirSync(path.dirname(DURATIONS), { recursive: true });
        fs.writeFileSync(`${DURATIONS}.${process.pid}`, JSON.stringify(durations, null, 1));
        fs.renameSync(`${DURATIONS}.${process.pid}`, DURATIONS);
    } catch {
        // A read-only checkout still runs, in name order next time.
    }
}

const filter = process.argv.slice(2);
const previous = readDurations();
const relative = (file) => path.relative(ROOT, file);
const files = specFiles(path.join(ROOT, "tests"))
    .filter((file) => filter.length === 0 || filter.some((word) => file.includes(word)))
    .sort()
    // Longest first, so no long file starts last; files never timed (new ones) go first.
    .sort((a, b) => (previous[relative(b)] ?? Infinity) - (previous[relative(a)] ?? Infinity));

const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
const requested = Number.parseInt(process.env.TEST_JOBS ?? "2", 10);
const jobs = Math.max(1, Math.min(Number.isFinite(requested) ? requested : 2, cores, files.length));
const parallel = jobs > 1;

require(TS_REGISTER);
const Mocha = require("mocha");
const mocha = new Mocha({
    reporter: "spec",
    timeout: 120000,
    slow: 5000,
    ...(parallel ? { parallel: true, jobs, require: [TS_REGISTER] } : {}),
});
files.forEach((file) => mocha.addFile(file));

let passed = 0;
let failed = 0;
const durations = {};
const started = Date.now();

function finish() {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (passed + failed === 0) {
        console.log("no test ran");
        failed = 1;
    }
    // A run of every file reorders the next one.
    if (filter.length === 0) writeDurations(durations);
    console.log(`\ntest wall time: ${seconds}s (${parallel ? `${jobs} parallel workers` : "one process"})`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
}

let runner;
try {
    runner = mocha.run(finish);
} catch (error) {
    // A spec file that throws while loading (serial mode): report it, count it, still print the line.
    console.error(error);
    failed++;
    finish();
}
if (runner) {
    const time = (runnable) => {
        const file = runnable.file ?? runnable.parent?.file;
        if (file) durations[relative(file)] = (durations[relative(file)] ?? 0) + (runnable.duration ?? 0);
    };
    runner.on("pass", (test) => {
        passed++;
        time(test);
    });
    runner.on("hook end", time);
    // "fail" covers failing tests, failing hooks and (in parallel mode) files that do not load.
    runner.on("fail", () => {
        failed++;
    });
}
