import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allPolicies, resourcePolicies, stackPolicies } from "../../policy-pack/policies";
import { renderRuleTable } from "../../policy-pack/scripts/readme-table";
import { loadPackConfig, validatePackConfig } from "../../tools/policy-runner";
import { allCases } from "../fixtures/policy-cases";

/** The pack's shape: names, configs per stack, README table, generated type list, no pack construction outside index.ts. */

const PACK = path.join(__dirname, "..", "..", "policy-pack");
const read = (file: string) => fs.readFileSync(path.join(PACK, file), "utf8");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const taggable = require("../../policy-pack/scripts/taggable-types.js") as { taggableTypes(): string[]; render(tokens: string[]): string };

describe("policy pack", () => {
    it("has uniquely named policies, each resource or stack, each with a description and references", () => {
        const names = allPolicies.map((policy) => policy.name);
        assert.strictEqual(new Set(names).size, names.length);
        assert.strictEqual(resourcePolicies.length + stackPolicies.length, allPolicies.length);
        for (const policy of allPolicies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(policy.description.length > 20, policy.name);
            assert.ok(policy.resourceTypes.length > 0, policy.name);
            for (const id of policy.references.checkov) assert.match(id, /^CKV2?_AWS_\d+$/, policy.name);
            for (const id of [
                ...policy.references.securityHub,
                ...(policy.references.securityHubOther ?? []),
                ...(policy.references.securityHubRetired ?? []),
            ])
                assert.match(id, /^[A-Za-z][A-Za-z0-9]*\.\d+$/, policy.name);
        }
        assert.deepStrictEqual(stackPolicies.map((policy) => policy.name).sort(), [
            "alb-http-listener-rules-redirect",
            "alb-waf-protected",
            "asg-multi-az",
            "ecr-scan-on-push",
            "eks-node-group-imdsv2",
            "rds-tls-required",
            "s3-bucket-encryption",
            "s3-public-access-block",
            "s3-tls-only",
            "s3-versioning",
            "vpc-default-security-group-closed",
            "vpc-flow-logs",
        ]);
    });

    it("has violating and compliant cases for every policy", () => {
        for (const policy of allPolicies) {
            const cases = allCases.find((rule) => rule.policy === policy.name);
            assert.ok(cases && cases.good.length > 0 && cases.bad.length > 0, `cases for ${policy.name}`);
        }
    });

    describe("stack configs", () => {
        const names = allPolicies.map((policy) => policy.name).sort();
        for (const stack of ["dev", "staging", "prod"]) {
            it(`${stack}.json names every policy, with declared parameters of the right type`, () => {
                const config = validatePackConfig(JSON.parse(read(`config/${stack}.json`)), stack);
                assert.deepStrictEqual(Object.keys(config).sort(), names);
                for (const [name, entry] of Object.entries(config)) {
                    if (typeof entry === "string") continue;
                    const schema = allPolicies.find((policy) => policy.name === name)?.configSchema?.properties ?? {};
                    for (const [key, value] of Object.entries(entry)) {
                        if (key === "enforcementLevel") continue;
                        assert.ok(schema[key], `${stack}: ${name}.${key} is not a declared parameter`);
                        const type = (schema[key] as { type?: string }).type;
                        const actual = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
                        assert.strictEqual(actual, type, `${stack}: ${name}.${key}`);
                    }
                }
            });
        }

        it("prod makes every policy mandatory", () => {
            const config = loadPackConfig("prod");
            for (const policy of allPolicies) {
                const entry = config[policy.name];
                assert.strictEqual(typeof entry === "string" ? entry : entry.enforcementLevel, "mandatory", policy.name);
            }
        });

        it("dev relaxes public IPs, customer-managed KMS, deletion safety, single-AZ / single-node, WAF, rollback and monitoring extras; staging deletion safety, single-AZ and WAF", () => {
            const advisory = (stack: string) =>
                Object.entries(loadPackConfig(stack))
                    .filter(([, entry]) => (typeof entry === "string" ? entry : entry.enforcementLevel) === "advisory")
                    .map(([name]) => name)
                    .sort();
            assert.deepStrictEqual(advisory("dev"), [
                "alb-waf-protected",
                "asg-multi-az",
                "cloudwatch-alarm-actions",
                "ec2-imds-hop-limit",
                "ec2-no-public-ip",
                "ecr-kms",
                "ecs-no-public-ip",
                "ecs-service-circuit-breaker",
                "eks-control-plane-logging-complete",
                "eks-no-creator-admin-bootstrap",
                "elasticache-automatic-failover",
                "elasticache-kms",
                "lb-deletion-protection",
                "log-group-kms",
                "msk-enhanced-monitoring",
                "rds-deletion-safety",
                "rds-multi-az",
                "secrets-manager-kms",
            ]);
            // staging is single-node, single-AZ and unprotected by design (one cache node, a single-AZ database, a
            // destroyable load balancer), and turns the edge on without WAF.
            assert.deepStrictEqual(advisory("staging"), [
                "alb-waf-protected",
                "elasticache-automatic-failover",
                "lb-deletion-protection",
                "rds-deletion-safety",
                "rds-multi-az",
            ]);
        });
    });

    it("README's rule table is the one the metadata renders", () => {
        const readme = read("README.md");
        const start = readme.indexOf("-->", readme.indexOf("<!-- rule-table:start")) + "-->".length;
        const table = readme.slice(start, readme.indexOf("<!-- rule-table:end -->")).trim();
        assert.strictEqual(table, renderRuleTable());
        assert.match(readme, /pulumi preview -s dev {2}--policy-pack policy-pack --policy-pack-config policy-pack\/config\/dev\.json/);
    });

    it("the taggable type list matches the installed @pulumi/aws", () => {
        const tokens = taggable.taggableTypes();
        assert.ok(tokens.includes("aws:s3/bucket:Bucket") && tokens.includes("aws:ec2/vpc:Vpc"));
        assert.ok(!tokens.includes("aws:iam/rolePolicy:RolePolicy"), "role policies have no tags");
        assert.strictEqual(read("policies/taggable-types.ts"), taggable.render(tokens), "run: node policy-pack/scripts/taggable-types.js --write");
    });

    it("only index.ts constructs the PolicyPack, from the policies module", () => {
        const index = read("index.ts");
        assert.strictEqual(index.match(/new PolicyPack\(/g)?.length, 1);
        assert.match(index, /from "\.\/policies"/);
        for (const file of fs.readdirSync(path.join(PACK, "policies"))) {
            assert.ok(!/new PolicyPack\(/.test(read(`policies/${file}`)), file);
        }
        const yaml = read("PulumiPolicy.yaml");
        assert.match(yaml, /^runtime: nodejs$/m);
        const manifest = JSON.parse(read("package.json"));
        const root = JSON.parse(fs.readFileSync(path.join(PACK, "..", "package.json"), "utf8"));
        assert.deepStrictEqual(manifest.dependencies, { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": root.dependencies["@pulumi/pulumi"] });
    });
});
