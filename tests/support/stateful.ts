import * as path from "path";
import { ProgramRun } from "../../tools/run-program";

/**
 * Types whose replacement loses data or breaks what depends on their identity: Pulumi replaces a
 * resource whose URN changes (a renamed component type or logical name), so these must keep theirs.
 */
export const STATEFUL_TYPES = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:ecr/repository:Repository",
    "aws:secretsmanager/secret:Secret",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:ecs/cluster:Cluster",
    "aws:ec2/instance:Instance",
    "aws:cloudwatch/logGroup:LogGroup",
    // The bucket suffix and the generated passwords: a new one renames every bucket or rotates every secret.
    "random:index/randomId:RandomId",
    "random:index/randomPassword:RandomPassword",
] as const;

/** Fixture stacks (`tests/fixtures/stacks`): the tier tests run these, never the stack files users edit. */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "..", "fixtures", "stacks");
export const FIXTURE_STACKS = ["dev", "staging", "prod"] as const;

/** The recorded URNs of the stateful resources of each fixture stack. */
export const STATEFUL_URNS_FILE = path.join(FIXTURE_STACKS_DIR, "stateful-urns.json");

export function statefulUrns(run: ProgramRun): string[] {
    const types: readonly string[] = STATEFUL_TYPES;
    return run.resources.filter((resource) => types.includes(resource.type)).map((resource) => resource.urn).sort();
}
