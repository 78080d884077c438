"""The sites a self-check found broken (``exposure sources check --write-disabled``).

The list is ours, not the catalogue's: the shipped and downloaded catalogues
are never edited. Scans skip the sites it names. The file is JSON::

    {"written_at": "...", "catalogue": "...", "sites": [{"name": "...", "reason": "..."}]}

By default it lives in the data folder (``sites-disabled.json``); ``[checkers.sites]
disabled_file`` points scans at another one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from exposure.catalogues.files import CatalogueMissing, parse_json, read_catalogue
from exposure.errors import CheckerInputError

log = logging.getLogger(__name__)

FILE_NAME = "sites-disabled.json"
MAX_BYTES = 8 * 1024 * 1024


def default_path() -> Path:
    from exposure import paths

    return paths.current().data_dir / FILE_NAME


def load_disabled(path: str | Path | None = None) -> set[str]:
    """Lower-cased names of the sites to skip; an absent file is an empty list.

    A file that can't be read is reported once in the log and treated as empty:
    a broken skip list must not stop a scan, and skipping nothing is the safe side.
    """
    where = Path(path).expanduser() if path else default_path()
    try:
        data = parse_json(read_catalogue(where, "a disabled-sites list", MAX_BYTES), str(where))
    except CatalogueMissing:
        return set()
    except CheckerInputError as exc:
        log.warning("%s; ignoring the disabled-sites list", exc)
        return set()
    try:
        sites = data["sites"] if isinstance(data, dict) else None
        names = {str(s["name"]).lower() for s in sites} if isinstance(sites, list) else None
    except (KeyError, TypeError):
        names = None
    if names is None:
        log.warning("%s: not a disabled-sites list; ignoring it", where)
        return set()
    return names


def write_disabled(path: Path, catalogue: str, failed: Iterable[tuple[str, str]]) -> None:
    """Write the list atomically (a temporary file in the same folder, then a rename)."""
    doc = {
        "written_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "catalogue": catalogue,
        "sites": [{"name": name, "reason": reason} for name, reason in failed],
    }
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=".sites-disabled-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, indent=1, ensure_ascii=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
