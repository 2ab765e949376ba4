import { z } from "zod";
import { parseIpv4Cidr, rangeContains, rangesOverlap, Ipv4Range } from "../shared/cidr";
import { awsCidr, logRetentionDays } from "../shared/config-fields";

export const NAT_MODES = ["none", "single", "perAz"] as const;
export type NatMode = (typeof NAT_MODES)[number];

const subnetCidr = awsCidr("subnets");

/** `data-platform:network`: the VPC, its subnets per AZ, NAT, endpoints and flow logs. */
export const networkSchema = z
    .strictObject({
        vpcCidr: awsCidr("VPCs").describe("VPC CIDR (/16–/28)"),
        availabilityZones: z.array(z.string()).min(1).describe("AZs in order; subnet lists align with it"),
        publicSubnetCidrs: z.array(subnetCidr).describe("one public subnet per AZ"),
        privateSubnetCidrs: z.array(subnetCidr).describe("one private subnet per AZ"),
        databaseSubnetCidrs: z.array(subnetCidr).default([]).describe("none, or one isolated database subnet per AZ"),
        natGateways: z.enum(NAT_MODES).default("none").describe("NAT gateways: none, one shared, or one per AZ"),
        interfaceEndpoints: z
            .boolean()
            .default(false)
            .describe("ECR, CloudWatch Logs and Secrets Manager interface endpoints in private subnets (private tasks work without NAT)"),
        flowLogs: z
            .strictObject({
                retentionDays: logRetentionDays.default(30).describe("flow-log group retention (a CloudWatch-allowed value)"),
                trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL").describe("flow-log traffic type"),
            })
            .prefault({}),
    })
    .superRefine(checkSubnets);

export type NetworkConfig = z.infer<typeof networkSchema>;

type SubnetLists = Pick<NetworkConfig, "vpcCidr" | "availabilityZones" | "publicSubnetCidrs" | "privateSubnetCidrs" | "databaseSubnetCidrs">;

/** Each AZ once; exactly one subnet per AZ per tier; every subnet inside the VPC; no two subnets overlap. */
function checkSubnets(network: SubnetLists, ctx: z.RefinementCtx): void {
    const azs = network.availabilityZones;
    azs.forEach((az, index) => {
        if (azs.indexOf(az) !== index) {
            ctx.addIssue({ code: "custom", path: ["availabilityZones", index], message: "listed twice: one subnet per AZ per tier" });
        }
    });

    const vpc = parseIpv4Cidr(network.vpcCidr);
    const tiers = [
        ["publicSubnetCidrs", network.publicSubnetCidrs, true],
        ["privateSubnetCidrs", network.privateSubnetCidrs, true],
        ["databaseSubnetCidrs", network.databaseSubnetCidrs, false],
    ] as const;
    const seen: { key: string; range: Ipv4Range }[] = [];
    for (const [key, cidrs, required] of tiers) {
        if ((required || cidrs.length > 0) && cidrs.length !== azs.length) {
            ctx.addIssue({
                code: "custom",
                path: [key],
                message: `needs exactly one subnet per AZ: ${azs.length} AZs (${azs.join(", ")}) but ${cidrs.length} subnets${required ? "" : " (or none at all)"}`,
            });
        }
        cidrs.forEach((cidr, index) => {
            const subnet = parseIpv4Cidr(cidr);
            if (!subnet || !vpc) return;
            if (!rangeContains(vpc, subnet)) {
                ctx.addIssue({ code: "custom", path: [key, index], message: `outside the VPC CIDR ${network.vpcCidr}` });
            }
            const clash = seen.find((other) => rangesOverlap(other.range, subnet));
            if (clash) {
                ctx.addIssue({ code: "custom", path: [key, index], message: `overlaps ${clash.key} ${clash.range.cidr}` });
            }
            seen.push({ key: `${key}[${index}]`, range: subnet });
        });
    }
}

/** The AZs must exist in the stack's region (a cross-section check: region is a stack-level key). */
export function availabilityZoneProblems(network: Pick<NetworkConfig, "availabilityZones">, region: string, regionAzs: readonly string[]) {
    const azs = network.availabilityZones;
    const problems: { path: (string | number)[]; message: string }[] = [];
    if (regionAzs.length === 0) return problems;
    if (azs.length > regionAzs.length) {
        problems.push({
            path: ["availabilityZones"],
            message: `${azs.length} AZs asked but ${region} offers ${regionAzs.length} (${regionAzs.join(", ")})`,
        });
    }
    azs.forEach((az, index) => {
        if (!regionAzs.includes(az)) {
            problems.push({ path: ["availabilityZones", index], message: `not an availability zone of ${region}; allowed: ${regionAzs.join(", ")}` });
        }
    });
    return problems;
}

/** Interface endpoints that let tasks in private subnets pull images, write logs and read secrets without NAT. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "logs", "secretsmanager"] as const;
