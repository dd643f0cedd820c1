"""Tests for the Beam-free near-duplicate core."""

import subprocess
import sys

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
    assert a.dtype == np.uint64
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
    universe = rng.integers(0, 2**63, 4000, dtype=np.int64).astype(np.uint64)
    a, b = np.unique(universe[:3000]), np.unique(universe[1000:4000])
    true_jaccard, _ = nd.similarity(a, b)
    estimate = float(np.mean(nd.signature(a, CFG) == nd.signature(b, CFG)))
    assert abs(estimate - true_jaccard) < 4 / np.sqrt(CFG.num_perm)


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
