import { DeploymentResource } from "../deployment";
import { displayName, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { Builder } from "./builder";
import { Links, isUnknown, known, valuesAt } from "./links";
import { instanceTypeOf, launchTemplateOf, nameOf, templateLine } from "./workloads";

/** EKS: the cluster (version, endpoint, add-ons, access) and its managed node groups. */

const EKS = [TYPE.eksCluster];

/** `v1.19.2-eksbuild.1` → `1.19.2`. */
function shortVersion(version: string | undefined): string {
    return (version ?? "").replace(/^v/, "").replace(/-eksbuild\.\d+$/, "");
}

function chunks(items: readonly string[], size: number): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

function endpointLine(cluster: DeploymentResource): string {
    if (isUnknown(cluster.inputs.vpcConfig)) return "endpoint: ?";
    const vpc = (cluster.inputs.vpcConfig ?? {}) as Record<string, unknown>;
    // AWS defaults: the public endpoint on (open to the world), the private one off.
    const privateOn = vpc.endpointPrivateAccess === true;
    const publicOn = vpc.endpointPublicAccess !== false;
    const cidrs = valuesAt(vpc, "publicAccessCidrs").map(known);
    const open = cidrs.length === 0 || cidrs.includes("0.0.0.0/0");
    const parts = [...(privateOn ? ["private"] : []), ...(publicOn ? [open ? "public (open)" : `public (${cidrs.length} CIDRs)`] : [])];
    return `endpoint: ${parts.length > 0 ? parts.join(" + ") : "none"}`;
}

/** The EKS cluster with its add-ons (one compact line per three), access entries and pod identities; its node groups. */
export function buildKubernetes(builder: Builder, links: Links): void {
    const { index } = links;
    const belongs = (types: readonly string[], cluster: DeploymentResource) =>
        types.flatMap((type) => index.ofType(type)).filter((r) => links.refs(r, "clusterName", EKS).includes(cluster));
    for (const cluster of index.ofType(TYPE.eksCluster)) {
        const addons = belongs([TYPE.eksAddon], cluster);
        const entries = belongs([TYPE.eksAccessEntry], cluster);
        const identities = belongs([TYPE.eksPodIdentityAssociation], cluster);
        builder.fold(...addons, ...entries, ...identities);
        const addonNames = addons
            .map((a) => `${stringInput(a, "addonName") ?? displayName(a)} ${shortVersion(stringInput(a, "addonVersion"))}`.trim())
            .sort();
        const version = stringInput(cluster, "version");
        const access = [
            ...(entries.length > 0 ? [`access entries: ${entries.length}`] : []),
            ...(identities.length > 0 ? [`pod identities: ${identities.length}`] : []),
        ];
        const id = builder.draw(cluster, "eks", [
            `EKS ${nameOf(cluster)}${version ? ` v${version}` : ""}`,
            endpointLine(cluster),
            ...chunks(addonNames, 3).map((chunk, i) => `${i === 0 ? "add-ons: " : ""}${chunk.join(", ")}`),
            ...(access.length > 0 ? [access.join(" · ")] : []),
        ]);
        for (const group of belongs([TYPE.eksNodeGroup], cluster)) {
            const template = launchTemplateOf(links, group);
            if (template) builder.fold(template);
            const scaling = "scalingConfig";
            const groupId = builder.draw(group, "nodes", [
                `node group ${known(group.inputs.nodeGroupName) ?? displayName(group)}`,
                `${stringInput(group, "capacityType") ?? "ON_DEMAND"} ${instanceTypeOf(links, group, template)} · ${numberInput(group, `${scaling}.minSize`, 0)}–${numberInput(group, `${scaling}.maxSize`, 0)} (desired ${numberInput(group, `${scaling}.desiredSize`, 0)})`,
                ...templateLine(template),
            ]);
            builder.edge(id, groupId, "nodes", "uses");
        }
    }
}
