import * as pulumi from "@pulumi/pulumi";
import { ConfigError, problemsFromZod } from "./errors";
import { CONFIG_NAMESPACE } from "./namespace";
import { StackConfig, stackConfigSchema } from "./schema";

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

/**
 * Validates raw config (`namespace:key` → string, as `pulumi.runtime.allConfig()`
 * returns it) and returns the typed config, or throws a ConfigError naming every
 * bad key. Keys of other namespaces (aws:, pulumi:) are left to their owners,
 * except `aws:region`, which the platform needs.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source?: string): StackConfig {
    const input: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        if (fullKey === "aws:region") input.region = value;
        const prefix = `${CONFIG_NAMESPACE}:`;
        if (fullKey.startsWith(prefix)) input[fullKey.slice(prefix.length)] = decodeConfigValue(value);
    }
    const result = stackConfigSchema.safeParse(input);
    if (!result.success) throw new ConfigError(problemsFromZod(result.error, input), source);
    return result.data;
}

/** Reads the running stack's config once. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), `config of stack "${pulumi.getStack()}"`);
}
