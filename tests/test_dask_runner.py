"""The batch job, unchanged, on Beam's DaskRunner over a dask.distributed LocalCluster with two worker processes:
the same article rows, ledger and rejections as on the DirectRunner.

It runs through pipelines.runners.dask.FixedDaskRunner: Beam 2.77's DaskRunner as shipped computes only the graph's last
sink, merges tagged outputs into the main output and drops finish_bundle outputs (see that module)."""
import pytest

from bench.bench_dask import DIRECT, dask_args, run_batch
from bench.synth import write_jsonl
from schemas.articles import ARTICLES
from tests.streaming.helpers import table

pytestmark = pytest.mark.integration


def sorted_rows(out, name, columns):
    t = table(out, name)
    return sorted(map(str, t.select(columns).to_pylist()))


def test_batch_job_on_dask_matches_direct_runner(tmp_path):
    distributed = pytest.importorskip("distributed", reason="apache-beam[dask] is not installed")
    src = tmp_path / "in.jsonl"
    write_jsonl(src, 300, seed=2, dup_rate=0.15)
    bad = b'{"url": "https://e.com/broken", "scraped_at": \n'
    with open(src, "ab") as f:
        f.write(bad)
    run_batch(str(src), str(tmp_path / "direct"), DIRECT)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        run_batch(str(src), str(tmp_path / "dask"), dask_args(cluster.scheduler_address))

    articles = ARTICLES.names + ["dt", "topic"]
    direct_rows = sorted_rows(tmp_path / "direct", "articles", articles)
    assert len(direct_rows) > 250
    assert sorted_rows(tmp_path / "dask", "articles", articles) == direct_rows
    ledger = ["article_id", "duplicate_of", "rule", "input_ref"]
    assert sorted_rows(tmp_path / "dask", "duplicates", ledger) == sorted_rows(tmp_path / "direct", "duplicates", ledger)
    rejected = ["input_ref", "stage", "reason"]
    assert sorted_rows(tmp_path / "dask", "rejected", rejected) == sorted_rows(tmp_path / "direct", "rejected", rejected)
