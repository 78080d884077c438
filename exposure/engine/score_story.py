"""What a score means and what moved it, in words a person can read.

The score saturates (``engine/score.py``): once a person has many findings,
removing one barely moves it, and progress would be invisible. So beside the
number this tells

- what it means (``score.MEANING``, in ``score.score_words``: higher = more exposed);
- its change since the scan before, and how much of it the removals made:
  "−12 since Spokeo no longer shows you" (findings seen in the scan before
  and ``gone`` now);
- when it is saturated, what lies under it: the counts by kind and the total
  weight, which keep going down as things are removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exposure.engine.score import current_findings, exposure_score, finding_weight
from exposure.model import BrokerOptOut, Finding, FindingKind

if TYPE_CHECKING:
    from exposure.engine.store import Store
    from exposure.model import ScanSummary

# At or above this the score is saturated: show what lies under it.
SATURATED = 90.0

_NOUNS: dict[FindingKind, tuple[str, str]] = {
    FindingKind.PERSON_RECORD: ("people-search record", "people-search records"),
    FindingKind.LINKED_RECORD: ("record showing your details", "records showing your details"),
    FindingKind.BREACH: ("breach", "breaches"),
    FindingKind.PASSWORD: ("leaked password", "leaked passwords"),
    FindingKind.ACCOUNT: ("account", "accounts"),
    FindingKind.PUBLIC_KEY: ("public key", "public keys"),
    FindingKind.PROFILE: ("public profile", "public profiles"),
    FindingKind.SEARCH_RESULT: ("search result", "search results"),
}


def count_words(counts: dict[FindingKind, int]) -> str:
    """ "3 people-search records, 1 breach, 40 accounts", in the harm order above."""
    parts = []
    for kind, (one, many) in _NOUNS.items():
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing"


def where_removed(finding: Finding) -> str:
    """The name of the place a removed finding was on: the broker's name, or its source."""
    remedy = finding.remedy
    if isinstance(remedy, BrokerOptOut) and remedy.broker_name:
        return remedy.broker_name
    return finding.source


@dataclass(frozen=True)
class ScoreStory:
    """The latest score, its change, what removals did and what lies under it."""

    score: float | None  # None: no score yet, or unknown (too little checked)
    previous: float | None  # the scored scan before the latest one
    weight: float  # the total weight under the score (it never saturates)
    counts: dict[FindingKind, int] = field(default_factory=dict)
    removed_from: tuple[str, ...] = ()  # where findings went away since the scan before
    removal_effect: float = 0.0  # score points those removals took off (≤ 0)
    removed_weight: float = 0.0  # the weight they took off (shows when points don't)

    @property
    def saturated(self) -> bool:
        return self.score is not None and self.score >= SATURATED

    def change_line(self) -> str:
        """ "▼ 14 since the scan before; −12 since Spokeo no longer shows you"."""
        if self.score is None or self.previous is None:
            return ""
        change = round(self.score - self.previous)
        arrow = "▲" if change > 0 else "▼" if change < 0 else "="
        line = f"{arrow} {abs(change)} since the scan before"
        if self.removed_from:
            gone = f"{_join(self.removed_from)} no longer show"
            gone += "s you" if len(self.removed_from) == 1 else " you"
            effect = round(self.removal_effect)
            if effect:
                line += f"; −{abs(effect)} since {gone}"
            else:
                line += f"; {gone} (weight −{self.removed_weight:.0f} under a saturated score)"
        return line

    def underneath_line(self) -> str:
        """When saturated: what the number hides. Empty otherwise."""
        if not self.saturated:
            return ""
        return (
            f"{count_words(self.counts)} (weight {self.weight:.0f}; the score saturates "
            "near 100, so each removal shows here first)"
        )


def _join(names: tuple[str, ...], most: int = 3) -> str:
    shown = list(names[:most])
    if len(names) > most:
        shown.append(f"{len(names) - most} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def score_story(
    store: Store,
    profile: str,
    threshold: float = 0.0,
    *,
    scans: list[ScanSummary] | None = None,
    current: list[Finding] | None = None,
) -> ScoreStory:
    """The story of ``profile``'s latest score, from what the store holds.

    ``scans`` and ``current`` (its current findings at ``threshold``) are read
    from the store unless the caller has read them already."""
    scans = store.scans(profile) if scans is None else scans
    latest = scans[-1] if scans else None
    now = current_findings(store, profile, threshold) if current is None else current
    weight = sum(finding_weight(f) for f in now)
    counts = dict(Counter(f.kind for f in now))
    score = latest.score if latest else None
    if score is None or latest is None:
        return ScoreStory(score=None, previous=None, weight=weight, counts=counts)
    before = [s for s in scans[:-1] if s.score is not None]
    if not before:
        return ScoreStory(score=score, previous=None, weight=weight, counts=counts)
    previous_id, previous = before[-1].scan_id, before[-1].score
    removed = [
        f
        for f in store.findings(profile, scan_id=previous_id, min_confidence=threshold)
        if f.status == "gone"
    ]
    effect = exposure_score(now) - exposure_score(now + removed) if removed else 0.0
    return ScoreStory(
        score=score,
        previous=previous,
        weight=weight,
        counts=counts,
        removed_from=tuple(dict.fromkeys(where_removed(f) for f in removed)),
        removal_effect=effect,
        removed_weight=sum(finding_weight(f) for f in removed),
    )
