import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HostScheduleConfig, WorkingHours, runningHoursPerWeek, scheduleCron } from "../shared/host/schedule";
import { AccountContext, policyDocument } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { HOST_ACTIONS, HostAction, hostScheduleStatements, instanceArn, instancesInput, schedulerTrustPolicy, universalTargetArn } from "./documents";

export interface HostScheduleArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** AWS region of the instances (their ARNs). */
    readonly region: string;
    /**
     * EC2 instance ids (`i-...`) of the hosts to stop and start; `undefined` entries (a host the
     * stack does not build) are skipped. No instance: nothing is built.
     */
    readonly instanceIds: readonly (pulumi.Input<string> | undefined)[];
    /** The parsed `hosts.schedule`: `always` builds nothing. */
    readonly schedule: HostScheduleConfig;
    /**
     * Customer-managed KMS key of the hosts' EBS volumes: starting them then needs `kms:CreateGrant`
     * on it. Default: none (the volumes use the AWS-managed `aws/ebs` key, which needs no grant).
     */
    readonly volumeKeyArn?: pulumi.Input<string>;
    /**
     * Physical-name purpose: the role `${env}-<purpose>-schedule`, the schedules
     * `${env}-<purpose>-schedule-stop` and `-start`. Default `hosts`. The deployer policy passes
     * roles named `<env>-*schedul*` to Scheduler and manages schedules named `<env>-*`.
     */
    readonly purpose?: string;
}

/**
 * Stops and starts the hosts outside working hours with EventBridge Scheduler: two schedules in
 * the `default` group (stop at `stop`, start at `start`, on `days`, in `timezone`) calling the
 * universal targets `ec2:stopInstances` / `ec2:startInstances` with `{"InstanceIds": [...]}`, and
 * one execution role trusted by Scheduler alone and allowed those two actions on exactly these
 * instances. `always`, or no instance, builds nothing.
 */
export class HostSchedule extends TierComponent {
    /** The execution role; undefined when nothing is scheduled. */
    readonly role?: aws.iam.Role;
    /** The stop and start schedules (empty when nothing is scheduled). */
    readonly schedules: readonly aws.scheduler.Schedule[];
    /** Hours a week the hosts run (168 when nothing is scheduled). */
    readonly hoursPerWeek: number;

    constructor(name: string, args: HostScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("schedule", "HostSchedule"), name, opts);
        const instanceIds = args.instanceIds.filter((id): id is pulumi.Input<string> => id !== undefined);
        const hours = args.schedule === "always" || instanceIds.length === 0 ? undefined : args.schedule;
        if (!hours) {
            this.schedules = [];
            this.hoursPerWeek = 7 * 24;
            this.registerOutputs({});
            return;
        }
        const { role, schedules } = this.build(name, args, hours, instanceIds);
        this.role = role;
        this.schedules = schedules;
        this.hoursPerWeek = runningHoursPerWeek(hours);
        this.registerOutputs({ roleArn: role.arn, scheduleArns: schedules.map((schedule) => schedule.arn) });
    }

    private build(
        name: string,
        args: HostScheduleArgs,
        hours: WorkingHours,
        instanceIds: readonly pulumi.Input<string>[],
    ): { role: aws.iam.Role; schedules: aws.scheduler.Schedule[] } {
        const { naming } = args;
        const purpose = `${args.purpose ?? "hosts"}-schedule`;
        const invokeOpts = { parent: this };
        const ctx: AccountContext = {
            partition: aws.getPartitionOutput({}, invokeOpts).partition,
            account: aws.getCallerIdentityOutput({}, invokeOpts).accountId,
            region: args.region,
        };

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: naming.name(purpose),
                description: `EventBridge Scheduler stops and starts the ${naming.environment} hosts outside working hours`,
                assumeRolePolicy: schedulerTrustPolicy(ctx),
                tags: naming.tags("schedule", purpose),
            },
            this.child(),
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                name: naming.name(`${purpose}-hosts`),
                policy: policyDocument(
                    hostScheduleStatements(
                        instanceIds.map((id) => instanceArn(ctx, id)),
                        args.volumeKeyArn,
                    ),
                ),
            },
            this.child(),
        );

        const input = instancesInput(instanceIds);
        const schedule = (action: HostAction) =>
            new aws.scheduler.Schedule(
                `${name}-${action}`,
                {
                    name: naming.name(`${purpose}-${action}`),
                    description: `${action === "stop" ? "Stop" : "Start"} the ${naming.environment} hosts at ${hours[action]} ${hours.timezone} on ${hours.days.join(", ")}`,
                    scheduleExpression: scheduleCron(hours, action),
                    scheduleExpressionTimezone: hours.timezone,
                    flexibleTimeWindow: { mode: "OFF" },
                    state: "ENABLED",
                    target: {
                        arn: universalTargetArn(ctx.partition, action),
                        roleArn: role.arn,
                        input,
                        // A stop or start that cannot be delivered within the hour is dropped rather than
                        // delivered hours later, out of step with the other (Scheduler's default keeps trying for 24 h).
                        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
                    },
                },
                // The first invocation must find the role allowed to call EC2.
                this.child({ dependsOn: [policy] }),
            );
        return { role, schedules: (Object.keys(HOST_ACTIONS) as HostAction[]).map(schedule) };
    }
}
