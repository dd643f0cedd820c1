"""Exact dedup decisions on small keys (never full texts): same normalised URL, then same normalised content."""
from __future__ import annotations

from typing import Iterable, NamedTuple

from pipelines.core.urls import url_rank


class DedupKey(NamedTuple):
    input_ref: str  # unique per raw record in a run: the unit that survives or is dropped
    article_id: str
    canonical_url: str
    content_hash: str
    scraped_at: str  # fixed-width UTC string, sorts like the timestamp
    history: bool = False  # already published by an earlier run: always wins, never dropped


def survivor_order(key: DedupKey):
    """Published articles first; then a record with a web URL, then one with an archived local file: URL (the
    same page saved to disk: its path would otherwise win on a hash half the time), then one with a placeholder
    urn (a .txt or saved page: its scrape time is only the run date's midnight, so it would otherwise beat every
    real scrape of the day and publish the story without its address); then the earliest scrape, then the
    smallest article_id; input_ref only breaks ties between identical records."""
    return (not key.history, url_rank(key.canonical_url), key.scraped_at, key.article_id, key.input_ref)


def split_group(members: Iterable[DedupKey]) -> tuple[DedupKey, list[DedupKey]]:
    """(survivor, the current records it absorbs). History members other than the survivor are left alone."""
    ordered = sorted(members, key=survivor_order)
    return ordered[0], [m for m in ordered[1:] if not m.history]


def content_group_drops(groups: Iterable[tuple[DedupKey, list[str]]]) -> list[tuple[str, str, str]]:
    """Second step. `groups` holds, for one content hash, each URL-survivor with the input_refs it absorbed.
    Returns (input_ref, duplicate_of article_id, rule) for every dropped record, all pointing at the final survivor."""
    groups = sorted(groups, key=lambda g: survivor_order(g[0]))
    final = groups[0][0]
    drops = [(ref, final.article_id, "exact_url") for ref in groups[0][1]]
    for survivor, absorbed in groups[1:]:
        if not survivor.history:
            drops.append((survivor.input_ref, final.article_id, "exact_content"))
        drops.extend((ref, final.article_id, "exact_url") for ref in absorbed)
    return drops
