/**
 * Property names that `@pulumi/aws` declares as numbers, which old providers
 * and hand-edited state files sometimes write as strings (`"retentionInDays":
 * "14"`, `"fromPort": "22"`). The state loader turns a digit string under one
 * of these names into a number, so a rule that compares numbers judges it;
 * anything else that looks like a number (`ownerId`, `version`, tag values,
 * `protocol: "-1"`) stays the string it is.
 *
 * `tests/policy/state-quirks.spec.ts` checks every name against the
 * `@pulumi/aws` typings: declared as a number, never as a string (`port`
 * excepted: health-check ports are `"traffic-port"` or digits, and only digits
 * are converted).
 */
export const NUMERIC_KEYS: ReadonlySet<string> = new Set([
    // security groups and network ACLs
    "fromPort",
    "toPort",
    "icmpCode",
    "icmpType",
    "ruleNumber",
    // listeners, databases, caches, brokers
    "port",
    "listenerPort",
    "instancePort",
    "lbPort",
    // retention, recovery and rotation windows
    "retentionInDays",
    "backupRetentionPeriod",
    "recoveryWindowInDays",
    "deletionWindowInDays",
    "rotationPeriodInDays",
    "snapshotRetentionLimit",
    "messageRetentionSeconds",
    "kmsDataKeyReusePeriodSeconds",
    "visibilityTimeoutSeconds",
    "maxSessionDuration",
    // instance metadata, storage and capacity
    "httpPutResponseHopLimit",
    "allocatedStorage",
    "maxAllocatedStorage",
    "volumeSize",
    "iops",
    "throughput",
    "minSize",
    "maxSize",
    "desiredCapacity",
    "desiredSize",
    "numberOfBrokerNodes",
    "numCacheClusters",
    // IAM password policy
    "minimumPasswordLength",
    "passwordReusePrevention",
    "maxPasswordAge",
]);

const DIGITS = /^-?\d+(\.\d+)?$/;

/** `"14"` under a numeric key → 14; every other value unchanged. */
export function coerceNumber(key: string, value: unknown): unknown {
    return typeof value === "string" && NUMERIC_KEYS.has(key) && DIGITS.test(value.trim()) ? Number(value) : value;
}
