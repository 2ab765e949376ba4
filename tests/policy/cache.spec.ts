import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Cache } from "../../components/cache/cache";
import { CacheConfig, cacheSchema } from "../../components/cache/config";
import { Naming } from "../../components/shared/naming";
import { cachePolicies } from "../../policy-pack/policies/cache";
import { toDeploymentResources } from "../../tools/deployment";
import { STRICTEST_CONFIG, runPolicies } from "../../tools/policy-runner";
import { runProgram } from "../../tools/run-program";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING, describeCases, evaluate, res } from "../fixtures/policy-harness";
import { CACHE_CLUSTER, CACHE_GOOD_GROUP, CACHE_GROUP, MEMCACHED, STANDALONE_REDIS, cacheCases } from "../fixtures/policy-cases";

async function cacheResources(config: CacheConfig, protect: boolean) {
    return toDeploymentResources(
        await runProgram({
            stack: "test",
            config: { "aws:region": "us-east-2" },
            program: () => {
                new Cache("t-cache", {
                    naming: new Naming("test"),
                    config,
                    protect,
                    subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                    securityGroupId: "sg-0cache00000000001",
                    authToken: pulumi.secret("Tk9!&#^<>-aZ".repeat(5) + "q7W2"),
                    keys: {
                        cache: "arn:aws:kms:us-east-2:123456789012:key/33333333-3333-4333-a333-333333333333",
                        logs: "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222",
                    },
                    logRetentionDays: 30,
                });
            },
        }),
    );
}

describe("policy: cache rules", () => {
    describeCases(cacheCases);

    it("has compliant and violating cases for every cache rule, each rule with references", () => {
        for (const policy of cachePolicies) {
            const cases = cacheCases.find((rule) => rule.policy === policy.name);
            assert.ok(cases && cases.good.length > 0 && cases.bad.length > 0, policy.name);
            assert.ok(policy.resourceTypes.length > 0, policy.name);
        }
        assert.deepStrictEqual(
            cachePolicies.map((policy) => [policy.name, policy.enforcementLevel, policy.references.securityHub, policy.references.checkov]),
            [
                ["elasticache-backups", "mandatory", ["ElastiCache.1"], ["CKV_AWS_134"]],
                ["elasticache-auto-minor-version-upgrade", "mandatory", ["ElastiCache.2"], ["CKV_AWS_322"]],
                ["elasticache-automatic-failover", "advisory", ["ElastiCache.3"], ["CKV2_AWS_50"]],
                ["elasticache-kms", "advisory", [], ["CKV_AWS_191"]],
                ["elasticache-subnet-group", "mandatory", ["ElastiCache.7"], ["CKV_AWS_323"]],
                ["elasticache-cluster-encryption", "mandatory", [], []],
            ],
        );
    });

    describe('the decisive property unknown gives "cannot tell yet", not a pass', () => {
        const decisive: [string, string, Record<string, unknown>][] = [
            ["elasticache-backups", CACHE_GROUP, { ...CACHE_GOOD_GROUP, snapshotRetentionLimit: UNKNOWN_NUMBER }],
            ["elasticache-backups", CACHE_CLUSTER, { ...STANDALONE_REDIS, engine: UNKNOWN_STRING }],
            ["elasticache-backups", CACHE_CLUSTER, { ...STANDALONE_REDIS, replicationGroupId: UNKNOWN_STRING }],
            ["elasticache-auto-minor-version-upgrade", CACHE_GROUP, { ...CACHE_GOOD_GROUP, autoMinorVersionUpgrade: UNKNOWN_BOOLEAN }],
            ["elasticache-automatic-failover", CACHE_GROUP, { ...CACHE_GOOD_GROUP, automaticFailoverEnabled: UNKNOWN_BOOLEAN }],
            ["elasticache-automatic-failover", CACHE_GROUP, { ...CACHE_GOOD_GROUP, multiAzEnabled: UNKNOWN_BOOLEAN }],
            ["elasticache-kms", CACHE_GROUP, { ...CACHE_GOOD_GROUP, kmsKeyId: UNKNOWN_STRING }],
            ["elasticache-subnet-group", CACHE_GROUP, { ...CACHE_GOOD_GROUP, subnetGroupName: UNKNOWN_STRING }],
            ["elasticache-cluster-encryption", CACHE_CLUSTER, { ...MEMCACHED, transitEncryptionEnabled: UNKNOWN_BOOLEAN }],
            ["elasticache-cluster-encryption", CACHE_CLUSTER, { ...STANDALONE_REDIS, replicationGroupId: UNKNOWN_STRING }],
            ["elasticache-cluster-encryption", CACHE_CLUSTER, { engine: UNKNOWN_STRING }],
        ];
        for (const [policy, type, props] of decisive) {
            const sentinels: unknown[] = [UNKNOWN_STRING, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER];
            const unknownKey = Object.keys(props).find((key) => sentinels.includes(props[key]));
            it(`${policy} on ${type.split(":").pop()} with ${unknownKey} unknown`, () => {
                const outcome = evaluate(policy, [{ type, name: "r", urn: `urn:pulumi:t::p::${type}::r`, props }]);
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, true);
            });
        }

        it("an unknown user-group list with no token is undetermined for elasticache-encryption too (the existing rule)", () => {
            const { authToken: _token, ...noToken } = CACHE_GOOD_GROUP;
            const outcome = evaluate("elasticache-encryption", [res(CACHE_GROUP, "subject", { ...noToken, userGroupIds: UNKNOWN_ARRAY })]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.strictEqual(outcome.unknown, true);
        });
    });

    describe("the cache tier's own resources pass the whole pack at its strictest", () => {
        it("prod-like (2 nodes, failover, Multi-AZ, protected): no violation of any rule", async () => {
            const config = cacheSchema.parse({
                enabled: true,
                nodeType: "cache.r7g.large",
                nodes: 2,
                automaticFailover: true,
                multiAz: true,
                snapshotRetentionDays: 30,
            });
            const violations = runPolicies(await cacheResources(config, true), STRICTEST_CONFIG, "test");
            assert.deepStrictEqual(
                violations.map((violation) => `${violation.policy}: ${violation.message}`),
                [],
            );
        });

        it("staging-like (1 small Graviton node): only the failover rule speaks, and only because one node cannot fail over", async () => {
            const config = cacheSchema.parse({ enabled: true, engine: "valkey", nodeType: "cache.t4g.small", nodes: 1, snapshotRetentionDays: 7 });
            const violations = runPolicies(await cacheResources(config, false), STRICTEST_CONFIG, "test");
            assert.deepStrictEqual(
                violations.map((violation) => violation.policy),
                ["elasticache-automatic-failover"],
            );
            assert.ok(violations.every((violation) => /with 1 node/.test(violation.message)));
        });
    });
});
