import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DeploymentResource, Violation } from "../../tools/deployment";
import { PackConfigError, levelOf, loadPackConfig, runPolicies, validatePackConfig } from "../../tools/policy-runner";
import { ROOT_DIR } from "../../tools/run-program";
import { policyNamed, UNKNOWN_BOOLEAN } from "../fixtures/policy-harness";

/** The offline runner over `pulumi stack export` files (tests/fixtures/stack-export*.json). */

const FIXTURES = path.join(__dirname, "..", "fixtures");

function exported(file: string): DeploymentResource[] {
    const document = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
    return document.deployment.resources.map((resource: DeploymentResource) => ({
        ...resource,
        inputs: resource.inputs ?? {},
        outputs: resource.outputs ?? {},
        dependencies: resource.dependencies ?? [],
    }));
}

const summary = (violations: readonly Violation[]) =>
    violations.map((violation) => `${violation.enforcementLevel} ${violation.policy} ${violation.urn?.split("::").pop() ?? "-"}`).sort();

const URN = "urn:pulumi:prod::data-platform::";

describe("policy runner", () => {
    describe("over an exported stack state", () => {
        it("reports exactly the problems in the fixture under the prod config", () => {
            const violations = runPolicies(exported("stack-export.json"), loadPackConfig("prod"), "prod");
            assert.deepStrictEqual(summary(violations), [
                "mandatory iam-no-wildcard-resource-data-actions prod-identity-task-read",
                "mandatory s3-bucket-encryption prod-data-lake-logs",
                "mandatory s3-public-access-block prod-data-lake-logs",
                "mandatory s3-tls-only prod-data-lake-logs",
                "mandatory s3-versioning prod-data-lake-logs",
                "mandatory secrets-manager-kms prod-secrets-app",
                "mandatory secrets-recovery-window prod-secrets-app",
                "mandatory sg-world-ingress-public-ports-only prod-firewall-web-in-ssh",
            ]);
            const ssh = violations.find((violation) => violation.policy === "sg-world-ingress-public-ports-only");
            assert.deepStrictEqual(ssh, {
                policy: "sg-world-ingress-public-ports-only",
                enforcementLevel: "mandatory",
                urn: `${URN}aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::prod-firewall-web-in-ssh`,
                message:
                    "prod-firewall-web-in-ssh (SecurityGroupIngressRule) opens port 22 to the internet (from 0.0.0.0/0): only TCP/UDP ports 80, 443 may be world-open (EC2.18); restricted admin/data port(s) 22 are never world-open, even when listed as public (CKV_AWS_24, EC2.19, EC2.53).",
            });
            const tls = violations.find((violation) => violation.policy === "s3-tls-only");
            assert.deepStrictEqual(tls, {
                policy: "s3-tls-only",
                enforcementLevel: "mandatory",
                urn: `${URN}aws:s3/bucket:Bucket::prod-data-lake-logs`,
                message:
                    'prod-data-lake-logs (Bucket) has no bucket policy denying requests without TLS (Deny s3:* to Principal "*" when aws:SecureTransport is "false", on the bucket and its objects).',
            });
        });

        it("uses the stack's levels: dev makes customer-managed KMS on secrets advisory", () => {
            const violations = runPolicies(exported("stack-export.json"), loadPackConfig("dev"), "dev");
            const kms = violations.filter((violation) => violation.policy === "secrets-manager-kms");
            assert.deepStrictEqual(
                kms.map((violation) => violation.enforcementLevel),
                ["advisory"],
            );
            // dev also allows the export's immediate secret deletion (allowImmediateDeletion): 7 under prod's levels, 6 here.
            assert.strictEqual(violations.filter((violation) => violation.enforcementLevel === "mandatory").length, 6);
            assert.deepStrictEqual(
                violations.filter((violation) => violation.policy === "secrets-recovery-window"),
                [],
            );
        });

        it("finds nothing in the clean export under every stack's config", () => {
            for (const stack of ["dev", "staging", "prod"]) {
                assert.deepStrictEqual(runPolicies(exported("stack-export-clean.json"), loadPackConfig(stack), stack), [], stack);
            }
        });

        it("treats an encrypted export secret as a present auth token, and its absence as a violation", () => {
            const resources = exported("stack-export-clean.json");
            const cache = resources.find((resource) => resource.type === "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.ok(cache && typeof cache.inputs.authToken === "object", "fixture keeps the export's secret envelope");
            const { authToken: _token, ...withoutToken } = cache.inputs;
            const edited = resources.map((resource) => (resource === cache ? { ...resource, inputs: withoutToken } : resource));
            assert.deepStrictEqual(summary(runPolicies(edited, loadPackConfig("prod"), "prod")), [
                "mandatory elasticache-encryption prod-cache-redis",
            ]);
        });

        it("reads a --show-secrets export secret's plaintext", () => {
            const resources = exported("stack-export-clean.json");
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
            const shown = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(policy) };
            const edited = resources.map((resource) =>
                resource.type === "aws:iam/rolePolicy:RolePolicy" ? { ...resource, inputs: { ...resource.inputs, policy: shown } } : resource,
            );
            const found = summary(runPolicies(edited, loadPackConfig("prod"), "prod"));
            assert.ok(found.includes("mandatory iam-no-wildcard-actions prod-network-flow-logs-delivery"), found.join("\n"));
        });
    });

    describe("engine semantics", () => {
        const volume = (props: Record<string, unknown>): DeploymentResource => ({
            urn: `${URN}aws:ebs/volume:Volume::data`,
            type: "aws:ebs/volume:Volume",
            custom: true,
            inputs: { availabilityZone: "us-east-2a", tags: { Environment: "prod", Project: "p", ManagedBy: "pulumi" }, ...props },
            outputs: {},
            dependencies: [],
        });

        it('an unknown decisive value becomes an advisory "cannot tell yet", as the engine reports it', () => {
            const violations = runPolicies([volume({ encrypted: UNKNOWN_BOOLEAN })], loadPackConfig("prod"), "prod");
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].policy, "ebs-encryption");
            assert.strictEqual(violations[0].enforcementLevel, "advisory");
            assert.match(violations[0].message, /^cannot tell yet: .*encrypted/);
        });

        it('"disabled" skips a policy, "all" sets the default, "remediate" reports as mandatory', () => {
            const resources = [volume({})];
            assert.deepStrictEqual(runPolicies(resources, { "ebs-encryption": "disabled" }, "t"), []);
            assert.deepStrictEqual(summary(runPolicies(resources, { all: "advisory" }, "t")), ["advisory ebs-encryption data"]);
            assert.deepStrictEqual(summary(runPolicies(resources, { "ebs-encryption": "remediate" }, "t")), ["mandatory ebs-encryption data"]);
            assert.deepStrictEqual(summary(runPolicies(resources, {}, "t")), ["mandatory ebs-encryption data"], "the pack's own default");
        });

        it("passes a policy's parameters from the config", () => {
            const group: DeploymentResource = {
                urn: `${URN}aws:cloudwatch/logGroup:LogGroup::app`,
                type: "aws:cloudwatch/logGroup:LogGroup",
                custom: true,
                inputs: { retentionInDays: 14, kmsKeyId: "arn:k", tags: { Environment: "prod", Project: "p", ManagedBy: "pulumi" } },
                outputs: {},
                dependencies: [],
            };
            assert.deepStrictEqual(runPolicies([group], { "log-group-retention": { enforcementLevel: "mandatory", minRetentionDays: 7 } }, "t"), []);
            assert.deepStrictEqual(
                summary(runPolicies([group], { "log-group-retention": { enforcementLevel: "mandatory", minRetentionDays: 30 } }, "t")),
                ["mandatory log-group-retention app"],
            );
        });

        it("stack policies see outputs when a state file kept no inputs", () => {
            const bucket: DeploymentResource = {
                urn: `${URN}aws:s3/bucket:Bucket::imported`,
                type: "aws:s3/bucket:Bucket",
                custom: true,
                id: "imported-1",
                inputs: {},
                outputs: { bucket: "imported-1", versioning: { enabled: true }, tags: { Environment: "prod", Project: "p", ManagedBy: "pulumi" } },
                dependencies: [],
            };
            const found = summary(runPolicies([bucket], loadPackConfig("prod"), "prod"));
            assert.ok(!found.some((item) => item.includes("s3-versioning")), found.join("\n"));
            assert.ok(found.includes("mandatory s3-public-access-block imported"), found.join("\n"));
        });
    });

    describe("pack configs", () => {
        it("loadPackConfig names the stacks that have one when asked for another", () => {
            assert.throws(
                () => loadPackConfig("qa"),
                (error: Error) => {
                    const listed = /no pack config for stack "qa".*stacks with one: (.*)$/.exec(error.message)?.[1] ?? "";
                    const expected = fs
                        .readdirSync(path.join(ROOT_DIR, "policy-pack", "config"))
                        .map((file) => file.replace(/\.json$/, ""))
                        .sort();
                    return error instanceof PackConfigError && listed.split(", ").sort().join() === expected.join();
                },
            );
        });

        it("rejects unknown policies and levels", () => {
            assert.throws(() => validatePackConfig({ "no-such-rule": "mandatory" }, "x.json"), /unknown policy "no-such-rule"/);
            assert.throws(
                () => validatePackConfig({ "ebs-encryption": "strict" }, "x.json"),
                /enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled/,
            );
            assert.throws(() => validatePackConfig([], "x.json"), /JSON object/);
        });

        it('levelOf follows policy entry, then "all", then the policy default', () => {
            const policy = policyNamed("log-group-kms");
            assert.strictEqual(levelOf(policy, {}), "advisory");
            assert.strictEqual(levelOf(policy, { all: "mandatory" }), "mandatory");
            assert.strictEqual(levelOf(policy, { all: "mandatory", "log-group-kms": { enforcementLevel: "disabled" } }), "disabled");
        });
    });
});
