"""Pairwise precision/recall of near-duplicate detection on a labelled JSONL set ({id, cluster, text})."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from pipelines.core.near_dup import NearDupConfig, find_near_duplicates, load_config


def read_rows(path: str | Path) -> list[dict]:
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def evaluate(rows: list[dict], cfg: NearDupConfig) -> dict:
    """Run the Beam-free near-dup pass and score it against the `cluster` labels."""
    items = [(r["id"], r.get("scraped_at", ""), r["text"]) for r in rows]
    started = time.perf_counter()
    dropped = find_near_duplicates(items, cfg)
    seconds = time.perf_counter() - started

    truth = {r["id"]: r["cluster"] for r in rows}
    predicted = {r["id"]: dropped[r["id"]][0] if r["id"] in dropped else r["id"] for r in rows}
    true_pairs = _pairs(Counter(truth.values()).values())
    predicted_pairs = _pairs(Counter(predicted.values()).values())
    both = _pairs(Counter((truth[i], predicted[i]) for i in truth).values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    kept = Counter(truth[i] for i in truth if i not in dropped)
    clusters = set(truth.values())
    wrongly_dropped = [i for i, (survivor, *_) in dropped.items() if truth[survivor] != truth[i]]

    # Per case: a row is "caught" when it shares a component with its own story,
    # "merged" when it shares one with another story.
    components = defaultdict(set)
    for i, comp in predicted.items():
        components[comp].add(i)
    story_size = Counter(truth.values())
    by_case = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        i, stats = r["id"], by_case[r.get("case", "all")]
        peers = components[predicted[i]] - {i}
        stats[0] += 1
        if story_size[truth[i]] > 1:
            stats[1] += 1
            stats[2] += any(truth[p] == truth[i] for p in peers)
        stats[3] += any(truth[p] != truth[i] for p in peers)
    return {
        "articles": len(rows), "clusters": len(clusters), "seconds": seconds,
        "precision": precision, "recall": recall, "f1": f1,
        "true_pairs": true_pairs, "predicted_pairs": predicted_pairs,
        "one_kept_share": sum(kept[c] == 1 for c in clusters) / len(clusters) if clusters else 1.0,
        "wrongly_dropped": len(wrongly_dropped), "stories_lost": sum(kept[c] == 0 for c in clusters),
        "rules": dict(Counter(rule for _, rule, _ in dropped.values())),
        "by_case": {k: tuple(v) for k, v in sorted(by_case.items())},
        "wrong_examples": sorted(wrongly_dropped)[:10],
    }


def _override(cfg: NearDupConfig, settings: list[str]) -> NearDupConfig:
    changes = {}
    for setting in settings:
        key, _, value = setting.partition("=")
        current = getattr(cfg, key)
        changes[key] = type(current)(value)
    return replace(cfg, **changes)


def report(result: dict, cfg: NearDupConfig) -> str:
    lines = [
        f"config {cfg.version}: {cfg.bands}x{cfg.rows} bands, jaccard>={cfg.jaccard_threshold}, "
        f"containment>={cfg.containment_threshold}, shingles={cfg.shingle_size}",
        f"articles {result['articles']}  clusters {result['clusters']}  "
        f"({result['articles'] / max(result['seconds'], 1e-9):.0f} articles/s end to end)",
        f"pairwise precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}"
        f"  (true pairs {result['true_pairs']}, predicted pairs {result['predicted_pairs']})",
        f"clusters keeping exactly one article {result['one_kept_share']:.4f}",
        f"distinct articles wrongly dropped {result['wrongly_dropped']}  (stories with nothing kept: "
        f"{result['stories_lost']})",
        f"drops by rule {result['rules']}",
        f"{'case':<22}{'rows':>7}{'in dup story':>14}{'caught':>9}{'merged w/ other':>17}",
    ]
    for case, (n, dup, caught, merged) in result["by_case"].items():
        share = f"{caught / dup:.3f}" if dup else "-"
        lines.append(f"{case:<22}{n:>7}{dup:>14}{share:>9}{merged:>17}")
    if result["wrong_examples"]:
        lines.append(f"wrongly dropped (first ids): {', '.join(result['wrong_examples'])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", dest="path", required=True, help="the labelled JSONL file")
    parser.add_argument("--config", help="near_dup YAML (default: pipelines/rules/near_dup.yaml)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one config value, e.g. --set bands=16 --set rows=8 --set num_perm=128")
    args = parser.parse_args(argv)
    cfg = _override(load_config(args.config), args.set)
    print(report(evaluate(read_rows(args.path), cfg), cfg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
