import { CONFIG_NAMESPACE } from "../components/config/namespace";
import { readStackFile, stackNames } from "./stack-files";

/**
 * The stacks with a `Pulumi.<stack>.yaml` in a directory, by target, as a JSON array (CI's matrices):
 *
 *   node -r ./tools/ts-register.js tools/stack-list.ts [--target aws|local|all] [--root DIR]
 *
 * `--target local`: the stack files that set `data-platform:target: local` (the local Docker engine, no AWS);
 * `--target aws`: every other stack file (the default target is aws); `--target all` (the default): all of them.
 * `--root` defaults to the working directory. A stack file that is not valid YAML is an error (exit 2).
 */

export type StackTarget = "aws" | "local";
export const TARGETS = ["aws", "local", "all"] as const;
const TARGET_KEY = `${CONFIG_NAMESPACE}:target`;

/** A stack file's target: `local` when its `data-platform:target` is `local`, `aws` otherwise. */
export function stackTarget(stack: string, root: string): StackTarget {
    return readStackFile(stack, root).config[TARGET_KEY]?.trim() === "local" ? "local" : "aws";
}

/** The stacks of `root` with that target (or all), sorted. */
export function listStacks(target: (typeof TARGETS)[number], root: string): string[] {
    return stackNames(root).filter((stack) => target === "all" || stackTarget(stack, root) === target);
}

function main(argv: string[]): number {
    let target: (typeof TARGETS)[number] = "all";
    let root = process.cwd();
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--target" && (TARGETS as readonly string[]).includes(value)) {
            target = value as (typeof TARGETS)[number];
            i++;
        } else if (argv[i] === "--root" && value) {
            root = value;
            i++;
        } else {
            console.error(`usage: stack-list.ts [--target ${TARGETS.join("|")}] [--root DIR] (bad argument: ${argv[i]})`);
            return 2;
        }
    }
    try {
        console.log(JSON.stringify(listStacks(target, root)));
        return 0;
    } catch (error) {
        console.error(`stack-list: ${(error as Error).message}`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
