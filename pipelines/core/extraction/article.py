"""extract_article: one HTML page in, one ExtractedArticle (text + metadata + provenance) out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from selectolax.lexbor import LexborHTMLParser

from pipelines.core.extraction.charset import decode_html, looks_binary
from pipelines.core.extraction.html import ENDS_AS_SENTENCE, RULES, extract_paragraphs, is_boilerplate
from pipelines.core.extraction.language import resolve_language
from pipelines.core.extraction.limits import Deadline, ExtractionError, too_deep_to_parse
from pipelines.core.extraction.metadata import embedded_story, extract_metadata, first_headline, fold_words, lede_date

_WORD = re.compile(r"\w+")


@dataclass
class ExtractedArticle:
    title: str = ""
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    description: str | None = None
    image_url: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def _token_recall(reference: str, candidate: str) -> float:
    ref = set(_WORD.findall(reference.lower()))
    if not ref:
        return 1.0
    return len(ref & set(_WORD.findall(candidate.lower()))) / len(ref)


def _prefer_json_ld(ld_body: str, dom_text: str, t: dict) -> bool:
    """articleBody wins when the DOM text misses most of it, or is a clear subset of it."""
    covered = _token_recall(ld_body, dom_text)
    if covered < t["json_ld_min_recall"]:
        return True
    return covered < t["json_ld_subset_recall"] and _token_recall(dom_text, ld_body) >= t["json_ld_subset_purity"]


# A section label set above the headline: up to three words, no digit, no sentence.
_SECTION_KICKER = re.compile(r"[^\W\d_][^\d.!?:]{0,28}[^\W\d_]", re.S)
_KICKER_MAX_WORDS = 3


def _drop_headline(paragraphs: list[tuple[str, str]], title: str, tree=None) -> list[str]:
    """The headline belongs in .title only; drop it (and an h1 before the body) from the text. An h1 opening the
    body is dropped too when it is the og:/twitter:title of the page (tree), worded unlike .title (the JSON-LD
    headline)."""
    title_norm = fold_words(title) if title else ""
    if not title_norm:
        return [text for _, text in paragraphs]
    # A paragraph that is the headline holds the headline's longest word: the others need no normalising.
    key = max(title_norm.split(" "), key=len)
    out = []
    for tag, text in paragraphs:
        if tag != "h1" and key not in text.lower():
            out.append(text)
            continue
        norm = fold_words(text)
        if norm == title_norm or (tag == "h1" and (norm in title_norm or title_norm in norm)):
            if tag == "h1" and len(out) == 1 and _SECTION_KICKER.fullmatch(out[0]) and (
                    len(out[0].split()) <= _KICKER_MAX_WORDS):
                out.clear()  # the section's label above the headline ("Economy", "World news")
            continue
        if not out and "\n" in text and fold_words(text.split("\n", 1)[0]) == title_norm:
            text = text.split("\n", 1)[1]  # an old layout's headline set as the first line of its cell (<b>, <br>)
        if tag == "h1" and not out and tree is not None and (norm in _shown_titles(tree) or _is_page_headline(tree, norm)):
            continue  # (an og:title worded for social media: the <h1> is still the headline, not story text)
        out.append(text)
    return out


_BYLINE_MAX_CHARS = 80
_BY_START = re.compile(r"\s*(?:by|von|par|por)\s", re.I)
_LEDE_MIN_CHARS = 80


def _drop_byline(paragraphs: list[str], authors: list[str], by_only: bool = False) -> list[str]:
    """The byline belongs in .authors only: a short line without a sentence end, before the story's first long
    paragraph, that names every author ("Ruth Okafor", "By Ruth Okafor | Local government reporter") goes."""
    names = [fold_words(a) for a in authors if a]
    if not names:
        return paragraphs
    for k, text in enumerate(paragraphs[:3]):
        if len(text) >= _LEDE_MIN_CHARS:
            break
        norm = f" {fold_words(text)} "
        # (the name may run into a date: "di Giulia Conti19 marzo 2025")
        if by_only and not _BY_START.match(text):
            continue
        if not ENDS_AS_SENTENCE.search(text) and all(f" {name}" in norm for name in names):
            return paragraphs[:k] + paragraphs[k + 1:]
    return paragraphs


def _embedded(tree, ld_body: str | None, title: str, deadline: Deadline, max_bytes: int
              ) -> tuple[str, str, str | None] | None:
    """(text, source, published date) of a story the page carries as data: its JSON-LD articleBody, else its
    Next.js data (with the date of the object holding it)."""
    source, text, date = "json-ld", ld_body, None
    if not text:
        found = embedded_story(tree, deadline, max_bytes)
        if found is None:
            return None
        source, (text, date) = "next-data", found
    max_bp = RULES.boilerplate_max_chars
    lines = [p.strip() for p in re.split(r"\n\s*\n|\r?\n", text)]
    lines = _drop_headline([("p", p) for p in lines if p and (len(p) > max_bp or not is_boilerplate(p, RULES))], title)
    return ("\n\n".join(lines), source, date) if lines else None


# A staff bio closing the story ("Kevin Dunne covers transport for the Metro Times. ... Email him at ..."): a
# name, what the person covers or is, and how to reach them.
_BIO = re.compile(r"(?-i:[A-ZÀ-Ý][\w'\u2019.-]+)(?: (?-i:[A-ZÀ-Ý][\w'\u2019.-]+)){1,3} (?:covers|writes about|reports "
                  r"on|is (?:a|an|the) [\w ,-]{0,40}?(?:reporter|writer|correspondent|editor|journalist|columnist))\b",
                  re.I)
_REACH = re.compile(r"\b[\w.-]+@[\w-]+\.\w|\b(?:email|e-mail|follow|reach|contact) (?:him|her|them)\b|"
                    r"\bmore (?:about|from|by) (?-i:[A-ZÀ-Ý])[\w'\u2019.-]+(?: (?-i:[A-ZÀ-Ý])[\w'\u2019.-]+){1,3}$", re.I)


_MORE_ABOUT = re.compile(r"\bmore (?:about|from|by) ([^.!?]+)$", re.I)


_STAFF_PICTURE = 'img[src*="/staff/" i], img[src*="author" i], img[class*="author" i], img[class*="avatar" i]'


_SHORT_BIO_CHARS = 240  # a closing bio of the page's own author, with no way to reach them: one sentence or two
_CONTRIBUTOR_MAX_CHARS = 160


def _drop_contributor_line(paragraphs: list[str], authors: list[str]) -> list[str]:
    """An opinion piece's one-line note on its author under the byline ("Marcus Lee is a labour economist at a
    public university in Ohio."): one sentence, before the story's first long paragraph, opening with an author's
    name and "is a/an/the"."""
    for k, text in enumerate(paragraphs[:2]):
        if len(text) >= _LEDE_MIN_CHARS * 2:
            break
        if len(text) <= _CONTRIBUTOR_MAX_CHARS and text.count(". ") == 0 and any(
                re.match(re.escape(a) + r" is (?:a|an|the) ", text) for a in authors if a):
            return paragraphs[:k] + paragraphs[k + 1:]
    return paragraphs


def _drop_bio(paragraphs: list[str], authors: list[str], tree) -> list[str]:
    """The story's last paragraph goes when it is a staff bio (_BIO, with a way to reach the person) of the
    person it names: one of the page's authors, the one its closing "More about <Name>" link names, or one beside
    a staff picture in or next to the bio's own block ("The Food Bank covers ... email them" and "Helen Marsh is a
    freelance writer ..." are story)."""
    if len(paragraphs) < 2:
        return paragraphs
    paragraphs = _drop_contributor_line(paragraphs, authors)
    last = paragraphs[-1]
    bio = _BIO.match(last)
    if bio is None:
        return paragraphs
    name = re.split(r" (?:covers|writes|reports|is)\b", bio.group(0), maxsplit=1, flags=re.I)[0].lower()
    of_an_author = any(a.lower() == name for a in authors)
    if len(last) <= _SHORT_BIO_CHARS and of_an_author:
        return paragraphs[:-1]  # "Luis Romero covers energy and climate for CalWatch, a nonprofit newsroom."
    if not _REACH.search(last):
        return paragraphs
    more = _MORE_ABOUT.search(last)
    if of_an_author or (more and more.group(1).strip().lower() == name) or _picture_beside(tree, last):
        return paragraphs[:-1]
    return paragraphs


def _sibling(node, side: str):
    node = getattr(node, side)
    while node is not None and node.tag in ("-text", "-comment"):
        node = getattr(node, side)
    return node


def _picture_beside(tree, bio: str) -> bool:
    """A staff picture in the bio's own block or the block next to it. An avatar elsewhere on the page (a header
    account link, a comment widget) says nothing about who a closing paragraph is about."""
    whole = fold_words(bio)
    want = whole[:80]
    for img in tree.css(_STAFF_PICTURE):
        box = img.parent
        while box is not None and box.tag in ("a", "span", "picture"):
            box = box.parent
        if box is None:
            continue
        for node in (box, _sibling(box, "prev"), _sibling(box, "next")):
            if node is None:
                continue
            text = fold_words(node.text(separator=" "))
            if want in text and len(text) <= len(whole) + 200:  # the bio's block, not the whole story
                return True
    return False


def _is_page_headline(tree, norm: str) -> bool:
    """The text (fold_words) is the page's headline: its first <h1> outside the masthead."""
    h1 = first_headline(tree)
    return h1 is not None and fold_words(h1.text(deep=True)) == norm


def _shown_titles(tree) -> set[str]:
    """The page's og:title and twitter:title, normalised."""
    nodes = tree.css('meta[property="og:title" i], meta[name="twitter:title" i], meta[property="twitter:title" i]')
    return {fold_words(n.attrs.get("content") or "") for n in nodes} - {""}


def _resolve_language(body: str, fields: dict, provenance: dict, t: dict, aliases: dict) -> None:
    """The page's declared language (JSON-LD, <html lang>, meta, HTTP header) against its text
    (language.resolve_language); a language read from the text is marked so."""
    lang, from_text = resolve_language(body, fields.get("language"), t, aliases)
    if from_text:
        fields["language"], provenance["language"] = lang, "text"


def _heading_standfirst(tree, description: str | None, paragraphs: list[str]) -> str | None:
    """The standfirst some templates set as the heading right after the headline (<h2 class="subheadline">),
    outside the body's container: it is recognised by repeating the page's own description word for word."""
    if not description or len(description.split()) < 6:
        return None
    want = fold_words(description)
    if any(want in fold_words(p) for p in paragraphs[:3]):
        return None
    seen_h1 = False
    for node in tree.css("h1, h2, h3"):
        if node.tag == "h1":
            seen_h1 = True
        elif seen_h1:
            text = " ".join(node.text(deep=True).split())
            return text if fold_words(text) == want else None
    return None


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def extract_article(html: str | bytes, url: str | None = None, headers: dict | None = None, *,
                    max_bytes: int = 5_000_000, max_depth: int = 2_000, time_budget_s: float = 2.0) -> ExtractedArticle:
    """Main text and metadata of a news page. Raises ExtractionError(reason) instead of hanging or crashing."""
    deadline = Deadline(time_budget_s)
    if html is None:
        raise ExtractionError("no_body", "no content")
    size = len(html)
    if size > max_bytes:
        raise ExtractionError("too_large", f"{size} > {max_bytes}")
    text = decode_html(html, headers) if isinstance(html, (bytes, bytearray, memoryview)) else html
    if looks_binary(text):
        raise ExtractionError("not_html", "binary or tagless content")
    if too_deep_to_parse(text, max_depth):
        raise ExtractionError("too_deep", f"nesting deeper than {max_depth}")
    tree = LexborHTMLParser(text)
    deadline.check()
    fields, provenance, ld_body = extract_metadata(tree, url, headers, deadline)
    deadline.check()
    title = fields.get("title") or ""
    paragraphs = _drop_headline(extract_paragraphs(tree, deadline, max_depth, RULES), title, tree)
    if provenance.get("authors", "").startswith("byline"):
        paragraphs = _drop_byline(paragraphs, fields["authors"])
    elif fields.get("authors"):  # (authors from the page's data: a WordPress "by Jane Doe <date> 4 min read" line)
        paragraphs = _drop_byline(paragraphs, fields["authors"], by_only=True)
    paragraphs = _drop_bio(paragraphs, fields.get("authors") or [], tree)
    if provenance.get("description") == "standfirst" and paragraphs and (
            fold_words(paragraphs[0]) == fold_words(fields["description"])):
        del fields["description"], provenance["description"]  # the body's first paragraph: a lede, not a dek
    body = "\n\n".join(paragraphs)
    provenance["text"] = "dom"
    t = RULES.t
    if ld_body and len(ld_body) >= t["json_ld_min_chars"] and _prefer_json_ld(ld_body, body, t):
        # The DOM winner misses much of the publisher's own article body: trust the publisher.
        # Its lines are judged as the DOM's are: an ad label or a "Read more" line sits in it too.
        max_bp = RULES.boilerplate_max_chars
        lines = (p.strip() for p in re.split(r"\n\s*\n|\r?\n", ld_body))
        body = "\n\n".join(p for p in lines if p and (len(p) > max_bp or not is_boilerplate(p, RULES)))
        provenance["text"] = "json-ld"
    elif len(body) < t["embedded_story_max_dom_chars"] and (
            story := _embedded(tree, ld_body, title, deadline, max_bytes)) and len(story[0]) >= 2 * len(body) and (
            not body or _token_recall(body, story[0]) >= t["embedded_min_recall"]):
        # The page's HTML holds no story (a script draws it from data): the publisher's articleBody however
        # short, else the story data the script reads (Next.js); when the DOM has a short body, only data holding
        # most of it (a brief's reader comments sit beside it in __NEXT_DATA__, and they are longer).
        body, provenance["text"], date = story
        if date and not fields.get("published_at"):
            fields["published_at"], provenance["published_at"] = date, "next-data"
    elif paragraphs:
        # The deck opens a DOM body; alone (a stub page: headline and subheadline) it is no article, and it
        # stays out of the JSON-LD comparison, which is about the body.
        deck = (_heading_standfirst(tree, fields.get("description"), paragraphs)
                if provenance.get("description") != "standfirst" else None)  # (the dek found by its markup)
        if deck:
            body = deck + "\n\n" + body
    if not body.strip():
        raise ExtractionError("empty_extraction", "no article text found")
    if not fields.get("published_at"):
        # The lowest-trust date: a wire dateline opening the lede (or the paragraph after a deck).
        date = next(filter(None, map(lede_date, body.split("\n\n", 2)[:2])), None)
        if date:
            fields["published_at"], provenance["published_at"] = date, "dateline"
    # Some CMSs emit decomposed accents (u + U+0308); readers and search see one character.
    body, title = _nfc(body), _nfc(title)
    _resolve_language(body, fields, provenance, t, RULES.language_aliases)
    return ExtractedArticle(
        title=title,
        text=body,
        authors=list(fields.get("authors") or []),
        published_at=fields.get("published_at"),
        modified_at=fields.get("modified_at"),
        canonical_url=fields.get("canonical_url"),
        site_name=fields.get("site_name"),
        language=fields.get("language"),
        description=fields.get("description"),
        image_url=fields.get("image_url"),
        provenance=provenance,
    )
