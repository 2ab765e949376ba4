/**
 * The stack config: the tiers' zod sections composed into one schema (`schema.ts`), the checks that
 * span sections (`checks.ts`), loading (`load.ts`) and the error that names every bad key (`errors.ts`).
 */
export { CONFIG_NAMESPACE } from "./namespace";
export { ConfigError, ConfigProblem } from "./errors";
export { AnyStackConfig, isLocalConfig, isLocalTarget, loadAnyStackConfig, loadStackConfig, parseAnyStackConfig, parseStackConfig } from "./load";
export { StackConfig, stackConfigSchema } from "./schema";
