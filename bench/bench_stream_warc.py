"""Peak memory of the streaming job on one landed WARC, per WARC size: does it stay flat as the file grows?

Builds a gzip-per-record WARC with bench_warc's builder (real pages, read by path) and prefixes of it, then runs
`python -m pipelines.streaming --watch FILE --once --output OUT --no_near_dup` on each (and, with --watching, the
watching job on the same file), optionally a baseline tree's job too, in interleaved rounds. Prints per run the
peak RSS of the process tree (sampled every 0.2 s), the main process's high-water mark, CPU and wall seconds, and
checks the run's reports: balanced, records read + skipped = the builder's counts; with a baseline, that both
trees wrote the same rows (duckdb EXCEPT ALL both ways).

python bench/bench_stream_warc.py [--sizes 50,200,400] [--rounds 1] [--baseline DIR] [--tree DIR] [--watching]
                                  [--job-args "..."]
"""
from __future__ import annotations

import argparse
import glob
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from bench.bench_warc import (  # noqa: E402  (after the path insert)
    PAGES, _tree_rss, copy_prefix, load_templates, peak_rss_mb, same_rows, vocabulary, write_warc,
)

MB = 1 << 20
# Watching: the bench WARC's pages span a day of event time ending days before it lands.
WATCH_ARGS = ("--allowed_lateness", "3650d", "--state_ttl", "3650d", "--poll_interval", "1s")


def job_command(path: str, out: str, watching: bool, stop_after: float, extra: tuple[str, ...]) -> list[str]:
    cmd = [sys.executable, "-m", "pipelines.streaming", "--watch", path, "--output", out, "--no_near_dup"]
    if watching:
        return cmd + list(WATCH_ARGS) + ["--stop_after", f"{stop_after:g}s"] + list(extra)
    return cmd + ["--once"] + list(extra)


def run_job(cmd: list[str], repo: str, interval: float = 0.2) -> dict:
    """Runs one job from `repo`: peak RSS of its process tree (sampled), the main process's VmHWM, CPU (user+sys
    of the job and the children it waited for, from wait4) and wall seconds."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, hwm, stop = [0], [0.0], threading.Event()

    def watch():
        while not stop.is_set():  # not proc.poll(): it could reap the job before wait4 reads its CPU time
            peak[0] = max(peak[0], _tree_rss(proc))
            hwm[0] = max(hwm[0], peak_rss_mb(proc.pid))
            stop.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"job failed: {' '.join(cmd)}\n{err.decode()[-3000:]}")
    return {"peak_mb": peak[0] / MB, "hwm_mb": hwm[0], "cpu": usage.ru_utime + usage.ru_stime, "wall": wall}


def check_output(out: str, counts) -> dict:
    """The run's reports added up, against what the builder wrote into the file."""
    from pipelines.core import stream_report

    total = stream_report.total(stream_report.read_reports(out))
    done = glob.glob(os.path.join(out, "_stream", "files", "*.done"))
    return {
        "balanced": bool(total["balanced"]),
        "pages_ok": total["records_read"] == counts.pages,
        "skips_ok": total["skipped_by_reason"] == counts.skips,
        "done": len(done),
        "articles": total["articles_written"], "duplicates": total["duplicates"], "rejected": total["rejected"],
        "parquet_files": len(glob.glob(os.path.join(out, "**", "*.parquet"), recursive=True)),
        "reports": len(glob.glob(os.path.join(out, "reports", "**", "*.json"), recursive=True)),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,200,400", help="WARC sizes, MB (prefixes of the largest)")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved rounds per size (medians are printed)")
    ap.add_argument("--baseline", metavar="DIR", help="another tree (git archive of a commit): run its job too")
    ap.add_argument("--tree", default=REPO, metavar="DIR",
                    help="the tree measured as 'this' (default: this checkout; a frozen copy keeps others' edits "
                         "made during a long run out of the comparison)")
    ap.add_argument("--watching", action="store_true", help="also run the watching job (--stop_after) per size")
    ap.add_argument("--stop_after", type=float, default=10.0, help="watching: seconds before the watch stops")
    ap.add_argument("--job-args", default="", help="extra flags for this tree's job, e.g. '--read_chunk 500'")
    ap.add_argument("--pages", default=PAGES, help="directory of */source.html pages")
    ap.add_argument("--tmp", default=None, help="parent of the temp dir (default: the system's)")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.pages):
        raise SystemExit(f"{args.pages} is not here: this bench reads real pages from /work/shared/data")
    sizes = sorted({int(float(s) * MB) for s in args.sizes.split(",")})
    trees = [("this", os.path.abspath(args.tree), tuple(shlex.split(args.job_args)))]
    if args.baseline:
        trees.append(("base", os.path.abspath(args.baseline), ()))
    modes = [False, True] if args.watching else [False]
    tmp = tempfile.mkdtemp(prefix="bench_stream_warc-", dir=args.tmp)
    try:
        templates = load_templates(args.pages)
        full = os.path.join(tmp, "full.warc.gz")
        t0 = time.perf_counter()
        total, cuts = write_warc(full, sizes[-1], templates, vocabulary(templates), marks=tuple(sizes[:-1]))
        print(f"built {os.path.getsize(full) / MB:,.0f} MB WARC, {total.pages:,} pages, in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        results = {}
        for size in sizes:
            path, counts = full, total
            if size < sizes[-1]:
                nbytes, counts = cuts[size]
                path = os.path.join(tmp, f"warc-{size // MB}.warc.gz")
                copy_prefix(full, path, nbytes)
            for rnd in range(args.rounds):
                order = trees if rnd % 2 == 0 else trees[::-1]
                for watching in modes:
                    outs = {}
                    for name, repo, extra in order:
                        out = os.path.join(tmp, f"out-{name}")
                        shutil.rmtree(out, ignore_errors=True)
                        run = run_job(job_command(path, out, watching, args.stop_after, extra), repo)
                        run.update(check_output(out, counts))
                        results.setdefault((size, watching, name), []).append(run)
                        outs[name] = out
                        mode = "watching" if watching else "once"
                        print(f"{size // MB} MB ({counts.pages:,} pages) {mode} {name} round {rnd + 1}: peak RSS "
                              f"{run['peak_mb']:,.0f} MB (main VmHWM {run['hwm_mb']:,.0f}), CPU {run['cpu']:.1f} s, "
                              f"wall {run['wall']:.0f} s; balanced {run['balanced']}, pages {run['pages_ok']}, "
                              f"skips {run['skips_ok']}, done {run['done']}; articles {run['articles']:,}, "
                              f"duplicates {run['duplicates']:,}, rejected {run['rejected']:,}; "
                              f"{run['parquet_files']:,} parquet files, {run['reports']:,} reports", flush=True)
                    if len(outs) == 2:
                        same = same_rows(outs["this"], outs["base"])
                        same_ok = all(t["only_in_one"] == 0 for t in same.values())
                        results.setdefault((size, watching, "same"), []).append(same_ok)
                        rows = ", ".join(f"{table} {t['rows'][0]:,}/{t['rows'][1]:,}" for table, t in same.items())
                        print(f"  rows this/base: {rows}: {'identical' if same_ok else 'DIFFER'}", flush=True)
            if path != full:
                os.remove(path)
        print(f"\nmedians over {args.rounds} round(s): peak RSS of the process tree MB (main VmHWM), CPU s")
        header = f"{'WARC MB':>8}{'mode':>10}" + "".join(f"{n + ' RSS':>16}{n + ' CPU':>10}" for n, _, _ in trees)
        print(header)
        for size in sizes:
            for watching in modes:
                line = f"{size // MB:>8}{'watching' if watching else 'once':>10}"
                for name, _, _ in trees:
                    runs = results[(size, watching, name)]
                    rss = statistics.median(r["peak_mb"] for r in runs)
                    hwm = statistics.median(r["hwm_mb"] for r in runs)
                    line += f"{f'{rss:,.0f} ({hwm:,.0f})':>16}{statistics.median(r['cpu'] for r in runs):>10.1f}"
                print(line)
        for name, _, _ in trees:
            for watching in modes:
                lo, hi = (statistics.median(r["peak_mb"] for r in results[(s, watching, name)]) for s in (sizes[0], sizes[-1]))
                print(f"{name} {'watching' if watching else 'once'}: {sizes[0] // MB} -> {sizes[-1] // MB} MB WARC: "
                      f"peak RSS {hi - lo:+,.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
