import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig, parseStackConfig } from "../../components/config";
import {
    IMAGES_DIR,
    IMAGE_PLATFORM,
    OPTIONAL_REPOSITORY_NAMES,
    OptionalRepositoryPurpose,
    REPOSITORY_NAMES,
    REPOSITORY_PURPOSES,
    Registry,
    RepositoryPurpose,
} from "../../components/registry/registry";
import { Naming } from "../../components/shared/naming";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { STACKS, editConfig, inputsOf, jsonInput, named, ofType, runStack, runStackWith, fixtureStack, fixtureConfig } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

const REPOSITORY = TYPE.ecrRepository;
const LIFECYCLE = TYPE.ecrLifecyclePolicy;
const AWSX_IMAGE = TYPE.awsxEcrImage;
const KEY_ARN = "arn:aws:kms:us-east-2:123456789012:key/registry-key";

interface TierRun {
    readonly run: ProgramRun;
    readonly imageUris: Record<RepositoryPurpose, string>;
    readonly optionalImageUris: Partial<Record<OptionalRepositoryPurpose, string>>;
    readonly optionalRepositoryArns: Partial<Record<OptionalRepositoryPurpose, string>>;
}

/** Every image folder under assets/images: the base repositories' and the optional ones'. */
const IMAGE_FOLDERS = [...Object.values(REPOSITORY_NAMES), ...Object.values(OPTIONAL_REPOSITORY_NAMES)];

async function valuesOf(outputs: Readonly<Partial<Record<string, pulumi.Output<string>>>>): Promise<Record<string, string>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([purpose, output]) => [purpose, await outputValue(output!)] as const));
    return Object.fromEntries(entries);
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) =>
        output.apply((value) => {
            resolve(value);
            return value;
        }),
    );
}

/** Builds the registry tier alone for a stack's config with edits (`data-platform:key` → value), with the optional repositories given. */
async function runRegistry(stack: string, edits: Record<string, unknown> = {}, optional?: readonly OptionalRepositoryPurpose[]): Promise<TierRun> {
    const raw = editConfig(fixtureStack(stack).config, edits);
    const config: StackConfig = parseStackConfig(raw);
    let registry: Registry | undefined;
    const run = await runProgram({
        stack,
        config: raw,
        program: () => {
            registry = new Registry("t-registry", {
                naming: new Naming(config.environment),
                config: config.registry,
                images: config.images,
                keys: config.encryption.kms ? { registry: KEY_ARN } : undefined,
                protect: config.protect,
                optional,
            });
        },
    });
    assert.ok(registry);
    const built = registry;
    const taskImages = built.taskImageUris();
    const entries = await Promise.all(REPOSITORY_PURPOSES.map(async (purpose) => [purpose, await outputValue(taskImages[purpose])] as const));
    return {
        run,
        imageUris: Object.fromEntries(entries) as Record<RepositoryPurpose, string>,
        optionalImageUris: await valuesOf(built.optionalImageUris),
        optionalRepositoryArns: await valuesOf(built.optionalRepositoryArns),
    };
}

function repositoryUrl(run: ProgramRun, purpose: RepositoryPurpose | OptionalRepositoryPurpose): string {
    return named(run, REPOSITORY, `-${repositorySuffix(purpose)}`).outputs.repositoryUrl as string;
}

function repositorySuffix(purpose: RepositoryPurpose | OptionalRepositoryPurpose): string {
    return purpose in REPOSITORY_NAMES
        ? REPOSITORY_NAMES[purpose as RepositoryPurpose]
        : OPTIONAL_REPOSITORY_NAMES[purpose as OptionalRepositoryPurpose];
}

describe("registry tier", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const immutable = stack !== "dev";
            let tier: TierRun;
            before(async () => {
                tier = await runRegistry(stack);
            });

            it("creates spark-apps, data-jobs and glue-jobs repositories that scan on push", () => {
                const names = ofType(tier.run, REPOSITORY)
                    .map((repository) => inputsOf(repository).name)
                    .sort();
                assert.deepStrictEqual(names, [`${stack}-data-jobs`, `${stack}-glue-jobs`, `${stack}-spark-apps`]);
                for (const repository of ofType(tier.run, REPOSITORY)) {
                    assert.deepStrictEqual(inputsOf(repository).imageScanningConfiguration, { scanOnPush: true });
                    assert.strictEqual(inputsOf(repository).tags.Tier, "registry");
                }
            });

            it(`makes tags ${immutable ? "IMMUTABLE" : "MUTABLE (as in the seed)"}`, () => {
                for (const repository of ofType(tier.run, REPOSITORY)) {
                    assert.strictEqual(inputsOf(repository).imageTagMutability, immutable ? "IMMUTABLE" : "MUTABLE");
                }
            });

            it(stack === "dev" ? "encrypts with AES256 (no KMS key in dev)" : "encrypts with the registry KMS key", () => {
                const expected = stack === "dev" ? [{ encryptionType: "AES256" }] : [{ encryptionType: "KMS", kmsKey: KEY_ARN }];
                for (const repository of ofType(tier.run, REPOSITORY))
                    assert.deepStrictEqual(inputsOf(repository).encryptionConfigurations, expected);
            });

            it("expires untagged images after 7 days and keeps the last 10 tagged ones", () => {
                const policies = ofType(tier.run, LIFECYCLE);
                assert.strictEqual(policies.length, 3);
                for (const purpose of REPOSITORY_PURPOSES) {
                    const policy = named(tier.run, LIFECYCLE, `-${REPOSITORY_NAMES[purpose]}-lifecycle`);
                    assert.strictEqual(inputsOf(policy).repository, `${stack}-${REPOSITORY_NAMES[purpose]}`);
                    assert.deepStrictEqual(
                        jsonInput(policy, "policy").rules.map((rule: any) => rule.selection),
                        [
                            { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                            { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 10 },
                        ],
                    );
                    assert.deepStrictEqual(
                        jsonInput(policy, "policy").rules.map((rule: any) => [rule.rulePriority, rule.action.type]),
                        [
                            [1, "expire"],
                            [2, "expire"],
                        ],
                    );
                }
            });

            it(
                stack === "prod"
                    ? "protects the repositories and their images in prod"
                    : "does not protect repositories outside prod (destroy removes their images)",
                () => {
                    for (const repository of ofType(tier.run, REPOSITORY)) {
                        assert.strictEqual(repository.protect, stack === "prod");
                        assert.strictEqual(repository.retainOnDelete, stack === "prod");
                        assert.strictEqual(inputsOf(repository).forceDelete, stack !== "prod");
                    }
                },
            );

            it("by default builds nothing and points tasks at <repositoryUrl>:<images.tag>", () => {
                const tag = fixtureConfig(stack).images.tag;
                assert.strictEqual(tag, stack === "dev" ? "latest" : "v0.1.0");
                assert.strictEqual(ofType(tier.run, AWSX_IMAGE).length, 0);
                for (const purpose of REPOSITORY_PURPOSES) assert.strictEqual(tier.imageUris[purpose], `${repositoryUrl(tier.run, purpose)}:${tag}`);
                assert.deepStrictEqual(tier.optionalImageUris, {}, "no optional repository unless asked for");
                assert.deepStrictEqual(tier.optionalRepositoryArns, {});
            });
        });
    }

    describe("optional repositories", () => {
        for (const stack of STACKS) {
            it(`${stack}: optional: ["web"] adds ${stack}-web, made like the others, and exports its image URI and ARN`, async () => {
                const tier = await runRegistry(stack, {}, ["web"]);
                const config = fixtureConfig(stack);
                const names = ofType(tier.run, REPOSITORY)
                    .map((repository) => inputsOf(repository).name)
                    .sort();
                assert.deepStrictEqual(names, [`${stack}-data-jobs`, `${stack}-glue-jobs`, `${stack}-spark-apps`, `${stack}-web`]);
                const web = named(tier.run, REPOSITORY, "-web");
                const base = named(tier.run, REPOSITORY, "-data-jobs");
                for (const field of ["imageTagMutability", "imageScanningConfiguration", "encryptionConfigurations", "forceDelete"]) {
                    assert.deepStrictEqual(inputsOf(web)[field], inputsOf(base)[field], field);
                }
                assert.deepStrictEqual([web.protect, web.retainOnDelete], [config.protect, config.protect]);
                assert.strictEqual(inputsOf(web).tags.Name, `${stack}-web`);
                assert.strictEqual(inputsOf(named(tier.run, LIFECYCLE, "-web-lifecycle")).repository, `${stack}-web`);
                assert.deepStrictEqual(tier.optionalImageUris, { web: `${repositoryUrl(tier.run, "web")}:${config.images.tag}` });
                assert.deepStrictEqual(tier.optionalRepositoryArns, { web: web.outputs.arn });
                assert.ok(!Object.values(tier.imageUris).includes(tier.optionalImageUris.web!), "the tasks' images stay the base repositories'");
            });
        }

        it("with images.build, builds and pushes the web image from assets/images/web and runs its digest", async () => {
            const tier = await runRegistry("staging", { "data-platform:images": { build: true } }, ["web"]);
            const image = inputsOf(named(tier.run, AWSX_IMAGE, "-web-image"));
            assert.strictEqual(image.context, path.join(IMAGES_DIR, OPTIONAL_REPOSITORY_NAMES.web));
            assert.strictEqual(image.repositoryUrl, repositoryUrl(tier.run, "web"));
            assert.strictEqual(image.platform, IMAGE_PLATFORM);
            const url = repositoryUrl(tier.run, "web").replace(/[.]/g, "\\.");
            assert.match(tier.optionalImageUris.web!, new RegExp(`^${url}@sha256:[0-9a-f]{64}$`));
        });
    });

    describe("config", () => {
        it("takes the lifecycle numbers from registry.untaggedExpiryDays and registry.keepTaggedImages", async () => {
            const { run } = await runRegistry("dev", { "data-platform:registry": { untaggedExpiryDays: 3, keepTaggedImages: 25 } });
            const rules = jsonInput(named(run, LIFECYCLE, "-data-jobs-lifecycle"), "policy").rules;
            assert.strictEqual(rules[0].selection.countNumber, 3);
            assert.strictEqual(rules[1].selection.countNumber, 25);
        });

        it("uses images.tag for the image the tasks run", async () => {
            const { run, imageUris } = await runRegistry("prod", { "data-platform:images": { tag: "v1.4.2" } });
            assert.strictEqual(imageUris.sparkApps, `${repositoryUrl(run, "sparkApps")}:v1.4.2`);
        });

        it("refuses an images.tag Docker would refuse, naming the key", () => {
            const raw = editConfig(fixtureStack("dev").config, { "data-platform:images": { tag: "-bad tag" } });
            assert.throws(
                () => parseStackConfig(raw),
                (error: unknown) =>
                    error instanceof ConfigError &&
                    error.problems.some((problem) => problem.key === "data-platform:images.tag" && problem.value === "-bad tag"),
            );
        });

        it("refuses a tag mutability ECR does not know, naming the key", () => {
            const raw = editConfig(fixtureStack("dev").config, { "data-platform:registry": { imageTagMutability: "SOMETIMES" } });
            assert.throws(
                () => parseStackConfig(raw),
                (error: unknown) =>
                    error instanceof ConfigError && error.problems.some((problem) => problem.key === "data-platform:registry.imageTagMutability"),
            );
        });
    });

    describe("images.build: true", () => {
        let tier: TierRun;
        before(async () => {
            tier = await runRegistry("staging", { "data-platform:images": { build: true } });
        });

        it("builds and pushes each repository's image from assets/images/<repository> for linux/amd64", () => {
            const images = ofType(tier.run, AWSX_IMAGE);
            assert.strictEqual(images.length, 3);
            for (const purpose of REPOSITORY_PURPOSES) {
                const image = inputsOf(named(tier.run, AWSX_IMAGE, `-${REPOSITORY_NAMES[purpose]}-image`));
                assert.strictEqual(image.repositoryUrl, repositoryUrl(tier.run, purpose));
                assert.strictEqual(image.context, path.join(IMAGES_DIR, REPOSITORY_NAMES[purpose]));
                assert.strictEqual(image.platform, IMAGE_PLATFORM);
            }
        });

        it("runs the tasks on the pushed digest, not a tag", () => {
            for (const purpose of REPOSITORY_PURPOSES) {
                const url = repositoryUrl(tier.run, purpose).replace(/[.]/g, "\\.");
                assert.match(tier.imageUris[purpose], new RegExp(`^${url}@sha256:[0-9a-f]{64}$`));
            }
            assert.strictEqual(new Set(Object.values(tier.imageUris)).size, 3);
        });
    });

    describe("image sources", () => {
        it("has an image folder for every repository and no other", () => {
            const folders = fs.readdirSync(IMAGES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
            assert.deepStrictEqual(folders.map((entry) => entry.name).sort(), [...IMAGE_FOLDERS].sort());
        });

        for (const suffix of IMAGE_FOLDERS) {
            it(`assets/images/${suffix} has a Dockerfile and a job program reading S3_BUCKET and ENVIRONMENT`, () => {
                const dir = path.join(IMAGES_DIR, suffix);
                const dockerfile = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8");
                assert.match(dockerfile, /^FROM \S+:\S+/m, "base image must be pinned to a tag");
                assert.match(dockerfile, /^USER (?!root\b|0\b)\S+/m, "image must not run as root");
                const programs = fs.readdirSync(dir).filter((file) => file.endsWith(".py") && !file.startsWith("test_"));
                assert.ok(programs.length > 0, "no program");
                const source = programs.map((file) => fs.readFileSync(path.join(dir, file), "utf8")).join("\n");
                assert.match(source, /["']S3_BUCKET["']/);
                assert.match(source, /["']ENVIRONMENT["']/);
                for (const program of programs)
                    assert.match(dockerfile, new RegExp(`COPY .*${program.replace(".", "\\.")}`), `${program} is not copied into the image`);
            });
        }
    });

    describe("image programs", () => {
        // One Python process checks every image folder (a process per folder and check costs more than the checks).
        const DRIVER = [
            "import io, json, os, sys, unittest",
            "results = {}",
            "for folder in sys.argv[1:]:",
            "    files = sorted(f for f in os.listdir(folder) if f.endswith('.py'))",
            "    result = {'compile': 'ok'}",
            "    for name in files:",
            "        try:",
            "            compile(open(os.path.join(folder, name), encoding='utf-8').read(), name, 'exec')",
            "        except SyntaxError as error:",
            "            result['compile'] = f'{name}: {error}'",
            "    tests = [name[:-3] for name in files if name.startswith('test_')]",
            "    if tests:",
            "        before, cwd = set(sys.modules), os.getcwd()",
            "        sys.path.insert(0, folder)",
            "        os.chdir(folder)",
            "        stream = io.StringIO()",
            "        outcome = unittest.TextTestRunner(stream=stream).run(unittest.defaultTestLoader.loadTestsFromNames(tests))",
            "        os.chdir(cwd)",
            "        sys.path.remove(folder)",
            "        for module in set(sys.modules) - before: del sys.modules[module]",
            "        result['tests'] = {'ok': outcome.wasSuccessful(), 'run': outcome.testsRun, 'output': stream.getvalue()}",
            "    results[folder] = result",
            "print(json.dumps(results))",
        ].join("\n");
        type Checked = { compile: string; tests?: { ok: boolean; run: number; output: string } };
        let checked: Record<string, Checked>;
        before(() => {
            const folders = IMAGE_FOLDERS.map((suffix) => path.join(IMAGES_DIR, suffix));
            const result = spawnSync("python3", ["-c", DRIVER, ...folders], {
                encoding: "utf8",
                env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
            });
            assert.strictEqual(result.status, 0, result.stderr);
            // The results are the last line: a program under test may log to stdout (the web server logs its requests).
            const lines = result.stdout.trim().split("\n");
            checked = JSON.parse(lines[lines.length - 1]) as Record<string, Checked>;
        });

        for (const suffix of IMAGE_FOLDERS) {
            const dir = path.join(IMAGES_DIR, suffix);
            it(`assets/images/${suffix}: every Python file compiles`, () => {
                assert.strictEqual(checked[dir].compile, "ok");
            });

            const tests = fs.readdirSync(dir).filter((file) => /^test_.*\.py$/.test(file));
            if (tests.length > 0) {
                it(`assets/images/${suffix}: the program's unit tests pass`, () => {
                    const outcome = checked[dir].tests;
                    assert.ok(outcome, "the unit tests did not run");
                    assert.ok(outcome.ok && outcome.run > 0, outcome.output);
                    assert.match(outcome.output, /^OK$/m);
                });
            }
        }
    });

    describe("in the platform", () => {
        for (const stack of STACKS) {
            const edge = fixtureConfig(stack).edge.enabled;
            it(`${stack}: builds the three repositories${edge ? " and the edge's web repository" : ""}, and exports their URLs and image URIs`, async () => {
                const run = await runStack(stack);
                const tag = fixtureConfig(stack).images.tag;
                const expected = [
                    ...REPOSITORY_PURPOSES.map((purpose) => REPOSITORY_NAMES[purpose]),
                    ...(edge ? [OPTIONAL_REPOSITORY_NAMES.web] : []),
                ];
                assert.deepStrictEqual(
                    ofType(run, REPOSITORY)
                        .map((repository) => inputsOf(repository).name)
                        .sort(),
                    expected.map((suffix) => `${stack}-${suffix}`).sort(),
                );
                const urls = run.stackOutputs.repositoryUrls as Record<string, string>;
                for (const purpose of REPOSITORY_PURPOSES) assert.strictEqual(urls[purpose], repositoryUrl(run, purpose));
                const imageUris = run.stackOutputs.imageUris as Record<string, string>;
                const purposes: (RepositoryPurpose | OptionalRepositoryPurpose)[] = [...REPOSITORY_PURPOSES, ...(edge ? (["web"] as const) : [])];
                assert.deepStrictEqual(Object.keys(imageUris).sort(), [...purposes].sort());
                for (const purpose of purposes) assert.strictEqual(imageUris[purpose], `${repositoryUrl(run, purpose)}:${tag}`);
            });
        }

        it("without the data tasks builds only the web repository, for the edge's service (nothing without a consumer)", async () => {
            const run = await runStackWith("staging", { "data-platform:containers": { dataTasks: false, placement: "private" } });
            const names = ofType(run, REPOSITORY).map((repository) => inputsOf(repository).name);
            assert.deepStrictEqual(names, [`staging-${OPTIONAL_REPOSITORY_NAMES.web}`]);
            assert.deepStrictEqual(Object.keys(run.stackOutputs.imageUris as object), ["web"]);
            assert.deepStrictEqual(Object.keys(run.stackOutputs.repositoryUrls as object), ["web"]);
        });

        it("registry.enabled: false (without the data tasks) builds no repository and exports none", async () => {
            const run = await runStackWith("dev", {
                "data-platform:registry": { enabled: false },
                "data-platform:containers": { enabled: false, dataTasks: false },
            });
            assert.deepStrictEqual(ofType(run, REPOSITORY), []);
            assert.deepStrictEqual(ofType(run, LIFECYCLE), []);
            assert.deepStrictEqual([run.stackOutputs.repositoryUrls, run.stackOutputs.imageUris], [{}, {}]);
        });
    });
});
