import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, parseStackConfig } from "../../components/config";
import {
    APP_SECRET_FIELDS,
    PASSWORD_SPECS,
    PasswordPurpose,
    SECRET_PURPOSES,
    SecretEndpointFields,
    SecretPurpose,
    Secrets,
    secretPurposesFor,
} from "../../components/secrets/secrets";
import { Naming } from "../../components/shared/naming";
import { RecordedResource, isSecretValue, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, inputsOf, named, ofType, runStack, fixtureStack, fixtureConfig } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const SECRET = TYPE.secretsmanagerSecret;
const VERSION = TYPE.secretsmanagerSecretVersion;
const PASSWORD = TYPE.randomPassword;
const KEY_ARN = "arn:aws:kms:us-east-2:123456789012:key/secrets-key";

/** Printable ASCII (33–126) except the characters RDS refuses in a MySQL master password. */
const RDS_FORBIDDEN = ["/", '"', "@", " ", "'"];
/** ElastiCache AUTH tokens: alphanumerics plus only these. */
const REDIS_ALLOWED_SPECIAL = "!&#$^<>-";

interface TierRun {
    readonly run: ProgramRun;
    readonly secrets: Secrets;
}

/** Builds the secrets tier alone for a stack's config (KMS key when the stack has one). */
/** `fields` null: writeValues is not called. */
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

            it("creates the five secrets with the seed's names and descriptions", () => {
                const names = ofType(tier.run, SECRET)
                    .map((secret) => inputsOf(secret).name)
                    .sort();
                assert.deepStrictEqual(names, [
                    `${stack}-app-secrets`,
                    `${stack}-argocd-credentials`,
                    `${stack}-grafana-credentials`,
                    `${stack}-mysql-credentials`,
                    `${stack}-redis-credentials`,
                ]);
                assert.strictEqual(inputsOf(named(tier.run, SECRET, "-mysql")).description, `MySQL database credentials for ${stack}`);
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

        it("generates eight passwords, each a separate RandomPassword", () => {
            assert.strictEqual(ofType(tier.run, PASSWORD).length, 8);
            assert.deepStrictEqual(Object.keys(PASSWORD_SPECS).sort(), [
                "api_key",
                "argocd",
                "encryption_key",
                "grafana",
                "jwt_secret",
                "mysql",
                "redis",
                "webhook_secret",
            ]);
        });

        it("gives every purpose a distinct value (the seed reuses database passwords as app secrets)", () => {
            const values = (Object.keys(PASSWORD_SPECS) as PasswordPurpose[]).map((purpose) => passwordOf(tier.run, purpose));
            assert.strictEqual(new Set(values).size, 8);
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

        it("keeps the MySQL password within RDS limits: at most 41 characters, no / \" @ ' or space", () => {
            const spec = PASSWORD_SPECS.mysql;
            assert.ok(spec.length <= 41);
            for (const forbidden of RDS_FORBIDDEN) assert.ok(!spec.special.includes(forbidden), `special set contains ${forbidden}`);
            const value = passwordOf(tier.run, "mysql");
            assert.match(value, /^[\x21-\x7e]+$/);
            for (const forbidden of RDS_FORBIDDEN) assert.ok(!value.includes(forbidden));
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
        it("writes the seed's JSON fields; host and URL fields are absent until a tier provides them", async () => {
            const { run } = await runSecrets("dev", {});
            const mysql = secretDocument(run, "mysql");
            assert.deepStrictEqual(Object.keys(mysql).sort(), ["dbname", "engine", "password", "port", "username"]);
            assert.deepStrictEqual(
                { ...mysql, password: undefined },
                { username: "admin", engine: "mysql", port: 3306, dbname: "mydb", password: undefined },
            );
            assert.strictEqual(mysql.password, passwordOf(run, "mysql"));
            assert.deepStrictEqual(secretDocument(run, "redis"), { password: passwordOf(run, "redis"), port: 6379, engine: "redis" });
            assert.deepStrictEqual(secretDocument(run, "grafana"), { username: "admin", password: passwordOf(run, "grafana") });
            assert.deepStrictEqual(secretDocument(run, "argocd"), { username: "admin", password: passwordOf(run, "argocd") });
            const everything = ofType(run, VERSION)
                .map((version) => inputsOf(version).secretString as string)
                .join("\n");
            assert.doesNotMatch(everything, /placeholder/i);
        });

        it("fills host and URL fields from the tiers that provide them", async () => {
            const { run } = await runSecrets("dev", {
                mysqlHost: "db.internal.example",
                redisHost: pulumi.output("cache.internal.example"),
                grafanaUrl: "http://198.51.100.7:3000",
                argocdUrl: "http://198.51.100.8:30080",
            });
            assert.strictEqual(secretDocument(run, "mysql").host, "db.internal.example");
            assert.strictEqual(secretDocument(run, "redis").host, "cache.internal.example");
            assert.strictEqual(secretDocument(run, "grafana").url, "http://198.51.100.7:3000");
            assert.strictEqual(secretDocument(run, "argocd").url, "http://198.51.100.8:30080");
        });

        it("puts the four distinct app secrets in the app secret, none equal to a service password", async () => {
            const { run } = await runSecrets("dev");
            const app = secretDocument(run, "app");
            assert.deepStrictEqual(Object.keys(app).sort(), [...APP_SECRET_FIELDS].sort());
            for (const field of APP_SECRET_FIELDS) assert.strictEqual(app[field], passwordOf(run, field));
            const servicePasswords = (["mysql", "redis", "grafana", "argocd"] as const).map((purpose) => passwordOf(run, purpose));
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
            const { run } = await runSecrets("prod", { mysqlHost: "db.internal.example" });
            const passwords = (Object.keys(PASSWORD_SPECS) as PasswordPurpose[]).map((purpose) => passwordOf(run, purpose));
            for (const resource of run.resources) {
                const visible = plainInputs(resource);
                for (const password of passwords) assert.ok(!visible.includes(password), `${resource.name} shows a password in plain text`);
            }
        });
    });

    describe("only the secrets a consumer reads", () => {
        it("the app secret always; MySQL and Redis with a database or cache tier; Grafana and ArgoCD with their hosts", () => {
            const none = { database: false, cache: false, monitoring: false, argocd: false };
            assert.deepStrictEqual(secretPurposesFor(none), ["app"]);
            assert.deepStrictEqual(secretPurposesFor({ ...none, monitoring: true, argocd: true }), ["grafana", "argocd", "app"]);
            assert.deepStrictEqual(secretPurposesFor({ database: true, cache: true, monitoring: true, argocd: true }), [...SECRET_PURPOSES]);
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
            assert.throws(() => secrets.secretArn("mysql"), /no mysql secret is built in this stack \(built: app\)/);
            assert.ok(secrets.secretArn("app"));
        });

        for (const stack of STACKS) {
            const hosts = stack === "dev";
            it(`${stack}: builds ${hosts ? "the app, Grafana and ArgoCD secrets (dev has both hosts)" : "only the app secret (no host, database or cache tier)"}`, async () => {
                const run = await runStack(stack);
                const names = ofType(run, SECRET)
                    .map((secret) => inputsOf(secret).name)
                    .sort();
                assert.deepStrictEqual(
                    names,
                    hosts ? [`${stack}-app-secrets`, `${stack}-argocd-credentials`, `${stack}-grafana-credentials`] : [`${stack}-app-secrets`],
                );
                assert.strictEqual(ofType(run, PASSWORD).length, APP_SECRET_FIELDS.length + (hosts ? 2 : 0));
            });
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
