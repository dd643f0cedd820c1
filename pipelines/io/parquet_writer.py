"""Parquet writing in two steps that keep memory flat: StageArticles streams full rows into shard files while
only small dedup keys travel on; WritePartitionedParquet then rereads each shard, drops the duplicates and
writes the hive layout articles/dt=/topic=/ plus the duplicates ledger."""
from __future__ import annotations

import os
import uuid

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from pipelines import PIPELINE_VERSION
from pipelines.core.dedup import DedupKey
from pipelines.core.tables import articles_table, duplicates_table, rejected_table, split_by_topic
from schemas.articles import ARTICLES, DUPLICATES, REJECTED

SHARDS = "shards"
COMPRESSION = "zstd"
BATCH_ROWS = 2000


def _global(value):
    return WindowedValue(value, MIN_TIMESTAMP, [GlobalWindow()])


class _BatchedWriter:
    """Appends row batches to one Parquet file, opened lazily."""

    def __init__(self, path: str, schema: pa.Schema):
        self.path, self.schema, self.writer = path, schema, None

    def write(self, table: pa.Table):
        if self.writer is None:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, compression=COMPRESSION)
        self.writer.write_table(table)

    def close(self):
        if self.writer is not None:
            self.writer.close()


class _StageFn(beam.DoFn):
    def __init__(self, shard_dir: str):
        self.shard_dir = shard_dir

    def start_bundle(self):
        self.rows, self.out = [], None

    def _flush(self):
        if self.rows:
            if self.out is None:
                self.out = _BatchedWriter(os.path.join(self.shard_dir, f"shard-{uuid.uuid4().hex}.parquet"), ARTICLES)
            self.out.write(articles_table(self.rows))
            self.rows = []

    def process(self, article):
        row = {k: article.get(k) for k in ARTICLES.names}
        row["pipeline_version"] = PIPELINE_VERSION
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self._flush()
        yield DedupKey(
            article["input_ref"], article["article_id"], article["canonical_url"],
            article["content_hash"], article["scraped_at"],
        )

    def finish_bundle(self):
        self._flush()
        if self.out is not None:
            self.out.close()
            yield pvalue.TaggedOutput(SHARDS, _global(self.out.path))


class StageArticles(beam.PTransform):
    """Articles in; outputs `keys` (DedupKey per article) and `shards` (paths of the staged row files)."""

    def __init__(self, shard_dir: str):
        super().__init__()
        self.shard_dir = shard_dir

    def expand(self, articles):
        return articles | "WriteShards" >> beam.ParDo(_StageFn(self.shard_dir)).with_outputs(SHARDS, main="keys")


class _FinalizeShardFn(beam.DoFn):
    def __init__(self, out_dir: str, dt: str):
        self.out_dir, self.dt = out_dir, dt
        self.written = Metrics.counter("write", "articles_written")
        self.dropped = Metrics.counter("write", "duplicates_written")

    def process(self, shard_path, drops):
        name = os.path.basename(shard_path).replace("shard-", "part-")
        writers: dict[str, _BatchedWriter] = {}

        def writer(key, path, schema):
            if key not in writers:
                writers[key] = _BatchedWriter(path, schema)
            return writers[key]

        for batch in pq.ParquetFile(shard_path).iter_batches(batch_size=BATCH_ROWS):
            table = pa.Table.from_batches([batch], schema=ARTICLES)
            refs = table.column("input_ref").to_pylist()
            is_dup = [ref in drops for ref in refs]
            if any(is_dup):
                mask = pa.array(is_dup)
                dropped = table.filter(mask)
                decisions = [drops[r] for r, d in zip(refs, is_dup) if d]
                ledger = duplicates_table(dropped, decisions, PIPELINE_VERSION)
                writer("_dup", os.path.join(self.out_dir, "duplicates", f"dt={self.dt}", name), DUPLICATES).write(ledger)
                self.dropped.inc(dropped.num_rows)
                table = table.filter(pc.invert(mask))
            self.written.inc(table.num_rows)
            for topic, part in split_by_topic(table).items():
                path = os.path.join(self.out_dir, "articles", f"dt={self.dt}", f"topic={topic}", name)
                writer(topic, path, ARTICLES).write(part)
        for w in writers.values():
            w.close()
        yield shard_path


class WritePartitionedParquet(beam.PTransform):
    """Shard paths in (plus the dedup drops as a side input); writes the published layout under out_dir."""

    def __init__(self, out_dir: str, dt: str, drops):
        super().__init__()
        self.out_dir, self.dt, self.drops = out_dir, dt, drops

    def expand(self, shards):
        return (
            shards
            | "SpreadShards" >> beam.Reshuffle()
            | "FinalizeShards" >> beam.ParDo(_FinalizeShardFn(self.out_dir, self.dt), pvalue.AsDict(self.drops))
        )


class _RejectedFn(beam.DoFn):
    def __init__(self, out_dir: str, dt: str):
        self.out_dir, self.dt = out_dir, dt

    def start_bundle(self):
        self.rows, self.out = [], None

    def _flush(self):
        if self.rows:
            if self.out is None:
                path = os.path.join(self.out_dir, "rejected", f"dt={self.dt}", f"part-{uuid.uuid4().hex}.parquet")
                self.out = _BatchedWriter(path, REJECTED)
            self.out.write(rejected_table(self.rows))
            self.rows = []

    def process(self, rejection):
        rejection = dict(rejection, pipeline_version=PIPELINE_VERSION)
        self.rows.append(rejection)
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def finish_bundle(self):
        self._flush()
        if self.out is not None:
            self.out.close()


class WriteRejected(beam.PTransform):
    def __init__(self, out_dir: str, dt: str):
        super().__init__()
        self.out_dir, self.dt = out_dir, dt

    def expand(self, rejected):
        return rejected | "WriteRejectedParquet" >> beam.ParDo(_RejectedFn(self.out_dir, self.dt))
