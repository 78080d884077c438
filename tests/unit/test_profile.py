"""Unit tests for exposure.people.profile: validation, locations, phones, building and the store."""

from __future__ import annotations

import json
import stat
from datetime import date, timedelta

import pytest

from exposure import paths
from exposure.errors import ExitStatus, UsageError
from exposure.model import Profile
from exposure.people.profile import (
    Location,
    ProfileStore,
    age_on,
    build_profile,
    edit_profile,
    normalize_account,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_username,
    parse_birth_date,
    parse_location,
    region_of_location,
    validate_id,
)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path))


def _one_line_error(func, value, *args):
    with pytest.raises(UsageError) as info:
        func(value, *args)
    message = str(info.value)
    assert info.value.status == ExitStatus.USAGE
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("good", ["jane", "j", "0", "jane-doe", "jane_2", "a" * 64])
def test_validate_id_accepts(good):
    assert validate_id(good) == good


@pytest.mark.parametrize("bad", ["", "Jane", "-jane", "_x", "jane doe", "a" * 65, "../etc", "jané"])
def test_validate_id_rejects(bad):
    message = _one_line_error(validate_id, bad)
    assert message.startswith("invalid profile id")
    assert bad[:60] in message


def test_validate_id_hints_lower_case():
    assert "did you mean 'jane'" in _one_line_error(validate_id, "Jane")


# --------------------------------------------------------------------------- emails


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jane@example.com", "jane@example.com"),
        ("  Jane.Doe+news@EXAMPLE.Co.UK ", "Jane.Doe+news@example.co.uk"),
        ("j@sub.example.org", "j@sub.example.org"),
        ("jane@bücher.de", "jane@bücher.de"),
    ],
)
def test_normalize_email(value, expected):
    assert normalize_email(value) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "jane@",
        "@x.com",
        "a b@x.com",
        "jane@localhost",
        "jane",
        "jane@@x.com",
        "jane@x@y.com",
        "jane@-x.com",
        "jane@x_y.com",
        "jane@x.c",
        "jane@x..com",
        ".jane@x.com",
        "x" * 65 + "@x.com",
        "jane@x\x00.com",
        "",
    ],
)
def test_normalize_email_rejects(bad):
    message = _one_line_error(normalize_email, bad)
    assert message.startswith("invalid email")


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("value", "regions", "expected"),
    [
        ("+44 113 496 0000", ["US"], "+441134960000"),
        ("0113 496 0000", ["GB"], "+441134960000"),
        ("(512) 555-0100", ["US"], "+15125550100"),
        ("416-555-0199", ["CA"], "+14165550199"),
        ("030 901820", ["DE"], "+4930901820"),
        # The first region where the number is valid wins.
        ("0113 496 0000", ["US", "GB"], "+441134960000"),
    ],
)
def test_normalize_phone(value, regions, expected):
    assert normalize_phone(value, regions) == expected


@pytest.mark.parametrize("bad", ["12", "not a phone", "+1 000", "", "+44 113 496 00000000"])
def test_normalize_phone_rejects(bad):
    message = _one_line_error(normalize_phone, bad, ["GB"])
    assert message.startswith("invalid phone")
    assert repr(bad.strip())[1:-1] in message


# --------------------------------------------------------------------------- other fields


def test_normalize_username():
    assert normalize_username("@janed") == "janed"
    assert normalize_username(" jane.doe ") == "jane.doe"
    for bad in ("", "@", "jane doe", "jane\tdoe", "a\x00b"):
        assert "username" in _one_line_error(normalize_username, bad)


def test_normalize_name():
    assert normalize_name("  Jane   Q  Doe ") == "Jane Q Doe"
    assert normalize_name("Zoë Ångström") == "Zoë Ångström"
    for bad in ("", "   ", "Jane\x1bDoe", "x" * 201):
        assert "name" in _one_line_error(normalize_name, bad)


def test_normalize_account():
    assert normalize_account("https://github.com/janed") == "https://github.com/janed"
    assert normalize_account("http://example.org/~jane") == "http://example.org/~jane"
    for bad in ("github.com/janed", "ftp://x.org/a", "javascript:alert(1)", "https://", "/rel"):
        message = _one_line_error(normalize_account, bad)
        assert "account URL" in message and bad in message


def test_parse_birth_date():
    assert parse_birth_date("1983-04-05") == date(1983, 4, 5)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for bad, words in (
        ("1983-4-5", "YYYY-MM-DD"),
        ("05/04/1983", "YYYY-MM-DD"),
        ("1983-02-30", "no such day"),
        ("1899-12-31", "before 1900"),
        (tomorrow, "future"),
    ):
        message = _one_line_error(parse_birth_date, bad)
        assert words in message and bad in message


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1983, 4, 5), date(2026, 4, 4), 42),
        (date(1983, 4, 5), date(2026, 4, 5), 43),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2020, 1, 1), date(2020, 1, 1), 0),
    ],
)
def test_age_on(born, day, age):
    assert age_on(born, day) == age


# --------------------------------------------------------------------------- locations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Austin, TX 78701", Location("Austin", "TX", "78701", "", "US")),
        (
            "Leeds, West Yorkshire LS1 4AP, UK",
            Location("Leeds", "West Yorkshire", "LS1 4AP", "UK", "GB"),
        ),
        ("Paris, France", Location("Paris", "", "", "France", "FR")),
        ("Toronto, ON M5V 2T6, Canada", Location("Toronto", "ON", "M5V 2T6", "Canada", "CA")),
        ("München, Germany", Location("München", "", "", "Germany", "DE")),
        ("75001 Paris, France", Location("Paris", "", "75001", "France", "FR")),
        ("Leeds, West Yorkshire, UK", Location("Leeds", "West Yorkshire", "", "UK", "GB")),
        ("Sydney NSW 2000, Australia", Location("Sydney", "NSW", "2000", "Australia", "AU")),
        ("1 Main St, Springfield, IL 62704", Location("Springfield", "IL", "62704", "", "US")),
        ("10 Downing Street, London SW1A 2AA, UK", Location("London", "", "SW1A 2AA", "UK", "GB")),
        ("Berlin, Berlin, DE", Location("Berlin", "Berlin", "", "DE", "DE")),
        ("Austin, Texas", Location("Austin", "Texas", "", "", "US")),
        ("London", Location("London", "", "", "", "")),
        ("", Location()),
    ],
)
def test_parse_location(text, expected):
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Leeds, West Yorkshire, UK", "GB"),
        ("Toronto, ON, Canada", "CA"),
        ("München, Germany", "DE"),
        ("Austin, TX", "US"),
        ("Montréal, Québec", "CA"),
        ("Springfield", None),
    ],
)
def test_region_of_location(text, region):
    assert region_of_location(text) == region


# --------------------------------------------------------------------------- build / edit


def test_build_profile_normalises_everything():
    profile = build_profile(
        "jane",
        names=["Jane Q Doe", "jane q doe", "Jane Smith"],
        emails=["Jane@Example.COM", "jane@example.com"],
        phones=["0113 496 0000"],
        usernames=["@janed", "JaneD"],
        locations=["Leeds, West Yorkshire, UK"],
        birth_date="1983-04-05",
        accounts=["https://github.com/janed"],
        default_region="US",
    )
    assert profile.names == ["Jane Q Doe", "Jane Smith"]
    assert profile.primary_name == "Jane Q Doe"
    assert profile.emails == ["Jane@example.com"]
    assert profile.phones == ["+441134960000"]  # region from the location, not the default
    assert profile.usernames == ["janed"]
    assert profile.birth_date == date(1983, 4, 5)
    assert profile.guardian is None


def test_build_profile_uses_default_region_without_location():
    profile = build_profile("jane", phones=["(512) 555-0100"], default_region="US")
    assert profile.phones == ["+15125550100"]
    with pytest.raises(UsageError, match="0113 496 0000"):
        build_profile("jane", phones=["0113 496 0000"], default_region="US")


def test_build_profile_rejects_bad_values():
    with pytest.raises(UsageError, match="invalid email 'nope'"):
        build_profile("jane", emails=["nope"])
    with pytest.raises(UsageError, match="invalid profile id"):
        build_profile("Jane Doe")
    with pytest.raises(UsageError, match="own guardian"):
        build_profile("jane", guardian="jane")


def test_edit_profile_appends_removes_replaces():
    base = build_profile(
        "jane", names=["Jane Doe"], emails=["jane@example.com"], birth_date="1983-04-05"
    )
    edited = edit_profile(
        base,
        names=["Jane Smith", "Jane Doe"],
        emails=["new@example.org"],
        remove_emails=["JANE@EXAMPLE.COM"],
        birth_date="1984-01-02",
        guardian="mum",
    )
    assert edited.names == ["Jane Doe", "Jane Smith"]
    assert edited.emails == ["new@example.org"]
    assert edited.birth_date == date(1984, 1, 2)
    assert edited.guardian == "mum"
    assert base.emails == ["jane@example.com"]  # the original is untouched
    cleared = edit_profile(edited, clear_birth_date=True, clear_guardian=True)
    assert cleared.birth_date is None and cleared.guardian is None


def test_edit_profile_removes_phone_in_any_format():
    base = build_profile("jane", phones=["+44 113 496 0000"], locations=["Leeds, UK"])
    assert edit_profile(base, remove_phones=["0113 496 0000"]).phones == []


@pytest.mark.parametrize(
    ("kwarg", "value"),
    [
        ("remove_names", "Nobody"),
        ("remove_emails", "other@example.com"),
        ("remove_phones", "+15125550100"),
        ("remove_usernames", "ghost"),
        ("remove_locations", "Mars"),
        ("remove_addresses", "1 Nowhere Lane"),
        ("remove_accounts", "https://example.org/x"),
    ],
)
def test_edit_profile_remove_missing_value(kwarg, value):
    base = build_profile("jane", names=["Jane Doe"])
    with pytest.raises(UsageError) as info:
        edit_profile(base, **{kwarg: [value]})
    assert value in str(info.value)


# --------------------------------------------------------------------------- store


def test_store_roundtrip_and_modes(tmp_path):
    store = ProfileStore(paths.current())
    assert store.ids() == [] and store.all() == []
    profile = build_profile("jane", names=["Jane Doe"], birth_date="1983-04-05")
    path = store.save(profile)
    assert path == tmp_path / "profiles" / "jane.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.exists("jane") and not store.exists("john") and not store.exists("../x")
    assert store.get("jane") == profile
    assert store.ids() == ["jane"]
    assert json.loads(path.read_text()) == profile.to_dict()
    store.remove("jane")
    assert not path.exists()


def test_store_unknown_profile_lists_known():
    store = ProfileStore(paths.current())
    with pytest.raises(UsageError, match="no profiles yet"):
        store.get("jane")
    store.save(Profile(id="alice"))
    store.save(Profile(id="bob"))
    with pytest.raises(UsageError, match=r"unknown profile 'jane' \(known: alice, bob\)"):
        store.get("jane")
    with pytest.raises(UsageError, match="unknown profile"):
        store.remove("jane")


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"id": "other"}',
        '{"id": "jane", "names": "Jane Doe"}',
        '{"id": "jane", "emails": [1, 2]}',
        '{"id": "jane", "birth_date": "yesterday"}',
        '{"id": "jane", "guardian": 5}',
        b"\xff\xfe\x00",
    ],
)
def test_store_corrupted_file_names_it(tmp_path, content):
    store = ProfileStore(paths.current())
    folder = tmp_path / "profiles"
    folder.mkdir()
    target = folder / "jane.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    with pytest.raises(UsageError) as info:
        store.get("jane")
    assert str(target) in str(info.value)
    assert "corrupted" in str(info.value)


def test_store_check_guardian():
    store = ProfileStore(paths.current())
    store.save(Profile(id="mum"))
    store.check_guardian(Profile(id="kid", guardian="mum"))
    with pytest.raises(UsageError, match="'dad' does not exist"):
        store.check_guardian(Profile(id="kid", guardian="dad"))
    store.save(Profile(id="kid", guardian="mum"))
    assert store.wards("mum") == ["kid"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"emails": ["not-an-email"]}, "emails"),
        ({"phones": ["12"]}, "phones"),
        ({"usernames": ["has space"]}, "usernames"),
        ({"accounts": ["ftp://x.test/"]}, "accounts"),
        ({"locations": ["\x1b[2J"]}, "locations"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
        ({"guardian": "BAD ID"}, "guardian"),
        ({"names": [" "]}, "names"),
    ],
)
def test_errors_name_the_field_they_are_about(fields: dict, field: str) -> None:
    from exposure.people.profile import build_profile

    with pytest.raises(UsageError) as err:
        build_profile("jane", **fields)
    assert err.value.field == field


def test_a_bad_id_names_the_id_field() -> None:
    from exposure.people.profile import build_profile

    with pytest.raises(UsageError) as err:
        build_profile("Bad Id", names=["Jane"])
    assert err.value.field == "id"
