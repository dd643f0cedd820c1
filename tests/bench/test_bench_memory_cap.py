"""bench/bench_memory_cap.py's cgroup handling: the files it writes and reads, and (where this machine lets the
tests make a memory cgroup) that a process over the cap is really killed and one under it is not."""

import os
import subprocess
import sys
import uuid

import pytest

from bench.bench_memory_cap import V1, MemoryCap


def _fake_v1(tmp_path, name):
    """A directory standing in for cgroup v1's memory root; the kernel would create the files on mkdir."""
    root = tmp_path / "memory"
    root.mkdir()
    return root, root / name


def test_v1_cap_writes_the_limit_and_reads_peak_and_kills(tmp_path):
    root, path = _fake_v1(tmp_path, "cap")
    cap = MemoryCap(300, "cap", v1_root=str(root), v2_root=str(tmp_path / "no-v2"))
    assert cap.path == str(path) and not cap.v2
    with cap:  # makes the directory and writes the limit, as on a kernel (where the counters come with mkdir)
        (path / "memory.max_usage_in_bytes").write_text(str(123 * 2**20) + "\n")
        (path / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
    assert (path / "memory.limit_in_bytes").read_text() == str(300 * 2**20)
    assert cap.peak_mb() == 123
    assert cap.oom_kills() == 2
    assert cap.procs == str(path / "cgroup.procs")


def test_v2_is_chosen_where_cgroup_controllers_exists(tmp_path):
    (tmp_path / "unified").mkdir()
    (tmp_path / "unified" / "cgroup.controllers").write_text("cpu memory\n")
    cap = MemoryCap(200, "x", v1_root=str(tmp_path / "memory"), v2_root=str(tmp_path / "unified"))
    assert cap.v2 and cap.path == str(tmp_path / "unified" / "x")
    os.mkdir(cap.path)
    (tmp_path / "unified" / "x" / "memory.events").write_text("low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n")
    (tmp_path / "unified" / "x" / "memory.peak").write_text(str(50 * 2**20))
    assert cap.oom_kills() == 1 and cap.peak_mb() == 50


def test_missing_counters_read_as_unknown(tmp_path):
    root, path = _fake_v1(tmp_path, "bare")
    path.mkdir()
    cap = MemoryCap(100, "bare", v1_root=str(root), v2_root=str(tmp_path / "no-v2"))
    assert cap.peak_mb() is None and cap.oom_kills() is None


def test_anonymous_memory_is_read_from_memory_stat_and_its_peak_sampled(tmp_path):
    import time

    root, path = _fake_v1(tmp_path, "anon")
    cap = MemoryCap(300, "anon", v1_root=str(root), v2_root=str(tmp_path / "no-v2"))
    with cap:
        assert cap.anon_mb() is None and cap.anon_peak_mb() is None  # no memory.stat: unknown, not zero
        (path / "memory.stat").write_text(f"cache {900 * 2**20}\nrss {70 * 2**20}\nrss_huge 0\n")
        deadline = time.monotonic() + 5
        while cap.anon_peak_mb() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        (path / "memory.stat").write_text(f"cache 0\nrss {20 * 2**20}\n")
        assert cap.anon_mb() == 20
    assert cap.anon_peak_mb() == 70  # the page cache (cache) is not counted, and the peak stays
    (tmp_path / "unified").mkdir()
    (tmp_path / "unified" / "cgroup.controllers").write_text("memory\n")
    v2 = MemoryCap(100, "y", v1_root=str(root), v2_root=str(tmp_path / "unified"))
    os.mkdir(v2.path)
    (tmp_path / "unified" / "y" / "memory.stat").write_text(f"anon {33 * 2**20}\nfile {5 * 2**20}\n")
    assert v2.anon_mb() == 33


def _can_make_v1_cgroup() -> bool:
    probe = os.path.join(V1, f"newsflow-probe-{uuid.uuid4().hex[:8]}")
    try:
        os.mkdir(probe)
    except OSError:
        return False
    os.rmdir(probe)
    return os.path.exists(os.path.join(V1, "memory.limit_in_bytes"))


_ALLOC = ("import sys\nblocks = []\nfor _ in range(int(sys.argv[1])):\n"
          "    b = bytearray(50 * 2**20)\n    b[::4096] = b'x' * len(b[::4096])\n    blocks.append(b)\n"
          "import time\ntime.sleep(0.5)\nprint('done')")  # held a moment, for the anonymous-memory sampler


@pytest.mark.skipif(not _can_make_v1_cgroup(), reason="no writable cgroup v1 memory hierarchy on this machine")
def test_a_real_cap_kills_a_process_over_it_and_spares_one_under_it():
    def run(blocks: int):
        with MemoryCap(200, f"newsflow-test-{uuid.uuid4().hex[:8]}") as cap:
            procs = cap.procs

            def join():
                with open(procs, "w", encoding="ascii") as f:
                    f.write(str(os.getpid()))
            done = subprocess.run([sys.executable, "-c", _ALLOC, str(blocks)], preexec_fn=join,
                                  capture_output=True, text=True)
            kills = cap.oom_kills()
        return done, kills, cap.anon_peak_mb()

    under, _, anon = run(1)  # ~60 MB: the interpreter and one 50 MB block
    over, kills, _ = run(8)  # 400 MB
    assert under.returncode == 0 and under.stdout.strip() == "done"
    assert 45 < anon < 200  # the 50 MB block, sampled from the cgroup's memory.stat
    assert over.returncode == -9 and "done" not in over.stdout
    assert kills in (None, 1)
