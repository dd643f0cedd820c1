"""Stopping a watching job by signal, as its owners do: the job as a subprocess (DirectRunner, --streaming), a real
signal, then a restart.

* SIGTERM (Kubernetes, systemd, Airflow, docker stop) while a file is being read: the job says it stopped and exits
  143 with nothing of it left running; a --once restart reads only the files not marked done (a file done before
  the stop is not read again) and every record of every file ends written exactly once, every file done.
* One Ctrl-C is enough even when it lands where it used to be lost: right after Beam's StateSampler started its
  thread and before it counted itself started (about 1 press in 5 with --match_continuously on an idle watch, where
  each poll is a bundle), the bundle's cleanup left that non-daemon thread running and the interpreter's exit waited
  for it until a second Ctrl-C. The press is placed there on purpose (a real SIGINT the job sends itself there)."""
import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines import streaming
from pipelines.core import stream_state
from tests.conftest import REPO
from tests.streaming.test_stream_continuous import _drop_jsonl, _ledger_sizes, _log_tail, _now, _tables
from tests.streaming.test_stream_e2e import assert_reports_sum

WINDOW = 5.0  # --window
START_WAIT = 120.0  # bound on each wait for the job's progress (seconds on a quiet machine, much more under load)
STOP_WAIT = 30.0  # bound on the job's exit after one signal (it exits in well under a second)
BIG = 600  # records of the file in flight when the job is stopped, read 5 at a time: 120 bundles


def _job(cmd, landing, out, log_path, *options):
    args = ["--watch", os.path.join(landing, "*"), "--output", out, "--window", f"{WINDOW:g}s",
            "--allowed_lateness", "300s", "--poll_interval", "1s", "--settle_seconds", "1s", *options]
    log = open(log_path, "w")
    # a session of its own (what is left of it can be found and killed), SIGINT not inherited as ignored
    proc = subprocess.Popen([*cmd, *args], cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    log.close()
    return proc


def _wait_for(proc, log_path, what, condition, bound=START_WAIT):
    deadline = time.time() + bound
    while time.time() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            pytest.fail(f"the job exited ({proc.returncode}) while waiting for {what}:\n{_log_tail(log_path)}")
        time.sleep(0.1)
    pytest.fail(f"no {what} after {bound:g}s:\n{_log_tail(log_path)}")


def _stopped(proc, log_path, signum, code, name):
    """Sends one signal; the job must exit with `code`, say so, and leave nothing of it running."""
    os.kill(proc.pid, signum)
    try:
        proc.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {STOP_WAIT:g}s after one {name}:\n{_log_tail(log_path)}")
    log = _log_tail(log_path)
    assert proc.returncode == code, log
    assert f"stopped ({name}); files not marked done in" in log and "picked up again on restart" in log, log
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # nothing of the job is left running


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(STOP_WAIT)


def _marker(out, path, size, kind):
    return os.path.join(out, stream_state.LEDGER, f"{stream_state.file_key(path, size)}.{kind}")


def _stamp(marker):
    st = os.stat(marker)
    return st.st_ino, st.st_mtime_ns  # a read writes the .seen marker again (a new file moved into place)


def _done(out):
    """Paths with a .done marker (none before the ledger's folder exists)."""
    return _ledger_sizes(out, "done") if os.path.isdir(os.path.join(out, stream_state.LEDGER)) else {}


def _all_refs(out):
    return sorted(ref for refs in _tables(out).values() for ref in refs or [])


@pytest.mark.integration
def test_sigterm_stops_the_job_and_a_restart_reads_only_what_was_not_done(tmp_path):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    os.makedirs(landing)
    proc = _job([sys.executable, "-m", "pipelines.streaming"], landing, out, log_path, "--read_chunk", "5")
    try:
        first = _drop_jsonl(landing, "wave1.jsonl", [
            _now("steel"), _now("chips", offset=0.001),
            _now("steel", "https://news.example.com/steel?utm_source=feed", offset=0.002),  # exact_url
            '{"url": "https://news.example.com/cut", "title": "half a record',  # rejected
        ])
        _wait_for(proc, log_path, "the first file done", lambda: first in _done(out))
        names = ["steel", "chips", "rain", "coach"]
        big = _drop_jsonl(landing, "wave2.jsonl", [
            _now(names[i % 4], f"https://news.example.com/{i}", offset=0.001 * i) for i in range(BIG)])
        _wait_for(proc, log_path, "the second file being read",
                  lambda: os.path.exists(_marker(out, big, os.path.getsize(big), stream_state.SEEN)))
        _stopped(proc, log_path, signal.SIGTERM, 143, "SIGTERM")
    finally:
        if proc.poll() is None:
            _kill(proc)

    files = {first: os.path.getsize(first), big: os.path.getsize(big)}
    done = {p for p, sizes in _ledger_sizes(out, "done").items() if files.get(p) in sizes}
    assert first in done
    assert big not in done, "the second file was done before the stop: nothing was in flight"
    seen = {p: _stamp(_marker(out, p, files[p], stream_state.SEEN)) for p in done}
    written_before = _all_refs(out)
    assert len(written_before) == len(set(written_before))

    # The restart reads only the file not marked done, writes each of its records not written yet, and marks it.
    assert streaming.main(["--watch", os.path.join(landing, "*"), "--once", "--output", out]) == 0
    assert {p: _stamp(_marker(out, p, files[p], stream_state.SEEN)) for p in done} == seen, "a done file was read again"
    assert _ledger_sizes(out, "done") == {p: {size} for p, size in files.items()}
    refs = {f"{first}:{i}" for i in range(1, 5)} | {f"{big}:{i}" for i in range(1, BIG + 1)}
    tables = _tables(out)
    assert _all_refs(out) == sorted(refs)  # every record once: an article, a duplicate or a rejection
    assert set(written_before) <= refs
    assert_reports_sum(out, refs, tables["articles"], tables["duplicates"], tables["rejected"])
    assert tables["rejected"] == [f"{first}:4"]


# The job with a Ctrl-C placed where one used to be lost: in statesampler.StateSampler.start (Beam 2.77's body,
# copied), once the test has asked for it, after the sampling thread has started and before the sampler is started.
PRESS_IN_SAMPLER_START = """
import os, signal, sys, threading
from apache_beam.runners.worker import statesampler

press, base_start = sys.argv.pop(1), statesampler.statesampler_impl.StateSampler.start

def start(self):
    self.tracked_thread = threading.current_thread()
    statesampler.set_current_tracker(self)
    base_start(self)
    if os.path.exists(press):
        os.remove(press)
        signal.raise_signal(signal.SIGINT)
    self.started = True

statesampler.StateSampler.start = start
from pipelines import streaming
sys.exit(streaming.main(sys.argv[1:]))
"""


@pytest.mark.integration
def test_one_ctrl_c_stops_the_job_where_it_used_to_be_lost(tmp_path):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    press = str(tmp_path / "press")
    os.makedirs(landing)
    proc = _job([sys.executable, "-c", PRESS_IN_SAMPLER_START, press], landing, out, log_path,
                "--match_continuously")
    try:
        first = _drop_jsonl(landing, "wave1.jsonl", [_now("steel"), _now("chips", offset=0.001)])
        _wait_for(proc, log_path, "the file done", lambda: first in _done(out))
        open(press, "w").close()
        _wait_for(proc, log_path, "the Ctrl-C", lambda: not os.path.exists(press))
        try:
            proc.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {STOP_WAIT:g}s after one Ctrl-C:\n{_log_tail(log_path)}")
        log = _log_tail(log_path)
        assert proc.returncode == 130, log
        assert "stopped (Ctrl-C); files not marked done in" in log, log
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)
    finally:
        if proc.poll() is None:
            _kill(proc)
    assert sorted(_tables(out)["articles"]) == [f"{first}:1", f"{first}:2"]
