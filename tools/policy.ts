import * as fs from "fs";
import * as path from "path";
import { DeploymentResource } from "./deployment";
import { PACK_CONFIG_DIR, PackConfig, PackConfigError, formatViolations, mandatoryViolations, readPackConfigFile, runPolicies } from "./policy-runner";

/**
 * `npm run policy -- --state FILE [--config policy-pack/config/<stack>.json] [--json OUT]`
 *
 * Runs the policy pack offline over the resources of a `pulumi stack export`
 * file (`{version, deployment: {resources}}`) or a plan JSON (`npm run plan --
 * --json`, `{stack, deployment: {resources}}`). Prints violations by level,
 * writes `{ "violations": [...] }` to OUT, exits 1 when a mandatory policy
 * fires and 2 on a file it cannot use.
 */

const USAGE = "usage: npm run policy -- --state FILE [--config policy-pack/config/<stack>.json] [--json OUT]";

class UsageError extends Error {}

interface Options {
    readonly state: string;
    readonly config?: string;
    readonly json?: string;
}

function parseArgs(argv: readonly string[]): Options {
    const options: Record<string, string> = {};
    for (let index = 0; index < argv.length; index++) {
        const flag = argv[index];
        if (flag === "--help" || flag === "-h") throw new UsageError(USAGE);
        if (!["--state", "--config", "--json"].includes(flag)) throw new UsageError(`unknown argument ${flag}\n${USAGE}`);
        const value = argv[++index];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
        options[flag.slice(2)] = value;
    }
    if (!options.state) throw new UsageError(`--state FILE is required\n${USAGE}`);
    return { state: options.state, config: options.config, json: options.json };
}

export interface LoadedState {
    readonly kind: "stack export" | "plan";
    readonly stack?: string;
    readonly resources: DeploymentResource[];
}

const NOT_AN_EXPORT = "is not a `pulumi stack export` file or a plan JSON: expected {\"version\": 3, \"deployment\": {\"resources\": [...]}} (from `pulumi stack export --file FILE`) or the output of `npm run plan -- --json FILE`";

/** Reads and checks a stack export or plan JSON; throws UsageError with a clear message otherwise. */
export function loadState(file: string): LoadedState {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`cannot read ${file}`);
    }
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (error) {
        throw new UsageError(`${file} ${NOT_AN_EXPORT} (it is not JSON: ${(error as Error).message})`);
    }
    const root = document as { version?: unknown; stack?: unknown; deployment?: { resources?: unknown } } | null;
    const resources = root && typeof root === "object" ? root.deployment?.resources : undefined;
    if (!Array.isArray(resources)) throw new UsageError(`${file} ${NOT_AN_EXPORT} (no deployment.resources list)`);
    const bad = resources.findIndex((resource) => !resource || typeof resource.urn !== "string" || typeof resource.type !== "string");
    if (bad >= 0) throw new UsageError(`${file} ${NOT_AN_EXPORT} (deployment.resources[${bad}] has no urn and type)`);
    return {
        kind: typeof root?.version === "number" ? "stack export" : "plan",
        stack: typeof root?.stack === "string" ? root.stack : stackFromUrn(resources[0]?.urn),
        resources: resources.map((resource) => ({
            ...resource,
            custom: resource.custom ?? true,
            inputs: resource.inputs ?? {},
            outputs: resource.outputs ?? {},
            dependencies: resource.dependencies ?? [],
        })),
    };
}

/** `urn:pulumi:<stack>::<project>::...` → stack. */
function stackFromUrn(urn: unknown): string | undefined {
    return typeof urn === "string" ? urn.match(/^urn:pulumi:([^:]+)::/)?.[1] : undefined;
}

function chooseConfig(options: Options, state: LoadedState): { config: PackConfig; source: string } {
    if (options.config) return { config: readPackConfigFile(options.config), source: options.config };
    const candidate = state.stack ? path.join(PACK_CONFIG_DIR, `${state.stack}.json`) : undefined;
    if (candidate && fs.existsSync(candidate)) return { config: readPackConfigFile(candidate), source: path.relative(process.cwd(), candidate) };
    return { config: {}, source: "the pack's default levels" };
}

export function main(argv: readonly string[]): number {
    let options: Options;
    let state: LoadedState;
    let chosen: { config: PackConfig; source: string };
    try {
        options = parseArgs(argv);
        state = loadState(options.state);
        chosen = chooseConfig(options, state);
    } catch (error) {
        if (error instanceof UsageError || error instanceof PackConfigError) {
            console.error(`policy: ${error.message}`);
            return 2;
        }
        throw error;
    }
    const violations = runPolicies(state.resources, chosen.config, state.stack ?? "unknown");
    const mandatory = mandatoryViolations(violations).length;
    console.log(`policy pack over ${state.resources.length} resources of ${state.kind} ${options.state}${state.stack ? ` (stack ${state.stack})` : ""}, levels from ${chosen.source}`);
    console.log(formatViolations(violations));
    if (options.json) {
        fs.writeFileSync(options.json, `${JSON.stringify({ violations }, null, 2)}\n`);
        console.log(`wrote ${options.json}`);
    }
    console.log(mandatory > 0 ? `FAIL: ${mandatory} mandatory violation(s)` : "PASS: no mandatory violations");
    return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
