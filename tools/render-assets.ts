import * as fs from "fs";
import * as path from "path";
import { embeddedFiles } from "../components/shared/host/user-data";
import { revealSecrets } from "./mock-cloud";
import { ProgramRun } from "./run-program";
import { runStackFile } from "./stack-files";
import { TYPE } from "../policy-pack/policies/types";

/**
 * Renders every host asset of every stack into a folder, exactly as the program
 * ships it: the program runs under the mock cloud, and each EC2 instance's user data
 * is written out together with the files it embeds (docker-compose.yml,
 * prometheus.yml, logstash.conf, the CloudWatch exporter config, Grafana
 * provisioning, systemd units, helper scripts). tools/check-assets.sh lints the result.
 *
 *   node -r ./tools/ts-register.js tools/render-assets.ts --out DIR [--stack dev ...]
 *
 * Layout: DIR/<stack>/<host>/user-data.sh and DIR/<stack>/<host>/files/<absolute path on the host>.
 */

export const INSTANCE_TYPE = TYPE.ec2Instance;
const DEFAULT_STACKS = ["dev", "staging", "prod"];

export interface RenderedAsset {
    readonly stack: string;
    /** The host's tier (`kubernetes`, `monitoring`). */
    readonly host: string;
    /** `user-data` or the file's absolute path on the host. */
    readonly kind: string;
    readonly file: string;
}

function hostOf(instance: { name: string; inputs: Record<string, unknown> }): string {
    const tags = (revealSecrets(instance.inputs.tags) ?? {}) as Record<string, string>;
    return tags.Tier ?? instance.name;
}

function write(file: string, content: string, mode = 0o644): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
}

/** Writes the user data and embedded files of every instance of one run. */
export function renderRunAssets(run: ProgramRun, outDir: string): RenderedAsset[] {
    const assets: RenderedAsset[] = [];
    for (const instance of run.resources.filter((resource) => resource.type === INSTANCE_TYPE)) {
        const userData = revealSecrets(instance.inputs.userData);
        if (typeof userData !== "string") throw new Error(`${instance.name}: user data is not a plain string`);
        const host = hostOf(instance);
        const hostDir = path.join(outDir, run.stack, host);
        const userDataFile = path.join(hostDir, "user-data.sh");
        write(userDataFile, userData, 0o755);
        assets.push({ stack: run.stack, host, kind: "user-data", file: userDataFile });
        for (const embedded of embeddedFiles(userData)) {
            const file = path.join(hostDir, "files", embedded.path);
            write(file, embedded.content, parseInt(embedded.mode, 8));
            assets.push({ stack: run.stack, host, kind: embedded.path, file });
        }
    }
    return assets;
}

export async function renderStacks(stacks: readonly string[], outDir: string): Promise<RenderedAsset[]> {
    const assets: RenderedAsset[] = [];
    for (const stack of stacks) {
        const run = await runStackFile(stack);
        assets.push(...renderRunAssets(run, outDir));
    }
    return assets;
}

function parseArgs(argv: readonly string[]): { out: string; stacks: string[] } {
    let out: string | undefined;
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out") out = argv[++i];
        else if (argv[i] === "--stack") stacks.push(argv[++i]);
        else throw new Error(`unknown argument ${argv[i]}; usage: render-assets.ts --out DIR [--stack NAME ...]`);
    }
    if (!out) throw new Error("usage: render-assets.ts --out DIR [--stack NAME ...]");
    return { out, stacks: stacks.length > 0 ? stacks : DEFAULT_STACKS };
}

async function main(): Promise<void> {
    const { out, stacks } = parseArgs(process.argv.slice(2));
    const assets = await renderStacks(stacks, path.resolve(out));
    for (const asset of assets) console.log(`${asset.stack} ${asset.host} ${asset.kind} -> ${path.relative(process.cwd(), asset.file)}`);
    console.log(`${assets.length} files rendered for ${stacks.join(", ")}`);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
