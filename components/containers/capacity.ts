import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { KeyArns } from "../encryption/keys";
import { serviceTrustPolicy } from "../shared/iam";
import { Architecture, architectureOf } from "../shared/instance-types";
import { Naming, componentType } from "../shared/naming";
import { ASSETS_DIR } from "../shared/paths";
import { TierComponent } from "../shared/tier";
import { Ec2CapacityConfig } from "./capacity-config";

/**
 * AWS's public parameters for the recommended ECS-optimized Amazon Linux 2023 AMI, per architecture
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html).
 */
export const ECS_AMI_PARAMETERS: Readonly<Record<Architecture, string>> = {
    x86_64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    arm64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
};

/** The AMI's root device (AL2023). */
export const ROOT_DEVICE_NAME = "/dev/xvda";

/**
 * IMDSv2 within one hop. The ECS agent runs in the host's network namespace and tasks use awsvpc: they
 * get their own role's credentials from the agent's endpoint (169.254.170.2), not from IMDS, and
 * ECS_AWSVPC_BLOCK_IMDS cuts them off from IMDS anyway; a container on a bridge network is a second
 * hop and gets no token. Nothing on these instances needs a second hop.
 */
export const CAPACITY_IMDS_HOP_LIMIT = 1;

/** Managed policies of the container instance role: the ECS agent's, and Session Manager (no SSH, no key pair). */
export const CAPACITY_INSTANCE_POLICIES = ["service-role/AmazonEC2ContainerServiceforEC2Role", "AmazonSSMManagedInstanceCore"] as const;

/** Tag ECS sets on an auto scaling group it scales (written here so Pulumi does not remove it). */
export const ECS_MANAGED_TAG = "AmazonECSManaged";

export const CAPACITY_USER_DATA = path.join(ASSETS_DIR, "user-data", "ecs-capacity.sh");
const PARAMETERS_MARKER = "# @parameters";

/** The user data (plain text): assets/user-data/ecs-capacity.sh with the cluster's name. */
export function capacityUserData(clusterName: string): string {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) throw new Error(`ECS cluster name ${clusterName} is not one ECS accepts`);
    const source = fs.readFileSync(CAPACITY_USER_DATA, "utf8");
    if (!source.includes(PARAMETERS_MARKER)) throw new Error(`${CAPACITY_USER_DATA} has no "${PARAMETERS_MARKER}" line`);
    return source.replace(PARAMETERS_MARKER, `readonly ECS_CLUSTER_NAME='${clusterName}'`);
}

export interface Ec2CapacityArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:containers.ec2Capacity` section. */
    readonly config: Ec2CapacityConfig;
    /** The cluster the instances join (`ECS_CLUSTER`). */
    readonly clusterName: pulumi.Input<string>;
    /** Subnets of the auto scaling group, already chosen by `ec2Capacity.placement` (private or public), one per AZ. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The app security group (the instances' and their awsvpc tasks' ENIs take their own groups). */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * Customer-managed keys; the `storage` key encrypts the root volumes (the EBS default key without it).
     * Its key policy must let the account's AWSServiceRoleForAutoScaling use it, or launches fail.
     */
    readonly keys?: Partial<KeyArns>;
    /** A key for the root volumes instead of `keys.storage`. Default: keys.storage. */
    readonly volumeKeyArn?: pulumi.Input<string>;
    /** Protect the name suffix (renaming replaces the group and the capacity provider). */
    readonly protect: boolean;
}

/**
 * ECS on EC2: the ECS-optimized AL2023 AMI from its public SSM parameter, an instance role and
 * profile, a launch template (IMDSv2 with one hop, encrypted gp3 root, the app group, no public IP
 * in private placement, user data that joins the cluster), an auto scaling group over the subnets
 * with scale-in protection, and a capacity provider with managed scaling and managed termination
 * protection. The containers tier attaches the provider to the cluster beside FARGATE and FARGATE_SPOT.
 */
export class Ec2Capacity extends TierComponent {
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly autoScalingGroup: aws.autoscaling.Group;
    readonly capacityProvider: aws.ecs.CapacityProvider;
    readonly instanceRole: aws.iam.Role;
    readonly capacityProviderName: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly launchTemplateId: pulumi.Output<string>;

    constructor(name: string, args: Ec2CapacityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("containers", "Ec2Capacity"), name, opts);
        const { naming, config } = args;
        const tags = (purpose: string) => naming.tags("containers", purpose);
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        // ECS keeps a deleted capacity provider's name for a while: a destroyed and re-created stack needs new names.
        const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 4 }, this.child({ protect: args.protect }));
        const groupName = pulumi.interpolate`${naming.name("ecs-capacity")}-${suffix.hex}`;

        this.instanceRole = new aws.iam.Role(
            `${name}-instance-role`,
            {
                name: naming.name("ecs-instance"),
                description: "ECS container instances: the ECS agent and Session Manager",
                assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
                tags: tags("ecs-instance-role"),
            },
            this.child(),
        );
        const attachments = CAPACITY_INSTANCE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-${policy.split("/").pop()}`,
                    { role: this.instanceRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                    this.child(),
                ),
        );
        const profile = new aws.iam.InstanceProfile(
            `${name}-instance-profile`,
            { name: naming.name("ecs-instance"), role: this.instanceRole.name, tags: tags("ecs-instance-profile") },
            this.child(),
        );

        const ami = aws.ssm.getParameterOutput({ name: ECS_AMI_PARAMETERS[architectureOf(config.instanceType)] }, { parent: this }).value;
        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-launch-template`,
            {
                name: naming.name("ecs-capacity"),
                description: "ECS container instances (ECS-optimized Amazon Linux 2023)",
                imageId: ami,
                instanceType: config.instanceType,
                iamInstanceProfile: { arn: profile.arn },
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: CAPACITY_IMDS_HOP_LIMIT,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: ROOT_DEVICE_NAME,
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: config.volumeSizeGb,
                            encrypted: "true",
                            kmsKeyId: args.volumeKeyArn ?? args.keys?.storage,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                networkInterfaces: [
                    {
                        deviceIndex: 0,
                        associatePublicIpAddress: config.placement === "public" ? "true" : "false",
                        securityGroups: [args.securityGroupId],
                        deleteOnTermination: "true",
                    },
                ],
                userData: pulumi.output(args.clusterName).apply((cluster) => Buffer.from(capacityUserData(cluster), "utf8").toString("base64")),
                tagSpecifications: [
                    { resourceType: "instance", tags: tags("ecs-instance") },
                    { resourceType: "volume", tags: tags("ecs-instance-root") },
                ],
                updateDefaultVersion: true,
                tags: tags("ecs-capacity-template"),
            },
            // The instance profile must carry its role before an instance launches with it.
            this.child({ dependsOn: attachments }),
        );

        this.autoScalingGroup = new aws.autoscaling.Group(
            `${name}-group`,
            {
                name: groupName,
                minSize: config.minSize,
                maxSize: config.maxSize,
                desiredCapacity: config.desiredSize,
                vpcZoneIdentifiers: args.subnetIds,
                launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
                healthCheckType: "EC2",
                // Managed termination protection works only on instances protected from scale-in.
                protectFromScaleIn: true,
                // Deleting the group terminates its (scale-in protected) instances instead of waiting on them.
                forceDelete: true,
                tags: [
                    ...Object.entries(tags("ecs-capacity")).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
                    { key: ECS_MANAGED_TAG, value: "true", propagateAtLaunch: true },
                ],
            },
            // Managed scaling owns the desired capacity once the group exists.
            this.child({ ignoreChanges: ["desiredCapacity"] }),
        );

        this.capacityProvider = new aws.ecs.CapacityProvider(
            `${name}-capacity-provider`,
            {
                name: groupName,
                autoScalingGroupProvider: {
                    autoScalingGroupArn: this.autoScalingGroup.arn,
                    managedTerminationProtection: "ENABLED",
                    managedDraining: "ENABLED",
                    managedScaling: {
                        status: "ENABLED",
                        targetCapacity: config.targetCapacityPercent,
                        minimumScalingStepSize: 1,
                        maximumScalingStepSize: Math.max(1, config.maxSize),
                        instanceWarmupPeriod: 300,
                    },
                },
                tags: tags("ecs-capacity-provider"),
            },
            this.child(),
        );

        this.capacityProviderName = this.capacityProvider.name;
        this.autoScalingGroupName = this.autoScalingGroup.name;
        this.launchTemplateId = this.launchTemplate.id;
        this.registerOutputs({
            capacityProviderName: this.capacityProviderName,
            autoScalingGroupName: this.autoScalingGroupName,
            launchTemplateId: this.launchTemplateId,
        });
    }
}
