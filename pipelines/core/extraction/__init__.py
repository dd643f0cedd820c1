"""Beam-free article extraction: decode HTML, find the main text, read metadata."""

from pipelines.core.extraction.article import ExtractedArticle, extract_article
from pipelines.core.extraction.charset import decode_html
from pipelines.core.extraction.limits import ExtractionError

__all__ = ["ExtractedArticle", "ExtractionError", "decode_html", "extract_article"]
