"""Stable identities: content hash of the cleaned article and the deterministic article_id."""
from __future__ import annotations

import hashlib
import re

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def content_key(text: str) -> str:
    """The body reduced to what makes it the same article: casefolded words, punctuation and spacing dropped.
    Digits are kept: two price reports that differ only in figures are different news."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def content_hash(text: str) -> str:
    return hashlib.blake2b(content_key(text).encode("utf-8"), digest_size=16).hexdigest()


def article_id(canonical_url: str, scraped_at: str, body_hash: str) -> str:
    """Same scrape of the same page with the same body -> same id, on every rerun and every machine."""
    key = f"{canonical_url}\x1f{scraped_at}\x1f{body_hash}".encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
