"""Work bounds for one page: a wall-clock deadline checked inside loops (safe in any thread)."""

from __future__ import annotations

import time


class ExtractionError(Exception):
    """A page that cannot be turned into an article; `reason` is a short stable code."""

    REASONS = frozenset({"too_large", "too_deep", "extract_timeout", "not_html", "no_body", "empty_extraction"})

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Deadline:
    """Raises ExtractionError('extract_timeout') once the budget is spent.

    signal.alarm only works in the main thread, and Beam runs DoFns in worker threads,
    so every loop over nodes calls `check()` instead.
    """

    __slots__ = ("_end", "budget_s")

    def __init__(self, budget_s: float):
        self.budget_s = budget_s
        self._end = time.monotonic() + budget_s

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise ExtractionError("extract_timeout", f"over {self.budget_s:.2f}s")

    def expired(self) -> bool:
        return time.monotonic() > self._end
