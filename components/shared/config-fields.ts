import { z } from "zod";
import { parseIpv4Cidr } from "./cidr";

/** Field schemas more than one tier's config section uses. */

export const ipv4Cidr = z.string().refine((value) => parseIpv4Cidr(value) !== undefined, {
    message: "not a network-aligned IPv4 CIDR (expected a.b.c.d/n with host bits zero, e.g. 10.0.1.0/24)",
});

/** An IPv4 CIDR of the sizes AWS allows for VPCs and subnets (/16 to /28). */
export const awsCidr = (what: string) =>
    ipv4Cidr.refine(
        (value) => {
            const prefix = parseIpv4Cidr(value)?.prefix ?? 0;
            return prefix >= 16 && prefix <= 28;
        },
        { message: `AWS ${what} must be between /16 and /28` },
    );

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logRetentionDays = z
    .number()
    .int()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `CloudWatch Logs retention must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    });

export const positiveDays = z.number().int().min(1);

/**
 * Marks a key whose value belongs to the user (their own network ranges, their key): the README's
 * config reference shows no per-stack example for it, so editing it never makes the docs stale.
 */
export const USER_VALUE = { userValue: true } as const;
