"""The HTML report: one self-contained file, safe to open in a browser.

No scripts at all, no external assets: inline CSS, the score trend as an
inline SVG, and a Content-Security-Policy that forbids everything else, so even
a mistake in escaping could not load or run anything. Every piece of text is
stripped of control characters and passed through :func:`html.escape`; links
are made only from http(s) URLs and carry ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from exposure.engine.checklist_groups import by_group
from exposure.engine.removal_order import grouped_under
from exposure.engine.request_log import describe
from exposure.model import ChecklistItem, Finding, RequestState, iso
from exposure.reports import ReportData, safe_url
from exposure.textsafe import clean

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STATUS_LABEL = {
    "open": "open",
    "done": "done",
    "verified": "verified ✓",
    "relisted": "relisted — open again",
}
STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#555}.score{font-size:3rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}code,.hash{font-family:ui-monospace,monospace;font-size:.8rem;
word-break:break-all}ul{margin:.2rem 0;padding-left:1.2rem}
.st{font-weight:600;white-space:nowrap}.st-open,.st-relisted{color:#b00020}
.st-done{color:#8a5a00}.st-verified{color:#0a7a28}.gone{color:#777}
.p1{background:#fde8ea}.p2{background:#fff4e0}.member td:nth-child(3){padding-left:2rem}
svg{background:#fafafa;border:1px solid #ddd}
"""


def t(text: object, *, limit: int | None = None) -> str:
    """Scraped or stored text, made inert: control characters out, HTML escaped."""
    return escape(clean(text, limit=limit), quote=True)


def prose(text: object, *, limit: int | None = None) -> str:
    """Our advice text made inert like :func:`t`, with its `command` spans as ``<code>``.

    Steps name commands between backticks (the Markdown and terminal forms keep
    them); HTML shows them as code. An unpaired backtick stays as it is."""
    parts = t(text, limit=limit).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one has no pair
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def link(url: object, text: object | None = None, *, limit: int = 120) -> str:
    """A safe link, or the URL as plain text when it is not http(s)."""
    label = t(url if text is None else text, limit=limit)
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{escape(href, quote=True)}" rel="noopener noreferrer">{label}</a>'


def head(title: object, style: str) -> str:
    """Every HTML page's start, up to ``<body>``: the Content-Security-Policy that
    forbids scripts and remote loads, no referrer, and ``style`` (our own CSS).

    The main report, the guardian report and the evidence pack's index all
    begin with it, so none can be made without the policy.
    """
    return "\n".join(
        (
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{t(title, limit=200)}</title>",
            f"<style>{style}</style></head><body>",
        )
    )


def trend_svg(
    scores: Sequence[tuple[int, datetime, float]], width: int = 640, height: int = 180
) -> str:
    """The score over past scans as an inline SVG line chart (numbers and dates only)."""
    if not scores:
        return "<p>No scored scans yet.</p>"
    pad = 30
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def xy(i: int, value: float) -> tuple[float, float]:
        x = pad + (inner_w * i / (len(scores) - 1) if len(scores) > 1 else inner_w / 2)
        y = pad + inner_h * (1 - max(0.0, min(100.0, float(value))) / 100)
        return round(x, 1), round(y, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="exposure score by scan">',
    ]
    for level in (0, 50, 100):
        _, y = xy(0, level)
        parts.append(
            f'<line x1="{pad}" y1="{y}" x2="{width - pad}" y2="{y}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(f'<text x="4" y="{y + 4}" font-size="10" fill="#777">{level}</text>')
    points = [xy(i, v) for i, (_, _, v) in enumerate(scores)]
    if len(points) > 1:
        path = " ".join(f"{x},{y}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#b00020" stroke-width="2"/>')
    for (x, y), (scan_id, at, value) in zip(points, scores, strict=True):
        label = t(f"scan {int(scan_id)} — {iso(at)} — {float(value):.1f}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3.5" fill="#b00020"><title>{label}</title></circle>'
        )
    first, last = scores[0][1], scores[-1][1]
    parts.append(
        f'<text x="{pad}" y="{height - 8}" font-size="10" fill="#777">'
        f"{t(first.date().isoformat())}</text>"
    )
    parts.append(
        f'<text x="{width - pad}" y="{height - 8}" font-size="10" fill="#777" '
        f'text-anchor="end">{t(last.date().isoformat())}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _finding_row(f: Finding) -> str:
    reasons = "".join(f"<li>{t(r, limit=300)}</li>" for r in f.reasons[:10])
    ev = f.evidence
    evidence = (
        f'<span class="hash">{t(ev.sha256)}</span><br>{t(iso(ev.captured_at))}' if ev else "—"
    )
    cls = ' class="gone"' if f.status == "gone" else ""
    return (
        f"<tr{cls}><td>{t(f.status)}</td><td>{f.confidence:.2f}</td><td>{t(f.source)}</td>"
        f"<td>{t(f.title or f.key, limit=200)}<br>{link(f.url)}</td>"
        f"<td><ul>{reasons}</ul></td><td>{evidence}</td></tr>"
    )


def _checklist_row(item: ChecklistItem) -> str:
    steps = "".join(f"<li>{prose(s, limit=600)}</li>" for s in item.steps)
    when = f"<br>{t(iso(item.changed_at))}" if item.changed_at else ""
    action = link(item.url, "action link") if item.url else ""
    if item.request is not None and item.request.state is not RequestState.NONE:
        action += f'<br><span class="request">Request: {t(describe(item.request))}</span>'
    status = escape(STATUS_LABEL.get(item.status, item.status))
    member = " member" if grouped_under(item) else ""  # under its network request
    under = f"covered by {t(grouped_under(item))}<br>" if member else ""
    return (
        f'<tr class="p{int(item.priority)}{member}"><td class="st st-{escape(item.status)}">'
        f"{status}{when}</td><td>{int(item.priority)}</td>"
        f"<td>{under}<strong>{t(item.title, limit=200)}</strong><br><code>{t(item.id)}</code>"
        f"<br>{action}</td><td><ul>{steps}</ul></td></tr>"
    )


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document."""
    names = ", ".join(data.profile.names) or data.profile.id
    out = [
        head(f"Exposure report — {data.profile.id}", STYLE),
        f"<h1>Exposure report: {t(names, limit=200)}</h1>",
        f'<p class="meta">Profile <code>{t(data.profile.id)}</code> · generated '
        f"{t(iso(data.generated_at))} · findings at or above confidence "
        f"{data.threshold:.2f}</p>",
        "<h2>Exposure score</h2>",
        f'<p><span class="score">{t(data.score_line())}</span></p>',
        *(f"<p>{t(line)}</p>" for line in data.score_story_lines()),
        f'<p class="meta">{t(data.coverage_line())}</p>',
        trend_svg(data.scores),
        '<p class="meta">The score weighs each current finding by what it exposes '
        "(home address &gt; phone &gt; email &gt; username) and its confidence, and "
        "saturates: 100 × (1 − e<sup>−total/30</sup>).</p>",
        "<h2>Checklist</h2>",
    ]
    if data.checklist:
        out.append(
            "<table><thead><tr><th>Status</th><th>Priority</th><th>What</th>"
            "<th>Steps</th></tr></thead><tbody>"
        )
        for kind, members in by_group(data.checklist):
            out.append(
                f'<tr class="group"><th colspan="4">{t(kind.heading)} ({len(members)})</th></tr>'
            )
            out.extend(_checklist_row(i) for i in members)
        out.append("</tbody></table>")
    else:
        out.append("<p>Nothing to do.</p>")
    out.append("<h2>Findings</h2>")
    groups = data.by_kind()
    if not groups:
        out.append("<p>No findings.</p>")
    for title, group in groups:
        out.append(f"<h3>{t(title)} ({len(group)})</h3>")
        out.append(
            "<table><thead><tr><th>Status</th><th>Confidence</th><th>Source</th>"
            "<th>What / where</th><th>Why</th><th>Evidence (SHA-256, captured)</th>"
            "</tr></thead><tbody>"
        )
        out.extend(_finding_row(f) for f in group)
        out.append("</tbody></table>")
    if data.unknown:
        out.append("<h2>Sources we could not read (unknown, not absent)</h2><ul>")
        out.extend(f"<li>{t(u, limit=300)}</li>" for u in data.unknown[:500])
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
