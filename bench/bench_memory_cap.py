"""Does the batch job finish inside a memory cap? The job runs on one input once uncapped, then once under each
cap, each time in a fresh memory cgroup: the kernel's own limit, as a container or a Kubernetes pod gets it.
Without swap, anonymous memory over the cap gets the job OOM-killed, while file pages (shared libraries, the page
cache of the input and of the files written) are reclaimed to make room; so the smallest cap the job finishes
under is the RAM it needs, which its RSS overstates. The capped runs' rows are compared with the uncapped run's.

python bench/bench_memory_cap.py --input W.warc.gz --caps 600,500,450 [--job-args "..."] [--near-dup]
                                 [--repo TREE] [--keep DIR] [--rows-from DIR]

Besides the peak charge (anonymous memory plus page cache), each run's peak anonymous charge is sampled from the
cgroup's memory.stat every 0.2 s: what must stay in RAM. The page cache a job reads is charged to the cgroup
that first read it, so a file page already cached (a shared library, a cached model) costs a later job nothing
here. `--repo` runs another checkout's job (a tree before a change); `--keep DIR` keeps the uncapped output in
DIR and `--rows-from DIR` compares the capped runs' rows with such a kept output instead of running uncapped.

A WARC to read: `python bench/bench_warc.py --gb 2 --sizes 2 --warc W.warc.gz --skip-job` builds and keeps one.
Needs write access to a cgroup tree: root on cgroup v1 (/sys/fs/cgroup/memory), or a cgroup v2 hierarchy whose
memory controller is enabled for children (root, or a subtree systemd delegates). Only v1 was available where
this was written; the v2 branch follows the kernel's documented files and was not run there.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
import threading

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from bench.bench_warc import _rows_note, measure_job, same_rows  # noqa: E402

V1 = "/sys/fs/cgroup/memory"
V2 = "/sys/fs/cgroup"
UNCAPPED_MB = 64 * 1024


class MemoryCap:
    """A new memory cgroup capped at `mb` MiB, swap off; removed on exit (once its processes are gone)."""

    def __init__(self, mb: int, name: str, v1_root: str = V1, v2_root: str = V2):
        self.mb = mb
        self.v2 = os.path.exists(os.path.join(v2_root, "cgroup.controllers"))
        self.path = os.path.join(v2_root if self.v2 else v1_root, name)

    def __enter__(self):
        self.anon_peak, self._stop = 0, threading.Event()
        os.mkdir(self.path)
        limit = str(self.mb * 2**20)
        if self.v2:
            self._write("memory.max", limit)
            self._write("memory.swap.max", "0", optional=True)
        else:
            self._write("memory.limit_in_bytes", limit)
            self._write("memory.memsw.limit_in_bytes", limit, optional=True)  # only where swap accounting is on
        self._sampler = threading.Thread(target=self._sample_anon, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._sampler.join()
        try:
            os.rmdir(self.path)
        except OSError:
            pass
        return False

    @property
    def procs(self) -> str:
        return os.path.join(self.path, "cgroup.procs")

    def peak_mb(self) -> float | None:
        """The cgroup's highest charge (anonymous memory plus page cache), MiB, where the kernel keeps one."""
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        try:
            return int(self._read(name)) / 2**20
        except (OSError, ValueError):
            return None

    def anon_mb(self) -> float | None:
        """The cgroup's anonymous memory now, MiB (v1 memory.stat `rss`, v2 `anon`): what the kernel cannot drop."""
        try:
            text = self._read("memory.stat")
        except OSError:
            return None
        key = "anon" if self.v2 else "rss"
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value) / 2**20
        return None

    def anon_peak_mb(self) -> float | None:
        """The highest anonymous charge sampled while the cgroup was open (every 0.2 s), MiB; None if unreadable."""
        return self.anon_peak or None

    def _sample_anon(self, interval: float = 0.2) -> None:
        while not self._stop.is_set():
            self.anon_peak = max(self.anon_peak, self.anon_mb() or 0)
            self._stop.wait(interval)

    def oom_kills(self) -> int | None:
        """Processes the kernel killed for this cgroup's cap, where it counts them."""
        try:
            text = self._read("memory.events" if self.v2 else "memory.oom_control")
        except OSError:
            return None
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return None

    def _read(self, name: str) -> str:
        with open(os.path.join(self.path, name), encoding="ascii") as f:
            return f.read()

    def _write(self, name: str, value: str, optional: bool = False) -> None:
        try:
            with open(os.path.join(self.path, name), "w", encoding="ascii") as f:
                f.write(value)
        except OSError:
            if not optional:
                raise


def _mb(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, help="the job's --input (a WARC, a JSONL file, a directory)")
    ap.add_argument("--caps", default="600,500,450", help="memory caps to try, MiB, comma-separated")
    ap.add_argument("--near-dup", action="store_true", help="run the job with the near-dup stage (default: exact only)")
    ap.add_argument("--job-args", default="", help="extra job flags, e.g. '--direct_num_workers 2'")
    ap.add_argument("--tmp", default=None, help="parent of the temp dir for the outputs (default: the system's)")
    ap.add_argument("--repo", default=REPO, help="the checkout whose job runs (default: this one)")
    ap.add_argument("--keep", default=None, help="keep the uncapped run's output in this folder")
    ap.add_argument("--rows-from", default=None,
                    help="compare rows with this kept output and skip the uncapped run (CPU ratios then print as -)")
    args = ap.parse_args(argv)
    caps = [int(c) for c in args.caps.split(",") if c.strip()]
    extra = tuple(shlex.split(args.job_args))
    tmp = tempfile.mkdtemp(prefix="bench_memory_cap-", dir=args.tmp)
    try:
        free = None
        reference = args.rows_from
        if reference is None:
            # uncapped, but in a cgroup of its own all the same, for its peak charge (RAM well over any job's)
            reference = args.keep or os.path.join(tmp, "free")
            with MemoryCap(UNCAPPED_MB, f"newsflow-cap-{os.getpid()}-free") as cap:
                free = measure_job(args.input, reference, args.near_dup, repo=args.repo, extra=extra,
                                   cgroup_procs=cap.procs)
                free_peak, free_anon = cap.peak_mb(), cap.anon_peak_mb()
            print(f"uncapped: CPU {free['cpu']:.0f} s, wall {free['wall']:.0f} s, peak RSS {free['peak_rss_mb']:.0f} MB, "
                  f"read median {free.get('read_median_mb') or 0:.0f} MB, cgroup peak charge {free_peak or 0:.0f} MB, "
                  f"peak anonymous {free_anon or 0:.0f} MB", flush=True)
        rows = []
        for mb in caps:
            out = os.path.join(tmp, f"cap-{mb}")
            with MemoryCap(mb, f"newsflow-cap-{os.getpid()}-{mb}") as cap:
                job = measure_job(args.input, out, args.near_dup, repo=args.repo, extra=extra,
                                  cgroup_procs=cap.procs, check=False)
                peak, kills, anon = cap.peak_mb(), cap.oom_kills(), cap.anon_peak_mb()
            if "returncode" in job and job["returncode"] == -9 and kills:
                verdict = f"KILLED by the kernel at the cap (OOM kills {kills})"
            elif "returncode" in job:
                tail = [line for line in job["error"].splitlines() if line.strip()][-1:]
                verdict = f"FAILED (exit {job['returncode']}, OOM kills {kills})" + (f": {tail[0][:200]}" if tail else "")
            else:
                verdict = "finished; " + _rows_note(same_rows(out, reference))
            rows.append((mb, job, peak, anon, verdict))
            print(f"cap {mb} MiB: CPU {job['cpu']:.0f} s, wall {job['wall']:.0f} s, peak RSS "
                  f"{job['peak_rss_mb']:.0f} MB, read median {job.get('read_median_mb') or 0:.0f} MB, cgroup peak "
                  f"charge {_mb(peak)} MB, peak anonymous {_mb(anon)} MB; {verdict}", flush=True)
            shutil.rmtree(out, ignore_errors=True)
        print(f"\n{'cap MiB':>8}{'CPU s':>8}{'CPU/uncapped':>13}{'peak RSS':>9}{'cg peak':>8}{'anon pk':>8}  result")
        for mb, job, peak, anon, verdict in rows:
            ratio = f"{job['cpu'] / free['cpu']:.2f}" if free else "-"
            print(f"{mb:>8}{job['cpu']:>8.0f}{ratio:>13}{job['peak_rss_mb']:>9.0f}{_mb(peak):>8}{_mb(anon):>8}  {verdict}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
