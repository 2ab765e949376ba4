import * as assert from "assert";
import * as fs from "fs";
import { runStack } from "../support/helpers";
import { FIXTURE_STACKS, STATEFUL_URNS_FILE, statefulUrns } from "../support/stateful";

const RECORD = "node -r ./tools/ts-register.js tests/support/record-stateful-urns.ts";

describe("stateful resources keep their URNs (a new URN makes Pulumi replace the resource and lose its data)", () => {
    const recorded = JSON.parse(fs.readFileSync(STATEFUL_URNS_FILE, "utf8")) as Record<string, string[]>;

    for (const stack of FIXTURE_STACKS) {
        it(`fixture stack ${stack}: every recorded stateful URN is still built, and every new one is recorded`, async () => {
            const current = statefulUrns(await runStack(stack));
            const gone = recorded[stack].filter((urn) => !current.includes(urn));
            const added = current.filter((urn) => !recorded[stack].includes(urn));
            assert.deepStrictEqual(
                gone,
                [],
                `these URNs are no longer built, so \`pulumi up\` would replace or delete them: ${gone.join(", ")}.` +
                    " Restore the component type and logical name, or add `aliases` to the renamed resource.",
            );
            assert.deepStrictEqual(
                added,
                [],
                `new stateful resources: ${added.join(", ")}; record them with \`${RECORD}\` so a later rename is caught`,
            );
        });
    }
});
