"""The streaming job on both cores, as a user starts it: `python -m pipelines.streaming ... --direct_num_workers 2
--direct_running_mode multi_processing`. Its records then cross process boundaries pickled, so a class of the job
module must pickle by its importable name, not as `__main__.X` (which the SDK worker processes cannot look up).

* --once on a few small files: every record written exactly once (article, duplicate or rejection), every file
  marked done.
* A watching job stopped by SIGTERM: it exits 143 and none of its SDK worker processes is left running."""
import json
import os
import signal
import subprocess
import sys

import pytest

from bench.synth import generate_records
from tests.conftest import REPO
from tests.streaming.test_stream_continuous import _drop_jsonl, _ledger_sizes, _log_tail, _now, _tables
from tests.streaming.test_stream_e2e import assert_reports_sum, stamped
from tests.streaming.test_stream_sigterm import _done, _job, _kill, _stopped, _wait_for

pytestmark = pytest.mark.integration

TWO_WORKERS = ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]
RUN_WAIT = 240.0  # bound on a --once run (about 12 s on a quiet machine)


def _land(landing):
    """Three small files of distinct stories, one of them also a later exact-URL copy, and one bad line."""
    stories = stamped(list(generate_records(9, seed=5, dup_rate=0.0)))
    files = []
    for n in range(3):
        lines = [json.dumps(r) for r in stories[3 * n: 3 * n + 3]]
        if n == 1:
            lines.append(json.dumps(dict(stories[0], url=stories[0]["url"] + "?utm_source=feed")))  # exact_url
        if n == 2:
            lines.append('{"url": "https://news.example.com/cut", "title": "half a record')  # invalid_json
        files.append(_drop_jsonl(landing, f"feed{n}.jsonl", lines))
    return files


def _group(pgid):
    """Pids of the processes in process group `pgid` (the job and the SDK workers it started)."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # ended while listed
            continue
        if int(fields[2]) == pgid:  # after ")": state, ppid, pgrp
            pids.append(int(pid))
    return pids


def test_once_on_two_worker_processes_writes_every_record_once(tmp_path):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    os.makedirs(landing)
    files = _land(landing)
    cmd = [sys.executable, "-m", "pipelines.streaming", "--watch", os.path.join(landing, "*"), "--once",
           "--output", out, *TWO_WORKERS]
    with open(log_path, "w") as log:
        proc = subprocess.run(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, timeout=RUN_WAIT)
    assert proc.returncode == 0, _log_tail(log_path)
    assert "sdk_worker_main" in open(log_path).read(), "no SDK worker process was started"

    refs = {f"{path}:{i}" for path in files for i in range(1, sum(1 for _ in open(path)) + 1)}
    tables = _tables(out)
    assert sorted(ref for rows in tables.values() for ref in rows or []) == sorted(refs)  # each record once
    assert len(tables["articles"]) == 9
    assert tables["duplicates"] == [f"{files[1]}:4"]
    assert tables["rejected"] == [f"{files[2]}:4"]
    assert_reports_sum(out, refs, tables["articles"], tables["duplicates"], tables["rejected"])
    assert _ledger_sizes(out, "done") == {p: {os.path.getsize(p)} for p in files}


def test_sigterm_leaves_no_worker_process(tmp_path):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    os.makedirs(landing)
    proc = _job([sys.executable, "-m", "pipelines.streaming"], landing, out, log_path, *TWO_WORKERS)
    try:
        first = _drop_jsonl(landing, "wave1.jsonl", [_now("steel"), _now("chips", offset=0.001)])
        _wait_for(proc, log_path, "the file done", lambda: first in _done(out))
        workers = [pid for pid in _group(proc.pid) if pid != proc.pid]
        assert workers, "the job started no worker process"
        _stopped(proc, log_path, signal.SIGTERM, 143, "SIGTERM")  # also: nothing of its process group is left
        assert not any(os.path.exists(f"/proc/{pid}") for pid in workers)
    finally:
        if proc.poll() is None:
            _kill(proc)
    assert sorted(_tables(out)["articles"]) == [f"{first}:1", f"{first}:2"]
