"""Re-tags a published date with another taxonomy version without re-ingesting raw input: reads the date's
articles once each, applies the tagging stage's own function (apply_tags_many), rewrites the topic partitions into a
staging dir next to unchanged copies of the other tables, and leaves publishing to the caller."""
from __future__ import annotations

import json
import os
import shutil
import uuid

from pipelines.orchestration.paths import report_path, staging_dir
from pipelines.orchestration.publication import is_published
from pipelines.orchestration.validate import TOPIC_PREFIX, table_files

COMPRESSION = "zstd"  # as the job's writer
UNCHANGED_TABLES = ("duplicates", "rejected", "index")


class NotPublished(RuntimeError):
    """Only published dates can be re-tagged."""


def published_articles(output: str, dt: str):
    """Each article of dt once (the row in its primary topic partition), ordered by article_id."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from schemas.articles import ARTICLES

    parts = []
    for path in table_files(output, "articles", dt):
        topic = os.path.basename(os.path.dirname(path))[len(TOPIC_PREFIX):]
        table = pq.ParquetFile(path).read()
        primary = pc.fill_null(table.column("primary_topic"), "untagged")
        parts.append(table.filter(pc.equal(primary, topic)))
    if not parts:
        return ARTICLES.empty_table()
    table = pa.concat_tables(parts)
    return table.take(pc.sort_indices(table, [("article_id", "ascending")]))


def _tagger(taxonomy_path: str | None):
    from pipelines.core.topics import TopicMatcher, load_taxonomy
    from pipelines.core.tagging import MAX_BATCH, apply_tags_many

    taxonomy = load_taxonomy(taxonomy_path) if taxonomy_path else load_taxonomy()
    matcher = TopicMatcher(taxonomy)
    iptc = {t.slug: t.iptc_code for t in taxonomy.topics}
    def tag(rows):  # in the stage's batch size: one call scans a batch as one string
        return [row for i in range(0, len(rows), MAX_BATCH)
                for row in apply_tags_many(rows[i:i + MAX_BATCH], matcher, iptc, taxonomy.version)]
    return taxonomy.version, tag


def retag_to_staging(output: str, dt: str, taxonomy_path: str | None = None, staging: str | None = None) -> str:
    """Writes dt re-tagged under a staging dir (returned), with a fresh report; the caller validates and
    publishes it. Only the tag columns (topics, primary_topic, topic_scores, topic_evidence, taxonomy_version)
    can differ from the published rows."""
    import pyarrow.parquet as pq

    from pipelines.core.publish import record_base, recover
    from pipelines.core.report import build_report, check_report, write_report
    from pipelines.core.tables import articles_table, split_by_topic
    from schemas.articles import ARTICLES

    base = recover(output, dt)  # taken before reading: publish() refuses the staging once dt moves on
    if not is_published(output, dt):
        raise NotPublished(f"dt={dt} is not published under {output}")
    staging = staging or staging_dir(output, dt, f"retag-{uuid.uuid4().hex[:12]}")  # each try its own
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    record_base(staging, base)

    version, tag = _tagger(taxonomy_path)
    rows = tag(published_articles(output, dt).to_pylist())
    for topic, table in split_by_topic(articles_table(rows, ARTICLES)).items():
        path = os.path.join(staging, "articles", f"dt={dt}", f"{TOPIC_PREFIX}{topic}", "part-retag-00000.parquet")
        os.makedirs(os.path.dirname(path))
        pq.write_table(table, path, compression=COMPRESSION)
    for table in UNCHANGED_TABLES:
        src = os.path.join(output, table, f"dt={dt}")
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(staging, table, f"dt={dt}"))

    with open(report_path(output, dt), encoding="utf-8") as f:
        old = json.load(f)
    inputs = [(i["path"], i["records"]) for i in old.get("inputs", [])]
    versions = {k: old.get(k) for k in ("pipeline_version", "cleaning_version", "near_dup_version")}
    report = {**old, **build_report(staging, dt, inputs, {**versions, "taxonomy_version": version})}
    report["retagged_from"] = old.get("taxonomy_version")
    report["problems"] = check_report(report)
    write_report(report, report_path(staging, dt))
    return staging
