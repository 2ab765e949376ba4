// A require hook that runs the project's TypeScript through esbuild's transform
// (type-stripping only; `npm run typecheck` is where types are checked), with an
// on-disk cache keyed by the source's hash so unchanged files skip esbuild.
//
// Why not ts-node: Pulumi captures a full stack trace for every resource it
// registers, and ts-node's source-map-support maps each one; with TypeScript's
// own transpiler that made an offline plan of prod ~5x slower than loading the
// SDKs. Inline source maps are still emitted: run with
// NODE_OPTIONS=--enable-source-maps to see TypeScript positions in a stack trace.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

// dynamic-import off: `await import("...")` becomes a require, as tsc emits it for CommonJS.
const OPTIONS = { loader: "ts", format: "cjs", target: "node20", supported: { "dynamic-import": false }, sourcemap: "inline", sourcesContent: false };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "data-platform-ts");
let esbuild;

function transform(source, filename) {
    esbuild ??= require("esbuild");
    return esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

function cached(source, filename) {
    const key = crypto
        .createHash("sha1")
        .update(`${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
        .digest("hex");
    const file = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        const code = transform(source, filename);
        try {
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            fs.writeFileSync(`${file}.${process.pid}`, code);
            fs.renameSync(`${file}.${process.pid}`, file);
        } catch {
            // A read-only checkout still runs, just without the cache.
        }
        return code;
    }
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
    module._compile(cached(fs.readFileSync(filename, "utf8"), filename), filename);
};
