"""Staging and publication: a run writes under _staging/ and replaces the date's partitions only at the end,
so a failed run leaves the previous publication intact and a rerun leaves no stale files."""
from __future__ import annotations

import os
import shutil
import uuid

TABLES = ("articles", "duplicates", "rejected", "index", "reports")


def new_staging_dir(output: str, dt: str) -> str:
    return os.path.join(output, "_staging", f"dt={dt}", uuid.uuid4().hex)


def publish(staging: str, output: str, dt: str) -> None:
    """Swap each table's dt partition for the staged one. Each swap is two renames on one filesystem."""
    trash = os.path.join(output, "_trash", os.path.basename(staging))
    for table in TABLES:
        final = os.path.join(output, table, f"dt={dt}")
        staged = os.path.join(staging, table, f"dt={dt}")
        os.makedirs(os.path.dirname(final), exist_ok=True)
        if os.path.exists(final):
            os.makedirs(trash, exist_ok=True)
            os.rename(final, os.path.join(trash, table))
        if os.path.exists(staged):
            os.rename(staged, final)
        else:
            os.makedirs(final)  # an empty partition says "this date ran and had nothing", unlike a missing one
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    _remove_empty_parents(os.path.dirname(staging), stop=output)


def _remove_empty_parents(path: str, stop: str) -> None:
    while os.path.abspath(path) != os.path.abspath(stop):
        try:
            os.rmdir(path)
        except OSError:
            return
        path = os.path.dirname(path)
