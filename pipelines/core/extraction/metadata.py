"""Article metadata by order of trust: JSON-LD, Open Graph / meta tags, <time>, URL patterns, then the text."""

from __future__ import annotations

import html as html_module
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import islice
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from pipelines.core.extraction.charset import header_value
from pipelines.core.extraction.html import ENDS_AS_SENTENCE
from pipelines.core.extraction.language import normalise_language
from pipelines.core.extraction.limits import Deadline

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
                  "techarticle", "liveblogposting", "posting", "socialmediaposting", "report"}
_PAGE_TYPES = {"webpage", "itempage", "collectionpage", "medicalwebpage"}
_MAX_JSON_LD_CHARS = 2_000_000
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|$)")
_URL_DATE_COMPACT = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
# The "by" of a byline, one list for every byline pattern: en, de, fr, es/pt, it, nl, sv/no ("Av"), da ("Af"),
# pl ("Przez"). Some are also prepositions ("av", "af", "di"): a line counts only when names follow in the byline
# shape (byline_line_names: the rest of the line is the names).
BY_WORDS = "by|von|par|por|di|door|av|af|przez"
_BY_PREFIX = re.compile(r"^\s*(?:(?:posted|written|published|interview|interviewed|words|text|story|reporting|"
                        # ("Photos and words by Joel Tan": the photographer wrote the story too)
                        r"report|(?:photos?|pictures|words|text)\s+and\s+(?:photos?|pictures|words|text))\s+)?"
                        rf"({BY_WORDS})\s+|^\s*كتبه?\s*:\s*"  # (Arabic "written by:")
                        # an "Author:" label (en, de/pl/es/pt, ru, fr, it, sv, tr, id), and a Chinese "作者：" with
                        # whatever comes before it ("来源：江南日报　作者：陈晓": the source is the outlet)
                        r"|^\s*(?:author|autor|автор|auteur|autore|författare|yazar|penulis)\s*:\s*|^.{0,40}?作者\s*[:：]\s*"
                        # a byline after the outlet's name ("Metro Transit News / By Sione Tapu")
                        rf"|^[^/|]{{1,40}}\s[/|]\s+(?:{BY_WORDS})\s+(?=(?-i:[A-ZÀ-Ý]))", re.I)
# A second credit after the author's ("..., photos by Tom Fry"): not an author of the text.
_OTHER_CREDIT = re.compile(r"\s*(?:[,;|\u2022\u00b7]|\band\b)\s*(?:photos?|photographs?|pictures?|images?|video|"
                           rf"illustrations?|graphics?)\s+(?:{BY_WORDS})\b.*$", re.I | re.S)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00bb\u00b7:-]{1,2}\s+")
_SPACES = re.compile(r"\s+")
# What a byline block carries after the name: a dash or bar, then a date, a time, "Updated ...", a @handle, a
# relative time ("2 hours ago") or a reading time ("5 min read").
_BYLINE_TAIL = re.compile(
    # (not after "of": "Class of 2024" is a name)
    r"(?<!\bof)(?:\s*[-\u2013\u2014|\u2022\u00b7,]\s*|\s+|(?=\d{4}\s*年))"
    r"(?:(?:updated|published|posted|last\s+updated)\b"
    # a weekday before a date ("By Ana Ruiz Thursday, April 4, 2024")
    r"|(?:(?-i:on)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?\s+(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    # a month and day only as a date: a year or a time follows, or nothing ("Brian May" is a name)
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"(?=,?\s*(?:\d{4}\b|\d{1,2}[:.]\d{2}|$))"
    # "3 March 2024", "3. März 2024", "5 de marzo de 2024", "le 3 mars 2025", "am 3. März 2024"; the word before
    # the date in lower case only: "Thanh Le", "Amanda On" and "Kim Am" are names
    r"|(?:(?-i:le|am|el|il|on)\s+)?\d{1,2}(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?(?:\s+de)?\s+\d{4}\b"
    r"|(?:an?|\d+)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\d+\s*min(?:ute)?s?\.?\s+read\b"
    # a bare number is a year only from 1900 on ("1440 Daily Digest" is a name)
    r"|\d{1,2}[:/.]\d{1,2}|(?:19|20)\d{2}\b|\d{4}\s*年|@\w|[\w.+-]+@[\w-]+\.\w)"
    r".*$", re.I | re.S)
_BYLINE_LEAD = re.compile(r"^[\s\-\u2013\u2014|\u2022\u00b7,:;/]+")
_BYLINE_TRIM = re.compile(r"[\s\-\u2013\u2014|\u2022\u00b7,:;/]+$")
# XHTML-era pages wrap script bodies in CDATA sections or comments ("//<![CDATA[", "<!--").
_JSON_WRAPPER_MARKS = ("<!--", "<![CDATA[", "-->", "]]>")  # one of them is in every text the pattern changes
_JSON_WRAPPERS = re.compile(r"^\s*(?://|/\*)?\s*(?:<!\[CDATA\[|<!--)\s*(?:\*/)?|(?://|/\*)?\s*(?:\]\]>|-->)\s*(?:\*/)?\s*$")

_TZ_ABBREVIATIONS = {name: int(hours * 3600) for name, hours in {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7}.items()}
META_DATE_PUBLISHED = ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
                       "publish-date", "published_time", "parsely-pub-date", "sailthru.date", "dc.date.issued",
                       "dc.date", "dcterms.issued", "dcterms.date", "dcterms.created", "date", "article.published",
                       "publication_date", "cxenseparse:recs:publishtime")
META_DATE_MODIFIED = ("article:modified_time", "datemodified", "og:updated_time", "last-modified", "dcterms.modified",
                      "article.updated", "lastmod")
META_AUTHOR = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
               "twitter:creator", "citation_author")


def clean(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = _SPACES.sub(" ", value).strip()
    return value or None


def to_iso_utc(value: str | None) -> str | None:
    """ISO 8601 UTC ('...Z'); naive times are taken as UTC; None when unparseable or implausible."""
    value = clean(value)
    if not value or len(value) > 80:
        return None
    parsed = None
    candidate = value.replace("Z", "+00:00") if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        try:
            from dateutil import parser as date_parser
            with warnings.catch_warnings():
                # an unknown zone name ("ZZ") leaves the time naive, read as UTC below; dateutil would warn
                # once per page into the job log (and says a later version raises, which lands in except)
                warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
                parsed = date_parser.parse(value, default=datetime(1, 1, 1), tzinfos=_TZ_ABBREVIATIONS)
        except Exception:  # dateutil raises assorted types on junk; a bad date is just no date
            return None
    if parsed.year < 1900 or parsed.year > 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _walk_json_ld(data, out: list, depth: int = 0) -> None:
    """Collect dict items from JSON-LD, flattening lists and @graph (bounded depth, no recursion blow-up)."""
    stack = [(data, depth)]
    while stack:
        item, level = stack.pop()
        if level > 6 or len(out) > 200:
            continue
        if isinstance(item, list):
            stack.extend((x, level + 1) for x in reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            if "@graph" in item:
                stack.append((item["@graph"], level + 1))
            main = item.get("mainEntity")
            if isinstance(main, (dict, list)):
                stack.append((main, level + 1))


def _types(item: dict) -> set[str]:
    return {str(t).lower().rsplit("/", 1)[-1] for t in _as_list(item.get("@type"))}


# Words around a name that are not the name: a role before or after it ("Meteorologist Carla Benning",
# "Priya Nandakumar Local Democracy Reporter", "김수현 기자", "记者 李明轩"), a Japanese bureau before it ("浜田支局
# 佐藤恵美"), the place after it ("Dean Ashworth at the Marine Ground"), an outlet or a town after a bar or a dot
# ("Marcus Bell | Ashbury Standard", "Lucía Barrientos · Sevilla").
_ROLE = (r"(?:(?:chief|senior|staff|political|business|sports?|health|science|education|local democracy|deputy|"
         r"associate|managing|executive|weather|investigative|special|foreign|national|city|court|crime|news|general|"
         r"digital|online|web|freelance)\s+)*"
         r"(?:meteorologist|reporter|correspondent|writer|editor|anchor|columnist|photographer|journalist|producer)")
# A newsroom's department before a name ("社会部 佐藤美咲", "经济部 王强"): named, as a surname may end in 部 (阿部, 服部).
_DESK_DEPARTMENT = (r"(?:社会|政治|経済|经济|国際|国际|外信|文化|学芸|運動|运动|体育|科学|科技|報道|报道|生活|地域|写真|摄影|"
                    r"編集|编辑|新聞|新闻|時事|时事|要闻|地方|財経|财经|スポーツ|デジタル)部")
_ROLE_BEFORE = re.compile(r"^" + _ROLE + r"\s+(?=(?-i:[A-ZÀ-Ý]))|^(?:记者|記者|通讯员|通訊員|특파원|기자)\s*"
                          r"|^\S{1,8}(?:支局|総局|支社|本社|通信部|編集部)\s+|^" + _DESK_DEPARTMENT + r"\s+(?=\S)", re.I)
# (After a name, only a role with its qualifier: "Ben Silverman Games Editor" and "Letters to the Editor" are
# not a name and a role.)
_ROLE_AFTER = re.compile(r"(?<=\w)\s+(?:" + _ROLE.replace(")*(?:meteorologist", ")+(?:meteorologist", 1)
                         + r"|(?:기자|특파원|記者|记者|通讯员))$", re.I)
_NAME_AFTER_PLACE = re.compile(r"^((?-i:[A-ZÀ-Ý][\w'’.-]+)(?: (?-i:[A-ZÀ-Ý][\w'’.-]+)){1,3})"
                               r"(?:\s+(?:at|in)\s+(?:the\s+)?(?-i:[A-ZÀ-Ý]).{0,40}|\s+[|\u00b7\u2022]\s+.{1,40})$")


def _bare_name(name: str) -> str:
    """The name without a role, a bureau, a place or an outlet around it."""
    name = _ROLE_BEFORE.sub("", name)
    if "," not in name:  # a role after a comma ("Ana Ruiz, Staff Writer") is the name list's to drop
        name = _ROLE_AFTER.sub("", name).strip()
    match = _NAME_AFTER_PLACE.match(name)
    return match.group(1) if match else name


_WIRES = (r"(?:the\s+)?(?:associated\s+press|reuters|afp|agence\s+france-presse|bloomberg(?:\s+news)?|dpa|efe|"
          r"ansa|upi|xinhua|kyodo(?:\s+news)?|yonhap|pa\s+media|aap|europa\s+press|apa|sda|kna|epd)")
# (Only a wire's name no surname is: "Michael Bloomberg" and "Jane Reuters" are names.)
_GLUED_WIRE = re.compile(r"(?<=[\w.])\s+(?:(?:the\s+)?associated\s+press|agence\s+france-presse|bloomberg\s+news|"
                         r"kyodo\s+news|pa\s+media|europa\s+press|(?-i:AFP|DPA|EFE|ANSA|UPI|AAP))$", re.I)
# An outlet's name after a comma, one word that no person's name part is: a wire, a word with a capital inside
# ("CalWatch", "ProPublica") or in capitals of 3-6 letters ("KQED"), but no suffix ("Jr.", "III", "PhD").
_OUTLET_WORD = re.compile(_WIRES + r"|(?-i:[A-Z][a-z]+[A-Z][\w&-]*|(?!(?:III|VII|VIII|PHD|DDS|ESQ)\b)[A-Z]{3,6})", re.I)


def _outlet(part: str) -> bool:
    return _OUTLET_WORD.fullmatch(part.strip()) is not None


def byline_name(text: str | None) -> str | None:
    """The name in a byline block or an author field: no "By", no date, time, "Updated ..." or @handle after it,
    no trailing dash, no role, bureau, place or outlet around it; None for a date or time alone ("le 3 mars 2025"
    would leave "le") or a name over 80 chars."""
    block = _OTHER_CREDIT.sub("", _BY_PREFIX.sub("", _BYLINE_LEAD.sub("", clean(text) or "")))
    name = _BYLINE_TRIM.sub("", _BYLINE_TAIL.sub("", block))
    if (not name or len(name) > 80 or not any(ch.isalpha() for ch in name) or _BYLINE_TAIL.match(" " + name)
            or _BYLINE_TAIL.match(" " + block)):
        return None
    if " | " in name and re.search(r"\s(?:and|&)\s", name):  # "JANE DOE and RICK ALONSO | The Associated Press"
        name = name.split(" | ", 1)[0]
    # A wire's name set right after the names, with no separator ("JANE MORROW and PETER OKAFOR Associated Press").
    glued = _GLUED_WIRE.search(name)
    if glued and len(name[:glued.start()].split()) >= 2:
        name = name[:glued.start()]
    return _person_name(_bare_name(name)) or None


# A courtesy or academic title before a name ("Dr. Noor Haddad", "Prof. Ana Ruiz", "Rev. Dr. Martin Okoye") is no
# part of it: kept only when the name would be a single word without it ("Dr. Oz"). Title case only: "MS", "DR",
# "MR" in capitals are a name's initials ("MS Venkatesh Kumar", everyday in Indian bylines), not titles.
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Sir|Dame|Rev|Mr|Mrs|Ms|Mx)\.?\s+(?=[^\W\d_])")


def _person_name(name: str) -> str:
    """A person's name as an author field holds it: no courtesy title, capitals as names are written."""
    return _name_case(_without_honorific(name))


def _without_honorific(name: str) -> str:
    while (match := _HONORIFIC.match(name)) and len(name[match.end():].split()) >= 2:
        name = name[match.end():]
    return name


# A word printed in capitals, maybe after a name prefix set as written ("McDONALD", "DeANDRE", "LeBRON").
_NAME_PREFIX = re.compile(r"(?:Ma?c|D[aeiu]|L[ae])(?=[A-ZÀ-Ý]{2})")
_SHOUTED_WORD = re.compile(r"(?:(?:Ma?c|D[aeiu]|L[ae])(?=[A-ZÀ-Ý]{2}))?[A-ZÀ-Ý][A-ZÀ-Ý'’.-]*")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "del", "della", "du", "la", "le", "ten", "ter",
                        "bin", "al", "el", "dos", "das", "y"})
_ROMAN_NUMERAL = re.compile(r"(?:II|III|IV|VI{0,3}|IX|XI{0,3})")
# A name in capitals that is no person's: a desk, a network or an outlet ("KDTV NEWS DESK", "USA TODAY NETWORK"),
# or one holding an acronym: a word of 2-5 letters with no vowel ("KDTV", "JPL", "NBC"; "y" is a vowel: "LYNN"),
# or one listed. Titles and suffixes without vowels ("JR", "MR") are no acronyms.
_NOT_A_PERSON_WORD = re.compile(r"desk|news|network|staff|newsroom|team|media|wire|digital|press|service|bureau|"
                                r"agency|radio|television|channel|online|reporters|editors|"
                                r"nasa|usa|abc|afp|upi|aap|ansa|efe|espn|noaa|nato|un|eu|uk|us|aol|ap", re.I)
_VOWELLESS = re.compile(r"[B-DF-HJ-NP-TV-XZ]{2,5}")
_NOT_ACRONYMS = frozenset({"JR", "SR", "MR", "MRS", "MS", "DR", "ST"})


def _shouted(word: str) -> bool:
    prefix = _NAME_PREFIX.match(word)
    rest = word[prefix.end():] if prefix else word
    return len(word) > 1 and rest.isupper()


def _not_a_person_in_capitals(words: list[str]) -> bool:
    return any(_NOT_A_PERSON_WORD.fullmatch(w.strip(".")) or (_VOWELLESS.fullmatch(w) and w not in _NOT_ACRONYMS)
               for w in words)


def _name_case(name: str) -> str:
    """A name printed in capitals ("JANE DOE and RICK ALONSO", "SEAN McDONALD", "DeANDRE WATTS", "KATE O'NEIL",
    "JOHN SMITH III") as names are written: "Sean McDonald", "DeAndre Watts", "Kate O'Neil", "John Smith III",
    "Anna van der Berg"; a name with any small letters is left as printed, and so is a desk, a network or an
    acronym ("KDTV NEWS DESK", "NASA JPL")."""
    words = name.split()
    # Two words in capitals at least: one is an acronym ("NDR", "AP"), never a shouted name.
    if sum(map(_shouted, words)) < 2 or not all(
            _SHOUTED_WORD.fullmatch(w) or w.lower() in ("and", "&") for w in words):
        return name
    if _not_a_person_in_capitals(words):
        return name
    out = []
    for i, word in enumerate(words):
        if word.lower() in ("and", "&") or (i and word.lower() in _PARTICLES):
            out.append(word.lower())
            continue
        if i and _ROMAN_NUMERAL.fullmatch(word):
            out.append(word)
            continue
        prefix = _NAME_PREFIX.match(word)
        rest = word[prefix.end():] if prefix else word
        cased = re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), rest.lower())
        out.append((prefix.group() if prefix else "") + cased)
    return " ".join(out)


# A CMS's account or desk name, not a person: "admin" (WordPress's default user), "Staff reporter".
# A name made only of role words ("Court Reporter") or a desk ("Digital Desk", "Sports Desk") is no person either:
# a desk credit would otherwise be listed as the author.
_PLACEHOLDER_AUTHOR = re.compile(r"(?:site ?)?admin(?:istrator)?|webmaster|root|editor|editors|the editors|staff|"
                                 r"staff (?:reporter|writer)s?|newsroom|news desk|web desk|redaktion|"
                                 r"(?:the )?(?:[\w-]+ )?desk|" + _ROLE + "s?", re.I)


def _author_names(names: list[str]) -> list[str]:
    """Author fields carry what bylines do ("By Mary Stone 2 hours ago", "Ana Ruiz | 5 min read"): cleaned as a
    byline is, and a field that is only a date or a time is no author. "Ana Ruiz and Ted Okafor" is two names."""
    out = []
    for name in map(byline_name, names):
        if name and _CJK_ROLE_SEPARATOR.search(name):  # "李明 通讯员 张华": a second role names a second person
            out.extend(n for n in (_bare_name(p.strip()) for p in _CJK_ROLE_SEPARATOR.split(name)) if n)
        elif name and not _PLACEHOLDER_AUTHOR.fullmatch(name):
            out.extend(_split_names(name))
    return out


_CJK_ROLE_SEPARATOR = re.compile(r"\s+(?:记者|記者|通讯员|通訊員|특파원|기자)\s+(?=\S)")


def _split_names(name: str) -> list[str]:
    """Names joined by "and" / "&" (and commas before it), when every part is a personal name of 2-4 capitalised
    words: "Health and Human Services" or "Procter & Gamble" stay whole. A role or an outlet after a comma
    ("Ana Ruiz, Senior Reporter", "..., Associated Press") is dropped, never made a name."""
    if not re.search(r"\s(?:and|&|und|et|y)\s", name):
        first, *rest = name.split(",")
        if rest and _PERSON_NAME.fullmatch(first.strip()) and all(_AFFILIATION.search(r) or _outlet(r) for r in rest):
            return [_name_case(first.strip())]  # "Owen Price, Data reporter", "JANE DOE, Associated Press"
        return [name]
    parts = [p for p in _NAME_LIST.split(name) if p]
    after_comma = [False] + [sep.strip() == "," for sep in _NAME_LIST.findall(name)]
    names = [p for p, comma in zip(parts, after_comma) if not (comma and (_AFFILIATION.search(p) or _outlet(p)))]
    if len(names) > 1 and all(_PERSON_NAME.fullmatch(p) and not _AFFILIATION.search(p) for p in names):
        return [_person_name(p) for p in names]
    return [name]


def _names(value) -> list[str]:
    names = []
    for entry in _as_list(value):
        if isinstance(entry, dict):
            name = clean(entry.get("name"))
        else:
            name = clean(entry)
        if name and not name.startswith("http"):
            names.append(name)
    return names


_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)$", re.I)


def _first_url(value, by_id: bool = True) -> str | None:
    """The first address in a JSON-LD value. An @id names a node, and is the page's address only for a page
    (mainEntityOfPage): with by_id False (an image) it is taken only when it names a picture file, and an address
    with a "#fragment" only then too ("...#primaryimage" is a node; ".../budget.jpg#crop=16:9" is the picture)."""
    for entry in _as_list(value):
        if isinstance(entry, dict):
            ident = entry.get("@id") if isinstance(entry.get("@id"), str) else None
            # An image's @id is its address only when it names a picture file ("…/budget.jpg"), not a page node.
            entry = (entry.get("url") or (ident if by_id or (ident and _IMAGE_PATH.search(ident.split("#", 1)[0]))
                                          else None) or entry.get("contentUrl"))
        entry = clean(entry)
        if entry and (by_id or "#" not in entry or _IMAGE_PATH.search(entry.split("#", 1)[0])):
            return entry
    return None


# Properties whose value may be a reference ({"@id": ...}) to a node elsewhere in the page's graph (Yoast). Not the
# publisher: a resolved one (often a person on a blog) would beat og:site_name, the name the site gives itself.
_REFERENCES = ("author", "creator", "image")
_PERSON_NAME = re.compile(r"(?:[A-ZÀ-Ý][\w'’.-]+ ){1,3}(?:(?:van|von|der|den|de|da|di|del|du|la|le|ten|ter) ){0,2}"
                          r"[A-ZÀ-Ý][\w'’.-]+")
_NAME_LIST = re.compile(r"\s*,\s*|\s+(?:and|&|und|et|y)\s+")
# Words of a job title or an outlet, not of a person's name ("Staff Photographer", "The Washington Post").
_AFFILIATION = re.compile(
    r"^the\b|\b(?:reporters?|writers?|editors?|photographers?|correspondents?|columnists?|contributors?|producers?|"
    r"analysts?|staff|senior|chief|desk|team|press|news|post|times|associated|agency|wire|bureau|journal|herald|"
    r"tribune|gazette|courier|daily|weekly|magazine|media|network|service|chronicle|observer|telegraph|guardian|"
    r"redaktion|redakteur(?:in)?|korrespondent(?:in)?|rédaction|journaliste|redacción|periodista)\b", re.I)


def _resolved(item: dict, items: list[dict]) -> dict:
    """The item with its author/creator/image references replaced by the graph's nodes they name."""
    refs = [key for key in _REFERENCES if any(isinstance(e, dict) and "@id" in e and len(e) <= 2
                                                  for e in _as_list(item.get(key)))]
    if not refs:
        return item
    nodes = {n["@id"]: n for n in items if isinstance(n.get("@id"), str) and len(n) > 2}
    out = dict(item)
    for key in refs:
        out[key] = [nodes.get(e["@id"], e) if isinstance(e, dict) and isinstance(e.get("@id"), str) else e
                    for e in _as_list(item[key])]
    return out


# A character reference left in a JSON-LD string: some CMSs HTML-escape the text before writing it as JSON, so the
# headline reads "rival&#x27;s" where og:title and the h1 read "rival's".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SHORT_TEXT = ("headline", "name", "alternativeHeadline", "description")


def _unescaped(item: dict) -> dict:
    """The item with character references decoded in its short text fields and in its authors' names (not in
    articleBody: clean_body decides about escaped markup there)."""
    def fix(value):
        return html_module.unescape(value) if isinstance(value, str) and _ENTITY.search(value) else value

    def fix_person(value):
        if isinstance(value, dict) and isinstance(value.get("name"), str) and _ENTITY.search(value["name"]):
            return {**value, "name": fix(value["name"])}
        return fix(value)

    out = {k: fix(v) if k in _SHORT_TEXT else v for k, v in item.items()}
    for key in ("author", "creator"):
        value = out.get(key)
        if value is not None:
            out[key] = [fix_person(e) for e in value] if isinstance(value, list) else fix_person(value)
    return out


def json_ld_article(tree) -> dict:
    """The most article-like JSON-LD object on the page, or {}."""
    items: list[dict] = []
    for script in tree.css('script[type="application/ld+json" i]'):
        raw = script.text(deep=True)
        if not raw or len(raw) > _MAX_JSON_LD_CHARS:
            continue
        if any(mark in raw for mark in _JSON_WRAPPER_MARKS):  # the pattern tries every position of the text
            raw = _JSON_WRAPPERS.sub("", raw)
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except ValueError:
            continue
        _walk_json_ld(data, items)
    article = next((i for i in items if _types(i) & _ARTICLE_TYPES), None)
    page = next((i for i in items if _types(i) & _PAGE_TYPES), None)
    chosen = article or page
    if chosen is None:
        return {}
    site = next((clean(i.get("name")) for i in items if "website" in _types(i) and isinstance(i.get("name"), str)),
                None)
    if chosen is page and not (chosen.get("headline") or chosen.get("datePublished")):
        return {"_page": True, "name": chosen.get("name"), "inLanguage": chosen.get("inLanguage"), "_site": site}
    out = _unescaped(_resolved(chosen, items))
    if chosen is page:
        # A WebPage's headline or name is the page's (often the site's slogan), not the story's.
        out = {k: v for k, v in out.items() if k not in ("headline", "name")}
    if site:
        out = {**out, "_site": site}
    return out


def meta_tags(tree) -> dict[str, str]:
    """First content per lower-cased meta property/name/itemprop; a space-separated list of properties
    ("og:title twitter:title", RDFa style) gives the content to each of them."""
    found: dict[str, str] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes  # one dict: five lookups through .attrs cost more
        content = attrs.get("content")
        if content is None:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            keys = attrs.get(key_attr)
            if keys and content.strip():
                for key in keys.lower().split():
                    found.setdefault(key, content.strip())
    return found


def _first_meta(meta: dict, keys) -> tuple[str | None, str | None]:
    for key in keys:
        if meta.get(key):
            return meta[key], key
    return None, None


def _time_element(tree) -> str | None:
    if tree.css_first("time") is None:  # most pages have none: one pass over the tree instead of five
        return None
    for selector in ('time[itemprop="datePublished" i]', "time[pubdate]", 'time[class*="publish" i]',
                     "article time[datetime]", "time[datetime]"):
        node = tree.css_first(selector)
        if node is not None:
            value = node.attrs.get("datetime") or node.text(deep=True)
            iso = to_iso_utc(value)
            if iso:
                return iso
    return None


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    path = urlsplit(url).path
    match = _URL_DATE.search(path) or _URL_DATE_COMPACT.search(path)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


# A date written out near the headline ("Sept. 5, 2025", "5 March 2025", "21. Mai 2025", "30 mars 2025",
# "5 de marzo de 2025", "14 сентября 2026", "12 أكتوبر 2026"): month names and abbreviations of en/de/fr/es/it,
# pt/nl/sv/pl/tr/id (Polish in the genitive: "7 października") and ru/ar by their first letters.
_MONTHS = {"jan": 1, "janv": 1, "ene": 1, "gen": 1, "feb": 2, "fév": 2, "fev": 2, "febr": 2, "mar": 3, "mär": 3,
           "apr": 4, "avr": 4, "abr": 4, "may": 5, "mai": 5, "mag": 5, "jun": 6, "juin": 6, "giu": 6, "jul": 7,
           "juil": 7, "lug": 7, "aug": 8, "aoû": 8, "aou": 8, "ago": 8, "sep": 9, "set": 9, "oct": 10, "okt": 10,
           "ott": 10, "nov": 11, "dec": 12, "dez": 12, "déc": 12, "dic": 12,
           "maa": 3, "mei": 5, "agu": 8, "out": 10, "des": 12,  # nl maart, nl/id mei, id agustus, pt outubro, id
           "sty": 1, "lut": 2, "kwi": 4, "maj": 5, "cze": 6, "lip": 7, "sie": 8, "wrz": 9, "paź": 10, "paz": 10,
           "lis": 11, "gru": 12,  # pl
           "oca": 1, "şub": 2, "nis": 4, "haz": 6, "tem": 7, "ağu": 8, "eyl": 9, "eki": 10, "kas": 11, "ara": 12,  # tr
           "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
           "окт": 10, "ноя": 11, "дек": 12,  # ru
           "ينا": 1, "فبر": 2, "مار": 3, "أبر": 4, "إبر": 4, "ابر": 4, "ماي": 5, "يون": 6, "يول": 7, "أغس": 8,
           "اغس": 8, "سبت": 9, "أكت": 10, "اكت": 10, "نوف": 11, "ديس": 12,  # ar
           "شباط": 2, "آذار": 3, "نيسا": 4, "أيار": 5, "ايار": 5, "حزير": 6, "تموز": 7, "أيلو": 9, "ايلو": 9}
# The Levantine month names of two words, or of two letters ("آب"), written as the one-word names above.
_LEVANTINE_MONTHS = {"كانون الثاني": "يناير", "تشرين الأول": "أكتوبر", "تشرين الاول": "أكتوبر",
                     "تشرين الثاني": "نوفمبر", "كانون الأول": "ديسمبر", "كانون الاول": "ديسمبر", "آب": "أغسطس"}
_LEVANTINE = re.compile("|".join(sorted(_LEVANTINE_MONTHS, key=len, reverse=True)))
_MONTH_WORD = r"(?P<month>[^\W\d_]{3,13})\.?"
_TEXT_DATE = re.compile(r"\b(?:" + _MONTH_WORD + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})"
                        r"|(?P<day2>\d{1,2})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<month2>[^\W\d_]{3,13})\.?"
                        r"(?:\s+de)?\s+(?P<year2>(?:19|20)\d{2}))\b")
# A dateline stands alone: a short block holding the date and nothing but a time, a label ("Published",
# "Mis à jour le"), a weekday or a "By ..." byline. A date inside a sentence of the story (an effective date,
# a deadline, "opened on Sept. 5, 1932") is never the page's: a missing date beats a wrong one.
_DATELINE_MAX = 80  # characters of a byline/dateline block
_DEK_MAX = 300  # characters of a standfirst passed over on the way to the byline
_DATELINE_NODES = 60  # nodes visited after the headline (empty ones count too: a page of empty siblings)
_BYLINE_NODES = 24  # ... when only a byline is looked for
_CELL_TAGS = frozenset({"td", "th"})
# (a zone after the clock that _DATELINE_WORDS does not list, being a word elsewhere: "11:30 p.m. IST")
_DATELINE_TIME = re.compile(r"\b\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?\s?m\b\.?|h\b|uhr\b)?"
                            r"(?:\s*(?:ist|jst|kst|aest|aedt|msk|eet|eest|mdt)\b)?", re.I)
_DATELINE_WORDS = re.compile(
    r"\b(?:published|updated|posted|last|modified|first|on|at|and|am|um|uhr|le|à|el|il|ore|de|del|a|las|"
    r"publié|mis|jour|modifié|veröffentlicht|aktualisiert|zuletzt|stand|erstellt|actualizado|publicado|"
    r"pubblicato|aggiornato|alle|[ecmp][sd]?t|gmt|utc|bst|cet|cest|mez|mesz|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|"
    r"sabato|domenica|"
    # pt, nl, pl, tr, id, sv, ru, ar labels and weekdays ("Opublikowano", "Опубликовано ... в 09:15", "الاثنين")
    r"segunda|terça|quarta|quinta|sexta|feira|às|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|om|"
    r"gepubliceerd|bijgewerkt|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela|opublikowano|"
    r"aktualizacja|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|yayınlanma|güncelleme|tarihi|senin|"
    r"selasa|rabu|kamis|jumat|sabtu|minggu|diterbitkan|pukul|wib|måndag|tisdag|onsdag|torsdag|fredag|lördag|"
    r"söndag|publicerad|uppdaterad|kl|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"опубликовано|обновлено|в|года?|г|мск|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد|"
    r"نشر|في|آخر|تحديث|بتوقيت)\b\.?", re.I)
# "By Ana Ruiz, Staff Writer" beside the date: a name-shaped run with no sentence in it.
_DATELINE_BYLINE = re.compile(rf"^(?:{BY_WORDS})\s+(?-i:[A-ZÀ-Ý])[^.!?:;]*(?:\.\s*[^\W\d_][^.!?:;]*)*$",
                              re.I)
_DATELINE_SEPARATORS = re.compile(r"[|·•/,;:()@\[\]\-\u2013\u2014\u060c\s]+")  # (\u060c: Arabic comma)
_UPDATED = re.compile(r"(?:updated|modified|aktualisiert|mis à jour|actualizado|aggiornato)\W{0,3}"
                      r"(?:on|am|le|el|il)?\W{0,3}$", re.I)
_DATELINE_MASTHEAD = re.compile(r"logo|brand|site-?name|site-?title|masthead", re.I)
_DATELINE_BOX = re.compile(r"byline|author|date|time|meta|info|posted|publish|stamp|dateline", re.I)
_DATELINE_DEK = re.compile(r"\b(?:[\w-]*[-_])?(?:dek|standfirst|description|summary|subtitle|subhead|teaser|excerpt|strap"
                           r"(?:line)?|intro|deck)\b", re.I)
_NOT_DATELINE_TAGS = frozenset({"script", "style", "template", "noscript", "-comment", "figure", "img", "svg"})
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "h2", "h3", "-text"})


def _month(word: str) -> int | None:
    word = word.lower()
    if word.startswith("jui"):
        return 7 if word.startswith("juil") else 6 if word.startswith("juin") else None
    return _MONTHS.get(word[:4]) or _MONTHS.get(word[:3])


# Labels a dateline carries that name no date: a reading time ("5 min read"), a CMS's "Submitted by <user>".
_DATELINE_LABELS = re.compile(r"\b\d+\s*min(?:ute)?s?\.?\s+read\b|\b(?:submitted|posted)\s+by\s+[\w.@-]+(?=\s+on\b)"
                              r"|(?:来源|作者|记者|编辑)\s*[:：]\s*\S+", re.I)  # ("来源：江南日报　作者：陈晓")


def _label_only(side: str) -> bool:
    """True when a dateline's text beside its date is only separators, times, labels or a "By ..." byline."""
    # Labels and times out first: "Posted by Ana Ruiz on" leaves its byline, "By Friday," nothing of one.
    if any(ch.isdigit() for ch in side) or "ubmitted" in side or "osted" in side or "：" in side:
        side = _DATELINE_LABELS.sub(" ", side)
    side = " ".join(_DATELINE_SEPARATORS.sub(" ", _DATELINE_WORDS.sub(" ", _DATELINE_TIME.sub(" ", side))).split())
    return not side or _DATELINE_BYLINE.match(side) is not None


_NUMERIC_DATE = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d{2})(?![\d/])")


def _numeric_dateline(text: str, day_first: bool | None) -> str | None:
    """The date of a dateline written in numbers ("Mon, 01/13/2025 - 10:22", "04/02/2025 - 15:40"): read day
    first or month first by the page's language (day_first; None when it does not say: only a date whose day is
    over 12 is read then)."""
    matches = list(_NUMERIC_DATE.finditer(text))
    if not matches or len(matches) > 2:
        return None
    edges = [0, *(e for m in matches for e in (m.start(), m.end())), len(text)]
    if not all(_label_only(text[a:b]) for a, b in zip(edges[::2], edges[1::2])):
        return None
    # "Publié le 06/03/2026 - Mis à jour le 07/03/2026": the date not labelled as an update, if there is one.
    m = next((m for m in matches if not _UPDATED.search(text, max(0, m.start() - 25), m.start())), matches[0])
    a, sep, b, year = m.groups()
    a, b, year = int(a), int(b), int(year)
    if sep == ".":  # "11.03.2026": only day first ("Stand: 12.03.2026, 17:45 Uhr")
        day_first = True
    if a > 12 or (b <= 12 and day_first):
        day, month = a, b
    elif b > 12 or day_first is False:
        day, month = b, a
    else:
        return None
    try:
        return datetime(year, month, day, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:-(\d{2})-(\d{2})|年(\d{1,2})月(\d{1,2})日)")


def _iso_dateline(text: str) -> str | None:
    """The date of a dateline written year first ("2025-03-04 10:22", "2025年11月10日 18時30分")."""
    m = _ISO_DATE.search(text)
    if m is None or not (_label_only(text[:m.start()]) and _label_only(_CJK_TIME.sub(" ", text[m.end():]))):
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    try:
        return datetime(year, month, day, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


_CJK_TIME = re.compile(r"\d{1,2}時(?:\d{1,2}分)?|[(（][^)）]{1,3}[)）]")


def _dateline(text: str, day_first: bool | None = None) -> str | None:
    """The date of a block that is a dateline and nothing else, else None."""
    text = _LEVANTINE.sub(lambda m: _LEVANTINE_MONTHS[m.group()], text)
    matches = [m for m in _TEXT_DATE.finditer(text) if _month(m.group("month") or m.group("month2"))]
    if not matches:
        if "/" in text or "." in text:
            numeric = _numeric_dateline(text, day_first)
            if numeric or "/" in text:
                return numeric
        return _iso_dateline(text) if "-" in text or "年" in text else None
    edges = [0, *(e for m in matches for e in (m.start(), m.end())), len(text)]
    if not all(_label_only(text[a:b]) for a, b in zip(edges[::2], edges[1::2])):
        return None
    # "Updated June 3 / Published June 2": the date not labelled as an update, if there is one.
    chosen = next((m for m in matches if not _UPDATED.search(text, max(0, m.start() - 25), m.start())), matches[0])
    month = _month(chosen.group("month") or chosen.group("month2"))
    day, year = int(chosen.group("day") or chosen.group("day2")), int(chosen.group("year") or chosen.group("year2"))
    try:
        date = datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None
    return _with_clock(date, text[chosen.end():]).strftime("%Y-%m-%dT%H:%M:%SZ")


# The clock time right after a dateline's date ("at 9:00 a.m. ET", ", 09:00 CET", "- 9 a.m. EST"). It is read only
# with a zone: without one the instant is unknown, and the date alone (midnight UTC, as every text date) is given.
_CLOCK_AFTER_DATE = re.compile(r"\s*(?:at|@|,|-|\u2013|\u2014|\u00b7|\|)?\s*(?P<hour>\d{1,2})(?::(?P<minute>[0-5]\d))?"
                               r"\s*(?:(?P<half>[ap])\.?\s?m\b\.?)?\s*\(?(?P<zone>[A-Z]{1,4})\b", re.I)
# Abbreviations of more than one zone: CST (US Central, China), CDT (US, Cuba), IST (India, Israel, Ireland), BST
# (Britain, Bangladesh), MST (US Mountain, Malaysia), PST (US Pacific, Philippines). An evening time read in the
# wrong one moves the date to another day; the date alone keeps the right day.
_AMBIGUOUS_ZONES = frozenset({"CST", "CDT", "IST", "BST", "MST", "PST"})
_US_ZONES = {"E": -5, "C": -6, "M": -7, "P": -8}  # "ET", "CT", "MT", "PT": standard hours; summer time added


def _us_summer_time(date: datetime) -> bool:
    """US daylight saving time on that day: from the second Sunday of March to the first Sunday of November."""
    def nth_sunday(month: int, n: int) -> int:
        first = datetime(date.year, month, 1)
        return 1 + (6 - first.weekday()) % 7 + 7 * (n - 1)
    return (date.month, date.day) >= (3, nth_sunday(3, 2)) and (date.month, date.day) < (11, nth_sunday(11, 1))


def _with_clock(date: datetime, after: str) -> datetime:
    """The date at the clock time printed after it, in UTC, when that time has a known zone; else the date."""
    m = _CLOCK_AFTER_DATE.match(after)
    if m is None or not (m.group("minute") or m.group("half")):
        return date
    hour, zone = int(m.group("hour")), m.group("zone").upper()
    if m.group("half"):
        if not 1 <= hour <= 12:
            return date
        hour = hour % 12 + (12 if m.group("half").lower() == "p" else 0)
    if hour > 23:
        return date
    if zone in _TZ_ABBREVIATIONS and zone not in _AMBIGUOUS_ZONES:
        offset = _TZ_ABBREVIATIONS[zone]
    elif len(zone) == 2 and zone[1] == "T" and zone[0] in _US_ZONES:
        offset = (_US_ZONES[zone[0]] + _us_summer_time(date)) * 3600
    else:
        return date
    return date + timedelta(hours=hour, minutes=int(m.group("minute") or 0), seconds=-offset)


# A wire dateline opening the lede: "WASHINGTON, Sept. 5, 2025 — ", "LONDON, 5 September 2025 (Reuters) - ",
# "MARSH END, England, March 3, 2024 /PRNewswire/ -- ": a place in capitals, maybe a region, the date, maybe the
# agency, then a dash.
_LEDE_DATELINE = re.compile(r"(?P<head>(?-i:[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}),[^\u2014\u2013]{6,60}?)"
                            r"\s*(?:\([^()]{1,30}\)\s*|/[^/]{1,30}/\s*)?(?:\u2014|\u2013|--?)\s")
_REGION = re.compile(r"(?-i:[A-Z][\w.'\u2019-]*)(?: (?-i:[A-Z][\w.'\u2019-]*)){0,2}")


def lede_date(text: str) -> str | None:
    """The date of a wire dateline that opens a paragraph (_LEDE_DATELINE), else None: a date inside a sentence
    ("on Sept. 5, 2025, the law takes effect") is never read."""
    match = _LEDE_DATELINE.match(text)
    if match is None:
        return None
    parts = match.group("head").split(", ")
    for k in range(1, len(parts)):
        if k > 1 and not _REGION.fullmatch(parts[k - 1]):
            return None
        date = _dateline(", ".join(parts[k:]))
        if date:
            return date
    return None


def _headline(tree):
    """The page's first <h1> that is not the site's masthead (a logo <h1>, or one in a <nav> or in a <header>
    outside the <article>/<main>)."""
    return next((h1 for h1 in tree.css("h1") if not _is_masthead(h1)), None)


def _is_masthead(h1) -> bool:
    if _DATELINE_MASTHEAD.search(f"{h1.attrs.get('class') or ''} {h1.attrs.get('id') or ''}"):
        return True
    node, masthead = h1.parent, False
    while node is not None and node.tag not in ("article", "main", "html"):
        masthead = masthead or node.tag in ("nav", "header")
        node = node.parent
    return masthead and (node is None or node.tag == "html")


def first_headline(tree):
    """_headline, by a query that stops at the first <h1> when that one is no masthead (most pages)."""
    h1 = tree.css_first("h1")
    return h1 if h1 is None or not _is_masthead(h1) else _headline(tree)


_TITLE_BLOCKS = 'b, strong, font, h2, h3, [class~="headline" i]'
_TITLE_BLOCKS_READ = 200


def _title_block(tree, title: str):
    """The first bold or heading block (of the first few) whose text is the page's title, or a part of it of
    four words or more (a <title> carries the site's name too)."""
    want = fold_words(title)
    for node in tree.css(_TITLE_BLOCKS)[:_TITLE_BLOCKS_READ]:
        text = fold_words(node.text(deep=True))
        if text and (text == want or (len(text.split()) >= 4 and f" {text} " in f" {want} ")):
            return node
    return None


_NON_WORD = re.compile(r"\W+")


def fold_words(text: str) -> str:
    """Lower-case words joined by one space, punctuation dropped: a headline, a name or a description matches however
    the page punctuates or spaces it ("Harbour-Cargo: Day 2" and "harbour cargo day 2")."""
    return _NON_WORD.sub(" ", text.lower()).strip()


# Hosts whose country writes numeric dates day first (the UK, Ireland, Australia, New Zealand, South Africa, India,
# ...), and those of the US, month first: they say so when a bare lang="en" does not.
_DAY_FIRST_HOST = re.compile(r"\.(?:uk|ie|au|nz|za|in|sg|my|ng|ke|pk|hk|mt|cy|gh|lk|bd|jm)$")
_MONTH_FIRST_HOST = re.compile(r"\.(?:us|gov|mil)$")


def _day_first(tree, url: str | None = None) -> bool | None:
    """Whether the page writes numeric dates day first: by its <html lang> (US English month first, other English
    and other languages day first); for a bare "en" or no language, by its host's country; else it does not say."""
    node = tree.css_first("html")
    lang = (node.attrs.get("lang") or "").lower().replace("_", "-") if node is not None else ""
    if lang and lang != "en":
        return lang != "en-us"
    host = (urlsplit(url).hostname or "") if url else ""
    if _DAY_FIRST_HOST.search(host):
        return True
    return False if _MONTH_FIRST_HOST.search(host) else None


def text_date(tree, deadline: Deadline | None = None) -> str | None:
    """The date of a dateline block just after the page's headline (a byline block's "June 2, 2025"), read
    only before the body's first sentence: pages with no date in their data show one there."""
    return after_headline(tree, deadline, want_date=True, want_names=False)[0]


def after_headline(tree, deadline: Deadline | None = None, want_date: bool = True,
                   want_names: bool = True, title: str | None = None,
                   url: str | None = None) -> tuple[str | None, list[str]]:
    """(date, authors) read from the short blocks between the page's headline and its body's first sentence: a
    dateline block's date (text_date) and a "By Jane Doe" line's names (byline_line_names). Without an <h1>, the
    headline is a bold or heading block that says the page's title (an old table layout's <font><b>)."""
    h1 = _headline(tree) or (_title_block(tree, title) if title else None)
    if h1 is None:
        return None, []
    found = _Found(want_date, want_names, _day_first(tree, url))
    # A byline sits right under the headline: looking for one alone, the walk is shorter.
    most = _DATELINE_NODES if want_date else _BYLINE_NODES
    visited = 0
    for sibling in _blocks_after(h1):
        stack = [sibling]
        while stack:
            block = stack.pop()
            visited += 1
            if visited > most:
                return found.date, found.names
            if deadline is not None:
                deadline.check()
            inside = _read_block(block, found)
            if inside is None:
                return found.date, found.names
            stack.extend(inside)
    return found.date, found.names


@dataclass
class _Found:
    """What after_headline looks for, what it has found, and the last short block read (a label: "Beginn:")."""
    want_date: bool
    want_names: bool
    day_first: bool | None
    date: str | None = None
    names: list[str] = field(default_factory=list)
    label: str = ""


def _blocks_after(h1):
    """The blocks after the h1 in document order: its following siblings, then its parent's, up a few levels."""
    node, levels = h1, 0
    while node is not None and levels < 4:
        sibling = node.next
        while sibling is not None:
            yield sibling
            sibling = sibling.next
        node, levels = node.parent, levels + 1


def _read_block(block, found: _Found) -> list | None:
    """The blocks inside `block` to read next, last first (a long container is read child by child); None when
    the search is over: all that was wanted is found, or a long paragraph shows the body has begun."""
    if block.tag in _NOT_DATELINE_TAGS:
        return []
    text = " ".join(block.text(deep=True, separator=" ").split())
    if not text:
        return []
    attrs = {} if block.tag == "-text" else block.attrs
    names_attr = f"{attrs.get('class') or ''} {attrs.get('id') or ''}" if attrs else ""
    if len(text) <= _DATELINE_MAX or _byline_fields(text):
        return _read_short_block(block, text, names_attr, found)
    children = list(islice(block.iter(include_text=True), _DATELINE_NODES))
    if len(text) <= _DEK_MAX and _DATELINE_DEK.search(names_attr):
        return []  # a standfirst between the headline and the byline
    if block.tag in _PARAGRAPH_TAGS or any(c.tag == "-text" and len(c.text().strip()) > 20 for c in children):
        return None  # a paragraph: the body has begun, and a date after it is the story's
    return list(reversed(children))


_FIELD_BAR = re.compile(r"\s+\|\s+")


def _byline_fields(text: str) -> bool:
    """A byline line longer than a dateline block, set in fields by bars, each of a dateline's size and none a
    sentence: "By Jane Doe | Updated January 23, 2026 at 4:15 p.m. ET | Published January 22, 2026 at 9:00 a.m.
    ET" is read as one short block."""
    if len(text) > _DATELINE_MAX * 2 or " | " not in text or not _BYLINE_LINE.match(text):
        return False
    return all(len(f) <= _DATELINE_MAX and (not ENDS_AS_SENTENCE.search(f) or _ENDS_WITH_CLOCK.search(f))
               for f in _FIELD_BAR.split(text))


def _read_short_block(block, text: str, names_attr: str, found: _Found) -> list | None:
    """A byline or dateline-sized block: its names and date go into `found`; as _read_block."""
    if block.tag in _CELL_TAGS:
        # A short table cell is the table's: an infobox's "Founded: (1998-02-28)". But a layout
        # table's cell can hold the byline, its role on the next line ("By TOM BRECKER<br>Courier
        # Staff Writer"): its first line names the author (an old table layout's byline).
        if found.want_names and not found.names and _BYLINE_LINE.match(text):
            first = block.text(deep=True, separator="\n").strip().split("\n", 1)[0]
            found.names = byline_line_names(" ".join(first.split()))
        return []
    if found.want_names and not found.names:
        found.names = byline_line_names(text)
        labelled = _CJK_AUTHOR_LABEL.search(text) if "作者" in text else None
        if labelled:  # "2026年07月28日 09:15　来源：江南日报　作者：陈晓": an info line with a labelled author
            found.names = [labelled.group(1)]
        if not found.names and block.tag == "a" and _AUTHOR_LINK.search(block.attrs.get("href") or ""):
            found.names = byline_line_names("By " + text)  # a link to the author's page ("/@nadia")
        if not found.names and _NAMES_BOX.search(names_attr) and not _PICTURE_CREDIT.match(text) \
                and not _in_furniture(block):
            # "Nadia Farouk and Peter Holm" in an authors box (one with its "By" was read above)
            found.names = [] if _BYLINE_LINE.match(text) else byline_line_names("By " + text)
    if found.want_date and not found.date:
        # A date under another label ("Beginn:" in an event's box) is that label's.
        labelled = found.label.endswith(":") and not _label_only(found.label)
        found.date = None if labelled or "event" in names_attr.lower() else _dateline(text, found.day_first)
        if not found.date and not labelled and _DATELINE_BOX.search(names_attr):
            found.date = _date_beside_name(text, found.day_first)
    if (found.date or not found.want_date) and (found.names or not found.want_names):
        return None
    found.label = text
    # A byline box ("Joe Wee | Monday, Feb. 29, 2016", or one with a hashed class: "Nadia Osei
    # Follow 5 min read · Jan 21, 2025") is read piece by piece; a sentence is not.
    if not ENDS_AS_SENTENCE.search(text) or _ENDS_WITH_CLOCK.search(text):
        return list(reversed(list(islice(block.iter(include_text=False), _DATELINE_NODES))))
    return []


# A box between the headline and the body named for the story's writers ("bh-authors", "story-byline"): its text,
# if it is nothing but personal names, names the authors without a "By". Credits and contributors boxes are not:
# they as often name a photographer or the people a story quotes.
_NAMES_BOX = re.compile(r"(?:^|[\s_-])(?:authors?|bylines?|writers?)(?:$|[\s_-])", re.I)
_NAME_DATE_SEPARATOR = re.compile(r"\s+[\u00b7|\u2022\u2013\u2014]\s+")


def _date_beside_name(text: str, day_first: bool | None) -> str | None:
    """The date of a byline box's one line "Ben Achterberg · January 22, 2026": a personal name with no "By",
    a separator, then a dateline."""
    parts = _NAME_DATE_SEPARATOR.split(text, maxsplit=1)
    if len(parts) != 2 or _BYLINE_LINE.match(parts[0]) or _UPDATE_LABEL.match(parts[1]) \
            or not byline_line_names("By " + parts[0]):
        return None
    return _dateline(parts[1], day_first)


# "Jane Doe · Updated Jan. 24, 2026": an update's date, never the publication's.
_UPDATE_LABEL = re.compile(r"\W*(?:last\s+)?(?:updated|modified|aktualisiert|actualizado|mis à jour|aggiornato)\b",
                           re.I)


# "... January 22, 2026 at 9:00 a.m.": the full stop of "a.m." ends no sentence.
_ENDS_WITH_CLOCK = re.compile(r"\d\s*[ap]\.\s?m\.$", re.I)


_CJK_AUTHOR_LABEL = re.compile(r"作者\s*[:：]\s*([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])")
_AUTHOR_LINK = re.compile(r"/@[\w.-]+/?$|/authors?/|/staff/|/profiles?/", re.I)
# A byline line: "By" and names, maybe an agency or a role after a comma ("By Jane Doe, Reuters"), maybe a date
# after a bar or a dash (cut by byline_name).
_BYLINE_LINE = re.compile(r"^\s*(?:(?:interview|interviewed|words|text|story|reporting|report|posted|written|"
                          r"(?:photos?|pictures|words|text)\s+and\s+(?:photos?|pictures|words|text))\s+)?"
                          rf"(?:{BY_WORDS})\s+(?-i:[A-ZÀ-Ý])", re.I)
_AGENCIES = re.compile(r"^(?:the )?(?:associated press|ap|afp|reuters|bloomberg|dpa|efe|xinhua|ansa|upi|kyodo|"
                       r"yonhap|pa media|aap|cnn|bbc news|npr)$", re.I)


def byline_line_names(text: str) -> list[str]:
    """The personal names of a "By Jane Doe" / "By Jane Doe and John Roe" / "By Jane Doe, Reuters" line: each
    2-4 capitalised words; an agency, an outlet or a role after a comma is dropped; a line naming no person ("By
    clicking ...", "By 2030 ...", "By Staff Reporter", "By The Courier") gives none."""
    if not _BYLINE_LINE.match(text):
        return []
    name = byline_name(text)
    if not name:
        return []
    parts = [p.strip() for p in _NAME_LIST.split(name) if p and p.strip()]
    people = [p for k, p in enumerate(parts) if not (_AGENCIES.match(p) or _AFFILIATION.search(p) or (k and _outlet(p)))]
    if not people or not all(_PERSON_NAME.fullmatch(p) for p in people):
        return []
    # Only the leading names are the byline's: an affiliation ends it ("Jane Doe, Reuters").
    return [_person_name(p) for p in people] if parts[:len(people)] == people else []


_LEADING_THE = re.compile(r"^the\s+", re.I)


def _squashed(text: str | None) -> str:
    """Letters and digits only, lower case: "The National Wire" and nationalwire.example.com compare."""
    return _NON_WORD.sub("", (text or "").lower())


def is_site_part(part: str, site_name: str | None, host: str | None) -> bool:
    """A title's part that is the site's name: its og:site_name, or a name whose letters (without a leading "The")
    are in the host's ("The National Wire", nationalwire.example.com), or the host itself."""
    part = part.strip()
    if site_name and part.lower() == site_name.strip().lower():
        return True
    squashed = _squashed(_LEADING_THE.sub("", part))
    return len(squashed) > 2 and squashed in _squashed(host)


def _is_whole_site_name(part: str, site_name: str | None, host: str | None) -> bool:
    """A part that is the site's whole name: its og:site_name, or the whole host or one whole label of it (not
    "www" or the last), with or without a leading "The" ("The Valley Review", www.valleyreview.example). A word
    whose letters are only inside the host is a headline's as often ("Exeter", exeterexpress; "Review")."""
    part = part.strip()
    if site_name and fold_words(part) == fold_words(site_name):
        return True
    squashed = {_squashed(part), _squashed(_LEADING_THE.sub("", part))}
    labels = (host or "").lower().split(".")
    names = {_squashed(host), _squashed(".".join(labels[1:] if labels[0] == "www" else labels))}
    names |= {_squashed(label) for label in labels[:-1] if label != "www"}
    return any(len(s) > 2 and s in names for s in squashed)


def _without_site_after_comma(name: str, site_name: str | None, host: str | None) -> str:
    """"ROBERT HALE III, LAKEVIEW SENTINEL" on lakeviewsentinel.example: the site's own name after a comma is no
    part of the author's."""
    first, comma, rest = name.rpartition(",")
    if comma and _PERSON_NAME.fullmatch(first.strip()) and _is_whole_site_name(rest, site_name, host):
        return _name_case(first.strip())
    return name


def clean_title(title: str, site_name: str | None, host: str | None = None) -> str:
    """Drop a site name before or after the headline in a <title> ("Headline | Site", "Site - Headline")."""
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if not seps:
        return title
    head, tail = title[: seps[-1].start()].strip(), title[seps[-1].end():].strip()
    first, rest = title[: seps[0].start()].strip(), title[seps[0].end():].strip()
    if is_site_part(tail, site_name, host):
        return head
    if is_site_part(first, site_name, host):  # before the guesses by length: "The Pinefield Gazette - Budget"
        return rest
    if len(head.split()) >= 3 and len(tail.split()) <= 3:
        return head
    if len(first.split()) <= 2 and len(rest.split()) >= 3:
        return rest
    return title


def _site_free_title(title: str, tree, site_name: str | None, host: str | None) -> str:
    """An og:title (or a meta title) without the site's name the CMS put in it ("Headline | The National Wire",
    "Name | Obituaries | holmesbulletin.example.com"): the <h1> when it is one of the other parts, else the title
    with the site's part at either end cut; unchanged when no part is the site's whole name (_is_whole_site_name)
    or when the <h1> says the whole og:title ("Exeter – the city that reinvented its quay")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not any(_is_whole_site_name(p, site_name, host) for p in parts):
        return title
    h1 = _headline(tree)
    headline = clean(h1.text(deep=True)) if h1 is not None else None
    if headline and fold_words(headline) == fold_words(title):
        return title
    if headline and any(fold_words(headline) == fold_words(p) for p in parts
                        if not _is_whole_site_name(p, site_name, host)):
        return headline
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if _is_whole_site_name(parts[-1], site_name, host):
        return title[: seps[-1].start()].strip()
    return title[seps[0].end():].strip() if _is_whole_site_name(parts[0], site_name, host) else title


def _fold_case(value: str | None) -> str:
    """Lower-case with each run of spaces made one, punctuation kept (unlike fold_words): title parts and site names
    are compared with their separators and dots, and a stem cut at a length is matched character for character."""
    return (clean(value) or "").lower()


_CUT_HEADLINE_MIN = 30  # characters of a headline stem that a CMS cut to a length


def _ld_title(ld: dict, meta: dict, title_tag: str | None, host: str | None = None) -> str | None:
    """JSON-LD headline, unless name differs and only name is what the page shows as its title (og:title or
    <title>): Wikipedia's JSON-LD headline is the one-line description ("constitutional monarchy in Oceania")."""
    headline, name = clean(ld.get("headline")), clean(ld.get("name"))
    if headline and name and headline.lower() != name.lower():
        titles = [t for t in (meta.get("og:title"), meta.get("twitter:title"), title_tag) if t]
        shown = " ".join(titles).lower()
        # The name must be a whole shown title or a whole part of one ("Name - Wiki") that is not the site's
        # name: a site or section name is a piece of almost every <title>.
        sites = {_fold_case(n) for n in (meta.get("og:site_name"), meta.get("application-name"),
                                         *_names(ld.get("publisher"))) if n}
        parts = {_fold_case(p) for t in titles for p in [t, *_TITLE_SEPARATORS.split(t)]}
        if _fold_case(name) in parts and _fold_case(name) not in sites and headline.lower() not in shown:
            return name
    title = headline or name
    if title and title.endswith(("...", "\u2026")):
        # A headline cut to a length ("... over whether to..."): the page's own full title, cleaned of its site
        # name, if it goes on from it in words. A short one ("And the winner is...") is a headline as written.
        stem = _fold_case(title.rstrip(".\u2026 "))
        site = (clean(meta.get("og:site_name") or meta.get("application-name"))
                or next(iter(_names(ld.get("publisher"))), None))
        for shown in (meta.get("og:title"), meta.get("twitter:title")):
            full = clean_title(clean(shown), site, host) if clean(shown) else None
            rest = _fold_case(full)[len(stem):] if full else ""
            if len(stem) >= _CUT_HEADLINE_MIN and _fold_case(full).startswith(stem) and re.match(r"\s?\w", rest):
                return full
    return title


_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _agreeing_offset(naive: str | None, other: str | None) -> str | None:
    """The UTC offset of `other` when `naive` is the same wall-clock time written without one, else None."""
    if not naive or not other or not _NAIVE_TIME.match(naive):
        return None
    offset = _OFFSET.search(other.strip())
    if offset is None or other.strip()[:16].replace(" ", "T") != naive[:16].replace(" ", "T"):
        return None
    return offset.group()


def _day_before(iso: str) -> str:
    """The calendar day before an ISO date, as YYYY-MM-DD."""
    return (datetime.fromisoformat(iso[:10]) - timedelta(days=1)).strftime("%Y-%m-%d")


def _words4(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


_TAGLINE_MIN_WORDS = 4


_SITE_PART_MAX_WORDS = 4


def _headline_of_title(tree, title_tag: str) -> str | None:
    """The <h1> when the <title> is it plus two parts or more after separators ("Headline | UK news | The
    Chronicle"): the section's name goes with the site's."""
    if not _TITLE_SEPARATORS.search(title_tag):
        return None
    h1 = _headline(tree)
    headline = clean(h1.text(deep=True)) if h1 is not None else None
    if not headline or len(headline.split()) < 2:
        return None
    if title_tag[:len(headline)].lower() != headline.lower():
        return None
    rest = title_tag[len(headline):]
    # Two parts or more after it; or one of at most 4 words, as a site's name ("Headline | La Gazzetta della
    # Valle", too long for clean_title's guess), the <h1> being all of the <title> before it; a longer one is a
    # subtitle as often, and clean_title's to judge.
    parts = len(_TITLE_SEPARATORS.findall(rest))
    if not _TITLE_SEPARATORS.match(rest):
        return None
    return headline if parts >= 2 or len(_TITLE_SEPARATORS.sub(" ", rest).split()) <= _SITE_PART_MAX_WORDS else None


def _title_site(title_tag: str, title: str | None, url: str | None, loose: bool = False) -> str | None:
    """The site's name as the <title> gives it after the headline ("Headline - Riverside Courier"): its last part,
    of at most 4 words, when the rest is the headline or the part squashed is in the host name. With `loose` (asked
    only when no og:site_name, JSON-LD publisher or logo names the site), also a part whose '&' is the host's "and"
    (the whole of one host label) or whose words, some left out, run together into a host label: both are as often a
    section's name ("Home & Garden", "Riverton Business News") as the site's."""
    seps = list(_TITLE_SEPARATORS.finditer(title_tag))
    if not seps:
        return None
    head, tail = title_tag[: seps[-1].start()].strip(), title_tag[seps[-1].end():].strip()
    if not tail or len(tail.split()) > 4:
        return None
    squashed = re.sub(r"\W+", "", tail.lower())
    hostname = (urlsplit(url).hostname or "").lower() if url else ""
    # After the headline, the tail must also echo the host ("La Gazzetta della Valle", gazzettadellavalle.it):
    # a headline's own tail ("Storm Darragh - live updates") is no site's name.
    echoes = any(len(label) >= 3 and label != "www" and label in squashed for label in hostname.split("."))
    after_headline = bool(title and _fold_case(head).startswith(_fold_case(title)) and _fold_case(title) != _fold_case(tail))
    if loose:
        anded = "".join(_name_words(tail))
        whole_label = "&" in tail and anded in hostname.split(".")
        return tail if whole_label or (after_headline and _host_of_words(tail, hostname)) else None
    if is_site_part(tail, None, hostname) or (after_headline and echoes):
        return _site_before_desk(tail, hostname)
    first = title_tag[: seps[0].start()].strip()
    if len(first.split()) <= 4 and is_site_part(first, None, hostname):  # "The Pinefield Gazette - Headline"
        return first
    return None


def _site_before_desk(tail: str, hostname: str) -> str:
    """The site's name without a desk's after it ("Northfield Post Editorial Board" on northfieldpost.com):
    the words before a desk of _DESK, when they alone are a whole label of the host. Any other word after
    the name is the name's ("Creative Commons Deutschland", "NDR Info", "Valley Weekly Online")."""
    desk = _DESK.search(tail)
    if desk is None:
        return tail
    head = tail[:desk.start()].strip()
    return head if _is_whole_site_name(head, None, hostname) else tail


_DESK = re.compile(r"\s(?:editorial board|editorial staff|editorial|editors|opinion|staff|newsroom)$", re.I)


def _name_words(name: str) -> list[str]:
    """A site name's folded words, "&" read as "and", without a leading "The"."""
    return fold_words(_LEADING_THE.sub("", name.replace("&", " and "))).split()


def _host_of_words(name: str, hostname: str) -> bool:
    """A label of the host is the name's words run together, some left out but the first kept ("Riverton Daily
    News", www.rivertonnews.com): a site shortens its name for its domain, and keeps its first word."""
    words = _name_words(name)
    if len(words) < 2:
        return False
    for label in hostname.split(".")[:-1]:
        if label == "www" or not label.startswith(words[0]) or len(label) < 6:
            continue
        rest, used = label[len(words[0]):], 1
        for word in words[1:]:
            if rest.startswith(word):
                rest, used = rest[len(word):], used + 1
        if not rest and used >= 2:
            return True
    return False


# A logo in the page's <header> that names the site: its picture's alt text, or its own text ("Evening Star").
_LOGO = 'img[class*="logo" i][alt], [class*="logo" i]'
_LOGO_WORD = re.compile(r"\s*\blogo\b\s*", re.I)


def _logo_site(tree, url: str | None) -> str | None:
    """The site's name as its logo gives it, when its letters are the host's: a headline never is."""
    host = urlsplit(url).hostname if url else None
    header = tree.css_first("header") if host else None  # (a query over the whole page costs too much)
    node = header.css_first(_LOGO) if header is not None else None
    if node is None:
        return None
    if node.tag != "img" and not node.text(deep=True).strip():
        node = node.css_first("img[alt]") or node  # a logo link holding only its picture
    name = clean(_LOGO_WORD.sub(" ", (node.attrs.get("alt") if node.tag == "img" else node.text(deep=True)) or ""))
    return name if name and len(name.split()) <= 4 and is_site_part(name, None, host) else None


def _site_tagline_headline(tree, title_tag: str, site_name: str | None, host: str | None) -> str | None:
    """The story's <h1> when the <title> is only the site's name and its tagline ("The Perry Post | Local news
    for Perry and Oakdale"): two parts, one the site's (its name, its host, or a masthead <h1>'s text), the other
    a phrase of several words sharing no word with the headline."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title_tag)]
    if len(parts) != 2:
        return None
    h1 = _headline(tree)
    headline = clean(h1.text(deep=True)) if h1 is not None else None
    if not headline or _fold_case(headline) in {_fold_case(p) for p in parts}:
        return None  # the <h1> is the site's own name (a logo), or the <title> already says the headline
    sites = {_fold_case(site_name or "")} | {_fold_case(n.text(deep=True)) for n in tree.css("h1")[:4] if n is not h1}
    squashed_host = re.sub(r"\W+", "", (host or "").lower())
    for site, tagline in (parts, parts[::-1]):
        squashed = re.sub(r"\W+", "", site.lower())
        if (_fold_case(site) in sites or (len(squashed) > 2 and squashed in squashed_host)) \
                and len(tagline.split()) >= _TAGLINE_MIN_WORDS \
                and not (_words4(tagline) & _words4(headline)) - _words4(site):  # (the town is in all three)
            return headline
    return None


def _same_title(a: str, b: str) -> bool:
    """Two shown titles of one story: equal, one the other's start ("Headline | Site"), or most long words shared."""
    a, b = _fold_case(a), _fold_case(b)
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    wa, wb = _words4(a), _words4(b)
    return bool(wa and wb) and len(wa & wb) * 2 >= min(len(wa), len(wb))


_LD_DATE_SLACK_DAYS = 2  # a URL's date may be the day of filing; more apart, the JSON-LD names another day
_TEMPLATE_DATE_YEARS = 1


def _ld_headline_contradicted(ld: dict, meta: dict, title_tag: str | None, tree) -> bool:
    """The page's own titles (og:title, and the <title> or the <h1>) agree with each other, and the JSON-LD
    headline (or name) with none of them: the JSON-LD is another story's (a CMS's copy-paste), and its date and author are that story's too."""
    headlines = [t for t in (clean(ld.get("headline")), clean(ld.get("name"))) if t]
    if not headlines:
        return False
    og = clean(meta.get("og:title"))
    if og and any(_same_title(h, og) for h in headlines):
        return False
    h1 = _headline(tree)
    shown = [t for t in (title_tag, clean(h1.text(deep=True)) if h1 is not None else None) if t]
    if any(_same_title(h, t) for h in headlines for t in shown):
        return False
    if og:
        return any(_same_title(og, t) for t in shown)
    # Without og:title, the <title> and the <h1> must both be there and agree: either alone is often a
    # section's name or a shortened headline.
    return len(shown) == 2 and _same_title(shown[0], shown[1])


_MIDNIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]00:00(?::00)?(?:\.0+)?(?:Z|[+-]00:?00)?)?$")


def _ld_of_another_page(ld: dict, url: str | None, tree) -> bool:
    """Positive evidence that JSON-LD whose headline the page contradicts is another page's, not an SEO headline
    (then none of its author and dates are this page's): its own URL names another path, its date is a bare day or
    midnight (a template's), or its date is days away from the page's <time>."""
    own = _first_url(ld.get("mainEntityOfPage")) or clean(ld.get("url"))
    if own and url and urlsplit(urljoin(url, own)).path.rstrip("/") != urlsplit(url).path.rstrip("/"):
        return True
    raw = clean(ld.get("datePublished") or ld.get("dateCreated"))
    if not raw:
        return False
    if _MIDNIGHT.match(raw):
        return True
    published, shown = to_iso_utc(raw), _time_element(tree)
    return bool(published and shown) and abs((datetime.fromisoformat(shown[:10])
                                              - datetime.fromisoformat(published[:10])).days) > _LD_DATE_SLACK_DAYS


def _ld_date_contradicted(published: str | None, raw: str | None, url: str | None, tree,
                          modified: str | None = None) -> bool:
    """A JSON-LD publication date the page itself contradicts: days after the date in the URL's path, or a year
    or more before it (a template's); or a midnight-exact date (a template default: the site's launch) a year or
    more before the page's <time>. A URL's date weeks after the JSON-LD's is an event's (a what's-on page), and a
    <time> on the JSON-LD's dateModified day is the page's update, not its first publication."""
    if not published:
        return False
    day = datetime.fromisoformat(published[:10])
    in_url = _url_date(url)
    if in_url:
        ahead = (day - datetime.fromisoformat(in_url[:10])).days
        return ahead > _LD_DATE_SLACK_DAYS or -ahead >= 365 * _TEMPLATE_DATE_YEARS
    if raw and re.search(r"[T ]00:00(?::00)?(?:\.0+)?(?:Z|[+-]00:?00)?$", raw):
        shown = _time_element(tree)
        if not shown or (modified and shown[:10] == modified[:10]):
            return False
        return (datetime.fromisoformat(shown[:10]) - day).days >= 365 * _TEMPLATE_DATE_YEARS
    return False


def _set(result: dict, provenance: dict, name: str, value, source: str) -> None:
    if name in result and result[name]:
        return
    if value:
        result[name] = value
        provenance[name] = source


def extract_metadata(tree, url: str | None, headers: dict | None,
                     deadline: Deadline | None = None) -> tuple[dict, dict, str | None]:
    """(fields, provenance, JSON-LD articleBody). Fields use the ExtractedArticle names.

    Each step fills only the fields still empty (_set): the steps run in order of trust."""
    out: dict = {}
    prov: dict = {}
    ld = json_ld_article(tree)
    meta = meta_tags(tree)
    title_node = tree.css_first("title")
    title_tag = clean(title_node.text(deep=True)) if title_node is not None else None
    ld = _ld_the_page_agrees_with(ld, meta, title_tag, url, tree)
    organisations = _from_json_ld(out, prov, ld, meta, title_tag, url, tree)
    _from_meta_tags(out, prov, meta, authors=not organisations)
    if prov.get("title") in ("og", "meta"):
        # (By the host only: an og:site_name a title part equals is cut by no one else either; "How to ... | eHow"
        # is the title the page gives itself.)
        out["title"] = _site_free_title(out["title"], tree, None, urlsplit(url).hostname if url else None)
    _from_page_markup(out, prov, tree, url, deadline, title_tag, story_only=bool(organisations))
    _set(out, prov, "authors", organisations, "json-ld")  # no person is named anywhere: the outlet it is
    if "authors" not in out:  # ... and so is an agency a byline box names ("By Reuters"), as JSON-LD's would be
        _set(out, prov, "authors", _agency_credit(tree), "byline")
    if any("," in a for a in out.get("authors") or ()):
        site, host = clean(meta.get("og:site_name")), urlsplit(url).hostname if url else None
        out["authors"] = [_without_site_after_comma(a, site, host) for a in out["authors"]]
    _drop_update_before_publication(out, prov)
    _title_and_site_fallbacks(out, prov, tree, ld, title_tag, url)
    _shown_headline(out, prov, tree)
    _language_fallbacks(out, prov, tree, meta, headers)
    _url_fallbacks(out, prov, tree, url)
    body = ld.get("articleBody") if ld else None
    return out, prov, clean_body(body)


# A section's label before a title ("Opinion | ...", "Analysis: ...", "Review – ..."): cut only when the page's
# <h1> is the rest. A headline may open with the same word ("Review – Hamlet at the Globe" as its <h1> says it).
_SECTION_LABEL = re.compile(r"(?:opinion|analysis|review|comment|commentary|editorial|explainer|perspective|column|"
                            r"letters?|interview|exclusive|fact check|live|watch|video|podcast|obituary|meinung|"
                            r"kommentar|analyse|tribune|opinión|análisis|opinione)\s*(?:\||:|–|—|-)\s+", re.I)
def _shown_headline(out: dict, prov: dict, tree) -> None:
    """The title without a section label (_SECTION_LABEL) the page's <h1> lacks. (An og:title worded unlike the
    <h1> stays the title: the page's <title> says it too on the pages seen, and an <h1> can be another story's.)"""
    title = out.get("title")
    label = _SECTION_LABEL.match(title) if title else None
    if label is None:
        return
    h1 = first_headline(tree)
    headline = clean(h1.text(deep=True)) if h1 is not None else None
    if headline and fold_words(title[label.end():]) == fold_words(headline):
        out["title"] = title[label.end():].strip()


def _ld_the_page_agrees_with(ld: dict | None, meta: dict, title_tag: str | None, url: str | None,
                             tree) -> dict | None:
    """The JSON-LD article, trimmed when the page shows another headline: another page's keeps only its site,
    publisher and language; beside an SEO headline, only the headline and name go."""
    if ld and not ld.get("_page") and _ld_headline_contradicted(ld, meta, title_tag, tree):
        if _ld_of_another_page(ld, url, tree):
            ld = {"_site": ld.get("_site"), "publisher": ld.get("publisher"), "inLanguage": ld.get("inLanguage")}
        else:  # an SEO headline beside the shown one: its author and dates are still the page's
            ld = {k: v for k, v in ld.items() if k not in ("headline", "name")}
    return ld


_ORGANISATION_TYPES = {"organization", "newsmediaorganization", "corporation"}


def _from_json_ld(out: dict, prov: dict, ld: dict | None, meta: dict, title_tag: str | None, url: str | None,
                  tree) -> list[str]:
    """The fields of the publisher's own article data (a WebPage's gives its language only). An author that is
    an organisation is returned, not set: a personal byline the page prints beats it."""
    organisations: list[str] = []
    if ld and not ld.get("_page"):
        _set(out, prov, "title", _ld_title(ld, meta, title_tag, urlsplit(url).hostname if url else None), "json-ld")
        credited = _as_list(ld.get("author") or ld.get("creator"))
        if credited and all(isinstance(c, dict) and _types(c) & _ORGANISATION_TYPES for c in credited):
            organisations = _author_names(_names(credited))
        else:
            _set(out, prov, "authors", _author_names(_names(credited)), "json-ld")
        published, modified = clean(ld.get("datePublished") or ld.get("dateCreated")), clean(ld.get("dateModified"))
        offset = _agreeing_offset(published, _first_meta(meta, META_DATE_PUBLISHED)[0])
        if offset:  # the CMS wrote local time without its offset; the meta tag gives the same time with it
            published, modified = published + offset, (modified + offset if _NAIVE_TIME.match(modified or "")
                                                       else modified)
        if not _ld_date_contradicted(to_iso_utc(published), published, url, tree, to_iso_utc(modified)):
            _set(out, prov, "published_at", to_iso_utc(published), "json-ld")
        _set(out, prov, "modified_at", to_iso_utc(modified), "json-ld")
        _set(out, prov, "site_name", next(iter(_names(ld.get("publisher"))), None), "json-ld")
        _set(out, prov, "description", clean(ld.get("description")), "json-ld")
        _set(out, prov, "image_url", _first_url(ld.get("image"), by_id=False)
             or _first_url(ld.get("thumbnailUrl"), by_id=False), "json-ld")
        _set(out, prov, "canonical_url", _first_url(ld.get("mainEntityOfPage")) or clean(ld.get("url")), "json-ld")
    if ld:
        _set(out, prov, "language", normalise_language(clean(ld.get("inLanguage")) if isinstance(ld.get("inLanguage"), str) else None), "json-ld")
    return organisations


def _from_meta_tags(out: dict, prov: dict, meta: dict, authors: bool = True) -> None:
    """The fields of the <meta> tags (Open Graph, Twitter, Dublin Core, parsely, article:*, author); no authors
    beside a JSON-LD organisation author (the tag names the same outlet; only a printed byline beats it)."""
    _set(out, prov, "title", clean(meta.get("og:title") or meta.get("twitter:title")), "og")
    _set(out, prov, "title", clean(meta.get("dc:title") or meta.get("dc.title") or meta.get("dcterms.title")
                                   or meta.get("parsely-title") or meta.get("sailthru.title")), "meta")
    _set(out, prov, "site_name", clean(meta.get("og:site_name") or meta.get("application-name")), "og")
    _set(out, prov, "description", clean(meta.get("og:description") or meta.get("description")
                                         or meta.get("twitter:description")), "og")
    _set(out, prov, "image_url", clean(meta.get("og:image") or meta.get("og:image:url")
                                       or meta.get("twitter:image")), "og")
    _set(out, prov, "canonical_url", clean(meta.get("og:url")), "og")
    value, _ = _first_meta(meta, META_DATE_PUBLISHED)
    _set(out, prov, "published_at", to_iso_utc(value), "meta")
    value, _ = _first_meta(meta, META_DATE_MODIFIED)
    _set(out, prov, "modified_at", to_iso_utc(value), "meta")
    for key in META_AUTHOR if authors else ():
        names = _author_names([n for n in (_BY_PREFIX.sub("", a).strip()
                                           for a in re.split(r"\s*[;|]\s*", meta.get(key) or ""))
                               if n and not n.startswith(("http", "@"))])
        if names:
            _set(out, prov, "authors", names, "meta")
            break


def _from_page_markup(out: dict, prov: dict, tree, url: str | None, deadline: Deadline | None,
                      title_tag: str | None, story_only: bool = False) -> None:
    """The canonical link, then authors and dates the page shows: byline boxes, <time>, the URL's date, the
    blocks after the headline. With story_only (an outlet waits as the author), only a byline box of the story's
    own counts: none in a caption, a rail, an aside or a footer."""
    canonical = tree.css_first('link[rel="canonical" i]')
    if canonical is not None and canonical.attrs.get("href"):
        href = canonical.attrs.get("href").strip()
        _set(out, prov, "canonical_url", urljoin(url, href) if url else href, "link")
    if "authors" not in out:
        _set(out, prov, "authors", _marked_authors(tree, story_only), "byline")

    _set(out, prov, "published_at", _time_element(tree), "time")
    _set(out, prov, "published_at", _url_date(url), "url")
    if "published_at" not in out or "authors" not in out:
        date, names = after_headline(tree, deadline, "published_at" not in out, "authors" not in out,
                                     out.get("title") or title_tag, url)
        _set(out, prov, "published_at", date, "text")
        _set(out, prov, "authors", names, "byline-line")
    if "authors" not in out:
        _set(out, prov, "authors", _author_boxes(tree, story_only), "byline")


def _drop_update_before_publication(out: dict, prov: dict) -> None:
    modified, published = out.get("modified_at"), out.get("published_at")
    if modified and published and modified[:10] < _day_before(published):
        # An update days before publication is a CMS's slip (a template's or a copied story's date); one the same
        # day or the day before is a scheduled story's last edit, and stays.
        del out["modified_at"], prov["modified_at"]


def _title_and_site_fallbacks(out: dict, prov: dict, tree, ld: dict | None, title_tag: str | None,
                              url: str | None) -> None:
    """A title and a site name from the JSON-LD's site, the <title> and the <h1>, when the data gave none."""
    if ld:
        _set(out, prov, "site_name", ld.get("_site"), "json-ld")
    if "title" not in out and title_tag:
        host = urlsplit(url).hostname if url else None
        _set(out, prov, "title", _site_tagline_headline(tree, title_tag, out.get("site_name"), host), "h1")
        cleaned = clean_title(title_tag, out.get("site_name"), host)
        if "title" not in out and (headline := _headline_of_title(tree, title_tag)) and headline != cleaned:
            _set(out, prov, "title", headline, "h1")
        _set(out, prov, "title", cleaned, "title-tag")
    if title_tag and "site_name" not in out:
        _set(out, prov, "site_name", _title_site(title_tag, out.get("title"), url), "title-tag")
    if "site_name" not in out:
        _set(out, prov, "site_name", _logo_site(tree, url), "logo")
    if title_tag and "site_name" not in out:
        _set(out, prov, "site_name", _title_site(title_tag, out.get("title"), url, loose=True), "title-tag")
    if "title" not in out:
        h1 = tree.css_first("h1")
        if h1 is not None:
            _set(out, prov, "title", clean(h1.text(deep=True)), "h1")


# A standfirst (dek) printed right under the headline: an <h2>, or a box named for one. Only the <h1>'s next few
# siblings are read: a query over the whole page would cost more than the rest of the metadata.
_STANDFIRST_CLASS = re.compile(r"\b(?:dek|standfirst|sub-?headline|article-dek|deck|strapline)\b", re.I)
_STANDFIRST_CHARS = (30, 400)
_STANDFIRST_SIBLINGS = 3


def _standfirst(tree) -> str | None:
    """The page's standfirst, when the page gives no description: one sentence or two of several words."""
    h1 = first_headline(tree)
    node = h1.next if h1 is not None else None
    for _ in range(_STANDFIRST_SIBLINGS * 2):  # (the text nodes between elements count)
        if node is None:
            return None
        if node.tag == "h2" or (node.tag != "-text" and _STANDFIRST_CLASS.search(node.attributes.get("class") or "")):
            text = clean(node.text(deep=True))
            ok = text and _STANDFIRST_CHARS[0] <= len(text) <= _STANDFIRST_CHARS[1] and len(text.split()) >= 6
            return text if ok else None
        node = node.next
    return None


def _language_fallbacks(out: dict, prov: dict, tree, meta: dict, headers: dict | None) -> None:
    _set(out, prov, "language", html_lang(tree), "html-lang")
    _set(out, prov, "language", normalise_language(meta.get("content-language") or meta.get("og:locale")), "meta")
    _set(out, prov, "language", normalise_language(header_value(headers, "content-language")), "http-header")


def _url_fallbacks(out: dict, prov: dict, tree, url: str | None) -> None:
    """The page's own URL and host as canonical URL and site name; the story's picture from the DOM; the image
    URL made absolute; the printed standfirst as the description."""
    if url:
        _set(out, prov, "canonical_url", url, "url")
        _set(out, prov, "site_name", urlsplit(url).hostname, "url")
    if "image_url" not in out:
        _set(out, prov, "image_url", _story_picture(tree), "dom")
    if "description" not in out:
        _set(out, prov, "description", _standfirst(tree), "standfirst")
    if out.get("image_url") and url:
        out["image_url"] = urljoin(url, out["image_url"])


_STORY_PICTURES = "article img[src], article amp-img[src], main img[src], main amp-img[src]"
_NOT_A_PICTURE = re.compile(r"^data:|\.(?:svg|gif)(?:$|\?)|logo|avatar|icon|sprite|pixel|spacer|badge|/staff/", re.I)
_PICTURE_MIN_PX = 300


# Boxes of other stories' pictures: a related rail, a teaser list, a sidebar; their pictures are never the story's
# top image.
_RAIL = re.compile(r"related|rail|recirc|promo|teaser|more-?stories|most-?(?:read|popular)|sidebar|trending|"
                   r"recommend|outbrain|taboola", re.I)
_RAIL_TAGS = frozenset({"aside", "nav", "footer", "header"})


def _in_rail(node) -> bool:
    """The picture sits in a box of other stories (up to its <article> or <main>)."""
    anc = node.parent
    while anc is not None and anc.tag not in ("article", "main", "body", "html"):
        if anc.tag in _RAIL_TAGS and anc.tag != "header" or _RAIL.search(
                f"{anc.attributes.get('class') or ''} {anc.attributes.get('id') or ''}"):
            return True
        anc = anc.parent
    return False


def _story_picture(tree) -> str | None:
    """The story's first picture when the page names none (no og:image, no JSON-LD image): the first image in
    its <article> or <main> (one query that stops there), unless it is a logo, an avatar, an icon or a tracking
    pixel, or declared narrower than _PICTURE_MIN_PX; with an <article> on the page, only one in it, and never a
    thumbnail in a box of other stories."""
    in_article = tree.css_first("article") is not None
    selector = "article img[src], article amp-img[src]" if in_article else _STORY_PICTURES
    node = tree.css_first(selector)
    if node is not None and _of_a_person(node):
        # A writer's headshot (an author card, a byline's avatar) is never the story's picture; the next one may be.
        node = next((n for n in tree.css(selector)[1:_PICTURES_READ] if not _of_a_person(n)), None)
    if node is None or _in_rail(node):
        return None
    src, width = (node.attributes.get("src") or "").strip(), (node.attributes.get("width") or "").strip()
    if not src or _NOT_A_PICTURE.search(src) or (width.isdigit() and int(width) < _PICTURE_MIN_PX):
        return None
    return src


# A box about the story's writer: an author card, a byline, an avatar, an author's bio. Its own class says so;
# a wrapper's does not count ("columnist-article", "category-profiles" hold the story and its lead picture), nor
# does the picture's path (a crime story's lead is often a mugshot, a hiring story's a headshot).
_PERSON_BOX = re.compile(r"(?:^|[\s_-])(?:author(?:s|-?card|-?box|-?bio|-?info|-?image|-?photo|-?avatar)?|"
                         r"bylines?|avatars?)(?:$|[\s_-])", re.I)
_PERSON_BOX_MAX_CHARS = 400  # an author card's few lines; a story's wrapper holds more
_PERSON_BOX_LEVELS = 3
_PICTURES_READ = 6


def _of_a_person(node) -> bool:
    """The picture is a writer's: it or a small box around it (within a few levels, not past a <figure>) is named
    for an author, a byline or an avatar."""
    anc = node
    for _ in range(_PERSON_BOX_LEVELS + 1):
        if anc is None or anc.tag in ("figure", "article", "main", "body", "html"):
            return False
        if _PERSON_BOX.search(f"{anc.attributes.get('class') or ''} {anc.attributes.get('id') or ''}"):
            return anc is node or len(anc.text(deep=True)) <= _PERSON_BOX_MAX_CHARS
        anc = anc.parent
    return False


# Elements that mark an author: a link rel=author, an author item (its name item, if it has one), a byline box (its
# name box, if it has one), the first in document order (one query that stops there). Then, when nothing else names
# an author, an <address> or a box named "author" (either may be a role, an outlet or a postal address: only
# personal names are taken from them).
_AUTHOR_SELECTOR = ('[rel="author" i], [itemprop="author" i] [itemprop="name" i], [itemprop="author" i], '
                    '[class*="byline" i] [class*="name" i], [class*="byline" i]')
# (A link to an author's page is read only between the headline and the body, by after_headline: a menu of the
# site's writers links them all, and a query for such links costs three of this one.)
_AUTHOR_BOX_SELECTOR = ('address, [class~="author" i], [class~="author-name" i], [class~="autor" i], '
                        '[class~="autora" i], [class~="autore" i], [class~="firma" i]')
_AUTHOR_BOXES_READ = 8
_AUTHOR_MARKS_READ = 8


def _marked_authors(tree, story_only: bool = False) -> list[str]:
    """The authors named by the first element _AUTHOR_SELECTOR finds that names any (an agency is none: "AFP";
    an empty <link rel=author> or a byline box holding only the date names none). The first is found by a query
    that stops there; the others only when it names no one. With story_only, a box outside the story (_off_story)
    names no one."""
    first = tree.css_first(_AUTHOR_SELECTOR)
    if first is None:
        return []
    names = [] if story_only and _off_story(first) else _names_marked(first)
    if names:
        return names
    for node in tree.css(_AUTHOR_SELECTOR)[1:_AUTHOR_MARKS_READ]:
        names = [] if story_only and _off_story(node) else _names_marked(node)
        if names:
            return names
    return []


def _agency_credit(tree) -> list[str]:
    """The agency the story's own byline box credits when it names no person ("By Reuters", "AFP"), as printed:
    a byline box that is not a caption's, a rail's or a footer's (_off_story), nor a chart's, a picture's or an
    embedded card's (_in_furniture)."""
    for node in tree.css(_AUTHOR_SELECTOR)[:_AUTHOR_MARKS_READ]:
        if _off_story(node) or _in_furniture(node):
            continue
        name = clean(_BY_PREFIX.sub("", " ".join(node.text(deep=True, separator=" ").split())))
        if name and _AGENCIES.match(name):
            return [name]
    return []


# Boxes that carry a credit of their own: a chart's or graphic's source, a picture's, an embedded card for another
# story. Their "byline" is no byline of the story's.
_FURNITURE = re.compile(r"chart|graphic|(?<![a-z])embed|photo|image|(?<![a-z])img(?![a-z])|video|gallery|slide",
                        re.I)
_FURNITURE_LEVELS = 4


def _in_furniture(node) -> bool:
    """The node or a box around it (a few levels up, not past the <article>) is a figure, a chart, a picture's box
    or an embedded story card (_FURNITURE)."""
    anc = node
    for _ in range(_FURNITURE_LEVELS + 1):
        if anc is None or anc.tag in ("article", "main", "body", "html"):
            return False
        if anc.tag in ("figure", "figcaption", "picture") or (anc.tag != "-text" and _FURNITURE.search(
                f"{anc.attributes.get('class') or ''} {anc.attributes.get('id') or ''}")):
            return True
        anc = anc.parent
    return False


# Boxes beside the story whose names are not its authors': a caption's photo credit, a rail of columnists, related
# stories, a footer.
_OFF_STORY_TAGS = frozenset({"figcaption", "figure", "aside", "footer", "nav"})
_OFF_STORY = re.compile(r"caption|credit|(?<![a-z])rail|sidebar|related|recirc|promo|teaser|trending|footer|"
                        r"most-?(?:read|popular)", re.I)


def _off_story(node) -> bool:
    anc = node
    while anc is not None and anc.tag not in ("body", "html"):
        if anc.tag in _OFF_STORY_TAGS or (anc.tag != "-text" and _OFF_STORY.search(
                f"{anc.attributes.get('class') or ''} {anc.attributes.get('id') or ''}")):
            return True
        anc = anc.parent
    return False


# A credit for the pictures, not the words ("Photo by Carl Jensen", "Image: Getty"); "Photos and words by" is the
# author's (the photographer wrote the story too).
_PICTURE_CREDIT = re.compile(r"^\s*(?:photo(?:graph)?s?|pictures?|images?|video|illustrations?|graphics?)\s*"
                             rf"(?:(?:{BY_WORDS})\b|:)", re.I)


_ENDS_WITH_ROLE = re.compile(r"\b(?:" + _ROLE + r"|staff|desk)s?$", re.I)


def _names_marked(node) -> list[str]:
    if "author" in (node.attributes.get("itemprop") or "").lower().split():
        node = node.css_first('[itemprop="name" i]') or node  # not its job title beside the name
    # Block children (a name, then a date or "Published ...") apart: their text would run together.
    text = _without_role_lines(node, " ".join(node.text(deep=True, separator=" ").split()))
    if _PICTURE_CREDIT.match(text):
        return []
    return [n for n in _author_names([text]) if not _AGENCIES.match(n)]


def _without_role_lines(node, text: str) -> str:
    """"Jim Sorensen<br>Reporter": the role on its own line is no part of the name."""
    if _ENDS_WITH_ROLE.search(text):
        lines = [line.strip() for line in node.text(deep=True, separator="\n").split("\n") if line.strip()]
        if len(lines) > 1 and all(_PLACEHOLDER_AUTHOR.fullmatch(line) for line in lines[1:]):
            return lines[0]
    return text


def _author_boxes(tree, story_only: bool = False) -> list[str]:
    """The personal names in the first <address> or "author" box that holds one, with or without its "By" (a role
    on a line of its own dropped); with story_only, none outside the story (_off_story)."""
    for node in tree.css(_AUTHOR_BOX_SELECTOR)[:_AUTHOR_BOXES_READ]:
        if story_only and _off_story(node):
            continue
        text = _without_role_lines(node, " ".join(node.text(deep=True, separator=" ").split()))
        if _PICTURE_CREDIT.match(text):
            continue
        names = byline_line_names(text if _BYLINE_LINE.match(text) else "By " + text)
        if names:
            return names
        name = byline_name(text) if len(text) <= 40 else None
        if name and (_CJK_NAME.fullmatch(name) or _ARABIC_NAME.fullmatch(name)):
            return [name]  # "记者 李明轩", "كتب: خالد العتيبي": names in scripts without capitals
    return []


_ARABIC_NAME = re.compile(r"[\u0621-\u064a]{2,}(?: [\u0621-\u064a]{2,}){1,3}")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{2,5}(?: [\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{1,4})?")


def html_lang(tree) -> str | None:
    """The page's `<html lang>`, as a primary language code."""
    html_node = tree.css_first("html")
    return normalise_language(html_node.attrs.get("lang") if html_node is not None else None)


# Markup in an articleBody: a tag some CMSs leave in it ("<p>The council ...</p>"), raw or escaped once.
# A tag with attributes written name=value only: plain text such as "x <b and c> y" is no markup.
_MARKUP = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|figure|figcaption|section|a|strong|em|b|i|span)"
                     r"(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s'\">]+))*\s*/?>", re.I)
_BLOCK_MARKUP = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|figure|figcaption|section|table|tr)\b[^>]*>",
                           re.I)


def clean_body(body) -> str | None:
    """The articleBody as text: markup in it is read as HTML, each block a paragraph of its own."""
    if not isinstance(body, str) or not body.strip():
        return None
    if "&lt;" in body and not _MARKUP.search(body) and _MARKUP.search(html_module.unescape(body)):
        body = html_module.unescape(body)
    if _MARKUP.search(body):
        tree = LexborHTMLParser("<body>" + _BLOCK_MARKUP.sub("\n\n", body) + "</body>")
        for node in tree.css("script, style, figcaption"):
            node.decompose()
        text = tree.body.text(deep=True) if tree.body is not None else ""
        body = "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())
    return body.strip() or None


# A story sent as data for a script to draw (Next.js: <script id="__NEXT_DATA__">): the page's HTML then holds no
# story. The JSON is walked (bounded) for its longest run of paragraphs: a list of strings or of blocks
# ({"type": "paragraph", "text": ...}, {"children": [{"text": ...}]}), or one string of HTML paragraphs.
_EMBEDDED_SELECTOR = 'script#__NEXT_DATA__, script[type="application/json"][data-story]'
_EMBEDDED_NODES = 200_000  # JSON values visited at most
_EMBEDDED_CHECK_EVERY = 1024  # JSON values visited between deadline checks (a list's items count one each)
_BLOCK_KEYS = ("text", "content", "value", "html", "body", "paragraph")
_HTML_PARAGRAPH = re.compile(r"<p[\s>]", re.I)


def _block_text(item) -> str | None:
    """The paragraph an item of a list of blocks holds: a string of words, or a block's text field (or its
    children's texts, joined)."""
    if isinstance(item, dict):
        for key in _BLOCK_KEYS:
            value = item.get(key)
            if isinstance(value, str):
                item = value
                break
        else:
            children = item.get("children")
            if not isinstance(children, list):
                return None
            item = "".join(c["text"] for c in children if isinstance(c, dict) and isinstance(c.get("text"), str))
    if not isinstance(item, str) or " " not in item.strip() or item.lstrip().startswith(("http", "/", "{", "<")):
        return None
    return " ".join(item.split()) or None


_EMBEDDED_DATE_KEYS = ("datePublished", "publishedAt", "publishDate", "published_at", "publicationDate",
                       "firstPublishedAt", "pubDate")


def embedded_story(tree, deadline: Deadline | None = None, max_chars: int = 5_000_000) -> tuple[str, str | None] | None:
    """(text, published date) of the longest run of paragraphs in the page's embedded story data
    (_EMBEDDED_SELECTOR), or None. A run must be mostly sentences: a list of teaser titles or labels is not a
    story. The date is the publication date of the object holding the story (its first date key), if any."""
    node = tree.css_first(_EMBEDDED_SELECTOR)
    raw = node.text(deep=True) if node is not None else ""
    if not raw or len(raw) > max_chars:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    best, best_owner, stack, visited = "", None, [(data, None)], 0
    next_check = _EMBEDDED_CHECK_EVERY
    while stack and visited < _EMBEDDED_NODES:
        item, owner = stack.pop()
        visited += 1
        # A list adds all its items at once, so `visited` jumps: checked on crossing each step, not on a multiple.
        if visited >= next_check:
            next_check = visited + _EMBEDDED_CHECK_EVERY
            if deadline is not None:
                deadline.check()
        if isinstance(item, dict):
            owner = item if any(key in item for key in _EMBEDDED_DATE_KEYS) else owner
            stack.extend((value, owner) for value in item.values())
        elif isinstance(item, list):
            visited += len(item)
            run = [t for t in map(_block_text, item) if t]
            sentences = sum(1 for t in run if ENDS_AS_SENTENCE.search(t))
            text = "\n\n".join(run)
            if len(text) > len(best) and sentences * 2 >= len(run):
                best, best_owner = text, owner
            stack.extend((x, owner) for x in item
                         if isinstance(x, (dict, list)) or (isinstance(x, str) and len(x) > len(best)))
        elif isinstance(item, str) and len(item) > len(best) and _HTML_PARAGRAPH.search(item):
            text = clean_body(item) or ""
            if len(text) > len(best):
                best, best_owner = text, owner
    if not best:
        return None
    date = next((best_owner[key] for key in _EMBEDDED_DATE_KEYS if isinstance((best_owner or {}).get(key), str)),
                None)
    return best, to_iso_utc(date)
