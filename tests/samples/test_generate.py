"""The sample corpus: deterministic, committed copy up to date, records within the raw contract, gold consistent."""

import gzip
import html
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from samples import generate

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SCHEMA = json.loads((REPO / "schemas" / "raw_record.schema.json").read_text())
SIZE_LIMIT = 200 * 1024
DEFAULT_TOPICS = {
    "rare-earths", "critical-minerals", "semiconductors", "export-controls", "trade-tariffs",
    "artificial-intelligence", "telecom", "economy-markets", "energy", "politics-government",
    "conflict-security", "health", "science", "sport",
}
JUNK_LINES = {"ad-image", "Opinion", "View All", "Subscribe", "Sign in", "Skip to content"}


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run_generator(out: Path) -> dict:
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(out)], check=True)
    return _tree(out)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return _run_generator(tmp_path_factory.mktemp("fresh"))


def test_generator_is_byte_identical_across_runs(fresh, tmp_path):
    again = _run_generator(tmp_path)
    assert fresh.keys() == again.keys()
    assert [k for k in fresh if fresh[k] != again[k]] == []


def test_committed_samples_equal_a_fresh_run(fresh):
    committed = {k: v for k, v in _tree(SAMPLES).items() if k.startswith(("raw/", "gold/"))}
    assert committed.keys() == fresh.keys()
    for name, data in fresh.items():
        # gzip bytes can differ between zlib builds; the content must not.
        if name.endswith(".gz"):
            assert gzip.decompress(committed[name]) == gzip.decompress(data), name
        else:
            assert committed[name] == data, name


def contract_reason(raw: bytes, date: str):
    """Why a JSONL line breaks the raw contract (None if it keeps it); only what is decidable without cleaning."""
    if len(raw) > SIZE_LIMIT:
        return "too_large"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid_utf8"
    try:
        rec = json.loads(text)
    except ValueError:
        return "invalid_json"
    if not isinstance(rec, dict):
        return "not_an_object"
    if not isinstance(rec.get("url"), str) or not rec["url"].startswith(("http://", "https://")):
        return "schema:url"
    if not isinstance(rec.get("scraped_at"), str):
        return "schema:scraped_at"
    if not isinstance(rec.get("text"), str) and not isinstance(rec.get("html"), str):
        return "schema:body"
    try:
        ts = datetime.fromisoformat(rec["scraped_at"])
    except ValueError:
        return "bad_timestamp"
    if ts.tzinfo is None or ts.astimezone(timezone.utc).date().isoformat() != date:
        return "bad_timestamp"
    if not (rec.get("text") or rec.get("html") or "").strip():
        return "empty_body"
    jsonschema.validate(rec, SCHEMA)
    if rec.get("published_at"):
        datetime.fromisoformat(rec["published_at"])
    return None


def _lines(date: str):
    day = SAMPLES / "raw" / date
    for name in ("wire.jsonl", "sites.jsonl.gz"):
        data = (day / name).read_bytes()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        for n, raw in enumerate(data.split(b"\n")[:-1], start=1):
            yield name, n, raw


def _gold(date: str) -> list:
    return [json.loads(line) for line in (SAMPLES / "gold" / f"{date}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("date", generate.DATES)
def test_every_record_keeps_the_contract_except_the_planted_bad_ones(date):
    planted = {(g["file"], g["line"]): g["reason"] for g in _gold(date) if g.get("expect") == "rejected"}
    assert len(planted) >= 8
    for name, n, raw in _lines(date):
        reason = contract_reason(raw, date)
        expected = planted.get((name, n))
        if expected is None:
            assert reason is None, (name, n, reason)
        elif expected == "empty_body" and reason is None:
            # Non-empty but nothing except ad slots and navigation: only a cleaner can tell.
            lines = {x.strip() for x in json.loads(raw)["text"].split("\n") if x.strip()}
            assert lines, (name, n)
        else:
            assert reason == expected, (name, n, reason, expected)


@pytest.mark.parametrize("date", generate.DATES)
def test_gold_matches_the_records(date):
    gold = _gold(date)
    planted = {(g["file"], g["line"]) for g in gold if g.get("expect") == "rejected"}
    records = {}
    for name, n, raw in _lines(date):
        if (name, n) not in planted:
            rec = json.loads(raw)
            records[rec["url"]] = rec
    articles = {g["url"]: g for g in gold if "gold_text" in g and "url" in g}
    dups = {g["url"]: g for g in gold if g.get("expect") == "duplicate_of" and "url" in g}
    assert set(articles) | set(dups) == set(records)
    assert not set(articles) & set(dups)
    for url, g in articles.items():
        rec = records[url]
        body = rec.get("text") or html.unescape(rec["html"])
        assert g["gold_title"] in (rec.get("title") or body)
        paragraphs = g["gold_text"].split("\n\n")
        assert 3 <= len(paragraphs) <= 20, url
        pos = 0
        for p in paragraphs:  # every kept paragraph is in the raw body, in order
            found = body.find(p, pos)
            assert found >= 0, (url, p)
            pos = found + len(p)
        assert set(g["gold_topics"]) <= DEFAULT_TOPICS
    assert 100 <= len(gold) <= 135


def test_duplicates_point_at_an_earlier_copy_with_the_same_body():
    articles, records, raw_by_url = {}, {}, {}
    for date in generate.DATES:
        planted = {(g["file"], g["line"]) for g in _gold(date) if g.get("expect") == "rejected"}
        for name, n, raw in _lines(date):
            if (name, n) not in planted:
                rec = json.loads(raw)
                records[rec["url"]] = rec
        for g in _gold(date):
            if "gold_text" in g and "url" in g:
                articles[g["url"]] = g
    n_dups = 0
    for date in generate.DATES:
        for g in _gold(date):
            if g.get("expect") != "duplicate_of":
                continue
            n_dups += 1
            original = articles[g["of"]]
            if "file" in g:
                text = (SAMPLES / "raw" / date / g["file"]).read_text(encoding="utf-8")
                assert text == records[g["of"]]["text"]
                continue
            dup, orig = records[g["url"]], records[g["of"]]
            assert g["url"] != g["of"]
            assert datetime.fromisoformat(dup["scraped_at"]) > datetime.fromisoformat(orig["scraped_at"])
            body = dup.get("text") or html.unescape(dup["html"])
            assert all(p in body for p in original["gold_text"].split("\n\n"))
    assert n_dups >= 20


def test_pages_follow_the_seed_format():
    for date in generate.DATES:
        pages = sorted((SAMPLES / "raw" / date / "pages").glob("*.txt"))
        assert 3 <= len(pages) <= 5
        gold = {g["file"]: g for g in _gold(date) if "file" in g and "line" not in g}
        assert set(gold) == {f"pages/{p.name}" for p in pages}
        for p in pages:
            text = p.read_text(encoding="utf-8")
            headline = next(line for line in text.splitlines() if line.strip())
            assert "ad-image" in text and "View All" in text and text.rstrip().endswith("...")
            if "gold_title" in gold[f"pages/{p.name}"]:
                assert headline == gold[f"pages/{p.name}"]["gold_title"]


def test_every_default_topic_and_the_traps_are_covered():
    counts = {t: 0 for t in DEFAULT_TOPICS}
    titles = []
    for date in generate.DATES:
        for g in _gold(date):
            for t in g.get("gold_topics", []):
                counts[t] += 1
            titles.append(g.get("gold_title", ""))
    assert min(counts.values()) >= 6, counts
    assert any("potato chip" in t for t in titles)
    assert any("electricity tariffs" in t for t in titles)
    assert any(t.startswith("Gold hits record") for t in titles)


def test_samples_stay_small():
    total = sum(p.stat().st_size for p in (SAMPLES / "raw").rglob("*") if p.is_file())
    total += sum(p.stat().st_size for p in (SAMPLES / "gold").rglob("*") if p.is_file())
    assert total < 2_000_000


@pytest.mark.parametrize("date", generate.DATES)
def test_planted_reasons_agree_with_the_pipeline_parser(date):
    records = pytest.importorskip("pipelines.core.records")
    planted = {(g["file"], g["line"]): g["reason"] for g in _gold(date) if g.get("expect") == "rejected"}
    for name, n, raw in _lines(date):
        expected = planted.get((name, n))
        item = records.RawInput(f"{name}:{n}", "jsonl", raw, len(raw))
        try:
            records.parse_jsonl(item, max_bytes=SIZE_LIMIT)
            got = None
        except records.Rejected as e:
            got = e.reason
        if expected == "empty_body" and got is None:
            continue  # junk-only bodies are rejected after cleaning, not at parse time
        assert got == expected, (name, n, got, expected)
