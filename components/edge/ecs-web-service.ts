import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsLogGroupName } from "../containers/containers";
import { catalogDatabaseName } from "../etl/etl";
import { AccountContext, policyDocument, serviceTrustPolicy } from "../shared/iam";
import type { EdgeArgs, EcsWiring } from "./edge";
import {
    HEALTH_CHECK_GRACE_SECONDS,
    ScalingMetric,
    WEB_CONTAINER,
    WEB_FAMILY,
    WEB_PORT,
    requestCountResourceLabel,
    scalingPolicyConfigurations,
    serviceResourceId,
    webContainerDefinition,
    webTaskStatements,
} from "./web-service";

/**
 * The edge's ECS web service (`service.runtime: ecs`): built by the Edge component, as its children, from
 * what it gives here (the load balancer, target group and HTTPS listener the service sits behind).
 */
export interface WebServiceScope {
    /** The Edge component's name: the children's logical names start with it. */
    readonly name: string;
    readonly args: EdgeArgs;
    readonly ecs: EcsWiring;
    readonly ctx: AccountContext;
    /** The Edge component's options for a child resource (its `child()`). */
    readonly child: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly targetGroup: aws.lb.TargetGroup;
    readonly httpsListener: aws.lb.Listener;
}

/** Its log group and task role, the Fargate (or EC2) task definition and the service behind the target group. */
export function ecsWebService(scope: WebServiceScope): { service: aws.ecs.Service; taskRole: aws.iam.Role } {
    const { name, args, ecs, ctx } = scope;
    const { naming, config } = args;
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-web-logs`,
        {
            name: ecsLogGroupName(naming, WEB_FAMILY),
            retentionInDays: config.logRetentionDays,
            kmsKeyId: args.keys?.logs,
            tags: naming.tags("edge", "web-logs"),
        },
        scope.child(),
    );
    const taskRole = new aws.iam.Role(
        `${name}-web-task-role`,
        {
            name: naming.name("web-task-role"),
            // ECS sends aws:SourceAccount when it assumes task roles.
            assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", ctx.account),
            tags: naming.tags("edge", "web-task-role"),
        },
        scope.child(),
    );
    const catalog = args.catalog ?? false;
    const statements = webTaskStatements(ctx, naming, { catalog, dataLake: args.dataLakeBucket }, args.keys);
    // IAM refuses a policy without statements: a service that serves nothing of the platform's gets none.
    const readPolicy =
        statements.length === 0
            ? undefined
            : new aws.iam.RolePolicy(
                  `${name}-web-task-policy`,
                  { name: naming.name("web-read"), role: taskRole.id, policy: policyDocument(statements) },
                  scope.child(),
              );
    const containerDefinitions = pulumi.all([ecs.imageUri, args.dataLakeBucket?.name, logGroup.name]).apply(([image, bucket, logGroupName]) =>
        JSON.stringify([
            webContainerDefinition({
                image,
                bucket,
                logGroupName,
                environment: naming.environment,
                database: catalog ? catalogDatabaseName(naming.environment) : undefined,
                region: args.region,
            }),
        ]),
    );
    const onEc2 = config.service.capacity === "ec2";
    if (onEc2 && args.ec2CapacityProvider === undefined)
        throw new Error(`${name}: edge.service.capacity is ec2 but the cluster has no EC2 capacity provider`);
    const taskDefinition = new aws.ecs.TaskDefinition(
        `${name}-web-task`,
        {
            family: naming.name(WEB_FAMILY),
            networkMode: "awsvpc",
            requiresCompatibilities: [onEc2 ? "EC2" : "FARGATE"],
            cpu: String(config.service.cpu),
            memory: String(config.service.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: ecs.executionRoleArn,
            taskRoleArn: taskRole.arn,
            containerDefinitions,
            tags: naming.tags("edge", "web-task"),
        },
        scope.child(),
    );
    const service = new aws.ecs.Service(
        `${name}-web-service`,
        {
            name: naming.name("web-service"),
            cluster: ecs.clusterArn,
            taskDefinition: taskDefinition.arn,
            desiredCount: config.service.desiredCount,
            // On-demand Fargate (the site stays up through Spot reclaims), or the cluster's EC2 capacity.
            ...(onEc2 ? { capacityProviderStrategies: [{ capacityProvider: args.ec2CapacityProvider!, weight: 1 }] } : { launchType: "FARGATE" }),
            networkConfiguration: { subnets: ecs.serviceSubnetIds, securityGroups: [ecs.appSecurityGroupId], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: scope.targetGroup.arn, containerName: WEB_CONTAINER, containerPort: WEB_PORT }],
            healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_SECONDS,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            availabilityZoneRebalancing: "ENABLED",
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags: naming.tags("edge", "web-service"),
        },
        // ECS refuses a target group no listener uses; the first tasks need their role's policy.
        // Autoscaling owns the desired count once the service exists.
        scope.child({ dependsOn: [scope.httpsListener, ...(readPolicy ? [readPolicy] : [])], ignoreChanges: ["desiredCount"] }),
    );
    return { service, taskRole };
}

/** Target tracking on average CPU and on requests per task, between minCount and maxCount. */
export function webServiceAutoscaling(scope: WebServiceScope, ecsService: aws.ecs.Service): void {
    const { name, args } = scope;
    const clusterArn = scope.ecs.clusterArn;
    const { naming } = args;
    const { service } = args.config;
    const target = new aws.appautoscaling.Target(
        `${name}-web-scaling`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: serviceResourceId(clusterArn, ecsService.name),
            minCapacity: service.minCount,
            maxCapacity: service.maxCount,
            tags: naming.tags("edge", "web-scaling"),
        },
        scope.child(),
    );
    const configurations = scalingPolicyConfigurations(service, requestCountResourceLabel(scope.loadBalancer.arnSuffix, scope.targetGroup.arnSuffix));
    for (const metric of Object.keys(configurations) as ScalingMetric[]) {
        new aws.appautoscaling.Policy(
            `${name}-web-${metric}-scaling`,
            {
                name: naming.name(`web-${metric}-tracking`),
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: configurations[metric],
            },
            scope.child(),
        );
    }
}
