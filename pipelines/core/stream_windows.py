"""Event-time arithmetic for the streaming job: durations, fixed windows, partition dates, lateness rules."""
from __future__ import annotations

import re
from datetime import datetime, timezone

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_duration(text: str | int | float) -> float:
    """'60s', '5m', '1h', '7d' or plain seconds -> seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 60s, 5m, 1h, 7d)")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def epoch_seconds(scraped_at: str) -> float:
    """The fixed-width UTC string of records.format_timestamp -> seconds since the epoch."""
    return datetime.fromisoformat(scraped_at.replace("Z", "+00:00")).timestamp()


def window_start(ts: float, size: float) -> int:
    """Start (whole seconds) of the fixed window holding ts; windows are aligned to the epoch like FixedWindows."""
    return int(ts // size * size)


def window_dt(start: float) -> str:
    """The dt= partition of a window: the UTC date of its start (a window that divides a day never spans two)."""
    return datetime.fromtimestamp(start, tz=timezone.utc).date().isoformat()


def is_too_old(event_ts: float, landed_ts: float, state_ttl: float) -> bool:
    """A record scraped longer than the dedup state's lifetime before it landed can no longer be deduplicated
    reliably, so it is rejected instead of being written as if new."""
    return event_ts < landed_ts - state_ttl


def is_too_late(event_ts: float, landed_ts: float, size: float, lateness: float) -> bool:
    """A record that landed more than `lateness` after its window ended. This is the watermark rule with the
    watermark taken as the landing time, decided from the record itself, so every runner decides it alike."""
    return landed_ts > window_start(event_ts, size) + size + lateness


def expired(first_ts: float, event_ts: float, state_ttl: float) -> bool:
    """Dedup state older than its lifetime, judged from the record that looks it up (timers only free memory)."""
    return event_ts > first_ts + state_ttl
