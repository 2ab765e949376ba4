import * as assert from "assert";
// AGPL-licensed: imported only from tests, never from the program or tools.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun } from "../../tools/run-program";
import { inputsOf, ofType } from "./helpers";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * Least-privilege checks with an IAM policy simulator, fed the policy documents
 * the program registered: a role's inline and customer-managed policies, and the
 * target's resource policy (bucket policy, key policy, trust policy).
 */

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface PolicyDocument {
    readonly Version: string;
    readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface RoleUnderTest {
    readonly resource: RecordedResource;
    readonly name: string;
    readonly arn: string;
    readonly trustPolicy: PolicyDocument;
    /** Inline and customer-managed policies the program attached: what the simulator evaluates. */
    readonly policies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
    /** AWS-managed policy ARNs attached (their documents are AWS's, outside the simulation). */
    readonly awsManagedPolicyArns: readonly string[];
}

const ROLE = TYPE.iamRole;
const ROLE_POLICY = TYPE.iamRolePolicy;
const ROLE_POLICY_ATTACHMENT = TYPE.iamRolePolicyAttachment;
const MANAGED_POLICY = TYPE.iamPolicy;
const BUCKET_POLICY = TYPE.s3BucketPolicy;
const KMS_KEY = TYPE.kmsKey;
const SECRET_POLICY = TYPE.secretsmanagerSecretPolicy;

function parsePolicy(text: unknown, what: string): PolicyDocument {
    assert.strictEqual(typeof text, "string", `${what} should be a JSON string`);
    return JSON.parse(text as string) as PolicyDocument;
}

/** The role with this physical name, with every policy the program attached to it. */
export function roleNamed(run: ProgramRun, physicalName: string): RoleUnderTest {
    const roles = ofType(run, ROLE).filter((role) => inputsOf(role).name === physicalName);
    assert.strictEqual(roles.length, 1, `expected one role named ${physicalName}, found ${roles.length}`);
    const role = roles[0];
    const inputs = inputsOf(role);
    const attachedTo = (resource: RecordedResource) => inputsOf(resource).role === role.id || inputsOf(resource).role === physicalName;

    const inline = ofType(run, ROLE_POLICY)
        .filter(attachedTo)
        .map((policy) => ({
            name: String(inputsOf(policy).name ?? policy.name),
            policy: parsePolicy(inputsOf(policy).policy, policy.name),
        }));
    const roleInline = ((inputs.inlinePolicies ?? []) as { name: string; policy: string }[]).map((entry) => ({
        name: entry.name,
        policy: parsePolicy(entry.policy, `${physicalName} inline ${entry.name}`),
    }));

    const attachedArns = [
        ...ofType(run, ROLE_POLICY_ATTACHMENT)
            .filter(attachedTo)
            .map((attachment) => String(inputsOf(attachment).policyArn)),
        ...((inputs.managedPolicyArns ?? []) as string[]),
    ];
    const customerManaged = ofType(run, MANAGED_POLICY);
    const managed = attachedArns.flatMap((arn) => {
        const policy = customerManaged.find((candidate) => candidate.outputs.arn === arn);
        return policy ? [{ name: String(inputsOf(policy).name ?? policy.name), policy: parsePolicy(inputsOf(policy).policy, policy.name) }] : [];
    });

    return {
        resource: role,
        name: physicalName,
        arn: String(role.outputs.arn),
        trustPolicy: parsePolicy(inputs.assumeRolePolicy, `${physicalName} trust policy`),
        policies: [...inline, ...roleInline, ...managed],
        awsManagedPolicyArns: attachedArns.filter((arn) => /^arn:[^:]+:iam::aws:policy\//.test(arn)),
    };
}

/** The recorded resource policy that governs an ARN: bucket policy, key policy or secret policy. */
export function resourcePolicyFor(run: ProgramRun, arn: string): PolicyDocument | undefined {
    const s3 = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
    if (s3) {
        const policy = ofType(run, BUCKET_POLICY).find((candidate) => inputsOf(candidate).bucket === s3[1]);
        return policy && parsePolicy(inputsOf(policy).policy, policy.name);
    }
    if (/^arn:[^:]+:kms:/.test(arn)) {
        const key = ofType(run, KMS_KEY).find((candidate) => candidate.outputs.arn === arn);
        return key && parsePolicy(inputsOf(key).policy, key.name);
    }
    if (/^arn:[^:]+:secretsmanager:/.test(arn)) {
        const policy = ofType(run, SECRET_POLICY).find((candidate) => inputsOf(candidate).secretArn === arn);
        return policy && parsePolicy(inputsOf(policy).policy, policy.name);
    }
    return undefined;
}

export interface Request {
    readonly action: string;
    readonly resource: string;
    /** Request context; `aws:SecureTransport` is "true" unless given. */
    readonly context?: Record<string, string | string[]>;
}

/** What AWS would decide for a request the role makes. */
export async function decide(run: ProgramRun, role: RoleUnderTest, request: Request): Promise<Decision> {
    const result = await runSimulation(
        {
            request: {
                principal: role.arn,
                action: request.action,
                resource: { resource: request.resource, accountId: MOCK_ACCOUNT_ID },
                contextVariables: { "aws:SecureTransport": "true", ...request.context },
            },
            identityPolicies: role.policies.map((policy) => ({ name: policy.name, policy: policy.policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: resourcePolicyFor(run, request.resource),
        },
        {},
    );
    if (result.resultType === "error") {
        assert.fail(`simulator rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

/**
 * What AWS would decide for a request an AWS service principal makes against a
 * resource, from the resource's policy alone (log delivery, CloudWatch Logs on a key).
 */
export async function decideService(servicePrincipal: string, request: Request, resourcePolicy: PolicyDocument): Promise<Decision> {
    const result = await runSimulation(
        {
            request: {
                principal: servicePrincipal,
                action: request.action,
                resource: { resource: request.resource, accountId: MOCK_ACCOUNT_ID },
                contextVariables: { "aws:SecureTransport": "true", ...request.context },
            },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy,
        },
        {},
    );
    if (result.resultType === "error") assert.fail(`simulator rejected ${request.action} by ${servicePrincipal}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

/** Whether a service principal, acting for `sourceAccount`, may assume the role (its trust policy). */
export function decideAssume(role: RoleUnderTest, servicePrincipal: string, sourceAccount: string): Promise<Decision> {
    return decideService(
        servicePrincipal,
        {
            action: "sts:AssumeRole",
            resource: role.arn,
            context: { "aws:SourceAccount": sourceAccount },
        },
        role.trustPolicy,
    );
}

/** Asserts a decision, naming the role, action and resource on failure. */
export async function expectDecision(run: ProgramRun, role: RoleUnderTest, request: Request, expected: Decision | "Denied"): Promise<void> {
    const actual = await decide(run, role, request);
    const ok = expected === "Denied" ? actual !== "Allowed" : actual === expected;
    assert.ok(
        ok,
        `${role.name} ${request.action} on ${request.resource}${request.context ? ` with ${JSON.stringify(request.context)}` : ""}: expected ${expected}, got ${actual}`,
    );
}

export function asList(value: string | readonly string[] | undefined): string[] {
    if (value === undefined) return [];
    return typeof value === "string" ? [value] : [...value];
}

/** Actions of a statement that grant everything or a whole service (`*`, `s3:*`). */
export function wholeServiceActions(statement: PolicyStatement): string[] {
    return asList(statement.Action).filter((action) => action === "*" || /^[a-z0-9-]+:\*$/i.test(action));
}

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
    return Array.isArray(document.Statement) ? [...document.Statement] : [document.Statement as unknown as PolicyStatement];
}
