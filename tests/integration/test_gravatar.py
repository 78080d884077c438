"""The gravatar checker against a local server that answers like the Gravatar v3 API."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from checker_kit import scan_context
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import ScanContext, TaskResult
from exposure.checkers.gravatar import GravatarChecker, email_hash
from exposure.model import FindingKind, Outcome, Profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "gravatar"
EMAIL = "jane.doe@example.com"


@pytest.fixture(autouse=True)
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPOSURE_GRAVATAR_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def make_ctx(base: str | None, emails: list[str] | None = None, private: tuple[str, ...] = ()):
    profile = Profile(
        id="jane", names=["Jane Doe"], emails=emails if emails is not None else [EMAIL]
    )
    checkers = {"gravatar": {"base_url": base}} if base is not None else {}
    return scan_context(profile, checkers=checkers, private=private)


def run_all(ctx: ScanContext) -> list[TaskResult]:
    return [task.run() for task in GravatarChecker().tasks(ctx)]


def path_for(email: str) -> str:
    return f"/v3/profiles/{hashlib.sha256(email.encode()).hexdigest()}"


def test_hash_is_sha256_of_trimmed_lowercased_email() -> None:
    expected = hashlib.sha256(b"jane.doe@example.com").hexdigest()
    assert email_hash("  Jane.Doe@Example.COM \n") == expected
    assert email_hash("other@example.com") != expected


def test_public_profile_is_a_finding_naming_what_it_exposes(httpserver: HTTPServer) -> None:
    body = (FIXTURES / "profile.json").read_bytes()
    httpserver.expect_request(path_for(EMAIL)).respond_with_data(
        body, content_type="application/json"
    )
    ctx = make_ctx(httpserver.url_for("/v3/"), emails=[" Jane.Doe@Example.com "])
    [result] = run_all(ctx)
    [check] = result.checks
    assert check.status is Outcome.FOUND and check.source == "Gravatar"
    [finding] = result.findings
    assert finding.kind is FindingKind.PROFILE and finding.confidence == 1.0
    assert finding.url == "https://gravatar.com/janeqdoe"
    m = finding.matched
    assert m["email"] == EMAIL
    assert m["display_name"] == "Jane Q. Doe" and m["location"] == "Austin, TX"
    # The hidden verified account and the javascript: link are left out.
    assert m["links"] == ["https://mastodon.example/@janeqdoe", "https://janes-garden.example/"]
    assert m["photos"] == 3  # avatar + two gallery images
    assert m["job_title"] == "Librarian" and "company" not in m
    joined = " | ".join(finding.reasons)
    assert "Jane Q. Doe" in joined and "Austin, TX" in joined and "2 link(s)" in joined
    assert finding.capture is not None and finding.capture.body == body


def test_real_sample_shape_is_read(httpserver: HTTPServer, shared_data: Path) -> None:
    body = (shared_data / "api-samples" / "gravatar_v3_profile_full_sdk_fixture.json").read_bytes()
    httpserver.expect_request(path_for(EMAIL)).respond_with_data(body)
    [result] = run_all(make_ctx(httpserver.url_for("/v3")))
    [finding] = result.findings
    assert finding.matched["display_name"] == "John Appleseed"
    assert "http://notreal.wordpress.com" in finding.matched["links"]
    assert "https://www.patreon.com/fakelink" in finding.matched["links"]
    assert finding.matched["contact"]["home_phone"] == "1800123-1234"
    assert any("contact details" in r for r in finding.reasons)


def test_control_characters_from_the_api_are_stripped(httpserver: HTTPServer) -> None:
    data = {"hash": "x", "display_name": "Jane\x1b[2J Doe", "location": "Austin\u202e"}
    httpserver.expect_request(path_for(EMAIL)).respond_with_json(data)
    [result] = run_all(make_ctx(httpserver.url_for("/v3")))
    [finding] = result.findings
    assert finding.matched["display_name"] == "Jane Doe"
    assert finding.matched["location"] == "Austin"
    assert finding.url.startswith("https://gravatar.com/")  # no profile_url in the answer


def test_no_profile_is_absent(httpserver: HTTPServer) -> None:
    httpserver.expect_request(path_for(EMAIL)).respond_with_json(
        {"error": "Profile not found", "code": "not_found"}, status=404
    )
    [result] = run_all(make_ctx(httpserver.url_for("/v3")))
    assert [c.status for c in result.checks] == [Outcome.ABSENT]
    assert result.findings == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "words"),
    [
        (401, "", {}, Outcome.BLOCKED, "401"),
        (403, "", {}, Outcome.BLOCKED, "403"),
        (429, "", {"Retry-After": "3600"}, Outcome.BLOCKED, "retry after 3600s"),
        (500, "oops", {}, Outcome.ERROR, "HTTP 500"),
        (503, "", {}, Outcome.ERROR, "HTTP 503"),
        (200, "{not json", {}, Outcome.ERROR, "malformed JSON"),
        (200, "[1, 2]", {}, Outcome.ERROR, "not a Gravatar profile"),
        (200, "{}", {}, Outcome.ERROR, "not a Gravatar profile"),
        (200, '"just a string"', {}, Outcome.ERROR, "not a Gravatar profile"),
        (302, "", {}, Outcome.ERROR, "unexpected"),
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
    httpserver.expect_request(path_for(EMAIL)).respond_with_data(
        body, status=status, headers=headers
    )
    [result] = run_all(make_ctx(httpserver.url_for("/v3")))
    [check] = result.checks
    assert check.status is expected
    assert words in check.detail
    assert result.findings == []


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: every read times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_timeout_and_refused_connection_are_errors(silent_port: int) -> None:
    [result] = run_all(make_ctx(f"http://127.0.0.1:{silent_port}/v3"))
    assert result.checks[0].status is Outcome.ERROR and "timed out" in result.checks[0].detail
    [result] = run_all(make_ctx("http://127.0.0.1:1/v3"))
    assert result.checks[0].status is Outcome.ERROR and result.findings == []


def test_key_is_sent_as_bearer_only_when_set(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("Authorization"))
        return Response("", status=404)

    httpserver.expect_request(path_for(EMAIL)).respond_with_handler(handler)
    run_all(make_ctx(httpserver.url_for("/v3")))
    monkeypatch.setenv("EXPOSURE_GRAVATAR_API_KEY", "s3cret")
    run_all(make_ctx(httpserver.url_for("/v3")))
    assert seen == [None, "Bearer s3cret"]


def test_one_task_per_distinct_email_and_transmissions() -> None:
    ctx = make_ctx(None, emails=["a@example.com", "A@Example.com ", "b@example.com"])
    checker = GravatarChecker()
    assert len(list(checker.tasks(ctx))) == 2
    sends = checker.transmissions(ctx)
    assert {(t.field, t.value, t.host) for t in sends} == {
        ("email", "a@example.com", "api.gravatar.com"),
        ("email", "b@example.com", "api.gravatar.com"),
    }
    override = make_ctx("https://mirror.example.org/gravatar/v3")
    assert {t.host for t in checker.transmissions(override)} == {"mirror.example.org"}


def test_private_email_keeps_the_checker_from_running() -> None:
    from exposure.engine.scan import without_private

    ctx = make_ctx(None, private=("email",))
    checker = GravatarChecker()
    assert list(checker.tasks(ctx)) == []
    assert without_private([checker], ctx)[0] == []
    assert without_private([checker], make_ctx(None))[0] == [checker]
