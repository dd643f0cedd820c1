"""make bench: the batch job on N synthetic articles, beside a pyarrow floor and the same stage functions in a
plain Python loop, all on the same file in one run. Prints articles/s, time per stage and peak RSS.

python bench/bench_pipeline.py [--n 50000] [--repeat 1] [--workers 1]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)


def synth_file(n: int, seed: int) -> str:
    from bench.synth import generate_records

    path = os.path.join(REPO, "bench", "data", f"synth-{n}-{seed}.jsonl")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            for rec in generate_records(n, seed=seed):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    return path


def floor(path: str, out_dir: str) -> float:
    """Lower bound for any job: pyarrow parses the JSONL and writes zstd Parquet, nothing else."""
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    table = pj.read_json(path, read_options=pj.ReadOptions(block_size=1 << 26))
    pq.write_table(table, os.path.join(out_dir, "floor.parquet"), compression="zstd")
    return time.perf_counter() - t0


def plain_loop(path: str, out_dir: str, run_date: date, near_dup: bool) -> tuple[float, dict]:
    """The job's own stage functions, called in a loop without Beam."""
    from pipelines.core import near_dup as nd
    import pyarrow.parquet as pq

    from pipelines.core.articles import build_article
    from pipelines.core.cleaning import load_rules
    from pipelines.core.raw_files import iter_file
    from pipelines.core.records import Rejected, parse_jsonl
    from pipelines.core.tables import articles_table, split_by_topic
    from pipelines.core.topics import TopicMatcher, load_taxonomy
    from pipelines.core.tagging import MAX_BATCH, apply_tags_many
    from schemas.articles import ARTICLES

    cpu_start = time.process_time()
    rules, taxonomy = load_rules(), load_taxonomy()
    matcher, iptc = TopicMatcher(taxonomy), {t.slug: t.iptc_code for t in taxonomy.topics}
    matcher.batch_tagger().warm_up()  # as the stage's setup: compiled before the first batch, not inside it
    cfg = nd.load_config() if near_dup else None
    from pipelines.stages.common import settle_gc

    settle_gc()  # the Beam stages do the same in setup; the loop gets it too, for a fair comparison
    stages = dict.fromkeys(["read+parse", "clean", "tag", "dedup", "write"], 0.0)
    buckets, fingerprints = {}, {}
    seen_url, seen_hash, rows, writers = set(), set(), [], {}
    t_start = time.perf_counter()

    def flush():
        t = articles_table(rows)
        for topic, part in split_by_topic(t).items():
            if topic not in writers:
                writers[topic] = pq.ParquetWriter(os.path.join(out_dir, f"loop-{topic}.parquet"), ARTICLES, compression="zstd")
            writers[topic].write_table(part)
        rows.clear()

    def finish(batch):
        """Tag, fingerprint and dedup a batch of built articles, as the job does: the tagger and the near-dup
        fingerprints take MAX_BATCH articles per call, then dedup goes article by article."""
        t2 = time.perf_counter()
        apply_tags_many([article for _, article in batch], matcher, iptc, taxonomy.version)
        t3 = time.perf_counter()
        stages["tag"] += t3 - t2
        if cfg is not None:  # counted as dedup work
            hashes_of, digests_of = nd.fingerprints_of_tokens([a["_tokens"] for _, a in batch], cfg)
            stages["dedup"] += time.perf_counter() - t3
        for n, (item, article) in enumerate(batch):
            t3 = time.perf_counter()
            dup = article["canonical_url"] in seen_url or article["content_hash"] in seen_hash
            seen_url.add(article["canonical_url"])
            seen_hash.add(article["content_hash"])
            if cfg is not None and not dup:
                # the job's pair check on the job's fingerprints
                hashes = hashes_of[n]
                stamp = nd.scraped_micros(article["scraped_at"]) / 1e6
                for key in nd.digests_to_keys(digests_of[n]):
                    for other in buckets.setdefault(key, []):
                        other_hashes, other_stamp = fingerprints[other]
                        rule, _ = nd.judge_pair(other_hashes, hashes, stamp - other_stamp, cfg)
                        if rule and rule != nd.FIGURE_CONFLICT:
                            dup = True
                            break
                    buckets[key].append(article["article_id"])
                    if dup:
                        break
                fingerprints[article["article_id"]] = (hashes, stamp)
            t4 = time.perf_counter()
            if not dup:
                article["input_ref"], article["pipeline_version"] = item.input_ref, "bench"
                rows.append(article)
                if len(rows) >= 2000:
                    flush()
            t5 = time.perf_counter()
            stages["dedup"] += t4 - t3
            stages["write"] += t5 - t4
        batch.clear()

    batch = []
    with open(path, "rb") as f:
        items = iter_file(f, path, 2_000_000)
        while True:
            t0 = time.perf_counter()
            item = next(items, None)
            if item is None:
                break
            try:
                record = parse_jsonl(item)
                t1 = time.perf_counter()
                article = build_article(record, rules)
                t2 = time.perf_counter()
            except Rejected:
                continue
            stages["read+parse"] += t1 - t0
            stages["clean"] += t2 - t1
            batch.append((item, article))
            if len(batch) >= MAX_BATCH:
                finish(batch)
    finish(batch)
    t0 = time.perf_counter()
    if rows:
        flush()
    for w in writers.values():
        w.close()
    stages["write"] += time.perf_counter() - t0
    stages["_cpu"] = time.process_time() - cpu_start
    return time.perf_counter() - t_start, stages


def beam_job(path: str, out_dir: str, run_date: date, workers: int, near_dup: bool) -> tuple[float, float, dict]:
    """The real job in a subprocess; returns (seconds, peak RSS MiB of the process tree, report)."""
    import psutil

    cmd = [sys.executable, "-m", "pipelines.news_pipeline", "--input", path, "--output", out_dir,
           "--run_date", run_date.isoformat(), "--quiet", "--runner", "DirectRunner"]
    if not near_dup:
        cmd.append("--no_near_dup")
    if workers > 1:
        cmd += ["--direct_num_workers", str(workers), "--direct_running_mode", "multi_processing"]
    peak, cpu = [0], [0.0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)

    def watch():
        while proc.poll() is None:
            try:
                procs = [ps] + ps.children(recursive=True)
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in procs))
                cpu[0] = max(cpu[0], sum(sum(p.cpu_times()[:2]) for p in procs))
            except psutil.Error:
                pass
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"job failed:\n{err.decode()[-3000:]}")
    report = json.load(open(os.path.join(out_dir, "reports", f"dt={run_date.isoformat()}", "report.json")))
    report["_cpu"] = cpu[0]
    return elapsed, peak[0] / 2**20, report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each contender; medians are printed")
    ap.add_argument("--workers", type=int, default=1, help="DirectRunner workers for the Beam job")
    ap.add_argument("--skip-loop", action="store_true", help="only the Beam job (e.g. for the 200k RSS check)")
    ap.add_argument("--skip-exact", action="store_true", help="skip the exact-dedup-only contenders")
    ap.add_argument("--skip-near-dup", action="store_true", help="skip the near-dup-on contenders")
    args = ap.parse_args(argv)
    run_date = date(2026, 11, 24)

    t0 = time.perf_counter()
    path = synth_file(args.n, args.seed)
    size_mb = os.path.getsize(path) / 2**20
    print(f"input: {path}  ({args.n} records, {size_mb:.0f} MiB; made/reused in {time.perf_counter() - t0:.1f}s)")

    modes = ([] if args.skip_exact else [False]) + ([] if args.skip_near_dup else [True])
    times = {k: [] for k in ["floor"] + [f"loop{m}" for m in modes] + [f"job{m}" for m in modes]}
    cpus = {k: [] for k in times}
    peaks, stage_runs, report = {m: [] for m in modes}, {m: [] for m in modes}, None
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            if not args.skip_loop:
                times["floor"].append(floor(path, tmp))
            for m in modes:
                if not args.skip_loop:
                    secs, stages = plain_loop(path, tmp, run_date, m)
                    times[f"loop{m}"].append(secs)
                    cpus[f"loop{m}"].append(stages.pop("_cpu"))
                    stage_runs[m].append(stages)
                secs, peak, report = beam_job(path, os.path.join(tmp, f"out{m}"), run_date, args.workers, m)
                times[f"job{m}"].append(secs)
                cpus[f"job{m}"].append(report.pop("_cpu"))
                peaks[m].append(peak)

    n, med = args.n, statistics.median
    # CPU seconds (user+sys of the whole process tree) next to wall seconds: on a shared machine the wall clock
    # moves with other people's load; CPU time much less.
    print(f"\n{'contender':<48}{'wall s':>8}{'art/s':>8}{'CPU s':>8}{'art/CPU-s':>10}{'CPU vs loop':>12}{'peak RSS MiB':>13}")
    if times["floor"]:
        print(f"{'floor: pyarrow JSONL -> Parquet':<48}{med(times['floor']):>8.1f}{n / med(times['floor']):>8,.0f}")
    for m in modes:
        label = "near-dup on" if m else "exact dedup only"
        loop, loop_cpu = times[f"loop{m}"], cpus[f"loop{m}"]
        if loop:
            print(f"{f'plain loop, {label}':<48}{med(loop):>8.1f}{n / med(loop):>8,.0f}{med(loop_cpu):>8.1f}"
                  f"{n / med(loop_cpu):>10,.0f}{1:>12.2f}")
        job, job_cpu = med(times[f"job{m}"]), med(cpus[f"job{m}"])
        ratio = f"{job_cpu / med(loop_cpu):>12.2f}" if loop else f"{'-':>12}"
        print(f"{f'Beam job, DirectRunner x{args.workers}, {label}':<48}{job:>8.1f}{n / job:>8,.0f}{job_cpu:>8.1f}"
              f"{n / job_cpu:>10,.0f}{ratio}{max(peaks[m]):>13,.0f}")
    if len(modes) == 2:
        print(f"\nBeam job near-dup on / exact only: wall {med(times['jobTrue']) / med(times['jobFalse']):.2f}x, "
              f"CPU {med(cpus['jobTrue']) / med(cpus['jobFalse']):.2f}x")
    for m in modes:
        if stage_runs[m]:
            print(f"\ntime per stage, plain loop, {'near-dup on' if m else 'exact only'} (median of {len(stage_runs[m])}):")
            for name in stage_runs[m][0]:
                s = med(r[name] for r in stage_runs[m])
                print(f"  {name:<14}{s:>8.2f}s  {n / s if s else float('inf'):>10,.0f} articles/s")
    print(f"\nlast job report: read {report['records_read']}, written {report['articles_written']}, "
          f"duplicates {report['duplicates']} {report['duplicates_by_rule']}, rejected {report['rejected']}, "
          f"balanced {report['balanced']}")


if __name__ == "__main__":
    main()
