import * as fs from "fs";
import { renderConfigReference, README_PATH } from "./config-reference";
import { DetailedCostReport, estimateCost } from "./cost";
import { DeploymentResource, toDeploymentResources } from "./deployment";
import { renderDiagram } from "./diagram";
import { ROOT_DIR } from "./run-program";
import * as path from "path";
import { runStackFile } from "./stack-files";
import { SEED_SYSTEMS } from "./seed-systems";

/**
 * Everything generated that the repository commits: the sections of README.md between
 * `<!-- NAME:start -->` and `<!-- NAME:end -->` (the config reference, the monthly cost by tier and the
 * seed systems) and the diagrams of dev and the seed stacks (docs/diagram-<stack>.mmd and .svg). `npm run docs` rewrites them all;
 * tests/tools/docs.spec.ts and tests/tools/diagram.spec.ts fail when they are stale.
 */

/** The stacks whose diagram is committed: dev, and each seed system's stack. */
export const DIAGRAM_STACKS = ["dev", ...SEED_SYSTEMS.map((system) => system.stack)] as const;

/** The committed diagram of a stack, drawn from its shipped Pulumi.<stack>.yaml. */
export function diagramFiles(stack: string): { readonly mmd: string; readonly svg: string } {
    return { mmd: path.join(ROOT_DIR, "docs", `diagram-${stack}.mmd`), svg: path.join(ROOT_DIR, "docs", `diagram-${stack}.svg`) };
}

/** The dev diagram's files. */
export const DIAGRAM_FILES = diagramFiles("dev");

const STACKS = ["dev", "staging", "prod"] as const;

/** A shipped stack's resources, each stack run once however many generated files draw on it. */
export type StackResources = (stack: string) => Promise<DeploymentResource[]>;

export function stackResources(): StackResources {
    const runs = new Map<string, Promise<DeploymentResource[]>>();
    return (stack) => {
        let resources = runs.get(stack);
        if (!resources) {
            resources = runStackFile(stack).then(toDeploymentResources);
            runs.set(stack, resources);
        }
        return resources;
    };
}

/** The tiers a plan builds, in build order: its data-platform components below the platform. */
function builtTiers(resources: readonly DeploymentResource[]): string[] {
    const names = resources
        .filter((resource) => !resource.custom && resource.type.startsWith("data-platform:") && !resource.type.endsWith(":Platform"))
        .map((resource) => resource.type.split(":")[2]);
    return [...new Set(names)];
}

/** README "The seed systems": seed → stack → what it builds → where it differs → its estimate beside the seed's figure. */
export async function renderSeedSystems(resourcesOf: StackResources = stackResources()): Promise<string> {
    const rows: string[] = [];
    for (const system of SEED_SYSTEMS) {
        const resources = await resourcesOf(system.stack);
        const report = estimateCost(resources, system.stack);
        const estimate = `$${report.monthlyTotal.toFixed(2)}${system.seedEstimate ? ` (seed: ${system.seedEstimate})` : " (the seed gives none)"}`;
        const builds = `${builtTiers(resources).join(", ")} (${resources.filter((resource) => resource.custom).length} resources)`;
        const differences = system.differences.map((difference) => `• ${difference}`).join("<br>");
        rows.push(`| \`${system.seed}\` | \`${system.stack}\` | ${builds} | ${differences} | ${estimate} |`);
    }
    return [
        "| seed document | stack | what it builds | where it deliberately differs from the seed, and why | monthly estimate |",
        "| --- | --- | --- | --- | ---: |",
        ...rows,
    ].join("\n");
}

/** Monthly cost by tier for every stack, in USD, from the plans' own resources. */
export async function renderCostSummary(resourcesOf: StackResources = stackResources()): Promise<string> {
    const reports: DetailedCostReport[] = [];
    for (const stack of STACKS) reports.push(estimateCost(await resourcesOf(stack), stack));
    const tiers = [...new Set(reports.flatMap((report) => Object.keys(report.byTier)))].sort();
    const money = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(2));
    return [
        `| tier | ${STACKS.join(" | ")} |`,
        `| --- | ${STACKS.map(() => "---:").join(" | ")} |`,
        ...tiers.map((tier) => `| ${tier} | ${reports.map((report) => money(report.byTier[tier])).join(" | ")} |`),
        `| **total (USD/month)** | ${reports.map((report) => `**${money(report.monthlyTotal)}**`).join(" | ")} |`,
        // The hosts a stack stops and starts on a schedule, priced always on instead (a row only when one does).
        ...(reports.some((report) => report.scheduledHosts)
            ? [`| total with the hosts always on | ${reports.map((report) => money(report.scheduledHosts?.monthlyTotalAlwaysOn)).join(" | ")} |`]
            : []),
    ].join("\n");
}

export async function generatedSections(resourcesOf: StackResources = stackResources()): Promise<Record<string, string>> {
    return {
        "config-reference": renderConfigReference(),
        "cost-summary": await renderCostSummary(resourcesOf),
        "seed-systems": await renderSeedSystems(resourcesOf),
    };
}

function markers(name: string): [string, string] {
    return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

export function readSection(readme: string, name: string): string | undefined {
    const [start, end] = markers(name);
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    return from >= 0 && to > from ? readme.slice(from + start.length, to).trim() : undefined;
}

function writeSection(readme: string, name: string, content: string): string {
    const [start, end] = markers(name);
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
    return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}

async function main(): Promise<void> {
    let readme = fs.readFileSync(README_PATH, "utf8");
    const resourcesOf = stackResources();
    for (const [name, content] of Object.entries(await generatedSections(resourcesOf))) readme = writeSection(readme, name, content);
    fs.writeFileSync(README_PATH, readme);
    console.log("README.md generated sections updated");
    for (const stack of DIAGRAM_STACKS) {
        const resources = await resourcesOf(stack);
        for (const [format, file] of Object.entries(diagramFiles(stack)) as ["mmd" | "svg", string][]) {
            fs.writeFileSync(file, await renderDiagram(resources, format));
            console.log(`${path.relative(ROOT_DIR, file)} updated`);
        }
    }
}

if (require.main === module) {
    main().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
