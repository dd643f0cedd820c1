"""Builds synthetic news articles (headline, body blocks, standfirst, gold topics) from the phrase banks."""

import re
from dataclasses import dataclass, field

from samples import phrasebank as pb

_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_CITIES = ["London", "Geneva", "Stockholm", "Kuala Lumpur", "Madrid", "Singapore"]
_CAPTION_SLOT = {
    "rare-earths": "miner", "critical-minerals": "miner", "semiconductors": "chipmaker",
    "export-controls": "official", "trade-tariffs": "official", "artificial-intelligence": "ai_lab",
    "telecom": "telco", "economy-markets": "analyst", "energy": "energy_co",
    "politics-government": "official", "conflict-security": "region", "health": "pharma",
    "science": "scientist", "sport": "player",
}
_TAG_WORDS = {
    "rare-earths": "Rare earths", "critical-minerals": "Mining", "semiconductors": "Chips",
    "export-controls": "Export controls", "trade-tariffs": "Trade", "artificial-intelligence": "AI",
    "telecom": "Telecoms", "economy-markets": "Markets", "energy": "Energy",
    "politics-government": "Politics", "conflict-security": "Security", "health": "Health",
    "science": "Science", "sport": "Sport",
}


class Template:
    """A template with `[a|b]` choices pre-split, so filling is one join plus one format_map."""

    __slots__ = ("parts",)

    def __init__(self, text: str):
        self.parts = []
        pos = 0
        for m in _CHOICE.finditer(text):
            self.parts.append(text[pos:m.start()])
            self.parts.append(tuple(m.group(1).split("|")))
            pos = m.end()
        self.parts.append(text[pos:])

    def fill(self, rng, slots: dict) -> str:
        rand = rng.random
        text = "".join(p if p.__class__ is str else p[int(rand() * len(p))] for p in self.parts)
        return text.format_map(slots)


def _compile(obj):
    if isinstance(obj, str):
        return Template(obj)
    if isinstance(obj, list):
        return [_compile(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _compile(v) if k not in ("topics", "name") else v for k, v in obj.items()}
    return obj


TOPICS = _compile(pb.TOPICS)
COMBOS = _compile(pb.COMBOS)
TRAPS = _compile(pb.TRAPS)
CLOSERS = _compile(pb.NEUTRAL["closers"])


class Slots(dict):
    """Per-article slot values, drawn lazily on first use so unused slots cost nothing.

    Names and a few numbers stay fixed for the article; other numbers are drawn afresh at each use.
    """

    def __init__(self, rng):
        super().__init__()
        self.rng = rng

    def __missing__(self, key):
        rng = self.rng
        if key in pb.NUMBER_SLOTS:
            kind, lo, hi = pb.NUMBER_SLOTS[key]
            value = rng.randint(lo, hi) if kind == "int" else f"{rng.uniform(lo, hi):.1f}"
            if key not in _FIXED_NUMBERS:
                return value
        elif key in pb.SLOTS:
            values = pb.SLOTS[key]
            value = values[int(rng.random() * len(values))]
        elif key.endswith("2") and key[:-1] in pb.SLOTS:
            first = self[key[:-1]]
            value = rng.choice([v for v in pb.SLOTS[key[:-1]] if v != first])
        elif key.replace("_last", "").rstrip("2") in pb.PERSON_SLOTS:
            base = key.replace("_last", "")
            last = rng.choice(pb.LAST_NAMES)
            self[base], self[base + "_last"] = f"{rng.choice(pb.FIRST_NAMES)} {last}", last
            return self[key]
        elif key in _DERIVED:
            _DERIVED[key](self, rng)
            return self[key]
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _derive_record(slots, rng):
    slots["played"] = rng.randint(8, 14)
    slots["won"] = slots["played"] - rng.randint(1, 5)


def _derive_score(slots, rng):
    slots["hi"], slots["lo"] = rng.randint(2, 4), rng.randint(0, 1)


def _derive_oil(slots, rng):
    up = rng.random() < 0.5
    slots["updown"], slots["extend_ease"] = ("climbed", "extend") if up else ("fell", "ease")


def _derive_misc(slots, rng):
    slots["city"], slots["snack"], slots["big2"] = rng.choice(_CITIES), rng.choice(pb.SNACKS), rng.randint(24, 51)


_DERIVED = {"played": _derive_record, "won": _derive_record, "hi": _derive_score, "lo": _derive_score,
            "updown": _derive_oil, "extend_ease": _derive_oil,
            "city": _derive_misc, "snack": _derive_misc, "big2": _derive_misc}
# Numbers that must agree between headline, lead and body.
_FIXED_NUMBERS = ("bn", "gpx", "jobs", "score1")


def make_slots(rng) -> Slots:
    return Slots(rng)


@dataclass
class Article:
    """Body blocks are (kind, text) with kind in p, h2, li, dateline; they are what a perfect cleaner keeps."""

    title: str
    blocks: list
    standfirst: str
    caption: str
    topics: list
    section: str
    tags: list = field(default_factory=list)

    def gold_blocks(self, markup: str = "text") -> list:
        """Block texts as they appear in the record: bullets carry a marker in plain text, none in HTML."""
        if markup == "html":
            return [t for _, t in self.blocks]
        return ["\u2022 " + t if k == "li" else t for k, t in self.blocks]

    def gold_text(self, markup: str = "text") -> str:
        return "\n\n".join(self.gold_blocks(markup))

    def lead(self) -> str:
        return next(t for k, t in self.blocks if k == "p")


def _curly(text: str) -> str:
    text = re.sub(r'"(?=[\w$\u2018])', "\u201c", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def _first_sentence(text: str) -> str:
    m = re.search(r"(?<=[a-z0-9%)\u201d\"][.!?])\s+(?=[A-Z\u201c\"])", text)
    return text[: m.start()] if m else text


def _body_for(rng, topic_bank, slots, n, used):
    pool = [t for t in topic_bank["body"] if id(t) not in used]
    picked = rng.sample(pool, min(n, len(pool)))
    used.update(id(t) for t in picked)
    return [t.fill(rng, slots) for t in picked]


def build_article(rng, recipe: tuple, n_body=(3, 7)) -> Article:
    """recipe is ("topic", slug), ("combo", index) or ("trap", index)."""
    slots = make_slots(rng)
    kind, key = recipe
    extra_blocks = []
    used = set()
    if kind == "topic":
        bank = TOPICS[key]
        topics = [key]
        title = rng.choice(bank["headlines"]).fill(rng, slots)
        lead = rng.choice(bank["leads"]).fill(rng, slots)
        body = _body_for(rng, bank, slots, rng.randint(*n_body), used)
        quotes = [rng.choice(bank["quotes"]).fill(rng, slots)]
        if "bullets" in bank and rng.random() < 0.6:
            extra_blocks = [("p", bank["bullets"]["intro"].fill(rng, slots))]
            extra_blocks += [("li", t.fill(rng, slots)) for t in bank["bullets"]["items"]]
        subheads = bank["subheads"]
    elif kind == "combo":
        combo = COMBOS[key]
        topics = list(combo["topics"])
        title = rng.choice(combo["headlines"]).fill(rng, slots)
        lead = rng.choice(combo["leads"]).fill(rng, slots)
        body = [t.fill(rng, slots) for t in combo["shared"]]
        for i, topic in enumerate(topics):
            body += _body_for(rng, TOPICS[topic], slots, 2 if i == 0 else 1, used)
        rng.shuffle(body)
        body = body[:8]
        quotes = [rng.choice(TOPICS[rng.choice(topics)]["quotes"]).fill(rng, slots)]
        subheads = TOPICS[topics[0]]["subheads"]
    else:
        trap = TRAPS[key]
        topics = list(trap["topics"])
        title = trap["headline"].fill(rng, slots)
        paras = [t.fill(rng, slots) for t in trap["paragraphs"]]
        lead, body, quotes, subheads = paras[0], paras[1:], [], []

    # Standfirst: the first sentence of a body paragraph, often extended in the body as in the seed.
    anchor = rng.randrange(len(body)) if body else None
    standfirst = lead if anchor is None else body[anchor]
    if anchor is not None and kind != "trap" and rng.random() < 0.5:
        spare = _body_for(rng, TOPICS[topics[0]], slots, 1, used)
        if spare:
            body[anchor] = body[anchor] + " " + spare[0]

    blocks = []
    dateline = rng.choice(pb.SLOTS["dateline"])
    roll = rng.random()
    if roll < 0.15:
        blocks.append(("dateline", f"{dateline} \u2014"))
        blocks.append(("p", lead))
    elif roll < 0.5:
        blocks.append(("p", f"{dateline} \u2014 {lead}"))
    else:
        blocks.append(("p", lead))
    middle = [("p", t) for t in body]
    for q in quotes:
        middle.insert(rng.randint(min(1, len(middle)), min(3, len(middle))), ("p", q))
    if subheads and len(middle) >= 4 and rng.random() < 0.45:
        middle.insert(rng.randint(2, len(middle) - 1), ("h2", rng.choice(subheads).fill(rng, slots)))
    if extra_blocks:
        at = rng.randint(1, len(middle))
        middle[at:at] = extra_blocks
    blocks += middle
    if kind != "trap" and topics[0] not in ("sport", "science") and rng.random() < 0.35:
        blocks.append(("p", rng.choice(CLOSERS).fill(rng, slots)))

    if rng.random() < 0.5:
        blocks = [(k, _curly(t)) for k, t in blocks]
        standfirst = _curly(standfirst)
    standfirst = _first_sentence(standfirst)

    primary = topics[0] if topics else "sport"
    caption_slot = _CAPTION_SLOT.get(primary, "official") if kind != "trap" else "player"
    caption = str(slots[caption_slot])
    section = pb.SECTIONS.get(primary, "news") if topics else "lifestyle"
    tags = [_TAG_WORDS[t] for t in topics[:3]] + [caption]
    return Article(title, blocks, standfirst, caption, topics, section, tags)


def all_recipes() -> list:
    """Every recipe once: each topic, each combo, each trap."""
    return ([("topic", t) for t in TOPICS] + [("combo", i) for i in range(len(COMBOS))]
            + [("trap", i) for i in range(len(TRAPS))])
