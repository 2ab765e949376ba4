import * as path from "path";
import { z } from "zod";
import { StackConfig, parseStackConfig, stackConfigSchema } from "../components/config";
import { ROOT_DIR } from "./run-program";
import { readStackFile } from "./stack-files";

/**
 * The README's config reference, generated from the zod schema itself (`z.toJSONSchema` gives each
 * key's type, default and `.describe()` text) with the effective value of every key in every stack.
 * `npm run docs` writes it; a test fails when the README is out of date or a key has no description.
 * Keys marked `userValue` (admin CIDRs, SSH key) show no per-stack value: they are the user's own,
 * and editing them must not make the docs stale.
 */

interface JsonSchema {
    readonly type?: string;
    readonly enum?: readonly unknown[];
    readonly const?: unknown;
    readonly items?: JsonSchema;
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    readonly required?: readonly string[];
    readonly default?: unknown;
    readonly description?: string;
    readonly userValue?: boolean;
    readonly anyOf?: readonly JsonSchema[];
}

export interface ConfigKey {
    /** `aws:region`, or the path under `data-platform:` (`network.vpcCidr`). */
    readonly path: string;
    readonly type: string;
    readonly defaultValue?: unknown;
    readonly required: boolean;
    readonly description?: string;
    /** The user's own value (no example shown per stack). */
    readonly userValue: boolean;
}

function describeType(schema: JsonSchema): string {
    if (schema.const !== undefined) return `\`${String(schema.const)}\``;
    if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
    if (schema.anyOf) return schema.anyOf.map(describeType).join(" or ");
    if (schema.type === "array" && schema.items) return `list of ${describeType(schema.items)}`;
    if (schema.type === "integer") return "number";
    return schema.type ?? "any";
}

/**
 * Every key of the schema. An object with a description of its own (a task size `{cpu, memory}`) is
 * one key; an object without one is a section whose keys are listed.
 */
export function configKeys(): ConfigKey[] {
    const root = z.toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const keys: ConfigKey[] = [];
    const walk = (schema: JsonSchema, prefix: string, required: boolean): void => {
        if (schema.type === "object" && schema.properties && schema.description === undefined) {
            for (const [key, child] of Object.entries(schema.properties)) {
                const childRequired = required && (schema.required ?? []).includes(key) && child.default === undefined;
                walk(child, prefix ? `${prefix}.${key}` : key, childRequired);
            }
            return;
        }
        keys.push({
            path: prefix === "region" ? "aws:region" : prefix,
            type: describeType(schema),
            defaultValue: schema.default,
            required,
            description: schema.description,
            userValue: schema.userValue === true,
        });
    };
    walk(root, "", true);
    return keys;
}

function valueAt(config: StackConfig, keyPath: string): unknown {
    const parts = keyPath === "aws:region" ? ["region"] : keyPath.split(".");
    return parts.reduce<unknown>(
        (value, part) => (value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined),
        config,
    );
}

function cell(value: unknown): string {
    if (value === undefined) return "—";
    const text = typeof value === "string" ? value : JSON.stringify(value).replace(/"/g, "").replace(/,/g, ", ");
    return `\`${text.replace(/\|/g, "\\|")}\``;
}

export function renderConfigReference(stacks: readonly string[] = ["dev", "staging", "prod"]): string {
    const configs = stacks.map((stack) => parseStackConfig(readStackFile(stack).config));
    const header = `| key | type | default | ${stacks.join(" | ")} | description |`;
    const divider = `| --- | --- | --- | ${stacks.map(() => "---").join(" | ")} | --- |`;
    const rows = configKeys().map((key) => {
        const name = `\`${key.path}\``;
        const fallback = key.required ? "required" : cell(key.defaultValue);
        const values = configs.map((config) => (key.userValue ? "yours" : cell(valueAt(config, key.path))));
        return `| ${name} | ${key.type} | ${fallback} | ${values.join(" | ")} | ${key.description ?? ""} |`;
    });
    return [header, divider, ...rows].join("\n");
}

export const README_PATH = path.join(ROOT_DIR, "README.md");
