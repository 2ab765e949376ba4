import {
    ELASTICSEARCH_URL,
    GRAFANA_PASSWORD_SECRET,
    GRAFANA_UID,
    GRAFANA_USER_SECRET,
    MONITORING_SERVICES,
    MonitoringService,
    NAMED_VOLUMES,
    PortAccess,
} from "../monitoring/catalog";
import {
    LogstashPipeline,
    RenderedFile,
    onHostNetwork,
    renderGrafanaDashboard,
    renderGrafanaDashboardProvider,
    renderGrafanaDatasources,
    renderLogstash,
    renderPrometheus,
} from "../monitoring/render";
import { PORTS } from "../shared/ports";

/**
 * The monitoring tier's service catalog (components/monitoring/catalog.ts) as containers on the local
 * Docker engine: what runs as in the catalog, what is adapted to a laptop and why, what is left out and
 * why, and the files each container gets, rendered by the monitoring tier's own renderers. Pure
 * functions only: LocalMonitoring (local-monitoring.ts) builds the resources from them, and the tests
 * compare them with the catalog.
 */

export type NamedVolume = (typeof NAMED_VOLUMES)[number];

/** Catalog services a local stack does not run, and why. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
    "cloudwatch-exporter":
        "it reads the CloudWatch metrics of the stack's AWS resources with the EC2 host's instance role: a local stack has neither AWS resources nor a role",
    cadvisor:
        "it needs privileged mode, /dev/kmsg and the host's root filesystem, /sys and /var/lib/docker: on a laptop that is root on the machine, " +
        "for one dashboard panel (container memory, which `docker stats` shows too)",
};

interface Adaptation {
    readonly why: string;
    readonly adapt: (service: MonitoringService) => MonitoringService;
}

function withoutExtra(service: MonitoringService, ...keys: string[]): MonitoringService {
    const extra = Object.fromEntries(Object.entries(service.extra ?? {}).filter(([key]) => !keys.includes(key)));
    return { ...service, extra: Object.keys(extra).length > 0 ? extra : undefined };
}

/** Catalog services that run locally with a change, and why; the rest run as the catalog says. */
export const ADAPTATIONS: Readonly<Record<string, Adaptation>> = {
    prometheus: {
        why: "no container runs on the host network locally, so the host.docker.internal entry the EC2 host needs (for the node exporter) has nothing to reach",
        adapt: (service) => withoutExtra(service, "extra_hosts"),
    },
    logstash: {
        why:
            "without the instance role there is no S3 input (the pipeline is rendered without it) and no reason for the host network: it joins the " +
            "containers' network, so its monitoring API listens on the container's interfaces (published on 127.0.0.1 only) and Elasticsearch is elasticsearch:9200",
        adapt: (service) => ({ ...service, instanceRole: undefined, environment: { ...service.environment, API_HTTP_HOST: "0.0.0.0" } }),
    },
    "node-exporter": {
        why:
            "the catalog runs it in the host's network and PID namespaces with the host's root filesystem mounted rslave, which Docker Desktop refuses " +
            "(`/ is mounted on / but it is not a shared or slave mount`) and which would listen on every interface of the laptop; on the containers' " +
            "network it still reports the kernel's CPU and memory (the dashboard's host panels), which /proc shows every container",
        adapt: (service) => {
            const { command: _command, ...rest } = service;
            return { ...rest, volumes: [], extra: undefined, scrape: service.scrape ? { ...service.scrape, host: undefined } : undefined };
        },
    },
};

/** The Logstash pipeline of a local stack: Beats on the container's interfaces, no S3 input, Elasticsearch by its network alias. */
export const LOCAL_LOGSTASH_PIPELINE: LogstashPipeline = { beatsHost: "0.0.0.0", elasticsearchUrl: ELASTICSEARCH_URL, s3Input: false };

/** The catalog services a local stack runs, adapted (catalog order). */
export function localServices(): MonitoringService[] {
    return MONITORING_SERVICES.filter((service) => LEFT_OUT[service.name] === undefined).map((service) => {
        const adapted = ADAPTATIONS[service.name]?.adapt(service) ?? service;
        return adapted.dependsOn ? { ...adapted, dependsOn: adapted.dependsOn.filter((name) => LEFT_OUT[name] === undefined) } : adapted;
    });
}

/**
 * The files the local services mount from the EC2 host's MONITORING_DIR (same paths), rendered by the
 * monitoring tier's renderers: prometheus.yml for the services that run, the pipeline without the S3
 * input, Grafana provisioning with the Prometheus and Elasticsearch data sources, and the dashboard.
 */
export function renderLocalFiles(): RenderedFile[] {
    return [
        { path: "prometheus/prometheus.yml", content: renderPrometheus(localServices()) },
        { path: "logstash/pipeline/logstash.conf", content: renderLogstash(LOCAL_LOGSTASH_PIPELINE) },
        { path: "grafana/provisioning/datasources/datasources.yml", content: renderGrafanaDatasources() },
        { path: "grafana/provisioning/dashboards/dashboards.yml", content: renderGrafanaDashboardProvider() },
        { path: "grafana/dashboards/monitoring-host.json", content: renderGrafanaDashboard() },
    ];
}

export interface LocalHealthCheck {
    /** Docker's HEALTHCHECK test, `["CMD", ...]`. */
    readonly test: readonly string[];
    readonly interval: string;
    readonly timeout: string;
    readonly retries: number;
    readonly startPeriod: string;
    /** How long `pulumi up` waits for the container to report healthy (docker.Container `waitTimeout`), seconds. */
    readonly waitSeconds: number;
    /** Why this check, and why this tool is in the image. */
    readonly why: string;
}

/** Jaeger v2's healthcheckv2 extension (its all-in-one config); inside the container only, never published. */
const JAEGER_HEALTH_PORT = 13133;

const wget = (url: string) => ["CMD", "wget", "-q", "--spider", url];
const curl = (url: string) => ["CMD", "curl", "-fsS", "-o", "/dev/null", url];
const quick = { interval: "10s", timeout: "5s", retries: 6, startPeriod: "10s", waitSeconds: 120 };
/** The JVM services start in tens of seconds; Kibana waits for Elasticsearch first. */
const slow = { interval: "10s", timeout: "10s", retries: 12, startPeriod: "60s", waitSeconds: 300 };

/**
 * One health check per local service, with the service's own endpoint and a tool its image ships:
 * busybox `wget` in the Prometheus images (busybox-based) and Jaeger's (Alpine), `curl` in Grafana's
 * (its Dockerfile installs it) and the Elastic images (which install it; Elastic's own compose examples use it).
 */
export const HEALTH_CHECKS: Readonly<Record<string, LocalHealthCheck>> = {
    prometheus: { ...quick, test: wget(`http://localhost:${PORTS.prometheus.from}/-/healthy`), why: "Prometheus' liveness endpoint; busybox wget" },
    grafana: { ...quick, test: curl(`http://localhost:${PORTS.grafana.from}/api/health`), why: "Grafana's health API (its database is up); curl" },
    elasticsearch: {
        ...slow,
        test: curl(`http://localhost:${PORTS.elasticsearch.from}/_cluster/health?wait_for_status=yellow&timeout=5s`),
        why: "cluster health at least yellow (one node never places replicas): fails with 408 until then; curl",
    },
    kibana: {
        ...slow,
        test: curl(`http://localhost:${PORTS.kibana.from}/api/status`),
        why: "Kibana's status API answers 503 until Kibana is available; curl",
    },
    logstash: {
        ...slow,
        test: curl(`http://localhost:${PORTS.logstashApi.from}/`),
        why: "Logstash's monitoring API answers once Logstash runs; curl",
    },
    jaeger: {
        ...quick,
        test: wget(`http://localhost:${JAEGER_HEALTH_PORT}/status`),
        why: "Jaeger v2's healthcheckv2 extension; busybox wget (Alpine base)",
    },
    pushgateway: {
        ...quick,
        test: wget(`http://localhost:${PORTS.pushgateway.from}/-/healthy`),
        why: "the Pushgateway's liveness endpoint; busybox wget",
    },
    "node-exporter": { ...quick, test: wget(`http://localhost:${PORTS.nodeExporter.from}/`), why: "the exporter's landing page; busybox wget" },
};

/** A port published on the Docker host: always on its loopback. */
export interface LocalPort {
    readonly internal: number;
    readonly external: number;
    readonly ip: "127.0.0.1";
    readonly protocol: "tcp" | "udp";
}

/** Only the loopback, whatever the access level: a laptop has no security group in front of it. */
export const LOCAL_BIND_IP = "127.0.0.1";

/** Published ports per catalog access level: the UIs (`admin`) and `local` ports on the loopback, `network` ones not at all. */
const PUBLISHED: Readonly<Record<PortAccess, boolean>> = { admin: true, local: true, network: false };

/** A file uploaded into the container before it starts (in place of the host's bind mount). */
export interface LocalFile {
    /** Path in the container. */
    readonly file: string;
    readonly content: string;
    /** The rendered file it is (path under MONITORING_DIR). */
    readonly source: string;
}

/** A Grafana admin credential, written to /run/secrets as Compose writes a file secret. */
export interface LocalSecretFile {
    readonly name: typeof GRAFANA_USER_SECRET | typeof GRAFANA_PASSWORD_SECRET;
    readonly file: string;
    /** Grafana runs as 472:0; the file is its own and its group's (root), mode 0440. */
    readonly owner: string;
    readonly group: string;
    readonly permissions: string;
}

export interface LocalContainer {
    /** The catalog service: the container's network alias, so the rendered URLs (http://prometheus:9090) resolve. */
    readonly service: string;
    readonly image: string;
    readonly command?: readonly string[];
    /** `KEY=VALUE`, sorted. */
    readonly env: readonly string[];
    readonly ports: readonly LocalPort[];
    readonly volumes: readonly { readonly volume: NamedVolume; readonly containerPath: string; readonly readOnly: boolean }[];
    readonly files: readonly LocalFile[];
    readonly secrets: readonly LocalSecretFile[];
    readonly memoryMiB: number;
    readonly ulimits: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
    readonly healthcheck: LocalHealthCheck;
    /** Local services this one starts after (healthy). */
    readonly dependsOn: readonly string[];
}

/** `source:target[:options]`. */
function parseVolume(spec: string): { source: string; target: string; readOnly: boolean } {
    const [source, target, options = ""] = spec.split(":");
    return { source, target, readOnly: options.split(",").includes("ro") };
}

function isNamedVolume(source: string): source is NamedVolume {
    return (NAMED_VOLUMES as readonly string[]).includes(source);
}

/** The rendered files a `./` volume source stands for: the file itself, or every file under the folder. */
function filesFor(service: string, source: string, target: string, rendered: readonly RenderedFile[]): LocalFile[] {
    const relative = source.slice(2).replace(/\/$/, "");
    const files = rendered.flatMap((file) => {
        if (file.path === relative) return [{ file: target, content: file.content, source: file.path }];
        if (file.path.startsWith(`${relative}/`))
            return [{ file: `${target}${file.path.slice(relative.length)}`, content: file.content, source: file.path }];
        return [];
    });
    if (files.length === 0) throw new Error(`${service}: no rendered file for the volume ${source}:${target}`);
    return files;
}

/** The catalog's compose-only keys (`extra`) a local container honours; any other is a decision still to make. */
const HONOURED_EXTRA = ["secrets", "ulimits"];

function ulimitsOf(service: MonitoringService): LocalContainer["ulimits"] {
    const ulimits = (service.extra?.ulimits ?? {}) as Record<string, { soft: number; hard: number }>;
    return Object.entries(ulimits).map(([name, { soft, hard }]) => ({ name, soft, hard }));
}

function secretsOf(service: MonitoringService): LocalSecretFile[] {
    const names = (service.extra?.secrets ?? []) as string[];
    return names.map((name) => {
        if (name !== GRAFANA_USER_SECRET && name !== GRAFANA_PASSWORD_SECRET)
            throw new Error(`${service.name}: no local value for the secret ${name}`);
        return { name, file: `/run/secrets/${name}`, owner: String(GRAFANA_UID), group: "0", permissions: "0440" };
    });
}

/** The containers of a local stack, one per local service (catalog order). Throws on a catalog entry with no local decision. */
export function localContainers(): LocalContainer[] {
    const rendered = renderLocalFiles();
    const services = localServices();
    return services.map((service) => {
        if (onHostNetwork(service))
            throw new Error(`${service.name}: runs on the host network in the catalog; decide in ADAPTATIONS how it runs locally`);
        const unknown = Object.keys(service.extra ?? {}).filter((key) => !HONOURED_EXTRA.includes(key));
        if (unknown.length > 0)
            throw new Error(`${service.name}: catalog keys ${unknown.join(", ")} have no local equivalent; decide in ADAPTATIONS`);
        const healthcheck = HEALTH_CHECKS[service.name];
        if (!healthcheck) throw new Error(`${service.name}: no local health check (HEALTH_CHECKS)`);
        const volumes: { volume: NamedVolume; containerPath: string; readOnly: boolean }[] = [];
        const files: LocalFile[] = [];
        for (const spec of service.volumes) {
            const { source, target, readOnly } = parseVolume(spec);
            if (source.startsWith("./")) files.push(...filesFor(service.name, source, target, rendered));
            else if (isNamedVolume(source)) volumes.push({ volume: source, containerPath: target, readOnly });
            else throw new Error(`${service.name}: the host path ${source} is not mounted locally; decide in ADAPTATIONS`);
        }
        return {
            service: service.name,
            image: service.image,
            ...(service.command ? { command: [...service.command] } : {}),
            env: Object.entries(service.environment)
                .map(([key, value]) => `${key}=${value}`)
                .sort(),
            ports: service.ports
                .filter((port) => PUBLISHED[port.access])
                .map((port) => ({ internal: port.port.from, external: port.port.from, ip: LOCAL_BIND_IP, protocol: port.port.protocol })),
            volumes,
            files,
            secrets: secretsOf(service),
            memoryMiB: service.memoryMiB,
            ulimits: ulimitsOf(service),
            healthcheck,
            dependsOn: [...(service.dependsOn ?? [])],
        };
    });
}

/** The UIs on this machine once `pulumi up -s local` has run. */
export const LOCAL_URLS = {
    grafana: `http://${LOCAL_BIND_IP}:${PORTS.grafana.from}`,
    prometheus: `http://${LOCAL_BIND_IP}:${PORTS.prometheus.from}`,
    kibana: `http://${LOCAL_BIND_IP}:${PORTS.kibana.from}`,
    jaeger: `http://${LOCAL_BIND_IP}:${PORTS.jaegerUi.from}`,
} as const;
