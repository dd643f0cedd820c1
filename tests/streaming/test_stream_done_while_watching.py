"""A watching job marks a file done while it runs (DirectRunner, both watch modes): once every record of a landed
file is written, its `.done` marker follows within two windows plus the settle time, so a restart after Ctrl-C
skips the file instead of reading it again."""
import json
import os
import time

import pytest

from pipelines import streaming
from pipelines.core import stream_state
from tests.streaming.test_stream_continuous import (
    _ctrl_c, _drop_jsonl, _ledger_sizes, _log_tail, _now, _tables, _wait_for, watch_job,
)

WINDOW = 5.0  # --window
SETTLE = 3.0  # --settle_seconds
DONE_WAIT = 2 * WINDOW + SETTLE + 10.0  # two windows, the settle time, and room for a loaded machine


def _job(landing, out, log_path, mode):
    return watch_job(landing, out, log_path, "--window", f"{WINDOW:g}s", "--allowed_lateness", "300s",
                     "--poll_interval", "1s", "--settle_seconds", f"{SETTLE:g}s",
                     *(["--match_continuously"] if mode == "match_continuously" else []))


def _seen_marker(out, path, size):
    return os.path.join(out, stream_state.LEDGER, f"{stream_state.file_key(path, size)}.{stream_state.SEEN}")


def _stamp(marker):
    st = os.stat(marker)
    return st.st_ino, st.st_mtime_ns  # a read writes the marker again (a new file moved into place)


@pytest.mark.integration
@pytest.mark.parametrize("mode", ["poll", "match_continuously"])
def test_a_written_file_is_marked_done_while_the_job_watches_and_not_read_again_on_restart(tmp_path, mode):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    os.makedirs(landing)
    with _job(landing, out, log_path, mode) as proc:
        time.sleep(2)
        first = _drop_jsonl(landing, "wave1.jsonl", [
            _now("steel"), _now("chips", offset=0.001),
            _now("steel", "https://news.example.com/steel?utm_source=feed", offset=0.002),  # exact_url
            '{"url": "https://news.example.com/cut", "title": "half a record',  # rejected
        ])
        size = os.path.getsize(first)
        expected = {"articles": [f"{first}:1", f"{first}:2"], "duplicates": [f"{first}:3"],
                    "rejected": [f"{first}:4"]}
        _wait_for(proc, log_path, "rows of the file", lambda: _tables(out) == expected)

        # every record is written: the file must be marked done while the job still runs
        deadline = time.time() + DONE_WAIT
        while time.time() < deadline and _ledger_sizes(out, "done").get(first) != {size}:
            assert proc.poll() is None, _log_tail(log_path)
            time.sleep(0.5)
        done = _ledger_sizes(out, "done")
        assert done.get(first) == {size}, f"not marked done {DONE_WAIT:g}s after its rows were written: {done}"
        with open(os.path.join(out, stream_state.LEDGER, f"{stream_state.file_key(first, size)}.done")) as f:
            assert json.load(f)["records"] == 4
        seen = _stamp(_seen_marker(out, first, size))

        _ctrl_c(proc, log_path)
        assert proc.returncode == 130, _log_tail(log_path)

    # A restart skips the done file (no new read: its .seen marker is not written again, no row twice) and reads a
    # file that landed while the job was down.
    second = _drop_jsonl(landing, "wave2.jsonl", [_now("rain")])
    assert streaming.main(["--watch", os.path.join(landing, "*"), "--once", "--output", out,
                           "--settle_seconds", f"{SETTLE:g}s"]) == 0
    assert _stamp(_seen_marker(out, first, size)) == seen, "the done file was read again"
    assert _tables(out) == dict(expected, articles=sorted(expected["articles"] + [f"{second}:1"]))
    assert _ledger_sizes(out, "done") == {first: {size}, second: {os.path.getsize(second)}}


@pytest.mark.parametrize("mode", [[], ["--match_continuously"]])
def test_every_ledger_count_runs_in_the_watching_stage_itself(tmp_path, mode):
    """The cause of the bug, checked on the graph: the FnApiRunner runs a step in a stage of its own behind a
    buffer when a multi-input Flatten feeds it, and that stage waited for the watch to end. Every MarkDone step
    must be fused into the stage that runs the watch."""
    import apache_beam as beam
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    from pipelines.stream_options import parse_args

    args, beam_args = parse_args(["--watch", str(tmp_path / "*"), "--output", str(tmp_path / "out"), *mode])
    p = beam.Pipeline(options=streaming.pipeline_options(args, beam_args))
    streaming.build(p, args)
    _, stages = fn_runner.FnApiRunner().create_stages(p.to_runner_api())
    names = [{t.unique_name for t in s.transforms} for s in stages]
    mark_done = {n for s in names for n in s if n.startswith("TrackFiles/MarkDone")}
    assert {n.rsplit("MarkDone", 1)[1] for n in mark_done} == {
        "Read", "Dedup", "Panes", "RejectedParse", "RejectedEventTime", "RejectedClean", "RejectedTag"}
    watching = [s for s in names if any(n.startswith("ReadStream/ReadNewFiles/ReadChunks") for n in s)]
    assert len(watching) == 1 and mark_done <= watching[0]
