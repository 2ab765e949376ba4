import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, PolicyStatement } from "../shared/iam";
import { Naming } from "../shared/naming";

/**
 * The web ACL's rules and the log delivery it needs: pure builders, the Edge component creates the
 * resources. Capacity: the common rule set is 700 WCU, known bad inputs 200, SQL injection 200 and a
 * rate-based rule 2 (AWS managed rule groups list, "Baseline rule groups" / "Use-case specific rule
 * groups"): 1,102 WCU, under the 1,500 WCU a web ACL includes in its base price.
 */

/** The AWS managed rule groups every web ACL runs, in evaluation order after the rate limit. */
export const WAF_MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** Name (and metric name) of the rate-based rule. */
export const WAF_RATE_RULE = "rate-limit-per-ip";

/** WAF sends logs only to destinations whose name starts with this (CloudWatch log group, bucket or stream). */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/** The WAF's log group, `aws-waf-logs-<env>`. */
export function wafLogGroupName(naming: Naming): string {
    return `${WAF_LOG_PREFIX}${naming.environment}`;
}

/** CloudWatch metric names: letters, digits, `-` and `_` (WAF refuses others and reserved names like "All"). */
export function metricName(...parts: string[]): string {
    return parts.join("-").replace(/[^A-Za-z0-9_-]/g, "-");
}

function visibility(name: string): aws.types.input.wafv2.WebAclRuleVisibilityConfig {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name };
}

/**
 * The rate limit first (priority 0: a flood is blocked before the managed groups inspect it), then
 * each managed rule group with its own actions (overrideAction none: their rules block).
 */
export function webAclRules(naming: Naming, rateLimit: number): aws.types.input.wafv2.WebAclRule[] {
    return [
        {
            name: WAF_RATE_RULE,
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(metricName(naming.environment, WAF_RATE_RULE)),
        },
        ...WAF_MANAGED_RULE_GROUPS.map((group, index): aws.types.input.wafv2.WebAclRule => ({
            name: `AWS-${group}`,
            priority: (index + 1) * 10,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(metricName(naming.environment, group)),
        })),
    ];
}

/** The web ACL's own metrics (requests it allows by default). */
export function webAclVisibility(naming: Naming): aws.types.input.wafv2.WebAclVisibilityConfig {
    return visibility(metricName(naming.name("web-acl")));
}

/** Headers the WAF logs never record: credentials and session cookies. */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie"] as const;

/**
 * The CloudWatch Logs resource policy WAF's log delivery (delivery.logs.amazonaws.com) needs to write
 * into the WAF log group: create streams and put events in that group only, for deliveries this
 * account makes in this region. Managed here (as the provider's WebAclLoggingConfiguration docs
 * recommend) rather than left to WAF, which otherwise grows one shared `AWSWAF-LOGS` policy for every
 * web ACL of the account until it hits the policy size limit. Shape: AWS WAF developer guide,
 * "Sending web ACL traffic logs to an Amazon CloudWatch Logs log group", permissions section.
 */
export function wafLogDeliveryStatements(logGroupArn: pulumi.Input<string>, ctx: AccountContext): PolicyStatement[] {
    return [
        {
            Sid: "WafLogDelivery",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroupArn}:log-stream:*`,
            Condition: {
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:*` },
                StringEquals: { "aws:SourceAccount": ctx.account },
            },
        },
    ];
}
