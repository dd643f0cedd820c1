"""Blind audit of the topic tagger on modern (2020s) real text, for all seven named topics.

Why: every other topic figure comes from Reuters-21578, 1987 wire text whose held-out positives for
trade-tariffs are nearly all seen by now, and which has almost nothing on AI, chips or 5G. Users tag
today's news. This audit labels two modern corpora from ../shared/data against the issue 5 definitions:

  scoop  - dedup-dev/scoop: 2026 news items (AI, world, China), title + short body; one item per story
           (the set's own story ids), so copies of one story are not counted twice
  pages  - extraction-dev/mozilla-readability: real web pages (news and blogs); the text is the page's
           gold article (Readability's output) and title, fixed, so labels do not drift with our extractor

Each doc falls in the "tune" or "test" half by a stable hash of its story id. Tuning the taxonomy may use
the tune half's errors only; the test half is the held-out estimate and its per-doc errors are printed
only on request (--errors test), for the closing check.

    python bench/topic_audit_modern.py --dump DIR      # DIR/modern_scoop.txt, DIR/modern_pages.txt: id, title, text
    python bench/topic_audit_modern.py --list          # doc id, corpus, half, characters
    python bench/topic_audit_modern.py --audit [--errors tune|test|none] [--taxonomy FILE]

Labels live in bench/topic_audit_modern_labels.py and are written from the dump alone (no tagger output).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.build_extraction_devset import DEFAULT_DATA as EXTRACTION_DEV, mozilla_records  # noqa: E402
from bench.build_dedup_devset import SCOOP  # noqa: E402
from bench.build_topics_devset import NAMED  # noqa: E402

SEED = 20261129
TOPICS = tuple(NAMED)


def half_of(group: str) -> str:
    return "test" if int(hashlib.sha1(f"modern:{group}".encode()).hexdigest(), 16) % 2 else "tune"


def load_scoop(root: Path = SCOOP) -> list[dict]:
    """One item per story: the first file (by path) of each story id in the set's ground truth."""
    first: dict[str, str] = {}
    with (root / "ground_truth/dedup_ground_truth_items.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            path = row["file"].removeprefix("testdata/")
            if row["story_gt_id"] not in first or path < first[row["story_gt_id"]]:
                first[row["story_gt_id"]] = path
    docs = []
    for story, path in sorted(first.items()):
        item = json.loads((root / path).read_text(encoding="utf-8"))
        docs.append({"id": f"scoop/{story}", "corpus": "scoop", "group": story,
                     "title": (item.get("title") or "").strip(), "text": (item.get("body_text") or "").strip()})
    return docs


def load_pages(root: Path = EXTRACTION_DEV) -> list[dict]:
    docs = []
    for rec in mozilla_records(root):
        docs.append({"id": rec["id"], "corpus": "pages", "group": rec["id"],
                     "title": (rec.get("gold_title") or "").strip(), "text": rec["gold_text"].strip()})
    return docs


def load_all() -> list[dict]:
    docs = load_scoop() + load_pages()
    for d in docs:
        d["half"] = half_of(d["group"])
    return docs


def dump(docs: list[dict], out_dir: Path) -> None:
    """Id, title and text of each doc, shuffled per corpus; nothing else (no half, no tagger output)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for corpus in ("scoop", "pages"):
        chosen = [d for d in docs if d["corpus"] == corpus]
        random.Random(f"{SEED}:{corpus}").shuffle(chosen)
        with (out_dir / f"modern_{corpus}.txt").open("w", encoding="utf-8") as out:
            for n, d in enumerate(chosen, 1):
                out.write(f"===== [{n}] {d['id']}\nTITLE: {d['title']}\n{d['text']}\n\n")
        print(f"{out_dir / f'modern_{corpus}.txt'}: {len(chosen)} docs")


def _borderline(labels: dict, negatives: dict, doc_id: str, topic: str) -> bool:
    """A close call either way: a positive whose reason says so, or a negative listed for the topic."""
    if topic in labels[doc_id]:
        return labels[doc_id][topic].lower().startswith("borderline")
    return topic in negatives.get(doc_id, ())


def audit(docs: list[dict], errors: str = "tune", taxonomy: Path | None = None, out=None) -> int:
    """Tagger vs blind labels, per topic and half; errors of the chosen half with their evidence."""
    from bench import topic_audit_modern_labels as tml
    from bench.topic_audit import _fmt, score, wilson
    from pipelines.core.topics import TopicMatcher, load_taxonomy

    out = out or sys.stdout
    labelled = [d for d in docs if d["id"] in tml.LABELS]
    if len(labelled) < len(docs):
        print(f"{len(docs) - len(labelled)} docs unlabelled, left out", file=out)
    matcher = TopicMatcher(load_taxonomy(taxonomy))
    cands = {d["id"]: matcher.explain(d["title"], d["text"]) for d in labelled}
    print(f"taxonomy {matcher.taxonomy.version}; {len(labelled)} labelled modern docs "
          f"({sum(d['half'] == 'tune' for d in labelled)} tune, {sum(d['half'] == 'test' for d in labelled)} test)",
          file=out)
    print(f"\n{'topic':<24} {'half':<5} {'pos':>4} {'tp':>4} {'fp':>4} {'fn':>4}  {'P':>5} [Wilson]      "
          f"{'R':>5} [Wilson]      F1     flipped-borderline P/R", file=out)
    wrong = []
    for topic in TOPICS:
        for half in ("tune", "test", "all"):
            rows = []
            for d in labelled:
                if half != "all" and d["half"] != half:
                    continue
                c = cands[d["id"]].get(topic)
                gold, pred = int(topic in tml.LABELS[d["id"]]), int(bool(c and c.tagged))
                flip = _borderline(tml.LABELS, tml.BORDERLINE_NEGATIVES, d["id"], topic)
                rows.append((d, gold, pred, flip))
                if half == errors and gold != pred:
                    wrong.append((topic, "FP" if pred else "FN", d, c))
            sc = score([(1.0, g, p) for _, g, p, _ in rows])
            fl = score([(1.0, 1 - g if f else g, p) for _, g, p, f in rows])
            pw, rw = wilson(sc.tp, sc.tp + sc.fp), wilson(sc.tp, sc.tp + sc.fn)
            print(f"{topic:<24} {half:<5} {int(sc.tp + sc.fn):>4} {int(sc.tp):>4} {int(sc.fp):>4} {int(sc.fn):>4}  "
                  f"{_fmt(sc.precision)} [{_fmt(pw[0])}-{_fmt(pw[1])}]  {_fmt(sc.recall)} [{_fmt(rw[0])}-"
                  f"{_fmt(rw[1])}]  {_fmt(sc.f1)}  {_fmt(fl.precision)}/{_fmt(fl.recall)}", file=out)
    if wrong:
        print(f"\nerrors in the {errors} half (topic, kind, id, title, score, evidence, label reason):", file=out)
        for topic, kind, d, c in sorted(wrong, key=lambda w: (w[0], w[1], w[2]["id"])):
            ev = ", ".join(f"{e.phrase!r}@{e.field}" for e in (c.evidence[:6] if c else [])) or "-"
            why = tml.LABELS[d["id"]].get(topic) or tml.NOTES.get(d["id"], "")
            print(f"  {topic} {kind} {d['id']} {d['title'][:70]!r} score {c.score if c else 0}: {ev}"
                  + (f"\n      label: {why}" if why else ""), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, help="write modern_scoop.txt and modern_pages.txt into this dir")
    ap.add_argument("--list", action="store_true", help="print doc id, corpus, half, characters")
    ap.add_argument("--audit", action="store_true", help="score the tagger against the blind labels")
    ap.add_argument("--errors", choices=("tune", "test", "none"), default="tune",
                    help="whose per-doc errors to print (test: only for the closing check)")
    ap.add_argument("--taxonomy", type=Path, help="score this taxonomy file instead of the default")
    args = ap.parse_args(argv)
    if not SCOOP.exists():
        print(f"{SCOOP} not found: this audit needs ../shared/data", file=sys.stderr)
        return 2
    docs = load_all()
    if args.dump:
        dump(docs, args.dump)
    if args.list:
        for d in docs:
            print(f"{d['id']}\t{d['corpus']}\t{d['half']}\t{len(d['title']) + len(d['text'])}")
    if args.audit:
        return audit(docs, args.errors, args.taxonomy)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
