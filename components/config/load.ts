import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { LOCAL_TARGET, LocalStackConfig, localStackConfigSchema } from "../local/config";
import { ConfigError, ConfigProblem, ZodContext, problemsFromZod } from "./errors";
import { CONFIG_NAMESPACE } from "./namespace";
import { StackConfig, stackConfigSchema } from "./schema";

/** A stack's config, whichever its target: an AWS stack's StackConfig, or a local stack's LocalStackConfig. */
export type AnyStackConfig = StackConfig | LocalStackConfig;

/** A local stack: the monitoring services on the local Docker engine (`data-platform:target: local`). */
export function isLocalConfig(config: AnyStackConfig): config is LocalStackConfig {
    return config.target === LOCAL_TARGET;
}

/** True when raw config (`namespace:key` → string) says `data-platform:target: local`; read before any parse. */
export function isLocalTarget(raw: Readonly<Record<string, string>>): boolean {
    return raw[`${CONFIG_NAMESPACE}:target`]?.trim() === LOCAL_TARGET;
}

const LOCAL_CONTEXT: ZodContext = {
    schema: localStackConfigSchema,
    unknownTopLevelKey: `not read by a local stack (${CONFIG_NAMESPACE}:target: local runs the monitoring services on this machine's Docker engine and builds nothing in AWS)`,
};

/** Pulumi hands structured config to programs as JSON strings. */
function decodeConfigValue(raw: string): unknown {
    const trimmed = raw.trim();
    if (/^[[{]/.test(trimmed) || /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return raw;
        }
    }
    return raw;
}

// ---------------------------------------------------------------------------
// Namespaces and the keys other owners read
// ---------------------------------------------------------------------------

/**
 * Providers the program uses that read config of their own, by namespace. Their
 * keys are the ones each provider package's `config/vars` module reads, so the
 * list follows the installed provider version.
 */
const PROVIDER_NAMESPACES = ["aws", "docker"] as const;

/** `pulumi:` belongs to the engine (`pulumi:disable-default-providers`, `pulumi:tags`, `pulumi:autonaming`, ...): not checked here. */
const ENGINE_NAMESPACE = "pulumi";

const providerKeyCache = new Map<string, readonly string[] | undefined>();

/** The config keys a provider package reads (`aws` → accessKey, region, ...), or undefined when it is not installed. */
export function providerConfigKeys(namespace: string): readonly string[] | undefined {
    if (providerKeyCache.has(namespace)) return providerKeyCache.get(namespace);
    let keys: readonly string[] | undefined;
    try {
        const text = fs.readFileSync(require.resolve(`@pulumi/${namespace}/config/vars.js`), "utf8");
        keys = [...new Set([...text.matchAll(/__config\.\w+\("([^"]+)"/g)].map((match) => match[1]))].sort();
    } catch {
        keys = undefined;
    }
    providerKeyCache.set(namespace, keys);
    return keys;
}

/** Namespaces a stack may set keys in, with who reads them. */
export function allowedNamespaces(): { readonly namespace: string; readonly owner: string }[] {
    return [
        { namespace: CONFIG_NAMESPACE, owner: "this program" },
        ...PROVIDER_NAMESPACES.filter((namespace) => providerConfigKeys(namespace) !== undefined).map((namespace) => ({
            namespace,
            owner: `the ${namespace} provider`,
        })),
        { namespace: ENGINE_NAMESPACE, owner: "the Pulumi engine" },
    ];
}

/** Levenshtein distance, for "did you mean" (short strings only). */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}

/** The closest candidate within a third of the word's length (at least 1, at most 3 edits). */
function closest(word: string, candidates: readonly string[]): string | undefined {
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    let best: { candidate: string; score: number } | undefined;
    for (const candidate of candidates) {
        const score = distance(word.toLowerCase(), candidate.toLowerCase());
        if (score <= limit && (!best || score < best.score)) best = { candidate, score };
    }
    return best?.candidate;
}

/** Splits `ns:key` at the first colon; a key without one belongs to this project (as Pulumi reads it). */
function splitKey(fullKey: string): { namespace: string; key: string } {
    const colon = fullKey.indexOf(":");
    return colon < 0 ? { namespace: CONFIG_NAMESPACE, key: fullKey } : { namespace: fullKey.slice(0, colon), key: fullKey.slice(colon + 1) };
}

/** `network.natGateways` → `network`; `assumeRoles[0].roleArn` → `assumeRoles`; undefined when the key is not dotted. */
function dottedHead(key: string): string | undefined {
    const match = /^([^.[]+)[.[]/.exec(key);
    return match ? match[1] : undefined;
}

function dottedKeyMessage(fullKey: string, namespace: string, head: string): string {
    return (
        `a dotted key is one flat key to Pulumi (named "${fullKey.slice(namespace.length + 1)}"), not a field inside ${namespace}:${head}: ` +
        `nest it under ${namespace}:${head} in Pulumi.<stack>.yaml, or set it with \`pulumi config set --path '${fullKey}' <value>\`, which writes the nested form`
    );
}

/**
 * Keys no one would read: namespaces other than this project's, the providers' and the
 * engine's; provider keys the provider does not have; dotted keys (`data-platform:network.natGateways`),
 * which Pulumi stores flat, so the program would never see them where they were meant.
 */
export function namespaceProblems(raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const allowed = allowedNamespaces();
    const allowedList = allowed.map(({ namespace, owner }) => `${namespace} (${owner})`).join(", ");
    for (const [fullKey, rawValue] of Object.entries(raw)) {
        const { namespace, key } = splitKey(fullKey);
        const value = decodeConfigValue(rawValue);
        if (namespace === ENGINE_NAMESPACE) continue;
        if (namespace === CONFIG_NAMESPACE) {
            const head = dottedHead(key);
            if (head !== undefined) problems.push({ key: fullKey, value, message: dottedKeyMessage(fullKey, namespace, head) });
            continue;
        }
        const providerKeys = (PROVIDER_NAMESPACES as readonly string[]).includes(namespace) ? providerConfigKeys(namespace) : undefined;
        if (!providerKeys) {
            const guess = closest(
                namespace,
                allowed.map((entry) => entry.namespace),
            );
            const hint = guess ? `did you mean ${guess}:${key}? ` : "";
            problems.push({
                key: fullKey,
                value,
                message: `unknown namespace "${namespace}": nothing reads this key; ${hint}allowed namespaces: ${allowedList}`,
            });
            continue;
        }
        const head = dottedHead(key);
        if (head !== undefined && providerKeys.includes(head)) {
            problems.push({ key: fullKey, value, message: dottedKeyMessage(fullKey, namespace, head) });
            continue;
        }
        if (!providerKeys.includes(key)) {
            const guess = closest(head ?? key, providerKeys);
            const hint = guess ? `did you mean ${namespace}:${guess}? The provider reads: ` : "the provider reads: ";
            problems.push({ key: fullKey, value, message: `unknown key of the ${namespace} provider; ${hint}${providerKeys.join(", ")}` });
        }
    }
    return problems;
}

/**
 * Validates raw config (`namespace:key` → string, as `pulumi.runtime.allConfig()`
 * returns it) and returns the typed config of its target, or throws a ConfigError naming every
 * bad key: this project's keys through the target's schema (`aws:region` with them), keys of an
 * unknown namespace, provider keys the provider does not read, and dotted keys. A stack with
 * `data-platform:target: local` is parsed with components/local/config.ts; every other with the AWS schema.
 */
export function parseAnyStackConfig(raw: Readonly<Record<string, string>>, source?: string): AnyStackConfig {
    const input: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        if (fullKey === "aws:region") input.region = value;
        const { namespace, key } = splitKey(fullKey);
        if (namespace === CONFIG_NAMESPACE && dottedHead(key) === undefined) input[key] = decodeConfigValue(value);
    }
    const problems = namespaceProblems(raw);
    let config: AnyStackConfig | undefined;
    if (input.target === LOCAL_TARGET) {
        const result = localStackConfigSchema.safeParse(input);
        if (result.success) config = result.data;
        else problems.push(...problemsFromZod(result.error, input, LOCAL_CONTEXT));
    } else {
        const result = stackConfigSchema.safeParse(input);
        if (result.success) config = result.data;
        else problems.push(...problemsFromZod(result.error, input));
    }
    if (problems.length > 0 || config === undefined) throw new ConfigError(problems, source);
    return config;
}

function notAnAwsStack(source?: string): ConfigError {
    const message = "an AWS stack was expected here; a local stack has no AWS sections";
    return new ConfigError([{ key: `${CONFIG_NAMESPACE}:target`, value: LOCAL_TARGET, message }], source);
}

/** An AWS stack's config (see parseAnyStackConfig); a local stack is refused, naming its target key. */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source?: string): StackConfig {
    const config = parseAnyStackConfig(raw, source);
    if (isLocalConfig(config)) {
        throw notAnAwsStack(source);
    }
    return config;
}

/**
 * Physical names start with the environment, so two stacks with the same environment in one
 * account collide. Returns the warning when the environment is not the stack's name.
 */
export function environmentWarning(environment: string, stack: string): string | undefined {
    if (environment === stack) return undefined;
    return (
        `${CONFIG_NAMESPACE}:environment is "${environment}" but the stack is "${stack}": physical names such as ${environment}-app-secrets and ${environment}-data-jobs ` +
        `would collide with those of any other stack whose environment is "${environment}" in the same account; ${/^[a-z0-9-]{1,20}$/.test(stack) ? `set ${CONFIG_NAMESPACE}:environment: ${stack}` : "give this stack an environment of its own"}`
    );
}

/** Reads the running AWS stack's config once (see parseStackConfig). */
export function loadStackConfig(): StackConfig {
    const config = loadAnyStackConfig();
    if (isLocalConfig(config)) {
        throw notAnAwsStack(`config of stack "${pulumi.getStack()}"`);
    }
    return config;
}

/** Reads the running stack's config once, whichever its target. */
export function loadAnyStackConfig(): AnyStackConfig {
    const stack = pulumi.getStack();
    const config = parseAnyStackConfig(pulumi.runtime.allConfig(), `config of stack "${stack}"`);
    // Under the engine (a real preview or update) warn; the offline plan reports it itself.
    const warning = environmentWarning(config.environment, stack);
    if (warning && pulumi.runtime.hasEngine()) void pulumi.log.warn(warning);
    return config;
}
