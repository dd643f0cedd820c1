"""Streaming near-duplicate decisions (no Beam): LSH band buckets of compact fingerprints, first to land wins.

A bucket is what the state holds for one band key: a short list of Entry (who, when, its 32-bit shingle
hashes); never text. BandIndex is the in-memory view of the buckets of a group of bands.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from pipelines.core import near_dup as nd
from pipelines.core.stream_windows import expired


class Entry(NamedTuple):
    """One article in a band bucket. `order` = (landed, scraped_at, article_id): the first to land wins; copies
    landed together fall back to the batch order (earliest scraped_at, then smallest id). `ref` (input_ref)
    addresses the record's join while it is being decided."""

    order: tuple
    event_ts: float
    shingles: bytes  # sorted unique uint32 shingle hashes (nd.low_shingles), as batch stages and indexes them
    ref: str = ""
    batch: str = ""  # the batch the record is being decided in (StreamNearDup joins per batch)


class Match(NamedTuple):
    order: tuple
    article_id: str
    rule: str
    score: float


def shingles32(hashes: np.ndarray) -> bytes:
    """The compact form stored in state: ~4 bytes per shingle (nd.low_shingles, as bytes)."""
    return nd.low_shingles(hashes).tobytes()


def fingerprint(text: str, cfg: nd.NearDupConfig):
    """(shingle hashes, sorted unique uint32, band keys) of a text; no band keys when it is too short to judge."""
    hashes = nd.shingle_hashes(text, cfg)
    return hashes, nd.lsh_keys(hashes, cfg)


def probe(bucket: list[Entry], new: Entry, state_ttl: float, cfg: nd.NearDupConfig):
    """(matches, later): `matches` are live entries ahead of `new` in the order that pass the batch pair check
    (nd.judge_pair); `later` are live entries behind it that match (they were probed before `new` reached this
    bucket), as ((their batch, their ref), Match naming `new`)."""
    matches, later = [], []
    mine = np.frombuffer(new.shingles, dtype=np.uint32)
    for entry in bucket:
        if entry.order == new.order or expired(entry.event_ts, new.event_ts, state_ttl):
            continue
        # judge_pair as batch: a figure conflict (another edition of a template story) is not a match
        rule, score = nd.judge_pair(np.frombuffer(entry.shingles, dtype=np.uint32), mine,
                                    new.event_ts - entry.event_ts, cfg)
        if rule and rule != nd.FIGURE_CONFLICT:
            score = round(float(score), 4)
            if entry.order < new.order:
                matches.append(Match(entry.order, entry.order[2], rule, score))
            else:
                later.append(((entry.batch, entry.ref), Match(new.order, new.order[2], rule, score)))
    return matches, later


def should_store(bucket: list[Entry], matches: list[Match], cfg: nd.NearDupConfig) -> bool:
    """A probe joins the bucket unless an earlier article there already stands for it (a near-copy would only
    repeat its original) or the bucket is full (shared boilerplate; bounded like the batch max_bucket_size)."""
    return not matches and len(bucket) < cfg.max_bucket_size


def decide(dup, matches: list[Match]):
    """The `_dup` of a record after its band matches are joined: (duplicate_of, rule, similarity) or None.

    A survivor of exact dedup with matches points at the earliest matched article, with the best rule and score
    (as batch reports the best edge). An exact copy keeps its rule and is redirected to the earliest match, as
    batch redirects it when its exact survivor lost to an earlier near-copy: always for a content copy (its
    survivor has the same text, so the same matches), and for a URL copy only when its survivor is among the
    matches (otherwise its text says nothing about the survivor's fate)."""
    if not matches:
        return dup
    first = min(matches)
    if dup is None:
        score, rule = max((m.score, m.rule) for m in matches)
        return first.article_id, rule, score
    if dup[1] == "exact_content" or dup[0] in {m.article_id for m in matches}:
        return (first.article_id,) + tuple(dup[1:])
    return dup


def band_group(key: str, groups: int) -> int:
    """The state key a band key lives under: band i belongs to group i % groups."""
    return int(key.split(":", 1)[0]) % groups


class BandIndex:
    """The buckets of one group of bands, rebuilt from state and then kept in memory: band key -> entries.
    `size` counts the entries added from state, so a stale copy can be detected."""

    def __init__(self, cfg: nd.NearDupConfig, state_ttl: float):
        self.cfg, self.state_ttl = cfg, state_ttl
        self.buckets: dict[str, list[Entry]] = {}
        self.stored: list[tuple[list[str], Entry]] = []  # in insertion order, for compaction
        self.size = 0

    def add(self, keys: list[str], entry: Entry, counted: bool = True) -> None:
        for key in keys:
            self.buckets.setdefault(key, []).append(entry)
        if counted:
            self.stored.append((keys, entry))
            self.size += 1

    def judge(self, entry: Entry, keys: list[str], read_only: bool):
        """(matches, later, keys to store `entry` under) for one probe: probe() over the union of its buckets,
        then should_store() per band key, so each candidate pair is checked once however many bands it shares."""
        found = [self.buckets.get(key) for key in keys]
        if not any(found):  # the usual case, a story not seen before: nothing to check
            return [], [], ([] if read_only else list(keys))
        seen, candidates = set(), []
        for bucket in found:
            for e in bucket or ():
                if e.order not in seen:
                    seen.add(e.order)
                    candidates.append(e)
        matches, later = probe(candidates, entry, self.state_ttl, self.cfg)
        if read_only:
            return matches, later, []
        matched = {m.order for m in matches}
        store = []
        for key, bucket in zip(keys, found):
            bucket = bucket or []
            if should_store(bucket, [e for e in bucket if e.order in matched] if matched else [], self.cfg):
                store.append(key)
        return matches, later, store

    def expired_share(self, latest_ts: float) -> float:
        """Share of stored entries past their lifetime, counted from the oldest (entries arrive roughly in
        event-time order, so this stops at the first live one)."""
        n = 0
        for _, e in self.stored:
            if not expired(e.event_ts, latest_ts, self.state_ttl):
                break
            n += 1
        return n / len(self.stored) if self.stored else 0.0

    def live(self, latest_ts: float) -> list[tuple[list[str], Entry]]:
        return [(k, e) for k, e in self.stored if not expired(e.event_ts, latest_ts, self.state_ttl)]
