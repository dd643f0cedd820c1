from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.io.history import history_files


def test_history_is_the_lookback_window_before_the_run_date_never_the_date_itself(tmp_path):
    for dt in ["2026-11-20", "2026-11-22", "2026-11-23", "2026-11-24"]:
        part = tmp_path / "index" / f"dt={dt}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"x": [1]}), part / "part-0.parquet")
    files = history_files(str(tmp_path), date(2026, 11, 24), lookback_days=3)
    assert [f.split("dt=")[1][:10] for f in files] == ["2026-11-23", "2026-11-22"]
