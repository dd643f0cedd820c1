"""Publication on outputs that only Beam can write (gs://, s3://, azfs://, ...): the file operations
pipelines.core.publish needs, through apache_beam.io.filesystems. An object store has no directories, so a partition
moves object by object (copy + delete); the journal makes that resumable, not atomic (docs/orchestration.md)."""
from __future__ import annotations

import hashlib
import os
import tempfile

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems


RAW = CompressionTypes.UNCOMPRESSED


class BeamFiles:
    def join(self, base: str, *parts: str) -> str:
        return FileSystems.join(base, *parts)

    def files(self, path: str) -> list[str]:
        """Every file under path: data first, then `_` files."""
        found = [m.path for m in FileSystems.match([FileSystems.join(path, "**")])[0].metadata_list]
        return sorted(found, key=lambda f: (os.path.basename(f).startswith("_"), f))

    def exists(self, path: str) -> bool:
        return FileSystems.exists(path) or bool(self.files(path))

    def read(self, path: str) -> str | None:
        if not FileSystems.exists(path):
            return None
        with FileSystems.open(path, compression_type=RAW) as f:
            return f.read().decode("utf-8")

    def write(self, path: str, text: str) -> None:
        """An object store shows a written object whole or not at all."""
        self._parents([path])
        with FileSystems.create(path, compression_type=RAW) as f:
            f.write(text.encode("utf-8"))

    def move_tree(self, src: str, dst: str, markers_last: bool = True) -> None:
        """Moves what is left under src to the same names under dst, so a move cut short can be resumed. The `_`
        files (_SUCCESS, _GENERATION) move after the data into the output and before it out of the output, so a
        reader that goes by them never takes a partition half there for a whole one."""
        src = src.rstrip("/")
        moving = self.files(src)
        if moving:
            targets = [dst.rstrip("/") + f[len(src):] for f in moving]
            self._parents(targets)
            first_marker = sum(not os.path.basename(f).startswith("_") for f in moving)
            parts = [slice(0, first_marker), slice(first_marker, None)]
            for part in parts if markers_last else parts[::-1]:
                if moving[part]:
                    FileSystems.rename(moving[part], targets[part])
        self._drop_dir(src)

    def delete(self, path: str) -> None:
        if FileSystems.exists(path):
            FileSystems.delete([path])

    def delete_tree(self, path: str) -> None:
        found = self.files(path)
        if found:
            FileSystems.delete(found)
        self._drop_dir(path)

    def stale_dirs(self, root: str, older_than: float) -> list[str]:
        """None: old stagings on an object store are left to its lifecycle rules."""
        return []

    def lock_path(self, output: str, dt: str) -> str:
        """A local lock file per output and date (the store itself has no lock)."""
        digest = hashlib.sha1(output.encode()).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), "newsflow-publish-locks", digest, f"dt={dt}.lock")

    @staticmethod
    def _parents(paths: list[str]) -> None:
        """Filesystems with directories (local, HDFS) need the parents; object stores have none to make."""
        for parent in sorted({FileSystems.split(p)[0] for p in paths}):
            if FileSystems.get_filesystem(parent).has_dirs() and not FileSystems.exists(parent):
                FileSystems.mkdirs(parent)

    @staticmethod
    def _drop_dir(path: str) -> None:
        """The empty directories a move leaves on a filesystem that has them."""
        if FileSystems.get_filesystem(path).has_dirs() and FileSystems.exists(path):
            FileSystems.delete([path])
