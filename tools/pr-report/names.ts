/**
 * Words for resource types in the PR report: "NAT gateway", "EC2 instance", "S3 bucket", with plurals
 * ("+3 NAT gateways"). Derived from the type token (`aws:ec2/natGateway:NatGateway`) with a few
 * acronyms and service names; a type this does not know still gets a readable noun.
 */

const ACRONYMS: ReadonlySet<string> = new Set([
    "acm",
    "alb",
    "arn",
    "ec2",
    "ecr",
    "ecs",
    "eks",
    "iam",
    "ip",
    "kms",
    "msk",
    "nat",
    "rds",
    "s3",
    "sns",
    "sqs",
    "vpc",
    "waf",
]);

const SERVICES: Readonly<Record<string, string>> = {
    cloudwatch: "CloudWatch",
    ec2: "EC2",
    ecr: "ECR",
    ecs: "ECS",
    eks: "EKS",
    elasticache: "ElastiCache",
    glue: "Glue",
    iam: "IAM",
    kms: "KMS",
    msk: "MSK",
    rds: "RDS",
    s3: "S3",
    scheduler: "EventBridge Scheduler",
    secretsmanager: "Secrets Manager",
};

/** Class names too generic to stand alone: the service goes in front ("ECS cluster", not "cluster"). */
const GENERIC: ReadonlySet<string> = new Set([
    "Alias",
    "Bucket",
    "Cluster",
    "Crawler",
    "Database",
    "Group",
    "Instance",
    "Job",
    "Key",
    "Policy",
    "Repository",
    "Role",
    "Schedule",
    "Secret",
    "Service",
    "Table",
    "Trigger",
    "Volume",
    "Workflow",
]);

const SPECIAL: Readonly<Record<string, readonly [string, string]>> = {
    "aws:ec2/eip:Eip": ["Elastic IP", "Elastic IPs"],
    "aws:ecs/taskDefinition:TaskDefinition": ["ECS task definition", "ECS task definitions"],
    "aws:glue/catalogDatabase:CatalogDatabase": ["Glue catalog database", "Glue catalog databases"],
};

function words(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .split(" ")
        .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word.toLowerCase()))
        .join(" ");
}

function plural(noun: string): string {
    if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
    if (/(s|x|ch|sh)$/.test(noun)) return `${noun}es`;
    return `${noun}s`;
}

/** The noun for `count` resources of `type`: "NAT gateway" / "NAT gateways". */
export function typeNoun(type: string, count = 1): string {
    const special = SPECIAL[type];
    if (special) return count === 1 ? special[0] : special[1];
    const [, modulePart = "", className = type] = /^[^:]+:([^/:]*)(?:\/[^:]*)?:(.+)$/.exec(type) ?? [];
    const base = words(className);
    const service = SERVICES[modulePart];
    const noun = GENERIC.has(className) && service ? `${service} ${base}` : base;
    return count === 1 ? noun : plural(noun);
}
