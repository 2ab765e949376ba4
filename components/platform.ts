import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { Containers, taskPlacement } from "./containers/containers";
import { DataLake } from "./data-lake/data-lake";
import { Encryption } from "./encryption/encryption";
import { Etl } from "./etl/etl";
import { Firewall } from "./firewall/firewall";
import { Identity } from "./identity/identity";
import { KubernetesHost } from "./kubernetes/kubernetes";
import { MonitoringHost } from "./monitoring/monitoring";
import { Network } from "./network/network";
import { Registry } from "./registry/registry";
import { HostSchedule } from "./schedule/schedule";
import { Secrets, secretPurposesFor } from "./secrets/secrets";
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
    /** Stops and starts the hosts outside `hosts.schedule`; undefined with `always` or without hosts. */
    readonly schedule?: HostSchedule;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("platform", "Platform"), name, {}, opts);
        const { config } = args;
        const naming = new Naming(config.environment);
        const { region, protect } = config;
        this.naming = naming;
        const parent = { parent: this };

        // Built before the network (not after the firewall) so the flow-log group can use the logs key.
        this.encryption = config.encryption.kms ? new Encryption(`${name}-encryption`, { naming, region, protect }, parent) : undefined;
        const keys = this.encryption?.keyArns;

        this.network = new Network(`${name}-network`, { naming, config: config.network, region, keys }, parent);
        this.firewall = new Firewall(
            `${name}-firewall`,
            {
                naming,
                vpcId: this.network.vpcId,
                config: config.access,
                // Host groups only for the hosts this stack builds; no inbound unless hosts.publicAdminIngress.
                hosts: { kubernetes: config.kubernetes === "minikube", monitoring: config.monitoring },
                publicAdminIngress: config.hosts.publicAdminIngress,
            },
            parent,
        );
        this.dataLake = new DataLake(`${name}-data-lake`, { naming, config: config.dataLake, protect, keys }, parent);
        // Only the secrets whose consumer this stack builds (no database or cache tier exists yet).
        const purposes = secretPurposesFor({
            database: false,
            cache: false,
            monitoring: config.monitoring,
            argocd: config.kubernetes === "minikube",
        });
        this.secrets = new Secrets(`${name}-secrets`, { naming, config: config.secrets, protect, keys, purposes }, parent);
        this.registry = new Registry(`${name}-registry`, { naming, config: config.registry, images: config.images, protect, keys }, parent);

        const buckets = this.dataLake.bucketRefs;
        const secretArns = { app: this.secrets.secretArn("app") };
        this.identity = new Identity(
            `${name}-identity`,
            {
                naming,
                region,
                buckets,
                repositoryArns: Object.values(this.registry.repositoryArns),
                // The tasks inject the app secret's fields; the program reads nothing else.
                executionSecretArns: [secretArns.app],
                taskSecretArns: [secretArns.app],
                keys,
            },
            parent,
        );

        // After the Glue role's policies exist: Glue checks the role when crawlers and jobs are created.
        this.etl = new Etl(
            `${name}-etl`,
            {
                naming,
                config: config.etl,
                glueRoleArn: this.identity.glueRole.arn,
                buckets,
                keys,
            },
            { parent: this, dependsOn: [this.identity] },
        );

        // After the roles' policies exist, so the first tasks can pull, log and read secrets.
        this.containers = new Containers(
            `${name}-containers`,
            {
                naming,
                config: config.containers,
                region,
                executionRoleArn: this.identity.taskExecutionRole.arn,
                taskRoleArn: this.identity.taskRole.arn,
                imageUris: this.registry.imageUris,
                ...taskPlacement(config.containers.placement, { public: this.network.publicSubnetIds, private: this.network.privateSubnetIds }),
                appSecurityGroupId: this.firewall.groupIds.app,
                dataLakeBucket: buckets.dataLake,
                appSecretArn: secretArns.app,
                keys,
            },
            { parent: this, dependsOn: [this.identity] },
        );

        // The hosts take no inbound traffic (SSM tunnels); for egress they sit behind the NAT gateway where
        // the stack has one, else in the first public subnet with a public IP assigned at launch (dev).
        const behindNat = config.network.natGateways !== "none";
        const hostArgs = {
            naming,
            region,
            subnetId: behindNat ? this.network.privateSubnetIds[0] : this.network.publicSubnetIds[0],
            associatePublicIp: !behindNat,
            sshPublicKey: config.access.sshPublicKey,
            hosts: config.hosts,
            keys,
        };
        this.kubernetes =
            config.kubernetes === "minikube"
                ? new KubernetesHost(
                      `${name}-kubernetes`,
                      {
                          ...hostArgs,
                          securityGroupId: this.firewall.groupIds.kubernetes!,
                          argocdSecretArn: this.secrets.secretArn("argocd"),
                      },
                      parent,
                  )
                : undefined;
        this.monitoring = config.monitoring
            ? new MonitoringHost(
                  `${name}-monitoring`,
                  {
                      ...hostArgs,
                      securityGroupId: this.firewall.groupIds.monitoring!,
                      grafanaSecretArn: this.secrets.secretArn("grafana"),
                      accessLogsBucket: buckets.accessLogs,
                  },
                  parent,
              )
            : undefined;

        const hostIds = [this.kubernetes?.instanceId, this.monitoring?.instanceId];
        this.schedule =
            config.hosts.schedule !== "always" && hostIds.some((id) => id !== undefined)
                ? new HostSchedule(`${name}-schedule`, { naming, region, schedule: config.hosts.schedule, instanceIds: hostIds }, parent)
                : undefined;

        // Last: the hosts and endpoints the secrets describe exist by now. Fields of tiers
        // this stack does not build stay absent. The UI URLs are the SSM tunnels' local ports.
        this.secrets.writeValues({ grafanaUrl: this.monitoring?.grafanaUrl, argocdUrl: this.kubernetes?.argocdUrl });

        this.registerOutputs({});
    }
}
