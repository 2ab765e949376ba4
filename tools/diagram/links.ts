import { DeploymentResource, SECRET_MARKER } from "../deployment";
import { ResourceIndex } from "../cost/resources";

/**
 * How one plan resource refers to another. An input holds the other's id, ARN or name when the value is
 * known (a mock run, a `pulumi stack export`); when it is not (unknown in a preview, `[secret]`, computed
 * from several outputs) the engine's `propertyDependencies` still name the resources the property was
 * computed from. `Links.refs` reads the value first and falls back to those dependencies, always
 * filtered by the types the property can point at, so neither a missing value nor a name shared by two
 * resources of different types draws a wrong edge.
 */

/** Pulumi's marker for a value not known yet, as a string (previews, exports) and as the runtime's object. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return (
        value === UNKNOWN_STRING ||
        value === SECRET_MARKER ||
        (typeof value === "object" && value !== null && (value as Record<string, unknown>).__pulumiUnknown === true)
    );
}

/** A readable string, or undefined for unknown, secret and non-string values. */
export function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/**
 * The values at a dotted path, mapping over arrays on the way (`loadBalancers.targetGroupArn` reads every
 * element's `targetGroupArn`; a numeric part indexes). An unknown met on the way is returned as itself.
 */
export function valuesAt(value: unknown, path: string): unknown[] {
    const walk = (current: unknown, parts: readonly string[]): unknown[] => {
        if (current === undefined || current === null) return [];
        if (isUnknown(current)) return [current];
        if (Array.isArray(current) && !(parts.length > 0 && /^\d+$/.test(parts[0]))) return current.flatMap((item) => walk(item, parts));
        if (parts.length === 0) return [current];
        if (typeof current !== "object") return [];
        return walk((current as Record<string, unknown>)[parts[0]], parts.slice(1));
    };
    return walk(value, path === "" ? [] : path.split("."));
}

/** Attribute names an input may use to point at a resource, beyond its id. */
const KEYS = ["arn", "name", "dnsName", "bucket"] as const;

export class Links {
    private readonly byType = new Map<string, Map<string, DeploymentResource>>();

    constructor(readonly index: ResourceIndex) {}

    private lookup(type: string): Map<string, DeploymentResource> {
        let map = this.byType.get(type);
        if (!map) {
            map = new Map();
            for (const resource of this.index.ofType(type)) {
                for (const value of [resource.id, ...KEYS.map((key) => resource.outputs[key])]) {
                    const ref = known(value);
                    if (ref && ref !== "" && !map.has(ref)) map.set(ref, resource);
                }
            }
            this.byType.set(type, map);
        }
        return map;
    }

    /** The resource of one of `types` whose id, ARN, name (or DNS name, bucket name) is `ref`. */
    find(ref: unknown, types: readonly string[]): DeploymentResource | undefined {
        const value = known(ref);
        if (value === undefined) return undefined;
        for (const type of types) {
            const found = this.lookup(type).get(value);
            if (found) return found;
        }
        return undefined;
    }

    /**
     * The resources of `types` the input at `path` refers to. A value that does not resolve (unknown,
     * secret, or a string no resource of those types has) makes the property's recorded dependencies count.
     */
    refs(resource: DeploymentResource, path: string, types: readonly string[]): DeploymentResource[] {
        const found: DeploymentResource[] = [];
        let unresolved = false;
        for (const value of valuesAt(resource.inputs, path)) {
            const target = this.find(value, types);
            if (target) found.push(target);
            else unresolved = true;
        }
        if (unresolved) found.push(...this.dependencies(resource, path.split(".")[0], types));
        return unique(found);
    }

    /** The first resource `refs` finds, or undefined. */
    ref(resource: DeploymentResource, path: string, types: readonly string[]): DeploymentResource | undefined {
        return this.refs(resource, path, types)[0];
    }

    /**
     * The resources of `types` a property was computed from (its `propertyDependencies`; all of the
     * resource's `dependencies` when the plan has no per-property record).
     */
    dependencies(resource: DeploymentResource, property: string, types: readonly string[]): DeploymentResource[] {
        const urns = resource.propertyDependencies ? (resource.propertyDependencies[property] ?? []) : resource.dependencies;
        return unique(urns.map((urn) => this.index.byUrn.get(urn)).filter((r): r is DeploymentResource => r !== undefined && types.includes(r.type)));
    }

    /** Resources of `types` whose input at `path` refers to `target`. */
    referrers(target: DeploymentResource, types: readonly string[], path: string, targetTypes: readonly string[]): DeploymentResource[] {
        return types.flatMap((type) => this.index.ofType(type)).filter((r) => this.refs(r, path, targetTypes).includes(target));
    }
}

export function unique(resources: readonly DeploymentResource[]): DeploymentResource[] {
    return [...new Map(resources.map((r) => [r.urn, r])).values()];
}
