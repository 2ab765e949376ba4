import { z } from "zod";
import { budgetSchema, environmentSchema } from "../config/schema";

/**
 * The switch: `data-platform:target: local` in a stack file makes index.ts build LocalMonitoring (the
 * monitoring tier's services as containers on this machine's Docker engine) instead of the Platform.
 * Every other stack is an AWS stack (`target: aws`, the default) and keeps its schema, components/config/.
 */
export const LOCAL_TARGET = "local";

/** Where a local stack's resources are, in the offline tools' place of an AWS region ("not priced for local Docker"). */
export const LOCAL_DOCKER = "local Docker";

/** The keys a local stack takes: no network, no region, no AWS account. */
export const localStackConfigSchema = z.strictObject({
    target: z.literal(LOCAL_TARGET).describe("`local`: run the monitoring services on the local Docker engine"),
    environment: environmentSchema.describe("prefix of every container, volume and network name ([a-z0-9-], 1–20)"),
    budget: budgetSchema.prefault({}),
});

export type LocalStackConfig = z.infer<typeof localStackConfigSchema>;
