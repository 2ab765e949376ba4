import * as assert from "assert";
import * as fs from "fs";
import { README_PATH, configKeys } from "../../tools/config-reference";
import { generatedSections, readSection } from "../../tools/docs";
import { renderConfigReference } from "../../tools/config-reference";

describe("README generated sections", () => {
    it("every config key has a description in its tier's section (`.describe()`)", () => {
        const missing = configKeys()
            .filter((key) => !key.description)
            .map((key) => key.path);
        assert.deepStrictEqual(missing, [], "add .describe() to these keys in their tier's config.ts");
    });

    it("every config key is required or has a default, except the optional keys whose absence the description explains", () => {
        const optional = configKeys()
            .filter((key) => !key.required && key.defaultValue === undefined)
            .map((key) => key.path);
        // The keys meant to be optional without a default: a user value, or a default chosen per engine or by AWS.
        assert.deepStrictEqual(optional.sort(), [
            "access.sshPublicKey",
            "audit.alertEmail",
            "budget.monthlyUsd",
            "cache.engineVersion",
            "cache.maintenanceWindow",
            "cache.snapshotWindow",
            "database.engineVersion",
            "edge.domain",
            "edge.hostedZoneId",
            "eks.adminRoleArn",
        ]);
        const keys = new Map(configKeys().map((key) => [key.path, key]));
        for (const path of optional) {
            // What an unset key means: a default chosen elsewhere, nothing built, or required only with another key.
            assert.match(
                keys.get(path)?.description ?? "",
                /when set|default|required|unset|without it/i,
                `${path}: say what leaving it unset means`,
            );
        }
    });

    it("lists every section of the schema, nested keys with their full path", () => {
        const paths = configKeys().map((key) => key.path);
        for (const path of [
            "aws:region",
            "network.flowLogs.retentionDays",
            "containers.dataProcessing",
            "hosts.monitoringInstanceType",
            "kubernetes",
        ]) {
            assert.ok(paths.includes(path), `${path} missing from ${paths.join(", ")}`);
        }
    });

    it("shows no per-stack value for the user's own keys, so editing them keeps the docs current", () => {
        const adminRow = renderConfigReference()
            .split("\n")
            .find((row) => row.startsWith("| `access.adminCidrs`"));
        assert.ok(adminRow, "no access.adminCidrs row");
        const stackCells = adminRow.split(" | ").slice(3, 6);
        assert.deepStrictEqual(stackCells, ["yours", "yours", "yours"], `the adminCidrs row shows per-stack values: ${adminRow}`);
    });

    it("match the schema, the stack files and the cost estimate (run `npm run docs` to refresh)", async () => {
        const readme = fs.readFileSync(README_PATH, "utf8");
        for (const [name, content] of Object.entries(await generatedSections())) {
            // One line, no diff: a user who edited a stack file needs only the command.
            if (readSection(readme, name) !== content) assert.fail(`README section "${name}" is stale: run \`npm run docs\` to refresh it`);
        }
    });
});
