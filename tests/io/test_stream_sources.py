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
    assert [poll(p).outputs for p in watch.patterns] == [(), ()]
    (folder / "older").mkdir(parents=True)
    (folder / "a.jsonl").write_text("{}\n")
    single.write_text("{}\n")
    assert [[m.value.path for m in poll(p).outputs] for p in watch.patterns] == [[str(folder / "a.jsonl")],
                                                                                [str(single)]]
