"""Reading a saved page (exposure/engine/saved_page.py): .html, .mhtml, and hostile files."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from exposure.engine.saved_page import MAX_DEPTH, SavedKind, SavedPageError, read_saved

PAGE = "<!DOCTYPE html><html><body><h1>Jane Q Doe</h1><p>Austin, TX — caf\u00e9</p></body></html>"
URL = "https://www.example-broker.com/search?q=Jane+Doe"
CAP = 1 << 20


def mhtml(parts: str, top: str = "multipart/related") -> bytes:
    head = (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {URL}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: {top}; type="text/html"; boundary="B"\r\n\r\n'
    )
    return (head + parts + "--B--\r\n").encode("utf-8")


def part(body: str, *, ctype: str = "text/html; charset=utf-8", cte: str = "base64") -> str:
    return (
        f"--B\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n"
        f"Content-Location: {URL}\r\n\r\n{body}\r\n"
    )


def b64(text: str) -> str:
    return base64.encodebytes(text.encode("utf-8")).decode("ascii")


def test_an_html_file_is_read_with_its_saved_from_address(tmp_path: Path) -> None:
    file = tmp_path / "page.htm"
    file.write_text(f"<!-- saved from url=({len(URL):04d}){URL} -->\n{PAGE}", encoding="utf-8")
    page = read_saved(file, CAP)
    assert page.kind is SavedKind.HTML
    assert "Jane Q Doe" in page.html and "caf\u00e9" in page.html
    assert page.url == URL
    assert page.raw == file.read_bytes()


def test_a_saved_from_address_that_is_not_a_web_page_is_ignored(tmp_path: Path) -> None:
    file = tmp_path / "page.html"
    file.write_text(f"<!-- saved from url=(0021)javascript:alert(1) -->\n{PAGE}")
    assert read_saved(file, CAP).url == ""


def test_an_mhtml_file_gives_its_html_part_decoded(tmp_path: Path) -> None:
    file = tmp_path / "page.mhtml"
    css = part("Ym9keSB7fQ==", ctype="text/css")
    file.write_bytes(mhtml(css + part(b64(PAGE))))
    page = read_saved(file, CAP)
    assert page.kind is SavedKind.MHTML
    assert page.html == PAGE
    assert page.url == URL
    assert page.content_type == "multipart/related"


def test_quoted_printable_parts_are_decoded(tmp_path: Path) -> None:
    body = quopri.encodestring(PAGE.encode("utf-8")).decode("ascii")
    file = tmp_path / "page.mht"
    file.write_bytes(mhtml(part(body, cte="quoted-printable")))
    assert read_saved(file, CAP).html == PAGE


def refused(file: Path, cap: int = CAP) -> str:
    with pytest.raises(SavedPageError) as info:
        read_saved(file, cap)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(file))
    return message


def test_a_file_over_the_body_cap_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "big.html"
    file.write_text(PAGE + " " * 2000)
    assert "over the body cap" in refused(file, cap=1000)


@pytest.mark.parametrize(
    "data",
    [b"just some words", b"\x89PNG\r\n\x1a\n\x00\x00<html>", b""],
    ids=["text", "png", "empty"],
)
def test_a_file_that_is_not_html_is_refused(tmp_path: Path, data: bytes) -> None:
    file = tmp_path / "page.html"
    file.write_bytes(data)
    assert "not HTML" in refused(file)


def test_another_kind_of_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "page.pdf"
    file.write_bytes(PAGE.encode())
    assert "not a saved page" in refused(file)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "gone.html")


def nested(depth: int) -> str:
    text = part(b64(PAGE))
    for n in range(depth):
        text = (
            f'--B\r\nContent-Type: multipart/related; boundary="N{n}"\r\n\r\n'
            + text.replace("--B", f"--N{n}")
            + f"--N{n}--\r\n"
        )
    return text


@pytest.mark.parametrize(
    ("parts", "top", "why"),
    [
        (part("Ym9keSB7fQ==", ctype="text/css"), "multipart/related", "no text/html part"),
        (part(b64(PAGE), cte="x-uuencode"), "multipart/related", "unknown transfer encoding"),
        (
            part(b64(PAGE), ctype="text/html; charset=x-no-such"),
            "multipart/related",
            "unknown charset",
        ),
        (part(b64("plain words, no tags")), "multipart/related", "not HTML"),
        (part(b64(PAGE)), "multipart/mixed", "not multipart/related"),
        (nested(MAX_DEPTH + 1), "multipart/related", "nested over"),
        (part("Ym9keSB7fQ==", ctype="text/css") * 2100, "multipart/related", "over 2000 parts"),
    ],
    ids=["no-html", "encoding", "charset", "not-html", "type", "deep", "many"],
)
def test_an_mhtml_file_with_hostile_parts_is_refused(
    tmp_path: Path, parts: str, top: str, why: str
) -> None:
    file = tmp_path / "page.mhtml"
    file.write_bytes(mhtml(parts, top))
    message = refused(file)
    assert why in message and "not imported" in message


def test_an_mhtml_file_that_is_not_mime_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "page.mhtml"
    file.write_bytes(bytes(range(256)) * 4)
    assert "not a readable MHTML file" in refused(file)
