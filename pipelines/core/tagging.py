"""Topic columns of an article row from the matcher's result; shared by the tag stage, retagging and benchmarks."""
from __future__ import annotations

from pipelines.core.topics import TopicMatcher, TopicResult


def _fill(article: dict, result: TopicResult, iptc: dict, version: str) -> dict:
    article["topics"] = list(result.topics)
    article["primary_topic"] = result.primary_topic
    article["topic_scores"] = [
        {"topic": t, "score": float(result.scores[t]), "iptc_code": iptc.get(t)} for t in result.topics
    ]
    article["topic_evidence"] = [
        {"topic": topic, "phrase": phrase, "field": field, "start": start, "end": end}
        for topic, phrase, field, start, end in result.evidence
    ]
    article["taxonomy_version"] = version
    return article


def apply_tags(article: dict, matcher: TopicMatcher, iptc: dict, version: str) -> dict:
    return _fill(article, matcher.tag(article["title"] or "", article["text"]), iptc, version)


def apply_tags_many(articles: list[dict], matcher: TopicMatcher, iptc: dict, version: str) -> list[dict]:
    """apply_tags for a batch: one matcher.tag_many call, the same columns."""
    results = matcher.tag_many([(a["title"], a["text"]) for a in articles])
    return [_fill(a, r, iptc, version) for a, r in zip(articles, results)]
