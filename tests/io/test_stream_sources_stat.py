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


class _Cell:
    """A stand-in for a Beam state cell or timer."""

    def __init__(self):
        self.value, self.timers = None, []

    def read(self):
        return self.value

    def write(self, value):
        self.value = value

    def clear(self):
        self.value = None

    def set(self, ts):
        self.timers.append(ts)


def test_a_page_still_being_written_waits_for_a_timer_not_in_process(tmp_path):
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.utils.timestamp import Timestamp

    from pipelines.core import stream_state

    path = str(tmp_path / "live.html")
    open(path, "w").write("<html><body>Live: the council meets")  # just written: its mtime is now
    fn = stream_sources._ReadFileChunksFn(str(tmp_path / "out"), 1 << 20, settle=5.0)
    fn.setup()
    cells = {name: _Cell() for name in ("progress", "read", "next_chunk", "waiting", "settle_timer")}
    listed = FileSystems.match([path])[0].metadata_list[0]
    out = list(fn.process((path, listed), timestamp=Timestamp(1000), **cells))
    assert out == [] and cells["read"].value is None  # not read, not marked
    assert cells["settle_timer"].timers and min(cells["settle_timer"].timers) >= Timestamp(1005)
    wait = cells["waiting"].value
    assert isinstance(wait, stream_state.Wait) and wait.sighting.size == len(open(path, "rb").read())
    assert stream_state.load_ledger(str(tmp_path / "out")) == (set(), set())
