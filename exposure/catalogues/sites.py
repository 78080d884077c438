"""Username-site catalogues: WhatsMyName and Sherlock files, validated on load.

A catalogue says, for each site, which URL to ask about a username and how to
read the answer. Two community formats are accepted and detected by shape:

* **WhatsMyName** (``wmn``): ``{"sites": [{"name", "uri_check", "e_code",
  "e_string", "m_code", "m_string", "known", "cat", ...}]}``. Redirects are
  never followed; an answer that matches neither rule is an error, never a
  guess.
* **Sherlock** (``sherlock``): ``{"<site name>": {"url", "errorType", ...}}``
  with ``{}`` as the username placeholder (normalised here to ``{account}``).

A file that cannot be used at all (missing, not JSON, wrong shape, an entry
without a URL, a URL that is not http(s) or that has nowhere to put the
username) raises :class:`~exposure.errors.CheckerInputError` with one
line naming the file and the entry: the scan stops with exit status 2 rather
than quietly checking half a catalogue. Softer problems in one entry (an
unknown ``errorType``, a broken ``regexCheck``, ``"valid": false``...) skip
that entry with a logged warning and a :class:`SkippedEntry` saying why.

This module only does data: no HTTP, no bs4, and it loads the 716-site
WhatsMyName file in a few milliseconds.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

from exposure.catalogues.files import MAX_CATALOGUE_BYTES as MAX_CATALOGUE_BYTES  # its old home
from exposure.catalogues.files import parse_json, read_catalogue
from exposure.catalogues.regex_guard import (
    BoundedPattern,
    PatternError,
    PatternTimeout,
    compile_bounded,
)
from exposure.errors import CheckerInputError
from exposure.urls import is_web_url

log = logging.getLogger(__name__)

PLACEHOLDER = "{account}"
SHERLOCK_PLACEHOLDER = "{}"
FORMAT_WMN = "wmn"
FORMAT_SHERLOCK = "sherlock"
FORMAT_MAIGRET = "maigret"
SHERLOCK_ERROR_TYPES = frozenset({"status_code", "message", "response_url"})
NSFW_CATEGORY = "xx NSFW xx"  # WhatsMyName's name for it, so counts merge across formats
# What we send for each catalogue method. HEAD becomes GET: we keep the page as evidence.
_METHODS = {"GET": "GET", "HEAD": "GET", "POST": "POST"}
_HOST_SAFE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")


@dataclass(frozen=True)
class SiteDef:
    """One site of a catalogue, in one internal shape whatever the file format.

    URLs and ``body`` use ``{account}`` as the username placeholder. The rule
    fields of the other format stay at their defaults.
    """

    name: str
    check_url: str
    profile_url: str
    category: str = "misc"
    known: tuple[str, ...] = ()
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict, hash=False)
    body: str | None = None
    strip_bad_char: str = ""
    regex: str | None = None
    format: str = FORMAT_WMN
    # WhatsMyName rules
    e_code: int | None = None
    e_string: str | None = None
    m_code: int | None = None
    m_string: str | None = None
    # Sherlock rules
    error_types: tuple[str, ...] = ()
    error_msgs: tuple[str, ...] = ()
    error_codes: tuple[int, ...] = ()
    error_url: str | None = None
    # Maigret rules (checkType is kept in ``error_types``)
    presence_strs: tuple[str, ...] = ()
    absence_strs: tuple[str, ...] = ()
    error_strings: tuple[tuple[str, str], ...] = ()  # (text on the page, what it means)
    ignore_403: bool = False
    unclaimed: str | None = None  # a username the catalogue says does not exist
    tags: tuple[str, ...] = ()

    @cached_property
    def pattern(self) -> BoundedPattern | None:
        """``regex`` compiled on first use (most scans never need most of them), bounded."""
        return compile_bounded(self.regex) if self.regex else None

    @property
    def allow_redirects(self) -> bool:
        """WhatsMyName never follows redirects; Sherlock only for non-``response_url`` rules."""
        if self.format == FORMAT_WMN:
            return False
        return "response_url" not in self.error_types


@dataclass(frozen=True)
class SkippedEntry:
    name: str
    reason: str


@dataclass
class Catalogue:
    sites: list[SiteDef]
    skipped: list[SkippedEntry]
    path: Path | None
    format: str

    def categories(self) -> dict[str, int]:
        """Site count per category, biggest first."""
        counts = Counter(site.category for site in self.sites)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class SiteRequest:
    """The HTTP request that checks one username on one site."""

    method: str
    url: str
    headers: dict[str, str]
    data: bytes | None
    allow_redirects: bool
    profile_url: str


# --------------------------------------------------------------------------- usernames


def prepare_username(site: SiteDef, username: str) -> str:
    """The username as this site spells it: without its ``strip_bad_char`` characters."""
    if not site.strip_bad_char:
        return username
    return username.translate({ord(c): None for c in site.strip_bad_char})


def unfit_reason(site: SiteDef, username: str) -> str | None:
    """Why ``username`` cannot exist on ``site`` (the check is then skipped), or None."""
    prepared = prepare_username(site, username)
    if not prepared:
        return "username has no characters this site accepts"
    if site.pattern is not None:
        try:
            fits = site.pattern.search(prepared)
        except PatternTimeout:
            return "the catalogue's username pattern (regexCheck) takes too long to match"
        if not fits:
            return "username does not fit this site's rules"
    if PLACEHOLDER in urlsplit(site.check_url).netloc and not _HOST_SAFE.match(prepared):
        return "username cannot be part of this site's host name"
    return None


def _fill_body(site: SiteDef, username: str) -> bytes | None:
    if site.body is None:
        return None
    ctype = next((v for k, v in site.headers.items() if k.lower() == "content-type"), "").lower()
    if "json" in ctype:
        value = json.dumps(username)[1:-1]  # inside an existing JSON string
    elif "x-www-form-urlencoded" in ctype:
        value = quote_plus(username)
    else:
        value = username
    return site.body.replace(PLACEHOLDER, value).encode("utf-8")


def build_request(site: SiteDef, username: str) -> SiteRequest:
    """The request for ``username`` on ``site`` (call :func:`unfit_reason` first)."""
    prepared = prepare_username(site, username)
    in_url = quote(prepared, safe="")
    return SiteRequest(
        method=site.method,
        url=site.check_url.replace(PLACEHOLDER, in_url),
        headers=dict(site.headers),
        data=_fill_body(site, prepared),
        allow_redirects=site.allow_redirects,
        profile_url=site.profile_url.replace(PLACEHOLDER, in_url),
    )


# --------------------------------------------------------------------------- loading


class SkipEntry(Exception):
    """One entry is unusable but the file is fine: skip it, say why.

    ``chosen`` marks a skip the catalogue asked for (a disabled entry, one that
    checks something other than a username): it is logged at debug level, so
    a 5,000-site file does not print hundreds of lines it meant.
    """

    def __init__(self, reason: str, *, chosen: bool = False) -> None:
        super().__init__(reason)
        self.chosen = chosen


def compile_username_rule(regex: str) -> BoundedPattern:
    """A catalogue's username rule (``regexCheck``), compiled and bounded, or :class:`SkipEntry`."""
    try:
        return compile_bounded(regex)
    except PatternError as exc:
        raise SkipEntry(f"invalid regexCheck ({exc})") from None


def default_path() -> Path:
    from exposure import paths

    return paths.bundled_data() / "sites.json"


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and validate a catalogue file (our bundled one when ``path`` is None)."""
    where = Path(path) if path is not None else default_path()
    raw = read_catalogue(where, "a site catalogue")
    catalogue = parse_catalogue(raw, str(where))
    catalogue.path = where
    return catalogue


def parse_catalogue(raw: bytes | str, source: str) -> Catalogue:
    """Validate catalogue text; ``source`` names it in error messages."""
    data = parse_json(raw, source)
    fmt = detect_format(data)
    convert: Callable[[str, dict[str, Any], str], SiteDef]
    if fmt == FORMAT_MAIGRET:
        from exposure.catalogues import maigret

        entries = maigret.entries(data)
        convert = maigret.Converter(data).site
    elif fmt == FORMAT_WMN:
        entries = [(f"#{i + 1}", e) for i, e in enumerate(data["sites"])]
        convert = _wmn_site
    elif fmt == FORMAT_SHERLOCK:
        entries = [(k, v) for k, v in data.items() if not k.startswith("$")]
        convert = _sherlock_site
    else:
        raise CheckerInputError(
            f"{source}: not a WhatsMyName, Sherlock or Maigret catalogue "
            "(expected an object with a 'sites' list, a 'sites' object of entries, "
            "or site names mapping to 'url' and 'errorType')"
        )
    if not entries:
        raise CheckerInputError(f"{source}: the catalogue has no sites")
    sites: list[SiteDef] = []
    skipped: list[SkippedEntry] = []
    seen: set[str] = set()
    for label, entry in entries:
        name = _entry_name(entry, label, fmt)
        named = fmt != FORMAT_WMN or name != label
        where = f"{source}: entry {name!r}" if named else f"{source}: entry {label}"
        try:
            if not isinstance(entry, dict):
                if fmt != FORMAT_MAIGRET:
                    raise CheckerInputError(f"{where}: is not an object")
                raise SkipEntry("is not an object")
            site = convert(name, entry, where)
            if site.name.lower() in seen:
                raise SkipEntry("another entry has the same name")
        except SkipEntry as why:
            log.log(logging.DEBUG if why.chosen else logging.WARNING, "%s skipped: %s", where, why)
            skipped.append(SkippedEntry(name=name, reason=str(why)))
            continue
        seen.add(site.name.lower())
        sites.append(site)
    return Catalogue(sites=sites, skipped=skipped, path=None, format=fmt)


def detect_format(data: Any) -> str | None:
    """``"wmn"``, ``"sherlock"``, ``"maigret"`` or None, from the shape of parsed JSON."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("sites"), list):
        return FORMAT_WMN
    from exposure.catalogues import maigret

    if maigret.looks_like_maigret(data):
        return FORMAT_MAIGRET
    values = [v for k, v in data.items() if not k.startswith("$")]
    if (
        values
        and all(isinstance(v, dict) for v in values)
        and any("url" in v and "errorType" in v for v in values)
    ):
        return FORMAT_SHERLOCK
    return None


def _entry_name(entry: Any, label: str, fmt: str) -> str:
    if fmt != FORMAT_WMN:
        return label
    name = entry.get("name") if isinstance(entry, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else label


def _checked_url(value: Any, key: str, where: str, *, required: bool) -> str | None:
    """A http(s) URL, or a fatal error naming the entry."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CheckerInputError(f"{where}: has no {key}")
    if not is_web_url(value.strip()):
        raise CheckerInputError(f"{where}: {key} is not an http(s) URL ({value[:80]!r})")
    return value.strip()


def headers_of(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise SkipEntry("headers must map names to strings")
    return dict(value)


def strings_of(value: Any) -> list[str]:
    """A string, or the strings of a list; anything else (a number, an object) is none."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _status(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise SkipEntry(f"{key} is not an HTTP status code")
    return value


def _wmn_site(name: str, e: dict[str, Any], where: str) -> SiteDef:
    check_url = _checked_url(e.get("uri_check"), "uri_check", where, required=True)
    pretty = _checked_url(e.get("uri_pretty"), "uri_pretty", where, required=False)
    body = e.get("post_body")
    if body is not None and not isinstance(body, str):
        raise CheckerInputError(f"{where}: post_body is not a string")
    body = body or None
    assert check_url is not None
    if PLACEHOLDER not in check_url and (body is None or PLACEHOLDER not in body):
        raise CheckerInputError(f"{where}: uri_check has no {PLACEHOLDER} placeholder")
    if e.get("valid") is False:
        raise SkipEntry("marked not valid in the catalogue (valid: false)")
    e_code = _status(e.get("e_code"), "e_code")
    m_code = _status(e.get("m_code"), "m_code")
    for key in ("e_string", "m_string"):
        if not isinstance(e.get(key), str):
            raise SkipEntry(f"{key} is missing")
    strip = e.get("strip_bad_char", "")
    if not isinstance(strip, str):
        raise SkipEntry("strip_bad_char is not a string")
    return SiteDef(
        name=name,
        check_url=check_url,
        profile_url=pretty or check_url,
        category=e["cat"] if isinstance(e.get("cat"), str) and e["cat"] else "misc",
        known=tuple(strings_of(e.get("known"))),
        method="POST" if body is not None else "GET",
        headers=headers_of(e.get("headers")),
        body=body,
        strip_bad_char=strip,
        format=FORMAT_WMN,
        e_code=e_code,
        e_string=e["e_string"],
        m_code=m_code,
        m_string=e["m_string"],
    )


def _sherlock_text(value: str) -> str:
    return value.replace(SHERLOCK_PLACEHOLDER, PLACEHOLDER)


def _sherlock_site(name: str, e: dict[str, Any], where: str) -> SiteDef:
    url = _checked_url(e.get("url"), "url", where, required=True)
    probe = _checked_url(e.get("urlProbe"), "urlProbe", where, required=False)
    assert url is not None
    check_url = probe or url
    payload = e.get("request_payload")
    body = None
    if payload is not None:
        body = _sherlock_text(json.dumps(payload, ensure_ascii=False))
    if SHERLOCK_PLACEHOLDER not in check_url and (body is None or PLACEHOLDER not in body):
        key = "urlProbe" if probe else "url"
        raise CheckerInputError(f"{where}: {key} has no {SHERLOCK_PLACEHOLDER} placeholder")

    kinds = e.get("errorType")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
        raise SkipEntry("errorType is missing")
    unknown = [k for k in kinds if k not in SHERLOCK_ERROR_TYPES]
    if unknown:
        raise SkipEntry(f"unknown errorType {unknown[0]!r}")
    msgs = [m for m in strings_of(e.get("errorMsg")) if m]
    if "message" in kinds and not msgs:
        raise SkipEntry("errorType 'message' without an errorMsg")
    codes = e.get("errorCode")
    codes = [codes] if isinstance(codes, int) else codes
    if codes is not None and (
        not isinstance(codes, list) or not all(isinstance(c, int) and c > 0 for c in codes)
    ):
        raise SkipEntry("errorCode is not a status code or a list of them")
    regex = e.get("regexCheck")
    if regex is not None:
        if not isinstance(regex, str):
            raise SkipEntry("regexCheck is not a string")
        compile_username_rule(regex)
    raw_method = e.get("request_method") or "GET"
    method = _METHODS.get(str(raw_method).upper())
    if method is None:
        raise SkipEntry(f"unsupported request_method {raw_method!r}")
    headers = headers_of(e.get("headers"))
    if body is not None:
        if method == "GET":
            method = "POST"  # a payload is only ever sent with a body-carrying method
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
    tags = strings_of(e.get("tags"))
    if e.get("isNSFW") is True or "adult" in tags:
        category = NSFW_CATEGORY
    else:
        category = tags[0] if tags else "misc"
    claimed = e.get("username_claimed")
    error_url = e.get("errorUrl")
    return SiteDef(
        name=name,
        check_url=_sherlock_text(check_url),
        profile_url=_sherlock_text(url),
        category=category,
        known=(claimed,) if isinstance(claimed, str) and claimed else (),
        method=method,
        headers=headers,
        body=body,
        regex=regex,
        format=FORMAT_SHERLOCK,
        error_types=tuple(dict.fromkeys(kinds)),
        error_msgs=tuple(msgs),
        error_codes=tuple(codes or ()),
        error_url=error_url if isinstance(error_url, str) else None,
    )


# --------------------------------------------------------------------------- weak rules

# Presence strings that almost any page or JSON answer contains.
_GENERIC_MARKS = frozenset(
    [
        "id",
        "_id",
        "uuid",
        "gcid",
        "data",
        "user",
        "username",
        "name",
        "user-name",
        "username:",
        "profile",
        "email",
        "title",
        "og:title",
        "og:site_name",
        "og:url",
        "site_name",
        "display_name",
        "displayname",
        "success",
        "status",
        "result",
        "results",
        "html",
        "body",
        "head",
        "meta",
    ]
)


def _weak_mark(text: str) -> bool:
    core = text.strip().strip("\"'<>:{}[], =").lower()
    return len(core) < 4 or core in _GENERIC_MARKS


def weak_rule(site: SiteDef) -> str | None:
    """Why this site's "found" could be said of any username, or None for a telling rule.

    A rule is weak when "found" rests on the status code alone, on the absence
    of a no-account message, or on a presence string any page might contain.
    """
    if site.format == FORMAT_WMN:
        if _weak_mark(site.e_string or ""):
            return f"its account text {site.e_string!r} is on almost any page"
        return None
    if site.format == FORMAT_MAIGRET:
        kind = site.error_types[0] if site.error_types else "status_code"
        if kind == "message" and site.presence_strs:
            if all(_weak_mark(s) for s in site.presence_strs):
                return "its account texts are on almost any page"
            return None
        if kind == "message":
            return "found only means the no-account text is missing"
        return "found rests on the status code alone"
    if "message" in site.error_types:
        return "found only means the no-account message is missing"
    return "found rests on the status code alone"
