"""pipelines.io.stream_sources: what the folder sources match."""
from pipelines.io.stream_sources import ReadFileList, WatchFiles


def test_a_directory_is_watched_and_listed_as_the_files_directly_inside_it(tmp_path):
    folder = str(tmp_path)
    for source in (WatchFiles([folder, "gs://bucket/landing/", f"{folder}/*.warc"], "out", 1000),
                   ReadFileList([folder, "gs://bucket/landing/", f"{folder}/*.warc"], "out", 1000)):
        assert source.patterns == sorted([f"{folder}/*", "gs://bucket/landing/*", f"{folder}/*.warc"])


def test_a_watched_directory_made_after_the_job_started_is_still_read_as_its_files(tmp_path):
    """A watch may start before its landing folder exists: each poll applies the directory rule again, so the
    folder, once made, is not matched as a file itself."""
    from pipelines.io.stream_sources import _match

    folder = tmp_path / "landing"
    watch = WatchFiles([str(folder)], "out", 1000)
    assert list(_match(None, watch.patterns)) == []
    (folder / "older").mkdir(parents=True)
    (folder / "a.jsonl").write_text("{}\n")
    assert [path for path, _ in _match(None, watch.patterns)] == [str(folder / "a.jsonl")]


def test_match_continuously_polls_a_folder_made_after_the_job_started_as_its_files(tmp_path):
    """--match_continuously's poll applies the directory rule at each poll, as the plain poll does (_match):
    fileio.MatchContinuously fixed its pattern when the job started, so a watched folder made later was matched as
    a file (the job died reading it: IsADirectoryError). A path that lands as a file is matched as one."""
    from pipelines.io.stream_sources import _ListPattern

    folder, single = tmp_path / "landing", tmp_path / "one.jsonl"
    poll = _ListPattern()
    watch = WatchFiles([str(folder), str(single)], "out", 1000, match_continuously=True)
    assert [poll((p,)).outputs for p in watch.patterns] == [(), ()]
    (folder / "older").mkdir(parents=True)
    (folder / "a.jsonl").write_text("{}\n")
    single.write_text("{}\n")
    assert [[m.value.path for m in poll((p,)).outputs] for p in watch.patterns] == [[str(folder / "a.jsonl")],
                                                                                [str(single)]]


def test_a_file_two_watched_patterns_match_is_listed_once_by_every_source(tmp_path):
    """Review rv13 C: a folder and a glob over it both match a.jsonl. --match_continuously's Watch kept its dedup
    state per pattern, so the file was passed once per pattern (the read tally expected 6 records for 3); the
    plain poll listed it twice too (its per-path state read it once). A file is listed once, in name order,
    however many patterns match it."""
    from pipelines.io.stream_sources import _ListPattern, _match

    (tmp_path / "b.jsonl").write_text("{}\n")
    (tmp_path / "a.jsonl").write_text("{}\n")
    patterns = [str(tmp_path), f"{tmp_path}/*.jsonl", f"{tmp_path}/a.jsonl"]
    want = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    watch = WatchFiles(patterns, "out", 1000, match_continuously=True)
    assert [path for path, _ in _match(None, watch.patterns)] == want
    assert [m.value.path for m in _ListPattern()(tuple(watch.patterns)).outputs] == want
    assert ReadFileList(patterns, "out", 1000).patterns == watch.patterns


def test_match_continuously_watches_all_patterns_as_one_element(tmp_path):
    """One Watch element (the pattern list), so its dedup state, keyed by path and mtime, spans every pattern."""
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from pipelines.io import stream_sources

    class _Elements(beam.PTransform):  # in Watch's place: what it would watch, as (element, element)
        def __init__(self, *args, **kwargs):
            super().__init__()

        def expand(self, pcoll):
            return pcoll | beam.Map(lambda element: (element, element))

    original = stream_sources.Watch
    stream_sources.Watch = _Elements
    try:
        with TestPipeline() as p:
            watched = stream_sources.watch_continuously(p, [str(tmp_path), f"{tmp_path}/*.jsonl"], 1.0)
            assert_that(watched, equal_to([(str(tmp_path), f"{tmp_path}/*.jsonl")]))
    finally:
        stream_sources.Watch = original
