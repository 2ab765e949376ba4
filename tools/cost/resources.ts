import { DeploymentResource, logicalName as logicalNameOf } from "../deployment";

/**
 * Read-only helpers over plan resources shared by the cost estimator and the
 * diagram: name, tier, lookups by id/ARN, and typed access to inputs.
 */

const COMPONENT_PREFIX = "data-platform:";

/** Logical name: the last `::` segment of the URN. */
export function logicalName(resource: DeploymentResource): string {
    return logicalNameOf(resource.urn);
}

/** The `Name` tag when the resource has one, else its logical name. */
export function displayName(resource: DeploymentResource): string {
    const tags = resource.inputs.tags as Record<string, unknown> | undefined;
    return typeof tags?.Name === "string" ? tags.Name : logicalName(resource);
}

/**
 * Names a usage map can match: the `Name` tag, else the logical name (logical
 * names carry the component's name, e.g. `dev-data-lake-access-logs`, so they
 * would match too broadly when a tag exists).
 */
export function matchNames(resource: DeploymentResource): string[] {
    return [displayName(resource)];
}

/** Tier of a component type token `data-platform:<tier>:<Name>`, or undefined. */
export function componentTier(type: string): string | undefined {
    if (!type.startsWith(COMPONENT_PREFIX)) return undefined;
    return type.split(":")[1];
}

export class ResourceIndex {
    readonly byUrn = new Map<string, DeploymentResource>();
    private readonly byRef = new Map<string, DeploymentResource>();

    constructor(readonly resources: readonly DeploymentResource[]) {
        for (const resource of resources) {
            this.byUrn.set(resource.urn, resource);
            for (const key of ["id", "arn", "name"] as const) {
                const value = key === "id" ? resource.id : resource.outputs[key];
                // names are only unique enough for ids and ARNs; keep the first for names
                if (typeof value === "string" && value !== "" && !(key === "name" && this.byRef.has(value))) this.byRef.set(value, resource);
            }
        }
    }

    /** The resource whose id, ARN or name is `ref`. */
    resolve(ref: unknown): DeploymentResource | undefined {
        return typeof ref === "string" ? this.byRef.get(ref) : undefined;
    }

    ofType(type: string): DeploymentResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    /**
     * The tier a resource belongs to: the nearest enclosing component other
     * than the platform itself ("platform" when there is none).
     */
    tierOf(resource: DeploymentResource): string {
        let current: DeploymentResource | undefined = resource;
        while (current) {
            const tier = componentTier(current.type);
            if (tier && tier !== "platform") return tier;
            current = current.parent ? this.byUrn.get(current.parent) : undefined;
        }
        return "platform";
    }

    /** Tiers with a component in the plan, sorted. */
    tiers(): string[] {
        const tiers = new Set<string>();
        for (const resource of this.resources) {
            const tier = componentTier(resource.type);
            if (tier && tier !== "platform") tiers.add(tier);
        }
        return [...tiers].sort();
    }
}

// ---------------------------------------------------------------------------
// Input access
// ---------------------------------------------------------------------------

export function input(resource: DeploymentResource, path: string): unknown {
    let value: unknown = resource.inputs;
    for (const part of path.split(".")) {
        if (value === null || typeof value !== "object") return undefined;
        value = Array.isArray(value) ? value[Number(part)] : (value as Record<string, unknown>)[part];
    }
    return value;
}

export function numberInput(resource: DeploymentResource, path: string, fallback: number): number {
    const value = input(resource, path);
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return fallback;
}

export function stringInput(resource: DeploymentResource, path: string): string | undefined {
    const value = input(resource, path);
    return typeof value === "string" ? value : undefined;
}

export function boolInput(resource: DeploymentResource, path: string): boolean | undefined {
    const value = input(resource, path);
    return typeof value === "boolean" ? value : undefined;
}

export function listInput(resource: DeploymentResource, path: string): unknown[] {
    const value = input(resource, path);
    return Array.isArray(value) ? value : [];
}
