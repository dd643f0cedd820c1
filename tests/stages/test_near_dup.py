"""NearDupArticles on small inline articles through the real composite transform."""

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.core import near_dup as nd
from pipelines.stages.near_dup import NearDupArticles

CFG = nd.load_config()

GRAIN = (
    "Grain traders in Chicago said export demand for soybeans picked up sharply this week after "
    "buyers in the Netherlands and Japan booked cargoes for spring shipment. Dealers added that "
    "farmers remained reluctant sellers because of the wet weather across the western corn belt, "
    "which has delayed planting by about ten days compared with the average of the last five years. "
    "Several analysts expect the government crop report due next Tuesday to show a smaller planted "
    "area than the trade had assumed, which could support prices into the summer months."
)
FED_TEMPLATE = (
    "The Federal Reserve entered the government securities market to arrange {amount} billion "
    "dollars of customer repurchase agreements, a Fed spokesman said. Dealers said federal funds "
    "were trading at {rate} percent when the Fed began its temporary and indirect supply of "
    "reserves to the banking system."
)


def article(article_id, text, scraped_at):
    return {"article_id": article_id, "url": f"https://news.example/{article_id}", "canonical_url": "",
            "title": "", "text": text, "scraped_at": scraped_at, "content_hash": ""}


def test_truncation_caught_by_containment():
    full = article("a1", GRAIN, "2026-02-01T08:00:00.000000Z")
    cut = article("a2", " ".join(GRAIN.split()[:45]), "2026-02-01T09:00:00.000000Z")
    other = article("a3", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-01T07:00:00.000000Z")
    with TestPipeline() as p:
        result = p | beam.Create([full, cut, other]) | NearDupArticles(CFG)
        assert_that(result.survivors | beam.Map(lambda a: a["article_id"]), equal_to(["a1", "a3"]))
        assert_that(result.duplicates | beam.Map(lambda d: (d["article_id"], d["url"], d["duplicate_of"], d["rule"])),
                    equal_to([("a2", "https://news.example/a2", "a1", "near_dup_containment")]),
                    label="Ledger")


def test_template_story_with_different_figures_not_merged():
    monday = article("fed-mon", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-02T11:45:00.000000Z")
    tuesday = article("fed-tue", FED_TEMPLATE.format(amount="2.5", rate="6.75"), "2026-02-03T11:45:00.000000Z")
    jaccard, containment = nd.similarity(nd.shingle_hashes(monday["text"], CFG),
                                         nd.shingle_hashes(tuesday["text"], CFG))
    assert jaccard > 0.4  # a real trap: most words are shared
    with TestPipeline() as p:
        result = p | beam.Create([monday, tuesday]) | NearDupArticles(CFG)
        assert_that(result.survivors | beam.Map(lambda a: a["article_id"]), equal_to(["fed-mon", "fed-tue"]))
        assert_that(result.duplicates, equal_to([]), label="NoDuplicates")


def test_survivor_is_earliest_then_smallest_id_whatever_the_input_order():
    same_time = "2026-02-01T08:00:00.000000Z"
    copies = [article("c", GRAIN, same_time), article("b", GRAIN + " Reuters", same_time),
              article("z", GRAIN, "2026-02-01T10:00:00.000000Z")]
    for ordering in (copies, copies[::-1]):
        with TestPipeline() as p:
            result = p | beam.Create(ordering) | NearDupArticles(CFG)
            assert_that(result.survivors | beam.Map(lambda a: a["article_id"]), equal_to(["b"]))
            assert_that(result.duplicates | beam.Map(lambda d: (d["article_id"], d["duplicate_of"])),
                        equal_to([("c", "b"), ("z", "b")]), label="Ledger")


def test_copy_of_published_article_is_dropped_and_history_never_output():
    published = nd.fingerprint_rows(article("old", GRAIN, "2026-01-30T08:00:00.000000Z"), CFG)
    fresh = article("new", GRAIN, "2026-02-01T08:00:00.000000Z")
    unrelated = article("fed", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-01T08:00:00.000000Z")
    with TestPipeline() as p:
        history = p | "History" >> beam.Create([published])
        result = p | beam.Create([fresh, unrelated]) | NearDupArticles(CFG, history=history)
        assert_that(result.survivors | beam.Map(lambda a: a["article_id"]), equal_to(["fed"]))
        assert_that(result.duplicates | beam.Map(lambda d: (d["article_id"], d["duplicate_of"])),
                    equal_to([("new", "old")]), label="Ledger")
