import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../../encryption/keys";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../iam";
import { Naming, TierName } from "../naming";
import { HostsConfig } from "./config";

/**
 * What both hosts (Kubernetes, monitoring) share: the Amazon Linux 2023 AMI from
 * AWS's public SSM parameter, an instance role with SSM Session Manager plus the
 * host's own scoped policy, an encrypted gp3 root volume, IMDSv2 only, an optional
 * key pair, and an Elastic IP so the URLs are known before the secrets are written
 * and survive instance replacement. The user data is rendered by user-data.ts.
 */

/** AWS's public parameter for the current Amazon Linux 2023 x86_64 AMI. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** Containers on a Docker bridge are one hop further from IMDS than the instance. */
export const IMDS_HOP_LIMIT = 2;

/** What both host tiers (Kubernetes, monitoring) take from the platform. */
export interface HostTierArgs {
    readonly naming: Naming;
    /** A public subnet: dev has no NAT, and the hosts serve their UIs on the Elastic IP. */
    readonly subnetId: pulumi.Input<string>;
    /** The host's firewall group: its admin ports from admin CIDRs only. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Customer-managed keys; the `secrets` key encrypts the host's secret. */
    readonly keys?: Partial<KeyArns>;
    /** OpenSSH public key (`access.sshPublicKey`); a key pair only when set. */
    readonly sshPublicKey?: string;
    /** The `hosts` section: instance types, root volume, detailed monitoring. */
    readonly hosts: HostsConfig;
    readonly region: string;
}

/** A host tier's args plus what tells the two hosts apart. */
export interface HostArgs extends HostTierArgs {
    readonly tier: TierName;
    /** Physical-name purpose, e.g. `kubernetes-host` → `${env}-kubernetes-host`. */
    readonly purpose: string;
    readonly instanceType: string;
    /** Rendered user data (user-data.ts keeps it under EC2's 16 KB). */
    readonly userData: pulumi.Input<string>;
    /** The host's own permissions, besides Session Manager. */
    readonly statements: readonly PolicyStatement[];
}

export interface Host {
    readonly instance: aws.ec2.Instance;
    readonly role: aws.iam.Role;
    readonly eip: aws.ec2.Eip;
    /** The Elastic IP: stable across instance replacement. */
    readonly publicIp: pulumi.Output<string>;
}

/** Builds one host's resources with `opts` (the host tier's child options), named `${name}-<part>`. */
export function buildHost(name: string, args: HostArgs, opts: pulumi.CustomResourceOptions): Host {
    const invokeOpts = { parent: opts.parent };
    const tags = (part: string) => args.naming.tags(args.tier, `${args.purpose}${part}`);
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;

    const role = new aws.iam.Role(
        `${name}-role`,
        {
            name: args.naming.name(args.purpose),
            description: `Instance role of the ${args.purpose}`,
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
            tags: tags("-role"),
        },
        opts,
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-ssm-core`,
        {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
        },
        opts,
    );
    new aws.iam.RolePolicy(
        `${name}-policy`,
        {
            role: role.name,
            name: args.naming.name(`${args.purpose}-access`),
            policy: policyDocument(args.statements),
        },
        opts,
    );
    const profile = new aws.iam.InstanceProfile(
        `${name}-profile`,
        {
            name: args.naming.name(args.purpose),
            role: role.name,
            tags: tags("-profile"),
        },
        opts,
    );

    // A key pair only when the stack sets a key (the firewall opens SSH for the same reason).
    const keyPair =
        args.sshPublicKey === undefined
            ? undefined
            : new aws.ec2.KeyPair(
                  `${name}-key`,
                  {
                      keyName: args.naming.name(args.purpose),
                      publicKey: args.sshPublicKey,
                      tags: tags("-key"),
                  },
                  opts,
              );

    const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, invokeOpts).value;
    const instance = new aws.ec2.Instance(
        `${name}-instance`,
        {
            ami,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [args.securityGroupId],
            // A public address from the first second of boot (dev has no NAT); the Elastic IP replaces it.
            associatePublicIpAddress: true,
            iamInstanceProfile: profile.name,
            keyName: keyPair?.keyName,
            monitoring: args.hosts.detailedMonitoring,
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: IMDS_HOP_LIMIT,
                instanceMetadataTags: "disabled",
            },
            rootBlockDevice: {
                volumeType: "gp3",
                volumeSize: args.hosts.rootVolumeGiB,
                encrypted: true,
                deleteOnTermination: true,
                tags: tags("-root"),
            },
            userData: args.userData,
            // User data runs once, at first boot: a change needs a new instance (the Elastic IP keeps the URL).
            userDataReplaceOnChange: true,
            tags: tags(""),
        },
        {
            ...opts,
            // The parameter moves to each new AL2023 release; following it would replace the host
            // (and its minikube and monitoring data) every few weeks. Roll the AMI on purpose with
            // `pulumi up --replace <instance urn>`.
            ignoreChanges: ["ami"],
        },
    );

    const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: tags("-eip") }, opts);
    new aws.ec2.EipAssociation(`${name}-eip-association`, { allocationId: eip.allocationId, instanceId: instance.id }, opts);

    return { instance, role, eip, publicIp: eip.publicIp };
}
