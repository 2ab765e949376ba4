import { Architecture, OS_RESERVE_MIB } from "../shared/instance-types";
import { PORTS, PortSpec } from "../shared/ports";

/**
 * The monitoring host's service catalog: the single source for the containers it
 * runs (image, ports, volumes, environment, command, memory limit) and for every
 * file rendered from them: docker-compose.yml, prometheus.yml, logstash.conf,
 * the CloudWatch exporter config and Grafana provisioning. The monitoring security
 * group's ports and the instance-size check read it too. Pure functions only: the
 * asset renderer and config validation use it without a Pulumi runtime.
 */

/**
 * Docker Compose v2 plugin (AL2023's docker package has none), pinned with the release's sha256 per
 * architecture (the values the docker-library `docker` image pins for v2.40.3).
 */
export const COMPOSE_PLUGIN = {
    version: "v2.40.3",
    /** Release asset suffix: `docker-compose-linux-<asset>`. */
    asset: { x86_64: "x86_64", arm64: "aarch64" } as Readonly<Record<Architecture, string>>,
    sha256: {
        x86_64: "dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372",
        arm64: "d26373b19e89160546d15407516cc59f453030d9bc5b43ba7faf16f7b4980137",
    } as Partial<Record<Architecture, string>>,
} as const;

/**
 * Who reaches a port:
 * - `admin`: a UI, reached through an SSM port-forwarding session (`npm run tunnel`); published on
 *   the host's loopback, or on every interface (opened to the admin CIDRs) with `hosts.publicAdminIngress`;
 * - `local`: published on the host's loopback only (reach it through an SSM port-forwarding session);
 * - `network`: only other containers on the compose network.
 */
export type PortAccess = "admin" | "local" | "network";

export interface ServicePort {
    readonly port: PortSpec;
    readonly access: PortAccess;
}

export interface ScrapeTarget {
    /** Host part of the target; defaults to the compose service name. */
    readonly host?: string;
    readonly port: PortSpec;
    readonly path?: string;
    readonly interval?: string;
    readonly timeout?: string;
    /** Keep the labels pushed by jobs (Pushgateway). */
    readonly honorLabels?: boolean;
}

export interface MonitoringService {
    /** Compose service and container name. */
    readonly name: string;
    /** Image with a pinned version tag (never `latest`). */
    readonly image: string;
    readonly ports: readonly ServicePort[];
    /** `source:target[:options]`; sources starting with `./` are files under MONITORING_DIR. */
    readonly volumes: readonly string[];
    readonly environment: Readonly<Record<string, string>>;
    readonly command?: readonly string[];
    /** Hard memory limit (compose `mem_limit`), MiB. */
    readonly memoryMiB: number;
    readonly dependsOn?: readonly string[];
    readonly scrape?: ScrapeTarget;
    /**
     * Why the container needs the instance role's credentials. Only these containers run in the host's
     * network namespace, where IMDSv2 answers with the instance's hop limit of 1; every other container
     * sits on the compose bridge, one hop further, and gets no answer from IMDS at all.
     */
    readonly instanceRole?: string;
    readonly extra?: Readonly<Record<string, unknown>>;
}

/** Where the host keeps the rendered files (the compose project directory). */
export const MONITORING_DIR = "/opt/monitoring";
/** Compose secret holding the Grafana admin password, written at boot from Secrets Manager. */
export const GRAFANA_PASSWORD_SECRET = "grafana_admin_password";
export const GRAFANA_USER_SECRET = "grafana_admin_user";
/** The uid the Grafana image runs as; the secret files are owned by it, mode 0400. */
export const GRAFANA_UID = 472;

const ELASTIC_VERSION = "8.19.4";
export const ELASTICSEARCH_URL = `http://elasticsearch:${PORTS.elasticsearch.from}`;
/** Elasticsearch as containers on the host network (Logstash) reach it: its loopback-published port. */
export const ELASTICSEARCH_HOST_URL = `http://127.0.0.1:${PORTS.elasticsearch.from}`;
export const PROMETHEUS_URL = `http://prometheus:${PORTS.prometheus.from}`;

/**
 * The ten services of the seed's monitoring stack. Every image publishes linux/amd64 and linux/arm64
 * (multi-arch manifests): Prometheus, Pushgateway and node exporter (promu DOCKER_ARCHS), Grafana,
 * Elasticsearch/Kibana/Logstash (Elastic builds each image per `$(arch)`), Jaeger v2, the CloudWatch
 * exporter (buildx linux/amd64,linux/arm64 since 2021) and cAdvisor (release.sh: amd64, arm, arm64, s390x).
 */
export const MONITORING_SERVICES: readonly MonitoringService[] = [
    {
        name: "prometheus",
        image: "prom/prometheus:v3.5.0",
        ports: [{ port: PORTS.prometheus, access: "admin" }],
        volumes: ["./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", "prometheus_data:/prometheus"],
        environment: {},
        command: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=15d"],
        memoryMiB: 768,
        scrape: { host: "localhost", port: PORTS.prometheus },
        // node-exporter and the containers that use the instance role run in the host's network namespace; this name reaches them.
        extra: { extra_hosts: ["host.docker.internal:host-gateway"] },
    },
    {
        name: "grafana",
        image: "grafana/grafana:12.1.1",
        ports: [{ port: PORTS.grafana, access: "admin" }],
        volumes: [
            "grafana_data:/var/lib/grafana",
            "./grafana/provisioning:/etc/grafana/provisioning:ro",
            "./grafana/dashboards:/etc/grafana/dashboards:ro",
        ],
        environment: {
            GF_SECURITY_ADMIN_USER__FILE: `/run/secrets/${GRAFANA_USER_SECRET}`,
            GF_SECURITY_ADMIN_PASSWORD__FILE: `/run/secrets/${GRAFANA_PASSWORD_SECRET}`,
            GF_USERS_ALLOW_SIGN_UP: "false",
            GF_AUTH_ANONYMOUS_ENABLED: "false",
            GF_ANALYTICS_REPORTING_ENABLED: "false",
        },
        memoryMiB: 512,
        dependsOn: ["prometheus", "elasticsearch"],
        scrape: { port: PORTS.grafana },
        extra: { secrets: [GRAFANA_USER_SECRET, GRAFANA_PASSWORD_SECRET] },
    },
    {
        name: "elasticsearch",
        image: `docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}`,
        ports: [{ port: PORTS.elasticsearch, access: "local" }],
        volumes: ["elasticsearch_data:/usr/share/elasticsearch/data"],
        environment: {
            "discovery.type": "single-node",
            // Security off as in the seed: port 9200 is never published beyond the host's loopback.
            "xpack.security.enabled": "false",
            // Heap at half the container limit, as Elastic advises; sized for a dev host.
            ES_JAVA_OPTS: "-Xms768m -Xmx768m",
        },
        memoryMiB: 1536,
        extra: { ulimits: { nofile: { soft: 65535, hard: 65535 } } },
    },
    {
        name: "kibana",
        image: `docker.elastic.co/kibana/kibana:${ELASTIC_VERSION}`,
        ports: [{ port: PORTS.kibana, access: "admin" }],
        volumes: [],
        environment: { ELASTICSEARCH_HOSTS: ELASTICSEARCH_URL, TELEMETRY_OPTIN: "false" },
        memoryMiB: 1024,
        dependsOn: ["elasticsearch"],
    },
    {
        name: "logstash",
        image: `docker.elastic.co/logstash/logstash:${ELASTIC_VERSION}`,
        ports: [
            { port: PORTS.logstashBeats, access: "local" },
            { port: PORTS.logstashApi, access: "local" },
        ],
        volumes: ["./logstash/pipeline:/usr/share/logstash/pipeline:ro", "logstash_data:/usr/share/logstash/data"],
        // On the host network: the monitoring API binds the loopback (the image's default is 0.0.0.0).
        environment: { LS_JAVA_OPTS: "-Xms512m -Xmx512m", XPACK_MONITORING_ENABLED: "false", API_HTTP_HOST: "127.0.0.1" },
        memoryMiB: 1024,
        dependsOn: ["elasticsearch"],
        instanceRole: "the S3 input reads the access-log bucket (s3:ListBucket, s3:GetObject)",
    },
    {
        name: "jaeger",
        image: "jaegertracing/jaeger:2.11.0",
        ports: [
            { port: PORTS.jaegerUi, access: "admin" },
            { port: PORTS.jaegerOtlpGrpc, access: "local" },
            { port: PORTS.jaegerOtlpHttp, access: "local" },
        ],
        volumes: [],
        // Jaeger v2 binds to localhost unless told otherwise (the image sets this too).
        environment: { JAEGER_LISTEN_HOST: "0.0.0.0" },
        memoryMiB: 512,
    },
    {
        name: "pushgateway",
        image: "prom/pushgateway:v1.11.1",
        ports: [{ port: PORTS.pushgateway, access: "local" }],
        volumes: [],
        environment: {},
        memoryMiB: 128,
        scrape: { port: PORTS.pushgateway, honorLabels: true },
    },
    {
        name: "cloudwatch-exporter",
        image: "prom/cloudwatch-exporter:v0.16.0",
        ports: [{ port: PORTS.cloudwatchExporter, access: "network" }],
        volumes: ["./cloudwatch-exporter/config.yml:/config/config.yml:ro"],
        environment: {},
        memoryMiB: 512,
        // Each scrape is a GetMetricData call billed per metric ($0.01 per 1,000), and the
        // metrics have 5-minute (S3: daily) resolution: scraping more often only costs more.
        scrape: { host: "host.docker.internal", port: PORTS.cloudwatchExporter, interval: "300s", timeout: "120s" },
        instanceRole: "it calls cloudwatch:GetMetricData, cloudwatch:ListMetrics and tag:GetResources",
    },
    {
        name: "node-exporter",
        image: "prom/node-exporter:v1.9.1",
        ports: [{ port: PORTS.nodeExporter, access: "network" }],
        volumes: ["/:/host:ro,rslave"],
        environment: {},
        command: ["--path.rootfs=/host"],
        memoryMiB: 128,
        scrape: { host: "host.docker.internal", port: PORTS.nodeExporter },
        // Host network and PID namespaces, so it reports the instance rather than its container.
        extra: { network_mode: "host", pid: "host" },
    },
    {
        name: "cadvisor",
        image: "gcr.io/cadvisor/cadvisor:v0.52.1",
        ports: [{ port: PORTS.cadvisor, access: "network" }],
        volumes: ["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"],
        environment: {},
        memoryMiB: 256,
        scrape: { port: PORTS.cadvisor },
        extra: { privileged: true, devices: ["/dev/kmsg:/dev/kmsg"] },
    },
];

export const NAMED_VOLUMES = ["prometheus_data", "grafana_data", "elasticsearch_data", "logstash_data"] as const;

/** The UIs: reached through SSM tunnels; opened to the admin CIDRs only with `hosts.publicAdminIngress`. */
export const MONITORING_ADMIN_PORTS: readonly PortSpec[] = portsWithAccess("admin");

/** Services that get the instance role's credentials (and so run on the host network). */
export function servicesWithInstanceRole(): MonitoringService[] {
    return MONITORING_SERVICES.filter((service) => service.instanceRole !== undefined);
}

export function portsWithAccess(access: PortAccess): PortSpec[] {
    return MONITORING_SERVICES.flatMap((service) => service.ports.filter((p) => p.access === access).map((p) => p.port));
}

/** Sum of the containers' memory limits, MiB. */
export function monitoringMemoryLimitMiB(): number {
    return MONITORING_SERVICES.reduce((sum, service) => sum + service.memoryMiB, 0);
}

/** Memory an instance needs for the catalog plus the OS reserve, MiB. */
export function monitoringHostMinimumMemoryMiB(): number {
    return monitoringMemoryLimitMiB() + OS_RESERVE_MIB;
}

export interface CloudWatchMetric {
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: readonly string[];
    readonly statistics: readonly string[];
    readonly periodSeconds?: number;
    /** Resource type for the tag filter, and the dimension holding the resource id. */
    readonly tagged?: { readonly resourceType: string; readonly idDimension: string };
}

/** S3, Glue, ECS and EC2 metrics; each limited to resources tagged with the stack's environment. */
export const CLOUDWATCH_METRICS: readonly CloudWatchMetric[] = [
    {
        namespace: "AWS/S3",
        name: "BucketSizeBytes",
        dimensions: ["BucketName", "StorageType"],
        statistics: ["Average"],
        periodSeconds: 86400,
        tagged: { resourceType: "s3:bucket", idDimension: "BucketName" },
    },
    {
        namespace: "AWS/S3",
        name: "NumberOfObjects",
        dimensions: ["BucketName", "StorageType"],
        statistics: ["Average"],
        periodSeconds: 86400,
        tagged: { resourceType: "s3:bucket", idDimension: "BucketName" },
    },
    {
        namespace: "Glue",
        name: "glue.driver.aggregate.numCompletedTasks",
        dimensions: ["JobName", "JobRunId", "Type"],
        statistics: ["Sum"],
        tagged: { resourceType: "glue:job", idDimension: "JobName" },
    },
    {
        namespace: "Glue",
        name: "glue.driver.aggregate.numFailedTasks",
        dimensions: ["JobName", "JobRunId", "Type"],
        statistics: ["Sum"],
        tagged: { resourceType: "glue:job", idDimension: "JobName" },
    },
    {
        namespace: "AWS/ECS",
        name: "CPUUtilization",
        dimensions: ["ClusterName", "ServiceName"],
        statistics: ["Average"],
        tagged: { resourceType: "ecs:cluster", idDimension: "ClusterName" },
    },
    {
        namespace: "AWS/ECS",
        name: "MemoryUtilization",
        dimensions: ["ClusterName", "ServiceName"],
        statistics: ["Average"],
        tagged: { resourceType: "ecs:cluster", idDimension: "ClusterName" },
    },
    {
        namespace: "AWS/EC2",
        name: "CPUUtilization",
        dimensions: ["InstanceId"],
        statistics: ["Average"],
        tagged: { resourceType: "ec2:instance", idDimension: "InstanceId" },
    },
    {
        namespace: "AWS/EC2",
        name: "StatusCheckFailed",
        dimensions: ["InstanceId"],
        statistics: ["Maximum"],
        tagged: { resourceType: "ec2:instance", idDimension: "InstanceId" },
    },
];
