"""Record a check made by hand: a page the person saved (import) or read in a window (assist).

A hand check is recorded as a scan of its own, in state ``by hand``, with
the one source's check and findings, in **one transaction**: either all of it
is kept or none (a capture that cannot be written undoes the lot). So:

* the checklist (which reads each source's checks from the latest scan that
  checked it) sees the source as checked, and its "check by hand" item goes;
* the coverage recorded with it is the latest real scan's, with this source's
  blocked or failed checks replaced by the hand check's answer (and any
  earlier hand checks since) — a source checked by hand counts as checked;
* a hand check never marks a finding ``gone`` (one page is not a scan of the
  source's every search): the next full scan decides that.

Public API:

    BY_HAND = "by hand"   # the scan state
    record_hand_check(store, profile, checker, result, config) -> HandCheck
    effective_coverage(store, profile, min_coverage) -> Coverage | None
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from exposure.errors import ExposureError
from exposure.model import Check, Coverage, Finding, ScanSummary

if TYPE_CHECKING:
    from exposure.checkers.base import TaskResult
    from exposure.config import Config
    from exposure.engine.store import Store

log = logging.getLogger(__name__)

BY_HAND = "by hand"


class NotRecorded(ExposureError):
    """The hand check could not be kept whole, so none of it was (one line)."""


@dataclass(frozen=True)
class HandCheck:
    summary: ScanSummary
    checks: tuple[Check, ...]
    findings: tuple[Finding, ...]


def record_hand_check(
    store: Store, profile: str, checker: str, result: TaskResult, config: Config
) -> HandCheck:
    """Keep ``result`` (one source's checks and findings) as a hand check, all or nothing.

    The caller holds the profile's scan lock (engine/locking.py).
    """
    missing_before = store.captures_missing
    with store.batch():
        summary = store.begin_scan(profile, [checker])
        for check in result.checks:
            store.record_check(summary.scan_id, check)
        findings = [store.record_finding(summary.scan_id, profile, f) for f in result.findings]
        if store.captures_missing != missing_before:
            raise NotRecorded("the page could not be kept as evidence (disk?); nothing recorded")
        final = store.finish_scan(summary, BY_HAND)
        coverage = effective_coverage(store, profile, config.min_coverage)
        score = None
        if coverage is not None:
            store.set_coverage(final.scan_id, coverage)
            if coverage.sufficient:
                from exposure.engine.score import score_scan

                score = score_scan(store, profile, final.scan_id, config.confidence_threshold)
    final = replace(
        final,
        checks=list(result.checks),
        findings=findings,
        coverage=coverage,
        score=score,
    )
    return HandCheck(final, tuple(result.checks), tuple(findings))


def effective_checks(store: Store, profile: str) -> tuple[list[Check], list[str], dict[str, str]]:
    """The latest real scan's checks with later hand checks' sources replaced by theirs.

    Also the checkers that scan ran and why others were left out (from its coverage).
    """
    scans = store.scans(profile)
    base = max((i for i, s in enumerate(scans) if s.state != BY_HAND), default=-1)
    checks: list[Check] = []
    checkers: list[str] = []
    left_out: dict[str, str] = {}
    if base >= 0:
        checks = store.checks(scans[base].scan_id)
        recorded = scans[base].coverage
        if recorded is not None:
            checkers = [c.checker for c in recorded.checkers]
            left_out = {c.checker: c.left_out for c in recorded.checkers if c.left_out}
    for hand in scans[base + 1 :]:
        own = store.checks(hand.scan_id)
        keys = {(c.checker, c.source) for c in own}
        checks = [c for c in checks if (c.checker, c.source) not in keys] + own
        for c in own:
            left_out.pop(c.checker, None)
            if c.checker not in checkers:
                checkers.append(c.checker)
    return checks, checkers, left_out


def effective_coverage(store: Store, profile: str, min_coverage: float) -> Coverage | None:
    """What is checked now, counting hand checks; None before any scan or hand check."""
    if not store.scans(profile):
        return None
    checks, checkers, left_out = effective_checks(store, profile)
    return Coverage.from_checks(
        checks, checkers=checkers, left_out=left_out, min_coverage=min_coverage
    )
