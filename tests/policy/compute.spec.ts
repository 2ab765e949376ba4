import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { Ec2Capacity } from "../../components/containers/capacity";
import { ec2CapacitySchema } from "../../components/containers/capacity-config";
import { Naming } from "../../components/shared/naming";
import { toDeploymentResources } from "../../tools/deployment";
import { StackInput, runPolicies } from "../../tools/policy-runner";
import { runProgram } from "../../tools/run-program";
import { computePolicies } from "../../policy-pack/policies/compute";
import { TYPE } from "../../policy-pack/policies/types";
import { UNKNOWN_ARRAY, UNKNOWN_NUMBER, UNKNOWN_OBJECT, UNKNOWN_STRING, describeCases, evaluate, res } from "../fixtures/policy-harness";
import { ASG, ZONED_SUBNETS, asg, asgOver, computeCases, metadataOf } from "../fixtures/policy-cases";

// The cases are tests/fixtures/policy-cases.ts `computeCases` (unknowns.spec also runs them with unknown, odd and "[secret]" values).

const one = (type: string, props: Record<string, unknown>): StackInput[] => [res(type, "subject", props)];

describe("policy: compute rules", () => {
    describeCases(computeCases);

    describe("unknown values", () => {
        const cannotTell: [string, string, StackInput[]][] = [
            ["asg-launch-template", "an unknown launchTemplate", asg({ launchTemplate: UNKNOWN_OBJECT })],
            ["asg-launch-template", "an unknown template id", asg({ launchTemplate: { id: UNKNOWN_STRING } })],
            ["asg-launch-template", "an unknown launchConfiguration", asg({ launchConfiguration: UNKNOWN_STRING })],
            ["asg-multi-az", "unknown subnet ids", asgOver(UNKNOWN_ARRAY)],
            ["asg-multi-az", "two subnet ids, one unknown", asgOver(["subnet-a", UNKNOWN_STRING])],
            ["asg-multi-az", "two subnets not in the stack", asgOver(["subnet-x", "subnet-y"])],
            [
                "asg-multi-az",
                "a subnet whose zone is unknown",
                asgOver(["subnet-a", "subnet-q"], [...ZONED_SUBNETS, res(TYPE.ec2Subnet, "q", { id: "subnet-q", availabilityZone: UNKNOWN_STRING })]),
            ],
            [
                "ec2-imds-hop-limit",
                "an unknown hop limit",
                one(TYPE.ec2LaunchTemplate, metadataOf({ httpTokens: "required", httpPutResponseHopLimit: UNKNOWN_NUMBER })),
            ],
            ["ec2-imds-hop-limit", "unknown metadata options", one(TYPE.ec2LaunchTemplate, { metadataOptions: UNKNOWN_OBJECT })],
            ["ec2-imds-hop-limit", "an instance with an unknown template and no options", one(TYPE.ec2Instance, { launchTemplate: UNKNOWN_OBJECT })],
        ];
        for (const [policy, title, resources] of cannotTell) {
            it(`${policy}: ${title} is "cannot tell yet", not a pass`, () => {
                const outcome = evaluate(policy, resources);
                assert.deepStrictEqual([outcome.violations.map((violation) => violation.message), outcome.unknown], [[], true]);
            });
        }
    });

    it("every compute rule has cases and references", () => {
        for (const policy of computePolicies) {
            assert.ok(
                computeCases.some((cases) => cases.policy === policy.name),
                policy.name,
            );
            assert.ok(policy.references.checkov.length + policy.references.securityHub.length > 0, policy.name);
        }
        assert.deepStrictEqual(
            computePolicies.map((policy) => [policy.name, policy.enforcementLevel]),
            [
                ["asg-launch-template", "mandatory"],
                ["ec2-imds-hop-limit", "advisory"],
                ["asg-multi-az", "advisory"],
            ],
        );
    });

    it("the EC2 capacity tier's own resources pass the compute rules", async () => {
        const naming = new Naming("staging");
        const run = await runProgram({
            stack: "staging",
            config: { "aws:region": "us-east-2" },
            program: () => {
                const subnets = ["us-east-2a", "us-east-2b"].map(
                    (zone, index) =>
                        new aws.ec2.Subnet(`t-subnet-${index}`, {
                            vpcId: "vpc-1",
                            cidrBlock: `10.1.${index + 10}.0/24`,
                            availabilityZone: zone,
                            tags: naming.tags("network", zone),
                        }),
                );
                new Ec2Capacity("t-capacity", {
                    naming,
                    config: ec2CapacitySchema.parse({ instanceType: "m7g.large", minSize: 0, maxSize: 4, desiredSize: 0 }),
                    clusterName: "staging-data-processing-cluster",
                    subnetIds: subnets.map((item) => item.id),
                    securityGroupId: "sg-0123456789abcdef0",
                    protect: false,
                });
            },
        });
        const levels = Object.fromEntries(computePolicies.map((policy) => [policy.name, "mandatory" as const]));
        const mine = new Set(computePolicies.map((policy) => policy.name));
        const findings = runPolicies(toDeploymentResources(run), levels, "staging").filter((finding) => mine.has(finding.policy));
        assert.strictEqual(run.resources.filter((resource) => resource.type === ASG).length, 1);
        assert.deepStrictEqual(
            findings.map((finding) => finding.message),
            [],
        );
    });
});
