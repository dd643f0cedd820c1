"""The job's own flags; everything else on the command line goes to Beam's PipelineOptions."""
from __future__ import annotations

import argparse
from datetime import date

from pipelines.core.records import DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TEXT_CHARS


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--run_date must be YYYY-MM-DD, got {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsflow run",
        description="Batch job: raw scraped articles for one date in, clean, deduplicated, topic-partitioned Parquet out.",
    )
    p.add_argument("--input", action="append", required=True, metavar="PATTERN",
                   help="file pattern of raw input (.jsonl, .jsonl.gz, .txt); repeat for several")
    p.add_argument("--output", required=True, metavar="DIR", help="output root (local path)")
    p.add_argument("--run_date", required=True, type=_date, metavar="YYYY-MM-DD", help="the date partition to write")
    p.add_argument("--max_record_bytes", type=int, default=DEFAULT_MAX_RECORD_BYTES,
                   help="records (JSONL lines, .txt files) larger than this are rejected as too_large (default %(default)s)")
    p.add_argument("--max_text_chars", type=int, default=DEFAULT_MAX_TEXT_CHARS,
                   help="plain-text bodies longer than this are rejected as too_large (default %(default)s)")
    p.add_argument("--cleaning_rules", default=None, help="cleaning rules YAML (default: the bundled one)")
    p.add_argument("--taxonomy", default=None, help="topic taxonomy YAML (default: the bundled one)")
    p.add_argument("--no_near_dup", action="store_true", help="exact dedup only (no MinHash near-duplicate stage)")
    p.add_argument("--near_dup_config", default=None, help="near-dup parameters YAML (default: the bundled one)")
    p.add_argument("--lookback_days", type=int, default=None,
                   help="deduplicate against articles published this many days back (default: near-dup config, 30)")
    p.add_argument("--staging_dir", default=None,
                   help="where the run writes before publishing (default: DIR/_staging/dt=<date>/<random>); "
                        "emptied first, so a retried task starts clean")
    p.add_argument("--no_publish", action="store_true",
                   help="leave the checked output in --staging_dir for the caller to validate and publish "
                        "(pipelines.core.publish.publish); used by the Airflow DAG")
    p.add_argument("--quiet", action="store_true", help="do not print the summary")
    return p


def parse_args(argv):
    """(job args, remaining Beam args)."""
    return build_parser().parse_known_args(argv)
