import * as assert from "assert";
import {
    HostScheduleConfig,
    MINUTES_PER_WEEK,
    UnsupportedScheduleError,
    cronMinutesOfWeek,
    hostScheduleSchema,
    runningHoursPerWeek,
    runningMinutesPerWeek,
    scheduleCron,
} from "../../components/shared/host/schedule";
import { DetailedCostReport, describeScheduledHosts, estimateCost, formatCostTable, parseUsage } from "../../tools/cost";
import { HOURS_PER_MONTH, PRICE_TABLES } from "../../tools/cost/prices";
import { DeploymentResource, toDeploymentResources } from "../../tools/deployment";
import { fakeResource } from "../support/fake-resources";
import { runStack } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * The estimate prices the hours the plan's EventBridge Scheduler schedules leave the hosts
 * running (instance hours and the public IPv4 hours of an auto-assigned address; volumes all
 * month), and shows the always-on figure beside it. Glue Flex jobs are priced at the Flex rate.
 */

const REGION = "us-east-2";
const H = HOURS_PER_MONTH;
// Restated on purpose: a change to the table must be a visible test change.
const P = { t3medium: 0.0416, t3large: 0.0832, t4gMedium: 0.0336, t4gLarge: 0.0672, gp3: 0.08, ipv4: 0.005, dpu: 0.44, flexDpu: 0.29, secret: 0.4 };
/** Weekdays 08:00–18:00: 50 of the week's 168 hours, as a share of AWS's 730-hour month. */
const WORKING_HOURS = (H * 50) / 168;

function estimate(resources: DeploymentResource[], region = REGION): DetailedCostReport {
    return estimateCost(resources, "test", { region, usage: parseUsage({}) });
}

const instance = (id: string, inputs: Record<string, unknown> = {}) =>
    fakeResource(
        TYPE.ec2Instance,
        { instanceType: "t3.medium", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, associatePublicIpAddress: true, ...inputs },
        { id, name: id },
    );

function schedule(action: "stop" | "start", expression: string, ids: readonly string[], extra: Record<string, unknown> = {}): DeploymentResource {
    return fakeResource(TYPE.schedulerSchedule, {
        name: `test-${action}`,
        scheduleExpression: expression,
        scheduleExpressionTimezone: "America/New_York",
        flexibleTimeWindow: { mode: "OFF" },
        target: {
            arn: `arn:aws:scheduler:::aws-sdk:ec2:${action}Instances`,
            roleArn: "arn:aws:iam::123456789012:role/test",
            input: JSON.stringify({ InstanceIds: ids }),
        },
        ...extra,
    });
}

const weekdays = (ids: readonly string[]) => [schedule("stop", "cron(0 18 ? * MON-FRI *)", ids), schedule("start", "cron(0 8 ? * MON-FRI *)", ids)];

function itemOf(report: DetailedCostReport, resource: DeploymentResource) {
    const item = report.items.find((i) => i.urn === resource.urn);
    assert.ok(item, `no item for ${resource.urn}`);
    return item;
}

function assertMoney(actual: number, expected: number, what: string, tolerance = 0.006): void {
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected $${expected.toFixed(4)}, got $${actual.toFixed(4)}`);
}

describe("cost: hosts on a schedule", () => {
    describe("reading EventBridge Scheduler cron expressions", () => {
        it("gives the minutes of the week (Monday 00:00 = 0) a weekly cron fires at", () => {
            assert.deepStrictEqual(cronMinutesOfWeek("cron(0 8 ? * MON *)"), [8 * 60]);
            assert.deepStrictEqual(cronMinutesOfWeek("cron(30 7 ? * SUN *)"), [6 * 1440 + 7 * 60 + 30]);
            assert.deepStrictEqual(cronMinutesOfWeek("cron(0 18 ? * 2-3 *)"), [18 * 60, 1440 + 18 * 60], "1 is Sunday, 2 Monday");
            assert.strictEqual(cronMinutesOfWeek("cron(0 8 ? * MON-FRI *)").length, 5);
            assert.strictEqual(cronMinutesOfWeek("cron(0 8 * * ? *)").length, 7, "every day");
            assert.strictEqual(cronMinutesOfWeek("cron(0/15 9 ? * MON *)").length, 4);
        });

        it("refuses what is not a weekly pattern, saying why", () => {
            for (const [expression, why] of [
                ["rate(1 hour)", /only cron/],
                ["at(2026-12-24T18:00:00)", /only cron/],
                ["cron(0 8 1 * ? *)", /day-of-month/],
                ["cron(0 8 ? 1-6 MON *)", /every month/],
                ["cron(0 8 ? * 6L *)", /day-of-week/],
                ["cron(0 25 ? * MON *)", /hour 25/],
                ["cron(0 8 ? * MON)", /6 fields/],
            ] as const) {
                assert.throws(
                    () => cronMinutesOfWeek(expression),
                    (error: unknown) => error instanceof UnsupportedScheduleError && why.test(error.message),
                    expression,
                );
            }
        });

        it("counts the minutes between each start and the next stop, around the end of the week", () => {
            const day = 1440;
            assert.strictEqual(runningMinutesPerWeek([8 * 60], [18 * 60]), 600);
            assert.strictEqual(runningMinutesPerWeek([], [18 * 60]), 0, "stopped, never started");
            assert.strictEqual(runningMinutesPerWeek([8 * 60], []), MINUTES_PER_WEEK, "never stopped");
            // Started Friday 20:00, stopped Monday 02:00: runs across the week boundary (4 + 24 + 24 + 2 hours).
            assert.strictEqual(runningMinutesPerWeek([4 * day + 20 * 60], [2 * 60]), 54 * 60);
            // A night shift: start 22:00, stop 06:00 the next day, Monday to Friday.
            const starts = [0, 1, 2, 3, 4].map((d) => d * day + 22 * 60);
            const stops = [1, 2, 3, 4, 5].map((d) => d * day + 6 * 60);
            assert.strictEqual(runningMinutesPerWeek(starts, stops), 5 * 8 * 60);
            assert.strictEqual(runningMinutesPerWeek([600], [600]), 0, "a start and a stop in the same minute: the stop wins");
        });

        it("reads back what scheduleCron writes: the same hours a week as the config says", () => {
            const configs: HostScheduleConfig[] = [
                hostScheduleSchema.parse(undefined),
                hostScheduleSchema.parse({ timezone: "Europe/Berlin", days: ["SUN", "WED"], start: "06:15", stop: "23:59" }),
                hostScheduleSchema.parse({ days: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], start: "00:00", stop: "12:00" }),
            ];
            for (const config of configs) {
                if (config === "always") continue;
                const minutes = runningMinutesPerWeek(
                    cronMinutesOfWeek(scheduleCron(config, "start")),
                    cronMinutesOfWeek(scheduleCron(config, "stop")),
                );
                assert.strictEqual(minutes / 60, runningHoursPerWeek(config), JSON.stringify(config));
            }
        });
    });

    describe("pricing an instance the plan's schedules stop and start", () => {
        it("bills instance hours and public IPv4 hours for the scheduled hours, the volume all month", () => {
            const host = instance("i-0host");
            const report = estimate([host, ...weekdays(["i-0other", "i-0host"])]);
            const item = itemOf(report, host);
            assertMoney(item.monthly, P.t3medium * WORKING_HOURS + 30 * P.gp3 + P.ipv4 * WORKING_HOURS, "scheduled");
            assertMoney(item.alwaysOnMonthly ?? 0, P.t3medium * H + 30 * P.gp3 + P.ipv4 * H, "always on");
            assert.match(item.basis, /t3\.medium × 217\.262 h .*on a schedule: 50 h\/week of 168, America\/New_York/);
            assert.match(item.basis, /public IPv4 × 217\.262 h/);
            assert.match(item.basis, /30 GB gp3 root volume/);
        });

        it("keeps an Elastic IP priced all month (an EIP is billed while its instance is stopped)", () => {
            const host = instance("i-0host");
            const eip = fakeResource(TYPE.ec2Eip, { domain: "vpc", instance: "i-0host" });
            const report = estimate([host, eip, ...weekdays(["i-0host"])]);
            assertMoney(itemOf(report, host).monthly, P.t3medium * WORKING_HOURS + 30 * P.gp3, "instance without its own public IP");
            assertMoney(itemOf(report, eip).monthly, P.ipv4 * H, "EIP all month");
        });

        it("prices always on what no enabled schedule of an EC2 stop/start target names", () => {
            const host = instance("i-0host");
            const alwaysOn = P.t3medium * H + 30 * P.gp3 + P.ipv4 * H;
            for (const [what, schedules] of [
                ["schedules for another instance", weekdays(["i-0other"])],
                ["disabled schedules", weekdays(["i-0host"]).map((s) => ({ ...s, inputs: { ...s.inputs, state: "DISABLED" } }))],
                [
                    "schedules with another target",
                    weekdays(["i-0host"]).map((s) => ({
                        ...s,
                        inputs: { ...s.inputs, target: { ...(s.inputs.target as object), arn: "arn:aws:scheduler:::aws-sdk:ec2:rebootInstances" } },
                    })),
                ],
            ] as const) {
                const report = estimate([host, ...schedules]);
                assertMoney(itemOf(report, host).monthly, alwaysOn, what);
                assert.strictEqual(itemOf(report, host).alwaysOnMonthly, undefined, what);
                assert.strictEqual(report.scheduledHosts, undefined, what);
            }
        });

        it("prices always on, and says why, a schedule it cannot read", () => {
            const host = instance("i-0host");
            const report = estimate([
                host,
                schedule("stop", "rate(12 hours)", ["i-0host"]),
                schedule("start", "cron(0 8 ? * MON-FRI *)", ["i-0host"]),
            ]);
            assertMoney(itemOf(report, host).monthly, P.t3medium * H + 30 * P.gp3 + P.ipv4 * H, "unread");
            assert.match(itemOf(report, host).basis, /not read \(rate\(12 hours\): only cron.*priced always on/);
        });

        it("a stop with no start: the instance is priced stopped (volume only)", () => {
            const host = instance("i-0host");
            const report = estimate([host, schedule("stop", "cron(0 18 ? * MON-FRI *)", ["i-0host"])]);
            assertMoney(itemOf(report, host).monthly, 30 * P.gp3, "stopped");
        });

        it("shows hosts on a schedule beside the same hosts always on, and the stack total both ways", () => {
            const hosts = [instance("i-0k8s"), instance("i-0mon", { instanceType: "t3.large" })];
            const key = fakeResource(TYPE.kmsKey, {});
            const report = estimate([...hosts, key, ...weekdays(["i-0k8s", "i-0mon"])]);
            const scheduled = (P.t3medium + P.t3large + 2 * P.ipv4) * WORKING_HOURS + 60 * P.gp3;
            const always = (P.t3medium + P.t3large + 2 * P.ipv4) * H + 60 * P.gp3;
            assert.ok(report.scheduledHosts);
            assert.strictEqual(report.scheduledHosts.instances, 2);
            assertMoney(report.scheduledHosts.scheduledMonthly, scheduled, "scheduled", 0.011);
            assertMoney(report.scheduledHosts.alwaysOnMonthly, always, "always on", 0.011);
            assertMoney(report.scheduledHosts.monthlyTotalAlwaysOn, always + 1, "stack always on", 0.011);
            assertMoney(report.monthlyTotal, scheduled + 1, "stack", 0.011);
            const line = describeScheduledHosts(report.scheduledHosts, report.monthlyTotal);
            assert.match(line, /^Hosts on a schedule \(2 instances\): \$\d+\.\d\d\/month; always on: \$\d+\.\d\d\/month/);
            assert.ok(formatCostTable(report).includes(line));
        });
    });

    describe("Glue Flex", () => {
        const job = (executionClass?: string) =>
            fakeResource(TYPE.glueJob, {
                command: { name: "glueetl" },
                workerType: "G.1X",
                numberOfWorkers: 2,
                ...(executionClass ? { executionClass } : {}),
            });
        const dpuHours = 30 * (10 / 60) * 2;

        it("prices a FLEX job at $0.29 per DPU-hour, a STANDARD (or unset) one at $0.44", () => {
            for (const [executionClass, rate] of [
                ["FLEX", P.flexDpu],
                ["STANDARD", P.dpu],
                [undefined, P.dpu],
            ] as const) {
                const resource = job(executionClass);
                const report = estimate([resource]);
                assertMoney(itemOf(report, resource).monthly, dpuHours * rate, String(executionClass));
                if (executionClass === "FLEX") assert.match(itemOf(report, resource).basis, /\(Flex\) × \$0\.29\/DPU-h/);
            }
        });

        it("has the Flex rate in each priced region that has a Glue rate, and reports it missing elsewhere", () => {
            for (const [region, table] of Object.entries(PRICE_TABLES)) {
                if (table["glue.dpuHour"]) assert.ok(table["glue.flex.dpuHour"], `${region} prices Glue but not Flex`);
                else assert.strictEqual(table["glue.flex.dpuHour"], undefined, `${region}: Flex without a standard rate`);
            }
            const report = estimate([job("FLEX")], "eu-west-1");
            assert.deepStrictEqual(report.unpriced, ["aws:glue/job:Job (glue.flex.dpuHour: no price entry for eu-west-1)"]);
        });
    });

    describe("dev with the defaults (the dev fixture stack: hosts, schedule, Graviton monitoring host, no Elastic IPs, Flex)", function () {
        this.timeout(60000);
        let report: DetailedCostReport;

        before(async () => {
            report = estimateCost(toDeploymentResources(await runStack("dev")), "dev");
        });

        it("costs at most $45 a month with both hosts working on the default schedule", () => {
            assert.deepStrictEqual(report.unpriced, []);
            assert.ok(report.monthlyTotal <= 45, `dev estimate $${report.monthlyTotal.toFixed(2)}/month is over $45`);
            assert.ok(!report.items.some((i) => i.type === TYPE.ec2Eip), "no Elastic IP");
        });

        it("prices both hosts for the scheduled hours and shows the always-on figure beside it", () => {
            const hosts = report.items.filter((i) => i.type === TYPE.ec2Instance);
            assert.strictEqual(hosts.length, 2);
            for (const host of hosts) assert.match(host.basis, /on a schedule: 40 h\/week of 168/);
            const scheduled = report.scheduledHosts?.scheduledMonthly ?? NaN;
            const always = report.scheduledHosts?.alwaysOnMonthly ?? NaN;
            assertMoney(
                scheduled,
                hosts.reduce((sum, i) => sum + i.monthly, 0),
                "scheduled hosts are the instances' items",
            );
            assert.ok(always > scheduled * 2, `always on $${always} vs scheduled $${scheduled}`);
            assert.match(formatCostTable(report), /Hosts on a schedule \(2 instances\): \$[\d.]+\/month; always on: \$[\d.]+\/month/);
        });
    });
});
