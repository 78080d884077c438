"""The hibp checker against a local server that answers like Have I Been Pwned v3."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure import secrets
from exposure.checkers import hibp
from exposure.checkers.base import ScanContext, TaskResult
from exposure.cli import main
from exposure.config import Config, HttpConfig
from exposure.model import FindingKind, Outcome, Profile
from exposure.net.http import HttpClient, settings_from

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "hibp"
KEY = "hibpKEY-5f1c0ffee9d04a7b-secret"
EMAIL = "jane@example.com"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fake_keyring(value: str | None = None, *, broken: bool = False) -> types.ModuleType:
    module = types.ModuleType("keyring")

    def get_password(service: str, username: str) -> str | None:
        if broken:
            raise RuntimeError("no backend")
        assert (service, username) == ("exposure", "hibp")
        return value

    module.get_password = get_password  # type: ignore[attr-defined]
    return module


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key from the environment and a keyring that knows nothing."""
    monkeypatch.setenv("EXPOSURE_HIBP_API_KEY", KEY)
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(None))


def make_ctx(
    base: str,
    *,
    emails: tuple[str, ...] = (EMAIL,),
    interval: float = 0.0,
    private: tuple[str, ...] = (),
    **http: object,
) -> ScanContext:
    settings = {"retries": 1, "backoff": 0.01, "retry_after_cap": 5.0, "min_interval": 0.0}
    settings.update(http)
    config = Config(http=HttpConfig(**settings), private_fields=list(private))  # type: ignore[arg-type]
    config.checkers["hibp"] = {"base_url": base, "min_interval": interval}
    profile = Profile(id="jane", names=["Jane Doe"], emails=list(emails))
    return ScanContext(profile=profile, config=config, http=HttpClient(settings_from(config.http)))


def run_checker(ctx: ScanContext, checker: hibp.HibpChecker | None = None) -> TaskResult:
    checker = checker or hibp.HibpChecker()
    out = TaskResult()
    for task in checker.tasks(ctx):
        result = task.run()
        out.checks.extend(result.checks)
        out.findings.extend(result.findings)
    return out


def base(server: HTTPServer) -> str:
    return server.url_for("/api/v3").rstrip("/")


def account_path(email: str = EMAIL) -> str:
    return f"/api/v3/breachedaccount/{email}"


# --------------------------------------------------------------------------- answers


def test_two_breaches_are_two_findings_with_reasons_and_evidence(httpserver: HTTPServer) -> None:
    seen: list[Request] = []

    def answer(request: Request) -> Response:
        seen.append(request)
        return Response(
            fixture("breachedaccount_two.json"), 200, content_type="application/json; charset=utf-8"
        )

    httpserver.expect_request(account_path()).respond_with_handler(answer)
    result = run_checker(make_ctx(base(httpserver)))

    assert len(seen) == 1
    request = seen[0]
    assert request.headers["hibp-api-key"] == KEY
    assert request.headers["User-Agent"].startswith("exposure/")
    assert request.args["truncateResponse"] == "false"
    assert "jane%40example.com" in request.environ.get(
        "REQUEST_URI", request.environ.get("RAW_URI")
    )

    [check] = result.checks
    assert check.status is Outcome.FOUND and check.detail == "in 2 breaches"
    assert check.source == "Have I Been Pwned (jane@example.com)"
    assert KEY not in check.url + check.detail
    adobe, knit = sorted(result.findings, key=lambda f: f.matched["breach"])
    assert adobe.kind is FindingKind.BREACH and adobe.confidence == 1.0
    assert adobe.key == "adobe:jane@example.com"
    assert adobe.url == "https://haveibeenpwned.com/Breach/Adobe"
    assert adobe.reasons[0] == (
        "your email jane@example.com is in the Adobe breach (2013-10-04): "
        "Email addresses, Password hints, Passwords, Usernames"
    )
    assert {
        k: adobe.matched[k]
        for k in ("email", "breach", "breach_date", "domain", "is_verified", "is_sensitive")
    } == {
        "email": EMAIL,
        "breach": "Adobe",
        "breach_date": "2013-10-04",
        "domain": "adobe.com",
        "is_verified": True,
        "is_sensitive": False,
    }
    assert adobe.matched["data_classes"][-1] == "Usernames"
    assert adobe.matched["description"].startswith("In October 2013, Adobe lost account records")
    assert '"encrypted"' in adobe.matched["description"]  # entities decoded, tags gone
    assert "HIBP has not verified this breach" in knit.reasons
    assert "\x1b" not in knit.matched["description"]  # hostile text cleaned
    assert knit.title == "Knit Club Forum breach (2019-02-11): jane@example.com"
    assert adobe.capture is not None and adobe.capture.body == fixture("breachedaccount_two.json")
    assert "jane%40example.com" in adobe.capture.url and KEY not in adobe.capture.url


def test_404_means_in_no_breach(httpserver: HTTPServer) -> None:
    httpserver.expect_request(account_path()).respond_with_data("", status=404)
    [check] = run_checker(make_ctx(base(httpserver))).checks
    assert check.status is Outcome.ABSENT
    assert "no known breach" in check.detail


def test_empty_list_is_absent_too(httpserver: HTTPServer) -> None:
    httpserver.expect_request(account_path()).respond_with_json([])
    result = run_checker(make_ctx(base(httpserver)))
    assert [c.status for c in result.checks] == [Outcome.ABSENT] and not result.findings


def test_401_is_a_refused_key_never_absent(httpserver: HTTPServer) -> None:
    httpserver.expect_request(account_path()).respond_with_data(
        fixture("error_401.json"), status=401, content_type="application/json"
    )
    result = run_checker(make_ctx(base(httpserver)))
    [check] = result.checks
    assert check.status is Outcome.BLOCKED
    assert "API key refused" in check.detail and "invalid hibp-api-key" in check.detail
    assert KEY not in check.detail and not result.findings


def test_429_waits_for_retry_after_then_succeeds(httpserver: HTTPServer) -> None:
    calls: list[float] = []

    def answer(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response(
                fixture("error_429.json"),
                429,
                headers={"Retry-After": "1"},
                content_type="application/json",
            )
        return Response(fixture("breachedaccount_two.json"), 200, content_type="application/json")

    httpserver.expect_request(account_path()).respond_with_handler(answer)
    result = run_checker(make_ctx(base(httpserver)))
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 0.9  # Retry-After honoured, not the 0.01 s backoff
    assert result.checks[0].status is Outcome.FOUND and len(result.findings) == 2


def test_persistent_429_is_blocked_with_the_detail(httpserver: HTTPServer) -> None:
    httpserver.expect_request(account_path()).respond_with_data(
        fixture("error_429.json"),
        status=429,
        headers={"Retry-After": "0"},
        content_type="application/json",
    )
    result = run_checker(make_ctx(base(httpserver)))
    [check] = result.checks
    assert check.status is Outcome.BLOCKED
    assert "429" in check.detail and "after 2 tries" in check.detail
    assert "Rate limit is exceeded" in check.detail
    assert not result.findings


@pytest.mark.parametrize(
    ("status", "body", "expected", "words"),
    [
        (503, b"Service Unavailable", Outcome.ERROR, "HTTP 503"),
        (200, b"[{not json", Outcome.ERROR, "malformed JSON"),
        (200, b'{"Name": "Adobe"}', Outcome.ERROR, "unexpected answer shape"),
        (200, b'[{"Title": "no name"}]', Outcome.ERROR, "unexpected answer shape"),
        (418, b"", Outcome.ERROR, "HTTP 418"),
    ],
)
def test_broken_answers_are_errors_never_absent(
    httpserver: HTTPServer, status: int, body: bytes, expected: Outcome, words: str
) -> None:
    httpserver.expect_request(account_path()).respond_with_data(body, status=status)
    result = run_checker(make_ctx(base(httpserver)))
    [check] = result.checks
    assert check.status is expected and words in check.detail
    assert not result.findings


def test_unreachable_and_slow_apis_are_errors(httpserver: HTTPServer) -> None:
    [check] = run_checker(make_ctx("http://127.0.0.1:1/api/v3", retries=0)).checks
    assert check.status is Outcome.ERROR and "refused" in check.detail

    done = threading.Event()

    def slow(request: Request) -> Response:
        time.sleep(0.8)
        done.set()
        return Response("[]", 200)

    httpserver.expect_request(account_path()).respond_with_handler(slow)
    ctx = make_ctx(base(httpserver), retries=0, timeout=0.2, deadline=0.3)
    [check] = run_checker(ctx).checks
    assert check.status is Outcome.ERROR and "timed out" in check.detail
    assert done.wait(5)  # let the server finish before the next test uses it
    time.sleep(0.1)


def test_no_key_is_skipped_with_how_to_get_one(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EXPOSURE_HIBP_API_KEY")
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(broken=True))
    ctx = make_ctx(base(httpserver))
    [check] = run_checker(ctx).checks
    assert check.status is Outcome.SKIPPED
    assert "haveibeenpwned.com/API/Key" in check.detail
    assert "EXPOSURE_HIBP_API_KEY" in check.detail
    assert hibp.HibpChecker().transmissions(ctx) == []  # nothing would be sent
    assert httpserver.log == []


def test_no_email_or_private_email_is_skipped(httpserver: HTTPServer) -> None:
    ctx = make_ctx(base(httpserver), emails=())
    [check] = run_checker(ctx).checks
    assert check.status is Outcome.SKIPPED and "no email" in check.detail
    ctx = make_ctx(base(httpserver), private=("email",))
    [check] = run_checker(ctx).checks
    assert check.status is Outcome.SKIPPED and "private" in check.detail
    assert hibp.HibpChecker().transmissions(ctx) == []
    assert httpserver.log == []


def test_each_email_is_its_own_source_and_request(httpserver: HTTPServer) -> None:
    paths: list[str] = []

    def answer(request: Request) -> Response:
        paths.append(request.path)
        return Response("", 404 if request.path.endswith("a@example.com") else 503)

    httpserver.expect_request("").respond_with_handler(answer)
    emails = ("a@example.com", "B@example.com", "b@example.com")
    ctx = make_ctx(base(httpserver), emails=emails, retries=0)
    checks = {c.source: c.status for c in run_checker(ctx).checks}
    assert checks == {
        "Have I Been Pwned (a@example.com)": Outcome.ABSENT,
        "Have I Been Pwned (B@example.com)": Outcome.ERROR,
    }
    # the same address in two cases is asked once
    assert sorted(paths) == [account_path("B@example.com"), account_path("a@example.com")]


def test_a_server_echoing_the_key_never_gets_it_stored(httpserver: HTTPServer) -> None:
    record = json.loads(fixture("breachedaccount_two.json"))[:1]
    record[0]["Description"] = f"echo {KEY} echo"
    httpserver.expect_request(account_path()).respond_with_json(record)
    [finding] = run_checker(make_ctx(base(httpserver))).findings
    assert finding.capture is not None and KEY.encode() not in finding.capture.body
    assert KEY not in json.dumps(finding.matched) and "[redacted]" in finding.matched["description"]


# --------------------------------------------------------------------------- catalogue


def test_truncated_answers_are_filled_from_the_cached_breach_list(
    httpserver: HTTPServer, exposure_home: Path
) -> None:
    catalogue_requests: list[Request] = []

    def breaches(request: Request) -> Response:
        catalogue_requests.append(request)
        return Response(fixture("breaches.json"), 200, content_type="application/json")

    httpserver.expect_request(account_path()).respond_with_data(
        fixture("breachedaccount_truncated.json"), content_type="application/json"
    )
    httpserver.expect_request("/api/v3/breaches").respond_with_handler(breaches)
    [finding] = run_checker(make_ctx(base(httpserver))).findings
    assert finding.matched["breach_date"] == "2013-10-04"
    assert "Passwords" in finding.matched["data_classes"]
    assert "hibp-api-key" not in catalogue_requests[0].headers  # the public list needs no key
    cache = exposure_home / "cache" / "hibp-breaches.json"
    assert json.loads(cache.read_bytes())[0]["Name"] == "Adobe"
    assert cache.stat().st_mode & 0o777 == 0o600

    run_checker(make_ctx(base(httpserver)))  # a new scan within the week: from the cache
    assert len(catalogue_requests) == 1
    old = time.time() - 8 * 24 * 3600
    os.utime(cache, (old, old))
    run_checker(make_ctx(base(httpserver)))  # older than a week: fetched again
    assert len(catalogue_requests) == 2


def test_a_missing_breach_list_is_not_fatal(httpserver: HTTPServer) -> None:
    httpserver.expect_request(account_path()).respond_with_data(
        fixture("breachedaccount_truncated.json"), content_type="application/json"
    )
    httpserver.expect_request("/api/v3/breaches").respond_with_data("down", status=500)
    result = run_checker(make_ctx(base(httpserver)))
    [finding] = result.findings
    assert result.checks[0].status is Outcome.FOUND
    assert finding.matched["breach"] == "Adobe" and finding.matched["data_classes"] == []
    assert finding.reasons == ["your email jane@example.com is in the Adobe breach"]


def test_enrich_prefers_the_answer_and_fills_the_gaps() -> None:
    catalogue = {"adobe": {"Name": "Adobe", "Title": "Adobe Inc", "BreachDate": "2013-10-04"}}
    merged = hibp.enrich({"Name": "Adobe", "Title": "Adobe", "Domain": ""}, catalogue)
    assert merged["Title"] == "Adobe" and merged["BreachDate"] == "2013-10-04"
    assert hibp.enrich({"Name": "Other"}, catalogue) == {"Name": "Other"}


# --------------------------------------------------------------------------- pacing


def test_requests_are_spaced_by_the_checker_interval(httpserver: HTTPServer) -> None:
    starts: list[float] = []

    def answer(request: Request) -> Response:
        starts.append(time.monotonic())
        return Response("", 404)

    httpserver.expect_request("").respond_with_handler(answer)
    ctx = make_ctx(
        base(httpserver), emails=("a@example.com", "b@example.com", "c@example.com"), interval=0.3
    )
    tasks = list(hibp.HibpChecker().tasks(ctx))
    threads = [threading.Thread(target=t.run) for t in tasks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    starts.sort()
    assert len(starts) == 3
    assert all(b - a >= 0.25 for a, b in zip(starts, starts[1:], strict=False))


# --------------------------------------------------------------------------- keys


def test_key_from_env_then_keyring_and_keyring_failures_mean_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert secrets.api_key("hibp") == KEY
    monkeypatch.delenv("EXPOSURE_HIBP_API_KEY")
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(" from-keyring \n"))
    assert secrets.api_key("hibp") == "from-keyring"
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(broken=True))
    assert secrets.api_key("hibp") is None
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed: import fails
    assert secrets.api_key("hibp") is None
    monkeypatch.setenv("EXPOSURE_HIBP_API_KEY", "   ")
    assert secrets.api_key("hibp") is None


# --------------------------------------------------------------------------- CLI


def write_config(home: Path, api: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        "[http]\nretries = 1\nbackoff = 0.01\nmin_interval = 0.0\n\n"
        f'[checkers.hibp]\nbase_url = "{api}"\nmin_interval = 0\n'
    )


def add_jane() -> None:
    assert (
        main(
            [
                "profile",
                "add",
                "jane",
                "--name",
                "Jane Doe",
                "--email",
                EMAIL,
                "--email",
                "old@example.com",
            ]
        )
        == 0
    )


def test_scan_records_breaches_and_never_the_key(
    httpserver: HTTPServer,
    exposure_home: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request(account_path()).respond_with_data(
        fixture("breachedaccount_two.json"), content_type="application/json"
    )
    httpserver.expect_request(account_path("old@example.com")).respond_with_data(
        fixture("error_401.json"), status=401, content_type="application/json"
    )
    write_config(exposure_home, base(httpserver))
    add_jane()
    capsys.readouterr()
    assert main(["-v", "scan", "--profile", "jane", "--only", "hibp", "--format", "json"]) == 3
    out, err = capsys.readouterr()
    doc = json.loads(out)
    statuses = {c["source"]: c["status"] for c in doc["checks"]}
    assert statuses == {
        "Have I Been Pwned (jane@example.com)": "found",
        "Have I Been Pwned (old@example.com)": "blocked",
    }
    assert sorted(f["matched"]["breach"] for f in doc["findings"]) == ["Adobe", "KnitClub"]
    assert all(f["kind"] == "breach" and f["evidence"]["sha256"] for f in doc["findings"])

    assert KEY not in out + err + caplog.text
    stored = [p for p in exposure_home.rglob("*") if p.is_file()]
    assert any(p.name == "exposure.db" for p in stored)
    assert any("evidence" in p.parts for p in stored)
    for path in stored:
        assert KEY.encode() not in path.read_bytes(), path


def test_dry_run_lists_each_email_and_the_host(
    httpserver: HTTPServer,
    exposure_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(exposure_home, base(httpserver))
    add_jane()
    capsys.readouterr()
    assert (
        main(["scan", "--profile", "jane", "--only", "hibp", "--dry-run", "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    host = httpserver.host  # "localhost"
    assert doc["sends"]["hibp"] == {host: ["email=jane@example.com", "email=old@example.com"]}
    assert httpserver.log == []
