import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { AccountContext, policyDocument } from "../shared/iam";
import { Naming, componentType } from "../shared/naming";
import { BucketRef } from "../shared/refs";
import { TierComponent } from "../shared/tier";
import { ALB_ACCESS_LOG_PREFIX } from "./access-logs";
import { EdgeConfig } from "./config";
import { WebServiceScope, ecsWebService, webServiceAutoscaling } from "./ecs-web-service";
import { targetGroupBindingYaml } from "./target-group-binding";
import { WAF_REDACTED_HEADERS, wafLogDeliveryStatements, wafLogGroupName, webAclRules, webAclVisibility } from "./waf";
import { DEREGISTRATION_DELAY_SECONDS, HEALTH_CHECK_PATH, WEB_FAMILY, WEB_PORT } from "./web-service";

export { ALB_ACCESS_LOG_PREFIX, ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE, albLogDeliveryStatements } from "./access-logs";
export { WEB_SERVICE_REF, targetGroupBinding, targetGroupBindingYaml } from "./target-group-binding";

export interface EdgeArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:edge` section; `domain` and `hostedZoneId` are set (the config refuses an enabled edge without them). */
    readonly config: EdgeConfig;
    /** AWS region: ARNs, the awslogs driver, `kms:ViaService`. */
    readonly region: string;
    /** The stack's `protect`: the ALB gets AWS deletion protection (prod). */
    readonly protect: boolean;
    /** The VPC the target group (and so the tasks or pods) is in; with runtime eks also the binding's `vpcID`. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets for the internet-facing ALB, in at least two AZs. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /**
     * The ALB's group: the firewall's `web` group, 80/443 from anywhere, out to the app port of the group
     * its targets are in (the `app` group with runtime ecs, the EKS nodes' `kubernetes` group with eks).
     */
    readonly webSecurityGroupId: pulumi.Input<string>;
    /**
     * Subnets the tasks run in, without public IPs: the private ones (the config requires NAT or endpoints
     * for them). Required with `service.runtime: ecs`; unused with eks (the pods are on the node groups' subnets).
     */
    readonly serviceSubnetIds?: pulumi.Input<string>[];
    /** The firewall's `app` group, for the tasks: the app ports from the web group, HTTPS out. Required with runtime ecs; unused with eks. */
    readonly appSecurityGroupId?: pulumi.Input<string>;
    /** The containers tier's ECS cluster the service runs on. Required with runtime ecs; unused with eks. */
    readonly clusterArn?: pulumi.Input<string>;
    /** The identity tier's task-execution role: pulls the image from ECR, writes `/ecs/${env}-*` logs. Required with runtime ecs; unused with eks. */
    readonly executionRoleArn?: pulumi.Input<string>;
    /** The web image (the registry's `web` repository: a tag or a pushed digest). Required with runtime ecs; unused with eks. */
    readonly imageUri?: pulumi.Input<string>;
    /** The data lake's access-log bucket (SSE-S3; its policy lets ELB write under ALB_ACCESS_LOG_PREFIX: albLogDeliveryStatements). */
    readonly accessLogsBucket: BucketRef;
    /**
     * The data lake bucket: the service shows the latest quality report under QUALITY_REPORTS_PREFIX and reads
     * nothing else of it. Default: none (a stack without the lake: no report page). Runtime ecs only (the task
     * role); with eks the pods' Pod Identity role needs webTaskStatements instead.
     */
    readonly dataLakeBucket?: BucketRef;
    /** List the tables of the etl tier's Glue catalog (`catalogDatabaseName(env)`). Default false (no ETL tier). Runtime ecs only. */
    readonly catalog?: boolean;
    /** Customer-managed keys: `logs` encrypts the log groups; `storage` is the lake's key (decrypting the reports). Default: none. */
    readonly keys?: Partial<KeyArns>;
    /** The cluster's EC2 capacity provider, for `service.capacity: ec2` (the tasks then run on its instances). Runtime ecs only. */
    readonly ec2CapacityProvider?: pulumi.Input<string>;
}

/** What the ECS web service is built from: the args runtime ecs requires. */
export interface EcsWiring {
    readonly clusterArn: pulumi.Input<string>;
    readonly executionRoleArn: pulumi.Input<string>;
    readonly imageUri: pulumi.Input<string>;
    readonly appSecurityGroupId: pulumi.Input<string>;
    readonly serviceSubnetIds: pulumi.Input<string>[];
}

const ECS_WIRING_ARGS = ["clusterArn", "executionRoleArn", "imageUri", "appSecurityGroupId", "serviceSubnetIds"] as const;

/** The ECS args of an edge with `service.runtime: ecs`, or a wiring error naming the missing ones. */
function ecsWiringOf(name: string, args: EdgeArgs): EcsWiring {
    const missing = ECS_WIRING_ARGS.filter((key) => args[key] === undefined);
    if (missing.length > 0) {
        throw new Error(
            `${name}: edge.service.runtime is ecs, and the Edge component was given no ${missing.join(", ")}: the ECS web service needs ${ECS_WIRING_ARGS.join(", ")} (a wiring error in the program, not in the stack config)`,
        );
    }
    return {
        clusterArn: args.clusterArn!,
        executionRoleArn: args.executionRoleArn!,
        imageUri: args.imageUri!,
        appSecurityGroupId: args.appSecurityGroupId!,
        serviceSubnetIds: args.serviceSubnetIds!,
    };
}

/** The domain and zone of an enabled edge (the config's refinement guarantees both). */
function siteOf(config: EdgeConfig): { domain: string; hostedZoneId: string } {
    if (!config.enabled || config.domain === undefined || config.hostedZoneId === undefined) {
        throw new Error("the Edge tier needs edge.enabled with edge.domain and edge.hostedZoneId (the stack config should have refused this one)");
    }
    return { domain: config.domain, hostedZoneId: config.hostedZoneId };
}

/**
 * The HTTPS entry point and the web service behind it: an internet-facing ALB (access logs, invalid
 * headers dropped, strictest desync mitigation, deletion protection when protected), an ACM
 * certificate validated through the stack's Route53 zone, HTTP that only redirects, HTTPS with a
 * TLS 1.3 policy forwarding to an `ip` target group, an alias record, optionally a WAFv2 web ACL with
 * logging, and, with `service.runtime: ecs`, the web service on Fargate (or EC2 capacity) with CPU and
 * request-count autoscaling. With `service.runtime: eks` no ECS resource is built: pods on the EKS
 * cluster are the targets, registered by the AWS Load Balancer Controller through the
 * `targetGroupBinding` output.
 */
export class Edge extends TierComponent {
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly targetGroup: aws.lb.TargetGroup;
    readonly certificate: aws.acm.Certificate;
    readonly httpListener: aws.lb.Listener;
    readonly httpsListener: aws.lb.Listener;
    /** Undefined with `service.runtime: eks`. */
    readonly service?: aws.ecs.Service;
    /** Undefined with `service.runtime: eks`. */
    readonly taskRole?: aws.iam.Role;
    /** Undefined unless `edge.waf`. */
    readonly webAcl?: aws.wafv2.WebAcl;

    /** `https://<domain>`. */
    readonly url: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    /** `app/<name>/<id>`: the ALB's CloudWatch dimension (alarms). */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    readonly targetGroupArn: pulumi.Output<string>;
    /** `targetgroup/<name>/<id>`: the target group's CloudWatch dimension (alarms). */
    readonly targetGroupArnSuffix: pulumi.Output<string>;
    readonly certificateArn: pulumi.Output<string>;
    /** Undefined unless `edge.waf`. */
    readonly webAclArn?: pulumi.Output<string>;
    /** The ECS service's name; undefined with `service.runtime: eks`. */
    readonly serviceName?: pulumi.Output<string>;
    /**
     * With `service.runtime: eks`: the TargetGroupBinding (YAML) that has the AWS Load Balancer Controller
     * register the ready pods of Service `data-platform/web` (port 8080) in the target group; apply it with
     * `kubectl apply -f -`. Undefined with ecs (ECS registers its tasks itself).
     */
    readonly targetGroupBinding?: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("edge", "Edge"), name, opts);
        const { naming, config } = args;
        const { domain, hostedZoneId } = siteOf(config);
        const ecs = config.service.runtime === "ecs" ? ecsWiringOf(name, args) : undefined;
        const ctx: AccountContext = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            region: args.region,
        };

        const validation = this.validatedCertificate(name, naming, domain, hostedZoneId);
        this.certificate = validation.certificate;
        this.loadBalancer = this.applicationLoadBalancer(name, args);
        this.targetGroup = this.webTargetGroup(name, args);
        this.httpListener = this.redirectListener(name, naming);
        this.httpsListener = this.tlsListener(name, args, validation.validated.certificateArn);

        new aws.route53.Record(
            `${name}-alias`,
            {
                zoneId: hostedZoneId,
                name: domain,
                type: "A",
                aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true }],
            },
            this.child(),
        );

        this.webAcl = config.waf ? this.firewall(name, args, ctx) : undefined;
        if (ecs) {
            const scope: WebServiceScope = {
                name,
                args,
                ecs,
                ctx,
                child: (extra) => this.child(extra),
                loadBalancer: this.loadBalancer,
                targetGroup: this.targetGroup,
                httpsListener: this.httpsListener,
            };
            const web = ecsWebService(scope);
            this.service = web.service;
            this.taskRole = web.taskRole;
            this.serviceName = web.service.name;
            webServiceAutoscaling(scope, web.service);
        } else {
            this.targetGroupBinding = pulumi
                .all([this.targetGroup.arn, args.vpcId])
                .apply(([targetGroupArn, vpcId]) => targetGroupBindingYaml({ targetGroupArn, vpcId }));
        }

        this.url = pulumi.output(`https://${domain}`);
        this.loadBalancerArn = this.loadBalancer.arn;
        this.loadBalancerArnSuffix = this.loadBalancer.arnSuffix;
        this.loadBalancerDnsName = this.loadBalancer.dnsName;
        this.targetGroupArn = this.targetGroup.arn;
        this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
        this.certificateArn = validation.validated.certificateArn;
        this.webAclArn = this.webAcl?.arn;

        this.registerOutputs({
            url: this.url,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            loadBalancerDnsName: this.loadBalancerDnsName,
            targetGroupArn: this.targetGroupArn,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            certificateArn: this.certificateArn,
            webAclArn: this.webAclArn,
            serviceName: this.serviceName,
            targetGroupBinding: this.targetGroupBinding,
        });
    }

    /** A DNS-validated certificate for the domain: the validation record in the zone, and the wait until ACM issues it. */
    private validatedCertificate(
        name: string,
        naming: Naming,
        domain: string,
        hostedZoneId: string,
    ): { certificate: aws.acm.Certificate; validated: aws.acm.CertificateValidation } {
        const certificate = new aws.acm.Certificate(
            `${name}-certificate`,
            {
                domainName: domain,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                tags: naming.tags("edge", "certificate"),
            },
            this.child(),
        );
        // One domain, no alternative names: ACM asks for exactly one CNAME.
        const option = certificate.domainValidationOptions.apply((options) => options?.[0]);
        const record = new aws.route53.Record(
            `${name}-certificate-validation-record`,
            {
                zoneId: hostedZoneId,
                name: option.apply((o) => o?.resourceRecordName ?? ""),
                type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
                records: [option.apply((o) => o?.resourceRecordValue ?? "")],
                ttl: 60,
                // The CNAME ACM asks for is the same for every certificate of this name in the account: a re-created certificate reuses it.
                allowOverwrite: true,
            },
            this.child(),
        );
        const validated = new aws.acm.CertificateValidation(
            `${name}-certificate-validation`,
            { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
            this.child(),
        );
        return { certificate, validated };
    }

    private applicationLoadBalancer(name: string, args: EdgeArgs): aws.lb.LoadBalancer {
        return new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: args.naming.name("web-alb"),
                loadBalancerType: "application",
                internal: false,
                ipAddressType: "ipv4",
                securityGroups: [args.webSecurityGroupId],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                // Only RFC 7230-compliant requests reach the service (a small JSON/HTML app: no legacy clients to keep).
                desyncMitigationMode: "strictest",
                enableDeletionProtection: args.protect,
                accessLogs: { bucket: args.accessLogsBucket.name, prefix: ALB_ACCESS_LOG_PREFIX, enabled: true },
                tags: args.naming.tags("edge", "web-alb"),
            },
            this.child(),
        );
    }

    private webTargetGroup(name: string, args: EdgeArgs): aws.lb.TargetGroup {
        return new aws.lb.TargetGroup(
            `${name}-web-tg`,
            {
                name: args.naming.name(WEB_FAMILY),
                targetType: "ip",
                protocol: "HTTP",
                protocolVersion: "HTTP1",
                port: WEB_PORT,
                ipAddressType: "ipv4",
                vpcId: args.vpcId,
                deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: HEALTH_CHECK_PATH,
                    matcher: "200",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                },
                tags: args.naming.tags("edge", "web-tg"),
            },
            this.child(),
        );
    }

    /** Port 80 answers every request with a permanent redirect to the same URL over HTTPS. */
    private redirectListener(name: string, naming: Naming): aws.lb.Listener {
        return new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: naming.tags("edge", "http-redirect"),
            },
            this.child(),
        );
    }

    private tlsListener(name: string, args: EdgeArgs, certificateArn: pulumi.Input<string>): aws.lb.Listener {
        return new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: args.config.sslPolicy,
                certificateArn,
                defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
                // Browsers keep to HTTPS for a year; the ALB does not announce itself.
                routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
                routingHttpResponseServerEnabled: false,
                tags: args.naming.tags("edge", "https"),
            },
            this.child(),
        );
    }

    /** The WAFv2 web ACL on the ALB, and its logging into `aws-waf-logs-<env>` with the delivery policy that needs. */
    private firewall(name: string, args: EdgeArgs, ctx: AccountContext): aws.wafv2.WebAcl {
        const { naming, config } = args;
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-web-acl`,
            {
                name: naming.name("web-acl"),
                // WAF descriptions allow letters, digits, spaces and + = : # @ / - , . only.
                description: "Data platform ALB: rate limit per IP, AWS common, known-bad-inputs and SQL-injection rules",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: webAclRules(naming, config.wafRateLimit),
                visibilityConfig: webAclVisibility(naming),
                tags: naming.tags("edge", "web-acl"),
            },
            this.child(),
        );
        new aws.wafv2.WebAclAssociation(`${name}-web-acl-association`, { resourceArn: this.loadBalancer.arn, webAclArn: webAcl.arn }, this.child());

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-waf-logs`,
            {
                name: wafLogGroupName(naming),
                retentionInDays: config.logRetentionDays,
                kmsKeyId: args.keys?.logs,
                tags: naming.tags("edge", "waf-logs"),
            },
            this.child(),
        );
        const delivery = new aws.cloudwatch.LogResourcePolicy(
            `${name}-waf-log-delivery`,
            {
                policyName: naming.name("waf-log-delivery"),
                policyDocument: policyDocument(wafLogDeliveryStatements(logGroup.arn, ctx)),
            },
            this.child(),
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-waf-logging`,
            {
                resourceArn: webAcl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
            },
            this.child({ dependsOn: [delivery] }),
        );
        return webAcl;
    }
}
