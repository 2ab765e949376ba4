import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { BASE_KEY_PURPOSES, KEY_DESCRIPTIONS, KEY_PURPOSES, KeyPurpose } from "./keys";
import { TierComponent } from "../shared/tier";
import { recordOf } from "../shared/records";

/**
 * What the account root may do with a key. Listed rather than `kms:*` so that no
 * statement grants a whole service; it covers key administration and the usage
 * actions IAM policies (identity tier, deployer) delegate through this statement.
 */
export const ROOT_KEY_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
] as const;

/** Usage actions: on the keys of the data stores, Kubernetes and audit, granted only through their services. */
export const KEY_USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
    "kms:CreateGrant",
] as const;

/** Administration without use: the root statement of the keys whose use is limited to their services. */
export const ROOT_ADMIN_ACTIONS = [
    // CreateAlias, not Create*: kms:CreateGrant would let a principal grant itself use outside the services.
    "kms:CreateAlias",
    ...ROOT_KEY_ACTIONS.filter((action) => !["kms:Create*", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"].includes(action)),
];

/**
 * The services through which the account's principals may use each service-bound key (`kms:ViaService`).
 * The first four purposes keep the account-wide delegation they were built with (S3, Glue, Secrets
 * Manager, ECR and CloudWatch Logs all use them).
 */
export const KEY_SERVICES: Readonly<Partial<Record<KeyPurpose, readonly string[]>>> = {
    database: ["rds"],
    cache: ["elasticache"],
    streaming: ["kafka"],
    // Secrets envelope encryption (EKS) and the node groups' encrypted volumes (EC2).
    kubernetes: ["eks", "ec2"],
    // CloudTrail log files are read back through S3; the alarm topic is used through SNS.
    audit: ["s3", "sns"],
};

/** What the EC2 Auto Scaling service-linked role needs to launch instances with volumes encrypted by a key (AWS's documented statements). */
export const AUTOSCALING_VOLUME_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"] as const;

/** What CloudWatch Logs needs on a key that encrypts log groups (AWS's documented statement). */
export const LOGS_SERVICE_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"] as const;

export interface EncryptionArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** AWS region: the CloudWatch Logs service principal is regional. */
    readonly region: string;
    /** Protect the keys (and retain them on delete): a deleted key makes its data unreadable. */
    readonly protect: boolean;
    /** The purposes to build a key for. Default: the base four (storage, secrets, logs, registry). */
    readonly purposes?: readonly KeyPurpose[];
    /**
     * Purposes whose key encrypts volumes that EC2 Auto Scaling launches (EKS node groups, ECS EC2
     * capacity): their policy grants the account's AWSServiceRoleForAutoScaling, which must exist
     * (docs/deploy.md). Default none.
     */
    readonly autoscalingVolumes?: readonly KeyPurpose[];
}

/**
 * Customer-managed KMS keys, one per purpose, with yearly rotation and an alias
 * `alias/${env}-<purpose>`. Built only when `encryption.kms` is set.
 */
export class Encryption extends TierComponent {
    /** The purposes built, in KEY_PURPOSES order. */
    readonly purposes: readonly KeyPurpose[];
    readonly keys: Partial<Record<KeyPurpose, aws.kms.Key>>;
    /** Key ARN per purpose built, for the tiers' `kmsKeyId`-style inputs. */
    readonly keyArns: Partial<Record<KeyPurpose, pulumi.Output<string>>>;
    /** `alias/${env}-<purpose>` per purpose built. */
    readonly aliasNames: Partial<Record<KeyPurpose, string>>;

    constructor(name: string, args: EncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("encryption", "Encryption"), name, opts);
        const { naming, protect } = args;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const context: KeyPolicyContext = { account, partition, region: args.region };
        const requested = args.purposes ?? BASE_KEY_PURPOSES;
        this.purposes = KEY_PURPOSES.filter((purpose) => requested.includes(purpose));
        const autoscaling = args.autoscalingVolumes ?? [];

        const keys: Partial<Record<KeyPurpose, aws.kms.Key>> = {};
        this.aliasNames = recordOf(this.purposes, (purpose) => `alias/${naming.name(purpose)}`);
        for (const purpose of this.purposes) {
            keys[purpose] = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${naming.name(purpose)}: ${KEY_DESCRIPTIONS[purpose]}`,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: protect ? 30 : 7,
                    policy: keyPolicy(purpose, context, autoscaling.includes(purpose)),
                    tags: naming.tags("encryption", `${purpose}-key`),
                },
                this.child({ protect, retainOnDelete: protect }),
            );
            new aws.kms.Alias(
                `${name}-${purpose}`,
                {
                    name: this.aliasNames[purpose]!,
                    targetKeyId: keys[purpose]!.keyId,
                },
                this.child(),
            );
        }
        this.keys = keys;
        this.keyArns = recordOf(this.purposes, (purpose) => keys[purpose]!.arn);

        this.registerOutputs({ keyArns: this.keyArns });
    }
}

export interface KeyPolicyContext {
    readonly account: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
    readonly region: string;
}

/**
 * Key policy. The account root administers every key. For the base four purposes it also lets IAM
 * policies grant the key's use (the roles of the identity tier); the logs key additionally lets the
 * regional CloudWatch Logs service use it, only for this account's log groups. The keys of the data
 * stores, Kubernetes and audit are service-bound: the account's principals may use them only through
 * the services in KEY_SERVICES, and the service principals that act on their own (CloudTrail, CloudWatch
 * alarms publishing to the encrypted topic, EC2 Auto Scaling launching encrypted volumes) are named.
 */
export function keyPolicy(purpose: KeyPurpose, context: KeyPolicyContext, autoscalingVolumes = false): pulumi.Output<string> {
    const { account, partition, region } = context;
    const root = pulumi.interpolate`arn:${partition}:iam::${account}:root`;
    const services = KEY_SERVICES[purpose];
    const statements: PolicyStatement[] = [
        services === undefined
            ? {
                  Sid: "AccountRootAdministersAndDelegatesToIam",
                  Effect: "Allow",
                  Principal: { AWS: root },
                  Action: [...ROOT_KEY_ACTIONS],
                  Resource: "*",
              }
            : { Sid: "AccountRootAdministers", Effect: "Allow", Principal: { AWS: root }, Action: [...ROOT_ADMIN_ACTIONS], Resource: "*" },
    ];
    if (services !== undefined) {
        statements.push({
            Sid: "AccountUsesOnlyThroughItsServices",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: [...KEY_USE_ACTIONS],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": services.map((service) => `${service}.${region}.amazonaws.com`) } },
        });
    }
    if (purpose === "logs") {
        statements.push({
            Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: [...LOGS_SERVICE_KEY_ACTIONS],
            Resource: "*",
            Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${account}:log-group:*` },
            },
        });
    }
    if (purpose === "audit") statements.push(...auditServiceStatements(context));
    if (autoscalingVolumes) statements.push(...autoscalingStatements(context));
    return policyDocument(statements);
}

/** CloudTrail encrypts this account's trails' log files; CloudWatch alarms of this account publish to the encrypted topic. */
function auditServiceStatements({ account, partition }: KeyPolicyContext): PolicyStatement[] {
    const sourceAccount = { StringEquals: { "aws:SourceAccount": account } };
    return [
        {
            Sid: "CloudTrailEncryptsThisAccountsTrails",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                ...sourceAccount,
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*` },
            },
        },
        {
            Sid: "CloudTrailDescribesTheKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: sourceAccount,
        },
        {
            Sid: "CloudWatchAlarmsPublishToTheEncryptedTopic",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            // AWS documents this statement without conditions: CloudWatch's KMS calls for an alarm's publish are not
            // documented to carry aws:SourceAccount/SourceArn, and a condition they lack silently stops alarm mail.
            // Who may publish to the topic is the topic policy's decision.
        },
    ];
}

/**
 * EC2 Auto Scaling launches the node groups' and capacity instances' volumes with the service-linked
 * role, whose own policy grants no customer key: the key policy must (AWS: "Required KMS key policy for
 * use with encrypted volumes", EC2 Auto Scaling User Guide).
 */
function autoscalingStatements({ account, partition }: KeyPolicyContext): PolicyStatement[] {
    const role = pulumi.interpolate`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    return [
        { Sid: "AutoScalingUsesTheKeyForVolumes", Effect: "Allow", Principal: { AWS: role }, Action: [...AUTOSCALING_VOLUME_ACTIONS], Resource: "*" },
        {
            Sid: "AutoScalingGrantsForVolumes",
            Effect: "Allow",
            Principal: { AWS: role },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
        },
    ];
}
