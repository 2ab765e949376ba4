import * as fs from "fs";
import * as path from "path";
import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "../policy-pack/policies";
import { PackPolicy } from "../policy-pack/policies/rules";
import { isSecretEnvelope, isUnknownError, unwrapSecret, SECRET_MARKER, SECRET } from "../policy-pack/policies/values";
import { DeploymentResource, Violation, logicalName } from "./deployment";

/**
 * Runs the pack's resource and stack policies offline, the way the Pulumi engine
 * does, over `pulumi stack export`-shaped resources:
 * - resource policies see each resource's inputs, stack policies see outputs
 *   overlaid with inputs (and the id), with parents and dependencies linked;
 * - properties are wrapped in `@pulumi/policy`'s `unknownCheckingProxy`, and a
 *   policy that cannot decide because something is unknown yields an advisory
 *   "cannot tell yet" entry, as the engine reports it during preview;
 * - secrets from a stack export are unwrapped when shown (`plaintext`) and
 *   otherwise become "[secret]", which rules treat as present but unreadable;
 * - enforcement levels and parameters come from a pack config file
 *   (`policy-pack/config/<stack>.json`, the `--policy-pack-config` format).
 */

type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** The `--policy-pack-config` file: policy name (or "all") → level, or level plus parameters. */
export type PackConfig = Readonly<Record<string, PolicyConfigEntry>>;

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
export const PACK_CONFIG_DIR = path.join(__dirname, "..", "policy-pack", "config");

export class PackConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PackConfigError";
    }
}

/** Checks a parsed pack config: known policy names, valid levels. */
export function validatePackConfig(value: unknown, source: string): PackConfig {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PackConfigError(`${source}: a pack config is a JSON object mapping policy names to a level or {enforcementLevel, ...parameters}`);
    }
    const known = new Set([...resourcePolicies, ...stackPolicies].map((policy) => policy.name));
    for (const [name, entry] of Object.entries(value)) {
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
        const stacks = fs.readdirSync(PACK_CONFIG_DIR).filter((name) => name.endsWith(".json")).map((name) => name.replace(/\.json$/, ""));
        throw new PackConfigError(`no pack config for stack "${stack}" (${file}); stacks with one: ${stacks.join(", ")}`);
    }
    return readPackConfigFile(file);
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

const OPTIONS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

export interface ResourceInput {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    readonly name?: string;
}

/** `ResourceValidationArgs` for one resource (props wrapped in the engine's unknown-checking proxy). */
export function resourceValidationArgs(resource: ResourceInput, parameters: Record<string, unknown> = {}): ResourceValidationArgs {
    const urn = resource.urn ?? `urn:pulumi:test::data-platform::${resource.type}::${resource.name ?? "resource"}`;
    const props = unknownCheckingProxy(normalizeSecrets(resource.props) as Record<string, unknown>);
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
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly parent?: string;
}

/** `StackValidationArgs` for a list of resources, dependencies linked by URN. */
export function stackValidationArgs(resources: readonly StackInput[], parameters: Record<string, unknown> = {}): StackValidationArgs {
    const urns = resources.map((resource, index) => resource.urn ?? `urn:pulumi:test::data-platform::${resource.type}::${resource.name ?? `resource-${index}`}`);
    const byUrn = new Map<string, PolicyResource>();
    const policyResources = resources.map((resource, index): PolicyResource => {
        const view: PolicyResource = {
            type: resource.type,
            props: unknownCheckingProxy(normalizeSecrets(resource.props) as Record<string, unknown>),
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
        const link = (list: readonly string[] = []) => list.map((urn) => byUrn.get(urn)).filter((found): found is PolicyResource => found !== undefined);
        view.dependencies.push(...link(resource.dependencies));
        for (const [key, list] of Object.entries(resource.propertyDependencies ?? {})) view.propertyDependencies[key] = link(list);
        if (resource.parent) view.parent = byUrn.get(resource.parent);
    });
    return { resources: policyResources, stackTags: new Map(), getConfig: <T extends object>() => ({ ...parameters }) as T, notApplicable };
}

// ---------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------

function isEmpty(value: Record<string, unknown> | undefined): boolean {
    return !value || Object.keys(value).length === 0;
}

/** What the engine passes a resource policy: inputs (outputs when a state file kept no inputs). */
function resourceProps(resource: DeploymentResource): Record<string, unknown> {
    return isEmpty(resource.inputs) ? { ...(resource.outputs ?? {}) } : { ...resource.inputs };
}

/** What a stack policy sees: outputs overlaid with inputs (declared intent wins), plus the id. */
function stackProps(resource: DeploymentResource): Record<string, unknown> {
    const props = { ...(resource.outputs ?? {}), ...(resource.inputs ?? {}) };
    if (resource.id !== undefined && props.id === undefined) props.id = resource.id;
    return props;
}

type Collected = { policy: string; level: EnforcementLevel; urn?: string; message: string };

function collector(policy: PackPolicy, level: EnforcementLevel, sink: Collected[], defaultUrn?: string): ReportViolation {
    return (message, urn) => {
        sink.push({ policy: policy.name, level, urn: urn ?? defaultUrn, message: message || policy.description });
    };
}

function run(policy: PackPolicy, level: EnforcementLevel, stack: string, urn: string | undefined, sink: Collected[], validate: (report: ReportViolation) => unknown): void {
    try {
        const result = validate(collector(policy, level, sink, urn));
        if (result && typeof (result as Promise<unknown>).then === "function") {
            throw new Error("asynchronous policies are not supported by the offline runner");
        }
    } catch (error) {
        if (error instanceof NotApplicable) return;
        if (isUnknownError(error)) {
            sink.push({ policy: policy.name, level: "advisory", urn, message: `cannot tell yet: ${error.message}` });
            return;
        }
        throw new Error(`stack ${stack}: policy ${policy.name} failed${urn ? ` on ${urn}` : ""}: ${(error as Error).message}`);
    }
}

/**
 * Applies every resource and stack policy of the pack, with a stack's pack
 * config, to a list of resources. Returns violations (mandatory first).
 */
export function runPolicies(resources: readonly DeploymentResource[], packConfig: PackConfig, stack: string): Violation[] {
    const sink: Collected[] = [];
    const custom = resources.filter((resource) => resource.custom !== false && !resource.type.startsWith("pulumi:"));

    for (const policy of resourcePolicies) {
        const level = levelOf(policy, packConfig);
        if (level === "disabled") continue;
        const effective = level === "remediate" ? "mandatory" : level;
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
        for (const resource of custom) {
            for (const validation of validations) {
                const args = resourceValidationArgs({ type: resource.type, urn: resource.urn, props: resourceProps(resource) }, parametersOf(policy.name, packConfig));
                run(policy, effective, stack, resource.urn, sink, (report) => validation(args, report));
            }
        }
    }

    const stackInputs: StackInput[] = resources.map((resource) => ({
        type: resource.type,
        urn: resource.urn,
        props: stackProps(resource),
        parent: resource.parent,
        dependencies: resource.dependencies ?? [],
        propertyDependencies: resource.propertyDependencies ?? {},
    }));
    for (const policy of stackPolicies) {
        const level = levelOf(policy, packConfig);
        if (level === "disabled") continue;
        const effective = level === "remediate" ? "mandatory" : level;
        const args = stackValidationArgs(stackInputs, parametersOf(policy.name, packConfig));
        run(policy, effective, stack, undefined, sink, (report) => policy.validateStack(args, report));
    }

    const rank = (level: string) => (level === "mandatory" ? 0 : 1);
    return sink
        .map(({ policy, level, urn, message }): Violation => ({ policy, enforcementLevel: level, ...(urn ? { urn } : {}), message }))
        .sort((a, b) => rank(a.enforcementLevel) - rank(b.enforcementLevel));
}

export function mandatoryViolations(violations: readonly Violation[]): Violation[] {
    return violations.filter((violation) => violation.enforcementLevel === "mandatory");
}

/** Violations grouped by level (mandatory first), each with its policy, message and URN. */
export function formatViolations(violations: readonly Violation[]): string {
    const lines: string[] = [];
    for (const level of ["mandatory", "advisory"] as const) {
        const group = violations.filter((violation) => (level === "mandatory" ? violation.enforcementLevel === "mandatory" : violation.enforcementLevel !== "mandatory"));
        lines.push(`${level} (${group.length})`);
        for (const violation of group) {
            lines.push(`  [${violation.policy}] ${violation.message}`);
            if (violation.urn) lines.push(`      ${violation.urn}`);
        }
    }
    return lines.join("\n");
}
