import { BUCKET_IDENTIFIERS, childrenOf } from "./links";
import { PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { describeWorldCidrs, isWorldCidr } from "./security-groups";
import { T, isOneOf } from "./types";
import { Read, SECRET, UNKNOWN, at, isOpaque, isSet, list, truthy } from "./values";

/** Public access: buckets, databases, instances, tasks, cluster endpoints. */

export const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** "ok", UNKNOWN, or the list of flags that are not true. */
function judgeBlock(block: StackResource): "ok" | typeof UNKNOWN | string[] {
    const values = PUBLIC_ACCESS_FLAGS.map((flag) => [flag, at(block.props, flag)] as const);
    const missing = values.filter(([, value]) => !isOpaque(value) && truthy(value) !== true).map(([flag]) => flag);
    if (missing.length > 0) return missing;
    return values.some(([, value]) => isOpaque(value)) ? UNKNOWN : "ok";
}

export const s3PublicAccessBlock = stackRule({
    name: "s3-public-access-block",
    description: "Every S3 bucket has a public-access block with all four flags true (or the account-level block has them all).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...T.bucket, ...T.bucketPublicAccessBlock, ...T.accountPublicAccessBlock],
    references: { checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"], securityHub: ["S3.8"] },
    check: (resources, findings) => {
        const accountBlocks = resources.filter((resource) => isOneOf(resource.type, T.accountPublicAccessBlock)).map(judgeBlock);
        if (accountBlocks.includes("ok")) return;
        const accountUnknown = accountBlocks.includes(UNKNOWN);
        for (const bucket of resources.filter((resource) => isOneOf(resource.type, T.bucket))) {
            const { definite, possible } = childrenOf(resources, T.bucketPublicAccessBlock, "bucket", bucket, BUCKET_IDENTIFIERS);
            const verdicts = definite.map(judgeBlock);
            if (verdicts.includes("ok")) continue;
            if (accountUnknown || possible.length > 0 || verdicts.includes(UNKNOWN)) {
                findings.unknown(`public-access block of ${bucket.name}`);
                continue;
            }
            const gaps = verdicts.filter((verdict): verdict is string[] => Array.isArray(verdict));
            findings.violation(
                gaps.length > 0
                    ? `${label(bucket)} public-access block does not set ${gaps[0].join(", ")} to true.`
                    : `${label(bucket)} has no public-access block (BucketPublicAccessBlock with all four flags).`,
                bucket.urn,
            );
        }
    },
});

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

export const s3NoPublicAcl = resourceRule({
    name: "s3-no-public-acl",
    description:
        "No bucket ACL (inline acl/grants or BucketAcl) grants access to AllUsers or AuthenticatedUsers (public-read, public-read-write, authenticated-read).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...T.bucket, ...T.bucketAcl],
    references: { checkov: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "CKV_AWS_375"], securityHub: ["S3.2", "S3.3"] },
    check: (resource, findings) => {
        const name = label(resource);
        findings.require(
            at(resource.props, "acl"),
            (acl) => typeof acl !== "string" || !PUBLIC_CANNED_ACLS.includes(acl),
            `${name} uses a public canned ACL.`,
            "acl",
        );
        const grants = isOneOf(resource.type, T.bucketAcl) ? list(resource.props, "accessControlPolicy", "grants") : list(resource.props, "grants");
        if (isOpaque(grants)) return findings.unknown("grants");
        for (const grant of grants) {
            const uri = at(grant, "grantee", "uri") ?? at(grant, "uri");
            findings.require(
                uri,
                (value) => typeof value !== "string" || !PUBLIC_GRANTEES.test(value),
                `${name} grants access to ${String(uri).split("/").pop()}.`,
                "grants[].uri",
            );
        }
    },
});

export const rdsNotPublic = resourceRule({
    name: "rds-not-public",
    description: "RDS instances and cluster instances are not publicly accessible.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...T.rdsInstance, ...T.rdsClusterInstance],
    references: { checkov: ["CKV_AWS_17"], securityHub: ["RDS.2"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "publiclyAccessible"),
            (value) => truthy(value) !== true,
            `${label(resource)} is publicly accessible.`,
            "publiclyAccessible",
        );
    },
});

export const ec2Imdsv2 = resourceRule({
    name: "ec2-imdsv2",
    description:
        'EC2 instances, spot instance requests, launch templates and launch configurations require IMDSv2 (metadataOptions.httpTokens "required", or the endpoint disabled).',
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.ec2Instance, ...T.spotInstanceRequest, ...T.launchTemplate, ...T.launchConfiguration],
    references: { checkov: ["CKV_AWS_79"], securityHub: ["EC2.8", "EC2.170", "AutoScaling.3"] },
    check: (resource, findings) => {
        const options = at(resource.props, "metadataOptions");
        const tokens = at(options, "httpTokens");
        const endpoint = at(options, "httpEndpoint");
        if (tokens === "required" || endpoint === "disabled") return;
        if (options === undefined || options === null) {
            // An instance launched from a template takes the template's options (checked on the template).
            const template =
                isOneOf(resource.type, T.ec2Instance) || isOneOf(resource.type, T.spotInstanceRequest)
                    ? at(resource.props, "launchTemplate")
                    : undefined;
            if (template === UNKNOWN) return findings.unknown("launchTemplate");
            if (isSet(template)) return;
        }
        if (isOpaque(tokens) || isOpaque(endpoint)) return findings.unknown("metadataOptions");
        findings.violation(`${label(resource)} does not require IMDSv2 (metadataOptions.httpTokens must be "required").`);
    },
});

export const ec2NoPublicIp = resourceRule({
    name: "ec2-no-public-ip",
    description: "EC2 instances, spot instance requests, launch templates and launch configurations do not assign public IP addresses.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [...T.ec2Instance, ...T.spotInstanceRequest, ...T.launchTemplate, ...T.launchConfiguration],
    references: { checkov: ["CKV_AWS_88", "CKV_AWS_389"], securityHub: ["EC2.9", "EC2.25", "AutoScaling.5"] },
    check: (resource, findings) => {
        const name = label(resource);
        const notPublic = (value: unknown) => truthy(value) !== true;
        if (!isOneOf(resource.type, T.launchTemplate)) {
            findings.require(
                at(resource.props, "associatePublicIpAddress"),
                notPublic,
                `${name} assigns a public IP address.`,
                "associatePublicIpAddress",
            );
            return;
        }
        const interfaces = list(resource.props, "networkInterfaces");
        if (isOpaque(interfaces)) return findings.unknown("networkInterfaces");
        interfaces.forEach((networkInterface, index) =>
            findings.require(
                at(networkInterface, "associatePublicIpAddress"),
                notPublic,
                `${name} networkInterfaces[${index}] assigns a public IP address.`,
                `networkInterfaces[${index}].associatePublicIpAddress`,
            ),
        );
    },
});

export const ecsNoPublicIp = resourceRule({
    name: "ecs-no-public-ip",
    description: "ECS services do not assign public IPs to tasks (networkConfiguration.assignPublicIp).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.ecsService,
    references: { checkov: ["CKV_AWS_333"], securityHub: ["ECS.2"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "networkConfiguration", "assignPublicIp"),
            (value) => truthy(value) !== true,
            `${label(resource)} assigns public IPs to its tasks.`,
            "networkConfiguration.assignPublicIp",
        );
    },
});

export const eksEndpointRestricted = resourceRule({
    name: "eks-endpoint-restricted",
    description:
        "An EKS cluster's public API endpoint is disabled, or restricted to listed CIDRs (publicAccessCidrs set, none world-open: not 0.0.0.0/0, ::/0, or any IPv4 CIDR shorter than /8 or IPv6 CIDR shorter than /16).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.eksCluster,
    references: { checkov: ["CKV_AWS_38", "CKV_AWS_39"], securityHub: ["EKS.1"] },
    check: (resource, findings) => {
        const vpcConfig = at(resource.props, "vpcConfig");
        const publicAccess: Read = at(vpcConfig, "endpointPublicAccess");
        if (publicAccess === UNKNOWN) return findings.unknown("vpcConfig.endpointPublicAccess");
        // AWS enables the public endpoint unless it is turned off.
        if (publicAccess !== undefined && publicAccess !== null && truthy(publicAccess) === false) return;
        const cidrs = list(vpcConfig, "publicAccessCidrs");
        if (isOpaque(cidrs)) return findings.unknown("vpcConfig.publicAccessCidrs");
        if (cidrs.length === 0) {
            findings.violation(`${label(resource)} has a public endpoint open to 0.0.0.0/0 (publicAccessCidrs unset).`);
        } else if (cidrs.some(isWorldCidr)) {
            findings.violation(`${label(resource)} has a public endpoint open to the internet via publicAccessCidrs ${describeWorldCidrs(cidrs)}.`);
        } else if (cidrs.some(isOpaque)) {
            findings.unknown("vpcConfig.publicAccessCidrs");
        }
    },
});

export const s3AccountPublicAccessBlock = resourceRule({
    name: "s3-account-public-access-block",
    description: "An account-level S3 public-access block (s3.AccountPublicAccessBlock) sets all four flags true; each flag defaults to false.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: T.accountPublicAccessBlock,
    references: { checkov: [], securityHub: ["S3.1"] },
    check: (resource, findings) => {
        const values = PUBLIC_ACCESS_FLAGS.map((flag) => [flag, at(resource.props, flag)] as const);
        const off = values.filter(([, value]) => !isOpaque(value) && truthy(value) !== true).map(([flag]) => flag);
        if (off.length > 0)
            findings.violation(
                `${label(resource)} does not set ${off.join(", ")} to true (unset means false): the account's buckets can be made public.`,
            );
        else if (values.some(([, value]) => isOpaque(value))) findings.unknown("public-access flags");
    },
});

export const subnetNoPublicIpOnLaunch = resourceRule({
    name: "subnet-no-public-ip-on-launch",
    description:
        "Subnets do not assign public IPv4 addresses to what launches in them (mapPublicIpOnLaunch not true); public addresses, where wanted, are explicit per instance or Elastic IP.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.subnet,
    references: { checkov: ["CKV_AWS_130"], securityHub: ["EC2.15"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "mapPublicIpOnLaunch"),
            (value) => truthy(value) !== true,
            `${label(resource)} assigns a public IP to every instance launched in it (mapPublicIpOnLaunch: true).`,
            "mapPublicIpOnLaunch",
        );
    },
});

export const eksNodeGroupRemoteAccess = resourceRule({
    name: "eks-node-group-remote-access",
    description:
        "EKS managed node groups with SSH/RDP remote access (remoteAccess.ec2SshKey) restrict it to source security groups: without sourceSecurityGroupIds, EKS opens port 22 (3389 on Windows) to 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.eksNodeGroup,
    references: { checkov: ["CKV_AWS_100"], securityHub: [] },
    check: (resource, findings) => {
        const access = at(resource.props, "remoteAccess");
        if (access === UNKNOWN) return findings.unknown("remoteAccess");
        if (access === undefined || access === null) return;
        const key = at(access, "ec2SshKey");
        if (key === UNKNOWN) return findings.unknown("remoteAccess.ec2SshKey");
        if (!isSet(key)) return;
        const sources = list(access, "sourceSecurityGroupIds");
        if (isOpaque(sources)) return findings.unknown("remoteAccess.sourceSecurityGroupIds");
        if (sources.length === 0) {
            findings.violation(
                `${label(resource)} allows remote access with key pair ${key === SECRET ? "(secret)" : String(key)} and no sourceSecurityGroupIds: EKS opens SSH (port 22, RDP 3389 on Windows) on its nodes to the internet (0.0.0.0/0).`,
            );
        } else if (sources.some(isOpaque)) {
            findings.unknown("remoteAccess.sourceSecurityGroupIds");
        }
    },
});

export const publicAccessResourcePolicies = [
    s3NoPublicAcl,
    s3AccountPublicAccessBlock,
    rdsNotPublic,
    ec2Imdsv2,
    ec2NoPublicIp,
    ecsNoPublicIp,
    subnetNoPublicIpOnLaunch,
    eksEndpointRestricted,
    eksNodeGroupRemoteAccess,
];
export const publicAccessStackPolicies = [s3PublicAccessBlock];
export const publicAccessPolicies: PackPolicy[] = [...publicAccessResourcePolicies, ...publicAccessStackPolicies];
