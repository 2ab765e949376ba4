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
export function isTimeZone(name: string): boolean {
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
        start: clock.default("09:00").describe("local time the hosts start"),
        stop: clock.default("17:00").describe("local time the hosts stop (after start, same day)"),
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
    .default({ timezone: "UTC", days: ["MON", "TUE", "WED", "THU", "FRI"], start: "09:00", stop: "17:00" })
    .describe("when the hosts run: `always`, or {timezone, days, start, stop}; outside those hours they are stopped");

export type HostScheduleConfig = z.infer<typeof hostScheduleSchema>;
/** @deprecated the parsed `hosts.schedule`; use HostScheduleConfig (the schedule tier's class is HostSchedule). */
export type HostSchedule = HostScheduleConfig;

export function minutesOf(time: string): number {
    const [hours, minutes] = time.split(":").map(Number);
    return hours * 60 + minutes;
}

/** Hours the hosts run per week under a schedule (168 for `always`). */
export function runningHoursPerWeek(schedule: HostScheduleConfig): number {
    if (schedule === "always") return 7 * 24;
    return (schedule.days.length * (minutesOf(schedule.stop) - minutesOf(schedule.start))) / 60;
}

/** EventBridge Scheduler cron for the start or the stop time: `cron(minutes hours ? * DAYS *)`. */
export function scheduleCron(hours: WorkingHours, at: "start" | "stop"): string {
    const [hour, minute] = hours[at].split(":").map(Number);
    return `cron(${minute} ${hour} ? * ${hours.days.join(",")} *)`;
}

// ---------------------------------------------------------------------------
// Reading schedules back (the cost estimate prices what the plan's schedules do)
// ---------------------------------------------------------------------------

export const MINUTES_PER_WEEK = 7 * 24 * 60;

/** EventBridge Scheduler's day-of-week numbers: 1 is Sunday, 7 Saturday. */
const CRON_DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/** Thrown for an expression the weekly reader does not understand (rate(), at(), day-of-month, L, #, ...). */
export class UnsupportedScheduleError extends Error {}

function cronList(field: string, min: number, max: number, what: string, names: readonly string[] = []): number[] {
    const value = (token: string): number => {
        const named = names.indexOf(token.toUpperCase());
        if (named >= 0) return named + min;
        if (!/^\d+$/.test(token)) throw new UnsupportedScheduleError(`${what} "${token}" is not a number${names.length ? " or a day name" : ""}`);
        const n = Number(token);
        if (n < min || n > max) throw new UnsupportedScheduleError(`${what} ${n} is outside ${min}-${max}`);
        return n;
    };
    if (field === "*" || field === "?") return Array.from({ length: max - min + 1 }, (_, i) => min + i);
    const result = new Set<number>();
    for (const part of field.split(",")) {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!Number.isInteger(step) || step < 1) throw new UnsupportedScheduleError(`${what} step "${stepText}" is not a positive number`);
        const [from, to] =
            range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(value) : [value(range), stepText ? max : value(range)];
        if (to < from) throw new UnsupportedScheduleError(`${what} range ${range} runs backwards`);
        for (let n = from; n <= to; n += step) result.add(n);
    }
    return [...result].sort((a, b) => a - b);
}

/**
 * The minutes of the week (0 = Monday 00:00 local time) at which an EventBridge Scheduler
 * `cron(minutes hours day-of-month month day-of-week year)` fires. Only weekly patterns are read:
 * day-of-month `?` or `*`, every month, every year; anything else throws UnsupportedScheduleError.
 */
export function cronMinutesOfWeek(expression: string): number[] {
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    if (!match) throw new UnsupportedScheduleError(`${expression}: only cron(...) expressions are read (not rate() or at())`);
    const fields = match[1].trim().split(/\s+/);
    if (fields.length !== 6) throw new UnsupportedScheduleError(`${expression}: a cron expression has 6 fields, this one ${fields.length}`);
    const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
    if (dayOfMonth !== "?" && dayOfMonth !== "*") throw new UnsupportedScheduleError(`${expression}: day-of-month ${dayOfMonth} is not weekly`);
    if (month !== "*" || year !== "*") throw new UnsupportedScheduleError(`${expression}: only every month of every year is read`);
    const days = cronList(dayOfWeek, 1, 7, "day-of-week", CRON_DAY_NAMES);
    const hourList = cronList(hours, 0, 23, "hour");
    const minuteList = cronList(minutes, 0, 59, "minute");
    const result: number[] = [];
    for (const day of days) {
        const mondayBased = (day + 5) % 7; // 1 (SUN) → 6, 2 (MON) → 0
        for (const hour of hourList) for (const minute of minuteList) result.push(mondayBased * 1440 + hour * 60 + minute);
    }
    return result.sort((a, b) => a - b);
}

/**
 * Minutes a week an instance runs when it is started at `starts` and stopped at `stops`
 * (minutes of the week, as cronMinutesOfWeek gives them). The week repeats, so the state before
 * the first event of the week is the one the last event left. Without a stop it always runs;
 * stopped and never started, it never runs. A start and a stop in the same minute: the stop wins.
 */
export function runningMinutesPerWeek(starts: readonly number[], stops: readonly number[]): number {
    if (stops.length === 0) return MINUTES_PER_WEEK;
    if (starts.length === 0) return 0;
    const events = [...starts.map((at) => ({ at, running: true })), ...stops.map((at) => ({ at, running: false }))].sort(
        (a, b) => a.at - b.at || Number(a.running) - Number(b.running),
    );
    // Within one minute the stop sorts first; the last event of that minute decides, so drop starts that share a stop's minute.
    const stopMinutes = new Set(stops);
    const effective = events.filter((event) => !(event.running && stopMinutes.has(event.at)));
    let running = effective[effective.length - 1].running;
    let since = 0;
    let total = 0;
    for (const event of effective) {
        if (running) total += event.at - since;
        running = event.running;
        since = event.at;
    }
    if (running) total += MINUTES_PER_WEEK - since;
    return total;
}
