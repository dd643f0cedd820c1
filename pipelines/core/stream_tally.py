"""The ledger's per-file counts, kept on disk by each counting step of the streaming job (no Beam).

The reader, dedup and each writer count their own share of a file's records (stream_state.FileTally) and write it
under OUTPUT/_stream/tally/<run>/<path hash>/<step>.json; whichever step updates its share then reads every
step's share and marks the sizes the sum has reached done. No Flatten brings the counts together: on the
DirectRunner a Flatten in front of the counting step held it back until the watch ended (docs/streaming.md).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json

import pyarrow.fs as pafs

from pipelines.core.stream_state import DONE, LEDGER, FileTally, file_key, filesystem, write_atomic

TALLY = "_stream/tally"
READ_ATTEMPTS = 5  # a share read while another worker moves its new version into place is read again


def share_path(run: str, path: str, step: str) -> str:
    return f"{TALLY}/{run}/{hashlib.sha1(path.encode()).hexdigest()[:20]}/{step}.json"


def write_share(output: str, run: str, path: str, step: str, tally: FileTally) -> None:
    """One step's count of a path in this run, replacing its last one (written to a temp name, then moved)."""
    data = json.dumps(dict(dataclasses.asdict(tally), path=path)).encode()
    write_atomic(output, share_path(run, path, step), lambda f: f.write(data))


def read_share(fs: pafs.FileSystem, root: str, run: str, path: str, step: str) -> FileTally:
    """A step's count of a path; an empty one if the step has counted none of it yet."""
    name = f"{root}/{share_path(run, path, step)}"
    for attempt in range(READ_ATTEMPTS):
        try:
            with fs.open_input_stream(name) as f:
                entry = json.loads(f.read())
            break
        except FileNotFoundError:
            if attempt == READ_ATTEMPTS - 1 or fs.get_file_info(name).type == pafs.FileType.NotFound:
                return FileTally()
    return FileTally(entry["expected"], entry["written"], [tuple(p) for p in entry["pending"]])


def merged(shares: list[FileTally]) -> FileTally:
    """The path's whole count: expected records and their sizes come from the reader's share, written records
    from every share."""
    return FileTally(sum(s.expected for s in shares), sum(s.written for s in shares),
                     sorted(p for s in shares for p in s.pending))


def count_and_decide(output: str, run: str, path: str, step: str, share: FileTally,
                     steps: tuple[str, ...]) -> list[tuple[int, int]]:
    """Writes this step's share, then reads every step's: the sizes of the path whose records are all written.
    A share is written before the others are read, so of two steps counting at once the later reader sees both
    counts: the last record's count is never missed (a store with read-after-write consistency: local, GCS, S3).
    Each share only grows, so a share read stale undercounts and never marks a size early."""
    write_share(output, run, path, step, share)
    fs, root = filesystem(output)
    # FileTally.reached, not done(): the sizes are not forgotten, since any step may be the one that sees them
    return merged([share if s == step else read_share(fs, root, run, path, s) for s in steps]).reached()


def marked_done(output: str, path: str, size: int) -> bool:
    fs, root = filesystem(output)
    return fs.get_file_info(f"{root}/{LEDGER}/{file_key(path, size)}.{DONE}").type != pafs.FileType.NotFound


def clear(output: str) -> None:
    """Removes the counts of earlier runs (each run counts afresh, from its own reads); at the job's start."""
    fs, root = filesystem(output)
    if fs.get_file_info(f"{root}/{TALLY}").type == pafs.FileType.Directory:
        fs.delete_dir(f"{root}/{TALLY}")
