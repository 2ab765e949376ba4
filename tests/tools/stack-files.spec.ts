import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackFileError, readStackFile, stackNames } from "../../tools/stack-files";

function tempProject(stackYaml: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: data-platform\nruntime: nodejs\n");
    fs.writeFileSync(path.join(root, "Pulumi.qa.yaml"), stackYaml);
    return root;
}

describe("stack files", () => {
    it("flattens config the way the Pulumi CLI hands it to a program", () => {
        const root = tempProject("config:\n  aws:region: us-east-2\n  environment: qa\n  data-platform:network:\n    natGateways: single\n");
        const file = readStackFile("qa", root);
        assert.deepStrictEqual(file.config, {
            "aws:region": "us-east-2",
            "data-platform:environment": "qa",
            "data-platform:network": JSON.stringify({ natGateways: "single" }),
        });
        assert.deepStrictEqual(stackNames(root), ["qa"]);
    });

    it("turns secure: values, nested or not, into a secret placeholder and marks the key secret", () => {
        const root = tempProject(
            "config:\n  data-platform:token:\n    secure: AAABAExample\n  data-platform:access:\n    sshPublicKey:\n      secure: AAABAOther\n",
        );
        const file = readStackFile("qa", root);
        assert.strictEqual(file.config["data-platform:token"], "[secret]");
        assert.deepStrictEqual(JSON.parse(file.config["data-platform:access"]), { sshPublicKey: "[secret]" });
        assert.deepStrictEqual(file.secretKeys.sort(), ["data-platform:access", "data-platform:token"]);
        assert.ok(!JSON.stringify(file).includes("AAAB"), "ciphertext never travels further");
    });

    it("names the stacks there are when a stack file is missing, and refuses invalid YAML", () => {
        const root = tempProject("config: {}\n");
        assert.throws(
            () => readStackFile("prod", root),
            (error: Error) => error instanceof StackFileError && /stacks here: qa/.test(error.message),
        );
        fs.writeFileSync(path.join(root, "Pulumi.qa.yaml"), "config: [unclosed\n");
        assert.throws(() => readStackFile("qa", root), /Pulumi\.qa\.yaml is not valid YAML/);
    });
});
