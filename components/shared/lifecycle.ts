import * as pulumi from "@pulumi/pulumi";

type DependsOn = pulumi.ResourceOptions["dependsOn"];

/**
 * Options for a component's children: parented to the component and waiting for whatever the
 * component itself was told to wait for. Pulumi does not pass a component's `dependsOn` down, so
 * without this a child (a Glue job, an ECS service) could be created before the role policies it
 * needs exist. `extra` adds the child's own options; its `dependsOn` is merged, not replaced.
 */
export function childOptions(
    parent: pulumi.ComponentResource,
    componentOpts: pulumi.ComponentResourceOptions | undefined,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    const dependsOn = [...asList(componentOpts?.dependsOn), ...asList(extra.dependsOn)];
    return dependsOn.length > 0 ? { ...extra, parent, dependsOn } : { ...extra, parent };
}

function asList(value: DependsOn): pulumi.Input<pulumi.Resource>[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    if (pulumi.Resource.isInstance(value)) return [value];
    throw new Error("dependsOn must be a resource or a list of resources here (not an Output or Promise of a list)");
}
