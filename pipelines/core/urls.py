"""URL normalisation: one canonical form per article page, for exact dedup and the canonical_url column."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import yaml

DEFAULT_RULES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules", "urls.yaml")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# Starts the URL given to a record whose input had none (.txt, a saved .html page without a canonical link; see
# records.placeholder_url): such a record loses to one with a real URL in every survivor choice.
PLACEHOLDER_URL_PREFIX = "urn:newsflow:"


def is_placeholder_url(url: str) -> bool:
    return url.startswith(PLACEHOLDER_URL_PREFIX)


def is_file_url(url: str) -> bool:
    return url[:5].lower() == "file:"


def url_rank(url: str) -> int:
    """Which URL names a page best, for every survivor choice: a web address (0), then a local path an archive
    gave a saved page (1: somebody's disk, not where readers find the story), then a placeholder urn (2)."""
    return 2 if is_placeholder_url(url) else 1 if is_file_url(url) else 0


@dataclass(frozen=True)
class UrlRules:
    version: str
    tracking_exact: frozenset
    tracking_prefixes: tuple
    strip_host_prefixes: tuple
    strip_path_suffixes: tuple


@functools.lru_cache(maxsize=8)
def load_url_rules(path: str = DEFAULT_RULES) -> UrlRules:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    try:
        tracking = data["tracking_params"]
        return UrlRules(
            version=str(data["version"]),
            tracking_exact=frozenset(p.lower() for p in tracking["exact"]),
            tracking_prefixes=tuple(p.lower() for p in tracking["prefixes"]),
            strip_host_prefixes=tuple(data["strip_host_prefixes"]),
            strip_path_suffixes=tuple(data["strip_path_suffixes"]),
        )
    except (KeyError, TypeError) as e:
        raise ValueError(f"{path}: malformed URL rules: missing or wrong key {e}") from e


def _is_tracking(name: str, rules: UrlRules) -> bool:
    low = name.lower()
    return low in rules.tracking_exact or low.startswith(rules.tracking_prefixes)


def normalize_url(url: str, rules: UrlRules | None = None) -> str:
    """Canonical form: https, lowercase host without www., no default port, no fragment,
    no tracking parameters, remaining parameters sorted, no trailing slash.

    file: URLs (archived local pages) get the same path rules and lose host 'localhost' (RFC 8089), the fragment
    and nothing else. Other non-http URLs (e.g. the urn: ids given to .txt inputs) are returned stripped and
    otherwise unchanged.
    """
    rules = rules or load_url_rules()
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return _normalize_file_url(parts)
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").rstrip(".")
    for prefix in rules.strip_host_prefixes:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    port = parts.port if parts.port is not None else None
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _plain_path(parts.path)
    for suffix in rules.strip_path_suffixes:
        if path.lower().endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)]
            break
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, rules)]
    query.sort()
    return urlunsplit(("https", netloc, path if path != "/" else "", urlencode(query, doseq=True), ""))


def _plain_path(path: str) -> str:
    """Re-quoted so %7E and ~ (and friends) compare equal; no empty or '.' segments."""
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~") or "/"
    while "//" in path:
        path = path.replace("//", "/")
    while "/./" in path:
        path = path.replace("/./", "/")
    return path[:-1] if path.endswith("/.") else path


def _normalize_file_url(parts) -> str:
    """A saved page's address in an archive: the same file under the spellings of its path and host is one URL.
    The path keeps its case and its suffixes (a path names a file, not a site's page)."""
    host = parts.netloc.lower()
    host = "" if host == "localhost" else host
    return urlunsplit(("file", host, _plain_path(parts.path), parts.query, ""))
