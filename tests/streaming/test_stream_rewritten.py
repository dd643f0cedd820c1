"""A JSONL file truncated and rewritten in place between two reads: its new records are read as a new version
of the file (refs '<path>@v<hex>:<line>'), the old version's rows stay, it is told and counted, and the reports
add up."""
import json
import os
import time

from pipelines import streaming
from pipelines.core import stream_report, stream_state
from tests.streaming.helpers import BODIES, record, table


def _lines(names, scraped):
    return "".join(json.dumps(record(n, scraped + i, url=f"https://news.example.com/{n}/{i}")) + "\n"
                   for i, n in enumerate(names))


def test_a_jsonl_file_rewritten_in_place_has_its_new_records_read(tmp_path):
    landing, out = tmp_path / "landing", str(tmp_path / "out")
    landing.mkdir()
    path = str(landing / "feed.jsonl")
    args = ["--watch", path, "--once", "--output", out, "--no_near_dup"]
    scraped = time.time() - 60
    open(path, "w").write(_lines(["steel", "chips"], scraped))
    assert streaming.main(args) == 0
    open(path, "w").write(_lines(["rain", "coach"], scraped + 10) + json.dumps(record("steel", scraped + 20,
                                                                                      "https://x.example/s")) + "\n")
    assert streaming.main(args) == 0
    (version,) = {r["input_ref"].rsplit(":", 1)[0] for r in table(out, "articles").to_pylist()} - {path}
    assert version.startswith(path + "@v")
    rows = {r["input_ref"]: r["title"] for r in table(out, "articles").to_pylist() if r["topic"] == (
        r["primary_topic"] or "untagged")}
    assert rows == {f"{path}:1": "About steel", f"{path}:2": "About chips", f"{version}:1": "About rain",
                    f"{version}:2": "About coach"}
    assert [r["input_ref"] for r in table(out, "duplicates").to_pylist()] == [f"{version}:3"]  # steel's text again
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"] and total["files_by_event"] == {"rewritten": 1}
    assert {i["path"]: i["records"] for i in total["inputs"] if i["records"]} == {path: 2, version: 3}
    assert (version, os.path.getsize(path)) in stream_state.load_ledger(out)[0]
    # the new version grows: it keeps its name, and only its new line is read
    with open(path, "a") as f:
        f.write(json.dumps(record("rain", scraped + 30, "https://news.example.com/more-rain")).replace(
            "Heavy rain", "More rain") + "\n")
    assert streaming.main(args) == 0
    total = stream_report.total(stream_report.read_reports(out))
    assert total["balanced"] and total["files_by_event"] == {"rewritten": 1}
    assert {i["path"]: i["records"] for i in total["inputs"] if i["records"]} == {path: 2, version: 4}
