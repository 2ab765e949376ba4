import { StackResource } from "./rules";
import { UNKNOWN, Unknown, at, isOpaque } from "./values";

/**
 * How stack rules tell which resource a sub-resource belongs to (which bucket an
 * SSE configuration encrypts, which VPC a flow log watches).
 *
 * Real values decide first: when the child's property and the target's
 * identifiers are both known, they are compared and nothing else is trusted.
 * Property dependencies are only a fallback for values not known yet (during a
 * preview), because they are transitive: a value computed from several outputs
 * (`pulumi.all([cluster, vpc]).apply(...)`) depends on every one of them, so a
 * security-group id built from an EKS cluster's outputs lists the VPC too
 * without being the VPC's default security group. A property dependency alone
 * therefore links only when it names the target and no other resource of the
 * target's type; otherwise the link is unknown. A plain dependency decides last.
 */
export function refersTo(child: StackResource, property: string, target: StackResource, targetIdentifiers: readonly string[]): boolean | Unknown {
    const value = at(child.props, property);
    const identifiers = targetIdentifiers.map((key) => at(target.props, key));
    const known = identifiers.filter((identifier): identifier is string => typeof identifier === "string" && identifier !== "");
    if (typeof value === "string") {
        if (known.includes(value)) return true;
        // Both sides known and different: the real ids decide, whatever the dependencies say.
        if (known.length > 0 && !identifiers.some(isOpaque)) return false;
    }

    const byProperty = child.propertyDependencies[property];
    if (byProperty && byProperty.length > 0) {
        if (!byProperty.some((dependency) => dependency.urn === target.urn)) return false;
        const rivals = byProperty.filter((dependency) => dependency.urn !== target.urn && dependency.type === target.type);
        return rivals.length === 0 ? true : UNKNOWN;
    }

    if (child.dependencies.some((dependency) => dependency.urn === target.urn)) return true;
    if (value === undefined || value === null) return false;
    if (typeof value === "string") return identifiers.some(isOpaque) ? UNKNOWN : false;
    return UNKNOWN;
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
