"""How a watching job is stopped by a signal (no Beam): SIGINT (Ctrl-C) and SIGTERM (Kubernetes, systemd, Airflow,
`docker stop`) both raise KeyboardInterrupt in the main thread, where the DirectRunner runs the bundles, so the
runner unwinds and closes its workers as it did for Ctrl-C, and the job's `main` turns the stop into its last line.

One signal is enough, whatever it lands on:
* a KeyboardInterrupt raised inside a `__del__` (a gRPC object being finalised) is printed and ignored by Python:
  it is raised again every `again` seconds until the job has taken it (`taken`);
* a bundle cut short can leave Beam's StateSampler thread running (the interrupt lands in StateSampler.start after
  the thread started, before it counts as started, so the bundle's `finally` does not stop it); it is not a daemon
  thread, and the interpreter's exit would wait for it until a second Ctrl-C. So once the job has said it stopped,
  the process ends at once (`end`), without waiting for the runner's threads;
* if the job has not ended `limit` seconds after the signal (inside Kubernetes' default 30 s grace), it is ended
  there, with the same code.

A group of writes that must land whole (a pane's Parquet files and its report) runs inside `critical()`: a signal
arriving there is held and raised when the group ends, so a stop never leaves a pane half written. `limit` still
bounds a group that never ends. Groups may run in any thread: the held stop is raised in the main thread, where
the handler is.
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import sys
import threading
import time
import _thread

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number, as a shell reports them
AGAIN_SECONDS = 5.0
LIMIT_SECONDS = 20.0

# Open critical() groups (any thread) and the signal held while one was open. The handler only reads the count and
# sets `_held`: it runs in the main thread between any two bytecodes, possibly inside critical() itself, so it must
# not take the lock.
_lock = threading.Lock()
_open = 0
_held = None


@contextlib.contextmanager
def critical():
    """A group of writes a stop signal does not cut: one arriving inside it is held and raised as the group ends
    (as KeyboardInterrupt when the group ran in the main thread, else as the signal again in the main thread).
    Without StopSignals entered it changes nothing."""
    global _open, _held
    with _lock:
        _open += 1
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            signum = _held if _open == 0 else None
            if signum is not None:
                _held = None
        if signum is not None:
            if threading.current_thread() is threading.main_thread():
                raise KeyboardInterrupt
            _thread.interrupt_main(signum)


def _finish_open_groups(limit: float = LIMIT_SECONDS) -> None:
    """At the interpreter's exit, a group still being written by another thread is waited for (up to `limit`).
    This is what a --direct_running_mode=multi_processing worker needs: a terminal's Ctrl-C reaches the whole
    process group, the worker's main thread (not the one writing the pane, a thread of the SDK harness) gets the
    KeyboardInterrupt and the interpreter exits, which would otherwise end its daemon threads mid-pane."""
    deadline = time.monotonic() + limit
    while _open and time.monotonic() < deadline:
        time.sleep(0.05)


atexit.register(_finish_open_groups)


def held() -> bool:
    """Is a stop signal being held until the open critical() groups end?"""
    return _held is not None


class StopSignals:
    """Context manager: while inside it (in the main thread), SIGINT and SIGTERM stop the job. A signal ignored when
    it is entered (a background job's SIGINT) stays ignored; the previous handlers are restored on the way out."""

    def __init__(self, again: float = AGAIN_SECONDS, limit: float = LIMIT_SECONDS):
        self.again, self.limit = again, limit
        self.signum = None  # the first signal received
        self.signalled = threading.Event()  # set by the first signal, or on the way out
        self.taken = threading.Event()  # the job has caught its stop
        self.previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in EXIT_CODES:
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    self.previous[signum] = signal.signal(signum, self._handle)
        if self.previous:
            # started here, not by the handler: the handler runs wherever the main thread was, even inside
            # threading's own code, so it does no more than set an Event
            threading.Thread(target=self._watch, name="stop-watch", daemon=True).start()
        return self

    def __exit__(self, *exc):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous = {}
        self.signalled.set()  # lets the watch end when no signal came
        return False

    def _handle(self, signum, frame):
        global _held
        if self.taken.is_set():
            return  # the stop is under way, and bounded by `limit`
        if self.signum is None:
            self.signum = signum
            self.signalled.set()
        if _open:
            _held = signum  # raised when the group of writes ends (critical)
            return
        raise KeyboardInterrupt

    def _watch(self):
        self.signalled.wait()
        if self.signum is None:
            return
        deadline = time.monotonic() + self.limit
        while not self.taken.is_set() and time.monotonic() < deadline:
            if not self.taken.wait(max(0.0, min(self.again, deadline - time.monotonic()))) \
                    and time.monotonic() < deadline:
                _thread.interrupt_main(self.signum)  # the last one was swallowed: raise it again
        time.sleep(max(0.0, deadline - time.monotonic()))
        # written directly, not logged: the main thread may be stuck holding a lock of logging's
        os.write(2, f"newsflow.stream: stopped by {self.describe()}: not ended {self.limit:g}s after it, so ended "
                    f"without waiting for the runner\n".encode())
        os._exit(self.code)

    @property
    def code(self) -> int:
        """The exit code of this stop: 128 + the signal (130 for a KeyboardInterrupt raised by anything else)."""
        return EXIT_CODES.get(self.signum, 130)

    def take(self) -> int:
        """The job has caught its stop: no more KeyboardInterrupt from now on. Returns the exit code."""
        self.taken.set()
        return self.code

    def describe(self) -> str:
        return "Ctrl-C" if self.signum in (None, signal.SIGINT) else signal.Signals(self.signum).name

    def end(self, code: int) -> int:
        """After a stop by signal, ends the process now (logs and output flushed); else returns `code`."""
        if self.signum is not None:
            while _open:  # a group of writes in another thread finishes first (bounded by `limit`)
                time.sleep(0.05)
            _exit(code)
        return code


def _exit(code: int) -> None:
    logging.shutdown()  # in the main thread, after its stop line
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed stream has nothing left to write
            pass
    os._exit(code)
