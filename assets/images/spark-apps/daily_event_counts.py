"""Daily event counts (PySpark).

Reads the raw JSON events under s3a://$S3_BUCKET/raw/events/ that arrived in the
last LOOKBACK_DAYS days, drops exact duplicates and events without a timestamp,
counts events per day and type for the event days in that window, and writes the
result as Parquet partitioned by event_date to
s3a://$S3_BUCKET/processed/daily/event_counts/ (partitions of the days counted are
overwritten, older ones are kept as they are).

Only recent files are read (Spark's `modifiedAfter`), never all of raw/events/:
raw/ ages into STANDARD_IA and then Glacier Instant Retrieval, where every read is
billed per GB, and re-reading the whole zone every run grows without bound. An
event is in a file written at or after its own time, so every file holding events
of the window's days was modified inside the window: the counts of those days are
complete. An event that arrives more than LOOKBACK_DAYS after its day is not
counted (the days before the window are final).

Environment:
  S3_BUCKET         the data lake bucket (required)
  ENVIRONMENT       dev | staging | prod (required; recorded in every output row)
  EVENT_TIME_FIELD  field holding the event time (default: timestamp)
  EVENT_TYPE_FIELD  field holding the event type (default: event_type)
  LOOKBACK_DAYS     event days recounted, today included (default 7, 1-29: files
                    younger than 30 days are still in S3 Standard)
"""

import datetime
import os
import sys

from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

DEFAULT_LOOKBACK_DAYS = 7
# raw/ moves to STANDARD_IA after 30 days at the earliest (S3's minimum).
MAX_LOOKBACK_DAYS = 29


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def lookback_days(environ):
    raw = environ.get("LOOKBACK_DAYS", "").strip()
    if not raw:
        return DEFAULT_LOOKBACK_DAYS
    try:
        days = int(raw)
    except ValueError:
        sys.exit(f"LOOKBACK_DAYS must be a whole number of days, got {raw!r}")
    if not 1 <= days <= MAX_LOOKBACK_DAYS:
        sys.exit(f"LOOKBACK_DAYS must be 1-{MAX_LOOKBACK_DAYS}, got {days}")
    return days


def window(now, days):
    """(first event day counted, `modifiedAfter` timestamp in UTC) for a run at `now` (aware UTC)."""
    today = now.astimezone(datetime.timezone.utc).date()
    first_day = today - datetime.timedelta(days=days - 1)
    # modifiedAfter is exclusive; one second earlier keeps a file written exactly at midnight.
    start = datetime.datetime.combine(first_day, datetime.time(0, 0)) - datetime.timedelta(seconds=1)
    return first_day, start.strftime("%Y-%m-%dT%H:%M:%S")


def build_session(environment):
    return (
        SparkSession.builder.appName(f"{environment}-daily-event-counts")
        # The task role's credentials come from the ECS container endpoint.
        .config("spark.hadoop.fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        # modifiedAfter and event days are read in UTC.
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def read_recent_events(spark, source, modified_after):
    return (
        spark.read.option("recursiveFileLookup", "true")
        .option("modifiedAfter", modified_after)
        .json(source)
    )


def daily_counts(events, time_field, type_field, environment, first_day):
    return (
        events.dropDuplicates()
        .where(F.col(time_field).isNotNull())
        .withColumn("event_date", F.to_date(F.col(time_field)))
        .where(F.col("event_date").isNotNull())
        .where(F.col("event_date") >= F.lit(first_day.isoformat()).cast("date"))
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
    first_day, modified_after = window(datetime.datetime.now(datetime.timezone.utc), lookback_days(os.environ))
    source = f"s3a://{bucket}/raw/events/"
    target = f"s3a://{bucket}/processed/daily/event_counts/"

    spark = build_session(environment)
    try:
        try:
            events = read_recent_events(spark, source, modified_after)
        except AnalysisException as error:
            print(f"nothing to read under {source} since {modified_after}: {error}")
            return
        missing = [field for field in (time_field, type_field) if field not in events.columns]
        if missing:
            print(f"no {', '.join(missing)} field in {source} since {modified_after}: nothing to count")
            return
        counts = daily_counts(events, time_field, type_field, environment, first_day)
        counts.write.mode("overwrite").partitionBy("event_date").parquet(target)
        print(f"wrote {counts.count()} (day, type) rows for days from {first_day} to {target}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
