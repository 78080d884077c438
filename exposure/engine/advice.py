"""Our advice texts (``data/advice.toml``): baseline items and per-kind step templates.

Templates are ours; the values filled into them may be scraped (broker names,
URLs), so :func:`fill` never re-reads a filled value as a template.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exposure.errors import UsageError

_SLUG = re.compile(r"[^a-z0-9]+")


class AdviceError(UsageError):
    """advice.toml is unusable (ours, so this is a packaging bug)."""


@dataclass(frozen=True)
class Advice:
    """Our advice texts: baseline items and per-kind step templates."""

    data: Mapping[str, Any]

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def text(self, section: str, key: str, **values: object) -> str:
        return fill(str(self.section(section).get(key, "")), **values)

    def steps(self, section: str, **values: object) -> list[str]:
        return [fill(str(s), **values) for s in self.section(section).get("steps", [])]

    def baseline(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("baseline", []))


def load_advice(path: Path | None = None) -> Advice:
    from exposure import paths

    path = path or paths.bundled_data() / "advice.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AdviceError(f"{path}: {exc}") from None
    for n, item in enumerate(data.get("baseline", [])):
        if not (
            isinstance(item, dict)
            and item.get("id")
            and item.get("title")
            and isinstance(item.get("steps"), list)
        ):
            raise AdviceError(f"{path}: baseline item {n + 1} needs id, title and steps")
    return Advice(data)


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: object) -> str:
    """``template`` (ours) with ``{name}`` placeholders filled; unknown ones kept."""
    return template.format_map(_Blank({k: "" if v is None else v for k, v in values.items()}))


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "unnamed"
