"""A first, honest HTML-to-article step for HTML bodies: trafilatura, favouring precision."""
from __future__ import annotations

from pipelines.core.records import Rejected


def html_to_text(html: str, url: str | None = None) -> tuple[str | None, str]:
    """(title, text) of the main article in an HTML page; raises Rejected when nothing can be extracted."""
    import trafilatura  # heavy import, paid only by runs that see HTML

    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
    if doc is None or not (doc.text or "").strip():
        raise Rejected("empty_extraction", "no article text found in the HTML")
    # trafilatura separates paragraphs with single newlines; the cleaner treats each line as a paragraph.
    return (doc.title or None), doc.text
