"""The pgp checker: armour, OpenPGP packet walking and the VKS API, against a local server."""

from __future__ import annotations

import base64
import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from checker_kit import scan_context
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import ScanContext, TaskResult
from exposure.checkers.pgp import (
    KeyFormatError,
    PgpChecker,
    crc24,
    dearmor,
    fingerprint,
    packets,
    parse_user_id,
    read_key,
)
from exposure.model import FindingKind, Outcome, Profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "pgp"
EMAIL = "jane.doe@example.com"
ROOYCA = "keys_openpgp_org_vks_by_fingerprint_0CCBAE32_rooyca.asc"


def make_ctx(base: str | None, emails: list[str] | None = None, private: tuple[str, ...] = ()):
    profile = Profile(
        id="jane", names=["Jane Doe"], emails=emails if emails is not None else [EMAIL]
    )
    checkers = {"pgp": {"base_url": base}} if base is not None else {}
    return scan_context(profile, checkers=checkers, private=private)


def run_all(ctx: ScanContext) -> list[TaskResult]:
    return [task.run() for task in PgpChecker().tasks(ctx)]


# ------------------------------------------------------------------ hand-built packets


def new_packet(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 192:
        length = bytes([n])
    elif n < 8384:
        length = bytes([((n - 192) >> 8) + 192, (n - 192) & 0xFF])
    else:
        length = b"\xff" + n.to_bytes(4, "big")
    return bytes([0xC0 | tag]) + length + body


def old_packet(tag: int, body: bytes, size: int = 1) -> bytes:
    kind = {1: 0, 2: 1, 4: 2}[size]
    return bytes([0x80 | (tag << 2) | kind]) + len(body).to_bytes(size, "big") + body


def armour(data: bytes, *, checksum: bool = True) -> str:
    b64 = base64.b64encode(data).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    tail = ["=" + base64.b64encode(crc24(data).to_bytes(3, "big")).decode()] if checksum else []
    return "\n".join(
        [
            "-----BEGIN PGP PUBLIC KEY BLOCK-----",
            "Comment: test",
            "",
            *lines,
            *tail,
            "-----END PGP PUBLIC KEY BLOCK-----",
            "",
        ]
    )


KEY_BODY = bytes([4]) + (1700000000).to_bytes(4, "big") + bytes([22]) + b"\x01" * 40


def test_every_length_encoding_is_walked() -> None:
    uid = b"Jane Doe <jane@example.com>"
    long_uid = b"J" * 300  # two-octet new-format length
    huge = b"x" * 9000  # five-octet new-format length
    data = (
        old_packet(6, KEY_BODY, size=1)
        + old_packet(13, uid, size=2)
        + old_packet(13, uid, size=4)
        + new_packet(13, long_uid)
        + new_packet(2, huge)
        + new_packet(13, uid)
    )
    got = [(p.tag, len(p.body)) for p in packets(data)]
    assert got == [
        (6, len(KEY_BODY)),
        (13, len(uid)),
        (13, len(uid)),
        (13, 300),
        (2, 9000),
        (13, len(uid)),
    ]


def test_partial_body_lengths_and_indeterminate_old_length() -> None:
    # New format, partial lengths: 2**1 = 2 bytes, then 2**0 = 1 byte, then a final 3 bytes.
    partial = bytes([0xC0 | 13, 0xE1]) + b"ab" + bytes([0xE0]) + b"c" + bytes([3]) + b"def"
    assert [(p.tag, p.body) for p in packets(partial)] == [(13, b"abcdef")]
    indeterminate = bytes([0x80 | (13 << 2) | 3]) + b"to the end"
    assert [(p.tag, p.body) for p in packets(indeterminate)] == [(13, b"to the end")]


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02",  # no packet tag bit
        new_packet(13, b"abc")[:-1],  # body runs past the end
        bytes([0xC0 | 13, 0xFF, 0, 0]),  # truncated five-octet length
        bytes([0xC0 | 13, 0xC5]),  # truncated two-octet length
        bytes([0x80 | (13 << 2) | 2, 0, 0]),  # truncated old four-octet length
    ],
)
def test_malformed_packets_raise_key_format_error(data: bytes) -> None:
    with pytest.raises(KeyFormatError):
        list(packets(data))


@pytest.mark.parametrize(
    ("raw", "name", "comment", "email"),
    [
        ("Jane Q. Doe (work) <jane@corp.example>", "Jane Q. Doe", "work", "jane@corp.example"),
        ("Jane Doe <jane@example.com>", "Jane Doe", "", "jane@example.com"),
        ("<jane@example.com>", "", "", "jane@example.com"),
        ("jane@example.com", "", "", "jane@example.com"),
        ("Jane Doe", "Jane Doe", "", ""),
        ("Jane\x1b[31m Doe <j@example.com>", "Jane Doe", "", "j@example.com"),
    ],
)
def test_user_ids_are_split(raw: str, name: str, comment: str, email: str) -> None:
    uid = parse_user_id(raw)
    assert (uid.name, uid.comment, uid.email) == (name, comment, email)


def test_real_key_from_the_keyserver_is_read(shared_data: Path) -> None:
    text = (shared_data / "api-samples" / ROOYCA).read_bytes()
    info = read_key(text)
    # The armour's own Comment line names the fingerprint: our SHA-1 over the key packet agrees.
    assert info.fingerprint == "0CCBAE3240C1522155278DE4CB666DEC17F3A6D5"
    assert [(u.name, u.email) for u in info.user_ids] == [("Ronald Cantillo", "rooyca@gmail.com")]
    assert info.photos == 0


def test_corrupted_real_key_fails_its_checksum(shared_data: Path) -> None:
    text = (shared_data / "api-samples" / ROOYCA).read_text()
    lines = text.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("xsFN"))
    lines[i] = "xsFM" + lines[i][4:]
    with pytest.raises(KeyFormatError, match="checksum"):
        dearmor("\n".join(lines))


def test_armour_without_checksum_and_bad_armour() -> None:
    data = old_packet(6, KEY_BODY) + new_packet(13, b"Jane <jane@example.com>")
    assert dearmor(armour(data, checksum=False)) == data
    with pytest.raises(KeyFormatError):
        dearmor("no armour at all")
    with pytest.raises(KeyFormatError):
        dearmor(armour(data).replace("-----END PGP PUBLIC KEY BLOCK-----", ""))
    with pytest.raises(KeyFormatError):
        dearmor("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----")
    with pytest.raises(KeyFormatError, match="no public key"):
        read_key(armour(new_packet(13, b"Jane")).encode())


def test_fingerprint_versions() -> None:
    v4 = fingerprint(KEY_BODY)
    assert (
        v4
        == hashlib.sha1(b"\x99" + len(KEY_BODY).to_bytes(2, "big") + KEY_BODY).hexdigest().upper()
    )
    v6_body = bytes([6]) + KEY_BODY[1:]
    v6 = fingerprint(v6_body)
    assert len(v6) == 64 and v6 != v4
    assert fingerprint(bytes([3]) + KEY_BODY[1:]) == ""  # v3: not computed here
    assert fingerprint(b"") == ""


# ------------------------------------------------------------------ the checker


def test_key_with_other_emails_is_a_public_key_finding(httpserver: HTTPServer) -> None:
    body = (FIXTURES / "jane_three_uids.asc").read_bytes()
    httpserver.expect_request(f"/vks/v1/by-email/{EMAIL}").respond_with_data(
        body, content_type="application/pgp-keys"
    )
    [result] = run_all(make_ctx(httpserver.url_for("/")))
    assert [c.status for c in result.checks] == [Outcome.FOUND]
    [finding] = result.findings
    assert finding.kind is FindingKind.PUBLIC_KEY and finding.confidence == 1.0
    m = finding.matched
    assert m["names"] == ["Jane Q. Doe", "Jane Doe", "Janie D."]
    assert m["other_emails"] == ["jane.doe@corp.example", "jdoe@oldschool.example"]
    assert EMAIL in m["emails"] and m["comments"] == ["work"] and m["photos"] == 1
    assert len(m["fingerprint"]) == 40
    assert any("jane.doe@corp.example" in r for r in finding.reasons)
    assert finding.key.startswith(EMAIL + ":")
    assert finding.capture is not None and finding.capture.body == body


def test_real_key_served_by_the_api(httpserver: HTTPServer, shared_data: Path) -> None:
    body = (shared_data / "api-samples" / ROOYCA).read_bytes()
    httpserver.expect_request("/vks/v1/by-email/rooyca@gmail.com").respond_with_data(body)
    [result] = run_all(make_ctx(httpserver.url_for("/"), emails=["rooyca@gmail.com"]))
    [finding] = result.findings
    assert finding.matched["names"] == ["Ronald Cantillo"]
    assert finding.matched["other_emails"] == []


def test_email_is_url_encoded_in_the_path(httpserver: HTTPServer) -> None:
    raw: list[str] = []

    def handler(request: Request) -> Response:
        raw.append(request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI", ""))
        return Response("", status=404)

    httpserver.expect_request("/vks/v1/by-email/jane+tag/x@example.com").respond_with_handler(
        handler
    )
    [result] = run_all(make_ctx(httpserver.url_for("/"), emails=["jane+tag/x@example.com"]))
    assert raw == ["/vks/v1/by-email/jane%2Btag%2Fx%40example.com"]
    assert result.checks[0].status is Outcome.ABSENT and result.findings == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "words"),
    [
        (200, "<html>Not a key</html>", {}, Outcome.ERROR, "could not read the key"),
        (
            200,
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n",
            {},
            Outcome.ERROR,
            "could not read the key",
        ),
        (200, "", {}, Outcome.ERROR, "could not read the key"),
        (429, "", {"Retry-After": "60"}, Outcome.BLOCKED, "retry after 60s"),
        (403, "", {}, Outcome.BLOCKED, "403"),
        (500, "", {}, Outcome.ERROR, "HTTP 500"),
        (400, "Invalid email", {}, Outcome.ERROR, "HTTP 400"),
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
    httpserver.expect_request(f"/vks/v1/by-email/{EMAIL}").respond_with_data(
        body, status=status, headers=headers
    )
    [result] = run_all(make_ctx(httpserver.url_for("/")))
    [check] = result.checks
    assert check.status is expected and words in check.detail
    assert result.findings == []


def test_truncated_binary_key_is_an_error_not_a_crash(httpserver: HTTPServer) -> None:
    data = old_packet(6, KEY_BODY) + new_packet(13, b"Jane <jane@example.com>")
    httpserver.expect_request(f"/vks/v1/by-email/{EMAIL}").respond_with_data(data[:-5])
    [result] = run_all(make_ctx(httpserver.url_for("/")))
    assert result.checks[0].status is Outcome.ERROR
    assert "could not read the key" in result.checks[0].detail


@pytest.fixture
def silent_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_timeout_is_an_error(silent_port: int) -> None:
    [result] = run_all(make_ctx(f"http://127.0.0.1:{silent_port}"))
    assert result.checks[0].status is Outcome.ERROR and "timed out" in result.checks[0].detail


def test_transmissions_and_private_email() -> None:
    from exposure.engine.scan import without_private

    checker = PgpChecker()
    ctx = make_ctx(None, emails=["Jane@Example.com", "jane@example.com", "j@work.example"])
    assert {(t.field, t.value, t.host) for t in checker.transmissions(ctx)} == {
        ("email", "jane@example.com", "keys.openpgp.org"),
        ("email", "j@work.example", "keys.openpgp.org"),
    }
    assert {t.host for t in checker.transmissions(make_ctx("http://hagrid.example.net:8080/"))} == {
        "hagrid.example.net"
    }
    private = make_ctx(None, private=("email",))
    assert list(checker.tasks(private)) == []
    assert without_private([checker], private)[0] == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_key_or_a_key_format_error(blob: bytes) -> None:
    for data in (blob, bytes([0x99]) + blob, armour(blob).encode()):
        try:
            info = read_key(data)
        except KeyFormatError:
            continue
        assert isinstance(info.user_ids, list)
