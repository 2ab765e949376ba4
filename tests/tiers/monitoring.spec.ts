import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { parseStackConfig } from "../../components/config";
import { AL2023_AMI_PARAMETERS, IMDS_HOP_LIMIT } from "../../components/shared/host/host";
import { USER_DATA_LIMIT_BYTES, embeddedFiles, renderUserData } from "../../components/shared/host/user-data";
import { INSTANCE_TYPES, OS_RESERVE_MIB } from "../../components/shared/instance-types";
import {
    GRAFANA_PASSWORD_SECRET,
    GRAFANA_USER_SECRET,
    MONITORING_ADMIN_PORTS,
    MONITORING_DIR,
    MONITORING_SERVICES,
    monitoringHostMinimumMemoryMiB,
    monitoringMemoryLimitMiB,
    portsWithAccess,
    servicesWithInstanceRole,
} from "../../components/monitoring/catalog";
import { onHostNetwork, renderMonitoringFiles, toYaml } from "../../components/monitoring/render";
import { CLOUDWATCH_READ_ACTIONS, COMPOSE_PLUGIN, MONITORING_UNIT, renderMonitoringUserData } from "../../components/monitoring/monitoring";
import { readAsset } from "../../components/shared/host/user-data";
import { ADMIN_UIS, PORTS, tunnelUrl } from "../../components/shared/ports";
import { renderRunAssets } from "../../tools/render-assets";
import { ProgramRun } from "../../tools/run-program";
import { configErrorFor, STACKS, editConfig, idOf, inputsOf, ofType, runStack, runStackWith, fixtureStack, fixtureConfig } from "../support/helpers";
import { LITERAL_PASSWORD, generatedSecrets, hostChild, ingressOf, secretNamed, statementsOf, userDataOf } from "../support/host-helpers";
import { TYPE } from "../../policy-pack/policies/types";

const SEED_SERVICES = [
    "prometheus",
    "grafana",
    "elasticsearch",
    "kibana",
    "logstash",
    "jaeger",
    "pushgateway",
    "cloudwatch-exporter",
    "node-exporter",
    "cadvisor",
];

function accessLogsBucket(run: ProgramRun): string {
    const bucket = ofType(run, TYPE.s3Bucket).find((b) => b.name.endsWith("-access-logs") || String(b.outputs.bucket).includes("access-logs"));
    assert.ok(bucket, "no access-log bucket");
    return String(bucket.outputs.bucket);
}

function files(run: ProgramRun): Map<string, string> {
    return new Map(embeddedFiles(userDataOf(run, "monitoring")).map((f) => [f.path.replace(`${MONITORING_DIR}/`, ""), f.content]));
}

describe("monitoring catalog", () => {
    it("lists the seed's ten services, each with a pinned image and a memory limit", () => {
        assert.deepStrictEqual(
            MONITORING_SERVICES.map((s) => s.name),
            SEED_SERVICES,
        );
        for (const service of MONITORING_SERVICES) {
            assert.match(service.image, /^[\w./-]+:v?\d+\.\d+\.\d+$/, `${service.name} image ${service.image} is not pinned`);
            assert.ok(service.memoryMiB >= 128, service.name);
        }
    });

    it("has exactly the four UIs of ADMIN_UIS as admin ports; everything else stays on the host", () => {
        assert.deepStrictEqual(
            MONITORING_ADMIN_PORTS.map((p) => p.from),
            [PORTS.prometheus.from, PORTS.grafana.from, PORTS.kibana.from, PORTS.jaegerUi.from],
        );
        const monitoringUis = Object.values(ADMIN_UIS).filter((ui) => ui.host === "monitoring");
        assert.deepStrictEqual(monitoringUis.map((ui) => ui.port.from).sort(), MONITORING_ADMIN_PORTS.map((p) => p.from).sort());
        assert.deepStrictEqual(
            portsWithAccess("local").map((p) => p.from),
            [9200, 5044, 9600, 4317, 4318, 9091],
        );
    });

    it("needs its memory limits plus the OS reserve, which fits the default t4g.large (and t3.large) but not a t4g.medium", () => {
        assert.strictEqual(monitoringMemoryLimitMiB(), 6400);
        assert.strictEqual(monitoringHostMinimumMemoryMiB(), 6400 + OS_RESERVE_MIB);
        for (const type of ["t4g.large", "t3.large"]) assert.ok(INSTANCE_TYPES[type].memoryMiB >= monitoringHostMinimumMemoryMiB(), type);
        for (const type of ["t4g.medium", "t3.medium"]) assert.ok(INSTANCE_TYPES[type].memoryMiB < monitoringHostMinimumMemoryMiB(), type);
    });

    it("gives the instance role only to Logstash (S3 input) and the CloudWatch exporter, which run on the host network", () => {
        assert.deepStrictEqual(
            servicesWithInstanceRole().map((s) => s.name),
            ["logstash", "cloudwatch-exporter"],
        );
        for (const service of MONITORING_SERVICES) {
            const expected = service.instanceRole !== undefined || service.name === "node-exporter";
            assert.strictEqual(onHostNetwork(service), expected, service.name);
        }
    });

    it("quotes strings YAML 1.1 readers would turn into numbers or booleans", () => {
        const text = toYaml({ ports: ["3000:3000", "127.0.0.1:9200:9200"], enabled: "false", plain: "-Xms1g" });
        assert.match(text, /- "3000:3000"/);
        assert.match(text, /- "127\.0\.0\.1:9200:9200"/);
        assert.match(text, /enabled: "false"/);
        assert.match(text, /plain: -Xms1g/);
        assert.match(text, /^# Generated from components\/monitoring-catalog\.ts.*\n---\n/);
    });
});

describe("monitoring host", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runStack("dev");
    });

    it("is built in dev only (the stacks that set monitoring: true)", async () => {
        assert.strictEqual(ofType(run, TYPE.ec2Instance).filter((i) => i.name === "dev-monitoring-instance").length, 1);
        for (const stack of ["staging", "prod"]) {
            const other = await runStack(stack);
            assert.deepStrictEqual(
                ofType(other, TYPE.ec2Instance).filter((i) => i.name.includes("monitoring")),
                [],
                stack,
            );
        }
    });

    it("runs a t4g.large (Graviton) from the AL2023 arm64 parameter with an encrypted gp3 root volume and IMDSv2 only, hop limit 1", () => {
        const instance = hostChild(run, "monitoring", TYPE.ec2Instance);
        const i = inputsOf(instance);
        const ami = run.cloud.call({
            token: "aws:ssm/getParameter:getParameter",
            inputs: { name: AL2023_AMI_PARAMETERS.arm64 },
            provider: "",
        } as never).value;
        assert.strictEqual(i.ami, ami);
        assert.deepStrictEqual(instance.ignoreChanges, ["ami"], "a new AMI release must not replace the host and its data");
        assert.strictEqual(AL2023_AMI_PARAMETERS.arm64, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        assert.strictEqual(i.instanceType, "t4g.large");
        assert.strictEqual(i.rootBlockDevice.volumeType, "gp3");
        assert.strictEqual(i.rootBlockDevice.encrypted, true);
        assert.strictEqual(i.metadataOptions.httpTokens, "required");
        assert.strictEqual(i.metadataOptions.httpPutResponseHopLimit, IMDS_HOP_LIMIT);
        assert.strictEqual(IMDS_HOP_LIMIT, 1, "containers on the bridge get no instance credentials");
        const group = ofType(run, TYPE.ec2SecurityGroup).find((g) => g.name.endsWith("-firewall-monitoring"))!;
        assert.deepStrictEqual(i.vpcSecurityGroupIds, [idOf(group)]);
        assert.strictEqual(i.tags.Tier, "monitoring");
    });

    it("takes no inbound traffic by default; hosts.publicAdminIngress opens only the catalog's UIs, only to the admin CIDRs", async () => {
        const admins = fixtureConfig("dev").access.adminCidrs;
        assert.ok(admins.length > 0, "the dev fixture sets admin CIDRs");
        assert.deepStrictEqual(ingressOf(run, "monitoring"), []);
        const open = await runStackWith("dev", { "data-platform:hosts": { publicAdminIngress: true } });
        const expected = admins.flatMap((cidr) => MONITORING_ADMIN_PORTS.map((p) => `tcp ${p.from}-${p.to} ${cidr}`)).sort();
        assert.deepStrictEqual(ingressOf(open, "monitoring"), expected);
        const twoAdmins = await runStackWith("dev", {
            "data-platform:hosts": { publicAdminIngress: true },
            "data-platform:access": { adminCidrs: ["192.0.2.0/24", "2001:db8::/48"] },
        });
        assert.strictEqual(ingressOf(twoAdmins, "monitoring").length, 2 * MONITORING_ADMIN_PORTS.length);
        for (const rule of ingressOf(twoAdmins, "monitoring")) assert.match(rule, / (192\.0\.2\.0\/24|2001:db8::\/48)$/);
        // With the opt-in, the UIs are published on every interface; without it, on the loopback only.
        const published = (r: ProgramRun) =>
            Object.values<any>(YAML.parse(files(r).get("docker-compose.yml")!).services).flatMap((svc) => svc.ports ?? []) as string[];
        assert.ok(published(open).includes("3000:3000"));
        assert.ok(published(run).includes("127.0.0.1:3000:3000"));
        assert.ok(!published(run).some((p) => !p.startsWith("127.0.0.1:")), published(run).join(" "));
    });

    it("gets a key pair only with a public key, for SSH over Session Manager (no port 22 in its group without the opt-in)", async () => {
        assert.strictEqual(inputsOf(hostChild(run, "monitoring", TYPE.ec2Instance)).keyName, undefined);
        const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@example";
        const withKey = await runStackWith("dev", { "data-platform:access": { sshPublicKey: key } });
        const pair = inputsOf(hostChild(withKey, "monitoring", TYPE.ec2KeyPair));
        assert.strictEqual(pair.publicKey, key);
        assert.strictEqual(inputsOf(hostChild(withKey, "monitoring", TYPE.ec2Instance)).keyName, pair.keyName);
        assert.ok(!ingressOf(withKey, "monitoring").some((rule) => rule.startsWith("tcp 22-22")));
    });

    it("may read the Grafana secret, the access-log bucket and CloudWatch metrics; no wildcard action", () => {
        const grafana = secretNamed(run, "-grafana-credentials");
        const bucketArn = `arn:aws:s3:::${accessLogsBucket(run)}`;
        assert.deepStrictEqual(statementsOf(run, "monitoring"), [
            {
                Sid: "ReadOwnSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: grafana.outputs.arn,
            },
            { Sid: "ListAccessLogs", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
            { Sid: "ReadAccessLogs", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/*` },
            { Sid: "ReadCloudWatchMetrics", Effect: "Allow", Action: [...CLOUDWATCH_READ_ACTIONS], Resource: "*" },
        ]);
        assert.deepStrictEqual([...CLOUDWATCH_READ_ACTIONS], ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "tag:GetResources"]);
        for (const statement of statementsOf(run, "monitoring")) {
            for (const action of statement.Action) assert.doesNotMatch(action, /\*/);
        }
    });

    it("has no Elastic IP; exports the UIs on the tunnels' local ports and their tunnels, and writes Grafana's into its secret", () => {
        assert.deepStrictEqual(ofType(run, TYPE.ec2Eip), []);
        const urls = run.stackOutputs.urls as Record<string, string>;
        assert.deepStrictEqual(
            { grafana: urls.grafana, prometheus: urls.prometheus, kibana: urls.kibana, jaeger: urls.jaeger },
            {
                grafana: "http://localhost:3000",
                prometheus: "http://localhost:9090",
                kibana: "http://localhost:5601",
                jaeger: "http://localhost:16686",
            },
        );
        const id = idOf(hostChild(run, "monitoring", TYPE.ec2Instance));
        const tunnels = run.stackOutputs.tunnels as Record<string, any>;
        for (const ui of ["grafana", "prometheus", "kibana", "jaeger"] as const) {
            assert.deepStrictEqual(tunnels[ui], {
                instanceId: id,
                portNumber: ADMIN_UIS[ui].port.from,
                localPortNumber: ADMIN_UIS[ui].port.from,
                url: tunnelUrl(ui),
            });
        }
        const version = ofType(run, TYPE.secretsmanagerSecretVersion).find(
            (v) => inputsOf(v).secretId === secretNamed(run, "-grafana-credentials").outputs.arn,
        );
        assert.ok(version);
        assert.strictEqual(JSON.parse(inputsOf(version).secretString).url, urls.grafana);
    });

    describe("user data", () => {
        let userData: string;
        before(() => {
            userData = userDataOf(run, "monitoring");
        });

        it("is a strict bash script that logs to a file and stays under 16 KB", () => {
            assert.ok(userData.startsWith("#!/bin/bash\n"));
            assert.match(userData, /^set -euo pipefail$/m);
            assert.match(userData, /exec > >\(tee -a "\$BOOTSTRAP_LOG"\) 2>&1/);
            assert.ok(Buffer.byteLength(userData) < USER_DATA_LIMIT_BYTES, `${Buffer.byteLength(userData)} bytes`);
        });

        it("embeds exactly the files rendered from the catalog for this stack, and the compose unit", () => {
            const expected = renderMonitoringFiles({ region: "us-east-2", environment: "dev", accessLogsBucket: accessLogsBucket(run) });
            assert.deepStrictEqual(
                embeddedFiles(userData).map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
                [
                    ...expected.map((f) => ({ path: `${MONITORING_DIR}/${f.path}`, content: f.content, mode: "0644" })),
                    { path: `/etc/systemd/system/${MONITORING_UNIT}`, content: readAsset(`monitoring/${MONITORING_UNIT}`), mode: "0644" },
                ],
            );
        });

        it("holds no secret: no generated value, no PASSWORD=<value>; Grafana reads its password from a 0400 file", () => {
            const secrets = generatedSecrets(run);
            assert.ok(secrets.length >= 2);
            for (const text of [userData, ...files(run).values()]) {
                for (const secret of secrets) assert.ok(!text.includes(secret), "a generated secret is in the user data");
                assert.doesNotMatch(text, LITERAL_PASSWORD);
            }
            const grafana = YAML.parse(files(run).get("docker-compose.yml")!).services.grafana;
            assert.strictEqual(grafana.environment.GF_SECURITY_ADMIN_PASSWORD, undefined);
            assert.strictEqual(grafana.environment.GF_SECURITY_ADMIN_PASSWORD__FILE, `/run/secrets/${GRAFANA_PASSWORD_SECRET}`);
            assert.deepStrictEqual(grafana.secrets, [GRAFANA_USER_SECRET, GRAFANA_PASSWORD_SECRET]);
            assert.match(userData, /password=\$\(secret_field "\$GRAFANA_SECRET_ARN" password\)/);
            assert.match(userData, /chmod 0400 "\$tmp"/);
        });

        it("installs the Compose plugin pinned with its checksum for the host's architecture", () => {
            assert.ok(userData.includes(`readonly COMPOSE_VERSION='${COMPOSE_PLUGIN.version}'`));
            assert.ok(userData.includes(`readonly COMPOSE_SHA256='${COMPOSE_PLUGIN.sha256.arm64}'`));
            assert.ok(userData.includes("readonly COMPOSE_ASSET='aarch64'"));
            assert.ok(userData.includes("readonly HOST_MACHINE='aarch64'"));
            assert.match(userData, /docker-compose-linux-\$\{COMPOSE_ASSET\}/);
            assert.match(userData, /^require_machine "\$HOST_MACHINE"$/m);
            for (const sha of Object.values(COMPOSE_PLUGIN.sha256)) assert.match(sha!, /^[0-9a-f]{64}$/);
            const x86 = renderMonitoringUserData({
                region: "us-east-2",
                environment: "dev",
                accessLogsBucket: "b",
                grafanaSecretArn: "arn",
                architecture: "x86_64",
            });
            assert.ok(x86.includes(`readonly COMPOSE_SHA256='${COMPOSE_PLUGIN.sha256.x86_64}'`));
            assert.ok(x86.includes("readonly COMPOSE_ASSET='x86_64'"));
            assert.doesNotMatch(userData, /latest/);
        });

        it("runs the compose project under an enabled systemd unit: up -d at boot, down at shutdown", () => {
            const unit = embeddedFiles(userData).find((f) => f.path === `/etc/systemd/system/${MONITORING_UNIT}`);
            assert.ok(unit);
            assert.strictEqual(unit.content, readAsset(`monitoring/${MONITORING_UNIT}`));
            const compose = `/usr/bin/docker compose --project-directory ${MONITORING_DIR} -f ${MONITORING_DIR}/docker-compose.yml`;
            assert.match(unit.content, new RegExp(`^ExecStart=${compose.replace(/[./]/g, "\\$&")} up -d --remove-orphans$`, "m"));
            assert.match(unit.content, new RegExp(`^ExecStop=${compose.replace(/[./]/g, "\\$&")} down$`, "m"));
            assert.match(unit.content, /^Requires=docker\.service$/m);
            assert.match(unit.content, /^Restart=on-failure$/m);
            assert.match(unit.content, /^\[Install\]\nWantedBy=multi-user\.target$/m);
            assert.match(userData, /^enable_unit "\$MONITORING_UNIT"$/m);
            assert.ok(userData.includes(`readonly MONITORING_UNIT='${MONITORING_UNIT}'`));
            assert.doesNotMatch(userData, /^retry 3 30 docker compose/m, "the unit, not the bootstrap, runs compose");
        });

        it("refuses to render more than EC2 accepts", () => {
            const big = {
                path: "/opt/monitoring/big.bin",
                mode: "0644",
                owner: "root:root",
                content: crypto.randomBytes(16 * 1024).toString("base64"),
            };
            assert.throws(() => renderUserData({ script: "monitoring.sh", parameters: {}, files: [big] }), /EC2 accepts at most 16384/);
            assert.ok(
                Buffer.byteLength(
                    renderMonitoringUserData({ region: "us-east-2", environment: "dev", accessLogsBucket: "b", grafanaSecretArn: "arn" }),
                ) < USER_DATA_LIMIT_BYTES,
            );
        });
    });

    describe("rendered configs", () => {
        it("docker-compose.yml runs every catalog service with its image, memory limit and ports", () => {
            const compose = YAML.parse(files(run).get("docker-compose.yml")!);
            assert.deepStrictEqual(Object.keys(compose.services), SEED_SERVICES);
            for (const service of MONITORING_SERVICES) {
                const rendered = compose.services[service.name];
                assert.strictEqual(rendered.image, service.image);
                assert.strictEqual(rendered.mem_limit, `${service.memoryMiB}m`);
                assert.strictEqual(rendered.restart, "unless-stopped");
            }
            const published = Object.values<any>(compose.services).flatMap((s) => s.ports ?? []) as string[];
            assert.deepStrictEqual(
                published.filter((p) => !p.startsWith("127.0.0.1:")),
                [],
                "without hosts.publicAdminIngress every port is on the loopback",
            );
            for (const service of servicesWithInstanceRole()) {
                assert.strictEqual(compose.services[service.name].network_mode, "host", service.name);
                assert.strictEqual(compose.services[service.name].ports, undefined, service.name);
            }
            for (const service of MONITORING_SERVICES.filter((svc) => !onHostNetwork(svc))) {
                assert.strictEqual(compose.services[service.name].network_mode, undefined, `${service.name} stays on the bridge (no IMDS)`);
            }
            assert.deepStrictEqual(compose.secrets, {
                [GRAFANA_USER_SECRET]: { file: `./secrets/${GRAFANA_USER_SECRET}` },
                [GRAFANA_PASSWORD_SECRET]: { file: `./secrets/${GRAFANA_PASSWORD_SECRET}` },
            });
            assert.deepStrictEqual(compose.services.logstash.environment.S3_BUCKET, accessLogsBucket(run));
            assert.deepStrictEqual(compose.services.logstash.environment.AWS_REGION, "us-east-2");
        });

        it("prometheus.yml scrapes itself, the exporters (on the host network), cAdvisor, Pushgateway and Grafana", () => {
            const prometheus = YAML.parse(files(run).get("prometheus/prometheus.yml")!);
            const targets = Object.fromEntries(prometheus.scrape_configs.map((job: any) => [job.job_name, job.static_configs[0].targets[0]]));
            assert.deepStrictEqual(targets, {
                prometheus: "localhost:9090",
                grafana: "grafana:3000",
                pushgateway: "pushgateway:9091",
                "cloudwatch-exporter": "host.docker.internal:9106",
                "node-exporter": "host.docker.internal:9100",
                cadvisor: "cadvisor:8080",
            });
            assert.strictEqual(prometheus.scrape_configs.find((j: any) => j.job_name === "pushgateway").honor_labels, true);
        });

        it("logstash.conf takes Beats on the loopback's 5044 and the S3 access logs, and writes to Elasticsearch", () => {
            const conf = files(run).get("logstash/pipeline/logstash.conf")!;
            assert.match(conf, /beats \{\n {4}host => "127\.0\.0\.1"\n {4}port => 5044/);
            assert.match(conf, /s3 \{\n(.*\n)* {4}bucket => "\$\{S3_BUCKET\}"\n {4}region => "\$\{AWS_REGION\}"/);
            assert.match(conf, /%\{S3_ACCESS_LOG\}/);
            // Logstash is on the host network (its S3 input uses the instance role): Elasticsearch's loopback port.
            assert.equal((conf.match(/hosts => \["http:\/\/127\.0\.0\.1:9200"\]/g) ?? []).length, 2);
        });

        it("the CloudWatch exporter reads S3, Glue, ECS and EC2 metrics of the stack's region and environment", () => {
            const exporter = YAML.parse(files(run).get("cloudwatch-exporter/config.yml")!);
            assert.strictEqual(exporter.region, "us-east-2");
            assert.strictEqual(exporter.use_get_metric_data, true);
            assert.deepStrictEqual([...new Set(exporter.metrics.map((m: any) => m.aws_namespace))], ["AWS/S3", "Glue", "AWS/ECS", "AWS/EC2"]);
            for (const metric of exporter.metrics) assert.deepStrictEqual(metric.aws_tag_select.tag_selections, { Environment: ["dev"] });
        });

        it("Grafana is provisioned with Prometheus and Elasticsearch and one dashboard", () => {
            const datasources = YAML.parse(files(run).get("grafana/provisioning/datasources/datasources.yml")!).datasources;
            assert.deepStrictEqual(
                datasources.map((d: any) => [d.type, d.url]),
                [
                    ["prometheus", "http://prometheus:9090"],
                    ["elasticsearch", "http://elasticsearch:9200"],
                ],
            );
            const providers = YAML.parse(files(run).get("grafana/provisioning/dashboards/dashboards.yml")!).providers;
            assert.strictEqual(providers[0].options.path, "/etc/grafana/dashboards");
            const dashboards = [...files(run).keys()].filter((p) => p.startsWith("grafana/dashboards/"));
            assert.deepStrictEqual(dashboards, ["grafana/dashboards/monitoring-host.json"]);
            const dashboard = JSON.parse(files(run).get(dashboards[0])!);
            assert.ok(dashboard.panels.length >= 1);
            for (const panel of dashboard.panels) assert.strictEqual(panel.datasource.uid, "prometheus");
        });
    });

    describe("config validation", () => {
        it("refuses a monitoring instance whose memory cannot hold the containers plus the OS", () => {
            const message = configErrorFor("dev", { "data-platform:hosts": { monitoringInstanceType: "t3.medium" } }).message;
            assert.match(
                message,
                /data-platform:hosts\.monitoringInstanceType = "t3\.medium": too small \(2 vCPUs, 4096 MiB\): the monitoring containers' memory limits add up to 6400 MiB, plus 1536 MiB for the OS; allowed: /,
            );
            assert.ok(message.split("allowed:")[1].includes("t3.large"));
            assert.ok(!message.split("allowed:")[1].includes("t3.medium"));
        });

        it("accepts a small monitoring type in stacks without the monitoring host", () => {
            const staging = parseStackConfig(
                editConfig(fixtureStack("staging").config, { "data-platform:hosts": { monitoringInstanceType: "t3.small" } }),
            );
            assert.strictEqual(staging.monitoring, false);
        });
    });

    it("tools/render-assets.ts writes every stack's user data and embedded files into a folder", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assets-"));
        try {
            const runs: ProgramRun[] = [];
            for (const stack of STACKS) runs.push(await runStack(stack)); // one at a time: the mock runtime is process-wide
            const assets = runs.flatMap((stackRun) => renderRunAssets(stackRun, dir));
            const rendered = assets.map((a) => `${a.stack}/${a.host}/${a.kind}`);
            assert.ok(rendered.includes("dev/kubernetes/user-data"));
            assert.ok(rendered.includes("dev/monitoring/user-data"));
            assert.ok(rendered.includes("dev/monitoring//opt/monitoring/docker-compose.yml"));
            assert.ok(rendered.includes("dev/monitoring//opt/monitoring/prometheus/prometheus.yml"));
            assert.deepStrictEqual(
                assets.filter((a) => a.stack !== "dev"),
                [],
                "staging and prod build no host",
            );
            const compose = fs.readFileSync(path.join(dir, "dev/monitoring/files/opt/monitoring/docker-compose.yml"), "utf8");
            assert.strictEqual(compose, files(run).get("docker-compose.yml"));
            assert.strictEqual(fs.readFileSync(path.join(dir, "dev/monitoring/user-data.sh"), "utf8"), userDataOf(run, "monitoring"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
