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
 * The schemas of the database, cache, streaming, Kubernetes and edge types were read at provider v6 sources, except
 * rds/instance.go (v5, pulumi/terraform-provider-aws) and eks/node_group.go, eks/addon.go, elasticache/subnet_group.go (v4/v5).
 *
 * A type not listed here is reported as "replacement unknown" when its inputs change.
 */

type Inputs = Readonly<Record<string, unknown>>;

/** A property that forces replacement only when the inputs say so (the provider's CustomizeDiff). */
export interface ConditionalReplacement {
    readonly path: string;
    /** Whether a change of `path` forces replacement, given the resource's new and previous inputs. */
    readonly when: (inputs: Inputs, before: Inputs) => boolean;
    /** Why, in words, for the report. */
    readonly because: string;
}

export interface ReplacementRule {
    /** Inputs whose change forces replacement; `"*"` means every input except `except`. */
    readonly forceNew: readonly string[];
    /** With `forceNew: ["*"]`: the inputs that are updated in place. */
    readonly except?: readonly string[];
    readonly conditional?: readonly ConditionalReplacement[];
    /**
     * Inputs (`a.b` for a nested one) every resource of the type passes in `ignoreChanges`: a change there does
     * nothing on `pulumi up`. A resource's own `ignoreChanges` (recorded in the plan document) counts too.
     */
    readonly ignored?: readonly string[];
    /** Where the rule comes from: "schema: <file>" (read in the provider source) or "docs". */
    readonly source: string;
}

const ALL = ["*"] as const;
const tf = (file: string) => `schema: terraform-provider-aws internal/service/${file}`;
const DOCS = "docs: terraform-provider-aws website/docs (Forces new resource)";

/** The numeric segments of a version hashicorp/go-version parses (`3.6.0`, `7.1`, `v1.2-rc1`); undefined otherwise (`3.9.x`, `2.8.2.tiered`). */
function versionSegments(version: unknown): number[] | undefined {
    if (typeof version !== "string") return undefined;
    const match = /^v?(\d+(?:\.\d+)*)(?:-[0-9A-Za-z.~-]+)?(?:\+[0-9A-Za-z.~-]+)?$/.exec(version);
    return match ? match[1].split(".").map(Number) : undefined;
}

/**
 * The provider's `semver.LessThan(new, old)` (internal/semver, over go-version): false when either side does not parse.
 * Pre-release tags are not ordered.
 */
function isDowngrade(after: unknown, before: unknown): boolean {
    const [next, previous] = [versionSegments(after), versionSegments(before)];
    if (!next || !previous) return false;
    for (let i = 0; i < Math.max(next.length, previous.length); i++) {
        const [a, b] = [next[i] ?? 0, previous[i] ?? 0];
        if (a !== b) return a < b;
    }
    return false;
}

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

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
    // RDS: `identifier` is renamed in place since provider v5.0 (the endpoint changes; hashicorp/terraform-provider-aws#31232),
    // and so are dbSubnetGroupName (a move to another subnet group), instanceClass, engineVersion, allocatedStorage and multiAz.
    [TYPE.rdsInstance]: {
        forceNew: [
            "availabilityZone",
            "backupTarget",
            "characterSetName",
            "customIamInstanceProfile",
            "dbName",
            "engine",
            "kmsKeyId",
            "ncharCharacterSetName",
            "restoreToPointInTime",
            "s3Import",
            "snapshotIdentifier",
            "storageEncrypted",
            "timezone",
            "username",
        ],
        source: tf("rds/instance.go"),
    },
    // nodeType, numCacheClusters, engineVersion upgrades, parameterGroupName, securityGroupIds and transit encryption are updated in place.
    [TYPE.elasticacheReplicationGroup]: {
        forceNew: [
            "atRestEncryptionEnabled",
            "dataTieringEnabled",
            "globalReplicationGroupId",
            "kmsKeyId",
            "networkType",
            // The provider replaces only on a significant node-group change; any change is reported.
            "nodeGroupConfigurations",
            "port",
            "replicationGroupId",
            "securityGroupNames",
            "snapshotArns",
            "snapshotName",
            "subnetGroupName",
        ],
        conditional: [
            {
                path: "engine",
                when: (inputs, before) => inputs.globalReplicationGroupId === undefined && !(before.engine === "redis" && inputs.engine === "valkey"),
                because: "only redis → valkey is an in-place engine change",
            },
            {
                path: "engineVersion",
                when: (inputs, before) => inputs.globalReplicationGroupId === undefined && isDowngrade(inputs.engineVersion, before.engineVersion),
                because: "a lower engine version",
            },
        ],
        source: tf("elasticache/replication_group.go"),
    },
    // brokerNodeGroupInfo.instanceType, numberOfBrokerNodes, the volume size, clientAuthentication, configurationInfo and
    // encryption in transit between clients and brokers are updated in place; so is a kafkaVersion upgrade.
    [TYPE.mskCluster]: {
        forceNew: [
            "clusterName",
            "brokerNodeGroupInfo.azDistribution",
            "brokerNodeGroupInfo.clientSubnets",
            "brokerNodeGroupInfo.securityGroups",
            "encryptionInfo.encryptionAtRestKmsKeyArn",
            "encryptionInfo.encryptionInTransit.inCluster",
        ],
        conditional: [
            {
                path: "kafkaVersion",
                when: (inputs, before) => isDowngrade(inputs.kafkaVersion, before.kafkaVersion),
                // MSK names such as 3.9.x do not parse, so the provider attempts (and MSK refuses) an in-place downgrade.
                because: "a lower Kafka version the provider can compare",
            },
        ],
        // components/streaming/streaming.ts: storage autoscaling owns the broker volume size.
        ignored: ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"],
        source: tf("kafka/cluster.go"),
    },
    // partitionCount and configs are updated in place.
    [TYPE.mskTopic]: { forceNew: ["clusterArn", "name", "replicationFactor"], source: tf("kafka/topic.go") },
    // version, vpcConfig.subnetIds and securityGroupIds (in place since provider v5.25.0), endpoint access, logging,
    // accessConfig.authenticationMode, upgradePolicy and deletionProtection are updated in place.
    [TYPE.eksCluster]: {
        forceNew: [
            "name",
            "roleArn",
            "bootstrapSelfManagedAddons",
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
            "kubernetesNetworkConfig.ipFamily",
            "kubernetesNetworkConfig.serviceIpv4Cidr",
            "outpostConfig.controlPlaneInstanceType",
            "outpostConfig.controlPlanePlacement.groupName",
        ],
        conditional: [
            {
                path: "encryptionConfig",
                when: (inputs, before) => before.encryptionConfig !== undefined && inputs.encryptionConfig === undefined,
                because: "envelope encryption cannot be turned off",
            },
        ],
        source: tf("eks/cluster.go"),
    },
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
    [TYPE.ecsService]: {
        forceNew: ["name", "cluster", "iamRole", "launchType", "schedulingStrategy", "deploymentController"],
        // The web service's desired count belongs to Application Auto Scaling: it passes ignoreChanges, which the plan records.
        source: DOCS,
    },
    [TYPE.glueJob]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueCrawler]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueTrigger]: { forceNew: ["name", "type", "workflowName"], source: DOCS },
    [TYPE.glueWorkflow]: { forceNew: ["name"], source: DOCS },
    [TYPE.glueSecurityConfiguration]: { forceNew: ALL, source: DOCS },
    [TYPE.schedulerSchedule]: { forceNew: ["name", "namePrefix", "groupName"], source: DOCS },

    // Database and cache
    [TYPE.rdsSubnetGroup]: { forceNew: ["name", "namePrefix"], source: tf("rds/subnet_group.go") },
    [TYPE.rdsParameterGroup]: { forceNew: ["name", "namePrefix", "family", "description"], source: tf("rds/parameter_group.go") },
    [TYPE.rdsOptionGroup]: {
        forceNew: ["name", "namePrefix", "engineName", "majorEngineVersion", "optionGroupDescription"],
        source: tf("rds/option_group.go"),
    },
    [TYPE.elasticacheSubnetGroup]: { forceNew: ["name"], source: tf("elasticache/subnet_group.go") },
    [TYPE.elasticacheParameterGroup]: { forceNew: ["name", "family", "description"], source: tf("elasticache/parameter_group.go") },

    // Streaming: a new serverProperties is a new revision of the same configuration.
    [TYPE.mskConfiguration]: { forceNew: ["name", "kafkaVersions"], source: tf("kafka/configuration.go") },

    // Kubernetes: a node group's scalingConfig, labels, taints, version and launch template version are updated in place.
    [TYPE.eksNodeGroup]: {
        forceNew: [
            "amiType",
            "capacityType",
            "clusterName",
            "diskSize",
            "instanceTypes",
            "launchTemplate.id",
            "launchTemplate.name",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "remoteAccess.ec2SshKey",
            "remoteAccess.sourceSecurityGroupIds",
            "subnetIds",
        ],
        source: tf("eks/node_group.go"),
    },
    [TYPE.eksAddon]: { forceNew: ["addonName", "clusterName"], source: tf("eks/addon.go") },
    [TYPE.eksAccessEntry]: { forceNew: ["clusterName", "principalArn", "type"], source: tf("eks/access_entry.go") },
    // The resource has no update: every argument replaces it.
    [TYPE.eksAccessPolicyAssociation]: { forceNew: ALL, source: tf("eks/access_policy_association.go") },
    [TYPE.eksPodIdentityAssociation]: { forceNew: ["clusterName", "namespace", "serviceAccount"], source: tf("eks/pod_identity_association.go") },
    // Any other change is a new version of the same template.
    [TYPE.ec2LaunchTemplate]: { forceNew: ["name", "namePrefix"], source: tf("ec2/ec2_launch_template.go") },

    // ECS on EC2 capacity
    [TYPE.autoscalingGroup]: {
        forceNew: ["name", "namePrefix"],
        // components/containers/capacity.ts: ECS managed scaling owns the desired capacity.
        ignored: ["desiredCapacity"],
        source: tf("autoscaling/group.go"),
    },
    [TYPE.ecsCapacityProvider]: { forceNew: ["name", "autoScalingGroupProvider.autoScalingGroupArn"], source: tf("ecs/capacity_provider.go") },

    // Edge
    [TYPE.lbLoadBalancer]: {
        // An application load balancer takes subnet and security-group changes in place.
        forceNew: ["name", "namePrefix", "internal", "loadBalancerType"],
        conditional: [
            {
                path: "subnets",
                when: (inputs, before) => inputs.loadBalancerType === "network" && count(inputs.subnets) <= count(before.subnets),
                because: "a network load balancer only adds subnets in place",
            },
            {
                path: "securityGroups",
                when: (inputs, before) =>
                    inputs.loadBalancerType === "network" && (count(inputs.securityGroups) === 0) !== (count(before.securityGroups) === 0),
                because: "a network load balancer cannot gain or lose all its security groups in place",
            },
        ],
        source: tf("elbv2/load_balancer.go"),
    },
    [TYPE.lbListener]: { forceNew: ["loadBalancerArn"], source: tf("elbv2/listener.go") },
    [TYPE.lbTargetGroup]: {
        forceNew: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
        source: tf("elbv2/target_group.go"),
    },
    [TYPE.acmCertificate]: {
        forceNew: ["domainName", "subjectAlternativeNames", "validationMethod", "validationOptions", "keyAlgorithm", "certificateAuthorityArn"],
        source: tf("acm/certificate.go"),
    },
    // The resource has no update: every argument replaces it.
    [TYPE.acmCertificateValidation]: { forceNew: ALL, source: DOCS },
    // A record's type, records, ttl and alias are changed in place (a type change deletes and creates it in one batch).
    [TYPE.route53Record]: { forceNew: ["name", "zoneId"], source: tf("route53/record.go") },
    [TYPE.wafv2WebAcl]: { forceNew: ["name", "namePrefix", "scope"], source: DOCS },
    [TYPE.wafv2WebAclAssociation]: { forceNew: ALL, source: DOCS },
    [TYPE.wafv2WebAclLoggingConfiguration]: { forceNew: ["resourceArn"], source: DOCS },
    [TYPE.cloudwatchLogResourcePolicy]: { forceNew: ["policyName"], source: DOCS },
    [TYPE.appautoscalingTarget]: { forceNew: ["resourceId", "scalableDimension", "serviceNamespace"], source: DOCS },
    [TYPE.appautoscalingPolicy]: { forceNew: ["name", "resourceId", "scalableDimension", "serviceNamespace"], source: DOCS },

    // Audit
    [TYPE.cloudtrailTrail]: { forceNew: ["name"], source: DOCS },
    [TYPE.budgetsBudget]: { forceNew: ["accountId", "name", "namePrefix"], source: DOCS },
    [TYPE.snsTopic]: { forceNew: ["name", "namePrefix", "fifoTopic"], source: DOCS },
    [TYPE.snsTopicPolicy]: { forceNew: ["arn"], source: DOCS },
    [TYPE.snsTopicSubscription]: { forceNew: ["topic", "protocol", "endpoint"], source: DOCS },
    // Pulumi input `name` is the provider's alarm_name.
    [TYPE.cloudwatchMetricAlarm]: { forceNew: ["name"], source: DOCS },
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

function valueAt(inputs: Inputs, path: string): unknown {
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

/** A copy of `value` without the value at `parts` (through arrays, like ignoreChanges paths). */
function without(value: unknown, parts: readonly string[]): unknown {
    if (parts.length === 0) return undefined;
    if (Array.isArray(value)) return value.map((item) => without(item, parts));
    if (!value || typeof value !== "object") return value;
    const [head, ...rest] = parts;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (head in copy) copy[head] = without(copy[head], rest);
    return copy;
}

/**
 * Whether changing a resource of `type` from `before` to `after` inputs replaces it.
 * `changed` is the top-level inputs whose values differ. Ignored paths (ignoreChanges) are left out of every
 * comparison, so a nested ignored path does not make its parent input count as changed.
 */
export function replacementOf(
    type: string,
    before: Inputs,
    after: Inputs,
    changed: readonly string[],
    ignoreChanges: readonly string[] = [],
): ReplacementVerdict {
    const rule = REPLACEMENT_RULES[type];
    if (!rule) return { verdict: "unknown", reasons: [], ignored: [] };
    const paths = [...new Set([...(rule.ignored ?? []), ...ignoreChanges])];
    const differsIn = (a: unknown, b: unknown, path: string) => stableJson(valueAt(a as Inputs, path)) !== stableJson(valueAt(b as Inputs, path));
    const strip = (inputs: Inputs) => paths.reduce<unknown>((value, path) => without(value, path.split(".")), inputs) as Inputs;
    const [kept, next] = [strip(before), strip(after)];
    const differs = (path: string) => differsIn(kept, next, path);
    const ignored = paths.filter((path) => changed.includes(path.split(".")[0]) && differsIn(before, after, path));
    const relevant = changed.filter((key) => differs(key));
    const reasons: string[] = [];
    if (rule.forceNew.includes("*")) {
        reasons.push(...relevant.filter((key) => !rule.except?.includes(key)));
    } else {
        reasons.push(...rule.forceNew.filter((path) => relevant.includes(path.split(".")[0]) && differs(path)));
    }
    for (const conditional of rule.conditional ?? []) {
        if (relevant.includes(conditional.path.split(".")[0]) && differs(conditional.path) && conditional.when(after, before)) {
            reasons.push(`${conditional.path} (${conditional.because})`);
        }
    }
    return { verdict: reasons.length > 0 ? "replace" : "update", reasons: [...new Set(reasons)].sort(), ignored: [...new Set(ignored)].sort() };
}
