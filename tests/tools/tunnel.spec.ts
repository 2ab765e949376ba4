import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ADMIN_UIS, ADMIN_UI_NAMES } from "../../components/shared/ports";
import { toDeploymentResources } from "../../tools/deployment";
import { ROOT_DIR } from "../../tools/run-program";
import {
    CONSOLE_IO,
    EXIT_BAD_INPUT,
    INSTALL_AWS_CLI,
    INSTALL_PULUMI,
    INSTALL_SESSION_MANAGER_PLUGIN,
    PORT_FORWARDING_DOCUMENT,
    TunnelIo,
    commandLine,
    main,
    startSessionArgs,
    tunnelsFrom,
} from "../../tools/tunnel";
import { idOf, ofType, runStack } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

interface Captured {
    readonly io: TunnelIo;
    readonly out: string[];
    readonly err: string[];
    readonly ran: (readonly string[])[];
}

/** A TunnelIo with PATH limited to `bin` and a stand-in for `aws` that records what it would run. */
function capture(bin: string, stackOutputs: unknown = undefined): Captured {
    const out: string[] = [];
    const err: string[] = [];
    const ran: (readonly string[])[] = [];
    const io: TunnelIo = {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        env: { PATH: bin },
        stackOutputs: () => {
            if (stackOutputs === undefined) throw new Error("no stack outputs in this test");
            return stackOutputs;
        },
        run: async (args) => {
            ran.push(args);
            return 0;
        },
    };
    return { io, out, err, ran };
}

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "tunnel-"));
}

function fakeExecutable(dir: string, name: string): void {
    const file = path.join(dir, name);
    fs.writeFileSync(file, "#!/bin/sh\nexit 0\n");
    fs.chmodSync(file, 0o755);
}

describe("npm run tunnel (SSM port forwarding to the hosts' UIs)", () => {
    let dir: string;
    let planFile: string;
    let monitoringId: string;
    let kubernetesId: string;
    let stackOutputs: Record<string, unknown>;

    before(async () => {
        const run = await runStack("dev");
        dir = tempDir();
        planFile = path.join(dir, "dev-plan.json");
        // A plan document as `npm run plan -- --json` writes it: its stack resource carries no outputs.
        fs.writeFileSync(planFile, JSON.stringify({ stack: "dev", project: "data-platform", deployment: { resources: toDeploymentResources(run) } }));
        const instances = ofType(run, TYPE.ec2Instance);
        monitoringId = idOf(instances.find((i) => i.name === "dev-monitoring-instance")!);
        kubernetesId = idOf(instances.find((i) => i.name === "dev-kubernetes-instance")!);
        stackOutputs = run.stackOutputs;
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("builds the documented command from a plan document's outputs (--print)", async () => {
        const c = capture(dir);
        assert.strictEqual(await main(["--stack", "dev", "grafana", "--print", "--outputs", planFile], c.io), 0);
        assert.deepStrictEqual(c.out, [
            `aws ssm start-session --target ${monitoringId} --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["3000"],"localPortNumber":["3000"]}' --region us-east-2`,
        ]);
        assert.deepStrictEqual(c.ran, [], "--print runs nothing");
        assert.strictEqual(PORT_FORWARDING_DOCUMENT, "AWS-StartPortForwardingSession");
    });

    it("forwards each UI to its host's port, the same number locally", () => {
        const tunnels = tunnelsFrom(JSON.parse(fs.readFileSync(planFile, "utf8")));
        assert.deepStrictEqual(Object.keys(tunnels).sort(), [...ADMIN_UI_NAMES].sort());
        for (const ui of ADMIN_UI_NAMES) {
            const spec = ADMIN_UIS[ui];
            assert.strictEqual(tunnels[ui]!.instanceId, spec.host === "kubernetes" ? kubernetesId : monitoringId, ui);
            assert.strictEqual(tunnels[ui]!.portNumber, spec.port.from, ui);
            assert.strictEqual(tunnels[ui]!.localPortNumber, spec.port.from, ui);
        }
        assert.strictEqual(tunnels.argocd!.url, "https://localhost:30080");
        assert.strictEqual(tunnels.grafana!.url, "http://localhost:3000");
    });

    it("reads the same tunnels from `pulumi stack output --json` (the stack's `tunnels` output) and from a stack export", () => {
        const fromOutputs = tunnelsFrom(JSON.parse(JSON.stringify(stackOutputs)));
        const fromPlan = tunnelsFrom(JSON.parse(fs.readFileSync(planFile, "utf8")));
        assert.deepStrictEqual(fromOutputs, fromPlan);
        const exported = {
            version: 3,
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:dev::data-platform::pulumi:pulumi:Stack::data-platform-dev",
                        type: "pulumi:pulumi:Stack",
                        outputs: { hostInstanceIds: { monitoring: "i-0abc" } },
                    },
                ],
            },
        };
        assert.deepStrictEqual(Object.keys(tunnelsFrom(exported)).sort(), ["grafana", "jaeger", "kibana", "prometheus"]);
    });

    it("runs `aws` with those arguments when the AWS CLI and the Session Manager plugin are installed", async () => {
        const bin = tempDir();
        try {
            fakeExecutable(bin, "aws");
            fakeExecutable(bin, "session-manager-plugin");
            const c = capture(bin, stackOutputs);
            assert.strictEqual(await main(["--stack", "dev", "kibana"], c.io), 0);
            assert.deepStrictEqual(c.ran, [
                [
                    "ssm",
                    "start-session",
                    "--target",
                    monitoringId,
                    "--document-name",
                    "AWS-StartPortForwardingSession",
                    "--parameters",
                    '{"portNumber":["5601"],"localPortNumber":["5601"]}',
                    "--region",
                    "us-east-2",
                ],
            ]);
            assert.match(c.out[0], /^kibana: http:\/\/localhost:5601 \(no login\) while this runs; Ctrl-C ends the tunnel$/);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("says what to install when the AWS CLI or the Session Manager plugin is missing, and runs nothing", async () => {
        const bin = tempDir();
        try {
            const none = capture(bin, stackOutputs);
            assert.strictEqual(await main(["--stack", "dev", "grafana"], none.io), EXIT_BAD_INPUT);
            assert.ok(none.err.includes(`tunnel: ${INSTALL_AWS_CLI}`), none.err.join("\n"));
            assert.ok(none.err.includes(`tunnel: ${INSTALL_SESSION_MANAGER_PLUGIN}`), none.err.join("\n"));
            assert.match(none.err.join("\n"), /session-manager-working-with-install-plugin\.html/);
            assert.match(none.err.at(-1)!, /^tunnel: the command it would run: aws ssm start-session /);
            assert.deepStrictEqual(none.ran, []);

            fakeExecutable(bin, "aws");
            const pluginOnly = capture(bin, stackOutputs);
            assert.strictEqual(await main(["--stack", "dev", "grafana"], pluginOnly.io), EXIT_BAD_INPUT);
            assert.deepStrictEqual(pluginOnly.err.slice(0, -1), [`tunnel: ${INSTALL_SESSION_MANAGER_PLUGIN}`]);
            assert.deepStrictEqual(pluginOnly.ran, []);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("exits 2 on an unknown UI, listing the UIs", async () => {
        const c = capture(dir);
        assert.strictEqual(await main(["--stack", "dev", "graphana", "--outputs", planFile], c.io), EXIT_BAD_INPUT);
        assert.deepStrictEqual(c.err, [`tunnel: unknown UI "graphana"; the UIs are: argocd, grafana, prometheus, kibana, jaeger`]);
    });

    it("exits 2 on a UI the stack does not build, on missing arguments and on unreadable outputs", async () => {
        const noHosts = capture(dir, { hostInstanceIds: {} });
        assert.strictEqual(await main(["--stack", "prod", "grafana"], noHosts.io), EXIT_BAD_INPUT);
        assert.match(noHosts.err[0], /stack prod builds no monitoring host, so there is no grafana to reach; it builds no host with a UI/);

        for (const argv of [["grafana"], ["--stack", "dev"], ["--stack", "dev", "grafana", "kibana"], ["--stack", "dev", "grafana", "--bogus"]]) {
            const c = capture(dir);
            assert.strictEqual(await main(argv, c.io), EXIT_BAD_INPUT, argv.join(" "));
            assert.match(c.err[0], /^tunnel: /);
        }
        const missing = capture(dir);
        assert.strictEqual(await main(["--stack", "dev", "grafana", "--outputs", path.join(dir, "nope.json")], missing.io), EXIT_BAD_INPUT);
        assert.match(missing.err[0], /no such file/);
    });

    it("explains how to get the outputs when the Pulumi CLI is missing (the real path)", async () => {
        const c = capture(dir);
        const io: TunnelIo = { ...c.io, stackOutputs: CONSOLE_IO.stackOutputs };
        assert.strictEqual(await main(["--stack", "dev", "grafana", "--print"], io), EXIT_BAD_INPUT);
        assert.deepStrictEqual(c.err, [`tunnel: ${INSTALL_PULUMI}`]);
    });

    it("quotes the parameters for a POSIX shell and honours --local-port", () => {
        const args = startSessionArgs({ instanceId: "i-0abc", portNumber: 3000, localPortNumber: 3000, url: "" }, undefined, 13000);
        assert.strictEqual(
            commandLine(args),
            `aws ssm start-session --target i-0abc --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["3000"],"localPortNumber":["13000"]}'`,
        );
    });

    it("is the package's `tunnel` script", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, "package.json"), "utf8"));
        assert.strictEqual(pkg.scripts.tunnel, "node -r ./tools/ts-register.js tools/tunnel.ts");
        const result = spawnSync(process.execPath, ["-r", "./tools/ts-register.js", "tools/tunnel.ts", "--stack", "dev", "nope"], {
            cwd: ROOT_DIR,
            encoding: "utf8",
        });
        assert.strictEqual(result.status, EXIT_BAD_INPUT);
        assert.match(result.stderr, /unknown UI "nope"; the UIs are: argocd, grafana, prometheus, kibana, jaeger/);
    });
});
