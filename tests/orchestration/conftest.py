"""One real run of the job on a sample date (staged, not published), copied fresh for each test."""
from __future__ import annotations

import collections
import json
import os
import shutil

import pyarrow.parquet as pq
import pytest

from pipelines.orchestration import staging_dir

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DT = "2026-11-24"


def sample_inputs(dt: str) -> list[str]:
    raw = os.path.join(REPO, "samples", "raw", dt)
    return [os.path.join(raw, "*.jsonl"), os.path.join(raw, "*.jsonl.gz"), os.path.join(raw, "pages", "*.txt")]


@pytest.fixture(scope="session")
def staged_source(tmp_path_factory) -> str:
    from pipelines.news_pipeline import run

    output = str(tmp_path_factory.mktemp("staged") / "out")
    argv = [f"--input={p}" for p in sample_inputs(DT)]
    run(argv + ["--output", output, "--run_date", DT, "--staging_dir", staging_dir(output, DT), "--no_publish",
                "--quiet", "--runner", "DirectRunner"])
    return output


@pytest.fixture
def staged(staged_source, tmp_path) -> tuple[str, str]:
    """(output root, staging dir) of a fresh copy of the staged sample day."""
    output = str(tmp_path / "out")
    shutil.copytree(staged_source, output)
    return output, staging_dir(output, DT)


@pytest.fixture
def published(staged) -> str:
    from pipelines.orchestration.publication import publish_staged

    output, staging = staged
    publish_staged(staging, output, DT, run_id="test")
    return output


def kill_worker_at_rename(monkeypatch, after: int) -> None:
    """os.rename raises SystemExit("worker killed") once `after` renames went through (a worker dying mid-publish)."""
    real, calls = os.rename, []

    def rename(src, dst):
        if len(calls) == after:
            raise SystemExit("worker killed")
        calls.append(src)
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)


def rows_multiset(root: str, table: str, dt: str = DT) -> collections.Counter:
    """Every row of a table's dt partition (with its topic directory, if any), as a multiset of canonical JSON strings."""
    from pipelines.orchestration.validate import table_files

    rows = collections.Counter()
    for path in table_files(root, table, dt):
        partition = os.path.relpath(os.path.dirname(path), os.path.join(root, table, f"dt={dt}"))
        for row in pq.ParquetFile(path).read().to_pylist():
            rows[json.dumps([partition, row], sort_keys=True, default=repr)] += 1
    return rows


def tree_digest(root: str) -> dict[str, bytes]:
    """Relative path -> bytes of every file under root (skipping _staging)."""
    out = {}
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "_staging"]
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def index_as_schema_1(root: str, dt: str = DT) -> None:
    """Rewrites dt's index files as they were written before near_dup 2026.11.6: uint64 shingle hashes (here with
    high bits set, as real 64-bit hashes have), schema_version 1."""
    import numpy as np
    import pyarrow as pa

    from pipelines.orchestration.validate import table_files
    from schemas.articles import INDEX_V1

    for path in table_files(root, "index", dt):
        table = pq.read_table(path)
        hashes = table.column("shingle_hashes").combine_chunks()
        wide = hashes.values.to_numpy().astype(np.uint64) | np.uint64(5 << 40)
        column = pa.ListArray.from_arrays(hashes.offsets, pa.array(wide, pa.uint64()))
        i = table.schema.get_field_index("shingle_hashes")
        pq.write_table(table.set_column(i, INDEX_V1.field(i), column).cast(INDEX_V1), path, compression="zstd")
        assert pq.read_schema(path).field("shingle_hashes").type == pa.list_(pa.uint64())
