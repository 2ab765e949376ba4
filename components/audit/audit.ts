import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, policyDocument, serviceTrustPolicy } from "../shared/iam";
import { BucketRef } from "../shared/refs";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import {
    AlarmSpec,
    AlarmTargets,
    DatabaseTarget,
    EcsServiceTarget,
    LoadBalancerTarget,
    StreamingTarget,
    alarmSpecs,
    alarmTopicStatements,
    statisticInputs,
} from "./alarms";
import { AuditConfig, BudgetScope } from "./config";

/** Key prefix of the trail's log files in the access-log bucket: `cloudtrail/AWSLogs/<account>/...`. */
export const CLOUDTRAIL_PREFIX = "cloudtrail";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

/** The trail's physical name, `${env}-trail` (the access-log bucket's policy names it before the trail exists). */
export function trailName(naming: Naming): string {
    return naming.name("trail");
}

/** ARN of a trail of this account by name; for a multi-region trail, the ARN in its home region. */
export function trailArnOf(name: string, ctx: AccountContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.account}:trail/${name}`;
}

/**
 * What the log bucket's policy must allow for CloudTrail to deliver the trail's log files: read the
 * bucket ACL, and write under `<prefix>/AWSLogs/<account>/` with bucket-owner-full-control, both only
 * for this trail (`aws:SourceArn`). AWS: "Amazon S3 bucket policy for CloudTrail",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html.
 * CloudTrail checks the policy when the trail is created: the bucket policy must exist first.
 */
export function cloudTrailDeliveryStatements(bucket: BucketRef, prefix: string, name: string, ctx: AccountContext): PolicyStatement[] {
    const sourceArn = trailArnOf(name, ctx);
    return [
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceArn": sourceArn } },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/${prefix}/AWSLogs/${ctx.account}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": sourceArn } },
        },
    ];
}

/** The trail's CloudWatch Logs group. */
export function trailLogGroupName(naming: Naming): string {
    return `/aws/cloudtrail/${trailName(naming)}`;
}

/**
 * What the trail's CloudWatch Logs role may do: create its streams (`<account>_CloudTrail_<source region>`)
 * in the trail's log group and write to them. AWS: "Role policy document for CloudTrail to use CloudWatch
 * Logs for monitoring", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 * (that policy takes no aws:SourceArn / aws:SourceAccount conditions).
 */
export function cloudTrailLogsStatements(logGroupName: string, ctx: AccountContext): PolicyStatement[] {
    const streams = pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${logGroupName}:log-stream:${ctx.account}_CloudTrail_*`;
    return [
        { Sid: "CloudTrailCreateLogStream", Effect: "Allow", Action: "logs:CreateLogStream", Resource: streams },
        { Sid: "CloudTrailPutLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: streams },
    ];
}

/** The budget's email alerts: 80% and 100% of actual spend, 100% of forecast spend. */
export const BUDGET_ALERTS: readonly { readonly percent: number; readonly type: "ACTUAL" | "FORECASTED" }[] = [
    { percent: 80, type: "ACTUAL" },
    { percent: 100, type: "ACTUAL" },
    { percent: 100, type: "FORECASTED" },
];

/** The budget's cost filter for a scope (AWS Budgets `TagKeyValue` is `user:<key>$<value>` for user tags). */
export function budgetCostFilters(scope: BudgetScope, environment: string): { name: string; values: string[] }[] | undefined {
    return scope === "environmentTag" ? [{ name: "TagKeyValue", values: [`user:Environment$${environment}`] }] : undefined;
}

export interface AuditArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:audit` section. */
    readonly config: AuditConfig;
    /** AWS region: the home region of the trail and of the alarms. */
    readonly region: string;
    /**
     * The access-log bucket (SSE-S3) the trail writes to, under CLOUDTRAIL_PREFIX. Required with
     * `cloudTrail`; its policy must carry cloudTrailDeliveryStatements, and the policy resource must be in
     * this component's `dependsOn` (CloudTrail refuses to create a trail it cannot deliver to).
     */
    readonly logBucket?: BucketRef;
    /** Customer-managed keys: `audit` encrypts the trail's log files and the alarm topic (required with either); `logs` the trail's log group. */
    readonly keys?: Partial<KeyArns>;
    /** The AWS budget's monthly limit in USD (`data-platform:budget.monthlyUsd`). Required with `budget`. */
    readonly budgetMonthlyUsd?: number;
    /** The RDS instance to alarm on (CPU, free storage, connections). Default: none. */
    readonly database?: DatabaseTarget;
    /** The ALB and target group to alarm on (5xx, target response time). Default: none. */
    readonly loadBalancer?: LoadBalancerTarget;
    /** ECS services to alarm on (CPU, memory). Default: none. */
    readonly ecsServices?: readonly EcsServiceTarget[];
    /** The MSK cluster to alarm on (data-log disk per broker). Default: none. */
    readonly streaming?: StreamingTarget;
    /** Protect the trail and its log group (and retain them on delete). */
    readonly protect: boolean;
}

/**
 * CloudTrail (multi-region, global service events, log-file validation, KMS, into the access-log
 * bucket, optionally to CloudWatch Logs), an AWS Budgets monthly cost budget with email alerts, and
 * CloudWatch alarms on what the stack has, to an SNS topic encrypted with the audit key.
 */
export class Audit extends TierComponent {
    readonly trail?: aws.cloudtrail.Trail;
    readonly trailArn?: pulumi.Output<string>;
    readonly trailLogGroup?: aws.cloudwatch.LogGroup;
    readonly budget?: aws.budgets.Budget;
    readonly budgetName?: pulumi.Output<string>;
    readonly alarmTopic?: aws.sns.Topic;
    readonly alarmTopicArn?: pulumi.Output<string>;
    readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("audit", "Audit"), name, opts);
        const { config } = args;
        const ctx: AccountContext = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            region: args.region,
        };

        if (config.cloudTrail) {
            const built = this.buildTrail(name, args, ctx);
            this.trail = built.trail;
            this.trailLogGroup = built.logGroup;
            this.trailArn = built.trail.arn;
        }
        if (config.budget) {
            this.budget = this.buildBudget(name, args);
            this.budgetName = this.budget.name;
        }
        const alarms: aws.cloudwatch.MetricAlarm[] = [];
        if (config.alarms) {
            this.alarmTopic = this.buildTopic(name, args, ctx);
            this.alarmTopicArn = this.alarmTopic.arn;
            for (const spec of alarmSpecs(targetsOf(args), (purpose) => args.naming.name(purpose))) {
                alarms.push(this.buildAlarm(name, spec, args, this.alarmTopic.arn));
            }
        }
        this.alarms = alarms;

        this.registerOutputs({ trailArn: this.trailArn, alarmTopicArn: this.alarmTopicArn, budgetName: this.budgetName });
    }

    private buildTrail(name: string, args: AuditArgs, ctx: AccountContext): { trail: aws.cloudtrail.Trail; logGroup?: aws.cloudwatch.LogGroup } {
        const { naming, config, protect } = args;
        if (!args.logBucket) throw new Error("audit: cloudTrail needs the access-log bucket (logBucket)");
        const keyArn = requireAuditKey(args, "cloudTrail");
        const logs = config.cloudTrailToCloudWatch ? this.buildTrailLogs(name, args, ctx) : undefined;
        const trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: trailName(naming),
                s3BucketName: args.logBucket.name,
                s3KeyPrefix: CLOUDTRAIL_PREFIX,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogging: true,
                enableLogFileValidation: true,
                kmsKeyId: keyArn,
                // All management events, read and write (the AWS default, written out for CloudTrail.1).
                eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
                cloudWatchLogsGroupArn: logs ? pulumi.interpolate`${logs.logGroup.arn}:*` : undefined,
                cloudWatchLogsRoleArn: logs?.role.arn,
                tags: naming.tags("audit", "trail"),
            },
            // CloudTrail checks at creation that the role can write to the group.
            this.child({ protect, retainOnDelete: protect, dependsOn: logs ? [logs.policy] : [] }),
        );
        return { trail, logGroup: logs?.logGroup };
    }

    private buildTrailLogs(name: string, args: AuditArgs, ctx: AccountContext) {
        const { naming, config, protect } = args;
        const logGroupName = trailLogGroupName(naming);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-trail-logs`,
            {
                name: logGroupName,
                retentionInDays: config.logRetentionDays,
                kmsKeyId: args.keys?.logs,
                tags: naming.tags("audit", "trail-logs"),
            },
            this.child({ protect, retainOnDelete: protect }),
        );
        const role = new aws.iam.Role(
            `${name}-trail-logs-role`,
            {
                name: naming.name("cloudtrail-logs"),
                description: "CloudTrail writes the trail's events to its CloudWatch Logs group",
                assumeRolePolicy: serviceTrustPolicy(CLOUDTRAIL),
                tags: naming.tags("audit", "cloudtrail-logs-role"),
            },
            this.child(),
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-trail-logs-policy`,
            {
                role: role.name,
                name: naming.name("cloudtrail-logs"),
                policy: policyDocument(cloudTrailLogsStatements(logGroupName, ctx)),
            },
            this.child(),
        );
        return { logGroup, role, policy };
    }

    private buildBudget(name: string, args: AuditArgs): aws.budgets.Budget {
        const { naming, config } = args;
        const amount = args.budgetMonthlyUsd;
        if (amount === undefined || !(amount > 0)) throw new Error("audit: budget needs budgetMonthlyUsd (data-platform:budget.monthlyUsd)");
        const email = requireEmail(config, "budget");
        return new aws.budgets.Budget(
            `${name}-budget`,
            {
                name: naming.name("monthly-budget"),
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: String(amount),
                limitUnit: "USD",
                costFilters: budgetCostFilters(config.budgetScope, naming.environment),
                notifications: BUDGET_ALERTS.map((alert) => ({
                    comparisonOperator: "GREATER_THAN",
                    threshold: alert.percent,
                    thresholdType: "PERCENTAGE",
                    notificationType: alert.type,
                    subscriberEmailAddresses: [email],
                })),
                tags: naming.tags("audit", "monthly-budget"),
            },
            this.child(),
        );
    }

    private buildTopic(name: string, args: AuditArgs, ctx: AccountContext): aws.sns.Topic {
        const { naming, config } = args;
        const keyArn = requireAuditKey(args, "alarms");
        const email = requireEmail(config, "alarms");
        const topic = new aws.sns.Topic(
            `${name}-alarm-topic`,
            {
                name: naming.name("alarms"),
                displayName: `${naming.environment} alarms`,
                kmsMasterKeyId: keyArn,
                tags: naming.tags("audit", "alarms"),
            },
            this.child(),
        );
        new aws.sns.TopicPolicy(
            `${name}-alarm-topic-policy`,
            { arn: topic.arn, policy: policyDocument(alarmTopicStatements(topic.arn, ctx)) },
            this.child(),
        );
        new aws.sns.TopicSubscription(`${name}-alarm-email`, { topic: topic.arn, protocol: "email", endpoint: email }, this.child());
        return topic;
    }

    private buildAlarm(name: string, spec: AlarmSpec, args: AuditArgs, topicArn: pulumi.Output<string>): aws.cloudwatch.MetricAlarm {
        const { rule } = spec;
        return new aws.cloudwatch.MetricAlarm(
            `${name}-${spec.key}`,
            {
                name: spec.name,
                alarmDescription: rule.summary,
                namespace: rule.namespace,
                metricName: rule.metricName,
                dimensions: { ...spec.dimensions },
                ...statisticInputs(rule.statistic),
                comparisonOperator: rule.comparisonOperator,
                threshold: spec.threshold,
                period: rule.period,
                evaluationPeriods: rule.evaluationPeriods,
                datapointsToAlarm: rule.evaluationPeriods,
                treatMissingData: rule.treatMissingData,
                actionsEnabled: true,
                alarmActions: [topicArn],
                okActions: [topicArn],
                tags: args.naming.tags("audit", spec.key),
            },
            this.child(),
        );
    }
}

function targetsOf(args: AuditArgs): AlarmTargets {
    return { database: args.database, loadBalancer: args.loadBalancer, ecsServices: args.ecsServices, streaming: args.streaming };
}

function requireAuditKey(args: AuditArgs, what: string): pulumi.Input<string> {
    const key = args.keys?.audit;
    if (key === undefined) throw new Error(`audit: ${what} needs the audit KMS key (keys.audit; encryption.kms: true)`);
    return key;
}

function requireEmail(config: AuditConfig, what: string): string {
    if (config.alertEmail === undefined) throw new Error(`audit: ${what} needs audit.alertEmail`);
    return config.alertEmail;
}
