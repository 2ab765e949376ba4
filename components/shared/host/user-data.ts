import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { gzipSync } from "fflate";
import { ASSETS_DIR } from "../paths";

/** EC2 accepts at most 16 KB of user data (before base64). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

export const USER_DATA_DIR = path.join(ASSETS_DIR, "user-data");

/** A file the user data writes (embedded as base64 of gzip to stay under the size limit). */
export interface EmbeddedFile {
    /** Absolute path on the host. */
    readonly path: string;
    readonly content: string;
    /** Octal mode, e.g. `0644`. */
    readonly mode: string;
    /** `user:group`. */
    readonly owner: string;
}

export interface UserDataSpec {
    /** Host script in assets/user-data (`kubernetes.sh`, `monitoring.sh`). */
    readonly script: string;
    /** UPPERCASE names → values, rendered as readonly shell variables. Never secrets. */
    readonly parameters: Readonly<Record<string, string | number>>;
    readonly files: readonly EmbeddedFile[];
}

const BODY_MARKER = "# @body";
const EMBED_DELIMITER = "EMBEDDED_FILE";

/** Reads a file of assets/user-data. */
export function readAsset(relativePath: string): string {
    return fs.readFileSync(path.join(USER_DATA_DIR, relativePath), "utf8");
}

/** The part of an asset script below its `# @body` line. */
export function scriptBody(source: string, name: string): string {
    const lines = source.split("\n");
    const marker = lines.findIndex((line) => line.trim() === BODY_MARKER);
    if (marker < 0) throw new Error(`assets/user-data/${name} has no "${BODY_MARKER}" line`);
    return lines
        .slice(marker + 1)
        .join("\n")
        .trim();
}

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * gzip whose bytes depend on the content alone. Node's zlib writes the OS of the machine into the
 * header (3 on Linux, 19 on macOS) and its deflate output changes between zlib builds; with
 * `userDataReplaceOnChange`, a `pulumi up` from another machine would then replace the hosts and
 * wipe their data. fflate is pure JavaScript (pinned in package-lock.json), writes mtime 0 and a
 * fixed OS byte (3), so the same files give the same user data wherever the program runs.
 */
export function stableGzip(content: string): Uint8Array {
    return gzipSync(Buffer.from(content, "utf8"), { level: 9, mtime: 0 });
}

function embed(file: EmbeddedFile): string {
    if (!/^\/[\w./-]+$/.test(file.path)) throw new Error(`embedded file path ${file.path} must be absolute and plain`);
    const encoded = Buffer.from(stableGzip(file.content)).toString("base64");
    const lines = encoded.match(/.{1,76}/g) ?? [];
    return [`write_file ${file.path} ${file.mode} ${file.owner} <<'${EMBED_DELIMITER}'`, ...lines, EMBED_DELIMITER].join("\n");
}

/**
 * The user data: shebang, strict mode, parameters, lib.sh, the embedded files, the
 * host script's body. Throws when it exceeds EC2's 16 KB limit.
 */
export function renderUserData(spec: UserDataSpec): string {
    const parameters = Object.entries(spec.parameters).map(([name, value]) => {
        if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`user-data parameter ${name} must be UPPER_SNAKE_CASE`);
        return `readonly ${name}=${shellQuote(String(value))}`;
    });
    const text = [
        "#!/bin/bash",
        // The path in this line is where the renderer lived when the hosts were first built: a change to
        // user data replaces the hosts (userDataReplaceOnChange), so it stays until the content changes anyway.
        `# Rendered by components/host.ts from assets/user-data/lib.sh and ${spec.script}.`,
        "set -euo pipefail",
        "",
        ...parameters,
        "",
        scriptBody(readAsset("lib.sh"), "lib.sh"),
        "",
        ...spec.files.map(embed),
        "",
        scriptBody(readAsset(spec.script), spec.script),
        "",
    ].join("\n");
    const size = Buffer.byteLength(text, "utf8");
    if (size > USER_DATA_LIMIT_BYTES) {
        throw new Error(`user data of ${spec.script} is ${size} bytes; EC2 accepts at most ${USER_DATA_LIMIT_BYTES}`);
    }
    return text;
}

/** The files a rendered user data writes, decoded (for the asset renderer and tests). */
export function embeddedFiles(userData: string): EmbeddedFile[] {
    const pattern = new RegExp(`^write_file (\\S+) (\\d+) (\\S+) <<'${EMBED_DELIMITER}'\\n([\\s\\S]*?)\\n${EMBED_DELIMITER}$`, "gm");
    return [...userData.matchAll(pattern)].map(([, filePath, mode, owner, encoded]) => ({
        path: filePath,
        mode,
        owner,
        content: zlib.gunzipSync(Buffer.from(encoded.replace(/\s/g, ""), "base64")).toString("utf8"),
    }));
}
