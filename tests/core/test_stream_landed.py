"""Reading a landed file that may still be being written (pipelines.core.stream_state: iter_landed, settled,
needs_settling): nothing a half-written read hands on as a record may differ from what the complete file holds."""
import gzip
import io
import json

from pipelines.core import stream_state
from pipelines.core.records import CUT_MARK, RawInput
from pipelines.core.stream_state import Sighting

PATH = "/in/feed.jsonl"
LINES = [json.dumps({"url": f"https://news.example.com/{i}", "title": f"Story {i}", "text": "é " * (5 + i)},
                    ensure_ascii=False) for i in range(4)]


def _units(data: bytes, path: str = PATH, max_bytes: int = 5_000_000):
    return list(stream_state.iter_landed(io.BytesIO(data), path, max_bytes))


def test_no_prefix_of_a_jsonl_file_gives_a_record_the_whole_file_does_not():
    whole = ("\n".join(LINES) + "\n\n").encode()
    final = {u.input_ref: u for u in _units(whole)}
    assert sorted(final) == [f"{PATH}:{i}" for i in range(1, 5)] and not any(CUT_MARK in r for r in final)
    for cut in range(len(whole) + 1):
        units = _units(whole[:cut])
        for unit in units:
            if unit.kind == "jsonl":  # a record: it must be the complete file's record at that ref
                assert (unit.raw, unit.size) == (final[unit.input_ref].raw, final[unit.input_ref].size), cut
        markers = [u for u in units if u.input_ref.endswith(CUT_MARK)]
        assert len(markers) <= 1 and (not markers or markers[0] is units[-1])
        # a cut inside a line ends in its marker, whose ref the grown file's read retracts
        if markers:
            assert stream_state.stale_markers({markers[0].input_ref}, PATH, None) == {markers[0].input_ref}


def test_an_unterminated_last_line_is_a_marker_with_its_bytes_kept():
    data = (LINES[0] + "\n" + LINES[1][:20]).encode()
    *rest, last = _units(data)
    assert [u.input_ref for u in rest] == [f"{PATH}:1"]
    assert (last.input_ref, last.kind) == (f"{PATH}:2{CUT_MARK}", stream_state.UNTERMINATED)
    assert last.raw == LINES[1][:20].encode() and last.size == 20  # a file that never grows keeps what it had


def test_a_complete_file_without_a_final_newline_keeps_its_last_record():
    units = _units("\n".join(LINES).encode())
    assert [u.kind for u in units] == ["jsonl"] * 4
    assert units[-1].raw == LINES[-1].encode()


def test_a_bad_line_with_its_newline_is_an_ordinary_record_for_the_parser_to_reject():
    units = _units(b"{not json\n" + LINES[0].encode() + b"\n")
    assert [(u.input_ref, u.kind, u.raw) for u in units] == [(f"{PATH}:1", "jsonl", b"{not json"),
                                                               (f"{PATH}:2", "jsonl", LINES[0].encode())]


def test_a_too_large_last_line_is_judged_alike():
    big = json.dumps({"url": "u", "text": "x" * 500})
    cut = _units((LINES[0] + "\n" + big[:-3]).encode(), max_bytes=100)
    assert cut[-1].input_ref == f"{PATH}:2{CUT_MARK}"
    whole = _units((LINES[0] + "\n" + big).encode(), max_bytes=100)  # whole, for the parser to reject as too large
    assert whole[-1].kind == "jsonl" and whole[-1].size == len(big)


def test_gzip_and_warc_files_keep_their_own_cut_markers():
    whole = gzip.compress(("\n".join(LINES) + "\n").encode())
    units = _units(whole[: len(whole) // 2], "/in/feed.jsonl.gz")
    assert units[-1].kind == "bad:corrupt_gzip" and units[-1].input_ref.endswith(CUT_MARK)
    assert all(u.kind == "jsonl" for u in units[:-1])
    text = _units(b"Headline\n\nBody", "/in/story.txt")
    assert [(u.input_ref, u.kind) for u in text] == [("/in/story.txt", "txt")]


def test_only_uncompressed_txt_and_html_files_wait_to_settle():
    assert [stream_state.needs_settling(p) for p in ("/a/s.txt", "/a/p.HTML", "/a/p.htm", "/a/s.txt.gz",
                                                     "/a/p.html.gz", "/a/f.jsonl", "/a/c.warc")] == [
        True, True, True, False, False, False, False]


def test_a_file_is_settled_once_its_size_and_mtime_stay_put_for_the_settle_time():
    quiet, seen = stream_state.settled(None, 100, 1000.0, 1001.0, 5)
    assert not quiet and seen == Sighting(100, 1000.0, 1001.0)
    quiet, seen = stream_state.settled(seen, 100, 1000.0, 1004.0, 5)
    assert not quiet  # unchanged for 3 s only (and modified 4 s ago)
    quiet, seen = stream_state.settled(seen, 180, 1004.5, 1005.0, 5)
    assert not quiet and seen.since == 1005.0  # it grew: the wait starts again
    quiet, _ = stream_state.settled(seen, 180, 1004.5, 1009.6, 5)
    assert quiet  # seen unchanged a second time, and last modified 5.1 s ago
    # an mtime ahead of this clock (another machine's) is waited out by watching it stay put
    quiet, seen = stream_state.settled(None, 7, 2000.0, 1000.0, 5)
    assert not quiet
    assert stream_state.settled(seen, 7, 2000.0, 1005.0, 5)[0]
    assert stream_state.settled(None, 7, 0.0, 1000.0, 5)[0] is False  # no mtime: watched, not trusted
    assert stream_state.settled(None, 7, 1000.0, 1000.0, 0)[0]  # 0 turns the wait off


def test_a_whitespace_tail_after_a_complete_bad_line_leaves_that_line_a_record():
    for tail in (b"   ", b"\n  \t", b" \r"):
        units = _units(LINES[0].encode() + b"\n{not json\n" + tail)
        assert [(u.input_ref, u.kind) for u in units] == [(f"{PATH}:1", "jsonl"), (f"{PATH}:2", "jsonl")], tail
    # a bad line cut by the read is still a marker, whitespace after it or not
    units = _units(LINES[0].encode() + b"\n{not js  ")
    assert units[-1].input_ref == f"{PATH}:2{CUT_MARK}"
    # a too-large line ended by a chunk of spaces and its newline is a whole line
    units = _units(b'{"a": "' + b"x" * 300 + b'"' + b" " * 200 + b"\n  ", max_bytes=100)
    assert [(u.input_ref, u.kind) for u in units] == [(f"{PATH}:1", "jsonl")]


def test_a_first_sighting_is_never_quiet_whatever_the_writer_clock_says():
    # a share whose clock lags ours by 10 s: the page looks 10 s old while it is being written
    quiet, seen = stream_state.settled(None, 100, 990.0, 1000.0, 5)
    assert not quiet
    quiet, seen = stream_state.settled(seen, 140, 990.5, 1000.3, 5)
    assert not quiet  # it grew: still a first sighting of this size
    quiet, _ = stream_state.settled(seen, 140, 990.5, 1000.6, 5)
    assert quiet  # unchanged since the last sighting and old by our clock: a file that landed before the job


def test_a_page_that_keeps_changing_is_told_once_and_still_waited_for():
    settle = 2.0
    limit = stream_state.settle_limit(settle)
    wait = stream_state.Wait(None, 1000.0)
    told = []
    for step in range(int(limit) + 10):  # appended to every second, for longer than the limit
        now = 1000.0 + step
        quiet, wait, tell = stream_state.wait_on(wait, 100 + step, now - 0.1, now, settle)
        assert not quiet
        told.append(tell)
    assert told.count(True) == 1 and told.index(True) == int(limit) and wait.told
    now += 1
    quiet, wait, _ = stream_state.wait_on(wait, 100 + step, now - 1.1, now, settle)
    assert not quiet  # first sighting of its final size
    quiet, _, tell = stream_state.wait_on(wait, 100 + step, now - 1.1, now + settle, settle)
    assert quiet and not tell  # the writer stopped: read at last


def test_a_re_read_in_the_same_run_does_not_send_again_what_an_earlier_read_sent():
    # read 1 saw lines 1-2 and a cut line 3; its records may still be in a window pane (not on disk) when the
    # grown file is read again: read 2 sends line 3 (now whole) and 4 only, and counts 1-2 as handled
    first = _units((LINES[0] + "\n" + LINES[1] + "\n" + LINES[2][:10]).encode())
    one = stream_state.FileProgress(PATH, 1, 0.0, False)
    sent = list(stream_state.read_chunk(iter(first), one, set(), 100, 1 << 20))
    assert [r.input_ref for r in sent] == [f"{PATH}:1", f"{PATH}:2", f"{PATH}:3{CUT_MARK}"] and one.upto == 2
    two = stream_state.FileProgress(PATH, 2, 0.0, True, sent_upto=one.upto)
    grown = _units(("\n".join(LINES) + "\n").encode())
    sent = list(stream_state.read_chunk(iter(grown), two, set(), 100, 1 << 20))
    assert [r.input_ref for r in sent] == [f"{PATH}:3", f"{PATH}:4"]
    assert (two.records, two.already, two.upto) == (4, 2, 4)  # the ledger expects all 4, 2 of them handled
    assert stream_state.position(f"{PATH}:12", PATH) == 12 and stream_state.position("/in/c.warc@4096", "/in/c.warc") == 4096
    assert stream_state.position(f"{PATH}:3{CUT_MARK}", PATH) is None
    assert stream_state.position(f"{PATH}@vabcdef12:3", PATH) is None  # another version's ref
    assert stream_state.position("/in/feed.jsonl2:3", PATH) is None


def test_a_first_read_sends_a_warc_record_at_offset_zero():
    units = [RawInput("/in/c.warc@0", "jsonl", b"{}", 2), RawInput("/in/c.warc@900", "jsonl", b"{}", 2)]
    progress = stream_state.FileProgress("/in/c.warc", 1000, 0.0, False)
    assert [r.input_ref for r in stream_state.read_chunk(iter(units), progress, set(), 10, 1 << 20)] == [
        "/in/c.warc@0", "/in/c.warc@900"]
    assert progress.upto == 900
