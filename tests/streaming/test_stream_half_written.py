"""Files read while their writer is still at them (not landed by rename): a JSONL file's cut last line waits as a
'#cut' marker until the line is whole, and a .txt page is read only once it has settled. The complete content is
written, once, and the reports add up to the final file."""
import json
import os
import threading
import time

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from tests.streaming.helpers import BODIES, record, table


def _refs(out, name):
    t = table(out, name)
    if t is None:
        return []
    rows = t.to_pylist()
    return [r["input_ref"] for r in rows if name != "articles" or r["topic"] == (r["primary_topic"] or "untagged")]


def _articles(out):
    t = table(out, "articles")
    return {} if t is None else {r["input_ref"]: r for r in t.to_pylist()}


def test_a_jsonl_file_read_with_its_last_line_half_written_then_whole(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "feed.jsonl")
    scraped = time.time() - 60
    lines = [json.dumps(record(name, scraped + i)) for i, name in enumerate(BODIES)]
    whole = ("\n".join(lines) + "\n").encode()
    cut = len("\n".join(lines[:2])) + 1 + len(lines[2]) // 2  # half of the third line
    open(path, "wb").write(whole[:cut])
    args = ["--watch", path, "--once", "--output", out, "--no_near_dup"]
    assert streaming.main(args) == 0
    assert _refs(out, "rejected") == [f"{path}:3#cut"]  # waiting for its line, not a bad_json record
    open(path, "wb").write(whole)
    assert streaming.main(args) == 0
    assert sorted(_refs(out, "articles")) == [f"{path}:{i}" for i in range(1, 5)]
    assert _refs(out, "rejected") == [] and _refs(out, "duplicates") == []
    assert _articles(out)[f"{path}:3"]["text"].split("\n\n") == BODIES["rain"].split("\n\n")
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"] and [(i["path"], i["records"]) for i in total["inputs"]] == [(path, 4)]
    assert (path, len(whole)) in stream_state.load_ledger(out)[0]


def _write_slowly(path, text, pieces, pause):
    """A scraper writing a page in place, a piece at a time."""
    step = -(-len(text) // pieces)
    with open(path, "w") as f:
        for i in range(0, len(text), step):
            f.write(text[i:i + step])
            f.flush()
            time.sleep(pause)


def _page():
    return "About the coach\n\n" + BODIES["coach"]


def test_a_txt_page_written_in_place_while_watched_is_read_once_it_has_settled(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "story.txt")
    writer = threading.Thread(target=_write_slowly, args=(path, _page(), 20, 0.3))  # 6 s of writing
    writer.start()
    assert streaming.main(["--watch", str(landing / "*.txt"), "--output", out, "--window", "5s",
                           "--allowed_lateness", "300s", "--poll_interval", "0.5s", "--settle_seconds", "1.5s",
                           "--stop_after", "12s", "--no_near_dup"]) == 0
    writer.join()
    (article,) = _articles(out).values()
    assert article["input_ref"] == path and article["text"].split("\n\n") == BODIES["coach"].split("\n\n")
    assert (path, os.path.getsize(path)) in stream_state.load_ledger(out)[0]
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"] and [(i["path"], i["records"]) for i in total["inputs"]] == [(path, 1)]


def test_a_backfill_waits_for_a_txt_page_still_being_written(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "story.txt")
    writer = threading.Thread(target=_write_slowly, args=(path, _page(), 16, 0.3))  # 4.8 s of writing
    writer.start()
    while not os.path.exists(path):
        time.sleep(0.01)
    assert streaming.main(["--watch", path, "--once", "--output", out, "--settle_seconds", "1s",
                           "--no_near_dup"]) == 0
    writer.join()
    (article,) = _articles(out).values()
    assert article["text"].split("\n\n") == BODIES["coach"].split("\n\n")
    assert (path, os.path.getsize(path)) in stream_state.load_ledger(out)[0]


def test_a_job_killed_between_a_marker_and_its_report_sends_the_marker_again_on_restart(tmp_path, monkeypatch):
    import pytest

    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "feed.jsonl")
    lines = [json.dumps(record(name, time.time() - 60 + i)) for i, name in enumerate(BODIES)]
    open(path, "w").write("\n".join(lines[:2]) + "\n" + lines[2][:40])
    args = ["--watch", path, "--once", "--output", out, "--no_near_dup"]
    real = stream_report.write_report

    def killed_at_marker_report(output, relative, report):
        if "/part-cut-" in relative:
            raise RuntimeError("killed")
        return real(output, relative, report)
    with monkeypatch.context() as m:
        m.setattr(stream_report, "write_report", killed_at_marker_report)
        with pytest.raises(Exception, match="killed"):
            streaming.main(args)
    assert f"{path}:3#cut" in _refs(out, "rejected")  # its row, without a report
    assert streaming.main(args) == 0  # the restart
    assert sorted(_refs(out, "rejected")) == [f"{path}:3#cut"]
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"] and (total["rejected"], total["records_read"]) == (1, 3)
    assert [(i["path"], i["records"]) for i in total["inputs"]] == [(path, 3)]
    assert (path, os.path.getsize(path)) in stream_state.load_ledger(out)[0]


def test_a_backfill_judges_a_page_by_a_fresh_look_not_by_its_old_listing(tmp_path, monkeypatch):
    # the listing is 1.5 s old when the page comes up (files ahead of it took that long): its mtime then looks
    # older than the settle time while the page is still being written
    import apache_beam as beam

    from pipelines.io import stream_sources

    match_all = stream_sources.fileio.MatchAll

    class SlowListing(beam.PTransform):
        def __init__(self, *a):
            super().__init__()
            self.match = match_all(*a)

        def expand(self, patterns):
            return patterns | self.match | beam.Map(lambda m: time.sleep(1.5) or m)

    monkeypatch.setattr(stream_sources.fileio, "MatchAll", SlowListing)
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "b.txt")
    writer = threading.Thread(target=_write_slowly, args=(path, _page_b(), 16, 0.25))  # 4 s of writing
    writer.start()
    while not os.path.exists(path):
        time.sleep(0.01)
    assert streaming.main(["--watch", str(landing / "*.txt"), "--once", "--output", out, "--settle_seconds", "1s",
                           "--no_near_dup"]) == 0
    writer.join()
    (article,) = _articles(out).values()
    assert article["text"].split("\n\n") == BODIES["rain"].split("\n\n")
    assert stream_state.load_ledger(out)[0] == {(path, os.path.getsize(path))}  # marked at the size read


def _page_b():
    return "About the rain\n\n" + BODIES["rain"]
