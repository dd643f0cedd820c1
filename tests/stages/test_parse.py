import json
from datetime import date

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.core.records import RawInput, placeholder_url
from pipelines.stages.parse import ParseRecords


def item(ref, data, kind="jsonl"):
    return {"_raw": RawInput(ref, kind, data, len(data))}


GOOD = json.dumps({"url": "https://e.com/a", "scraped_at": "2026-11-24T08:00:00Z", "text": "Body"}).encode()


def test_good_records_pass_and_bad_ones_leave_with_stage_and_reason():
    inputs = [
        item("f:1", GOOD),
        item("f:2", b"{oops"),
        item("f:3", b"\xff\xfe"),
        item("f:4", b"x" * 500),
        item("p/a.txt", b"Headline\nBody line\n", kind="txt"),
        item("a.csv", b"1,2", kind="unsupported"),
        item("c.warc.gz@900", b"", kind="bad:truncated_warc"),
        item("p/b.html", b"<html><body><p>Saved page</p></body></html>", kind="html"),
    ]
    with TestPipeline() as p:
        out = p | beam.Create(inputs) | ParseRecords(date(2026, 11, 24), max_record_bytes=400)
        assert_that(out.records | "Urls" >> beam.Map(lambda r: r["url"]),
                    equal_to(["https://e.com/a", placeholder_url("txt", inputs[4]["_raw"]),
                              placeholder_url("html", inputs[7]["_raw"])]),
                    label="good")
        assert_that(
            out.rejected | "Reasons" >> beam.Map(lambda r: (r["input_ref"], r["stage"], r["reason"], r["raw_size"])),
            equal_to([
                ("f:2", "parse", "invalid_json", 5),
                ("f:3", "parse", "invalid_utf8", 2),
                ("f:4", "parse", "too_large", 500),
                ("a.csv", "parse", "unsupported_format", 3),
                ("c.warc.gz@900", "parse", "truncated_warc", 0),
            ]),
            label="rejected",
        )


def test_rejected_records_keep_the_raw_bytes():
    with TestPipeline() as p:
        out = p | beam.Create([item("f:9", b"\x00not json")]) | ParseRecords(date(2026, 11, 24), 1000)
        assert_that(out.rejected | beam.Map(lambda r: r["raw"]), equal_to([b"\x00not json"]))
