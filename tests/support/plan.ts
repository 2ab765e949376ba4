import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeploymentResource } from "../../tools/deployment";
import { PlanIo, PlanResult, buildPlan } from "../../tools/plan";
import { ROOT_DIR } from "../../tools/run-program";
import { FIXTURE_STACKS_DIR } from "./stateful";
import { replaceOnce } from "./helpers";

/**
 * The offline plan (`tools/plan.ts`) built in-process, as `npm run plan` builds it but without
 * a new Node process (which costs more than the plan of a stack).
 */

/** Captures what `main(argv, io)` prints. */
export function captureIo(): PlanIo & { readonly stdout: () => string; readonly stderr: () => string } {
    const out: string[] = [];
    const err: string[] = [];
    return { out: (text) => out.push(text), err: (text) => err.push(text), stdout: () => out.join("\n"), stderr: () => err.join("\n") };
}

const shippedPlans = new Map<string, Promise<PlanResult>>();

/** The plan of a stack file at the repository root (the files users edit), judged by its own pack config (cached). */
export function planShippedStack(stack: string): Promise<PlanResult> {
    let result = shippedPlans.get(stack);
    if (!result) {
        result = buildPlan({ stack, root: ROOT_DIR });
        shippedPlans.set(stack, result);
    }
    return result;
}

/**
 * A temporary project folder holding the fixture `Pulumi.yaml` and the fixture stack file of `stack`
 * with `edits` applied, each a text substitution that must apply exactly once (see `replaceOnce`).
 * Returns the folder (for `readStackFile(stack, dir)` / `runStackFile(stack, dir)`).
 */
export function editedFixtureDir(stack: string, edits: readonly (readonly [string, string])[], append = ""): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    fs.copyFileSync(path.join(FIXTURE_STACKS_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    let text = fs.readFileSync(path.join(FIXTURE_STACKS_DIR, `Pulumi.${stack}.yaml`), "utf8");
    for (const [search, replacement] of edits) text = replaceOnce(text, search, replacement);
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text + append);
    return dir;
}

/** The resources of a plan document (or a run made into one) of one type. */
export function resourcesOfType(resources: readonly DeploymentResource[], type: string): DeploymentResource[] {
    return resources.filter((resource) => resource.type === type);
}
