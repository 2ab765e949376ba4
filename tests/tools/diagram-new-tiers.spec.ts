import * as assert from "assert";
import { DeploymentResource } from "../../tools/deployment";
import { buildDiagram, renderDiagram } from "../../tools/diagram";
import { Diagram, DiagramEdge, DiagramGroup, DiagramNode } from "../../tools/diagram/model";
import { Links, valuesAt } from "../../tools/diagram/links";
import { ResourceIndex } from "../../tools/cost/resources";
import { FakeOptions, fakeResource } from "../support/fake-resources";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * The diagram of the data stores, the entry point, EKS, the alarm flow and EC2 capacity, from small
 * hand-built deployments shaped like the plan's: links are ids and ARNs where the mock cloud knows them,
 * and unknown values (a load balancer's DNS name, an autonamed subnet group's name) linked only through
 * `propertyDependencies`, as a preview records them.
 */

/** Pulumi's unknown value, as the plan document holds it. */
const UNKNOWN = { __pulumiUnknown: true };
const SECRET = "[secret]";
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-east-2:123456789012:${resource}`;

function r(type: string, name: string, inputs: Record<string, unknown>, options: FakeOptions = {}): DeploymentResource {
    return fakeResource(type, inputs, { name, ...options });
}

function allNodes(diagram: Diagram): DiagramNode[] {
    const walk = (group: DiagramGroup): DiagramNode[] => [...group.nodes, ...group.groups.flatMap(walk)];
    return [...diagram.outside, ...diagram.tiers.flatMap(walk)];
}

function node(diagram: Diagram, id: string): DiagramNode {
    const found = allNodes(diagram).find((n) => n.id === id);
    assert.ok(
        found,
        `no node ${id}; nodes: ${allNodes(diagram)
            .map((n) => n.id)
            .join(", ")}`,
    );
    return found;
}

/** `from -label-> to` for the edges of a kind (all kinds by default), sorted. */
function edges(diagram: Diagram, filter: (edge: DiagramEdge) => boolean = () => true): string[] {
    return diagram.edges
        .filter(filter)
        .map((e) => `${e.from} -${e.label}-> ${e.to}`)
        .sort();
}

const into = (id: string) => (edge: DiagramEdge) => edge.to === id && edge.kind === "traffic";

/** The lines of the subnet node with this CIDR. */
function subnetLines(diagram: Diagram, cidr: string): readonly string[] {
    const subnet = allNodes(diagram).find((n) => n.id.startsWith("subnet_") && n.lines[0].endsWith(` ${cidr}`));
    assert.ok(subnet, `no subnet ${cidr}`);
    return subnet.lines;
}

/** Summary lines of every tier (what was not drawn as a node of its own). */
function summaryLines(diagram: Diagram): string {
    return allNodes(diagram)
        .filter((n) => n.id.startsWith("tiernode_"))
        .flatMap((n) => n.lines)
        .join(" / ");
}

// ---------------------------------------------------------------------------
// Fake deployments, one per feature
// ---------------------------------------------------------------------------

function network(): DeploymentResource[] {
    const subnet = (name: string, az: string, cidr: string, tier: string) =>
        r(TYPE.ec2Subnet, name, { vpcId: "vpc-id", availabilityZone: az, cidrBlock: cidr, tags: { SubnetTier: tier } });
    return [
        r(TYPE.ec2Vpc, "vpc", { cidrBlock: "10.9.0.0/16", tags: { Name: "t-vpc" } }),
        subnet("public-a", "us-east-2a", "10.9.1.0/24", "public"),
        subnet("public-b", "us-east-2b", "10.9.2.0/24", "public"),
        subnet("private-a", "us-east-2a", "10.9.10.0/24", "private"),
        subnet("private-b", "us-east-2b", "10.9.20.0/24", "private"),
        subnet("database-a", "us-east-2a", "10.9.100.0/24", "database"),
        subnet("database-b", "us-east-2b", "10.9.101.0/24", "database"),
    ];
}
const PRIVATE = ["private-a-id", "private-b-id"];
const PUBLIC = ["public-a-id", "public-b-id"];

function group(name: string): DeploymentResource {
    return r(TYPE.ec2SecurityGroup, name, { vpcId: "vpc-id", tags: { Name: `t-${name}-sg` } });
}

function ingress(to: string, port: number | [number, number], from: string, protocol = "tcp"): DeploymentResource {
    const [fromPort, toPort] = typeof port === "number" ? [port, port] : port;
    return r(TYPE.vpcSecurityGroupIngressRule, `${to}-in-${fromPort}-${from}`, {
        securityGroupId: `${to}-id`,
        referencedSecurityGroupId: `${from}-id`,
        ipProtocol: protocol,
        fromPort,
        toPort,
    });
}

function ecsCluster(): DeploymentResource {
    return r(
        TYPE.ecsCluster,
        "cluster",
        { name: "t-cluster" },
        { id: ARN("ecs", "cluster/t-cluster"), outputs: { arn: ARN("ecs", "cluster/t-cluster") } },
    );
}

function service(name: string, extra: Record<string, unknown> = {}): DeploymentResource {
    return r(
        TYPE.ecsService,
        name,
        {
            name: `t-${name}`,
            cluster: ARN("ecs", "cluster/t-cluster"),
            taskDefinition: `${name}-task-id`,
            launchType: "FARGATE",
            desiredCount: 2,
            networkConfiguration: { subnets: PRIVATE, securityGroups: ["app-id"], assignPublicIp: false },
            tags: { Name: `t-${name}` },
            ...extra,
        },
        { id: ARN("ecs", `service/t-cluster/t-${name}`) },
    );
}

function taskDefinition(name: string): DeploymentResource {
    return r(TYPE.ecsTaskDefinition, `${name}-task`, { family: `t-${name}`, cpu: "256", memory: "512" });
}

function eks(): DeploymentResource[] {
    const cluster = r(TYPE.eksCluster, "eks", {
        name: "t-eks",
        version: "1.31",
        vpcConfig: { subnetIds: PRIVATE, endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    // The cluster security group is computed by EKS: unknown in a preview, linked by its dependencies.
    const template = r(
        TYPE.ec2LaunchTemplate,
        "nodes-lt",
        {
            name: "t-eks-nodes",
            metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
            vpcSecurityGroupIds: ["kubernetes-id", UNKNOWN],
        },
        {
            id: "lt-0nodes",
            propertyDependencies: {
                vpcSecurityGroupIds: ["urn:pulumi:test::data-platform::aws:ec2/securityGroup:SecurityGroup::kubernetes", cluster],
            },
        },
    );
    const nodeGroup = (name: string, capacityType: string, instanceTypes: string[]) =>
        r(TYPE.eksNodeGroup, name, {
            clusterName: "t-eks",
            nodeGroupName: `t-${name}`,
            subnetIds: PRIVATE,
            capacityType,
            instanceTypes,
            scalingConfig: { minSize: 1, maxSize: 4, desiredSize: 2 },
            launchTemplate: { id: "lt-0nodes", version: "1" },
        });
    const addon = (name: string, version: string) =>
        r(TYPE.eksAddon, `addon-${name}`, { clusterName: "t-eks", addonName: name, addonVersion: version });
    return [
        cluster,
        template,
        nodeGroup("general", "ON_DEMAND", ["m7g.large"]),
        nodeGroup("spot", "SPOT", ["m7g.large", "m6g.large"]),
        addon("vpc-cni", "v1.19.2-eksbuild.1"),
        addon("coredns", "v1.11.4-eksbuild.2"),
        addon("kube-proxy", "v1.31.3-eksbuild.2"),
        addon("aws-ebs-csi-driver", "v1.38.1-eksbuild.2"),
        r(TYPE.eksAccessEntry, "admin-entry", { clusterName: "t-eks", principalArn: "arn:aws:iam::123456789012:role/admin", type: "STANDARD" }),
        r(TYPE.eksAccessPolicyAssociation, "admin-policy", { clusterName: "t-eks", principalArn: "arn:aws:iam::123456789012:role/admin" }),
        r(TYPE.eksPodIdentityAssociation, "ebs-identity", {
            clusterName: "t-eks",
            namespace: "kube-system",
            serviceAccount: "ebs-csi-controller-sa",
        }),
    ];
}

/** RDS, ElastiCache and MSK with their groups, rules, clients (an ECS service, EKS nodes, the monitoring host) and secrets. */
function dataStores(): DeploymentResource[] {
    const dbSubnets = r(TYPE.rdsSubnetGroup, "db-subnets", { subnetIds: ["database-a-id", "database-b-id"] }, { id: "db-subnets-a1b2c3" });
    const db = r(
        TYPE.rdsInstance,
        "db",
        {
            identifier: "t-postgres",
            engine: "postgres",
            engineVersion: "16.4",
            instanceClass: "db.t4g.small",
            port: 5432,
            allocatedStorage: 20,
            maxAllocatedStorage: 100,
            storageType: "gp3",
            storageEncrypted: true,
            multiAz: false,
            manageMasterUserPassword: true,
            // An autonamed subnet group's name is unknown in a preview: the link is its dependency.
            dbSubnetGroupName: UNKNOWN,
            vpcSecurityGroupIds: ["database-id"],
            tags: { Name: "t-postgres" },
        },
        { propertyDependencies: { dbSubnetGroupName: [dbSubnets] } },
    );
    const cacheSubnets = r(TYPE.elasticacheSubnetGroup, "cache-subnets", { name: "t-cache", subnetIds: PRIVATE });
    const cache = r(TYPE.elasticacheReplicationGroup, "cache", {
        replicationGroupId: "t-cache",
        engine: "valkey",
        engineVersion: "8.0",
        nodeType: "cache.t4g.small",
        numCacheClusters: 2,
        port: 6379,
        multiAzEnabled: true,
        automaticFailoverEnabled: true,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken: SECRET,
        subnetGroupName: "t-cache",
        securityGroupIds: ["cache-id"],
        tags: { Name: "t-cache" },
    });
    const kafkaArn = ARN("kafka", "cluster/t-kafka/1111");
    const kafka = r(
        TYPE.mskCluster,
        "kafka",
        {
            clusterName: "t-kafka",
            kafkaVersion: "3.6.0",
            numberOfBrokerNodes: 2,
            brokerNodeGroupInfo: {
                instanceType: "kafka.m7g.large",
                clientSubnets: PRIVATE,
                securityGroups: ["streaming-id"],
                storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
            },
            clientAuthentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
            encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
            openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
            configurationInfo: { arn: ARN("kafka", "configuration/t-kafka/1"), revision: 1 },
            tags: { Name: "t-kafka" },
        },
        { id: kafkaArn, outputs: { arn: kafkaArn } },
    );
    const secret = (name: string) =>
        r(
            TYPE.secretsmanagerSecret,
            `${name}-secret`,
            { name: `t-${name}-credentials` },
            { id: ARN("secretsmanager", `secret:t-${name}-credentials-Ab12`) },
        );
    const databaseSecret = secret("database");
    const redisSecret = secret("redis");
    const password = r(TYPE.randomPassword, "redis-password", { length: 64 });
    const value = (of: DeploymentResource, from: DeploymentResource[]) =>
        r(
            TYPE.secretsmanagerSecretVersion,
            `${logical(of)}-value`,
            { secretId: of.id, secretString: SECRET },
            { propertyDependencies: { secretId: [of], secretString: from } },
        );
    return [
        ...network(),
        ...["app", "kubernetes", "monitoring", "batch", "database", "cache", "streaming"].map(group),
        ingress("database", 5432, "app"),
        ingress("database", 5432, "kubernetes"),
        ingress("database", 5432, "batch"),
        // The group also opens 3306, which a PostgreSQL instance does not listen on: no edge for it.
        ingress("database", 3306, "monitoring"),
        ingress("cache", 6379, "app"),
        ingress("cache", 6379, "kubernetes"),
        ingress("streaming", 9098, "app"),
        ingress("streaming", 9098, "kubernetes"),
        ingress("streaming", [11001, 11002], "monitoring"),
        ingress("streaming", 9098, "streaming"),
        ecsCluster(),
        taskDefinition("worker"),
        service("worker"),
        ...eks(),
        r(TYPE.ec2Instance, "monitor", {
            subnetId: "private-a-id",
            instanceType: "t4g.large",
            vpcSecurityGroupIds: ["monitoring-id"],
            tags: { Name: "t-monitoring" },
        }),
        dbSubnets,
        db,
        cacheSubnets,
        cache,
        r(
            TYPE.mskConfiguration,
            "kafka-config",
            { name: "t-kafka-config" },
            { id: ARN("kafka", "configuration/t-kafka/1"), outputs: { arn: ARN("kafka", "configuration/t-kafka/1") } },
        ),
        kafka,
        r("aws:msk/topic:Topic", "topic-orders", { clusterArn: kafkaArn, name: "orders", partitionCount: 6, replicationFactor: 2 }),
        r("aws:msk/topic:Topic", "topic-clicks", { clusterArn: kafkaArn, name: "clicks", partitionCount: 6, replicationFactor: 2 }),
        r(TYPE.appautoscalingTarget, "kafka-storage", {
            serviceNamespace: "kafka",
            resourceId: kafkaArn,
            scalableDimension: "kafka:broker-storage:VolumeSize",
            minCapacity: 1,
            maxCapacity: 1000,
        }),
        r(TYPE.appautoscalingPolicy, "kafka-storage-policy", {
            serviceNamespace: "kafka",
            resourceId: kafkaArn,
            scalableDimension: "kafka:broker-storage:VolumeSize",
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
                targetValue: 60,
            },
        }),
        databaseSecret,
        redisSecret,
        password,
        value(databaseSecret, [db]),
        value(redisSecret, [cache, password]),
    ];
}

function logical(resource: DeploymentResource): string {
    return resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
}

/** Internet → WAF → ALB (80 redirect, 443 forward) → ip target group → ECS web service; ACM; Route53 alias. */
function entryPoint(options: { waf?: boolean; internal?: boolean } = {}): DeploymentResource[] {
    const albArn = ARN("elasticloadbalancing", "loadbalancer/app/t-alb/50dc6c495c0c9188");
    const tgArn = ARN("elasticloadbalancing", "targetgroup/t-web/73e2d6bc24d8a067");
    const certArn = ARN("acm", "certificate/11111111-2222-4333-a444-555555555555");
    const aclArn = ARN("wafv2", "regional/webacl/t-web-acl/a1b2");
    const logGroupArn = ARN("logs", "log-group:aws-waf-logs-t-web");
    const alb = r(
        TYPE.lbLoadBalancer,
        "alb",
        {
            name: "t-alb",
            loadBalancerType: "application",
            internal: options.internal ?? false,
            securityGroups: ["web-id"],
            subnets: PUBLIC,
            dropInvalidHeaderFields: true,
        },
        // The DNS name is computed by AWS: unknown in a preview.
        { id: albArn, outputs: { arn: albArn, dnsName: UNKNOWN } },
    );
    const cert = r(
        TYPE.acmCertificate,
        "cert",
        { domainName: "app.example.com", validationMethod: "DNS" },
        { id: certArn, outputs: { arn: certArn } },
    );
    const managed = (name: string, priority: number) => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    });
    const waf = options.waf ?? true;
    return [
        ...network(),
        group("web"),
        group("app"),
        ingress("web", 443, "app"),
        alb,
        r(
            TYPE.lbTargetGroup,
            "tg",
            { name: "t-web", port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-id", healthCheck: { path: "/health" } },
            { id: tgArn, outputs: { arn: tgArn } },
        ),
        cert,
        r(
            TYPE.route53Record,
            "cert-record",
            { zoneId: "Z0EXAMPLE", name: UNKNOWN, type: UNKNOWN, records: [UNKNOWN], ttl: 60 },
            { propertyDependencies: { name: [cert], type: [cert], records: [cert] } },
        ),
        r(TYPE.acmCertificateValidation, "cert-validation", { certificateArn: certArn, validationRecordFqdns: [UNKNOWN] }),
        r(TYPE.lbListener, "http", {
            loadBalancerArn: albArn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        }),
        r(TYPE.lbListener, "https", {
            loadBalancerArn: albArn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: certArn,
            defaultActions: [{ type: "forward", targetGroupArn: tgArn }],
        }),
        r(
            TYPE.route53Record,
            "alias",
            { zoneId: "Z0EXAMPLE", name: "app.example.com", type: "A", aliases: [{ name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: true }] },
            { propertyDependencies: { aliases: [alb] } },
        ),
        ...(waf
            ? [
                  r(
                      TYPE.wafv2WebAcl,
                      "acl",
                      {
                          name: "t-web-acl",
                          scope: "REGIONAL",
                          defaultAction: { allow: {} },
                          rules: [
                              managed("AWSManagedRulesCommonRuleSet", 1),
                              managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
                              managed("AWSManagedRulesSQLiRuleSet", 3),
                              {
                                  name: "rate",
                                  priority: 4,
                                  action: { block: {} },
                                  statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
                              },
                          ],
                      },
                      { id: "a1b2", outputs: { arn: aclArn } },
                  ),
                  r(TYPE.wafv2WebAclAssociation, "acl-association", { resourceArn: albArn, webAclArn: aclArn }),
                  r(TYPE.cloudwatchLogGroup, "waf-logs", { name: "aws-waf-logs-t-web" }, { outputs: { arn: logGroupArn } }),
                  r(TYPE.wafv2WebAclLoggingConfiguration, "acl-logging", { resourceArn: aclArn, logDestinationConfigs: [logGroupArn] }),
              ]
            : []),
        ecsCluster(),
        taskDefinition("web"),
        service("web", { loadBalancers: [{ targetGroupArn: tgArn, containerName: "web", containerPort: 8080 }] }),
        r(TYPE.appautoscalingTarget, "web-scaling", {
            serviceNamespace: "ecs",
            resourceId: "service/t-cluster/t-web",
            scalableDimension: "ecs:service:DesiredCount",
            minCapacity: 2,
            maxCapacity: 6,
        }),
        ...(
            [
                ["cpu", "ECSServiceAverageCPUUtilization", 60],
                ["requests", "ALBRequestCountPerTarget", 1000],
            ] as const
        ).map(([name, metric, target]) =>
            r(TYPE.appautoscalingPolicy, `web-${name}`, {
                serviceNamespace: "ecs",
                resourceId: "service/t-cluster/t-web",
                scalableDimension: "ecs:service:DesiredCount",
                policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: metric }, targetValue: target },
            }),
        ),
    ];
}

const ALARM_METRICS: readonly [string, string][] = [
    ["AWS/RDS", "CPUUtilization"],
    ["AWS/RDS", "FreeStorageSpace"],
    ["AWS/RDS", "DatabaseConnections"],
    ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"],
    ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"],
    ["AWS/ApplicationELB", "TargetResponseTime"],
    ["AWS/ECS", "CPUUtilization"],
    ["AWS/ECS", "MemoryUtilization"],
    ["AWS/Kafka", "KafkaDataLogsDiskUsed"],
    ["AWS/ECS", "CPUUtilization"],
    ["AWS/ECS", "MemoryUtilization"],
    ["AWS/RDS", "ReadLatency"],
];

/** 12 alarms → SNS topic → email; a budget mailing the same address; CloudTrail → the access-logs bucket. */
function alarmFlow(endpoint: unknown = "ops@example.com"): DeploymentResource[] {
    const topicArn = ARN("sns", "t-alarms");
    return [
        r(TYPE.snsTopic, "alarms", { name: "t-alarms", kmsMasterKeyId: ARN("kms", "key/1") }, { id: topicArn, outputs: { arn: topicArn } }),
        r(TYPE.snsTopicSubscription, "alarm-email", { topic: topicArn, protocol: "email", endpoint }),
        ...ALARM_METRICS.map(([namespace, metricName], i) =>
            r(TYPE.cloudwatchMetricAlarm, `alarm-${i}`, {
                name: `t-alarm-${i}`,
                namespace,
                metricName,
                threshold: 80,
                alarmActions: [topicArn],
                okActions: [topicArn],
            }),
        ),
        r(TYPE.budgetsBudget, "budget", {
            name: "t-monthly",
            budgetType: "COST",
            limitAmount: "500",
            limitUnit: "USD",
            timeUnit: "MONTHLY",
            notifications: [
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 80,
                    thresholdType: "PERCENTAGE",
                    notificationType: "ACTUAL",
                    subscriberEmailAddresses: [endpoint],
                },
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    notificationType: "ACTUAL",
                    subscriberEmailAddresses: [endpoint],
                },
                {
                    comparisonOperator: "GREATER_THAN",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    notificationType: "FORECASTED",
                    subscriberEmailAddresses: [endpoint],
                },
            ],
        }),
        r(
            TYPE.s3Bucket,
            "access-logs",
            { bucket: "t-access-logs", tags: { Name: "t-access-logs" } },
            { id: "t-access-logs", outputs: { arn: "arn:aws:s3:::t-access-logs" } },
        ),
        r(TYPE.cloudtrailTrail, "trail", {
            name: "t-trail",
            s3BucketName: "t-access-logs",
            s3KeyPrefix: "cloudtrail",
            isMultiRegionTrail: true,
            enableLogFileValidation: true,
            kmsKeyId: ARN("kms", "key/2"),
        }),
    ];
}

/** Launch template → auto scaling group in the private subnets → capacity provider → the ECS cluster (beside Fargate). */
function ec2Capacity(): DeploymentResource[] {
    const asgArn = ARN("autoscaling", "autoScalingGroup:1:autoScalingGroupName/t-ecs-capacity");
    return [
        ...network(),
        group("app"),
        ecsCluster(),
        r(
            TYPE.ec2LaunchTemplate,
            "capacity-lt",
            { name: "t-ecs-capacity", instanceType: "m7g.large", metadataOptions: { httpTokens: "required" }, vpcSecurityGroupIds: ["app-id"] },
            { id: "lt-0capacity" },
        ),
        // The group and its capacity provider share a name (and, under the mock cloud, an id).
        r(
            TYPE.autoscalingGroup,
            "asg",
            { name: "t-ecs-capacity", vpcZoneIdentifiers: PRIVATE, minSize: 0, maxSize: 4, launchTemplate: { id: "lt-0capacity", version: "1" } },
            { id: "t-ecs-capacity", outputs: { arn: asgArn } },
        ),
        r(
            TYPE.ecsCapacityProvider,
            "cp",
            {
                name: "t-ecs-capacity",
                autoScalingGroupProvider: {
                    autoScalingGroupArn: asgArn,
                    managedScaling: { status: "ENABLED", targetCapacity: 100 },
                    managedTerminationProtection: "ENABLED",
                },
            },
            { id: "t-ecs-capacity" },
        ),
        r(TYPE.ecsClusterCapacityProviders, "cluster-capacity", {
            clusterName: "t-cluster",
            capacityProviders: ["FARGATE", "FARGATE_SPOT", "t-ecs-capacity"],
        }),
    ];
}

// ---------------------------------------------------------------------------

describe("diagram: data stores", () => {
    const diagram = buildDiagram(dataStores());

    it("places RDS in the database subnets (through its subnet group, linked by dependency), ElastiCache and MSK in the private ones", () => {
        for (const cidr of ["10.9.100.0/24", "10.9.101.0/24"])
            assert.ok(subnetLines(diagram, cidr).includes("database t-postgres (db.t4g.small)"), cidr);
        for (const cidr of ["10.9.10.0/24", "10.9.20.0/24"]) {
            const lines = subnetLines(diagram, cidr);
            assert.ok(lines.includes("cache t-cache (cache.t4g.small)"), cidr);
            assert.ok(lines.includes("Kafka t-kafka (kafka.m7g.large)"), cidr);
            assert.ok(!lines.includes("database t-postgres (db.t4g.small)"), cidr);
        }
        assert.deepStrictEqual(node(diagram, "rds_db").lines, [
            "RDS t-postgres",
            "postgres 16.4 · db.t4g.small",
            "single-AZ · 20–100 GB gp3 · encrypted",
            "master password: RDS-managed secret",
            "database subnets 10.9.100.0/24, 10.9.101.0/24",
        ]);
        assert.deepStrictEqual(node(diagram, "cache_cache").lines, [
            "ElastiCache t-cache",
            "valkey 8.0 · cache.t4g.small × 2",
            "Multi-AZ · failover · TLS · AUTH · encrypted",
            "private subnets 10.9.10.0/24, 10.9.20.0/24",
        ]);
        assert.deepStrictEqual(node(diagram, "msk_kafka").lines, [
            "MSK t-kafka",
            "Kafka 3.6.0 · 2 × kafka.m7g.large",
            "clients: IAM · 100 GB/broker → 1000 GB",
            "configuration t-kafka-config",
            "topics: clicks, orders",
            "private subnets 10.9.10.0/24, 10.9.20.0/24",
        ]);
    });

    it("draws who may reach each store: the workloads carrying the groups its ingress rules reference, with the ports it listens on", () => {
        assert.deepStrictEqual(edges(diagram, into("rds_db")), [
            "nodes_general -tcp/5432-> rds_db",
            "nodes_spot -tcp/5432-> rds_db",
            // No workload carries the batch group: the edge starts at the group.
            "sg_batch -tcp/5432-> rds_db",
            "svc_worker -tcp/5432-> rds_db",
        ]);
        assert.deepStrictEqual(edges(diagram, into("cache_cache")), [
            "nodes_general -tcp/6379-> cache_cache",
            "nodes_spot -tcp/6379-> cache_cache",
            "svc_worker -tcp/6379-> cache_cache",
        ]);
        assert.deepStrictEqual(edges(diagram, into("msk_kafka")), [
            "host_monitor -tcp/11001, tcp/11002-> msk_kafka",
            "nodes_general -tcp/9098-> msk_kafka",
            "nodes_spot -tcp/9098-> msk_kafka",
            "svc_worker -tcp/9098-> msk_kafka",
        ]);
    });

    it("draws which secret describes each store, from its SecretVersion's secretString dependencies", () => {
        assert.deepStrictEqual(
            edges(diagram, (e) => e.from.startsWith("secret_")),
            ["secret_database_secret -endpoint-> rds_db", "secret_redis_secret -endpoint-> cache_cache"],
        );
        assert.deepStrictEqual(node(diagram, "secret_database_secret").lines, ["secret t-database-credentials"]);
    });

    it("folds subnet groups, the MSK configuration, topics and storage scaling into the store nodes", () => {
        const summary = summaryLines(diagram);
        for (const type of ["SubnetGroup", "Configuration", "Topic", "Target", "Policy", "Addon", "AccessEntry", "PodIdentityAssociation"]) {
            assert.ok(!new RegExp(`\\d ${type}\\b`).test(summary), `${type} in the summary: ${summary}`);
        }
        assert.match(summary, /1 AccessPolicyAssociation/);
    });

    it("labels with the rule's own range where the store's port is not in the plan", () => {
        const resources = dataStores().map((resource) =>
            resource.type === TYPE.rdsInstance ? { ...resource, inputs: { ...resource.inputs, engine: UNKNOWN, port: UNKNOWN } } : resource,
        );
        assert.deepStrictEqual(edges(buildDiagram(resources), into("rds_db")), [
            "host_monitor -tcp/3306-> rds_db",
            "nodes_general -tcp/5432-> rds_db",
            "nodes_spot -tcp/5432-> rds_db",
            "sg_batch -tcp/5432-> rds_db",
            "svc_worker -tcp/5432-> rds_db",
        ]);
    });

    it("lists the new workloads on their groups' 'used by' line", () => {
        assert.ok(node(diagram, "sg_kubernetes").lines.includes("used by: EKS nodes general, EKS nodes spot"));
        assert.ok(node(diagram, "sg_database").lines.includes("used by: RDS t-postgres"));
    });
});

describe("diagram: entry point", () => {
    it("Internet → WAF → ALB → target group → ECS service, with the listeners' ports; the certificate on HTTPS; the alias record", () => {
        const diagram = buildDiagram(entryPoint());
        assert.deepStrictEqual(
            edges(diagram, (e) => ["internet", "waf_acl", "alb_alb", "tg_tg", "cert_cert", "dns_alias"].includes(e.from) && !e.to.startsWith("igw_")),
            [
                "alb_alb -HTTPS 443-> tg_tg",
                "cert_cert -HTTPS 443-> alb_alb",
                "dns_alias -alias-> alb_alb",
                "internet -HTTP 80, HTTPS 443-> waf_acl",
                "tg_tg -HTTP 8080-> svc_web",
                "waf_acl -allowed requests-> alb_alb",
            ],
        );
        assert.deepStrictEqual(node(diagram, "alb_alb").lines, [
            "ALB t-alb",
            "internet-facing · drops invalid headers",
            "HTTP 80 → redirect to HTTPS 443",
            "HTTPS 443 (ELBSecurityPolicy-TLS13-1-2-2021-06) → forward",
        ]);
        assert.deepStrictEqual(node(diagram, "waf_acl").lines, [
            "WAF t-web-acl",
            "default allow · 4 rules",
            "Common, KnownBadInputs, SQLi, rate 2000/300s",
            "logs → aws-waf-logs-t-web",
        ]);
        assert.deepStrictEqual(node(diagram, "tg_tg").lines, ["target group t-web", "ip · HTTP 8080", "health check /health"]);
        assert.deepStrictEqual(node(diagram, "cert_cert").lines, [
            "ACM certificate app.example.com",
            "DNS validated · 1 Route53 record · waits for issue",
        ]);
        assert.deepStrictEqual(node(diagram, "svc_web").lines, [
            "ECS service t-web",
            "FARGATE · desired 2",
            "autoscaling 2–6 on CPU 60%, requests 1000",
        ]);
        assert.ok(!allNodes(diagram).some((n) => n.id === "dns_cert_record"), "the validation record is folded into the certificate");
        assert.ok(subnetLines(diagram, "10.9.1.0/24").includes("load balancer alb"));
        assert.ok(subnetLines(diagram, "10.9.10.0/24").includes("ECS tasks t-web (desired 2)"));
        const summary = summaryLines(diagram);
        for (const type of ["Listener", "WebAclAssociation", "WebAclLoggingConfiguration", "CertificateValidation", "Record", "Target", "Policy"]) {
            assert.ok(!new RegExp(`\\d ${type}\\b`).test(summary), `${type} in the summary: ${summary}`);
        }
    });

    it("without a web ACL the internet reaches the ALB directly; an internal ALB is not reached from the internet", () => {
        const open = buildDiagram(entryPoint({ waf: false }));
        assert.deepStrictEqual(
            edges(open, (e) => e.from === "internet" && e.to.startsWith("alb_")),
            ["internet -HTTP 80, HTTPS 443-> alb_alb"],
        );
        const internal = buildDiagram(entryPoint({ waf: false, internal: true }));
        assert.deepStrictEqual(
            edges(internal, (e) => e.from === "internet" && !e.to.startsWith("igw_") && !e.to.startsWith("sg_")),
            [],
        );
        assert.ok(node(internal, "alb_alb").lines.includes("internal · drops invalid headers"));
    });
});

describe("diagram: EKS", () => {
    const diagram = buildDiagram([...network(), group("kubernetes"), ...eks()]);

    it("draws the cluster with its add-ons (compactly), endpoint and access, and its node groups", () => {
        assert.deepStrictEqual(node(diagram, "eks_eks").lines, [
            "EKS t-eks v1.31",
            "endpoint: private",
            "add-ons: aws-ebs-csi-driver 1.38.1, coredns 1.11.4, kube-proxy 1.31.3",
            "vpc-cni 1.19.2",
            "access entries: 1 · pod identities: 1",
        ]);
        assert.deepStrictEqual(node(diagram, "nodes_general").lines, [
            "node group t-general",
            "ON_DEMAND m7g.large · 1–4 (desired 2)",
            "launch template t-eks-nodes · IMDSv2",
        ]);
        assert.deepStrictEqual(node(diagram, "nodes_spot").lines, [
            "node group t-spot",
            "SPOT m7g.large/m6g.large · 1–4 (desired 2)",
            "launch template t-eks-nodes · IMDSv2",
        ]);
        assert.deepStrictEqual(
            edges(diagram, (e) => e.from === "eks_eks"),
            ["eks_eks -nodes-> nodes_general", "eks_eks -nodes-> nodes_spot"],
        );
    });

    it("places the control plane and the node groups in their subnets", () => {
        for (const cidr of ["10.9.10.0/24", "10.9.20.0/24"]) {
            const lines = subnetLines(diagram, cidr);
            for (const text of ["EKS eks", "EKS nodes general", "EKS nodes spot"]) assert.ok(lines.includes(text), `${text} in ${cidr}`);
        }
        assert.ok(!subnetLines(diagram, "10.9.1.0/24").some((line) => line.startsWith("EKS")));
    });

    it("says when the public endpoint is on, and to how many CIDRs", () => {
        const resources = [...network(), ...eks()].map((resource) =>
            resource.type === TYPE.eksCluster
                ? {
                      ...resource,
                      inputs: {
                          ...resource.inputs,
                          vpcConfig: {
                              subnetIds: PRIVATE,
                              endpointPrivateAccess: true,
                              endpointPublicAccess: true,
                              publicAccessCidrs: ["203.0.113.0/24"],
                          },
                      },
                  }
                : resource,
        );
        assert.ok(node(buildDiagram(resources), "eks_eks").lines.includes("endpoint: private + public (1 CIDRs)"));
    });
});

describe("diagram: alarm flow and audit", () => {
    const diagram = buildDiagram(alarmFlow());

    it("counts the alarms in one node, with their metrics by namespace, → the SNS topic → the email subscription", () => {
        const alarmNodes = allNodes(diagram).filter((n) => n.id.startsWith("alarms_"));
        assert.strictEqual(alarmNodes.length, 1);
        assert.deepStrictEqual(alarmNodes[0].lines, [
            "12 alarms",
            "ApplicationELB: HTTPCode_ELB_5XX_Count, HTTPCode_Target_5XX_Count, TargetResponseTime",
            "ECS: CPUUtilization, MemoryUtilization",
            "Kafka: KafkaDataLogsDiskUsed",
            "RDS: CPUUtilization, DatabaseConnections, FreeStorageSpace, ReadLatency",
        ]);
        assert.deepStrictEqual(
            edges(diagram, (e) => e.kind === "notify"),
            [
                `${alarmNodes[0].id} -alarm, ok-> topic_alarms`,
                "budget_budget -email-> subscriber_email_ops_example_com",
                "topic_alarms -email-> subscriber_email_ops_example_com",
            ],
        );
        assert.deepStrictEqual(node(diagram, "topic_alarms").lines, ["SNS topic t-alarms", "KMS encrypted"]);
        assert.ok(!/MetricAlarm|TopicSubscription/.test(summaryLines(diagram)));
    });

    it("draws the budget with its alerts, and CloudTrail delivering to the log bucket", () => {
        assert.deepStrictEqual(node(diagram, "budget_budget").lines, [
            "Budget t-monthly",
            "500 USD monthly cost",
            "alerts at 80% actual, 100% actual, 100% forecasted",
        ]);
        assert.deepStrictEqual(node(diagram, "trail_trail").lines, ["CloudTrail t-trail", "multi-region · log file validation · KMS"]);
        assert.deepStrictEqual(
            edges(diagram, (e) => e.from === "trail_trail"),
            ["trail_trail -cloudtrail/-> bucket_access_logs"],
        );
    });

    it("never shows an address it cannot read (a secret or unknown endpoint)", () => {
        const hidden = buildDiagram(alarmFlow(SECRET));
        const subscribers = hidden.outside.filter((n) => n.id.startsWith("subscriber_"));
        assert.deepStrictEqual(
            subscribers.map((n) => n.lines),
            [["email (address not shown: secret or unknown)"]],
        );
    });
});

describe("diagram: EC2 capacity", () => {
    const diagram = buildDiagram(ec2Capacity());

    it("auto scaling group in its subnets → capacity provider → ECS cluster, beside the Fargate providers", () => {
        assert.deepStrictEqual(
            edges(diagram, (e) => e.kind === "uses" && (e.from.startsWith("asg_") || e.from.startsWith("cp_"))),
            ["asg_asg -instances-> cp_cp", "cp_cp -capacity-> ecs_cluster"],
        );
        assert.deepStrictEqual(node(diagram, "asg_asg").lines, ["ASG t-ecs-capacity", "m7g.large · 0–4", "launch template t-ecs-capacity · IMDSv2"]);
        assert.deepStrictEqual(node(diagram, "cp_cp").lines, ["capacity provider t-ecs-capacity", "managed scaling 100% · termination protection"]);
        assert.deepStrictEqual(node(diagram, "ecs_cluster").lines, ["ECS cluster t-cluster", "capacity: FARGATE, FARGATE_SPOT, t-ecs-capacity"]);
        for (const cidr of ["10.9.10.0/24", "10.9.20.0/24"]) assert.ok(subnetLines(diagram, cidr).includes("EC2 capacity t-ecs-capacity"), cidr);
        assert.ok(!/LaunchTemplate|ClusterCapacityProviders/.test(summaryLines(diagram)));
        assert.ok(node(diagram, "sg_app").lines.includes("used by: ASG t-ecs-capacity"));
    });
});

describe("diagram: rendering the new tiers", () => {
    const deployments: Record<string, () => DeploymentResource[]> = {
        "data stores": dataStores,
        "entry point": () => entryPoint(),
        EKS: () => [...network(), ...eks()],
        "alarm flow": () => alarmFlow(),
        "EC2 capacity": ec2Capacity,
    };

    /** Every input replaced: strings by `[secret]` or the whole input by an unknown, as a preview or a redacted export gives. */
    const redacted = (resources: DeploymentResource[], replace: (value: unknown) => unknown) =>
        resources.map((resource) => ({
            ...resource,
            inputs: Object.fromEntries(Object.entries(resource.inputs).map(([key, value]) => [key, replace(value)])),
        }));
    const secretStrings = (value: unknown): unknown =>
        typeof value === "string"
            ? SECRET
            : Array.isArray(value)
              ? value.map(secretStrings)
              : value && typeof value === "object"
                ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretStrings(v)]))
                : value;

    for (const [name, build] of Object.entries(deployments)) {
        it(`${name}: renders Mermaid and SVG (Graphviz), also with every input secret or unknown`, async () => {
            for (const resources of [build(), redacted(build(), secretStrings), redacted(build(), () => UNKNOWN)]) {
                const mmd = await renderDiagram(resources, "mmd");
                assert.match(mmd, /^flowchart LR$/m);
                const svg = await renderDiagram(resources, "svg");
                assert.match(svg, /<svg[\s>]/);
            }
            const mmd = await renderDiagram(build(), "mmd");
            for (const edge of buildDiagram(build()).edges)
                assert.ok(mmd.includes(`${edge.from} `) && mmd.includes(` ${edge.to}`), `${edge.from} → ${edge.to} in Mermaid`);
        });
    }
});

describe("diagram: links between plan resources", () => {
    const subnet = r(TYPE.ec2Subnet, "a", { cidrBlock: "10.9.1.0/24" });
    const other = r(TYPE.ec2Subnet, "b", { cidrBlock: "10.9.2.0/24" });
    const sameName = r(TYPE.ec2SecurityGroup, "b-as-group", {}, { id: "b-id" });

    it("reads every element of a list on the way down, and keeps unknowns", () => {
        assert.deepStrictEqual(valuesAt({ a: [{ b: 1 }, { b: [2, 3] }, UNKNOWN] }, "a.b"), [1, 2, 3, UNKNOWN]);
        assert.deepStrictEqual(valuesAt({ a: [{ b: 1 }, { b: 2 }] }, "a.1.b"), [2]);
        assert.deepStrictEqual(valuesAt({}, "a.b"), []);
    });

    it("resolves by id, ARN or name within the asked types, and falls back to the property's dependencies only for what it cannot read", () => {
        const byValue = r(TYPE.ecsService, "by-value", { networkConfiguration: { subnets: ["b-id"] } });
        const byDependency = r(
            TYPE.ecsService,
            "by-dependency",
            { networkConfiguration: { subnets: [UNKNOWN] } },
            { propertyDependencies: { networkConfiguration: [subnet, sameName] } },
        );
        const absent = r(TYPE.ecsService, "absent", {}, { dependsOn: [subnet] });
        const links = new Links(new ResourceIndex([subnet, other, sameName, byValue, byDependency, absent]));
        const refs = (service: DeploymentResource) => links.refs(service, "networkConfiguration.subnets", [TYPE.ec2Subnet]).map(logical);
        assert.deepStrictEqual(refs(byValue), ["b"]);
        assert.deepStrictEqual(refs(byDependency), ["a"]);
        assert.deepStrictEqual(refs(absent), []);
    });
});
