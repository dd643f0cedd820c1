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


def test_an_index_row_of_an_older_version_has_its_bands_recomputed_from_the_low_half_once(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    import numpy as np

    from pipelines.core import near_dup as nd
    from pipelines.io.history import _ReadIndexFn
    from schemas.articles import INDEX_V1

    cfg = nd.load_config()
    current = nd.shingle_hashes(" ".join(f"word{i}" for i in range(80)), cfg)
    path = str(tmp_path / "part-0.parquet")
    pq.write_table(pa.table({
        "article_id": ["00000000000000aa"], "canonical_url": ["https://x.example/a"], "content_hash": ["0" * 32],
        "scraped_at": [datetime(2026, 11, 20, tzinfo=timezone.utc)], "near_dup_version": ["2026.11.5"],
        "band_keys": [[f"{band}:1" for band in range(cfg.bands)]],
        "shingle_hashes": [(current.astype(np.uint64) | np.uint64(9 << 40)).tolist()]}, schema=INDEX_V1), path)
    calls = []
    low_shingles = nd.low_shingles
    monkeypatch.setattr(nd, "low_shingles", lambda h: calls.append(h.dtype) or low_shingles(h))
    out = list(_ReadIndexFn(cfg).process(path))
    chunks = [o.value for o in out if getattr(o, "tag", None) == "bands"]
    assert calls == [np.dtype(np.uint64)]  # converted once, not again on the way to the signature
    expected = nd.BandChunks(cfg)
    expected.add(nd.node_of("00000000000000aa", "2026-11-20T00:00:00Z", True), nd.lsh_digests(current, cfg))
    assert repr(chunks) == repr(list(expected.drain()))
