"""Landed files that vanish between the listing and the read (removed, renamed away), and scrapers that land by
a temporary name and a rename inside the watched folder: the job goes on, the file is not marked, the rest is
written and the reports add up."""
import json
import os
import threading
import time

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from pipelines.io import stream_sources
from tests.streaming.helpers import BODIES, record, table


def _inputs(out):
    total = stream_report.total(stream_report.read_reports(out))
    return total, {i["path"]: i["records"] for i in total["inputs"] if i["records"]}


def test_a_file_removed_after_the_listing_is_skipped_and_not_marked(tmp_path, monkeypatch):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    scraped = time.time() - 60
    a, b = str(landing / "a.jsonl"), str(landing / "b.jsonl")
    open(a, "w").write(json.dumps(record("steel", scraped)) + "\n")
    open(b, "w").write(json.dumps(record("rain", scraped)) + "\n")
    opened = stream_sources._OpenFile.__init__

    def removed_first(self, path, *rest, **kw):
        if path == a and os.path.exists(a):
            os.remove(a)  # an archiver moved it away after the listing
        opened(self, path, *rest, **kw)

    monkeypatch.setattr(stream_sources._OpenFile, "__init__", removed_first)
    assert streaming.main(["--watch", str(landing / "*.jsonl"), "--once", "--output", out, "--no_near_dup"]) == 0
    articles = table(out, "articles").to_pylist()
    assert {r["input_ref"] for r in articles} == {f"{b}:1"}
    done, seen = stream_state.load_ledger(out)
    assert a not in seen and (b, os.path.getsize(b)) in done
    total, inputs = _inputs(out)
    assert total["balanced"] and inputs == {b: 1} and total["files_by_event"] == {"gone": 1}


def _scraper(landing, stories, stop):
    for i, name in enumerate(stories):
        tmp, final = f"{landing}/story-{i:03d}.jsonl.tmp", f"{landing}/story-{i:03d}.jsonl"
        with open(tmp, "w") as f:
            rec = record(name, time.time(), url=f"https://news.example.com/{name}/{i}")
            rec["text"] = f"Story number {i} of the day. " + rec["text"]  # no two copies of one text
            f.write(json.dumps(rec) + "\n")
        time.sleep(0.02)
        os.rename(tmp, final)
        time.sleep(0.03)
        if stop.is_set():
            return


def test_a_scraper_landing_by_temp_name_and_rename_in_the_watched_folder(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    stories = list(BODIES) * 15  # 60 files, about 3 s of landing
    stop = threading.Event()
    writer = threading.Thread(target=_scraper, args=(str(landing), stories, stop))
    writer.start()
    try:
        assert streaming.main(["--watch", str(landing / "*"), "--output", out, "--window", "5s",
                               "--allowed_lateness", "600s", "--poll_interval", "0.1s", "--stop_after", "6s",
                               "--no_near_dup"]) == 0
    finally:
        stop.set()
        writer.join()
    finals = sorted(str(p) for p in landing.iterdir() if not p.name.endswith(".tmp"))
    articles = table(out, "articles").to_pylist()
    assert sorted({r["input_ref"] for r in articles}) == sorted(f"{p}:1" for p in finals)
    assert table(out, "rejected") is None and table(out, "duplicates") is None  # no temp name read as a record
    total, inputs = _inputs(out)
    assert total["balanced"] and inputs == {p: 1 for p in finals}
    assert not [p for p in stream_state.load_ledger(out)[1] if p.endswith(".tmp")]


def test_an_empty_gzip_page_is_read_once_its_writer_has_closed_it(tmp_path):
    import gzip

    from tests.streaming.helpers import news_page

    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "quake.html.gz")
    args = ["--watch", path, "--once", "--output", out, "--no_near_dup"]
    with gzip.open(path, "wt") as f:  # header and page stay in the writer's buffer until close
        f.write(news_page("Quake shakes the coast", BODIES["rain"]))
        assert os.path.getsize(path) == 0
        assert streaming.main(args) == 0
        assert table(out, "rejected") is None and stream_state.load_ledger(out) == (set(), set())
    assert streaming.main(args) == 0
    (article,) = table(out, "articles").to_pylist()
    assert article["input_ref"] == path and table(out, "rejected") is None
    total, inputs = _inputs(out)
    assert total["balanced"] and inputs == {path: 1}
    assert stream_state.load_ledger(out)[0] == {(path, os.path.getsize(path))}
