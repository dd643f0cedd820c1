"""bench/synth.py: record count, exact duplicate rate, determinism, contract, CLI."""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import jsonschema

from bench.synth import generate_records

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "raw_record.schema.json").read_text())


def _collect(n, dup_rate, seed=1):
    pairs = []
    records = list(generate_records(n, seed=seed, dup_rate=dup_rate, truth=lambda d, o: pairs.append((d, o))))
    return records, pairs


def test_makes_n_records_with_the_requested_dup_rate():
    records, pairs = _collect(3000, 0.10)
    assert len(records) == 3000
    assert len(pairs) == int(3000 * 0.10)
    by_url = {r["url"]: r for r in records}
    assert len(by_url) == len(records)
    assert len({r["text"] for r in records}) == len(records) - len(pairs)
    for dup, orig in pairs:
        assert by_url[dup]["text"] == by_url[orig]["text"] and dup != orig
        assert any(k in dup for k in ("utm_", "fbclid=", "gclid="))


def test_other_dup_rates():
    for rate in (0.0, 0.25):
        records, pairs = _collect(800, rate)
        assert len(pairs) == int(800 * rate)


def test_deterministic_for_a_seed_and_different_across_seeds():
    a, _ = _collect(300, 0.1, seed=7)
    b, _ = _collect(300, 0.1, seed=7)
    c, _ = _collect(300, 0.1, seed=8)
    assert a == b
    assert a != c


def test_records_keep_the_contract_and_size():
    records, _ = _collect(1000, 0.1)
    sizes = sorted(len(r["text"].encode("utf-8")) for r in records)
    assert sizes[len(sizes) // 20] >= 2500 and sizes[-1] <= 5500
    for r in records[:200]:
        jsonschema.validate(r, SCHEMA)
        assert datetime.fromisoformat(r["scraped_at"]).tzinfo is not None
    seedlike = [r for r in records if "ad-image" in r["text"] and "View All" in r["text"]]
    assert seedlike and any(r["text"].rstrip().endswith("...") for r in seedlike)


def test_cli_streams_n_lines(tmp_path):
    out, truth = tmp_path / "s.jsonl", tmp_path / "t.jsonl"
    subprocess.run([sys.executable, str(REPO / "bench" / "synth.py"), "--n", "500", "--out", str(out),
                    "--dup-rate", "0.2", "--truth", str(truth)], check=True, capture_output=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 500
    assert len(truth.read_text().splitlines()) == 100
    assert all(json.loads(line)["url"].startswith("http") for line in lines)


def test_protected_words_come_from_the_frozen_list_not_the_live_taxonomy(monkeypatch, tmp_path):
    from bench import synth

    words = synth._topic_words()
    assert {"semiconductor", "tariff", "lithium", "telecom"} <= words
    listed = tmp_path / "words.txt"
    listed.write_text("# comment\nalpha\n\nbeta\n", encoding="utf-8")
    monkeypatch.setattr(synth, "PROTECTED_WORDS", listed)
    assert synth._topic_words() == {"alpha", "beta"}
