"""The false-found guard, username variants and the self-check's skip list, on loopback."""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import exposure.net.http
from exposure.catalogues.disabled import load_disabled, write_disabled
from exposure.checkers.base import CheckerInputError, ScanContext
from exposure.checkers.sites import ANY_NAME_DETAIL, VARIANT_CONFIDENCE, SitesChecker
from exposure.config import Config, HttpConfig
from exposure.model import Outcome, Profile
from exposure.people.usernames import username_variants

NOT_ROBOTS = re.compile(r"^/(?!robots\.txt).+$")


def config(**sites_cfg: Any) -> Config:
    http = HttpConfig(min_interval=0.0, retries=0, backoff=0.0, timeout=5.0, deadline=10.0)
    return Config(http=http, checkers={"sites": sites_cfg})


@pytest.fixture
def ctx_for(tmp_path: Path):
    clients: list[Any] = []

    def make(catalogue: dict[str, Any], cfg: Config | None = None, **opts: Any) -> ScanContext:
        path = tmp_path / "sites.json"
        path.write_text(json.dumps(catalogue), encoding="utf-8")
        cfg = cfg or config()
        client = exposure.net.http.HttpClient(exposure.net.http.settings_from(cfg.http))
        clients.append(client)
        profile = Profile(
            id="jane",
            names=["Jane Doe"],
            usernames=["janedoe"],
            birth_date=date(1983, 5, 1),
        )
        return ScanContext(
            profile=profile, config=cfg, http=client, options={"sites_file": path, **opts}
        )

    yield make
    for client in clients:
        client.close()


def run_all(ctx: ScanContext):  # type: ignore[no-untyped-def]
    results = [task.run() for task in SitesChecker().tasks(ctx)]
    return [c for r in results for c in r.checks], [f for r in results for f in r.findings]


def sherlock(server: HTTPServer, **entry: Any) -> dict[str, Any]:
    base = {"url": server.url_for("/{}"), "errorType": "status_code", "username_claimed": "a"}
    return {"Local": {**base, **entry}}


def answer_for(known: set[str], hits: list[str]):  # type: ignore[no-untyped-def]
    def handler(request: Request) -> Response:
        name = request.path.strip("/")
        hits.append(name)
        return Response("profile", status=200 if name in known else 404)

    return handler


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def test_a_site_that_says_found_for_anyone_is_an_error_not_a_finding(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(NOT_ROBOTS).respond_with_handler(
        lambda request: (hits.append(request.path), Response("hello", status=200))[1]
    )
    (check,), findings = run_all(ctx_for(sherlock(server)))
    assert check.status is Outcome.ERROR
    assert ANY_NAME_DETAIL in check.detail
    assert findings == []
    assert len(hits) == 2  # the person's username, then one made-up name


def test_a_site_that_tells_names_apart_keeps_its_finding(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(NOT_ROBOTS).respond_with_handler(answer_for({"janedoe"}, hits))
    (check,), (finding,) = run_all(ctx_for(sherlock(server)))
    assert check.status is Outcome.FOUND
    assert "guard: a made-up name" in check.detail and "reads absent" in check.detail
    assert finding.url.endswith("/janedoe")
    made_up = [h for h in hits if h != "janedoe"]
    assert len(made_up) == 1 and made_up[0].startswith("zq")


def test_the_guard_asks_once_per_site_per_scan(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(NOT_ROBOTS).respond_with_handler(
        answer_for({"janedoe", "janedoe2", "janedoe3"}, hits)
    )
    ctx = ctx_for(sherlock(server))
    ctx.profile.usernames = ["janedoe", "janedoe2", "janedoe3"]
    tasks = list(SitesChecker().tasks(ctx))
    threads = [threading.Thread(target=t.run) for t in tasks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([h for h in hits if h.startswith("zq")]) == 1


def test_the_guard_can_be_turned_off_globally_and_per_site(server, ctx_for) -> None:
    server.expect_request(NOT_ROBOTS).respond_with_data("hello", status=200)
    (check,), findings = run_all(ctx_for(sherlock(server), config(false_found_guard="off")))
    assert check.status is Outcome.FOUND and len(findings) == 1
    per_site = config(false_found_guard_sites={"Local": "off"})
    (check,), findings = run_all(ctx_for(sherlock(server), per_site))
    assert check.status is Outcome.FOUND and len(findings) == 1


def test_a_strong_rule_is_not_guarded_unless_asked(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(re.compile(r"^/u/.+$")).respond_with_handler(
        lambda request: (hits.append(request.path), Response("<b>profile-card</b>"))[1]
    )
    wmn = {
        "sites": [
            {
                "name": "Strong",
                "uri_check": server.url_for("/u/{account}"),
                "e_code": 200,
                "e_string": "profile-card",
                "m_code": 404,
                "m_string": "no such user",
                "known": ["a"],
                "cat": "social",
            }
        ]
    }
    (check,), _ = run_all(ctx_for(wmn))
    assert check.status is Outcome.FOUND and hits == ["/u/janedoe"]
    (check,), _ = run_all(ctx_for(wmn, config(false_found_guard="always")))
    assert check.status is Outcome.ERROR and len(hits) == 3


def test_a_bad_guard_setting_is_a_one_line_input_error(server, ctx_for) -> None:
    with pytest.raises(CheckerInputError, match="false_found_guard"):
        run_all(ctx_for(sherlock(server), config(false_found_guard="sometimes")))


def test_variants_are_made_from_names_and_birth_year() -> None:
    profile = Profile(id="p", names=["Jane Q. Doe", "Jane Smith"], birth_date=date(1983, 1, 2))
    got = username_variants(profile, cap=50)
    for expected in ("janedoe", "jane.doe", "jane_doe", "jdoe", "janedoe83", "janesmith"):
        assert expected in got
    assert len(username_variants(profile, cap=3)) == 3
    assert username_variants(Profile(id="p", names=["Cher"])) == []


def test_findings_under_a_variant_are_marked_and_less_confident(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(NOT_ROBOTS).respond_with_handler(answer_for({"jane.doe"}, hits))
    checks, findings = run_all(ctx_for(sherlock(server), variants=True))
    (finding,) = findings
    assert finding.matched["variant"] is True
    assert finding.confidence == VARIANT_CONFIDENCE
    assert "impostor" in finding.reasons[0]
    assert "janedoe" in hits and "jane_doe" in hits
    run_all(ctx_for(sherlock(server)))  # without --variants: only the username
    assert hits.count("jane_doe") == 1


def test_sites_written_off_by_a_self_check_are_skipped(server, ctx_for, tmp_path) -> None:
    server.expect_request(NOT_ROBOTS).respond_with_data("x", status=404)
    skip = tmp_path / "disabled.json"
    write_disabled(skip, "sites.json", [("Local", "the known account reads absent")])
    assert load_disabled(skip) == {"local"}
    checks, _ = run_all(ctx_for(sherlock(server), config(disabled_file=str(skip))))
    assert checks == []


def test_a_broken_skip_list_skips_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "disabled.json"
    bad.write_text("{not json", encoding="utf-8")
    assert load_disabled(bad) == set()
    assert load_disabled(tmp_path / "missing.json") == set()


def test_another_of_the_persons_names_read_absent_settles_the_guard(server, ctx_for) -> None:
    hits: list[str] = []
    server.expect_request(NOT_ROBOTS).respond_with_handler(answer_for({"janedoe"}, hits))
    ctx = ctx_for(sherlock(server))
    ctx.profile.usernames = ["janedoe", "otherjane"]
    tasks = sorted(SitesChecker().tasks(ctx), key=lambda t: t.run.args[2].username == "janedoe")
    results = [t.run() for t in tasks]  # otherjane (absent) first, then janedoe (found)
    checks = {c.url.rsplit("/", 1)[-1]: c for r in results for c in r.checks}
    assert checks["janedoe"].status is Outcome.FOUND
    assert "another of your names (otherjane) reads absent" in checks["janedoe"].detail
    assert sorted(hits) == ["janedoe", "otherjane"]  # no made-up name was needed
