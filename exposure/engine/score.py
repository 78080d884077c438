"""The exposure score: one number, 0–100, per scan, so progress can be drawn.

The formula (documented here because reports and the TUI show it)::

    weight(f) = confidence(f) * (KIND_WEIGHT[kind] + sum(FIELD_WEIGHT[field]
                                                        for field exposed by f))
    score     = 100 * (1 - exp(-sum(weight(f) for current findings) / K))

with ``K = 30``. It saturates: the first records about a person raise it
quickly, the hundredth barely moves it, and it never passes 100. What a
finding exposes weighs more than its kind, in the order the harm goes:
home address (10) > phone (6) > email (3) > relatives (3) > age (2) >
username (1). A single people-search record showing an address, a phone and
an email weighs 4 + 10 + 6 + 3 = 23, a score of about 54 on its own.

"Current findings" are those not ``gone`` when the scan ends, at or above the
confidence threshold, that the person has not marked "not me". A source that
was blocked proves nothing, so its earlier findings still count (they are not
gone), which keeps the score from dropping because a site refused us.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from exposure.model import ChangePassword, Coverage, Exposes, Finding, FindingKind, Whose

if TYPE_CHECKING:
    from exposure.engine.store import Store

K = 30.0

FIELD_WEIGHT: dict[Exposes, float] = {
    Exposes.HOME_ADDRESS: 10.0,
    Exposes.PHONE: 6.0,
    Exposes.EMAIL: 3.0,
    Exposes.RELATIVES: 3.0,
    Exposes.AGE: 2.0,
    Exposes.USERNAME: 1.0,
}

KIND_WEIGHT: dict[FindingKind, float] = {
    FindingKind.PERSON_RECORD: 4.0,
    FindingKind.LINKED_RECORD: 2.0,
    FindingKind.BREACH: 6.0,
    FindingKind.PASSWORD: 8.0,
    FindingKind.ACCOUNT: 1.0,  # plus 4 when nobody knows whose it is (an impostor?)
    FindingKind.PUBLIC_KEY: 1.0,
    FindingKind.PROFILE: 1.0,
    FindingKind.SEARCH_RESULT: 1.0,
}
UNCLAIMED_ACCOUNT_EXTRA = 4.0
BREACHED_PASSWORD_EXTRA = 4.0


def finding_weight(finding: Finding) -> float:
    """One finding's contribution before saturation (see the module docstring)."""
    weight = KIND_WEIGHT.get(finding.kind, 1.0)
    if finding.kind is FindingKind.ACCOUNT and finding.whose is Whose.UNKNOWN:
        weight += UNCLAIMED_ACCOUNT_EXTRA
    remedy = finding.remedy
    if isinstance(remedy, ChangePassword) and remedy.leaked_passwords:
        weight += BREACHED_PASSWORD_EXTRA
    weight += sum(FIELD_WEIGHT[f] for f in finding.exposes)
    return max(0.0, min(1.0, finding.confidence)) * weight


def exposure_score(findings: Iterable[Finding]) -> float:
    """0–100, rounded to one decimal: ``100 * (1 - exp(-total / K))``."""
    total = sum(finding_weight(f) for f in findings)
    return round(100.0 * (1.0 - math.exp(-total / K)), 1)


def current_findings(store: Store, profile: str, threshold: float = 0.0) -> list[Finding]:
    """The findings that count now: not gone, at or above ``threshold``, not "not me"."""
    return store.findings(profile, min_confidence=threshold, include_gone=False)


def score_scan(store: Store, profile: str, scan_id: int, threshold: float = 0.0) -> float:
    """Compute the score as it stands after scan ``scan_id`` and store it with that scan."""
    score = exposure_score(current_findings(store, profile, threshold))
    store.set_score(scan_id, score)
    return score


MEANING = "0–100, higher = more exposed"


def score_words(score: float | None, coverage: Coverage | None) -> str:
    """``42.0 / 100 (0–100, higher = more exposed)``, or ``unknown: <why>``.

    The one wording every front end uses, so an unknown score never reads as 0.
    """
    if score is not None:
        return f"{score:.1f} / 100 ({MEANING})"
    why = coverage.reason() if coverage is not None else ""
    return f"unknown: {why}" if why else "not computed yet"
