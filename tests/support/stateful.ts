import * as path from "path";
import { ProgramRun } from "../../tools/run-program";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * Types whose replacement loses data or breaks what depends on their identity: Pulumi replaces a
 * resource whose URN changes (a renamed component type or logical name), so these must keep theirs.
 */
export const STATEFUL_TYPES = [
    TYPE.ec2Vpc,
    TYPE.ec2Subnet,
    TYPE.s3Bucket,
    TYPE.kmsKey,
    TYPE.ecrRepository,
    TYPE.secretsmanagerSecret,
    TYPE.glueCatalogDatabase,
    TYPE.ecsCluster,
    TYPE.ec2Instance,
    TYPE.cloudwatchLogGroup,
    // The bucket suffix and the generated passwords: a new one renames every bucket or rotates every secret.
    TYPE.randomId,
    TYPE.randomPassword,
] as const;

/** Fixture stacks (`tests/fixtures/stacks`): the tier tests run these, never the stack files users edit. */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "..", "fixtures", "stacks");
export const FIXTURE_STACKS = ["dev", "staging", "prod"] as const;

/** The recorded URNs of the stateful resources of each fixture stack. */
export const STATEFUL_URNS_FILE = path.join(FIXTURE_STACKS_DIR, "stateful-urns.json");

export function statefulUrns(run: ProgramRun): string[] {
    const types: readonly string[] = STATEFUL_TYPES;
    return run.resources
        .filter((resource) => types.includes(resource.type))
        .map((resource) => resource.urn)
        .sort();
}
