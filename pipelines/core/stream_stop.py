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
"""
from __future__ import annotations

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
        if self.taken.is_set():
            return  # the stop is under way, and bounded by `limit`
        if self.signum is None:
            self.signum = signum
            self.signalled.set()
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
