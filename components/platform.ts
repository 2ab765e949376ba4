import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { DataLake } from "./data-lake/data-lake";
import { Containers, taskPlacement } from "./containers/containers";
import { Encryption } from "./encryption/encryption";
import { Etl } from "./etl/etl";
import { Firewall } from "./firewall/firewall";
import { Identity } from "./identity/identity";
import { KubernetesHost } from "./kubernetes/kubernetes";
import { MonitoringHost } from "./monitoring/monitoring";
import { Network } from "./network/network";
import { Registry } from "./registry/registry";
import { Secrets } from "./secrets/secrets";
import { Naming, componentType } from "./shared/naming";

export interface PlatformArgs {
    /** The validated stack config. */
    readonly config: StackConfig;
}

/**
 * The whole platform: builds the tiers the stack enables, in dependency order.
 * Each tier is a ComponentResource of its own; this class only wires them.
 */
export class Platform extends pulumi.ComponentResource {
    readonly naming: Naming;
    readonly network: Network;
    readonly firewall: Firewall;
    /** Customer-managed keys; undefined unless `encryption.kms`. */
    readonly encryption?: Encryption;
    readonly dataLake: DataLake;
    readonly secrets: Secrets;
    readonly registry: Registry;
    readonly identity: Identity;
    readonly etl: Etl;
    readonly containers: Containers;
    /** minikube + ArgoCD host; undefined unless `kubernetes: minikube`. */
    readonly kubernetes?: KubernetesHost;
    /** Monitoring host; undefined unless `monitoring: true`. */
    readonly monitoring?: MonitoringHost;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("platform", "Platform"), name, {}, opts);
        const { config } = args;
        const naming = new Naming(config.environment);
        this.naming = naming;
        const parent = { parent: this };

        // Built before the network (not after the firewall) so the flow-log group can use the logs key.
        this.encryption = config.encryption.kms
            ? new Encryption(`${name}-encryption`, { naming, region: config.region, protect: config.protect }, parent)
            : undefined;
        const keyArns = this.encryption?.keyArns;

        this.network = new Network(`${name}-network`, {
            naming,
            config: config.network,
            region: config.region,
            logsKmsKeyArn: keyArns?.logs,
        }, parent);

        this.firewall = new Firewall(`${name}-firewall`, {
            naming,
            vpcId: this.network.vpcId,
            adminCidrs: config.access.adminCidrs,
            sshEnabled: config.access.sshPublicKey !== undefined,
        }, parent);

        this.dataLake = new DataLake(`${name}-data-lake`, {
            naming,
            config: config.dataLake,
            protect: config.protect,
            storageKeyArn: keyArns?.storage,
        }, parent);

        this.secrets = new Secrets(`${name}-secrets`, {
            naming,
            config: config.secrets,
            kmsKeyArn: keyArns?.secrets,
            protect: config.protect,
        }, parent);

        this.registry = new Registry(`${name}-registry`, {
            naming,
            config: config.registry,
            images: config.images,
            kmsKeyArn: keyArns?.registry,
            protect: config.protect,
        }, parent);

        this.identity = new Identity(`${name}-identity`, {
            naming,
            region: config.region,
            bucketArns: this.dataLake.bucketArns,
            repositoryArns: Object.values(this.registry.repositoryArns),
            // The tasks inject the app secret's fields; the program reads nothing else.
            executionSecretArns: [this.secrets.secretArns.app],
            taskSecretArns: [this.secrets.secretArns.app],
            kmsKeyArns: keyArns,
        }, parent);

        // After the Glue role's policies exist: Glue checks the role when crawlers and jobs are created.
        this.etl = new Etl(`${name}-etl`, {
            naming,
            glueRoleArn: this.identity.glueRole.arn,
            bucketNames: this.dataLake.bucketNames,
            storageKeyArn: keyArns?.storage,
            logsKeyArn: keyArns?.logs,
            config: config.etl,
        }, { parent: this, dependsOn: [this.identity] });

        // After the roles' policies exist, so the first tasks can pull, log and read secrets.
        this.containers = new Containers(`${name}-containers`, {
            naming,
            config: config.containers,
            region: config.region,
            executionRoleArn: this.identity.taskExecutionRole.arn,
            taskRoleArn: this.identity.taskRole.arn,
            imageUris: this.registry.imageUris,
            ...taskPlacement(config.containers.placement, {
                public: this.network.publicSubnetIds,
                private: this.network.privateSubnetIds,
            }),
            appSecurityGroupId: this.firewall.groupIds.app,
            dataLakeBucketName: this.dataLake.bucketNames.dataLake,
            appSecretArn: this.secrets.secretArns.app,
            logsKmsKeyArn: keyArns?.logs,
        }, { parent: this, dependsOn: [this.identity] });

        // The hosts sit in the first public subnet (dev has no NAT); their URLs are Elastic IPs.
        const hostArgs = {
            naming,
            subnetId: this.network.publicSubnetIds[0],
            secretsKeyArn: keyArns?.secrets,
            sshPublicKey: config.access.sshPublicKey,
            hosts: config.hosts,
            region: config.region,
        };
        this.kubernetes = config.kubernetes === "minikube"
            ? new KubernetesHost(`${name}-kubernetes`, {
                ...hostArgs,
                securityGroupId: this.firewall.groupIds.kubernetes,
                argocdSecretArn: this.secrets.secretArns.argocd,
            }, parent)
            : undefined;
        this.monitoring = config.monitoring
            ? new MonitoringHost(`${name}-monitoring`, {
                ...hostArgs,
                securityGroupId: this.firewall.groupIds.monitoring,
                grafanaSecretArn: this.secrets.secretArns.grafana,
                accessLogsBucketName: this.dataLake.bucketNames.accessLogs,
                accessLogsBucketArn: this.dataLake.bucketArns.accessLogs,
            }, parent)
            : undefined;

        // Last: the hosts and endpoints the secrets describe exist by now. Fields of tiers
        // this stack does not build stay absent.
        this.secrets.writeValues({ grafanaUrl: this.monitoring?.grafanaUrl, argocdUrl: this.kubernetes?.argocdUrl });

        this.registerOutputs({});
    }
}
