import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, keyUseVia, policyDocument, serviceTrustPolicy } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";

/** Actions that pull an image from an ECR repository (scoped to repository ARNs). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] as const;
/** Bucket-level and object-level S3 actions of a reader/writer. */
export const S3_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"] as const;
export const S3_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;
/** Glue writes job and crawler logs under this log-group prefix. */
export const GLUE_LOG_GROUP_PREFIX = "/aws-glue/";

/**
 * Name of an ECS task's log group, `/ecs/${env}-<task>` (as the containers tier
 * names them). The execution role may write only to `/ecs/${env}-*`.
 */
export function ecsLogGroupName(naming: Naming, task: string): string {
    return `/ecs/${naming.name(task)}`;
}

export interface IdentityBucketArns {
    readonly dataLake: pulumi.Input<string>;
    readonly glueScripts: pulumi.Input<string>;
    readonly glueOutputs: pulumi.Input<string>;
}

export interface IdentityKeyArns {
    /** Storage key (S3 SSE-KMS, Glue bookmarks). */
    readonly storage?: pulumi.Input<string>;
    /** Secrets Manager key. */
    readonly secrets?: pulumi.Input<string>;
}

export interface IdentityArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** AWS region, for log-group ARNs and `kms:ViaService` conditions. */
    readonly region: string;
    /** ARNs of the data lake, Glue scripts and Glue outputs buckets. */
    readonly bucketArns: IdentityBucketArns;
    /** ECR repositories the task-execution role may pull from. */
    readonly repositoryArns: readonly pulumi.Input<string>[];
    /** Secrets the task-execution role injects into containers (the app secret). */
    readonly executionSecretArns: readonly pulumi.Input<string>[];
    /** Secrets the running application (task role) may read. */
    readonly taskSecretArns: readonly pulumi.Input<string>[];
    /** Customer-managed keys to allow, when the stack uses them. */
    readonly kmsKeyArns?: IdentityKeyArns;
}

interface Context {
    readonly partition: pulumi.Output<string>;
    readonly account: pulumi.Output<string>;
    readonly region: string;
}

/**
 * The Glue service role, the ECS task-execution role and the ECS task role, each
 * with policies scoped to the ARNs it works on (buckets, repositories, secrets,
 * keys, log groups). No statement grants `*` or a whole service.
 */
export class Identity extends pulumi.ComponentResource {
    readonly glueRole: aws.iam.Role;
    readonly taskExecutionRole: aws.iam.Role;
    readonly taskRole: aws.iam.Role;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("identity", "Identity"), name, {}, opts);
        const { naming } = args;
        const ctx: Context = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            region: args.region,
        };

        this.glueRole = this.role(`${name}-glue`, "glue-service-role", "glue.amazonaws.com", ctx, naming, { sourceAccountCondition: false });
        new aws.iam.RolePolicyAttachment(`${name}-glue-service`, {
            role: this.glueRole.name,
            policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AWSGlueServiceRole`,
        }, { parent: this });
        this.inlinePolicy(`${name}-glue`, this.glueRole, naming.name("glue-data-access"), glueStatements(args, ctx));

        this.taskExecutionRole = this.role(`${name}-task-execution`, "ecs-task-execution-role", "ecs-tasks.amazonaws.com", ctx, naming, { sourceAccountCondition: false });
        this.inlinePolicy(`${name}-task-execution`, this.taskExecutionRole, naming.name("ecs-task-execution"), taskExecutionStatements(args, ctx));

        this.taskRole = this.role(`${name}-task`, "ecs-task-role", "ecs-tasks.amazonaws.com", ctx, naming, { sourceAccountCondition: true });
        this.inlinePolicy(`${name}-task`, this.taskRole, naming.name("ecs-task-data-access"), taskStatements(args, ctx));

        this.registerOutputs({
            glueRoleArn: this.glueRole.arn,
            taskExecutionRoleArn: this.taskExecutionRole.arn,
            taskRoleArn: this.taskRole.arn,
        });
    }

    /**
     * A role only the given service may assume. `aws:SourceAccount` narrows it to this
     * account's requests only where the service is documented to send the key (ECS for
     * task roles); a service that does not send it could never assume the role. A role
     * cannot be passed across accounts (iam:PassRole), which already bounds the others.
     */
    private role(logicalName: string, purpose: string, service: string, ctx: Context, naming: Naming, options: { sourceAccountCondition: boolean }): aws.iam.Role {
        return new aws.iam.Role(logicalName, {
            name: naming.name(purpose),
            assumeRolePolicy: serviceTrustPolicy(service, options.sourceAccountCondition ? ctx.account : undefined),
            tags: naming.tags("identity", purpose),
        }, { parent: this });
    }

    private inlinePolicy(logicalName: string, role: aws.iam.Role, policyName: string, statements: PolicyStatement[]): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(logicalName, {
            name: policyName,
            role: role.id,
            policy: policyDocument(statements),
        }, { parent: this });
    }
}

function logGroupArn(ctx: Context, namePattern: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${namePattern}`;
}

function objectsOf(bucketArns: readonly pulumi.Input<string>[]): pulumi.Output<string>[] {
    return bucketArns.map((arn) => pulumi.interpolate`${arn}/*`);
}

function s3ReadWrite(sid: string, bucketArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
    return [
        { Sid: `${sid}Buckets`, Effect: "Allow", Action: [...S3_BUCKET_ACTIONS], Resource: [...bucketArns] },
        { Sid: `${sid}Objects`, Effect: "Allow", Action: [...S3_OBJECT_ACTIONS], Resource: objectsOf(bucketArns) },
    ];
}

function readSecrets(sid: string, secretArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
    if (secretArns.length === 0) return [];
    return [{ Sid: sid, Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns] }];
}

/** Glue: its three buckets, its log groups, and the storage key (S3 and job-bookmark encryption call KMS directly). */
function glueStatements(args: IdentityArgs, ctx: Context): PolicyStatement[] {
    const { dataLake, glueScripts, glueOutputs } = args.bucketArns;
    const statements: PolicyStatement[] = [
        ...s3ReadWrite("GlueDataLake", [dataLake, glueScripts, glueOutputs]),
        {
            Sid: "GlueLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
            Resource: logGroupArn(ctx, `${GLUE_LOG_GROUP_PREFIX}*`),
        },
    ];
    const storageKey = args.kmsKeyArns?.storage;
    if (storageKey !== undefined) {
        statements.push({ Sid: "GlueStorageKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: storageKey });
    }
    return statements;
}

/**
 * Task execution: what AmazonECSTaskExecutionRolePolicy grants, scoped — that
 * managed policy allows ECR pulls and log writes on "*", so it is not attached.
 * GetAuthorizationToken has no resource-level permissions: AWS requires "*".
 */
function taskExecutionStatements(args: IdentityArgs, ctx: Context): PolicyStatement[] {
    const statements: PolicyStatement[] = [
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    ];
    if (args.repositoryArns.length > 0) {
        statements.push({ Sid: "EcrPullPlatformRepositories", Effect: "Allow", Action: [...ECR_PULL_ACTIONS], Resource: [...args.repositoryArns] });
    }
    statements.push(
        {
            Sid: "EcsTaskLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: logGroupArn(ctx, ecsLogGroupName(args.naming, "*")),
        },
        ...readSecrets("InjectedSecrets", args.executionSecretArns),
        ...keyUseVia("InjectedSecretsKey", args.kmsKeyArns?.secrets, ["kms:Decrypt"], "secretsmanager", ctx.region),
    );
    return statements;
}

/** The application: read/write the data lake bucket only, read its own secrets. */
function taskStatements(args: IdentityArgs, ctx: Context): PolicyStatement[] {
    return [
        ...s3ReadWrite("DataLake", [args.bucketArns.dataLake]),
        ...readSecrets("AppSecrets", args.taskSecretArns),
        ...keyUseVia("DataLakeKey", args.kmsKeyArns?.storage, ["kms:Decrypt", "kms:GenerateDataKey"], "s3", ctx.region),
        ...keyUseVia("AppSecretsKey", args.kmsKeyArns?.secrets, ["kms:Decrypt"], "secretsmanager", ctx.region),
    ];
}
