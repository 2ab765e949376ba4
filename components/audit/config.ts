import { z } from "zod";
import { USER_VALUE, logRetentionDays } from "../shared/config-fields";

/**
 * What the AWS budget counts: every cost of the account, or only what carries this stack's
 * `Environment` tag (a cost allocation tag the account must activate in Billing first, or the
 * filtered budget sees nothing and never alerts).
 */
export const BUDGET_SCOPES = ["account", "environmentTag"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/** `data-platform:audit`: CloudTrail, the AWS budget and the CloudWatch alarms. */
export const auditSchema = z
    .strictObject({
        cloudTrail: z
            .boolean()
            .default(false)
            .describe(
                "a multi-region CloudTrail trail (management events, global service events, log-file validation, KMS with the audit key) into the access-log bucket; prod turns it on",
            ),
        cloudTrailToCloudWatch: z
            .boolean()
            .default(false)
            .describe("also deliver the trail to a CloudWatch Logs group (needs cloudTrail; CloudWatch Logs bills the ingestion per GB)"),
        logRetentionDays: logRetentionDays.default(365).describe("retention of the trail's CloudWatch Logs group (with cloudTrailToCloudWatch)"),
        budget: z
            .boolean()
            .default(false)
            .describe(
                "an AWS Budgets monthly cost budget of data-platform:budget.monthlyUsd, emailing alertEmail at 80% and 100% of actual and 100% of forecast spend",
            ),
        budgetScope: z
            .enum(BUDGET_SCOPES)
            .default("account")
            .describe(
                "what the budget counts: account (all costs of the account) or environmentTag (costs tagged Environment=<environment>; activate the Environment cost allocation tag in Billing first)",
            ),
        alarms: z
            .boolean()
            .default(false)
            .describe(
                "CloudWatch alarms on the stack's database, load balancer, ECS services and Kafka brokers, to an SNS topic encrypted with the audit key that emails alertEmail",
            ),
        alertEmail: z
            .email("expected an email address (name@example.com)")
            .optional()
            .describe(
                "address that receives the budget alerts and the alarm emails; required with budget or alarms (SNS sends a confirmation email first: confirm it once)",
            )
            .meta(USER_VALUE),
    })
    .superRefine((audit, ctx) => {
        const wanting = [audit.budget ? "budget: true" : undefined, audit.alarms ? "alarms: true" : undefined].filter(Boolean);
        if (wanting.length > 0 && audit.alertEmail === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["alertEmail"],
                message: `required with ${wanting.join(" and ")}: the address the budget and alarm emails go to (name@example.com)`,
            });
        }
        if (audit.cloudTrailToCloudWatch && !audit.cloudTrail) {
            ctx.addIssue({
                code: "custom",
                path: ["cloudTrailToCloudWatch"],
                message: "needs cloudTrail: true (it delivers the trail's events to CloudWatch Logs)",
            });
        }
    });

export type AuditConfig = z.infer<typeof auditSchema>;

type Problem = { path: (string | number)[]; message: string };

/**
 * What the audit section needs from the rest of the stack config: the budget's amount is the
 * `data-platform:budget.monthlyUsd` the plan's estimate is checked against (one number for both), and
 * the trail and the alarm topic are encrypted with the audit key, which exists only with encryption.kms.
 */
export function auditProblems(audit: AuditConfig, encryption: { readonly kms: boolean }, budget: { readonly monthlyUsd?: number }): Problem[] {
    const problems: Problem[] = [];
    if (audit.budget && budget.monthlyUsd === undefined) {
        problems.push({
            path: ["budget", "monthlyUsd"],
            message:
                "required by audit.budget: true: the AWS budget's monthly limit in USD (the same number the plan's cost estimate is checked against)",
        });
    }
    for (const key of ["cloudTrail", "alarms"] as const) {
        if (audit[key] && !encryption.kms) {
            problems.push({
                path: ["audit", key],
                message: `needs encryption.kms: true: ${key === "cloudTrail" ? "the trail's log files are" : "the alarm topic is"} encrypted with the audit KMS key`,
            });
        }
    }
    return problems;
}
