"""A checklist item's status across rescans, from what the person said and what scans saw.

See the cycle in :mod:`exposure.engine.checklist`: open → done → verified,
and relisted when a covered finding is seen again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from exposure.model import ChecklistItem, Finding, iso

STATUSES = ("open", "done", "verified", "relisted")


@dataclass(frozen=True)
class Resolved:
    status: str
    changed: bool  # a transition the store must remember


def resolve(stored: tuple[str, datetime] | None, covered: list[Finding]) -> Resolved:
    """The item's status now, from what the person said and what scans saw (pure)."""
    status, since = stored if stored else ("open", None)
    if not covered:  # baseline and "check by hand" items: only the person decides
        return Resolved("done" if status in ("done", "verified") else "open", False)
    all_gone = all(f.status == "gone" for f in covered)
    if status == "verified":
        if not all_gone:
            return Resolved("relisted", True)
        return Resolved("verified", False)
    if (
        status == "done"
        and since is not None
        and any(
            f.status == "back" and f.last_seen is not None and f.last_seen > since for f in covered
        )
    ):
        return Resolved("relisted", True)
    if all_gone:
        return Resolved("verified", True)
    return Resolved(status if status in STATUSES else "open", False)


def apply_state(
    items: list[ChecklistItem],
    findings: Mapping[str, Finding],
    state: Mapping[str, tuple[str, datetime]],
) -> dict[str, str]:
    """Set each item's status and date (folded members' too); return the transitions to
    persist (id -> status)."""
    transitions: dict[str, str] = {}
    for item in (one for top in items for one in top.walk()):
        covered = [findings[fid] for fid in item.finding_ids if fid in findings]
        stored = state.get(item.id)
        result = resolve(stored, covered)
        item.status = result.status
        item.changed_at = stored[1] if stored else None
        if result.changed:
            transitions[item.id] = result.status
        if item.status == "done" and covered and any(f.status != "gone" for f in covered):
            last = max((f.last_seen for f in covered if f.last_seen), default=None)
            if last is not None and stored and last > stored[1]:
                item.steps.append(
                    f"Still listed at the last scan ({iso(last)}): removals take time; "
                    "if it stays, repeat the request."
                )
    return transitions
