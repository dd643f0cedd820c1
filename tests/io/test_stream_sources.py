"""pipelines.io.stream_sources: what the folder sources match."""
from pipelines.io.stream_sources import ReadFileList, WatchFiles


def test_a_directory_is_watched_and_listed_as_the_files_directly_inside_it(tmp_path):
    folder = str(tmp_path)
    for source in (WatchFiles([folder, "gs://bucket/landing/", f"{folder}/*.warc"], "out", 1000),
                   ReadFileList([folder, "gs://bucket/landing/", f"{folder}/*.warc"], "out", 1000)):
        assert source.patterns == sorted([f"{folder}/*", "gs://bucket/landing/*", f"{folder}/*.warc"])
