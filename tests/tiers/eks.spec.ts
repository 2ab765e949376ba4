import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { EKS_LOG_TYPES, EKS_NODE_ENDPOINT_SERVICES, EksCheckInput, EksConfig, eksProblems, eksSchema } from "../../components/kubernetes/config";
import {
    ADDON_SERVICE_ACCOUNTS,
    EKS_MANAGED_POLICIES,
    EksCluster,
    EksClusterArgs,
    LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    LOAD_BALANCER_SUBNET_TAGS,
    NODE_IMDS_HOP_LIMIT,
    WORKLOAD_NAMESPACE,
    WORKLOAD_SERVICE_ACCOUNT,
    controlPlaneLogGroupName,
} from "../../components/kubernetes/eks";
import {
    ADDON_VERSION_PATTERN,
    DEFAULT_EKS_VERSION,
    EKS_ADDONS,
    EKS_VERSIONS,
    EKS_VERSION_NAMES,
    EksAddon,
    LOAD_BALANCER_CONTROLLER_CHART,
} from "../../components/kubernetes/eks-versions";
import { EXEC_API_VERSION } from "../../components/kubernetes/kubeconfig";
import { AMI_TYPES, NODE_INSTANCE_TYPES } from "../../components/kubernetes/node-groups";
import { INSTANCE_TYPES } from "../../components/shared/instance-types";
import { Naming } from "../../components/shared/naming";
import { PolicyStatement } from "../../components/shared/iam";
import { toDeploymentResources } from "../../tools/deployment";
import { STRICTEST_CONFIG, runPolicies } from "../../tools/policy-runner";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { EKS_STANDARD_SUPPORT_VERSIONS } from "../../policy-pack/policies/kubernetes";
import { TYPE } from "../../policy-pack/policies/types";
import { fixtureConfig, inputsOf, named, ofType } from "../support/helpers";
import { Request, expectDecision, roleNamed } from "../support/iam-simulation";

const REGION = "us-east-2";
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";
const ADMIN_CIDRS = ["203.0.113.0/24", "198.51.100.0/24"];
const SUBNETS = ["subnet-0private1", "subnet-0private2", "subnet-0private3"];
const NODE_GROUP_SG = "sg-0kubernetes";
const KEYS = {
    kubernetes: "arn:aws:kms:us-east-2:123456789012:key/kubernetes-key",
    logs: "arn:aws:kms:us-east-2:123456789012:key/logs-key",
};
const WORKLOAD_STATEMENTS: PolicyStatement[] = [
    { Sid: "RdsConnect", Effect: "Allow", Action: "rds-db:connect", Resource: "arn:aws:rds-db:us-east-2:123456789012:dbuser:db-ABC/app" },
];

/** What the mock cloud computed for the tier's cluster (endpoint, CA data, OIDC issuer, the security group EKS creates). */
function clusterState(run: ProgramRun): {
    endpoint: string;
    certificateAuthority: { data: string };
    identities: { oidcs: { issuer: string }[] }[];
    vpcConfig: { clusterSecurityGroupId: string };
} {
    return named(run, TYPE.eksCluster, "-cluster").outputs as ReturnType<typeof clusterState>;
}

interface TierRun {
    readonly run: ProgramRun;
    readonly outputs: Record<string, unknown>;
    readonly kubeconfigIsSecret: boolean;
    readonly config: EksConfig;
    readonly environment: string;
}

async function runEks(environment: string, section: unknown, overrides: Partial<EksClusterArgs> = {}): Promise<TierRun> {
    const config = eksSchema.parse(section);
    let cluster: EksCluster | undefined;
    const run = await runProgram({
        stack: environment,
        config: { "aws:region": REGION },
        program: () => {
            cluster = new EksCluster("t-eks", {
                naming: new Naming(environment),
                config,
                region: REGION,
                protect: false,
                subnetIds: SUBNETS.slice(0, 2),
                nodeSecurityGroupId: NODE_GROUP_SG,
                adminCidrs: ADMIN_CIDRS,
                keys: KEYS,
                workloadStatements: WORKLOAD_STATEMENTS,
                ...overrides,
            });
            return {
                clusterName: cluster.clusterName,
                clusterArn: cluster.clusterArn,
                endpoint: cluster.endpoint,
                kubeconfig: cluster.kubeconfig,
                updateKubeconfigCommand: cluster.updateKubeconfigCommand,
                nodeRoleArn: cluster.nodeRoleArn,
                clusterSecurityGroupId: cluster.clusterSecurityGroupId,
                oidcIssuer: cluster.oidcIssuer,
                workloadRoleArn: cluster.workloadRoleArn,
                // Only when built: Pulumi warns about undefined stack outputs.
                ...(cluster.loadBalancerControllerRoleArn && {
                    loadBalancerControllerRoleArn: cluster.loadBalancerControllerRoleArn,
                    loadBalancerControllerInstall: cluster.loadBalancerControllerInstall,
                }),
            };
        },
    });
    assert.ok(cluster);
    return { run, outputs: run.stackOutputs, kubeconfigIsSecret: await pulumi.isSecret(cluster.kubeconfig), config, environment };
}

type Section = z.input<typeof eksSchema>;

/** Staging-like: public endpoint for the admin CIDRs, creator bootstrap on, every log type, one small Graviton group. */
const STAGING: Section = {
    version: "1.35",
    endpointPublicAccess: true,
    adminRoleArn: ADMIN_ROLE,
    bootstrapCreatorAdmin: true,
    logTypes: [...EKS_LOG_TYPES],
    logRetentionDays: 30,
    nodeGroups: [{ name: "general", instanceTypes: ["t4g.medium"], minSize: 2, maxSize: 3, desiredSize: 2 }],
};

/** Prod-like: private endpoint only, no bootstrap, every log type, an on-demand Graviton group and a spot x86 group. */
const PROD: Section = {
    version: "1.36",
    adminRoleArn: ADMIN_ROLE,
    authenticationMode: "API",
    logTypes: [...EKS_LOG_TYPES],
    logRetentionDays: 365,
    nodeGroups: [
        { name: "system", capacityType: "ON_DEMAND", instanceTypes: ["m7g.large"], minSize: 2, maxSize: 4, desiredSize: 3, diskSizeGb: 50 },
        {
            name: "spot",
            capacityType: "SPOT",
            instanceTypes: ["m6i.large", "m7i.large", "m5.large"],
            minSize: 0,
            maxSize: 6,
            desiredSize: 2,
            diskSizeGb: 40,
        },
    ],
};

/** What the report proposes for the shipped stacks (adminRoleArn is the user's own role). */
const PROPOSED: Record<string, Section> = {
    staging: {
        version: "1.36",
        endpointPublicAccess: true,
        adminRoleArn: ADMIN_ROLE,
        logTypes: [...EKS_LOG_TYPES],
        logRetentionDays: 30,
        nodeGroups: [{ name: "general", instanceTypes: ["t3a.medium"], minSize: 2, maxSize: 3, desiredSize: 2, diskSizeGb: 20 }],
    },
    prod: {
        version: "1.36",
        adminRoleArn: ADMIN_ROLE,
        logTypes: [...EKS_LOG_TYPES],
        logRetentionDays: 365,
        nodeGroups: [
            { name: "system", instanceTypes: ["m6i.large"], minSize: 3, maxSize: 6, desiredSize: 3, diskSizeGb: 50 },
            {
                name: "spot",
                capacityType: "SPOT",
                instanceTypes: ["m6i.large", "m7i.large", "m5.large"],
                minSize: 0,
                maxSize: 6,
                desiredSize: 2,
                diskSizeGb: 50,
            },
        ],
    },
};

const byName = (run: ProgramRun, type: string, suffix: string) => inputsOf(named(run, type, suffix));
const arnOfManaged = (policy: string) => `arn:aws:iam::aws:policy/${policy}`;

describe("kubernetes tier: EKS", () => {
    const cases = [
        { label: "staging-like (public endpoint for the admin CIDRs, creator bootstrap)", environment: "staging", section: STAGING, protect: false },
        { label: "prod-like (private only, on-demand and spot groups, protected)", environment: "prod", section: PROD, protect: true },
    ];
    for (const { label, environment, section, protect } of cases) {
        describe(label, () => {
            let tier: TierRun;
            let run: ProgramRun;
            const clusterName = `${environment}-eks`;
            const parsed = eksSchema.parse(section);
            before(async () => {
                tier = await runEks(environment, section, { protect });
                run = tier.run;
            });

            describe("cluster", () => {
                it(`is ${clusterName} on Kubernetes ${section.version}, in the private subnets, with the cluster role`, () => {
                    const cluster = byName(run, TYPE.eksCluster, "-cluster");
                    assert.strictEqual(cluster.name, clusterName);
                    assert.strictEqual(cluster.version, section.version);
                    assert.deepStrictEqual(cluster.vpcConfig.subnetIds, SUBNETS.slice(0, 2));
                    assert.strictEqual(cluster.roleArn, roleNamed(run, `${environment}-eks-cluster`).arn);
                    assert.deepStrictEqual(cluster.tags, new Naming(environment).tags("kubernetes", "eks"));
                });

                it(
                    section.endpointPublicAccess
                        ? "has the private endpoint, and a public one open to exactly the admin CIDRs"
                        : "has the private endpoint only (no public access, no CIDRs)",
                    () => {
                        const vpc = byName(run, TYPE.eksCluster, "-cluster").vpcConfig;
                        assert.strictEqual(vpc.endpointPrivateAccess, true);
                        assert.strictEqual(vpc.endpointPublicAccess, section.endpointPublicAccess === true);
                        assert.deepStrictEqual(vpc.publicAccessCidrs, section.endpointPublicAccess ? ADMIN_CIDRS : undefined);
                        for (const cidr of vpc.publicAccessCidrs ?? []) assert.notStrictEqual(cidr, "0.0.0.0/0");
                    },
                );

                it(`authenticates with access entries (API), creator bootstrap ${section.bootstrapCreatorAdmin ? "on" : "off"}`, () => {
                    assert.deepStrictEqual(byName(run, TYPE.eksCluster, "-cluster").accessConfig, {
                        authenticationMode: "API",
                        bootstrapClusterCreatorAdminPermissions: section.bootstrapCreatorAdmin === true,
                    });
                });

                it("encrypts Kubernetes secrets with the kubernetes key", () => {
                    assert.deepStrictEqual(byName(run, TYPE.eksCluster, "-cluster").encryptionConfig, {
                        provider: { keyArn: KEYS.kubernetes },
                        resources: ["secrets"],
                    });
                });

                it(`sends control-plane logs ${(section.logTypes ?? ["api", "audit", "authenticator"]).join(", ")} to a pre-created log group with retention and the logs key`, () => {
                    assert.deepStrictEqual(
                        byName(run, TYPE.eksCluster, "-cluster").enabledClusterLogTypes,
                        section.logTypes ?? ["api", "audit", "authenticator"],
                    );
                    const group = named(run, TYPE.cloudwatchLogGroup, "-logs");
                    assert.strictEqual(inputsOf(group).name, `/aws/eks/${clusterName}/cluster`);
                    assert.strictEqual(inputsOf(group).name, controlPlaneLogGroupName(clusterName));
                    assert.strictEqual(inputsOf(group).retentionInDays, section.logRetentionDays);
                    assert.strictEqual(inputsOf(group).kmsKeyId, KEYS.logs);
                    assert.ok(named(run, TYPE.eksCluster, "-cluster").dependencies.includes(group.urn), "the cluster waits for its log group");
                });

                it("manages every add-on itself, stays in standard support, and protects the cluster only in prod", () => {
                    const resource = named(run, TYPE.eksCluster, "-cluster");
                    const cluster = inputsOf(resource);
                    assert.strictEqual(cluster.bootstrapSelfManagedAddons, false);
                    assert.deepStrictEqual(cluster.upgradePolicy, { supportType: "STANDARD" });
                    assert.strictEqual(cluster.deletionProtection, protect);
                    assert.strictEqual(resource.protect, protect);
                    assert.strictEqual(resource.retainOnDelete, protect);
                });
            });

            describe("access", () => {
                it("gives the admin role an access entry with AmazonEKSClusterAdminPolicy on the whole cluster", () => {
                    const entry = byName(run, TYPE.eksAccessEntry, "-admin-access");
                    assert.deepStrictEqual([entry.clusterName, entry.principalArn, entry.type], [clusterName, ADMIN_ROLE, "STANDARD"]);
                    const association = byName(run, TYPE.eksAccessPolicyAssociation, "-admin-policy");
                    assert.strictEqual(association.principalArn, ADMIN_ROLE);
                    assert.strictEqual(association.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
                    assert.deepStrictEqual(association.accessScope, { type: "cluster" });
                });
            });

            describe("roles", () => {
                it("cluster role: trusted by EKS, AmazonEKSClusterPolicy, and the secrets key", () => {
                    const role = roleNamed(run, `${environment}-eks-cluster`);
                    assert.deepStrictEqual(role.trustPolicy.Statement[0].Principal, { Service: "eks.amazonaws.com" });
                    assert.deepStrictEqual(role.awsManagedPolicyArns, [arnOfManaged("AmazonEKSClusterPolicy")]);
                    const statements = role.policies.flatMap((policy) => policy.policy.Statement);
                    assert.deepStrictEqual(statements, [
                        {
                            Sid: "EksSecretsKey",
                            Effect: "Allow",
                            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                            Resource: KEYS.kubernetes,
                        },
                    ]);
                });

                it("node role: trusted by EC2, worker node, ECR pull-only and SSM; no CNI policy (the vpc-cni add-on has its own role)", () => {
                    const role = roleNamed(run, `${environment}-eks-node`);
                    assert.deepStrictEqual(role.trustPolicy.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
                    assert.deepStrictEqual([...role.awsManagedPolicyArns].sort(), EKS_MANAGED_POLICIES.node.map(arnOfManaged).sort());
                    assert.ok(!role.awsManagedPolicyArns.includes(arnOfManaged("AmazonEKS_CNI_Policy")));
                    assert.deepStrictEqual(role.policies, []);
                    assert.strictEqual(tier.outputs.nodeRoleArn, role.arn);
                });

                const identities = [
                    { what: "vpc-cni", namespace: "kube-system", serviceAccount: "aws-node", role: "eks-vpc-cni", managed: ["AmazonEKS_CNI_Policy"] },
                    {
                        what: "EBS CSI controller",
                        namespace: "kube-system",
                        serviceAccount: "ebs-csi-controller-sa",
                        role: "eks-aws-ebs-csi-driver",
                        managed: ["service-role/AmazonEBSCSIDriverPolicy"],
                    },
                    { what: "workloads", namespace: WORKLOAD_NAMESPACE, serviceAccount: WORKLOAD_SERVICE_ACCOUNT, role: "eks-workload", managed: [] },
                ];
                for (const identity of identities) {
                    it(`${identity.what}: a Pod Identity role for ${identity.namespace}/${identity.serviceAccount} of this cluster only`, () => {
                        const role = roleNamed(run, `${environment}-${identity.role}`);
                        assert.deepStrictEqual(role.trustPolicy.Statement, [
                            {
                                Sid: "EksPodIdentity",
                                Effect: "Allow",
                                Principal: { Service: "pods.eks.amazonaws.com" },
                                Action: ["sts:AssumeRole", "sts:TagSession"],
                                Condition: {
                                    StringEquals: {
                                        "aws:RequestTag/eks-cluster-name": clusterName,
                                        "aws:RequestTag/kubernetes-namespace": identity.namespace,
                                        "aws:RequestTag/kubernetes-service-account": identity.serviceAccount,
                                    },
                                },
                            },
                        ]);
                        assert.deepStrictEqual(role.awsManagedPolicyArns, identity.managed.map(arnOfManaged));
                        const associations = ofType(run, TYPE.eksPodIdentityAssociation).filter(
                            (a) => inputsOf(a).serviceAccount === identity.serviceAccount,
                        );
                        assert.strictEqual(associations.length, 1);
                        assert.deepStrictEqual(
                            [inputsOf(associations[0]).clusterName, inputsOf(associations[0]).namespace, inputsOf(associations[0]).roleArn],
                            [clusterName, identity.namespace, role.arn],
                        );
                    });
                }

                it("EBS CSI role: may use the kubernetes key only through EC2, and grant it only to AWS resources", () => {
                    const statements = roleNamed(run, `${environment}-eks-aws-ebs-csi-driver`).policies.flatMap((policy) => policy.policy.Statement);
                    const via = { "kms:ViaService": `ec2.${REGION}.amazonaws.com` };
                    assert.deepStrictEqual(statements, [
                        {
                            Sid: "EbsCsiVolumeKey",
                            Effect: "Allow",
                            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                            Resource: KEYS.kubernetes,
                            Condition: { StringEquals: via },
                        },
                        {
                            Sid: "EbsCsiVolumeKeyGrants",
                            Effect: "Allow",
                            Action: "kms:CreateGrant",
                            Resource: KEYS.kubernetes,
                            Condition: { StringEquals: via, Bool: { "kms:GrantIsForAWSResource": true } },
                        },
                    ]);
                });

                it("workload role: exactly the workload statements", () => {
                    const role = roleNamed(run, `${environment}-eks-workload`);
                    assert.deepStrictEqual(
                        role.policies.map((policy) => policy.policy.Statement),
                        [WORKLOAD_STATEMENTS],
                    );
                    assert.strictEqual(tier.outputs.workloadRoleArn, role.arn);
                });
            });

            describe("node groups", () => {
                for (const group of parsed.nodeGroups) {
                    const architecture = INSTANCE_TYPES[group.instanceTypes[0]].architecture;
                    const disk = group.diskSizeGb;
                    const capacity = group.capacityType;

                    it(`${group.name}: launch template with IMDSv2 only (hop limit 1), an encrypted ${disk} GiB gp3 root, both security groups, tags`, () => {
                        const template = byName(run, TYPE.ec2LaunchTemplate, `-${group.name}-template`);
                        assert.strictEqual(template.name, `${environment}-eks-${group.name}`);
                        assert.deepStrictEqual(template.metadataOptions, {
                            httpEndpoint: "enabled",
                            httpTokens: "required",
                            httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT,
                            instanceMetadataTags: "disabled",
                        });
                        assert.strictEqual(NODE_IMDS_HOP_LIMIT, 1);
                        assert.deepStrictEqual(template.blockDeviceMappings, [
                            {
                                deviceName: "/dev/xvda",
                                ebs: {
                                    volumeSize: disk,
                                    volumeType: "gp3",
                                    encrypted: "true",
                                    kmsKeyId: KEYS.kubernetes,
                                    deleteOnTermination: "true",
                                },
                            },
                        ]);
                        assert.deepStrictEqual(template.vpcSecurityGroupIds, [NODE_GROUP_SG, clusterState(run).vpcConfig.clusterSecurityGroupId]);
                        const nodeTags = new Naming(environment).tags("kubernetes", `eks-${group.name}-node`);
                        assert.deepStrictEqual(
                            template.tagSpecifications,
                            ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: nodeTags })),
                        );
                        for (const absent of ["keyName", "imageId", "iamInstanceProfile", "networkInterfaces", "userData"]) {
                            assert.strictEqual(template[absent], undefined, `${absent} is left to EKS`);
                        }
                    });

                    it(`${group.name}: ${capacity} ${group.instanceTypes.join("/")} on ${AMI_TYPES[architecture]}, ${group.minSize}–${group.desiredSize}–${group.maxSize} nodes, from its template, no remote access`, () => {
                        const resource = named(run, TYPE.eksNodeGroup, `-${group.name}`);
                        const nodeGroup = inputsOf(resource);
                        const template = named(run, TYPE.ec2LaunchTemplate, `-${group.name}-template`);
                        assert.strictEqual(nodeGroup.nodeGroupName, `${environment}-eks-${group.name}`);
                        assert.strictEqual(nodeGroup.clusterName, clusterName);
                        assert.strictEqual(nodeGroup.capacityType, capacity);
                        assert.deepStrictEqual(nodeGroup.instanceTypes, group.instanceTypes);
                        assert.strictEqual(nodeGroup.amiType, architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD");
                        assert.deepStrictEqual(nodeGroup.scalingConfig, {
                            minSize: group.minSize,
                            maxSize: group.maxSize,
                            desiredSize: group.desiredSize,
                        });
                        assert.deepStrictEqual(nodeGroup.launchTemplate, { id: template.id, version: "1" });
                        assert.deepStrictEqual(nodeGroup.subnetIds, SUBNETS.slice(0, 2));
                        assert.strictEqual(nodeGroup.nodeRoleArn, roleNamed(run, `${environment}-eks-node`).arn);
                        assert.strictEqual(nodeGroup.remoteAccess, undefined);
                        assert.strictEqual(nodeGroup.diskSize, undefined, "the disk is the launch template's");
                        assert.deepStrictEqual(nodeGroup.tags, new Naming(environment).tags("kubernetes", `eks-${group.name}`));
                        const cni = named(run, TYPE.eksAddon, "-vpc-cni");
                        assert.ok(resource.dependencies.includes(cni.urn), "nodes join after the CNI exists");
                    });
                }

                it("one node group and one launch template per config entry", () => {
                    assert.strictEqual(ofType(run, TYPE.eksNodeGroup).length, parsed.nodeGroups.length);
                    // The nodes follow the control plane's version (a version change upgrades both).
                    const clusterVersion = inputsOf(ofType(run, TYPE.eksCluster)[0]).version;
                    for (const group of ofType(run, TYPE.eksNodeGroup)) assert.strictEqual(inputsOf(group).version, clusterVersion, group.name);
                    assert.strictEqual(ofType(run, TYPE.ec2LaunchTemplate).length, parsed.nodeGroups.length);
                });
            });

            describe("add-ons", () => {
                it(`installs the five add-ons at the versions pinned for ${section.version}`, () => {
                    const versions = EKS_VERSIONS[section.version as keyof typeof EKS_VERSIONS].addons;
                    const addons = ofType(run, TYPE.eksAddon).map(inputsOf);
                    assert.deepStrictEqual(addons.map((addon) => addon.addonName).sort(), [...EKS_ADDONS].sort());
                    for (const addon of addons) {
                        assert.strictEqual(addon.addonVersion, versions[addon.addonName as EksAddon], addon.addonName);
                        assert.strictEqual(addon.clusterName, clusterName);
                        assert.strictEqual(addon.serviceAccountRoleArn, undefined, `${addon.addonName} uses Pod Identity, not IRSA`);
                    }
                    assert.ok(addons.find((addon) => addon.addonName === "kube-proxy")!.addonVersion.startsWith(`v${section.version}.`));
                });

                it("runs CoreDNS and the EBS CSI driver after the node groups; the EBS CSI driver and vpc-cni after their Pod Identity", () => {
                    const groups = ofType(run, TYPE.eksNodeGroup).map((group) => group.urn);
                    const dependsOn = (addon: string) => named(run, TYPE.eksAddon, `-${addon}`).dependencies;
                    for (const addon of ["coredns", "aws-ebs-csi-driver"])
                        for (const group of groups) assert.ok(dependsOn(addon).includes(group), addon);
                    for (const addon of Object.keys(ADDON_SERVICE_ACCOUNTS)) {
                        assert.ok(dependsOn(addon).includes(named(run, TYPE.eksPodIdentityAssociation, `-${addon}-identity`).urn), addon);
                        assert.ok(dependsOn(addon).includes(named(run, TYPE.eksAddon, "-eks-pod-identity-agent").urn), addon);
                    }
                });
            });

            describe("outputs", () => {
                it("a kubeconfig, as a secret, that authenticates with `aws eks get-token`", () => {
                    assert.strictEqual(tier.kubeconfigIsSecret, true);
                    const kubeconfig = JSON.parse(String(tier.outputs.kubeconfig));
                    const arn = `arn:aws:eks:${REGION}:123456789012:cluster/${clusterName}`;
                    assert.strictEqual(kubeconfig["current-context"], arn);
                    assert.strictEqual(kubeconfig.clusters[0].cluster.server, tier.outputs.endpoint);
                    assert.match(String(tier.outputs.endpoint), /^https:\/\/[0-9A-F]{32}\.gr7\.us-east-2\.eks\.amazonaws\.com$/);
                    assert.strictEqual(tier.outputs.endpoint, clusterState(run).endpoint);
                    const caData = clusterState(run).certificateAuthority.data;
                    assert.match(caData, /^[A-Za-z0-9+/]+=*$/, "the cluster's CA bundle, base64");
                    assert.strictEqual(kubeconfig.clusters[0].cluster["certificate-authority-data"], caData);
                    assert.deepStrictEqual(kubeconfig.users[0].user.exec, {
                        apiVersion: EXEC_API_VERSION,
                        command: "aws",
                        args: ["--region", REGION, "eks", "get-token", "--cluster-name", clusterName, "--output", "json"],
                        interactiveMode: "Never",
                    });
                });

                it("the update-kubeconfig command, the cluster's name, ARN, security group and OIDC issuer", () => {
                    assert.strictEqual(tier.outputs.updateKubeconfigCommand, `aws eks update-kubeconfig --region ${REGION} --name ${clusterName}`);
                    assert.strictEqual(tier.outputs.clusterName, clusterName);
                    assert.strictEqual(tier.outputs.clusterArn, `arn:aws:eks:${REGION}:123456789012:cluster/${clusterName}`);
                    const state = clusterState(run);
                    assert.strictEqual(tier.outputs.clusterSecurityGroupId, state.vpcConfig.clusterSecurityGroupId);
                    assert.match(String(tier.outputs.clusterSecurityGroupId), /^sg-0[0-9a-f]{16}$/);
                    assert.strictEqual(tier.outputs.oidcIssuer, state.identities[0].oidcs[0].issuer);
                    assert.match(String(tier.outputs.oidcIssuer), /^https:\/\/oidc\.eks\.us-east-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
                });
            });

            it("tags every taggable resource through naming.tags (Tier kubernetes)", () => {
                const tagged = run.resources.filter((resource) => resource.custom && inputsOf(resource).tags !== undefined);
                assert.ok(tagged.length >= 10);
                for (const resource of tagged) {
                    const tags = inputsOf(resource).tags;
                    assert.deepStrictEqual(
                        [tags.Environment, tags.Project, tags.ManagedBy, tags.Tier],
                        [environment, "data-platform", "pulumi", "kubernetes"],
                        resource.name,
                    );
                }
            });

            const expected = section.bootstrapCreatorAdmin ? ["eks-no-creator-admin-bootstrap"] : [];
            it(`passes every rule of the pack${expected.length > 0 ? `, except ${expected.join(", ")} (as configured)` : ""}`, () => {
                const findings = runPolicies(toDeploymentResources(run), STRICTEST_CONFIG, environment);
                assert.deepStrictEqual(
                    findings.map((finding) => finding.policy),
                    expected,
                    findings.map((finding) => `${finding.policy}: ${finding.message}`).join("\n"),
                );
            });
        });
    }

    describe("without customer-managed keys or workload statements", () => {
        let run: ProgramRun;
        before(async () => {
            run = (await runEks("test", { adminRoleArn: ADMIN_ROLE }, { keys: undefined, workloadStatements: undefined })).run;
        });

        it("leaves secrets to EKS's default encryption, and logs and volumes to AWS-managed keys", () => {
            const cluster = byName(run, TYPE.eksCluster, "-cluster");
            assert.strictEqual(cluster.encryptionConfig, undefined);
            assert.strictEqual(byName(run, TYPE.cloudwatchLogGroup, "-logs").kmsKeyId, undefined);
            const template = byName(run, TYPE.ec2LaunchTemplate, "-general-template");
            assert.strictEqual(template.blockDeviceMappings[0].ebs.encrypted, "true");
            assert.strictEqual(template.blockDeviceMappings[0].ebs.kmsKeyId, undefined);
            assert.deepStrictEqual(roleNamed(run, "test-eks-cluster").policies, []);
            assert.deepStrictEqual(roleNamed(run, "test-eks-aws-ebs-csi-driver").policies, []);
        });

        it("gives the workload role no policy at all", () => {
            assert.deepStrictEqual(roleNamed(run, "test-eks-workload").policies, []);
        });

        it("defaults: newest version, private endpoint, API access entries, no bootstrap, api/audit/authenticator for 90 days, 2× t3a.medium (x86_64, like the images)", () => {
            const cluster = byName(run, TYPE.eksCluster, "-cluster");
            assert.strictEqual(cluster.version, DEFAULT_EKS_VERSION);
            assert.strictEqual(cluster.vpcConfig.endpointPublicAccess, false);
            assert.deepStrictEqual(cluster.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
            assert.deepStrictEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
            assert.strictEqual(byName(run, TYPE.cloudwatchLogGroup, "-logs").retentionInDays, 90);
            const group = byName(run, TYPE.eksNodeGroup, "-general");
            assert.deepStrictEqual(
                [group.capacityType, group.instanceTypes, group.scalingConfig],
                ["ON_DEMAND", ["t3a.medium"], { minSize: 2, maxSize: 3, desiredSize: 2 }],
            );
        });
    });

    describe("the AWS Load Balancer Controller (loadBalancerTargetGroupArns: the edge's ip target group)", () => {
        const ACCOUNT = "123456789012";
        const targetGroup = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`;
        const WEB_TG = targetGroup("prod-web");
        const OTHER_TG = targetGroup("someone-else");
        const VPC = "vpc-0eks";
        const ROLE = "prod-eks-load-balancer-controller";
        let tier: TierRun;
        let run: ProgramRun;
        before(async () => {
            tier = await runEks("prod", PROD, { protect: true, loadBalancerTargetGroupArns: [WEB_TG], vpcId: VPC });
            run = tier.run;
        });

        it("is a Pod Identity role for kube-system/aws-load-balancer-controller of this cluster only, with its association", () => {
            const role = roleNamed(run, ROLE);
            assert.deepStrictEqual(role.trustPolicy.Statement, [
                {
                    Sid: "EksPodIdentity",
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: {
                        StringEquals: {
                            "aws:RequestTag/eks-cluster-name": "prod-eks",
                            "aws:RequestTag/kubernetes-namespace": "kube-system",
                            "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
                        },
                    },
                },
            ]);
            assert.deepStrictEqual(role.awsManagedPolicyArns, [], "no AWS-managed policy: only the inline one");
            const associations = ofType(run, TYPE.eksPodIdentityAssociation).filter(
                (association) => inputsOf(association).serviceAccount === "aws-load-balancer-controller",
            );
            assert.strictEqual(associations.length, 1);
            const association = associations[0];
            assert.deepStrictEqual(
                [inputsOf(association).clusterName, inputsOf(association).namespace, inputsOf(association).roleArn],
                ["prod-eks", LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace, role.arn],
            );
            assert.ok(
                association.dependencies.some((urn) => urn.endsWith(`${TYPE.iamRolePolicy}::t-eks-load-balancer-controller-role`)),
                "the association waits for the role's policy",
            );
            assert.deepStrictEqual(inputsOf(association).tags, new Naming("prod").tags("kubernetes", "eks-load-balancer-controller-identity"));
        });

        it("may register and deregister targets in the given target group only, and describe what the binding reads", () => {
            const [policy] = roleNamed(run, ROLE).policies;
            assert.strictEqual(policy.name, "prod-eks-load-balancer-controller-access");
            assert.deepStrictEqual(policy.policy.Statement, [
                {
                    Sid: "RegisterPodTargets",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                    Resource: [WEB_TG],
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
            ]);
        });

        const decisions: [Request, "Allowed" | "Denied"][] = [
            [{ action: "elasticloadbalancing:RegisterTargets", resource: WEB_TG }, "Allowed"],
            [{ action: "elasticloadbalancing:DeregisterTargets", resource: WEB_TG }, "Allowed"],
            [{ action: "elasticloadbalancing:RegisterTargets", resource: OTHER_TG }, "Denied"],
            [{ action: "elasticloadbalancing:DeregisterTargets", resource: OTHER_TG }, "Denied"],
            [{ action: "elasticloadbalancing:DescribeTargetHealth", resource: "*" }, "Allowed"],
            [{ action: "elasticloadbalancing:DescribeTargetGroups", resource: "*" }, "Allowed"],
            [{ action: "ec2:DescribeVpcs", resource: "*" }, "Allowed"],
            [{ action: "ec2:DescribeSecurityGroups", resource: "*" }, "Allowed"],
            [{ action: "elasticloadbalancing:ModifyTargetGroup", resource: WEB_TG }, "Denied"],
            [{ action: "elasticloadbalancing:DeleteTargetGroup", resource: WEB_TG }, "Denied"],
            [{ action: "elasticloadbalancing:ModifyTargetGroupAttributes", resource: WEB_TG }, "Denied"],
            [{ action: "elasticloadbalancing:CreateLoadBalancer", resource: "*" }, "Denied"],
            [{ action: "elasticloadbalancing:CreateTargetGroup", resource: "*" }, "Denied"],
            [{ action: "ec2:AuthorizeSecurityGroupIngress", resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0kubernetes` }, "Denied"],
            [{ action: "ec2:RevokeSecurityGroupIngress", resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0kubernetes` }, "Denied"],
        ];
        it("an IAM simulation: RegisterTargets and DeregisterTargets on the web target group only, no load balancer or security-group changes", async () => {
            const role = roleNamed(run, ROLE);
            for (const [request, expected] of decisions) await expectDecision(run, role, request, expected);
        });

        it("outputs its role ARN and the Helm command for the pinned chart, with the cluster, service account, region and VPC", () => {
            assert.strictEqual(tier.outputs.loadBalancerControllerRoleArn, roleNamed(run, ROLE).arn);
            assert.strictEqual(
                tier.outputs.loadBalancerControllerInstall,
                "helm upgrade --install aws-load-balancer-controller aws-load-balancer-controller --repo https://aws.github.io/eks-charts --version 3.5.0 --namespace kube-system" +
                    " --set clusterName=prod-eks --set serviceAccount.name=aws-load-balancer-controller --set region=us-east-2 --set vpcId=vpc-0eks",
            );
            assert.match(LOAD_BALANCER_CONTROLLER_CHART.version, /^\d+\.\d+\.\d+$/, "a pinned chart version, no range");
        });

        it("scopes RegisterTargets to every group given", async () => {
            const two = await runEks("two", { adminRoleArn: ADMIN_ROLE }, { loadBalancerTargetGroupArns: [WEB_TG, OTHER_TG], vpcId: VPC });
            const role = roleNamed(two.run, "two-eks-load-balancer-controller");
            for (const group of [WEB_TG, OTHER_TG])
                await expectDecision(two.run, role, { action: "elasticloadbalancing:RegisterTargets", resource: group }, "Allowed");
            await expectDecision(two.run, role, { action: "elasticloadbalancing:RegisterTargets", resource: targetGroup("third") }, "Denied");
        });

        it("passes every rule of the pack", () => {
            const findings = runPolicies(toDeploymentResources(run), STRICTEST_CONFIG, "prod");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });

        it("is not built without target groups (none given, or an empty list), and then outputs neither", async () => {
            for (const overrides of [{}, { loadBalancerTargetGroupArns: [], vpcId: VPC }]) {
                const without = await runEks("none", { adminRoleArn: ADMIN_ROLE }, overrides);
                assert.deepStrictEqual(
                    ofType(without.run, TYPE.iamRole).filter((role) => inputsOf(role).name === "none-eks-load-balancer-controller"),
                    [],
                );
                assert.ok(
                    !ofType(without.run, TYPE.eksPodIdentityAssociation).some((a) => inputsOf(a).serviceAccount === "aws-load-balancer-controller"),
                );
                assert.strictEqual(without.outputs.loadBalancerControllerRoleArn, undefined);
                assert.strictEqual(without.outputs.loadBalancerControllerInstall, undefined);
            }
        });

        it("refuses target groups without the VPC (the controller's vpcId)", () => {
            assert.throws(
                () =>
                    new EksCluster("t-eks", {
                        naming: new Naming("x"),
                        config: eksSchema.parse({ adminRoleArn: ADMIN_ROLE }),
                        region: REGION,
                        protect: false,
                        subnetIds: SUBNETS,
                        nodeSecurityGroupId: NODE_GROUP_SG,
                        adminCidrs: [],
                        loadBalancerTargetGroupArns: [WEB_TG],
                    }),
                /^Error: t-eks: loadBalancerTargetGroupArns needs vpcId/,
            );
        });
    });

    describe("the version table", () => {
        for (const version of EKS_VERSION_NAMES) {
            it(`${version}: every add-on pinned as vX.Y.Z-eksbuild.N; kube-proxy on the cluster's minor`, () => {
                const { addons } = EKS_VERSIONS[version];
                assert.deepStrictEqual(Object.keys(addons).sort(), [...EKS_ADDONS].sort());
                for (const [addon, pinned] of Object.entries(addons)) assert.match(pinned, ADDON_VERSION_PATTERN, `${version} ${addon}`);
                assert.ok(addons["kube-proxy"].startsWith(`v${version}.`));
            });
        }

        it("lists the versions the policy pack accepts as in standard support, and no other", () => {
            assert.deepStrictEqual([...EKS_VERSION_NAMES].sort(), [...EKS_STANDARD_SUPPORT_VERSIONS].sort());
        });

        it("offers node instance types with at least 2 vCPUs and 4 GiB, of both architectures", () => {
            for (const type of NODE_INSTANCE_TYPES) assert.ok(INSTANCE_TYPES[type].vcpus >= 2 && INSTANCE_TYPES[type].memoryMiB >= 4096, type);
            assert.ok(
                NODE_INSTANCE_TYPES.includes("t4g.medium") && NODE_INSTANCE_TYPES.includes("m7g.large") && NODE_INSTANCE_TYPES.includes("m6i.large"),
            );
            assert.ok(!NODE_INSTANCE_TYPES.includes("t3.small") && !NODE_INSTANCE_TYPES.includes("t4g.micro"));
        });

        it("exports the load-balancer subnet tags for the network tier", () => {
            assert.deepStrictEqual(LOAD_BALANCER_SUBNET_TAGS, {
                public: { "kubernetes.io/role/elb": "1" },
                private: { "kubernetes.io/role/internal-elb": "1" },
            });
        });
    });

    describe("config: data-platform:eks", () => {
        const issues = (value: unknown) => {
            const result = eksSchema.safeParse(value);
            assert.ok(!result.success, `expected ${JSON.stringify(value)} to be refused`);
            return (result.error as z.ZodError).issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
        };
        const base = { adminRoleArn: ADMIN_ROLE };
        const group = { name: "general", instanceTypes: ["t4g.medium"], minSize: 1, maxSize: 3, desiredSize: 2 };
        const refusals: { title: string; value: unknown; path: string; message: RegExp }[] = [
            { title: "a version outside standard support", value: { ...base, version: "1.31" }, path: "version", message: /1\.34, 1\.35, 1\.36/ },
            { title: "no admin role", value: {}, path: "adminRoleArn", message: /./ },
            {
                title: "an admin ARN that is not a role",
                value: { adminRoleArn: "arn:aws:iam::123456789012:user/alice" },
                path: "adminRoleArn",
                message: /IAM role ARN/,
            },
            {
                title: "authentication by ConfigMap only",
                value: { ...base, authenticationMode: "CONFIG_MAP" },
                path: "authenticationMode",
                message: /API/,
            },
            { title: "an unknown log type", value: { ...base, logTypes: ["api", "audit", "kubelet"] }, path: "logTypes.2", message: /./ },
            { title: "no audit log", value: { ...base, logTypes: ["api", "authenticator"] }, path: "logTypes", message: /audit/ },
            {
                title: "x86_64 and arm64 instance types in one group",
                value: { ...base, nodeGroups: [{ ...group, instanceTypes: ["m7g.large", "m6i.large"] }] },
                path: "nodeGroups.0.instanceTypes",
                message: /mixes architectures.*m7g\.large \(arm64\).*m6i\.large \(x86_64\)/,
            },
            {
                title: "an instance type too small for EKS",
                value: { ...base, nodeGroups: [{ ...group, instanceTypes: ["t3.micro"] }] },
                path: "nodeGroups.0.instanceTypes.0",
                message: /allowed: .*t4g\.medium/,
            },
            {
                title: "desired above max",
                value: { ...base, nodeGroups: [{ ...group, desiredSize: 5 }] },
                path: "nodeGroups.0.desiredSize",
                message: /minSize ≤ desiredSize ≤ maxSize/,
            },
            {
                title: "min above desired",
                value: { ...base, nodeGroups: [{ ...group, minSize: 3 }] },
                path: "nodeGroups.0.desiredSize",
                message: /minSize ≤ desiredSize/,
            },
            { title: "two groups with one name", value: { ...base, nodeGroups: [group, group] }, path: "nodeGroups.1.name", message: /used twice/ },
            {
                title: "a disk below the AMI's 20 GiB",
                value: { ...base, nodeGroups: [{ ...group, diskSizeGb: 8 }] },
                path: "nodeGroups.0.diskSizeGb",
                message: /./,
            },
            {
                title: "a capacity type EKS does not know",
                value: { ...base, nodeGroups: [{ ...group, capacityType: "RESERVED" }] },
                path: "nodeGroups.0.capacityType",
                message: /./,
            },
            { title: "no node group", value: { ...base, nodeGroups: [] }, path: "nodeGroups", message: /./ },
            { title: "an unknown key", value: { ...base, fargate: true }, path: "", message: /fargate/ },
        ];
        for (const refusal of refusals) {
            it(`refuses ${refusal.title}, naming the key`, () => {
                const found = issues(refusal.value);
                assert.ok(
                    found.some((issue) => issue.path === refusal.path && refusal.message.test(issue.message)),
                    `expected an issue at "${refusal.path}" matching ${refusal.message}, got ${JSON.stringify(found)}`,
                );
            });
        }

        it("accepts both sample sections", () => {
            assert.strictEqual(eksSchema.safeParse(STAGING).success, true);
            assert.strictEqual(eksSchema.safeParse(PROD).success, true);
        });
    });

    describe("the sections proposed for Pulumi.staging.yaml and Pulumi.prod.yaml", () => {
        for (const [stack, section] of Object.entries(PROPOSED)) {
            it(`${stack}: accepted with the stack's network, access and protect, and its cluster breaks no rule of the pack`, async () => {
                const stackConfig = fixtureConfig(stack);
                const problems = eksProblems({
                    kubernetes: "eks",
                    eks: eksSchema.parse(section),
                    protect: stackConfig.protect,
                    network: stackConfig.network,
                    access: stackConfig.access,
                });
                assert.deepStrictEqual(problems, []);
                const { run } = await runEks(stack, section, { protect: stackConfig.protect, adminCidrs: stackConfig.access.adminCidrs });
                assert.deepStrictEqual(
                    runPolicies(toDeploymentResources(run), STRICTEST_CONFIG, stack).map((finding) => `${finding.policy}: ${finding.message}`),
                    [],
                );
            });
        }
    });

    describe("cross-tier checks: eksProblems", () => {
        type Changes = Omit<Partial<EksCheckInput>, "eks"> & { eks?: Section };
        const network: EksCheckInput["network"] = {
            privateSubnetCidrs: ["10.1.10.0/24", "10.1.20.0/24"],
            natGateways: "single",
            interfaceEndpoints: false,
        };
        const input = (changes: Changes): EksCheckInput => ({
            kubernetes: "eks",
            protect: false,
            network,
            access: { adminCidrs: ADMIN_CIDRS },
            ...changes,
            eks: changes.eks === undefined && "eks" in changes ? undefined : eksSchema.parse(changes.eks ?? { adminRoleArn: ADMIN_ROLE }),
        });
        const problems = (changes: Changes) => eksProblems(input(changes));
        const pathsOf = (changes: Changes) => problems(changes).map((problem) => problem.path.join("."));

        it("accepts the staging-like and prod-like sections with their stacks", () => {
            assert.deepStrictEqual(problems({ eks: STAGING }), []);
            assert.deepStrictEqual(problems({ eks: PROD, protect: true, network: { ...network, natGateways: "perAz" } }), []);
        });

        it("refuses a public endpoint in a protected (prod) stack", () => {
            const found = problems({ eks: { ...base(), endpointPublicAccess: true }, protect: true });
            assert.deepStrictEqual(
                found.map((problem) => problem.path),
                [["eks", "endpointPublicAccess"]],
            );
            assert.match(found[0].message, /protected \(production\) stack keeps the API endpoint private/);
        });

        it("refuses a public endpoint without admin CIDRs (it would be open to the world)", () => {
            const found = problems({ eks: { ...base(), endpointPublicAccess: true }, access: { adminCidrs: [] } });
            assert.deepStrictEqual(
                found.map((problem) => problem.path),
                [["eks", "endpointPublicAccess"]],
            );
            assert.match(found[0].message, /access\.adminCidrs, which is empty/);
        });

        it("refuses IPv6 admin CIDRs for the IPv4 public endpoint, naming the entry", () => {
            assert.deepStrictEqual(
                pathsOf({ eks: { ...base(), endpointPublicAccess: true }, access: { adminCidrs: ["203.0.113.0/24", "2001:db8::/48"] } }),
                ["access.adminCidrs.1"],
            );
        });

        it("refuses creator-admin bootstrap in a protected stack", () => {
            assert.deepStrictEqual(pathsOf({ eks: { ...base(), bootstrapCreatorAdmin: true }, protect: true }), ["eks.bootstrapCreatorAdmin"]);
        });

        it("refuses private subnets in fewer than two AZs", () => {
            assert.deepStrictEqual(pathsOf({ network: { ...network, privateSubnetCidrs: ["10.1.10.0/24"] } }), ["network.privateSubnetCidrs"]);
        });

        it("refuses nodes without egress: no NAT and no interface endpoints, or endpoints without ec2, sts and eks-auth", () => {
            const none = problems({ network: { ...network, natGateways: "none" } });
            assert.deepStrictEqual(
                none.map((problem) => problem.path),
                [["eks", "nodeGroups"]],
            );
            assert.match(none[0].message, /natGateways to single\|perAz/);
            const partial = problems({
                network: { ...network, natGateways: "none", interfaceEndpoints: true },
                interfaceEndpointServices: ["ecr.api", "ecr.dkr", "logs", "secretsmanager"],
            });
            assert.match(partial[0].message, /none for ec2, sts, eks-auth/);
            assert.deepStrictEqual(
                problems({
                    network: { ...network, natGateways: "none", interfaceEndpoints: true },
                    interfaceEndpointServices: [...EKS_NODE_ENDPOINT_SERVICES, "logs"],
                }),
                [],
            );
        });

        it("asks for the eks section with kubernetes: eks, and refuses it with another mode", () => {
            assert.deepStrictEqual(pathsOf({ eks: undefined }), ["eks"]);
            assert.deepStrictEqual(pathsOf({ kubernetes: "minikube" }), ["eks"]);
            assert.deepStrictEqual(eksProblems({ ...input({}), kubernetes: "none", eks: undefined }), []);
        });

        function base() {
            return { adminRoleArn: ADMIN_ROLE };
        }
    });
});
