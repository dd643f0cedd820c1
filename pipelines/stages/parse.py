"""ParseRecords: raw bytes in, validated raw records out; malformed input leaves through the dead-letter output."""
from __future__ import annotations

from datetime import date

import apache_beam as beam

from pipelines.core.records import (
    DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TEXT_CHARS, Rejected, parse_html_file, parse_jsonl, parse_txt,
)
from pipelines.stages.common import REJECTED, StageFn


class _ParseFn(StageFn):
    stage = "parse"

    def __init__(self, run_date: date, max_record_bytes: int, max_text_chars: int):
        super().__init__()
        self.run_date = run_date
        self.max_record_bytes = max_record_bytes
        self.max_text_chars = max_text_chars

    def transform(self, element):
        raw = element["_raw"]
        if raw.kind == "jsonl":
            record = parse_jsonl(raw, self.max_record_bytes, self.max_text_chars)
        elif raw.kind == "txt":
            record = parse_txt(raw, self.run_date, self.max_record_bytes, self.max_text_chars)
        elif raw.kind == "html":
            record = parse_html_file(raw, self.run_date, self.max_record_bytes)
        elif raw.kind.startswith("bad:"):
            raise Rejected(raw.kind[4:], f"unreadable WARC record at {raw.input_ref}")
        else:
            raise Rejected("unsupported_format", f"no reader for {raw.input_ref!r}")
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
        fn = _ParseFn(self.run_date, self.max_record_bytes, self.max_text_chars)
        return records | "Parse" >> beam.ParDo(fn).with_outputs(
            REJECTED, main="records"
        )
