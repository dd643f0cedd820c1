"""NearDupDrops: MinHash LSH candidates, an exact shingle-set check of every candidate pair, connected components.

Only compact fingerprints travel through the shuffles: per band, arrays of band digests with their nodes
(rank: 0 published / 1 current / 2 current with an archived file: URL / 3 current with a placeholder urn, scraped_at
in µs, article_id as an int), about 25 bytes per article and band. The shingle sets needed for the exact check are
read back from the staging shards and the history index, for candidate articles only, so memory follows the number
of candidates, not the input.
"""

from __future__ import annotations

import apache_beam as beam
import numpy as np
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipelines.core import near_dup as nd
from pipelines.core.tables import read_batches

STAGE = "near_dup"


class BandPairs(beam.DoFn):
    """Candidate pairs of one LSH band from its compact chunks (see near_dup.BandChunks), as one array."""

    def __init__(self, cfg: nd.NearDupConfig):
        self.cfg = cfg
        self.pairs = Metrics.counter(STAGE, "band_pairs")

    def process(self, keyed):
        _, chunks = keyed
        batch = nd.band_pair_batch(chunks, self.cfg)
        if len(batch):
            self.pairs.inc(len(batch))
            yield batch


class CandidateIds(beam.CombineFn):
    """The distinct article ids (id_key ints) in all candidate pair batches, as one sorted array."""

    def create_accumulator(self):
        return np.empty(0, dtype=np.int64)

    def add_input(self, ids, batch):
        return np.union1d(ids, np.concatenate([batch[:, 2], batch[:, 5]]))

    def merge_accumulators(self, accumulators):
        return np.unique(np.concatenate(list(accumulators)))

    def extract_output(self, ids):
        return ids


def load_shingles(paths: list[str], wanted: np.ndarray) -> dict:
    """{id_key: shingle hashes (uint32, sorted unique)} for the wanted articles (sorted id_key array), from
    Parquet files with article_id and shingle_hashes columns. Index files written before 2026.11.6 hold 64-bit
    hashes: their low half is the current hash (nd.low_shingles)."""
    out = {}
    for path in paths:
        for batch in read_batches(path, 4096, columns=["article_id", "shingle_hashes"]):
            keys = np.fromiter(map(nd.id_key, batch.column(0).to_pylist()), dtype=np.int64, count=batch.num_rows)
            lists = batch.column(1)
            offsets = lists.offsets.to_numpy()
            values = lists.values.to_numpy()  # one flat array: no Python int per shingle
            for i in np.flatnonzero(np.isin(keys, wanted)).tolist():
                key = int(keys[i])
                if key not in out:
                    # a copy: low_shingles returns sorted uint32 input as is, a view that would keep the whole
                    # batch in memory
                    out[key] = nd.low_shingles(values[offsets[i]:offsets[i + 1]]).copy()
    return out


class ExactCheck(beam.DoFn):
    """Jaccard / containment (and the figure guard) on the shingle sets of candidate pairs, a batch at a time;
    emits the matched edges of each batch as arrays (pairs, rule codes, scores): a few objects to pickle and
    size instead of a tuple per edge. The sets of the candidates (only) are read once per worker from the shard
    and index files, straight into this DoFn's memory, back to back in one array."""

    CHUNK = 256  # pairs judged at once: their keys stay in cache (2,048 took 1.6x the CPU on bench/synth pairs)

    def __init__(self, cfg: nd.NearDupConfig):
        self.cfg = cfg
        self.ids = None
        self.checked = Metrics.counter(STAGE, "candidate_pairs")
        self.matched = Metrics.counter(STAGE, "matched_pairs")  # near-duplicates and figure conflicts

    def _load(self, paths, wanted):
        shingles = load_shingles(sorted(paths), wanted)
        self.ids = np.array(sorted(shingles), dtype=np.int64)
        sets = [shingles[i] for i in self.ids.tolist()]
        self.offsets = np.concatenate(([0], np.cumsum([len(x) for x in sets]))).astype(np.int64)
        self.values = np.concatenate(sets) if sets else np.empty(0, dtype=np.uint32)
        self.judged = np.empty(0, dtype=np.int64)

    def _index(self, ids):
        at = np.minimum(np.searchsorted(self.ids, ids), self.ids.size - 1)
        return at, self.ids[at] == ids

    def process(self, batch, paths, wanted):
        if self.ids is None:
            self._load(paths, wanted)
        if self.ids.size == 0:
            return
        ia, known_a = self._index(batch[:, 2])
        ib, known_b = self._index(batch[:, 5])
        # A near-copy shares most bands with its original, so the same pair arrives once per shared band:
        # judge it once.
        keys = ia.astype(np.int64) << 32 | ib
        keys, first = np.unique(keys, return_index=True)
        fresh = ~np.isin(keys, self.judged, assume_unique=True) & (known_a & known_b)[first]
        take = first[fresh]
        rows, ia, ib = batch[take], ia[take], ib[take]
        self.judged = np.union1d(self.judged, keys[fresh])
        self.checked.inc(len(rows))
        codes, scores = np.zeros(len(rows), dtype=np.int8), np.zeros(len(rows))
        for start in range(0, len(rows), self.CHUNK):
            chunk = slice(start, start + self.CHUNK)
            codes[chunk], scores[chunk] = nd.judge_pair_batch(
                self.values, self.offsets, ia[chunk], ib[chunk], (rows[chunk, 4] - rows[chunk, 1]) / 1e6, self.cfg)
        hits = np.flatnonzero(codes)
        if hits.size:
            self.matched.inc(hits.size)
            yield rows[hits], codes[hits], scores[hits]


def components(batches: list):
    """All judged edges, as ExactCheck's (pairs, rule codes, scores) arrays -> (article_id, (survivor_id, rule,
    similarity)) for each dropped current article."""
    edges = []
    for rows, codes, scores in batches:
        for row, code, score in zip(rows.tolist(), codes.tolist(), scores.tolist()):
            edges.append((tuple(row[:3]), tuple(row[3:]), nd.RULES[code], score))
    for member, (survivor, rule, score) in nd.resolve_edges(edges).items():
        if member[0] != 0:  # a current article (published ones are never dropped)
            yield nd.node_article_id(member), (nd.node_article_id(survivor), rule, round(float(score), 4))


class NearDupDrops(beam.PTransform):
    """Inputs: `bands` ((band, chunk) from near_dup.BandChunks, for the current articles), `shard_paths` (files
    with article_id and shingle_hashes), and optionally the same two for published history.
    Output: (article_id, (survivor_id, rule, similarity)) for every dropped current article."""

    def __init__(self, cfg: nd.NearDupConfig, shard_paths, history_bands=None, history_paths=None):
        super().__init__()
        self.cfg = cfg
        self.shard_paths, self.history_bands, self.history_paths = shard_paths, history_bands, history_paths

    def expand(self, bands):
        cfg = self.cfg
        if self.history_bands is not None:
            bands = (bands, self.history_bands) | "WithHistory" >> beam.Flatten()
        pairs = (
            bands
            | "GroupByBand" >> beam.GroupByKey()
            | "BandPairs" >> beam.ParDo(BandPairs(cfg))
        )
        wanted = pairs | "CandidateIds" >> beam.CombineGlobally(CandidateIds())
        files = self.shard_paths
        if self.history_paths is not None:
            files = (files, self.history_paths) | "AllFingerprintFiles" >> beam.Flatten()
        return (
            pairs
            | "ExactCheck" >> beam.ParDo(ExactCheck(cfg), pvalue.AsList(files), pvalue.AsSingleton(wanted))
            | "AllEdges" >> beam.combiners.ToList()
            | "ConnectedComponents" >> beam.FlatMap(components)
        )
