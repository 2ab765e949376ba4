import * as assert from "assert";
import * as fs from "fs";
import { DESCRIPTIONS, README_PATH, configKeys, readmeSection, renderConfigReference } from "../tools/config-reference";

describe("README config reference", () => {
    it("describes every key of the config schema", () => {
        const missing = configKeys().map((key) => key.path).filter((key) => !DESCRIPTIONS[key]);
        assert.deepStrictEqual(missing, [], "add a description in tools/config-reference.ts");
    });

    it("has no description for a key that no longer exists", () => {
        const keys = new Set(configKeys().map((key) => key.path));
        assert.deepStrictEqual(Object.keys(DESCRIPTIONS).filter((key) => !keys.has(key)), []);
    });

    it("matches the schema and the stack files (run `npm run docs` to refresh)", () => {
        const section = readmeSection(fs.readFileSync(README_PATH, "utf8"));
        assert.strictEqual(section, renderConfigReference());
    });
});
