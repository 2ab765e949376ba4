import { z } from "zod";
import { positiveDays } from "../shared/config-fields";

/** `data-platform:dataLake`: the lifecycle of the lake's objects. */
export const dataLakeSchema = z
    .strictObject({
        enabled: z
            .boolean()
            .default(true)
            .describe("build the data lake and Glue buckets (the access-log bucket is built whenever anything logs into it)"),
        rawToInfrequentAccessDays: positiveDays
            .min(30, "S3 requires at least 30 days before STANDARD_IA")
            .default(30)
            .describe("days before raw/ moves to STANDARD_IA (S3 minimum 30)"),
        rawToGlacierDays: positiveDays
            .default(90)
            .describe("days before raw/ moves to GLACIER_IR, Glacier Instant Retrieval: still readable by the jobs (at least 30 after STANDARD_IA)"),
        noncurrentVersionExpirationDays: positiveDays.default(90).describe("days noncurrent object versions are kept"),
        abortIncompleteMultipartUploadDays: positiveDays.default(7).describe("days before incomplete multipart uploads are aborted"),
        accessLogExpirationDays: positiveDays.default(365).describe("days access logs are kept"),
    })
    .superRefine((lake, ctx) => {
        // S3 refuses a lifecycle rule that moves objects on from STANDARD_IA before they spent 30 days there.
        if (lake.rawToGlacierDays < lake.rawToInfrequentAccessDays + 30) {
            ctx.addIssue({
                code: "custom",
                path: ["rawToGlacierDays"],
                message: `must be at least 30 days after rawToInfrequentAccessDays (${lake.rawToInfrequentAccessDays}), i.e. >= ${lake.rawToInfrequentAccessDays + 30}`,
            });
        }
    });

export type DataLakeConfig = z.infer<typeof dataLakeSchema>;
