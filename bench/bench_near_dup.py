"""Signatures + LSH band keys per second on one core for ~300-word articles; prints a table of medians.

The pipeline tokenises once for the content hash and near-dup (articles.py), so "shingles" starts from tokens;
"total" includes tokenising. "batch of 256" is tokenising plus near_dup.fingerprints_of_tokens on 256 articles at
a time and the band keys: the same values as "total", for a stage that holds a batch of rows.

    python bench/bench_near_dup.py [--articles 2000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from pipelines.core import near_dup as nd

BATCH = nd.FINGERPRINT_BATCH  # as the job batches them
REUTERS = Path("/work/shared/data/reuters21578-train/train.jsonl")


def corpus(n: int, words: int = 300) -> list[str]:
    """~300-word articles: real wire text when available, else a seeded synthetic vocabulary."""
    texts = []
    if REUTERS.exists():
        pool = []
        with REUTERS.open() as fh:
            for line in fh:
                pool.extend((json.loads(line).get("body") or "").split())
                if len(pool) > n * words:
                    break
        texts = [" ".join(pool[i * words:(i + 1) * words]) for i in range(n) if (i + 1) * words <= len(pool)]
    if len(texts) < n:
        rng = random.Random(0)
        vocab = [f"w{i}" for i in range(20000)] + [str(i) for i in range(1000)]
        texts += [" ".join(rng.choices(vocab, k=words)) for _ in range(n - len(texts))]
    return texts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    cfg = nd.load_config()
    texts = corpus(args.articles)
    for text in texts[:20]:  # warm-up
        nd.shingle_hashes(text, cfg)
    steps = {"tokenize": [], "shingles": [], "signature": [], "band_keys": [], "total": [],
             f"batch of {BATCH}": []}
    for _ in range(args.repeats):
        tz = time.perf_counter()
        tokens = [nd.tokenize(t) for t in texts]
        t0 = time.perf_counter()
        hashes = [nd.shingle_hashes_of_tokens(t, cfg) for t in tokens]
        t1 = time.perf_counter()
        sigs = [nd.signature(h, cfg) for h in hashes]
        t2 = time.perf_counter()
        for s in sigs:
            nd.band_keys(s, cfg)
        t3 = time.perf_counter()
        for start in range(0, len(tokens), BATCH):  # shingles + band digests of a batch in one call
            for digests in nd.fingerprints_of_tokens(tokens[start:start + BATCH], cfg)[1]:
                nd.digests_to_keys(digests)
        t4 = time.perf_counter()
        for name, seconds in zip(steps, (t0 - tz, t1 - t0, t2 - t1, t3 - t2, t3 - tz, t4 - t3 + t0 - tz)):
            steps[name].append(seconds)
    n = len(texts)
    print(f"{n} articles x {args.repeats} runs, config {cfg.version} ({cfg.bands}x{cfg.rows}), one core, medians")
    print(f"{'step':<16}{'us/article':>12}{'articles/s':>12}")
    for name, runs in steps.items():
        median = statistics.median(runs)
        print(f"{name:<16}{median / n * 1e6:>12.1f}{n / median:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
