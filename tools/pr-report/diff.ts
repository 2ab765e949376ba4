import { ResourceIndex } from "../cost/resources";
import { CostItem, DeploymentResource, PlanDocument, Violation, logicalName } from "../deployment";
import { isStatefulType } from "../stateful";
import { replacementOf, stableJson } from "./replacements";

/**
 * The difference between two plan documents (DESIGN.md interface 1), a PR's base and its head:
 * resources added, changed (which inputs, whether the change replaces them) and removed, renames,
 * the monthly cost by tier and type, and the policy violations that appear or go. Pure: the same
 * two documents give the same diff, everything sorted.
 */

export type ChangeKind = "add" | "remove" | "update" | "replace" | "rename";

/** One changed value, at a path below a top-level input (`cidrBlock`, `rootBlockDevice.volumeSize`, `tags.Name`). */
export interface ValueChange {
    readonly path: string;
    /** Absent when the value is new. */
    readonly before?: unknown;
    /** Absent when the value is gone. */
    readonly after?: unknown;
}

export interface ResourceChange {
    readonly kind: ChangeKind;
    /** The head's URN (the base's for a removed resource). */
    readonly urn: string;
    /** For a rename: the base's URN. */
    readonly oldUrn?: string;
    readonly type: string;
    readonly name: string;
    readonly tier: string;
    readonly stateful: boolean;
    /** The resource is protected (in the base, for a removal or a replacement): `pulumi up` refuses to delete it. */
    readonly protect: boolean;
    /** Top-level inputs whose values differ (update, replace, rename). */
    readonly inputs: readonly string[];
    readonly values: readonly ValueChange[];
    /** For changes of an existing resource: what the replacement table says; "unknown" when its type is not in it. */
    readonly replacement?: "replace" | "update" | "unknown";
    /** Inputs whose change forces the replacement. */
    readonly reasons: readonly string[];
    /** Changed inputs the program ignores (ignoreChanges). */
    readonly ignored: readonly string[];
    /** Resources that depend on this one (in the head; in the base for a removal). */
    readonly dependents: readonly string[];
}

export interface CostLine {
    readonly tier: string;
    readonly type: string;
    readonly baseCount: number;
    readonly headCount: number;
    readonly baseMonthly: number;
    readonly headMonthly: number;
    readonly delta: number;
}

export interface TierCost {
    readonly tier: string;
    readonly base: number;
    readonly head: number;
    readonly delta: number;
}

export interface CostDiff {
    readonly currency: string;
    readonly base: number;
    readonly head: number;
    readonly delta: number;
    readonly tiers: readonly TierCost[];
    /** Per tier and type, where the count or the cost moved; largest change first. */
    readonly drivers: readonly CostLine[];
    /** Why a side is not priced (its cost section's message), when it is not. */
    readonly unpriced: { readonly base?: string; readonly head?: string };
}

export interface PlanSide {
    readonly stack: string;
    readonly project: string;
    readonly resources: number;
    readonly components: number;
}

export interface PlanDiff {
    readonly base: PlanSide;
    readonly head: PlanSide;
    /** Custom resources that changed, sorted by kind then tier, type and name. */
    readonly changes: readonly ResourceChange[];
    /** Components (no inputs, bill nothing) that appear or go. */
    readonly components: { readonly added: readonly string[]; readonly removed: readonly string[] };
    readonly cost: CostDiff;
    readonly violations: { readonly added: readonly Violation[]; readonly resolved: readonly Violation[] };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const KIND_ORDER: Readonly<Record<ChangeKind, number>> = { rename: 0, replace: 1, remove: 2, update: 3, add: 4 };
const LEVEL_ORDER: Readonly<Record<string, number>> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON document held in a string input (IAM policies, container definitions), parsed; else undefined. */
function jsonIn(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** The leaf values under `value`, by path. */
function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
    if (Array.isArray(value) && value.length > 0) {
        value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
    } else if (isRecord(value) && Object.keys(value).length > 0) {
        for (const key of Object.keys(value).sort()) if (value[key] !== undefined) leaves(value[key], `${path}.${key}`, out);
    } else {
        out.set(path, value);
    }
}

/** What differs between two values of the input `key`, leaf by leaf (JSON held in strings is compared parsed). */
export function valueChanges(key: string, before: unknown, after: unknown): ValueChange[] {
    const parsedBefore = jsonIn(before);
    const parsedAfter = jsonIn(after);
    if (parsedBefore !== undefined && parsedAfter !== undefined) return valueChanges(`${key}(JSON)`, parsedBefore, parsedAfter);
    const a = new Map<string, unknown>();
    const b = new Map<string, unknown>();
    if (before !== undefined) leaves(before, key, a);
    if (after !== undefined) leaves(after, key, b);
    const paths = [...new Set([...a.keys(), ...b.keys()])].sort(byText);
    const changes: ValueChange[] = [];
    for (const path of paths) {
        const has = [a.has(path), b.has(path)];
        if (has[0] && has[1] && stableJson(a.get(path)) === stableJson(b.get(path))) continue;
        changes.push({ path, ...(has[0] ? { before: a.get(path) } : {}), ...(has[1] ? { after: b.get(path) } : {}) });
    }
    return changes;
}

/** Top-level inputs whose values differ, sorted. */
export function changedInputs(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byText);
    return keys.filter((key) => stableJson(before[key]) !== stableJson(after[key]));
}

/** The name a resource has in the cloud: its name-like input, else its `Name` tag, else its logical name. */
export function physicalName(resource: DeploymentResource): string {
    const inputs = resource.inputs;
    for (const key of ["name", "bucket", "family", "keyName", "namePrefix"]) {
        if (typeof inputs[key] === "string" && inputs[key] !== "") return inputs[key];
    }
    const tags = inputs.tags;
    if (isRecord(tags) && typeof tags.Name === "string") return tags.Name;
    return logicalName(resource.urn);
}

// ---------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------

/** URN → the URNs of the resources that depend on it. */
function dependentsOf(resources: readonly DeploymentResource[]): Map<string, string[]> {
    const dependents = new Map<string, string[]>();
    for (const resource of resources) {
        for (const dependency of resource.dependencies ?? []) {
            const list = dependents.get(dependency) ?? [];
            if (!list.includes(resource.urn)) list.push(resource.urn);
            dependents.set(dependency, list);
        }
    }
    for (const list of dependents.values()) list.sort(byText);
    return dependents;
}

function changeOf(
    kind: ChangeKind,
    resource: DeploymentResource,
    index: ResourceIndex,
    dependents: Map<string, string[]>,
    previous?: DeploymentResource,
): ResourceChange {
    const base = {
        kind,
        urn: resource.urn,
        type: resource.type,
        name: logicalName(resource.urn),
        tier: index.tierOf(resource),
        stateful: isStatefulType(resource.type),
        protect: (previous ?? resource).protect === true,
        dependents: dependents.get(resource.urn) ?? [],
    };
    if (!previous) return { ...base, inputs: [], values: [], reasons: [], ignored: [] };
    const inputs = changedInputs(previous.inputs, resource.inputs);
    const values = inputs.flatMap((key) => valueChanges(key, previous.inputs[key], resource.inputs[key]));
    const verdict = replacementOf(resource.type, previous.inputs, resource.inputs, inputs, resource.ignoreChanges);
    const replaced = kind === "rename" || verdict.verdict === "replace";
    return {
        ...base,
        kind: kind === "rename" ? "rename" : replaced ? "replace" : "update",
        ...(kind === "rename" ? { oldUrn: previous.urn } : {}),
        inputs,
        values,
        replacement: kind === "rename" ? "replace" : verdict.verdict,
        reasons: verdict.reasons,
        ignored: verdict.ignored,
    };
}

function compareChanges(a: ResourceChange, b: ResourceChange): number {
    return (
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || byText(a.tier, b.tier) || byText(a.type, b.type) || byText(a.name, b.name) || byText(a.urn, b.urn)
    );
}

function resourceChanges(base: PlanDocument, head: PlanDocument): Pick<PlanDiff, "changes" | "components"> {
    const baseResources = base.deployment.resources;
    const headResources = head.deployment.resources;
    const baseIndex = new ResourceIndex(baseResources);
    const headIndex = new ResourceIndex(headResources);
    const baseDependents = dependentsOf(baseResources);
    const headDependents = dependentsOf(headResources);

    const added = headResources.filter((resource) => !baseIndex.byUrn.has(resource.urn));
    const removed = baseResources.filter((resource) => !headIndex.byUrn.has(resource.urn));
    const components = {
        added: added.filter((resource) => !resource.custom).map((resource) => resource.urn),
        removed: removed.filter((resource) => !resource.custom).map((resource) => resource.urn),
    };

    // Renames: a URN that goes while one of the same type and physical name comes.
    const key = (resource: DeploymentResource) => `${resource.type}\u0000${physicalName(resource)}`;
    const comers = new Map<string, DeploymentResource[]>();
    for (const resource of [...added].filter((r) => r.custom).sort((a, b) => byText(a.urn, b.urn))) {
        const list = comers.get(key(resource)) ?? [];
        list.push(resource);
        comers.set(key(resource), list);
    }
    const renamed = new Map<string, DeploymentResource>(); // head URN → base resource
    for (const resource of [...removed].filter((r) => r.custom).sort((a, b) => byText(a.urn, b.urn))) {
        const match = comers.get(key(resource))?.shift();
        if (match) renamed.set(match.urn, resource);
    }
    const renamedFrom = new Set([...renamed.values()].map((resource) => resource.urn));

    const changes: ResourceChange[] = [];
    for (const resource of headResources) {
        if (!resource.custom) continue;
        const previous = baseIndex.byUrn.get(resource.urn);
        if (previous) {
            if (changedInputs(previous.inputs, resource.inputs).length > 0)
                changes.push(changeOf("update", resource, headIndex, headDependents, previous));
        } else if (renamed.has(resource.urn)) {
            changes.push(changeOf("rename", resource, headIndex, headDependents, renamed.get(resource.urn)));
        } else {
            changes.push(changeOf("add", resource, headIndex, headDependents));
        }
    }
    for (const resource of removed) {
        if (resource.custom && !renamedFrom.has(resource.urn)) changes.push(changeOf("remove", resource, baseIndex, baseDependents));
    }
    return { changes: changes.sort(compareChanges), components: { added: components.added.sort(byText), removed: components.removed.sort(byText) } };
}

// ---------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------

function tierOfItem(item: CostItem, index: ResourceIndex): string {
    const tier = (item as CostItem & { tier?: unknown }).tier;
    if (typeof tier === "string" && tier !== "") return tier;
    const resource = index.byUrn.get(item.urn);
    return resource ? index.tierOf(resource) : "platform";
}

function unpricedMessage(document: PlanDocument): string | undefined {
    if (document.cost.priced !== false) return undefined;
    return typeof document.cost.message === "string" ? document.cost.message : "cost: not priced";
}

export function costDiff(base: PlanDocument, head: PlanDocument): CostDiff {
    const lines = new Map<string, { tier: string; type: string; baseCount: number; headCount: number; baseMonthly: number; headMonthly: number }>();
    const add = (document: PlanDocument, side: "base" | "head") => {
        const index = new ResourceIndex(document.deployment.resources);
        for (const item of document.cost.items) {
            const tier = tierOfItem(item, index);
            const id = `${tier}\u0000${item.type}`;
            const line = lines.get(id) ?? { tier, type: item.type, baseCount: 0, headCount: 0, baseMonthly: 0, headMonthly: 0 };
            if (side === "base") {
                line.baseCount += 1;
                line.baseMonthly += item.monthly;
            } else {
                line.headCount += 1;
                line.headMonthly += item.monthly;
            }
            lines.set(id, line);
        }
    };
    add(base, "base");
    add(head, "head");
    const all: CostLine[] = [...lines.values()].map((line) => ({
        ...line,
        baseMonthly: round2(line.baseMonthly),
        headMonthly: round2(line.headMonthly),
        delta: round2(line.headMonthly - line.baseMonthly),
    }));
    const tiers = new Map<string, { base: number; head: number }>();
    for (const line of all) {
        const tier = tiers.get(line.tier) ?? { base: 0, head: 0 };
        tier.base += line.baseMonthly;
        tier.head += line.headMonthly;
        tiers.set(line.tier, tier);
    }
    const tierRows = [...tiers.entries()]
        .map(([tier, sums]) => ({ tier, base: round2(sums.base), head: round2(sums.head), delta: round2(sums.head - sums.base) }))
        .sort((a, b) => byText(a.tier, b.tier));
    const drivers = all
        .filter((line) => line.delta !== 0 || line.baseCount !== line.headCount)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || byText(a.tier, b.tier) || byText(a.type, b.type));
    const unpriced = {
        ...(unpricedMessage(base) ? { base: unpricedMessage(base) } : {}),
        ...(unpricedMessage(head) ? { head: unpricedMessage(head) } : {}),
    };
    return {
        currency: head.cost.currency ?? "USD",
        base: round2(base.cost.monthlyTotal),
        head: round2(head.cost.monthlyTotal),
        delta: round2(head.cost.monthlyTotal - base.cost.monthlyTotal),
        tiers: tierRows,
        drivers,
        unpriced,
    };
}

// ---------------------------------------------------------------------------
// Violations
// ---------------------------------------------------------------------------

/** A violation's identity: its policy and resource (its message, for a stack-level one). */
export function violationKey(violation: Violation): string {
    return `${violation.policy}\u0000${violation.urn ?? `\u0000${violation.message}`}`;
}

export function compareViolations(a: Violation, b: Violation): number {
    return (
        (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) ||
        byText(a.policy, b.policy) ||
        byText(a.urn ?? "", b.urn ?? "") ||
        byText(a.message, b.message)
    );
}

export function violationDiff(base: PlanDocument, head: PlanDocument): PlanDiff["violations"] {
    const baseKeys = new Set(base.violations.map(violationKey));
    const headKeys = new Set(head.violations.map(violationKey));
    const unique = (violations: readonly Violation[]) => [...new Map(violations.map((v) => [violationKey(v), v])).values()];
    return {
        added: unique(head.violations.filter((v) => !baseKeys.has(violationKey(v)))).sort(compareViolations),
        resolved: unique(base.violations.filter((v) => !headKeys.has(violationKey(v)))).sort(compareViolations),
    };
}

// ---------------------------------------------------------------------------

function side(document: PlanDocument): PlanSide {
    const custom = document.deployment.resources.filter((resource) => resource.custom).length;
    return { stack: document.stack, project: document.project, resources: custom, components: document.deployment.resources.length - custom };
}

/** Compares the head plan with the base plan. */
export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
    return {
        base: side(base),
        head: side(head),
        ...resourceChanges(base, head),
        cost: costDiff(base, head),
        violations: violationDiff(base, head),
    };
}
