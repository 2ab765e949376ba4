import { DeploymentResource } from "../deployment";
import { boolInput, displayName, numberInput, stringInput } from "../cost/resources";
import { TYPE } from "../../policy-pack/policies/types";
import { PORTS } from "../../components/shared/ports";
import { Builder } from "./builder";
import { Links, isUnknown, known, unique, valuesAt } from "./links";
import { cidrSource, ingressRulesOf, referencedGroup, ruleProtocol, sortPorts } from "./firewall";
import { Carrier, nameOf, scalingOf, workloadsCarrying } from "./workloads";

/**
 * The data stores (RDS, ElastiCache, MSK): one node each with its engine, size and the subnets it is
 * placed in; a traffic edge from every workload its security groups let in (from the ingress rules'
 * referenced groups, labelled with the ports the store listens on); and an edge from each secret whose
 * value was computed from the store (its SecretVersion's `secretString` dependencies).
 */

export const STORE_TYPES = [TYPE.rdsInstance, TYPE.elasticacheReplicationGroup, TYPE.elasticacheCluster, TYPE.mskCluster] as const;
const SUBNET = [TYPE.ec2Subnet];
/** Not in the pack's TYPE table yet. */
const MSK_TOPIC = "aws:msk/topic:Topic";

/**
 * MSK listener ports by client access (https://docs.aws.amazon.com/msk/latest/developerguide/port-info.html):
 * plaintext 9092, TLS 9094, SASL/SCRAM 9096, IAM 9098; open monitoring's JMX and node exporters 11001/11002
 * (https://docs.aws.amazon.com/msk/latest/developerguide/open-monitoring.html).
 */
const KAFKA_PORTS = {
    plaintext: 9092,
    tls: 9094,
    scram: 9096,
    iam: PORTS.kafkaIam.from,
    jmx: PORTS.mskJmxExporter.from,
    node: PORTS.mskNodeExporter.from,
};
/** Engine default ports where the instance sets none. */
const RDS_PORTS: readonly [RegExp, number][] = [
    [/postgres/, PORTS.postgres.from],
    [/mysql|mariadb/, PORTS.mysql.from],
    [/sqlserver/, 1433],
    [/oracle|db2/, 1521],
];

/** The TCP ports a store listens on, or undefined when the plan does not say. */
export function storePorts(store: DeploymentResource): number[] | undefined {
    const port = numberInput(store, "port", NaN);
    switch (store.type) {
        case TYPE.rdsInstance: {
            if (Number.isFinite(port)) return [port];
            const engine = stringInput(store, "engine");
            const match = engine === undefined ? undefined : RDS_PORTS.find(([pattern]) => pattern.test(engine));
            return match ? [match[1]] : undefined;
        }
        case TYPE.elasticacheReplicationGroup:
        case TYPE.elasticacheCluster:
            if (Number.isFinite(port)) return [port];
            return [stringInput(store, "engine") === "memcached" ? 11211 : PORTS.redis.from];
        case TYPE.mskCluster:
            return kafkaPorts(store);
        default:
            return undefined;
    }
}

function kafkaPorts(cluster: DeploymentResource): number[] | undefined {
    const auth = cluster.inputs.clientAuthentication as Record<string, unknown> | undefined;
    if (isUnknown(auth) || (auth !== undefined && (typeof auth !== "object" || auth === null))) return undefined;
    const broker = stringInput(cluster, "encryptionInfo.encryptionInTransit.clientBroker") ?? "TLS";
    const tls = broker !== "PLAINTEXT";
    const plaintext = broker !== "TLS";
    const ports: number[] = [];
    if (boolInput(cluster, "clientAuthentication.sasl.iam") === true && tls) ports.push(KAFKA_PORTS.iam);
    if (boolInput(cluster, "clientAuthentication.sasl.scram") === true && tls) ports.push(KAFKA_PORTS.scram);
    if (auth?.tls !== undefined && tls) ports.push(KAFKA_PORTS.tls);
    // No client authentication configured means unauthenticated access.
    if (auth === undefined || boolInput(cluster, "clientAuthentication.unauthenticated") === true) {
        if (tls) ports.push(KAFKA_PORTS.tls);
        if (plaintext) ports.push(KAFKA_PORTS.plaintext);
    }
    if (boolInput(cluster, "openMonitoring.prometheus.jmxExporter.enabledInBroker") === true) ports.push(KAFKA_PORTS.jmx);
    if (boolInput(cluster, "openMonitoring.prometheus.nodeExporter.enabledInBroker") === true) ports.push(KAFKA_PORTS.node);
    return [...new Set(ports)].sort((a, b) => a - b);
}

/** What a rule opens on a store: the store's ports it covers (all of the rule's range when the ports are not known). */
function coveredPorts(rule: DeploymentResource, ports: readonly number[] | undefined): string[] {
    const protocol = ruleProtocol(rule);
    if (protocol === "all") return ["all traffic"];
    const from = numberInput(rule, "fromPort", NaN);
    const to = numberInput(rule, "toPort", from);
    if (!Number.isFinite(from)) return [`${protocol}/?`];
    if (ports === undefined) return [from === to ? `${protocol}/${from}` : `${protocol}/${from}-${to}`];
    if (protocol !== "tcp") return [];
    return ports.filter((port) => port >= from && port <= to).map((port) => `tcp/${port}`);
}

/** The store's subnets: through its subnet group (RDS, ElastiCache) or its brokers' client subnets (MSK). */
export function storeSubnets(links: Links, store: DeploymentResource): DeploymentResource[] {
    const viaGroup = (path: string, groupType: string) =>
        links.refs(store, path, [groupType]).flatMap((group) => links.refs(group, "subnetIds", SUBNET));
    switch (store.type) {
        case TYPE.rdsInstance:
            return unique(viaGroup("dbSubnetGroupName", TYPE.rdsSubnetGroup));
        case TYPE.elasticacheReplicationGroup:
        case TYPE.elasticacheCluster:
            return unique(viaGroup("subnetGroupName", TYPE.elasticacheSubnetGroup));
        case TYPE.mskCluster:
            return links.refs(store, "brokerNodeGroupInfo.clientSubnets", SUBNET);
        default:
            return [];
    }
}

function subnetGroupsOf(links: Links, store: DeploymentResource): DeploymentResource[] {
    return [...links.refs(store, "dbSubnetGroupName", [TYPE.rdsSubnetGroup]), ...links.refs(store, "subnetGroupName", [TYPE.elasticacheSubnetGroup])];
}

/** `database subnets 10.0.100.0/24, 10.0.101.0/24` (the tier named when every subnet has the same `SubnetTier` tag). */
export function subnetsLine(subnets: readonly DeploymentResource[]): string[] {
    if (subnets.length === 0) return [];
    const tiers = new Set(subnets.map((s) => known((s.inputs.tags as Record<string, unknown> | undefined)?.SubnetTier)));
    const tier = tiers.size === 1 ? [...tiers][0] : undefined;
    const cidrs = subnets.map((s) => stringInput(s, "cidrBlock") ?? s.id ?? "?").sort();
    return [`${tier ? `${tier} ` : ""}subnets ${cidrs.join(", ")}`];
}

function sizeLine(parts: readonly (string | undefined | false)[]): string {
    return parts.filter((p): p is string => typeof p === "string" && p !== "").join(" · ");
}

function rdsLines(db: DeploymentResource): string[] {
    const allocated = numberInput(db, "allocatedStorage", NaN);
    const max = numberInput(db, "maxAllocatedStorage", NaN);
    const storage = Number.isFinite(allocated)
        ? `${allocated}${Number.isFinite(max) && max > allocated ? `–${max}` : ""} GB ${stringInput(db, "storageType") ?? ""}`.trim()
        : undefined;
    return [
        `RDS ${displayName(db)}`,
        sizeLine([`${stringInput(db, "engine") ?? "?"} ${stringInput(db, "engineVersion") ?? ""}`.trim(), stringInput(db, "instanceClass")]),
        sizeLine([boolInput(db, "multiAz") === true ? "Multi-AZ" : "single-AZ", storage, boolInput(db, "storageEncrypted") === true && "encrypted"]),
        ...(boolInput(db, "manageMasterUserPassword") === true ? ["master password: RDS-managed secret"] : []),
    ];
}

function cacheLines(cache: DeploymentResource): string[] {
    const engine = `${stringInput(cache, "engine") ?? "redis"} ${stringInput(cache, "engineVersion") ?? ""}`.trim();
    const nodes =
        cache.type === TYPE.elasticacheCluster
            ? numberInput(cache, "numCacheNodes", 1)
            : numberInput(cache, "numCacheClusters", NaN) ||
              numberInput(cache, "numNodeGroups", 1) * (numberInput(cache, "replicasPerNodeGroup", 0) + 1);
    const auth = cache.inputs.authToken !== undefined ? "AUTH" : valuesAt(cache.inputs, "userGroupIds").length > 0 ? "RBAC" : undefined;
    return [
        `ElastiCache ${displayName(cache)}`,
        sizeLine([engine, `${stringInput(cache, "nodeType") ?? "?"} × ${Number.isFinite(nodes) ? nodes : "?"}`]),
        sizeLine([
            boolInput(cache, "multiAzEnabled") === true && "Multi-AZ",
            boolInput(cache, "automaticFailoverEnabled") === true && "failover",
            boolInput(cache, "transitEncryptionEnabled") === true ? "TLS" : "no TLS",
            auth ?? "no AUTH",
            boolInput(cache, "atRestEncryptionEnabled") === true && "encrypted",
        ]),
    ];
}

function kafkaLines(builder: Builder, links: Links, cluster: DeploymentResource): string[] {
    const ports = kafkaPorts(cluster) ?? [];
    const auth = [
        ...(ports.includes(KAFKA_PORTS.iam) ? ["IAM"] : []),
        ...(ports.includes(KAFKA_PORTS.scram) ? ["SCRAM"] : []),
        ...(ports.includes(KAFKA_PORTS.tls) ? ["TLS"] : []),
        ...(ports.includes(KAFKA_PORTS.plaintext) ? ["plaintext"] : []),
    ];
    const volume = numberInput(cluster, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", NaN);
    const scaling = scalingOf(builder, links, cluster, known(cluster.outputs.arn));
    const configuration = links.ref(cluster, "configurationInfo.arn", [TYPE.mskConfiguration]);
    if (configuration) builder.fold(configuration);
    const topics = links.index.ofType(MSK_TOPIC).filter((topic) => links.refs(topic, "clusterArn", [TYPE.mskCluster]).includes(cluster));
    builder.fold(...topics);
    const topicNames = topics.map((topic) => nameOf(topic)).sort();
    return [
        `MSK ${nameOf(cluster, "clusterName")}`,
        sizeLine([
            `Kafka ${stringInput(cluster, "kafkaVersion") ?? "?"}`,
            `${numberInput(cluster, "numberOfBrokerNodes", 0)} × ${stringInput(cluster, "brokerNodeGroupInfo.instanceType") ?? "?"}`,
        ]),
        sizeLine([
            auth.length > 0 ? `clients: ${auth.join(", ")}` : undefined,
            Number.isFinite(volume) ? `${volume} GB/broker${scaling ? ` → ${scaling.max} GB` : ""}` : undefined,
        ]),
        ...(configuration ? [`configuration ${nameOf(configuration)}`] : []),
        ...(topicNames.length > 0 ? [`topics: ${topicNames.join(", ")}`] : []),
    ];
}

/** Draws the stores and who may reach them; returns nothing (edges and nodes go to the builder). */
export function buildStores(builder: Builder, links: Links, all: readonly Carrier[]): void {
    const { index } = links;
    const stores = STORE_TYPES.flatMap((type) => index.ofType(type));
    for (const store of stores) {
        builder.fold(...subnetGroupsOf(links, store));
        const lines =
            store.type === TYPE.rdsInstance
                ? rdsLines(store)
                : store.type === TYPE.mskCluster
                  ? kafkaLines(builder, links, store)
                  : cacheLines(store);
        builder.draw(
            store,
            store.type === TYPE.rdsInstance ? "rds" : store.type === TYPE.mskCluster ? "msk" : "cache",
            [...lines, ...subnetsLine(storeSubnets(links, store))],
            "cylinder",
        );
    }
    for (const store of stores) reachEdges(builder, links, all, store);
    secretEdges(builder, links, stores);
}

function reachEdges(builder: Builder, links: Links, all: readonly Carrier[], store: DeploymentResource): void {
    const storeId = builder.idOf(store)!;
    const ports = storePorts(store);
    const groups = all.find((c) => c.resource === store)?.groups ?? [];
    const labels = new Map<string, Set<string>>(); // source node → port labels
    for (const group of groups) {
        for (const rule of ingressRulesOf(links, group)) {
            const covered = coveredPorts(rule, ports);
            if (covered.length === 0) continue;
            for (const source of ruleSources(builder, links, all, rule, groups, storeId)) {
                labels.set(source, new Set([...(labels.get(source) ?? []), ...covered]));
            }
        }
    }
    for (const [source, ports] of labels) builder.edge(source, storeId, sortPorts(ports).join(", "), "traffic");
}

/**
 * Who a rule lets in: the drawn workloads carrying its referenced group (the group's own node when none
 * is drawn; nothing for the store's own groups, e.g. brokers talking to each other), or its CIDR's node.
 */
function ruleSources(
    builder: Builder,
    links: Links,
    all: readonly Carrier[],
    rule: DeploymentResource,
    own: readonly DeploymentResource[],
    storeId: string,
): string[] {
    const referenced = referencedGroup(links, rule);
    if (!referenced) {
        const cidr = cidrSource(builder, links.index, rule);
        return cidr ? [cidr] : [];
    }
    if (own.includes(referenced)) return [];
    const workloads = workloadsCarrying(builder, links, all, referenced).filter((id) => id !== storeId);
    if (workloads.length > 0) return workloads;
    const groupId = builder.idOf(referenced);
    return groupId ? [groupId] : [];
}

function secretEdges(builder: Builder, links: Links, stores: readonly DeploymentResource[]): void {
    for (const version of links.index.ofType(TYPE.secretsmanagerSecretVersion)) {
        const described = links.dependencies(version, "secretString", STORE_TYPES).filter((store) => stores.includes(store));
        if (described.length === 0) continue;
        for (const secret of links.refs(version, "secretId", [TYPE.secretsmanagerSecret])) {
            const secretId = builder.idOf(secret) ?? builder.draw(secret, "secret", [`secret ${nameOf(secret)}`]);
            for (const store of described) builder.edge(secretId, builder.idOf(store)!, "endpoint", "uses");
        }
    }
}
