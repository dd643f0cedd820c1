"""DedupArticles: exact dedup by normalised URL, then by normalised content hash, on small keys only."""
from __future__ import annotations

import apache_beam as beam

from pipelines.core.dedup import DedupKey, content_group_drops, split_group


def _url_step(item):
    _, members = item
    survivor, losers = split_group(members)
    return survivor.content_hash, (survivor, sorted(m.input_ref for m in losers))


def _content_step(item):
    _, groups = item
    for ref, duplicate_of, rule in content_group_drops(groups):
        yield ref, (duplicate_of, rule, 1.0)


class DedupArticles(beam.PTransform):
    """Input: DedupKey tuples. Output: (input_ref, (duplicate_of, rule, similarity)) for every dropped record."""

    def expand(self, keys):
        return (
            keys
            | "KeyByUrl" >> beam.Map(lambda k: (k.canonical_url, k))
            | "GroupByUrl" >> beam.GroupByKey()
            | "UrlSurvivors" >> beam.Map(_url_step)
            | "GroupByContent" >> beam.GroupByKey()
            | "ContentDrops" >> beam.FlatMap(_content_step)
        )
