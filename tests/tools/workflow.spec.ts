import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { strictestPackConfig } from "../../tools/pulumi-wrapper";
import { ROOT_DIR } from "../../tools/run-program";
import { stackNames } from "../../tools/stack-files";
import { listStacks } from "../../tools/stack-list";
import { findOnPath } from "../../tools/tunnel";

/**
 * The GitHub workflows, parsed: every stack file present is planned in the PR report, every AWS stack file
 * (`data-platform:target` not `local`) is previewed with the policy pack and its pack config (the matrices
 * come from the stack files, and the matrix job's scripts are run here), local stacks never previewed or
 * deployed, the PR report
 * against the base branch as one sticky comment, the SARIF upload per stack, OIDC permissions, pinned action
 * majors, and pushes to main that update dev by themselves and staging and prod only in their environments.
 */

const WORKFLOWS = path.join(ROOT_DIR, ".github", "workflows");

/** The major version of every action the workflows use (checked against each action's releases; see README "CI/CD"). */
const MAJORS: Readonly<Record<string, number>> = {
    "actions/checkout": 7,
    "actions/setup-node": 7,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
    "aws-actions/configure-aws-credentials": 6,
    "github/codeql-action/upload-sarif": 4,
    "marocchino/sticky-pull-request-comment": 3,
    "pulumi/actions": 7,
};

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

interface Job {
    readonly name?: string;
    readonly needs?: string | string[];
    readonly if?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
    readonly environment?: string | { name: string };
    readonly permissions?: Record<string, string>;
    readonly strategy?: { matrix?: Record<string, unknown> };
    readonly outputs?: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly steps?: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
    return YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const stepsUsing = (job: Job, action: string): Step[] => (job.steps ?? []).filter((step) => step.uses?.split("@")[0] === action);
const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);

function onlyStep(job: Job, action: string): Step {
    const steps = stepsUsing(job, action);
    assert.strictEqual(steps.length, 1, `one ${action} step, found ${steps.length}`);
    return steps[0];
}

function stepById(job: Job, id: string): Step {
    const step = (job.steps ?? []).find((candidate) => candidate.id === id);
    assert.ok(step, `a step with id ${id}`);
    return step;
}

const created: string[] = [];
function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    created.push(dir);
    return dir;
}

/** Runs a step's `run` script with bash as GitHub does (`shell: bash`: -eo pipefail), $GITHUB_WORKSPACE the repository. */
function runScript(step: Step, cwd: string, env: Record<string, string> = {}): { status: number | null; stderr: string; output: string } {
    assert.ok(step.run, `${step.name ?? step.id} has a run script`);
    const scratch = tempDir("workflow-step-");
    const output = path.join(scratch, "output");
    fs.writeFileSync(output, "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, GITHUB_WORKSPACE: ROOT_DIR, ...env, GITHUB_OUTPUT: output, RUNNER_TEMP: scratch },
    });
    return { status: result.status, stderr: result.stderr, output: fs.readFileSync(output, "utf8") };
}

/** Runs a step's script, which must succeed; returns what it wrote to $GITHUB_OUTPUT. */
function runStep(step: Step, cwd: string, env: Record<string, string> = {}): Record<string, string> {
    const result = runScript(step, cwd, env);
    assert.strictEqual(result.status, 0, `${step.name ?? step.id}: ${result.stderr}`);
    return Object.fromEntries(
        result.output
            .split("\n")
            .filter((line) => line.includes("="))
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

const AWS_STACKS = listStacks("aws", ROOT_DIR);
const LOCAL_STACKS = listStacks("local", ROOT_DIR);

describe("GitHub workflows (.github/workflows)", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
    const workflows = Object.fromEntries(files.map((file) => [file, readWorkflow(file)]));
    const pr = workflows["preview.yml"];
    const deploy = workflows["deploy.yml"];
    const up = workflows["pulumi-up.yml"];

    after(() => created.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("are preview.yml (pull requests), deploy.yml (pushes to main) and pulumi-up.yml (called by deploy.yml)", () => {
        assert.deepStrictEqual(files.sort(), ["deploy.yml", "preview.yml", "pulumi-up.yml"]);
        assert.deepStrictEqual(Object.keys(pr.on), ["pull_request"]);
        assert.deepStrictEqual(deploy.on, { push: { branches: ["main"] } });
        assert.deepStrictEqual(Object.keys(up.on), ["workflow_call"]);
    });

    describe("pull requests (preview.yml)", () => {
        const stacksJob = pr.jobs.stacks;
        const matrix = "${{ fromJSON(needs.stacks.outputs.stacks) }}";
        const awsMatrix = "${{ fromJSON(needs.stacks.outputs.aws_stacks) }}";

        it("the stack lists are the Pulumi.<stack>.yaml files present, all and the AWS ones: the first job's script, run here", () => {
            const list = stepById(stacksJob, "list");
            assert.strictEqual(stacksJob.outputs?.stacks, "${{ steps.list.outputs.stacks }}");
            assert.strictEqual(stacksJob.outputs?.aws_stacks, "${{ steps.list.outputs.aws_stacks }}");
            assert.ok(LOCAL_STACKS.length > 0 && AWS_STACKS.length > 0, "the repository ships an AWS and a local stack");
            assert.deepStrictEqual([...AWS_STACKS, ...LOCAL_STACKS].sort(), stackNames().sort());
            const here = runStep(list, ROOT_DIR);
            assert.deepStrictEqual(JSON.parse(here.stacks).sort(), stackNames().sort());
            assert.deepStrictEqual(JSON.parse(here.aws_stacks).sort(), AWS_STACKS);
            for (const stack of LOCAL_STACKS) assert.ok(!JSON.parse(here.aws_stacks).includes(stack), `${stack} is not an AWS stack`);
            // A stack a team adds is in the matrices without touching the workflow, by its target (aws unless `local`).
            const root = tempDir("workflow-stacks-");
            fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: data-platform\nruntime: nodejs\n");
            const files: Record<string, string> = {
                "Pulumi.qa.yaml": "config: {}\n",
                "Pulumi.ci.yaml": "config:\n  data-platform:target: aws\n",
                "Pulumi.laptop.yaml": "config:\n  data-platform:target: local\n",
                "Pulumi.laptop2.yaml": "config:\n  target: local\n",
            };
            for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, file), text);
            const there = runStep(list, root);
            assert.deepStrictEqual(JSON.parse(there.stacks), ["ci", "laptop", "laptop2", "qa"]);
            assert.deepStrictEqual(JSON.parse(there.aws_stacks), ["ci", "qa"]);
            // No stack file at all is an error, not an empty matrix.
            const empty = tempDir("workflow-no-stacks-");
            fs.writeFileSync(path.join(empty, "Pulumi.yaml"), "name: data-platform\n");
            assert.notStrictEqual(runScript(list, empty).status, 0);
        });

        it("runs the offline checks (.ci/run)", () => {
            const runs = (pr.jobs.offline.steps ?? []).map((step) => step.run ?? "");
            assert.ok(
                runs.some((run) => /\bbash \.ci\/run\b/.test(run)),
                runs.join("\n"),
            );
        });

        it("previews every AWS stack (and no local one) with pulumi/actions, the pack and the stack's pack config, after the offline checks", () => {
            const preview = pr.jobs.preview;
            assert.deepStrictEqual(needsOf(preview).sort(), ["offline", "stacks"]);
            assert.strictEqual(preview.strategy?.matrix?.stack, awsMatrix);
            assert.match(preview.if ?? "", /needs\.stacks\.outputs\.aws_stacks != '\[\]'/, "no AWS stack: no preview (an empty matrix fails)");
            const packConfig = stepById(preview, "pack-config");
            assert.strictEqual(packConfig.env?.STACK, "${{ matrix.stack }}");
            assert.match(packConfig.run ?? "", /tools\/pulumi-wrapper\.ts pack-config --stack "\$STACK"/);
            const pulumi = onlyStep(preview, "pulumi/actions");
            assert.deepStrictEqual(
                {
                    command: pulumi.with?.command,
                    "stack-name": pulumi.with?.["stack-name"],
                    policyPacks: pulumi.with?.policyPacks,
                    policyPackConfigs: pulumi.with?.policyPackConfigs,
                    "comment-on-pr": pulumi.with?.["comment-on-pr"],
                },
                {
                    command: "preview",
                    "stack-name": "${{ matrix.stack }}",
                    policyPacks: "policy-pack",
                    policyPackConfigs: "${{ steps.pack-config.outputs.file }}",
                    "comment-on-pr": true,
                },
            );
            const steps = preview.steps ?? [];
            assert.ok(steps.indexOf(packConfig) < steps.indexOf(pulumi), "the pack config is chosen before the preview");
        });

        it("each AWS stack present gets its own pack config, or the strictest levels: the pack-config step, run here", () => {
            const packConfig = stepById(pr.jobs.preview, "pack-config");
            for (const stack of AWS_STACKS) {
                const { file } = runStep(packConfig, ROOT_DIR, { STACK: stack });
                if (fs.existsSync(path.join(ROOT_DIR, "policy-pack", "config", `${stack}.json`))) {
                    assert.strictEqual(file, `policy-pack/config/${stack}.json`);
                } else {
                    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")), strictestPackConfig(), `${stack}: the strictest levels`);
                }
            }
        });

        it("assumes the preview role by OIDC (id-token: write) before the preview", () => {
            const preview = pr.jobs.preview;
            assert.strictEqual(preview.permissions?.["id-token"], "write");
            const aws = onlyStep(preview, "aws-actions/configure-aws-credentials");
            assert.strictEqual(aws.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
            assert.ok(aws.with?.["aws-region"]);
            const steps = preview.steps ?? [];
            assert.ok(steps.indexOf(aws) < steps.indexOf(onlyStep(preview, "pulumi/actions")));
        });

        it("plans every stack, local ones too, against the base branch's plan in a second worktree, with --base, --markdown and --sarif", () => {
            const report = pr.jobs.report;
            assert.strictEqual(report.strategy?.matrix?.stack, matrix);
            const comment = Object.values(pr.jobs).find((job) => stepsUsing(job, "marocchino/sticky-pull-request-comment").length > 0);
            const stacksEnv = (comment?.steps ?? []).map((step) => step.env?.STACKS).find(Boolean);
            assert.strictEqual(stacksEnv, "${{ join(fromJSON(needs.stacks.outputs.stacks), ' ') }}", "the comment reports every stack");
            const scripts = (report.steps ?? []).map((step) => step.run ?? "").join("\n");
            assert.match(scripts, /git worktree add --detach "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
            assert.strictEqual(report.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
            assert.match(scripts, /cd "\$RUNNER_TEMP\/base" && npm run --silent plan -- --stack "\$STACK" --json "\$base"/);
            assert.match(scripts, /npm run --silent plan -- --stack "\$STACK" --base "\$BASE_PLAN" --markdown "out\/\$STACK\.md"/);
            assert.match(scripts, /--sarif "out\/\$STACK\.sarif"/);
        });

        it("uploads each stack's SARIF to code scanning, one category per stack (security-events: write)", () => {
            const report = pr.jobs.report;
            assert.strictEqual(report.permissions?.["security-events"], "write");
            const upload = onlyStep(report, "github/codeql-action/upload-sarif");
            assert.strictEqual(upload.with?.sarif_file, "out/${{ matrix.stack }}.sarif");
            assert.match(String(upload.with?.category), /\$\{\{ matrix\.stack \}\}/);
        });

        it("posts the reports of every stack as ONE sticky comment", () => {
            const sticky = Object.entries(pr.jobs).flatMap(([name, job]) =>
                stepsUsing(job, "marocchino/sticky-pull-request-comment").map((step) => ({ name, step })),
            );
            assert.strictEqual(sticky.length, 1, "one sticky comment step in the workflow");
            const [{ name, step }] = sticky;
            const job = pr.jobs[name];
            assert.ok(!job.strategy, "the comment job is not a matrix (one comment, not one per stack)");
            assert.ok(needsOf(job).includes("report"));
            assert.strictEqual(job.permissions?.["pull-requests"], "write");
            assert.ok(step.with?.header, "a header marks the comment it updates");
            assert.strictEqual(step.with?.path, "report.md");
            const scripts = (job.steps ?? []).map((candidate) => candidate.run ?? "").join("\n");
            assert.match(scripts, /for stack in \$STACKS/);
            assert.match(scripts, /> report\.md/);
        });
    });

    describe("pushes to main (deploy.yml, pulumi-up.yml)", () => {
        const callers = Object.entries(deploy.jobs).filter(([, job]) => job.uses === "./.github/workflows/pulumi-up.yml");
        const upJob = up.jobs.up;

        it("update dev, then staging, then prod, after the offline checks", () => {
            const order = Object.fromEntries(callers.map(([name, job]) => [String(job.with?.stack), { name, needs: needsOf(job) }]));
            assert.deepStrictEqual(Object.keys(order).sort(), ["dev", "prod", "staging"]);
            assert.deepStrictEqual(order.dev.needs, ["offline"]);
            assert.deepStrictEqual(order.staging.needs, [order.dev.name]);
            assert.deepStrictEqual(order.prod.needs, [order.staging.name]);
            assert.ok((deploy.jobs.offline.steps ?? []).some((step) => /\bbash \.ci\/run\b/.test(step.run ?? "")));
            for (const stack of Object.keys(order)) assert.ok(AWS_STACKS.includes(stack), `Pulumi.${stack}.yaml exists and is an AWS stack`);
            for (const stack of LOCAL_STACKS) assert.ok(!(stack in order), `${stack} (local) is not deployed`);
        });

        it("refuse a local stack before any credentials: the target step, run here", () => {
            const steps = upJob.steps ?? [];
            const target = stepById(upJob, "target");
            assert.strictEqual(target.env?.STACK, "${{ inputs.stack }}");
            assert.ok(steps.indexOf(target) < steps.indexOf(onlyStep(upJob, "aws-actions/configure-aws-credentials")));
            assert.ok(steps.indexOf(target) < steps.indexOf(onlyStep(upJob, "pulumi/actions")));
            for (const stack of AWS_STACKS) assert.strictEqual(runScript(target, ROOT_DIR, { STACK: stack }).status, 0, stack);
            for (const stack of [...LOCAL_STACKS, "no-such-stack"]) {
                const result = runScript(target, ROOT_DIR, { STACK: stack });
                assert.notStrictEqual(result.status, 0, `${stack} is refused`);
            }
        });

        it("every update runs in the environment named after its stack (staging and prod: required reviewers)", () => {
            assert.strictEqual(environmentOf(upJob), "${{ inputs.stack }}");
            assert.strictEqual(upJob.concurrency?.["cancel-in-progress"], false);
        });

        it("`pulumi up` runs only there, with the pack and the stack's pack config", () => {
            const updates = Object.entries(workflows).flatMap(([file, workflow]) =>
                Object.entries(workflow.jobs).flatMap(([name, job]) =>
                    stepsUsing(job, "pulumi/actions")
                        .filter((step) => step.with?.command !== "preview")
                        .map(() => `${file}:${name}`),
                ),
            );
            assert.deepStrictEqual(updates, ["pulumi-up.yml:up"]);
            const pulumi = onlyStep(upJob, "pulumi/actions");
            assert.strictEqual(pulumi.with?.command, "up");
            assert.strictEqual(pulumi.with?.["stack-name"], "${{ inputs.stack }}");
            assert.strictEqual(pulumi.with?.policyPacks, "policy-pack");
            assert.strictEqual(pulumi.with?.policyPackConfigs, "${{ steps.pack-config.outputs.file }}");
            assert.match(stepById(upJob, "pack-config").run ?? "", /tools\/pulumi-wrapper\.ts pack-config --stack "\$STACK"/);
            assert.strictEqual(stepById(upJob, "pack-config").env?.STACK, "${{ inputs.stack }}");
        });

        it("assume the environment's deployer role by OIDC (id-token: write, granted by the caller too)", () => {
            assert.strictEqual(upJob.permissions?.["id-token"], "write");
            assert.strictEqual(onlyStep(upJob, "aws-actions/configure-aws-credentials").with?.["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
            for (const [name, job] of callers) assert.strictEqual(job.permissions?.["id-token"], "write", name);
        });
    });

    it("grant id-token: write only to the jobs that assume a role, never workflow-wide", () => {
        for (const [file, workflow] of Object.entries(workflows)) {
            assert.notStrictEqual(workflow.permissions?.["id-token"], "write", file);
            for (const [name, job] of Object.entries(workflow.jobs)) {
                const assumes = stepsUsing(job, "aws-actions/configure-aws-credentials").length > 0;
                const calls = job.uses === "./.github/workflows/pulumi-up.yml";
                assert.strictEqual(job.permissions?.["id-token"] === "write", assumes || calls, `${file}:${name}`);
            }
        }
    });

    it("pin every action to its current major version", () => {
        const used = new Set<string>();
        for (const [file, workflow] of Object.entries(workflows)) {
            for (const [name, job] of Object.entries(workflow.jobs)) {
                if (job.uses) assert.match(job.uses, /^\.\/\.github\/workflows\/[\w-]+\.yml$/, `${file}:${name}`);
                for (const step of job.steps ?? []) {
                    if (!step.uses) continue;
                    const match = /^([\w.-]+\/[\w.-]+(?:\/[\w.-]+)*)@v(\d+)$/.exec(step.uses);
                    assert.ok(match, `${file}:${name}: ${step.uses} is pinned to a major version tag (@vN)`);
                    assert.ok(match[1] in MAJORS, `${file}:${name}: ${match[1]} has no expected major in this test`);
                    assert.strictEqual(Number(match[2]), MAJORS[match[1]], `${file}:${name}: ${step.uses}`);
                    used.add(match[1]);
                }
            }
        }
        assert.deepStrictEqual([...used].sort(), Object.keys(MAJORS).sort());
    });

    it("every run script passes shellcheck (expressions stand in as variables)", function () {
        if (!findOnPath("shellcheck")) this.skip();
        const scratch = tempDir("workflow-shellcheck-");
        const scripts: string[] = [];
        for (const [file, workflow] of Object.entries(workflows)) {
            for (const [name, job] of Object.entries(workflow.jobs)) {
                (job.steps ?? []).forEach((step, index) => {
                    if (!step.run) return;
                    const script = path.join(scratch, `${file}-${name}-${index}.sh`);
                    const body = step.run.replace(/\$\{\{[^}]*\}\}/g, "${GITHUB_EXPRESSION}");
                    fs.writeFileSync(script, `#!/usr/bin/env bash\nset -eo pipefail\nexport GITHUB_EXPRESSION=x\n${body}`);
                    scripts.push(script);
                });
            }
        }
        const result = spawnSync("shellcheck", ["-s", "bash", ...scripts], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });
});
