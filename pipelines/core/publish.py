"""Staging and publication: a run writes under its own _staging/ dir and replaces a date's partitions only at the
end. Publishing is a journaled series of moves under a per-date lock: a crash is finished (or undone) by the next
publish or reader, and a staging built from a publication that has since been replaced is refused. See
docs/orchestration.md."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid

TABLES = ("articles", "duplicates", "rejected", "index", "reports")
GENERATION = "_GENERATION"  # in every published partition: which publish put it there
BASE = "_BASE_GENERATION"  # in a staging built from published data: the generation it read
CONTROL = "_publish"  # <output>/_publish/dt=<d>.json is the journal of a publish in progress; .lock its lock
LOCK_TIMEOUT_S = 600.0  # a publish holds the lock for milliseconds, a warehouse load for the load
STALE_STAGING_S = 3 * 86400  # far beyond any job (NEWSFLOW_JOB_TIMEOUT_S): a staging this old was abandoned


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

    def delete_tree(self, path: str) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def stale_dirs(self, root: str, older_than: float) -> list[str]:
        """The dirs directly under root last changed before older_than (epoch seconds)."""
        try:
            return [e.path for e in os.scandir(root) if e.is_dir() and e.stat().st_mtime < older_than]
        except FileNotFoundError:
            return []

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
    A reader that must see one whole publication (the warehouse load) reads inside it; a re-tag or compaction only
    takes its base generation here and reads after, which publish() checks against (record_base)."""
    store = store or store_for(output)
    with date_lock(output, dt, store, timeout):
        _recover(store, output, dt)
        yield published_generation(output, dt, store)


def recover(output: str, dt: str, store=None) -> str | None:
    """Finishes (or undoes) a publish of dt that died half way; returns the published generation. A re-tag takes
    this as its base before it reads the published data."""
    with settled(output, dt, store) as generation:
        return generation


def published_generation(output: str, dt: str, store=None) -> str | None:
    """The generation every table of dt that has a partition carries (None: published before generations, or never).
    A missing partition is ignored: old publishes made none for a table that staged nothing."""
    store = store or store_for(output)
    parts = {t: store.join(output, t, f"dt={dt}") for t in TABLES}
    found = {t: _generation(store, p) for t, p in parts.items()}
    found = {t: g for t, g in found.items() if g is not None or store.exists(parts[t])}
    if len(set(found.values())) > 1:
        raise MixedPublication(f"dt={dt} under {output} mixes publications: {found}")
    return next(iter(found.values()), None)


def record_base(staging: str, generation: str | None, store=None) -> None:
    """Marks staging as built from dt's publication `generation`: publish() refuses it once dt is republished."""
    store = store or store_for(staging)
    store.write(store.join(staging, BASE), json.dumps({"generation": generation}))


def publish(staging: str, output: str, dt: str, store=None, prepare=None) -> str:
    """Swaps each table's dt partition for the staged one and returns the new generation. Under dt's lock: a publish
    that died half way is finished first; a staging that records a base generation is refused (PublicationConflict)
    unless dt still has it; then prepare(staging), if given, adds its files (the _SUCCESS manifest) before anything
    moves. Safe to retry: a staging an earlier try moved in (wholly or in part) is not moved twice. Each run stages
    at its own path, so a staging that is gone and named by dt's record was published by an earlier try. Stagings of
    dt older than STALE_STAGING_S are removed (failed or abandoned runs)."""
    store = store or store_for(output)
    with date_lock(output, dt, store):
        _recover(store, output, dt)
        if not store.exists(staging) and _record(store, store.join(output, "articles", f"dt={dt}")).get(
                "source") == staging:
            return published_generation(output, dt, store)  # an earlier try of this very publish got through
        try:
            generation = _swap(store, staging, output, dt, prepare)
        except Exception:
            with contextlib.suppress(Exception):
                _recover(store, output, dt)  # settle the date now rather than at the next lock taker
            raise
        for stale in store.stale_dirs(store.join(output, "_staging", f"dt={dt}"), time.time() - STALE_STAGING_S):
            store.delete_tree(stale)
        return generation


def _record(store, partition: str) -> dict:
    """A partition's _GENERATION record: generation, source (the staging dir, None after an undo); {} if none."""
    record = store.read(store.join(partition, GENERATION))
    return json.loads(record) if record else {}


def _generation(store, partition: str) -> str | None:
    return _record(store, partition).get("generation")


def _journal_path(store, output: str, dt: str) -> str:
    return store.join(output, CONTROL, f"dt={dt}.json")


def _staged_tables(store, staging: str, dt: str) -> list[str]:
    return [t for t in TABLES if store.exists(store.join(staging, t, f"dt={dt}"))]


def _swap(store, staging: str, output: str, dt: str, prepare=None) -> str:
    if not _staged_tables(store, staging, dt):  # a run always stages its report (none, too, when staging is gone)
        raise NothingStaged(f"nothing staged for dt={dt} at {staging}")
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
               "trash": store.join(_trash(store, output, dt), generation), "done": 0,
               "old": [t for t in TABLES if store.exists(store.join(output, t, f"dt={dt}"))]}
    path = _journal_path(store, output, dt)
    store.write(path, json.dumps(journal))
    if not _forward(store, journal, path, 0):
        raise PublicationConflict(f"part of {staging} vanished while it was published; the publish was undone")
    return generation


def _steps(store, journal: dict) -> list[tuple[str, str, str, str]]:
    """(kind, table, src, dst) moves of a publish: every old partition out (articles, with its _SUCCESS marker, first),
    then every new one in (articles last): a marker reader sees the old date, then no date, then the new date."""
    out, staging, trash, part = journal["output"], journal["staging"], journal["trash"], f"dt={journal['dt']}"
    return ([("old", t, store.join(out, t, part), store.join(trash, t)) for t in TABLES if t in journal["old"]]
            + [("new", t, store.join(staging, t, part), store.join(out, t, part)) for t in reversed(TABLES)])


def _forward(store, journal: dict, path: str, done: int) -> bool:
    """Finishes the moves; False when it had to undo them instead."""
    steps = _steps(store, journal)
    # At most the step after `done` ran (in part) unrecorded, and moving what is left of it finishes it.
    for i in range(done, len(steps)):
        kind, _, src, dst = steps[i]
        store.move_tree(src, dst, markers_last=kind == "new")  # a marker leaves the output first, arrives last
        journal["done"] = i + 1
        store.write(path, json.dumps(journal))
    # A staged partition can vanish after _can_finish (someone removed the staging): the old ones then go back.
    if not all(_generation(store, dst) == journal["generation"] for kind, _, _, dst in steps if kind == "new"):
        _turn_back(store, journal, path, len(steps) - 1)
        _backward(store, journal, path, journal["done"])
        return False
    _close(store, journal, path)
    return True


def _turn_back(store, journal: dict, path: str, done: int) -> None:
    """Journals that the publish is to be undone from step `done` back; the restored date gets a new generation."""
    journal.update(state="backward", done=done, undone=0, rollback_generation=uuid.uuid4().hex)
    store.write(path, json.dumps(journal))


def _close(store, journal: dict, path: str) -> None:
    """The end of a publish or of its undo: the staging remnant, then the journal (see publish()), then dt's trash."""
    _drop_remnant(store, journal)
    store.delete(path)
    store.delete_tree(_trash(store, journal["output"], journal["dt"]))


def _backward(store, journal: dict, path: str, done: int) -> None:
    """Puts every old partition back and sets the new ones aside; the restored date gets a new generation, since a
    reader may have seen part of the undone one. What is left of the staging is removed: it is incomplete."""
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
    _close(store, journal, path)


def _can_finish(store, journal: dict, done: int) -> bool:
    """Every new partition not yet in place is still whole in staging (it carries the journal's generation)."""
    return all(journal["generation"] in (_generation(store, src), _generation(store, dst))
               for i, (kind, _, src, dst) in enumerate(_steps(store, journal)) if kind == "new" and i >= done)


def _recover(store, output: str, dt: str) -> None:
    """Completes (or undoes) the journaled publish of dt, if any (caller holds the lock)."""
    path = _journal_path(store, output, dt)
    raw = store.read(path)
    if raw is None:
        store.delete_tree(_trash(store, output, dt))  # a cleanup that died
        return
    journal = json.loads(raw)
    if journal["state"] == "forward" and not _can_finish(store, journal, journal["done"]):
        _turn_back(store, journal, path, journal["done"])
    if journal["state"] == "forward":
        _forward(store, journal, path, journal["done"])
    else:
        _backward(store, journal, path, journal["done"])


def _drop_remnant(store, journal: dict) -> None:
    """Removes what is left of the journal's staging: every staged partition it still holds carries the journal's
    generation. A partition without it was staged anew there (a cleared task reruns its job at the same path)."""
    staging, dt = journal["staging"], journal["dt"]
    if all(_generation(store, store.join(staging, t, f"dt={dt}")) == journal["generation"]
           for t in _staged_tables(store, staging, dt)):
        store.delete_tree(staging)


def _trash(store, output: str, dt: str) -> str:
    """dt's own trash dir: only touched under dt's lock, so removing it never races another date."""
    return store.join(output, "_trash", f"dt={dt}")
