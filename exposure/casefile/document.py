"""The case file as one printable HTML page (Chromium prints it to PDF).

A cover page (whose case this is — a child's names the guardian who keeps
it — what is exposed, what was done about it), then the timeline: incidents
and findings in date order, each finding with its screenshot, URL, capture
time and SHA-256, each incident with every earlier version and each
attachment's hash; then an index of every file's hash. Everything that came
from the web or from the person is hostile text: it passes through the
redactor, loses control characters and is HTML-escaped; the page carries the
report's Content-Security-Policy (no scripts, nothing fetched; screenshots
are inline ``data:`` images).
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from html import escape

from exposure.casefile.incidents import Incident, format_when
from exposure.casefile.redact import NO_REDACTION, Redactor
from exposure.casefile.timeline import CaseData, FindingEntry, IncidentEntry
from exposure.model import iso
from exposure.reports import KIND_TITLES
from exposure.reports.html import CSP
from exposure.reports.screenshot import ScreenshotStatus
from exposure.textsafe import clean

PngReader = Callable[[str], bytes | None]  # a screenshot's SHA-256 -> its PNG, or None
STYLE = """
@page{size:A4;margin:16mm 14mm 18mm}
body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10.5pt;color:#111;line-height:1.4}
h1{font-size:22pt;margin:0 0 4mm}h2{font-size:14pt;border-bottom:1px solid #999;margin-top:8mm}
h3{font-size:11.5pt;margin:0 0 2mm}.cover{break-after:page}
.meta{color:#444}.note{border:1px solid #b00;padding:2mm 3mm;background:#fff4f4}
article{border:1px solid #bbb;border-left:5px solid #555;padding:3mm 4mm;margin:0 0 5mm;
break-inside:avoid}article.incident{border-left-color:#b00020}
article.finding{border-left-color:#1f5fbf}.what{white-space:pre-wrap;margin:1mm 0 2mm}
.old{color:#555;border-top:1px dashed #aaa;margin-top:2mm;padding-top:1mm}
dl{display:grid;grid-template-columns:34mm 1fr;gap:.5mm 3mm;margin:1mm 0}dt{color:#444}
dd{margin:0;overflow-wrap:anywhere}.hash{font-family:'DejaVu Sans Mono',monospace;
font-size:8pt;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%;margin:2mm 0}
th,td{border:1px solid #ccc;padding:1mm 2mm;text-align:left;vertical-align:top;font-size:9pt}
th{background:#eee}img.shot{width:100%;border:1px solid #999;margin-top:2mm}
.failed{color:#b00020;font-weight:bold}
"""


class _Text:
    """Hostile text made safe for the page: redacted, control characters out, escaped."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    def __call__(self, value: object, *, lines: bool = False, limit: int | None = None) -> str:
        text = clean(self.redactor.apply(value), keep_newlines=lines, limit=limit)
        return escape(text, quote=True)


def _when_utc(moment: object) -> str:
    return escape(str(iso(moment) if moment else "—"))  # type: ignore[arg-type]


def _size(n: int) -> str:
    return f"{n:,} bytes"


def _cover(data: CaseData, t: _Text, redacted: bool, version: str) -> str:
    p = data.profile
    name = t(p.primary_name or p.id)
    out = ['<section class="cover"><h1>Case file</h1>']
    if data.guardian is not None:
        g = data.guardian
        out.append(
            f"<p><strong>The case file of a child:</strong> {name} (profile "
            f"<code>{t(p.id)}</code>), kept by their guardian {t(g.primary_name or g.id)} "
            f"(profile <code>{t(g.id)}</code>).</p>"
        )
    elif p.guardian:
        out.append(
            f"<p><strong>The case file of a child:</strong> {name} (profile "
            f"<code>{t(p.id)}</code>), kept by their guardian (profile "
            f"<code>{t(p.guardian)}</code>).</p>"
        )
    else:
        out.append(f"<p><strong>Whose:</strong> {name} (profile <code>{t(p.id)}</code>)</p>")
    if data.coming_of_age:
        out.append(f'<p class="note">{t(data.coming_of_age)}</p>')
    out.append(
        f'<p class="meta">Generated {_when_utc(data.generated_at)} (UTC) by exposure {t(version)}. '
        "Incident times are shown as recorded, with their UTC offset, and in UTC. Each capture "
        "is the page exactly as it was fetched, identified by its SHA-256; each screenshot was "
        "made offline from that capture, with scripts off and no network.</p>"
    )
    if redacted:
        out.append(
            f'<p class="note">This copy is redacted: {t(", ".join(data_fields(t)))} '
            "are blacked out. Screenshots and raw captures are left out of it (they show those "
            "details); their SHA-256 is still listed so they can be matched to the original. "
            "Attachments are included as they were added: exposure cannot black out details "
            "inside them.</p>"
        )
    edited = sum(1 for i in data.incidents if i.edited)
    kinds = Counter(e.finding.kind for e in data.findings)
    online = sum(1 for e in data.findings if e.finding.status != "gone")
    out.append("<h2>Summary</h2><ul>")
    out.append(
        f"<li>{len(data.incidents)} incident(s) recorded"
        + (f", {edited} of them edited (every version is kept)" if edited else "")
        + "</li>"
    )
    out.append(
        f"<li>{len(data.findings)} finding(s) about {name} in public sources: {online} still "
        f"seen at the last check, {len(data.findings) - online} gone since</li>"
    )
    for kind, title in KIND_TITLES.items():
        if kinds.get(kind):
            out.append(f"<li>{escape(title)}: {kinds[kind]}</li>")
    out.append("</ul><h2>What was done about it</h2>")
    states = Counter(i.status for i in data.checklist)
    out.append(
        f"<p>Checklist: {states.get('done', 0)} done, {states.get('verified', 0)} verified "
        f"gone, {states.get('open', 0) + states.get('relisted', 0)} still to do "
        f"({states.get('relisted', 0)} relisted after removal).</p>"
    )
    out.append(f"<p>Removal requests sent: {len(data.sent)}.</p>")
    if data.sent:
        out.append(
            "<table><thead><tr><th>Sent on</th><th>About</th><th>What</th><th>To</th>"
            "<th>Via</th><th>Now</th></tr></thead><tbody>"
        )
        for r in data.sent:
            item = data.item(r.item_id)
            status = item.request if item is not None else None
            now = ""
            if status is not None:
                now = status.state.value + (f", answer due {status.due}" if status.due else "")
            out.append(
                f"<tr><td>{escape(str(r.sent_on))}</td>"
                f"<td>{t(item.title if item else r.item_id, limit=120)}</td>"
                f"<td>{t(r.kind.value)}</td><td>{t(r.recipient, limit=80)}</td>"
                f"<td>{t(r.via)}</td><td>{t(now)}</td></tr>"
            )
        out.append("</tbody></table>")
    if data.done:
        out.append("<table><thead><tr><th>When (UTC)</th><th>Done</th><th>Status</th></tr>")
        out.append("</thead><tbody>")
        for item in sorted(data.done, key=lambda i: i.changed_at or data.generated_at):
            out.append(
                f"<tr><td>{_when_utc(item.changed_at)}</td><td>{t(item.title)}</td>"
                f"<td>{t(item.status)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def data_fields(t: _Text) -> tuple[str, ...]:
    return t.redactor.fields


def _incident(incident: Incident, t: _Text) -> str:
    v = incident.current
    out = [
        f'<article class="incident"><h3>{escape(format_when(v.happened_at))} — '
        f"Incident {incident.id}{' (edited)' if incident.edited else ''}</h3>",
        f'<div class="what">{t(v.what, lines=True)}</div><dl>',
    ]
    for place in v.places:
        out.append(f"<dt>Where</dt><dd>{t(place)}</dd>")
    if v.who:
        out.append(f"<dt>Who</dt><dd>{t(v.who)}</dd>")
    for w in v.witnesses:
        out.append(f"<dt>Witness</dt><dd>{t(w)}</dd>")
    out.append(f"<dt>Recorded</dt><dd>{_when_utc(v.recorded_at)} UTC (version {v.number})</dd>")
    out.append("</dl>")
    if incident.attachments:
        out.append("<table><thead><tr><th>Attachment</th><th>Size</th><th>Added (UTC)</th>")
        out.append("<th>SHA-256</th></tr></thead><tbody>")
        for a in incident.attachments:
            out.append(
                f"<tr><td>{t(a.name)}</td><td>{_size(a.size)}</td>"
                f'<td>{_when_utc(a.added_at)}</td><td class="hash">{escape(a.sha256)}</td></tr>'
            )
        out.append("</tbody></table>")
    for old in reversed(incident.versions[:-1]):
        out.append(
            f'<div class="old"><strong>Edited — version {old.number}, recorded '
            f"{_when_utc(old.recorded_at)} UTC, replaced later.</strong> When: "
            f"{escape(format_when(old.happened_at))}"
            f'<div class="what">{t(old.what, lines=True)}</div></div>'
        )
    out.append("</article>")
    return "".join(out)


def _finding(entry: FindingEntry, t: _Text, read_png: PngReader | None, redacted: bool) -> str:
    f = entry.finding
    ev = f.evidence
    out = [
        f'<article class="finding"><h3>{_when_utc(entry.moment)} UTC — Found: '
        f"{t(f.title or f.key, limit=200)}</h3><dl>",
        f"<dt>Source</dt><dd>{t(f.source)} ({t(KIND_TITLES.get(f.kind, f.kind.value))})</dd>",
        f"<dt>URL</dt><dd>{t(f.url)}</dd>",
        f"<dt>Status</dt><dd>{t(f.status)}, last seen {_when_utc(f.last_seen)} UTC</dd>",
    ]
    if ev is not None:
        if ev.final_url and ev.final_url != ev.url:
            out.append(f"<dt>Final URL</dt><dd>{t(ev.final_url)}</dd>")
        out.append(f"<dt>Captured</dt><dd>{_when_utc(ev.captured_at)} UTC</dd>")
        out.append(f'<dt>SHA-256</dt><dd class="hash">{escape(ev.sha256)}</dd>')
    out.append("</dl>")
    shot = entry.screenshot
    if ev is None:
        out.append("<p>No capture was kept for this finding.</p>")
    elif redacted:
        out.append("<p>Screenshot left out of this redacted copy.</p>")
    elif shot is None:
        out.append("<p>No screenshot yet (<code>exposure evidence screenshot</code>).</p>")
    elif shot.status is not ScreenshotStatus.OK or not shot.sha256 or read_png is None:
        out.append(f'<p class="failed">Screenshot failed: {t(shot.detail)}</p>')
    else:
        png = read_png(shot.sha256)
        if png is None:
            out.append('<p class="failed">Screenshot failed: its file is missing or altered.</p>')
        else:
            data = base64.b64encode(png).decode("ascii")
            out.append(
                f'<img class="shot" alt="screenshot" src="data:image/png;base64,{data}">'
                f'<p class="meta">Screenshot SHA-256 <span class="hash">{escape(shot.sha256)}'
                f"</span>, made {_when_utc(shot.rendered_at)} UTC</p>"
            )
    out.append("</article>")
    return "".join(out)


def _index(data: CaseData, t: _Text) -> str:
    rows = []
    for ref in data.captures:
        rows.append(
            f"<tr><td>capture</td><td>{t(ref.url, limit=120)}</td>"
            f'<td>{escape(ref.captured_at)}</td><td class="hash">{escape(ref.sha256)}</td></tr>'
        )
    for incident in data.incidents:
        for a in incident.attachments:
            rows.append(
                f"<tr><td>attachment (incident {incident.id})</td><td>{t(a.name)}</td>"
                f'<td>{_when_utc(a.added_at)}</td><td class="hash">{escape(a.sha256)}</td></tr>'
            )
    body = "".join(rows) or '<tr><td colspan="4">No files.</td></tr>'
    return (
        "<section><h2>Evidence index</h2><p>Every file this case file rests on, by SHA-256. "
        "Anyone can recompute a hash (<code>sha256sum FILE</code>) to check a copy; the ZIP "
        "export is checked as a whole with <code>exposure evidence verify case.zip</code>.</p>"
        "<table><thead><tr><th>What</th><th>URL / name</th><th>Time (UTC)</th>"
        f"<th>SHA-256</th></tr></thead><tbody>{body}</tbody></table></section>"
    )


def render_html(
    data: CaseData,
    *,
    redactor: Redactor = NO_REDACTION,
    read_png: PngReader | None = None,
    version: str = "",
) -> str:
    """The whole case file; screenshots (by SHA-256, from ``read_png``) are inlined."""
    t = _Text(redactor)
    redacted = redactor.active
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>Case file — {t(data.profile.id)}</title><style>{STYLE}</style></head><body>",
        _cover(data, t, redacted, version),
        "<section><h2>Timeline</h2>",
    ]
    timeline = data.timeline()
    if not timeline:
        parts.append("<p>Nothing recorded yet.</p>")
    for entry in timeline:
        if isinstance(entry, IncidentEntry):
            parts.append(_incident(entry.incident, t))
        else:
            parts.append(_finding(entry, t, read_png, redacted))
    parts.append("</section>")
    parts.append(_index(data, t))
    parts.append("</body></html>")
    return "".join(parts)


def footer(profile_id: str, generated: str) -> str:
    """The PDF's page footer: whose file, when, page N of M."""
    label = escape(clean(f"exposure case file — {profile_id} — generated {generated} UTC"))
    return (
        '<div style="font-size:7pt;width:100%;text-align:center;color:#555">'
        f'{label} — page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</div>"
    )
