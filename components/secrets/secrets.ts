import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { KeyArns } from "../encryption/keys";
import { PolicyStatement, keyUseVia } from "../shared/iam";
import { SecretsConfig, recoveryWindowInDays } from "./config";
import { PORTS } from "../shared/ports";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

export type SecretPurpose = "database" | "redis" | "grafana" | "argocd" | "app";
export const SECRET_PURPOSES: readonly SecretPurpose[] = ["database", "redis", "grafana", "argocd", "app"];

/** Fields of the app secret; ECS tasks inject each one as `valueFrom: "<arn>:<field>::"`. */
export const APP_SECRET_FIELDS = ["jwt_secret", "api_key", "encryption_key", "webhook_secret"] as const;
export type AppSecretField = (typeof APP_SECRET_FIELDS)[number];

export type PasswordPurpose = "redis" | "grafana" | "argocd" | AppSecretField;

/**
 * The generated values each secret holds. The database secret holds none: RDS generates, stores and
 * rotates the master password in a secret of its own (`manageMasterUserPassword`); ours references it.
 */
export const SECRET_PASSWORDS: Readonly<Record<SecretPurpose, readonly PasswordPurpose[]>> = {
    database: [],
    redis: ["redis"],
    grafana: ["grafana"],
    argocd: ["argocd"],
    app: APP_SECRET_FIELDS,
};

/** What each secret is for: the tier whose resource reads it. A secret is built only when its consumer is. */
export interface SecretConsumers {
    /** The database tier (RDS) exists. */
    readonly database: boolean;
    /** The cache tier (ElastiCache) exists. */
    readonly cache: boolean;
    /** The monitoring host (Grafana) exists. */
    readonly monitoring: boolean;
    /** The minikube + ArgoCD host exists. */
    readonly argocd: boolean;
    /** The data tasks exist (they inject the app secret's fields). */
    readonly app: boolean;
}

/**
 * The secrets a stack needs, in SECRET_PURPOSES order, each only with the tier that reads it — a secret without a consumer costs money and holds a
 * password nobody uses.
 */
export function secretPurposesFor(consumers: SecretConsumers): SecretPurpose[] {
    const needed: Record<SecretPurpose, boolean> = {
        database: consumers.database,
        redis: consumers.cache,
        grafana: consumers.monitoring,
        argocd: consumers.argocd,
        app: consumers.app,
    };
    return SECRET_PURPOSES.filter((purpose) => needed[purpose]);
}

export interface PasswordSpec {
    readonly length: number;
    /** The only non-alphanumeric characters the password may contain. */
    readonly special: string;
}

/**
 * One generated value per purpose, never shared (the seed reuses the database
 * passwords as app secrets). Character sets follow the consumer:
 * - ElastiCache Redis AUTH token: 16–128 characters, non-alphanumerics only
 *   `! & # $ ^ < > -`; again without `$`.
 * - Grafana and ArgoCD admin passwords travel through environment variables and
 *   bcrypt (72-byte limit); app secrets go into HTTP headers and tokens: URL-safe `-_`.
 */
export const PASSWORD_SPECS: Readonly<Record<PasswordPurpose, PasswordSpec>> = {
    redis: { length: 64, special: "!&#^<>-" },
    grafana: { length: 32, special: "-_" },
    argocd: { length: 32, special: "-_" },
    jwt_secret: { length: 64, special: "-_" },
    api_key: { length: 48, special: "-_" },
    encryption_key: { length: 64, special: "-_" },
    webhook_secret: { length: 48, special: "-_" },
};

const ADMIN_USER = "admin";

const SECRET_DESCRIPTIONS: Readonly<Record<SecretPurpose, string>> = {
    database: "Database connection (the master password is in the RDS-managed secret it references)",
    redis: "Redis credentials",
    grafana: "Grafana admin credentials",
    argocd: "ArgoCD admin credentials",
    app: "Application secrets",
};

/** Physical secret name suffix: `${env}-database-credentials`, ..., `${env}-app-secrets`. */
export function secretNameSuffix(purpose: SecretPurpose): string {
    return purpose === "app" ? "app-secrets" : `${purpose}-credentials`;
}

/** What the database secret describes: the RDS instance's real endpoint and the secret RDS manages. */
export interface DatabaseSecretFields {
    readonly engine: pulumi.Input<string>;
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly dbname: pulumi.Input<string>;
    /** The master user; its password is in `masterSecretArn`. */
    readonly username: pulumi.Input<string>;
    /** The RDS-managed secret holding the master password. */
    readonly masterSecretArn: pulumi.Input<string>;
    /** The database user applications connect as with IAM authentication (`rds-db:connect`). */
    readonly iamUsername: pulumi.Input<string>;
}

/** Values a later tier provides; each is omitted from the secret (never faked) when undefined. */
export interface SecretEndpointFields {
    readonly database?: DatabaseSecretFields;
    readonly redisHost?: pulumi.Input<string>;
    readonly redisPort?: pulumi.Input<number>;
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
    /** Protect the secrets from deletion (prod); unprotected secrets are deleted without a recovery window. */
    readonly protect: boolean;
    /** The secrets to build (see secretPurposesFor): the platform knows which consumers exist. Defaults to every purpose. */
    readonly purposes?: readonly SecretPurpose[];
}

/**
 * Generated passwords and the Secrets Manager secrets that hold them. The secrets (and so their
 * ARNs, which the hosts and tasks are granted) exist from the constructor on; their values are
 * written by `writeValues` once the tiers whose endpoints they carry exist, so host and URL fields
 * are real endpoints or absent. The hosts read their secret at boot, so a value written after the
 * host's creation is still the one it reads.
 */
export class Secrets extends TierComponent {
    /** The secrets built, in SECRET_PURPOSES order. */
    readonly purposes: readonly SecretPurpose[];
    readonly secrets: Readonly<Partial<Record<SecretPurpose, aws.secretsmanager.Secret>>>;
    readonly secretArns: Readonly<Partial<Record<SecretPurpose, pulumi.Output<string>>>>;
    /** The generated values of the secrets built, as Pulumi secrets (the database and cache tiers need theirs). */
    readonly passwords: Readonly<Partial<Record<PasswordPurpose, pulumi.Output<string>>>>;
    private readonly baseName: string;
    private readonly protect: boolean;
    private written = false;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("secrets", "Secrets"), name, opts);
        this.baseName = name;
        this.protect = args.protect;

        const requested = args.purposes ?? SECRET_PURPOSES;
        for (const purpose of requested) {
            if (!SECRET_PURPOSES.includes(purpose)) throw new Error(`${name}: unknown secret purpose "${String(purpose)}"`);
        }
        this.purposes = SECRET_PURPOSES.filter((purpose) => requested.includes(purpose));

        const passwords: Partial<Record<PasswordPurpose, pulumi.Output<string>>> = {};
        for (const purpose of this.purposes.flatMap((secret) => SECRET_PASSWORDS[secret])) {
            passwords[purpose] = pulumi.secret(this.password(purpose).result);
        }
        this.passwords = passwords;

        const secrets: Partial<Record<SecretPurpose, aws.secretsmanager.Secret>> = {};
        for (const purpose of this.purposes) {
            const physicalName = args.naming.name(secretNameSuffix(purpose));
            secrets[purpose] = new aws.secretsmanager.Secret(
                `${name}-${purpose}`,
                {
                    name: physicalName,
                    description: `${SECRET_DESCRIPTIONS[purpose]} for ${args.naming.environment}`,
                    recoveryWindowInDays: recoveryWindowInDays(args.config, args.protect),
                    kmsKeyId: args.keys?.secrets,
                    tags: args.naming.tags("secrets", secretNameSuffix(purpose)),
                },
                this.child({ protect: args.protect, retainOnDelete: args.protect }),
            );
        }
        this.secrets = secrets;
        this.secretArns = Object.fromEntries(this.purposes.map((purpose) => [purpose, secrets[purpose]!.arn]));
        this.registerOutputs({ secretArns: this.secretArns });
    }

    /** ARN of a secret this stack builds; throws when its consumer was not declared (a wiring error). */
    secretArn(purpose: SecretPurpose): pulumi.Output<string> {
        const arn = this.secretArns[purpose];
        if (arn === undefined) throw new Error(`${this.baseName}: no ${purpose} secret is built in this stack (built: ${this.purposes.join(", ")})`);
        return arn;
    }

    /**
     * Writes the secret values (SecretVersion children). Called once, by the platform, after the
     * tiers that provide hosts and URLs; absent fields stay absent.
     */
    writeValues(fields: SecretEndpointFields): void {
        if (this.written) throw new Error(`${this.baseName}: secret values were already written`);
        const p = this.passwords as Readonly<Record<PasswordPurpose, pulumi.Output<string>>>;
        const documents: Record<SecretPurpose, Record<string, pulumi.Input<string | number> | undefined>> = {
            database: { ...fields.database },
            redis: {
                password: p.redis,
                host: fields.redisHost,
                port: fields.redisHost === undefined ? undefined : (fields.redisPort ?? PORTS.redis.from),
                engine: "redis",
            },
            grafana: { username: ADMIN_USER, password: p.grafana, url: fields.grafanaUrl },
            argocd: { username: ADMIN_USER, password: p.argocd, url: fields.argocdUrl },
            app: Object.fromEntries(APP_SECRET_FIELDS.map((field) => [field, p[field]])),
        };
        this.written = true;
        for (const purpose of this.purposes) {
            new aws.secretsmanager.SecretVersion(
                `${this.baseName}-${purpose}-value`,
                {
                    secretId: this.secrets[purpose]!.id,
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
