"""Tests for the dev-set builder's naive page renderer and its refusal to write into the repo."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "bench" / "build_cleaning_devset.py"
_spec = importlib.util.spec_from_file_location("build_cleaning_devset", _PATH)
builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builder)


def test_render_text_blocks_scripts_and_breaks():
    html = ("<html><head><title>T</title><style>p{}</style></head><body><nav><a>Home</a> <a>World</a></nav>"
            "<h1>Big   news</h1><p>First\nline <b>bold</b><br>second line</p><script>var x=1;</script>"
            "<div hidden>secret</div><ul><li>one</li><li>two</li></ul></body></html>")
    assert builder.render_text(html) == "Home World\n\nBig news\n\nFirst line bold\nsecond line\n\none\n\ntwo"


def test_refuses_to_write_into_the_repo(tmp_path):
    with pytest.raises(SystemExit):
        builder.main(["--data-root", str(tmp_path), "--out-dir", str(_PATH.parents[1] / "devset")])
