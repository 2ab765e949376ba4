import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { DOCKER_TYPE } from "../components/local/types";
import { REGION_AZS } from "../components/shared/regions";
import { TYPE } from "../policy-pack/policies/types";

/**
 * The mock cloud: one implementation of `pulumi.runtime.Mocks` used by the unit
 * tests and by the offline plan. It answers the invokes the program uses, gives
 * each resource type realistic ids, ARNs and computed attributes, generates
 * `random` results of the asked shape (kept secret), answers the Docker provider
 * (a local stack's network, volumes, images and containers), and records every
 * registration with its parent, inputs, outputs and dependencies.
 *
 * Everything is deterministic: the same program and config give the same ids,
 * so plans and diagrams can be compared across runs.
 */

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

/** Marker pair Pulumi uses on the wire for secret values. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent?: string;
    readonly id?: string;
    /** Inputs as registered; secret values keep their secret wrapper (see `isSecretValue`). */
    readonly inputs: Record<string, unknown>;
    /** Inputs plus what the mock cloud computed (ids, ARNs, endpoints). */
    readonly outputs: Record<string, unknown>;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly provider?: string;
}

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function secretValue<T>(value: T): unknown {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Deep copy with every secret replaced by `replacement` (default: the plain value). */
export function revealSecrets(value: unknown, replacement?: (secret: unknown) => unknown): unknown {
    if (isSecretValue(value)) return replacement ? replacement(value.value) : revealSecrets(value.value);
    if (Array.isArray(value)) return value.map((item) => revealSecrets(item, replacement));
    if (value && typeof value === "object" && !(value instanceof Date)) {
        const copy: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) copy[key] = revealSecrets(item, replacement);
        return copy;
    }
    return value;
}

/** Deterministic pseudo-random hex for a seed string. */
function hexFor(seed: string, length: number): string {
    let out = "";
    for (let counter = 0; out.length < length; counter++) {
        out += createHash("sha256").update(`${seed}#${counter}`).digest("hex");
    }
    return out.slice(0, length);
}

/** Deterministic bytes for a seed string. */
function bytesFor(seed: string, count: number): Buffer {
    return Buffer.from(hexFor(seed, count * 2), "hex");
}

function plain(value: unknown): unknown {
    return revealSecrets(value);
}

function str(value: unknown): string | undefined {
    const v = plain(value);
    return typeof v === "string" ? v : undefined;
}

type Computed = { id: string; state: Record<string, unknown> };
type Builder = (ctx: BuildContext) => Computed;

interface BuildContext {
    readonly name: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
    readonly account: string;
    /** Deterministic hex unique to this resource. */
    hex(length: number): string;
    /** Physical name: `name` input, `namePrefix` + suffix, or Pulumi-style autoname. */
    physicalName(key?: string, lowercase?: boolean): string;
    arn(service: string, resource: string, options?: { region?: boolean; account?: boolean }): string;
}

const ec2 =
    (prefix: string, kind: string): Builder =>
    (ctx) => {
        const id = `${prefix}-0${ctx.hex(16)}`;
        return { id, state: { arn: ctx.arn("ec2", `${kind}/${id}`), ownerId: ctx.account } };
    };

const named =
    (service: string, kind: string, key = "name"): Builder =>
    (ctx) => {
        const name = ctx.physicalName(key);
        return { id: name, state: { [key]: name, arn: ctx.arn(service, `${kind}${name}`) } };
    };

/** Sub-resources keyed by their bucket (versioning, encryption, policy, ...). */
const byBucket: Builder = (ctx) => ({ id: str(ctx.inputs.bucket) ?? ctx.name, state: {} });

const BUILDERS: Record<string, Builder> = {
    // --- EC2 / VPC -------------------------------------------------------
    [TYPE.ec2Vpc]: (ctx) => {
        const id = `vpc-0${ctx.hex(16)}`;
        return {
            id,
            state: {
                arn: ctx.arn("ec2", `vpc/${id}`),
                ownerId: ctx.account,
                defaultSecurityGroupId: `sg-0${ctx.hex(17).slice(1)}`,
                mainRouteTableId: `rtb-0${ctx.hex(18).slice(2)}`,
                defaultNetworkAclId: `acl-0${ctx.hex(19).slice(3)}`,
            },
        };
    },
    [TYPE.ec2Subnet]: ec2("subnet", "subnet"),
    [TYPE.ec2SecurityGroup]: (ctx) => {
        const id = `sg-0${ctx.hex(16)}`;
        return { id, state: { arn: ctx.arn("ec2", `security-group/${id}`), ownerId: ctx.account, name: ctx.physicalName() } };
    },
    [TYPE.ec2DefaultSecurityGroup]: ec2("sg", "security-group"),
    [TYPE.vpcSecurityGroupIngressRule]: ec2("sgr", "security-group-rule"),
    [TYPE.vpcSecurityGroupEgressRule]: ec2("sgr", "security-group-rule"),
    [TYPE.ec2InternetGateway]: ec2("igw", "internet-gateway"),
    [TYPE.ec2RouteTable]: ec2("rtb", "route-table"),
    [TYPE.ec2Route]: (ctx) => ({ id: `r-${str(ctx.inputs.routeTableId) ?? "rtb"}${ctx.hex(8)}`, state: {} }),
    [TYPE.ec2RouteTableAssociation]: (ctx) => ({ id: `rtbassoc-0${ctx.hex(16)}`, state: {} }),
    [TYPE.ec2Eip]: (ctx) => {
        const id = `eipalloc-0${ctx.hex(16)}`;
        // 198.51.100.0/24 is a documentation range: obviously a placeholder.
        return {
            id,
            state: { allocationId: id, publicIp: `198.51.100.${(parseInt(ctx.hex(2), 16) % 254) + 1}`, arn: ctx.arn("ec2", `elastic-ip/${id}`) },
        };
    },
    [TYPE.ec2NatGateway]: (ctx) => ({ id: `nat-0${ctx.hex(16)}`, state: { publicIp: `198.51.100.${(parseInt(ctx.hex(2), 16) % 254) + 1}` } }),
    [TYPE.ec2VpcEndpoint]: ec2("vpce", "vpc-endpoint"),
    [TYPE.ec2FlowLog]: ec2("fl", "vpc-flow-log"),
    [TYPE.ec2KeyPair]: (ctx) => {
        const name = ctx.physicalName("keyName");
        return { id: name, state: { keyName: name, keyPairId: `key-0${ctx.hex(16)}`, arn: ctx.arn("ec2", `key-pair/${name}`) } };
    },
    [TYPE.ec2LaunchTemplate]: (ctx) => {
        const id = `lt-0${ctx.hex(16)}`;
        return { id, state: { arn: ctx.arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
    },
    [TYPE.ec2Instance]: (ctx) => {
        const id = `i-0${ctx.hex(16)}`;
        const octet = (parseInt(ctx.hex(2), 16) % 200) + 10;
        const publicIp = plain(ctx.inputs.associatePublicIpAddress) === true ? `198.51.100.${octet}` : "";
        return {
            id,
            state: {
                arn: ctx.arn("ec2", `instance/${id}`),
                privateIp: `10.0.0.${octet}`,
                publicIp,
                publicDns: publicIp ? `ec2-${publicIp.replace(/\./g, "-")}.${ctx.region}.compute.amazonaws.com` : "",
                instanceState: "running",
            },
        };
    },
    [TYPE.ebsVolume]: ec2("vol", "volume"),

    // --- IAM --------------------------------------------------------------
    [TYPE.iamRole]: (ctx) => {
        const name = ctx.physicalName();
        return { id: name, state: { name, arn: ctx.arn("iam", `role/${name}`, { region: false }), uniqueId: `AROA${ctx.hex(17).toUpperCase()}` } };
    },
    [TYPE.iamPolicy]: (ctx) => {
        const name = ctx.physicalName();
        const arn = ctx.arn("iam", `policy/${name}`, { region: false });
        return { id: arn, state: { name, arn, policyId: `ANPA${ctx.hex(17).toUpperCase()}` } };
    },
    [TYPE.iamRolePolicy]: (ctx) => ({ id: `${str(ctx.inputs.role)}:${ctx.physicalName()}`, state: { name: ctx.physicalName() } }),
    [TYPE.iamRolePolicyAttachment]: (ctx) => ({ id: `${str(ctx.inputs.role)}-${ctx.hex(20)}`, state: {} }),
    [TYPE.iamInstanceProfile]: (ctx) => {
        const name = ctx.physicalName();
        return {
            id: name,
            state: { name, arn: ctx.arn("iam", `instance-profile/${name}`, { region: false }), uniqueId: `AIPA${ctx.hex(17).toUpperCase()}` },
        };
    },
    [TYPE.iamServiceLinkedRole]: named("iam", "role/aws-service-role/"),

    // --- S3 ---------------------------------------------------------------
    [TYPE.s3Bucket]: (ctx) => {
        const bucket = ctx.physicalName("bucket", true);
        return {
            id: bucket,
            state: {
                bucket,
                arn: `arn:${MOCK_PARTITION}:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
                region: ctx.region,
                hostedZoneId: "Z2O1EMRO9K5GLX",
            },
        };
    },
    [TYPE.s3BucketVersioning]: byBucket,
    [TYPE.s3BucketServerSideEncryptionConfiguration]: byBucket,
    [TYPE.s3BucketPublicAccessBlock]: byBucket,
    [TYPE.s3BucketOwnershipControls]: byBucket,
    [TYPE.s3BucketPolicy]: byBucket,
    [TYPE.s3BucketLogging]: byBucket,
    [TYPE.s3BucketLifecycleConfiguration]: byBucket,
    [TYPE.s3BucketObjectv2]: (ctx) => ({
        id: str(ctx.inputs.key) ?? ctx.name,
        state: { etag: ctx.hex(32), versionId: ctx.hex(32), arn: `arn:${MOCK_PARTITION}:s3:::${str(ctx.inputs.bucket)}/${str(ctx.inputs.key)}` },
    }),

    // --- Logs, KMS, Secrets -------------------------------------------------
    [TYPE.cloudwatchLogGroup]: (ctx) => {
        const name = ctx.physicalName();
        return { id: name, state: { name, arn: ctx.arn("logs", `log-group:${name}`) } };
    },
    [TYPE.kmsKey]: (ctx) => {
        const keyId = uuidFor(ctx.hex(32));
        return { id: keyId, state: { keyId, arn: ctx.arn("kms", `key/${keyId}`) } };
    },
    [TYPE.kmsAlias]: (ctx) => {
        const name = ctx.physicalName();
        return { id: name, state: { name, arn: ctx.arn("kms", name), targetKeyArn: plain(ctx.inputs.targetKeyId) } };
    },
    [TYPE.secretsmanagerSecret]: (ctx) => {
        const name = ctx.physicalName();
        const arn = ctx.arn("secretsmanager", `secret:${name}-${ctx.hex(6)}`);
        return { id: arn, state: { name, arn } };
    },
    [TYPE.secretsmanagerSecretVersion]: (ctx) => {
        const versionId = uuidFor(ctx.hex(32));
        return { id: `${str(ctx.inputs.secretId)}|${versionId}`, state: { versionId, arn: str(ctx.inputs.secretId), versionStages: ["AWSCURRENT"] } };
    },

    // --- Glue -------------------------------------------------------------
    [TYPE.glueCatalogDatabase]: (ctx) => {
        const name = ctx.physicalName();
        return { id: `${ctx.account}:${name}`, state: { name, catalogId: ctx.account, arn: ctx.arn("glue", `database/${name}`) } };
    },
    [TYPE.glueCrawler]: named("glue", "crawler/"),
    [TYPE.glueJob]: named("glue", "job/"),
    [TYPE.glueWorkflow]: named("glue", "workflow/"),
    [TYPE.glueTrigger]: named("glue", "trigger/"),
    [TYPE.glueSecurityConfiguration]: (ctx) => ({ id: ctx.physicalName(), state: { name: ctx.physicalName() } }),

    // --- ECR / ECS --------------------------------------------------------
    [TYPE.ecrRepository]: (ctx) => {
        const name = ctx.physicalName();
        return {
            id: name,
            state: {
                name,
                arn: ctx.arn("ecr", `repository/${name}`),
                registryId: ctx.account,
                repositoryUrl: `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
            },
        };
    },
    [TYPE.ecrLifecyclePolicy]: (ctx) => ({ id: str(ctx.inputs.repository) ?? ctx.name, state: { registryId: ctx.account } }),
    [TYPE.ecsCluster]: (ctx) => {
        const name = ctx.physicalName();
        const arn = ctx.arn("ecs", `cluster/${name}`);
        return { id: arn, state: { name, arn } };
    },
    [TYPE.ecsClusterCapacityProviders]: (ctx) => ({ id: str(ctx.inputs.clusterName) ?? ctx.name, state: {} }),
    [TYPE.ecsTaskDefinition]: (ctx) => {
        const family = str(ctx.inputs.family) ?? ctx.name;
        const arnWithoutRevision = ctx.arn("ecs", `task-definition/${family}`);
        return { id: family, state: { arn: `${arnWithoutRevision}:1`, arnWithoutRevision, revision: 1 } };
    },
    [TYPE.ecsService]: (ctx) => {
        const name = ctx.physicalName();
        const clusterArn = str(ctx.inputs.cluster) ?? "cluster";
        const clusterName = clusterArn.split("/").pop();
        const arn = ctx.arn("ecs", `service/${clusterName}/${name}`);
        return { id: arn, state: { name, arn } };
    },

    // --- random -----------------------------------------------------------
    [TYPE.randomId]: (ctx) => {
        const byteLength = Number(plain(ctx.inputs.byteLength) ?? 8);
        const bytes = bytesFor(`${ctx.type}::${ctx.name}`, byteLength);
        const b64Url = bytes.toString("base64url");
        return {
            id: b64Url,
            state: { hex: bytes.toString("hex"), b64Url, b64Std: bytes.toString("base64"), dec: BigInt(`0x${bytes.toString("hex")}`).toString() },
        };
    },
    [TYPE.randomPassword]: (ctx) => {
        const result = generatePassword(ctx);
        return {
            id: "none",
            state: { result: secretValue(result), bcryptHash: secretValue(fakeBcrypt(ctx)) },
        };
    },
    [TYPE.randomString]: (ctx) => {
        const result = generatePassword(ctx);
        return { id: result, state: { result } };
    },

    // --- docker (a local stack: the local Docker engine's answers) ----------
    [DOCKER_TYPE.network]: (ctx) => ({
        id: ctx.hex(64),
        state: { name: ctx.physicalName(), driver: str(ctx.inputs.driver) ?? "bridge", scope: "local", internal: false, ipamDriver: "default" },
    }),
    [DOCKER_TYPE.volume]: (ctx) => {
        const name = ctx.physicalName();
        return { id: name, state: { name, driver: "local", mountpoint: `/var/lib/docker/volumes/${name}/_data` } };
    },
    // The engine's image id, and the digest the tag resolved to (`<repository>@sha256:<digest>`).
    [DOCKER_TYPE.remoteImage]: (ctx) => {
        const name = str(ctx.inputs.name) ?? ctx.name;
        const imageId = `sha256:${hexFor(`image::${name}`, 64)}`;
        const repository = name.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^:/]+$/, "");
        return { id: `${imageId}${name}`, state: { imageId, repoDigest: `${repository}@sha256:${hexFor(`digest::${name}`, 64)}` } };
    },
    [DOCKER_TYPE.container]: (ctx) => {
        const id = ctx.hex(64);
        const networks = (plain(ctx.inputs.networksAdvanced) ?? []) as { name?: string }[];
        return {
            id,
            state: {
                name: ctx.physicalName(),
                hostname: id.slice(0, 12),
                exitCode: 0,
                // 172.18.0.0/16 is the range Docker gives its first user-defined network.
                networkDatas: networks.map((network, i) => ({
                    networkName: network.name,
                    ipAddress: `172.18.0.${(parseInt(ctx.hex(2), 16) % 250) + 2 + i}`,
                    ipPrefixLength: 16,
                    gateway: "172.18.0.1",
                })),
            },
        };
    },

    // --- data stores ---------------------------------------------------------
    [TYPE.rdsInstance]: (ctx) => {
        const id = str(ctx.inputs.identifier) ?? ctx.physicalName("identifier", true);
        const address = `${id}.c${ctx.hex(12)}.${ctx.region}.rds.amazonaws.com`;
        const managed = plain(ctx.inputs.manageMasterUserPassword) === true;
        return {
            id,
            state: {
                arn: ctx.arn("rds", `db:${id}`),
                address,
                endpoint: `${address}:${String(plain(ctx.inputs.port) ?? "")}`,
                resourceId: `db-${ctx.hex(26).toUpperCase()}`,
                status: "available",
                masterUserSecrets: managed
                    ? [
                          {
                              secretArn: ctx.arn("secretsmanager", `secret:rds!db-${uuidFor(ctx.hex(32))}-${ctx.hex(6)}`),
                              kmsKeyId: str(ctx.inputs.masterUserSecretKmsKeyId) ?? "",
                              secretStatus: "active",
                          },
                      ]
                    : [],
            },
        };
    },
    [TYPE.elasticacheReplicationGroup]: (ctx) => {
        const id = str(ctx.inputs.replicationGroupId) ?? ctx.physicalName("replicationGroupId", true);
        const host = (role: string) => `${role}.${id}.${ctx.hex(6)}.${ctx.region.replace(/-/g, "")}.cache.amazonaws.com`;
        return {
            id,
            state: {
                arn: ctx.arn("elasticache", `replicationgroup:${id}`),
                primaryEndpointAddress: host("master"),
                readerEndpointAddress: host("replica"),
                port: Number(plain(ctx.inputs.port) ?? 6379),
            },
        };
    },
    [TYPE.mskConfiguration]: (ctx) => {
        const name = ctx.physicalName();
        return {
            id: ctx.arn("kafka", `configuration/${name}/${uuidFor(ctx.hex(32))}-1`),
            state: { name, arn: ctx.arn("kafka", `configuration/${name}/${uuidFor(ctx.hex(32))}-1`), latestRevision: 1 },
        };
    },
    [TYPE.mskCluster]: (ctx) => {
        const name = ctx.physicalName("clusterName");
        const uuid = `${uuidFor(ctx.hex(32))}-3`;
        const arn = ctx.arn("kafka", `cluster/${name}/${uuid}`);
        const brokers = Number(plain(ctx.inputs.numberOfBrokerNodes) ?? 3);
        const hosts = (port: number) =>
            Array.from(
                { length: brokers },
                (_, i) => `b-${i + 1}.${name}.${ctx.hex(6)}.c${(i % 3) + 1}.kafka.${ctx.region}.amazonaws.com:${port}`,
            ).join(",");
        return {
            id: arn,
            state: {
                arn,
                clusterName: name,
                clusterUuid: uuid,
                bootstrapBrokersSaslIam: hosts(9098),
                bootstrapBrokersTls: hosts(9094),
                currentVersion: `K${ctx.hex(13).toUpperCase()}`,
            },
        };
    },
    [TYPE.mskTopic]: (ctx) => {
        const cluster = str(ctx.inputs.clusterArn) ?? "";
        const topic = str(ctx.inputs.name) ?? ctx.name;
        return { id: `${cluster},${topic}`, state: { arn: `${cluster.replace(":cluster/", ":topic/")}/${topic}` } };
    },

    // --- EKS ---------------------------------------------------------------------
    [TYPE.eksCluster]: (ctx) => {
        const name = ctx.physicalName();
        const id = ctx.hex(32).toUpperCase();
        const vpcConfig = (plain(ctx.inputs.vpcConfig) as Record<string, unknown> | undefined) ?? {};
        return {
            id: name,
            state: {
                name,
                arn: ctx.arn("eks", `cluster/${name}`),
                endpoint: `https://${id}.gr7.${ctx.region}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(`mock CA of ${name}`).toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${ctx.region}.amazonaws.com/id/${id}` }] }],
                vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-0${ctx.hex(16)}`, vpcId: `vpc-0${ctx.hex(16)}` },
                status: "ACTIVE",
            },
        };
    },

    // --- edge ----------------------------------------------------------------------
    [TYPE.lbLoadBalancer]: (ctx) => {
        const name = ctx.physicalName();
        const suffix = `app/${name}/${ctx.hex(16)}`;
        const arn = ctx.arn("elasticloadbalancing", `loadbalancer/${suffix}`);
        return {
            id: arn,
            state: {
                arn,
                arnSuffix: suffix,
                dnsName: `${name}-${parseInt(ctx.hex(8), 16)}.${ctx.region}.elb.amazonaws.com`,
                zoneId: ALB_ZONE_IDS[ctx.region] ?? "Z3AADJGX6KTTL2",
            },
        };
    },
    [TYPE.lbTargetGroup]: (ctx) => {
        const suffix = `targetgroup/${ctx.physicalName()}/${ctx.hex(16)}`;
        const arn = ctx.arn("elasticloadbalancing", suffix);
        return { id: arn, state: { arn, arnSuffix: suffix } };
    },
    [TYPE.lbListener]: (ctx) => {
        const arn = ctx.arn("elasticloadbalancing", `listener/app/${ctx.hex(8)}/${ctx.hex(16)}/${ctx.hex(16)}`);
        return { id: arn, state: { arn } };
    },
    [TYPE.acmCertificate]: (ctx) => {
        const domainName = str(ctx.inputs.domainName) ?? "example.com";
        const arn = ctx.arn("acm", `certificate/${uuidFor(ctx.hex(32))}`);
        const option = {
            domainName,
            resourceRecordName: `_${ctx.hex(32)}.${domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${ctx.hex(32)}.${ctx.hex(10)}.acm-validations.aws.`,
        };
        return { id: arn, state: { arn, domainValidationOptions: [option], status: "PENDING_VALIDATION" } };
    },
    [TYPE.acmCertificateValidation]: (ctx) => ({ id: new Date(0).toISOString(), state: { certificateArn: str(ctx.inputs.certificateArn) } }),
    [TYPE.route53Record]: (ctx) => {
        const record = (str(ctx.inputs.name) ?? ctx.name).replace(/\.$/, "");
        return { id: `${str(ctx.inputs.zoneId)}_${record}_${str(ctx.inputs.type)}`, state: { fqdn: record } };
    },
    [TYPE.wafv2WebAcl]: (ctx) => {
        const name = ctx.physicalName();
        const id = uuidFor(ctx.hex(32));
        return { id, state: { name, arn: ctx.arn("wafv2", `regional/webacl/${name}/${id}`) } };
    },

    // --- awsx (remote components: opaque single nodes under mocks) ---------
    // Pushed image pinned by digest, as awsx reports it: `<repositoryUrl>@sha256:<digest>`.
    [TYPE.awsxEcrImage]: (ctx) => ({
        id: "",
        state: { imageUri: `${str(ctx.inputs.repositoryUrl) ?? ctx.name}@sha256:${hexFor(`${ctx.name}::${JSON.stringify(plain(ctx.inputs))}`, 64)}` },
    }),
};

/** The ALBs' canonical hosted zone per region (alias targets). */
const ALB_ZONE_IDS: Readonly<Record<string, string>> = { "us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-2": "Z1H1FL5HABSF5" };

function uuidFor(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
/** The `random` provider's default special characters. */
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** A password with the `random` provider's semantics: length, classes, overrideSpecial and minimums. */
function generatePassword(ctx: BuildContext): string {
    const flag = (key: string) => plain(ctx.inputs[key]) !== false;
    const num = (key: string) => Number(plain(ctx.inputs[key]) ?? 0);
    const length = num("length");
    if (!Number.isInteger(length) || length < 1)
        throw new Error(`${ctx.name}: random length must be a positive integer, got ${String(plain(ctx.inputs.length))}`);
    const special = str(ctx.inputs.overrideSpecial) ?? DEFAULT_SPECIAL;
    const classes: [string, number][] = [];
    if (flag("lower")) classes.push([LOWER, num("minLower")]);
    if (flag("upper")) classes.push([UPPER, num("minUpper")]);
    if (flag("numeric") && plain(ctx.inputs.number) !== false) classes.push([DIGITS, num("minNumeric")]);
    if (flag("special")) classes.push([special, num("minSpecial")]);
    const all = classes.map(([chars]) => chars).join("");
    const bytes = bytesFor(`${ctx.type}::${ctx.name}::password`, length * 2);
    const chars: string[] = [];
    for (const [set, min] of classes) for (let i = 0; i < min; i++) chars.push(set[bytes[chars.length] % set.length]);
    while (chars.length < length) chars.push(all[bytes[chars.length] % all.length]);
    return chars.slice(0, length).join("");
}

function fakeBcrypt(ctx: BuildContext): string {
    const alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = bytesFor(`${ctx.type}::${ctx.name}::bcrypt`, 53);
    return "$2a$10$" + Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

/** Maps a type token to its ARN service, for the generic fallback. */
function serviceOf(type: string): string {
    const module = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const aliases: Record<string, string> = {
        cloudwatch: "logs",
        lb: "elasticloadbalancing",
        alb: "elasticloadbalancing",
        rds: "rds",
        msk: "kafka",
        wafv2: "wafv2",
    };
    return aliases[module] ?? module;
}

export interface MockCloudOptions {
    readonly region: string;
    readonly account?: string;
}

export class MockCloud implements pulumi.runtime.Mocks {
    readonly region: string;
    readonly account: string;
    readonly resources: RecordedResource[] = [];
    /** Invoke tokens the program called, in order, for tests that care. */
    readonly calls: string[] = [];

    constructor(options: MockCloudOptions) {
        this.region = options.region;
        this.account = options.account ?? MOCK_ACCOUNT_ID;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        // Local components echo their inputs; remote components with a builder (awsx) get their outputs answered.
        if (!args.custom && !BUILDERS[args.type]) return { id: undefined, state: args.inputs };
        const computed = this.build(args.type, args.name, args.inputs);
        return { id: args.custom ? computed.id : undefined, state: { ...args.inputs, ...computed.state } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.calls.push(args.token);
        const inputs = (revealSecrets(args.inputs) ?? {}) as Record<string, unknown>;
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const names = [...(REGION_AZS[this.region] ?? [])];
                if (names.length === 0) throw new Error(`mock cloud: no availability zones known for ${this.region}`);
                return {
                    id: this.region,
                    names,
                    zoneIds: names.map((_, i) => `${this.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                    state: "available",
                    groupNames: [this.region],
                };
            }
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    id: this.account,
                    accountId: this.account,
                    arn: `arn:${MOCK_PARTITION}:iam::${this.account}:user/platform-engineer`,
                    userId: "AIDAEXAMPLEUSERID",
                };
            case "aws:index/getRegion:getRegion":
                return {
                    id: this.region,
                    name: this.region,
                    region: this.region,
                    endpoint: `ec2.${this.region}.amazonaws.com`,
                    description: this.region,
                };
            case "aws:index/getPartition:getPartition":
                return { id: MOCK_PARTITION, partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            case "aws:ssm/getParameter:getParameter": {
                const name = String(inputs.name ?? "");
                if (!name.startsWith("/aws/service/"))
                    throw new Error(`mock cloud: SSM parameter ${name} is not a public AWS parameter the mock knows`);
                const value =
                    name.includes("/ami-") || name.includes("/ami/") || name.includes("/optimized-ami/")
                        ? `ami-0${hexFor(`${this.region}${name}`, 16)}`
                        : `mock-${hexFor(name, 8)}`;
                return {
                    id: name,
                    name,
                    value,
                    insecureValue: value,
                    type: "String",
                    version: 1,
                    arn: `arn:${MOCK_PARTITION}:ssm:${this.region}::parameter${name}`,
                    withDecryption: true,
                };
            }
            case "aws:ec2/getAmi:getAmi":
                return { id: `ami-0${hexFor(`${this.region}${JSON.stringify(inputs)}`, 16)}`, architecture: "x86_64", rootDeviceName: "/dev/xvda" };
            default:
                // Failing loudly beats echoing the inputs back: a silent echo hides
                // missing answers (an undefined AZ, an empty account id).
                throw new Error(`mock cloud: no answer for invoke ${args.token}; add it to tools/mock-cloud.ts`);
        }
    }

    private build(type: string, name: string, inputs: Record<string, unknown>): Computed {
        const ctx: BuildContext = {
            name,
            type,
            inputs,
            region: this.region,
            account: this.account,
            hex: (length) => hexFor(`${type}::${name}`, length),
            physicalName: (key = "name", lowercase = false) => {
                const given = str(inputs[key]);
                if (given) return given;
                const prefix = str(inputs[`${key}Prefix`]);
                const generated = prefix ? `${prefix}${hexFor(`${type}::${name}`, 26)}` : `${name}-${hexFor(`${type}::${name}`, 7)}`;
                return lowercase ? generated.toLowerCase() : generated;
            },
            arn: (service, resource, options = {}) =>
                `arn:${MOCK_PARTITION}:${service}:${options.region === false ? "" : this.region}:${options.account === false ? "" : this.account}:${resource}`,
        };
        const builder = BUILDERS[type];
        if (builder) return builder(ctx);
        const physical = ctx.physicalName();
        return { id: `${physical}`, state: { arn: ctx.arn(serviceOf(type), `${type.split(":").pop()?.toLowerCase()}/${physical}`) } };
    }

    record(resource: RecordedResource): void {
        if (this.resources.some((existing) => existing.urn === resource.urn)) {
            throw new Error(
                `duplicate resource URN ${resource.urn}: two resources share a type and name (a fixed child name in a component built twice?)`,
            );
        }
        this.resources.push(resource);
    }
}
