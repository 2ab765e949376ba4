"""Unit tests of the inventory job with an in-memory S3 (no AWS SDK needed)."""

import json
import os
import sys
import threading
import types
import unittest
from unittest import mock

sys.modules.setdefault("boto3", types.ModuleType("boto3"))
sys.path.insert(0, os.path.dirname(__file__))

import inventory  # noqa: E402


class FakeS3:
    def __init__(self, objects):
        self.objects = objects  # key -> size
        self.put = []

    def get_paginator(self, operation):
        assert operation == "list_objects_v2"
        fake = self

        class Paginator:
            def paginate(self, Bucket, Prefix):
                keys = sorted(key for key in fake.objects if key.startswith(Prefix))
                # two pages, to prove pagination is followed
                half = len(keys) // 2
                for page in (keys[:half], keys[half:]):
                    yield {"Contents": [{"Key": key, "Size": fake.objects[key]} for key in page]}

        return Paginator()

    def put_object(self, **kwargs):
        self.put.append(kwargs)


class InventoryTest(unittest.TestCase):
    def test_counts_objects_and_bytes_per_zone_and_area(self):
        s3 = FakeS3({
            "raw/": 0,
            "raw/events/": 0,
            "raw/events/2024/01/a.json": 100,
            "raw/events/2024/01/b.json": 50,
            "raw/feeds/c.csv": 7,
            "raw/loose.txt": 3,
            "processed/daily/p.parquet": 1000,
            "other/ignored.bin": 999,
        })
        areas = inventory.inventory(s3, "bucket")
        self.assertEqual(areas["raw/"], {"objects": 4, "bytes": 160})
        self.assertEqual(areas["raw/events/"], {"objects": 2, "bytes": 150})
        self.assertEqual(areas["raw/feeds/"], {"objects": 1, "bytes": 7})
        self.assertEqual(areas["processed/"], {"objects": 1, "bytes": 1000})
        self.assertEqual(areas["processed/daily/"], {"objects": 1, "bytes": 1000})
        self.assertEqual(areas["curated/"], {"objects": 0, "bytes": 0})
        self.assertEqual(areas["logs/"], {"objects": 0, "bytes": 0})
        self.assertNotIn("other/", areas)

    def test_main_writes_the_report_under_curated_reporting(self):
        s3 = FakeS3({"raw/events/a.json": 10})
        env = {"S3_BUCKET": "dev-data-lake-0123", "ENVIRONMENT": "dev"}
        with mock.patch.dict(os.environ, env), mock.patch.object(inventory, "boto3", create=True) as boto3:
            boto3.client.return_value = s3
            with mock.patch("builtins.print"):
                inventory.main(["--once"])
        self.assertEqual(len(s3.put), 1)
        put = s3.put[0]
        self.assertEqual(put["Bucket"], "dev-data-lake-0123")
        self.assertRegex(put["Key"], r"^curated/reporting/inventory/dev/\d{8}T\d{6}Z\.json$")
        report = json.loads(put["Body"])
        self.assertEqual(report["environment"], "dev")
        self.assertEqual(report["areas"]["raw/events/"], {"objects": 1, "bytes": 10})

    def test_worker_runs_until_stopped_and_survives_a_failed_run(self):
        stop = threading.Event()
        calls = []

        def run_once():
            calls.append(len(calls))
            if len(calls) == 1:
                raise RuntimeError("S3 throttled")
            if len(calls) == 3:
                stop.set()

        with mock.patch.object(stop, "wait") as wait, mock.patch("sys.stderr"):
            runs = inventory.run_forever(run_once, 60, stop)
        self.assertEqual(runs, 3)
        self.assertEqual([call.args for call in wait.call_args_list], [(60,), (60,), (60,)])

    def test_main_without_once_is_a_long_running_worker(self):
        env = {"S3_BUCKET": "lake", "ENVIRONMENT": "dev", "INVENTORY_INTERVAL_SECONDS": "120"}
        with mock.patch.dict(os.environ, env), mock.patch.object(inventory, "boto3", create=True), mock.patch.object(
            inventory, "run_forever"
        ) as run_forever, mock.patch("signal.signal") as handler:
            inventory.main([])
        self.assertEqual(run_forever.call_args.args[1], 120)
        self.assertEqual(handler.call_args.args[0], inventory.signal.SIGTERM)
        stop = run_forever.call_args.args[2]
        handler.call_args.args[1](15, None)
        self.assertTrue(stop.is_set(), "SIGTERM stops the worker")

    def test_interval_defaults_to_an_hour_and_refuses_nonsense(self):
        self.assertEqual(inventory.interval_seconds({}), 3600)
        for bad in ("0", "soon"):
            with self.assertRaises(SystemExit):
                inventory.interval_seconds({"INVENTORY_INTERVAL_SECONDS": bad})

    def test_main_refuses_to_run_without_the_bucket(self):
        with mock.patch.dict(os.environ, {"S3_BUCKET": "", "ENVIRONMENT": "dev"}):
            with self.assertRaises(SystemExit) as exit_:
                inventory.main()
        self.assertIn("S3_BUCKET", str(exit_.exception))


if __name__ == "__main__":
    unittest.main()
