"""An offline scan is "nothing could be checked", never "nothing found" (score unknown, not 0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.cli import main

DEAD = "http://127.0.0.1:9"


@pytest.fixture
def offline_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """jane, scanned once against sites that all refuse the connection."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"]) == 0
    entries = [
        {
            "name": f"Dead{i}",
            "uri_check": f"{DEAD}/dead{i}/{{account}}",
            "e_code": 200,
            "e_string": "profile of",
            "m_code": 404,
            "m_string": "no such user",
            "known": ["someone"],
            "cat": "social",
        }
        for i in range(4)
    ]
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({"sites": entries}))
    capsys.readouterr()
    return sites


def test_cli_text_says_unknown_and_why(offline_scan: Path, capsys: pytest.CaptureFixture) -> None:
    status = main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(offline_scan)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "Coverage: checked 0 of 4 checks (0%) — NOT an all-clear" in out
    assert "Exposure score unknown: no source could be checked" in out
    assert "could not check" in out  # the checker's line
    assert "Score 0" not in out and "0.0 / 100" not in out
    assert "not an all-clear" in err


def test_json_has_coverage_and_a_null_score(
    offline_scan: Path, capsys: pytest.CaptureFixture
) -> None:
    argv = ["scan", "--profile", "jane", "--only", "sites", "--sites", str(offline_scan)]
    assert main([*argv, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["score"] == {
        "value": None,
        "known": False,
        "reason": doc["coverage"]["reason"],
    }
    assert "no source could be checked" in doc["coverage"]["reason"]
    cov = doc["coverage"]
    assert (cov["checked"], cov["attempted"], cov["sufficient"]) == (0, 4, False)
    [sites] = cov["checkers"]
    assert sites["state"] == "failed" and sites["error"] == 4 and sites["reasons"]


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_reports_say_unknown_not_zero(
    offline_scan: Path, tmp_path: Path, capsys: pytest.CaptureFixture, fmt: str
) -> None:
    argv = ["scan", "--profile", "jane", "--only", "sites", "--sites", str(offline_scan)]
    assert main([*argv, "--quiet"]) == 1
    out = tmp_path / f"report.{fmt}"
    assert main(["report", "--profile", "jane", "--format", fmt, "--output", str(out)]) == 0
    text = out.read_text()
    if fmt == "json":
        doc = json.loads(text)
        assert doc["score"] is None and doc["score_known"] is False
        assert doc["coverage"]["checked"] == 0
    else:
        assert "unknown: no source could be checked" in text
        assert "checked 0 of 4 checks (0%)" in text and "not an all-clear" in text
        assert "0.0 / 100" not in text and "nothing found" not in text
