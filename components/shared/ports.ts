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
    ssh: tcp(22, "SSH"),
    kubernetesApi: tcp(8443, "Kubernetes API (minikube)"),
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
/** Database and cache ports, reachable only from the app tier by group reference. */
export const DATA_PORTS: readonly PortSpec[] = [PORTS.mysql, PORTS.postgres, PORTS.redis];
/** Admin access to the bastion. */
export const BASTION_PORTS: readonly PortSpec[] = [PORTS.ssh];
/** Admin access to the Kubernetes host (SSH is added only when the stack sets a key). */
export const KUBERNETES_ADMIN_PORTS: readonly PortSpec[] = [PORTS.kubernetesApi, PORTS.nodePorts];
/** Outbound web access hosts need for packages, images and AWS APIs. */
export const OUTBOUND_WEB_PORTS: readonly PortSpec[] = [PORTS.http, PORTS.https];
