"""Writes the sample corpus (samples/raw/<date>/) and its gold labels (samples/gold/<date>.jsonl), deterministically.

Run `python samples/generate.py` to rewrite both trees byte for byte; `--out DIR` writes elsewhere.
"""

import argparse
import gzip
import hashlib
import io
import json
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples import junk  # noqa: E402
from samples.articles import COMBOS, TOPICS, TRAPS, build_article  # noqa: E402

SEED = 20261124
DATES = ["2026-11-24", "2026-11-25", "2026-11-26"]
N_PAGES, N_WIRE, N_SITES = 4, 52, 40
# Distinct stories must be distinct text: the phrase banks are finite, so two stories on one topic can draw
# most of the same paragraphs, which a reader (and the near-dup stage) would call one story. A story sharing
# more than this share of its word 5-grams with an earlier one, either way round, is drawn again.
MAX_SHARED = 0.5
_WORDS = re.compile(r"\w+")
TOO_LARGE_DATE = "2026-11-25"
TOO_LARGE_BYTES = 215_000  # above a 200 KiB limit

# style: text layout (seed, portal, community, wire) or html layout (html-semantic, html-divs)
WIRE_SITES = [
    {"name": "Global Newswire", "domain": "gnw.example", "style": "wire", "sep": "\n\n",
     "path": "/{section}/{y}/{m}/{d}/{slug}-{id}", "ascii": True},
    {"name": "Harbour Post", "domain": "harbourpost.example", "style": "seed", "sep": "\n\n",
     "path": "/news/{section}/{slug}-{id}", "ascii": False},
    {"name": "The Meridian Times", "domain": "meridiantimes.example", "style": "portal", "sep": "\n",
     "path": "/{y}/{m}/{d}/{slug}-{id}.html", "ascii": False},
    {"name": "Capital Ledger", "domain": "capitalledger.example", "style": "seed", "sep": "\n\n",
     "path": "/article/{id}/{slug}/", "ascii": True},
    {"name": "Northline News", "domain": "northline.example", "style": "community", "sep": "\n\n",
     "path": "/{section}/{slug}-{id}", "ascii": False},
]
SITE_SITES = [
    {"name": "Pacific Dispatch", "domain": "pacificdispatch.example", "style": "html-semantic",
     "path": "/{section}/{y}/{m}/{d}/{slug}-{id}", "ascii": False},
    {"name": "Techfront", "domain": "techfront.example", "style": "html-divs",
     "path": "/stories/{id}/{slug}/", "ascii": False},
    {"name": "Fieldside", "domain": "fieldside.example", "style": "html-semantic",
     "path": "/{section}/{slug}-{id}.html", "ascii": True},
    {"name": "Market Beacon", "domain": "marketbeacon.example", "style": "portal", "sep": "\n",
     "path": "/{section}/{y}/{m}/{d}/{slug}-{id}", "ascii": False},
    {"name": "Civic Courier", "domain": "civiccourier.example", "style": "community", "sep": "\n\n",
     "path": "/news/{slug}-{id}", "ascii": True},
]
TRACKING = ["utm_source=twitter&utm_medium=social&utm_campaign=share",
            "utm_source=newsletter&utm_medium=email", "fbclid=IwAR{tok}", "gclid=Cj0KCQ{tok}",
            "utm_source=facebook&utm_medium=referral&fbclid=IwAR{tok}"]


def slugify(title: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in title)
    return "-".join(p for p in out.split("-") if p)[:80].rstrip("-")


def timestamp(date: str, secs: int, rng) -> str:
    """RFC 3339 on `date` (UTC), in one of a few equivalent spellings."""
    t = datetime.fromisoformat(date).replace(tzinfo=timezone.utc) + timedelta(seconds=secs)
    roll = rng.random()
    if roll < 0.1:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randint(0, 999):03d}Z"
    if roll < 0.2:
        return t.isoformat()  # +00:00
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def published(date: str, secs: int, rng):
    t = datetime.fromisoformat(date).replace(tzinfo=timezone.utc) + timedelta(seconds=secs - rng.randint(600, 72000))
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.55:
        return t.strftime("%Y-%m-%d")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def url_variant(url: str, rng) -> str:
    """Same page, another spelling: tracking parameters, fragment, www, trailing slash, scheme."""
    while True:
        kind = rng.choice(["track", "track", "fragment", "www", "slash", "scheme"])
        if kind == "track":
            q = rng.choice(TRACKING).format(tok="".join(rng.choice("abcdefXYZ0123456789") for _ in range(12)))
            out = url + ("&" if "?" in url else "?") + q
        elif kind == "fragment":
            out = url + rng.choice(["#comments", "#article-top", "#main"])
        elif kind == "www":
            out = url.replace("://www.", "://", 1) if "://www." in url else url.replace("://", "://www.", 1)
        elif kind == "slash":
            out = url[:-1] if url.endswith("/") else url + "/"
        else:
            out = url.replace("https://", "http://", 1)
        if out != url:
            return out


class DateBuilder:
    """Builds one date's records; keeps everything as data until write time."""

    def __init__(self, rng, date: str, used_urls: set):
        self.rng, self.date, self.used = rng, date, used_urls
        day = datetime.fromisoformat(date)
        self.label = f"{day.day} {day.strftime('%B %Y')}"
        self.files = {"wire.jsonl": [], "sites.jsonl.gz": []}  # entries: dict(secs, record, gold, raw)
        self.pages = []  # (content, gold-without-file)

    def new_url(self, site: dict, article) -> str:
        y, m, d = self.date.split("-")
        while True:
            ident = self.rng.randint(100000, 9999999)
            path = site["path"].format(section=article.section, y=y, m=m, d=d, slug=slugify(article.title), id=ident)
            host = ("www." if self.rng.random() < 0.6 else "") + site["domain"]
            url = f"https://{host}{path}"
            if url not in self.used:
                self.used.add(url)
                return url

    def record(self, article, site: dict, others: list, secs: int) -> dict:
        rng = self.rng
        url = self.new_url(site, article)
        rec = {"url": url, "scraped_at": timestamp(self.date, secs, rng)}
        if rng.random() < 0.9:
            rec["source"] = site["name"]
        is_html = site["style"].startswith("html")
        with_title = rng.random() < 0.85
        if with_title or is_html:
            rec["title"] = article.title
        pub = published(self.date, secs, rng)
        if pub:
            rec["published_at"] = pub
        if rng.random() < 0.85:
            rec["language"] = "en"
        if is_html:
            rec["html"] = junk.render_html(article, rng, site, others, self.label, url)
        else:
            # With no title field the scraped text must start with the headline.
            rec["text"] = junk.render_text(article, rng, site, others, self.label, with_title=True if not with_title else rng.random() < 0.5)
        gold = {"url": url, "gold_title": article.title,
                "gold_text": article.gold_text("html" if is_html else "text"), "gold_topics": article.topics}
        return {"secs": secs, "record": rec, "gold": gold, "site": site, "article": article}

    def duplicate(self, entry: dict, secs: int) -> dict:
        rec = dict(entry["record"])
        url = url_variant(rec["url"], self.rng)
        while url in self.used:
            url = url_variant(url, self.rng)
        self.used.add(url)
        rec["url"] = url
        rec["scraped_at"] = timestamp(self.date, secs, self.rng)
        return {"secs": secs, "record": rec, "gold": {"url": url, "expect": "duplicate_of", "of": entry["record"]["url"]},
                "site": entry["site"], "article": entry["article"]}


def recipes_for(rng) -> list:
    """Every topic four times, every combo and trap once, the rest random; shuffled."""
    out = [("topic", t) for t in TOPICS for _ in range(4)]
    out += [("combo", i) for i in range(len(COMBOS))] + [("trap", i) for i in range(len(TRAPS))]
    pool = [("topic", t) for t in TOPICS] + [("combo", i) for i in range(len(COMBOS))]
    while len(out) < N_PAGES + N_WIRE + N_SITES:
        out.append(rng.choice(pool))
    rng.shuffle(out)
    return out


def bad_lines(rng, b: DateBuilder, articles: list) -> list:
    """Planted rejects for wire.jsonl: (reason, raw line bytes)."""
    site = WIRE_SITES[0]

    def base():
        art = rng.choice(articles)
        rec = {"url": b.new_url(site, art), "scraped_at": timestamp(b.date, rng.randint(0, 86399), rng),
               "source": site["name"], "title": art.title}
        rec["text"] = junk.render_text(art, rng, site, [], b.label)
        return rec

    def dumps(obj, ascii=False):
        return json.dumps(obj, ensure_ascii=ascii).encode("utf-8")

    out = []
    rec = base()
    out.append(("invalid_json", dumps(rec, ascii=True)[: rng.randint(60, 200)]))
    out.append(("not_an_object", dumps([base()])))
    rec = base()
    del rec["url"]
    out.append(("schema:url", dumps(rec)))
    rec = base()
    rec["url"] = rng.choice(["ftp://files.gnw.example/feed/item-991.txt", "javascript:void(0)", "/news/world/relative-link-4411"])
    out.append(("schema:url", dumps(rec)))
    rec = base()
    rec["scraped_at"] = rng.choice([1795500000, None, ["2026-11-24T08:00:00Z"]])
    out.append(("schema:scraped_at", dumps(rec)))
    rec = base()
    rec["scraped_at"] = rng.choice(["2026-11-24T25:70:00Z", "last Tuesday", f"{b.date.replace('-', '/')} 08:15", "24/11/2026 08:15"])
    out.append(("bad_timestamp", dumps(rec)))
    rec = base()
    rec["text"] = "Caf@@BAD@@ owners say " + rec["text"]
    out.append(("invalid_utf8", dumps(rec).replace(b"@@BAD@@", b"\xe9 \xff\xfe")))
    rec = base()
    rec["text"] = rng.choice(["", "   \n\n\t  \n"])
    out.append(("empty_body", dumps(rec)))
    rec = base()
    rec["text"] = junk.junk_only_text(rng)
    out.append(("empty_body", dumps(rec)))
    rec = base()
    del rec["text"]
    out.append(("schema:body", dumps(rec)))
    if b.date == TOO_LARGE_DATE:
        rec = base()
        rec["title"] = "Live: markets, politics and sport as it happened"
        chunks, size, i = [], 0, 0
        while size < TOO_LARGE_BYTES:
            art = articles[i % len(articles)]
            chunk = f"{(i // 60) % 24:02d}:{i % 60:02d} GMT\n\n" + art.gold_text()
            chunks.append(chunk)
            size += len(chunk.encode("utf-8")) + 2
            i += 1
        rec["text"] = "\n\n".join(chunks)
        out.append(("too_large", dumps(rec)))
    return out


def _shingles(article) -> set:
    words = _WORDS.findall(f"{article.title} {article.gold_text()}".lower())
    return {" ".join(words[i:i + 5]) for i in range(max(len(words) - 4, 1))}


def build_distinct(rng, recipe, earlier: list) -> object:
    """build_article, drawn again (up to 50 times) while it shares over MAX_SHARED of its 5-grams with an earlier
    story or an earlier story shares that much with it; `earlier` (shingle sets) grows by the story kept."""
    for _ in range(50):
        article = build_article(rng, recipe)
        mine = _shingles(article)
        if all(len(mine & other) <= MAX_SHARED * min(len(mine), len(other)) for other in earlier):
            break
    earlier.append(mine)
    return article


def build_date(rng, date: str, used: set, previous: list, earlier: list) -> DateBuilder:
    b = DateBuilder(rng, date, used)
    articles = [build_distinct(rng, r, earlier) for r in recipes_for(rng)]

    def others(i):
        pool = [a for j, a in enumerate(articles) if j != i]
        return rng.sample(pool, 4)

    for i, art in enumerate(articles[:N_PAGES]):
        text = junk.render_text(art, rng, {"style": "seed", "sep": "\n\n"}, others(i), b.label)
        b.pages.append((text, {"gold_title": art.title, "gold_text": art.gold_text(), "gold_topics": art.topics}))
    for i, art in enumerate(articles[N_PAGES:], start=N_PAGES):
        in_wire = i < N_PAGES + N_WIRE
        site = rng.choice(WIRE_SITES if in_wire else SITE_SITES)
        name = "wire.jsonl" if in_wire else "sites.jsonl.gz"
        b.files[name].append(b.record(art, site, others(i), rng.randint(0, 72000)))

    # URL-spelling duplicates (same bytes, later scrape) and syndicated copies (same body, another site).
    for name, n_dup in (("wire.jsonl", 4), ("sites.jsonl.gz", 3)):
        originals = rng.sample(b.files[name], n_dup)
        for entry in originals:
            b.files[name].append(b.duplicate(entry, rng.randint(entry["secs"] + 60, 86399)))
    for name, sites in (("wire.jsonl", WIRE_SITES), ("sites.jsonl.gz", SITE_SITES)):
        entry = rng.choice([e for e in b.files[name] if "expect" not in e["gold"]])
        is_html = entry["site"]["style"].startswith("html")
        candidates = [s for s in sites if s is not entry["site"] and s["style"].startswith("html") == is_html]
        syn = b.record(entry["article"], rng.choice(candidates), others(0), rng.randint(entry["secs"] + 60, 86399))
        syn["gold"] = {"url": syn["record"]["url"], "expect": "duplicate_of", "of": entry["record"]["url"]}
        b.files[name].append(syn)
    # Stories scraped on an earlier date turning up again.
    for entry in rng.sample(previous, min(2, len(previous))):
        name = "sites.jsonl.gz" if "html" in entry["record"] else "wire.jsonl"
        b.files[name].append(b.duplicate(entry, rng.randint(0, 86399)))
    # On the last date one saved page is a wire story saved to disk as text.
    if date == DATES[-1]:
        seedlike = [e for e in b.files["wire.jsonl"] if e["site"]["style"] == "seed" and "expect" not in e["gold"]
                    and e["record"]["text"].startswith(e["article"].title)]
        if seedlike:
            entry = rng.choice(seedlike)
            b.pages.append((entry["record"]["text"], {"expect": "duplicate_of", "of": entry["record"]["url"]}))

    b.bad = bad_lines(rng, b, articles)
    return b


def _line(entry) -> bytes:
    return json.dumps(entry["record"], ensure_ascii=entry["site"].get("ascii", False)).encode("utf-8")


def write_date(b: DateBuilder, raw_dir: Path, gold_path: Path) -> None:
    rng = b.rng
    day = raw_dir / b.date
    (day / "pages").mkdir(parents=True, exist_ok=True)
    gold = []

    wire = sorted(b.files["wire.jsonl"], key=lambda e: e["secs"])
    lines = [(_line(e), e["gold"]) for e in wire]
    for reason, raw in b.bad:
        lines.insert(rng.randint(0, len(lines)), (raw, reason))
    for n, (raw, g) in enumerate(lines, start=1):
        gold.append({"file": "wire.jsonl", "line": n, "expect": "rejected", "reason": g} if isinstance(g, str) else g)
    (day / "wire.jsonl").write_bytes(b"".join(raw + b"\n" for raw, _ in lines))

    sites = sorted(b.files["sites.jsonl.gz"], key=lambda e: e["secs"])
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        for e in sites:
            gz.write(_line(e) + b"\n")
    (day / "sites.jsonl.gz").write_bytes(buf.getvalue())
    gold += [e["gold"] for e in sites]

    for i, (text, g) in enumerate(b.pages):
        data = text.encode("utf-8")
        name = f"pages/{i:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        (day / name).write_bytes(data)
        gold.append({"file": name, **g})

    gold_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")


def generate(out: Path, seed: int = SEED) -> None:
    """Rewrite out/raw and out/gold from scratch."""
    raw_dir, gold_dir = out / "raw", out / "gold"
    for d in (raw_dir, gold_dir):
        if d.exists():
            shutil.rmtree(d)
    gold_dir.mkdir(parents=True)
    rng = random.Random(seed)
    used, previous, earlier = set(), [], []
    for date in DATES:
        b = build_date(rng, date, used, previous, earlier)
        write_date(b, raw_dir, gold_dir / f"{date}.jsonl")
        previous = [e for name in b.files for e in b.files[name] if "expect" not in e["gold"]]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="directory that receives raw/ and gold/ (default: samples/)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
