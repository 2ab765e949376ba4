import * as assert from "assert";
import { parseStackConfig } from "../../components/config";
import { AL2023_AMI_PARAMETERS, IMDS_HOP_LIMIT } from "../../components/shared/host/host";
import { USER_DATA_LIMIT_BYTES, embeddedFiles, readAsset, scriptBody } from "../../components/shared/host/user-data";
import { INSTANCE_TYPES, OS_RESERVE_MIB, typesOfArchitecture } from "../../components/shared/instance-types";
import { ARGOCD_NODE_PORT, KUBERNETES_TOOLS, KUBERNETES_UNITS, kubernetesToolParameters, minikubeSize } from "../../components/kubernetes/kubernetes";
import { KUBERNETES_ARCHITECTURES, missingKubernetesChecksums } from "../../components/kubernetes/tools";
import { PORTS } from "../../components/shared/ports";
import { ProgramRun } from "../../tools/run-program";
import {
    configErrorFor,
    editConfig,
    idOf,
    inputsOf,
    jsonInput,
    ofType,
    runStack,
    runStackWith,
    fixtureStack,
    fixtureConfig,
} from "../support/helpers";
import {
    LITERAL_PASSWORD,
    generatedSecrets,
    hostChild,
    hostChildren,
    ingressOf,
    secretNamed,
    statementsOf,
    userDataOf,
} from "../support/host-helpers";
import { TYPE } from "../../policy-pack/policies/types";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@example";

function configProblems(stack: string, edits: Record<string, unknown>): string {
    return configErrorFor(stack, edits).message;
}

describe("kubernetes host (minikube + ArgoCD)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runStack("dev");
    });

    it("is built in dev only (the stacks that set kubernetes: minikube)", async () => {
        assert.strictEqual(hostChildren(run, "kubernetes", TYPE.ec2Instance).length, 1);
        for (const stack of ["staging", "prod"]) {
            const other = await runStack(stack);
            assert.deepStrictEqual(
                ofType(other, TYPE.ec2Instance).filter((i) => i.name.includes("kubernetes")),
                [],
                stack,
            );
            assert.strictEqual((other.stackOutputs.urls as Record<string, unknown>).argocd, undefined);
        }
    });

    it("boots the current Amazon Linux 2023 AMI from AWS's public SSM parameter", () => {
        const expected = run.cloud.call({
            token: "aws:ssm/getParameter:getParameter",
            inputs: { name: AL2023_AMI_PARAMETERS.x86_64 },
            provider: "",
        } as never).value;
        assert.strictEqual(inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance)).ami, expected);
        assert.ok(run.cloud.calls.includes("aws:ssm/getParameter:getParameter"));
    });

    it("runs the default x86_64 type (t3a.medium) in the first public subnet behind the kubernetes group, a public IP for egress only", () => {
        const instance = hostChild(run, "kubernetes", TYPE.ec2Instance);
        const i = inputsOf(instance);
        const firstPublic = fixtureConfig("dev").network.publicSubnetCidrs[0];
        const subnet = ofType(run, TYPE.ec2Subnet).find((s) => inputsOf(s).cidrBlock === firstPublic)!;
        const group = ofType(run, TYPE.ec2SecurityGroup).find((g) => g.name.endsWith("-firewall-kubernetes"))!;
        assert.strictEqual(i.instanceType, "t3a.medium");
        assert.strictEqual(i.subnetId, idOf(subnet));
        assert.deepStrictEqual(i.vpcSecurityGroupIds, [idOf(group)]);
        assert.strictEqual(i.associatePublicIpAddress, true);
        assert.strictEqual(i.monitoring, false);
        assert.strictEqual(i.userDataReplaceOnChange, true);
        // A new AMI release must not replace the host (and its data) on the next `pulumi up`.
        assert.deepStrictEqual(instance.ignoreChanges, ["ami"]);
        assert.deepStrictEqual(i.tags, {
            Name: "dev-kubernetes-host",
            Environment: "dev",
            Project: "data-platform",
            ManagedBy: "pulumi",
            Tier: "kubernetes",
        });
    });

    it("encrypts a gp3 root volume and requires IMDSv2 with a hop limit of 1 (nothing in minikube needs the role)", () => {
        const i = inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance));
        assert.deepStrictEqual(
            {
                type: i.rootBlockDevice.volumeType,
                size: i.rootBlockDevice.volumeSize,
                encrypted: i.rootBlockDevice.encrypted,
                deleteOnTermination: i.rootBlockDevice.deleteOnTermination,
            },
            { type: "gp3", size: 30, encrypted: true, deleteOnTermination: true },
        );
        assert.deepStrictEqual(i.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: IMDS_HOP_LIMIT,
            instanceMetadataTags: "disabled",
        });
        assert.strictEqual(IMDS_HOP_LIMIT, 1);
    });

    it("takes detailed monitoring and the root volume size from config.hosts", async () => {
        const edited = await runStackWith("dev", { "data-platform:hosts": { detailedMonitoring: true, rootVolumeGiB: 50 } });
        const i = inputsOf(hostChild(edited, "kubernetes", TYPE.ec2Instance));
        assert.strictEqual(i.monitoring, true);
        assert.strictEqual(i.rootBlockDevice.volumeSize, 50);
    });

    it("is reached through Session Manager: an EC2 role with the partition's AmazonSSMManagedInstanceCore", () => {
        const role = hostChild(run, "kubernetes", TYPE.iamRole);
        assert.deepStrictEqual(jsonInput(role, "assumeRolePolicy").Statement, [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const attachments = hostChildren(run, "kubernetes", TYPE.iamRolePolicyAttachment).map((a) => inputsOf(a));
        assert.deepStrictEqual(
            attachments.map((a) => a.policyArn),
            ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        );
        assert.strictEqual(attachments[0].role, inputsOf(role).name);
        const profile = hostChild(run, "kubernetes", TYPE.iamInstanceProfile);
        assert.strictEqual(inputsOf(profile).role, inputsOf(role).name);
        assert.strictEqual(inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance)).iamInstanceProfile, inputsOf(profile).name);
    });

    it("may read exactly the ArgoCD secret and nothing else", () => {
        const argocd = secretNamed(run, "-argocd-credentials");
        assert.deepStrictEqual(statementsOf(run, "kubernetes"), [
            {
                Sid: "ReadOwnSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: argocd.outputs.arn,
            },
        ]);
    });

    it("may decrypt the secret through Secrets Manager only when the stack uses KMS", async () => {
        const edited = await runStackWith("dev", { "data-platform:encryption": { kms: true } });
        const decrypt = statementsOf(edited, "kubernetes").find((s) => s.Sid === "DecryptOwnSecret");
        const secretsKey = ofType(edited, TYPE.kmsKey).find((k) => k.name.endsWith("-secrets"));
        assert.ok(decrypt && secretsKey);
        assert.deepStrictEqual(decrypt.Action, ["kms:Decrypt"]);
        assert.strictEqual(decrypt.Resource, secretsKey.outputs.arn);
        assert.deepStrictEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "secretsmanager.us-east-2.amazonaws.com" } });
    });

    it("has no Elastic IP; exports the ArgoCD URL on the tunnel's local port, the instance id and the tunnel", () => {
        assert.deepStrictEqual(hostChildren(run, "kubernetes", TYPE.ec2Eip), []);
        assert.deepStrictEqual(ofType(run, TYPE.ec2EipAssociation), []);
        const urls = run.stackOutputs.urls as Record<string, string>;
        assert.strictEqual(urls.argocd, `https://localhost:${ARGOCD_NODE_PORT}`);
        const id = idOf(hostChild(run, "kubernetes", TYPE.ec2Instance));
        assert.strictEqual((run.stackOutputs.hostInstanceIds as Record<string, string>).kubernetes, id);
        assert.deepStrictEqual((run.stackOutputs.tunnels as Record<string, unknown>).argocd, {
            instanceId: id,
            portNumber: ARGOCD_NODE_PORT,
            localPortNumber: ARGOCD_NODE_PORT,
            url: urls.argocd,
        });
    });

    it("sits behind the NAT gateway, without a public IP, where the stack has one", async () => {
        const natted = await runStackWith("dev", {
            "data-platform:network": { ...fixtureConfig("dev").network, natGateways: "single" },
        });
        const i = inputsOf(hostChild(natted, "kubernetes", TYPE.ec2Instance));
        const firstPrivate = fixtureConfig("dev").network.privateSubnetCidrs[0];
        const subnet = ofType(natted, TYPE.ec2Subnet).find((s) => inputsOf(s).cidrBlock === firstPrivate)!;
        assert.strictEqual(i.subnetId, idOf(subnet));
        assert.strictEqual(i.associatePublicIpAddress, false);
    });

    it("writes the ArgoCD URL into the ArgoCD secret", () => {
        const version = ofType(run, TYPE.secretsmanagerSecretVersion).find(
            (v) => inputsOf(v).secretId === secretNamed(run, "-argocd-credentials").outputs.arn,
        );
        assert.ok(version);
        assert.strictEqual(JSON.parse(inputsOf(version).secretString).url, (run.stackOutputs.urls as Record<string, string>).argocd);
    });

    it("takes no inbound traffic by default, even with admin CIDRs and an SSH key", async () => {
        assert.ok(fixtureConfig("dev").access.adminCidrs.length > 0, "the dev fixture sets admin CIDRs");
        assert.deepStrictEqual(ingressOf(run, "kubernetes"), []);
        assert.deepStrictEqual(hostChildren(run, "kubernetes", TYPE.ec2KeyPair), []);
        assert.strictEqual(inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance)).keyName, undefined);

        const withKey = await runStackWith("dev", { "data-platform:access": { ...fixtureConfig("dev").access, sshPublicKey: SSH_KEY } });
        assert.deepStrictEqual(ingressOf(withKey, "kubernetes"), []);
        const key = inputsOf(hostChild(withKey, "kubernetes", TYPE.ec2KeyPair));
        assert.strictEqual(key.publicKey, SSH_KEY);
        assert.strictEqual(inputsOf(hostChild(withKey, "kubernetes", TYPE.ec2Instance)).keyName, key.keyName);
    });

    it("with hosts.publicAdminIngress opens only the forwarded ArgoCD port (and SSH with a key), only to the admin CIDRs", async () => {
        assert.ok(ARGOCD_NODE_PORT >= PORTS.nodePorts.from && ARGOCD_NODE_PORT <= PORTS.nodePorts.to);
        const admins = fixtureConfig("dev").access.adminCidrs;
        const open = await runStackWith("dev", { "data-platform:hosts": { publicAdminIngress: true } });
        assert.deepStrictEqual(ingressOf(open, "kubernetes"), admins.map((cidr) => `tcp 30080-30080 ${cidr}`).sort());
        const withKey = await runStackWith("dev", {
            "data-platform:hosts": { publicAdminIngress: true },
            "data-platform:access": { ...fixtureConfig("dev").access, sshPublicKey: SSH_KEY },
        });
        assert.deepStrictEqual(ingressOf(withKey, "kubernetes"), admins.flatMap((cidr) => [`tcp 22-22 ${cidr}`, `tcp 30080-30080 ${cidr}`]).sort());
        // The same on both hosts: SSH follows the key, the UIs follow publicAdminIngress.
        assert.deepStrictEqual(
            ingressOf(withKey, "monitoring").filter((rule) => rule.startsWith("tcp 22-22 ")),
            admins.map((cidr) => `tcp 22-22 ${cidr}`),
        );
    });

    describe("user data", () => {
        let userData: string;
        before(() => {
            userData = userDataOf(run, "kubernetes");
        });

        it("is a strict bash script that logs to a file", () => {
            assert.ok(userData.startsWith("#!/bin/bash\n"));
            assert.match(userData, /^set -euo pipefail$/m);
            assert.match(userData, /exec > >\(tee -a "\$BOOTSTRAP_LOG"\) 2>&1/);
            assert.match(userData, /^BOOTSTRAP_LOG=\/var\/log\/data-platform-bootstrap\.log$/m);
            assert.match(userData, /^start_logging$/m);
        });

        it("stays under EC2's 16 KB user-data limit", () => {
            assert.ok(Buffer.byteLength(userData) < USER_DATA_LIMIT_BYTES, `${Buffer.byteLength(userData)} bytes`);
        });

        it("holds no secret: no generated value, no PASSWORD=<value>, only the secret's ARN", () => {
            const secrets = generatedSecrets(run);
            assert.ok(secrets.length >= 2, "the run generates passwords");
            const texts = [userData, ...embeddedFiles(userData).map((f) => f.content)];
            for (const text of texts) {
                for (const secret of secrets) assert.ok(!text.includes(secret), "a generated secret is in the user data");
                assert.doesNotMatch(text, LITERAL_PASSWORD);
            }
            assert.ok(userData.includes(`readonly ARGOCD_SECRET_ARN='${secretNamed(run, "-argocd-credentials").outputs.arn}'`));
            assert.match(userData, /password=\$\(secret_field "\$ARGOCD_SECRET_ARN" password\)/);
        });

        it("pins every tool with its checksum for the host's architecture (the ArgoCD CLI against the release's checksum file)", () => {
            const tools = KUBERNETES_TOOLS;
            const expected = { ...kubernetesToolParameters("x86_64") };
            assert.deepStrictEqual(
                { HOST_MACHINE: expected.HOST_MACHINE, TOOL_ARCH: expected.TOOL_ARCH, MINIKUBE_SHA256: expected.MINIKUBE_SHA256 },
                { HOST_MACHINE: "x86_64", TOOL_ARCH: "amd64", MINIKUBE_SHA256: tools.minikube.sha256.x86_64 },
            );
            for (const [name, value] of Object.entries(expected)) assert.ok(userData.includes(`readonly ${name}='${value}'`), name);
            for (const tool of [tools.minikube, tools.kubectl, tools.helm]) {
                for (const sha of Object.values(tool.sha256)) assert.match(sha!, /^[0-9a-f]{64}$/);
            }
            assert.match(userData, /^require_machine "\$HOST_MACHINE"$/m);
            assert.match(userData, /minikube-linux-\$\{TOOL_ARCH\}/);
            assert.match(userData, /bin\/linux\/\$\{TOOL_ARCH\}\/kubectl/);
            assert.match(userData, /helm-\$\{HELM_VERSION\}-linux-\$\{TOOL_ARCH\}\.tar\.gz/);
            assert.match(userData, /argocd-linux-\$\{TOOL_ARCH\}/);
            assert.doesNotMatch(
                scriptBody(readAsset("kubernetes.sh"), "kubernetes.sh"),
                /amd64|arm64|x86_64|aarch64/,
                "no architecture is hard-coded",
            );
            assert.match(userData, /cli_checksums\.txt/);
            assert.doesNotMatch(userData, /latest/);
            assert.match(userData, /helm upgrade --install argocd argo\/argo-cd --version "\$ARGOCD_CHART_VERSION"/);
        });

        it("has arm64 checksums for kubectl and Helm but none for minikube, so the host stays on x86_64", () => {
            assert.deepStrictEqual(KUBERNETES_ARCHITECTURES, ["x86_64"]);
            assert.deepStrictEqual(missingKubernetesChecksums("arm64"), ["minikube v1.37.0 linux/arm64"]);
            assert.deepStrictEqual(missingKubernetesChecksums("x86_64"), []);
            assert.throws(() => kubernetesToolParameters("arm64"), /no pinned sha256 for minikube v1\.37\.0 on arm64/);
        });

        it("brings minikube and the ArgoCD forward back after a stop, start or reboot (enabled systemd units)", () => {
            const files = new Map(embeddedFiles(userData).map((f) => [f.path, f]));
            for (const unit of KUBERNETES_UNITS) {
                const content = files.get(`/etc/systemd/system/${unit}`)?.content ?? "";
                assert.strictEqual(content, readAsset(`kubernetes/${unit}`), unit);
                assert.match(content, /^Restart=(always|on-failure)$/m, unit);
                assert.match(content, /^\[Install\]\nWantedBy=multi-user\.target$/m, unit);
                assert.match(content, /^StartLimitIntervalSec=0$/m, `${unit} keeps retrying`);
                assert.match(userData, new RegExp(`^enable_unit ${unit.replace(".", "\\.")}$`, "m"), `${unit} is enabled`);
            }
            const minikube = files.get("/etc/systemd/system/minikube.service")!.content;
            assert.match(minikube, /^Requires=docker\.service$/m);
            assert.match(minikube, /^ExecStop=\/usr\/local\/bin\/minikube stop$/m);
            const forward = files.get("/etc/systemd/system/argocd-port-forward.service")!.content;
            assert.match(forward, /^After=minikube\.service$/m);
            assert.match(userData, /^ {2}systemctl enable "\$1"$/m);
            assert.match(userData, /^systemctl enable --now docker$/m, "docker starts at every boot too");
        });

        it("runs minikube as an unprivileged user with the docker driver, sized from the instance type", () => {
            const size = minikubeSize("t3.medium");
            assert.deepStrictEqual(size, { cpus: 2, memoryMiB: 4096 - OS_RESERVE_MIB });
            const files = new Map(embeddedFiles(userData).map((f) => [f.path, f]));
            assert.strictEqual(
                files.get("/etc/data-platform/minikube.env")?.content,
                `MINIKUBE_CPUS=2\nMINIKUBE_MEMORY_MIB=${4096 - OS_RESERVE_MIB}\nKUBERNETES_VERSION=${KUBERNETES_TOOLS.kubernetes.version}\nARGOCD_NODE_PORT=${ARGOCD_NODE_PORT}\n`,
            );
            const unit = files.get("/etc/systemd/system/minikube.service")?.content ?? "";
            assert.match(unit, /^User=minikube$/m);
            assert.match(unit, /minikube start --driver=docker --cpus=\$\{MINIKUBE_CPUS\} --memory=\$\{MINIKUBE_MEMORY_MIB\}mb/);
            assert.match(userData, /^readonly MINIKUBE_USER=minikube$/m);
            assert.strictEqual(files.get("/usr/local/bin/argocd-port-forward")?.mode, "0755");
            assert.strictEqual(files.get("/usr/local/bin/argocd-port-forward")?.content, readAsset("kubernetes/argocd-port-forward.sh"));
        });

        it("hashes the ArgoCD admin password with bcrypt on the host into argocd-secret, NodePort 30080", () => {
            assert.match(userData, /htpasswd -niBC 10 admin/);
            assert.match(userData, /argocdServerAdminPassword: "\$\{hash\}"/);
            assert.match(userData, /type: NodePort\n {4}nodePortHttp: \$\{ARGOCD_NODE_PORT\}/);
            assert.ok(userData.includes(`readonly ARGOCD_NODE_PORT='${ARGOCD_NODE_PORT}'`));
        });

        it("is lib.sh, the embedded files and the body of assets/user-data/kubernetes.sh, in that order", () => {
            const lib = userData.indexOf(scriptBody(readAsset("lib.sh"), "lib.sh"));
            const firstFile = userData.indexOf("write_file /etc/data-platform/minikube.env");
            const body = userData.indexOf(scriptBody(readAsset("kubernetes.sh"), "kubernetes.sh"));
            assert.ok(lib > 0 && firstFile > lib && body > firstFile, `${lib} ${firstFile} ${body}`);
        });
    });

    describe("config validation", () => {
        it("refuses instance types too small for minikube, naming key, value and allowed types", () => {
            const message = configProblems("dev", { "data-platform:hosts": { kubernetesInstanceType: "t3.small" } });
            assert.match(
                message,
                /data-platform:hosts\.kubernetesInstanceType = "t3\.small": too small \(2 vCPUs, 2048 MiB\): minikube needs 2 vCPUs and 2048 MiB/,
            );
            assert.match(message, /allowed: c6i\.large, t3\.medium, t3a\.medium, /);
            assert.doesNotMatch(message.split("allowed:")[1], /t3\.small|t3\.micro/);
        });

        it("refuses unknown instance types, listing the known ones per architecture", () => {
            const message = configProblems("dev", { "data-platform:hosts": { kubernetesInstanceType: "t3.huge" } });
            assert.match(message, /data-platform:hosts\.kubernetesInstanceType = "t3\.huge": unknown instance type; known types by architecture/);
            assert.ok(message.includes(`x86_64: ${typesOfArchitecture("x86_64").join(", ")}`), message);
            assert.ok(message.includes(`arm64: ${typesOfArchitecture("arm64").join(", ")}`), message);
            assert.ok(typesOfArchitecture("arm64").includes("t4g.medium"));
        });

        it("refuses arm64 types for the minikube host, naming the tool without a pinned arm64 checksum", () => {
            const message = configProblems("dev", { "data-platform:hosts": { kubernetesInstanceType: "t4g.medium" } });
            assert.match(
                message,
                /data-platform:hosts\.kubernetesInstanceType = "t4g\.medium": arm64 is not supported by this host: no pinned sha256 for minikube v1\.37\.0 linux\/arm64; allowed \(x86_64\): c6i\.large, t3\.medium, /,
            );
            assert.doesNotMatch(message.split("allowed")[1], /t4g|m7g|c7g|r7g/);
        });

        it("checks sizes only for hosts the stack builds, and accepts the defaults", () => {
            const staging = parseStackConfig(
                editConfig(fixtureStack("staging").config, { "data-platform:hosts": { kubernetesInstanceType: "t3.micro" } }),
            );
            assert.strictEqual(staging.hosts.kubernetesInstanceType, "t3.micro");
            const dev = fixtureConfig("dev");
            assert.strictEqual(dev.hosts.kubernetesInstanceType, "t3a.medium");
            assert.ok(INSTANCE_TYPES["t3a.medium"].memoryMiB - OS_RESERVE_MIB >= 2048);
        });
    });
});
