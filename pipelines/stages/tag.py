"""TagTopics: articles in, articles with topics, primary topic, scores and evidence out."""
from __future__ import annotations

import apache_beam as beam

from pipelines.core.tagging import apply_tags  # noqa: F401  (re-exported: the stage's logic)
from pipelines.core.topics import TopicMatcher, load_taxonomy
from pipelines.stages.common import REJECTED, StageFn, settle_gc


class _TagFn(StageFn):
    stage = "tag"

    def __init__(self, taxonomy_path: str | None):
        super().__init__()
        self.taxonomy_path = taxonomy_path

    def setup(self):
        taxonomy = load_taxonomy(self.taxonomy_path) if self.taxonomy_path else load_taxonomy()
        self.matcher = TopicMatcher(taxonomy)
        self.version = taxonomy.version
        self.iptc = {t.slug: t.iptc_code for t in taxonomy.topics}
        settle_gc()

    def transform(self, article):
        yield apply_tags(article, self.matcher, self.iptc, self.version)


class TagTopics(beam.PTransform):
    def __init__(self, taxonomy_path: str | None = None):
        super().__init__()
        self.taxonomy_path = taxonomy_path

    def expand(self, articles):
        return articles | "Tag" >> beam.ParDo(_TagFn(self.taxonomy_path)).with_outputs(REJECTED, main="articles")
