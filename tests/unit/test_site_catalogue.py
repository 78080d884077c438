"""The username-site catalogue loader: formats, request building, bad input, real data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from exposure import paths
from exposure.catalogues.sites import (
    FORMAT_SHERLOCK,
    FORMAT_WMN,
    build_request,
    detect_format,
    load_catalogue,
    parse_catalogue,
    prepare_username,
    unfit_reason,
)
from exposure.checkers.base import CheckerInputError

REPO = Path(__file__).resolve().parents[2]


def wmn_entry(name: str = "Example", **over: Any) -> dict[str, Any]:
    entry = {
        "name": name,
        "uri_check": "https://example.test/u/{account}",
        "e_code": 200,
        "e_string": "profile-card",
        "m_code": 404,
        "m_string": "not found",
        "known": ["alice"],
        "cat": "social",
    }
    entry.update(over)
    return entry


def sherlock_entry(**over: Any) -> dict[str, Any]:
    entry = {
        "url": "https://example.test/{}",
        "urlMain": "https://example.test/",
        "errorType": "status_code",
        "username_claimed": "blue",
    }
    entry.update(over)
    return entry


def write(tmp_path: Path, data: Any, name: str = "cat.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- formats


def test_wmn_entry_loads_with_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "sites": [
                wmn_entry(
                    "Api",
                    uri_check="https://api.example.test/check",
                    uri_pretty="https://example.test/@{account}",
                    post_body='{"username":"{account}"}',
                    headers={"Content-Type": "application/json"},
                    strip_bad_char=".",
                    known=["a", "b"],
                    cat="coding",
                )
            ]
        },
    )
    cat = load_catalogue(path)
    assert cat.format == FORMAT_WMN and cat.path == path and cat.skipped == []
    (site,) = cat.sites
    assert site.name == "Api"
    assert site.method == "POST"
    assert site.check_url == "https://api.example.test/check"
    assert site.profile_url == "https://example.test/@{account}"
    assert site.body == '{"username":"{account}"}'
    assert site.headers == {"Content-Type": "application/json"}
    assert site.strip_bad_char == "."
    assert site.known == ("a", "b") and site.category == "coding"
    assert (site.e_code, site.e_string, site.m_code, site.m_string) == (
        200,
        "profile-card",
        404,
        "not found",
    )
    assert site.allow_redirects is False


def test_wmn_profile_url_defaults_to_check_url(tmp_path: Path) -> None:
    cat = load_catalogue(write(tmp_path, {"sites": [wmn_entry()]}))
    assert cat.sites[0].profile_url == "https://example.test/u/{account}"
    assert cat.sites[0].method == "GET"


def test_sherlock_entry_is_normalised(tmp_path: Path) -> None:
    data = {
        "$schema": "data.schema.json",
        "Probe": sherlock_entry(
            url="https://example.test/user/{}",
            urlProbe="https://api.example.test/v1/users/{}",
            errorType=["message", "status_code"],
            errorMsg=["gone", "no such user"],
            errorCode=[404, 410],
            regexCheck="^[a-z]+$",
            isNSFW=True,
        ),
        "Redirecting": sherlock_entry(errorType="response_url", errorUrl="https://example.test/"),
    }
    cat = load_catalogue(write(tmp_path, data))
    assert cat.format == FORMAT_SHERLOCK and cat.skipped == []
    probe, redirecting = cat.sites
    assert probe.name == "Probe"
    assert probe.check_url == "https://api.example.test/v1/users/{account}"
    assert probe.profile_url == "https://example.test/user/{account}"
    assert probe.error_types == ("message", "status_code")
    assert probe.error_msgs == ("gone", "no such user")
    assert probe.error_codes == (404, 410)
    assert probe.known == ("blue",)
    assert probe.category == "xx NSFW xx"
    assert probe.allow_redirects is True
    assert probe.pattern is not None and probe.pattern.search("abc")
    assert redirecting.allow_redirects is False
    assert redirecting.error_url == "https://example.test/"


def test_sherlock_single_error_code_and_message_string(tmp_path: Path) -> None:
    data = {
        "A": sherlock_entry(errorCode=204),
        "B": sherlock_entry(errorType="message", errorMsg="nobody here"),
    }
    a, b = load_catalogue(write(tmp_path, data)).sites
    assert a.error_codes == (204,)
    assert b.error_msgs == ("nobody here",)


def test_sherlock_payload_becomes_json_post(tmp_path: Path) -> None:
    data = {
        "Api": sherlock_entry(
            url="https://example.test",
            urlProbe="https://example.test/api/check",
            request_method="POST",
            request_payload={"username": "{}", "n": 1},
            errorType="message",
            errorMsg='{"taken":false}',
        )
    }
    (site,) = load_catalogue(write(tmp_path, data)).sites
    assert site.method == "POST"
    assert json.loads(site.body or "") == {"username": "{account}", "n": 1}
    assert site.headers["Content-Type"] == "application/json"
    req = build_request(site, 'ja"ne')
    assert json.loads(req.data or b"") == {"username": 'ja"ne', "n": 1}
    assert req.url == "https://example.test/api/check"
    assert req.profile_url == "https://example.test"


def test_sherlock_head_is_sent_as_get(tmp_path: Path) -> None:
    (site,) = load_catalogue(write(tmp_path, {"A": sherlock_entry(request_method="HEAD")})).sites
    assert site.method == "GET"


def test_detect_format() -> None:
    assert detect_format({"sites": []}) == FORMAT_WMN
    assert detect_format({"$schema": "x", "A": {"url": "u", "errorType": "message"}}) == (
        FORMAT_SHERLOCK
    )
    assert detect_format([1, 2]) is None
    assert detect_format({"a": {"b": 1}}) is None
    assert detect_format({"a": 1}) is None


# --------------------------------------------------------------------------- usernames, requests


def _site(tmp_path: Path, **over: Any):
    return load_catalogue(write(tmp_path, {"sites": [wmn_entry(**over)]})).sites[0]


def test_strip_bad_char_and_url_quoting(tmp_path: Path) -> None:
    site = _site(tmp_path, strip_bad_char=".@")
    assert prepare_username(site, "j.a@ne") == "jane"
    req = build_request(site, "j.a@ne")
    assert req.url == "https://example.test/u/jane"
    plain = _site(tmp_path, name="Plain")
    assert build_request(plain, "jane doe/../x?").url == (
        "https://example.test/u/jane%20doe%2F..%2Fx%3F"
    )


def test_username_stripped_to_nothing_is_unfit(tmp_path: Path) -> None:
    site = _site(tmp_path, strip_bad_char=".")
    assert unfit_reason(site, "...") == "username has no characters this site accepts"
    assert unfit_reason(site, "a.b") is None


def test_placeholder_in_host_needs_a_hostname_safe_username(tmp_path: Path) -> None:
    site = _site(tmp_path, uri_check="https://{account}.example.test/")
    assert unfit_reason(site, "jane-doe") is None
    assert build_request(site, "jane-doe").url == "https://jane-doe.example.test/"
    assert unfit_reason(site, "jane_doe") == "username cannot be part of this site's host name"
    assert unfit_reason(site, "evil.test/x") is not None


def test_regex_check_makes_username_unfit(tmp_path: Path) -> None:
    data = {"A": sherlock_entry(regexCheck="^[a-z]{3,8}$")}
    (site,) = load_catalogue(write(tmp_path, data)).sites
    assert unfit_reason(site, "jane") is None
    assert unfit_reason(site, "Jane_Doe_1234") == "username does not fit this site's rules"


def test_wmn_post_body_form_and_json_encoding(tmp_path: Path) -> None:
    form = _site(
        tmp_path,
        uri_check="https://example.test/check",
        post_body="user={account}&x=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert build_request(form, "a&b=c").data == b"user=a%26b%3Dc&x=1"
    js = _site(
        tmp_path,
        name="Js",
        uri_check="https://example.test/check",
        post_body='{"u":"{account}"}',
        headers={"content-type": "application/json"},
    )
    req = build_request(js, 'x"y')
    assert json.loads(req.data or b"") == {"u": 'x"y'}
    assert req.method == "POST" and req.allow_redirects is False


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2, 3]", "not a WhatsMyName, Sherlock or Maigret catalogue"),
        ('{"hello": "world"}', "not a WhatsMyName, Sherlock or Maigret catalogue"),
        ('{"sites": []}', "no sites"),
        ('{"sites": [42]}', "entry #1: is not an object"),
        ("\xff\xfe", "not valid JSON"),
    ],
)
def test_unusable_files_raise_one_line_naming_the_file(
    tmp_path: Path, content: str, needle: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(CheckerInputError) as err:
        load_catalogue(path)
    message = str(err.value)
    assert str(path) in message and needle in message
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(CheckerInputError, match="nope.json: no such file"):
        load_catalogue(missing)


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        (wmn_entry("NoUrl", uri_check=None), "has no uri_check"),
        (wmn_entry("Ftp", uri_check="ftp://example.test/{account}"), "not an http(s) URL"),
        (wmn_entry("Js", uri_check="javascript:alert({account})"), "not an http(s) URL"),
        (wmn_entry("Fixed", uri_check="https://example.test/users"), "no {account}"),
        (wmn_entry("BadPretty", uri_pretty="file:///etc/{account}"), "uri_pretty"),
    ],
)
def test_broken_wmn_entry_is_fatal_and_named(
    tmp_path: Path, entry: dict[str, Any], needle: str
) -> None:
    if entry.get("uri_check") is None:
        entry.pop("uri_check")
    path = write(tmp_path, {"sites": [wmn_entry("Fine"), entry]})
    with pytest.raises(CheckerInputError) as err:
        load_catalogue(path)
    message = str(err.value)
    assert str(path) in message and repr(entry["name"]) in message and needle in message


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ({"urlMain": "x", "errorType": "status_code"}, "has no url"),
        (sherlock_entry(url="gopher://example.test/{}"), "not an http(s) URL"),
        (sherlock_entry(url="https://example.test/fixed"), "url has no {} placeholder"),
        (
            sherlock_entry(url="https://example.test/{}", urlProbe="https://api.test/fixed"),
            "urlProbe has no {}",
        ),
    ],
)
def test_broken_sherlock_entry_is_fatal_and_named(
    tmp_path: Path, entry: dict[str, Any], needle: str
) -> None:
    path = write(tmp_path, {"Good": sherlock_entry(), "Broken": entry})
    with pytest.raises(CheckerInputError) as err:
        load_catalogue(path)
    message = str(err.value)
    assert str(path) in message and "'Broken'" in message and needle in message


def test_soft_problems_skip_the_entry_with_a_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken_e_string = wmn_entry("NoEString")
    del broken_e_string["e_string"]
    wmn = {
        "sites": [
            wmn_entry("Good"),
            wmn_entry("Invalid", valid=False),
            broken_e_string,
            wmn_entry("BadCode", e_code="200"),
            wmn_entry("BadHeaders", headers={"X": 1}),
            wmn_entry("good"),  # same name, other case
        ]
    }
    cat = load_catalogue(write(tmp_path, wmn))
    assert [s.name for s in cat.sites] == ["Good"]
    reasons = {s.name: s.reason for s in cat.skipped}
    assert reasons == {
        "Invalid": "marked not valid in the catalogue (valid: false)",
        "NoEString": "e_string is missing",
        "BadCode": "e_code is not an HTTP status code",
        "BadHeaders": "headers must map names to strings",
        "good": "another entry has the same name",
    }
    assert "Invalid" in caplog.text


def test_soft_sherlock_problems_skip(tmp_path: Path) -> None:
    data = {
        "Good": sherlock_entry(),
        "Weird": sherlock_entry(errorType="telepathy"),
        "NoType": {"url": "https://example.test/{}"},
        "NoMsg": sherlock_entry(errorType="message"),
        "BadRegex": sherlock_entry(regexCheck="([a-z"),
        "Put": sherlock_entry(request_method="DELETE"),
    }
    cat = load_catalogue(write(tmp_path, data))
    assert [s.name for s in cat.sites] == ["Good"]
    reasons = {s.name: s.reason for s in cat.skipped}
    assert reasons["Weird"] == "unknown errorType 'telepathy'"
    assert reasons["NoType"] == "errorType is missing"
    assert reasons["NoMsg"] == "errorType 'message' without an errorMsg"
    assert reasons["BadRegex"].startswith("invalid regexCheck")
    assert reasons["Put"] == "unsupported request_method 'DELETE'"


def test_parse_catalogue_names_its_source() -> None:
    with pytest.raises(CheckerInputError, match="^https://mirror.test/wmn.json: not valid JSON"):
        parse_catalogue(b"<html>", "https://mirror.test/wmn.json")


# --------------------------------------------------------------------------- real data


@pytest.mark.parametrize(
    ("filename", "fmt"), [("wmn-data.json", FORMAT_WMN), ("sherlock-data.json", FORMAT_SHERLOCK)]
)
def test_every_shared_entry_loads_or_is_skipped_with_a_reason(
    shared_data: Path, filename: str, fmt: str
) -> None:
    path = shared_data / "sites" / filename
    raw = json.loads(path.read_text(encoding="utf-8"))
    total = len(raw["sites"]) if fmt == FORMAT_WMN else len(raw) - ("$schema" in raw)
    assert total > 400
    cat = load_catalogue(path)
    assert cat.format == fmt
    assert len(cat.sites) + len(cat.skipped) == total
    assert all(s.reason for s in cat.skipped)
    assert len(cat.sites) > 0.9 * total
    for site in cat.sites:
        assert site.check_url.startswith(("http://", "https://"))
        assert "{}" not in site.check_url
        req = build_request(site, "janedoe")
        assert "{account}" not in req.url and "{account}" not in (req.data or b"").decode()


@pytest.mark.slow
def test_huge_catalogue_loads(tmp_path: Path) -> None:
    sites = [
        wmn_entry(f"Site{i}", uri_check=f"https://s{i}.example.test/u/{{account}}")
        for i in range(20000)
    ]
    path = write(tmp_path, {"sites": sites})
    cat = load_catalogue(path)
    assert len(cat.sites) == 20000


def test_bundled_catalogue_loads() -> None:
    cat = load_catalogue(None)
    assert cat.path == paths.bundled_data() / "sites.json"
    assert len(cat.sites) >= 160


def test_loader_does_not_import_bs4_or_requests() -> None:
    code = (
        "import sys, exposure.catalogues.sites as c, exposure.checkers.sites;"
        "print('bs4' in sys.modules, 'requests' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "False"]
