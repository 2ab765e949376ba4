import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ASSETS_DIR } from "../shared/paths";
import { PORTS } from "../shared/ports";
import {
    CLOUDWATCH_METRICS,
    ELASTICSEARCH_HOST_URL,
    ELASTICSEARCH_URL,
    GRAFANA_PASSWORD_SECRET,
    GRAFANA_USER_SECRET,
    MONITORING_SERVICES,
    MonitoringService,
    NAMED_VOLUMES,
    PROMETHEUS_URL,
    ServicePort,
} from "./catalog";

/**
 * The monitoring host's config files, rendered from the catalog (catalog.ts holds the data). The
 * "Generated from components/monitoring-catalog.ts" headers name the file the catalog lived in when
 * the host was first built: the files are embedded in user data, and a change to user data replaces
 * the host (and its data), so they change together with the next real change to these files.
 */

export interface MonitoringRenderParams {
    /** The stack's AWS region (CloudWatch exporter, Logstash S3 input). */
    readonly region: string;
    /** Environment name: the CloudWatch exporter only reads resources tagged with it. */
    readonly environment: string;
    /** Bucket holding the S3 server access logs (Logstash S3 input). */
    readonly accessLogsBucket: string;
    /**
     * `hosts.publicAdminIngress`: publish the UIs on every interface (the security group opens them to the
     * admin CIDRs). Default false: on the loopback only, reached through SSM port forwarding.
     */
    readonly publicAdminIngress?: boolean;
}

/** A file the host writes under MONITORING_DIR. */
export interface RenderedFile {
    /** Path relative to MONITORING_DIR. */
    readonly path: string;
    readonly content: string;
}

const GENERATED = " Generated from components/monitoring-catalog.ts; do not edit on the host.";

/**
 * YAML for tools that read YAML 1.1 (docker-compose, PyYAML): `3000:3000` or `yes`
 * unquoted would be read as a base-60 number or a boolean, so such strings are quoted.
 */
export function toYaml(value: unknown): string {
    const doc = new YAML.Document(value, { version: "1.1" });
    YAML.visit(doc, {
        Scalar(_key, node) {
            if (typeof node.value === "string" && /^[\d.:]+$/.test(node.value)) node.type = "QUOTE_DOUBLE";
        },
    });
    doc.commentBefore = GENERATED;
    return doc.toString({ directives: true, lineWidth: 0 });
}

function publishedPort(port: ServicePort, publicAdminIngress: boolean): string | undefined {
    const mapping = `${port.port.from}:${port.port.from}`;
    if (port.access === "admin") return publicAdminIngress ? mapping : `127.0.0.1:${mapping}`;
    if (port.access === "local") return `127.0.0.1:${mapping}`;
    return undefined;
}

/** True for the services in the host's network namespace (node exporter, and those using the instance role). */
export function onHostNetwork(service: MonitoringService): boolean {
    return service.instanceRole !== undefined || service.extra?.network_mode === "host";
}

function composeService(service: MonitoringService, publicAdminIngress: boolean): Record<string, unknown> {
    const hostNetwork = onHostNetwork(service);
    const ports = hostNetwork ? [] : service.ports.map((p) => publishedPort(p, publicAdminIngress)).filter((p): p is string => p !== undefined);
    return {
        image: service.image,
        container_name: service.name,
        restart: "unless-stopped",
        mem_limit: `${service.memoryMiB}m`,
        ...(service.command ? { command: [...service.command] } : {}),
        ...(Object.keys(service.environment).length > 0 ? { environment: { ...service.environment } } : {}),
        ...(ports.length > 0 ? { ports } : {}),
        ...(service.volumes.length > 0 ? { volumes: [...service.volumes] } : {}),
        ...(service.dependsOn ? { depends_on: [...service.dependsOn] } : {}),
        // IMDS answers only within the instance's hop limit (1): the host network namespace, not the bridge.
        ...(service.instanceRole !== undefined ? { network_mode: "host" } : {}),
        ...service.extra,
    };
}

/** docker-compose.yml; Logstash gets the bucket and region through its environment. */
export function renderCompose(params: MonitoringRenderParams): string {
    const services = Object.fromEntries(
        MONITORING_SERVICES.map((service) => {
            const rendered = composeService(service, params.publicAdminIngress ?? false);
            if (service.name === "logstash") {
                rendered.environment = { ...service.environment, S3_BUCKET: params.accessLogsBucket, AWS_REGION: params.region };
            }
            return [service.name, rendered];
        }),
    );
    return toYaml({
        services,
        volumes: Object.fromEntries(NAMED_VOLUMES.map((volume) => [volume, {}])),
        secrets: {
            [GRAFANA_USER_SECRET]: { file: `./secrets/${GRAFANA_USER_SECRET}` },
            [GRAFANA_PASSWORD_SECRET]: { file: `./secrets/${GRAFANA_PASSWORD_SECRET}` },
        },
    });
}

/**
 * prometheus.yml: one job per catalog service with a scrape target (itself, exporters, Pushgateway, Grafana).
 * `services` defaults to the catalog; the local stack passes the services it runs (components/local/).
 */
export function renderPrometheus(services: readonly MonitoringService[] = MONITORING_SERVICES): string {
    const jobs = services
        .filter((service) => service.scrape)
        .map((service) => {
            const scrape = service.scrape!;
            return {
                job_name: service.name,
                ...(scrape.interval ? { scrape_interval: scrape.interval } : {}),
                ...(scrape.timeout ? { scrape_timeout: scrape.timeout } : {}),
                ...(scrape.honorLabels ? { honor_labels: true } : {}),
                ...(scrape.path ? { metrics_path: scrape.path } : {}),
                static_configs: [{ targets: [`${scrape.host ?? service.name}:${scrape.port.from}`] }],
            };
        });
    return toYaml({
        global: { scrape_interval: "15s", evaluation_interval: "15s" },
        scrape_configs: jobs,
    });
}

/** Where the Logstash pipeline listens and writes, and whether it reads the S3 server access logs. */
export interface LogstashPipeline {
    readonly beatsHost: string;
    readonly elasticsearchUrl: string;
    /** The S3 input (the access-log bucket, through the instance role). */
    readonly s3Input: boolean;
}

/**
 * The EC2 host's pipeline: Logstash runs on the host network (its S3 input uses the instance role), so
 * it listens on the loopback and reaches Elasticsearch on its loopback-published port.
 */
export const HOST_LOGSTASH_PIPELINE: LogstashPipeline = { beatsHost: "127.0.0.1", elasticsearchUrl: ELASTICSEARCH_HOST_URL, s3Input: true };

/** The template's S3 input block (`  s3 {` to its closing `  }`), left out of a pipeline without it. */
const S3_INPUT_BLOCK = /^ {2}s3 \{\n(?:.*\n)*?^ {2}\}\n/gm;

/**
 * logstash.conf: Beats and the S3 server access logs, into Elasticsearch. The pipeline is
 * assets/monitoring/logstash.conf with `{{BEATS_HOST}}`, `{{BEATS_PORT}}` and `{{ELASTICSEARCH_URL}}`
 * filled in from the catalog (`${S3_BUCKET}` and `${AWS_REGION}` are Logstash's own environment
 * references). Without `s3Input` the S3 input block is left out; the access-log filter and index stay,
 * inert (no event carries the `s3_access` tag).
 */
export function renderLogstash(pipeline: LogstashPipeline = HOST_LOGSTASH_PIPELINE): string {
    let template = fs.readFileSync(path.join(ASSETS_DIR, "monitoring", "logstash.conf"), "utf8");
    if (!pipeline.s3Input) {
        const blocks = template.match(S3_INPUT_BLOCK) ?? [];
        if (blocks.length !== 1) throw new Error(`assets/monitoring/logstash.conf: expected one S3 input block, found ${blocks.length}`);
        template = template.replace(S3_INPUT_BLOCK, "");
    }
    return fillTemplate(template, {
        BEATS_HOST: pipeline.beatsHost,
        BEATS_PORT: String(PORTS.logstashBeats.from),
        ELASTICSEARCH_URL: pipeline.elasticsearchUrl,
    });
}

/** Replaces every `{{NAME}}`; a placeholder without a value, or a value never used, is an error. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
    const used = new Set<string>();
    const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
        if (!(name in values)) throw new Error(`template placeholder {{${name}}} has no value`);
        used.add(name);
        return values[name];
    });
    const unused = Object.keys(values).filter((name) => !used.has(name));
    if (unused.length > 0) throw new Error(`template has no placeholder for ${unused.join(", ")}`);
    return filled;
}

/** CloudWatch exporter config; GetMetricData only (with ListMetrics and tag:GetResources). */
export function renderCloudwatchExporter(params: MonitoringRenderParams): string {
    return toYaml({
        region: params.region,
        use_get_metric_data: true,
        period_seconds: 300,
        delay_seconds: 600,
        metrics: CLOUDWATCH_METRICS.map((metric) => ({
            aws_namespace: metric.namespace,
            aws_metric_name: metric.name,
            aws_dimensions: [...metric.dimensions],
            aws_statistics: [...metric.statistics],
            ...(metric.periodSeconds ? { period_seconds: metric.periodSeconds, range_seconds: 2 * metric.periodSeconds } : {}),
            ...(metric.tagged
                ? {
                      aws_tag_select: {
                          tag_selections: { Environment: [params.environment] },
                          resource_type_selection: metric.tagged.resourceType,
                          resource_id_dimension: metric.tagged.idDimension,
                      },
                  }
                : {}),
        })),
    });
}

export function renderGrafanaDatasources(): string {
    return toYaml({
        apiVersion: 1,
        datasources: [
            { name: "Prometheus", uid: "prometheus", type: "prometheus", access: "proxy", url: PROMETHEUS_URL, isDefault: true, editable: false },
            {
                name: "Elasticsearch",
                uid: "elasticsearch",
                type: "elasticsearch",
                access: "proxy",
                url: ELASTICSEARCH_URL,
                editable: false,
                jsonData: { index: "s3-access-*", timeField: "@timestamp" },
            },
        ],
    });
}

export function renderGrafanaDashboardProvider(): string {
    return toYaml({
        apiVersion: 1,
        providers: [
            {
                name: "data-platform",
                folder: "Data platform",
                type: "file",
                disableDeletion: true,
                allowUiUpdates: false,
                options: { path: "/etc/grafana/dashboards" },
            },
        ],
    });
}

function timeseries(id: number, title: string, expr: string, unit: string, x: number, y: number): Record<string, unknown> {
    return {
        id,
        type: "timeseries",
        title,
        datasource: { type: "prometheus", uid: "prometheus" },
        gridPos: { h: 8, w: 12, x, y },
        fieldConfig: { defaults: { unit }, overrides: [] },
        targets: [{ refId: "A", expr, datasource: { type: "prometheus", uid: "prometheus" } }],
    };
}

/** One dashboard: the host, its containers and the scrape targets. */
export function renderGrafanaDashboard(): string {
    const dashboard = {
        uid: "data-platform-host",
        title: "Monitoring host",
        tags: ["data-platform"],
        timezone: "browser",
        schemaVersion: 39,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        panels: [
            timeseries(1, "Host CPU busy", '1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m]))', "percentunit", 0, 0),
            timeseries(2, "Host memory available", "node_memory_MemAvailable_bytes", "bytes", 12, 0),
            timeseries(3, "Container memory", 'sum by (name) (container_memory_working_set_bytes{name!=""})', "bytes", 0, 8),
            timeseries(4, "Scrape targets up", "sum by (job) (up)", "none", 12, 8),
        ],
    };
    return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/** Every file the monitoring host needs, with the paths the compose file mounts. */
export function renderMonitoringFiles(params: MonitoringRenderParams): RenderedFile[] {
    return [
        { path: "docker-compose.yml", content: renderCompose(params) },
        { path: "prometheus/prometheus.yml", content: renderPrometheus() },
        { path: "logstash/pipeline/logstash.conf", content: renderLogstash() },
        { path: "cloudwatch-exporter/config.yml", content: renderCloudwatchExporter(params) },
        { path: "grafana/provisioning/datasources/datasources.yml", content: renderGrafanaDatasources() },
        { path: "grafana/provisioning/dashboards/dashboards.yml", content: renderGrafanaDashboardProvider() },
        { path: "grafana/dashboards/monitoring-host.json", content: renderGrafanaDashboard() },
    ];
}
