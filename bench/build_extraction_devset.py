"""Convert /work/shared/data/extraction-dev test pages into our eval JSONL ({id, url, html, gold_text, ...}).

Usage: python bench/build_extraction_devset.py OUT.jsonl [--data DIR] [--trafilatura all|newsish|none]
Each record gets split "dev" or "heldout" (stable hash of its id, 1 in 4 held out). Never write into the repo.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.core.extraction import decode_html  # noqa: E402
from pipelines.evaluation.extraction_eval import html_to_text  # noqa: E402 - gold and readability share it

DEFAULT_DATA = Path("/work/shared/data/extraction-dev")


def split_of(record_id: str) -> str:
    return "heldout" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 4 == 0 else "dev"


def mozilla_records(root: Path):
    pages = root / "mozilla-readability" / "test" / "test-pages"
    for page in sorted(p for p in pages.iterdir() if (p / "source.html").exists()):
        expected = page / "expected.html"
        if not expected.exists():
            continue
        meta_path = page / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        record_id = f"mozilla/{page.name}"
        record = {
            "id": record_id,
            "url": "http://fakehost/test/page.html",  # the suite's own fixed base URL
            "html": decode_html((page / "source.html").read_bytes(), None),
            "gold_text": html_to_text(expected.read_text(encoding="utf-8", errors="replace")),
            "gold_kind": "full",
            "source": "mozilla-readability",
            "split": split_of(record_id),
        }
        if meta.get("title"):
            record["gold_title"] = meta["title"]
        if meta.get("publishedTime"):
            record["gold_published"] = meta["publishedTime"]
        if meta.get("byline"):
            record["gold_byline"] = meta["byline"]
        if meta.get("lang"):
            record["gold_language"] = meta["lang"]
        yield record


def trafilatura_records(root: Path, which: str):
    base = root / "trafilatura-eval"
    source = base / ("evaldata_newsish_subset.json" if which == "newsish" else "tests/evaldata.json")
    entries = json.loads(source.read_text(encoding="utf-8"))
    for url, entry in entries.items():
        path = next((p for p in (base / "tests/eval" / entry["file"], base / "tests/cache" / entry["file"]) if p.exists()), None)
        if path is None:
            continue
        record_id = f"trafilatura/{entry['file']}"
        yield {
            "id": record_id,
            "url": url,
            "html": decode_html(path.read_bytes(), None),
            "gold_text": "\n\n".join(entry.get("with", [])),
            "gold_kind": "snippets",
            "gold_with": entry.get("with", []),
            "gold_without": entry.get("without", []),
            "source": "trafilatura-eval",
            "split": split_of(record_id),
        }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--trafilatura", choices=["all", "newsish", "none"], default="all")
    args = ap.parse_args(argv)
    root = Path(args.data)
    if not root.exists():
        print(f"data folder {root} not found", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        records = list(mozilla_records(root))
        if args.trafilatura != "none":
            records += list(trafilatura_records(root, args.trafilatura))
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            key = f"{record['source']}/{record['split']}"
            counts[key] = counts.get(key, 0) + 1
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
