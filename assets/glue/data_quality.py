"""Glue Python shell job: quality report for one day of processed events.

Reads the Parquet partition ``processed/daily/events/event_date=<day>/`` of the
data lake (the day given by --RUN_DATE, else the newest partition), computes
the row count, nulls per column, duplicate event ids and a schema comparison
against the shared event schema, and writes the report as JSON to
``curated/reporting/data-quality/event_date=<day>/report-<UTC timestamp>.json``.
The run fails (non-zero exit) when a check fails and --FAIL_ON_ERROR is true,
so the workflow shows the failure.

What normal operation produces is a warning, not a failure:
- a redelivered event: rows with the same event_id that are identical in every
  column (a producer retried; processing drops redeliveries of earlier runs, so
  this only shows data written before that). Rows that share an event_id but
  differ are a failure: two different events claim one id.
- a column that is null in every row (no producer sent it that day): it is
  still in the Parquet schema, with its type, at its place; only a required
  column that is all null is a failure.
- columns in another order than the schema (Athena and Spark read Parquet by
  name).
The schema comes from the Parquet metadata, never from the values, so an all-null
column keeps its declared type.

Runs on Python shell 3.9 with the "analytics" library set (awswrangler,
pandas, boto3). The checks themselves are plain Python over column lists, so
they can be tested without those libraries.

Job arguments:
  --DATA_LAKE_BUCKET    the data lake bucket name (required)
  --RUN_DATE            YYYY-MM-DD partition to check (optional)
  --FAIL_ON_ERROR       "true" (default) or "false"
"""

import datetime
import json
import math
import re
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from event_schema import (
    DEDUPLICATION_KEY,
    EVENT_COLUMNS,
    PARTITION_COLUMN,
    PROCESSED_EVENTS_PREFIX,
    QUALITY_REPORTS_PREFIX,
    REQUIRED_COLUMNS,
)

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Columns = Mapping[str, Sequence[Any]]


# --- arguments ------------------------------------------------------------

def parse_arguments(argv: Sequence[str]) -> Dict[str, str]:
    """`--NAME value` pairs as Glue passes them (it adds arguments of its own)."""
    parsed: Dict[str, str] = {}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token.startswith("--") and index + 1 < len(argv) and not argv[index + 1].startswith("--"):
            parsed[token[2:]] = argv[index + 1]
            index += 2
        else:
            index += 1
    return parsed


def required_argument(arguments: Mapping[str, str], name: str) -> str:
    value = arguments.get(name, "")
    if not value:
        raise SystemExit(f"missing job argument --{name}")
    return value


# --- checks (plain Python) ---------------------------------------------------

def is_null(value: Any) -> bool:
    """None, NaN and pandas' NaT/NA (which are not equal to themselves)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def row_count(columns: Columns) -> int:
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns have different lengths: {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def null_counts(columns: Columns) -> Dict[str, int]:
    return {name: sum(1 for value in values if is_null(value)) for name, values in columns.items()}


def duplicate_rows(columns: Columns, key: Sequence[str]) -> Tuple[int, int]:
    """(redelivered, conflicting): rows repeating an earlier row's key, split by whether the whole row
    is the same (a retried delivery) or differs (two events claim one key). Null keys are not counted."""
    if any(name not in columns for name in key):
        return 0, 0
    names = list(columns)
    first_row: Dict[Tuple[Any, ...], Tuple[Any, ...]] = {}
    redelivered = conflicting = 0
    for values in zip(*(columns[name] for name in names)):
        row = dict(zip(names, values))
        key_values = tuple(row[name] for name in key)
        if any(is_null(value) for value in key_values):
            continue
        comparable = tuple(None if is_null(value) else value for value in values)
        if key_values not in first_row:
            first_row[key_values] = comparable
        elif first_row[key_values] == comparable:
            redelivered += 1
        else:
            conflicting += 1
    return redelivered, conflicting


def all_null_columns(columns: Columns) -> List[str]:
    """Columns with rows, every one of them null."""
    return [name for name, values in columns.items() if len(values) > 0 and all(is_null(value) for value in values)]


def duplicate_count(columns: Columns, key: Sequence[str]) -> int:
    """Rows whose key repeats an earlier row's key (rows with a null key are not counted)."""
    if any(name not in columns for name in key):
        return 0
    seen = set()
    duplicates = 0
    for values in zip(*(columns[name] for name in key)):
        if any(is_null(value) for value in values):
            continue
        if values in seen:
            duplicates += 1
        else:
            seen.add(values)
    return duplicates


def compare_schema(expected: Sequence[Tuple[str, str]], actual: Mapping[str, str]) -> Dict[str, Any]:
    expected_types = dict(expected)
    present = [name for name in actual if name in expected_types]
    return {
        "expected": expected_types,
        "actual": dict(actual),
        # The schema's columns that are present, in the file's order, against the schema's order.
        "column_order_matches": present == [name for name in expected_types if name in actual],
        "missing_columns": [name for name in expected_types if name not in actual],
        "unexpected_columns": sorted(name for name in actual if name not in expected_types),
        "type_mismatches": {
            name: {"expected": type_name, "actual": actual[name]}
            for name, type_name in expected_types.items()
            if name in actual and actual[name] != type_name
        },
    }


def warnings_of(redelivered: int, empty_columns: Sequence[str], schema: Mapping[str, Any]) -> List[str]:
    warnings: List[str] = []
    if redelivered > 0:
        warnings.append(f"{redelivered} redelivered {'/'.join(DEDUPLICATION_KEY)} row(s): identical to an earlier row")
    optional_empty = [name for name in empty_columns if name not in REQUIRED_COLUMNS]
    if optional_empty:
        warnings.append(f"null in every row (kept in the schema): {', '.join(optional_empty)}")
    if not schema["column_order_matches"]:
        warnings.append("columns are not in the schema's order")
    return warnings


def failures_of(rows: int, nulls: Mapping[str, int], duplicates: int, schema: Mapping[str, Any]) -> List[str]:
    failures: List[str] = []
    if rows == 0:
        failures.append("no rows")
    if schema["missing_columns"]:
        failures.append(f"missing columns: {', '.join(schema['missing_columns'])}")
    for name, types in schema["type_mismatches"].items():
        failures.append(f"column {name} is {types['actual']}, expected {types['expected']}")
    for name in REQUIRED_COLUMNS:
        if nulls.get(name, 0) > 0:
            failures.append(f"required column {name} has {nulls[name]} null(s)")
    if duplicates > 0:
        failures.append(f"{duplicates} conflicting duplicate {'/'.join(DEDUPLICATION_KEY)} value(s): same key, different row")
    return failures


def build_report(dataset: str, day: str, columns: Columns, actual_schema: Mapping[str, str],
                 generated_at: datetime.datetime) -> Dict[str, Any]:
    rows = row_count(columns)
    nulls = null_counts(columns)
    redelivered, conflicting = duplicate_rows(columns, DEDUPLICATION_KEY)
    schema = compare_schema(EVENT_COLUMNS, actual_schema)
    failures = failures_of(rows, nulls, conflicting, schema)
    warnings = warnings_of(redelivered, all_null_columns(columns), schema)
    return {
        "dataset": dataset,
        "partition": {PARTITION_COLUMN: day},
        "generated_at": generated_at.isoformat(),
        "row_count": rows,
        "null_counts": nulls,
        "duplicate_keys": redelivered + conflicting,
        "redelivered_rows": redelivered,
        "conflicting_duplicates": conflicting,
        "schema": schema,
        "failures": failures,
        "warnings": warnings,
        "status": "failed" if failures else "passed",
    }


def report_key(day: str, generated_at: datetime.datetime) -> str:
    stamp = generated_at.strftime("%Y%m%dT%H%M%SZ")
    return f"{QUALITY_REPORTS_PREFIX}{PARTITION_COLUMN}={day}/report-{stamp}.json"


def newest_day(partition_paths: Sequence[str]) -> Optional[str]:
    """The latest `event_date=YYYY-MM-DD` among partition paths."""
    days = []
    for path in partition_paths:
        match = re.search(rf"{PARTITION_COLUMN}=(\d{{4}}-\d{{2}}-\d{{2}})/?$", path)
        if match:
            days.append(match.group(1))
    return max(days) if days else None


# --- I/O (awswrangler + boto3, present in Python shell's analytics set) -----

def read_partition(bucket: str, day: str) -> Tuple[Dict[str, List[Any]], Dict[str, str]]:
    import awswrangler as wr

    path = f"s3://{bucket}/{PROCESSED_EVENTS_PREFIX}{PARTITION_COLUMN}={day}/"
    if not wr.s3.list_objects(path, suffix=".parquet"):
        return {}, {}
    column_types, _ = wr.s3.read_parquet_metadata(path=path)
    frame = wr.s3.read_parquet(path=path)
    return {name: frame[name].tolist() for name in frame.columns}, dict(column_types)


def choose_day(bucket: str, requested: str) -> Optional[str]:
    if requested:
        if not DATE_PATTERN.match(requested):
            raise SystemExit(f"--RUN_DATE must be YYYY-MM-DD, got {requested!r}")
        return requested
    import awswrangler as wr

    return newest_day(wr.s3.list_directories(f"s3://{bucket}/{PROCESSED_EVENTS_PREFIX}"))


def write_report(bucket: str, key: str, report: Mapping[str, Any]) -> None:
    import boto3

    boto3.client("s3").put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps(report, indent=2, default=str).encode("utf-8"),
        ContentType="application/json",
    )


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    bucket = required_argument(arguments, "DATA_LAKE_BUCKET")
    fail_on_error = arguments.get("FAIL_ON_ERROR", "true").lower() == "true"
    generated_at = datetime.datetime.now(datetime.timezone.utc)

    day = choose_day(bucket, arguments.get("RUN_DATE", ""))
    if day is None:
        # Nothing processed yet is not a data defect: report it and succeed.
        print(f"no partitions under s3://{bucket}/{PROCESSED_EVENTS_PREFIX}; nothing to check")
        return 0

    columns, actual_schema = read_partition(bucket, day)
    dataset = f"s3://{bucket}/{PROCESSED_EVENTS_PREFIX}"
    report = build_report(dataset, day, columns, actual_schema, generated_at)
    key = report_key(day, generated_at)
    write_report(bucket, key, report)
    print(f"quality report {report['status']}: s3://{bucket}/{key}")
    for failure in report["failures"]:
        print(f"  - {failure}")
    for warning in report["warnings"]:
        print(f"  ~ warning: {warning}")
    return 1 if report["failures"] and fail_on_error else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
