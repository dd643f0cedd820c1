"""Per-pane run reports of the streaming job (no Beam): counted from the tables a pane wrote, in the shape of the
batch report.json, one skip report per WARC file (records that are not pages), and their sum over a whole run."""
from __future__ import annotations

import hashlib
import json
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipelines import PIPELINE_VERSION
from pipelines.core.report import NOT_SKIPS, check_report
from pipelines.core import stream_state, stream_stop
from pipelines.core.stream_state import file_of_ref, filesystem
from pipelines.core.tables import UNTAGGED, rejected_table

REPORTS = "reports"
SKIPPED = "skipped"
REJECTED = "rejected"
FILES = "files"  # file events: a landed file not read now (gone, unsettled) or read as a new version (rewritten)
# The counts a run total adds up (the rest of a pane report describes that pane only).
_SUMMED = ("records_read", "articles_written", "duplicates", "rejected", "index_rows", "skipped",
           "truncated_payload_kept")
_SUMMED_MAPS = ("rejected_by_reason", "duplicates_by_rule", "rows_per_topic_partition", "articles_by_primary_topic",
                "skipped_by_reason", "files_by_event")


def pane_report(window: tuple[int, int] | None, shard: int | None, dt: str, buffered: list[dict], topic_parts: dict[str, pa.Table],
                duplicates: pa.Table | None, rejected: pa.Table | None, index: pa.Table | None, versions: dict) -> dict:
    """What one pane firing wrote. records_read is what entered the pane; the rest is counted from the tables
    handed to the writer, so `balanced` checks the pane's split, not a counter. A rejected file (written per
    bundle, outside the windows) has window None."""
    per_topic, primary, ids = Counter(), Counter(), Counter()
    for topic, part in topic_parts.items():
        per_topic[topic] = part.num_rows
        for aid, prim in zip(part.column("article_id").to_pylist(), part.column("primary_topic").to_pylist()):
            if (prim or UNTAGGED) == topic:
                primary[topic] += 1
                ids[aid] += 1
    rules = Counter(duplicates.column("rule").to_pylist()) if duplicates is not None else Counter()
    reasons = Counter()
    if rejected is not None:
        reasons.update(f"{s}:{r}" for s, r in zip(rejected.column("stage").to_pylist(), rejected.column("reason").to_pylist()))
    inputs = Counter(r.get("_file") or file_of_ref(r["input_ref"]) for r in buffered)
    articles, dups, rejects = sum(primary.values()), sum(rules.values()), sum(reasons.values())
    return {
        "dt": dt,
        **versions,
        "window": {"start": window[0], "end": window[1]} if window else None,
        "shard": shard,
        "inputs": [{"path": p, "records": n} for p, n in sorted(inputs.items())],
        "records_read": len(buffered),
        "articles_written": articles,
        "duplicates": dups,
        "rejected": rejects,
        "balanced": len(buffered) == articles + dups + rejects,
        "articles_once_in_primary_partition": all(v == 1 for v in ids.values()),
        "index_rows": index.num_rows if index is not None else 0,
        "rejected_by_reason": dict(sorted(reasons.items())),
        "duplicates_by_rule": dict(sorted(rules.items())),
        "rows_per_topic_partition": dict(sorted(per_topic.items())),
        "articles_by_primary_topic": dict(sorted(primary.items())),
        "skipped": 0,
        "skipped_by_reason": {},
        "truncated_payload_kept": 0,
        "files": {"articles": len(topic_parts), "duplicates": int(duplicates is not None),
                  "rejected": int(rejected is not None)},
    }


def skip_report(dt: str, path: str, skipped: dict[str, int]) -> dict:
    """A WARC file's records that are not pages (requests, non-HTML, non-200), by reason: counted apart from
    records_read, as in the batch report; the file's pages are in the pane and rejected reports. The reader's
    tallies of records (report.NOT_SKIPS: truncated_payload_kept) get their own keys, as in the batch report."""
    by_reason = {k: n for k, n in sorted(skipped.items()) if k not in NOT_SKIPS}
    report = pane_report(None, None, dt, [], {}, None, None, None, {"pipeline_version": PIPELINE_VERSION})
    report.update(inputs=[{"path": path, "records": 0, "skipped": by_reason}],
                  skipped=sum(by_reason.values()), skipped_by_reason=by_reason,
                  **{k: skipped.get(k, 0) for k in NOT_SKIPS})
    return report


def _skip_name(path: str) -> str:
    return f"part-skipped-{hashlib.sha1(path.encode()).hexdigest()[:20]}"


def write_skip_report(output: str, dt: str, path: str, skipped: dict[str, int], replace: bool = False) -> None:
    """reports/dt=<dt>/skipped/part-skipped-<path hash>.json, one per file, counted over the whole file. `replace`
    (a file read again: a restart, a regrown file) first removes the path's reports under any date, so a record is
    never counted twice."""
    if replace:
        remove_skip_reports(output, path)
    if skipped:
        write_report(output, f"{REPORTS}/dt={dt}/{SKIPPED}/{_skip_name(path)}.json", skip_report(dt, path, skipped))


def write_file_event(output: str, dt: str, path: str, event: str) -> None:
    """reports/dt=<dt>/files/part-file-<path hash>-<event>.json: a landed file that this run did not read now
    (`gone`, `unsettled`, `changing`) or read as a new version (`rewritten`). Records are counted where they are
    written, so the sums stay exact; this report counts the file, once per path, event and date."""
    report = pane_report(None, None, dt, [], {}, None, None, None, {"pipeline_version": PIPELINE_VERSION})
    report.update(inputs=[{"path": path, "records": 0, "skipped": {}}], files_by_event={event: 1})
    write_report(output, f"{REPORTS}/dt={dt}/{FILES}/part-file-{_skip_name(path)[13:]}-{event}.json", report)


def _dates(fs: pafs.FileSystem, folder: str) -> list[str]:
    """The dt= values of a folder's date partitions (none without the folder)."""
    if fs.get_file_info(folder).type != pafs.FileType.Directory:
        return []
    return sorted(i.base_name.removeprefix("dt=") for i in fs.get_file_info(pafs.FileSelector(folder))
                  if i.type == pafs.FileType.Directory and i.base_name.startswith("dt="))


def _delete(fs: pafs.FileSystem, path: str) -> bool:
    """Deletes a file; one that is gone already (another worker, an earlier attempt) is not an error."""
    try:
        fs.delete_file(path)
    except FileNotFoundError:
        return False
    return True


def remove_skip_reports(output: str, path: str) -> None:
    fs, root = filesystem(output)
    name = f"{_skip_name(path)}.json"
    for dt in _dates(fs, f"{root}/{REPORTS}"):
        _delete(fs, f"{root}/{REPORTS}/dt={dt}/{SKIPPED}/{name}")


def marker_name(ref: str) -> str:
    """The file name (no extension) of a '#cut' marker's own rejected file and report: the marker alone in it,
    so retracting it removes two files by name and rewrites nothing another file's rows share."""
    return f"part-cut-{hashlib.sha1(ref.encode()).hexdigest()[:24]}"


def write_marker(output: str, dt: str, row: dict, versions: dict) -> None:
    """Writes a '#cut' marker's rejected row in its own file under dt, then its report. A copy under another date
    (the same marker sent again by a later read) is removed first, so it is counted once. A crash between the
    file and its report leaves a row without a report: the file's next read finds it (it is not marked done) and
    either sends it again, when the read still ends there (unreported_markers), or retracts it."""
    name = marker_name(row["input_ref"])
    fs, root = filesystem(output)
    for other in _marker_dates(fs, root):
        if other != dt:
            _remove_pair(fs, root, other, name)
    table = rejected_table([row])
    report = pane_report(None, None, dt, [row], {}, None, table, None, versions)
    with stream_stop.critical():  # a stop signal lands before or after the pair, never between
        stream_state.write_parquet(output, f"{REJECTED}/dt={dt}/{name}.parquet", table)
        write_report(output, report_path(dt, None, name), report)


def unreported_markers(output: str, refs: set[str]) -> set[str]:
    """The markers among refs whose own rejected file is on disk without its report (a crash between the two):
    a read that ends at one sends it again rather than count it as written."""
    if not refs:
        return set()
    fs, root = filesystem(output)
    dates, found = _dates(fs, f"{root}/{REJECTED}"), set()
    for ref in refs:
        name = marker_name(ref)
        for dt in dates:
            parquet, report = fs.get_file_info([f"{root}/{REJECTED}/dt={dt}/{name}.parquet",
                                                f"{root}/{report_path(dt, None, name)}"])
            if parquet.type == pafs.FileType.File and report.type != pafs.FileType.File:
                found.add(ref)
    return found


def retract_rejections(output: str, refs: set[str]) -> int:
    """Removes the rejected rows with these input_refs (stale markers of a file that has grown since), and their
    counts from the reports; returns how many rows went. Idempotent: a row gone already counts 0.

    A marker has a rejected file of its own (marker_name, under its landing date): its report is removed, then
    the file. A crash in between leaves the row, which the file's next read (it is not marked done before the
    retraction ends) finds and retracts again; the other order would leave a report counting a row no scan can
    find. Markers written before they had files of their own are looked for in the shared files (_retract_shared)."""
    if not refs:
        return 0
    fs, root = filesystem(output)
    dates = _marker_dates(fs, root)
    removed, left = 0, set()
    for ref in sorted(refs):
        found = sum(_remove_pair(fs, root, dt, marker_name(ref)) for dt in dates)
        removed += found
        if not found:
            left.add(ref)
    return removed + (_retract_shared(output, left) if left else 0)


def _marker_dates(fs: pafs.FileSystem, root: str) -> list[str]:
    return sorted(set(_dates(fs, f"{root}/{REJECTED}")) | set(_dates(fs, f"{root}/{REPORTS}")))


def _remove_pair(fs: pafs.FileSystem, root: str, dt: str, name: str) -> int:
    """Removes a marker's report, then its rejected file, under one date; returns the rows removed."""
    path = f"{root}/{REJECTED}/dt={dt}/{name}.parquet"
    try:
        with fs.open_input_file(path) as f:
            rows = pq.ParquetFile(f).metadata.num_rows
    except FileNotFoundError:
        rows = 0
    _delete(fs, f"{root}/{report_path(dt, None, name)}")
    return rows if _delete(fs, path) else 0


def _retract_shared(output: str, refs: set[str]) -> int:
    """The markers among the rows of shared rejected files (outputs written before markers had files of their
    own): each file holding one is rewritten without it, its report first (derived from the rows kept), so a
    crash in between leaves the row for the next read to retract. A file removed under the scan or before it is
    read was handled by someone else. Two workers rewriting one shared file at once can still undo each other."""
    fs, root = filesystem(output)
    found = stream_state.scan(fs, f"{root}/{REJECTED}", ["__filename"],
                              filt=ds.field("input_ref").isin(sorted(refs)))
    if found is None:
        return 0
    stale, removed = pa.array(sorted(refs)), 0
    for path in sorted(set(found.column("__filename").to_pylist())):
        try:
            with fs.open_input_file(path) as f:
                table = pq.ParquetFile(f).read()
        except FileNotFoundError:
            continue
        kept = table.filter(pc.invert(pc.is_in(table.column("input_ref"), value_set=stale)))
        if kept.num_rows == table.num_rows:
            continue
        removed += table.num_rows - kept.num_rows
        dt = path.rsplit("/", 2)[-2].removeprefix("dt=")
        name = path.rsplit("/", 1)[-1].removesuffix(".parquet")
        report = f"{root}/{report_path(dt, None, name)}"
        if kept.num_rows == 0:
            _delete(fs, report)
            _delete(fs, path)
            continue
        try:
            with fs.open_input_stream(report) as f:
                old = json.loads(f.read())
        except FileNotFoundError:
            old = None
        if old is not None:
            rows = kept.select(["input_ref"]).to_pylist()
            write_report(output, report_path(dt, None, name), {**old, **pane_report(None, None, dt, rows, {}, None, kept, None, {})})
        stream_state.write_parquet(output, f"{REJECTED}/dt={dt}/{name}.parquet", kept)
    return removed


def check_pane(report: dict) -> list[str]:
    """The batch checks (sum, index rows, primary partition), applied to one pane."""
    return check_report(report)


def report_path(dt: str, window_start: int | None, name: str) -> str:
    """reports/dt=<dt>/window=<start>/<pane file name>.json: one file per firing, next to the batch report.json;
    reports/dt=<dt>/rejected/<file name>.json for a rejected file."""
    folder = REJECTED if window_start is None else f"window={window_start}"
    return f"{REPORTS}/dt={dt}/{folder}/{name}.json"


def write_report(output: str, relative: str, report: dict) -> None:
    """Temp name then move (works on object stores), so a reader never sees half a report."""
    data = (json.dumps(report, indent=2, sort_keys=True) + "\n").encode()
    stream_state.write_atomic(output, relative, lambda f: f.write(data))


def read_reports(output: str, dt: str | None = None) -> list[dict]:
    """Every pane, rejected and skip report under output/reports (one date or all)."""
    fs, root = filesystem(output)
    folder = f"{root}/{REPORTS}" + (f"/dt={dt}" if dt else "")
    if fs.get_file_info(folder).type != pafs.FileType.Directory:
        return []
    reports = []
    for info in fs.get_file_info(pafs.FileSelector(folder, recursive=True)):
        if info.type == pafs.FileType.File and info.base_name.startswith("part-") and info.extension == "json":
            try:
                with fs.open_input_stream(info.path) as f:
                    reports.append(json.loads(f.read()))
            except FileNotFoundError:  # retracted since the listing: it no longer counts
                continue
    return reports


def total(reports: list[dict]) -> dict:
    """The sum of pane, rejected and skip reports: counts and per-reason/rule/topic maps added up, balanced if every
    pane is. Per input file: records read (articles + duplicates + rejected) and skipped WARC records by reason;
    together they are every record of the file."""
    out = {key: sum(r.get(key, 0) for r in reports) for key in _SUMMED}
    for key in _SUMMED_MAPS:
        summed = Counter()
        for r in reports:
            summed.update(r.get(key, {}))
        out[key] = dict(sorted(summed.items()))
    records, skipped = Counter(), {}
    for r in reports:
        for i in r["inputs"]:
            records[i["path"]] += i["records"]
            skipped.setdefault(i["path"], Counter()).update(i.get("skipped", {}))
    out["inputs"] = [{"path": p, "records": n, "skipped": dict(sorted(skipped[p].items()))}
                     for p, n in sorted(records.items())]
    out["panes"] = len(reports)
    out["windows"] = len({(r["dt"], r["window"]["start"]) for r in reports if r["window"]})
    out["balanced"] = all(r["balanced"] for r in reports) and (
        out["records_read"] == out["articles_written"] + out["duplicates"] + out["rejected"])
    out["articles_once_in_primary_partition"] = all(r["articles_once_in_primary_partition"] for r in reports)
    return out
