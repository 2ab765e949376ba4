import * as assert from "assert";
import { createHash } from "crypto";
import * as zlib from "zlib";
import { embeddedFiles, renderUserData, stableGzip } from "../../components/shared/host/user-data";

const FILES = [
    { path: "/etc/data-platform/example.env", content: "A=1\nB=two\n", mode: "0644", owner: "root:root" },
    { path: "/usr/local/bin/example", content: "#!/bin/sh\necho example\n".repeat(40), mode: "0755", owner: "root:root" },
];
const SPEC = { script: "monitoring.sh", parameters: { AWS_REGION: "us-east-2" }, files: FILES };

describe("host user data depends only on the repository's content", () => {
    it("writes a gzip header with mtime 0 and a fixed OS byte, whatever machine renders it", () => {
        const gz = Buffer.from(stableGzip("hello"));
        assert.deepStrictEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08], "gzip magic and deflate");
        assert.strictEqual(gz.readUInt32LE(4), 0, "mtime must be 0");
        assert.strictEqual(gz[9], 3, "OS byte must be fixed (3, Unix), not the renderer's OS");
        assert.strictEqual(zlib.gunzipSync(gz).toString("utf8"), "hello");
    });

    it("does not use the Node zlib build of the machine running pulumi up", () => {
        const expected = renderUserData(SPEC);
        const original = zlib.gzipSync;
        const fake = (() => {
            throw new Error("user data must not depend on this machine's zlib");
        }) as typeof zlib.gzipSync;
        (zlib as { gzipSync: typeof zlib.gzipSync }).gzipSync = fake;
        try {
            assert.strictEqual(renderUserData(SPEC), expected);
        } finally {
            (zlib as { gzipSync: typeof zlib.gzipSync }).gzipSync = original;
        }
    });

    it("gives the same bytes for the same content, and other bytes only when the content changes", () => {
        assert.strictEqual(renderUserData(SPEC), renderUserData({ ...SPEC, files: FILES.map((file) => ({ ...file })) }));
        const changed = renderUserData({ ...SPEC, files: [{ ...FILES[0], content: "A=1\nB=three\n" }, FILES[1]] });
        assert.notStrictEqual(changed, renderUserData(SPEC));
        assert.deepStrictEqual(
            embeddedFiles(renderUserData(SPEC)).map((file) => file.content),
            FILES.map((file) => file.content),
        );
    });

    it("keeps the compressor's output for known content (a new compressor would replace every host)", () => {
        // If this fails after a dependency update, the pinned fflate changed its output: every host
        // would be replaced on the next `pulumi up`. Keep the version, or accept the replacement on purpose.
        const digest = createHash("sha256")
            .update(stableGzip("data-platform user data\n".repeat(100)))
            .digest("hex");
        assert.strictEqual(digest, KNOWN_DIGEST);
    });
});

const KNOWN_DIGEST = "d98975ab1fd9e05723553cf4da0a6f0fc7ecbe6fa985672d8a8abfec4ab2fdbd";
