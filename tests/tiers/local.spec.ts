import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ConfigError, isLocalConfig, isLocalTarget, parseAnyStackConfig, parseStackConfig } from "../../components/config";
import { LOCAL_DOCKER } from "../../components/local/config";
import { LOCAL_GRAFANA_ADMIN, LocalMonitoring } from "../../components/local/local-monitoring";
import {
    ADAPTATIONS,
    HEALTH_CHECKS,
    LEFT_OUT,
    LOCAL_LOGSTASH_PIPELINE,
    LOCAL_URLS,
    localContainers,
    localServices,
    renderLocalFiles,
} from "../../components/local/services";
import { DOCKER_TYPE } from "../../components/local/types";
import {
    GRAFANA_PASSWORD_SECRET,
    GRAFANA_USER_SECRET,
    MONITORING_SERVICES,
    MonitoringService,
    NAMED_VOLUMES,
} from "../../components/monitoring/catalog";
import {
    renderGrafanaDashboard,
    renderGrafanaDashboardProvider,
    renderGrafanaDatasources,
    renderLogstash,
    renderPrometheus,
} from "../../components/monitoring/render";
import { toDeploymentResources } from "../../tools/deployment";
import { RecordedResource, isSecretValue, revealSecrets } from "../../tools/mock-cloud";
import { buildPlan } from "../../tools/plan";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { FIXTURE_STACKS_DIR } from "../support/stateful";
import { TYPE } from "../../policy-pack/policies/types";

/** A local stack as a user writes it; the environment is not "local", so names that follow it are seen to. */
const ENVIRONMENT = "laptop";
const LOCAL_CONFIG = { "data-platform:target": "local", "data-platform:environment": ENVIRONMENT };

const catalog = (name: string): MonitoringService => {
    const service = MONITORING_SERVICES.find((entry) => entry.name === name);
    assert.ok(service, `no catalog service ${name}`);
    return service;
};
const inputs = (resource: RecordedResource) => revealSecrets(resource.inputs) as Record<string, any>;

describe("local stack (data-platform:target: local): the monitoring catalog on the local Docker engine", function () {
    this.timeout(60000);
    let run: ProgramRun;
    const ofType = (type: string) => run.resources.filter((resource) => resource.type === type);
    const container = (service: string) => {
        const found = ofType(DOCKER_TYPE.container).find((resource) => inputs(resource).networksAdvanced[0].aliases.includes(service));
        assert.ok(found, `no container for ${service}`);
        return found;
    };
    const uploads = (service: string) => new Map<string, any>(inputs(container(service)).uploads.map((upload: any) => [upload.file, upload]));

    before(async () => {
        run = await runProgram({ stack: "local", config: LOCAL_CONFIG });
    });

    describe("config", () => {
        it("parses with target, environment and nothing else: no region, no network", () => {
            const config = parseAnyStackConfig(LOCAL_CONFIG);
            assert.ok(isLocalConfig(config));
            assert.deepStrictEqual(config, { target: "local", environment: ENVIRONMENT, budget: { enforce: false } });
            assert.ok(isLocalTarget(LOCAL_CONFIG));
        });

        it("refuses AWS keys in a local stack, naming the keys it takes", () => {
            let caught: unknown;
            try {
                parseAnyStackConfig({
                    ...LOCAL_CONFIG,
                    "aws:region": "us-east-2",
                    "data-platform:network": JSON.stringify({ vpcCidr: "10.0.0.0/16" }),
                });
            } catch (error) {
                caught = error;
            }
            assert.ok(caught instanceof ConfigError, String(caught));
            assert.deepStrictEqual(caught.problems.map((problem) => problem.key).sort(), ["aws:region", "data-platform:network"]);
            for (const problem of caught.problems)
                assert.match(problem.message, /not read by a local stack.*allowed keys here: target, environment, budget/);
        });

        it("refuses a target that is neither aws nor local", () => {
            assert.throws(
                () => parseAnyStackConfig({ ...LOCAL_CONFIG, "data-platform:target": "docker" }),
                (error: unknown) =>
                    error instanceof ConfigError &&
                    error.problems.some((problem) => problem.key === "data-platform:target" && /one of aws .* or local/.test(problem.message)),
            );
        });

        it("an AWS stack may say target: aws, and parses as it did without it", () => {
            const dev = fs.readFileSync(path.join(FIXTURE_STACKS_DIR, "Pulumi.dev.yaml"), "utf8");
            const raw = Object.fromEntries(
                Object.entries((YAML.parse(dev) as { config: Record<string, unknown> }).config).map(([key, value]) => [
                    key,
                    typeof value === "string" ? value : JSON.stringify(value),
                ]),
            );
            const implicit = parseStackConfig(raw);
            assert.strictEqual(implicit.target, "aws");
            assert.deepStrictEqual(parseStackConfig({ ...raw, "data-platform:target": "aws" }), implicit);
        });
    });

    describe("what runs", () => {
        it("every catalog service either runs (as the catalog says, or adapted with a reason) or is left out with a reason", () => {
            const running = localServices().map((service) => service.name);
            for (const service of MONITORING_SERVICES) {
                const leftOut = LEFT_OUT[service.name];
                assert.ok(running.includes(service.name) !== (leftOut !== undefined), `${service.name}: runs or is left out, not both`);
                if (leftOut) assert.ok(leftOut.length > 40, `${service.name}: the reason it is left out`);
            }
            for (const [name, adaptation] of Object.entries(ADAPTATIONS)) {
                assert.ok(running.includes(name), `${name} is adapted but does not run`);
                assert.ok(adaptation.why.length > 40, `${name}: why it is adapted`);
            }
            assert.deepStrictEqual(
                ofType(DOCKER_TYPE.container)
                    .map((resource) => inputs(resource).networksAdvanced[0].aliases[0])
                    .sort(),
                [...running].sort(),
            );
        });

        it("runs Prometheus, Grafana, Jaeger and the ELK stack", () => {
            for (const service of ["prometheus", "grafana", "jaeger", "elasticsearch", "logstash", "kibana"]) container(service);
        });

        it("leaves out the CloudWatch exporter (AWS only), saying why", () => {
            assert.match(LEFT_OUT["cloudwatch-exporter"], /CloudWatch.*AWS/);
            const images = ofType(DOCKER_TYPE.remoteImage).map((image) => inputs(image).name);
            assert.ok(!images.includes(catalog("cloudwatch-exporter").image), images.join(", "));
            assert.ok(!ofType(DOCKER_TYPE.container).some((resource) => inputs(resource).name.includes("cloudwatch")));
            assert.ok(!renderLocalFiles().some((file) => file.content.includes("cloudwatch")), "no rendered file names the exporter");
        });

        it("builds nothing in AWS and calls no AWS API", () => {
            const aws = run.resources.filter((resource) => resource.type.startsWith("aws:") || resource.type.startsWith("awsx:"));
            assert.deepStrictEqual(
                aws.map((resource) => resource.urn),
                [],
            );
            assert.deepStrictEqual(run.cloud.calls, []);
            assert.strictEqual(run.region, LOCAL_DOCKER);
        });

        it("is one LocalMonitoring component (data-platform:local:LocalMonitoring) holding every resource", () => {
            const components = run.resources.filter((resource) => !resource.custom && resource.type !== "pulumi:pulumi:Stack");
            assert.deepStrictEqual(
                components.map((component) => component.type),
                ["data-platform:local:LocalMonitoring"],
            );
            for (const resource of run.resources.filter((r) => r.custom)) assert.strictEqual(resource.parent, components[0].urn, resource.urn);
        });
    });

    describe("containers match the catalog", () => {
        it("each pulls its image by the catalog's exact tag and runs the pulled image", () => {
            for (const spec of localContainers()) {
                const image = ofType(DOCKER_TYPE.remoteImage).find((resource) => inputs(resource).name === spec.image);
                assert.ok(image, `no image ${spec.image}`);
                assert.strictEqual(spec.image, catalog(spec.service).image);
                assert.match(spec.image, /:[\w.-]+$/, "a tag");
                assert.doesNotMatch(spec.image, /:latest$/);
                assert.strictEqual(inputs(container(spec.service)).image, image.outputs.imageId, spec.service);
            }
        });

        it("publishes the catalog's admin and local ports on 127.0.0.1 only, and its network ports not at all", () => {
            for (const resource of ofType(DOCKER_TYPE.container)) {
                for (const port of inputs(resource).ports ?? [])
                    assert.strictEqual(port.ip, "127.0.0.1", `${resource.name}: ${JSON.stringify(port)}`);
            }
            for (const service of localServices()) {
                const published = (inputs(container(service.name)).ports ?? []).map(
                    (port: any) => `${port.external}->${port.internal}/${port.protocol}`,
                );
                const expected = service.ports
                    .filter((port) => port.access !== "network")
                    .map((port) => `${port.port.from}->${port.port.from}/${port.port.protocol}`);
                assert.deepStrictEqual(published, expected, service.name);
            }
        });

        it("limits each container's memory to the catalog's memoryMiB", () => {
            for (const service of localServices())
                assert.strictEqual(inputs(container(service.name)).memory, catalog(service.name).memoryMiB, service.name);
        });

        it("mounts the catalog's named volumes, one docker.Volume each, named after the environment", () => {
            const volumes = new Map(ofType(DOCKER_TYPE.volume).map((volume) => [inputs(volume).name as string, volume]));
            assert.deepStrictEqual([...volumes.keys()].sort(), NAMED_VOLUMES.map((volume) => `${ENVIRONMENT}-${volume.replace(/_/g, "-")}`).sort());
            for (const service of localServices()) {
                const expected = catalog(service.name)
                    .volumes.map((spec) => spec.split(":"))
                    .filter(([source]) => (NAMED_VOLUMES as readonly string[]).includes(source))
                    .map(([source, target]) => `${ENVIRONMENT}-${source.replace(/_/g, "-")}:${target}`);
                const mounted = (inputs(container(service.name)).volumes ?? []).map((mount: any) => `${mount.volumeName}:${mount.containerPath}`);
                assert.deepStrictEqual(mounted, expected, service.name);
                for (const mount of inputs(container(service.name)).volumes ?? []) assert.ok(volumes.has(mount.volumeName), mount.volumeName);
            }
        });

        it("mounts no host path", () => {
            for (const resource of ofType(DOCKER_TYPE.container)) {
                for (const mount of inputs(resource).volumes ?? []) assert.strictEqual(mount.hostPath, undefined, resource.name);
                assert.strictEqual(inputs(resource).mounts, undefined, resource.name);
                assert.notStrictEqual(inputs(resource).privileged, true, resource.name);
                assert.strictEqual(inputs(resource).networkMode, undefined, `${resource.name}: on the stack's network, not the host's`);
            }
        });

        it("sets the catalog's environment and command (the adaptations' changes only)", () => {
            for (const service of localServices()) {
                const given = inputs(container(service.name));
                assert.deepStrictEqual(
                    given.envs,
                    Object.entries(service.environment)
                        .map(([key, value]) => `${key}=${value}`)
                        .sort(),
                    service.name,
                );
                assert.deepStrictEqual(given.command, service.command ? [...service.command] : undefined, service.name);
                if (!ADAPTATIONS[service.name]) {
                    assert.deepStrictEqual(service.environment, catalog(service.name).environment, service.name);
                    assert.deepStrictEqual(service.command, catalog(service.name).command, service.name);
                }
            }
            assert.ok(inputs(container("logstash")).envs.includes("API_HTTP_HOST=0.0.0.0"), "Logstash's API answers on the published port");
            assert.deepStrictEqual(inputs(container("elasticsearch")).ulimits, [{ name: "nofile", soft: 65535, hard: 65535 }]);
        });

        it("puts every container on one network, reachable by its catalog name (what the rendered URLs use)", () => {
            const networks = ofType(DOCKER_TYPE.network);
            assert.strictEqual(networks.length, 1);
            assert.strictEqual(inputs(networks[0]).name, `${ENVIRONMENT}-monitoring`);
            for (const service of localServices()) {
                const given = inputs(container(service.name));
                assert.deepStrictEqual(given.networksAdvanced, [{ name: `${ENVIRONMENT}-monitoring`, aliases: [service.name] }]);
                assert.strictEqual(given.name, `${ENVIRONMENT}-${service.name}`);
                assert.strictEqual(given.restart, "unless-stopped");
            }
        });

        it("starts each container after the ones the catalog says it depends on", () => {
            for (const service of localServices()) {
                const dependencies = container(service.name).dependencies;
                for (const other of service.dependsOn ?? []) assert.ok(dependencies.includes(container(other).urn), `${service.name} after ${other}`);
            }
            assert.ok(container("kibana").dependencies.includes(container("elasticsearch").urn));
        });

        it("has a health check per container, with a tool the image ships, and pulumi up waits for it", () => {
            for (const service of localServices()) {
                const given = inputs(container(service.name));
                const check = HEALTH_CHECKS[service.name];
                assert.ok(check, service.name);
                assert.deepStrictEqual(given.healthcheck.tests, [...check.test], service.name);
                assert.strictEqual(given.healthcheck.tests[0], "CMD");
                assert.ok(["wget", "curl"].includes(given.healthcheck.tests[1]), service.name);
                assert.match(given.healthcheck.tests.at(-1), /^http:\/\/localhost:\d+\//, service.name);
                for (const key of ["interval", "timeout", "startPeriod"]) assert.match(given.healthcheck[key], /^\d+s$/, `${service.name}.${key}`);
                assert.ok(given.healthcheck.retries > 0);
                assert.strictEqual(given.wait, true, service.name);
                assert.ok(given.waitTimeout >= 60, service.name);
            }
            assert.match(HEALTH_CHECKS.prometheus.test.join(" "), /\/-\/healthy$/);
            assert.match(HEALTH_CHECKS.grafana.test.join(" "), /\/api\/health$/);
            assert.match(HEALTH_CHECKS.elasticsearch.test.join(" "), /\/_cluster\/health\?wait_for_status=yellow/);
        });
    });

    describe("files, rendered by the monitoring tier's renderers", () => {
        it("provisions Grafana with the renderers' data sources (Prometheus, Elasticsearch), dashboard provider and dashboard", () => {
            const files = uploads("grafana");
            assert.strictEqual(files.get("/etc/grafana/provisioning/datasources/datasources.yml")?.content, renderGrafanaDatasources());
            assert.strictEqual(files.get("/etc/grafana/provisioning/dashboards/dashboards.yml")?.content, renderGrafanaDashboardProvider());
            assert.strictEqual(files.get("/etc/grafana/dashboards/monitoring-host.json")?.content, renderGrafanaDashboard());
            const sources = (YAML.parse(renderGrafanaDatasources()) as { datasources: { type: string; url: string }[] }).datasources;
            assert.deepStrictEqual(
                sources.map((source) => `${source.type} ${source.url}`),
                ["prometheus http://prometheus:9090", "elasticsearch http://elasticsearch:9200"],
            );
        });

        it("gives Prometheus the rendered prometheus.yml of the services that run, every target a container on the network", () => {
            const content = uploads("prometheus").get("/etc/prometheus/prometheus.yml")?.content;
            assert.strictEqual(content, renderPrometheus(localServices()));
            const config = YAML.parse(content) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
            const running = new Set(localServices().map((service) => service.name));
            for (const job of config.scrape_configs) {
                assert.ok(running.has(job.job_name), job.job_name);
                for (const target of job.static_configs.flatMap((entry) => entry.targets)) {
                    const host = target.split(":")[0];
                    assert.ok(host === "localhost" || running.has(host), `${job.job_name} scrapes ${target}`);
                }
            }
            assert.ok(!config.scrape_configs.some((job) => job.job_name === "cloudwatch-exporter" || job.job_name === "cadvisor"));
        });

        it("gives Logstash the rendered pipeline without the S3 input, into Elasticsearch on the network", () => {
            const content = uploads("logstash").get("/usr/share/logstash/pipeline/logstash.conf")?.content;
            assert.strictEqual(content, renderLogstash(LOCAL_LOGSTASH_PIPELINE));
            assert.doesNotMatch(content, /^\s*s3 \{/m);
            assert.doesNotMatch(content, /S3_BUCKET|AWS_REGION/);
            assert.match(content, /beats \{\n\s*host => "0\.0\.0\.0"\n\s*port => 5044/);
            assert.match(content, /hosts => \["http:\/\/elasticsearch:9200"\]/);
            // The EC2 host's pipeline keeps it.
            assert.match(renderLogstash(), /^ {2}s3 \{/m);
        });

        it("uploads every file a running service mounts from the host's folder, at the path it mounts it", () => {
            for (const service of localServices()) {
                const files = [...uploads(service.name).keys()];
                for (const [source, target] of service.volumes.map((spec) => spec.split(":")).filter(([from]) => from.startsWith("./"))) {
                    assert.ok(
                        files.some((file) => file === target || file.startsWith(`${target}/`)),
                        `${service.name}: nothing uploaded for ${source}:${target} (${files.join(", ")})`,
                    );
                }
            }
        });
    });

    describe("the Grafana admin password", () => {
        const password = () => revealSecrets(ofType(TYPE.randomPassword)[0].outputs.result) as string;

        it("is a random password, written as Grafana's /run/secrets files that the catalog's __FILE variables read", () => {
            assert.strictEqual(ofType(TYPE.randomPassword).length, 1);
            assert.ok(password().length >= 32);
            const files = uploads("grafana");
            assert.strictEqual(files.get(`/run/secrets/${GRAFANA_PASSWORD_SECRET}`)?.content, password());
            assert.strictEqual(files.get(`/run/secrets/${GRAFANA_USER_SECRET}`)?.content, LOCAL_GRAFANA_ADMIN);
            for (const name of [GRAFANA_PASSWORD_SECRET, GRAFANA_USER_SECRET]) {
                assert.strictEqual(files.get(`/run/secrets/${name}`)?.permissions, "0440");
                assert.ok(inputs(container("grafana")).envs.some((env: string) => env.endsWith(`__FILE=/run/secrets/${name}`)));
            }
        });

        it("never appears in plain: not in any input or output, nor in the plan document", () => {
            const secret = password();
            const hidden = (value: unknown) => JSON.stringify(revealSecrets(value, () => "[secret]"));
            for (const resource of run.resources) {
                assert.ok(!hidden(resource.inputs).includes(secret), `${resource.urn} inputs`);
                assert.ok(!hidden(resource.outputs).includes(secret), `${resource.urn} outputs`);
            }
            assert.ok(isSecretValue(container("grafana").inputs.uploads), "the uploads holding it are a secret");
            assert.ok(!JSON.stringify(toDeploymentResources(run)).includes(secret));
            // (run.stackOutputs are the values as resolved, secrets included: the exported Output is checked below.)
            for (const env of inputs(container("grafana")).envs) assert.ok(!String(env).includes(secret));
        });
    });

    it("the password it exports (grafanaAdminPassword) is a secret output", async () => {
        let built: LocalMonitoring | undefined;
        await runProgram({
            stack: "local",
            config: LOCAL_CONFIG,
            program: () => {
                built = new LocalMonitoring(ENVIRONMENT, { config: { target: "local", environment: ENVIRONMENT, budget: { enforce: false } } });
                return {};
            },
        });
        assert.ok(built);
        assert.strictEqual(await pulumi.isSecret(built.grafanaAdminPassword), true);
    });

    it("exports the UIs on 127.0.0.1, and none of an AWS stack's outputs", () => {
        assert.deepStrictEqual(revealSecrets(run.stackOutputs.urls), LOCAL_URLS);
        for (const url of Object.values(LOCAL_URLS)) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        for (const key of ["vpcId", "subnetIds", "bucketNames", "tunnels", "hostInstanceIds"]) assert.ok(!(key in run.stackOutputs), key);
    });

    it("plans offline with exit 0, not priced (local Docker)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-stack-"));
        fs.copyFileSync(path.join(FIXTURE_STACKS_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.local.yaml"), YAML.stringify({ config: LOCAL_CONFIG }));
        const result = await buildPlan({ stack: "local", root: dir });
        assert.strictEqual(result.exitCode, 0, result.summary);
        assert.deepStrictEqual(result.document.violations, []);
        assert.strictEqual(result.cost, undefined);
        assert.match(result.summary, /cost: not priced for local Docker/);
        assert.strictEqual(
            result.document.deployment.resources.filter((resource) => resource.custom).length,
            run.resources.filter((r) => r.custom).length,
        );
    });
});
