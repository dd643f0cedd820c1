"""StreamNearDup: MinHash LSH near-duplicate detection in streaming, with Beam state keyed by LSH band group.

Fingerprint (a bundle's rows become one batch) -> ProbeBands (state per group of bands: band key -> compact
fingerprints; first to land wins) -> JoinBatch (the groups' answers for the batch) -> each row's `_dup`.
Batching matters: the DirectRunner pays ~0.1 ms per distinct key and bundle, so one key per band key (42 per
article) ran at ~50 articles/s. Logic: pipelines.core.stream_near_dup.
"""
from __future__ import annotations

import uuid
from typing import Any, Tuple

import apache_beam as beam
from apache_beam.coders import PickleCoder, VarIntCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import Timestamp
from apache_beam.utils.windowed_value import WindowedValue

from pipelines.core import near_dup as nd
from pipelines.core import stream_near_dup as snd
from pipelines.core import stream_state
from pipelines.core.stream_windows import epoch_seconds
from pipelines.stages.stream_dedup import cheap_state_sizing

MAX_BATCH = 500
COMPACT_SHARE = 0.1  # rewrite a group's state once a tenth of its entries has expired


class _FingerprintFn(beam.DoFn):
    """Computes each row's shingles and band keys once (kept on the row as `_index` for the index writer) and
    sends a bundle's rows as one batch: one probe list per band group, the rows with group 0's. Exact copies
    probe read-only: they are never stored."""

    def __init__(self, cfg: nd.NearDupConfig, groups: int):
        self.cfg, self.groups = cfg, groups

    def start_bundle(self):
        self.batch, self.earliest = [], None

    def process(self, row, timestamp=beam.DoFn.TimestampParam):
        hashes, keys = snd.fingerprint(row["text"], self.cfg)
        row["_index"] = (keys, hashes)
        self.batch.append((row, keys))  # a row too short to judge has no keys: it only rides along
        self.earliest = timestamp if self.earliest is None else min(self.earliest, timestamp)
        if len(self.batch) >= MAX_BATCH:
            yield from self.flush()

    def finish_bundle(self):
        yield from self.flush()

    def flush(self):
        if not self.batch:
            return
        batch_id, rows = uuid.uuid4().hex, [row for row, _ in self.batch]
        probes = [[] for _ in range(self.groups)]
        for row, keys in self.batch:
            if not keys:
                continue
            event = epoch_seconds(row["scraped_at"])
            landed = row.get("_landed")
            order = (event if landed is None else landed, row["scraped_at"], row["article_id"])
            entry = snd.Entry(order, event, snd.shingles32(row["_index"][1]), row["input_ref"], batch_id)
            per_group = [[] for _ in range(self.groups)]
            for band, key in enumerate(keys):  # lsh_keys lists band 0, 1, ... in order
                per_group[band % self.groups].append(key)
            for group, group_keys in enumerate(per_group):
                probes[group].append((entry, row.get("_dup") is not None, group_keys))
        at, self.batch, self.earliest = self.earliest, [], None
        for group, group_probes in enumerate(probes):
            carried = rows if group == 0 else None  # the rows reach the join through group 0: no Flatten there
            yield WindowedValue((group, (batch_id, group_probes, carried)), at, [GlobalWindow()])


_SEEDS: dict = {}  # per process: transform token -> buckets written before this job started
_INDEXES: dict = {}  # per process: (transform token, group) -> BandIndex, checked against the state's size


class _ProbeBandsFn(beam.DoFn):
    """Keyed by band group. State: every stored (band keys, Entry) of the group, one list per batch, and their count. The DirectRunner
    builds a fresh DoFn per bundle, so the in-memory index lives at module level, rebuilt whenever its size
    disagrees with the state (another worker owned the key meanwhile)."""

    ENTRIES = BagStateSpec("entries", PickleCoder())
    SIZE = ReadModifyWriteStateSpec("size", VarIntCoder())

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float, groups: int, output: str | None, lookback_days: int):
        self.cfg, self.state_ttl, self.groups = cfg, state_ttl, groups
        self.output, self.lookback_days = output, lookback_days
        self.token = uuid.uuid4().hex
        self.stored = Metrics.counter("stream_near_dup", "entries_stored")
        self.later = Metrics.counter("stream_near_dup", "matched_after_probe")
        self.rebuilt = Metrics.counter("stream_near_dup", "index_rebuilds")

    def setup(self):
        cheap_state_sizing()

    def seeded(self, group: int) -> dict:
        if self.output is None:
            return {}
        if self.token not in _SEEDS:  # once per job and process: what was written before the job started
            _SEEDS[self.token] = stream_state.written_bands(self.output, self.lookback_days, self.cfg)
        return {k: v for k, v in _SEEDS[self.token].items() if snd.band_group(k, self.groups) == group}

    def index(self, group: int, entries, size: int) -> snd.BandIndex:
        index = _INDEXES.get((self.token, group))
        if index is None or index.size != size:
            self.rebuilt.inc()
            index = self.rebuild(group, entries.read())
        return index

    def rebuild(self, group: int, stored) -> snd.BandIndex:
        index = snd.BandIndex(self.cfg, self.state_ttl)
        for key, bucket in self.seeded(group).items():
            for entry in bucket:
                index.add([key], entry, counted=False)
        for added in stored:
            for keys, entry in added:
                index.add(keys, entry)
        _INDEXES[(self.token, group)] = index
        return index

    def process(self, kv, entries=beam.DoFn.StateParam(ENTRIES), size=beam.DoFn.StateParam(SIZE)):
        group, (batch_id, probes, rows) = kv
        index = self.index(group, entries, size.read() or 0)
        answers, lates, added = {}, {}, []
        for entry, read_only, keys in sorted(probes, key=lambda p: p[0].order):  # first to land, first stored
            matches, later, store = index.judge(entry, keys, read_only)
            answers[entry.ref] = matches
            if store:
                index.add(store, entry)
                added.append((store, entry))
            for target, match in later:
                lates.setdefault(target, []).append(match)
        if added:
            entries.add(added)  # one bag element per batch: one pickle, not one per article
            self.stored.inc(len(added))
        latest = max((p[0].event_ts for p in probes), default=None)
        if latest is not None and index.expired_share(latest) >= COMPACT_SHARE:
            live = index.live(latest)
            entries.clear()
            entries.add(live)
            index = self.rebuild(group, [live])
        size.write(index.size)
        yield batch_id, ("answers", answers)
        if rows is not None:
            yield batch_id, ("rows", rows)
        for (target_batch, target_ref), found in lates.items():  # a record of an earlier batch, still pending
            self.later.inc(len(found))
            yield target_batch, ("late", {target_ref: found})



class _JoinBatchFn(beam.DoFn):
    """Keyed by batch: waits for the rows and one answer per band group, then sets each row's `_dup`. A `late`
    match (a record that reached a shared bucket after this one but landed first) counts while the batch waits."""

    MESSAGES = BagStateSpec("messages", PickleCoder())
    COUNT = ReadModifyWriteStateSpec("count", VarIntCoder())
    GC = TimerSpec("gc", TimeDomain.WATERMARK)

    def __init__(self, groups: int, state_ttl: float):
        self.expected, self.state_ttl = 1 + groups, state_ttl  # the rows and one answer per group
        self.near = Metrics.counter("stream_near_dup", "near_duplicates")
        self.redirected = Metrics.counter("stream_near_dup", "exact_copies_redirected")

    def setup(self):
        cheap_state_sizing()

    def process(self, kv, messages=beam.DoFn.StateParam(MESSAGES), count=beam.DoFn.StateParam(COUNT),
                gc=beam.DoFn.TimerParam(GC), timestamp=beam.DoFn.TimestampParam):
        _, message = kv
        messages.add(message)
        if message[0] == "late":
            gc.set(Timestamp(float(timestamp) + self.state_ttl))  # only ever frees late matches for a done batch
            return
        seen = (count.read() or 0) + 1
        if seen < self.expected:
            count.write(seen)
            return
        rows, matches = [], {}
        for kind, value in messages.read():
            if kind == "rows":
                rows = value
            else:
                for ref, found in value.items():
                    matches.setdefault(ref, []).extend(found)
        messages.clear()
        count.clear()
        for row in rows:
            before = row.get("_dup")
            row["_dup"] = snd.decide(before, matches.get(row["input_ref"], []))
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
    article now carrying `_dup` = (duplicate_of, rule, similarity), every row carrying `_index` for index/.
    `groups` band groups are the state keys: more spreads the work, each holds its own copy of the shingles."""

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float, output: str | None = None, lookback_days: int = 7,
                 groups: int = 1):
        super().__init__()
        self.cfg, self.state_ttl, self.groups = cfg, state_ttl, max(1, min(groups, cfg.bands))
        self.output, self.lookback_days = output, lookback_days

    def expand(self, rows):
        # No Flatten in front of a stateful step: on the DirectRunner that held the step back until the job
        # stopped. The rows reach the join through ProbeBands (group 0).
        return (
            rows
            | "Fingerprint" >> beam.ParDo(_FingerprintFn(self.cfg, self.groups)).with_output_types(Tuple[int, Any])
            | "ProbeBands" >> beam.ParDo(
                _ProbeBandsFn(self.cfg, self.state_ttl, self.groups, self.output, self.lookback_days))
            .with_input_types(Tuple[int, Any]).with_output_types(Tuple[str, Any])
            | "JoinBatch" >> beam.ParDo(_JoinBatchFn(self.groups, self.state_ttl)).with_input_types(Tuple[str, Any])
        )
