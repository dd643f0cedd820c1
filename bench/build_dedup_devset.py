"""Build labelled near-duplicate dev sets (JSONL {id, cluster, text, case, url, scraped_at}) from real wire text.

    python bench/build_dedup_devset.py reuters OUT.jsonl [--source .../train.jsonl] [--bases 800] [--seed 7]
                                                         [--weeks all|even|odd]
    python bench/build_dedup_devset.py scoop OUT.jsonl [--root .../dedup-dev/scoop/backend/testdata]

`reuters` labels every real Reuters-21578 story by a method independent of the detector: candidate pairs
share word 4-grams (a sparse product over all stories), and each candidate is aligned word by word
(difflib) and judged: copy (retransmission, correction, cut or extended copy) -> one cluster; template /
intraday / entity / related (another edition, another market snapshot, another company, another story on
the event) -> distinct, the set's real hard negatives (case real_*); ambiguous (a partial rewrite) -> the
later story is left out, so no kept pair carries a label we do not trust. It then adds generated variants
of sampled stories: syndicated copies with site boilerplate, one-phrase retransmissions, corrections,
truncations, updates with a paragraph added, re-headlined rewrites, and template copies with every figure
changed a day later (distinct). --weeks even / odd keeps two disjoint sets of real stories (tune on one,
report on the other). Source texts are read at run time and never stored in the repo.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
from collections import Counter, defaultdict
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


_SENTENCE_END = re.compile(r"(?<=\.)(\s+)")


def rewrite(text: str, title: str, rng: random.Random) -> str:
    """New headline and a rewritten first sentence; the body below the lead is kept."""
    # The first sentence ends at the first full stop followed by any space: wire paragraphs end ".\n\n", and
    # splitting at ". " alone took most of a story as its "first sentence" and kept only its tail.
    first, _, rest = (_SENTENCE_END.split(text, maxsplit=1) + ["", ""])[:3]
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


# Labelling real Reuters pairs. Candidates come from word 4-grams shared between stories (an inverted index as a
# sparse product: independent of the MinHash detector under test and far more generous); every candidate is then
# aligned word by word with difflib and judged by the rules below.
CANDIDATE_CONTAINMENT = 0.3   # shared 4-grams / 4-grams of the shorter story
COPY_COVERAGE = 0.9           # aligned words / words of the shorter story: a retransmission, cut or extension
RELATED_COVERAGE = 0.5        # below this, two stories sharing phrases are different stories (same event)
MIN_RUN = 4                   # words in a row for an alignment to count
TEMPLATE_GAP = timedelta(hours=20)  # a figure changed after this long is the next edition of a template story


def _is_figure(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _words_and_names(text: str) -> tuple[list[str], list[bool]]:
    """Words of `text`, and whether each is part of a name: capitalised inside a sentence, or at a sentence or
    line start when the next word is capitalised too ("Chemical Bank said", not "Revs 28.5 mln")."""
    words, caps, starts = [], [], []
    for m in _WORDS.finditer(text):
        before = text[:m.start()].rstrip(" \t\"'(<")
        starts.append(not before or before[-1] in ".!?:\n")
        caps.append(m.group()[:1].isupper())
        words.append(m.group().lower())
    names = [c and (not s or i + 1 < len(caps) and caps[i + 1] and not starts[i + 1])
             for i, (c, s) in enumerate(zip(caps, starts))]
    return words, names


def judge_pair(a: dict, b: dict) -> tuple[str, float]:
    """(verdict, coverage) for two real stories (a earlier than b); coverage = share of the shorter story's
    words aligned in runs of >= 4 words. Verdicts, first match wins:

    related: under 50% of words aligned even counting single words (different stories on one event).
    template: a figure replaced by another, stories >= TEMPLATE_GAP apart (the next day's edition).
    copy: >= 90% aligned, no multi-word name replaced, and no figure replaced or a correction (titled
      CORRECTED, or one figure replaced): a retransmission, a correction, a copy cut short or extended.
    intraday: figures replaced in several places within TEMPLATE_GAP (midsession and closing reports of one
      market): different news.
    entity: a multi-word name replaced by another, or under 90% aligned and any name replaced (another
      bank's prime-rate rise, another company's dividend in the same template): different news.
    ambiguous: anything else (a partial rewrite): no trustworthy label, the later story is left out.
    """
    (wa, na), (wb, nb) = _words_and_names(a["text"]), _words_and_names(b["text"])
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    # Only aligned runs of MIN_RUN words count: scattered single-word matches are what any rewrite shares.
    blocks, shorter = matcher.get_matching_blocks(), max(1, min(len(wa), len(wb)))
    coverage = sum(m.size for m in blocks if m.size >= MIN_RUN) / shorter
    loose = sum(m.size for m in blocks) / shorter
    figures_changed, name_changed = 0, 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        figures_changed += bool([w for w in wa[i1:i2] if _is_figure(w)] and [w for w in wb[j1:j2] if _is_figure(w)])
        old, new = sum(na[i1:i2]), sum(nb[j1:j2])
        # a respelt name ("Minneaplois") is the same name
        if old and new and difflib.SequenceMatcher(None, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])).ratio() < 0.6:
            # a multi-word name for another ("Marine Midland Banks Inc" -> "Chemical Bank") is another company
            name_changed = max(name_changed, 1 + (old > 1 and new > 1))
    near_verbatim = coverage >= COPY_COVERAGE
    corrected = any(d["title"].upper().startswith("CORRECTED") for d in (a, b)) or figures_changed == 1
    if loose < RELATED_COVERAGE:
        return "related", coverage
    if figures_changed and abs(b["date"] - a["date"]) >= TEMPLATE_GAP:
        return "template", coverage
    if near_verbatim and (not figures_changed or corrected) and name_changed < 2:
        return "copy", coverage
    if figures_changed:
        return "intraday", coverage
    return ("entity" if name_changed else "ambiguous"), coverage


def candidate_pairs(docs: list[dict], threshold: float = CANDIDATE_CONTAINMENT) -> list[tuple[int, int]]:
    """Index pairs (i < j) of stories sharing at least `threshold` of the shorter one's word 4-grams."""
    import numpy as np
    import scipy.sparse as sparse
    vocab, indptr, indices = {}, [0], []
    for doc in docs:
        words = _WORDS.findall(doc["text"].lower())
        grams = {vocab.setdefault(tuple(words[i:i + 4]), len(vocab)) for i in range(max(1, len(words) - 3))}
        indices.extend(sorted(grams))
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=(len(docs), len(vocab)))
    sizes = np.diff(x.indptr)
    shared = (x @ x.T).tocoo()
    upper = shared.row < shared.col
    rows, cols, counts = shared.row[upper], shared.col[upper], shared.data[upper]
    keep = counts >= threshold * np.maximum(1, np.minimum(sizes[rows], sizes[cols]))
    return sorted(zip(rows[keep].tolist(), cols[keep].tolist()))


def label_real_stories(docs: list[dict]) -> tuple[dict[int, str], dict[int, str], Counter]:
    """(cluster label per kept newid, hard-negative case per newid, verdict counts).

    Real copies share one cluster (the earliest newid). A story in an ambiguous pair is dropped (the later one
    of the pair), so no two kept stories lack a label we trust; a copy cluster that would join two stories
    judged different news is dropped whole. Stories in pairs judged different news are the set's real hard
    negatives.
    """
    order = sorted(range(len(docs)), key=lambda i: (docs[i]["date"], docs[i]["newid"]))
    docs = [docs[i] for i in order]
    verdicts, drop = {}, set()
    for i, j in candidate_pairs(docs):
        verdicts[(i, j)] = judge_pair(docs[i], docs[j])[0]
    for (i, j), verdict in sorted(verdicts.items()):
        if verdict == "ambiguous" and i not in drop:
            drop.add(j)
    parent = {}

    def root(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for (i, j), verdict in verdicts.items():
        if verdict == "copy" and not {i, j} & drop:
            ri, rj = sorted((root(i), root(j)))
            parent[rj] = ri
    distinct = ("entity", "template", "intraday", "related")
    for (i, j), verdict in verdicts.items():
        if verdict in distinct and not {i, j} & drop and root(i) == root(j):
            drop |= {x for x in range(len(docs)) if root(x) == root(i)}
    clusters, hard = {}, {}
    for i, doc in enumerate(docs):
        if i not in drop:
            clusters[doc["newid"]] = f"r{docs[root(i)]['newid']}"
    for (i, j), verdict in sorted(verdicts.items()):
        if verdict in distinct and not {i, j} & drop:
            for x in (i, j):
                hard.setdefault(docs[x]["newid"], f"real_{verdict}")
    return clusters, hard, Counter(v for v in verdicts.values()) + Counter(dropped=len(drop))


def build_reuters(source: Path, bases: int, seed: int, stats: Counter | None = None, weeks: str = "all") -> list[dict]:
    """Real stories labelled by label_real_stories plus generated variants of `bases` sampled ones. `weeks`
    ("even" / "odd") keeps only stories whose cluster starts in an even / odd ISO week: two disjoint sets
    of real stories, one to tune on and one to report on."""
    rng = random.Random(seed)
    docs = load_reuters(source)
    clusters, hard, verdicts = label_real_stories(docs)
    if stats is not None:
        stats.update(verdicts)
    started = {f"r{d['newid']}": d["date"] for d in docs}
    parity = {"all": None, "even": 0, "odd": 1}[weeks]
    docs = [d for d in docs if d["newid"] in clusters and (
        parity is None or started[clusters[d["newid"]]].isocalendar()[1] % 2 == parity)]
    out = []
    for doc in docs:
        cluster = clusters[doc["newid"]]
        case = "real_retransmission" if cluster != f"r{doc['newid']}" else hard.get(doc["newid"], "real")
        out.append(_row(f"r{doc['newid']}", cluster, doc["text"], case, "wire.example", doc["date"]))

    pool = [d for d in docs if len(d["text"].split()) >= 40]
    for base in rng.sample(pool, min(bases, len(pool))):
        cluster = clusters[base["newid"]]
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
                if base["newid"] in hard:
                    continue  # cut before its figures, a template story matches every edition: no right label
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
    parser.add_argument("--weeks", choices=["all", "even", "odd"], default="all",
                        help="real stories of even or odd ISO weeks only (disjoint tuning and report sets)")
    args = parser.parse_args(argv)
    verdicts = Counter()
    rows = build_reuters(args.source, args.bases, args.seed, verdicts, args.weeks) if args.kind == "reuters" else build_scoop(args.root)
    if verdicts:
        print("real candidate pairs: " + ", ".join(f"{k}={v}" for k, v in sorted(verdicts.items())))
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
