import * as assert from "assert";
import { StackConfig } from "../../components/config";
import { accessSchema } from "../../components/firewall/config";
import { BASE_GROUP_NAMES, Firewall, FirewallArgs, GroupName, STORE_GROUP_NAMES, StoreGroupName } from "../../components/firewall/firewall";
import { MONITORING_ADMIN_PORTS } from "../../components/monitoring/catalog";
import { APP_PORTS, KUBERNETES_ADMIN_PORTS, OUTBOUND_WEB_PORTS, PORTS, PUBLIC_PORTS, PortSpec } from "../../components/shared/ports";
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
    /** The peer: the source of an ingress rule, the destination of an egress rule (`sg:<group>` or a CIDR). */
    peer: string;
    description: string;
}

/** Group id → our group name, from the firewall's security groups (`<name>-firewall-<group>`). */
function groupNames(run: ProgramRun): Map<string, GroupName> {
    const groups = ofType(run, TYPE.ec2SecurityGroup).filter((g) => g.name.includes("-firewall-"));
    return new Map(groups.map((g) => [idOf(g), g.name.split("-firewall-")[1] as GroupName]));
}

function builtGroups(run: ProgramRun): RecordedResource[] {
    return ofType(run, TYPE.ec2SecurityGroup).filter((g) => g.name.includes("-firewall-"));
}

const groupKey = (group: RecordedResource) => group.name.split("-firewall-")[1] as GroupName;

function rules(run: ProgramRun, type: string): Rule[] {
    const names = groupNames(run);
    return ofType(run, type)
        .filter((r) => names.has(inputsOf(r).securityGroupId))
        .map((resource: RecordedResource) => {
            const i = inputsOf(resource);
            const peer = i.referencedSecurityGroupId ? `sg:${names.get(i.referencedSecurityGroupId) ?? "foreign"}` : (i.cidrIpv4 ?? i.cidrIpv6);
            return {
                group: names.get(i.securityGroupId)!,
                from: i.fromPort,
                to: i.toPort,
                protocol: i.ipProtocol,
                peer,
                description: i.description,
            };
        });
}

/** Ingress rules `<group> <proto> <from>-<to> from <source>`. */
function expected(group: GroupName, ports: readonly PortSpec[], sources: readonly string[]): string[] {
    return ports.flatMap((p) => sources.map((source) => `${group} ${p.protocol} ${p.from}-${p.to} from ${source}`));
}

/** Egress rules `<group> <proto> <from>-<to> to <destination>`. */
function outbound(group: GroupName, ports: readonly PortSpec[], destinations: readonly string[]): string[] {
    return ports.flatMap((p) => destinations.map((destination) => `${group} ${p.protocol} ${p.from}-${p.to} to ${destination}`));
}

const key = (r: Rule) => `${r.group} ${r.protocol} ${r.from}-${r.to} from ${r.peer}`;
const outKey = (r: Rule) => `${r.group} ${r.protocol} ${r.from}-${r.to} to ${r.peer}`;
const WORLD = ["0.0.0.0/0", "::/0"];
const WORLD_IPV4 = "0.0.0.0/0";
const MSK_EXPORTERS = [PORTS.mskJmxExporter, PORTS.mskNodeExporter];

/** What the firewall builds for: the hosts, the Kubernetes mode and the data stores of a stack. */
interface Shape {
    /** The minikube host (its group egresses to the web only). */
    readonly minikube: boolean;
    /** EKS nodes: the `kubernetes` group is theirs, and reaches the data stores like app. */
    readonly eks: boolean;
    readonly monitoring: boolean;
    readonly database?: PortSpec;
    readonly cache: boolean;
    readonly streaming: boolean;
    /** MSK open monitoring, scraped by the monitoring host. */
    readonly openMonitoring: boolean;
    /** The load balancer's targets are EKS pods (on the nodes' group), not ECS tasks in app. */
    readonly webOnKubernetes: boolean;
}

/** The shape a stack's config asks for (the database port from its engine). */
function shapeOf(config: StackConfig): Shape {
    return {
        minikube: config.kubernetes === "minikube",
        eks: config.kubernetes === "eks",
        monitoring: config.monitoring,
        database: config.database.enabled ? PORTS[config.database.engine] : undefined,
        cache: config.cache.enabled,
        streaming: config.streaming.enabled,
        openMonitoring: config.monitoring,
        webOnKubernetes: config.kubernetes === "eks" && config.edge.enabled && config.edge.service.runtime === "eks",
    };
}

/** Each store the shape has, with its one port. */
function storePorts(shape: Shape): [StoreGroupName, PortSpec][] {
    return [
        ...(shape.database ? [["database", shape.database] as [StoreGroupName, PortSpec]] : []),
        ...(shape.cache ? [["cache", PORTS.redis] as [StoreGroupName, PortSpec]] : []),
        ...(shape.streaming ? [["streaming", PORTS.kafkaIam] as [StoreGroupName, PortSpec]] : []),
    ];
}

const exportersOpen = (shape: Shape) => shape.streaming && shape.openMonitoring && shape.monitoring;
const storeClients = (shape: Shape): GroupName[] => ["app", ...(shape.eks ? (["kubernetes"] as const) : [])];

function expectedGroups(shape: Shape): string[] {
    return [
        ...BASE_GROUP_NAMES,
        ...(shape.minikube || shape.eks ? ["kubernetes"] : []),
        ...(shape.monitoring ? ["monitoring"] : []),
        ...storePorts(shape).map(([store]) => store),
    ].sort();
}

/** Every ingress rule, none for the hosts (SSM tunnels, no hosts.publicAdminIngress). */
function expectedIngress(shape: Shape): string[] {
    const clients = storeClients(shape).map((client) => `sg:${client}`);
    return [
        ...expected("web", PUBLIC_PORTS, [WORLD_IPV4]),
        ...expected("app", APP_PORTS, ["sg:web"]),
        ...storePorts(shape).flatMap(([store, port]) => expected(store, [port], clients)),
        ...(exportersOpen(shape) ? expected("streaming", MSK_EXPORTERS, ["sg:monitoring"]) : []),
        ...(shape.webOnKubernetes && shape.eks ? expected("kubernetes", [PORTS.appHttp], ["sg:web"]) : []),
    ].sort();
}

function expectedEgress(shape: Shape): string[] {
    return [
        ...outbound("web", APP_PORTS, ["sg:app"]),
        ...outbound("app", [PORTS.https], [WORLD_IPV4]),
        ...storePorts(shape).flatMap(([store, port]) => storeClients(shape).flatMap((client) => outbound(client, [port], [`sg:${store}`]))),
        ...(shape.minikube && !shape.eks ? outbound("kubernetes", OUTBOUND_WEB_PORTS, [WORLD_IPV4]) : []),
        ...(shape.monitoring ? outbound("monitoring", OUTBOUND_WEB_PORTS, [WORLD_IPV4]) : []),
        ...(exportersOpen(shape) ? outbound("monitoring", MSK_EXPORTERS, ["sg:streaming"]) : []),
        ...(shape.webOnKubernetes && shape.eks ? outbound("web", [PORTS.appHttp], ["sg:kubernetes"]) : []),
    ].sort();
}

describe("firewall tier", () => {
    it("opens each store on its own port: the engine's (PostgreSQL 5432, MySQL 3306), Redis 6379, Kafka IAM 9098, MSK exporters 11001/11002", () => {
        const ports = (specs: readonly PortSpec[]) => specs.map((p) => [p.protocol, p.from, p.to]);
        assert.deepStrictEqual(ports([PORTS.postgres, PORTS.mysql, PORTS.redis, PORTS.kafkaIam]), [
            ["tcp", 5432, 5432],
            ["tcp", 3306, 3306],
            ["tcp", 6379, 6379],
            ["tcp", 9098, 9098],
        ]);
        assert.deepStrictEqual(ports(MSK_EXPORTERS), [
            ["tcp", 11001, 11001],
            ["tcp", 11002, 11002],
        ]);
        assert.deepStrictEqual(ports(OUTBOUND_WEB_PORTS), ports([PORTS.http, PORTS.https]), "the hosts egress to HTTP(S) only");
        assert.deepStrictEqual([...STORE_GROUP_NAMES], ["database", "cache", "streaming"]);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            const config = fixtureConfig(stack);
            const shape = shapeOf(config);
            const admins = config.access.adminCidrs;
            let run: ProgramRun;
            before(async () => {
                run = await runStack(stack);
            });

            it("creates web and app, a group per host it builds (the EKS nodes' with EKS), one per data store it builds; no bastion, no shared data group", () => {
                const vpcId = idOf(ofType(run, TYPE.ec2Vpc)[0]);
                const groups = builtGroups(run);
                assert.deepStrictEqual(groups.map(groupKey).sort(), expectedGroups(shape));
                if (stack !== "dev") assert.ok(storePorts(shape).length > 0, `the ${stack} fixture builds data stores, so this checks their groups`);
                for (const group of groups) {
                    assert.strictEqual(inputsOf(group).vpcId, vpcId);
                    assert.ok(inputsOf(group).description, `${group.name} has no description`);
                    assert.strictEqual(inputsOf(group).tags.Name, `${stack}-${groupKey(group)}-sg`);
                }
                const kubernetes = groups.find((group) => groupKey(group) === "kubernetes");
                if (shape.eks) assert.match(inputsOf(kubernetes!).description, /EKS nodes/);
                if (shape.minikube) assert.match(inputsOf(kubernetes!).description, /Kubernetes host/);
                assert.ok(!groups.some((group) => ["data", "bastion"].includes(groupKey(group))));
            });

            it("exports every group's id as the stack output securityGroupIds", () => {
                const ids = Object.fromEntries(builtGroups(run).map((group) => [groupKey(group), idOf(group)]));
                assert.deepStrictEqual(run.stackOutputs.securityGroupIds, ids);
            });

            it("has exactly the intended ingress rules: none for the hosts (SSM tunnels), whatever the admin CIDRs", () => {
                assert.deepStrictEqual(rules(run, INGRESS).map(key).sort(), expectedIngress(shape));
                if (stack === "dev") assert.ok(admins.length > 0, "the dev fixture sets admin CIDRs");
            });

            it("has exactly the intended egress rules: each store's clients reach it on its port, the hosts the web", () => {
                assert.deepStrictEqual(rules(run, EGRESS).map(outKey).sort(), expectedEgress(shape));
            });

            it("lets the host groups out to the world on HTTP(S) only; the EKS nodes' group reaches no CIDR (the cluster group carries that)", () => {
                const hostGroups = ["kubernetes", "monitoring"];
                for (const rule of rules(run, EGRESS).filter((r) => hostGroups.includes(r.group) && !r.peer.startsWith("sg:"))) {
                    assert.ok(!(shape.eks && rule.group === "kubernetes"), outKey(rule));
                    assert.strictEqual(rule.peer, WORLD_IPV4, outKey(rule));
                    assert.ok([80, 443].includes(rule.from) && rule.from === rule.to, outKey(rule));
                }
            });

            it("opens no group but web to the world", () => {
                for (const rule of rules(run, INGRESS).filter((r) => WORLD.includes(r.peer))) {
                    assert.strictEqual(rule.group, "web", `${key(rule)} is world-open`);
                    assert.ok(
                        PUBLIC_PORTS.some((p) => p.from === rule.from && p.to === rule.to),
                        key(rule),
                    );
                }
            });

            it("reaches each data store only on its own port, by group reference from app (and the EKS nodes)", () => {
                const allowed = storeClients(shape).map((client) => `sg:${client}`);
                for (const [store, port] of storePorts(shape)) {
                    const storeRules = rules(run, INGRESS).filter((r) => r.group === store && !(store === "streaming" && r.peer === "sg:monitoring"));
                    assert.deepStrictEqual(storeRules.map((r) => r.peer).sort(), [...allowed].sort(), store);
                    for (const rule of storeRules) assert.deepStrictEqual([rule.from, rule.to], [port.from, port.to], key(rule));
                }
                // A client allowed one store's port is not allowed another's: no store group takes a port of another store.
                const portsOf = new Map(storePorts(shape).map(([store, port]) => [store, port.from]));
                for (const rule of rules(run, INGRESS).filter((r) => portsOf.has(r.group as StoreGroupName))) {
                    for (const [other, port] of portsOf) if (other !== rule.group) assert.notStrictEqual(rule.from, port, key(rule));
                }
            });

            it("gives every rule a description that names port and peer", () => {
                for (const rule of rules(run, INGRESS)) assert.match(rule.description, / from /, key(rule));
                for (const rule of rules(run, EGRESS)) assert.match(rule.description, / to /, outKey(rule));
            });

            it("has no all-protocol rule", () => {
                for (const rule of [...rules(run, INGRESS), ...rules(run, EGRESS)]) assert.notStrictEqual(rule.protocol, "-1", key(rule));
            });

            it("lets the data stores call nothing out, and web only reach the load balancer's targets (app, or the EKS nodes with pods behind it)", () => {
                const egress = rules(run, EGRESS);
                assert.deepStrictEqual(
                    egress.filter((r) => (STORE_GROUP_NAMES as readonly string[]).includes(r.group)),
                    [],
                );
                const targets = shape.webOnKubernetes ? ["sg:app", "sg:kubernetes"] : ["sg:app"];
                for (const rule of egress.filter((r) => r.group === "web")) assert.ok(targets.includes(rule.peer), outKey(rule));
            });
        });
    }

    it("takes the database group's port from database.engine", async () => {
        const run = await runStackWith("staging", { "data-platform:database": { engine: "mysql", instanceClass: "db.t4g.medium" } });
        const database = rules(run, INGRESS).filter((r) => r.group === "database");
        assert.ok(database.length > 0);
        for (const rule of database) assert.deepStrictEqual([rule.from, rule.to], [3306, 3306], key(rule));
        const shape = { ...shapeOf(fixtureConfig("staging")), database: PORTS.mysql };
        assert.deepStrictEqual(rules(run, INGRESS).map(key).sort(), expectedIngress(shape));
        assert.deepStrictEqual(rules(run, EGRESS).map(outKey).sort(), expectedEgress(shape));
    });

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
        type Options = Pick<FirewallArgs, "hosts" | "publicAdminIngress" | "eksNodes" | "stores" | "webTargets">;
        const runFirewall = (access: unknown, options: Options = {}) => {
            const config = accessSchema.parse(access);
            return runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Firewall("t-firewall", { naming: new Naming("test"), vpcId: "vpc-0test", config, ...options });
                },
            });
        };
        /** The shape the standalone firewall is built for. */
        const shapeFor = (options: Options): Shape => ({
            minikube: (options.hosts?.kubernetes ?? false) && !(options.eksNodes ?? false),
            eks: options.eksNodes ?? false,
            monitoring: options.hosts?.monitoring ?? false,
            database: options.stores?.database,
            cache: options.stores?.cache ?? false,
            streaming: options.stores?.streaming !== undefined,
            openMonitoring: options.stores?.streaming?.openMonitoring ?? false,
            webOnKubernetes: options.webTargets === "kubernetes",
        });
        const bothHosts = { kubernetes: true, monitoring: true };
        /** Ingress of the standalone firewall: its groups are named `t-firewall-<group>`. */
        const standaloneIngress = (run: ProgramRun) => {
            const names = new Map(ofType(run, TYPE.ec2SecurityGroup).map((g) => [idOf(g), g.name.replace("t-firewall-", "")]));
            return ofType(run, INGRESS)
                .map(inputsOf)
                .map((r) => `${names.get(r.securityGroupId)} ${r.ipProtocol} ${r.fromPort}-${r.toPort} from ${r.cidrIpv4 ?? r.cidrIpv6 ?? "sg"}`);
        };

        it("with both hosts and the opt-in, opens the admin ports to exactly the CIDRs given, in the VPC given", async () => {
            const run = await runFirewall({ adminCidrs: ["192.0.2.0/24", "2001:db8::/32"] }, { hosts: bothHosts, publicAdminIngress: true });
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

        it("by default builds only web and app, opens no admin port and no SSH, even with admin CIDRs", async () => {
            const run = await runFirewall({ adminCidrs: ["192.0.2.0/24"] });
            assert.deepStrictEqual(
                ofType(run, TYPE.ec2SecurityGroup)
                    .map((g) => g.name.replace("t-firewall-", ""))
                    .sort(),
                ["app", "web"],
            );
            assert.deepStrictEqual(rules(run, INGRESS).map(key).sort(), expectedIngress(shapeFor({})));
            assert.deepStrictEqual(rules(run, EGRESS).map(outKey).sort(), expectedEgress(shapeFor({})));
            const withHosts = await runFirewall({ adminCidrs: ["192.0.2.0/24"] }, { hosts: bothHosts });
            assert.deepStrictEqual(
                standaloneIngress(withHosts).filter((rule) => /^(kubernetes|monitoring) /.test(rule)),
                [],
            );
            const ingress = standaloneIngress(run);
            assert.deepStrictEqual(
                ingress.filter((rule) => /^(kubernetes|monitoring|bastion) /.test(rule)),
                [],
            );
            assert.ok(!ingress.some((rule) => / 22-22 /.test(rule)), ingress.join("\n"));
            assert.deepStrictEqual(ingress.filter((rule) => rule.startsWith("web ")).sort(), expected("web", PUBLIC_PORTS, [WORLD_IPV4]).sort());
        });

        const cases: [string, Options][] = [
            [
                "every store with EKS nodes and the monitoring host (open monitoring)",
                {
                    hosts: { monitoring: true },
                    eksNodes: true,
                    stores: { database: PORTS.postgres, cache: true, streaming: { openMonitoring: true } },
                },
            ],
            [
                "a MySQL database and the cache with the minikube host: the host reaches no store",
                {
                    hosts: bothHosts,
                    stores: { database: PORTS.mysql, cache: true },
                },
            ],
            [
                "streaming with open monitoring but no monitoring host: no exporter rule",
                {
                    eksNodes: true,
                    stores: { streaming: { openMonitoring: true } },
                },
            ],
            [
                "streaming without open monitoring beside the monitoring host: no exporter rule",
                {
                    hosts: { monitoring: true },
                    stores: { streaming: { openMonitoring: false } },
                },
            ],
            ["EKS nodes without stores: the nodes' group, with no rule at all", { eksNodes: true }],
            [
                "the load balancer's targets on the EKS nodes: web reaches the nodes' group on the app port",
                { eksNodes: true, webTargets: "kubernetes" },
            ],
            ["webTargets kubernetes without EKS nodes: the minikube host takes nothing from web", { hosts: bothHosts, webTargets: "kubernetes" }],
        ];
        for (const [title, options] of cases) {
            it(`${title}: exactly the groups and rules expected`, async () => {
                const run = await runFirewall({ adminCidrs: ["192.0.2.0/24"] }, options);
                const shape = shapeFor(options);
                assert.deepStrictEqual(builtGroups(run).map(groupKey).sort(), expectedGroups(shape));
                assert.deepStrictEqual(rules(run, INGRESS).map(key).sort(), expectedIngress(shape));
                assert.deepStrictEqual(rules(run, EGRESS).map(outKey).sort(), expectedEgress(shape));
                for (const group of builtGroups(run)) assert.ok(inputsOf(group).description, group.name);
            });
        }

        it("eksNodes takes the kubernetes group from the host: no admin ingress and no world egress even with hosts.kubernetes and the opt-in", async () => {
            const run = await runFirewall(
                { adminCidrs: ["192.0.2.0/24"], sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@example" },
                { hosts: bothHosts, publicAdminIngress: true, eksNodes: true, stores: { cache: true } },
            );
            const kubernetes = builtGroups(run).filter((group) => groupKey(group) === "kubernetes");
            assert.strictEqual(kubernetes.length, 1);
            assert.match(inputsOf(kubernetes[0]).description, /EKS nodes/);
            assert.deepStrictEqual(
                rules(run, INGRESS)
                    .filter((r) => r.group === "kubernetes")
                    .map(key),
                [],
            );
            assert.deepStrictEqual(
                rules(run, EGRESS)
                    .filter((r) => r.group === "kubernetes")
                    .map(outKey),
                outbound("kubernetes", [PORTS.redis], ["sg:cache"]),
            );
            assert.ok(
                rules(run, INGRESS).some((r) => r.group === "monitoring" && r.from === 22),
                "the monitoring host still opens to the admins",
            );
        });

        it("exports the id of every group built, and only those", async () => {
            let firewall: Firewall | undefined;
            const run = await runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    firewall = new Firewall("t-firewall", {
                        naming: new Naming("test"),
                        vpcId: "vpc-0test",
                        config: accessSchema.parse({}),
                        stores: { database: PORTS.postgres },
                    });
                },
            });
            assert.ok(firewall);
            assert.deepStrictEqual(Object.keys(firewall.groupIds).sort(), ["app", "database", "web"]);
            assert.deepStrictEqual(Object.keys(firewall.groups).sort(), builtGroups(run).map(groupKey).sort());
        });
    });
});
