import * as pulumi from "@pulumi/pulumi";
import { AccountContext, PolicyStatement, policyDocument } from "../shared/iam";

/**
 * The schedule tier's documents: the universal targets it calls, the execution role's trust
 * policy and its permissions. Pure helpers, no resources.
 */

/** The two EC2 API operations the schedules call, as EventBridge Scheduler universal targets. */
export const HOST_ACTIONS = {
    stop: { api: "stopInstances", iamAction: "ec2:StopInstances" },
    start: { api: "startInstances", iamAction: "ec2:StartInstances" },
} as const;
export type HostAction = keyof typeof HOST_ACTIONS;

/**
 * Universal target ARN `arn:<partition>:scheduler:::aws-sdk:<service>:<apiAction>`
 * (docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html).
 */
export function universalTargetArn(partition: pulumi.Input<string>, action: HostAction): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:scheduler:::aws-sdk:ec2:${HOST_ACTIONS[action].api}`;
}

/** The request the target sends: the EC2 API's own parameter shape, `{"InstanceIds": [...]}`. */
export function instancesInput(instanceIds: readonly pulumi.Input<string>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ InstanceIds: [...instanceIds] });
}

/** ARN of an instance: `arn:<partition>:ec2:<region>:<account>:instance/<id>` (the Service Authorization Reference's `instance` resource). */
export function instanceArn(ctx: AccountContext, instanceId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:instance/${instanceId}`;
}

/** The schedule group the schedules live in (no group is created: Scheduler's `default` one). */
export const SCHEDULE_GROUP = "default";

/**
 * Trust policy of the execution role: only EventBridge Scheduler, only for schedules of this
 * account's `default` group. Scheduler documents both `aws:SourceAccount` and `aws:SourceArn`
 * (a schedule group ARN, never a schedule's) for confused-deputy prevention
 * (docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 */
export function schedulerTrustPolicy(ctx: AccountContext): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.account },
                ArnEquals: {
                    "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:scheduler:${ctx.region}:${ctx.account}:schedule-group/${SCHEDULE_GROUP}`,
                },
            },
        },
    ]);
}

/**
 * What the execution role may do: stop and start exactly these instances. With a customer-managed
 * key on their EBS volumes, starting them also needs `kms:CreateGrant` on that key (EC2 creates
 * the grant that attaches the volume), only for grants AWS resources use.
 */
export function hostScheduleStatements(instanceArns: readonly pulumi.Input<string>[], volumeKeyArn?: pulumi.Input<string>): PolicyStatement[] {
    return [
        {
            Sid: "StopStartScheduledHosts",
            Effect: "Allow",
            Action: [HOST_ACTIONS.stop.iamAction, HOST_ACTIONS.start.iamAction],
            Resource: [...instanceArns],
        },
        ...(volumeKeyArn === undefined
            ? []
            : [
                  {
                      Sid: "AttachEncryptedVolumesOnStart",
                      Effect: "Allow",
                      Action: "kms:CreateGrant",
                      Resource: volumeKeyArn,
                      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                  },
              ]),
    ];
}
