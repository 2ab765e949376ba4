/**
 * Every port number the platform opens lives here, once: firewall rules, the
 * monitoring catalog, the secrets' port fields and the hosts read this table.
 * (The policy pack keeps its own list of sensitive ports: it judges any program.)
 */
export interface PortSpec {
    readonly from: number;
    readonly to: number;
    readonly protocol: "tcp" | "udp";
    readonly description: string;
}

function tcp(port: number, description: string): PortSpec {
    return { from: port, to: port, protocol: "tcp", description };
}

export const PORTS = {
    http: tcp(80, "HTTP"),
    https: tcp(443, "HTTPS"),
    appHttp: tcp(8080, "application HTTP"),
    nodeJs: tcp(3000, "Node.js application"),
    flask: tcp(5000, "Flask application"),
    mysql: tcp(3306, "MySQL"),
    postgres: tcp(5432, "PostgreSQL"),
    redis: tcp(6379, "Redis"),
    kafkaIam: tcp(9098, "Kafka (TLS, IAM authentication)"),
    mskJmxExporter: tcp(11001, "MSK open monitoring: JMX exporter"),
    mskNodeExporter: tcp(11002, "MSK open monitoring: node exporter"),
    ssh: tcp(22, "SSH"),
    nodePorts: { from: 30000, to: 32767, protocol: "tcp", description: "Kubernetes NodePort services" } as PortSpec,
    argocd: tcp(30080, "ArgoCD server (NodePort)"),
    prometheus: tcp(9090, "Prometheus"),
    grafana: tcp(3000, "Grafana"),
    kibana: tcp(5601, "Kibana"),
    jaegerUi: tcp(16686, "Jaeger UI"),
    jaegerOtlpGrpc: tcp(4317, "Jaeger OTLP gRPC"),
    jaegerOtlpHttp: tcp(4318, "Jaeger OTLP HTTP"),
    elasticsearch: tcp(9200, "Elasticsearch HTTP"),
    logstashBeats: tcp(5044, "Logstash Beats input"),
    logstashApi: tcp(9600, "Logstash monitoring API"),
    pushgateway: tcp(9091, "Prometheus Pushgateway"),
    cloudwatchExporter: tcp(9106, "CloudWatch exporter"),
    nodeExporter: tcp(9100, "Node exporter"),
    cadvisor: tcp(8080, "cAdvisor"),
} as const;

/** Ports the web tier serves to the internet: the only world-open ingress. */
export const PUBLIC_PORTS: readonly PortSpec[] = [PORTS.http, PORTS.https];
/** Ports application servers and tasks listen on, reachable only from the web tier. */
export const APP_PORTS: readonly PortSpec[] = [PORTS.appHttp, PORTS.nodeJs, PORTS.flask];
/**
 * The one port of the Kubernetes host that is forwarded to the cluster (ArgoCD's NodePort): opened to
 * the admin CIDRs only with `hosts.publicAdminIngress` (SSH too, when the stack sets a key).
 */
export const KUBERNETES_ADMIN_PORTS: readonly PortSpec[] = [PORTS.argocd];
/** Outbound web access hosts need for packages, images and AWS APIs. */
export const OUTBOUND_WEB_PORTS: readonly PortSpec[] = [PORTS.http, PORTS.https];

/** The hosts that serve a UI. */
export type UiHost = "kubernetes" | "monitoring";

export interface AdminUi {
    readonly host: UiHost;
    /** The port on the host (SSM `portNumber`); the tunnel's local port is the same number. */
    readonly port: PortSpec;
    readonly scheme: "http" | "https";
    /** Who logs in, for the tunnel's message. */
    readonly login: string;
}

/** The UIs reached with `npm run tunnel -- --stack <s> <ui>` (SSM port forwarding, no inbound rule). */
export const ADMIN_UIS = {
    argocd: { host: "kubernetes", port: PORTS.argocd, scheme: "https", login: "admin / password in <env>-argocd-credentials (self-signed TLS)" },
    grafana: { host: "monitoring", port: PORTS.grafana, scheme: "http", login: "admin / password in <env>-grafana-credentials" },
    prometheus: { host: "monitoring", port: PORTS.prometheus, scheme: "http", login: "no login" },
    kibana: { host: "monitoring", port: PORTS.kibana, scheme: "http", login: "no login" },
    jaeger: { host: "monitoring", port: PORTS.jaegerUi, scheme: "http", login: "no login" },
} as const satisfies Record<string, AdminUi>;

export type AdminUiName = keyof typeof ADMIN_UIS;
export const ADMIN_UI_NAMES = Object.keys(ADMIN_UIS) as AdminUiName[];

/** The URL a UI has on the user's machine while its tunnel runs, e.g. `http://localhost:3000`. */
export function tunnelUrl(ui: AdminUiName): string {
    const spec: AdminUi = ADMIN_UIS[ui];
    return `${spec.scheme}://localhost:${spec.port.from}`;
}
