"""Coverage: how many of a scan's checks got a definite answer, per checker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from exposure.model.findings import Check, Outcome


class CoverageState(StrEnum):
    """How much of one checker's work got a definite answer in one scan."""

    CHECKED = "checked"  # every check it made got a definite answer
    PARTLY = "partly"  # some did, some were blocked or failed
    FAILED = "failed"  # it tried, and not one check got an answer
    SKIPPED = "skipped"  # it did not try (no key, no engine, a private field...)


DEFINITE = (Outcome.FOUND, Outcome.ABSENT)
UNSURE = (Outcome.BLOCKED, Outcome.ERROR)


@dataclass(frozen=True)
class CheckerCoverage:
    """One checker's share of a scan: what it asked, and how much was answered.

    ``attempted`` counts every check that asked a source (found, absent,
    blocked, error); ``skipped`` checks asked nothing and are not attempts.
    ``reasons`` are the distinct details of skipped, blocked and failed checks,
    most common first; ``left_out`` says why the checker did not run at all.
    """

    checker: str
    found: int = 0
    absent: int = 0
    blocked: int = 0
    error: int = 0
    skipped: int = 0
    reasons: tuple[str, ...] = ()
    left_out: str = ""

    @property
    def definite(self) -> int:
        return self.found + self.absent

    @property
    def attempted(self) -> int:
        return self.definite + self.blocked + self.error

    @property
    def ratio(self) -> float | None:
        return self.definite / self.attempted if self.attempted else None

    @property
    def state(self) -> CoverageState:
        if not self.attempted:
            return CoverageState.SKIPPED
        if not self.definite:
            return CoverageState.FAILED
        if self.definite < self.attempted:
            return CoverageState.PARTLY
        return CoverageState.CHECKED

    @property
    def why(self) -> str:
        """Why this checker did not (fully) check: the first reason, or ''."""
        return self.left_out or (self.reasons[0] if self.reasons else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "checker": self.checker,
            "state": self.state.value,
            "checked": self.definite,
            "attempted": self.attempted,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "found": self.found,
            "absent": self.absent,
            "blocked": self.blocked,
            "error": self.error,
            "skipped": self.skipped,
            "reasons": list(self.reasons),
            "left_out": self.left_out,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckerCoverage:
        return cls(
            checker=str(data["checker"]),
            found=int(data.get("found", 0)),
            absent=int(data.get("absent", 0)),
            blocked=int(data.get("blocked", 0)),
            error=int(data.get("error", 0)),
            skipped=int(data.get("skipped", 0)),
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
            left_out=str(data.get("left_out") or ""),
        )


MAX_REASONS = 3  # distinct reasons kept per checker


@dataclass(frozen=True)
class Coverage:
    """A scan's coverage: the checks that got a definite answer out of those attempted.

    A score, a "nothing new" or an all-clear only means something over what
    was checked; below ``min_coverage`` (config, default 0.5) it is unknown.
    """

    checkers: tuple[CheckerCoverage, ...] = ()
    min_coverage: float = 0.5

    @property
    def definite(self) -> int:
        return sum(c.definite for c in self.checkers)

    @property
    def attempted(self) -> int:
        return sum(c.attempted for c in self.checkers)

    @property
    def ratio(self) -> float | None:
        return self.definite / self.attempted if self.attempted else None

    @property
    def sufficient(self) -> bool:
        """Enough got an answer for a score or an all-clear to mean something."""
        return self.ratio is not None and self.ratio >= self.min_coverage

    def checker(self, checker_id: str) -> CheckerCoverage | None:
        return next((c for c in self.checkers if c.checker == checker_id), None)

    def line(self) -> str:
        """``checked 300 of 338 checks (89%)``, or why nothing was."""
        if self.ratio is None:
            return "nothing was checked"
        return f"checked {self.definite} of {self.attempted} checks ({self.ratio:.0%})"

    def reason(self) -> str:
        """Why a score or an all-clear is unknown ('' when it is not)."""
        if self.sufficient:
            return ""
        if self.ratio is None:
            return "nothing could be checked (every checker was skipped)"
        if self.definite == 0:
            return (
                f"no source could be checked (all {self.attempted} checks were blocked "
                "or failed); is the network down?"
            )
        return (
            f"only {self.definite} of {self.attempted} checks got an answer "
            f"({self.ratio:.0%}, below the {self.min_coverage:.0%} needed)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.definite,
            "attempted": self.attempted,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "min_coverage": self.min_coverage,
            "sufficient": self.sufficient,
            "reason": self.reason(),
            "checkers": [c.to_dict() for c in self.checkers],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        return cls(
            checkers=tuple(CheckerCoverage.from_dict(c) for c in data.get("checkers") or ()),
            min_coverage=float(data.get("min_coverage", 0.5)),
        )

    @classmethod
    def from_checks(
        cls,
        checks: Iterable[Check],
        *,
        checkers: Iterable[str] = (),
        left_out: Mapping[str, str] | None = None,
        min_coverage: float = 0.5,
    ) -> Coverage:
        """Count ``checks`` per checker; ``checkers`` that made none and ``left_out`` appear too."""
        counts: dict[str, Counter[Outcome]] = {}
        reasons: dict[str, Counter[str]] = {}
        for name in checkers:
            counts.setdefault(name, Counter())
        for check in checks:
            counts.setdefault(check.checker, Counter())[check.status] += 1
            if check.status not in DEFINITE and check.detail:
                reasons.setdefault(check.checker, Counter())[check.detail] += 1
        left_out = dict(left_out or {})
        for name in left_out:
            counts.setdefault(name, Counter())
        return cls(
            checkers=tuple(
                CheckerCoverage(
                    checker=name,
                    found=n[Outcome.FOUND],
                    absent=n[Outcome.ABSENT],
                    blocked=n[Outcome.BLOCKED],
                    error=n[Outcome.ERROR],
                    skipped=n[Outcome.SKIPPED],
                    reasons=tuple(
                        r for r, _ in reasons.get(name, Counter()).most_common(MAX_REASONS)
                    ),
                    left_out=left_out.get(name, ""),
                )
                for name, n in sorted(counts.items())
            ),
            min_coverage=min_coverage,
        )
