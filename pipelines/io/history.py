"""ReadHistory: the fingerprint index of articles published on earlier dates, as dedup keys and LSH nodes."""
from __future__ import annotations

import glob
import os
from datetime import date, timedelta

import apache_beam as beam
import numpy as np
from apache_beam import pvalue

from pipelines.core import near_dup as nd
from pipelines.core.dedup import DedupKey
from pipelines.core.records import format_timestamp
from pipelines.core.tables import read_batches

BANDS = "bands"


def history_files(output: str, run_date: date, lookback_days: int) -> list[str]:
    """Index files of the lookback window before run_date. Never run_date itself: a rerun must not see its own output."""
    files = []
    for back in range(1, lookback_days + 1):
        dt = (run_date - timedelta(days=back)).isoformat()
        files += sorted(glob.glob(os.path.join(output, "index", f"dt={dt}", "*.parquet")))
    return files


class _ReadIndexFn(beam.DoFn):
    def __init__(self, cfg: nd.NearDupConfig | None):
        self.cfg = cfg

    def process(self, path):
        bands = nd.BandChunks(self.cfg) if self.cfg is not None else None
        for batch in read_batches(path, 4096):
            small = batch.select(["article_id", "canonical_url", "content_hash", "scraped_at",
                                  "near_dup_version", "band_keys"]).to_pylist()
            shingles = batch.column("shingle_hashes")
            offsets, values = shingles.offsets.to_numpy(), shingles.values.to_numpy()  # flat, no copy per row
            for i, row in enumerate(small):
                scraped = format_timestamp(row["scraped_at"])
                yield DedupKey(f"history:{row['article_id']}", row["article_id"], row["canonical_url"],
                               row["content_hash"], scraped, True)
                if bands is None:
                    continue
                hashes = values[offsets[i]:offsets[i + 1]]
                digests = nd.index_row_digests(row["near_dup_version"], row["band_keys"], hashes, self.cfg)
                bands.add(nd.node_of(row["article_id"], scraped, True), digests)
        if bands is not None:
            for chunk in bands.drain():
                yield pvalue.TaggedOutput(BANDS, chunk)


class ReadHistory(beam.PTransform):
    """Index file paths in; outputs `keys` (DedupKey, history=True) and `bands` (compact per-band LSH chunks)."""

    def __init__(self, cfg: nd.NearDupConfig | None):
        super().__init__()
        self.cfg = cfg

    def expand(self, paths):
        return paths | "ReadIndex" >> beam.ParDo(_ReadIndexFn(self.cfg)).with_outputs(BANDS, main="keys")
