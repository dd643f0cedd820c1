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
