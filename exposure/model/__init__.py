"""Plain data classes shared by every part of exposure.

Nothing here does I/O. Checkers produce :class:`Check` and :class:`Finding`
objects; the store persists them; reports and the TUI read them back.

One module per family (clock, remedies, profile, evidence, findings,
coverage, scan, checklist); every name is importable from ``exposure.model``.
"""

from exposure.model.checklist import (
    ChecklistItem,
    ItemGroup,
    RequestKind,
    RequestState,
    RequestStatus,
)
from exposure.model.clock import iso, utcnow
from exposure.model.coverage import (
    DEFINITE,
    MAX_REASONS,
    UNSURE,
    CheckerCoverage,
    Coverage,
    CoverageState,
)
from exposure.model.evidence import Capture, CaptureMethod, Evidence
from exposure.model.findings import (
    Check,
    ChildNotes,
    Exposes,
    Finding,
    FindingFacts,
    FindingKind,
    Outcome,
    Severity,
    Whose,
)
from exposure.model.profile import Profile
from exposure.model.remedies import (
    AccountAction,
    AskToRemove,
    BrokerOptOut,
    ChangePassword,
    Remedy,
    ReplacePassword,
)
from exposure.model.scan import ScanSummary

__all__ = [
    "DEFINITE",
    "MAX_REASONS",
    "UNSURE",
    "AccountAction",
    "AskToRemove",
    "BrokerOptOut",
    "Capture",
    "CaptureMethod",
    "ChangePassword",
    "Check",
    "CheckerCoverage",
    "ChecklistItem",
    "ChildNotes",
    "Coverage",
    "CoverageState",
    "Evidence",
    "Exposes",
    "ItemGroup",
    "Finding",
    "FindingFacts",
    "FindingKind",
    "Outcome",
    "Profile",
    "Remedy",
    "ReplacePassword",
    "RequestKind",
    "RequestState",
    "RequestStatus",
    "ScanSummary",
    "Severity",
    "Whose",
    "iso",
    "utcnow",
]
