import { RuleResource } from "./rules";
import { T, isOneOf } from "./types";
import { INVALID_JSON, SECRET, UNKNOWN, Unknown, at, globMatches, isOpaque, jsonValue, list } from "./values";

/**
 * Policy documents in one shape. Documents arrive as JSON strings
 * (`pulumi.jsonStringify`, literal JSON) or as objects (`PolicyDocument` inputs);
 * a document with anything unknown inside is UNKNOWN as a whole.
 */

export interface Statement {
    readonly sid?: string;
    readonly effect: string;
    readonly actions: readonly string[];
    readonly notActions: readonly string[];
    readonly resources: readonly string[];
    readonly notResources: readonly string[];
    readonly principal: unknown;
    readonly notPrincipal: unknown;
    readonly condition: Record<string, Record<string, unknown>>;
}

export interface LocatedDocument {
    /** Where the document sits, e.g. "policy" or "inlinePolicies[0].policy". */
    readonly where: string;
    readonly statements: readonly Statement[] | Unknown | "invalid";
}

function strings(value: unknown): string[] {
    if (value === undefined || value === null) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
}

function toStatement(raw: Record<string, unknown>): Statement {
    return {
        sid: typeof raw.Sid === "string" ? raw.Sid : undefined,
        effect: String(raw.Effect ?? ""),
        actions: strings(raw.Action),
        notActions: strings(raw.NotAction),
        resources: strings(raw.Resource),
        notResources: strings(raw.NotResource),
        principal: raw.Principal,
        notPrincipal: raw.NotPrincipal,
        condition: (raw.Condition ?? {}) as Record<string, Record<string, unknown>>,
    };
}

export function parseDocument(value: unknown): readonly Statement[] | Unknown | "invalid" | undefined {
    const document = jsonValue(value);
    if (document === UNKNOWN || document === SECRET) return UNKNOWN;
    if (document === undefined || document === null) return undefined;
    if (document === INVALID_JSON || typeof document !== "object") return "invalid";
    const raw = (document as Record<string, unknown>).Statement;
    const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (statements.some((statement) => typeof statement !== "object" || statement === null)) return "invalid";
    return statements.map((statement) => toStatement(statement as Record<string, unknown>));
}

function located(where: string, value: unknown): LocatedDocument[] {
    const statements = parseDocument(value);
    return statements === undefined ? [] : [{ where, statements }];
}

/** Identity-based policy documents: managed policies, role/user/group policies, role inline policies. */
export function identityDocuments(resource: RuleResource): LocatedDocument[] | Unknown {
    const { props, type } = resource;
    if ([...T.iamPolicy, ...T.iamRolePolicy, ...T.iamUserPolicy, ...T.iamGroupPolicy].includes(type as never)) {
        return located("policy", at(props, "policy"));
    }
    if (isOneOf(type, T.iamRole)) {
        const inline = list(props, "inlinePolicies");
        if (isOpaque(inline)) return UNKNOWN;
        return inline.flatMap((entry, index) => located(`inlinePolicies[${index}].policy`, at(entry, "policy")));
    }
    return [];
}

export const IDENTITY_POLICY_TYPES: readonly string[] = [...T.iamPolicy, ...T.iamRolePolicy, ...T.iamUserPolicy, ...T.iamGroupPolicy, ...T.iamRole];

/** Resource-based policies: who else may use a bucket, queue, topic, repository, secret or key. */
export const RESOURCE_POLICY_TYPES: readonly string[] = [
    ...T.bucketPolicy,
    ...T.bucket,
    ...T.sqsQueuePolicy,
    ...T.sqsQueue,
    ...T.snsTopicPolicy,
    ...T.snsTopic,
    ...T.ecrRepositoryPolicy,
    ...T.secretPolicy,
    ...T.secret,
    ...T.kmsKey,
];

export function resourceDocuments(resource: RuleResource): LocatedDocument[] {
    if (!RESOURCE_POLICY_TYPES.includes(resource.type)) return [];
    return located("policy", at(resource.props, "policy"));
}

export function trustDocument(resource: RuleResource): LocatedDocument[] {
    return isOneOf(resource.type, T.iamRole) ? located("assumeRolePolicy", at(resource.props, "assumeRolePolicy")) : [];
}

export const isAllow = (statement: Statement) => statement.effect.toLowerCase() === "allow";

/**
 * `*`, a whole service (`s3:*`), or a wildcard service (`*:*`, `*:Get*`, `s*:*`): every
 * pattern that grants whole services, whatever the statement's Resource says.
 */
export function isWildcardAction(action: string): boolean {
    const trimmed = action.trim();
    if (trimmed === "*") return true;
    const [service, name] = trimmed.split(":", 2);
    if (name === undefined) return /[*?]/.test(service);
    return /[*?]/.test(service) || /^\*+$/.test(name);
}

/**
 * A Resource that names no particular resource: `*`, or an ARN whose resource
 * part is only wildcards, optionally after its resource type: `arn:aws:s3:::*` (and every
 * object of every bucket), `arn:aws:kms:*:*:key/*`, `arn:aws:secretsmanager:us-east-2:123456789012:secret:*`,
 * `arn:*:*:*:*:*`. Objects under `arn:aws:s3:::dev-lake-*`, or `...:log-group:/ecs/app:*`, name a resource
 * and are scoped.
 */
export function isBroadResource(resource: string): boolean {
    const trimmed = resource.trim();
    if (/^[*?]+$/.test(trimmed)) return true;
    const parts = trimmed.split(":");
    if (parts[0].toLowerCase() !== "arn" || parts.length < 6) return false;
    const service = parts[2];
    const rest = parts.slice(5).join(":");
    const wild = (text: string) => /^[*?]+$/.test(text);
    if (wild(service) || wild(rest)) return true;
    if (service.toLowerCase() === "s3") return wild(rest.split("/")[0]);
    // "<type>/<wildcards>" or "<type>:<wildcards>" (key/*, secret:*, table/*, repository/*, log-group:*)
    const match = /^[A-Za-z0-9_.-]+[/:](.*)$/.exec(rest);
    return match !== null && match[1].split(/[/:]/).every(wild);
}

/** The policy's action patterns that cover a concrete action name. */
export function actionCovers(pattern: string, action: string): boolean {
    return globMatches(pattern.trim(), action);
}

/** Principal values of one kind ("AWS", "Service", ...), "*" standing for everyone. */
export function principals(principal: unknown): { everyone: boolean; byKind: Record<string, string[]> } {
    if (principal === "*") return { everyone: true, byKind: {} };
    if (principal === null || typeof principal !== "object") return { everyone: false, byKind: {} };
    const byKind: Record<string, string[]> = {};
    for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) byKind[kind] = strings(value);
    const everyone = Object.entries(byKind).some(([kind, values]) => kind !== "Service" && values.includes("*"));
    return { everyone, byKind };
}

/** Condition keys that narrow "everyone" to a known account, organization, network or caller. */
const NARROWING_CONDITION_KEYS = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceip",
    "aws:userid",
    "kms:calleraccount",
    "kms:viaservice",
];

export function hasNarrowingCondition(statement: Statement): boolean {
    return Object.values(statement.condition).some(
        (block) =>
            block !== null && typeof block === "object" && Object.keys(block).some((key) => NARROWING_CONDITION_KEYS.includes(key.toLowerCase())),
    );
}

export function describeStatement(statement: Statement, index: number): string {
    return statement.sid ? `statement "${statement.sid}"` : `statement ${index}`;
}
