import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../../encryption/keys";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../iam";
import { Architecture, architectureOf } from "../instance-types";
import { Naming, TierName } from "../naming";
import { HostsConfig } from "./config";

/**
 * What both hosts (Kubernetes, monitoring) share: the Amazon Linux 2023 AMI of the instance type's
 * architecture from AWS's public SSM parameter, an instance role with SSM Session Manager plus the
 * host's own scoped policy, an encrypted gp3 root volume, IMDSv2 only with a hop limit of 1, and an
 * optional key pair. No Elastic IP and, by default, no inbound traffic: the UIs are reached through
 * SSM port forwarding (`npm run tunnel`). The user data is rendered by user-data.ts.
 */

/** AWS's public parameters for the current Amazon Linux 2023 AMI, per architecture. */
export const AL2023_AMI_PARAMETERS: Readonly<Record<Architecture, string>> = {
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
};
/**
 * IMDSv2 answers only within one network hop: processes on the instance (the bootstrap, the SSM agent,
 * and containers in the host's network namespace) get credentials; containers on a Docker bridge (one
 * hop further) get no answer. The monitoring containers that need the role run on the host network
 * (see `instanceRole` in components/monitoring/catalog.ts); nothing in minikube needs it.
 */
export const IMDS_HOP_LIMIT = 1;

/** What both host tiers (Kubernetes, monitoring) take from the platform. */
export interface HostTierArgs {
    readonly naming: Naming;
    /** A public subnet (with `associatePublicIp`) or a private one behind a NAT gateway. */
    readonly subnetId: pulumi.Input<string>;
    /**
     * A public IPv4 address assigned at launch, for egress (packages, images, AWS APIs) where the stack
     * has no NAT gateway; never for inbound, which the host's group refuses unless `publicAdminIngress`.
     */
    readonly associatePublicIp: boolean;
    /** The host's firewall group: no ingress by default; the UIs from admin CIDRs with `publicAdminIngress`. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Customer-managed keys; the `secrets` key encrypts the host's secret. */
    readonly keys?: Partial<KeyArns>;
    /** OpenSSH public key (`access.sshPublicKey`); a key pair on both hosts only when set. */
    readonly sshPublicKey?: string;
    /** The `hosts` section: instance types, root volume, detailed monitoring, public admin ingress. */
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
    readonly architecture: Architecture;
}

/** Builds one host's resources with `opts` (the host tier's child options), named `${name}-<part>`. */
export function buildHost(name: string, args: HostArgs, opts: pulumi.CustomResourceOptions): Host {
    const invokeOpts = { parent: opts.parent };
    const tags = (part: string) => args.naming.tags(args.tier, `${args.purpose}${part}`);
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    const architecture = architectureOf(args.instanceType);

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

    // A key pair only when the stack sets a key; SSH then goes through Session Manager (AWS-StartSSHSession),
    // and port 22 opens to the admin CIDRs only with publicAdminIngress — the same on both hosts.
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

    const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETERS[architecture] }, invokeOpts).value;
    const instance = new aws.ec2.Instance(
        `${name}-instance`,
        {
            ami,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [args.securityGroupId],
            associatePublicIpAddress: args.associatePublicIp,
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
            // User data runs at first boot: a change needs a new instance. What must survive a stop, start
            // or reboot (minikube, the ArgoCD forward, the compose project) runs under systemd units.
            userDataReplaceOnChange: true,
            tags: tags(""),
        },
        {
            ...opts,
            // The parameter moves to each new AL2023 release; following it would replace the host
            // (and its minikube and monitoring data) every few weeks. Pulumi sends the AMI recorded in the
            // state for an ignored property even when the host is replaced (`--replace` included), so rolling
            // the AMI or changing a deployed host's architecture (x86_64 <-> arm64) takes
            // `pulumi destroy --target <instance urn> --target-dependents`, then `pulumi up` (README, Hosts).
            ignoreChanges: ["ami"],
        },
    );

    return { instance, role, architecture };
}
