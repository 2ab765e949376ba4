import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, keyUseVia, serviceTrustPolicy } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { DatabaseConfig } from "./config";
import { AUDIT_PLUGIN, ENGINE_PORTS, LOG_EXPORTS, engineParameters, rdsLogGroupName } from "./engine";
import { DatabaseEngine, engineVersionSpec } from "./versions";

export interface DatabaseArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:database` section. */
    readonly config: DatabaseConfig;
    /** The stack's region (the enhanced-monitoring trust and ARNs). */
    readonly region: string;
    /**
     * Prod: the instance gets protect + retainOnDelete, deletion protection and a final snapshot, and keeps its automated
     * backups after deletion. Otherwise it can be destroyed and re-created the same day (no final snapshot, no protection).
     */
    readonly protect: boolean;
    /** The database subnets (one per AZ, at least 2 AZs): the DB subnet group. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The firewall's `database` security group (the engine port only from the app and Kubernetes groups, by group reference). */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * Customer-managed keys: `database` encrypts storage, snapshots and Performance Insights; `secrets` the RDS-managed
     * master secret; `logs` the log groups. AWS-managed keys without them (which the pack refuses for Performance Insights).
     */
    readonly keys?: Partial<KeyArns>;
    /** Retention of the exported-log groups (a CloudWatch-allowed value). */
    readonly logRetentionDays: number;
}

/** The instance identifier `${env}-<engine>`: stable, so the instance is never replaced by a rename. */
export function databaseIdentifier(naming: Naming, engine: DatabaseEngine): string {
    return naming.name(engine);
}

/** A parameter or option group name of a family or major version (`postgres17`, `mysql8-4`): letters, digits and hyphens only. */
function groupSuffix(text: string): string {
    return text.replace(/[^a-z0-9]+/gi, "-");
}

/** The RDS-managed master secret's ARN; RDS always reports one when it manages the master password. */
function masterSecretArnOf(secrets: readonly aws.types.output.rds.InstanceMasterUserSecret[] | undefined): string {
    const arn = secrets?.[0]?.secretArn;
    if (!arn) throw new Error("RDS reported no master user secret although manageMasterUserPassword is set");
    return arn;
}

/**
 * The RDS instance (PostgreSQL or MySQL) in the database subnets: gp3 storage with autoscaling encrypted with the
 * database key, a parameter group of the version's family that forces TLS and logs slow statements and connections,
 * the master password managed by RDS in Secrets Manager, IAM database authentication, Performance Insights, Enhanced
 * Monitoring with its own role, and its logs in pre-created CloudWatch groups. Backups, Multi-AZ and class per config.
 */
export class Database extends TierComponent {
    readonly instance: aws.rds.Instance;
    readonly parameterGroup: aws.rds.ParameterGroup;
    readonly logGroups: Readonly<Record<string, aws.cloudwatch.LogGroup>>;
    readonly monitoringRole: aws.iam.Role;
    /** DNS address of the instance (no port). */
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: pulumi.Output<string>;
    readonly engine: pulumi.Output<string>;
    readonly masterUsername: pulumi.Output<string>;
    /** The RDS-managed secret holding the master password (the only copy of it). */
    readonly masterSecretArn: pulumi.Output<string>;
    readonly instanceArn: pulumi.Output<string>;
    /** The `db-…` resource id that `rds-db:connect` ARNs name. */
    readonly resourceId: pulumi.Output<string>;
    /** The database user the apps connect as with IAM tokens. */
    readonly iamUsername: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("database", "Database"), name, opts);
        const { naming, config, keys } = args;
        const version = engineVersionSpec(config.engine, config.engineVersion);
        const identifier = databaseIdentifier(naming, config.engine);

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                name: naming.name("database"),
                description: `${identifier} database subnets`,
                subnetIds: args.subnetIds,
                tags: naming.tags("database", "database"),
            },
            this.child(),
        );
        // The family is part of the name: a major upgrade creates the new group before the old one goes.
        const parameterSuffix = groupSuffix(version.family);
        this.parameterGroup = new aws.rds.ParameterGroup(
            `${name}-parameters`,
            {
                name: naming.name(parameterSuffix),
                family: version.family,
                description: `${identifier}: TLS required, slow statements and connections logged`,
                parameters: engineParameters(config.engine),
                tags: naming.tags("database", parameterSuffix),
            },
            this.child(),
        );
        const optionGroup = config.engine === "mysql" ? this.auditOptionGroup(name, naming, version.major) : undefined;
        this.logGroups = this.exportLogGroups(name, args, identifier);
        const monitoring = this.enhancedMonitoringRole(name, args);
        this.monitoringRole = monitoring.role;

        const finalSnapshot = args.protect ? this.finalSnapshotIdentifier(name, identifier) : undefined;
        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: config.engine,
                // The major version only: with autoMinorVersionUpgrade RDS moves the minor (17.9 → 17.10) in the
                // maintenance window, and a pinned minor would then ask RDS for a downgrade on the next update.
                // The instance is created on that major's default minor; engineVersionActual reports the one running.
                engineVersion: version.major,
                allowMajorVersionUpgrade: true,
                instanceClass: config.instanceClass,
                dbName: config.databaseName,
                username: config.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: keys?.secrets,
                port: ENGINE_PORTS[config.engine].from,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                publiclyAccessible: false,
                multiAz: config.multiAz,
                parameterGroupName: this.parameterGroup.name,
                optionGroupName: optionGroup?.name,
                storageType: "gp3",
                allocatedStorage: config.allocatedStorageGb,
                maxAllocatedStorage: config.maxAllocatedStorageGb,
                storageEncrypted: true,
                kmsKeyId: keys?.database,
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: config.backupRetentionDays,
                copyTagsToSnapshot: true,
                autoMinorVersionUpgrade: true,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: keys?.database,
                performanceInsightsRetentionPeriod: config.performanceInsightsRetentionDays,
                monitoringInterval: config.monitoringIntervalSeconds,
                monitoringRoleArn: this.monitoringRole.arn,
                enabledCloudwatchLogsExports: [...LOG_EXPORTS[config.engine]],
                deletionProtection: args.protect,
                skipFinalSnapshot: !args.protect,
                finalSnapshotIdentifier: finalSnapshot,
                deleteAutomatedBackups: !args.protect,
                // Unprotected stacks apply changes now; prod waits for its maintenance window.
                applyImmediately: !args.protect,
                tags: naming.tags("database", config.engine),
            },
            this.child({
                protect: args.protect,
                retainOnDelete: args.protect,
                // RDS creates a missing export group itself, without retention or key: ours must exist first.
                // CreateDBInstance checks that the monitoring role already has its policy.
                dependsOn: [...Object.values(this.logGroups), monitoring.policy],
            }),
        );

        this.endpoint = this.instance.address;
        this.port = this.instance.port;
        this.databaseName = this.instance.dbName;
        this.engine = this.instance.engine;
        this.masterUsername = this.instance.username;
        this.masterSecretArn = this.instance.masterUserSecrets.apply(masterSecretArnOf);
        this.instanceArn = this.instance.arn;
        this.resourceId = this.instance.resourceId;
        this.iamUsername = pulumi.output(config.iamUsername);

        this.registerOutputs({
            endpoint: this.endpoint,
            port: this.port,
            databaseName: this.databaseName,
            engine: this.engine,
            masterUsername: this.masterUsername,
            masterSecretArn: this.masterSecretArn,
            instanceArn: this.instanceArn,
            resourceId: this.resourceId,
            iamUsername: this.iamUsername,
        });
    }

    /** The MySQL audit log (connections, DDL, DCL) comes from an option; the group is named by its major version. */
    private auditOptionGroup(name: string, naming: Naming, major: string): aws.rds.OptionGroup {
        const suffix = `mysql${groupSuffix(major)}-audit`;
        return new aws.rds.OptionGroup(
            `${name}-options`,
            {
                name: naming.name(suffix),
                engineName: "mysql",
                majorEngineVersion: major,
                optionGroupDescription: `${naming.name("mysql")}: audit log of connections, DDL and DCL`,
                options: [{ optionName: AUDIT_PLUGIN.optionName, optionSettings: AUDIT_PLUGIN.settings.map((setting) => ({ ...setting })) }],
                tags: naming.tags("database", suffix),
            },
            this.child(),
        );
    }

    private exportLogGroups(name: string, args: DatabaseArgs, identifier: string): Record<string, aws.cloudwatch.LogGroup> {
        const groups: Record<string, aws.cloudwatch.LogGroup> = {};
        for (const log of LOG_EXPORTS[args.config.engine]) {
            groups[log] = new aws.cloudwatch.LogGroup(
                `${name}-${log}-logs`,
                {
                    name: rdsLogGroupName(identifier, log),
                    retentionInDays: args.logRetentionDays,
                    kmsKeyId: args.keys?.logs,
                    tags: args.naming.tags("database", `${args.config.engine}-${log}-logs`),
                },
                this.child(),
            );
        }
        return groups;
    }

    /** Enhanced Monitoring's own role: trusted by monitoring.rds only for this account, with the AWS policy it documents. */
    private enhancedMonitoringRole(name: string, args: DatabaseArgs): { role: aws.iam.Role; policy: aws.iam.RolePolicyAttachment } {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(
            `${name}-monitoring-role`,
            {
                name: args.naming.name("rds-monitoring"),
                description: `Enhanced Monitoring of ${databaseIdentifier(args.naming, args.config.engine)}`,
                // "Protecting against the confused deputy problem" (USER_Monitoring.OS.Enabling) documents aws:SourceAccount.
                assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", account),
                tags: args.naming.tags("database", "rds-monitoring"),
            },
            this.child(),
        );
        const policy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            this.child(),
        );
        return { role, policy };
    }

    /** `<identifier>-final-<hex>`: new with every instance, so a re-created prod never collides with the last snapshot. */
    private finalSnapshotIdentifier(name: string, identifier: string): pulumi.Output<string> {
        const suffix = new random.RandomId(
            `${name}-final-snapshot-suffix`,
            { byteLength: 4, keepers: { identifier } },
            this.child({ protect: true }),
        );
        return pulumi.interpolate`${identifier}-final-${suffix.hex}`;
    }
}

/** `arn:<partition>:rds-db:<region>:<account>:dbuser:<resourceId>/<user>`: the one database user IAM tokens may log in as. */
export function databaseUserArn(ctx: AccountContext, resourceId: pulumi.Input<string>, dbUser: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:rds-db:${ctx.region}:${ctx.account}:dbuser:${resourceId}/${dbUser}`;
}

/** Connect to the database as `dbUser` with an IAM authentication token (nothing else). */
export function databaseConnectStatements(
    sid: string,
    ctx: AccountContext,
    resourceId: pulumi.Input<string>,
    dbUser: pulumi.Input<string>,
): PolicyStatement[] {
    return [{ Sid: sid, Effect: "Allow", Action: "rds-db:connect", Resource: databaseUserArn(ctx, resourceId, dbUser) }];
}

/**
 * Read the RDS-managed master secret (a DBA tool or migration task; the apps use IAM authentication), and decrypt it
 * with the secrets key only through Secrets Manager.
 */
export function masterSecretReadStatements(
    sid: string,
    masterSecretArn: pulumi.Input<string>,
    region: string,
    secretsKeyArn?: pulumi.Input<string>,
): PolicyStatement[] {
    return [
        { Sid: sid, Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: masterSecretArn },
        ...keyUseVia(`${sid}Decrypt`, secretsKeyArn, ["kms:Decrypt"], "secretsmanager", region),
    ];
}
