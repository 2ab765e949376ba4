import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { Firewall } from "./firewall";
import { Network } from "./network";
import { Naming, componentType } from "./tags";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: StackConfig;
}

/**
 * The whole platform: builds the tiers the stack enables, in dependency order.
 * Each tier is a ComponentResource of its own; this class only wires them.
 */
export class Platform extends pulumi.ComponentResource {
    readonly naming: Naming;
    readonly network: Network;
    readonly firewall: Firewall;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("platform", "Platform"), name, {}, opts);
        const { config } = args;
        const naming = new Naming(config.environment);
        this.naming = naming;
        const parent = { parent: this };

        this.network = new Network(`${name}-network`, {
            naming,
            config: config.network,
            region: config.region,
        }, parent);

        this.firewall = new Firewall(`${name}-firewall`, {
            naming,
            vpcId: this.network.vpcId,
            adminCidrs: config.access.adminCidrs,
            sshEnabled: config.access.sshPublicKey !== undefined,
        }, parent);

        this.registerOutputs({});
    }
}
