/** Names and layout of the lake's buckets: pure data and helpers, no resources (the config imports them). */

export const BUCKET_PURPOSES = ["dataLake", "glueScripts", "glueOutputs", "accessLogs"] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

/** The name segment of each bucket: `${env}-<segment>-<hex>`; also its access-log prefix. */
export const BUCKET_SEGMENTS: Readonly<Record<BucketPurpose, string>> = {
    dataLake: "data-lake",
    glueScripts: "glue-scripts",
    glueOutputs: "glue-outputs",
    accessLogs: "access-logs",
};

/** Buckets whose server access logs go to the access-log bucket (it cannot log into itself usefully). */
export const LOGGED_BUCKETS = ["dataLake", "glueScripts", "glueOutputs"] as const satisfies readonly BucketPurpose[];

/** Bytes of the shared random suffix: 8 hex characters, as the seed's random_id. */
export const BUCKET_SUFFIX_BYTES = 4;

/** Physical bucket name for a purpose and suffix. */
export function bucketName(environment: string, purpose: BucketPurpose, suffix: string): string {
    return `${environment}-${BUCKET_SEGMENTS[purpose]}-${suffix}`;
}

/** Server access-log prefix of a bucket inside the access-log bucket. */
export function accessLogPrefix(purpose: BucketPurpose): string {
    return `${BUCKET_SEGMENTS[purpose]}/`;
}

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * What is wrong with a general-purpose S3 bucket name (empty when valid):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * Dots are allowed by S3 but refused here: they break TLS for virtual-hosted-style URLs.
 */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) problems.push(`must be 3–63 characters long (is ${name.length})`);
    if (!/^[a-z0-9-]*$/.test(name)) problems.push("may contain only lowercase letters, digits and hyphens");
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push("must begin and end with a letter or digit");
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("must not be formatted as an IP address");
    for (const prefix of RESERVED_PREFIXES) if (name.startsWith(prefix)) problems.push(`must not start with the reserved prefix "${prefix}"`);
    for (const suffix of RESERVED_SUFFIXES) if (name.endsWith(suffix)) problems.push(`must not end with the reserved suffix "${suffix}"`);
    return problems;
}

/**
 * Problems of every bucket name an environment would produce (the suffix is
 * random, so a representative suffix of the same length and alphabet stands in).
 */
export function environmentBucketNameProblems(environment: string): string[] {
    const sample = "0".repeat(BUCKET_SUFFIX_BYTES * 2);
    return BUCKET_PURPOSES.flatMap((purpose) => {
        const shown = bucketName(environment, purpose, "<hex>");
        return bucketNameProblems(bucketName(environment, purpose, sample)).map((problem) => `bucket name ${shown} ${problem}`);
    });
}

/** The zone layout of the seed, as empty prefix objects in the data lake bucket. */
export const ZONE_PREFIXES = [
    "raw/logs/",
    "raw/events/",
    "raw/feeds/",
    "processed/daily/",
    "processed/hourly/",
    "processed/real-time/",
    "curated/analytics/",
    "curated/reporting/",
    "curated/ml/",
    "logs/",
] as const;

/** Raw data ages into cheaper storage classes under this prefix. */
export const RAW_PREFIX = "raw/";
