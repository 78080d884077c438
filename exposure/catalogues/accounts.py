"""JustDeleteMe data: where and how to delete an account on a site.

JustDeleteMe (github.com/jdm-contrib/jdm, MIT) keeps ``_data/sites.json``: a
list of ``{"name", "url", "difficulty", "notes", "email", "domains"}``.
``exposure sources update`` downloads it into the cache; we do not ship a
copy. Without the cache the checklist gives a generic step and says to run
``exposure sources update`` for deletion links.

Sites are matched by domain first (the entry's ``domains`` list and the host
of its ``url``, trying the account URL's host and each parent domain), then by
name (case, spaces and punctuation ignored). All text here is third-party:
callers escape it for wherever they show it, and only http(s) URLs are kept.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from exposure.catalogues.files import CatalogueMissing, parse_json, read_catalogue
from exposure.errors import CheckerInputError
from exposure.urls import is_web_url

log = logging.getLogger(__name__)

CACHE_NAME = "jdm-sites.json"
DEFAULT_JDM_URL = "https://raw.githubusercontent.com/jdm-contrib/jdm/master/_data/sites.json"
DIFFICULTIES = ("easy", "medium", "hard", "limited", "impossible")
_NAME_JUNK = re.compile(r"[^0-9a-z]+")


class AccountsDataError(ValueError):
    """The JustDeleteMe file is unusable (not JSON, not a list of sites)."""


@dataclass(frozen=True)
class DeletionInfo:
    """How to delete an account on one site, per JustDeleteMe."""

    name: str
    url: str  # the account-deletion page ("" when it was not http(s))
    difficulty: str  # easy | medium | hard | limited | impossible | unknown
    notes: str = ""
    email: str = ""
    domains: tuple[str, ...] = ()


@dataclass
class AccountsCatalogue:
    entries: list[DeletionInfo]
    by_domain: dict[str, DeletionInfo] = field(default_factory=dict)
    by_name: dict[str, DeletionInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            hosts = list(entry.domains)
            if entry.url:
                hosts.append(urlsplit(entry.url).hostname or "")
            for host in hosts:
                key = _host_key(host)
                if key:
                    self.by_domain.setdefault(key, entry)
            self.by_name.setdefault(_name_key(entry.name), entry)

    def lookup(self, name: str = "", url: str = "") -> DeletionInfo | None:
        """The entry for a site known by ``name`` and/or a profile ``url``, if any."""
        host = _host_key(urlsplit(url).hostname or "") if url else ""
        labels = host.split(".") if host else []
        for i in range(len(labels) - 1):
            hit = self.by_domain.get(".".join(labels[i:]))
            if hit:
                return hit
        key = _name_key(name)
        return self.by_name.get(key) if key else None


def _host_key(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host.removeprefix("www.")


def _name_key(name: str) -> str:
    return _NAME_JUNK.sub("", name.casefold())


def _http_url(value: object) -> str:
    text = str(value or "").strip()
    return text if is_web_url(text) else ""


def parse_accounts(body: bytes | str, origin: str = "JustDeleteMe data") -> AccountsCatalogue:
    """Parse a JustDeleteMe ``sites.json``; entries without a name are skipped."""
    try:
        data = parse_json(body, origin)
    except CheckerInputError as exc:
        raise AccountsDataError(str(exc)) from None
    if not isinstance(data, list):
        raise AccountsDataError(f"{origin}: expected a list of sites")
    entries = []
    for raw in data:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        difficulty = str(raw.get("difficulty") or "").lower()
        listed = raw.get("domains")
        domains: list[Any] = listed if isinstance(listed, list) else []
        entries.append(
            DeletionInfo(
                name=raw["name"],
                url=_http_url(raw.get("url")),
                difficulty=difficulty if difficulty in DIFFICULTIES else "unknown",
                notes=str(raw.get("notes") or ""),
                email=str(raw.get("email") or ""),
                domains=tuple(str(d) for d in domains if isinstance(d, str)),
            )
        )
    if not entries:
        raise AccountsDataError(f"{origin}: no sites in it")
    return AccountsCatalogue(entries)


def cache_path() -> Path:
    from exposure import paths

    return paths.current().cache_dir / CACHE_NAME


def load_accounts(path: Path | None = None) -> AccountsCatalogue | None:
    """The catalogue from ``path`` (default: the cache), or None when there is none.

    A damaged cache is logged and treated as absent: the checklist still works,
    with generic steps.
    """
    path = path or cache_path()
    try:
        return parse_accounts(read_catalogue(path, "JustDeleteMe data"), str(path))
    except CatalogueMissing:
        return None
    except (CheckerInputError, AccountsDataError) as exc:
        log.warning("ignoring the JustDeleteMe data: %s", exc)
        return None
