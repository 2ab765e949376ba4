import { DeploymentResource } from "../deployment";
import { ResourceIndex, displayName, input, listInput, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { Builder, nodeId } from "./builder";
import { Links } from "./links";
import { clusterCapacity } from "./workloads";

/**
 * The data flow: S3 buckets with their zones and features, Glue crawlers and jobs, the catalog, and the ECS
 * clusters and task definitions that read them (from crawler targets, job arguments and task-role policies).
 */

const T = {
    bucket: TYPE.s3Bucket,
    bucketV2: TYPE.s3BucketV2,
    lifecycle: TYPE.s3BucketLifecycleConfiguration,
    crawler: TYPE.glueCrawler,
    job: TYPE.glueJob,
    catalog: TYPE.glueCatalogDatabase,
    repository: TYPE.ecrRepository,
    rolePolicy: TYPE.iamRolePolicy,
    cluster: TYPE.ecsCluster,
    taskDefinition: TYPE.ecsTaskDefinition,
} as const;

/** Bucket sub-resources, folded into their bucket's node as one-word features. */
export const BUCKET_FEATURES: Readonly<Record<string, (resource: DeploymentResource) => string | undefined>> = {
    [TYPE.s3BucketVersioning]: (r) => (stringInput(r, "versioningConfiguration.status") === "Enabled" ? "versioned" : undefined),
    [TYPE.s3BucketServerSideEncryptionConfiguration]: (r) =>
        `SSE ${stringInput(r, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm") ?? ""}`.trim(),
    [TYPE.s3BucketPublicAccessBlock]: () => "public access blocked",
    [TYPE.s3BucketPolicy]: () => "bucket policy",
    [TYPE.s3BucketLogging]: () => "access-logged",
    [TYPE.s3BucketLifecycleConfiguration]: () => "lifecycle",
    [TYPE.s3BucketOwnershipControls]: () => undefined,
    [TYPE.s3BucketObjectv2]: () => undefined,
};

// ---------------------------------------------------------------------------
// Data flow: S3 zones → crawlers/jobs → catalog → ECS
// ---------------------------------------------------------------------------

function bucketName(bucket: DeploymentResource): string | undefined {
    return stringInput(bucket, "bucket") ?? (typeof bucket.outputs.bucket === "string" ? bucket.outputs.bucket : undefined);
}

/** `s3://bucket/zone/...` → [bucket, zone]. */
function s3Parts(path: string): [string, string] | undefined {
    const match = /^s3:\/\/([^/]+)\/?([^/]*)/.exec(path);
    return match ? [match[1], match[2]] : undefined;
}

export function buildDataFlow(builder: Builder, links: Links): void {
    const { index } = links;
    const buckets = [...index.ofType(T.bucket), ...index.ofType(T.bucketV2)];
    const byName = new Map<string, DeploymentResource>();
    for (const bucket of buckets) {
        const name = bucketName(bucket);
        if (name) byName.set(name, bucket);
    }
    const crawlers = index.ofType(T.crawler);
    const zones = new Map<string, Set<string>>(); // bucket urn → zones
    const addZone = (bucket: DeploymentResource, zone: string) => {
        const top = zone.split("/")[0]; // zones are top-level prefixes; raw/events/ is inside raw/
        if (top) zones.set(bucket.urn, new Set([...(zones.get(bucket.urn) ?? []), `${top}/`]));
    };
    for (const crawler of crawlers) {
        for (const target of listInput(crawler, "s3Targets")) {
            const parts = s3Parts(String((target as { path?: unknown }).path ?? ""));
            const bucket = parts && byName.get(parts[0]);
            if (bucket && parts) addZone(bucket, parts[1]);
        }
    }
    for (const lifecycle of index.ofType(T.lifecycle)) {
        const bucket = byName.get(stringInput(lifecycle, "bucket") ?? "");
        for (const rule of listInput(lifecycle, "rules")) {
            const prefix = (rule as { filter?: { prefix?: unknown } }).filter?.prefix;
            if (bucket && typeof prefix === "string") addZone(bucket, prefix.replace(/\/$/, ""));
        }
    }
    const partsOf = (bucket: DeploymentResource) => {
        const name = bucketName(bucket);
        return index.resources.filter((r) => BUCKET_FEATURES[r.type] && name !== undefined && stringInput(r, "bucket") === name);
    };
    for (const bucket of buckets) {
        // Folder markers (`raw/`, `processed/`, ...) are the lake's zones.
        for (const object of partsOf(bucket).filter((r) => r.type === TYPE.s3BucketObjectv2)) {
            const key = stringInput(object, "key") ?? "";
            if (key.endsWith("/")) addZone(bucket, key.slice(0, -1));
        }
    }
    for (const bucket of buckets) {
        const zoneList = [...(zones.get(bucket.urn) ?? [])].sort();
        const parts = partsOf(bucket);
        const features = [...new Set(parts.map((r) => BUCKET_FEATURES[r.type](r)).filter((f): f is string => f !== undefined))].sort();
        const files = parts.filter((r) => r.type === TYPE.s3BucketObjectv2 && !(stringInput(r, "key") ?? "").endsWith("/")).length;
        builder.add(
            builder.tierGroup(bucket),
            bucket,
            "bucket",
            [
                `S3 ${displayName(bucket)}`,
                ...(zoneList.length > 0 ? [`zones: ${zoneList.join(" ")}`] : []),
                ...(features.length > 0 ? [features.join(" · ")] : []),
                ...(files > 0 ? [`${files} uploaded files`] : []),
            ],
            "cylinder",
        );
    }

    const catalogs = new Map<string, string>(); // database name → node id
    for (const catalog of index.ofType(T.catalog)) {
        const name = stringInput(catalog, "name") ?? displayName(catalog);
        catalogs.set(name, builder.add(builder.tierGroup(catalog), catalog, "catalog", [`Glue catalog ${name}`], "cylinder"));
    }
    for (const crawler of crawlers) {
        const id = builder.add(
            builder.tierGroup(crawler),
            crawler,
            "crawler",
            [`crawler ${stringInput(crawler, "name") ?? displayName(crawler)}`],
            "round",
        );
        for (const target of listInput(crawler, "s3Targets")) {
            const parts = s3Parts(String((target as { path?: unknown }).path ?? ""));
            const bucket = parts && byName.get(parts[0]);
            const bucketId = bucket && builder.idOf(bucket);
            if (bucketId && parts) builder.edge(bucketId, id, `${parts[1]}/`, "data");
        }
        const catalog = catalogs.get(stringInput(crawler, "databaseName") ?? "");
        if (catalog) builder.edge(id, catalog, "tables", "data");
    }
    for (const job of index.ofType(T.job)) {
        const kind = stringInput(job, "command.name") ?? "job";
        const id = builder.add(builder.tierGroup(job), job, "job", [`Glue ${kind} job ${stringInput(job, "name") ?? displayName(job)}`], "round");
        const args = (input(job, "defaultArguments") ?? {}) as Record<string, unknown>;
        const scriptBucket = s3Parts(stringInput(job, "command.scriptLocation") ?? "")?.[0];
        for (const [key, value] of Object.entries(args)) {
            if (typeof value !== "string") continue;
            const name = s3Parts(value)?.[0] ?? value;
            const bucket = byName.get(name);
            const bucketId = bucket && builder.idOf(bucket);
            // Data buckets only: scripts, temp dirs and Spark UI logs are plumbing.
            if (!bucketId || name === scriptBucket || /TempDir|spark-event-logs|extra-py-files/.test(key)) continue;
            builder.edge(bucketId, id, "reads/writes", "data");
        }
        const role = index.resolve(input(job, "roleArn"));
        const readsCatalog =
            Object.values(args).some((value) => typeof value === "string" && catalogs.has(value)) ||
            (role !== undefined && hasGlueAccess(index, role));
        if (readsCatalog) for (const catalog of catalogs.values()) builder.edge(catalog, id, "tables", "data");
    }
    buildContainers(builder, links, byName, catalogs);
}

/** Whether a role may use the Glue catalog: an inline `glue:` grant or AWS's Glue service-role policy. */
function hasGlueAccess(index: ResourceIndex, role: DeploymentResource): boolean {
    const attached = index
        .ofType(TYPE.iamRolePolicyAttachment)
        .some(
            (a) => [role.id, role.outputs.name].includes(input(a, "role") as string) && /AWSGlueServiceRole$/.test(stringInput(a, "policyArn") ?? ""),
        );
    return attached || roleGrants(index, role).actions.some((action) => action.startsWith("glue:"));
}

/** IAM actions and resources granted to a role by its inline policies. */
function roleGrants(index: ResourceIndex, role: DeploymentResource): { actions: string[]; resources: string[] } {
    const actions: string[] = [];
    const resources: string[] = [];
    for (const policy of index.ofType(T.rolePolicy)) {
        const ref = input(policy, "role");
        if (ref !== role.id && ref !== role.outputs.name && ref !== role.outputs.arn) continue;
        let document: { Statement?: unknown } = {};
        try {
            document = JSON.parse(stringInput(policy, "policy") ?? "{}");
        } catch {
            continue;
        }
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
        for (const statement of statements as { Effect?: string; Action?: unknown; Resource?: unknown }[]) {
            if (!statement || statement.Effect !== "Allow") continue;
            actions.push(...[statement.Action].flat().filter((a): a is string => typeof a === "string"));
            resources.push(...[statement.Resource].flat().filter((r): r is string => typeof r === "string"));
        }
    }
    return { actions, resources };
}

function buildContainers(builder: Builder, links: Links, buckets: Map<string, DeploymentResource>, catalogs: Map<string, string>): void {
    const { index } = links;
    for (const cluster of index.ofType(T.cluster)) {
        const capacity = clusterCapacity(builder, links, cluster);
        builder.add(builder.tierGroup(cluster), cluster, "ecs", [
            `ECS cluster ${stringInput(cluster, "name") ?? displayName(cluster)}`,
            ...(capacity.length > 0 ? [`capacity: ${capacity.join(", ")}`] : []),
        ]);
    }
    const repositories = index.ofType(T.repository);
    for (const taskDefinition of index.ofType(T.taskDefinition)) {
        const cpu = numberInput(taskDefinition, "cpu", 0) / 1024;
        const memory = numberInput(taskDefinition, "memory", 0) / 1024;
        const id = builder.add(
            builder.tierGroup(taskDefinition),
            taskDefinition,
            "task",
            [`task ${stringInput(taskDefinition, "family") ?? displayName(taskDefinition)}`, `${cpu} vCPU / ${memory} GB`],
            "round",
        );
        const definitions = stringInput(taskDefinition, "containerDefinitions") ?? "";
        for (const repository of repositories) {
            const url = repository.outputs.repositoryUrl;
            if (typeof url === "string" && definitions.includes(url)) builder.edge(nodeId("tiernode", index.tierOf(repository)), id, "image", "uses");
        }
        const role = index.resolve(input(taskDefinition, "taskRoleArn"));
        if (!role) continue;
        const grants = roleGrants(index, role);
        if (hasGlueAccess(index, role)) for (const catalog of catalogs.values()) builder.edge(catalog, id, "tables", "data");
        for (const [name, bucket] of buckets) {
            const arn = bucket.outputs.arn;
            const bucketId = builder.idOf(bucket);
            const granted = grants.resources.some(
                (resource) => resource === arn || resource.startsWith(`${String(arn)}/`) || resource.includes(`:::${name}`),
            );
            if (bucketId && granted && grants.actions.some((action) => action.startsWith("s3:"))) builder.edge(bucketId, id, "S3 data", "data");
        }
    }
}
