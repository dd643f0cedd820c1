"""Stable identities: content hash of the cleaned article and the deterministic article_id."""
from __future__ import annotations

import hashlib

from pipelines.core.words import tokenize


def content_key(text: str) -> str:
    """The body reduced to what makes it the same article: lowercased words, punctuation and spacing dropped.
    Digits are kept: two price reports that differ only in figures are different news. The words are the same
    tokens near-dup shingles are made of (words.tokenize), so a caller can split the text once for both."""
    return " ".join(tokenize(text))


def content_hash(text: str, tokens: list[str] | None = None) -> str:
    key = " ".join(tokens) if tokens is not None else content_key(text)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def article_id(canonical_url: str, scraped_at: str, body_hash: str) -> str:
    """Same scrape of the same page with the same body -> same id, on every rerun and every machine."""
    key = f"{canonical_url}\x1f{scraped_at}\x1f{body_hash}".encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
