"""Fixtures for the TUI tests (the data and helpers live in tui_data.py)."""

from __future__ import annotations

from tui_data import clock, fake_web, make_app, slow_sites  # noqa: F401 - fixtures
