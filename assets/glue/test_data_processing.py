"""Unit tests of the processing job's reader, redelivery handling and writer.

No Spark or Glue libraries are needed: the modules the job imports are stubbed with
a small row-based DataFrame that runs the same calls (select, where, withColumn,
join left_anti, write) on lists of dicts, so the tests execute the job's own code.

Run: python3 -m unittest discover -s assets/glue -p 'test_*.py'
"""

import os
import sys
import types
import unittest


class AnalysisException(Exception):
    pass


class Column:
    """A row -> value function with the few Column methods the job calls."""

    def __init__(self, fn):
        self.fn = fn

    def cast(self, type_name):
        def cast(row):
            value = self.fn(row)
            return None if value is None else (str(value) if type_name == "string" else value)

        return Column(cast)

    def isin(self, values):
        return Column(lambda row: self.fn(row) in list(values))


class Writer:
    def __init__(self, frame):
        self.frame = frame
        self.calls = []

    def mode(self, mode):
        self.calls.append(("mode", mode))
        return self

    def partitionBy(self, *columns):
        self.calls.append(("partitionBy", columns))
        return self

    def option(self, key, value):
        self.calls.append(("option", key, value))
        return self

    def parquet(self, path):
        self.calls.append(("parquet", path))
        self.frame.written.append((path, self.calls, list(self.frame.rows), list(self.frame.columns)))


class FakeFrame:
    written = []

    def __init__(self, rows, columns):
        self.rows = rows
        self.columns = columns
        self.write = Writer(self)

    def withColumn(self, name, column):
        rows = [{**row, name: column.fn(row)} for row in self.rows]
        return FakeFrame(rows, self.columns + ([name] if name not in self.columns else []))

    def where(self, column):
        return FakeFrame([row for row in self.rows if column.fn(row)], self.columns)

    def select(self, *names):
        return FakeFrame([{name: row[name] for name in names} for row in self.rows], list(names))

    def distinct(self):
        seen, rows = set(), []
        for row in self.rows:
            key = tuple(sorted(row.items()))
            if key not in seen:
                seen.add(key)
                rows.append(row)
        return FakeFrame(rows, self.columns)

    def collect(self):
        return self.rows

    def join(self, other, on, how):
        assert how == "left_anti", how
        keys = {tuple(row[name] for name in on) for row in other.rows}
        return FakeFrame([row for row in self.rows if tuple(row[name] for name in on) not in keys], self.columns)


def _stub_modules():
    functions = types.ModuleType("pyspark.sql.functions")
    functions.col = lambda name: Column(lambda row: row[name])
    functions.lit = lambda value: Column(lambda row: value)
    modules = {
        "awsglue": types.ModuleType("awsglue"),
        "awsglue.context": types.ModuleType("awsglue.context"),
        "awsglue.job": types.ModuleType("awsglue.job"),
        "awsglue.utils": types.ModuleType("awsglue.utils"),
        "pyspark": types.ModuleType("pyspark"),
        "pyspark.context": types.ModuleType("pyspark.context"),
        "pyspark.sql": types.ModuleType("pyspark.sql"),
        "pyspark.sql.functions": functions,
        "pyspark.sql.utils": types.ModuleType("pyspark.sql.utils"),
    }
    modules["awsglue.context"].GlueContext = object
    modules["awsglue.job"].Job = object
    modules["awsglue.utils"].getResolvedOptions = None
    modules["pyspark.context"].SparkContext = object
    modules["pyspark.sql"].DataFrame = FakeFrame
    modules["pyspark.sql"].functions = functions
    modules["pyspark.sql.utils"].AnalysisException = AnalysisException
    for name, module in modules.items():
        sys.modules.setdefault(name, module)


_stub_modules()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data_processing as job  # noqa: E402
from event_schema import EVENT_COLUMNS, PARTITION_COLUMN  # noqa: E402

COLUMNS = [name for name, _ in EVENT_COLUMNS] + [PARTITION_COLUMN]


def event(event_id, day, payload=None):
    row = {name: None for name in COLUMNS}
    row.update(event_id=event_id, event_type="click", event_timestamp=f"{day}T10:00:00", payload=payload, **{PARTITION_COLUMN: day})
    return row


class FakeReader:
    def __init__(self, frame=None):
        self.frame = frame
        self.paths = []

    def parquet(self, path):
        self.paths.append(path)
        if self.frame is None:
            raise AnalysisException(f"Path does not exist: {path}")
        return self.frame


class ReaderTest(unittest.TestCase):
    def test_raw_reader_skips_archived_storage_classes(self):
        options = job.raw_connection_options("lake")
        self.assertEqual(options["paths"], ["s3://lake/raw/events/"])
        self.assertTrue(options["recurse"])
        self.assertEqual(options["excludeStorageClasses"], ["GLACIER", "DEEP_ARCHIVE"])


class RedeliveryTest(unittest.TestCase):
    def test_an_event_already_in_its_days_partition_is_not_written_again(self):
        # Run 1 wrote a and b on 2026-01-01; the producer retried b, which lands in run 2 with c.
        # Spark reads the partition directory back as a date; the job compares it as text.
        written = FakeFrame(
            [{**event("a", "2026-01-01"), PARTITION_COLUMN: DateLike("2026-01-01")}, {**event("b", "2026-01-01"), PARTITION_COLUMN: DateLike("2026-01-01")}],
            COLUMNS,
        )
        spark = types.SimpleNamespace(read=FakeReader(written))
        batch = FakeFrame([event("b", "2026-01-01"), event("c", "2026-01-01"), event("d", "2026-01-02")], COLUMNS)
        existing = job.read_existing_keys(spark, "lake", job.days_of(batch))
        self.assertEqual(spark.read.paths, ["s3://lake/processed/daily/events/"])
        kept = job.drop_already_processed(batch, existing)
        self.assertEqual([row["event_id"] for row in kept.rows], ["c", "d"])

    def test_only_the_batchs_days_are_compared(self):
        # The same id on another day is another partition: not a redelivery of that day's event.
        spark = types.SimpleNamespace(read=FakeReader(FakeFrame([event("a", "2025-12-31")], COLUMNS)))
        batch = FakeFrame([event("a", "2026-01-01")], COLUMNS)
        kept = job.drop_already_processed(batch, job.read_existing_keys(spark, "lake", ["2026-01-01"]))
        self.assertEqual(len(kept.rows), 1)

    def test_the_first_run_has_nothing_to_compare_with(self):
        spark = types.SimpleNamespace(read=FakeReader(None))
        batch = FakeFrame([event("a", "2026-01-01")], COLUMNS)
        self.assertIsNone(job.read_existing_keys(spark, "lake", ["2026-01-01"]))
        self.assertIs(job.drop_already_processed(batch, None), batch)


class WriterTest(unittest.TestCase):
    def test_appends_every_schema_column_even_when_null_in_every_row(self):
        FakeFrame.written = []
        batch = FakeFrame([event("a", "2026-01-01"), event("b", "2026-01-01")], COLUMNS)
        self.assertTrue(all(row["payload"] is None and row["user_id"] is None for row in batch.rows))
        job.write_partitioned_parquet(batch, "lake")
        [(path, calls, _rows, columns)] = FakeFrame.written
        self.assertEqual(path, "s3://lake/processed/daily/events/")
        self.assertIn(("mode", "append"), calls)
        self.assertIn(("partitionBy", (PARTITION_COLUMN,)), calls)
        # The DataFrame's columns, in the schema's order: user_id and payload stay although all null.
        self.assertEqual(columns, COLUMNS)


class DateLike:
    """What Spark's partition inference returns for `event_date=YYYY-MM-DD`: a date, printed as the day."""

    def __init__(self, day):
        self.day = day

    def __str__(self):
        return self.day


if __name__ == "__main__":
    unittest.main()
