"""A landed file that vanishes or is still under a temporary name (pipelines.core.stream_state: gone, temporary)."""
from pipelines.core import stream_state


class _WrappedIOError(Exception):
    """Shaped like Beam's BeamIOError: the causes per path in exception_details."""

    def __init__(self, details):
        super().__init__("wrapped")
        self.exception_details = details


def test_a_vanished_or_unreadable_file_is_told_apart_from_other_errors():
    assert stream_state.gone(FileNotFoundError(2, "gone"))
    assert stream_state.gone(PermissionError(13, "not yet chmod-ed"))
    assert stream_state.gone(_WrappedIOError({"/in/a.jsonl": FileNotFoundError(2, "gone")}))
    try:
        try:
            raise FileNotFoundError(2, "gone")
        except FileNotFoundError as e:
            raise RuntimeError("reading failed") from e
    except RuntimeError as chained:
        assert stream_state.gone(chained)
    assert not stream_state.gone(OSError(5, "I/O error"))  # worth a retry: the bundle fails
    assert not stream_state.gone(_WrappedIOError({"/in/a.jsonl": ValueError("bad")}))
    assert not stream_state.gone(ValueError("bad"))


def test_temporary_landing_names_are_not_records():
    assert [stream_state.temporary(p) for p in ("/in/s.jsonl.tmp", "/in/s.html.PART", "/in/.s.jsonl",
                                                "gs://b/in/s.txt.partial", "/in/s.jsonl", "/in/s.tmp.jsonl",
                                                "/in/.d/s.jsonl")] == [True, True, True, True, False, False, False]


def test_an_empty_page_is_not_landed_yet_whatever_its_compression():
    assert [stream_state.landed(p, 0) for p in ("/in/p.html", "/in/p.html.gz", "/in/s.txt.gz", "/in/s.TXT")] == [
        False] * 4
    assert [stream_state.landed(p, 0) for p in ("/in/f.jsonl", "/in/f.jsonl.gz", "/in/c.warc.gz")] == [True] * 3
    assert stream_state.landed("/in/p.html.gz", 20)


def test_a_file_rewritten_in_place_is_told_from_a_grown_one():
    first = b'{"title": "port"}\n{"title": "bank"}\n'
    head = stream_state.head_of("/in/feed.jsonl", first, "")
    assert not stream_state.rewritten(head, first + b'{"title": "film"}\n')  # grown
    assert not stream_state.rewritten(None, b"anything")  # never read
    assert stream_state.rewritten(head, b'{"title": "quake"}\n{"title": "vote"}\n{"title": "film"}\n')
    assert stream_state.rewritten(head, first[:10])  # truncated
    big = b"x" * (stream_state.HEAD_BYTES + 100)
    big_head = stream_state.head_of("/in/big.jsonl", big, "")
    assert big_head.bytes == stream_state.HEAD_BYTES and not stream_state.rewritten(big_head, big[:big_head.bytes])


def test_a_new_version_counts_as_a_file_of_its_own():
    version = stream_state.new_version(b'{"title": "quake"}\n')
    name = stream_state.versioned("/in/feed.jsonl", version)
    assert name == f"/in/feed.jsonl@v{version}" and stream_state.versioned("/in/feed.jsonl", "") == "/in/feed.jsonl"
    assert stream_state.file_of_ref(f"{name}:3") == name and stream_state.file_of_ref(f"{name}:3#cut") == name
    assert stream_state.file_of_ref("/in/feed.jsonl:3") == "/in/feed.jsonl"
    assert stream_state.file_of_ref("/in/c.warc.gz@1024") == "/in/c.warc.gz"
    assert stream_state.stale_markers({f"{name}:2#cut", "/in/feed.jsonl:2#cut"}, name, None) == {f"{name}:2#cut"}


def test_the_ledger_keeps_the_newest_head_of_each_file(tmp_path):
    out = str(tmp_path / "out")
    old = stream_state.head_of("/in/feed.jsonl", b"port\n", "")
    new = stream_state.head_of("/in/feed.jsonl", b"quake\n", "abcdef12")
    stream_state.mark(out, stream_state.SEEN, "/in/feed.jsonl", 5, head=old)
    stream_state.mark(out, stream_state.SEEN, "/in/feed.jsonl@vabcdef12", 6, head=new)
    stream_state.mark(out, stream_state.DONE, "/in/feed.jsonl@vabcdef12", 6, 1)
    assert stream_state.ledger_heads(out) == {"/in/feed.jsonl": new}
    assert ("/in/feed.jsonl@vabcdef12", 6) in stream_state.load_ledger(out)[0]
