"""Ingest rules the streaming job shares with the batch job, checked on real runs of the job (the watch, on the
DirectRunner, stopped after a few seconds): a WARC page kept from a truncated payload is counted in the reports,
and a directory given as input means the files directly inside it."""
import os
import subprocess
import sys
import time

import pytest

from pipelines.core import stream_report
from tests.conftest import REPO
from tests.core.test_stream_report import truncated_warc
from tests.streaming.helpers import iso

pytestmark = pytest.mark.integration


def land_warc(folder: str, name: str) -> str:
    """truncated_warc() dated now (a watch rejects pages scraped days before they land), landed by rename."""
    data = truncated_warc().replace(b"2026-11-24T08:00:00Z", iso(time.time() - 1)[:19].encode() + b"Z")
    tmp, path = os.path.join(folder, f".{name}.tmp"), os.path.join(folder, name)
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)
    return path


def watch(patterns: list[str], out: str, stop_after: int = 5) -> dict:
    cmd = [sys.executable, "-m", "pipelines.streaming", "--output", out, "--window", "5s",
           "--allowed_lateness", "300s", "--poll_interval", "1s", "--stop_after", f"{stop_after}s",
           "--settle_seconds", "1s", "--no_near_dup"]
    for pattern in patterns:
        cmd += ["--watch", pattern]
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return stream_report.total(stream_report.read_reports(out))


def test_a_kept_truncated_warc_page_is_counted_in_the_streaming_reports(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    warc = land_warc(str(landing), "crawl.warc")
    total = watch([str(landing / "*.warc")], str(tmp_path / "out"))
    assert total["balanced"] and total["records_read"] == 2 == total["articles_written"], total
    assert total["truncated_payload_kept"] == 1  # the batch report's count of the same file
    assert total["skipped_by_reason"] == {"not_response": 1}
    assert total["inputs"] == [{"path": warc, "records": 2, "skipped": {"not_response": 1}}]


def test_a_watched_directory_means_the_files_directly_inside_it_as_in_batch(tmp_path):
    """The batch job's rule (read.expand_directories): '--input DIR' reads DIR/*, not DIR itself, and no
    subdirectory."""
    landing = tmp_path / "landing"
    (landing / "older").mkdir(parents=True)
    warc = land_warc(str(landing), "crawl.warc")
    land_warc(str(landing / "older"), "nested.warc")
    total = watch([str(landing)], str(tmp_path / "out"))
    assert total["balanced"] and total["articles_written"] == 2, total
    assert [i["path"] for i in total["inputs"]] == [warc]  # not the folder, not older/nested.warc
    assert total["rejected"] == 0
