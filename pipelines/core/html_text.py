"""HTML bodies to article text plus metadata, through the project's extractor (pipelines/core/extraction)."""
from __future__ import annotations

from pipelines.core.extraction import ExtractedArticle, ExtractionError, extract_article
from pipelines.core.records import Rejected

# An extractor failure is a rejection with the extractor's own reason, e.g. "extract_timeout".
TIME_BUDGET_S = 2.0


def html_to_article(html: str, url: str | None = None, headers: dict | None = None) -> ExtractedArticle:
    try:
        article = extract_article(html, url, headers, time_budget_s=TIME_BUDGET_S)
    except ExtractionError as e:
        raise Rejected(e.reason, e.detail) from None
    if not article.text.strip():
        raise Rejected("empty_extraction", "no article text found in the HTML")
    return article
