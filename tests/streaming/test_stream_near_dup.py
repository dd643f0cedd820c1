"""Near-duplicates in streaming under TestStream: a near-copy in the same window, in a later window, after the
state's lifetime (not caught), landing order against scrape order, and an exact copy of a near-copy."""
import apache_beam as beam
import numpy as np
import pytest
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms.window import TimestampedValue

from pipelines import streaming
from pipelines.core import near_dup as nd
from pipelines.core import stream_near_dup as snd
from tests.streaming.helpers import BODIES, T0, raw, record, stream_args, table

CFG = nd.load_config()
UPDATE = "\n\nThe story was updated on Tuesday morning with comments from local officials and trade groups."


def near_copy(name, scraped, url):
    """The same story re-published with an added paragraph: every original shingle is in the copy."""
    rec = record(name, scraped, url=url)
    rec["text"] = BODIES[name] + UPDATE
    rec["title"] = rec["title"] + " (updated)"
    return rec


def run(tmp_path, events, *extra):
    args = stream_args(tmp_path / "out", "--window", "60s", "--allowed_lateness", "60s", "--write_shards", "1", *extra)
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        streaming.build(p, args, source=events)
    return tmp_path / "out"


def article_ids(out):
    return {r["url"]: r["article_id"] for r in table(out, "articles").select(["url", "article_id"]).to_pylist()}


def ledger(out):
    t = table(out, "duplicates")
    return {} if t is None else {r["input_ref"]: r for r in t.to_pylist()}


def test_the_copy_is_a_near_duplicate_and_not_an_exact_one():
    a = nd.shingle_hashes(BODIES["steel"], CFG)
    b = nd.shingle_hashes(BODIES["steel"] + UPDATE, CFG)
    jaccard, containment = nd.similarity(a, b)
    assert nd.match_rule(jaccard, containment, CFG) is not None
    assert set(nd.lsh_keys(a, CFG)) & set(nd.lsh_keys(b, CFG)), "the pair must share an LSH band"


def test_near_copy_in_the_same_window(tmp_path):
    original = record("steel", T0 + 10)
    copy = near_copy("steel", T0 + 20, "https://other.example/steel-updated")
    events = (
        TestStream()
        .advance_watermark_to(T0)
        .add_elements([TimestampedValue(raw(original, "a.jsonl:1"), T0 + 10),
                       TimestampedValue(raw(copy, "a.jsonl:2"), T0 + 20)])
        .advance_watermark_to_infinity()
    )
    out = run(tmp_path, events)
    ids = article_ids(out)
    assert list(ids) == [original["url"]]
    dup = ledger(out)["a.jsonl:2"]
    assert dup["duplicate_of"] == ids[original["url"]]
    assert dup["rule"] in ("near_dup_jaccard", "near_dup_containment")
    a, b = (nd.shingle_hashes(t, CFG) for t in (BODIES["steel"], BODIES["steel"] + UPDATE))
    jaccard, containment = nd.similarity(a, b)
    assert dup["similarity"] == pytest.approx(nd.rule_score(dup["rule"], jaccard, containment), abs=1e-3)


def two_landings(first, first_ref, first_at, second, second_ref, second_at):
    return (
        TestStream()
        .advance_watermark_to(first_at)
        .add_elements([TimestampedValue(raw(first, first_ref), first_at)])
        .advance_watermark_to(second_at)  # every window of the first record is closed and written by now
        .add_elements([TimestampedValue(raw(second, second_ref), second_at)])
        .advance_watermark_to_infinity()
    )


def test_near_copy_hours_later_in_a_later_window(tmp_path):
    original = record("chips", T0 + 10)
    copy = near_copy("chips", T0 + 3 * 3600, "https://mirror.example/chips")
    out = run(tmp_path, two_landings(original, "a.jsonl:1", T0 + 10, copy, "b.jsonl:1", T0 + 3 * 3600))
    ids = article_ids(out)
    assert list(ids) == [original["url"]]
    dup = ledger(out)["b.jsonl:1"]
    assert (dup["duplicate_of"], dup["rule"][:9]) == (ids[original["url"]], "near_dup_")
    assert str(dup["scraped_at"].date()) == "2026-11-24"


def test_near_copy_after_the_state_lifetime_is_not_caught(tmp_path):
    original = record("rain", T0 + 10)
    copy = near_copy("rain", T0 + 7200, "https://mirror.example/rain")
    out = run(tmp_path, two_landings(original, "a.jsonl:1", T0 + 10, copy, "b.jsonl:1", T0 + 7200),
              "--state_ttl", "1h")
    assert set(article_ids(out)) == {original["url"], copy["url"]}
    assert ledger(out) == {}


def test_first_to_land_wins_even_when_scraped_later(tmp_path):
    """Streaming keeps the copy it saw first; batch would keep the earlier scrape (see docs/streaming.md)."""
    landed_first = near_copy("coach", T0 + 30, "https://a.example/coach")
    scraped_first = record("coach", T0 + 5, url="https://b.example/coach")
    out = run(tmp_path, two_landings(landed_first, "a.jsonl:1", T0 + 30, scraped_first, "b.jsonl:1", T0 + 90),
              "--allowed_lateness", "1h")
    ids = article_ids(out)
    assert list(ids) == [landed_first["url"]]
    assert ledger(out)["b.jsonl:1"]["duplicate_of"] == ids[landed_first["url"]]


def test_exact_copy_of_a_near_copy_points_at_the_survivor(tmp_path):
    original = record("steel", T0 + 10)
    copy = near_copy("steel", T0 + 70, "https://b.example/steel")
    copy_of_copy = dict(copy, url="https://c.example/steel")  # same body as the near-copy: an exact_content copy
    events = (
        TestStream()
        .add_elements([TimestampedValue(raw(original, "a.jsonl:1"), T0 + 10)])
        .advance_watermark_to(T0 + 70)
        .add_elements([TimestampedValue(raw(copy, "a.jsonl:2"), T0 + 70)])
        .advance_watermark_to(T0 + 130)
        .add_elements([TimestampedValue(raw(copy_of_copy, "a.jsonl:3"), T0 + 130)])
        .advance_watermark_to_infinity()
    )
    out = run(tmp_path, events)
    survivor = article_ids(out)[original["url"]]
    dups = {ref: (r["duplicate_of"], r["rule"]) for ref, r in ledger(out).items()}
    assert dups["a.jsonl:3"] == (survivor, "exact_content")
    assert dups["a.jsonl:2"][0] == survivor


def test_no_near_dup_flag_turns_the_stage_off(tmp_path):
    original = record("steel", T0 + 10)
    copy = near_copy("steel", T0 + 20, "https://other.example/steel-updated")
    events = (
        TestStream()
        .add_elements([TimestampedValue(raw(original, "a.jsonl:1"), T0 + 10),
                       TimestampedValue(raw(copy, "a.jsonl:2"), T0 + 20)])
        .advance_watermark_to_infinity()
    )
    out = run(tmp_path, events, "--no_near_dup")
    assert len(article_ids(out)) == 2


# Beam-free decisions


def entry(landed, name, ref, text=None):
    hashes = nd.shingle_hashes(text or BODIES[name], CFG)
    return snd.Entry((landed, f"2026-11-24T00:00:{landed:02.0f}.000000Z", f"{ref:0>16}"), T0 + landed,
                     snd.shingles32(hashes), ref)


def test_probe_matches_only_entries_ahead_in_the_order():
    first, second = entry(1, "steel", "a1"), entry(2, "steel", "b2", BODIES["steel"] + UPDATE)
    matches, later = snd.probe([first], second, 86400, CFG)
    assert [m.article_id for m in matches] == [first.order[2]] and later == []
    matches, later = snd.probe([second], first, 86400, CFG)
    assert matches == [] and [(to, m.article_id) for to, m in later] == [(("", "b2"), first.order[2])]


def test_probe_ignores_expired_entries_and_other_stories():
    old, new = entry(1, "steel", "a1"), entry(2, "steel", "b2", BODIES["steel"] + UPDATE)
    assert snd.probe([old], new._replace(event_ts=old.event_ts + 7201), 7200, CFG) == ([], [])
    assert snd.probe([entry(1, "rain", "r1")], new, 86400, CFG) == ([], [])


def test_bucket_stores_only_probes_without_an_earlier_match_and_stays_bounded():
    match = snd.Match((1,), "a1", "near_dup_jaccard", 0.9)
    assert snd.should_store([], [], CFG)
    assert not snd.should_store([], [match], CFG)
    assert not snd.should_store([entry(1, "rain", "r1")] * CFG.max_bucket_size, [], CFG)


def test_decide_picks_the_earliest_match_and_the_best_rule():
    early = snd.Match((1, "t", "a"), "a", "near_dup_containment", 0.95)
    late = snd.Match((2, "t", "b"), "b", "near_dup_jaccard", 0.97)
    assert snd.decide(None, [late, early]) == ("a", "near_dup_jaccard", 0.97)
    assert snd.decide(None, []) is None
    # content copy of a near-copy: redirected to the earliest article, keeps its exact rule
    assert snd.decide(("b", "exact_content", 1.0), [late, early]) == ("a", "exact_content", 1.0)
    # URL copy whose survivor is not among the matches: left alone
    assert snd.decide(("z", "exact_url", 1.0), [early]) == ("z", "exact_url", 1.0)


def test_shingles32_is_sorted_unique_low_half():
    packed = np.frombuffer(snd.shingles32(np.array([5 + (1 << 40), 5, 3], dtype=np.uint64)), dtype=np.uint32)
    assert packed.tolist() == [3, 5]


def test_shingles32_takes_current_hashes_as_they_are(monkeypatch):
    """Shingle hashes of this version are already sorted unique uint32: nothing to sort again (nd.low_shingles)."""
    current = nd.shingle_hashes(FIGURES.format("12", "1,900"), CFG)

    def no_sort(*args, **kwargs):
        raise AssertionError("sorted again")

    monkeypatch.setattr(np, "unique", no_sort)
    assert snd.shingles32(current) == current.tobytes()


def test_restarted_job_catches_a_near_copy_of_what_it_wrote_before(tmp_path):
    """The band state is gone after a restart; the buckets are seeded from index/ (stream_state.written_bands)."""
    original = record("chips", T0 + 10)
    first = TestStream().add_elements([TimestampedValue(raw(original, "a.jsonl:1"), T0 + 10)]).advance_watermark_to_infinity()
    out = run(tmp_path, first)
    copy = near_copy("chips", T0 + 600, "https://mirror.example/chips")
    second = TestStream().add_elements([TimestampedValue(raw(copy, "b.jsonl:1"), T0 + 600)]).advance_watermark_to_infinity()
    run(tmp_path, second)
    ids = article_ids(out)
    assert list(ids) == [original["url"]]
    assert ledger(out)["b.jsonl:1"]["duplicate_of"] == ids[original["url"]]


def test_restart_reads_index_files_of_older_schema_beside_current_ones_and_seeds_both(tmp_path):
    """Index files before schema 2 hold 64-bit shingle hashes; the restart seed reads them beside 32-bit ones
    (whichever comes first) and, like batch history, recomputes the bands of the older version's rows from the
    low half of their hashes instead of dropping them."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datetime import datetime, timezone
    from pipelines.core.stream_state import written_bands
    from schemas.articles import INDEX

    def write(dt, article_id, hashes, version, hash_type, band_keys):
        part = tmp_path / "index" / f"dt={dt}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({
            "article_id": [article_id], "canonical_url": ["https://x.example/" + article_id],
            "content_hash": ["0" * 32], "scraped_at": [datetime.fromisoformat(dt).replace(tzinfo=timezone.utc)],
            "near_dup_version": [version], "band_keys": [band_keys],
            "shingle_hashes": pa.array([hashes], pa.list_(hash_type))}, schema=INDEX.set(
                INDEX.get_field_index("shingle_hashes"), pa.field("shingle_hashes", pa.list_(hash_type)))),
            part / "part-0.parquet")

    current = nd.shingle_hashes(FIGURES.format("12", "1,900"), CFG)
    older_keys = [f"{band}:1" for band in range(CFG.bands)]  # keys of the older config: never used as they are
    write("2026-11-20", "00000000000000aa", current.astype(np.uint64) | np.uint64(7 << 40), "2026.11.5", pa.uint64(),
          older_keys)
    write("2026-11-21", "00000000000000bb", current, CFG.version, pa.uint32(), nd.lsh_keys(current, CFG))
    buckets = written_bands(str(tmp_path), 7, CFG)
    assert sorted(buckets) == sorted(nd.lsh_keys(current, CFG))
    assert all([e.order[2] for e in bucket] == ["00000000000000aa", "00000000000000bb"] for bucket in buckets.values())
    for entry in next(iter(buckets.values())):
        assert np.array_equal(np.frombuffer(entry.shingles, dtype=np.uint32), current)


FIGURES = ("Gold rose {} dollars to {} an ounce in London trading as investors sought safety after weak factory "
           "data from Europe and China, while the dollar slipped against the yen and the euro and traders waited "
           "for the central bank to publish the minutes of its last meeting later in the week.")


def test_changed_figures_far_apart_are_another_edition_not_a_copy():
    """The batch figure guard (nd.judge_pair) applies in streaming too: same template, new figures, a day later."""
    today = entry(1, "steel", "a1", FIGURES.format(12, 1950))
    tomorrow = entry(2, "steel", "b2", FIGURES.format(15, 1990))
    assert snd.probe([today], tomorrow, 7 * 86400, CFG)[0], "a correction within hours is a near-copy"
    next_day = tomorrow._replace(event_ts=today.event_ts + 86400)
    assert snd.probe([today], next_day, 7 * 86400, CFG) == ([], [])


def test_band_index_stores_unseen_stories_and_checks_a_shared_candidate_once():
    index = snd.BandIndex(CFG, 86400)
    first = entry(1, "steel", "a1")
    keys = nd.lsh_keys(nd.shingle_hashes(BODIES["steel"], CFG), CFG)
    assert index.judge(first, keys, read_only=False) == ([], [], keys)
    index.add(keys, first)
    copy = entry(2, "steel", "b2", BODIES["steel"] + UPDATE)
    copy_keys = nd.lsh_keys(nd.shingle_hashes(BODIES["steel"] + UPDATE, CFG), CFG)
    matches, later, store = index.judge(copy, copy_keys, read_only=False)
    assert [m.article_id for m in matches] == [first.order[2]], "one match however many bands are shared"
    assert later == [] and set(store) == set(copy_keys) - set(keys), "stored only where the original is absent"
    assert index.judge(copy, copy_keys, read_only=True)[2] == []


def test_band_index_expiry_share_and_live_entries():
    index = snd.BandIndex(CFG, 3600)
    old, new = entry(1, "steel", "a1"), entry(2, "rain", "r1")
    index.add(["0:1"], old)
    index.add(["0:2"], new._replace(event_ts=old.event_ts + 7000))
    assert index.expired_share(old.event_ts + 7200) == 0.5
    assert [e.ref for _, e in index.live(old.event_ts + 7200)] == ["r1"]
