"""The ``sites`` checker: pure verdict tables, then functional runs against a local server."""

from __future__ import annotations

import json
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import exposure.net.http
from exposure.catalogues.sites import SiteDef
from exposure.checkers.base import CheckerInputError, ScanContext
from exposure.checkers.sites import (
    OWN_REASON,
    UNKNOWN_OWNER_REASON,
    SitesChecker,
    check_site,
    verdict,
)
from exposure.config import Config, HttpConfig
from exposure.model import FindingKind, Outcome, Profile, Whose
from exposure.people.own_accounts import is_own_account, normalise_url

FOUND, ABSENT, BLOCKED, ERROR = Outcome.FOUND, Outcome.ABSENT, Outcome.BLOCKED, Outcome.ERROR

HAS_HTTP = hasattr(exposure.net.http, "HttpClient")
needs_http = pytest.mark.skipif(not HAS_HTTP, reason="exposure.net.http.HttpClient not implemented")


def wmn(**over: Any) -> SiteDef:
    fields: dict[str, Any] = dict(
        name="Example",
        check_url="https://example.test/u/{account}",
        profile_url="https://example.test/u/{account}",
        e_code=200,
        e_string="profile-card",
        m_code=404,
        m_string="not found",
    )
    fields.update(over)
    return SiteDef(**fields)


def sherlock(*types: str, **over: Any) -> SiteDef:
    fields: dict[str, Any] = dict(
        name="Example",
        check_url="https://example.test/{account}",
        profile_url="https://example.test/{account}",
        format="sherlock",
        error_types=types,
    )
    fields.update(over)
    return SiteDef(**fields)


# --------------------------------------------------------------------------- WhatsMyName table


@pytest.mark.parametrize(
    ("site", "status", "text", "expected"),
    [
        (wmn(), 200, "<div class=profile-card>", FOUND),
        (wmn(), 404, "page not found", ABSENT),
        (wmn(), 200, "welcome home", ERROR),  # right code, no expected text: never guess
        (wmn(), 404, "something else", ERROR),
        (wmn(), 500, "profile-card", ERROR),
        (wmn(), 302, "", ERROR),  # a redirect nobody described
        (wmn(), 429, "slow down", BLOCKED),
        (wmn(), 403, "go away", BLOCKED),
        (wmn(m_code=302, m_string=""), 302, "", ABSENT),  # empty m_string matches anything
        (wmn(m_code=200, m_string='"ok"'), 200, '{"status":"ok"}', ABSENT),
        (wmn(m_code=200, m_string='"ok"'), 200, "profile-card", FOUND),
        (
            wmn(e_code=400, e_string="unavailable", m_code=200, m_string="ok"),
            400,
            "unavailable",
            FOUND,
        ),
    ],
)
def test_wmn_verdicts(site: SiteDef, status: int, text: str, expected: Outcome) -> None:
    assert verdict(site, status, {}, text, site.check_url).outcome is expected


def test_wmn_error_detail_says_what_was_wrong() -> None:
    v = verdict(wmn(), 200, {}, "nothing here", "")
    assert v.detail == "unexpected answer: HTTP 200 without the expected text"
    assert verdict(wmn(), 500, {}, "", "").detail == "unexpected answer: HTTP 500"


# --------------------------------------------------------------------------- Sherlock table


@pytest.mark.parametrize(
    ("site", "status", "text", "expected"),
    [
        # status_code without errorCode: 2xx found, 3xx/4xx absent, refusals blocked, 5xx error
        (sherlock("status_code"), 200, "", FOUND),
        (sherlock("status_code"), 404, "", ABSENT),
        (sherlock("status_code"), 301, "", ABSENT),
        (sherlock("status_code"), 429, "", BLOCKED),
        (sherlock("status_code"), 403, "", BLOCKED),
        (sherlock("status_code"), 503, "", ERROR),
        # with errorCode
        (sherlock("status_code", error_codes=(204,)), 204, "", ABSENT),
        (sherlock("status_code", error_codes=(204,)), 200, "", FOUND),
        (sherlock("status_code", error_codes=(204,)), 404, "", ABSENT),
        (sherlock("status_code", error_codes=(204,)), 400, "", ERROR),
        (sherlock("status_code", error_codes=(500,)), 500, "", ABSENT),
        # message: string or list of strings
        (sherlock("message", error_msgs=("no such user",)), 200, "sorry: no such user", ABSENT),
        (sherlock("message", error_msgs=("a", "b")), 200, "xx b xx", ABSENT),
        (sherlock("message", error_msgs=("no such user",)), 200, "Jane's page", FOUND),
        (sherlock("message", error_msgs=("no such user",)), 404, "no such user", ABSENT),
        (sherlock("message", error_msgs=("no such user",)), 500, "oops", ERROR),
        (sherlock("message", error_msgs=("no such user",)), 404, "oops", ERROR),
        # response_url: redirects are not followed, so a redirect means absent
        (sherlock("response_url"), 200, "", FOUND),
        (sherlock("response_url"), 302, "", ABSENT),
        (sherlock("response_url"), 500, "", ERROR),
        # a list of errorType: any absent wins, all found is found
        (sherlock("message", "status_code", error_msgs=("gone",)), 200, "gone", ABSENT),
        (sherlock("message", "status_code", error_msgs=("gone",)), 404, "hello", ABSENT),
        (sherlock("message", "status_code", error_msgs=("gone",)), 200, "hello", FOUND),
        (sherlock("message", "status_code", error_msgs=("gone",)), 503, "hello", ERROR),
    ],
)
def test_sherlock_verdicts(site: SiteDef, status: int, text: str, expected: Outcome) -> None:
    assert verdict(site, status, {}, text, site.check_url).outcome is expected


# --------------------------------------------------------------------------- own accounts


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        ("https://github.com/janedoe", True),
        ("http://www.GitHub.com/janedoe/", True),
        ("github.com/JaneDoe", True),
        ("https://github.com/janedoe2", False),
        ("https://gitlab.com/janedoe", False),
        ("", False),
    ],
)
def test_own_account_normalisation(known: str, expected: bool) -> None:
    assert is_own_account("https://github.com/janedoe", [known]) is expected


def test_normalise_url_keeps_query_and_port() -> None:
    assert normalise_url("https://WWW.Example.test:8443/p/?u=Jane") == "example.test:8443/p?u=jane"
    assert normalise_url("https://example.test:443/p") == "example.test/p"


# --------------------------------------------------------------------------- functional


def fast_config(**sites_cfg: Any) -> Config:
    http = HttpConfig(min_interval=0.0, retries=2, backoff=0.0, timeout=5.0, deadline=10.0)
    return Config(http=http, checkers={"sites": sites_cfg} if sites_cfg else {})


@pytest.fixture
def make_ctx(tmp_path: Path):
    clients: list[Any] = []

    def _make(
        catalogue: dict[str, Any],
        usernames: tuple[str, ...] = ("janedoe",),
        accounts: tuple[str, ...] = (),
        config: Config | None = None,
        cancel: threading.Event | None = None,
    ) -> ScanContext:
        path = tmp_path / "sites.json"
        path.write_text(json.dumps(catalogue), encoding="utf-8")
        config = config or fast_config()
        cancel = cancel or threading.Event()
        client = exposure.net.http.HttpClient(exposure.net.http.settings_from(config.http), cancel)
        clients.append(client)
        profile = Profile(id="jane", usernames=list(usernames), accounts=list(accounts))
        return ScanContext(
            profile=profile,
            config=config,
            http=client,
            cancel=cancel,
            options={"sites_file": path},
        )

    yield _make
    for client in clients:
        client.close()


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def wmn_catalogue(server: HTTPServer, **over: Any) -> dict[str, Any]:
    entry = {
        "name": "LocalSite",
        "uri_check": server.url_for("/u/{account}"),
        "e_code": 200,
        "e_string": "profile-card",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["alice"],
        "cat": "social",
    }
    entry.update(over)
    return {"sites": [entry]}


def run_all(ctx: ScanContext):
    checker = SitesChecker()
    results = [task.run() for task in checker.tasks(ctx)]
    checks = [c for r in results for c in r.checks]
    findings = [f for r in results for f in r.findings]
    return checks, findings


@needs_http
def test_wmn_found_gives_an_account_finding(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data("<div class='profile-card'>Jane</div>")
    ctx = make_ctx(wmn_catalogue(server))
    checks, findings = run_all(ctx)
    assert [c.status for c in checks] == [FOUND]
    assert checks[0].source == "LocalSite" and checks[0].url == server.url_for("/u/janedoe")
    (finding,) = findings
    assert finding.kind is FindingKind.ACCOUNT
    assert finding.key == "localsite:janedoe"
    assert finding.url == server.url_for("/u/janedoe")
    assert finding.confidence == 0.7 and finding.reasons == [UNKNOWN_OWNER_REASON]
    assert finding.compat_matched() == {
        "username": "janedoe",
        "site": "LocalSite",
        "category": "social",
        "own": False,
    }
    assert finding.title == "LocalSite account 'janedoe'"
    assert finding.capture is not None and b"profile-card" in finding.capture.body


@needs_http
def test_known_account_is_own_with_full_confidence(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/JaneDoe").respond_with_data("profile-card")
    own = server.url_for("/u/janedoe/").replace("http://", "https://")
    ctx = make_ctx(wmn_catalogue(server), usernames=("JaneDoe",), accounts=(own,))
    _, (finding,) = run_all(ctx)
    assert finding.whose is Whose.OWN
    assert finding.confidence == 1.0 and finding.reasons == [OWN_REASON]
    assert finding.key == "localsite:janedoe"


@needs_http
def test_wmn_absent(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data("no such user", status=404)
    checks, findings = run_all(make_ctx(wmn_catalogue(server)))
    assert [c.status for c in checks] == [ABSENT] and findings == []


@needs_http
def test_wmn_redirect_is_not_followed(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/landing")}
    )
    server.expect_request("/landing").respond_with_data("profile-card")
    catalogue = wmn_catalogue(server, m_code=302, m_string="")
    checks, findings = run_all(make_ctx(catalogue))
    assert [c.status for c in checks] == [ABSENT] and findings == []
    assert all(req.path != "/landing" for req, _ in server.log)


@needs_http
def test_wmn_unexpected_answer_is_error_not_absent(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data("welcome", status=200)
    (check,), _ = run_all(make_ctx(wmn_catalogue(server)))
    assert check.status is ERROR
    assert check.detail == "unexpected answer: HTTP 200 without the expected text"


@needs_http
def test_block_page_is_blocked(server: HTTPServer, make_ctx) -> None:
    page = "<html><head><title>Just a moment...</title></head><body>cf_chl_opt</body></html>"
    server.expect_request("/u/janedoe").respond_with_data(page, status=403)
    (check,), findings = run_all(make_ctx(wmn_catalogue(server)))
    assert check.status is BLOCKED and findings == []
    assert "Cloudflare" in check.detail


@needs_http
def test_rate_limit_reports_tries(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data("slow down", status=429)
    (check,), _ = run_all(make_ctx(wmn_catalogue(server)))
    assert check.status is BLOCKED
    assert check.detail.endswith("after 3 tries") and "429" in check.detail


@needs_http
@pytest.mark.parametrize("robots", [False, True])
def test_unreachable_site_is_error(make_ctx, robots: bool) -> None:
    catalogue = {
        "sites": [
            {
                "name": "Gone",
                "uri_check": "http://127.0.0.1:9/u/{account}",
                "e_code": 200,
                "e_string": "x",
                "m_code": 404,
                "m_string": "y",
                "known": ["a"],
                "cat": "misc",
            }
        ]
    }
    cfg = fast_config(respect_robots=robots)
    cfg.http.retries = 0
    (check,), findings = run_all(make_ctx(catalogue, config=cfg))
    # Offline or down is unknown: an error, never "skipped" for robots.txt's sake.
    assert check.status is ERROR and "connection refused" in check.detail and findings == []


@needs_http
def test_robots_disallow_skips(httpserver: HTTPServer, make_ctx) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /u/\n")
    (check,), _ = run_all(make_ctx(wmn_catalogue(httpserver)))
    assert check.status is Outcome.SKIPPED
    assert check.detail == "robots.txt disallows this check"
    assert all(req.path != "/u/janedoe" for req, _ in httpserver.log)


@needs_http
def test_robots_can_be_turned_off_for_sites(httpserver: HTTPServer, make_ctx) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    httpserver.expect_request("/u/janedoe").respond_with_data("profile-card")
    ctx = make_ctx(wmn_catalogue(httpserver), config=fast_config(respect_robots=False))
    (check,), _ = run_all(ctx)
    assert check.status is FOUND


@needs_http
def test_wmn_post_body_and_headers_are_sent(server: HTTPServer, make_ctx) -> None:
    server.expect_request(
        "/api/check",
        method="POST",
        json={"username": "jane.doe"},
        headers={"X-Test": "yes"},
    ).respond_with_data('{"taken":true}')
    catalogue = wmn_catalogue(
        server,
        uri_check=server.url_for("/api/check"),
        uri_pretty="https://example.test/@{account}",
        post_body='{"username":"{account}"}',
        headers={"Content-Type": "application/json", "X-Test": "yes"},
        e_string='"taken":true',
        m_code=200,
        m_string='"taken":false',
    )
    checks, (finding,) = run_all(make_ctx(catalogue, usernames=("jane.doe",)))
    assert checks[0].status is FOUND
    assert finding.url == "https://example.test/@jane.doe"


@needs_http
def test_strip_bad_char_applies_to_the_request(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/u/janedoe").respond_with_data("profile-card")
    catalogue = wmn_catalogue(server, strip_bad_char=".")
    (check,), (finding,) = run_all(make_ctx(catalogue, usernames=("jane.doe",)))
    assert check.status is FOUND
    assert finding.key == "localsite:jane.doe"


def sherlock_catalogue(server: HTTPServer, **entry: Any) -> dict[str, Any]:
    base = {
        "url": server.url_for("/{}"),
        "urlMain": server.url_for("/"),
        "username_claimed": "blue",
    }
    base.update(entry)
    return {"$schema": "x", "LocalSherlock": base}


@needs_http
@pytest.mark.parametrize(
    ("status", "expected"), [(200, FOUND), (404, ABSENT), (403, BLOCKED), (500, ERROR)]
)
def test_sherlock_status_code(server: HTTPServer, make_ctx, status: int, expected) -> None:
    server.expect_request("/janedoe").respond_with_data("hello", status=status)
    cfg = fast_config()
    cfg.http.retries = 0
    (check,), findings = run_all(
        make_ctx(sherlock_catalogue(server, errorType="status_code"), config=cfg)
    )
    assert check.status is expected
    assert len(findings) == (1 if expected is FOUND else 0)


@needs_http
@pytest.mark.parametrize(("body", "expected"), [("Jane's page", FOUND), ("User not found", ABSENT)])
def test_sherlock_message(server: HTTPServer, make_ctx, body: str, expected) -> None:
    server.expect_request("/janedoe").respond_with_data(body)
    catalogue = sherlock_catalogue(server, errorType="message", errorMsg=["not found", "banned"])
    (check,), _ = run_all(make_ctx(catalogue))
    assert check.status is expected


@needs_http
def test_sherlock_response_url_redirect_is_absent(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/janedoe").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/")}
    )
    server.expect_request("/").respond_with_data("home")
    catalogue = sherlock_catalogue(server, errorType="response_url", errorUrl=server.url_for("/"))
    (check,), _ = run_all(make_ctx(catalogue))
    assert check.status is ABSENT
    assert all(req.path != "/" for req, _ in server.log)


@needs_http
def test_sherlock_probe_url_and_regex_skip(server: HTTPServer, make_ctx) -> None:
    server.expect_request("/api/users/janedoe").respond_with_data("{}")
    catalogue = sherlock_catalogue(
        server,
        url="https://example.test/profile/{}",
        urlProbe=server.url_for("/api/users/{}"),
        errorType="status_code",
        regexCheck="^[a-z]+$",
    )
    checks, findings = run_all(make_ctx(catalogue, usernames=("janedoe", "Jane_Doe")))
    by_url = {c.url: c for c in checks}
    assert by_url["https://example.test/profile/janedoe"].status is FOUND
    skipped = by_url["https://example.test/profile/Jane_Doe"]
    assert skipped.status is Outcome.SKIPPED
    assert skipped.detail == "username does not fit this site's rules"
    assert [f.url for f in findings] == ["https://example.test/profile/janedoe"]
    assert all("Jane_Doe" not in req.path for req, _ in server.log)


@needs_http
def test_sherlock_post_payload(server: HTTPServer, make_ctx) -> None:
    server.expect_request(
        "/api/check", method="POST", json={"username": "janedoe"}
    ).respond_with_data('{"taken":true}')
    catalogue = sherlock_catalogue(
        server,
        url="https://example.test/@{}",
        urlProbe=server.url_for("/api/check"),
        request_method="POST",
        request_payload={"username": "{}"},
        errorType="message",
        errorMsg='{"taken":false}',
    )
    (check,), _ = run_all(make_ctx(catalogue))
    assert check.status is FOUND


@needs_http
def test_cancel_propagates(server: HTTPServer, make_ctx) -> None:
    cancel = threading.Event()
    cancel.set()
    ctx = make_ctx(wmn_catalogue(server), cancel=cancel)
    site = SitesChecker().catalogue(ctx).sites[0]
    with pytest.raises(exposure.net.http.Cancelled):
        check_site(ctx, site, "janedoe")


# --------------------------------------------------------------------------- tasks, dry run


class _NoHttp:
    def request(self, *a: Any, **k: Any) -> Any:  # pragma: no cover - must not be called
        raise AssertionError("no request expected")


def offline_ctx(
    tmp_path: Path, catalogue: dict[str, Any], private: tuple[str, ...] = (), **profile: Any
) -> ScanContext:
    path = tmp_path / "cat.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    return ScanContext(
        profile=Profile(id="p", **profile),
        config=Config(private_fields=list(private)),
        http=_NoHttp(),  # type: ignore[arg-type]
        options={"sites_file": str(path)},
    )


OFFLINE = {
    "sites": [
        {
            "name": n,
            "uri_check": u,
            "e_code": 200,
            "e_string": "x",
            "m_code": 404,
            "m_string": "",
            "known": ["a"],
            "cat": "misc",
        }
        for n, u in [
            ("A", "https://a.example.test/{account}"),
            ("B", "https://a.example.test/other/{account}"),
            ("C", "https://{account}.c.example.test/"),
        ]
    ]
}


def test_tasks_one_per_site_and_username(tmp_path: Path) -> None:
    ctx = offline_ctx(tmp_path, OFFLINE, usernames=["jane", "jd", "jane", " "])
    tasks = list(SitesChecker().tasks(ctx))
    assert len(tasks) == 6
    assert {t.source for t in tasks} == {"A", "B", "C"}
    assert all(t.checker == "sites" for t in tasks)


def test_no_usernames_no_tasks(tmp_path: Path) -> None:
    assert list(SitesChecker().tasks(offline_ctx(tmp_path, OFFLINE))) == []


def test_private_username_field_is_never_sent(tmp_path: Path) -> None:
    ctx = offline_ctx(tmp_path, OFFLINE, private=("username",), usernames=["jane"])
    assert list(SitesChecker().tasks(ctx)) == []
    assert SitesChecker().transmissions(ctx) == []


def test_transmissions_per_username_and_host(tmp_path: Path) -> None:
    ctx = offline_ctx(tmp_path, OFFLINE, usernames=["jane", "j_d"])
    sent = {(t.field, t.value, t.host) for t in SitesChecker().transmissions(ctx)}
    assert sent == {
        ("username", "jane", "a.example.test"),
        ("username", "jane", "jane.c.example.test"),
        ("username", "j_d", "a.example.test"),  # j_d cannot be a host name: not sent to C
    }


def test_unfit_username_is_skipped_without_a_request(tmp_path: Path) -> None:
    ctx = offline_ctx(tmp_path, OFFLINE, usernames=["j_d"])
    site = SitesChecker().catalogue(ctx).sites[2]
    result = check_site(ctx, site, "j_d")
    assert [c.status for c in result.checks] == [Outcome.SKIPPED]


def test_catalogue_is_cached_on_the_instance(tmp_path: Path) -> None:
    ctx = offline_ctx(tmp_path, OFFLINE, usernames=["jane"])
    checker = SitesChecker()
    first = checker.catalogue(ctx)
    Path(ctx.options["sites_file"]).write_text("{broken", encoding="utf-8")
    assert checker.catalogue(ctx) is first


def test_broken_sites_file_raises_input_error(tmp_path: Path) -> None:
    ctx = offline_ctx(
        tmp_path, {"sites": [{"name": "X", "uri_check": "ftp://x/{account}"}]}, usernames=["jane"]
    )
    with pytest.raises(CheckerInputError, match="'X'"):
        list(SitesChecker().tasks(ctx))


def test_checker_is_registered_in_pyproject() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    groups = tomllib.loads(pyproject.read_text())["project"]["entry-points"]
    assert groups["exposure.checkers"]["sites"] == "exposure.checkers.sites:SitesChecker"
    assert SitesChecker.id == "sites" and SitesChecker.title and SitesChecker.description
