import { z } from "zod";

/** `data-platform:encryption`. */
export const encryptionSchema = z.strictObject({
    kms: z.boolean().default(false).describe("customer-managed KMS keys per purpose (rotation on)"),
});

export type EncryptionConfig = z.infer<typeof encryptionSchema>;
