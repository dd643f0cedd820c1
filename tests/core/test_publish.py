"""publish(): one date's partitions swapped whole, stamped with one generation; a crash at any move is finished (or
undone) by the next publish or reader; two publishes of a date never interleave; a staging built from a
publication that was replaced since is refused."""
from __future__ import annotations

import json
import os
import threading

import pytest

from pipelines.core import publish as pub
from pipelines.core.publish import (
    GENERATION,
    TABLES,
    PublicationConflict,
    publish,
    published_generation,
    record_base,
    recover,
)

DT = "2026-11-24"


class Crash(BaseException):
    """A process dying: nothing may catch it."""


def make_partitions(root: str, label: str, skip: tuple[str, ...] = (), files: int = 3) -> None:
    """Each table's dt partition under root, holding files that say which run wrote them."""
    for table in TABLES:
        if table in skip:
            continue
        leaf = os.path.join(root, table, f"dt={DT}", "topic=world" if table == "articles" else "")
        os.makedirs(leaf, exist_ok=True)
        for i in range(files):
            with open(os.path.join(leaf, f"part-{i}.parquet"), "w") as f:
                f.write(f"{label} {table} {i}")


def labels(output: str) -> dict[str, set[str]]:
    """table -> the run labels its published partition holds (empty set: the partition is empty or missing)."""
    found = {}
    for table in TABLES:
        seen = set()
        for base, _, files in os.walk(os.path.join(output, table, f"dt={DT}")):
            for name in files:
                if name.endswith(".parquet"):
                    with open(os.path.join(base, name)) as f:
                        seen.add(f.read().split()[0])
        found[table] = seen
    return found


def generations(output: str) -> set:
    gens = set()
    for table in TABLES:
        path = os.path.join(output, table, f"dt={DT}", GENERATION)
        gens.add(json.load(open(path))["generation"] if os.path.exists(path) else None)
    return gens


@pytest.fixture
def scene(tmp_path):
    """(output, staging): 'old' published (generation-stamped), 'new' staged."""
    output = str(tmp_path / "out")
    first = os.path.join(output, "_staging", f"dt={DT}", "first")
    make_partitions(first, "old")
    publish(first, output, DT)
    staging = os.path.join(output, "_staging", f"dt={DT}", "airflow")
    make_partitions(staging, "new")
    return output, staging


def count_calls(monkeypatch, names=("rename", "replace"), crash_after: int | None = None) -> list:
    """Counts os.rename/os.replace calls (every move and every journal write); raises Crash at call crash_after."""
    calls = []
    for name in names:
        real = getattr(os, name)

        def wrapped(*args, _real=real, _name=name, **kwargs):
            if crash_after is not None and len(calls) == crash_after:
                raise Crash(f"died at call {len(calls)} ({_name})")
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, wrapped)
    return calls


def crash_when(monkeypatch, module, name: str, hits, message: str) -> None:
    """module.name(path, ...) raises Crash(message) for a path hits(path) is true of."""
    real = getattr(module, name)

    def dying(path, *args, **kwargs):
        if hits(path):
            raise Crash(message)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module, name, dying)


def test_publish_swaps_every_table_and_stamps_one_generation(tmp_path):
    output = str(tmp_path / "out")
    first = os.path.join(output, "_staging", f"dt={DT}", "a")
    make_partitions(first, "old")
    old_generation = publish(first, output, DT)
    second = os.path.join(output, "_staging", f"dt={DT}", "b")
    make_partitions(second, "new", skip=("rejected",))

    generation = publish(second, output, DT)

    assert labels(output) == {t: set() if t == "rejected" else {"new"} for t in TABLES}
    assert generations(output) == {generation} and generation != old_generation
    assert published_generation(output, DT) == generation
    # the table that staged nothing is published as an empty partition ("ran, had nothing"), not left out
    assert os.listdir(os.path.join(output, "rejected", f"dt={DT}")) == [GENERATION]
    assert sorted(os.listdir(output)) == sorted([*TABLES, pub.CONTROL, "_staging", "_trash"])  # no journal left
    assert os.listdir(os.path.join(output, "_staging", f"dt={DT}")) == os.listdir(os.path.join(output, "_trash")) == []
    assert os.listdir(os.path.join(output, pub.CONTROL)) == [f"dt={DT}.lock"]


def test_a_crash_at_any_move_or_journal_write_is_finished_by_the_next_reader_or_publish(scene, monkeypatch, tmp_path):
    import shutil

    output, staging = scene
    pristine = str(tmp_path / "pristine")
    shutil.copytree(output, pristine)
    calls = count_calls(monkeypatch)
    publish(staging, output, DT)
    monkeypatch.undo()
    steps = len(calls)
    assert calls.count("rename") >= 2 * len(TABLES)  # every table out, then in

    for crash_at in range(steps):
        for how in ("reader", "retry"):
            shutil.rmtree(output)
            shutil.copytree(pristine, output)
            count_calls(monkeypatch, crash_after=crash_at)
            with pytest.raises(Crash):
                publish(staging, output, DT)
            monkeypatch.undo()
            if how == "reader":  # e.g. the warehouse load: it finishes the publish, then reads one whole date
                generation = recover(output, DT)
                seen = labels(output)
                assert len({frozenset(s) for s in seen.values()}) == 1, (crash_at, seen)
                assert generations(output) == {generation}, crash_at
            publish(staging, output, DT)  # the task's retry
            assert labels(output) == {t: {"new"} for t in TABLES}, (crash_at, how)
            assert len(generations(output)) == 1 and not os.path.exists(staging), (crash_at, how)
            assert not os.path.exists(os.path.join(output, "_trash", f"dt={DT}")), (crash_at, how)


def _half_publish_with_a_lost_table(output, staging, monkeypatch) -> None:
    import shutil

    count_calls(monkeypatch, names=("rename",), crash_after=len(TABLES) + 2)  # old out, two new tables in
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()
    shutil.rmtree(os.path.join(staging, "duplicates"))  # a table not moved yet: the staging can no longer finish


def test_a_crash_while_clearing_the_staging_leaves_a_retry_nothing_to_publish_twice(scene, monkeypatch):
    import shutil

    output, staging = scene
    crash_when(monkeypatch, shutil, "rmtree", lambda path: os.path.abspath(path) == os.path.abspath(staging),
               "died clearing the staging")
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()
    generation = publish(staging, output, DT)  # the retry: its staging is an empty shell now
    assert labels(output) == {t: {"new"} for t in TABLES} and generations(output) == {generation}
    assert not os.path.exists(staging)


def test_a_rerun_staged_where_a_publish_died_before_its_journal_was_removed_is_not_swept_away(scene, monkeypatch):
    import shutil

    output, staging = scene
    crash_when(monkeypatch, os, "remove", lambda path: path.endswith(f"dt={DT}.json"), "died removing the journal")
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()
    shutil.rmtree(staging, ignore_errors=True)  # a rerun of the job empties its staging dir and stages again
    make_partitions(staging, "rerun")
    publish(staging, output, DT)
    assert labels(output) == {t: {"rerun"} for t in TABLES}


def test_a_half_publish_whose_staging_is_lost_is_undone_whole_with_a_new_generation(scene, monkeypatch):
    output, staging = scene
    before = published_generation(output, DT)
    _half_publish_with_a_lost_table(output, staging, monkeypatch)

    generation = recover(output, DT)

    assert labels(output) == {t: {"old"} for t in TABLES}
    assert generations(output) == {generation} and generation not in (None, before)  # readers may have seen part
    assert not os.path.exists(staging)  # what was left of it is incomplete
    with pytest.raises(pub.NothingStaged):  # the task's retry: the run must be staged again
        publish(staging, output, DT)
    assert labels(output) == {t: {"old"} for t in TABLES}


def test_a_rerun_staged_over_a_half_publish_undoes_it_and_is_published(scene, monkeypatch):
    import shutil

    output, staging = scene
    count_calls(monkeypatch, names=("rename",), crash_after=len(TABLES) + 2)
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()
    shutil.rmtree(staging)  # the job reruns before the publish is retried: it empties its staging and stages again
    make_partitions(staging, "rerun")
    publish(staging, output, DT)
    assert labels(output) == {t: {"rerun"} for t in TABLES}


def test_a_crash_while_undoing_is_undone_by_the_next_reader(scene, monkeypatch, tmp_path):
    import shutil

    output, staging = scene
    _half_publish_with_a_lost_table(output, staging, monkeypatch)
    pristine = str(tmp_path / "pristine")
    shutil.copytree(output, pristine)
    calls = count_calls(monkeypatch)
    recover(output, DT)
    monkeypatch.undo()
    assert "rename" in calls

    for crash_at in range(len(calls)):
        shutil.rmtree(output)
        shutil.copytree(pristine, output)
        count_calls(monkeypatch, crash_after=crash_at)
        with pytest.raises(Crash):
            recover(output, DT)
        monkeypatch.undo()
        generation = recover(output, DT)
        assert labels(output) == {t: {"old"} for t in TABLES}, crash_at
        assert generations(output) == {generation}, crash_at
        assert not os.path.exists(os.path.join(output, pub.CONTROL, f"dt={DT}.json")), crash_at


def test_a_staging_built_from_a_replaced_publication_is_refused_and_nothing_is_lost(scene):
    output, daily = scene
    retag = os.path.join(output, "_staging", f"dt={DT}", "retag")
    record_base_then_build = recover(output, DT)  # a re-tag reads what is published ...
    make_partitions(retag, "retag-of-old")
    record_base(retag, record_base_then_build)
    rerun = publish(daily, output, DT)  # ... a daily rerun publishes new rows meanwhile ...

    with pytest.raises(PublicationConflict, match="republished"):  # ... so the re-tag of the old rows must not land
        publish(retag, output, DT)
    assert labels(output) == {t: {"new"} for t in TABLES} and published_generation(output, DT) == rerun

    # Rebuilt from what is published now (what the task's retry does), it lands.
    retry = os.path.join(output, "_staging", f"dt={DT}", "retag2")
    base = recover(output, DT)
    make_partitions(retry, "retag-of-new")
    record_base(retry, base)
    publish(retry, output, DT)
    assert labels(output) == {t: {"retag-of-new"} for t in TABLES}


def test_a_staging_without_a_base_is_published_whatever_came_before(scene):
    output, staging = scene
    other = os.path.join(output, "_staging", f"dt={DT}", "other")
    make_partitions(other, "other")
    publish(other, output, DT)
    publish(staging, output, DT)  # a full rerun from raw input replaces whatever is published
    assert labels(output) == {t: {"new"} for t in TABLES}


def test_two_publishes_of_one_date_never_interleave(scene, monkeypatch):
    output, staging_a = scene
    staging_b = os.path.join(output, "_staging", f"dt={DT}", "b")
    make_partitions(staging_b, "b")
    real_rename = os.rename
    order, a_started, errors = [], threading.Event(), []

    def rename(src, dst):
        me = threading.current_thread().name
        order.append(me)
        real_rename(src, dst)
        if me == "A" and not a_started.is_set():
            a_started.set()
            threading.Event().wait(0.3)  # A dawdles half way: B gets every chance to cut in

    monkeypatch.setattr(os, "rename", rename)

    def run(staging):
        try:
            publish(staging, output, DT)
        except Exception as e:  # noqa: BLE001 (reported by the assertion below)
            errors.append(repr(e))

    a = threading.Thread(target=run, args=(staging_a,), name="A")
    b = threading.Thread(target=run, args=(staging_b,), name="B")
    a.start()
    assert a_started.wait(10)
    b.start()
    a.join(30)
    b.join(30)
    assert errors == []
    assert order == sorted(order), "the two publishes' moves interleaved"
    assert labels(output) == {t: {"b"} for t in TABLES} and len(generations(output)) == 1


def test_a_held_lock_times_out_with_a_clear_error(tmp_path):
    output = str(tmp_path / "out")
    with pub.date_lock(output, DT):
        with pytest.raises(pub.DateLocked, match=f"dt={DT}"):
            with pub.date_lock(output, DT, timeout=0.1):
                pass
    with pub.date_lock(output, DT, timeout=0.1):  # released on exit
        pass


def test_nothing_staged_is_an_error_and_publishes_nothing(scene):
    output, _ = scene
    with pytest.raises(pub.NothingStaged):
        publish(os.path.join(output, "_staging", "missing"), output, DT)
    assert labels(output) == {t: {"old"} for t in TABLES}


def test_urls_go_through_beam_filesystems_and_paths_stay_local():
    assert type(pub.store_for("/data/out")) is pub.LocalFiles
    assert type(pub.store_for("gs://bucket/out")).__name__ == "BeamFiles"


def _crash_after_old_out_and_one_new_in(output, staging, monkeypatch) -> None:
    count_calls(monkeypatch, names=("rename",), crash_after=len(TABLES) + 1)
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()


@pytest.mark.parametrize("vanishes_before_move", [1, 3])
def test_a_staging_removed_while_a_recovery_rolls_forward_is_undone_and_loses_nothing(
        scene, monkeypatch, vanishes_before_move):
    import shutil

    output, staging = scene
    _crash_after_old_out_and_one_new_in(output, staging, monkeypatch)
    real, moves = pub.LocalFiles.move_tree, []

    def move_tree(self, src, dst, markers_last=True):
        moves.append(src)
        if len(moves) == vanishes_before_move:  # e.g. a rerun of the job empties the staging, taking no lock
            shutil.rmtree(staging)
        return real(self, src, dst, markers_last)

    monkeypatch.setattr(pub.LocalFiles, "move_tree", move_tree)
    generation = recover(output, DT)
    monkeypatch.undo()

    assert labels(output) == {t: {"old"} for t in TABLES}  # the old partitions came back from the trash
    assert generations(output) == {generation} and generation is not None
    assert not os.path.exists(os.path.join(output, pub.CONTROL, f"dt={DT}.json"))


def test_a_staging_removed_during_its_own_publish_fails_the_publish_and_keeps_the_old_date(scene, monkeypatch):
    import shutil

    output, staging = scene
    real, moves = pub.LocalFiles.move_tree, []

    def move_tree(self, src, dst, markers_last=True):
        moves.append(src)
        if len(moves) == len(TABLES) + 2:
            shutil.rmtree(staging)
        return real(self, src, dst, markers_last)

    monkeypatch.setattr(pub.LocalFiles, "move_tree", move_tree)
    with pytest.raises(PublicationConflict, match="vanished"):
        publish(staging, output, DT)
    monkeypatch.undo()
    assert labels(output) == {t: {"old"} for t in TABLES} and len(generations(output)) == 1


def test_an_undo_over_a_date_missing_a_table_leaves_a_readable_date(tmp_path, monkeypatch):
    import shutil

    output = str(tmp_path / "out")
    make_partitions(output, "legacy", skip=("duplicates",))  # old publishes made no partition for an empty table
    staging = os.path.join(output, "_staging", f"dt={DT}", "run")
    make_partitions(staging, "new")
    count_calls(monkeypatch, names=("rename",), crash_after=len(TABLES))  # old out, one new in
    with pytest.raises(Crash):
        publish(staging, output, DT)
    monkeypatch.undo()
    shutil.rmtree(staging)  # lost: the publish can only be undone

    generation = recover(output, DT)

    assert generation is not None and published_generation(output, DT) == generation
    with pub.settled(output, DT) as settled_generation:  # what the warehouse load, a re-tag and compaction take
        assert settled_generation == generation
    assert labels(output) == {t: set() if t == "duplicates" else {"legacy"} for t in TABLES}
    assert not os.path.exists(os.path.join(output, "duplicates", f"dt={DT}"))


def test_a_publish_never_removes_the_staging_and_trash_roots_other_dates_use(scene):
    output, staging = scene
    publish(staging, output, DT)
    # another date's job or publish may be making its dirs in these right now
    assert os.path.isdir(os.path.join(output, "_staging")) and os.path.isdir(os.path.join(output, "_trash"))


def test_a_move_that_fails_is_settled_before_the_publish_reports_it(scene, monkeypatch):
    output, staging = scene
    real, calls = os.rename, []

    def rename(src, dst):
        calls.append(src)
        if len(calls) == len(TABLES) + 2:  # one new partition in
            raise FileNotFoundError("a parent dir vanished")
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(FileNotFoundError):
        publish(staging, output, DT)
    monkeypatch.undo()
    # no journal is left for the next lock taker: the date is whole now, and the retry has nothing left to do
    assert not os.path.exists(os.path.join(output, pub.CONTROL, f"dt={DT}.json"))
    assert labels(output) == {t: {"new"} for t in TABLES} and len(generations(output)) == 1
    assert publish(staging, output, DT) == published_generation(output, DT)


def test_stagings_of_the_date_abandoned_long_ago_are_removed_by_the_next_publish(scene):
    import time

    output, staging = scene
    root = os.path.join(output, "_staging", f"dt={DT}")
    abandoned, building = os.path.join(root, "failed-run"), os.path.join(root, "running")
    for d in (abandoned, building):
        os.makedirs(d)
    old = time.time() - pub.STALE_STAGING_S - 60
    os.utime(abandoned, (old, old))
    publish(staging, output, DT)
    assert sorted(os.listdir(root)) == ["running"]
