"""Streaming near-duplicate decisions (no Beam): per-LSH-band buckets of compact fingerprints, first seen wins.

A bucket is what one band key's state holds: a short list of Entry (who, when, the low 32 bits of its shingle
hashes); never text. An article probes each of its band buckets, and the per-band matches are joined per record.
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
    shingles: bytes  # sorted unique uint32 (the low half of each shingle hash, as the batch exact check uses)
    ref: str = ""


class Match(NamedTuple):
    order: tuple
    article_id: str
    rule: str
    score: float


def shingles32(hashes: np.ndarray) -> bytes:
    """The compact form stored in state: ~4 bytes per shingle."""
    return np.unique(hashes.astype(np.uint32)).tobytes()


def fingerprint(text: str, cfg: nd.NearDupConfig):
    """(64-bit shingle hashes, band keys) of a text; no band keys when it is too short to judge."""
    hashes = nd.shingle_hashes(text, cfg)
    return hashes, nd.lsh_keys(hashes, cfg)


def probe(bucket: list[Entry], new: Entry, state_ttl: float, cfg: nd.NearDupConfig):
    """(matches, later): `matches` are live entries ahead of `new` in the order that pass the batch pair check
    (nd.judge_pair); `later` are live entries behind it that match (they were probed before `new` reached this
    bucket), as (their ref, Match naming `new`)."""
    matches, later = [], []  # later: (their ref, Match naming `new`)
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
                later.append((entry.ref, Match(new.order, new.order[2], rule, score)))
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
