import * as assert from "assert";
import { ConfigError, StackConfig, parseStackConfig } from "../../components/config";
import { configErrorFor, editConfig, STACKS, fixtureStack, fixtureConfig } from "../support/helpers";

const expectConfigError = (edits: Record<string, unknown>, stack = "dev"): ConfigError => configErrorFor(stack, edits);

function expectProblem(edits: Record<string, unknown>, key: string, messagePart: RegExp, value?: unknown): void {
    const error = expectConfigError(edits);
    const problem = error.problems.find((p) => p.key === key);
    assert.ok(problem, `no problem reported for ${key}; got ${error.message}`);
    assert.match(problem.message, messagePart);
    if (value !== undefined) assert.deepStrictEqual(problem.value, value);
    // The rendered message names key, value and what is allowed.
    assert.ok(error.message.includes(key), error.message);
}

function parse(stack: string): StackConfig {
    return fixtureConfig(stack);
}

describe("stack config", () => {
    describe("the fixture stack files (tests/fixtures/stacks)", () => {
        for (const stack of STACKS) {
            it(`Pulumi.${stack}.yaml parses`, () => {
                const config = parse(stack);
                assert.strictEqual(config.environment, stack);
                assert.strictEqual(config.region, "us-east-2");
            });
        }

        it("the dev fixture is the seed network exactly", () => {
            const { network } = parse("dev");
            assert.deepStrictEqual(network, {
                vpcCidr: "10.0.0.0/16",
                availabilityZones: ["us-east-2a", "us-east-2b"],
                publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
                privateSubnetCidrs: ["10.0.10.0/24", "10.0.20.0/24"],
                databaseSubnetCidrs: [],
                natGateways: "none",
                interfaceEndpoints: false,
                flowLogs: { retentionDays: 14, trafficType: "ALL" },
            });
        });

        it("staging has 2 AZs, a single NAT and database subnets; prod 3 AZs, NAT per AZ", () => {
            const staging = parse("staging").network;
            assert.strictEqual(staging.availabilityZones.length, 2);
            assert.strictEqual(staging.natGateways, "single");
            assert.strictEqual(staging.databaseSubnetCidrs.length, 2);
            const prod = parse("prod").network;
            assert.strictEqual(prod.availabilityZones.length, 3);
            assert.strictEqual(prod.natGateways, "perAz");
            assert.strictEqual(prod.databaseSubnetCidrs.length, 3);
        });

        it("defaults fill unset sections", () => {
            const config = parse("dev");
            assert.strictEqual(config.protect, false);
            assert.strictEqual(config.encryption.kms, false);
            assert.strictEqual(config.secrets.recoveryWindowDays, 7);
            assert.strictEqual(parse("prod").protect, true);
            // The shared tiers are on unless switched off; EC2 capacity only when configured.
            assert.deepStrictEqual(
                [config.dataLake.enabled, config.etl.enabled, config.registry.enabled, config.containers.enabled, config.containers.dataTasks],
                [true, true, true, true, true],
            );
            assert.strictEqual(config.containers.ec2Capacity, undefined);
        });
    });

    describe("refuses", () => {
        it("a typo'd top-level key", () =>
            expectProblem(
                { "data-platform:netwrok": { vpcCidr: "10.0.0.0/16" } },
                "data-platform:netwrok",
                /unknown key; allowed keys here: .*network/,
            ));

        it("a typo'd nested key", () =>
            expectProblem(
                { "data-platform:network": { natGateway: "single" } },
                "data-platform:network.natGateway",
                /unknown key.*natGateways/,
                "single",
            ));

        it("malformed CIDR syntax", () =>
            expectProblem({ "data-platform:network": { vpcCidr: "10.0.0.0/33" } }, "data-platform:network.vpcCidr", /IPv4 CIDR/, "10.0.0.0/33"));

        it("a CIDR with host bits set", () =>
            expectProblem(
                { "data-platform:network": { publicSubnetCidrs: ["10.0.1.5/24", "10.0.2.0/24"] } },
                "data-platform:network.publicSubnetCidrs[0]",
                /host bits zero/,
            ));

        it("a subnet outside the VPC", () =>
            expectProblem(
                { "data-platform:network": { privateSubnetCidrs: ["10.0.10.0/24", "10.9.20.0/24"] } },
                "data-platform:network.privateSubnetCidrs[1]",
                /outside the VPC CIDR 10\.0\.0\.0\/16/,
                "10.9.20.0/24",
            ));

        it("overlapping subnets", () =>
            expectProblem(
                { "data-platform:network": { privateSubnetCidrs: ["10.0.10.0/24", "10.0.2.0/25"] } },
                "data-platform:network.privateSubnetCidrs[1]",
                /overlaps publicSubnetCidrs\[1\] 10\.0\.2\.0\/24/,
            ));

        it("a tier without exactly one subnet per AZ", () =>
            expectProblem(
                { "data-platform:network": { publicSubnetCidrs: ["10.0.1.0/24"] } },
                "data-platform:network.publicSubnetCidrs",
                /exactly one subnet per AZ: 2 AZs/,
            ));

        it("database subnets for only some AZs", () =>
            expectProblem(
                { "data-platform:network": { databaseSubnetCidrs: ["10.0.100.0/24"] } },
                "data-platform:network.databaseSubnetCidrs",
                /exactly one subnet per AZ/,
            ));

        it("the same AZ twice", () =>
            expectProblem(
                { "data-platform:network": { availabilityZones: ["us-east-2a", "us-east-2a"] } },
                "data-platform:network.availabilityZones[1]",
                /listed twice/,
            ));

        it("more AZs than the region offers", () =>
            expectProblem(
                {
                    "data-platform:network": {
                        availabilityZones: ["us-east-2a", "us-east-2b", "us-east-2c", "us-east-2d"],
                        publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24"],
                        privateSubnetCidrs: ["10.0.10.0/24", "10.0.20.0/24", "10.0.30.0/24", "10.0.40.0/24"],
                    },
                },
                "data-platform:network.availabilityZones",
                /4 AZs asked but us-east-2 offers 3/,
            ));

        it("an AZ of another region", () =>
            expectProblem(
                { "data-platform:network": { availabilityZones: ["us-east-2a", "us-west-2b"] } },
                "data-platform:network.availabilityZones[1]",
                /not an availability zone of us-east-2/,
            ));

        it("a world-open IPv4 admin CIDR", () =>
            expectProblem(
                { "data-platform:access": { adminCidrs: ["0.0.0.0/0"] } },
                "data-platform:access.adminCidrs[0]",
                /never open to the whole internet/,
                "0.0.0.0/0",
            ));

        it("an admin CIDR as broad as half the internet", () =>
            expectProblem(
                { "data-platform:access": { adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } },
                "data-platform:access.adminCidrs[1]",
                /never open to the whole internet/,
                "128.0.0.0/1",
            ));

        it("a world-open IPv6 admin CIDR", () =>
            expectProblem(
                { "data-platform:access": { adminCidrs: ["203.0.113.0/24", "::/0"] } },
                "data-platform:access.adminCidrs[1]",
                /never open to the whole internet/,
                "::/0",
            ));

        it("an environment name outside [a-z0-9-]", () =>
            expectProblem({ "data-platform:environment": "Dev_1" }, "data-platform:environment", /a-z, 0-9 and -/, "Dev_1"));

        it("an unknown NAT mode, naming the allowed ones", () =>
            expectProblem({ "data-platform:network": { natGateways: "double" } }, "data-platform:network.natGateways", /none.*single.*perAz/));

        it("an unsupported region", () => expectProblem({ "aws:region": "mars-north-1" }, "aws:region", /unsupported region/));

        it("a missing required section, saying so", () => {
            const error = expectConfigError({ "data-platform:network": undefined });
            assert.match(error.message, /data-platform:network = \(missing\)/);
        });

        it("a flow-log retention CloudWatch does not accept", () =>
            expectProblem(
                { "data-platform:network": { flowLogs: { retentionDays: 10 } } },
                "data-platform:network.flowLogs.retentionDays",
                /one of 1, 3, 5, 7, 14/,
            ));

        it("private task placement without NAT or endpoints", () =>
            expectProblem(
                { "data-platform:containers": { placement: "private" } },
                "data-platform:containers.placement",
                /natGateways|interfaceEndpoints/,
            ));

        it("the tag latest on an IMMUTABLE repository", () => {
            const error = expectConfigError({ "data-platform:images": undefined }, "prod");
            const problem = error.problems.find((p) => p.key === "data-platform:images.tag");
            assert.ok(problem, error.message);
            assert.match(problem.message, /IMMUTABLE repository accepts a tag once/);
        });

        describe("a tier without the tier it needs, naming the key and what to set", () => {
            const cases: [string, string, Record<string, unknown>, string, RegExp][] = [
                [
                    "the Glue jobs without the lake",
                    "dev",
                    { "data-platform:dataLake": { enabled: false }, "data-platform:containers": { dataTasks: false } },
                    "data-platform:dataLake.enabled",
                    /the Glue jobs \(etl\.enabled\) .*set etl\.enabled: false too, or dataLake\.enabled: true/,
                ],
                [
                    "the data tasks without the lake",
                    "dev",
                    { "data-platform:dataLake": { enabled: false }, "data-platform:etl": { enabled: false } },
                    "data-platform:dataLake.enabled",
                    /set containers\.dataTasks: false too, or dataLake\.enabled: true/,
                ],
                [
                    "the data tasks without the registry",
                    "dev",
                    { "data-platform:registry": { enabled: false } },
                    "data-platform:registry.enabled",
                    /set containers\.dataTasks: false too, or registry\.enabled: true/,
                ],
                [
                    "the web service without the ECS cluster",
                    "staging",
                    { "data-platform:containers": { enabled: false } },
                    "data-platform:containers.enabled",
                    /set edge\.enabled: false too .*or containers\.enabled: true/,
                ],
                [
                    "the web service without the registry",
                    "staging",
                    { "data-platform:registry": { enabled: false }, "data-platform:containers": { dataTasks: false } },
                    "data-platform:registry.enabled",
                    /set edge\.enabled: false too .*or registry\.enabled: true/,
                ],
                [
                    "the database without customer-managed keys",
                    "staging",
                    { "data-platform:encryption": { kms: false }, "data-platform:audit": { alarms: false } },
                    "data-platform:database.enabled",
                    /set encryption\.kms: true, or database\.enabled: false/,
                ],
                [
                    "the cache without customer-managed keys",
                    "staging",
                    { "data-platform:encryption": { kms: false }, "data-platform:audit": { alarms: false } },
                    "data-platform:cache.enabled",
                    /set encryption\.kms: true, or cache\.enabled: false/,
                ],
                [
                    "EKS without customer-managed keys",
                    "staging",
                    { "data-platform:encryption": { kms: false }, "data-platform:audit": { alarms: false } },
                    "data-platform:kubernetes",
                    /EKS encrypts Kubernetes secrets with a key of its own: set encryption\.kms: true/,
                ],
                [
                    "an ECS cluster that runs nothing",
                    "dev",
                    { "data-platform:containers": { dataTasks: false, placement: "public" } },
                    "data-platform:containers.dataTasks",
                    /the ECS cluster would run nothing .*set containers\.enabled: false too/,
                ],
                [
                    "alarms with nothing to watch",
                    "dev",
                    {
                        "data-platform:encryption": { kms: true },
                        "data-platform:audit": { alarms: true, alertEmail: "ops@example.net" },
                    },
                    "data-platform:audit.alarms",
                    /nothing to alarm on/,
                ],
                [
                    "EC2 capacity without the ECS cluster",
                    "dev",
                    { "data-platform:containers": { enabled: false, ec2Capacity: {} } },
                    "data-platform:containers.enabled",
                    /remove containers\.ec2Capacity too, or containers\.enabled: true/,
                ],
            ];
            for (const [title, stack, edits, key, message] of cases) {
                it(title, () => {
                    const error = expectConfigError(edits, stack);
                    const problem = error.problems.find((p) => p.key === key);
                    assert.ok(problem, `no problem reported for ${key}; got ${error.message}`);
                    assert.match(problem.message, message);
                    assert.ok(error.message.includes(key), error.message);
                });
            }
        });

        it("reports every problem at once", () => {
            const error = expectConfigError({
                "data-platform:environment": "BAD",
                "data-platform:access": { adminCidrs: ["0.0.0.0/0"] },
            });
            assert.ok(error.problems.length >= 2, error.message);
        });
    });

    describe("accepts", () => {
        it("private placement with interface endpoints and no NAT", () => {
            const config = parseStackConfig(
                editConfig(fixtureStack("dev").config, {
                    "data-platform:network": { interfaceEndpoints: true },
                    "data-platform:containers": { placement: "private" },
                }),
            );
            assert.strictEqual(config.containers.placement, "private");
        });

        it("the shared tiers switched off together: no lake, no Glue, no ECS, no registry", () => {
            const config = parseStackConfig(
                editConfig(fixtureStack("dev").config, {
                    "data-platform:dataLake": { enabled: false },
                    "data-platform:etl": { enabled: false },
                    "data-platform:registry": { enabled: false },
                    "data-platform:containers": { enabled: false, dataTasks: false },
                }),
            );
            assert.deepStrictEqual(
                [config.dataLake.enabled, config.etl.enabled, config.registry.enabled, config.containers.enabled, config.containers.dataTasks],
                [false, false, false, false, false],
            );
        });

        it("IPv6 admin CIDRs", () => {
            const config = parseStackConfig(
                editConfig(fixtureStack("dev").config, {
                    "data-platform:access": { adminCidrs: ["2001:db8::/32"] },
                }),
            );
            assert.deepStrictEqual(config.access.adminCidrs, ["2001:db8::/32"]);
        });
    });
});
