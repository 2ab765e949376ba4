import { PACK_NAME } from "../../policy-pack/policies";
import { PackPolicy } from "../../policy-pack/policies/rules";
import {
    PolicyReportInput,
    ReportFinding,
    allFindings,
    compare,
    effectiveLevel,
    evaluatedResources,
    logicalNameOf,
    outcomeOf,
    referenceIds,
    sortedPolicies,
    typeOf,
} from "./common";

/**
 * JUnit XML from a policy run (`--junit F` on `npm run plan` and `npm run policy`),
 * for CI test reporters.
 *
 * - One `<testsuite>` per policy of the pack (name = policy name), with the level in
 *   force, severity and checkov / Security Hub IDs as `<properties>`.
 * - One `<testcase>` per resource the policy evaluated (classname = policy, name =
 *   `<type>::<logical name>`, the full URN when two resources share that), plus
 *   `(stack)` for findings of a stack rule that name no resource:
 *   - a mandatory finding is a `<failure type="mandatory">` (it is what exit 1 means);
 *   - an advisory finding passes, its message in `<system-out>`: advisory never
 *     fails the run, and "skipped" would say the check did not run when it did;
 *   - a waived finding is `<skipped message="waived until ...: reason">` (accepted,
 *     not counted, like an expected failure), a "cannot tell" entry is
 *     `<skipped message="cannot tell yet: ...">` (the policy could not decide);
 *   - a disabled policy has one `<skipped>` case, `(disabled)`.
 * - `time="0"` everywhere and everything sorted: the same input gives the same bytes.
 */

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/U+FFFF): shown as U+FFFD. */
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: `&`, `<`, `>` escaped (`>` for `]]>`), characters XML cannot carry replaced. */
export function xmlText(text: string): string {
    return text.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value in double quotes: also `"` escaped and tab/LF/CR as references (a parser would fold them to spaces). */
export function xmlAttribute(text: string): string {
    return xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

function attributes(values: Readonly<Record<string, string | number>>): string {
    return Object.entries(values)
        .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
        .join("");
}

interface Case {
    readonly name: string;
    readonly urn?: string;
    readonly findings: ReportFinding[];
    readonly disabled?: string;
}

interface Counts {
    tests: number;
    failures: number;
    skipped: number;
}

/** `<type>::<logical name>` for each URN, or the URN itself where two would read the same. */
function caseNames(urns: readonly string[]): Map<string, string> {
    const short = (urn: string) => `${typeOf(urn)}::${logicalNameOf(urn)}`;
    const uses = new Map<string, number>();
    for (const urn of urns) uses.set(short(urn), (uses.get(short(urn)) ?? 0) + 1);
    return new Map(urns.map((urn) => [urn, (uses.get(short(urn)) ?? 0) > 1 ? urn : short(urn)]));
}

function casesOf(policy: PackPolicy, input: PolicyReportInput, findings: readonly ReportFinding[]): Case[] {
    const level = effectiveLevel(policy, input.config);
    if (level === "disabled") return [{ name: "(disabled)", findings: [], disabled: `disabled under ${input.levels}` }];
    const urns = new Set(evaluatedResources(policy, input.resources).map((resource) => resource.urn));
    for (const finding of findings) if (finding.urn) urns.add(finding.urn);
    const names = caseNames([...urns]);
    const cases: Case[] = [...urns].map((urn) => ({ name: names.get(urn) ?? urn, urn, findings: findings.filter((item) => item.urn === urn) }));
    const stackLevel = findings.filter((item) => !item.urn);
    if (stackLevel.length > 0) cases.push({ name: "(stack)", findings: stackLevel });
    return cases.sort((a, b) => compare(a.name, b.name));
}

function findingLine(finding: ReportFinding): string {
    if (finding.waiver)
        return `waived (${finding.enforcementLevel}) until ${finding.waiver.expires}: ${finding.message} (reason: ${finding.waiver.reason})`;
    const outcome = outcomeOf(finding);
    return `${outcome === "cannot-tell" ? "cannot tell (advisory)" : outcome}: ${finding.message}`;
}

function renderCase(policy: PackPolicy, item: Case, file: string, counts: Counts): string[] {
    counts.tests++;
    const open = `    <testcase${attributes({ classname: policy.name, name: item.name, file, time: 0 })}`;
    if (item.disabled) {
        counts.skipped++;
        return [`${open}>`, `      <skipped${attributes({ message: item.disabled })}/>`, "    </testcase>"];
    }
    const body: string[] = [];
    const mandatory = item.findings.filter((finding) => !finding.waiver && outcomeOf(finding) === "mandatory");
    const waived = item.findings.filter((finding) => finding.waiver);
    const undecided = item.findings.filter((finding) => !finding.waiver && outcomeOf(finding) === "cannot-tell");
    if (mandatory.length > 0) {
        counts.failures++;
        const message = mandatory.length === 1 ? mandatory[0].message : `${mandatory.length} mandatory findings: ${mandatory[0].message}`;
        body.push(
            `      <failure${attributes({ type: "mandatory", message })}>${xmlText(mandatory.map((finding) => finding.message).join("\n"))}</failure>`,
        );
    } else if (waived.length > 0 || undecided.length > 0) {
        counts.skipped++;
        const first = waived[0] ?? undecided[0];
        const message = first.waiver ? `waived until ${first.waiver.expires}: ${first.waiver.reason}` : first.message;
        body.push(`      <skipped${attributes({ message })}/>`);
    }
    const lines = [...(item.urn ? [`urn: ${item.urn}`] : []), ...item.findings.map(findingLine)];
    if (item.findings.length > 0) body.push(`      <system-out>${xmlText(lines.join("\n"))}</system-out>`);
    return body.length > 0 ? [`${open}>`, ...body, "    </testcase>"] : [`${open}/>`];
}

function property(name: string, value: string): string {
    return `      <property${attributes({ name, value })}/>`;
}

/** The JUnit XML of a policy run, as the file `--junit F` writes. */
export function renderJunit(input: PolicyReportInput): string {
    const findings = allFindings(input);
    const total: Counts = { tests: 0, failures: 0, skipped: 0 };
    const suites = sortedPolicies().map((policy) => {
        const counts: Counts = { tests: 0, failures: 0, skipped: 0 };
        const own = findings.filter((finding) => finding.policy === policy.name);
        const cases = casesOf(policy, input, own).flatMap((item) => renderCase(policy, item, input.artifact.path, counts));
        total.tests += counts.tests;
        total.failures += counts.failures;
        total.skipped += counts.skipped;
        const ids = referenceIds(policy);
        const advisory = own.filter((finding) => !finding.waiver && outcomeOf(finding) === "advisory").length;
        return [
            `  <testsuite${attributes({ name: policy.name, tests: counts.tests, failures: counts.failures, errors: 0, skipped: counts.skipped, time: 0 })}>`,
            "    <properties>",
            property("level", effectiveLevel(policy, input.config)),
            property("severity", policy.severity ?? "unspecified"),
            property("description", policy.description),
            property("checkov", ids.checkov.join(", ")),
            property("securityHub", ids.securityHub.join(", ")),
            property("advisoryFindings", String(advisory)),
            "    </properties>",
            ...cases,
            "  </testsuite>",
        ];
    });
    const name = `${PACK_NAME}: stack ${input.stack ?? "unknown"} (${input.tool === "plan" ? "npm run plan" : "npm run policy"}; ${input.levels})`;
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites${attributes({ name, tests: total.tests, failures: total.failures, errors: 0, skipped: total.skipped, time: 0 })}>`,
        ...suites.flat(),
        "</testsuites>",
        "",
    ].join("\n");
}
