"""``exposure tui``: open the terminal UI (needs the ``tui`` extra)."""

from __future__ import annotations

import argparse

from exposure.errors import ExposureError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tui", help="open the terminal UI")
    p.add_argument("--profile", help="open on this profile")
    p.set_defaults(run=lambda args: open_app(args.profile))


def open_app(profile: str | None) -> int:
    try:
        from exposure.tui.app import run_app
    except ImportError:
        raise ExposureError(
            "the terminal UI is not available in this version; use `exposure --help`"
        ) from None
    return int(run_app(profile))
