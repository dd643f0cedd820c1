import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.core.dedup import DedupKey
from pipelines.stages.dedup import DedupArticles


def test_url_and_content_duplicates_point_at_the_earliest_copy():
    keys = [
        DedupKey("f:1", "id-late", "https://e.com/a", "h1", "2026-11-24T10:00:00.000000Z"),
        DedupKey("f:2", "id-early", "https://e.com/a", "h1", "2026-11-24T09:00:00.000000Z"),
        DedupKey("f:3", "id-synd", "https://other.com/z", "h1", "2026-11-24T08:00:00.000000Z"),
        DedupKey("f:4", "id-alone", "https://e.com/b", "h2", "2026-11-24T08:00:00.000000Z"),
    ]
    with TestPipeline() as p:
        drops = p | beam.Create(keys) | DedupArticles()
        assert_that(drops, equal_to([
            ("f:1", ("id-synd", "exact_url", 1.0)),
            ("f:2", ("id-synd", "exact_content", 1.0)),
        ]))
