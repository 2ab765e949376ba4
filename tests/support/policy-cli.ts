import { spawnSync } from "child_process";
import { main } from "../../tools/policy";
import { ROOT_DIR } from "../../tools/run-program";

/** What a run of `npm run policy` gave: its exit code and what it printed. */
export interface PolicyRun {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** The real CLI, in a process of its own: for exit codes and messages as a user sees them (~1 s a run). */
export function policyProcess(...args: string[]): PolicyRun {
    const result = spawnSync(process.execPath, ["-r", "./tools/ts-register.js", "tools/policy.ts", ...args], {
        cwd: ROOT_DIR,
        encoding: "utf8",
        timeout: 60000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI's main() in this process, from the repository root, capturing what it prints. */
export function policyInProcess(...args: string[]): PolicyRun {
    const out: string[] = [];
    const err: string[] = [];
    const { log, error } = console;
    console.log = (...items: unknown[]) => void out.push(items.join(" "));
    console.error = (...items: unknown[]) => void err.push(items.join(" "));
    const cwd = process.cwd();
    try {
        process.chdir(ROOT_DIR);
        const status = main(args);
        return { status, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
        process.chdir(cwd);
        console.log = log;
        console.error = error;
    }
}
