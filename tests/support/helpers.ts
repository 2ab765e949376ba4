import * as assert from "assert";
import { ConfigError, StackConfig, parseStackConfig } from "../../components/config";
import { RecordedResource, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun, ROOT_DIR, runProgram } from "../../tools/run-program";
import { StackFile, readStackFile, runStackFile, stackNames } from "../../tools/stack-files";
import { FIXTURE_STACKS, FIXTURE_STACKS_DIR } from "./stateful";

/**
 * Shared test helpers. Tier tests run the fixture stacks (`tests/fixtures/stacks`), never the
 * `Pulumi.<stack>.yaml` files at the root that users are told to edit; only `tests/stacks.spec.ts`
 * runs those. Running the program takes about a second, so each stack's unmodified run is cached
 * for the whole process (a mocha worker runs many spec files).
 */

/** The fixture stacks, named like the shipped ones. */
export const STACKS = FIXTURE_STACKS;
export type StackName = (typeof STACKS)[number];

const fixtureRuns = new Map<string, Promise<ProgramRun>>();
const shippedRuns = new Map<string, Promise<ProgramRun>>();

let queue: Promise<unknown> = Promise.resolve();

/** Runs `run` after every run started before it: the mock runtime is process-wide, one program at a time. */
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
}

function cached(cache: Map<string, Promise<ProgramRun>>, stack: string, run: () => Promise<ProgramRun>): Promise<ProgramRun> {
    let result = cache.get(stack);
    if (!result) {
        result = oneAtATime(run);
        cache.set(stack, result);
    }
    return result;
}

/** Runs `index.ts` for a fixture stack under the mock cloud (cached). */
export function runStack(stack: string): Promise<ProgramRun> {
    return cached(fixtureRuns, stack, () => runStackFile(stack, FIXTURE_STACKS_DIR));
}

/** The fixture stack file `tests/fixtures/stacks/Pulumi.<stack>.yaml`, flattened as Pulumi hands it to the program. */
export function fixtureStack(stack: string): StackFile {
    return readStackFile(stack, FIXTURE_STACKS_DIR);
}

/** A fixture stack's parsed config (defaults applied). */
export function fixtureConfig(stack: string): StackConfig {
    return parseStackConfig(fixtureStack(stack).config);
}

/** The stacks shipped at the repository root (whatever a user has made of them). */
export function shippedStacks(): string[] {
    return stackNames(ROOT_DIR);
}

/** Runs a stack file at the repository root, as a user has edited it (cached). */
export function runShippedStack(stack: string): Promise<ProgramRun> {
    return cached(shippedRuns, stack, () => runStackFile(stack, ROOT_DIR));
}

/**
 * Runs a fixture stack with config edits applied: `edits` maps `namespace:key` to a
 * value (objects are merged one level deep into the file's value; `undefined` deletes).
 */
export async function runStackWith(stack: string, edits: Record<string, unknown>): Promise<ProgramRun> {
    const file = fixtureStack(stack);
    const config = editConfig(file.config, edits);
    return oneAtATime(() => runProgram({ stack, config, secretKeys: file.secretKeys }));
}

/**
 * `config` with `edits` applied (see {@link runStackWith}). Fails when an edit cannot apply:
 * deleting a key (or a nested key) the config does not have, or merging fields into a value
 * that is not an object.
 */
export function editConfig(config: Record<string, string>, edits: Record<string, unknown>): Record<string, string> {
    const result = { ...config };
    for (const [key, value] of Object.entries(edits)) {
        if (value === undefined) {
            assert.ok(key in result, `edit deletes ${key}, which the config does not have (keys: ${Object.keys(result).join(", ")})`);
            delete result[key];
            continue;
        }
        const current = result[key] !== undefined ? tryJson(result[key]) : undefined;
        let merged = value;
        if (isPlainObject(value) && current !== undefined) {
            assert.ok(isPlainObject(current), `edit merges fields into ${key}, whose value ${JSON.stringify(current)} is not an object`);
            for (const [field, fieldValue] of Object.entries(value)) {
                if (fieldValue === undefined) assert.ok(field in current, `edit deletes ${key}.${field}, which the config does not have`);
            }
            merged = { ...current, ...value };
        }
        result[key] = typeof merged === "string" ? merged : JSON.stringify(merged);
    }
    return result;
}

/** `text` with `search` replaced by `replacement`; fails unless `search` occurs exactly once. */
export function replaceOnce(text: string, search: string, replacement: string): string {
    const count = text.split(search).length - 1;
    assert.strictEqual(count, 1, `expected ${JSON.stringify(search)} exactly once in the text, found it ${count} times`);
    return text.replace(search, () => replacement);
}

/** The ConfigError a fixture stack with `edits` applied is refused with (fails when it is accepted). */
export function configErrorFor(stack: string, edits: Record<string, unknown>): ConfigError {
    try {
        parseStackConfig(editConfig(fixtureStack(stack).config, edits));
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    return assert.fail(`config ${JSON.stringify(edits)} of stack ${stack} should have been refused`);
}

/** A fixture stack's config with `edits` applied, parsed (fails when it is refused). */
export function configWith(stack: string, edits: Record<string, unknown>): StackConfig {
    return parseStackConfig(editConfig(fixtureStack(stack).config, edits));
}

function tryJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Resources of a type (type token, e.g. `TYPE.ec2Subnet`). */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

/** The one resource of a type whose logical name ends with `suffix`. */
export function named(run: ProgramRun, type: string, suffix: string): RecordedResource {
    const matches = ofType(run, type).filter((resource) => resource.name.endsWith(suffix));
    assert.strictEqual(matches.length, 1, `expected one ${type} named *${suffix}, found ${matches.map((m) => m.name).join(", ") || "none"}`);
    return matches[0];
}

/** Inputs with secrets revealed (for asserting on values the program passed). */
export function inputsOf(resource: RecordedResource): Record<string, any> {
    return revealSecrets(resource.inputs) as Record<string, any>;
}

/** Parses a JSON-string input (policies, container definitions). */
export function jsonInput(resource: RecordedResource, key: string): any {
    const value = inputsOf(resource)[key];
    assert.strictEqual(typeof value, "string", `${resource.name}.${key} should be a JSON string`);
    return JSON.parse(value as string);
}

/** The recorded resource with this URN. */
export function byUrn(run: ProgramRun, urn: string): RecordedResource {
    const found = run.resources.find((resource) => resource.urn === urn);
    assert.ok(found, `no resource ${urn}`);
    return found;
}

/** The id the mock cloud gave a resource (what other resources reference). */
export function idOf(resource: RecordedResource): string {
    assert.ok(resource.id, `${resource.name} has no id`);
    return resource.id;
}
