"""pipelines.core.stream_stop on its own: a small Python process (no Beam) that works inside StopSignals the way the
job's main does, sent real signals. The ways one signal was not enough are staged on purpose: the interrupt
swallowed once (as inside a __del__), and a non-daemon thread left running (as Beam's StateSampler was)."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from pipelines.core import stream_stop
from tests.conftest import REPO

WAIT = 30.0  # bound on each wait for the process; it ends in well under a second when it works

JOB = textwrap.dedent("""
    import os, sys, threading, time
    from pipelines.core.stream_stop import StopSignals

    swallow, leftover, hang = (int(x) for x in sys.argv[1:4])
    with StopSignals(again=0.5, limit=float(sys.argv[4])) as stop:
        try:
            open(sys.argv[5], "w").close()  # ready for the signal
            while True:
                try:
                    time.sleep(0.01)
                except KeyboardInterrupt:
                    if not swallow:
                        raise
                    swallow -= 1  # lost, as one raised inside a __del__ is
                    print("swallowed", flush=True)
        except KeyboardInterrupt:
            code = stop.take()
            if leftover:  # still running when the job ends, not a daemon
                threading.Thread(target=time.sleep, args=(3600,)).start()
            print(f"stopped ({stop.describe()})", flush=True)
            while hang:
                time.sleep(0.1)  # a stop that does not finish
            sys.exit(stop.end(code))
    print("not stopped", flush=True)
""")


def _start(tmp_path, swallow=0, leftover=0, hang=0, limit=20.0):
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", JOB, str(swallow), str(leftover), str(hang), str(limit), str(ready)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + WAIT
    while not ready.exists():
        assert proc.poll() is None and time.time() < deadline, proc.communicate()[0]
        time.sleep(0.05)
    return proc


def _ended(proc):
    try:
        out, _ = proc.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"still running {WAIT:g}s after one signal: {proc.communicate()[0]}")
    return proc.returncode, out


@pytest.mark.parametrize("signum, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_one_signal_stops_with_its_code_and_says_so(tmp_path, signum, code, name):
    proc = _start(tmp_path)
    os.kill(proc.pid, signum)
    assert _ended(proc) == (code, f"stopped ({name})\n")


def test_an_interrupt_swallowed_is_raised_again(tmp_path):
    proc = _start(tmp_path, swallow=1)
    os.kill(proc.pid, signal.SIGTERM)
    assert _ended(proc) == (143, "swallowed\nstopped (SIGTERM)\n")


def test_a_thread_left_running_does_not_hold_the_exit(tmp_path):
    proc = _start(tmp_path, leftover=1)
    os.kill(proc.pid, signal.SIGINT)
    assert _ended(proc) == (130, "stopped (Ctrl-C)\n")


def test_a_stop_that_does_not_finish_is_ended_at_the_limit(tmp_path):
    proc = _start(tmp_path, hang=1, limit=2.0)
    started = time.time()
    os.kill(proc.pid, signal.SIGTERM)
    code, out = _ended(proc)
    assert code == 143 and out.startswith("stopped (SIGTERM)\n") and "ended without waiting" in out
    assert time.time() - started >= 1.5


def test_in_process_the_handlers_are_restored_and_nothing_exits():
    """main() is called in-process by tests: without a signal the stop returns its code, and afterwards SIGINT and
    SIGTERM are handled as before (an ignored SIGINT stays ignored) and no thread of it is left."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with stream_stop.StopSignals() as stop:
        assert signal.getsignal(signal.SIGTERM) == stop._handle
        assert stop.end(stop.take()) == 130  # a KeyboardInterrupt raised by no signal: a Ctrl-C
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    deadline = time.time() + WAIT
    while any(t.name == "stop-watch" for t in threading.enumerate()):  # its watch ends with it
        assert time.time() < deadline, "the stop's watch thread outlived it"
        time.sleep(0.01)
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with stream_stop.StopSignals():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)


GROUP = textwrap.dedent("""
    import os, sys, threading, time
    from pipelines.core.stream_stop import StopSignals, critical, held

    in_thread, ready, go = sys.argv[1] == "thread", sys.argv[2], sys.argv[3]

    def group():
        with critical():
            open(ready, "w").close()  # the signal is sent now, inside the group
            deadline = time.time() + 20
            while not os.path.exists(go) and time.time() < deadline:
                time.sleep(0.01)
            print(f"group ended, held={held()}", flush=True)

    with StopSignals(again=60, limit=20) as stop:
        try:
            if in_thread:
                threading.Thread(target=group).start()
            else:
                group()
            while True:
                time.sleep(0.01)
        except KeyboardInterrupt:
            print(f"stopped ({stop.describe()})", flush=True)
            sys.exit(stop.end(stop.take()))
""")


@pytest.mark.parametrize("where", ["main", "thread"])
def test_a_signal_inside_a_critical_group_is_raised_when_the_group_ends(tmp_path, where):
    """The signal arrives while the group is open (the process waits for `go`, sent after the signal): the group
    runs to its end and the stop comes after it. `again` is long, so no re-raise by the watch helps."""
    ready, go = tmp_path / "ready", tmp_path / "go"
    proc = subprocess.Popen([sys.executable, "-c", GROUP, where, str(ready), str(go)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + WAIT
    while not ready.exists():
        assert proc.poll() is None and time.time() < deadline, proc.communicate()[0]
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGTERM)
    time.sleep(0.5)  # the handler has run (the main thread wakes from its 10 ms sleeps)
    assert proc.poll() is None, proc.communicate()[0]  # not cut inside the group
    go.touch()
    assert _ended(proc) == (143, "group ended, held=True\nstopped (SIGTERM)\n")


def test_a_critical_group_without_a_stop_changes_nothing():
    with stream_stop.critical():
        with stream_stop.critical():
            pass
    assert not stream_stop.held() and stream_stop._open == 0
    with pytest.raises(ValueError):
        with stream_stop.critical():
            raise ValueError
    assert stream_stop._open == 0
