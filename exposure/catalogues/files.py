"""One loader for catalogue files: read with a size cap, parse JSON or TOML, one-line errors.

Catalogues (sites, brokers, JustDeleteMe accounts, the disabled-sites list)
are files a person may point exposure at, or that a download left in the
cache. Each one is read here: a missing, unreadable or oversized file, bytes
that are not text, and JSON or TOML that does not parse (nested thousands
deep included) are a :class:`~exposure.errors.CheckerInputError` naming the
file, never a traceback. What a catalogue's entries must look like stays
with its own module.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from exposure.errors import CheckerInputError

# A catalogue bigger than this is refused before it is parsed: the largest
# community catalogue (Maigret's) is under 3 MB, and parsing 100 MB of JSON
# would take a gigabyte of memory.
MAX_CATALOGUE_BYTES = 32 * 1024 * 1024


class CatalogueMissing(CheckerInputError):
    """There is no such file (optional catalogues, a cache, take this as "none")."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its type's name."""
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def read_catalogue(where: Path, what: str, limit: int | None = None) -> bytes:
    """The bytes of ``where``, at most ``limit`` (default :data:`MAX_CATALOGUE_BYTES`).

    ``what`` names the kind of file in the error when it is too big.
    """
    limit = MAX_CATALOGUE_BYTES if limit is None else limit
    try:
        with where.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise CatalogueMissing(f"{where}: no such file") from None
    except OSError as exc:
        raise CheckerInputError(f"{where}: cannot read it ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise CheckerInputError(f"{where}: too big for {what} (over {limit / 2**20:g} MiB)")
    return raw


def parse_json(raw: bytes | str, source: str) -> Any:
    """``raw`` parsed as JSON; ``source`` names it in the error."""
    try:
        return json.loads(raw)
    except RecursionError:  # "[[[[..." thousands deep
        raise CheckerInputError(f"{source}: not valid JSON (nested too deeply)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CheckerInputError(f"{source}: not valid JSON ({first_line(exc)})") from None


def parse_toml(text: str, source: str) -> Any:
    """``text`` parsed as TOML; ``source`` names it in the error."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise CheckerInputError(f"{source}: not valid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as exc:
        raise CheckerInputError(f"{source}: not valid TOML ({first_line(exc)})") from None
