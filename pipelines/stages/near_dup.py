"""NearDupArticles: drop near-copies (MinHash LSH candidates, exact shingle check) keeping one survivor per story."""

from __future__ import annotations

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics

from pipelines.core import near_dup as nd

STAGE = "near_dup"

# Grouping stages carry only fingerprints: (node, band keys, shingle-hash bytes). A node
# is its survivor sort key (0 for history / 1 for new, scraped_at, article_id), so a
# re-scraped id never collides with its own published fingerprint and nodes sort in
# survivor order; history nodes are never output.


def article_fingerprint(article: dict, cfg: nd.NearDupConfig) -> tuple:
    hashes = nd.shingle_hashes(article.get("text", ""), cfg)
    node = nd.survivor_order(article["article_id"], article.get("scraped_at", ""))
    return node, nd.lsh_keys(hashes, cfg), hashes.tobytes()


def history_fingerprint(row: dict, cfg: nd.NearDupConfig) -> tuple:
    """A fingerprint-index row (see nd.fingerprint_rows); band keys are recomputed if built by another config."""
    hashes = np.asarray(row["shingle_hashes"], dtype=np.uint64)
    keys = row.get("band_keys")
    if keys is None or row.get("near_dup_version") != cfg.version:
        keys = nd.lsh_keys(hashes, cfg)
    node = nd.survivor_order(row["article_id"], row.get("scraped_at", ""), True)
    return node, list(keys), hashes.tobytes()


class CandidatePairs(beam.DoFn):
    """All pairs of one LSH bucket (bounded by cfg.max_bucket_size); two history rows are never paired."""

    def __init__(self, cfg: nd.NearDupConfig):
        self.cfg = cfg
        self.large_buckets = Metrics.counter(STAGE, "large_buckets")

    def process(self, keyed):
        _, members = keyed
        members = sorted(set(members))
        if len(members) > self.cfg.max_bucket_size:
            self.large_buckets.inc()
        for a, b in nd.candidate_pairs(members, self.cfg):
            if a[0] or b[0]:
                yield a, b


class ExactCheck(beam.DoFn):
    """Jaccard / containment on the full shingle sets of a candidate pair; emits matching edges."""

    def __init__(self, cfg: nd.NearDupConfig):
        self.cfg = cfg
        self.checked = Metrics.counter(STAGE, "candidate_pairs")
        self.matched = Metrics.counter(STAGE, "matched_pairs")

    def process(self, keyed):
        _, grouped = keyed
        fps = list(grouped["fp"])
        if not fps:
            return
        order_b, hashes_b = fps[0]
        for a, order_a, hashes_a in grouped["half"]:
            self.checked.inc()
            jaccard, containment = nd.similarity(np.frombuffer(hashes_a, dtype=np.uint64),
                                                 np.frombuffer(hashes_b, dtype=np.uint64))
            rule = nd.match_rule(jaccard, containment, self.cfg)
            if rule:
                self.matched.inc()
                yield order_a, order_b, rule, nd.rule_score(rule, jaccard, containment)


def attach_first(keyed):
    """(a, {pair: [b...], fp: [(order, hashes)]}) -> (b, (a, order_a, hashes_a)) for every pair."""
    a, grouped = keyed
    fps = list(grouped["fp"])
    if fps:
        order_a, hashes_a = fps[0]
        for b in grouped["pair"]:
            yield b, (a, order_a, hashes_a)


def components(edges: list):
    """All match edges -> (article_id, (survivor_id, rule, similarity)) for each dropped current article."""
    best, pairs, order = {}, [], {}
    for order_a, order_b, rule, score in edges:
        pairs.append((order_a, order_b))
        for o in (order_a, order_b):
            order[o] = o
            best[o] = max(best.get(o, (score, rule)), (score, rule))
    for member, survivor in nd.cluster(pairs, order).items():
        is_current = member[0] == 1
        if member != survivor and is_current:
            score, rule = best[member]
            yield member[2], (survivor[2], rule, score)


class SplitSurvivors(beam.DoFn):
    """Re-join by id: articles without a drop go to survivors, the rest to the duplicates ledger."""

    def __init__(self):
        self.kept = Metrics.counter(STAGE, "survivors")

    def process(self, keyed):
        _, grouped = keyed
        drops = list(grouped["drop"])
        for article in grouped["article"]:
            if not drops:
                self.kept.inc()
                yield article
                continue
            survivor, rule, score = drops[0]
            Metrics.counter(STAGE, f"dropped_{rule}").inc()
            yield beam.pvalue.TaggedOutput("duplicates", {
                "article_id": article["article_id"], "url": article.get("url", ""),
                "duplicate_of": survivor, "rule": rule, "similarity": round(float(score), 4)})


class NearDupArticles(beam.PTransform):
    """Articles in; `.survivors` (articles) and `.duplicates` (ledger rows) out.

    `history`: optional PCollection of fingerprint-index rows of published articles;
    a copy of one of them is dropped, and history rows are never output.
    """

    def __init__(self, cfg: nd.NearDupConfig | None = None, history=None, label=None):
        super().__init__(label)
        self.cfg = cfg or nd.load_config()
        self.history = history

    def expand(self, articles):
        cfg = self.cfg
        fingerprints = articles | "Fingerprint" >> beam.Map(article_fingerprint, cfg)
        if self.history is not None:
            published = self.history | "HistoryFingerprints" >> beam.Map(history_fingerprint, cfg)
            fingerprints = (fingerprints, published) | "AllFingerprints" >> beam.Flatten()

        pairs = (fingerprints
                 | "BandKeys" >> beam.FlatMap(lambda fp: ((key, fp[0]) for key in fp[1]))
                 | "GroupByBand" >> beam.GroupByKey()
                 | "CandidatePairs" >> beam.ParDo(CandidatePairs(cfg))
                 | "DistinctPairs" >> beam.Distinct())
        shingles = fingerprints | "KeyShingles" >> beam.Map(lambda fp: (fp[0], (fp[0], fp[2])))

        first = ({"pair": pairs, "fp": shingles}
                 | "JoinFirst" >> beam.CoGroupByKey()
                 | "AttachFirst" >> beam.FlatMap(attach_first))
        drops = ({"half": first, "fp": shingles}
                 | "JoinSecond" >> beam.CoGroupByKey()
                 | "ExactCheck" >> beam.ParDo(ExactCheck(cfg))
                 | "AllEdges" >> beam.combiners.ToList()
                 | "ConnectedComponents" >> beam.FlatMap(components))

        return ({"article": articles | "KeyById" >> beam.Map(lambda a: (a["article_id"], a)), "drop": drops}
                | "RejoinArticles" >> beam.CoGroupByKey()
                | "SplitSurvivors" >> beam.ParDo(SplitSurvivors()).with_outputs("duplicates", main="survivors"))
