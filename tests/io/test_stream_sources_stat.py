"""The reader's fresh look at a landed file (pipelines.io.stream_sources: _stat, _OpenFile, the settled-size check)."""
import pytest

from pipelines.io import stream_sources


def test_a_fresh_stat_takes_the_name_as_it_is_not_as_a_glob(tmp_path):
    path = tmp_path / "story[1].html"  # a page saved under its URL's name
    path.write_bytes(b"<html><body>Harbour</body></html>")
    meta = stream_sources._stat(str(path))
    assert (meta.path, meta.size_in_bytes) == (str(path), path.stat().st_size) and meta.last_updated_in_seconds > 0
    path.unlink()
    with pytest.raises(FileNotFoundError):
        stream_sources._stat(str(path))


def test_a_page_is_written_only_when_the_read_gives_the_settled_size(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body>Harbour council met</body></html>")
    size = path.stat().st_size
    f = stream_sources._OpenFile(str(path), 1 << 20, set(), set())
    assert stream_sources._ReadFileChunksFn._whole(f, size)
    assert [u.size for u in f.units] == [size]  # the record read ahead is still handed on
    f.close()
    f = stream_sources._OpenFile(str(path), 1 << 20, set(), set())
    assert not stream_sources._ReadFileChunksFn._whole(f, size - 10)  # grew after it was judged settled
    f.close()
