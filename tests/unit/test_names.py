"""Unit tests for exposure.people.names: parsing, folding, variants and fuzzy comparison."""

from __future__ import annotations

import pytest

from exposure.people.names import (
    NameParts,
    clean_text,
    compare_names,
    fold,
    given_variants,
    name_variants,
    parse_name,
)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path))


@pytest.mark.parametrize(
    ("text", "given", "middle", "family", "suffix", "nickname"),
    [
        ("Jane Doe", "Jane", "", "Doe", "", ""),
        ("DOE, JANE Q", "Jane", "Q", "Doe", "", ""),
        ("Doe, Jane", "Jane", "", "Doe", "", ""),
        ("Jane Q. Doe", "Jane", "Q", "Doe", "", ""),
        ("jane quinn doe", "Jane", "Quinn", "Doe", "", ""),
        ("Mary Smith-Jones", "Mary", "", "Smith-Jones", "", ""),
        ("Jan van der Berg", "Jan", "", "van der Berg", "", ""),
        ("Maria de la Cruz", "Maria", "", "de la Cruz", "", ""),
        ("Robert Downey Jr", "Robert", "", "Downey", "Jr", ""),
        ("John Smith III", "John", "", "Smith", "III", ""),
        ('William "Bill" Gates', "William", "", "Gates", "", "Bill"),
        ("J. Doe", "J", "", "Doe", "", ""),
    ],
)
def test_parse_name(text, given, middle, family, suffix, nickname):
    parts = parse_name(text)
    assert parts == NameParts(given, middle, family, suffix, nickname)


def test_parse_name_empty_and_control_characters():
    assert parse_name("   ") == NameParts()
    parts = parse_name("Jane\x1b[31m Doe")
    assert "\x1b" not in parts.full
    assert parts.family.endswith("Doe")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José", "jose"),
        ("Müller", "muller"),
        ("Søren Ørsted", "soren orsted"),
        ("Straße", "strasse"),
        ("Łukasz", "lukasz"),
        ("  Jane   Q.  DOE ", "jane q doe"),
        ("Smith-Jones", "smith jones"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("", ""),
        ("---", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Bill", "william"),
        ("William", "bill"),
        ("Liz", "elizabeth"),
        ("Elizabeth", "liz"),
        ("Bob", "robert"),
        ("Robert", "bob"),
    ],
)
def test_given_variants_both_directions(given, expected):
    variants = given_variants(given)
    assert expected in variants
    assert fold(given) in variants


def test_given_variants_unknown_and_empty():
    assert given_variants("Zxqv") == {"zxqv"}
    assert given_variants("") == set()
    # A copy is returned: callers cannot poison the cache.
    given_variants("Bill").add("poison")
    assert "poison" not in given_variants("Bill")


def test_name_variants_forms():
    variants = name_variants("Jane Quinn Doe")
    for form in ("jane doe", "doe jane", "j doe", "jane q doe", "jane quinn doe"):
        assert form in variants
    assert "john doe" not in variants


def test_name_variants_nicknames_and_hyphens():
    assert "bill gates" in name_variants("William Gates")
    assert "william gates" in name_variants("Bill Gates")
    hyphen = name_variants("Mary Smith-Jones")
    assert {"mary smith", "mary jones", "mary smith jones"} <= hyphen
    assert "jose garcia" in name_variants("José García")


@pytest.mark.parametrize(
    ("mine", "seen", "low", "high", "word"),
    [
        ("Jane Q. Doe", "DOE, JANE", 0.9, 1.0, ""),
        ("Jane Doe", "Jane Doe", 1.0, 1.0, ""),
        ("Jane Doe", "DOE JANE", 0.9, 1.0, ""),
        ("José García", "Jose Garcia", 1.0, 1.0, ""),
        ("Bill Gates", "William Gates", 0.9, 0.99, "nickname"),
        ("William Gates", "Bill Gates", 0.9, 0.99, "nickname"),
        ("Elizabeth Doe", "Liz Doe", 0.9, 0.99, "nickname"),
        ("Jane Doe", "J. Doe", 0.6, 0.8, "initial"),
        ("Jane Q Doe", "Jane R Doe", 0.5, 0.85, "middle initial conflicts"),
        ("Mary Smith-Jones", "Mary Jones", 0.8, 0.95, "surname"),
        ("Jan van der Berg", "Jan Vanderberg", 0.95, 1.0, ""),
        ("Gabriel García Márquez", "GARCIA MARQUEZ, GABRIEL", 0.9, 1.0, ""),
        ("Jane Doe", "Jayne Doe", 0.8, 0.95, "spelling"),
        ("John Doe Jr", "John Doe Sr", 0.6, 0.85, "suffix"),
        ("Jane Doe", "Jane Smith", 0.0, 0.49, ""),
        ("Jane Doe", "John Doe", 0.0, 0.59, ""),
        ("Jane Doe", "J. Smith", 0.0, 0.4, ""),
        ("Jane Doe", "Jane", 0.0, 0.5, ""),
        ("Jane Doe", "", 0.0, 0.0, ""),
    ],
)
def test_compare_names(mine, seen, low, high, word):
    match = compare_names(mine, seen)
    assert low <= match.score <= high, match
    assert match.reason.startswith(f"name {match.score:.2f} ({mine} ~ {seen}")
    assert word in match.reason


def test_middle_conflict_lowers_score():
    same = compare_names("Jane Q Doe", "Jane Q Doe").score
    agreeing = compare_names("Jane Q Doe", "Jane Quinn Doe").score
    conflicting = compare_names("Jane Q Doe", "Jane R Doe").score
    assert conflicting < agreeing <= same


def test_compare_names_reason_strips_control_characters():
    match = compare_names("Jane Doe", "Jane\x1b]0;pwned\x07 Doe")
    assert "\x1b" not in match.reason and "\x07" not in match.reason


def test_clean_text_caps_length():
    assert clean_text("a\x00b") == "ab"
    assert len(clean_text("x" * 500)) == 200
