"""Memory and speed of WARC input: peak RSS of the WARC reader alone and of the whole batch job, per input size.

Builds a gzip-per-record WARC (as Common Crawl writes them) from real pages under a temp dir, then measures, each
in a fresh subprocess, pipelines.core.warc.iter_warc_records over the whole file and the batch job on the
DirectRunner, at several sizes (prefixes of the largest file, cut at record boundaries).

python bench/bench_warc.py [--gb 2] [--sizes 0.25,0.5,1,2] [--near-dup] [--buffers] [--timeline] [--skip-job] [--tmp DIR]
                           [--baseline DIR] [--job-args "--direct_num_workers 2 ..."] [--warc PATH]

--baseline DIR: a checkout of another commit (git worktree / git archive); its job runs on the same file at the same
time as this tree's, so both columns see the same machine load, and their output rows are compared.
"""
from __future__ import annotations

import argparse
import glob
import io
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

PAGES = "/work/shared/data/extraction-dev/mozilla-readability/test/test-pages"
RUN_DATE = "2026-11-24"
# Common Crawl's writers use Java's default deflate level; warcio's own gzip mode uses 9, several times slower
# to build gigabytes with and no different to read.
GZIP_LEVEL = 6
# The read phase's RSS is taken from this many seconds on: before it the libraries load and a large file's ranges
# are found (its pre-pass, ~18 s per GiB).
READ_SKIP_S = 60
REPLACE_SHARE = 0.35  # of a copy's words: no 5-word shingle survives in most places, so copies are not near-dups
EXACT_COPY_SHARE = 0.02  # responses that repeat an earlier body under a new URL (syndicated copies)
# Pages whose markup arrives without visible text (script-rendered shells, consent walls): the job rejects most
# of them (empty_extraction), and a rejection keeps the record's raw bytes.
SHELL_SHARE = 0.08
# Of the response records, these shares are not pages the job reads; each has a request record too, as real WARCs do.
OTHER_RESPONSES = (
    (0.05, "200", "image/jpeg"),
    (0.02, "200", "text/css"),
    (0.01, "200", "application/pdf"),
    (0.03, "301", "text/html"),
    (0.02, "404", "text/html"),
    (0.01, "503", "text/html"),
)
_SEGMENTS = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>)", re.S | re.I)
_WORD = re.compile(r"[a-z]{2,12}")
_SPACE = re.compile(r"(\s+)")


@dataclass
class PageTemplate:
    """A page cut once into pieces (markup kept as is, text split into words) so copies are cheap to vary."""

    name: str
    pieces: np.ndarray  # object array of str
    words: np.ndarray  # positions in pieces that hold a word of visible text


def page_template(name: str, html: bytes) -> PageTemplate:
    text = html.decode("utf-8", "surrogateescape")
    pieces, words = [], []
    for n, segment in enumerate(_SEGMENTS.split(text)):
        if n % 2:  # markup, scripts, styles, comments
            pieces.append(segment)
            continue
        for part in _SPACE.split(segment):
            if part and not part.isspace():
                words.append(len(pieces))
            if part:
                pieces.append(part)
    arr = np.empty(len(pieces), dtype=object)
    arr[:] = pieces
    return PageTemplate(name, arr, np.array(words, dtype=np.int64))


def load_templates(pages_dir: str) -> list[PageTemplate]:
    out = []
    for name in sorted(os.listdir(pages_dir)):
        path = os.path.join(pages_dir, name, "source.html")
        if os.path.isfile(path):
            with open(path, "rb") as f:
                out.append(page_template(name, f.read()))
    if not out:
        raise SystemExit(f"no */source.html under {pages_dir}")
    return out


def vocabulary(templates: list[PageTemplate]) -> np.ndarray:
    """Every lowercase word of the pages' text, repeats kept, so replacements follow the pages' own word frequencies."""
    words = [w for t in templates for piece in t.pieces[t.words].tolist() for w in _WORD.findall(piece)]
    arr = np.empty(len(words), dtype=object)
    arr[:] = words
    return arr


def page_copy(template: PageTemplate, rng: np.random.Generator, vocab: np.ndarray,
              share: float = REPLACE_SHARE) -> bytes:
    """The page with `share` of its visible words replaced by words drawn from vocab; markup untouched."""
    pieces = template.pieces.copy()
    chosen = template.words[rng.random(template.words.size) < share]
    pieces[chosen] = vocab[rng.integers(0, vocab.size, chosen.size)]
    return "".join(pieces.tolist()).encode("utf-8", "surrogateescape")


def shell_page(template: PageTemplate) -> bytes:
    """The page's markup, scripts and styles with no visible text."""
    pieces = template.pieces.copy()
    pieces[template.words] = ""
    return "".join(pieces.tolist()).encode("utf-8", "surrogateescape")


@dataclass
class WarcCounts:
    records: int = 0  # every WARC record, warcinfo and requests included
    pages: int = 0  # HTML 200 responses: what the job reads
    shells: int = 0  # of which pages without visible text
    skips: dict = field(default_factory=dict)  # the reader's skip reason -> count

    def copy(self) -> "WarcCounts":
        return WarcCounts(self.records, self.pages, self.shells, dict(self.skips))

    def skip(self, reason: str):
        self.skips[reason] = self.skips.get(reason, 0) + 1


def _gzip_member(record_bytes: bytes) -> bytes:
    c = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return c.compress(record_bytes) + c.flush()


def _write(writer, buf: io.BytesIO, out, record) -> int:
    """One record through warcio's writer (uncompressed), then gzipped as its own member; returns bytes written."""
    buf.seek(0)
    buf.truncate()
    writer.write_record(record)
    data = _gzip_member(buf.getvalue())
    out.write(data)
    return len(data)


def _other_body(content_type: str, status: str, rng: np.random.Generator) -> bytes:
    if status != "200":
        return b"" if status == "301" else f"<html><body><h1>Error {status}</h1></body></html>".encode()
    size = int(rng.integers(2_000, 60_000))
    if content_type == "text/css":
        return (b"body{margin:0;padding:0}\n.nav a{color:#333}\n" * (size // 44))[:size]
    return rng.bytes(size)  # images and PDFs barely compress


def write_warc(path: str, target_bytes: int, templates: list[PageTemplate], vocab: np.ndarray, seed: int = 1,
               marks: tuple[int, ...] = ()) -> tuple[WarcCounts, dict]:
    """Writes records until the file reaches target_bytes. Returns the counts and, for each byte mark, the
    (offset of the last record boundary at or below it, counts up to there), so a prefix copy is a whole WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    counts, cuts, pending = WarcCounts(), {}, sorted(marks)
    start = datetime.fromisoformat(f"{RUN_DATE}T00:00:00+00:00")
    recent: list[bytes] = []
    n = 0
    with open(path, "wb") as out:
        offset = _write(writer, buf, out, writer.create_warcinfo_record(
            os.path.basename(path), {"software": "newsflow bench_warc", "format": "WARC File Format 1.0"}))
        counts.records += 1
        counts.skip("not_response")
        before = (offset, counts.copy())
        while offset < target_bytes:
            while pending and offset > pending[0]:
                cuts[pending.pop(0)] = before
            if pending:
                before = (offset, counts.copy())
            n += 1
            template = templates[int(rng.integers(0, len(templates)))]
            when = start + timedelta(seconds=int(rng.integers(0, 86_400)))
            warc_date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            url = f"https://{template.name}.example.com/{when:%Y/%m/%d}/story-{n}.html"
            draw, status, content_type = float(rng.random()), "200", "text/html; charset=utf-8"
            for share, other_status, other_type in OTHER_RESPONSES:
                if draw < share:
                    status, content_type = other_status, other_type
                    break
                draw -= share
            if status == "200" and content_type.startswith("text/html"):
                kind = rng.random()
                if kind < SHELL_SHARE:
                    body = shell_page(template)
                    counts.shells += 1
                elif recent and kind < SHELL_SHARE + EXACT_COPY_SHARE:
                    body = recent[int(rng.integers(0, len(recent)))]
                else:
                    body = page_copy(template, rng, vocab)
                    recent = (recent + [body])[-50:]
                counts.pages += 1
            else:
                body = _other_body(content_type, status, rng)
                url = url.replace(".html", ".jpg" if "jpeg" in content_type else ".pdf" if "pdf" in content_type
                                  else ".css" if "css" in content_type else ".html")
                counts.skip("not_html" if status == "200" else f"http_status_{status}")
            headers = [("Content-Type", content_type), ("Content-Length", str(len(body))),
                       ("Date", when.strftime("%a, %d %b %Y %H:%M:%S GMT")), ("Server", "nginx")]
            if status == "301":
                headers.append(("Location", url.replace("story-", "moved-story-")))
            reason = {"200": "OK", "301": "Moved Permanently", "404": "Not Found", "503": "Service Unavailable"}[status]
            http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                 warc_headers_dict={"WARC-Date": warc_date})
            request = writer.create_warc_record(
                url, "request", http_headers=StatusAndHeaders(
                    f"GET /{url.split('/', 3)[3]} HTTP/1.1",
                    [("Host", url.split("/")[2]), ("User-Agent", "newsflow-bench/1.0"), ("Accept", "*/*")],
                    is_http_request=True),
                warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": response.rec_headers.get_header(
                    "WARC-Record-ID")})
            offset += _write(writer, buf, out, request) + _write(writer, buf, out, response)
            counts.records += 2
            counts.skip("not_response")
    for mark in pending:
        cuts[mark] = (offset, counts.copy())
    return counts, cuts


def _keep_warc(path: str, gb: float, total: WarcCounts, cuts: dict) -> None:
    """Writes PATH.json beside a kept WARC: what was asked for, its counts, and each cut (offset, counts)."""
    as_dict = lambda c: {"records": c.records, "pages": c.pages, "shells": c.shells, "skips": c.skips}
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump({"gb": gb, "size": os.path.getsize(path), "total": as_dict(total),
                   "cuts": {str(mark): [offset, as_dict(c)] for mark, (offset, c) in cuts.items()}}, f)


def _kept_warc(path: str, gb: float, marks: tuple[int, ...]):
    """(counts, cuts) of a WARC kept by an earlier run for the same --gb and cut points, else None."""
    try:
        with open(path + ".json", encoding="utf-8") as f:
            kept = json.load(f)
        size = os.path.getsize(path)
    except (OSError, ValueError):
        return None
    if kept["gb"] != gb or kept["size"] != size or not {str(m) for m in marks} <= set(kept["cuts"]):
        return None
    counts = lambda d: WarcCounts(d["records"], d["pages"], d["shells"], dict(d["skips"]))
    return counts(kept["total"]), {int(m): (o, counts(c)) for m, (o, c) in kept["cuts"].items()}


def copy_prefix(src: str, dst: str, nbytes: int) -> None:
    with open(src, "rb") as f, open(dst, "wb") as g:
        left = nbytes
        while left:
            chunk = f.read(min(left, 1 << 22))
            if not chunk:
                break
            g.write(chunk)
            left -= len(chunk)


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's own high-water RSS (VmHWM). Not ru_maxrss: a child started by vfork + exec (Python's
    subprocess) inherits its parent's high-water mark in ru_maxrss, so a small reader under a big parent
    would report the parent's size."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if pid == "self" else 0.0


def read_all(path: str) -> dict:
    """The reader alone over the whole file (run in a fresh process): records by outcome, time, peak RSS."""
    from pipelines.core.warc import iter_warc_records

    base_mb = peak_rss_mb()
    pages, skips, html_chars = 0, {}, 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with open(path, "rb") as f:
        for _, raw, reason in iter_warc_records(f, path):
            if raw is None:
                skips[reason] = skips.get(reason, 0) + 1
            else:
                pages += 1
                html_chars += len(raw["html"])
    return {"pages": pages, "skips": skips, "html_chars": html_chars, "wall": time.perf_counter() - wall0,
            "cpu": time.process_time() - cpu0, "base_rss_mb": base_mb, "peak_rss_mb": peak_rss_mb()}


def measure_reader(path: str) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--read-only", path], cwd=REPO,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _tree_rss(proc) -> int:
    """RSS bytes of a process and all its descendants (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        return _proc_tree_rss(proc.pid)
    try:
        root = psutil.Process(proc.pid)
        total = 0
        for p in [root] + root.children(recursive=True):
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def _proc_tree_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


_NO_JOB = {"wall": float("nan"), "cpu": float("nan"), "peak_rss_mb": float("nan"), "main_hwm_mb": float("nan"),
           "peak_at": float("nan"), "timeline": [], "report": {"rejected": 0}}


def _job_args(path: str, out_dir: str, near_dup: bool, extra: tuple[str, ...] = ()) -> list[str]:
    return (["--input", path, "--output", out_dir, "--run_date", RUN_DATE, "--quiet", "--runner", "DirectRunner"]
            + ([] if near_dup else ["--no_near_dup"]) + list(extra))


def measure_buffers(path: str, out_dir: str, near_dup: bool) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--buffers-of", path, out_dir]
    cmd += ["--near-dup"] if near_dup else []
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_job(path: str, out_dir: str, near_dup: bool, interval: float = 0.2, repo: str = REPO,
                extra: tuple[str, ...] = (), cgroup_procs: str | None = None, check: bool = True) -> dict:
    """The batch job on the DirectRunner in a subprocess run from `repo`: peak RSS of its process tree (sampled
    every `interval` s), wall and CPU seconds (user+sys of the job and the children it waited for, from wait4, so
    two jobs can run at once), and the RSS timeline. `cgroup_procs`: a cgroup's cgroup.procs file the job joins
    before it starts. With check=False a failed job gives its exit code and stderr's tail instead of raising."""
    cmd = [sys.executable, "-m", "pipelines.news_pipeline"] + _job_args(path, out_dir, near_dup, extra)
    t0 = time.perf_counter()
    join = None
    if cgroup_procs:
        def join():  # in the child, before exec: the job and everything it starts are in the cgroup
            with open(cgroup_procs, "w", encoding="ascii") as f:
                f.write(str(os.getpid()))
    proc = subprocess.Popen(cmd, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=join)
    timeline: list[tuple[float, int]] = []
    stop = threading.Event()

    hwm, end_at = [0.0], [None]
    # FinalizeShards is the first to write articles/ or index/ in the run's staging dir: the job's end begins there
    finalize_dirs = [os.path.join(out_dir, "_staging", "*", "*", table) for table in ("articles", "index")]

    def watch():
        while not stop.is_set():  # not proc.poll(): it could reap the job before wait4 reads its CPU time
            timeline.append((time.perf_counter() - t0, _tree_rss(proc)))
            hwm[0] = max(hwm[0], peak_rss_mb(proc.pid))  # catches a spike between samples, for the main process
            if end_at[0] is None and any(glob.glob(d) for d in finalize_dirs):
                end_at[0] = timeline[-1][0]
            stop.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        if not check:
            return {"returncode": proc.returncode, "error": err.decode(errors="replace")[-3000:], "wall": wall,
                    "cpu": usage.ru_utime + usage.ru_stime,
                    "peak_rss_mb": max((r for _, r in timeline), default=0) / 2**20}
        raise SystemExit(f"job failed on {path}:\n{err.decode()[-3000:]}")
    with open(os.path.join(out_dir, "reports", f"dt={RUN_DATE}", "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": max((r for _, r in timeline), default=0) / 2**20, "main_hwm_mb": hwm[0],
            "peak_at": max(timeline, key=lambda x: x[1])[0] if timeline else 0.0,
            "timeline": [(round(t, 1), round(r / 2**20)) for t, r in timeline], "report": report,
            **phases(timeline, end_at[0])}


def phases(timeline: list[tuple[float, int]], end_at: float | None, skip: float = READ_SKIP_S) -> dict:
    """RSS of the read phase (from `skip` s to the end's start: median and 90th percentile of the samples) and the
    peak of the end (FinalizeShards on, from `end_at`), MB; None where a phase has no sample."""
    read = sorted(r for t, r in timeline if t >= skip and (end_at is None or t < end_at))
    end = [r for t, r in timeline if end_at is not None and t >= end_at]
    mb = lambda r: r / 2**20
    return {"end_at": end_at,
            "read_median_mb": mb(read[len(read) // 2]) if read else None,
            "read_p90_mb": mb(read[min(len(read) - 1, int(len(read) * 0.9))]) if read else None,
            "end_peak_mb": mb(max(end)) if end else None}


def _phases_note(job: dict) -> str:
    if job.get("read_median_mb") is None or job.get("end_peak_mb") is None:
        return "read/end phases not seen"
    return (f"read median {job['read_median_mb']:.0f} MB, p90 {job['read_p90_mb']:.0f}; "
            f"end (from {job['end_at']:.0f} s) peak {job['end_peak_mb']:.0f} MB")


def buffer_bytes(argv: list[str]) -> dict:
    """Runs the job in this process with the FnApiRunner's in-memory buffers tallied: bytes appended to each buffer
    between fused stages (a Flatten's or a GroupByKey's input, a side input), by buffer id. Diagnostic only: it
    patches Beam internals (apache_beam.runners.portability.fn_api_runner.execution), checked on Beam 2.77."""
    from apache_beam.runners.portability.fn_api_runner import execution

    totals: dict[str, list[int]] = {}
    get_buffer = execution.BundleContextManager.get_buffer

    def named_get_buffer(self, buffer_id, transform_id):
        buffer = get_buffer(self, buffer_id, transform_id)
        if buffer is None:
            buffer = self.execution_context.pcoll_buffers.get(buffer_id)
        if buffer is not None and not hasattr(buffer, "_bench_id"):
            buffer._bench_id = buffer_id.decode("utf-8", "replace")
        return buffer

    def counting(append):
        def counted(self, data):
            tally = totals.setdefault(getattr(self, "_bench_id", "?"), [0, 0])
            tally[0] += 1
            tally[1] += len(data)
            return append(self, data)
        return counted

    execution.BundleContextManager.get_buffer = named_get_buffer
    execution.ListBuffer.append = counting(execution.ListBuffer.append)
    execution.GroupingBuffer.append = counting(execution.GroupingBuffer.append)
    from pipelines.news_pipeline import main as job_main

    if job_main(argv) != 0:
        raise SystemExit("job failed")
    return {name: {"appends": n, "mb": b / 2**20} for name, (n, b) in sorted(totals.items(), key=lambda x: -x[1][1])}


def _sizes(text: str, gb: float) -> list[float]:
    return sorted({s for s in (float(x) for x in text.split(",")) if s <= gb} | {gb})


def _progress(size: float, reader: dict, job: dict) -> str:
    rep = job["report"]
    line = (f"{size:g} GiB: reader {reader['pages']:,} pages in {reader['wall']:.0f} s (CPU {reader['cpu']:.0f} s), "
            f"peak RSS {reader['peak_rss_mb']:.0f} MB ({reader['base_rss_mb']:.0f} after imports)")
    if job is not _NO_JOB:
        line += (f"; job {job['wall']:.0f} s (CPU {job['cpu']:.0f} s), peak RSS {job['peak_rss_mb']:.0f} MB "
                 f"at {job['peak_at']:.0f} s (main process high-water {job['main_hwm_mb']:.0f}); "
                 f"read {rep.get('records_read')}, written {rep.get('articles_written')}, "
                 f"rejected {rep.get('rejected')}; {_phases_note(job)}")
    return line


def same_rows(out_a: str, out_b: str) -> dict:
    """Per published table of two job outputs: rows in each and rows only in one (multiset difference, duckdb);
    file names and counts may differ."""
    import duckdb

    con, result = duckdb.connect(), {}
    for table in ("articles", "duplicates", "rejected", "index"):
        files = [sorted(glob.glob(os.path.join(out, table, "**", "*.parquet"), recursive=True)) for out in (out_a, out_b)]
        if not any(files):
            continue
        a, b = (f"(SELECT * EXCLUDE (filename) FROM read_parquet({f!r}, hive_partitioning=true, filename=true))"
                for f in files)
        result[table] = {
            "rows": [con.execute(f"SELECT count(*) FROM {q}").fetchone()[0] if f else 0 for q, f in ((a, files[0]), (b, files[1]))],
            "only_in_one": (con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchone()[0]
                            + con.execute(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})").fetchone()[0])
            if all(files) else None,
        }
    return result


def _rows_note(same: dict) -> str:
    if all(t["only_in_one"] == 0 and t["rows"][0] == t["rows"][1] for t in same.values()):
        return "identical rows (" + ", ".join(f"{name} {t['rows'][0]:,}" for name, t in same.items()) + ")"
    return "ROWS DIFFER: " + json.dumps(same)


def print_table(rows: list, near_dup: bool) -> None:
    mode = "near-dup on" if near_dup else "exact dedup only"
    print(f"\nWARC input, gzip per record. reader = pipelines.core.warc.iter_warc_records alone; job = the batch job, "
          f"DirectRunner, {mode}. RSS = peak resident MB (job: whole process tree).")
    print(f"{'GiB':>5}{'file MB':>9}{'records':>9}{'pages':>8}{'reader RSS':>11}{'rd rec/s':>9}{'rd MB/s':>8}"
          f"{'rd CPU s':>9}{'rejected':>9}{'job RSS':>9}{'job s':>7}{'job CPU s':>10}{'pages/s':>8}{'pages/CPU-s':>12}")
    for size, mb, counts, reader, job, *_ in rows:
        print(f"{size:>5g}{mb:>9,.0f}{counts.records:>9,}{counts.pages:>8,}{reader['peak_rss_mb']:>11,.0f}"
              f"{counts.records / reader['wall']:>9,.0f}{mb / reader['wall']:>8,.1f}{reader['cpu']:>9,.1f}"
              f"{job['report'].get('rejected', 0):>9,}{job['peak_rss_mb']:>9,.0f}{job['wall']:>7,.0f}"
              f"{job['cpu']:>10,.0f}"
              f"{counts.pages / job['wall']:>8,.1f}{counts.pages / job['cpu']:>12,.1f}")
    if len(rows) > 1:
        (s0, _, _, r0, j0), (s1, _, _, r1, j1) = rows[0][:5], rows[-1][:5]
        reader_growth = (r1["peak_rss_mb"] - r0["peak_rss_mb"]) / (s1 - s0)
        job_growth = (j1["peak_rss_mb"] - j0["peak_rss_mb"]) / (s1 - s0)
        print(f"\nRSS growth per GiB of input, {s0:g} -> {s1:g} GiB: reader {reader_growth:+,.0f} MB, "
              f"job {job_growth:+,.0f} MB")


def print_baseline(rows: list, baseline: str, job_args: str, baseline_args: str) -> None:
    print(f"\nthis tree{' (' + job_args + ')' if job_args else ''} vs the baseline {baseline}"
          f"{' (' + baseline_args + ')' if baseline_args else ''}, run at the same time on the same file:")
    print(f"{'GiB':>5}{'pages':>8}{'RSS':>7}{'base RSS':>9}{'read med':>9}{'base':>6}{'read p90':>9}{'base':>6}"
          f"{'end peak':>9}{'base':>6}{'CPU s':>7}{'base CPU':>9}{'pages/s':>8}{'base p/s':>9}"
          f"{'p/CPU-s':>8}{'base p/CPU-s':>13}  output")
    mb = lambda v: f"{v:,.0f}" if v is not None else "-"
    for size, _, counts, _, job, base, same in rows:
        print(f"{size:>5g}{counts.pages:>8,}{job['peak_rss_mb']:>7,.0f}{base['peak_rss_mb']:>9,.0f}"
              f"{mb(job.get('read_median_mb')):>9}{mb(base.get('read_median_mb')):>6}"
              f"{mb(job.get('read_p90_mb')):>9}{mb(base.get('read_p90_mb')):>6}"
              f"{mb(job.get('end_peak_mb')):>9}{mb(base.get('end_peak_mb')):>6}{job['cpu']:>7,.0f}"
              f"{base['cpu']:>9,.0f}{counts.pages / job['wall']:>8,.1f}{counts.pages / base['wall']:>9,.1f}"
              f"{counts.pages / job['cpu']:>8,.1f}{counts.pages / base['cpu']:>13,.1f}  {_rows_note(same)}")
    if len(rows) > 1:
        (s0, j0, b0), (s1, j1, b1) = (rows[0][0], rows[0][4], rows[0][5]), (rows[-1][0], rows[-1][4], rows[-1][5])
        print(f"job RSS growth per GiB, {s0:g} -> {s1:g} GiB: this tree "
              f"{(j1['peak_rss_mb'] - j0['peak_rss_mb']) / (s1 - s0):+,.0f} MB, baseline "
              f"{(b1['peak_rss_mb'] - b0['peak_rss_mb']) / (s1 - s0):+,.0f} MB")


def print_buffers(size: float, mb: float, tally: dict) -> None:
    print(f"\nthe runner's in-memory buffers between fused stages, job on the {size:g} GiB file ({mb:,.0f} MB); "
          f"each is held until the stage reading it has run:")
    for name, t in list(tally.items())[:8]:
        print(f"  {t['mb']:>9,.1f} MB {t['mb'] / mb * 1024:>7,.0f} MB per GiB of WARC  {name}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, default=2.0, help="size of the largest WARC, GiB (default %(default)s)")
    ap.add_argument("--sizes", default="0.25,0.5,1,2", help="sizes to measure, GiB, up to --gb")
    ap.add_argument("--pages", default=PAGES, help="directory of */source.html pages")
    ap.add_argument("--near-dup", action="store_true", help="run the job with the near-dup stage (default: exact only)")
    ap.add_argument("--max-job-minutes", type=float, default=15.0,
                    help="skip larger sizes once a job took longer than this (default %(default)s)")
    ap.add_argument("--tmp", default=None, help="parent of the temp dir (default: the system's)")
    ap.add_argument("--warc", metavar="PATH", default=None,
                    help="keep the built WARC here (with PATH.json: its counts and cut points) and reuse it when a "
                         "later run asks for the same --gb and sizes, instead of building one in the temp dir")
    ap.add_argument("--timeline", action="store_true", help="print each job's RSS timeline")
    ap.add_argument("--skip-job", action="store_true", help="measure the reader only")
    ap.add_argument("--buffers", action="store_true",
                    help="also run the job once at the smallest size with the runner's in-memory buffers tallied")
    ap.add_argument("--baseline", metavar="DIR", help="a checkout of another commit: its job runs beside this tree's")
    ap.add_argument("--job-args", default="", help="extra job flags for this tree, e.g. '--direct_num_workers 2'")
    ap.add_argument("--baseline-job-args", default="", help="extra job flags for the baseline's job")
    ap.add_argument("--read-only", metavar="WARC", help=argparse.SUPPRESS)  # the reader's own subprocess
    ap.add_argument("--buffers-of", nargs=2, metavar=("WARC", "OUT"), help=argparse.SUPPRESS)  # buffer_bytes' own
    args = ap.parse_args(argv)
    if args.read_only:
        print(json.dumps(read_all(args.read_only)))
        return
    if args.buffers_of:
        print(json.dumps(buffer_bytes(_job_args(*args.buffers_of, args.near_dup))))
        return
    if not os.path.isdir(args.pages):
        raise SystemExit(f"{args.pages} is not here: this bench reads real pages from ../shared/data")
    sizes, gib = _sizes(args.sizes, args.gb), 2**30
    tmp = tempfile.mkdtemp(prefix="bench_warc-", dir=args.tmp)
    try:
        t0 = time.perf_counter()
        marks = tuple(int(s * gib) for s in sizes if s < args.gb)
        full = args.warc or os.path.join(tmp, "full.warc.gz")
        kept = _kept_warc(full, args.gb, marks) if args.warc else None
        if kept:
            total, cuts = kept
            print(f"reusing {full}: {total.records:,} records, {total.pages:,} pages", flush=True)
        else:
            templates = load_templates(args.pages)
            total, cuts = write_warc(full, int(args.gb * gib), templates, vocabulary(templates), marks=marks)
            if args.warc:
                _keep_warc(full, args.gb, total, cuts)
            print(f"built {full}: {os.path.getsize(full) / gib:.2f} GiB, {total.records:,} records, "
                  f"{total.pages:,} pages from {len(templates)} real pages in {time.perf_counter() - t0:.0f} s",
                  flush=True)
        rows, buffers = [], None
        for size in sizes:
            path, counts = full, total
            if size < args.gb:
                nbytes, counts = cuts[int(size * gib)]
                path = os.path.join(tmp, f"warc-{size}.warc.gz")
                copy_prefix(full, path, nbytes)
            mb = os.path.getsize(path) / 2**20
            reader = measure_reader(path)
            assert reader["pages"] == counts.pages, (reader["pages"], counts.pages)
            extra, out = tuple(shlex.split(args.job_args)), os.path.join(tmp, f"out-{size}")
            if args.skip_job:
                job = _NO_JOB
            elif args.baseline:
                base_out, runs = os.path.join(tmp, f"out-base-{size}"), {}
                threads = [threading.Thread(target=lambda k, kw: runs.__setitem__(k, measure_job(**kw)), args=(k, kw))
                           for k, kw in (("job", dict(path=path, out_dir=out, near_dup=args.near_dup, extra=extra)),
                                         ("base", dict(path=path, out_dir=base_out, near_dup=args.near_dup,
                                                       repo=os.path.abspath(args.baseline),
                                                       extra=tuple(shlex.split(args.baseline_job_args)))))]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                if set(runs) != {"job", "base"}:
                    raise SystemExit("a job failed (see above)")
                job, same = runs["job"], same_rows(out, base_out)
                print(f"{size:g} GiB baseline: job {runs['base']['wall']:.0f} s (CPU {runs['base']['cpu']:.0f} s), "
                      f"peak RSS {runs['base']['peak_rss_mb']:.0f} MB at {runs['base']['peak_at']:.0f} s; "
                      f"{_phases_note(runs['base'])}; {_rows_note(same)}", flush=True)
                if args.timeline:
                    print("  baseline RSS MB timeline (s, MB):",
                          runs["base"]["timeline"][::max(1, len(runs["base"]["timeline"]) // 60)])
            else:
                job = measure_job(path, out, args.near_dup, extra=extra)
            if args.buffers and buffers is None:
                buffers = (size, mb, measure_buffers(path, os.path.join(tmp, "out-buffers"), args.near_dup))
            for name in (f"out-{size}", f"out-base-{size}", "out-buffers"):
                shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
            rows.append((size, mb, counts, reader, job) + ((runs["base"], same) if args.baseline else ()))
            print(_progress(size, reader, job), flush=True)
            if args.timeline and job["timeline"]:
                print("  RSS MB timeline (s, MB):", job["timeline"][::max(1, len(job["timeline"]) // 60)])
            if path != full:
                os.remove(path)
            if job["wall"] > args.max_job_minutes * 60 and size != sizes[-1]:
                print(f"stopping: the {size:g} GiB job took {job['wall'] / 60:.1f} min (> {args.max_job_minutes:g})")
                break
        print_table(rows, args.near_dup)
        if args.baseline:
            print_baseline(rows, args.baseline, args.job_args, args.baseline_job_args)
        if buffers:
            print_buffers(*buffers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
