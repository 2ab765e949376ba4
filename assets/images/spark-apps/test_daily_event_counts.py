"""Unit tests of the Spark job's window and reader (no Spark needed: pyspark is stubbed)."""

import datetime
import os
import sys
import types
import unittest


def _stub_pyspark():
    pyspark = types.ModuleType("pyspark")
    errors = types.ModuleType("pyspark.errors")
    errors.AnalysisException = type("AnalysisException", (Exception,), {})
    sql = types.ModuleType("pyspark.sql")
    sql.SparkSession = object
    functions = types.ModuleType("pyspark.sql.functions")
    sql.functions = functions
    for name, module in {"pyspark": pyspark, "pyspark.errors": errors, "pyspark.sql": sql, "pyspark.sql.functions": functions}.items():
        sys.modules.setdefault(name, module)


_stub_pyspark()
sys.path.insert(0, os.path.dirname(__file__))

import daily_event_counts as job  # noqa: E402

UTC = datetime.timezone.utc


class FakeReader:
    def __init__(self):
        self.options = {}
        self.path = None

    def option(self, key, value):
        self.options[key] = value
        return self

    def json(self, path):
        self.path = path
        return "frame"


class WindowTest(unittest.TestCase):
    def test_window_counts_today_and_the_days_before(self):
        now = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
        self.assertEqual(job.window(now, 7), (datetime.date(2026, 3, 4), "2026-03-03T23:59:59"))
        self.assertEqual(job.window(now, 1), (datetime.date(2026, 3, 10), "2026-03-09T23:59:59"))

    def test_window_is_in_utc(self):
        local = datetime.timezone(datetime.timedelta(hours=-8))
        now = datetime.datetime(2026, 3, 9, 20, 0, tzinfo=local)  # 2026-03-10 04:00 UTC
        self.assertEqual(job.window(now, 2)[0], datetime.date(2026, 3, 9))

    def test_lookback_days_default_and_limits(self):
        self.assertEqual(job.lookback_days({}), 7)
        self.assertEqual(job.lookback_days({"LOOKBACK_DAYS": "29"}), 29)
        for bad in ("0", "30", "-1", "seven"):
            with self.assertRaises(SystemExit):
                job.lookback_days({"LOOKBACK_DAYS": bad})

    def test_never_reads_files_older_than_the_window(self):
        # The raw zone moves to STANDARD_IA at 30 days and Glacier Instant Retrieval at 90:
        # the reader asks Spark for files modified after the window's start, never all of raw/events/.
        spark = types.SimpleNamespace(read=FakeReader())
        first_day, modified_after = job.window(datetime.datetime(2026, 3, 10, tzinfo=UTC), job.MAX_LOOKBACK_DAYS)
        self.assertEqual(job.read_recent_events(spark, "s3a://lake/raw/events/", modified_after), "frame")
        self.assertEqual(spark.read.options, {"recursiveFileLookup": "true", "modifiedAfter": "2026-02-09T23:59:59"})
        self.assertEqual(spark.read.path, "s3a://lake/raw/events/")
        self.assertLess((datetime.date(2026, 3, 10) - first_day).days, 30)


if __name__ == "__main__":
    unittest.main()
