import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
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
    isIsoDate,
    mandatoryViolations,
    ownStackOf,
    readWaiverFile,
    runPolicies,
    waiverFileOf,
    formatWaiverOutcome,
} from "./policy-runner";
import { outputPathProblem, reportArtifact, sameOutputProblem, stackFilePath, writeReports } from "./reports";
import { LoadedState, StateFileError, loadStateFile } from "./state/load";

/**
 * `npm run policy -- --state FILE [--config F] [--waivers F] [--json OUT] [--sarif F] [--junit F] [--today YYYY-MM-DD] [--debug]`
 *
 * Runs the policy pack offline over a `pulumi stack export` file, a state
 * checkpoint or a plan document (`npm run plan -- --json`). Prints which levels
 * and waivers judged it and why, the findings by level, and writes the JSON
 * report to OUT whenever there is a verdict (and, with `--sarif F` / `--junit F`, the findings as
 * SARIF 2.1.0 and JUnit XML: tools/reports/).
 *
 * Exit codes (DESIGN.md interface 3): 0 no mandatory violation; 1 a mandatory
 * violation; 2 bad input (arguments, state file, pack config, waiver file),
 * naming the file and what was expected; 3 an internal error, one line (the
 * stack trace with --debug).
 */

const USAGE =
    "usage: npm run policy -- --state FILE [--config policy-pack/config/<stack>.json] [--waivers FILE] [--json OUT] [--sarif FILE] [--junit FILE] [--today YYYY-MM-DD] [--debug]";

export const EXIT_PASS = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

class UsageError extends Error {}

interface Options {
    readonly state: string;
    readonly config?: string;
    readonly waivers?: string;
    readonly json?: string;
    readonly sarif?: string;
    readonly junit?: string;
    readonly today: string;
    readonly debug: boolean;
    readonly help: boolean;
}

/** Today in UTC, YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

function parseOptions(argv: readonly string[]): Options {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                state: { type: "string" },
                config: { type: "string" },
                waivers: { type: "string" },
                json: { type: "string" },
                sarif: { type: "string" },
                junit: { type: "string" },
                today: { type: "string" },
                debug: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    const text = (name: string) => {
        const value = values[name];
        if (typeof value === "string" && (value === "" || value.startsWith("--"))) throw new UsageError(`--${name} needs a value\n${USAGE}`);
        return typeof value === "string" ? value : undefined;
    };
    const options = {
        state: text("state") ?? "",
        config: text("config"),
        waivers: text("waivers"),
        json: text("json"),
        sarif: text("sarif"),
        junit: text("junit"),
        today: text("today") ?? todayUtc(),
        debug: values.debug === true,
        help: values.help === true,
    };
    if (options.help) return options;
    if (!options.state) throw new UsageError(`--state FILE is required\n${USAGE}`);
    if (!isIsoDate(options.today)) throw new UsageError(`--today is ${JSON.stringify(options.today)}; expected a date YYYY-MM-DD`);
    if (options.json) checkOutputPath("--json", options.json);
    const reports = { "--sarif": options.sarif, "--junit": options.junit };
    for (const [flag, file] of Object.entries(reports)) {
        const problem = file !== undefined ? outputPathProblem(flag, file) : undefined;
        if (problem) throw new UsageError(problem);
    }
    const sameFile = sameOutputProblem({ "--state": options.state, "--json": options.json, "--sarif": options.sarif, "--junit": options.junit });
    if (sameFile && (options.sarif !== undefined || options.junit !== undefined)) throw new UsageError(sameFile);
    return options;
}

/** An output path must be a file whose folder exists (checked before any work). */
function checkOutputPath(flag: string, file: string): void {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new UsageError(`${flag} ${file} is a directory; expected a file path`);
    const folder = path.dirname(path.resolve(file));
    const parent = fs.statSync(folder, { throwIfNoEntry: false });
    if (!parent?.isDirectory()) throw new UsageError(`${flag} ${file}: the folder ${folder} does not exist`);
}

interface ChosenWaivers {
    readonly waivers: Waiver[];
    readonly file?: string;
    readonly reason: string;
}

/** `--waivers F`; else `policy-pack/waivers/<stack>.json` of this project's stack; else none. */
function chooseWaivers(state: LoadedState, levels: ChosenLevels, file?: string): ChosenWaivers {
    if (file) return { waivers: readWaiverFile(file), file, reason: "given with --waivers" };
    const stack = levels.ownStack;
    if (!stack) return { waivers: [], reason: ownStackOf(state).why };
    const own = waiverFileOf(stack);
    if (!own) return { waivers: [], reason: `stack "${stack}" has no policy-pack/waivers/${stack}.json` };
    return { waivers: readWaiverFile(own), file: own, reason: `the waivers of stack "${stack}"` };
}

export interface PolicyReport {
    readonly verdict: "pass" | "fail";
    readonly exitCode: 0 | 1;
    readonly state: {
        readonly file: string;
        readonly format: string;
        readonly project?: string;
        readonly stack?: string;
        readonly resources: number;
        readonly skipped: LoadedState["skipped"];
        readonly judged: "outputs merged under inputs" | "inputs";
    };
    readonly levels: { readonly source: ChosenLevels["source"]; readonly file?: string; readonly reason: string };
    readonly summary: {
        readonly mandatory: number;
        readonly advisory: number;
        readonly cannotTell: number;
        readonly hiddenSecrets: number;
        readonly waived: number;
    };
    /** Findings not waived, mandatory first; "cannot tell" entries carry `cannotTell`. */
    readonly violations: readonly PolicyFinding[];
    readonly waived: WaiverOutcome["waived"];
    readonly waivers: {
        readonly file?: string;
        readonly reason: string;
        readonly asOf: string;
        readonly count: number;
        readonly expired: WaiverOutcome["expired"];
        readonly unused: WaiverOutcome["unused"];
    };
}

export function buildReport(state: LoadedState, levels: ChosenLevels, chosen: ChosenWaivers, outcome: WaiverOutcome, today: string): PolicyReport {
    const mandatory = mandatoryViolations(outcome.violations).length;
    const undecided = outcome.violations.filter((violation) => violation.cannotTell);
    return {
        verdict: mandatory > 0 ? "fail" : "pass",
        exitCode: mandatory > 0 ? EXIT_MANDATORY : EXIT_PASS,
        state: {
            file: state.file,
            format: state.format,
            ...(state.project ? { project: state.project } : {}),
            ...(state.stack ? { stack: state.stack } : {}),
            resources: state.resources.length,
            skipped: state.skipped,
            judged: state.propsFrom === "state" ? "outputs merged under inputs" : "inputs",
        },
        levels: { source: levels.source, ...(levels.file ? { file: levels.file } : {}), reason: levels.reason },
        summary: {
            mandatory,
            advisory: outcome.violations.length - mandatory - undecided.length,
            cannotTell: undecided.length,
            hiddenSecrets: undecided.filter((violation) => violation.cannotTell === "secret").length,
            waived: outcome.waived.length,
        },
        violations: outcome.violations,
        waived: outcome.waived,
        waivers: {
            ...(chosen.file ? { file: chosen.file } : {}),
            reason: chosen.reason,
            asOf: today,
            count: chosen.waivers.length,
            expired: outcome.expired,
            unused: outcome.unused,
        },
    };
}

/** The text report: what was judged and by which levels, findings by level, waived findings, waivers needing attention, verdict. */
export function formatReport(report: PolicyReport, outcome: WaiverOutcome, levels: ChosenLevels): string {
    const { state } = report;
    const lines: string[] = [];
    const where = [state.project && `project ${state.project}`, state.stack && `stack ${state.stack}`].filter(Boolean).join(", ");
    lines.push(`policy pack over ${state.resources} resources of ${state.format} ${state.file}${where ? ` (${where})` : ""}`);
    lines.push(describeLevels(levels));
    if (state.judged === "outputs merged under inputs")
        lines.push("resource policies judge outputs merged under inputs (the values the state records)");
    lines.push(
        report.waivers.file
            ? `waivers: ${report.waivers.count} from ${report.waivers.file} (${report.waivers.reason}), as of ${report.waivers.asOf}`
            : `waivers: none (${report.waivers.reason})`,
    );
    if (state.skipped.length > 0) {
        lines.push(`skipped ${state.skipped.length} resource(s):`);
        for (const skipped of state.skipped) lines.push(`  ${skipped.urn}: ${skipped.reason}`);
    }
    lines.push(formatViolations(outcome.violations, { summarise: levels.ownStack ? [] : ["required-tags"] }));
    lines.push(...formatWaiverOutcome(outcome));
    return lines.join("\n");
}

export function main(argv: readonly string[]): number {
    let debug = argv.includes("--debug");
    try {
        const options = parseOptions(argv);
        debug = options.debug;
        if (options.help) {
            console.log(USAGE);
            return EXIT_PASS;
        }
        const state = loadStateFile(options.state);
        const levels = chooseLevels(state, options.config);
        const chosen = chooseWaivers(state, levels, options.waivers);
        const findings = runPolicies(state.resources, levels.config, state.stack ?? "unknown", { propsFrom: state.propsFrom });
        const outcome = applyWaivers(findings, chosen.waivers, options.today);
        const report = buildReport(state, levels, chosen, outcome, options.today);

        console.log(formatReport(report, outcome, levels));
        if (options.json) {
            fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
            console.log(`wrote ${options.json}`);
        }
        const artifact = reportArtifact(levels.ownStack ? stackFilePath(levels.ownStack) : undefined, state.file);
        const reportInput = { tool: "policy" as const, project: state.project, stack: state.stack, artifact, config: levels.config };
        const reportFindings = { levels: describeLevels(levels), resources: state.resources, violations: outcome.violations, waived: outcome.waived };
        const reports = writeReports({ ...reportInput, ...reportFindings }, { sarif: options.sarif, junit: options.junit });
        for (const file of reports) console.log(`wrote ${file}`);
        console.log(report.verdict === "fail" ? `FAIL: ${report.summary.mandatory} mandatory violation(s)` : "PASS: no mandatory violations");
        return report.exitCode;
    } catch (error) {
        if (error instanceof UsageError || error instanceof StateFileError || error instanceof PackConfigError) {
            console.error(`policy: ${error.message}`);
            return EXIT_BAD_INPUT;
        }
        const code = (error as NodeJS.ErrnoException)?.code;
        if (typeof code === "string" && ["EACCES", "EISDIR", "ENOENT", "ENOTDIR", "EROFS", "ENOSPC"].includes(code)) {
            console.error(`policy: cannot write the report: ${(error as Error).message}`);
            return EXIT_BAD_INPUT;
        }
        const message = error instanceof Error ? error.message : String(error);
        console.error(`policy: internal error: ${message.split("\n")[0]}${debug ? "" : " (run again with --debug for the stack trace)"}`);
        if (debug && error instanceof Error && error.stack) console.error(error.stack);
        return EXIT_INTERNAL;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
