"""A landed file that grows after it was read: read half written (its read ends in a '#cut' marker), then whole.
Every page is written once, the old marker is retracted, nothing is written twice, the skips are counted once,
and the per-file sums equal the final file's records."""
import io
import os
import threading
import time

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from pipelines.core.raw_files import iter_file
from pipelines.io import stream_sources
from tests.streaming.helpers import BODIES, iso, news_page, table, write_warc


def _grown_warc(folder) -> tuple[bytes, bytes]:
    """(a prefix cut half way through the last record, the whole file): the test WARC plus an empty page (rejected
    as empty_extraction) and a last page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    whole_path = os.path.join(folder, "whole.warc.gz")
    scraped = iso(time.time() - 60)
    write_warc(whole_path, scraped, cut_tail=False)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, page in (("https://news.example.com/blank", "<html><body></body></html>"),
                      ("https://news.example.com/coach", news_page("About coach", BODIES["coach"]))):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode()),
                                                      http_headers=http, warc_headers_dict={"WARC-Date": scraped}))
    whole = open(whole_path, "rb").read() + buf.getvalue()
    os.remove(whole_path)
    last = len(whole) - len(buf.getvalue()) + buf.getvalue().index(b"\x1f\x8b", 1)  # the last page's gzip member
    return whole[: last + (len(whole) - last) // 2], whole


def _rows(out):
    found = {}
    for name in ("articles", "duplicates", "rejected"):
        t = table(out, name)
        rows = [] if t is None else t.to_pylist()
        found[name] = [r["input_ref"] for r in rows
                       if name != "articles" or r["topic"] == (r["primary_topic"] or "untagged")]
    return found


def _check_written_once(path, out):
    units = list(iter_file(open(path, "rb"), path, 5_000_000))
    records = [u.input_ref for u in units if not u.kind.startswith("skip:")]
    rows = _rows(out)
    refs = rows["articles"] + rows["duplicates"] + rows["rejected"]
    assert sorted(refs) == sorted(records)  # every record of the final file once, no stale marker
    assert not any(r.endswith("#cut") for r in refs)
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"]
    (entry,) = total["inputs"]
    assert entry["records"] == len(records) and sum(entry["skipped"].values()) == len(units) - len(records)
    assert (total["articles_written"], total["duplicates"], total["rejected"]) == (
        len(rows["articles"]), len(rows["duplicates"]), len(rows["rejected"]))
    done, _ = stream_state.load_ledger(out)
    assert (path, os.path.getsize(path)) in done
    return rows


def test_a_file_read_half_written_then_whole_in_once_runs_on_two_dates(tmp_path, monkeypatch):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    prefix, whole = _grown_warc(str(landing))
    path = str(landing / "crawl.warc.gz")
    open(path, "wb").write(prefix)
    args = ["--watch", path, "--once", "--output", out, "--no_near_dup"]
    # the two runs land the file on two dates: the first skip report must be replaced, not added to
    monkeypatch.setattr(stream_sources, "window_dt", lambda _: "2026-11-01")
    assert streaming.main(args) == 0
    first = _rows(out)
    assert [r for r in first["rejected"] if r.endswith("#cut")]  # the half-written page is a marker
    open(path, "wb").write(whole)
    monkeypatch.setattr(stream_sources, "window_dt", lambda _: "2026-11-02")
    assert streaming.main(args) == 0
    rows = _check_written_once(path, out)
    assert len(rows["articles"]) == 4  # steel, chips, rain and the completed coach page


def test_a_watched_file_that_grows_while_the_job_runs(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    prefix, whole = _grown_warc(str(landing))
    path = str(landing / "crawl.warc.gz")
    open(path, "wb").write(prefix)
    rejected = os.path.join(out, "rejected")

    def grow():  # once the half-written file was read to its end (its marker is written), it is completed
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.isdir(rejected):
            time.sleep(0.1)
        open(path, "wb").write(whole)

    grower = threading.Thread(target=grow)
    grower.start()
    assert streaming.main(["--watch", path, "--output", out, "--window", "5s", "--allowed_lateness", "300s",
                           "--poll_interval", "1s", "--stop_after", "10s", "--no_near_dup"]) == 0
    grower.join()
    rows = _check_written_once(path, out)
    assert len(rows["rejected"]) == 1  # the empty page once, though its file was read twice
