"""Turning a validated raw record into an article row: body extraction, cleaning, identity."""
from __future__ import annotations

from pipelines.core import fingerprints
from pipelines.core.cleaning import CleanRules, clean_article
from pipelines.core.html_text import html_to_text
from pipelines.core.records import Rejected
from pipelines.core.urls import normalize_url


def build_article(record: dict, rules: CleanRules) -> dict:
    """Record dict (from records.parse_*) to an article dict with every ARTICLES column but the topic ones."""
    title = record.get("title")
    body = record.get("text")
    if not (body or "").strip() and record.get("html"):
        extracted_title, body = html_to_text(record["html"], record["url"])
        title = title or extracted_title
    cleaned = clean_article(body or "", title=title, rules=rules)
    if not cleaned.paragraphs:
        removed = ", ".join(f"{k}={v}" for k, v in sorted(cleaned.removed.items()))
        raise Rejected("empty_body", f"nothing left after cleaning ({removed or 'no text'})")
    text = cleaned.text
    canonical = normalize_url(record["url"])
    body_hash = fingerprints.content_hash(text)
    language = (record.get("language") or "").strip().lower() or None
    return {
        "article_id": fingerprints.article_id(canonical, record["scraped_at"], body_hash),
        "url": record["url"],
        "canonical_url": canonical,
        "source": record.get("source"),
        "title": cleaned.title or None,
        "text": text,
        "published_at": record.get("published_at"),
        "scraped_at": record["scraped_at"],
        "language": language,
        "word_count": fingerprints.word_count(text),
        "content_hash": body_hash,
        "cleaning_version": rules.version,
    }
