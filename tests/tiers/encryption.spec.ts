import * as assert from "assert";
import { StackConfig } from "../../components/config";
import {
    AUTOSCALING_VOLUME_ACTIONS,
    Encryption,
    EncryptionArgs,
    KEY_SERVICES,
    KEY_USE_ACTIONS,
    LOGS_SERVICE_KEY_ACTIONS,
    ROOT_ADMIN_ACTIONS,
    ROOT_KEY_ACTIONS,
} from "../../components/encryption/encryption";
import { BASE_KEY_PURPOSES, KEY_DESCRIPTIONS, KEY_PURPOSES, KeyPurpose } from "../../components/encryption/keys";
import { keyPurposes } from "../../components/platform";
import { Naming } from "../../components/shared/naming";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, configWith, fixtureConfig, inputsOf, jsonInput, named, ofType, runStack } from "../support/helpers";
import {
    Decision,
    PolicyDocument,
    PolicyStatement,
    RoleUnderTest,
    decide,
    decideService,
    statementsOf,
    wholeServiceActions,
} from "../support/iam-simulation";
import { TYPE } from "../../policy-pack/policies/types";

const KEY = TYPE.kmsKey;
const ALIAS = TYPE.kmsAlias;
const COMPONENT = "data-platform:encryption:Encryption";
const LOG_GROUP = TYPE.cloudwatchLogGroup;
const REGION = "us-east-2";
const LOGS_SERVICE = `logs.${REGION}.amazonaws.com`;
const ROOT = `arn:aws:iam::${MOCK_ACCOUNT_ID}:root`;
const AUTOSCALING_ROLE = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
const FOREIGN_ACCOUNT = "999999999999";
const CONCRETE: Readonly<Record<string, string>> = {
    "kms:ReEncrypt*": "kms:ReEncryptFrom",
    "kms:GenerateDataKey*": "kms:GenerateDataKeyWithoutPlaintext",
};

/** The base purposes: the account root administers them and delegates their use to IAM policies. */
const ROOT_STATEMENT = {
    Sid: "AccountRootAdministersAndDelegatesToIam",
    Effect: "Allow",
    Principal: { AWS: ROOT },
    Action: [...ROOT_KEY_ACTIONS],
    Resource: "*",
};

/** The service each service-bound key is used through (kms:ViaService `<service>.<region>.amazonaws.com`). */
const SERVICES: Readonly<Record<string, readonly string[]>> = {
    database: ["rds"],
    cache: ["elasticache"],
    streaming: ["kafka"],
    kubernetes: ["eks", "ec2"],
    audit: ["s3", "sns"],
};
const SERVICE_BOUND = Object.keys(SERVICES) as KeyPurpose[];

/** The purposes whose key encrypts volumes EC2 Auto Scaling launches: EKS node groups, ECS EC2 capacity (the storage key). */
function expectedAutoscaling(config: StackConfig): KeyPurpose[] {
    return [...(config.kubernetes === "eks" ? (["kubernetes"] as const) : []), ...(config.containers.ec2Capacity ? (["storage"] as const) : [])];
}

function keyOf(run: ProgramRun, purpose: KeyPurpose): RecordedResource {
    return named(run, KEY, `-encryption-${purpose}`);
}

const policyOf = (key: RecordedResource) => jsonInput(key, "policy") as PolicyDocument;
const sids = (policy: PolicyDocument) => statementsOf(policy).map((statement) => statement.Sid);
const via = (service: string) => ({ "kms:ViaService": `${service}.${REGION}.amazonaws.com` });

/** An IAM role of the account whose own policy allows these actions on these resources: what the key policy then decides. */
function roleAllowing(actions: readonly string[], resource: string): RoleUnderTest {
    const policy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...actions], Resource: resource }] };
    return {
        resource: { name: "app-role" } as RecordedResource,
        name: "app-role",
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/app-role`,
        trustPolicy: { Version: "2012-10-17", Statement: [] },
        policies: [{ name: "key-use", policy }],
        awsManagedPolicyArns: [],
    };
}

/** What a service principal may do with a key, from its key policy alone. */
const serviceDecision = (service: string, key: RecordedResource, action: string, context?: Record<string, string>): Promise<Decision> =>
    decideService(service, { action, resource: String(key.outputs.arn), context }, policyOf(key));

/** The standalone tier; returns the run and the component. */
async function runEncryption(args: Partial<Pick<EncryptionArgs, "purposes" | "autoscalingVolumes" | "protect">> = {}) {
    let encryption: Encryption | undefined;
    const run = await runProgram({
        stack: "test",
        config: { "aws:region": REGION },
        program: () => {
            encryption = new Encryption("t-encryption", { naming: new Naming("test"), region: REGION, protect: false, ...args });
        },
    });
    assert.ok(encryption);
    return { run, encryption };
}

describe("encryption tier", () => {
    describe("dev", () => {
        it("creates no customer-managed keys (encryption.kms is off)", async () => {
            const run = await runStack("dev");
            assert.deepStrictEqual(ofType(run, COMPONENT), []);
            assert.deepStrictEqual(ofType(run, KEY), []);
            assert.deepStrictEqual(ofType(run, ALIAS), []);
            assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-flow-logs")).kmsKeyId, undefined);
            assert.deepStrictEqual(run.stackOutputs.kmsKeyAliases, {});
        });
    });

    it("the service-bound purposes are used through their services: RDS, ElastiCache, MSK, EKS and EC2, S3 and SNS", () => {
        assert.deepStrictEqual(KEY_SERVICES, SERVICES);
        assert.deepStrictEqual([...BASE_KEY_PURPOSES], ["storage", "secrets", "logs", "registry"]);
        for (const purpose of BASE_KEY_PURPOSES) assert.strictEqual(KEY_SERVICES[purpose], undefined, purpose);
        assert.deepStrictEqual([...KEY_PURPOSES].sort(), [...BASE_KEY_PURPOSES, ...SERVICE_BOUND].sort());
        for (const purpose of KEY_PURPOSES) assert.ok(KEY_DESCRIPTIONS[purpose], purpose);
    });

    it("the root of a service-bound key administers it without using it or granting its use (no kms:Create*, kms:CreateGrant)", () => {
        for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Create*", "kms:CreateGrant"]) {
            assert.ok(!ROOT_ADMIN_ACTIONS.includes(action), action);
        }
        for (const action of [
            "kms:CreateAlias",
            "kms:Describe*",
            "kms:Put*",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion",
            "kms:Enable*",
            "kms:Disable*",
        ]) {
            assert.ok(ROOT_ADMIN_ACTIONS.includes(action), action);
        }
        assert.deepStrictEqual(
            [...KEY_USE_ACTIONS].sort(),
            ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"].sort(),
        );
    });

    describe("keyPurposes: a key per tier the stack builds", () => {
        const base = ["storage", "secrets", "logs", "registry"];
        const cases: [string, string, Record<string, unknown>, string[]][] = [
            ["dev", "as it is", {}, base],
            ["staging", "as it is", {}, [...base, "database", "cache", "kubernetes", "audit"]],
            ["prod", "as it is", {}, [...base, "database", "cache", "streaming", "kubernetes", "audit"]],
            [
                "staging",
                "no data lake and no EC2 capacity: no storage key",
                {
                    "data-platform:dataLake": { enabled: false },
                    "data-platform:etl": { enabled: false },
                    "data-platform:containers": { dataTasks: false },
                },
                ["secrets", "logs", "registry", "database", "cache", "kubernetes", "audit"],
            ],
            [
                "staging",
                "no registry: no registry key",
                {
                    "data-platform:registry": { enabled: false },
                    "data-platform:containers": { enabled: false, dataTasks: false },
                    "data-platform:edge": { enabled: false },
                },
                ["storage", "secrets", "logs", "database", "cache", "kubernetes", "audit"],
            ],
            [
                "staging",
                "a trail without alarms: the audit key",
                { "data-platform:audit": { cloudTrail: true, alarms: false } },
                [...base, "database", "cache", "kubernetes", "audit"],
            ],
            [
                "staging",
                "no trail and no alarms: no audit key",
                { "data-platform:audit": { cloudTrail: false, alarms: false } },
                [...base, "database", "cache", "kubernetes"],
            ],
        ];
        for (const [stack, title, edit, expected] of cases) {
            it(`${stack}, ${title}: ${expected.join(", ")}`, () => assert.deepStrictEqual(keyPurposes(configWith(stack, edit)), expected));
        }
    });

    describe("every key a stack builds encrypts something of that stack (no key without a consumer)", () => {
        for (const stack of STACKS.filter((name) => fixtureConfig(name).encryption.kms)) {
            it(stack, async () => {
                const run = await runStack(stack);
                const others = run.resources.filter((resource) => resource.type !== KEY && resource.type !== ALIAS);
                const inputs = others.map((resource) => JSON.stringify(resource.inputs));
                for (const key of ofType(run, KEY)) {
                    const arn = String(key.outputs.arn);
                    assert.ok(
                        inputs.some((text) => text.includes(arn)),
                        `${key.name} (${arn}) is used by no resource`,
                    );
                }
            });
        }
    });

    for (const stack of STACKS.filter((name) => name !== "dev")) {
        describe(stack, () => {
            const environment = stack;
            const config = fixtureConfig(stack);
            const protect = config.protect;
            const purposes = keyPurposes(config);
            const autoscaling = expectedAutoscaling(config);
            let run: ProgramRun;
            before(async () => {
                run = await runStack(stack);
            });

            it(`creates one key per purpose the stack uses (${purposes.length}) under the Encryption component, rotated yearly`, () => {
                const [component] = ofType(run, COMPONENT);
                assert.ok(component);
                assert.ok(
                    purposes.some((purpose) => SERVICE_BOUND.includes(purpose)),
                    "the fixture builds service-bound keys, so this checks them",
                );
                assert.strictEqual(ofType(run, KEY).length, purposes.length);
                for (const purpose of purposes) {
                    const key = keyOf(run, purpose);
                    assert.strictEqual(key.parent, component.urn, purpose);
                    const inputs = inputsOf(key);
                    assert.strictEqual(inputs.description, `${environment}-${purpose}: ${KEY_DESCRIPTIONS[purpose]}`, purpose);
                    assert.strictEqual(inputs.enableKeyRotation, true, purpose);
                    assert.strictEqual(inputs.rotationPeriodInDays, 365, purpose);
                    assert.strictEqual(inputs.deletionWindowInDays, protect ? 30 : 7, purpose);
                    assert.deepStrictEqual(inputs.tags, {
                        Name: `${environment}-${purpose}-key`,
                        Environment: environment,
                        Project: "data-platform",
                        ManagedBy: "pulumi",
                        Tier: "encryption",
                    });
                }
            });

            it("aliases each key alias/${env}-<purpose>", () => {
                const aliases = ofType(run, ALIAS).map((alias) => inputsOf(alias));
                assert.deepStrictEqual(
                    aliases.map((alias) => [alias.name, alias.targetKeyId]).sort(),
                    purposes.map((purpose) => [`alias/${environment}-${purpose}`, keyOf(run, purpose).outputs.keyId]).sort(),
                );
            });

            it("exports the aliases as the stack output kmsKeyAliases", () => {
                assert.deepStrictEqual(
                    run.stackOutputs.kmsKeyAliases,
                    Object.fromEntries(purposes.map((purpose) => [purpose, `alias/${environment}-${purpose}`])),
                );
            });

            it(protect ? "protects and retains every key" : "does not protect the keys", () => {
                for (const purpose of purposes) {
                    assert.strictEqual(keyOf(run, purpose).protect, protect, purpose);
                    assert.strictEqual(keyOf(run, purpose).retainOnDelete, protect, purpose);
                }
            });

            it("key policies: the root administers every key (no kms:*) and delegates the base keys to IAM; only the logs key admits CloudWatch Logs", () => {
                for (const purpose of purposes) {
                    const policy = policyOf(keyOf(run, purpose));
                    for (const statement of statementsOf(policy))
                        assert.deepStrictEqual(wholeServiceActions(statement), [], `${purpose} ${statement.Sid}`);
                    if (SERVICE_BOUND.includes(purpose)) continue;
                    assert.deepStrictEqual(policy.Statement[0], ROOT_STATEMENT, purpose);
                    const extra = [
                        ...(purpose === "logs" ? ["CloudWatchLogsEncryptsThisAccountsLogGroups"] : []),
                        ...(autoscaling.includes(purpose) ? ["AutoScalingUsesTheKeyForVolumes", "AutoScalingGrantsForVolumes"] : []),
                    ];
                    assert.deepStrictEqual(sids(policy), [ROOT_STATEMENT.Sid, ...extra], purpose);
                }
                const logsPolicy = policyOf(keyOf(run, "logs"));
                assert.deepStrictEqual(logsPolicy.Statement[1], {
                    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                    Effect: "Allow",
                    Principal: { Service: LOGS_SERVICE },
                    Action: [...LOGS_SERVICE_KEY_ACTIONS],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${MOCK_ACCOUNT_ID}:log-group:*` } },
                });
            });

            it("service-bound keys: the root administers, the account uses them only through their services (kms:ViaService)", () => {
                for (const purpose of purposes.filter((p) => SERVICE_BOUND.includes(p))) {
                    const policy = policyOf(keyOf(run, purpose));
                    assert.deepStrictEqual(
                        policy.Statement.slice(0, 2),
                        [
                            {
                                Sid: "AccountRootAdministers",
                                Effect: "Allow",
                                Principal: { AWS: ROOT },
                                Action: [...ROOT_ADMIN_ACTIONS],
                                Resource: "*",
                            },
                            {
                                Sid: "AccountUsesOnlyThroughItsServices",
                                Effect: "Allow",
                                Principal: { AWS: ROOT },
                                Action: [...KEY_USE_ACTIONS],
                                Resource: "*",
                                Condition: {
                                    StringEquals: { "kms:ViaService": SERVICES[purpose].map((service) => `${service}.${REGION}.amazonaws.com`) },
                                },
                            },
                        ],
                        purpose,
                    );
                    const extra = [
                        ...(purpose === "audit"
                            ? ["CloudTrailEncryptsThisAccountsTrails", "CloudTrailDescribesTheKey", "CloudWatchAlarmsPublishToTheEncryptedTopic"]
                            : []),
                        ...(autoscaling.includes(purpose) ? ["AutoScalingUsesTheKeyForVolumes", "AutoScalingGrantsForVolumes"] : []),
                    ];
                    assert.deepStrictEqual(sids(policy).slice(2), extra, purpose);
                }
            });

            it("an account role allowed kms:* actions on a service-bound key uses it only through its service, yet may still administer it", async () => {
                const actions = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:ScheduleKeyDeletion"];
                for (const purpose of purposes.filter((p) => SERVICE_BOUND.includes(p))) {
                    const key = keyOf(run, purpose);
                    const arn = String(key.outputs.arn);
                    const role = roleAllowing(actions, arn);
                    const ask = (action: string, context?: Record<string, string>) => decide(run, role, { action, resource: arn, context });
                    for (const service of SERVICES[purpose]) {
                        for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"])
                            assert.strictEqual(await ask(action, via(service)), "Allowed", `${purpose} ${action} via ${service}`);
                    }
                    for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant"])
                        assert.strictEqual(await ask(action), "ImplicitlyDenied", `${purpose} ${action} called directly`);
                    const other = ["secretsmanager", "lambda", "rds", "s3"].find((service) => !SERVICES[purpose].includes(service))!;
                    assert.strictEqual(await ask("kms:Decrypt", via(other)), "ImplicitlyDenied", `${purpose} via ${other}`);
                    assert.strictEqual(await ask("kms:ScheduleKeyDeletion"), "Allowed", `${purpose}: the account still administers its key`);
                    // Nothing the key policy allows reaches a principal whose own policy does not: IAM still decides.
                    assert.strictEqual(
                        await decide(run, roleAllowing(["kms:DescribeKey"], arn), {
                            action: "kms:Decrypt",
                            resource: arn,
                            context: via(SERVICES[purpose][0]),
                        }),
                        "ImplicitlyDenied",
                    );
                }
                // The base keys keep the account-wide delegation: IAM policies decide (the identity tier scopes them).
                const storage = String(keyOf(run, "storage").outputs.arn);
                assert.strictEqual(
                    await decide(run, roleAllowing(["kms:Decrypt"], storage), { action: "kms:Decrypt", resource: storage }),
                    "Allowed",
                );
            });

            if (purposes.includes("audit"))
                it("the audit key admits CloudTrail for this account's trails and CloudWatch alarms for the topic, nothing more", async () => {
                    const audit = keyOf(run, "audit");
                    const statement = (sid: string) => statementsOf(policyOf(audit)).find((candidate) => candidate.Sid === sid) as PolicyStatement;
                    assert.deepStrictEqual(statement("CloudTrailEncryptsThisAccountsTrails"), {
                        Sid: "CloudTrailEncryptsThisAccountsTrails",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "kms:GenerateDataKey*",
                        Resource: "*",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${MOCK_ACCOUNT_ID}:trail/*` },
                        },
                    });
                    const account = { "aws:SourceAccount": MOCK_ACCOUNT_ID };
                    // The simulator drops encryption-context keys with a colon in their name: GenerateDataKey is asserted on the statement above.
                    assert.strictEqual(await serviceDecision("cloudtrail.amazonaws.com", audit, "kms:DescribeKey", account), "Allowed");
                    assert.notStrictEqual(
                        await serviceDecision("cloudtrail.amazonaws.com", audit, "kms:DescribeKey", { "aws:SourceAccount": FOREIGN_ACCOUNT }),
                        "Allowed",
                    );
                    assert.notStrictEqual(
                        await serviceDecision("cloudtrail.amazonaws.com", audit, "kms:GenerateDataKey", account),
                        "Allowed",
                        "without a trail's encryption context",
                    );
                    assert.notStrictEqual(await serviceDecision("cloudtrail.amazonaws.com", audit, "kms:Decrypt", account), "Allowed");
                    for (const action of ["kms:Decrypt", "kms:GenerateDataKey"])
                        assert.strictEqual(await serviceDecision("cloudwatch.amazonaws.com", audit, action), "Allowed", action);
                    for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:CreateGrant"])
                        assert.notStrictEqual(await serviceDecision("cloudwatch.amazonaws.com", audit, action), "Allowed", action);
                    for (const purpose of purposes.filter((p) => p !== "audit")) {
                        for (const service of ["cloudtrail.amazonaws.com", "cloudwatch.amazonaws.com"])
                            assert.notStrictEqual(
                                await serviceDecision(service, keyOf(run, purpose), "kms:GenerateDataKey", account),
                                "Allowed",
                                `${service} on ${purpose}`,
                            );
                    }
                });

            it(`EC2 Auto Scaling's service-linked role uses ${autoscaling.join(" and ") || "no"} key for the volumes it launches, and grants only for AWS resources`, async () => {
                for (const purpose of purposes) {
                    const key = keyOf(run, purpose);
                    const decrypt = await decideService(
                        AUTOSCALING_ROLE,
                        { action: "kms:Decrypt", resource: String(key.outputs.arn) },
                        policyOf(key),
                    );
                    if (!autoscaling.includes(purpose)) {
                        assert.notStrictEqual(decrypt, "Allowed", `${purpose}: no Auto Scaling volumes`);
                        continue;
                    }
                    // One concrete action for each documented (wildcard) one.
                    for (const action of AUTOSCALING_VOLUME_ACTIONS.map((documented) => CONCRETE[documented] ?? documented)) {
                        const decision = await decideService(AUTOSCALING_ROLE, { action, resource: String(key.outputs.arn) }, policyOf(key));
                        assert.strictEqual(decision, "Allowed", `${purpose} ${action}`);
                    }
                    const grant = (forAws: string) =>
                        decideService(
                            AUTOSCALING_ROLE,
                            { action: "kms:CreateGrant", resource: String(key.outputs.arn), context: { "kms:GrantIsForAWSResource": forAws } },
                            policyOf(key),
                        );
                    assert.strictEqual(await grant("true"), "Allowed", purpose);
                    assert.notStrictEqual(await grant("false"), "Allowed", purpose);
                    assert.notStrictEqual(
                        await decideService(
                            AUTOSCALING_ROLE,
                            { action: "kms:ScheduleKeyDeletion", resource: String(key.outputs.arn) },
                            policyOf(key),
                        ),
                        "Allowed",
                    );
                }
            });

            // The simulator drops encryption-context keys whose name holds a colon (`aws:logs:arn`), so
            // the allow path is asserted on the statement above; here: what CloudWatch Logs is refused.
            it("CloudWatch Logs gets nothing from the logs key without a log-group encryption context, nor from any other key", async () => {
                for (const purpose of purposes) {
                    for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]) {
                        assert.notStrictEqual(await serviceDecision(LOGS_SERVICE, keyOf(run, purpose), action), "Allowed", `${purpose} ${action}`);
                    }
                }
            });

            it("the VPC flow-log group is encrypted with the logs key", () => {
                assert.strictEqual(inputsOf(named(run, LOG_GROUP, "-flow-logs")).kmsKeyId, keyOf(run, "logs").outputs.arn);
            });
        });
    }

    describe("built alone", () => {
        it("by default builds the base four keys, and exports ARNs and aliases of exactly those", async () => {
            const { run, encryption } = await runEncryption();
            assert.deepStrictEqual(
                ofType(run, KEY)
                    .map((key) => key.name)
                    .sort(),
                BASE_KEY_PURPOSES.map((purpose) => `t-encryption-${purpose}`).sort(),
            );
            assert.deepStrictEqual(encryption.purposes, [...BASE_KEY_PURPOSES]);
            assert.deepStrictEqual(Object.keys(encryption.keyArns).sort(), [...BASE_KEY_PURPOSES].sort());
            assert.deepStrictEqual(encryption.aliasNames, Object.fromEntries(BASE_KEY_PURPOSES.map((purpose) => [purpose, `alias/test-${purpose}`])));
        });

        it("builds the purposes asked for, in KEY_PURPOSES order, each service-bound one with its policy", async () => {
            const { run, encryption } = await runEncryption({ purposes: ["audit", "database", "logs"] });
            assert.deepStrictEqual(encryption.purposes, ["logs", "database", "audit"]);
            assert.deepStrictEqual(ofType(run, KEY).length, 3);
            assert.deepStrictEqual(
                ofType(run, ALIAS)
                    .map((alias) => inputsOf(alias).name)
                    .sort(),
                ["alias/test-audit", "alias/test-database", "alias/test-logs"],
            );
            assert.deepStrictEqual(sids(policyOf(keyOf(run, "database"))), ["AccountRootAdministers", "AccountUsesOnlyThroughItsServices"]);
            assert.deepStrictEqual(sids(policyOf(keyOf(run, "logs"))), [ROOT_STATEMENT.Sid, "CloudWatchLogsEncryptsThisAccountsLogGroups"]);
            assert.strictEqual(encryption.keyArns.storage, undefined);
        });

        it("autoscalingVolumes names AWSServiceRoleForAutoScaling in exactly those keys' policies", async () => {
            const { run } = await runEncryption({ purposes: ["storage", "kubernetes", "database"], autoscalingVolumes: ["storage", "kubernetes"] });
            for (const purpose of ["storage", "kubernetes"] as const) {
                const statements = statementsOf(policyOf(keyOf(run, purpose))).filter((statement) => statement.Sid?.startsWith("AutoScaling"));
                assert.deepStrictEqual(
                    statements,
                    [
                        {
                            Sid: "AutoScalingUsesTheKeyForVolumes",
                            Effect: "Allow",
                            Principal: { AWS: AUTOSCALING_ROLE },
                            Action: [...AUTOSCALING_VOLUME_ACTIONS],
                            Resource: "*",
                        },
                        {
                            Sid: "AutoScalingGrantsForVolumes",
                            Effect: "Allow",
                            Principal: { AWS: AUTOSCALING_ROLE },
                            Action: "kms:CreateGrant",
                            Resource: "*",
                            Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                        },
                    ],
                    purpose,
                );
            }
            assert.ok(!JSON.stringify(policyOf(keyOf(run, "database"))).includes("AWSServiceRoleForAutoScaling"));
        });

        it("protect: 30-day deletion window, protected and retained; unprotected: 7 days", async () => {
            const { run } = await runEncryption({ protect: true, purposes: ["database"] });
            const key = keyOf(run, "database");
            assert.deepStrictEqual([inputsOf(key).deletionWindowInDays, key.protect, key.retainOnDelete], [30, true, true]);
            const unprotected = keyOf((await runEncryption({ purposes: ["database"] })).run, "database");
            assert.deepStrictEqual([inputsOf(unprotected).deletionWindowInDays, unprotected.protect], [7, false]);
        });
    });
});
