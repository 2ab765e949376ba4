import * as pulumi from "@pulumi/pulumi";
import { bucketReadStatements } from "../data-lake/data-lake";
import { ownSecretStatements } from "../secrets/secrets";
import { HostTierArgs, buildHost } from "../shared/host/host";
import { EmbeddedFile, renderUserData } from "../shared/host/user-data";
import { BucketRef } from "../shared/refs";
import { PolicyStatement } from "../shared/iam";
import { GRAFANA_PASSWORD_SECRET, GRAFANA_UID, GRAFANA_USER_SECRET, MONITORING_DIR } from "./catalog";
import { MonitoringRenderParams, renderMonitoringFiles } from "./render";
import { PORTS, PortSpec } from "../shared/ports";
import { componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

/** Docker Compose v2 plugin (AL2023's docker package has none), pinned with the release's sha256. */
export const COMPOSE_PLUGIN = { version: "v2.40.3", sha256: "dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372" } as const;

/** CloudWatch APIs the exporter calls; none supports resource-level permissions. */
export const CLOUDWATCH_READ_ACTIONS = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "tag:GetResources"] as const;

export interface MonitoringHostArgs extends HostTierArgs {
    /** The Grafana secret (`{username, password, url?}`); the only secret the host may read. */
    readonly grafanaSecretArn: pulumi.Input<string>;
    /** Bucket with the S3 server access logs, read by Logstash's S3 input. */
    readonly accessLogsBucket: BucketRef;
}

export interface MonitoringUserDataParams extends MonitoringRenderParams {
    readonly grafanaSecretArn: string;
}

/** The monitoring host's user data, with every rendered config file embedded. */
export function renderMonitoringUserData(params: MonitoringUserDataParams): string {
    const files: EmbeddedFile[] = renderMonitoringFiles(params).map((file) => ({
        path: `${MONITORING_DIR}/${file.path}`,
        content: file.content,
        mode: "0644",
        owner: "root:root",
    }));
    return renderUserData({
        script: "monitoring.sh",
        parameters: {
            AWS_REGION: params.region,
            GRAFANA_SECRET_ARN: params.grafanaSecretArn,
            COMPOSE_VERSION: COMPOSE_PLUGIN.version,
            COMPOSE_SHA256: COMPOSE_PLUGIN.sha256,
            MONITORING_DIR,
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
 * The seed's monitoring host: the containers of the monitoring catalog under
 * Docker Compose, configs rendered from the catalog and embedded in the user data,
 * the Grafana admin credentials read from Secrets Manager at boot.
 */
export class MonitoringHost extends TierComponent {
    readonly instanceId: pulumi.Output<string>;
    readonly publicIp: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly grafanaUrl: pulumi.Output<string>;
    readonly prometheusUrl: pulumi.Output<string>;
    readonly kibanaUrl: pulumi.Output<string>;
    readonly jaegerUrl: pulumi.Output<string>;

    constructor(name: string, args: MonitoringHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("monitoring", "MonitoringHost"), name, opts);

        const userData = pulumi
            .all([args.grafanaSecretArn, args.accessLogsBucket.name])
            .apply(([grafanaSecretArn, accessLogsBucket]) =>
                renderMonitoringUserData({ region: args.region, environment: args.naming.environment, accessLogsBucket, grafanaSecretArn }),
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

        const url = (port: PortSpec) => pulumi.interpolate`http://${host.publicIp}:${port.from}`;
        this.instanceId = host.instance.id;
        this.publicIp = host.publicIp;
        this.roleArn = host.role.arn;
        this.grafanaUrl = url(PORTS.grafana);
        this.prometheusUrl = url(PORTS.prometheus);
        this.kibanaUrl = url(PORTS.kibana);
        this.jaegerUrl = url(PORTS.jaegerUi);
        this.registerOutputs({
            instanceId: this.instanceId,
            publicIp: this.publicIp,
            grafanaUrl: this.grafanaUrl,
            prometheusUrl: this.prometheusUrl,
            kibanaUrl: this.kibanaUrl,
            jaegerUrl: this.jaegerUrl,
        });
    }
}
