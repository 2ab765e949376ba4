import { z } from "zod";

/** `data-platform:secrets`. */
export const secretsSchema = z.strictObject({
    recoveryWindowDays: z
        .number()
        .int()
        .min(7)
        .max(30)
        .default(7)
        .describe(
            "days a deleted secret can be restored (7–30) on a protected stack; unprotected stacks delete secrets without recovery (0) so they can be re-created at once",
        ),
});

export type SecretsConfig = z.infer<typeof secretsSchema>;

/**
 * The recovery window a secret is created with. Secrets Manager keeps a deleted secret's name for
 * the whole window (7–30 days), so an unprotected stack, which must be destroyable and re-creatable
 * the same day, uses 0: the provider then deletes with ForceDeleteWithoutRecovery.
 */
export function recoveryWindowInDays(config: SecretsConfig, protect: boolean): number {
    return protect ? config.recoveryWindowDays : 0;
}
