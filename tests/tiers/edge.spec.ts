import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { problemsFromZod } from "../../components/config/errors";
import {
    ALB_ACCESS_LOG_PREFIX,
    ELB_LOG_DELIVERY_ACCOUNTS,
    ELB_LOG_DELIVERY_SERVICE,
    albLogDeliveryStatements,
} from "../../components/edge/access-logs";
import * as YAML from "yaml";
import {
    ALB_SSL_POLICIES,
    DEFAULT_SSL_POLICY,
    ECS_SERVICE_DEFAULTS,
    EcsServiceKey,
    EdgeConfig,
    WEB_RUNTIMES,
    edgeProblems,
    edgeRuntimeProblems,
    edgeSchema,
} from "../../components/edge/config";
import { Edge, EdgeArgs, WEB_SERVICE_REF } from "../../components/edge/edge";
import { WAF_MANAGED_RULE_GROUPS } from "../../components/edge/waf";
import { HEALTH_CHECK_PATH, QUALITY_REPORTS_PREFIX, WEB_IMAGE_DIR, WEB_USER, clusterNameOf, webEnvironment } from "../../components/edge/web-service";
import { catalogDatabaseName } from "../../components/etl/etl";
import { INTERFACE_ENDPOINT_SERVICES } from "../../components/network/network";
import { policyDocument } from "../../components/shared/iam";
import { Naming } from "../../components/shared/naming";
import { PORTS } from "../../components/shared/ports";
import { SUPPORTED_REGIONS } from "../../components/shared/regions";
import { MockCloud } from "../../tools/mock-cloud";
import { toDeploymentResources } from "../../tools/deployment";
import { PackConfig, loadPackConfig, runPolicies } from "../../tools/policy-runner";
import { ProgramRun, runProgram } from "../../tools/run-program";
import { MODERN_TLS_POLICY } from "../../policy-pack/policies/encryption";
import { TLS13_POLICY, edgePolicies } from "../../policy-pack/policies/edge";
import { TYPE } from "../../policy-pack/policies/types";
import { inputsOf, jsonInput, named, ofType } from "../support/helpers";

const REGION = "us-east-2";
const ACCOUNT = "123456789012";
const ZONE = "Z0EXAMPLE12345";
const LOGS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/logs-key`;
const STORAGE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/storage-key`;
const bucket = (name: string) => ({ name, arn: `arn:aws:s3:::${name}` });

/** Literal inputs for the tier alone (the platform wires the real ones). */
const LITERALS = {
    vpcId: "vpc-0edge",
    publicSubnetIds: ["subnet-0public-a", "subnet-0public-b"],
    serviceSubnetIds: ["subnet-0private-a", "subnet-0private-b"],
    webSecurityGroupId: "sg-0web",
    appSecurityGroupId: "sg-0app",
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/t-data-processing-cluster`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/t-ecs-task-execution-role`,
    imageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/t-web:v0.1.0`,
    accessLogsBucket: bucket("t-access-logs-0123abcd"),
    dataLakeBucket: bucket("t-data-lake-0123abcd"),
};

/** The two shapes the issue asks for: staging (no WAF, no deletion protection) and prod (WAF, deletion protection). */
const STACKS = {
    staging: {
        protect: false,
        config: edgeSchema.parse({
            enabled: true,
            domain: "staging.data-platform.example.com",
            hostedZoneId: ZONE,
            service: { desiredCount: 1, minCount: 1, maxCount: 2 },
        }),
    },
    prod: {
        protect: true,
        config: edgeSchema.parse({
            enabled: true,
            domain: "data-platform.example.com",
            hostedZoneId: ZONE,
            waf: true,
            logRetentionDays: 365,
            service: { cpu: 512, memory: 1024, desiredCount: 2, minCount: 2, maxCount: 6 },
        }),
    },
} as const;
type StackName = keyof typeof STACKS;

// ---------------------------------------------------------------------------
// What AWS computes for the edge's resources. The stock mock cloud (tools/mock-cloud.ts) has no builder
// for these types yet and answers with a generic id and ARN only; until it has, these fill in the
// attributes the tier reads (ARN suffixes, DNS name and zone, the ACM validation record, the record's
// FQDN). A stock builder that already answers a type wins (the marker field is present).
// ---------------------------------------------------------------------------

/** Route53 hosted zone ids of ALBs per region (terraform-provider-aws internal/service/elbv2/hosted_zone_id_data_source.go). */
const ALB_ZONE_IDS: Record<string, string> = { "us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-2": "Z1H1FL5HABSF5" };

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);
const text = (value: unknown) => (typeof value === "string" ? value : undefined);

type MockAnswer = { id: string | undefined; state: Record<string, unknown> };
const EDGE_OUTPUTS: Record<string, { marker: string; build: (args: pulumi.runtime.MockResourceArgs, region: string) => MockAnswer }> = {
    [TYPE.lbLoadBalancer]: {
        marker: "arnSuffix",
        build: (args, region) => {
            const lbName = text(args.inputs.name) ?? args.name;
            const suffix = `app/${lbName}/${hex(args.name, 16)}`;
            const arn = `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${suffix}`;
            const dnsName = `${lbName}-${parseInt(hex(args.name, 8), 16)}.${region}.elb.amazonaws.com`;
            return { id: arn, state: { arn, arnSuffix: suffix, dnsName, zoneId: ALB_ZONE_IDS[region] ?? "Z3AADJGX6KTTL2" } };
        },
    },
    [TYPE.lbTargetGroup]: {
        marker: "arnSuffix",
        build: (args, region) => {
            const suffix = `targetgroup/${text(args.inputs.name) ?? args.name}/${hex(args.name, 16)}`;
            const arn = `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:${suffix}`;
            return { id: arn, state: { arn, arnSuffix: suffix } };
        },
    },
    [TYPE.acmCertificate]: {
        marker: "domainValidationOptions",
        build: (args, region) => {
            const domainName = text(args.inputs.domainName) ?? "example.com";
            const arn = `arn:aws:acm:${region}:${ACCOUNT}:certificate/${hex(args.name, 8)}-${hex(`${args.name}1`, 4)}-4${hex(`${args.name}2`, 3)}-a${hex(`${args.name}3`, 3)}-${hex(`${args.name}4`, 12)}`;
            const option = {
                domainName,
                resourceRecordName: `_${hex(`${domainName}name`, 32)}.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${hex(`${domainName}value`, 32)}.${hex(domainName, 10)}.acm-validations.aws.`,
            };
            return { id: arn, state: { arn, domainValidationOptions: [option], status: "PENDING_VALIDATION" } };
        },
    },
    [TYPE.route53Record]: {
        marker: "fqdn",
        build: (args) => {
            const recordName = (text(args.inputs.name) ?? args.name).replace(/\.$/, "");
            return { id: `${text(args.inputs.zoneId)}_${recordName}_${text(args.inputs.type)}`, state: { fqdn: recordName } };
        },
    },
};

let stockNewResource: MockCloud["newResource"] | undefined;

/** Installs the edge answers on the mock cloud (removed by `restoreMockCloud`). */
function withEdgeAnswers(): void {
    if (stockNewResource) return;
    const stock = MockCloud.prototype.newResource;
    stockNewResource = stock;
    MockCloud.prototype.newResource = function (this: MockCloud, args: pulumi.runtime.MockResourceArgs) {
        const answer = stock.call(this, args);
        const extra = EDGE_OUTPUTS[args.type];
        if (!extra || answer.state[extra.marker] !== undefined) return answer;
        const built = extra.build(args, this.region);
        return { id: built.id ?? answer.id, state: { ...answer.state, ...built.state } };
    };
}

function restoreMockCloud(): void {
    if (stockNewResource) MockCloud.prototype.newResource = stockNewResource;
    stockNewResource = undefined;
}

// ---------------------------------------------------------------------------

interface TierRun {
    readonly run: ProgramRun;
    readonly outputs: Record<string, unknown>;
    readonly edge: Edge;
}

function outputValue<T>(output: pulumi.Output<T> | undefined): Promise<T | undefined> {
    if (output === undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

/** Builds the edge tier alone under the mock cloud. */
async function runEdge(stack: StackName | string, config: EdgeConfig, protect: boolean, overrides: Partial<EdgeArgs> = {}): Promise<TierRun> {
    let edge: Edge | undefined;
    withEdgeAnswers();
    try {
        const run = await runProgram({
            stack,
            config: { "aws:region": REGION },
            program: () => {
                edge = new Edge("t-edge", {
                    naming: new Naming(stack),
                    config,
                    region: REGION,
                    protect,
                    ...LITERALS,
                    catalog: true,
                    keys: { logs: LOGS_KEY, storage: STORAGE_KEY },
                    ...overrides,
                });
            },
        });
        assert.ok(edge);
        const built = edge;
        const names = [
            "url",
            "loadBalancerArn",
            "loadBalancerDnsName",
            "targetGroupArn",
            "certificateArn",
            "webAclArn",
            "serviceName",
            "targetGroupBinding",
        ] as const;
        const values = await Promise.all(names.map((key) => outputValue<unknown>(built[key] as pulumi.Output<unknown> | undefined)));
        return { run, outputs: Object.fromEntries(names.map((key, i) => [key, values[i]])), edge: built };
    } finally {
        restoreMockCloud();
    }
}

const one = (run: ProgramRun, type: string, suffix: string) => inputsOf(named(run, type, suffix));
const outputsOf = (run: ProgramRun, type: string, suffix: string) => named(run, type, suffix).outputs as Record<string, any>;

function container(run: ProgramRun): any {
    const definitions = jsonInput(named(run, TYPE.ecsTaskDefinition, "-web-task"), "containerDefinitions");
    assert.strictEqual(definitions.length, 1);
    return definitions[0];
}

describe("edge tier", () => {
    for (const stack of Object.keys(STACKS) as StackName[]) {
        const { config, protect } = STACKS[stack];
        const domain = config.domain!;
        describe(`${stack}-like (${config.waf ? "WAF" : "no WAF"}, ${protect ? "protected" : "unprotected"})`, () => {
            let run: ProgramRun;
            let outputs: Record<string, unknown>;
            before(async () => {
                ({ run, outputs } = await runEdge(stack, config, protect));
            });

            it("builds an internet-facing application load balancer in the public subnets with the web group", () => {
                const alb = one(run, TYPE.lbLoadBalancer, "-alb");
                assert.strictEqual(alb.name, `${stack}-web-alb`);
                assert.ok(alb.name.length <= 32, "ALB names have at most 32 characters");
                assert.strictEqual(alb.loadBalancerType, "application");
                assert.strictEqual(alb.internal, false);
                assert.strictEqual(alb.ipAddressType, "ipv4");
                assert.deepStrictEqual(alb.subnets, LITERALS.publicSubnetIds);
                assert.deepStrictEqual(alb.securityGroups, [LITERALS.webSecurityGroupId]);
                assert.strictEqual(alb.tags.Tier, "edge");
            });

            it("drops invalid header fields, mitigates desync strictly and logs access to the log bucket under alb/", () => {
                const alb = one(run, TYPE.lbLoadBalancer, "-alb");
                assert.strictEqual(alb.dropInvalidHeaderFields, true);
                assert.strictEqual(alb.desyncMitigationMode, "strictest");
                assert.deepStrictEqual(alb.accessLogs, { bucket: LITERALS.accessLogsBucket.name, prefix: ALB_ACCESS_LOG_PREFIX, enabled: true });
            });

            it(protect ? "turns on deletion protection (a protected stack)" : "leaves deletion protection off (destroyable the same day)", () => {
                assert.strictEqual(one(run, TYPE.lbLoadBalancer, "-alb").enableDeletionProtection, protect);
            });

            it("requests a DNS-validated certificate for the domain and validates it through the hosted zone", () => {
                const certificate = named(run, TYPE.acmCertificate, "-certificate");
                assert.strictEqual(inputsOf(certificate).domainName, domain);
                assert.strictEqual(inputsOf(certificate).validationMethod, "DNS");
                assert.strictEqual(inputsOf(certificate).subjectAlternativeNames, undefined);
                const [option] = certificate.outputs.domainValidationOptions as Record<string, string>[];
                const record = one(run, TYPE.route53Record, "-certificate-validation-record");
                assert.strictEqual(record.zoneId, ZONE);
                assert.strictEqual(record.name, option.resourceRecordName);
                assert.strictEqual(record.type, "CNAME");
                assert.deepStrictEqual(record.records, [option.resourceRecordValue]);
                assert.strictEqual(record.ttl, 60);
                assert.strictEqual(record.allowOverwrite, true);
                const validation = one(run, TYPE.acmCertificateValidation, "-certificate-validation");
                assert.strictEqual(validation.certificateArn, certificate.outputs.arn);
                assert.deepStrictEqual(validation.validationRecordFqdns, [outputsOf(run, TYPE.route53Record, "-certificate-validation-record").fqdn]);
            });

            it("HTTP :80 only redirects to HTTPS with a 301", () => {
                const http = one(run, TYPE.lbListener, "-http");
                assert.strictEqual(http.port, 80);
                assert.strictEqual(http.protocol, "HTTP");
                assert.strictEqual(http.loadBalancerArn, outputsOf(run, TYPE.lbLoadBalancer, "-alb").arn);
                assert.deepStrictEqual(http.defaultActions, [
                    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                ]);
                assert.deepStrictEqual(ofType(run, TYPE.lbListenerRule), [], "no rule may forward on the HTTP listener");
            });

            it("HTTPS :443 serves the validated certificate with the TLS 1.3 policy and forwards to the target group", () => {
                const https = one(run, TYPE.lbListener, "-https");
                assert.strictEqual(https.port, 443);
                assert.strictEqual(https.protocol, "HTTPS");
                assert.strictEqual(https.sslPolicy, DEFAULT_SSL_POLICY);
                assert.strictEqual(https.certificateArn, outputsOf(run, TYPE.acmCertificateValidation, "-certificate-validation").certificateArn);
                assert.deepStrictEqual(https.defaultActions, [
                    { type: "forward", targetGroupArn: outputsOf(run, TYPE.lbTargetGroup, "-web-tg").arn },
                ]);
                assert.strictEqual(https.routingHttpResponseStrictTransportSecurityHeaderValue, "max-age=31536000");
            });

            it("forwards to an ip target group on the app port with a /healthz health check and a short deregistration delay", () => {
                const group = one(run, TYPE.lbTargetGroup, "-web-tg");
                assert.strictEqual(group.targetType, "ip");
                assert.strictEqual(group.protocol, "HTTP");
                assert.strictEqual(group.port, PORTS.appHttp.from);
                assert.strictEqual(group.vpcId, LITERALS.vpcId);
                assert.strictEqual(group.deregistrationDelay, 30);
                assert.deepStrictEqual(
                    {
                        path: group.healthCheck.path,
                        matcher: group.healthCheck.matcher,
                        port: group.healthCheck.port,
                        protocol: group.healthCheck.protocol,
                    },
                    { path: HEALTH_CHECK_PATH, matcher: "200", port: "traffic-port", protocol: "HTTP" },
                );
            });

            it("points an alias A record for the domain at the ALB", () => {
                const alias = one(run, TYPE.route53Record, "-alias");
                const alb = outputsOf(run, TYPE.lbLoadBalancer, "-alb");
                assert.deepStrictEqual(
                    { zoneId: alias.zoneId, name: alias.name, type: alias.type, aliases: alias.aliases },
                    { zoneId: ZONE, name: domain, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                );
                assert.ok(!ofType(run, TYPE.route53Record).some((record) => inputsOf(record).type === "AAAA"), "IPv4 ALB: no AAAA record");
            });

            if (!config.waf) {
                it("builds no WAF (edge.waf is false)", () => {
                    for (const type of [
                        TYPE.wafv2WebAcl,
                        TYPE.wafv2WebAclAssociation,
                        TYPE.wafv2WebAclLoggingConfiguration,
                        TYPE.cloudwatchLogResourcePolicy,
                    ])
                        assert.deepStrictEqual(ofType(run, type), [], type);
                    assert.strictEqual(outputs.webAclArn, undefined);
                });
            } else {
                it("associates a regional web ACL with the rate limit and the common, known-bad-inputs and SQL-injection groups", () => {
                    const acl = one(run, TYPE.wafv2WebAcl, "-web-acl");
                    assert.strictEqual(acl.scope, "REGIONAL");
                    // The WAF API's pattern for descriptions (no apostrophes, parentheses or semicolons).
                    assert.match(acl.description, /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/);
                    assert.match(acl.name, /^[\w-]{1,128}$/);
                    assert.deepStrictEqual(acl.defaultAction, { allow: {} });
                    assert.deepStrictEqual(acl.visibilityConfig, {
                        cloudwatchMetricsEnabled: true,
                        sampledRequestsEnabled: true,
                        metricName: `${stack}-web-acl`,
                    });
                    const [rate, ...managed] = acl.rules as any[];
                    assert.deepStrictEqual(rate.statement, {
                        rateBasedStatement: { limit: config.wafRateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 },
                    });
                    assert.deepStrictEqual(rate.action, { block: {} });
                    assert.strictEqual(rate.priority, 0);
                    assert.deepStrictEqual(
                        managed.map((rule) => rule.statement.managedRuleGroupStatement),
                        WAF_MANAGED_RULE_GROUPS.map((name) => ({ vendorName: "AWS", name })),
                    );
                    assert.deepStrictEqual(WAF_MANAGED_RULE_GROUPS, [
                        "AWSManagedRulesCommonRuleSet",
                        "AWSManagedRulesKnownBadInputsRuleSet",
                        "AWSManagedRulesSQLiRuleSet",
                    ]);
                    for (const rule of managed) assert.deepStrictEqual(rule.overrideAction, { none: {} });
                    const priorities = (acl.rules as any[]).map((rule) => rule.priority);
                    assert.strictEqual(new Set(priorities).size, priorities.length, "priorities are unique");
                    for (const rule of acl.rules as any[]) {
                        assert.strictEqual(rule.visibilityConfig.cloudwatchMetricsEnabled, true);
                        assert.match(rule.visibilityConfig.metricName, /^[A-Za-z0-9_-]{1,128}$/);
                    }
                    const association = one(run, TYPE.wafv2WebAclAssociation, "-web-acl-association");
                    assert.strictEqual(association.resourceArn, outputsOf(run, TYPE.lbLoadBalancer, "-alb").arn);
                    assert.strictEqual(association.webAclArn, outputsOf(run, TYPE.wafv2WebAcl, "-web-acl").arn);
                    assert.strictEqual(outputs.webAclArn, outputsOf(run, TYPE.wafv2WebAcl, "-web-acl").arn);
                });

                it("logs the web ACL to aws-waf-logs-<env> (retention, logs key) after the delivery policy exists", () => {
                    const logGroup = named(run, TYPE.cloudwatchLogGroup, "-waf-logs");
                    assert.strictEqual(inputsOf(logGroup).name, `aws-waf-logs-${stack}`);
                    assert.strictEqual(inputsOf(logGroup).retentionInDays, config.logRetentionDays);
                    assert.strictEqual(inputsOf(logGroup).kmsKeyId, LOGS_KEY);
                    const logging = named(run, TYPE.wafv2WebAclLoggingConfiguration, "-waf-logging");
                    assert.strictEqual(inputsOf(logging).resourceArn, outputsOf(run, TYPE.wafv2WebAcl, "-web-acl").arn);
                    assert.deepStrictEqual(inputsOf(logging).logDestinationConfigs, [logGroup.outputs.arn]);
                    assert.deepStrictEqual(
                        inputsOf(logging).redactedFields.map((field: any) => field.singleHeader.name),
                        ["authorization", "cookie"],
                    );
                    const delivery = named(run, TYPE.cloudwatchLogResourcePolicy, "-waf-log-delivery");
                    assert.ok(logging.dependencies.includes(delivery.urn), "logging waits for the resource policy");
                    const [statement] = jsonInput(delivery, "policyDocument").Statement;
                    assert.deepStrictEqual(statement.Principal, { Service: "delivery.logs.amazonaws.com" });
                    assert.deepStrictEqual(statement.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
                    assert.strictEqual(statement.Resource, `${logGroup.outputs.arn}:log-stream:*`);
                    assert.deepStrictEqual(statement.Condition, {
                        ArnLike: { "aws:SourceArn": `arn:aws:logs:${REGION}:${ACCOUNT}:*` },
                        StringEquals: { "aws:SourceAccount": ACCOUNT },
                    });
                });
            }

            it("gives the web service its own log group and a role that reads only the catalog and the quality reports", () => {
                const logGroup = one(run, TYPE.cloudwatchLogGroup, "-web-logs");
                assert.deepStrictEqual(
                    { name: logGroup.name, retentionInDays: logGroup.retentionInDays, kmsKeyId: logGroup.kmsKeyId },
                    { name: `/ecs/${stack}-web`, retentionInDays: config.logRetentionDays, kmsKeyId: LOGS_KEY },
                );
                const role = named(run, TYPE.iamRole, "-web-task-role");
                assert.deepStrictEqual(jsonInput(role, "assumeRolePolicy").Statement, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                ]);
                const policy = named(run, TYPE.iamRolePolicy, "-web-task-policy");
                assert.strictEqual(inputsOf(policy).role, role.outputs.id ?? role.id);
                const database = catalogDatabaseName(stack);
                const lake = LITERALS.dataLakeBucket.arn;
                assert.deepStrictEqual(jsonInput(policy, "policy").Statement, [
                    {
                        Sid: "ReadDataLakeCatalog",
                        Effect: "Allow",
                        Action: ["glue:GetDatabase", "glue:GetTables"],
                        Resource: [
                            `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
                            `arn:aws:glue:${REGION}:${ACCOUNT}:database/${database}`,
                            `arn:aws:glue:${REGION}:${ACCOUNT}:table/${database}/*`,
                        ],
                    },
                    {
                        Sid: "ListQualityReports",
                        Effect: "Allow",
                        Action: ["s3:ListBucket"],
                        Resource: lake,
                        Condition: { StringLike: { "s3:prefix": [QUALITY_REPORTS_PREFIX, `${QUALITY_REPORTS_PREFIX}*`] } },
                    },
                    { Sid: "ReadQualityReports", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${lake}/${QUALITY_REPORTS_PREFIX}*` },
                    {
                        Sid: "QualityReportsKey",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: STORAGE_KEY,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
                    },
                ]);
            });

            it("runs a Fargate task: non-root, read-only root filesystem, unprivileged, health-checked, on the app port", () => {
                const task = one(run, TYPE.ecsTaskDefinition, "-web-task");
                assert.deepStrictEqual(
                    {
                        family: task.family,
                        networkMode: task.networkMode,
                        requiresCompatibilities: task.requiresCompatibilities,
                        cpu: task.cpu,
                        memory: task.memory,
                        executionRoleArn: task.executionRoleArn,
                        taskRoleArn: task.taskRoleArn,
                    },
                    {
                        family: `${stack}-web`,
                        networkMode: "awsvpc",
                        requiresCompatibilities: ["FARGATE"],
                        cpu: String(config.service.cpu),
                        memory: String(config.service.memory),
                        executionRoleArn: LITERALS.executionRoleArn,
                        taskRoleArn: outputsOf(run, TYPE.iamRole, "-web-task-role").arn,
                    },
                );
                const web = container(run);
                assert.strictEqual(web.image, LITERALS.imageUri);
                assert.strictEqual(web.user, WEB_USER);
                assert.strictEqual(web.readonlyRootFilesystem, true);
                assert.strictEqual(web.privileged, false);
                assert.deepStrictEqual(web.linuxParameters.capabilities, { drop: ["ALL"] });
                assert.deepStrictEqual(web.portMappings, [
                    { containerPort: PORTS.appHttp.from, hostPort: PORTS.appHttp.from, protocol: "tcp", name: "http" },
                ]);
                assert.deepStrictEqual(web.healthCheck.command, ["CMD", "python", "/app/server.py", "--healthcheck"]);
                assert.deepStrictEqual(web.secrets, undefined, "the service injects no secret");
                const environment = Object.fromEntries(web.environment.map(({ name, value }: { name: string; value: string }) => [name, value]));
                assert.deepStrictEqual(environment, {
                    ENVIRONMENT: stack,
                    S3_BUCKET: LITERALS.dataLakeBucket.name,
                    QUALITY_REPORTS_PREFIX,
                    GLUE_DATABASE: catalogDatabaseName(stack),
                    PORT: "8080",
                    AWS_REGION: REGION,
                    AWS_DEFAULT_REGION: REGION,
                });
                assert.deepStrictEqual(web.logConfiguration, {
                    logDriver: "awslogs",
                    options: { "awslogs-group": `/ecs/${stack}-web`, "awslogs-region": REGION, "awslogs-stream-prefix": "web" },
                });
            });

            it("runs the service on the cluster in the private subnets, no public IP, behind the target group, with the circuit breaker", () => {
                const service = named(run, TYPE.ecsService, "-web-service");
                const inputs = inputsOf(service);
                assert.strictEqual(inputs.name, `${stack}-web-service`);
                assert.strictEqual(inputs.cluster, LITERALS.clusterArn);
                assert.strictEqual(inputs.launchType, "FARGATE");
                assert.strictEqual(inputs.desiredCount, config.service.desiredCount);
                assert.deepStrictEqual(inputs.networkConfiguration, {
                    subnets: LITERALS.serviceSubnetIds,
                    securityGroups: [LITERALS.appSecurityGroupId],
                    assignPublicIp: false,
                });
                assert.deepStrictEqual(inputs.loadBalancers, [
                    { targetGroupArn: outputsOf(run, TYPE.lbTargetGroup, "-web-tg").arn, containerName: "web", containerPort: PORTS.appHttp.from },
                ]);
                assert.strictEqual(inputs.healthCheckGracePeriodSeconds, 60);
                assert.deepStrictEqual(inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.strictEqual(inputs.taskDefinition, outputsOf(run, TYPE.ecsTaskDefinition, "-web-task").arn);
                assert.ok(service.dependencies.includes(named(run, TYPE.lbListener, "-https").urn), "ECS refuses a target group no listener uses");
                assert.ok(service.dependencies.includes(named(run, TYPE.iamRolePolicy, "-web-task-policy").urn));
                assert.deepStrictEqual(service.ignoreChanges, ["desiredCount"], "autoscaling owns the desired count");
            });

            it("scales the service between minCount and maxCount on CPU and on requests per target", () => {
                const target = one(run, TYPE.appautoscalingTarget, "-web-scaling");
                assert.deepStrictEqual(
                    {
                        ns: target.serviceNamespace,
                        dimension: target.scalableDimension,
                        id: target.resourceId,
                        min: target.minCapacity,
                        max: target.maxCapacity,
                    },
                    {
                        ns: "ecs",
                        dimension: "ecs:service:DesiredCount",
                        id: `service/t-data-processing-cluster/${stack}-web-service`,
                        min: config.service.minCount,
                        max: config.service.maxCount,
                    },
                );
                const cpu = one(run, TYPE.appautoscalingPolicy, "-web-cpu-scaling");
                const requests = one(run, TYPE.appautoscalingPolicy, "-web-requests-scaling");
                for (const policy of [cpu, requests]) {
                    assert.strictEqual(policy.policyType, "TargetTrackingScaling");
                    assert.strictEqual(policy.resourceId, target.resourceId);
                    assert.strictEqual(policy.scalableDimension, "ecs:service:DesiredCount");
                }
                assert.deepStrictEqual(cpu.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification, {
                    predefinedMetricType: "ECSServiceAverageCPUUtilization",
                });
                assert.strictEqual(cpu.targetTrackingScalingPolicyConfiguration.targetValue, config.service.cpuTargetPercent);
                const metric = requests.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification;
                assert.strictEqual(metric.predefinedMetricType, "ALBRequestCountPerTarget");
                const alb = outputsOf(run, TYPE.lbLoadBalancer, "-alb");
                const group = outputsOf(run, TYPE.lbTargetGroup, "-web-tg");
                assert.strictEqual(metric.resourceLabel, `${alb.arnSuffix}/${group.arnSuffix}`);
                assert.match(metric.resourceLabel, /^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/);
                assert.strictEqual(requests.targetTrackingScalingPolicyConfiguration.targetValue, config.service.requestsPerTarget);
            });

            it("exports the URL, the ALB, the target group, the certificate and the service", () => {
                const alb = outputsOf(run, TYPE.lbLoadBalancer, "-alb");
                assert.deepStrictEqual(
                    { ...outputs, webAclArn: undefined },
                    {
                        url: `https://${domain}`,
                        loadBalancerArn: alb.arn,
                        loadBalancerDnsName: alb.dnsName,
                        targetGroupArn: outputsOf(run, TYPE.lbTargetGroup, "-web-tg").arn,
                        certificateArn: outputsOf(run, TYPE.acmCertificate, "-certificate").arn,
                        webAclArn: undefined,
                        serviceName: `${stack}-web-service`,
                        targetGroupBinding: undefined,
                    },
                );
            });

            it("tags every taggable resource it creates for the edge tier, under logical names that start with the component's", () => {
                for (const resource of run.resources.filter((r) => r.custom)) {
                    assert.ok(resource.name.startsWith("t-edge-"), resource.name);
                    const tags = inputsOf(resource).tags;
                    if (tags !== undefined) assert.strictEqual(tags.Tier, "edge", resource.name);
                }
            });

            it("passes the whole pack with zero mandatory violations and decides every rule", () => {
                const packConfig = loadPackConfig(stack);
                // The lead names the edge rules in the stacks' pack configs; until then: prod mandatory, staging the defaults.
                const edgeLevels: PackConfig = Object.fromEntries(
                    edgePolicies.map((policy) => [policy.name, stack === "prod" ? "mandatory" : (policy.enforcementLevel ?? "advisory")]),
                );
                const findings = runPolicies(toDeploymentResources(run), { ...edgeLevels, ...packConfig }, stack);
                assert.deepStrictEqual(
                    findings.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => `${finding.policy}: ${finding.message}`),
                    [],
                );
                assert.deepStrictEqual(
                    findings.filter((finding) => finding.cannotTell).map((finding) => finding.message),
                    [],
                );
                const advisory = findings.map((finding) => finding.policy).sort();
                // Staging keeps deletion protection off and has no WAF, on purpose; prod has neither finding.
                assert.deepStrictEqual(advisory, stack === "prod" ? [] : ["alb-waf-protected", "lb-deletion-protection"]);
            });
        });
    }

    describe("what the service serves", () => {
        it("without the catalog or the lake, the role gets no policy and the task no S3_BUCKET or GLUE_DATABASE", async () => {
            const { run } = await runEdge("edge-only", STACKS.staging.config, false, { catalog: false, dataLakeBucket: undefined });
            assert.deepStrictEqual(ofType(run, TYPE.iamRolePolicy), []);
            const names = container(run).environment.map(({ name }: { name: string }) => name);
            assert.deepStrictEqual(names.sort(), ["AWS_DEFAULT_REGION", "AWS_REGION", "ENVIRONMENT", "PORT"]);
            assert.ok(!named(run, TYPE.ecsService, "-web-service").dependencies.some((urn) => urn.includes("RolePolicy")));
        });

        it("two instances do not collide (every logical name starts with the component's)", async () => {
            withEdgeAnswers();
            try {
                const run = await runProgram({
                    stack: "staging",
                    config: { "aws:region": REGION },
                    program: () => {
                        for (const name of ["a-edge", "b-edge"]) {
                            new Edge(name, { naming: new Naming(name), config: STACKS.prod.config, region: REGION, protect: false, ...LITERALS });
                        }
                    },
                });
                assert.strictEqual(ofType(run, TYPE.lbLoadBalancer).length, 2);
            } finally {
                restoreMockCloud();
            }
        });

        it("refuses to build an edge the config would have refused", () => {
            assert.throws(
                () => new Edge("t-edge", { naming: new Naming("x"), config: edgeSchema.parse({}), region: REGION, protect: false, ...LITERALS }),
                /edge\.enabled with edge\.domain and edge\.hostedZoneId/,
            );
        });

        it("with runtime ecs, refuses to build without the ECS args, naming the missing ones", () => {
            const { clusterArn, imageUri, ...withoutTwo } = LITERALS;
            assert.ok(clusterArn && imageUri);
            assert.throws(
                () => new Edge("t-edge", { naming: new Naming("x"), config: STACKS.staging.config, region: REGION, protect: false, ...withoutTwo }),
                (error: Error) =>
                    /^t-edge: edge\.service\.runtime is ecs, and the Edge component was given no clusterArn, imageUri: /.test(error.message) &&
                    /needs clusterArn, executionRoleArn, imageUri, appSecurityGroupId, serviceSubnetIds/.test(error.message),
            );
        });
    });

    describe("runtime eks: the ALB in front of pods on EKS", () => {
        const config = edgeSchema.parse({
            enabled: true,
            domain: "data-platform.example.com",
            hostedZoneId: ZONE,
            waf: true,
            logRetentionDays: 365,
            service: { runtime: "eks" },
        });
        /** Only what the edge needs with eks: no cluster, execution role, image, app group or task subnets. */
        const EKS_ONLY: Partial<EdgeArgs> = {
            clusterArn: undefined,
            executionRoleArn: undefined,
            imageUri: undefined,
            appSecurityGroupId: undefined,
            serviceSubnetIds: undefined,
            dataLakeBucket: undefined,
            catalog: undefined,
        };
        const ECS_TYPES = [
            TYPE.ecsService,
            TYPE.ecsTaskDefinition,
            TYPE.appautoscalingTarget,
            TYPE.appautoscalingPolicy,
            TYPE.iamRole,
            TYPE.iamRolePolicy,
        ];
        let run: ProgramRun;
        let outputs: Record<string, unknown>;
        let edge: Edge;
        before(async () => {
            ({ run, outputs, edge } = await runEdge("prod", config, true, EKS_ONLY));
        });

        it("builds no task definition, ECS service, task role, web log group or autoscaling", () => {
            for (const type of ECS_TYPES)
                assert.deepStrictEqual(
                    ofType(run, type).map((r) => r.name),
                    [],
                    type,
                );
            assert.deepStrictEqual(
                ofType(run, TYPE.cloudwatchLogGroup).map((group) => inputsOf(group).name),
                ["aws-waf-logs-prod"],
                "only the WAF's log group",
            );
        });

        it("keeps the ALB, both listeners, the certificate, the alias record and the WAF", () => {
            const alb = one(run, TYPE.lbLoadBalancer, "-alb");
            assert.deepStrictEqual([alb.internal, alb.securityGroups, alb.enableDeletionProtection], [false, [LITERALS.webSecurityGroupId], true]);
            assert.strictEqual(one(run, TYPE.lbListener, "-http").port, 80);
            const https = one(run, TYPE.lbListener, "-https");
            assert.deepStrictEqual(https.defaultActions, [{ type: "forward", targetGroupArn: outputsOf(run, TYPE.lbTargetGroup, "-web-tg").arn }]);
            assert.strictEqual(https.certificateArn, outputsOf(run, TYPE.acmCertificate, "-certificate").arn);
            assert.strictEqual(one(run, TYPE.route53Record, "-alias").name, "data-platform.example.com");
            assert.strictEqual(
                one(run, TYPE.wafv2WebAclAssociation, "-web-acl-association").resourceArn,
                outputsOf(run, TYPE.lbLoadBalancer, "-alb").arn,
            );
        });

        it("forwards to an ip target group on 8080 with the /healthz health check", () => {
            const group = one(run, TYPE.lbTargetGroup, "-web-tg");
            assert.deepStrictEqual(
                [group.targetType, group.protocol, group.port, group.vpcId, group.healthCheck.path, group.healthCheck.port],
                ["ip", "HTTP", 8080, LITERALS.vpcId, "/healthz", "traffic-port"],
            );
            assert.strictEqual(WEB_SERVICE_REF.port, group.port, "the binding's service port is the target group's");
        });

        it("outputs a TargetGroupBinding of data-platform/web:8080, targetType ip, for the target group", () => {
            assert.strictEqual(typeof outputs.targetGroupBinding, "string");
            assert.deepStrictEqual(YAML.parse(outputs.targetGroupBinding as string), {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: "web", namespace: "data-platform" },
                spec: {
                    targetGroupARN: outputsOf(run, TYPE.lbTargetGroup, "-web-tg").arn,
                    targetType: "ip",
                    ipAddressType: "ipv4",
                    vpcID: LITERALS.vpcId,
                    serviceRef: { name: "web", port: 8080 },
                },
            });
            assert.match(outputs.targetGroupArn as string, /^arn:aws:elasticloadbalancing:us-east-2:\d{12}:targetgroup\/prod-web\//);
        });

        it("has no service, task role or service name", () => {
            assert.deepStrictEqual([edge.service, edge.taskRole, edge.serviceName], [undefined, undefined, undefined]);
            assert.strictEqual(outputs.serviceName, undefined);
            assert.strictEqual(outputs.url, "https://data-platform.example.com");
        });

        it("ignores the ECS args when the program passes them anyway", async () => {
            const { run: withArgs } = await runEdge("edge-eks-args", config, false);
            for (const type of ECS_TYPES)
                assert.deepStrictEqual(
                    ofType(withArgs, type).map((r) => r.name),
                    [],
                    type,
                );
        });

        it("passes the whole pack with zero mandatory violations and decides every rule", () => {
            const edgeLevels: PackConfig = Object.fromEntries(edgePolicies.map((policy) => [policy.name, "mandatory"]));
            const findings = runPolicies(toDeploymentResources(run), { ...edgeLevels, ...loadPackConfig("prod") }, "prod");
            assert.deepStrictEqual(
                findings.map((finding) => `${finding.policy}: ${finding.message}`),
                [],
            );
        });
    });

    describe("config: data-platform:edge", () => {
        const section = z.strictObject({ edge: edgeSchema });
        /** The problems the stack config would report for an edge section (key, value, message). */
        function problems(edge: unknown) {
            const input = { edge };
            const result = section.safeParse(input);
            assert.ok(!result.success, `expected ${JSON.stringify(edge)} to be refused`);
            return problemsFromZod(result.error, input, { schema: section });
        }
        const accepts = (edge: unknown) => section.parse({ edge }).edge;
        const SITE = { enabled: true, domain: "data-platform.example.com", hostedZoneId: ZONE };

        it("is off by default, with the defaults it documents", () => {
            const edge = accepts({});
            assert.deepStrictEqual(edge, {
                enabled: false,
                waf: false,
                wafRateLimit: 2000,
                sslPolicy: DEFAULT_SSL_POLICY,
                logRetentionDays: 30,
                service: {
                    runtime: "ecs",
                    capacity: "fargate",
                    cpu: 256,
                    memory: 512,
                    desiredCount: 2,
                    minCount: 2,
                    maxCount: 4,
                    cpuTargetPercent: 60,
                    requestsPerTarget: 1000,
                },
            });
        });

        it("an enabled edge without a domain or a hosted zone names each missing key", () => {
            const found = problems({ enabled: true });
            assert.deepStrictEqual(
                found.map((problem) => [problem.key, problem.value]),
                [
                    ["data-platform:edge.domain", undefined],
                    ["data-platform:edge.hostedZoneId", undefined],
                ],
            );
            assert.match(found[0].message, /^required when edge\.enabled is true/);
            assert.match(found[1].message, /^required when edge\.enabled is true/);
            assert.deepStrictEqual(
                problems({ enabled: true, hostedZoneId: ZONE }).map((problem) => problem.key),
                ["data-platform:edge.domain"],
            );
        });

        const badDomains: [string, RegExp][] = [
            ["Data-Platform.example.com", /lowercase/],
            ["localhost", /at least two labels/],
            ["data-platform.example.com.", /trailing dot/],
            ["*.example.com", /wildcard/],
            ["data_platform.example.com", /label\(s\) "data_platform"/],
            ["-web.example.com", /label\(s\) "-web"/],
            [`${"a".repeat(64)}.example.com`, /1–63/],
        ];
        for (const [domain, message] of badDomains) {
            it(`refuses the domain ${domain.length > 40 ? `${domain.slice(0, 20)}…` : domain}, naming the key and the value`, () => {
                const [problem] = problems({ ...SITE, domain });
                assert.strictEqual(problem.key, "data-platform:edge.domain");
                assert.strictEqual(problem.value, domain);
                assert.match(problem.message, message);
            });
        }

        for (const zone of ["/hostedzone/Z0EXAMPLE12345", "z0example12345", "Z12"]) {
            it(`refuses the hosted zone id ${zone}`, () => {
                const [problem] = problems({ ...SITE, hostedZoneId: zone });
                assert.deepStrictEqual([problem.key, problem.value], ["data-platform:edge.hostedZoneId", zone]);
                assert.match(problem.message, /Z0EXAMPLE12345/);
            });
        }

        for (const policy of ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS-1-2-2017-01"]) {
            it(`refuses the SSL policy ${policy}, listing the TLS 1.3 policies allowed`, () => {
                const [problem] = problems({ ...SITE, sslPolicy: policy });
                assert.deepStrictEqual([problem.key, problem.value], ["data-platform:edge.sslPolicy", policy]);
                assert.match(problem.message, /ELBSecurityPolicy-TLS13-1-2-2021-06/);
                assert.match(problem.message, /ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09/);
            });
        }

        it("allows only TLS 1.3 policies that accept nothing older than TLS 1.2, and the pack agrees", () => {
            assert.ok(ALB_SSL_POLICIES.includes("ELBSecurityPolicy-TLS13-1-2-2021-06"));
            for (const policy of ALB_SSL_POLICIES) {
                assert.match(policy, TLS13_POLICY);
                assert.match(policy, MODERN_TLS_POLICY);
                assert.doesNotMatch(policy, /TLS13-1-[01]-/);
            }
            assert.strictEqual(new Set(ALB_SSL_POLICIES).size, ALB_SSL_POLICIES.length);
        });

        it("takes AWS WAF's rate-limit range, 10 to 2,000,000,000 requests per 5 minutes", () => {
            assert.strictEqual(accepts({ ...SITE, wafRateLimit: 10 }).wafRateLimit, 10);
            assert.strictEqual(accepts({ ...SITE, wafRateLimit: 2_000_000_000 }).wafRateLimit, 2_000_000_000);
            for (const limit of [9, 2_000_000_001, 100.5]) {
                const [problem] = problems({ ...SITE, wafRateLimit: limit });
                assert.deepStrictEqual([problem.key, problem.value], ["data-platform:edge.wafRateLimit", limit]);
            }
            assert.match(problems({ ...SITE, wafRateLimit: 9 })[0].message, /lowest rate limit is 10/);
        });

        it("takes only a Fargate size for the task, naming the allowed memory", () => {
            const [memory] = problems({ ...SITE, service: { cpu: 256, memory: 4096 } });
            assert.deepStrictEqual([memory.key, memory.value], ["data-platform:edge.service.memory", 4096]);
            assert.match(memory.message, /512, 1024, 2048 MiB with 256 CPU units/);
            const [cpu] = problems({ ...SITE, service: { cpu: 300 } });
            assert.strictEqual(cpu.key, "data-platform:edge.service.cpu");
            assert.match(cpu.message, /256, 512, 1024/);
        });

        it("keeps desiredCount between minCount and maxCount, and minCount at most maxCount", () => {
            const [desired] = problems({ ...SITE, service: { desiredCount: 5, minCount: 1, maxCount: 4 } });
            assert.deepStrictEqual([desired.key, desired.value], ["data-platform:edge.service.desiredCount", 5]);
            assert.match(desired.message, /between minCount \(1\) and maxCount \(4\)/);
            const keys = problems({ ...SITE, service: { desiredCount: 3, minCount: 3, maxCount: 2 } }).map((problem) => problem.key);
            assert.ok(keys.includes("data-platform:edge.service.minCount"), keys.join(", "));
            assert.strictEqual(problems({ ...SITE, service: { minCount: 0 } })[0].key, "data-platform:edge.service.minCount");
        });

        it("refuses keys it does not know", () => {
            const [problem] = problems({ ...SITE, dualstack: true });
            assert.strictEqual(problem.key, "data-platform:edge.dualstack");
        });

        describe("edge.service.runtime", () => {
            it("is ecs by default; eks takes the ECS keys' defaults", () => {
                assert.deepStrictEqual(WEB_RUNTIMES, ["ecs", "eks"]);
                assert.strictEqual(accepts(SITE).service.runtime, "ecs");
                assert.deepStrictEqual(accepts({ ...SITE, service: { runtime: "eks" } }).service, { runtime: "eks", ...ECS_SERVICE_DEFAULTS });
            });

            it("refuses a runtime it does not know, listing ecs and eks", () => {
                const [problem] = problems({ ...SITE, service: { runtime: "lambda" } });
                assert.deepStrictEqual([problem.key, problem.value], ["data-platform:edge.service.runtime", "lambda"]);
                assert.match(problem.message, /ecs, eks/);
            });

            const ecsValues: Record<EcsServiceKey, unknown> = {
                capacity: "ec2",
                cpu: 512,
                memory: 1024,
                desiredCount: 3,
                minCount: 1,
                maxCount: 6,
                cpuTargetPercent: 50,
                requestsPerTarget: 500,
            };
            for (const [key, value] of Object.entries(ecsValues)) {
                it(`with eks, refuses edge.service.${key}: ${JSON.stringify(value)} (an ECS setting), naming the key and the value`, () => {
                    const found = problems({ ...SITE, service: { runtime: "eks", [key]: value } });
                    assert.deepStrictEqual(
                        found.map((problem) => [problem.key, problem.value]),
                        [[`data-platform:edge.service.${key}`, value]],
                    );
                    assert.match(
                        found[0].message,
                        new RegExp(`^edge\\.service\\.${key} configures the ECS web service, and edge\\.service\\.runtime is eks`),
                    );
                    assert.match(found[0].message, /set edge\.service\.runtime: ecs/);
                });
            }

            it("with eks, takes an ECS key written at its default, and reports every other one", () => {
                assert.strictEqual(accepts({ ...SITE, service: { runtime: "eks", cpu: 256, capacity: "fargate" } }).service.cpu, 256);
                assert.deepStrictEqual(
                    problems({ ...SITE, service: { runtime: "eks", cpu: 300, minCount: 5 } }).map((problem) => problem.key),
                    ["data-platform:edge.service.cpu", "data-platform:edge.service.minCount"],
                    "no Fargate-size or count complaints on top",
                );
            });

            it("with ecs, takes the same values", () => {
                const service = accepts({ ...SITE, service: { runtime: "ecs", ...ecsValues } }).service;
                assert.deepStrictEqual(service, { runtime: "ecs", ...ecsValues });
            });
        });

        describe("edgeRuntimeProblems (runtime eks needs kubernetes: eks)", () => {
            const eks = accepts({ ...SITE, service: { runtime: "eks" } });
            const ecs = accepts(SITE);

            it("refuses runtime eks without kubernetes: eks, naming edge.service.runtime", () => {
                for (const mode of ["none", "minikube"]) {
                    const found = edgeRuntimeProblems(eks, mode);
                    assert.deepStrictEqual(
                        found.map((problem) => problem.path),
                        [["edge", "service", "runtime"]],
                    );
                    assert.match(
                        found[0].message,
                        new RegExp(`^is eks, and kubernetes is ${mode}: .*set kubernetes: eks.*or edge\\.service\\.runtime: ecs`),
                    );
                }
            });

            it("accepts runtime eks with kubernetes: eks, runtime ecs with any mode, and a disabled edge", () => {
                assert.deepStrictEqual(edgeRuntimeProblems(eks, "eks"), []);
                for (const mode of ["none", "minikube", "eks"]) assert.deepStrictEqual(edgeRuntimeProblems(ecs, mode), []);
                assert.deepStrictEqual(edgeRuntimeProblems({ ...eks, enabled: false }, "none"), []);
            });

            it("edgeProblems asks of runtime eks only Glue egress for the catalog (image pulls are eksProblems'), and still two AZs", () => {
                const network = { availabilityZones: ["us-east-2a", "us-east-2b"], natGateways: "none" as const, interfaceEndpoints: false };
                assert.deepStrictEqual(edgeProblems(network, eks, [], false), []);
                const [catalog] = edgeProblems(network, eks, []);
                assert.match(catalog.message, /calls glue: set network\.natGateways/);
                assert.deepStrictEqual(edgeProblems({ ...network, interfaceEndpoints: true }, eks, ["glue"]), []);
                assert.deepStrictEqual(
                    edgeProblems({ ...network, interfaceEndpoints: true }, ecs, ["glue"]).map((problem) => problem.path),
                    [["edge", "enabled"]],
                    "the ECS tasks also need ECR and logs",
                );
                assert.deepStrictEqual(
                    edgeProblems({ ...network, availabilityZones: ["us-east-2a"] }, eks, [], false).map((problem) => problem.path),
                    [["edge", "enabled"]],
                );
            });
        });

        describe("edgeProblems (the network the edge needs)", () => {
            const network = { availabilityZones: ["us-east-2a", "us-east-2b"], natGateways: "single" as const, interfaceEndpoints: false };
            const on = { enabled: true };

            it("accepts two AZs with NAT, and anything when the edge is off", () => {
                assert.deepStrictEqual(edgeProblems(network, on, INTERFACE_ENDPOINT_SERVICES), []);
                assert.deepStrictEqual(
                    edgeProblems({ ...network, availabilityZones: ["us-east-2a"], natGateways: "none" }, { enabled: false }, []),
                    [],
                );
            });

            it("refuses an ALB in one AZ, naming edge.enabled and the AZs", () => {
                const [problem] = edgeProblems({ ...network, availabilityZones: ["us-east-2a"] }, on, INTERFACE_ENDPOINT_SERVICES);
                assert.deepStrictEqual(problem.path, ["edge", "enabled"]);
                assert.match(problem.message, /at least two availability zones.*lists 1 \(us-east-2a\)/);
            });

            it("refuses private tasks without NAT or endpoints", () => {
                const [problem] = edgeProblems({ ...network, natGateways: "none" }, on, INTERFACE_ENDPOINT_SERVICES);
                assert.deepStrictEqual(problem.path, ["edge", "enabled"]);
                assert.match(problem.message, /network\.natGateways to single\|perAz, or network\.interfaceEndpoints: true/);
            });

            it("with interface endpoints but no NAT, names the endpoint the network lacks (glue for the catalog)", () => {
                const endpoints = { ...network, natGateways: "none" as const, interfaceEndpoints: true };
                const [problem] = edgeProblems(endpoints, on, INTERFACE_ENDPOINT_SERVICES);
                assert.match(problem.message, /builds no glue endpoint/);
                assert.deepStrictEqual(edgeProblems(endpoints, on, [...INTERFACE_ENDPOINT_SERVICES, "glue"]), []);
                assert.deepStrictEqual(
                    edgeProblems(endpoints, on, INTERFACE_ENDPOINT_SERVICES, false),
                    [],
                    "without the catalog, ECR and logs suffice",
                );
            });
        });
    });

    describe("ALB access-log delivery (the log bucket's policy)", () => {
        /** The statements as the log bucket's policy would carry them (rendered under the mock runtime). */
        async function rendered(region: string, prefix = ALB_ACCESS_LOG_PREFIX): Promise<any[]> {
            const run = await runProgram({
                stack: "staging",
                config: { "aws:region": region },
                program: () => {
                    const ctx = { partition: "aws", account: ACCOUNT, region };
                    new aws.s3.BucketPolicy("t-logs-policy", {
                        bucket: LITERALS.accessLogsBucket.name,
                        policy: policyDocument(albLogDeliveryStatements(LITERALS.accessLogsBucket, prefix, ctx)),
                    });
                },
            });
            return jsonInput(named(run, TYPE.s3BucketPolicy, "t-logs-policy"), "policy").Statement;
        }

        it("names the region's ELB account in regions from before August 2022 (us-east-2: 033677994240)", async () => {
            assert.deepStrictEqual(await rendered("us-east-2"), [
                {
                    Sid: "AlbAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::033677994240:root" },
                    Action: "s3:PutObject",
                    Resource: `${LITERALS.accessLogsBucket.arn}/alb/AWSLogs/${ACCOUNT}/*`,
                },
            ]);
            assert.strictEqual((await rendered("us-east-1"))[0].Principal.AWS, "arn:aws:iam::127311923021:root");
        });

        it("names the log-delivery service principal in newer regions", async () => {
            const [statement] = await rendered("ap-southeast-5");
            assert.deepStrictEqual(statement.Principal, { Service: ELB_LOG_DELIVERY_SERVICE });
            assert.strictEqual(ELB_LOG_DELIVERY_SERVICE, "logdelivery.elasticloadbalancing.amazonaws.com");
        });

        it("knows the ELB account of every region the platform supports", () => {
            assert.deepStrictEqual(
                SUPPORTED_REGIONS.filter((region) => !(region in ELB_LOG_DELIVERY_ACCOUNTS)),
                [],
            );
        });

        it("refuses a prefix ELB would refuse or the policy would miss", () => {
            const ctx = { partition: "aws", account: ACCOUNT, region: REGION };
            for (const prefix of ["/alb", "alb/", "AWSLogs/alb"]) {
                assert.throws(() => albLogDeliveryStatements(LITERALS.accessLogsBucket, prefix, ctx), /ALB access-log prefix/);
            }
        });
    });

    describe("the web image (assets/images/web)", () => {
        const read = (file: string) => fs.readFileSync(path.join(WEB_IMAGE_DIR, file), "utf8");

        it("has a Dockerfile with a pinned base image that runs server.py as the task's non-root user", () => {
            const dockerfile = read("Dockerfile");
            assert.match(dockerfile, /^FROM python:\d+\.\d+-slim$/m, "base image pinned to a version tag");
            assert.match(dockerfile, new RegExp(`^USER ${WEB_USER}$`, "m"));
            assert.match(dockerfile, /^COPY server\.py \.$/m);
            assert.match(dockerfile, /^ENTRYPOINT \["python", "\/app\/server\.py"\]$/m);
            assert.match(dockerfile, /^EXPOSE 8080$/m);
            for (const line of read("requirements.txt")
                .split("\n")
                .filter((l) => l.trim() && !l.startsWith("#"))) {
                assert.match(line, /^[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*$/, `dependency not pinned: ${line}`);
            }
        });

        it("reads every variable the task sets, serves /healthz and listens on the app port", () => {
            const source = read("server.py");
            const names = Object.keys(webEnvironment({ image: "i", environment: "e", region: "r", logGroupName: "l", bucket: "b", database: "d" }));
            for (const name of names.filter((n) => !n.startsWith("AWS_"))) assert.match(source, new RegExp(`"${name}"`), name);
            assert.match(source, new RegExp(`"${HEALTH_CHECK_PATH}"`));
            assert.match(source, new RegExp(`DEFAULT_PORT = ${PORTS.appHttp.from}$`, "m"));
            assert.match(source, new RegExp(`DEFAULT_REPORTS_PREFIX = "${QUALITY_REPORTS_PREFIX}"`));
        });

        it("reads the quality reports where the Glue quality job writes them", () => {
            const schema = fs.readFileSync(path.join(WEB_IMAGE_DIR, "..", "..", "glue", "event_schema.py"), "utf8");
            assert.match(schema, new RegExp(`^QUALITY_REPORTS_PREFIX = "${QUALITY_REPORTS_PREFIX}"$`, "m"));
        });

        it("passes its own unit tests (fake Glue and S3 clients, a real HTTP server on a free port)", function () {
            this.timeout(60000);
            const result = spawnSync("python3", ["-m", "unittest", "-v", "test_server"], {
                cwd: WEB_IMAGE_DIR,
                encoding: "utf8",
                env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
            });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stderr, /^Ran (\d+) tests/m);
            assert.match(result.stderr, /^OK$/m);
        });

        it("derives the autoscaling id from the cluster ARN", () => {
            assert.strictEqual(
                clusterNameOf("arn:aws:ecs:us-east-2:123456789012:cluster/prod-data-processing-cluster"),
                "prod-data-processing-cluster",
            );
            assert.throws(() => clusterNameOf("prod-cluster"), /not an ECS cluster ARN/);
        });
    });
});
