import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { problemsFromZod } from "../../components/config/errors";
import { DatabaseConfig, databaseIdentifierProblems, databaseProblems, databaseSchema } from "../../components/database/config";
import {
    Database,
    DatabaseArgs,
    databaseConnectStatements,
    databaseIdentifier,
    masterSecretReadStatements,
} from "../../components/database/database";
import { AUDIT_PLUGIN, LOG_EXPORTS, SLOW_STATEMENT_MS, engineParameters, iamUserSql, rdsLogGroupName } from "../../components/database/engine";
import {
    DEFAULT_ENGINE_VERSIONS,
    ENGINE_VERSIONS,
    INSTANCE_CLASSES,
    MONITORING_INTERVALS_SECONDS,
    PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    engineVersionSpec,
    engineVersionsOf,
} from "../../components/database/versions";
import { NetworkConfig, networkSchema } from "../../components/network/config";
import { Naming } from "../../components/shared/naming";
import { RecordedResource, isSecretValue, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { evaluate } from "../fixtures/policy-harness";
import { inputsOf, jsonInput, named, ofType } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";
import { TAGGABLE_TYPES } from "../../policy-pack/policies/taggable-types";

const INSTANCE = TYPE.rdsInstance;
const SUBNET_GROUP = TYPE.rdsSubnetGroup;
const PARAMETER_GROUP = TYPE.rdsParameterGroup;
const OPTION_GROUP = TYPE.rdsOptionGroup;
const LOG_GROUP = TYPE.cloudwatchLogGroup;
const ROLE = TYPE.iamRole;
const ATTACHMENT = TYPE.iamRolePolicyAttachment;
const RANDOM_ID = TYPE.randomId;

const DATABASE_KEY = "arn:aws:kms:us-east-2:123456789012:key/44444444-4444-4444-a444-444444444444";
const SECRETS_KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-1111-4111-a111-111111111111";
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/22222222-2222-4222-a222-222222222222";
const KEYS = { database: DATABASE_KEY, secrets: SECRETS_KEY, logs: LOGS_KEY };
const SUBNETS = ["subnet-0dddddddddddddd01", "subnet-0dddddddddddddd02", "subnet-0dddddddddddddd03"];
const SECURITY_GROUP = "sg-0database00000001";

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

const OUTPUT_NAMES = [
    "endpoint",
    "port",
    "databaseName",
    "engine",
    "masterUsername",
    "masterSecretArn",
    "instanceArn",
    "resourceId",
    "iamUsername",
] as const;
type OutputName = (typeof OUTPUT_NAMES)[number];

interface TierRun {
    readonly run: ProgramRun;
    readonly outputs: Record<OutputName, unknown>;
}

/** Builds one Database component alone under the mock cloud. */
async function runDatabase(config: DatabaseConfig, overrides: Partial<DatabaseArgs> = {}, environment = "staging"): Promise<TierRun> {
    let database: Database | undefined;
    const run = await runProgram({
        stack: environment,
        config: { "aws:region": "us-east-2" },
        program: () => {
            database = new Database("t-database", {
                naming: new Naming(environment),
                config,
                region: "us-east-2",
                protect: false,
                subnetIds: SUBNETS.slice(0, 2),
                securityGroupId: SECURITY_GROUP,
                keys: KEYS,
                logRetentionDays: 30,
                ...overrides,
            });
        },
    });
    assert.ok(database);
    const built = database;
    const outputs = {} as Record<OutputName, unknown>;
    for (const key of OUTPUT_NAMES) outputs[key] = await outputValue(built[key] as pulumi.Output<unknown>);
    return { run, outputs };
}

/** Staging-like: a small Graviton class, single-AZ, 7 days of backups, destroyable. */
const STAGING_DATABASE = databaseSchema.parse({ enabled: true, instanceClass: "db.t4g.small", backupRetentionDays: 7 });
/** Prod-like: a production class, Multi-AZ, 30 days of backups, a month of Performance Insights, 15 s monitoring. */
const PROD_DATABASE = databaseSchema.parse({
    enabled: true,
    instanceClass: "db.m7g.large",
    multiAz: true,
    backupRetentionDays: 30,
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 500,
    performanceInsightsRetentionDays: 31,
    monitoringIntervalSeconds: 15,
});

const PROFILES = [
    { title: "staging-like", stack: "staging", config: STAGING_DATABASE, protect: false, subnets: SUBNETS.slice(0, 2) },
    { title: "prod-like", stack: "prod", config: PROD_DATABASE, protect: true, subnets: SUBNETS },
] as const;

/** Every input of a resource with secrets masked: what a reader of the state sees in plain text. */
function plainInputs(resource: RecordedResource): string {
    return JSON.stringify(revealSecrets(resource.inputs, () => "[secret]"));
}

function containsSecret(value: unknown): boolean {
    if (isSecretValue(value)) return true;
    if (Array.isArray(value)) return value.some(containsSecret);
    if (value && typeof value === "object") return Object.values(value).some(containsSecret);
    return false;
}

const network = (overrides: Record<string, unknown> = {}): NetworkConfig =>
    networkSchema.parse({
        vpcCidr: "10.0.0.0/16",
        availabilityZones: ["us-east-2a", "us-east-2b"],
        publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
        privateSubnetCidrs: ["10.0.10.0/24", "10.0.20.0/24"],
        databaseSubnetCidrs: ["10.0.100.0/24", "10.0.200.0/24"],
        ...overrides,
    });

describe("database tier", () => {
    for (const profile of PROFILES) {
        describe(profile.title, () => {
            const { config, protect, stack } = profile;
            const identifier = `${stack}-postgres`;
            let tier: TierRun;
            let instance: Record<string, any>;
            before(async () => {
                tier = await runDatabase(config, { protect, subnetIds: [...profile.subnets] }, stack);
                instance = inputsOf(named(tier.run, INSTANCE, "-instance"));
            });

            it("puts a DB subnet group over the database subnets", () => {
                const group = inputsOf(named(tier.run, SUBNET_GROUP, "-subnets"));
                assert.strictEqual(group.name, `${stack}-database`);
                assert.deepStrictEqual(group.subnetIds, [...profile.subnets]);
                assert.strictEqual(instance.dbSubnetGroupName, `${stack}-database`);
            });

            it("runs PostgreSQL 17 (minor upgrades by AWS, major changes allowed) with a postgres17 parameter group that forces TLS and logs slow statements and connections", () => {
                assert.strictEqual(instance.engine, "postgres");
                // The major only: a pinned minor would ask RDS for a downgrade after its automatic minor upgrade.
                assert.strictEqual(instance.engineVersion, "17");
                assert.strictEqual(instance.autoMinorVersionUpgrade, true);
                assert.strictEqual(instance.allowMajorVersionUpgrade, true);
                const group = inputsOf(named(tier.run, PARAMETER_GROUP, "-parameters"));
                assert.strictEqual(group.family, "postgres17");
                assert.strictEqual(group.name, `${stack}-postgres17`);
                assert.strictEqual(instance.parameterGroupName, group.name);
                const values = Object.fromEntries(group.parameters.map((p: any) => [p.name, p.value]));
                assert.deepStrictEqual(values, {
                    "rds.force_ssl": "1",
                    log_min_duration_statement: "1000",
                    log_connections: "1",
                    log_disconnections: "1",
                    log_lock_waits: "1",
                    shared_preload_libraries: "pg_stat_statements",
                });
            });

            it("applies static parameters at the next reboot, never `immediate` (RDS refuses that for them)", () => {
                const group = inputsOf(named(tier.run, PARAMETER_GROUP, "-parameters"));
                const methods = Object.fromEntries(group.parameters.map((p: any) => [p.name, p.applyMethod]));
                assert.strictEqual(methods.shared_preload_libraries, "pending-reboot");
                assert.strictEqual(methods["rds.force_ssl"], "pending-reboot");
                for (const dynamic of ["log_min_duration_statement", "log_connections", "log_disconnections", "log_lock_waits"])
                    assert.strictEqual(methods[dynamic], "immediate", dynamic);
            });

            it(`uses ${config.instanceClass} with gp3 storage that autoscales from ${config.allocatedStorageGb} to ${config.maxAllocatedStorageGb} GiB`, () => {
                assert.strictEqual(instance.instanceClass, config.instanceClass);
                assert.strictEqual(instance.storageType, "gp3");
                assert.strictEqual(instance.allocatedStorage, config.allocatedStorageGb);
                assert.strictEqual(instance.maxAllocatedStorage, config.maxAllocatedStorageGb);
            });

            it("encrypts storage and Performance Insights with the database key", () => {
                assert.strictEqual(instance.storageEncrypted, true);
                assert.strictEqual(instance.kmsKeyId, DATABASE_KEY);
                assert.strictEqual(instance.performanceInsightsEnabled, true);
                assert.strictEqual(instance.performanceInsightsKmsKeyId, DATABASE_KEY);
                assert.strictEqual(instance.performanceInsightsRetentionPeriod, config.performanceInsightsRetentionDays);
            });

            it("is reachable only through the database security group, never publicly, on 5432", () => {
                assert.strictEqual(instance.publiclyAccessible, false);
                assert.deepStrictEqual(instance.vpcSecurityGroupIds, [SECURITY_GROUP]);
                assert.strictEqual(instance.port, 5432);
            });

            it("lets RDS manage the master password in Secrets Manager, encrypted with the secrets key", () => {
                assert.strictEqual(instance.manageMasterUserPassword, true);
                assert.strictEqual(instance.masterUserSecretKmsKeyId, SECRETS_KEY);
                assert.strictEqual(instance.username, "platform_admin");
                assert.strictEqual(instance.dbName, "data_platform");
            });

            it("puts no password anywhere in its inputs: no generated password, no password input, no secret value", () => {
                assert.strictEqual(ofType(tier.run, TYPE.randomPassword).length, 0);
                for (const key of ["password", "passwordWo", "passwordWoVersion"]) assert.strictEqual(instance[key], undefined, key);
                for (const resource of tier.run.resources) {
                    assert.ok(!containsSecret(resource.inputs), `${resource.name} has a secret input`);
                    assert.doesNotMatch(plainInputs(resource), /"password/i, resource.name);
                }
            });

            it(`keeps backups ${config.backupRetentionDays} days${config.multiAz ? " and runs Multi-AZ" : ", single-AZ"}`, () => {
                assert.strictEqual(instance.backupRetentionPeriod, config.backupRetentionDays);
                assert.strictEqual(instance.multiAz, config.multiAz);
            });

            if (protect) {
                it("is protected: protect + retainOnDelete, deletion protection, a uniquely named final snapshot, backups kept", () => {
                    const resource = named(tier.run, INSTANCE, "-instance");
                    assert.strictEqual(resource.protect, true);
                    assert.strictEqual(resource.retainOnDelete, true);
                    assert.strictEqual(instance.deletionProtection, true);
                    assert.strictEqual(instance.skipFinalSnapshot, false);
                    assert.strictEqual(instance.deleteAutomatedBackups, false);
                    assert.strictEqual(instance.applyImmediately, false);
                    const suffix = named(tier.run, RANDOM_ID, "-final-snapshot-suffix");
                    assert.strictEqual(suffix.protect, true);
                    assert.deepStrictEqual(inputsOf(suffix).keepers, { identifier });
                    const hex = suffix.outputs.hex as string;
                    assert.match(hex, /^[0-9a-f]{8}$/);
                    assert.strictEqual(instance.finalSnapshotIdentifier, `${identifier}-final-${hex}`);
                    // RDS: a letter first, letters, digits and single hyphens, not ending with one.
                    assert.match(instance.finalSnapshotIdentifier, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
                });
            } else {
                it("can be destroyed and re-created the same day: no protection, no final snapshot to collide with", () => {
                    const kept = tier.run.resources
                        .filter((resource) => resource.protect || resource.retainOnDelete)
                        .map((resource) => resource.name);
                    assert.deepStrictEqual(kept, []);
                    assert.strictEqual(instance.deletionProtection, false);
                    assert.strictEqual(instance.skipFinalSnapshot, true);
                    assert.strictEqual(instance.finalSnapshotIdentifier, undefined);
                    assert.strictEqual(instance.deleteAutomatedBackups, true);
                    assert.strictEqual(instance.applyImmediately, true);
                    assert.strictEqual(ofType(tier.run, RANDOM_ID).length, 0);
                });
            }

            it("turns on IAM database authentication, automatic minor upgrades and copying tags to snapshots", () => {
                assert.strictEqual(instance.iamDatabaseAuthenticationEnabled, true);
                assert.strictEqual(instance.autoMinorVersionUpgrade, true);
                assert.strictEqual(instance.copyTagsToSnapshot, true);
            });

            it("has the stable identifier <env>-postgres", () => {
                assert.strictEqual(instance.identifier, identifier);
                assert.strictEqual(databaseIdentifier(new Naming(stack), "postgres"), identifier);
            });

            it(`sends Enhanced Monitoring every ${config.monitoringIntervalSeconds} s through its own role`, () => {
                const role = named(tier.run, ROLE, "-monitoring-role");
                assert.strictEqual(instance.monitoringInterval, config.monitoringIntervalSeconds);
                assert.strictEqual(instance.monitoringRoleArn, role.outputs.arn);
                assert.strictEqual(inputsOf(role).name, `${stack}-rds-monitoring`);
                assert.deepStrictEqual(jsonInput(role, "assumeRolePolicy").Statement, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "monitoring.rds.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                    },
                ]);
                const attachment = named(tier.run, ATTACHMENT, "-monitoring");
                assert.strictEqual(inputsOf(attachment).role, inputsOf(role).name);
                assert.strictEqual(inputsOf(attachment).policyArn, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
                // CreateDBInstance checks the role's permissions: the instance waits for the attachment.
                const instanceResource = named(tier.run, INSTANCE, "-instance");
                assert.ok(instanceResource.dependencies.includes(attachment.urn), instanceResource.dependencies.join(", "));
            });

            it("attaches a monitoring policy the pack's iam-no-broad-managed-policies accepts", () => {
                const attachment = named(tier.run, ATTACHMENT, "-monitoring");
                const outcome = evaluate("iam-no-broad-managed-policies", [
                    { type: attachment.type, name: attachment.name, urn: attachment.urn, props: inputsOf(attachment) },
                ]);
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, false);
            });

            it("exports the postgresql, upgrade and IAM-auth-error logs to groups it creates first, with retention and the logs key", () => {
                assert.deepStrictEqual(instance.enabledCloudwatchLogsExports, ["postgresql", "upgrade", "iam-db-auth-error"]);
                const groups = ofType(tier.run, LOG_GROUP);
                assert.deepStrictEqual(
                    groups.map((group) => inputsOf(group).name).sort(),
                    ["iam-db-auth-error", "postgresql", "upgrade"].map((log) => `/aws/rds/instance/${identifier}/${log}`),
                );
                const dependencies = named(tier.run, INSTANCE, "-instance").dependencies;
                for (const group of groups) {
                    assert.strictEqual(inputsOf(group).retentionInDays, 30);
                    assert.strictEqual(inputsOf(group).kmsKeyId, LOGS_KEY);
                    assert.ok(dependencies.includes(group.urn), `the instance waits for ${inputsOf(group).name}`);
                }
            });

            it("exposes the endpoint, port, database, engine, users, master secret, ARN and resource id of the instance", () => {
                const resource = named(tier.run, INSTANCE, "-instance");
                const secrets = resource.outputs.masterUserSecrets as { secretArn: string }[];
                assert.deepStrictEqual(tier.outputs, {
                    endpoint: resource.outputs.address,
                    port: 5432,
                    databaseName: "data_platform",
                    engine: "postgres",
                    masterUsername: "platform_admin",
                    masterSecretArn: secrets[0].secretArn,
                    instanceArn: resource.outputs.arn,
                    resourceId: resource.outputs.resourceId,
                    iamUsername: "platform_app",
                });
                assert.match(String(tier.outputs.endpoint), new RegExp(`^${identifier}\\..*\\.rds\\.amazonaws\\.com$`));
                assert.match(String(tier.outputs.masterSecretArn), /^arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-/);
                assert.match(String(tier.outputs.resourceId), /^db-[A-Z0-9]{26}$/);
            });

            it("tags every taggable resource with the database tier and names children after the component", () => {
                const custom = tier.run.resources.filter((resource) => resource.custom);
                assert.ok(custom.length >= 8);
                for (const resource of custom) {
                    assert.ok(resource.name.startsWith("t-database-"), resource.name);
                    if (!TAGGABLE_TYPES.includes(resource.type)) continue;
                    const tags = inputsOf(resource).tags;
                    assert.strictEqual(tags?.Tier, "database", resource.name);
                    assert.strictEqual(tags?.Environment, stack, resource.name);
                }
                const component = tier.run.resources.find((resource) => !resource.custom && resource.type === "data-platform:database:Database");
                assert.ok(component, "the component has type data-platform:database:Database");
            });
        });
    }

    describe("MySQL", () => {
        const config = databaseSchema.parse({ enabled: true, engine: "mysql", instanceClass: "db.t4g.medium" });
        let tier: TierRun;
        let instance: Record<string, any>;
        before(async () => {
            tier = await runDatabase(config);
            instance = inputsOf(named(tier.run, INSTANCE, "-instance"));
        });

        it("runs MySQL 8.4 on 3306 as staging-mysql with a mysql8.4 group requiring TLS and the slow query log in files", () => {
            assert.strictEqual(instance.engine, "mysql");
            assert.strictEqual(instance.engineVersion, "8.4");
            assert.strictEqual(instance.port, 3306);
            assert.strictEqual(instance.identifier, "staging-mysql");
            const group = inputsOf(named(tier.run, PARAMETER_GROUP, "-parameters"));
            assert.strictEqual(group.family, "mysql8.4");
            assert.strictEqual(group.name, "staging-mysql8-4");
            assert.deepStrictEqual(group.parameters, [
                { name: "require_secure_transport", value: "ON", applyMethod: "immediate" },
                { name: "slow_query_log", value: "1", applyMethod: "immediate" },
                { name: "long_query_time", value: "1", applyMethod: "immediate" },
                { name: "log_output", value: "FILE", applyMethod: "immediate" },
            ]);
            assert.strictEqual(tier.outputs.port, 3306);
            assert.strictEqual(tier.outputs.engine, "mysql");
        });

        it("records connections, DDL and DCL with the audit plugin and exports audit, error, slow query and IAM-auth-error logs", () => {
            const options = inputsOf(named(tier.run, OPTION_GROUP, "-options"));
            assert.strictEqual(options.engineName, "mysql");
            assert.strictEqual(options.majorEngineVersion, "8.4");
            assert.strictEqual(options.name, "staging-mysql8-4-audit");
            assert.deepStrictEqual(options.options, [
                {
                    optionName: "MARIADB_AUDIT_PLUGIN",
                    optionSettings: [
                        { name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" },
                        { name: "SERVER_AUDIT_EXCL_USERS", value: "rdsadmin" },
                    ],
                },
            ]);
            assert.strictEqual(instance.optionGroupName, options.name);
            assert.deepStrictEqual(instance.enabledCloudwatchLogsExports, ["audit", "error", "slowquery", "iam-db-auth-error"]);
            assert.deepStrictEqual(
                ofType(tier.run, LOG_GROUP)
                    .map((group) => inputsOf(group).name)
                    .sort(),
                ["audit", "error", "iam-db-auth-error", "slowquery"].map((log) => rdsLogGroupName("staging-mysql", log)),
            );
        });

        it("PostgreSQL needs no option group", async () => {
            const postgres = await runDatabase(STAGING_DATABASE);
            assert.strictEqual(ofType(postgres.run, OPTION_GROUP).length, 0);
            assert.strictEqual(inputsOf(named(postgres.run, INSTANCE, "-instance")).optionGroupName, undefined);
        });
    });

    describe("without customer-managed keys", () => {
        it("still encrypts storage (AWS-managed key) and leaves the key inputs unset", async () => {
            const tier = await runDatabase(STAGING_DATABASE, { keys: undefined });
            const instance = inputsOf(named(tier.run, INSTANCE, "-instance"));
            assert.strictEqual(instance.storageEncrypted, true);
            for (const key of ["kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"])
                assert.strictEqual(instance[key], undefined, key);
            for (const group of ofType(tier.run, LOG_GROUP)) assert.strictEqual(inputsOf(group).kmsKeyId, undefined);
        });
    });

    describe("IAM statement builders", () => {
        const ctx = { partition: "aws", account: "123456789012", region: "us-east-2" };

        it("databaseConnectStatements grants rds-db:connect as one database user of one instance", async () => {
            const statements = await outputValue(
                pulumi.output(databaseConnectStatements("ConnectDatabase", ctx, "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "platform_app")),
            );
            assert.deepStrictEqual(statements, [
                {
                    Sid: "ConnectDatabase",
                    Effect: "Allow",
                    Action: "rds-db:connect",
                    Resource: "arn:aws:rds-db:us-east-2:123456789012:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/platform_app",
                },
            ]);
        });

        it("masterSecretReadStatements reads the RDS-managed secret and decrypts it only via Secrets Manager", async () => {
            const arn = "arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-1234-abcdef";
            assert.deepStrictEqual(masterSecretReadStatements("ReadMasterSecret", arn, "us-east-2", SECRETS_KEY), [
                {
                    Sid: "ReadMasterSecret",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: arn,
                },
                {
                    Sid: "ReadMasterSecretDecrypt",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: SECRETS_KEY,
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-2.amazonaws.com" } },
                },
            ]);
            assert.strictEqual(masterSecretReadStatements("ReadMasterSecret", arn, "us-east-2").length, 1, "no KMS statement without a key");
        });

        it("gives the SQL that lets the IAM user log in with a token", () => {
            assert.deepStrictEqual(iamUserSql("postgres", "platform_app", "data_platform"), [
                "CREATE USER platform_app;",
                "GRANT rds_iam TO platform_app;",
                "GRANT CONNECT ON DATABASE data_platform TO platform_app;",
            ]);
            assert.match(iamUserSql("mysql", "platform_app", "data_platform")[0], /IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL/);
        });
    });

    describe("the allowed tables", () => {
        it("pairs every engine version with its parameter-group family, and defaults to a listed one", () => {
            for (const [version, spec] of Object.entries(ENGINE_VERSIONS.postgres)) {
                assert.match(version, /^\d+\.\d+$/);
                assert.strictEqual(spec.family, `postgres${version.split(".")[0]}`);
            }
            for (const [version, spec] of Object.entries(ENGINE_VERSIONS.mysql)) {
                assert.match(version, /^8\.4\.\d+$/);
                assert.strictEqual(spec.family, `mysql${spec.major}`);
            }
            for (const engine of ["postgres", "mysql"] as const) assert.ok(engineVersionsOf(engine).includes(DEFAULT_ENGINE_VERSIONS[engine]));
            assert.throws(() => engineVersionSpec("postgres", "8.4.10"), /postgres 8\.4\.10 is not an allowed RDS version; allowed: 17\.9, 16\.13/);
        });

        it("offers small Graviton classes and production ones", () => {
            for (const name of ["db.t4g.small", "db.t4g.medium", "db.m7g.large", "db.r7g.large"]) assert.ok(INSTANCE_CLASSES[name], name);
            for (const name of Object.keys(INSTANCE_CLASSES)) assert.match(name, /^db\.(t4g|m7g|m6g|r7g|r6g)\./);
        });

        it("lists the Performance Insights retentions RDS accepts: 7, 31 × 1–23 months, 731", () => {
            assert.strictEqual(PERFORMANCE_INSIGHTS_RETENTION_DAYS.length, 25);
            for (const days of [7, 31, 93, 341, 589, 713, 731]) assert.ok(PERFORMANCE_INSIGHTS_RETENTION_DAYS.includes(days), String(days));
            for (const days of [0, 30, 94, 365, 744]) assert.ok(!PERFORMANCE_INSIGHTS_RETENTION_DAYS.includes(days), String(days));
            assert.deepStrictEqual([...MONITORING_INTERVALS_SECONDS], [1, 5, 10, 15, 30, 60]);
        });

        it("exports and parameters name the engines' own log and TLS settings", () => {
            assert.deepStrictEqual(LOG_EXPORTS.postgres, ["postgresql", "upgrade", "iam-db-auth-error"]);
            assert.strictEqual(SLOW_STATEMENT_MS, 1000);
            assert.ok(engineParameters("postgres").some((p) => p.name === "rds.force_ssl" && p.value === "1"));
            assert.ok(engineParameters("mysql").some((p) => p.name === "require_secure_transport" && p.value === "ON"));
            assert.strictEqual(AUDIT_PLUGIN.optionName, "MARIADB_AUDIT_PLUGIN");
        });
    });

    describe("config section", () => {
        const root = z.strictObject({ database: databaseSchema });
        function problemsOf(input: Record<string, unknown>) {
            const result = root.safeParse({ database: input });
            assert.ok(!result.success, `expected ${JSON.stringify(input)} to be refused`);
            return problemsFromZod(result.error, { database: input }, { schema: root });
        }

        it("defaults to off: PostgreSQL 17.9 on db.t4g.small, 20→100 GiB, single-AZ, 7 days, free Performance Insights, 60 s monitoring, 30-day logs", () => {
            assert.deepStrictEqual(databaseSchema.parse({}), {
                logRetentionDays: 30,
                enabled: false,
                engine: "postgres",
                engineVersion: "17.9",
                instanceClass: "db.t4g.small",
                allocatedStorageGb: 20,
                maxAllocatedStorageGb: 100,
                multiAz: false,
                backupRetentionDays: 7,
                databaseName: "data_platform",
                masterUsername: "platform_admin",
                iamUsername: "platform_app",
                performanceInsightsRetentionDays: 7,
                monitoringIntervalSeconds: 60,
            });
        });

        it("gives each engine its own default version", () => {
            assert.strictEqual(databaseSchema.parse({ engine: "mysql", instanceClass: "db.t4g.medium" }).engineVersion, "8.4.10");
            assert.strictEqual(databaseSchema.parse({ engineVersion: "16.13" }).engineVersion, "16.13");
        });

        const refusals: { title: string; input: Record<string, unknown>; key: string; value: unknown; message: RegExp }[] = [
            {
                title: "a version of the other engine",
                input: { engine: "postgres", engineVersion: "8.4.10" },
                key: "data-platform:database.engineVersion",
                value: "8.4.10",
                message: /8\.4\.10 is not an allowed postgres version; allowed for postgres: 17\.9, 16\.13 \(for mysql: 8\.4\.10\)/,
            },
            {
                title: "a version YAML read as a number",
                input: { engineVersion: 17.9 },
                key: "data-platform:database.engineVersion",
                value: 17.9,
                message: /quoted string .*"17\.9"/,
            },
            {
                title: "an out-of-support MySQL 8.0",
                input: { engine: "mysql", engineVersion: "8.0.45", instanceClass: "db.t4g.medium" },
                key: "data-platform:database.engineVersion",
                value: "8.0.45",
                message: /allowed for mysql: 8\.4\.10/,
            },
            {
                title: "an unknown engine",
                input: { engine: "oracle" },
                key: "data-platform:database.engine",
                value: "oracle",
                message: /one of postgres, mysql/,
            },
            {
                title: "an instance class outside the table",
                input: { instanceClass: "db.x2g.16xlarge" },
                key: "data-platform:database.instanceClass",
                value: "db.x2g.16xlarge",
                message:
                    /db\.x2g\.16xlarge is not an RDS instance class this platform allows; allowed: db\.t4g\.micro, .*db\.m7g\.large.*db\.r7g\.large/,
            },
            {
                title: "MySQL on a class without Performance Insights",
                input: { engine: "mysql", instanceClass: "db.t4g.small" },
                key: "data-platform:database.instanceClass",
                value: "db.t4g.small",
                message: /RDS for mysql has no Performance Insights on db\.t4g\.small .*db\.t4g\.micro, db\.t4g\.small.*db\.t4g\.medium or larger/,
            },
            {
                title: "gp3 storage below 20 GiB",
                input: { allocatedStorageGb: 10 },
                key: "data-platform:database.allocatedStorageGb",
                value: 10,
                message: />=20/,
            },
            {
                title: "an autoscaling ceiling not 10% above the allocation",
                input: { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 },
                key: "data-platform:database.maxAllocatedStorageGb",
                value: 105,
                message: /105 GiB leaves storage autoscaling no room: .*allocatedStorageGb \(100\), i\.e\. ≥ 110/,
            },
            {
                title: "an autoscaling ceiling below the allocation",
                input: { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 },
                key: "data-platform:database.maxAllocatedStorageGb",
                value: 100,
                message: /≥ 220/,
            },
            { title: "no backups", input: { backupRetentionDays: 0 }, key: "data-platform:database.backupRetentionDays", value: 0, message: />=1/ },
            {
                title: "backups beyond 35 days",
                input: { backupRetentionDays: 36 },
                key: "data-platform:database.backupRetentionDays",
                value: 36,
                message: /<=35/,
            },
            {
                title: "a Performance Insights retention RDS refuses",
                input: { performanceInsightsRetentionDays: 30 },
                key: "data-platform:database.performanceInsightsRetentionDays",
                value: 30,
                message: /30 days is not a Performance Insights retention RDS accepts; allowed: 7 \(free\), 31 × months for 1–23 months .*or 731/,
            },
            {
                title: "an Enhanced Monitoring interval RDS refuses",
                input: { monitoringIntervalSeconds: 2 },
                key: "data-platform:database.monitoringIntervalSeconds",
                value: 2,
                message: /2 is not an Enhanced Monitoring interval; allowed: 1, 5, 10, 15, 30, 60/,
            },
            {
                title: "monitoring turned off",
                input: { monitoringIntervalSeconds: 0 },
                key: "data-platform:database.monitoringIntervalSeconds",
                value: 0,
                message: /allowed: 1, 5, 10, 15, 30, 60/,
            },
            {
                title: "a reserved master user",
                input: { masterUsername: "rdsadmin" },
                key: "data-platform:database.masterUsername",
                value: "rdsadmin",
                message: /reserved by RDS or the engine; reserved: rdsadmin/,
            },
            {
                title: "a master user name RDS refuses",
                input: { masterUsername: "1admin-user" },
                key: "data-platform:database.masterUsername",
                value: "1admin-user",
                message: /1–16 characters: a letter, then letters, digits or _/,
            },
            {
                title: "the apps' IAM user being the master user",
                input: { iamUsername: "platform_admin" },
                key: "data-platform:database.iamUsername",
                value: "platform_admin",
                message: /platform_admin is also the master user/,
            },
            {
                title: "a database the engine creates itself",
                input: { databaseName: "postgres" },
                key: "data-platform:database.databaseName",
                value: "postgres",
                message: /reserved: postgres, template0/,
            },
            {
                title: "an unknown key",
                input: { storageType: "io2" },
                key: "data-platform:database.storageType",
                value: "io2",
                message: /unknown key; allowed keys here: logRetentionDays, enabled, engine, engineVersion, instanceClass/,
            },
            {
                title: "a log retention CloudWatch Logs does not offer",
                input: { logRetentionDays: 10 },
                key: "data-platform:database.logRetentionDays",
                value: 10,
                message: /CloudWatch Logs retention must be one of 1, 3, 5, 7, 14, 30, 60, .*3653/,
            },
        ];
        for (const refusal of refusals) {
            it(`refuses ${refusal.title}, naming the key, the value and what is allowed`, () => {
                const problems = problemsOf(refusal.input);
                const problem = problems.find((candidate) => candidate.key === refusal.key);
                assert.ok(problem, `no problem for ${refusal.key}; got ${JSON.stringify(problems)}`);
                if (refusal.value !== undefined) assert.deepStrictEqual(problem.value, refusal.value);
                assert.match(problem.message, refusal.message);
            });
        }

        it("accepts every allowed retention, interval and version", () => {
            for (const days of PERFORMANCE_INSIGHTS_RETENTION_DAYS) databaseSchema.parse({ performanceInsightsRetentionDays: days });
            for (const seconds of MONITORING_INTERVALS_SECONDS) databaseSchema.parse({ monitoringIntervalSeconds: seconds });
            for (const version of engineVersionsOf("postgres")) databaseSchema.parse({ engineVersion: version });
            databaseSchema.parse({ allocatedStorageGb: 100, maxAllocatedStorageGb: 110 });
        });
    });

    describe("cross-tier checks (databaseProblems)", () => {
        const enabled = databaseSchema.parse({ enabled: true });
        const multiAz = databaseSchema.parse({ enabled: true, multiAz: true });

        it("asks nothing of the network when the database is off", () => {
            assert.deepStrictEqual(databaseProblems(network({ databaseSubnetCidrs: [] }), databaseSchema.parse({})), []);
        });

        it("accepts database subnets in two AZs, single- or Multi-AZ", () => {
            assert.deepStrictEqual(databaseProblems(network(), enabled), []);
            assert.deepStrictEqual(databaseProblems(network(), multiAz), []);
        });

        it("refuses a database without database subnets", () => {
            const problems = databaseProblems(network({ databaseSubnetCidrs: [] }), enabled);
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [["database", "enabled"]],
            );
            assert.match(problems[0].message, /set network\.databaseSubnetCidrs .*or database\.enabled: false/);
        });

        it("refuses database subnets in one AZ (an RDS subnet group needs two), and Multi-AZ with one subnet", () => {
            const oneAz = network({
                availabilityZones: ["us-east-2a"],
                publicSubnetCidrs: ["10.0.1.0/24"],
                privateSubnetCidrs: ["10.0.10.0/24"],
                databaseSubnetCidrs: ["10.0.100.0/24"],
            });
            assert.deepStrictEqual(
                databaseProblems(oneAz, enabled).map((problem) => problem.path),
                [["network", "databaseSubnetCidrs"]],
            );
            const problems = databaseProblems(oneAz, multiAz);
            assert.deepStrictEqual(
                problems.map((problem) => problem.path),
                [
                    ["network", "databaseSubnetCidrs"],
                    ["database", "multiAz"],
                ],
            );
            assert.match(problems[0].message, /at least 2 AZs, but the database subnets cover 1 \(us-east-2a\)/);
            assert.match(problems[1].message, /there is 1 database subnet: add one per AZ, or database\.multiAz: false/);
        });

        it("refuses environments that cannot start an RDS identifier", () => {
            assert.deepStrictEqual(databaseIdentifierProblems("staging"), []);
            assert.strictEqual(databaseIdentifierProblems("1st").length, 1);
            assert.strictEqual(databaseIdentifierProblems("a--b").length, 1);
        });
    });
});
