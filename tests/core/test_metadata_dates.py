"""Date parsing for metadata: unknown zone names neither warn nor crash."""
import warnings

from pipelines.core.extraction.metadata import to_iso_utc


def test_unknown_zone_name_is_read_as_utc_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_iso_utc("May 31, 2024 10:00 ZZ") == "2024-05-31T10:00:00Z"


def test_known_zone_abbreviation_still_shifts_the_time():
    assert to_iso_utc("May 31, 2024 10:00 EDT") == "2024-05-31T14:00:00Z"
