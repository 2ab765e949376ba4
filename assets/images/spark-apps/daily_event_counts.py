"""Daily event counts (PySpark).

Reads the raw JSON events under s3a://$S3_BUCKET/raw/events/, drops exact
duplicates and events without a timestamp, counts events per day and type, and
writes the result as Parquet partitioned by event_date to
s3a://$S3_BUCKET/processed/daily/event_counts/ (partitions of the days present
are overwritten, others are kept).

Environment:
  S3_BUCKET    the data lake bucket (required)
  ENVIRONMENT  dev | staging | prod (required; recorded in every output row)
  EVENT_TIME_FIELD  field holding the event time (default: timestamp)
  EVENT_TYPE_FIELD  field holding the event type (default: event_type)
"""

import os
import sys

from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def build_session(environment):
    return (
        SparkSession.builder.appName(f"{environment}-daily-event-counts")
        # The task role's credentials come from the ECS container endpoint.
        .config("spark.hadoop.fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .getOrCreate()
    )


def daily_counts(events, time_field, type_field, environment):
    return (
        events.dropDuplicates()
        .where(F.col(time_field).isNotNull())
        .withColumn("event_date", F.to_date(F.col(time_field)))
        .where(F.col("event_date").isNotNull())
        .withColumn("event_type", F.coalesce(F.col(type_field).cast("string"), F.lit("unknown")))
        .groupBy("event_date", "event_type")
        .agg(F.count(F.lit(1)).alias("events"))
        .withColumn("environment", F.lit(environment))
    )


def main():
    bucket = required_env("S3_BUCKET")
    environment = required_env("ENVIRONMENT")
    time_field = os.environ.get("EVENT_TIME_FIELD", "timestamp")
    type_field = os.environ.get("EVENT_TYPE_FIELD", "event_type")
    source = f"s3a://{bucket}/raw/events/"
    target = f"s3a://{bucket}/processed/daily/event_counts/"

    spark = build_session(environment)
    try:
        try:
            events = spark.read.option("recursiveFileLookup", "true").json(source)
        except AnalysisException as error:
            print(f"nothing to read under {source}: {error}")
            return
        missing = [field for field in (time_field, type_field) if field not in events.columns]
        if missing:
            print(f"no {', '.join(missing)} field in {source}: nothing to count")
            return
        counts = daily_counts(events, time_field, type_field, environment)
        counts.write.mode("overwrite").partitionBy("event_date").parquet(target)
        print(f"wrote {counts.count()} (day, type) rows to {target}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
