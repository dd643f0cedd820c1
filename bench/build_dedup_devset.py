"""Build labelled near-duplicate dev sets (JSONL {id, cluster, text, case, url, scraped_at}) from real wire text.

    python bench/build_dedup_devset.py reuters OUT.jsonl [--source .../train.jsonl] [--bases 800] [--seed 7]
    python bench/build_dedup_devset.py scoop OUT.jsonl [--root .../dedup-dev/scoop/backend/testdata]

`reuters` keeps real Reuters-21578 stories as distinct news (its recurring template stories
and same-day stories on one event are the hard negatives), labels its real same-title
retransmissions, and adds generated near-copies of sampled stories: syndicated copies
with site boilerplate, one-phrase retransmissions, corrections, truncations, updates with
a paragraph added, re-headlined rewrites; plus template copies with every figure changed
(a different story). Source texts are read at run time and never stored in the repo.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

SHARED = Path("/work/shared/data")
REUTERS = SHARED / "reuters21578-train" / "train.jsonl"
SCOOP = SHARED / "dedup-dev" / "scoop" / "backend" / "testdata"

_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
_WORDS = re.compile(r"\w+")

# Site chrome of the kind that survives extraction (written for this generator).
SITES = [
    ("dailyledger.example", "The Daily Ledger | Markets",
     "Sign up for our morning briefing. Copyright The Daily Ledger. All rights reserved. "
     "This article was syndicated from a wire service and may have been edited for length."),
    ("northwire.example", "NorthWire News - Business desk - Share this story",
     "Related coverage: more business news on NorthWire. Follow us for alerts. "
     "Comments are closed for this article."),
    ("portcity.example", "Port City Herald\n\nBy Herald Wire Staff",
     "Have a news tip? Contact the newsroom. Advertisement. Read next: the week in commodities."),
    ("capitalbrief.example", "CAPITAL BRIEF / WORLD / ECONOMY",
     "Capital Brief uses wire copy under licence. Republication without permission is prohibited. "
     "Subscribe for unlimited access to our reporting."),
]
PHRASES = ["officials said on Tuesday", "according to a statement", "in a brief interview",
           "market sources added", "the company said late on Friday", "analysts noted"]
ADDED_PARAGRAPHS = [
    "The announcement came after markets had closed, and officials declined to say whether "
    "further measures were being considered for the coming weeks.",
    "Separately, a spokesman for the ministry said talks with trading partners would resume "
    "next month, adding that no date had yet been fixed for the meeting.",
    "Traders said volumes were thin ahead of the holiday weekend and that most participants "
    "were waiting for the official figures due on Monday before taking new positions.",
    "In a later statement the company said it expected the transaction to close by the end "
    "of the second quarter, subject to regulatory approval and customary conditions.",
]
NEW_LEADS = [
    "In a move closely watched by markets, {subject}, people familiar with the matter said.",
    "{subject}, in what analysts described as a significant development for the sector.",
    "Fresh details emerged on {day}: {subject}.",
]


def clean_body(body: str) -> str:
    """Reuters SGML body -> paragraphs joined by blank lines (continuation lines re-joined)."""
    body = body.replace("&#3;", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    paragraphs = re.split(r"\n\s{2,}|\n(?= Reuter)", body)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def parse_date(raw: str) -> datetime:
    """Reuters dates; a few carry garbled times, which fall back to midnight of the day."""
    day, _, clock = raw.strip().partition(" ")
    try:
        return datetime.strptime(f"{day} {clock.split('.')[0]}", "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return datetime.strptime(day, "%d-%b-%Y")


def rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _replace_span(words: list[str], start: int, length: int, new: list[str]) -> list[str]:
    return words[:start] + new + words[start + length:]


def syndicated(text: str, rng: random.Random) -> tuple[str, str]:
    site, header, footer = rng.choice(SITES)
    return f"{header}\n\n{text}\n\n{footer}", site


def retransmission(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    start = rng.randrange(max(1, len(words) - 4))
    return " ".join(_replace_span(words, start, rng.randint(2, 4), rng.choice(PHRASES).split()))


def correction(text: str, rng: random.Random) -> str:
    numbers = list(_NUMBER.finditer(text))
    if numbers:
        m = rng.choice(numbers)
        fixed = text[:m.start()] + _other_number(m.group(), rng) + text[m.end():]
        what = "figure"
    else:
        words = text.split(" ")
        i = rng.randrange(len(words))
        words[i] = words[i] + "s" if not words[i].endswith("s") else words[i][:-1]
        fixed, what = " ".join(words), "spelling"
    return f"(Corrects {what} in paragraph {rng.randint(1, 3)})\n\n{fixed}"


def truncation(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(words[:max(8, int(len(words) * rng.uniform(0.4, 0.85)))])


def update(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    at = rng.randint(1, len(paragraphs))
    paragraphs.insert(at, rng.choice(ADDED_PARAGRAPHS))
    return "\n\n".join(paragraphs)


def rewrite(text: str, title: str, rng: random.Random) -> str:
    """New headline and a rewritten first sentence; the body below the lead is kept."""
    first, _, rest = text.partition(". ")
    subject = " ".join(first.split()[-12:]).rstrip(".")
    lead = rng.choice(NEW_LEADS).format(subject=subject, day=rng.choice(["Monday", "Wednesday"]))
    headline = " ".join(w.capitalize() for w in title.lower().split()[::-1][:6])
    return f"{headline}\n\n{lead} {rest}"


def _other_number(value: str, rng: random.Random) -> str:
    digits = [c for c in value if c.isdigit()]
    while True:
        new = "".join(c if not c.isdigit() else str(rng.randrange(10)) for c in value)
        if [c for c in new if c.isdigit()] != digits:
            return new


def template_figures(text: str, rng: random.Random) -> str:
    """Same template, every figure different: the next day's story, not a copy."""
    return _NUMBER.sub(lambda m: _other_number(m.group(), rng), text)


def load_reuters(path: Path) -> list[dict]:
    rows = []
    with path.open() as fh:
        for line in fh:
            doc = json.loads(line)
            text = clean_body(doc.get("body") or "")
            if len(text.split()) < 20:
                continue
            rows.append({"newid": doc["newid"], "title": (doc.get("title") or "").strip(),
                         "date": parse_date(doc["date"]), "text": text})
    return rows


def real_retransmissions(docs: list[dict]) -> dict[int, int | None]:
    """newid -> newid of the first copy for real retransmissions; None for ambiguous stories.

    Candidates share a title, or the same opening words and figures. A pair with the same
    figures and >= 90% of the word sequence in common is a copy; different figures make a
    template story (distinct news); same figures but many other words differing is
    ambiguous, and those stories are left out of the set. On the same day, a story whose
    words are >= 90% inside the other's (a shortened or extended retransmission) is a copy.
    """
    groups = defaultdict(list)
    for doc in docs:
        words = _WORDS.findall(doc["text"].lower())
        if doc["title"]:
            groups[("title", doc["title"])].append(doc)
        groups[("lead", tuple(words[:6]), tuple(_NUMBER.findall(doc["text"])))].append(doc)
    parent, ambiguous = {}, set()

    def root(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for group in groups.values():
        group.sort(key=lambda d: (d["date"], d["newid"]))
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                wa, wb = _WORDS.findall(a["text"].lower()), _WORDS.findall(b["text"].lower())
                matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
                same_figures = _NUMBER.findall(a["text"]) == _NUMBER.findall(b["text"])
                same_day = a["date"].date() == b["date"].date()
                covered = sum(m.size for m in matcher.get_matching_blocks()) / min(len(wa), len(wb))
                if not same_figures and not same_day:
                    continue  # a template story on another day: distinct news
                if (same_figures and matcher.ratio() >= 0.9) or (same_day and covered >= 0.9):
                    ra, rb = sorted((root(a["newid"]), root(b["newid"])))
                    parent[rb] = ra
                else:
                    ambiguous.update((a["newid"], b["newid"]))
    copies = {x: root(x) for x in parent}
    bad_roots = {copies.get(x, x) for x in ambiguous}
    return {x: (None if r in bad_roots else r) for x, r in copies.items()} | {x: None for x in ambiguous}


def build_reuters(source: Path, bases: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    docs = load_reuters(source)
    copies = real_retransmissions(docs)
    out = []
    for doc in docs:
        if doc["newid"] in copies and copies[doc["newid"]] is None:
            continue  # ambiguous real pair: no trustworthy label
        cluster = f"r{copies.get(doc['newid'], doc['newid'])}"
        case = "real_retransmission" if copies.get(doc["newid"], doc["newid"]) != doc["newid"] else "real"
        out.append(_row(f"r{doc['newid']}", cluster, doc["text"], case, "wire.example", doc["date"]))

    pool = [d for d in docs if len(d["text"].split()) >= 40 and copies.get(d["newid"], 0) is not None]
    for base in rng.sample(pool, min(bases, len(pool))):
        cluster = f"r{copies.get(base['newid']) or base['newid']}"
        text, when = base["text"], base["date"]
        kinds = rng.sample(["syndicated", "retransmission", "correction", "truncation", "update", "rewrite"],
                           rng.randint(1, 3))
        for n, kind in enumerate(kinds):
            later = when + timedelta(minutes=rng.randint(5, 600))
            site = "wire.example"
            if kind == "syndicated":
                variant, site = syndicated(text, rng)
            elif kind == "retransmission":
                variant = retransmission(text, rng)
            elif kind == "correction":
                variant = correction(text, rng)
            elif kind == "truncation":
                variant = truncation(text, rng)
            elif kind == "update":
                variant = update(text, rng)
            else:
                if len(text.split()) < 100:
                    continue  # rewriting the lead of a short story leaves little of it
                variant = rewrite(text, base["title"], rng)
            out.append(_row(f"r{base['newid']}-{n}-{kind}", cluster, variant, kind, site, later))
        numbers = _NUMBER.findall(text)
        if len(numbers) >= 4 and len(numbers) * 12 >= len(text.split()) and rng.random() < 0.5:
            out.append(_row(f"r{base['newid']}-template", f"r{base['newid']}-template",
                            template_figures(text, rng), "template_figures", "wire.example",
                            when + timedelta(days=1)))
    return out


def _row(row_id: str, cluster: str, text: str, case: str, site: str, when: datetime) -> dict:
    return {"id": row_id, "cluster": cluster, "text": text, "case": case,
            "url": f"https://{site}/{row_id}", "scraped_at": rfc3339(when)}


def build_scoop(root: Path) -> list[dict]:
    """Scoop's scraped items with their story ids (labels include same-event merges of different texts)."""
    out = []
    with (root / "ground_truth" / "dedup_ground_truth_items.jsonl").open() as fh:
        for line in fh:
            item = json.loads(line)
            payload = json.loads((root.parent / item["file"]).read_text())
            scraped = (payload.get("source_metadata") or {}).get("scraped_at") or payload.get("published_at") or ""
            when = datetime.strptime(scraped[:19], "%Y-%m-%dT%H:%M:%S") if scraped else datetime(2026, 1, 1)
            out.append({"id": item["file"], "cluster": item["story_gt_id"], "text": payload.get("body_text") or "",
                        "case": payload.get("source", ""), "url": payload.get("canonical_url", ""),
                        "scraped_at": rfc3339(when)})
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["reuters", "scoop"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--source", type=Path, default=REUTERS)
    parser.add_argument("--root", type=Path, default=SCOOP)
    parser.add_argument("--bases", type=int, default=800)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = build_reuters(args.source, args.bases, args.seed) if args.kind == "reuters" else build_scoop(args.root)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    cases = defaultdict(int)
    for row in rows:
        cases[row["case"]] += 1
    print(f"wrote {len(rows)} rows, {len({r['cluster'] for r in rows})} clusters to {args.out}")
    print("  " + ", ".join(f"{k}={v}" for k, v in sorted(cases.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
