"""Web service of the data platform, behind the edge tier's ALB.

Serves what the platform knows about its data: the tables of the Glue Data Catalog
and the latest data-quality report the Glue quality job wrote to the data lake.

Routes (GET and HEAD; anything else is 405):
  /healthz   200 {"status": "ok"}; no AWS call (the ALB's and the container's health check)
  /          HTML overview: the catalog's tables and the latest quality report's verdict
  /tables    JSON: the tables of the catalog database (name, location, format, columns, partitions)
  /quality   JSON: the latest quality report (404 while there is none)

The catalog and the report are cached for CACHE_SECONDS, so a busy site costs a few
Glue and S3 calls a minute, not one per request. An AWS error answers 502 with a short
message (the detail goes to the log, never to the client).

Environment:
  ENVIRONMENT             dev | staging | prod (required; shown on the page)
  GLUE_DATABASE           catalog database to list (optional: without it, /tables is 404)
  S3_BUCKET               data lake bucket with the quality reports (optional: without it, /quality is 404)
  QUALITY_REPORTS_PREFIX  where the reports are (default curated/reporting/data-quality/)
  PORT                    port to listen on (default 8080)
  CACHE_SECONDS           seconds to keep the catalog and the report (default 60)

`python server.py --healthcheck` asks the running server's /healthz and exits 0 when it
answers 200 (the container health check: the image has no curl).
"""

import datetime
import html
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

DEFAULT_PORT = 8080
DEFAULT_CACHE_SECONDS = 60
DEFAULT_REPORTS_PREFIX = "curated/reporting/data-quality/"
PARTITION_PREFIX = "event_date="

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class NotFound(Exception):
    """The resource does not exist (yet): 404."""


class UpstreamError(Exception):
    """An AWS call failed: 502."""


class Cache:
    """Remembers one value per key for `seconds`; `clock` is injectable for tests."""

    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, key, load):
        now = self.clock()
        with self.lock:
            entry = self.entries.get(key)
            if entry and now - entry[0] < self.seconds:
                return entry[1]
        value = load()
        with self.lock:
            self.entries[key] = (now, value)
        return value


def iso(value):
    return value.isoformat() if isinstance(value, (datetime.datetime, datetime.date)) else value


def table_summary(table):
    """The parts of a Glue table a reader of the catalog needs."""
    storage = table.get("StorageDescriptor") or {}
    parameters = table.get("Parameters") or {}
    return {
        "name": table["Name"],
        "location": storage.get("Location"),
        "format": parameters.get("classification"),
        "columns": [{"name": column["Name"], "type": column.get("Type")} for column in storage.get("Columns") or []],
        "partitionKeys": [{"name": key["Name"], "type": key.get("Type")} for key in table.get("PartitionKeys") or []],
        "updated": iso(table.get("UpdateTime")),
    }


class Catalog:
    """The tables of one Glue database (glue:GetTables, paginated)."""

    def __init__(self, glue, database):
        self.glue = glue
        self.database = database

    def tables(self):
        tables = []
        try:
            for page in self.glue.get_paginator("get_tables").paginate(DatabaseName=self.database):
                tables.extend(table_summary(table) for table in page.get("TableList", []))
        except Exception as error:  # noqa: BLE001 - botocore errors are not importable without boto3
            raise UpstreamError(f"glue get_tables {self.database}: {error}") from error
        return sorted(tables, key=lambda table: table["name"])


class QualityReports:
    """The newest report under `<prefix>event_date=<day>/report-<UTC timestamp>.json`."""

    def __init__(self, s3, bucket, prefix):
        self.s3 = s3
        self.bucket = bucket
        self.prefix = prefix

    def _list(self, prefix, delimiter=None):
        """Every key (or common prefix, with a delimiter) under `prefix`, across pages."""
        found = []
        token = None
        while True:
            request = {"Bucket": self.bucket, "Prefix": prefix}
            if delimiter:
                request["Delimiter"] = delimiter
            if token:
                request["ContinuationToken"] = token
            page = self.s3.list_objects_v2(**request)
            if delimiter:
                found.extend(item["Prefix"] for item in page.get("CommonPrefixes", []))
            else:
                found.extend(item["Key"] for item in page.get("Contents", []) if item["Key"].endswith(".json"))
            if not page.get("IsTruncated"):
                return found
            token = page["NextContinuationToken"]

    def latest(self):
        """(key, report) of the newest report of the newest day; NotFound when there is none."""
        try:
            days = [day for day in self._list(self.prefix, "/") if day[len(self.prefix):].startswith(PARTITION_PREFIX)]
            for day in sorted(days, reverse=True):
                keys = self._list(day)
                if keys:
                    key = max(keys)  # report-<YYYYmmddTHHMMSSZ>.json sorts by time
                    body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
                    return key, json.loads(body)
        except ValueError as error:
            raise UpstreamError(f"quality report is not JSON: {error}") from error
        except Exception as error:  # noqa: BLE001
            raise UpstreamError(f"s3 {self.bucket}/{self.prefix}: {error}") from error
        raise NotFound("no quality report yet")


class App:
    """Routes a request to (status, headers, body); no sockets, so tests call it directly."""

    def __init__(self, environment, catalog=None, reports=None, cache_seconds=DEFAULT_CACHE_SECONDS, clock=time.monotonic):
        self.environment = environment
        self.catalog = catalog
        self.reports = reports
        self.cache = Cache(cache_seconds, clock)

    def tables(self):
        if self.catalog is None:
            raise NotFound("this stack has no Glue catalog")
        return self.cache.get("tables", self.catalog.tables)

    def quality(self):
        if self.reports is None:
            raise NotFound("this stack has no data lake")
        return self.cache.get("quality", self.reports.latest)

    def handle(self, method, target):
        if method not in ("GET", "HEAD"):
            return respond_json(405, {"error": "method not allowed"}, {"Allow": "GET, HEAD"})
        path = urlsplit(target).path
        routes = {"/healthz": self.healthz, "/": self.index, "/tables": self.tables_json, "/quality": self.quality_json}
        route = routes.get(path.rstrip("/") or "/")
        if route is None:
            return respond_json(404, {"error": "not found"})
        try:
            return route()
        except NotFound as missing:
            return respond_json(404, {"error": str(missing)})
        except UpstreamError as error:
            log({"level": "error", "path": path, "error": str(error)})
            return respond_json(502, {"error": "the data platform could not be read; try again shortly"})

    def healthz(self):
        return respond_json(200, {"status": "ok"})

    def tables_json(self):
        tables = self.tables()
        return respond_json(200, {"environment": self.environment, "database": self.catalog.database, "tables": tables})

    def quality_json(self):
        key, report = self.quality()
        return respond_json(200, {"environment": self.environment, "key": key, "report": report})

    def index(self):
        sections = [f"<h1>Data platform ({html.escape(self.environment)})</h1>"]
        sections.append(self.quality_section())
        sections.append(self.tables_section())
        page = (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data platform</title>"
            "<style>body{font-family:sans-serif;margin:2rem}td,th{padding:.2rem .6rem;text-align:left}</style>"
            f"</head><body>{''.join(sections)}</body></html>"
        )
        return 200, {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": HTML_POLICY}, page.encode("utf-8")

    def quality_section(self):
        if self.reports is None:
            return ""
        try:
            key, report = self.quality()
        except NotFound:
            return "<h2>Data quality</h2><p>No quality report yet.</p>"
        status = html.escape(str(report.get("status", "unknown")))
        partition = html.escape(json.dumps(report.get("partition", {})))
        failures = "".join(f"<li>{html.escape(str(item))}</li>" for item in report.get("failures", []))
        return (
            f"<h2>Data quality: {status}</h2><p>{partition}, {html.escape(str(report.get('row_count', '?')))} rows "
            f"(<a href=\"/quality\">{html.escape(key)}</a>)</p>" + (f"<ul>{failures}</ul>" if failures else "")
        )

    def tables_section(self):
        if self.catalog is None:
            return ""
        rows = "".join(
            f"<tr><td>{html.escape(table['name'])}</td><td>{html.escape(str(table['format'] or ''))}</td>"
            f"<td>{len(table['columns'])}</td><td>{html.escape(str(table['location'] or ''))}</td></tr>"
            for table in self.tables()
        )
        return (
            f"<h2>Catalog {html.escape(self.catalog.database)} (<a href=\"/tables\">JSON</a>)</h2>"
            f"<table><tr><th>table</th><th>format</th><th>columns</th><th>location</th></tr>{rows}</table>"
        )


def respond_json(status, payload, headers=None):
    body = json.dumps(payload, indent=2, default=str).encode("utf-8")
    return status, {"Content-Type": "application/json", **(headers or {})}, body


def log(record):
    print(json.dumps(record, default=str), flush=True)


def handler_for(app):
    class Handler(BaseHTTPRequestHandler):
        server_version = "data-platform-web"

        def version_string(self):
            return self.server_version  # not the Python version

        def answer(self, send_body):
            started = time.monotonic()
            status, headers, body = app.handle(self.command, self.path)
            self.send_response(status)
            for name, value in {**SECURITY_HEADERS, **headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            if self.path != "/healthz":
                log({"method": self.command, "path": self.path, "status": status, "ms": round((time.monotonic() - started) * 1000, 1)})

        def do_GET(self):  # noqa: N802 - the http.server API
            self.answer(True)

        def do_HEAD(self):  # noqa: N802
            self.answer(False)

        def do_POST(self):  # noqa: N802
            self.answer(True)

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

        def log_message(self, format, *args):  # noqa: A002 - access lines are logged as JSON by answer()
            pass

    return Handler


def required_env(environ, name):
    value = environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name} is not set")
    return value


def positive_int(environ, name, default):
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        sys.exit(f"{name} must be a whole number, got {raw!r}")
    if value < 1:
        sys.exit(f"{name} must be at least 1, got {value}")
    return value


def build_app(environ, client):
    """The App for an environment; `client(service)` makes an AWS client (boto3.client)."""
    database = environ.get("GLUE_DATABASE", "").strip()
    bucket = environ.get("S3_BUCKET", "").strip()
    prefix = environ.get("QUALITY_REPORTS_PREFIX", "").strip() or DEFAULT_REPORTS_PREFIX
    return App(
        required_env(environ, "ENVIRONMENT"),
        catalog=Catalog(client("glue"), database) if database else None,
        reports=QualityReports(client("s3"), bucket, prefix) if bucket else None,
        cache_seconds=positive_int(environ, "CACHE_SECONDS", DEFAULT_CACHE_SECONDS),
    )


def healthcheck(port, timeout=3):
    """0 when the server on `port` answers /healthz with 200, else 1."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


def serve(app, port):
    server = ThreadingHTTPServer(("0.0.0.0", port), handler_for(app))
    server.daemon_threads = True
    # ECS sends SIGTERM when it stops a task (after the ALB has drained it); finish and exit 0.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: threading.Thread(target=server.shutdown).start())
    log({"listening": port, "environment": app.environment})
    server.serve_forever()
    server.server_close()


def main(argv=None, environ=None):
    argv = sys.argv[1:] if argv is None else argv
    environ = os.environ if environ is None else environ
    port = positive_int(environ, "PORT", DEFAULT_PORT)
    if "--healthcheck" in argv:
        return healthcheck(port)
    import boto3

    serve(build_app(environ, boto3.client), port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
