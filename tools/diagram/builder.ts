import { DeploymentResource, logicalName } from "../deployment";
import { ResourceIndex } from "../cost/resources";

/** The diagram as data; renderers (Mermaid, Graphviz) only draw it. */

export interface DiagramNode {
    readonly id: string;
    readonly lines: readonly string[];
    readonly shape: "box" | "round" | "cylinder" | "circle";
}

export interface DiagramGroup {
    readonly id: string;
    readonly label: string;
    readonly nodes: DiagramNode[];
    readonly groups: DiagramGroup[];
}

/** `traffic`: network flow; `data`: data read or written; `uses`: configuration and control; `notify`: alerts. */
export type EdgeKind = "traffic" | "data" | "uses" | "notify";

export interface DiagramEdge {
    readonly from: string;
    readonly to: string;
    readonly label: string;
    readonly kind: EdgeKind;
}

export interface Diagram {
    /** Nodes outside every tier (internet, admin CIDRs, alert recipients). */
    readonly outside: DiagramNode[];
    /** One group per tier, id `tier_<tier>`, sorted by tier name. */
    readonly tiers: DiagramGroup[];
    readonly edges: DiagramEdge[];
}

/** Stable Mermaid/DOT-safe id from a logical name. */
export function nodeId(prefix: string, name: string): string {
    return `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, "_")}`;
}

export class Builder {
    private readonly tierGroups = new Map<string, DiagramGroup>();
    private readonly drawnIds = new Map<string, string>(); // urn → node id
    /** Resources a node stands for without being drawn themselves (listeners, add-ons, alarms...): left out of the summaries. */
    private readonly folded = new Set<string>();
    readonly outside: DiagramNode[] = [];
    readonly edges: DiagramEdge[] = [];

    constructor(private readonly index: ResourceIndex) {
        for (const tier of index.tiers()) this.tierGroups.set(tier, { id: `tier_${tier.replace(/-/g, "_")}`, label: tier, nodes: [], groups: [] });
    }

    tierGroup(resource: DeploymentResource): DiagramGroup {
        const tier = this.index.tierOf(resource);
        let group = this.tierGroups.get(tier);
        if (!group) {
            group = { id: `tier_${tier.replace(/-/g, "_")}`, label: tier, nodes: [], groups: [] };
            this.tierGroups.set(tier, group);
        }
        return group;
    }

    idOf(resource: DeploymentResource): string | undefined {
        return this.drawnIds.get(resource.urn);
    }

    add(group: DiagramGroup, resource: DeploymentResource, prefix: string, lines: string[], shape: DiagramNode["shape"] = "box"): string {
        const id = nodeId(prefix, logicalName(resource.urn));
        group.nodes.push({ id, lines, shape });
        this.drawnIds.set(resource.urn, id);
        return id;
    }

    /** Draws `resource` in its tier's group. */
    draw(resource: DeploymentResource, prefix: string, lines: string[], shape: DiagramNode["shape"] = "box"): string {
        return this.add(this.tierGroup(resource), resource, prefix, lines, shape);
    }

    /** One node standing for several resources (e.g. "12 alarms"), in the first one's tier. */
    drawMany(resources: readonly DeploymentResource[], id: string, lines: string[], shape: DiagramNode["shape"] = "box"): string {
        this.tierGroup(resources[0]).nodes.push({ id, lines, shape });
        for (const resource of resources) this.drawnIds.set(resource.urn, id);
        return id;
    }

    fold(...resources: readonly DeploymentResource[]): void {
        for (const resource of resources) this.folded.add(resource.urn);
    }

    /** Drawn as a node or folded into one. */
    represents(resource: DeploymentResource): boolean {
        return this.drawnIds.has(resource.urn) || this.folded.has(resource.urn);
    }

    outsideNode(id: string, lines: string[], shape: DiagramNode["shape"]): string {
        if (!this.outside.some((node) => node.id === id)) this.outside.push({ id, lines, shape });
        return id;
    }

    internet(): string {
        return this.outsideNode("internet", ["Internet"], "circle");
    }

    edge(from: string, to: string, label: string, kind: EdgeKind): void {
        if (!this.edges.some((e) => e.from === from && e.to === to && e.label === label)) this.edges.push({ from, to, label, kind });
    }

    result(): Diagram {
        const sortGroup = (group: DiagramGroup): void => {
            group.nodes.sort((a, b) => a.id.localeCompare(b.id));
            group.groups.sort((a, b) => a.id.localeCompare(b.id));
            group.groups.forEach(sortGroup);
        };
        const tiers = [...this.tierGroups.values()].sort((a, b) => a.label.localeCompare(b.label));
        tiers.forEach(sortGroup);
        this.outside.sort((a, b) => a.id.localeCompare(b.id));
        const edges = [...this.edges].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.label.localeCompare(b.label));
        return { outside: this.outside, tiers, edges };
    }
}
