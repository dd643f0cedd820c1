"""Topic columns of an article row from the matcher's result; shared by the tag stage, retagging and benchmarks."""
from __future__ import annotations

from pipelines.core.topics import TopicMatcher


def apply_tags(article: dict, matcher: TopicMatcher, iptc: dict, version: str) -> dict:
    result = matcher.tag(article["title"] or "", article["text"])
    article["topics"] = list(result.topics)
    article["primary_topic"] = result.primary_topic
    article["topic_scores"] = [
        {"topic": t, "score": float(result.scores[t]), "iptc_code": iptc.get(t)} for t in result.topics
    ]
    article["topic_evidence"] = [
        {"topic": e.topic, "phrase": e.phrase, "field": e.field, "start": e.start, "end": e.end}
        for e in result.evidence
    ]
    article["taxonomy_version"] = version
    return article
