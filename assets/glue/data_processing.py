"""Glue Spark job: raw JSON events -> deduplicated, date-partitioned Parquet.

Reads the JSON events under ``s3://<data lake>/raw/events/`` that arrived since
the last successful run (job bookmarks track the files already read), keeps one
row per ``event_id``, projects the rows onto the shared event schema and appends
Parquet under ``s3://<data lake>/processed/daily/events/event_date=YYYY-MM-DD/``.

Producers retry deliveries, so an event can arrive again in a file a later run
reads: rows whose ``event_id`` is already in the day's partition are dropped
before the append, and the partition keeps one row per event.

Every schema column is written, also when it is null in every row of a run: the
rows are written with Spark's DataFrame writer from the projected DataFrame,
whose schema is the event schema. (A DynamicFrame derives its schema from the
records, where a field that is null everywhere has no type, and the column would
vanish from the Parquet files the quality job checks.)

Raw files that aged into an archive class that cannot be read without a restore
(GLACIER, DEEP_ARCHIVE) are skipped by the reader (``excludeStorageClasses``);
the lake's lifecycle moves raw/ to GLACIER_IR, which stays readable.

Job arguments (set as the job's default arguments):
  --JOB_NAME            set by Glue
  --DATA_LAKE_BUCKET    the data lake bucket name
"""

import sys
from typing import Optional

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql.utils import AnalysisException  # Spark 3.3 (Glue 4.0) to 3.5
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from event_schema import (
    ARCHIVED_STORAGE_CLASSES,
    DEDUPLICATION_KEY,
    EVENT_COLUMNS,
    PARTITION_COLUMN,
    PROCESSED_EVENTS_PREFIX,
    RAW_EVENTS_PREFIX,
    REQUIRED_COLUMNS,
)


def read_new_raw_events(glue_context: GlueContext, bucket: str) -> DataFrame:
    """JSON events not yet processed; the transformation_ctx keys the bookmark."""
    frame = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options=raw_connection_options(bucket),
        format="json",
        transformation_ctx="raw_events",
    )
    return frame.toDF()


def raw_connection_options(bucket: str) -> dict:
    """S3 source options: every file under raw/events/, except objects Glue could list but not read."""
    return {
        "paths": [f"s3://{bucket}/{RAW_EVENTS_PREFIX}"],
        "recurse": True,
        "excludeStorageClasses": list(ARCHIVED_STORAGE_CLASSES),
    }


def processed_events_path(bucket: str) -> str:
    return f"s3://{bucket}/{PROCESSED_EVENTS_PREFIX}"


def read_existing_keys(spark, bucket: str, days: list) -> Optional[DataFrame]:
    """(event_id, event_date) already written for these days; None before the first write."""
    try:
        existing = spark.read.parquet(processed_events_path(bucket))
    except AnalysisException:
        return None
    # Spark infers `event_date=YYYY-MM-DD` directories as dates; the batch carries the day as text.
    keys = [*DEDUPLICATION_KEY, PARTITION_COLUMN]
    return existing.withColumn(PARTITION_COLUMN, F.col(PARTITION_COLUMN).cast("string")).where(F.col(PARTITION_COLUMN).isin(days)).select(*keys)


def drop_already_processed(events: DataFrame, existing: Optional[DataFrame]) -> DataFrame:
    """The batch's rows whose event is not yet in its day's partition (redeliveries of earlier runs dropped)."""
    if existing is None:
        return events
    return events.join(existing, on=[*DEDUPLICATION_KEY, PARTITION_COLUMN], how="left_anti")


COMPLEX_TYPES = ("struct", "array", "map")


def project_onto_schema(events: DataFrame) -> DataFrame:
    """One column per schema entry, cast to its type; absent columns become null.

    Nested JSON (an object payload, or a field whose type varies between
    files, which Glue reads as a struct of choices) is kept as JSON text.
    """
    source_types = {field.name: field.dataType.typeName() for field in events.schema.fields}
    columns = []
    for name, type_name in EVENT_COLUMNS:
        if name not in source_types:
            column = F.lit(None).cast(type_name)
        elif type_name == "string" and source_types[name] in COMPLEX_TYPES:
            column = F.to_json(F.col(name))
        else:
            column = F.col(name).cast(type_name)
        columns.append(column.alias(name))
    return events.select(*columns)


def clean(events: DataFrame) -> DataFrame:
    """Drops rows missing a required column and keeps one row per event id."""
    projected = project_onto_schema(events)
    complete = projected.dropna(subset=list(REQUIRED_COLUMNS))
    unique = complete.dropDuplicates(list(DEDUPLICATION_KEY))
    return unique.withColumn(PARTITION_COLUMN, F.date_format(F.col("event_timestamp"), "yyyy-MM-dd"))


def write_partitioned_parquet(events: DataFrame, bucket: str) -> None:
    """Appends the rows to their day partitions with the DataFrame's own schema (every column kept)."""
    events.write.mode("append").partitionBy(PARTITION_COLUMN).option("compression", "snappy").parquet(processed_events_path(bucket))


def days_of(events: DataFrame) -> list:
    return [row[PARTITION_COLUMN] for row in events.select(PARTITION_COLUMN).distinct().collect()]


def main() -> None:
    args = getResolvedOptions(sys.argv, ["JOB_NAME", "DATA_LAKE_BUCKET"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    raw = read_new_raw_events(glue_context, args["DATA_LAKE_BUCKET"])
    if raw.rdd.isEmpty():
        logger.info("no new raw events since the last bookmark")
    else:
        bucket = args["DATA_LAKE_BUCKET"]
        events = clean(raw)
        existing = read_existing_keys(glue_context.spark_session, bucket, days_of(events))
        write_partitioned_parquet(drop_already_processed(events, existing), bucket)
        logger.info(f"processed raw events into {processed_events_path(bucket)}")

    # Commit even when nothing was new so the bookmark advances past empty runs.
    job.commit()


if __name__ == "__main__":
    main()
