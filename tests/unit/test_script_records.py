"""Pages built by JavaScript: the records are read from the page's script data
(state blobs, Next.js data, JSON-LD lists) when the HTML has no cards."""

from __future__ import annotations

import json

from exposure.extract import extract_records

BASE = "https://broker.example.test/search?q=jane+doe"


def shell(*scripts: str) -> str:
    return (
        "<!doctype html><html><head><title>Jane Doe - results</title>"
        + "".join(scripts)
        + '</head><body><div id="__next"></div>'
        "<noscript>Please enable JavaScript to see the results.</noscript></body></html>"
    )


def json_script(data: object, script_id: str = "__NEXT_DATA__") -> str:
    return f'<script id="{script_id}" type="application/json">{json.dumps(data)}</script>'


NEXT_DATA = {
    "props": {
        "pageProps": {
            "viewer": {"name": "Guest User"},  # a bare name: not a record
            "search": {
                "total": 2,
                "results": [
                    {
                        "firstName": "Jane",
                        "middleName": "Q",
                        "lastName": "Doe",
                        "age": 43,
                        "addresses": [
                            {"street": "12 Oak Street", "city": "Austin", "state": "TX",
                             "zip": "78701"},
                            {"city": "Dallas", "state": "TX"},
                        ],
                        "relatives": [{"fullName": "John Doe"}, "Mary Doe"],
                        "profileUrl": "/person/jane-doe-1",
                    },
                    {
                        "firstName": "Jane",
                        "lastName": "Doe",
                        "age": "71",
                        "addresses": [{"city": "Boise", "state": "ID"}],
                        "profileUrl": "/person/jane-doe-2",
                    },
                ],
            },
        }
    }
}  # fmt: skip


def test_a_next_js_page_is_read_from_its_data() -> None:
    records = extract_records(shell(json_script(NEXT_DATA)), BASE)
    assert [(r.name, r.age) for r in records] == [("Jane Q Doe", 43), ("Jane Doe", 71)]
    first, second = records
    assert first.places[:2] == ["Austin, TX", "Dallas, TX"]
    assert first.addresses and first.addresses[0].startswith("12 Oak Street, Austin, TX")
    assert first.relatives == ["John Doe", "Mary Doe"]
    assert first.url == "https://broker.example.test/person/jane-doe-1"
    assert second.url == "https://broker.example.test/person/jane-doe-2"


def test_an_assigned_state_object_is_read_with_other_key_names() -> None:
    state = {
        "data": {
            "people": [
                {
                    "id": "p1",
                    "main_name": {"first_name": "Jane", "last_name": "Doe"},
                    "current_age": 43,
                    "top_city_states": [{"city": "Austin", "state": "TX", "postal_code": 78701}],
                    "family_members": ["John Doe"],
                    "link": "https://broker.example.test/p/1",
                }
            ]
        }
    }
    script = (
        "<script>window.App = window.App || {}; "
        f"window.__INITIAL_STATE__ = {json.dumps(state)};</script>"
    )
    [record] = extract_records(shell(script), BASE)
    assert (record.name, record.age, record.places) == ("Jane Doe", 43, ["Austin, TX"])
    assert record.relatives == ["John Doe"]
    assert record.url == "https://broker.example.test/p/1"


def test_a_json_ld_person_list_in_the_head_is_read() -> None:
    people = [
        {"@type": "Person", "name": "Jane Doe", "address": {"@type": "PostalAddress",
         "addressLocality": "Austin", "addressRegion": "TX"}, "url": "/p/a"},
        {"@type": "Person", "name": "Jane Doe", "address": {"@type": "PostalAddress",
         "addressLocality": "Reno", "addressRegion": "NV"}, "url": "/p/b"},
        {"@type": "Organization", "name": "Broker Inc", "telephone": "+1 555 0100"},
    ]  # fmt: skip
    script = f'<script type="application/ld+json">{json.dumps(people)}</script>'
    records = extract_records(shell(script), BASE)
    assert [r.places for r in records] == [["Austin, TX"], ["Reno, NV"]]
    assert [r.url for r in records] == [
        "https://broker.example.test/p/a",
        "https://broker.example.test/p/b",
    ]


def test_visible_cards_come_first_and_the_blob_is_not_read_twice() -> None:
    cards = "".join(
        f'<div class="card"><h3><a href="/c/{i}">Jane Doe</a></h3><p>Age {40 + i}</p>'
        f"<p>Lives in Austin, TX</p></div>"
        for i in range(3)
    )
    page = (
        "<html><head>" + json_script(NEXT_DATA) + "</head><body><div class='list'>"
        + cards + "</div></body></html>"
    )  # fmt: skip
    records = extract_records(page, BASE)
    assert [r.url for r in records] == [f"https://broker.example.test/c/{i}" for i in range(3)]


def test_hostile_script_data_is_bounded_and_inert() -> None:
    deep = "[" * 20_000 + "]" * 20_000
    many = {"people": [{"name": "Jane Doe", "age": 40, "url": f"/p/{i}"} for i in range(5_000)]}
    marked = {"people": [{"name": "Jane [bold]Doe\u202e\x1b[31m", "age": 40, "url": "/p/x"}]}
    broken = '<script>window.__STATE__ = {"people": [{"name": "Jane Doe", </script>'
    assert extract_records(shell(f'<script type="application/json">{deep}</script>'), BASE) == []
    assert extract_records(shell(f"<script>var s = {deep};</script>"), BASE) == []
    assert extract_records(shell(broken), BASE) == []
    assert 0 < len(extract_records(shell(json_script(many, "b")), BASE)) <= 500
    for record in extract_records(shell(json_script(marked, "c")), BASE):
        assert "\x1b" not in record.name and "\u202e" not in record.name
