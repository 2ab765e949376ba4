/**
 * Records the stateful URNs of the fixture stacks in tests/fixtures/stacks/stateful-urns.json.
 * Run it only when a URN change is intended and safe (a new resource, or a rename that carries an alias):
 *   node -r ./tools/ts-register.js tests/support/record-stateful-urns.ts
 */
import * as fs from "fs";
import { runStackFile } from "../../tools/stack-files";
import { FIXTURE_STACKS, FIXTURE_STACKS_DIR, STATEFUL_URNS_FILE, statefulUrns } from "./stateful";

async function main(): Promise<void> {
    const recorded: Record<string, string[]> = {};
    for (const stack of FIXTURE_STACKS) recorded[stack] = statefulUrns(await runStackFile(stack, FIXTURE_STACKS_DIR));
    fs.writeFileSync(STATEFUL_URNS_FILE, `${JSON.stringify(recorded, null, 2)}\n`);
    console.log(`wrote ${STATEFUL_URNS_FILE}: ${Object.values(recorded).reduce((sum, urns) => sum + urns.length, 0)} URNs`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
