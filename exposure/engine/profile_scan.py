"""The scan every front end runs for a profile: the runner with the hooks that
profile needs (a minor's findings weighted for a child: engine/guardian.py).

The runner (engine/scan.py) knows nothing of guardian mode; the CLI, cron's
headless rescans and the TUI all start a scan here, so none of them can forget
the child's weighting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, NotRequired, TypedDict, Unpack

from exposure.engine.guardian import result_hooks
from exposure.engine.scan import ScanEvent, ScanOptions, run_scan

if TYPE_CHECKING:
    from exposure.checkers.base import Checker
    from exposure.config import Config
    from exposure.engine.store import Store
    from exposure.model import Profile

__all__ = ["ScanArgs", "scan_profile"]


class ScanArgs(TypedDict):
    """What :func:`~exposure.engine.scan.run_scan` takes besides the profile, the
    checkers and the hooks."""

    store: Store
    config: Config
    options: NotRequired[ScanOptions | None]
    cancel: NotRequired[threading.Event | None]


def scan_profile(
    profile: Profile, checkers: list[Checker], **args: Unpack[ScanArgs]
) -> Iterator[ScanEvent]:
    """:func:`~exposure.engine.scan.run_scan` for ``profile`` with its result hooks."""
    return run_scan(profile, checkers, hooks=result_hooks(profile), **args)
