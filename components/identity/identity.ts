import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { taskLogStatements } from "../containers/containers";
import { bucketReadWriteStatements } from "../data-lake/data-lake";
import type { KeyArns } from "../encryption/keys";
import { catalogReadStatements, glueLogStatements } from "../etl/etl";
import { imagePullStatements } from "../registry/registry";
import { secretValueStatements } from "../secrets/secrets";
import { AccountContext, PolicyStatement, keyUseVia, policyDocument, serviceTrustPolicy } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { BucketRef } from "../shared/refs";
import { TierComponent } from "../shared/tier";

export interface IdentityBuckets {
    readonly dataLake: BucketRef;
    readonly glueScripts: BucketRef;
    readonly glueOutputs: BucketRef;
}

export interface IdentityArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** AWS region, for log-group ARNs and `kms:ViaService` conditions. */
    readonly region: string;
    /**
     * The data lake, Glue scripts and Glue outputs buckets; absent in a stack without the lake. The Glue role
     * is built only with them (and `glue`); the task role reads and writes the data lake only when it is given.
     */
    readonly buckets?: IdentityBuckets;
    /** Build the Glue service role, and let the task role read the catalog (the ETL tier runs). Default true when `buckets` is given. */
    readonly glue?: boolean;
    /** ECR repositories the task-execution role may pull from. */
    readonly repositoryArns: readonly pulumi.Input<string>[];
    /** Secrets the task-execution role injects into containers (the app secret). */
    readonly executionSecretArns: readonly pulumi.Input<string>[];
    /** Secrets the running application (task role) may read. */
    readonly taskSecretArns: readonly pulumi.Input<string>[];
    /** Customer-managed keys to allow, when the stack uses them (`storage`, `secrets`). */
    readonly keys?: Partial<KeyArns>;
    /**
     * What the application may do with the stack's data stores, from the tiers that own them
     * (`rds-db:connect` as its database user, Kafka on its topics and groups). Default none.
     */
    readonly dataStoreStatements?: readonly PolicyStatement[];
}

/**
 * The Glue service role, the ECS task-execution role and the ECS task role. Each role's policy is
 * composed of the statements the tiers that own the resources export (buckets, repositories,
 * secrets, log groups), so every grant is scoped to ARNs. No statement grants `*` or a whole service.
 */
export class Identity extends TierComponent {
    /** The Glue service role; undefined without the ETL tier. */
    readonly glueRole?: aws.iam.Role;
    readonly taskExecutionRole: aws.iam.Role;
    readonly taskRole: aws.iam.Role;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("identity", "Identity"), name, opts);
        const { naming } = args;
        const ctx: AccountContext = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            region: args.region,
        };

        const buckets = args.buckets;
        if (buckets !== undefined && (args.glue ?? true)) {
            const glueRole = this.role(`${name}-glue`, "glue-service-role", "glue.amazonaws.com", naming, undefined);
            new aws.iam.RolePolicyAttachment(
                `${name}-glue-service`,
                {
                    role: glueRole.name,
                    policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AWSGlueServiceRole`,
                },
                this.child(),
            );
            this.inlinePolicy(`${name}-glue`, glueRole, naming.name("glue-data-access"), glueStatements(buckets, args.keys, ctx));
            this.glueRole = glueRole;
        }

        this.taskExecutionRole = this.role(`${name}-task-execution`, "ecs-task-execution-role", "ecs-tasks.amazonaws.com", naming, undefined);
        this.inlinePolicy(`${name}-task-execution`, this.taskExecutionRole, naming.name("ecs-task-execution"), taskExecutionStatements(args, ctx));

        this.taskRole = this.role(`${name}-task`, "ecs-task-role", "ecs-tasks.amazonaws.com", naming, ctx.account);
        this.inlinePolicy(`${name}-task`, this.taskRole, naming.name("ecs-task-data-access"), taskStatements(args, ctx));

        this.registerOutputs({
            glueRoleArn: this.glueRole?.arn,
            taskExecutionRoleArn: this.taskExecutionRole.arn,
            taskRoleArn: this.taskRole.arn,
        });
    }

    /**
     * A role only the given service may assume. `sourceAccount` adds `aws:SourceAccount`, given only
     * where the service is documented to send the key (ECS for task roles); a service that does not
     * send it could never assume the role. A role cannot be passed across accounts (iam:PassRole),
     * which already bounds the others.
     */
    private role(
        logicalName: string,
        purpose: string,
        service: string,
        naming: Naming,
        sourceAccount: pulumi.Input<string> | undefined,
    ): aws.iam.Role {
        return new aws.iam.Role(
            logicalName,
            {
                name: naming.name(purpose),
                assumeRolePolicy: serviceTrustPolicy(service, sourceAccount),
                tags: naming.tags("identity", purpose),
            },
            this.child(),
        );
    }

    private inlinePolicy(logicalName: string, role: aws.iam.Role, policyName: string, statements: PolicyStatement[]): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(
            logicalName,
            {
                name: policyName,
                role: role.id,
                policy: policyDocument(statements),
            },
            this.child(),
        );
    }
}

/** Glue: its three buckets, its log groups, and the storage key (S3 and job-bookmark encryption call KMS directly). */
function glueStatements(buckets: IdentityBuckets, keys: Partial<KeyArns> | undefined, ctx: AccountContext): PolicyStatement[] {
    const { dataLake, glueScripts, glueOutputs } = buckets;
    const storageKey = keys?.storage;
    return [
        ...bucketReadWriteStatements("GlueDataLake", [dataLake, glueScripts, glueOutputs]),
        ...glueLogStatements(ctx),
        ...(storageKey === undefined
            ? []
            : [{ Sid: "GlueStorageKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: storageKey }]),
    ];
}

/**
 * Task execution: what AmazonECSTaskExecutionRolePolicy grants, scoped — that managed policy allows
 * ECR pulls and log writes on "*", so it is not attached.
 */
function taskExecutionStatements(args: IdentityArgs, ctx: AccountContext): PolicyStatement[] {
    return [
        ...imagePullStatements(args.repositoryArns),
        ...taskLogStatements(args.naming, ctx),
        ...secretValueStatements("InjectedSecrets", args.executionSecretArns),
        ...keyUseVia("InjectedSecretsKey", args.keys?.secrets, ["kms:Decrypt"], "secretsmanager", ctx.region),
    ];
}

/**
 * The application: read/write the data lake bucket only and read the lake's catalog (the catalog audit
 * task) where the stack has a lake, read its own secrets, use the data stores it is given.
 */
function taskStatements(args: IdentityArgs, ctx: AccountContext): PolicyStatement[] {
    const lake = args.buckets?.dataLake;
    return [
        ...(lake === undefined ? [] : bucketReadWriteStatements("DataLake", [lake])),
        ...(lake === undefined || args.glue === false ? [] : catalogReadStatements(ctx, args.naming.environment)),
        ...secretValueStatements("AppSecrets", args.taskSecretArns),
        ...(lake === undefined ? [] : keyUseVia("DataLakeKey", args.keys?.storage, ["kms:Decrypt", "kms:GenerateDataKey"], "s3", ctx.region)),
        ...keyUseVia("AppSecretsKey", args.keys?.secrets, ["kms:Decrypt"], "secretsmanager", ctx.region),
        ...(args.dataStoreStatements ?? []),
    ];
}
