"""Streaming exact-dedup decisions (no Beam): first seen wins, per canonical URL, then per content hash.

Each function takes the key's stored value (None when the key is new) and one message, and returns
(value to store, decision). The Beam stage keeps the stored values in per-key state.
"""
from __future__ import annotations

from typing import NamedTuple

SURVIVOR = "survivor"
DUPLICATE = "duplicate"
ALREADY_WRITTEN = "already_written"


class UrlSeen(NamedTuple):
    article_id: str
    content_hash: str
    input_ref: str


def url_step(seen: UrlSeen | None, article_id: str, content_hash: str, input_ref: str):
    """(stored, (decision, first article_id, first content_hash)). A later copy of a URL is a duplicate of the
    first copy; its final survivor is settled by the content step under the first copy's content hash.
    The same record read again (same input_ref, e.g. a file re-read after a restart) was already written."""
    if seen is None:
        return UrlSeen(article_id, content_hash, input_ref), (SURVIVOR, article_id, content_hash)
    if seen.input_ref == input_ref and seen.article_id == article_id:
        return seen, (ALREADY_WRITTEN, article_id, content_hash)
    return seen, (DUPLICATE, seen.article_id, seen.content_hash)


def content_step(first: str | None, article_id: str, url_duplicate_of: str | None):
    """(stored first article_id, (decision, duplicate_of, rule)) for one message keyed by content hash.

    A message is an article that survived the URL step (url_duplicate_of None) or a URL copy pointing at the
    first copy of its URL. A URL copy that arrives before its first copy claims the hash for that first copy,
    so the order in which the two reach this step does not change the outcome."""
    if url_duplicate_of is not None:
        first = first or url_duplicate_of
        return first, (DUPLICATE, first, "exact_url")
    if first is None:
        return article_id, (SURVIVOR, None, None)
    if first == article_id:
        return first, (SURVIVOR, None, None)
    return first, (DUPLICATE, first, "exact_content")
