"""Near-duplicate fingerprints (word-shingle MinHash + LSH bands) and the exact check behind them; no Beam."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
import threading
from pathlib import Path

import numpy as np
import yaml

# Shingles are made of the same words as the content hash: one tokeniser (digits kept) for both.
from pipelines.core.words import tokenize  # noqa: F401 - part of this module's interface
from pipelines.core.urls import url_rank

DEFAULT_RULES = Path(__file__).resolve().parents[1] / "rules" / "near_dup.yaml"


_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)


@dataclass(frozen=True)
class NearDupConfig:
    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    jaccard_threshold: float = 0.8
    containment_threshold: float = 0.9
    min_shingles: int = 5
    seed: int = 1
    lookback_days: int = 30
    max_bucket_size: int = 100
    figure_gap_hours: float = 20.0
    version: str = "unversioned"

    def __post_init__(self):
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands*rows ({self.bands}*{self.rows}) must equal num_perm ({self.num_perm})")
        if self.shingle_size < 1 or self.min_shingles < 1:
            raise ValueError("shingle_size and min_shingles must be >= 1")


def load_config(path: str | Path | None = None) -> NearDupConfig:
    """Config from the versioned YAML (default pipelines/rules/near_dup.yaml); unknown keys are an error."""
    raw = yaml.safe_load(Path(path or DEFAULT_RULES).read_text()) or {}
    known = {f.name for f in fields(NearDupConfig)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown near_dup config keys: {sorted(unknown)}")
    raw["version"] = str(raw.get("version", "unversioned"))
    return NearDupConfig(**raw)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole word (in place)."""
    x ^= x >> _U64(30)
    x *= _MIX1
    x ^= x >> _U64(27)
    x *= _MIX2
    x ^= x >> _U64(31)
    return x


# The lowest bit of a shingle hash says whether the shingle holds a figure (a digit); see figure_change.
_ONE = _U64(1)
_NOT_ONE32 = ~np.uint32(1)
_DIGIT_FLAGS = bytes(1 if 48 <= c <= 57 else 0 for c in range(256))  # bytes.translate table: ASCII digit -> 1

# Shingles are hashed straight from the UTF-8 bytes of the space-joined tokens: a polynomial hash of every
# byte span, from one prefix sum (mod 2**64; the base is odd, so it has an inverse and any span's hash is
# (prefix[end] - prefix[start]) * BASE**-start). No Python work per token, no per-process memo.
_BASE = 0x100000001B3 * 0x9E3779B97F4A7C15 % 2**64 | 1
# (BASE**i, BASE**-i) for i < size, published as one tuple (a reader never pairs tables of two sizes); grown
# under a lock, and kept for the process up to _MAX_KEPT_POWERS (a longer text builds its own, not kept).
_POWER_TABLES = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))
_POWERS_LOCK = threading.Lock()
_MAX_KEPT_POWERS = 1 << 21  # 32 MiB for both tables: any article; a longer text is an outlier


def _power_table(base: int, size: int) -> np.ndarray:
    steps = np.full(size, base, dtype=np.uint64)
    steps[0] = 1
    return np.cumprod(steps, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i mod 2**64 for i < n (grown by doubling, kept for the process up to a cap)."""
    global _POWER_TABLES
    tables = _POWER_TABLES
    if tables[0].size >= n:
        return tables
    with _POWERS_LOCK:
        tables = _POWER_TABLES
        if tables[0].size < n:
            size = max(n, min(max(2 * tables[0].size, 4096), _MAX_KEPT_POWERS))
            tables = (_power_table(_BASE, size), _power_table(pow(_BASE, -1, 2**64), size))
            if size <= _MAX_KEPT_POWERS:
                _POWER_TABLES = tables
    return tables


def _prefix_tables(joined: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bytes as an array, their prefix polynomial hashes, the inverse powers, and the prefix count of digit
    bytes: the hash of bytes [a, b) is (prefix[b] - prefix[a]) * inverse[a], and it holds a figure when
    digits[b] > digits[a]."""
    buf = np.frombuffer(joined, dtype=np.uint8)
    size = buf.size
    powers, inverse = _powers(size + 1)
    prefix = np.empty(size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(buf, powers[:size], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    digits = np.empty(size + 1, dtype=np.int32)
    digits[0] = 0
    np.cumsum(np.frombuffer(joined.translate(_DIGIT_FLAGS), dtype=np.uint8), out=digits[1:])
    return buf, prefix, inverse, digits


def shingle_hashes(text: str, cfg: NearDupConfig) -> np.ndarray:
    """Sorted unique uint32 hashes of the word n-grams of `text` (n = cfg.shingle_size).

    A text shorter than n words gives one shingle of all its words; an empty text gives none.
    The lowest bit of a hash is 1 when its shingle holds a figure (see figure_change).
    """
    return shingle_hashes_of_tokens(tokenize(text or ""), cfg)


# articles per fingerprints_of_tokens call in the job: bigger batches grow the power tables (RSS) for no gain
FINGERPRINT_BATCH = 256


def _span_hashes(prefix, inverse, digits, begin, end) -> np.ndarray:
    """32-bit hashes of the byte spans begin..end (unsorted): the low half of the mixed polynomial hash (see the
    note at shingle_hashes_of_tokens), its lowest bit saying whether the span holds a figure."""
    h = prefix[end]
    h -= prefix[begin]
    h *= inverse[begin]
    h = _mix(h).astype(np.uint32)
    h &= _NOT_ONE32
    h |= digits[end] > digits[begin]
    return h


def shingle_hashes_of_tokens(tokens: list[str], cfg: NearDupConfig) -> np.ndarray:
    """shingle_hashes for text already split by tokenize(), so a caller that needs the tokens too splits once.

    32 bits per shingle (since 2026.11.6; before, 64 of which the exact check used the low 32): half the bytes
    to stage, index and reread. Two ~300-shingle sets then share a false shingle about once in 50,000 pairs,
    far below what moves a Jaccard or containment threshold. Older index rows hold the full 64-bit hash, whose
    low half is exactly this value (see low_shingles).
    """
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    joined = " ".join(tokens).encode("utf-8")
    buf, prefix, inverse, digits = _prefix_tables(joined)
    size = buf.size
    # token i spans bytes bounds[i] + 1 .. bounds[i + 1], bounds being -1, the spaces and the end
    spaces = np.flatnonzero(buf == 32)
    count = spaces.size + 1
    bounds = np.empty(count + 1, dtype=np.int64)
    bounds[0], bounds[1:-1], bounds[-1] = -1, spaces, size
    n = min(cfg.shingle_size, count)
    # shingle i spans from the start of token i to the end of token i+n-1
    begin, end = bounds[:count - n + 1] + 1, bounds[n:]
    h = _span_hashes(prefix, inverse, digits, begin, end)
    h.sort()
    if h.size > 1:
        keep = np.empty(h.size, dtype=bool)
        keep[0] = True
        np.not_equal(h[1:], h[:-1], out=keep[1:])
        h = h[keep]
    return h


_DENSIFY_STEP = np.uint32(0x9E3779B1)  # odd: an empty bin borrows its neighbour's value shifted by steps


def low_shingles(hashes) -> np.ndarray:
    """Stored shingle hashes of any version as the current form: sorted unique uint32 (the low half of the
    64-bit hashes of index rows written before 2026.11.6)."""
    h = np.asarray(hashes)
    if h.dtype == np.uint32 and (h.size < 2 or (h[1:] > h[:-1]).all()):
        return h
    return np.unique(h.astype(np.uint32))


def _bins(h: np.ndarray, k: int) -> np.ndarray:
    """The MinHash bin of each 32-bit shingle hash: its top bits scaled to k bins (for a power of two, the top
    bits themselves: the same bins, a third of the work)."""
    if k > 1 and k & (k - 1) == 0:
        return h >> np.uint32(33 - k.bit_length())
    return (h.astype(np.uint64) * _U64(k)) >> _U64(32)


def signature(hashes: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """MinHash signature (uint32, length cfg.num_perm); all-ones when there are no shingles.

    One-permutation hashing: the (already mixed) shingle hashes are split into num_perm bins by their top
    bits and each bin keeps its smallest member, one pass instead of num_perm hash functions (about 10x
    cheaper). Since the bin is a monotone function of the hash, in a sorted set a bin's smallest member is its
    first. An empty bin (sets smaller than num_perm) takes the next non-empty bin's value plus a
    per-distance offset (rotation densification), which keeps the agreement rate an estimate of Jaccard.
    """
    return _signature(low_shingles(hashes), cfg)


def _signature(h: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """signature() of shingles already in the current form (low_shingles)."""
    k = cfg.num_perm
    if h.size == 0:
        return np.full(k, 0xFFFFFFFF, dtype=np.uint32)
    bins = _bins(h, k)
    first = np.empty(h.size, dtype=bool)
    first[0] = True
    np.not_equal(bins[1:], bins[:-1], out=first[1:])
    present = bins[first].astype(np.int64)
    values = h[first]
    if present.size == k:
        return values
    slots = np.arange(k)
    nxt = np.searchsorted(present, slots)
    nxt[nxt == present.size] = 0
    distance = ((present[nxt] - slots) % k).astype(np.uint32)
    return values[nxt] + distance * _DENSIFY_STEP


_ROW_WEIGHTS: dict[int, np.ndarray] = {}


def _row_weights(rows: int) -> np.ndarray:
    if rows not in _ROW_WEIGHTS:
        _ROW_WEIGHTS[rows] = np.array([pow(int(_GOLDEN), rows - 1 - r, 2**64) for r in range(rows)], dtype=np.uint64)
    return _ROW_WEIGHTS[rows]


def band_digests(sig: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """One uint64 digest per LSH band (position = band index): the band's rows as a polynomial in GOLDEN
    (mod 2**64, one matrix product for all bands), mixed. A (n, num_perm) stack of signatures gives (n, bands)."""
    shape = (cfg.bands, cfg.rows) if sig.ndim == 1 else (-1, cfg.bands, cfg.rows)
    return _mix(sig.reshape(shape).astype(np.uint64) @ _row_weights(cfg.rows))


def band_keys(sig: np.ndarray, cfg: NearDupConfig) -> list[str]:
    """One short key per LSH band: "<band>:<hex digest of its rows>" (the form stored in the index)."""
    return digests_to_keys(band_digests(sig, cfg))


_KEY_FORMATS = [f"{band}:%x" for band in range(1024)]


def digests_to_keys(digests: np.ndarray) -> list[str]:
    # one "%" per band with the band number already in the format: about 1.5x faster than an f-string
    formats = _KEY_FORMATS if digests.size <= len(_KEY_FORMATS) else [f"{b}:%x" for b in range(digests.size)]
    return list(map(str.__mod__, formats, digests.tolist()))


def keys_to_digests(keys: list[str]) -> np.ndarray:
    return np.array([int(k.split(":", 1)[1], 16) for k in keys], dtype=np.uint64)


def lsh_digests(hashes: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """Band digests for a shingle set (stored hashes of any version), or none when it is too small to judge."""
    h = low_shingles(hashes)
    if h.size < cfg.min_shingles:
        return np.empty(0, dtype=np.uint64)
    return band_digests(_signature(h, cfg), cfg)


def index_row_digests(version: str | None, band_keys: list[str], hashes, cfg: NearDupConfig) -> np.ndarray:
    """Band digests of a stored index row under cfg: its own keys when it was written with cfg's version, else
    recomputed from its shingle hashes (64-bit rows included). Bands depend on the config: never mix versions.
    Batch history and the streaming restart both seed from this, so they see the same rows."""
    if version == cfg.version and band_keys:
        return keys_to_digests(band_keys)
    return lsh_digests(hashes, cfg)


def index_row_keys(version: str | None, band_keys: list[str], hashes, cfg: NearDupConfig) -> list[str]:
    """index_row_digests as band keys: a row of cfg's version keeps its stored keys as they are."""
    if version == cfg.version and band_keys:
        return band_keys
    return digests_to_keys(lsh_digests(hashes, cfg))


def fingerprints_of_tokens(token_lists: list[list[str]],
                           cfg: NearDupConfig) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """shingle_hashes_of_tokens and lsh_digests of many articles at once, with the same values: (hashes, digests)
    per article. One pass of array work for a batch instead of ~40 small array calls per article: about half the
    CPU on bench/synth at 256 articles a batch (bench/bench_near_dup.py), for a caller that holds a batch anyway.
    """
    count = len(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=count)
    hashes_out = [np.empty(0, dtype=np.uint32)] * count
    digests_out = [np.empty(0, dtype=np.uint64)] * count
    live = np.flatnonzero(lengths)
    if live.size == 0:
        return hashes_out, digests_out
    joined = " ".join(" ".join(token_lists[i]) for i in live.tolist()).encode("utf-8")
    buf, prefix, inverse, digits = _prefix_tables(joined)
    size = buf.size
    # token j of the batch spans bytes bounds[j] + 1 .. bounds[j + 1]; articles are joined by one space as well
    bounds = np.empty(int(lengths.sum()) + 1, dtype=np.int64)
    bounds[0], bounds[-1] = -1, size
    bounds[1:-1] = np.flatnonzero(buf == 32)
    tokens = lengths[live]
    width = np.minimum(tokens, cfg.shingle_size)
    shingles = tokens - width + 1
    article = np.repeat(np.arange(live.size), shingles)
    starts = np.cumsum(shingles) - shingles
    first_token = np.cumsum(tokens) - tokens
    begin_token = first_token[article] + np.arange(article.size) - starts[article]
    begin = bounds[begin_token] + 1
    end = bounds[begin_token + width[article]]
    h = _span_hashes(prefix, inverse, digits, begin, end)
    # each article's shingles sorted in place (32-bit sorts of a few hundred values beat one 64-bit sort of all)
    edges = np.append(starts, h.size).tolist()
    for a, b in zip(edges[:-1], edges[1:]):
        h[a:b].sort()
    keep = np.empty(h.size, dtype=bool)
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    keep[starts] = True  # an article's first shingle is new even when it equals the previous article's last
    values, owner = h[keep], article[keep]
    sizes = np.bincount(owner, minlength=live.size)
    edges = np.append(0, np.cumsum(sizes)).tolist()
    for i, a, b in zip(live.tolist(), edges[:-1], edges[1:]):
        hashes_out[i] = values[a:b]
    # signatures of the sets large enough to judge, as one (article, bin) table; an empty bin takes the nearest
    # filled bin ahead (wrapping round) plus the distance, as in signature()
    k = cfg.num_perm
    judged = sizes >= cfg.min_shingles
    if not judged.any():
        return hashes_out, digests_out
    cell = owner * k + _bins(values, k).astype(np.int64)
    first = np.empty(cell.size, dtype=bool)
    first[0] = True
    np.not_equal(cell[1:], cell[:-1], out=first[1:])
    table = np.zeros(live.size * k, dtype=np.uint32)
    filled = np.zeros(live.size * k, dtype=bool)
    table[cell[first]] = values[first]
    filled[cell[first]] = True
    table, filled = table.reshape(live.size, k)[judged], filled.reshape(live.size, k)[judged]
    slots = np.arange(2 * k)
    ahead = np.where(np.concatenate((filled, filled), axis=1), slots, 2 * k)
    nearest = np.minimum.accumulate(ahead[:, ::-1], axis=1)[:, ::-1][:, :k]
    distance = (nearest - slots[:k]).astype(np.uint32)
    sig = np.take_along_axis(table, nearest % k, axis=1) + distance * _DENSIFY_STEP
    digests = band_digests(sig, cfg)
    for i, d in zip(live[judged].tolist(), digests):
        digests_out[i] = d
    return hashes_out, digests_out


def lsh_keys(hashes: np.ndarray, cfg: NearDupConfig) -> list[str]:
    """Band keys for a shingle set, or none when it is too small to judge."""
    return digests_to_keys(lsh_digests(hashes, cfg))


def _in(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mask over sorted unique `a`: which members are in sorted unique `b` (binary search, no merge sort)."""
    idx = np.searchsorted(b, a)
    np.minimum(idx, b.size - 1, out=idx)
    return b[idx] == a


def similarity(a_hashes: np.ndarray, b_hashes: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted unique shingle sets; containment = |A∩B| / min(|A|, |B|)."""
    if a_hashes.size == 0 or b_hashes.size == 0:
        return 0.0, 0.0
    small, large = (a_hashes, b_hashes) if a_hashes.size <= b_hashes.size else (b_hashes, a_hashes)
    inter = int(np.count_nonzero(_in(small, large)))
    union = a_hashes.size + b_hashes.size - inter
    return inter / union, inter / small.size


def match_rule(jaccard: float, containment: float, cfg: NearDupConfig) -> str | None:
    """Name of the similarity rule a candidate pair passes, or None (pair_rule adds the figure guard)."""
    if jaccard >= cfg.jaccard_threshold:
        return "near_dup_jaccard"
    if containment >= cfg.containment_threshold:
        return "near_dup_containment"
    return None


def figure_change(a_hashes: np.ndarray, b_hashes: np.ndarray) -> bool:
    """True when each set has figure-bearing shingles the other lacks: a figure was replaced by another one
    (the next edition of a template story, or a correction), not merely cut off or added."""
    if a_hashes.size == 0 or b_hashes.size == 0:
        return False
    one = a_hashes.dtype.type(1)
    if not (a_hashes[~_in(a_hashes, b_hashes)] & one).any():
        return False
    return bool((b_hashes[~_in(b_hashes, a_hashes)] & one).any())


FIGURE_CONFLICT = "figure_conflict"


def judge_pair(a_hashes: np.ndarray, b_hashes: np.ndarray, gap_seconds: float,
               cfg: NearDupConfig) -> tuple[str | None, float]:
    """(rule, similarity) for a candidate pair: a near_dup_* rule when it is a near-duplicate, FIGURE_CONFLICT
    when it is another edition of a template story, else (None, 0.0).

    A pair scraped at least cfg.figure_gap_hours apart whose figures differ (yesterday's prices, last week's
    repo) is different news, however similar; within that gap a changed figure is read as a correction. A
    conflict also keeps the two apart when something else (a fragment of both) would link them: select_edges.
    """
    jaccard, containment = similarity(a_hashes, b_hashes)
    if abs(gap_seconds) >= cfg.figure_gap_hours * 3600 and figure_change(a_hashes, b_hashes):
        return FIGURE_CONFLICT, containment
    rule = match_rule(jaccard, containment, cfg)
    if rule is None:
        return None, 0.0
    return rule, rule_score(rule, jaccard, containment)


RULES = (None, "near_dup_jaccard", "near_dup_containment", FIGURE_CONFLICT)  # codes of judge_pair_batch


def _gather(values, offsets, sets):
    """The shingles of sets[p] for every pair p, back to back, as keys (p << 32 | shingle): sorted, since each set
    is sorted and pairs come in order."""
    lens = offsets[sets + 1] - offsets[sets]
    pair = np.repeat(np.arange(sets.size, dtype=np.uint64), lens)
    shift = np.repeat(offsets[sets] - (np.cumsum(lens) - lens), lens)
    keys = values[shift + np.arange(lens.sum())].astype(np.uint64)
    keys |= pair << _U64(32)
    return keys


def _figures_per_pair(keys, n):
    """How many keys of each pair hold a figure (the shingle's lowest bit)."""
    return np.bincount((keys[(keys & _ONE).astype(bool)] >> _U64(32)).astype(np.int64), minlength=n)


def judge_pair_batch(values: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray,
                     gaps: np.ndarray, cfg: NearDupConfig) -> tuple[np.ndarray, np.ndarray]:
    """judge_pair for many pairs at once, vectorised: (rule codes into RULES, scores).

    Shingle sets are stored back to back: set i is values[offsets[i]:offsets[i+1]] (uint32, sorted unique);
    a, b index the sets of each pair and gaps are its scrape gaps in seconds. Same verdicts as judge_pair
    on the same sets, at a fraction of the per-pair cost. Best on a few hundred pairs at a time (the keys of
    both sides then stay in cache).
    """
    n = a.size
    codes, scores = np.zeros(n, dtype=np.int8), np.zeros(n)
    if n == 0:
        return codes, scores
    keys_a, keys_b = _gather(values, offsets, a), _gather(values, offsets, b)
    # Both key runs are sorted, so a stable sort (timsort) merges them in linear time; a shingle the two sets
    # share then sits twice in a row. About 2.5x faster than a binary search of one side in the other.
    merged = np.concatenate((keys_a, keys_b))
    merged.sort(kind="stable")
    shared = merged[1:][merged[1:] == merged[:-1]]
    inter = np.bincount((shared >> _U64(32)).astype(np.int64), minlength=n)
    size_a, size_b = offsets[a + 1] - offsets[a], offsets[b + 1] - offsets[b]
    smaller = np.minimum(size_a, size_b)
    valid = smaller > 0
    jaccard = np.where(valid, inter / np.maximum(size_a + size_b - inter, 1), 0.0)
    containment = np.where(valid, inter / np.maximum(smaller, 1), 0.0)
    by_jaccard = valid & (jaccard >= cfg.jaccard_threshold)
    by_containment = valid & ~by_jaccard & (containment >= cfg.containment_threshold)
    codes[by_jaccard], scores[by_jaccard] = 1, jaccard[by_jaccard]
    codes[by_containment], scores[by_containment] = 2, containment[by_containment]
    # figure_change: each side holds figure shingles the other lacks, i.e. more than the shared ones (a shared
    # shingle carries the same figure bit on both sides)
    shared_figures = _figures_per_pair(shared, n)
    changed = (_figures_per_pair(keys_a, n) > shared_figures) & (_figures_per_pair(keys_b, n) > shared_figures)
    conflict = valid & changed & (np.abs(gaps) >= cfg.figure_gap_hours * 3600)
    codes[conflict], scores[conflict] = 3, containment[conflict]
    return codes, scores


def select_edges(edges) -> list:
    """Match edges (a, b, rule, score) -> the (a, b) pairs that join clusters, strongest first.

    An edge whose two sides already hold a FIGURE_CONFLICT pair is skipped: a teaser cut before the figures
    fits today's and yesterday's edition of a template story equally, and must not merge the two.
    Deterministic: edges are taken by falling score, then by their nodes.
    """
    parent, conflicts, accepted = {}, {}, []

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    matches = []
    for a, b, rule, score in set(edges):
        if rule == FIGURE_CONFLICT:
            conflicts.setdefault(a, set()).add(b)
            conflicts.setdefault(b, set()).add(a)
        else:
            matches.append((-score, a, b))
    for _, a, b in sorted(matches):
        ra, rb = find(a), find(b)
        if ra != rb:
            if any(find(x) == rb for x in conflicts.get(ra, ())):
                continue
            if len(conflicts.get(ra, ())) < len(conflicts.get(rb, ())):
                ra, rb = rb, ra
            parent[rb] = ra
            if rb in conflicts:
                conflicts.setdefault(ra, set()).update(conflicts.pop(rb))
        accepted.append((a, b))
    return sorted(accepted)


def rule_score(rule: str, jaccard: float, containment: float) -> float:
    """The similarity value the rule fired on (for the ledger)."""
    return jaccard if rule == "near_dup_jaccard" else containment


def cluster(pairs, order) -> dict:
    """Connected components of `pairs`; maps every member to its survivor.

    `order[id]` is a sort key (e.g. (scraped_at, article_id)); the smallest member of a
    component survives. Ids only in `order` are not returned.
    """
    parent: dict = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            # Keep the preferred member as root so the root is the survivor.
            if order[rb] < order[ra]:
                ra, rb = rb, ra
            parent[rb] = ra
        parent.setdefault(ra, ra)
    return {member: find(member) for member in parent}


def candidate_pairs(members: list, cfg: NearDupConfig):
    """Pairs to check among the members of one LSH bucket, already sorted in survivor order.

    Every pair up to cfg.max_bucket_size members; a larger bucket (shared boilerplate,
    a flood of copies) pairs each member with its next max_bucket_size neighbours only,
    which bounds the work and still chains the copies together.
    """
    window = cfg.max_bucket_size
    for i, a in enumerate(members):
        for b in members[i + 1:i + 1 + window]:
            yield a, b


def find_near_duplicates(items, cfg: NearDupConfig, history=()) -> dict:
    """Beam-free near-dup pass over (article_id, scraped_at, text) or (article_id, scraped_at, text, url) items
    (with the url, a web address ranks before an archived file: URL, and that before a placeholder urn, as in the
    Beam job and in exact dedup).

    `history` holds (article_id, scraped_at, shingle hashes) of published articles.
    Returns {article_id: (survivor_id, rule, similarity)} for every dropped article.
    """
    hashes, order, stamps, buckets = {}, {}, {}, {}
    rows = [(i, s, shingle_hashes(t, cfg), False, rest[0] if rest else None) for i, s, t, *rest in items]
    rows += [(i, s, low_shingles(h), True, None) for i, s, h in history]
    for article_id, scraped_at, h, is_history, url in rows:
        hashes[article_id] = h
        order[article_id] = survivor_order(article_id, scraped_at, is_history, url)
        stamps[article_id] = scraped_micros(scraped_at) / 1e6
        for key in lsh_keys(h, cfg):
            buckets.setdefault(key, []).append(article_id)
    seen = set()
    for ids in buckets.values():
        members = sorted(ids, key=order.__getitem__)
        for a, b in candidate_pairs(members, cfg):
            if not (order[a][0] == 0 and order[b][0] == 0):
                seen.add((a, b))
    edges = []
    for a, b in sorted(seen):
        rule, score = judge_pair(hashes[a], hashes[b], stamps[b] - stamps[a], cfg)
        if rule:
            edges.append((order[a], order[b], rule, score))
    ids = {key: article_id for article_id, key in order.items()}
    return {ids[m]: (ids[s], rule, score) for m, (s, rule, score) in resolve_edges(edges).items() if m[0] != 0}


def resolve_edges(edges) -> dict:
    """Judged edges (a, b, rule, score), nodes sorting in survivor order -> {member: (survivor, rule, score)}
    for every member that is not its cluster's survivor; rule and score are the member's strongest match."""
    scored = {(a, b): (score, rule) for a, b, rule, score in edges if rule != FIGURE_CONFLICT}
    best, pairs = {}, select_edges(edges)
    for pair in pairs:
        for node in pair:
            best[node] = max(best.get(node, scored[pair]), scored[pair])
    survivors = cluster(pairs, {node: node for node in best})
    return {m: (s, best[m][1], best[m][0]) for m, s in sorted(survivors.items()) if m != s}


# Compact nodes for the Beam stage: (rank, scraped_at in µs, article_id as int), rank 0 published, then current ones:
# 1 with a web address, 2 with an archived file: URL (a saved local copy), 3 with a placeholder urn (a .txt or saved
# page, whose scrape time is only the run date's midnight): urls.url_rank, as exact dedup ranks them. They sort
# exactly like survivor_order and like the exact-dedup order, since article ids are 16 hex digits and the
# scraped_at strings are fixed-width UTC.
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Ids are shifted into the signed 64-bit range (order preserved): Beam's integer coder is signed.
_ID_OFFSET = 1 << 63


def id_key(article_id: str) -> int:
    return int(article_id, 16) - _ID_OFFSET


def scraped_micros(scraped_at: str) -> int:
    """An RFC 3339 timestamp as µs since the epoch (0 when missing)."""
    ts = datetime.fromisoformat(scraped_at.replace("Z", "+00:00")) if scraped_at else _EPOCH
    return (ts - _EPOCH) // timedelta(microseconds=1)


def node_of(article_id: str, scraped_at: str, is_history: bool = False, url: str | None = None) -> tuple[int, int, int]:
    return (_rank(is_history, url), scraped_micros(scraped_at), id_key(article_id))


def _rank(is_history: bool, url: str | None) -> int:
    return 0 if is_history else 1 + (url_rank(url) if url else 0)


def node_article_id(node: tuple[int, int, int]) -> str:
    return f"{node[2] + _ID_OFFSET:016x}"


class BandChunks:
    """Collects (node, band digests) of many articles and hands them out per band as compact byte arrays, so a
    GroupByKey per band moves ~25 bytes per article and band instead of a pickled (key, node) pair."""

    def __init__(self, cfg: NearDupConfig):
        self.cfg = cfg
        self.nodes: list[tuple[int, int, int]] = []
        self.digests: list[np.ndarray] = []

    def __len__(self):
        return len(self.nodes)

    def add(self, node: tuple[int, int, int], digests: np.ndarray) -> None:
        if digests.size == self.cfg.bands:
            self.nodes.append(node)
            self.digests.append(digests)

    def drain(self):
        """Yields (band, (digests, flags, timestamps, ids) as bytes) and empties the collector."""
        if not self.nodes:
            return
        table = np.vstack(self.digests)
        flags = np.array([n[0] for n in self.nodes], dtype=np.uint8).tobytes()
        stamps = np.array([n[1] for n in self.nodes], dtype=np.int64).tobytes()
        ids = np.array([n[2] for n in self.nodes], dtype=np.int64).tobytes()
        self.nodes, self.digests = [], []
        for band in range(self.cfg.bands):
            yield band, (np.ascontiguousarray(table[:, band]).tobytes(), flags, stamps, ids)


_PAIR_INDEX: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _bucket_pairs(size: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j), i < j, of the pairs candidate_pairs yields for a bucket of `size` members."""
    if size <= window + 1:
        if size not in _PAIR_INDEX:
            _PAIR_INDEX[size] = np.triu_indices(size, 1)
        return _PAIR_INDEX[size]
    firsts = [np.arange(size - d) for d in range(1, window + 1)]
    return np.concatenate(firsts), np.concatenate([f + d for d, f in enumerate(firsts, 1)])


def band_pair_batch(chunks, cfg: NearDupConfig) -> np.ndarray:
    """Candidate pairs of one band as an int64 array, one row (flag, stamp, id) of a then of b per pair:
    members sharing the band digest, in survivor order, windowed by cfg.max_bucket_size; two published
    articles are never paired. One array per band keeps the shuffle and the pipeline's per-element cost
    independent of the number of pairs."""
    empty = np.empty((0, 6), dtype=np.int64)
    chunks = list(chunks)
    if not chunks:
        return empty
    digests = np.concatenate([np.frombuffer(c[0], dtype=np.uint64) for c in chunks])
    # Most digests are unique to one article: keep only the shared ones before the full sort by node.
    by_digest = np.argsort(digests)
    ordered = digests[by_digest]
    repeated = np.zeros(digests.size, dtype=bool)
    np.equal(ordered[1:], ordered[:-1], out=repeated[1:])
    repeated[:-1] |= repeated[1:]
    shared = np.sort(by_digest[repeated])
    if shared.size == 0:
        return empty
    digests = digests[shared]
    nodes = np.stack([np.concatenate([np.frombuffer(c[1], dtype=np.uint8) for c in chunks])[shared].astype(np.int64),
                      np.concatenate([np.frombuffer(c[2], dtype=np.int64) for c in chunks])[shared],
                      np.concatenate([np.frombuffer(c[3], dtype=np.int64) for c in chunks])[shared]], axis=1)
    order = np.lexsort((nodes[:, 2], nodes[:, 1], nodes[:, 0], digests))
    digests, nodes = digests[order], nodes[order]
    # a node sent twice (a retried bundle) counts once
    keep = np.ones(digests.size, dtype=bool)
    keep[1:] = (digests[1:] != digests[:-1]) | (nodes[1:] != nodes[:-1]).any(axis=1)
    digests, nodes = digests[keep], nodes[keep]
    same = digests[1:] == digests[:-1]
    if not same.any():
        return empty
    edge = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
    left, right = [], []
    for start, stop in zip(edge[0::2].tolist(), (edge[1::2] + 1).tolist()):
        i, j = _bucket_pairs(stop - start, cfg.max_bucket_size)
        left.append(i + start)
        right.append(j + start)
    a, b = nodes[np.concatenate(left)], nodes[np.concatenate(right)]
    current = (a[:, 0] != 0) | (b[:, 0] != 0)
    return np.concatenate([a[current], b[current]], axis=1)


def band_pairs(chunks, cfg: NearDupConfig):
    """band_pair_batch as (node_a, node_b) tuples."""
    for row in band_pair_batch(chunks, cfg).tolist():
        yield tuple(row[:3]), tuple(row[3:])


def survivor_order(article_id: str, scraped_at: str, is_history: bool = False, url: str | None = None) -> tuple:
    """Sort key for survivors, as dedup.survivor_order: already-published first, then a web address before an
    archived file: URL before a placeholder urn, then earliest scraped_at, then smallest id."""
    return (_rank(is_history, url), scraped_at or "", article_id)


def fingerprint_rows(article: dict, cfg: NearDupConfig) -> dict:
    """One row of the Parquet fingerprint index for a published article."""
    hashes = shingle_hashes(article.get("text", ""), cfg)
    scraped_at = article.get("scraped_at", "")
    return {
        "article_id": article["article_id"],
        "dt": scraped_at[:10],
        "scraped_at": scraped_at,
        "band_keys": lsh_keys(hashes, cfg),
        "shingle_hashes": hashes.tolist(),
        "near_dup_version": cfg.version,
    }


def lookback_dates(run_date: str, cfg: NearDupConfig) -> list[str]:
    """Index partitions (dt=YYYY-MM-DD) to load as history for a run on `run_date` (exclusive)."""
    day = date.fromisoformat(run_date)
    return [(day - timedelta(days=d)).isoformat() for d in range(cfg.lookback_days, 0, -1)]
