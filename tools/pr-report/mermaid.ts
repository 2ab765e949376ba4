import { ResourceIndex } from "../cost/resources";
import { DeploymentResource, PlanDocument, logicalName } from "../deployment";
import { ChangeKind, PlanDiff } from "./diff";

/**
 * A Mermaid flowchart of the changed part of the graph: every added, changed and removed resource
 * and its direct neighbours (what it depends on and what depends on it), grouped by tier, the
 * changes highlighted by class. Arrows point from a dependency to its dependent. Deterministic:
 * nodes are numbered in URN order, everything is sorted.
 */

export const MAX_CHANGED_NODES = 60;
export const MAX_NODES = 120;

type NodeClass = "added" | "removed" | "changed" | "replaced" | "context";

const CLASS_OF: Readonly<Record<ChangeKind, NodeClass>> = {
    add: "added",
    remove: "removed",
    update: "changed",
    replace: "replaced",
    rename: "replaced",
};

const CLASS_DEFS: Readonly<Record<NodeClass, string>> = {
    added: "fill:#dafbe1,stroke:#1a7f37,color:#1a7f37",
    changed: "fill:#fff8c5,stroke:#9a6700,color:#7d4e00",
    replaced: "fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#a40e26",
    removed: "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:5 5,color:#a40e26",
    context: "fill:#f6f8fa,stroke:#8c959f,color:#57606a",
};

const WHAT: Readonly<Record<ChangeKind, string>> = {
    add: "added",
    remove: "removed",
    update: "changed",
    replace: "replaced",
    rename: "renamed: replaced",
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function text(value: string): string {
    return value.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/** `aws:ec2/subnet:Subnet` → `ec2/subnet`. */
function shortType(type: string): string {
    const match = /^[^:]+:([^:]+):/.exec(type);
    return match ? match[1] : type;
}

export interface ChangeDiagram {
    readonly mermaid: string;
    /** Changed resources left out to keep the diagram readable. */
    readonly omittedChanges: number;
    /** Neighbours left out for the same reason. */
    readonly omittedNeighbours: number;
}

/** The diagram of `diff` (computed from `base` and `head`); undefined when no resource changed. */
export function changeDiagram(base: PlanDocument, head: PlanDocument, diff: PlanDiff): ChangeDiagram | undefined {
    if (diff.changes.length === 0) return undefined;
    const headIndex = new ResourceIndex(head.deployment.resources);
    const baseIndex = new ResourceIndex(base.deployment.resources);
    const drawn = diff.changes.slice(0, MAX_CHANGED_NODES);
    const state = new Map<string, NodeClass>();
    const labels = new Map<string, string>();
    for (const change of drawn) {
        state.set(change.urn, CLASS_OF[change.kind]);
        const from = change.oldUrn ? ` from ${logicalName(change.oldUrn)}` : "";
        labels.set(change.urn, `${WHAT[change.kind]}${from}`);
    }

    // Where each node lives: the head, or the base for what the head no longer has.
    const resourceOf = (urn: string): DeploymentResource | undefined => headIndex.byUrn.get(urn) ?? baseIndex.byUrn.get(urn);
    const sideOf = (urn: string) => (state.get(urn) === "removed" ? baseIndex : headIndex);
    const dependents = new Map<string, Set<string>>();
    for (const index of [headIndex, baseIndex]) {
        for (const resource of index.resources) {
            for (const dependency of resource.dependencies ?? []) {
                const set = dependents.get(dependency) ?? new Set<string>();
                set.add(resource.urn);
                dependents.set(dependency, set);
            }
        }
    }

    const edges = new Set<string>(); // "from\u0000to\u0000dashed"
    const neighbours = new Set<string>();
    const isCustom = (urn: string) => resourceOf(urn)?.custom === true;
    for (const change of drawn) {
        const index = sideOf(change.urn);
        const resource = index.byUrn.get(change.urn);
        const dashed = change.kind === "remove" ? "1" : "0";
        for (const dependency of resource?.dependencies ?? []) {
            if (!isCustom(dependency) || dependency === change.urn) continue;
            neighbours.add(dependency);
            edges.add(`${dependency}\u0000${change.urn}\u0000${dashed}`);
        }
        for (const dependent of [...(dependents.get(change.urn) ?? [])]) {
            if (!isCustom(dependent) || dependent === change.urn) continue;
            // A removed resource's dependents are the base's; a present one's, the head's.
            if (!index.byUrn.get(dependent)?.dependencies.includes(change.urn)) continue;
            neighbours.add(dependent);
            edges.add(`${change.urn}\u0000${dependent}\u0000${dashed}`);
        }
    }
    const context = [...neighbours].filter((urn) => !state.has(urn)).sort(byText);
    const room = Math.max(0, MAX_NODES - state.size);
    const keptContext = context.slice(0, room);
    for (const urn of keptContext) state.set(urn, "context");

    const urns = [...state.keys()].sort(byText);
    const ids = new Map(urns.map((urn, i) => [urn, `r${i}`]));
    const tiers = new Map<string, string[]>();
    for (const urn of urns) {
        const resource = resourceOf(urn);
        const tier = resource ? (headIndex.byUrn.has(urn) ? headIndex : baseIndex).tierOf(resource) : "platform";
        const list = tiers.get(tier) ?? [];
        list.push(urn);
        tiers.set(tier, list);
    }

    const out = ["flowchart LR"];
    for (const tier of [...tiers.keys()].sort(byText)) {
        out.push(`    subgraph tier_${tier.replace(/[^A-Za-z0-9_]/g, "_")}["${text(tier)}"]`);
        for (const urn of tiers.get(tier) ?? []) {
            const resource = resourceOf(urn);
            const lines = [logicalName(urn), resource ? shortType(resource.type) : "", ...(labels.has(urn) ? [labels.get(urn) ?? ""] : [])];
            out.push(
                `        ${ids.get(urn)}["${lines
                    .filter((line) => line !== "")
                    .map(text)
                    .join("<br/>")}"]`,
            );
        }
        out.push("    end");
    }
    const edgeLines = [...edges]
        .map((edge) => edge.split("\u0000"))
        .filter(([from, to]) => ids.has(from) && ids.has(to))
        .map(([from, to, dashed]) => `    ${ids.get(from)} ${dashed === "1" ? "-.->" : "-->"} ${ids.get(to)}`)
        .sort(byText);
    out.push(...[...new Set(edgeLines)]);
    for (const name of Object.keys(CLASS_DEFS) as NodeClass[]) out.push(`    classDef ${name} ${CLASS_DEFS[name]}`);
    for (const name of Object.keys(CLASS_DEFS) as NodeClass[]) {
        const members = urns.filter((urn) => state.get(urn) === name).map((urn) => ids.get(urn));
        if (members.length > 0) out.push(`    class ${members.join(",")} ${name}`);
    }
    return {
        mermaid: `${out.join("\n")}\n`,
        omittedChanges: diff.changes.length - drawn.length,
        omittedNeighbours: context.length - keptContext.length,
    };
}
