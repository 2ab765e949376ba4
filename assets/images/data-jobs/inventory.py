"""Data lake inventory job.

Counts the objects and bytes under each zone of the data lake (raw/, processed/,
curated/, logs/, one level of sub-prefixes each) and writes the result as JSON to
curated/reporting/inventory/<environment>/<UTC timestamp>.json.

Environment:
  S3_BUCKET    the data lake bucket (required)
  ENVIRONMENT  dev | staging | prod (required; part of the report key)
"""

import datetime
import json
import os
import sys
from collections import defaultdict

import boto3


ZONES = ("raw/", "processed/", "curated/", "logs/")
REPORT_PREFIX = "curated/reporting/inventory"


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def area_of(key, zone):
    """`raw/events/2024/x.json` -> `raw/events/`; objects directly in the zone count to the zone."""
    rest = key[len(zone):]
    return zone + rest.split("/", 1)[0] + "/" if "/" in rest else zone


def inventory(s3, bucket):
    totals = defaultdict(lambda: {"objects": 0, "bytes": 0})
    paginator = s3.get_paginator("list_objects_v2")
    for zone in ZONES:
        totals[zone]  # every zone appears in the report, even when empty
        for page in paginator.paginate(Bucket=bucket, Prefix=zone):
            for obj in page.get("Contents", []):
                if obj["Key"].endswith("/") and obj["Size"] == 0:
                    continue  # zone marker objects
                for area in {zone, area_of(obj["Key"], zone)}:
                    totals[area]["objects"] += 1
                    totals[area]["bytes"] += obj["Size"]
    return dict(sorted(totals.items()))


def main():
    bucket = required_env("S3_BUCKET")
    environment = required_env("ENVIRONMENT")
    s3 = boto3.client("s3")
    now = datetime.datetime.now(datetime.timezone.utc)
    report = {
        "bucket": bucket,
        "environment": environment,
        "generatedAt": now.isoformat(timespec="seconds"),
        "areas": inventory(s3, bucket),
    }
    key = f"{REPORT_PREFIX}/{environment}/{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(report, indent=2).encode(), ContentType="application/json")
    print(json.dumps({"report": f"s3://{bucket}/{key}", "zones": {zone: report["areas"][zone] for zone in ZONES}}))


if __name__ == "__main__":
    main()
