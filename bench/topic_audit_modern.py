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

DATA = Path("/work/shared/data")
SCOOP = DATA / "dedup-dev/scoop/backend/testdata"
SEED = 20261129


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


def load_pages(root: Path = DATA / "extraction-dev") -> list[dict]:
    from bench.build_extraction_devset import mozilla_records
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, help="write modern_scoop.txt and modern_pages.txt into this dir")
    ap.add_argument("--list", action="store_true", help="print doc id, corpus, half, characters")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
