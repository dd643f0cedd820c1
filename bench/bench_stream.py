"""Streaming benchmark: N synthetic articles dropped in waves into a watched folder; end-to-end latency (file landed
-> its rows visible in Parquet) p50/p95 and sustained articles/s, next to the batch job on the same records.

    python bench/bench_stream.py [--n 20000] [--waves 20] [--wave_every 3] [--window 10s] [--near_copies 0.05] [--skip-batch]

Near-duplicate detection is on (the job's default); --near_copies plants edited copies only it can catch.

Records are stamped with their landing time as scraped_at (on time by construction). A record counts as visible
when its input_ref appears in articles/, duplicates/ or rejected/ (each record ends in exactly one of them).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyarrow.parquet as pq  # noqa: E402

from bench.synth import generate_records  # noqa: E402
from pipelines.core import stream_report  # noqa: E402
from pipelines.core.stream_state import file_of_ref  # noqa: E402
from pipelines.core.stream_windows import parse_duration  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def iso(ts: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def drop_wave(folder: str, name: str, records: list[dict]) -> float:
    now = time.time()
    tmp = os.path.join(folder, f".{name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for i, r in enumerate(records):
            f.write(json.dumps(dict(r, scraped_at=iso(now - 0.5 + i * 1e-5))) + "\n")
    os.rename(tmp, os.path.join(folder, name))
    return time.time()


class Visibility:
    """Polls the output tables and notes when each input_ref first becomes visible."""

    def __init__(self, out: str):
        self.out, self.read_files, self.seen = out, set(), {}

    def poll(self) -> None:
        now = time.time()
        for table in ("articles", "duplicates", "rejected"):
            for root, _, files in os.walk(os.path.join(self.out, table)):
                for name in files:
                    path = os.path.join(root, name)
                    if name.startswith(".") or not name.endswith(".parquet") or path in self.read_files:
                        continue
                    self.read_files.add(path)
                    for ref in pq.read_table(path, columns=["input_ref"]).column("input_ref").to_pylist():
                        self.seen.setdefault(ref, now)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_stream(records: list[dict], waves: int, wave_every: float, window: str, tmp: str, extra=()) -> dict:
    landing, out = os.path.join(tmp, "landing"), os.path.join(tmp, "stream_out")
    os.makedirs(landing)
    per_wave = -(-len(records) // waves)
    stop_after = waves * wave_every + 5
    cmd = [sys.executable, "-m", "pipelines.streaming", "--watch", os.path.join(landing, "*.jsonl"), "--output", out,
           "--window", window, "--allowed_lateness", "600s", "--poll_interval", "1s", "--stop_after", f"{stop_after}s", *extra]
    log = open(os.path.join(tmp, "stream.log"), "w")
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(3)  # let the job start polling
    landed, vis = {}, Visibility(out)
    next_drop = time.time()
    for w in range(waves):
        while time.time() < next_drop:
            vis.poll()
            time.sleep(0.2)
        name = f"wave{w:03d}.jsonl"
        landed[os.path.join(landing, name)] = drop_wave(landing, name, records[w * per_wave:(w + 1) * per_wave])
        next_drop += wave_every
    deadline = time.time() + 600
    while len(vis.seen) < len(records) and time.time() < deadline and proc.poll() is None:
        vis.poll()
        time.sleep(0.2)
    vis.poll()
    proc.wait(timeout=max(1, deadline - time.time()))
    latencies = [vis.seen[ref] - landed[file_of_ref(ref)] for ref in vis.seen]
    first, last = min(landed.values()), max(vis.seen.values())
    total = stream_report.total(stream_report.read_reports(out))
    return {
        "panes": total["panes"], "balanced": total["balanced"], "records_in_reports": total["records_read"],
        "duplicates_by_rule": total["duplicates_by_rule"],
        "records": len(records), "visible": len(vis.seen), "window_s": parse_duration(window),
        "p50_s": statistics.median(latencies), "p95_s": percentile(latencies, 0.95), "max_s": max(latencies),
        "articles_per_s": len(vis.seen) / (last - first), "span_s": last - first, "exit_code": proc.returncode,
    }


def with_near_copies(records: list[dict], share: float, n: int) -> list[dict]:
    """Every 1/share-th record is followed by a copy with one sentence added mid-text under another site's URL,
    which only near-duplicate detection catches; the list is cut back to n records."""
    if share <= 0:
        return records
    every, out = max(1, round(1 / share)), []
    for i, r in enumerate(records):
        out.append(r)
        if i % every == every - 1:
            paras = r["text"].split("\n\n")
            paras[len(paras) // 2] += " Officials declined to comment any further on Tuesday."
            out.append(dict(r, url=f"https://mirror{i}.example.org/s/{i}", text="\n\n".join(paras)))
    return out[:n]


def run_batch(records: list[dict], tmp: str) -> dict:
    src = os.path.join(tmp, "batch.jsonl")
    with open(src, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipelines.news_pipeline", "--input", src, "--output",
                    os.path.join(tmp, "batch_out"), "--run_date", "2026-11-24", "--quiet"],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "articles_per_s": len(records) / seconds}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--waves", type=int, default=20)
    parser.add_argument("--wave_every", type=float, default=3.0, help="seconds between waves")
    parser.add_argument("--window", default="10s")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--stream_arg", action="append", default=[],
                        help="extra flag for the streaming job, e.g. --stream_arg=--no_near_dup (repeatable)")
    parser.add_argument("--near_copies", type=float, default=0.05,
                        help="share of records followed by an edited (near-duplicate) copy (default 0.05)")
    args = parser.parse_args(argv)
    records = with_near_copies(list(generate_records(args.n, seed=1)), args.near_copies, args.n)
    with tempfile.TemporaryDirectory() as tmp:
        stream = run_stream(records, args.waves, args.wave_every, args.window, tmp, args.stream_arg)
        batch = None if args.skip_batch else run_batch(records, tmp)
    w = stream["window_s"]
    print(f"streaming, DirectRunner: {stream['records']} records in {args.waves} waves every {args.wave_every:g}s, "
          f"window {w:g}s")
    print(f"  visible {stream['visible']}/{stream['records']}, exit code {stream['exit_code']}")
    print(f"  latency landed->visible: p50 {stream['p50_s']:.1f}s  p95 {stream['p95_s']:.1f}s  max {stream['max_s']:.1f}s"
          f"   (target p95 < 2 windows + 10s = {2 * w + 10:g}s)")
    print(f"  sustained: {stream['articles_per_s']:.0f} articles/s over {stream['span_s']:.1f}s")
    print(f"  pane reports: {stream['panes']}, {stream['records_in_reports']} records, balanced {stream['balanced']}; "
          f"duplicates by rule {stream['duplicates_by_rule']}")
    if batch:
        print(f"batch job, DirectRunner, same records: {batch['seconds']:.1f}s, {batch['articles_per_s']:.0f} articles/s"
              f"   (stream/batch = {stream['articles_per_s'] / batch['articles_per_s']:.2f}, target >= 0.5)")


if __name__ == "__main__":
    main()
