import { TYPE } from "../policy-pack/policies/types";

/**
 * Types whose replacement loses data or breaks what depends on their identity: Pulumi replaces a
 * resource whose URN changes (a renamed component type or logical name), so these must keep theirs.
 * The tests (tests/support/stateful.ts) and the PR report (tools/pr-report/) read this one list.
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
    // The data stores and the cluster: a replacement is a new, empty database, cache, Kafka cluster or topic.
    TYPE.rdsInstance,
    TYPE.elasticacheReplicationGroup,
    TYPE.mskCluster,
    TYPE.mskTopic,
    TYPE.eksCluster,
    // The bucket suffix and the generated passwords: a new one renames every bucket or rotates every secret.
    TYPE.randomId,
    TYPE.randomPassword,
] as const;

const STATEFUL: ReadonlySet<string> = new Set(STATEFUL_TYPES);

/** Whether a resource of `type` holds data or an identity that a replacement would lose. */
export function isStatefulType(type: string): boolean {
    return STATEFUL.has(type);
}
