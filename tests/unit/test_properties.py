"""Property-based tests: hostile or malformed input never escapes as a surprise.

Every parser in exposure faces text someone else wrote — a downloaded
catalogue, a profile typed by hand, a scraped page. The contract is narrow:
importers load or raise ``CheckerInputError``; profile parsing returns a value
or raises ``UsageError``; the extractor and the matcher never raise at all;
whatever reaches a terminal or a spreadsheet is inert. Hypothesis searches for
counter-examples; the settings are modest so the file stays fast.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exposure.catalogues.brokers import PLACEHOLDERS, parse_brokers
from exposure.catalogues.sites import load_catalogue, parse_catalogue
from exposure.checkers.base import CheckerInputError
from exposure.cli.render import findings_csv
from exposure.errors import UsageError
from exposure.extract import Record, extract_records, page_says_no_results
from exposure.extract.hints import parse_hints
from exposure.model import Finding, FindingKind, Profile
from exposure.people.matching import ProfileMatcher
from exposure.people.names import compare_names, fold
from exposure.people.profile import (
    Location,
    build_profile,
    normalize_account,
    normalize_email,
    normalize_free_text,
    normalize_name,
    normalize_phone,
    normalize_username,
    parse_birth_date,
    parse_location,
    validate_id,
)
from exposure.textsafe import clean

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every C0 and C1 control, DEL and ESC: what must never reach a terminal.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")

# --------------------------------------------------------------------------- strategies

# Text that includes the awkward cases on purpose: controls, escapes, bidi marks,
# placeholders, URL schemes, brackets that break URL parsing.
NASTY = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\x00",
        "\u202e",
        "\ufeff",
        "{account}",
        "{}",
        "{full_name}",
        "http://",
        "https://",
        "javascript:",
        "file:///",
        "http://[",
        "[bold red]x[/]",
        "@",
        "..",
        "+",
        "=",
        "-",
        "\n",
        "\t",
        " ",
        "é",
        "ß",
        "İ",
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=6).map("".join),
)
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


def _url_like() -> st.SearchStrategy[object]:
    hosts = st.sampled_from(
        [
            "http://x.test",
            "https://x.test",
            "ftp://x.test",
            "http://[::1",
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc",
            "",
        ]
    )
    tails = st.sampled_from(
        [
            "/{account}",
            "/u/{}",
            "/?q={full_name}",
            "/{city}/{last}",
            "/{nope}",
            "/{",
            "",
            "/a b/{username}",
        ]
    )
    return st.one_of(st.tuples(hosts, tails).map("".join), JSONISH)


# Entries shaped like the real thing, with any key's value swapped for junk.
WMN_ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "name": TEXT,
        "uri_check": _url_like(),
        "uri_pretty": _url_like(),
        "e_code": st.one_of(st.sampled_from([200, 404, 0, 999, True]), JSONISH),
        "m_code": st.one_of(st.sampled_from([200, 404]), JSONISH),
        "e_string": JSONISH,
        "m_string": JSONISH,
        "known": JSONISH,
        "cat": JSONISH,
        "valid": JSONISH,
        "headers": JSONISH,
        "post_body": JSONISH,
        "strip_bad_char": JSONISH,
    },
)
SHERLOCK_ENTRY = st.fixed_dictionaries(
    {
        "url": _url_like(),
        "errorType": st.one_of(
            st.sampled_from(["status_code", "message", "response_url", "bogus"]), JSONISH
        ),
    },
    optional={
        "urlProbe": _url_like(),
        "errorMsg": JSONISH,
        "errorCode": JSONISH,
        "errorUrl": JSONISH,
        "regexCheck": st.one_of(st.sampled_from(["^[a-z]+$", "(", "[", "a{2,1}"]), JSONISH),
        "request_method": JSONISH,
        "request_payload": JSONISH,
        "headers": JSONISH,
        "tags": JSONISH,
        "isNSFW": JSONISH,
        "username_claimed": JSONISH,
    },
)
CATALOGUE = st.one_of(
    JSONISH,
    st.fixed_dictionaries({"sites": st.lists(st.one_of(WMN_ENTRY, JSONISH), max_size=4)}),
    st.dictionaries(TEXT, st.one_of(SHERLOCK_ENTRY, JSONISH), min_size=1, max_size=4),
)

OPT_OUT = st.one_of(
    JSONISH,
    st.fixed_dictionaries(
        {"method": st.one_of(st.sampled_from(["web-form", "email", "fax"]), JSONISH)},
        optional={
            "requires": st.one_of(
                st.lists(st.sampled_from(["email", "id", "sms", "blood"]), max_size=3), JSONISH
            ),
            "days": JSONISH,
            "notes": JSONISH,
            "email": st.one_of(st.sampled_from(["out@b.test", "no at", ""]), JSONISH),
            "extra": JSONISH,
        },
    ),
)
BROKER_ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["b1", "b1", "Bad Id", ""]), JSONISH),
        "name": JSONISH,
        "country": JSONISH,
        "url": _url_like(),
        "search_url": _url_like(),
        "phone_search_url": _url_like(),
        "email_search_url": _url_like(),
        "opt_out_url": _url_like(),
        "opt_out": OPT_OUT,
        "relists": JSONISH,
        "note": JSONISH,
        "record_selector": JSONISH,
        "no_results": JSONISH,
        "slug": JSONISH,
        "surprise": JSONISH,
    },
)
BROKERS = st.one_of(
    JSONISH,
    st.dictionaries(TEXT, JSONISH, max_size=3),
    st.builds(
        lambda key, entries: {key: entries},
        st.sampled_from(["broker", "brokers"]),
        st.lists(st.one_of(BROKER_ENTRY, JSONISH), max_size=4),
    ),
)

DEEP = ["[" * 50_000, '{"sites": ' + "[" * 50_000, "a = " + "[" * 50_000, "{" * 50_000]


# --------------------------------------------------------------------------- importers


@pytest.mark.slow
@FAST
@given(CATALOGUE)
def test_site_catalogue_loads_or_raises_input_error(data: object) -> None:
    try:
        catalogue = parse_catalogue(json.dumps(data), "t.json")
    except CheckerInputError as exc:
        assert str(exc).startswith("t.json:") and "\n" not in str(exc)
        return
    # Every entry is either a usable site or skipped with a reason.
    assert all(skip.reason for skip in catalogue.skipped)
    for site in catalogue.sites:
        for url in (site.check_url, site.profile_url):
            assert url.lower().startswith(("http://", "https://"))


@FEW
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
@example(b"\xff\xfe{")
def test_site_catalogue_raw_bytes(raw: bytes | str) -> None:
    with contextlib.suppress(CheckerInputError):
        parse_catalogue(raw, "t.json")


@pytest.mark.parametrize("raw", DEEP)
def test_deeply_nested_files_are_input_errors(raw: str) -> None:
    with pytest.raises(CheckerInputError):
        parse_catalogue(raw, "deep.json")
    with pytest.raises(CheckerInputError):
        parse_brokers(raw, "deep")


@FEW
@given(CATALOGUE)
def test_load_catalogue_from_a_file(tmp_path_factory: pytest.TempPathFactory, data: object) -> None:
    path = tmp_path_factory.mktemp("cat") / "sites.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        catalogue = load_catalogue(path)
    except CheckerInputError as exc:
        assert str(path) in str(exc)
    else:
        assert catalogue.path == path


@pytest.mark.slow
@FAST
@given(BROKERS, st.sampled_from(["json", None]))
def test_broker_catalogue_loads_or_raises_input_error(data: object, fmt: str | None) -> None:
    try:
        brokers = parse_brokers(json.dumps(data), "b.json", fmt=fmt)
    except CheckerInputError as exc:
        assert str(exc).startswith("b.json:") and "\n" not in str(exc)
        return
    assert brokers
    for broker in brokers:
        for url in (broker.url, broker.opt_out_url, *(t for _, t in broker.templates)):
            assert url.lower().startswith(("http://", "https://")), url
        for _kind, template in broker.templates:
            assert set(re.findall(r"\{([^{}]*)\}", template)) <= PLACEHOLDERS


@FEW
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)), st.sampled_from(["toml", None]))
def test_broker_catalogue_raw_text(raw: str | bytes, fmt: str | None) -> None:
    with contextlib.suppress(CheckerInputError):
        parse_brokers(raw, "b.toml", fmt=fmt)


# --------------------------------------------------------------------------- profiles


def _returns_or_usage_error(func, *args):  # type: ignore[no-untyped-def]
    try:
        return func(*args)
    except UsageError as exc:
        message = str(exc)
        assert message and "\n" not in message
        assert not CONTROLS.search(message), message  # the bad value is shown safely
        return None


EMAILISH = st.one_of(
    TEXT,
    st.emails(),
    st.tuples(
        st.text(alphabet=string.ascii_letters + "._+-", min_size=1, max_size=10),
        st.sampled_from(["@", "@@", ""]),
        st.text(alphabet=string.ascii_letters + ".-éÄ", min_size=0, max_size=12),
        st.sampled_from([".com", ".COM.", ".x", ".xn--p1ai", "", "."]),
    ).map("".join),
)


@FAST
@given(EMAILISH)
@example("Jane.Doe@Example.COM.")
@example("a@xn--.com")
def test_normalize_email_is_idempotent(value: str) -> None:
    once = _returns_or_usage_error(normalize_email, value)
    if once is not None:
        assert normalize_email(once) == once
        assert once.count("@") == 1 and not any(ch.isspace() for ch in once)


PHONEISH = st.one_of(
    TEXT,
    st.from_regex(r"\+?[0-9 ()\-.]{4,18}", fullmatch=True),
    st.sampled_from(["+44 20 7946 0958", "020 7946 0958", "(512) 555-0142", "+1 512 555 0142"]),
)


@FAST
@given(PHONEISH, st.lists(st.sampled_from(["US", "GB", "DE", "", "ZZ", "gb"]), max_size=3))
def test_normalize_phone_is_e164_and_idempotent(value: str, regions: list[str]) -> None:
    once = _returns_or_usage_error(normalize_phone, value, regions)
    if once is not None:
        assert re.fullmatch(r"\+[1-9]\d{5,15}", once), once
        assert normalize_phone(once, regions) == once
        assert normalize_phone(once, ["US"]) == once  # E.164 does not depend on a region


@FAST
@given(TEXT)
@example("@@bob")
def test_free_text_normalisers_are_idempotent(value: str) -> None:
    for func in (normalize_name, normalize_free_text, normalize_username, normalize_account):
        once = _returns_or_usage_error(func, value)
        if once is not None:
            assert func(once) == once, (func.__name__, value, once)
            assert not CONTROLS.search(once)


@FAST
@given(
    st.one_of(
        TEXT,
        st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
        st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    )
)
@example("２０００-01-01")
@example("1990-02-30")
def test_parse_birth_date(value: str) -> None:
    born = _returns_or_usage_error(parse_birth_date, value)
    if born is not None:
        assert date(1900, 1, 1) <= born <= date.today()
        assert parse_birth_date(born.isoformat()) == born


@FAST
@given(TEXT)
@example("Leeds, West Yorkshire LS1 4AP, UK")
@example(",,,")
def test_parse_location_never_raises(value: str) -> None:
    loc = parse_location(value)
    assert isinstance(loc, Location)
    assert loc.country_code == "" or re.fullmatch(r"[A-Z]{2}", loc.country_code)


@FAST
@given(TEXT)
def test_validate_id(value: str) -> None:
    got = _returns_or_usage_error(validate_id, value)
    if got is not None:
        assert got == value and re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", got)


PROFILE_FIELDS = st.fixed_dictionaries(
    {
        "names": st.lists(TEXT, max_size=2),
        "emails": st.lists(EMAILISH, max_size=2),
        "phones": st.lists(PHONEISH, max_size=2),
        "usernames": st.lists(TEXT, max_size=2),
        "locations": st.lists(TEXT, max_size=2),
        "addresses": st.lists(TEXT, max_size=1),
        "accounts": st.lists(st.one_of(TEXT, st.just("https://x.test/me")), max_size=1),
        "birth_date": st.one_of(st.none(), st.just("1983-04-05"), TEXT),
    }
)


@FAST
@given(st.one_of(st.just("jane"), TEXT), PROFILE_FIELDS)
def test_build_profile_validates_and_normalises_once(pid: str, fields: dict) -> None:
    try:
        profile = build_profile(pid, **fields, default_region="GB")
    except UsageError as exc:
        assert "\n" not in str(exc) and not CONTROLS.search(str(exc))
        return
    again = build_profile(
        profile.id,
        names=profile.names,
        emails=profile.emails,
        phones=profile.phones,
        usernames=profile.usernames,
        locations=profile.locations,
        addresses=profile.addresses,
        accounts=profile.accounts,
        birth_date=profile.birth_date,
        default_region="GB",
    )
    assert again == profile
    for value in (*profile.names, *profile.emails, *profile.usernames, *profile.locations):
        assert not CONTROLS.search(value)


# --------------------------------------------------------------------------- extraction

HTML_BITS = st.sampled_from(
    [
        "<div class='card'>",
        "</div>",
        "<h2>Jane Doe</h2>",
        "<p>Age 43</p>",
        "<p>Lives in Austin, TX</p>",
        "<p>(512) 555-0142</p>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<table><tr><td>Doe, Jane</td><td>Leeds, UK</td></tr></table>",
        "<a href='javascript:alert(1)'>View Jane Doe</a>",
        "<a href='/p/1'>View</a>",
        "<a href='data:text/html,x'>Jane Doe</a>",
        "<a href='//evil.test/x'>more</a>",
        "<a href='http://[::1'>Jane Doe</a>",
        "<script>alert(1)</script>",
        "\x1b[2J",
        "\x1b]0;t\x07",
        "\x00",
        "<?xml version='1.0' encoding='latin-1'?>",
        "<meta charset='utf-16'>",
        "jane@example.test",
        "\u202e",
        "<dl><dt>Name</dt>",
        "<dd>Jane Q Doe</dd></dl>",
        "No results found",
        "<!--",
        "]]>",
        "&#27;[31m",
        "&#0;",
        "<p style='display:none'>x</p>",
    ]
)
PAGE = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.lists(st.one_of(HTML_BITS, st.text(max_size=10)), max_size=30).map("".join),
    st.lists(HTML_BITS, max_size=40).map(lambda bits: "".join(bits).encode("utf-8")),
)
E164 = re.compile(r"\+[1-9]\d{5,15}")


def _check_record(record: Record) -> None:
    assert record.url is None or record.url.startswith(("http://", "https://")), record.url
    for phone in record.phones:
        assert E164.fullmatch(phone), phone
    for text in (
        record.name,
        record.text,
        *record.places,
        *record.addresses,
        *record.emails,
        *record.relatives,
    ):
        assert not CONTROLS.search(text), text
        assert "\u202e" not in text
    assert record.age is None or 1 <= record.age <= 120


@FAST
@given(PAGE, st.sampled_from(["https://b.test/search?q=x", "", "javascript:x", "http://[::1"]))
@example(b"\xef\xbb\xbf<div>\x1b[31mJane Doe</div>", "https://b.test/")
def test_extract_records_never_raises_and_keeps_invariants(page: str | bytes, base: str) -> None:
    records = extract_records(page, base)
    assert isinstance(records, list)
    for record in records:
        _check_record(record)
    assert isinstance(page_says_no_results(page, ["nobody", ""]), bool)


@FEW
@given(PAGE, st.sampled_from(["div.card", "li", "td", "div > span", "a[href]", "tr:nth-child(2)"]))
def test_extract_with_a_selector_never_raises(page: str | bytes, selector: str) -> None:
    hints = parse_hints({"record": selector, "link": "@href", "age": "span"})
    for record in extract_records(page, "https://b.test/", hints=hints):
        _check_record(record)


@settings(max_examples=8, deadline=None)
@given(st.sampled_from(HTML_BITS.elements[:10]), st.integers(2, 4))
def test_repeated_cards_extract_valid_records(bit: str, n: int) -> None:
    card = (
        "<div class='card'><h2>Jane Doe</h2><p>Age 43</p><p>Lives in Austin, TX</p>"
        f"<p>(512) 555-0142</p>{bit}<a href='javascript:alert(1)'>View Jane Doe</a></div>"
    )
    records = extract_records(f"<html><body>{card * n}</body></html>", "https://b.test/")
    assert records
    for record in records:
        _check_record(record)
        assert record.url is None


# --------------------------------------------------------------------------- matching

JANE = Profile(
    id="jane",
    names=["Jane Quinn Doe", "Jane Smith"],
    emails=["jane.doe@example.test"],
    phones=["+15125550142"],
    usernames=["janedoe"],
    locations=["Austin, TX"],
    addresses=["12 Main St, Austin, TX 78701"],
    birth_date=date(1983, 4, 5),
)
NAMES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "Jane Doe",
            "DOE, JANE Q",
            "J Doe",
            "Jane Smith",
            "Bill Gates",
            "Jayne Doh",
            "Doe Jane",
            "",
            "  ",
            "Dr. Jane Doe Jr.",
        ]
    ),
)
RECORDS = st.builds(
    Record,
    name=NAMES,
    age=st.one_of(st.none(), st.integers(-5, 200)),
    birth_year=st.one_of(st.none(), st.integers(0, 3000)),
    places=st.lists(st.one_of(TEXT, st.sampled_from(["Austin, TX", "Leeds, UK", ","])), max_size=3),
    addresses=st.lists(st.one_of(TEXT, st.just("12 Main Street, Austin, TX")), max_size=2),
    phones=st.lists(st.sampled_from(["+15125550142", "+442079460958", "junk"]), max_size=2),
    emails=st.lists(st.sampled_from(["Jane.Doe@example.test", "x@y.test", "@"]), max_size=2),
    relatives=st.lists(TEXT, max_size=2),
    url=st.one_of(st.none(), st.just("https://b.test/r/1")),
    text=TEXT,
)


@pytest.fixture(scope="module")
def matcher() -> ProfileMatcher:
    return ProfileMatcher(JANE, today=date(2026, 6, 1))


@FAST
@given(st.lists(RECORDS, max_size=5))
def test_matcher_scores_are_bounded_and_consistent(matcher: ProfileMatcher, records) -> None:
    many = matcher.score_many(records)
    assert len(many) == len(records)
    for record, got in zip(records, many, strict=True):
        assert 0.0 <= got.confidence <= 1.0
        alone = matcher.score(record)
        assert alone.kind == got.kind
        # The page can only weaken a record's evidence (namesakes, shared cities).
        assert got.confidence <= alone.confidence + 1e-9
        assert got.reasons and all(not CONTROLS.search(r) for r in got.reasons)


@FAST
@given(TEXT, st.sampled_from(["", "https://x.test/"]))
def test_score_text_never_raises(matcher: ProfileMatcher, text: str, url: str) -> None:
    got = matcher.score_text(text + " Jane Doe", url)
    assert 0.0 <= got.confidence <= 1.0


@FEW
@given(
    st.builds(
        Profile,
        id=st.just("p"),
        names=st.lists(NAMES, max_size=2),
        emails=st.lists(TEXT, max_size=1),
        phones=st.lists(TEXT, max_size=1),
        addresses=st.lists(TEXT, max_size=1),
        locations=st.lists(TEXT, max_size=1),
    ),
    RECORDS,
)
def test_any_profile_can_be_matched(profile: Profile, record: Record) -> None:
    """Profiles from disk are not always tidy: the matcher must not crash on them."""
    got = ProfileMatcher(profile, today=date(2026, 6, 1)).score(record)
    assert 0.0 <= got.confidence <= 1.0


@FAST
@given(NAMES, NAMES)
def test_compare_names_is_bounded_and_reflexive(a: str, b: str) -> None:
    got = compare_names(a, b)
    assert 0.0 <= got.score <= 1.0
    assert not CONTROLS.search(got.reason)
    if fold(a):
        assert compare_names(a, a).score == 1.0
    # Same words in any order, case or accents: a perfect match both ways.
    if fold(a) and sorted(fold(a).split()) == sorted(fold(b).split()):
        assert got.score == compare_names(b, a).score == 1.0


PLAIN_WORD = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8).map(str.title)


@FAST
@given(PLAIN_WORD, PLAIN_WORD, PLAIN_WORD, PLAIN_WORD)
@example("Bill", "Gates", "William", "Gates")
@example("Jane", "Doe", "Jayne", "Doe")
def test_compare_names_is_symmetric_unless_read_surname_first(
    g1: str, f1: str, g2: str, f2: str
) -> None:
    """compare_names is directional by design (profile name, seen name): only the
    seen name may be read surname-first ("DOE JANE") or as "Doe, Jane", so the
    two directions may differ when that reading wins. When it wins in neither
    direction, two plain "Given Family" names score the same both ways."""
    a, b = f"{g1} {f1}", f"{g2} {f2}"
    ab, ba = compare_names(a, b), compare_names(b, a)
    if "surname first" not in ab.reason and "surname first" not in ba.reason:
        assert ab.score == pytest.approx(ba.score), (a, b, ab, ba)
    # Whichever direction, a pair below the match floor one way is not a sure match the other.
    assert (ab.score >= 0.95) == (ba.score >= 0.95), (a, b, ab, ba)


# --------------------------------------------------------------------------- output


@FAST
@given(
    st.one_of(TEXT, st.text(), st.integers()),
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 50)),
)
@example("\x1b]0;title\x07\x1b[2J\x9b31m\u009d", False, None)
def test_clean_output_has_no_controls(
    value: object, keep_newlines: bool, limit: int | None
) -> None:
    out = clean(value, keep_newlines=keep_newlines, limit=limit)
    allowed = "\n" if keep_newlines else ""
    assert not re.search(f"[{'' if allowed else chr(10)}\x00-\x09\x0b-\x1f\x7f-\x9f]", out)
    assert "\x1b" not in out
    if limit is not None:
        assert len(out) <= max(limit, 1)
    assert clean(out, keep_newlines=keep_newlines) == out  # cleaning twice changes nothing


FORMULA = st.one_of(
    TEXT,
    st.tuples(
        st.sampled_from(["=", "+", "-", "@", "\x00=", "\x1b[0m=", "\t=", "\r+"]),
        st.text(max_size=10),
    ).map("".join),
)


@FAST
@given(
    FORMULA, FORMULA, FORMULA, st.lists(FORMULA, max_size=3), st.floats(min_value=0, max_value=1)
)
def test_findings_csv_cells_are_never_formulas(
    source: str, title: str, url: str, reasons: list[str], confidence: float
) -> None:
    finding = Finding(
        checker="brokers",
        source=source,
        kind=FindingKind.PERSON_RECORD,
        key=title,
        url=url,
        confidence=confidence,
        reasons=reasons,
        title=title,
    )
    text = findings_csv(source, [finding])
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@")), cell
        assert not CONTROLS.search(cell), cell
