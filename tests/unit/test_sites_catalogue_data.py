"""Data checks on the bundled username-site catalogue (data/sites.json).

The catalogue is data, not code, so nothing else would catch a malformed entry until a
scan silently misreports a site. These tests read the JSON only (no network, no project
code). `catalogue_problems` lists every rule an entry breaks; it is run on the real
catalogue (expect none) and on deliberately broken copies (expect each break caught), so
the checks themselves are shown to be able to fail.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

CATALOGUE = Path(__file__).parents[2] / "data" / "sites.json"
MIN_SITES = 160
CHILD_CATEGORIES = {"gaming", "video", "chat"}
FORBIDDEN_CATEGORIES = {"xx nsfw xx", "nsfw", "adult", "porn"}
REQUIRED = {
    "name": str,
    "uri_check": str,
    "e_code": int,
    "e_string": str,
    "m_code": int,
    "m_string": str,
    "known": list,
    "cat": str,
}
OPTIONAL = {
    "uri_pretty": str,
    "post_body": str,
    "headers": dict,
    "strip_bad_char": str,
    "protection": list,
}


def _entry_problems(site: Any, categories: set[str]) -> list[str]:
    if not isinstance(site, dict):
        return [f"entry is not an object: {site!r}"]
    label = site.get("name", "<no name>")
    problems = []
    for key, typ in REQUIRED.items():
        value = site.get(key)
        # bool is a subclass of int: a status code of True must not pass.
        if not isinstance(value, typ) or isinstance(value, bool):
            problems.append(f"{label}: {key} missing or not {typ.__name__}")
    for key, typ in OPTIONAL.items():
        if key in site and not isinstance(site[key], typ):
            problems.append(f"{label}: {key} is not {typ.__name__}")
    unknown = set(site) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        problems.append(f"{label}: unknown keys {sorted(unknown)}")
    if problems:
        return problems
    if not site["name"].strip():
        problems.append("an entry has an empty name")
    uri = site["uri_check"]
    if not uri.startswith("https://"):
        problems.append(f"{label}: uri_check is not https")
    if "{account}" not in uri:
        problems.append(f"{label}: uri_check lacks {{account}}")
    if "uri_pretty" in site and not site["uri_pretty"].startswith("https://"):
        problems.append(f"{label}: uri_pretty is not https")
    if not site["e_string"] or not site["m_string"]:
        problems.append(f"{label}: empty e_string or m_string")
    for key in ("e_code", "m_code"):
        if not 100 <= site[key] <= 599:
            problems.append(f"{label}: {key} {site[key]} is not an HTTP status")
    if site["e_code"] == site["m_code"] and site["e_string"] == site["m_string"]:
        problems.append(f"{label}: found and absent are indistinguishable")
    known = site["known"]
    if not known or not all(isinstance(k, str) and k.strip() for k in known):
        problems.append(f"{label}: known must list at least one username")
    elif len(set(known)) != len(known):
        problems.append(f"{label}: duplicate known usernames")
    if site["cat"] not in categories:
        problems.append(f"{label}: category {site['cat']!r} not declared")
    if "headers" in site and not all(
        isinstance(k, str) and isinstance(v, str) for k, v in site["headers"].items()
    ):
        problems.append(f"{label}: headers must map strings to strings")
    return problems


def catalogue_problems(doc: Any) -> list[str]:
    """Every rule the catalogue document breaks, as readable lines (empty = valid)."""
    if not isinstance(doc, dict):
        return ["top level is not an object"]
    problems = []
    for key in ("license", "authors", "categories", "sites"):
        if not isinstance(doc.get(key), list) or not doc.get(key):
            problems.append(f"top-level {key} missing, empty or not a list")
    if problems:
        return problems
    categories = set(doc["categories"])
    bad_cats = {c for c in categories if c.casefold() in FORBIDDEN_CATEGORIES}
    if bad_cats:
        problems.append(f"forbidden categories declared: {sorted(bad_cats)}")
    sites = doc["sites"]
    if len(sites) < MIN_SITES:
        problems.append(f"only {len(sites)} sites, need at least {MIN_SITES}")
    for site in sites:
        problems.extend(_entry_problems(site, categories - bad_cats))
    names = Counter(s["name"].casefold() for s in sites if isinstance(s, dict) and "name" in s)
    problems.extend(f"duplicate name {n!r}" for n, count in names.items() if count > 1)
    child = sum(1 for s in sites if isinstance(s, dict) and s.get("cat") in CHILD_CATEGORIES)
    if child < 10:
        problems.append(f"only {child} gaming/video/chat sites, need at least 10")
    return problems


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path))


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def test_catalogue_has_no_problems(doc):
    assert catalogue_problems(doc) == []


def test_catalogue_size_and_child_platforms(doc):
    sites = doc["sites"]
    assert len(sites) >= MIN_SITES
    cats = Counter(s["cat"] for s in sites)
    assert sum(cats[c] for c in CHILD_CATEGORIES) >= 10
    # Platforms children use must be present under a guardian-weightable category.
    by_name = {s["name"]: s["cat"] for s in sites}
    for name in ("Roblox", "Steam", "Twitch", "Lichess", "Chess.com", "Xbox Gamertag"):
        assert by_name.get(name) == "gaming", name
    for name in ("YouTube", "TikTok"):
        assert by_name.get(name) == "video", name
    assert any(cat == "chat" for cat in by_name.values())


def test_sites_sorted_by_name_and_pretty_printed(doc):
    names = [s["name"].casefold() for s in doc["sites"]]
    assert names == sorted(names)
    text = CATALOGUE.read_text(encoding="utf-8")
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_every_declared_category_is_used(doc):
    used = {s["cat"] for s in doc["sites"]}
    assert set(doc["categories"]) == used


def test_license_and_attribution_are_honest(doc):
    licence = " ".join(doc["license"])
    assert "CC BY-SA 4.0" in licence
    assert "WhatsMyName" in licence
    assert any("WhatsMyName" in a for a in doc["authors"])
    assert not any(s.get("valid") is False for s in doc["sites"])


def _first_site(doc: dict) -> tuple[dict, dict]:
    broken = copy.deepcopy(doc)
    return broken, broken["sites"][0]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda s: s.update(uri_check=s["uri_check"].replace("https://", "http://")), "https"),
        (lambda s: s.update(uri_check="https://example.invalid/user"), "{account}"),
        (lambda s: s.update(known=[]), "known"),
        (lambda s: s.update(known=[""]), "known"),
        (lambda s: s.pop("known"), "known missing"),
        (lambda s: s.update(e_code="200"), "e_code missing or not int"),
        (lambda s: s.update(m_code=True), "m_code missing or not int"),
        (lambda s: s.update(e_code=42), "not an HTTP status"),
        (lambda s: s.update(m_string=""), "empty e_string or m_string"),
        (
            lambda s: s.update(m_code=s["e_code"], m_string=s["e_string"]),
            "indistinguishable",
        ),
        (lambda s: s.update(cat="xx NSFW xx"), "not declared"),
        (lambda s: s.update(cat="unheard-of"), "not declared"),
        (lambda s: s.update(valid=False), "unknown keys"),
        (lambda s: s.update(headers={"User-Agent": 1}), "headers"),
    ],
)
def test_broken_entries_are_caught(doc, mutate, expected):
    broken, site = _first_site(doc)
    mutate(site)
    problems = catalogue_problems(broken)
    assert any(expected in p for p in problems), problems


def test_duplicate_names_are_caught_case_insensitively(doc):
    broken = copy.deepcopy(doc)
    twin = copy.deepcopy(broken["sites"][0])
    twin["name"] = twin["name"].upper()
    broken["sites"].append(twin)
    assert any("duplicate name" in p for p in catalogue_problems(broken))


def test_too_few_sites_and_child_platforms_are_caught(doc):
    broken = copy.deepcopy(doc)
    broken["sites"] = [s for s in broken["sites"] if s["cat"] not in CHILD_CATEGORIES][:5]
    problems = catalogue_problems(broken)
    assert any("need at least 160" in p for p in problems)
    assert any("gaming/video/chat" in p for p in problems)


def test_forbidden_category_declaration_is_caught(doc):
    broken = copy.deepcopy(doc)
    broken["categories"].append("xx NSFW xx")
    assert any("forbidden" in p for p in catalogue_problems(broken))


@pytest.mark.parametrize("bad", [[], {"sites": []}, {"license": ["x"]}, "sites"])
def test_malformed_top_level_is_caught(bad):
    assert catalogue_problems(bad)
