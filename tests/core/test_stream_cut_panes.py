"""stream_report.unreported_panes / remove_unreported_panes: a window pane's Parquet files without the pane's report
(cut by a SIGKILL or a crash) are found and removed; a whole pane, the batch job's parts and a rejected file are not
touched. The job-level case (SIGKILL mid-pane, then a restart) is tests/streaming/test_stream_stop_mid_pane.py."""
import os

import pyarrow as pa

from pipelines.core import stream_report, stream_state

PANE = "part-1796036915-0-4d37bb6387f6"  # part-<window start>-<shard>-<12 hex>, as WriteWindowedParquet names it
CUT = "part-1796036920-1-0123456789ab"
BATCH = "part-" + "a" * 32  # the batch job's parts


def _write(out, relative):
    stream_state.write_parquet(str(out), relative, pa.table({"input_ref": ["x:1"]}))


def _layout(out):
    for name in (PANE, CUT, BATCH):
        _write(out, f"articles/dt=2026-11-30/topic=trade-tariffs/{name}.parquet")
        _write(out, f"index/dt=2026-11-30/{name}.parquet")
    _write(out, f"duplicates/dt=2026-11-30/{CUT}.parquet")
    _write(out, f"rejected/dt=2026-11-30/{BATCH}.parquet")
    stream_report.write_report(str(out), stream_report.report_path("2026-11-30", 1796036915, PANE), {})


def test_the_files_of_a_pane_without_its_report_are_found_and_removed(tmp_path):
    _layout(tmp_path)
    cut = [f"{tmp_path}/{p}" for p in (f"articles/dt=2026-11-30/topic=trade-tariffs/{CUT}.parquet",
                                       f"duplicates/dt=2026-11-30/{CUT}.parquet", f"index/dt=2026-11-30/{CUT}.parquet")]
    assert stream_report.unreported_panes(str(tmp_path)) == sorted(cut)
    assert stream_report.remove_unreported_panes(str(tmp_path)) == sorted(cut)
    assert not any(os.path.exists(p) for p in cut)
    assert stream_report.unreported_panes(str(tmp_path)) == []
    kept = [f"articles/dt=2026-11-30/topic=trade-tariffs/{PANE}.parquet", f"index/dt=2026-11-30/{PANE}.parquet",
            f"articles/dt=2026-11-30/topic=trade-tariffs/{BATCH}.parquet", f"rejected/dt=2026-11-30/{BATCH}.parquet"]
    assert all(os.path.exists(tmp_path / p) for p in kept)


def test_no_output_yet_has_nothing_to_remove(tmp_path):
    assert stream_report.remove_unreported_panes(str(tmp_path / "out")) == []


def test_a_scan_of_folders_left_empty_reads_nothing(tmp_path):
    _write(tmp_path, f"articles/dt=2026-11-30/topic=trade-tariffs/{CUT}.parquet")
    stream_report.remove_unreported_panes(str(tmp_path))
    assert os.path.isdir(tmp_path / "articles/dt=2026-11-30/topic=trade-tariffs")
    assert stream_state.written_refs(str(tmp_path), {"x"}) == set()
    assert stream_state.written_keys(str(tmp_path), 7) == ({}, {})
