import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { PolicyStatement, keyUseVia, policyDocument, serviceTrustPolicy } from "../iam";
import { Naming, TierName } from "../naming";
import { ASSETS_DIR } from "../paths";

/**
 * What both hosts (Kubernetes, monitoring) share: the Amazon Linux 2023 AMI from
 * AWS's public SSM parameter, an instance role with SSM Session Manager plus the
 * host's own scoped policy, an encrypted gp3 root volume, IMDSv2 only, an optional
 * key pair, and an Elastic IP so the URLs are known before the secrets are written
 * and survive instance replacement. Also the user-data renderer.
 */

/** AWS's public parameter for the current Amazon Linux 2023 x86_64 AMI. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** EC2 accepts at most 16 KB of user data (before base64). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;
/** Containers on a Docker bridge are one hop further from IMDS than the instance. */
export const IMDS_HOP_LIMIT = 2;

export const USER_DATA_DIR = path.join(ASSETS_DIR, "user-data");

/** What both host tiers (Kubernetes, monitoring) take from the platform. */
export interface HostTierArgs {
    readonly naming: Naming;
    /** A public subnet: dev has no NAT, and the hosts serve their UIs on the Elastic IP. */
    readonly subnetId: pulumi.Input<string>;
    /** The host's firewall group: its admin ports from admin CIDRs only. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Customer-managed key of the host's secret, when the stack uses KMS. */
    readonly secretsKeyArn?: pulumi.Input<string>;
    readonly sshPublicKey?: string;
    readonly hosts: StackConfig["hosts"];
    readonly region: string;
}

/** A host tier's args plus what tells the two hosts apart. */
export interface HostArgs extends HostTierArgs {
    readonly tier: TierName;
    /** Physical-name purpose, e.g. `kubernetes-host` → `${env}-kubernetes-host`. */
    readonly purpose: string;
    readonly instanceType: string;
    /** Rendered user data; must stay under USER_DATA_LIMIT_BYTES. */
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

/** Read of exactly one secret (and its key, only through Secrets Manager). */
export function secretReadStatements(secretArn: pulumi.Input<string>, region: string, keyArn?: pulumi.Input<string>): PolicyStatement[] {
    const statements: PolicyStatement[] = [{
        Sid: "ReadOwnSecret",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: secretArn,
    }];
    return [...statements, ...keyUseVia("DecryptOwnSecret", keyArn, ["kms:Decrypt"], "secretsmanager", region)];
}

/** Builds one host's resources as children of `parent`, named `${name}-<part>`. */
export function buildHost(parent: pulumi.Resource, name: string, args: HostArgs): Host {
    const opts = { parent };
    const tags = (part: string) => args.naming.tags(args.tier, `${args.purpose}${part}`);
    const partition = aws.getPartitionOutput({}, opts).partition;

    const role = new aws.iam.Role(`${name}-role`, {
        name: args.naming.name(args.purpose),
        description: `Instance role of the ${args.purpose}`,
        assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        tags: tags("-role"),
    }, opts);
    new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    }, opts);
    new aws.iam.RolePolicy(`${name}-policy`, {
        role: role.name,
        name: args.naming.name(`${args.purpose}-access`),
        policy: policyDocument(args.statements),
    }, opts);
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, {
        name: args.naming.name(args.purpose),
        role: role.name,
        tags: tags("-profile"),
    }, opts);

    // A key pair only when the stack sets a key (the firewall opens SSH for the same reason).
    const keyPair = args.sshPublicKey === undefined ? undefined : new aws.ec2.KeyPair(`${name}-key`, {
        keyName: args.naming.name(args.purpose),
        publicKey: args.sshPublicKey,
        tags: tags("-key"),
    }, opts);

    const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, opts).value;
    const instance = new aws.ec2.Instance(`${name}-instance`, {
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
    }, {
        ...opts,
        // The parameter moves to each new AL2023 release; following it would replace the host
        // (and its minikube and monitoring data) every few weeks. Roll the AMI on purpose with
        // `pulumi up --replace <instance urn>`.
        ignoreChanges: ["ami"],
    });

    const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: tags("-eip") }, opts);
    new aws.ec2.EipAssociation(`${name}-eip-association`, { allocationId: eip.allocationId, instanceId: instance.id }, opts);

    return { instance, role, eip, publicIp: eip.publicIp };
}

// ---------------------------------------------------------------------------
// User data
// ---------------------------------------------------------------------------

/** A file the user data writes (embedded as base64 of gzip to stay under the size limit). */
export interface EmbeddedFile {
    /** Absolute path on the host. */
    readonly path: string;
    readonly content: string;
    /** Octal mode, e.g. `0644`. */
    readonly mode: string;
    /** `user:group`. */
    readonly owner: string;
}

export interface UserDataSpec {
    /** Host script in assets/user-data (`kubernetes.sh`, `monitoring.sh`). */
    readonly script: string;
    /** UPPERCASE names → values, rendered as readonly shell variables. Never secrets. */
    readonly parameters: Readonly<Record<string, string | number>>;
    readonly files: readonly EmbeddedFile[];
}

const BODY_MARKER = "# @body";
const EMBED_DELIMITER = "EMBEDDED_FILE";

/** Reads a file of assets/user-data. */
export function readAsset(relativePath: string): string {
    return fs.readFileSync(path.join(USER_DATA_DIR, relativePath), "utf8");
}

/** The part of an asset script below its `# @body` line. */
export function scriptBody(source: string, name: string): string {
    const lines = source.split("\n");
    const marker = lines.findIndex((line) => line.trim() === BODY_MARKER);
    if (marker < 0) throw new Error(`assets/user-data/${name} has no "${BODY_MARKER}" line`);
    return lines.slice(marker + 1).join("\n").trim();
}

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

function embed(file: EmbeddedFile): string {
    if (!/^\/[\w./-]+$/.test(file.path)) throw new Error(`embedded file path ${file.path} must be absolute and plain`);
    const encoded = zlib.gzipSync(Buffer.from(file.content, "utf8"), { level: 9 }).toString("base64");
    const lines = encoded.match(/.{1,76}/g) ?? [];
    return [`write_file ${file.path} ${file.mode} ${file.owner} <<'${EMBED_DELIMITER}'`, ...lines, EMBED_DELIMITER].join("\n");
}

/**
 * The user data: shebang, strict mode, parameters, lib.sh, the embedded files, the
 * host script's body. Throws when it exceeds EC2's 16 KB limit.
 */
export function renderUserData(spec: UserDataSpec): string {
    const parameters = Object.entries(spec.parameters).map(([name, value]) => {
        if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`user-data parameter ${name} must be UPPER_SNAKE_CASE`);
        return `readonly ${name}=${shellQuote(String(value))}`;
    });
    const text = [
        "#!/bin/bash",
        `# Rendered by components/host.ts from assets/user-data/lib.sh and ${spec.script}.`,
        "set -euo pipefail",
        "",
        ...parameters,
        "",
        scriptBody(readAsset("lib.sh"), "lib.sh"),
        "",
        ...spec.files.map(embed),
        "",
        scriptBody(readAsset(spec.script), spec.script),
        "",
    ].join("\n");
    const size = Buffer.byteLength(text, "utf8");
    if (size > USER_DATA_LIMIT_BYTES) {
        throw new Error(`user data of ${spec.script} is ${size} bytes; EC2 accepts at most ${USER_DATA_LIMIT_BYTES}`);
    }
    return text;
}

/** The files a rendered user data writes, decoded (for the asset renderer and tests). */
export function embeddedFiles(userData: string): EmbeddedFile[] {
    const pattern = new RegExp(`^write_file (\\S+) (\\d+) (\\S+) <<'${EMBED_DELIMITER}'\\n([\\s\\S]*?)\\n${EMBED_DELIMITER}$`, "gm");
    return [...userData.matchAll(pattern)].map(([, filePath, mode, owner, encoded]) => ({
        path: filePath,
        mode,
        owner,
        content: zlib.gunzipSync(Buffer.from(encoded.replace(/\s/g, ""), "base64")).toString("utf8"),
    }));
}
