/**
 * The price table: on-demand list prices in USD, per region, one entry per
 * billing dimension. Every entry names where the number comes from and when
 * it was read. Prices are looked up, never derived; where the only source found
 * quotes the "US East" price (N. Virginia and Ohio share one list price for
 * these dimensions) the note says so. Re-check before relying on a number:
 * AWS changes prices without notice.
 */

export interface PriceEntry {
    /** USD per `unit`. */
    readonly usd: number;
    readonly unit: string;
    /** Where the number was read. */
    readonly source: string;
    /** ISO date the source was read. */
    readonly checked: string;
    readonly note?: string;
}

/** Billing dimensions the estimator knows. Instance-type prices use `ec2:<type>`, `rds:<class>`, ... keys. */
export type PriceKey =
    | "ebs.gp3.gbMonth" | "ebs.gp2.gbMonth"
    | "nat.hour" | "nat.gb"
    | "publicIpv4.hour"
    | "vpce.interface.azHour" | "vpce.interface.gb"
    | "alb.hour" | "alb.lcuHour"
    | "rds.gp3.gbMonth" | "rds.gp2.gbMonth"
    | "msk.storage.gbMonth"
    | "eks.cluster.hour"
    | "fargate.vcpuHour" | "fargate.gbHour" | "fargateSpot.discount"
    | "secretsmanager.secretMonth"
    | "kms.keyMonth"
    | "logs.ingestGb" | "logs.storageGbMonth"
    | "s3.standard.gbMonth"
    | "glue.dpuHour" | "glue.crawlerDpuHour"
    | "ecr.gbMonth"
    | `ec2:${string}` | `rds:${string}` | `elasticache:${string}` | `msk:${string}`;

/** Hours AWS uses for a month in its own calculators. */
export const HOURS_PER_MONTH = 730;

const CHECKED = "2026-11-25";

const AWS_EC2_OHIO_2018 = "github.com/alexjguy/AWS-costs-markdown aws_costs.md (AWS Price List API export, region US East (Ohio))";

const EC2_NOTE = "Linux, shared tenancy, on-demand; US East list price";
const ec2 = (usd: number, source: string): PriceEntry => ({ usd, unit: "instance-hour", source, checked: CHECKED, note: EC2_NOTE });
const T3_SOURCE = "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in public cost-estimator price tables found by code search (t3.micro 0.0104 … t3.2xlarge 0.3328); cross-check: wring.co/blog/aws-fargate-pricing-guide quotes t3.medium at $30/month = 0.0416 × 730";
const M5_SOURCE = "kindatechnical.com/aws-eks/lesson-31-understanding-eks-pricing.html (m5.large $0.096, m5.xlarge $0.192 per hour)";
const OHIO_TABLE = "aws.amazon.com/ec2/pricing/on-demand as tabulated in a public cost tool found by code search, labelled \"on-demand USD/hour (us-east-2, Linux)\" (m5/m6i/m7i/r6i/t3 rows)";
const T3A_SOURCE = "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in several public cost estimators found by code search (t3a.micro 0.0094 … t3a.2xlarge 0.3008)";
const C6I_SOURCE = "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in public cost estimators found by code search (c6i.large 0.085, c6i.xlarge 0.17, c6i.2xlarge 0.34)";

const US_EAST_2: Readonly<Record<string, PriceEntry>> = {
    // --- EC2 instances (hosts, node groups) ---
    "ec2:t3.micro": ec2(0.0104, T3_SOURCE),
    "ec2:t3.small": ec2(0.0208, T3_SOURCE),
    "ec2:t3.medium": ec2(0.0416, T3_SOURCE),
    "ec2:t3.large": ec2(0.0832, T3_SOURCE),
    "ec2:t3.xlarge": ec2(0.1664, T3_SOURCE),
    "ec2:t3.2xlarge": ec2(0.3328, T3_SOURCE),
    "ec2:t3a.micro": ec2(0.0094, T3A_SOURCE),
    "ec2:t3a.small": ec2(0.0188, T3A_SOURCE),
    "ec2:t3a.medium": ec2(0.0376, T3A_SOURCE),
    "ec2:t3a.large": ec2(0.0752, T3A_SOURCE),
    "ec2:t3a.xlarge": ec2(0.1504, T3A_SOURCE),
    "ec2:t3a.2xlarge": ec2(0.3008, T3A_SOURCE),
    "ec2:m5.large": ec2(0.096, M5_SOURCE),
    "ec2:m5.xlarge": ec2(0.192, M5_SOURCE),
    "ec2:m5.2xlarge": ec2(0.384, OHIO_TABLE),
    "ec2:m6i.large": ec2(0.096, OHIO_TABLE),
    "ec2:m6i.xlarge": ec2(0.192, OHIO_TABLE),
    "ec2:m6i.2xlarge": ec2(0.384, OHIO_TABLE),
    "ec2:m7i.large": ec2(0.1008, OHIO_TABLE),
    "ec2:m7i.xlarge": ec2(0.2016, OHIO_TABLE),
    "ec2:m7i.2xlarge": ec2(0.4032, OHIO_TABLE),
    "ec2:c6i.large": ec2(0.085, C6I_SOURCE),
    "ec2:c6i.xlarge": ec2(0.17, C6I_SOURCE),
    "ec2:c6i.2xlarge": ec2(0.34, C6I_SOURCE),
    "ec2:r6i.large": ec2(0.126, OHIO_TABLE + "; r6i.large 0.126 from the same estimators as c6i"),
    "ec2:r6i.xlarge": ec2(0.252, OHIO_TABLE),
    "ec2:r6i.2xlarge": ec2(0.504, OHIO_TABLE),

    // --- EBS ---
    "ebs.gp3.gbMonth": {
        usd: 0.08, unit: "GB-month", checked: CHECKED,
        source: "aws.amazon.com/ebs/pricing (gp3 $0.08/GB-month, US East) as quoted in lethang7794.github.io/aws-sa-associate-saac03 (gp3 pricing) and public cost tables found by code search (EBS_PRICING gp3 0.08)",
        note: "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    },
    "ebs.gp2.gbMonth": { usd: 0.10, unit: "GB-month", checked: CHECKED, source: AWS_EC2_OHIO_2018 },

    // --- VPC ---
    "nat.hour": {
        usd: 0.045, unit: "NAT gateway-hour", checked: CHECKED,
        source: "aws.amazon.com/vpc/pricing (US East (Ohio) example, transcribed in api-evangelist/amazon-vpc plans/amazon-vpc-plans-pricing.yml, read 2026-09-20); same in " + AWS_EC2_OHIO_2018,
    },
    "nat.gb": {
        usd: 0.045, unit: "GB processed", checked: CHECKED,
        source: "aws.amazon.com/vpc/pricing (US East (Ohio) example: \"Data Processing charge … $0.045 per GB\"); hub.pointfive.co CER-0325 ($0.045/GB in US East Ohio)",
    },
    "publicIpv4.hour": {
        usd: 0.005, unit: "public IPv4 address-hour", checked: CHECKED,
        source: "aws.amazon.com/vpc/pricing Public IPv4 tab ($0.005 per IP per hour, in-use or idle, since 2024-02-01); cloudburn.io/blog/aws-nat-gateway-pricing",
        note: "applies to EIPs (including NAT EIPs), instance public IPs and task public IPs",
    },
    "vpce.interface.azHour": {
        usd: 0.01, unit: "endpoint-AZ-hour", checked: CHECKED,
        source: AWS_EC2_OHIO_2018 + " (VPC Endpoint per hour 0.01); knbrlo.com/notes/aws/nat-gateway-data-processing (2026: ~$0.01/hour per endpoint per AZ)",
    },
    "vpce.interface.gb": { usd: 0.01, unit: "GB processed", checked: CHECKED, source: AWS_EC2_OHIO_2018 + " (Data Processed by VPC Endpoints per GB 0.01)" },

    // --- Load balancing ---
    "alb.hour": {
        usd: 0.0225, unit: "ALB-hour", checked: CHECKED,
        source: "aws.amazon.com/elasticloadbalancing/pricing (US East: $0.0225 per ALB-hour), as tabulated at cal53.calculator.city/aws-alb-cost-calculator",
    },
    "alb.lcuHour": {
        usd: 0.008, unit: "LCU-hour", checked: CHECKED,
        source: "aws.amazon.com/elasticloadbalancing/pricing (US East: $0.008 per LCU-hour)",
    },

    // --- RDS (PostgreSQL, single-AZ; Multi-AZ doubles instance and storage) ---
    "rds:db.t4g.micro": { usd: 0.016, unit: "instance-hour", checked: CHECKED, source: "infratally.com/articles/aws-rds-pricing-explained-2026.html (PostgreSQL, Single-AZ; Multi-AZ exactly double)" },
    "rds:db.t4g.small": { usd: 0.032, unit: "instance-hour", checked: CHECKED, source: "infratally.com/articles/aws-rds-pricing-explained-2026.html" },
    "rds:db.t4g.medium": { usd: 0.065, unit: "instance-hour", checked: CHECKED, source: "infratally.com/articles/aws-rds-pricing-explained-2026.html" },
    "rds.gp3.gbMonth": { usd: 0.115, unit: "GB-month", checked: CHECKED, source: "usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator (gp3 $0.115/GB-month, from aws.amazon.com/rds/pricing)" },
    "rds.gp2.gbMonth": { usd: 0.115, unit: "GB-month", checked: CHECKED, source: "aws.amazon.com/rds/pricing (General Purpose storage $0.115/GB-month, US East)" },

    // --- ElastiCache ---
    "elasticache:cache.t3.micro": { usd: 0.017, unit: "node-hour", checked: CHECKED, source: "dragonflydb.io/finops/elasticache/cache.t3.micro (US East on-demand $0.017)" },

    // --- MSK ---
    "msk:kafka.t3.small": {
        usd: 0.0456, unit: "broker-hour", checked: CHECKED,
        source: "aws.amazon.com/msk/pricing (kafka.t3.small), as tabulated in public MSK cost calculators found by code search",
        note: "third-party tables disagree (0.0456–0.054): verify before relying on MSK numbers",
    },
    "msk:kafka.m5.large": { usd: 0.21, unit: "broker-hour", checked: CHECKED, source: "aws.amazon.com/msk/pricing (kafka.m5.large), as tabulated in public MSK cost calculators found by code search" },
    "msk.storage.gbMonth": { usd: 0.10, unit: "GB-month", checked: CHECKED, source: "aws.amazon.com/msk/pricing (broker storage $0.10/GB-month), as tabulated in public MSK cost calculators" },

    // --- EKS ---
    "eks.cluster.hour": {
        usd: 0.10, unit: "cluster-hour", checked: CHECKED,
        source: "cloudburn.io/blog/amazon-eks-pricing and factualminds.com (control plane $0.10/cluster-hour, standard support; extended support +$0.50/hour not modelled)",
    },

    // --- Fargate ---
    "fargate.vcpuHour": {
        usd: 0.04048, unit: "vCPU-hour", checked: CHECKED,
        source: "aws.amazon.com/fargate/pricing (Linux/x86, US East) via vantage.sh/blog/fargate-pricing and wring.co/blog/aws-fargate-pricing-guide",
    },
    "fargate.gbHour": {
        usd: 0.004445, unit: "GB-hour", checked: CHECKED,
        source: "aws.amazon.com/fargate/pricing (Linux/x86, US East) via vantage.sh/blog/fargate-pricing",
    },
    "fargateSpot.discount": {
        usd: 0.5, unit: "fraction off on-demand", checked: CHECKED,
        source: "fortem.dev/fargate-spot (Spot runs 50–70% below on-demand; AWS's 70% is the ceiling)",
        note: "Spot prices float; the estimate takes the conservative end (50% off)",
    },

    // --- Secrets, keys ---
    "secretsmanager.secretMonth": { usd: 0.40, unit: "secret-month", checked: CHECKED, source: "aws.amazon.com/secrets-manager/pricing ($0.40 per secret per month), quoted at hivebook.wiki/wiki/aws-secrets-manager-…" },
    "kms.keyMonth": {
        usd: 1.0, unit: "key-month", checked: CHECKED,
        source: "aws.amazon.com/kms/pricing (\"Each AWS KMS key that you create in KMS costs $1/month\")",
        note: "each automatic rotation adds $1/month for the first two rotations; first-year cost shown",
    },

    // --- CloudWatch Logs ---
    "logs.ingestGb": { usd: 0.50, unit: "GB ingested", checked: CHECKED, source: AWS_EC2_OHIO_2018 + " (AmazonCloudWatch Ingested logs / GB 0.50, US East (Ohio))" },
    "logs.storageGbMonth": { usd: 0.03, unit: "GB-month archived", checked: CHECKED, source: AWS_EC2_OHIO_2018 + " (AmazonCloudWatch storage 0.03 / GB, US East (Ohio))" },

    // --- S3 ---
    "s3.standard.gbMonth": { usd: 0.023, unit: "GB-month", checked: CHECKED, source: AWS_EC2_OHIO_2018 + " (AmazonS3 Standard Storage First 50 TB 0.023, US East (Ohio))" },

    // --- Glue ---
    "glue.dpuHour": {
        usd: 0.44, unit: "DPU-hour", checked: CHECKED,
        source: "aws.amazon.com/glue/pricing (\"$0.44 per DPU-Hour, billed per second … 1-minute minimum\" for Glue 2.0+ Spark jobs)",
    },
    "glue.crawlerDpuHour": {
        usd: 0.44, unit: "DPU-hour", checked: CHECKED,
        source: "aws.amazon.com/glue/pricing (crawlers: $0.44 per DPU-Hour, billed per second with a 10-minute minimum per run)",
    },

    // --- ECR ---
    "ecr.gbMonth": { usd: 0.10, unit: "GB-month", checked: CHECKED, source: "handbook.vantage.sh/aws/services/ecr-pricing and finops.com.py/services/ecr ($0.10 per GB-month, private repositories)" },
};

/** Price tables by region. A stack in another region is an error, not a silent guess. */
export const PRICE_TABLES: Readonly<Record<string, Readonly<Record<string, PriceEntry>>>> = {
    "us-east-2": US_EAST_2,
};

export class MissingPriceError extends Error {
    constructor(readonly region: string, readonly key: string) {
        super(PRICE_TABLES[region]
            ? `no price for ${key} in ${region}: add an entry (with source and date) to tools/cost/prices.ts`
            : `no price table for region ${region}; priced regions: ${Object.keys(PRICE_TABLES).join(", ")}`);
        this.name = "MissingPriceError";
    }
}

/** The price entry for a key in a region; throws when the table lacks it. */
export function price(region: string, key: PriceKey): PriceEntry {
    const entry = PRICE_TABLES[region]?.[key];
    if (!entry) throw new MissingPriceError(region, key);
    return entry;
}
