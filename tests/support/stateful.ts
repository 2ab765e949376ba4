import * as path from "path";
import { ProgramRun } from "../../tools/run-program";
import { STATEFUL_TYPES } from "../../tools/stateful";

/** The stateful types (tools/stateful.ts), re-exported for the tests that import them from here. */
export { STATEFUL_TYPES };

/** Fixture stacks (`tests/fixtures/stacks`): the tier tests run these, never the stack files users edit. */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "..", "fixtures", "stacks");
export const FIXTURE_STACKS = ["dev", "staging", "prod"] as const;

/** The recorded URNs of the stateful resources of each fixture stack. */
export const STATEFUL_URNS_FILE = path.join(FIXTURE_STACKS_DIR, "stateful-urns.json");

export function statefulUrns(run: ProgramRun): string[] {
    const types: readonly string[] = STATEFUL_TYPES;
    return run.resources
        .filter((resource) => types.includes(resource.type))
        .map((resource) => resource.urn)
        .sort();
}
