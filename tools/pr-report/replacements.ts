import { TYPE } from "../../policy-pack/policies/types";

/**
 * Which input changes make the provider replace a resource (delete and re-create it) instead of
 * updating it in place: provider knowledge, kept here for the types this program builds.
 *
 * Properties are Pulumi input names (camelCase), `a.b` for a nested field. The AWS provider is
 * bridged from terraform-provider-aws: a property forces replacement where its schema says
 * `ForceNew: true`. Entries marked "schema" were read in that source
 * (github.com/hashicorp/terraform-provider-aws, internal/service/<service>/<file>.go);
 * the others are from the provider's documentation ("Forces new resource") and are not re-checked.
 * The random provider re-creates a value whenever any of its arguments changes.
 *
 * A type not listed here is reported as "replacement unknown" when its inputs change.
 */

/** A property that forces replacement only when another input says so. */
export interface ConditionalReplacement {
    readonly path: string;
    /** Whether a change of `path` forces replacement, given the resource's new inputs. */
    readonly when: (inputs: Readonly<Record<string, unknown>>) => boolean;
    /** Why, in words, for the report. */
    readonly because: string;
}

export interface ReplacementRule {
    /** Inputs whose change forces replacement; `"*"` means every input except `except`. */
    readonly forceNew: readonly string[];
    /** With `forceNew: ["*"]`: the inputs that are updated in place. */
    readonly except?: readonly string[];
    readonly conditional?: readonly ConditionalReplacement[];
    /** Inputs the program passes in `ignoreChanges`: a change there does nothing on `pulumi up`. */
    readonly ignored?: readonly string[];
    /** Where the rule comes from: "schema: <file>" (read in the provider source) or "docs". */
    readonly source: string;
}

const ALL = ["*"] as const;
const tf = (file: string) => `schema: terraform-provider-aws internal/service/${file}`;
const DOCS = "docs: terraform-provider-aws website/docs (Forces new resource)";

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
    // Stateful types (tools/stateful.ts): every one of them is here.
    [TYPE.ec2Vpc]: { forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"], source: tf("ec2/vpc_.go") },
    [TYPE.ec2Subnet]: {
        forceNew: [
            "availabilityZone",
            "availabilityZoneId",
            "cidrBlock",
            "vpcId",
            "outpostArn",
            "ipv4IpamPoolId",
            "ipv4NetmaskLength",
            "ipv6IpamPoolId",
            "ipv6Native",
            "ipv6NetmaskLength",
        ],
        source: tf("ec2/vpc_subnet.go"),
    },
    [TYPE.s3Bucket]: { forceNew: ["bucket", "bucketPrefix", "objectLockEnabled"], source: tf("s3/bucket.go") },
    [TYPE.kmsKey]: {
        forceNew: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
        source: tf("kms/key.go"),
    },
    [TYPE.ecrRepository]: { forceNew: ["name", "encryptionConfigurations"], source: tf("ecr/repository.go") },
    [TYPE.secretsmanagerSecret]: { forceNew: ["name", "namePrefix"], source: tf("secretsmanager/secret.go") },
    [TYPE.glueCatalogDatabase]: { forceNew: ["name", "catalogId", "targetDatabase"], source: tf("glue/catalog_database.go") },
    [TYPE.ecsCluster]: { forceNew: ["name"], source: tf("ecs/cluster.go") },
    [TYPE.ec2Instance]: {
        // instanceType, vpcSecurityGroupIds, iamInstanceProfile, metadataOptions and the root volume's
        // size and type are updated in place (an instance type change stops and starts the instance).
        forceNew: [
            "ami",
            "associatePublicIpAddress",
            "availabilityZone",
            "subnetId",
            "privateIp",
            "keyName",
            "placementGroup",
            "hibernation",
            "ipv6AddressCount",
            "ipv6Addresses",
            "ebsBlockDevices",
            "ephemeralBlockDevices",
            "networkInterfaces",
            "launchTemplate",
            "rootBlockDevice.encrypted",
            "rootBlockDevice.kmsKeyId",
        ],
        conditional: [
            { path: "userData", when: (inputs) => inputs.userDataReplaceOnChange === true, because: "userDataReplaceOnChange is true" },
            { path: "userDataBase64", when: (inputs) => inputs.userDataReplaceOnChange === true, because: "userDataReplaceOnChange is true" },
        ],
        // components/shared/host/host.ts: the AMI lookup moves on; the hosts keep the image they were built from.
        ignored: ["ami"],
        source: tf("ec2/ec2_instance.go"),
    },
    [TYPE.cloudwatchLogGroup]: { forceNew: ["name", "namePrefix", "logGroupClass"], source: tf("logs/group.go") },
    [TYPE.randomId]: { forceNew: ALL, source: "random provider: every argument requires replacement" },
    [TYPE.randomPassword]: { forceNew: ALL, source: "random provider: every argument requires replacement" },

    // Network
    [TYPE.ec2InternetGateway]: { forceNew: [], source: DOCS },
    [TYPE.ec2RouteTable]: { forceNew: ["vpcId"], source: DOCS },
    [TYPE.ec2Route]: { forceNew: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"], source: DOCS },
    [TYPE.ec2RouteTableAssociation]: { forceNew: ["subnetId", "gatewayId"], source: DOCS },
    [TYPE.ec2NatGateway]: { forceNew: ["allocationId", "subnetId", "connectivityType", "privateIp"], source: DOCS },
    [TYPE.ec2Eip]: {
        forceNew: ["domain", "address", "customerOwnedIpv4Pool", "networkBorderGroup", "publicIpv4Pool", "ipamPoolId"],
        source: DOCS,
    },
    [TYPE.ec2VpcEndpoint]: { forceNew: ["vpcId", "serviceName", "vpcEndpointType"], source: DOCS },
    [TYPE.ec2FlowLog]: { forceNew: ALL, except: ["tags"], source: DOCS },
    [TYPE.ec2SecurityGroup]: { forceNew: ["name", "namePrefix", "description", "vpcId"], source: DOCS },
    [TYPE.ec2DefaultSecurityGroup]: { forceNew: ["vpcId"], source: DOCS },
    [TYPE.vpcSecurityGroupIngressRule]: { forceNew: ["securityGroupId"], source: DOCS },
    [TYPE.vpcSecurityGroupEgressRule]: { forceNew: ["securityGroupId"], source: DOCS },
    [TYPE.ec2KeyPair]: { forceNew: ["keyName", "keyNamePrefix", "publicKey"], source: DOCS },

    // Identity and encryption
    [TYPE.iamRole]: { forceNew: ["name", "namePrefix", "path"], source: DOCS },
    [TYPE.iamRolePolicy]: { forceNew: ["name", "namePrefix", "role"], source: DOCS },
    [TYPE.iamRolePolicyAttachment]: { forceNew: ["role", "policyArn"], source: DOCS },
    [TYPE.iamInstanceProfile]: { forceNew: ["name", "namePrefix", "path"], source: DOCS },
    [TYPE.kmsAlias]: { forceNew: ["name", "namePrefix"], source: DOCS },

    // Buckets and secrets
    [TYPE.s3BucketPublicAccessBlock]: { forceNew: ["bucket"], source: DOCS },
    [TYPE.s3BucketVersioning]: { forceNew: ["bucket", "expectedBucketOwner"], source: DOCS },
    [TYPE.s3BucketServerSideEncryptionConfiguration]: { forceNew: ["bucket", "expectedBucketOwner"], source: DOCS },
    [TYPE.s3BucketOwnershipControls]: { forceNew: ["bucket"], source: DOCS },
    [TYPE.s3BucketLifecycleConfiguration]: { forceNew: ["bucket", "expectedBucketOwner"], source: DOCS },
    [TYPE.s3BucketLogging]: { forceNew: ["bucket", "expectedBucketOwner"], source: DOCS },
    [TYPE.s3BucketPolicy]: { forceNew: ["bucket"], source: DOCS },
    [TYPE.s3BucketObjectv2]: { forceNew: ["bucket", "key"], source: DOCS },
    [TYPE.secretsmanagerSecretVersion]: { forceNew: ["secretId", "secretString", "secretBinary"], source: tf("secretsmanager/secret_version.go") },

    // Registry, containers, ETL, schedules
    [TYPE.ecrLifecyclePolicy]: { forceNew: ["repository"], source: DOCS },
    [TYPE.ecsClusterCapacityProviders]: { forceNew: ["clusterName"], source: DOCS },
    // A task definition revision is immutable: any change registers a new one.
    [TYPE.ecsTaskDefinition]: { forceNew: ALL, except: ["tags", "skipDestroy"], source: DOCS },
    [TYPE.ecsService]: { forceNew: ["name", "cluster", "iamRole", "launchType", "schedulingStrategy", "deploymentController"], source: DOCS },
    [TYPE.glueJob]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueCrawler]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueTrigger]: { forceNew: ["name", "type", "workflowName"], source: DOCS },
    [TYPE.glueWorkflow]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueSecurityConfiguration]: { forceNew: ALL, source: DOCS },
    [TYPE.schedulerSchedule]: { forceNew: ["name", "namePrefix", "groupName"], source: DOCS },
};

/** What a change of some inputs does to a resource of a type. */
export interface ReplacementVerdict {
    /** "replace": some change forces replacement; "update": none does; "unknown": the type is not in the table. */
    readonly verdict: "replace" | "update" | "unknown";
    /** The changed paths that force replacement (with the reason for conditional ones). */
    readonly reasons: readonly string[];
    /** Changed inputs the program ignores (ignoreChanges). */
    readonly ignored: readonly string[];
}

function valueAt(inputs: Readonly<Record<string, unknown>>, path: string): unknown {
    let value: unknown = inputs;
    for (const part of path.split(".")) {
        if (Array.isArray(value))
            value = value.map((item) => (item && typeof item === "object" ? (item as Record<string, unknown>)[part] : undefined));
        else if (value && typeof value === "object") value = (value as Record<string, unknown>)[part];
        else return undefined;
    }
    return value;
}

/** JSON with object keys sorted: equal values give equal text. */
export function stableJson(value: unknown): string {
    if (value === undefined) return "undefined";
    if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
            .filter((key) => record[key] !== undefined)
            .sort();
        return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * Whether changing a resource of `type` from `before` to `after` inputs replaces it.
 * `changed` is the top-level inputs whose values differ.
 */
export function replacementOf(
    type: string,
    before: Readonly<Record<string, unknown>>,
    after: Readonly<Record<string, unknown>>,
    changed: readonly string[],
): ReplacementVerdict {
    const rule = REPLACEMENT_RULES[type];
    if (!rule) return { verdict: "unknown", reasons: [], ignored: [] };
    const ignored = changed.filter((key) => rule.ignored?.includes(key));
    const relevant = changed.filter((key) => !ignored.includes(key));
    const differs = (path: string) => stableJson(valueAt(before, path)) !== stableJson(valueAt(after, path));
    const reasons: string[] = [];
    if (rule.forceNew.includes("*")) {
        reasons.push(...relevant.filter((key) => !rule.except?.includes(key)));
    } else {
        reasons.push(...rule.forceNew.filter((path) => !rule.ignored?.includes(path) && relevant.includes(path.split(".")[0]) && differs(path)));
    }
    for (const conditional of rule.conditional ?? []) {
        if (relevant.includes(conditional.path.split(".")[0]) && differs(conditional.path) && conditional.when(after)) {
            reasons.push(`${conditional.path} (${conditional.because})`);
        }
    }
    return { verdict: reasons.length > 0 ? "replace" : "update", reasons: [...new Set(reasons)].sort(), ignored: ignored.sort() };
}
