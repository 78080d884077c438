"""Findings described to a parent about their child, not to the person themselves.

Checkers write their reasons to the person scanned ("an account under your
username"). In guardian mode the reader is the parent, so the CLI's
``scan --guardian NAME`` output names the child instead: "an account under
Sam's username". One description per kind of finding, from its typed fields;
nothing here rewrites the checker's own text.
"""

from __future__ import annotations

from collections.abc import Callable

from exposure.model import AccountAction, ChangePassword, Finding, FindingKind, Profile, Whose
from exposure.textsafe import clean


def child_name(child: Profile) -> str:
    return clean(child.primary_name.split()[0] if child.primary_name else child.id, limit=60)


def heading(child: Profile, count: int) -> str:
    """``New for Sam (sam), in your care — 2 findings:``."""
    name = clean(child.primary_name or child.id, limit=80)
    noun = "finding" if count == 1 else "findings"
    return f"New for {name} ({clean(child.id)}), in your care — {count} {noun}:"


def describe(child: Profile, finding: Finding) -> str:
    """What ``finding`` means, said to the child's parent."""
    who = child_name(child)
    remedy = finding.remedy
    site = clean(remedy.site if isinstance(remedy, AccountAction) else finding.source, limit=60)
    kind = finding.kind
    if kind is FindingKind.ACCOUNT:
        if finding.whose is Whose.OWN:
            return f"one of {who}'s known accounts, on {site}"
        return f"an account under {who}'s username on {site} — theirs, or an impostor?"
    if kind is FindingKind.PERSON_RECORD:
        return f"a people-search record about {who} on {site}"
    if kind is FindingKind.LINKED_RECORD:
        return f"a record on {site} showing {who}'s phone, email or address"
    if kind is FindingKind.BREACH:
        name = remedy.breach if isinstance(remedy, ChangePassword) else ""
        breach = clean(name or finding.title or site, limit=80)
        return f"{who}'s email is in the {breach} breach"
    if kind is FindingKind.PASSWORD:
        return f"a password of {who}'s is in breach lists"
    if kind is FindingKind.PUBLIC_KEY:
        return f"a public key under {who}'s email on {site}"
    if kind is FindingKind.PROFILE:
        return f"a public profile of {who}'s on {site}"
    return f"a search result that mentions {who} ({site})"


def describer(child: Profile) -> Callable[[Finding], str]:
    return lambda finding: describe(child, finding)
