import * as assert from "assert";
import { AnyStackConfig, StackConfig, isLocalConfig, parseAnyStackConfig } from "../../components/config";
import { componentType } from "../../components/shared/naming";
import { ROOT_DIR } from "../../tools/run-program";
import { readStackFile } from "../../tools/stack-files";
import { TYPE } from "../../policy-pack/policies/types";
import { shippedStacks } from "../support/helpers";
import { planShippedStack, resourcesOfType as ofType } from "../support/plan";

/**
 * The stack files at the repository root are the user's: the README tells them to set their own
 * admin CIDRs, subnets and sizes there. These tests hold for any such edit that config accepts:
 * every stack file parses, plans, passes its own pack and builds exactly the tiers it enables.
 * What a tier builds from given values is the tier tests' business, on the fixture stacks. A local stack
 * (`data-platform:target: local`) builds LocalMonitoring alone: no VPC, no security group, no AWS region.
 */

interface TierRule {
    readonly tier: string;
    /** The tier's component type token. */
    readonly type: string;
    /** Whether a stack with this config builds the tier. */
    readonly enabled: (config: AnyStackConfig) => boolean;
}

/** An AWS stack's tier: never built by a local stack. */
const aws =
    (enabled: (config: StackConfig) => boolean) =>
    (config: AnyStackConfig): boolean =>
        !isLocalConfig(config) && enabled(config);
const always = aws(() => true);

/** Every tier, and when a stack builds it (components/platform.ts). */
const TIERS: readonly TierRule[] = [
    { tier: "network", type: componentType("network", "Network"), enabled: always },
    { tier: "firewall", type: componentType("firewall", "Firewall"), enabled: always },
    { tier: "encryption", type: componentType("encryption", "Encryption"), enabled: aws((config) => config.encryption.kms) },
    {
        tier: "data-lake",
        type: componentType("data-lake", "DataLake"),
        // The lake, or only its access-log bucket where the load balancer or the trail logs into it.
        enabled: aws((config) => config.dataLake.enabled || config.edge.enabled || config.audit.cloudTrail),
    },
    { tier: "secrets", type: componentType("secrets", "Secrets"), enabled: always },
    { tier: "registry", type: componentType("registry", "Registry"), enabled: aws((config) => config.registry.enabled) },
    { tier: "database", type: componentType("database", "Database"), enabled: aws((config) => config.database.enabled) },
    { tier: "cache", type: componentType("cache", "Cache"), enabled: aws((config) => config.cache.enabled) },
    { tier: "streaming", type: componentType("streaming", "Streaming"), enabled: aws((config) => config.streaming.enabled) },
    { tier: "identity", type: componentType("identity", "Identity"), enabled: aws((config) => config.etl.enabled || config.containers.enabled) },
    { tier: "etl", type: componentType("etl", "Etl"), enabled: aws((config) => config.etl.enabled) },
    { tier: "containers", type: componentType("containers", "Containers"), enabled: aws((config) => config.containers.enabled) },
    {
        tier: "ec2-capacity",
        type: componentType("containers", "Ec2Capacity"),
        enabled: aws((config) => config.containers.enabled && config.containers.ec2Capacity !== undefined),
    },
    { tier: "eks", type: componentType("kubernetes", "EksCluster"), enabled: aws((config) => config.kubernetes === "eks") },
    { tier: "edge", type: componentType("edge", "Edge"), enabled: aws((config) => config.edge.enabled) },
    {
        tier: "audit",
        type: componentType("audit", "Audit"),
        enabled: aws((config) => config.audit.cloudTrail || config.audit.alarms || config.audit.budget),
    },
    { tier: "kubernetes", type: componentType("kubernetes", "KubernetesHost"), enabled: aws((config) => config.kubernetes === "minikube") },
    { tier: "monitoring", type: componentType("monitoring", "MonitoringHost"), enabled: aws((config) => config.monitoring) },
    {
        tier: "schedule",
        type: componentType("schedule", "HostSchedule"),
        enabled: aws((config) => config.hosts.schedule !== "always" && (config.kubernetes === "minikube" || config.monitoring)),
    },
    { tier: "local", type: componentType("local", "LocalMonitoring"), enabled: isLocalConfig },
];

describe("the stack files users edit (Pulumi.<stack>.yaml at the root)", function () {
    this.timeout(120000);
    const stacks = shippedStacks();

    it("there are stack files, and each names a stack of this project", () => {
        assert.ok(stacks.length > 0, `no Pulumi.<stack>.yaml in ${ROOT_DIR}`);
        for (const stack of stacks) {
            const file = readStackFile(stack, ROOT_DIR);
            const local = isLocalConfig(parseAnyStackConfig(file.config, `Pulumi.${stack}.yaml`));
            assert.ok(local || file.config["aws:region"], `Pulumi.${stack}.yaml sets aws:region (or data-platform:target: local)`);
        }
    });

    for (const stack of stacks) {
        describe(`Pulumi.${stack}.yaml`, () => {
            const config = () => parseAnyStackConfig(readStackFile(stack, ROOT_DIR).config, `Pulumi.${stack}.yaml`);
            const resources = async () => (await planShippedStack(stack)).document.deployment.resources;

            it("parses", () => {
                assert.doesNotThrow(config);
            });

            it("plans offline with no mandatory violation of its own pack and within any budget it enforces (exit 0)", async () => {
                const result = await planShippedStack(stack);
                const mandatory = result.document.violations.filter((violation) => violation.enforcementLevel === "mandatory");
                assert.deepStrictEqual(
                    mandatory.map((violation) => `${violation.policy}: ${violation.message}`),
                    [],
                );
                assert.strictEqual(result.exitCode, 0, result.summary);
                assert.ok(result.document.deployment.resources.length > 0);
            });

            it("builds exactly the tiers it enables", async () => {
                const built = await resources();
                const enabled = TIERS.filter((rule) => rule.enabled(config())).map((rule) => rule.tier);
                const present = TIERS.filter((rule) => ofType(built, rule.type).length > 0).map((rule) => rule.tier);
                assert.deepStrictEqual(present, enabled);
                const known = new Set([...TIERS.map((rule) => rule.type), componentType("platform", "Platform")]);
                const components = new Set(
                    built.filter((resource) => !resource.custom && resource.type.startsWith("data-platform:")).map((resource) => resource.type),
                );
                const unknown = [...components].filter((type) => !known.has(type));
                assert.deepStrictEqual(unknown, [], "a tier this test does not know: add it to TIERS");
            });

            it("puts the VPC and subnets at the CIDRs it sets (a local stack: none)", async () => {
                const built = await resources();
                const parsed = config();
                const network = isLocalConfig(parsed) ? undefined : parsed.network;
                assert.deepStrictEqual(
                    ofType(built, TYPE.ec2Vpc).map((vpc) => vpc.inputs.cidrBlock),
                    network ? [network.vpcCidr] : [],
                );
                const cidrs = ofType(built, TYPE.ec2Subnet)
                    .map((subnet) => subnet.inputs.cidrBlock as string)
                    .sort();
                const expected = network ? [...network.publicSubnetCidrs, ...network.privateSubnetCidrs, ...network.databaseSubnetCidrs] : [];
                assert.deepStrictEqual(cidrs, expected.sort());
            });

            it("takes admin traffic only when it opts in (hosts.publicAdminIngress), and then only from the admin CIDRs it sets (a local stack: none)", async () => {
                const built = await resources();
                const parsed = config();
                const admins = !isLocalConfig(parsed) && parsed.hosts.publicAdminIngress ? [...new Set(parsed.access.adminCidrs)].sort() : [];
                // The world (web only, checked elsewhere) and the VPC itself (the interface endpoints take 443 from inside it) are not admin traffic.
                const notAdmin = new Set(["0.0.0.0/0", "::/0", ...(isLocalConfig(parsed) ? [] : [parsed.network.vpcCidr])]);
                const sources = ofType(built, TYPE.vpcSecurityGroupIngressRule)
                    .map((rule) => (rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6) as string | undefined)
                    .filter((cidr): cidr is string => cidr !== undefined && !notAdmin.has(cidr));
                assert.deepStrictEqual([...new Set(sources)].sort(), admins);
            });
        });
    }
});
