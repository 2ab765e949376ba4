/**
 * Wall-time benchmark of the offline plan (issue 6, "Speed"): the median of N
 * fresh processes of
 *   floor: node doing nothing but load @pulumi/pulumi and @pulumi/aws;
 *   plan:  exactly what `npm run plan -- --stack <s>` runs (node with the
 *          esbuild hook, tools/plan.ts: program under mocks, policy pack, cost),
 *          optionally with `--diagram out.mmd|out.svg`.
 *
 *   npm run bench -- [--stack prod] [--runs 7] [--diagram mmd|svg]
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

const ROOT = path.resolve(__dirname, "..");

function time(args: string[]): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr.toString()}`);
    return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const show = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");

function main(): void {
    const { values } = parseArgs({
        options: { stack: { type: "string", default: "prod" }, runs: { type: "string", default: "7" }, diagram: { type: "string" } },
    });
    const runs = Number(values.runs);
    const planArgs = ["-r", "./tools/ts-register.js", "tools/plan.ts", "--stack", values.stack!];
    if (values.diagram) planArgs.push("--diagram", path.join(os.tmpdir(), `bench-diagram.${values.diagram}`));
    time(planArgs); // warm the transform cache and the file system cache
    const floor: number[] = [];
    const plan: number[] = [];
    for (let i = 0; i < runs; i++) {
        floor.push(time(["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"]));
        plan.push(time(planArgs));
    }
    const f = median(floor);
    const p = median(plan);
    console.log(`floor (node + @pulumi/pulumi + @pulumi/aws): median ${f.toFixed(0)} ms of ${runs} [${show(floor)}]`);
    console.log(
        `npm run plan -- --stack ${values.stack}${values.diagram ? ` --diagram *.${values.diagram}` : ""}: median ${p.toFixed(0)} ms of ${runs} [${show(plan)}]`,
    );
    console.log(`ratio ${(p / f).toFixed(2)}× (aim: ≤ 2×)`);
}

main();
