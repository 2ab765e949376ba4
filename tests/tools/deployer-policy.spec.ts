import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
// AGPL-licensed: imported only from tests, never from the program or tools.
import { isWildcardOnlyAction, runSimulation } from "@cloud-copilot/iam-simulate";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun, ROOT_DIR, runProgram } from "../../tools/run-program";
import { isLocalTarget } from "../../components/config";
import { readStackFile, runStackFile, stackNames } from "../../tools/stack-files";
import { resourcePolicyFor } from "../support/iam-simulation";

/**
 * The deployer's IAM policies (docs/iam/deployer-policy.json, the role's inline policy, and
 * docs/iam/deployer-policy-<part>.json, customer managed policies attached to the same role) cover what
 * `pulumi up` and `pulumi destroy` of every shipped stack ask AWS for: each stack runs in-process, every
 * resource type and invoke it records must have an entry in docs/iam/type-actions.json, and an IAM policy
 * simulator evaluates the policies together, rendered for that stack's environment, account and region,
 * for every action of every entry on ARNs built from the resources the stack really registers. The CI
 * preview role's trust and permissions (docs/iam/ci-preview-*.json) are checked the same way.
 */

const IAM_DIR = path.join(ROOT_DIR, "docs", "iam");
const TABLE_FILE = "docs/iam/type-actions.json";
const STATE_BUCKET = "acme-data-platform-pulumi-state-123456789012-us-east-2";
const OWNER = "acme";
const REPO = "data-platform";
/** IAM quota: the inline policies of one role, whitespace not counted (IAM and AWS STS quotas, IAM User Guide). */
const ROLE_INLINE_POLICY_LIMIT = 10_240;
/** IAM quota: one managed policy, whitespace not counted (same page). */
const MANAGED_POLICY_LIMIT = 6_144;
/** IAM quota: managed policies attached to one role, 10 unless raised (to at most 20) through Service Quotas (same page). */
const ROLE_MANAGED_POLICIES_LIMIT = 10;
/** The role's inline policy; the customer managed policies are the files named deployer-policy-<part>.json beside it. */
const INLINE_POLICY_FILE = "deployer-policy.json";
const MANAGED_POLICY_FILES = fs
    .readdirSync(IAM_DIR)
    .filter((file) => /^deployer-policy-[a-z0-9-]+\.json$/.test(file))
    .sort();
/** Wildcard actions granted on "*", with why AWS offers nothing narrower. */
const WILDCARDS_ON_STAR: Record<string, string> = {
    "ec2:Describe*": "EC2 Describe actions support no resource-level permissions (Service Authorization Reference)",
};

/** The key policy AWS KMS gives a key created without one (`aws kms create-key`): the account's IAM policies decide. */
const DEFAULT_KEY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "Enable IAM User Permissions",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ],
};

type Json = Record<string, unknown>;

interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: { readonly Federated?: string; readonly AWS?: string; readonly Service?: string | string[] };
    readonly Action?: string | string[];
    readonly NotAction?: unknown;
    readonly Resource?: string | string[];
    readonly NotResource?: unknown;
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

interface PolicyDocument {
    readonly Version: string;
    readonly Statement: Statement[];
}

interface RequestSpec {
    readonly on: string | string[];
    readonly actions: string[];
    readonly context?: Record<string, string>;
}

interface Entry {
    readonly local?: string;
    readonly resources?: Record<string, string>;
    readonly requests?: RequestSpec[];
}

interface Table {
    readonly types: Record<string, Entry>;
    readonly invokes: Record<string, Entry>;
}

interface StackRun {
    readonly label: string;
    readonly env: string;
    readonly region: string;
    readonly run: ProgramRun;
}

interface Request {
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string | string[]>;
    /** Where the request comes from, for failure messages. */
    readonly origin: string;
    /** The policy on the target (bucket, key, secret policy), which AWS evaluates too. */
    readonly resourcePolicy?: PolicyDocument;
}

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

function readJson<T>(file: string): T {
    return JSON.parse(fs.readFileSync(path.join(IAM_DIR, file), "utf8")) as T;
}

function asList<T>(value: T | T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The document with its <PLACEHOLDERS> replaced, as `docs/iam/render.sh` would write it. */
function render(file: string, values: Record<string, string>): PolicyDocument {
    let text = fs.readFileSync(path.join(IAM_DIR, file), "utf8");
    for (const [key, value] of Object.entries(values)) text = text.split(`<${key}>`).join(value);
    const left = /<[A-Z_]+>/.exec(text);
    assert.ok(!left, `${file}: placeholder ${left?.[0]} has no value`);
    return JSON.parse(text) as PolicyDocument;
}

interface DeployerPolicy {
    readonly file: string;
    readonly managed: boolean;
    readonly policy: PolicyDocument;
}

/** Every policy the deployer role holds, rendered for the stack: the inline one first, then the managed ones. */
function deployerPolicies(stack: StackRun): DeployerPolicy[] {
    const values = { ENV: stack.env, ACCOUNT_ID: MOCK_ACCOUNT_ID, REGION: stack.region, STATE_BUCKET };
    return [INLINE_POLICY_FILE, ...MANAGED_POLICY_FILES].map((file) => ({
        file,
        managed: file !== INLINE_POLICY_FILE,
        policy: render(file, values),
    }));
}

/** The documents IAM evaluates together for the deployer. */
function deployerDocuments(stack: StackRun): PolicyDocument[] {
    return deployerPolicies(stack).map((entry) => entry.policy);
}

/** Reads a dotted path (`vpcSecurityGroupIds.0`, `target.roleArn`) from a recorded resource: its id, else its outputs. */
function lookup(resource: RecordedResource, dotted: string): unknown {
    if (dotted === "id") return resource.id;
    let value: unknown = resource.outputs;
    for (const part of dotted.split(".")) {
        if (value === null || value === undefined) return undefined;
        if (typeof value === "string" && /^[[{]/.test(value)) value = JSON.parse(value);
        value = (value as Record<string, unknown>)[part];
    }
    return value;
}

/**
 * Fills `{region}`, `{account}`, `{env}` and `{output.path|filter}` (filters: `basename`, what follows the last `/`;
 * `after:text`, what follows the first `text`; `or:x`, x when empty); undefined when a path has no value.
 */
function fill(template: string, stack: StackRun, resource?: RecordedResource): string | undefined {
    let missing = false;
    const text = template.replace(/\{([^{}|]+)(?:\|([^{}]+))?\}/g, (_match, key: string, filter?: string) => {
        const fixed: Record<string, string> = { region: stack.region, account: MOCK_ACCOUNT_ID, env: stack.env };
        let value: unknown = key in fixed ? fixed[key] : resource ? lookup(resource, key) : undefined;
        if ((value === undefined || value === "") && filter?.startsWith("or:")) value = filter.slice(3);
        if (value === undefined || value === null || value === "" || typeof value === "object") {
            missing = true;
            return "";
        }
        const text = String(value);
        if (filter?.startsWith("after:")) {
            const at = text.indexOf(filter.slice(6));
            if (at < 0) missing = true;
            return text.slice(at + filter.length - 6);
        }
        return filter === "basename" ? text.slice(text.lastIndexOf("/") + 1) : text;
    });
    return missing ? undefined : text;
}

/** The requests an entry makes for one resource (or for the stack, for an invoke). */
function requestsOf(entry: Entry, stack: StackRun, origin: string, resource?: RecordedResource): { requests: Request[]; problems: string[] } {
    const requests: Request[] = [];
    const problems: string[] = [];
    const baseContext = { "aws:SecureTransport": "true", "aws:RequestedRegion": stack.region, "aws:ResourceTag/Environment": stack.env };
    for (const spec of entry.requests ?? []) {
        const context: Record<string, string> = { ...baseContext };
        for (const [key, template] of Object.entries(spec.context ?? {})) {
            const value = fill(template, stack, resource);
            if (value === undefined) problems.push(`${origin}: context ${key} template ${template} has no value`);
            else context[key] = value;
        }
        const arns: string[] = [];
        if (spec.on === "*") {
            arns.push("*");
        } else {
            for (const name of asList(spec.on)) {
                const template = entry.resources?.[name];
                if (template === undefined) {
                    problems.push(`${origin}: request on "${name}", which the entry's resources do not define`);
                    continue;
                }
                const arn = fill(template, stack, resource);
                if (arn !== undefined) arns.push(arn);
                else if (!name.endsWith("?")) problems.push(`${origin}: ARN template ${template} (${name}) has no value for this resource`);
            }
        }
        for (const action of spec.actions) {
            for (const arn of arns) requests.push({ action, resource: arn, context, origin, resourcePolicy: targetPolicy(stack, arn) });
        }
    }
    return { requests, problems };
}

/**
 * The resource policy AWS evaluates with the deployer's: the stack's own bucket, key or secret policy; for a KMS key
 * the stack does not build (the secrets provider's), the default key policy. KMS needs one: without it, no IAM policy helps.
 */
function targetPolicy(stack: StackRun, arn: string): PolicyDocument | undefined {
    const recorded = resourcePolicyFor(stack.run, arn) as PolicyDocument | undefined;
    if (recorded) return recorded;
    return /^arn:aws:kms:[^:]+:[^:]+:key\//.test(arn) ? DEFAULT_KEY_POLICY : undefined;
}

const decisions = new Map<string, Promise<Decision>>();

/** What AWS would decide for the principal holding `policies` (same account, no resource policy in the way). */
async function decide(policies: PolicyDocument | PolicyDocument[], request: Request): Promise<Decision> {
    const documents = asList(policies);
    const key = JSON.stringify([documents, request.action, request.resource, request.context, request.resourcePolicy]);
    let decision = decisions.get(key);
    if (!decision) {
        decision = (async () => {
            const result = await runSimulation(
                {
                    request: {
                        principal: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/data-platform-deployer`,
                        action: request.action,
                        resource: { resource: request.resource, accountId: MOCK_ACCOUNT_ID },
                        contextVariables: request.context,
                    },
                    identityPolicies: documents.map((policy, i) => ({ name: `policy-${i}`, policy: policy as unknown as Json })),
                    serviceControlPolicies: [],
                    resourceControlPolicies: [],
                    resourcePolicy: request.resourcePolicy as unknown as Json | undefined,
                },
                {},
            );
            if (result.resultType === "error") {
                throw new Error(`simulator rejected ${request.action} on ${request.resource} (${request.origin}): ${JSON.stringify(result.errors)}`);
            }
            return result.overallResult as Decision;
        })();
        decisions.set(key, decision);
    }
    return decision;
}

function customTypes(run: ProgramRun): Map<string, RecordedResource[]> {
    const byType = new Map<string, RecordedResource[]>();
    for (const resource of run.resources) {
        const managed = resource.custom ? !resource.type.startsWith("pulumi:providers:") : /^awsx:/.test(resource.type);
        if (!managed) continue;
        byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource]);
    }
    return byType;
}

function missingEntryMessage(kind: "resource type" | "invoke", token: string, where: string): string {
    return (
        `${kind} ${token} (${where}) is not in ${TABLE_FILE}: add it under "${kind === "invoke" ? "invokes" : "types"}" with the ARN templates ` +
        "and the create/read/update/delete actions the Terraform AWS provider calls for it (Service Authorization Reference for the ARNs), " +
        `grant them in docs/iam/deployer-policy*.json${kind === "invoke" ? " and docs/iam/ci-preview-policy.json" : ""}, ` +
        'or mark it { "local": "<why no AWS call>" }'
    );
}

describe("deployer IAM policies (docs/iam/deployer-policy*.json) cover what pulumi up/destroy of each stack asks AWS for", function () {
    this.timeout(60_000);
    const table = readJson<Table>("type-actions.json");
    const stacks: StackRun[] = [];

    before(async () => {
        // A local stack (`data-platform:target: local`) builds only Docker resources and asks AWS for nothing.
        for (const stack of stackNames().filter((name) => !isLocalTarget(readStackFile(name).config))) {
            const file = readStackFile(stack);
            const run = await runStackFile(stack);
            stacks.push({ label: stack, env: file.config["data-platform:environment"], region: run.region, run });
        }
        // The documented alternative to pushing images by hand (docs/deploy.md): awsx builds and pushes them.
        const staging = readStackFile("staging");
        const built = await runProgram({
            stack: "staging",
            config: { ...staging.config, "data-platform:images": JSON.stringify({ build: true, tag: "v0.1.0" }) },
        });
        stacks.push({ label: "staging with images.build: true", env: staging.config["data-platform:environment"], region: built.region, run: built });
    });

    it("has an entry for every resource type and every invoke the stacks use", () => {
        const types = new Map<string, { stacks: string[]; urn: string }>();
        const invokes = new Map<string, string[]>();
        for (const stack of stacks) {
            for (const [type, resources] of customTypes(stack.run)) {
                if (table.types[type]) continue;
                const seen = types.get(type) ?? { stacks: [], urn: resources[0].urn };
                types.set(type, { ...seen, stacks: [...seen.stacks, stack.label] });
            }
            for (const token of new Set(stack.run.cloud.calls)) {
                if (!table.invokes[token]) invokes.set(token, [...(invokes.get(token) ?? []), stack.label]);
            }
        }
        const problems = [
            ...[...types].map(([type, seen]) => missingEntryMessage("resource type", type, `stacks ${seen.stacks.join(", ")}; e.g. ${seen.urn}`)),
            ...[...invokes].map(([token, labels]) => missingEntryMessage("invoke", token, `stacks ${labels.join(", ")}`)),
        ];
        assert.deepStrictEqual(problems, []);
    });

    it("allows every request of every entry, on the ARNs of the resources each stack builds", async () => {
        const denied: string[] = [];
        for (const stack of stacks) {
            const policy = deployerDocuments(stack);
            const requests: Request[] = [];
            for (const [type, resources] of customTypes(stack.run)) {
                const entry = table.types[type];
                if (!entry || entry.local) continue;
                for (const resource of resources) {
                    const made = requestsOf(entry, stack, `${stack.label}: ${type} ${resource.name}`, resource);
                    denied.push(...made.problems);
                    requests.push(...made.requests);
                }
            }
            for (const token of new Set(stack.run.cloud.calls)) {
                const entry = table.invokes[token];
                if (!entry || entry.local) continue;
                const made = requestsOf(entry, stack, `${stack.label}: invoke ${token}`);
                denied.push(...made.problems);
                requests.push(...made.requests);
            }
            assert.ok(requests.length > 100, `${stack.label}: only ${requests.length} requests were built`);
            for (const request of requests) {
                const decision = await decide(policy, request);
                if (decision !== "Allowed") denied.push(`${request.origin}: ${request.action} on ${request.resource} is ${decision}`);
            }
        }
        assert.deepStrictEqual(
            [...new Set(denied)],
            [],
            "grant these in docs/iam/deployer-policy*.json (scoped to the stack's names), or fix the ARN templates in " + TABLE_FILE,
        );
    });

    it("fits IAM's quotas: 10,240 characters for the inline policy, 6,144 for each managed one (whitespace not counted), 10 managed policies", () => {
        assert.ok(MANAGED_POLICY_FILES.length <= ROLE_MANAGED_POLICIES_LIMIT, `${MANAGED_POLICY_FILES.length} managed policies`);
        for (const stack of stacks) {
            for (const { file, managed, policy } of deployerPolicies(stack)) {
                const size = JSON.stringify(policy).replace(/\s/g, "").length;
                const limit = managed ? MANAGED_POLICY_LIMIT : ROLE_INLINE_POLICY_LIMIT;
                assert.ok(size <= limit, `${stack.label}: ${file} has ${size} characters, more than ${limit}`);
            }
        }
    });

    it("allows no action on every service and grants on * only what AWS cannot scope to a resource", async () => {
        for (const statement of deployerDocuments(stacks[0]).flatMap((policy) => policy.Statement)) {
            const sid = statement.Sid ?? "(no Sid)";
            assert.ok(statement.NotAction === undefined && statement.NotResource === undefined, `${sid}: NotAction/NotResource`);
            if (statement.Effect !== "Allow") continue;
            for (const action of asList(statement.Action)) {
                assert.ok(action !== "*" && !/^[^:]+:\*$/.test(action), `${sid} allows ${action}`);
            }
            if (!asList(statement.Resource).includes("*")) continue;
            for (const action of asList(statement.Action)) {
                if (action.includes("*")) {
                    assert.ok(
                        WILDCARDS_ON_STAR[action],
                        `${sid} grants ${action} on *: list the actions, or say in WILDCARDS_ON_STAR why AWS allows nothing narrower`,
                    );
                    continue;
                }
                const [service, name] = action.split(":");
                assert.ok(
                    await isWildcardOnlyAction(service, name),
                    `${sid} grants ${action} on *, but AWS authorizes it on a resource ARN: scope it`,
                );
            }
        }
    });

    it("passes each role the stacks build only to the service that role trusts", async () => {
        const services = [
            "glue.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "ec2.amazonaws.com",
            "vpc-flow-logs.amazonaws.com",
            "scheduler.amazonaws.com",
            "eks.amazonaws.com",
            "pods.eks.amazonaws.com",
            "monitoring.rds.amazonaws.com",
        ];
        const wrong: string[] = [];
        for (const stack of stacks) {
            const policy = deployerDocuments(stack);
            // A managed node group's node role trusts ec2.amazonaws.com, but CreateNodegroup passes it to EKS
            // (iam:PassedToService eks.amazonaws.com), which hands it to the instances it launches.
            const nodeRoles = new Set(
                stack.run.resources
                    .filter((resource) => resource.type === "aws:eks/nodeGroup:NodeGroup")
                    .map((group) => String(group.outputs.nodeRoleArn)),
            );
            for (const role of stack.run.resources.filter((resource) => resource.type === "aws:iam/role:Role")) {
                const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument;
                const trusted = [
                    ...trust.Statement.flatMap((statement) => asList(statement.Principal?.Service)),
                    ...(nodeRoles.has(String(role.outputs.arn)) ? ["eks.amazonaws.com"] : []),
                ];
                for (const service of services) {
                    const request = {
                        action: "iam:PassRole",
                        resource: String(role.outputs.arn),
                        context: { "iam:PassedToService": service },
                        origin: stack.label,
                    };
                    const decision = await decide(policy, request);
                    const expected = trusted.includes(service) ? "Allowed" : "denied";
                    if ((decision === "Allowed") !== (expected === "Allowed"))
                        wrong.push(`${stack.label}: PassRole ${role.outputs.arn} to ${service}: ${decision}, expected ${expected}`);
                }
            }
            const unconditioned = await decide(policy, {
                action: "iam:PassRole",
                resource: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${stack.env}-glue-service-role`,
                context: {},
                origin: stack.label,
            });
            if (unconditioned === "Allowed") wrong.push(`${stack.label}: PassRole without iam:PassedToService is allowed`);
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("denies what no stack needs: other environments' resources and state, IAM users, admin policies", async () => {
        const dev = stacks.find((stack) => stack.label === "dev");
        assert.ok(dev, "the dev stack runs");
        const policy = deployerDocuments(dev);
        const account = MOCK_ACCOUNT_ID;
        const base = { "aws:SecureTransport": "true", "aws:RequestedRegion": dev.region };
        const cases: [string, string, Record<string, string | string[]>, Decision | "denied"][] = [
            ["s3:DeleteBucket", "arn:aws:s3:::prod-data-lake-a80bc09e", base, "denied"],
            ["s3:GetObject", "arn:aws:s3:::prod-data-lake-a80bc09e/raw/events/x.json", base, "denied"],
            ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${dev.region}:${account}:secret:prod-app-secrets-AbCdEf`, base, "denied"],
            ["iam:PutRolePolicy", `arn:aws:iam::${account}:role/prod-glue-service-role`, base, "denied"],
            [
                "iam:AttachRolePolicy",
                `arn:aws:iam::${account}:role/dev-glue-service-role`,
                { ...base, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
                "denied",
            ],
            ["iam:CreateUser", `arn:aws:iam::${account}:user/dev-backdoor`, base, "denied"],
            [
                "ec2:TerminateInstances",
                `arn:aws:ec2:${dev.region}:${account}:instance/i-0123456789abcdef0`,
                { ...base, "aws:ResourceTag/Environment": "prod" },
                "ExplicitlyDenied",
            ],
            [
                "ec2:TerminateInstances",
                `arn:aws:ec2:${dev.region}:${account}:instance/i-0123456789abcdef0`,
                { ...base, "aws:ResourceTag/Environment": "dev" },
                "Allowed",
            ],
            [
                "kms:ScheduleKeyDeletion",
                `arn:aws:kms:${dev.region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                { ...base, "aws:ResourceTag/Environment": "prod" },
                "ExplicitlyDenied",
            ],
            [
                "ec2:RunInstances",
                `arn:aws:ec2:us-west-2:${account}:instance/i-0123456789abcdef0`,
                { ...base, "aws:RequestedRegion": "us-west-2" },
                "denied",
            ],
            ["s3:GetObject", `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/data-platform/prod.json`, base, "denied"],
            ["s3:PutObject", `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/data-platform/dev.json`, base, "Allowed"],
            ["s3:PutObject", `arn:aws:s3:::${STATE_BUCKET}/.pulumi/locks/data-platform/dev/0b5c.json`, base, "Allowed"],
            [
                "kms:Decrypt",
                `arn:aws:kms:${dev.region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                { ...base, "kms:ResourceAliases": ["alias/pulumi-dev"] },
                "Allowed",
            ],
            [
                "kms:Decrypt",
                `arn:aws:kms:${dev.region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                { ...base, "kms:ResourceAliases": ["alias/pulumi-prod"] },
                "denied",
            ],
        ];
        const wrong: string[] = [];
        for (const [action, resource, context, expected] of cases) {
            const decision = await decide(policy, { action, resource, context, origin: "dev deployer", resourcePolicy: targetPolicy(dev, resource) });
            const ok = expected === "denied" ? decision !== "Allowed" : decision === expected;
            if (!ok) wrong.push(`${action} on ${resource} ${JSON.stringify(context)}: ${decision}, expected ${expected}`);
        }
        assert.deepStrictEqual(wrong, []);
    });

    describe("CI preview role (docs/iam/ci-preview-trust-policy.json, docs/iam/ci-preview-policy.json)", () => {
        const trust = render("ci-preview-trust-policy.json", { ACCOUNT_ID: MOCK_ACCOUNT_ID, OWNER, REPO });

        /** IAM's StringEquals / StringLike (`*` any run of characters, `?` one character). */
        function matches(operator: string, pattern: string, value: string): boolean {
            if (operator === "StringEquals") return pattern === value;
            const regex = new RegExp(
                `^${pattern
                    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                    .replace(/\*/g, ".*")
                    .replace(/\?/g, ".")}$`,
            );
            return regex.test(value);
        }

        function assumable(claims: { sub: string; aud: string }): boolean {
            return trust.Statement.some((statement) => {
                if (statement.Effect !== "Allow" || !asList(statement.Action).includes("sts:AssumeRoleWithWebIdentity")) return false;
                return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
                    Object.entries(keys).every(([key, patterns]) => {
                        const claim = key.replace(/^token\.actions\.githubusercontent\.com:/, "") as "sub" | "aud";
                        return asList(patterns).some((pattern) => matches(operator, pattern, claims[claim]));
                    }),
                );
            });
        }

        it("trusts GitHub's OIDC provider for STS only, with sub pinned to this repository", () => {
            assert.strictEqual(trust.Statement.length, 1, "one statement");
            const [statement] = trust.Statement;
            assert.strictEqual(statement.Effect, "Allow");
            assert.strictEqual(statement.Principal?.Federated, `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`);
            assert.deepStrictEqual(asList(statement.Action), ["sts:AssumeRoleWithWebIdentity"]);
            const conditions = statement.Condition ?? {};
            assert.deepStrictEqual(
                Object.keys(conditions)
                    .sort()
                    .filter((operator) => !["StringEquals", "StringLike"].includes(operator)),
                [],
            );
            assert.deepStrictEqual(
                asList(conditions.StringEquals?.["token.actions.githubusercontent.com:aud"]),
                ["sts.amazonaws.com"],
                "aud pinned with StringEquals",
            );
            const subs = [
                ...asList(conditions.StringEquals?.["token.actions.githubusercontent.com:sub"]),
                ...asList(conditions.StringLike?.["token.actions.githubusercontent.com:sub"]),
            ];
            assert.ok(subs.length > 0, "sub is conditioned");
            for (const sub of subs)
                assert.ok(
                    sub.startsWith(`repo:${OWNER}/${REPO}:`) && sub.length > `repo:${OWNER}/${REPO}:`.length,
                    `sub ${sub} is not pinned to the repository`,
                );
        });

        it("lets the preview workflow's events in and everyone else out", () => {
            const workflow = YAML.parse(fs.readFileSync(path.join(ROOT_DIR, ".github", "workflows", "preview.yml"), "utf8")) as {
                on: Record<string, { branches?: string[] } | null>;
            };
            const expected: string[] = [];
            if ("pull_request" in workflow.on) expected.push(`repo:${OWNER}/${REPO}:pull_request`);
            for (const branch of workflow.on.push?.branches ?? []) expected.push(`repo:${OWNER}/${REPO}:ref:refs/heads/${branch}`);
            assert.ok(expected.length > 0, "the workflow runs on pull_request or push");
            for (const sub of expected) assert.ok(assumable({ sub, aud: "sts.amazonaws.com" }), `the workflow's ${sub} cannot assume the role`);
            for (const sub of [
                `repo:someone-else/${REPO}:pull_request`,
                `repo:${OWNER}/${REPO}-fork:pull_request`,
                `repo:${OWNER}/${REPO}:ref:refs/heads/feature`,
                `repo:${OWNER}/${REPO}:environment:prod`,
            ]) {
                assert.ok(!assumable({ sub, aud: "sts.amazonaws.com" }), `${sub} can assume the role`);
            }
            assert.ok(!assumable({ sub: `repo:${OWNER}/${REPO}:pull_request`, aud: "https://example.com" }), "another audience can assume the role");
        });

        it("reads every stack's state and makes every invoke the program calls, and writes nothing", async () => {
            const problems: string[] = [];
            for (const stack of stacks) {
                const policy = render("ci-preview-policy.json", { ACCOUNT_ID: MOCK_ACCOUNT_ID, REGION: stack.region, STATE_BUCKET });
                for (const statement of policy.Statement) {
                    for (const action of asList(statement.Action)) {
                        if (!/:(Get|List|Describe|Decrypt)/.test(action)) problems.push(`${statement.Sid}: ${action} is not read-only`);
                    }
                }
                const context = { "aws:SecureTransport": "true", "aws:RequestedRegion": stack.region };
                const state = `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/data-platform/${stack.label.split(" ")[0]}.json`;
                const requests: Request[] = [
                    { action: "s3:ListBucket", resource: `arn:aws:s3:::${STATE_BUCKET}`, context, origin: "state" },
                    { action: "s3:GetObject", resource: `arn:aws:s3:::${STATE_BUCKET}/.pulumi/meta.yaml`, context, origin: "state" },
                    { action: "s3:GetObject", resource: state, context, origin: "state" },
                ];
                for (const token of new Set(stack.run.cloud.calls)) {
                    const entry = table.invokes[token];
                    if (!entry || entry.local) continue;
                    const made = requestsOf(entry, stack, `${stack.label}: invoke ${token}`);
                    problems.push(...made.problems);
                    requests.push(...made.requests);
                }
                for (const request of requests) {
                    const decision = await decide(policy, request);
                    if (decision !== "Allowed")
                        problems.push(`${stack.label}: ${request.origin}: ${request.action} on ${request.resource} is ${decision}`);
                }
                for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
                    if ((await decide(policy, { action, resource: state, context, origin: "state" })) === "Allowed")
                        problems.push(`${stack.label}: ${action} on the state is allowed`);
                }
            }
            assert.deepStrictEqual([...new Set(problems)], []);
        });
    });
});
