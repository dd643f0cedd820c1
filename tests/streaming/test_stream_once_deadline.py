"""A --once backfill that meets .txt/.html pages still being written: it waits for them after every other file is
read, up to one end-of-run deadline (stream_state.settle_limit) shared by all of them. A page that settles in time
is read whole; one that never does is left unread and unmarked, counted as an `unsettled` file event, and read by
the next run. The deadline is shortened here (monkeypatched) so that a page that never settles costs seconds."""
import contextlib
import json
import os
import threading
import time

import pytest

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from pipelines.io import stream_sources
from tests.streaming.helpers import BODIES, news_page, record, table

LIMIT = 4.0  # the end-of-run deadline in these tests, in place of max(60 s, 10 x settle)
WRITER_CAP = 90.0  # a live page's writer stops by then whatever happens, so a job that waits for it still ends


def _articles(out):
    t = table(out, "articles")
    if t is None:
        return {}
    return {r["input_ref"]: r for r in t.to_pylist() if r["topic"] == (r["primary_topic"] or "untagged")}


def _total(out):
    return stream_report.total(stream_report.read_reports(out))


def _feed(landing):
    """A JSONL file already landed: read at once, whatever the pages do."""
    path = str(landing / "feed.jsonl")
    scraped = time.time() - 60
    with open(path, "w") as f:
        for i, name in enumerate(("steel", "chips")):
            f.write(json.dumps(record(name, scraped + i)) + "\n")
    return path


class Writer(threading.Thread):
    """A scraper writing a page in place: `text` in `pieces`, `pause` seconds apart. With `until` (an Event) it
    holds the last piece back, touching the page every `pause` seconds, until the event is set; `live`: after the
    text it appends a line every `pause` seconds until stopped, as a live blog does."""

    def __init__(self, path, text, pieces, pause, live=False, until=None):
        super().__init__(daemon=True)
        self.path, self.text, self.pieces, self.pause, self.live = path, text, pieces, pause, live
        self.until = until
        self.stop = threading.Event()
        self.started_writing = threading.Event()

    def run(self):
        cap = time.time() + WRITER_CAP
        step = -(-len(self.text) // self.pieces)
        with open(self.path, "w") as f:
            for i in range(0, len(self.text), step):
                while self.until is not None and i + step >= len(self.text) and not self.until.is_set() \
                        and not self.stop.is_set() and time.time() < cap:
                    os.utime(self.path)  # still at it: the page changes (its mtime) without its last piece
                    time.sleep(self.pause)
                f.write(self.text[i:i + step])
                f.flush()
                self.started_writing.set()
                time.sleep(self.pause)
            n = 0
            while self.live and not self.stop.is_set() and time.time() < cap:
                n += 1
                f.write(f"\n\nUpdate {n}: the storm is still moving east.")
                f.flush()
                time.sleep(self.pause)

    def __enter__(self):
        self.start()
        assert self.started_writing.wait(10), "the writer did not start"
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join(WRITER_CAP + 10)


def _once(landing, out, *extra):
    return streaming.main(["--watch", str(landing / "*"), "--once", "--output", out, "--settle_seconds", "1s",
                           "--no_near_dup", *extra])


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(stream_state, "settle_limit", lambda settle: LIMIT)


@pytest.fixture
def end_wait(monkeypatch):
    """An Event set when the run starts its end-of-run wait for pages (every other file is read by then)."""
    waiting = threading.Event()
    wait_here = stream_sources._ReadFileChunksFn._wait_here

    def told_when_waiting(self, path, wait):
        waiting.set()
        return wait_here(self, path, wait)

    monkeypatch.setattr(stream_sources._ReadFileChunksFn, "_wait_here", told_when_waiting)
    return waiting


def test_a_page_completed_before_the_deadline_is_read_whole(tmp_path, short_deadline, end_wait):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    feed = _feed(landing)
    page = str(landing / "coach.html")
    # the page's last piece comes once the run waits for it: it is half written when the run first looks
    with Writer(page, news_page("About coach", BODIES["coach"]), pieces=4, pause=0.3, until=end_wait):
        assert _once(landing, out) == 0
    assert end_wait.is_set()
    articles = _articles(out)
    assert sorted(articles) == sorted([f"{feed}:1", f"{feed}:2", page])
    assert articles[page]["text"].split("\n\n") == BODIES["coach"].split("\n\n")  # the whole page, not a prefix
    done, _ = stream_state.load_ledger(out)
    assert done == {(feed, os.path.getsize(feed)), (page, os.path.getsize(page))}
    total = _total(out)
    assert total["balanced"] and total["records_read"] == 3 == total["articles_written"]
    assert not total.get("files_by_event")


def test_a_page_that_never_settles_is_reported_not_marked_and_read_by_the_next_run(tmp_path, short_deadline):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    feed = _feed(landing)
    live = str(landing / "live.txt")
    text = "Storm live\n\n" + BODIES["rain"]
    with Writer(live, text, pieces=4, pause=0.3, live=True) as writer:
        assert _once(landing, out) == 0  # the job ends although the page is still being written
        assert writer.is_alive(), "the page stopped changing before the job gave up on it: the test proves nothing"
    assert sorted(_articles(out)) == [f"{feed}:1", f"{feed}:2"]
    done, seen = stream_state.load_ledger(out)
    assert live not in seen and done == {(feed, os.path.getsize(feed))}  # not marked: the next run reads it
    total = _total(out)
    assert total["balanced"] and total["records_read"] == 2
    assert total["files_by_event"] == {"unsettled": 1, "changing": 1}  # told, not silently lost
    assert {i["path"]: i["records"] for i in total["inputs"]}[live] == 0

    # The writer has finished: the next run reads the page whole and leaves the feed alone.
    assert _once(landing, out) == 0
    articles = _articles(out)
    assert sorted(articles) == sorted([f"{feed}:1", f"{feed}:2", live])
    assert articles[live]["text"].startswith(BODIES["rain"].split("\n\n")[0])
    assert articles[live]["text"].rstrip().endswith("still moving east.")
    done, _ = stream_state.load_ledger(out)
    assert (live, os.path.getsize(live)) in done
    total = _total(out)
    assert total["balanced"] and total["records_read"] == 3 == total["articles_written"]


def test_pages_that_settle_while_another_is_waited_for_are_read(tmp_path, short_deadline, end_wait):
    """One deadline for every page a worker waits for, one page after another: a page waited for after the live
    one, whose wait uses the whole deadline, must still be read if it settled meanwhile. The pages keep changing
    until the end-of-run wait begins, then are finished at once; the live page never settles. The order in which
    the worker waits for them is the runner's (by key), so with four pages at least one comes after the live page
    unless the runner happens to put it last."""
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    live = str(landing / "live.txt")
    pages = {str(landing / f"{name}.txt"): name for name in ("steel", "chips", "coach", "rain")}
    writers = [Writer(live, "Storm live\n\n" + BODIES["rain"], pieces=4, pause=0.3, live=True)]
    writers += [Writer(path, f"About {name}\n\n{BODIES[name]}", pieces=4, pause=0.3, until=end_wait)
                for path, name in pages.items()]
    with contextlib.ExitStack() as stack:
        for w in writers:
            stack.enter_context(w)
        assert _once(landing, out) == 0
        assert writers[0].is_alive()
    articles = _articles(out)
    assert sorted(articles) == sorted(pages)
    for path, name in pages.items():
        assert articles[path]["text"].split("\n\n") == BODIES[name].split("\n\n")
    done, seen = stream_state.load_ledger(out)
    assert done == {(p, os.path.getsize(p)) for p in pages} and live not in seen
    total = _total(out)
    assert total["balanced"] and total["records_read"] == len(pages)
    assert total["files_by_event"] == {"unsettled": 1, "changing": 1}  # told, not silently lost
