"""What the person sees, and what is new to them: one copy of each rule.

* **Shown.** A finding is shown unless the person marked it "not me"; below
  the confidence threshold it is shown only when they confirmed it ("me").
  :meth:`Store.findings` applies this to stored findings; a front end showing
  a scan's findings as they arrive applies the same :func:`shown`.
* **New or came back.** A finding is news when a scan saw it for the first
  time, or saw it again after it was gone (status ``back``);
  :func:`arrived_since` is the same rule against a moment (the person's last
  visit) instead of a scan.
"""

from __future__ import annotations

from datetime import datetime

from exposure.model import Finding

ME = "me"
NOT_ME = "not_me"
VERDICTS = (ME, NOT_ME)


def shown(finding: Finding, verdict: str | None, threshold: float) -> bool:
    """Whether the person sees ``finding``, given their verdict on it (None: none)."""
    if verdict == NOT_ME:
        return False
    return verdict == ME or finding.confidence >= threshold


def new_or_back(finding: Finding) -> bool:
    """The scan that read ``finding`` saw it first, or saw it again after it was gone."""
    return finding.new or finding.status == "back"


def arrived_since(finding: Finding, moment: datetime) -> bool:
    """First seen after ``moment``, or seen back (after being gone) after it."""
    if finding.first_seen is not None and finding.first_seen > moment:
        return True
    return finding.status == "back" and finding.last_seen is not None and finding.last_seen > moment
