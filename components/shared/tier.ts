import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./lifecycle";

/**
 * The base of every tier's ComponentResource. `child()` gives the options for a child resource:
 * parented to the tier and waiting for what the tier itself was told to wait for (see childOptions).
 * Each tier ends its constructor with `registerOutputs`.
 */
export abstract class TierComponent extends pulumi.ComponentResource {
    private readonly componentOpts?: pulumi.ComponentResourceOptions;

    protected constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.componentOpts = opts;
    }

    /** Options for a child resource; `extra` adds its own (its `dependsOn` is merged with the tier's). */
    protected child(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        return childOptions(this, this.componentOpts, extra);
    }
}
