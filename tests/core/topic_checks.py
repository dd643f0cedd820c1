"""A check the taxonomy-revision tests share: one story, the reference path and the batch path."""


def assert_tagged_alike(matcher, title, text, topic, tagged):
    """topic is tagged (or not) on the story, and the batch path tags 16 copies as the scalar path does."""
    result = matcher.tag(title, text)
    assert (topic in result.topics) is tagged
    assert [r.topics for r in matcher.tag_many([(title, text)] * 16)] == [result.topics] * 16
