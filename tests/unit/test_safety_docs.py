"""Each checker says what its requests are; the README's table and safety note stay true."""

from __future__ import annotations

import json
import re
from pathlib import Path

from exposure.checkers import base

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_checker_says_its_lookup_notifies_no_one() -> None:
    registry = base.load_registry()
    assert registry.checkers
    for cid, cls in registry.checkers.items():
        assert not cls.noisy, cid
        assert len(cls.lookup) > 40, f"{cid} does not say what its requests are"
        assert re.search(r"no one|nobody|not told|no site messages|sends no", cls.lookup), cid


def test_readme_table_lists_every_checker() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("| checker | what its requests are |", 1)[1].split("\n\n", 1)[0]
    rows = set(re.findall(r"^\| `([a-z]+)` \|", table, re.M))
    assert rows == set(base.load_registry().checkers)


def test_readme_has_the_safety_note_and_quick_exit() -> None:
    text = README.read_text(encoding="utf-8")
    note = text.split("## Staying safe while you use this", 1)[1].split("\n## ", 1)[0]
    assert "different device" in note or "never had access" in note
    assert "ISDi" in note and "advocate" in note
    assert "Ctrl+\\\\" in note  # Markdown for Ctrl+\


def test_sources_list_prints_each_checker_as_passive(capsys, exposure_home) -> None:  # type: ignore[no-untyped-def]
    from exposure.cli import main

    assert main(["sources", "list", "--format", "json"]) == 0
    checkers = json.loads(capsys.readouterr().out)["checkers"]
    assert {c["id"] for c in checkers} == set(base.load_registry().checkers)
    assert all(c["lookup"] and c["noisy"] is False for c in checkers)
    assert main(["sources", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("passive:") == len(checkers)
