"""Guardian mode: a parent audits the exposure of a child in their care.

A child profile names its guardian (``profile add kid --guardian parent``).
This module holds everything particular to children, so the rest of the
engine stays the same for everyone:

* **Who is a child.** :func:`wards` lists a guardian's children (an unknown
  guardian is a UsageError, exit 2); :func:`age` and :func:`coming_of_age_note`
  use the birth date: a child who has turned 18 is flagged everywhere (their
  profile is their own now), and child-specific weighting stops for them.
* **Weighting findings for a child** — a post-processing step, not a change
  to any checker. :func:`child_checkers` wraps each checker of a child's scan
  so every task's findings pass through :func:`adjust_finding` before the
  scan runner stores them (in the worker thread; it is pure). Why a wrapper:
  checkers stay ignorant of guardian mode, the weighting is tested on plain
  findings, and any front-end (CLI, TUI) gets it with one call. It does two
  things:

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

* **The guardian report** (:func:`guardian_report`): for a parent, per child,
  what is exposed, which accounts are known and which are not (possible
  impostors), what to talk about, and the checklist for parents from
  ``data/guardian_advice.toml`` — as Markdown, HTML or JSON.

Guardian mode is for minors in the person's care; nothing here makes it a
tool to watch anyone else.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.errors import UsageError
from exposure.model import (
    AccountAction,
    ChangePassword,
    ChildNotes,
    Finding,
    FindingKind,
    Profile,
    Severity,
    Whose,
    iso,
    utcnow,
)
from exposure.reports.html import head, link, t
from exposure.reports.markdown import md, md_url
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore

ADULT_AGE = 18
CHILD_CATEGORIES = frozenset({"gaming", "video", "chat"})
PLATFORM_BOOST = 0.15
SCHOOL_BOOST = 0.15
TOWN_BOOST = 0.10
NEAR = 160  # characters either side of the child's name that count as "next to" it
MAX_SCAN_TEXT = 2_000_000  # characters of a capture searched for the child's name
HELP_NOTE = (
    "Guardian mode is for minors in your care: audit a child's exposure to protect them, "
    "never to watch anyone else."
)

# --------------------------------------------------------------------------- who is a child


def age(profile: Profile, today: date | None = None) -> int | None:
    """The profile's age in whole years today, or None without a birth date."""
    if profile.birth_date is None:
        return None
    from exposure.people.profile import age_on

    return age_on(profile.birth_date, today or date.today())


def is_minor(profile: Profile, today: date | None = None) -> bool:
    """A child profile not known to be 18 or older (no birth date: treated as a child)."""
    if profile.guardian is None:
        return False
    years = age(profile, today)
    return years is None or years < ADULT_AGE


def coming_of_age_note(profile: Profile, today: date | None = None) -> str | None:
    """A one-line note when a child profile's owner has turned 18, else None."""
    years = age(profile, today)
    if profile.guardian is None or years is None or years < ADULT_AGE:
        return None
    return (
        f"profile {profile.id} is {years} now: their profile is their own; hand it over "
        f"(`exposure profile edit {profile.id} --clear-guardian`) and let them decide"
    )


def wards(profiles: ProfileStore, guardian_id: str) -> list[Profile]:
    """The guardian's children. Unknown guardian, or nobody's guardian: UsageError (exit 2)."""
    if not profiles.exists(guardian_id):
        known = ", ".join(profiles.ids()[:10]) or "none yet"
        raise UsageError(f"unknown guardian {guardian_id!r}: no such profile (known: {known})")
    children = [profiles.get(pid) for pid in profiles.wards(guardian_id)]
    if not children:
        raise UsageError(
            f"profile {guardian_id!r} is nobody's guardian: add a child with "
            f"`exposure profile add NAME --guardian {guardian_id} ...`"
        )
    return children


def grouped(profiles: Sequence[Profile]) -> list[tuple[Profile, int]]:
    """Profiles in list order with each guardian's children right after it: (profile, depth).

    A child whose guardian is missing stays at the top level (depth 0).
    """
    ids = {p.id for p in profiles}
    children: dict[str, list[Profile]] = {}
    for p in profiles:
        if p.guardian and p.guardian in ids and p.guardian != p.id:
            children.setdefault(p.guardian, []).append(p)
    out: list[tuple[Profile, int]] = []
    placed: set[str] = set()

    def place(p: Profile, depth: int) -> None:
        if p.id in placed:
            return
        placed.add(p.id)
        out.append((p, depth))
        for child in children.get(p.id, []):
            place(child, depth + 1)

    for p in profiles:
        if not (p.guardian and p.guardian in ids and p.guardian != p.id):
            place(p, 0)
    for p in profiles:  # cycles (a guards b guards a): still listed once
        place(p, 0)
    return out


# --------------------------------------------------------------------------- weighting findings

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
        return Task(task.checker, task.source, lambda: adjust_result(profile, inner_run()))


def child_checkers(
    profile: Profile, checkers: list[Checker], today: date | None = None
) -> list[Checker]:
    """``checkers`` wrapped for a minor's scan; unchanged for anyone else."""
    if not is_minor(profile, today):
        return checkers
    return [ChildScan(c, profile) for c in checkers]


# --------------------------------------------------------------------------- advice


@dataclass(frozen=True)
class Advice:
    id: str
    title: str
    text: str
    steps: tuple[str, ...] = ()


def load_advice(path: Path | None = None) -> list[Advice]:
    """The checklist for parents (``data/guardian_advice.toml``)."""
    from exposure.paths import bundled_data

    where = path or bundled_data() / "guardian_advice.toml"
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{where}: {exc}") from None
    items = data.get("advice")
    if not isinstance(items, list):
        raise UsageError(f"{where}: expected [[advice]] tables")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("id", "title", "text")
        ):
            raise UsageError(f"{where}: advice #{i + 1} needs id, title and text")
        steps = item.get("steps", [])
        if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
            raise UsageError(f"{where}: advice {item['id']!r}: steps must be a list of strings")
        out.append(Advice(item["id"], item["title"], " ".join(item["text"].split()), tuple(steps)))
    return out


# --------------------------------------------------------------------------- the report


def _threshold() -> float:
    from exposure import config, paths

    try:
        return config.load(paths.current().config_file).confidence_threshold
    except config.ConfigError:
        return config.Config().confidence_threshold


def _who(profile: Profile) -> str:
    return clean(profile.primary_name or profile.id, limit=80)


def _finding_row(f: Finding) -> dict[str, Any]:
    return f.to_dict()


def _talk_points(
    child: Profile,
    exposed: list[Finding],
    known: list[Finding],
    unknown: list[Finding],
    note: str | None,
    scanned: bool,
) -> list[str]:
    who = _who(child)
    points: list[str] = []
    if note:
        points.append(f"{who} is an adult now: talk about handing the profile over to them.")
    if not scanned:
        points.append(f"Nothing is scanned for {who} yet: run the guardian scan first.")
    for f in exposed:
        notes = f.child or ChildNotes()
        school, town = notes.school, notes.town
        if school or town:
            what = " and ".join(
                x
                for x in (
                    f"a school ({school})" if school else "",
                    f"their town ({town})" if town else "",
                )
                if x
            )
            points.append(
                f"{clean(f.source, limit=60)} shows {who}'s name next to {what}. Ask for it to "
                "be removed, and talk about why where they live and go to school stays private."
            )
    for f in unknown:
        account = f.remedy if isinstance(f.remedy, AccountAction) else AccountAction(f.source)
        site = clean(account.site, limit=60)
        user = clean(account.username, limit=60)
        extra = " (a platform children use)" if f.child and f.child.child_platform else ""
        points.append(
            f"Ask {who} whether the {site} account '{user}'{extra} is theirs. If it is, look "
            "at its privacy settings together; if it is not, it may be an impostor: report it "
            "to the site."
        )
    for f in exposed:
        if f.kind is FindingKind.BREACH:
            name = f.remedy.breach if isinstance(f.remedy, ChangePassword) else ""
            breach = clean(name or f.title, limit=80)
            points.append(
                f"{who}'s email is in the {breach} breach: change that password together and "
                "never reuse it."
            )
    if known:
        points.append(
            f"{who} has {len(known)} known account(s): go through who can see what on each."
        )
    return points


def _child_section(
    store: Store, child: Profile, threshold: float, today: date
) -> tuple[dict[str, Any], list[Finding], list[Finding], list[Finding]]:
    verdicts = store.verdicts(child.id)
    findings = store.findings(child.id, min_confidence=threshold, include_gone=False)
    accounts = [f for f in findings if f.kind is FindingKind.ACCOUNT]
    known = [f for f in accounts if f.whose is Whose.OWN or verdicts.get(f.id) == "me"]
    known_ids = {f.id for f in known}
    unknown = [f for f in accounts if f.id not in known_ids]
    exposed = sorted(
        (f for f in findings if f.kind is not FindingKind.ACCOUNT),
        key=lambda f: (f.severity is not Severity.HIGH, -f.confidence, f.source),
    )
    scans = [s for s in store.scans(child.id) if s.state in ("finished", "interrupted")]
    last = scans[-1] if scans else None
    unchecked = []
    if last is not None:
        unchecked = [
            {
                "source": c.source,
                "checker": c.checker,
                "status": c.status.value,
                "detail": c.detail,
                "url": c.url,
            }
            for c in store.checks(last.scan_id)
            if c.status.value in ("blocked", "error")
        ]
    note = coming_of_age_note(child, today)
    section = {
        "profile": child.id,
        "name": child.primary_name,
        "age": age(child, today),
        "adult": note is not None,
        "note": note,
        "last_scan": None
        if last is None
        else {
            "scan_id": last.scan_id,
            "state": last.state,
            "started_at": iso(last.started_at),
            "finished_at": iso(last.finished_at),
        },
        "exposed": [_finding_row(f) for f in exposed],
        "accounts": {
            "known": [_finding_row(f) for f in known],
            "unknown": [_finding_row(f) for f in unknown],
        },
        "check_by_hand": unchecked,
        "talk_about": _talk_points(child, exposed, known, unknown, note, last is not None),
    }
    return section, exposed, known, unknown


def guardian_data(
    store: Store,
    guardian_id: str,
    *,
    profiles: ProfileStore | None = None,
    today: date | None = None,
    threshold: float | None = None,
    advice: list[Advice] | None = None,
) -> dict[str, Any]:
    """The guardian report as a JSON-ready dict (the ``json`` format)."""
    if profiles is None:
        from exposure import paths
        from exposure.people.profile import ProfileStore

        profiles = ProfileStore(paths.current())
    today = today or date.today()
    children = wards(profiles, guardian_id)
    guardian = profiles.get(guardian_id)
    limit = _threshold() if threshold is None else threshold
    sections = [_child_section(store, c, limit, today)[0] for c in children]
    return {
        "guardian": guardian.id,
        "guardian_name": guardian.primary_name,
        "generated_at": iso(utcnow()),
        "confidence_threshold": limit,
        "note": HELP_NOTE,
        "children": sections,
        "advice": [
            {"id": a.id, "title": a.title, "text": a.text, "steps": list(a.steps)}
            for a in (load_advice() if advice is None else advice)
        ],
    }


def guardian_report(store: Store, guardian_id: str, fmt: str = "md", **kwargs: Any) -> str:
    """The report for a parent in ``fmt`` (md | html | json). Keyword args: see guardian_data."""
    if fmt not in ("md", "html", "json"):
        raise UsageError(f"unknown report format {fmt!r} (use md, html or json)")
    data = guardian_data(store, guardian_id, **kwargs)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return _html(data)
    return _markdown(data)


# --------------------------------------------------------------------------- rendering
# Scraped text is hostile: Markdown goes through reports.markdown's md (escaped,
# URLs as code spans, never links), HTML through reports.html's t, link and head
# (escaped, http(s) links only, the reports' Content-Security-Policy).


def _md(value: object, limit: int = 300) -> str:
    return md(value if value is not None else "", limit=limit)


def _finding_line(f: dict[str, Any]) -> str:
    flag = "**HIGH** " if f["severity"] == "high" else ""
    why = "; ".join(_md(r, 200) for r in f["reasons"][:4])
    return f"- {flag}{_md(f['title'] or f['source'], 120)} — {md_url(f['url'])}  \n  {why}"


def _age_text(child: dict[str, Any]) -> str:
    return f"age {child['age']}" if child["age"] is not None else "age unknown"


def _markdown(data: dict[str, Any]) -> str:
    g = _md(data["guardian_name"] or data["guardian"], 80)
    out = [
        f"# What the internet shows about the children in {g}'s care",
        "",
        f"_Generated {_md(data['generated_at'])}. {_md(data['note'])}_",
        "",
    ]
    for child in data["children"]:
        name = _md(child["name"] or child["profile"], 80)
        out += [f"## {name} ({_age_text(child)})", ""]
        if child["note"]:
            out += [f"> **Note:** {_md(child['note'])}", ""]
        last = child["last_scan"]
        out.append(
            f"Last scan: {_md(last['finished_at'] or last['started_at'])} ({_md(last['state'])})"
            if last
            else "Not scanned yet."
        )
        out += ["", "### What is exposed", ""]
        out += [_finding_line(f) for f in child["exposed"]] or [
            "Nothing found above the confidence threshold."
        ]
        out += ["", "### Accounts", "", "Known to be theirs:", ""]
        out += [_finding_line(f) for f in child["accounts"]["known"]] or ["- none"]
        out += ["", "Not known (theirs, or possible impostors):", ""]
        out += [_finding_line(f) for f in child["accounts"]["unknown"]] or ["- none"]
        if child["check_by_hand"]:
            out += ["", "### Check these by hand (the source blocked us or failed)", ""]
            out += [
                f"- {_md(c['source'], 80)}: {_md(c['detail'], 120)} {md_url(c['url'])}"
                for c in child["check_by_hand"]
            ]
        out += ["", "### What to talk about", ""]
        out += [f"- {_md(p, 400)}" for p in child["talk_about"]] or ["- nothing in particular"]
        out.append("")
    out += ["## Checklist for parents", ""]
    for a in data["advice"]:
        out.append(f"- [ ] **{_md(a['title'], 120)}** {_md(a['text'], 600)}")
        out += [f"  - {_md(s, 300)}" for s in a["steps"]]
    return "\n".join(out) + "\n"


def _h(value: object, limit: int = 300) -> str:
    return t(value if value is not None else "", limit=limit)


def _html_finding(f: dict[str, Any]) -> str:
    high = '<strong class="high">HIGH</strong> ' if f["severity"] == "high" else ""
    why = "".join(f"<li>{_h(r, 200)}</li>" for r in f["reasons"][:4])
    return (
        f"<li>{high}{_h(f['title'] or f['source'], 120)} — {link(f['url'], limit=300)}"
        f'<ul class="why">{why}</ul></li>'
    )


def _html_list(items: list[dict[str, Any]], empty: str) -> str:
    if not items:
        return f"<p>{html.escape(empty)}</p>"
    return "<ul>" + "".join(_html_finding(f) for f in items) + "</ul>"


def _html(data: dict[str, Any]) -> str:
    g = _h(data["guardian_name"] or data["guardian"], 80)
    body = [
        f"<h1>What the internet shows about the children in {g}'s care</h1>",
        f'<p class="meta">Generated {_h(data["generated_at"])}. {_h(data["note"])}</p>',
    ]
    for child in data["children"]:
        name = _h(child["name"] or child["profile"], 80)
        body.append(f"<section><h2>{name} ({html.escape(_age_text(child))})</h2>")
        if child["note"]:
            body.append(f'<p class="note"><strong>Note:</strong> {_h(child["note"])}</p>')
        last = child["last_scan"]
        body.append(
            f"<p>Last scan: {_h(last['finished_at'] or last['started_at'])} "
            f"({_h(last['state'])})</p>"
            if last
            else "<p>Not scanned yet.</p>"
        )
        body.append("<h3>What is exposed</h3>")
        body.append(_html_list(child["exposed"], "Nothing found above the confidence threshold."))
        body.append("<h3>Accounts known to be theirs</h3>")
        body.append(_html_list(child["accounts"]["known"], "None."))
        body.append("<h3>Accounts not known (theirs, or possible impostors)</h3>")
        body.append(_html_list(child["accounts"]["unknown"], "None."))
        if child["check_by_hand"]:
            body.append("<h3>Check these by hand (the source blocked us or failed)</h3><ul>")
            body += [
                f"<li>{_h(c['source'], 80)}: {_h(c['detail'], 120)} {_h(c['url'])}</li>"
                for c in child["check_by_hand"]
            ]
            body.append("</ul>")
        body.append("<h3>What to talk about</h3><ul>")
        body += [f"<li>{_h(p, 400)}</li>" for p in child["talk_about"]]
        body.append("</ul></section>")
    body.append('<section><h2>Checklist for parents</h2><ul class="advice">')
    for a in data["advice"]:
        steps = "".join(f"<li>{_h(s)}</li>" for s in a["steps"])
        body.append(
            f"<li><strong>{_h(a['title'], 120)}</strong> {_h(a['text'], 600)}"
            + (f"<ul>{steps}</ul>" if steps else "")
            + "</li>"
        )
    body.append("</ul></section>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}.high{color:#b00020}.meta{color:#555}.note{background:#fff4d6;"
        "padding:.5rem}ul.why{color:#444;font-size:.9em}"
    )
    who = data["guardian_name"] or data["guardian"]
    return head(f"Guardian report: {who}", style) + "\n" + "\n".join(body) + "\n</body></html>\n"
