import { z } from "zod";
import { cacheSchema } from "../cache/config";
import { containersSchema } from "../containers/config";
import { databaseSchema } from "../database/config";
import { dataLakeSchema } from "../data-lake/config";
import { encryptionSchema } from "../encryption/config";
import { etlSchema } from "../etl/config";
import { accessSchema } from "../firewall/config";
import { kubernetesSchema } from "../kubernetes/config";
import { monitoringSchema } from "../monitoring/config";
import { networkSchema } from "../network/config";
import { imagesSchema, registrySchema } from "../registry/config";
import { auditSchema } from "../audit/config";
import { edgeSchema } from "../edge/config";
import { eksSchema } from "../kubernetes/config";
import { secretsSchema } from "../secrets/config";
import { streamingSchema } from "../streaming/config";
import { hostsSchema } from "../shared/host/config";
import { crossTierChecks } from "./checks";

/** `data-platform:budget`: read by the offline plan's cost estimate, not by the program (both targets). */
export const budgetSchema = z.strictObject({
    monthlyUsd: z
        .number()
        .positive()
        .optional()
        .describe(
            "monthly budget (USD): the plan's cost estimate compares with it, and with audit.budget it is the AWS Budgets limit; unset: no budget check (required with audit.budget)",
        ),
    enforce: z.boolean().default(false).describe("fail the plan (exit 2) when the estimate is over budget"),
});

/** `data-platform:environment` (both targets). */
export const environmentSchema = z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/, "must be 1–20 characters of a-z, 0-9 and -")
    .describe("environment name, prefix of every physical name ([a-z0-9-], 1–20)");

/**
 * `data-platform:target` of an AWS stack. `local` never reaches this schema: load.ts parses a local
 * stack with components/local/config.ts instead, so any other value is refused here.
 */
const targetSchema = z
    .literal("aws", {
        error: "one of aws (the default: the platform in the AWS account) or local (the monitoring services on this machine's Docker engine)",
    })
    .default("aws")
    .describe(
        "`aws` builds the platform in the AWS account; `local` runs the monitoring services on the local Docker engine instead and takes only `target`, `environment` and `budget` (components/local/config.ts)",
    );

/**
 * The stack config: every key a stack sets under `data-platform:` (plus `aws:region`), composed of the
 * tiers' sections. Parsed once, before any resource is registered.
 */
export const stackConfigSchema = z
    .strictObject({
        region: z.string().describe("AWS region (one of the regions in components/shared/regions.ts)"),
        environment: environmentSchema,
        protect: z
            .boolean()
            .default(false)
            .describe("protect stateful resources (buckets, secrets, keys) from deletion: `protect` + `retainOnDelete`"),
        network: networkSchema,
        access: accessSchema.prefault({}),
        encryption: encryptionSchema.prefault({}),
        dataLake: dataLakeSchema.prefault({}),
        secrets: secretsSchema.prefault({}),
        etl: etlSchema.prefault({}),
        registry: registrySchema.prefault({}),
        images: imagesSchema.prefault({}),
        containers: containersSchema.prefault({}),
        database: databaseSchema.prefault({}),
        cache: cacheSchema.prefault({}),
        streaming: streamingSchema.prefault({}),
        kubernetes: kubernetesSchema,
        // Optional, not prefaulted: it has a required key (the admin role), and only `kubernetes: eks` reads it.
        eks: eksSchema.optional(),
        edge: edgeSchema.prefault({}),
        audit: auditSchema.prefault({}),
        monitoring: monitoringSchema,
        hosts: hostsSchema.prefault({}),
        budget: budgetSchema.prefault({}),
        target: targetSchema,
    })
    .superRefine(crossTierChecks);

export type StackConfig = z.infer<typeof stackConfigSchema>;
