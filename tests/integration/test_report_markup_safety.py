"""Markdown and HTML reports stay inert when rendered (issue 14 item 9).

Scraped text and URLs go into a child's store; the guardian report and the
main report are rendered the way a reader would see them (markdown-it-py,
CommonMark with raw HTML allowed, the most permissive renderer) and the
resulting HTML is searched for anything that could run, restyle the page or
load from the network. Scraped URLs in Markdown are code, never links.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from html_kit import tags_of
from markdown_it import MarkdownIt

from exposure.cli import main
from exposure.engine import guardian
from exposure.engine.store import Store
from exposure.model import AccountAction, Check, Finding, FindingKind, Outcome
from exposure.reports.html import CSP

SCRIPT = "<script>alert(1)</script>"
SVG = "<svg onload=alert(2)>"
STYLE = "<style>body{display:none}</style>"
PIXEL = "![seen](http://tracker.test/pixel.png)"
IMG = '<img src="http://tracker.test/p.gif">'
LINK = "[click me](http://tracker.test/phish)"
HOSTILE = " ".join((SCRIPT, SVG, STYLE, PIXEL, IMG, LINK, "`code` *em* <b>b</b>"))
URLS = (
    "http://tracker.test/a?<script>alert(3)</script>",
    "https://b.test/x) ![t](http://tracker.test/t.png",
    "javascript:alert(4)",
    "https://b.test/fine/page",
    "http://b.test/`break`<svg onload=alert(5)>",
)


def rendered(markdown_text: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown_text)


def assert_inert(html_text: str, *, links_allowed: bool) -> None:
    tags = tags_of(html_text)
    names = [name for name, _ in tags]
    assert "script" not in names
    assert "style" not in names
    assert "svg" not in names
    assert "iframe" not in names and "object" not in names
    for name, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (name, attrs)
        if name == "img":
            assert (attrs.get("src") or "").startswith("data:"), attrs
        if name == "a":
            assert links_allowed, f"a scraped URL became a link: {attrs}"
            href = attrs.get("href") or ""
            assert href.startswith(("http://", "https://")), attrs
        if name == "link":
            pytest.fail(f"a <link> tag: {attrs}")


def hostile_family() -> None:
    assert main(["profile", "add", "robin", "--name", "Robin Example"]) == 0
    assert main(["profile", "add", "sam", "--name", "Sam Example", "--guardian", "robin"]) == 0
    with Store.open_current() as store:
        scan = store.begin_scan("sam", ["sites", "brokers"])
        for i, url in enumerate(URLS):
            store.record_check(
                scan.scan_id,
                Check("brokers", f"{HOSTILE} {i}", Outcome.BLOCKED, url=url, detail=HOSTILE),
            )
            store.record_finding(
                scan.scan_id,
                "sam",
                Finding(
                    checker="sites",
                    source=f"{HOSTILE} {i}",
                    kind=FindingKind.ACCOUNT,
                    key=f"acct{i}",
                    title=HOSTILE,
                    url=url,
                    confidence=0.9,
                    reasons=[HOSTILE],
                    remedy=AccountAction(site=HOSTILE, username=HOSTILE, category="gaming"),
                ),
            )
            store.record_finding(
                scan.scan_id,
                "sam",
                Finding(
                    checker="brokers",
                    source=f"{HOSTILE} {i}",
                    kind=FindingKind.PERSON_RECORD,
                    key=f"rec{i}",
                    title=HOSTILE,
                    url=url,
                    confidence=0.9,
                    reasons=[HOSTILE],
                ),
            )
        store.finish_scan(scan)


def test_guardian_markdown_renders_inert_with_urls_as_code() -> None:
    hostile_family()
    with Store.open_current() as store:
        text = guardian.guardian_report(store, "robin", "md")
    page = rendered(text)
    assert_inert(page, links_allowed=False)
    codes = "".join(
        part.split("</code>")[0] for part in page.split("<code>")[1:]
    )  # every URL sits in a code span, as text
    assert "https://b.test/fine/page" in codes
    assert "javascript:alert(4)" in codes
    assert "&lt;script&gt;alert(1)" in page  # the text is still shown, as text


def test_guardian_html_has_the_reports_content_security_policy() -> None:
    hostile_family()
    with Store.open_current() as store:
        page = guardian.guardian_report(store, "robin", "html")
    head, _, body = page.partition("<body>")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in head
    assert '<meta name="referrer" content="no-referrer">' in head
    assert_inert(body, links_allowed=True)  # the head's <style> is our own CSS


def test_main_markdown_report_shows_scraped_urls_as_code(tmp_path: Path) -> None:
    hostile_family()
    out = tmp_path / "report.md"
    assert main(["report", "--profile", "sam", "--format", "md", "--output", str(out)]) == 0
    page = rendered(out.read_text(encoding="utf-8"))
    assert_inert(page, links_allowed=False)
    assert "<code>https://b.test/fine/page</code>" in page


def test_checklist_markdown_shows_action_urls_as_code() -> None:
    from exposure.model import ChecklistItem
    from exposure.reports.markdown import checklist_markdown

    items = [
        ChecklistItem(
            id="broker:x", title=HOSTILE, priority=1, url=url, steps=[HOSTILE], status="open"
        )
        for url in URLS
    ]
    page = rendered(checklist_markdown("sam", items))
    assert_inert(page, links_allowed=False)
    assert "<code>https://b.test/fine/page</code>" in page


def test_guardian_json_escapes_terminal_controls_and_bidi() -> None:
    """A broker named with a bidi override or a C1 control reaches the JSON as \\u escapes."""
    hostile_family()
    bidi = "Evil\u202eBroker\x9b31m\x7f\u2066"
    with Store.open_current() as store:
        scan = store.begin_scan("sam", ["brokers"])
        store.record_finding(
            scan.scan_id,
            "sam",
            Finding(
                checker="brokers",
                source=bidi,
                kind=FindingKind.PERSON_RECORD,
                key="bidi",
                title=bidi,
                url="https://b.test/bidi",
                confidence=0.9,
            ),
        )
        store.finish_scan(scan)
        text = guardian.guardian_report(store, "robin", "json")
    for raw in ("\u202e", "\x9b", "\x7f", "\u2066"):
        assert raw not in text
    exposed = json.loads(text)["children"][0]["exposed"]
    assert bidi in {f["source"] for f in exposed}  # the same text once parsed


def test_html_shows_our_commands_as_code_and_keeps_scraped_text_inert() -> None:
    """Steps name commands between backticks; HTML shows them as <code>, escaped."""
    from exposure.reports.html import prose

    step = f"Run `exposure findings --profile 'sam o'` then `{SCRIPT}` and a lone ` tick"
    page = prose(step)
    assert "<code>exposure findings --profile &#x27;sam o&#x27;</code>" in page
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    assert page.count("`") == 1  # only the unpaired one is left as it is
    assert_inert(page, links_allowed=False)


def test_html_checklist_rows_show_step_commands_as_code() -> None:
    from exposure.model import ChecklistItem
    from exposure.reports.html import _checklist_row

    item = ChecklistItem(
        id="broker:x",
        title=HOSTILE,
        priority=1,
        url=URLS[3],
        steps=["Then run `exposure checklist done broker:x --profile sam`.", HOSTILE],
        status="open",
    )
    row = _checklist_row(item)
    assert "<code>exposure checklist done broker:x --profile sam</code>" in row
    assert "`exposure" not in row
    assert_inert(row, links_allowed=True)
