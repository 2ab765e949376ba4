import { PackPolicy, label, resourceRule } from "./rules";
import { TYPE } from "./types";
import { at, isOpaque, list, truthy } from "./values";

/**
 * The audit rules. CloudTrail.1/2/4 are `cloudtrail-trail` (operations.ts) and SNS topic encryption is
 * `sns-topic-kms` (encryption.ts); this file adds what those do not cover.
 */

export const cloudwatchAlarmActions = resourceRule({
    name: "cloudwatch-alarm-actions",
    description:
        "CloudWatch metric alarms notify someone: at least one alarmActions entry (an SNS topic, an Auto Scaling or EC2 action) and actions not switched off (actionsEnabled unset or true). An alarm that changes state silently is a dashboard, not an alarm.",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: [TYPE.cloudwatchMetricAlarm],
    references: { checkov: ["CKV_AWS_319"], securityHub: [], securityHubOther: ["CloudWatch.15", "CloudWatch.17"] },
    check: (resource, findings) => {
        const name = label(resource);
        findings.require(
            at(resource.props, "actionsEnabled"),
            (enabled) => enabled === undefined || enabled === null || truthy(enabled) === true,
            `${name} has its actions switched off (actionsEnabled: false; CloudWatch.17, CKV_AWS_319).`,
            "actionsEnabled",
        );
        const actions = list(resource.props, "alarmActions");
        if (isOpaque(actions)) return findings.unknown("alarmActions");
        if (actions.length === 0) findings.violation(`${name} has no alarmActions: nobody hears when it goes to ALARM (CloudWatch.15).`);
    },
});

export const auditPolicies: readonly PackPolicy[] = [cloudwatchAlarmActions];
