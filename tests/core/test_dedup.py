from pipelines.core.dedup import DedupKey, content_group_drops, split_group


def key(ref, aid, url="u", h="h", ts="2026-11-24T08:00:00.000000Z"):
    return DedupKey(ref, aid, url, h, ts)


def test_earliest_scrape_survives_then_smallest_id():
    a = key("f:1", "bbb", ts="2026-11-24T09:00:00.000000Z")
    b = key("f:2", "ccc", ts="2026-11-24T08:00:00.000000Z")
    c = key("f:3", "aaa", ts="2026-11-24T08:00:00.000000Z")
    survivor, losers = split_group([a, b, c])
    assert survivor == c and set(losers) == {a, b}


def test_identical_records_tie_break_on_input_position():
    a, b = key("f:2", "same"), key("f:1", "same")
    assert split_group([a, b])[0] == b


def test_content_step_points_every_drop_at_the_final_survivor():
    s1 = key("f:1", "a1", url="u1", ts="2026-11-24T10:00:00.000000Z")
    s2 = key("f:5", "a2", url="u2", ts="2026-11-24T09:00:00.000000Z")
    drops = content_group_drops([(s1, ["f:2", "f:3"]), (s2, ["f:6"])])
    assert sorted(drops) == [
        ("f:1", "a2", "exact_content"),
        ("f:2", "a2", "exact_url"),
        ("f:3", "a2", "exact_url"),
        ("f:6", "a2", "exact_url"),
    ]


def test_lone_article_drops_nothing():
    assert content_group_drops([(key("f:1", "a"), [])]) == []


def test_a_real_url_outranks_a_placeholder_urn_whatever_the_scrape_times():
    page = key("p/004.txt", "aaa", url="urn:newsflow:txt:004.txt:0123456789abcdef", ts="2026-11-26T00:00:00.000000Z")
    real = key("wire.jsonl:45", "fff", url="https://harbourpost.example/news/x", ts="2026-11-26T09:00:00.000000Z")
    assert content_group_drops([(page, []), (real, [])]) == [("p/004.txt", "fff", "exact_content")]
    later = key("wire.jsonl:46", "eee", url="https://harbourpost.example/news/x", ts="2026-11-26T10:00:00.000000Z")
    assert split_group([later, real])[0] == real  # among real URLs, still the earliest scrape


def test_a_published_placeholder_still_beats_a_new_real_url():
    published = DedupKey("history:aaa", "aaa", "urn:newsflow:txt:a.txt:0123456789abcdef", "h",
                         "2026-11-25T00:00:00.000000Z", True)
    real = key("wire.jsonl:1", "bbb", url="https://e.com/a", ts="2026-11-26T09:00:00.000000Z")
    assert content_group_drops([(real, []), (published, [])]) == [("wire.jsonl:1", "aaa", "exact_content")]


def test_a_web_url_outranks_a_saved_local_copy_of_the_same_page_whatever_the_ids():
    """Review rv13 R3: the same page archived as an https response and as a file:// copy (same WARC-Date) was
    decided by article_id, a hash: about half the time the published url was a path on somebody's disk."""
    for aid_web, aid_file in (("aaa", "fff"), ("fff", "aaa")):
        web = key("w.warc@0", aid_web, url="https://news.example.org/2026/11/roof")
        saved = key("w.warc@900", aid_file, url="file:///home/ana/Downloads/index.html")
        assert content_group_drops([(saved, []), (web, [])]) == [("w.warc@900", aid_web, "exact_content")]
    urn = key("p/1.html", "000", url="urn:newsflow:html:1.html:0123456789abcdef", ts="2026-11-23T00:00:00.000000Z")
    saved = key("w.warc@900", "fff", url="file:///home/ana/Downloads/index.html")
    assert split_group([urn, saved])[0] == saved  # an archived local path still names the page; a urn names none
