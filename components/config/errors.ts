import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CONFIG_NAMESPACE } from "./namespace";
import { stackConfigSchema } from "./schema";

export interface ConfigProblem {
    /** Fully qualified key, e.g. `data-platform:network.publicSubnetCidrs[1]`. */
    readonly key: string;
    /** The offending value as written in the stack file (JSON), or undefined when missing. */
    readonly value: unknown;
    /** What is allowed. */
    readonly message: string;
}

/**
 * Bad stack config. Extends `pulumi.RunError` so the CLI prints the message
 * without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly problems: readonly ConfigProblem[],
        source = "stack config",
    ) {
        super(`Invalid ${source}:\n${problems.map(formatProblem).join("\n")}`);
        this.name = "ConfigError";
    }
}

function formatProblem(problem: ConfigProblem): string {
    const value = problem.value === undefined ? "(missing)" : JSON.stringify(problem.value);
    return `  - ${problem.key} = ${value}: ${problem.message}`;
}

/** Maps a schema path to the key a user writes in Pulumi.<stack>.yaml. */
function qualifiedKey(path: readonly PropertyKey[]): string {
    if (path.length === 0) return CONFIG_NAMESPACE;
    const [head, ...rest] = path;
    const base = head === "region" ? "aws:region" : `${CONFIG_NAMESPACE}:${String(head)}`;
    return base + rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = input;
    for (const part of path) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[part];
    }
    return current;
}

/** The keys a strict object at `path` of `root` accepts, for "unknown key" messages. */
function allowedKeysAt(path: readonly PropertyKey[], root: z.ZodType): string[] {
    let schema: unknown = root;
    for (const part of [...path, undefined]) {
        // unwrap defaults, prefaults, optionals and refinement pipes
        for (let guard = 0; guard < 10; guard++) {
            const def = (schema as { def?: { innerType?: unknown; in?: unknown } }).def;
            if (def?.innerType) schema = def.innerType;
            else if (def?.in) schema = def.in;
            else break;
        }
        if (part === undefined) break;
        const shape = (schema as { shape?: Record<string, unknown> }).shape;
        if (!shape || typeof part !== "string") return [];
        schema = shape[part];
    }
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    return shape ? Object.keys(shape).map((key) => (path.length === 0 && key === "region" ? "aws:region" : key)) : [];
}

/** Which schema the input was parsed with (default: the AWS stack's), and what an unknown top-level key means under it. */
export interface ZodContext {
    readonly schema: z.ZodType;
    /** Said of an unknown top-level key before the allowed keys (default: "unknown key"). */
    readonly unknownTopLevelKey?: string;
}

export function problemsFromZod(error: z.ZodError, input: unknown, context: ZodContext = { schema: stackConfigSchema }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(issue.path, context.schema).join(", ");
            const what = issue.path.length === 0 && context.unknownTopLevelKey ? context.unknownTopLevelKey : "unknown key";
            for (const key of issue.keys) {
                const path = [...issue.path, key];
                problems.push({ key: qualifiedKey(path), value: valueAt(input, path), message: `${what}; allowed keys here: ${allowed}` });
            }
            continue;
        }
        problems.push({ key: qualifiedKey(issue.path), value: valueAt(input, issue.path), message: issue.message });
    }
    return problems;
}
