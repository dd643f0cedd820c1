"""The input sensor matches a plain glob without an fs_default connection."""
from __future__ import annotations


def test_the_input_sensor_pokes_a_plain_glob(tmp_path):
    from pipelines.orchestration.sensors import InputSensor

    sensor = InputSensor(task_id="s", filepath=str(tmp_path / "raw" / "*.jsonl"))
    assert sensor.poke({}) is False
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.jsonl").write_text("{}\n")
    assert sensor.poke({}) is True
