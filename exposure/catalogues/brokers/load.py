"""Reading and validating broker catalogue files.

The bundled catalogue is ``data/brokers.toml``; ``$EXPOSURE_HOME/brokers.d/*.toml``
adds or replaces brokers (same id = replaced); ``--brokers FILE`` (TOML or
JSON) replaces the whole catalogue for one run. Every check here turns a file
that cannot be used into a :class:`~exposure.errors.CheckerInputError` of one
line naming the file and the entry.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from exposure.catalogues.brokers.model import (
    METHODS,
    PLACEHOLDERS,
    REQUIREMENTS,
    TOKEN,
    Broker,
    BrokerCatalogue,
    OptOut,
    Render,
    template_keys,
)
from exposure.catalogues.files import parse_json, parse_toml, read_catalogue
from exposure.errors import CheckerInputError
from exposure.extract.hints import HintError, Hints, parse_hints

log = logging.getLogger(__name__)

# Friendlier spellings accepted in files, stored as the canonical word.
_REQUIREMENT_ALIASES = {
    "email": "email-verification",
    "email-confirmation": "email-verification",
    "phone": "phone-call",
    "phone-verification": "phone-call",
    "sms": "phone-call",
    "identity": "id",
    "id-document": "id",
    "payment": "fee",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_KNOWN_KEYS = frozenset(
    {
        "id",
        "name",
        "country",
        "network",
        "parent",
        "privacy_email",
        "ca_registry",
        "url",
        "search_url",
        "phone_search_url",
        "email_search_url",
        "opt_out_url",
        "opt_out",
        "relists",
        "note",
        "record_selector",
        "no_results",
        "slug",
        "hints",
        "render",
    }
)
_OPT_OUT_KEYS = frozenset({"method", "requires", "days", "notes", "email"})


def default_path() -> Path:
    from exposure import paths

    return paths.bundled_data() / "brokers.toml"


def default_user_dir() -> Path:
    from exposure import paths

    return paths.current().config_dir / "brokers.d"


def load_brokers(path: Path | None = None, *, user_dir: Path | None = None) -> BrokerCatalogue:
    """The catalogue for a run.

    With ``path`` (``--brokers FILE``): that file alone, TOML or JSON. Without:
    the bundled catalogue plus every ``*.toml`` in ``user_dir`` (default
    ``$EXPOSURE_HOME/brokers.d``), in name order; a user entry whose id is
    already known replaces the earlier one.
    """
    if path is not None:
        where = Path(path)
        return BrokerCatalogue(brokers=_read(where), sources=[where])
    bundled = default_path()
    brokers = {b.id: b for b in _read(bundled)}
    sources = [bundled]
    folder = user_dir if user_dir is not None else default_user_dir()
    if folder.is_dir():
        for extra in sorted(folder.glob("*.toml")):
            for broker in _read(extra):
                if broker.id in brokers:
                    log.info("%s: broker %r replaces the earlier entry", extra, broker.id)
                brokers[broker.id] = broker
            sources.append(extra)
    return BrokerCatalogue(brokers=list(brokers.values()), sources=sources)


def _read(where: Path) -> list[Broker]:
    raw = read_catalogue(where, "a brokers catalogue")
    suffix = where.suffix.lower()
    fmt = "json" if suffix == ".json" else "toml" if suffix == ".toml" else None
    return parse_brokers(raw, str(where), fmt=fmt)


def parse_brokers(raw: bytes | str, source: str, *, fmt: str | None = None) -> list[Broker]:
    """Validate catalogue text; ``source`` names it in errors.

    ``fmt`` is "toml" or "json" (from the file's suffix); None detects it from
    the content: JSON when it parses as JSON, else TOML.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise CheckerInputError(f"{source}: not UTF-8 text") from None
    data: Any
    if fmt == "json":
        data = parse_json(text, source)
    elif fmt == "toml":
        data = parse_toml(text, source)
    else:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            if text.lstrip().startswith("{"):
                data = parse_json(text, source)  # raises, naming the JSON problem
            data = parse_toml(text, source)
    entries = _entries(data, source)
    brokers: list[Broker] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        broker = _broker(entry, source, i)
        if broker.id in seen:
            raise CheckerInputError(f"{source}: broker {broker.id!r}: duplicate id")
        seen.add(broker.id)
        brokers.append(broker)
    return brokers


def _entries(data: Any, source: str) -> list[Any]:
    if isinstance(data, list):
        entries = data
    elif isinstance(data, dict):
        keys = [k for k in ("broker", "brokers") if k in data]
        if not keys:
            raise CheckerInputError(
                f"{source}: not a broker catalogue (expected [[broker]] tables "
                "or a JSON object with a 'brokers' list)"
            )
        entries = data[keys[0]]
    else:
        raise CheckerInputError(f"{source}: not a broker catalogue")
    if not isinstance(entries, list):
        raise CheckerInputError(f"{source}: 'broker' must be a list of tables")
    if not entries:
        raise CheckerInputError(f"{source}: the catalogue has no brokers")
    return entries


def _label(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
        return f"broker {entry['id'].strip()!r}"
    return f"broker #{index + 1}"


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise CheckerInputError(f"{where}: has no {key}")
        return ""
    if not isinstance(value, str):
        raise CheckerInputError(f"{where}: {key} must be a string")
    value = value.strip()
    if required and not value:
        raise CheckerInputError(f"{where}: has no {key}")
    return value


def _url(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CheckerInputError(f"{where}: has no {key}")
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other unparseable hosts
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise CheckerInputError(f"{where}: {key} is not an http(s) URL ({url[:80]!r})")
    if any(ch.isspace() for ch in url):
        raise CheckerInputError(f"{where}: {key} contains whitespace (encode it as %20)")
    return url


def _template(value: Any, key: str, where: str, must_have: str | None = None) -> str | None:
    if value is None:
        return None
    url = _url(value, key, where)
    names = template_keys(url)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        known = " ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
        raise CheckerInputError(
            f"{where}: {key} has unknown placeholder {{{unknown[0]}}} (known: {known})"
        )
    if "{" in TOKEN.sub("", url) or "}" in TOKEN.sub("", url):
        raise CheckerInputError(f"{where}: {key} has an unbalanced brace")
    if not names:
        raise CheckerInputError(f"{where}: {key} has no placeholder to search with")
    if TOKEN.search(urlsplit(url).netloc):
        raise CheckerInputError(f"{where}: {key} has a placeholder in its host name")
    if must_have and must_have not in names:
        raise CheckerInputError(f"{where}: {key} has no {{{must_have}}} placeholder")
    return url


def _opt_out(value: Any, where: str) -> OptOut | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CheckerInputError(f"{where}: opt_out must be a table")
    unknown = sorted(set(value) - _OPT_OUT_KEYS)
    if unknown:
        raise CheckerInputError(f"{where}: opt_out has unknown key {unknown[0]!r}")
    method = value.get("method")
    if method not in METHODS:
        raise CheckerInputError(
            f"{where}: opt_out.method must be one of {', '.join(METHODS)} (got {method!r})"
        )
    raw_requires = value.get("requires", [])
    if isinstance(raw_requires, str):
        raw_requires = [raw_requires]
    if not isinstance(raw_requires, list) or not all(isinstance(r, str) for r in raw_requires):
        raise CheckerInputError(f"{where}: opt_out.requires must be a list of strings")
    requires: list[str] = []
    for item in raw_requires:
        word = _REQUIREMENT_ALIASES.get(item.strip().lower(), item.strip().lower())
        if word not in REQUIREMENTS:
            raise CheckerInputError(
                f"{where}: opt_out.requires has unknown {item!r} (known: {', '.join(REQUIREMENTS)})"
            )
        if word not in requires:
            requires.append(word)
    days = value.get("days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise CheckerInputError(f"{where}: opt_out.days must be a whole number of days")
    notes = value.get("notes", "")
    email = value.get("email", "")
    if not isinstance(notes, str) or not isinstance(email, str):
        raise CheckerInputError(f"{where}: opt_out.notes and opt_out.email must be strings")
    email = email.strip()
    if method == "email" and not email:
        raise CheckerInputError(f"{where}: opt_out.method is email but opt_out.email is empty")
    if email and ("@" not in email or any(ch.isspace() for ch in email)):
        raise CheckerInputError(f"{where}: opt_out.email is not an address ({email[:60]!r})")
    return OptOut(
        method=method, requires=tuple(requires), days=days, notes=notes.strip(), email=email
    )


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise CheckerInputError(f"{where}: no_results must be a list of non-empty strings")
    return tuple(p.strip() for p in value)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _broker(entry: Any, source: str, index: int) -> Broker:
    where = f"{source}: {_label(entry, index)}"
    if not isinstance(entry, dict):
        raise CheckerInputError(f"{where}: is not a table")
    broker_id = _text(entry, "id", where, required=True)
    if not _ID.match(broker_id):
        raise CheckerInputError(
            f"{where}: id must be lower-case letters, digits, '.', '_' or '-' (got {broker_id!r})"
        )
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise CheckerInputError(f"{where}: unknown key {unknown[0]!r}")
    name = _text(entry, "name", where, required=True)
    raw_opt_out_url = entry.get("opt_out_url")
    opt_out_url = _url(raw_opt_out_url, "opt_out_url", where) if raw_opt_out_url else ""
    opt_out = _opt_out(entry.get("opt_out"), where)
    search = _template(entry.get("search_url"), "search_url", where)
    phone = _template(entry.get("phone_search_url"), "phone_search_url", where, "phone")
    email = _template(entry.get("email_search_url"), "email_search_url", where, "email")
    url = _url(entry["url"], "url", where) if entry.get("url") is not None else ""
    if url and TOKEN.search(url):
        raise CheckerInputError(f"{where}: url must not have placeholders")
    if not (url or search or opt_out_url):
        raise CheckerInputError(f"{where}: needs a search_url, a url or an opt_out_url")
    url = url or _origin(search or opt_out_url)
    relists = entry.get("relists", False)
    if not isinstance(relists, bool):
        raise CheckerInputError(f"{where}: relists must be true or false")
    hints = _hints(entry, where)
    slug = _text(entry, "slug", where)
    if len(slug) > 1 or (slug and slug.isalnum()):
        raise CheckerInputError(f"{where}: slug must be one separator character such as '-'")
    country = _text(entry, "country", where).upper()
    render_text = _text(entry, "render", where) or Render.HTTP.value
    try:
        render = Render(render_text)
    except ValueError:
        raise CheckerInputError(f'{where}: render must be "http" or "browser"') from None
    network, parent, privacy_email = _ownership(entry, where)
    ca_registry = entry.get("ca_registry", False)
    if not isinstance(ca_registry, bool):
        raise CheckerInputError(f"{where}: ca_registry must be true or false")
    return Broker(
        id=broker_id,
        name=name,
        country=country,
        url=url,
        search_url=search,
        phone_search_url=phone,
        email_search_url=email,
        opt_out_url=opt_out_url,
        opt_out=opt_out,
        relists=relists,
        note=_text(entry, "note", where),
        slug=slug,
        hints=hints,
        render=render,
        network=network,
        parent=parent,
        privacy_email=privacy_email,
        ca_registry=ca_registry,
    )


def _hints(entry: dict[str, Any], where: str) -> Hints:
    """The entry's ``hints`` table; the older top-level ``record_selector`` and
    ``no_results`` keys are read as the same hints."""
    raw = entry.get("hints")
    if raw is not None and not isinstance(raw, dict):
        raise CheckerInputError(f"{where}: hints must be a table")
    merged = dict(raw or {})
    selector = _text(entry, "record_selector", where)
    if selector:
        merged.setdefault("record", selector)
    phrases = _phrases(entry.get("no_results"), where)
    if phrases:
        merged["no_results"] = [*phrases, *(merged.get("no_results") or [])]
    try:
        return parse_hints(merged or None)
    except HintError as exc:
        raise CheckerInputError(f"{where}: hints.{exc}") from None


def _ownership(entry: dict[str, Any], where: str) -> tuple[str, str, str]:
    """``network`` (an id), ``parent`` (a company name) and ``privacy_email``, all optional."""
    network = _text(entry, "network", where)
    if network and not _ID.match(network):
        raise CheckerInputError(f"{where}: network must be an id like 'peopleconnect'")
    email = _text(entry, "privacy_email", where)
    if email and ("@" not in email or any(ch.isspace() or ord(ch) < 32 for ch in email)):
        raise CheckerInputError(f"{where}: privacy_email is not an address ({email[:60]!r})")
    return network, _text(entry, "parent", where), email
