import { PackPolicy, label, resourceRule } from "./rules";
import { T } from "./types";
import { Read, at, isOpaque, isSet, list, truthy } from "./values";

/**
 * Amazon MSK clusters (encryption at rest and in transit is `msk-encryption` in encryption.ts):
 * client authentication, public access, broker logs, monitoring level.
 */

/** The outcome of looking for at least one thing that is on: found, cannot tell yet, or none. */
type AnyOn = "yes" | "unknown" | "no";

function anyOn(values: readonly (boolean | "unknown")[]): AnyOn {
    if (values.includes(true)) return "yes";
    return values.includes("unknown") ? "unknown" : "no";
}

/** A boolean input: true, false (absent counts as off), or "unknown". */
function isOn(value: Read): boolean | "unknown" {
    if (isOpaque(value)) return "unknown";
    return truthy(value) === true;
}

/** Which client-authentication mechanisms a cluster turns on (IAM, SASL/SCRAM, mutual TLS with a CA). */
function mechanisms(auth: Read): (boolean | "unknown")[] {
    const authorities = list(auth, "tls", "certificateAuthorityArns");
    const mutualTls = isOpaque(authorities) ? "unknown" : authorities.some((arn) => isOpaque(arn) || isSet(arn));
    return [isOn(at(auth, "sasl", "iam")), isOn(at(auth, "sasl", "scram")), mutualTls];
}

export const mskClientAuthentication = resourceRule({
    name: "msk-client-authentication",
    description:
        "MSK clusters authenticate every client: clientAuthentication turns on IAM (sasl.iam), SASL/SCRAM (sasl.scram) or mutual TLS (tls.certificateAuthorityArns), and unauthenticated access stays off.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: T.mskCluster,
    references: { checkov: [], securityHub: ["MSK.6"] },
    check: (resource, findings) => {
        const name = label(resource);
        const auth = at(resource.props, "clientAuthentication");
        if (isOpaque(auth)) return findings.unknown("clientAuthentication");
        if (auth === undefined || auth === null) {
            return findings.violation(`${name} sets no clientAuthentication: any client that reaches a broker connects unauthenticated.`);
        }
        findings.require(
            at(auth, "unauthenticated"),
            (value) => truthy(value) !== true,
            `${name} allows unauthenticated access (clientAuthentication.unauthenticated).`,
            "clientAuthentication.unauthenticated",
        );
        const found = anyOn(mechanisms(auth));
        if (found === "unknown") findings.unknown("clientAuthentication mechanisms");
        else if (found === "no")
            findings.violation(`${name} turns on no client authentication (sasl.iam, sasl.scram or tls.certificateAuthorityArns).`);
    },
});

export const mskPublicAccessDisabled = resourceRule({
    name: "msk-public-access-disabled",
    description: "MSK brokers are not reachable from the internet: brokerNodeGroupInfo.connectivityInfo.publicAccess.type is DISABLED (or unset).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: T.mskCluster,
    references: { checkov: ["CKV_AWS_291"], securityHub: ["MSK.4"] },
    check: (resource, findings) => {
        findings.require(
            at(resource.props, "brokerNodeGroupInfo", "connectivityInfo", "publicAccess", "type"),
            (type) => type === undefined || type === null || type === "DISABLED",
            `${label(resource)} gives its brokers public addresses (connectivityInfo.publicAccess.type must be DISABLED).`,
            "brokerNodeGroupInfo.connectivityInfo.publicAccess.type",
        );
    },
});

/** The broker-log destinations and the input that names where each one delivers. */
const LOG_DESTINATIONS: readonly [string, string][] = [
    ["cloudwatchLogs", "logGroup"],
    ["firehose", "deliveryStream"],
    ["s3", "bucket"],
];

function logDestination(brokerLogs: Read, destination: string, target: string): boolean | "unknown" {
    const enabled = isOn(at(brokerLogs, destination, "enabled"));
    if (enabled !== true) return enabled;
    const where = at(brokerLogs, destination, target);
    return isOpaque(where) ? "unknown" : isSet(where);
}

export const mskBrokerLogging = resourceRule({
    name: "msk-broker-logging",
    description:
        "MSK clusters deliver broker logs: loggingInfo.brokerLogs enables CloudWatch Logs (with a log group), Firehose (with a stream) or S3 (with a bucket).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: T.mskCluster,
    references: { checkov: ["CKV_AWS_80"], securityHub: [] },
    check: (resource, findings) => {
        const brokerLogs = at(resource.props, "loggingInfo", "brokerLogs");
        if (isOpaque(brokerLogs)) return findings.unknown("loggingInfo.brokerLogs");
        const found = anyOn(LOG_DESTINATIONS.map(([destination, target]) => logDestination(brokerLogs, destination, target)));
        if (found === "unknown") findings.unknown("loggingInfo.brokerLogs");
        else if (found === "no") {
            findings.violation(
                `${label(resource)} delivers no broker logs (loggingInfo.brokerLogs: cloudwatchLogs, firehose or s3, enabled with a destination).`,
            );
        }
    },
});

/** Levels Security Hub MSK.2 accepts (DEFAULT and PER_BROKER fail it). */
export const MSK_MONITORING_LEVELS = ["PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"];

export const mskEnhancedMonitoring = resourceRule<{ allowedLevels: string[] }>({
    name: "msk-enhanced-monitoring",
    description:
        "MSK clusters send per-topic CloudWatch metrics: enhancedMonitoring is PER_TOPIC_PER_BROKER or PER_TOPIC_PER_PARTITION (absent means DEFAULT).",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: T.mskCluster,
    references: { checkov: [], securityHub: ["MSK.2"] },
    parameters: {
        schema: { allowedLevels: { type: "array", items: { type: "string" } } },
        defaults: { allowedLevels: MSK_MONITORING_LEVELS },
    },
    check: (resource, findings, config) => {
        const level = at(resource.props, "enhancedMonitoring");
        findings.require(
            level,
            (value) => config.allowedLevels.includes(typeof value === "string" ? value : "DEFAULT"),
            `${label(resource)} monitors at ${typeof level === "string" ? level : "DEFAULT"}; allowed: ${config.allowedLevels.join(", ")}.`,
            "enhancedMonitoring",
        );
    },
});

/** The streaming rules. */
export const streamingPolicies: readonly PackPolicy[] = [mskClientAuthentication, mskPublicAccessDisabled, mskBrokerLogging, mskEnhancedMonitoring];
