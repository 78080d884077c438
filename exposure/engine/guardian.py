"""Guardian mode: a parent audits the exposure of a child in their care.

A child profile names its guardian (``profile add kid --guardian parent``).
This module holds everything particular to children, so the rest of the
engine stays the same for everyone:

* **Who is a child** (engine/children.py): :func:`wards`, :func:`age`,
  :func:`coming_of_age_note`; a child who has turned 18 is an adult here.
* **Weighting findings for a child** — a post-processing step, not a change
  to any checker. :func:`result_hooks` gives the hooks a scan of a profile
  needs (none for an adult): every front end scans through
  engine/profile_scan.py, which passes them to ``run_scan``, so every task's findings pass through
  :func:`adjust_finding` before the scan runner stores them (in the worker
  thread; it is pure). Why a hook: checkers and the runner stay ignorant of
  guardian mode (engine/scan.py does not import this module; an import
  contract holds it), and the weighting is tested on plain findings.
  :func:`child_checkers` wraps checkers the same way for code that runs
  checkers without the runner. It does two things:

  - an account on a platform children use (site categories gaming, video,
    chat) gets ``child.child_platform``, a reason, and a
    confidence boost, so it is reported and sorted up;
  - a school (``school``, ``elementary``, ``academy``, ``primary school``,
    ``école``...) or the child's town printed *next to the child's name* in
    the finding's page or text sets ``child.school`` / ``child.town``,
    severity high, a reason, and a boost. "Next to" is a
    window of characters around each occurrence of one of the child's names,
    so a results page listing many people does not tie the child to someone
    else's school.
* **The guardian report** (engine/guardian_report.py, rendered by
  reports/guardian.py): for a parent, per child, what is exposed, which
  accounts are known and which are not (possible impostors), what to talk
  about, and the checklist for parents from ``data/guardian_advice.toml``.

Guardian mode is for minors in the person's care; nothing here makes it a
tool to watch anyone else. The names of engine/children.py and
engine/guardian_report.py are importable from here too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.engine.children import (
    ADULT_AGE,
    age,
    coming_of_age_note,
    grouped,
    is_minor,
    unreadable,
    wards,
)
from exposure.engine.guardian_report import (
    HELP_NOTE,
    Advice,
    guardian_data,
    guardian_report,
    load_advice,
)
from exposure.model import AccountAction, ChildNotes, Finding, FindingKind, Profile, Severity
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.engine.scan import ResultHook

__all__ = [
    "ADULT_AGE",
    "HELP_NOTE",
    "Advice",
    "ChildScan",
    "NearName",
    "adjust_finding",
    "adjust_result",
    "age",
    "child_checkers",
    "coming_of_age_note",
    "grouped",
    "guardian_data",
    "guardian_report",
    "is_minor",
    "load_advice",
    "near_name",
    "page_text",
    "result_hooks",
    "unreadable",
    "wards",
]

CHILD_CATEGORIES = frozenset({"gaming", "video", "chat"})
PLATFORM_BOOST = 0.15
SCHOOL_BOOST = 0.15
TOWN_BOOST = 0.10
NEAR = 160  # characters either side of the child's name that count as "next to" it
MAX_SCAN_TEXT = 2_000_000  # characters of a capture searched for the child's name

_SCHOOL_WORD = (
    # "primary" and "nursery" alone are left out: "primary phone", a plant nursery.
    r"(?i:high\s+school|middle\s+school|junior\s+high|grade\s+school|primary\s+school|"
    r"nursery\s+school|elementary|school|academy|kindergarten|preschool|lyc[eé]e|"
    r"coll[eè]ge|[eé]cole|escuela|colegio|grundschule|gymnasium|schule|scuola)"
)
_SCHOOL = re.compile(
    r"((?:[A-Z][a-z][\w'’.&-]*\s+){0,4})"  # up to four Capitalised words: its name
    + r"\b("
    + _SCHOOL_WORD
    + r")\b"
    + r"((?:\s+(?i:school))?)"
)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.S | re.I)


def page_text(body: bytes | str) -> str:
    """Visible-ish text of an HTML page or API answer, whitespace collapsed (no bs4 needed)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = _TAG.sub(" ", text[:MAX_SCAN_TEXT])
    return " ".join(html.unescape(text).split())


def _name_patterns(profile: Profile) -> list[re.Pattern[str]]:
    """Each of the child's names (and first + last without middles), tolerant of spacing."""
    from exposure.people.names import parse_name

    forms: set[str] = set()
    for name in profile.names:
        words = name.split()
        if len(words) >= 2:
            forms.add(" ".join(words))
            parts = parse_name(name)
            if parts.given and parts.family:
                forms.add(f"{parts.given} {parts.family}")
                forms.add(f"{parts.family}, {parts.given}")
    patterns = []
    for form in sorted(forms, key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"[\s,]+", form) if w]
        sep = r",?\s+" if "," in form else r"[\s.-]+"
        patterns.append(re.compile(r"\b" + sep.join(words) + r"\b", re.I))
    return patterns


def _towns(profile: Profile) -> list[str]:
    from exposure.people.profile import parse_location

    towns = [parse_location(t).city for t in (*profile.locations, *profile.addresses)]
    return list(dict.fromkeys(t for t in towns if len(t) >= 3))


@dataclass(frozen=True)
class NearName:
    """What was printed next to the child's name: a school phrase, a town."""

    school: str = ""
    town: str = ""


def near_name(profile: Profile, text: str) -> NearName:
    """A school or the child's town within :data:`NEAR` characters of one of their names."""
    school = town = ""
    towns = [re.compile(r"\b" + re.escape(t) + r"\b", re.I) for t in _towns(profile)]
    for pattern in _name_patterns(profile):
        for m in pattern.finditer(text):
            window = text[max(0, m.start() - NEAR) : m.end() + NEAR]
            if not school:
                s = _SCHOOL.search(window)
                if s:
                    school = " ".join(s.group(0).split()).strip(" ,.;:-")
            if not town:
                for t in towns:
                    found = t.search(window)
                    if found:
                        town = found.group(0)
                        break
            if school and town:
                return NearName(clean(school, limit=120), clean(town, limit=120))
    return NearName(clean(school, limit=120), clean(town, limit=120))


def _finding_text(finding: Finding) -> str:
    parts: list[str] = [finding.title, *finding.reasons]
    for value in finding.matched.values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(v for v in value if isinstance(v, str))
    text = " | ".join(parts)
    if finding.capture is not None:
        text += " | " + page_text(finding.capture.body)
    return text


_TEXT_KINDS = frozenset(
    {
        FindingKind.PERSON_RECORD,
        FindingKind.LINKED_RECORD,
        FindingKind.SEARCH_RESULT,
        FindingKind.PROFILE,
        FindingKind.ACCOUNT,
    }
)


def adjust_finding(profile: Profile, finding: Finding) -> Finding:
    """``finding`` weighted for a child (see the module docstring); pure, returns a copy."""
    reasons = list(finding.reasons)
    confidence = finding.confidence
    platform = False
    remedy = finding.remedy
    category = remedy.category.lower() if isinstance(remedy, AccountAction) else ""
    if finding.kind is FindingKind.ACCOUNT and category in CHILD_CATEGORIES:
        platform = True
        reasons.append(f"a platform children use ({category}): ask your child about it")
        confidence += PLATFORM_BOOST
    near = NearName()
    if finding.kind in _TEXT_KINDS:
        near = near_name(profile, _finding_text(finding))
        if near.school:
            reasons.append(f"a school ({near.school}) is named next to the child's name")
            confidence += SCHOOL_BOOST
        if near.town:
            reasons.append(f"the child's town ({near.town}) is named next to their name")
            confidence += TOWN_BOOST
    if not (platform or near.school or near.town):
        return finding
    return replace(
        finding,
        reasons=reasons,
        confidence=min(1.0, confidence),
        child=ChildNotes(school=near.school, town=near.town, child_platform=platform),
        severity=Severity.HIGH if near.school or near.town else finding.severity,
    )


def adjust_result(profile: Profile, result: TaskResult) -> TaskResult:
    return TaskResult(
        checks=result.checks, findings=[adjust_finding(profile, f) for f in result.findings]
    )


class ChildScan(Checker):
    """A checker whose findings are weighted for a child before they are stored."""

    def __init__(self, inner: Checker, profile: Profile) -> None:
        self.inner = inner
        self.profile = profile
        self.id = inner.id  # type: ignore[misc]
        self.title = inner.title  # type: ignore[misc]
        self.description = inner.description  # type: ignore[misc]

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        return self.inner.transmissions(ctx)

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        return [self._wrap(task) for task in self.inner.tasks(ctx)]

    def _wrap(self, task: Task) -> Task:
        inner_run, profile = task.run, self.profile
        return replace(task, run=lambda: adjust_result(profile, inner_run()))


def result_hooks(profile: Profile, today: date | None = None) -> list[ResultHook]:
    """What ``run_scan(..., hooks=...)`` needs for ``profile``: a minor's findings are
    weighted for a child (:func:`adjust_result`); nothing for anyone else."""
    if not is_minor(profile, today):
        return []
    return [partial(adjust_result, profile)]


def child_checkers(
    profile: Profile, checkers: list[Checker], today: date | None = None
) -> list[Checker]:
    """``checkers`` wrapped for a minor's scan; unchanged for anyone else."""
    if not is_minor(profile, today):
        return checkers
    return [ChildScan(c, profile) for c in checkers]
