"""Maigret's database: every real entry loads or is skipped with a reason; engines; bad files."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from exposure.catalogues.sites import (
    FORMAT_MAIGRET,
    MAX_CATALOGUE_BYTES,
    detect_format,
    load_catalogue,
    parse_catalogue,
    weak_rule,
)
from exposure.checkers.base import CheckerInputError
from exposure.checkers.sites import maigret_verdict
from exposure.model import Outcome


def db(sites: dict[str, Any], engines: dict[str, Any] | None = None) -> str:
    return json.dumps({"sites": sites, "engines": engines or {}, "tags": []})


def entry(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "url": "https://forum.example/u/{username}",
        "checkType": "status_code",
        "usernameClaimed": "alice",
        "usernameUnclaimed": "noonewouldeverusethis7",
        "tags": ["forum"],
    }
    base.update(over)
    return base


def test_every_real_entry_loads_or_is_skipped_with_a_reason(shared_data: Path) -> None:
    path = shared_data / "sites" / "maigret-data.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    cat = load_catalogue(path)
    assert cat.format == FORMAT_MAIGRET
    assert len(cat.sites) + len(cat.skipped) == len(raw["sites"])
    assert all(s.reason for s in cat.skipped)
    disabled = {n for n, e in raw["sites"].items() if e.get("disabled")}
    skipped = {s.name for s in cat.skipped}
    assert disabled <= skipped
    assert len(cat.sites) > 2500  # the active part of the database
    github = next(s for s in cat.sites if s.name == "GitHub")
    assert github.check_url == "https://api.github.com/users/{account}"
    assert github.profile_url == "https://github.com/{account}"
    assert github.known == ("blue",) and github.regex


def test_engine_template_is_inherited_like_maigret_does() -> None:
    engines = {
        "Forum": {
            "site": {
                "checkType": "message",
                "url": "{urlMain}{urlSubpath}/members/?username={username}",
                "absenceStrs": ["member not found"],
                "errors": {"Too busy": "rate limited"},
            }
        }
    }
    sites = {
        "Board": {
            "engine": "Forum",
            "urlMain": "https://board.example",
            "urlSubpath": "/community",
            "absenceStrs": ["no such member"],
            "errors": {"Login first": "login required"},
            "checkType": "status_code",  # the engine's scalar wins, as in Maigret
            "usernameClaimed": "a",
            "usernameUnclaimed": "b",
        }
    }
    (site,) = parse_catalogue(db(sites, engines), "m.json").sites
    assert site.check_url == "https://board.example/community/members/?username={account}"
    assert site.error_types == ("message",)
    assert site.absence_strs == ("no such member", "member not found")  # lists are appended
    assert dict(site.error_strings) == {"Login first": "login required", "Too busy": "rate limited"}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"checkType": "magic"}, "unknown checkType"),
        ({"checkType": None}, "checkType is missing"),
        ({"engine": "Nope"}, "unknown engine"),
        ({"engine": "Loop"}, "refers to another engine"),
        ({"engine": "Hollow"}, "has no site template"),
        ({"disabled": True}, "disabled"),
        ({"type": "gaia_id"}, "not a username"),
        ({"protocol": "tor"}, "not the web"),
        ({"url": "ftp://x.example/{username}"}, "not an http(s) URL"),
        ({"url": "https://x.example/static"}, "placeholder"),
        ({"regexCheck": "(unclosed"}, "invalid regexCheck"),
        ({"headers": {"X": 1}}, "headers"),
        ({"requestMethod": "DELETE"}, "unsupported requestMethod"),
    ],
)
def test_a_broken_entry_is_skipped_with_its_reason(bad: dict[str, Any], reason: str) -> None:
    engines = {"Loop": {"site": {"engine": "Loop"}}, "Hollow": {"name": "Hollow"}}
    sites = {"Good": entry(), "Bad": {**entry(), **bad}}
    cat = parse_catalogue(db(sites, engines), "m.json")
    assert [s.name for s in cat.sites] == ["Good"]
    (skipped,) = cat.skipped
    assert skipped.name == "Bad" and reason in skipped.reason


def test_entries_that_are_not_objects_are_skipped_not_fatal() -> None:
    cat = parse_catalogue(db({"Good": entry(), "Odd": [1, 2], "Null": None}), "m.json")
    assert [s.name for s in cat.sites] == ["Good"]
    assert {s.name for s in cat.skipped} == {"Odd", "Null"}


def test_disabled_entries_are_not_printed_as_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    parse_catalogue(db({"Off": entry(disabled=True), "Broken": entry(checkType="?")}), "m.json")
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1 and "Broken" in warned[0]


def test_a_huge_file_is_refused_in_one_line_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.write(b'{"sites": {')
        out.truncate(MAX_CATALOGUE_BYTES + 10)
    with pytest.raises(CheckerInputError) as err:
        load_catalogue(path)
    assert "too big" in str(err.value) and "\n" not in str(err.value)


def test_format_detection_tells_the_three_apart() -> None:
    assert detect_format({"sites": [{}]}) == "wmn"
    assert detect_format({"sites": {"A": entry()}}) == FORMAT_MAIGRET
    assert detect_format({"A": {"url": "https://a/{}", "errorType": "status_code"}}) == "sherlock"
    assert detect_format({"sites": {}}) is None


MSG = dict(checkType="message", presenseStrs=["profile-header"], absenceStrs=["no such user"])


def site_of(**over: Any):  # type: ignore[no-untyped-def]
    (site,) = parse_catalogue(db({"S": entry(**over)}), "m.json").sites
    return site


@pytest.mark.parametrize(
    ("over", "status", "text", "expected"),
    [
        ({}, 200, "", Outcome.FOUND),
        ({}, 404, "", Outcome.ABSENT),
        ({}, 403, "", Outcome.BLOCKED),
        ({"ignore403": True}, 403, "", Outcome.ABSENT),
        ({}, 503, "", Outcome.ERROR),
        ({}, 429, "", Outcome.BLOCKED),
        (MSG, 200, "<div class=profile-header>", Outcome.FOUND),
        (MSG, 200, "no such user", Outcome.ABSENT),
        (MSG, 404, "no such user", Outcome.ABSENT),
        (MSG, 200, "a page we do not know", Outcome.ERROR),  # neither text: never guess
        ({**MSG, "absenceStrs": []}, 200, "a page without it", Outcome.ABSENT),
        ({"checkType": "message", "absenceStrs": ["gone"]}, 200, "hello", Outcome.FOUND),
        ({"checkType": "message", "absenceStrs": ["gone"]}, 404, "hello", Outcome.ABSENT),
        ({"checkType": "response_url"}, 302, "", Outcome.ABSENT),
        ({"checkType": "response_url"}, 200, "", Outcome.FOUND),
        ({"errors": {"Please log in": "login required"}}, 200, "Please log in", Outcome.ERROR),
    ],
)
def test_maigret_verdicts(over: dict[str, Any], status: int, text: str, expected: Outcome) -> None:
    assert maigret_verdict(site_of(**over), status, text).outcome is expected


@pytest.mark.parametrize(
    ("over", "weak"),
    [
        ({}, True),  # status code alone
        ({"checkType": "response_url"}, True),
        ({"checkType": "message", "absenceStrs": ["gone"]}, True),
        ({"checkType": "message", "presenseStrs": ['"id":'], "absenceStrs": ["x"]}, True),
        ({"checkType": "message", "presenseStrs": ["profile__content_header_user"]}, False),
    ],
)
def test_weak_rules(over: dict[str, Any], weak: bool) -> None:
    assert (weak_rule(site_of(**over)) is not None) is weak
