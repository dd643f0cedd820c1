"""Tests for the Beam-free near-duplicate core."""

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from pipelines.core import near_dup as nd
from pipelines.core.near_dup import (
    BandChunks, band_pairs, keys_to_digests, load_config, lsh_digests, lsh_keys, node_article_id, node_of,
    shingle_hashes,
)

CFG = nd.load_config()

STORY = (
    "The Federal Reserve entered the government securities market to arrange 1.5 billion dollars "
    "of customer repurchase agreements, a spokesman said. Dealers said federal funds were trading at "
    "6.25 percent when the central bank began its temporary and indirect supply of reserves to the "
    "banking system, and several analysts expected further operations later in the week as the "
    "quarter end approached and demand for cash rose among the larger money centre banks."
)


def test_shingle_hashes_are_sorted_unique_and_ignore_case_and_punctuation():
    a = nd.shingle_hashes(STORY, CFG)
    b = nd.shingle_hashes(STORY.upper().replace(",", " ;"), CFG)
    assert a.dtype == np.uint32
    assert np.all(a[1:] > a[:-1])
    assert np.array_equal(a, b)


def test_numbers_are_kept():
    changed = STORY.replace("1.5 billion", "2.5 billion")
    jaccard, _ = nd.similarity(nd.shingle_hashes(STORY, CFG), nd.shingle_hashes(changed, CFG))
    assert jaccard < 1.0


def test_short_and_empty_texts():
    assert nd.shingle_hashes("", CFG).size == 0
    assert nd.shingle_hashes("two words", CFG).size == 1
    assert nd.lsh_keys(nd.shingle_hashes("two words", CFG), CFG) == []


def test_hashes_are_stable_across_processes():
    code = ("from pipelines.core import near_dup as nd; cfg = nd.load_config(); "
            "print(nd.band_keys(nd.signature(nd.shingle_hashes('a b c d e f g h', cfg), cfg), cfg)[0])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    local = nd.band_keys(nd.signature(nd.shingle_hashes("a b c d e f g h", CFG), CFG), CFG)[0]
    assert runs == {local + "\n"}


def test_signature_agreement_tracks_jaccard():
    rng = np.random.default_rng(0)
    universe = rng.choice(2**32, 4000, replace=False).astype(np.uint32)
    a, b = np.unique(universe[:3000]), np.unique(universe[1000:4000])
    true_jaccard, _ = nd.similarity(a, b)
    estimate = float(np.mean(nd.signature(a, CFG) == nd.signature(b, CFG)))
    assert abs(estimate - true_jaccard) < 4 / np.sqrt(CFG.num_perm)


def test_older_64_bit_hashes_read_as_their_low_half():
    # index rows written before 2026.11.6 hold the full 64-bit hash; its low half is today's shingle hash
    current = nd.shingle_hashes(STORY, CFG)
    high = np.random.default_rng(1).integers(1, 2**31, current.size).astype(np.uint64) << np.uint64(32)
    older = np.sort(high | current.astype(np.uint64))
    assert np.array_equal(nd.low_shingles(older), current)
    assert np.array_equal(nd.lsh_digests(older, CFG), nd.lsh_digests(current, CFG))
    assert nd.low_shingles(current) is current  # already in the current form: no copy


def test_index_rows_of_another_version_get_their_bands_recomputed():
    current = nd.shingle_hashes(STORY, CFG)
    older = current.astype(np.uint64) | np.uint64(3 << 40)
    expected = nd.lsh_digests(current, CFG)
    stale = [f"{band}:1" for band in range(CFG.bands)]
    assert np.array_equal(nd.index_row_digests("2026.11.5", stale, older, CFG), expected)
    assert np.array_equal(nd.index_row_digests(CFG.version, nd.lsh_keys(current, CFG), None, CFG), expected)
    assert nd.index_row_digests(CFG.version, [], current[:2], CFG).size == 0  # too short to judge


def test_batch_fingerprints_equal_the_per_article_ones():
    texts = [STORY, "", "one", "a b c d", "a b c d e", MONDAY, TUESDAY, "Zürich 2026 – ‘quoted’ ñandú 3,5 text…",
             "x " * 3, " ".join(STORY.split()[:6])]
    tokens = [nd.tokenize(t) for t in texts]
    for cfg in (CFG, replace(CFG, num_perm=126, bands=42, rows=3), replace(CFG, shingle_size=3, min_shingles=1)):
        hashes, digests = nd.fingerprints_of_tokens(tokens, cfg)
        for t, h, d in zip(tokens, hashes, digests):
            alone = nd.shingle_hashes_of_tokens(t, cfg)
            assert h.dtype == np.uint32 and np.array_equal(h, alone)
            assert d.dtype == np.uint64 and np.array_equal(d, nd.lsh_digests(alone, cfg))
    assert nd.fingerprints_of_tokens([[], []], CFG)[1][0].size == 0


def test_band_keys_shape_and_identity():
    sig = nd.signature(nd.shingle_hashes(STORY, CFG), CFG)
    keys = nd.band_keys(sig, CFG)
    assert len(keys) == CFG.bands and len(set(keys)) == CFG.bands
    assert keys == nd.band_keys(sig.copy(), CFG)


def test_similarity_containment_for_truncation():
    full = nd.shingle_hashes(STORY, CFG)
    cut = nd.shingle_hashes(" ".join(STORY.split()[:35]), CFG)
    jaccard, containment = nd.similarity(full, cut)
    assert containment == 1.0 and jaccard < CFG.jaccard_threshold
    assert nd.match_rule(jaccard, containment, CFG) == "near_dup_containment"


def test_lowest_bit_marks_shingles_that_hold_a_figure():
    cfg = nd.NearDupConfig(shingle_size=2, num_perm=4, bands=2, rows=2)
    words = nd.shingle_hashes("alpha beta gamma", cfg) & np.uint32(1)
    figures = nd.shingle_hashes("alpha 42 gamma", cfg) & np.uint32(1)
    assert words.tolist() == [0, 0] and figures.tolist() == [1, 1]


FED = ("The Federal Reserve entered the government securities market to arrange {amount} billion dollars of "
       "customer repurchase agreements, a spokesman said. Dealers said federal funds were trading at {rate} "
       "percent when the Fed began its temporary and indirect supply of reserves to the banking system.")
MONDAY, TUESDAY = FED.format(amount="1.5", rate="6.25"), FED.format(amount="1.5", rate="6.75")
DAY = 24 * 3600


def test_figure_change_needs_a_figure_replaced_on_both_sides():
    monday, tuesday = nd.shingle_hashes(MONDAY, CFG), nd.shingle_hashes(TUESDAY, CFG)
    cut = nd.shingle_hashes(" ".join(MONDAY.split()[:25]), CFG)
    reworded = nd.shingle_hashes(MONDAY.replace("a spokesman said", "officials said"), CFG)
    assert nd.figure_change(monday, tuesday)
    assert not nd.figure_change(monday, cut)
    assert not nd.figure_change(monday, reworded)


def test_judge_pair_next_edition_is_a_conflict_but_a_same_day_change_is_a_correction():
    monday, tuesday = nd.shingle_hashes(MONDAY, CFG), nd.shingle_hashes(TUESDAY, CFG)
    assert nd.judge_pair(monday, tuesday, DAY, CFG)[0] == nd.FIGURE_CONFLICT
    assert nd.judge_pair(monday, tuesday, 2 * 3600, CFG)[0] in ("near_dup_jaccard", "near_dup_containment")
    other = ("Grain traders in Chicago said export demand for soybeans picked up sharply this week after buyers "
             "in the Netherlands and Japan booked cargoes for spring shipment.")
    assert nd.judge_pair(monday, nd.shingle_hashes(other, CFG), 0, CFG) == (None, 0.0)


def test_judge_pair_batch_agrees_with_judge_pair():
    texts = [MONDAY, TUESDAY, " ".join(MONDAY.split()[:25]), MONDAY.replace("said", "told reporters"), STORY,
             "Grain traders in Chicago said export demand for soybeans picked up sharply this week."]
    sets = [nd.shingle_hashes(t, CFG) for t in texts]
    offsets = np.concatenate(([0], np.cumsum([s.size for s in sets])))
    a, b = np.triu_indices(len(sets), 1)
    gaps = (b - a) * 10.0 * 3600
    codes, scores = nd.judge_pair_batch(np.concatenate(sets), offsets, a, b, gaps, CFG)
    expected = [nd.judge_pair(sets[i], sets[j], g, CFG) for i, j, g in zip(a, b, gaps)]
    assert [(nd.RULES[c], round(float(s), 9) if c else 0.0) for c, s in zip(codes, scores)] == \
        [(r, round(s, 9)) for r, s in expected]
    assert {nd.RULES[c] for c in codes} >= {None, nd.FIGURE_CONFLICT, "near_dup_containment"}


def test_select_edges_keeps_a_fragment_from_bridging_a_conflict():
    # nodes sort in survivor order: a_mon first
    edges = [("a_mon", "b_tue", nd.FIGURE_CONFLICT, 0.7), ("a_mon", "c_cut", "near_dup_containment", 1.0),
             ("b_tue", "c_cut", "near_dup_containment", 0.98), ("a_mon", "d_copy", "near_dup_jaccard", 0.9)]
    kept = nd.select_edges(edges)
    assert ("a_mon", "c_cut") in kept and ("b_tue", "c_cut") not in kept and ("a_mon", "d_copy") in kept
    assert nd.resolve_edges(edges) == {"c_cut": ("a_mon", "near_dup_containment", 1.0),
                                       "d_copy": ("a_mon", "near_dup_jaccard", 0.9)}


def test_find_near_duplicates_template_editions_and_corrections():
    items = [("mon", "2026-02-02T11:45:00.000000Z", MONDAY), ("tue", "2026-02-03T11:45:00.000000Z", TUESDAY),
             ("fix", "2026-02-02T13:00:00.000000Z", MONDAY.replace("1.5", "1.25"))]
    assert nd.find_near_duplicates(items, CFG) == {"fix": ("mon", "near_dup_jaccard", pytest.approx(0.8, abs=0.2))}


def test_match_rule():
    assert nd.match_rule(0.95, 0.95, CFG) == "near_dup_jaccard"
    assert nd.match_rule(0.1, 0.2, CFG) is None


def test_cluster_survivor_is_earliest_then_smallest_id():
    order = {"b": ("2026-01-01", "b"), "a": ("2026-01-01", "a"), "c": ("2025-12-31", "c"), "x": ("2026", "x")}
    assert nd.cluster([("a", "b"), ("b", "c")], order) == {"a": "c", "b": "c", "c": "c"}
    assert nd.cluster([("b", "a")], order) == {"a": "a", "b": "a"}


def test_find_near_duplicates_keeps_history_as_survivor():
    items = [("new", "2026-02-02T00:00:00.000000Z", STORY)]
    history = [("old", "2026-02-03T00:00:00.000000Z", nd.shingle_hashes(STORY, CFG))]
    assert nd.find_near_duplicates(items, CFG, history)["new"][:2] == ("old", "near_dup_jaccard")


def test_fingerprint_rows_columns():
    row = nd.fingerprint_rows({"article_id": "x", "text": STORY, "scraped_at": "2026-02-02T10:00:00.000000Z"}, CFG)
    assert row["dt"] == "2026-02-02"
    assert len(row["band_keys"]) == CFG.bands
    assert row["shingle_hashes"] == sorted(row["shingle_hashes"])


def test_config_rejects_inconsistent_bands(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("num_perm: 100\nbands: 32\nrows: 4\n")
    with pytest.raises(ValueError):
        nd.load_config(path)


def test_lookback_dates():
    days = nd.lookback_dates("2026-03-01", CFG)
    assert len(days) == CFG.lookback_days and days[-1] == "2026-02-28"


def test_band_chunks_pair_members_of_a_bucket_in_survivor_order_and_never_two_published():
    cfg = load_config()
    text = ("Grain traders in Chicago said export demand for soybeans picked up sharply this week after buyers "
            "in the Netherlands and Japan booked cargoes for spring shipment.")
    digests = lsh_digests(shingle_hashes(text, cfg), cfg)
    chunks = BandChunks(cfg)
    late = node_of("00000000000000aa", "2026-11-24T08:00:00.000000Z")
    early = node_of("00000000000000bb", "2026-11-24T07:00:00.000000Z")
    published = [node_of(f"00000000000000c{i}", "2026-11-20T07:00:00.000000Z", True) for i in range(2)]
    for node in [late, early, *published]:
        chunks.add(node, digests)
    first_band = list(chunks.drain())[0][1]
    pairs = list(band_pairs([first_band], cfg))
    assert (early, late) in pairs and (published[0], early) in pairs
    assert (published[0], published[1]) not in pairs
    assert node_article_id(late) == "00000000000000aa"
    assert keys_to_digests(lsh_keys(shingle_hashes(text, cfg), cfg)).tolist() == digests.tolist()


def test_power_tables_seen_by_another_thread_while_they_grow_are_one_pair(monkeypatch):
    """Growing the hash power tables must never let another thread pair new powers with old, shorter inverse
    powers (an IndexError in a DoFn): it sees the old pair or the new one."""
    import threading

    cumprod, seen = np.cumprod, []

    def cumprod_then_look(*args, **kwargs):
        out = cumprod(*args, **kwargs)
        reader = threading.Thread(target=lambda: seen.append(nd._powers(1)))
        reader.start()
        reader.join()
        return out

    grown = nd._powers(0)[0].size + 1
    monkeypatch.setattr(np, "cumprod", cumprod_then_look)
    powers, inverse = nd._powers(grown)
    monkeypatch.undo()
    assert powers.size == inverse.size >= grown
    assert seen and all(p.size == i.size for p, i in seen)


def test_power_tables_for_an_outlier_text_are_right_but_not_kept(monkeypatch):
    monkeypatch.setattr(nd, "_MAX_KEPT_POWERS", 8192)
    kept = nd._powers(0)
    powers, inverse = nd._powers(max(kept[0].size, 8192) + 1)
    assert powers.size == inverse.size > 8192 and nd._powers(0) is kept
    assert np.all(powers[:100] * inverse[:100] == 1)  # BASE**i * BASE**-i = 1 mod 2**64


def test_a_real_url_survives_a_placeholder_copy_scraped_earlier():
    # a .txt copy gets the run date's midnight as its scrape time; the page with an address was scraped at 09:00
    items = [("page", "2026-02-02T00:00:00.000000Z", STORY, "urn:newsflow:txt:004.txt:0123456789abcdef"),
             ("real", "2026-02-02T09:00:00.000000Z", STORY + " Shares closed higher.", "https://e.com/news/x")]
    assert nd.find_near_duplicates(items, CFG)["page"][0] == "real"
    history = [("old", "2026-02-03T00:00:00.000000Z", nd.shingle_hashes(STORY, CFG))]
    dropped = nd.find_near_duplicates(items, CFG, history)
    assert {m: s for m, (s, _, _) in dropped.items()} == {"page": "old", "real": "old"}


def test_placeholder_nodes_rank_after_real_ones_and_still_pair_with_each_other():
    cfg = load_config()
    digests = lsh_digests(shingle_hashes(STORY, cfg), cfg)
    real = node_of("00000000000000bb", "2026-11-24T09:00:00.000000Z")
    pages = [node_of(f"00000000000000a{i}", "2026-11-24T00:00:00.000000Z", url=f"urn:newsflow:txt:p{i}.txt:0")
             for i in range(2)]
    published = node_of("00000000000000cc", "2026-11-24T10:00:00.000000Z", True)
    assert published < real < pages[0]
    chunks = BandChunks(cfg)
    for node in pages:
        chunks.add(node, digests)
    pairs = list(band_pairs([list(chunks.drain())[0][1]], cfg))
    assert pairs == [(pages[0], pages[1])]
    edges = [(real, pages[0], "near_dup_jaccard", 0.9), (pages[0], pages[1], "near_dup_jaccard", 1.0)]
    assert {m: s for m, (s, _, _) in nd.resolve_edges(edges).items()} == {pages[0]: real, pages[1]: real}


def test_a_web_url_survives_an_archived_file_copy_and_the_copy_a_placeholder():
    # A page archived twice (its https response and a saved local copy, file:), near-duplicates of each other: the
    # web address is published whatever the scrape times, as exact dedup ranks them (urls.url_rank).
    items = [("local", "2026-02-02T08:00:00.000000Z", STORY, "file:///home/ana/Downloads/x.html"),
             ("web", "2026-02-02T09:00:00.000000Z", STORY + " Shares closed higher.", "https://e.com/news/x")]
    assert nd.find_near_duplicates(items, CFG)["local"][0] == "web"
    items = [("page", "2026-02-02T00:00:00.000000Z", STORY, "urn:newsflow:txt:004.txt:0123456789abcdef"),
             ("local", "2026-02-02T08:00:00.000000Z", STORY + " Shares closed higher.", "file:///tmp/x.html")]
    assert nd.find_near_duplicates(items, CFG)["page"][0] == "local"


def test_nodes_rank_published_then_web_then_file_then_placeholder():
    stamp = "2026-11-24T09:00:00.000000Z"
    published = node_of("00000000000000aa", stamp, True, "file:///tmp/x.html")
    web = node_of("00000000000000ab", stamp, url="https://e.com/news/x")
    local = node_of("00000000000000ac", "2026-11-24T01:00:00.000000Z", url="file:///tmp/x.html")
    page = node_of("00000000000000ad", "2026-11-24T00:00:00.000000Z", url="urn:newsflow:txt:p.txt:0")
    assert published < web < local < page
    assert node_of("00000000000000ae", stamp) == node_of("00000000000000ae", stamp, url="https://e.com/y")
