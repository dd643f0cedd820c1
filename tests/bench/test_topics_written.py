"""The written 2026 topic set (bench/sets/topics_written.jsonl): its shape, halves and majority labels."""
import json
from pathlib import Path

import pytest

from bench.build_topics_devset import NAMED
from pipelines.evaluation.topics_eval import read_rows

SET = Path(__file__).resolve().parents[2] / "bench" / "sets" / "topics_written.jsonl"


@pytest.fixture(scope="module")
def rows():
    return read_rows(SET)


def test_forty_eight_writers_fifty_stories_each_split_by_writer(rows):
    # rounds 1-3 of four writers: the first two of each round are the tune half, the last two the test half;
    # round 2's test half (G, H) became tune data once its errors had been read (after taxonomy r19);
    # round 4 (M-P, written as an ordinary daily feed rather than a trap collection) was all test data, scored once
    # each with r19 and r20 (errors unread), then became tune data for r21; round 5 (Q-T, same brief as round 4)
    # was all test data, scored once each with r19-r22 (errors unread), then became tune data for r23; round 6 (U-X,
    # same brief, outlets: tech/startup press, local papers, financial press, legal/official and non-Anglo outlets)
    # was all test data, scored once each with r22 and r23 (errors unread), then became tune data for r24; round 7
    # (Y, Z, AA, AB, same brief; wire services, national papers, trade press, broadcasters' and online-only sites)
    # was all test data, scored once each with r22-r24 (errors unread), then became tune data for r25; round 8 (AC-AF,
    # same brief; English-language Asian press, magazines/newsletters/opinion, press-release wire copy, popular and
    # mid-market general news) was all test data, scored once each with r24 and r25 (errors unread), then became tune
    # data for r26; round 9 (AG, AH, AJ, AK, same brief; US regional business and local
    # government news, European/Middle Eastern/African English-language outlets, energy/climate/science/mining
    # press, news portals and aggregator rewrites) is all test data; round 10 (AL-AO, same brief; Latin American,
    # Canadian and Australasian outlets, US network/cable and national political news, B2B and procurement press, a
    # morning newsletter and local-news feed) was all test data, scored once each with r24-r26 (errors unread), then
    # became tune data for r27; round 11 (AP-AS, same brief; newspapers' technology
    # desks, markets and commodities desks, government and diplomacy coverage, regional TV and radio web desks) is all
    # test data; round 12 (AT-AW, same brief; enterprise technology and AI-industry desks, South/Southeast Asian,
    # African and Gulf dailies, policy and regulation coverage, a national broadcaster's mixed daily run) is all test
    # data
    assert len(rows) == 2400 and len({r["id"] for r in rows}) == 2400
    for r in rows:
        assert r["id"].startswith(r["writer"] + "-")
        tune = [*"ABEFGHIJMNOPQRSTUVWXYZ", "AA", "AB", "AC", "AD", "AE", "AF", "AL", "AM", "AN", "AO"]
        assert r["split"] == ("dev" if r["writer"] in tune else "heldout")
    writers = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AJ", "AK", "AL", "AM",
               "AN", "AO", "AP", "AQ", "AR", "AS", "AT", "AU", "AV", "AW"]
    assert sorted({r["writer"] for r in rows}) == sorted(writers)


def test_labels_are_the_majority_of_writer_and_two_blind_annotators(rows):
    for r in rows:
        assert r["judged"] == list(NAMED)
        votes = {t: (t in r["writer_labels"]) + (t in r["annotator_x"]) + (t in r["annotator_y"]) for t in NAMED}
        assert r["labels"] == [t for t in NAMED if votes[t] >= 2], r["id"]


def test_every_named_topic_has_positives_and_traps_in_each_half(rows):
    for half in ("dev", "heldout"):
        part = [r for r in rows if r["split"] == half]
        for topic in NAMED:
            assert sum(topic in r["labels"] for r in part) >= 5, (half, topic)
        assert sum(r["kind"] == "trap" and not r["labels"] for r in part) >= 15, half
