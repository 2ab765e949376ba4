import * as assert from "assert";
import { networkSchema } from "../../components/network/config";
import { LOAD_BALANCER_SUBNET_TAGS, Network, NetworkArgs } from "../../components/network/network";
import { Naming } from "../../components/shared/naming";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, fixtureConfig, fixtureStack, idOf, inputsOf, jsonInput, named, ofType, runStack, runStackWith } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const SUBNET = TYPE.ec2Subnet;
const ROUTE_TABLE = TYPE.ec2RouteTable;
const ROUTE = TYPE.ec2Route;
const ASSOCIATION = TYPE.ec2RouteTableAssociation;
const NAT = TYPE.ec2NatGateway;

/** CIDR → AZ of every subnet of a tier, from the recorded inputs. */
function subnetsOfTier(run: ProgramRun, tier: string): [string, string][] {
    return ofType(run, SUBNET)
        .filter((subnet) => inputsOf(subnet).tags.SubnetTier === tier)
        .map((subnet) => [inputsOf(subnet).cidrBlock, inputsOf(subnet).availabilityZone]);
}

/** For each subnet id: the route table id it is associated with. */
function routeTableOfSubnet(run: ProgramRun): Map<string, string> {
    return new Map(ofType(run, ASSOCIATION).map((a) => [inputsOf(a).subnetId, inputsOf(a).routeTableId]));
}

/** What the AWS Load Balancer Controller discovers subnets by: every public subnet elb, every private one internal-elb. */
const EKS_SUBNET_TAGS: Record<string, string[]> = {
    public: ["kubernetes.io/role/elb=1"],
    private: ["kubernetes.io/role/internal-elb=1"],
    database: [],
};

/** Subnet name → its `kubernetes.io/*` tags (`key=value`). */
function loadBalancerTags(run: ProgramRun): Record<string, string[]> {
    return Object.fromEntries(
        ofType(run, SUBNET).map((subnet) => [
            subnet.name,
            Object.entries(inputsOf(subnet).tags as Record<string, string>)
                .filter(([key]) => key.startsWith("kubernetes.io/"))
                .map(([key, value]) => `${key}=${value}`),
        ]),
    );
}

/** Subnet name → the tags it should carry: its tier's with the tags on, none without. */
function expectedLoadBalancerTags(run: ProgramRun, tagged: boolean): Record<string, string[]> {
    return Object.fromEntries(ofType(run, SUBNET).map((subnet) => [subnet.name, tagged ? EKS_SUBNET_TAGS[inputsOf(subnet).tags.SubnetTier] : []]));
}

/** Default routes (0.0.0.0/0) keyed by route table id. */
function defaultRoutes(run: ProgramRun): Map<string, Record<string, string>> {
    return new Map(
        ofType(run, ROUTE)
            .filter((route) => inputsOf(route).destinationCidrBlock === "0.0.0.0/0")
            .map((route) => [inputsOf(route).routeTableId, inputsOf(route)]),
    );
}

describe("network tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const config = fixtureConfig(stack);
            const { network } = config;
            let run: ProgramRun;
            before(async () => {
                run = await runStack(stack);
            });

            it("builds a VPC with DNS support and hostnames at the configured CIDR", () => {
                const vpc = inputsOf(named(run, TYPE.ec2Vpc, "-vpc"));
                assert.strictEqual(vpc.cidrBlock, network.vpcCidr);
                assert.strictEqual(vpc.enableDnsSupport, true);
                assert.strictEqual(vpc.enableDnsHostnames, true);
                assert.strictEqual(vpc.tags.Environment, stack);
            });

            it("places subnets at the exact CIDRs, one per AZ per tier", () => {
                const expected = (cidrs: string[]) => cidrs.map((cidr, i) => [cidr, network.availabilityZones[i]]);
                assert.deepStrictEqual(subnetsOfTier(run, "public"), expected(network.publicSubnetCidrs));
                assert.deepStrictEqual(subnetsOfTier(run, "private"), expected(network.privateSubnetCidrs));
                assert.deepStrictEqual(subnetsOfTier(run, "database"), expected(network.databaseSubnetCidrs));
            });

            it("never maps public IPs on launch", () => {
                for (const subnet of ofType(run, SUBNET)) assert.strictEqual(inputsOf(subnet).mapPublicIpOnLaunch, false, subnet.name);
            });

            const eks = config.kubernetes === "eks";
            it(
                eks
                    ? "tags public subnets kubernetes.io/role/elb and private ones kubernetes.io/role/internal-elb (EKS load balancers)"
                    : "tags no subnet for Kubernetes load balancers (no EKS)",
                () => {
                    assert.deepStrictEqual(loadBalancerTags(run), expectedLoadBalancerTags(run, eks));
                },
            );

            it("routes public subnets to the internet gateway", () => {
                const igw = idOf(named(run, TYPE.ec2InternetGateway, "-igw"));
                const tables = routeTableOfSubnet(run);
                const routes = defaultRoutes(run);
                for (const subnet of ofType(run, SUBNET).filter((s) => inputsOf(s).tags.SubnetTier === "public")) {
                    const route = routes.get(tables.get(idOf(subnet))!);
                    assert.ok(route, `${subnet.name} has no default route`);
                    assert.strictEqual(route.gatewayId, igw);
                }
            });

            it(`gives private subnets the NAT routes of mode "${network.natGateways}"`, () => {
                const nats = ofType(run, NAT);
                const expectedNats = { none: 0, single: 1, perAz: network.availabilityZones.length }[network.natGateways];
                assert.strictEqual(nats.length, expectedNats);
                const tables = routeTableOfSubnet(run);
                const routes = defaultRoutes(run);
                const privateSubnets = ofType(run, SUBNET).filter((s) => inputsOf(s).tags.SubnetTier === "private");
                privateSubnets.forEach((subnet, index) => {
                    const route = routes.get(tables.get(idOf(subnet))!);
                    if (network.natGateways === "none") {
                        assert.strictEqual(route, undefined, `${subnet.name} must have no default route without NAT`);
                        return;
                    }
                    assert.ok(route, `${subnet.name} has no default route`);
                    assert.strictEqual(route.gatewayId, undefined);
                    const nat = network.natGateways === "single" ? nats[0] : nats[index];
                    assert.strictEqual(route.natGatewayId, idOf(nat));
                    // perAz: the NAT sits in the same AZ as the subnet it serves
                    if (network.natGateways === "perAz") {
                        const natSubnet = ofType(run, SUBNET).find((s) => idOf(s) === inputsOf(nat).subnetId)!;
                        assert.strictEqual(inputsOf(natSubnet).availabilityZone, inputsOf(subnet).availabilityZone);
                        assert.strictEqual(inputsOf(natSubnet).tags.SubnetTier, "public");
                    }
                });
            });

            it("keeps database subnets isolated (no default route)", () => {
                const tables = routeTableOfSubnet(run);
                const routes = defaultRoutes(run);
                for (const subnet of ofType(run, SUBNET).filter((s) => inputsOf(s).tags.SubnetTier === "database")) {
                    assert.ok(tables.get(idOf(subnet)), `${subnet.name} is not associated`);
                    assert.strictEqual(routes.get(tables.get(idOf(subnet))!), undefined);
                }
            });

            it("associates every subnet with exactly one route table", () => {
                const associations = ofType(run, ASSOCIATION).map((a) => inputsOf(a).subnetId);
                assert.deepStrictEqual([...associations].sort(), ofType(run, SUBNET).map(idOf).sort());
            });

            it("puts the S3 gateway endpoint on every route table", () => {
                const endpoint = inputsOf(named(run, TYPE.ec2VpcEndpoint, "-s3-endpoint"));
                assert.strictEqual(endpoint.serviceName, `com.amazonaws.${config.region}.s3`);
                assert.strictEqual(endpoint.vpcEndpointType, "Gateway");
                assert.deepStrictEqual([...endpoint.routeTableIds].sort(), ofType(run, ROUTE_TABLE).map(idOf).sort());
            });

            it("manages the default security group with no rules", () => {
                const group = inputsOf(named(run, TYPE.ec2DefaultSecurityGroup, "-default-sg"));
                assert.deepStrictEqual(group.ingress, []);
                assert.deepStrictEqual(group.egress, []);
            });

            it("sends flow logs to a log group with retention through a scoped delivery role", () => {
                const logGroup = named(run, TYPE.cloudwatchLogGroup, "-flow-logs");
                assert.strictEqual(inputsOf(logGroup).retentionInDays, network.flowLogs.retentionDays);
                const flowLog = inputsOf(named(run, TYPE.ec2FlowLog, "-flow-log"));
                assert.strictEqual(flowLog.vpcId, idOf(named(run, TYPE.ec2Vpc, "-vpc")));
                assert.strictEqual(flowLog.logDestinationType, "cloud-watch-logs");
                assert.strictEqual(flowLog.logDestination, logGroup.outputs.arn);
                assert.strictEqual(flowLog.trafficType, "ALL");
                const role = named(run, TYPE.iamRole, "-flow-logs-role");
                assert.strictEqual(flowLog.iamRoleArn, role.outputs.arn);
                const trust = jsonInput(role, "assumeRolePolicy");
                assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
                const policy = jsonInput(named(run, TYPE.iamRolePolicy, "-flow-logs-delivery"), "policy");
                // The VPC user guide's permissions for publishing flow logs to CloudWatch Logs, all of them.
                assert.deepStrictEqual(policy.Statement.flatMap((statement: { Action: string[] }) => statement.Action).sort(), [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogGroups",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                ]);
                for (const statement of policy.Statement) {
                    for (const resource of [statement.Resource].flat()) {
                        // Scoped to the flow-log group, except DescribeLogGroups, a list call on the account's groups in the region.
                        const expected = statement.Action.includes("logs:DescribeLogGroups")
                            ? `arn:aws:logs:us-east-2:123456789012:log-group:*`
                            : String(logGroup.outputs.arn);
                        assert.ok(String(resource).startsWith(expected), resource);
                        assert.notStrictEqual(resource, "*");
                    }
                }
            });
        });
    }

    describe("NAT modes", () => {
        // The network alone from prod's section (3 AZs) with the mode changed: the platform refuses prod without NAT
        // (its EKS nodes and web service need endpoints the network does not build), the tier does not.
        const natCount = async (mode: string) => {
            const config = networkSchema.parse({ ...fixtureConfig("prod").network, natGateways: mode });
            const run = await runProgram({
                stack: "prod",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Network("t-network", { naming: new Naming("prod"), config, region: "us-east-2" });
                },
            });
            return { nats: ofType(run, NAT).length, privateTables: ofType(run, ROUTE_TABLE).filter((t) => /private/.test(t.name)).length };
        };
        it("none: no NAT gateway, one private route table", async () =>
            assert.deepStrictEqual(await natCount("none"), { nats: 0, privateTables: 1 }));
        it("single: one NAT gateway shared by one private route table", async () =>
            assert.deepStrictEqual(await natCount("single"), { nats: 1, privateTables: 1 }));
        it("perAz: a NAT gateway and a private route table per AZ", async () =>
            assert.deepStrictEqual(await natCount("perAz"), { nats: 3, privateTables: 3 }));
    });

    it("adds ECR, logs and Secrets Manager interface endpoints in private subnets when asked", async () => {
        const run = await runStackWith("dev", { "data-platform:network": { interfaceEndpoints: true } });
        const endpoints = ofType(run, TYPE.ec2VpcEndpoint)
            .map(inputsOf)
            .filter((e) => e.vpcEndpointType === "Interface");
        assert.deepStrictEqual(
            endpoints.map((e) => e.serviceName).sort(),
            ["ecr.api", "ecr.dkr", "logs", "secretsmanager"].map((s) => `com.amazonaws.us-east-2.${s}`).sort(),
        );
        const privateIds = ofType(run, SUBNET)
            .filter((s) => inputsOf(s).tags.SubnetTier === "private")
            .map(idOf)
            .sort();
        for (const endpoint of endpoints) {
            assert.strictEqual(endpoint.privateDnsEnabled, true);
            assert.deepStrictEqual([...endpoint.subnetIds].sort(), privateIds);
        }
    });

    describe("built alone from its section, without a stack file", () => {
        const config = networkSchema.parse({
            vpcCidr: "10.42.0.0/16",
            availabilityZones: ["us-east-2a", "us-east-2b"],
            publicSubnetCidrs: ["10.42.0.0/24", "10.42.1.0/24"],
            privateSubnetCidrs: ["10.42.128.0/20", "10.42.144.0/20"],
        });
        let run: ProgramRun;
        before(async () => {
            run = await runProgram({
                stack: "test",
                config: { "aws:region": "us-east-2" },
                program: () => {
                    new Network("t-network", { naming: new Naming("test"), config, region: "us-east-2" });
                },
            });
        });

        it("places the VPC and its subnets at the CIDRs given, one per AZ in order", () => {
            assert.strictEqual(inputsOf(named(run, TYPE.ec2Vpc, "-vpc")).cidrBlock, "10.42.0.0/16");
            assert.deepStrictEqual(subnetsOfTier(run, "public"), [
                ["10.42.0.0/24", "us-east-2a"],
                ["10.42.1.0/24", "us-east-2b"],
            ]);
            assert.deepStrictEqual(subnetsOfTier(run, "private"), [
                ["10.42.128.0/20", "us-east-2a"],
                ["10.42.144.0/20", "us-east-2b"],
            ]);
        });

        it("gets the section's defaults: no NAT, no database subnets, no interface endpoints, flow logs of ALL traffic kept 30 days", () => {
            assert.deepStrictEqual(ofType(run, NAT), []);
            assert.deepStrictEqual(subnetsOfTier(run, "database"), []);
            assert.deepStrictEqual(
                ofType(run, TYPE.ec2VpcEndpoint).map((e) => inputsOf(e).vpcEndpointType),
                ["Gateway"],
            );
            assert.strictEqual(inputsOf(named(run, TYPE.cloudwatchLogGroup, "-flow-logs")).retentionInDays, 30);
            assert.strictEqual(inputsOf(named(run, TYPE.ec2FlowLog, "-flow-log")).trafficType, "ALL");
        });

        it("loadBalancerSubnetTags tags every public and private subnet, none of the database ones; off by default", async () => {
            const withDatabase = networkSchema.parse({
                ...config,
                databaseSubnetCidrs: ["10.42.200.0/24", "10.42.201.0/24"],
            });
            const runWith = (args: Partial<NetworkArgs>) =>
                runProgram({
                    stack: "test",
                    config: { "aws:region": "us-east-2" },
                    program: () => {
                        new Network("t-network", { naming: new Naming("test"), config: withDatabase, region: "us-east-2", ...args });
                    },
                });
            const tagged = await runWith({ loadBalancerSubnetTags: true });
            assert.deepStrictEqual(LOAD_BALANCER_SUBNET_TAGS, { public: "kubernetes.io/role/elb", private: "kubernetes.io/role/internal-elb" });
            assert.deepStrictEqual(loadBalancerTags(tagged), expectedLoadBalancerTags(tagged, true));
            assert.strictEqual(ofType(tagged, SUBNET).filter((subnet) => inputsOf(subnet).tags.SubnetTier === "database").length, 2);
            for (const subnet of ofType(tagged, SUBNET)) assert.strictEqual(inputsOf(subnet).tags.Tier, "network", "the tag helper's tags stay");
            assert.deepStrictEqual(loadBalancerTags(run), expectedLoadBalancerTags(run, false));
            const off = await runWith({ loadBalancerSubnetTags: false });
            assert.deepStrictEqual(loadBalancerTags(off), expectedLoadBalancerTags(off, false));
        });

        it("names and tags every resource for the environment it is given", () => {
            assert.strictEqual(inputsOf(named(run, TYPE.ec2Vpc, "-vpc")).tags.Environment, "test");
            for (const resource of run.resources.filter((r) => r.custom)) assert.ok(resource.name.startsWith("t-network-"), resource.name);
        });
    });

    it("builds two platforms in one program without URN collisions", async () => {
        const { Platform } = await import("../../components/platform");
        const config = fixtureConfig("dev");
        const run = await runProgram({
            stack: "dev",
            config: fixtureStack("dev").config,
            program: () => {
                new Platform("blue", { config });
                new Platform("green", { config });
            },
        });
        assert.strictEqual(new Set(run.resources.map((r) => r.urn)).size, run.resources.length);
        assert.strictEqual(ofType(run, TYPE.ec2Vpc).length, 2);
    });
});
