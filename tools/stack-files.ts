import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { SECRET_MARKER } from "./deployment";
import { REPO_ROOT as ROOT_DIR } from "../components/shared/paths";
import type { ProgramRun } from "./run-program";

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands
 * config to a program: `namespace:key` → string, structured values as JSON.
 * A `secure:` value cannot be decrypted offline: it becomes a placeholder that
 * is marked secret, so it stays secret all the way through the plan.
 */

export interface StackFile {
    readonly stack: string;
    readonly file: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

export class StackFileError extends Error {}

/** The stacks with a `Pulumi.<stack>.yaml` in `root`, sorted (what CI plans). */
export function stackNames(root = ROOT_DIR): string[] {
    return fs
        .readdirSync(root)
        .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

function isSecure(value: unknown): value is { secure: string } {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces nested `secure:` values; returns whether any was found. */
function scrubSecure(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) return { value: SECRET_MARKER, secret: true };
    if (Array.isArray(value)) {
        const items = value.map(scrubSecure);
        return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
    }
    if (value && typeof value === "object") {
        let secret = false;
        const copy: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
            const scrubbed = scrubSecure(item);
            copy[key] = scrubbed.value;
            secret ||= scrubbed.secret;
        }
        return { value: copy, secret };
    }
    return { value, secret: false };
}

export function readStackFile(stack: string, root = ROOT_DIR): StackFile {
    const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: string };
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`unknown stack "${stack}" (no ${path.basename(file)}); stacks here: ${stackNames(root).join(", ")}`);
    }
    let parsed: { config?: Record<string, unknown> } | null;
    try {
        parsed = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(error as Error).message}`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(parsed?.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        const { value, secret } = scrubSecure(rawValue);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) secretKeys.push(key);
    }
    return { stack, file, config, secretKeys };
}

/** Runs the program under the mock cloud with a stack file's config. */
export function runStackFile(stack: string, root = ROOT_DIR): Promise<ProgramRun> {
    const file = readStackFile(stack, root);
    // Loaded here, not at the top: reading stack files (stack lists, docs) should not load the Pulumi SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runProgram } = require("./run-program") as typeof import("./run-program");
    return runProgram({ stack, config: file.config, secretKeys: file.secretKeys });
}

/** `node -r ./tools/ts-register.js tools/stack-files.ts` prints the stack names, one a line (for CI loops). */
if (require.main === module) {
    console.log(stackNames().join("\n"));
}
