import * as pulumi from "@pulumi/pulumi";
import { AccountContext, PolicyStatement } from "../shared/iam";

/**
 * The CloudWatch alarms the audit tier builds from what the stack has, and the one table of their
 * thresholds. Metric names, namespaces and dimensions as AWS publishes them:
 * RDS https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html,
 * ALB https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html,
 * ECS https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html,
 * MSK https://docs.aws.amazon.com/msk/latest/developerguide/metrics-details.html (DEFAULT level, free).
 */

export type AlarmKind =
    | "databaseCpu"
    | "databaseFreeStorage"
    | "databaseConnections"
    | "loadBalancer5xx"
    | "target5xx"
    | "targetResponseTime"
    | "serviceCpu"
    | "serviceMemory"
    | "brokerDisk";

/**
 * How missing data counts, chosen per metric:
 * - `missing`: RDS reports every minute while the instance runs; a gap means it is stopped (the
 *   schedule stops databases off-hours), which is not what these alarms are about.
 * - `notBreaching`: the ALB publishes 5xx counts and response times only when requests arrive, and an
 *   ECS service scaled to zero publishes nothing: no data is a quiet system.
 * - `breaching`: MSK publishes broker disk usage every minute and a broker cannot be stopped; silence
 *   means the broker is unreachable, which must page.
 */
export type MissingData = "missing" | "notBreaching" | "breaching";

export interface AlarmRule {
    readonly namespace: string;
    readonly metricName: string;
    /** `Average`, `Sum`, `Minimum`, `Maximum`, or a percentile (`p95`, sent as extendedStatistic). */
    readonly statistic: string;
    readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    readonly threshold: number;
    /** Seconds per datapoint. */
    readonly period: number;
    /** Datapoints that must breach, all in a row. */
    readonly evaluationPeriods: number;
    readonly treatMissingData: MissingData;
    /** The `${env}-...` suffix of the alarm's name (per-service and per-broker alarms add theirs). */
    readonly purpose: string;
    /** What the alarm means, for its description. */
    readonly summary: string;
}

const GiB = 1024 ** 3;

/** The thresholds. Tune them here; the tests read this table. */
export const ALARM_RULES: Readonly<Record<AlarmKind, AlarmRule>> = {
    databaseCpu: {
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 80,
        period: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        purpose: "database-cpu",
        summary: "database CPU above 80% for 15 minutes",
    },
    databaseFreeStorage: {
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 2 * GiB,
        period: 300,
        evaluationPeriods: 1,
        treatMissingData: "missing",
        purpose: "database-free-storage",
        summary: "database free storage below 2 GiB",
    },
    databaseConnections: {
        namespace: "AWS/RDS",
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        // Used as is without the instance's max_connections; with it, CONNECTIONS_SHARE of it.
        threshold: 100,
        period: 300,
        evaluationPeriods: 2,
        treatMissingData: "missing",
        purpose: "database-connections",
        summary: "database connections near the instance's limit for 10 minutes",
    },
    loadBalancer5xx: {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 10,
        period: 300,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        purpose: "alb-5xx",
        summary: "more than 10 load-balancer 5xx responses in 5 minutes",
    },
    target5xx: {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 10,
        period: 300,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        purpose: "alb-target-5xx",
        summary: "more than 10 target 5xx responses in 5 minutes",
    },
    targetResponseTime: {
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        statistic: "p95",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 2,
        period: 300,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
        purpose: "alb-target-response-time",
        summary: "p95 target response time above 2 seconds for 15 minutes",
    },
    serviceCpu: {
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 85,
        period: 300,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
        purpose: "cpu",
        summary: "ECS service CPU above 85% of its reservation for 15 minutes",
    },
    serviceMemory: {
        namespace: "AWS/ECS",
        metricName: "MemoryUtilization",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 85,
        period: 300,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
        purpose: "memory",
        summary: "ECS service memory above 85% of its reservation for 15 minutes",
    },
    brokerDisk: {
        namespace: "AWS/Kafka",
        metricName: "KafkaDataLogsDiskUsed",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 85,
        period: 300,
        evaluationPeriods: 1,
        treatMissingData: "breaching",
        purpose: "disk",
        summary: "Kafka broker data-log disk above 85% used",
    },
};

/** Share of the database's max_connections the connections alarm fires at. */
export const CONNECTIONS_SHARE = 0.8;

/** The RDS instance to watch. */
export interface DatabaseTarget {
    /** `DBInstanceIdentifier` dimension. */
    readonly instanceIdentifier: pulumi.Input<string>;
    /** The instance's max_connections; without it the connections alarm uses the table's absolute threshold. */
    readonly maxConnections?: number;
}

/** The ALB to watch and its target group. */
export interface LoadBalancerTarget {
    /** The load balancer's `arnSuffix` (`app/<name>/<id>`, the `LoadBalancer` dimension). */
    readonly arnSuffix: pulumi.Input<string>;
    /** The target group's `arnSuffix` (`targetgroup/<name>/<id>`, the `TargetGroup` dimension). */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
}

/** An ECS service to watch. */
export interface EcsServiceTarget {
    readonly clusterName: pulumi.Input<string>;
    /** The service's physical name (`${env}-...`); the alarms are named after it. */
    readonly serviceName: pulumi.Input<string>;
}

/** The MSK cluster to watch, broker by broker. */
export interface StreamingTarget {
    /** The cluster's name (the `Cluster Name` dimension). */
    readonly clusterName: pulumi.Input<string>;
    /** Broker ids (`Broker ID` dimension); MSK numbers brokers from 1, so `brokerCount` gives 1..n. */
    readonly brokerIds?: readonly number[];
    /** Number of brokers, when brokerIds is not given. */
    readonly brokerCount?: number;
}

export interface AlarmTargets {
    readonly database?: DatabaseTarget;
    readonly loadBalancer?: LoadBalancerTarget;
    readonly ecsServices?: readonly EcsServiceTarget[];
    readonly streaming?: StreamingTarget;
}

/** One alarm to build: its rule, logical-name suffix, physical name, dimensions and threshold. */
export interface AlarmSpec {
    readonly kind: AlarmKind;
    readonly rule: AlarmRule;
    /** Logical-name suffix, unique within the tier. */
    readonly key: string;
    /** Physical name `${env}-<what>`. */
    readonly name: pulumi.Input<string>;
    readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
    readonly threshold: number;
}

/** Broker ids of a streaming target (1..brokerCount unless listed). */
export function brokerIdsOf(streaming: StreamingTarget): number[] {
    if (streaming.brokerIds) return [...streaming.brokerIds];
    const count = streaming.brokerCount ?? 0;
    if (!Number.isInteger(count) || count < 1) throw new Error("audit: streaming needs brokerIds or a brokerCount of at least 1");
    return Array.from({ length: count }, (_, index) => index + 1);
}

/** Every alarm the targets call for, in a stable order. `name(purpose)` gives `${env}-<purpose>`. */
export function alarmSpecs(targets: AlarmTargets, name: (purpose: string) => string): AlarmSpec[] {
    const spec = (
        kind: AlarmKind,
        key: string,
        physical: pulumi.Input<string>,
        dimensions: AlarmSpec["dimensions"],
        threshold?: number,
    ): AlarmSpec => ({
        kind,
        rule: ALARM_RULES[kind],
        key,
        name: physical,
        dimensions,
        threshold: threshold ?? ALARM_RULES[kind].threshold,
    });
    const specs: AlarmSpec[] = [];
    const { database, loadBalancer, streaming } = targets;
    if (database) {
        const dimensions = { DBInstanceIdentifier: database.instanceIdentifier };
        specs.push(spec("databaseCpu", "database-cpu", name(ALARM_RULES.databaseCpu.purpose), dimensions));
        specs.push(spec("databaseFreeStorage", "database-free-storage", name(ALARM_RULES.databaseFreeStorage.purpose), dimensions));
        const connections = database.maxConnections === undefined ? undefined : Math.floor(database.maxConnections * CONNECTIONS_SHARE);
        specs.push(spec("databaseConnections", "database-connections", name(ALARM_RULES.databaseConnections.purpose), dimensions, connections));
    }
    if (loadBalancer) {
        const balancer = { LoadBalancer: loadBalancer.arnSuffix };
        const target = { ...balancer, TargetGroup: loadBalancer.targetGroupArnSuffix };
        specs.push(spec("loadBalancer5xx", "alb-5xx", name(ALARM_RULES.loadBalancer5xx.purpose), balancer));
        specs.push(spec("target5xx", "alb-target-5xx", name(ALARM_RULES.target5xx.purpose), target));
        specs.push(spec("targetResponseTime", "alb-target-response-time", name(ALARM_RULES.targetResponseTime.purpose), target));
    }
    (targets.ecsServices ?? []).forEach((service, index) => {
        const dimensions = { ClusterName: service.clusterName, ServiceName: service.serviceName };
        for (const kind of ["serviceCpu", "serviceMemory"] as const) {
            const purpose = ALARM_RULES[kind].purpose;
            specs.push(spec(kind, `ecs-service-${index}-${purpose}`, pulumi.interpolate`${service.serviceName}-${purpose}`, dimensions));
        }
    });
    if (streaming) {
        for (const broker of brokerIdsOf(streaming)) {
            const dimensions = { "Cluster Name": streaming.clusterName, "Broker ID": String(broker) };
            specs.push(spec("brokerDisk", `msk-broker-${broker}-disk`, name(`msk-broker-${broker}-${ALARM_RULES.brokerDisk.purpose}`), dimensions));
        }
    }
    return specs;
}

/** The statistic inputs of a MetricAlarm: percentiles go in extendedStatistic. */
export function statisticInputs(statistic: string): { statistic?: string; extendedStatistic?: string } {
    return /^p\d+(\.\d+)?$/.test(statistic) ? { extendedStatistic: statistic } : { statistic };
}

/**
 * The alarm topic's policy: CloudWatch alarms of this account and region may publish, nothing else
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html, confused-deputy
 * conditions per https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 */
export function alarmTopicStatements(topicArn: pulumi.Input<string>, ctx: AccountContext): PolicyStatement[] {
    return [
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.account}:alarm:*` },
                StringEquals: { "aws:SourceAccount": ctx.account },
            },
        },
    ];
}
