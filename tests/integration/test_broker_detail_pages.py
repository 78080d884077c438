"""Detail pages: a record with the person's name but no town and only a wide
age band is looked at on its own page (at most 3 per broker per scan), scored
again with what that page shows, and both pages are kept as evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import ScanContext
from exposure.checkers.brokers import BrokersChecker
from exposure.config import Config, HttpConfig
from exposure.engine.store import Store
from exposure.extract import Record
from exposure.extract.detail import merge_detail, record_unclear
from exposure.model import Check, Finding, Outcome, Profile
from exposure.net.http import HttpClient, settings_from

HTML = "text/html; charset=utf-8"


def card(slug: str, href: str) -> str:
    return (
        f'<div class="card"><a href="{href}"><h3>Jane Doe</h3></a>'
        f"<p>In their 40s</p><p>Related to: Mark Doe, Ann Doe</p></div>"
    )


def results(base: str, slugs: list[str], elsewhere: str = "") -> str:
    cards = "".join(card(s, f"/record/{s}") for s in slugs)
    if elsewhere:
        cards += card("away", elsewhere)
    return (
        f"<html><body><h1>Results for Jane Doe</h1><div class='results'>{cards}</div></body></html>"
    )


DETAIL_HERS = (
    "<html><body><div class='profile'><h1>Jane Doe</h1><p>Age 43</p>"
    "<p>Lives in Austin, TX</p><p>Used to live in Dallas, TX</p></div></body></html>"
)
DETAIL_OTHER = (
    "<html><body><div class='profile'><h1>Jane Doe</h1><p>Age 47</p>"
    "<p>Lives in Boise, ID</p></div></body></html>"
)
CAPTCHA = (
    "<html><head><title>Just a moment...</title></head><body>"
    "<div id='challenge-form'>Checking your browser before accessing</div></body></html>"
)


@pytest.fixture
def seen(httpserver: HTTPServer) -> Iterator[tuple[str, list[str]]]:
    """A broker whose results pages list Jane Doe five times with no town."""
    paths: list[str] = []

    def answer(request: Request) -> Response:
        paths.append(request.path)
        base = httpserver.url_for("").rstrip("/")
        if request.path == "/robots.txt":
            return Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        if request.path == "/search/five":
            return Response(results(base, ["j1", "j2", "j3", "j4", "j5"]), content_type=HTML)
        if request.path == "/search/blocked":
            return Response(results(base, ["walled"]), content_type=HTML)
        if request.path == "/search/away":
            return Response(
                results(base, [], elsewhere="http://other.invalid/record/x"), content_type=HTML
            )
        if request.path == "/record/j1":
            return Response(DETAIL_OTHER, content_type=HTML)
        if request.path == "/record/j2":
            return Response(DETAIL_HERS, content_type=HTML)
        if request.path == "/record/walled":
            return Response(CAPTCHA, status=403, content_type=HTML)
        if request.path.startswith("/record/"):
            return Response(DETAIL_OTHER, content_type=HTML)
        return Response("unexpected", status=418)

    httpserver.expect_request("").respond_with_handler(answer)
    yield httpserver.url_for("").rstrip("/"), paths


def brokers_file(tmp_path: Path, base: str, path: str) -> Path:
    file = tmp_path / "brokers.toml"
    file.write_text(
        f'[[broker]]\nid = "finder"\nname = "Finder"\nsearch_url = "{base}{path}"\n',
        encoding="utf-8",
    )
    return file


JANE = Profile(
    id="jane",
    names=["Jane Q Doe"],
    locations=["Austin, TX"],
    birth_date=date(date.today().year - 43, 1, 1),
)


def scan(
    tmp_path: Path, base: str, path: str, *, profile: Profile = JANE, **options: object
) -> tuple[Check, list[Finding]]:
    config = Config(
        http=HttpConfig(retries=0, backoff=0.0, min_interval=0.0, timeout=5.0, deadline=10.0),
        checkers={"brokers": dict(options)} if options else {},
    )
    ctx = ScanContext(
        profile=profile,
        config=config,
        http=HttpClient(settings_from(config.http)),
        options={"brokers_file": brokers_file(tmp_path, base, path)},
    )
    checks: list[Check] = []
    findings: list[Finding] = []
    try:
        for task in BrokersChecker().tasks(ctx):
            result = task.run()
            checks += result.checks
            findings += result.findings
    finally:
        ctx.http.close()
    assert len(checks) == 1, checks
    return checks[0], findings


def by_url(findings: list[Finding], url: str) -> Finding:
    [finding] = [f for f in findings if f.url == url]
    return finding


def test_an_unclear_record_is_judged_again_on_its_own_page(
    seen: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, paths = seen
    check, findings = scan(tmp_path, base, "/search/five?q={full_name}")
    assert check.status is Outcome.FOUND
    assert check.detail.endswith("1 about you"), check.detail
    hers = by_url(findings, f"{base}/record/j2")
    assert hers.confidence >= 0.6
    assert any(r.startswith("detail page read: it adds 2 places, an age") for r in hers.reasons)
    assert any("Austin" in r and r.startswith("place") for r in hers.reasons), hers.reasons
    other = by_url(findings, f"{base}/record/j1")
    assert other.confidence < 0.6 and other.matched["below_threshold"]
    # Evidence: the results page is the finding's capture, the detail page goes with it.
    assert hers.capture is not None and b"Results for Jane Doe" in hers.capture.body
    assert [c.url for c in hers.related] == [f"{base}/record/j2"]
    assert b"Lives in Austin" in hers.related[0].body
    # At most three detail pages per broker per scan, one request each.
    details = [p for p in paths if p.startswith("/record/")]
    assert len(details) == 3 and len(set(details)) == 3, details


def test_no_detail_pages_when_the_option_is_zero(
    seen: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, paths = seen
    check, findings = scan(tmp_path, base, "/search/five?q={full_name}", detail_pages=0)
    assert not [p for p in paths if p.startswith("/record/")]
    assert check.status is Outcome.FOUND  # her name, unclear: possible listings, never absent
    assert all(f.confidence < 0.6 and not f.related for f in findings)


def test_a_blocked_detail_page_leaves_the_verdict_and_says_so(
    seen: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, _ = seen
    check, findings = scan(tmp_path, base, "/search/blocked?q={full_name}")
    assert check.status is Outcome.FOUND
    assert "none matched your place or age" in check.detail
    [finding] = findings
    assert finding.confidence < 0.6 and not finding.related
    assert any(
        r.startswith("detail page not read (blocked") and "results page alone" in r
        for r in finding.reasons
    ), finding.reasons


def test_a_link_to_another_site_is_never_followed(
    seen: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, paths = seen
    _, findings = scan(tmp_path, base, "/search/away?q={full_name}")
    assert [f.url for f in findings] == ["http://other.invalid/record/x"]
    assert not any("detail page" in r for r in findings[0].reasons)
    assert paths.count("/search/away") == 1 and not [p for p in paths if "record" in p]


def test_the_store_keeps_both_pages(seen: tuple[str, list[str]], tmp_path: Path) -> None:
    base, _ = seen
    _, findings = scan(tmp_path, base, "/search/five?q={full_name}")
    hers = by_url(findings, f"{base}/record/j2")
    store = Store(tmp_path / "db.sqlite", tmp_path / "evidence")
    summary = store.begin_scan("jane", ["brokers"])
    stored = store.record_finding(summary.scan_id, "jane", hers)
    assert stored.evidence is not None and stored.evidence.url == f"{base}/search/five?q=Jane+Doe"
    kept = [c["url"] for c in store.captures("jane") if c["finding_id"] == stored.id]
    assert sorted(kept) == sorted([f"{base}/search/five?q=Jane+Doe", f"{base}/record/j2"])


def test_merge_adds_what_the_detail_page_shows_and_keeps_the_records_own() -> None:
    record = Record("Jane Doe", age_range=(40, 49), relatives=["Mark Doe"], url="https://b.test/1")
    assert record_unclear(record)
    detail = Record(
        "JANE DOE", age=43, places=["Austin, TX"], relatives=["mark doe", "Ann Doe"], url="x"
    )
    merged, added = merge_detail(record, detail)
    assert merged.url == "https://b.test/1" and merged.name == "Jane Doe"
    assert merged.age == 43 and merged.age_range is None
    assert merged.places == ["Austin, TX"]
    assert merged.relatives == ["Mark Doe", "Ann Doe"]
    assert added.describe() == "1 place, 1 relative, an age"
    assert not record_unclear(merged)
    clear = Record("Jane Doe", age=43, places=["Austin, TX"])
    assert not record_unclear(clear)
    assert record_unclear(Record("Jane Doe", age=43))  # no town


def aged_card(slug: str, age: int) -> str:
    return (
        f'<div class="card"><a href="/record/{slug}"><h3>Jane Doe</h3></a>'
        f"<p>Age {age}</p><p>Lives in Austin, TX</p></div>"
    )


def test_her_town_with_an_age_a_generation_off_is_settled_on_its_own_page(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Her name in her town, aged 60 and 61 where she is 43: her with a wrong age, or her
    mother. The record's own page settles it: her street is her; another street is not."""
    paths: list[str] = []
    pages = {
        "/search": (
            "<html><body><h1>Results for Jane Doe</h1><div class='results'>"
            + aged_card("wrong-age", 60)
            + aged_card("mother", 61)
            + "</div></body></html>"
        ),
        "/record/wrong-age": (
            "<html><body><div class='profile'><h1>Jane Doe</h1><p>Age 60</p>"
            "<p>Current address: 12 Elm Street, Austin, TX 78701</p></div></body></html>"
        ),
        "/record/mother": (
            "<html><body><div class='profile'><h1>Jane Doe</h1><p>Age 61</p>"
            "<p>Current address: 99 Oak Avenue, Austin, TX 78702</p></div></body></html>"
        ),
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }

    def answer(request: Request) -> Response:
        paths.append(request.path)
        return Response(pages.get(request.path, "gone"), content_type=HTML)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    jane = Profile(
        id="jane",
        names=["Jane Q Doe"],
        locations=["Austin, TX"],
        addresses=["12 Elm Street, Austin, TX 78701"],
        birth_date=date(date.today().year - 43, 1, 1),
    )
    check, findings = scan(tmp_path, base, "/search?q={full_name}", profile=jane)
    assert sorted(p for p in paths if p.startswith("/record/")) == [
        "/record/mother",
        "/record/wrong-age",
    ]
    hers = by_url(findings, f"{base}/record/wrong-age")
    assert hers.confidence >= 0.6, hers.reasons
    assert any(r.startswith("street address") for r in hers.reasons), hers.reasons
    assert [c.url for c in hers.related] == [f"{base}/record/wrong-age"]
    mother = by_url(findings, f"{base}/record/mother")
    assert mother.confidence < 0.6 and mother.matched["below_threshold"], mother.reasons
    assert any(r.startswith("detail page read") for r in mother.reasons)
    assert check.status is Outcome.FOUND
