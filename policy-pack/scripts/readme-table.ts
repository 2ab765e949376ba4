import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies";
import { PackPolicy } from "../policies/rules";

/**
 * Renders the rule table of policy-pack/README.md (with the rule count above it)
 * from the policies' own metadata and the per-stack configs, so the README
 * cannot drift from the code.
 * Usage: node -r ./tools/ts-register.js policy-pack/scripts/readme-table.ts [--write]
 * (prints the table; --write replaces it between the rule-table markers of the README).
 */

export const STACK_CONFIGS = ["dev", "staging", "prod"] as const;
const CONFIG_DIR = path.join(__dirname, "..", "config");

type Entry = string | { enforcementLevel?: string };

function levelIn(policy: PackPolicy, config: Record<string, Entry>): string {
    const read = (entry: Entry | undefined) => (typeof entry === "string" ? entry : entry?.enforcementLevel);
    return read(config[policy.name]) ?? read(config.all) ?? policy.enforcementLevel ?? "advisory";
}

function shortTypes(types: readonly string[]): string {
    // "aws:rds/instance:Instance" → "rds.Instance"
    const names = [...new Set(types.map((type) => `${type.split(":")[1]?.split("/")[0]}.${type.split(":")[2]}`))];
    return names.length > 12 ? `${names.length} taggable types (taggable-types.ts)` : names.map((name) => `\`${name}\``).join(", ");
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** How many rules the pack has, by kind (the README states it; other docs may quote it). */
export function ruleCount(): { total: number; resource: number; stack: number } {
    const stack = allPolicies.filter((policy) => "validateStack" in policy).length;
    return { total: allPolicies.length, resource: allPolicies.length - stack, stack };
}

export function renderRuleTable(): string {
    const configs = STACK_CONFIGS.map(
        (stack) => JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${stack}.json`), "utf8")) as Record<string, Entry>,
    );
    const header = [
        "| Rule | Kind | Resource types | What it checks | dev | staging | prod | checkov | Security Hub FSBP |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    const rows = allPolicies.map((policy) => {
        const kind = "validateStack" in policy ? "stack" : "resource";
        const levels = configs.map((config) => levelIn(policy, config));
        const fsbp = [
            ...policy.references.securityHub,
            ...(policy.references.securityHubOther ?? []).map((id) => `(${id})`),
            ...(policy.references.securityHubRetired ?? []).map((id) => `${id} (retired)`),
        ];
        return `| \`${policy.name}\` | ${kind} | ${shortTypes(policy.resourceTypes)} | ${cell(policy.description)} | ${levels.join(" | ")} | ${policy.references.checkov.join(", ") || "—"} | ${fsbp.join(", ") || "—"} |`;
    });
    const count = ruleCount();
    const summary = `${count.total} rules: ${count.resource} resource rules (one resource at a time) and ${count.stack} stack rules (a resource with its sub-resources).`;
    return [summary, "", ...header, ...rows].join("\n");
}

const README = path.join(__dirname, "..", "README.md");
const START = "<!-- rule-table:start";
const END = "<!-- rule-table:end -->";

/** The README with its generated section replaced by the current table. */
export function renderedReadme(readme: string = fs.readFileSync(README, "utf8")): string {
    const start = readme.indexOf("-->", readme.indexOf(START)) + "-->".length;
    const end = readme.indexOf(END);
    if (readme.indexOf(START) < 0 || end < start) throw new Error(`${README} has no ${START} ... ${END} section`);
    return `${readme.slice(0, start)}\n${renderRuleTable()}\n${readme.slice(end)}`;
}

if (require.main === module) {
    if (process.argv.includes("--write")) fs.writeFileSync(README, renderedReadme());
    else process.stdout.write(`${renderRuleTable()}\n`);
}
