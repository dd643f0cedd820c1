"""Article language: py3langid's shipped model on a bounded prefix of the text, and language-tag normalisation."""

from __future__ import annotations

import logging
import os
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


def _with_compiled_walk(identifier_class, model_file, cache_root: str | None = "default"):
    """The model with a compiled feature walk (the model's own Python loop over the text's bytes is most of the
    language step's time), or None without numba or with a model laid out otherwise. The Counter it builds is
    the one py3langid builds, key order included, so every score is the same to the bit. Its arrays are mapped
    from a cache (see _walk_arrays) under `cache_root` ("default": _cache_root(); None: held in memory)."""
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

        root = _cache_root() if cache_root == "default" else cache_root
        arrays = _walk_arrays(identifier_class, model_file, root)
        # The model's own tables (its transition table and two lists of ~100,000 Python ints) are read by its walk
        # only, which the compiled one replaces: never built here
        identifier = CompiledWalk(arrays["nb_ptc"], arrays["nb_pc"], arrays["classes"], None, None,
                                  norm_probs=True, tk_row=())
        identifier.walk_low, identifier.walk_high = arrays["low"], arrays["high"]
        identifier.walk_rowbase, identifier.walk_output = arrays["rowbase"], arrays["output"]
        identifier.classify("compiled here, not on the first page")
    except Exception as err:  # noqa: BLE001 - no numba, another model layout, a compile error: the model's own walk
        # Said once (the model is built once per process): the stock walk is right, but slower (0.54 vs 0.37 ms
        # per dev page when measured).
        _LOG.warning("language: compiled feature walk unavailable (%s: %s); using py3langid's own walk",
                     type(err).__name__, err)
        return None
    return identifier


# The compiled walk's arrays, as _model_arrays builds them: name -> dimensions. Bump _CACHE_LAYOUT when what they
# hold changes (the cache's name carries it).
_CACHE_LAYOUT = 1
_ARRAYS = {"low": 1, "high": 1, "rowbase": 1, "output": 1, "nb_ptc": 2, "nb_pc": 1, "classes": 1}


def _model_arrays(identifier_class, model_file) -> dict:
    """The arrays the compiled walk and the scores read, built from py3langid's model file (~0.4 s, ~100 MB
    at its high): the split transition table (_compact_table), row offsets, output features, and the model's
    feature-by-language table, class priors and class names."""
    import numpy as np

    model = identifier_class.from_model_file(model_file, norm_probs=True)
    nextmove = model.tk_nextmove  # an array.array: its typecode is numpy's name for the same C type
    compact = _compact_table(nextmove, nextmove.typecode)
    if compact is None:
        raise ValueError("transition table has states of more than 17 bits")
    return {"low": compact[0], "high": compact[1],
            "rowbase": np.asarray(model._rowbase, dtype=np.int32),  # below 2**31: states * 256
            "output": np.asarray(model.tk_output, dtype=np.int32),
            "nb_ptc": np.asarray(model.nb_ptc), "nb_pc": np.asarray(model.nb_pc),
            "classes": np.array(model.nb_classes)}


def _cache_root() -> str | None:
    """The per-user cache folder ($NEWSFLOW_CACHE_DIR, else $XDG_CACHE_HOME/newsflow or ~/.cache/newsflow); None
    when there is no home to put it in."""
    root = os.environ.get("NEWSFLOW_CACHE_DIR")
    if root:
        return root
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return None if base.startswith("~") else os.path.join(base, "newsflow")


def _walk_arrays(identifier_class, model_file, root: str | None) -> dict:
    """The compiled walk's arrays, memory-mapped read-only from .npy files under `root`, built there once per
    model file (keyed by its path, size and mtime): file-backed pages, which the kernel can drop and read again
    under a memory cap and which several worker processes share, where in-memory arrays are ~48 MB of anonymous
    memory in every process. Without a writable `root`, the arrays built in memory."""
    if root is None:
        return _model_arrays(identifier_class, model_file)
    arrays = None
    try:
        folder = os.path.join(root, f"langid-{_cache_key(model_file)}")
        cached = _load_cached(folder)
        if cached is not None:
            return cached
        arrays = _model_arrays(identifier_class, model_file)
        _save_cached(arrays, root, folder)
        return _load_cached(folder) or arrays
    except OSError as err:  # no writable cache: this process keeps the arrays in memory
        _LOG.info("language: model cache unusable (%s); the model's arrays stay in memory", err)
        return arrays if arrays is not None else _model_arrays(identifier_class, model_file)


def _cache_key(model_file) -> str:
    """Names the model file's version: its resolved path, size and mtime, py3langid's version and the layout."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version
    from pathlib import Path

    path = Path(model_file)
    if not path.is_absolute():
        from py3langid.langid import MODEL_DIR

        path = Path(MODEL_DIR) / path
    info = path.resolve().stat()
    try:
        package = version("py3langid")
    except PackageNotFoundError:
        package = "?"
    source = f"{path.resolve()}|{info.st_size}|{info.st_mtime_ns}|{package}|{_CACHE_LAYOUT}"
    return hashlib.sha256(source.encode()).hexdigest()[:20]


def _load_cached(folder: str) -> dict | None:
    """The cached arrays, mapped read-only, when the folder holds every one with the dtypes and shapes its
    manifest gives and they fit together; None when it is absent, partial or stale."""
    import json

    import numpy as np

    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        arrays = {}
        for name, ndim in _ARRAYS.items():
            mode = None if name in ("nb_pc", "classes") else "r"  # the small ones are read into memory
            array = np.load(os.path.join(folder, f"{name}.npy"), mmap_mode=mode, allow_pickle=False)
            want_dtype, want_shape = manifest[name]
            if array.dtype.str != want_dtype or list(array.shape) != want_shape or array.ndim != ndim:
                return None
            arrays[name] = array.view(np.ndarray) if mode else array  # a plain ndarray over the mapping
    except (OSError, ValueError, KeyError, TypeError):
        return None
    low, high, rowbase, output = arrays["low"], arrays["high"], arrays["rowbase"], arrays["output"]
    features, classes = arrays["nb_ptc"].shape
    if (high.size != (low.size + 7) // 8 or rowbase.size != output.size or classes != arrays["nb_pc"].size
            or classes != arrays["classes"].size or not rowbase.size or int(rowbase.max()) + 256 > low.size
            or int(output.max()) >= features):
        return None
    arrays["classes"] = arrays["classes"].tolist()
    return arrays


def _save_cached(arrays: dict, root: str, folder: str) -> None:
    """Writes the arrays into a temporary folder beside `folder` and renames it into place, so a reader sees a
    whole cache or none: several processes may build it at once, and the first rename wins. A stale or broken
    folder of the same name is removed first."""
    import json
    import shutil
    import tempfile

    import numpy as np

    os.makedirs(root, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".langid-", dir=root)
    try:
        for name, array in arrays.items():
            np.save(os.path.join(tmp, f"{name}.npy"), array, allow_pickle=False)
        manifest = {name: [array.dtype.str, list(array.shape)] for name, array in arrays.items()}
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f)
        if os.path.isdir(folder) and _load_cached(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.rename(tmp, folder)
        except OSError:
            if not os.path.isdir(folder):  # not another process's win: a real failure
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
