import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./eks-iam";
import { LOAD_BALANCER_CONTROLLER_CHART } from "./eks-versions";

/**
 * The kubeconfig of an EKS cluster, as `aws eks update-kubeconfig` writes it: one cluster, user and
 * context named by the cluster ARN, the user authenticating with `aws eks get-token` (the caller's
 * AWS credentials; no token is stored in the file). JSON, which kubectl reads as YAML.
 */

export interface KubeconfigInputs {
    readonly clusterName: string;
    readonly clusterArn: string;
    /** The API server URL (`https://...eks.amazonaws.com`). */
    readonly endpoint: string;
    /** Base64 certificate authority data of the cluster. */
    readonly certificateAuthorityData: string;
    readonly region: string;
}

/** The exec credential plugin API `aws eks get-token` answers with. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

export function renderKubeconfig(inputs: KubeconfigInputs): string {
    const name = inputs.clusterArn;
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server: inputs.endpoint, "certificate-authority-data": inputs.certificateAuthorityData } }],
            contexts: [{ name, context: { cluster: name, user: name } }],
            "current-context": name,
            preferences: {},
            users: [
                {
                    name,
                    user: {
                        exec: {
                            apiVersion: EXEC_API_VERSION,
                            command: "aws",
                            args: ["--region", inputs.region, "eks", "get-token", "--cluster-name", inputs.clusterName, "--output", "json"],
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
        },
        null,
        2,
    );
}

/** The command that merges the cluster into the caller's `~/.kube/config`. */
export function updateKubeconfigCommand(region: string, clusterName: string): string {
    return `aws eks update-kubeconfig --region ${region} --name ${clusterName}`;
}

export interface LoadBalancerControllerInputs {
    readonly clusterName: string;
    readonly region: string;
    readonly vpcId: string;
}

/**
 * The Helm command that installs (or upgrades to) the pinned AWS Load Balancer Controller chart as the
 * service account its Pod Identity association names. Region and VPC are given because the controller
 * cannot read them from instance metadata: the nodes answer IMDS only one hop away (NODE_IMDS_HOP_LIMIT),
 * and the controller's pods are two.
 */
export function loadBalancerControllerInstallCommand(inputs: LoadBalancerControllerInputs): string {
    const { repository, chart, version } = LOAD_BALANCER_CONTROLLER_CHART;
    const { namespace, serviceAccount } = LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;
    return [
        `helm upgrade --install ${chart} ${chart} --repo ${repository} --version ${version} --namespace ${namespace}`,
        `--set clusterName=${inputs.clusterName}`,
        `--set serviceAccount.name=${serviceAccount}`,
        `--set region=${inputs.region}`,
        `--set vpcId=${inputs.vpcId}`,
    ].join(" ");
}
