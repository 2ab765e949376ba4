import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { INTERFACE_ENDPOINT_SERVICES, NatMode, NetworkConfig } from "./config";
import { AccountContext, PolicyStatement, logGroupArn as logGroupArnPattern, policyDocument, serviceTrustPolicy } from "../shared/iam";
import { PORTS } from "../shared/ports";
import { Naming, componentType } from "../shared/naming";
import { TierComponent } from "../shared/tier";

export interface NetworkArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:network` section. */
    readonly config: NetworkConfig;
    /** AWS region, for endpoint service names. */
    readonly region: string;
    /** Customer-managed keys; the `logs` key encrypts the flow-log group (AWS-managed encryption without it). */
    readonly keys?: Partial<KeyArns>;
    /**
     * Tag the public subnets `kubernetes.io/role/elb` and the private ones `kubernetes.io/role/internal-elb`,
     * so the AWS Load Balancer Controller of an EKS cluster finds them. Default false.
     */
    readonly loadBalancerSubnetTags?: boolean;
}

/** The subnet tags the AWS Load Balancer Controller discovers subnets by (value "1"). */
export const LOAD_BALANCER_SUBNET_TAGS: Readonly<Partial<Record<SubnetTier, string>>> = {
    public: "kubernetes.io/role/elb",
    private: "kubernetes.io/role/internal-elb",
};

export type SubnetTier = "public" | "private" | "database";

export interface PlacedSubnet {
    readonly tier: SubnetTier;
    readonly availabilityZone: string;
    readonly cidr: string;
    readonly subnet: aws.ec2.Subnet;
}

export { INTERFACE_ENDPOINT_SERVICES } from "./config";

/**
 * VPC with DNS, public/private (and optional database) subnets at exact CIDRs,
 * IGW, route tables per NAT mode, flow logs, an empty default security group
 * and an S3 gateway endpoint on every route table.
 */
export class Network extends TierComponent {
    readonly vpc: aws.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly subnets: readonly PlacedSubnet[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly databaseSubnetIds: pulumi.Output<string>[];
    readonly routeTables: aws.ec2.RouteTable[];
    readonly natGateways: aws.ec2.NatGateway[];
    readonly flowLogGroup: aws.cloudwatch.LogGroup;
    readonly s3Endpoint: aws.ec2.VpcEndpoint;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("network", "Network"), name, opts);
        const { naming, config } = args;
        const tags = (purpose: string, extra?: Record<string, string>) => naming.tags("network", purpose, extra);
        const parent = this.child();

        this.vpcCidr = config.vpcCidr;
        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: config.vpcCidr,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: tags("main-vpc"),
            },
            parent,
        );
        this.vpcId = this.vpc.id;

        // Managed so that AWS's default allow-all rules are removed.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            {
                vpcId: this.vpc.id,
                ingress: [],
                egress: [],
                tags: tags("default-sg-restricted"),
            },
            parent,
        );

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: tags("main-igw") }, parent);

        const subnets: PlacedSubnet[] = [];
        const addTier = (tier: SubnetTier, cidrs: readonly string[]) =>
            cidrs.map((cidr, index) => {
                const availabilityZone = config.availabilityZones[index];
                const subnet = new aws.ec2.Subnet(
                    `${name}-${tier}-${availabilityZone}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: cidr,
                        availabilityZone,
                        // Public IPs are assigned explicitly per instance or task, never by default.
                        mapPublicIpOnLaunch: false,
                        tags: tags(`${tier}-subnet-${availabilityZone}`, {
                            SubnetTier: tier,
                            ...loadBalancerTag(tier, args.loadBalancerSubnetTags ?? false),
                        }),
                    },
                    parent,
                );
                const placed = { tier, availabilityZone, cidr, subnet };
                subnets.push(placed);
                return placed;
            });
        const publicSubnets = addTier("public", config.publicSubnetCidrs);
        const privateSubnets = addTier("private", config.privateSubnetCidrs);
        const databaseSubnets = addTier("database", config.databaseSubnetCidrs);
        this.subnets = subnets;
        this.publicSubnetIds = publicSubnets.map((s) => s.subnet.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.subnet.id);
        this.databaseSubnetIds = databaseSubnets.map((s) => s.subnet.id);

        // Public: one route table with the default route to the IGW.
        const publicRouteTable = this.routeTable(name, "public", tags("public-rt"));
        new aws.ec2.Route(
            `${name}-public-default`,
            {
                routeTableId: publicRouteTable.id,
                destinationCidrBlock: "0.0.0.0/0",
                gatewayId: igw.id,
            },
            parent,
        );
        this.associate(name, publicRouteTable, publicSubnets);

        // NAT gateways live in public subnets: none, the first AZ's, or one per AZ.
        this.natGateways = natSubnets(config.natGateways, publicSubnets).map((placed) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-eip-${placed.availabilityZone}`,
                {
                    domain: "vpc",
                    tags: tags(`nat-eip-${placed.availabilityZone}`),
                },
                parent,
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-${placed.availabilityZone}`,
                {
                    allocationId: eip.id,
                    subnetId: placed.subnet.id,
                    connectivityType: "public",
                    tags: tags(`nat-${placed.availabilityZone}`),
                },
                this.child({ dependsOn: [igw] }),
            );
        });

        const routeTables = [publicRouteTable];
        // Private: one table per AZ with perAz NAT, otherwise one shared table.
        if (config.natGateways === "perAz") {
            privateSubnets.forEach((placed, index) => {
                const suffix = `private-${placed.availabilityZone}`;
                const table = this.routeTable(name, suffix, tags(`private-rt-${placed.availabilityZone}`));
                this.natRoute(name, suffix, table, this.natGateways[index]);
                this.associate(name, table, [placed]);
                routeTables.push(table);
            });
        } else {
            const table = this.routeTable(name, "private", tags("private-rt"));
            if (this.natGateways.length > 0) this.natRoute(name, "private", table, this.natGateways[0]);
            this.associate(name, table, privateSubnets);
            routeTables.push(table);
        }
        // Database subnets: isolated, no route out of the VPC.
        if (databaseSubnets.length > 0) {
            const table = this.routeTable(name, "database", tags("database-rt"));
            this.associate(name, table, databaseSubnets);
            routeTables.push(table);
        }
        this.routeTables = routeTables;

        this.s3Endpoint = new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: this.vpc.id,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: this.routeTables.map((table) => table.id),
                tags: tags("s3-endpoint"),
            },
            parent,
        );

        if (config.interfaceEndpoints) this.interfaceEndpoints(name, args, privateSubnets);

        this.flowLogGroup = this.flowLogs(name, args);

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            databaseSubnetIds: this.databaseSubnetIds,
        });
    }

    private routeTable(name: string, suffix: string, tags: Record<string, string>): aws.ec2.RouteTable {
        return new aws.ec2.RouteTable(`${name}-${suffix}-rt`, { vpcId: this.vpc.id, tags }, this.child());
    }

    private natRoute(name: string, suffix: string, table: aws.ec2.RouteTable, nat: aws.ec2.NatGateway): void {
        new aws.ec2.Route(
            `${name}-${suffix}-default`,
            {
                routeTableId: table.id,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: nat.id,
            },
            this.child(),
        );
    }

    private associate(name: string, table: aws.ec2.RouteTable, subnets: readonly PlacedSubnet[]): void {
        for (const placed of subnets) {
            new aws.ec2.RouteTableAssociation(
                `${name}-${placed.tier}-${placed.availabilityZone}-rta`,
                {
                    routeTableId: table.id,
                    subnetId: placed.subnet.id,
                },
                this.child(),
            );
        }
    }

    private interfaceEndpoints(name: string, args: NetworkArgs, privateSubnets: readonly PlacedSubnet[]): void {
        const group = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: this.vpc.id,
                description: "HTTPS from inside the VPC to AWS interface endpoints",
                tags: args.naming.tags("network", "endpoints-sg"),
            },
            this.child(),
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https`,
            {
                securityGroupId: group.id,
                cidrIpv4: args.config.vpcCidr,
                ipProtocol: PORTS.https.protocol,
                fromPort: PORTS.https.from,
                toPort: PORTS.https.to,
                description: "HTTPS to interface endpoints from inside the VPC",
                tags: args.naming.tags("network", "endpoints-https"),
            },
            this.child(),
        );
        for (const service of INTERFACE_ENDPOINT_SERVICES) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(".", "-")}-endpoint`,
                {
                    vpcId: this.vpc.id,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((placed) => placed.subnet.id),
                    securityGroupIds: [group.id],
                    tags: args.naming.tags("network", `${service}-endpoint`),
                },
                this.child(),
            );
        }
    }

    private flowLogs(name: string, args: NetworkArgs): aws.cloudwatch.LogGroup {
        const { naming, config } = args;
        const parent = this.child();
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: `/aws/vpc/${naming.name("flow-logs")}`,
                retentionInDays: config.flowLogs.retentionDays,
                kmsKeyId: args.keys?.logs,
                tags: naming.tags("network", "flow-logs"),
            },
            parent,
        );
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                name: naming.name("vpc-flow-logs"),
                // VPC Flow Logs documents aws:SourceAccount for its delivery role.
                assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", account),
                tags: naming.tags("network", "vpc-flow-logs"),
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-delivery`,
            {
                role: role.id,
                policy: policyDocument(flowLogDeliveryStatements(logGroup.arn, { partition, account, region: args.region })),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: this.vpc.id,
                trafficType: config.flowLogs.trafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: naming.tags("network", "flow-log"),
            },
            parent,
        );
        return logGroup;
    }
}

/**
 * The delivery role's permissions, as the VPC user guide documents them for publishing flow logs to
 * CloudWatch Logs ("IAM role for publishing flow logs to CloudWatch Logs": logs:CreateLogGroup,
 * CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams), scoped: everything on this
 * stack's flow-log group and its streams, except DescribeLogGroups, a list call that cannot be
 * limited to one group (it is granted on the account's log groups in this region).
 */
export function flowLogDeliveryStatements(logGroupArn: pulumi.Input<string>, ctx: AccountContext): PolicyStatement[] {
    return [
        {
            Sid: "DeliverFlowLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:*`],
        },
        {
            Sid: "FindFlowLogGroup",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: logGroupArnPattern(ctx, "*"),
        },
    ];
}

/** The public subnets that host a NAT gateway for each mode. */
export function natSubnets<T>(mode: NatMode, publicSubnets: readonly T[]): T[] {
    switch (mode) {
        case "none":
            return [];
        case "single":
            return publicSubnets.slice(0, 1);
        case "perAz":
            return [...publicSubnets];
        default:
            throw new Error(`unknown NAT mode ${String(mode satisfies never)}`);
    }
}

function loadBalancerTag(tier: SubnetTier, enabled: boolean): Record<string, string> {
    const key = LOAD_BALANCER_SUBNET_TAGS[tier];
    return enabled && key !== undefined ? { [key]: "1" } : {};
}
