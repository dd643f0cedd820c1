"""StreamNearDup: MinHash LSH near-duplicate detection in streaming, with Beam state keyed by LSH band key.

Fingerprint -> ProbeBands (one bucket of compact fingerprints per band key; first seen wins) -> JoinBands (the
per-band matches of one record, joined by input_ref) -> the record's `_dup`. Logic: pipelines.core.stream_near_dup.
"""
from __future__ import annotations

from typing import Any, Tuple

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.coders import PickleCoder, VarIntCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Timestamp

from pipelines.core import near_dup as nd
from pipelines.core import stream_near_dup as snd
from pipelines.core import stream_state
from pipelines.core.stream_windows import epoch_seconds, expired
from pipelines.stages.stream_dedup import cheap_state_sizing

PROBES = "probes"
JUDGED = "judged"  # records too short to judge: they skip the bands


class _FingerprintFn(beam.DoFn):
    """Computes a row's shingles and band keys once (kept on the row as `_index` for the index writer) and sends
    one probe per band plus the row itself to the join. Exact copies probe read-only: they are never stored."""

    def __init__(self, cfg: nd.NearDupConfig):
        self.cfg = cfg

    def process(self, row):
        hashes, keys = snd.fingerprint(row["text"], self.cfg)
        row["_index"] = (keys, hashes)
        if not keys:
            yield pvalue.TaggedOutput(JUDGED, row)
            return
        landed = row.get("_landed")
        event = epoch_seconds(row["scraped_at"])
        order = (event if landed is None else landed, row["scraped_at"], row["article_id"])
        entry = snd.Entry(order, event, snd.shingles32(hashes), row["input_ref"])
        read_only = row.get("_dup") is not None
        for key in keys:
            yield pvalue.TaggedOutput(PROBES, (key, (entry, read_only)))
        yield row["input_ref"], ("row", row)


class _SeededBands:
    """Band buckets of the articles earlier runs wrote (from index/), loaded once per worker after a restart."""

    def __init__(self, output: str | None, lookback_days: int, cfg: nd.NearDupConfig):
        self.output, self.lookback_days, self.cfg = output, lookback_days, cfg

    def load(self) -> dict:
        if self.output is None:
            return {}
        return stream_state.written_bands(self.output, self.lookback_days, self.cfg)


class _ProbeBandFn(beam.DoFn):
    ENTRIES = BagStateSpec("entries", PickleCoder())
    EXPIRE = TimerSpec("expire", TimeDomain.WATERMARK)

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float, seed: _SeededBands):
        self.cfg, self.state_ttl, self.seed = cfg, state_ttl, seed
        self.stored = Metrics.counter("stream_near_dup", "bucket_entries_stored")
        self.later = Metrics.counter("stream_near_dup", "matched_after_probe")

    def setup(self):
        cheap_state_sizing()
        self.seeded = self.seed.load()
        self.latest = float("-inf")

    def process(self, kv, entries=beam.DoFn.StateParam(ENTRIES), expire=beam.DoFn.TimerParam(EXPIRE)):
        key, (entry, read_only) = kv
        self.latest = max(self.latest, entry.event_ts)
        stored = list(entries.read())
        bucket = stored or self.seeded.get(key, [])
        matches, later = snd.probe(bucket, entry, self.state_ttl, self.cfg)
        if not read_only and snd.should_store(bucket, matches, self.cfg):
            live = [e for e in bucket if not expired(e.event_ts, entry.event_ts, self.state_ttl)]
            if len(live) != len(stored):  # drop expired entries, or take over the seeded ones
                entries.clear()
                for e in live:
                    entries.add(e)
            entries.add(entry)
            self.stored.inc()
            expire.set(Timestamp(max(e.event_ts for e in live + [entry]) + self.state_ttl))
        yield entry.ref, ("band", matches)
        if not read_only:
            for ref, match in later:
                self.later.inc()
                yield ref, ("late", [match])

    @on_timer(EXPIRE)
    def expire(self, entries=beam.DoFn.StateParam(ENTRIES), fired=beam.DoFn.TimestampParam):
        if self.latest >= float(fired):  # as in StreamDedup: a timer that fires ahead of the data frees nothing
            entries.clear()


class _JoinBandsFn(beam.DoFn):
    """Keyed by input_ref: waits for the row and one answer per band, then sets the row's `_dup`. A `late` match
    (a record that reached a shared bucket after this one but lands first) counts while the record is pending."""

    MESSAGES = BagStateSpec("messages", PickleCoder())
    COUNT = ReadModifyWriteStateSpec("count", VarIntCoder())
    GC = TimerSpec("gc", TimeDomain.WATERMARK)

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float):
        self.expected, self.state_ttl = 1 + cfg.bands, state_ttl
        self.near = Metrics.counter("stream_near_dup", "near_duplicates")
        self.redirected = Metrics.counter("stream_near_dup", "exact_copies_redirected")

    def setup(self):
        cheap_state_sizing()

    def process(self, kv, messages=beam.DoFn.StateParam(MESSAGES), count=beam.DoFn.StateParam(COUNT),
                gc=beam.DoFn.TimerParam(GC), timestamp=beam.DoFn.TimestampParam):
        _, message = kv
        if message[0] == "late":
            messages.add(message)
            gc.set(Timestamp(float(timestamp) + self.state_ttl))  # only ever frees an orphan late match
            return
        messages.add(message)
        seen = (count.read() or 0) + 1
        if seen < self.expected:
            count.write(seen)
            return
        row, matches = None, []
        for kind, value in messages.read():
            if kind == "row":
                row = value
            else:
                matches.extend(value)
        messages.clear()
        count.clear()
        before = row.get("_dup")
        row["_dup"] = snd.decide(before, matches)
        if before is None and row["_dup"] is not None:
            self.near.inc()
        elif before is not None and row["_dup"] != before:
            self.redirected.inc()
        yield row

    @on_timer(GC)
    def gc(self, messages=beam.DoFn.StateParam(MESSAGES), count=beam.DoFn.StateParam(COUNT)):
        if not count.read():
            messages.clear()


class StreamNearDup(beam.PTransform):
    """Rows from StreamDedup in (exact copies carry `_dup`); out: the same rows, near-duplicates of an earlier
    article now carrying `_dup` = (duplicate_of, rule, similarity), every row carrying `_index` for index/."""

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float, output: str | None = None, lookback_days: int = 7):
        super().__init__()
        self.cfg, self.state_ttl = cfg, state_ttl
        self.seed = _SeededBands(output, lookback_days, cfg)

    def expand(self, rows):
        fingerprinted = rows | "Fingerprint" >> beam.ParDo(_FingerprintFn(self.cfg)).with_output_types(Any).with_outputs(
            PROBES, JUDGED, main="pending")
        answers = (
            fingerprinted[PROBES]
            | "ProbeBands" >> beam.ParDo(_ProbeBandFn(self.cfg, self.state_ttl, self.seed))
            .with_input_types(Tuple[str, Any]).with_output_types(Tuple[str, Any])
        )
        joined = (
            (fingerprinted.pending, answers)
            | "RowAndAnswers" >> beam.Flatten()
            | "JoinBands" >> beam.ParDo(_JoinBandsFn(self.cfg, self.state_ttl)).with_input_types(Tuple[str, Any])
        )
        return (joined, fingerprinted[JUDGED]) | "AllJudged" >> beam.Flatten()
