"""ParseRecords: raw bytes in, validated raw records out; malformed input leaves through the dead-letter output."""
from __future__ import annotations

from datetime import date, datetime

import apache_beam as beam

from pipelines.core.records import DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TEXT_CHARS, parse_raw
from pipelines.stages.common import REJECTED, StageFn


class ParseFn(StageFn):
    """records.parse_raw as a stage; `scraped` is the scrape time of .txt and .html inputs (the run date; the
    streaming job's subclass sets each element's landing time)."""

    stage = "parse"

    def __init__(self, scraped: date | datetime | None, max_record_bytes: int, max_text_chars: int):
        super().__init__()
        self.scraped = scraped
        self.max_record_bytes = max_record_bytes
        self.max_text_chars = max_text_chars

    def transform(self, element):
        raw = element["_raw"]
        record = parse_raw(raw, self.scraped, self.max_record_bytes, self.max_text_chars)
        record["_raw"] = raw
        yield record


class ParseRecords(beam.PTransform):
    def __init__(self, run_date: date, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                 max_text_chars: int = DEFAULT_MAX_TEXT_CHARS):
        super().__init__()
        self.run_date = run_date
        self.max_record_bytes = max_record_bytes
        self.max_text_chars = max_text_chars

    def expand(self, records):
        fn = ParseFn(self.run_date, self.max_record_bytes, self.max_text_chars)
        return records | "Parse" >> beam.ParDo(fn).with_outputs(
            REJECTED, main="records"
        )
