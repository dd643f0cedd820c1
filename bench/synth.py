"""Synthetic raw-record generator for benchmarks: N scraped-text records (3-5 KB) with planted exact duplicates.

    python bench/synth.py --n 50000 --out bench/data/synth.jsonl [--seed 1] [--dup-rate 0.10] [--truth PATH]

Records stream to disk one line at a time, so memory stays flat whatever N is.
"""

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples import junk  # noqa: E402
from samples.articles import all_recipes, build_article  # noqa: E402

SITES = [
    {"name": "Global Newswire", "domain": "gnw.example", "style": "wire", "sep": "\n\n"},
    {"name": "Harbour Post", "domain": "harbourpost.example", "style": "seed", "sep": "\n\n"},
    {"name": "The Meridian Times", "domain": "meridiantimes.example", "style": "portal", "sep": "\n"},
    {"name": "Capital Ledger", "domain": "capitalledger.example", "style": "seed", "sep": "\n\n"},
    {"name": "Northline News", "domain": "northline.example", "style": "community", "sep": "\n\n"},
    {"name": "Market Beacon", "domain": "marketbeacon.example", "style": "portal", "sep": "\n"},
]
TRACKING = ["utm_source=twitter&utm_medium=social", "utm_source=newsletter&utm_medium=email&utm_campaign=am{i}",
            "fbclid=IwAR{tok}", "gclid=Cj0KCQ{tok}", "utm_source=facebook&fbclid=IwAR{tok}"]
MIN_BYTES, MAX_BYTES = 3000, 5000
_NON_WORD = re.compile(r"[^a-z0-9]+")
RECENT = 1024  # duplicates are drawn from this many most recent originals


def _slug(title: str) -> str:
    return _NON_WORD.sub("-", title.lower()).strip("-")[:70]


def _clock(date: str, secs: int) -> str:
    return f"{date}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}Z"


def _tracked(url: str, i: int, rng) -> str:
    """Another spelling of the same page: always a tracking parameter (unique per i), sometimes www/scheme too."""
    template = rng.choice(TRACKING)
    q = template.format(i=i, tok=f"{rng.getrandbits(32):08x}{i:x}")
    if "{" not in template:
        q += f"&utm_id={i}"
    roll = rng.random()
    if roll < 0.15:
        url = url.replace("https://", "http://", 1)
    elif roll < 0.3:
        url = url.replace("://www.", "://", 1) if "://www." in url else url.replace("://", "://www.", 1)
    return f"{url}?{q}"


# The phrase banks have a handful of sentence frames per topic, so unrelated synthetic stories share far more
# 5-word shingles than real ones do, and a near-duplicate detector would see a flood of false candidates that
# real news never produces. Swapping a share of the words of each body paragraph for other words of the same
# vocabulary keeps the topic phrases (they are protected) and brings shingle overlap between unrelated stories
# down towards what real wire text shows (measured at 20,000 records: 0.9 LSH candidate pairs per article,
# most of them the planted copies; Reuters wire text: 0.05 per article at 5,000).
VARY_RATE = 0.5
_PROTECTED_MIN_LEN = 4


def _vocabulary(recipes, rng) -> list[str]:
    words = set()
    for _ in range(400):
        for kind, text in build_article(rng, rng.choice(recipes), n_body=(6, 9)).blocks:
            words.update(w for w in text.split() if w.isalpha() and w.islower() and len(w) >= _PROTECTED_MIN_LEN)
    return sorted(words)


_CORE = re.compile(r"^(\W*)([a-z]{%d,})(\W*)$" % _PROTECTED_MIN_LEN)


def _vary(article, rng, vocab, protected):
    blocks = []
    for kind, text in article.blocks:
        if kind in ("p", "li"):
            words = text.split(" ")
            for j, w in enumerate(words):
                m = _CORE.match(w)
                if m and m.group(2) not in protected and rng.random() < VARY_RATE:
                    words[j] = m.group(1) + vocab[rng.randrange(len(vocab))] + m.group(3)
            text = " ".join(words)
        blocks.append((kind, text))
    article.blocks = blocks
    return article


def _text_for(rng, recipes, site, recent_articles, date_label, vocab=None, protected=frozenset()):
    article = build_article(rng, rng.choice(recipes), n_body=(6, 9))
    if vocab:
        article = _vary(article, rng, vocab, protected)
    others = rng.sample(recent_articles, min(4, len(recent_articles)))
    text = junk.render_text(article, rng, site, others, date_label)
    if len(text) < MIN_BYTES - 1000:
        # Much too short (traps, clean wire layout): lengthen the body with a same-topic story's paragraphs.
        topic = article.topics[0] if article.topics else "economy-markets"
        extra = build_article(rng, ("topic", topic), n_body=(3, 5))
        article.blocks += [b for b in extra.blocks[1:] if b[0] == "p"]
        text = junk.render_text(article, rng, site, others, date_label)
    # A little short: more teasers of other stories, as long scraped pages have.
    while len(text) < MIN_BYTES and others:
        text += site["sep"] + site["sep"].join(junk.teaser(rng.choice(others)))
    if len(text) > MAX_BYTES:
        cut = text.rfind("\n", 0, MAX_BYTES)
        text = text[: cut if cut > MIN_BYTES else MAX_BYTES]
    return article, text


def generate_records(n: int, seed: int = 1, dup_rate: float = 0.10, date: str = "2026-11-24", truth=None):
    """Yield n raw records (dicts). Exactly floor(n * dup_rate) are byte-identical copies of an earlier
    record's body under another URL; `truth`, if given, is called as truth(dup_url, original_url)."""
    if not 0 <= dup_rate < 1:
        raise ValueError("dup_rate must be in [0, 1)")
    rng = random.Random(seed)
    # Trap stories (potato chips, electricity tariffs, ...) are fixed texts with a few slots: repeated thousands of
    # times they would be near-copies of each other, which real news is not. They stay in samples/, not here.
    recipes = [r for r in all_recipes() if r[0] != "trap"]
    vocab = _vocabulary(recipes, random.Random(seed + 1))
    protected = _topic_words()
    day, month, year = int(date[8:10]), int(date[5:7]), date[:4]
    date_label = f"{day} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} {year}"
    path_date = date.replace("-", "/")
    recent, recent_articles = [], []
    for i in range(n):
        secs = i * 86400 // n
        if int((i + 1) * dup_rate) > int(i * dup_rate) and recent:
            original = recent[rng.randrange(len(recent))]
            record = dict(original)
            record["url"] = _tracked(original["url"], i, rng)
            record["scraped_at"] = _clock(date, secs)
            if truth is not None:
                truth(record["url"], original["url"])
            yield record
            continue
        site = rng.choice(SITES)
        article, text = _text_for(rng, recipes, site, recent_articles, date_label, vocab, protected)
        host = ("www." if i % 3 else "") + site["domain"]
        record = {
            "url": f"https://{host}/{article.section}/{path_date}/{_slug(article.title)}-{i}",
            "scraped_at": _clock(date, secs),
            "source": site["name"],
            "title": article.title,
            "published_at": date,
            "language": "en",
            "text": text,
        }
        if len(recent) < RECENT:
            recent.append(record)
            recent_articles.append(article)
        else:
            recent[i % RECENT] = record
            recent_articles[i % RECENT] = article
        yield record


PROTECTED_WORDS = Path(__file__).resolve().parent / "sets" / "synth_protected_words.txt"


def _topic_words() -> frozenset:
    """Words never swapped, so topic tagging sees the recipes' evidence: the term words of taxonomy r19, frozen in a
    file (read live from the taxonomy, every revision moved the corpora and the seeded tests built on them)."""
    lines = PROTECTED_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


def write_jsonl(path: Path, n: int, seed: int = 1, dup_rate: float = 0.10, truth_path=None) -> int:
    """Stream n records to path; returns bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    truth_file = open(truth_path, "w", encoding="utf-8") if truth_path else None
    try:
        truth = (lambda dup, orig: truth_file.write(json.dumps({"url": dup, "duplicate_of": orig}) + "\n")) if truth_file else None
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
            for record in generate_records(n, seed, dup_rate, truth=truth):
                line = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(line)
                written += len(line)
    finally:
        if truth_file:
            truth_file.close()
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="number of records")
    parser.add_argument("--out", type=Path, required=True, help="output .jsonl path")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dup-rate", type=float, default=0.10, help="share of records that copy an earlier body")
    parser.add_argument("--truth", type=Path, help="optional .jsonl of {url, duplicate_of} for every planted copy")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    size = write_jsonl(args.out, args.n, args.seed, args.dup_rate, args.truth)
    took = time.perf_counter() - start
    print(f"wrote {args.n} records, {size / 1e6:.1f} MB to {args.out} in {took:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
