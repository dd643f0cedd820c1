"""Build a cleaning dev set (JSONL) from /work/shared/data/extraction-dev by rendering pages the way a naive scraper does.

Usage: python bench/build_cleaning_devset.py [--data-root DIR] [--out-dir /tmp/cleaning-dev]
Writes readability.jsonl ({id, raw_text, gold_title, gold_text}) and trafilatura.jsonl
({id, raw_text, with, without}: snippet checks only). Output never goes into the repo.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

DEFAULT_ROOT = Path("/work/shared/data/extraction-dev")
REPO_ROOT = Path(__file__).resolve().parents[1]

# Invisible to a reader; a naive scraper drops these subtrees.
_SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "iframe", "object", "-comment"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
    "ul", "center", "option", "select", "menu", "legend",
}
_BLOCK_BREAK = "\x00"  # marks a block boundary while rendering; becomes a blank line
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def _hidden(node) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _walk(node, out: list[str], in_pre: bool = False) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            text = child.text_content or ""
            # Source newlines are whitespace except inside <pre>.
            out.append(text if in_pre else text.replace("\n", " "))
        elif tag in _SKIP:
            pass
        elif tag == "br":
            out.append("\n")
        elif tag == "img":
            pass
        elif _hidden(child):
            pass
        elif tag in _BLOCK:
            out.append(_BLOCK_BREAK)
            _walk(child, out, in_pre or tag == "pre")
            out.append(_BLOCK_BREAK)
        else:
            _walk(child, out, in_pre)
        child = child.next


def render_text(html: str) -> str:
    """Visible text: block elements on their own lines, a blank line between blocks."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    blocks = []
    for block in "".join(out).split(_BLOCK_BREAK):
        lines = [_SPACES.sub(" ", ln).strip() for ln in block.split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def readability_records(root: Path):
    pages = sorted((root / "mozilla-readability/test/test-pages").glob("*/"))
    for page in pages:
        src, exp, meta = page / "source.html", page / "expected.html", page / "expected-metadata.json"
        if not (src.exists() and exp.exists()):
            continue
        title = ""
        if meta.exists():
            title = (json.loads(meta.read_text(encoding="utf-8")).get("title") or "").strip()
        yield {
            "id": f"readability/{page.name}",
            "raw_text": render_text((src.read_text(encoding="utf-8", errors="replace"))),
            "gold_title": title,
            "gold_text": render_text((exp.read_text(encoding="utf-8", errors="replace"))),
        }


def trafilatura_records(root: Path):
    base = root / "trafilatura-eval"
    subset = json.loads((base / "evaldata_newsish_subset.json").read_text(encoding="utf-8"))
    for url, item in sorted(subset.items()):
        for folder in ("eval", "cache"):
            path = base / "tests" / folder / item["file"]
            if path.exists():
                break
        else:
            continue
        html = path.read_bytes().decode("utf-8", errors="replace")
        yield {
            "id": f"trafilatura/{item['file']}",
            "url": url,
            "raw_text": render_text((html)),
            "with": item.get("with", []),
            "without": item.get("without", []),
        }


def _write(records, path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--out-dir", type=Path, default=Path("/tmp/cleaning-dev"))
    args = parser.parse_args(argv)
    out_dir = args.out_dir.resolve()
    if out_dir == REPO_ROOT or REPO_ROOT in out_dir.parents:
        parser.error("refusing to write the dev set inside the repository")
    if not args.data_root.exists():
        parser.error(f"data root not found: {args.data_root}")
    out_dir.mkdir(parents=True, exist_ok=True)
    n1 = _write(readability_records(args.data_root), out_dir / "readability.jsonl")
    n2 = _write(trafilatura_records(args.data_root), out_dir / "trafilatura.jsonl")
    print(f"wrote {n1} readability records and {n2} trafilatura records to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
