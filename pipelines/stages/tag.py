"""TagTopics: articles in, articles with topics, primary topic, scores and evidence out."""
from __future__ import annotations

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.transforms.window import TimestampedValue

from pipelines.core.tagging import MAX_BATCH, apply_tags, apply_tags_many
from pipelines.core.topics import TopicMatcher, load_taxonomy
from pipelines.stages.common import REJECTED, StageFn, settle_gc

# A bundle's last, smaller batch still goes through (apply_tags_many tags tiny lists one by one)
MIN_BATCH = 64
# Batches are cut by raw bytes too: every article carries its raw input for the dead-letter path, and 256 large
# pages held up to 59 MB. An article weighs one unit per RAW_UNIT bytes of raw input (rounded up), and a batch
# holds at most MAX_BATCH units: at most MAX_BATCH articles and MAX_BATCH * RAW_UNIT (16 MB) of raw bytes.
RAW_UNIT = 64 << 10


def _weight(pair) -> int:
    raw = pair[0].get("_raw")
    return max(1, -(-len(raw.raw) // RAW_UNIT)) if raw is not None and raw.raw else 1


def _with_timestamp(article, timestamp=beam.DoFn.TimestampParam):
    # BatchElements stamps a batch with its window's end; each article keeps its own event time (streaming
    # windows, lateness and state timers downstream read it)
    return article, timestamp


class _TagFn(StageFn):
    """Takes a list of (article, timestamp) pairs (from BatchElements) and tags the articles in one call,
    each output stamped with its article's timestamp. If that call fails, each article goes through the
    one-article path, so only a bad article is rejected."""
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
        articles = [article for article, _ in batch]
        try:
            tagged = apply_tags_many(articles, self.matcher, self.iptc, self.version)
        except Exception:  # noqa: BLE001 - find and reject the bad article(s) one by one
            for article, timestamp in batch:
                for out in super().process(article):
                    if isinstance(out, pvalue.TaggedOutput):
                        yield pvalue.TaggedOutput(out.tag, TimestampedValue(out.value, timestamp))
                    else:
                        yield TimestampedValue(out, timestamp)
            return
        self._ok += len(tagged)
        for row, (_, timestamp) in zip(tagged, batch):
            yield TimestampedValue(row, timestamp)

    def get_allowed_timestamp_skew(self):
        return 10 ** 9  # outputs go back to their articles' own timestamps, before the batch's


class TagTopics(beam.PTransform):
    def __init__(self, taxonomy_path: str | None = None):
        super().__init__()
        self.taxonomy_path = taxonomy_path

    def expand(self, articles):
        return (articles
                | "KeepTimestamp" >> beam.Map(_with_timestamp)
                | "Batch" >> beam.BatchElements(min_batch_size=MIN_BATCH, max_batch_size=MAX_BATCH,
                                                   element_size_fn=_weight)
                | "Tag" >> beam.ParDo(_TagFn(self.taxonomy_path)).with_outputs(REJECTED, main="articles"))
