"""CleanArticles: validated records in, article rows (headline + clean paragraphs, identity fields) out."""
from __future__ import annotations

import apache_beam as beam

from pipelines.core.articles import build_article
from pipelines.core.cleaning import load_rules
from pipelines.stages.common import REJECTED, StageFn, settle_gc


class _CleanFn(StageFn):
    stage = "clean"

    def __init__(self, rules_path: str | None):
        super().__init__()
        self.rules_path = rules_path
        self.rules = None

    def setup(self):
        self.rules = load_rules(self.rules_path) if self.rules_path else load_rules()
        settle_gc()

    def transform(self, record):
        article = build_article(record, self.rules)
        article["input_ref"] = record["_raw"].input_ref
        article["_raw"] = record["_raw"]
        yield article


class CleanArticles(beam.PTransform):
    def __init__(self, rules_path: str | None = None):
        super().__init__()
        self.rules_path = rules_path

    def expand(self, records):
        return records | "Clean" >> beam.ParDo(_CleanFn(self.rules_path)).with_outputs(REJECTED, main="articles")
