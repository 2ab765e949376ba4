import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { HostSchedule, HostScheduleArgs } from "../../components/schedule/schedule";
import { HostScheduleConfig, hostScheduleSchema, runningHoursPerWeek } from "../../components/shared/host/schedule";
import { Naming } from "../../components/shared/naming";
import { MOCK_ACCOUNT_ID } from "../../tools/mock-cloud";
import { ProgramRun, ROOT_DIR, runProgram } from "../../tools/run-program";
import { estimateCost } from "../../tools/cost";
import { toDeploymentResources } from "../../tools/deployment";
import { loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { parseUsage } from "../../tools/cost/usage";
import { fixtureConfig, inputsOf, jsonInput, ofType } from "../support/helpers";
import { decideService, expectDecision, roleNamed } from "../support/iam-simulation";
import { TYPE } from "../../policy-pack/policies/types";

const SCHEDULE = TYPE.schedulerSchedule;
const REGION = "us-east-2";
const KUBERNETES = "i-0a1b2c3d4e5f60718";
const MONITORING = "i-0f1e2d3c4b5a69788";
const OTHER = "i-0123456789abcdef0";
const arnOf = (id: string, region = REGION, account = MOCK_ACCOUNT_ID) => `arn:aws:ec2:${region}:${account}:instance/${id}`;
const DEFAULT_GROUP = `arn:aws:scheduler:${REGION}:${MOCK_ACCOUNT_ID}:schedule-group/default`;

/** Builds the schedule tier alone (no stack file) for the dev fixture's environment and region. */
async function runSchedule(schedule: HostScheduleConfig, extra: (naming: Naming) => Partial<HostScheduleArgs> = () => ({})): Promise<ProgramRun> {
    const naming = new Naming("dev");
    return runProgram({
        stack: "dev",
        config: { "aws:region": REGION },
        program: () => {
            new HostSchedule("dev-schedule", { naming, region: REGION, schedule, instanceIds: [KUBERNETES, MONITORING], ...extra(naming) });
        },
    });
}

const schedules = (run: ProgramRun) => ofType(run, SCHEDULE).map(inputsOf);
const byAction = (run: ProgramRun, action: "stop" | "start") => {
    const found = schedules(run).filter((schedule) => String(schedule.target.arn).endsWith(`:ec2:${action}Instances`));
    assert.strictEqual(found.length, 1, `one ${action} schedule`);
    return found[0];
};

describe("schedule tier (EventBridge Scheduler stops and starts the hosts)", () => {
    describe("with the dev fixture's hosts.schedule (the default: weekdays 09:00–17:00 UTC)", () => {
        const config = fixtureConfig("dev").hosts.schedule;
        let run: ProgramRun;
        before(async () => {
            run = await runSchedule(config);
        });

        it("stops at 17:00 and starts at 09:00 on weekdays, UTC, with no flexible window", () => {
            assert.deepStrictEqual(config, { timezone: "UTC", days: ["MON", "TUE", "WED", "THU", "FRI"], start: "09:00", stop: "17:00" });
            for (const [action, expression] of [
                ["stop", "cron(0 17 ? * MON,TUE,WED,THU,FRI *)"],
                ["start", "cron(0 9 ? * MON,TUE,WED,THU,FRI *)"],
            ] as const) {
                const schedule = byAction(run, action);
                assert.strictEqual(schedule.scheduleExpression, expression, action);
                assert.strictEqual(schedule.scheduleExpressionTimezone, "UTC");
                assert.deepStrictEqual(schedule.flexibleTimeWindow, { mode: "OFF" });
                assert.strictEqual(schedule.state, "ENABLED");
            }
        });

        it("calls the universal targets ec2:stopInstances / ec2:startInstances with exactly the two instances, as the execution role", () => {
            const role = roleNamed(run, "dev-hosts-schedule");
            assert.deepStrictEqual(
                schedules(run)
                    .map((s) => s.target.arn)
                    .sort(),
                ["arn:aws:scheduler:::aws-sdk:ec2:startInstances", "arn:aws:scheduler:::aws-sdk:ec2:stopInstances"],
            );
            for (const schedule of schedules(run)) {
                assert.deepStrictEqual(JSON.parse(schedule.target.input), { InstanceIds: [KUBERNETES, MONITORING] });
                assert.strictEqual(schedule.target.roleArn, role.arn);
            }
        });

        it("names everything so the deployer policy covers it (role <env>-*schedul*, schedules <env>-* in the default group)", () => {
            const deployer = fs.readFileSync(path.join(ROOT_DIR, "docs", "iam", "deployer-policy.json"), "utf8");
            assert.ok(deployer.includes("role/<ENV>-*schedul*") && deployer.includes("schedule/*/<ENV>-*"), "deployer policy patterns changed");
            assert.match(roleNamed(run, "dev-hosts-schedule").name, /^dev-.*schedul/);
            assert.deepStrictEqual(
                schedules(run)
                    .map((s) => s.name)
                    .sort(),
                ["dev-hosts-schedule-start", "dev-hosts-schedule-stop"],
            );
            for (const schedule of schedules(run)) assert.strictEqual(schedule.groupName, undefined, "the default group");
        });

        it("tags the role through naming.tags (Tier schedule)", () => {
            assert.deepStrictEqual(
                inputsOf(roleNamed(run, "dev-hosts-schedule").resource).tags,
                new Naming("dev").tags("schedule", "hosts-schedule"),
            );
        });

        it("passes the policy pack at prod's levels with no finding at all", () => {
            const findings = runPolicies(toDeploymentResources(run), loadPackConfig("prod"), "dev");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });

        it("creates the schedules after the role's permissions (the first invocation finds them)", () => {
            const policy = ofType(run, TYPE.iamRolePolicy);
            assert.strictEqual(policy.length, 1);
            for (const schedule of ofType(run, SCHEDULE)) assert.ok(schedule.dependencies.includes(policy[0].urn), schedule.name);
        });

        describe("the execution role (IAM policy simulator)", () => {
            it("may stop and start the two instances", async () => {
                const role = roleNamed(run, "dev-hosts-schedule");
                for (const action of ["ec2:StopInstances", "ec2:StartInstances"])
                    for (const id of [KUBERNETES, MONITORING]) await expectDecision(run, role, { action, resource: arnOf(id) }, "Allowed");
            });

            it("may not stop or start any other instance (another id, region or account)", async () => {
                const role = roleNamed(run, "dev-hosts-schedule");
                for (const action of ["ec2:StopInstances", "ec2:StartInstances"]) {
                    for (const resource of [arnOf(OTHER), arnOf(KUBERNETES, "us-west-2"), arnOf(MONITORING, REGION, "210987654321")]) {
                        await expectDecision(run, role, { action, resource }, "Denied");
                    }
                }
            });

            it("may do nothing else to them (terminate, reboot, modify, run) and gets no KMS grant", async () => {
                const role = roleNamed(run, "dev-hosts-schedule");
                for (const action of ["ec2:TerminateInstances", "ec2:RebootInstances", "ec2:ModifyInstanceAttribute", "ec2:RunInstances"]) {
                    await expectDecision(run, role, { action, resource: arnOf(KUBERNETES) }, "Denied");
                }
                await expectDecision(
                    run,
                    role,
                    {
                        action: "kms:CreateGrant",
                        resource: `arn:aws:kms:${REGION}:${MOCK_ACCOUNT_ID}:key/any`,
                        context: { "kms:GrantIsForAWSResource": "true" },
                    },
                    "Denied",
                );
                assert.deepStrictEqual(
                    role.policies.flatMap((p) => p.policy.Statement.map((s) => s.Sid)),
                    ["StopStartScheduledHosts"],
                );
            });

            it("is assumed only by EventBridge Scheduler, for this account's default schedule group", async () => {
                const role = roleNamed(run, "dev-hosts-schedule");
                const assume = (principal: string, context: Record<string, string>) =>
                    decideService(principal, { action: "sts:AssumeRole", resource: role.arn, context }, role.trustPolicy);
                const ours = { "aws:SourceAccount": MOCK_ACCOUNT_ID, "aws:SourceArn": DEFAULT_GROUP };
                assert.strictEqual(await assume("scheduler.amazonaws.com", ours), "Allowed");
                assert.notStrictEqual(await assume("scheduler.amazonaws.com", { ...ours, "aws:SourceAccount": "210987654321" }), "Allowed");
                assert.notStrictEqual(
                    await assume("scheduler.amazonaws.com", { ...ours, "aws:SourceArn": DEFAULT_GROUP.replace("/default", "/other") }),
                    "Allowed",
                );
                assert.notStrictEqual(await assume("events.amazonaws.com", ours), "Allowed");
                assert.notStrictEqual(await assume("ec2.amazonaws.com", ours), "Allowed");
            });
        });

        it("prices as the schedule says: 40 h a week of instance time (the cost tool reads the plan's schedules)", () => {
            const instance = (id: string) => ({
                urn: `urn:pulumi:dev::data-platform::aws:ec2/instance:Instance::${id}`,
                type: TYPE.ec2Instance,
                custom: true,
                id,
                inputs: { instanceType: "t3.medium" },
                outputs: {},
                dependencies: [],
            });
            const report = estimateCost([...toDeploymentResources(run), instance(KUBERNETES), instance(MONITORING)], "dev", {
                region: REGION,
                usage: parseUsage({}),
            });
            assert.strictEqual(runningHoursPerWeek(config), 40);
            assert.strictEqual(report.scheduledHosts?.instances, 2);
            for (const item of report.items) assert.match(item.basis, /t3\.medium × 173\.81 h .*on a schedule: 40 h\/week of 168, UTC/);
        });
    });

    it("takes the time zone, days and times from the config", async () => {
        const config = hostScheduleSchema.parse({ timezone: "America/New_York", days: ["MON", "WED", "SAT"], start: "07:30", stop: "19:45" });
        const run = await runSchedule(config);
        assert.strictEqual(byAction(run, "start").scheduleExpression, "cron(30 7 ? * MON,WED,SAT *)");
        assert.strictEqual(byAction(run, "stop").scheduleExpression, "cron(45 19 ? * MON,WED,SAT *)");
        for (const schedule of schedules(run)) assert.strictEqual(schedule.scheduleExpressionTimezone, "America/New_York");
    });

    it("`always` builds nothing (no role, no schedule)", async () => {
        const run = await runSchedule("always");
        assert.deepStrictEqual(
            run.resources.filter((resource) => resource.custom).map((resource) => resource.type),
            [],
        );
    });

    it("no host (every id undefined) builds nothing either", async () => {
        const run = await runSchedule(hostScheduleSchema.parse(undefined), () => ({ instanceIds: [undefined, undefined] }));
        assert.deepStrictEqual(
            run.resources.filter((resource) => resource.custom).map((resource) => resource.type),
            [],
        );
    });

    it("skips a host the stack does not build and scopes the role to the one it does", async () => {
        const run = await runSchedule(hostScheduleSchema.parse(undefined), () => ({ instanceIds: [undefined, MONITORING] }));
        assert.strictEqual(schedules(run).length, 2);
        for (const schedule of schedules(run)) assert.deepStrictEqual(JSON.parse(schedule.target.input), { InstanceIds: [MONITORING] });
        const role = roleNamed(run, "dev-hosts-schedule");
        await expectDecision(run, role, { action: "ec2:StopInstances", resource: arnOf(MONITORING) }, "Allowed");
        await expectDecision(run, role, { action: "ec2:StopInstances", resource: arnOf(KUBERNETES) }, "Denied");
    });

    it("with a customer-managed EBS key: kms:CreateGrant on that key, only for AWS resources", async () => {
        // A key whose policy delegates to the account's IAM policies, as the encryption tier's keys do.
        const run = await runSchedule(hostScheduleSchema.parse(undefined), (naming) => ({
            volumeKeyArn: new aws.kms.Key("ebs-key", {
                description: "test EBS key",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
                }),
                tags: naming.tags("encryption", "ebs-key"),
            }).arn,
        }));
        const key = String(ofType(run, TYPE.kmsKey)[0].outputs.arn);
        const role = roleNamed(run, "dev-hosts-schedule");
        await expectDecision(run, role, { action: "kms:CreateGrant", resource: key, context: { "kms:GrantIsForAWSResource": "true" } }, "Allowed");
        await expectDecision(run, role, { action: "kms:CreateGrant", resource: key, context: { "kms:GrantIsForAWSResource": "false" } }, "Denied");
        await expectDecision(run, role, { action: "kms:Decrypt", resource: key }, "Denied");
        assert.deepStrictEqual(
            role.policies.flatMap((p) => p.policy.Statement.map((s) => s.Sid)),
            ["StopStartScheduledHosts", "AttachEncryptedVolumesOnStart"],
        );
    });

    it("can be built twice in one program: child names derive from the component name, physical names from the purpose", async () => {
        const naming = new Naming("dev");
        const schedule = hostScheduleSchema.parse(undefined);
        const run = await runProgram({
            stack: "dev",
            config: { "aws:region": REGION },
            program: () => {
                new HostSchedule("first", { naming, region: REGION, schedule, instanceIds: [KUBERNETES] });
                new HostSchedule("second", { naming, region: REGION, schedule, instanceIds: [MONITORING], purpose: "builders" });
            },
        });
        const custom = run.resources.filter((resource) => resource.custom);
        assert.strictEqual(new Set(custom.map((resource) => resource.urn)).size, custom.length);
        assert.strictEqual(ofType(run, SCHEDULE).length, 4);
        const physical = [...ofType(run, TYPE.iamRole), ...ofType(run, SCHEDULE), ...ofType(run, TYPE.iamRolePolicy)].map((r) => inputsOf(r).name);
        assert.strictEqual(new Set(physical).size, physical.length, physical.join(", "));
        assert.deepStrictEqual(
            ofType(run, TYPE.iamRole)
                .map((r) => inputsOf(r).name)
                .sort(),
            ["dev-builders-schedule", "dev-hosts-schedule"],
        );
        assert.deepStrictEqual(
            ofType(run, TYPE.iamRolePolicy).map((p) => jsonInput(p, "policy").Statement[0].Resource),
            [[arnOf(KUBERNETES)], [arnOf(MONITORING)]],
        );
    });
});
