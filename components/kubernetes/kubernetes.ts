import * as pulumi from "@pulumi/pulumi";
import { ownSecretStatements } from "../secrets/secrets";
import { HostTierArgs, buildHost } from "../shared/host/host";
import { EmbeddedFile, readAsset, renderUserData } from "../shared/host/user-data";
import { Architecture, OS_RESERVE_MIB, UNAME_MACHINE, architectureOf, instanceTypeSpec } from "../shared/instance-types";
import { PORTS, tunnelUrl } from "../shared/ports";
import { componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { GO_ARCH, KUBERNETES_TOOLS, kubernetesToolSha256 } from "./tools";

export { KUBERNETES_TOOLS } from "./tools";

/** The NodePort ArgoCD's server listens on, forwarded from the same port of the host. */
export const ARGOCD_NODE_PORT = PORTS.argocd.from;

/** systemd units (assets/user-data/kubernetes/) that bring minikube and the ArgoCD forward back after a stop, start or reboot. */
export const KUBERNETES_UNITS = ["minikube.service", "argocd-port-forward.service"] as const;

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

/** The tool parameters of one architecture (download names and pinned checksums). */
export function kubernetesToolParameters(architecture: Architecture): Record<string, string> {
    const tools = KUBERNETES_TOOLS;
    return {
        HOST_MACHINE: UNAME_MACHINE[architecture],
        TOOL_ARCH: GO_ARCH[architecture],
        MINIKUBE_VERSION: tools.minikube.version,
        MINIKUBE_SHA256: kubernetesToolSha256("minikube", architecture),
        KUBECTL_VERSION: tools.kubectl.version,
        KUBECTL_SHA256: kubernetesToolSha256("kubectl", architecture),
        HELM_VERSION: tools.helm.version,
        HELM_SHA256: kubernetesToolSha256("helm", architecture),
        ARGOCD_VERSION: tools.argocd.version,
        ARGOCD_CHART_VERSION: tools.argocd.chartVersion,
    };
}

/** The Kubernetes host's user data (no secret: the password is read at boot). */
export function renderKubernetesUserData(params: KubernetesUserDataParams): string {
    const size = minikubeSize(params.instanceType);
    const unit = (file: string): EmbeddedFile => ({
        path: `/etc/systemd/system/${file}`,
        mode: "0644",
        owner: "root:root",
        content: readAsset(`kubernetes/${file}`),
    });
    const files: EmbeddedFile[] = [
        {
            path: "/etc/data-platform/minikube.env",
            mode: "0644",
            owner: "root:root",
            content: [
                `MINIKUBE_CPUS=${size.cpus}`,
                `MINIKUBE_MEMORY_MIB=${size.memoryMiB}`,
                `KUBERNETES_VERSION=${KUBERNETES_TOOLS.kubernetes.version}`,
                `ARGOCD_NODE_PORT=${ARGOCD_NODE_PORT}`,
                "",
            ].join("\n"),
        },
        ...KUBERNETES_UNITS.map(unit),
        { path: "/usr/local/bin/argocd-port-forward", mode: "0755", owner: "root:root", content: readAsset("kubernetes/argocd-port-forward.sh") },
    ];
    return renderUserData({
        script: "kubernetes.sh",
        parameters: {
            AWS_REGION: params.region,
            ARGOCD_SECRET_ARN: params.argocdSecretArn,
            ARGOCD_NODE_PORT: ARGOCD_NODE_PORT,
            ...kubernetesToolParameters(architectureOf(params.instanceType)),
        },
        files,
    });
}

/**
 * The seed's minikube + ArgoCD host, sized to run them: minikube (docker driver) as an unprivileged
 * user under systemd, ArgoCD from its Helm chart on NodePort 30080 with the admin password from the
 * ArgoCD secret, forwarded to the same port of the host. No inbound traffic by default: ArgoCD is
 * reached through an SSM port-forwarding session (`npm run tunnel -- --stack <s> argocd`).
 */
export class KubernetesHost extends TierComponent {
    readonly instanceId: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly architecture: Architecture;
    /** ArgoCD on the tunnel's local port (HTTPS, ArgoCD's self-signed certificate). */
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
        this.roleArn = host.role.arn;
        this.architecture = host.architecture;
        this.argocdUrl = pulumi.output(tunnelUrl("argocd"));
        this.registerOutputs({ instanceId: this.instanceId, argocdUrl: this.argocdUrl });
    }
}
