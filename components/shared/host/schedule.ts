import { z } from "zod";

/**
 * When the hosts run: `always`, or on the given days between `start` and `stop` (local time of
 * `timezone`). EventBridge Scheduler stops and starts the instances (the schedule tier); the cost
 * estimate prices the hours this gives.
 */

export const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a 24-hour time HH:MM, e.g. 08:00");

/** IANA time zones Node knows, plus UTC (EventBridge Scheduler takes the same names). */
function isTimeZone(name: string): boolean {
    return name === "UTC" || Intl.supportedValuesOf("timeZone").includes(name);
}

export const workingHoursSchema = z
    .strictObject({
        timezone: z
            .string()
            .refine(isTimeZone, { message: "not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)" })
            .default("UTC")
            .describe("IANA time zone of start and stop"),
        days: z.array(z.enum(WEEKDAYS)).min(1).default(["MON", "TUE", "WED", "THU", "FRI"]).describe("days the hosts run"),
        start: clock.default("08:00").describe("local time the hosts start"),
        stop: clock.default("18:00").describe("local time the hosts stop (after start, same day)"),
    })
    .superRefine((hours, ctx) => {
        if (minutesOf(hours.stop) <= minutesOf(hours.start)) {
            ctx.addIssue({ code: "custom", path: ["stop"], message: `must be after start (${hours.start}) on the same day` });
        }
        if (new Set(hours.days).size !== hours.days.length) {
            ctx.addIssue({ code: "custom", path: ["days"], message: "lists a day twice" });
        }
    });

export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const hostScheduleSchema = z
    .union([z.literal("always"), workingHoursSchema])
    .default({ timezone: "UTC", days: ["MON", "TUE", "WED", "THU", "FRI"], start: "08:00", stop: "18:00" })
    .describe("when the hosts run: `always`, or {timezone, days, start, stop}; outside those hours they are stopped");

export type HostSchedule = z.infer<typeof hostScheduleSchema>;

export function minutesOf(time: string): number {
    const [hours, minutes] = time.split(":").map(Number);
    return hours * 60 + minutes;
}

/** Hours the hosts run per week under a schedule (168 for `always`). */
export function runningHoursPerWeek(schedule: HostSchedule): number {
    if (schedule === "always") return 7 * 24;
    return (schedule.days.length * (minutesOf(schedule.stop) - minutesOf(schedule.start))) / 60;
}

/** EventBridge Scheduler cron for the start or the stop time: `cron(minutes hours ? * DAYS *)`. */
export function scheduleCron(hours: WorkingHours, at: "start" | "stop"): string {
    const [hour, minute] = hours[at].split(":").map(Number);
    return `cron(${minute} ${hour} ? * ${hours.days.join(",")} *)`;
}
