import { DeploymentResource } from "../deployment";
import { boolInput, displayName, numberInput, stringInput } from "../cost/resources";
import { T as PACK, TYPE } from "../../policy-pack/policies/types";
import { Builder } from "./builder";
import { Links, isUnknown, known, unique, valuesAt } from "./links";
import { LOAD_BALANCERS, nameOf } from "./workloads";
import { sortPorts } from "./firewall";

/**
 * The entry point: Internet → WAF (where a web ACL is associated) → load balancer → target groups (from
 * the listeners' forward actions and listener rules) → the ECS services (their `loadBalancers`) or auto
 * scaling groups registered in them; the ACM certificate on the HTTPS listener; Route53 alias records.
 */

const TARGET_GROUP = [TYPE.lbTargetGroup, "aws:alb/targetGroup:TargetGroup"];
const CERTIFICATE = [TYPE.acmCertificate];
const VALIDATION = [TYPE.acmCertificateValidation];
const WEB_ACL = [TYPE.wafv2WebAcl];
const LOG_DESTINATIONS = [TYPE.cloudwatchLogGroup, TYPE.s3Bucket, TYPE.s3BucketV2, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"];

/** `HTTPS 443`, from a listener's protocol and port. */
function listenerLabel(listener: DeploymentResource): string {
    const port = numberInput(listener, "port", NaN);
    return `${stringInput(listener, "protocol") ?? "?"} ${Number.isFinite(port) ? port : "?"}`;
}

/** Target groups a listener (default actions) or listener rule (actions) forwards to. */
function forwardTargets(links: Links, resource: DeploymentResource, actions: string): DeploymentResource[] {
    return unique([
        ...links.refs(resource, `${actions}.targetGroupArn`, TARGET_GROUP),
        ...links.refs(resource, `${actions}.forward.targetGroups.arn`, TARGET_GROUP),
    ]);
}

/** The first readable value at a path (strings and numbers), e.g. a redirect's port. */
function firstText(resource: DeploymentResource, path: string): string | undefined {
    for (const value of valuesAt(resource.inputs, path)) {
        if (typeof value === "number") return String(value);
        if (known(value)) return known(value);
    }
    return undefined;
}

/** One line per listener: what it does with a request. */
function listenerLine(links: Links, listener: DeploymentResource): string {
    const types = valuesAt(listener.inputs, "defaultActions.type").map((t) => known(t) ?? "?");
    const redirect = types.includes("redirect")
        ? `redirect to ${[firstText(listener, "defaultActions.redirect.protocol") ?? "?", firstText(listener, "defaultActions.redirect.port")].filter((p) => p).join(" ")}`
        : undefined;
    const forward = forwardTargets(links, listener, "defaultActions").length > 0 || types.includes("forward") ? "forward" : undefined;
    const policy = stringInput(listener, "sslPolicy");
    return `${listenerLabel(listener)}${policy ? ` (${policy})` : ""} → ${redirect ?? forward ?? (types.join(", ") || "?")}`;
}

function webAclLines(builder: Builder, links: Links, acl: DeploymentResource): string[] {
    const all = valuesAt(acl.inputs, "rules");
    const rules = all.filter((rule) => !isUnknown(rule)) as Record<string, unknown>[];
    const names = rules
        .map((rule) => {
            const statement = (rule?.statement ?? {}) as Record<string, Record<string, unknown> | undefined>;
            const managed = known(statement.managedRuleGroupStatement?.name);
            if (managed) return managed.replace(/^AWSManagedRules/, "").replace(/RuleSet$/, "");
            const limit = statement.rateBasedStatement?.limit;
            if (limit !== undefined) return `rate ${String(limit)}/${String(statement.rateBasedStatement?.evaluationWindowSec ?? 300)}s`;
            return known(rule?.name) ?? "rule";
        })
        .sort();
    const logging = links.index.ofType(TYPE.wafv2WebAclLoggingConfiguration).filter((l) => links.refs(l, "resourceArn", WEB_ACL).includes(acl));
    builder.fold(...logging);
    const destinations = logging.flatMap((l) => links.refs(l, "logDestinationConfigs", LOG_DESTINATIONS)).map((d) => nameOf(d));
    const defaultAction = (acl.inputs.defaultAction ?? {}) as Record<string, unknown>;
    return [
        `WAF ${nameOf(acl)}`,
        `default ${defaultAction.block !== undefined ? "block" : "allow"} · ${
            rules.length < all.length
                ? "rules not known yet"
                : names.length > 0
                  ? `${names.length} rules`
                  : acl.inputs.ruleJson !== undefined
                    ? "rules (JSON)"
                    : "no rules"
        }`,
        ...(names.length > 0 ? [names.join(", ")] : []),
        ...(logging.length > 0 ? [`logs → ${destinations.length > 0 ? destinations.join(", ") : "?"}`] : []),
    ];
}

function targetGroupLines(group: DeploymentResource): string[] {
    const port = numberInput(group, "port", NaN);
    const health = stringInput(group, "healthCheck.path");
    return [
        `target group ${nameOf(group)}`,
        `${stringInput(group, "targetType") ?? "instance"} · ${stringInput(group, "protocol") ?? "?"} ${Number.isFinite(port) ? port : ""}`.trim(),
        ...(health ? [`health check ${health}`] : []),
    ];
}

function certificateLines(builder: Builder, links: Links, certificate: DeploymentResource): string[] {
    const validations = links.index
        .ofType(TYPE.acmCertificateValidation)
        .filter((v) => links.refs(v, "certificateArn", CERTIFICATE).includes(certificate));
    // The validation records are computed from the certificate's domainValidationOptions.
    const records = links.index
        .ofType(TYPE.route53Record)
        .filter(
            (r) =>
                links.dependencies(r, "name", CERTIFICATE).includes(certificate) ||
                links.dependencies(r, "records", CERTIFICATE).includes(certificate),
        );
    builder.fold(...validations, ...records);
    const method = stringInput(certificate, "validationMethod");
    const alternatives = valuesAt(certificate.inputs, "subjectAlternativeNames")
        .map(known)
        .filter((n): n is string => n !== undefined);
    return [
        `ACM certificate ${stringInput(certificate, "domainName") ?? nameOf(certificate)}`,
        ...(alternatives.length > 0 ? [`also ${alternatives.join(", ")}`] : []),
        [
            method ? `${method} validated` : undefined,
            records.length > 0 ? `${records.length} Route53 record${records.length > 1 ? "s" : ""}` : undefined,
            validations.length > 0 ? "waits for issue" : undefined,
        ]
            .filter((p) => p)
            .join(" · ") || "imported",
    ];
}

/** The certificates a listener uses: its `certificateArn`, directly or through a CertificateValidation. */
function listenerCertificates(links: Links, listener: DeploymentResource): DeploymentResource[] {
    const direct = links.refs(listener, "certificateArn", [...CERTIFICATE, ...VALIDATION]);
    return unique(direct.flatMap((r) => (r.type === TYPE.acmCertificateValidation ? links.refs(r, "certificateArn", CERTIFICATE) : [r])));
}

export function buildEntry(builder: Builder, links: Links): void {
    const { index } = links;
    const listeners = PACK.listener.flatMap((type) => index.ofType(type));
    const rules = PACK.listenerRule.flatMap((type) => index.ofType(type));
    const associations = index.ofType(TYPE.wafv2WebAclAssociation);
    const targetGroups = TARGET_GROUP.flatMap((type) => index.ofType(type));
    for (const group of targetGroups) builder.draw(group, "tg", targetGroupLines(group), "round");
    for (const certificate of index.ofType(TYPE.acmCertificate)) builder.draw(certificate, "cert", certificateLines(builder, links, certificate));
    for (const acl of index.ofType(TYPE.wafv2WebAcl)) builder.draw(acl, "waf", webAclLines(builder, links, acl));

    for (const lb of LOAD_BALANCERS.flatMap((type) => index.ofType(type))) {
        const own = listeners.filter((l) => links.refs(l, "loadBalancerArn", LOAD_BALANCERS).includes(lb));
        builder.fold(...own);
        const kind = stringInput(lb, "loadBalancerType") ?? "application";
        const internal = boolInput(lb, "internal") === true;
        const id = builder.draw(lb, "alb", [
            `${kind === "application" ? "ALB" : kind === "network" ? "NLB" : "LB"} ${nameOf(lb)}`,
            [internal ? "internal" : "internet-facing", boolInput(lb, "dropInvalidHeaderFields") === true ? "drops invalid headers" : undefined]
                .filter((p) => p)
                .join(" · "),
            ...own.map((l) => listenerLine(links, l)).sort(),
        ]);
        const ports = sortPorts(own.map(listenerLabel)).join(", ");
        const acls = associations
            .filter((a) => links.refs(a, "resourceArn", LOAD_BALANCERS).includes(lb))
            .flatMap((a) => links.refs(a, "webAclArn", WEB_ACL));
        builder.fold(...associations.filter((a) => links.refs(a, "resourceArn", LOAD_BALANCERS).includes(lb)));
        if (!internal) {
            const aclIds = acls.map((acl) => builder.idOf(acl)).filter((a): a is string => a !== undefined);
            if (aclIds.length === 0) builder.edge(builder.internet(), id, ports, "traffic");
            for (const aclId of aclIds) {
                builder.edge(builder.internet(), aclId, ports, "traffic");
                builder.edge(aclId, id, "allowed requests", "traffic");
            }
        }
        const forwards = new Map<DeploymentResource, string[]>();
        for (const listener of own) {
            const listenerRules = rules.filter((r) => links.refs(r, "listenerArn", PACK.listener).includes(listener));
            builder.fold(...listenerRules);
            for (const group of [
                ...forwardTargets(links, listener, "defaultActions"),
                ...listenerRules.flatMap((r) => forwardTargets(links, r, "actions")),
            ]) {
                forwards.set(group, [...(forwards.get(group) ?? []), listenerLabel(listener)]);
            }
            for (const certificate of listenerCertificates(links, listener)) {
                const certId = builder.idOf(certificate);
                if (certId) builder.edge(certId, id, listenerLabel(listener), "uses");
            }
        }
        for (const [group, labels] of forwards) builder.edge(id, builder.idOf(group)!, sortPorts(labels).join(", "), "traffic");
        for (const record of index.ofType(TYPE.route53Record)) {
            if (!links.refs(record, "aliases.name", LOAD_BALANCERS).includes(lb)) continue;
            const recordId =
                builder.idOf(record) ??
                builder.draw(
                    record,
                    "dns",
                    [`DNS ${stringInput(record, "name") ?? displayName(record)}`, `${stringInput(record, "type") ?? "?"} alias`],
                    "round",
                );
            builder.edge(recordId, id, "alias", "uses");
        }
    }
    for (const group of targetGroups) targetEdges(builder, links, group);
}

/** Target group → the ECS services that register in it (`loadBalancers`) and the auto scaling groups (`targetGroupArns`). */
function targetEdges(builder: Builder, links: Links, group: DeploymentResource): void {
    const groupId = builder.idOf(group)!;
    const protocol = stringInput(group, "protocol") ?? "tcp";
    for (const service of links.index.ofType(TYPE.ecsService)) {
        const serviceId = builder.idOf(service);
        if (!serviceId) continue;
        for (const entry of valuesAt(service.inputs, "loadBalancers") as Record<string, unknown>[]) {
            const matches = links.find(entry?.targetGroupArn, TARGET_GROUP) === group;
            const viaDependencies = !known(entry?.targetGroupArn) && links.dependencies(service, "loadBalancers", TARGET_GROUP).includes(group);
            if (!matches && !viaDependencies) continue;
            const port = typeof entry?.containerPort === "number" ? entry.containerPort : (known(entry?.containerPort) ?? "?");
            builder.edge(groupId, serviceId, `${protocol} ${port}`, "traffic");
        }
    }
    for (const asg of links.index.ofType(TYPE.autoscalingGroup)) {
        const asgId = builder.idOf(asg);
        if (asgId && links.refs(asg, "targetGroupArns", TARGET_GROUP).includes(group)) builder.edge(groupId, asgId, protocol, "traffic");
    }
}
