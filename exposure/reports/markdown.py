"""Markdown for reports and ``exposure checklist --format md``.

Scraped text is escaped so it stays text: Markdown punctuation gets a
backslash and ``<``/``>``/``&`` become entities (so no raw HTML reaches a
renderer). Scraped URLs are shown as code spans (:func:`md_url`), never as
links: a reader copies one deliberately, nothing is fetched or followed by
rendering the file, and a hostile URL cannot close the span or add markup.
The guardian report uses the same helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from exposure.engine.checklist_groups import by_group
from exposure.engine.removal_order import grouped_under
from exposure.engine.request_log import describe
from exposure.model import ChecklistItem, RequestState, iso
from exposure.reports import ReportData
from exposure.textsafe import clean

# Inline structure only: our text always sits inside a list item or after a heading mark.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
STATUS_BOX = {"open": "[ ]", "done": "[x]", "verified": "[x]", "relisted": "[ ]"}


def md(text: object, *, limit: int | None = None) -> str:
    """Text made inert for Markdown."""
    out = clean(text, limit=limit)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out)


def md_code(text: object, *, limit: int | None = None) -> str:
    """Text as an inline code span: shown literally, never parsed as Markdown or HTML.

    The fence is one backtick longer than the longest run of backticks in the
    text, so nothing inside can close it; a space pads text that starts or
    ends with a backtick (CommonMark strips one space from each side).
    """
    out = clean(text, limit=limit)
    if not out.strip():
        return ""
    longest = max((len(run) for run in re.findall(r"`+", out)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if out[0] in "` " or out[-1] in "` " else ""
    return f"{fence}{pad}{out}{pad}{fence}"


def md_url(url: object) -> str:
    """A scraped URL, as code (not a link); "" for none."""
    return md_code(url, limit=300) if url else ""


def checklist_markdown(profile_id: str, items: Iterable[ChecklistItem], heading: str = "#") -> str:
    lines = [f"{heading} Checklist for {md(profile_id)}"]
    for group, members in by_group(items):
        lines += ["", f"{heading}# {md(group.heading)} ({len(members)})", ""]
        for item in members:
            lines.extend(_item_markdown(item))
    return "\n".join(lines) + "\n"


def _item_markdown(item: ChecklistItem) -> list[str]:
    """One item as a list entry; a network's member nests under its network request."""
    pad = "  " if grouped_under(item) else ""
    box = STATUS_BOX.get(item.status, "[ ]")
    when = f", {iso(item.changed_at)}" if item.changed_at else ""
    lines = [
        f"{pad}- {box} **{md(item.title, limit=200)}** (priority {int(item.priority)}, "
        f"{md(item.status)}{when}) {md_code(item.id)}"
    ]
    if item.url:
        lines.append(f"{pad}  - {md_url(item.url)}")
    if item.request is not None and item.request.state is not RequestState.NONE:
        lines.append(f"{pad}  - Request: {md(describe(item.request))}")
    lines.extend(f"{pad}  - {md(step, limit=600)}" for step in item.steps)
    return lines


def render_markdown(data: ReportData) -> str:
    names = ", ".join(data.profile.names) or data.profile.id
    out = [
        f"# Exposure report: {md(names, limit=200)}",
        "",
        f"Profile {md_code(data.profile.id)}, generated {iso(data.generated_at)}.",
        "",
        f"## Exposure score: {md(data.score_line())}",
        "",
        *(f"{md(line)}\n" for line in data.score_story_lines()),
        md(data.coverage_line()),
        "",
    ]
    if data.scores:
        out += ["| Scan | Date | Score |", "|---|---|---|"]
        out += [f"| {int(s)} | {iso(at)} | {v:.1f} |" for s, at, v in data.scores]
    else:
        out.append("No scored scans yet.")
    out += ["", checklist_markdown(data.profile.id, data.checklist, heading="##"), "## Findings"]
    groups = data.by_kind()
    if not groups:
        out += ["", "No findings."]
    for title, group in groups:
        out += ["", f"### {md(title)} ({len(group)})", ""]
        for f in group:
            ev = f.evidence
            out.append(
                f"- **{md(f.title or f.key, limit=200)}** — {md(f.source)}, confidence "
                f"{f.confidence:.2f}, {md(f.status)} — {md_url(f.url)}"
            )
            out.extend(f"  - {md(r, limit=300)}" for r in f.reasons[:10])
            if ev:
                out.append(
                    f"  - evidence sha256 {md_code(ev.sha256)} captured {iso(ev.captured_at)}"
                )
    if data.unknown:
        out += ["", "## Sources we could not read (unknown, not absent)", ""]
        out += [f"- {md(u, limit=300)}" for u in data.unknown[:500]]
    return "\n".join(out) + "\n"
