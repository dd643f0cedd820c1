"""Fixtures shared by the core tests."""
import pytest

from pipelines.core.topics import TopicMatcher, load_taxonomy


@pytest.fixture(scope="session")
def matcher():
    """The default taxonomy's matcher, built once for every topic test file (it is only read)."""
    return TopicMatcher(load_taxonomy())
