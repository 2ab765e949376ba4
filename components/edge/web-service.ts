import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { catalogReadStatements } from "../etl/etl";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, keyUseVia } from "../shared/iam";
import { Naming } from "../shared/naming";
import { ASSETS_DIR } from "../shared/paths";
import { PORTS } from "../shared/ports";
import { BucketRef } from "../shared/refs";
import { WebServiceConfig } from "./config";

/**
 * The web service behind the ALB (assets/images/web): what its task runs, what its role may read and
 * how it scales. Pure builders; the Edge component creates the resources.
 */

/** The image's build context (the registry tier builds it as the `web` repository). */
export const WEB_IMAGE_DIR = path.join(ASSETS_DIR, "images", "web");

/** Container name inside the task; the target group forwards to it. */
export const WEB_CONTAINER = "web";
/** Task family and service purpose: `${env}-web`, `${env}-web-service`. */
export const WEB_FAMILY = "web";
/** The app port: the target group's, the container's, the firewall's app ingress from the web group. */
export const WEB_PORT = PORTS.appHttp.from;
/** The path the ALB and the container health check ask; it answers without calling AWS. */
export const HEALTH_CHECK_PATH = "/healthz";
/** The user the image runs as (its Dockerfile `USER`); the container definition says it again. */
export const WEB_USER = "10001:10001";

/**
 * Where the Glue quality job writes its reports in the data lake (assets/glue/event_schema.py
 * QUALITY_REPORTS_PREFIX): the only part of the lake the service reads.
 */
export const QUALITY_REPORTS_PREFIX = "curated/reporting/data-quality/";

/** Seconds the ALB waits for in-flight requests of a deregistered task (default 300; the app answers in well under a second). */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** Seconds ECS ignores failed ALB health checks of a new task (the app starts in about a second). */
export const HEALTH_CHECK_GRACE_SECONDS = 60;
/** Scale out fast, scale in slowly (target tracking cooldowns, seconds). */
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;

export interface WebContainerInputs {
    readonly image: string;
    readonly environment: string;
    readonly region: string;
    readonly logGroupName: string;
    /** The data lake bucket with the quality reports; absent, the service has no report page. */
    readonly bucket?: string;
    /** The Glue catalog database; absent, the service has no table page. */
    readonly database?: string;
}

/** Variables the program reads (assets/images/web/server.py); S3_BUCKET and GLUE_DATABASE only for what the stack has. */
export function webEnvironment(inputs: WebContainerInputs): Record<string, string> {
    return {
        ENVIRONMENT: inputs.environment,
        ...(inputs.bucket === undefined ? {} : { S3_BUCKET: inputs.bucket, QUALITY_REPORTS_PREFIX }),
        ...(inputs.database === undefined ? {} : { GLUE_DATABASE: inputs.database }),
        PORT: String(WEB_PORT),
        AWS_REGION: inputs.region,
        AWS_DEFAULT_REGION: inputs.region,
    };
}

/**
 * The one container: non-root, read-only root filesystem (the program writes nothing), no privilege,
 * every Linux capability dropped, no secrets (it reads only what its role allows), a health check
 * that asks /healthz from inside the container, logs to its own group.
 */
export function webContainerDefinition(inputs: WebContainerInputs): Record<string, unknown> {
    return {
        name: WEB_CONTAINER,
        image: inputs.image,
        essential: true,
        user: WEB_USER,
        portMappings: [{ containerPort: WEB_PORT, hostPort: WEB_PORT, protocol: "tcp", name: "http" }],
        environment: Object.entries(webEnvironment(inputs)).map(([name, value]) => ({ name, value })),
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
        healthCheck: {
            command: ["CMD", "python", "/app/server.py", "--healthcheck"],
            interval: 30,
            timeout: 5,
            retries: 3,
            startPeriod: 15,
        },
        stopTimeout: 30,
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": inputs.logGroupName,
                "awslogs-region": inputs.region,
                "awslogs-stream-prefix": WEB_CONTAINER,
            },
        },
        mountPoints: [],
        volumesFrom: [],
    };
}

/**
 * List the quality-report prefix and read the reports under it, nothing else of the bucket
 * (bucketReadStatements in data-lake.ts grants the whole bucket; this service needs one prefix).
 */
export function qualityReportReadStatements(bucket: BucketRef, prefix: string = QUALITY_REPORTS_PREFIX): PolicyStatement[] {
    return [
        {
            Sid: "ListQualityReports",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: bucket.arn,
            Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
        },
        { Sid: "ReadQualityReports", Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${bucket.arn}/${prefix}*` },
    ];
}

/** What the web service serves: the stack's Glue catalog, the lake's quality reports, either or neither. */
export interface WebSources {
    /** List the etl tier's catalog database (`catalogDatabaseName(env)`). */
    readonly catalog: boolean;
    /** The data lake bucket whose quality reports the service shows. */
    readonly dataLake?: BucketRef;
}

/**
 * The task role: the catalog's tables (the etl tier's statements) and the quality reports, plus the
 * storage key through S3 when the lake uses one. Empty when the service serves neither.
 */
export function webTaskStatements(ctx: AccountContext, naming: Naming, sources: WebSources, keys: Partial<KeyArns> = {}): PolicyStatement[] {
    return [
        ...(sources.catalog ? catalogReadStatements(ctx, naming.environment) : []),
        ...(sources.dataLake === undefined
            ? []
            : [...qualityReportReadStatements(sources.dataLake), ...keyUseVia("QualityReportsKey", keys.storage, ["kms:Decrypt"], "s3", ctx.region)]),
    ];
}

/** Application Auto Scaling's id of an ECS service: `service/<cluster name>/<service name>`. */
export function serviceResourceId(clusterArn: pulumi.Input<string>, serviceName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([clusterArn, serviceName]).apply(([arn, name]) => `service/${clusterNameOf(arn)}/${name}`);
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>`. */
export function clusterNameOf(clusterArn: string): string {
    const match = /:cluster\/([^/]+)$/.exec(clusterArn);
    if (!match) throw new Error(`not an ECS cluster ARN: ${clusterArn}`);
    return match[1];
}

/** ALBRequestCountPerTarget's resource label: `app/<alb>/<id>/targetgroup/<tg>/<id>` (both ARN suffixes). */
export function requestCountResourceLabel(
    loadBalancerArnSuffix: pulumi.Input<string>,
    targetGroupArnSuffix: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.interpolate`${loadBalancerArnSuffix}/${targetGroupArnSuffix}`;
}

export type ScalingMetric = "cpu" | "requests";

/** The two target-tracking policies: average CPU and requests per task. */
export function scalingPolicyConfigurations(
    service: WebServiceConfig,
    resourceLabel: pulumi.Input<string>,
): Record<ScalingMetric, aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration> {
    const cooldowns = { scaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS, scaleInCooldown: SCALE_IN_COOLDOWN_SECONDS };
    return {
        cpu: {
            predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            targetValue: service.cpuTargetPercent,
            ...cooldowns,
        },
        requests: {
            predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel },
            targetValue: service.requestsPerTarget,
            ...cooldowns,
        },
    };
}
