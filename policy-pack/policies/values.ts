import { UnknownValueError } from "@pulumi/policy";

/**
 * Reading resource properties safely.
 *
 * During a real `pulumi preview` the engine hands policies an
 * `unknownCheckingProxy` over the inputs: touching a value that is not known yet
 * throws `UnknownValueError`. Offline runs can also carry the raw unknown
 * sentinels, the plan's "[secret]" marker or a `pulumi stack export` secret
 * object. `at()` turns all of these into two markers a rule can reason about:
 * `UNKNOWN` (cannot tell yet) and `SECRET` (present, content hidden).
 */

export const UNKNOWN: unique symbol = Symbol("unknown");
export const SECRET: unique symbol = Symbol("secret");
export type Unknown = typeof UNKNOWN;
export type Hidden = typeof SECRET;
/** A value read from a resource: plain data, or one of the two markers. */
export type Read = unknown;

/** The sentinels `@pulumi/policy` uses for values not known during preview. */
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Marker the offline plan writes for secret values. */
export const SECRET_MARKER = "[secret]";
/** Signature key/value Pulumi uses for secrets on the wire and in `pulumi stack export`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isUnknownError(error: unknown): error is UnknownValueError {
    return (
        error instanceof UnknownValueError ||
        (typeof error === "object" && error !== null && (error as { constructor?: { name?: string } }).constructor?.name === "UnknownValueError")
    );
}

export function isSecretEnvelope(value: unknown): value is Record<string, unknown> {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
    );
}

/**
 * Unwraps a secret envelope: a `--show-secrets` export carries `plaintext` (JSON
 * text), the mock runtime carries `value`; an encrypted one (`ciphertext`) is hidden.
 */
export function unwrapSecret(envelope: Record<string, unknown>): unknown {
    if (typeof envelope.plaintext === "string") {
        try {
            return JSON.parse(envelope.plaintext);
        } catch {
            return envelope.plaintext;
        }
    }
    if ("value" in envelope) return envelope.value;
    return SECRET;
}

/** Classifies a single (already fetched) value. */
export function classify(value: unknown): Read {
    if (typeof value === "string") {
        if (UNKNOWN_SENTINELS.has(value)) return UNKNOWN;
        if (value === SECRET_MARKER) return SECRET;
        return value;
    }
    if (isSecretEnvelope(value)) return classify(unwrapSecret(value));
    return value;
}

/**
 * Reads `root[path[0]][path[1]]...`: the value, `undefined` when absent,
 * `UNKNOWN` when the engine cannot know it yet, `SECRET` when hidden.
 * Never throws.
 */
export function at(root: unknown, ...path: (string | number)[]): Read {
    let current: unknown = classify(root);
    for (const key of path) {
        if (current === UNKNOWN || current === SECRET) return current;
        if (current === null || current === undefined || typeof current !== "object") return undefined;
        try {
            current = classify((current as Record<string | number, unknown>)[key]);
        } catch (error) {
            if (isUnknownError(error)) return UNKNOWN;
            throw error;
        }
    }
    return current;
}

/** True when a value cannot be judged (unknown, or hidden where its content matters). */
export function isOpaque(value: Read): value is Unknown | Hidden {
    return value === UNKNOWN || value === SECRET;
}

/** A list property as an array of (classified) elements; UNKNOWN when the list itself is unknown. */
export function list(root: unknown, ...path: (string | number)[]): unknown[] | Unknown | Hidden {
    const value = at(root, ...path);
    if (value === UNKNOWN || value === SECRET) return value;
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return [value];
    const items: unknown[] = [];
    const length = at(value, "length");
    if (typeof length !== "number") return UNKNOWN;
    for (let index = 0; index < length; index++) items.push(at(value, index));
    return items;
}

/** Object keys of a (possibly proxied) object; UNKNOWN when unknown. */
export function keys(value: Read): string[] | Unknown | Hidden {
    if (value === UNKNOWN || value === SECRET) return value;
    if (value === null || typeof value !== "object") return [];
    try {
        return Object.keys(value as object);
    } catch (error) {
        if (isUnknownError(error)) return UNKNOWN;
        throw error;
    }
}

/** Booleans that Terraform-bridged providers may also spell as strings ("true"). */
export function truthy(value: Read): boolean | Unknown | Hidden | undefined {
    if (value === UNKNOWN || value === SECRET || value === undefined || value === null) return value ?? undefined;
    if (typeof value === "boolean") return value;
    if (typeof value === "string") return value.toLowerCase() === "true";
    return Boolean(value);
}

/** Non-empty string (or secret) counts as set. */
export function isSet(value: Read): boolean {
    if (value === SECRET) return true;
    if (typeof value === "string") return value.trim().length > 0;
    return value !== undefined && value !== null && value !== UNKNOWN;
}

/** Parses a JSON string property (policy documents, container definitions); objects pass through. */
export function jsonValue(value: Read): unknown | Unknown | Hidden {
    if (value === UNKNOWN || value === SECRET) return value;
    if (typeof value !== "string") return plainCopy(value);
    if (value.trim() === "") return undefined;
    try {
        return plainCopy(JSON.parse(value));
    } catch {
        return INVALID_JSON;
    }
}

export const INVALID_JSON: unique symbol = Symbol("invalid-json");

/**
 * A deep plain copy of a (possibly proxied) value; UNKNOWN anywhere inside makes
 * the whole value UNKNOWN (a policy document is only judged when fully known).
 */
export function plainCopy(value: unknown): unknown {
    const read = classify(value);
    if (read === UNKNOWN || read === SECRET) return read;
    if (Array.isArray(read)) {
        const items = list(read);
        if (items === UNKNOWN || items === SECRET) return items;
        const copies = items.map(plainCopy);
        return copies.some((item) => item === UNKNOWN) ? UNKNOWN : copies;
    }
    if (read !== null && typeof read === "object") {
        const names = keys(read);
        if (names === UNKNOWN || names === SECRET) return names;
        const copy: Record<string, unknown> = {};
        for (const name of names) {
            const item = plainCopy(at(read, name));
            if (item === UNKNOWN) return UNKNOWN;
            copy[name] = item;
        }
        return copy;
    }
    return read;
}

/** Case-insensitive glob (`*` and `?`) match, as IAM evaluates actions. */
export function globMatches(pattern: string, value: string): boolean {
    const regex = new RegExp(
        `^${pattern
            .split("")
            .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
            .join("")}$`,
        "i",
    );
    return regex.test(value);
}
