"""Article language: py3langid's shipped model on a bounded prefix of the text, and language-tag normalisation."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter
from itertools import islice

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_IDENTIFIER = None
_LETTER = re.compile(r"[^\W\d_]")


def _identifier():
    """The model, loaded once per process (about 0.6 s); Beam may call from several threads at once."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                # Imported here: the model is only needed by the extraction path, not by every importer.
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _IDENTIFIER = (_with_compiled_walk(LanguageIdentifier, MODEL_FILE)
                               or LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _IDENTIFIER


def _visits(low, high, rowbase, output, data, found) -> int:
    """py3langid's visit_counts loop (its byte n-gram automaton over the text), compiled: writes the feature of
    every output state reached, in text order, into `found` and returns how many. The transition table is split
    (see _compact_table): a state is its low 16 bits plus one bit from a packed plane."""
    state, n = 0, 0
    for letter in data:
        i = rowbase[state] + letter
        state = low[i] | (((high[i >> 3] >> (i & 7)) & 1) << 16)
        feature = output[state]
        if feature >= 0:
            found[n] = feature
            n += 1
    return n


def _compact_table(nextmove, typecode: str):
    """The model's transition table (39 MB of uint32, every value a state below 2**17) as a uint16 table of low
    bits and a packed bit plane of the 17th: 21 MB, the same states; None when some state needs more bits."""
    import numpy as np

    table = np.frombuffer(nextmove, dtype=np.dtype(typecode))
    if table.size and int(table.max()) >= 1 << 17:
        return None
    low = table.astype(np.uint16)  # keeps the low 16 bits
    high = np.packbits((table >> 16).astype(np.uint8), bitorder="little")
    return low, high


def _with_compiled_walk(identifier_class, model_file):
    """The model with a compiled feature walk (the model's own Python loop over the text's bytes is most of the
    language step's time), or None without numba or with a model laid out otherwise. The Counter it builds is
    the one py3langid builds, key order included, so every score is the same to the bit."""
    try:
        import numba
        import numpy as np

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                kernel = numba.njit(cache=True, nogil=True)(_visits)
            except RuntimeError:  # raised here, at decoration, when numba finds no writable cache location
                kernel = numba.njit(nogil=True)(_visits)

        class CompiledWalk(identifier_class):
            def _raw_score(self, text: bytes):
                data = np.frombuffer(text, dtype=np.uint8)
                found = np.empty(len(data), dtype=np.int64)
                n = kernel(self.walk_low, self.walk_high, self.walk_rowbase, self.walk_output, data, found)
                if not n:
                    # No feature, so the stock walk finds none either: its featureless scores, which do not
                    # depend on the text (the empty text walks none of the dropped tables)
                    return super()._raw_score(b"")
                return self._sparse_score(Counter(found[:n].tolist()), self.nb_ptc)

        identifier = CompiledWalk.from_model_file(model_file, norm_probs=True)
        nextmove = identifier.tk_nextmove  # an array.array: its typecode is numpy's name for the same C type
        compact = _compact_table(nextmove, nextmove.typecode)
        if compact is None:
            raise ValueError("transition table has states of more than 17 bits")
        identifier.walk_low, identifier.walk_high = compact
        identifier.walk_rowbase = np.asarray(identifier._rowbase, dtype=np.int32)  # below 2**31: states * 256
        identifier.walk_output = np.asarray(identifier.tk_output, dtype=np.int32)
        # The model's own tables (the 39 MB table and two lists of ~100,000 Python ints) are read by its walk
        # only, which the compiled one replaces
        identifier.tk_nextmove = identifier._rowbase = identifier.tk_output = None
        del nextmove
        identifier.classify("compiled here, not on the first page")
    except Exception as err:  # noqa: BLE001 - no numba, another model layout, a compile error: the model's own walk
        # Said once (the model is built once per process): the stock walk is right, but slower (0.54 vs 0.37 ms
        # per dev page when measured).
        _LOG.warning("language: compiled feature walk unavailable (%s: %s); using py3langid's own walk",
                     type(err).__name__, err)
        return None
    return identifier


def _sample(text: str, max_chars: int) -> str:
    """The first max_chars of the text, cut at a space so no word is halved."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars]


def classify_language(text: str, max_chars: int = 1000, min_letters: int = 40) -> tuple[str | None, float]:
    """(ISO 639 code, probability) of the text's language; (None, 0.0) when it holds too few letters to tell.
    Only a prefix is read: an article's language shows in its first paragraphs, and the cost stays bounded."""
    sample = _sample(text or "", max_chars)
    if sum(1 for _ in islice(_LETTER.finditer(sample), min_letters)) < min_letters:
        return None, 0.0
    lang, prob = _identifier().classify(sample)
    if lang == "zxx":  # the model's "no linguistic content" class
        return None, prob
    return lang, prob


def detect_language(text: str, min_confidence: float = 0.9, max_chars: int = 1000, min_letters: int = 40) -> str | None:
    """Language code, or None when the text is too short or the model is unsure."""
    lang, prob = classify_language(text, max_chars, min_letters)
    return lang if prob >= min_confidence else None


# Scrapers also declare languages by English name or by ISO 639-2 code; these map to the two-letter code the model
# and the rest of the column use (the languages news is most often declared in; any other 2-3 letter code stays).
_NAMED = {
    "en": ("english", "eng"), "fr": ("french", "fre", "fra"), "de": ("german", "ger", "deu"),
    "es": ("spanish", "spa"), "it": ("italian", "ita"), "pt": ("portuguese", "por"), "nl": ("dutch", "dut", "nld"),
    "ru": ("russian", "rus"), "zh": ("chinese", "chi", "zho"), "ja": ("japanese", "jpn"), "ko": ("korean", "kor"),
    "ar": ("arabic", "ara"), "hi": ("hindi", "hin"), "pl": ("polish", "pol"), "sv": ("swedish", "swe"),
    "no": ("norwegian", "nor"), "da": ("danish", "dan"), "fi": ("finnish", "fin"), "tr": ("turkish", "tur"),
    "id": ("indonesian", "ind"), "uk": ("ukrainian", "ukr"), "el": ("greek", "gre", "ell"), "he": ("hebrew", "heb"),
    "vi": ("vietnamese", "vie"), "th": ("thai", "tha"), "cs": ("czech", "cze", "ces"), "ro": ("romanian", "rum", "ron"),
    "hu": ("hungarian", "hun"),
}
_TO_CODE = {alias: code for code, aliases in _NAMED.items() for alias in aliases}


def normalise_language(value: str | None) -> str | None:
    """'en-US' / 'en_GB' / 'EN' / 'English' / 'eng' -> 'en'; rejects junk."""
    if not value:
        return None
    primary = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0]
    primary = _TO_CODE.get(primary, primary)
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def resolve_language(text: str, declared: str | None, t: dict, aliases: dict) -> tuple[str | None, bool]:
    """(language, read from the text): the declared language stands unless the model, on the text's bounded prefix,
    confidently says otherwise (templates often declare their site's default for every page); undeclared, the
    model's guess when it is sure enough. Thresholds `t` are the extraction rules'; codes compare through
    `aliases` (the model says 'no' for a page declared 'nb')."""
    lang, prob = classify_language(text, t["language_sample_chars"], t["language_min_letters"])
    if lang is None or same_language(lang, declared, aliases):
        return declared, False
    if declared is None:
        return (lang, True) if prob >= t["language_min_confidence"] else (None, False)
    if prob >= t["language_override_confidence"] and len(text) >= t["language_override_min_chars"]:
        return lang, True
    return declared, False


def same_language(a: str | None, b: str | None, aliases: dict) -> bool:
    """Whether two tags name one language once region subtags are dropped and aliases applied
    ('nb-NO' and 'no' do; 'pt-BR' and 'pt' do; 'en' and 'fr' do not)."""
    a, b = normalise_language(a), normalise_language(b)
    if a is None or b is None:
        return False
    return aliases.get(a, a) == aliases.get(b, b)
