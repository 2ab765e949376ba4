import * as assert from "assert";
import { accessSchema } from "../../components/firewall/config";
import { BASE_GROUP_NAMES, Firewall, GroupName } from "../../components/firewall/firewall";
import { MONITORING_ADMIN_PORTS } from "../../components/monitoring/catalog";
import { APP_PORTS, DATA_PORTS, KUBERNETES_ADMIN_PORTS, PORTS, PUBLIC_PORTS, PortSpec } from "../../components/shared/ports";
import { RecordedResource } from "../../tools/mock-cloud";
import { Naming } from "../../components/shared/naming";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, fixtureConfig, idOf, inputsOf, ofType, runStack, runStackWith } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const INGRESS = TYPE.vpcSecurityGroupIngressRule;
const EGRESS = TYPE.vpcSecurityGroupEgressRule;

interface Rule {
    group: GroupName;
    from: number;
    to: number;
    protocol: string;
    source: string;
    description: string;
}

/** Group id → our group name, from the firewall's security groups. */
function groupNames(run: ProgramRun): Map<string, GroupName> {
    const groups = ofType(run, TYPE.ec2SecurityGroup).filter((g) => g.name.includes("-firewall-"));
    return new Map(groups.map((g) => [idOf(g), g.name.split("-firewall-")[1] as GroupName]));
}

function rules(run: ProgramRun, type: string): Rule[] {
    const names = groupNames(run);
    return ofType(run, type)
        .filter((r) => names.has(inputsOf(r).securityGroupId))
        .map((resource: RecordedResource) => {
            const i = inputsOf(resource);
            const source = i.referencedSecurityGroupId ? `sg:${names.get(i.referencedSecurityGroupId) ?? "foreign"}` : (i.cidrIpv4 ?? i.cidrIpv6);
            return {
                group: names.get(i.securityGroupId)!,
                from: i.fromPort,
                to: i.toPort,
                protocol: i.ipProtocol,
                source,
                description: i.description,
            };
        });
}

function expected(group: GroupName, ports: readonly PortSpec[], sources: readonly string[]): string[] {
    return ports.flatMap((p) => sources.map((source) => `${group} ${p.protocol} ${p.from}-${p.to} from ${source}`));
}

const key = (r: Rule) => `${r.group} ${r.protocol} ${r.from}-${r.to} from ${r.source}`;
const WORLD = ["0.0.0.0/0", "::/0"];

describe("firewall tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const config = fixtureConfig(stack);
            const admins = config.access.adminCidrs;
            let run: ProgramRun;
            before(async () => {
                run = await runStack(stack);
            });

            it("creates web, app and data, and a group per host only for the hosts the stack builds (no bastion)", () => {
                const vpcId = idOf(ofType(run, TYPE.ec2Vpc)[0]);
                const groups = ofType(run, TYPE.ec2SecurityGroup).filter((g) => g.name.includes("-firewall-"));
                const hostGroups = [...(config.kubernetes === "minikube" ? ["kubernetes"] : []), ...(config.monitoring ? ["monitoring"] : [])];
                assert.deepStrictEqual(groups.map((g) => g.name.split("-firewall-")[1]).sort(), [...BASE_GROUP_NAMES, ...hostGroups].sort());
                if (stack !== "dev") assert.deepStrictEqual(hostGroups, [], `${stack} builds no hosts, so no host groups`);
                for (const group of groups) {
                    assert.strictEqual(inputsOf(group).vpcId, vpcId);
                    assert.ok(inputsOf(group).description, `${group.name} has no description`);
                }
            });

            it("has exactly the intended ingress rules: none for the hosts (SSM tunnels), whatever the admin CIDRs", () => {
                const actual = rules(run, INGRESS).map(key).sort();
                const want = [
                    ...expected("web", PUBLIC_PORTS, ["0.0.0.0/0"]),
                    ...expected("app", APP_PORTS, ["sg:web"]),
                    ...expected("data", DATA_PORTS, ["sg:app"]),
                ].sort();
                assert.deepStrictEqual(actual, want);
                if (stack === "dev") assert.ok(admins.length > 0, "the dev fixture sets admin CIDRs");
            });

            it("lets the host groups out to HTTP(S) only", () => {
                for (const rule of rules(run, EGRESS).filter((r) => r.group === "kubernetes" || r.group === "monitoring")) {
                    assert.strictEqual(rule.source, "0.0.0.0/0", key(rule));
                    assert.ok([80, 443].includes(rule.from) && rule.from === rule.to, key(rule));
                }
            });

            it("opens no group but web to the world", () => {
                for (const rule of rules(run, INGRESS).filter((r) => WORLD.includes(r.source))) {
                    assert.strictEqual(rule.group, "web", `${key(rule)} is world-open`);
                    assert.ok(
                        PUBLIC_PORTS.some((p) => p.from === rule.from && p.to === rule.to),
                        key(rule),
                    );
                }
            });

            it("reaches data ports only by group reference from app", () => {
                const dataRules = rules(run, INGRESS).filter((r) => r.group === "data");
                assert.ok(dataRules.length > 0);
                for (const rule of dataRules) assert.strictEqual(rule.source, "sg:app", key(rule));
            });

            it("gives every rule a description that names port and peer", () => {
                for (const rule of [...rules(run, INGRESS), ...rules(run, EGRESS)]) {
                    assert.match(rule.description, /(from|to) /, key(rule));
                }
            });

            it("has no all-protocol rule", () => {
                for (const rule of [...rules(run, INGRESS), ...rules(run, EGRESS)]) assert.notStrictEqual(rule.protocol, "-1", key(rule));
            });

            it("lets data call nothing out, and web only reach the app tier", () => {
                const egress = rules(run, EGRESS);
                assert.deepStrictEqual(
                    egress.filter((r) => r.group === "data"),
                    [],
                );
                for (const rule of egress.filter((r) => r.group === "web")) assert.strictEqual(rule.source, "sg:app", key(rule));
            });
        });
    }

    it("opens SSH only with a key and hosts.publicAdminIngress, on both host groups alike, only from admin CIDRs", async () => {
        const access = {
            adminCidrs: ["198.51.100.0/24", "2001:db8::/48"],
            sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@example",
        };
        const withoutOptIn = await runStackWith("dev", { "data-platform:access": access });
        assert.ok(!rules(withoutOptIn, INGRESS).some((r) => r.from === 22), "a key alone opens nothing: SSH goes through Session Manager");
        const run = await runStackWith("dev", { "data-platform:access": access, "data-platform:hosts": { publicAdminIngress: true } });
        const ssh = rules(run, INGRESS)
            .filter((r) => r.from === 22)
            .map(key)
            .sort();
        assert.deepStrictEqual(ssh, [
            "kubernetes tcp 22-22 from 198.51.100.0/24",
            "kubernetes tcp 22-22 from 2001:db8::/48",
            "monitoring tcp 22-22 from 198.51.100.0/24",
            "monitoring tcp 22-22 from 2001:db8::/48",
        ]);
        const v6 = ofType(run, INGRESS)
            .map(inputsOf)
            .find((r) => r.cidrIpv6 === "2001:db8::/48");
        assert.ok(v6 && v6.cidrIpv4 === undefined, "IPv6 admin CIDRs go in cidrIpv6");
    });

    it("with hosts.publicAdminIngress opens the forwarded ArgoCD port and the monitoring UIs, and nothing when no admin CIDR is configured", async () => {
        const admins = fixtureConfig("dev").access.adminCidrs;
        const open = await runStackWith("dev", { "data-platform:hosts": { publicAdminIngress: true } });
        const adminRules = rules(open, INGRESS)
            .filter((r) => r.group === "kubernetes" || r.group === "monitoring")
            .map(key)
            .sort();
        assert.deepStrictEqual(
            adminRules,
            [...expected("kubernetes", KUBERNETES_ADMIN_PORTS, admins), ...expected("monitoring", MONITORING_ADMIN_PORTS, admins)].sort(),
        );
        assert.deepStrictEqual(KUBERNETES_ADMIN_PORTS, [PORTS.argocd], "only what the host forwards (no 8443, no NodePort range)");
        const noCidrs = await runStackWith("dev", {
            "data-platform:hosts": { publicAdminIngress: true },
            "data-platform:access": { adminCidrs: [] },
        });
        assert.deepStrictEqual(
            rules(noCidrs, INGRESS).filter((r) => r.group === "kubernetes" || r.group === "monitoring"),
            [],
        );
    });

    describe("built alone from its section, without a stack file", () => {
        const runFirewall = (access: unknown, options: { hosts?: boolean; publicAdminIngress?: boolean } = {}) => {
            const config = accessSchema.parse(access);
            return runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Firewall("t-firewall", {
                        naming: new Naming("test"),
                        vpcId: "vpc-0test",
                        config,
                        ...(options.hosts ? { hosts: { kubernetes: true, monitoring: true } } : {}),
                        publicAdminIngress: options.publicAdminIngress,
                    });
                },
            });
        };
        /** Ingress of the standalone firewall: its groups are named `t-firewall-<group>`. */
        const standaloneIngress = (run: ProgramRun) => {
            const names = new Map(ofType(run, TYPE.ec2SecurityGroup).map((g) => [idOf(g), g.name.replace("t-firewall-", "")]));
            return ofType(run, INGRESS)
                .map(inputsOf)
                .map((r) => `${names.get(r.securityGroupId)} ${r.ipProtocol} ${r.fromPort}-${r.toPort} from ${r.cidrIpv4 ?? r.cidrIpv6 ?? "sg"}`);
        };

        it("with both hosts and the opt-in, opens the admin ports to exactly the CIDRs given, in the VPC given", async () => {
            const run = await runFirewall({ adminCidrs: ["192.0.2.0/24", "2001:db8::/32"] }, { hosts: true, publicAdminIngress: true });
            for (const group of ofType(run, TYPE.ec2SecurityGroup)) assert.strictEqual(inputsOf(group).vpcId, "vpc-0test");
            const admin = standaloneIngress(run)
                .filter((rule) => /^(kubernetes|monitoring|bastion) /.test(rule))
                .sort();
            const want = [
                ...expected("kubernetes", KUBERNETES_ADMIN_PORTS, ["192.0.2.0/24", "2001:db8::/32"]),
                ...expected("monitoring", MONITORING_ADMIN_PORTS, ["192.0.2.0/24", "2001:db8::/32"]),
            ].sort();
            assert.deepStrictEqual(admin, want);
        });

        it("by default builds no host group, opens no admin port and no SSH, even with admin CIDRs", async () => {
            const run = await runFirewall({ adminCidrs: ["192.0.2.0/24"] });
            assert.deepStrictEqual(
                ofType(run, TYPE.ec2SecurityGroup)
                    .map((g) => g.name.replace("t-firewall-", ""))
                    .sort(),
                ["app", "data", "web"],
            );
            const withHosts = await runFirewall({ adminCidrs: ["192.0.2.0/24"] }, { hosts: true });
            assert.deepStrictEqual(
                standaloneIngress(withHosts).filter((rule) => /^(kubernetes|monitoring) /.test(rule)),
                [],
            );
            const rules = standaloneIngress(run);
            assert.deepStrictEqual(
                rules.filter((rule) => /^(kubernetes|monitoring|bastion) /.test(rule)),
                [],
            );
            assert.ok(!rules.some((rule) => / 22-22 /.test(rule)), rules.join("\n"));
            assert.deepStrictEqual(rules.filter((rule) => rule.startsWith("web ")).sort(), expected("web", PUBLIC_PORTS, ["0.0.0.0/0"]).sort());
        });
    });
});
