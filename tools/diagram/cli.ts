/**
 * Writes a stack's diagram without the rest of the plan:
 *
 *   node -r ./tools/ts-register.js tools/diagram/cli.ts dev docs/diagram-dev.mmd docs/diagram-dev.svg
 *
 * (`npm run plan -- --stack dev --diagram FILE` writes the same bytes.)
 */
import * as fs from "fs";
import * as path from "path";
import { toDeploymentResources } from "../deployment";
import { runStackFile } from "../stack-files";
import { diagramFormatOf, renderDiagram } from "./index";

async function main(): Promise<void> {
    const [stack, ...files] = process.argv.slice(2);
    if (!stack || files.length === 0) throw new Error("usage: tools/diagram/cli.ts <stack> <FILE.mmd|FILE.svg>...");
    const formats = files.map(diagramFormatOf);
    const run = await runStackFile(stack);
    const resources = toDeploymentResources(run);
    for (const [i, out] of files.entries()) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, await renderDiagram(resources, formats[i]));
        console.log(`wrote ${out}`);
    }
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
