import { databasePolicies } from "./database";
import { cachePolicies } from "./cache";
import { streamingPolicies } from "./streaming";
import { kubernetesPolicies } from "./kubernetes";
import { edgePolicies } from "./edge";
import { auditPolicies } from "./audit";
import { computePolicies } from "./compute";
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
export { auditPolicies, cachePolicies, computePolicies, databasePolicies, edgePolicies, kubernetesPolicies, streamingPolicies };
export type { PackPolicy, PackResourcePolicy, PackStackPolicy };

export const allPolicies: readonly PackPolicy[] = [
    ...encryptionPolicies,
    ...networkPolicies,
    ...publicAccessPolicies,
    ...iamPolicies,
    ...operationsPolicies,
    ...databasePolicies,
    ...cachePolicies,
    ...streamingPolicies,
    ...kubernetesPolicies,
    ...edgePolicies,
    ...auditPolicies,
    ...computePolicies,
];

export const resourcePolicies: readonly PackResourcePolicy[] = allPolicies.filter(isResourcePolicy);
export const stackPolicies: readonly PackStackPolicy[] = allPolicies.filter((policy): policy is PackStackPolicy => !isResourcePolicy(policy));

export const PACK_NAME = "data-platform-policies";
