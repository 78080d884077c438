"""What a scan failed to check, said as problems a person (or cron's mail) must see.

Coverage itself is plain data (:class:`exposure.model.Coverage`, recorded per
scan by the runner). This module holds the one rule for when a scan's silence
would mislead: a scheduled scan that checked too little, lost a checker that
ran last time, or had a whole checker fail must say so on stderr, even with
``--quiet``/``--new-only``, and exit 1 unless something new was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from exposure.model import Coverage, CoverageState

if TYPE_CHECKING:
    from exposure.engine.store import Store


class ProblemKind(StrEnum):
    LOW_COVERAGE = "low_coverage"  # below min_coverage: nothing here is an all-clear
    NEWLY_SKIPPED = "newly_skipped"  # ran in the previous scan, skipped in this one
    CHECKER_FAILED = "checker_failed"  # tried, and not one of its checks got an answer


@dataclass(frozen=True)
class CoverageProblem:
    kind: ProblemKind
    checker: str  # '' for the scan as a whole
    why: str  # the reason as recorded (a check's detail, a left-out reason)

    def message(self, who: str) -> str:
        """One line for stderr; ``who`` names the profile ("jane", "Sam's profile")."""
        because = f": {self.why}" if self.why else ""
        if self.kind is ProblemKind.LOW_COVERAGE:
            return f"the scan of {who} is not an all-clear: {self.why}"
        if self.kind is ProblemKind.NEWLY_SKIPPED:
            return f"{self.checker} ran in the previous scan of {who} but was skipped now{because}"
        return f"every {self.checker} check for {who} was blocked or failed{because}"


def problems(current: Coverage, previous: Coverage | None = None) -> list[CoverageProblem]:
    """What is wrong with ``current``'s coverage, compared with the previous scan's."""
    out: list[CoverageProblem] = []
    if not current.sufficient:
        out.append(CoverageProblem(ProblemKind.LOW_COVERAGE, "", current.reason()))
    for checker in current.checkers:
        if checker.state is CoverageState.FAILED:
            out.append(CoverageProblem(ProblemKind.CHECKER_FAILED, checker.checker, checker.why))
        elif checker.state is CoverageState.SKIPPED and previous is not None:
            before = previous.checker(checker.checker)
            if before is not None and before.attempted:
                out.append(CoverageProblem(ProblemKind.NEWLY_SKIPPED, checker.checker, checker.why))
    return out


def previous_coverage(store: Store, profile: str, scan_id: int) -> Coverage | None:
    """The coverage of the profile's last scan before ``scan_id`` (None when there is none)."""
    earlier = [s for s in store.scans(profile) if s.scan_id < scan_id]
    if not earlier:
        return None
    return store.coverage(earlier[-1].scan_id)
