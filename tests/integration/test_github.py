"""The github checker against a local server that answers like GitHub's search API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checker_kit import scan_context
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import ScanContext, TaskResult
from exposure.checkers.github import GithubChecker, check_commits, check_users, group_commits
from exposure.model import FindingKind, Outcome, Profile, Whose

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "github"
EMAIL = "jane.doe@example.com"
COMMITS_Q = {"q": f"author-email:{EMAIL}", "per_page": "100"}
USERS_Q = {"q": f"{EMAIL} in:email", "per_page": "100"}


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("EXPOSURE_GITHUB_TOKEN", "EXPOSURE_GITHUB_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def make_ctx(
    base: str | None,
    emails: list[str] | None = None,
    private: tuple[str, ...] = (),
    accounts: list[str] | None = None,
) -> ScanContext:
    profile = Profile(
        id="jane",
        names=["Jane Doe"],
        emails=emails if emails is not None else [EMAIL],
        accounts=accounts or [],
    )
    checkers = {"github": {"base_url": base}} if base is not None else {}
    return scan_context(profile, checkers=checkers, private=private)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_commits_are_grouped_per_repository(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/search/commits",
        query_string=COMMITS_Q,
        headers={"Accept": "application/vnd.github+json"},
    ).respond_with_data(fixture("commits.json"), content_type="application/json")
    result = check_commits(make_ctx(httpserver.url_for("/")), EMAIL)
    [check] = result.checks
    assert check.status is Outcome.FOUND and check.source == "GitHub commits"
    assert "3 commit(s) in 2 repositories" in check.detail
    by_repo = {f.matched["repository"]: f for f in result.findings}
    assert set(by_repo) == {"janedoe/garden-planner", "acme-corp/widgets"}
    garden = by_repo["janedoe/garden-planner"]
    assert garden.kind is FindingKind.PROFILE and garden.confidence == 1.0
    assert garden.url == "https://github.com/janedoe/garden-planner"
    assert garden.key == f"{EMAIL}:janedoe/garden-planner"
    assert garden.matched["commits"] == 2
    assert garden.matched["author_names"] == ["Jane Doe", "jane"]
    assert garden.matched["email"] == EMAIL
    assert any("your email is in public commits" in r for r in garden.reasons)
    assert garden.capture is not None and garden.capture.body == fixture("commits.json")
    assert by_repo["acme-corp/widgets"].matched["commits"] == 1


def test_real_commit_search_sample(httpserver: HTTPServer, shared_data: Path) -> None:
    body = shared_data / "api-samples" / "github_search_commits_hash_5b0224e_pygithub.json"
    data = json.loads(body.read_bytes())
    httpserver.expect_request("/search/commits").respond_with_data(body.read_bytes())
    result = check_commits(make_ctx(httpserver.url_for("/")), "jamesbroadhead@gmail.com")
    assert result.checks[0].status is Outcome.FOUND
    repos = {item["repository"]["full_name"] for item in data["items"]}
    assert {f.matched["repository"] for f in result.findings} == repos
    assert sum(f.matched["commits"] for f in result.findings) == len(data["items"])
    assert all("James Broadhead" in f.matched["author_names"] for f in result.findings)


def test_more_commits_than_read_are_said(httpserver: HTTPServer) -> None:
    data = json.loads(fixture("commits.json"))
    data["total_count"] = 250
    data["incomplete_results"] = True
    httpserver.expect_request("/search/commits").respond_with_json(data)
    result = check_commits(make_ctx(httpserver.url_for("/")), EMAIL)
    assert "incomplete" in result.checks[0].detail
    assert any("250 in all" in r for f in result.findings for r in f.reasons)


def test_users_are_accounts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search/users", query_string=USERS_Q).respond_with_data(
        fixture("users.json")
    )
    ctx = make_ctx(httpserver.url_for("/"), accounts=["github.com/JaneDoe/"])
    result = check_users(ctx, EMAIL)
    assert result.checks[0].status is Outcome.FOUND
    [finding] = result.findings
    assert finding.kind is FindingKind.ACCOUNT and finding.source == "GitHub users"
    assert finding.url == "https://github.com/janedoe"
    assert finding.matched["login"] == "janedoe" and finding.whose is Whose.OWN
    assert "one of your known accounts" in finding.reasons


def test_nothing_found_is_absent(httpserver: HTTPServer) -> None:
    empty = {"total_count": 0, "incomplete_results": False, "items": []}
    httpserver.expect_request("/search/commits").respond_with_json(empty)
    httpserver.expect_request("/search/users").respond_with_json(empty)
    ctx = make_ctx(httpserver.url_for("/"))
    for result in (check_commits(ctx, EMAIL), check_users(ctx, EMAIL)):
        assert [c.status for c in result.checks] == [Outcome.ABSENT]
        assert result.findings == []


def test_exhausted_quota_is_rate_limited_not_a_bad_key(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search/commits").respond_with_data(
        fixture("rate_limited.json"),
        status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
    )
    [check] = check_commits(make_ctx(httpserver.url_for("/")), EMAIL).checks
    assert check.status is Outcome.BLOCKED
    assert "rate limited" in check.detail and "1700000000" in check.detail
    assert "EXPOSURE_GITHUB_TOKEN" in check.detail
    assert "refused" not in check.detail and "key" not in check.detail


def test_secondary_rate_limit_message_is_rate_limited(httpserver: HTTPServer) -> None:
    body = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
    httpserver.expect_request("/search/users").respond_with_json(body, status=403)
    [check] = check_users(make_ctx(httpserver.url_for("/")), EMAIL).checks
    assert check.status is Outcome.BLOCKED and "rate limited" in check.detail


def test_refused_token_is_blocked_and_token_is_sent(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("Authorization"))
        return Response('{"message": "Bad credentials"}', status=401)

    httpserver.expect_request("/search/commits").respond_with_handler(handler)
    monkeypatch.setenv("EXPOSURE_GITHUB_TOKEN", "ghp_test")
    [check] = check_commits(make_ctx(httpserver.url_for("/")), EMAIL).checks
    assert seen == ["Bearer ghp_test"]
    assert check.status is Outcome.BLOCKED
    assert "token was refused" in check.detail and "Bad credentials" in check.detail
    assert "ghp_test" not in check.detail and "ghp_test" not in check.url


def test_plain_403_without_quota_headers_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search/commits").respond_with_json(
        {"message": "Forbidden"}, status=403, headers={"x-ratelimit-remaining": "9"}
    )
    [check] = check_commits(make_ctx(httpserver.url_for("/")), EMAIL).checks
    assert check.status is Outcome.BLOCKED and "refused" in check.detail


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "words"),
    [
        (422, "validation_failed.json", {}, Outcome.ERROR, "Validation Failed"),
        (429, "", {"Retry-After": "60"}, Outcome.BLOCKED, "rate limited"),
        (500, "", {}, Outcome.ERROR, "HTTP 500"),
        (502, "<html>bad gateway</html>", {}, Outcome.ERROR, "HTTP 502"),
        (404, "", {}, Outcome.ERROR, "HTTP 404"),
        (200, "{oops", {}, Outcome.ERROR, "malformed JSON"),
        (200, "[]", {}, Outcome.ERROR, "unexpected answer shape"),
        (200, '{"total_count": 1}', {}, Outcome.ERROR, "unexpected answer shape"),
        (200, '{"items": {"a": 1}}', {}, Outcome.ERROR, "unexpected answer shape"),
        (200, '{"items": [1, "x", {"sha": "a"}]}', {}, Outcome.ERROR, "unexpected answer shape"),
    ],
)
def test_failures_are_never_absent(
    httpserver: HTTPServer,
    status: int,
    body: str,
    headers: dict[str, str],
    expected: Outcome,
    words: str,
) -> None:
    payload: Any = fixture(body) if body.endswith(".json") else body
    for path in ("/search/commits", "/search/users"):
        httpserver.expect_request(path).respond_with_data(payload, status=status, headers=headers)
    ctx = make_ctx(httpserver.url_for("/"))
    for result in (check_commits(ctx, EMAIL), check_users(ctx, EMAIL)):
        [check] = result.checks
        assert check.status is expected and words in check.detail
        assert result.findings == []


def test_unreadable_items_are_skipped_and_counted() -> None:
    items = json.loads(fixture("commits.json"))["items"]
    repos, bad = group_commits([*items, {"sha": "x"}, None, {"repository": ["not", "a", "dict"]}])
    assert bad == 3 and sum(r.commits for r in repos.values()) == 3


def test_unreachable_api_is_an_error() -> None:
    ctx = make_ctx("http://127.0.0.1:1")
    tasks = list(GithubChecker().tasks(ctx))
    results: list[TaskResult] = [t.run() for t in tasks]
    assert [t.source for t in tasks] == ["GitHub commits", "GitHub users"]
    assert all(r.checks[0].status is Outcome.ERROR and not r.findings for r in results)


def test_transmissions_base_url_and_private_email() -> None:
    from exposure.engine.scan import without_private

    checker = GithubChecker()
    ctx = make_ctx(None, emails=["Jane.Doe@example.com", "jd@work.example"])
    assert {(t.field, t.value, t.host) for t in checker.transmissions(ctx)} == {
        ("email", EMAIL, "api.github.com"),
        ("email", "jd@work.example", "api.github.com"),
    }
    assert len(list(checker.tasks(ctx))) == 4
    ghe = make_ctx("https://ghe.example.org/api/v3")
    assert {t.host for t in checker.transmissions(ghe)} == {"ghe.example.org"}
    private = make_ctx(None, private=("email",))
    assert list(checker.tasks(private)) == []
    assert without_private([checker], private)[0] == []
