"""Markdown for reports and ``exposure checklist --format md``.

Scraped text is escaped so it stays text: Markdown punctuation gets a
backslash and ``<``/``>``/``&`` become entities (so no raw HTML reaches a
renderer), and links are written only for http(s) URLs, as ``<url>``
autolinks with the characters that could end them percent-encoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from exposure.engine.request_log import describe
from exposure.model import ChecklistItem, RequestState, iso
from exposure.reports import ReportData, safe_url
from exposure.textsafe import clean

# Inline structure only: our text always sits inside a list item or after a heading mark.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
STATUS_BOX = {"open": "[ ]", "done": "[x]", "verified": "[x]", "relisted": "[ ]"}


def md(text: object, *, limit: int | None = None) -> str:
    """Text made inert for Markdown."""
    out = clean(text, limit=limit)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out)


def md_link(url: object) -> str:
    href = safe_url(url)
    if href is None:
        return md(url, limit=200) if url else ""
    return "<" + href.replace("(", "%28").replace(")", "%29") + ">"


def checklist_markdown(profile_id: str, items: Iterable[ChecklistItem], heading: str = "#") -> str:
    lines = [f"{heading} Checklist for {md(profile_id)}", ""]
    for item in items:
        box = STATUS_BOX.get(item.status, "[ ]")
        when = f", {iso(item.changed_at)}" if item.changed_at else ""
        lines.append(
            f"- {box} **{md(item.title, limit=200)}** (priority {int(item.priority)}, "
            f"{md(item.status)}{when}) `{clean(item.id).replace('`', '')}`"
        )
        if item.url:
            lines.append(f"  - {md_link(item.url)}")
        if item.request is not None and item.request.state is not RequestState.NONE:
            lines.append(f"  - Request: {md(describe(item.request))}")
        lines.extend(f"  - {md(step, limit=600)}" for step in item.steps)
    return "\n".join(lines) + "\n"


def render_markdown(data: ReportData) -> str:
    names = ", ".join(data.profile.names) or data.profile.id
    out = [
        f"# Exposure report: {md(names, limit=200)}",
        "",
        f"Profile `{clean(data.profile.id).replace('`', '')}`, generated {iso(data.generated_at)}.",
        "",
        f"## Exposure score: {md(data.score_line())}",
        "",
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
                f"{f.confidence:.2f}, {md(f.status)} — {md_link(f.url)}"
            )
            out.extend(f"  - {md(r, limit=300)}" for r in f.reasons[:10])
            if ev:
                out.append(
                    f"  - evidence sha256 `{clean(ev.sha256)}` captured {iso(ev.captured_at)}"
                )
    if data.unknown:
        out += ["", "## Sources we could not read (unknown, not absent)", ""]
        out += [f"- {md(u, limit=300)}" for u in data.unknown[:500]]
    return "\n".join(out) + "\n"
