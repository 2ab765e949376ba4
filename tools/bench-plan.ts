/**
 * Wall-time benchmark for the plan (issue 6, "Speed"). Two measurements, each a
 * fresh process, median of N runs:
 *   floor: `node` doing nothing but load @pulumi/pulumi and @pulumi/aws;
 *   plan:  ts-node (as `npm run plan` uses it) running the stack under mocks,
 *          then the cost estimate and the diagram.
 *
 *   npx ts-node --transpile-only tools/bench-plan.ts [--stack prod] [--runs 5] [--diagram mmd|svg]
 *   (the same file with --child runs one plan-like pass)
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

function arg(name: string, fallback: string): string {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function child(stack: string, format: "mmd" | "svg"): Promise<void> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { runProgram } = require("./run-program") as typeof import("./run-program");
    const { readStackFile } = require("./stack-files") as typeof import("./stack-files");
    const { toDeploymentResources } = require("./deployment") as typeof import("./deployment");
    const { estimateCost, formatCostTable } = require("./cost") as typeof import("./cost");
    const { renderDiagram } = require("./diagram") as typeof import("./diagram");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const file = readStackFile(stack);
    const run = await runProgram({ stack, config: file.config, secretKeys: file.secretKeys });
    const resources = toDeploymentResources(run);
    const table = formatCostTable(estimateCost(resources, stack));
    const diagram = await renderDiagram(resources, format);
    if (table.length === 0 || diagram.length === 0) throw new Error("empty output");
}

function time(command: string, args: string[]): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.toString()}`);
    return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
    const stack = arg("stack", "prod");
    const runs = Number(arg("runs", "5"));
    const format = arg("diagram", "mmd");
    const floor: number[] = [];
    const plan: number[] = [];
    for (let i = 0; i < runs; i++) {
        floor.push(time(process.execPath, ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"]));
        plan.push(time(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tools", "bench-plan.ts"), "--child", "--stack", stack, "--diagram", format]));
    }
    const f = median(floor);
    const p = median(plan);
    console.log(`floor (node + @pulumi/pulumi + @pulumi/aws): median ${f.toFixed(0)} ms of ${runs} [${floor.map((v) => v.toFixed(0)).join(", ")}]`);
    console.log(`plan-like ${stack} (ts-node, run under mocks, cost, ${format} diagram): median ${p.toFixed(0)} ms of ${runs} [${plan.map((v) => v.toFixed(0)).join(", ")}]`);
    console.log(`ratio ${(p / f).toFixed(2)}× (target ≤ 1.5×)`);
}

if (process.argv.includes("--child")) {
    child(arg("stack", "prod"), arg("diagram", "mmd") as "mmd" | "svg").catch((error) => {
        console.error(error);
        process.exit(1);
    });
} else {
    main();
}
