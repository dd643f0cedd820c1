"""The input sensor: Airflow's FileSensor (deferrable) on a plain local glob, without an fs_default connection."""
from __future__ import annotations

from functools import cached_property

from airflow.providers.standard.sensors.filesystem import FileSensor


class InputSensor(FileSensor):
    """Waits until the glob matches a file (or a non-empty directory). The path is used as given: the DAG
    renders an absolute pattern, so no connection needs to exist in a fresh deployment."""

    @cached_property
    def path(self) -> str:
        return self.filepath
