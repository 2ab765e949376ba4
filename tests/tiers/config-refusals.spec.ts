import * as assert from "assert";
import { ConfigError } from "../../components/config";
import { allowedNamespaces, environmentWarning, providerConfigKeys } from "../../components/config/load";
import { configErrorFor, configWith } from "../support/helpers";

/**
 * Keys nobody would read are refused before any resource exists, each problem naming the key:
 * unknown namespaces, provider keys the provider does not have, dotted keys (stored flat by
 * Pulumi), and admin CIDRs whose host bits are set.
 */

function problemFor(error: ConfigError, key: string) {
    const problem = error.problems.find((p) => p.key === key);
    assert.ok(problem, `no problem for ${key}; got:\n${error.message}`);
    assert.ok(error.message.includes(key), "the message names the key");
    return problem;
}

describe("stack config refusals", () => {
    const cases: { name: string; edits: Record<string, unknown>; key: string; message: RegExp }[] = [
        {
            name: "a key in a misspelt namespace (it would silently drop the monitoring host)",
            edits: { "data-platfrom:monitoring": true },
            key: "data-platfrom:monitoring",
            message: /unknown namespace "data-platfrom".*did you mean data-platform:monitoring\?.*allowed namespaces: data-platform .*aws .*pulumi/,
        },
        { name: "a key in a namespace nothing reads", edits: { "acme:owner": "me" }, key: "acme:owner", message: /unknown namespace "acme"/ },
        {
            name: "a namespace of a package without config (random)",
            edits: { "random:seed": "1" },
            key: "random:seed",
            message: /unknown namespace "random"/,
        },
        {
            name: "an aws key the provider does not have",
            edits: { "aws:regoin": "us-east-2" },
            key: "aws:regoin",
            message: /unknown key of the aws provider; did you mean aws:region\?.*skipCredentialsValidation/,
        },
        {
            name: "a dotted data-platform key",
            edits: { "data-platform:network.natGateways": "single" },
            key: "data-platform:network.natGateways",
            message:
                /dotted key .*"network\.natGateways".*nest it under data-platform:network .*pulumi config set --path 'data-platform:network\.natGateways'/,
        },
        {
            name: "a dotted key with an index",
            edits: { "data-platform:network.publicSubnetCidrs[0]": "10.0.1.0/24" },
            key: "data-platform:network.publicSubnetCidrs[0]",
            message: /nest it under data-platform:network/,
        },
        {
            name: "a dotted aws key",
            edits: { "aws:defaultTags.tags": '{"Owner":"me"}' },
            key: "aws:defaultTags.tags",
            message: /nest it under aws:defaultTags/,
        },
        {
            name: "an IPv4 admin CIDR with host bits set, saying the network address",
            edits: { "data-platform:access": { adminCidrs: ["203.0.113.5/24"] } },
            key: "data-platform:access.adminCidrs[0]",
            message: /host bits are set: the network address is 203\.0\.113\.0\/24.*write 203\.0\.113\.0\/24 \(or \/32 for the one host\)/,
        },
        {
            name: "an IPv6 admin CIDR with host bits set",
            edits: { "data-platform:access": { adminCidrs: ["2001:db8::1/48"] } },
            key: "data-platform:access.adminCidrs[0]",
            message: /network address is 2001:db8::\/48/,
        },
    ];
    for (const { name, edits, key, message } of cases) {
        it(`refuses ${name}`, () => {
            const problem = problemFor(configErrorFor("dev", edits), key);
            assert.match(problem.message, message);
        });
    }

    it("reports every problem at once, namespace and schema alike", () => {
        const error = configErrorFor("dev", { "aws:regoin": "x", "data-platform:network": { natGateway: "single" } });
        assert.deepStrictEqual(error.problems.map((p) => p.key).sort(), ["aws:regoin", "data-platform:network.natGateway"]);
    });

    it("takes what Pulumi and the providers really read", () => {
        const config = configWith("dev", {
            "aws:profile": "work",
            "aws:defaultTags": '{"tags":{"Owner":"me"}}',
            "aws:skipCredentialsValidation": "true",
            "pulumi:disable-default-providers": '["kubernetes"]',
            "pulumi:tags": '{"team":"data"}',
            "data-platform:access": { adminCidrs: ["203.0.113.5/32", "2001:db8::/48"] },
        });
        assert.deepStrictEqual(config.access.adminCidrs, ["203.0.113.5/32", "2001:db8::/48"]);
    });

    it("reads the provider's own key list from the installed @pulumi/aws", () => {
        const keys = providerConfigKeys("aws") ?? [];
        for (const key of ["region", "profile", "defaultTags", "assumeRoles", "skipCredentialsValidation"]) assert.ok(keys.includes(key), key);
        assert.ok(!keys.includes("regoin"));
        assert.deepStrictEqual(
            allowedNamespaces()
                .map((n) => n.namespace)
                .filter((n) => ["data-platform", "aws", "pulumi"].includes(n)),
            ["data-platform", "aws", "pulumi"],
        );
    });

    describe("environment and stack name", () => {
        it("says nothing when they match", () => assert.strictEqual(environmentWarning("dev", "dev"), undefined));

        it("warns that physical names would collide, and says what to set", () => {
            const warning = environmentWarning("dev", "mine") ?? "";
            assert.match(
                warning,
                /environment is "dev" but the stack is "mine": physical names such as dev-app-secrets .*collide.*set data-platform:environment: mine/,
            );
        });

        it("does not suggest an environment the schema would refuse", () => {
            assert.match(environmentWarning("dev", "My_Stack") ?? "", /give this stack an environment of its own/);
        });
    });
});
