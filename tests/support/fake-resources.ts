import { DeploymentResource, logicalName } from "../../tools/deployment";
import { StackInput } from "../../tools/policy-runner";

/**
 * The one builder of hand-made resources for tests: `pulumi stack export`-shaped
 * resources (what the plan document, the cost estimate, the diagram and the offline
 * policy runner read) and the policy-resource view of them that the rules see.
 */

/** Anything with a URN, or the URN itself (for parents and dependencies). */
export type UrnRef = string | { readonly urn: string };

export interface FakeOptions {
    /** Logical name; defaults to a fresh `r<n>`. */
    readonly name?: string;
    /** Stack and project of the URN (defaults `test`, `data-platform`). */
    readonly stack?: string;
    readonly project?: string;
    /** Defaults to `<name>-id` for a custom resource; components get none. */
    readonly id?: string;
    /** Defaults to true unless the type is a component token (`data-platform:...`). */
    readonly custom?: boolean;
    readonly parent?: UrnRef;
    /**
     * Outputs merged over the inputs (a cloud echoes what it was sent); pass `echoInputs: false`
     * for outputs that are exactly these.
     */
    readonly outputs?: Record<string, unknown>;
    readonly echoInputs?: boolean;
    readonly dependsOn?: readonly UrnRef[];
    /** Input property → the resources it was computed from (also added to `dependencies`). */
    readonly propertyDependencies?: Readonly<Record<string, readonly UrnRef[]>>;
    readonly protect?: boolean;
}

let serial = 0;

const urnOfRef = (ref: UrnRef): string => (typeof ref === "string" ? ref : ref.urn);

/** `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function fakeUrn(type: string, name: string, options: Pick<FakeOptions, "stack" | "project"> = {}): string {
    return `urn:pulumi:${options.stack ?? "test"}::${options.project ?? "data-platform"}::${type}::${name}`;
}

/** A resource as `pulumi stack export` (and the plan document's `deployment.resources`) holds it. */
export function fakeResource(type: string, inputs: Record<string, unknown> = {}, options: FakeOptions = {}): DeploymentResource {
    const name = options.name ?? `r${++serial}`;
    const custom = options.custom ?? !type.startsWith("data-platform:");
    const id = options.id ?? (custom ? `${name}-id` : undefined);
    const propertyDependencies = Object.fromEntries(
        Object.entries(options.propertyDependencies ?? {}).map(([key, refs]) => [key, refs.map(urnOfRef)]),
    );
    const dependencies = [...new Set([...(options.dependsOn ?? []).map(urnOfRef), ...Object.values(propertyDependencies).flat()])];
    return {
        urn: fakeUrn(type, name, options),
        type,
        custom,
        ...(id ? { id } : {}),
        ...(options.parent ? { parent: urnOfRef(options.parent) } : {}),
        ...(options.protect ? { protect: true } : {}),
        inputs,
        outputs: options.echoInputs === false ? { ...(options.outputs ?? {}) } : { ...inputs, ...(options.outputs ?? {}) },
        dependencies,
        ...(options.propertyDependencies ? { propertyDependencies } : {}),
    };
}

/** The view of a resource the pack's rules validate (`props` are its inputs). */
export function asStackInput(resource: DeploymentResource): StackInput {
    return {
        type: resource.type,
        name: logicalName(resource.urn),
        urn: resource.urn,
        props: resource.inputs,
        dependencies: [...resource.dependencies],
        propertyDependencies: resource.propertyDependencies ?? {},
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

/** A resource as a policy sees it, built directly: `fakeResource` then `asStackInput`. */
export function fakeStackInput(type: string, props: Record<string, unknown> = {}, options: FakeOptions = {}): StackInput {
    return asStackInput(fakeResource(type, props, options));
}
