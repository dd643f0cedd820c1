"""A WARC and a saved .html page landing in the watched folder: the streaming job, run as a user runs it, reads
them as the batch job does. Pages become articles, a cut record is rejected, WARC records that are not pages are
counted as skips per file, and the reports add up to every record of both files."""
import os
import subprocess
import sys
import time

import pytest

from pipelines.core import stream_report
from pipelines.core.raw_files import iter_file
from pipelines.core.records import placeholder_url
from tests.conftest import REPO
from tests.streaming.helpers import BODIES, iso, news_page, table, write_warc

pytestmark = pytest.mark.integration


def land(folder, name, write):
    """Written under a name the patterns do not match, then renamed, as scrapers must land files."""
    tmp = os.path.join(folder, f".{name}.tmp")
    info = write(tmp)
    os.rename(tmp, os.path.join(folder, name))
    return os.path.join(folder, name), info


def run_job(landing, out, stop_after=6):
    cmd = [sys.executable, "-m", "pipelines.streaming", "--watch", os.path.join(landing, "*.warc.gz"),
           "--watch", os.path.join(landing, "*.html"), "--output", out, "--window", "5s",
           "--allowed_lateness", "300s", "--poll_interval", "1s", "--stop_after", f"{stop_after}s",
           "--settle_seconds", "1s",  # the page lands by rename: no need to wait the default 5 s
           "--read_chunk", "2"]  # the WARC's five pages in three chunks, each a bundle of its own
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def rows(out, name, columns):
    t = table(out, name)
    return [] if t is None else t.select(columns).to_pylist()


def test_a_landed_warc_and_html_page_are_read_as_the_batch_job_reads_them(tmp_path):
    landing, out = str(tmp_path / "landing"), str(tmp_path / "out")
    os.makedirs(landing)
    warc, expected = land(landing, "CC-NEWS-test.warc.gz", lambda p: write_warc(p, iso(time.time() - 1)))
    html, _ = land(landing, "saved-story.html", lambda p: open(p, "w").write(news_page("About coach", BODIES["coach"])))
    units = {path: list(iter_file(open(path, "rb"), path, 5_000_000)) for path in (warc, html)}

    run_job(landing, out)

    articles = [r for r in rows(out, "articles", ["url", "input_ref", "topic", "primary_topic", "title", "text"])
                if r["topic"] == (r["primary_topic"] or "untagged")]
    dups = rows(out, "duplicates", ["input_ref", "rule"])
    rejected = rows(out, "rejected", ["input_ref", "stage", "reason"])
    by_url = {r["url"]: r for r in articles}
    pages = expected["pages"]
    page_urn = placeholder_url("html", units[html][0])  # the file's name and bytes, as in batch
    assert set(by_url) == set(pages[:3]) | {page_urn}
    assert by_url[pages[1]]["text"].split("\n\n") == BODIES["chips"].split("\n\n")  # nav and footer dropped
    assert by_url[page_urn]["text"].split("\n\n") == BODIES["coach"].split("\n\n")
    assert [d["rule"] for d in dups] == ["exact_content"]  # the mirror's copy of the steel page
    assert [(r["stage"], r["reason"]) for r in rejected] == [("parse", "truncated_warc")]
    assert all(r["input_ref"].startswith(warc + "@") for r in articles + dups + rejected if r["input_ref"] != html)

    reports = stream_report.read_reports(out)
    assert reports and all(r["balanced"] for r in reports)
    total = stream_report.total(reports)
    assert total["balanced"] and total["skipped_by_reason"] == expected["skipped"]
    assert (total["articles_written"], total["duplicates"], total["rejected"]) == (len(articles), len(dups), len(rejected))
    # every record of each file is read (article, duplicate, rejected) or counted as skipped, once
    per_file = {i["path"]: i["records"] + sum(i["skipped"].values()) for i in total["inputs"]}
    assert per_file == {path: len(found) for path, found in units.items()}
    ledger = os.path.join(out, "_stream", "files")
    done = [n for n in os.listdir(ledger) if n.endswith(".done")]
    assert len(done) == 2

    # A crash before the files were marked done: the restart reads them again, writes nothing twice (WARC records
    # are found by their '<path>@<offset>' refs) and counts the skips once.
    for name in done:
        os.remove(os.path.join(ledger, name))
    run_job(landing, out, stop_after=3)
    again = [r for r in rows(out, "articles", ["input_ref", "topic", "primary_topic"])
             if r["topic"] == (r["primary_topic"] or "untagged")]
    assert len(again) == len(articles) and len(rows(out, "duplicates", ["input_ref"])) == len(dups)
    assert len(rows(out, "rejected", ["input_ref"])) == len(rejected)
    assert stream_report.total(stream_report.read_reports(out)) == total
    assert sorted(n for n in os.listdir(ledger) if n.endswith(".done")) == sorted(done)
