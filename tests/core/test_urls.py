import pytest

from pipelines.core.urls import load_url_rules, normalize_url


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/world/story-1?utm_source=tw&utm_medium=social",
        "http://example.com/world/story-1/",
        "https://EXAMPLE.com:443/world/story-1#comments",
        "https://example.com/world/story-1?fbclid=abc123",
        "https://www.example.com//world//story-1/?gclid=x&utm_campaign=y",
        "https://m.example.com/world/story-1/amp",
    ],
)
def test_variants_of_one_page_share_a_canonical_form(url):
    assert normalize_url(url) == "https://example.com/world/story-1"


def test_meaningful_query_parameters_are_kept_and_sorted():
    assert normalize_url("https://example.com/article?id=7&page=2&utm_source=x") == "https://example.com/article?id=7&page=2"
    assert normalize_url("https://example.com/article?page=2&id=7") == "https://example.com/article?id=7&page=2"
    assert normalize_url("https://example.com/a?id=7") != normalize_url("https://example.com/a?id=8")


def test_different_paths_stay_different():
    assert normalize_url("https://example.com/a") != normalize_url("https://example.com/b")


def test_non_default_port_and_root_path():
    assert normalize_url("http://example.com:8080/") == "https://example.com:8080"
    assert normalize_url("https://www.example.com/") == "https://example.com"


def test_two_label_hosts_keep_their_www_like_prefix():
    # "m.co" style hosts: stripping the prefix would leave a bare TLD
    assert normalize_url("https://m.co/x") == "https://m.co/x"


def test_non_http_ids_pass_through():
    assert normalize_url(" urn:newsflow:txt:a.txt ") == "urn:newsflow:txt:a.txt"


def test_malformed_rules_file_names_the_file(tmp_path):
    bad = tmp_path / "urls.yaml"
    bad.write_text("version: x\ntracking_params: {}\n")
    with pytest.raises(ValueError, match="urls.yaml"):
        load_url_rules(str(bad))


@pytest.mark.parametrize("url", [
    "file:///home/ana/saved/roof.html", "FILE:///home/ana/saved/roof.html", "file://localhost/home/ana/saved/roof.html",
    "file://LOCALHOST/home/ana/saved/roof.html", "file:///home/ana/saved/roof.html#comments",
    "file:///home/ana/saved/%72oof.html", "file:///home/ana/saved//roof.html", "file:///home/ana/saved/./roof.html",
    " file:///home/ana/saved/roof.html "])
def test_archived_file_urls_of_one_file_share_a_canonical_form(url):
    """Review rv13 S5: two archives of one local file dedup by URL (RFC 8089: an empty host is localhost)."""
    assert normalize_url(url) == "file:///home/ana/saved/roof.html"


def test_file_urls_of_different_files_or_hosts_stay_different():
    assert normalize_url("file:///home/ana/saved/roof.html") != normalize_url("file:///home/ana/roof.html")
    assert normalize_url("file://nas/share/roof.html") == "file://nas/share/roof.html"
    assert normalize_url("file:///home/ana/a%20b.html") == "file:///home/ana/a%20b.html"
