import * as fs from "fs";
import * as path from "path";
import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
    UnknownValueError,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "../policy-pack/policies";
import { PackPolicy } from "../policy-pack/policies/rules";
import { isSecretEnvelope, isUnknownError, unwrapSecret, SECRET_MARKER, SECRET } from "../policy-pack/policies/values";
import type { DeploymentResource, Violation } from "./deployment";
import { mergeOutputsUnderInputs } from "./state/load";

/**
 * Runs the pack's resource and stack policies offline, the way the Pulumi engine
 * does, over `pulumi stack export`-shaped resources:
 * - resource policies see each resource's inputs (for a state file: outputs
 *   merged under inputs, the values the cloud really has), stack policies see
 *   outputs overlaid with inputs (and the id), with parents and dependencies linked;
 * - properties are wrapped in `@pulumi/policy`'s `unknownCheckingProxy`, and a
 *   policy that cannot decide yields an advisory "cannot tell" entry: "cannot
 *   tell yet" for a value unknown until apply, "hidden secret, cannot tell" for
 *   an encrypted secret whose content decides;
 * - secrets from a stack export are unwrapped when shown (`plaintext`) and
 *   otherwise become "[secret]", which rules treat as present but unreadable;
 * - enforcement levels and parameters come from a pack config file
 *   (`policy-pack/config/<stack>.json`, the `--policy-pack-config` format), or
 *   the strictest levels for a state that is not one of this project's stacks;
 * - waivers (`policy-pack/waivers/<stack>.json`) accept single findings with a
 *   reason until a date; waived findings stay in the report.
 */

type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** The `--policy-pack-config` file: policy name (or "all") → level, or level plus parameters. */
export type PackConfig = Readonly<Record<string, PolicyConfigEntry>>;

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const ROOT = path.join(__dirname, "..");
export const PACK_CONFIG_DIR = path.join(ROOT, "policy-pack", "config");
export const WAIVERS_DIR = path.join(ROOT, "policy-pack", "waivers");

/** Every policy mandatory: for a state that is not one of this project's stacks with a pack config. */
export const STRICTEST_CONFIG: PackConfig = Object.freeze({ all: "mandatory" });

export class PackConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PackConfigError";
    }
}

const policyNames = (): Set<string> => new Set([...resourcePolicies, ...stackPolicies].map((policy) => policy.name));

/** Checks a parsed pack config: known policy names, valid levels. */
export function validatePackConfig(value: unknown, source: string): PackConfig {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PackConfigError(`${source}: a pack config is a JSON object mapping policy names to a level or {enforcementLevel, ...parameters}`);
    }
    const known = policyNames();
    for (const [name, entry] of Object.entries(value)) {
        if (name === "waivers") {
            throw new PackConfigError(
                `${source}: "waivers" cannot live in a pack config (the Pulumi CLI refuses an entry without an enforcement level); put them in ${path.relative(process.cwd(), WAIVERS_DIR)}/<stack>.json`,
            );
        }
        if (name !== "all" && !known.has(name)) {
            throw new PackConfigError(`${source}: unknown policy "${name}"; known policies: ${[...known].sort().join(", ")}`);
        }
        const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown })?.enforcementLevel;
        if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
            throw new PackConfigError(`${source}: policy "${name}" has enforcement level ${JSON.stringify(level)}; allowed: ${LEVELS.join(", ")}`);
        }
        if (typeof entry !== "string" && (entry === null || typeof entry !== "object" || Array.isArray(entry))) {
            throw new PackConfigError(`${source}: policy "${name}" must be a level or an object`);
        }
    }
    return value as PackConfig;
}

export function readPackConfigFile(file: string): PackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PackConfigError(`cannot read pack config ${file}`);
    }
    try {
        return validatePackConfig(JSON.parse(text), file);
    } catch (error) {
        if (error instanceof PackConfigError) throw error;
        throw new PackConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
}

/** The pack config of a stack: `policy-pack/config/<stack>.json`. */
export function loadPackConfig(stack: string): PackConfig {
    const file = path.join(PACK_CONFIG_DIR, `${stack}.json`);
    if (!fs.existsSync(file)) {
        throw new PackConfigError(`no pack config for stack "${stack}" (${file}); stacks with one: ${configuredStacks().join(", ")}`);
    }
    return readPackConfigFile(file);
}

/** Stacks that have a `policy-pack/config/<stack>.json`. */
export function configuredStacks(): string[] {
    return fs
        .readdirSync(PACK_CONFIG_DIR)
        .filter((name) => name.endsWith(".json"))
        .map((name) => name.replace(/\.json$/, ""))
        .sort();
}

/** Effective level of a policy under a config (engine order: policy entry, "all", the policy's default). */
export function levelOf(policy: PackPolicy, config: PackConfig): EnforcementLevel {
    const read = (entry: PolicyConfigEntry | undefined) => (typeof entry === "string" ? entry : entry?.enforcementLevel);
    return read(config[policy.name]) ?? read(config.all) ?? policy.enforcementLevel ?? "advisory";
}

/** Parameters of a policy under a config (its entry without enforcementLevel). */
export function parametersOf(policyName: string, config: PackConfig): Record<string, unknown> {
    const entry = config[policyName];
    if (entry === undefined || typeof entry === "string") return {};
    const { enforcementLevel: _level, ...parameters } = entry;
    return parameters;
}

// ---------------------------------------------------------------------------
// Which levels judge a state
// ---------------------------------------------------------------------------

/** This project's name, from Pulumi.yaml. */
export const PROJECT: string = (() => {
    try {
        return /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"))?.[1] ?? "data-platform";
    } catch {
        return "data-platform";
    }
})();

export interface ChosenLevels {
    readonly config: PackConfig;
    /** "file": `--config`; "stack": the project's own `policy-pack/config/<stack>.json`; "strictest": every policy mandatory. */
    readonly source: "file" | "stack" | "strictest";
    /** The pack config file used (relative to the working directory), when one was. */
    readonly file?: string;
    /** Why these levels, in words. */
    readonly reason: string;
    /** The stack of this project the state belongs to, when it is one (also when `--config` was given). */
    readonly ownStack?: string;
}

export interface StateIdentity {
    /** Project and stack the document declares (a plan document) or its URNs name. */
    readonly project?: string;
    readonly stack?: string;
    /** Every project and stack the URNs name. */
    readonly projects?: readonly string[];
    readonly stacks?: readonly string[];
}

/** The stack of this project a state belongs to, or why it belongs to none. */
export function ownStackOf(state: StateIdentity): { stack?: string; why: string } {
    const projects = state.projects && state.projects.length > 0 ? state.projects : state.project ? [state.project] : [];
    const stacks = state.stacks && state.stacks.length > 0 ? state.stacks : state.stack ? [state.stack] : [];
    if (projects.length === 0) return { why: "the state names no project (it has no resources)" };
    const foreign = projects.filter((project) => project !== PROJECT);
    if (foreign.length > 0) {
        return {
            why: `the state is project ${foreign.map((p) => `"${p}"`).join(", ")}${stacks.length === 1 ? ` stack "${stacks[0]}"` : ""}, not this project, ${PROJECT}`,
        };
    }
    if (stacks.length !== 1) return { why: `the resources name ${stacks.length === 0 ? "no stack" : `several stacks (${stacks.join(", ")})`}` };
    return { stack: stacks[0], why: `the state is stack "${stacks[0]}" of this project, ${PROJECT}` };
}

/**
 * The levels a state is judged by: `--config` when given; else the project's own
 * `policy-pack/config/<stack>.json` when every URN names this project and one stack
 * that has one; else the strictest levels (every policy mandatory). A foreign
 * project's `dev` never gets this project's dev levels.
 */
export function chooseLevels(state: StateIdentity, configFile?: string): ChosenLevels {
    const own = ownStackOf(state);
    if (configFile) {
        return {
            config: readPackConfigFile(configFile),
            source: "file",
            file: configFile,
            reason: "given with --config",
            ...(own.stack ? { ownStack: own.stack } : {}),
        };
    }
    if (!own.stack) return { config: STRICTEST_CONFIG, source: "strictest", reason: own.why };
    const file = path.join(PACK_CONFIG_DIR, `${own.stack}.json`);
    const relative = path.relative(process.cwd(), file);
    if (!fs.existsSync(file)) {
        return {
            config: STRICTEST_CONFIG,
            source: "strictest",
            reason: `stack "${own.stack}" of this project has no ${relative}`,
            ownStack: own.stack,
        };
    }
    return { config: readPackConfigFile(file), source: "stack", file: relative, reason: own.why, ownStack: own.stack };
}

/** "levels from F (why)" / "the strictest levels, every policy mandatory (why)". */
export function describeLevels(levels: ChosenLevels): string {
    return levels.source === "strictest"
        ? `the strictest levels, every policy mandatory (${levels.reason})`
        : `levels from ${levels.file} (${levels.reason})`;
}

// ---------------------------------------------------------------------------
// Waivers
// ---------------------------------------------------------------------------

/**
 * One accepted finding: `policy` on the resources `urn` matches (exact, or a
 * glob where `*` stands for any characters), for `reason`, until `expires`
 * (YYYY-MM-DD, the last day it holds).
 */
export interface Waiver {
    readonly policy: string;
    readonly urn: string;
    readonly reason: string;
    readonly expires: string;
}

export interface WaivedViolation extends PolicyFinding {
    readonly waiver: Waiver;
}

export interface WaiverOutcome {
    /** Findings no active waiver covers (a finding whose waiver expired is here again). */
    readonly violations: PolicyFinding[];
    readonly waived: WaivedViolation[];
    /** Waivers past their date; `matched` counts the findings they would have covered. */
    readonly expired: { readonly waiver: Waiver; readonly matched: number }[];
    /** Active waivers that match no finding (stale: the resource was fixed or renamed). */
    readonly unused: Waiver[];
}

const WAIVER_KEYS = ["policy", "urn", "reason", "expires"] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
    const match = typeof value === "string" ? DATE.exec(value) : null;
    if (!match) return false;
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.toISOString().slice(0, 10) === value;
}

/** Checks a parsed waiver file `{"waivers": [{policy, urn, reason, expires}]}`; errors name the file and the field. */
export function validateWaivers(value: unknown, source: string): Waiver[] {
    const fail = (what: string): never => {
        throw new PackConfigError(`${source}: ${what}`);
    };
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return fail('a waiver file is a JSON object {"waivers": [{"policy", "urn", "reason", "expires"}]}');
    }
    const extra = Object.keys(value).filter((key) => key !== "waivers" && key !== "$comment");
    if (extra.length > 0) fail(`unknown key "${extra[0]}"; allowed: waivers, $comment`);
    const list = (value as { waivers?: unknown }).waivers;
    if (!Array.isArray(list))
        return fail(`"waivers" must be a list of {policy, urn, reason, expires}, not ${list === undefined ? "missing" : JSON.stringify(list)}`);
    const known = policyNames();
    return list.map((item, index): Waiver => {
        const at = `waivers[${index}]`;
        if (item === null || typeof item !== "object" || Array.isArray(item)) return fail(`${at} must be an object {policy, urn, reason, expires}`);
        const entry = item as Record<string, unknown>;
        const unknownKey = Object.keys(entry).find((key) => !(WAIVER_KEYS as readonly string[]).includes(key));
        if (unknownKey) fail(`${at}.${unknownKey} is not a waiver field; allowed: ${WAIVER_KEYS.join(", ")}`);
        for (const key of WAIVER_KEYS) {
            if (typeof entry[key] !== "string" || (entry[key] as string).trim() === "") {
                fail(`${at}.${key} is ${entry[key] === undefined ? "missing" : JSON.stringify(entry[key])}; expected a non-empty string`);
            }
        }
        if (!known.has(entry.policy as string))
            fail(`${at}.policy is "${entry.policy}", not a policy of the pack; known policies: ${[...known].sort().join(", ")}`);
        if (!isIsoDate(entry.expires))
            fail(`${at}.expires is ${JSON.stringify(entry.expires)}; expected a date YYYY-MM-DD (the last day the waiver holds)`);
        return {
            policy: entry.policy as string,
            urn: entry.urn as string,
            reason: (entry.reason as string).trim(),
            expires: entry.expires as string,
        };
    });
}

export function readWaiverFile(file: string): Waiver[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PackConfigError(`cannot read waiver file ${file}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new PackConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    return validateWaivers(parsed, file);
}

/** `policy-pack/waivers/<stack>.json` when it exists. */
export function waiverFileOf(stack: string): string | undefined {
    const file = path.join(WAIVERS_DIR, `${stack}.json`);
    return fs.existsSync(file) ? path.relative(process.cwd(), file) : undefined;
}

/** An exact URN, or a glob where `*` matches any characters (`::` included). */
export function urnMatches(pattern: string, urn: string | undefined): boolean {
    if (!pattern.includes("*")) return pattern === urn;
    if (urn === undefined) return pattern.split("").every((char) => char === "*");
    const regex = new RegExp(
        `^${pattern
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    );
    return regex.test(urn);
}

/**
 * Applies waivers as of `today` (YYYY-MM-DD; a waiver holds through its
 * `expires` day). A waived finding moves to `waived` with its waiver; an
 * expired waiver waives nothing and is reported, as is one that matches nothing.
 * "Cannot tell" entries are not findings and are never waived.
 */
export function applyWaivers(violations: readonly PolicyFinding[], waivers: readonly Waiver[], today: string): WaiverOutcome {
    if (!isIsoDate(today)) throw new Error(`applyWaivers: today must be YYYY-MM-DD, not ${JSON.stringify(today)}`);
    const active = waivers.filter((waiver) => waiver.expires >= today);
    const expired = waivers.filter((waiver) => waiver.expires < today);
    const matches = (waiver: Waiver, violation: PolicyFinding) =>
        !violation.cannotTell && waiver.policy === violation.policy && urnMatches(waiver.urn, violation.urn);
    const used = new Set<Waiver>();
    const kept: PolicyFinding[] = [];
    const waived: WaivedViolation[] = [];
    for (const violation of violations) {
        const waiver = active.find((candidate) => matches(candidate, violation));
        if (waiver) {
            used.add(waiver);
            waived.push({ ...violation, waiver });
        } else {
            kept.push(violation);
        }
    }
    return {
        violations: kept,
        waived,
        expired: expired.map((waiver) => ({ waiver, matched: violations.filter((violation) => matches(waiver, violation)).length })),
        unused: active.filter((waiver) => !used.has(waiver)),
    };
}

/** Text lines for waived findings (with their reasons) and for waivers to review (expired, or matching nothing). */
export function formatWaiverOutcome(outcome: WaiverOutcome, file?: string): string[] {
    const line = (waiver: Waiver) => `[${waiver.policy}] ${waiver.urn}: ${waiver.reason}`;
    const lines: string[] = [];
    if (outcome.waived.length > 0) {
        lines.push(`waived (${outcome.waived.length}), not counted${file ? ` (${file})` : ""}:`);
        for (const violation of outcome.waived) {
            lines.push(`  [${violation.policy}] ${violation.message}`);
            if (violation.urn) lines.push(`      ${violation.urn}`);
            lines.push(`      waived until ${violation.waiver.expires}: ${violation.waiver.reason}`);
        }
    }
    const attention = outcome.expired.length + outcome.unused.length;
    if (attention > 0) {
        lines.push(`waivers to review (${attention}):`);
        for (const { waiver, matched } of outcome.expired) {
            const effect = matched > 0 ? `, waives nothing: ${matched} finding(s) count again` : ", matches nothing";
            lines.push(`  expired ${waiver.expires}${effect}: ${line(waiver)}`);
        }
        for (const waiver of outcome.unused) lines.push(`  matches nothing: ${line(waiver)}`);
    }
    return lines;
}

// ---------------------------------------------------------------------------
// Validation args, as the engine builds them
// ---------------------------------------------------------------------------

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** Replaces stack-export secret envelopes: shown ones by their value, encrypted ones by "[secret]". */
export function normalizeSecrets(value: unknown): unknown {
    if (isSecretEnvelope(value)) {
        const inner = unwrapSecret(value);
        return inner === SECRET ? SECRET_MARKER : normalizeSecrets(inner);
    }
    if (Array.isArray(value)) return value.map(normalizeSecrets);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalizeSecrets(item)]));
    }
    return value;
}

/** A resource's logical name: the last `::` segment of its URN. */
function logicalName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** What a policy touched while it ran: an unknown value, a hidden secret. */
interface ReadLog {
    unknown: boolean;
    secret: boolean;
}

/**
 * `unknownCheckingProxy` (throws the engine's UnknownValueError on an unknown),
 * plus a note in `log` of every unknown or hidden secret a policy reads, so the
 * runner can tell "not known until apply" from "encrypted in the state".
 */
function recordingProxy<T extends object>(target: T, log?: ReadLog): T {
    const checked = unknownCheckingProxy(target);
    if (!log) return checked;
    const wrap = (value: unknown): unknown => {
        if (!(value instanceof Object)) return value;
        return new Proxy(value, {
            get: (object, property) => {
                let field: unknown;
                try {
                    field = (object as Record<string | symbol, unknown>)[property];
                } catch (error) {
                    if (isUnknownError(error)) log.unknown = true;
                    throw error;
                }
                if (field === SECRET_MARKER) log.secret = true;
                const descriptor = Object.getOwnPropertyDescriptor(object, property);
                if (descriptor && "value" in descriptor && descriptor.configurable === false && descriptor.writable === false) return field;
                return wrap(field);
            },
        });
    };
    return wrap(checked) as T;
}

const OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

export interface ResourceInput {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    readonly name?: string;
}

/** `ResourceValidationArgs` for one resource (props wrapped in the engine's unknown-checking proxy). */
export function resourceValidationArgs(resource: ResourceInput, parameters: Record<string, unknown> = {}, log?: ReadLog): ResourceValidationArgs {
    return validationArgsOf(resource, normalizeSecrets(resource.props) as Record<string, unknown>, parameters, log);
}

/** The args over props already normalized (runPolicies normalizes each resource once, not once per policy). */
function validationArgsOf(
    resource: Omit<ResourceInput, "props">,
    normalized: Record<string, unknown>,
    parameters: Record<string, unknown>,
    log?: ReadLog,
): ResourceValidationArgs {
    const urn = resource.urn ?? `urn:pulumi:test::data-platform::${resource.type}::${resource.name ?? "resource"}`;
    const props = recordingProxy(normalized, log);
    return {
        type: resource.type,
        props,
        urn,
        name: resource.name ?? logicalName(urn),
        opts: { ...OPTIONS },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => ({ ...parameters }) as T,
        notApplicable,
    };
}

export interface StackInput extends ResourceInput {
    readonly dependencies?: readonly string[] | null;
    readonly propertyDependencies?: Readonly<Record<string, readonly string[] | null>> | null;
    readonly parent?: string;
}

/** `StackValidationArgs` for a list of resources, dependencies linked by URN (`null` lists read as empty). */
export function stackValidationArgs(resources: readonly StackInput[], parameters: Record<string, unknown> = {}, log?: ReadLog): StackValidationArgs {
    const urns = resources.map(
        (resource, index) => resource.urn ?? `urn:pulumi:test::data-platform::${resource.type}::${resource.name ?? `resource-${index}`}`,
    );
    const byUrn = new Map<string, PolicyResource>();
    const policyResources = resources.map((resource, index): PolicyResource => {
        const view: PolicyResource = {
            type: resource.type,
            props: recordingProxy(normalizeSecrets(resource.props ?? {}) as Record<string, unknown>, log),
            urn: urns[index],
            name: resource.name ?? logicalName(urns[index]),
            opts: { ...OPTIONS, parent: resource.parent },
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        };
        byUrn.set(view.urn, view);
        return view;
    });
    resources.forEach((resource, index) => {
        const view = policyResources[index];
        const link = (list: readonly string[] | null | undefined) =>
            (list ?? []).map((urn) => byUrn.get(urn)).filter((found): found is PolicyResource => found !== undefined);
        view.dependencies.push(...link(resource.dependencies));
        for (const [key, list] of Object.entries(resource.propertyDependencies ?? {})) view.propertyDependencies[key] = link(list);
        if (resource.parent) view.parent = byUrn.get(resource.parent);
    });
    return { resources: policyResources, stackTags: new Map(), getConfig: <T extends object>() => ({ ...parameters }) as T, notApplicable };
}

// ---------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------

/**
 * A violation, or (`cannotTell` set, always advisory) a policy that could not
 * decide: "unknown" (a value not known until apply), "secret" (an encrypted
 * secret whose content decides).
 */
export interface PolicyFinding extends Violation {
    readonly cannotTell?: "unknown" | "secret";
}

export interface RunOptions {
    /**
     * What resource policies judge: "inputs" (a plan: the program's inputs,
     * outputs when there are none; the default) or "state" (a state file:
     * outputs merged under inputs, so values the cloud filled in are judged).
     */
    readonly propsFrom?: "inputs" | "state";
}

function isEmpty(value: Record<string, unknown> | undefined | null): boolean {
    return !value || Object.keys(value).length === 0;
}

/** What a resource policy sees. */
function resourceProps(resource: DeploymentResource, propsFrom: "inputs" | "state"): Record<string, unknown> {
    if (propsFrom === "state") return mergeOutputsUnderInputs(resource.outputs ?? {}, resource.inputs ?? {});
    return isEmpty(resource.inputs) ? { ...(resource.outputs ?? {}) } : { ...resource.inputs };
}

/** What a stack policy sees: outputs overlaid with inputs (declared intent wins), plus the id. */
function stackProps(resource: DeploymentResource, propsFrom: "inputs" | "state"): Record<string, unknown> {
    const props =
        propsFrom === "state"
            ? mergeOutputsUnderInputs(resource.outputs ?? {}, resource.inputs ?? {})
            : { ...(resource.outputs ?? {}), ...(resource.inputs ?? {}) };
    if (resource.id !== undefined && props.id === undefined) props.id = resource.id;
    return props;
}

type Collected = { policy: string; level: EnforcementLevel; urn?: string; message: string; cannotTell?: "unknown" | "secret" };

function collector(policy: PackPolicy, level: EnforcementLevel, sink: Collected[], defaultUrn?: string): ReportViolation {
    return (message, urn) => {
        sink.push({ policy: policy.name, level, urn: urn ?? defaultUrn, message: message || policy.description });
    };
}

function undetermined(error: UnknownValueError, log: ReadLog): { cannotTell: "unknown" | "secret"; message: string } {
    if (log.secret && !log.unknown) {
        const what = Array.isArray(error.props) && error.props.length > 0 ? error.props.join(".") : "a secret value";
        return {
            cannotTell: "secret",
            message: `hidden secret, cannot tell: ${what} is encrypted in the file (\`pulumi stack export --show-secrets\` shows it)`,
        };
    }
    return { cannotTell: "unknown", message: `cannot tell yet: ${error.message}` };
}

function run(
    policy: PackPolicy,
    level: EnforcementLevel,
    stack: string,
    urn: string | undefined,
    sink: Collected[],
    log: ReadLog,
    validate: (report: ReportViolation) => unknown,
): void {
    try {
        const result = validate(collector(policy, level, sink, urn));
        if (result && typeof (result as Promise<unknown>).then === "function") {
            throw new Error("asynchronous policies are not supported by the offline runner");
        }
    } catch (error) {
        if (error instanceof NotApplicable) return;
        if (isUnknownError(error)) {
            sink.push({ policy: policy.name, level: "advisory", urn, ...undetermined(error, log) });
            return;
        }
        throw new Error(`stack ${stack}: policy ${policy.name} failed${urn ? ` on ${urn}` : ""}: ${(error as Error).message}`);
    }
}

/**
 * Applies every resource and stack policy of the pack, with a stack's pack
 * config, to a list of resources. Returns violations (mandatory first) and
 * advisory "cannot tell" entries (`cannotTell` set).
 */
export function runPolicies(
    resources: readonly DeploymentResource[],
    packConfig: PackConfig,
    stack: string,
    options: RunOptions = {},
): PolicyFinding[] {
    const propsFrom = options.propsFrom ?? "inputs";
    const sink: Collected[] = [];
    const custom = resources.filter((resource) => resource.custom !== false && !resource.type.startsWith("pulumi:"));
    // Normalized once per resource and shared by every resource policy (no rule writes to its props: the pack only reads).
    const normalizedProps = custom.map((resource) => normalizeSecrets(resourceProps(resource, propsFrom)) as Record<string, unknown>);

    for (const policy of resourcePolicies) {
        const level = levelOf(policy, packConfig);
        if (level === "disabled") continue;
        const effective = level === "remediate" ? "mandatory" : level;
        const validations = Array.isArray(policy.validateResource)
            ? policy.validateResource
            : policy.validateResource
              ? [policy.validateResource]
              : [];
        for (const [index, resource] of custom.entries()) {
            for (const validation of validations) {
                const log: ReadLog = { unknown: false, secret: false };
                const args = validationArgsOf(resource, normalizedProps[index], parametersOf(policy.name, packConfig), log);
                run(policy, effective, stack, resource.urn, sink, log, (report) => validation(args, report));
            }
        }
    }

    const stackInputs: StackInput[] = resources.map((resource) => ({
        type: resource.type,
        urn: resource.urn,
        props: stackProps(resource, propsFrom),
        parent: resource.parent,
        dependencies: resource.dependencies ?? [],
        propertyDependencies: resource.propertyDependencies ?? {},
    }));
    for (const policy of stackPolicies) {
        const level = levelOf(policy, packConfig);
        if (level === "disabled") continue;
        const effective = level === "remediate" ? "mandatory" : level;
        const log: ReadLog = { unknown: false, secret: false };
        const args = stackValidationArgs(stackInputs, parametersOf(policy.name, packConfig), log);
        run(policy, effective, stack, undefined, sink, log, (report) => policy.validateStack(args, report));
    }

    const rank = (level: string) => (level === "mandatory" ? 0 : 1);
    return sink
        .map(({ policy, level, urn, message, cannotTell }): PolicyFinding => ({
            policy,
            enforcementLevel: level,
            ...(urn ? { urn } : {}),
            message,
            ...(cannotTell ? { cannotTell } : {}),
        }))
        .sort((a, b) => rank(a.enforcementLevel) - rank(b.enforcementLevel));
}

export function mandatoryViolations<T extends Violation>(violations: readonly T[]): T[] {
    return violations.filter((violation) => violation.enforcementLevel === "mandatory");
}

export interface FormatOptions {
    /**
     * Policies whose findings are summarised per resource type instead of one
     * line each (the JSON report keeps every one): `required-tags` on a
     * foreign stack, where every resource lacks this project's tags.
     */
    readonly summarise?: readonly string[];
}

/**
 * Violations grouped by level (mandatory first), each with its policy, message
 * and URN; "cannot tell" entries in a group of their own when there are any.
 */
export function formatViolations(violations: readonly PolicyFinding[], options: FormatOptions = {}): string {
    const lines: string[] = [];
    const summarise = new Set(options.summarise ?? []);
    const groups: [string, PolicyFinding[]][] = [
        ["mandatory", violations.filter((violation) => !violation.cannotTell && violation.enforcementLevel === "mandatory")],
        ["advisory", violations.filter((violation) => !violation.cannotTell && violation.enforcementLevel !== "mandatory")],
    ];
    const undecided = violations.filter((violation) => violation.cannotTell);
    if (undecided.length > 0) groups.push(["cannot tell", undecided]);
    for (const [title, group] of groups) {
        lines.push(`${title} (${group.length})`);
        const summarised = new Map<string, PolicyFinding[]>();
        for (const violation of group) {
            if (summarise.has(violation.policy)) {
                summarised.set(violation.policy, [...(summarised.get(violation.policy) ?? []), violation]);
                continue;
            }
            lines.push(`  [${violation.policy}] ${violation.message}`);
            if (violation.urn) lines.push(`      ${violation.urn}`);
        }
        for (const [policy, items] of summarised) lines.push(...summaryLines(policy, items));
    }
    return lines.join("\n");
}

/** "[required-tags] 12 findings, by resource type: aws:ec2/subnet:Subnet 6, ..." */
function summaryLines(policy: string, items: readonly PolicyFinding[]): string[] {
    const byType = new Map<string, number>();
    for (const item of items) {
        const type = item.urn ? typeOfUrn(item.urn) : "(stack)";
        byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    const counts = [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return [
        `  [${policy}] ${items.length} finding(s) summarised by resource type (each one is in the --json report):`,
        ...counts.map(([type, count]) => `      ${count} × ${type}`),
    ];
}

/** The resource type of a URN (the last type of its parent chain). */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    const chain = parts.length >= 4 ? parts[2] : urn;
    return chain.split("$").pop() ?? chain;
}
