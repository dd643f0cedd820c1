"""Turning a validated raw record into an article row: body extraction, cleaning, identity."""
from __future__ import annotations

from pipelines.core import fingerprints
from pipelines.core.words import tokenize
from pipelines.core.cleaning import CleanRules, clean_article
from pipelines.core.extraction.html import RULES as PAGE_RULES
from pipelines.core.extraction.language import (classify_language, normalise_language, resolve_language,
                                                 same_language)
from pipelines.core.html_text import html_to_article
from pipelines.core.records import format_timestamp, parse_timestamp
from pipelines.core.records import Rejected
from pipelines.core.urls import normalize_url

# Characters of a quick first read for a text with a declared language. The model's cost grows with what it
# reads (0.36 ms per article at the rule's 1000 characters, 0.11 ms at 300, against ~0.5 ms for the whole job).
QUICK_CHARS = 300


def build_article(record: dict, rules: CleanRules) -> dict:
    """Record dict (from records.parse_*) to an article dict with every ARTICLES column but the topic ones."""
    title = record.get("title")
    body = record.get("text")
    meta, extracted = {}, False
    if not (body or "").strip() and record.get("html"):
        url = record["url"] if not record["url"].startswith("urn:") else None
        page = html_to_article(record["html"], url, record.get("headers"))
        title, body, meta, extracted = title or page.title, page.text, _page_metadata(page), True
        if record["url"].startswith("urn:") and page.canonical_url:
            record = dict(record, url=page.canonical_url)  # a saved page names its own address
    # Extracted text is already cut to the article, from the page structure: only line rules and repeats apply.
    cleaned = clean_article(body or "", title=title, rules=rules, bounded=extracted)
    if not cleaned.paragraphs:
        removed = ", ".join(f"{k}={v}" for k, v in sorted(cleaned.removed.items()))
        raise Rejected("empty_body", f"nothing left after cleaning ({removed or 'no text'})")
    text = cleaned.text
    canonical = normalize_url(record["url"])
    tokens = tokenize(text)
    body_hash = fingerprints.content_hash(text, tokens)
    if extracted:
        # The extractor already weighed the page's own declarations against its text
        language = normalise_language(record.get("language")) or meta.get("language")
    else:
        language = text_language(text, record.get("language"))
    return {
        "article_id": fingerprints.article_id(canonical, record["scraped_at"], body_hash),
        "url": record["url"],
        "canonical_url": canonical,
        "source": record.get("source") or meta.get("site_name"),
        "title": cleaned.title or None,
        "text": text,
        "published_at": record.get("published_at") or meta.get("published_at"),
        "scraped_at": record["scraped_at"],
        "language": language,
        "word_count": cleaned.word_count,
        "_tokens": tokens,  # reused for near-dup shingles; never written
        "content_hash": body_hash,
        "cleaning_version": rules.version,
        "authors": meta.get("authors") or [],
        "modified_at": meta.get("modified_at"),
        "description": meta.get("description"),
        "image_url": meta.get("image_url"),
        "metadata_sources": meta.get("sources") or [],
    }


def text_language(text: str, declared: str | None) -> str | None:
    """The HTML path's rule (language.resolve_language), with its thresholds, for a text body: a declared language
    ('en-US' -> 'en') stands unless the model is very sure of another on a long enough text; undeclared, the
    model's guess when sure enough. None when too short or the model unsure."""
    t = PAGE_RULES.t
    declared = normalise_language(declared)
    if declared is not None:
        if len(text) < t["language_override_min_chars"]:
            return declared  # too short to overrule a declaration: nothing to read
        # Most declarations are right: when a short prefix already reads as the declared language, the full
        # prefix (three times the cost) is not read. See QUICK_CHARS.
        quick, _ = classify_language(text, QUICK_CHARS, t["language_min_letters"])
        if quick is not None and same_language(quick, declared, PAGE_RULES.language_aliases):
            return declared
    return resolve_language(text, declared, t, PAGE_RULES.language_aliases)[0]


def _page_metadata(page) -> dict:
    """What the extractor read from the page, with each field's source. Unparseable dates are left out."""
    def ts(value):
        try:
            return format_timestamp(parse_timestamp(value, "page")) if value else None
        except Rejected:
            return None

    return {
        "authors": list(page.authors),
        "published_at": ts(page.published_at),
        "modified_at": ts(page.modified_at),
        "site_name": page.site_name,
        "language": page.language,
        "description": page.description,
        "image_url": page.image_url,
        "sources": [{"field": k, "source": v} for k, v in sorted(page.provenance.items())],
    }
