import { version as PACK_VERSION } from "../../policy-pack/package.json";
import { PACK_NAME } from "../../policy-pack/policies";
import { PackPolicy } from "../../policy-pack/policies/rules";
import {
    EffectiveLevel,
    PolicyReportInput,
    ReportFinding,
    allFindings,
    effectiveLevel,
    hash,
    isSecurityPolicy,
    lineOf,
    logicalNameOf,
    outcomeOf,
    policyKind,
    referenceIds,
    sortedPolicies,
    stackUrn,
    typeOf,
} from "./common";

/**
 * SARIF 2.1.0 from a policy run (`--sarif F` on `npm run plan` and `npm run policy`),
 * for GitHub code scanning (`github/codeql-action/upload-sarif`) and any SARIF viewer.
 *
 * - One rule per policy of the pack: id = policy name, a PascalCase name, the
 *   description, help text with the policy's checkov and AWS Security Hub (FSBP) IDs,
 *   and `defaultConfiguration.level` from the levels in force (mandatory → error,
 *   advisory → warning, disabled → none and `enabled: false`); the pack's own default
 *   level is in `properties.packDefaultLevel`.
 * - One result per finding: mandatory → error, advisory → warning, "cannot tell"
 *   (a value unknown until apply, or an encrypted secret) → note. Waived findings are
 *   results too, with `suppressions: [{kind: "external", status: "accepted",
 *   justification: <the waiver's reason>}]`.
 * - Location: the stack file (`Pulumi.<stack>.yaml`, relative to the repository root;
 *   the judged file when the state is no stack of this project) at the line that
 *   configures the resource's tier (`data-platform:network:`), else line 1; and a
 *   logical location with the resource's logical name and its URN.
 * - `partialFingerprints["policyUrnHash/v1"]`: SHA-256 of policy and URN (and, for a
 *   second finding of the same policy on the same resource, its ordinal), stable
 *   across runs, so an alert follows the resource rather than a line.
 * - `automationDetails.id` is `data-platform-policies/<stack>/`: one code-scanning
 *   category per stack, whichever CLI wrote it.
 *
 * No time stamps, paths relative to the repository, everything sorted: the same
 * input gives the same bytes.
 */

export const SARIF_VERSION = "2.1.0";
/** The OASIS Standard's schema (a copy is in tests/fixtures/schemas/). */
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";
const FINGERPRINT = "policyUrnHash/v1";

type Level = "error" | "warning" | "note" | "none";

const LEVEL_OF: Readonly<Record<EffectiveLevel, Level>> = { mandatory: "error", advisory: "warning", disabled: "none" };

/** GitHub's `security-severity` (0.0-10.0): critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low below. */
const SECURITY_SEVERITY: Readonly<Record<string, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export interface SarifMessage {
    readonly text: string;
    readonly markdown?: string;
}

export interface SarifRule {
    readonly id: string;
    readonly name: string;
    readonly shortDescription: SarifMessage;
    readonly fullDescription: SarifMessage;
    readonly help: SarifMessage;
    readonly defaultConfiguration: { readonly level: Level; readonly enabled?: false };
    readonly properties: Record<string, unknown>;
}

export interface SarifResult {
    readonly ruleId: string;
    readonly ruleIndex: number;
    readonly level: Level;
    readonly message: SarifMessage;
    readonly locations: readonly unknown[];
    readonly partialFingerprints: Readonly<Record<string, string>>;
    readonly suppressions?: readonly { readonly kind: "external"; readonly status: "accepted"; readonly justification: string }[];
    readonly properties: Record<string, unknown>;
}

export interface SarifLog {
    readonly $schema: string;
    readonly version: typeof SARIF_VERSION;
    readonly runs: readonly {
        readonly tool: { readonly driver: Record<string, unknown> & { readonly rules: readonly SarifRule[] } };
        readonly automationDetails: { readonly id: string };
        readonly invocations: readonly { readonly executionSuccessful: boolean }[];
        readonly results: readonly SarifResult[];
        readonly properties: Record<string, unknown>;
    }[];
}

/** "s3-bucket-encryption" → "S3BucketEncryption". */
function pascal(name: string): string {
    return name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((word) => word[0].toUpperCase() + word.slice(1))
        .join("");
}

/** The first sentence (GitHub shows `shortDescription` on one line). */
function firstSentence(text: string): string {
    const match = /^(.+?[.!?])(\s|$)/.exec(text);
    return match ? match[1] : text;
}

function rule(policy: PackPolicy, input: PolicyReportInput): SarifRule {
    const level = effectiveLevel(policy, input.config);
    const ids = referenceIds(policy);
    const security = isSecurityPolicy(policy);
    const list = (items: readonly string[]) => (items.length > 0 ? items.join(", ") : "none");
    const code = (items: readonly string[]) => (items.length > 0 ? items.map((item) => `\`${item}\``).join(", ") : "none");
    const levelLine = `${level} (${LEVEL_OF[level]}) under ${input.levels}; the pack's default: ${policy.enforcementLevel}. Severity: ${policy.severity ?? "unspecified"}.`;
    return {
        id: policy.name,
        name: pascal(policy.name),
        shortDescription: { text: firstSentence(policy.description) },
        fullDescription: { text: policy.description },
        help: {
            text: [
                policy.description,
                "",
                `Level: ${levelLine}`,
                `checkov: ${list(ids.checkov)}`,
                `AWS Security Hub (FSBP): ${list(ids.securityHub)}`,
                `Runs as a ${policyKind(policy)} policy of the ${PACK_NAME} pack (policy-pack/README.md).`,
            ].join("\n"),
            markdown: [
                policy.description,
                "",
                `- **Level:** ${levelLine}`,
                `- **checkov:** ${code(ids.checkov)}`,
                `- **AWS Security Hub (FSBP):** ${code(ids.securityHub)}`,
                `- Runs as a ${policyKind(policy)} policy of the \`${PACK_NAME}\` pack (\`policy-pack/README.md\`).`,
            ].join("\n"),
        },
        defaultConfiguration: level === "disabled" ? { level: "none", enabled: false } : { level: LEVEL_OF[level] },
        properties: {
            tags: [...(security ? ["security"] : []), "pulumi", "policy-as-code", policyKind(policy)],
            precision: "very-high",
            ...(security ? { "security-severity": SECURITY_SEVERITY[policy.severity ?? "medium"] ?? "5.5" } : {}),
            enforcementLevel: level,
            packDefaultLevel: policy.enforcementLevel,
            severity: policy.severity,
            checkov: ids.checkov,
            securityHub: ids.securityHub,
        },
    };
}

function levelOfFinding(finding: ReportFinding): Level {
    const outcome = outcomeOf(finding);
    return outcome === "mandatory" ? "error" : outcome === "advisory" ? "warning" : "note";
}

/** A relative URI for a repository path (each segment percent-encoded). */
function uriOf(file: string): string {
    return file
        .split("/")
        .map((segment) => encodeURIComponent(segment))
        .join("/");
}

/** The SARIF log of a policy run, as an object. */
export function toSarif(input: PolicyReportInput): SarifLog {
    const policies = sortedPolicies();
    const index = new Map(policies.map((policy, position) => [policy.name, position]));
    const rules = policies.map((policy) => rule(policy, input));
    const ordinals = new Map<string, number>();
    const results = allFindings(input).map((finding): SarifResult => {
        const urn = finding.urn ?? stackUrn(input);
        const key = `${finding.policy}\0${urn}`;
        const ordinal = ordinals.get(key) ?? 0;
        ordinals.set(key, ordinal + 1);
        const ruleIndex = index.get(finding.policy);
        if (ruleIndex === undefined) throw new Error(`SARIF: finding of unknown policy ${finding.policy}`);
        return {
            ruleId: finding.policy,
            ruleIndex,
            level: levelOfFinding(finding),
            message: { text: finding.message },
            locations: [
                {
                    physicalLocation: {
                        artifactLocation: { uri: uriOf(input.artifact.path) },
                        region: { startLine: lineOf(input.artifact, finding.urn) },
                    },
                    logicalLocations: [{ name: logicalNameOf(urn), fullyQualifiedName: urn, kind: "resource" }],
                },
            ],
            partialFingerprints: { [FINGERPRINT]: ordinal === 0 ? hash(finding.policy, urn) : hash(finding.policy, urn, String(ordinal)) },
            ...(finding.waiver ? { suppressions: [{ kind: "external", status: "accepted", justification: finding.waiver.reason }] } : {}),
            properties: {
                enforcementLevel: finding.enforcementLevel,
                resourceType: finding.urn ? typeOf(finding.urn) : "pulumi:pulumi:Stack",
                ...(finding.cannotTell ? { cannotTell: finding.cannotTell } : {}),
                ...(finding.waiver ? { waiver: { urn: finding.waiver.urn, expires: finding.waiver.expires } } : {}),
            },
        };
    });
    const stack = input.stack ?? "unknown";
    return {
        $schema: SARIF_SCHEMA_URI,
        version: SARIF_VERSION,
        runs: [
            {
                tool: {
                    driver: {
                        name: PACK_NAME,
                        fullName: `${PACK_NAME} ${PACK_VERSION} (data-platform offline policy runner)`,
                        version: PACK_VERSION,
                        semanticVersion: PACK_VERSION,
                        rules,
                    },
                },
                automationDetails: { id: `${PACK_NAME}/${stack}/` },
                invocations: [{ executionSuccessful: true }],
                results,
                properties: {
                    tool: input.tool === "plan" ? "npm run plan" : "npm run policy",
                    ...(input.project ? { project: input.project } : {}),
                    stack,
                    levels: input.levels,
                },
            },
        ],
    };
}

/** The SARIF log as the file `--sarif F` writes (two-space JSON, final newline). */
export function renderSarif(input: PolicyReportInput): string {
    return `${JSON.stringify(toSarif(input), null, 2)}\n`;
}
