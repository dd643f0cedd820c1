"""ParseRecords: raw bytes in, validated raw records out; malformed input leaves through the dead-letter output."""
from __future__ import annotations

from datetime import date

import apache_beam as beam

from pipelines.core.records import Rejected, parse_jsonl, parse_txt
from pipelines.stages.common import REJECTED, StageFn


class _ParseFn(StageFn):
    stage = "parse"

    def __init__(self, run_date: date, max_record_bytes: int):
        super().__init__()
        self.run_date = run_date
        self.max_record_bytes = max_record_bytes

    def transform(self, element):
        raw = element["_raw"]
        if raw.kind == "jsonl":
            record = parse_jsonl(raw, self.max_record_bytes)
        elif raw.kind == "txt":
            record = parse_txt(raw, self.run_date, self.max_record_bytes)
        else:
            raise Rejected("unsupported_format", f"no reader for {raw.input_ref!r}")
        record["_raw"] = raw
        yield record


class ParseRecords(beam.PTransform):
    def __init__(self, run_date: date, max_record_bytes: int):
        super().__init__()
        self.run_date = run_date
        self.max_record_bytes = max_record_bytes

    def expand(self, records):
        return records | "Parse" >> beam.ParDo(_ParseFn(self.run_date, self.max_record_bytes)).with_outputs(
            REJECTED, main="records"
        )
