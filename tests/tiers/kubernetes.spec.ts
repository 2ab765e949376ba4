import * as assert from "assert";
import { parseStackConfig } from "../../components/config";
import { AL2023_AMI_PARAMETER, IMDS_HOP_LIMIT } from "../../components/shared/host/host";
import { USER_DATA_LIMIT_BYTES, embeddedFiles, readAsset, scriptBody } from "../../components/shared/host/user-data";
import { INSTANCE_TYPES, OS_RESERVE_MIB } from "../../components/shared/instance-types";
import { ARGOCD_NODE_PORT, KUBERNETES_TOOLS, minikubeSize } from "../../components/kubernetes/kubernetes";
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
            inputs: { name: AL2023_AMI_PARAMETER },
            provider: "",
        } as never).value;
        assert.strictEqual(inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance)).ami, expected);
        assert.ok(run.cloud.calls.includes("aws:ssm/getParameter:getParameter"));
    });

    it("runs a t3.medium in the first public subnet behind the kubernetes group", () => {
        const instance = hostChild(run, "kubernetes", TYPE.ec2Instance);
        const i = inputsOf(instance);
        const firstPublic = fixtureConfig("dev").network.publicSubnetCidrs[0];
        const subnet = ofType(run, TYPE.ec2Subnet).find((s) => inputsOf(s).cidrBlock === firstPublic)!;
        const group = ofType(run, TYPE.ec2SecurityGroup).find((g) => g.name.endsWith("-firewall-kubernetes"))!;
        assert.strictEqual(i.instanceType, "t3.medium");
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

    it("encrypts a gp3 root volume and requires IMDSv2 with a hop limit containers can use", () => {
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
        assert.strictEqual(IMDS_HOP_LIMIT, 2);
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

    it("has a stable Elastic IP and exports the ArgoCD URL on it", () => {
        const eip = hostChild(run, "kubernetes", TYPE.ec2Eip);
        const association = inputsOf(hostChild(run, "kubernetes", TYPE.ec2EipAssociation));
        assert.strictEqual(inputsOf(eip).domain, "vpc");
        assert.strictEqual(association.allocationId, eip.outputs.allocationId);
        assert.strictEqual(association.instanceId, idOf(hostChild(run, "kubernetes", TYPE.ec2Instance)));
        const urls = run.stackOutputs.urls as Record<string, string>;
        assert.strictEqual(urls.argocd, `https://${eip.outputs.publicIp}:${ARGOCD_NODE_PORT}`);
        assert.strictEqual(
            (run.stackOutputs.hostInstanceIds as Record<string, string>).kubernetes,
            idOf(hostChild(run, "kubernetes", TYPE.ec2Instance)),
        );
    });

    it("writes the ArgoCD URL into the ArgoCD secret", () => {
        const version = ofType(run, TYPE.secretsmanagerSecretVersion).find(
            (v) => inputsOf(v).secretId === secretNamed(run, "-argocd-credentials").outputs.arn,
        );
        assert.ok(version);
        assert.strictEqual(JSON.parse(inputsOf(version).secretString).url, (run.stackOutputs.urls as Record<string, string>).argocd);
    });

    it("opens ArgoCD's NodePort and the API only to the admin CIDRs; SSH and a key pair only with a public key", async () => {
        assert.ok(ARGOCD_NODE_PORT >= PORTS.nodePorts.from && ARGOCD_NODE_PORT <= PORTS.nodePorts.to);
        const admins = fixtureConfig("dev").access.adminCidrs;
        assert.ok(admins.length > 0, "the dev fixture sets admin CIDRs");
        assert.deepStrictEqual(ingressOf(run, "kubernetes"), admins.flatMap((cidr) => [`tcp 30000-32767 ${cidr}`, `tcp 8443-8443 ${cidr}`]).sort());
        assert.deepStrictEqual(hostChildren(run, "kubernetes", TYPE.ec2KeyPair), []);
        assert.strictEqual(inputsOf(hostChild(run, "kubernetes", TYPE.ec2Instance)).keyName, undefined);

        const withKey = await runStackWith("dev", { "data-platform:access": { sshPublicKey: SSH_KEY } });
        const key = inputsOf(hostChild(withKey, "kubernetes", TYPE.ec2KeyPair));
        assert.strictEqual(key.publicKey, SSH_KEY);
        assert.strictEqual(inputsOf(hostChild(withKey, "kubernetes", TYPE.ec2Instance)).keyName, key.keyName);
        for (const cidr of admins) assert.ok(ingressOf(withKey, "kubernetes").includes(`tcp 22-22 ${cidr}`), cidr);
        for (const rule of ingressOf(withKey, "kubernetes"))
            assert.ok(
                admins.some((cidr) => rule.endsWith(` ${cidr}`)),
                rule,
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

        it("pins every tool with its checksum (the ArgoCD CLI against the release's checksum file)", () => {
            const tools = KUBERNETES_TOOLS;
            for (const [name, value] of [
                ["MINIKUBE_VERSION", tools.minikube.version],
                ["MINIKUBE_SHA256", tools.minikube.sha256],
                ["KUBECTL_VERSION", tools.kubectl.version],
                ["KUBECTL_SHA256", tools.kubectl.sha256],
                ["HELM_VERSION", tools.helm.version],
                ["HELM_SHA256", tools.helm.sha256],
                ["ARGOCD_VERSION", tools.argocd.version],
                ["ARGOCD_CHART_VERSION", tools.argocd.chartVersion],
            ]) {
                assert.ok(userData.includes(`readonly ${name}='${value}'`), name);
            }
            for (const sha of [tools.minikube.sha256, tools.kubectl.sha256, tools.helm.sha256]) assert.match(sha, /^[0-9a-f]{64}$/);
            assert.match(userData, /cli_checksums\.txt/);
            assert.doesNotMatch(userData, /latest/);
            assert.match(userData, /helm upgrade --install argocd argo\/argo-cd --version "\$ARGOCD_CHART_VERSION"/);
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

        it("refuses unknown and non-x86_64 instance types", () => {
            for (const type of ["t3.huge", "t4g.medium"]) {
                const message = configProblems("dev", { "data-platform:hosts": { kubernetesInstanceType: type } });
                assert.match(
                    message,
                    new RegExp(
                        `data-platform:hosts\\.kubernetesInstanceType = "${type.replace(".", "\\.")}": unknown instance type; known x86_64 types`,
                    ),
                );
            }
        });

        it("checks sizes only for hosts the stack builds, and accepts the defaults", () => {
            const staging = parseStackConfig(
                editConfig(fixtureStack("staging").config, { "data-platform:hosts": { kubernetesInstanceType: "t3.micro" } }),
            );
            assert.strictEqual(staging.hosts.kubernetesInstanceType, "t3.micro");
            const dev = fixtureConfig("dev");
            assert.strictEqual(dev.hosts.kubernetesInstanceType, "t3.medium");
            assert.ok(INSTANCE_TYPES["t3.medium"].memoryMiB - OS_RESERVE_MIB >= 2048);
        });
    });
});
