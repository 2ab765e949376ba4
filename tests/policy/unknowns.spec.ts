import * as assert from "assert";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { at, SECRET, UNKNOWN, plainCopy } from "../../policy-pack/policies/values";
import { StackInput } from "../../tools/policy-runner";
import {
    evaluate,
    Case,
    UNKNOWN_ARRAY,
    UNKNOWN_BOOLEAN,
    UNKNOWN_NUMBER,
    UNKNOWN_OBJECT,
    UNKNOWN_STRING,
    replaceAt,
    unknownFor,
} from "../fixtures/policy-harness";
import { IMDSV2, allCases, nodeGroupWith } from "../fixtures/policy-cases";

/**
 * Unknown values (real `pulumi preview`): the engine wraps props in
 * `unknownCheckingProxy`, which throws `UnknownValueError` when a rule touches
 * an unknown. A rule must never crash on one, and must treat it as "cannot tell
 * yet": never a pass that hides a problem, never a fail that is not one.
 */

/** Every path into a value (objects, arrays and leaves), excluding the root. */
function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    const children: [string | number, unknown][] = Array.isArray(value)
        ? value.map((item, index) => [index, item])
        : value !== null && typeof value === "object"
          ? Object.entries(value)
          : [];
    return children.flatMap(([key, item]) => [[...prefix, key], ...allPaths(item, [...prefix, key])]);
}

/** Variants of a case with one property (at any depth) of one resource replaced. */
function variants(testCase: Case, replacement: (original: unknown) => unknown): { where: string; resources: StackInput[] }[] {
    return testCase.resources.flatMap((resource, index) =>
        allPaths(resource.props).map((path) => {
            const original = path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], resource.props);
            const props = replaceAt(resource.props, path, replacement(original)) as Record<string, unknown>;
            return {
                where: `${resource.name}.${path.join(".")}`,
                resources: testCase.resources.map((item, position) => (position === index ? { ...item, props } : item)),
            };
        }),
    );
}

describe("policy: unknown values", () => {
    describe("readers", () => {
        it("at() maps a proxied unknown to UNKNOWN instead of throwing", () => {
            const props = unknownCheckingProxy({ a: { b: UNKNOWN_STRING }, c: UNKNOWN_OBJECT, d: "known" });
            assert.strictEqual(at(props, "a", "b"), UNKNOWN);
            assert.strictEqual(at(props, "c", "deeper"), UNKNOWN);
            assert.strictEqual(at(props, "d"), "known");
            assert.strictEqual(at(props, "missing", "x"), undefined);
            assert.throws(() => (props as Record<string, { b: unknown }>).a.b, UnknownValueError, "the proxy itself throws");
        });

        it('raw sentinels, "[secret]" and stack-export secrets are classified', () => {
            assert.strictEqual(at({ v: UNKNOWN_BOOLEAN }, "v"), UNKNOWN);
            assert.strictEqual(at({ v: "[secret]" }, "v"), SECRET);
            const envelope = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
            assert.strictEqual(at({ v: envelope }, "v"), SECRET);
            const shown = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"hunter2"' };
            assert.strictEqual(at({ v: shown }, "v"), "hunter2");
        });

        it("a policy document with an unknown inside is unknown as a whole", () => {
            const props = unknownCheckingProxy({ policy: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: UNKNOWN_STRING }] } });
            assert.strictEqual(plainCopy(at(props, "policy")), UNKNOWN);
        });
    });

    describe("a compliant resource with any one property unknown never fails", () => {
        for (const rule of allCases) {
            rule.good.forEach((good) => {
                it(`${rule.policy}: ${good.title}`, () => {
                    for (const variant of variants(good, unknownFor)) {
                        const outcome = evaluate(rule.policy, variant.resources, good.parameters);
                        assert.deepStrictEqual(
                            outcome.violations.map((v) => v.message),
                            [],
                            `unknown ${variant.where} must not fail`,
                        );
                    }
                });
            });
        }
    });

    describe("a violating resource with any one property unknown never crashes", () => {
        for (const rule of allCases) {
            rule.bad.forEach((bad) => {
                it(`${rule.policy}: ${bad.title}`, () => {
                    for (const variant of variants(bad, unknownFor)) {
                        assert.doesNotThrow(() => evaluate(rule.policy, variant.resources, bad.parameters), `unknown ${variant.where}`);
                    }
                });
            });
        }
    });

    describe('the decisive property unknown gives "cannot tell yet", not a pass', () => {
        const decisive: [string, string, Record<string, unknown>][] = [
            ["rds-storage-encrypted", "aws:rds/instance:Instance", { storageEncrypted: UNKNOWN_BOOLEAN }],
            ["kms-key-rotation", "aws:kms/key:Key", { enableKeyRotation: UNKNOWN_BOOLEAN }],
            [
                "sg-world-ingress-public-ports-only",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: UNKNOWN_STRING, description: "d" },
            ],
            ["iam-no-wildcard-actions", "aws:iam/policy:Policy", { policy: UNKNOWN_STRING }],
            ["required-tags", "aws:s3/bucket:Bucket", { tags: UNKNOWN_OBJECT }],
            ["ecs-container-safety", "aws:ecs/taskDefinition:TaskDefinition", { family: "f", containerDefinitions: UNKNOWN_STRING }],
            ["ecs-container-safety", "aws:ecs/taskDefinition:TaskDefinition", { family: "f", pidMode: UNKNOWN_STRING, containerDefinitions: "[]" }],
            [
                "sg-world-ingress-public-ports-only",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: UNKNOWN_STRING, description: "d" },
            ],
            ["iam-no-broad-managed-policies", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: UNKNOWN_STRING }],
            ["iam-no-broad-managed-policies", "aws:iam/role:Role", { assumeRolePolicy: "{}", managedPolicyArns: UNKNOWN_ARRAY }],
            ["ebs-encryption", "aws:ec2/spotInstanceRequest:SpotInstanceRequest", { ami: "ami-1", rootBlockDevice: { encrypted: UNKNOWN_BOOLEAN } }],
            ["subnet-no-public-ip-on-launch", "aws:ec2/subnet:Subnet", { vpcId: "vpc-1", mapPublicIpOnLaunch: UNKNOWN_BOOLEAN }],
            ["ebs-encryption-by-default", "aws:ebs/encryptionByDefault:EncryptionByDefault", { enabled: UNKNOWN_BOOLEAN }],
            [
                "s3-account-public-access-block",
                "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: UNKNOWN_BOOLEAN },
            ],
            ["sns-topic-kms", "aws:sns/topic:Topic", { name: "t", kmsMasterKeyId: UNKNOWN_STRING }],
            ["sqs-queue-encryption", "aws:sqs/queue:Queue", { name: "q", sqsManagedSseEnabled: UNKNOWN_BOOLEAN }],
            [
                "cloudtrail-trail",
                "aws:cloudtrail/trail:Trail",
                { s3BucketName: "b", isMultiRegionTrail: UNKNOWN_BOOLEAN, kmsKeyId: "arn:k", enableLogFileValidation: true },
            ],
            [
                "eks-node-group-remote-access",
                "aws:eks/nodeGroup:NodeGroup",
                { clusterName: "c", remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: UNKNOWN_ARRAY } },
            ],
            [
                "elb-classic-listener-tls",
                "aws:elb/loadBalancer:LoadBalancer",
                { listeners: [{ lbPort: 443, lbProtocol: UNKNOWN_STRING, instancePort: 80, instanceProtocol: "http" }] },
            ],
            [
                "alb-listener-tls",
                "aws:lb/listener:Listener",
                { port: UNKNOWN_NUMBER, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
            ],
            ["iam-no-privilege-escalation", "aws:iam/policy:Policy", { policy: UNKNOWN_STRING }],
            ["iam-github-oidc-pinned-subject", "aws:iam/role:Role", { assumeRolePolicy: UNKNOWN_STRING }],
            [
                "iam-no-wildcard-resource-data-actions",
                "aws:iam/policy:Policy",
                { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: UNKNOWN_STRING }] } },
            ],
        ];
        for (const [policy, type, props] of decisive) {
            it(`${policy} on ${type}`, () => {
                const outcome = evaluate(policy, [{ type, name: "r", urn: `urn:pulumi:t::p::${type}::r`, props }]);
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, true);
            });
        }

        it("a standalone rule whose security group cannot be resolved defers, rather than passing as not-default", () => {
            const vpc = {
                type: "aws:ec2/vpc:Vpc",
                name: "vpc",
                urn: "urn:pulumi:t::p::aws:ec2/vpc:Vpc::vpc",
                props: { id: "vpc-1", defaultSecurityGroupId: "sg-default" },
            };
            const defaultGroup = {
                type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                name: "d",
                urn: "urn:pulumi:t::p::aws:ec2/defaultSecurityGroup:DefaultSecurityGroup::d",
                props: { vpcId: "vpc-1", ingress: [], egress: [] },
            };
            const rule = {
                type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                name: "r",
                urn: "urn:pulumi:t::p::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::r",
                props: { securityGroupId: UNKNOWN_STRING, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8", description: "d" },
            };
            const outcome = evaluate("vpc-default-security-group-closed", [vpc, defaultGroup, rule]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.strictEqual(outcome.unknown, true);
        });

        it("stack rules defer on an unknown bucket policy, listener protocol or registry filter", () => {
            const bucket = {
                type: "aws:s3/bucket:Bucket",
                name: "b",
                urn: "urn:pulumi:t::p::aws:s3/bucket:Bucket::b",
                props: { bucket: "b", id: "b" },
            };
            const policy = {
                type: "aws:s3/bucketPolicy:BucketPolicy",
                name: "bp",
                urn: "urn:pulumi:t::p::aws:s3/bucketPolicy:BucketPolicy::bp",
                props: { bucket: "b", policy: UNKNOWN_STRING },
            };
            const tls = evaluate("s3-tls-only", [bucket, policy]);
            assert.deepStrictEqual(tls.violations, []);
            assert.strictEqual(tls.unknown, true);
            const listener = {
                type: "aws:lb/listener:Listener",
                name: "l",
                urn: "urn:pulumi:t::p::aws:lb/listener:Listener::l",
                props: { arn: "arn:l", port: 80, protocol: UNKNOWN_STRING },
            };
            const rule = {
                type: "aws:lb/listenerRule:ListenerRule",
                name: "r",
                urn: "urn:pulumi:t::p::aws:lb/listenerRule:ListenerRule::r",
                props: { listenerArn: "arn:l", actions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
            };
            const rules = evaluate("alb-http-listener-rules-redirect", [listener, rule]);
            assert.deepStrictEqual(rules.violations, []);
            assert.strictEqual(rules.unknown, true);
            const external = evaluate("alb-http-listener-rules-redirect", [rule]);
            assert.deepStrictEqual(external.violations, [], "a rule of a listener outside the stack is not judged as HTTP");
            assert.strictEqual(external.unknown, true, "...but it is not passed silently either");
        });

        it("a stack rule reports what it knows and defers the rest", () => {
            const known = { type: "aws:ec2/vpc:Vpc", name: "known", urn: "urn:pulumi:t::p::aws:ec2/vpc:Vpc::known", props: { id: "vpc-1" } };
            const unsure = {
                type: "aws:ec2/vpc:Vpc",
                name: "unsure",
                urn: "urn:pulumi:t::p::aws:ec2/vpc:Vpc::unsure",
                props: { id: UNKNOWN_STRING },
            };
            const flowLog = {
                type: "aws:ec2/flowLog:FlowLog",
                name: "f",
                urn: "urn:pulumi:t::p::aws:ec2/flowLog:FlowLog::f",
                props: { vpcId: "vpc-2" },
            };
            const outcome = evaluate("vpc-flow-logs", [known, unsure, flowLog]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [known.urn],
            );
            assert.strictEqual(outcome.unknown, true);
        });

        it("a node group's template with its metadata endpoint not known yet defers what would be a problem with it enabled", () => {
            for (const options of [
                { httpEndpoint: UNKNOWN_STRING },
                { httpEndpoint: UNKNOWN_STRING, httpTokens: "optional", httpPutResponseHopLimit: 1 },
            ]) {
                const outcome = evaluate("eks-node-group-imdsv2", nodeGroupWith(options));
                assert.deepStrictEqual([outcome.violations.map((v) => v.message), outcome.unknown], [[], true], JSON.stringify(options));
            }
            const clean = evaluate("eks-node-group-imdsv2", nodeGroupWith({ ...IMDSV2, httpEndpoint: UNKNOWN_STRING }));
            assert.deepStrictEqual([clean.violations, clean.unknown], [[], false], "no problem either way: nothing to defer");
        });
    });

    describe("odd values (null, a number, an empty object) never crash a rule", () => {
        for (const rule of allCases) {
            it(rule.policy, () => {
                for (const testCase of [...rule.good, ...rule.bad]) {
                    for (const odd of [null, 42, {}]) {
                        for (const variant of variants(testCase, () => odd)) {
                            assert.doesNotThrow(
                                () => evaluate(rule.policy, variant.resources, testCase.parameters),
                                `${JSON.stringify(odd)} at ${variant.where}`,
                            );
                        }
                    }
                }
            });
        }
    });

    describe('secrets hidden as "[secret]" never crash a rule', () => {
        for (const rule of allCases) {
            it(rule.policy, () => {
                for (const testCase of [...rule.good, ...rule.bad]) {
                    for (const variant of variants(testCase, (original) => (typeof original === "string" ? "[secret]" : original))) {
                        assert.doesNotThrow(() => evaluate(rule.policy, variant.resources, testCase.parameters), variant.where);
                    }
                }
            });
        }
    });
});
