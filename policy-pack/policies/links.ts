import { StackResource } from "./rules";
import { UNKNOWN, Unknown, at } from "./values";

/**
 * How stack rules tell which resource a sub-resource belongs to (which bucket an
 * SSE configuration encrypts, which VPC a flow log watches). The engine gives
 * property dependencies even while ids are unknown, so they decide first; then
 * the property's value is compared with the target's identifiers; a plain
 * dependency decides last.
 */
export function refersTo(child: StackResource, property: string, target: StackResource, targetIdentifiers: readonly string[]): boolean | Unknown {
    const byProperty = child.propertyDependencies[property];
    if (byProperty && byProperty.length > 0) return byProperty.some((dependency) => dependency.urn === target.urn);

    const value = at(child.props, property);
    if (typeof value === "string") {
        let targetUnknown = false;
        for (const key of targetIdentifiers) {
            const identifier = at(target.props, key);
            if (identifier === value) return true;
            if (identifier === UNKNOWN) targetUnknown = true;
        }
        if (child.dependencies.some((dependency) => dependency.urn === target.urn)) return true;
        return targetUnknown ? UNKNOWN : false;
    }
    if (child.dependencies.some((dependency) => dependency.urn === target.urn)) return true;
    return value === undefined ? false : UNKNOWN;
}

/** Children (of the given types) that refer to `target` through `property`: definite ones and possible ones. */
export function childrenOf(
    resources: readonly StackResource[],
    childTypes: readonly string[],
    property: string,
    target: StackResource,
    targetIdentifiers: readonly string[],
): { definite: StackResource[]; possible: StackResource[] } {
    const definite: StackResource[] = [];
    const possible: StackResource[] = [];
    for (const resource of resources) {
        if (!childTypes.includes(resource.type)) continue;
        const link = refersTo(resource, property, target, targetIdentifiers);
        if (link === true) definite.push(resource);
        else if (link === UNKNOWN) possible.push(resource);
    }
    return { definite, possible };
}

export const BUCKET_IDENTIFIERS = ["id", "bucket", "arn"] as const;
export const ID_ONLY = ["id"] as const;
