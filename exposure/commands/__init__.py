"""Sub-commands of the ``exposure`` CLI, one module each (see exposure/cli.py)."""

from __future__ import annotations

from types import ModuleType

from exposure.commands import findings, locate, profiles, scan, sources, tui

COMMANDS: tuple[ModuleType, ...] = (profiles, scan, findings, sources, locate, tui)
