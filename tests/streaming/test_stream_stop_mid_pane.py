"""A SIGTERM that arrives while a pane is being written (review rvs H1, M1): the job sends itself the signal at a
chosen point between a pane's files, where a real SIGTERM lands when it arrives during the writes before that
point. The pane's files and report land whole all the same (stream_stop.critical), the job exits 143, and after a
--once restart the index holds every article (a later near-duplicate is caught) and the reports add up.

Before the deferral, the index (or the report) of that pane was never written: the restart finds the pane's
records already written and skips them."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines import streaming
from pipelines.core import stream_report
from tests.conftest import REPO
from tests.streaming.helpers import BODIES, record, table
from tests.streaming.test_stream_continuous import _drop_jsonl, _log_tail, _now, _tables
from tests.streaming.test_stream_e2e import assert_reports_sum
from tests.streaming.test_stream_sigterm import START_WAIT, STOP_WAIT, _done, _job, _kill

# The job, sending itself SIGTERM once (when the file ARM exists) just before writing the first file whose path
# starts with STOP_BEFORE: "index/" (the pane's articles are written, its index is not) or "reports/" (a pane's
# Parquet files are written, its report is not). The handler runs at the next bytecode, inside the write.
JOB = """
import os, signal, sys
from pipelines.core import stream_state
arm, before = os.environ["ARM"], os.environ["STOP_BEFORE"]
write_atomic = stream_state.write_atomic
def stopping(output, relative, *args, **kwargs):
    pane = before != "reports/" or "/window=" in relative  # a pane's report, not a rejected file's
    if relative.startswith(before) and pane and os.path.exists(arm):
        os.remove(arm)
        os.kill(os.getpid(), signal.SIGTERM)
    return write_atomic(output, relative, *args, **kwargs)
stream_state.write_atomic = stopping
from pipelines import streaming
sys.exit(streaming.main(sys.argv[1:]))
"""


def _run_until_stopped(tmp_path, before, lines, arm_after=None):
    """Runs the watching job on w1.jsonl (and `arm_after` lines as w2.jsonl once w1 is done, when given); the job
    stops itself at `before`. Returns (landing, out, the files dropped)."""
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    arm = tmp_path / "ARM"
    os.makedirs(landing)
    os.environ["ARM"], os.environ["STOP_BEFORE"] = str(arm), before
    try:
        if arm_after is None:
            arm.touch()
        proc = _job([sys.executable, "-c", JOB], landing, out, log_path)
    finally:
        del os.environ["ARM"], os.environ["STOP_BEFORE"]
    try:
        files = [_drop_jsonl(landing, "w1.jsonl", lines)]
        if arm_after is not None:
            deadline = time.time() + START_WAIT
            while files[0] not in _done(out):
                assert proc.poll() is None and time.time() < deadline, _log_tail(log_path)
                time.sleep(0.1)
            arm.touch()
            files.append(_drop_jsonl(landing, "w2.jsonl", arm_after))
        proc.wait(START_WAIT + STOP_WAIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the job did not stop itself:\n{_log_tail(log_path)}")
    finally:
        if proc.poll() is None:
            _kill(proc)
    log = _log_tail(log_path)
    assert not arm.exists(), f"the job never reached the stop:\n{log}"
    assert proc.returncode == 143 and "stopped (SIGTERM)" in log, log
    return landing, out, files


def _once(landing, out):
    assert streaming.main(["--watch", os.path.join(landing, "*"), "--once", "--output", out]) == 0


@pytest.mark.integration
def test_a_stop_between_the_articles_and_the_index_leaves_the_index_whole(tmp_path):
    landing, out, (w1,) = _run_until_stopped(tmp_path, "index/", [json.dumps(record("steel", time.time() - 1))])
    assert _tables(out)["articles"] == [f"{w1}:1"]
    assert table(out, "index").num_rows == 1, "the pane's index was not written before the stop"
    _once(landing, out)
    assert table(out, "index").num_rows == 1

    # the same story, one word changed, under another URL and title: a near-duplicate of the first
    words = BODIES["steel"].split()
    words[-2] = "considerably"
    near = dict(record("steel", time.time() - 1, url="https://other.example.org/markets/steel-tariffs-reprint"),
                title="Steel tariffs (reprint)", text=" ".join(words))
    w2 = _drop_jsonl(landing, "w2.jsonl", [json.dumps(near)])
    _once(landing, out)
    tables = _tables(out)
    assert tables["articles"] == [f"{w1}:1"] and tables["duplicates"] == [f"{w2}:1"], tables


@pytest.mark.integration
def test_a_stop_between_a_panes_parquet_and_its_report_leaves_the_reports_whole(tmp_path):
    landing, out, (w1, w2) = _run_until_stopped(
        tmp_path, "reports/", [_now("steel"), _now("chips", offset=0.001)],
        arm_after=[_now("rain", offset=0.002), _now("coach", offset=0.003)])
    tables = _tables(out)
    assert stream_report.total(stream_report.read_reports(out))["articles_written"] == len(tables["articles"])
    _once(landing, out)
    refs = {f"{p}:{i}" for p in (w1, w2) for i in (1, 2)}
    tables = _tables(out)
    assert sorted(tables["articles"]) == sorted(refs)
    assert_reports_sum(out, refs, tables["articles"], tables["duplicates"], tables["rejected"])
