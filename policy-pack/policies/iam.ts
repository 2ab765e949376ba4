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
    isBroadResource,
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
    description:
        'No IAM policy (managed, inline, role/user/group policy) or bucket policy allows "*", "*:*" or whole services ("s3:*", "*:Get*"), even on a scoped Resource, or uses Allow with NotAction, except a configured allowlist.',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...IDENTITY_POLICY_TYPES, ...T.bucketPolicy, ...T.bucket],
    references: { checkov: ["CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40"], securityHub: ["IAM.1", "IAM.21"] },
    parameters: { schema: { allowedWildcardActions: stringList }, defaults: { allowedWildcardActions: [] } },
    check: (resource, findings, config) => {
        const documents =
            T.bucketPolicy.includes(resource.type as never) || T.bucket.includes(resource.type as never)
                ? resourceDocuments(resource)
                : identityDocuments(resource);
        const allowed = config.allowedWildcardActions.map((action) => action.toLowerCase());
        eachStatement(resource, documents, findings, (statement, where) => {
            if (!isAllow(statement)) return;
            if (statement.notActions.length > 0) {
                findings.violation(`${label(resource)} ${where} allows NotAction [${statement.notActions.join(", ")}]: everything else is granted.`);
            }
            const wild = statement.actions.filter((action) => isWildcardAction(action) && !allowed.includes(action.trim().toLowerCase()));
            if (wild.length > 0)
                findings.violation(`${label(resource)} ${where} allows wildcard action(s) ${wild.join(", ")}; list the actions needed.`);
        });
    },
});

/**
 * Data-plane actions that support resource-level permissions: granting them on
 * "*" reaches every bucket, table, queue, key or secret in the account.
 */
export const DATA_PLANE_ACTIONS = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAcl",
    "s3:GetObjectTagging",
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectTagging",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
    "s3:RestoreObject",
    "s3:ReplicateObject",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:PurgeQueue",
    "sns:Publish",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:SubscribeToShard",
    "firehose:PutRecord",
    "firehose:PutRecordBatch",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:Sign",
    "kms:Verify",
    "kms:GenerateMac",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecret",
    "secretsmanager:DeleteSecret",
    "secretsmanager:DescribeSecret",
    "secretsmanager:RotateSecret",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:PutParameter",
    "ssm:DeleteParameter",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchCheckLayerAvailability",
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "logs:PutLogEvents",
    "logs:CreateLogStream",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "lambda:InvokeFunction",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
    "rds-db:connect",
    "elasticfilesystem:ClientMount",
    "elasticfilesystem:ClientWrite",
];

export const iamNoWildcardResourceOnDataActions = resourceRule<{ dataPlaneActions: string[]; allowedActions: string[] }>({
    name: "iam-no-wildcard-resource-data-actions",
    description:
        'Identity policies do not grant data-plane actions that support resource-level permissions (s3:GetObject, kms:Decrypt, secretsmanager:GetSecretValue, ...) on Resource "*", on an ARN pattern that is only wildcards (arn:aws:s3:::*, arn:aws:kms:*:*:key/*, arn:aws:secretsmanager:*:*:secret:*), or with NotResource. Actions that cannot be scoped (ecr:GetAuthorizationToken) may use "*".',
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: IDENTITY_POLICY_TYPES,
    references: {
        checkov: ["CKV_AWS_355", "CKV_AWS_356", "CKV_AWS_108", "CKV_AWS_288", "CKV_AWS_111", "CKV_AWS_290"],
        securityHub: ["KMS.1", "KMS.2"],
    },
    parameters: {
        schema: { dataPlaneActions: stringList, allowedActions: stringList },
        defaults: { dataPlaneActions: DATA_PLANE_ACTIONS, allowedActions: ["ecr:GetAuthorizationToken"] },
    },
    check: (resource, findings, config) => {
        const allowed = config.allowedActions.map((action) => action.toLowerCase());
        eachStatement(resource, identityDocuments(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            const broad = statement.resources.filter(isBroadResource);
            if (broad.length === 0 && statement.notResources.length === 0) return;
            const on =
                statement.notResources.length > 0
                    ? `every resource but NotResource [${statement.notResources.join(", ")}]`
                    : `Resource ${broad.map((item) => `"${item}"`).join(", ")}`;
            const granted =
                statement.notActions.length > 0
                    ? config.dataPlaneActions.filter((action) => !statement.notActions.some((pattern) => actionCovers(pattern, action)))
                    : config.dataPlaneActions.filter((action) =>
                          statement.actions.some((pattern) => !allowed.includes(pattern.trim().toLowerCase()) && actionCovers(pattern, action)),
                      );
            if (granted.length === 0) return;
            const shown = granted.length > 6 ? `${granted.slice(0, 6).join(", ")} and ${granted.length - 6} more` : granted.join(", ");
            findings.violation(`${label(resource)} ${where} grants data-plane action(s) ${shown} on ${on}; scope them to ARNs.`);
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
    ...T.iamRolePolicyAttachment,
    ...T.iamUserPolicyAttachment,
    ...T.iamGroupPolicyAttachment,
    ...T.iamPolicyAttachment,
    ...T.iamPolicyAttachmentsExclusive,
    ...T.iamRole,
];

export const iamNoBroadManagedPolicies = resourceRule<{ deniedManagedPolicies: string[] }>({
    name: "iam-no-broad-managed-policies",
    description:
        'No role, user or group is given an AWS-managed policy that grants "*" or whole services: AdministratorAccess, PowerUserAccess, IAMFullAccess and every arn:<partition>:iam::aws:policy/...FullAccess (configurable list), whether attached by a policy attachment or a role\'s managedPolicyArns.',
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
            findings.require(
                value,
                () => pattern === undefined,
                `${label(resource)} ${where} attaches the AWS-managed policy ${String(value)} (denied: "${pattern}"), which grants "*" or whole services; attach a policy with the actions needed.`,
                where,
            );
        }
    },
});

/** A service principal must be one named service, e.g. "glue.amazonaws.com". */
const SPECIFIC_SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i;

function trustProblems(statement: Statement): string[] {
    if (statement.notPrincipal !== undefined) return ["uses NotPrincipal with Allow"];
    const { everyone, byKind } = principals(statement.principal);
    if (statement.principal === undefined) return ["names no principal"];
    if (everyone) return ['trusts every AWS principal ("*")'];
    const problems: string[] = [];
    for (const service of byKind.Service ?? []) if (!SPECIFIC_SERVICE.test(service)) problems.push(`trusts service "${service}"`);
    for (const account of byKind.AWS ?? []) if (account.includes("*")) problems.push(`trusts AWS principal "${account}"`);
    for (const federated of byKind.Federated ?? []) if (federated.includes("*")) problems.push(`trusts federated principal "${federated}"`);
    return problems;
}

export const iamTrustSpecificPrincipals = resourceRule({
    name: "iam-trust-specific-principals",
    description:
        'Role trust policies name specific services or accounts (no "*" principal); resource policies (bucket, queue, topic, repository, secret, key) never allow "*" without a condition that narrows it to an account, organization, network or source.',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [...T.iamRole, ...RESOURCE_POLICY_TYPES],
    references: {
        checkov: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_32", "CKV_AWS_33", "CKV_AWS_283"],
        securityHub: ["S3.2", "S3.3", "SQS.3", "SNS.4", "KMS.5"],
    },
    check: (resource, findings) => {
        eachStatement(resource, trustDocument(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            for (const problem of trustProblems(statement)) findings.violation(`${label(resource)} ${where} ${problem}.`);
        });
        eachStatement(resource, resourceDocuments(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            const open = statement.notPrincipal !== undefined || principals(statement.principal).everyone;
            if (open && !hasNarrowingCondition(statement)) {
                findings.violation(
                    `${label(resource)} ${where} allows everyone ("*") without a narrowing condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...).`,
                );
            }
        });
    },
});

/**
 * Privilege-escalation paths (Rhino Security Labs' research, as listed by
 * cloudsplaining's PRIVILEGE_ESCALATION_METHODS, which checkov CKV_AWS_286
 * evaluates): each is a set of actions that together let a principal raise its
 * own permissions. A path counts when every action of it is allowed on
 * unconstrained resources (Resource "*", a wildcard-only ARN, or NotResource),
 * across all the documents one resource grants.
 */
export const PRIVILEGE_ESCALATION_PATHS: Record<string, readonly string[]> = {
    CreateAccessKey: ["iam:CreateAccessKey"],
    CreateLoginProfile: ["iam:CreateLoginProfile"],
    UpdateLoginProfile: ["iam:UpdateLoginProfile"],
    AddUserToGroup: ["iam:AddUserToGroup"],
    CreateNewPolicyVersion: ["iam:CreatePolicyVersion"],
    SetExistingDefaultPolicyVersion: ["iam:SetDefaultPolicyVersion"],
    AttachUserPolicy: ["iam:AttachUserPolicy"],
    AttachGroupPolicy: ["iam:AttachGroupPolicy"],
    AttachRolePolicy: ["iam:AttachRolePolicy"],
    PutUserPolicy: ["iam:PutUserPolicy"],
    PutGroupPolicy: ["iam:PutGroupPolicy"],
    PutRolePolicy: ["iam:PutRolePolicy"],
    UpdateRolePolicyToAssumeIt: ["iam:UpdateAssumeRolePolicy"],
    CreateEC2WithExistingIP: ["iam:PassRole", "ec2:RunInstances"],
    PassExistingRoleToNewLambdaThenInvoke: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo: ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    PassExistingRoleToNewGlueDevEndpoint: ["iam:PassRole", "glue:CreateDevEndpoint"],
    PassExistingRoleToCloudFormation: ["iam:PassRole", "cloudformation:CreateStack"],
    PassExistingRoleToNewDataPipeline: ["iam:PassRole", "datapipeline:CreatePipeline"],
    UpdateExistingGlueDevEndpoint: ["glue:UpdateDevEndpoint"],
    EditExistingLambdaFunctionWithRole: ["lambda:UpdateFunctionCode"],
    // Paths through services this platform builds (Glue jobs, ECS tasks, EC2 spot), from the same list.
    PassExistingRoleToNewGlueJobThenRun: ["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
    PassExistingRoleToNewGlueJobViaTrigger: ["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"],
    PassExistingRoleToUpdatedGlueJobThenRun: ["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
    PassExistingRoleToNewECSTaskViaRunTask: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    PassExistingRoleToNewECSService: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:CreateService"],
    PassExistingRoleToNewEC2SpotInstance: ["iam:PassRole", "ec2:RequestSpotInstances"],
    ModifyExistingEC2LaunchTemplate: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
    ECSExecuteCommandOnRunningTask: ["ecs:ExecuteCommand", "ecs:DescribeTasks"],
};

/**
 * Actions whose response carries credentials (cloudsplaining's
 * ACTIONS_THAT_RETURN_CREDENTIALS, which checkov CKV_AWS_287 evaluates; ecr:GetAuthorizationToken excluded
 * there and here: it cannot be scoped).
 */
export const CREDENTIAL_ACTIONS = [
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "chime:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "ecr-public:GetAuthorizationToken",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "finspace-api:GetProgrammaticAccessCredentials",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "grafana:CreateWorkspaceApiKey",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "license-manager:GetAccessToken",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

/** Whether an Allow statement grants `action` on unconstrained resources. */
function grantsUnconstrained(statement: Statement, action: string): boolean {
    if (!isAllow(statement)) return false;
    const unconstrained = statement.notResources.length > 0 || statement.resources.some(isBroadResource);
    if (!unconstrained) return false;
    if (statement.notActions.length > 0) return !statement.notActions.some((pattern) => actionCovers(pattern, action));
    return statement.actions.some((pattern) => actionCovers(pattern, action));
}

export const iamNoPrivilegeEscalation = resourceRule<{ allowedActions: string[] }>({
    name: "iam-no-privilege-escalation",
    description:
        'Identity policies grant no privilege-escalation path (iam:CreatePolicyVersion, iam:Put*/Attach*Policy, iam:PassRole with ec2:RunInstances, lambda:CreateFunction + InvokeFunction, glue:CreateJob + StartJobRun, ...) and no action that returns credentials (sts:AssumeRole, iam:CreateAccessKey, ...) on unconstrained resources ("*", a wildcard-only ARN such as arn:aws:iam::*:role/*, or NotResource), across all the documents one resource grants.',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: IDENTITY_POLICY_TYPES,
    references: { checkov: ["CKV_AWS_286", "CKV_AWS_287"], securityHub: [] },
    parameters: { schema: { allowedActions: stringList }, defaults: { allowedActions: [] } },
    check: (resource, findings, config) => {
        const documents = identityDocuments(resource);
        const statements: Statement[] = [];
        eachStatement(resource, documents, findings, (statement) => statements.push(statement));
        const allowed = config.allowedActions.map((action) => action.toLowerCase());
        const granted = (action: string) =>
            !allowed.includes(action.toLowerCase()) && statements.some((statement) => grantsUnconstrained(statement, action));
        const paths = Object.entries(PRIVILEGE_ESCALATION_PATHS).filter(([, actions]) => actions.every(granted));
        const credentials = CREDENTIAL_ACTIONS.filter(granted);
        const reasons: string[] = [];
        if (paths.length > 0) {
            const shown = paths
                .slice(0, 4)
                .map(([path, actions]) => `${path} (${actions.join(" + ")})`)
                .join(", ");
            reasons.push(`privilege-escalation path(s) ${shown}${paths.length > 4 ? ` and ${paths.length - 4} more` : ""} (CKV_AWS_286)`);
        }
        if (credentials.length > 0) {
            reasons.push(
                `action(s) returning credentials ${credentials.slice(0, 6).join(", ")}${credentials.length > 6 ? ` and ${credentials.length - 6} more` : ""} (CKV_AWS_287)`,
            );
        }
        if (reasons.length > 0)
            findings.violation(`${label(resource)} grants on unconstrained resources ${reasons.join("; ")}; scope the Resource to the ARNs needed.`);
    },
});

// ---------------------------------------------------------------------------
// GitHub Actions OIDC trust (checkov CKV_AWS_358)
// ---------------------------------------------------------------------------

const GITHUB_OIDC = "token.actions.githubusercontent.com";
const GITHUB_SUB = `${GITHUB_OIDC}:sub`;
/** Claims a pull request or fork can choose, so pinning on them pins nothing (checkov's gh_abusable_claims). */
const ABUSABLE_CLAIMS = ["workflow", "environment", "ref", "context", "head_ref", "base_ref"];
const REPO_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\/[^/]+/;

/** Why one allowed `sub` value does not pin a repository, or undefined when it does. */
function subProblem(value: unknown): string | undefined {
    if (typeof value !== "string") return `a non-string sub ${JSON.stringify(value)}`;
    const claims = value.split(":");
    if (value.trim() === "*" || claims.length === 1) return `sub "${value}" names no repository`;
    if (claims[1].trim() === "*" || claims[1].trim() === "") return `sub "${value}" allows any ${claims[0]}`;
    if (ABUSABLE_CLAIMS.some((claim) => claims[0].startsWith(claim)))
        return `sub "${value}" starts with the ${claims[0]} claim, which any repository can present`;
    if (claims[0] === "repo" && !REPO_PATTERN.test(claims[1])) return `sub "${value}" does not name an owner/repository`;
    return undefined;
}

/** Problems with a statement that trusts GitHub's OIDC provider: none when every allowed sub pins a repository. */
function githubTrustProblems(statement: Statement): string[] {
    const federated = principals(statement.principal).byKind.Federated ?? [];
    if (!federated.some((principal) => principal.includes(GITHUB_OIDC))) return [];
    const subs: unknown[] = [];
    for (const [operator, block] of Object.entries(statement.condition)) {
        if (!/^(for(any|all)value:)?string(equals|like)(ignorecase)?$/i.test(operator) || block === null || typeof block !== "object") continue;
        for (const [key, value] of Object.entries(block)) {
            if (key.toLowerCase() === GITHUB_SUB) subs.push(...(Array.isArray(value) ? value : [value]));
        }
    }
    if (subs.length === 0)
        return [
            `trusts GitHub Actions OIDC (${GITHUB_OIDC}) without a StringEquals/StringLike condition on ${GITHUB_SUB}: any repository's workflow can assume the role`,
        ];
    return subs
        .map(subProblem)
        .filter((problem): problem is string => problem !== undefined)
        .map((problem) => `trusts GitHub Actions OIDC with ${problem}: pin it to repo:<owner>/<repository>:...`);
}

export const iamGithubOidcPinnedSubject = resourceRule({
    name: "iam-github-oidc-pinned-subject",
    description:
        'Roles trusting GitHub Actions OIDC (token.actions.githubusercontent.com) pin the token\'s sub to a repository (repo:<owner>/<repository>:...) with StringEquals/StringLike: no missing sub, no "*", no repo:*, and no sub that starts with a claim a workflow chooses (workflow, environment, ref, context, head_ref, base_ref).',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: T.iamRole,
    references: { checkov: ["CKV_AWS_358"], securityHub: [] },
    check: (resource, findings) => {
        eachStatement(resource, trustDocument(resource), findings, (statement, where) => {
            if (!isAllow(statement)) return;
            for (const problem of githubTrustProblems(statement)) findings.violation(`${label(resource)} ${where} ${problem}.`);
        });
    },
});

export const iamResourcePolicies = [
    iamNoWildcardActions,
    iamNoBroadManagedPolicies,
    iamNoWildcardResourceOnDataActions,
    iamNoPrivilegeEscalation,
    iamTrustSpecificPrincipals,
    iamGithubOidcPinnedSubject,
];
export const iamPolicies: PackPolicy[] = [...iamResourcePolicies];
