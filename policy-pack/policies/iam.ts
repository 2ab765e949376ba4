import {
    IDENTITY_POLICY_TYPES,
    LocatedDocument,
    RESOURCE_POLICY_TYPES,
    Statement,
    actionCovers,
    describeStatement,
    hasNarrowingCondition,
    identityDocuments,
    isAllow,
    isWildcardAction,
    principals,
    resourceDocuments,
    trustDocument,
} from "./iam-documents";
import { Findings, PackPolicy, RuleResource, label, resourceRule } from "./rules";
import { T, isOneOf } from "./types";
import { UNKNOWN, at, globMatches, isOpaque, list } from "./values";

/** IAM: wildcard actions, wildcard resources on data-plane actions, specific principals. */

const stringList = { type: "array", items: { type: "string" } } as const;

/** Calls `check` for every statement of every document; defers on unknown documents. */
function eachStatement(
    resource: RuleResource,
    documents: LocatedDocument[] | typeof UNKNOWN,
    findings: Findings,
    check: (statement: Statement, where: string) => void,
): void {
    if (documents === UNKNOWN) return findings.unknown("policy documents");
    for (const document of documents) {
        if (document.statements === UNKNOWN) {
            findings.unknown(document.where);
            continue;
        }
        if (document.statements === "invalid") {
            findings.violation(`${label(resource)} ${document.where} is not a valid policy document.`);
            continue;
        }
        document.statements.forEach((statement, index) => check(statement, `${document.where} ${describeStatement(statement, index)}`));
    }
}

export const iamNoWildcardActions = resourceRule<{ allowedWildcardActions: string[] }>({
    name: "iam-no-wildcard-actions",
    description: "No IAM policy (managed, inline, role/user/group policy) or bucket policy allows \"*\" or \"service:*\" actions, or uses Allow with NotAction, except a configured allowlist.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...IDENTITY_POLICY_TYPES, ...T.bucketPolicy, ...T.bucket],
    references: { checkov: ["CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40"], securityHub: ["IAM.1", "IAM.21"] },
    parameters: { schema: { allowedWildcardActions: stringList }, defaults: { allowedWildcardActions: [] } },
    check: (resource, findings, config) => {
        const documents = T.bucketPolicy.includes(resource.type as never) || T.bucket.includes(resource.type as never)
            ? resourceDocuments(resource)
            : identityDocuments(resource);
        const allowed = config.allowedWildcardActions.map((action) => action.toLowerCase());
        eachStatement(resource, documents, findings, (statement, where) => {
            if (!isAllow(statement)) return;
            if (statement.notActions.length > 0) {
                findings.violation(`${label(resource)} ${where} allows NotAction [${statement.notActions.join(", ")}]: everything else is granted.`);
            }
            const wild = statement.actions.filter((action) => isWildcardAction(action) && !allowed.includes(action.trim().toLowerCase()));
            if (wild.length > 0) findings.violation(`${label(resource)} ${where} allows wildcard action(s) ${wild.join(", ")}; list the actions needed.`);
        });
    },
});

/**
 * Data-plane actions that support resource-level permissions: granting them on
 * "*" reaches every bucket, table, queue, key or secret in the account.
 */
export const DATA_PLANE_ACTIONS = [
    "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectTagging", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging",
    "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload",
    "s3:RestoreObject", "s3:ReplicateObject",
    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
    "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
    "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue",
    "sns:Publish",
    "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:SubscribeToShard",
    "firehose:PutRecord", "firehose:PutRecordBatch",
    "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair",
    "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:Sign", "kms:Verify", "kms:GenerateMac",
    "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret",
    "secretsmanager:DescribeSecret", "secretsmanager:RotateSecret",
    "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter",
    "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
    "logs:PutLogEvents", "logs:CreateLogStream", "logs:GetLogEvents", "logs:FilterLogEvents",
    "lambda:InvokeFunction",
    "glue:GetTable", "glue:GetTables", "glue:GetDatabase", "glue:GetDatabases", "glue:GetPartition", "glue:GetPartitions",
    "glue:BatchGetPartition", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:CreatePartition",
    "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition",
    "rds-db:connect", "elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite",
];

export const iamNoWildcardResourceOnDataActions = resourceRule<{ dataPlaneActions: string[]; allowedActions: string[] }>({
    name: "iam-no-wildcard-resource-data-actions",
    description: "Identity policies do not grant data-plane actions that support resource-level permissions (s3:GetObject, kms:Decrypt, secretsmanager:GetSecretValue, ...) on Resource \"*\". Actions that cannot be scoped (ecr:GetAuthorizationToken) may use \"*\".",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: IDENTITY_POLICY_TYPES,
    references: { checkov: ["CKV_AWS_355", "CKV_AWS_356", "CKV_AWS_108", "CKV_AWS_288", "CKV_AWS_111", "CKV_AWS_290"], securityHub: ["KMS.1", "KMS.2"] },
    parameters: {
        schema: { dataPlaneActions: stringList, allowedActions: stringList },
        defaults: { dataPlaneActions: DATA_PLANE_ACTIONS, allowedActions: ["ecr:GetAuthorizationToken"] },
    },
    check: (resource, findings, config) => {
        const allowed = config.allowedActions.map((action) => action.toLowerCase());
        eachStatement(resource, identityDocuments(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            const everyResource = statement.resources.some((item) => item.trim() === "*") || statement.notResources.length > 0;
            if (!everyResource) return;
            const granted = statement.notActions.length > 0
                ? config.dataPlaneActions.filter((action) => !statement.notActions.some((pattern) => actionCovers(pattern, action)))
                : config.dataPlaneActions.filter((action) => statement.actions.some((pattern) => !allowed.includes(pattern.trim().toLowerCase()) && actionCovers(pattern, action)));
            if (granted.length === 0) return;
            const shown = granted.length > 6 ? `${granted.slice(0, 6).join(", ")} and ${granted.length - 6} more` : granted.join(", ");
            findings.violation(`${label(resource)} ${where} grants data-plane action(s) ${shown} on Resource "*"; scope them to ARNs.`);
        });
    },
});

/**
 * AWS-managed policies that grant "*" or whole services: glob patterns (`*`,
 * `?`, case-insensitive) over the policy's name, or over its path and name
 * ("job-function/..."). Only AWS-managed ARNs (`arn:<partition>:iam::aws:policy/...`)
 * are judged here; customer-managed policies are judged by their documents.
 */
export const DENIED_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "*FullAccess"];

const AWS_MANAGED_POLICY_ARN = /^arn:[a-z0-9-]+:iam::aws:policy\/(.+)$/i;

/** The denied pattern an AWS-managed policy ARN matches; undefined for any other ARN. */
export function deniedManagedPolicy(arn: string, denied: readonly string[]): string | undefined {
    const match = AWS_MANAGED_POLICY_ARN.exec(arn.trim());
    if (!match) return undefined;
    const pathAndName = match[1];
    const name = pathAndName.split("/").pop() ?? pathAndName;
    return denied.find((pattern) => globMatches(pattern.trim(), name) || globMatches(pattern.trim(), pathAndName));
}

/** Managed-policy ARNs a resource attaches: [where, value]; UNKNOWN when the list itself is unknown. */
function attachedPolicyArns(resource: RuleResource): [string, unknown][] | typeof UNKNOWN {
    const { props, type } = resource;
    const many = (key: string): [string, unknown][] | typeof UNKNOWN => {
        const arns = list(props, key);
        return isOpaque(arns) ? UNKNOWN : arns.map((arn, index): [string, unknown] => [`${key}[${index}]`, arn]);
    };
    if (isOneOf(type, T.iamRole)) return many("managedPolicyArns");
    if (isOneOf(type, T.iamPolicyAttachmentsExclusive)) return many("policyArns");
    return [["policyArn", at(props, "policyArn")]];
}

export const MANAGED_POLICY_ATTACHMENT_TYPES: readonly string[] = [
    ...T.iamRolePolicyAttachment, ...T.iamUserPolicyAttachment, ...T.iamGroupPolicyAttachment, ...T.iamPolicyAttachment,
    ...T.iamPolicyAttachmentsExclusive, ...T.iamRole,
];

export const iamNoBroadManagedPolicies = resourceRule<{ deniedManagedPolicies: string[] }>({
    name: "iam-no-broad-managed-policies",
    description: "No role, user or group is given an AWS-managed policy that grants \"*\" or whole services: AdministratorAccess, PowerUserAccess, IAMFullAccess and every arn:<partition>:iam::aws:policy/...FullAccess (configurable list), whether attached by a policy attachment or a role's managedPolicyArns.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: MANAGED_POLICY_ATTACHMENT_TYPES,
    references: { checkov: ["CKV_AWS_274"], securityHub: ["IAM.1"] },
    parameters: { schema: { deniedManagedPolicies: stringList }, defaults: { deniedManagedPolicies: DENIED_MANAGED_POLICIES } },
    check: (resource, findings, config) => {
        const arns = attachedPolicyArns(resource);
        if (arns === UNKNOWN) return findings.unknown("managed policy ARNs");
        for (const [where, value] of arns) {
            const pattern = typeof value === "string" ? deniedManagedPolicy(value, config.deniedManagedPolicies) : undefined;
            findings.require(value, () => pattern === undefined,
                `${label(resource)} ${where} attaches the AWS-managed policy ${String(value)} (denied: "${pattern}"), which grants "*" or whole services; attach a policy with the actions needed.`, where);
        }
    },
});

/** A service principal must be one named service, e.g. "glue.amazonaws.com". */
const SPECIFIC_SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i;

function trustProblems(statement: Statement): string[] {
    if (statement.notPrincipal !== undefined) return ["uses NotPrincipal with Allow"];
    const { everyone, byKind } = principals(statement.principal);
    if (statement.principal === undefined) return ["names no principal"];
    if (everyone) return ["trusts every AWS principal (\"*\")"];
    const problems: string[] = [];
    for (const service of byKind.Service ?? []) if (!SPECIFIC_SERVICE.test(service)) problems.push(`trusts service "${service}"`);
    for (const account of byKind.AWS ?? []) if (account.includes("*")) problems.push(`trusts AWS principal "${account}"`);
    for (const federated of byKind.Federated ?? []) if (federated.includes("*")) problems.push(`trusts federated principal "${federated}"`);
    return problems;
}

export const iamTrustSpecificPrincipals = resourceRule({
    name: "iam-trust-specific-principals",
    description: "Role trust policies name specific services or accounts (no \"*\" principal); resource policies (bucket, queue, topic, repository, secret, key) never allow \"*\" without a condition that narrows it to an account, organization, network or source.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...T.iamRole, ...RESOURCE_POLICY_TYPES],
    references: { checkov: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_32", "CKV_AWS_33", "CKV_AWS_283"], securityHub: ["S3.2", "S3.3", "SQS.3", "SNS.4", "KMS.5"] },
    check: (resource, findings) => {
        eachStatement(resource, trustDocument(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            for (const problem of trustProblems(statement)) findings.violation(`${label(resource)} ${where} ${problem}.`);
        });
        eachStatement(resource, resourceDocuments(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            const open = statement.notPrincipal !== undefined || principals(statement.principal).everyone;
            if (open && !hasNarrowingCondition(statement)) {
                findings.violation(`${label(resource)} ${where} allows everyone ("*") without a narrowing condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...).`);
            }
        });
    },
});

export const iamResourcePolicies = [iamNoWildcardActions, iamNoBroadManagedPolicies, iamNoWildcardResourceOnDataActions, iamTrustSpecificPrincipals];
export const iamPolicies: PackPolicy[] = [...iamResourcePolicies];
