"""Evaluate article extraction on JSONL {id, url, html, gold_text} (+ gold_title, gold_published, snippet lists).

Scores 4-word-shingle P/R/F1 (pipelines.core.text_metrics) for records with a full gold text, snippet
P/R/F1 (trafilatura-eval style: `gold_with` must appear, `gold_without` must not) for snippet records,
and title / published-date accuracy where gold values exist. `--extractor trafilatura` (or `readability`:
readability-lxml, `resiliparse`: its main-content mode) scores that tool on the same pages for comparison.
`--language` instead scores the language the extractor writes against each page's declared `<html lang>` and counts how often the text overrides the declaration; declarations are
sometimes wrong, so disagreements are listed.

Usage: python -m pipelines.evaluation.extraction_eval --data DEV.jsonl [--split dev|heldout|all]
       [--extractor ours|pipeline|trafilatura|trafilatura-default|readability|resiliparse]
       [--compare (same choices)] [--per-page] [--language]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from pathlib import Path

from pipelines.core.extraction import ExtractionError, extract_article
from pipelines.core.extraction.metadata import to_iso_utc
from pipelines.core.text_metrics import prf_counts, shingle_prf

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"\W+")


def read_jsonl(path: Path):
    """The records of a JSONL file, gzip-compressed when its name ends in .gz."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def run_ours(rec: dict) -> dict:
    try:
        art = extract_article(rec["html"], url=rec.get("url"))
    except ExtractionError as err:
        return {"text": "", "title": "", "published": None, "error": err.reason}
    return {"text": art.text, "title": art.title, "published": art.published_at, "authors": art.authors,
            "error": None}


def run_pipeline(rec: dict) -> dict:
    """What the job writes for the page: the extractor, then the shared cleaner on the extracted text."""
    from pipelines.core.cleaning import clean_article

    out = run_ours(rec)
    if out["error"] is None:
        cleaned = clean_article(out["text"], title=out["title"] or None, bounded=True)
        out = dict(out, text=cleaned.text)
    return out


def _failed(tool: str, err: Exception) -> dict:
    """A reference tool failing on a page (resiliparse on a lone surrogate) scores as empty output, counted."""
    return {"text": "", "title": "", "published": None, "error": f"{tool}:{type(err).__name__}"}


def run_trafilatura(rec: dict, precision: bool = True) -> dict:
    import trafilatura  # comparison only; imported lazily so the eval runs without it

    try:
        text = trafilatura.extract(rec["html"], url=rec.get("url"), favor_precision=precision,
                                   include_comments=False, deduplicate=False) or ""
        meta = trafilatura.extract_metadata(rec["html"], default_url=rec.get("url"))
    except Exception as err:  # noqa: BLE001 - see _failed
        return _failed("trafilatura", err)
    authors = [a.strip() for a in ((meta.author if meta else None) or "").split(";") if a.strip()]
    return {"text": text, "title": (meta.title if meta else "") or "",
            "published": (meta.date if meta else None), "authors": authors, "error": None}


def run_readability(rec: dict) -> dict:
    """readability-lxml: its article HTML, turned to text the way the dev-set builder turns gold HTML."""
    from readability import Document  # comparison only

    try:
        doc = Document(rec["html"], url=rec.get("url"))
        return {"text": html_to_text(doc.summary(html_partial=True)), "title": doc.short_title() or "",
                "published": None, "error": None}
    except Exception as err:  # noqa: BLE001 - see _failed
        return _failed("readability", err)


def run_resiliparse(rec: dict) -> dict:
    """resiliparse's main-content mode; bullets and alt texts off (neither is in any gold text)."""
    from resiliparse.extract.html2text import extract_plain_text  # comparison only
    from resiliparse.parse.html import HTMLTree

    try:
        tree = HTMLTree.parse(rec["html"])
        text = extract_plain_text(tree, main_content=True, preserve_formatting=True, list_bullets=False,
                                  alt_texts=False, links=False, form_fields=False, noscript=False, comments=False)
        title = tree.title or ""
    except Exception as err:  # noqa: BLE001 - see _failed
        return _failed("resiliparse", err)
    return {"text": text, "title": title, "published": None, "error": None}


EXTRACTORS = {
    "ours": run_ours,
    "pipeline": run_pipeline,
    "trafilatura": run_trafilatura,
    "trafilatura-default": lambda r: run_trafilatura(r, precision=False),
    "readability": run_readability,
    "resiliparse": run_resiliparse,
}

_BLOCKS = frozenset({"p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                     "pre", "td", "th", "tr", "table", "ul", "ol", "dd", "dt", "figure", "figcaption", "br", "hr",
                     "header"})


def html_to_text(html: str) -> str:
    """Plain text of an article HTML fragment, one paragraph per block element: how gold HTML becomes gold
    text, and how an HTML-returning reference tool's output is scored."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    parts, buf = [], []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if buf:
                parts.append(" ".join("".join(buf).split()))
                buf = []
            continue
        tag = node.tag
        if tag == "-text":
            buf.append(node.text_content or "")
            continue
        if tag in ("script", "style") or tag.startswith("-"):
            continue
        if tag in _BLOCKS:
            stack.append("flush")
        child = node.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
        if tag in _BLOCKS:
            stack.append("flush")
    if buf:
        parts.append(" ".join("".join(buf).split()))
    return "\n\n".join(p for p in parts if p)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def snippet_counts(text: str, with_: list[str], without: list[str]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn): wanted snippets found / missed, unwanted snippets found / absent."""
    norm = _norm(text)
    tp = sum(1 for s in with_ if _norm(s) in norm)
    fp = sum(1 for s in without if _norm(s) in norm)
    return tp, len(with_) - tp, fp, len(without) - fp


def _fold(text: str) -> str:
    """Lowercase words joined by single spaces: punctuation and case do not decide a match."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def title_match(predicted: str, gold: str) -> bool:
    return _fold(predicted) == _fold(gold)


def authors_match(predicted: list[str] | None, gold: str) -> bool:
    """Every predicted author name appears in the gold byline (case and punctuation folded), and there is one.
    Gold bylines are the test suite's own (Readability's), so a missing second author is not counted and a
    name with a date glued on is."""
    folded = f" {_fold(gold)} "
    names = [_fold(n) for n in predicted or []]
    return bool(names) and all(n and f" {n} " in folded for n in names)


def date_match(predicted: str | None, gold: str) -> bool:
    """Same UTC calendar day (we emit UTC; gold dates often carry a local offset or only a day)."""
    gold_utc = to_iso_utc(str(gold)) or str(gold)
    return bool(predicted) and str(predicted)[:10] == gold_utc[:10]


def language_agreement(records) -> dict:
    """The language rule as the job runs it (extract_article's written `language`) against each page's own
    `<html lang>`, on pages that declare one and extract cleanly: how often the text overrides the
    declaration (`overridden`) and which pages end with another language than they declare."""
    from selectolax.lexbor import LexborHTMLParser

    from pipelines.core.extraction.html import RULES
    from pipelines.core.extraction.language import same_language
    from pipelines.core.extraction.metadata import html_lang

    agree, overridden, disagreements = 0, 0, []
    for rec in records:
        declared = html_lang(LexborHTMLParser(rec["html"]))
        if declared is None:
            continue
        try:
            art = extract_article(rec["html"], url=rec.get("url"))
        except ExtractionError:
            continue
        overridden += art.provenance.get("language") == "text"
        if same_language(art.language, declared, RULES.language_aliases):
            agree += 1
        else:
            disagreements.append({"id": rec["id"], "declared": declared, "written": art.language,
                                  "source": art.provenance.get("language"), "text": art.text[:80]})
    n = agree + len(disagreements)
    return {"n": n, "agree": agree, "accuracy_vs_declared": agree / n if n else 0.0, "overridden": overridden,
            "override_rate": overridden / n if n else 0.0, "disagreements": disagreements}


def evaluate(records, extractor) -> dict:
    pages, f1s, snip = [], [], [0, 0, 0, 0]
    micro = [0, 0, 0]
    titles, dates, bylines, errors = [], [], [], {}
    for rec in records:
        out = extractor(rec)
        if out["error"]:
            errors[out["error"]] = errors.get(out["error"], 0) + 1
        row = {"id": rec["id"], "error": out["error"]}
        if rec.get("gold_kind", "full") == "snippets":
            counts = snippet_counts(out["text"], rec.get("gold_with", []), rec.get("gold_without", []))
            snip = [a + b for a, b in zip(snip, counts)]
            row["snippets"] = counts
        else:
            score = shingle_prf(out["text"], rec["gold_text"])
            micro = [micro[0] + score.overlap, micro[1] + score.predicted, micro[2] + score.reference]
            f1s.append(score.f1)
            row.update(p=round(score.precision, 3), r=round(score.recall, 3), f1=round(score.f1, 3))
        if rec.get("gold_title"):
            titles.append(title_match(out["title"], rec["gold_title"]))
            row["title_ok"] = titles[-1]
        if rec.get("gold_byline") and "authors" in out:
            bylines.append(authors_match(out["authors"], rec["gold_byline"]))
            row["authors_ok"] = bylines[-1]
        if rec.get("gold_published"):
            dates.append(date_match(out["published"], rec["gold_published"]))
            row["date_ok"] = dates[-1]
        pages.append(row)
    result = {"pages": pages, "errors": errors, "n": len(pages)}
    if f1s:
        total = prf_counts(*micro)
        result["shingle"] = {"n": len(f1s), "macro_f1": statistics.fmean(f1s), "median_f1": statistics.median(f1s),
                             "micro_p": total.precision, "micro_r": total.recall, "micro_f1": total.f1}
    if any(snip):
        tp, fn, fp, tn = snip
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        result["snippets"] = {"tp": tp, "fn": fn, "fp": fp, "tn": tn, "precision": p, "recall": r,
                              "f1": 2 * p * r / (p + r) if p + r else 0.0}
    if titles:
        result["title_accuracy"] = {"n": len(titles), "accuracy": sum(titles) / len(titles)}
    if bylines:
        result["authors_accuracy"] = {"n": len(bylines), "accuracy": sum(bylines) / len(bylines)}
    if dates:
        result["published_accuracy"] = {"n": len(dates), "accuracy": sum(dates) / len(dates)}
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", dest="path", required=True, help="the labelled JSONL file")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    ap.add_argument("--source", default=None, help="only records whose `source` equals this")
    ap.add_argument("--extractor", choices=sorted(EXTRACTORS), default="ours",
                    help="ours: the extractor alone; pipeline: extractor + the shared cleaner, as the job runs them")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--language", action="store_true",
                    help="score the written language against each page's declared <html lang> and stop")
    ap.add_argument("--compare", choices=sorted(EXTRACTORS), default=None,
                    help="also score this extractor on the same records and print both summaries side by side")
    args = ap.parse_args(argv)
    records = [r for r in read_jsonl(Path(args.path))
               if (args.split == "all" or r.get("split", "dev") == args.split)
               and (args.source is None or r.get("source") == args.source)]
    if args.language:
        print(json.dumps(language_agreement(records), indent=1, ensure_ascii=False))
        return 0
    result = evaluate(records, EXTRACTORS[args.extractor])
    if args.per_page:
        for row in result["pages"]:
            print(json.dumps(row, ensure_ascii=False))
    summary = {k: v for k, v in result.items() if k != "pages"}
    summary.update(extractor=args.extractor, split=args.split, source=args.source)
    print(json.dumps(summary, indent=1, sort_keys=True))
    if args.compare:
        other = evaluate(records, EXTRACTORS[args.compare])
        print(json.dumps({"split": args.split, "side_by_side": {args.extractor: headline(result),
                                                                args.compare: headline(other)}}, indent=1))
    return 0


def headline(result: dict) -> dict:
    """The comparable numbers of one evaluate() result."""
    out = {"errors": sum(result.get("errors", {}).values())}
    if "shingle" in result:
        out["shingle_micro_f1"] = round(result["shingle"]["micro_f1"], 4)
        out["shingle_macro_f1"] = round(result["shingle"]["macro_f1"], 4)
    if "snippets" in result:
        out["snippet_f1"] = round(result["snippets"]["f1"], 4)
    for key in ("title_accuracy", "authors_accuracy", "published_accuracy"):
        if key in result:
            out[key] = round(result[key]["accuracy"], 3)
    return out


if __name__ == "__main__":
    sys.exit(main())
