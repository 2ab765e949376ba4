import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, parseStackConfig } from "../../components/config";
import {
    APP_SECRET_FIELDS,
    DatabaseSecretFields,
    PASSWORD_SPECS,
    PasswordPurpose,
    SECRET_PASSWORDS,
    SECRET_PURPOSES,
    SecretEndpointFields,
    SecretPurpose,
    Secrets,
    secretPurposesFor,
} from "../../components/secrets/secrets";
import { Naming } from "../../components/shared/naming";
import { RecordedResource, isSecretValue, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, inputsOf, named, ofType, runStack, runStackWith, fixtureStack, fixtureConfig } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const SECRET = TYPE.secretsmanagerSecret;
const VERSION = TYPE.secretsmanagerSecretVersion;
const PASSWORD = TYPE.randomPassword;
const KEY_ARN = "arn:aws:kms:us-east-2:123456789012:key/secrets-key";

/** ElastiCache AUTH tokens: alphanumerics plus only these. */
const REDIS_ALLOWED_SPECIAL = "!&#$^<>-";

interface TierRun {
    readonly run: ProgramRun;
    readonly secrets: Secrets;
}

/** Builds the secrets tier alone for a stack's config (KMS key when the stack has one); `fields` null: writeValues is not called. */
async function runSecrets(
    stack: string,
    fields: SecretEndpointFields | null = {},
    afterWrite?: (secrets: Secrets) => void,
    purposes?: readonly SecretPurpose[],
): Promise<TierRun> {
    const file = fixtureStack(stack);
    const config: StackConfig = parseStackConfig(file.config);
    let secrets: Secrets | undefined;
    const run = await runProgram({
        stack,
        config: file.config,
        program: () => {
            secrets = new Secrets("t-secrets", {
                naming: new Naming(config.environment),
                config: config.secrets,
                keys: config.encryption.kms ? { secrets: KEY_ARN } : undefined,
                protect: config.protect,
                purposes,
            });
            if (fields) secrets.writeValues(fields);
            afterWrite?.(secrets);
        },
    });
    assert.ok(secrets);
    return { run, secrets };
}

function passwordOf(run: ProgramRun, purpose: PasswordPurpose): string {
    const resource = named(run, PASSWORD, `-${purpose.replace(/_/g, "-")}-password`);
    return revealSecrets(resource.outputs.result) as string;
}

function secretDocument(run: ProgramRun, purpose: string): Record<string, unknown> {
    const version = named(run, VERSION, `-${purpose}-value`);
    return JSON.parse(inputsOf(version).secretString as string);
}

/** What the database tier hands the secret: the instance's endpoint and the secret RDS manages (literal values). */
const DATABASE_FIELDS: DatabaseSecretFields = {
    engine: "postgres",
    host: "db.internal.example",
    port: 5432,
    dbname: "data_platform",
    username: "platform_admin",
    masterSecretArn: "arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-0123-AbCdEf",
    iamUsername: "platform_app",
};

/** The secrets a stack's tiers read: the expectation, from the fixture's config. */
function expectedPurposes(config: StackConfig): SecretPurpose[] {
    const consumers: Record<SecretPurpose, boolean> = {
        database: config.database.enabled,
        redis: config.cache.enabled,
        grafana: config.monitoring,
        argocd: config.kubernetes === "minikube",
        app: config.containers.enabled && config.containers.dataTasks,
    };
    return SECRET_PURPOSES.filter((purpose) => consumers[purpose]);
}

/** Every input of a resource, with secret values masked: what a reader of the state sees in plain text. */
function plainInputs(resource: RecordedResource): string {
    return JSON.stringify(revealSecrets(resource.inputs, () => "[secret]"));
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

describe("secrets tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const config = fixtureConfig(stack);
            let tier: TierRun;
            before(async () => {
                tier = await runSecrets(stack);
            });

            it("creates the five secrets with the seed's names (the database's renamed from mysql) and descriptions", () => {
                const names = ofType(tier.run, SECRET)
                    .map((secret) => inputsOf(secret).name)
                    .sort();
                assert.deepStrictEqual(names, [
                    `${stack}-app-secrets`,
                    `${stack}-argocd-credentials`,
                    `${stack}-database-credentials`,
                    `${stack}-grafana-credentials`,
                    `${stack}-redis-credentials`,
                ]);
                assert.strictEqual(
                    inputsOf(named(tier.run, SECRET, "-database")).description,
                    `Database connection (the master password is in the RDS-managed secret it references) for ${stack}`,
                );
                assert.strictEqual(inputsOf(named(tier.run, SECRET, "-redis")).description, `Redis credentials for ${stack}`);
                for (const secret of ofType(tier.run, SECRET)) {
                    assert.strictEqual(inputsOf(secret).tags.Tier, "secrets");
                    assert.strictEqual(inputsOf(secret).tags.Name, inputsOf(secret).name);
                }
            });

            it(
                config.protect
                    ? "keeps deleted secrets recoverable for the configured 30 days (protected stack)"
                    : "deletes secrets without recovery (0 days) so the stack can be re-created the same day",
                () => {
                    const expected = config.protect ? 30 : 0;
                    assert.strictEqual(config.secrets.recoveryWindowDays, stack === "prod" ? 30 : 7);
                    for (const secret of ofType(tier.run, SECRET)) assert.strictEqual(inputsOf(secret).recoveryWindowInDays, expected);
                },
            );

            it(stack === "dev" ? "uses the AWS managed key (no KMS key in dev)" : "encrypts with the stack's secrets KMS key", () => {
                for (const secret of ofType(tier.run, SECRET)) {
                    assert.strictEqual(inputsOf(secret).kmsKeyId, stack === "dev" ? undefined : KEY_ARN);
                }
            });

            it(stack === "prod" ? "protects the secrets and their passwords in prod" : "does not protect secrets outside prod", () => {
                const stateful = [...ofType(tier.run, SECRET), ...ofType(tier.run, PASSWORD)];
                for (const resource of stateful) assert.strictEqual(resource.protect, stack === "prod", resource.name);
                for (const secret of ofType(tier.run, SECRET)) assert.strictEqual(secret.retainOnDelete, stack === "prod");
            });
        });
    }

    describe("generated values", () => {
        let tier: TierRun;
        before(async () => {
            tier = await runSecrets("dev");
        });

        it("generates seven passwords, each a separate RandomPassword: none for the database (RDS manages its master password)", () => {
            const purposes = ["api_key", "argocd", "encryption_key", "grafana", "jwt_secret", "redis", "webhook_secret"];
            assert.deepStrictEqual(Object.keys(PASSWORD_SPECS).sort(), purposes);
            assert.strictEqual(ofType(tier.run, PASSWORD).length, purposes.length);
            assert.deepStrictEqual(SECRET_PASSWORDS.database, []);
            assert.ok(!ofType(tier.run, PASSWORD).some((resource) => /(database|mysql)/.test(resource.name)));
        });

        it("gives every purpose a distinct value (the seed reuses database passwords as app secrets)", () => {
            const purposes = Object.keys(PASSWORD_SPECS) as PasswordPurpose[];
            const values = purposes.map((purpose) => passwordOf(tier.run, purpose));
            assert.strictEqual(new Set(values).size, purposes.length);
        });

        it("asks for at least 32 characters from every class, restricted to the consumer's special characters", () => {
            for (const purpose of Object.keys(PASSWORD_SPECS) as PasswordPurpose[]) {
                const inputs = inputsOf(named(tier.run, PASSWORD, `-${purpose.replace(/_/g, "-")}-password`));
                assert.ok(inputs.length >= 32, `${purpose} length ${inputs.length}`);
                assert.strictEqual(inputs.overrideSpecial, PASSWORD_SPECS[purpose].special, purpose);
                for (const min of ["minLower", "minUpper", "minNumeric", "minSpecial"]) assert.strictEqual(inputs[min], 1, `${purpose}.${min}`);
                assert.strictEqual(passwordOf(tier.run, purpose).length, inputs.length);
            }
        });

        it("keeps the Redis AUTH token within ElastiCache limits: 16–128 characters, specials only from ! & # $ ^ < > -", () => {
            const spec = PASSWORD_SPECS.redis;
            assert.ok(spec.length >= 16 && spec.length <= 128);
            for (const char of spec.special) assert.ok(REDIS_ALLOWED_SPECIAL.includes(char), `ElastiCache refuses ${char}`);
            assert.match(passwordOf(tier.run, "redis"), /^[A-Za-z0-9!&#$^<>-]+$/);
        });

        it("exposes the passwords only as Pulumi secrets", async () => {
            for (const purpose of Object.keys(PASSWORD_SPECS) as PasswordPurpose[]) {
                const password = tier.secrets.passwords[purpose];
                assert.ok(password, purpose);
                assert.strictEqual(await pulumi.isSecret(password), true, purpose);
                assert.strictEqual(await outputValue(password), passwordOf(tier.run, purpose));
            }
            for (const resource of ofType(tier.run, PASSWORD)) assert.ok(isSecretValue(resource.outputs.result), resource.name);
        });
    });

    describe("secret values", () => {
        it("writes the seed's JSON fields; endpoint and URL fields are absent until a tier provides them (never a made-up host or port)", async () => {
            const { run } = await runSecrets("dev", {});
            assert.deepStrictEqual(secretDocument(run, "database"), {});
            assert.deepStrictEqual(secretDocument(run, "redis"), { password: passwordOf(run, "redis"), engine: "redis" });
            assert.deepStrictEqual(secretDocument(run, "grafana"), { username: "admin", password: passwordOf(run, "grafana") });
            assert.deepStrictEqual(secretDocument(run, "argocd"), { username: "admin", password: passwordOf(run, "argocd") });
            const everything = ofType(run, VERSION)
                .map((version) => inputsOf(version).secretString as string)
                .join("\n");
            assert.doesNotMatch(everything, /placeholder/i);
        });

        it("fills host and URL fields from the tiers that provide them", async () => {
            const { run } = await runSecrets("dev", {
                database: { ...DATABASE_FIELDS, host: pulumi.output(DATABASE_FIELDS.host) },
                redisHost: pulumi.output("cache.internal.example"),
                redisPort: pulumi.output(6380),
                grafanaUrl: "http://198.51.100.7:3000",
                argocdUrl: "http://198.51.100.8:30080",
            });
            assert.deepStrictEqual(secretDocument(run, "database"), DATABASE_FIELDS);
            assert.deepStrictEqual(secretDocument(run, "redis"), {
                password: passwordOf(run, "redis"),
                host: "cache.internal.example",
                port: 6380,
                engine: "redis",
            });
            assert.strictEqual(secretDocument(run, "grafana").url, "http://198.51.100.7:3000");
            assert.strictEqual(secretDocument(run, "argocd").url, "http://198.51.100.8:30080");
        });

        it("puts the four distinct app secrets in the app secret, none equal to a service password", async () => {
            const { run } = await runSecrets("dev");
            const app = secretDocument(run, "app");
            assert.deepStrictEqual(Object.keys(app).sort(), [...APP_SECRET_FIELDS].sort());
            for (const field of APP_SECRET_FIELDS) assert.strictEqual(app[field], passwordOf(run, field));
            const servicePasswords = (["redis", "grafana", "argocd"] as const).map((purpose) => passwordOf(run, purpose));
            for (const field of APP_SECRET_FIELDS) assert.ok(!servicePasswords.includes(app[field] as string), field);
        });

        it("writes each secret's value into that secret, as a Pulumi secret input", async () => {
            const { run } = await runSecrets("staging");
            assert.strictEqual(ofType(run, VERSION).length, SECRET_PURPOSES.length);
            for (const purpose of SECRET_PURPOSES) {
                const version = named(run, VERSION, `-${purpose}-value`);
                assert.strictEqual(inputsOf(version).secretId, named(run, SECRET, `-${purpose}`).id);
                assert.ok(isSecretValue(version.inputs.secretString), `${purpose} secretString is not secret`);
            }
        });

        it("creates no secret value before writeValues, and refuses a second call", async () => {
            const { run } = await runSecrets("dev", null);
            assert.strictEqual(ofType(run, VERSION).length, 0);
            let second: unknown;
            await runSecrets("dev", {}, (secrets) => {
                try {
                    secrets.writeValues({});
                } catch (error) {
                    second = error;
                }
            });
            assert.match(String(second), /already written/);
        });

        it("never shows a generated password in plain text in any resource's inputs", async () => {
            const { run } = await runSecrets("prod", { database: DATABASE_FIELDS, redisHost: "cache.internal.example" });
            const passwords = (Object.keys(PASSWORD_SPECS) as PasswordPurpose[]).map((purpose) => passwordOf(run, purpose));
            for (const resource of run.resources) {
                const visible = plainInputs(resource);
                for (const password of passwords) assert.ok(!visible.includes(password), `${resource.name} shows a password in plain text`);
            }
        });
    });

    describe("only the secrets a consumer reads", () => {
        it("each secret only with its consumer: database and Redis with their tiers, Grafana and ArgoCD with their hosts, the app secret with the data tasks", () => {
            const none = { database: false, cache: false, monitoring: false, argocd: false, app: false };
            const cases: [Partial<typeof none>, SecretPurpose[]][] = [
                [{}, []],
                [{ app: true }, ["app"]],
                [{ database: true }, ["database"]],
                [{ cache: true }, ["redis"]],
                [{ monitoring: true, argocd: true }, ["grafana", "argocd"]],
                [{ database: true, cache: true, app: true }, ["database", "redis", "app"]],
                [{ database: true, cache: true, monitoring: true, argocd: true, app: true }, [...SECRET_PURPOSES]],
            ];
            for (const [consumers, purposes] of cases)
                assert.deepStrictEqual(secretPurposesFor({ ...none, ...consumers }), purposes, JSON.stringify(consumers));
        });

        it("builds only the secrets asked for, with only their passwords and values", async () => {
            const { run, secrets } = await runSecrets("staging", {}, undefined, ["app"]);
            assert.deepStrictEqual(
                ofType(run, SECRET).map((secret) => inputsOf(secret).name),
                ["staging-app-secrets"],
            );
            assert.deepStrictEqual(ofType(run, PASSWORD).length, APP_SECRET_FIELDS.length);
            assert.deepStrictEqual(
                ofType(run, VERSION).map((version) => version.name),
                ["t-secrets-app-value"],
            );
            assert.throws(() => secrets.secretArn("database"), /no database secret is built in this stack \(built: app\)/);
            assert.ok(secrets.secretArn("app"));
        });

        for (const stack of STACKS) {
            const config = fixtureConfig(stack);
            const purposes = expectedPurposes(config);
            it(`${stack}: builds the secrets of the tiers the stack builds (${purposes.join(", ")}), with only their passwords`, async () => {
                const run = await runStack(stack);
                const names = ofType(run, SECRET)
                    .map((secret) => inputsOf(secret).name)
                    .sort();
                assert.deepStrictEqual(
                    names,
                    purposes.map((purpose) => `${stack}-${purpose === "app" ? "app-secrets" : `${purpose}-credentials`}`).sort(),
                );
                const passwords = ofType(run, PASSWORD).filter((resource) => resource.name.startsWith(`${stack}-secrets-`));
                assert.strictEqual(passwords.length, purposes.flatMap((purpose) => SECRET_PASSWORDS[purpose]).length);
            });
        }
    });

    it("builds no app secret in a stack without the data tasks (containers.dataTasks: false), and grants none", async () => {
        const run = await runStackWith("dev", { "data-platform:containers": { enabled: false, dataTasks: false } });
        const names = ofType(run, SECRET).map((secret) => inputsOf(secret).name);
        assert.ok(names.length > 0);
        assert.ok(!names.includes("dev-app-secrets"), names.join(", "));
        assert.ok(!ofType(run, PASSWORD).some((resource) => /jwt-secret|api-key|encryption-key|webhook-secret/.test(resource.name)));
        const policies = ofType(run, TYPE.iamRolePolicy).map((policy) => String(inputsOf(policy).policy));
        assert.ok(!policies.some((policy) => policy.includes("dev-app-secrets")));
    });

    describe("the values the platform writes", () => {
        for (const stack of STACKS) {
            const config = fixtureConfig(stack);
            if (config.database.enabled) {
                it(`${stack}: the database secret holds no password: the RDS instance's endpoint, its users and the ARN of the secret RDS manages`, async () => {
                    const run = await runStack(stack);
                    const [instance] = ofType(run, TYPE.rdsInstance);
                    assert.ok(instance);
                    const document = secretDocument(run, "database");
                    const managed = instance.outputs.masterUserSecrets as { secretArn: string }[];
                    assert.strictEqual(inputsOf(instance).manageMasterUserPassword, true);
                    assert.strictEqual(inputsOf(instance).password, undefined);
                    assert.deepStrictEqual(document, {
                        engine: config.database.engine,
                        host: instance.outputs.address,
                        port: instance.outputs.port,
                        dbname: config.database.databaseName,
                        username: config.database.masterUsername,
                        masterSecretArn: managed[0].secretArn,
                        iamUsername: config.database.iamUsername,
                    });
                    assert.ok(!("password" in document));
                    assert.match(String(document.masterSecretArn), /^arn:aws:secretsmanager:/);
                });
            }
            if (config.cache.enabled) {
                it(`${stack}: the Redis secret carries the cache's primary endpoint and port, and its AUTH token is the one the cache uses`, async () => {
                    const run = await runStack(stack);
                    const [group] = ofType(run, TYPE.elasticacheReplicationGroup);
                    assert.ok(group);
                    assert.deepStrictEqual(secretDocument(run, "redis"), {
                        password: passwordOf(run, "redis"),
                        host: group.outputs.primaryEndpointAddress,
                        port: group.outputs.port,
                        engine: "redis",
                    });
                    assert.strictEqual(inputsOf(group).authToken, passwordOf(run, "redis"));
                });
            }
        }
    });

    describe("in the platform", () => {
        for (const stack of STACKS) {
            it(`${stack}: no generated password appears in plain text in any resource input or stack output`, async () => {
                const run = await runStack(stack);
                const passwords = ofType(run, PASSWORD).map((resource) => revealSecrets(resource.outputs.result) as string);
                assert.ok(passwords.length >= APP_SECRET_FIELDS.length);
                const visible = [...run.resources.map(plainInputs), JSON.stringify(revealSecrets(run.stackOutputs, () => "[secret]"))];
                for (const text of visible) for (const password of passwords) assert.ok(!text.includes(password));
            });
        }
    });
});
