"""TagTopics: articles in, articles with topics, primary topic, scores and evidence out."""
from __future__ import annotations

import apache_beam as beam

from pipelines.core.tagging import apply_tags, apply_tags_many
from pipelines.core.topics import TopicMatcher, load_taxonomy
from pipelines.stages.common import REJECTED, StageFn, settle_gc

# Articles tagged per call: the batch tagger has a fixed cost per call (~0.3 ms), small next to 64-256
# articles' work; a bundle's last, smaller batch still goes through (tag_many tags tiny lists one by one)
MIN_BATCH, MAX_BATCH = 64, 256


class _TagFn(StageFn):
    """Takes a list of articles (from BatchElements) and tags them in one call. If that call fails,
    each article goes through the one-article path, so only a bad article is rejected."""
    stage = "tag"

    def __init__(self, taxonomy_path: str | None):
        super().__init__()
        self.taxonomy_path = taxonomy_path

    def setup(self):
        taxonomy = load_taxonomy(self.taxonomy_path) if self.taxonomy_path else load_taxonomy()
        self.matcher = TopicMatcher(taxonomy)
        self.version = taxonomy.version
        self.iptc = {t.slug: t.iptc_code for t in taxonomy.topics}
        self.matcher.batch_tagger().warm_up()  # tables built and kernels compiled now, not on the first bundle
        settle_gc()

    def transform(self, article):
        yield apply_tags(article, self.matcher, self.iptc, self.version)

    def process(self, batch):
        try:
            tagged = apply_tags_many(batch, self.matcher, self.iptc, self.version)
        except Exception:  # noqa: BLE001 - find and reject the bad article(s) one by one
            for article in batch:
                yield from super().process(article)
            return
        self._ok += len(tagged)
        yield from tagged


class TagTopics(beam.PTransform):
    def __init__(self, taxonomy_path: str | None = None):
        super().__init__()
        self.taxonomy_path = taxonomy_path

    def expand(self, articles):
        return (articles
                | "Batch" >> beam.BatchElements(min_batch_size=MIN_BATCH, max_batch_size=MAX_BATCH)
                | "Tag" >> beam.ParDo(_TagFn(self.taxonomy_path)).with_outputs(REJECTED, main="articles"))
