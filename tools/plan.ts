import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { AnyStackConfig, ConfigError, parseAnyStackConfig } from "../components/config";
import { environmentWarning } from "../components/config/load";
import { DetailedCostReport, PRICED_REGIONS, checkBudget, estimateCost, formatCostTable, isPricedRegion, loadUsageFile } from "./cost";
import { usd } from "./cost/rules";
import { UsageError } from "./cost/usage";
import { CostReport, DeploymentResource, PlanDocument, toDeploymentResources } from "./deployment";
import {
    ChosenLevels,
    PackConfigError,
    PolicyFinding,
    Waiver,
    WaiverOutcome,
    applyWaivers,
    chooseLevels,
    describeLevels,
    formatViolations,
    mandatoryViolations,
    readWaiverFile,
    runPolicies,
    waiverFileOf,
    formatWaiverOutcome,
} from "./policy-runner";
import { reportArtifact, sameOutputProblem, writeReports } from "./reports";
import { PROJECT_NAME, ROOT_DIR, runProgram } from "./run-program";
import { StackFile, StackFileError, readStackFile, stackNames } from "./stack-files";
import { renderTree, renderTypeCounts } from "./tree";
import { PlanDocumentError, readPlanDocument, renderReport } from "./pr-report";

/**
 * The offline plan: runs index.ts under the mock cloud with a stack's config and
 * prints a summary (stack, resources, policy findings, monthly cost, what the exit
 * code means), then the detail: resource tree, counts by type, the policy report
 * and the cost table. `--quiet` prints the summary only.
 *
 *   npm run plan -- [--stack S] [--json FILE] [--diagram FILE.svg|FILE.mmd]
 *                   [--base PLAN.json --markdown FILE.md] [--policy-config FILE] [--quiet] [--debug]
 *
 * `--base PLAN.json --markdown FILE.md` compares the plan with an earlier plan document (a PR's
 * base) and writes the PR report (tools/pr-report/); the two flags go together. It leaves the exit code as it is.
 *
 * Exit codes (DESIGN.md interface 3): 0 no mandatory violation; 1 a mandatory
 * violation under the levels in force; 2 bad input (arguments, stack file, config,
 * usage file, pack config, an estimate over an enforced budget), with a message
 * naming it; 3 an internal error, one line (the stack trace with --debug).
 * Arguments are checked before the program runs.
 *
 * `--sarif FILE` and `--junit FILE` write the policy findings as SARIF 2.1.0 (for GitHub code
 * scanning) and JUnit XML (tools/reports/), whatever the exit code.
 */

const USAGE =
    "usage: npm run plan -- [--stack NAME] [--json FILE] [--diagram FILE.svg|FILE.mmd] [--base PLAN.json --markdown FILE.md] [--sarif FILE] [--junit FILE] [--policy-config FILE] [--quiet] [--debug]";

export const EXIT_OK = 0;
export const EXIT_MANDATORY_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;
/** @deprecated the same code as EXIT_BAD_INPUT. */
export const EXIT_BAD_CONFIG = EXIT_BAD_INPUT;
export const EXIT_INTERNAL = 3;

/** Extensions `--diagram` takes, and the format each one writes. */
export const DIAGRAM_EXTENSIONS: Readonly<Record<string, string>> = { ".svg": "SVG (Graphviz)", ".mmd": "Mermaid source" };

export interface PlanOptions {
    readonly stack: string;
    readonly json?: string;
    readonly diagram?: string;
    /** An earlier plan document (the PR's base) to compare with; needs `markdown`. */
    readonly base?: string;
    /** Where to write the PR report (Markdown) comparing the plan with `base`. */
    readonly markdown?: string;
    /** Pack config to judge the plan by; default: policy-pack/config/<stack>.json, else the strictest levels. */
    readonly policyConfig?: string;
    /** Where to write the policy findings as SARIF 2.1.0 (tools/reports/sarif.ts). */
    readonly sarif?: string;
    /** Where to write the policy findings as JUnit XML (tools/reports/junit.ts). */
    readonly junit?: string;
    /** Print the summary only. */
    readonly quiet?: boolean;
    readonly debug?: boolean;
    /** Folder with Pulumi.yaml and the stack files (default: the repository). */
    readonly root?: string;
    /** Date waivers are judged on (YYYY-MM-DD, default today in UTC). */
    readonly today?: string;
    /** For tests: the program to run instead of index.ts. */
    readonly program?: () => unknown;
}

/** Where the plan writes what it prints. */
export interface PlanIo {
    out(text: string): void;
    err(text: string): void;
}

const CONSOLE_IO: PlanIo = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** Bad arguments or output paths: exit 2 with one line. */
export class ArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ArgumentError";
    }
}

// ---------------------------------------------------------------------------
// Arguments, checked before anything runs
// ---------------------------------------------------------------------------

const STRING_OPTIONS = ["stack", "json", "diagram", "base", "markdown", "policy-config", "sarif", "junit"] as const;

/** Parses and checks the arguments; undefined for --help. Throws ArgumentError (one line) on anything wrong. */
export function parseOptions(argv: readonly string[]): PlanOptions | undefined {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string", short: "s" },
                json: { type: "string" },
                diagram: { type: "string" },
                base: { type: "string" },
                markdown: { type: "string" },
                "policy-config": { type: "string" },
                sarif: { type: "string" },
                junit: { type: "string" },
                quiet: { type: "boolean", short: "q" },
                debug: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (error) {
        const message = firstLine((error as Error).message);
        const missing = /^Option '(-\w|--[\w-]+)(?:[^']*)' argument (?:missing|is ambiguous)/.exec(message);
        const short = missing ? `${missing[1]} needs a value` : message.replace(/\.$/, "").replace(/\. To specify a positional argument.*$/, "");
        throw new ArgumentError(`${short}; ${USAGE}`);
    }
    if (values.help) return undefined;
    for (const name of STRING_OPTIONS) {
        const value = values[name];
        if (typeof value === "string" && (value.trim() === "" || value.startsWith("-"))) {
            throw new ArgumentError(`--${name} needs a value, not ${JSON.stringify(value)}; ${USAGE}`);
        }
    }
    const text = (name: (typeof STRING_OPTIONS)[number]) => values[name] as string | undefined;
    const options: PlanOptions = {
        stack: text("stack") ?? "dev",
        json: text("json"),
        diagram: text("diagram"),
        base: text("base"),
        markdown: text("markdown"),
        policyConfig: text("policy-config"),
        sarif: text("sarif"),
        junit: text("junit"),
        quiet: values.quiet === true,
        debug: values.debug === true,
    };
    checkOptions(options);
    return options;
}

/** The checks `parseOptions` makes, for options built in code. */
export function checkOptions(options: PlanOptions): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(options.stack)) {
        throw new ArgumentError(`--stack ${JSON.stringify(options.stack)}: a stack name is letters, digits, "-", "_" and "."`);
    }
    if (options.diagram !== undefined) {
        const extension = path.extname(options.diagram);
        if (!Object.prototype.hasOwnProperty.call(DIAGRAM_EXTENSIONS, extension)) {
            const allowed = Object.entries(DIAGRAM_EXTENSIONS)
                .map(([ext, what]) => `${ext} (${what})`)
                .join(" or ");
            throw new ArgumentError(
                `--diagram ${options.diagram}: ${extension ? `"${extension}" is not a diagram format` : "the file has no extension"}; use ${allowed}`,
            );
        }
        checkOutputPath("--diagram", options.diagram);
    }
    if (options.json !== undefined) checkOutputPath("--json", options.json);
    checkReportOptions(options);
    if (options.json !== undefined && options.diagram !== undefined && path.resolve(options.json) === path.resolve(options.diagram)) {
        throw new ArgumentError(`--json and --diagram both name ${options.json}; give each its own file`);
    }
    if (options.sarif !== undefined) checkOutputPath("--sarif", options.sarif);
    if (options.junit !== undefined) checkOutputPath("--junit", options.junit);
    const outputs = { "--json": options.json, "--diagram": options.diagram, "--markdown": options.markdown, "--base": options.base };
    const sameFile = sameOutputProblem({ ...outputs, "--sarif": options.sarif, "--junit": options.junit });
    if (sameFile && (options.sarif !== undefined || options.junit !== undefined)) throw new ArgumentError(sameFile);
    if (options.policyConfig !== undefined) {
        const stat = fs.statSync(options.policyConfig, { throwIfNoEntry: false });
        if (!stat) throw new ArgumentError(`--policy-config ${options.policyConfig}: no such file; the pack configs are in policy-pack/config/`);
        if (!stat.isFile()) throw new ArgumentError(`--policy-config ${options.policyConfig} is not a file; expected a pack config JSON file`);
    }
}

/** `--base` and `--markdown` go together; the report gets a file of its own. The base is read (and checked) by `readBase`. */
function checkReportOptions(options: PlanOptions): void {
    if (options.base !== undefined && options.markdown === undefined) {
        throw new ArgumentError(`--base ${options.base} needs --markdown FILE.md, the report to write; ${USAGE}`);
    }
    if (options.markdown !== undefined && options.base === undefined) {
        throw new ArgumentError(`--markdown ${options.markdown} needs --base PLAN.json, the earlier plan document to compare with; ${USAGE}`);
    }
    if (options.markdown === undefined || options.base === undefined) return;
    checkOutputPath("--markdown", options.markdown);
    const others: [string, string | undefined][] = [
        ["--base", options.base],
        ["--json", options.json],
        ["--diagram", options.diagram],
    ];
    for (const [flag, file] of others) {
        if (file !== undefined && path.resolve(file) === path.resolve(options.markdown)) {
            throw new ArgumentError(`--markdown and ${flag} both name ${options.markdown}; give each its own file`);
        }
    }
}

/** The base plan document of `--base`; a file that is not one is bad input (exit 2), named. */
function readBase(file: string) {
    try {
        return readPlanDocument(file);
    } catch (error) {
        if (error instanceof PlanDocumentError) throw new ArgumentError(`--base ${error.message}`);
        throw error;
    }
}

/** An output path must name a file (not a folder) in a folder that exists, and be writable. */
export function checkOutputPath(flag: string, file: string): void {
    if (/[\\/]$/.test(file)) throw new ArgumentError(`${flag} ${file} names a folder; expected a file path`);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new ArgumentError(`${flag} ${file} is a directory; expected a file path`);
    const folder = path.dirname(path.resolve(file));
    const parent = fs.statSync(folder, { throwIfNoEntry: false });
    if (!parent) throw new ArgumentError(`${flag} ${file}: the folder ${folder} does not exist (create it first)`);
    if (!parent.isDirectory()) throw new ArgumentError(`${flag} ${file}: ${folder} is not a folder`);
    try {
        fs.accessSync(stat ? file : folder, fs.constants.W_OK);
    } catch {
        throw new ArgumentError(`${flag} ${file}: ${stat ? "the file" : `the folder ${folder}`} is not writable`);
    }
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

/** The cost section of a plan document when the region has no price table. */
export interface UnpricedCost extends CostReport {
    readonly region: string;
    readonly priced: false;
    readonly message: string;
}

export interface PlanResult {
    readonly exitCode: number;
    readonly document: PlanDocument;
    readonly levels: ChosenLevels;
    readonly warnings: readonly string[];
    /** The detailed estimate, or undefined when the region is not priced. */
    readonly cost?: DetailedCostReport;
    readonly summary: string;
    readonly detail: string;
    /** One closing line: counts, cost, exit code and times (what a CI log's last line shows). */
    readonly recap: string;
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(2)} s`;
}

function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

function firstLine(text: string): string {
    return text.split("\n")[0];
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Waivers of this project's stack: `policy-pack/waivers/<stack>.json` when it exists. */
function stackWaivers(stack: string): { waivers: Waiver[]; file?: string } {
    const file = waiverFileOf(stack);
    return file ? { waivers: readWaiverFile(file), file } : { waivers: [] };
}

/** Other stack files whose environment is the same as this one's (their physical names would collide). */
function sameEnvironment(file: StackFile, environment: string, root: string): string[] {
    return stackNames(root).filter((other) => {
        if (other === file.stack) return false;
        try {
            return readStackFile(other, root).config["data-platform:environment"] === environment;
        } catch {
            return false;
        }
    });
}

/** Everything the plan reads before the program runs, checked; throws the errors that exit 2. */
function prepare(options: PlanOptions) {
    const root = options.root ?? ROOT_DIR;
    const file = readStackFile(options.stack, root);
    const config: AnyStackConfig = parseAnyStackConfig(file.config, path.basename(file.file));
    const levels = chooseLevels({ project: PROJECT_NAME, stack: options.stack }, options.policyConfig);
    const waivers = stackWaivers(options.stack);
    const usage = loadUsageFile(options.stack);
    const warnings: string[] = [];
    const envWarning = environmentWarning(config.environment, options.stack);
    if (envWarning) {
        // A seed system's stack keeps the seed's environment name (ecommerce: ecap-dev); only a real collision
        // with another stack file of this project is worth a warning here (`pulumi up` warns in general).
        const others = sameEnvironment(file, config.environment, root);
        // The shipped stacks' names count too: a copy of Pulumi.dev.yaml elsewhere still collides with dev.
        const names = new Set([...stackNames(root), ...stackNames(ROOT_DIR)]);
        const namesAnotherStack = names.has(config.environment) && config.environment !== file.stack;
        if (others.length > 0) warnings.push(`${envWarning} (stack ${others.join(", ")} has environment "${config.environment}" too)`);
        else if (namesAnotherStack) warnings.push(`${envWarning} (a stack named "${config.environment}" exists)`);
    }
    if (levels.source === "strictest") {
        warnings.push(
            `no policy-pack/config/${options.stack}.json: the pack judges this stack by the strictest levels (every policy mandatory); copy policy-pack/config/dev.json to it to choose levels`,
        );
    }
    if (!usage.file) {
        warnings.push(
            `no usage/${options.stack}.yaml: the cost uses the default usage assumptions (tools/cost/usage.ts); copy usage/dev.yaml to it to set GB stored, runs and traffic`,
        );
    }
    return { root, file, config, levels, waivers, usage, warnings };
}

/**
 * Runs `work` with unhandled rejections held back. When the program throws, the Pulumi
 * runtime rejects the stack's output promises too, and nothing awaits them: without this
 * they would surface after the error was reported, as a second error with a stack trace.
 * Rejections held while `work` fails are echoes of its error and are dropped; one held
 * while it succeeds is an internal error of its own and is thrown.
 */
async function withoutEscapedRejections<T>(work: () => Promise<T>): Promise<T> {
    const others = process.listeners("unhandledRejection");
    const held: unknown[] = [];
    const hold = (reason: unknown) => void held.push(reason);
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", hold);
    const restore = async () => {
        // Rejections are reported at the end of a turn: wait one out before restoring the listeners.
        await new Promise((resolve) => setTimeout(resolve, 0));
        process.off("unhandledRejection", hold);
        for (const listener of others) process.on("unhandledRejection", listener);
    };
    let result: T;
    try {
        result = await work();
    } catch (error) {
        await restore();
        throw error;
    }
    await restore();
    if (held.length > 0) throw held[0] instanceof Error ? held[0] : new Error(String(held[0]));
    return result;
}

/** Builds the plan: checks, runs the program, judges and prices it, writes the files asked for; prints nothing. */
export async function buildPlan(options: PlanOptions): Promise<PlanResult> {
    checkOptions(options);
    // Validate everything before the program runs, so bad input never reaches the engine.
    const { file, config, levels, waivers, usage, warnings } = prepare(options);
    const base = options.base !== undefined ? readBase(options.base) : undefined;
    const programStarted = performance.now();
    const run = await withoutEscapedRejections(() =>
        runProgram({ stack: options.stack, config: file.config, secretKeys: file.secretKeys, program: options.program }),
    );
    const programMs = performance.now() - programStarted;
    const deployment = toDeploymentResources(run);

    const findings = runPolicies(deployment, levels.config, run.stack);
    const outcome = applyWaivers(findings, waivers.waivers, options.today ?? todayUtc());
    if (outcome.expired.length + outcome.unused.length > 0) {
        warnings.push(
            `${plural(outcome.expired.length + outcome.unused.length, "waiver")} in ${waivers.file} to review (expired or matching nothing): see the policy report`,
        );
    }

    const region = run.region;
    const cost = isPricedRegion(region) ? estimateCost(deployment, run.stack, { region, usage: usage.usage, usageSource: usage.source }) : undefined;
    const costSection: CostReport =
        cost ??
        ({
            currency: "USD",
            monthlyTotal: 0,
            items: [],
            region,
            priced: false,
            message: `cost: not priced for ${region}`,
        } satisfies UnpricedCost);
    const budget = cost
        ? checkBudget(cost, config.budget)
        : { over: false, message: config.budget.monthlyUsd !== undefined ? `data-platform:budget not checked: no prices for ${region}` : undefined };

    let diagram: string | undefined;
    if (options.diagram) {
        // Loaded only when asked: the SVG renderer pulls in a WebAssembly Graphviz.
        const { diagramFormatOf, renderDiagram } = await import("./diagram");
        diagram = await renderDiagram(deployment, diagramFormatOf(options.diagram));
    }

    const document: PlanDocument & Record<string, unknown> = {
        stack: run.stack,
        project: run.project,
        deployment: { resources: deployment },
        violations: outcome.violations,
        cost: costSection,
        levels: { source: levels.source, ...(levels.file ? { file: levels.file } : {}), reason: levels.reason },
        ...(outcome.waived.length > 0 ? { waived: outcome.waived } : {}),
        warnings,
    };
    const written: string[] = [];
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(document, null, 2) + "\n");
        written.push(options.json);
    }
    if (options.diagram && diagram !== undefined) {
        fs.writeFileSync(options.diagram, diagram);
        written.push(options.diagram);
    }
    // SARIF and JUnit: the policy findings, written whatever the exit code (tools/reports/).
    const reportInput = { tool: "plan" as const, project: run.project, stack: run.stack, artifact: reportArtifact(file.file, file.file) };
    const reportFindings = { config: levels.config, levels: planLevels(levels), violations: outcome.violations, waived: outcome.waived };
    written.push(...writeReports({ ...reportInput, ...reportFindings, resources: deployment }, { sarif: options.sarif, junit: options.junit }));
    if (options.markdown && base) {
        // Compared as the JSON documents they are on disk, so the report is the one the two --json files give.
        fs.writeFileSync(options.markdown, renderReport(base, JSON.parse(JSON.stringify(document))));
        written.push(options.markdown);
    }

    const mandatory = mandatoryViolations(outcome.violations.filter((violation) => !violation.cannotTell)).length;
    const exitCode = budget.over && config.budget.enforce ? EXIT_BAD_INPUT : mandatory > 0 ? EXIT_MANDATORY_VIOLATION : EXIT_OK;

    const summary = renderSummary({
        stack: run.stack,
        region,
        stackFile: path.basename(file.file),
        resources: deployment,
        outcome,
        levels,
        cost,
        budgetMessage: budget.message,
        warnings,
        written,
        exitCode,
        mandatory,
        timing: `program ${seconds(programMs)}, wall time ${seconds(performance.now())}`,
    });
    const detail = renderDetail(deployment, outcome, levels, waivers.file, cost, region);
    const custom = deployment.filter((resource) => resource.custom).length;
    const recap =
        `Plan ${run.stack}: ${custom} resources in ${deployment.length - custom} components, ` +
        `${outcome.violations.length} policy findings (${mandatory} mandatory); ` +
        `${cost ? `est. ${usd(cost.monthlyTotal)}/month` : `cost not priced for ${region}`}; exit ${exitCode}; ` +
        `program ${seconds(programMs)}, wall time ${seconds(performance.now())}`;
    return { exitCode, document, levels, warnings, cost, summary, detail, recap };
}

/** The plan as the CLI prints it: the summary, then (unless quiet) the detail and a closing line. Returns the exit code. */
export async function plan(options: PlanOptions, io: PlanIo = CONSOLE_IO): Promise<number> {
    const result = await buildPlan(options);
    io.out(result.summary);
    if (!options.quiet) io.out(`\n${result.detail}\n\n${result.recap}`);
    return result.exitCode;
}

interface SummaryInput {
    readonly stack: string;
    readonly region: string;
    readonly stackFile: string;
    readonly resources: readonly DeploymentResource[];
    readonly outcome: WaiverOutcome;
    readonly levels: ChosenLevels;
    readonly cost?: DetailedCostReport;
    readonly budgetMessage?: string;
    readonly warnings: readonly string[];
    readonly written: readonly string[];
    readonly exitCode: number;
    readonly mandatory: number;
    readonly timing: string;
}

/** Which levels judge the plan, in words. */
export function planLevels(levels: ChosenLevels): string {
    if (levels.source === "stack") return `levels from ${levels.file}, the stack's own`;
    if (levels.source === "file") return `levels from ${levels.file} (--policy-config)`;
    return describeLevels(levels);
}

/** What exit code `code` means for this plan, in words. */
function exitMeaning(code: number, mandatory: number, levels: ChosenLevels): string {
    if (code === EXIT_OK) return "0: no mandatory policy violation";
    if (code === EXIT_MANDATORY_VIOLATION) {
        const which = levels.source === "strictest" ? "the strictest levels" : `the levels of ${levels.file}`;
        return `1: ${plural(mandatory, "mandatory policy violation")} under ${which}`;
    }
    return "2: the estimate is over data-platform:budget.monthlyUsd and data-platform:budget.enforce is true";
}

function renderSummary(input: SummaryInput): string {
    const { outcome, cost } = input;
    const custom = input.resources.filter((resource) => resource.custom).length;
    const undecided = outcome.violations.filter((violation: PolicyFinding) => violation.cannotTell).length;
    const advisory = outcome.violations.length - input.mandatory - undecided;
    const policy = [
        `${input.mandatory} mandatory`,
        `${advisory} advisory`,
        ...(undecided > 0 ? [`${undecided} cannot tell`] : []),
        ...(outcome.waived.length > 0 ? [`${outcome.waived.length} waived`] : []),
    ].join(", ");
    const costLine = cost
        ? `${usd(cost.monthlyTotal)}/month, on-demand list prices for ${input.region}${cost.unpriced.length > 0 ? `; ${plural(cost.unpriced.length, "price")} missing for ${input.region}, so the total leaves those resources out (NOT PRICED in the cost table)` : ""}`
        : `not priced for ${input.region} (price tables: ${PRICED_REGIONS.join(", ")}); the tree and the policy report are complete`;
    const lines = [
        `Offline plan of stack "${input.stack}" (${input.region}), from ${input.stackFile}`,
        `  resources: ${custom} in ${input.resources.length - custom} components (ids, ARNs and IP addresses are mock-cloud placeholders)`,
        `  policy: ${policy}; ${planLevels(input.levels)}`,
        `  cost: ${costLine}`,
        ...(cost && input.stack === "dev" ? [`  reference: ${cost.referenceEstimate.summary}`] : []),
        ...(input.budgetMessage ? [`  budget: ${input.budgetMessage}`] : []),
        ...input.warnings.map((warning) => `  warning: ${warning}`),
        ...(input.written.length > 0 ? [`  wrote: ${input.written.join(", ")}`] : []),
        `  exit: ${exitMeaning(input.exitCode, input.mandatory, input.levels)}`,
        `  time: ${input.timing}`,
    ];
    return lines.join("\n");
}

function renderDetail(
    resources: readonly DeploymentResource[],
    outcome: WaiverOutcome,
    levels: ChosenLevels,
    waiverFile: string | undefined,
    cost: DetailedCostReport | undefined,
    region: string,
): string {
    return [
        "Resource tree:",
        renderTree(resources),
        "",
        "Resources by type:",
        renderTypeCounts(resources),
        "",
        `Policy pack: ${planLevels(levels)}`,
        formatViolations(outcome.violations),
        ...formatWaiverOutcome(outcome, waiverFile),
        "",
        cost ? formatCostTable(cost) : `cost: not priced for ${region}: tools/cost/prices.ts has price tables for ${PRICED_REGIONS.join(", ")}`,
    ].join("\n");
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

/** Errors that mean bad input (exit 2), as opposed to a fault of the tools (exit 3). */
function isInputError(error: unknown): error is Error {
    return (
        error instanceof ArgumentError ||
        error instanceof ConfigError ||
        error instanceof StackFileError ||
        error instanceof UsageError ||
        error instanceof PackConfigError
    );
}

const FILE_ERROR_CODES = ["EACCES", "EISDIR", "ENOENT", "ENOTDIR", "EROFS", "ENOSPC", "EPERM"];

/** Runs the CLI with `argv`; returns the exit code. Never throws, never prints a stack trace unless --debug. */
export async function main(argv: readonly string[], io: PlanIo = CONSOLE_IO, overrides: Partial<PlanOptions> = {}): Promise<number> {
    const debug = argv.includes("--debug");
    try {
        const options = parseOptions(argv);
        if (!options) {
            io.out(USAGE);
            return EXIT_OK;
        }
        return await plan({ ...options, ...overrides }, io);
    } catch (error) {
        if (isInputError(error)) {
            io.err(`plan: ${error.message}`);
            return EXIT_BAD_INPUT;
        }
        const code = (error as NodeJS.ErrnoException)?.code;
        if (typeof code === "string" && FILE_ERROR_CODES.includes(code)) {
            io.err(`plan: cannot write an output file: ${firstLine((error as Error).message)}`);
            return EXIT_BAD_INPUT;
        }
        return internalError(error, debug, io);
    }
}

function internalError(error: unknown, debug: boolean, io: PlanIo): number {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`plan: internal error: ${firstLine(message)}${debug ? "" : " (run with --debug for the trace)"}`);
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
    return EXIT_INTERNAL;
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    const debug = argv.includes("--debug");
    let done = false;
    // Anything that escapes (a rejection the runtime leaves behind) is an internal error too: one line, exit 3;
    // after the plan has reported, only the exit code is kept.
    const escape = (error: unknown) => {
        if (!done) process.exitCode = internalError(error, debug, CONSOLE_IO);
        done = true;
        process.exit();
    };
    process.on("uncaughtException", escape);
    process.on("unhandledRejection", escape);
    main(argv).then((code) => {
        done = true;
        process.exitCode = code;
    }, escape);
}
