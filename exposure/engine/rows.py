"""Reading the store's rows when another program may have written them.

SQLite keeps whatever a writer gives it: text in a REAL column, a blob where
a time belongs, NULLs once a table was rebuilt without its constraints. The
store reads every column through these helpers, so such a row is either read
(a NULL in a text or list column is empty) or refused with
:class:`DamagedRow`: one line naming the database, the table, the row and the
column (``Store``'s ``DamagedRow``), never a traceback from somewhere far from
the row.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

from exposure.textsafe import clean

E = TypeVar("E", bound=Enum)


class Odd(ValueError):
    """One column's value is not what exposure writes there (the message names it)."""


def _show(value: object) -> str:
    return clean(repr(value), limit=60)


def text(row: sqlite3.Row, column: str) -> str:
    """A text column; NULL is empty, a number is written out, a blob is refused."""
    value = row[column]
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise Odd(f"{column} holds {_show(value)}, not text")


def required(row: sqlite3.Row, column: str) -> str:
    """A text column that must not be empty (an id, a kind, a status)."""
    out = text(row, column)
    if not out:
        raise Odd(f"{column} is empty")
    return out


def number(row: sqlite3.Row, column: str, *, optional: bool = False) -> float | None:
    value = row[column]
    if value is None and optional:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise Odd(f"{column} holds {_show(value)}, not a number")


def integer(row: sqlite3.Row, column: str, *, optional: bool = False) -> int | None:
    value = row[column]
    if value is None and optional:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise Odd(f"{column} holds {_show(value)}, not a whole number")


def time(
    row: sqlite3.Row, column: str, *, optional: bool = False, as_entered: bool = False
) -> datetime | None:
    """An ISO 8601 time; NULL or empty is None when ``optional``.

    In UTC, or with the offset it was written with when ``as_entered``.
    """
    value = row[column]
    if value in (None, "") and optional:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return moment if as_entered else moment.astimezone(UTC)
    raise Odd(f"{column} holds {_show(value)}, not a time")


def day(row: sqlite3.Row, column: str) -> date | None:
    """A calendar day (YYYY-MM-DD); NULL or empty is None."""
    value = row[column]
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise Odd(f"{column} holds {_show(value)}, not a day")


def member(row: sqlite3.Row, column: str, kind: type[E]) -> E:
    value = row[column]
    try:
        return kind(value)
    except ValueError:
        raise Odd(f"{column} holds {_show(value)}, not one of exposure's values") from None


def choice(row: sqlite3.Row, column: str, allowed: tuple[str, ...]) -> str:
    value = text(row, column)
    if value not in allowed:
        raise Odd(f"{column} holds {_show(row[column])}, not one of {', '.join(allowed)}")
    return value


def _json(row: sqlite3.Row, column: str) -> Any:
    value = row[column]
    if value is None or value == "":
        return None
    if not isinstance(value, str | bytes):
        raise Odd(f"{column} holds {_show(value)}, not JSON")
    try:
        return json.loads(value)
    except ValueError:
        raise Odd(f"{column} holds {_show(value)}, not JSON") from None


def strings(row: sqlite3.Row, column: str) -> list[str]:
    """A JSON list of strings; NULL is an empty list."""
    value = _json(row, column)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Odd(f"{column} holds {_show(row[column])}, not a JSON list")
    return [v if isinstance(v, str) else json.dumps(v) for v in value]


def mapping(row: sqlite3.Row, column: str) -> dict[str, Any]:
    """A JSON object; NULL is an empty one."""
    value = _json(row, column)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Odd(f"{column} holds {_show(row[column])}, not a JSON object")
    return value


def blob_text(row: sqlite3.Row, column: str) -> str | None:
    """A column msgspec decodes (text or bytes); anything else is None's business."""
    value = row[column]
    if value is None or isinstance(value, str | bytes):
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    raise Odd(f"{column} holds {_show(value)}, not JSON")
