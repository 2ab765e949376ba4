import { PlanDocument, SECRET_MARKER, Violation, logicalName } from "../deployment";
import { CostLine, PlanDiff, ResourceChange, ValueChange, diffPlans } from "./diff";
import { changeDiagram } from "./mermaid";
import { typeNoun } from "./names";

/**
 * The PR report: a Markdown comparison of a plan with the plan of the PR's base, for a pull-request
 * comment. Stateful resources that the change replaces or deletes come first, in a warning; then the
 * resources added, changed (which inputs, replacements marked) and removed; the monthly cost delta
 * by tier with its drivers; new and resolved policy violations; and a Mermaid diagram of the changed
 * part of the graph. Deterministic: the same two documents give the same bytes (no timestamps).
 */

/** Rows a table shows before it says how many more there are (a PR comment holds 65,536 characters). */
export const MAX_ROWS = 100;
/** Value changes one row shows. */
export const MAX_VALUES = 6;
const MAX_VALUE_CHARS = 60;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function usd(value: number): string {
    return `$${Math.abs(value).toFixed(2)}`;
}

function signedUsd(value: number): string {
    if (value === 0) return "$0.00";
    return `${value > 0 ? "+" : "-"}${usd(value)}`;
}

/** Text in a Markdown table cell: no pipes or line breaks. */
function cell(value: string): string {
    return value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A code span that holds any text (backticks included). */
function code(value: string): string {
    const flat = value.replace(/\r?\n/g, " ");
    const ticks = (flat.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = "`".repeat(ticks + 1);
    const pad = ticks > 0 || flat.startsWith("`") || flat.endsWith("`") ? " " : "";
    return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A value as the report shows it: JSON, shortened; secrets stay "[secret]". */
export function formatValue(value: unknown): string {
    if (value === SECRET_MARKER) return SECRET_MARKER;
    const json = JSON.stringify(value) ?? String(value);
    return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS - 1)}…` : json;
}

function describeValue(change: ValueChange): string {
    if (!("before" in change)) return `${code(change.path)}: added ${code(formatValue(change.after))}`;
    if (!("after" in change)) return `${code(change.path)}: removed (was ${code(formatValue(change.before))})`;
    return `${code(change.path)}: ${code(formatValue(change.before))} → ${code(formatValue(change.after))}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
    return `${count} ${count === 1 ? one : many}`;
}

function capped<T>(items: readonly T[], render: (item: T) => string, more: (count: number) => string): string[] {
    const rows = items.slice(0, MAX_ROWS).map(render);
    if (items.length > MAX_ROWS) rows.push(more(items.length - MAX_ROWS));
    return rows;
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

function action(change: ResourceChange): string {
    if (change.kind === "rename") return `**replace** (renamed from ${code(logicalName(change.oldUrn ?? ""))})`;
    if (change.kind === "replace") return `**replace** (forced by ${change.reasons.map(code).join(", ")})`;
    if (change.replacement === "unknown") return `update, or replace: **replacement unknown** (${code(change.type)} is not in the replacement table)`;
    return "update in place";
}

function inputsCell(change: ResourceChange): string {
    const shown = change.values.slice(0, MAX_VALUES).map(describeValue);
    if (change.values.length > MAX_VALUES) shown.push(`… ${plural(change.values.length - MAX_VALUES, "more change")}`);
    const ignored = change.ignored.map((key) => `${code(key)} changed but is in ignoreChanges: no effect`);
    if (change.inputs.length === 0) shown.push("no input changes (the URN changed)");
    return cell([...shown, ...ignored].join("<br>"));
}

/** What a stateful resource loses, in words, for the warning. */
function warningLine(change: ResourceChange): string {
    const what = `${typeNoun(change.type)} ${code(change.name)} (${code(change.type)}, tier ${change.tier})`;
    const dependents = change.dependents.length > 0 ? `; ${plural(change.dependents.length, "resource depends", "resources depend")} on it` : "";
    const protect = change.protect ? "; it is protected, so `pulumi up` stops until `protect` is lifted" : "";
    if (change.kind === "remove") return `- **delete** ${what}: removed from the program${dependents}${protect}`;
    if (change.kind === "rename") {
        return (
            `- **replace** ${what}: its URN changed from ${code(change.oldUrn ?? "")}, so Pulumi creates a new one and deletes the old ` +
            `(add \`aliases\` to the resource to keep it)${dependents}${protect}`
        );
    }
    return `- **replace** ${what}: ${change.reasons.map(code).join(", ")} ${change.reasons.length === 1 ? "forces" : "force"} replacement${dependents}${protect}`;
}

function warnings(diff: PlanDiff): string[] {
    const lossy = diff.changes.filter(
        (change) => change.stateful && (change.kind === "remove" || change.kind === "replace" || change.kind === "rename"),
    );
    if (lossy.length === 0) return [];
    return [
        "> [!CAUTION]",
        `> **This change replaces or deletes ${plural(lossy.length, "stateful resource")}**: the data or identity it holds (objects, keys, images, ` +
            "secrets, addresses) does not survive a replacement.",
        ">",
        ...lossy.map((change) => `> ${warningLine(change)}`),
        "",
    ];
}

function resourceTables(diff: PlanDiff): string[] {
    const added = diff.changes.filter((change) => change.kind === "add");
    const removed = diff.changes.filter((change) => change.kind === "remove");
    const changed = diff.changes.filter((change) => change.kind === "update" || change.kind === "replace" || change.kind === "rename");
    const out = ["### Resources", ""];
    if (diff.changes.length === 0) out.push("No resource is added, changed or removed.", "");
    const more = (count: number) => `| … ${plural(count, "more")} | | |`;
    if (added.length > 0) {
        out.push(`#### Added (${added.length})`, "", "| resource | type | tier |", "| --- | --- | --- |");
        out.push(...capped(added, (c) => `| ${code(c.name)} | ${code(c.type)} | ${cell(c.tier)} |`, more), "");
    }
    if (changed.length > 0) {
        out.push(`#### Changed (${changed.length})`, "", "| resource | type | tier | action | inputs |", "| --- | --- | --- | --- | --- |");
        out.push(
            ...capped(
                changed,
                (c) => `| ${code(c.name)} | ${code(c.type)} | ${cell(c.tier)} | ${cell(action(c))} | ${inputsCell(c)} |`,
                (count) => `| … ${plural(count, "more")} | | | | |`,
            ),
            "",
        );
    }
    if (removed.length > 0) {
        out.push(`#### Removed (${removed.length})`, "", "| resource | type | tier |", "| --- | --- | --- |");
        out.push(...capped(removed, (c) => `| ${code(c.name)} | ${code(c.type)} | ${cell(c.tier)} |`, more), "");
    }
    const { added: newComponents, removed: goneComponents } = diff.components;
    if (newComponents.length + goneComponents.length > 0) {
        const names = (urns: readonly string[]) => urns.map((urn) => code(logicalName(urn))).join(", ");
        out.push(
            `Components: ${[
                ...(newComponents.length > 0 ? [`added ${names(newComponents)}`] : []),
                ...(goneComponents.length > 0 ? [`removed ${names(goneComponents)}`] : []),
            ].join("; ")}.`,
            "",
        );
    }
    const unknown = [...new Set(changed.filter((c) => c.replacement === "unknown").map((c) => c.type))].sort(byText);
    if (unknown.length > 0) {
        out.push(
            `Replacement unknown for ${unknown.map(code).join(", ")}: not in the replacement table (tools/pr-report/replacements.ts); ` +
                "`pulumi preview` says whether the change replaces.",
            "",
        );
    }
    return out;
}

function driver(line: CostLine): string {
    const moved = line.headCount - line.baseCount;
    const what =
        moved !== 0
            ? `${moved > 0 ? "+" : "-"}${Math.abs(moved)} ${typeNoun(line.type, Math.abs(moved))}`
            : `${line.headCount} ${typeNoun(line.type, line.headCount)} (changed)`;
    return `- ${cell(line.tier)}: ${what}: ${signedUsd(line.delta)}`;
}

function costSection(diff: PlanDiff): string[] {
    const cost = diff.cost;
    const out = [`### Monthly cost (${cost.currency})`, ""];
    for (const [which, message] of Object.entries(cost.unpriced))
        if (message) out.push(`The ${which === "base" ? "base" : "head"} plan is not priced: ${message}.`, "");
    const moved = cost.tiers.filter((tier) => tier.delta !== 0);
    out.push(`${usd(cost.base)} → ${usd(cost.head)} per month (**${signedUsd(cost.delta)}**).`, "");
    if (moved.length === 0 && cost.drivers.length === 0) {
        out.push("No change in the estimate.", "");
        return out;
    }
    if (moved.length > 0) {
        out.push("| tier | base | this PR | change |", "| --- | ---: | ---: | ---: |");
        for (const tier of moved) out.push(`| ${cell(tier.tier)} | ${usd(tier.base)} | ${usd(tier.head)} | ${signedUsd(tier.delta)} |`);
        out.push(`| **total** | **${usd(cost.base)}** | **${usd(cost.head)}** | **${signedUsd(cost.delta)}** |`, "");
    }
    if (cost.drivers.length > 0) out.push("Drivers:", "", ...cost.drivers.slice(0, MAX_ROWS).map(driver), "");
    return out;
}

function violationRows(violations: readonly Violation[]): string[] {
    return [
        "| level | policy | resource | message |",
        "| --- | --- | --- | --- |",
        ...capped(
            violations,
            (v) => `| ${v.enforcementLevel} | ${code(v.policy)} | ${v.urn ? code(logicalName(v.urn)) : "(stack)"} | ${cell(v.message)} |`,
            (count) => `| … ${plural(count, "more")} | | | |`,
        ),
        "",
    ];
}

function policySection(diff: PlanDiff): string[] {
    const { added, resolved } = diff.violations;
    const out = ["### Policy", ""];
    if (added.length + resolved.length === 0) return [...out, "No policy finding appears or goes.", ""];
    if (added.length > 0) out.push(`#### New violations (${added.length})`, "", ...violationRows(added));
    if (resolved.length > 0) out.push(`#### Resolved violations (${resolved.length})`, "", ...violationRows(resolved));
    return out;
}

function diagramSection(base: PlanDocument, head: PlanDocument, diff: PlanDiff): string[] {
    const diagram = changeDiagram(base, head, diff);
    if (!diagram) return [];
    const left = [
        ...(diagram.omittedChanges > 0 ? [`${plural(diagram.omittedChanges, "changed resource")} not drawn`] : []),
        ...(diagram.omittedNeighbours > 0 ? [`${plural(diagram.omittedNeighbours, "neighbour")} not drawn`] : []),
    ];
    return [
        "### Graph of the change",
        "",
        "Changed resources and their direct neighbours; an arrow points from a dependency to what depends on it. " +
            "Green: added; yellow: changed in place; red, bold: replaced; red, dashed: removed; grey: unchanged neighbour." +
            (left.length > 0 ? ` (${left.join("; ")}.)` : ""),
        "",
        "```mermaid",
        diagram.mermaid.trimEnd(),
        "```",
        "",
    ];
}

function summary(diff: PlanDiff): string {
    const count = (kind: ResourceChange["kind"][]) => diff.changes.filter((change) => kind.includes(change.kind)).length;
    const replaced = count(["replace", "rename"]);
    const changed = count(["update", "replace", "rename"]);
    return (
        `**+${count(["add"])} added · ~${changed} changed${replaced > 0 ? ` (${replaced} replaced)` : ""} · -${count(["remove"])} removed**; ` +
        `cost ${signedUsd(diff.cost.delta)}/month; policy +${diff.violations.added.length} new, -${diff.violations.resolved.length} resolved`
    );
}

/** The report of `diff` (from {@link diffPlans}) as Markdown. */
export function renderReport(base: PlanDocument, head: PlanDocument, diff: PlanDiff = diffPlans(base, head)): string {
    const against =
        diff.base.stack === diff.head.stack && diff.base.project === diff.head.project
            ? "its base"
            : `the plan of ${code(`${diff.base.project}/${diff.base.stack}`)}`;
    const lines = [
        `## Plan report: ${code(`${diff.head.project}/${diff.head.stack}`)}`,
        "",
        `Compared with ${against} (${plural(diff.base.resources, "resource")} → ${plural(diff.head.resources, "resource")}): ${summary(diff)}.`,
        "",
        ...warnings(diff),
        ...resourceTables(diff),
        ...costSection(diff),
        ...policySection(diff),
        ...diagramSection(base, head, diff),
        "<sub>Offline plan under the mock cloud (ids and ARNs are placeholders). Replacements: tools/pr-report/replacements.ts, from the " +
            "provider schema (ForceNew). Secret inputs compare as [secret]: a changed secret value does not show. " +
            "Written by `npm run plan -- --base BASE.json --markdown FILE`.</sub>",
        "",
    ];
    return lines.join("\n");
}
