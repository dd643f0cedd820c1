"""--match_continuously as a user runs it: the job as a subprocess (DirectRunner, --streaming) watching an empty
landing folder, files dropped in over time as a scraper would (JSONL landed by temp name and rename, a second file
later, an .html page written in place in two steps), the output read back until it holds every record, then the
job stopped with Ctrl-C, the way this job must end (it cannot stop by itself), and a --once restart on the folder."""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from tests.conftest import REPO
from tests.streaming.helpers import BODIES, iso, news_page, record, table
from tests.streaming.test_stream_e2e import assert_reports_sum

SETTLE = 3.0  # --settle_seconds: the page's writer pauses for half of it, so a page read early would be half
OUTPUT_WAIT = 90.0  # bound on each wait for the job's output (it shows in about 5 s on a quiet machine)
STOP_WAIT = 30.0  # bound on the job's exit after Ctrl-C


def _drop_jsonl(folder, name, lines):
    """Written under a temporary name inside the watched folder (the pattern matches it too), then renamed."""
    tmp = os.path.join(folder, f".{name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
    os.rename(tmp, os.path.join(folder, name))
    return os.path.join(folder, name)


def _now(name, url=None, offset=0.0):
    return json.dumps(record(name, time.time() - 1 + offset, url=url))


@contextlib.contextmanager
def watch_job(landing, out, log_path, *options):
    """The watching job as a user starts it, with `options` after --watch and --output."""
    cmd = [sys.executable, "-m", "pipelines.streaming", "--watch", os.path.join(landing, "*"), "--output", out,
           *options]
    with open(log_path, "w") as log:
        # a session of its own: the job and anything it starts are one process group, killed together
        # Ctrl-C as in a terminal, even when the tests run in the background (a shell starts background jobs with
        # SIGINT ignored, and the child would inherit that)
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(STOP_WAIT)


def _job(landing, out, log_path):
    return watch_job(landing, out, log_path, "--match_continuously", "--window", "5s", "--allowed_lateness", "300s",
                     "--poll_interval", "1s", "--settle_seconds", f"{SETTLE:g}s")


def _log_tail(log_path):
    with open(log_path) as f:
        return f.read()[-3000:]


def _refs(out, name):
    try:
        t = table(out, name)
    except FileNotFoundError:  # a file moved into place while the dataset was listed: look again next time
        return None
    if t is None:
        return []
    once = [r for r in t.to_pylist() if name != "articles" or r["topic"] == (r["primary_topic"] or "untagged")]
    return sorted(r["input_ref"] for r in once)


def _wait_for(proc, log_path, what, condition):
    deadline = time.time() + OUTPUT_WAIT
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the job exited ({proc.returncode}) while waiting for {what}:\n{_log_tail(log_path)}")
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"no {what} after {OUTPUT_WAIT:g}s:\n{_log_tail(log_path)}")


def _tables(out):
    return {name: _refs(out, name) for name in ("articles", "duplicates", "rejected")}


def _balanced(out, n_records):
    reports = stream_report.read_reports(out)
    return bool(reports) and stream_report.total(reports)["records_read"] == n_records


def _files_under(out, prefix):
    return [os.path.join(r, f) for r, _, fs in os.walk(out) for f in fs if f.startswith(prefix)]


@pytest.mark.integration
def test_match_continuously_reads_files_as_they_land_and_stops_on_ctrl_c(tmp_path):
    landing, out, log_path = str(tmp_path / "landing"), str(tmp_path / "out"), str(tmp_path / "job.log")
    os.makedirs(landing)
    with _job(landing, out, log_path) as proc:
        time.sleep(2)  # started on an empty folder
        steel_url = "https://news.example.com/steel"
        first = _drop_jsonl(landing, "wave1.jsonl", [
            _now("steel", steel_url), _now("chips", offset=0.001),
            _now("steel", steel_url + "?utm_source=feed", offset=0.002),  # the same story again: exact_url
            '{"url": "https://news.example.com/cut", "title": "half a record',  # bad JSON: rejected
        ])
        expected = {"articles": [f"{first}:1", f"{first}:2"], "duplicates": [f"{first}:3"],
                    "rejected": [f"{first}:4"]}
        _wait_for(proc, log_path, "rows of the first file", lambda: _tables(out) == expected)

        time.sleep(2)  # a later landing
        second = _drop_jsonl(landing, "wave2.jsonl", [
            _now("rain"), _now("chips", "https://mirror.example.org/chips-copy", offset=0.001),  # exact_content
        ])
        page = os.path.join(landing, "coach.html")
        text = news_page("About coach", BODIES["coach"])
        with open(page, "w") as f:  # written in place, in two steps with a pause longer than a poll
            f.write(text[: len(text) // 2])
            f.flush()
            time.sleep(SETTLE / 2)
            f.write(text[len(text) // 2:])
        expected = {"articles": sorted(expected["articles"] + [f"{second}:1", page]),
                    "duplicates": sorted(expected["duplicates"] + [f"{second}:2"]), "rejected": expected["rejected"]}
        refs = {f"{first}:{i}" for i in range(1, 5)} | {f"{second}:1", f"{second}:2", page}
        _wait_for(proc, log_path, "rows of every landed file",
                  lambda: _tables(out) == expected and _balanced(out, len(refs)))
        time.sleep(2)  # nothing more may come: a record written twice would show now

        assert _tables(out) == expected
        assert_reports_sum(out, refs, expected["articles"], expected["duplicates"], expected["rejected"])
        articles = {r["input_ref"]: r for r in table(out, "articles").to_pylist()}
        assert articles[page]["text"].split("\n\n") == BODIES["coach"].split("\n\n")  # the whole page
        reasons = {r["input_ref"]: r["reason"] for r in table(out, "rejected").to_pylist()}
        dup_rules = {r["input_ref"]: r["rule"] for r in table(out, "duplicates").to_pylist()}
        assert dup_rules == {f"{first}:3": "exact_url", f"{second}:2": "exact_content"}
        assert reasons[f"{first}:4"] == "invalid_json"
        # the page was read at its final size only: no read (or .seen marker) of its first half
        seen = _ledger_sizes(out, "seen")
        assert seen[page] == {os.path.getsize(page)}
        assert seen[first] == {os.path.getsize(first)} and seen[second] == {os.path.getsize(second)}
        assert not any(stream_state.temporary(p) for p in seen), "a temporary name was read"

        _ctrl_c(proc, log_path)
        assert proc.returncode == 130, _log_tail(log_path)
        assert "picked up again on restart" in _log_tail(log_path)
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)  # nothing of the job is left running

    # The output is intact: the same rows, balanced reports, no temporary file left behind.
    assert _tables(out) == expected
    assert_reports_sum(out, refs, expected["articles"], expected["duplicates"], expected["rejected"])
    assert not _files_under(out, ".tmp-")

    # A restart (here a --once run on the folder) reads the files again, finds every record written, writes
    # nothing new and marks each file done at its size.
    assert streaming.main(["--watch", os.path.join(landing, "*"), "--once", "--output", out,
                           "--settle_seconds", f"{SETTLE:g}s"]) == 0
    assert _tables(out) == expected
    assert_reports_sum(out, refs, expected["articles"], expected["duplicates"], expected["rejected"])
    assert _ledger_sizes(out, "done") == {p: {os.path.getsize(p)} for p in (first, second, page)}


def test_a_ctrl_c_inside_a_step_is_a_stop_not_a_failure(tmp_path, monkeypatch):
    """A Ctrl-C mostly lands while a DoFn runs, and Beam raises it again as RuntimeError('KeyboardInterrupt [while
    running ...]'): the job must still end as stopped (exit 130, the restart hint), not with a traceback and 1."""
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    (landing / "feed.jsonl").write_text(_now("steel") + "\n")

    def ctrl_c(self, element, timestamp=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(streaming._StreamParseFn, "process", ctrl_c)
    args = ["--watch", str(landing / "*.jsonl"), "--once", "--output", out, "--no_near_dup"]
    assert streaming.main(args) == 130

    def broken(self, element, timestamp=None):
        raise ValueError("a real failure")

    monkeypatch.setattr(streaming._StreamParseFn, "process", broken)
    with pytest.raises(Exception, match="a real failure"):
        streaming.main(args)
    assert streaming.interrupted(RuntimeError("KeyboardInterrupt [while running 'Parse']")) is False  # by type


def _ctrl_c(proc, log_path):
    """Stops the job as a user does: one Ctrl-C to its process group, as a terminal sends it. One is enough since
    ed7c10d (stream_stop: a press swallowed in a `__del__` is raised again, a runner thread left by a bundle cut
    short is not waited for); the job must be gone within STOP_WAIT."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the job did not stop within {STOP_WAIT:g}s of one Ctrl-C:\n{_log_tail(log_path)}")


def _ledger_sizes(out, kind):
    """path -> sizes with a `kind` marker in the ledger (stream_state.load_ledger gives done pairs, not seen ones)."""
    folder = os.path.join(out, "_stream", "files")
    sizes = {}
    for name in os.listdir(folder):
        if name.endswith(f".{kind}"):
            with open(os.path.join(folder, name)) as f:
                entry = json.load(f)
            sizes.setdefault(entry["path"], set()).add(entry["size"])
    return sizes
