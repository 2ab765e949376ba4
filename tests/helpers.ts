import * as assert from "assert";
import { ConfigError, parseStackConfig } from "../components/config";
import { RecordedResource, revealSecrets } from "../tools/mock-cloud";
import { ProgramRun, runProgram } from "../tools/run-program";
import { readStackFile, runStackFile } from "../tools/stack-files";

/**
 * Shared test helpers. Running the program takes about a second, so each
 * stack's unmodified run is cached for the whole mocha process.
 */

const cache = new Map<string, Promise<ProgramRun>>();

/** Runs `index.ts` for a stack file under the mock cloud (cached). */
export function runStack(stack: string): Promise<ProgramRun> {
    let run = cache.get(stack);
    if (!run) {
        run = runStackFile(stack);
        cache.set(stack, run);
    }
    return run;
}

/**
 * Runs a stack with config edits applied: `edits` maps `namespace:key` to a
 * value (objects are merged one level deep into the file's value; `undefined` deletes).
 */
export async function runStackWith(stack: string, edits: Record<string, unknown>): Promise<ProgramRun> {
    const file = readStackFile(stack);
    return runProgram({ stack, config: editConfig(file.config, edits), secretKeys: file.secretKeys });
}

export function editConfig(config: Record<string, string>, edits: Record<string, unknown>): Record<string, string> {
    const result = { ...config };
    for (const [key, value] of Object.entries(edits)) {
        if (value === undefined) {
            delete result[key];
            continue;
        }
        const current = result[key] !== undefined ? tryJson(result[key]) : undefined;
        const merged = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
        result[key] = typeof merged === "string" ? merged : JSON.stringify(merged);
    }
    return result;
}

/** The ConfigError a stack file with `edits` applied is refused with (fails when it is accepted). */
export function configErrorFor(stack: string, edits: Record<string, unknown>): ConfigError {
    try {
        parseStackConfig(editConfig(readStackFile(stack).config, edits));
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    return assert.fail(`config ${JSON.stringify(edits)} of stack ${stack} should have been refused`);
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

/** Resources of a type (type token, e.g. "aws:ec2/subnet:Subnet"). */
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

export const STACKS = ["dev", "staging", "prod"] as const;
