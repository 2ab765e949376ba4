import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../components/config";
import { DeploymentResource, toDeploymentResources } from "../../tools/deployment";
import { ResourceIndex, componentTier } from "../../tools/cost/resources";
import { buildDiagram, diagramFormatOf, renderDiagram } from "../../tools/diagram";
import { DiagramGroup } from "../../tools/diagram/model";
import { ProgramRun, ROOT_DIR, runProgram } from "../../tools/run-program";
import { readStackFile } from "../../tools/stack-files";
import { DIAGRAM_STACKS, diagramFiles } from "../../tools/docs";
import { fakeResource } from "../support/fake-resources";
import { STACKS, editConfig, fixtureConfig, idOf, inputsOf, ofType, runShippedStack, runStack, runStackWith } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const COMMITTED_MMD = path.join(ROOT_DIR, "docs", "diagram-dev.mmd");
const COMMITTED_SVG = path.join(ROOT_DIR, "docs", "diagram-dev.svg");
const REGENERATE = "run `npm run docs` to refresh it";

/** The Mermaid node id the diagram gives a CIDR source. */
const nodeIdOfCidr = (cidr: string) => `cidr_${cidr.replace(/[^A-Za-z0-9]+/g, "_")}`;

/** The admin CIDRs a rendered diagram (Mermaid or SVG) shows, sorted. */
function adminCidrsDrawnIn(text: string): string[] {
    return [...new Set([...text.matchAll(/admin CIDR ([0-9A-Fa-f:.]+\/\d+)/g)].map((match) => match[1]))].sort();
}

const shippedDevRuns = new Map<string, Promise<ProgramRun>>();

/** The shipped dev stack (Pulumi.dev.yaml at the root) with the admin CIDRs a committed diagram shows. */
function shippedDevDrawnWith(diagram: string): Promise<ProgramRun> {
    const cidrs = adminCidrsDrawnIn(diagram);
    const key = JSON.stringify(cidrs);
    let run = shippedDevRuns.get(key);
    if (!run) {
        const file = readStackFile("dev", ROOT_DIR);
        // Drawn with the file's own admin CIDRs (not edited since): the shipped dev run every spec shares.
        const own = [...new Set(parseStackConfig(file.config).access.adminCidrs)].sort();
        if (JSON.stringify(own) === key) return runShippedStack("dev");
        const config = cidrs.length > 0 ? editConfig(file.config, { "data-platform:access": { adminCidrs: cidrs } }) : file.config;
        run = runProgram({ stack: "dev", config, secretKeys: file.secretKeys });
        shippedDevRuns.set(key, run);
    }
    return run;
}

async function resourcesOf(stack: string): Promise<DeploymentResource[]> {
    return toDeploymentResources(await runStack(stack));
}

/** Tier subgraph ids in Mermaid text. */
function tierSubgraphs(mmd: string): string[] {
    return [...mmd.matchAll(/^\s*subgraph (tier_[a-z_]+)\[/gm)].map((m) => m[1]).sort();
}

/** The tiers a run builds: its component type tokens, minus the platform wrapper. */
function builtTiers(resources: readonly DeploymentResource[]): string[] {
    const tiers = new Set(resources.map((r) => componentTier(r.type)).filter((t): t is string => t !== undefined && t !== "platform"));
    return [...tiers].map((tier) => `tier_${tier.replace(/-/g, "_")}`).sort();
}

function groupLines(group: DiagramGroup): string[] {
    return [...group.nodes.flatMap((n) => n.lines), ...group.groups.flatMap(groupLines)];
}

describe("diagram: tiers", () => {
    for (const stack of STACKS) {
        it(`${stack}: has a subgraph for every tier the stack builds and none for any other`, async () => {
            const resources = await resourcesOf(stack);
            const mmd = await renderDiagram(resources, "mmd");
            assert.deepStrictEqual(tierSubgraphs(mmd), builtTiers(resources));
            assert.ok(tierSubgraphs(mmd).includes("tier_network") && tierSubgraphs(mmd).includes("tier_firewall"));
        });
    }

    it("a tier missing from the plan is missing from the diagram", async () => {
        const resources = await resourcesOf("dev");
        const firewall = resources.find((r) => r.type === "data-platform:firewall:Firewall");
        assert.ok(firewall);
        const withoutFirewall = resources.filter((r) => r !== firewall && r.parent !== firewall.urn);
        const mmd = await renderDiagram(withoutFirewall, "mmd");
        assert.ok(!tierSubgraphs(mmd).includes("tier_firewall"));
        assert.ok(!/SG dev-web/.test(mmd));
    });

    it("groups IAM and other plumbing into one summary node per tier, never one node per attachment", async () => {
        const resources = await resourcesOf("prod");
        const diagram = buildDiagram(resources);
        const iamTypes = new Set<string>([TYPE.iamRole, TYPE.iamRolePolicy, TYPE.iamRolePolicyAttachment]);
        const iamCount = resources.filter((r) => iamTypes.has(r.type)).length;
        const summaries = diagram.tiers.flatMap((t) => t.nodes.filter((n) => n.id.startsWith("tiernode_")));
        assert.ok(summaries.length <= diagram.tiers.length, "at most one summary node per tier");
        const nodeCount = diagram.tiers.reduce((sum, t) => sum + groupLines(t).length, 0);
        assert.ok(nodeCount < resources.length, `diagram lines (${nodeCount}) fewer than resources (${resources.length}, ${iamCount} IAM)`);
    });
});

describe("diagram: network", () => {
    for (const stack of STACKS) {
        it(`${stack}: the VPC holds one group per AZ with its subnets at their CIDRs`, async () => {
            const run = await runStack(stack);
            const diagram = buildDiagram(toDeploymentResources(run));
            const network = diagram.tiers.find((t) => t.label === "network");
            assert.ok(network);
            const vpc = network.groups[0];
            const vpcCidr = inputsOf(ofType(run, TYPE.ec2Vpc)[0]).cidrBlock;
            assert.strictEqual(vpc.label, `VPC ${stack}-main-vpc · ${vpcCidr}`);
            const subnets = ofType(run, TYPE.ec2Subnet).map(inputsOf);
            const azs = [...new Set(subnets.map((s) => s.availabilityZone as string))].sort();
            assert.deepStrictEqual(
                vpc.groups.map((g) => g.label),
                azs,
            );
            for (const az of vpc.groups) {
                const expected = subnets
                    .filter((s) => s.availabilityZone === az.label)
                    .map((s) => `${s.tags.SubnetTier} subnet ${s.cidrBlock}`)
                    .sort();
                assert.deepStrictEqual(az.nodes.map((n) => n.lines[0]).sort(), expected);
            }
        });
    }

    it("prod: a NAT gateway shows in each public subnet, none in private or database subnets", async () => {
        const network = buildDiagram(await resourcesOf("prod")).tiers.find((t) => t.label === "network");
        assert.ok(network);
        for (const az of network.groups[0].groups) {
            for (const subnet of az.nodes) {
                assert.strictEqual(subnet.lines.includes("NAT gateway"), subnet.lines[0].startsWith("public"), subnet.lines.join(" / "));
            }
        }
    });

    it("dev: no NAT gateway anywhere", async () => {
        assert.ok(!(await renderDiagram(await resourcesOf("dev"), "mmd")).includes("NAT gateway"));
    });

    it("places hosts, tasks, databases and load balancers in the subnets their inputs name", () => {
        const r = (type: string, name: string, inputs: Record<string, unknown>, extra: { outputs?: Record<string, unknown> } = {}) =>
            fakeResource(type, inputs, { name, ...extra });
        const vpc = r(TYPE.ec2Vpc, "vpc", { cidrBlock: "10.9.0.0/16", tags: { Name: "t-vpc" } });
        const pub = r(TYPE.ec2Subnet, "pub", {
            vpcId: "vpc-id",
            availabilityZone: "us-east-2a",
            cidrBlock: "10.9.1.0/24",
            tags: { SubnetTier: "public" },
        });
        const db = r(TYPE.ec2Subnet, "db", {
            vpcId: "vpc-id",
            availabilityZone: "us-east-2a",
            cidrBlock: "10.9.100.0/24",
            tags: { SubnetTier: "database" },
        });
        const resources = [
            vpc,
            pub,
            db,
            r(TYPE.ec2Instance, "host", { subnetId: "pub-id", instanceType: "t3.small", tags: { Name: "t-monitoring" } }),
            r(TYPE.lbLoadBalancer, "alb", { subnets: ["pub-id"], tags: { Name: "t-alb" } }),
            r(TYPE.rdsSubnetGroup, "dbsg", { subnetIds: ["db-id"] }, { outputs: { name: "t-db-subnets" } }),
            r(TYPE.rdsInstance, "rds", { dbSubnetGroupName: "t-db-subnets", instanceClass: "db.t4g.micro", tags: { Name: "t-postgres" } }),
            r(TYPE.ecsService, "svc", { networkConfiguration: { subnets: ["pub-id"] }, desiredCount: 2, tags: { Name: "t-svc" } }),
        ];
        const lines = buildDiagram(resources).tiers.flatMap(groupLines);
        const publicSubnet = buildDiagram(resources).tiers[0].groups[0].groups[0].nodes.find((n) => n.lines[0].startsWith("public"));
        assert.deepStrictEqual(publicSubnet?.lines, [
            "public subnet 10.9.1.0/24",
            "ECS tasks t-svc (desired 2)",
            "host t-monitoring (t3.small)",
            "load balancer t-alb",
        ]);
        assert.ok(lines.includes("database t-postgres (db.t4g.micro)"));
    });
});

describe("diagram: security-group flow", () => {
    for (const stack of STACKS) {
        it(`${stack}: one edge per (source, group) with the ports of its ingress rules`, async () => {
            const run = await runStack(stack);
            const diagram = buildDiagram(toDeploymentResources(run));
            const groups = ofType(run, TYPE.ec2SecurityGroup);
            const nodeOf = (id: unknown) => {
                const group = groups.find((g) => idOf(g) === id);
                return group ? `sg_${group.name.replace(/[^A-Za-z0-9]+/g, "_")}` : undefined;
            };
            const expected = new Map<string, Set<string>>();
            for (const rule of ofType(run, TYPE.vpcSecurityGroupIngressRule).map(inputsOf)) {
                const to = nodeOf(rule.securityGroupId);
                const from = rule.referencedSecurityGroupId
                    ? nodeOf(rule.referencedSecurityGroupId)
                    : rule.cidrIpv4 === "0.0.0.0/0"
                      ? "internet"
                      : `cidr_${String(rule.cidrIpv4 ?? rule.cidrIpv6).replace(/[^A-Za-z0-9]+/g, "_")}`;
                const port = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
                const key = `${from} -> ${to}`;
                expected.set(key, new Set([...(expected.get(key) ?? []), port]));
            }
            const actual = diagram.edges.filter((e) => e.kind === "traffic" && e.to.startsWith("sg_"));
            assert.deepStrictEqual(actual.map((e) => `${e.from} -> ${e.to}`).sort(), [...expected.keys()].sort());
            for (const edge of actual) {
                assert.deepStrictEqual(edge.label.split(", ").sort(), [...(expected.get(`${edge.from} -> ${edge.to}`) ?? [])].sort());
            }
        });
    }

    it("dev: web takes 80/443 from the internet, app takes app ports from web, admins reach the UIs only on opt-in", async () => {
        const mmd = await renderDiagram(await resourcesOf("dev"), "mmd");
        assert.match(mmd, /internet -->\|"80, 443"\| sg_dev_firewall_web/);
        assert.match(mmd, /sg_dev_firewall_web -->\|"3000, 5000, 8080"\| sg_dev_firewall_app/);
        const admins = fixtureConfig("dev").access.adminCidrs;
        for (const cidr of admins) assert.ok(!mmd.includes(`${nodeIdOfCidr(cidr)} -->`), `${cidr} reaches a host without hosts.publicAdminIngress`);
        const optedIn = await renderDiagram(
            toDeploymentResources(await runStackWith("dev", { "data-platform:hosts": { publicAdminIngress: true } })),
            "mmd",
        );
        for (const cidr of admins) {
            assert.ok(
                optedIn.includes(`${nodeIdOfCidr(cidr)} -->|"3000, 5601, 9090, 16686"| sg_dev_firewall_monitoring`),
                `${cidr} reaches the monitoring UIs with hosts.publicAdminIngress`,
            );
        }
        assert.ok(
            !/internet -->\|[^|]*\| sg_dev_firewall_(app|database|cache|streaming|monitoring|kubernetes|bastion)/.test(mmd),
            "only web is reachable from the internet",
        );
    });
});

describe("diagram: data flow", () => {
    for (const stack of STACKS) {
        it(`${stack}: S3 zones → crawlers → catalog, and the lake's buckets with their zones`, async () => {
            const run = await runStack(stack);
            const resources = toDeploymentResources(run);
            const diagram = buildDiagram(resources);
            const index = new ResourceIndex(resources);
            const crawlers = ofType(run, TYPE.glueCrawler);
            for (const crawler of crawlers) {
                const id = `crawler_${crawler.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                const zone = String(inputsOf(crawler).s3Targets[0].path).split("/")[3];
                assert.ok(
                    diagram.edges.some((e) => e.to === id && e.label === `${zone}/` && e.from.startsWith("bucket_")),
                    `${id} reads ${zone}/`,
                );
                assert.ok(
                    diagram.edges.some((e) => e.from === id && e.to.startsWith("catalog_")),
                    `${id} writes the catalog`,
                );
            }
            for (const job of ofType(run, TYPE.glueJob)) {
                const id = `job_${job.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                assert.ok(
                    diagram.edges.some((e) => e.to === id && e.from.startsWith("bucket_")),
                    `${id} is fed by a data bucket`,
                );
                if (crawlers.length > 0)
                    assert.ok(
                        diagram.edges.some((e) => e.to === id && e.from.startsWith("catalog_")),
                        `${id} reads the catalog`,
                    );
            }
            const lake = ofType(run, TYPE.s3Bucket).find((b) => inputsOf(b).tags?.Name === `${stack}-data-lake`);
            if (lake) {
                const node = diagram.tiers.flatMap((t) => t.nodes).find((n) => n.lines[0] === `S3 ${stack}-data-lake`);
                assert.ok(
                    node?.lines.some((line) => /zones: .*raw\//.test(line)),
                    "the data lake shows its zones",
                );
            }
            assert.ok(index.tiers().length > 0);
        });
    }

    it("hand-built: zone → crawler → catalog → task (glue read grant) and bucket → task (S3 grant)", () => {
        const r = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) =>
            fakeResource(type, inputs, { name, outputs });
        const policy = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["glue:GetTable"], Resource: "*" },
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::t-lake-1/*" },
            ],
        });
        const resources = [
            r(TYPE.s3Bucket, "lake", { bucket: "t-lake-1", tags: { Name: "t-data-lake" } }, { arn: "arn:aws:s3:::t-lake-1" }),
            r(TYPE.glueCatalogDatabase, "db", { name: "t_catalog" }),
            r(TYPE.glueCrawler, "raw", { name: "t-raw", databaseName: "t_catalog", s3Targets: [{ path: "s3://t-lake-1/raw/" }] }),
            r(TYPE.iamRole, "task-role", {}, { arn: "arn:aws:iam::1:role/task", name: "task" }),
            r(TYPE.iamRolePolicy, "task-policy", { role: "task-role-id", policy }),
            r(TYPE.ecsTaskDefinition, "td", { family: "t-proc", cpu: "1024", memory: "2048", taskRoleArn: "arn:aws:iam::1:role/task" }),
        ];
        const edges = buildDiagram(resources).edges.map((e) => `${e.from} -${e.label}-> ${e.to}`);
        assert.deepStrictEqual(edges.sort(), [
            "bucket_lake -S3 data-> task_td",
            "bucket_lake -raw/-> crawler_raw",
            "catalog_db -tables-> task_td",
            "crawler_raw -tables-> catalog_db",
        ]);
    });
});

/** Types the diagram draws as a node of their own (with the node-id prefix) wherever a stack builds them. */
const NODE_PREFIXES: Readonly<Record<string, string>> = {
    [TYPE.ecsService]: "svc_",
    [TYPE.rdsInstance]: "rds_",
    [TYPE.elasticacheReplicationGroup]: "cache_",
    [TYPE.mskCluster]: "msk_",
    [TYPE.lbLoadBalancer]: "alb_",
    [TYPE.lbTargetGroup]: "tg_",
    [TYPE.acmCertificate]: "cert_",
    [TYPE.wafv2WebAcl]: "waf_",
    [TYPE.eksCluster]: "eks_",
    [TYPE.eksNodeGroup]: "nodes_",
    [TYPE.autoscalingGroup]: "asg_",
    [TYPE.ecsCapacityProvider]: "cp_",
    [TYPE.lambdaFunction]: "lambda_",
    [TYPE.cloudtrailTrail]: "trail_",
    [TYPE.snsTopic]: "topic_",
    [TYPE.budgetsBudget]: "budget_",
};

describe("diagram: compute, stores, entry point and alarms of the stacks", () => {
    for (const stack of STACKS) {
        it(`${stack}: every service, store, load balancer, cluster, trail, topic and budget is a node; stores are reached on their ports`, async () => {
            const run = await runStack(stack);
            const diagram = buildDiagram(toDeploymentResources(run));
            const ids = new Set(
                diagram.tiers.flatMap(function walk(group: DiagramGroup): string[] {
                    return [...group.nodes.map((n) => n.id), ...group.groups.flatMap(walk)];
                }),
            );
            let checked = 0;
            for (const [type, prefix] of Object.entries(NODE_PREFIXES)) {
                for (const resource of ofType(run, type)) {
                    const id = `${prefix}${resource.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                    assert.ok(ids.has(id), `${type} ${resource.name} is drawn as ${id}`);
                    checked++;
                }
            }
            for (const service of ofType(run, TYPE.ecsService)) {
                const id = `svc_${service.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                assert.ok(
                    diagram.edges.some((e) => e.from === id && e.to.startsWith("task_") && e.label === "runs"),
                    `${id} runs its task`,
                );
            }
            for (const type of [TYPE.rdsInstance, TYPE.elasticacheReplicationGroup, TYPE.mskCluster]) {
                for (const store of ofType(run, type)) {
                    const id = `${NODE_PREFIXES[type]}${store.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                    const inbound = diagram.edges.filter((e) => e.to === id && e.kind === "traffic");
                    assert.ok(inbound.length > 0, `${id} is reached by something`);
                    for (const edge of inbound) assert.match(edge.label, /^tcp\/\d+(, tcp\/\d+)*$/, `${edge.from} → ${id}`);
                }
            }
            const alarms = ofType(run, TYPE.cloudwatchMetricAlarm).length;
            const counted = diagram.tiers
                .flatMap((t) => t.nodes)
                .filter((n) => n.id.startsWith("alarms_"))
                .reduce((sum, n) => sum + parseInt(n.lines[0], 10), 0);
            assert.strictEqual(counted, alarms, "every alarm is counted in an alarm node");
            assert.ok(checked > 0, "the stack builds at least an ECS service");
        });
    }
});

describe("diagram: output", () => {
    it("is deterministic", async () => {
        const resources = await resourcesOf("prod");
        assert.strictEqual(await renderDiagram(resources, "mmd"), await renderDiagram(resources, "mmd"));
    });

    it("renders SVG through Graphviz (WebAssembly) with every tier as a cluster", async () => {
        const resources = await resourcesOf("dev");
        const svg = await renderDiagram(resources, "svg");
        assert.match(svg, /<svg[\s>]/);
        for (const tier of builtTiers(resources)) assert.ok(svg.includes(`cluster_${tier}`), `${tier} in SVG`);
    });

    it("picks the format from the file extension", () => {
        assert.strictEqual(diagramFormatOf("docs/x.mmd"), "mmd");
        assert.strictEqual(diagramFormatOf("x.svg"), "svg");
        assert.throws(() => diagramFormatOf("x.png"), /must end in \.mmd .* or \.svg/);
    });

    // The committed diagram is drawn from the shipped dev stack, whose admin CIDRs are the user's (the README tells
    // them to set their own): it is compared with the program's diagram for the admin CIDRs it was drawn with.
    it("the committed docs/diagram-dev.mmd and .svg match what the program builds from Pulumi.dev.yaml", async () => {
        const stale: string[] = [];
        for (const [file, format] of [
            [COMMITTED_MMD, "mmd"],
            [COMMITTED_SVG, "svg"],
        ] as const) {
            const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
            const fresh = await renderDiagram(toDeploymentResources(await shippedDevDrawnWith(committed)), format);
            if (committed !== fresh) stale.push(path.relative(ROOT_DIR, file));
        }
        // One line, no diff: a user who edited Pulumi.dev.yaml needs only the command.
        if (stale.length > 0) assert.fail(`${stale.join(" and ")} ${stale.length > 1 ? "are" : "is"} stale: ${REGENERATE}`);
    });

    for (const stack of DIAGRAM_STACKS.filter((name) => name !== "dev")) {
        it(`the committed docs/diagram-${stack}.mmd and .svg match what the program builds from Pulumi.${stack}.yaml`, async () => {
            const resources = toDeploymentResources(await runShippedStack(stack));
            const stale: string[] = [];
            for (const [format, file] of Object.entries(diagramFiles(stack)) as ["mmd" | "svg", string][]) {
                const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
                if (committed !== (await renderDiagram(resources, format))) stale.push(path.relative(ROOT_DIR, file));
            }
            if (stale.length > 0) assert.fail(`${stale.join(" and ")} ${stale.length > 1 ? "are" : "is"} stale: ${REGENERATE}`);
        });
    }

    it("reads the admin CIDRs a diagram was drawn with, which it draws the same in any order", async () => {
        const cidrs = ["192.0.2.0/24", "2001:db8::/32"];
        const resourcesWith = async (adminCidrs: string[]) =>
            toDeploymentResources(
                await runStackWith("dev", { "data-platform:access": { adminCidrs }, "data-platform:hosts": { publicAdminIngress: true } }),
            );
        // One after the other: the mock runtime is process-wide.
        const inOrder = await resourcesWith(cidrs);
        const reversed = await resourcesWith([...cidrs].reverse());
        for (const format of ["mmd", "svg"] as const) {
            const diagram = await renderDiagram(inOrder, format);
            assert.deepStrictEqual(adminCidrsDrawnIn(diagram), cidrs);
            assert.ok(diagram === (await renderDiagram(reversed, format)), `the ${format} diagram depends on the order of the admin CIDRs`);
        }
    });
});
