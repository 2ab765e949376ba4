import * as pulumi from "@pulumi/pulumi";
import { ownSecretStatements } from "../secrets/secrets";
import { HostTierArgs, buildHost } from "../shared/host/host";
import { EmbeddedFile, readAsset, renderUserData } from "../shared/host/user-data";
import { OS_RESERVE_MIB, instanceTypeSpec } from "../shared/instance-types";
import { PORTS } from "../shared/ports";
import { componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

/**
 * Tool versions of the Kubernetes host, pinned with the vendors' published sha256:
 * minikube and kubectl (release checksums), Helm (the `.sha256sum` of the tarball).
 * The ArgoCD CLI is pinned by version and checked at boot against `cli_checksums.txt`
 * of the same release (no checksum recorded here); the chart is pinned by version.
 * minikube 1.37.0 defaults to Kubernetes v1.34.0; kubectl stays on that minor.
 */
export const KUBERNETES_TOOLS = {
    minikube: { version: "v1.37.0", sha256: "d5cf561c71171152ff67d799f041ac0f65c235c87a1e9fc02a6a17b8226214d0" },
    kubernetes: { version: "v1.34.0" },
    kubectl: { version: "v1.34.1", sha256: "7721f265e18709862655affba5343e85e1980639395d5754473dafaadcaa69e3" },
    helm: { version: "v3.19.0", sha256: "a7f81ce08007091b86d8bd696eb4d86b8d0f2e1b9f6c714be62f82f96a594496" },
    /** Chart argo-cd 8.5.0 ships ArgoCD v3.1.5; the CLI matches the server. */
    argocd: { version: "v3.1.5", chartVersion: "8.5.0" },
} as const;

/** The NodePort ArgoCD's server listens on, forwarded from the same port of the host. */
export const ARGOCD_NODE_PORT = PORTS.argocd.from;

export interface KubernetesHostArgs extends HostTierArgs {
    /** The ArgoCD secret (`{username, password, url?}`); the only secret the host may read. */
    readonly argocdSecretArn: pulumi.Input<string>;
}

export interface MinikubeSize {
    readonly cpus: number;
    readonly memoryMiB: number;
}

/** minikube gets every vCPU and the instance's memory minus the OS reserve. */
export function minikubeSize(instanceType: string): MinikubeSize {
    const spec = instanceTypeSpec(instanceType);
    if (!spec) throw new Error(`unknown instance type ${instanceType} (config validation should have refused it)`);
    return { cpus: spec.vcpus, memoryMiB: spec.memoryMiB - OS_RESERVE_MIB };
}

export interface KubernetesUserDataParams {
    readonly region: string;
    readonly argocdSecretArn: string;
    readonly instanceType: string;
}

/** The Kubernetes host's user data (no secret: the password is read at boot). */
export function renderKubernetesUserData(params: KubernetesUserDataParams): string {
    const size = minikubeSize(params.instanceType);
    const tools = KUBERNETES_TOOLS;
    const files: EmbeddedFile[] = [
        {
            path: "/etc/data-platform/minikube.env",
            mode: "0644",
            owner: "root:root",
            content: [
                `MINIKUBE_CPUS=${size.cpus}`,
                `MINIKUBE_MEMORY_MIB=${size.memoryMiB}`,
                `KUBERNETES_VERSION=${tools.kubernetes.version}`,
                `ARGOCD_NODE_PORT=${ARGOCD_NODE_PORT}`,
                "",
            ].join("\n"),
        },
        { path: "/etc/systemd/system/minikube.service", mode: "0644", owner: "root:root", content: readAsset("kubernetes/minikube.service") },
        {
            path: "/etc/systemd/system/argocd-port-forward.service",
            mode: "0644",
            owner: "root:root",
            content: readAsset("kubernetes/argocd-port-forward.service"),
        },
        { path: "/usr/local/bin/argocd-port-forward", mode: "0755", owner: "root:root", content: readAsset("kubernetes/argocd-port-forward.sh") },
    ];
    return renderUserData({
        script: "kubernetes.sh",
        parameters: {
            AWS_REGION: params.region,
            ARGOCD_SECRET_ARN: params.argocdSecretArn,
            ARGOCD_NODE_PORT: ARGOCD_NODE_PORT,
            MINIKUBE_VERSION: tools.minikube.version,
            MINIKUBE_SHA256: tools.minikube.sha256,
            KUBECTL_VERSION: tools.kubectl.version,
            KUBECTL_SHA256: tools.kubectl.sha256,
            HELM_VERSION: tools.helm.version,
            HELM_SHA256: tools.helm.sha256,
            ARGOCD_VERSION: tools.argocd.version,
            ARGOCD_CHART_VERSION: tools.argocd.chartVersion,
        },
        files,
    });
}

/**
 * The seed's minikube + ArgoCD host, sized to run them: minikube (docker driver)
 * as an unprivileged user, ArgoCD from its Helm chart on NodePort 30080 with the
 * admin password from the ArgoCD secret. Reached through SSM Session Manager; the
 * ArgoCD UI on the Elastic IP from the admin CIDRs.
 */
export class KubernetesHost extends TierComponent {
    readonly instanceId: pulumi.Output<string>;
    readonly publicIp: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    /** HTTPS (ArgoCD's self-signed certificate) on the forwarded NodePort. */
    readonly argocdUrl: pulumi.Output<string>;

    constructor(name: string, args: KubernetesHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("kubernetes", "KubernetesHost"), name, opts);

        const userData = pulumi.output(args.argocdSecretArn).apply((argocdSecretArn) =>
            renderKubernetesUserData({
                region: args.region,
                argocdSecretArn,
                instanceType: args.hosts.kubernetesInstanceType,
            }),
        );
        const host = buildHost(
            name,
            {
                ...args,
                tier: "kubernetes",
                purpose: "kubernetes-host",
                instanceType: args.hosts.kubernetesInstanceType,
                userData,
                statements: ownSecretStatements(args.argocdSecretArn, args.region, args.keys?.secrets),
            },
            this.child(),
        );

        this.instanceId = host.instance.id;
        this.publicIp = host.publicIp;
        this.roleArn = host.role.arn;
        this.argocdUrl = pulumi.interpolate`https://${host.publicIp}:${ARGOCD_NODE_PORT}`;
        this.registerOutputs({ instanceId: this.instanceId, publicIp: this.publicIp, argocdUrl: this.argocdUrl });
    }
}
