import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../policy-pack/policies";
import { stackNames } from "./stack-files";
import { findOnPath, shellQuote } from "./tunnel";

/**
 * The Pulumi CLI with the policy pack always on: every real preview and update of a stack runs with
 * this repository's CrossGuard pack and the stack's enforcement levels.
 *
 *   npm run preview -- --stack dev [--diff ...]            pulumi preview --stack dev --policy-pack policy-pack
 *                                                             --policy-pack-config policy-pack/config/dev.json --diff ...
 *   npm run up -- --stack dev [-- --yes --non-interactive] pulumi up --stack dev ... --yes --non-interactive
 *   node -r ./tools/ts-register.js tools/pulumi-wrapper.ts pack-config --stack dev [--out F]
 *                                                          prints the pack config file a stack is judged by (CI)
 *
 * Levels: `policy-pack/config/<stack>.json` when the stack has one; otherwise the strictest levels, as in the
 * offline tools (tools/policy-runner.ts): a temporary pack config naming every policy of the pack as
 * "mandatory" (the `--policy-pack-config` format, `{ "<policy-name>": "mandatory", ... }`), removed when
 * pulumi exits. Every argument other than `--stack` is passed to pulumi as given, after a `--` too;
 * `--policy-pack` and `--policy-pack-config` are the wrapper's and are refused.
 *
 * Exit codes: pulumi's own; 2 bad arguments, an unknown stack (the stack files present are named) or no
 * `pulumi` on PATH (one line saying how to install it).
 */

export const PACK_DIR = "policy-pack";
export const PACK_CONFIG_DIR = path.join(PACK_DIR, "config");
export const EXIT_BAD_INPUT = 2;
export const COMMANDS = ["preview", "up"] as const;
export type Command = (typeof COMMANDS)[number];

export const INSTALL_PULUMI =
    "the Pulumi CLI is not installed (no `pulumi` on PATH): install it with `curl -fsSL https://get.pulumi.com | sh` (Linux, macOS) or `brew install pulumi/tap/pulumi` (macOS), see https://www.pulumi.com/docs/iac/download-install/, then `pulumi login`";

const USAGE =
    "usage: npm run preview -- --stack <stack> [pulumi args...] | npm run up -- --stack <stack> [pulumi args...] (arguments after a `--` go to pulumi as well)";

/** Flags the wrapper sets itself; given again they would pair a second pack with the wrong config. */
const OWN_FLAGS = ["--policy-pack", "--policy-pack-config"];

export class WrapperError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WrapperError";
    }
}

export interface WrapperArgs {
    readonly command: Command | "pack-config";
    readonly stack: string;
    /** Arguments for pulumi, in the order given. */
    readonly passThrough: readonly string[];
    /** pack-config only: where to write the strictest levels when the stack has no pack config. */
    readonly out?: string;
}

function isCommand(value: string | undefined): value is WrapperArgs["command"] {
    return value === "pack-config" || (COMMANDS as readonly string[]).includes(value ?? "");
}

function isOwnFlag(arg: string): boolean {
    return OWN_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`));
}

function isStackFlag(arg: string): boolean {
    return arg === "--stack" || arg === "-s" || arg.startsWith("--stack=") || arg.startsWith("-s=");
}

/** `<command> --stack S [args...] [-- args...]`; the command comes from the package.json script. */
export function parseArgs(argv: readonly string[]): WrapperArgs {
    const [command, ...rest] = argv;
    if (!isCommand(command)) throw new WrapperError(`unknown command ${JSON.stringify(command ?? "")}; ${USAGE}`);
    let stack: string | undefined;
    let out: string | undefined;
    const passThrough: string[] = [];
    let afterDashes = false;
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (!afterDashes && arg === "--") {
            afterDashes = true;
            continue;
        }
        if (isOwnFlag(arg)) {
            throw new WrapperError(
                `${arg.split("=")[0]} is set by the wrapper (${PACK_DIR} with ${PACK_CONFIG_DIR}/<stack>.json, or the strictest levels); run pulumi itself for anything else`,
            );
        }
        if (isStackFlag(arg)) {
            if (stack !== undefined) throw new WrapperError(`the stack is given twice (${stack}, then ${arg}); ${USAGE}`);
            const inline = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined;
            const value = inline ?? rest[++i];
            if (!value || value.startsWith("-")) throw new WrapperError(`${arg.split("=")[0]} needs a stack name; ${USAGE}`);
            stack = value;
            continue;
        }
        if (command === "pack-config" && arg === "--out") {
            out = rest[++i];
            if (!out) throw new WrapperError("--out needs a file");
            continue;
        }
        if (command === "pack-config") throw new WrapperError(`pack-config takes --stack and --out only, not ${arg}`);
        passThrough.push(arg);
    }
    if (stack === undefined) throw new WrapperError(`--stack is required (e.g. --stack dev); ${USAGE}`);
    return { command, stack, passThrough, ...(out !== undefined ? { out } : {}) };
}

/** Every policy of the pack, mandatory: the strictest levels in the format `--policy-pack-config` reads. */
export function strictestPackConfig(): Record<string, "mandatory"> {
    const names = [...new Set(allPolicies.map((policy) => policy.name))].sort();
    return Object.fromEntries(names.map((name) => [name, "mandatory" as const]));
}

export interface PackConfigChoice {
    /** The file to pass as --policy-pack-config: relative to the root for a stack's own config. */
    readonly file: string;
    readonly strictest: boolean;
}

/** The stack's own pack config, if it has one (a path relative to `root`). */
export function stackPackConfig(stack: string, root: string): string | undefined {
    const relative = path.join(PACK_CONFIG_DIR, `${stack}.json`);
    return fs.existsSync(path.join(root, relative)) ? relative.split(path.sep).join("/") : undefined;
}

/** Refuses a stack without a `Pulumi.<stack>.yaml` in `root`, naming the stack files there. */
export function checkStack(stack: string, root: string): void {
    if (stackNames(root).includes(stack)) return;
    const files = stackNames(root).map((name) => `Pulumi.${name}.yaml`);
    throw new WrapperError(`unknown stack "${stack}" (no Pulumi.${stack}.yaml); stack files here: ${files.length > 0 ? files.join(", ") : "none"}`);
}

function writeStrictest(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(strictestPackConfig(), null, 2)}\n`);
}

/** `pulumi <command> --stack S --policy-pack policy-pack --policy-pack-config F <passThrough...>` (without `pulumi`). */
export function pulumiArgs(command: Command, stack: string, packConfigFile: string, passThrough: readonly string[] = []): string[] {
    return [command, "--stack", stack, "--policy-pack", PACK_DIR, "--policy-pack-config", packConfigFile, ...passThrough];
}

export interface WrapperIo {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    readonly env: NodeJS.ProcessEnv;
    /** The repository: stack files, the pack and its configs; pulumi runs here. */
    readonly root: string;
    /** Runs `pulumi <args>` attached to the terminal in `cwd`; resolves to its exit code. */
    readonly run: (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) => Promise<number>;
}

function runPulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(findOnPath("pulumi", env) ?? "pulumi", [...args], { stdio: "inherit", cwd, env });
        // Ctrl-C reaches pulumi through the terminal; the wrapper waits for it to finish and clean up.
        const ignore = (): void => undefined;
        process.on("SIGINT", ignore);
        process.on("SIGTERM", ignore);
        const done = (): void => {
            process.off("SIGINT", ignore);
            process.off("SIGTERM", ignore);
        };
        child.on("error", (error) => {
            done();
            reject(error);
        });
        child.on("exit", (code, signal) => {
            done();
            resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
        });
    });
}

export const CONSOLE_IO: WrapperIo = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    env: process.env,
    root: path.join(__dirname, ".."),
    run: runPulumi,
};

export async function main(argv: readonly string[], io: WrapperIo = CONSOLE_IO): Promise<number> {
    const name = argv[0] && isCommand(argv[0]) ? argv[0] : "pulumi-wrapper";
    let temporary: string | undefined;
    try {
        const args = parseArgs(argv);
        checkStack(args.stack, io.root);
        const own = stackPackConfig(args.stack, io.root);
        if (args.command === "pack-config") {
            if (own) {
                io.out(own);
            } else {
                const file = path.resolve(args.out ?? path.join(os.tmpdir(), `data-platform-strictest-${args.stack}.json`));
                writeStrictest(file);
                io.err(`pack-config: stack ${args.stack} has no ${PACK_CONFIG_DIR}/${args.stack}.json: the strictest levels, every policy mandatory`);
                io.out(file);
            }
            return 0;
        }
        if (!findOnPath("pulumi", io.env)) throw new WrapperError(INSTALL_PULUMI);
        let configFile = own;
        if (!configFile) {
            temporary = fs.mkdtempSync(path.join(os.tmpdir(), "data-platform-pack-config-"));
            configFile = path.join(temporary, `strictest-${args.stack}.json`);
            writeStrictest(configFile);
            io.err(
                `${args.command}: stack ${args.stack} has no ${PACK_CONFIG_DIR}/${args.stack}.json: the strictest levels, every policy mandatory (${configFile}, removed afterwards)`,
            );
        }
        const pulumi = pulumiArgs(args.command, args.stack, configFile, args.passThrough);
        io.err(`$ ${["pulumi", ...pulumi].map(shellQuote).join(" ")}`);
        try {
            return await io.run(pulumi, io.root, io.env);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new WrapperError(INSTALL_PULUMI);
            throw error;
        }
    } catch (error) {
        if (error instanceof WrapperError) {
            io.err(`${name}: ${error.message}`);
            return EXIT_BAD_INPUT;
        }
        io.err(`${name}: internal error: ${error instanceof Error ? error.message : String(error)}`);
        return 3;
    } finally {
        if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
