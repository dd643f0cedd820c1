"""bench/bench_stream_warc.py on a tiny WARC of invented pages: the streaming job runs on it and the bench's
checks of its reports hold (balanced, every page and skip of the file accounted for, the file marked done)."""
import os
import re

import pytest

from bench import bench_stream_warc

pytestmark = pytest.mark.integration

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>The regional rail operator said on Tuesday that it would add two early trains on the coastal line from
March, after commuters complained for a year that the first service arrived too late for hospital shifts.</p>
<p>The operator said the extra trains would be paid for by a small rise in season ticket prices, which a
passenger group called fair as long as the new services ran on time through the winter.</p></article>
<footer>Copyright Example Rail News.</footer></body></html>
"""


def test_the_bench_runs_the_streaming_job_and_checks_its_reports(tmp_path, capsys):
    pages = tmp_path / "pages"
    for name in ("rail", "ferry"):
        os.makedirs(pages / name)
        (pages / name / "source.html").write_text(PAGE.format(title=f"More {name} services from March"))
    bench_stream_warc.main(["--sizes", "0.03", "--pages", str(pages), "--tmp", str(tmp_path),
                            "--job-args", "--read_chunk 3"])
    out = capsys.readouterr().out
    run = re.search(r"once this round 1: peak RSS ([\d,]+) MB.*balanced (\w+), pages (\w+), skips (\w+), done (\d+)",
                    out)
    assert run, out
    assert float(run.group(1).replace(",", "")) > 0
    assert run.groups()[1:] == ("True", "True", "True", "1")
    assert not [p for p in os.listdir(tmp_path) if p.startswith("bench_stream_warc-")]  # temp files removed
