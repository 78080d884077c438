"""Regression floor for the BLIND people-search layouts (tests/fixtures/brokers_blind).

These four layouts were written without reading exposure/extract.py or
exposure/matching.py and are never tuned against (bench/BLIND.md). The numbers
asserted here are what the pipeline measured on them after the fixes written
from the failure descriptions in BLIND.md, rounded DOWN to 0.05: a floor that
catches regressions, not a target. When the pipeline improves, raise the
floors; never edit the fixtures to make them pass.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BLIND = REPO / "tests" / "fixtures" / "brokers_blind"

# Measured at the default threshold (0.60), rounded down to 0.05: once when the set
# was generated (overall P 0.893 R 0.610), and once more after the fixes written from
# BLIND.md's failure descriptions (see "After the fixes" there). The set was not
# looked at or tuned on in between.
FLOORS: dict[str, dict[str, float]] = {
    "overall": {"precision": 1.00, "recall": 0.95, "extraction": 1.00},
    "layout:rows": {"precision": 1.00, "recall": 1.00, "extraction": 1.00},
    # Two true records are still missed here (name only / name + age: see BLIND.md).
    "layout:tworow": {"precision": 1.00, "recall": 0.80, "extraction": 1.00},
    "layout:microdata": {"precision": 1.00, "recall": 1.00, "extraction": 1.00},
    "layout:uk": {"precision": 1.00, "recall": 1.00, "extraction": 1.00},
}
# Result blocks found, judged by the record's own link (names may come out mangled).
BLOCKS_FOUND_FLOOR = {"rows": 50, "tworow": 50, "microdata": 50, "uk": 35}
LINKED_FLOOR = 10  # of 10 "someone else's record shows your phone/street" records


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    return _load("match_quality", REPO / "bench" / "match_quality.py")


@pytest.fixture(scope="module")
def results(quality: ModuleType) -> dict[str, Any]:
    return quality.evaluate(fixtures=BLIND)


@pytest.fixture(scope="module")
def labels() -> dict[str, Any]:
    return json.loads((BLIND / "labels.json").read_text(encoding="utf-8"))


def test_blind_set_shape(labels: dict[str, Any]) -> None:
    """The set is what BLIND.md says: >=150 records, 4 layouts, all kinds of truth, < 500 KB."""
    records = [r for page in labels["pages"].values() for r in page["records"]]
    assert len(records) >= 150
    assert {p["layout"] for p in labels["pages"].values()} == {"rows", "tworow", "microdata", "uk"}
    assert {p["group"] for p in labels["pages"].values()} == {"blind"}
    truths = [r["truth"] for r in records]
    assert truths.count("person") >= 30 and truths.count("linked") >= 5
    assert set(truths) == {"person", "linked", "other"}
    assert sum(f.stat().st_size for f in BLIND.iterdir()) < 500_000
    for name, page in labels["pages"].items():
        html = (BLIND / name).read_text(encoding="utf-8")
        slugs = [r["slug"] for r in page["records"]]
        assert len(set(slugs)) == len(slugs), name
        for slug in slugs:  # every labelled record is really on its page
            assert re.search(re.escape(slug) + r"[/\"']", html), (name, slug)


def test_generator_is_deterministic_and_matches_fixtures(tmp_path: Path) -> None:
    gen = _load("make_blind_fixtures", REPO / "bench" / "make_blind_fixtures.py")
    gen.main(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in BLIND.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (BLIND / name).read_bytes(), name


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_precision_recall_floor(results: dict[str, Any], group: str) -> None:
    tally = results[group]
    floor = FLOORS[group]
    assert tally.precision >= floor["precision"], (group, tally.precision, tally.errors[:10])
    assert tally.recall >= floor["recall"], (group, tally.recall, tally.errors[:10])
    assert tally.extraction_recall >= floor["extraction"], (group, tally.extraction_recall)


def test_linked_records_floor(results: dict[str, Any]) -> None:
    assert results["overall"].linked_truth == 10
    assert results["overall"].linked_tp >= LINKED_FLOOR


def test_blocks_found_and_no_page_furniture(labels: dict[str, Any], quality: ModuleType) -> None:
    """Judged by links, not names: how many result blocks were found per layout, and no
    ad, sidebar, pager, filter or footer became a record (true furniture is zero today)."""
    from exposure.extract import extract_records

    profiles = quality._profiles(BLIND)
    found: dict[str, int] = {}
    furniture: list[str] = []
    for name, page in labels["pages"].items():
        region = quality._region(profiles[page["profile"]])
        records = extract_records(
            (BLIND / name).read_bytes(), page["base_url"], default_region=region
        )
        slugs = {r["slug"] for r in page["records"]}
        for record in records:
            tail = (record.url or "").rstrip("/").rsplit("/", 1)[-1]
            if tail in slugs:
                slugs.discard(tail)
                found[page["layout"]] = found.get(page["layout"], 0) + 1
            else:
                furniture.append(f"{name}: {record.name!r} {record.url!r}")
    for layout, floor in BLOCKS_FOUND_FLOOR.items():
        assert found.get(layout, 0) >= floor, (layout, found)
    assert furniture == []


def test_evaluate_rejects_a_missing_fixtures_folder(quality: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        quality.evaluate(fixtures=tmp_path / "no-such-folder")
