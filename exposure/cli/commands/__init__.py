"""Sub-commands of the ``exposure`` CLI, one module each (see exposure/cli.py).

Every module in this package that defines ``register`` is a command; a new
command is one new file. ``ORDER`` fixes how the main ones are listed in
``exposure --help``; the rest follow alphabetically.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

ORDER = (
    "profiles",
    "scan",
    "findings",
    "checklist",
    "request",
    "evidence",
    "report",
    "password",
    "sources",
    "schedule",
    "demo",
    "tui",
    "locate",
)


def _discover() -> tuple[ModuleType, ...]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    modules = [importlib.import_module(f"{__name__}.{n}") for n in names]
    return tuple(m for m in modules if hasattr(m, "register"))


COMMANDS: tuple[ModuleType, ...] = _discover()
