import { loadStackConfig } from "./components/config";
import { BucketRef } from "./components/shared/refs";
import { Platform } from "./components/platform";
import { ADMIN_UIS, ADMIN_UI_NAMES, AdminUi, tunnelUrl } from "./components/shared/ports";

const config = loadStackConfig();
const platform = new Platform(config.environment, { config });

export const vpcId = platform.network.vpcId;
export const subnetIds = {
    public: platform.network.publicSubnetIds,
    private: platform.network.privateSubnetIds,
    database: platform.network.databaseSubnetIds,
};
export const securityGroupIds = platform.firewall.groupIds;
/** Data lake, Glue scripts, Glue outputs and access-log buckets (`${env}-<purpose>-<hex>`). */
export const bucketNames = mapValues(platform.dataLake.bucketRefs, (bucket: BucketRef) => bucket.name);
export const roleArns = {
    glue: platform.identity.glueRole.arn,
    taskExecution: platform.identity.taskExecutionRole.arn,
    task: platform.identity.taskRole.arn,
};
/** Customer-managed key aliases (`alias/${env}-<purpose>`); empty without `encryption.kms`. */
export const kmsKeyAliases = platform.encryption ? platform.encryption.aliasNames : {};
export const repositoryUrls = platform.registry.repositoryUrls;
export const imageUris = platform.registry.imageUris;
/** ARNs only: the values stay in Secrets Manager (read them with `aws secretsmanager get-secret-value`). */
export const secretArns = platform.secrets.secretArns;
export const ecs = {
    clusterName: platform.containers.clusterName,
    serviceName: platform.containers.serviceName,
    taskDefinitionArns: {
        dataProcessing: platform.containers.taskDefinitions.dataProcessing.arn,
        sparkJob: platform.containers.taskDefinitions.sparkJob.arn,
    },
};
/** Glue catalog, crawlers, jobs and workflow; run the pipeline with `aws glue start-workflow-run --name <workflowName>`. */
export const glue = {
    databaseName: platform.etl.database.name,
    crawlerNames: { raw: platform.etl.crawlers.raw.name, processed: platform.etl.crawlers.processed.name },
    jobNames: platform.etl.jobNames,
    workflowName: platform.etl.workflow.name,
};
/**
 * The hosts' UIs on this machine while their SSM tunnel runs (`npm run tunnel -- --stack <s> <ui>`);
 * only the hosts the stack builds. The hosts take no inbound traffic unless `hosts.publicAdminIngress`.
 */
export const urls = {
    ...(platform.kubernetes ? { argocd: platform.kubernetes.argocdUrl } : {}),
    ...(platform.monitoring
        ? {
              grafana: platform.monitoring.grafanaUrl,
              prometheus: platform.monitoring.prometheusUrl,
              kibana: platform.monitoring.kibanaUrl,
              jaeger: platform.monitoring.jaegerUrl,
          }
        : {}),
};
/** Host instance ids, for `aws ssm start-session --target <id>`. */
export const hostInstanceIds = {
    ...(platform.kubernetes ? { kubernetes: platform.kubernetes.instanceId } : {}),
    ...(platform.monitoring ? { monitoring: platform.monitoring.instanceId } : {}),
};
/** What `npm run tunnel` forwards: per UI, the instance, the port on it, the local port and the local URL. */
export const tunnels = Object.fromEntries(
    ADMIN_UI_NAMES.flatMap((ui) => {
        const spec: AdminUi = ADMIN_UIS[ui];
        const instanceId = spec.host === "kubernetes" ? platform.kubernetes?.instanceId : platform.monitoring?.instanceId;
        if (!instanceId) return [];
        return [[ui, { instanceId, portNumber: spec.port.from, localPortNumber: spec.port.from, url: tunnelUrl(ui) }]];
    }),
);

function mapValues<K extends string, V, R>(record: Readonly<Record<K, V>>, fn: (value: V) => R): Record<K, R> {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value as V)])) as Record<K, R>;
}
