import * as fs from "fs";
import type { DeploymentResource } from "../deployment";
import { coerceNumber } from "./numeric-keys";

/**
 * Reads every state shape the Pulumi CLI writes, and the plan document of
 * `npm run plan -- --json`, into one list of `DeploymentResource`s:
 *
 * - `pulumi stack export` (`{version: 1..3, deployment: {manifest, resources}}`);
 * - state checkpoints (`{version, checkpoint: {stack, latest: {resources}}}`,
 *   version 4 with `features`) and the pre-versioning `{target, latest}`;
 * - a stack with no resources (Pulumi omits the `resources` key, or `latest`);
 * - `null` where a list or map is expected (`dependencies`,
 *   `propertyDependencies: {"x": null}`, `inputs`, `outputs`);
 * - `{"__pulumiUnknown": true}` becomes the engine's unknown sentinel, so a
 *   rule reading it says "cannot tell";
 * - digit strings under the property names `@pulumi/aws` declares as numbers
 *   become numbers (see numeric-keys.ts);
 * - resources marked `delete: true` (an old copy awaiting deletion) or
 *   `pendingReplacement: true` are left out and listed in `skipped`.
 *
 * Secret envelopes (`ciphertext`, or `plaintext` from `--show-secrets`) are
 * kept as they are; the policy runner reads them.
 */

/** The file is not something the runner can read: exit 2, naming the file and what was expected. */
export class StateFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateFileError";
    }
}

export type StateKind = "stack export" | "checkpoint" | "plan";

export interface SkippedResource {
    readonly urn: string;
    readonly reason: string;
}

export interface LoadedState {
    readonly file: string;
    readonly kind: StateKind;
    /** "pulumi stack export, version 3", "state checkpoint, version 0 ({target, latest})", "plan document". */
    readonly format: string;
    readonly version?: number;
    /** The project and stack the state belongs to (plan document fields, else the URNs, else the checkpoint's stack name). */
    readonly project?: string;
    readonly stack?: string;
    /** Every project and stack the resources' URNs name (more than one of each is a mixed file). */
    readonly projects: readonly string[];
    readonly stacks: readonly string[];
    readonly resources: DeploymentResource[];
    readonly skipped: readonly SkippedResource[];
    /**
     * What resource policies judge: "state" (outputs merged under inputs: the
     * real values a state file records) or "inputs" (a plan: what the program asks for).
     */
    readonly propsFrom: "state" | "inputs";
}

/** Versions of the export and checkpoint formats this loader reads (0 = the unversioned `{target, latest}`). */
export const KNOWN_VERSIONS: readonly number[] = [0, 1, 2, 3, 4];

const EXPECTED =
    'expected a `pulumi stack export` file ({"version": 3, "deployment": {"resources": [...]}}), ' +
    'a state checkpoint ({"checkpoint": {"latest": {"resources": [...]}}}) or a plan document from `npm run plan -- --json FILE`';

/** The engine's sentinel for an unknown object (what `@pulumi/policy` throws on). */
const UNKNOWN_OBJECT_SENTINEL = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export function loadStateFile(file: string): LoadedState {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new StateFileError(
            `cannot read ${file}${code === "EISDIR" ? " (it is a directory)" : code === "ENOENT" ? " (no such file)" : ""}; ${EXPECTED}`,
        );
    }
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (error) {
        throw new StateFileError(`${file} is not JSON (${(error as Error).message}); ${EXPECTED}`);
    }
    return parseState(document, file);
}

/** Parses an already-read document (`file` names it in messages). */
export function parseState(document: unknown, file: string): LoadedState {
    const fail = (what: string): never => {
        throw new StateFileError(`${file}: ${what}; ${EXPECTED}`);
    };
    if (!isObject(document)) return fail(`the top level is ${describe(document)}, not an object`);

    const version = document.version;
    if (version !== undefined && (typeof version !== "number" || !KNOWN_VERSIONS.includes(version))) {
        fail(
            `"version" is ${JSON.stringify(version)}; this runner reads versions ${KNOWN_VERSIONS.filter((v) => v > 0).join(", ")}` +
                (typeof version === "number" && version > 4 ? " (the file was written by a newer Pulumi: upgrade this tool)" : ""),
        );
    }

    let kind: StateKind;
    let format: string;
    let raw: unknown;
    let where: string;
    let declared: { project?: string; stack?: string } = {};
    if ("deployment" in document) {
        const deployment = document.deployment;
        if (!isObject(deployment)) return fail(`"deployment" is ${describe(deployment)}, not an object`);
        raw = deployment.resources;
        where = "deployment.resources";
        if (typeof version === "number") {
            kind = "stack export";
            format = `pulumi stack export, version ${version}`;
        } else {
            kind = "plan";
            format = "plan document";
            declared = {
                project: typeof document.project === "string" ? document.project : undefined,
                stack: typeof document.stack === "string" ? document.stack : undefined,
            };
        }
    } else if ("checkpoint" in document) {
        const checkpoint = document.checkpoint;
        if (!isObject(checkpoint)) return fail(`"checkpoint" is ${describe(checkpoint)}, not an object`);
        const latest = checkpoint.latest;
        if (latest !== undefined && latest !== null && !isObject(latest)) fail(`"checkpoint.latest" is ${describe(latest)}, not an object`);
        raw = isObject(latest) ? latest.resources : undefined;
        where = "checkpoint.latest.resources";
        kind = "checkpoint";
        format = `state checkpoint, version ${typeof version === "number" ? version : "unknown"}`;
        declared = stackName(checkpoint.stack ?? checkpoint.target);
    } else if ("latest" in document && ("target" in document || isObject(document.latest))) {
        const latest = document.latest;
        if (latest !== null && !isObject(latest)) return fail(`"latest" is ${describe(latest)}, not an object`);
        raw = isObject(latest) ? latest.resources : undefined;
        where = "latest.resources";
        kind = "checkpoint";
        format = "state checkpoint, version 0 ({target, latest})";
        declared = stackName(document.target);
    } else {
        const keys = Object.keys(document);
        return fail(`no "deployment" or "checkpoint" (top-level keys: ${keys.length > 0 ? keys.slice(0, 8).join(", ") : "none"})`);
    }

    if (raw !== undefined && raw !== null && !Array.isArray(raw)) fail(`"${where}" is ${describe(raw)}, not a list`);
    const list = Array.isArray(raw) ? raw : [];

    const resources: DeploymentResource[] = [];
    const skipped: SkippedResource[] = [];
    list.forEach((item, index) => {
        if (!isObject(item) || typeof item.urn !== "string" || typeof item.type !== "string") {
            fail(`${where}[${index}] has no "urn" and "type" strings (it is ${describe(item)})`);
        }
        const resource = item as Json & { urn: string; type: string };
        if (resource.delete === true) return void skipped.push({ urn: resource.urn, reason: "an old copy awaiting deletion (delete: true)" });
        if (resource.pendingReplacement === true)
            return void skipped.push({ urn: resource.urn, reason: "pending replacement (pendingReplacement: true)" });
        resources.push(normalizeResource(resource));
    });

    const projects = unique(resources.map((resource) => urnParts(resource.urn)?.project));
    const stacks = unique(resources.map((resource) => urnParts(resource.urn)?.stack));
    return {
        file,
        kind,
        format,
        ...(typeof version === "number" ? { version } : {}),
        project: declared.project ?? (projects.length === 1 ? projects[0] : undefined),
        stack: declared.stack ?? (stacks.length === 1 ? stacks[0] : undefined),
        projects,
        stacks,
        resources,
        skipped,
        propsFrom: kind === "plan" ? "inputs" : "state",
    };
}

function normalizeResource(resource: Json & { urn: string; type: string }): DeploymentResource {
    const map = (value: unknown): Record<string, unknown> => (isObject(value) ? (normalizeValue(value) as Record<string, unknown>) : {});
    const urns = (value: unknown): string[] => (Array.isArray(value) ? value.filter((urn): urn is string => typeof urn === "string") : []);
    const propertyDependencies: Record<string, string[]> = {};
    if (isObject(resource.propertyDependencies)) {
        for (const [key, value] of Object.entries(resource.propertyDependencies)) propertyDependencies[key] = urns(value);
    }
    // Pre-v1 checkpoints keep provider-filled defaults apart from the inputs.
    const inputs = { ...map(resource.defaults), ...map(resource.inputs) };
    return {
        urn: resource.urn,
        type: resource.type,
        custom: typeof resource.custom === "boolean" ? resource.custom : true,
        ...(typeof resource.id === "string" && resource.id !== "" ? { id: resource.id } : {}),
        ...(typeof resource.parent === "string" && resource.parent !== "" ? { parent: resource.parent } : {}),
        ...(resource.protect === true ? { protect: true } : {}),
        ...(resource.retainOnDelete === true ? { retainOnDelete: true } : {}),
        inputs,
        outputs: map(resource.outputs),
        dependencies: urns(resource.dependencies),
        propertyDependencies,
    };
}

/** Unknown markers → the engine's sentinel; digit strings under numeric keys → numbers. */
export function normalizeValue(value: unknown, key?: string): unknown {
    if (Array.isArray(value)) return value.map((item) => normalizeValue(item, key));
    if (isObject(value)) {
        if (value.__pulumiUnknown === true) return UNKNOWN_OBJECT_SENTINEL;
        return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, normalizeValue(item, name)]));
    }
    return key === undefined ? value : coerceNumber(key, value);
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its stack and project. */
export function urnParts(urn: string): { stack: string; project: string } | undefined {
    const match = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn);
    return match ? { stack: match[1], project: match[2] } : undefined;
}

/** A checkpoint's stack name: "stack", "project/stack" or "org/project/stack". */
function stackName(value: unknown): { project?: string; stack?: string } {
    if (typeof value !== "string" || value === "") return {};
    const parts = value.split("/");
    return { stack: parts[parts.length - 1], ...(parts.length >= 2 ? { project: parts[parts.length - 2] } : {}) };
}

function unique(values: readonly (string | undefined)[]): string[] {
    return [...new Set(values.filter((value): value is string => value !== undefined && value !== ""))].sort();
}

function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/**
 * The properties resource policies judge for a state file: outputs merged under
 * inputs, so a value the inputs leave out but the outputs record
 * (`associatePublicIpAddress: true` on an instance that asked for nothing) is
 * judged. Nested objects merge key by key; lists and secrets are taken whole
 * from the inputs when the inputs have them.
 */
export function mergeOutputsUnderInputs(outputs: Record<string, unknown>, inputs: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...outputs };
    for (const [key, value] of Object.entries(inputs)) {
        if (value === undefined || value === null) {
            if (!(key in merged)) merged[key] = value;
            continue;
        }
        const under = merged[key];
        merged[key] = plainObject(value) && plainObject(under) ? mergeOutputsUnderInputs(under, value) : value;
    }
    return merged;
}

/** A plain property map: not a list, and not one of Pulumi's signed values (secrets, assets, archives, references). */
function plainObject(value: unknown): value is Record<string, unknown> {
    return isObject(value) && !("4dabf18193072939515e22adb298388d" in value);
}
