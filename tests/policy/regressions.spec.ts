import * as assert from "assert";
import { allPolicies } from "../../policy-pack/policies";
import { T } from "../../policy-pack/policies/types";
import { eksIngressFixture } from "../fixtures/policy-cases";
import { UNKNOWN_STRING, evaluate, res } from "../fixtures/policy-harness";

/**
 * Findings from real data and reviews, pinned: the EKS false positive of
 * vpc-default-security-group-closed, one finding per world-open rule, legacy
 * type tokens, and the exceptions AWS itself documents.
 */

const SG_RULES = ["sg-world-ingress-public-ports-only", "sg-no-all-protocol-ingress", "sg-rule-descriptions", "sg-data-ports-group-reference-only"];
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("policy: regressions", () => {
    describe("vpc-default-security-group-closed compares real ids before property dependencies (EKS ingress rule)", () => {
        it("a rule on the cluster's group is not a rule on the default group, although its dependencies name the VPC", () => {
            const outcome = evaluate("vpc-default-security-group-closed", eksIngressFixture("sg-cluster"));
            assert.deepStrictEqual(outcome.violations, []);
            assert.strictEqual(outcome.unknown, false);
        });

        it('during a preview (group id unknown) the same dependencies give "cannot tell yet", not a violation', () => {
            const outcome = evaluate("vpc-default-security-group-closed", eksIngressFixture(UNKNOWN_STRING));
            assert.deepStrictEqual(outcome.violations, []);
            assert.strictEqual(outcome.unknown, true);
        });

        it("the same rule really on the VPC's default group is still reported", () => {
            const outcome = evaluate("vpc-default-security-group-closed", eksIngressFixture("sg-default"));
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.message),
                ["eks-cluster-ingress (SecurityGroupRule) adds a rule to a default security group."],
            );
        });
    });

    describe("one world-open security-group rule reads as one finding with its reasons", () => {
        const findingsOf = (resources: ReturnType<typeof res>[]) =>
            SG_RULES.flatMap((policy) => evaluate(policy, resources).violations.map((violation) => ({ policy, message: violation.message })));

        it("all traffic from 0.0.0.0/0: one sg-world-ingress-public-ports-only finding naming every ID", () => {
            const group = res(SG, "open", {
                vpcId: "vpc-1",
                description: "open",
                ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all" }],
            });
            const findings = findingsOf([group]);
            assert.deepStrictEqual(
                findings.map((finding) => finding.policy),
                ["sg-world-ingress-public-ports-only"],
            );
            for (const id of [
                "CKV_AWS_277",
                "CKV_AWS_24",
                "CKV_AWS_25",
                "EC2.18",
                "EC2.19",
                "EC2.53",
                "sg-no-all-protocol-ingress",
                "sg-data-ports-group-reference-only",
            ]) {
                assert.ok(findings[0].message.includes(id), `${id} in: ${findings[0].message}`);
            }
        });

        it("PostgreSQL from ::/0: one finding (restricted and data port), EC2.54 for IPv6", () => {
            const rule = res(INGRESS, "pg", {
                securityGroupId: "sg-1",
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrIpv6: "::/0",
                description: "pg",
            });
            const findings = findingsOf([rule]);
            assert.deepStrictEqual(
                findings.map((finding) => finding.policy),
                ["sg-world-ingress-public-ports-only"],
            );
            assert.match(
                findings[0].message,
                /restricted admin\/data port\(s\) 5432 .*\(EC2\.19\); data port\(s\) 5432 belong behind a security-group reference/,
            );
        });

        it("the narrower rules still report what is not world-open", () => {
            const vpcWide = res(SG, "vpc-wide", {
                vpcId: "vpc-1",
                description: "d",
                ingress: [
                    { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"], description: "all from the VPC" },
                    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"], description: "pg" },
                ],
            });
            assert.deepStrictEqual(
                findingsOf([vpcWide]).map((finding) => finding.policy),
                ["sg-no-all-protocol-ingress", "sg-data-ports-group-reference-only", "sg-data-ports-group-reference-only"],
            );
        });
    });

    describe("legacy type tokens are judged by the rules of their current forms", () => {
        const legacy = [
            "aws:s3/bucketV2:BucketV2",
            "aws:s3/bucketAclV2:BucketAclV2",
            "aws:s3/bucketVersioningV2:BucketVersioningV2",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "aws:alb/listener:Listener",
            "aws:alb/listenerRule:ListenerRule",
            "aws:applicationloadbalancing/listener:Listener",
            "aws:applicationloadbalancing/listenerRule:ListenerRule",
            "aws:elasticloadbalancingv2/listener:Listener",
            "aws:elasticloadbalancingv2/listenerRule:ListenerRule",
            "aws:elb/loadBalancer:LoadBalancer",
            "aws:elasticloadbalancing/loadBalancer:LoadBalancer",
            "aws:ec2/launchConfiguration:LaunchConfiguration",
        ];
        for (const token of legacy) {
            it(token, () => {
                assert.ok(
                    allPolicies.some((policy) => policy.resourceTypes.includes(token)),
                    `no rule reads ${token}`,
                );
            });
        }

        it("every alias of a listener, listener rule and classic load balancer is in types.ts", () => {
            assert.strictEqual(T.listener.length, 4);
            assert.strictEqual(T.listenerRule.length, 4);
            assert.strictEqual(T.classicLoadBalancer.length, 2);
        });
    });

    describe("exceptions a real AWS API documents are not violations", () => {
        it("a read replica skips its final snapshot (AWS takes none of a replica)", () => {
            const replica = res("aws:rds/instance:Instance", "replica", {
                replicateSourceDb: "db-main",
                deletionProtection: true,
                skipFinalSnapshot: true,
                backupRetentionPeriod: 0,
                instanceClass: "db.t4g.micro",
            });
            assert.deepStrictEqual(evaluate("rds-deletion-safety", [replica], { requireFinalSnapshot: true }).violations, []);
            assert.deepStrictEqual(evaluate("rds-backup-retention", [replica]).violations, []);
        });

        it("a primary instance skipping its final snapshot is still reported", () => {
            const primary = res("aws:rds/instance:Instance", "primary", {
                deletionProtection: true,
                skipFinalSnapshot: true,
                instanceClass: "db.t4g.micro",
            });
            assert.match(evaluate("rds-deletion-safety", [primary]).violations[0].message, /skips the final snapshot/);
        });

        it("registry-level scanning covers a repository without scanOnPush; an unknown filter defers", () => {
            const repository = res("aws:ecr/repository:Repository", "apps", { name: "dev-apps" });
            const registry = (filter: string) =>
                res("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration", "registry", {
                    scanType: "ENHANCED",
                    rules: [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter, filterType: "WILDCARD" }] }],
                });
            assert.deepStrictEqual(evaluate("ecr-scan-on-push", [repository, registry("dev-*")]).violations, []);
            const unknown = evaluate("ecr-scan-on-push", [repository, registry(UNKNOWN_STRING)]);
            assert.deepStrictEqual(unknown.violations, []);
            assert.strictEqual(unknown.unknown, true);
        });
    });
});
