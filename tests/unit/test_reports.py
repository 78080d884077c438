"""Reports: one self-contained, inert HTML file, and the md/json/csv variants."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
from pathlib import Path

import pytest
from html_kit import tags_of as parse

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Capture, Check, Finding, FindingKind, Outcome
from exposure.reports import safe_url

HOSTILE = (
    '<script>alert("x")</script><img src=x onerror="alert(1)">'
    "[bold red]rich[/bold red] \x1b[31mred\x1b[0m \x1b]8;;http://evil.test\x07link\x1b]8;;\x07"
    '<a href="javascript:alert(2)">click</a> =HYPERLINK("http://evil.test")'
)


def seed(home: Path) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        for n in range(3):  # three scans: a trend to draw
            summary = store.begin_scan("jane", ["brokers"])
            store.record_check(summary.scan_id, Check("brokers", "evil", Outcome.FOUND))
            store.record_check(
                summary.scan_id,
                Check("sites", HOSTILE, Outcome.BLOCKED, url="javascript:alert(3)", detail=HOSTILE),
            )
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="brokers",
                    source="evil",
                    kind=FindingKind.PERSON_RECORD,
                    key="r",
                    url="javascript:alert(document.cookie)",
                    confidence=0.95,
                    reasons=[HOSTILE, "name 0.97 (Jane Doe ~ Jane Doe)"],
                    matched={"exposes": ["home_address"], "name": HOSTILE},
                    title=HOSTILE,
                    capture=Capture(HOSTILE.encode(), "https://evil.test/", "https://evil.test/"),
                ),
            )
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="search",
                    source="SearXNG",
                    kind=FindingKind.SEARCH_RESULT,
                    key="s",
                    url=" JaVaScRiPt:alert(4)",
                    confidence=0.9,
                    reasons=["email seen"],
                    matched={"domain": "evil.test", "email": "jane@x.test"},
                    title="search hit",
                ),
            )
            store.finish_scan(summary)
            store.set_score(summary.scan_id, 20.0 * (n + 1))


def report(fmt: str, out: Path) -> int:
    return main(["report", "--profile", "jane", "--format", fmt, "--output", str(out)])


def test_html_report_is_inert_and_self_contained(exposure_home: Path, tmp_path: Path) -> None:
    seed(exposure_home)
    out = tmp_path / "report.html"
    assert report("html", out) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    tags = parse(text)
    names = [t for t, _ in tags]
    assert "script" not in names and "iframe" not in names and "img" not in names
    assert "link" not in names  # no external stylesheet
    for tag, attrs in tags:
        assert not any(k.lower().startswith("on") for k in attrs), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://")), href
            assert attrs.get("rel") == "noopener noreferrer"
    assert "\x1b" not in text and "\x07" not in text
    assert "javascript:" not in [a.get("href", "") for _, a in tags]
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0]["content"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    # The hostile text is shown, as text.
    assert "&lt;script&gt;" in text and "[bold red]rich[/bold red]" in text
    # Score and trend: an inline SVG with one point per scored scan.
    assert names.count("svg") == 1 and names.count("circle") == 3
    assert "60.0" in text
    # Findings grouped by kind, with confidence and the evidence hash; the checklist.
    assert "People-search records" in text and "Search results" in text
    assert "0.95" in text

    assert hashlib.sha256(HOSTILE.encode()).hexdigest() in text
    assert "broker:evil" in text and "baseline:two-factor" in text


def test_markdown_report_escapes_and_links_only_http(exposure_home: Path, tmp_path: Path) -> None:
    seed(exposure_home)
    out = tmp_path / "report.md"
    assert report("md", out) == 0
    text = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "<script" not in text and "<img" not in text and "<a " not in text
    assert "](javascript" not in text and "<javascript" not in text.lower()
    assert "\x1b" not in text
    assert "&lt;script&gt;" in text
    assert "## Checklist for jane" in text and "| 3 |" in text


def test_json_and_csv_reports(exposure_home: Path, tmp_path: Path) -> None:
    seed(exposure_home)
    assert report("json", tmp_path / "r.json") == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["profile"] == "jane" and doc["score"] == 60.0
    assert [s["score"] for s in doc["scores"]] == [20.0, 40.0, 60.0]
    assert {f["kind"] for f in doc["findings"]} == {"person_record", "search_result"}
    assert any(i["id"] == "broker:evil" for i in doc["checklist"])
    assert doc["unknown_sources"]
    assert report("csv", tmp_path / "r.csv") == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert rows[0][:3] == ["profile", "id", "checker"]
    assert len(rows) == 3
    assert stat.S_IMODE(os.stat(tmp_path / "r.csv").st_mode) == 0o600


def test_report_to_stdout_and_errors(exposure_home: Path, tmp_path: Path, capsys) -> None:
    seed(exposure_home)
    capsys.readouterr()
    assert main(["report", "--profile", "jane", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] == "jane"
    missing = tmp_path / "nowhere" / "r.html"
    assert report("html", missing) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", "--profile", "ghost", "--output", str(tmp_path / "g.html")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["report", "--profile", "jane", "--format", "pdf"])
    assert exc.value.code == 2


def test_report_on_a_profile_without_scans(exposure_home: Path, tmp_path: Path) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    assert report("html", tmp_path / "r.html") == 0
    text = (tmp_path / "r.html").read_text()
    assert "No scored scans yet." in text and "No findings." in text


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.test/x?y=1", True),
        ("http://a.test", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("data:text/html,hi", False),
        ("https://a.test/\x1b[31m", False),
        ('https://a.test/"onmouseover=x', False),
        ("//evil.test/", False),
        ("https://", False),
        ("", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) == url.strip()) is ok


def test_json_report_escapes_bidi_and_c1_controls_in_a_broker_name(
    exposure_home: Path, tmp_path: Path
) -> None:
    """Scraped names with a right-to-left override or a C1 CSI must not reach a
    terminal (``cat report.json``) raw: they are \\u escapes, the same once parsed."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    hostile = "Evil\u202eredoc\u2066Broker\x9b31m\x85"
    with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers"])
        store.record_check(summary.scan_id, Check("brokers", "evil", Outcome.FOUND))
        store.record_finding(
            summary.scan_id,
            "jane",
            Finding(
                checker="brokers",
                source="evil",
                kind=FindingKind.PERSON_RECORD,
                key="r",
                url="https://evil.test/r",
                confidence=0.95,
                matched={"name": hostile},
                title=hostile,
            ),
        )
        store.finish_scan(summary)
    assert report("json", tmp_path / "r.json") == 0
    raw = (tmp_path / "r.json").read_text(encoding="utf-8")
    for char in ("\u202e", "\u2066", "\x9b", "\x85"):
        assert char not in raw, repr(char)
    assert "\\u202e" in raw and "\\u009b" in raw
    [finding] = json.loads(raw)["findings"]
    assert finding["title"] == hostile  # escaped, not lost
