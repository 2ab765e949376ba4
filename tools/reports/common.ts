import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { allPolicies, operationsPolicies } from "../../policy-pack/policies";
import { PackPolicy, isResourcePolicy } from "../../policy-pack/policies/rules";
import type { DeploymentResource } from "../deployment";
import { PackConfig, PolicyFinding, WaivedViolation, levelOf } from "../policy-runner";

/**
 * What the SARIF and JUnit reports (`--sarif F`, `--junit F` on `npm run plan` and
 * `npm run policy`) are made from, and the helpers both share: which resources each
 * policy evaluated, where in the repository a finding is shown, stable ordering.
 * Nothing here reads the clock or the machine: the same input gives the same bytes.
 */

/** The repository root: report locations are relative to it (what GitHub code scanning expects). */
export const REPO_ROOT = path.join(__dirname, "..", "..");

/** The file results are shown in: a stack file `Pulumi.<stack>.yaml`, else the judged state file. */
export interface ReportArtifact {
    /** Relative to the repository root, with "/" separators (a relative URI). */
    readonly path: string;
    /** The file's text when it is a stack file (to point at the line that configures a finding's tier). */
    readonly text?: string;
}

export interface PolicyReportInput {
    /** Which CLI judged: names the SARIF run (`automationDetails.id`) and the JUnit suites. */
    readonly tool: "plan" | "policy";
    readonly project?: string;
    readonly stack?: string;
    readonly artifact: ReportArtifact;
    /** The levels in force (a pack config) and, in words, where they come from. */
    readonly config: PackConfig;
    readonly levels: string;
    /** The resources the pack judged (the state's, or the plan's). */
    readonly resources: readonly DeploymentResource[];
    /** Findings no waiver covers, "cannot tell" entries included (`cannotTell` set). */
    readonly violations: readonly PolicyFinding[];
    /** Findings an active waiver accepts, each with its waiver. */
    readonly waived: readonly WaivedViolation[];
}

/** A finding as both reports see it: not waived, waived (with its waiver), or undecided ("cannot tell"). */
export type ReportFinding = PolicyFinding & { readonly waiver?: WaivedViolation["waiver"] };

export type Outcome = "mandatory" | "advisory" | "cannot-tell";

/** How a finding counts: "cannot tell" entries are neither pass nor fail; remediate counts as mandatory (as the runner does). */
export function outcomeOf(finding: PolicyFinding): Outcome {
    if (finding.cannotTell) return "cannot-tell";
    return finding.enforcementLevel === "mandatory" || finding.enforcementLevel === "remediate" ? "mandatory" : "advisory";
}

/** Every finding, waived ones included, in a stable order: policy, URN (stack-level last), message. */
export function allFindings(input: PolicyReportInput): ReportFinding[] {
    return [...input.violations, ...input.waived].sort(compareFindings);
}

export function compareFindings(a: ReportFinding, b: ReportFinding): number {
    return (
        compare(a.policy, b.policy) ||
        compare(a.urn ?? "\uffff", b.urn ?? "\uffff") ||
        compare(a.message, b.message) ||
        compare(a.waiver ? "1" : "0", b.waiver ? "1" : "0")
    );
}

/** Code-unit order, independent of the locale (localeCompare is not). */
export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** The pack's policies, sorted by name. */
export function sortedPolicies(): PackPolicy[] {
    return [...allPolicies].sort((a, b) => compare(a.name, b.name));
}

export type EffectiveLevel = "mandatory" | "advisory" | "disabled";

/** A policy's level under the levels in force (remediate reads as mandatory, as the runner treats it). */
export function effectiveLevel(policy: PackPolicy, config: PackConfig): EffectiveLevel {
    const level = levelOf(policy, config);
    return level === "remediate" ? "mandatory" : level;
}

/** "resource" or "stack": how the policy runs (one resource at a time, or a resource with its sub-resources). */
export function policyKind(policy: PackPolicy): "resource" | "stack" {
    return isResourcePolicy(policy) ? "resource" : "stack";
}

/** Operations policies (tags, backups, retention) are not security checks; every other group is. */
export function isSecurityPolicy(policy: PackPolicy): boolean {
    return !operationsPolicies.includes(policy);
}

/** "checkov CKV_AWS_19, CKV_AWS_145; AWS Security Hub FSBP S3.4 (retired)": the policy's IDs in other catalogs. */
export function referenceIds(policy: PackPolicy): { checkov: string[]; securityHub: string[] } {
    const refs = policy.references;
    return {
        checkov: [...refs.checkov],
        securityHub: [
            ...refs.securityHub,
            ...(refs.securityHubOther ?? []).map((id) => `${id} (other standard)`),
            ...(refs.securityHubRetired ?? []).map((id) => `${id} (retired)`),
        ],
    };
}

/**
 * The resources a policy evaluated: the custom resources of its types (a resource
 * rule returns at once on any other type; a stack rule reads exactly these), as
 * the runner selects them (no components, no `pulumi:` providers).
 */
export function evaluatedResources(policy: PackPolicy, resources: readonly DeploymentResource[]): DeploymentResource[] {
    const types = new Set(policy.resourceTypes);
    return resources.filter((resource) => resource.custom !== false && !resource.type.startsWith("pulumi:") && types.has(resource.type));
}

/** A resource's logical name: the last `::` segment of its URN. */
export function logicalNameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The resource type of a URN (the last type of its parent chain). */
export function typeOf(urn: string): string {
    const parts = urn.split("::");
    return (parts.length >= 4 ? parts[2] : urn).split("$").pop() ?? urn;
}

/** The URN of the stack itself, for findings of a stack rule that name no resource. */
export function stackUrn(input: PolicyReportInput): string {
    const stack = input.stack ?? "unknown";
    const project = input.project ?? "unknown";
    return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** A hex SHA-256 of the parts, NUL-separated. */
export function hash(...parts: readonly string[]): string {
    return createHash("sha256").update(parts.join("\0")).digest("hex");
}

/**
 * The tier a URN belongs to: its innermost `data-platform:<tier>:<Component>` parent
 * (the Platform component itself is no tier), e.g. "network".
 */
export function tierOf(urn: string): string | undefined {
    const parts = urn.split("::");
    if (parts.length < 4) return undefined;
    const tiers = parts[2]
        .split("$")
        .map((type) => /^data-platform:([a-z][a-z-]*):/.exec(type)?.[1])
        .filter((tier): tier is string => tier !== undefined && tier !== "platform");
    return tiers.pop();
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The 1-based line of the stack file that configures a URN's tier (`data-platform:network:`),
 * else 1: the stack file as a whole decides what the program builds.
 */
export function lineOf(artifact: ReportArtifact, urn: string | undefined): number {
    const tier = urn ? tierOf(urn) : undefined;
    if (!tier || artifact.text === undefined) return 1;
    const keys = [...new Set([tier, camel(tier)])].map(escapeRegex).join("|");
    const pattern = new RegExp(`^\\s+["']?data-platform:(?:${keys})["']?\\s*:`);
    const index = artifact.text.split("\n").findIndex((line) => pattern.test(line));
    return index >= 0 ? index + 1 : 1;
}

/** `file` relative to the repository root with "/" separators; a file outside it keeps the path it was given. */
export function repositoryPath(file: string): string {
    const relative = path.relative(REPO_ROOT, path.resolve(file));
    const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
    return (inside ? relative : file).split(path.sep).join("/");
}

/** This repository's stack file of `stack`: `Pulumi.<stack>.yaml` at the root (it may not exist). */
export function stackFilePath(stack: string): string {
    return path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
}

/**
 * Where findings are shown: the stack file when there is one for the stack
 * (`Pulumi.<stack>.yaml` in `root`), else the file that was judged.
 */
export function reportArtifact(stackFile: string | undefined, judgedFile: string): ReportArtifact {
    if (stackFile && fs.existsSync(stackFile)) return { path: repositoryPath(stackFile), text: fs.readFileSync(stackFile, "utf8") };
    return { path: repositoryPath(judgedFile) };
}

/**
 * Why an output path cannot be written, or undefined when it can: it must name a file
 * (not a folder) in a folder that exists, and be writable. Checked before any work.
 */
export function outputPathProblem(flag: string, file: string): string | undefined {
    if (/[\\/]$/.test(file)) return `${flag} ${file} names a folder; expected a file path`;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return `${flag} ${file} is a directory; expected a file path`;
    const folder = path.dirname(path.resolve(file));
    const parent = fs.statSync(folder, { throwIfNoEntry: false });
    if (!parent) return `${flag} ${file}: the folder ${folder} does not exist (create it first)`;
    if (!parent.isDirectory()) return `${flag} ${file}: ${folder} is not a folder`;
    try {
        fs.accessSync(stat ? file : folder, fs.constants.W_OK);
    } catch {
        return `${flag} ${file}: ${stat ? "the file" : `the folder ${folder}`} is not writable`;
    }
    return undefined;
}

/** Two output flags naming the same file, as "--json and --sarif both name F; give each its own file", or undefined. */
export function sameOutputProblem(outputs: Readonly<Record<string, string | undefined>>): string | undefined {
    const seen = new Map<string, string>();
    for (const [flag, file] of Object.entries(outputs)) {
        if (file === undefined) continue;
        const key = path.resolve(file);
        const other = seen.get(key);
        if (other) return `${other} and ${flag} both name ${file}; give each its own file`;
        seen.set(key, flag);
    }
    return undefined;
}
