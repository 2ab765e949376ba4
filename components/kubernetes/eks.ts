import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, policyDocument, serviceTrustPolicy } from "../shared/iam";
import {
    ADDON_SERVICE_ACCOUNTS,
    ADMIN_ACCESS_POLICY,
    EKS_MANAGED_POLICIES,
    LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    WORKLOAD_NAMESPACE,
    WORKLOAD_SERVICE_ACCOUNT,
    clusterKeyStatements,
    loadBalancerControllerStatements,
    podIdentityTrustPolicy,
    volumeKeyStatements,
} from "./eks-iam";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { EksConfig } from "./config";
import { EksAddon, addonVersions } from "./eks-versions";
import { loadBalancerControllerInstallCommand, renderKubeconfig, updateKubeconfigCommand } from "./kubeconfig";
import { NodeGroupConfig, amiTypeOf, nodeGroupPurpose } from "./node-groups";

export * from "./eks-iam";

/**
 * Subnet tags the AWS Load Balancer Controller (and the in-tree service controller) use to find
 * subnets: internet-facing load balancers in `public`, internal ones in `private`. The network tier
 * puts them on its subnets when the stack runs EKS. (`kubernetes.io/cluster/<name>` is no longer
 * needed since controller v2.1.1.)
 */
export const LOAD_BALANCER_SUBNET_TAGS = {
    public: { "kubernetes.io/role/elb": "1" },
    private: { "kubernetes.io/role/internal-elb": "1" },
} as const;

/**
 * IMDSv2 only, one hop: the kubelet, containerd and host-network pods (aws-node, kube-proxy, the Pod
 * Identity agent) reach instance metadata; pods on the pod network are one hop further
 * and get no answer, so they cannot take the node role's credentials. They need none: every pod that
 * calls AWS gets its own role through EKS Pod Identity, whose agent answers on the node's link-local
 * 169.254.170.23 (not IMDS), and the EBS CSI driver reads its topology from the Kubernetes API when
 * IMDS does not answer.
 */
export const NODE_IMDS_HOP_LIMIT = 1;

/** The root device of the AL2023 EKS AMIs. */
export const NODE_ROOT_DEVICE = "/dev/xvda";

export interface EksClusterArgs {
    /** Naming and tagging context of the stack; the cluster is `${env}-eks`. */
    readonly naming: Naming;
    /** The validated `data-platform:eks` section. */
    readonly config: EksConfig;
    /** AWS region: the kubeconfig, the update-kubeconfig command and `kms:ViaService` conditions. */
    readonly region: string;
    /** Protect the cluster (`protect`, `retainOnDelete`, EKS deletion protection): prod. */
    readonly protect: boolean;
    /** Private subnets, at least two AZs: the control plane's network interfaces and every node group. */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * The firewall's `kubernetes` group, with the rules to the data stores. The launch templates put the
     * nodes in it and in the cluster security group EKS creates (without that one nodes cannot join).
     */
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    /** `access.adminCidrs`: the public endpoint's only sources when `endpointPublicAccess` (never 0.0.0.0/0). */
    readonly adminCidrs: readonly string[];
    /**
     * Customer-managed keys: `kubernetes` encrypts Kubernetes secrets (envelope) and the node volumes,
     * `logs` the control-plane log group. Default: AWS-managed keys (and no secrets envelope encryption).
     */
    readonly keys?: Partial<KeyArns>;
    /** What the platform's workloads (service account `data-platform/app`) may do. Default: nothing (no policy). */
    readonly workloadStatements?: readonly PolicyStatement[];
    /**
     * Target groups (`ip` type) whose targets pods of this cluster are, through TargetGroupBindings: the edge's
     * with `edge.service.runtime: eks`. Given (non-empty), the tier builds a Pod Identity role for the AWS Load
     * Balancer Controller (`kube-system/aws-load-balancer-controller`) that may register and deregister targets
     * in exactly these groups, and outputs the Helm command that installs it. Default: none (no controller role).
     */
    readonly loadBalancerTargetGroupArns?: pulumi.Input<string>[];
    /** The cluster's VPC: the controller's `vpcId`. Required with `loadBalancerTargetGroupArns`. */
    readonly vpcId?: pulumi.Input<string>;
}

/**
 * An EKS cluster from `@pulumi/aws` resources: cluster and node roles, the control-plane log group,
 * the cluster (private endpoint; public only restricted to the admin CIDRs; secrets encrypted with the
 * Kubernetes key; access entries), an admin access entry, one launch template (IMDSv2, hop limit 1,
 * encrypted gp3) and managed node group per config entry, and the pinned add-ons. AWS permissions for
 * pods come from EKS Pod Identity, not IAM roles for service accounts: a Pod Identity role trusts the
 * one service `pods.eks.amazonaws.com` and pins cluster, namespace and service account with the session
 * tags EKS sets, so there is no per-cluster OIDC provider to create, thumbprint or trust, and a cluster
 * rebuild does not invalidate the roles.
 */
export class EksCluster extends TierComponent {
    readonly cluster: aws.eks.Cluster;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    /** JSON kubeconfig using `aws eks get-token` (a Pulumi secret). */
    readonly kubeconfig: pulumi.Output<string>;
    readonly updateKubeconfigCommand: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    /** The security group EKS creates for the control plane and nodes (on every node, beside the firewall's group). */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The cluster's OIDC issuer URL (no IAM OIDC provider is created: Pod Identity is used). */
    readonly oidcIssuer: pulumi.Output<string>;
    /** The Pod Identity role of `data-platform/app`. */
    readonly workloadRoleArn: pulumi.Output<string>;
    /** The AWS Load Balancer Controller's Pod Identity role; undefined without `loadBalancerTargetGroupArns`. */
    readonly loadBalancerControllerRoleArn?: pulumi.Output<string>;
    /**
     * The `helm upgrade --install` command for the pinned AWS Load Balancer Controller chart (cluster, service
     * account, region, VPC set); undefined without `loadBalancerTargetGroupArns`.
     */
    readonly loadBalancerControllerInstall?: pulumi.Output<string>;
    readonly nodeGroups: Readonly<Record<string, aws.eks.NodeGroup>>;
    readonly addons: Readonly<Record<EksAddon, aws.eks.Addon>>;

    private readonly ctx: AccountContext;
    private readonly physicalClusterName: string;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("kubernetes", "EksCluster"), name, opts);
        const { naming, config } = args;
        const targetGroupArns = args.loadBalancerTargetGroupArns ?? [];
        if (targetGroupArns.length > 0 && args.vpcId === undefined) {
            throw new Error(
                `${name}: loadBalancerTargetGroupArns needs vpcId (the load balancer controller's --set vpcId; it cannot read it from IMDS)`,
            );
        }
        this.ctx = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            region: args.region,
        };
        this.physicalClusterName = naming.name("eks");

        const clusterRole = this.role(`${name}-cluster-role`, naming, "eks-cluster", serviceTrustPolicy("eks.amazonaws.com"));
        const clusterPolicies = this.attach(`${name}-cluster`, clusterRole, EKS_MANAGED_POLICIES.cluster);
        const kubernetesKey = args.keys?.kubernetes;
        if (kubernetesKey !== undefined) {
            clusterPolicies.push(
                this.inlinePolicy(`${name}-cluster-role`, clusterRole, naming.name("eks-cluster-secrets-key"), clusterKeyStatements(kubernetesKey)),
            );
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                // EKS writes to exactly this name; created first so that retention and the key apply from the first event.
                name: controlPlaneLogGroupName(this.physicalClusterName),
                retentionInDays: config.logRetentionDays,
                kmsKeyId: args.keys?.logs,
                tags: naming.tags("kubernetes", "eks-logs"),
            },
            this.child(),
        );

        this.cluster = new aws.eks.Cluster(
            `${name}-cluster`,
            {
                name: this.physicalClusterName,
                version: config.version,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: args.subnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: config.endpointPublicAccess,
                    publicAccessCidrs: config.endpointPublicAccess ? [...args.adminCidrs] : undefined,
                },
                accessConfig: {
                    authenticationMode: config.authenticationMode,
                    bootstrapClusterCreatorAdminPermissions: config.bootstrapCreatorAdmin,
                },
                encryptionConfig: kubernetesKey === undefined ? undefined : { provider: { keyArn: kubernetesKey }, resources: ["secrets"] },
                enabledClusterLogTypes: [...config.logTypes],
                // The add-ons are all managed below, pinned; EKS installs no unmanaged copies first.
                bootstrapSelfManagedAddons: false,
                // Never drift into extended support ($0.60 instead of $0.10 per hour): move eks.version before the date.
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.protect,
                tags: naming.tags("kubernetes", "eks"),
            },
            this.child({ protect: args.protect, retainOnDelete: args.protect, dependsOn: [...clusterPolicies, logGroup] }),
        );
        const cluster = this.cluster;
        this.clusterName = cluster.name;
        this.clusterArn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.clusterSecurityGroupId = cluster.vpcConfig.apply((vpc) => vpc.clusterSecurityGroupId);
        this.oidcIssuer = cluster.identities.apply((identities) => identities?.[0]?.oidcs?.[0]?.issuer ?? "");

        this.adminAccess(name, args);

        const nodeRole = this.role(`${name}-node-role`, naming, "eks-node", serviceTrustPolicy("ec2.amazonaws.com"));
        const nodePolicies = this.attach(`${name}-node`, nodeRole, EKS_MANAGED_POLICIES.node);
        this.nodeRoleArn = nodeRole.arn;

        const versions = addonVersions(config.version);
        const addons = {} as Record<EksAddon, aws.eks.Addon>;
        // Daemon sets the nodes need to become Ready: created before the node groups.
        addons["eks-pod-identity-agent"] = this.addon(name, "eks-pod-identity-agent", versions, naming, []);
        const cniAssociation = this.addonIdentity(name, "vpc-cni", EKS_MANAGED_POLICIES.vpcCni, [], naming);
        addons["vpc-cni"] = this.addon(name, "vpc-cni", versions, naming, [cniAssociation, addons["eks-pod-identity-agent"]]);
        addons["kube-proxy"] = this.addon(name, "kube-proxy", versions, naming, []);

        const nodeGroups: Record<string, aws.eks.NodeGroup> = {};
        for (const group of config.nodeGroups) {
            nodeGroups[group.name] = this.nodeGroup(name, group, args, nodeRole, [...nodePolicies, addons["vpc-cni"], addons["kube-proxy"]]);
        }
        this.nodeGroups = nodeGroups;

        // Deployments: they need nodes to schedule on, or the add-on stays DEGRADED.
        const compute = Object.values(nodeGroups);
        addons.coredns = this.addon(name, "coredns", versions, naming, compute);
        const ebsStatements = kubernetesKey === undefined ? [] : volumeKeyStatements("EbsCsiVolumeKey", kubernetesKey, args.region);
        const ebsAssociation = this.addonIdentity(name, "aws-ebs-csi-driver", EKS_MANAGED_POLICIES.ebsCsi, ebsStatements, naming);
        addons["aws-ebs-csi-driver"] = this.addon(name, "aws-ebs-csi-driver", versions, naming, [
            ...compute,
            ebsAssociation,
            addons["eks-pod-identity-agent"],
        ]);
        this.addons = addons;

        this.workloadRoleArn = this.workloadIdentity(name, args).arn;
        if (targetGroupArns.length > 0) {
            this.loadBalancerControllerRoleArn = this.loadBalancerControllerIdentity(name, naming, targetGroupArns).arn;
            this.loadBalancerControllerInstall = pulumi
                .all([cluster.name, args.vpcId!])
                .apply(([clusterName, vpcId]) => loadBalancerControllerInstallCommand({ clusterName, region: args.region, vpcId }));
        }

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.arn, cluster.endpoint, cluster.certificateAuthority])
                .apply(([clusterName, clusterArn, endpoint, authority]) =>
                    renderKubeconfig({ clusterName, clusterArn, endpoint, certificateAuthorityData: authority?.data ?? "", region: args.region }),
                ),
        );
        this.updateKubeconfigCommand = cluster.name.apply((clusterName) => updateKubeconfigCommand(args.region, clusterName));

        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            updateKubeconfigCommand: this.updateKubeconfigCommand,
            nodeRoleArn: this.nodeRoleArn,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            oidcIssuer: this.oidcIssuer,
            workloadRoleArn: this.workloadRoleArn,
            loadBalancerControllerRoleArn: this.loadBalancerControllerRoleArn,
            loadBalancerControllerInstall: this.loadBalancerControllerInstall,
        });
    }

    private role(logicalName: string, naming: Naming, purpose: string, assumeRolePolicy: pulumi.Input<string>): aws.iam.Role {
        return new aws.iam.Role(
            logicalName,
            { name: naming.name(purpose), assumeRolePolicy, tags: naming.tags("kubernetes", purpose) },
            this.child(),
        );
    }

    private attach(prefix: string, role: aws.iam.Role, policies: readonly string[]): pulumi.Resource[] {
        return policies.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${prefix}-${policy.split("/").pop()}`,
                    { role: role.name, policyArn: pulumi.interpolate`arn:${this.ctx.partition}:iam::aws:policy/${policy}` },
                    this.child(),
                ),
        );
    }

    private inlinePolicy(logicalName: string, role: aws.iam.Role, policyName: string, statements: readonly PolicyStatement[]): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(logicalName, { name: policyName, role: role.id, policy: policyDocument(statements) }, this.child());
    }

    /** The admin role's access entry with AmazonEKSClusterAdminPolicy on the whole cluster. */
    private adminAccess(name: string, args: EksClusterArgs): void {
        const entry = new aws.eks.AccessEntry(
            `${name}-admin-access`,
            {
                clusterName: this.cluster.name,
                principalArn: args.config.adminRoleArn,
                type: "STANDARD",
                tags: args.naming.tags("kubernetes", "eks-admin-access"),
            },
            this.child(),
        );
        new aws.eks.AccessPolicyAssociation(
            `${name}-admin-policy`,
            {
                clusterName: this.cluster.name,
                principalArn: entry.principalArn,
                policyArn: pulumi.interpolate`arn:${this.ctx.partition}:eks::aws:cluster-access-policy/${ADMIN_ACCESS_POLICY}`,
                accessScope: { type: "cluster" },
            },
            this.child(),
        );
    }

    /** A role only EKS Pod Identity may assume, and only for this cluster's `namespace/serviceAccount`. */
    private podIdentityRole(logicalName: string, naming: Naming, purpose: string, namespace: string, serviceAccount: string): aws.iam.Role {
        return this.role(logicalName, naming, purpose, podIdentityTrustPolicy(this.physicalClusterName, namespace, serviceAccount));
    }

    /** An add-on's own Pod Identity role (managed policies plus `statements`) and its association. */
    private addonIdentity(
        name: string,
        addon: keyof typeof ADDON_SERVICE_ACCOUNTS,
        policies: readonly string[],
        statements: readonly PolicyStatement[],
        naming: Naming,
    ): aws.eks.PodIdentityAssociation {
        const { namespace, serviceAccount } = ADDON_SERVICE_ACCOUNTS[addon];
        const purpose = `eks-${addon}`;
        const role = this.podIdentityRole(`${name}-${addon}-role`, naming, purpose, namespace, serviceAccount);
        const grants: pulumi.Resource[] = this.attach(`${name}-${addon}`, role, policies);
        if (statements.length > 0) grants.push(this.inlinePolicy(`${name}-${addon}-role`, role, naming.name(`${purpose}-access`), statements));
        return new aws.eks.PodIdentityAssociation(
            `${name}-${addon}-identity`,
            { clusterName: this.cluster.name, namespace, serviceAccount, roleArn: role.arn, tags: naming.tags("kubernetes", `${purpose}-identity`) },
            this.child({ dependsOn: grants }),
        );
    }

    /** The workloads' role (`data-platform/app`): only `workloadStatements`, no policy when there are none. */
    private workloadIdentity(name: string, args: EksClusterArgs): aws.iam.Role {
        const { naming } = args;
        const role = this.podIdentityRole(`${name}-workload-role`, naming, "eks-workload", WORKLOAD_NAMESPACE, WORKLOAD_SERVICE_ACCOUNT);
        const statements = args.workloadStatements ?? [];
        const grants =
            statements.length > 0 ? [this.inlinePolicy(`${name}-workload-role`, role, naming.name("eks-workload-access"), statements)] : [];
        new aws.eks.PodIdentityAssociation(
            `${name}-workload-identity`,
            {
                clusterName: this.cluster.name,
                namespace: WORKLOAD_NAMESPACE,
                serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
                roleArn: role.arn,
                tags: naming.tags("kubernetes", "eks-workload-identity"),
            },
            this.child({ dependsOn: grants }),
        );
        return role;
    }

    /** The AWS Load Balancer Controller's role (target registration in `targetGroupArns` only) and its association. */
    private loadBalancerControllerIdentity(name: string, naming: Naming, targetGroupArns: readonly pulumi.Input<string>[]): aws.iam.Role {
        const { namespace, serviceAccount } = LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;
        const purpose = "eks-load-balancer-controller";
        const role = this.podIdentityRole(`${name}-load-balancer-controller-role`, naming, purpose, namespace, serviceAccount);
        const policy = this.inlinePolicy(
            `${name}-load-balancer-controller-role`,
            role,
            naming.name(`${purpose}-access`),
            loadBalancerControllerStatements(targetGroupArns),
        );
        new aws.eks.PodIdentityAssociation(
            `${name}-load-balancer-controller-identity`,
            { clusterName: this.cluster.name, namespace, serviceAccount, roleArn: role.arn, tags: naming.tags("kubernetes", `${purpose}-identity`) },
            this.child({ dependsOn: [policy] }),
        );
        return role;
    }

    private addon(
        name: string,
        addon: EksAddon,
        versions: Readonly<Record<EksAddon, string>>,
        naming: Naming,
        dependsOn: pulumi.Resource[],
    ): aws.eks.Addon {
        return new aws.eks.Addon(
            `${name}-${addon}`,
            {
                clusterName: this.cluster.name,
                addonName: addon,
                addonVersion: versions[addon],
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags: naming.tags("kubernetes", `eks-${addon}`),
            },
            this.child({ dependsOn }),
        );
    }

    /** A launch template (IMDSv2, hop limit 1, encrypted gp3, both security groups) and the managed node group using it. */
    private nodeGroup(
        name: string,
        group: NodeGroupConfig,
        args: EksClusterArgs,
        nodeRole: aws.iam.Role,
        dependsOn: pulumi.Resource[],
    ): aws.eks.NodeGroup {
        const { naming } = args;
        const purpose = nodeGroupPurpose(group);
        const nodeTags = naming.tags("kubernetes", `${purpose}-node`);
        const template = new aws.ec2.LaunchTemplate(
            `${name}-${group.name}-template`,
            {
                name: naming.name(purpose),
                description: `Nodes of EKS node group ${naming.name(purpose)}`,
                updateDefaultVersion: true,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: NODE_ROOT_DEVICE,
                        ebs: {
                            volumeSize: group.diskSizeGb,
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: args.keys?.kubernetes,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                // Security groups in the template replace the one EKS would add: both are listed.
                vpcSecurityGroupIds: [args.nodeSecurityGroupId, this.clusterSecurityGroupId],
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: nodeTags })),
                tags: naming.tags("kubernetes", `${purpose}-template`),
            },
            this.child(),
        );
        return new aws.eks.NodeGroup(
            `${name}-${group.name}`,
            {
                clusterName: this.cluster.name,
                nodeGroupName: naming.name(purpose),
                // Follows the control plane: without it the nodes keep the kubelet they were created with.
                version: this.cluster.version,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.subnetIds,
                capacityType: group.capacityType,
                instanceTypes: [...group.instanceTypes],
                amiType: amiTypeOf(group),
                scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
                updateConfig: { maxUnavailable: 1 },
                launchTemplate: { id: template.id, version: template.latestVersion.apply((version) => String(version)) },
                labels: { "data-platform/node-group": group.name },
                tags: naming.tags("kubernetes", purpose),
            },
            // A fixed name: a change that replaces the group (instance types, capacity type) deletes it first.
            this.child({ dependsOn, deleteBeforeReplace: true }),
        );
    }
}

/** `/aws/eks/<cluster>/cluster`, the log group EKS sends control-plane logs to. */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}
