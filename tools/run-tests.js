#!/usr/bin/env node
// Runs every tests/**/*.spec.ts with mocha (TypeScript through tools/ts-register.js) and ends with the line
// CI reads: "N passed, N failed". Exits non-zero on any failure (hooks included).
"use strict";
const fs = require("fs");
const path = require("path");

require("./ts-register");
const Mocha = require("mocha");

function specFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return specFiles(full);
        return entry.name.endsWith(".spec.ts") ? [full] : [];
    });
}

const filter = process.argv.slice(2);
const files = specFiles(path.join(__dirname, "..", "tests"))
    .filter((file) => filter.length === 0 || filter.some((word) => file.includes(word)))
    .sort();
const mocha = new Mocha({ reporter: "spec", timeout: 120000, slow: 5000 });
files.forEach((file) => mocha.addFile(file));

let passed = 0;
let failed = 0;
const started = Date.now();
const runner = mocha.run(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (passed + failed === 0) {
        console.log("no test ran");
        failed = 1;
    }
    console.log(`\ntest wall time: ${seconds}s`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
});
runner.on("pass", () => { passed++; });
runner.on("fail", () => { failed++; });
