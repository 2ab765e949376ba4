import * as assert from "assert";
import { StackConfig, parseStackConfig } from "../../components/config";
import { DataLake } from "../../components/data-lake/data-lake";
import { Encryption } from "../../components/encryption/encryption";
import { Identity } from "../../components/identity/identity";
import { keyPurposes } from "../../components/platform";
import { Naming } from "../../components/shared/naming";
import { MOCK_ACCOUNT_ID } from "../../tools/mock-cloud";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { editConfig, fixtureStack } from "./helpers";

/**
 * The encryption → data-lake → identity chain built alone (as the platform wires
 * it) with literal secret and repository ARNs in place of the secrets and
 * registry tiers, for a stack's config.
 */

export const REGION = "us-east-2";
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT_ID}:secret:${name}-AbC123`;
const repositoryArn = (name: string) => `arn:aws:ecr:${REGION}:${MOCK_ACCOUNT_ID}:repository/${name}`;

export interface Fixture {
    readonly app: string;
    /** The database secret's ARN: granted to no role (the tasks connect with IAM tokens). */
    readonly database: string;
    readonly repositories: readonly string[];
    readonly foreignRepository: string;
}

export function fixtureFor(environment: string): Fixture {
    return {
        app: secretArn(`${environment}-app-secrets`),
        database: secretArn(`${environment}-database-credentials`),
        repositories: ["spark-apps", "data-jobs", "glue-jobs"].map((repo) => repositoryArn(`${environment}-${repo}`)),
        foreignRepository: repositoryArn("someone-elses-images"),
    };
}

export interface TierChain {
    readonly run: ProgramRun;
    readonly config: StackConfig;
    readonly fixture: Fixture;
}

const cache = new Map<string, Promise<TierChain>>();

/** Runs the chain for a stack (cached per stack and edits). */
export function runTierChain(stack: string, edits: Record<string, unknown> = {}): Promise<TierChain> {
    const key = `${stack}:${JSON.stringify(edits)}`;
    let chain = cache.get(key);
    if (!chain) {
        chain = buildChain(stack, edits);
        cache.set(key, chain);
    }
    return chain;
}

async function buildChain(stack: string, edits: Record<string, unknown>): Promise<TierChain> {
    const raw = editConfig(fixtureStack(stack).config, edits);
    const config = parseStackConfig(raw);
    assert.strictEqual(config.region, REGION, "fixtures assume the stacks' region");
    const fixture = fixtureFor(config.environment);
    const run = await runProgram({
        stack,
        config: raw,
        program: () => {
            const naming = new Naming(config.environment);
            const encryption = config.encryption.kms
                ? new Encryption("t-encryption", { naming, region: config.region, protect: config.protect, purposes: keyPurposes(config) })
                : undefined;
            const dataLake = new DataLake("t-data-lake", {
                naming,
                config: config.dataLake,
                protect: config.protect,
                keys: encryption?.keyArns,
            });
            new Identity("t-identity", {
                naming,
                region: config.region,
                buckets: {
                    dataLake: dataLake.bucketRef("dataLake"),
                    glueScripts: dataLake.bucketRef("glueScripts"),
                    glueOutputs: dataLake.bucketRef("glueOutputs"),
                },
                repositoryArns: fixture.repositories,
                executionSecretArns: [fixture.app],
                taskSecretArns: [fixture.app],
                keys: encryption && { storage: encryption.keyArns.storage, secrets: encryption.keyArns.secrets },
            });
        },
    });
    return { run, config, fixture };
}
