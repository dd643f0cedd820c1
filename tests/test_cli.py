"""The `newsflow` command dispatches to the job and to every evaluation with the same --data flag."""
import json

import pytest

from pipelines import cli


def test_usage_without_arguments(capsys):
    assert cli.main([]) == 2
    assert "newsflow run" in capsys.readouterr().out


def test_unknown_command_is_an_error(capsys):
    assert cli.main(["frobnicate"]) == 2


@pytest.mark.parametrize("what", sorted(cli.EVALS))
def test_every_eval_takes_data(what, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["eval", what, "--help"])
    assert e.value.code == 0 and "--data" in capsys.readouterr().out


def test_eval_dedup_runs_on_a_tiny_set(tmp_path, capsys):
    text = ("Grain traders said export demand for soybeans picked up sharply this week after buyers in the "
            "Netherlands and Japan booked cargoes for spring shipment, dealers added on Tuesday.")
    rows = [{"id": "a", "cluster": 1, "text": text}, {"id": "b", "cluster": 1, "text": text + " Reuters"},
            {"id": "c", "cluster": 2, "text": "A completely different story about a museum reopening after work."}]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    assert cli.main(["eval", "dedup", "--data", str(path)]) == 0
    assert "precision" in capsys.readouterr().out
