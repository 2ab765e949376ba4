import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { KeyArns } from "../encryption/keys";
import { PolicyStatement, keyUseVia } from "../shared/iam";
import { SecretsConfig } from "./config";
import { PORTS } from "../shared/ports";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

export type SecretPurpose = "mysql" | "redis" | "grafana" | "argocd" | "app";
export const SECRET_PURPOSES: readonly SecretPurpose[] = ["mysql", "redis", "grafana", "argocd", "app"];

/** Fields of the app secret; ECS tasks inject each one as `valueFrom: "<arn>:<field>::"`. */
export const APP_SECRET_FIELDS = ["jwt_secret", "api_key", "encryption_key", "webhook_secret"] as const;
export type AppSecretField = (typeof APP_SECRET_FIELDS)[number];

export type PasswordPurpose = "mysql" | "redis" | "grafana" | "argocd" | AppSecretField;

export interface PasswordSpec {
    readonly length: number;
    /** The only non-alphanumeric characters the password may contain. */
    readonly special: string;
}

/**
 * One generated value per purpose, never shared (the seed reuses the database
 * passwords as app secrets). Character sets follow the consumer:
 * - RDS MySQL master password: 8–41 characters, printable ASCII except `/`, `"`, `@`,
 *   space (and `'`, refused by some engines); `$` is left out too because hosts pass
 *   the value through shells and compose files.
 * - ElastiCache Redis AUTH token: 16–128 characters, non-alphanumerics only
 *   `! & # $ ^ < > -`; again without `$`.
 * - Grafana and ArgoCD admin passwords travel through environment variables and
 *   bcrypt (72-byte limit); app secrets go into HTTP headers and tokens: URL-safe `-_`.
 */
export const PASSWORD_SPECS: Readonly<Record<PasswordPurpose, PasswordSpec>> = {
    mysql: { length: 40, special: "!#%&*()-_=+[]{}<>:?" },
    redis: { length: 64, special: "!&#^<>-" },
    grafana: { length: 32, special: "-_" },
    argocd: { length: 32, special: "-_" },
    jwt_secret: { length: 64, special: "-_" },
    api_key: { length: 48, special: "-_" },
    encryption_key: { length: 64, special: "-_" },
    webhook_secret: { length: 48, special: "-_" },
};

const ADMIN_USER = "admin";
const MYSQL_DATABASE = "mydb";

const SECRET_DESCRIPTIONS: Readonly<Record<SecretPurpose, string>> = {
    mysql: "MySQL database credentials",
    redis: "Redis credentials",
    grafana: "Grafana admin credentials",
    argocd: "ArgoCD admin credentials",
    app: "Application secrets",
};

/** Physical secret name suffix: `${env}-mysql-credentials`, ..., `${env}-app-secrets`. */
export function secretNameSuffix(purpose: SecretPurpose): string {
    return purpose === "app" ? "app-secrets" : `${purpose}-credentials`;
}

/** Values a later tier provides; each is omitted from the secret (never faked) when undefined. */
export interface SecretEndpointFields {
    readonly mysqlHost?: pulumi.Input<string>;
    readonly redisHost?: pulumi.Input<string>;
    readonly grafanaUrl?: pulumi.Input<string>;
    readonly argocdUrl?: pulumi.Input<string>;
}

export interface SecretsArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:secrets` section. */
    readonly config: SecretsConfig;
    /** Customer-managed keys; the `secrets` key encrypts the secrets (the AWS managed key without it). */
    readonly keys?: Partial<KeyArns>;
    /** Protect the secrets from deletion (prod). */
    readonly protect: boolean;
}

/**
 * Generated passwords and the Secrets Manager secrets that hold them. The secrets (and so their
 * ARNs, which the hosts and tasks are granted) exist from the constructor on; their values are
 * written by `writeValues` once the tiers whose endpoints they carry exist, so host and URL fields
 * are real endpoints or absent. The hosts read their secret at boot, so a value written after the
 * host's creation is still the one it reads.
 */
export class Secrets extends TierComponent {
    readonly secrets: Readonly<Record<SecretPurpose, aws.secretsmanager.Secret>>;
    readonly secretArns: Readonly<Record<SecretPurpose, pulumi.Output<string>>>;
    /** Every generated value, as Pulumi secrets (the database and cache tiers need theirs). */
    readonly passwords: Readonly<Record<PasswordPurpose, pulumi.Output<string>>>;
    private readonly baseName: string;
    private readonly protect: boolean;
    private written = false;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("secrets", "Secrets"), name, opts);
        this.baseName = name;
        this.protect = args.protect;

        const passwords = {} as Record<PasswordPurpose, pulumi.Output<string>>;
        for (const purpose of Object.keys(PASSWORD_SPECS) as PasswordPurpose[]) {
            passwords[purpose] = pulumi.secret(this.password(purpose).result);
        }
        this.passwords = passwords;

        const secrets = {} as Record<SecretPurpose, aws.secretsmanager.Secret>;
        for (const purpose of SECRET_PURPOSES) {
            const physicalName = args.naming.name(secretNameSuffix(purpose));
            secrets[purpose] = new aws.secretsmanager.Secret(
                `${name}-${purpose}`,
                {
                    name: physicalName,
                    description: `${SECRET_DESCRIPTIONS[purpose]} for ${args.naming.environment}`,
                    recoveryWindowInDays: args.config.recoveryWindowDays,
                    kmsKeyId: args.keys?.secrets,
                    tags: args.naming.tags("secrets", secretNameSuffix(purpose)),
                },
                this.child({ protect: args.protect, retainOnDelete: args.protect }),
            );
        }
        this.secrets = secrets;
        this.secretArns = mapRecord(secrets, (secret) => secret.arn);
        this.registerOutputs({ secretArns: this.secretArns });
    }

    /**
     * Writes the secret values (SecretVersion children). Called once, by the platform, after the
     * tiers that provide hosts and URLs; absent fields stay absent.
     */
    writeValues(fields: SecretEndpointFields): void {
        if (this.written) throw new Error(`${this.baseName}: secret values were already written`);
        const p = this.passwords;
        const documents: Record<SecretPurpose, Record<string, pulumi.Input<string | number> | undefined>> = {
            mysql: {
                username: ADMIN_USER,
                password: p.mysql,
                engine: "mysql",
                host: fields.mysqlHost,
                port: PORTS.mysql.from,
                dbname: MYSQL_DATABASE,
            },
            redis: { password: p.redis, host: fields.redisHost, port: PORTS.redis.from, engine: "redis" },
            grafana: { username: ADMIN_USER, password: p.grafana, url: fields.grafanaUrl },
            argocd: { username: ADMIN_USER, password: p.argocd, url: fields.argocdUrl },
            app: Object.fromEntries(APP_SECRET_FIELDS.map((field) => [field, p[field]])),
        };
        this.written = true;
        for (const purpose of SECRET_PURPOSES) {
            new aws.secretsmanager.SecretVersion(
                `${this.baseName}-${purpose}-value`,
                {
                    secretId: this.secrets[purpose].id,
                    secretString: secretJson(documents[purpose]),
                },
                this.child(),
            );
        }
    }

    private password(purpose: PasswordPurpose): random.RandomPassword {
        const spec = PASSWORD_SPECS[purpose];
        return new random.RandomPassword(
            `${this.baseName}-${purpose.replace(/_/g, "-")}-password`,
            {
                length: spec.length,
                special: true,
                overrideSpecial: spec.special,
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
                minSpecial: 1,
            },
            this.child({ protect: this.protect }),
        );
    }
}

/** JSON of the fields that have a value (undefined and empty ones are left out), as a Pulumi secret. */
export function secretJson(document: Record<string, pulumi.Input<string | number> | undefined>): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .output(document)
            .apply((values) => JSON.stringify(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== "")))),
    );
}

function mapRecord<K extends string, V, R>(record: Readonly<Record<K, V>>, fn: (value: V, key: K) => R): Record<K, R> {
    return Object.fromEntries((Object.keys(record) as K[]).map((key) => [key, fn(record[key], key)])) as Record<K, R>;
}

/** Read the values of these secrets (the ECS roles: the secrets they inject or read). */
export function secretValueStatements(sid: string, secretArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
    if (secretArns.length === 0) return [];
    return [{ Sid: sid, Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns] }];
}

/** A host reads exactly its own secret (and its key, only through Secrets Manager). */
export function ownSecretStatements(secretArn: pulumi.Input<string>, region: string, keyArn?: pulumi.Input<string>): PolicyStatement[] {
    return [
        { Sid: "ReadOwnSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn },
        ...keyUseVia("DecryptOwnSecret", keyArn, ["kms:Decrypt"], "secretsmanager", region),
    ];
}
