import { z } from "zod";

/** Glue versions for the Spark job (https://docs.aws.amazon.com/glue/latest/dg/release-notes.html); 5.1 is current. */
export const GLUE_VERSIONS = ["4.0", "5.0", "5.1"] as const;
/** Spark worker types (1, 2, 4, 8 DPU per worker). */
export const GLUE_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X"] as const;
/**
 * Execution classes of a Spark job. FLEX runs on spare capacity at a lower DPU-hour price; start
 * and run times may vary. Glue supports it for glueetl jobs on Glue 3.0 or later with G.1X or G.2X
 * workers (Glue developer guide, "Configuring job properties for Spark jobs": Flex execution class),
 * never for Python shell jobs.
 */
export const EXECUTION_CLASSES = ["FLEX", "STANDARD"] as const;
export type ExecutionClass = (typeof EXECUTION_CLASSES)[number];
/** Worker types Flex runs on. */
export const FLEX_WORKER_TYPES: readonly string[] = ["G.1X", "G.2X"];
/** Glue versions Flex runs on (every Spark version this program accepts is 3.0 or later). */
export const FLEX_GLUE_VERSIONS: readonly string[] = ["3.0", "4.0", "5.0", "5.1"];
/** Python shell jobs run on 1/16 or 1 DPU, nothing else. */
export const PYTHON_SHELL_CAPACITIES = [0.0625, 1] as const;
/** Glue caps batch job timeouts at 7 days. */
const glueTimeout = z.number().int().min(1).max(10080, "Glue job timeouts are 1–10080 minutes (7 days)");

/** `data-platform:etl`: the Glue jobs' sizes and timeouts. */
export const etlSchema = z
    .strictObject({
        enabled: z.boolean().default(true).describe("build the Glue catalog, crawlers, jobs and workflow (needs dataLake.enabled)"),
        glueVersion: z.enum(GLUE_VERSIONS).default("5.1").describe("Glue version of the Spark job"),
        processingWorkerType: z.enum(GLUE_WORKER_TYPES).default("G.1X").describe("worker type of the data-processing job"),
        processingWorkers: z
            .number()
            .int()
            .min(2, "Glue Spark jobs need at least 2 workers")
            .default(2)
            .describe("workers of the data-processing job (minimum 2: one driver, one executor)"),
        processingTimeoutMinutes: glueTimeout.default(60).describe("data-processing job timeout"),
        processingExecutionClass: z
            .enum(EXECUTION_CLASSES)
            .default("FLEX")
            .describe("execution class of the data-processing job: FLEX (spare capacity, cheaper, start time varies; G.1X/G.2X only) or STANDARD"),
        qualityMaxCapacity: z
            .number()
            .refine((dpu) => (PYTHON_SHELL_CAPACITIES as readonly number[]).includes(dpu), {
                message: `Python shell jobs run on ${PYTHON_SHELL_CAPACITIES.join(" or ")} DPU`,
            })
            .default(1)
            .describe("DPUs of the data-quality Python shell job (0.0625 or 1)"),
        qualityTimeoutMinutes: glueTimeout.default(30).describe("data-quality job timeout"),
    })
    .superRefine((etl, ctx) => {
        for (const problem of flexProblems(etl)) ctx.addIssue({ code: "custom", ...problem });
    });

/** Glue refuses FLEX outside the worker types and versions it supports. */
export function flexProblems(etl: {
    readonly processingExecutionClass: ExecutionClass;
    readonly processingWorkerType: string;
    readonly glueVersion: string;
}): { path: string[]; message: string }[] {
    if (etl.processingExecutionClass !== "FLEX") return [];
    const problems: { path: string[]; message: string }[] = [];
    if (!FLEX_WORKER_TYPES.includes(etl.processingWorkerType)) {
        problems.push({
            path: ["processingExecutionClass"],
            message: `Glue runs FLEX only on ${FLEX_WORKER_TYPES.join(" or ")} workers (processingWorkerType is ${etl.processingWorkerType}): set processingExecutionClass: STANDARD or a smaller worker type`,
        });
    }
    if (!FLEX_GLUE_VERSIONS.includes(etl.glueVersion)) {
        problems.push({
            path: ["processingExecutionClass"],
            message: `Glue runs FLEX only on Glue 3.0 or later (glueVersion is ${etl.glueVersion})`,
        });
    }
    return problems;
}

export type EtlConfig = z.infer<typeof etlSchema>;
