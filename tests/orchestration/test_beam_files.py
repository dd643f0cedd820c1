"""publish() through Beam's FileSystems (outputs on gs://, s3://, ...): on the local filesystem through that API, and on
an object store kept in memory that, like GCS and S3, has no directories and renames one object at a time (copy,
then delete). A crash at any object move is resumed by the next reader or publish."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from apache_beam.io.filesystem import FileMetadata, FileSystem
from apache_beam.io.filesystems import FileSystems

from pipelines.core.publish import GENERATION, TABLES, publish, published_generation, recover
from pipelines.orchestration.beam_files import BeamFiles
from tests.core.test_publish import DT, Crash, generations, labels, make_partitions


class MemoryObjectStore(FileSystem):
    """memfs://: objects in a dict; no directories; a rename copies then deletes each object, as GCS does."""

    objects: dict[str, bytes] = {}
    crash_at: int | None = None  # raise Crash before this object rename
    renames = 0

    @classmethod
    def scheme(cls):
        return "memfs"

    def join(self, basepath, *paths):
        return "/".join([basepath.rstrip("/"), *(p.strip("/") for p in paths)])

    def split(self, path):
        head, _, tail = path.rstrip("/").rpartition("/")
        return head, tail

    def mkdirs(self, path):
        pass

    def has_dirs(self):
        return False

    def _list(self, dir_or_prefix):
        for path, data in list(self.objects.items()):
            if path.startswith(dir_or_prefix):
                yield FileMetadata(path, len(data))

    def create(self, path, mime_type=None, compression_type=None):
        objects = self.objects

        class Upload(io.BytesIO):  # the object appears whole when the upload closes
            def close(self):
                if not self.closed:
                    objects[path] = self.getvalue()
                super().close()

        return Upload()

    def open(self, path, mime_type=None, compression_type=None):
        return io.BytesIO(self.objects[path])

    def copy(self, source_file_names, destination_file_names):
        for src, dst in zip(source_file_names, destination_file_names):
            self.objects[dst] = self.objects[src]

    def rename(self, source_file_names, destination_file_names):
        for src, dst in zip(source_file_names, destination_file_names):
            if MemoryObjectStore.renames == MemoryObjectStore.crash_at:
                raise Crash(f"died before object rename {MemoryObjectStore.renames}")
            MemoryObjectStore.renames += 1
            self.objects[dst] = self.objects[src]
            del self.objects[src]

    def exists(self, path):
        return path in self.objects

    def size(self, path):
        return len(self.objects[path])

    def last_updated(self, path):
        return 0.0

    def checksum(self, path):
        return str(len(self.objects[path]))

    def metadata(self, path):
        return FileMetadata(path, len(self.objects[path]))

    def delete(self, paths):
        for path in paths:
            del self.objects[path]


def stage(store: BeamFiles, root: str, label: str) -> None:
    for table in TABLES:
        leaf = store.join(root, table, f"dt={DT}", "topic=world" if table == "articles" else "")
        for i in range(3):
            store.write(store.join(leaf, f"part-{i}.parquet"), f"{label} {table} {i}")
    store.write(store.join(root, "articles", f"dt={DT}", "_SUCCESS"), label)  # the manifest, as publish_staged


def marked_articles(store: BeamFiles, output: str) -> list[str] | None:
    """What a loader going by the marker would read: the articles' contents, or None without a marker."""
    partition = store.join(output, "articles", f"dt={DT}")
    if not store.exists(store.join(partition, "_SUCCESS")):
        return None
    return sorted(store.read(f) for f in store.files(partition) if f.endswith(".parquet"))


def store_labels(store: BeamFiles, output: str) -> dict[str, set[str]]:
    return {t: {store.read(f).split()[0] for f in store.files(store.join(output, t, f"dt={DT}"))
                if f.endswith(".parquet")} for t in TABLES}


@pytest.fixture
def memfs():
    MemoryObjectStore.objects.clear()
    MemoryObjectStore.crash_at, MemoryObjectStore.renames = None, 0
    yield MemoryObjectStore
    MemoryObjectStore.objects.clear()
    MemoryObjectStore.crash_at = None


def test_beam_resolves_the_test_object_store(memfs):
    assert isinstance(FileSystems.get_filesystem("memfs://bucket/out"), MemoryObjectStore)


def test_publish_through_filesystems_on_the_local_filesystem(tmp_path, monkeypatch):
    output = str(tmp_path / "out")
    first, second = (os.path.join(output, "_staging", f"dt={DT}", n) for n in ("first", "second"))
    make_partitions(first, "old", files=1)
    publish(first, output, DT, BeamFiles())
    make_partitions(second, "new", files=2)
    pristine = str(tmp_path / "pristine")
    shutil.copytree(output, pristine)

    real, calls = os.rename, []  # LocalFileSystem.rename: one os.rename per file

    def rename(src, dst):
        calls.append(src)
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    generation = publish(second, output, DT, BeamFiles())
    monkeypatch.undo()
    assert labels(output) == {t: {"new"} for t in TABLES} and generations(output) == {generation}
    assert not os.path.exists(second) and not os.path.exists(os.path.join(output, "_trash", f"dt={DT}"))
    assert len(calls) > 2 * len(TABLES)  # file by file, not one rename per partition

    for crash_at in range(len(calls)):
        shutil.rmtree(output)
        shutil.copytree(pristine, output)
        moved = []

        def dying(src, dst, _moved=moved, _at=crash_at):
            if len(_moved) == _at:
                raise Crash(_at)
            _moved.append(src)
            return real(src, dst)

        monkeypatch.setattr(os, "rename", dying)
        with pytest.raises(Crash):
            publish(second, output, DT, BeamFiles())
        monkeypatch.undo()
        recover(output, DT, BeamFiles())
        assert len({frozenset(s) for s in labels(output).values()}) == 1, crash_at
        publish(second, output, DT, BeamFiles())
        assert labels(output) == {t: {"new"} for t in TABLES}, crash_at


def test_publish_on_an_object_store_resumes_after_a_crash_at_any_object_move(memfs):
    store, output = BeamFiles(), "memfs://bucket/out"
    first, second = (f"{output}/_staging/dt={DT}/{n}" for n in ("first", "second"))
    stage(store, first, "old")
    publish(first, output, DT)  # store_for picks BeamFiles for a URL
    stage(store, second, "new")
    pristine, memfs.renames = dict(memfs.objects), 0
    generation = publish(second, output, DT)
    moves = memfs.renames
    assert store_labels(store, output) == {t: {"new"} for t in TABLES}
    assert published_generation(output, DT) == generation
    assert all(store.exists(store.join(output, t, f"dt={DT}", GENERATION)) for t in TABLES)
    assert not [p for p in memfs.objects if "/_staging/" in p or "/_trash/" in p or "/_publish/" in p]

    whole = [sorted(f"{label} articles {i}" for i in range(3)) for label in ("old", "new")]
    for crash_at in range(moves):
        memfs.objects.clear()
        memfs.objects.update(pristine)
        memfs.renames, memfs.crash_at = 0, crash_at
        with pytest.raises(Crash):
            publish(second, output, DT)
        memfs.crash_at = None
        assert marked_articles(store, output) in (None, *whole), crash_at  # never half there behind a marker
        recover(output, DT)  # a reader: the date is whole again, wholly new
        assert store_labels(store, output) == {t: {"new"} for t in TABLES}, crash_at
        assert len({published_generation(output, DT)}) == 1
        publish(second, output, DT)  # the task's retry finds its staging already published
        assert store_labels(store, output) == {t: {"new"} for t in TABLES}, crash_at
        assert not [p for p in memfs.objects if "/_staging/" in p or "/_trash/" in p], crash_at
