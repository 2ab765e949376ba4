"""Unit tests of the web service with in-memory Glue and S3 clients (no AWS SDK needed)."""

import datetime
import io
import json
import os
import sys
import threading
import unittest
import urllib.request
from http.server import ThreadingHTTPServer
from unittest import mock

sys.path.insert(0, os.path.dirname(__file__))

import server  # noqa: E402


def glue_table(name, location, columns, partitions=(), classification="parquet"):
    return {
        "Name": name,
        "StorageDescriptor": {"Location": location, "Columns": [{"Name": n, "Type": t} for n, t in columns]},
        "PartitionKeys": [{"Name": n, "Type": t} for n, t in partitions],
        "Parameters": {"classification": classification},
        "UpdateTime": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc),
    }


class FakeGlue:
    def __init__(self, pages, fail=False):
        self.pages = pages
        self.fail = fail
        self.calls = []

    def get_paginator(self, operation):
        assert operation == "get_tables"
        fake = self

        class Paginator:
            def paginate(self, DatabaseName):  # noqa: N803 - boto3's keyword
                fake.calls.append(DatabaseName)
                if fake.fail:
                    raise RuntimeError("AccessDeniedException: not authorized to perform glue:GetTables")
                for page in fake.pages:
                    yield {"TableList": page}

        return Paginator()


class FakeS3:
    """list_objects_v2 with Prefix, Delimiter and pages of `page_size`; get_object of JSON bodies."""

    def __init__(self, objects, page_size=2):
        self.objects = objects  # key -> bytes
        self.page_size = page_size
        self.requests = []

    def list_objects_v2(self, Bucket, Prefix, Delimiter=None, ContinuationToken=None):  # noqa: N803
        self.requests.append({"Bucket": Bucket, "Prefix": Prefix, "Delimiter": Delimiter})
        keys = sorted(key for key in self.objects if key.startswith(Prefix))
        if Delimiter:
            items = sorted({Prefix + key[len(Prefix):].split(Delimiter, 1)[0] + Delimiter for key in keys if Delimiter in key[len(Prefix):]})
        else:
            items = keys
        start = int(ContinuationToken or 0)
        chunk = items[start:start + self.page_size]
        page = {"IsTruncated": start + self.page_size < len(items)}
        if page["IsTruncated"]:
            page["NextContinuationToken"] = str(start + self.page_size)
        if Delimiter:
            page["CommonPrefixes"] = [{"Prefix": item} for item in chunk]
        else:
            page["Contents"] = [{"Key": key} for key in chunk]
        return page

    def get_object(self, Bucket, Key):  # noqa: N803
        return {"Body": io.BytesIO(self.objects[Key])}


PREFIX = "curated/reporting/data-quality/"


def report(day, status="passed", failures=()):
    return json.dumps({"partition": {"event_date": day}, "row_count": 42, "status": status, "failures": list(failures)}).encode()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def app_with(glue=None, s3=None, clock=None, **kwargs):
    return server.App(
        "staging",
        catalog=server.Catalog(glue, "staging_data_lake_catalog") if glue else None,
        reports=server.QualityReports(s3, "staging-data-lake-0123", PREFIX) if s3 else None,
        clock=clock or Clock(),
        **kwargs,
    )


def body_of(response):
    status, headers, body = response
    return status, headers, json.loads(body) if headers["Content-Type"] == "application/json" else body.decode()


class RoutesTest(unittest.TestCase):
    def test_healthz_answers_without_calling_aws(self):
        glue, s3 = FakeGlue([], fail=True), FakeS3({})
        status, _, payload = body_of(app_with(glue, s3).handle("GET", "/healthz"))
        self.assertEqual((status, payload), (200, {"status": "ok"}))
        self.assertEqual(glue.calls, [])
        self.assertEqual(s3.requests, [])

    def test_tables_lists_every_page_sorted_with_columns_and_partitions(self):
        glue = FakeGlue([
            [glue_table("raw_events", "s3://lake/raw/events/", [("event_id", "string")], classification="json")],
            [glue_table("processed_events", "s3://lake/processed/daily/events/", [("event_id", "string"), ("value", "double")],
                        partitions=[("event_date", "string")])],
        ])
        status, headers, payload = body_of(app_with(glue).handle("GET", "/tables?format=json"))
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(payload["database"], "staging_data_lake_catalog")
        self.assertEqual(glue.calls, ["staging_data_lake_catalog"])
        self.assertEqual([table["name"] for table in payload["tables"]], ["processed_events", "raw_events"])
        processed = payload["tables"][0]
        self.assertEqual(processed["location"], "s3://lake/processed/daily/events/")
        self.assertEqual(processed["format"], "parquet")
        self.assertEqual(processed["columns"], [{"name": "event_id", "type": "string"}, {"name": "value", "type": "double"}])
        self.assertEqual(processed["partitionKeys"], [{"name": "event_date", "type": "string"}])
        self.assertEqual(processed["updated"], "2024-05-01T12:00:00+00:00")

    def test_quality_returns_the_newest_report_of_the_newest_day_across_pages(self):
        s3 = FakeS3({
            f"{PREFIX}event_date=2024-04-30/report-20240501T010000Z.json": report("2024-04-30"),
            f"{PREFIX}event_date=2024-05-01/report-20240502T010000Z.json": report("2024-05-01", "failed", ["no rows"]),
            f"{PREFIX}event_date=2024-05-01/report-20240502T090000Z.json": report("2024-05-01"),
            f"{PREFIX}event_date=2024-05-01/notes.txt": b"not a report",
            f"{PREFIX}event_date=2024-03-01/report-20240302T010000Z.json": report("2024-03-01"),
            f"{PREFIX}README.json": b"{}",
        }, page_size=1)
        status, _, payload = body_of(app_with(s3=s3).handle("GET", "/quality"))
        self.assertEqual(status, 200)
        self.assertEqual(payload["key"], f"{PREFIX}event_date=2024-05-01/report-20240502T090000Z.json")
        self.assertEqual(payload["report"]["status"], "passed")
        self.assertTrue(all(request["Bucket"] == "staging-data-lake-0123" and request["Prefix"].startswith(PREFIX) for request in s3.requests))

    def test_quality_is_404_until_the_first_report(self):
        status, _, payload = body_of(app_with(s3=FakeS3({})).handle("GET", "/quality"))
        self.assertEqual(status, 404)
        self.assertIn("no quality report", payload["error"])

    def test_a_stack_without_catalog_or_lake_has_no_such_pages(self):
        app = app_with()
        for path in ("/tables", "/quality"):
            self.assertEqual(app.handle("GET", path)[0], 404)
        status, _, page = body_of(app.handle("GET", "/"))
        self.assertEqual(status, 200)
        self.assertIn("Data platform (staging)", page)

    def test_index_escapes_what_the_catalog_and_report_say(self):
        glue = FakeGlue([[glue_table("<script>alert(1)</script>", "s3://lake/x/", [("a", "int")])]])
        s3 = FakeS3({f"{PREFIX}event_date=2024-05-01/report-20240502T010000Z.json": report("2024-05-01", "failed", ["<b>bad</b> rows"])})
        status, headers, page = body_of(app_with(glue, s3).handle("GET", "/"))
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        self.assertNotIn("<script>", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.assertIn("Data quality: failed", page)
        self.assertIn("&lt;b&gt;bad&lt;/b&gt; rows", page)

    def test_unknown_paths_are_404_and_writes_405(self):
        app = app_with()
        self.assertEqual(app.handle("GET", "/admin")[0], 404)
        status, headers, _ = app.handle("POST", "/tables")
        self.assertEqual((status, headers["Allow"]), (405, "GET, HEAD"))

    def test_an_aws_error_is_502_without_detail_for_the_client(self):
        with mock.patch("builtins.print") as printed:
            status, _, payload = body_of(app_with(FakeGlue([], fail=True)).handle("GET", "/tables"))
        self.assertEqual(status, 502)
        self.assertNotIn("AccessDenied", json.dumps(payload))
        self.assertIn("AccessDeniedException", printed.call_args.args[0])

    def test_the_catalog_is_cached_for_cache_seconds(self):
        glue, clock = FakeGlue([[glue_table("t", "s3://lake/t/", [])]]), Clock()
        app = app_with(glue, clock=clock, cache_seconds=60)
        app.handle("GET", "/tables")
        clock.now += 59
        app.handle("GET", "/tables")
        self.assertEqual(len(glue.calls), 1)
        clock.now += 2
        app.handle("GET", "/tables")
        self.assertEqual(len(glue.calls), 2)


class ConfigurationTest(unittest.TestCase):
    def test_build_app_reads_the_task_environment(self):
        made = []

        def client(service):
            made.append(service)
            return FakeGlue([]) if service == "glue" else FakeS3({})

        app = server.build_app(
            {"ENVIRONMENT": "prod", "GLUE_DATABASE": "prod_data_lake_catalog", "S3_BUCKET": "prod-data-lake-1", "CACHE_SECONDS": "30"},
            client,
        )
        self.assertEqual(sorted(made), ["glue", "s3"])
        self.assertEqual(app.catalog.database, "prod_data_lake_catalog")
        self.assertEqual((app.reports.bucket, app.reports.prefix), ("prod-data-lake-1", PREFIX))
        self.assertEqual(app.cache.seconds, 30)

    def test_without_catalog_and_bucket_it_makes_no_clients(self):
        app = server.build_app({"ENVIRONMENT": "edge-only"}, lambda service: self.fail(f"made a {service} client"))
        self.assertIsNone(app.catalog)
        self.assertIsNone(app.reports)

    def test_refuses_to_start_without_the_environment_or_with_a_bad_number(self):
        with self.assertRaises(SystemExit) as missing:
            server.build_app({}, lambda service: None)
        self.assertIn("ENVIRONMENT", str(missing.exception))
        for bad in ("soon", "0"):
            with self.assertRaises(SystemExit) as refused:
                server.build_app({"ENVIRONMENT": "dev", "CACHE_SECONDS": bad}, lambda service: None)
            self.assertIn("CACHE_SECONDS", str(refused.exception))


class HttpTest(unittest.TestCase):
    """The real http.server wiring on a free port, and the container's --healthcheck against it."""

    def setUp(self):
        app = app_with(FakeGlue([[glue_table("t", "s3://lake/t/", [])]]))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), server.handler_for(app))
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.serving = True

    def tearDown(self):
        self.stop()

    def stop(self):
        if self.serving:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.serving = False

    def test_serves_json_with_security_headers(self):
        with mock.patch("builtins.print"):
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/tables", timeout=5) as response:
                payload = json.loads(response.read())
                self.assertEqual(response.status, 200)
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response.headers["Cache-Control"], "no-store")
                self.assertEqual(response.headers["Server"], "data-platform-web")
        self.assertEqual([table["name"] for table in payload["tables"]], ["t"])

    def test_head_sends_headers_only(self):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/healthz", method="HEAD")
        with urllib.request.urlopen(request, timeout=5) as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(response.read(), b"")
            self.assertGreater(int(response.headers["Content-Length"]), 0)

    def test_healthcheck_exit_codes(self):
        self.assertEqual(server.healthcheck(self.port), 0)
        self.assertEqual(server.main(["--healthcheck"], {"PORT": str(self.port)}), 0)
        self.stop()
        self.assertEqual(server.healthcheck(self.port, timeout=1), 1)


if __name__ == "__main__":
    unittest.main()
