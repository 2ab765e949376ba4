import * as assert from "assert";
import * as fs from "fs";
import { DESCRIPTIONS, README_PATH, configKeys } from "../tools/config-reference";
import { generatedSections, readSection } from "../tools/docs";

describe("README generated sections", () => {
    it("describes every key of the config schema", () => {
        const missing = configKeys().map((key) => key.path).filter((key) => !DESCRIPTIONS[key]);
        assert.deepStrictEqual(missing, [], "add a description in tools/config-reference.ts");
    });

    it("has no description for a key that no longer exists", () => {
        const keys = new Set(configKeys().map((key) => key.path));
        assert.deepStrictEqual(Object.keys(DESCRIPTIONS).filter((key) => !keys.has(key)), []);
    });

    it("match the schema, the stack files and the cost estimate (run `npm run docs` to refresh)", async () => {
        const readme = fs.readFileSync(README_PATH, "utf8");
        for (const [name, content] of Object.entries(await generatedSections())) {
            assert.strictEqual(readSection(readme, name), content, `README section ${name} is stale: run npm run docs`);
        }
    });
});
