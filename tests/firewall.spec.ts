import * as assert from "assert";
import { parseStackConfig } from "../components/config";
import { GROUP_NAMES, GroupName } from "../components/firewall/firewall";
import { MONITORING_ADMIN_PORTS } from "../components/monitoring/catalog";
import { APP_PORTS, DATA_PORTS, KUBERNETES_ADMIN_PORTS, PUBLIC_PORTS, PortSpec } from "../components/shared/ports";
import { RecordedResource } from "../tools/mock-cloud";
import { ProgramRun } from "../tools/run-program";
import { readStackFile } from "../tools/stack-files";
import { STACKS, idOf, inputsOf, ofType, runStack, runStackWith } from "./helpers";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

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
    const groups = ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.includes("-firewall-"));
    return new Map(groups.map((g) => [idOf(g), g.name.split("-firewall-")[1] as GroupName]));
}

function rules(run: ProgramRun, type: string): Rule[] {
    const names = groupNames(run);
    return ofType(run, type).filter((r) => names.has(inputsOf(r).securityGroupId)).map((resource: RecordedResource) => {
        const i = inputsOf(resource);
        const source = i.referencedSecurityGroupId ? `sg:${names.get(i.referencedSecurityGroupId) ?? "foreign"}` : (i.cidrIpv4 ?? i.cidrIpv6);
        return { group: names.get(i.securityGroupId)!, from: i.fromPort, to: i.toPort, protocol: i.ipProtocol, source, description: i.description };
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
            const config = parseStackConfig(readStackFile(stack).config);
            const admins = config.access.adminCidrs;
            let run: ProgramRun;
            before(async () => { run = await runStack(stack); });

            it("creates the seed's six groups in the VPC", () => {
                const vpcId = idOf(ofType(run, "aws:ec2/vpc:Vpc")[0]);
                const groups = ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.includes("-firewall-"));
                assert.deepStrictEqual(groups.map((g) => g.name.split("-firewall-")[1]).sort(), [...GROUP_NAMES].sort());
                for (const group of groups) {
                    assert.strictEqual(inputsOf(group).vpcId, vpcId);
                    assert.ok(inputsOf(group).description, `${group.name} has no description`);
                }
            });

            it("has exactly the intended ingress rules", () => {
                const actual = rules(run, INGRESS).map(key).sort();
                const want = [
                    ...expected("web", PUBLIC_PORTS, ["0.0.0.0/0"]),
                    ...expected("app", APP_PORTS, ["sg:web"]),
                    ...expected("data", DATA_PORTS, ["sg:app"]),
                    ...expected("kubernetes", KUBERNETES_ADMIN_PORTS, admins),
                    ...expected("monitoring", MONITORING_ADMIN_PORTS, admins),
                ].sort();
                assert.deepStrictEqual(actual, want);
            });

            it("opens no group but web to the world", () => {
                for (const rule of rules(run, INGRESS).filter((r) => WORLD.includes(r.source))) {
                    assert.strictEqual(rule.group, "web", `${key(rule)} is world-open`);
                    assert.ok(PUBLIC_PORTS.some((p) => p.from === rule.from && p.to === rule.to), key(rule));
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
                assert.deepStrictEqual(egress.filter((r) => r.group === "data"), []);
                for (const rule of egress.filter((r) => r.group === "web")) assert.strictEqual(rule.source, "sg:app", key(rule));
            });
        });
    }

    it("opens SSH (bastion and Kubernetes host) only from admin CIDRs, and only when a key is set", async () => {
        const withoutKey = await runStack("dev");
        assert.ok(!rules(withoutKey, INGRESS).some((r) => r.from === 22));
        const run = await runStackWith("dev", {
            "data-platform:access": { adminCidrs: ["198.51.100.0/24", "2001:db8::/48"], sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@example" },
        });
        const ssh = rules(run, INGRESS).filter((r) => r.from === 22).map(key).sort();
        assert.deepStrictEqual(ssh, [
            "bastion tcp 22-22 from 198.51.100.0/24",
            "bastion tcp 22-22 from 2001:db8::/48",
            "kubernetes tcp 22-22 from 198.51.100.0/24",
            "kubernetes tcp 22-22 from 2001:db8::/48",
        ]);
        const v6 = ofType(run, INGRESS).map(inputsOf).find((r) => r.cidrIpv6 === "2001:db8::/48");
        assert.ok(v6 && v6.cidrIpv4 === undefined, "IPv6 admin CIDRs go in cidrIpv6");
    });

    it("opens no admin port at all when no admin CIDR is configured", async () => {
        const run = await runStackWith("dev", { "data-platform:access": { adminCidrs: [] } });
        const adminGroups: GroupName[] = ["bastion", "kubernetes", "monitoring"];
        assert.deepStrictEqual(rules(run, INGRESS).filter((r) => adminGroups.includes(r.group)), []);
    });
});
