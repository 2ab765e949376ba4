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
    | "ebs.gp3.gbMonth"
    | "ebs.gp2.gbMonth"
    | "nat.hour"
    | "nat.gb"
    | "publicIpv4.hour"
    | "vpce.interface.azHour"
    | "vpce.interface.gb"
    | "alb.hour"
    | "alb.lcuHour"
    | "rds.gp3.gbMonth"
    | "rds.gp2.gbMonth"
    | "msk.storage.gbMonth"
    | "eks.cluster.hour"
    | "fargate.vcpuHour"
    | "fargate.gbHour"
    | "fargateSpot.discount"
    | "secretsmanager.secretMonth"
    | "kms.keyMonth"
    | "logs.ingestGb"
    | "logs.storageGbMonth"
    | "s3.standard.gbMonth"
    | "glue.dpuHour"
    | "glue.flex.dpuHour"
    | "glue.crawlerDpuHour"
    | "ecr.gbMonth"
    | `ec2:${string}`
    | `rds:${string}`
    | `elasticache:${string}`
    | `msk:${string}`;

/** Hours AWS uses for a month in its own calculators. */
export const HOURS_PER_MONTH = 730;

const CHECKED = "2026-11-25";

const AWS_EC2_OHIO_2018 = "github.com/alexjguy/AWS-costs-markdown aws_costs.md (AWS Price List API export, region US East (Ohio))";

const EC2_NOTE = "Linux, shared tenancy, on-demand; US East list price";
const ec2 = (usd: number, source: string): PriceEntry => ({ usd, unit: "instance-hour", source, checked: CHECKED, note: EC2_NOTE });
const T3_SOURCE =
    "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in public cost-estimator price tables found by code search (t3.micro 0.0104 … t3.2xlarge 0.3328); cross-check: wring.co/blog/aws-fargate-pricing-guide quotes t3.medium at $30/month = 0.0416 × 730";
const M5_SOURCE = "kindatechnical.com/aws-eks/lesson-31-understanding-eks-pricing.html (m5.large $0.096, m5.xlarge $0.192 per hour)";
const OHIO_TABLE =
    'aws.amazon.com/ec2/pricing/on-demand as tabulated in a public cost tool found by code search, labelled "on-demand USD/hour (us-east-2, Linux)" (m5/m6i/m7i/r6i/t3 rows)';
const T3A_SOURCE =
    "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in several public cost estimators found by code search (t3a.micro 0.0094 … t3a.2xlarge 0.3008)";
const C6I_SOURCE =
    "aws.amazon.com/ec2/pricing/on-demand (US East, Linux) as tabulated in public cost estimators found by code search (c6i.large 0.085, c6i.xlarge 0.17, c6i.2xlarge 0.34)";

/**
 * Graviton (arm64) types, read 2026-12-01: a public cloud cost-and-carbon CLI's factors.json
 * (`pricing_usd_per_hour` per region, sources.pricing_aws "aws-public-pricing-api-2026-q1",
 * updated_at 2026-03-28), found by code search.
 */
const GRAVITON_READ = "2026-12-01";
const GRAVITON_FACTORS = (region: string) =>
    `public cost/carbon CLI factors.json, pricing_usd_per_hour["${region}"] (source "aws-public-pricing-api-2026-q1", updated 2026-03-28), found by code search`;
/**
 * us-east-1 and us-east-2 rows of the factors table (the same numbers); the t4g rows agree with
 * several public us-east-1 cost tools (t4g.medium 0.0336, t4g.large 0.0672).
 */
const GRAVITON_US_EAST: Readonly<Record<string, number>> = {
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "t4g.xlarge": 0.1344,
    "m6g.large": 0.077,
    "m6g.xlarge": 0.154,
    "m6g.2xlarge": 0.308,
    "m7g.large": 0.0816,
    "m7g.xlarge": 0.1632,
    "m7g.2xlarge": 0.3264,
    "c6g.large": 0.068,
    "c6g.xlarge": 0.136,
    "c6g.2xlarge": 0.272,
    "c7g.large": 0.0725,
    "c7g.xlarge": 0.145,
    "r6g.large": 0.1008,
    "r6g.xlarge": 0.2016,
};
/**
 * Sizes the factors table lacks: several public cost and rightsizing tools' "us-east-1 Linux on-demand"
 * tables found by code search agree on these (t4g.2xlarge twice t4g.xlarge; r7g.large 0.1071 in four of them).
 */
const GRAVITON_US_EAST_MORE: Readonly<Record<string, number>> = {
    "t4g.2xlarge": 0.2688,
    "c7g.2xlarge": 0.29,
    "r7g.large": 0.1071,
    "r7g.xlarge": 0.2142,
    "r7g.2xlarge": 0.4284,
};
const GRAVITON_MORE_SOURCE = (region: string) =>
    `public cost and rightsizing tools' US East (us-east-1) Linux on-demand tables found by code search, agreeing on these sizes; the US East list price, applied to ${region}`;
const graviton = (region: string, prices: Readonly<Record<string, number>>, source = GRAVITON_FACTORS(region)): Record<string, PriceEntry> =>
    Object.fromEntries(
        Object.entries(prices).map(([type, usd]) => [
            `ec2:${type}`,
            { usd, unit: "instance-hour", source, checked: GRAVITON_READ, note: "Linux, shared tenancy, on-demand; arm64 (Graviton)" },
        ]),
    );

/** Glue Flex, read 2026-12-01 (Glue 3.0+ Spark jobs with `executionClass: FLEX`; Glue 6.0+ has its own "Gen2" rows, not priced here). */
const GLUE_FLEX_SOURCE =
    'aws.amazon.com/glue/pricing (Flex execution "$0.29 per DPU-Hour", against $0.44 standard), as quoted in several public Glue cost guides found by code search; Flex offered in US East (N. Virginia) and US East (Ohio) since aws.amazon.com/about-aws/whats-new/2022/08/aws-glue-supports-flex-execution-option';

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
    ...graviton("us-east-2", GRAVITON_US_EAST),
    ...graviton("us-east-2", GRAVITON_US_EAST_MORE, GRAVITON_MORE_SOURCE("us-east-2")),

    // --- EBS ---
    "ebs.gp3.gbMonth": {
        usd: 0.08,
        unit: "GB-month",
        checked: CHECKED,
        source: "aws.amazon.com/ebs/pricing (gp3 $0.08/GB-month, US East) as quoted in lethang7794.github.io/aws-sa-associate-saac03 (gp3 pricing) and public cost tables found by code search (EBS_PRICING gp3 0.08)",
        note: "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    },
    "ebs.gp2.gbMonth": { usd: 0.1, unit: "GB-month", checked: CHECKED, source: AWS_EC2_OHIO_2018 },

    // --- VPC ---
    "nat.hour": {
        usd: 0.045,
        unit: "NAT gateway-hour",
        checked: CHECKED,
        source:
            "aws.amazon.com/vpc/pricing (US East (Ohio) example, transcribed in api-evangelist/amazon-vpc plans/amazon-vpc-plans-pricing.yml, read 2026-09-20); same in " +
            AWS_EC2_OHIO_2018,
    },
    "nat.gb": {
        usd: 0.045,
        unit: "GB processed",
        checked: CHECKED,
        source: 'aws.amazon.com/vpc/pricing (US East (Ohio) example: "Data Processing charge … $0.045 per GB"); hub.pointfive.co CER-0325 ($0.045/GB in US East Ohio)',
    },
    "publicIpv4.hour": {
        usd: 0.005,
        unit: "public IPv4 address-hour",
        checked: CHECKED,
        source: "aws.amazon.com/vpc/pricing Public IPv4 tab ($0.005 per IP per hour, in-use or idle, since 2024-02-01); cloudburn.io/blog/aws-nat-gateway-pricing",
        note: "applies to EIPs (including NAT EIPs), instance public IPs and task public IPs",
    },
    "vpce.interface.azHour": {
        usd: 0.01,
        unit: "endpoint-AZ-hour",
        checked: CHECKED,
        source:
            AWS_EC2_OHIO_2018 +
            " (VPC Endpoint per hour 0.01); knbrlo.com/notes/aws/nat-gateway-data-processing (2026: ~$0.01/hour per endpoint per AZ)",
    },
    "vpce.interface.gb": {
        usd: 0.01,
        unit: "GB processed",
        checked: CHECKED,
        source: AWS_EC2_OHIO_2018 + " (Data Processed by VPC Endpoints per GB 0.01)",
    },

    // --- Load balancing ---
    "alb.hour": {
        usd: 0.0225,
        unit: "ALB-hour",
        checked: CHECKED,
        source: "aws.amazon.com/elasticloadbalancing/pricing (US East: $0.0225 per ALB-hour), as tabulated at cal53.calculator.city/aws-alb-cost-calculator",
    },
    "alb.lcuHour": {
        usd: 0.008,
        unit: "LCU-hour",
        checked: CHECKED,
        source: "aws.amazon.com/elasticloadbalancing/pricing (US East: $0.008 per LCU-hour)",
    },

    // --- RDS (PostgreSQL, single-AZ; Multi-AZ doubles instance and storage) ---
    "rds:db.t4g.micro": {
        usd: 0.016,
        unit: "instance-hour",
        checked: CHECKED,
        source: "infratally.com/articles/aws-rds-pricing-explained-2026.html (PostgreSQL, Single-AZ; Multi-AZ exactly double)",
    },
    "rds:db.t4g.small": {
        usd: 0.032,
        unit: "instance-hour",
        checked: CHECKED,
        source: "infratally.com/articles/aws-rds-pricing-explained-2026.html",
    },
    "rds:db.t4g.medium": {
        usd: 0.065,
        unit: "instance-hour",
        checked: CHECKED,
        source: "infratally.com/articles/aws-rds-pricing-explained-2026.html",
    },
    "rds.gp3.gbMonth": {
        usd: 0.115,
        unit: "GB-month",
        checked: CHECKED,
        source: "usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator (gp3 $0.115/GB-month, from aws.amazon.com/rds/pricing)",
    },
    "rds.gp2.gbMonth": {
        usd: 0.115,
        unit: "GB-month",
        checked: CHECKED,
        source: "aws.amazon.com/rds/pricing (General Purpose storage $0.115/GB-month, US East)",
    },

    // --- ElastiCache ---
    "elasticache:cache.t3.micro": {
        usd: 0.017,
        unit: "node-hour",
        checked: CHECKED,
        source: "dragonflydb.io/finops/elasticache/cache.t3.micro (US East on-demand $0.017)",
    },

    // --- MSK ---
    "msk:kafka.t3.small": {
        usd: 0.0456,
        unit: "broker-hour",
        checked: CHECKED,
        source: "aws.amazon.com/msk/pricing (kafka.t3.small), as tabulated in public MSK cost calculators found by code search",
        note: "third-party tables disagree (0.0456–0.054): verify before relying on MSK numbers",
    },
    "msk:kafka.m5.large": {
        usd: 0.21,
        unit: "broker-hour",
        checked: CHECKED,
        source: "aws.amazon.com/msk/pricing (kafka.m5.large), as tabulated in public MSK cost calculators found by code search",
    },
    "msk.storage.gbMonth": {
        usd: 0.1,
        unit: "GB-month",
        checked: CHECKED,
        source: "aws.amazon.com/msk/pricing (broker storage $0.10/GB-month), as tabulated in public MSK cost calculators",
    },

    // --- EKS ---
    "eks.cluster.hour": {
        usd: 0.1,
        unit: "cluster-hour",
        checked: CHECKED,
        source: "cloudburn.io/blog/amazon-eks-pricing and factualminds.com (control plane $0.10/cluster-hour, standard support; extended support +$0.50/hour not modelled)",
    },

    // --- Fargate ---
    "fargate.vcpuHour": {
        usd: 0.04048,
        unit: "vCPU-hour",
        checked: CHECKED,
        source: "aws.amazon.com/fargate/pricing (Linux/x86, US East) via vantage.sh/blog/fargate-pricing and wring.co/blog/aws-fargate-pricing-guide",
    },
    "fargate.gbHour": {
        usd: 0.004445,
        unit: "GB-hour",
        checked: CHECKED,
        source: "aws.amazon.com/fargate/pricing (Linux/x86, US East) via vantage.sh/blog/fargate-pricing",
    },
    "fargateSpot.discount": {
        usd: 0.5,
        unit: "fraction off on-demand",
        checked: CHECKED,
        source: "fortem.dev/fargate-spot (Spot runs 50–70% below on-demand; AWS's 70% is the ceiling)",
        note: "Spot prices float; the estimate takes the conservative end (50% off)",
    },

    // --- Secrets, keys ---
    "secretsmanager.secretMonth": {
        usd: 0.4,
        unit: "secret-month",
        checked: CHECKED,
        source: "aws.amazon.com/secrets-manager/pricing ($0.40 per secret per month), quoted at hivebook.wiki/wiki/aws-secrets-manager-…",
    },
    "kms.keyMonth": {
        usd: 1.0,
        unit: "key-month",
        checked: CHECKED,
        source: 'aws.amazon.com/kms/pricing ("Each AWS KMS key that you create in KMS costs $1/month")',
        note: "each automatic rotation adds $1/month for the first two rotations; first-year cost shown",
    },

    // --- CloudWatch Logs ---
    "logs.ingestGb": {
        usd: 0.5,
        unit: "GB ingested",
        checked: CHECKED,
        source: AWS_EC2_OHIO_2018 + " (AmazonCloudWatch Ingested logs / GB 0.50, US East (Ohio))",
    },
    "logs.storageGbMonth": {
        usd: 0.03,
        unit: "GB-month archived",
        checked: CHECKED,
        source: AWS_EC2_OHIO_2018 + " (AmazonCloudWatch storage 0.03 / GB, US East (Ohio))",
    },

    // --- S3 ---
    "s3.standard.gbMonth": {
        usd: 0.023,
        unit: "GB-month",
        checked: CHECKED,
        source: AWS_EC2_OHIO_2018 + " (AmazonS3 Standard Storage First 50 TB 0.023, US East (Ohio))",
    },

    // --- Glue ---
    "glue.dpuHour": {
        usd: 0.44,
        unit: "DPU-hour",
        checked: CHECKED,
        source: 'aws.amazon.com/glue/pricing ("$0.44 per DPU-Hour, billed per second … 1-minute minimum" for Glue 2.0+ Spark jobs)',
    },
    "glue.flex.dpuHour": {
        usd: 0.29,
        unit: "DPU-hour",
        checked: GRAVITON_READ,
        source: GLUE_FLEX_SOURCE,
        note: "Flex runs on spare capacity: start and run times vary; billed per second for the workers it gets",
    },
    "glue.crawlerDpuHour": {
        usd: 0.44,
        unit: "DPU-hour",
        checked: CHECKED,
        source: "aws.amazon.com/glue/pricing (crawlers: $0.44 per DPU-Hour, billed per second with a 10-minute minimum per run)",
    },

    // --- ECR ---
    "ecr.gbMonth": {
        usd: 0.1,
        unit: "GB-month",
        checked: CHECKED,
        source: "handbook.vantage.sh/aws/services/ecr-pricing and finops.com.py/services/ecr ($0.10 per GB-month, private repositories)",
    },
};

// ---------------------------------------------------------------------------
// Other regions (read 2026-12-01). Each entry cites a source that names the
// region; where sources disagree the note says so. A key a region lacks is
// reported by the plan as "no price entry for <region>", never borrowed from
// another region.
// ---------------------------------------------------------------------------

const READ = "2026-12-01";
const entry = (usd: number, unit: string, source: string, note?: string): PriceEntry => ({
    usd,
    unit,
    source,
    checked: READ,
    ...(note ? { note } : {}),
});
const instance = (usd: number, source: string, note?: string) =>
    entry(usd, "instance-hour", source, note ? `Linux, shared tenancy, on-demand; ${note}` : "Linux, shared tenancy, on-demand");
const instances = (source: string, prices: Readonly<Record<string, number>>, note?: string): Record<string, PriceEntry> =>
    Object.fromEntries(Object.entries(prices).map(([type, usd]) => [`ec2:${type}`, instance(usd, source, note)]));

/** Prices AWS states once for every region (no regional table on the pricing page). */
const FLAT = {
    "publicIpv4.hour": (region: string) =>
        entry(
            0.005,
            "public IPv4 address-hour",
            `aws.amazon.com/vpc/pricing Public IPv4 tab: "$0.005 per IP per hour for all public IPv4 addresses" (one rate in every commercial region, ${region} included)`,
        ),
    "eks.cluster.hour": (region: string) =>
        entry(
            0.1,
            "cluster-hour",
            `aws.amazon.com/eks/pricing ("$0.10 per hour for each Amazon EKS cluster", standard support; no regional table), applied to ${region}`,
            "extended support +$0.50/hour not modelled",
        ),
    "kms.keyMonth": (region: string) =>
        entry(
            1.0,
            "key-month",
            `aws.amazon.com/kms/pricing ("Each AWS KMS key that you create in KMS costs $1/month", no regional table), applied to ${region}`,
            "each automatic rotation adds $1/month for the first two rotations; first-year cost shown",
        ),
    "secretsmanager.secretMonth": (region: string) =>
        entry(0.4, "secret-month", `aws.amazon.com/secrets-manager/pricing ("$0.40 per secret per month", no regional table), applied to ${region}`),
    "fargateSpot.discount": (region: string) =>
        entry(
            0.5,
            "fraction off on-demand",
            `fortem.dev/fargate-spot (Spot runs 50–70% below on-demand), applied to ${region}`,
            "Spot prices float; the estimate takes the conservative end (50% off)",
        ),
} as const;
const flat = (region: string): Record<string, PriceEntry> => Object.fromEntries(Object.entries(FLAT).map(([key, make]) => [key, make(region)]));

/** "AWS On-Demand pricing (us-east-1) and downsize maps for rightsizing recommendations", a public rightsizing tool: EC2, Fargate. */
const RIGHTSIZING_US_EAST_1 = 'public rightsizing tool\'s table "AWS On-Demand pricing (us-east-1)", EC2 Linux On-Demand, found by code search';
/** "AWS Health Check Tool - Cost Estimator Module", regional tables "Last updated: August 2026, Source: AWS Pricing Calculator & Price List API". */
const HEALTH_CHECK_2026 =
    'public AWS health-check tool\'s regional price tables ("Last updated: August 2026", from the AWS Pricing Calculator and Price List API), found by code search';
/** github.com/tanrikuluozlem/burn internal/pricing static prices, "Prices as of April 2026 - Linux On-Demand", per region. */
const BURN_2026 = 'github.com/tanrikuluozlem/burn internal/pricing ("Prices as of April 2026 - Linux On-Demand", per region)';
/** A teaching tool's "on-demand list prices for eu-central-1 (Frankfurt)", PRICES_AS_OF 2026. */
const FRANKFURT_COSTS_2026 =
    'public teaching tool costs.py ("on-demand list prices for eu-central-1 (Frankfurt)", prices as of 2026), found by code search';
/** gfw_sim costs.py: "table obtained through pricing_cli for eu-central-1". */
const GFW_SIM_FRANKFURT = 'gfw_sim sim/costs.py (t3a table "obtained through pricing_cli for eu-central-1"), found by code search';
const CLOUDWATCH_US_EAST_1 =
    '"Amazon CloudWatch and AWS CloudTrail Pricing Data (US East - N. Virginia)", from the AWS Pricing API, retrieved 2025-10-28 (custom logs $0.50/GB ingested)';
/** github.com/mo7amedgom3a/arch-visualizer backend/internal/cloud/aws/pricing ("based on AWS public pricing as of 2024"), per region. */
const ARCH_VISUALIZER_2024 =
    'github.com/mo7amedgom3a/arch-visualizer backend/internal/cloud/aws/pricing ("AWS public pricing as of 2024", per region)';
const INFRA_RULES_US_EAST_1 = 'github.com/srdjanrist/get-infra-done references/cost-rules.md ("us-east-1, on-demand")';

const US_EAST_1: Readonly<Record<string, PriceEntry>> = {
    ...instances(
        RIGHTSIZING_US_EAST_1,
        {
            "t3.micro": 0.0104,
            "t3.small": 0.0208,
            "t3.medium": 0.0416,
            "t3.large": 0.0832,
            "t3.xlarge": 0.1664,
            "t3.2xlarge": 0.3328,
            "t3a.micro": 0.0094,
            "t3a.small": 0.0188,
            "t3a.medium": 0.0376,
            "t3a.large": 0.0752,
            "t3a.xlarge": 0.1504,
            "t3a.2xlarge": 0.3008,
            "m5.large": 0.096,
            "m5.xlarge": 0.192,
            "m5.2xlarge": 0.384,
            "m6i.large": 0.096,
            "m6i.xlarge": 0.192,
            "m6i.2xlarge": 0.384,
            "m7i.large": 0.1008,
            "m7i.xlarge": 0.2016,
            "m7i.2xlarge": 0.4032,
            "c6i.large": 0.085,
            "c6i.xlarge": 0.17,
            "c6i.2xlarge": 0.34,
            "r6i.large": 0.126,
            "r6i.xlarge": 0.252,
            "r6i.2xlarge": 0.504,
        },
        `the same in ${BURN_2026} for the types it lists`,
    ),
    ...graviton("us-east-1", GRAVITON_US_EAST),
    ...graviton("us-east-1", GRAVITON_US_EAST_MORE, GRAVITON_MORE_SOURCE("us-east-1")),
    "ebs.gp3.gbMonth": entry(
        0.08,
        "GB-month",
        `${HEALTH_CHECK_2026}, us-east-1 EBS gp3`,
        "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    ),
    "ebs.gp2.gbMonth": entry(0.1, "GB-month", `${HEALTH_CHECK_2026}, us-east-1 EBS gp2`),
    "nat.hour": entry(0.045, "NAT gateway-hour", `${HEALTH_CHECK_2026}, us-east-1 nat_gateway_hourly; ${INFRA_RULES_US_EAST_1}`),
    "nat.gb": entry(0.045, "GB processed", `${HEALTH_CHECK_2026}, us-east-1 nat_gateway_per_gb; ${INFRA_RULES_US_EAST_1}`),
    "vpce.interface.azHour": entry(0.01, "endpoint-AZ-hour", `${INFRA_RULES_US_EAST_1} ("VPC endpoint: $0.01/hour + $0.01/GB")`),
    "vpce.interface.gb": entry(0.01, "GB processed", `${INFRA_RULES_US_EAST_1} ("VPC endpoint: $0.01/hour + $0.01/GB")`),
    "alb.hour": entry(0.0225, "ALB-hour", `${HEALTH_CHECK_2026}, us-east-1 alb_hourly; ${INFRA_RULES_US_EAST_1}`),
    "alb.lcuHour": entry(0.008, "LCU-hour", `${HEALTH_CHECK_2026}, us-east-1 alb_lcu; ${INFRA_RULES_US_EAST_1}`),
    "rds.gp3.gbMonth": entry(0.115, "GB-month", `${INFRA_RULES_US_EAST_1} (RDS "Storage: $0.115/GB-month (gp3)")`),
    "rds.gp2.gbMonth": entry(0.115, "GB-month", `${HEALTH_CHECK_2026}, us-east-1 rds_storage_gp2`),
    "elasticache:cache.t3.micro": entry(
        0.017,
        "node-hour",
        "dragonflydb.io/finops/elasticache/cache.t3.micro (US East (N. Virginia) on-demand $0.017)",
    ),
    "fargate.vcpuHour": entry(
        0.04048,
        "vCPU-hour",
        `${RIGHTSIZING_US_EAST_1} (ECS Fargate us-east-1, Linux/x86); vantage.sh/blog/fargate-pricing (us-east-1)`,
    ),
    "fargate.gbHour": entry(
        0.004445,
        "GB-hour",
        `${RIGHTSIZING_US_EAST_1} (ECS Fargate us-east-1, Linux/x86); vantage.sh/blog/fargate-pricing (us-east-1)`,
    ),
    "logs.ingestGb": entry(0.5, "GB ingested", CLOUDWATCH_US_EAST_1),
    "logs.storageGbMonth": entry(
        0.03,
        "GB-month archived",
        `${CLOUDWATCH_US_EAST_1}; github.com/kpanuragh/kpanuragh.github.io 2026-02-03 post ("Log storage: $0.03/GB/month")`,
    ),
    "s3.standard.gbMonth": entry(0.023, "GB-month", `${HEALTH_CHECK_2026}, us-east-1 s3_standard_gb; ${INFRA_RULES_US_EAST_1}`),
    "glue.dpuHour": entry(
        0.44,
        "DPU-hour",
        'aws.amazon.com/glue/pricing ("$0.44 per DPU-Hour", the US East rate its examples use); awsnegotiations.com Glue cost guide (May 2026)',
    ),
    "glue.flex.dpuHour": entry(
        0.29,
        "DPU-hour",
        `${GLUE_FLEX_SOURCE}; the US East rate, us-east-1 included`,
        "Flex runs on spare capacity: start and run times vary; billed per second for the workers it gets",
    ),
    "glue.crawlerDpuHour": entry(
        0.44,
        "DPU-hour",
        "aws.amazon.com/glue/pricing (crawlers $0.44 per DPU-Hour, 10-minute minimum, US East); awsnegotiations.com Glue cost guide (May 2026)",
    ),
    "ecr.gbMonth": entry(0.1, "GB-month", `${HEALTH_CHECK_2026}, us-east-1 ecr_storage_gb`),
    ...flat("us-east-1"),
};

const US_WEST_2: Readonly<Record<string, PriceEntry>> = {
    ...instances(
        `${BURN_2026}, us-west-2`,
        {
            "t3.micro": 0.0104,
            "t3.small": 0.0208,
            "t3.medium": 0.0416,
            "t3.large": 0.0832,
            "t3a.micro": 0.0094,
            "t3a.small": 0.0188,
            "t3a.medium": 0.0376,
            "t3a.large": 0.0752,
            "m5.large": 0.096,
            "m5.xlarge": 0.192,
            "m5.2xlarge": 0.384,
            "m6i.large": 0.096,
            "m6i.xlarge": 0.192,
        },
        't3.micro, m5.large and m5.xlarge also so in a public "Comprehensive AWS Pricing Data (January 2026)" table for US West (Oregon)',
    ),
    // The factors table lists the same Graviton prices for us-west-2 as for US East.
    ...graviton("us-west-2", GRAVITON_US_EAST),
    "ebs.gp3.gbMonth": entry(
        0.08,
        "GB-month",
        `${HEALTH_CHECK_2026}, us-west-2 EBS gp3`,
        "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    ),
    "ebs.gp2.gbMonth": entry(0.1, "GB-month", `${HEALTH_CHECK_2026}, us-west-2 EBS gp2`),
    "nat.hour": entry(
        0.045,
        "NAT gateway-hour",
        'cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 ("US West (Oregon, N. California) ~$0.045" hourly)',
        "the guide gives the rate as approximate (~)",
    ),
    "nat.gb": entry(
        0.045,
        "GB processed",
        'cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 ("US West (Oregon, N. California) ~$0.045" per GB processed)',
        "the guide gives the rate as approximate (~)",
    ),
    "fargate.vcpuHour": entry(0.04048, "vCPU-hour", `${ARCH_VISUALIZER_2024} containers/ecs_fargate.go, us-west-2 (Linux/x86)`),
    "fargate.gbHour": entry(0.004445, "GB-hour", `${ARCH_VISUALIZER_2024} containers/ecs_fargate.go, us-west-2 (Linux/x86)`),
    "s3.standard.gbMonth": entry(0.023, "GB-month", `${ARCH_VISUALIZER_2024} storage/s3_bucket.go (Standard $0.023, us-west-2 multiplier 1.0)`),
    "ecr.gbMonth": entry(
        0.1,
        "GB-month",
        'aws.amazon.com/ecr/pricing ("$0.10 per GB-month" private repository storage, no regional table), applied to us-west-2',
    ),
    ...flat("us-west-2"),
};

const EU_WEST_1: Readonly<Record<string, PriceEntry>> = {
    ...instances(
        `${HEALTH_CHECK_2026}, eu-west-1`,
        {
            "t3.micro": 0.0114,
            "t3.small": 0.0228,
            "t3.medium": 0.0456,
            "t3.large": 0.0912,
            "t3.xlarge": 0.1824,
            "t3.2xlarge": 0.3648,
            "m5.large": 0.107,
            "m5.xlarge": 0.214,
            "m5.2xlarge": 0.428,
        },
        `t3.micro–large and m5 the same in ${BURN_2026}, eu-west-1`,
    ),
    ...instances(`${BURN_2026}, eu-west-1`, { "m6i.large": 0.107, "m6i.xlarge": 0.214 }),
    ...graviton("eu-west-1", {
        "t4g.micro": 0.0094,
        "t4g.small": 0.0188,
        "t4g.medium": 0.0376,
        "t4g.large": 0.0752,
        "t4g.xlarge": 0.1504,
        "m6g.large": 0.086,
        "m6g.xlarge": 0.172,
        "m6g.2xlarge": 0.344,
        "m7g.large": 0.0912,
        "m7g.xlarge": 0.1824,
        "m7g.2xlarge": 0.3648,
        "c6g.large": 0.076,
        "c6g.xlarge": 0.152,
        "c6g.2xlarge": 0.304,
        "c7g.large": 0.0812,
        "c7g.xlarge": 0.1624,
        "r6g.large": 0.1127,
        "r6g.xlarge": 0.2254,
    }),
    "ebs.gp3.gbMonth": entry(
        0.088,
        "GB-month",
        `${HEALTH_CHECK_2026}, eu-west-1 EBS gp3`,
        "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    ),
    "ebs.gp2.gbMonth": entry(0.11, "GB-month", `${HEALTH_CHECK_2026}, eu-west-1 EBS gp2`),
    "nat.hour": entry(
        0.048,
        "NAT gateway-hour",
        `${HEALTH_CHECK_2026}, eu-west-1 nat_gateway_hourly; cloudpipelines.pages.dev NAT guide 2026 (Europe $0.048–0.052)`,
    ),
    "nat.gb": entry(
        0.048,
        "GB processed",
        `${HEALTH_CHECK_2026}, eu-west-1 nat_gateway_per_gb; cloudpipelines.pages.dev NAT guide 2026 (Europe $0.048–0.052)`,
    ),
    "s3.standard.gbMonth": entry(
        0.023,
        "GB-month",
        `${ARCH_VISUALIZER_2024} storage/s3_bucket.go (Standard $0.023, eu-west-1 multiplier 1.0)`,
        `${HEALTH_CHECK_2026} says 0.024 for eu-west-1; the lower figure is taken`,
    ),
    "ecr.gbMonth": entry(0.1, "GB-month", `${HEALTH_CHECK_2026}, eu-west-1 ecr_storage_gb`),
    ...flat("eu-west-1"),
};

const EU_CENTRAL_1: Readonly<Record<string, PriceEntry>> = {
    ...instances(
        FRANKFURT_COSTS_2026,
        {
            "t3.micro": 0.012,
            "t3.small": 0.024,
            "t3.medium": 0.048,
            "t3.large": 0.096,
            "t3.xlarge": 0.192,
            "m6i.large": 0.115,
            "m6i.xlarge": 0.23,
            "m6i.2xlarge": 0.46,
            "c6i.large": 0.097,
            "c6i.xlarge": 0.194,
            "c6i.2xlarge": 0.388,
            "r6i.large": 0.152,
            "r6i.xlarge": 0.304,
            "r6i.2xlarge": 0.608,
        },
        `${BURN_2026} lists lower eu-central-1 t3 prices (t3.medium 0.0464), equal to its own eu-west-1 row; this table's are taken`,
    ),
    ...instances(GFW_SIM_FRANKFURT, { "t3a.medium": 0.0432, "t3a.large": 0.0864, "t3a.xlarge": 0.1728 }),
    ...graviton("eu-central-1", {
        "t4g.micro": 0.01,
        "t4g.small": 0.02,
        "t4g.medium": 0.0416,
        "t4g.large": 0.0832,
        "t4g.xlarge": 0.1664,
        "m6g.large": 0.092,
        "m6g.xlarge": 0.184,
        "m6g.2xlarge": 0.368,
        "m7g.large": 0.0976,
        "m7g.xlarge": 0.1952,
        "m7g.2xlarge": 0.3904,
        "c6g.large": 0.082,
        "c6g.xlarge": 0.164,
        "c6g.2xlarge": 0.328,
        "c7g.large": 0.0875,
        "c7g.xlarge": 0.175,
        "r6g.large": 0.121,
        "r6g.xlarge": 0.242,
    }),
    "ebs.gp3.gbMonth": entry(
        0.0952,
        "GB-month",
        `${FRANKFURT_COSTS_2026} (EBS gp3)`,
        "3,000 IOPS and 125 MB/s included; extra IOPS/throughput not modelled",
    ),
    "ebs.gp2.gbMonth": entry(0.119, "GB-month", `${FRANKFURT_COSTS_2026} (EBS gp2)`),
    "nat.hour": entry(
        0.052,
        "NAT gateway-hour",
        `${FRANKFURT_COSTS_2026} (NAT_HOURLY); cloudpipelines.pages.dev NAT guide 2026 (Europe $0.048–0.052)`,
    ),
    "vpce.interface.azHour": entry(0.012, "endpoint-AZ-hour", `${FRANKFURT_COSTS_2026} (INTERFACE_ENDPOINT_HOURLY, per AZ)`),
    "alb.hour": entry(0.027, "ALB-hour", `${FRANKFURT_COSTS_2026} (LB_HOURLY application, before LCUs)`),
    "s3.standard.gbMonth": entry(0.0245, "GB-month", `${FRANKFURT_COSTS_2026} (S3_GB_MONTH)`),
    "ecr.gbMonth": entry(
        0.1,
        "GB-month",
        'aws.amazon.com/ecr/pricing ("$0.10 per GB-month" private repository storage, no regional table), applied to eu-central-1',
    ),
    ...flat("eu-central-1"),
};

/** Price tables by region. A stack in a region without one prints "cost: not priced for <region>"; a key a table lacks is reported, not guessed. */
export const PRICE_TABLES: Readonly<Record<string, Readonly<Record<string, PriceEntry>>>> = {
    "us-east-2": US_EAST_2,
    "us-east-1": US_EAST_1,
    "us-west-2": US_WEST_2,
    "eu-west-1": EU_WEST_1,
    "eu-central-1": EU_CENTRAL_1,
};

/** Regions with a price table, in the order they were added. */
export const PRICED_REGIONS: readonly string[] = Object.keys(PRICE_TABLES);

export function isPricedRegion(region: string): boolean {
    return Object.prototype.hasOwnProperty.call(PRICE_TABLES, region);
}

export class MissingPriceError extends Error {
    constructor(
        readonly region: string,
        readonly key: string,
    ) {
        super(
            PRICE_TABLES[region]
                ? `no price for ${key} in ${region}: add an entry (with source and date) to tools/cost/prices.ts`
                : `no price table for region ${region}; priced regions: ${Object.keys(PRICE_TABLES).join(", ")}`,
        );
        this.name = "MissingPriceError";
    }
}

/** The price entry for a key in a region; throws when the table lacks it. */
export function price(region: string, key: PriceKey): PriceEntry {
    const entry = PRICE_TABLES[region]?.[key];
    if (!entry) throw new MissingPriceError(region, key);
    return entry;
}
