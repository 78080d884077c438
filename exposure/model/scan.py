"""A scan as the CLI reports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from exposure.model.clock import iso
from exposure.model.coverage import Coverage
from exposure.model.findings import Check, Finding


@dataclass
class ScanSummary:
    """A finished (or interrupted) scan, as the CLI reports it."""

    profile: str
    scan_id: int
    started_at: datetime
    finished_at: datetime | None
    state: str  # running | finished | interrupted | failed | by hand (engine/hand_check.py)
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    coverage: Coverage | None = None  # None: not recorded (a scan from before coverage)
    score: float | None = None  # None: unknown (too little checked) or not computed

    def to_dict(self) -> dict[str, Any]:
        coverage = self.coverage
        return {
            "profile": self.profile,
            "scan_id": self.scan_id,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "state": self.state,
            "coverage": coverage.to_dict() if coverage else None,
            "score": {
                "value": self.score,
                "known": self.score is not None,
                "reason": coverage.reason() if coverage else "",
            },
            "checks": [c.to_dict() for c in self.checks],
            "findings": [f.to_dict() for f in self.findings],
        }
