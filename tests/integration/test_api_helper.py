"""The shared API-call classification used by every API checker."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from exposure.checkers.api import base_url, call, with_status
from exposure.checkers.base import ScanContext
from exposure.config import Config, HttpConfig
from exposure.model import Outcome, Profile
from exposure.net.http import HttpClient, settings_from


@pytest.fixture
def ctx() -> ScanContext:
    config = Config(http=HttpConfig(retries=1, backoff=0.01, retry_after_cap=0.1, min_interval=0.0))
    config.checkers["demo"] = {"base_url": "http://127.0.0.1:1/api/"}
    client = HttpClient(settings_from(config.http))
    return ScanContext(profile=Profile(id="jane"), config=config, http=client)


def test_base_url_from_config_or_default(ctx: ScanContext) -> None:
    assert base_url(ctx, "demo", "https://default.example") == "http://127.0.0.1:1/api"
    assert base_url(ctx, "other", "https://default.example/") == "https://default.example"


@pytest.mark.parametrize(
    ("status", "body", "expected", "detail"),
    [
        (200, '{"a": 1}', Outcome.FOUND, "HTTP 200"),
        (404, "", Outcome.ABSENT, "nothing there"),
        (401, "", Outcome.BLOCKED, "refused"),
        (403, "", Outcome.BLOCKED, "refused"),
        (429, "", Outcome.BLOCKED, "rate limited"),
        (503, "", Outcome.ERROR, "HTTP 503"),
        (418, "", Outcome.ERROR, "unexpected"),
        (200, "{not json", Outcome.ERROR, "malformed JSON"),
    ],
)
def test_answers_are_classified_honestly(
    ctx: ScanContext,
    httpserver: HTTPServer,
    status: int,
    body: str,
    expected: Outcome,
    detail: str,
) -> None:
    httpserver.expect_request("/thing").respond_with_data(body, status=status)
    answer = call(ctx, "demo", "Demo", httpserver.url_for("/thing"))
    assert answer.check.status is expected
    assert detail in answer.check.detail
    if expected is Outcome.FOUND:
        assert answer.data == {"a": 1} and answer.usable
    else:
        assert not answer.usable


def test_unreachable_api_is_an_error_and_shown_url_hides_secrets(ctx: ScanContext) -> None:
    answer = call(
        ctx, "demo", "Demo", "http://127.0.0.1:1/x?key=SECRET", shown_url="http://127.0.0.1:1/x"
    )
    assert answer.check.status is Outcome.ERROR
    assert "SECRET" not in answer.check.url
    assert with_status(answer, Outcome.ABSENT, "none").status is Outcome.ABSENT
