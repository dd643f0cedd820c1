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
from pipelines.core import near_dup as nd
from pipelines.core.dedup import DedupKey
from pipelines.core.tables import (
    articles_table, duplicates_table, iter_topic_parts, read_tables, rejected_table, release_freed_memory,
)
from schemas.articles import ARTICLES, DUPLICATES, INDEX, REJECTED, SHARD

SHARDS = "shards"
BANDS = "bands"
BAND_CHUNK_ARTICLES = 20_000
COMPRESSION = "zstd"
BATCH_ROWS = 2000
# FinalizeShards decodes a shard this many rows at a time and gathers BATCH_ROWS of them as chunks (its parts are
# written per BATCH_ROWS, as before): pyarrow's reader holds several times what it decodes at once (2,000 rows of
# the bench's shard, 16 MB of text: its pool at 65 MB).
READ_ROWS = 250
# pyarrow checks a page's size every this many rows written: at its default, 1,024, a staged row group's text was
# one ~8 MB page, and a reader decompresses a page whole.
SHARD_WRITE_BATCH = 128
# A staged row group is also cut at this much article text: 2,000 news articles can hold 60 MB of text, and while
# one is converted and encoded pyarrow holds about 2.5 times that (the job's largest allocation while it reads).
SHARD_BATCH_TEXT = 8 << 20
# A rejection keeps its raw input (up to REJECTED_RAW_CAP, 4 MB): its row groups are cut by bytes as well as rows.
# 8 MB, not 32: encoding a 32 MB group made pyarrow hold ~150 MB, the batch job's peak (docs/warc_memory.md).
REJECTED_BATCH_BYTES = 8 << 20


def _global(value):
    return WindowedValue(value, MIN_TIMESTAMP, [GlobalWindow()])


class _BatchedWriter:
    """Appends row batches to one Parquet file, opened lazily."""

    def __init__(self, path: str, schema: pa.Schema, **options):
        self.path, self.schema, self.writer, self.options = path, schema, None, options

    def write(self, table: pa.Table):
        if self.writer is None:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, compression=COMPRESSION, **self.options)
        self.writer.write_table(table)

    def close(self):
        if self.writer is not None:
            self.writer.close()


class _StageFn(beam.DoFn):
    def __init__(self, shard_dir: str, cfg: nd.NearDupConfig | None):
        self.shard_dir, self.cfg = shard_dir, cfg

    def start_bundle(self):
        self.rows, self.out, self.pending, self.text_chars = [], None, [], 0
        self.bands = nd.BandChunks(self.cfg) if self.cfg is not None else None

    def _fingerprint(self):
        """Shingles and band digests of the pending rows, one batch call (about half the CPU of one call per
        article); the rows are filled in place before they are written."""
        if not self.pending:
            return
        hashes, digests = nd.fingerprints_of_tokens([tokens for _, _, tokens in self.pending], self.cfg)
        for (row, node, _), h, d in zip(self.pending, hashes, digests):
            row["band_keys"], row["shingle_hashes"] = nd.digests_to_keys(d), h
            self.bands.add(node, d)
        self.pending = []

    def _flush(self):
        self._fingerprint()
        if self.rows:
            if self.out is None:
                self.out = _BatchedWriter(os.path.join(self.shard_dir, f"shard-{uuid.uuid4().hex}.parquet"), SHARD,
                                          write_batch_size=SHARD_WRITE_BATCH)
            self.out.write(articles_table(self.rows, SHARD))
            self.rows, self.text_chars = [], 0
            release_freed_memory()

    def process(self, article):
        row = {k: article.get(k) for k in ARTICLES.names}
        row["pipeline_version"] = PIPELINE_VERSION
        row["band_keys"], row["shingle_hashes"] = [], []
        if self.cfg is not None:
            tokens = article.get("_tokens")
            row["near_dup_version"] = self.cfg.version
            self.pending.append((row, nd.node_of(article["article_id"], article["scraped_at"], False,
                                                       article["canonical_url"]),
                                 tokens if tokens is not None else nd.tokenize(article["text"] or "")))
            if len(self.pending) >= nd.FINGERPRINT_BATCH:
                self._fingerprint()
                if len(self.bands) >= BAND_CHUNK_ARTICLES:
                    for chunk in self.bands.drain():
                        yield pvalue.TaggedOutput(BANDS, chunk)
        self.rows.append(row)
        self.text_chars += len(row["text"] or "")
        if len(self.rows) >= BATCH_ROWS or self.text_chars >= SHARD_BATCH_TEXT:
            self._flush()
        yield DedupKey(
            article["input_ref"], article["article_id"], article["canonical_url"],
            article["content_hash"], article["scraped_at"],
        )

    def finish_bundle(self):
        self._flush()
        if self.bands is not None:
            for chunk in self.bands.drain():
                yield pvalue.TaggedOutput(BANDS, _global(chunk))
        if self.out is not None:
            self.out.close()
            yield pvalue.TaggedOutput(SHARDS, _global(self.out.path))


class StageArticles(beam.PTransform):
    """Articles in; outputs `keys` (DedupKey per article), `bands` (compact per-band LSH chunks, when near-dup is on)
    and `shards` (paths of the staged row files, which also hold each article's shingle hashes)."""

    def __init__(self, shard_dir: str, cfg: nd.NearDupConfig | None):
        super().__init__()
        self.shard_dir, self.cfg = shard_dir, cfg

    def expand(self, articles):
        fn = _StageFn(self.shard_dir, self.cfg)
        return articles | "WriteShards" >> beam.ParDo(fn).with_outputs(SHARDS, BANDS, main="keys")


class _FinalizeShardFn(beam.DoFn):
    def __init__(self, out_dir: str, dt: str):
        self.out_dir, self.dt = out_dir, dt
        self.written = Metrics.counter("write", "articles_written")
        self.dropped = Metrics.counter("write", "duplicates_written")

    def process(self, shard_path, exact_drops, near_drops):
        name = os.path.basename(shard_path).replace("shard-", "part-")
        writers: dict[str, _BatchedWriter] = {}

        def write(key, path, schema, table):
            if key not in writers:
                writers[key] = _BatchedWriter(path, schema)
            writers[key].write(table)
            # pyarrow's pool keeps the pages a write freed until asked: handed back after every part, a batch's
            # parts and their encoding do not pile up (this step alone on a 0.25 GiB shard: +155 -> +131 MB RSS)
            pa.default_memory_pool().release_unused()

        for table in read_tables(shard_path, BATCH_ROWS, READ_ROWS, SHARD):  # chunks: parts are taken chunk by chunk
            decisions = [
                decide(ref, aid, exact_drops, near_drops)
                for ref, aid in zip(table.column("input_ref").to_pylist(), table.column("article_id").to_pylist())
            ]
            is_dup = [d is not None for d in decisions]
            keep = None  # the kept rows are picked column by column below, never copied whole
            if any(is_dup):
                mask = pa.array(is_dup)
                dropped = table.filter(mask)
                ledger = duplicates_table(dropped, [d for d in decisions if d is not None], PIPELINE_VERSION)
                write("_dup", os.path.join(self.out_dir, "duplicates", f"dt={self.dt}", name), DUPLICATES, ledger)
                self.dropped.inc(dropped.num_rows)
                keep = pc.invert(mask)
                dropped = ledger = None
            index = table.select(INDEX.names)
            index = (index if keep is None else index.filter(keep)).cast(INDEX)
            self.written.inc(index.num_rows)
            write("_index", os.path.join(self.out_dir, "index", f"dt={self.dt}", name), INDEX, index)
            table, index = table.select(ARTICLES.names), None
            for topic, part in iter_topic_parts(table, keep):  # one topic's copy held at a time
                path = os.path.join(self.out_dir, "articles", f"dt={self.dt}", f"topic={topic}", name)
                write(topic, path, ARTICLES, part)
            table = part = None
            release_freed_memory()
        for w in writers.values():
            w.close()
        yield shard_path


def decide(input_ref: str, article_id: str, exact_drops: dict, near_drops: dict):
    """(duplicate_of, rule, similarity) for a dropped record, else None. An exact copy of an article that is itself a
    near-duplicate points at that article's survivor, so the ledger never points at a dropped article."""
    decision = exact_drops.get(input_ref) or near_drops.get(article_id)
    if decision is not None and decision[0] in near_drops:
        decision = (near_drops[decision[0]][0],) + tuple(decision[1:])
    return decision


class WritePartitionedParquet(beam.PTransform):
    """Shard paths in, plus the dedup decisions as side inputs: exact drops keyed by input_ref and near-dup drops
    keyed by article_id. Writes articles/dt=/topic=/, duplicates/dt=/ and the fingerprint index/dt=/ under out_dir."""

    def __init__(self, out_dir: str, dt: str, exact_drops, near_drops):
        super().__init__()
        self.out_dir, self.dt = out_dir, dt
        self.exact_drops, self.near_drops = exact_drops, near_drops

    def expand(self, shards):
        fn = _FinalizeShardFn(self.out_dir, self.dt)
        return (
            shards
            | "SpreadShards" >> beam.Reshuffle()
            | "FinalizeShards" >> beam.ParDo(fn, pvalue.AsDict(self.exact_drops), pvalue.AsDict(self.near_drops))
        )


class _RejectedFn(beam.DoFn):
    def __init__(self, out_dir: str, dt: str):
        self.out_dir, self.dt = out_dir, dt

    def start_bundle(self):
        self.rows, self.out, self.raw_bytes = [], None, 0

    def _flush(self):
        if self.rows:
            if self.out is None:
                path = os.path.join(self.out_dir, "rejected", f"dt={self.dt}", f"part-{uuid.uuid4().hex}.parquet")
                self.out = _BatchedWriter(path, REJECTED)
            self.out.write(rejected_table(self.rows))
            self.rows, self.raw_bytes = [], 0
            release_freed_memory()

    def process(self, rejection):
        rejection = dict(rejection, pipeline_version=PIPELINE_VERSION)
        self.rows.append(rejection)
        self.raw_bytes += len(rejection.get("raw") or b"")
        if len(self.rows) >= BATCH_ROWS or self.raw_bytes >= REJECTED_BATCH_BYTES:
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
