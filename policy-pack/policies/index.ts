import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { networkPolicies } from "./network";
import { operationsPolicies } from "./operations";
import { publicAccessPolicies } from "./public-access";
import { PackPolicy, PackResourcePolicy, PackStackPolicy, isResourcePolicy } from "./rules";

/**
 * Every policy of the pack, grouped by concern. Importing this module never
 * starts a policy pack: `policy-pack/index.ts` is the only place that does.
 */
export { encryptionPolicies, iamPolicies, networkPolicies, operationsPolicies, publicAccessPolicies };
export type { PackPolicy, PackResourcePolicy, PackStackPolicy };

export const allPolicies: readonly PackPolicy[] = [
    ...encryptionPolicies,
    ...networkPolicies,
    ...publicAccessPolicies,
    ...iamPolicies,
    ...operationsPolicies,
];

export const resourcePolicies: readonly PackResourcePolicy[] = allPolicies.filter(isResourcePolicy);
export const stackPolicies: readonly PackStackPolicy[] = allPolicies.filter((policy): policy is PackStackPolicy => !isResourcePolicy(policy));

export const PACK_NAME = "data-platform-policies";
