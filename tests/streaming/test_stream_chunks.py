"""A landed file read a chunk at a time (pipelines.core.stream_state.read_chunk, stream_sources.ReadFileChunks):
every record once, counts carried across chunks, panes written between chunks, and a crash in the middle of a
file followed by a restart that writes each record once and marks the file done."""
import glob
import itertools
import json
import os

import pytest

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from pipelines.core.records import RawInput
from tests.streaming.helpers import BODIES, T0, record, table


def _units(n: int) -> list[RawInput]:
    """n records with a skipped WARC record after every third one."""
    out = []
    for i in range(n):
        out.append(RawInput(f"/in/f.warc.gz@{i * 10}", "jsonl", b"x" * (i + 1), i + 1))
        if i % 3 == 2:
            out.append(RawInput(f"/in/f.warc.gz@{i * 10 + 5}", "skip:not_response", b"", 0))
    return out


@pytest.mark.parametrize("max_records,max_bytes", [(1, 10**9), (3, 10**9), (100, 10**9), (100, 6)])
def test_chunks_resumed_from_their_position_hand_on_every_record_once(max_records, max_bytes):
    units = _units(10)
    written = {units[1].input_ref, units[5].input_ref}  # an earlier run wrote these
    progress = stream_state.FileProgress("/in/f.warc.gz", 123, 0.0, False)
    handed, chunks = [], 0
    while not progress.finished:
        # each chunk reopens the file and skips to the position, as a worker without the open file does
        resumed = itertools.islice(iter(units), progress.consumed, None)
        chunk = list(stream_state.read_chunk(resumed, progress, written, max_records, max_bytes))
        assert len(chunk) <= max_records
        assert sum(r.size for r in chunk[:-1]) < max_bytes  # the chunk ends at the record that passes the bound
        handed += chunk
        chunks += 1
    records = [u for u in units if not u.kind.startswith("skip:")]
    assert [r.input_ref for r in handed] == [r.input_ref for r in records if r.input_ref not in written]
    assert (progress.records, progress.already, progress.consumed) == (len(records), len(written), len(units))
    assert progress.skipped == {"not_response": len(units) - len(records)}
    if max_records < len(records):
        assert chunks > 1


def _land_jsonl(folder, n: int) -> str:
    """n records scraped within one minute: one window, so every pane of it is a chunk's worth or more."""
    names = sorted(BODIES)
    path = os.path.join(folder, "landed.jsonl")
    with open(path, "w") as f:
        for i in range(n):
            rec = record(names[i % len(names)], T0 + i, url=f"https://news.example.com/story-{i}")
            f.write(json.dumps(rec) + "\n")
    return path


def _run(path, out, chunk):
    return streaming.main(["--watch", path, "--once", "--output", str(out), "--no_near_dup", "--read_chunk",
                           str(chunk), "--write_shards", "1"])


def _refs(out):
    refs = []
    for name in ("articles", "duplicates", "rejected"):
        t = table(out, name)
        if t is None:
            continue
        rows = t.select([c for c in ("input_ref", "topic", "primary_topic") if c in t.column_names]).to_pylist()
        refs += [r["input_ref"] for r in rows if name != "articles" or r["topic"] == (r["primary_topic"] or "untagged")]
    return refs


def test_a_crash_in_the_middle_of_a_file_then_a_restart_writes_each_record_once(tmp_path, monkeypatch):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    path = _land_jsonl(str(landing), 8)
    expected = sorted(f"{path}:{i}" for i in range(1, 9))
    real_read_chunk, calls = stream_state.read_chunk, []

    def crash_on_third_chunk(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        yield from real_read_chunk(*args)

    monkeypatch.setattr(stream_state, "read_chunk", crash_on_third_chunk)
    with pytest.raises(Exception, match="worker lost"):
        _run(path, out, 2)
    before = _refs(out)
    assert before and len(before) < 8 and len(set(before)) == len(before)  # the first chunks' panes are written
    assert not glob.glob(str(out / "_stream" / "files" / "*.done"))

    monkeypatch.setattr(stream_state, "read_chunk", real_read_chunk)
    assert _run(path, out, 2) == 0
    assert sorted(_refs(out)) == expected  # each record once, across both runs
    assert len(glob.glob(str(out / "_stream" / "files" / "*.done"))) == 1
    reports = stream_report.read_reports(str(out))
    total = stream_report.total(reports)
    assert total["balanced"] and total["records_read"] == 8
    panes = [r for r in reports if r["window"] is not None]
    assert len({r["window"]["start"] for r in panes}) == 1
    assert len(panes) > 2  # one window, written in several panes: chunks were bundles of their own
