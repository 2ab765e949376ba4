import * as assert from "assert";
import { DeploymentResource } from "../../tools/deployment";
import { loadPackConfig, runPolicies } from "../../tools/policy-runner";

/**
 * The independent reviewer's corpus: resources shaped as a plan / stack export
 * carries them (inputs as the engine passes them), run through the whole pack
 * under the prod config. Every bad one is reported mandatory by the rule that
 * owns the risk; the good ones produce no violation at all (nor "cannot tell yet").
 */

const ACCOUNT = "123456789012";
const TAGS = { Name: "prod-corpus", Environment: "prod", Project: "data-platform", ManagedBy: "pulumi" };
const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const containers = JSON.stringify([{ name: "app", image: "repo/app:1", essential: true }]);

function resource(type: string, name: string, inputs: Record<string, unknown>): DeploymentResource {
    return { urn: `urn:pulumi:prod::corpus::${type}::${name}`, type, custom: true, inputs, outputs: {}, dependencies: [] };
}

const ROLE_ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const USER_ATTACH = "aws:iam/userPolicyAttachment:UserPolicyAttachment";
const GROUP_ATTACH = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const ATTACH = "aws:iam/policyAttachment:PolicyAttachment";
const ROLE = "aws:iam/role:Role";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SPOT = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

const managed = (name: string, partition = "aws") => `arn:${partition}:iam::aws:policy/${name}`;
const inlineIngress = (rule: Record<string, unknown>) => ({
    vpcId: "vpc-1",
    description: "corpus",
    tags: TAGS,
    ingress: [{ description: "corpus rule", ...rule }],
});
const sgRule = (rule: Record<string, unknown>) => ({ type: "ingress", securityGroupId: "sg-1", description: "corpus rule", ...rule });
const vpcIngress = (rule: Record<string, unknown>) => ({ securityGroupId: "sg-1", description: "corpus rule", tags: TAGS, ...rule });
const spot = (overrides: Record<string, unknown>) => ({
    ami: "ami-1",
    instanceType: "t3.micro",
    spotPrice: "0.01",
    subnetId: "subnet-1",
    tags: TAGS,
    associatePublicIpAddress: false,
    metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
    rootBlockDevice: { encrypted: true, volumeSize: 20 },
    ...overrides,
});
const task = (overrides: Record<string, unknown>) => ({
    family: "corpus",
    networkMode: "awsvpc",
    containerDefinitions: containers,
    tags: TAGS,
    ...overrides,
});

/** [bad resource, the policy that must report it mandatory]. */
const BAD: [DeploymentResource, string][] = [
    // 1. AWS-managed policies granting "*" or whole services
    [resource(ROLE_ATTACH, "admin", { role: "r", policyArn: managed("AdministratorAccess") }), "iam-no-broad-managed-policies"],
    [resource(USER_ATTACH, "power-user", { user: "u", policyArn: managed("PowerUserAccess") }), "iam-no-broad-managed-policies"],
    [resource(GROUP_ATTACH, "iam-full", { group: "g", policyArn: managed("IAMFullAccess") }), "iam-no-broad-managed-policies"],
    [resource(ATTACH, "s3-full", { name: "s3", roles: ["r"], policyArn: managed("AmazonS3FullAccess") }), "iam-no-broad-managed-policies"],
    [resource(ROLE_ATTACH, "gov-full", { role: "r", policyArn: managed("AmazonEC2FullAccess", "aws-us-gov") }), "iam-no-broad-managed-policies"],
    [resource(ROLE_ATTACH, "path-full", { role: "r", policyArn: managed("job-function/ExampleFullAccess") }), "iam-no-broad-managed-policies"],
    [
        resource(ROLE, "role-admin", { assumeRolePolicy: trust, tags: TAGS, managedPolicyArns: [managed("AdministratorAccess")] }),
        "iam-no-broad-managed-policies",
    ],
    // 2. Port-less protocols from the world
    [
        resource(SG, "icmp-inline", inlineIngress({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(SG, "icmpv6-inline", inlineIngress({ protocol: "icmpv6", fromPort: -1, toPort: -1, ipv6CidrBlocks: ["::/0"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(SG_RULE, "icmp-rule", sgRule({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(SG_RULE, "proto-1-rule", sgRule({ protocol: "1", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(SG_RULE, "icmpv6-rule", sgRule({ protocol: "58", fromPort: -1, toPort: -1, ipv6CidrBlocks: ["::/0"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "icmp-vpc", vpcIngress({ ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "proto-1-vpc", vpcIngress({ ipProtocol: "1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "proto-58-vpc", vpcIngress({ ipProtocol: "58", fromPort: -1, toPort: -1, cidrIpv6: "::/0" })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "icmpv6-vpc", vpcIngress({ ipProtocol: "icmpv6", fromPort: -1, toPort: -1, cidrIpv6: "::/0" })),
        "sg-world-ingress-public-ports-only",
    ],
    // 3. CIDRs that cover the internet
    [
        resource(SG, "ssh-halves-world", inlineIngress({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "ssh-slash-4", vpcIngress({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "16.0.0.0/4" })),
        "sg-world-ingress-public-ports-only",
    ],
    [
        resource(INGRESS, "ssh-v6-slash-3", vpcIngress({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "2000::/3" })),
        "sg-world-ingress-public-ports-only",
    ],
    // 4. Spot instance requests
    [resource(SPOT, "spot-root", spot({ rootBlockDevice: { encrypted: false } })), "ebs-encryption"],
    [resource(SPOT, "spot-ebs", spot({ ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100 }] })), "ebs-encryption"],
    [resource(SPOT, "spot-imds", spot({ metadataOptions: { httpTokens: "optional" } })), "ec2-imdsv2"],
    [resource(SPOT, "spot-public-ip", spot({ associatePublicIpAddress: true })), "ec2-no-public-ip"],
    // 5. ECS host namespaces
    [resource(TASK, "pid-host", task({ networkMode: "bridge", pidMode: "host" })), "ecs-container-safety"],
    [resource(TASK, "ipc-host", task({ networkMode: "bridge", ipcMode: "host" })), "ecs-container-safety"],
];

const GOOD: DeploymentResource[] = [
    resource(ROLE_ATTACH, "glue-service", { role: "glue", policyArn: managed("service-role/AWSGlueServiceRole") }),
    resource(ROLE_ATTACH, "ssm-core", { role: "host", policyArn: managed("AmazonSSMManagedInstanceCore") }),
    resource(USER_ATTACH, "customer-managed", { user: "u", policyArn: `arn:aws:iam::${ACCOUNT}:policy/TeamFullAccess` }),
    resource(ROLE, "role-ssm", { assumeRolePolicy: trust, tags: TAGS, managedPolicyArns: [managed("AmazonSSMManagedInstanceCore")] }),
    resource(SG, "icmp-from-vpc", inlineIngress({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["10.0.0.0/8"] })),
    resource(SG, "ssh-from-office", inlineIngress({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24", "10.0.0.0/8"] })),
    resource(SG, "https-world", inlineIngress({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })),
    resource(SG_RULE, "icmp-rule-vpc", sgRule({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["10.0.0.0/8"] })),
    resource(INGRESS, "icmpv6-vpc-range", vpcIngress({ ipProtocol: "icmpv6", fromPort: -1, toPort: -1, cidrIpv6: "2001:db8::/32" })),
    resource(INGRESS, "ssh-slash-8", vpcIngress({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" })),
    resource(SPOT, "spot-good", spot({ ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] })),
    resource(TASK, "task-namespaces", task({ networkMode: "bridge", pidMode: "task", ipcMode: "task" })),
];

describe("policy: reviewer corpus under the prod config", () => {
    const config = loadPackConfig("prod");

    describe("reports every bad resource, mandatory", () => {
        for (const [bad, policy] of BAD) {
            it(`${policy}: ${bad.urn.split("::").pop()} (${bad.type.split(":").pop()})`, () => {
                const violations = runPolicies([bad], config, "prod");
                const hit = violations.find((violation) => violation.policy === policy && violation.urn === bad.urn);
                assert.ok(hit, `expected ${policy} on ${bad.urn}; got ${JSON.stringify(violations)}`);
                assert.strictEqual(hit.enforcementLevel, "mandatory");
                assert.ok(!hit.message.startsWith("cannot tell yet"), hit.message);
            });
        }
    });

    it("reports none of the good resources", () => {
        assert.deepStrictEqual(
            runPolicies(GOOD, config, "prod").map((violation) => `${violation.policy}: ${violation.message}`),
            [],
        );
    });

    it("reports each good resource clean on its own", () => {
        for (const good of GOOD) assert.deepStrictEqual(runPolicies([good], config, "prod"), [], good.urn);
    });
});
