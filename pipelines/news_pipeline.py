"""The batch job: read -> parse -> clean -> tag -> dedup -> write, then report and publish.

python -m pipelines.news_pipeline --input PATTERN --output DIR --run_date YYYY-MM-DD [beam options]
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipelines import PIPELINE_VERSION
from pipelines.core import near_dup as nd
from pipelines.io.history import ReadHistory, history_files
from pipelines.io.parquet_writer import StageArticles, WritePartitionedParquet, WriteRejected
from pipelines.io.read import ReadRawRecords
from pipelines.core.report import write_json
from pipelines.options import parse_args
from pipelines.stages.clean import CleanArticles
from pipelines.stages.dedup import DedupArticles
from pipelines.stages.near_dup import NearDupDrops
from pipelines.stages.parse import ParseRecords
from pipelines.stages.tag import TagTopics

log = logging.getLogger("newsflow")


class RunFailed(RuntimeError):
    """The run finished but its output failed the checks; nothing was published."""


def build(p: beam.Pipeline, args, staging: str, history: list[str], cfg: nd.NearDupConfig | None):
    """Applies every stage to pipeline p; all output goes under `staging`. `history` lists the fingerprint-index
    files of earlier dates to deduplicate against."""
    dt = args.run_date.isoformat()
    read = p | "ReadRawRecords" >> ReadRawRecords(args.input, args.max_record_bytes)
    parsed = read.records | "ParseRecords" >> ParseRecords(args.run_date, args.max_record_bytes, args.max_text_chars)
    cleaned = parsed.records | "CleanArticles" >> CleanArticles(args.cleaning_rules)
    tagged = cleaned.articles | "TagTopics" >> TagTopics(args.taxonomy)
    staged = tagged.articles | "StageArticles" >> StageArticles(os.path.join(staging, "_shards"), cfg)
    history_paths = p | "HistoryFiles" >> beam.Create(history)
    published = history_paths | "ReadHistory" >> ReadHistory(cfg)
    exact_drops = (staged.keys, published.keys) | "AllKeys" >> beam.Flatten() | "DedupArticles" >> DedupArticles()
    if cfg is not None:
        near_drops = staged.bands | "NearDupArticles" >> NearDupDrops(cfg, staged.shards, published.bands, history_paths)
    else:
        near_drops = p | "NoNearDup" >> beam.Create([])
    staged.shards | "WritePartitionedParquet" >> WritePartitionedParquet(staging, dt, exact_drops, near_drops)
    # One writer per stage, fused into the stage that rejects: the FnApiRunner (DirectRunner) materialises a
    # multi-input Flatten whole, so a Flatten here held every rejected page's raw bytes in memory until the read ended.
    for label, rejected in (("Parse", parsed.rejected), ("Clean", cleaned.rejected), ("Tag", tagged.rejected)):
        rejected | f"WriteRejected{label}" >> WriteRejected(staging, dt)
    (
        read.file_counts
        | "CollectInputCounts" >> beam.combiners.ToList()
        | "WriteInputCounts" >> beam.Map(lambda counts, path: write_json(sorted(counts), path),
                                         os.path.join(staging, "_inputs.json"))
    )



def _check_inputs(patterns: list[str]) -> None:
    for pattern in patterns:
        if not FileSystems.match([pattern])[0].metadata_list:
            raise SystemExit(f"newsflow: --input {pattern!r} matches no file")


def local_runner_without_prism(options: PipelineOptions) -> PipelineOptions:
    """Beam 2.77's DirectRunner first tries the Prism runner, which downloads a binary at run time (and fails
    offline) before falling back to the in-process FnApiRunner. A batch job like this one always ends up on the
    FnApiRunner, so ask for it directly; --direct_num_workers and --direct_running_mode still apply."""
    standard = options.view_as(StandardOptions)
    if standard.runner in (None, "DirectRunner") and not standard.streaming:
        standard.runner = "FnApiRunner"
    return options


def near_dup_config(args):
    if args.no_near_dup:
        return None
    cfg = nd.load_config(args.near_dup_config) if args.near_dup_config else nd.load_config()
    if args.lookback_days is not None:
        cfg = dataclasses.replace(cfg, lookback_days=args.lookback_days)
    return cfg


def versions(args, cfg: nd.NearDupConfig | None) -> dict:
    from pipelines.core.cleaning import load_rules
    from pipelines.core.extraction.html import RULES as EXTRACTION_RULES
    from pipelines.core.topics import load_taxonomy

    rules = load_rules(args.cleaning_rules) if args.cleaning_rules else load_rules()
    taxonomy = load_taxonomy(args.taxonomy) if args.taxonomy else load_taxonomy()
    return {
        "pipeline_version": PIPELINE_VERSION,
        "taxonomy_version": taxonomy.version,
        "cleaning_version": rules.version,
        # HTML inputs go through the extractor; its rules change what text the cleaner sees.
        "extraction_version": EXTRACTION_RULES.version,
        "near_dup_version": cfg.version if cfg else None,
    }


def run(argv=None) -> dict:
    """Runs the job for one date and publishes it; returns the run report. Raises RunFailed without publishing
    when the output does not add up."""
    from pipelines.core.publish import new_staging_dir, publish, settled
    from pipelines.core.report import build_report, check_report, write_report

    args, beam_args = parse_args(argv)
    _check_inputs(args.input)
    cfg = near_dup_config(args)
    run_versions = versions(args, cfg)  # fails fast on a malformed rules or taxonomy file
    dt = args.run_date.isoformat()
    output = os.path.abspath(args.output)
    staging = os.path.abspath(args.staging_dir) if args.staging_dir else new_staging_dir(output, dt)
    with settled(output, dt):  # a half-done publish of dt may still be moving out of this staging: settle it first
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
    lookback = cfg.lookback_days if cfg else (args.lookback_days if args.lookback_days is not None else 30)
    history = history_files(output, args.run_date, lookback)
    options = local_runner_without_prism(PipelineOptions(beam_args))
    with beam.Pipeline(options=options) as p:
        build(p, args, staging, history, cfg)
    with open(os.path.join(staging, "_inputs.json"), encoding="utf-8") as f:
        inputs = json.load(f)
    report = build_report(staging, dt, inputs, run_versions)
    report["output"] = output
    report["history"] = {"lookback_days": lookback, "index_files": len(history)}
    problems = check_report(report)
    report["problems"] = problems
    write_report(report, os.path.join(staging, "reports", f"dt={dt}", "report.json"))
    if problems:
        raise RunFailed(f"run for {dt} not published, staging kept at {staging}: " + "; ".join(problems))
    report["staging"] = staging
    if args.no_publish:
        return report
    publish(staging, output, dt)
    if not args.quiet:
        from pipelines.summary import print_summary

        print_summary(report, output)
    return report


def main(argv=None) -> int:
    logging.basicConfig(level=logging.WARNING)
    argv = list(argv if argv is not None else sys.argv[1:])
    if "--streaming" in argv:  # the same transforms on an unbounded source: pipelines/streaming.py
        from pipelines import streaming

        return streaming.main(argv)
    try:
        run(argv)
    except RunFailed as e:
        print(f"newsflow: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
