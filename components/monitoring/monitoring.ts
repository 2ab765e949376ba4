import * as pulumi from "@pulumi/pulumi";
import { bucketReadStatements } from "../data-lake/data-lake";
import { ownSecretStatements } from "../secrets/secrets";
import { HostTierArgs, buildHost } from "../shared/host/host";
import { EmbeddedFile, readAsset, renderUserData } from "../shared/host/user-data";
import { Architecture, UNAME_MACHINE, architectureOf } from "../shared/instance-types";
import { BucketRef } from "../shared/refs";
import { PolicyStatement } from "../shared/iam";
import { COMPOSE_PLUGIN, GRAFANA_PASSWORD_SECRET, GRAFANA_UID, GRAFANA_USER_SECRET, MONITORING_DIR } from "./catalog";
import { MonitoringRenderParams, renderMonitoringFiles } from "./render";
import { tunnelUrl } from "../shared/ports";
import { componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

export { COMPOSE_PLUGIN } from "./catalog";

/** CloudWatch APIs the exporter calls; none supports resource-level permissions. */
export const CLOUDWATCH_READ_ACTIONS = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "tag:GetResources"] as const;

/** The systemd unit that runs the compose project (`up -d` at boot, `down` at shutdown). */
export const MONITORING_UNIT = "monitoring-compose.service";

export interface MonitoringHostArgs extends HostTierArgs {
    /** The Grafana secret (`{username, password, url?}`); the only secret the host may read. */
    readonly grafanaSecretArn: pulumi.Input<string>;
    /** Bucket with the S3 server access logs, read by Logstash's S3 input. */
    readonly accessLogsBucket: BucketRef;
}

export interface MonitoringUserDataParams extends MonitoringRenderParams {
    readonly grafanaSecretArn: string;
    /** Defaults to x86_64. */
    readonly architecture?: Architecture;
}

function composeSha256(architecture: Architecture): string {
    const sha = COMPOSE_PLUGIN.sha256[architecture];
    if (sha === undefined) throw new Error(`no pinned sha256 for the Compose plugin ${COMPOSE_PLUGIN.version} on ${architecture}`);
    return sha;
}

/** The monitoring host's user data, with every rendered config file and the compose unit embedded. */
export function renderMonitoringUserData(params: MonitoringUserDataParams): string {
    const architecture = params.architecture ?? "x86_64";
    const files: EmbeddedFile[] = [
        ...renderMonitoringFiles(params).map((file) => ({
            path: `${MONITORING_DIR}/${file.path}`,
            content: file.content,
            mode: "0644",
            owner: "root:root",
        })),
        { path: `/etc/systemd/system/${MONITORING_UNIT}`, mode: "0644", owner: "root:root", content: readAsset(`monitoring/${MONITORING_UNIT}`) },
    ];
    return renderUserData({
        script: "monitoring.sh",
        parameters: {
            AWS_REGION: params.region,
            GRAFANA_SECRET_ARN: params.grafanaSecretArn,
            HOST_MACHINE: UNAME_MACHINE[architecture],
            COMPOSE_VERSION: COMPOSE_PLUGIN.version,
            COMPOSE_ASSET: COMPOSE_PLUGIN.asset[architecture],
            COMPOSE_SHA256: composeSha256(architecture),
            MONITORING_DIR,
            MONITORING_UNIT,
            GRAFANA_UID,
            GRAFANA_USER_FILE: `${MONITORING_DIR}/secrets/${GRAFANA_USER_SECRET}`,
            GRAFANA_PASSWORD_FILE: `${MONITORING_DIR}/secrets/${GRAFANA_PASSWORD_SECRET}`,
        },
        files,
    });
}

function monitoringStatements(args: MonitoringHostArgs): PolicyStatement[] {
    return [
        ...ownSecretStatements(args.grafanaSecretArn, args.region, args.keys?.secrets),
        ...bucketReadStatements("AccessLogs", args.accessLogsBucket),
        { Sid: "ReadCloudWatchMetrics", Effect: "Allow", Action: [...CLOUDWATCH_READ_ACTIONS], Resource: "*" },
    ];
}

/**
 * The seed's monitoring host: the containers of the monitoring catalog under Docker Compose, run by a
 * systemd unit so they come back after a stop, start or reboot; configs rendered from the catalog and
 * embedded in the user data; the Grafana admin credentials read from Secrets Manager at boot. No
 * inbound traffic by default: the UIs are reached through SSM port forwarding (`npm run tunnel`).
 */
export class MonitoringHost extends TierComponent {
    readonly instanceId: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly architecture: Architecture;
    readonly grafanaUrl: pulumi.Output<string>;
    readonly prometheusUrl: pulumi.Output<string>;
    readonly kibanaUrl: pulumi.Output<string>;
    readonly jaegerUrl: pulumi.Output<string>;

    constructor(name: string, args: MonitoringHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("monitoring", "MonitoringHost"), name, opts);

        const architecture = architectureOf(args.hosts.monitoringInstanceType);
        const userData = pulumi.all([args.grafanaSecretArn, args.accessLogsBucket.name]).apply(([grafanaSecretArn, accessLogsBucket]) =>
            renderMonitoringUserData({
                region: args.region,
                environment: args.naming.environment,
                accessLogsBucket,
                grafanaSecretArn,
                architecture,
                publicAdminIngress: args.hosts.publicAdminIngress,
            }),
        );
        const host = buildHost(
            name,
            {
                ...args,
                tier: "monitoring",
                purpose: "monitoring-host",
                instanceType: args.hosts.monitoringInstanceType,
                userData,
                statements: monitoringStatements(args),
            },
            this.child(),
        );

        this.instanceId = host.instance.id;
        this.roleArn = host.role.arn;
        this.architecture = host.architecture;
        this.grafanaUrl = pulumi.output(tunnelUrl("grafana"));
        this.prometheusUrl = pulumi.output(tunnelUrl("prometheus"));
        this.kibanaUrl = pulumi.output(tunnelUrl("kibana"));
        this.jaegerUrl = pulumi.output(tunnelUrl("jaeger"));
        this.registerOutputs({
            instanceId: this.instanceId,
            grafanaUrl: this.grafanaUrl,
            prometheusUrl: this.prometheusUrl,
            kibanaUrl: this.kibanaUrl,
            jaegerUrl: this.jaegerUrl,
        });
    }
}
