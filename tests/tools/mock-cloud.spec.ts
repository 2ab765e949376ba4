import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MOCK_ACCOUNT_ID, MockCloud, isSecretValue } from "../../tools/mock-cloud";
import { runProgram } from "../../tools/run-program";
import { fixtureStack } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const config = fixtureStack("dev").config;

describe("mock cloud", () => {
    it("gives RandomId the asked number of bytes as hex, deterministically", async () => {
        const program = () => {
            new random.RandomId("suffix", { byteLength: 4 });
        };
        const first = await runProgram({ stack: "dev", config, program });
        const second = await runProgram({ stack: "dev", config, program });
        const hex = first.resources.find((r) => r.type === TYPE.randomId)!.outputs.hex;
        assert.match(String(hex), /^[0-9a-f]{8}$/);
        assert.strictEqual(second.resources.find((r) => r.name === "suffix")!.outputs.hex, hex);
    });

    it("gives RandomPassword a secret result of the asked length and character classes", async () => {
        const run = await runProgram({
            stack: "dev",
            config,
            program: () => {
                new random.RandomPassword("pw", { length: 40, special: true, overrideSpecial: "-_", minUpper: 2, minNumeric: 2, minSpecial: 2 });
                new random.RandomPassword("plain", { length: 32, special: false });
            },
        });
        const pw = run.resources.find((r) => r.name === "pw")!.outputs.result;
        assert.ok(isSecretValue(pw), "result must stay secret");
        const value = String(pw.value);
        assert.strictEqual(value.length, 40);
        assert.match(value, /^[A-Za-z0-9_-]+$/);
        assert.ok((value.match(/[A-Z]/g) ?? []).length >= 2 && (value.match(/[0-9]/g) ?? []).length >= 2 && (value.match(/[-_]/g) ?? []).length >= 2);
        const plain = run.resources.find((r) => r.name === "plain")!.outputs.result as { value: string };
        assert.match(plain.value, /^[A-Za-z0-9]{32}$/);
        assert.notStrictEqual(plain.value, value.slice(0, 32));
    });

    it("gives resources realistic ids and ARNs for the stack's region and account", async () => {
        const run = await runProgram({
            stack: "dev",
            config,
            program: () => {
                new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
                new aws.iam.Role("r", { name: "dev-role", assumeRolePolicy: "{}" });
                new aws.s3.Bucket("b", { bucket: "dev-bucket-1234" });
                new aws.cloudwatch.LogGroup("l", { name: "/x/y" });
                new aws.secretsmanager.Secret("s", { name: "dev-secret" });
                new aws.ecr.Repository("e", { name: "dev-repo" });
            },
        });
        const out = (name: string) => run.resources.find((r) => r.name === name)!;
        assert.match(out("v").id!, /^vpc-0[0-9a-f]{16}$/);
        assert.strictEqual(out("v").outputs.arn, `arn:aws:ec2:us-east-2:${MOCK_ACCOUNT_ID}:vpc/${out("v").id}`);
        assert.strictEqual(out("r").outputs.arn, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dev-role`);
        assert.strictEqual(out("b").outputs.arn, "arn:aws:s3:::dev-bucket-1234");
        assert.strictEqual(out("l").outputs.arn, `arn:aws:logs:us-east-2:${MOCK_ACCOUNT_ID}:log-group:/x/y`);
        assert.match(String(out("s").outputs.arn), new RegExp(`^arn:aws:secretsmanager:us-east-2:${MOCK_ACCOUNT_ID}:secret:dev-secret-[0-9a-f]{6}$`));
        assert.strictEqual(out("e").outputs.repositoryUrl, `${MOCK_ACCOUNT_ID}.dkr.ecr.us-east-2.amazonaws.com/dev-repo`);
    });

    it("records parent, dependencies and protect of each registration", async () => {
        const run = await runProgram({
            stack: "dev",
            config,
            program: () => {
                const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" }, { protect: true });
                new aws.ec2.Subnet("s", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24" }, { parent: vpc });
            },
        });
        const vpc = run.resources.find((r) => r.name === "v")!;
        const subnet = run.resources.find((r) => r.name === "s")!;
        assert.strictEqual(vpc.protect, true);
        assert.strictEqual(subnet.parent, vpc.urn);
        assert.deepStrictEqual(subnet.dependencies, [vpc.urn]);
        assert.strictEqual(subnet.urn, "urn:pulumi:dev::data-platform::aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet::s");
    });

    it("answers the invokes the program uses, per region", async () => {
        const cloud = new MockCloud({ region: "eu-west-1" });
        const zones = cloud.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
        assert.deepStrictEqual(zones.names, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.strictEqual(cloud.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId, MOCK_ACCOUNT_ID);
        assert.strictEqual(cloud.call({ token: "aws:index/getPartition:getPartition", inputs: {} }).partition, "aws");
        assert.strictEqual(cloud.call({ token: "aws:index/getRegion:getRegion", inputs: {} }).name, "eu-west-1");
        const ami = cloud.call({
            token: "aws:ssm/getParameter:getParameter",
            inputs: { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
        });
        assert.match(String(ami.value), /^ami-0[0-9a-f]{16}$/);
    });

    it("fails loudly on an invoke it cannot answer instead of echoing inputs", () => {
        const cloud = new MockCloud({ region: "us-east-2" });
        assert.throws(
            () => cloud.call({ token: "aws:iam/getPolicyDocument:getPolicyDocument", inputs: {} }),
            /no answer for invoke aws:iam\/getPolicyDocument/,
        );
    });

    it("refuses two resources with the same URN, as the engine does", async () => {
        await assert.rejects(
            runProgram({
                stack: "dev",
                config,
                program: () => {
                    new aws.ec2.Vpc("same", { cidrBlock: "10.0.0.0/16" });
                    new aws.ec2.Vpc("same", { cidrBlock: "10.1.0.0/16" });
                },
            }),
            /duplicate resource URN|Duplicate resource URN/,
        );
    });

    it("records assets in the stack-export wire form, with their path", async () => {
        const run = await runProgram({
            stack: "dev",
            config,
            program: () => {
                new aws.s3.BucketObjectv2("o", { bucket: "b", key: "k", source: new pulumi.asset.FileAsset("assets/glue/data_processing.py") });
            },
        });
        const source = run.resources.find((r) => r.name === "o")!.inputs.source as Record<string, unknown>;
        assert.strictEqual(source["4dabf18193072939515e22adb298388d"], "c44067f5952c0a294b673a41bacd8c17");
        assert.strictEqual(source.path, "assets/glue/data_processing.py");
    });

    it("keeps secrets secret in outputs", async () => {
        const run = await runProgram({
            stack: "dev",
            config,
            program: () => {
                new aws.secretsmanager.SecretVersion("v", { secretId: "arn:x", secretString: pulumi.secret("hunter2-hunter2") });
            },
        });
        const version = run.resources.find((r) => r.name === "v")!;
        assert.ok(isSecretValue(version.inputs.secretString));
        assert.ok(isSecretValue(version.outputs.secretString));
    });
});
