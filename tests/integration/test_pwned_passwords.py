"""Pwned Passwords range look-ups (online and offline) and the NIST verdict."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.config import HttpConfig
from exposure.model import Profile
from exposure.net.http import HttpClient, settings_from
from exposure.passwords import pwned as pp
from exposure.passwords.strength import coarse_count, strength, user_inputs, verdict

PASSWORD_SHA1 = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"  # sha1("password")


@pytest.fixture
def http() -> HttpClient:
    return HttpClient(settings_from(HttpConfig(retries=1, backoff=0.01, min_interval=0.0)))


def range_body(rows: dict[str, int], *, crlf: bool = True) -> str:
    end = "\r\n" if crlf else "\n"
    return end.join(f"{suffix}:{count}" for suffix, count in rows.items()) + end


# --------------------------------------------------------------------------- pure parts


def test_sha1_and_split() -> None:
    assert pp.sha1_hex("password") == PASSWORD_SHA1
    assert pp.sha1_hex("pässwörd") == pp.sha1_hex("pässwörd").upper()  # UTF-8, upper case
    prefix, suffix = pp.split_hash(PASSWORD_SHA1.lower())
    assert (prefix, suffix) == ("5BAA6", "1E4C9B93F3F0682250B6CF8331B7EE68FD8")
    with pytest.raises(ValueError):
        pp.split_hash("5BAA6")
    with pytest.raises(ValueError):
        pp.range_url("https://x.example", "5baa6")  # lower case is never sent


def test_parse_range_lf_crlf_padding_and_blank_lines() -> None:
    a, b, pad = "0" * 35, "A" * 35, "F" * 35
    text = f"\ufeff{a}:3\r\n{b}:12\r\n\r\n{pad}:0\r\n"
    assert pp.parse_range(text) == {a: 3, b: 12}
    assert pp.parse_range(text.replace("\r\n", "\n")) == {a: 3, b: 12}
    assert pp.count_in(text, b.lower()) == 12
    assert pp.count_in(text, pad) == 0  # a padding row is "not seen"
    assert pp.parse_range("") == {}


@pytest.mark.parametrize(
    "bad", ["<html>busy</html>", "ABC:3", "0" * 35 + ":x", "0" * 35 + ":-1", "0" * 36 + ":1"]
)
def test_parse_range_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(pp.RangeError):
        pp.parse_range(f"{'0' * 35}:1\r\n{bad}\r\n")


def test_real_range_answers_parse(shared_data: Path) -> None:
    samples = shared_data / "api-samples"
    crlf = (samples / "pwnedpasswords_range_excerpt_crlf_beenpwned4s.txt").read_bytes().decode()
    assert "\r\n" in crlf
    assert pp.parse_range(crlf)["003D68EB55068C33ACE09247EE4C639306B"] == 3
    padded = (samples / "pwnedpasswords_range_sha1_padded_gohibp.txt").read_bytes().decode()
    rows = [line for line in padded.splitlines() if line.strip()]
    zeros = [line for line in rows if line.endswith(":0")]
    parsed = pp.parse_range(padded)
    assert zeros and len(parsed) == len(rows) - len(zeros)
    assert pp.count_in(crlf, pp.split_hash(PASSWORD_SHA1)[1]) > 1_000_000  # "password"


# --------------------------------------------------------------------------- online


def test_online_sends_only_the_prefix_with_padding(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    prefix, suffix = pp.split_hash(PASSWORD_SHA1)
    received: list[Request] = []

    def answer(request: Request) -> Response:
        received.append(request)
        assert re.fullmatch(r"/range/[0-9A-F]{5}", request.path)
        assert request.headers.get("Add-Padding") == "true"
        assert not request.query_string and not request.get_data()
        rows = {"0" * 35: 2, suffix: 42, "F" * 35: 0}
        return Response(range_body(rows), 200, content_type="text/plain")

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    assert pp.lookup_online(http, base, PASSWORD_SHA1) == 42
    assert [r.path for r in received] == [f"/range/{prefix}"]
    raw = received[0].environ.get("REQUEST_URI", "")
    assert suffix not in raw.upper() and PASSWORD_SHA1 not in raw.upper()


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (503, "unavailable", "HTTP 503"),
        (429, "slow down", "429"),
        (200, "<html>a maintenance page</html>", "unreadable"),
        (404, "", "HTTP 404"),
    ],
)
def test_online_failures_are_lookup_failures(
    httpserver: HTTPServer, http: HttpClient, status: int, body: str, words: str
) -> None:
    httpserver.expect_request(re.compile("/range/.*")).respond_with_data(
        body, status=status, headers={"Retry-After": "0"}
    )
    with pytest.raises(pp.LookupFailed, match=words):
        pp.lookup_online(http, httpserver.url_for("").rstrip("/"), PASSWORD_SHA1)


def test_unreachable_api_is_a_lookup_failure(http: HttpClient) -> None:
    with pytest.raises(pp.LookupFailed, match="unreachable"):
        pp.lookup_online(http, "http://127.0.0.1:1", PASSWORD_SHA1)


# --------------------------------------------------------------------------- offline


def test_offline_lookup_reads_the_prefix_file(tmp_path: Path) -> None:
    prefix, suffix = pp.split_hash(PASSWORD_SHA1)
    (tmp_path / f"{prefix}.txt").write_text(range_body({suffix: 7, "1" * 35: 0}))
    assert pp.lookup_offline(tmp_path, PASSWORD_SHA1) == 7
    other = pp.sha1_hex("not in the copy")
    with pytest.raises(pp.OfflineError, match=r"no range file [0-9A-F]{5}\.txt"):
        pp.lookup_offline(tmp_path, other)
    with pytest.raises(pp.OfflineError, match="no such folder"):
        pp.lookup_offline(tmp_path / "missing", PASSWORD_SHA1)


def test_offline_lookup_accepts_lower_case_names_and_refuses_garbage(tmp_path: Path) -> None:
    prefix, suffix = pp.split_hash(PASSWORD_SHA1)
    (tmp_path / f"{prefix.lower()}.txt").write_text(range_body({suffix: 5}, crlf=False))
    assert pp.lookup_offline(tmp_path, PASSWORD_SHA1) == 5
    (tmp_path / f"{prefix.lower()}.txt").write_text("garbage\n")
    with pytest.raises(pp.OfflineError, match="not SUFFIX:COUNT"):
        pp.lookup_offline(tmp_path, PASSWORD_SHA1)


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("length", "seen", "score", "mfa", "change", "why"),
    [
        (12, 0, 4, False, True, "shorter than 15"),  # strong-looking but short
        (12, 0, 4, True, False, ""),  # 8+ is enough with a second factor
        (7, 0, 4, True, True, "shorter than 8"),
        (28, 0, 4, False, False, ""),  # a long passphrase
        (15, 0, 3, False, False, ""),
        (28, 3, 4, False, True, "seen 3 times in breaches"),  # breached: must change
        (20, 1, 4, True, True, "seen 1 time in breaches"),
        (20, 0, 2, False, True, "easy to guess"),
    ],
)
def test_nist_verdict_table(
    length: int, seen: int, score: int, mfa: bool, change: bool, why: str
) -> None:
    result = verdict(length, seen, score, mfa=mfa)
    assert result.change is change
    assert (why in "; ".join(result.reasons)) if why else result.reasons == []
    if seen:
        assert result.breached and result.summary.startswith("Change this password now")
    elif not change:
        assert "fine" in result.summary
    assert "symbol" not in result.summary and "digit" not in result.summary  # no composition


def test_strength_uses_the_persons_own_words() -> None:
    jane = Profile(
        id="jane",
        names=["Jane Doe"],
        emails=["jane.doe@example.com"],
        usernames=["janedoe83"],
        birth_date=date(1983, 4, 5),
    )
    words = user_inputs(jane)
    assert {"jane", "doe", "janedoe", "janedoe83", "1983"} <= set(words)
    assert user_inputs(None) == []
    assert strength("JaneDoe1983!", words).score < strength("JaneDoe1983!").score
    assert strength("password").score == 0 and strength("password").warning
    assert strength("x" * 200).score >= 0  # zxcvbn's length limit is not a crash
    assert strength("mauve tractor lullaby quinoa", words).score >= 3


def test_coarse_count_hides_identifying_counts() -> None:
    assert coarse_count(0) == "0" and coarse_count(57) == "57"
    assert coarse_count(100) == "at least 100"
    assert coarse_count(52_256_179) == "at least 10,000,000"
