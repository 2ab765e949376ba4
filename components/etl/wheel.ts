import { createHash } from "crypto";
import { zipSync } from "fflate";

/**
 * A pure-Python wheel (PEP 427) of one module, built in memory. Glue's Python shell jobs take extra
 * modules in `--extra-py-files` as a `.whl` ("In Python 3.9+ you cannot package any Python libraries
 * as .egg files. Use .whl instead", Glue developer guide, Python shell jobs, Limitations).
 *
 * The bytes depend only on the module's content: entries are stored (no compression, so no
 * compressor version matters), in a fixed order, with a fixed DOS timestamp and OS byte.
 */
export interface WheelSpec {
    /** Distribution and module name (`event_schema`). */
    readonly name: string;
    /** Distribution version. */
    readonly version: string;
    /** One-line summary for METADATA. */
    readonly summary: string;
    /** The module's source (`<name>.py`). */
    readonly source: string;
}

/** `<name>-<version>-py3-none-any.whl`: the filename pip and Glue expect (pure Python, any platform). */
export function wheelFileName(spec: Pick<WheelSpec, "name" | "version">): string {
    return `${spec.name}-${spec.version}-py3-none-any.whl`;
}

/** The RECORD hash form: `sha256=` + urlsafe base64 without padding. */
function recordHash(content: Uint8Array): string {
    return `sha256=${createHash("sha256").update(content).digest("base64url")}`;
}

/** 1980-01-01 00:00 local time: the earliest DOS timestamp, the same bytes in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function buildWheel(spec: WheelSpec): Uint8Array {
    const distInfo = `${spec.name}-${spec.version}.dist-info`;
    const text = (value: string) => new TextEncoder().encode(value);
    const files: [string, Uint8Array][] = [
        [`${spec.name}.py`, text(spec.source)],
        [`${distInfo}/METADATA`, text(`Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\nSummary: ${spec.summary}\n`)],
        [`${distInfo}/WHEEL`, text("Wheel-Version: 1.0\nGenerator: data-platform\nRoot-Is-Purelib: true\nTag: py3-none-any\n")],
    ];
    const record = [...files.map(([path, content]) => `${path},${recordHash(content)},${content.length}`), `${distInfo}/RECORD,,`].join("\n") + "\n";
    files.push([`${distInfo}/RECORD`, text(record)]);
    const attributes = { level: 0 as const, mtime: FIXED_MTIME, os: 3, attrs: 0o644 << 16 };
    return zipSync(Object.fromEntries(files.map(([path, content]) => [path, [content, attributes]])), attributes);
}
