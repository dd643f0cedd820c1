"""The bundled samples through the whole job, checked against the generator's gold labels."""
import json
import os
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from pipelines import news_pipeline
from pipelines.core.text_metrics import shingle_prf
from tests.conftest import REPO

DATES = sorted(name[:-len(".jsonl")] for name in os.listdir(os.path.join(REPO, "samples", "gold")))
NAMED = ["rare-earths", "critical-minerals", "semiconductors", "export-controls", "trade-tariffs",
         "artificial-intelligence", "telecom"]


def run_date(out, dt):
    raw = os.path.join(REPO, "samples", "raw", dt)
    return news_pipeline.run([
        "--input", f"{raw}/*.jsonl", "--input", f"{raw}/*.jsonl.gz", "--input", f"{raw}/pages/*.txt",
        "--output", out, "--run_date", dt, "--quiet",
    ])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every sample date in order into one output: copies of earlier days' stories are caught through the index."""
    out = str(tmp_path_factory.mktemp("samples") / "out")
    return out, {dt: run_date(out, dt) for dt in DATES}


@pytest.fixture(params=DATES)
def published(request, runs):
    out, reports = runs
    dt = request.param
    gold = [json.loads(line) for line in open(os.path.join(REPO, "samples", "gold", f"{dt}.jsonl"), encoding="utf-8")]
    return out, reports[dt], gold, dt


def test_every_sample_date_has_raw_input_and_gold():
    assert len(DATES) >= 3
    assert DATES == sorted(os.listdir(os.path.join(REPO, "samples", "raw")))


def _articles(out, dt=None):
    path = os.path.join(out, "articles", f"dt={dt}") if dt else os.path.join(out, "articles")
    rows = pq.read_table(path).to_pylist()
    # one row per article: the copy in its primary partition
    return {r["url"]: r for r in rows if r["topic"] == (r["primary_topic"] or "untagged")}


def test_report_balances_and_counts_every_input_file(published):
    out, report, gold, _ = published
    assert report["balanced"] and report["problems"] == []
    assert report["records_read"] == len(gold)
    assert {os.path.basename(i["path"]) for i in report["inputs"]} >= {"wire.jsonl", "sites.jsonl.gz"}


def test_every_planted_bad_record_is_rejected_with_its_reason(published):
    out, _, gold, dt = published
    rejected = pq.read_table(os.path.join(out, "rejected", f"dt={dt}")).to_pylist()
    got = {(os.path.basename(r["input_ref"].rsplit(":", 1)[0]), r["input_ref"].rsplit(":", 1)[1], r["reason"])
           for r in rejected if ":" in r["input_ref"]}
    expected = {(g["file"], str(g["line"]), g["reason"]) for g in gold if g.get("expect") == "rejected"}
    assert expected and got == expected


def _gold_name(g):
    """A gold entry names a record by its URL, or a .txt page (which has none) by its file."""
    return g["url"] if "url" in g else os.path.basename(g["file"])


def _ledger_name(row):
    return os.path.basename(row["input_ref"]) if row["url"].startswith("urn:") else row["url"]


def test_every_planted_duplicate_points_at_its_original(published):
    out, _, gold, dt = published
    articles = _articles(out)  # every date: an original may have been published on an earlier one
    ledger = {_ledger_name(r): r for r in pq.read_table(os.path.join(out, "duplicates", f"dt={dt}")).to_pylist()}
    expected = [g for g in gold if g.get("expect") == "duplicate_of"]
    if dt != DATES[0]:
        assert any(articles[g["of"]]["dt"] != dt for g in expected), "the samples plant cross-date copies"
    assert sorted(ledger) == sorted(_gold_name(g) for g in expected)
    for g in expected:
        assert ledger[_gold_name(g)]["duplicate_of"] == articles[g["of"]]["article_id"], _gold_name(g)


def test_cleaned_articles_match_the_gold_text(published):
    out, _, gold, dt = published
    articles = _articles(out, dt)
    by_file = {os.path.basename(a["input_ref"]): a for a in articles.values() if a["url"].startswith("urn:")}
    scores = []
    gold = [dict(g, file=os.path.basename(g["file"])) if "file" in g else g for g in gold]
    for g in gold:
        if "gold_text" not in g:
            continue
        a = articles.get(g["url"]) if "url" in g else by_file.get(g["file"])
        assert a is not None, g.get("url", g.get("file"))
        prf = shingle_prf(f"{a['title']}\n\n{a['text']}", f"{g['gold_title']}\n\n{g['gold_text']}")
        scores.append(prf.f1)
    mean = sum(scores) / len(scores)
    assert len(scores) > 80 and mean >= 0.95, f"mean shingle F1 {mean:.3f} over {len(scores)} articles"


# On this date the tagger adds export-controls to rare-earth stories the generator labels rare-earths only
# ("... as export licences trickle out": a licence named in the headline, which the definition lets count): P 0.71.
# 2026-11-26 passes since taxonomy r26. A taxonomy-versus-gold question; the gold is fixed. Strict, so a fix shows
# up.
_TOPIC_GAPS = {"2026-11-24"}


@pytest.mark.parametrize("published", [
    pytest.param(dt, marks=pytest.mark.xfail(strict=True, raises=AssertionError,
                                             reason="export-controls precision below 0.8 on rare-earth stories"))
    if dt in _TOPIC_GAPS else dt
    for dt in DATES], indirect=True)
def test_named_topics_are_found_on_the_samples(published):
    out, _, gold, dt = published
    articles = _articles(out, dt)
    by_file = {os.path.basename(a["input_ref"]): a for a in articles.values() if a["url"].startswith("urn:")}
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    gold = [dict(g, file=os.path.basename(g["file"])) if "file" in g else g for g in gold]
    for g in gold:
        if "gold_topics" not in g:
            continue
        a = articles.get(g["url"]) if "url" in g else by_file.get(g["file"])
        got, want = set(a["topics"]), set(g["gold_topics"])
        if "rare-earths" in want:  # the definition of critical-minerals includes rare earths; the generator's labels do not
            want.add("critical-minerals")
        for t in NAMED:
            tp[t] += t in got and t in want
            fp[t] += t in got and t not in want
            fn[t] += t in want and t not in got
    for t in NAMED:
        assert tp[t] + fn[t] > 0, f"samples have no {t} article"
        precision = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        recall = tp[t] / (tp[t] + fn[t])
        assert precision >= 0.8 and recall >= 0.8, f"{t}: P={precision:.2f} R={recall:.2f}"
