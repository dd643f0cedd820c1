from pipelines.core.fingerprints import article_id, content_hash, content_key, word_count


def test_content_hash_ignores_case_punctuation_and_spacing():
    assert content_hash("Tariffs rise, again.\n\nMarkets fall!") == content_hash("tariffs  rise again markets fall")


def test_content_hash_keeps_numbers():
    # template stories that differ only in figures are different news
    assert content_hash("Fed adds 1.5 billion in reserves") != content_hash("Fed adds 2.5 billion in reserves")


def test_content_key_is_unicode_aware():
    assert content_key("Zürich’s ÉCOLE") == "zürich s école"


def test_article_id_is_stable_and_sensitive_to_each_part():
    base = article_id("https://e.com/a", "2026-11-24T00:00:00.000000Z", "h1")
    assert base == article_id("https://e.com/a", "2026-11-24T00:00:00.000000Z", "h1")
    assert len(base) == 16
    assert len({base, article_id("https://e.com/b", "2026-11-24T00:00:00.000000Z", "h1"),
                article_id("https://e.com/a", "2026-11-25T00:00:00.000000Z", "h1"),
                article_id("https://e.com/a", "2026-11-24T00:00:00.000000Z", "h2")}) == 4


def test_word_count():
    assert word_count("one two\n\nthree") == 3
