import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.core.records import RawInput
from pipelines.stages.clean import CleanArticles
from pipelines.stages.tag import TagTopics

BODY = (
    "Chipmakers face new export curbs\n\n"
    "The US Commerce Department added ten Chinese chipmakers to its entity list on Monday, "
    "restricting exports of semiconductor manufacturing equipment to their foundries.\n\n"
    "ad-image\n\n"
    "Officials said the export controls cover advanced chips and the tools used to make them."
)


def record(ref, text, title="Chipmakers face new export curbs"):
    raw = RawInput(ref, "jsonl", text.encode(), len(text))
    return {"url": f"https://e.com/{ref}", "scraped_at": "2026-11-24T08:00:00.000000Z", "published_at": None,
            "source": "E", "title": title, "language": "EN", "text": text, "html": None, "headers": None, "_raw": raw}


def test_clean_then_tag_fills_the_article_columns():
    with TestPipeline() as p:
        cleaned = p | beam.Create([record("a", BODY)]) | CleanArticles()
        tagged = cleaned.articles | TagTopics()

        def view(a):
            return (a["title"], a["text"].count("\n\n") + 1, "ad-image" in a["text"], a["language"],
                    "semiconductors" in a["topics"], "export-controls" in a["topics"],
                    a["primary_topic"] in a["topics"], bool(a["topic_evidence"]))

        assert_that(tagged.articles | beam.Map(view),
                    equal_to([("Chipmakers face new export curbs", 2, False, "en", True, True, True, True)]))
        assert_that(cleaned.rejected, equal_to([]), label="nothing rejected")


def test_body_that_is_only_junk_is_rejected_by_the_clean_stage():
    with TestPipeline() as p:
        cleaned = p | beam.Create([record("junk", "ad-image\n\nOpinion\n\nView All\n", title=None)]) | CleanArticles()
        assert_that(cleaned.rejected | beam.Map(lambda r: (r["stage"], r["reason"], r["input_ref"])),
                    equal_to([("clean", "empty_body", "junk")]))


def test_stage_setup_settles_the_garbage_collector():
    import gc

    from pipelines.stages import common

    before = gc.get_threshold()
    try:
        common.settle_gc()
        assert gc.get_threshold()[0] >= common._GC_GEN0
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)


def _stamped(article, timestamp=beam.DoFn.TimestampParam):
    return article.get("url") or article["input_ref"], float(timestamp)


def test_tag_stage_rejects_only_the_bad_article_of_a_batch_and_keeps_timestamps():
    # 40 articles: above the size below which the batch tagger tags one by one, so its fallback runs
    goods = [record(f"g{i}", BODY) for i in range(39)]
    bad = dict(record("b", BODY), text=12345)  # not a string: the batch call raises, then only it is rejected
    items = [beam.window.TimestampedValue(a, 1_700_000_000 + i) for i, a in enumerate(goods + [bad])]
    with TestPipeline() as p:
        tagged = p | beam.Create(items) | beam.Map(lambda tv: tv) | TagTopics()
        assert_that(tagged.articles | beam.Map(lambda a: (a["url"], "export-controls" in a["topics"])),
                    equal_to([(f"https://e.com/g{i}", True) for i in range(39)]))
        assert_that(tagged.rejected | beam.Map(lambda r: (r["stage"], r["input_ref"], r["reason"])),
                    equal_to([("tag", "b", "error:TypeError")]), label="one rejected")
        assert_that(tagged.rejected | "RejectedTime" >> beam.Map(_stamped),
                    equal_to([("b", 1_700_000_039.0)]), label="rejection keeps its time")


def test_tag_stage_outputs_keep_each_article_timestamp():
    """BatchElements stamps a batch with its window's end; streaming windows and state timers need each
    article's own event time after tagging."""
    goods = [record(f"g{i}", BODY) for i in range(300)]
    items = [beam.window.TimestampedValue(a, 1_700_000_000 + 7 * i) for i, a in enumerate(goods)]
    with TestPipeline() as p:
        tagged = p | beam.Create(items) | TagTopics()
        assert_that(tagged.articles | beam.Map(_stamped),
                    equal_to([(f"https://e.com/g{i}", 1_700_000_000.0 + 7 * i) for i in range(300)]))


def test_tag_batches_are_bounded_by_raw_bytes_as_well_as_by_count():
    from pipelines.core.tagging import MAX_BATCH
    from pipelines.stages.tag import RAW_UNIT, _weight

    def article(size):
        return {"_raw": RawInput("x", "html", b"x" * size, size)}, 0

    assert _weight(article(0)) == 1 and _weight(article(1)) == 1 and _weight(article(RAW_UNIT)) == 1
    assert _weight(article(RAW_UNIT + 1)) == 2
    # A full batch (MAX_BATCH units) of articles whose weights are rounded up holds at most MAX_BATCH * RAW_UNIT bytes
    sizes = [1, RAW_UNIT // 2, RAW_UNIT + 1, 5 * RAW_UNIT - 3, 40 * RAW_UNIT]
    for size in sizes:
        per_batch = MAX_BATCH // _weight(article(size))
        assert per_batch * size <= MAX_BATCH * RAW_UNIT
