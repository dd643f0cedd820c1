"""pipelines.core.report: the readers' tallies that are not skips stay out of the skips and the sum."""
from pipelines.core.report import build_report


def test_truncated_payload_kept_is_reported_apart_from_the_skips(tmp_path):
    inputs = [("a.warc", 3, (("not_response", 2), ("truncated_payload_kept", 1))), ("b.jsonl", 0, ())]
    report = build_report(str(tmp_path), "2026-11-24", inputs, {})
    assert report["truncated_payload_kept"] == 1
    assert report["skipped_by_reason"] == {"not_response": 2}
    assert report["inputs"][0]["skipped"] == {"not_response": 2}
    assert report["records_read"] == 3 and not report["balanced"]  # nothing written under tmp_path: 3 != 0
