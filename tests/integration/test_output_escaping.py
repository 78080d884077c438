"""JSON output escapes C1, DEL and invisible characters; text output drops them (item 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Finding, FindingKind
from exposure.textsafe import clean, json_text

HOSTILE = {
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\x85": "C1 next line",
    "\x9b": "C1 CSI",
    "\x7f": "DEL",
    "\u2060": "word joiner",
    "\u00ad": "soft hyphen",
    "\U000e0041": "tag latin capital A",
    "\u200b": "zero-width space",
}
TITLE = "Jane" + "".join(HOSTILE) + "Doe"


def _hostile_finding(home: Path) -> None:
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        scan = store.begin_scan("jane", ["sites"])
        finding = Finding(
            checker="sites",
            source="Evil" + "".join(HOSTILE),
            kind=FindingKind.ACCOUNT,
            key="evil:jane",
            url="https://evil.example/jane",
            confidence=0.9,
            title=TITLE,
        )
        store.record_finding(scan.scan_id, "jane", finding)
        store.finish_scan(scan, "finished")


def test_findings_json_escapes_every_invisible_character(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _hostile_finding(exposure_home)
    capsys.readouterr()
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    out = capsys.readouterr().out
    for char, name in HOSTILE.items():
        assert char not in out, name
    doc = json.loads(out)
    [found] = doc["findings"]
    assert found["title"] == TITLE  # escaped, not lost: the same string once parsed
    assert "\\u202e" in out


def test_findings_text_drops_every_invisible_character(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _hostile_finding(exposure_home)
    capsys.readouterr()
    assert main(["findings", "--profile", "jane"]) == 0
    out = capsys.readouterr().out
    for char, name in HOSTILE.items():
        assert char not in out, name
    assert "Evil" in out


@pytest.mark.parametrize("char", list(HOSTILE))
def test_clean_and_json_text(char: str) -> None:
    assert clean(f"a{char}b") == "ab"
    text = json_text({"v": f"a{char}b"})
    assert char not in text and json.loads(text) == {"v": f"a{char}b"}
