"""The ``brokers`` checker against result pages served on loopback.

Every broker here is a fake one in a ``--brokers`` file pointing at
pytest-httpserver; the pages are in tests/fixtures/broker_pages/.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import CheckerInputError, ScanContext
from exposure.checkers.brokers import NEEDS_JAVASCRIPT, BrokersChecker
from exposure.cli import main
from exposure.config import Config, HttpConfig
from exposure.model import BrokerOptOut, Check, Finding, FindingKind, Outcome, Profile
from exposure.net.http import HttpClient, settings_from

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "broker_pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def entry(broker_id: str, base: str, path: str | None, **extra: object) -> str:
    """One [[broker]] table; ``path`` is the search path (None: no public search)."""
    lines = [
        "[[broker]]",
        f'id = "{broker_id}"',
        f'name = "{broker_id.capitalize()}"',
        'country = "US"',
        f'url = "{base}/"',
        f'opt_out_url = "{base}/{broker_id}/optout"',
        'opt_out = { method = "web-form", requires = ["email-verification"], days = 3 }',
    ]
    if path is not None:
        lines.append(f'search_url = "{base}{path}"')
    for key, value in extra.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n\n"


@pytest.fixture
def web(httpserver: HTTPServer) -> Iterator[str]:
    """A fake web of people-search sites, one path prefix per behaviour."""

    def answer(request: Request) -> Response:
        path = request.path
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        if path.startswith("/found/"):
            return Response(page("results.html"), content_type=html)
        if path.startswith("/namesakes/"):
            return Response(page("namesakes.html"), content_type=html)
        if path.startswith("/nothing/"):
            return Response(page("no_results.html"), content_type=html)
        if path.startswith("/nothing404/"):
            return Response(page("no_results.html"), status=404, content_type=html)
        if path.startswith("/gone404/"):
            return Response("<h1>Not Found</h1>", status=404, content_type=html)
        if path.startswith("/walled/"):
            return Response(page("challenge.html"), status=403, content_type=html)
        if path.startswith("/custom/"):
            return Response(page("custom_empty.html"), content_type=html)
        if path.startswith("/shell/"):
            return Response(page("app_shell.html"), content_type=html)
        if path.startswith("/state-blob/"):
            return Response(STATE_BLOB_SHELL, content_type=html)
        if path.startswith("/phone/"):
            return Response(page("linked.html"), content_type=html)
        if path.startswith("/broken/"):
            return Response("oops", status=500)
        if path.startswith("/login-wall/"):
            return Response("", status=302, headers={"Location": "/account/login?next=x"})
        if path.startswith("/account/login"):
            return Response("<form><input name=user></form>", content_type=html)
        if path.startswith("/private/"):
            return Response(page("results.html"), content_type=html)
        return Response("unexpected", status=418)

    httpserver.expect_request("").respond_with_handler(answer)
    yield httpserver.url_for("").rstrip("/")


# An app shell whose records are only in its state blob (issue 12 item 2).
STATE_BLOB_SHELL = (
    '<!doctype html><html><head><script>window.__INITIAL_STATE__ = {"results": ['
    '{"fullName": "Jane Q Doe", "age": 41, "city": "Austin", "state": "TX",'
    ' "phones": ["(512) 555-0100"], "url": "/p/jane-q-doe-1"},'
    '{"fullName": "Jane Doe", "age": 77, "city": "Fargo", "state": "ND", "url": "/p/jd-2"}'
    ']};</script></head><body><div id="root"></div>'
    "<noscript>Please enable JavaScript to use this site.</noscript></body></html>"
)


def jane(**over: object) -> Profile:
    fields: dict[str, object] = dict(
        id="jane",
        names=["Jane Q Doe"],
        phones=["+15125550100"],
        locations=["Austin, TX"],
    )
    fields.update(over)
    return Profile(**fields)  # type: ignore[arg-type]


def context(
    profile: Profile, brokers: Path, private: tuple[str, ...] = (), **checker: object
) -> ScanContext:
    config = Config(
        http=HttpConfig(retries=0, backoff=0.0, min_interval=0.0, timeout=5.0, deadline=10.0),
        checkers={"brokers": dict(checker)} if checker else {},
        private_fields=list(private),
    )
    return ScanContext(
        profile=profile,
        config=config,
        http=HttpClient(settings_from(config.http)),
        options={"brokers_file": brokers},
    )


def run(ctx: ScanContext) -> tuple[list[Check], list[Finding]]:
    checks: list[Check] = []
    findings: list[Finding] = []
    try:
        for task in BrokersChecker().tasks(ctx):
            assert task.checker == "brokers"
            result = task.run()
            assert all(c.source == task.source for c in result.checks)
            checks += result.checks
            findings += result.findings
    finally:
        ctx.http.close()
    return checks, findings


def one_broker(tmp_path: Path, base: str, path: str | None, **extra: object) -> Path:
    file = tmp_path / "brokers.toml"
    file.write_text(entry("peoplefinderz", base, path, **extra))
    return file


def only_check(checks: list[Check]) -> Check:
    assert len(checks) == 1, checks
    return checks[0]


# --------------------------------------------------------------------------- outcomes


def test_results_page_with_the_person_and_namesakes(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/found/search?q={full_name}&st={region}")
    checks, findings = run(context(jane(), brokers))
    check = only_check(checks)
    assert check.status is Outcome.FOUND
    assert check.url == f"{web}/found/search?q=Jane+Doe&st=TX"
    assert check.detail == "3 records, 1 about you"
    # The namesakes (other cities, other phones) are at most weak candidates.
    [finding] = [f for f in findings if f.confidence >= 0.6]
    weak = [f for f in findings if f is not finding]
    assert all(f.confidence < 0.6 and f.matched["below_threshold"] for f in weak)
    assert all("jane-q-doe" not in f.url for f in weak)
    assert finding.kind is FindingKind.PERSON_RECORD
    assert finding.source == "peoplefinderz" and finding.checker == "brokers"
    assert finding.url == f"{web}/record/jane-q-doe-austin-tx"  # the record's own link
    assert finding.key == f"peoplefinderz:{web}/record/jane-q-doe-austin-tx"
    assert finding.title == "Peoplefinderz record 'Jane Q Doe, Austin, TX'"
    assert finding.confidence >= 0.6
    assert finding.reasons and all(isinstance(r, str) for r in finding.reasons)
    assert isinstance(finding.remedy, BrokerOptOut)
    assert finding.remedy.broker_id == "peoplefinderz"
    assert finding.remedy.broker_name == "Peoplefinderz"
    assert "phone" in finding.exposes
    assert finding.capture is not None
    assert b"Jane Q Doe" in finding.capture.body
    assert finding.capture.url == check.url


def test_namesakes_only_are_possible_listings_never_absent(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/namesakes/{first}/{last}")
    checks, findings = run(context(jane(birth_date=date(1982, 5, 1)), brokers))
    check = only_check(checks)
    assert check.status is Outcome.FOUND
    assert check.detail == (
        "2 records with your name; none matched your place or age — look at them"
    )
    assert len(findings) == 2
    assert all(f.confidence < 0.6 and f.matched["below_threshold"] for f in findings)
    assert all(any("below the threshold" in r for r in f.reasons) for f in findings)


def test_no_results_page_is_absent(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/nothing/{full_name}")
    checks, findings = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.ABSENT
    assert "no results" in checks[0].detail
    assert findings == []


def test_no_results_phrase_from_the_catalogue(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/custom/{full_name}")
    checks, _ = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.ERROR  # unknown wording: not absent
    brokers = one_broker(tmp_path, web, "/custom/{full_name}", no_results=["NOT in our  directory"])
    checks, _ = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.ABSENT


def test_404_with_no_results_text_is_absent_but_bare_404_is_error(web: str, tmp_path: Path) -> None:
    brokers = tmp_path / "b.toml"
    brokers.write_text(
        entry("nf", web, "/nothing404/{full_name}") + entry("gone", web, "/gone404/{full_name}")
    )
    checks, _ = run(context(jane(), brokers))
    by = {c.source: c for c in checks}
    assert by["nf"].status is Outcome.ABSENT
    assert by["gone"].status is Outcome.ERROR and "HTTP 404" in by["gone"].detail


def test_cloudflare_challenge_is_blocked_with_link_for_manual_check(
    web: str, tmp_path: Path
) -> None:
    brokers = one_broker(tmp_path, web, "/walled/{full_name}")
    checks, findings = run(context(jane(), brokers))
    check = only_check(checks)
    assert check.status is Outcome.BLOCKED
    assert "Cloudflare" in check.detail and "check by hand" in check.detail
    assert check.url == f"{web}/walled/Jane%20Doe"
    assert findings == []


def test_login_wall_is_blocked(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/login-wall/{full_name}")
    checks, _ = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.BLOCKED
    assert "login" in checks[0].detail


def test_unreadable_page_is_error_never_absent(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/shell/{full_name}")
    checks, findings = run(context(jane(), brokers))
    check = only_check(checks)
    assert check.status is Outcome.ERROR
    assert check.detail == NEEDS_JAVASCRIPT and "page needs JavaScript" in check.detail
    assert findings == []


def test_an_app_shell_is_read_from_its_state_blob_not_called_unreadable(
    web: str, tmp_path: Path
) -> None:
    brokers = one_broker(tmp_path, web, "/state-blob/{full_name}")
    checks, findings = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.FOUND
    assert [f.url for f in findings if f.confidence >= 0.5] == [f"{web}/p/jane-q-doe-1"]


def test_server_error_is_error(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/broken/{full_name}")
    checks, _ = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.ERROR
    assert "HTTP 500" in checks[0].detail


@pytest.mark.parametrize("robots", [True, False])
def test_unreachable_host_is_error(tmp_path: Path, robots: bool) -> None:
    brokers = one_broker(tmp_path, "http://127.0.0.1:9", "/x/{full_name}")
    checks, _ = run(context(jane(), brokers, respect_robots=robots))
    assert only_check(checks).status is Outcome.ERROR
    assert "connection refused" in checks[0].detail


def test_linked_record_shows_the_persons_phone(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/nothing/{full_name}")
    text = brokers.read_text().replace(
        "search_url", f'phone_search_url = "{web}/phone/{{phone}}"\nsearch_url'
    )
    brokers.write_text(text)
    checks, findings = run(context(jane(), brokers))
    by_url = {c.url: c for c in checks}
    phone_check = by_url[f"{web}/phone/5125550100"]
    assert phone_check.status is Outcome.FOUND
    [finding] = findings
    assert finding.kind is FindingKind.LINKED_RECORD
    assert finding.url == f"{web}/record/robert-roe-round-rock-tx"
    assert "phone" in finding.exposes
    assert finding.title.startswith("Peoplefinderz record 'Robert Roe, Round Rock, TX' shows")


def test_broker_without_search_is_skipped_with_manual_link(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, None)
    checks, findings = run(context(jane(), brokers))
    check = only_check(checks)
    assert check.status is Outcome.SKIPPED
    assert check.detail == f"no public search; check by hand: {web}/peoplefinderz/optout"
    assert findings == []


def test_unfillable_search_is_skipped_with_reason(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/found/{full_name}/{city}")
    checks, _ = run(context(jane(locations=[]), brokers))
    check = only_check(checks)
    assert check.status is Outcome.SKIPPED and "needs a city" in check.detail


def test_one_task_per_name_and_place(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/nothing/{full_name}/{city}")
    profile = jane(names=["Jane Q Doe", "Jane Roe"], locations=["Austin, TX", "Dallas, TX"])
    checks, _ = run(context(profile, brokers))
    assert sorted(c.url.removeprefix(web) for c in checks) == [
        "/nothing/Jane%20Doe/Austin",
        "/nothing/Jane%20Doe/Dallas",
        "/nothing/Jane%20Roe/Austin",
        "/nothing/Jane%20Roe/Dallas",
    ]


def test_robots_txt_respected_unless_turned_off(
    web: str, tmp_path: Path, httpserver: HTTPServer
) -> None:
    brokers = one_broker(tmp_path, web, "/private/{full_name}")
    checks, findings = run(context(jane(), brokers))
    assert only_check(checks).status is Outcome.SKIPPED
    assert "robots.txt" in checks[0].detail and findings == []
    assert not [r for r, _ in httpserver.log if r.path.startswith("/private/")]

    checks, findings = run(context(jane(), brokers, respect_robots=False))
    assert only_check(checks).status is Outcome.FOUND
    assert [f.url for f in findings if f.confidence >= 0.6] == [
        f"{web}/record/jane-q-doe-austin-tx"
    ]


def test_private_fields_are_never_sent(web: str, tmp_path: Path, httpserver: HTTPServer) -> None:
    brokers = one_broker(tmp_path, web, "/nothing/{full_name}")
    text = brokers.read_text().replace(
        "search_url", f'phone_search_url = "{web}/phone/{{phone}}"\nsearch_url'
    )
    brokers.write_text(text)
    ctx = context(jane(), brokers, private=("phone",))
    sends = BrokersChecker().transmissions(ctx)
    assert {(t.field, t.value) for t in sends} == {("name", "Jane Doe")}
    checks, _ = run(ctx)
    assert [c.url for c in checks] == [f"{web}/nothing/Jane%20Doe"]
    assert not [r for r, _ in httpserver.log if "5125550100" in r.full_path]


def test_a_private_phone_on_a_results_page_is_still_recognised(
    web: str, tmp_path: Path, httpserver: HTTPServer
) -> None:
    # Through the runner: checkers get the profile without the private phone, yet
    # the broker's page listing it is compared (on this machine) with the whole one.
    from exposure.engine.scan import ScanFinished, ScanOptions, run_scan
    from exposure.engine.store import Store

    brokers = one_broker(tmp_path, web, "/found/search?q={full_name}&st={region}")
    text = brokers.read_text().replace(
        "search_url", f'phone_search_url = "{web}/phone/{{phone}}"\nsearch_url'
    )
    brokers.write_text(text)
    config = context(jane(), brokers, private=("phone",)).config
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as store:
        events = list(
            run_scan(
                jane(),
                [BrokersChecker()],
                store=store,
                config=config,
                options=ScanOptions(brokers_file=brokers),
            )
        )
    last = events[-1]
    assert isinstance(last, ScanFinished)
    [check] = last.summary.checks  # the name search; the phone search is not made
    assert check.url == f"{web}/found/search?q=Jane+Doe&st=TX"
    [finding] = [f for f in last.summary.findings if f.confidence >= 0.6]
    assert finding.url == f"{web}/record/jane-q-doe-austin-tx"
    assert any(r.startswith("phone ") and r.endswith(" is yours") for r in finding.reasons)
    asked = [unquote(r.full_path) for r, _ in httpserver.log]
    assert asked and not [a for a in asked if "5550100" in re.sub(r"\D", "", a)]
    assert not [a for a in asked if a.startswith("/phone/")]


def test_transmissions_name_each_field_and_host(web: str, tmp_path: Path) -> None:
    brokers = one_broker(tmp_path, web, "/found/{first}-{last}?city={city}&st={region}")
    sends = BrokersChecker().transmissions(context(jane(), brokers))
    host = urlsplit(web).hostname
    assert {(t.field, t.value, t.host) for t in sends} == {
        ("name", "Jane Doe", host),
        ("city", "Austin", host),
        ("region", "TX", host),
    }


def test_out_of_area_broker_is_not_asked(web: str, tmp_path: Path, httpserver: HTTPServer) -> None:
    brokers = one_broker(tmp_path, web, "/found/{full_name}")
    brokers.write_text(brokers.read_text().replace('country = "US"', 'country = "SE"'))
    ctx = context(jane(), brokers)
    assert BrokersChecker().transmissions(ctx) == []
    checks, _ = run(ctx)
    assert checks == [] and not [r for r, _ in httpserver.log if r.path.startswith("/found/")]


def test_bad_brokers_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"brokers": [{"id": "x", "name": "X"}]}))
    with pytest.raises(CheckerInputError, match="bad.json.*'x'"):
        list(BrokersChecker().tasks(context(jane(), bad)))


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def cli_home(exposure_home: Path) -> Path:
    exposure_home.mkdir(parents=True, exist_ok=True)
    (exposure_home / "config.toml").write_text(
        "[http]\nretries = 0\nmin_interval = 0.0\ntimeout = 5.0\ndeadline = 10.0\n"
    )
    assert (
        main(
            [
                "profile",
                "add",
                "jane",
                "--name",
                "Jane Q Doe",
                "--location",
                "Austin, TX",
                "--phone",
                "+1 512 555 0100",
            ]
        )
        == 0
    )
    return exposure_home


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_scan_end_to_end_json(
    web: str, tmp_path: Path, cli_home: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    toml_text = (
        entry("finder", web, "/found/{full_name}")
        + entry("quiet", web, "/nothing/{full_name}")
        + entry("walled", web, "/walled/{full_name}")
        + entry("shell", web, "/shell/{full_name}")
        + entry("manual", web, None)
    )
    if fmt == "toml":
        brokers = tmp_path / "brokers.toml"
        brokers.write_text(toml_text)
    else:
        brokers = tmp_path / "brokers.json"
        brokers.write_text(json.dumps({"brokers": tomllib.loads(toml_text)["broker"]}))
    capsys.readouterr()
    argv = [
        "scan",
        "--profile",
        "jane",
        "--only",
        "brokers",
        "--brokers",
        str(brokers),
        "--format",
        "json",
    ]
    status = main(argv)
    doc = json.loads(capsys.readouterr().out)
    assert status == 3
    statuses = {c["source"]: c["status"] for c in doc["checks"]}
    assert statuses == {
        "finder": "found",
        "quiet": "absent",
        "walled": "blocked",
        "shell": "error",
        "manual": "skipped",
    }
    [finding] = doc["findings"]
    assert finding["checker"] == "brokers" and finding["source"] == "finder"
    assert finding["kind"] == "person_record"
    assert finding["url"] == f"{web}/record/jane-q-doe-austin-tx"
    assert finding["matched"]["broker_name"] == "Finder"
    assert len(finding["evidence"]["sha256"]) == 64
    assert finding["new"] is True

    assert main(argv) == 0  # the same record again: nothing new
    again = json.loads(capsys.readouterr().out)
    assert again["findings"][0]["id"] == finding["id"]


def test_scan_with_broken_brokers_file_exits_2(
    tmp_path: Path, cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[broker]]\nid = "nope"\nname = "Nope"\n')
    capsys.readouterr()
    assert main(["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.toml" in err and "'nope'" in err and "\n" not in err


def test_dry_run_lists_fields_per_host_and_sends_nothing(
    web: str,
    tmp_path: Path,
    cli_home: Path,
    capsys: pytest.CaptureFixture[str],
    httpserver: HTTPServer,
) -> None:
    brokers = one_broker(tmp_path, web, "/found/{full_name}?c={city}")
    capsys.readouterr()
    argv = [
        "scan",
        "--profile",
        "jane",
        "--only",
        "brokers",
        "--brokers",
        str(brokers),
        "--dry-run",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    host = urlsplit(web).hostname
    assert doc["sends"]["brokers"] == {host: ["city=Austin", "name=Jane Doe"]}
    assert len(httpserver.log) == 0
