"""What publishing one date costs: pipelines.core.publish.publish on the local fast path and through Beam's
FileSystems (file by file, as on an object store), optionally against another version of publish.py. Prints the
medians of wall and CPU milliseconds over interleaved runs (a shared machine is noisy: compare CPU too).

    git show e124281~1:pipelines/core/publish.py > /tmp/publish_before.py
    python bench/bench_publish.py [--topics 30] [--files 8] [--kb 64] [--runs 15] \\
        [--compare-with /tmp/publish_before.py]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pipelines.core import publish as current  # noqa: E402

DT = "2026-11-24"


def make_date(root: str, topics: int, files: int, size: int) -> None:
    """A date as the job writes it: files per topic partition of articles, per partition of the other tables."""
    blob = os.urandom(size)
    for table in current.TABLES:
        leaves = [f"topic=t{i:02d}" for i in range(topics)] if table == "articles" else [""]
        for leaf in leaves:
            d = os.path.join(root, table, f"dt={DT}", leaf)
            os.makedirs(d, exist_ok=True)
            for i in range(1 if table == "reports" else files):
                with open(os.path.join(d, f"part-{i:05d}.parquet"), "wb") as f:
                    f.write(blob)


def one_publish(publish, base: str, args) -> tuple[float, float]:
    """Publishes a date over an earlier publication of it; returns (wall, cpu) seconds of the second publish."""
    out = os.path.join(base, "out")
    shutil.rmtree(out, ignore_errors=True)
    for name in ("first", "airflow"):
        staging = os.path.join(out, "_staging", f"dt={DT}", name)
        make_date(staging, args.topics, args.files, args.kb * 1024)
        if name == "first":
            publish(staging, out, DT)
    wall, cpu = time.perf_counter(), time.process_time()
    publish(staging, out, DT)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--topics", type=int, default=30)
    p.add_argument("--files", type=int, default=8, help="files per partition")
    p.add_argument("--kb", type=int, default=64, help="size of each file")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--compare-with", help="another publish.py (e.g. an older revision) to time alongside")
    p.add_argument("--no-filesystems", action="store_true", help="skip the Beam FileSystems path")
    args = p.parse_args(argv)

    contenders = {"local": current.publish}
    if not args.no_filesystems:
        from pipelines.orchestration.beam_files import BeamFiles

        contenders["filesystems"] = lambda s, o, d: current.publish(s, o, d, BeamFiles())
    if args.compare_with:
        spec = importlib.util.spec_from_file_location("publish_compared", args.compare_with)
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        contenders = {"compared": other.publish, **contenders}

    names = list(contenders)
    times: dict[str, list] = {n: [] for n in names}
    base = tempfile.mkdtemp(prefix="bench-publish-")
    try:
        for r in range(args.runs + 1):
            for name in names if r % 2 == 0 else names[::-1]:
                t = one_publish(contenders[name], os.path.join(base, name), args)
                if r:  # the first round warms imports and the page cache
                    times[name].append(t)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    files = args.topics * args.files + 3 * args.files + 1
    print(f"publish of one date over its earlier publication: {files} files ({args.topics} topics x {args.files}"
          f" + 3 tables x {args.files} + the report), {args.kb} KB each; medians of {args.runs} interleaved runs")
    for name in names:
        wall = statistics.median(t[0] for t in times[name]) * 1000
        cpu = statistics.median(t[1] for t in times[name]) * 1000
        print(f"  {name:12s} wall {wall:8.1f} ms   cpu {cpu:8.1f} ms")


if __name__ == "__main__":
    main()
