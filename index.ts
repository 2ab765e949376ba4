import { StackConfig, isLocalConfig, loadAnyStackConfig } from "./components/config";
import { LocalMonitoring } from "./components/local/local-monitoring";
import { LocalStackConfig } from "./components/local/config";
import { Platform } from "./components/platform";
import { ADMIN_UIS, ADMIN_UI_NAMES, AdminUi, tunnelUrl } from "./components/shared/ports";

/**
 * The program: an AWS stack builds the Platform; a local stack (`data-platform:target: local`) builds
 * LocalMonitoring, the monitoring services on this machine's Docker engine, and nothing in AWS. Each
 * exports only its own outputs.
 */
const config = loadAnyStackConfig();
export = isLocalConfig(config) ? localOutputs(config) : platformOutputs(config);

function platformOutputs(config: StackConfig) {
    const platform = new Platform(config.environment, { config });
    return {
        vpcId: platform.network.vpcId,
        subnetIds: {
            public: platform.network.publicSubnetIds,
            private: platform.network.privateSubnetIds,
            database: platform.network.databaseSubnetIds,
        },
        securityGroupIds: platform.firewall.groupIds,
        /** Data lake, Glue scripts, Glue outputs and access-log buckets (`${env}-<purpose>-<hex>`): the ones the stack builds. */
        bucketNames: platform.dataLake
            ? Object.fromEntries(Object.entries(platform.dataLake.bucketRefs).map(([purpose, bucket]) => [purpose, bucket.name]))
            : {},
        roleArns: {
            ...(platform.identity?.glueRole ? { glue: platform.identity.glueRole.arn } : {}),
            ...(platform.identity ? { taskExecution: platform.identity.taskExecutionRole.arn, task: platform.identity.taskRole.arn } : {}),
        },
        /** Customer-managed key aliases (`alias/${env}-<purpose>`); empty without `encryption.kms`. */
        kmsKeyAliases: platform.encryption ? platform.encryption.aliasNames : {},
        repositoryUrls: platform.registry ? { ...platform.registry.repositoryUrls, ...platform.registry.optionalRepositoryUrls } : {},
        imageUris: platform.registry ? { ...platform.registry.imageUris, ...platform.registry.optionalImageUris } : {},
        /** ARNs only: the values stay in Secrets Manager (read them with `aws secretsmanager get-secret-value`). */
        secretArns: platform.secrets.secretArns,
        ...(platform.containers
            ? {
                  ecs: {
                      clusterName: platform.containers.clusterName,
                      ...(platform.containers.taskDefinitions
                          ? {
                                serviceName: platform.containers.serviceName,
                                taskDefinitionArns: {
                                    dataProcessing: platform.containers.taskDefinitions.dataProcessing.arn,
                                    sparkJob: platform.containers.taskDefinitions.sparkJob.arn,
                                },
                            }
                          : {}),
                      ...(platform.ec2Capacity ? { ec2CapacityProvider: platform.ec2Capacity.capacityProviderName } : {}),
                  },
              }
            : {}),
        /** Glue catalog, crawlers, jobs and workflow; run the pipeline with `aws glue start-workflow-run --name <workflowName>`. */
        ...(platform.etl
            ? {
                  glue: {
                      databaseName: platform.etl.database.name,
                      crawlerNames: { raw: platform.etl.crawlers.raw.name, processed: platform.etl.crawlers.processed.name },
                      jobNames: platform.etl.jobNames,
                      workflowName: platform.etl.workflow.name,
                  },
              }
            : {}),
        /** The RDS endpoint; connection details are in `<env>-database-credentials`, the master password in the RDS-managed secret. */
        ...(platform.database
            ? {
                  database: {
                      endpoint: platform.database.endpoint,
                      port: platform.database.port,
                      name: platform.database.databaseName,
                      iamUsername: platform.database.iamUsername,
                      masterSecretArn: platform.database.masterSecretArn,
                  },
              }
            : {}),
        ...(platform.cache ? { cache: { primaryEndpoint: platform.cache.primaryEndpoint, port: platform.cache.port } } : {}),
        /** Kafka clients connect to the IAM bootstrap brokers (port 9098, SASL/IAM over TLS). */
        ...(platform.streaming
            ? {
                  streaming: {
                      bootstrapBrokersIam: platform.streaming.bootstrapBrokersIam,
                      clusterArn: platform.streaming.clusterArn,
                      topics: platform.streaming.topicNames,
                  },
              }
            : {}),
        /** `kubeconfig` is a secret: `pulumi stack output eks --show-secrets`, or run `updateKubeconfigCommand`. */
        ...(platform.eks
            ? {
                  eks: {
                      clusterName: platform.eks.clusterName,
                      endpoint: platform.eks.endpoint,
                      kubeconfig: platform.eks.kubeconfig,
                      updateKubeconfigCommand: platform.eks.updateKubeconfigCommand,
                      ...(platform.eks.loadBalancerControllerInstall
                          ? {
                                loadBalancerControllerInstall: platform.eks.loadBalancerControllerInstall,
                                loadBalancerControllerRoleArn: platform.eks.loadBalancerControllerRoleArn,
                            }
                          : {}),
                  },
              }
            : {}),
        ...(platform.edge
            ? {
                  edge: {
                      url: platform.edge.url,
                      loadBalancerDnsName: platform.edge.loadBalancerDnsName,
                      webAclArn: platform.edge.webAclArn,
                      /** With edge.service.runtime eks: `pulumi stack output edge | jq -r .targetGroupBinding | kubectl apply -f -`. */
                      targetGroupBinding: platform.edge.targetGroupBinding,
                  },
              }
            : {}),
        ...(platform.audit
            ? { audit: { trailArn: platform.audit.trailArn, alarmTopicArn: platform.audit.alarmTopicArn, budgetName: platform.audit.budgetName } }
            : {}),
        /**
         * The hosts' UIs on this machine while their SSM tunnel runs (`npm run tunnel -- --stack <s> <ui>`);
         * only the hosts the stack builds. The hosts take no inbound traffic unless `hosts.publicAdminIngress`.
         */
        urls: {
            ...(platform.kubernetes ? { argocd: platform.kubernetes.argocdUrl } : {}),
            ...(platform.monitoring
                ? {
                      grafana: platform.monitoring.grafanaUrl,
                      prometheus: platform.monitoring.prometheusUrl,
                      kibana: platform.monitoring.kibanaUrl,
                      jaeger: platform.monitoring.jaegerUrl,
                  }
                : {}),
        },
        /** Host instance ids, for `aws ssm start-session --target <id>`. */
        hostInstanceIds: {
            ...(platform.kubernetes ? { kubernetes: platform.kubernetes.instanceId } : {}),
            ...(platform.monitoring ? { monitoring: platform.monitoring.instanceId } : {}),
        },
        /** What `npm run tunnel` forwards: per UI, the instance, the port on it, the local port and the local URL. */
        tunnels: Object.fromEntries(
            ADMIN_UI_NAMES.flatMap((ui) => {
                const spec: AdminUi = ADMIN_UIS[ui];
                const instanceId = spec.host === "kubernetes" ? platform.kubernetes?.instanceId : platform.monitoring?.instanceId;
                if (!instanceId) return [];
                return [[ui, { instanceId, portNumber: spec.port.from, localPortNumber: spec.port.from, url: tunnelUrl(ui) }]];
            }),
        ),
    };
}

function localOutputs(config: LocalStackConfig) {
    const local = new LocalMonitoring(config.environment, { config });
    return {
        /** The UIs, published on 127.0.0.1 only. */
        urls: local.urls,
        /** Grafana's admin password (user `admin`): `pulumi stack output grafanaAdminPassword --show-secrets -s local`. */
        grafanaAdminPassword: local.grafanaAdminPassword,
        /** The containers (`docker ps --filter label=Environment=<env>`) and their network. */
        containerNames: Object.fromEntries(Object.entries(local.containers).map(([service, container]) => [service, container.name])),
        networkName: local.network.name,
    };
}
