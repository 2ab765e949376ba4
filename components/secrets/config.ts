import { z } from "zod";

/** `data-platform:secrets`. */
export const secretsSchema = z.strictObject({
    recoveryWindowDays: z.number().int().min(7).max(30).default(7).describe("days a deleted secret can be restored (7–30)"),
});

export type SecretsConfig = z.infer<typeof secretsSchema>;
