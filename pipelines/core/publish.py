"""Staging and publication: a run writes under _staging/ and replaces a date's partitions only at the end. Publishing
is a journaled series of moves under a per-date lock: a crash is finished (or undone) by the next publish or reader,
and a staging built from a publication that has since been replaced is refused. See docs/orchestration.md."""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid

TABLES = ("articles", "duplicates", "rejected", "index", "reports")
GENERATION = "_GENERATION"  # in every published partition: which publish put it there
BASE = "_BASE_GENERATION"  # in a staging built from published data: the generation it read
ROLLED_BACK = "_ROLLED_BACK"  # in a staging whose publish was undone: it is incomplete and must be rebuilt
CONTROL = "_publish"  # <output>/_publish/dt=<d>.json is the journal of a publish in progress; .lock its lock
LOCK_TIMEOUT_S = 600.0  # a publish holds the lock for milliseconds, a warehouse load for the load


class PublicationConflict(RuntimeError):
    """The staging cannot be published as it is: the date moved on since it was built, or it was half consumed."""


class DateLocked(RuntimeError):
    """Another process held the date's lock for longer than the timeout."""


class NothingStaged(FileNotFoundError):
    """The staging dir to publish does not exist."""


class MixedPublication(RuntimeError):
    """The date's tables carry different generations and no journal explains it (edited by hand?)."""


class LocalFiles:
    """The local fast path: a partition moves with one atomic rename; small files are replaced atomically."""

    atomic_moves = True
    join = staticmethod(os.path.join)

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def read(self, path: str) -> str | None:
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def write(self, path: str, text: str) -> None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{uuid.uuid4().hex[:8]}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)

    def move_tree(self, src: str, dst: str, markers_last: bool = True) -> None:
        """Moves src to dst in one rename; nothing to do when src is gone (an earlier try moved it)."""
        if os.path.exists(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            os.rename(src, dst)

    def delete(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)

    def delete_tree(self, path: str, stop: str | None = None) -> None:
        """Removes path, then its parents up to stop while they are empty."""
        shutil.rmtree(path, ignore_errors=True)
        while stop and os.path.abspath(os.path.dirname(path)) != os.path.abspath(stop):
            path = os.path.dirname(path)
            try:
                os.rmdir(path)
            except OSError:
                return

    def lock_path(self, output: str, dt: str) -> str:
        return os.path.join(output, CONTROL, f"dt={dt}.lock")


def store_for(path: str):
    """LocalFiles for a local path; Beam's FileSystems (gs://, s3://, ...) for a URL."""
    if "://" in path:
        from pipelines.orchestration.beam_files import BeamFiles

        return BeamFiles()
    return LocalFiles()


def new_staging_dir(output: str, dt: str) -> str:
    return os.path.join(output, "_staging", f"dt={dt}", uuid.uuid4().hex)


@contextlib.contextmanager
def date_lock(output: str, dt: str, store=None, timeout: float = LOCK_TIMEOUT_S):
    """Exclusive per-date lock (flock: the kernel releases it when the holder dies, so a crash leaves no stale lock).
    For a URL output the lock file is local, so it serialises the publishers of one machine only."""
    path = (store or store_for(output)).lock_path(output, dt)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DateLocked(f"dt={dt} under {output} stayed locked for {timeout:.0f} s ({path})") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def settled(output: str, dt: str, store=None, timeout: float = LOCK_TIMEOUT_S):
    """Holds dt's lock, with any half-done publish of dt finished or undone first; yields the published generation.
    Readers that must see one whole publication (a warehouse load, a re-tag's base) read inside it."""
    store = store or store_for(output)
    with date_lock(output, dt, store, timeout):
        _recover(store, output, dt)
        yield published_generation(output, dt, store)


def recover(output: str, dt: str, store=None) -> str | None:
    """Finishes (or undoes) a publish of dt that died half way; returns the published generation."""
    with settled(output, dt, store) as generation:
        return generation


def published_generation(output: str, dt: str, store=None) -> str | None:
    """The generation every table of dt carries (None: published before generations, or never)."""
    store = store or store_for(output)
    found = {t: _generation(store, store.join(output, t, f"dt={dt}")) for t in TABLES}
    if len(set(found.values())) > 1:
        raise MixedPublication(f"dt={dt} under {output} mixes publications: {found}")
    return found[TABLES[0]]


def published_record(output: str, dt: str, store=None) -> dict | None:
    """The _GENERATION record of dt's articles: generation, source (the staging dir, None after an undo); None for a
    date published before generations, or never."""
    store = store or store_for(output)
    record = store.read(store.join(output, "articles", f"dt={dt}", GENERATION))
    return json.loads(record) if record else None


def record_base(staging: str, generation: str | None, store=None) -> None:
    """Marks staging as built from dt's publication `generation`: publish() refuses it once dt is republished."""
    store = store or store_for(staging)
    store.write(store.join(staging, BASE), json.dumps({"generation": generation}))


def base_generation(output: str, dt: str, store=None) -> str | None:
    """dt's generation, read after finishing any half-done publish; take it before reading the published data."""
    return recover(output, dt, store)


def publish(staging: str, output: str, dt: str, store=None, prepare=None) -> str:
    """Swaps each table's dt partition for the staged one and returns the new generation. Under dt's lock: a publish
    that died half way is finished first; a staging that records a base generation is refused (PublicationConflict)
    unless dt still has it; then prepare(staging), if given, adds its files (the _SUCCESS manifest) before anything
    moves. Safe to retry: a staging an earlier try moved in (wholly or in part) is not moved twice."""
    store = store or store_for(output)
    with date_lock(output, dt, store):
        _recover(store, output, dt)
        # A staging is removed before its journal, so a staging that is gone was published if dt says so.
        if not store.exists(staging) and (published_record(output, dt, store) or {}).get("source") == staging:
            return published_generation(output, dt, store)  # an earlier try of this very publish got through
        return _swap(store, staging, output, dt, prepare)


def _generation(store, partition: str) -> str | None:
    record = store.read(store.join(partition, GENERATION))
    return json.loads(record)["generation"] if record else None


def _journal_path(store, output: str, dt: str) -> str:
    return store.join(output, CONTROL, f"dt={dt}.json")


def _staged_tables(store, staging: str, dt: str) -> list[str]:
    return [t for t in TABLES if store.exists(store.join(staging, t, f"dt={dt}"))]


def _swap(store, staging: str, output: str, dt: str, prepare=None) -> str:
    if not store.exists(staging) or not _staged_tables(store, staging, dt):  # a run always stages its report
        raise NothingStaged(f"nothing staged for dt={dt} at {staging}")
    if store.exists(store.join(staging, ROLLED_BACK)):
        raise PublicationConflict(f"{staging} was half published and undone; rebuild it")
    base = store.read(store.join(staging, BASE))
    if base is not None:
        expected, current = json.loads(base)["generation"], published_generation(output, dt, store)
        if current != expected:
            raise PublicationConflict(
                f"dt={dt} was republished (generation {expected} -> {current}) since {staging} was built from it; "
                "rebuild the staging from what is published now (a retry of the task does)")
    if prepare is not None:
        prepare(staging)
    generation = uuid.uuid4().hex
    record = json.dumps({"generation": generation, "source": staging})
    for table in TABLES:  # also makes the partition of a table that staged nothing: "ran, had nothing"
        store.write(store.join(staging, table, f"dt={dt}", GENERATION), record)
    journal = {"dt": dt, "output": output, "staging": staging, "generation": generation, "state": "forward",
               "trash": store.join(output, "_trash", f"dt={dt}", generation), "done": 0,
               "old": [t for t in TABLES if store.exists(store.join(output, t, f"dt={dt}"))]}
    path = _journal_path(store, output, dt)
    store.write(path, json.dumps(journal))
    _forward(store, journal, path, 0)
    return generation


def _steps(store, journal: dict) -> list[tuple[str, str, str, str]]:
    """(kind, table, src, dst) moves of a publish: every old partition out (articles, with its _SUCCESS marker, first),
    then every new one in (articles last): a marker reader sees the old date, then no date, then the new date."""
    out, staging, trash, part = journal["output"], journal["staging"], journal["trash"], f"dt={journal['dt']}"
    return ([("old", t, store.join(out, t, part), store.join(trash, t)) for t in TABLES if t in journal["old"]]
            + [("new", t, store.join(staging, t, part), store.join(out, t, part)) for t in reversed(TABLES)])


def _progress(store, journal: dict) -> int:
    """How many steps are done. Where a move is atomic (LocalFiles) that is read off the files, not recorded: an old
    partition is out once its trash dir exists, a new one in once the date's partition carries the generation."""
    if not store.atomic_moves:
        return journal["done"]
    steps = _steps(store, journal)
    for i, (kind, _, _, dst) in enumerate(steps):
        if not (store.exists(dst) if kind == "old" else _generation(store, dst) == journal["generation"]):
            return i
    return len(steps)


def _forward(store, journal: dict, path: str, done: int) -> None:
    steps = _steps(store, journal)
    # Object by object, at most the step after `done` ran (in part) unrecorded, and moving what is left finishes it.
    for i in range(done, len(steps)):
        kind, _, src, dst = steps[i]
        store.move_tree(src, dst, markers_last=kind == "new")  # a marker leaves the output first, arrives last
        if not store.atomic_moves:
            journal["done"] = i + 1
            store.write(path, json.dumps(journal))
    if not _staged_tables(store, journal["staging"], journal["dt"]):  # else a rerun has staged anew there
        store.delete_tree(journal["staging"], stop=journal["output"])  # before the journal: see publish()
    store.delete(path)
    store.delete_tree(journal["trash"], stop=journal["output"])


def _backward(store, journal: dict, path: str, done: int) -> None:
    """Puts every old partition back and sets the new ones aside; the restored date gets a new generation, since a
    reader may have seen part of the undone one. Rare, so each undo is recorded whatever the store."""
    steps = _steps(store, journal)[:done + 1][::-1]
    for i in range(journal["undone"], len(steps)):
        kind, table, src, dst = steps[i]
        if kind == "old":
            store.move_tree(dst, src, markers_last=True)
        else:
            store.move_tree(dst, store.join(journal["trash"], "undone", table), markers_last=False)
        journal["undone"] = i + 1
        store.write(path, json.dumps(journal))
    record = json.dumps({"generation": journal["rollback_generation"], "source": None,
                         "undone": journal["generation"]})
    for table in journal["old"]:
        store.write(store.join(journal["output"], table, f"dt={journal['dt']}", GENERATION), record)
    staging, dt = journal["staging"], journal["dt"]
    if any(_generation(store, store.join(staging, t, f"dt={dt}")) == journal["generation"] for t in TABLES):
        store.write(store.join(staging, ROLLED_BACK), journal["generation"])  # its remnant; a fresh restage is fine
    store.delete(path)
    store.delete_tree(journal["trash"], stop=journal["output"])


def _can_finish(store, journal: dict, done: int) -> bool:
    """Every new partition not yet in place is still whole in staging (it carries the journal's generation)."""
    return all(journal["generation"] in (_generation(store, src), _generation(store, dst))
               for i, (kind, _, src, dst) in enumerate(_steps(store, journal)) if kind == "new" and i >= done)


def _recover(store, output: str, dt: str) -> dict | None:
    """Completes the journaled publish of dt, if any (caller holds the lock); returns its journal."""
    path = _journal_path(store, output, dt)
    raw = store.read(path)
    if raw is None:
        store.delete_tree(store.join(output, "_trash", f"dt={dt}"), stop=output)  # a cleanup that died
        return None
    journal = json.loads(raw)
    if journal["state"] == "forward":
        done = _progress(store, journal)
        if not _can_finish(store, journal, done):
            journal.update(state="backward", done=done, undone=0, rollback_generation=uuid.uuid4().hex)
            store.write(path, json.dumps(journal))
    if journal["state"] == "forward":
        _forward(store, journal, path, done)
    else:
        _backward(store, journal, path, journal["done"])
    return journal


def lock_dir_for(output: str) -> str:
    """Where the lock files of a URL output live (a local directory per output)."""
    return os.path.join(tempfile.gettempdir(), "newsflow-publish-locks",
                        hashlib.sha1(output.encode()).hexdigest()[:16])
