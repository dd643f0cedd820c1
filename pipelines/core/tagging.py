"""Topic columns of an article row from the matcher's result; shared by the tag stage, retagging and benchmarks."""
from __future__ import annotations

from pipelines.core.topics import _MIN_BATCH, TopicMatcher, TopicResult

# Articles per apply_tags_many call, for the stage and for retagging: the batch tagger has a fixed cost per call
# (~0.3 ms), small next to 256 articles' work; 512 or 1024 were measured no faster
MAX_BATCH = 256


def result_columns(result: TopicResult, iptc: dict) -> tuple:
    """(topics, primary_topic, topic_scores, topic_evidence) of one result, as written in a row."""
    return (
        list(result.topics),
        result.primary_topic,
        [{"topic": t, "score": float(result.scores[t]), "iptc_code": iptc.get(t)} for t in result.topics],
        [{"topic": topic, "phrase": phrase, "field": field, "start": start, "end": end}
         for topic, phrase, field, start, end in result.evidence],
    )


def _fill(article: dict, columns: tuple, version: str) -> dict:
    article["topics"], article["primary_topic"], article["topic_scores"], article["topic_evidence"] = columns
    article["taxonomy_version"] = version
    return article


def apply_tags(article: dict, matcher: TopicMatcher, iptc: dict, version: str) -> dict:
    result = matcher.tag(article["title"] or "", article["text"])
    return _fill(article, result_columns(result, iptc), version)


def apply_tags_many(articles: list[dict], matcher: TopicMatcher, iptc: dict, version: str) -> list[dict]:
    """apply_tags for a batch: the same columns, built by the batch tagger straight from its arrays
    (lists too short for a batch call go one by one)."""
    if len(articles) < _MIN_BATCH:
        return [apply_tags(a, matcher, iptc, version) for a in articles]
    matcher.batch_tagger().fill_rows(articles, iptc, version)  # (columns_many, written straight into the rows)
    return list(articles)
