import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, PolicyStatement, logGroupArn } from "../shared/iam";
import { BucketRef } from "../shared/refs";
import { ContainersConfig, TaskPlacementMode } from "./config";
import { RepositoryPurpose } from "../registry/registry";
import { APP_SECRET_FIELDS } from "../secrets/secrets";
import { catalogDatabaseName } from "../etl/etl";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

export type TaskPurpose = "dataProcessing" | "sparkJob" | "catalogAudit";

export interface TaskSpec {
    /** Family suffix: `${env}-<family>`. */
    readonly family: string;
    /** Container name inside the task. */
    readonly container: string;
    /** Repository whose image the task runs. */
    readonly image: RepositoryPurpose;
    /**
     * Mount a writable /tmp (the program needs scratch space; the root filesystem stays read-only).
     * Fargate creates the bind volume root-owned 0755 unless the image declares `VOLUME` at the path
     * with its user's ownership or mode 1777, which ECS copies into the volume: the image's
     * Dockerfile must do so (tests/tiers/containers.spec.ts parses it).
     */
    readonly scratch: boolean;
    /** Inject the app secret's fields (the programs that call the app's APIs); the catalog audit needs none. */
    readonly appSecrets: boolean;
    /** How the task runs: `service` (long-lived worker of the data-processing service) or `on-demand` (`aws ecs run-task`). */
    readonly runs: "service" | "on-demand";
}

export const TASKS: Readonly<Record<TaskPurpose, TaskSpec>> = {
    // A worker that writes the lake inventory every containers.inventoryIntervalMinutes until ECS stops it.
    dataProcessing: {
        family: "data-processing-task",
        container: "data-processor",
        image: "dataJobs",
        scratch: false,
        appSecrets: true,
        runs: "service",
    },
    // Spark spills shuffle and block-manager files to spark.local.dir (/tmp).
    sparkJob: { family: "spark-job-task", container: "spark-job", image: "sparkApps", scratch: true, appSecrets: true, runs: "on-demand" },
    // The glue-jobs image: audits the Glue Data Catalog against the lake, exits 1 on a bad table.
    catalogAudit: {
        family: "catalog-audit-task",
        container: "catalog-audit",
        image: "glueJobs",
        scratch: false,
        appSecrets: false,
        runs: "on-demand",
    },
};
export const TASK_PURPOSES = Object.keys(TASKS) as TaskPurpose[];

/** The tasks every data-task stack has; the catalog audit exists only with the Glue catalog (the ETL tier). */
type CoreTaskPurpose = Exclude<TaskPurpose, "catalogAudit">;
export type TaskRecord<T> = Readonly<Record<CoreTaskPurpose, T> & Partial<Record<"catalogAudit", T>>>;

export const SCRATCH_VOLUME = "scratch";
export const SCRATCH_PATH = "/tmp";

/**
 * Name of an ECS task's log group, `/ecs/${env}-<task>`. The execution role may write only to
 * `/ecs/${env}-*` (taskLogStatements).
 */
export function ecsLogGroupName(naming: Naming, task: string): string {
    return `/ecs/${naming.name(task)}`;
}

/** What the task-execution role needs to ship the tasks' logs: streams and events in this stack's task log groups only. */
export function taskLogStatements(naming: Naming, ctx: AccountContext): PolicyStatement[] {
    return [
        {
            Sid: "EcsTaskLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: logGroupArn(ctx, ecsLogGroupName(naming, "*")),
        },
    ];
}

/** Environment variable an app-secret field is injected as (`jwt_secret` → `JWT_SECRET`). */
export function secretEnvName(field: string): string {
    return field.toUpperCase();
}

export interface TaskPlacement {
    readonly subnetIds: pulumi.Input<string>[];
    readonly assignPublicIp: boolean;
}

/**
 * Where the service runs tasks. `public`: public subnets with a public IP, so
 * tasks reach ECR, logs and Secrets Manager through the internet gateway without
 * NAT (inbound is still only what the app security group allows). `private`:
 * private subnets without a public IP (config guarantees NAT or interface endpoints).
 */
export function taskPlacement(
    placement: TaskPlacementMode,
    subnetIds: { readonly public: pulumi.Input<string>[]; readonly private: pulumi.Input<string>[] },
): TaskPlacement {
    return placement === "public" ? { subnetIds: subnetIds.public, assignPublicIp: true } : { subnetIds: subnetIds.private, assignPublicIp: false };
}

export interface ContainersArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:containers` section. */
    readonly config: ContainersConfig;
    /** Region for the awslogs driver. */
    readonly region: string;
    /**
     * The data platform's tasks and their service; absent in a stack without the lake (the cluster then runs
     * only what other tiers put on it: the edge's web service). Default: no tasks.
     */
    readonly tasks?: DataTasksArgs;
    /** Customer-managed keys; the `logs` key encrypts the task log groups. */
    readonly keys?: Partial<KeyArns>;
    /**
     * Capacity providers beside FARGATE and FARGATE_SPOT (the EC2 capacity's), attached to the cluster.
     * Called with the cluster's name once it exists. Default none.
     */
    readonly extraCapacityProviders?: (clusterName: pulumi.Output<string>) => pulumi.Input<string>[];
}

/** What the data platform's task definitions and service need. */
export interface DataTasksArgs {
    /** Role ECS uses to pull images, write logs and inject secrets. */
    readonly executionRoleArn: pulumi.Input<string>;
    /** Role the task's program runs as. */
    readonly taskRoleArn: pulumi.Input<string>;
    /** Image per repository (tag or pushed digest). */
    readonly imageUris: Readonly<Record<RepositoryPurpose, pulumi.Input<string>>>;
    /** Subnets the service places tasks in, already chosen by `containers.placement`. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** True only for public placement (tasks need a public IP to reach ECR without NAT). */
    readonly assignPublicIp: boolean;
    /** The app security group (inbound only from the web group). */
    readonly appSecurityGroupId: pulumi.Input<string>;
    /** Bucket the programs read and write (`S3_BUCKET`). */
    readonly dataLakeBucket: BucketRef;
    /** The app secret; its fields are injected with `valueFrom`, never as plain environment. */
    readonly appSecretArn: pulumi.Input<string>;
    /** Build the catalog-audit task: the stack has the Glue catalog it audits (the ETL tier). Default true. */
    readonly catalog?: boolean;
}

interface DataTasks {
    readonly logGroups: TaskRecord<aws.cloudwatch.LogGroup>;
    readonly taskDefinitions: TaskRecord<aws.ecs.TaskDefinition>;
    readonly service: aws.ecs.Service;
}

type TaskArgs = Pick<ContainersArgs, "naming" | "config" | "region" | "keys"> & DataTasksArgs;

/**
 * ECS on Fargate: the cluster with FARGATE and FARGATE_SPOT (spot by default),
 * the data-processing and spark-job task definitions with their log groups,
 * and the data-processing service.
 */
export class Containers extends TierComponent {
    readonly cluster: aws.ecs.Cluster;
    readonly clusterName: pulumi.Output<string>;
    /** The cluster's capacity providers, for services placed on it by other tiers to depend on. */
    readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
    /** The data tasks; undefined without `tasks`. */
    readonly taskDefinitions?: TaskRecord<aws.ecs.TaskDefinition>;
    readonly logGroups?: TaskRecord<aws.cloudwatch.LogGroup>;
    readonly service?: aws.ecs.Service;
    readonly serviceName?: pulumi.Output<string>;

    constructor(name: string, args: ContainersArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("containers", "Containers"), name, opts);
        const { naming, config } = args;
        const parent = this.child();

        this.cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                name: naming.name("data-processing-cluster"),
                settings: [{ name: "containerInsights", value: config.containerInsights ? "enabled" : "disabled" }],
                tags: naming.tags("containers", "data-processing-cluster"),
            },
            parent,
        );
        this.clusterName = this.cluster.name;

        const extraProviders = args.extraCapacityProviders?.(this.cluster.name) ?? [];
        const capacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity-providers`,
            {
                clusterName: this.cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT", ...extraProviders],
                defaultCapacityProviderStrategies: [
                    { capacityProvider: "FARGATE_SPOT", weight: 1 },
                    { capacityProvider: "FARGATE", weight: 0 },
                ],
            },
            parent,
        );
        this.capacityProviders = capacityProviders;

        const tasks = args.tasks === undefined ? undefined : this.buildTasks(name, { ...args, ...args.tasks }, capacityProviders);
        this.logGroups = tasks?.logGroups;
        this.taskDefinitions = tasks?.taskDefinitions;
        this.service = tasks?.service;
        this.serviceName = tasks?.service.name;

        this.registerOutputs({ clusterName: this.clusterName, serviceName: this.serviceName });
    }

    private buildTasks(name: string, args: TaskArgs, capacityProviders: aws.ecs.ClusterCapacityProviders): DataTasks {
        const { naming, config } = args;
        const logGroups = {} as Record<TaskPurpose, aws.cloudwatch.LogGroup>;
        const taskDefinitions = {} as Record<TaskPurpose, aws.ecs.TaskDefinition>;
        for (const purpose of TASK_PURPOSES.filter((task) => task !== "catalogAudit" || (args.catalog ?? true))) {
            logGroups[purpose] = this.logGroup(name, purpose, args);
            taskDefinitions[purpose] = this.taskDefinition(name, purpose, args, logGroups[purpose]);
        }

        const service = new aws.ecs.Service(
            `${name}-data-processing-service`,
            {
                name: naming.name("data-processing-service"),
                cluster: this.cluster.arn,
                taskDefinition: taskDefinitions.dataProcessing.arn,
                desiredCount: config.serviceDesiredCount,
                capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
                networkConfiguration: {
                    subnets: args.subnetIds,
                    securityGroups: [args.appSecurityGroupId],
                    assignPublicIp: args.assignPublicIp,
                },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                tags: naming.tags("containers", "data-processing-service"),
            },
            this.child({ dependsOn: [capacityProviders] }),
        );
        return { logGroups, taskDefinitions, service };
    }

    private logGroup(name: string, purpose: TaskPurpose, args: TaskArgs): aws.cloudwatch.LogGroup {
        const family = TASKS[purpose].family;
        return new aws.cloudwatch.LogGroup(
            `${name}-${family}-logs`,
            {
                name: ecsLogGroupName(args.naming, family),
                retentionInDays: args.config.logRetentionDays,
                kmsKeyId: args.keys?.logs,
                tags: args.naming.tags("containers", `${family}-logs`),
            },
            this.child(),
        );
    }

    private taskDefinition(name: string, purpose: TaskPurpose, args: TaskArgs, logGroup: aws.cloudwatch.LogGroup): aws.ecs.TaskDefinition {
        const spec = TASKS[purpose];
        const size = args.config[purpose];
        const containerDefinitions = pulumi
            .all([args.imageUris[spec.image], args.dataLakeBucket.name, args.appSecretArn, logGroup.name])
            .apply(([image, bucket, secretArn, logGroupName]) =>
                JSON.stringify([
                    containerDefinition({
                        spec,
                        image,
                        bucket,
                        secretArn,
                        logGroupName,
                        environment: args.naming.environment,
                        region: args.region,
                        extraEnvironment: taskEnvironment(purpose, args),
                    }),
                ]),
            );
        return new aws.ecs.TaskDefinition(
            `${name}-${spec.family}`,
            {
                family: args.naming.name(spec.family),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                cpu: String(size.cpu),
                memory: String(size.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: args.executionRoleArn,
                taskRoleArn: args.taskRoleArn,
                containerDefinitions,
                volumes: spec.scratch ? [{ name: SCRATCH_VOLUME }] : [],
                tags: args.naming.tags("containers", spec.family),
            },
            this.child(),
        );
    }
}

/** Variables a task's program reads beyond S3_BUCKET and ENVIRONMENT. */
export function taskEnvironment(purpose: TaskPurpose, args: Pick<ContainersArgs, "naming" | "config">): Record<string, string> {
    switch (purpose) {
        case "dataProcessing":
            return { INVENTORY_INTERVAL_SECONDS: String(args.config.inventoryIntervalMinutes * 60) };
        case "catalogAudit":
            // The catalog's real name (`-` becomes `_`), not one the program derives on its own.
            return { GLUE_DATABASE: catalogDatabaseName(args.naming.environment) };
        case "sparkJob":
            return {};
        default:
            throw new Error(`unknown task ${String(purpose satisfies never)}`);
    }
}

interface ContainerInputs {
    readonly spec: TaskSpec;
    readonly image: string;
    readonly bucket: string;
    readonly secretArn: string;
    readonly logGroupName: string;
    readonly environment: string;
    readonly region: string;
    /** Program-specific variables, after S3_BUCKET and ENVIRONMENT. */
    readonly extraEnvironment?: Readonly<Record<string, string>>;
}

/** One container definition (ECS JSON shape). */
export function containerDefinition(inputs: ContainerInputs): Record<string, unknown> {
    const { spec } = inputs;
    return {
        name: spec.container,
        image: inputs.image,
        essential: true,
        environment: [
            { name: "S3_BUCKET", value: inputs.bucket },
            { name: "ENVIRONMENT", value: inputs.environment },
            ...Object.entries(inputs.extraEnvironment ?? {}).map(([name, value]) => ({ name, value })),
        ],
        secrets: spec.appSecrets
            ? APP_SECRET_FIELDS.map((field) => ({ name: secretEnvName(field), valueFrom: `${inputs.secretArn}:${field}::` }))
            : [],
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": inputs.logGroupName,
                "awslogs-region": inputs.region,
                "awslogs-stream-prefix": spec.container,
            },
        },
        privileged: false,
        readonlyRootFilesystem: true,
        mountPoints: spec.scratch ? [{ sourceVolume: SCRATCH_VOLUME, containerPath: SCRATCH_PATH, readOnly: false }] : [],
    };
}
