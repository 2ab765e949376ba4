import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { KEY_DESCRIPTIONS, KEY_PURPOSES, KeyPurpose } from "./keys";
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

/** What CloudWatch Logs needs on a key that encrypts log groups (AWS's documented statement). */
export const LOGS_SERVICE_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"] as const;

export interface EncryptionArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** AWS region: the CloudWatch Logs service principal is regional. */
    readonly region: string;
    /** Protect the keys (and retain them on delete): a deleted key makes its data unreadable. */
    readonly protect: boolean;
}

/**
 * Customer-managed KMS keys, one per purpose, with yearly rotation and an alias
 * `alias/${env}-<purpose>`. Built only when `encryption.kms` is set.
 */
export class Encryption extends TierComponent {
    readonly keys: Record<KeyPurpose, aws.kms.Key>;
    /** Key ARN per purpose, for the tiers' `kmsKeyId`-style inputs. */
    readonly keyArns: Record<KeyPurpose, pulumi.Output<string>>;
    /** `alias/${env}-<purpose>` per purpose. */
    readonly aliasNames: Record<KeyPurpose, string>;

    constructor(name: string, args: EncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("encryption", "Encryption"), name, opts);
        const { naming, protect } = args;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const context: KeyPolicyContext = { account, partition, region: args.region };

        const keys = {} as Record<KeyPurpose, aws.kms.Key>;
        this.aliasNames = recordOf(KEY_PURPOSES, (purpose) => `alias/${naming.name(purpose)}`);
        for (const purpose of KEY_PURPOSES) {
            keys[purpose] = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${naming.name(purpose)}: ${KEY_DESCRIPTIONS[purpose]}`,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: protect ? 30 : 7,
                    policy: keyPolicy(purpose, context),
                    tags: naming.tags("encryption", `${purpose}-key`),
                },
                this.child({ protect, retainOnDelete: protect }),
            );
            new aws.kms.Alias(
                `${name}-${purpose}`,
                {
                    name: this.aliasNames[purpose],
                    targetKeyId: keys[purpose].keyId,
                },
                this.child(),
            );
        }
        this.keys = keys;
        this.keyArns = recordOf(KEY_PURPOSES, (purpose) => keys[purpose].arn);

        this.registerOutputs({ keyArns: this.keyArns });
    }
}

interface KeyPolicyContext {
    readonly account: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
    readonly region: string;
}

/**
 * Key policy: the account root administers the key and lets IAM policies grant
 * its use (the roles of the identity tier); the logs key additionally lets the
 * regional CloudWatch Logs service use it, only for this account's log groups.
 */
function keyPolicy(purpose: KeyPurpose, context: KeyPolicyContext): pulumi.Output<string> {
    const { account, partition, region } = context;
    const statements: PolicyStatement[] = [
        {
            Sid: "AccountRootAdministersAndDelegatesToIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: [...ROOT_KEY_ACTIONS],
            Resource: "*",
        },
    ];
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
    return policyDocument(statements);
}
