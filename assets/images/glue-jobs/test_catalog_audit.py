"""Unit tests of the catalog audit with in-memory Glue and S3 (no AWS SDK needed)."""

import json
import os
import sys
import types
import unittest
from unittest import mock

sys.modules.setdefault("boto3", types.ModuleType("boto3"))
sys.path.insert(0, os.path.dirname(__file__))

import catalog_audit  # noqa: E402


class FakeGlue:
    def __init__(self, tables):
        self.tables = tables
        self.databases = []

    def get_paginator(self, operation):
        assert operation == "get_tables"
        fake = self

        class Paginator:
            def paginate(self, DatabaseName):
                fake.databases.append(DatabaseName)
                yield {"TableList": fake.tables[:1]}
                yield {"TableList": fake.tables[1:]}

        return Paginator()


class FakeS3:
    def __init__(self, keys):
        self.keys = keys
        self.put = []

    def list_objects_v2(self, Bucket, Prefix, MaxKeys):
        return {"KeyCount": min(MaxKeys, sum(1 for key in self.keys if key.startswith(Prefix)))}

    def put_object(self, **kwargs):
        self.put.append(kwargs)


def table(name, location):
    return {"Name": name, "StorageDescriptor": {"Location": location}}


TABLES = [
    table("events", "s3://dev-lake/raw/events/"),
    table("daily", "s3://dev-lake/processed/daily/"),
    table("elsewhere", "s3://someone-else/raw/"),
    table("no_location", ""),
]


class CatalogAuditTest(unittest.TestCase):
    def run_main(self, glue, s3, **extra):
        env = {"S3_BUCKET": "dev-lake", "ENVIRONMENT": "dev", **extra}
        clients = {"glue": glue, "s3": s3}
        with mock.patch.dict(os.environ, env), mock.patch.object(catalog_audit, "boto3", create=True) as boto3:
            boto3.client.side_effect = clients.__getitem__
            with mock.patch("builtins.print"), self.assertRaises(SystemExit) as exit_:
                catalog_audit.main()
        return exit_.exception.code

    def test_flags_tables_outside_the_bucket_or_without_data(self):
        s3 = FakeS3(["raw/events/part-0.json"])
        findings = {f["table"]: f["problems"] for f in (catalog_audit.audit_table(s3, "dev-lake", t) for t in TABLES)}
        self.assertEqual(findings["events"], [])
        self.assertEqual(findings["daily"], ["no objects under the location"])
        self.assertEqual(findings["elsewhere"], ["location is outside s3://dev-lake/"])
        self.assertEqual(findings["no_location"], ["location is outside s3://dev-lake/"])

    def test_reads_the_environment_catalog_and_fails_when_a_table_is_bad(self):
        glue = FakeGlue(TABLES)
        s3 = FakeS3(["raw/events/part-0.json"])
        self.assertEqual(self.run_main(glue, s3), 1)
        self.assertEqual(glue.databases, ["dev_data_lake_catalog"])
        report = json.loads(s3.put[0]["Body"])
        self.assertEqual((report["tables"], report["failing"]), (4, 3))
        self.assertRegex(s3.put[0]["Key"], r"^curated/reporting/catalog-audit/dev/\d{8}T\d{6}Z\.json$")

    def test_reads_the_database_the_platform_names(self):
        glue = FakeGlue(TABLES[:1])
        self.assertEqual(self.run_main(glue, FakeS3(["raw/events/part-0.json"]), GLUE_DATABASE="team_a_data_lake_catalog"), 0)
        self.assertEqual(glue.databases, ["team_a_data_lake_catalog"])
        self.assertEqual(catalog_audit.catalog_database("team-a"), "team_a_data_lake_catalog")

    def test_succeeds_when_every_table_has_data_in_the_bucket(self):
        s3 = FakeS3(["raw/events/part-0.json"])
        self.assertEqual(self.run_main(FakeGlue(TABLES[:1]), s3), 0)


if __name__ == "__main__":
    unittest.main()
