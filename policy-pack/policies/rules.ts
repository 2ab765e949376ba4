import {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
} from "@pulumi/policy";
import { Read, SECRET, UNKNOWN } from "./values";

/**
 * The small framework every rule is written in. A rule looks at plain
 * properties through `values.ts` readers and records findings; the wrapper
 * turns findings into `reportViolation` calls and, when something decisive was
 * not known yet, throws the engine's own `UnknownValueError` after reporting
 * what it could decide — the engine then shows an advisory "can't run during
 * preview" note instead of a misleading pass or fail.
 */

/** The string-unknown sentinel; `UnknownValueError` only accepts real sentinels. */
const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Where a rule comes from in other catalogs (README table). */
export interface References {
    readonly checkov: readonly string[];
    /** AWS Foundational Security Best Practices control IDs. */
    readonly securityHub: readonly string[];
    /** Security Hub controls of other standards (CIS, NIST 800-53, PCI DSS) where FSBP has none. */
    readonly securityHubOther?: readonly string[];
    /** FSBP controls Security Hub has retired (kept for traceability; the README marks them "(retired)"). */
    readonly securityHubRetired?: readonly string[];
}

export interface RuleResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
}

export interface StackResource extends RuleResource {
    readonly dependencies: readonly StackResource[];
    readonly propertyDependencies: Readonly<Record<string, readonly StackResource[]>>;
}

export class Findings {
    readonly violations: { message: string; urn?: string }[] = [];
    readonly undetermined: string[] = [];

    violation(message: string, urn?: string): void {
        this.violations.push({ message, urn });
    }

    /** Records that `what` decides the outcome but is not known yet. */
    unknown(what: string): void {
        this.undetermined.push(what);
    }

    /**
     * Reports `message` unless `ok(value)`. An unknown value is deferred; a hidden
     * (secret) value is deferred unless `secretOk` says a present secret is enough.
     */
    require(value: Read, ok: (value: unknown) => boolean, message: string, what: string, urn?: string, secretOk = false): void {
        if (value === UNKNOWN || (value === SECRET && !secretOk)) {
            this.unknown(what);
            return;
        }
        if (value === SECRET) return;
        if (!ok(value)) this.violation(message, urn);
    }
}

interface RuleBase<C> {
    readonly name: string;
    readonly description: string;
    /** Level when the stack's pack config says nothing. */
    readonly enforcementLevel: EnforcementLevel;
    readonly severity: Severity;
    readonly references: References;
    /** Parameters with their defaults; also the JSON schema the CLI validates config against. */
    readonly parameters?: { readonly schema: PolicyConfigSchema["properties"]; readonly defaults: C };
}

export interface ResourceRuleSpec<C> extends RuleBase<C> {
    readonly resourceTypes: readonly string[];
    readonly check: (resource: RuleResource, findings: Findings, config: C) => void;
}

export interface StackRuleSpec<C> extends RuleBase<C> {
    /** Types the rule reads (for the README); the rule sees every resource. */
    readonly resourceTypes: readonly string[];
    readonly check: (resources: readonly StackResource[], findings: Findings, config: C) => void;
}

export type PackResourcePolicy = ResourceValidationPolicy & { readonly resourceTypes: readonly string[]; readonly references: References };
export type PackStackPolicy = StackValidationPolicy & { readonly resourceTypes: readonly string[]; readonly references: References };
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

function configSchema<C>(spec: RuleBase<C>): PolicyConfigSchema | undefined {
    return spec.parameters ? { properties: spec.parameters.schema } : undefined;
}

function mergedConfig<C>(spec: RuleBase<C>, given: object): C {
    return { ...(spec.parameters?.defaults ?? {}), ...given } as C;
}

function deliver(findings: Findings, report: ReportViolation, fallbackUrn?: string): void {
    for (const { message, urn } of findings.violations) report(message, urn ?? fallbackUrn);
    if (findings.undetermined.length > 0) {
        throw new UnknownValueError(UNKNOWN_STRING_SENTINEL, [findings.undetermined.join(", ")]);
    }
}

/** What every policy of the pack declares, from its rule spec. */
function policyFields<C>(spec: RuleBase<C> & { readonly resourceTypes: readonly string[] }) {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        severity: spec.severity,
        configSchema: configSchema(spec),
        resourceTypes: spec.resourceTypes,
        references: spec.references,
    };
}

export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): PackResourcePolicy {
    const types = new Set(spec.resourceTypes);
    return {
        ...policyFields(spec),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.has(args.type)) return;
            const findings = new Findings();
            spec.check({ type: args.type, urn: args.urn, name: args.name, props: args.props }, findings, mergedConfig(spec, args.getConfig()));
            deliver(findings, reportViolation);
        },
    };
}

export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): PackStackPolicy {
    return {
        ...policyFields(spec),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const findings = new Findings();
            spec.check(args.resources.map(toStackResource(new Map())), findings, mergedConfig(spec, args.getConfig()));
            deliver(findings, reportViolation);
        },
    };
}

/** Views the engine's PolicyResource graph as StackResource (same objects, narrower type). */
function toStackResource(seen: Map<PolicyResource, StackResource>): (resource: PolicyResource) => StackResource {
    const convert = (resource: PolicyResource): StackResource => {
        const known = seen.get(resource);
        if (known) return known;
        const view = {
            type: resource.type,
            urn: resource.urn,
            name: resource.name,
            props: resource.props,
            dependencies: [] as StackResource[],
            propertyDependencies: {} as Record<string, StackResource[]>,
        };
        seen.set(resource, view);
        view.dependencies.push(...(resource.dependencies ?? []).map(convert));
        for (const [key, deps] of Object.entries(resource.propertyDependencies ?? {})) {
            view.propertyDependencies[key] = deps.map(convert);
        }
        return view;
    };
    return convert;
}

export function isResourcePolicy(policy: PackPolicy): policy is PackResourcePolicy {
    return "validateResource" in policy;
}

/** Short resource label for messages: the logical name. */
export function label(resource: RuleResource): string {
    return `${resource.name} (${resource.type.split(":").pop()})`;
}
