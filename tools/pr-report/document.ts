import * as fs from "fs";
import { PlanDocument } from "../deployment";

/** A file that is not a plan document (DESIGN.md interface 1); the message names the file and what is wrong. */
export class PlanDocumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanDocumentError";
    }
}

const HOW = "write one with `npm run plan -- --stack S --json FILE`";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks that `value` has the shape of a plan document; returns what is wrong, or undefined. */
export function planDocumentProblem(value: unknown): string | undefined {
    if (!isRecord(value)) return "not a JSON object";
    if (typeof value.stack !== "string") return 'no "stack" string';
    if (typeof value.project !== "string") return 'no "project" string';
    if (!isRecord(value.deployment) || !Array.isArray(value.deployment.resources)) return 'no "deployment.resources" array';
    const resources = value.deployment.resources as unknown[];
    for (let i = 0; i < resources.length; i++) {
        const resource = resources[i];
        if (!isRecord(resource) || typeof resource.urn !== "string" || typeof resource.type !== "string") {
            return `deployment.resources[${i}] has no "urn" and "type" strings`;
        }
    }
    if (!Array.isArray(value.violations)) return 'no "violations" array';
    if (!isRecord(value.cost) || !Array.isArray(value.cost.items)) return 'no "cost.items" array';
    return undefined;
}

/** Parses the text of a plan document; throws PlanDocumentError naming `file`. */
export function parsePlanDocument(text: string, file: string): PlanDocument {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new PlanDocumentError(`${file} is not a plan document: not JSON (${(error as Error).message.split("\n")[0]}); ${HOW}`);
    }
    const problem = planDocumentProblem(value);
    if (problem) throw new PlanDocumentError(`${file} is not a plan document: ${problem}; ${HOW}`);
    return normalise(value as PlanDocument);
}

/** Reads a plan document from `file`; throws PlanDocumentError naming the file. */
export function readPlanDocument(file: string): PlanDocument {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new PlanDocumentError(`${file}: no such file; ${HOW}`);
    if (!stat.isFile()) throw new PlanDocumentError(`${file} is not a file; expected a plan document (${HOW})`);
    return parsePlanDocument(fs.readFileSync(file, "utf8"), file);
}

/** Fills in what older or hand-written documents may leave out (inputs, dependencies), so the diff can rely on them. */
function normalise(document: PlanDocument): PlanDocument {
    return {
        ...document,
        deployment: {
            resources: document.deployment.resources.map((resource) => ({
                ...resource,
                custom: resource.custom !== false,
                inputs: isRecord(resource.inputs) ? resource.inputs : {},
                outputs: isRecord(resource.outputs) ? resource.outputs : {},
                dependencies: Array.isArray(resource.dependencies) ? resource.dependencies.filter((urn) => typeof urn === "string") : [],
            })),
        },
    };
}
