"""Maigret's site database, read into the same :class:`SiteDef` as the other formats.

Maigret's ``data.json`` is ``{"sites": {name: entry}, "engines": {name:
{"site": {...}}}, "tags": [...]}``. An entry may name an ``engine`` (XenForo,
phpBB, MediaWiki...) whose ``site`` template it inherits the way Maigret's
``MaigretSite.update_from_engine`` does: the engine's scalars win, its lists
are appended to the entry's, its objects are merged into the entry's.
URLs use ``{urlMain}``, ``{urlSubpath}`` and ``{username}``.

Every problem in one entry skips that entry with a reason (a database of
thousands of community entries always has a few broken ones); only a file
that is not a Maigret database at all is refused. Engines are applied once,
never recursively: an engine template that names another engine is broken,
and the entries using it are skipped.
"""

from __future__ import annotations

import json
from typing import Any

from exposure.catalogues.sites import (
    FORMAT_MAIGRET,
    NSFW_CATEGORY,
    PLACEHOLDER,
    SiteDef,
    SkipEntry,
    compile_username_rule,
    headers_of,
    strings_of,
)
from exposure.urls import is_web_url

CHECK_TYPES = frozenset({"status_code", "message", "response_url"})
NSFW_TAGS = frozenset({"porn", "erotic", "webcam", "dating18"})
MAIGRET_PLACEHOLDER = "{username}"


def looks_like_maigret(data: Any) -> bool:
    """A ``sites`` object of entries (WhatsMyName's ``sites`` is a list)."""
    sites = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(sites, dict) or not sites:
        return False
    sample = [v for v in list(sites.values())[:50] if isinstance(v, dict)]
    return any(("url" in v or "engine" in v) and "usernameClaimed" in v for v in sample)


def entries(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(name), entry) for name, entry in data["sites"].items()]


class Converter:
    """Turns entries of one Maigret file into sites; knows the file's engines."""

    def __init__(self, data: dict[str, Any]) -> None:
        raw = data.get("engines")
        self.engines: dict[str, Any] = raw if isinstance(raw, dict) else {}

    def site(self, name: str, entry: dict[str, Any], where: str) -> SiteDef:
        merged = self._with_engine(entry)
        return _site(name, merged)

    def _with_engine(self, entry: dict[str, Any]) -> dict[str, Any]:
        engine_name = entry.get("engine")
        if engine_name is None:
            return entry
        if not isinstance(engine_name, str):
            raise SkipEntry("engine is not a name")
        engine = self.engines.get(engine_name)
        if not isinstance(engine, dict):
            raise SkipEntry(f"unknown engine {engine_name!r}")
        template = engine.get("site")
        if not isinstance(template, dict):
            raise SkipEntry(f"engine {engine_name!r} has no site template")
        if "engine" in template:
            raise SkipEntry(f"engine {engine_name!r} refers to another engine")
        merged = {k: v for k, v in entry.items() if k != "engine"}
        for key, value in template.items():
            mine = merged.get(key)
            if isinstance(value, dict):
                merged[key] = {**(mine if isinstance(mine, dict) else {}), **value}
            elif isinstance(value, list):
                merged[key] = (mine if isinstance(mine, list) else []) + value
            else:
                merged[key] = value
        return merged


def _text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SkipEntry(f"{key} is not a string")
    return value


def _fill(template: str, main: str, subpath: str) -> str:
    return (
        template.replace("{urlMain}", main)
        .replace("{urlSubpath}", subpath)
        .replace(MAIGRET_PLACEHOLDER, PLACEHOLDER)
    )


def _url(template: str | None, main: str, subpath: str, key: str) -> str | None:
    if template is None:
        return None
    url = _fill(template, main, subpath).strip()
    if not is_web_url(url):
        raise SkipEntry(f"{key} is not an http(s) URL ({url[:80]!r})")
    return url


def _body(payload: Any) -> str | None:
    if payload is None:
        return None
    if not isinstance(payload, dict | list | str):
        raise SkipEntry("requestPayload is not an object")
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return text.replace(MAIGRET_PLACEHOLDER, PLACEHOLDER)


def _errors(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise SkipEntry("errors is not an object")
    return tuple(
        (k, v) for k, v in value.items() if isinstance(k, str) and k and isinstance(v, str)
    )


def _category(tags: list[str]) -> str:
    if NSFW_TAGS.intersection(tags):
        return NSFW_CATEGORY
    return tags[0] if tags else "misc"


def _refusal(e: dict[str, Any]) -> str | None:
    """Why an entry can't be checked by us at all, or None."""
    if e.get("disabled") is True:
        return "disabled in the catalogue"
    kind = e.get("type")
    if kind not in (None, "username"):
        return f"checks a {str(kind)[:40]}, not a username"
    protocol = e.get("protocol")
    if protocol not in (None, "http", "https"):
        return f"needs {str(protocol)[:20]}, not the web"
    if e.get("activation"):
        return "needs a session token first (activation), which exposure does not fetch"
    return None


def _site(name: str, e: dict[str, Any]) -> SiteDef:
    refusal = _refusal(e)
    if refusal:
        raise SkipEntry(refusal, chosen=True)
    check_type = e.get("checkType")
    if not isinstance(check_type, str):
        raise SkipEntry("checkType is missing")
    if check_type not in CHECK_TYPES:
        raise SkipEntry(f"unknown checkType {check_type[:40]!r}")
    main = (_text(e.get("urlMain"), "urlMain") or "").rstrip("/")
    subpath = _text(e.get("urlSubpath"), "urlSubpath") or ""
    url = _url(_text(e.get("url"), "url"), main, subpath, "url")
    if url is None:
        raise SkipEntry("has no url")
    probe = _url(_text(e.get("urlProbe"), "urlProbe"), main, subpath, "urlProbe")
    check_url = probe or url
    body = _body(e.get("requestPayload"))
    if PLACEHOLDER not in check_url and (body is None or PLACEHOLDER not in body):
        raise SkipEntry(f"its URL has no {MAIGRET_PLACEHOLDER} placeholder")
    regex = _text(e.get("regexCheck"), "regexCheck")
    if regex is not None:
        compile_username_rule(regex)
    method = str(e.get("requestMethod") or "GET").upper()
    if method not in ("GET", "POST", "HEAD"):
        raise SkipEntry(f"unsupported requestMethod {method[:20]!r}")
    method = "GET" if method == "HEAD" else method  # HEAD becomes GET: we keep the page
    headers = headers_of(e.get("headers"))
    if body is not None:
        method = "POST" if method == "GET" else method
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
    presence = tuple(s for s in strings_of(e.get("presenseStrs")) if s)
    absence = tuple(s for s in strings_of(e.get("absenceStrs")) if s)
    tags = strings_of(e.get("tags"))
    claimed = e.get("usernameClaimed")
    unclaimed = e.get("usernameUnclaimed")
    return SiteDef(
        name=name,
        check_url=check_url,
        profile_url=url,
        category=_category(tags),
        known=(claimed,) if isinstance(claimed, str) and claimed else (),
        method=method,
        headers=headers,
        body=body,
        regex=regex,
        format=FORMAT_MAIGRET,
        error_types=(check_type,),
        presence_strs=presence,
        absence_strs=absence,
        error_strings=_errors(e.get("errors")),
        ignore_403=e.get("ignore403") is True,
        unclaimed=unclaimed if isinstance(unclaimed, str) and unclaimed else None,
        tags=tuple(tags),
    )
