import { DeploymentResource, logicalName } from "./deployment";

/**
 * Renders the plan as a tree of components, each listing its resources grouped
 * by type with counts, followed by a count per resource type.
 */

const MAX_NAMES = 3;

/** `aws:ec2/subnet:Subnet` → `ec2:Subnet`; `data-platform:network:Network` → `Network`. */
export function shortType(type: string): string {
    const [pkg, module = "", name = ""] = type.split(":");
    if (pkg === "aws" || pkg === "random" || pkg === "awsx") return `${module.split("/")[0]}:${name}`;
    return name || type;
}

interface Node {
    readonly resource: DeploymentResource;
    readonly children: DeploymentResource[];
}

export function renderTree(resources: readonly DeploymentResource[]): string {
    const nodes = new Map<string, Node>();
    for (const resource of resources) nodes.set(resource.urn, { resource, children: [] });
    const roots: DeploymentResource[] = [];
    for (const resource of resources) {
        const parent = resource.parent ? nodes.get(resource.parent) : undefined;
        if (parent) parent.children.push(resource);
        else roots.push(resource);
    }
    const lines: string[] = [];
    const walk = (resource: DeploymentResource, prefix: string, last: boolean, depth: number) => {
        const node = nodes.get(resource.urn)!;
        const branch = depth === 0 ? "" : last ? "└── " : "├── ";
        const total = countDescendants(node, nodes);
        lines.push(`${prefix}${branch}${logicalName(resource.urn)}  (${shortType(resource.type)}${total > 0 ? `, ${total} resources` : ""})`);
        const childPrefix = depth === 0 ? "" : prefix + (last ? "    " : "│   ");
        const components = node.children.filter((child) => !child.custom);
        const groups = groupByType(node.children.filter((child) => child.custom));
        const entries = [...groups.entries()];
        entries.forEach(([type, members], index) => {
            const isLast = index === entries.length - 1 && components.length === 0;
            const names = members.map((member) => logicalName(member.urn));
            const shown = names.slice(0, MAX_NAMES).join(", ") + (names.length > MAX_NAMES ? `, +${names.length - MAX_NAMES} more` : "");
            lines.push(`${childPrefix}${isLast ? "└── " : "├── "}${shortType(type)} ×${members.length}  ${shown}`);
        });
        components.forEach((child, index) => walk(child, childPrefix, index === components.length - 1, depth + 1));
    };
    roots.forEach((root) => walk(root, "", true, 0));
    return lines.join("\n");
}

function countDescendants(node: Node, nodes: Map<string, Node>): number {
    return node.children.reduce((sum, child) => sum + (child.custom ? 1 : 0) + countDescendants(nodes.get(child.urn)!, nodes), 0);
}

function groupByType(resources: readonly DeploymentResource[]): Map<string, DeploymentResource[]> {
    const groups = new Map<string, DeploymentResource[]>();
    for (const resource of resources) {
        const list = groups.get(resource.type) ?? [];
        list.push(resource);
        groups.set(resource.type, list);
    }
    return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export function renderTypeCounts(resources: readonly DeploymentResource[]): string {
    const counts = new Map<string, number>();
    for (const resource of resources.filter((r) => r.custom)) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    const rows = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const width = Math.max(...rows.map(([type]) => type.length), 4);
    return rows.map(([type, count]) => `  ${type.padEnd(width)}  ${String(count).padStart(3)}`).join("\n");
}
