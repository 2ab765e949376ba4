import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../components/config";
import { componentType } from "../../components/shared/naming";
import { DeploymentResource } from "../../tools/deployment";
import { ROOT_DIR } from "../../tools/run-program";
import { SEED_SYSTEMS } from "../../tools/seed-systems";
import { readStackFile } from "../../tools/stack-files";
import { TYPE } from "../../policy-pack/policies/types";
import { planShippedStack, resourcesOfType as ofType } from "../support/plan";

/**
 * Each seed system reproduced as a stack of its own (README "The seed systems"): the inventory its seed
 * document lists is present, and the tiers it does not list are absent. The stack files are the user's
 * (they replace the domain, zone, role and e-mail, and may resize), so these assert what the seed lists —
 * Multi-AZ, failover, a single NAT, autoscaling — never particular sizes, names or CIDRs.
 */

type Check = (resources: readonly DeploymentResource[]) => void;

const one = (resources: readonly DeploymentResource[], type: string) => {
    const found = ofType(resources, type);
    assert.strictEqual(found.length, 1, `exactly one ${type}, found ${found.length}`);
    return found[0];
};
const some = (resources: readonly DeploymentResource[], type: string) => {
    const found = ofType(resources, type);
    assert.ok(found.length > 0, `no ${type}`);
    return found;
};
const component = (tier: Parameters<typeof componentType>[0], name: string) => componentType(tier, name);

const TIER_COMPONENTS = {
    dataLake: component("data-lake", "DataLake"),
    etl: component("etl", "Etl"),
    registry: component("registry", "Registry"),
    containers: component("containers", "Containers"),
    ec2Capacity: component("containers", "Ec2Capacity"),
    database: component("database", "Database"),
    cache: component("cache", "Cache"),
    streaming: component("streaming", "Streaming"),
    eks: component("kubernetes", "EksCluster"),
    edge: component("edge", "Edge"),
    audit: component("audit", "Audit"),
    minikubeHost: component("kubernetes", "KubernetesHost"),
    monitoringHost: component("monitoring", "MonitoringHost"),
} as const;
type TierKey = keyof typeof TIER_COMPONENTS;

interface SeedExpectation {
    readonly present: readonly TierKey[];
    readonly absent: readonly TierKey[];
    /** What the seed lists, checked on the plan's resources. */
    readonly inventory: Readonly<Record<string, Check>>;
}

const subnetsOfTier = (resources: readonly DeploymentResource[], tier: string) =>
    ofType(resources, TYPE.ec2Subnet).filter((subnet) => (subnet.inputs.tags as Record<string, string> | undefined)?.SubnetTier === tier);

const common: Record<string, Check> = {
    "public and private subnets over at least two AZs": (resources) => {
        for (const tier of ["public", "private"]) {
            const azs = new Set(subnetsOfTier(resources, tier).map((subnet) => subnet.inputs.availabilityZone));
            assert.ok(azs.size >= 2, `${tier} subnets in ${azs.size} AZ(s)`);
        }
    },
    "flow logs": (resources) => void some(resources, TYPE.ec2FlowLog),
    "a KMS key per service, rotated": (resources) => {
        const keys = some(resources, TYPE.kmsKey);
        for (const key of keys) assert.strictEqual(key.inputs.enableKeyRotation, true, key.urn);
    },
};

const database: Record<string, Check> = {
    "RDS PostgreSQL, encrypted, not public, in database subnets": (resources) => {
        const instance = one(resources, TYPE.rdsInstance);
        assert.strictEqual(instance.inputs.engine, "postgres");
        assert.strictEqual(instance.inputs.storageEncrypted, true);
        assert.strictEqual(instance.inputs.publiclyAccessible, false);
        assert.ok(subnetsOfTier(resources, "database").length >= 2, "database subnets");
    },
};
const redis: Record<string, Check> = {
    "ElastiCache Redis with AUTH and TLS": (resources) => {
        const group = one(resources, TYPE.elasticacheReplicationGroup);
        assert.strictEqual(group.inputs.engine, "redis");
        assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
        assert.strictEqual(group.inputs.authToken, "[secret]");
    },
};
const alb: Record<string, Check> = {
    "an internet-facing ALB with HTTPS (ACM) and a Route53 alias": (resources) => {
        const lb = one(resources, TYPE.lbLoadBalancer);
        assert.strictEqual(lb.inputs.internal, false);
        one(resources, TYPE.acmCertificate);
        const listeners = ofType(resources, TYPE.lbListener).map((listener) => listener.inputs.protocol);
        assert.deepStrictEqual([...listeners].sort(), ["HTTP", "HTTPS"]);
        assert.ok(
            ofType(resources, TYPE.route53Record).some((record) => Array.isArray(record.inputs.aliases)),
            "an alias record",
        );
    },
};
const eks = (addons: readonly string[]): Record<string, Check> => ({
    [`EKS with managed node groups and the add-ons ${addons.join(", ")}`]: (resources) => {
        one(resources, TYPE.eksCluster);
        some(resources, TYPE.eksNodeGroup);
        const installed = ofType(resources, TYPE.eksAddon).map((addon) => addon.inputs.addonName);
        for (const addon of addons) assert.ok(installed.includes(addon), `add-on ${addon} (installed: ${installed.join(", ")})`);
    },
    "subnets tagged for the load balancer controller": (resources) => {
        for (const subnet of subnetsOfTier(resources, "public"))
            assert.strictEqual((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/elb"], "1");
        for (const subnet of subnetsOfTier(resources, "private"))
            assert.strictEqual((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/internal-elb"], "1");
    },
});

const EXPECTATIONS: Readonly<Record<string, SeedExpectation>> = {
    ecommerce: {
        present: ["dataLake", "database", "cache", "streaming", "eks", "edge", "audit"],
        absent: ["etl", "registry", "containers", "ec2Capacity", "minikubeHost", "monitoringHost"],
        inventory: {
            ...common,
            "database subnets too": (resources) => assert.ok(subnetsOfTier(resources, "database").length >= 2),
            "a single NAT gateway": (resources) => assert.strictEqual(ofType(resources, TYPE.ec2NatGateway).length, 1),
            ...eks(["vpc-cni", "coredns", "kube-proxy"]),
            "a spot node group beside on-demand": (resources) => {
                const types = ofType(resources, TYPE.eksNodeGroup).map((group) => group.inputs.capacityType ?? "ON_DEMAND");
                assert.ok(types.includes("SPOT") && types.includes("ON_DEMAND"), types.join(", "));
            },
            "MSK, TLS and IAM only": (resources) => {
                const cluster = one(resources, TYPE.mskCluster);
                const auth = cluster.inputs.clientAuthentication as {
                    sasl: { iam?: boolean; scram?: boolean };
                    unauthenticated?: boolean;
                    tls?: unknown;
                };
                assert.strictEqual(auth.sasl.iam, true);
                assert.notStrictEqual(auth.sasl.scram, true);
                assert.strictEqual(auth.unauthenticated, false);
                assert.strictEqual(
                    (cluster.inputs.encryptionInfo as { encryptionInTransit: { clientBroker: string } }).encryptionInTransit.clientBroker,
                    "TLS",
                );
                some(resources, TYPE.mskTopic);
            },
            ...database,
            ...redis,
            "the S3 data lake with lifecycle rules": (resources) => {
                assert.ok(ofType(resources, TYPE.s3Bucket).some((bucket) => String(bucket.inputs.bucket).includes("-data-lake-")));
                some(resources, TYPE.s3BucketLifecycleConfiguration);
            },
            "CloudWatch logs and alarms to a topic": (resources) => {
                some(resources, TYPE.cloudwatchLogGroup);
                some(resources, TYPE.cloudwatchMetricAlarm);
                one(resources, TYPE.snsTopic);
            },
            "CloudTrail, multi-region": (resources) => assert.strictEqual(one(resources, TYPE.cloudtrailTrail).inputs.isMultiRegionTrail, true),
            "a budget with alerts": (resources) => assert.ok((one(resources, TYPE.budgetsBudget).inputs.notifications as unknown[]).length >= 2),
            ...alb,
        },
    },
    metrics: {
        // dataLake: only the access-log bucket the ALB logs into (asserted below: no lake bucket).
        present: ["dataLake", "database", "cache", "eks", "edge", "audit"],
        absent: ["etl", "registry", "containers", "ec2Capacity", "streaming", "minikubeHost", "monitoringHost"],
        inventory: {
            ...common,
            ...eks(["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"]),
            "autoscaling node groups (max above min)": (resources) => {
                for (const group of some(resources, TYPE.eksNodeGroup)) {
                    const scaling = group.inputs.scalingConfig as { minSize: number; maxSize: number };
                    assert.ok(scaling.maxSize > scaling.minSize, group.urn);
                }
            },
            ...database,
            "RDS Multi-AZ with Performance Insights": (resources) => {
                const instance = one(resources, TYPE.rdsInstance);
                assert.strictEqual(instance.inputs.multiAz, true);
                assert.strictEqual(instance.inputs.performanceInsightsEnabled, true);
            },
            ...redis,
            "Redis on more than one node, failing over": (resources) => {
                const group = one(resources, TYPE.elasticacheReplicationGroup);
                assert.ok(Number(group.inputs.numCacheClusters) >= 2);
                assert.strictEqual(group.inputs.automaticFailoverEnabled, true);
            },
            ...alb,
            "VPC interface endpoints": (resources) =>
                assert.ok(ofType(resources, TYPE.ec2VpcEndpoint).some((endpoint) => endpoint.inputs.vpcEndpointType === "Interface")),
            "WAF on the ALB": (resources) => {
                one(resources, TYPE.wafv2WebAcl);
                one(resources, TYPE.wafv2WebAclAssociation);
            },
            "no data lake or Glue": (resources) => {
                assert.ok(!ofType(resources, TYPE.s3Bucket).some((bucket) => String(bucket.inputs.bucket).includes("-data-lake-")));
                assert.deepStrictEqual(ofType(resources, TYPE.glueJob), []);
            },
        },
    },
    "ecs-ec2": {
        present: ["dataLake", "registry", "containers", "ec2Capacity", "database", "cache", "edge"],
        absent: ["etl", "streaming", "eks", "audit", "minikubeHost", "monitoringHost"],
        inventory: {
            ...common,
            "a NAT gateway": (resources) => some(resources, TYPE.ec2NatGateway),
            "an ECS cluster on EC2 capacity: launch template, auto scaling group, capacity provider": (resources) => {
                one(resources, TYPE.ecsCluster);
                const template = one(resources, TYPE.ec2LaunchTemplate);
                assert.strictEqual((template.inputs.metadataOptions as Record<string, unknown>).httpTokens, "required");
                one(resources, TYPE.autoscalingGroup);
                const provider = one(resources, TYPE.ecsCapacityProvider);
                const providers = one(resources, TYPE.ecsClusterCapacityProviders).inputs.capacityProviders as string[];
                assert.ok(providers.includes(String(provider.inputs.name)), providers.join(", "));
            },
            "the web service runs on that capacity behind the ALB": (resources) => {
                const [service] = ofType(resources, TYPE.ecsService);
                const strategies = (service.inputs.capacityProviderStrategies as { capacityProvider: string }[]) ?? [];
                assert.deepStrictEqual(
                    strategies.map((strategy) => strategy.capacityProvider),
                    [one(resources, TYPE.ecsCapacityProvider).inputs.name],
                );
                assert.ok((service.inputs.loadBalancers as unknown[]).length === 1);
            },
            ...alb,
            ...database,
            "RDS enhanced monitoring": (resources) => assert.ok(Number(one(resources, TYPE.rdsInstance).inputs.monitoringInterval) > 0),
            ...redis,
            "ECR with scan on push": (resources) => {
                for (const repository of some(resources, TYPE.ecrRepository))
                    assert.strictEqual((repository.inputs.imageScanningConfiguration as Record<string, unknown>).scanOnPush, true);
            },
            "Secrets Manager holding the RDS and Redis connection details": (resources) => {
                const names = ofType(resources, TYPE.secretsmanagerSecret).map((secret) => String(secret.inputs.name));
                assert.ok(
                    names.some((name) => name.endsWith("-database-credentials")) && names.some((name) => name.endsWith("-redis-credentials")),
                    names.join(", "),
                );
                for (const version of ofType(resources, TYPE.secretsmanagerSecretVersion))
                    assert.strictEqual(version.inputs.secretString, "[secret]");
            },
            "CloudWatch log groups": (resources) => some(resources, TYPE.cloudwatchLogGroup),
            "no data lake or Glue": (resources) => {
                assert.ok(!ofType(resources, TYPE.s3Bucket).some((bucket) => String(bucket.inputs.bucket).includes("-data-lake-")));
                assert.deepStrictEqual(ofType(resources, TYPE.glueJob), []);
            },
        },
    },
};

describe("the seed systems, each a stack of its own", function () {
    this.timeout(120000);

    it("every seed system has a stack file, a pack config, a usage file, expectations here and a committed diagram", () => {
        assert.deepStrictEqual(SEED_SYSTEMS.map((system) => system.stack).sort(), Object.keys(EXPECTATIONS).sort());
        for (const { stack, seed } of SEED_SYSTEMS) {
            for (const file of [
                `Pulumi.${stack}.yaml`,
                `policy-pack/config/${stack}.json`,
                `usage/${stack}.yaml`,
                `docs/diagram-${stack}.svg`,
                `docs/diagram-${stack}.mmd`,
            ]) {
                assert.ok(fs.existsSync(path.join(ROOT_DIR, file)), `${file} (seed ${seed})`);
            }
        }
    });

    for (const [stack, expected] of Object.entries(EXPECTATIONS)) {
        describe(`Pulumi.${stack}.yaml`, () => {
            const plan = () => planShippedStack(stack);

            it("plans with exit 0 under its own pack config (no mandatory violation)", async () => {
                const result = await plan();
                assert.strictEqual(result.levels.source, "stack", "judged by its own policy-pack/config file");
                assert.deepStrictEqual(
                    result.document.violations.filter((violation) => violation.enforcementLevel === "mandatory"),
                    [],
                );
                assert.strictEqual(result.exitCode, 0);
            });

            it("says of every tier whether its seed lists it", () => {
                assert.deepStrictEqual([...expected.present, ...expected.absent].sort(), Object.keys(TIER_COMPONENTS).sort());
            });

            it("builds the tiers its seed lists and none it does not", async () => {
                const resources = (await plan()).document.deployment.resources;
                const built = (key: TierKey) => resources.some((resource) => resource.type === TIER_COMPONENTS[key]);
                for (const key of expected.present) assert.ok(built(key), `${stack} builds ${key}`);
                for (const key of expected.absent) assert.ok(!built(key), `${stack} builds ${key}, which its seed does not list`);
            });

            for (const [what, check] of Object.entries(expected.inventory)) {
                it(`has ${what}`, async () => check((await plan()).document.deployment.resources));
            }

            it("is priced in its region", async () => {
                const result = await plan();
                const config = parseStackConfig(readStackFile(stack, ROOT_DIR).config);
                assert.ok(result.cost, `${config.region} is priced`);
                assert.ok(result.cost.monthlyTotal > 0);
            });
        });
    }
});
