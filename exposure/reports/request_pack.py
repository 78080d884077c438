"""The removal requests in an evidence pack: every draft, and when and how it was sent.

``requests.json`` in the pack lists each request the person drafted or
recorded (``exposure request draft|sent``): the item, kind, law, recipient,
subject, the full text of the draft, the date it was written and the date
and way it was sent, so they can show what they asked for and when. The
pack's ``index.html`` shows the same, escaped (scraped names and URLs are
hostile). ``manifest.json`` carries the file's SHA-256 like the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exposure.engine.store import Store

REQUESTS = "requests.json"


def request_entries(store: Store, profile: str) -> list[dict[str, Any]]:
    """Every request row of ``profile``, oldest first, with its draft text."""
    from exposure.engine.request_log import RequestLog

    return [{**r.to_dict(), "body": r.body} for r in RequestLog(store).records(profile)]


def requests_json(entries: list[dict[str, Any]]) -> bytes:
    from exposure.textsafe import json_text

    return (json_text({"requests": entries}, ensure_ascii=False, indent=2) + "\n").encode()


def requests_html(entries: list[dict[str, Any]]) -> str:
    """The requests section of the pack's index page."""
    from exposure.reports.html import t

    if not entries:
        return "<h2>Removal requests</h2><p>No requests drafted or sent.</p>"
    rows = []
    for e in entries:
        sent = f"{t(e['sent_on'])} by {t(e['via'])}" if e["sent_on"] else "not sent"
        rows.append(
            f"<tr><td>{t(e['item_id'])}</td><td>{t(e['kind'])}<br>{t(e['jurisdiction'])}</td>"
            f"<td>{t(e['drafted_at'])}</td><td>{sent}</td>"
            f"<td>{t(e['recipient'])}<br><strong>{t(e['subject'])}</strong>"
            f"<pre>{t(e['body'])}</pre></td></tr>"
        )
    return (
        "<h2>Removal requests</h2><p>Each draft as written, when it was written (UTC) and "
        f"the date it was sent (<code>{REQUESTS}</code> has the same).</p>"
        "<table><thead><tr><th>Item</th><th>Kind / law</th><th>Drafted</th><th>Sent</th>"
        "<th>To / text</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
