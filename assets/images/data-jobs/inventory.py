"""Data lake inventory worker.

Counts the objects and bytes under each zone of the data lake (raw/, processed/,
curated/, logs/, one level of sub-prefixes each) and writes the result as JSON to
curated/reporting/inventory/<environment>/<UTC timestamp>.json.

It runs as the long-lived worker of the ECS data-processing service: one inventory
every INVENTORY_INTERVAL_SECONDS until ECS stops the task (SIGTERM ends the wait at
once and the worker exits 0). A failed inventory is logged and retried at the next
interval instead of ending the task, which the service would only restart. With
`--once` (`aws ecs run-task ... --overrides` command ["--once"]) it writes one report
and exits.

Environment:
  S3_BUCKET                   the data lake bucket (required)
  ENVIRONMENT                 dev | staging | prod (required; part of the report key)
  INVENTORY_INTERVAL_SECONDS  seconds between inventories (default 3600)
"""

import datetime
import json
import os
import signal
import sys
import threading
from collections import defaultdict

import boto3


ZONES = ("raw/", "processed/", "curated/", "logs/")
REPORT_PREFIX = "curated/reporting/inventory"
DEFAULT_INTERVAL_SECONDS = 3600


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


def interval_seconds(environ):
    raw = environ.get("INVENTORY_INTERVAL_SECONDS", "").strip()
    if not raw:
        return DEFAULT_INTERVAL_SECONDS
    try:
        value = int(raw)
    except ValueError:
        sys.exit(f"INVENTORY_INTERVAL_SECONDS must be a whole number of seconds, got {raw!r}")
    if value < 1:
        sys.exit(f"INVENTORY_INTERVAL_SECONDS must be at least 1, got {value}")
    return value


def write_report(s3, bucket, environment):
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
    return key


def run_forever(run_once, interval, stop):
    """Runs `run_once` now and then every `interval` seconds until `stop` (a threading.Event) is set."""
    runs = 0
    while not stop.is_set():
        try:
            run_once()
        except Exception as error:  # noqa: BLE001 - a worker logs and retries rather than crash-looping
            print(json.dumps({"error": f"inventory failed: {error}", "retryInSeconds": interval}), file=sys.stderr)
        runs += 1
        stop.wait(interval)
    return runs


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    bucket = required_env("S3_BUCKET")
    environment = required_env("ENVIRONMENT")
    s3 = boto3.client("s3")
    if "--once" in argv:
        write_report(s3, bucket, environment)
        return
    stop = threading.Event()
    # ECS sends SIGTERM on scale-in and deployments, then SIGKILL after the stop timeout.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    run_forever(lambda: write_report(s3, bucket, environment), interval_seconds(os.environ), stop)


if __name__ == "__main__":
    main()
