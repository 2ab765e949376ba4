import {
    MINUTES_PER_WEEK,
    UnsupportedScheduleError,
    cronMinutesOfWeek,
    isTimeZone,
    runningMinutesPerWeek,
} from "../../components/shared/host/schedule";
import { DeploymentResource } from "../deployment";
import { TYPE } from "../../policy-pack/policies/types";
import { HOURS_PER_MONTH } from "./prices";
import { ResourceIndex, displayName, input, stringInput } from "./resources";

/**
 * How long an instance runs a month, read from the EventBridge Scheduler schedules in the plan
 * that stop or start it (universal targets `ec2:stopInstances` / `ec2:startInstances` whose
 * `{"InstanceIds": [...]}` input names the instance): what the plan builds, not the config.
 * A schedule it cannot read (rate(), at(), day-of-month patterns, unknown time zone) leaves the
 * instance priced always on, and the basis says why.
 */

const EC2_TARGET = /^arn:[^:]+:scheduler:::aws-sdk:ec2:(stopInstances|startInstances)$/;

export interface RunTime {
    /** Hours a month the instance runs (730 when always on). */
    readonly hoursPerMonth: number;
    /** Whether schedules in the plan shorten it. */
    readonly scheduled: boolean;
    /**
     * For the basis, e.g. "on a schedule: 50 h/week of 168, America/New_York, by dev-hosts-schedule-stop + ..."
     * (empty when nothing targets the instance).
     */
    readonly note: string;
}

const ALWAYS: RunTime = { hoursPerMonth: HOURS_PER_MONTH, scheduled: false, note: "" };

interface InstanceEvent {
    readonly schedule: DeploymentResource;
    readonly action: "stopInstances" | "startInstances";
}

function instanceIdsOf(schedule: DeploymentResource): string[] {
    const raw = input(schedule, "target.input");
    let parsed: unknown = raw;
    if (typeof raw === "string") {
        try {
            parsed = JSON.parse(raw);
        } catch {
            return [];
        }
    }
    const ids = (parsed as { InstanceIds?: unknown } | undefined)?.InstanceIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

/** The enabled schedules that stop or start this instance. */
export function schedulesOf(instance: DeploymentResource, index: ResourceIndex): InstanceEvent[] {
    if (instance.id === undefined) return [];
    const events: InstanceEvent[] = [];
    for (const schedule of index.ofType(TYPE.schedulerSchedule)) {
        if (stringInput(schedule, "state") === "DISABLED") continue;
        const target = EC2_TARGET.exec(stringInput(schedule, "target.arn") ?? "");
        if (!target || !instanceIdsOf(schedule).includes(instance.id)) continue;
        events.push({ schedule, action: target[1] as InstanceEvent["action"] });
    }
    return events;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The instance's monthly running hours under the plan's schedules. */
export function instanceRunTime(instance: DeploymentResource, index: ResourceIndex): RunTime {
    const events = schedulesOf(instance, index);
    if (events.length === 0) return ALWAYS;
    const names = events.map((event) => stringInput(event.schedule, "name") ?? displayName(event.schedule)).join(" + ");
    const zones = [...new Set(events.map((event) => stringInput(event.schedule, "scheduleExpressionTimezone") ?? "UTC"))];
    const unread = (why: string): RunTime => ({ ...ALWAYS, note: `schedules ${names} not read (${why}): priced always on` });
    if (zones.length > 1) return unread(`time zones differ: ${zones.join(", ")}`);
    if (!isTimeZone(zones[0])) return unread(`unknown time zone ${zones[0]}`);
    const starts: number[] = [];
    const stops: number[] = [];
    try {
        for (const event of events) {
            const minutes = cronMinutesOfWeek(stringInput(event.schedule, "scheduleExpression") ?? "");
            (event.action === "startInstances" ? starts : stops).push(...minutes);
        }
    } catch (error) {
        if (error instanceof UnsupportedScheduleError) return unread(error.message);
        throw error;
    }
    const minutesPerWeek = runningMinutesPerWeek(starts, stops);
    const hoursPerWeek = minutesPerWeek / 60;
    return {
        hoursPerMonth: (HOURS_PER_MONTH * minutesPerWeek) / MINUTES_PER_WEEK,
        scheduled: minutesPerWeek < MINUTES_PER_WEEK,
        note: `on a schedule: ${round1(hoursPerWeek)} h/week of 168, ${zones[0]}, by ${names}`,
    };
}
