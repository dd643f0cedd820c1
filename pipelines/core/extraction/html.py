"""Main-text extraction: score containers by the paragraphs they hold (text, commas, link density, class/id hints)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.core.cleaning import by_idioms
from pipelines.core.extraction.limits import Deadline, ExtractionError

RULES_PATH = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class Rules:
    skip_tags: frozenset
    block_tags: frozenset
    paragraph_tags: frozenset
    heading_tags: frozenset
    remove: frozenset
    keep: frozenset
    inline_tags: frozenset
    remove_inline: frozenset
    caption_words: frozenset
    positive: frozenset
    negative: frozenset
    ad_words: frozenset
    class_weight: int
    tag_weight: dict
    boilerplate: re.Pattern
    boilerplate_max_chars: int
    notices: re.Pattern
    notice_max_chars: int
    cookie_box_vocabulary: re.Pattern
    social_profile: re.Pattern
    tail_markers: re.Pattern
    card_markers: re.Pattern
    card_furniture: re.Pattern
    figure_credit: re.Pattern
    share_label: re.Pattern
    field_separators: re.Pattern
    link_line: re.Pattern
    state_prefixes: frozenset
    state_suffixes: frozenset
    tail_fraction: float
    tail_marker_max_chars: int
    hint_attributes: tuple = ()  # attributes besides class and id whose values are read as class/id names
    landmark_selector: str = "[role], dialog"  # ... and the hint_attributes: one query finds both
    t: dict = field(default_factory=dict)
    language_aliases: dict = field(default_factory=dict)
    version: str = ""
    roles: frozenset = frozenset()  # remove | keep
    remove_hint: re.Pattern = re.compile("(?!)")  # the first word of every `remove` entry
    keep_hint: re.Pattern = re.compile("(?!)")  # ... and of every `keep` entry
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # class/id name -> flags
    gallery: "Rules | None" = field(default=None, compare=False, repr=False)  # the rules a photo gallery is read by


def _first_words(entries: list) -> re.Pattern:
    """Finds any entry's first word ("jump" of "jump-link"): every hint token that can equal an entry holds one.
    The words are laid out as a trie ("a(?:d|uthor)|..."), a third of the cost of a flat alternation."""
    trie: dict = {}
    for entry in entries:
        node = trie
        for ch in re.split(r"[-_]", str(entry).lower())[0]:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        if "" in node:
            return ""  # a shorter word ends here: finding it is enough
        alts = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return re.compile(pattern(trie) if trie else "(?!)")


_WORD_LISTS = ("hint_attributes", "skip_tags", "block_tags", "paragraph_tags", "heading_tags", "remove", "keep",
               "inline_tags", "remove_inline", "caption_words", "positive", "negative", "ad_words", "state_prefixes", "state_suffixes")
_PATTERN_LISTS = ("boilerplate", "boilerplate_open", "notices", "tail_markers", "card_markers", "card_furniture",
                  "field_separators")
_NUMBERS = ("class_weight", "boilerplate_max_chars", "notice_max_chars", "tail_fraction", "tail_marker_max_chars")


# A stop closing a sentence: ". ! ?", maybe a closing quote or bracket after it ('"', "”", "’", ")").
_STOP_CLOSER = r"[\"'\u201d\u2019)]?"
_SENTENCE_STOP = r"[.!?]" + _STOP_CLOSER
# A line whose last characters close a sentence (a byline box's line, a line of story data); the boilerplate's
# news-sentence test allows spaces after it. Latin stops only, as before: a CJK stop here is untried on any page.
ENDS_AS_SENTENCE = re.compile(_SENTENCE_STOP + "$")
# Text holding a finished sentence anywhere (a stop, a CJK one too, then a space or the end): a block, a caption or
# a sibling is judged to be prose, in any script, as soon as one sentence in it ends.
_HOLDS_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f]" + _STOP_CLOSER + r"(\s|$)")


def _boilerplate(raw: dict) -> re.Pattern:
    """One pattern: the closed furniture lines, and the open-ended ones unless the line is a news sentence (it ends
    in a stop and holds one of news_sentence_verbs)."""
    sentence = (r"(?!(?:" + raw["not_news_sentence"] + r"))(?=.*\b(?:" + raw["news_sentence_verbs"] + r")\b)"
                r".*" + _SENTENCE_STOP + r"\s*$")
    labels = "(?:" + "|".join(raw["boilerplate_open"]) + ")"
    # The label is tried first (a lookahead that fails at once on most lines), the sentence test only after it.
    open_ended = "(?=" + labels + ")(?!" + sentence + ")" + labels
    return re.compile("(?:" + "|".join(raw["boilerplate"]) + "|" + open_ended + r")[\s.:!]*", re.I)


def check_rules(raw, path: Path, reference: dict | None = None) -> None:
    """Fail at load with the file and the problem, not later on some page: YAML turns an unquoted `no` into
    False and a typo into a missing key. Thresholds must be the bundled file's names (the code reads each)."""
    def fail(problem: str):
        raise ValueError(f"{path}: {problem}")

    if not isinstance(raw, dict):
        fail("not a mapping of rule names")
    for key in _WORD_LISTS + _PATTERN_LISTS:
        items = raw.get(key)
        if not isinstance(items, list):
            fail(f"'{key}' must be a list")
        for n, item in enumerate(items):
            if not isinstance(item, str):
                fail(f"'{key}' item {n} is {item!r}, not a string (quote words YAML reads as booleans or numbers)")
            if key in _PATTERN_LISTS:
                try:
                    re.compile(item)
                except re.error as err:
                    fail(f"'{key}' item {n} is not a valid regex: {err}")
    gallery = raw.get("gallery_reads")
    if not isinstance(gallery, dict) or not set(gallery) <= {"skip_tags", "remove", "remove_inline", "negative"}:
        fail("'gallery_reads' must map skip_tags/remove/remove_inline/negative to lists")
    for key, items in gallery.items():
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            fail(f"'gallery_reads.{key}' must be a list of strings")
    for key in _NUMBERS:
        if isinstance(raw.get(key), bool) or not isinstance(raw.get(key), (int, float)):
            fail(f"'{key}' must be a number")
    for key in ("cookie_box_vocabulary", "social_profile", "figure_credit", "share_label", "news_sentence_verbs",
                "not_news_sentence", "link_line_labels"):
        if not isinstance(raw.get(key), str):
            fail(f"'{key}' must be a string")
        try:
            re.compile(raw[key])
        except re.error as err:
            fail(f"'{key}' is not a valid regex: {err}")
    if not set(raw["ad_words"]) <= set(raw["remove"]):
        fail(f"ad_words not in remove: {sorted(set(raw['ad_words']) - set(raw['remove']))}")
    thresholds = raw.get("thresholds")
    if not isinstance(thresholds, dict):
        fail("'thresholds' must be a mapping")
    for name, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"threshold '{name}' must be a number, not {value!r}")
    if reference is not None:
        missing = sorted(set(reference["thresholds"]) - set(thresholds))
        if missing:
            fail(f"thresholds missing: {missing}")


def load_rules(path: Path = RULES_PATH) -> Rules:
    """Read the versioned rule file into matchers (checked first: check_rules)."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    check_rules(raw, path, None if path == RULES_PATH else {"thresholds": RULES.t})
    # A photo gallery's story is its captions: the same rules without the words that drop captions and slides.
    reads = raw["gallery_reads"]
    gallery = _rules_from({**raw, **{key: [w for w in raw[key] if w not in reads.get(key, ())]
                                     for key in ("skip_tags", "remove", "remove_inline", "negative")}})
    rules = _rules_from(raw)
    return Rules(**{**{f: getattr(rules, f) for f in rules.__dataclass_fields__ if f != "memo"}, "gallery": gallery})


def _rules_from(raw: dict) -> Rules:
    return Rules(
        skip_tags=frozenset(raw["skip_tags"]),
        block_tags=frozenset(raw["block_tags"]),
        paragraph_tags=frozenset(raw["paragraph_tags"]),
        heading_tags=frozenset(raw["heading_tags"]),
        remove=frozenset(raw["remove"]),
        keep=frozenset(raw["keep"]),
        inline_tags=frozenset(raw["inline_tags"]),
        remove_inline=frozenset(raw["remove_inline"]),
        caption_words=frozenset(raw["caption_words"]),
        positive=frozenset(raw["positive"]),
        negative=frozenset(raw["negative"]),
        ad_words=frozenset(raw["ad_words"]),
        class_weight=int(raw["class_weight"]),
        tag_weight=dict(raw["tag_weight"]),
        boilerplate=_boilerplate(raw),
        boilerplate_max_chars=int(raw["boilerplate_max_chars"]),
        notices=re.compile("|".join(f"(?:{n})" for n in raw["notices"]), re.I | re.S),
        notice_max_chars=int(raw["notice_max_chars"]),
        cookie_box_vocabulary=re.compile(r"\b(?:" + raw["cookie_box_vocabulary"] + r")\b", re.I),
        social_profile=re.compile(raw["social_profile"], re.I),
        tail_markers=re.compile("(?:" + "|".join(raw["tail_markers"]) + r")[\s.:!]*", re.I),
        card_markers=re.compile("(?:" + "|".join(raw["card_markers"]) + r")[\s.:!]*", re.I),
        card_furniture=re.compile("|".join(f"(?:{n})" for n in raw["card_furniture"]), re.I),
        figure_credit=re.compile(raw["figure_credit"], re.I),
        share_label=re.compile(raw["share_label"], re.I),
        tail_fraction=float(raw["tail_fraction"]),
        field_separators=re.compile("|".join(raw["field_separators"]), re.I),
        link_line=re.compile(r"\W{0,3}(?:" + raw["link_line_labels"] + r")\W{0,3}\s*[:|\u2013\u2014>»]\s*", re.I),
        state_prefixes=frozenset(raw["state_prefixes"]),
        state_suffixes=frozenset(raw["state_suffixes"]),
        tail_marker_max_chars=int(raw["tail_marker_max_chars"]),
        hint_attributes=tuple(raw["hint_attributes"]),
        landmark_selector=", ".join(["[role]", "dialog"] + [f"[{key}]" for key in raw["hint_attributes"]]),
        t=dict(raw["thresholds"]),
        language_aliases={str(k): str(v) for k, v in (raw.get("language_aliases") or {}).items()},
        version=str(raw["version"]),
        roles=frozenset(raw["remove"]) | frozenset(raw["keep"]),
        remove_hint=_first_words(raw["remove"]),
        keep_hint=_first_words(raw["keep"]),
    )


RULES = load_rules()

_SPLIT = re.compile(r"[\s_-]+")
# Two separators in a row: only then does a whitespace-free name split by _SPLIT differ from str.split at "-" and "_".
_SEPARATOR_RUN = re.compile(r"[_-]{2}")
_SPACES = re.compile(r"[^\S\n]+")
_NEVER_REMOVE = frozenset({"html", "body", "article", "main"})
_CLEAN_TAGS = frozenset({"div", "section", "ul", "ol", "table", "form", "figure", "header", "dl", "aside"})
_CHECK_EVERY = 512
_LEAD_TAGS = frozenset({"div", "section", "header"})
_COMMAS = (",", "\uff0c", "\u3001", "\u060c")
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+")
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.I)
_CONTROL_TAGS = frozenset({"button", "input", "select", "textarea"})
_CARD_TAGS = frozenset({"div", "li", "article", "section", "figure"})
_CALL_TO_ACTION = "input, select, textarea, a[href] button"
_EMAIL_FIELD = 'input[type="email" i], input[name*="email" i], input[placeholder*="email" i]'
_SIGNUP_WORDS = re.compile(r"\b(?:newsletters?|inbox|sign(?:ing)? (?:me )?up|subscrib\w*|briefing|abonn\w*)\b", re.I)


def _hint_values(attrs: dict, rules: Rules) -> tuple:
    """The class, id and hint_attributes values of an element's attributes (None where absent). Elements with no
    other attribute than class and id are not asked for the rest."""
    values = (attrs.get("class"), attrs.get("id"))
    if len(attrs) > 2 - values.count(None):
        values += tuple(map(attrs.get, rules.hint_attributes))
    return values


def _class_weight(node, rules: Rules, text_len: int | None = None, has_text: bool | None = None) -> int:
    """+/- class_weight per class and id attribute; positive hints count only on containers with real text."""
    weight = 0
    attrs = node.attributes  # one dict: cheaper than two lookups through .attrs
    allow_positive = text_len is None or text_len >= rules.t["positive_hint_min_chars"]
    if has_text is None:
        has_text = text_len is not None and allow_positive
    for value in _hint_values(attrs, rules):
        if not value:
            continue
        tokens = set()
        for name in value.lower().split():
            parts = _SPLIT.split(name) if _SEPARATOR_RUN.search(name) else name.replace("_", "-").split("-")
            if parts[0] not in rules.state_prefixes:
                tokens.add(name)
                tokens.update(parts)
        negative = tokens & rules.negative
        # An ad slot holds no text: ad words on a box with real text ("Section--Ads") say it carries a slot.
        if negative and not (has_text and negative <= rules.ad_words):
            weight -= rules.class_weight
        if allow_positive and tokens & rules.positive:
            weight += rules.class_weight
    return weight


_HIDDEN_SELECTOR = ('[hidden], [aria-hidden="true"], [style*="display:none" i], [style*="display: none" i], '
                    '[style*="visibility:hidden" i]')
# ARIA landmarks and widgets that are never the story, whatever the tag: the roles of <aside>, <nav>, the page
# footer and header, search, dialogs, menus and toolbars. One "[role]" query filtered here costs a quarter of
# one selector per role.
_FURNITURE_ROLES = frozenset({"complementary", "navigation", "contentinfo", "banner", "search", "dialog",
                              "alertdialog", "menu", "menubar", "toolbar"})
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


# Flags of one class/id name: some hint token is a `remove` / `keep` word; the name is made only of role words with
# a furniture word among them; it holds only `keep` words; a hint token is in `remove_inline`; a `remove` hint is
# not an ad word; the name ends in a state word ("share-enabled"); a remove/remove_inline hint is not a caption word;
# the name is a caption word whole ("caption", not "caption-like").
_REMOVE, _KEEP, _COMPOUND, _KEEP_ONLY, _INLINE, _NOT_AD, _STATE = 1, 2, 4, 8, 16, 32, 64
_NOT_CAPTION, _CAPTION_NAME = 128, 256
# Names are memoised across pages (sites repeat theirs); a bounded table, and no entry for a name this long (a
# utility-class soup would fill memory with strings seen once).
_MEMO_MAX = 4096
_MEMO_NAME_MAX_CHARS = 200


def _name_parts(name: str) -> tuple[str, tuple[str, ...]]:
    """(lowercase name, parts) with parts split at "-", "_" and camelCase humps ("postFooter")."""
    low = name.lower()
    split = _CAMEL.sub("-", name).lower() if low != name else low
    if " " in split or not split.isprintable():  # a space of any kind (every other one is unprintable)
        return low, tuple(filter(None, _SPLIT.split(split)))
    return low, tuple(filter(None, split.replace("_", "-").split("-")))  # the same pieces, without the regex


def _name_tokens(low: str, parts: tuple[str, ...], rules: Rules) -> set[str]:
    """Hint tokens of one class/id name (lowercase) and its parts."""
    tokens = {low}
    # Long slugs ("sharing-with-a-single-developer") are headings turned into ids, not roles.
    if len(parts) <= rules.t["hint_max_parts"]:
        tokens.update(parts)
        # Two-word roles ("jump-link", "sr-only") inside a longer name ("mw-jump-link").
        if len(parts) > 1:
            tokens.update(map("-".join, zip(parts, parts[1:])))
    if "__" in low:
        # BEM "Block__Element--Modifier": the element names what the box is ("TestReport__AuthorBox").
        tokens.add(low.rsplit("__", 1)[1].split("--", 1)[0])
    return tokens


def _name_flags(name: str, rules: Rules) -> int:
    memo = rules.memo
    flags = memo.get(name)
    if flags is not None:
        return flags
    flags = 0
    low = name.lower()
    # A hint token is a piece of the lowercase name: without the first word of any role word, no flag.
    if rules.remove_hint.search(low) or rules.keep_hint.search(low):
        parts = _name_parts(name)[1]
        if parts and parts[-1] in rules.state_suffixes:
            flags |= _STATE
        if not (parts and parts[0] in rules.state_prefixes):
            tokens = _name_tokens(low, parts, rules)
            if len(parts) > rules.t["hint_max_parts"] and low != name and "-" in name:
                # A long Brightspot/BEM-like name ("ArticlePage-authorInfo-bio"): each camelCase piece between
                # dashes names a role ("author-info"); lower-case slugs ("sharing-with-a-developer") stay whole.
                tokens.update(_CAMEL.sub("-", piece).lower() for piece in name.split("-")
                              if piece.lower() != piece)
            removed = tokens & rules.remove
            if removed:
                flags |= _REMOVE
                if not removed <= rules.ad_words:
                    flags |= _NOT_AD
            if not rules.keep.isdisjoint(tokens):
                flags |= _KEEP
            inline = tokens & rules.remove_inline
            if inline:
                flags |= _INLINE
            if not (removed | inline) <= rules.caption_words:
                flags |= _NOT_CAPTION
            elif low in rules.caption_words:
                flags |= _CAPTION_NAME
            words = set(parts)
            if low in rules.remove:
                flags |= _COMPOUND  # itself a furniture entry ("screen-reader-text": its "text" is no article)
            elif not rules.remove.isdisjoint(words):
                if len(words) > 1 and words <= rules.roles:
                    flags |= _COMPOUND
            elif not rules.keep.isdisjoint(words):
                flags |= _KEEP_ONLY
    if len(name) <= _MEMO_NAME_MAX_CHARS:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[name] = flags
    return flags


def _value_flags(value: str, rules: Rules) -> int:
    memo = rules.memo
    flags = 0
    for name in value.split():
        name_flags = memo.get(name)  # the memo read inline: most names are known, and a call per name adds up
        flags |= _name_flags(name, rules) if name_flags is None else name_flags
    return flags


def clear_caches(rules: Rules = RULES) -> None:
    """Forget memoised class/id names (a benchmark's cold start)."""
    rules.memo.clear()


def _furniture_flags(value: str, rules: Rules) -> int:
    """The value's flags when it names furniture, else 0."""
    # Every furniture hint holds the first word of a `remove` entry: most values hold none and cost one search.
    if not rules.remove_hint.search(value.lower()):
        return 0
    flags = _value_flags(value, rules)
    if not flags & _REMOVE:
        return 0
    if not flags & _KEEP:
        return flags
    # Both kinds of word: a name built only of role words, one of them furniture ("related_post", "comment-content",
    # "postFooter"), names the box by its furniture role, unless another name of the value is purely article.
    return flags if flags & _COMPOUND and not flags & _KEEP_ONLY else 0


def _holds_prose(node, rules: Rules) -> bool:
    """A paragraph of sentences inside: what an ad slot never holds."""
    for p in node.css("p"):
        text = p.text(deep=True)
        if len(text) >= rules.t["sibling_paragraph_chars"] and _HOLDS_SENTENCE_END.search(text):
            return True
    return False


# Elements that say they hold a story; the one with the most text is the page's article.
_STORY_SELECTOR = 'article, main, [role="main"], [role="article"], [itemprop="articleBody"]'


def _not_holding_the_story(tree, landmarks: list, outer_dialogs: list, deadline: Deadline) -> list:
    """The landmarks that do not hold the page's article: a story opened in a dialog or wrapped in a mislabelled
    "banner" is the page, however little of the page's text it holds. A sidebar of teaser <article>s holds
    stories too, so only the element holding the most text counts (found only when some landmark holds one).
    With no story element, a shown dialog (<dialog open> or role=dialog) holding an <h1> and most of the page's
    paragraph text is the story opened as a modal; a consent or paywall modal has no headline of the page, and a
    closed <dialog> is never read. Only outermost dialogs (outer_dialogs) are judged: one pass over each subtree,
    however deep dialogs nest."""
    # A landmark inside another holds a story only if the outer one does: one search per outermost landmark.
    if not any(n.css_first(_STORY_SELECTOR) is not None for n in _outermost(landmarks, deadline)):
        if not outer_dialogs or tree.body is None:
            return landmarks
        prose = None
        opened = set()
        for n in outer_dialogs:
            if (n.tag != "dialog" or "open" in n.attributes) and n.css_first("h1") is not None:
                if prose is None:
                    prose = _paragraph_chars(tree.body)  # once per page, and only for a dialog with a headline
                if prose and _paragraph_chars(n) * 2 >= prose:
                    opened.add(n.mem_id)
            deadline.check()
        return [n for n in landmarks if n.mem_id not in opened]
    size, story = max(((len(n.text(deep=True)), n) for n in tree.css(_STORY_SELECTOR)), key=lambda pair: pair[0])
    holders = set()
    node = story.parent
    while node is not None:
        holders.add(node.mem_id)
        node = node.parent
    # The story must be most of the landmark: a rail of teaser <article>s holds the largest <article> when the
    # story itself is in a plain <div>, and one teaser is a small part of its rail.
    return [n for n in landmarks if n.mem_id not in holders or size * 2 < len(n.text(deep=True))]


def _is_dialog(node) -> bool:
    return node.tag == "dialog" or (node.attributes.get("role") or "").lower() in _DIALOG_ROLES


_HEADLINES_READ = 16


def _story_outside_dialogs(tree, outer_dialogs: list, rules: Rules) -> bool:
    """Some <h1> of the page (among its first few) and a paragraph's worth of <p> text sit in no dialog."""
    if tree.body is None:
        return False
    dialogs = {n.mem_id for n in outer_dialogs}
    for h1 in tree.css("h1")[:_HEADLINES_READ]:
        anc = h1
        while anc is not None and anc.mem_id not in dialogs:
            anc = anc.parent
        if anc is None:
            break
    else:
        return False
    inside = sum(_paragraph_chars(n) for n in outer_dialogs)
    return _paragraph_chars(tree.body) - inside >= rules.t["sibling_paragraph_chars"]


def _outermost(nodes: list, deadline: Deadline) -> list:
    """The nodes not inside another of them. Each walk up stops at one of them or at an ancestor an earlier walk
    cleared, so every element is climbed through at most once."""
    members = {n.mem_id for n in nodes}
    clear: set = set()
    out = []
    for n in nodes:
        path = []
        anc = n.parent
        while anc is not None and anc.mem_id not in members and anc.mem_id not in clear:
            path.append(anc.mem_id)
            anc = anc.parent
        if anc is None or anc.mem_id in clear:
            clear.update(path)
            out.append(n)
        if len(path) > _CHECK_EVERY:
            deadline.check()
    return out


def _paragraph_chars(node) -> int:
    return sum(len(p.text(deep=True).strip()) for p in node.css("p"))


_PAYWALLED_PART = re.compile(r'"cssSelector"\s*:\s*"([^"]{1,100})"')
_NOT_FREE = re.compile(r'"isAccessibleForFree"\s*:\s*"?false', re.I)


def _paywalled_parts(tree) -> set[int]:
    """mem_ids of the boxes a page's JSON-LD declares as the paywalled part of its article (`isAccessibleForFree`
    false, `hasPart.cssSelector`): hidden until paid for, but the story's own text, not hidden furniture."""
    found: set[int] = set()
    for script in tree.css('script[type="application/ld+json" i]'):
        raw = script.text(deep=True) or ""
        if "cssSelector" not in raw or not _NOT_FREE.search(raw):
            continue
        for selector in _PAYWALLED_PART.findall(raw)[:4]:
            try:
                found.update(n.mem_id for n in tree.css(selector))
            except Exception:  # a selector the parser does not take: no exemption
                continue
    return found


def removed_subtrees(tree, rules: Rules, use_hints: bool, removal_limit=None,
                     deadline: Deadline | None = None, data_named: set | None = None,
                     shown: set | None = None) -> set[int]:
    """mem_ids of hidden elements and (if use_hints) of class/id-flagged furniture; the DOM is not mutated.

    Each distinct class/id value is judged once per page (this call's dict); its names are judged once while
    they stay in the rules' bounded memo. A flagged
    box holding most of the page's text is kept: that is a page wrapper with an unlucky name ("l-outer--nav"),
    and so is a box named only as an ad slot that holds prose. (extract_paragraphs leaves the class/id names to
    the walk, which judges only the elements it reaches: HintedFurniture, whose removal_limit it then shares.)
    Boxes named as furniture in hint_attributes (data-testid, ...) are found by the landmarks' query (one pass
    over the tree for both): removed with use_hints, else put in `data_named` when given (for the walk's first,
    hinted pass; its second pass reads no names). A hidden box that is the story's own (_HiddenStory: a "Read more"
    remainder, an accordion's answer) stays; the accordion's question buttons go into `shown` when given.
    """
    deadline = deadline or Deadline(float("inf"))
    candidates = [(n, False) for n in tree.css(_HIDDEN_SELECTOR) if n.tag not in _NEVER_REMOVE]
    if candidates:
        paywalled = _paywalled_parts(tree)
        story = _HiddenStory(tree, rules, shown)
        kept = []
        for i, (n, ad) in enumerate(candidates):
            if i % 64 == 63:
                deadline.check()
            if n.mem_id not in paywalled and not story.holds(n):
                kept.append((n, ad))
        candidates = kept
    found = tree.css(rules.landmark_selector)
    landmarks = [n for n in found if n.tag not in _NEVER_REMOVE
                 and (n.tag == "dialog" or (n.attributes.get("role") or "").lower() in _FURNITURE_ROLES)]
    named = _data_named(found, rules) if use_hints or data_named is not None else []
    # Only outermost dialogs are judged: one inside another goes or stays with it (nested boxes would each read
    # the text of the whole nest).
    dialogs = [n for n in landmarks if _is_dialog(n)]
    outer = _outermost(dialogs, deadline)
    nested = {n.mem_id for n in dialogs} - {n.mem_id for n in outer}
    furniture = _not_holding_the_story(tree, landmarks, outer, deadline)
    # A <dialog> element is never read, whatever its share of the text, unless the story is opened in it; nor is a
    # role=dialog box when the page's headline and a paragraph of text are outside every dialog (a consent modal
    # can hold more text than a short story). Otherwise such a box is removed as any landmark is (up to the
    # removal limit): it may hold the only text there is.
    removed = {n.mem_id for n in furniture if n.tag == "dialog"}
    roles = [n for n in furniture if n.mem_id not in removed and _is_dialog(n)]
    if roles and _story_outside_dialogs(tree, outer, rules):
        removed.update(n.mem_id for n in roles)
    candidates += [(n, False) for n in furniture if n.mem_id not in removed and n.mem_id not in nested]
    if use_hints:
        judged: dict[str, int] = {}  # value -> its flags if furniture, else 0
        for node in tree.css("[class], [id]"):
            ad = _hint_candidate(node, None, judged, rules)
            if ad is not None:
                candidates.append((node, ad))
        candidates += named
    elif named:
        limit = removal_limit() if removal_limit is not None else _removal_limit(tree.body, rules)
        data_named.update(node.mem_id for node, ad in named if _removable(node, ad, limit, rules))
    if not candidates:
        return removed
    limit = removal_limit() if removal_limit is not None else _removal_limit(tree.body, rules)
    for n, (node, ad) in enumerate(candidates):
        if node.mem_id not in removed and _removable(node, ad, limit, rules):
            removed.add(node.mem_id)
        if n % 64 == 63:
            deadline.check()  # each judgement reads the node's text: nested boxes make that long
    return removed


# Hidden boxes that are the story's own text, shown after a tap: the rest of a story behind a "Read more" control or
# loaded lazily, and an accordion's answers (its question is the button before the panel).
_EXPANDER = re.compile(r"^(?:(?:read|show|see|view) (?:more|the (?:full|whole) (?:story|article)|(?:full|whole) "
                       r"(?:story|article)|the rest(?: of (?:the|this) (?:story|article))?)|continue reading|"
                       r"keep reading|expand(?: (?:the )?(?:story|article))?|loading more\b.*)[\s.:!\u2026>\u203a\u00bb]*$",
                       re.I)
_EXPANDER_MAX_CHARS = 60
_STORY_BOX_TAGS = frozenset({"div", "section", "p"})
# Outside the page's body text: a hidden box in these is a menu, a modal, a rail or a form, never the story's.
_NOT_STORY_TAGS = frozenset({"nav", "aside", "header", "footer", "dialog", "form", "menu", "figure", "li", "ul",
                             "ol", "table", "blockquote", "button", "template", "details"})


def _lang_family(tag: str) -> str:
    """A language tag's primary subtag, lower case ("en-GB" -> "en")."""
    return tag.split("-")[0].strip().lower()


class _HiddenStory:
    """Whether a hidden box is the story's own text (removed_subtrees keeps it). Two shapes, both guarded so that
    hidden furniture (menus, modals, cookie and sign-up boxes, a hidden duplicate or print/AMP copy of the story)
    still goes:
    - a remainder: a box of sentence paragraphs set among the story's shown paragraphs (a shown <p> of sentences
      before it in the same parent), named as lazy or expandable ("lazy-block", "expandable", "collapsed") or
      beside a "Read more" / "Continue reading" / "Show full story" control;
    - an accordion's answer: a panel of sentence paragraphs right after its question, a <button> with
      aria-expanded or aria-controls (maybe inside a heading); the button goes into `shown`, to be read as a line.
    The box's text must appear only once on the page (a hidden copy repeats the shown story)."""

    __slots__ = ("tree", "rules", "shown", "page_text", "page_lang", "site_groups", "shown_from")

    def __init__(self, tree, rules: Rules, shown: set | None):
        self.tree, self.rules, self.shown, self.page_text = tree, rules, shown, None
        root = tree.css_first("html")
        self.page_lang = _lang_family((root.attributes.get("lang") or "") if root is not None else "")
        # Per parent (mem_id), worked out once: a page of thousands of panels in one parent was quadratic.
        self.site_groups: dict[int, bool] = {}  # does a question of the group say it is the site's own
        self.shown_from: dict[int, tuple[dict[int, int], int | None]] = {}  # children's places, first shown start

    def holds(self, node) -> bool:
        if node.tag not in _STORY_BOX_TAGS or not self._sentences(node):
            return False
        trigger = self._question(node)
        if trigger is None and not (self._among_paragraphs(node) and self._remainder(node) and (
                _LAZY_NAME.search(_attr_words(node)) or self._beside_control(node))):
            return False
        if self._in_furniture(node) or self._other_language(node) or self._repeated(node):
            return False
        if trigger is not None and self.shown is not None:
            self.shown.add(trigger.mem_id)
        return True

    def _sentences(self, node) -> bool:
        """Only paragraphs of sentences, few links, no control or form (a sign-up box), no cookie or site notice."""
        if node.css_first("button, input, select, textarea, form, nav, iframe") is not None:
            return False
        text = " ".join(node.text(deep=True).split())
        if not text or _COOKIE_WORD.search(text) or self.rules.notices.match(text):
            return False
        paragraphs = [node] if node.tag == "p" else node.css("p")
        said = [" ".join(p.text(deep=True).split()) for p in paragraphs]
        said = [s for s in said if s]
        if not said or sum(map(len, said)) < len(text) * 0.9:
            return False
        if not all(ENDS_AS_SENTENCE.search(s) for s in said):
            return False
        links = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
        return links <= len(text) * 0.25

    def _question(self, node):
        """The accordion's question right before the panel: a button with aria-expanded/aria-controls, alone or
        in a heading. An accordion of the site's own (its subscription FAQ, terms, standards, newsletters, a
        video's transcript) is furniture: no question of the group, nor the panel's name, may say so."""
        before = _previous_element(node)
        if before is None:
            return None
        button = before if before.tag == "button" else None
        if button is None and before.tag in self.rules.heading_tags:
            button = before.css_first("button")
        if button is None or not ("aria-expanded" in button.attributes or "aria-controls" in button.attributes):
            return None
        text = " ".join(button.text(deep=True).split())
        if not text or len(text) > _EXPANDER_MAX_CHARS * 3 or not _LETTER.search(text):
            return None
        if _SITE_PANEL_NAME.search(_attr_words(node)) or _SITE_PANEL_NAME.search(_attr_words(button)):
            return None
        group = node.parent if node.parent is not None else node
        site = self.site_groups.get(group.mem_id)
        if site is None:
            site = self.site_groups[group.mem_id] = any(
                _SITE_QUESTION.search(" ".join(other.text(deep=True).split()))
                for other in group.css("button[aria-expanded], button[aria-controls]"))
        return None if site else button

    def _remainder(self, node) -> bool:
        """Not named as another text than the story's rest: a translation, a summary, an image's description, a
        bio, the next story's teaser, a message (the name's words; a bio box around the box counts too)."""
        if _NOT_REMAINDER_NAME.search(_attr_words(node)):
            return False
        return node.parent is None or not _BIO_BOX_NAME.search(_attr_words(node.parent))

    def _other_language(self, node) -> bool:
        """The box (or a box around it) is marked in another language than the page's (a hidden translation)."""
        anc = node
        while anc is not None and anc.tag not in ("body", "html"):
            lang = anc.attributes.get("lang")
            if lang is not None:
                return _lang_family(lang) != self.page_lang
            anc = anc.parent
        return False

    def _among_paragraphs(self, node) -> bool:
        """A shown paragraph of sentences comes before the box in its parent, alone or as the last paragraph of a
        shown box ("<div class=teaser-text><p>...</p></div><div hidden>..."): the story's start is shown."""
        parent = node.parent
        if parent is None:
            return False
        places = self.shown_from.get(parent.mem_id)
        if places is None:
            where, first = {}, None
            for i, child in enumerate(parent.iter(include_text=False)):
                where[child.mem_id] = i
                if first is None and self._shown_start(child):
                    first = i
            places = self.shown_from[parent.mem_id] = (where, first)
        where, first = places
        return first is not None and where.get(node.mem_id, -1) > first

    def _shown_start(self, sib) -> bool:
        """A shown paragraph of sentences, or a shown box whose last paragraph is one."""
        if sib.tag not in _STORY_BOX_TAGS or _is_hidden(sib):
            return False
        last = sib if sib.tag == "p" else (sib.css("p") or [None])[-1]
        text = " ".join(last.text(deep=True).split()) if last is not None and not _is_hidden(last) else ""
        return len(text) >= self.rules.t["min_paragraph_chars"] and _HOLDS_SENTENCE_END.search(text) is not None

    def _beside_control(self, node) -> bool:
        """A "Read more" control of this box: right after it (or right before it), or any button whose
        aria-controls names the box. A link counts only when it stays on the page (no href, or "#..."): one to
        another address is a teaser's or a topic's. (The parent's next element is no control of this box: a
        comments "Show more" after the body would unlock every hidden paragraph in it.)"""
        for near in (_next_element(node), _previous_element(node)):
            if near is not None and near.tag not in ("p", "section", "article") and _stays_on_page(near):
                text = " ".join(near.text(deep=True).split())
                if 0 < len(text) <= _EXPANDER_MAX_CHARS and _EXPANDER.match(text):
                    return True
        box_id = node.attributes.get("id")
        if box_id and _ANCHOR_ID.fullmatch(box_id):
            for control in self.tree.css(f'[aria-controls="{box_id}"]'):
                text = " ".join(control.text(deep=True).split())
                if 0 < len(text) <= _EXPANDER_MAX_CHARS and _EXPANDER.match(text):
                    return True
        return False

    def _in_furniture(self, node) -> bool:
        anc = node
        while anc is not None and anc.tag not in ("body", "html"):
            if anc.tag in _NOT_STORY_TAGS or (anc.attributes.get("role") or "").lower() in _FURNITURE_ROLES:
                return True
            for value in (anc.attributes.get("class"), anc.attributes.get("id")):
                if value and _furniture_flags(value, self.rules):
                    return True
            anc = anc.parent
        return False

    def _repeated(self, node) -> bool:
        """The box's first paragraph is printed elsewhere on the page too (a hidden copy of the story; a cut copy
        ends in "..." which the probe leaves out)."""
        first = node if node.tag == "p" else node.css_first("p")
        probe = " ".join(first.text(deep=True).split()) if first is not None else ""
        probe = probe.rstrip(" .\u2026")[:_REPEAT_PROBE_CHARS]
        if not probe:
            return True
        if self.page_text is None:
            body = self.tree.body
            self.page_text = " ".join(body.text(deep=True).split()) if body is not None else ""
        return self.page_text.count(probe) > 1


_LAZY_NAME = re.compile(r"lazy|expand|collaps|truncat|remainder|rest-of|read-?more-(?:content|text|body)", re.I)
# A hidden box so named is other text than the story's rest, whatever its control (a translation, a cut copy of the
# lede, a summary, a bio's rest, the next story's teaser, a feedback message).
_NOT_REMAINDER_NAME = re.compile(r"translat|summary|lede|teaser|next|related|desc|alt-?text|\bbio|author|writer|"
                                 r"msg|message|thanks|feedback|geo|transcript", re.I)
_BIO_BOX_NAME = re.compile(r"\bbio|writer|author-?(?:box|bio|info|card|about)|about-?(?:the-?)?author", re.I)
_REPEAT_PROBE_CHARS = 80
# An accordion of the site's own (its subscription FAQ, terms, standards, a video's transcript): its panel's name,
# or a question of its group.
_SITE_PANEL_NAME = re.compile(r"transcript|terms|newsletter|subscri|standards|trust", re.I)
_SITE_QUESTION = re.compile(r"subscri|newsletter|transcript|terms (?:and|&) conditions|terms of (?:use|service)|"
                            r"why (?:you can|should you) trust|trust (?:us|our (?:journalism|reporting))|"
                            r"how we (?:report|work|cover)|about (?:us|our)\b|our (?:journalism|standards)|"
                            r"privacy (?:policy|notice)", re.I)


def _stays_on_page(control) -> bool:
    """A control that opens something on this page: not a link to another address."""
    href = control.attributes.get("href") if control.tag == "a" else None
    if href is None:
        inner = control.css_first("a[href]") if control.tag != "a" else None
        href = inner.attributes.get("href") if inner is not None else None
    return href is None or not href.strip() or href.strip().startswith(("#", "javascript:"))


def _is_hidden(node) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").lower().replace(" ", "")
    return "display:none" in style or "visibility:hidden" in style


def _next_element(node):
    return _adjacent_element(node, "next")


def _previous_element(node):
    return _adjacent_element(node, "prev")


def _adjacent_element(node, side: str):
    """The element directly beside `node` on `side` ("next" or "prev"), past comments and blank text; None when
    text stands between."""
    node = getattr(node, side)
    while node is not None and node.tag in ("-text", "_text", "-comment", "_comment"):
        if node.tag in ("-text", "_text") and (node.text_content or "").strip():
            return None
        node = getattr(node, side)
    return node


def _hint_candidate(node, tag: str | None, judged: dict, rules: Rules, values: tuple | None = None) -> bool | None:
    """Whether a node named as furniture by its class or id (or by `values`, its hint_attributes' values) is named
    only as an ad slot; None when its names do not remove it. `judged` holds the page's values already judged
    (value -> its flags if furniture, else 0)."""
    if values is None:
        attrs = node.attributes  # one dict of the node's attributes: cheaper than two lookups through .attrs
        values = (attrs.get("class"), attrs.get("id"))
    for value in values:
        if not value:
            continue
        flags = judged.get(value)
        if flags is None:
            flags = judged[value] = _furniture_flags(value, rules)
        if not flags:
            continue
        if tag is None:
            tag = node.tag  # flagged names are rare, so the tag is read only here (a C call per node adds up)
        if tag in rules.inline_tags and not flags & _INLINE:
            continue  # inline elements sit inside sentences: only hidden/ad/share names remove them
        if (not flags & _NOT_CAPTION and (tag in rules.inline_tags or not flags & _CAPTION_NAME)
                and not _captions_picture(node, tag, rules)):
            continue  # a caption word on the story's own text ("caption-like", a span mid-sentence)
        return None if tag in _NEVER_REMOVE else not flags & _NOT_AD
    return None


def _captions_picture(node, tag: str, rules: Rules) -> bool:
    """Whether a box or span named only by caption_words is a picture's caption or credit: inside a figure or
    beside (or holding) a picture, a credit line, a box without a sentence, or a span at its line's edge."""
    text = " ".join(node.text(deep=True).split())
    if not text or rules.figure_credit.match(text):
        return True
    ancestor = node.parent
    for _ in range(3):
        if ancestor is None:
            break
        if ancestor.tag in ("figure", "figcaption"):
            return True
        ancestor = ancestor.parent
    if tag in rules.inline_tags:
        line = " ".join(node.parent.text(deep=True).split()) if node.parent is not None else text
        return line.startswith(text) or line.endswith(text)
    if node.css_first(_MEDIA_SELECTOR) is not None or not _HOLDS_SENTENCE_END.search(text):
        return True
    for sibling in (node.prev, node.next, node.prev.prev if node.prev else None, node.next.next if node.next else None):
        if sibling is not None and sibling.tag != "-text" and (
                sibling.tag in _MEDIA_TAGS or sibling.css_first(_MEDIA_SELECTOR) is not None):
            return True
    return False


def _removal_limit(body, rules: Rules) -> float:
    return len(body.text(deep=True)) * rules.t["removal_max_text_share"] if body is not None else 0


def _removable(node, ad: bool, limit: float, rules: Rules) -> bool:
    return len(node.text(deep=True)) <= limit and not (ad and _holds_prose(node, rules))


class HintedFurniture:
    """The class/id half of removed_subtrees, asked by the walk of each element it reaches: elements inside
    skipped or removed boxes (navigation, footers, scripts), most of a page's names, are never judged. Removes
    what removed_subtrees(use_hints=True) would, among the elements the walk reaches."""

    __slots__ = ("body", "judged", "limit", "rules")

    def __init__(self, body, rules: Rules):
        self.body, self.rules, self.judged, self.limit = body, rules, {}, None

    def removal_limit(self) -> float:
        """The most text a removed box may hold (a share of the body's text, read once per page)."""
        if self.limit is None:
            self.limit = _removal_limit(self.body, self.rules)
        return self.limit

    def removes(self, node, tag: str) -> bool:
        ad = _hint_candidate(node, tag, self.judged, self.rules)
        return ad is not None and _removable(node, ad, self.removal_limit(), self.rules)



def _data_named(nodes: list, rules: Rules) -> list:
    """(node, named only as an ad slot) for the nodes whose hint_attributes (data-testid, ...) name them as
    furniture; the walk asks each element of its class and id only."""
    out: list = []
    if not rules.hint_attributes:
        return out
    judged: dict[str, int] = {}
    for node in nodes:
        attrs = node.attributes
        values = tuple(map(attrs.get, rules.hint_attributes))
        if values.count(None) < len(values):
            ad = _hint_candidate(node, None, judged, rules, values)
            if ad is not None:
                out.append((node, ad))
    return out


@dataclass
class _Dom:
    tags: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    parents: list = field(default_factory=list)
    ends: list = field(default_factory=list)
    text_len: list = field(default_factory=list)
    link_len: list = field(default_factory=list)
    commas: list = field(default_factory=list)
    cookies: list = field(default_factory=list)  # "ookie" in the subtree's text: a bound on "cookie" words
    controls: list = field(default_factory=list)  # buttons and form fields in the subtree: UI widgets, not prose
    segments: list = field(default_factory=list)  # (owner element, text, link chars), document order
    seg_from: list = field(default_factory=list)  # a block's segments are segments[seg_from[i]:seg_to[i]]
    seg_to: list = field(default_factory=list)
    last_paragraph: dict = field(default_factory=dict)  # chosen container -> its last story <p> (or -1)


_IN_LINK, _IN_PRE, _IN_P = 1, 2, 4


_BR = "\x0b"  # a <br> outside <pre>, until _flush decides whether it ends a line
_BR_RUN_ON = re.compile(r"(\w)[^\S\n\x0b]*\x0b[^\S\n\x0b]*(\w)")
_BR_PARAGRAPH = re.compile(r"\x0b(?:[^\S\n\x0b]*\x0b)+")  # <br><br>: a paragraph break on a page without <p>
_PARAGRAPH_MARK = "\x00"  # (no text holds one: HTML parsers replace NUL)
_PARAGRAPH_MARKS = re.compile(r"\n?(?:\x00\n?)+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _br_break(match) -> str:
    before, after = match.group(1), match.group(2)
    return f"{before} {after}" if before.islower() and after.islower() else f"{before}\n{after}"


def _flush(dom: _Dom, buf: list, link: int, owner: int, headings: frozenset) -> None:
    text = "".join(buf)
    if _BR in text:
        # A layout <br> inside a sentence ("... from any device to<br>make Firefox your own ..."): a lower-case
        # word on both sides makes it one line (the cleaner would take each half for a fragment), in a block
        # whose text ends in punctuation (hard-wrapped prose); a block ending in a bare word is lines (an address,
        # a list, code, verse), and so is a furniture line after the text ("... next week<br>share this article").
        end = text.rstrip()[-1:]
        if text.count(_BR) > 1 and dom.tags[owner] not in headings:
            text = _BR_PARAGRAPH.sub("\n\x00\n", text)
        if (end and not end.isalnum()) or dom.tags[owner] in headings:  # a heading is one line
            text = _BR_RUN_ON.sub(_br_break, text)
        text = text.replace(_BR, "\n")
    if "\n" not in text:
        text = " ".join(text.split())
        if text:
            dom.segments.append((owner, text, link))
        return
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if _PARAGRAPH_MARK in text:  # one blank line where <br><br> parted paragraphs; none at either end
        text = _PARAGRAPH_MARKS.sub("\n\n", text).strip("\n")
    if text:
        dom.segments.append((owner, text, link))


def _is_overlay(anchor) -> bool:
    """A link to another page with nothing inside (no text, image or button): CSS stretches it over its card.
    A link with a fragment ("#section", "/2024/story#section") is a heading's permalink, not a card."""
    href = anchor.attrs.get("href")
    if not href or "#" in href:
        return False
    child = anchor.child
    while child is not None:
        if child.tag != "-text":
            return False
        child = child.next
    return True


_CHILD_FLAGS = {"a": _IN_LINK, "pre": _IN_PRE, "p": _IN_P}


def walk(root, removed: set, rules: Rules, deadline: Deadline, max_depth: int,
         hinted: HintedFurniture | None = None, shown: frozenset | set = frozenset()) -> _Dom:
    """One iterative pass: element table (preorder), subtree text/link sizes, and text segments split at blocks.

    A stack of child iterators (selectolax yields the children in C): text nodes, the most numerous, are read in
    the inner loop without a stack entry of their own, and an element's end is its iterator running out."""
    dom = _Dom()
    skip, blocks, headings = rules.skip_tags, rules.block_tags, rules.heading_tags
    tags, nodes, parents, ends = dom.tags, dom.nodes, dom.parents, dom.ends
    text_len, link_len, commas = dom.text_len, dom.link_len, dom.commas
    cookies, controls, segments = dom.cookies, dom.controls, dom.segments
    seg_from, seg_to = dom.seg_from, dom.seg_to
    cards: list = []  # blocks holding an empty link: the link overlays the whole card (teaser grids)
    buf: list = []
    buf_link = 0
    words = False  # buf holds more than spaces and line breaks (else _flush would make no segment of it)
    block_stack: list = []
    # (children still to read, their parent element, their depth, their flags); the root's entry has no parent
    stack: list = [(iter((root,)), -1, 0, 0)]
    seen = 0
    while stack:
        children, parent, depth, flags = stack[-1]
        for node in children:
            tag = node.tag
            if tag == "-text":
                text = node.text_content
                if not text:
                    continue
                if flags & _IN_PRE:
                    if _BR in text:
                        text = text.replace(_BR, " ")  # a vertical tab in the text is no <br>
                    words = True
                elif text.isspace():
                    buf.append(" ")  # only a word gap once _flush collapses spaces; no size, comma or link
                    continue
                else:
                    text = text.replace("\n", " ")
                    if _BR in text:
                        text = text.replace(_BR, " ")  # pasted from a word processor: no <br>
                    words = True
                buf.append(text)
                size = len(text.strip())
                if parent >= 0:
                    text_len[parent] += size
                    commas[parent] += text.count(",")
                    # An upper bound on "cookie" words (also "rookie"): one C-level scan, no lower(); _is_cookie_box
                    # counts whole words only in the few boxes this lets through.
                    cookies[parent] += text.count("ookie")
                    if flags & _IN_LINK:
                        link_len[parent] += size
                if flags & _IN_LINK:
                    # Measured as the segment's text is (spaces collapsed at _flush): a link broken over source
                    # lines ("Mr.\n          Nippers") would count more link than the line has text.
                    buf_link += len(" ".join(text.split())) if "  " in text or "\n" in text else size
                continue
            # Every other node counts toward the deadline check (text nodes lie between them: a comment between
            # two words makes two text nodes).
            seen += 1
            if seen % _CHECK_EVERY == 0:
                deadline.check()
            if (tag is None or tag[0] in "-!" or (tag in skip and not (shown and node.mem_id in shown))
                    or node.mem_id in removed or (hinted is not None and hinted.removes(node, tag))):
                if tag in _CONTROL_TAGS and parent >= 0 and not flags & _IN_P:
                    controls[parent] += 1  # a button inside a paragraph ("... by email [Subscribe]") belongs to it
                continue
            if tag == "br":
                buf.append("\n" if flags & _IN_PRE else _BR)
                continue
            if depth > max_depth:
                raise ExtractionError("too_deep", f"nesting deeper than {max_depth}")
            idx = len(tags)
            tags.append(tag)
            nodes.append(node)
            parents.append(parent)
            ends.append(idx)
            text_len.append(0)
            link_len.append(0)
            commas.append(0)
            cookies.append(0)
            controls.append(0)
            seg_to.append(0)
            if tag in blocks or idx == 0:
                if buf:
                    if words:
                        _flush(dom, buf, buf_link, block_stack[-1], headings)
                        words = False
                    buf, buf_link = [], 0
                block_stack.append(idx)
            seg_from.append(len(segments))
            stack.append((node.iter(include_text=True), idx, depth + 1, flags | _CHILD_FLAGS.get(tag, 0)))
            break
        else:  # every child read: leaving element `parent`
            stack.pop()
            item = parent
            if item < 0:
                continue
            last = len(tags) - 1
            ends[item] = last
            tag = tags[item]
            if tag == "a" and last == item and not text_len[item] and _is_overlay(nodes[item]):
                cards.append(parents[item])
            if tag in blocks or item == 0:
                if buf:
                    if words:
                        _flush(dom, buf, buf_link, item, headings)
                        words = False
                    buf, buf_link = [], 0
                block_stack.pop()
            seg_to[item] = len(segments)
    _sum_subtrees(dom)
    _count_cards_as_links(dom, cards, rules.t["card_max_chars"])
    return dom


def _sum_subtrees(dom: _Dom) -> None:
    """Each element's own sizes and counts become its subtree's (the walk counted each text at its parent only)."""
    parents, text_len, link_len = dom.parents, dom.text_len, dom.link_len
    commas, cookies, controls = dom.commas, dom.cookies, dom.controls
    for i in range(len(parents) - 1, 0, -1):  # children follow parents in preorder
        p = parents[i]
        text_len[p] += text_len[i]
        link_len[p] += link_len[i]
        commas[p] += commas[i]
        cookies[p] += cookies[i]
        controls[p] += controls[i]


def _count_cards_as_links(dom: _Dom, cards: list, card_max: int) -> None:
    """A card's words are the text of its overlay link, as if they sat inside it (a teaser grid reads as links)."""
    tags, parents, text_len, link_len = dom.tags, dom.parents, dom.text_len, dom.link_len
    for card in cards:
        extra = text_len[card] - link_len[card]
        if 0 < text_len[card] <= card_max and tags[card] in _CARD_TAGS:
            while card >= 0:
                link_len[card] += extra
                card = parents[card]


def _children(dom: _Dom, i: int) -> list[int]:
    """Element i's child elements, read off the preorder table (each child's subtree ends where the next begins)."""
    out, j, end = [], i + 1, dom.ends[i]
    while j <= end:
        out.append(j)
        j = dom.ends[j] + 1
    return out


def _link_density(dom: _Dom, i: int) -> float:
    return dom.link_len[i] / dom.text_len[i] if dom.text_len[i] else 0.0


def score_containers(dom: _Dom, rules: Rules) -> dict[int, float]:
    """Each paragraph votes for its ancestors (full, half, then a third per level); result is link-density discounted."""
    t = rules.t
    min_chars, levels = t["min_paragraph_chars"], t["ancestor_levels"]
    raw: dict[int, float] = {}
    body = dom.tags.index("body") if "body" in dom.tags else -1
    for owner, text, link in dom.segments:
        if dom.tags[owner] not in rules.paragraph_tags and owner != body:
            continue
        size = len(text)
        if size < min_chars or link > size * 0.5:
            continue
        vote = 1 + sum(text.count(c) for c in _COMMAS) + min(size // 100, 3)
        # Text set loose in <body> (<font> runs split by <br><br>, an old page without blocks) votes for the body.
        anc, level = (owner if owner == body else dom.parents[owner]), 0
        while anc >= 0 and level < levels:
            if anc not in raw:
                raw[anc] = dom_tag_weight(dom, anc, rules)
            raw[anc] += vote / (1 if level == 0 else 2 if level == 1 else level * 3)
            anc, level = dom.parents[anc], level + 1
    return {i: s * (1 - _link_density(dom, i)) for i, s in raw.items()}


def dom_tag_weight(dom: _Dom, i: int, rules: Rules) -> float:
    return rules.tag_weight.get(dom.tags[i], 0) + _class_weight(dom.nodes[i], rules, dom.text_len[i])


def _pick(dom: _Dom, scores: dict[int, float], rules: Rules) -> list[int]:
    """The best container plus the siblings that look like more of the same article."""
    t = rules.t
    if not scores:
        return [0]
    top = _first_of_stream(dom, scores, _promote(dom, scores, t), rules)
    parent = dom.parents[top]
    if parent < 0:
        return [top]
    threshold = max(t["sibling_min_score"], scores.get(top, 0) * t["sibling_score_ratio"])
    ends = dom.ends
    reference = max(v for j, v in scores.items() if top <= j <= ends[top])
    deep_threshold = max(t["sibling_min_score"], reference * t["sibling_subtree_ratio"])
    home = _story_of(dom, top)
    # A live blog's posts are sibling <article>s under the page's <h1>, set above them; on an endless-scroll page
    # each story <article> holds its own headline (an <h1>, or an <h2> on a page without one).
    live = (home >= 0 and home == top and "h1" not in dom.tags[home:ends[home] + 1]
            and "h1" in dom.tags[:home])
    chosen = []
    # A sibling of the winner's tag and class is more of the same: a live blog's short post beside a long one.
    twin = (dom.tags[top], dom.nodes[top].attrs.get("class")) if dom.tags[top] in _LEAD_TAGS else None
    for sib in _children(dom, parent):
        if (sib != top and home >= 0 and dom.tags[sib] == "article"
                and not (live and "h1" not in dom.tags[sib:ends[sib] + 1])):
            continue  # the next story of a stream, not more of this one
        if sib != top and _holds_other_story(dom, sib, top):
            continue  # a wrapper ("scroll-container") holding the next story of a stream, headline and all
        if sib == top or scores.get(sib, -1e9) >= threshold:
            chosen.append(sib)
            continue
        if (twin is not None and twin[1] and dom.tags[sib] == twin[0] and dom.nodes[sib].attrs.get("class") == twin[1]
                and _link_density(dom, sib) < t["sibling_link_density"]):
            chosen.append(sib)  # (a layout column of links with the story column's class stays out)
            continue
        # A sibling wrapping another strong block (an article split into sections) joins too.
        if any(v >= deep_threshold for j, v in scores.items() if sib < j <= ends[sib]):
            chosen.append(sib)
            continue
        size, ld = dom.text_len[sib], _link_density(dom, sib)
        if dom.tags[sib] != "p":
            # A lead/standfirst box: one short unlinked paragraph of sentences, without a negative hint.
            if (dom.tags[sib] in _LEAD_TAGS and t["sibling_paragraph_chars"] <= size <= t["lead_max_chars"]
                    and ld == 0 and _HOLDS_SENTENCE_END.search(dom.nodes[sib].text(deep=True))
                    and _class_weight(dom.nodes[sib], rules, size) >= 0):
                chosen.append(sib)
            continue
        if size >= t["sibling_paragraph_chars"] and ld < t["sibling_link_density"]:
            chosen.append(sib)
        elif 0 < size < t["sibling_paragraph_chars"] and ld == 0:
            text = dom.nodes[sib].text(deep=True)
            if _HOLDS_SENTENCE_END.search(text):
                chosen.append(sib)
    # A sibling named as furniture beside an article word ("page community": the comment thread) stays out,
    # as does a cookie notice whatever its name.
    chosen = [c for c in chosen if c == top or not (_in_furniture(dom, [c], rules) or _is_cookie_box(dom, c, rules))]
    return sorted(chosen + _same_class_kin(dom, scores, chosen, top, rules))


def _holds_other_story(dom: _Dom, sib: int, top: int) -> bool:
    """A sibling holding a whole other story: an <article> with its own <h1>, while the winner has its headline
    (inside it or before it). A live blog's posts are <article>s under lesser headings."""
    tags, ends = dom.tags, dom.ends
    if dom.tags[sib] == "article" or "article" not in tags[sib + 1:ends[sib] + 1]:
        return False  # (a sibling <article> is judged by the stream rule above)
    if "h1" not in tags[top:ends[top] + 1] and "h1" not in tags[:top]:
        return False
    j = sib + 1
    while j <= ends[sib]:
        if tags[j] == "article":
            if "h1" in tags[j:ends[j] + 1]:
                return True
            j = ends[j] + 1
        else:
            j += 1
    return False


def _same_class_kin(dom: _Dom, scores: dict[int, float], chosen: list[int], top: int, rules: Rules) -> list[int]:
    """Other strong blocks carrying the winner's class name (bodies split into "story-body-1", "-2" columns)."""
    classes = set((dom.nodes[top].attrs.get("class") or "").split())
    if not classes:
        return []
    floor = scores.get(top, 0) * rules.t["kin_score_ratio"]
    spans = [(c, dom.ends[c]) for c in chosen]
    kin = []
    for j, value in scores.items():
        if value < floor or any(a <= j <= b for a, b in spans) or j < top <= dom.ends[j]:
            continue
        if classes & set((dom.nodes[j].attrs.get("class") or "").split()) and not _elsewhere(dom, j, top, rules):
            kin.append(j)
    kin.sort()
    # Keep only outermost kin so no text is emitted twice.
    outer = []
    for j in kin:
        if not outer or j > dom.ends[outer[-1]]:
            outer.append(j)
    return outer


def _first_of_stream(dom: _Dom, scores: dict[int, float], top: int, rules: Rules) -> int:
    """On an endless-scroll page (stories one after another, each its own <article> with the same classes) the
    requested story comes first: a strong same-class block in an earlier <article> replaces the winner."""
    classes = set((dom.nodes[top].attrs.get("class") or "").split())
    if not classes:
        return top
    home = _story_of(dom, top)
    if home < 0:
        return top
    floor = scores.get(top, 0) * rules.t["kin_score_ratio"]
    for j in sorted(j for j in scores if j < home and scores[j] >= floor):
        if not classes & set((dom.nodes[j].attrs.get("class") or "").split()):
            continue
        path = _path_up(dom, j, top)
        if any(dom.tags[a] == "article" for a in path) and not _in_furniture(dom, path, rules):
            return j
    return top


def _other_story(dom: _Dom, blocks: list[int], home: int) -> bool:
    """Some block sits in (or is) an <article> beside `home`, neither inside the other, and both hold an <h1>: a
    story of its own. A live blog's entries and a section page's teasers are <article>s under lesser headings."""
    ends, tags = dom.ends, dom.tags
    if "h1" not in tags[home:ends[home] + 1]:
        return False
    for c in blocks:
        story = _story_of(dom, c)
        if (story >= 0 and not (story <= home <= ends[story] or home <= story <= ends[home])
                and "h1" in tags[story:ends[story] + 1]):
            return True
    return False


def _story_of(dom: _Dom, i: int) -> int:
    """The <article> element that is or holds element i, or -1."""
    while i >= 0 and dom.tags[i] != "article":
        i = dom.parents[i]
    return i


def _path_up(dom: _Dom, j: int, top: int) -> list[int]:
    """Block j and its ancestors below its lowest common ancestor with the winner."""
    path, anc = [], j
    while anc >= 0 and not anc <= top <= dom.ends[anc]:
        path.append(anc)
        anc = dom.parents[anc]
    return path


def _in_furniture(dom: _Dom, path: list[int], rules: Rules) -> bool:
    """Some block of the path has a furniture name. Stricter than removal: beside the winner a furniture word counts
    even next to an article word ("page community": the comment thread), since joining is the weaker bet; but not
    in a name that states a feature the box has ("content-section share-enabled": more of the story)."""
    for anc in path:
        for value in _hint_values(dom.nodes[anc].attributes, rules):
            if value and rules.remove_hint.search(value.lower()):
                for name in value.split():
                    if _name_flags(name, rules) & (_REMOVE | _STATE) == _REMOVE:
                        return True
    return False


def _elsewhere(dom: _Dom, j: int, top: int, rules: Rules) -> bool:
    """Block j sits in another story (an <article> that does not hold the winner: an endless-scroll page) or in
    a box named as furniture ("community", comments): the same class name there is not more of this article."""
    path = _path_up(dom, j, top)
    return any(dom.tags[a] == "article" for a in path) or _in_furniture(dom, path, rules)


def _promote(dom: _Dom, scores: dict[int, float], t: dict) -> int:
    """Best container, moved up to the common ancestor of close runners-up (articles split into
    several blocks) and past wrappers that hold nearly all of their parent's text."""
    ranked = sorted(scores, key=lambda i: (-scores[i], i))[: t["top_candidates"]]
    top = ranked[0]
    close = [i for i in ranked[1:] if scores[i] >= scores[top] * t["top_candidate_ratio"]]
    if len(close) >= 2:
        need = min(3, len(close))
        home = _story_of(dom, top)
        anc = dom.parents[top]
        while anc > 0:
            inside = [c for c in close if anc <= c <= dom.ends[anc]]
            if len(inside) >= need:
                # Not over two stories: on an endless-scroll page the next story, pre-loaded below in its own
                # <article>, scores close to this one, and their common ancestor would merge them.
                if home < 0 or anc > home or not _other_story(dom, inside, home):
                    top = anc
                break
            anc = dom.parents[anc]
    while True:
        parent = dom.parents[top]
        if parent <= 0 or dom.text_len[top] < dom.text_len[parent] * t["lone_child_text_ratio"]:
            return top
        top = parent


def _clean_mask(dom: _Dom, chosen: list[int], scores: dict[int, float], rules: Rules, deadline: Deadline) -> list[bool]:
    """True for elements whose segments are kept: inside a chosen container and not in a junk sub-container."""
    t = rules.t
    keep = [False] * len(dom.tags)
    for root in chosen:
        i, end = root, dom.ends[root]
        while i <= end:
            # A cell beside the story's cell in a layout table's row (the link column) is judged as a box is.
            if i != root and (dom.tags[i] in _CLEAN_TAGS or (dom.tags[i] == "td" and dom.parents[i] == root
                                                             and dom.tags[root] == "tr")) \
                    and _is_junk(dom, i, root, scores, rules, t):
                i = dom.ends[i] + 1
                continue
            keep[i] = True
            i += 1
        deadline.check()
    return keep


def _segments_of(dom: _Dom, i: int) -> list:
    """The (owner, text, link chars) segments inside element i: its range of dom.segments, owners in its subtree
    (a block's text after a nested block is flushed when the block closes, so it is in range too)."""
    end = dom.ends[i]
    return [seg for seg in dom.segments[dom.seg_from[i]:dom.seg_to[i]] if i <= seg[0] <= end]


def _is_cookie_box(dom: _Dom, i: int, rules: Rules) -> bool:
    """A consent notice or cookie-policy box: it says "cookie(s)" often and densely, as whole words ("rookie" is
    not one), and speaks of consent, settings or the browser (a story about cookie sales does not)."""
    t = rules.t
    if dom.cookies[i] < t["cookie_box_mentions"]:
        return False
    text = " ".join(s for _, s, _ in _segments_of(dom, i))
    n = len(_COOKIE_WORD.findall(text))
    return (n >= t["cookie_box_mentions"] and n * 1000 >= dom.text_len[i] * t["cookie_box_per_1000_chars"]
            and rules.cookie_box_vocabulary.search(text) is not None)


def _is_widget(dom: _Dom, i: int, rules: Rules) -> bool:
    """A button or form field with a few words and no sentence ("// Copy link") is a widget; a code block (its
    copy button) or a priced plan with a sentence is content. Heading text is never widget text: a subheading
    beside its copy-link button is the story's, and so is a list (a "Key points" box with a "Show all" button)
    and a paragraph ("What the council decided" beside a Share button), or a plain block in a box set between
    two paragraphs of the story (a section head) beside share controls only, unless it repeats a control's own
    label (an "Add reaction" picker's header under the "Add reaction" button). Elsewhere, or beside Follow, Save or
    a poll's Yes/No, a plain block is a tooltip, a player's title, a sign-up's pitch or the widget's title."""
    end = dom.ends[i]
    if "pre" in dom.tags[i:end + 1]:
        return False
    headings, tags = rules.heading_tags, dom.tags
    words = [(owner, s) for owner, s, _ in _segments_of(dom, i) if tags[owner] not in headings
             and tags[owner] != "li"]
    prose = ("p", "div") if _between_paragraphs(dom, i) else ("p",)
    # A sign-up or search box (a field to fill) or a call to action (a button in a link to another page: "Get
    # our newsletter" + Subscribe) stays a widget whatever its text is set in.
    own_blocks = any(owner != i and tags[owner] in prose for owner, _ in words)
    if own_blocks and dom.nodes[i].css_first(_CALL_TO_ACTION) is None:
        labels = _control_labels(dom.nodes[i])
        if len(prose) == 2 and not (labels and all(rules.share_label.search(label) for label in labels)):
            prose = ("p",)
        words = [(owner, s) for owner, s in words
                 if owner == i or tags[owner] not in prose or " ".join(s.split()).lower() in labels]
    return bool(words) and not any(_HOLDS_SENTENCE_END.search(s) for _, s in words)


def _between_paragraphs(dom: _Dom, i: int) -> bool:
    """Element i's previous and next siblings are paragraphs (found through the preorder table, no sibling scan)."""
    parent, after = dom.parents[i], dom.ends[i] + 1
    if parent < 0 or after >= len(dom.tags) or dom.parents[after] != parent or dom.tags[after] != "p":
        return False
    before = i - 1  # the last element of the previous sibling's subtree, or the parent
    while before > parent and dom.parents[before] != parent:
        before = dom.parents[before]
    return before > parent and dom.tags[before] == "p"


def _control_labels(node) -> set[str]:
    """What a box's buttons and fields say (text, aria-label, title, value), lowercase, spaces collapsed."""
    labels = set()
    for control in node.css("button, input, select, textarea"):
        attrs = control.attrs
        for label in (control.text(deep=True), attrs.get("aria-label"), attrs.get("title"), attrs.get("value")):
            if label:
                labels.add(" ".join(label.split()).lower())
    return labels


def _is_fact_box(dom: _Dom, i: int, rules: Rules) -> bool:
    """An aside of the story's own facts: no link and no button or field (related insets, sign-ups and paywall
    gates have them), and several lines of sentences or list items (a pull quote or a tagline is one line).
    It is then judged like any other box (a furniture name still removes it)."""
    if dom.link_len[i] or dom.controls[i]:
        return False
    tags = dom.tags
    # Sentences count only under a heading ("Key facts"): two loose sentences are a bio, a promo or a pull quote.
    titled = not rules.heading_tags.isdisjoint(tags[i:dom.ends[i] + 1])
    lines = sum(1 for owner, s, _ in _segments_of(dom, i)
                if tags[owner] == "li" or (titled and _HOLDS_SENTENCE_END.search(s)))
    return lines >= rules.t["fact_box_min_lines"]


def _lists_sources(dom: _Dom, i: int, root: int, rules: Rules) -> bool:
    """A list of linked bare addresses ("https://nodejs.org/api/inspector.html"): the story's sources, which
    navigation and related-story lists never show (they show headlines). Social-network profiles after the
    story's last paragraph are the site's "Follow us" list; within the story they are its own accounts."""
    lines = [(s, link) for _, s, link in _segments_of(dom, i)]
    bare = [s for s, link in lines if link >= len(s) and _BARE_URL.fullmatch(s)]
    profiles = [s for s in bare if rules.social_profile.fullmatch(s)]
    sources = sum(map(len, bare))
    if profiles and _after_the_story(dom, i, root, rules):
        sources -= sum(map(len, profiles))
    return len(lines) >= 2 and sources * 2 >= sum(len(s) for s, _ in lines)


def _after_the_story(dom: _Dom, i: int, root: int, rules: Rules) -> bool:
    """No paragraph of the story (a <p> of at least sibling_paragraph_chars) follows element i inside root."""
    last = dom.last_paragraph.get(root)
    if last is None:  # found once per chosen container, from its end
        end, tags, least, last = dom.ends[root], dom.tags, rules.t["sibling_paragraph_chars"], -1
        for k in range(dom.seg_to[root] - 1, dom.seg_from[root] - 1, -1):
            owner, text, _ = dom.segments[k]
            if root <= owner <= end and tags[owner] == "p" and len(text) >= least:
                last = owner
                break
        dom.last_paragraph[root] = last
    return last <= dom.ends[i]


def _is_junk(dom: _Dom, i: int, root: int, scores: dict[int, float], rules: Rules, t: dict) -> bool:
    size = dom.text_len[i]
    if size == 0 or size >= dom.text_len[root] * 0.5:
        return False  # never drop the bulk of the chosen article
    if dom.tags[i] == "aside" and not _is_fact_box(dom, i, rules):
        return True  # a box set beside the story (pull-quote, sign-up, related links) inside its container
    if dom.controls[i] and size <= t["control_box_max_chars"] and _is_widget(dom, i, rules):
        return True
    if (dom.controls[i] and size <= t["signup_box_max_chars"] and dom.nodes[i].css_first(_EMAIL_FIELD) is not None
            and _SIGNUP_WORDS.search(dom.nodes[i].text(deep=True))):
        # A newsletter sign-up set in the story (its pitch, an email field, its fine print), whatever its name; a
        # petition's or a contact form's text (an email field too) is the page's.
        return True
    ld = _link_density(dom, i)
    if ld > t["clean_short_link_density"] and not _lists_sources(dom, i, root, rules):
        if ld > t["clean_link_density"]:
            return True
        if size < t["clean_short_chars"] and dom.commas[i] < t["clean_min_commas"]:
            return True
    # Only a negative class/id hint marks an unlinked block as furniture: a list's tag weight
    # (used to pick the winner) says nothing about whether it belongs to the story.
    has_text = size >= t["positive_hint_min_chars"]
    if _class_weight(dom.nodes[i], rules, has_text=has_text) < 0 and dom.commas[i] < 10:
        return not _own_note(dom, i, root, rules)
    # A footnote box after the story that the page links to by words alone goes whatever else its name says
    # ("article-footnote", "footnotes" weigh 0): an affiliate disclosure or a sources widget.
    return (_FOOTNOTE_NAME.search(_attr_words(dom.nodes[i])) is not None and _after_the_story(dom, i, root, rules)
            and _jumped_to_only(dom.nodes[i]))


def _jumped_to_only(node) -> bool:
    """Links from outside the box lead to it, and none of them is a note's marker ("How we make money",
    a contents list's "Sources"). A box nothing links to (notes marked "[1]" in the text) is not judged here."""
    page = node
    while page.parent is not None:
        page = page.parent
    inside = {n.mem_id for n in node.css("a")}
    links = []
    for found in [node, *node.css("[id]")][:_NOTE_IDS_READ]:
        anchor = found.attributes.get("id") or ""
        if _ANCHOR_ID.fullmatch(anchor):
            links += [a for a in page.css(f'a[href="#{anchor}"]') if a.mem_id not in inside]
    return bool(links) and not any(map(_marks_note, links))


_FOOTNOTE_NAME = re.compile(r"(?:^|[\s_-])foot-?notes?(?:$|[\s_-])", re.I)
_ANCHOR_ID = re.compile(r"[\w:.-]{1,80}")
_NOTE_IDS_READ = 20


def _own_note(dom: _Dom, i: int, root: int, rules: Rules) -> bool:
    """A footnote of the post's own (Substack's, Ghost's "div.footnote > .footnote-content > p", a Markdown
    "div.footnotes > ol > li#fn1"): in a footnote box after the story's last paragraph whose anchor the story
    links to ("<sup><a href="#footnote-1">1</a></sup>"). A site's "footnote" box (a disclaimer, a promo) is linked
    from nowhere and still goes; the story's <sup> markers stay, pointing at the notes kept."""
    if not _FOOTNOTE_NAME.search(_attr_words(dom.nodes[i])) or not _HOLDS_SENTENCE_END.search(
            dom.nodes[i].text(deep=True)):
        return False
    box = i  # the outermost footnote box inside the chosen container
    while dom.parents[box] > root and _FOOTNOTE_NAME.search(_attr_words(dom.nodes[dom.parents[box]])):
        box = dom.parents[box]
    if not _after_the_story(dom, box, root, rules):
        return False
    node = dom.nodes[box]
    page = node
    while page.parent is not None:
        page = page.parent
    inside = {n.mem_id for n in node.css("a, sup")}
    for found in node.css("[id]")[:_NOTE_IDS_READ]:
        anchor = found.attributes.get("id") or ""
        if not _ANCHOR_ID.fullmatch(anchor):
            continue
        for link in page.css(f'a[href="#{anchor}"]'):
            if link.mem_id not in inside and _marks_note(link):
                return True
    # ... or, markers set without links: a note's number ("<a class=footnote-number>2</a>") is a <sup> of the story.
    numbers = {text for text in (n.text(deep=True).strip() for n in node.css("a, sup, span")[:_NOTE_IDS_READ])
               if text.isdigit() and len(text) <= 3}
    return bool(numbers) and any(sup.mem_id not in inside and sup.text(deep=True).strip() in numbers
                                 and _note_marker(sup) for sup in page.css("sup"))


_NOTE_MARK = re.compile(r"[\[(]?(?:\d{1,3}|[a-z]|[*\u2020\u2021\u00a7]{1,3})[\])]?")


def _marks_note(link) -> bool:
    """A link that sets a note's marker: in a <sup>, or a number, letter or asterisk alone ("[1]", "*", "\u2020").
    A link of words to the box ("How we make money", a contents list's "Sources") is the site's jump link, and its
    box (an affiliate disclosure, a sources widget) is no note of the story's."""
    anc, steps = link, 0
    while anc is not None and steps < 3:
        if anc.tag == "sup":
            return True
        anc, steps = anc.parent, steps + 1
    return _NOTE_MARK.fullmatch(" ".join(link.text(deep=True).split())) is not None


# Text a <sup> of digits raises as an exponent, not a note's number: a unit ("km<sup>2</sup>") or a number.
_EXPONENT_BASE = re.compile(r"(?:\d|\b(?:[kcmnµμ]?m|ft|in|mi|yd|sq|[kKmM]?[gsW]|[kKmMgG]?Hz|[kKmM]?J|m[Ll]|[Ll]))$")


def _note_marker(sup) -> bool:
    """A <sup> that marks a note: a link ("<sup><a href=#fn2>2</a></sup>"), or digits after a word (not after a
    unit or a number: "2.4 km<sup>2</sup>", "10<sup>6</sup>" are exponents)."""
    if sup.css_first("a") is not None:
        return True
    before = sup.prev
    text = (before.text_content or "") if before is not None and before.tag in ("-text", "_text") else ""
    return not _EXPONENT_BASE.search(text.rstrip())


def extract_paragraphs(tree, deadline: Deadline, max_depth: int, rules: Rules = RULES) -> list[tuple[str, str]]:
    """(tag, text) paragraphs of the main article, in document order. Retries without class/id removal when thin."""
    return _drop_closing_headings(_drop_title_lines(_paragraphs(tree, deadline, max_depth, rules), tree), rules)


def _drop_closing_headings(paragraphs: list[tuple[str, str]], rules: Rules) -> list[tuple[str, str]]:
    """A heading of the site's own matters (_SITE_QUESTION: subscriptions, newsletters, terms, about us) after
    the story's last paragraph heads nothing that stayed: its group was furniture that went ("Questions
    about your subscription" over the site's accordion). Any other closing heading stays (a story's last section
    can be a table or a video the text does not hold), as does a heading with text after it."""
    end = len(paragraphs)
    while (end > 1 and paragraphs[end - 1][0] in rules.heading_tags
           and _SITE_QUESTION.search(paragraphs[end - 1][1])):
        end -= 1
    if end == len(paragraphs) or paragraphs[end - 1][0] in rules.heading_tags:
        return paragraphs
    return paragraphs[:end]


def _paragraphs(tree, deadline: Deadline, max_depth: int, rules: Rules) -> list[tuple[str, str]]:
    root = tree.body
    if root is None:
        raise ExtractionError("no_body")
    best: list[tuple[str, str]] = []
    hinted = HintedFurniture(root, rules)
    # Hidden boxes and landmarks, for both passes; class/id names are the walk's, in the first.
    data_named: set[int] = set()  # boxes named as furniture in data-* attributes, for the first pass
    shown: set[int] = set()  # an accordion's question buttons, read as lines (skip_tags skips buttons)
    removed = removed_subtrees(tree, rules, use_hints=False, removal_limit=hinted.removal_limit, deadline=deadline,
                               data_named=data_named, shown=shown)
    for use_hints in (True, False):
        dom = walk(root, (removed | data_named) if use_hints and data_named else removed, rules, deadline, max_depth,
                   hinted if use_hints else None, shown)
        if not dom.tags:
            break
        scores = score_containers(dom, rules)
        chosen = _pick(dom, scores, rules)
        keep = _clean_mask(dom, chosen, scores, rules, deadline)
        paragraphs = _kept_segments(dom, keep, rules)
        if sum(len(p) for _, p in paragraphs) > sum(len(p) for _, p in best):
            best = paragraphs
        if sum(len(p) for _, p in best) >= rules.t["fallback_min_chars"]:
            break
        deadline.check()
    if rules.gallery is not None and sum(len(p) for _, p in best) < rules.t["gallery_max_body_chars"]:
        captions = _picture_captions(root, rules, deadline)
        # A picture's credit set in a box of its own (<span class="credit">Island Gazette</span>) is a line of its
        # own in either read: it goes, as a credit inside the caption does.
        credits = _credit_lines(root) if len(captions) >= rules.t["gallery_min_captions"] else None
        if credits:
            best = [p for p in best if p[1] not in credits]
        if (len(captions) >= rules.t["gallery_min_captions"]
                and sum(map(len, captions)) >= sum(len(p) for _, p in best)
                and not _photo_essay(best, captions, rules)):
            # A photo gallery: its slides' captions are the story (a short intro alone is not). Read again
            # with the gallery rules, which keep captions and slide boxes; a story's lead-photo caption is one.
            gallery = [(tag, _TRAILING_CREDIT.sub("", text)) for tag, text in
                       _paragraphs(tree, deadline, max_depth, rules.gallery)]
            if credits:
                gallery = [(tag, _without_credit(text, credits)) for tag, text in gallery if text not in credits]
            if sum(len(p) for _, p in gallery) > sum(len(p) for _, p in best):
                return gallery
    return best


def _without_credit(text: str, credits: set[str]) -> str:
    """A caption closed by the picture's credit from the page's own credit box ("... the first start gun. Jo
    Ellis/Harbour Gazette"): the credit goes when a sentence ends before it; other text is left whole."""
    for credit in credits:
        if len(text) > len(credit) and text.endswith(credit):
            head = text[:-len(credit)]
            if head[-1:].isspace() and ENDS_AS_SENTENCE.search(head.rstrip()):
                return head.rstrip()
    return text


_CREDIT_SELECTOR = '[class*="credit" i]'
_CREDIT_MAX_CHARS = 80


def _credit_lines(root) -> set[str]:
    """The texts of the page's credit boxes that are no sentence ("Island Gazette", "Jo Ellis/Courier")."""
    out = set()
    for node in root.css(_CREDIT_SELECTOR):
        text = " ".join(node.text(deep=True).split())
        if text and len(text) <= _CREDIT_MAX_CHARS and not _HOLDS_SENTENCE_END.search(text):
            out.add(text)
    return out


def _photo_essay(paragraphs: list[tuple[str, str]], captions: set[str], rules: Rules) -> bool:
    """An article with pictures, its captions out: at least photo_essay_min_paragraphs paragraphs of sentences
    (<p>) that are no caption, whose text weighs photo_essay_min_share of the captions'. A gallery's intro of
    three short lines before ten long captions is a gallery: counting lines alone is too low a
    bar."""
    least = rules.t["min_paragraph_chars"]
    own = [text for tag, text in paragraphs if tag == "p" and len(text) >= least and ENDS_AS_SENTENCE.search(text)
           and text not in captions]
    return (len(own) >= rules.t["photo_essay_min_paragraphs"]
            and sum(map(len, own)) >= rules.t["photo_essay_min_share"] * sum(map(len, captions)))


_TITLE_PARTS = re.compile(r"\s+[-|\u2013\u2014:\u00b7\u2022]\s+")
_TITLE_LINES_READ = 2


def _drop_title_lines(paragraphs: list[tuple[str, str]], tree) -> list[tuple[str, str]]:
    """A page without an <h1> (old <font><b> layouts) sets its masthead and headline as the body's first lines: a
    line before the story that is the <title> or one of its parts ("The Gazette - Selectmen back budget") goes.
    The headline lives in the title; a story paragraph is never a part of it."""
    if not paragraphs:
        return paragraphs
    node = tree.css_first("title")
    title = " ".join(node.text().split()).casefold() if node is not None else ""
    if not title:
        return paragraphs
    parts = {title, *(part for part in _TITLE_PARTS.split(title) if part)}
    out = list(paragraphs)
    for _ in range(_TITLE_LINES_READ):
        if not out:
            break
        tag, text = out[0]
        first, _, rest = text.partition("\n")
        if " ".join(first.split()).casefold() not in parts:
            break
        rest = rest.strip("\n")
        if rest:
            out[0] = (tag, rest)
        else:
            del out[0]
    return out


_CAPTION_SELECTOR = 'figcaption, [class*="caption" i], [class*="cutline" i]'


def _picture_captions(root, rules: Rules, deadline: Deadline) -> set[str]:
    """The distinct texts of captions set beside a picture (a <figcaption>, or a box named as a caption whose
    parent holds an image), outermost captions only."""
    out: set[str] = set()
    seen: set[int] = set()
    for n, node in enumerate(root.css(_CAPTION_SELECTOR)):
        if n % 64 == 63:
            deadline.check()
        anc, nested = node.parent, False
        for _ in range(3):
            if anc is None:
                break
            if anc.mem_id in seen:
                nested = True
                break
            anc = anc.parent
        seen.add(node.mem_id)
        if nested or node.parent is None or node.parent.css_first(_PICTURE_SELECTOR) is None or _in_rail(node):
            continue
        text = " ".join(node.text(deep=True).split())
        if _HOLDS_SENTENCE_END.search(text) or len(text) >= rules.t["min_paragraph_chars"]:
            out.add(text)
    return out


_PICTURE_SELECTOR = "img, picture, amp-img, video"
# A box of other stories' teasers: its captions are theirs, never a gallery's slides (kept as slides, other
# stories' teaser lines would join the text).
_RAIL = re.compile(r"related|rail|recirc|promo|teaser|more-?(?:from|stories|news)|most-?(?:read|popular)|sidebar|"
                   r"trending|recommend|outbrain|taboola", re.I)
_RAIL_LEVELS = 6


def _in_rail(node) -> bool:
    anc = node.parent
    for _ in range(_RAIL_LEVELS):
        if anc is None or anc.tag in ("body", "html"):
            return False
        if anc.tag == "aside" or _RAIL.search(_attr_words(anc)):
            return True
        anc = anc.parent
    return False
# A slide's credit after its caption's last sentence ("... in the harbour square. Photo: Jo Ellis/Courier").
_TRAILING_CREDIT = re.compile(r"(?<=[.!?\"\u201d])\s+\(?(?:photo(?:graph)?s?|pictures?|images?|credits?)(?: by|:)\s*"
                              r"[^.!?()]{1,60}\)?$", re.I)


_BRACKETS = "()[] \uff08\uff09\u3010\u3011"  # (and the full-width ones of CJK text: "（责任编辑：王芳）")
_LETTER = re.compile(r"[^\W\d_]")
_TABLE_CELLS = frozenset({"td", "th", "li", "dd", "dt"})
_ROW_CELLS = frozenset({"td", "th"})
_MEDIA_TAGS = frozenset({"img", "picture", "video", "figure", "amp-img", "svg", "iframe"})
_MEDIA_SELECTOR = ("img, picture, video, audio, svg, canvas, iframe, object, embed, amp-img, noscript, [data-src], "
                   '[style*="background" i]')


def _caption_of_picture(figure, text: str, size: int, rules: Rules, memo: dict) -> bool:
    """Loose text in a figure is its picture's caption or credit: short, beside no caption of its own, or a credit
    line ("Photograph by ...") however long. The figure's facts are read once (memo: mem_id -> facts)."""
    facts = memo.get(figure.mem_id)
    if facts is None:
        has_media = figure.css_first(_MEDIA_SELECTOR) is not None
        caption = figure.css_first("figcaption") if has_media else None
        facts = memo[figure.mem_id] = (has_media, caption is not None and bool(caption.text(deep=True).strip()))
    has_media, own_caption = facts
    if not has_media:
        return False
    return size < rules.t["figure_sentence_min_chars"] or not own_caption or rules.figure_credit.match(text) is not None


def is_boilerplate(text: str, rules: Rules) -> bool:
    """A short line of site furniture: a pattern match, maybe in brackets, or a "date | categories | comments"
    (or "date Updated date") line whose every field is furniture. A subhead opening with one of the cleaner's
    "By" idioms ("By The Way", "By the numbers", "By Friday": cleaning.by_idioms) is no byline."""
    if text[:2] in _BY_CASES and by_idioms().match(text):
        return False
    match = rules.boilerplate.fullmatch
    if match(text):
        return True
    bare = text.strip(_BRACKETS)
    if bare != text and match(bare):  # the same text twice would cost the long pattern twice
        return True
    fields = rules.field_separators.split(text)
    if len(fields) == 1 and ("\u00b7" in text or "\u2022" in text):
        fields = _TIGHT_DOTS.split(text)  # inline spans set without spaces: "5 min read·Jan 21, 2025"
    return len(fields) > 1 and all(match(f.strip(_BRACKETS)) for f in fields)


_TIGHT_DOTS = re.compile(r"\s*[\u00b7\u2022]\s*")
_BY_CASES = frozenset({"By", "by", "BY"})
_SLIDE_COUNTER = re.compile(r"\d{1,3} of \d{1,3}")
_LIST_NUMBER = re.compile(r"(\d{1,3})[.)]?")
# A list number's own box ("<span class=num>1</span><h3>..."): a digit in any other box is an age, a score, a
# temperature, and heads no subhead.
_NUMBER_CLASS = re.compile(r"num|rank|position", re.I)


def _numbers(box, number: str) -> bool:
    """The element right before a heading is the list number's own box: a <span> or a num/rank-classed element
    holding just that number."""
    return box is not None and (box.tag == "span" or bool(_NUMBER_CLASS.search(_attr_words(box)))) and (
        box.text(deep=True).strip() == number)
# Lines that are furniture only where a caption or credit sits (a figure, a caption/credit box, right after an
# image): "Pictured: ..." and "Photos and words by Joel Tan" (then a byline); as a <p> of the story they are prose
# ("Pictured: a rehearsal in the old parish hall, where ...", an exhibition story's "Pictures by Ansel Adams").
_PICTURED = re.compile(r"pictured: .{1,110}", re.I)
_CREDIT_BY = re.compile(r"(?:photos?|photographs|pictures|words|text)(?: and (?:photos?|photographs|pictures|words|text))?"
                        r" (by .+)", re.I)
_CAPTION_INITIALS = frozenset("PpWwTt")  # (a cheap test first: most short lines start otherwise)
_CAPTION_BOX = re.compile(r"caption|credit|byline|attribution", re.I)
_PICTURE_TAGS = frozenset({"img", "picture", "figure", "video"})
# An obituary's print note ("Published in Valley Courier on Feb. 24, 2026."), only on an obituary's page: a science
# story cites "Published in Nature Medicine on 4 March 2026.", a story quotes a masthead's "Published in Oakdale
# from 1921 to 1968."
_PRINT_NOTE = re.compile(r"published in (?:the )?(?-i:[A-Z])[^.!?]{0,60} on .{0,30}?(?:19|20)\d{2}\.?", re.I)
_OBITUARY = re.compile(r"obituar|\bobit|guest-?book|nachruf|traueranzeige|n[ée]crolog", re.I)


def _attr_words(node) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"




def _in_caption_position(dom: _Dom, owner: int) -> bool:
    """The segment's box is a figure or a caption/credit box (or sits in one, two levels up), or comes right after
    an image."""
    node = dom.nodes[owner]
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag in ("figure", "figcaption") or _CAPTION_BOX.search(_attr_words(node)):
            return True
        node = node.parent
    before = _previous_element(dom.nodes[owner])
    return before is not None and (before.tag in _PICTURE_TAGS or before.css_first("img, picture, video") is not None)


def _caption_line(text: str, dom: _Dom, owner: int, rules: Rules, in_br_block: bool = False) -> bool:
    """A "Pictured: ..." or credit line ("Pictures by Ansel Adams") in a caption position; a "Pictured:" line of a
    <br> block too (an old <font> page sets its caption as the block's line: rv8 o3_div_br_font)."""
    if _PICTURED.fullmatch(text):
        return in_br_block or _in_caption_position(dom, owner)
    credit = _CREDIT_BY.fullmatch(text)
    return credit is not None and bool(rules.boilerplate.fullmatch(credit.group(1))) and _in_caption_position(dom, owner)


def _is_obituary_page(node) -> bool:
    """An obituary's page: its address, title or type says so, or a box is an obituary's or its guest book."""
    while node.parent is not None:
        node = node.parent
    root = node
    for selector, attr in (("link[rel=canonical]", "href"), ('meta[property="og:url"]', "content"),
                           ('meta[property="og:type"]', "content"), ('meta[property="article:section"]', "content")):
        found = root.css_first(selector)
        if found is not None and _OBITUARY.search(found.attributes.get(attr) or ""):
            return True
    title = root.css_first("title")
    if title is not None and _OBITUARY.search(title.text()):
        return True
    if any(_OBITUARY.search(_attr_words(box)) for box in root.css("[class], [id]")):
        return True
    return any("obituary" in (script.text() or "").casefold()
               for script in root.css('script[type="application/ld+json"]'))


def _jump_line(node, text: str) -> bool:
    """A line that is one link of words to a footnote box of the page and nothing else ("How we make money" ->
    <div class="article-footnote" id="disclosure">): the site's jump link to its notice. A contents
    list's links to the story's own sections stay, as do a line of words around the link and a note's marker."""
    if not _LETTER.search(text) or ENDS_AS_SENTENCE.search(text):
        return False
    links = node.css("a[href]") if node.tag != "a" else [node]
    if len(links) != 1 or " ".join(node.text(deep=True).split()) != text:
        return False
    href = links[0].attributes.get("href") or ""
    if len(href) < 2 or not href.startswith("#") or _ANCHOR_ID.fullmatch(href[1:]) is None:
        return False
    page = node
    while page.parent is not None:
        page = page.parent
    target = page.css_first(f'[id="{href[1:]}"]')
    return target is not None and _FOOTNOTE_NAME.search(_attr_words(target)) is not None


def _kept_segments(dom: _Dom, keep: list[bool], rules: Rules) -> list[tuple[str, str]]:
    max_ld, max_bp = rules.t["segment_link_density"], rules.boilerplate_max_chars
    max_label, max_link_line = rules.t["letterless_max_chars"], rules.t["link_line_max_chars"]
    out = []
    dropped: dict[int, list[str]] = {}  # furniture lines dropped before out[k]: a card marker's confirmation
    figures: dict = {}
    last_row = last_table = -1  # the table row and table (its parent) of the line last added, if a row's
    table_at, parts = -1, []  # out[table_at] is the table being read: its text, in parts (joined once, at its end)
    number = None  # a list number set in its own box just before (<span class=num>1</span><h3>...): (box, number)
    obituary = None  # whether the page is an obituary's: asked once, when a print note is seen
    owners: dict[int, int] = {}  # out index -> the element it came from (a sign-off is judged by its box)
    host = None  # the page's own host (canonical or og:url), read once when a bare address line is seen
    for owner, text, link in dom.segments:
        if not keep[owner]:
            continue
        if number is not None:
            if dom.tags[owner] in rules.heading_tags and _numbers(_previous_element(dom.nodes[owner]), number):
                text = f"{number} {text}"
            number = None
        size = len(text)
        if link > size * max_ld:
            continue
        if size <= max_bp and dom.tags[owner] != "th" and is_boilerplate(text, rules):
            # (a table's header cell is the table's: "Share" heads a column of percentages)
            dropped.setdefault(len(out), []).append(text)
            continue
        if size <= rules.notice_max_chars and rules.notices.match(text):
            continue
        if size <= max_bp and text[:1] in _CAPTION_INITIALS and _caption_line(text, dom, owner, rules):
            continue
        if size <= max_bp and text[:1] in "Pp" and _PRINT_NOTE.fullmatch(text):
            if obituary is None:
                obituary = _is_obituary_page(dom.nodes[owner])
            if obituary:
                continue
        if (size <= _BYLINE_LINE_MAX_CHARS and text[:1].isupper() and dom.tags[owner] not in rules.heading_tags
                and _NAMES_LINE.fullmatch(text) and _in_byline_box(dom, owner, before_story=not any(
                    _HOLDS_SENTENCE_END.search(kept) for _, kept in out))):
            continue  # a byline without "By" ("Nadia Farouk and Peter Holm" in <p class="reader-credits">)
        if (size <= _BYLINE_LINE_MAX_CHARS and not link and "." in text and " " not in text
                and not (out and out[-1][1].rstrip().endswith(":"))):
            # (after "Shops can enter online at our website:" the address is the story's line)
            found = _BARE_HOST.fullmatch(text)
            if found:
                if host is None:
                    host = _page_host(dom.nodes[owner])
                if host and found.group(1).lower() == host:
                    continue  # the site's own address over a reader view ("www.thecapitalobserver.com")
        if dom.tags[owner] == "figure" and (not _HOLDS_SENTENCE_END.search(text) or (
                size <= max_bp and _caption_of_picture(dom.nodes[owner], text, size, rules, figures))):
            # Text set loose in a figure of an image (or video, chart ...), outside any paragraph, quote or table:
            # a short one or one without a sentence is its caption or credit; a long run of sentences (a pull
            # quote, a graphic's text) stays, and so does text in a figure with no picture to caption, or a
            # sentence beside its own <figcaption> (the caption is there), unless it opens as a credit.
            continue
        if size <= max_label and dom.tags[owner] not in _TABLE_CELLS and (
                not _LETTER.search(text) or _SLIDE_COUNTER.fullmatch(text)):
            found = _LIST_NUMBER.fullmatch(text)  # ... but a list number in its own box heads the subhead after it
            number = found[0] if found else None
            continue  # "$915", "’22", "1 / 5", "2 of 12": chart axes and slide counters, not sentences
        if link and size <= max_link_line and _is_link_line(text, link, rules):
            continue
        if link >= size and size <= _EXPANDER_MAX_CHARS and _jump_line(dom.nodes[owner], text):
            continue
        if "\n" in text:  # lines split by <br>: a copyright or credit line can close a real paragraph
            lines = [line for line in text.split("\n") if len(line) > max_bp or not (
                is_boilerplate(line, rules) or line[:1] in _CAPTION_INITIALS and _caption_line(
                    line, dom, owner, rules, in_br_block=True))]
            if not any(lines):
                continue
            text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
        tag = dom.tags[owner]
        if tag in _ROW_CELLS and size <= rules.t["table_cell_max_chars"] and "\n" not in text:
            row = dom.parents[owner]
            if dom.tags[row] == "tr":
                # A table of figures keeps each row as a line, its cells set off by tabs, the table as one block; a
                # layout cell holding a story is longer than a figure and stays paragraphs.
                if row == last_row:
                    parts += ("\t", text)
                    continue
                if dom.parents[row] == last_table and table_at >= 0:
                    parts += ("\n", text)
                else:
                    if table_at >= 0:
                        out[table_at] = ("tr", "".join(parts))
                    table_at, parts = len(out), [text]
                    out.append(("tr", text))
                last_row, last_table = row, dom.parents[row]
                continue
        if table_at >= 0:
            out[table_at], table_at = ("tr", "".join(parts)), -1
        last_row = last_table = -1
        owners[len(out)] = owner
        out.append((tag, text))
    if table_at >= 0:
        out[table_at] = ("tr", "".join(parts))
    return _drop_repeated_quotes(_drop_sign_off(_cut_tail(out, rules, dropped), dom, owners))


# A byline without "By": two to four capitalised words per name, names joined by commas or "and", set in a box
# named for its author or credits (a name in a story paragraph, "Mary Anning", is the story's).
_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?: (?:(?:van|von|de|der|da|di|du|del|la|le|bin|al) )?[A-ZÀ-Ý][\w'’.-]+){1,3}"
_NAMES_LINE = re.compile(_NAME + r"(?:(?:,|,? and|,? &| und| et| y| e) " + _NAME + r"){0,4}")
_BYLINE_LINE_MAX_CHARS = 100
_BYLINE_NAME_BOX = re.compile(r"author|byline|contributor", re.I)
# A credits box names the byline only above the story: after it, it is a review's cast or a recipe's testers.
_CREDITS_BOX = re.compile(r"credits?\b", re.I)
_BARE_HOST = re.compile(r"(?:https?://)?(?:www\.)?((?:[\w-]+\.)+[a-z]{2,})/?", re.I)


def _in_byline_box(dom: _Dom, owner: int, before_story: bool) -> bool:
    """The line's box or its parent is named for the story's author(s) (or its credits, above the story's first
    sentence), and is no bio."""
    node = dom.nodes[owner]
    for n, box in enumerate((node, node.parent)):
        if box is None:
            continue
        if n and _holds_a_paragraph(box, node):
            break  # the story's own container ("article-body contributor-content"): its name is no byline box's
        words = _attr_words(box)
        if (_BYLINE_NAME_BOX.search(words) or (before_story and _CREDITS_BOX.search(words))) and not _BIO_NAME.search(
                words):
            return True
    return False


_BIO_NAME = re.compile(r"\bbio|about|description|note", re.I)


def _holds_a_paragraph(box, line) -> bool:
    """Another child of the box is a paragraph of sentences: the box is a body of text, not a small names box."""
    for child in box.iter():
        if child.mem_id != line.mem_id and child.tag == "p":
            text = child.text(deep=True)
            if len(text) >= _PARAGRAPH_IN_BOX_CHARS and _HOLDS_SENTENCE_END.search(text):
                return True
    return False


_PARAGRAPH_IN_BOX_CHARS = 25


def _page_host(node) -> str:
    """The page's host from its canonical link or og:url, without "www."; "" when it names none."""
    while node.parent is not None:
        node = node.parent
    for selector, attr in (("link[rel=canonical]", "href"), ('meta[property="og:url"]', "content")):
        found = node.css_first(selector)
        address = (found.attributes.get(attr) or "") if found is not None else ""
        match = re.match(r"(?:https?:)?//(?:www\.)?([^/:?#]+)", address.strip(), re.I)
        if match:
            return match.group(1).lower()
    return ""


# A pull-quote repeats the story's own words, maybe cut with an ellipsis ("“You get ready ... the phone rings.”").
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_QUOTE_EDGES = " \"'\u201c\u201d\u2018\u2019\u00ab\u00bb.,;:!?-\u2013\u2014"
_PULL_QUOTE_MAX_CHARS = 300
_PULL_QUOTE_MIN_CHARS = 30


def _drop_repeated_quotes(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop a blockquote whose every piece is in another, longer paragraph: the pull-quote of a story that prints
    the quote in full. A quote said once stays."""
    out = paragraphs
    folded = whole = None  # the paragraphs casefolded, once, when a quote asks
    for i, (tag, text) in enumerate(paragraphs):
        if tag != "blockquote" or len(text) > _PULL_QUOTE_MAX_CHARS:
            continue
        pieces = [piece.strip(_QUOTE_EDGES) for piece in _ELLIPSIS.split(text.casefold())]
        pieces = [piece for piece in pieces if piece]
        if sum(map(len, pieces)) < _PULL_QUOTE_MIN_CHARS:
            continue
        if folded is None:
            folded = [other.casefold() for _, other in paragraphs]
            whole = "\n".join(folded)
        if whole.count(max(pieces, key=len), 0) < 2:
            continue  # (said once: the common case, one scan of the page's text)
        if any(len(other) > len(text) and all(piece in other for piece in pieces) for other in folded):
            if out is paragraphs:
                out = list(paragraphs)
            out[i] = ("", "")
    return out if out is paragraphs else [p for p in out if p[1]]


# A reporter's name alone closing the story (<p class="author-end">Анна Смирнова</p>): two or three capitalised
# words, nothing else, after a paragraph that ends a sentence, set in an author or sign-off box, in brackets, or
# the name of an author the page prints (a byline, meta or JSON-LD author). Any other closing name is the story's:
# the name pupils chose ("Mary Anning"), a letter's signature, pallbearers in a list.
_NAME_ONLY = re.compile(r"[A-ZÀ-ÝА-ЯЁ][a-zß-ÿа-яё'’-]+(?: [A-ZÀ-ÝА-ЯЁ][a-zß-ÿа-яё'’-]+){1,2}")
_SIGN_OFF_TAGS = frozenset({"p", "div"})
_SIGN_OFF_MIN_PARAGRAPHS = 3
_SIGN_OFF_MAX_CHARS = 60
_SIGN_OFF_BOX = re.compile(r"author|byline|sign-?off|autor|avtor|podpis", re.I)
_BYLINE_MAX_CHARS = 200
_LD_AUTHOR = re.compile(r'"(?:author|creator)"\s*:\s*(\{[^{}]*\}|\[[^\]]*\]|"[^"]*")')
_PAGE_AUTHORS = ('meta[name="author"], [rel~="author"], [class*="byline"], [class*="author"], '
                 'script[type="application/ld+json"]')


def _signs_off(dom: _Dom, owner: int, text: str) -> bool:
    if dom.tags[owner] not in _SIGN_OFF_TAGS or len(text) > _SIGN_OFF_MAX_CHARS:
        return False
    bare = text.strip("()[]（）【】 ")
    if not _NAME_ONLY.fullmatch(bare):
        return False
    if bare != text.strip():
        return True  # "(Анна Смирнова)", as CJK sign-offs are set
    node = dom.nodes[owner]
    if any(n is not None and _SIGN_OFF_BOX.search(_attr_words(n)) for n in (node, node.parent)):
        return True
    root = node
    while root.parent is not None:
        root = root.parent
    name = bare.casefold()
    for found in root.css(_PAGE_AUTHORS):
        if found.tag == "meta":
            named = found.attributes.get("content") or ""
        elif found.tag == "script":  # the author's entry only: the articleBody holds the story's names too
            named = " ".join(_LD_AUTHOR.findall(found.text() or ""))
        else:
            named = found.text()
            if len(named) > _BYLINE_MAX_CHARS:
                continue  # a box holding the story (<article class="author-post">), not a byline
        if name in named.casefold():
            return True
    return False


def _drop_sign_off(paragraphs: list[tuple[str, str]], dom: _Dom, owners: dict[int, int]) -> list[tuple[str, str]]:
    last = len(paragraphs) - 1
    if last + 1 < _SIGN_OFF_MIN_PARAGRAPHS or last not in owners or paragraphs[last][0] not in _SIGN_OFF_TAGS:
        return paragraphs
    if _HOLDS_SENTENCE_END.search(paragraphs[-2][1][-2:]) and _signs_off(dom, owners[last], paragraphs[last][1]):
        return paragraphs[:-1]
    return paragraphs


def _is_link_line(text: str, link: int, rules: Rules) -> bool:
    """A label and a link to another story ("RELATED: Teachers approve new contract"), set between paragraphs."""
    label = rules.link_line.match(text)
    return label is not None and link >= (len(text) - label.end()) * rules.t["link_line_min_share"]


def _cut_tail(paragraphs: list[tuple[str, str]], rules: Rules, dropped: dict) -> list[tuple[str, str]]:
    """Drop a 'Related' / 'Comments' heading near the end and everything after it; an author card's first line
    ("Written by Mary Stone") only when card furniture follows it (dropped: furniture lines dropped before the
    paragraph at each index, which the card's "2.1K Followers" is)."""
    total = sum(len(p) for _, p in paragraphs)
    seen = 0
    for i, (tag, text) in enumerate(paragraphs):
        if seen >= total * rules.tail_fraction and len(text) <= rules.tail_marker_max_chars:
            if rules.tail_markers.fullmatch(text):
                return paragraphs[:i]
            if tag != "li" and rules.card_markers.fullmatch(text) and _card_follows(paragraphs, i, rules, dropped):
                return paragraphs[:i]
        if "\n" in text and tag != "pre" and seen + len(text) >= total * rules.tail_fraction:
            # A <br>-lined block (a page without <p>): the marker is one of its lines ("Other stories:"), one that
            # opens a paragraph; inside hard-wrapped prose "... look something / like this:" goes on with the text.
            at = seen
            lines = text.split("\n")
            for k, line in enumerate(lines):
                if (at >= total * rules.tail_fraction and len(line) <= rules.tail_marker_max_chars
                        and _opens_paragraph(lines, k) and rules.tail_markers.fullmatch(line)):
                    head = "\n".join(lines[:k]).strip("\n")
                    return [*paragraphs[:i], (tag, head)] if head else paragraphs[:i]
                at += len(line) + 1
        seen += len(text)
    return paragraphs


def _opens_paragraph(lines: list[str], k: int) -> bool:
    before = lines[k - 1].rstrip() if k else ""
    return not before or before[-1] in ".!?:;\"”’)"


def _card_follows(paragraphs: list[tuple[str, str]], i: int, rules: Rules, dropped: dict) -> bool:
    window = rules.t["card_marker_window"]
    lines: list[str] = []
    for k in range(i + 1, len(paragraphs) + 1):
        lines += dropped.get(k, ())
        if k < len(paragraphs):
            lines.append(paragraphs[k][1])
        if len(lines) >= window:
            break
    return any(rules.card_furniture.match(line) for line in lines[:window])
