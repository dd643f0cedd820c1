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
