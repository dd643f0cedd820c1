"""stream_state.write_atomic: a file appears whole under its name or not at all, and a write cut short (a stop by
Ctrl-C or SIGTERM lands mid-write, or the writer fails) leaves no hidden temporary beside the real files."""
import os

import pytest

from pipelines.core import stream_state


def _names(folder):
    return sorted(os.listdir(folder))


def test_a_write_moves_its_file_into_place(tmp_path):
    stream_state.write_atomic(str(tmp_path), "reports/pane.json", lambda f: f.write(b"{}"))
    assert _names(tmp_path / "reports") == ["pane.json"]
    assert (tmp_path / "reports" / "pane.json").read_bytes() == b"{}"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, ValueError])
def test_a_write_cut_short_leaves_no_temporary(tmp_path, stop):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "earlier.json").write_bytes(b"{}")

    def half_then_stop(f):
        f.write(b'{"half": ')
        f.flush()
        assert any(n.startswith(".tmp-") for n in _names(tmp_path / "reports"))  # it was there mid-write
        raise stop

    with pytest.raises(stop):
        stream_state.write_atomic(str(tmp_path), "reports/pane.json", half_then_stop)
    assert _names(tmp_path / "reports") == ["earlier.json"]


def test_a_failed_move_leaves_no_temporary(tmp_path, monkeypatch):
    fs, _ = stream_state.filesystem(str(tmp_path))

    class NoMove:
        def __getattr__(self, name):
            return getattr(fs, name)

        def move(self, src, dest):
            raise KeyboardInterrupt  # the stop lands just before the rename

    monkeypatch.setattr(stream_state, "filesystem", lambda output: (NoMove(), str(tmp_path)))
    with pytest.raises(KeyboardInterrupt):
        stream_state.write_atomic(str(tmp_path), "_stream/files/x.done", lambda f: f.write(b"{}"))
    assert _names(tmp_path / "_stream" / "files") == []
