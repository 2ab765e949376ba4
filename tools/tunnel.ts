import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ADMIN_UIS, ADMIN_UI_NAMES, AdminUi, AdminUiName, UiHost, tunnelUrl } from "../components/shared/ports";

/**
 * One command per UI: an SSM Session Manager port-forwarding session to the host that serves it. The
 * hosts take no inbound traffic; the session goes out from the host's SSM agent, so nothing is opened.
 *
 *   npm run tunnel -- --stack dev grafana            # runs the session; Ctrl-C ends it
 *   npm run tunnel -- --stack dev grafana --print    # prints the command only
 *   npm run tunnel -- --stack dev argocd --outputs out/dev.json   # outputs from a file (no Pulumi CLI)
 *
 * Outputs come from `pulumi stack output --json -s <stack>`, or from `--outputs F`: that JSON, a
 * `pulumi stack export` file or a plan document (`npm run plan -- --json F`). The command is
 *   aws ssm start-session --target <instance-id> --document-name AWS-StartPortForwardingSession
 *     --parameters '{"portNumber":["3000"],"localPortNumber":["3000"]}' [--region <region>]
 * and needs the AWS CLI and the Session Manager plugin; when either is missing it says what to install.
 *
 * Exit codes: 0 the session ended normally (or --print); 2 bad arguments, an unknown UI (the UIs are
 * listed), outputs that cannot be read, a UI the stack does not build, or a missing AWS CLI or plugin;
 * otherwise the session's own exit code.
 */

export const PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;

export const INSTALL_AWS_CLI =
    "the AWS CLI v2 is not installed (no `aws` on PATH): install it from https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html, then `aws configure` (or `aws sso login`)";
export const INSTALL_SESSION_MANAGER_PLUGIN =
    "the Session Manager plugin is not installed (no `session-manager-plugin` on PATH), and `aws ssm start-session` needs it: install it from https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html (a signed installer for macOS and Windows, a .deb or .rpm for Linux)";
export const INSTALL_PULUMI =
    "the Pulumi CLI is not installed (no `pulumi` on PATH), so the stack outputs cannot be read: install it from https://www.pulumi.com/docs/iac/download-install/ and `pulumi login`, or pass the outputs with --outputs F (`pulumi stack output --json` saved to a file, a `pulumi stack export` file or a plan document)";

const USAGE = `usage: npm run tunnel -- --stack <stack> <ui> [--print] [--outputs F] [--region R] [--local-port N]; UIs: ${ADMIN_UI_NAMES.join(", ")}`;

/** One UI's forward, as the stack output `tunnels` gives it. */
export interface Tunnel {
    readonly instanceId: string;
    readonly portNumber: number;
    readonly localPortNumber: number;
    readonly url: string;
}

export class TunnelError extends Error {
    constructor(
        message: string,
        readonly exitCode: number = EXIT_BAD_INPUT,
    ) {
        super(message);
        this.name = "TunnelError";
    }
}

export interface TunnelOptions {
    readonly stack: string;
    readonly ui: AdminUiName;
    readonly print: boolean;
    readonly outputs?: string;
    readonly region?: string;
    readonly localPort?: number;
}

function isUi(name: string): name is AdminUiName {
    return (ADMIN_UI_NAMES as string[]).includes(name);
}

export function parseArgs(argv: readonly string[]): TunnelOptions {
    let stack: string | undefined;
    let ui: string | undefined;
    let print = false;
    let outputs: string | undefined;
    let region: string | undefined;
    let localPort: number | undefined;
    const value = (i: number, flag: string): string => {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) throw new TunnelError(`${flag} needs a value; ${USAGE}`);
        return next;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack") stack = value(i++, arg);
        else if (arg === "--print") print = true;
        else if (arg === "--outputs") outputs = value(i++, arg);
        else if (arg === "--region") region = value(i++, arg);
        else if (arg === "--local-port") {
            const text = value(i++, arg);
            localPort = Number(text);
            if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535)
                throw new TunnelError(`--local-port = "${text}": a port number 1-65535`);
        } else if (arg.startsWith("--")) throw new TunnelError(`unknown option ${arg}; ${USAGE}`);
        else if (ui === undefined) ui = arg;
        else throw new TunnelError(`one UI at a time (got ${ui} and ${arg}); ${USAGE}`);
    }
    if (ui === undefined) throw new TunnelError(`which UI? ${USAGE}`);
    if (!isUi(ui)) throw new TunnelError(`unknown UI "${ui}"; the UIs are: ${ADMIN_UI_NAMES.join(", ")}`);
    if (!stack) throw new TunnelError(`--stack is required (e.g. --stack dev); ${USAGE}`);
    return { stack, ui, print, outputs, region, localPort };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function tunnelsFromInstanceIds(ids: Json): Partial<Record<AdminUiName, Tunnel>> {
    const tunnels: Partial<Record<AdminUiName, Tunnel>> = {};
    for (const ui of ADMIN_UI_NAMES) {
        const spec: AdminUi = ADMIN_UIS[ui];
        const id = ids[spec.host];
        if (typeof id === "string" && id)
            tunnels[ui] = { instanceId: id, portNumber: spec.port.from, localPortNumber: spec.port.from, url: tunnelUrl(ui) };
    }
    return tunnels;
}

function tunnelsFromOutputs(outputs: Json): Partial<Record<AdminUiName, Tunnel>> | undefined {
    if (isObject(outputs.tunnels)) {
        const tunnels: Partial<Record<AdminUiName, Tunnel>> = {};
        for (const [ui, value] of Object.entries(outputs.tunnels)) {
            if (!isUi(ui) || !isObject(value) || typeof value.instanceId !== "string") continue;
            tunnels[ui] = {
                instanceId: value.instanceId,
                portNumber: Number(value.portNumber),
                localPortNumber: Number(value.localPortNumber),
                url: String(value.url ?? tunnelUrl(ui)),
            };
        }
        return tunnels;
    }
    if (isObject(outputs.hostInstanceIds)) return tunnelsFromInstanceIds(outputs.hostInstanceIds);
    return undefined;
}

/**
 * The tunnels a stack offers, from `pulumi stack output --json`, a `pulumi stack export` file (its root
 * stack resource's outputs) or a plan document (the host instances, by their `Tier` tag).
 */
export function tunnelsFrom(document: unknown): Partial<Record<AdminUiName, Tunnel>> {
    if (!isObject(document)) throw new TunnelError("the outputs are not a JSON object");
    const direct = tunnelsFromOutputs(document);
    if (direct) return direct;
    const deployment = isObject(document.deployment) ? document.deployment : isObject(document.checkpoint) ? document.checkpoint : undefined;
    const resources = deployment && Array.isArray(deployment.resources) ? (deployment.resources as unknown[]).filter(isObject) : undefined;
    if (!resources)
        throw new TunnelError(
            "the outputs have no `tunnels` or `hostInstanceIds`, and are not a stack export or plan document (no deployment.resources)",
        );
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const fromStack = stack && isObject(stack.outputs) ? tunnelsFromOutputs(stack.outputs) : undefined;
    if (fromStack) return fromStack;
    const ids: Json = {};
    for (const resource of resources.filter((r) => r.type === "aws:ec2/instance:Instance")) {
        const tags =
            (isObject(resource.outputs) && isObject(resource.outputs.tags) ? resource.outputs.tags : undefined) ??
            (isObject(resource.inputs) && isObject(resource.inputs.tags) ? resource.inputs.tags : undefined) ??
            {};
        const tier = tags.Tier as UiHost | undefined;
        const id = typeof resource.id === "string" ? resource.id : isObject(resource.outputs) ? resource.outputs.id : undefined;
        if ((tier === "kubernetes" || tier === "monitoring") && typeof id === "string") ids[tier] = id;
    }
    return tunnelsFromInstanceIds(ids);
}

/** The stack's region from `Pulumi.<stack>.yaml` (`aws:region`), if the file is here. */
export function stackRegion(stack: string, dir: string = path.join(__dirname, "..")): string | undefined {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return undefined;
    const parsed = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const region = parsed?.config?.["aws:region"];
    return typeof region === "string" ? region : undefined;
}

/** The `aws ssm start-session` arguments (without the leading `aws`). */
export function startSessionArgs(tunnel: Tunnel, region?: string, localPort?: number): string[] {
    const parameters = JSON.stringify({ portNumber: [String(tunnel.portNumber)], localPortNumber: [String(localPort ?? tunnel.localPortNumber)] });
    return [
        "ssm",
        "start-session",
        "--target",
        tunnel.instanceId,
        "--document-name",
        PORT_FORWARDING_DOCUMENT,
        "--parameters",
        parameters,
        ...(region ? ["--region", region] : []),
    ];
}

/** POSIX shell quoting, so the printed command runs as shown. */
export function shellQuote(arg: string): string {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(args: readonly string[]): string {
    return ["aws", ...args].map(shellQuote).join(" ");
}

/** The first executable called `name` on PATH (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        for (const ext of extensions) {
            const candidate = path.join(dir, name + ext);
            try {
                fs.accessSync(candidate, fs.constants.X_OK);
                if (fs.statSync(candidate).isFile()) return candidate;
            } catch {
                // not here
            }
        }
    }
    return undefined;
}

/** What is missing to run the session, as messages saying what to install (empty when nothing is). */
export function missingTools(env: NodeJS.ProcessEnv = process.env): string[] {
    return [
        ...(findOnPath("aws", env) ? [] : [INSTALL_AWS_CLI]),
        ...(findOnPath("session-manager-plugin", env) ? [] : [INSTALL_SESSION_MANAGER_PLUGIN]),
    ];
}

export interface TunnelIo {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    readonly env: NodeJS.ProcessEnv;
    /** Reads `pulumi stack output --json -s <stack>` (the real path). */
    readonly stackOutputs: (stack: string, env: NodeJS.ProcessEnv) => unknown;
    /** Runs `aws <args>` attached to the terminal; resolves to its exit code. */
    readonly run: (args: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>;
}

function pulumiStackOutputs(stack: string, env: NodeJS.ProcessEnv): unknown {
    if (!findOnPath("pulumi", env)) throw new TunnelError(INSTALL_PULUMI);
    const result = spawnSync("pulumi", ["stack", "output", "--json", "-s", stack], { encoding: "utf8", env });
    if (result.status !== 0)
        throw new TunnelError(`\`pulumi stack output --json -s ${stack}\` failed: ${(result.stderr || result.stdout || "").trim()}`);
    try {
        return JSON.parse(result.stdout);
    } catch {
        throw new TunnelError(`\`pulumi stack output --json -s ${stack}\` printed no JSON`);
    }
}

function runAws(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn("aws", [...args], { stdio: "inherit", env });
        child.on("error", reject);
        child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 0 : 1)));
    });
}

export const CONSOLE_IO: TunnelIo = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    env: process.env,
    stackOutputs: pulumiStackOutputs,
    run: runAws,
};

function readOutputsFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new TunnelError(`--outputs ${file}: no such file`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new TunnelError(`--outputs ${file}: not JSON (expected \`pulumi stack output --json\`, a stack export or a plan document)`);
    }
}

export async function main(argv: readonly string[], io: TunnelIo = CONSOLE_IO): Promise<number> {
    try {
        const options = parseArgs(argv);
        const document = options.outputs ? readOutputsFile(options.outputs) : io.stackOutputs(options.stack, io.env);
        const tunnels = tunnelsFrom(document);
        const tunnel = tunnels[options.ui];
        if (!tunnel) {
            const offered = Object.keys(tunnels);
            throw new TunnelError(
                `stack ${options.stack} builds no ${ADMIN_UIS[options.ui].host} host, so there is no ${options.ui} to reach` +
                    (offered.length > 0 ? `; its UIs: ${offered.join(", ")}` : "; it builds no host with a UI"),
            );
        }
        const region = options.region ?? stackRegion(options.stack);
        const args = startSessionArgs(tunnel, region, options.localPort);
        if (options.print) {
            io.out(commandLine(args));
            return EXIT_OK;
        }
        const missing = missingTools(io.env);
        if (missing.length > 0) {
            for (const message of missing) io.err(`tunnel: ${message}`);
            io.err(`tunnel: the command it would run: ${commandLine(args)}`);
            return EXIT_BAD_INPUT;
        }
        const url = options.localPort ? tunnelUrl(options.ui).replace(/:\d+$/, `:${options.localPort}`) : tunnel.url;
        io.out(`${options.ui}: ${url} (${ADMIN_UIS[options.ui].login}) while this runs; Ctrl-C ends the tunnel`);
        io.out(`$ ${commandLine(args)}`);
        return await io.run(args, io.env);
    } catch (error) {
        if (error instanceof TunnelError) {
            io.err(`tunnel: ${error.message}`);
            return error.exitCode;
        }
        io.err(`tunnel: internal error: ${error instanceof Error ? error.message : String(error)}`);
        return 3;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
