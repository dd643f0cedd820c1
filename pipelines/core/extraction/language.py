"""Tiny offline language guess: script ranges, then common function words (no model is installed)."""

from __future__ import annotations

import re
from collections import Counter

# Short, high-frequency function words; enough to tell common news languages apart.
_STOPWORDS = {
    "en": "the of and to in is that for it on was with as are by this be from at have has not but they their said which".split(),
    "de": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es wird als bei nach".split(),
    "fr": "le la les et des est une un du que pour dans qui pas sur au avec par il elle sont ont cette".split(),
    "es": "el la los las de que y en un una es por con para del se no al su como más pero sus".split(),
    "it": "il la di che e un una per non sono del della gli le nel con si anche come più alla".split(),
    "pt": "o a os as de que e um uma do da em para com não no na por se mais dos como".split(),
    "nl": "de het een en van is dat niet op te zijn voor met die er aan ook als bij maar".split(),
    "pl": "i w nie na się z do że to jest jak o po co ale od przez dla tak są".split(),
    "sv": "och att det som en på är för med till av den inte har om ett var jag men".split(),
    "ru": "и в не на что с по как это он она они из к но за от для так был".split(),
}
_INDEX: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _INDEX.setdefault(_w, []).append(_lang)

_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_WORD = re.compile(r"\w+")
_SAMPLE_CHARS = 5000


def detect_language(text: str, min_hits: int = 5) -> str | None:
    """ISO 639-1 code, or None when the sample is too short or ambiguous."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.strip():
        return None
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    for lang, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) / letters > 0.2:
            return lang
    votes: Counter = Counter()
    for word in _WORD.findall(sample.lower()):
        for lang in _INDEX.get(word, ()):
            votes[lang] += 1
    if not votes:
        return None
    (best, hits), *rest = votes.most_common(2)
    if hits < min_hits or (rest and rest[0][1] * 1.3 > hits):
        return None
    return best


def normalise_language(value: str | None) -> str | None:
    """'en-US' / 'en_GB' / 'EN' -> 'en'; rejects junk."""
    if not value:
        return None
    primary = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None
