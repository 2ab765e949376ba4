"""Glue Data Catalog audit.

Runs on demand as the ECS task `<env>-catalog-audit-task`
(`aws ecs run-task --task-definition <env>-catalog-audit-task ...`).

For every table in the environment's catalog database (GLUE_DATABASE), checks that
its location lies in the data lake bucket and that data exists there. Writes the
findings as JSON to curated/reporting/catalog-audit/<environment>/<UTC timestamp>.json
and exits 1 when a table points outside the bucket or at an empty prefix, so a
scheduler sees the failure.

Environment:
  S3_BUCKET      the data lake bucket (required)
  ENVIRONMENT    dev | staging | prod (required; part of the report key)
  GLUE_DATABASE  the catalog database, as the platform named it (default:
                 <ENVIRONMENT>_data_lake_catalog with `-` written `_`, Glue's rule)
"""

import datetime
import json
import os
import sys
from urllib.parse import urlparse

import boto3

REPORT_PREFIX = "curated/reporting/catalog-audit"


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def catalog_database(environment):
    """The platform's name: Athena and Glue want lowercase letters, digits and underscores."""
    return f"{environment.replace('-', '_')}_data_lake_catalog"


def catalog_tables(glue, database):
    for page in glue.get_paginator("get_tables").paginate(DatabaseName=database):
        yield from page["TableList"]


def has_objects(s3, bucket, prefix):
    return s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount", 0) > 0


def audit_table(s3, bucket, table):
    location = table.get("StorageDescriptor", {}).get("Location", "")
    parsed = urlparse(location)
    finding = {"table": table["Name"], "location": location, "problems": []}
    if parsed.scheme not in ("s3", "s3a") or parsed.netloc != bucket:
        finding["problems"].append(f"location is outside s3://{bucket}/")
    elif not has_objects(s3, bucket, parsed.path.lstrip("/")):
        finding["problems"].append("no objects under the location")
    return finding


def main():
    bucket = required_env("S3_BUCKET")
    environment = required_env("ENVIRONMENT")
    database = os.environ.get("GLUE_DATABASE", "").strip() or catalog_database(environment)
    glue = boto3.client("glue")
    s3 = boto3.client("s3")

    findings = [audit_table(s3, bucket, table) for table in catalog_tables(glue, database)]
    failing = [finding for finding in findings if finding["problems"]]
    now = datetime.datetime.now(datetime.timezone.utc)
    report = {
        "database": database,
        "bucket": bucket,
        "environment": environment,
        "generatedAt": now.isoformat(timespec="seconds"),
        "tables": len(findings),
        "failing": len(failing),
        "findings": findings,
    }
    key = f"{REPORT_PREFIX}/{environment}/{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(report, indent=2).encode(), ContentType="application/json")
    print(json.dumps({"report": f"s3://{bucket}/{key}", "tables": len(findings), "failing": len(failing)}))
    sys.exit(1 if failing else 0)


if __name__ == "__main__":
    main()
