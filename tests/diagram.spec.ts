import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DeploymentResource, toDeploymentResources } from "../tools/deployment";
import { ResourceIndex, componentTier } from "../tools/cost/resources";
import { buildDiagram, diagramFormatOf, renderDiagram } from "../tools/diagram";
import { DiagramGroup } from "../tools/diagram/model";
import { ROOT_DIR } from "../tools/run-program";
import { STACKS, idOf, inputsOf, ofType, runStack } from "./helpers";

const COMMITTED_MMD = path.join(ROOT_DIR, "docs", "diagram-dev.mmd");
const COMMITTED_SVG = path.join(ROOT_DIR, "docs", "diagram-dev.svg");
const REGENERATE = "regenerate with: npm run plan -- --stack dev --diagram docs/diagram-dev.mmd (and --diagram docs/diagram-dev.svg)";

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
        const iamTypes = new Set(["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]);
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
            const vpcCidr = inputsOf(ofType(run, "aws:ec2/vpc:Vpc")[0]).cidrBlock;
            assert.strictEqual(vpc.label, `VPC ${stack}-main-vpc · ${vpcCidr}`);
            const subnets = ofType(run, "aws:ec2/subnet:Subnet").map(inputsOf);
            const azs = [...new Set(subnets.map((s) => s.availabilityZone as string))].sort();
            assert.deepStrictEqual(vpc.groups.map((g) => g.label), azs);
            for (const az of vpc.groups) {
                const expected = subnets.filter((s) => s.availabilityZone === az.label).map((s) => `${s.tags.SubnetTier} subnet ${s.cidrBlock}`).sort();
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
        const r = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<DeploymentResource> = {}): DeploymentResource => ({
            urn: `urn:pulumi:t::data-platform::${type}::${name}`, type, custom: true, id: `${name}-id`, inputs, outputs: { ...inputs, ...(extra.outputs ?? {}) }, dependencies: [],
        });
        const vpc = r("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.9.0.0/16", tags: { Name: "t-vpc" } });
        const pub = r("aws:ec2/subnet:Subnet", "pub", { vpcId: "vpc-id", availabilityZone: "us-east-2a", cidrBlock: "10.9.1.0/24", tags: { SubnetTier: "public" } });
        const db = r("aws:ec2/subnet:Subnet", "db", { vpcId: "vpc-id", availabilityZone: "us-east-2a", cidrBlock: "10.9.100.0/24", tags: { SubnetTier: "database" } });
        const resources = [
            vpc, pub, db,
            r("aws:ec2/instance:Instance", "host", { subnetId: "pub-id", instanceType: "t3.small", tags: { Name: "t-monitoring" } }),
            r("aws:lb/loadBalancer:LoadBalancer", "alb", { subnets: ["pub-id"], tags: { Name: "t-alb" } }),
            r("aws:rds/subnetGroup:SubnetGroup", "dbsg", { subnetIds: ["db-id"] }, { outputs: { name: "t-db-subnets" } }),
            r("aws:rds/instance:Instance", "rds", { dbSubnetGroupName: "t-db-subnets", instanceClass: "db.t4g.micro", tags: { Name: "t-postgres" } }),
            r("aws:ecs/service:Service", "svc", { networkConfiguration: { subnets: ["pub-id"] }, desiredCount: 2, tags: { Name: "t-svc" } }),
        ];
        const lines = buildDiagram(resources).tiers.flatMap(groupLines);
        const publicSubnet = buildDiagram(resources).tiers[0].groups[0].groups[0].nodes.find((n) => n.lines[0].startsWith("public"));
        assert.deepStrictEqual(publicSubnet?.lines, ["public subnet 10.9.1.0/24", "ECS tasks t-svc (desired 2)", "host t-monitoring (t3.small)", "load balancer t-alb"]);
        assert.ok(lines.includes("database t-postgres (db.t4g.micro)"));
    });
});

describe("diagram: security-group flow", () => {
    for (const stack of STACKS) {
        it(`${stack}: one edge per (source, group) with the ports of its ingress rules`, async () => {
            const run = await runStack(stack);
            const diagram = buildDiagram(toDeploymentResources(run));
            const groups = ofType(run, "aws:ec2/securityGroup:SecurityGroup");
            const nodeOf = (id: unknown) => {
                const group = groups.find((g) => idOf(g) === id);
                return group ? `sg_${group.name.replace(/[^A-Za-z0-9]+/g, "_")}` : undefined;
            };
            const expected = new Map<string, Set<string>>();
            for (const rule of ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(inputsOf)) {
                const to = nodeOf(rule.securityGroupId);
                const from = rule.referencedSecurityGroupId ? nodeOf(rule.referencedSecurityGroupId)
                    : rule.cidrIpv4 === "0.0.0.0/0" ? "internet"
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

    it("dev: web takes 80/443 from the internet, app takes app ports from web, data takes data ports from app, admins reach admin ports", async () => {
        const mmd = await renderDiagram(await resourcesOf("dev"), "mmd");
        assert.match(mmd, /internet -->\|"80, 443"\| sg_dev_firewall_web/);
        assert.match(mmd, /sg_dev_firewall_web -->\|"3000, 5000, 8080"\| sg_dev_firewall_app/);
        assert.match(mmd, /sg_dev_firewall_app -->\|"3306, 5432, 6379"\| sg_dev_firewall_data/);
        assert.match(mmd, /cidr_203_0_113_0_24 -->\|"3000, 5601, 9090, 16686"\| sg_dev_firewall_monitoring/);
        assert.ok(!/internet -->\|[^|]*\| sg_dev_firewall_(app|data|monitoring|kubernetes|bastion)/.test(mmd), "only web is reachable from the internet");
    });
});

describe("diagram: data flow", () => {
    for (const stack of STACKS) {
        it(`${stack}: S3 zones → crawlers → catalog, and the lake's buckets with their zones`, async () => {
            const run = await runStack(stack);
            const resources = toDeploymentResources(run);
            const diagram = buildDiagram(resources);
            const index = new ResourceIndex(resources);
            const crawlers = ofType(run, "aws:glue/crawler:Crawler");
            for (const crawler of crawlers) {
                const id = `crawler_${crawler.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                const zone = String(inputsOf(crawler).s3Targets[0].path).split("/")[3];
                assert.ok(diagram.edges.some((e) => e.to === id && e.label === `${zone}/` && e.from.startsWith("bucket_")), `${id} reads ${zone}/`);
                assert.ok(diagram.edges.some((e) => e.from === id && e.to.startsWith("catalog_")), `${id} writes the catalog`);
            }
            for (const job of ofType(run, "aws:glue/job:Job")) {
                const id = `job_${job.name.replace(/[^A-Za-z0-9]+/g, "_")}`;
                assert.ok(diagram.edges.some((e) => e.to === id && e.from.startsWith("bucket_")), `${id} is fed by a data bucket`);
                if (crawlers.length > 0) assert.ok(diagram.edges.some((e) => e.to === id && e.from.startsWith("catalog_")), `${id} reads the catalog`);
            }
            const lake = ofType(run, "aws:s3/bucket:Bucket").find((b) => inputsOf(b).tags?.Name === `${stack}-data-lake`);
            if (lake) {
                const node = diagram.tiers.flatMap((t) => t.nodes).find((n) => n.lines[0] === `S3 ${stack}-data-lake`);
                assert.ok(node?.lines.some((line) => /zones: .*raw\//.test(line)), "the data lake shows its zones");
            }
            assert.ok(index.tiers().length > 0);
        });
    }

    it("hand-built: zone → crawler → catalog → task (glue read grant) and bucket → task (S3 grant)", () => {
        const r = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): DeploymentResource => ({
            urn: `urn:pulumi:t::data-platform::${type}::${name}`, type, custom: true, id: `${name}-id`, inputs, outputs: { ...inputs, ...outputs }, dependencies: [],
        });
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: [
            { Effect: "Allow", Action: ["glue:GetTable"], Resource: "*" },
            { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::t-lake-1/*" },
        ] });
        const resources = [
            r("aws:s3/bucket:Bucket", "lake", { bucket: "t-lake-1", tags: { Name: "t-data-lake" } }, { arn: "arn:aws:s3:::t-lake-1" }),
            r("aws:glue/catalogDatabase:CatalogDatabase", "db", { name: "t_catalog" }),
            r("aws:glue/crawler:Crawler", "raw", { name: "t-raw", databaseName: "t_catalog", s3Targets: [{ path: "s3://t-lake-1/raw/" }] }),
            r("aws:iam/role:Role", "task-role", {}, { arn: "arn:aws:iam::1:role/task", name: "task" }),
            r("aws:iam/rolePolicy:RolePolicy", "task-policy", { role: "task-role-id", policy }),
            r("aws:ecs/taskDefinition:TaskDefinition", "td", { family: "t-proc", cpu: "1024", memory: "2048", taskRoleArn: "arn:aws:iam::1:role/task" }),
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

    it("the committed docs/diagram-dev.mmd matches what the program builds", async () => {
        const fresh = await renderDiagram(await resourcesOf("dev"), "mmd");
        assert.ok(fs.existsSync(COMMITTED_MMD), `docs/diagram-dev.mmd is missing: ${REGENERATE}`);
        assert.ok(fs.readFileSync(COMMITTED_MMD, "utf8") === fresh, `docs/diagram-dev.mmd is stale: ${REGENERATE}`);
    });

    it("the committed docs/diagram-dev.svg matches what the program builds", async () => {
        const fresh = await renderDiagram(await resourcesOf("dev"), "svg");
        assert.ok(fs.existsSync(COMMITTED_SVG), `docs/diagram-dev.svg is missing: ${REGENERATE}`);
        assert.ok(fs.readFileSync(COMMITTED_SVG, "utf8") === fresh, `docs/diagram-dev.svg is stale: ${REGENERATE}`);
    });
});
