import * as assert from "assert";
import { spawnSync } from "child_process";
import * as aws from "@pulumi/aws";
import {
    CAPACITY_IMDS_HOP_LIMIT,
    CAPACITY_INSTANCE_POLICIES,
    ECS_AMI_PARAMETERS,
    ECS_MANAGED_TAG,
    Ec2Capacity,
    ROOT_DEVICE_NAME,
    capacityUserData,
} from "../../components/containers/capacity";
import { Ec2CapacityConfig, ec2CapacitySchema, ec2CapacityProblems, ECS_AGENT_ENDPOINT_SERVICES } from "../../components/containers/capacity-config";
import { taskEgressProblems, containersSchema } from "../../components/containers/config";
import { networkSchema } from "../../components/network/config";
import { Naming } from "../../components/shared/naming";
import { toDeploymentResources } from "../../tools/deployment";
import { runPolicies, loadPackConfig } from "../../tools/policy-runner";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { TYPE } from "../../policy-pack/policies/types";
import { inputsOf, named, ofType } from "../support/helpers";

const LAUNCH_TEMPLATE = TYPE.ec2LaunchTemplate;
const GROUP = TYPE.autoscalingGroup;
const PROVIDER = TYPE.ecsCapacityProvider;
const STORAGE_KEY = "arn:aws:kms:us-east-2:123456789012:key/33333333-3333-4333-a333-333333333333";
const OTHER_KEY = "arn:aws:kms:us-east-2:123456789012:key/44444444-4444-4444-a444-444444444444";
const CLUSTER = "test-data-processing-cluster";
const APP_GROUP = "sg-0123456789abcdef0";
const GET_PARAMETER = "aws:ssm/getParameter:getParameter";

interface CapacityRun {
    readonly run: ProgramRun;
    readonly outputs: { capacityProviderName: string; autoScalingGroupName: string; launchTemplateId: string };
    readonly subnetIds: string[];
}

function capacityConfig(section: Record<string, unknown> = {}): Ec2CapacityConfig {
    return ec2CapacitySchema.parse(section);
}

function outputValue<T>(output: { apply<U>(f: (value: T) => U): unknown }): Promise<T> {
    return new Promise((resolve) => output.apply((value: T) => resolve(value)));
}

/** Builds the EC2 capacity alone, over two subnets of the test program in two AZs (so the pack can resolve their zones). */
async function runCapacity(
    section: Record<string, unknown> = {},
    extra: { keys?: { storage?: string }; volumeKeyArn?: string; protect?: boolean } = { keys: { storage: STORAGE_KEY } },
): Promise<CapacityRun> {
    let capacity: Ec2Capacity | undefined;
    const naming = new Naming("test");
    const run = await runProgram({
        stack: "test",
        config: { "aws:region": "us-east-2" },
        program: () => {
            const subnets = ["us-east-2a", "us-east-2b"].map(
                (zone, index) =>
                    new aws.ec2.Subnet(`t-subnet-${index}`, {
                        vpcId: "vpc-0123456789abcdef0",
                        cidrBlock: `10.9.${index + 10}.0/24`,
                        availabilityZone: zone,
                        tags: naming.tags("network", `private-${zone}`),
                    }),
            );
            capacity = new Ec2Capacity("t-capacity", {
                naming,
                config: capacityConfig(section),
                clusterName: CLUSTER,
                subnetIds: subnets.map((subnet) => subnet.id),
                securityGroupId: APP_GROUP,
                keys: extra.keys,
                volumeKeyArn: extra.volumeKeyArn,
                protect: extra.protect ?? false,
            });
        },
    });
    assert.ok(capacity);
    const built = capacity;
    const outputs = {
        capacityProviderName: await outputValue<string>(built.capacityProviderName),
        autoScalingGroupName: await outputValue<string>(built.autoScalingGroupName),
        launchTemplateId: await outputValue<string>(built.launchTemplateId),
    };
    const subnetIds = ofType(run, TYPE.ec2Subnet).map((subnet) => subnet.id as string);
    return { run, outputs, subnetIds };
}

function template(run: ProgramRun): Record<string, any> {
    return inputsOf(named(run, LAUNCH_TEMPLATE, "-launch-template"));
}

function userDataOf(run: ProgramRun): string {
    return Buffer.from(template(run).userData as string, "base64").toString("utf8");
}

/** What the mock cloud answers for a public SSM parameter (the value the launch template must carry). */
function parameterValue(run: ProgramRun, name: string): string {
    return run.cloud.call({ token: GET_PARAMETER, inputs: { name }, provider: "" } as never).value as string;
}

describe("containers: EC2 capacity", () => {
    describe("defaults (private placement, t3.medium)", () => {
        let tier: CapacityRun;
        before(async () => {
            tier = await runCapacity();
        });

        it("boots the x86_64 ECS-optimized Amazon Linux 2023 AMI from its public SSM parameter", () => {
            assert.strictEqual(ECS_AMI_PARAMETERS.x86_64, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
            assert.ok(tier.run.cloud.calls.includes(GET_PARAMETER));
            assert.strictEqual(template(tier.run).imageId, parameterValue(tier.run, ECS_AMI_PARAMETERS.x86_64));
            assert.strictEqual(template(tier.run).instanceType, "t3.medium");
        });

        it("requires IMDSv2 within one hop", () => {
            assert.deepStrictEqual(template(tier.run).metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            });
            assert.strictEqual(CAPACITY_IMDS_HOP_LIMIT, 1);
        });

        it("has an encrypted gp3 root volume of volumeSizeGb with the storage key, deleted with the instance", () => {
            assert.deepStrictEqual(template(tier.run).blockDeviceMappings, [
                {
                    deviceName: ROOT_DEVICE_NAME,
                    ebs: { volumeType: "gp3", volumeSize: 30, encrypted: "true", kmsKeyId: STORAGE_KEY, deleteOnTermination: "true" },
                },
            ]);
        });

        it("puts the app security group on the instances and gives them no public IP", () => {
            assert.deepStrictEqual(template(tier.run).networkInterfaces, [
                { deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [APP_GROUP], deleteOnTermination: "true" },
            ]);
            assert.strictEqual(template(tier.run).vpcSecurityGroupIds, undefined, "groups go on the interface, not beside it");
        });

        it("launches with the instance profile of an EC2 role with the ECS agent's and Session Manager's managed policies", () => {
            const role = inputsOf(named(tier.run, TYPE.iamRole, "-instance-role"));
            assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement, [
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const attached = ofType(tier.run, TYPE.iamRolePolicyAttachment).map((attachment) => inputsOf(attachment));
            assert.deepStrictEqual(
                attached.map((attachment) => attachment.policyArn).sort(),
                CAPACITY_INSTANCE_POLICIES.map((policy) => `arn:aws:iam::aws:policy/${policy}`).sort(),
            );
            assert.ok(attached.every((attachment) => attachment.role === "test-ecs-instance"));
            assert.deepStrictEqual(CAPACITY_INSTANCE_POLICIES, ["service-role/AmazonEC2ContainerServiceforEC2Role", "AmazonSSMManagedInstanceCore"]);
            const profile = named(tier.run, TYPE.iamInstanceProfile, "-instance-profile");
            assert.strictEqual(inputsOf(profile).role, "test-ecs-instance");
            assert.deepStrictEqual(template(tier.run).iamInstanceProfile, { arn: profile.outputs.arn });
        });

        it("user data joins the cluster, with task roles and IMDS blocked for awsvpc tasks", () => {
            const script = userDataOf(tier.run);
            assert.match(script, /^#!\/bin\/bash\n/);
            assert.match(script, new RegExp(`^readonly ECS_CLUSTER_NAME='${CLUSTER}'$`, "m"));
            assert.match(
                script,
                /cat >>\/etc\/ecs\/ecs\.config <<CONFIG\nECS_CLUSTER=\$\{ECS_CLUSTER_NAME\}\nECS_ENABLE_TASK_IAM_ROLE=true\nECS_AWSVPC_BLOCK_IMDS=true\nCONFIG\n/,
            );
            assert.strictEqual(script, capacityUserData(CLUSTER));
        });

        it("renders user data that bash runs and shellcheck accepts", function () {
            const script = userDataOf(tier.run);
            const syntax = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
            assert.strictEqual(syntax.status, 0, syntax.stderr);
            const lint = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
            if (lint.error) this.skip();
            assert.strictEqual(lint.status, 0, lint.stdout);
        });

        it("tags the instances and their volumes through the template", () => {
            const specs = template(tier.run).tagSpecifications as { resourceType: string; tags: Record<string, string> }[];
            assert.deepStrictEqual(
                specs.map((spec) => [spec.resourceType, spec.tags.Name, spec.tags.Tier, spec.tags.Environment]),
                [
                    ["instance", "test-ecs-instance", "containers", "test"],
                    ["volume", "test-ecs-instance-root", "containers", "test"],
                ],
            );
            assert.strictEqual(template(tier.run).tags.Name, "test-ecs-capacity-template");
        });

        it("runs an auto scaling group over the given subnets from the template's latest version, scale-in protected", () => {
            const group = named(tier.run, GROUP, "-group");
            const inputs = inputsOf(group);
            assert.deepStrictEqual(inputs.vpcZoneIdentifiers, tier.subnetIds);
            assert.strictEqual(tier.subnetIds.length, 2);
            assert.deepStrictEqual([inputs.minSize, inputs.maxSize, inputs.desiredCapacity], [1, 2, 1]);
            assert.deepStrictEqual(inputs.launchTemplate, { id: tier.outputs.launchTemplateId, version: "1" });
            assert.strictEqual(inputs.launchConfiguration, undefined);
            assert.strictEqual(inputs.protectFromScaleIn, true);
            assert.strictEqual(inputs.forceDelete, true);
            assert.deepStrictEqual(group.ignoreChanges, ["desiredCapacity"], "managed scaling owns the desired capacity");
        });

        it("tags the group AmazonECSManaged (propagated) besides the stack's tags", () => {
            const tags = inputsOf(named(tier.run, GROUP, "-group")).tags as { key: string; value: string; propagateAtLaunch: boolean }[];
            assert.deepStrictEqual(
                tags.find((tag) => tag.key === ECS_MANAGED_TAG),
                { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
            );
            for (const key of ["Name", "Environment", "Project", "ManagedBy", "Tier"])
                assert.ok(
                    tags.some((tag) => tag.key === key),
                    key,
                );
        });

        it("names the group and the capacity provider `test-ecs-capacity-<suffix>` (ECS keeps deleted provider names)", () => {
            assert.match(tier.outputs.autoScalingGroupName, /^test-ecs-capacity-[0-9a-f]{8}$/);
            assert.strictEqual(tier.outputs.capacityProviderName, tier.outputs.autoScalingGroupName);
            assert.strictEqual(inputsOf(named(tier.run, LAUNCH_TEMPLATE, "-launch-template")).name, "test-ecs-capacity");
        });

        it("makes a capacity provider with managed scaling at targetCapacityPercent and managed termination protection", () => {
            const provider = inputsOf(named(tier.run, PROVIDER, "-capacity-provider"));
            const group = named(tier.run, GROUP, "-group");
            assert.strictEqual(provider.autoScalingGroupProvider.autoScalingGroupArn, group.outputs.arn);
            assert.strictEqual(provider.autoScalingGroupProvider.managedTerminationProtection, "ENABLED");
            assert.strictEqual(provider.autoScalingGroupProvider.managedDraining, "ENABLED");
            assert.deepStrictEqual(provider.autoScalingGroupProvider.managedScaling, {
                status: "ENABLED",
                targetCapacity: 100,
                minimumScalingStepSize: 1,
                maximumScalingStepSize: 2,
                instanceWarmupPeriod: 300,
            });
            assert.strictEqual(provider.cluster, undefined, "an ASG provider must not name a cluster");
            assert.strictEqual(provider.tags.Tier, "containers");
        });

        it("outputs the capacity provider, group and launch template", () => {
            assert.strictEqual(tier.outputs.launchTemplateId, named(tier.run, LAUNCH_TEMPLATE, "-launch-template").id);
            assert.strictEqual(tier.outputs.capacityProviderName, inputsOf(named(tier.run, PROVIDER, "-capacity-provider")).name);
            const component = tier.run.resources.find((resource) => resource.type === "data-platform:containers:Ec2Capacity");
            assert.ok(component, "component type data-platform:containers:Ec2Capacity");
        });

        it("passes every pack rule, its own included, at the strictest level", () => {
            const config = {
                ...loadPackConfig("prod"),
                "asg-multi-az": "mandatory",
                "ec2-imds-hop-limit": "mandatory",
                "asg-launch-template": "mandatory",
            } as const;
            const findings = runPolicies(toDeploymentResources(tier.run), config, "test");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });
    });

    describe("config in the component", () => {
        const cases: { title: string; section: Record<string, unknown>; check: (run: ProgramRun) => void }[] = [
            {
                title: "an arm64 (Graviton) type boots the arm64 AMI",
                section: { instanceType: "t4g.medium" },
                check: (run) => {
                    assert.strictEqual(ECS_AMI_PARAMETERS.arm64, "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id");
                    assert.strictEqual(template(run).imageId, parameterValue(run, ECS_AMI_PARAMETERS.arm64));
                    assert.notStrictEqual(template(run).imageId, parameterValue(run, ECS_AMI_PARAMETERS.x86_64));
                    assert.strictEqual(template(run).instanceType, "t4g.medium");
                },
            },
            {
                title: "public placement assigns a public IP",
                section: { placement: "public" },
                check: (run) => assert.strictEqual(template(run).networkInterfaces[0].associatePublicIpAddress, "true"),
            },
            {
                title: "sizes and managed-scaling target come from the section",
                section: { minSize: 2, maxSize: 6, desiredSize: 3, targetCapacityPercent: 75, volumeSizeGb: 60 },
                check: (run) => {
                    const group = inputsOf(named(run, GROUP, "-group"));
                    assert.deepStrictEqual([group.minSize, group.maxSize, group.desiredCapacity], [2, 6, 3]);
                    const scaling = inputsOf(named(run, PROVIDER, "-capacity-provider")).autoScalingGroupProvider.managedScaling;
                    assert.strictEqual(scaling.targetCapacity, 75);
                    assert.strictEqual(scaling.maximumScalingStepSize, 6);
                    assert.strictEqual(template(run).blockDeviceMappings[0].ebs.volumeSize, 60);
                },
            },
        ];
        for (const { title, section, check } of cases) {
            it(title, async () => check((await runCapacity(section)).run));
        }

        it("encrypts with a given key instead of the storage key, and with the EBS default key without either", async () => {
            const given = await runCapacity({}, { keys: { storage: STORAGE_KEY }, volumeKeyArn: OTHER_KEY });
            assert.strictEqual(template(given.run).blockDeviceMappings[0].ebs.kmsKeyId, OTHER_KEY);
            const none = await runCapacity({}, {});
            assert.strictEqual(template(none.run).blockDeviceMappings[0].ebs.kmsKeyId, undefined);
            assert.strictEqual(template(none.run).blockDeviceMappings[0].ebs.encrypted, "true");
        });

        it("protects the name suffix with protect (a new suffix would replace the group and the provider)", async () => {
            const protectedRun = await runCapacity({}, { keys: { storage: STORAGE_KEY }, protect: true });
            assert.strictEqual(named(protectedRun.run, TYPE.randomId, "-suffix").protect, true);
            const open = await runCapacity();
            assert.strictEqual(named(open.run, TYPE.randomId, "-suffix").protect, false);
        });

        it("refuses a cluster name ECS would refuse in the user data", () => {
            assert.throws(() => capacityUserData("bad name; rm -rf /"), /not one ECS accepts/);
        });
    });

    describe("containers.ec2Capacity section", () => {
        it("defaults: t3.medium, 1..2 instances (1 at creation), 100% target, 30 GiB, private", () => {
            assert.deepStrictEqual(capacityConfig(), {
                instanceType: "t3.medium",
                minSize: 1,
                maxSize: 2,
                desiredSize: 1,
                targetCapacityPercent: 100,
                volumeSizeGb: 30,
                placement: "private",
            });
        });

        const refusals: { title: string; section: Record<string, unknown>; key: string; message: RegExp }[] = [
            { title: "minSize above maxSize", section: { minSize: 4, maxSize: 2, desiredSize: 2 }, key: "minSize", message: /at most maxSize \(2\)/ },
            {
                title: "desiredSize above maxSize",
                section: { desiredSize: 5 },
                key: "desiredSize",
                message: /between minSize \(1\) and maxSize \(2\)/,
            },
            {
                title: "desiredSize below minSize",
                section: { minSize: 2, maxSize: 3, desiredSize: 1 },
                key: "desiredSize",
                message: /between minSize \(2\)/,
            },
            {
                title: "an instance type outside the table",
                section: { instanceType: "x1e.32xlarge" },
                key: "instanceType",
                message: /one of t3\.micro, .*m7g\.large/,
            },
            {
                title: "a root volume below the AMI's 30 GiB",
                section: { volumeSizeGb: 20 },
                key: "volumeSizeGb",
                message: /30 GiB and cannot shrink/,
            },
            { title: "a managed-scaling target above 100", section: { targetCapacityPercent: 120 }, key: "targetCapacityPercent", message: /100/ },
            { title: "a placement that is neither", section: { placement: "isolated" }, key: "placement", message: /private|public/ },
            { title: "an unknown key", section: { spot: true }, key: "", message: /spot/ },
        ];
        for (const { title, section, key, message } of refusals) {
            it(`refuses ${title}, naming ${key || "the key"}`, () => {
                const result = ec2CapacitySchema.safeParse(section);
                assert.ok(!result.success, "should be refused");
                const issue = result.error.issues.find((candidate) => (key === "" ? true : candidate.path.join(".") === key));
                assert.ok(issue, `an issue at ${key}: ${JSON.stringify(result.error.issues)}`);
                assert.match(issue.message + JSON.stringify(issue), message);
            });
        }

        it("is optional in the containers section's shape: absent means no EC2 capacity", () => {
            assert.deepStrictEqual(ec2CapacitySchema.optional().parse(undefined), undefined);
            assert.deepStrictEqual(ec2CapacityProblems(network({ natGateways: "none" }), undefined, "test"), []);
        });
    });

    describe("ec2CapacityProblems (cross-tier)", () => {
        const capacity = capacityConfig();
        it("refuses private EC2 capacity without NAT, naming containers.ec2Capacity.placement", () => {
            const problems = ec2CapacityProblems(network({ natGateways: "none" }), capacity, "staging");
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["containers", "ec2Capacity", "placement"]],
            );
            assert.match(
                problems[0].message,
                /cannot register with ECS, pull images or write logs without egress: set network\.natGateways to single\|perAz/,
            );
            assert.match(problems[0].message, /containers\.ec2Capacity\.placement: public/);
        });

        it("reads like the Fargate rule (taskEgressProblems)", () => {
            const fargate = taskEgressProblems(network({ natGateways: "none" }), containersSchema.parse({}))[0].message;
            const ec2 = ec2CapacityProblems(network({ natGateways: "none" }), capacity, "staging")[0].message;
            assert.match(fargate, /without egress: set network\.natGateways to single\|perAz/);
            assert.match(ec2, /without egress(.*): set network\.natGateways to single\|perAz/);
        });

        it("refuses the interface endpoints while they lack the ECS agent's, and accepts them once they have them", () => {
            const endpoints = network({ natGateways: "none", interfaceEndpoints: true });
            const refused = ec2CapacityProblems(endpoints, capacity, "staging", ["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
            assert.strictEqual(refused.length, 1);
            assert.match(refused[0].message, /lack ecs, ecs-agent, ecs-telemetry, which the ECS agent needs/);
            assert.doesNotMatch(refused[0].message, /interfaceEndpoints: true/, "does not suggest what would not work");
            const complete = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", ...ECS_AGENT_ENDPOINT_SERVICES];
            assert.deepStrictEqual(ec2CapacityProblems(endpoints, capacity, "staging", complete), []);
            const suggested = ec2CapacityProblems(network({ natGateways: "none" }), capacity, "staging", complete)[0].message;
            assert.match(suggested, /or network\.interfaceEndpoints: true, or containers\.ec2Capacity\.placement: public$/);
        });

        for (const [title, net, section] of [
            ["a single NAT gateway", { natGateways: "single" }, {}],
            ["NAT per AZ", { natGateways: "perAz" }, {}],
            ["public placement without NAT", { natGateways: "none" }, { placement: "public" }],
        ] as const) {
            it(`accepts ${title}`, () => assert.deepStrictEqual(ec2CapacityProblems(network(net), capacityConfig(section), "staging"), []));
        }

        for (const environment of ["ecs-test", "aws1", "fargate-prod"]) {
            it(`refuses the environment ${environment}: the capacity provider's name would start with a reserved prefix`, () => {
                const problems = ec2CapacityProblems(network({ natGateways: "single" }), capacity, environment);
                assert.deepStrictEqual(
                    problems.map((problem) => problem.path),
                    [["environment"]],
                );
                assert.match(problems[0].message, /ECS refuses names starting with aws, ecs, fargate/);
            });
        }
    });
});

function network(overrides: Record<string, unknown>) {
    return networkSchema.parse({
        vpcCidr: "10.1.0.0/16",
        availabilityZones: ["us-east-2a", "us-east-2b"],
        publicSubnetCidrs: ["10.1.1.0/24", "10.1.2.0/24"],
        privateSubnetCidrs: ["10.1.10.0/24", "10.1.20.0/24"],
        ...overrides,
    });
}
