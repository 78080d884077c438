"""The case-file manifest as verify reads it: only names a case file can hold."""

from __future__ import annotations

from exposure.casefile.manifest import FORMAT, listed_files

SHA = "a" * 64


def test_listed_files_keeps_case_file_names_only():
    problems: list[str] = []
    manifest = {
        "format": FORMAT,
        "files": {
            "case.pdf": SHA,
            f"screenshots/{SHA}.png": SHA,
            f"attachments/{SHA}": SHA,
            "../../etc/passwd": SHA,
            "manifest.json": SHA,
            f"attachments/{'b' * 64}": "not-a-hash",
        },
    }
    out = listed_files(manifest, problems)
    assert set(out) == {"case.pdf", f"screenshots/{SHA}.png", f"attachments/{SHA}"}
    assert sum("cannot hold" in p for p in problems) == 2
    assert any("no valid sha256" in p for p in problems)


def test_a_manifest_without_its_pdf_or_files_is_a_problem():
    problems: list[str] = []
    assert listed_files({"format": FORMAT, "files": {}}, problems) == {}
    assert any("case.pdf is not listed" in p for p in problems)
    problems.clear()
    assert listed_files({"format": FORMAT}, problems) == {}
    assert problems == ["manifest.json: the case file lists no files"]
