import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REGION_AZS } from "../../components/shared/regions";
import { replaceOnce } from "./helpers";
import { FIXTURE_STACKS_DIR } from "./stateful";

/**
 * Temporary project folders for plans of stacks that are not in the repository: a copy of the
 * fixture `Pulumi.yaml` and a fixture stack file saved under another stack name, optionally in
 * another region. Pass the folder as the plan's `root`; remove it with `removeStackDir`.
 */

/** The fixture stack `from` saved as `Pulumi.<as>.yaml`, with `edit` applied to its text (substitutions: use `replaceOnce`). */
export function copiedStackDir(from: string, as: string, edit: (text: string) => string = (text) => text): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    fs.copyFileSync(path.join(FIXTURE_STACKS_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const text = fs.readFileSync(path.join(FIXTURE_STACKS_DIR, `Pulumi.${from}.yaml`), "utf8");
    fs.writeFileSync(path.join(dir, `Pulumi.${as}.yaml`), edit(text));
    return dir;
}

/** A fixture stack file's text moved from us-east-2 to `region` (its AZs replaced in order). */
export function inRegion(region: string): (text: string) => string {
    const zones = REGION_AZS[region];
    if (!zones) throw new Error(`no zones for ${region}`);
    return (text) => {
        assert.match(text, /us-east-2[abc]/, "the stack file names no us-east-2 AZ to move");
        return replaceOnce(text, "aws:region: us-east-2", `aws:region: ${region}`).replace(
            /us-east-2([abc])/g,
            (_match, letter: string) => zones["abc".indexOf(letter)] ?? zones[0],
        );
    };
}

export function removeStackDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
