"""bench/bench_warc.py helpers on a tiny WARC: what it writes is what the project's reader reads back."""

import os
import re

import numpy as np
import pytest

from bench.bench_warc import (
    _keep_warc, _kept_warc, _proc_tree_rss, _tree_rss, copy_prefix, load_templates, measure_reader, page_copy, page_template, read_all,
    phases, shell_page, vocabulary, write_warc,
)

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour fees rise</title>
<style>p { margin: 0 }</style><script>var words = "not text at all";</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>Harbour fees rise for the winter season</h1>
<p>The port authority said on Monday that mooring fees would rise by four percent from December, citing
the cost of dredging the northern channel and repairing the breakwater after the autumn storms.</p>
<p>Fishermen in the town said the increase would fall hardest on the smallest boats, which spend the most
nights in the harbour during the winter months, and asked the council to phase it in.</p>
<!-- a comment --><p>Caf\u00e9 owners on the quay welcomed the repairs.</p></article></body></html>
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    for n, name in enumerate(["harbour", "council", "weather"]):
        os.makedirs(root / name)
        (root / name / "source.html").write_bytes(PAGE.replace("Harbour", name.title() * (n + 1)).encode())
    return str(root)


@pytest.fixture(scope="module")
def warc(pages, tmp_path_factory):
    templates = load_templates(pages)
    path = str(tmp_path_factory.mktemp("warc") / "tiny.warc.gz")
    counts, cuts = write_warc(path, 60_000, templates, vocabulary(templates), seed=3, marks=(20_000,))
    return path, counts, cuts


def test_an_unchanged_copy_is_the_page_byte_for_byte():
    html = PAGE.encode() + b"\xff\xfe stray bytes"
    template = page_template("p", html)
    assert page_copy(template, np.random.default_rng(0), np.array(["x"], dtype=object), share=0.0) == html


def test_a_copy_changes_words_but_not_markup():
    template = page_template("p", PAGE.encode())
    vocab = np.array(["zebra"], dtype=object)
    copy = page_copy(template, np.random.default_rng(0), vocab, share=0.5).decode()
    assert "zebra" in copy
    assert "var words = \"not text at all\"" in copy  # scripts are not text
    words = len(template.words)
    assert 0.2 * words < copy.count("zebra") < 0.8 * words
    assert re.findall(r"<[^>]*>", copy) == re.findall(r"<[^>]*>", PAGE)


def test_a_shell_page_keeps_markup_and_no_visible_text():
    shell = shell_page(page_template("p", PAGE.encode())).decode()
    assert "<article>" in shell and "not text at all" in shell
    assert "mooring" not in shell and "Fishermen" not in shell


def test_the_reader_reads_back_what_was_written(warc):
    path, counts, _ = warc
    got = read_all(path)
    assert counts.pages > 0 and counts.shells <= counts.pages
    assert got["pages"] == counts.pages
    assert got["skips"] == counts.skips
    assert sum(counts.skips.values()) + counts.pages == counts.records
    assert got["peak_rss_mb"] >= got["base_rss_mb"] > 0


def test_a_prefix_cut_at_a_mark_is_a_whole_warc(warc, tmp_path):
    path, counts, cuts = warc
    nbytes, at_cut = cuts[20_000]
    assert 0 < nbytes <= 20_000
    assert at_cut.records < counts.records
    prefix = str(tmp_path / "prefix.warc.gz")
    copy_prefix(path, prefix, nbytes)
    got = read_all(prefix)
    assert "truncated_warc" not in got["skips"]
    assert got["pages"] == at_cut.pages
    assert got["skips"] == at_cut.skips


def test_the_reader_measure_runs_in_its_own_process(warc):
    path, counts, _ = warc
    got = measure_reader(path)
    assert got["pages"] == counts.pages
    assert got["peak_rss_mb"] > 0


def test_tree_rss_counts_this_process():
    class Me:
        pid = os.getpid()

    assert _proc_tree_rss(os.getpid()) > 0
    assert _tree_rss(Me) > 0


def test_same_rows_ignores_how_rows_are_split_into_files_but_not_a_changed_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bench.bench_warc import same_rows

    rows = [{"article_id": f"a{i}", "text": f"story {i}", "topics": [f"t{i % 2}"]} for i in range(6)]

    def write(out, parts):
        folder = tmp_path / out / "articles" / "dt=2026-11-24" / "topic=x"
        folder.mkdir(parents=True)
        for n, part in enumerate(parts):
            pq.write_table(pa.Table.from_pylist(part), str(folder / f"part-{n}.parquet"))
        return str(tmp_path / out)

    one = write("one", [rows])
    split = write("split", [rows[:2], rows[2:]])
    changed = write("changed", [rows[:5] + [dict(rows[5], text="story 5, edited")]])
    assert same_rows(one, split) == {"articles": {"rows": [6, 6], "only_in_one": 0}}
    assert same_rows(one, changed) == {"articles": {"rows": [6, 6], "only_in_one": 2}}


def test_a_kept_warc_is_reused_only_for_what_it_was_built_for(warc, tmp_path):
    path, counts, cuts = warc
    kept = str(tmp_path / "kept.warc.gz")
    copy_prefix(path, kept, os.path.getsize(path))
    assert _kept_warc(kept, 2.0, (20_000,)) is None  # no sidecar yet
    _keep_warc(kept, 2.0, counts, cuts)
    total, again = _kept_warc(kept, 2.0, (20_000,))
    assert total == counts and again == cuts
    assert _kept_warc(kept, 1.0, (20_000,)) is None  # another --gb
    assert _kept_warc(kept, 2.0, (30_000,)) is None  # a cut it does not have
    with open(kept, "ab") as f:
        f.write(b"x")
    assert _kept_warc(kept, 2.0, (20_000,)) is None  # the file changed


def test_phases_split_the_timeline_at_the_end_of_the_read():
    mb = 2**20
    timeline = [(t, (300 if t < 60 else 500 + t % 3 if t < 100 else 650) * mb) for t in range(120)]
    p = phases(timeline, 100.0)
    assert (p["read_median_mb"], p["read_p90_mb"], p["end_peak_mb"]) == (501, 502, 650)
    assert phases(timeline, None)["end_peak_mb"] is None  # the end never seen: no end figure, the read runs on
    assert phases(timeline[:50], 100.0)["read_median_mb"] is None  # nothing after the start skipped
