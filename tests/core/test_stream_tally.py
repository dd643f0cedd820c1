"""The ledger's counts kept per step on disk (stream_tally): a size is done once every step's share together
reaches it, whichever step counts last, and never on a share read short."""
import os

from pipelines.core import stream_state, stream_tally
from pipelines.core.stream_state import FileTally

STEPS = ("Panes", "Read", "RejectedParse")
PATH = "/in/feed.jsonl"


def _share(expected=0, written=0, pending=()):
    return FileTally(expected, written, list(pending))


def test_a_size_is_reached_only_when_the_shares_together_reach_its_count(tmp_path):
    out = str(tmp_path)
    read = _share()
    read.expect(4, 120)
    read.written = 1  # one record found written by an earlier run
    assert stream_tally.count_and_decide(out, "r1", PATH, "Read", read, STEPS) == []
    assert stream_tally.count_and_decide(out, "r1", PATH, "Panes", _share(written=2), STEPS) == []
    # the last record's step sees every share, and the size is reached
    assert stream_tally.count_and_decide(out, "r1", PATH, "RejectedParse", _share(written=1), STEPS) == [(120, 4)]
    # any later count still sees it (a step marks it only if no other step has: marked_done)
    assert stream_tally.count_and_decide(out, "r1", PATH, "Panes", _share(written=2), STEPS) == [(120, 4)]


def test_the_reader_counting_last_sees_the_writers_shares(tmp_path):
    out = str(tmp_path)
    assert stream_tally.count_and_decide(out, "r1", PATH, "Panes", _share(written=3), STEPS) == []
    read = _share()
    read.expect(3, 90)
    assert stream_tally.count_and_decide(out, "r1", PATH, "Read", read, STEPS) == [(90, 3)]


def test_two_steps_counting_at_once_the_later_reader_sees_both(tmp_path):
    # each step writes its share before it reads the others: in any interleaving of (write A, write B, read A,
    # read B) with each write before its own read, the later read comes after both writes
    out = str(tmp_path)
    read = _share()
    read.expect(2, 50)
    stream_tally.write_share(out, "r1", PATH, "Read", read)
    stream_tally.write_share(out, "r1", PATH, "Panes", _share(written=1))
    stream_tally.write_share(out, "r1", PATH, "RejectedParse", _share(written=1))
    fs, root = stream_state.filesystem(out)
    shares = [stream_tally.read_share(fs, root, "r1", PATH, s) for s in STEPS]
    assert stream_tally.merged(shares).reached() == [(50, 2)]


def test_a_missing_or_other_run_s_share_counts_nothing(tmp_path):
    out = str(tmp_path)
    stream_tally.write_share(out, "old", PATH, "Panes", _share(written=5))  # an earlier run's count
    read = _share()
    read.expect(5, 200)
    assert stream_tally.count_and_decide(out, "r2", PATH, "Read", read, STEPS) == []
    fs, root = stream_state.filesystem(out)
    assert stream_tally.read_share(fs, root, "r2", PATH, "RejectedParse") == FileTally()


def test_a_file_read_twice_is_done_at_each_size_by_the_reads_before_it(tmp_path):
    # FileTally's rule over shares: read 1 (3 records at 100) and read 2 (5 at 180), counted cumulatively
    out = str(tmp_path)
    read = _share()
    read.expect(3, 100)
    read.expect(5, 180)
    assert stream_tally.count_and_decide(out, "r1", PATH, "Read", read, STEPS) == []
    assert stream_tally.count_and_decide(out, "r1", PATH, "Panes", _share(written=3), STEPS) == [(100, 3)]
    assert stream_tally.count_and_decide(out, "r1", PATH, "RejectedParse", _share(written=5), STEPS) == [
        (100, 3), (180, 5)]


def test_clear_removes_earlier_runs_counts_and_done_markers_are_looked_up(tmp_path):
    out = str(tmp_path)
    stream_tally.write_share(out, "old", PATH, "Panes", _share(written=5))
    assert os.path.isdir(os.path.join(out, stream_tally.TALLY))
    stream_tally.clear(out)
    assert not os.path.exists(os.path.join(out, stream_tally.TALLY))
    stream_tally.clear(out)  # nothing to clear: no error
    assert not stream_tally.marked_done(out, PATH, 10)
    stream_state.mark(out, stream_state.DONE, PATH, 10, 1)
    assert stream_tally.marked_done(out, PATH, 10)
    assert not stream_tally.marked_done(out, PATH, 11)
