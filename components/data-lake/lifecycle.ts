import * as aws from "@pulumi/aws";
import { BucketPurpose, RAW_PREFIX } from "./layout";
import { DataLakeConfig } from "./config";

/**
 * Every bucket: noncurrent versions expire and incomplete multipart uploads are
 * aborted. The data lake also ages raw/ into STANDARD_IA then GLACIER; the log
 * bucket expires its logs.
 */
export function lifecycleRules(purpose: BucketPurpose, config: DataLakeConfig): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: config.noncurrentVersionExpirationDays },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
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
                { days: config.rawToGlacierDays, storageClass: "GLACIER" },
            ],
        });
    }
    if (purpose === "accessLogs") {
        rules.push({
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: config.accessLogExpirationDays },
        });
    }
    return rules;
}
