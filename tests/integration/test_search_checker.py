"""The search checker against local servers that answer like SearXNG and the Brave Search API."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from checker_kit import scan_context
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers import search
from exposure.checkers.base import ScanContext, TaskResult
from exposure.checkers.search import SearchChecker, build_queries, phone_forms
from exposure.model import FindingKind, Outcome, Profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "search"
EMAIL = "jane.doe@example.com"


@pytest.fixture(autouse=True)
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPOSURE_BRAVE_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def jane(**changes: Any) -> Profile:
    data: dict[str, Any] = {
        "id": "jane",
        "names": ["Jane Doe"],
        "emails": [EMAIL],
        "phones": ["+15125550100"],
        "usernames": ["janedoe99"],
        "locations": ["Austin, TX"],
    }
    data.update(changes)
    return Profile(**data)


def make_ctx(
    profile: Profile | None = None, private: tuple[str, ...] = (), **checker_cfg: Any
) -> ScanContext:
    return scan_context(
        profile or jane(),
        checkers={"search": dict(checker_cfg)},
        private=private,
        options={"brokers_file": FIXTURES / "brokers.toml", "sites_file": FIXTURES / "sites.json"},
    )


def searxng(httpserver: HTTPServer, profile: Profile | None = None, **cfg: Any) -> ScanContext:
    return make_ctx(profile, engine="searxng", base_url=httpserver.url_for("/"), **cfg)


def run_all(ctx: ScanContext) -> list[TaskResult]:
    return [task.run() for task in SearchChecker().tasks(ctx)]


def checks_of(results: list[TaskResult]) -> list[Any]:
    return [c for r in results for c in r.checks]


def findings_of(results: list[TaskResult]) -> list[Any]:
    return [f for r in results for f in r.findings]


# ------------------------------------------------------------------ configuration


def test_no_engine_is_one_skipped_check_and_sends_nothing() -> None:
    ctx = make_ctx()
    checker = SearchChecker()
    assert checker.transmissions(ctx) == []
    [result] = run_all(ctx)
    [check] = result.checks
    assert check.status is Outcome.SKIPPED
    assert "no search engine configured" in check.detail and "base_url" in check.detail


@pytest.mark.parametrize(
    ("cfg", "status", "words"),
    [
        ({"engine": "brave"}, Outcome.SKIPPED, "EXPOSURE_BRAVE_API_KEY"),
        ({"engine": "searxng"}, Outcome.SKIPPED, "base_url"),
        ({"engine": "altavista"}, Outcome.ERROR, "unknown search engine"),
    ],
)
def test_incomplete_configuration_says_how(
    cfg: dict[str, str], status: Outcome, words: str
) -> None:
    ctx = make_ctx(**cfg)
    assert SearchChecker().transmissions(ctx) == []
    [result] = run_all(ctx)
    assert result.checks[0].status is status and words in result.checks[0].detail


def test_phone_forms() -> None:
    forms = phone_forms("+15125550100")
    assert "(512) 555-0100" in forms and "512-555-0100" in forms and "+15125550100" in forms
    assert "020 7946 0958" in phone_forms("+442079460958")
    assert phone_forms("not a phone") == ["not a phone"]


def test_queries_cover_every_kind_and_are_bounded() -> None:
    queries = build_queries(jane())
    texts = [q.text for q in queries]
    assert texts[0] == '"Jane Doe" Austin'
    assert f'"{EMAIL}"' in texts and '"janedoe99"' in texts
    phone_query = next(q for q in queries if q.fields == {"phone"})
    assert '"(512) 555-0100"' in phone_query.text and " OR " in phone_query.text
    big = jane(
        names=["Jane Doe", "Jane Smith", "Janie Doe"],
        locations=["Austin, TX", "Leeds, UK", "Paris, France", "Oslo"],
        emails=[f"j{i}@example.com" for i in range(8)],
        usernames=[f"user{i}" for i in range(8)],
    )
    many = build_queries(big)
    assert len(many) == 12
    kinds = {frozenset(q.fields) for q in many}
    assert {
        frozenset({"name", "location"}),
        frozenset({"email"}),
        frozenset({"phone"}),
        frozenset({"username"}),
    } <= kinds
    assert len(build_queries(big, limit=3)) == 3
    assert build_queries(jane(locations=[]))[0].text == '"Jane Doe"'


def test_transmissions_name_the_fields_and_the_engine_host(httpserver: HTTPServer) -> None:
    ctx = searxng(httpserver)
    sends = {(t.field, t.value) for t in SearchChecker().transmissions(ctx)}
    assert sends == {
        ("name", "Jane Doe"),
        ("location", "Austin"),
        ("email", EMAIL),
        ("phone", "+15125550100"),
        ("username", "janedoe99"),
    }
    instance = urlsplit(httpserver.url_for("/")).hostname
    assert {t.host for t in SearchChecker().transmissions(ctx)} == {instance}


def test_brave_host_and_base_url_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPOSURE_BRAVE_API_KEY", "k")
    checker = SearchChecker()
    assert {t.host for t in checker.transmissions(make_ctx(engine="brave"))} == {
        "api.search.brave.com"
    }
    mirror = make_ctx(engine="brave", base_url="https://brave-proxy.example.net")
    assert {t.host for t in checker.transmissions(mirror)} == {"brave-proxy.example.net"}


@pytest.mark.parametrize("private", ["phone", "name", "location", "email", "username"])
def test_private_fields_are_never_in_a_query(httpserver: HTTPServer, private: str) -> None:
    # The runner's profile has the private field emptied: the checker runs with
    # the other fields (as brokers do), and no query or declared send carries it.
    from exposure.engine.scan import without_private

    ctx = make_ctx(engine="searxng", base_url=httpserver.url_for("/"), private=(private,))
    checker = SearchChecker()
    assert without_private([checker], ctx)[0] == [checker]
    assert private not in {t.field for t in checker.transmissions(ctx)}
    tasks = list(checker.tasks(ctx))
    assert tasks and all(private not in t.run.args[2].fields for t in tasks)
    everything = make_ctx(engine="searxng", base_url=httpserver.url_for("/"))
    assert private in {f for t in checker.tasks(everything) for f in t.run.args[2].fields}


# ------------------------------------------------------------------ SearXNG


def test_searxng_results_are_grouped_per_domain_and_linked_to_catalogues(
    httpserver: HTTPServer,
) -> None:
    body = (FIXTURES / "searxng_results.json").read_bytes()
    httpserver.expect_request(
        "/search", query_string={"q": '"Jane Doe" Austin', "format": "json"}
    ).respond_with_data(body)
    httpserver.expect_request(
        "/search", query_string={"q": f'"{EMAIL}"', "format": "json"}
    ).respond_with_data(body)
    ctx = searxng(httpserver, jane(phones=[], usernames=["janedoe99"]), max_queries=2)
    results = run_all(ctx)
    assert len(results) == 2
    assert [len(r.findings) > 0 for r in results] == [False, True]  # the last one reports
    assert all(c.status is Outcome.FOUND and c.source == "SearXNG" for c in checks_of(results))
    by_domain = {f.key: f for f in findings_of(results)}
    assert set(by_domain) == {
        "peoplefinderz.example",
        "pinboard-social.example",
        "gardeners-corner.org",
    }
    broker = by_domain["peoplefinderz.example"]
    assert broker.kind is FindingKind.SEARCH_RESULT and broker.source == "peoplefinderz.example"
    assert broker.url == "https://peoplefinderz.example/name/jane-doe/austin-tx/p1"
    assert broker.confidence >= 0.6  # name + city: above the default threshold
    assert [r["url"] for r in broker.matched["results"]] == [
        "https://peoplefinderz.example/name/jane-doe/austin-tx/p1",
        "https://peoplefinderz.example/name/jane-doe/austin-tx/p2",
    ]
    assert broker.matched["queries"] == ['"Jane Doe" Austin', f'"{EMAIL}"']
    assert broker.matched["catalogue_entry"] == {
        "catalogue": "brokers",
        "id": "peoplefinderz",
        "name": "PeopleFinderz",
    }
    assert by_domain["pinboard-social.example"].matched["catalogue_entry"] == {
        "catalogue": "sites",
        "name": "Pinboard Social",
    }
    assert any("janedoe99" in r for r in by_domain["pinboard-social.example"].reasons)
    forum = by_domain["gardeners-corner.org"]
    assert len(forum.matched["results"]) == 2  # forum. and www. share the registered domain
    assert forum.url == "https://forum.gardeners-corner.org/t/seed-swap/123"  # the best one
    assert "catalogue_entry" not in forum.matched
    everything = json.dumps([f.matched for f in findings_of(results)])
    assert "javascript:" not in everything and "ftp://" not in everything
    assert "plumbing" not in everything
    assert broker.capture is not None and broker.capture.body == body


def test_tasks_running_at_once_report_findings_once(httpserver: HTTPServer) -> None:
    body = (FIXTURES / "searxng_results.json").read_bytes()
    httpserver.expect_request("/search").respond_with_data(body)
    tasks = list(SearchChecker().tasks(searxng(httpserver)))
    assert len(tasks) == 4
    out: list[TaskResult] = []
    threads = [threading.Thread(target=lambda t=t: out.append(t.run())) for t in tasks]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert len(out) == 4
    assert sum(1 for r in out if r.findings) == 1
    assert len({f.key for f in findings_of(out)}) == len(findings_of(out)) == 3


def test_searxng_without_json_format_is_blocked_with_the_fix(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search").respond_with_data("Forbidden", status=403)
    results = run_all(searxng(httpserver, max_queries=1))
    [check] = checks_of(results)
    assert check.status is Outcome.BLOCKED
    assert "search: formats: [html, json]" in check.detail
    assert findings_of(results) == []


def test_searxng_engines_that_failed_upstream_are_blocked(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search").respond_with_data(
        (FIXTURES / "searxng_engines_failed.json").read_bytes()
    )
    [check] = checks_of(run_all(searxng(httpserver, max_queries=1)))
    assert check.status is Outcome.BLOCKED and "google: CAPTCHA" in check.detail


def test_no_results_about_the_person_is_absent(httpserver: HTTPServer) -> None:
    unrelated = {
        "results": [
            {
                "url": "https://plumbing.example.net/",
                "title": "Plumbers",
                "content": "Denver plumbing",
            }
        ],
        "unresponsive_engines": [],
    }
    httpserver.expect_request("/search").respond_with_json(unrelated)
    results = run_all(searxng(httpserver, max_queries=2))
    assert [c.status for c in checks_of(results)] == [Outcome.ABSENT, Outcome.ABSENT]
    assert "1 result(s), 0 about you" in checks_of(results)[0].detail
    assert findings_of(results) == []


def test_exact_identifiers_count_without_the_matcher(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "_matcher", lambda profile: lambda text, url: (0.0, []))
    httpserver.expect_request("/search").respond_with_data(
        (FIXTURES / "searxng_results.json").read_bytes()
    )
    found = findings_of(run_all(searxng(httpserver, max_queries=1)))
    by_domain = {f.key: f for f in found}
    # Name and place alone need the matcher; the email, phone and username stand on their own.
    assert set(by_domain) == {
        "peoplefinderz.example",
        "pinboard-social.example",
        "gardeners-corner.org",
    }
    assert by_domain["gardeners-corner.org"].confidence == pytest.approx(0.95)
    assert any("your phone +15125550100" in r for r in by_domain["peoplefinderz.example"].reasons)


# ------------------------------------------------------------------ Brave


def brave(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, **cfg: Any) -> ScanContext:
    monkeypatch.setenv("EXPOSURE_BRAVE_API_KEY", "brave-secret")
    return make_ctx(engine="brave", base_url=httpserver.url_for("/"), max_queries=1, **cfg)


def test_brave_results_with_the_key_header(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str | None, str]] = []
    body = (FIXTURES / "brave_results.json").read_bytes()

    def handler(request: Request) -> Response:
        seen.append((request.headers.get("X-Subscription-Token"), request.args.get("q", "")))
        return Response(body, content_type="application/json")

    httpserver.expect_request("/res/v1/web/search").respond_with_handler(handler)
    ctx = brave(httpserver, monkeypatch)
    results = run_all(ctx)
    assert seen == [("brave-secret", '"Jane Doe" Austin')]
    [check] = checks_of(results)
    assert check.source == "Brave Search" and check.status is Outcome.FOUND
    assert "brave-secret" not in check.url
    [finding] = findings_of(results)
    assert finding.key == "gardeners-corner.org"
    assert finding.matched["results"] == [
        {
            "url": "https://forum.gardeners-corner.org/t/seed-swap/123",
            "title": "Seed swap thread - Gardeners Corner",
        }
    ]


def test_brave_without_web_results_is_absent(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/res/v1/web/search").respond_with_json(
        {"type": "search", "query": {"original": "x"}}
    )
    [check] = checks_of(run_all(brave(httpserver, monkeypatch)))
    assert check.status is Outcome.ABSENT


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "words"),
    [
        (401, "", {}, Outcome.BLOCKED, "refused the key"),
        (403, "", {}, Outcome.BLOCKED, "refused the key"),
        (422, "brave_token_invalid.json", {}, Outcome.ERROR, "HTTP 422"),
        (200, "brave_token_invalid.json", {}, Outcome.ERROR, "token is invalid"),
        (429, "", {"Retry-After": "1000"}, Outcome.BLOCKED, "retry after 1000s"),
        (500, "", {}, Outcome.ERROR, "HTTP 500"),
        (200, "{nope", {}, Outcome.ERROR, "malformed JSON"),
        (200, "[1]", {}, Outcome.ERROR, "not a JSON object"),
        (200, '{"web": []}', {}, Outcome.ERROR, "web.results"),
        (200, '{"web": {"results": {"a": 1}}}', {}, Outcome.ERROR, "web.results"),
        (200, '{"something": "else"}', {}, Outcome.ERROR, "not a Brave Search answer"),
    ],
)
def test_brave_failures_are_never_absent(
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    body: str,
    headers: dict[str, str],
    expected: Outcome,
    words: str,
) -> None:
    payload = (FIXTURES / body).read_bytes() if body.endswith(".json") else body
    httpserver.expect_request("/res/v1/web/search").respond_with_data(
        payload, status=status, headers=headers
    )
    results = run_all(brave(httpserver, monkeypatch))
    [check] = checks_of(results)
    assert check.status is expected and words in check.detail
    assert findings_of(results) == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"query": "x"}', "no 'results' list"),
        ('{"results": "x"}', "no 'results' list"),
        ('"text"', "not a JSON object"),
    ],
)
def test_searxng_malformed_answers_are_errors(
    httpserver: HTTPServer, body: str, words: str
) -> None:
    httpserver.expect_request("/search").respond_with_data(body)
    [check] = checks_of(run_all(searxng(httpserver, max_queries=1)))
    assert check.status is Outcome.ERROR and words in check.detail


@pytest.fixture
def silent_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_timeout_is_an_error(silent_port: int) -> None:
    ctx = make_ctx(engine="searxng", base_url=f"http://127.0.0.1:{silent_port}", max_queries=1)
    [check] = checks_of(run_all(ctx))
    assert check.status is Outcome.ERROR and "timed out" in check.detail


def test_a_whole_scan_records_grouped_findings_with_evidence(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from exposure.engine.scan import ScanFinished, ScanOptions, run_scan
    from exposure.engine.store import Store

    body = (FIXTURES / "searxng_results.json").read_bytes()
    httpserver.expect_request("/search").respond_with_data(body)
    ctx = searxng(httpserver)
    options = ScanOptions(
        concurrency=4,
        brokers_file=FIXTURES / "brokers.toml",
        sites_file=FIXTURES / "sites.json",
    )
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as store:
        events = list(
            run_scan(
                ctx.profile, [SearchChecker()], store=store, config=ctx.config, options=options
            )
        )
    summary = events[-1].summary if isinstance(events[-1], ScanFinished) else None
    assert summary is not None and summary.state == "finished"
    assert len(summary.checks) == 4
    assert sorted(f.key for f in summary.findings) == [
        "gardeners-corner.org",
        "peoplefinderz.example",
        "pinboard-social.example",
    ]
    assert all(f.evidence is not None for f in summary.findings)
    assert all(f.kind is FindingKind.SEARCH_RESULT for f in summary.findings)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                ["url", "title", "content", "description", "web", "results", "type", "x"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_gives_results_or_an_answer_error(data: Any) -> None:
    for engine in (
        search.Engine("searxng", "SearXNG", "http://x"),
        search.Engine("brave", "Brave Search", "http://x", "k"),
    ):
        for shape in (data, {"results": data}, {"web": {"results": data}}, {"web": data}):
            try:
                hits, _note = search.read_results(engine, shape)
            except search.EngineAnswerError:
                continue
            assert all(h.url.lower().startswith(("http://", "https://")) for h in hits)
