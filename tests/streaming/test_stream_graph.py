"""The streaming graph under TestStream: on-time, late-within-lateness and too-late records, duplicates across
windows; and that the Pub/Sub and Kafka variants build."""
import os

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing.test_stream import TestStream
from apache_beam.transforms.window import TimestampedValue

from pipelines import streaming
from pipelines.io import stream_sources
from tests.streaming.helpers import T0, article_ids_once, raw, record, stream_args, table


def run_stream(output, events, *extra):
    args = stream_args(output, "--window", "60s", "--allowed_lateness", "60s", "--write_shards", "1", *extra)
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        streaming.build(p, args, source=events)
    return args


def landed(element, at):
    return TimestampedValue(element, at)


@pytest.fixture
def windows_run(tmp_path):
    """Window [T0, T0+60) gets two on-time records, one late within the lateness and one too late; a URL copy of
    the first record lands four windows later."""
    steel, chips = record("steel", T0 + 10), record("chips", T0 + 20)
    rain_late, coach_too_late = record("rain", T0 + 30), record("coach", T0 + 40)
    steel_copy = record("steel", T0 + 250, url="https://www.news.example.com/steel?utm_source=x")
    events = (
        TestStream()
        .advance_watermark_to(T0)
        .add_elements([landed(raw(steel, "a.jsonl:1"), T0 + 10), landed(raw(chips, "a.jsonl:2"), T0 + 20)])
        .advance_watermark_to(T0 + 65)  # window 0 is complete: its on-time pane is written
        .add_elements([landed(raw(rain_late, "b.jsonl:1"), T0 + 65)])  # 5 s late, lateness is 60 s
        .advance_watermark_to(T0 + 300)  # window 0 closed for good at T0 + 120
        .add_elements([landed(raw(coach_too_late, "c.jsonl:1"), T0 + 300),
                       landed(raw(steel_copy, "c.jsonl:2"), T0 + 300)])
        .advance_watermark_to_infinity()
    )
    out = tmp_path / "out"
    run_stream(out, events)
    return out, {"steel": steel, "chips": chips, "rain": rain_late, "coach": coach_too_late}


def ids_by_url(out):
    t = table(out, "articles")
    return {r["url"]: r["article_id"] for r in t.select(["url", "article_id"]).to_pylist()}


def test_on_time_and_late_records_are_written_once(windows_run):
    out, recs = windows_run
    ids = article_ids_once(out)
    assert sorted(ids) == sorted(set(ids)), "an article was written twice"
    urls = set(ids_by_url(out))
    assert urls == {recs[n]["url"] for n in ("steel", "chips", "rain")}


def test_late_record_lands_in_its_own_pane_of_the_same_window(windows_run):
    out, recs = windows_run
    t = table(out, "articles")
    rows = t.select(["url", "dt"]).to_pylist()
    assert {r["dt"] for r in rows} == {"2026-11-24"}
    files = {}
    for path in sorted(os.listdir(out / "index" / "dt=2026-11-24")):
        import pyarrow.parquet as pq

        files[path] = set(pq.read_table(out / "index" / "dt=2026-11-24" / path).column("canonical_url").to_pylist())
    window0 = [urls for name, urls in files.items() if name.startswith(f"part-{int(T0)}-")]
    assert len(window0) == 2, "expected an on-time pane and a late pane for window 0"
    assert sorted(len(u) for u in window0) == [1, 2]


def test_too_late_record_is_rejected_with_a_reason(windows_run):
    out, recs = windows_run
    rejected = table(out, "rejected").to_pylist()
    assert [(r["input_ref"], r["stage"], r["reason"]) for r in rejected] == [("c.jsonl:1", "window", "too_late")]
    assert b"coach" in rejected[0]["raw"]


def test_copy_in_a_later_window_goes_to_the_ledger(windows_run):
    out, recs = windows_run
    dups = table(out, "duplicates").to_pylist()
    assert len(dups) == 1
    assert dups[0]["input_ref"] == "c.jsonl:2"
    assert dups[0]["rule"] == "exact_url"
    assert dups[0]["duplicate_of"] == ids_by_url(out)[recs["steel"]["url"]]


def test_content_copy_arriving_first_still_points_at_the_survivor(tmp_path):
    """The same body under two URLs, plus a URL copy of the second: all copies point at the first one seen."""
    first = record("rain", T0 + 5, url="https://a.example/rain")
    second = record("rain", T0 + 70, url="https://b.example/rain")
    second_again = record("rain", T0 + 130, url="https://b.example/rain/")
    second_again["text"] += "\n\nUpdated with new figures."
    events = (
        TestStream()
        .add_elements([landed(raw(first, "a.jsonl:1"), T0 + 5)])
        .advance_watermark_to(T0 + 70)
        .add_elements([landed(raw(second, "a.jsonl:2"), T0 + 70)])
        .advance_watermark_to(T0 + 130)
        .add_elements([landed(raw(second_again, "a.jsonl:3"), T0 + 130)])
        .advance_watermark_to_infinity()
    )
    out = tmp_path / "out"
    run_stream(out, events)
    survivor = ids_by_url(out)
    assert list(survivor) == ["https://a.example/rain"]
    dups = {r["input_ref"]: (r["duplicate_of"], r["rule"]) for r in table(out, "duplicates").to_pylist()}
    assert dups == {"a.jsonl:2": (survivor["https://a.example/rain"], "exact_content"),
                    "a.jsonl:3": (survivor["https://a.example/rain"], "exact_url")}


def test_record_older_than_the_state_lifetime_is_rejected_too_old(tmp_path):
    old = record("chips", T0 - 8 * 86400)
    events = TestStream().add_elements([landed(raw(old, "a.jsonl:1"), T0)]).advance_watermark_to_infinity()
    out = tmp_path / "out"
    run_stream(out, events, "--state_ttl", "7d")
    assert [r["reason"] for r in table(out, "rejected").to_pylist()] == ["too_old"]
    assert table(out, "articles") is None


def build_only(argv):
    args, beam_args = streaming.parse_args(argv)
    p = beam.Pipeline(options=streaming.pipeline_options(args, beam_args))
    streaming.build(p, args)
    return p


def labels(p):
    found = []

    class Visitor(beam.pipeline.PipelineVisitor):
        def enter_composite_transform(self, node):
            found.append(node.full_label)

        def visit_transform(self, node):
            found.append(node.full_label)

    p.visit(Visitor())
    return found


def test_pubsub_source_builds(tmp_path):
    p = build_only(["--input_subscription", "projects/newsflow-prod/subscriptions/raw-news", "--output", str(tmp_path)])
    found = labels(p)
    assert "ReadStream/ReadFromPubSub" in found
    assert "WriteWindowedParquet/WritePanes" in found
    assert not any(label.startswith("TrackFiles") for label in found), "brokers need no file ledger"


def test_kafka_source_builds(tmp_path, monkeypatch):
    configs = []

    def fake_read(self):
        configs.append((self.bootstrap, self.topics))
        return beam.Create([])  # stands in for the Java cross-language transform, which needs a JVM

    real = stream_sources.ReadKafka(1000, "broker:9092", ["raw-news"]).kafka_read()
    assert type(real).__name__ == "ReadFromKafka" and b"broker:9092" in real._payload
    monkeypatch.setattr(stream_sources.ReadKafka, "kafka_read", fake_read)
    p = build_only(["--kafka_bootstrap", "broker:9092", "--kafka_topic", "raw-news", "--output", str(tmp_path)])
    assert configs == [("broker:9092", ["raw-news"])]
    assert "ReadStream/ReadFromKafka" in labels(p)


@pytest.mark.parametrize("argv", [
    ["--output", "o"],
    ["--output", "o", "--watch", "x", "--input_topic", "projects/p/topics/t"],
    ["--output", "o", "--kafka_bootstrap", "b:9092"],
    ["--output", "o", "--watch", "x", "--window", "7s"],
])
def test_bad_source_flags_are_refused(argv):
    with pytest.raises(SystemExit):
        streaming.parse_args(argv)


def test_each_pane_writes_one_balanced_report_and_they_sum_to_the_input(windows_run):
    from pipelines.core import stream_report

    out, recs = windows_run
    reports = stream_report.read_reports(str(out))
    assert reports and all(r["balanced"] and not stream_report.check_pane(r) for r in reports)
    files = sorted(p.name for p in out.rglob("*.parquet"))
    names = {n.rsplit(".", 1)[0] for n in files}
    assert len(reports) == len(names), "one report per pane firing and per rejected file"
    assert [r["rejected"] for r in reports if r["window"] is None] == [1]
    total = stream_report.total(reports)
    assert total["records_read"] == 5  # steel, chips, rain (late), coach (too late), the steel copy
    assert (total["articles_written"], total["duplicates"], total["rejected"]) == (3, 1, 1)
    assert total["rejected_by_reason"] == {"window:too_late": 1}
    assert total["balanced"] and total["index_rows"] == 3
    window0 = [r for r in reports if r["window"] and r["window"]["start"] == int(T0)]
    assert sorted(r["records_read"] for r in window0) == [1, 2], "the on-time pane and the late pane"
    assert all(r["dt"] == "2026-11-24" and r["pipeline_version"] for r in reports)


def test_no_flatten_gathers_rejections(tmp_path):
    """Each step's rejections go to their own writer: on the DirectRunner (FnApiRunner) a Flatten is a buffer held
    until the read ends, and rejections carry their raw bytes."""
    from apache_beam.pipeline import PipelineVisitor

    class Flattens(PipelineVisitor):
        def __init__(self):
            self.inputs, self.rejected, self.consumers = [], [], {}

        def visit_transform(self, node):
            if isinstance(node.transform, beam.Flatten):
                self.inputs.append([pc.tag for pc in node.inputs])
            for pc in node.inputs:
                self.consumers.setdefault(id(pc), []).append(node.full_label)
            self.rejected += [pc for tag, pc in node.outputs.items() if tag == "rejected"]

    p = beam.Pipeline()
    streaming.build(p, stream_args(str(tmp_path), "--window", "60s", "--once"))  # the folder source, with its ledger
    flattens = Flattens()
    p.visit(flattens)
    # no Flatten at all: the ledger messages, once flattened, are counted per step now (TrackFiles)
    assert flattens.inputs == [], flattens.inputs
    # and none is left unwritten: every step's rejected output has exactly one reader, a rejected-record writer
    assert len(flattens.rejected) >= 4, "parse, event time, clean and tag each reject"
    for pc in flattens.rejected:
        readers = flattens.consumers.get(id(pc), [])
        assert len(readers) == 1 and "Rejected" in readers[0], (pc, readers)
