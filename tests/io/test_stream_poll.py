"""The folder watcher's poll (pipelines.io.stream_sources: poll_nap, _Poll): it naps only while the job is idle,
never past the next poll, and emits PeriodicImpulse's elements."""
import time

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.utils.timestamp import Timestamp

from pipelines.io.stream_sources import POLL_IDLE_GAP, POLL_NAP, POLL_QUIET, _Poll, poll_nap


def test_the_poll_naps_only_when_idle_and_never_past_the_next_poll():
    now = 1000.0
    assert poll_nap(now, None, now + 4) == 0.0  # the first look
    assert poll_nap(now, now - 2 * POLL_IDLE_GAP, now + 4) == 0.0  # other bundles ran since the last look: busy
    assert poll_nap(now, now - 0.001, now) == 0.0  # the poll is due
    assert poll_nap(now, now - 0.001, now + 4) == POLL_NAP  # idle: a nap, bounded
    assert poll_nap(now, now - 0.001, now + 0.25) == 0.25  # up to the poll's time, not past it
    assert poll_nap(now, now - 0.001, now + 4, last_work=now - POLL_QUIET / 2) == 0.0  # a file is being read
    assert poll_nap(now, now - 0.001, now + 4, last_work=now - 2 * POLL_QUIET) == POLL_NAP  # read a while ago


def test_the_poll_emits_one_element_per_interval_stamped_with_its_time():
    start = Timestamp(1_700_000_000)  # long past: every poll is due, nothing waits
    with beam.Pipeline() as p:
        polls = (p | _Poll(start, start + 3, 1.0)
                 | beam.Map(lambda _, ts=beam.DoFn.TimestampParam: float(ts)))
        assert_that(polls, equal_to([1_700_000_000.0, 1_700_000_001.0, 1_700_000_002.0]))


def _looks_of_an_idle_poll(monkeypatch, seconds):
    """How many times the runner ran the poll's generator while it waited `seconds` for its polls (a look each)."""
    from apache_beam.transforms.periodicsequence import ImpulseSeqGenDoFn
    from pipelines.io import stream_sources

    looks = []
    process = ImpulseSeqGenDoFn.process

    def counted(self, *args, **kwargs):
        looks.append(time.time())
        return process(self, *args, **kwargs)

    monkeypatch.setattr(ImpulseSeqGenDoFn, "process", counted)
    monkeypatch.setattr(stream_sources.POLL_ACTIVITY, "at", 0.0)  # no chunk read lately (another test's)
    start = Timestamp(time.time())
    with beam.Pipeline() as p:
        p | _Poll(start, start + seconds, 1.0)
    return len(looks)


def test_an_idle_poll_naps_between_looks(monkeypatch):
    """On the DirectRunner a deferred poll is run again at once, so without its nap an idle poll is looked at
    a hundred times a second or more (151 and 209 looks in the ~1 s this pipeline runs, measured with poll_nap
    returning 0, 2 cores, load ~2); with it, about one look per POLL_NAP or poll (3 and 4 measured). The bound
    sits between, far from both."""
    looks = _looks_of_an_idle_poll(monkeypatch, 2.0)
    assert 2 <= looks <= 20  # at least the polls themselves: zero would mean the count missed the generator
