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
    | "rds.backup.gbMonth"
    | "rds.databaseInsightsAdvanced.vcpuHour"
    | "elasticache.backup.gbMonth"
    | "waf.webAclMonth"
    | "waf.ruleMonth"
    | "waf.requestsMillion"
    | "cloudtrail.paidManagementEvents100k"
    | "cloudtrail.dataEvents100k"
    | "cloudtrail.insightsEvents100k"
    | "sns.requestsMillion"
    | "sns.emailNotifications100k"
    | "cloudwatch.alarmMonth"
    | "cloudwatch.highResolutionAlarmMonth"
    | "budgets.budgetDay"
    | "lambda.requestsMillion"
    | "lambda.x86GbSecond"
    | "lambda.armGbSecond"
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
    | `rds.${string}.gbMonth`
    | `elasticache:${string}`
    | `msk:${string}`
    | `waf.managed:${string}`;

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

// ---------------------------------------------------------------------------
// Data stores, edge, audit and serverless (issues 12 and 13), read 2026-12-01.
// US East prices (us-east-1 and us-east-2 share one list price for these
// services) come from public tables of aws.amazon.com's US East prices; a
// region none of them names gets no entry, and the plan reports the gap.
// ---------------------------------------------------------------------------

const NEW_TIERS_READ = "2026-12-01";
const priced = (usd: number, unit: string, source: string, note?: string): PriceEntry => ({
    usd,
    unit,
    source,
    checked: NEW_TIERS_READ,
    ...(note ? { note } : {}),
});
const US_EAST_NOTE = "US East list price (N. Virginia and Ohio share it)";
const perKey = (prefix: string, unit: string, source: string, prices: Readonly<Record<string, number>>, note?: string): Record<string, PriceEntry> =>
    Object.fromEntries(Object.entries(prices).map(([name, usd]) => [`${prefix}${name}`, priced(usd, unit, source, note)]));

/**
 * RDS for PostgreSQL, Single-AZ on-demand (Multi-AZ DB instance deployments are billed as two instances:
 * docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html "billed per DB instance-hour for
 * both the primary and standby instances"). Public tables disagree by a few percent on the Graviton classes
 * (db.m6g.large 0.154–0.159, db.r6g.large 0.216–0.225): the one that says it tabulates the PostgreSQL page is taken.
 */
const RDS_POSTGRES_SOURCE =
    'a public cost tool\'s DEFAULT_RDS_POSTGRES_PRICES ("RDS PostgreSQL on-demand prices per hour (US East N. Virginia)", from aws.amazon.com/rds/postgresql/pricing, Single-AZ), found by code search';
const RDS_POSTGRES_T4G_SOURCE =
    "infratally.com/articles/aws-rds-pricing-explained-2026.html (PostgreSQL, Single-AZ, us-east-1; Multi-AZ exactly double)";
const RDS_POSTGRES_US_EAST: Readonly<Record<string, number>> = {
    "db.t4g.large": 0.129,
    "db.m6g.large": 0.154,
    "db.m6g.xlarge": 0.308,
    "db.m7g.large": 0.168,
    "db.m7g.xlarge": 0.336,
    "db.m7g.2xlarge": 0.672,
    "db.r6g.large": 0.216,
    "db.r6g.xlarge": 0.432,
    "db.r7g.large": 0.2352,
    "db.r7g.xlarge": 0.4704,
    "db.r7g.2xlarge": 0.9408,
};
/** RDS for MySQL, Single-AZ on-demand. */
const RDS_MYSQL_SOURCE =
    "a public RDS reserved-instance estimator's on-demand table (us-east-1 static prices, Single-AZ; its db.m5/db.r5 rows are the MySQL list prices 0.171/0.240), found by code search";
const RDS_MYSQL_T4G_SOURCE =
    'a public deploy-cost estimator\'s RDS_HOURLY table ("single-AZ; PostgreSQL and MySQL are priced alike at these sizes", us-east-1), found by code search';
const RDS_MYSQL_US_EAST: Readonly<Record<string, number>> = {
    "db.t4g.medium": 0.065,
    "db.t4g.large": 0.129,
    "db.m6g.large": 0.154,
    "db.m6g.xlarge": 0.308,
    "db.m7g.large": 0.162,
    "db.m7g.xlarge": 0.324,
    "db.m7g.2xlarge": 0.648,
    "db.r6g.large": 0.218,
    "db.r6g.xlarge": 0.435,
    "db.r7g.large": 0.228,
    "db.r7g.xlarge": 0.456,
    "db.r7g.2xlarge": 0.912,
};

/** ElastiCache node-hours, us-east-1, from the AWS Price List API (AmazonElastiCache, "Cache Instance", NodeUsage:<type>). */
const ELASTICACHE_PRICE_LIST = (engine: string) =>
    `a public cost tool's table of the AWS Price List API (AmazonElastiCache, productFamily "Cache Instance", cacheEngine ${engine}, us-east-1, read 2026-10-02), found by code search`;
const ELASTICACHE_REDIS_US_EAST: Readonly<Record<string, number>> = {
    "cache.t3.small": 0.034,
    "cache.t3.medium": 0.068,
    "cache.t4g.micro": 0.016,
    "cache.t4g.small": 0.032,
    "cache.t4g.medium": 0.065,
    "cache.m6g.large": 0.149,
    "cache.m6g.xlarge": 0.297,
    "cache.m7g.large": 0.158,
    "cache.m7g.xlarge": 0.315,
    "cache.m7g.2xlarge": 0.629,
    "cache.r6g.large": 0.206,
    "cache.r6g.xlarge": 0.411,
    "cache.r7g.large": 0.219,
    "cache.r7g.xlarge": 0.437,
    "cache.r7g.2xlarge": 0.873,
};
/** Valkey node-based clusters: 20% below Redis OSS (every type 0.8× its Redis OSS row in the same Price List extract). */
const ELASTICACHE_VALKEY_US_EAST: Readonly<Record<string, number>> = {
    "cache.t3.micro": 0.0136,
    "cache.t3.small": 0.0272,
    "cache.t3.medium": 0.0544,
    "cache.t4g.micro": 0.0128,
    "cache.t4g.small": 0.0256,
    "cache.t4g.medium": 0.052,
    "cache.m6g.large": 0.1192,
    "cache.m6g.xlarge": 0.2376,
    "cache.m7g.large": 0.1264,
    "cache.m7g.xlarge": 0.252,
    "cache.m7g.2xlarge": 0.5032,
    "cache.r6g.large": 0.1648,
    "cache.r6g.xlarge": 0.3288,
    "cache.r7g.large": 0.1752,
    "cache.r7g.xlarge": 0.3496,
    "cache.r7g.2xlarge": 0.6984,
};

/** A public pricing-data document "Amazon CloudWatch and AWS CloudTrail Pricing Data (US East - N. Virginia)", from the AWS Pricing API. */
const CLOUDWATCH_PRICE_LIST =
    'public "Amazon CloudWatch and AWS CloudTrail Pricing Data (US East - N. Virginia)" (AWS Pricing API, us-east-1, retrieved 2025-10-28), found by code search';

const MSK_M7G_SOURCE =
    "a public MSK monitoring tool's INSTANCE_COSTS (us-east-1 broker-hours: kafka.m5.large 0.21 … 24xlarge 10.08, kafka.m7g.large 0.204 … 2xlarge 0.816; it lists no larger m7g), found by code search; aws.amazon.com/msk/pricing";
const MSK_M7G_US_EAST: Readonly<Record<string, number>> = {
    "kafka.m5.xlarge": 0.42,
    "kafka.m5.2xlarge": 0.84,
    "kafka.m5.4xlarge": 1.68,
    "kafka.m5.8xlarge": 3.36,
    "kafka.m5.12xlarge": 5.04,
    "kafka.m5.16xlarge": 6.72,
    "kafka.m5.24xlarge": 10.08,
    "kafka.m7g.large": 0.204,
    "kafka.m7g.xlarge": 0.408,
    "kafka.m7g.2xlarge": 0.816,
};

/** Prices AWS states once for every Region (the pricing page has no regional table). */
function globalPrices(region: string): Record<string, PriceEntry> {
    const waf = `aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf ("The pricing for AWS WAF is consistent across all AWS Regions": one rate in every Region, ${region} included)`;
    return {
        "waf.webAclMonth": priced(5, "ACL-month", `${waf}; c3x.dev/blog/aws-waf-cost-explained ($5/month per web ACL)`, "prorated hourly"),
        "waf.ruleMonth": priced(
            1,
            "rule-month",
            `${waf}; c3x.dev/blog/aws-waf-cost-explained ("$1/month per rule or managed rule group attached to the ACL. A managed group counts as one rule")`,
            "AWS baseline managed rule groups (common, known bad inputs, SQL injection) carry no subscription fee; Bot Control, Fraud Control and Marketplace groups do (not priced: reported)",
        ),
        "waf.requestsMillion": priced(
            0.6,
            "million requests",
            `${waf}; c3x.dev/blog/aws-waf-cost-explained ($0.60 per million requests inspected)`,
            "web ACLs above 1,500 WCUs pay more per request: not modelled",
        ),
        "cloudtrail.paidManagementEvents100k": priced(
            2,
            "100,000 management events",
            `aws.amazon.com/cloudtrail/pricing ("Additional copies of management events are charged at $2.00 per 100,000 events"; trails are priced once, no regional table), applied to ${region}`,
            "the first copy of management events in each Region is free",
        ),
        "cloudtrail.dataEvents100k": priced(
            0.1,
            "100,000 data events",
            `aws.amazon.com/cloudtrail/pricing ("Data events … are charged at $0.10 per 100,000 events", no regional table), applied to ${region}`,
        ),
        "budgets.budgetDay": priced(
            0.02,
            "budget-day",
            `docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/budgets-managing-costs.html ("Your first two active budgets are free of charge. Each additional active budget costs $0.02 per day"; AWS Budgets is a global service, no regional table), applied to ${region}`,
            "a 2026 guide says monitoring-only budgets are free; the documented daily charge is taken",
        ),
    };
}

/** The data-store, edge, audit and serverless prices of US East (both regions: one list price). */
function usEastNewTiers(region: "us-east-1" | "us-east-2"): Record<string, PriceEntry> {
    const name = region === "us-east-1" ? "US East (N. Virginia)" : "US East (Ohio)";
    const usEast = (source: string) => `${source}; the US East list price, applied to ${region} (${name})`;
    return {
        ...perKey(
            "rds:postgres:",
            "instance-hour",
            usEast(RDS_POSTGRES_T4G_SOURCE),
            { "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065 },
            US_EAST_NOTE,
        ),
        ...perKey("rds:postgres:", "instance-hour", usEast(RDS_POSTGRES_SOURCE), RDS_POSTGRES_US_EAST, US_EAST_NOTE),
        ...perKey("rds:mysql:", "instance-hour", usEast(RDS_MYSQL_T4G_SOURCE), { "db.t4g.micro": 0.016, "db.t4g.small": 0.032 }, US_EAST_NOTE),
        ...perKey("rds:mysql:", "instance-hour", usEast(RDS_MYSQL_SOURCE), RDS_MYSQL_US_EAST, US_EAST_NOTE),
        "rds.backup.gbMonth": priced(
            0.095,
            "GB-month",
            usEast(
                'usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator ("GB of backup storage above the provisioned DB size x ~$0.095/GB-month"; "Free up to 100% of provisioned DB storage size", US East, June 2026)',
            ),
            "only backup storage beyond 100% of the Region's provisioned storage is billed",
        ),
        ...perKey("elasticache:redis:", "node-hour", usEast(ELASTICACHE_PRICE_LIST("Redis")), ELASTICACHE_REDIS_US_EAST, US_EAST_NOTE),
        ...perKey("elasticache:valkey:", "node-hour", usEast(ELASTICACHE_PRICE_LIST("Valkey")), ELASTICACHE_VALKEY_US_EAST, US_EAST_NOTE),
        ...perKey("msk:", "broker-hour", usEast(MSK_M7G_SOURCE), MSK_M7G_US_EAST, US_EAST_NOTE),
        "sns.requestsMillion": priced(
            0.5,
            "million requests",
            usEast("factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols (June 2026: standard topic publish $0.50 per million)"),
            "first 1 million requests a month free per account",
        ),
        "sns.emailNotifications100k": priced(
            2,
            "100,000 email notifications",
            usEast("factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols (June 2026: email $2 per 100,000)"),
            "first 1,000 email notifications a month free per account",
        ),
        "rds.databaseInsightsAdvanced.vcpuHour": priced(
            0.0125,
            "vCPU-hour",
            usEast(`${CLOUDWATCH_PRICE_LIST} ("RDS Database Insights — Provisioned Instances: $0.0125 per vCPU-hour monitored")`),
            "Database Insights Advanced mode; Performance Insights history beyond 7 days needs it since the Performance Insights paid tier ended",
        ),
        "cloudtrail.insightsEvents100k": priced(
            0.35,
            "100,000 events analyzed",
            usEast(`${CLOUDWATCH_PRICE_LIST} ("CloudTrail Insights: $0.0035 per 1,000 events analyzed", the same rate per 100,000)`),
        ),
        "cloudwatch.alarmMonth": priced(
            0.1,
            "alarm-metric-month",
            usEast(`${CLOUDWATCH_PRICE_LIST} ("Standard Resolution: $0.10 per alarm-month"); c3x.dev/resources/aws/aws_cloudwatch_metric_alarm`),
            "first 10 standard alarm metrics a month free per account (usage freeTier.alarms)",
        ),
        "cloudwatch.highResolutionAlarmMonth": priced(
            0.3,
            "alarm-metric-month",
            usEast(`${CLOUDWATCH_PRICE_LIST} ("High Resolution: $0.30 per alarm-month"); c3x.dev/resources/aws/aws_cloudwatch_metric_alarm`),
        ),
        "lambda.requestsMillion": priced(
            0.2,
            "million requests",
            usEast(
                'aws.amazon.com/lambda/pricing ("The monthly request price is $0.20 per 1 million requests and the free tier provides 1M requests per month", US East examples)',
            ),
        ),
        "lambda.x86GbSecond": priced(
            0.0000166667,
            "GB-second",
            usEast(
                "aws.amazon.com/lambda/pricing (x86, first 6 billion GB-seconds a month, US East (Ohio) tier table); cloudchipr.com/blog/aws-lambda-pricing (US East (N. Virginia) $0.0000166667)",
            ),
            "400,000 GB-seconds a month free per account",
        ),
        "lambda.armGbSecond": priced(
            0.0000133334,
            "GB-second",
            usEast("cloudchipr.com/blog/aws-lambda-pricing (Arm, first 7.5 billion GB-seconds: $0.0000133334, US East (N. Virginia))"),
            "400,000 GB-seconds a month free per account",
        ),
    };
}

/** MSK rows us-east-2 already carries, for us-east-1 (one US East list price). */
function usEast1Msk(): Record<string, PriceEntry> {
    const same = "the US East list price, applied to us-east-1 (N. Virginia)";
    return {
        "msk:kafka.t3.small": priced(
            0.0456,
            "broker-hour",
            `aws.amazon.com/msk/pricing (kafka.t3.small), as tabulated in public MSK cost calculators; ${same}`,
            "third-party tables disagree (0.0456–0.054): verify before relying on MSK numbers",
        ),
        "msk:kafka.m5.large": priced(
            0.21,
            "broker-hour",
            `aws.amazon.com/msk/pricing (kafka.m5.large), as tabulated in public MSK cost calculators; ${same}`,
        ),
        "msk.storage.gbMonth": priced(
            0.1,
            "GB-month",
            `aws.amazon.com/msk/pricing (broker storage $0.10/GB-month), as tabulated in public MSK cost calculators; ${same}`,
        ),
    };
}

/**
 * Lambda duration outside US East: a public serverless framework's table of aws.amazon.com/lambda/pricing lists one base rate
 * (x86 1666670, Arm 1333340 × 10^-11 USD per GB-second) and separate rates only for af-south-1, ap-east-1, eu-south-1,
 * me-south-1 and me-central-1, found by code search.
 */
function lambdaDuration(region: string): Record<string, PriceEntry> {
    const source = `a public serverless framework's Lambda compute price table (from aws.amazon.com/lambda/pricing): one base rate in every Region but af-south-1, ap-east-1, eu-south-1, me-south-1 and me-central-1, ${region} included`;
    const note = "400,000 GB-seconds a month free per account";
    return {
        "lambda.x86GbSecond": priced(0.0000166667, "GB-second", source, note),
        "lambda.armGbSecond": priced(0.0000133334, "GB-second", source, note),
    };
}

/** github.com/theuves/fgcalc src/utils/data.js: Fargate on-demand vCPU-hour and GB-hour per region (Linux/x86). */
const FGCALC = (region: string, name: string) =>
    `github.com/theuves/fgcalc src/utils/data.js ("${region}", "${name}", on-demand Linux/x86), found by code search`;
function fargate(region: string, name: string, vcpu: number, gb: number): Record<string, PriceEntry> {
    return {
        "fargate.vcpuHour": priced(vcpu, "vCPU-hour", FGCALC(region, name)),
        "fargate.gbHour": priced(gb, "GB-hour", FGCALC(region, name)),
    };
}

/**
 * ALB hours outside US East: a public deploy tool's table of aws.amazon.com/elasticloadbalancing/pricing ("Last updated on
 * 18 Dec 2017"), found by code search; its Frankfurt row (0.027) is the 2026 Frankfurt price too (the ALB-hour rates have
 * not changed since).
 */
const albHour = (region: string, usd: number): PriceEntry =>
    priced(
        usd,
        "ALB-hour",
        `a public deploy tool's USD_MIN_PRICE_PER_HOUR["${region}"] from aws.amazon.com/elasticloadbalancing/pricing (updated 2017-12-18), found by code search`,
        "an old table: its eu-central-1 row equals the 2026 Frankfurt price; re-check",
    );

/** EC2 rows node groups need that the other regions' tables lack, from the cost/carbon CLI's factors.json. */
const US_WEST_2_MORE_EC2: Readonly<Record<string, number>> = { "t3.xlarge": 0.1664 };

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
    "elasticache:redis:cache.t3.micro": {
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

    // --- Data stores, edge, audit, serverless ---
    ...usEastNewTiers("us-east-2"),
    ...globalPrices("us-east-2"),
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

// --- Data stores, streaming, serverless and more EC2 outside US East (read 2026-12-01) ---

/**
 * The AWS Pricing Calculator's metered-unit maps (calculator.aws/pricing/2.0/meteredUnitMaps/<service>/USD/current/…), as
 * committed in github.com/yeo/ec2.shop data/: one block of rows per region, each row named by the calculator's own
 * description. Found by code search.
 */
const METERED_MAP = (file: string, map: string, published: string, name: string, row: string) =>
    `github.com/yeo/ec2.shop ${file} (AWS Pricing Calculator metered-unit map "${map}", hawkFilePublicationDate ${published}), region "${name}", ${row}`;
const RDS_POSTGRES_MAP = (name: string, row: string) =>
    METERED_MAP("data/rds/postgresql-ondemand.json", "rds-postgresql-ondemand", "2024-07-09", name, row);
const RDS_POSTGRES_ROWS = 'rows "Database Instance PostgreSQL No license required db <class> … Single-AZ Current Generation"';
/** The MySQL reserved-instance map repeats each class's on-demand rate ("OnDemand:PricePerUnit", "OnDemand:Location"). */
const RDS_MYSQL_MAP = (region: string, name: string) =>
    METERED_MAP(
        `data/rds/${region}-rds-mysql-reservedinstance-single-az-1y.json`,
        "rds-mysql-reservedinstance",
        "2024-09-28",
        name,
        'the "OnDemand:PricePerUnit" of rows "MySQL No license required db <class> … Single-AZ"',
    );
const ELASTICACHE_MAP = (name: string, engine: string) =>
    METERED_MAP(
        "data/elasticache/elasticache.json",
        "elasticache",
        "2025-03-14",
        name,
        `rows "OnDemand Cache Instance <family> cache <type> ${engine} Current Generation"`,
    );
const MSK_MAP = (name: string, row: string) => METERED_MAP("data/msk/msk.json", "msk", "2024-04-15", name, row);
/** Remotion's copy of calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json: per-region "Lambda Requests" rates. */
const LAMBDA_REQUESTS = (name: string) =>
    `a public serverless video tool's copy of calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json ("Lambda Requests" 0.0000002 USD per request in "${name}"), found by code search`;
/** github.com/tanrikuluozlem/burn internal/pricing/data/aws.yaml: "AWS EC2 Instance Pricing (Linux, On-Demand)", generated 2026-05-11. */
const BURN_AWS_YAML = (region: string) =>
    `github.com/tanrikuluozlem/burn internal/pricing/data/aws.yaml ("AWS EC2 Instance Pricing (Linux, On-Demand)", from aws.amazon.com/ec2/pricing/on-demand, generated 2026-05-11), ${region}`;
/** A public cost tool's PRICE_BOOK, "Checked against AWS's public price list (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/…) on 2026-10-08". */
const PRICE_BOOK_2026 = (region: string) =>
    `a public cost tool's PRICE_BOOK["${region}"] ("AWS unit prices per region … Checked against AWS's public price list" on 2026-10-08), found by code search`;

/** The DB classes components/database allows, one row per region and engine. */
type RdsClass =
    `db.${"t4g.micro" | "t4g.small" | "t4g.medium" | "t4g.large" | "m6g.large" | "m6g.xlarge" | "m7g.large" | "m7g.xlarge" | "m7g.2xlarge" | "r6g.large" | "r6g.xlarge" | "r7g.large" | "r7g.xlarge" | "r7g.2xlarge"}`;
type RdsRow = Readonly<Record<RdsClass, number>>;
/** The node types components/cache allows, one row per region and engine. */
type CacheType =
    | `cache.${"t3" | "t4g"}.${"micro" | "small" | "medium"}`
    | `cache.${"m6g" | "r6g"}.${"large" | "xlarge"}`
    | `cache.${"m7g" | "r7g"}.${"large" | "xlarge" | "2xlarge"}`;
type CacheRow = Readonly<Record<CacheType, number>>;

interface RegionalTiers {
    readonly region: string;
    /** The region's name in AWS's price lists. */
    readonly name: string;
    readonly postgres: RdsRow;
    readonly mysql: RdsRow;
    readonly gp3: number;
    readonly snapshot: number;
    readonly redis: CacheRow;
    readonly valkey: CacheRow;
    readonly msk: Readonly<Record<string, number>>;
    readonly mskStorage: number;
    /** What the region's rows share with the US East tables, where they were compared (stated, never assumed). */
    readonly notes?: { readonly elasticache?: string; readonly msk?: string };
}

/** RDS, ElastiCache, MSK and Lambda request prices read from the metered-unit maps' rows for one region. */
function regionalTiers(t: RegionalTiers): Record<string, PriceEntry> {
    return {
        ...perKey(
            "rds:postgres:",
            "instance-hour",
            RDS_POSTGRES_MAP(t.name, RDS_POSTGRES_ROWS),
            t.postgres,
            "Single-AZ; Multi-AZ bills two instances",
        ),
        ...perKey("rds:mysql:", "instance-hour", RDS_MYSQL_MAP(t.region, t.name), t.mysql, "Single-AZ; Multi-AZ bills two instances"),
        "rds.gp3.gbMonth": priced(
            t.gp3,
            "GB-month",
            RDS_POSTGRES_MAP(t.name, 'row "Database Storage Single AZ General Purpose-GP3"'),
            "Single-AZ rate (Multi-AZ storage is billed twice); 3,000 IOPS and 125 MB/s included",
        ),
        "rds.backup.gbMonth": priced(
            t.snapshot,
            "GB-month",
            RDS_POSTGRES_MAP(t.name, 'row "Storage Snapshot"'),
            "only backup storage beyond 100% of the Region's provisioned storage is billed",
        ),
        ...perKey("elasticache:redis:", "node-hour", ELASTICACHE_MAP(t.name, "Redis"), t.redis, t.notes?.elasticache),
        ...perKey("elasticache:valkey:", "node-hour", ELASTICACHE_MAP(t.name, "Valkey"), t.valkey, t.notes?.elasticache),
        ...perKey("msk:", "broker-hour", MSK_MAP(t.name, 'rows "RunBroker" per broker type'), t.msk, t.notes?.msk),
        "msk.storage.gbMonth": priced(t.mskStorage, "GB-month", MSK_MAP(t.name, 'row "RunVolume" (broker storage)')),
        "lambda.requestsMillion": priced(0.2, "million requests", LAMBDA_REQUESTS(t.name), "1 million requests a month free per account"),
    };
}

/** The map's kafka.<type> broker-hour rows, in one order for every region. */
const mskRow = (m5: readonly number[], m7g: readonly number[], t3Small: number): Record<string, number> => ({
    "kafka.t3.small": t3Small,
    ...Object.fromEntries(
        ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((s, i) => [`kafka.m5.${s}`, m5[i]]),
    ),
    ...Object.fromEntries(["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s, i) => [`kafka.m7g.${s}`, m7g[i]])),
});

const US_WEST_2_TIERS = regionalTiers({
    region: "us-west-2",
    name: "US West (Oregon)",
    postgres: {
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
        "db.t4g.medium": 0.065,
        "db.t4g.large": 0.129,
        "db.m6g.large": 0.159,
        "db.m6g.xlarge": 0.318,
        "db.m7g.large": 0.168,
        "db.m7g.xlarge": 0.337,
        "db.m7g.2xlarge": 0.674,
        "db.r6g.large": 0.225,
        "db.r6g.xlarge": 0.45,
        "db.r7g.large": 0.239,
        "db.r7g.xlarge": 0.478,
        "db.r7g.2xlarge": 0.956,
    },
    mysql: {
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
        "db.t4g.medium": 0.065,
        "db.t4g.large": 0.129,
        "db.m6g.large": 0.152,
        "db.m6g.xlarge": 0.304,
        "db.m7g.large": 0.168,
        "db.m7g.xlarge": 0.337,
        "db.m7g.2xlarge": 0.674,
        "db.r6g.large": 0.215,
        "db.r6g.xlarge": 0.43,
        "db.r7g.large": 0.239,
        "db.r7g.xlarge": 0.478,
        "db.r7g.2xlarge": 0.956,
    },
    gp3: 0.115,
    snapshot: 0.095,
    redis: {
        "cache.t3.micro": 0.017,
        "cache.t3.small": 0.034,
        "cache.t3.medium": 0.068,
        "cache.t4g.micro": 0.016,
        "cache.t4g.small": 0.032,
        "cache.t4g.medium": 0.065,
        "cache.m6g.large": 0.149,
        "cache.m6g.xlarge": 0.297,
        "cache.m7g.large": 0.158,
        "cache.m7g.xlarge": 0.315,
        "cache.m7g.2xlarge": 0.629,
        "cache.r6g.large": 0.206,
        "cache.r6g.xlarge": 0.411,
        "cache.r7g.large": 0.219,
        "cache.r7g.xlarge": 0.437,
        "cache.r7g.2xlarge": 0.873,
    },
    valkey: {
        "cache.t3.micro": 0.0136,
        "cache.t3.small": 0.0272,
        "cache.t3.medium": 0.0544,
        "cache.t4g.micro": 0.0128,
        "cache.t4g.small": 0.0256,
        "cache.t4g.medium": 0.052,
        "cache.m6g.large": 0.1192,
        "cache.m6g.xlarge": 0.2376,
        "cache.m7g.large": 0.1264,
        "cache.m7g.xlarge": 0.252,
        "cache.m7g.2xlarge": 0.5032,
        "cache.r6g.large": 0.1648,
        "cache.r6g.xlarge": 0.3288,
        "cache.r7g.large": 0.1752,
        "cache.r7g.xlarge": 0.3496,
        "cache.r7g.2xlarge": 0.6984,
    },
    msk: mskRow([0.21, 0.42, 0.84, 1.68, 3.36, 5.04, 6.73, 10.08], [0.204, 0.408, 0.816, 1.632, 3.264, 4.896, 6.528], 0.0456),
    mskStorage: 0.1,
    notes: {
        elasticache: "every row the same as the US East table's",
        msk: "the same as the US East rows but kafka.m5.16xlarge (6.73 here, 6.72 in the US East table's source)",
    },
});

const EU_WEST_1_TIERS = regionalTiers({
    region: "eu-west-1",
    name: "EU (Ireland)",
    postgres: {
        "db.t4g.micro": 0.017,
        "db.t4g.small": 0.035,
        "db.t4g.medium": 0.069,
        "db.t4g.large": 0.138,
        "db.m6g.large": 0.176,
        "db.m6g.xlarge": 0.352,
        "db.m7g.large": 0.186,
        "db.m7g.xlarge": 0.372,
        "db.m7g.2xlarge": 0.745,
        "db.r6g.large": 0.252,
        "db.r6g.xlarge": 0.504,
        "db.r7g.large": 0.268,
        "db.r7g.xlarge": 0.536,
        "db.r7g.2xlarge": 1.071,
    },
    mysql: {
        "db.t4g.micro": 0.017,
        "db.t4g.small": 0.035,
        "db.t4g.medium": 0.069,
        "db.t4g.large": 0.138,
        "db.m6g.large": 0.168,
        "db.m6g.xlarge": 0.336,
        "db.m7g.large": 0.186,
        "db.m7g.xlarge": 0.372,
        "db.m7g.2xlarge": 0.745,
        "db.r6g.large": 0.237,
        "db.r6g.xlarge": 0.474,
        "db.r7g.large": 0.268,
        "db.r7g.xlarge": 0.536,
        "db.r7g.2xlarge": 1.071,
    },
    gp3: 0.127,
    snapshot: 0.095,
    redis: {
        "cache.t3.micro": 0.018,
        "cache.t3.small": 0.036,
        "cache.t3.medium": 0.072,
        "cache.t4g.micro": 0.017,
        "cache.t4g.small": 0.034,
        "cache.t4g.medium": 0.068,
        "cache.m6g.large": 0.164,
        "cache.m6g.xlarge": 0.327,
        "cache.m7g.large": 0.174,
        "cache.m7g.xlarge": 0.347,
        "cache.m7g.2xlarge": 0.693,
        "cache.r6g.large": 0.229,
        "cache.r6g.xlarge": 0.458,
        "cache.r7g.large": 0.243,
        "cache.r7g.xlarge": 0.487,
        "cache.r7g.2xlarge": 0.974,
    },
    valkey: {
        "cache.t3.micro": 0.0144,
        "cache.t3.small": 0.0288,
        "cache.t3.medium": 0.0576,
        "cache.t4g.micro": 0.0136,
        "cache.t4g.small": 0.0272,
        "cache.t4g.medium": 0.0544,
        "cache.m6g.large": 0.1312,
        "cache.m6g.xlarge": 0.2616,
        "cache.m7g.large": 0.1392,
        "cache.m7g.xlarge": 0.2776,
        "cache.m7g.2xlarge": 0.5544,
        "cache.r6g.large": 0.1832,
        "cache.r6g.xlarge": 0.3664,
        "cache.r7g.large": 0.1944,
        "cache.r7g.xlarge": 0.3896,
        "cache.r7g.2xlarge": 0.7792,
    },
    msk: mskRow([0.234, 0.468, 0.936, 1.872, 3.749, 5.616, 7.499, 11.232], [0.2275, 0.4548, 0.9095, 1.819, 3.638, 5.457, 7.276], 0.0499),
    mskStorage: 0.11,
});

const EU_CENTRAL_1_TIERS = regionalTiers({
    region: "eu-central-1",
    name: "EU (Frankfurt)",
    postgres: {
        "db.t4g.micro": 0.019,
        "db.t4g.small": 0.037,
        "db.t4g.medium": 0.074,
        "db.t4g.large": 0.149,
        "db.m6g.large": 0.189,
        "db.m6g.xlarge": 0.379,
        "db.m7g.large": 0.2,
        "db.m7g.xlarge": 0.401,
        "db.m7g.2xlarge": 0.801,
        "db.r6g.large": 0.274,
        "db.r6g.xlarge": 0.549,
        "db.r7g.large": 0.291,
        "db.r7g.xlarge": 0.582,
        "db.r7g.2xlarge": 1.165,
    },
    mysql: {
        "db.t4g.micro": 0.019,
        "db.t4g.small": 0.037,
        "db.t4g.medium": 0.074,
        "db.t4g.large": 0.149,
        "db.m6g.large": 0.18,
        "db.m6g.xlarge": 0.361,
        "db.m7g.large": 0.2,
        "db.m7g.xlarge": 0.401,
        "db.m7g.2xlarge": 0.801,
        "db.r6g.large": 0.26,
        "db.r6g.xlarge": 0.519,
        "db.r7g.large": 0.291,
        "db.r7g.xlarge": 0.582,
        "db.r7g.2xlarge": 1.165,
    },
    gp3: 0.137,
    snapshot: 0.103,
    redis: {
        "cache.t3.micro": 0.019,
        "cache.t3.small": 0.038,
        "cache.t3.medium": 0.076,
        "cache.t4g.micro": 0.018,
        "cache.t4g.small": 0.036,
        "cache.t4g.medium": 0.072,
        "cache.m6g.large": 0.177,
        "cache.m6g.xlarge": 0.354,
        "cache.m7g.large": 0.188,
        "cache.m7g.xlarge": 0.375,
        "cache.m7g.2xlarge": 0.749,
        "cache.r6g.large": 0.247,
        "cache.r6g.xlarge": 0.494,
        "cache.r7g.large": 0.263,
        "cache.r7g.xlarge": 0.525,
        "cache.r7g.2xlarge": 1.05,
    },
    valkey: {
        "cache.t3.micro": 0.0152,
        "cache.t3.small": 0.0304,
        "cache.t3.medium": 0.0608,
        "cache.t4g.micro": 0.0144,
        "cache.t4g.small": 0.0288,
        "cache.t4g.medium": 0.0576,
        "cache.m6g.large": 0.1416,
        "cache.m6g.xlarge": 0.2832,
        "cache.m7g.large": 0.1504,
        "cache.m7g.xlarge": 0.3,
        "cache.m7g.2xlarge": 0.5992,
        "cache.r6g.large": 0.1976,
        "cache.r6g.xlarge": 0.3952,
        "cache.r7g.large": 0.2104,
        "cache.r7g.xlarge": 0.42,
        "cache.r7g.2xlarge": 0.84,
    },
    msk: mskRow([0.252, 0.503, 1.006, 2.013, 4.03, 6.038, 8.059, 12.075], [0.2445, 0.4888, 0.9775, 1.9553, 3.9105, 5.8655, 7.8208], 0.0526),
    mskStorage: 0.119,
});

// --- CloudWatch Logs, ALB capacity units and alarms outside US East (read 2026-12-01) ---

/** Two public cost models that quote AWS's own us-west-2 AmazonCloudWatch offer file row by row (same rate codes). */
const CLOUDWATCH_USW2 = (row: string) =>
    `AWS Price List AmazonCloudWatch us-west-2 offer, ${row}: as quoted by a public hosted-service cost model's RATE_TABLE ("aws_regional_catalog_primary", price list version 20260918142158) and by a public cost model's "Immutable rate evidence" table (offer 20260831092148/us-west-2), both found by code search`;
/** Public documents that price an Oregon ALB from AWS's us-west-2 AWSELB offer file. */
const ALB_LCU_USW2 =
    'public deployment READMEs costed "against the public us-west-2 AWS price lists" (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSELB/current/us-west-2/index.json, checked 2026-09-10 and 2026-09-28: "$0.0225/hour plus $0.008/LCU-hour"); the FinOps FOCUS 1.0 sample data\'s us-west-2 row "$0.008 per used Application load balancer capacity unit-hour" (SKU 2ETY8Y426S4237JU), found by code search';
const ALB_LCU_EUW1 =
    'a public cost tool\'s test fixture of "Real eu-west-1 AWSELB rows (offer 20260911124544)": usagetype EU-LCUUsage, operation LoadBalancing:Application, 0.008 USD per LCU-Hrs; a public EU (Ireland) bill excerpt ("$0.008 per used Application load balancer capacity unit-hour" beside "$0.0252 per Application LoadBalancer-hour"), found by code search';
const LOGS_EUW1 = (what: string) =>
    `github.com/gordonmurray/terraform_aws_ec2_cloudwatch_logs README (Infracost, eu-west-1: its t3.micro at $8.32/730 h and gp2 at $0.11 are the Ireland rates): ${what}`;
/** An Infracost breakdown of a stack under live/dev/eu-central-1 (its ALB at $19.71 for 730 h is the Frankfurt $0.027 rate). */
const INFRACOST_EUC1 = (what: string) =>
    `a public Terragrunt project's README "Demo Cost Estimation" (Infracost breakdown of its live/dev/eu-central-1 stack, whose ALB at $19.71 for 730 h is the Frankfurt $0.027 rate): ${what}, found by code search`;
/** A public infra cost model's test holding "the products that the live API returned for us-east-1, ca-central-1 and eu-west-1 on 2026-09-24". */
const CLOUDWATCH_EUW1 = (row: string) =>
    `a public infra cost model's test fixture of the Infracost Cloud Pricing API's eu-west-1 AmazonCloudWatch products as returned on 2026-09-24 ("The AWS price lists for … AmazonCloudWatch … give the same usagetypes and prices"): ${row}, found by code search`;
const EUC1_LOG_PRICES =
    'a public observability design doc ("The list prices used, all in eu-central-1": "Standard log class ingestion $0.63 per GB", "Log storage $0.0324 per GB-month"), found by code search';

function cloudWatchLogs(ingest: PriceEntry, storage: PriceEntry): Record<string, PriceEntry> {
    return { "logs.ingestGb": ingest, "logs.storageGbMonth": storage };
}
const LOGS_NOTE = "Standard log class; first 5 GB a month free per account (not deducted)";

const US_WEST_2_OBSERVABILITY: Readonly<Record<string, PriceEntry>> = {
    ...cloudWatchLogs(
        entry(
            0.5,
            "GB ingested",
            CLOUDWATCH_USW2(
                'rate code CWY7X4MZ4F3MP5SD.JRTCKXETXF.6YS6EN2CT7, "Custom log data ingested in the Standard log class", 0.50 USD per GB',
            ),
            LOGS_NOTE,
        ),
        entry(0.03, "GB-month archived", CLOUDWATCH_USW2("rate code MN45SJANDTCPR9QA.JRTCKXETXF.6YS6EN2CT7, 0.03 USD per GB-Mo")),
    ),
    "cloudwatch.alarmMonth": entry(
        0.1,
        "alarm-metric-month",
        CLOUDWATCH_USW2('rate code SJTFAZNHSW2WVZB2.JRTCKXETXF.6YS6EN2CT7, "Standard resolution alarm metric", 0.10 USD per alarm-month'),
        "first 10 standard alarm metrics a month free per account (usage freeTier.alarms)",
    ),
    "alb.lcuHour": entry(0.008, "LCU-hour", ALB_LCU_USW2),
    ...instances(
        METERED_MAP(
            "data/us-west-2-ondemand.json",
            "ec2-ondemand-without-sec-sel",
            "2024-06-27",
            "US West (Oregon)",
            'rows "<family> <size> US West Oregon Linux"',
        ),
        { "t3a.2xlarge": 0.3008, "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "r6i.2xlarge": 0.504 },
        "map published 2024-06-27; each row equals the 2026 US East tables' figure for the type; re-check",
    ),
    ...instances(
        METERED_MAP(
            "data/us-west-2-ondemand.json",
            "ec2-ondemand-without-sec-sel",
            "2024-06-27",
            "US West (Oregon)",
            'rows "<family> <size> US West Oregon Linux"',
        ),
        { "t4g.2xlarge": 0.2688, "c7g.2xlarge": 0.29, "r7g.large": 0.1071, "r7g.xlarge": 0.2142, "r7g.2xlarge": 0.4284 },
        "arm64 (Graviton); map published 2024-06-27; each row equals the 2026 US East tables' figure for the type; re-check",
    ),
};

const EU_WEST_1_OBSERVABILITY: Readonly<Record<string, PriceEntry>> = {
    ...cloudWatchLogs(
        entry(
            0.57,
            "GB ingested",
            `${LOGS_EUW1('"Data ingested … $0.57 per GB"')}; a public review's "Pricing API References: CloudWatch Log Ingestion (eu-west-1) SKU KJBTQPDHW2H92B8Y, $0.57 per GB custom log data ingested", found by code search`,
            LOGS_NOTE,
        ),
        entry(0.03, "GB-month archived", LOGS_EUW1('"Archival Storage … $0.03 per GB"')),
    ),
    "alb.lcuHour": entry(0.008, "LCU-hour", ALB_LCU_EUW1),
    "cloudwatch.alarmMonth": entry(
        0.1,
        "alarm-metric-month",
        CLOUDWATCH_EUW1('"EU-CW:AlarmMonitorUsage", 0.1 USD per Alarms'),
        "first 10 standard alarm metrics a month free per account (usage freeTier.alarms)",
    ),
    "cloudwatch.highResolutionAlarmMonth": entry(0.3, "alarm-metric-month", CLOUDWATCH_EUW1('"EU-CW:HighResAlarmMonitorUsage", 0.3 USD per Alarms')),
    ...instances(
        METERED_MAP(
            "data/eu-west-1-ondemand.json",
            "ec2-ondemand-without-sec-sel",
            "2024-06-27",
            "EU (Ireland)",
            'rows "<family> <size> EU Ireland Linux"',
        ),
        { "t3a.2xlarge": 0.3264, "r6i.2xlarge": 0.564 },
        "map published 2024-06-27; twice this table's t3a.xlarge / r6i.xlarge rows, and the map's m7i.2xlarge row (0.4494) equals this table's; re-check",
    ),
};

const EU_CENTRAL_1_OBSERVABILITY: Readonly<Record<string, PriceEntry>> = {
    ...cloudWatchLogs(
        entry(
            0.63,
            "GB ingested",
            `${INFRACOST_EUC1('"Data ingested … $0.63 per GB"')}; ${EUC1_LOG_PRICES}; a public CloudHealth pricebook template ("CloudWatch Custom log data ingested in Standard log class - EUC1", 0.63)`,
            LOGS_NOTE,
        ),
        entry(0.0324, "GB-month archived", `${INFRACOST_EUC1('"Archival Storage … $0.0324 per GB"')}; ${EUC1_LOG_PRICES}`),
    ),
    "alb.lcuHour": entry(
        0.008,
        "LCU-hour",
        INFRACOST_EUC1('"Load balancer capacity units … $5.84 per LCU" a month, i.e. $0.008 per LCU-hour × 730 h'),
    ),
    ...instances(
        METERED_MAP(
            "data/eu-central-1-ondemand.json",
            "ec2-ondemand-without-sec-sel",
            "2024-06-27",
            "EU (Frankfurt)",
            'rows "<family> <size> EU Frankfurt Linux"',
        ),
        {
            "t3a.2xlarge": 0.3456,
            "m7i.large": 0.12075,
            "m7i.xlarge": 0.2415,
            "m7i.2xlarge": 0.483,
        },
        "map published 2024-06-27; t3a.2xlarge is twice this table's t3a.xlarge and the map's r6i.2xlarge row (0.608) equals this table's; re-check",
    ),
    ...instances(
        METERED_MAP(
            "data/eu-central-1-ondemand.json",
            "ec2-ondemand-without-sec-sel",
            "2024-06-27",
            "EU (Frankfurt)",
            'rows "<family> <size> EU Frankfurt Linux"',
        ),
        { "t4g.2xlarge": 0.3072, "c7g.2xlarge": 0.3298, "r7g.large": 0.1292, "r7g.xlarge": 0.2584, "r7g.2xlarge": 0.5168 },
        "arm64 (Graviton); map published 2024-06-27; its t4g.xlarge (0.1536) and c7g.xlarge (0.1649) rows are lower than the factors table's above (0.1664, 0.175): re-check",
    ),
};

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
    "elasticache:redis:cache.t3.micro": entry(
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
    ...usEastNewTiers("us-east-1"),
    ...usEast1Msk(),
    ...globalPrices("us-east-1"),
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
    ...instances(GRAVITON_FACTORS("us-west-2"), US_WEST_2_MORE_EC2),
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
    ...globalPrices("us-west-2"),
    "alb.hour": albHour("us-west-2", 0.0225),
    ...lambdaDuration("us-west-2"),
    ...instances(BURN_AWS_YAML("us-west-2"), {
        "t3.2xlarge": 0.3328,
        "t3a.xlarge": 0.1504,
        "m6i.2xlarge": 0.384,
        "c6i.large": 0.085,
        "c6i.xlarge": 0.17,
        "c6i.2xlarge": 0.34,
        "r6i.large": 0.126,
        "r6i.xlarge": 0.252,
    }),
    ...US_WEST_2_TIERS,
    ...US_WEST_2_OBSERVABILITY,
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
    ...globalPrices("eu-west-1"),
    ...fargate("eu-west-1", "EU (Ireland)", 0.04048, 0.004445),
    "alb.hour": albHour("eu-west-1", 0.0252),
    ...lambdaDuration("eu-west-1"),
    ...instances(BURN_AWS_YAML("eu-west-1"), {
        "t3a.micro": 0.0102,
        "t3a.small": 0.0204,
        "t3a.medium": 0.0408,
        "t3a.large": 0.0816,
        "t3a.xlarge": 0.1632,
        "m6i.2xlarge": 0.428,
        "c6i.large": 0.0912,
        "c6i.xlarge": 0.1824,
        "c6i.2xlarge": 0.3648,
        "r6i.large": 0.141,
        "r6i.xlarge": 0.282,
    }),
    ...instances(PRICE_BOOK_2026("eu-west-1"), { "m7i.large": 0.11235, "m7i.xlarge": 0.2247, "m7i.2xlarge": 0.4494 }),
    ...graviton(
        "eu-west-1",
        { "t4g.2xlarge": 0.2944, "c7g.2xlarge": 0.3101, "r7g.large": 0.1199, "r7g.xlarge": 0.2397, "r7g.2xlarge": 0.4794 },
        `${PRICE_BOOK_2026("eu-west-1")}; its t4g.xlarge (0.1472) and c7g.large (0.0775) rows are lower than the factors table's above: re-check`,
    ),
    ...EU_WEST_1_TIERS,
    ...EU_WEST_1_OBSERVABILITY,
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
    ...globalPrices("eu-central-1"),
    ...fargate("eu-central-1", "EU (Frankfurt)", 0.04656, 0.00511),
    ...lambdaDuration("eu-central-1"),
    ...instances(
        BURN_AWS_YAML("eu-central-1"),
        { "t3.2xlarge": 0.384, "t3a.micro": 0.0108, "t3a.small": 0.0216, "m5.large": 0.115, "m5.xlarge": 0.23, "m5.2xlarge": 0.46 },
        "this generated table's eu-central-1 t3 rows agree with the Frankfurt teaching tool's (t3.2xlarge twice t3.xlarge)",
    ),
    ...EU_CENTRAL_1_TIERS,
    ...EU_CENTRAL_1_OBSERVABILITY,
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
