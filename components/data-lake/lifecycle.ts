import * as aws from "@pulumi/aws";
import { BucketPurpose, RAW_PREFIX } from "./layout";
import { DataLakeConfig } from "./config";

/**
 * Archive class raw/ ages into. GLACIER_IR (Glacier Instant Retrieval) is read with a plain GET in
 * milliseconds, so the Glue jobs, the crawler and the Spark task can still read raw/ after it is
 * archived; GLACIER (Flexible Retrieval) and DEEP_ARCHIVE objects can be listed but not read until
 * restored ("The operation is not valid for the object's storage class").
 */
export const RAW_ARCHIVE_STORAGE_CLASS = "GLACIER_IR";

/** Storage classes a reader of the lake must never try to GET (listable, not readable without a restore). */
export const UNREADABLE_STORAGE_CLASSES = ["GLACIER", "DEEP_ARCHIVE"] as const;

/**
 * Every bucket: noncurrent versions expire and incomplete multipart uploads are
 * aborted. The data lake also ages raw/ into STANDARD_IA then GLACIER_IR; the log
 * bucket expires its logs. Rules that apply to the whole bucket use the filter
 * `{ prefix: "" }` (every key): the provider warns on an empty `filter {}` that one of
 * prefix, tag, and or object size is required and that it will become an error
 * (hashicorp/terraform-provider-aws#42714, #42126).
 */
export function lifecycleRules(purpose: BucketPurpose, config: DataLakeConfig): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: config.noncurrentVersionExpirationDays },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: config.abortIncompleteMultipartUploadDays },
        },
    ];
    if (purpose === "dataLake") {
        rules.push({
            id: "raw-to-infrequent-access-and-glacier",
            status: "Enabled",
            filter: { prefix: RAW_PREFIX },
            transitions: [
                { days: config.rawToInfrequentAccessDays, storageClass: "STANDARD_IA" },
                { days: config.rawToGlacierDays, storageClass: RAW_ARCHIVE_STORAGE_CLASS },
            ],
        });
    }
    if (purpose === "accessLogs") {
        rules.push({
            id: "expire-access-logs",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { days: config.accessLogExpirationDays },
        });
    }
    return rules;
}
