"""Work bounds for one page: a wall-clock deadline checked inside loops (safe in any thread)."""

from __future__ import annotations

import re
import time
from itertools import accumulate

# Containers whose end tags browsers (and lexbor) match against the open-element stack; a page
# nesting tens of thousands of them makes the C parser quadratic, so we refuse it before parsing.
_CONTAINER_TAG = re.compile(
    r"<(/?)(?:div|section|article|main|aside|header|footer|nav|ul|ol|dl|table|blockquote|form|span)[\s>/]", re.I)


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


PARSE_SAFE_DEPTH = 5_000  # lexbor parses nesting this deep in well under 0.1 s


def too_deep_to_parse(html: str, max_depth: int) -> bool:
    """True when container tags nest deeper than max(max_depth, PARSE_SAFE_DEPTH), judged from the raw text.

    Shallower pages go straight to the parser; the DOM walk then enforces max_depth exactly.
    """
    bound = max(max_depth, PARSE_SAFE_DEPTH)
    opens = html.count("<")
    if opens <= bound or opens - html.count("</") <= bound:  # cannot hold that many open elements
        return False
    marks = _CONTAINER_TAG.findall(html)
    return max(accumulate(-1 if closing else 1 for closing in marks), default=0) > bound
