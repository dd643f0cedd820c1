"""NearDupDrops on small inline articles through the real composite transform."""

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.core import near_dup as nd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.stages.near_dup import NearDupDrops

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


# Article ids in the pipeline are 16 hex digits; readable names map onto such ids here.
NAMES = ["a1", "a2", "a3", "fed-mon", "fed-tue", "b", "c", "z", "old", "new", "fed"]
ID = {name: f"{i + 1:016x}" for i, name in enumerate(NAMES)}
NAME = {v: k for k, v in ID.items()}


def article(name, text, scraped_at):
    return {"article_id": ID[name], "text": text, "scraped_at": scraped_at}


def fingerprint_file(path, articles, older=False):
    """What the staging shards and the history index hold for the exact check: ids and shingle hashes. `older`:
    as index rows written before 2026.11.6, whose 64-bit hashes have today's hash as their low half."""
    hashes = [nd.shingle_hashes(a["text"], CFG) for a in articles]
    if older:
        hashes = [np.sort(h.astype(np.uint64) | np.uint64(0xABCDE << 32)) for h in hashes]
    pq.write_table(pa.table({
        "article_id": [a["article_id"] for a in articles],
        "shingle_hashes": pa.array(hashes, pa.list_(pa.uint64() if older else pa.uint32())),
    }), path)
    return str(path)


def bands(articles, history=False):
    chunks = nd.BandChunks(CFG)
    for a in articles:
        chunks.add(nd.node_of(a["article_id"], a["scraped_at"], history),
                   nd.lsh_digests(nd.shingle_hashes(a["text"], CFG), CFG))
    return list(chunks.drain())


def drops(tmp_path, articles, published=(), older_index=False):
    """Runs the stage; its output as (dropped name, survivor name, rule)."""
    p = TestPipeline()
    shards = p | "Shards" >> beam.Create([fingerprint_file(tmp_path / "shard.parquet", articles)])
    history_bands = history_paths = None
    if published:
        history_bands = p | "HistoryBands" >> beam.Create(bands(published, history=True))
        history_paths = p | "HistoryPaths" >> beam.Create([fingerprint_file(tmp_path / "index.parquet", published,
                                                                             older_index)])
    out = (p | "Bands" >> beam.Create(bands(articles))
           | NearDupDrops(CFG, shards, history_bands, history_paths)
           | beam.Map(lambda d: (NAME[d[0]], NAME[d[1][0]], d[1][1])))
    return p, out


def test_truncation_caught_by_containment(tmp_path):
    full = article("a1", GRAIN, "2026-02-01T08:00:00.000000Z")
    cut = article("a2", " ".join(GRAIN.split()[:45]), "2026-02-01T09:00:00.000000Z")
    other = article("a3", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-01T07:00:00.000000Z")
    p, out = drops(tmp_path, [full, cut, other])
    with p:
        assert_that(out, equal_to([("a2", "a1", "near_dup_containment")]))


def test_template_story_with_different_figures_not_merged(tmp_path):
    monday = article("fed-mon", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-02T11:45:00.000000Z")
    tuesday = article("fed-tue", FED_TEMPLATE.format(amount="2.5", rate="6.75"), "2026-02-03T11:45:00.000000Z")
    jaccard, containment = nd.similarity(nd.shingle_hashes(monday["text"], CFG),
                                         nd.shingle_hashes(tuesday["text"], CFG))
    assert jaccard > 0.4  # a real trap: most words are shared
    p, out = drops(tmp_path, [monday, tuesday])
    with p:
        assert_that(out, equal_to([]))


def test_survivor_is_earliest_then_smallest_id_whatever_the_input_order(tmp_path):
    same_time = "2026-02-01T08:00:00.000000Z"
    copies = [article("c", GRAIN, same_time), article("b", GRAIN + " Reuters", same_time),
              article("z", GRAIN, "2026-02-01T10:00:00.000000Z")]
    for i, ordering in enumerate((copies, copies[::-1])):
        (tmp_path / str(i)).mkdir()
        p, out = drops(tmp_path / str(i), ordering)
        with p:
            assert_that(out | beam.Map(lambda d: (d[0], d[1])), equal_to([("c", "b"), ("z", "b")]))


def test_copy_of_published_article_is_dropped_and_history_never_output(tmp_path):
    old = article("old", GRAIN, "2026-01-30T08:00:00.000000Z")
    fresh = article("new", GRAIN, "2026-02-01T08:00:00.000000Z")
    unrelated = article("fed", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-01T08:00:00.000000Z")
    p, out = drops(tmp_path, [fresh, unrelated], published=[old])
    with p:
        assert_that(out | beam.Map(lambda d: (d[0], d[1])), equal_to([("new", "old")]))


def test_copy_of_an_article_indexed_by_an_older_version_is_dropped(tmp_path):
    old = article("old", GRAIN, "2026-01-30T08:00:00.000000Z")
    fresh = article("new", GRAIN.replace("sharply", "strongly"), "2026-02-01T08:00:00.000000Z")
    p, out = drops(tmp_path, [fresh], published=[old], older_index=True)
    with p:
        assert_that(out, equal_to([("new", "old", "near_dup_jaccard")]))


def test_fragment_of_two_editions_does_not_merge_them(tmp_path):
    # Only the rate differs; a copy cut before the figures fits Monday's and Tuesday's edition alike.
    monday = article("fed-mon", FED_TEMPLATE.format(amount="1.5", rate="6.25"), "2026-02-02T11:45:00.000000Z")
    tuesday = article("fed-tue", FED_TEMPLATE.format(amount="1.5", rate="6.75"), "2026-02-03T11:45:00.000000Z")
    teaser = article("a1", " ".join(monday["text"].split()[:30]), "2026-02-03T12:00:00.000000Z")
    p, out = drops(tmp_path, [monday, tuesday, teaser])
    with p:
        assert_that(out | beam.Map(lambda d: (d[0], d[1])), equal_to([("a1", "fed-mon")]))


def test_correction_within_hours_is_a_duplicate(tmp_path):
    first = article("a1", GRAIN + " Shipments totalled 120,000 tonnes.", "2026-02-01T08:00:00.000000Z")
    fixed = article("a2", GRAIN + " Shipments totalled 210,000 tonnes.", "2026-02-01T10:00:00.000000Z")
    p, out = drops(tmp_path, [first, fixed])
    with p:
        assert_that(out | beam.Map(lambda d: (d[0], d[1])), equal_to([("a2", "a1")]))


def test_loaded_shingle_sets_are_copies_that_keep_no_arrow_batch_alive(tmp_path):
    """A kept set that were a view of its 4096-row batch would hold the whole batch in memory."""
    from pipelines.stages.near_dup import load_shingles

    current = nd.shingle_hashes(GRAIN, CFG)  # already sorted unique uint32: low_shingles would return a view
    path = str(tmp_path / "shard.parquet")
    ids = [f"{i:016x}" for i in range(3)]
    pq.write_table(pa.table({"article_id": ids,
                             "shingle_hashes": pa.array([current] * 3, pa.list_(pa.uint32()))}), path)
    wanted = np.array(sorted([nd.id_key(ids[1])]), dtype=np.int64)
    out = load_shingles([path], wanted)
    assert list(out) == [nd.id_key(ids[1])]
    kept = out[nd.id_key(ids[1])]
    assert np.array_equal(kept, current) and kept.base is None
