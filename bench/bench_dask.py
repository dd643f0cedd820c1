"""The batch job on Beam's DaskRunner (dask.distributed LocalCluster) against the DirectRunner, same input.

    python bench/bench_dask.py [--n 5000] [--workers 2] [--repeat 3]

Beam 2.77's DaskRunner computes only the last leaf of the graph, merges a ParDo's tagged outputs into its main
output and drops what finish_bundle emits, so the batch graph (dead-letter outputs, bundle-written shards, several
sinks) does not run on it as shipped. `FixedDaskRunner` below is the stock runner with those three things fixed
and nothing else changed; it lives in pipelines/runners/dask.py: pass --runner pipelines.runners.dask.FixedDaskRunner.
Workers import the installed newsflow package (pip install -e . or a wheel on each worker), nothing is pickled
from __main__.
"""
from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pipelines.runners.dask  # noqa: E402,F401  (--runner pipelines.runners.dask.FixedDaskRunner)


DIRECT = ["--runner", "DirectRunner"]


def dask_args(scheduler_address: str) -> list[str]:
    return ["--runner", "pipelines.runners.dask.FixedDaskRunner", "--dask_client_address", scheduler_address]


def run_batch(src: str, out: str, runner_args: list[str]) -> float:
    """Seconds for one batch run (fresh output) with the given runner flags."""
    from pipelines import news_pipeline

    start = time.perf_counter()
    news_pipeline.run(["--input", src, "--output", out, "--run_date", "2026-11-24", "--quiet", *runner_args])
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import logging

    from distributed import LocalCluster

    from bench.synth import write_jsonl

    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        src = f"{tmp}/synth.jsonl"
        write_jsonl(Path(src), args.n, seed=1)
        times = {"DirectRunner": [], f"DaskRunner ({args.workers} workers)": []}
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            for i in range(args.repeat):
                times["DirectRunner"].append(run_batch(src, f"{tmp}/direct{i}", DIRECT))
                times[f"DaskRunner ({args.workers} workers)"].append(
                    run_batch(src, f"{tmp}/dask{i}", dask_args(cluster.scheduler_address)))
    print(f"batch job, {args.n} synthetic articles, {args.repeat} runs each (median):")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:28s} {med:7.1f} s  {args.n / med:8.0f} articles/s   runs: {', '.join(f'{t:.1f}' for t in ts)}")


if __name__ == "__main__":
    main()
