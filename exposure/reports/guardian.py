"""The guardian report rendered as Markdown or HTML (its data: engine/guardian_report.py).

Scraped text is hostile: Markdown goes through reports.markdown's md (escaped,
URLs as code spans, never links), HTML through reports.html's t, link and head
(escaped, http(s) links only, the reports' Content-Security-Policy).
"""

from __future__ import annotations

import html
from typing import Any

from exposure.reports.html import head, link, prose, t
from exposure.reports.markdown import md, md_url


def _md(value: object, limit: int = 300) -> str:
    return md(value if value is not None else "", limit=limit)


def _finding_line(f: dict[str, Any]) -> str:
    flag = "**HIGH** " if f["severity"] == "high" else ""
    why = "; ".join(_md(r, 200) for r in f["reasons"][:4])
    return f"- {flag}{_md(f['title'] or f['source'], 120)} — {md_url(f['url'])}  \n  {why}"


def _age_text(child: dict[str, Any]) -> str:
    return f"age {child['age']}" if child["age"] is not None else "age unknown"


def render_markdown(data: dict[str, Any]) -> str:
    g = _md(data["guardian_name"] or data["guardian"], 80)
    out = [
        f"# What the internet shows about the children in {g}'s care",
        "",
        f"_Generated {_md(data['generated_at'])}. {_md(data['note'])}_",
        "",
    ]
    if data.get("unreadable_note"):
        out += [f"> **Not in this report:** {_md(data['unreadable_note'])}", ">"]
        out += [f"> - {_md(line, 300)}" for line in data["unreadable_profiles"]]
        out += [""]
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


def render_html(data: dict[str, Any]) -> str:
    g = _h(data["guardian_name"] or data["guardian"], 80)
    body = [
        f"<h1>What the internet shows about the children in {g}'s care</h1>",
        f'<p class="meta">Generated {_h(data["generated_at"])}. {_h(data["note"])}</p>',
    ]
    if data.get("unreadable_note"):
        items = "".join(f"<li>{_h(line, 300)}</li>" for line in data["unreadable_profiles"])
        body.append(
            f'<div class="note"><p><strong>Not in this report:</strong> '
            f"{_h(data['unreadable_note'])}</p><ul>{items}</ul></div>"
        )
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
        steps = "".join(f"<li>{prose(s, limit=300)}</li>" for s in a["steps"])
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
