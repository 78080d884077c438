"""The broker catalogue: the bundled data, loading and validation, URL filling."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exposure.catalogues.brokers import (
    METHODS,
    PLACEHOLDERS,
    REQUIREMENTS,
    Broker,
    OptOut,
    SkipReason,
    fill_url,
    fill_urls,
    load_brokers,
    out_of_area,
    parse_brokers,
    template_keys,
)
from exposure.checkers.base import CheckerInputError
from exposure.model import Profile

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data" / "brokers.toml"

MINIMAL = """
[[broker]]
id = "peoplefinderz"
name = "PeopleFinderz"
search_url = "https://peoplefinderz.example/search?q={full_name}&state={region}"
opt_out_url = "https://peoplefinderz.example/optout"
opt_out = { method = "web-form", requires = ["email"], days = 7, notes = "search, then remove" }
"""


def jane(**over: object) -> Profile:
    fields: dict[str, object] = dict(
        id="jane",
        names=["Jane Q Doe", "Jane Smith"],
        emails=["jane@example.com"],
        phones=["+15125550100"],
        locations=["Austin, TX 78701", "Denver, CO"],
    )
    fields.update(over)
    return Profile(**fields)  # type: ignore[arg-type]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bundled data


def test_bundled_catalogue_is_large_valid_and_complete() -> None:
    catalogue = load_brokers(BUNDLED)
    brokers = catalogue.brokers
    assert len(brokers) >= 40
    ids = [b.id for b in brokers]
    assert len(ids) == len(set(ids))
    for b in brokers:
        assert b.name and b.opt_out_url.startswith(("http://", "https://")), b.id
        assert b.opt_out.method in METHODS, b.id
        assert set(b.opt_out.requires) <= set(REQUIREMENTS), b.id
        assert b.note, f"{b.id} has no note"
        if b.opt_out.method == "email":
            assert "@" in b.opt_out.email, b.id
        for _kind, template in b.templates:
            assert urlsplit(template).scheme in ("http", "https"), b.id
            assert set(template_keys(template)) <= PLACEHOLDERS, b.id
    # The majors the brief names are there, searchable ones first in the file.
    for wanted in (
        "spokeo",
        "whitepages",
        "truepeoplesearch",
        "fastpeoplesearch",
        "radaris",
        "beenverified",
        "intelius",
        "acxiom",
        "192com",
        "canada411",
    ):
        assert catalogue.get(wanted) is not None, wanted
    assert sum(1 for b in brokers if b.searchable) >= 15
    assert {b.country for b in brokers} >= {"US", "GB", "CA", "AU"}


def test_default_load_uses_bundled_data() -> None:
    catalogue = load_brokers()
    assert len(catalogue) >= 40
    assert catalogue.sources[0].name == "brokers.toml"
    assert catalogue.get("no-such-broker") is None


def test_bundled_opt_out_pages_are_known_to_the_shared_sources(shared_data: Path) -> None:
    """Opt-out pages we took from brianreumere's list still match it (facts, not prose)."""

    text = "\n".join(
        p.read_text() for p in (shared_data / "brokers" / "brianreumere").glob("*.yaml")
    )
    removal = set(re.findall(r"removalUrl:\s*(\S+)", text))
    catalogue = load_brokers(BUNDLED)
    for broker_id in (
        "spokeo",
        "whitepages",
        "truepeoplesearch",
        "nuwber",
        "thatsthem",
        "clustrmaps",
        "peoplefinders",
        "usphonebook",
        "beenverified",
        "mylife",
    ):
        broker = catalogue.get(broker_id)
        assert broker is not None and broker.opt_out_url in removal, broker_id


def test_loading_does_not_import_bs4() -> None:
    code = (
        "import sys; from exposure.catalogues.brokers import load_brokers; "
        "load_brokers(); print('bs4' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- parsing


def test_minimal_entry_parses_with_defaults_and_aliases() -> None:
    [b] = parse_brokers(MINIMAL, "mini.toml")
    assert b == Broker(
        id="peoplefinderz",
        name="PeopleFinderz",
        country="",
        url="https://peoplefinderz.example/",
        search_url="https://peoplefinderz.example/search?q={full_name}&state={region}",
        phone_search_url=None,
        email_search_url=None,
        opt_out_url="https://peoplefinderz.example/optout",
        opt_out=OptOut("web-form", ("email-verification",), 7, "search, then remove", ""),
    )
    assert b.searchable and not b.relists


def test_json_with_brokers_list_and_bare_list() -> None:
    entry = {
        "id": "x1",
        "name": "X",
        "opt_out_url": "https://x.example/out",
        "opt_out": {"method": "email", "email": "privacy@x.example"},
        "email_search_url": "https://x.example/e/{email}",
        "no_results": ["Nobody here"],
    }
    [a] = parse_brokers(json.dumps({"brokers": [entry]}), "x.json")
    [b] = parse_brokers(json.dumps([entry]), "x.json")
    assert a == b
    assert a.opt_out.email == "privacy@x.example" and a.no_results == ("Nobody here",)
    assert a.templates == [("email", "https://x.example/e/{email}")]


def test_entry_with_only_id_name_and_search_url_is_enough() -> None:
    text = (
        '[[broker]]\nid = "mine"\nname = "Mine"\nsearch_url = "https://m.example/s?q={full_name}"\n'
    )
    [b] = parse_brokers(text, "mine.toml")
    assert b.opt_out is None and b.opt_out_url == ""
    assert b.url == "https://m.example/" and b.searchable
    assert b.hints.empty


def test_hints_table_is_read_and_older_keys_are_the_same_hints() -> None:
    text = (
        '[[broker]]\nid = "h"\nname = "H"\nsearch_url = "https://h.example/s?q={full_name}"\n'
        'record_selector = "div.card"\nno_results = ["Nobody by that name"]\n'
        '[broker.hints]\nage = ".age"\nlink = "@data-href"\nname = "h2 a@title"\n'
        'labels = { past = ["Formerly of"] }\n'
    )
    [b] = parse_brokers(text, "h.toml")
    assert b.record_selector == "div.card" and b.no_results == ("Nobody by that name",)
    assert b.hints.fields["link"].selector is None
    assert b.hints.fields["link"].attribute == "data-href"
    assert b.hints.fields["name"].selector == "h2 a" and b.hints.fields["name"].attribute == "title"
    assert b.hints.labels["past"] == ("Formerly of",)


GOOD: dict[str, object] = {
    "id": "b",
    "name": "N",
    "opt_out_url": "https://n.example/o",
    "opt_out": {"method": "web-form"},
}


def toml_entry(fields: dict[str, object]) -> str:
    """One [[broker]] table (JSON scalars and arrays are valid TOML)."""
    lines = ["[[broker]]"]
    for key, value in fields.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {inner} }}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def changed(drop: str = "", **over: object) -> dict[str, object]:
    fields = {k: v for k, v in GOOD.items() if k != drop}
    fields.update(over)
    return fields


S = "https://n.example/s?q="
BAD_ENTRY = [
    (changed("id"), "broker #1", "has no id"),
    (changed("name", id="noname"), "'noname'", "has no name"),
    (changed("opt_out_url", id="noout"), "'noout'", "needs a search_url, a url or an opt_out_url"),
    (changed(id="ftp", opt_out_url="ftp://n.example/o"), "'ftp'", "not an http(s) URL"),
    (changed(id="js", search_url="javascript:alert(1)"), "'js'", "not an http(s) URL"),
    (changed(id="ph", search_url=S + "{fullname}"), "'ph'", "unknown placeholder {fullname}"),
    (changed(id="none", search_url=S + "x"), "'none'", "no placeholder"),
    (changed(id="host", search_url="https://{last}.n.example/"), "'host'", "host name"),
    (changed(id="brace", search_url=S + "{last}}"), "'brace'", "unbalanced"),
    (changed(id="sp", search_url=S + "{last} x"), "'sp'", "whitespace"),
    (changed(id="phone", phone_search_url=S + "{last}"), "'phone'", "no {phone} placeholder"),
    (changed(id="meth", opt_out={"method": "fax"}), "'meth'", "opt_out.method"),
    (changed(id="hint", hints={"record": "div[["}), "'hint'", "hints.record: bad CSS selector"),
    (
        changed(id="hfield", hints={"record": "li", "age": "span..x"}),
        "'hfield'",
        "hints.age: bad CSS selector",
    ),
    (changed(id="hattr", hints={"record": "li", "link": "@bad attr"}), "'hattr'", "hints.link"),
    (
        changed(id="hcss", hints={"record": "li", "link": "a[[@href"}),
        "'hcss'",
        "hints.link: bad CSS selector",
    ),
    (changed(id="hnorec", hints={"age": ".age"}), "'hnorec'", "hints.age: field hints need"),
    (changed(id="hkey", hints={"recrod": "li"}), "'hkey'", "hints.recrod: unknown hint"),
    (changed(id="hnr", hints={"no_results": [""]}), "'hnr'", "hints.no_results"),
    (
        changed(id="req", opt_out={"method": "web-form", "requires": ["blood"]}),
        "'req'",
        "unknown 'blood'",
    ),
    (changed(id="days", opt_out={"method": "web-form", "days": -1}), "'days'", "days"),
    (changed(id="mail", opt_out={"method": "email"}), "'mail'", "opt_out.email is empty"),
    (changed(id="Bad Id"), "'Bad Id'", "id must be"),
    (changed(id="typo", serch_url=S + "{last}"), "'typo'", "unknown key 'serch_url'"),
    (changed(id="rel", relists="yes"), "'rel'", "relists"),
    (changed(id="slug", slug="ab"), "'slug'", "slug"),
    (changed(id="nr", no_results=[""]), "'nr'", "no_results"),
]


@pytest.mark.parametrize(("fields", "entry", "message"), BAD_ENTRY)
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_bad_entry_names_file_and_entry_in_one_line(
    tmp_path: Path, fields: dict[str, object], entry: str, message: str, fmt: str
) -> None:
    if fmt == "toml":
        path = write(tmp_path / "bad.toml", toml_entry(GOOD) + toml_entry(fields))
        entry = entry.replace("#1", "#2")
    else:
        path = write(tmp_path / "bad.json", json.dumps({"brokers": [GOOD, fields]}))
        entry = entry.replace("#1", "#2")
    with pytest.raises(CheckerInputError) as info:
        load_brokers(path)
    text = str(info.value)
    assert "\n" not in text
    assert str(path) in text and entry in text and message in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.toml", "[[broker]\nid = 1", "not valid TOML"),
        ("broken.json", '{"brokers": [', "not valid JSON"),
        ("shape.toml", 'title = "no brokers here"', "not a broker catalogue"),
        ("empty.json", '{"brokers": []}', "no brokers"),
        ("scalar.json", "42", "not a broker catalogue"),
        ("table.toml", 'broker = "x"', "must be a list"),
        ("items.json", '{"brokers": ["x"]}', "broker #1: is not a table"),
        ("bin.toml", b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(CheckerInputError) as info:
        load_brokers(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CheckerInputError, match="no such file"):
        load_brokers(tmp_path / "nope.toml")


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.toml", MINIMAL + MINIMAL)
    with pytest.raises(CheckerInputError) as info:
        load_brokers(path)
    assert str(path) in str(info.value) and "'peoplefinderz': duplicate id" in str(info.value)


def test_json_content_detected_without_json_suffix(tmp_path: Path) -> None:
    entry = {
        "id": "j",
        "name": "J",
        "opt_out_url": "https://j.example/o",
        "opt_out": {"method": "web-form"},
    }
    path = write(tmp_path / "brokers.conf", json.dumps({"broker": [entry]}))
    assert [b.id for b in load_brokers(path)] == ["j"]


# --------------------------------------------------------------------------- user additions


def test_brokers_d_adds_and_replaces(exposure_home: Path) -> None:
    folder = exposure_home / "brokers.d"
    write(folder / "10-mine.toml", MINIMAL)
    write(
        folder / "20-spokeo.toml",
        """
[[broker]]
id = "spokeo"
name = "Spokeo (my notes)"
opt_out_url = "https://www.spokeo.com/optout"
opt_out = { method = "web-form" }
note = "did this in March"
""",
    )
    write(folder / "ignored.txt", "not toml at all {")
    bundled = load_brokers(BUNDLED)
    catalogue = load_brokers()
    assert len(catalogue) == len(bundled) + 1
    assert catalogue.get("peoplefinderz") is not None
    spokeo = catalogue.get("spokeo")
    assert spokeo is not None and spokeo.name == "Spokeo (my notes)" and not spokeo.searchable
    assert [p.name for p in catalogue.sources] == ["brokers.toml", "10-mine.toml", "20-spokeo.toml"]


def test_broken_brokers_d_file_is_an_input_error(exposure_home: Path) -> None:
    bad = write(exposure_home / "brokers.d" / "bad.toml", "[[broker]]\nid = 'x'\n")
    with pytest.raises(CheckerInputError) as info:
        load_brokers()
    assert str(bad) in str(info.value) and "'x'" in str(info.value)


def test_explicit_file_replaces_everything(exposure_home: Path, tmp_path: Path) -> None:
    write(exposure_home / "brokers.d" / "mine.toml", MINIMAL.replace("peoplefinderz", "mine"))
    only = write(tmp_path / "only.toml", MINIMAL)
    catalogue = load_brokers(only)
    assert [b.id for b in catalogue] == ["peoplefinderz"]
    assert catalogue.sources == [only]


def test_user_dir_argument(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.toml", MINIMAL)
    assert load_brokers(user_dir=tmp_path / "d").get("peoplefinderz") is not None
    assert load_brokers(user_dir=tmp_path / "missing").get("peoplefinderz") is None


# --------------------------------------------------------------------------- filling URLs


def test_names_times_places_bounded_and_encoded() -> None:
    urls = fill_url("https://p.example/s?q={full_name}&st={region}&c={city}", jane())
    assert urls == [
        "https://p.example/s?q=Jane+Doe&st=TX&c=Austin",
        "https://p.example/s?q=Jane+Doe&st=CO&c=Denver",
        "https://p.example/s?q=Jane+Smith&st=TX&c=Austin",
        "https://p.example/s?q=Jane+Smith&st=CO&c=Denver",
    ]
    three = jane(locations=["Austin, TX", "Denver, CO", "Boise, ID"])
    assert len(fill_url("https://p.example/{last}/{city}", three)) == 4  # bounded
    assert len(fill_url("https://p.example/{last}/{city}", three, limit=2)) == 2


def test_path_values_are_percent_encoded_and_slugged() -> None:
    person = jane(names=["María José O'Brien-Núñez"], locations=["San Antonio, TX"])
    [plain] = fill_url("https://p.example/n/{full_name}/{city}", person)
    assert plain == (
        "https://p.example/n/Mar%C3%ADa%20Jos%C3%A9%20O%27Brien-N%C3%BA%C3%B1ez/San%20Antonio"
    )
    [slug] = fill_url("https://p.example/n/{full_name}/{city}-{region}", person, slug="-")
    assert slug == "https://p.example/n/Mar%C3%ADa-Jos%C3%A9-OBrien-N%C3%BA%C3%B1ez/San-Antonio-TX"
    hostile = jane(names=["Jane ../../admin?x=1#frag Doe"])
    for url in fill_url("https://p.example/n/{full_name}", hostile):
        parts = urlsplit(url)
        assert parts.netloc == "p.example" and not parts.query and not parts.fragment


def test_email_phone_username_values() -> None:
    person = jane(usernames=["jane_doe"])
    assert fill_url("https://p.example/e/{email}", person, slug="-") == [
        "https://p.example/e/jane%40example.com"
    ]
    assert fill_url("https://p.example/p?n={phone}", person, country="US") == [
        "https://p.example/p?n=5125550100"
    ]
    assert fill_url("https://p.example/u/{username}", person) == ["https://p.example/u/jane_doe"]
    assert fill_url("https://p.example/{first}/{last}", person) == [
        "https://p.example/Jane/Doe",
        "https://p.example/Jane/Smith",
    ]
    assert fill_url(
        "https://p.example/{full_name}", jane(names=["Jane Quinn Doe", "J. R. Doe"])
    ) == [
        "https://p.example/Jane%20Quinn%20Doe",
        "https://p.example/J%20Doe",
    ]


@pytest.mark.parametrize(
    ("template", "profile", "kwargs", "reason"),
    [
        ("https://p.example/{last}/{city}", jane(locations=[]), {}, "needs a city"),
        (
            "https://p.example/{last}?z={postcode}",
            jane(locations=["Denver, CO"]),
            {},
            "needs a postcode",
        ),
        ("https://p.example/{region}", jane(locations=["Springfield"]), {}, "needs a region"),
        ("https://p.example/{full_name}", jane(names=[]), {}, "needs a name"),
        (
            "https://p.example/{first}-{last}",
            jane(names=["Cher"]),
            {},
            "needs a first and last name",
        ),
        ("https://p.example/e/{email}", jane(emails=[]), {}, "needs an email address"),
        ("https://p.example/p/{phone}", jane(phones=[]), {}, "needs a phone number"),
        (
            "https://p.example/p/{phone}",
            jane(phones=["+442079460000"]),
            {"country": "US"},
            "needs a phone number in US",
        ),
        ("https://p.example/u/{username}", jane(), {}, "needs a username"),
        (
            "https://p.example/{last}/{city}",
            jane(locations=["Leeds, West Yorkshire, UK"]),
            {"country": "US"},
            "needs a city in US",
        ),
        (
            "https://p.example/p/{phone}",
            jane(),
            {"private": ["phone"]},
            "needs your phone, which is private in config",
        ),
        (
            "https://p.example/{last}/{city}",
            jane(),
            {"private": ["location"]},
            "needs your location, which is private",
        ),
        ("https://p.example/{full_name}", jane(), {"private": ["name"]}, "private"),
    ],
)
def test_unfillable_templates_are_skipped_with_reason(
    template: str, profile: Profile, kwargs: dict, reason: str
) -> None:
    result = fill_url(template, profile, **kwargs)
    assert isinstance(result, SkipReason)
    assert reason in str(result)


def test_country_filter_keeps_matching_and_unknown_places() -> None:
    person = jane(locations=["Leeds, West Yorkshire, UK", "Toronto, ON", "Austin, TX"])
    assert fill_url("https://p.example/{last}/{city}", person, country="US") == [
        "https://p.example/Doe/Austin",
        "https://p.example/Smith/Austin",
    ]


def test_addresses_are_places_unless_private() -> None:
    person = jane(locations=[], addresses=["12 Oak St, Austin, TX 78701"])
    assert fill_url("https://p.example/{last}/{city}", person) == [
        "https://p.example/Doe/Austin",
        "https://p.example/Smith/Austin",
    ]
    assert isinstance(
        fill_url("https://p.example/{last}/{city}", person, private=["address"]), SkipReason
    )


def test_fill_urls_report_what_is_sent() -> None:
    filled = fill_urls("https://p.example/{first}/{last}?c={city}&p={phone}", jane(), limit=1)
    assert not isinstance(filled, SkipReason)
    assert filled[0].sends == (("name", "Jane Doe"), ("city", "Austin"), ("phone", "5125550100"))


def test_out_of_area() -> None:
    [b] = parse_brokers(
        MINIMAL.replace('name = "PeopleFinderz"', 'name = "PeopleFinderz"\ncountry = "SE"'),
        "x.toml",
    )
    assert out_of_area(b, jane(), "US") is not None
    assert out_of_area(b, jane(locations=["Stockholm, Sweden"]), "US") is None
    assert out_of_area(b, jane(locations=["Springfield"]), "US") is None  # country unknown
    assert out_of_area(b, jane(locations=[], phones=["+46701234567"]), "US") is None
    assert out_of_area(b, jane(locations=[], phones=[]), "SE") is None  # the default region
    anywhere = parse_brokers(MINIMAL, "x.toml")[0]
    assert out_of_area(anywhere, jane(), "US") is None


def test_network_parent_and_privacy_email_are_optional_and_checked() -> None:
    entry = MINIMAL + 'network = "bignet"\nparent = "BigNet Inc."\nprivacy_email = "p@x.test"\n'
    [b] = parse_brokers(entry, "net.toml")
    assert (b.network, b.parent, b.privacy_email) == ("bignet", "BigNet Inc.", "p@x.test")
    [plain] = parse_brokers(MINIMAL, "mini.toml")
    assert (plain.network, plain.parent, plain.privacy_email) == ("", "", "")
    for bad, message in (
        ('network = "Big Net"\n', "network must be an id"),
        ('privacy_email = "p@x.test\\r\\nBcc: e@x.test"\n', "privacy_email is not an address"),
        ('privacy_email = "nobody"\n', "privacy_email is not an address"),
    ):
        with pytest.raises(CheckerInputError, match=message) as err:
            parse_brokers(MINIMAL + bad, "bad.toml")
        assert "\n" not in str(err.value)


def test_peopleconnect_sites_share_one_network() -> None:
    members = {b.id for b in load_brokers() if b.network == "peopleconnect"}
    assert members == {"intelius", "instantcheckmate", "truthfinder", "ussearch"}
