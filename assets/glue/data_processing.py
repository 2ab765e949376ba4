"""Glue Spark job: raw JSON events -> deduplicated, date-partitioned Parquet.

Reads the JSON events under ``s3://<data lake>/raw/events/`` that arrived since
the last successful run (job bookmarks track the files already read), keeps one
row per ``event_id``, projects the rows onto the shared event schema and writes
Parquet under ``s3://<data lake>/processed/daily/events/event_date=YYYY-MM-DD/``.

Job arguments (set as the job's default arguments):
  --JOB_NAME            set by Glue
  --DATA_LAKE_BUCKET    the data lake bucket name
"""

import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from event_schema import (
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
        connection_options={"paths": [f"s3://{bucket}/{RAW_EVENTS_PREFIX}"], "recurse": True},
        format="json",
        transformation_ctx="raw_events",
    )
    return frame.toDF()


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


def write_partitioned_parquet(glue_context: GlueContext, events: DataFrame, bucket: str) -> None:
    frame = DynamicFrame.fromDF(events, glue_context, "processed_events")
    glue_context.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        connection_options={
            "path": f"s3://{bucket}/{PROCESSED_EVENTS_PREFIX}",
            "partitionKeys": [PARTITION_COLUMN],
        },
        format="glueparquet",
        format_options={"compression": "snappy"},
        transformation_ctx="processed_events",
    )


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
        events = clean(raw)
        write_partitioned_parquet(glue_context, events, args["DATA_LAKE_BUCKET"])
        logger.info(f"processed raw events into s3://{args['DATA_LAKE_BUCKET']}/{PROCESSED_EVENTS_PREFIX}")

    # Commit even when nothing was new so the bookmark advances past empty runs.
    job.commit()


if __name__ == "__main__":
    main()
