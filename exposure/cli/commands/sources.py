"""``exposure sources``: list, validate and update the username-site catalogues.

* ``list`` shows the catalogue a scan would use (bundled, or ``--sites FILE``)
  and the cached WhatsMyName copy, with site and category counts.
* ``validate FILE`` loads a WhatsMyName or Sherlock file the way a scan would
  and says what it loaded and what it skipped, and why. Exit 2 when unusable.
* ``update`` downloads the current WhatsMyName catalogue, validates it, and
  only then replaces the cached copy (atomically): a failed or bad download
  leaves the old copy as it was and exits 1 with one line saying why.

Catalogue text is downloaded or user-supplied, so whatever of it reaches the
terminal goes through :func:`exposure.textsafe.clean`.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from exposure.cli.commands._options import add_format
from exposure.textsafe import json_text

DEFAULT_UPDATE_URL = "https://raw.githubusercontent.com/WebBreacher/WhatsMyName/main/wmn-data.json"
DEFAULT_MAIGRET_URL = (
    "https://raw.githubusercontent.com/soxoj/maigret/main/maigret/resources/data.json"
)
CACHE_NAME = "wmn-data.json"
MAIGRET_CACHE_NAME = "maigret-data.json"
FORMAT_NAMES = {"wmn": "WhatsMyName", "sherlock": "Sherlock", "maigret": "Maigret"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sources", help="list, validate or update the username-site catalogues")
    p.set_defaults(run=lambda args: _usage(p))
    actions = p.add_subparsers(dest="sources_command", metavar="ACTION")

    ls = actions.add_parser(
        "list", help="show the site catalogues, and what each checker asks whom"
    )
    ls.add_argument("--sites", type=Path, metavar="FILE", help="show this catalogue instead")
    add_format(ls, "text", "json")
    ls.set_defaults(run=run_list)

    val = actions.add_parser(
        "validate", help="check a WhatsMyName, Sherlock or Maigret catalogue file"
    )
    val.add_argument("file", type=Path, metavar="FILE")
    add_format(val, "text", "json")
    val.set_defaults(run=run_validate)

    up = actions.add_parser(
        "update", help="download the current WhatsMyName (or Maigret) catalogue"
    )
    up.add_argument(
        "--maigret",
        action="store_true",
        help="download Maigret's site database instead ([checkers.sites] maigret_url); "
        "use it with scan --sites FILE",
    )
    up.set_defaults(run=run_update)

    from exposure.cli.commands import sources_check

    sources_check.register(actions)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch (the sub-parsers set ``args.run`` to the action's function)."""
    return int(args.run(args))


def cache_path(name: str = CACHE_NAME) -> Path:
    from exposure import paths

    return paths.current().cache_dir / name


def _clean(text: object) -> str:
    from exposure.textsafe import clean

    return clean(text, limit=300)


def _summary(label: str, path: Path) -> dict[str, Any]:
    """One catalogue's description, or its one-line problem under ``error``."""
    from exposure.catalogues.sites import load_catalogue
    from exposure.checkers.base import CheckerInputError

    info: dict[str, Any] = {"label": label, "path": str(path)}
    try:
        cat = load_catalogue(path)
    except CheckerInputError as exc:
        info["error"] = _clean(exc)
        return info
    info.update(
        format=cat.format,
        sites=len(cat.sites),
        skipped=len(cat.skipped),
        categories={_clean(k): v for k, v in cat.categories().items()},
    )
    if label == "cached":
        mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        info["updated_at"] = mtime.strftime("%Y-%m-%dT%H:%M:%SZ")
    return info


def run_list(args: argparse.Namespace) -> int:
    from exposure.catalogues.sites import default_path
    from exposure.errors import UsageError

    if args.sites is not None:
        chosen = _summary("file", args.sites)
        if "error" in chosen:
            raise UsageError(chosen["error"])
    else:
        chosen = _summary("bundled", default_path())
    catalogues = [chosen]
    for cached in (cache_path(), cache_path(MAIGRET_CACHE_NAME)):
        if cached.exists():
            catalogues.append(_summary("cached", cached))
    checkers = _checkers()
    if args.format == "json":
        print(json_text({"catalogues": catalogues, "checkers": checkers}, indent=2))
    else:
        for info in catalogues:
            _print_summary(info)
        _print_checkers(checkers)
    return 1 if any("error" in info for info in catalogues) else 0


def _checkers() -> list[dict[str, Any]]:
    """Each installed checker: whom it asks, and whether it could notify anyone."""
    from exposure.checkers.base import load_registry

    registry = load_registry()
    return [
        {"id": cid, "title": cls.title, "noisy": cls.noisy, "lookup": cls.lookup}
        for cid, cls in sorted(registry.checkers.items())
    ]


def _print_checkers(checkers: list[dict[str, Any]]) -> None:
    print()
    print("checkers and what their requests are (a passive one notifies no one)")
    width = max((len(c["id"]) for c in checkers), default=0)
    for c in checkers:
        kind = "NOISY, runs only when named:" if c["noisy"] else "passive:"
        text = f"{kind} {c['lookup'] or c['title']}"
        lines = textwrap.wrap(text, 96 - width, break_on_hyphens=False) or [""]
        print(f"  {c['id']:<{width}}  {lines[0]}")
        for more in lines[1:]:
            print(f"  {'':<{width}}  {more}")


def _print_summary(info: dict[str, Any]) -> None:
    label = info["label"]
    if "error" in info:
        print(f"{label:<8} unusable: {info['error']}")
        return
    when = f"  (updated {info['updated_at']})" if "updated_at" in info else ""
    print(
        f"{label:<8} {FORMAT_NAMES.get(info['format'], info['format'])}: "
        f"{info['sites']} sites, {info['skipped']} skipped  {info['path']}{when}"
    )
    cats = ", ".join(f"{name} {count}" for name, count in info["categories"].items())
    if cats:
        print(f"{'':<8} {cats}")


def run_validate(args: argparse.Namespace) -> int:
    from exposure.catalogues.sites import load_catalogue

    cat = load_catalogue(args.file)
    skipped = [{"name": _clean(s.name), "reason": _clean(s.reason)} for s in cat.skipped]
    if args.format == "json":
        doc = {
            "path": str(args.file),
            "format": cat.format,
            "sites": len(cat.sites),
            "skipped": skipped,
            "categories": {_clean(k): v for k, v in cat.categories().items()},
        }
        print(json_text(doc, indent=2))
        return 0
    print(
        f"{args.file}: {FORMAT_NAMES[cat.format]} catalogue, "
        f"{len(cat.sites)} sites loaded, {len(skipped)} skipped"
    )
    for entry in skipped:
        print(f"  skipped {entry['name']}: {entry['reason']}")
    return 0


def run_update(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.catalogues.sites import FORMAT_MAIGRET, FORMAT_WMN, parse_catalogue
    from exposure.checkers.base import CheckerInputError
    from exposure.config import load_current
    from exposure.errors import ExposureError

    config = load_current()  # ConfigError: exit 2
    options = config.checker("sites")
    if args.maigret:
        url = str(options.get("maigret_url") or DEFAULT_MAIGRET_URL)
        wanted, target = FORMAT_MAIGRET, cache_path(MAIGRET_CACHE_NAME)
    else:
        url = str(options.get("update_url") or DEFAULT_UPDATE_URL)
        wanted, target = FORMAT_WMN, cache_path()
    body = _download(url, config)
    try:
        cat = parse_catalogue(body, url)
    except CheckerInputError as exc:
        raise ExposureError(f"downloaded catalogue rejected, cache kept: {_clean(exc)}") from None
    if cat.format != wanted:
        raise ExposureError(f"{url}: not a {FORMAT_NAMES[wanted]} catalogue, cache kept")
    paths.write_private(target, body)
    print(
        f"updated the {FORMAT_NAMES[wanted]} catalogue: {len(cat.sites)} sites, "
        f"{len(cat.skipped)} skipped -> {target}"
    )
    if not args.maigret:
        _update_deletion_links(config)
    return 0


# -- JustDeleteMe (account-deletion links for the checklist) -------------------------------


def _update_deletion_links(config: Any) -> None:
    """Download JustDeleteMe's sites.json into the cache (``[checkers.sites] jdm_url``).

    Optional enrichment: the checklist works without it (generic steps), so a
    failure is one warning line on stderr, keeps the old copy, and does not
    change the exit status the username catalogue earned.
    """

    from exposure import paths
    from exposure.catalogues.accounts import (
        DEFAULT_JDM_URL,
        AccountsDataError,
        parse_accounts,
    )
    from exposure.catalogues.accounts import cache_path as jdm_cache_path
    from exposure.errors import ExposureError

    url = str(config.checker("sites").get("jdm_url") or DEFAULT_JDM_URL)
    try:
        body = _download(url, config)
        accounts = parse_accounts(body, url)
    except (ExposureError, AccountsDataError) as exc:
        print(
            f"exposure: warning: deletion links not updated, cache kept: {_clean(exc)}",
            file=sys.stderr,
        )
        return
    target = jdm_cache_path()
    paths.write_private(target, body)
    print(f"updated the JustDeleteMe deletion links: {len(accounts.entries)} sites -> {target}")


def _download(url: str, config: Any) -> bytes:
    """The catalogue's bytes, or an ExposureError (exit 1) saying in one line why not."""
    from exposure.errors import ExposureError
    from exposure.net import http

    client = http.HttpClient(http.settings_from(config.http))
    try:
        resp = client.request("GET", url, respect_robots=False)
    except http.FetchError as exc:
        reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        raise ExposureError(f"could not download {url}: {_clean(reason)}") from None
    finally:
        client.close()
    if resp.status != 200:
        raise ExposureError(f"could not download {url}: HTTP {resp.status}")
    return bytes(resp.body)
