import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError, parseStackConfig } from "../components/config";
import { checkBudget, estimateCost, formatCostTable } from "./cost";
import { UsageError } from "./cost/usage";
import { PlanDocument, toDeploymentResources } from "./deployment";
import { PackConfigError, formatViolations, loadPackConfig, mandatoryViolations, readPackConfigFile, runPolicies } from "./policy-runner";
import { runProgram } from "./run-program";
import { StackFileError, readStackFile } from "./stack-files";
import { renderTree, renderTypeCounts } from "./tree";

/**
 * The offline plan: runs index.ts under the mock cloud with a stack's config
 * and prints the resource tree. Exit 0 when fine, 1 when a mandatory policy
 * fires, 2 on bad config.
 *
 *   npm run plan [-- --stack <name>] [--json FILE] [--diagram FILE.mmd|FILE.svg]
 */

const USAGE = "usage: npm run plan -- [--stack dev|staging|prod] [--json FILE] [--diagram FILE.mmd|FILE.svg] [--policy-config FILE]";

export const EXIT_OK = 0;
export const EXIT_MANDATORY_VIOLATION = 1;
export const EXIT_BAD_CONFIG = 2;

interface PlanOptions {
    readonly stack: string;
    readonly json?: string;
    readonly diagram?: string;
    /** Pack config to judge the plan by; defaults to policy-pack/config/<stack>.json. */
    readonly policyConfig?: string;
}

class ArgumentError extends Error {}

function parseOptions(argv: string[]): PlanOptions {
    try {
        const { values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", short: "s", default: "dev" },
                json: { type: "string" },
                diagram: { type: "string" },
                "policy-config": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        });
        if (values.help) {
            console.log(USAGE);
            process.exit(EXIT_OK);
        }
        return { stack: values.stack!, json: values.json, diagram: values.diagram, policyConfig: values["policy-config"] };
    } catch (error) {
        throw new ArgumentError(`${(error as Error).message}\n${USAGE}`);
    }
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(2)} s`;
}

function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

export async function plan(options: PlanOptions): Promise<number> {
    const started = performance.now();
    const file = readStackFile(options.stack);
    // Validate before the program runs, so bad config never reaches the engine.
    const config = parseStackConfig(file.config, path.basename(file.file));
    const run = await runProgram({ stack: options.stack, config: file.config, secretKeys: file.secretKeys });
    const programMs = performance.now() - started;
    const resources = toDeploymentResources(run);

    const packConfigSource = options.policyConfig ?? `policy-pack/config/${run.stack}.json`;
    const packConfig = options.policyConfig ? readPackConfigFile(options.policyConfig) : loadPackConfig(run.stack);
    const violations = runPolicies(resources, packConfig, run.stack);
    const cost = estimateCost(resources, run.stack);
    const budget = checkBudget(cost, config.budget);
    const document: PlanDocument = { stack: run.stack, project: run.project, deployment: { resources }, violations, cost };

    console.log(`Offline plan of stack "${run.stack}" (${run.region}), from ${path.basename(file.file)}`);
    console.log("Ids, ARNs and IP addresses are placeholders from the mock cloud; everything else is what `pulumi up` would send.\n");
    console.log(renderTree(resources));
    console.log("\nResources by type:");
    console.log(renderTypeCounts(resources));
    console.log("");
    console.log(`Policy pack, levels from ${packConfigSource}:`);
    console.log(formatViolations(violations));
    console.log("");
    console.log(formatCostTable(cost));
    if (budget.message) console.log(budget.message);

    if (options.json) {
        writeFile(options.json, JSON.stringify(document, null, 2) + "\n");
        console.log(`\nWrote ${options.json}`);
    }
    if (options.diagram) {
        // Loaded only when asked: the SVG renderer pulls in a WebAssembly Graphviz.
        const { diagramFormatOf, renderDiagram } = await import("./diagram");
        writeFile(options.diagram, await renderDiagram(resources, diagramFormatOf(options.diagram)));
        console.log(`Wrote ${options.diagram}`);
    }

    const custom = resources.filter((r) => r.custom).length;
    const mandatory = mandatoryViolations(violations).length;
    const totalMs = performance.timeOrigin ? Date.now() - performance.timeOrigin : performance.now() - started;
    console.log(
        `\nPlan ${run.stack}: ${custom} resources in ${resources.length - custom} components, ` +
        `${violations.length} policy violations (${mandatory} mandatory); ` +
        `est. $${cost.monthlyTotal.toFixed(2)}/month; ` +
        `program ${seconds(programMs)}, wall time ${seconds(totalMs)}`,
    );
    if (budget.over && config.budget.enforce) return EXIT_BAD_CONFIG;
    return mandatory > 0 ? EXIT_MANDATORY_VIOLATION : EXIT_OK;
}

async function main(): Promise<void> {
    try {
        const options = parseOptions(process.argv.slice(2));
        process.exitCode = await plan(options);
    } catch (error) {
        if (error instanceof ConfigError || error instanceof StackFileError || error instanceof UsageError || error instanceof PackConfigError || error instanceof ArgumentError) {
            console.error(error.message);
            process.exitCode = EXIT_BAD_CONFIG;
            return;
        }
        throw error;
    }
}

if (require.main === module) {
    main().catch((error) => {
        console.error(error);
        process.exit(3);
    });
}
