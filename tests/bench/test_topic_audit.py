"""bench/topic_audit.py: the stratified sampler (reproducible, weights N/n) and the metric code."""

import io
import math

import pytest

from bench import topic_audit as ta


def _docs():
    # 6 coded (Reuters `trade`), 10 naming a trade word, 30 others
    docs = [{"id": f"d{i:02d}", "title": "T", "text": "nothing here", "topics": ["trade"]} for i in range(6)]
    docs += [{"id": f"k{i:02d}", "title": "T", "text": "exports rose", "topics": ["corn"]} for i in range(10)]
    docs += [{"id": f"o{i:02d}", "title": "T", "text": "a dividend", "topics": ["earn"]} for i in range(30)]
    return docs


def test_stratify_uses_codes_dev_labels_and_words():
    docs = _docs()
    dev = {"o00": {"trade-tariffs"}}  # a dev-set positive without the code goes to "coded" too
    strata = ta.stratify("trade-tariffs", docs, dev)
    assert len(strata["coded"]) == 7 and "o00" in strata["coded"]
    assert len(strata["keyword"]) == 10
    assert len(strata["other"]) == 29


def test_draw_is_reproducible_and_weights_are_n_over_sample():
    strata = ta.stratify("trade-tariffs", _docs(), {})
    sizes = {"coded": 3, "keyword": 4, "other": 100}  # "other" asks for more than there are: take all
    a = ta.draw("trade-tariffs", strata, sizes, seed=5)
    b = ta.draw("trade-tariffs", strata, sizes, seed=5)
    c = ta.draw("trade-tariffs", strata, sizes, seed=6)
    assert a == b
    assert [p.id for p in a] != [p.id for p in c]
    by = {}
    for p in a:
        by.setdefault(p.stratum, []).append(p)
    assert {s: len(v) for s, v in by.items()} == {"coded": 3, "keyword": 4, "other": 30}
    assert {s: v[0].weight for s, v in by.items()} == {"coded": 2.0, "keyword": 2.5, "other": 1.0}
    # weights add back up to the stratum sizes
    assert {s: sum(p.weight for p in v) for s, v in by.items()} == {"coded": 6, "keyword": 10, "other": 30}
    assert len({p.id for p in a}) == len(a)


def test_extra_draw_keeps_the_first_draw_and_reweights():
    strata = ta.stratify("trade-tariffs", _docs(), {})
    sizes = {"coded": 3, "keyword": 4, "other": 5}
    first = ta.draw("trade-tariffs", strata, sizes, seed=5)
    both = ta.draw("trade-tariffs", strata, sizes, seed=5, extra={"keyword": 4})
    assert both == ta.draw("trade-tariffs", strata, sizes, seed=5, extra={"keyword": 4})
    kw1 = {p.id for p in first if p.stratum == "keyword"}
    kw2 = [p for p in both if p.stratum == "keyword"]
    assert kw1 < {p.id for p in kw2} and len(kw2) == 8
    assert all(p.weight == 10 / 8 for p in kw2)
    # other strata untouched
    assert [p for p in first if p.stratum != "keyword"] == [p for p in both if p.stratum != "keyword"]
    # asking for more than is left takes the rest
    rest = ta.draw("trade-tariffs", strata, sizes, seed=5, extra={"keyword": 99})
    assert len([p for p in rest if p.stratum == "keyword"]) == 10


def test_dump_shows_only_id_title_text():
    docs = {d["id"]: d for d in _docs()}
    picks = [ta.Pick("d00", "trade-tariffs", "coded", 2.0), ta.Pick("k01", "trade-tariffs", "keyword", 2.5)]
    buf = io.StringIO()
    ta.dump(picks, docs, buf)
    text = buf.getvalue()
    assert "d00" in text and "k01" in text and "exports rose" in text
    for leak in ("coded", "keyword", "corn", "2.5", "weight"):
        assert leak not in text


def test_score_weighted_and_raw():
    # (weight, gold, pred): 2 tp (w 1), 1 fp (w 10), 1 fn (w 4), 1 tn
    items = [(1.0, 1, 1), (1.0, 1, 1), (10.0, 0, 1), (4.0, 1, 0), (5.0, 0, 0)]
    raw = ta.score([(1.0, g, p) for _, g, p in items])
    assert (raw.tp, raw.fp, raw.fn, raw.tn) == (2, 1, 1, 1)
    assert raw.precision == pytest.approx(2 / 3) and raw.recall == pytest.approx(2 / 3)
    w = ta.score(items)
    assert w.precision == pytest.approx(2 / 12) and w.recall == pytest.approx(2 / 6)
    assert w.f1 == pytest.approx(2 * (2 / 12) * (2 / 6) / (2 / 12 + 2 / 6))
    assert math.isnan(ta.score([(1.0, 0, 0)]).precision)


def test_wilson_known_values():
    lo, hi = ta.wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)
    lo, hi = ta.wilson(0, 25)
    assert lo == 0.0 and hi == pytest.approx(0.1332, abs=1e-3)


def test_bootstrap_and_agreement():
    perfect = [("a", 2.0, 1, 1)] * 5 + [("b", 3.0, 0, 0)] * 5
    ci = ta.stratified_bootstrap(perfect, reps=200)
    assert ci["precision"] == (1.0, 1.0) and ci["recall"] == (1.0, 1.0)
    mixed = [("a", 1.0, 1, 1)] * 8 + [("a", 1.0, 1, 0)] * 2 + [("b", 1.0, 0, 1)] * 1 + [("b", 1.0, 0, 0)] * 9
    ci = ta.stratified_bootstrap(mixed, reps=500, seed=3)
    assert ci["recall"][0] < 0.8 < ci["recall"][1] and ci["precision"][1] <= 1.0
    ag = ta.agreement([(1.0, 1, 1), (2.0, 1, 0), (1.0, 0, 1), (4.0, 0, 0)])
    assert (ag["agree"], ag["n"], ag["blind_pos_other_neg"], ag["blind_neg_other_pos"]) == (2, 4, 1, 1)
    assert ag["rate"] == 0.5 and ag["weighted_rate"] == pytest.approx(5 / 8)


def test_real_sample_is_reproducible_and_fully_labelled():
    if not ta.REUTERS.exists():
        pytest.skip(f"{ta.REUTERS} is not on this machine")
    from bench.topic_audit_labels import LABELS

    docs = ta.load_heldout()
    dev = ta.devset_labels()
    a, b = ta.sample(docs, dev), ta.sample(docs, dev)
    assert a == b
    assert all(ta.split_of(p.id) == "heldout" for picks in a.values() for p in picks)
    assert len(a["trade-tariffs"]) == 170  # 45 coded + 50 + 50 keyword (two draws) + 25 other
    for topic, picks in a.items():
        # the committed blind labels cover exactly the sample the sampler draws
        assert {p.id for p in picks} == set(LABELS[topic])


def test_fresh_round_leaves_out_seen_docs_and_reweights_over_the_rest():
    docs = _docs()
    seen = {"d00", "d01", "k00", "k01", "k02", "k03", "o00"}
    rounds = {2: {"seed": 9, "sizes": {"trade-tariffs": {"coded": 2, "keyword": 3, "other": 4}}}}
    a = ta.fresh_sample(2, docs, {}, seen=seen, rounds=rounds)["trade-tariffs"]
    assert a == ta.fresh_sample(2, docs, {}, seen=seen, rounds=rounds)["trade-tariffs"]
    assert not {p.id for p in a} & seen
    by = {}
    for p in a:
        by.setdefault(p.stratum, []).append(p)
    assert {s: len(v) for s, v in by.items()} == {"coded": 2, "keyword": 3, "other": 4}
    # weights: the unseen docs of the stratum over the sample size (4 coded, 6 keyword, 29 other left)
    assert {s: v[0].weight for s, v in by.items()} == {"coded": 2.0, "keyword": 2.0, "other": 29 / 4}
    other_seed = {2: dict(rounds[2], seed=10)}
    assert a != ta.fresh_sample(2, docs, {}, seen=seen, rounds=other_seed)["trade-tariffs"]


def test_fresh_round_subnets_carve_strata_out_of_other():
    docs = _docs() + [{"id": f"m{i:02d}", "title": "T", "text": "a zinc mine", "topics": ["zinc"]} for i in range(8)]
    rounds = {3: {"seed": 1, "sizes": {"trade-tariffs": {"metals": 5, "other": 3}},
                  "subnets": {"trade-tariffs": {"metals": r"\bmine\b"}}}}
    a = ta.fresh_sample(3, docs, {}, seen=set(), rounds=rounds)["trade-tariffs"]
    assert sorted({p.stratum for p in a}) == ["metals", "other"]
    assert all(p.id.startswith("m") and p.weight == 8 / 5 for p in a if p.stratum == "metals")
    assert all(p.id.startswith("o") and p.weight == 10.0 for p in a if p.stratum == "other")


def test_seen_before_takes_round_one_and_earlier_fresh_rounds_only():
    labels = {"trade-tariffs": {"a": (1, "")}, "semiconductors": {"b": (0, "")}}
    rounds = {2: {"trade-tariffs": {"c": (1, "")}}, 3: {"critical-minerals": {"d": (0, "")}}}
    assert ta.seen_before(2, labels, rounds) == {"a", "b"}
    assert ta.seen_before(3, labels, rounds) == {"a", "b", "c"}
    assert ta.seen_before(4, labels, rounds) == {"a", "b", "c", "d"}


def test_real_fresh_rounds_are_disjoint_from_earlier_rounds_and_fully_labelled():
    if not ta.REUTERS.exists():
        pytest.skip(f"{ta.REUTERS} is not on this machine")
    from bench.topic_audit_labels import ROUND_LABELS

    docs = ta.load_heldout()
    dev = ta.devset_labels()
    for rnd, by_topic in ROUND_LABELS.items():
        picks = ta.fresh_sample(rnd, docs, dev)
        earlier = ta.seen_before(rnd)
        for topic, tp in picks.items():
            ids = {p.id for p in tp}
            assert not ids & earlier
            assert all(ta.split_of(i) == "heldout" for i in ids)
            assert ids == set(by_topic[topic])
    assert len(ROUND_LABELS[2]["trade-tariffs"]) == 120  # 40 coded + 60 keyword + 20 other


_STORY = ("Canada's import tribunal ruled that subsidized U.S. corn imports are injuring Canadian farmers "
          "and upheld a countervailing duty of 85 cents a bushel, officials said on Friday in Ottawa.")


def test_near_copies_finds_retransmissions_not_same_template_stories():
    seen = [{"id": "s1", "title": "CANADA UPHOLDS CORN DUTY", "text": _STORY},
            {"id": "s2", "title": "ACME SETS QUARTERLY", "text": "Qtly div 10 cts vs 10 cts prior, pay April 1"}]
    cands = [
        # a retransmission under a new id: new header, same text plus a correction line
        {"id": "c1", "title": "(CORRECTED) - CANADA UPHOLDS CORN DUTY", "text": _STORY + " Corrects date."},
        # a shortened repeat inside a longer seen story still counts (the smaller doc is the base)
        {"id": "c2", "title": "CANADA CORN", "text": _STORY[:120]},
        # another company's dividend: same template, other numbers
        {"id": "c3", "title": "BETA CORP SETS QUARTERLY", "text": "Qtly div 25 cts vs 22 cts prior, pay May 15"},
        {"id": "c4", "title": "JAPAN TRADE SURPLUS", "text": "Japan's trade surplus rose to 8.1 billion dlrs."},
    ]
    assert ta.near_copies(cands, seen, 0.7) == {"c1": "s1", "c2": "s1"}
    assert ta.near_copies(cands, seen, 1.01) == {}
    assert ta.shingles("a b c") == frozenset(["a b c"]) and len(ta.shingles("a b c d e f g")) == 3


def test_fresh_round_with_near_copies_leaves_out_copies_of_seen_docs():
    docs = _docs()
    docs[0] = dict(docs[0], text=_STORY)                       # d00, seen
    docs[1] = dict(docs[1], title="T (REPEAT)", text=_STORY)   # d01, unseen but a copy of d00
    rounds = {4: {"seed": 9, "sizes": {"trade-tariffs": {"coded": 99, "keyword": 99, "other": 99}},
                  "near_copies": 0.7},
              5: {"seed": 9, "sizes": {"trade-tariffs": {"coded": 99, "keyword": 99, "other": 99}}}}
    pool, copies = ta.fresh_pool(4, docs, {"d00"}, rounds)
    assert copies == {"d01": "d00"} and "d01" not in {d["id"] for d in pool}
    a = ta.fresh_sample(4, docs, {}, seen={"d00"}, rounds=rounds)["trade-tariffs"]
    coded = [p for p in a if p.stratum == "coded"]
    assert {p.id for p in coded} == {f"d{i:02d}" for i in range(2, 6)} and all(p.weight == 1.0 for p in coded)
    # a round without near_copies leaves out seen ids only (rounds 2 and 3 were drawn that way)
    b = ta.fresh_sample(5, docs, {}, seen={"d00"}, rounds=rounds)["trade-tariffs"]
    assert "d01" in {p.id for p in b}


def test_real_dev_sample_is_dev_split_stratified_and_fully_labelled():
    if not ta.REUTERS.exists():
        pytest.skip(f"{ta.REUTERS} is not on this machine")
    from bench.topic_audit_labels import DEV_LABELS, LABELS, ROUND_LABELS

    docs = ta.load_heldout(split="dev")
    dev = ta.devset_labels()
    a, seed = ta.dev_sample(docs, dev)
    assert (a, seed) == ta.dev_sample(docs, dev)
    picks = a["trade-tariffs"]
    # tuning data only: every doc is in the dev split, none in a held-out round
    assert all(ta.split_of(p.id) == "dev" for p in picks)
    heldout_labelled = {i for by in LABELS.values() for i in by} | {
        i for by_topic in ROUND_LABELS.values() for by in by_topic.values() for i in by}
    assert not {p.id for p in picks} & heldout_labelled
    by = {}
    for p in picks:
        by[p.stratum] = by.get(p.stratum, 0) + 1
    assert by == ta.DEV_SAMPLE["sizes"]["trade-tariffs"]
    assert {p.id for p in picks} == set(DEV_LABELS["trade-tariffs"])


def test_dev_split_audit_runs_on_the_dev_labels():
    if not ta.REUTERS.exists():
        pytest.skip(f"{ta.REUTERS} is not on this machine")
    out = io.StringIO()
    assert ta.audit(out, split="dev") == 0
    text = out.getvalue()
    assert "dev split" in text and "== trade-tariffs: 150 sampled docs" in text and "unlabelled" not in text
