"""Unit tests for the quality checks (plain Python; no AWS libraries needed).

Run: python3 -m unittest discover -s assets/glue -p 'test_*.py'
"""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data_quality as dq  # noqa: E402
from event_schema import EVENT_COLUMNS  # noqa: E402

GOOD_SCHEMA = dict(EVENT_COLUMNS)
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def columns(**overrides):
    base = {
        "event_id": ["a", "b", "c"],
        "event_type": ["click", "view", "click"],
        "user_id": ["u1", None, "u3"],
        "source": ["web", "web", "app"],
        "event_timestamp": ["2026-01-01T00:00:00", "2026-01-01T01:00:00", "2026-01-01T02:00:00"],
        "payload": [None, None, "{}"],
    }
    base.update(overrides)
    return base


class ArgumentTests(unittest.TestCase):
    def test_pairs_and_glue_extras(self):
        argv = ["--job-bookmark-option", "job-bookmark-disable", "--DATA_LAKE_BUCKET", "lake", "--flag", "--RUN_DATE", "2026-01-01"]
        parsed = dq.parse_arguments(argv)
        self.assertEqual(parsed["DATA_LAKE_BUCKET"], "lake")
        self.assertEqual(parsed["RUN_DATE"], "2026-01-01")
        self.assertNotIn("flag", parsed)

    def test_missing_required_argument_exits(self):
        with self.assertRaises(SystemExit):
            dq.required_argument({}, "DATA_LAKE_BUCKET")


class CheckTests(unittest.TestCase):
    def test_nulls_include_nan(self):
        self.assertEqual(dq.null_counts({"x": [1.0, float("nan"), None, 2.0]}), {"x": 2})

    def test_row_count_rejects_ragged_columns(self):
        with self.assertRaises(ValueError):
            dq.row_count({"a": [1, 2], "b": [1]})

    def test_duplicates_ignore_null_keys(self):
        self.assertEqual(dq.duplicate_count({"event_id": ["a", "a", None, None, "b", "a"]}, ("event_id",)), 2)

    def test_schema_comparison(self):
        actual = dict(GOOD_SCHEMA, event_timestamp="string", extra="int")
        del actual["payload"]
        schema = dq.compare_schema(EVENT_COLUMNS, actual)
        self.assertEqual(schema["missing_columns"], ["payload"])
        self.assertEqual(schema["unexpected_columns"], ["extra"])
        self.assertEqual(schema["type_mismatches"], {"event_timestamp": {"expected": "timestamp", "actual": "string"}})

    def test_clean_partition_passes(self):
        report = dq.build_report("s3://lake/processed/daily/events/", "2026-01-01", columns(), GOOD_SCHEMA, NOW)
        self.assertEqual(report["status"], "passed")
        self.assertEqual(report["row_count"], 3)
        self.assertEqual(report["null_counts"]["user_id"], 1)
        self.assertEqual(report["null_counts"]["payload"], 2)
        self.assertEqual(report["failures"], [])

    def test_defects_fail(self):
        data = columns(event_id=["a", "a", "c"], event_type=["click", None, "view"])
        report = dq.build_report("s3://lake/x/", "2026-01-01", data, dict(GOOD_SCHEMA, source="int"), NOW)
        self.assertEqual(report["status"], "failed")
        self.assertEqual(report["failures"], [
            "column source is int, expected string",
            "required column event_type has 1 null(s)",
            "1 conflicting duplicate event_id value(s): same key, different row",
        ])

    def test_a_redelivered_event_is_a_warning_not_a_failure(self):
        # A producer retried: the same event, identical in every column, landed twice.
        data = {name: values + [values[0]] for name, values in columns().items()}
        report = dq.build_report("s3://lake/x/", "2026-01-01", data, GOOD_SCHEMA, NOW)
        self.assertEqual(report["status"], "passed")
        self.assertEqual(report["failures"], [])
        self.assertEqual((report["redelivered_rows"], report["conflicting_duplicates"], report["duplicate_keys"]), (1, 0, 1))
        self.assertIn("1 redelivered event_id row(s): identical to an earlier row", report["warnings"])

    def test_a_redelivery_with_nan_nulls_is_still_identical(self):
        data = {"event_id": ["a", "a"], "user_id": [float("nan"), None]}
        self.assertEqual(dq.duplicate_rows(data, ("event_id",)), (1, 0))

    def test_two_different_events_with_one_id_fail(self):
        data = columns(event_id=["a", "a", "c"])
        report = dq.build_report("s3://lake/x/", "2026-01-01", data, GOOD_SCHEMA, NOW)
        self.assertEqual(report["status"], "failed")
        self.assertEqual(report["conflicting_duplicates"], 1)

    def test_a_column_null_in_every_row_keeps_its_place_and_passes(self):
        # No producer sent user_id or payload today: the columns are still in the Parquet schema
        # (typed from its metadata, not from the values), so the partition passes with a warning.
        data = columns(user_id=[None, None, None], payload=[float("nan"), None, None])
        report = dq.build_report("s3://lake/x/", "2026-01-01", data, GOOD_SCHEMA, NOW)
        self.assertEqual(report["status"], "passed")
        self.assertEqual(report["schema"]["missing_columns"], [])
        self.assertTrue(report["schema"]["column_order_matches"])
        self.assertEqual(report["null_counts"]["user_id"], 3)
        self.assertIn("null in every row (kept in the schema): user_id, payload", report["warnings"])

    def test_a_required_column_null_in_every_row_fails(self):
        report = dq.build_report("s3://lake/x/", "2026-01-01", columns(event_type=[None, None, None]), GOOD_SCHEMA, NOW)
        self.assertIn("required column event_type has 3 null(s)", report["failures"])

    def test_a_dropped_all_null_column_still_fails(self):
        # What a writer that derives the schema from the values would produce: the column is gone.
        schema = dict(GOOD_SCHEMA)
        del schema["payload"]
        data = columns()
        del data["payload"]
        report = dq.build_report("s3://lake/x/", "2026-01-01", data, schema, NOW)
        self.assertIn("missing columns: payload", report["failures"])

    def test_column_order_is_reported(self):
        reordered = dict(reversed(list(GOOD_SCHEMA.items())))
        report = dq.build_report("s3://lake/x/", "2026-01-01", columns(), reordered, NOW)
        self.assertFalse(report["schema"]["column_order_matches"])
        self.assertEqual(report["status"], "passed")
        self.assertIn("columns are not in the schema's order", report["warnings"])

    def test_empty_partition_fails(self):
        report = dq.build_report("s3://lake/x/", "2026-01-01", {}, {}, NOW)
        self.assertIn("no rows", report["failures"])

    def test_report_key_and_newest_day(self):
        self.assertEqual(dq.report_key("2026-01-01", NOW), "curated/reporting/data-quality/event_date=2026-01-01/report-20260102T030405Z.json")
        paths = ["s3://lake/processed/daily/events/event_date=2025-12-31/", "s3://lake/processed/daily/events/event_date=2026-01-01/", "s3://lake/other/"]
        self.assertEqual(dq.newest_day(paths), "2026-01-01")
        self.assertIsNone(dq.newest_day([]))


if __name__ == "__main__":
    unittest.main()
