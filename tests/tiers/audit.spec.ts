import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_RULES, AlarmKind, CONNECTIONS_SHARE, alarmSpecs, brokerIdsOf, statisticInputs } from "../../components/audit/alarms";
import {
    Audit,
    AuditArgs,
    BUDGET_ALERTS,
    CLOUDTRAIL_PREFIX,
    cloudTrailDeliveryStatements,
    cloudTrailLogsStatements,
    trailArnOf,
    trailLogGroupName,
    trailName,
} from "../../components/audit/audit";
import { AuditConfig, auditProblems, auditSchema } from "../../components/audit/config";
import { Naming } from "../../components/shared/naming";
import { toDeploymentResources } from "../../tools/deployment";
import { RecordedResource } from "../../tools/mock-cloud";
import { loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { TYPE } from "../../policy-pack/policies/types";
import { inputsOf, jsonInput, named, ofType } from "../support/helpers";

const ACCOUNT = "123456789012";
const REGION = "us-east-2";
const AUDIT_KEY = "arn:aws:kms:us-east-2:123456789012:key/55555555-5555-4555-a555-555555555555";
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/66666666-6666-4666-a666-666666666666";
const LOG_BUCKET = { name: "test-access-logs-1a2b3c4d", arn: "arn:aws:s3:::test-access-logs-1a2b3c4d" };
const EMAIL = "platform-alerts@example.com";
const CTX = { partition: "aws", account: ACCOUNT, region: REGION };

const TRAIL = TYPE.cloudtrailTrail;
const BUDGET = TYPE.budgetsBudget;
const ALARM = TYPE.cloudwatchMetricAlarm;
const TOPIC = TYPE.snsTopic;

const TARGETS = {
    database: { instanceIdentifier: "test-postgres", maxConnections: 200 },
    loadBalancer: { arnSuffix: "app/test-web/0123456789abcdef", targetGroupArnSuffix: "targetgroup/test-web/fedcba9876543210" },
    ecsServices: [{ clusterName: "test-data-processing-cluster", serviceName: "test-data-processing-service" }],
    streaming: { clusterName: "test-kafka", brokerCount: 2 },
} as const;

function audit(section: Record<string, unknown>): AuditConfig {
    return auditSchema.parse(section);
}

const EVERYTHING = { cloudTrail: true, cloudTrailToCloudWatch: true, budget: true, alarms: true, alertEmail: EMAIL };

function resolve<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((done) => pulumi.output(value).apply((resolved) => done(resolved as T)));
}

interface AuditRun {
    readonly run: ProgramRun;
    readonly component: Audit;
}

async function runAudit(section: Record<string, unknown>, overrides: Partial<AuditArgs> = {}, environment = "test"): Promise<AuditRun> {
    let component: Audit | undefined;
    const run = await runProgram({
        stack: environment,
        config: { "aws:region": REGION },
        program: () => {
            component = new Audit("t-audit", {
                naming: new Naming(environment),
                config: audit(section),
                region: REGION,
                logBucket: LOG_BUCKET,
                keys: { audit: AUDIT_KEY, logs: LOGS_KEY },
                budgetMonthlyUsd: 250,
                ...TARGETS,
                protect: false,
                ...overrides,
            });
        },
    });
    assert.ok(component);
    return { run, component };
}

function statements(resource: RecordedResource, key = "policy"): any[] {
    return jsonInput(resource, key).Statement;
}

describe("audit tier", () => {
    describe("everything on", () => {
        let tier: AuditRun;
        before(async () => {
            tier = await runAudit(EVERYTHING);
        });

        it("is the component data-platform:audit:Audit", () => {
            assert.ok(tier.run.resources.some((resource) => resource.type === "data-platform:audit:Audit" && resource.name === "t-audit"));
        });

        it("builds a multi-region trail with global service events, log-file validation and the audit key", () => {
            const trail = inputsOf(named(tier.run, TRAIL, "-trail"));
            assert.strictEqual(trail.name, "test-trail");
            assert.strictEqual(trail.isMultiRegionTrail, true);
            assert.strictEqual(trail.includeGlobalServiceEvents, true);
            assert.strictEqual(trail.enableLogFileValidation, true);
            assert.strictEqual(trail.enableLogging, true);
            assert.strictEqual(trail.kmsKeyId, AUDIT_KEY);
            assert.deepStrictEqual(trail.eventSelectors, [{ readWriteType: "All", includeManagementEvents: true }]);
            assert.strictEqual(trail.tags.Tier, "audit");
        });

        it("delivers the trail into the access-log bucket under cloudtrail/", () => {
            const trail = inputsOf(named(tier.run, TRAIL, "-trail"));
            assert.strictEqual(trail.s3BucketName, LOG_BUCKET.name);
            assert.strictEqual(trail.s3KeyPrefix, CLOUDTRAIL_PREFIX);
            assert.strictEqual(CLOUDTRAIL_PREFIX, "cloudtrail");
        });

        it("delivers to a CloudWatch Logs group with retention and the logs key, through its own role", () => {
            const group = named(tier.run, TYPE.cloudwatchLogGroup, "-trail-logs");
            assert.deepStrictEqual(
                [inputsOf(group).name, inputsOf(group).retentionInDays, inputsOf(group).kmsKeyId],
                ["/aws/cloudtrail/test-trail", 365, LOGS_KEY],
            );
            const trail = named(tier.run, TRAIL, "-trail");
            const role = named(tier.run, TYPE.iamRole, "-trail-logs-role");
            assert.strictEqual(inputsOf(trail).cloudWatchLogsGroupArn, `${group.outputs.arn}:*`);
            assert.strictEqual(inputsOf(trail).cloudWatchLogsRoleArn, role.outputs.arn);
            assert.deepStrictEqual(statements(role, "assumeRolePolicy"), [
                { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const streams = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/test-trail:log-stream:${ACCOUNT}_CloudTrail_*`;
            assert.deepStrictEqual(statements(named(tier.run, TYPE.iamRolePolicy, "-trail-logs-policy")), [
                { Sid: "CloudTrailCreateLogStream", Effect: "Allow", Action: "logs:CreateLogStream", Resource: streams },
                { Sid: "CloudTrailPutLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: streams },
            ]);
            const policy = named(tier.run, TYPE.iamRolePolicy, "-trail-logs-policy");
            assert.ok(trail.dependencies.includes(policy.urn), "CloudTrail checks the role's permissions when the trail is created");
        });

        it("builds a monthly COST budget of budgetMonthlyUsd for the whole account", () => {
            const budget = inputsOf(named(tier.run, BUDGET, "-budget"));
            assert.deepStrictEqual(
                [budget.name, budget.budgetType, budget.timeUnit, budget.limitAmount, budget.limitUnit, budget.costFilters],
                ["test-monthly-budget", "COST", "MONTHLY", "250", "USD", undefined],
            );
            assert.strictEqual(budget.tags.Environment, "test");
        });

        it("emails alertEmail at 80% and 100% of actual and 100% of forecast spend", () => {
            const budget = inputsOf(named(tier.run, BUDGET, "-budget"));
            assert.deepStrictEqual(budget.notifications, [
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 80,
                    thresholdType: "PERCENTAGE",
                    notificationType: "ACTUAL",
                    subscriberEmailAddresses: [EMAIL],
                },
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    notificationType: "ACTUAL",
                    subscriberEmailAddresses: [EMAIL],
                },
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    notificationType: "FORECASTED",
                    subscriberEmailAddresses: [EMAIL],
                },
            ]);
            assert.strictEqual(BUDGET_ALERTS.length, 3);
        });

        it("encrypts the alarm topic with the audit key and subscribes alertEmail", () => {
            const topic = named(tier.run, TOPIC, "-alarm-topic");
            assert.strictEqual(inputsOf(topic).name, "test-alarms");
            assert.strictEqual(inputsOf(topic).kmsMasterKeyId, AUDIT_KEY);
            const subscription = inputsOf(named(tier.run, TYPE.snsTopicSubscription, "-alarm-email"));
            assert.deepStrictEqual([subscription.topic, subscription.protocol, subscription.endpoint], [topic.outputs.arn, "email", EMAIL]);
        });

        it("lets only this account's CloudWatch alarms publish to the topic", () => {
            const topic = named(tier.run, TOPIC, "-alarm-topic");
            const policy = named(tier.run, TYPE.snsTopicPolicy, "-alarm-topic-policy");
            assert.strictEqual(inputsOf(policy).arn, topic.outputs.arn);
            assert.deepStrictEqual(statements(policy), [
                {
                    Sid: "CloudWatchAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: topic.outputs.arn,
                    Condition: {
                        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` },
                        StringEquals: { "aws:SourceAccount": ACCOUNT },
                    },
                },
            ]);
        });

        const expected: [string, AlarmKind, Record<string, string>, number?][] = [
            ["test-database-cpu", "databaseCpu", { DBInstanceIdentifier: "test-postgres" }],
            ["test-database-free-storage", "databaseFreeStorage", { DBInstanceIdentifier: "test-postgres" }],
            ["test-database-connections", "databaseConnections", { DBInstanceIdentifier: "test-postgres" }, 160],
            ["test-alb-5xx", "loadBalancer5xx", { LoadBalancer: TARGETS.loadBalancer.arnSuffix }],
            [
                "test-alb-target-5xx",
                "target5xx",
                { LoadBalancer: TARGETS.loadBalancer.arnSuffix, TargetGroup: TARGETS.loadBalancer.targetGroupArnSuffix },
            ],
            [
                "test-alb-target-response-time",
                "targetResponseTime",
                { LoadBalancer: TARGETS.loadBalancer.arnSuffix, TargetGroup: TARGETS.loadBalancer.targetGroupArnSuffix },
            ],
            [
                "test-data-processing-service-cpu",
                "serviceCpu",
                { ClusterName: "test-data-processing-cluster", ServiceName: "test-data-processing-service" },
            ],
            [
                "test-data-processing-service-memory",
                "serviceMemory",
                { ClusterName: "test-data-processing-cluster", ServiceName: "test-data-processing-service" },
            ],
            ["test-msk-broker-1-disk", "brokerDisk", { "Cluster Name": "test-kafka", "Broker ID": "1" }],
            ["test-msk-broker-2-disk", "brokerDisk", { "Cluster Name": "test-kafka", "Broker ID": "2" }],
        ];

        it("builds one alarm per metric and broker, named `${env}-<what>`", () => {
            assert.deepStrictEqual(
                ofType(tier.run, ALARM)
                    .map((alarm) => inputsOf(alarm).name)
                    .sort(),
                expected.map(([name]) => name).sort(),
            );
        });

        for (const [name, kind, dimensions, threshold] of expected) {
            it(`${name}: ${ALARM_RULES[kind].metricName} from the table, to the topic on ALARM and OK`, () => {
                const alarm = inputsOf(ofType(tier.run, ALARM).find((candidate) => inputsOf(candidate).name === name)!);
                const rule = ALARM_RULES[kind];
                const topicArn = named(tier.run, TOPIC, "-alarm-topic").outputs.arn;
                assert.deepStrictEqual(
                    {
                        namespace: alarm.namespace,
                        metricName: alarm.metricName,
                        dimensions: alarm.dimensions,
                        statistic: alarm.statistic ?? alarm.extendedStatistic,
                        comparisonOperator: alarm.comparisonOperator,
                        threshold: alarm.threshold,
                        period: alarm.period,
                        evaluationPeriods: alarm.evaluationPeriods,
                        datapointsToAlarm: alarm.datapointsToAlarm,
                        treatMissingData: alarm.treatMissingData,
                    },
                    {
                        namespace: rule.namespace,
                        metricName: rule.metricName,
                        dimensions,
                        statistic: rule.statistic,
                        comparisonOperator: rule.comparisonOperator,
                        threshold: threshold ?? rule.threshold,
                        period: rule.period,
                        evaluationPeriods: rule.evaluationPeriods,
                        datapointsToAlarm: rule.evaluationPeriods,
                        treatMissingData: rule.treatMissingData,
                    },
                );
                assert.deepStrictEqual([alarm.actionsEnabled, alarm.alarmActions, alarm.okActions], [true, [topicArn], [topicArn]]);
                assert.strictEqual(alarm.alarmDescription, rule.summary);
                assert.strictEqual(alarm.tags.Tier, "audit");
            });
        }

        it("outputs the trail ARN, the alarm topic ARN and the budget name", async () => {
            assert.strictEqual(await resolve(tier.component.trailArn!), named(tier.run, TRAIL, "-trail").outputs.arn);
            assert.strictEqual(await resolve(tier.component.alarmTopicArn!), named(tier.run, TOPIC, "-alarm-topic").outputs.arn);
            assert.strictEqual(await resolve(tier.component.budgetName!), "test-monthly-budget");
        });

        it("does not protect the trail or its logs outside prod", () => {
            for (const resource of [named(tier.run, TRAIL, "-trail"), named(tier.run, TYPE.cloudwatchLogGroup, "-trail-logs")]) {
                assert.deepStrictEqual([resource.protect, resource.retainOnDelete], [false, false]);
            }
        });

        it("passes every pack rule, its own included, at the strictest level", () => {
            const config = { ...loadPackConfig("prod"), "cloudwatch-alarm-actions": "mandatory" } as const;
            const findings = runPolicies(toDeploymentResources(tier.run), config, "test");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });
    });

    describe("per config", () => {
        it("builds nothing with the defaults (and exports nothing)", async () => {
            const { run, component } = await runAudit({});
            assert.deepStrictEqual(
                run.resources.filter((resource) => resource.custom).map((resource) => resource.type),
                [],
            );
            assert.deepStrictEqual([component.trailArn, component.alarmTopicArn, component.budgetName], [undefined, undefined, undefined]);
        });

        it("staging (alarms and budget, no trail): no trail, no trail role or log group", async () => {
            const { run } = await runAudit({ budget: true, alarms: true, alertEmail: EMAIL });
            assert.deepStrictEqual(
                [ofType(run, TRAIL).length, ofType(run, TYPE.cloudwatchLogGroup).length, ofType(run, TYPE.iamRole).length],
                [0, 0, 0],
            );
            assert.strictEqual(ofType(run, BUDGET).length, 1);
            assert.strictEqual(ofType(run, ALARM).length, 10);
        });

        it("a trail without CloudWatch delivery has no log group, role or CloudWatch inputs", async () => {
            const { run } = await runAudit({ cloudTrail: true });
            const trail = inputsOf(named(run, TRAIL, "-trail"));
            assert.deepStrictEqual([trail.cloudWatchLogsGroupArn, trail.cloudWatchLogsRoleArn], [undefined, undefined]);
            assert.deepStrictEqual([ofType(run, TYPE.cloudwatchLogGroup).length, ofType(run, TYPE.iamRole).length], [0, 0]);
        });

        it("prod protects the trail and its log group and retains them on delete", async () => {
            const { run } = await runAudit(EVERYTHING, { protect: true }, "prod");
            for (const resource of [named(run, TRAIL, "-trail"), named(run, TYPE.cloudwatchLogGroup, "-trail-logs")]) {
                assert.deepStrictEqual([resource.protect, resource.retainOnDelete], [true, true], resource.name);
            }
            assert.strictEqual(inputsOf(named(run, TRAIL, "-trail")).name, "prod-trail");
        });

        it("budgetScope environmentTag counts only costs tagged with the environment", async () => {
            const { run } = await runAudit({ budget: true, budgetScope: "environmentTag", alertEmail: EMAIL }, {}, "staging");
            assert.deepStrictEqual(inputsOf(named(run, BUDGET, "-budget")).costFilters, [
                { name: "TagKeyValue", values: ["user:Environment$staging"] },
            ]);
        });

        it("alarms only on what the stack has: a topic without targets, one alarm set per target given", async () => {
            const bare = await runAudit(
                { alarms: true, alertEmail: EMAIL },
                { database: undefined, loadBalancer: undefined, ecsServices: undefined, streaming: undefined },
            );
            assert.deepStrictEqual([ofType(bare.run, TOPIC).length, ofType(bare.run, ALARM).length], [1, 0]);
            const database = await runAudit(
                { alarms: true, alertEmail: EMAIL },
                { loadBalancer: undefined, ecsServices: undefined, streaming: undefined },
            );
            assert.strictEqual(ofType(database.run, ALARM).length, 3);
        });

        it("uses the table's absolute connections threshold without max_connections", () => {
            const specs = alarmSpecs({ database: { instanceIdentifier: "db" } }, (purpose) => `x-${purpose}`);
            assert.strictEqual(specs.find((spec) => spec.kind === "databaseConnections")!.threshold, ALARM_RULES.databaseConnections.threshold);
            assert.strictEqual(CONNECTIONS_SHARE, 0.8);
        });

        it("alarms on the listed broker ids, or 1..brokerCount", () => {
            assert.deepStrictEqual(brokerIdsOf({ clusterName: "k", brokerIds: [3, 4] }), [3, 4]);
            assert.deepStrictEqual(brokerIdsOf({ clusterName: "k", brokerCount: 3 }), [1, 2, 3]);
            assert.throws(() => brokerIdsOf({ clusterName: "k" }), /brokerIds or a brokerCount/);
        });

        it("sends percentiles as extendedStatistic", () => {
            assert.deepStrictEqual(statisticInputs("p95"), { extendedStatistic: "p95" });
            assert.deepStrictEqual(statisticInputs("Average"), { statistic: "Average" });
        });

        const missing: [string, Record<string, unknown>, Partial<AuditArgs>, RegExp][] = [
            ["a trail without the log bucket", { cloudTrail: true }, { logBucket: undefined }, /logBucket/],
            ["a trail without the audit key", { cloudTrail: true }, { keys: { logs: LOGS_KEY } }, /keys\.audit/],
            ["alarms without the audit key", { alarms: true, alertEmail: EMAIL }, { keys: {} }, /keys\.audit/],
            ["a budget without its amount", { budget: true, alertEmail: EMAIL }, { budgetMonthlyUsd: undefined }, /budgetMonthlyUsd/],
        ];
        for (const [title, section, overrides, message] of missing) {
            it(`refuses ${title} before registering anything`, async () => {
                await assert.rejects(runAudit(section, overrides), message);
            });
        }
    });

    describe("what other tiers need", () => {
        it("cloudTrailDeliveryStatements: the bucket's ACL check and the write under <prefix>/AWSLogs/<account>/, only for this trail", async () => {
            const resolved = await resolve(pulumi.output(cloudTrailDeliveryStatements(LOG_BUCKET, CLOUDTRAIL_PREFIX, "test-trail", CTX)));
            const source = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/test-trail`;
            assert.deepStrictEqual(resolved, [
                {
                    Sid: "CloudTrailAclCheck",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:GetBucketAcl",
                    Resource: LOG_BUCKET.arn,
                    Condition: { StringEquals: { "aws:SourceArn": source } },
                },
                {
                    Sid: "CloudTrailWrite",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${LOG_BUCKET.arn}/cloudtrail/AWSLogs/${ACCOUNT}/*`,
                    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": source } },
                },
            ]);
        });

        it("the statements name the trail the tier builds (its name is known before the trail exists)", async () => {
            const { run } = await runAudit({ cloudTrail: true });
            const naming = new Naming("test");
            const trail = named(run, TRAIL, "-trail");
            assert.strictEqual(inputsOf(trail).name, trailName(naming));
            assert.strictEqual(await resolve(trailArnOf(trailName(naming), CTX)), trail.outputs.arn);
            assert.strictEqual(trailLogGroupName(naming), "/aws/cloudtrail/test-trail");
            assert.strictEqual((await resolve(pulumi.output(cloudTrailLogsStatements("/x", CTX))))[0].Action, "logs:CreateLogStream");
        });
    });

    describe("data-platform:audit section", () => {
        it("defaults: nothing on, account scope, 365-day trail logs", () => {
            assert.deepStrictEqual(audit({}), {
                cloudTrail: false,
                cloudTrailToCloudWatch: false,
                logRetentionDays: 365,
                budget: false,
                budgetScope: "account",
                alarms: false,
            });
        });

        const refusals: [string, Record<string, unknown>, string, RegExp][] = [
            ["alarms without alertEmail", { alarms: true }, "alertEmail", /required with alarms: true/],
            ["a budget without alertEmail", { budget: true }, "alertEmail", /required with budget: true/],
            ["both without alertEmail", { budget: true, alarms: true }, "alertEmail", /required with budget: true and alarms: true/],
            ["an alertEmail that is no address", { alarms: true, alertEmail: "ops at example" }, "alertEmail", /email address/],
            ["CloudWatch delivery without a trail", { cloudTrailToCloudWatch: true }, "cloudTrailToCloudWatch", /needs cloudTrail: true/],
            ["a retention CloudWatch Logs does not offer", { logRetentionDays: 100 }, "logRetentionDays", /one of 1, 3, 5/],
            ["an unknown budget scope", { budgetScope: "tag" }, "budgetScope", /account|environmentTag/],
            ["an unknown key", { budgetMonthlyUsd: 100 }, "", /budgetMonthlyUsd/],
        ];
        for (const [title, section, key, message] of refusals) {
            it(`refuses ${title}, naming ${key || "the key"}`, () => {
                const result = auditSchema.safeParse(section);
                assert.ok(!result.success, "should be refused");
                const issue = result.error.issues.find((candidate) => key === "" || candidate.path.join(".") === key);
                assert.ok(issue, `an issue at ${key}: ${JSON.stringify(result.error.issues)}`);
                assert.match(issue.message + JSON.stringify(issue), message);
            });
        }

        it("auditProblems: a budget needs data-platform:budget.monthlyUsd, the trail and the alarms need encryption.kms", () => {
            const problems = auditProblems(audit({ cloudTrail: true, budget: true, alarms: true, alertEmail: EMAIL }), { kms: false }, {});
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [
                    ["budget", "monthlyUsd"],
                    ["audit", "cloudTrail"],
                    ["audit", "alarms"],
                ],
            );
            assert.match(problems[0].message, /required by audit\.budget: true/);
            assert.match(problems[1].message, /needs encryption\.kms: true/);
            assert.deepStrictEqual(
                auditProblems(audit({ cloudTrail: true, budget: true, alarms: true, alertEmail: EMAIL }), { kms: true }, { monthlyUsd: 300 }),
                [],
            );
        });
    });
});
