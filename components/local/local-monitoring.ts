import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GRAFANA_PASSWORD_SECRET, GRAFANA_USER_SECRET, NAMED_VOLUMES } from "../monitoring/catalog";
import { PASSWORD_SPECS } from "../secrets/secrets";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";
import { LocalStackConfig } from "./config";
import { LOCAL_URLS, LocalContainer, NamedVolume, localContainers } from "./services";

/** The Grafana admin's login, as in the AWS stacks' `<env>-grafana-credentials`. */
export const LOCAL_GRAFANA_ADMIN = "admin";

export interface LocalMonitoringArgs {
    /** The validated config of a local stack (`data-platform:target: local`). */
    readonly config: LocalStackConfig;
}

/** Docker labels from the tags every AWS resource carries (`docker ps --filter label=Project=data-platform`). */
function labels(naming: Naming, purpose: string): docker.types.input.ContainerLabel[] {
    return Object.entries(naming.tags("local", purpose)).map(([label, value]) => ({ label, value }));
}

/**
 * The monitoring tier's services on this machine's Docker engine (`pulumi up -s local`): one network, the
 * catalog's named volumes, each image pulled by its catalog tag, and one container per service that runs
 * locally (components/local/services.ts says which, and what changes): ports published on 127.0.0.1 only,
 * the catalog's memory limits, a health check `pulumi up` waits for, and the files the EC2 host mounts
 * (prometheus.yml, the Logstash pipeline, Grafana provisioning) uploaded from the monitoring tier's
 * renderers. The Grafana admin password is generated here and reaches Grafana only as a file in
 * /run/secrets (a Pulumi secret throughout; the catalog's `__FILE` variables read it).
 */
export class LocalMonitoring extends TierComponent {
    readonly network: docker.Network;
    readonly volumes: Readonly<Record<NamedVolume, docker.Volume>>;
    readonly images: Readonly<Record<string, docker.RemoteImage>>;
    readonly containers: Readonly<Record<string, docker.Container>>;
    /** The Grafana admin password (a Pulumi secret): `pulumi stack output grafanaAdminPassword --show-secrets -s local`. */
    readonly grafanaAdminPassword: pulumi.Output<string>;
    readonly urls: typeof LOCAL_URLS;

    constructor(name: string, args: LocalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("local", "LocalMonitoring"), name, opts);
        const naming = new Naming(args.config.environment);

        this.network = new docker.Network(
            `${name}-network`,
            { name: naming.name("monitoring"), driver: "bridge", labels: labels(naming, "monitoring") },
            this.child(),
        );
        const volumes = {} as Record<NamedVolume, docker.Volume>;
        for (const volume of NAMED_VOLUMES) {
            const purpose = volume.replace(/_/g, "-");
            volumes[volume] = new docker.Volume(`${name}-${purpose}`, { name: naming.name(purpose), labels: labels(naming, purpose) }, this.child());
        }
        this.volumes = volumes;

        const spec = PASSWORD_SPECS.grafana;
        const password = new random.RandomPassword(
            `${name}-grafana-admin-password`,
            { length: spec.length, special: true, overrideSpecial: spec.special, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
            this.child(),
        );
        this.grafanaAdminPassword = pulumi.secret(password.result);
        const secretValues: Record<string, pulumi.Input<string>> = {
            [GRAFANA_USER_SECRET]: LOCAL_GRAFANA_ADMIN,
            [GRAFANA_PASSWORD_SECRET]: this.grafanaAdminPassword,
        };

        const images: Record<string, docker.RemoteImage> = {};
        const containers: Record<string, docker.Container> = {};
        const specs = new Map(localContainers().map((container) => [container.service, container]));
        // Each container after the ones it depends on (compose's depends_on; with `wait`, after they report healthy).
        const build = (service: string, path: readonly string[]): docker.Container => {
            const built = containers[service];
            if (built) return built;
            const container = specs.get(service);
            if (!container) throw new Error(`${name}: ${path.join(" -> ")} depends on ${service}, which does not run locally`);
            if (path.includes(service)) throw new Error(`${name}: dependency cycle ${[...path, service].join(" -> ")}`);
            const dependsOn = container.dependsOn.map((dependency) => build(dependency, [...path, service]));
            const image = new docker.RemoteImage(`${name}-${service}-image`, { name: container.image, keepLocally: true }, this.child());
            images[service] = image;
            containers[service] = new docker.Container(
                `${name}-${service}`,
                containerArgs(naming, container, image, this.network, volumes, secretValues),
                this.child({ dependsOn }),
            );
            return containers[service];
        };
        for (const service of specs.keys()) build(service, []);
        this.images = images;
        this.containers = containers;
        this.urls = LOCAL_URLS;

        this.registerOutputs({ networkName: this.network.name, urls: this.urls, grafanaAdminPassword: this.grafanaAdminPassword });
    }
}

function containerArgs(
    naming: Naming,
    container: LocalContainer,
    image: docker.RemoteImage,
    network: docker.Network,
    volumes: Readonly<Record<NamedVolume, docker.Volume>>,
    secretValues: Readonly<Record<string, pulumi.Input<string>>>,
): docker.ContainerArgs {
    const health = container.healthcheck;
    return {
        name: naming.name(container.service),
        image: image.imageId,
        ...(container.command ? { command: [...container.command] } : {}),
        envs: [...container.env],
        restart: "unless-stopped",
        memory: container.memoryMiB,
        networksAdvanced: [{ name: network.name, aliases: [container.service] }],
        ports: container.ports.map((port) => ({ ...port })),
        volumes: container.volumes.map((mount) => ({
            volumeName: volumes[mount.volume].name,
            containerPath: mount.containerPath,
            readOnly: mount.readOnly,
        })),
        uploads: [
            ...container.files.map((file) => ({ file: file.file, content: file.content })),
            ...container.secrets.map((secret) => ({
                file: secret.file,
                content: secretValues[secret.name],
                owner: secret.owner,
                group: secret.group,
                permissions: secret.permissions,
            })),
        ],
        ulimits: container.ulimits.map((ulimit) => ({ ...ulimit })),
        healthcheck: {
            tests: [...health.test],
            interval: health.interval,
            timeout: health.timeout,
            retries: health.retries,
            startPeriod: health.startPeriod,
        },
        wait: true,
        waitTimeout: health.waitSeconds,
        labels: labels(naming, container.service),
    };
}
