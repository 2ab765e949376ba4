"""The event schema shared by the processing and quality jobs.

Raw events arrive as JSON lines under ``raw/events/``. The processing job
projects them onto these columns (casting each to its type), and the quality job
checks the Parquet it wrote against the same list, so the two cannot drift.
Types are Glue Data Catalog / Athena type names.
"""

EVENT_COLUMNS = (
    ("event_id", "string"),
    ("event_type", "string"),
    ("user_id", "string"),
    ("source", "string"),
    ("event_timestamp", "timestamp"),
    ("payload", "string"),
)

# Columns a usable event must have; rows without them are dropped by processing
# and counted as failures by quality.
REQUIRED_COLUMNS = ("event_id", "event_type", "event_timestamp")

# Duplicates are events with the same id (producers retry deliveries).
DEDUPLICATION_KEY = ("event_id",)

# Parquet output is partitioned by the event's calendar day (UTC).
PARTITION_COLUMN = "event_date"

RAW_EVENTS_PREFIX = "raw/events/"
# Storage classes S3 lists but will not serve without a restore; readers skip them.
ARCHIVED_STORAGE_CLASSES = ("GLACIER", "DEEP_ARCHIVE")
PROCESSED_EVENTS_PREFIX = "processed/daily/events/"
QUALITY_REPORTS_PREFIX = "curated/reporting/data-quality/"
