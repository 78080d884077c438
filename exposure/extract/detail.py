"""A record's own detail page, read to settle a record the results page left unclear.

A results page often shows a name with no town, or an age band, and the
record's own page shows the rest: every address, the exact age, phones,
relatives. :func:`record_unclear` says which records are worth that look,
:func:`read_detail` finds the person on the detail page, and
:func:`merge_detail` adds what it shows to the results-page record. The
brokers checker decides how many to follow (a budget per broker per scan).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from exposure.extract.hints import NO_HINTS, Hints
from exposure.extract.records import Record, extract_records

# A band this narrow says the age as well as an age does.
_CLEAR_BAND = 5
# A detail-page record is the same person when its name compares at least this well.
_SAME_NAME = 0.85


def record_unclear(record: Record) -> bool:
    """The record says too little of its place or its age to be judged.

    Its place is unclear with no town at all; its age with no age, no birth
    year and at most a wide or open band. A record that states a town and an
    age is judged on them, even when they are not hers.
    """
    no_place = not record.places and not record.addresses
    band = record.age_range
    no_age = (
        record.age is None
        and record.birth_year is None
        and (band is None or band[1] - band[0] > _CLEAR_BAND)
    )
    return no_place or no_age


@dataclass(frozen=True)
class DetailAdded:
    """What a detail page added to a record (for the finding's reasons)."""

    places: int = 0
    addresses: int = 0
    phones: int = 0
    emails: int = 0
    relatives: int = 0
    age: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.places or self.addresses or self.phones or self.emails or self.relatives
        ) or (self.age)

    def describe(self) -> str:
        parts = [
            f"{n} {word}{'' if n == 1 else plural}"
            for n, word, plural in (
                (self.places, "place", "s"),
                (self.addresses, "street address", "es"),
                (self.phones, "phone", "s"),
                (self.emails, "email", "s"),
                (self.relatives, "relative", "s"),
            )
            if n
        ]
        if self.age:
            parts.append("an age")
        return ", ".join(parts) if parts else "nothing new"


def read_detail(
    html: str | bytes,
    url: str,
    name: str,
    *,
    hints: Hints = NO_HINTS,
    default_region: str = "US",
) -> Record | None:
    """The record on a detail page that is the one named ``name``, or None.

    A detail page lists the person and, often, their relatives and neighbours
    as records too; the person is the record whose name is theirs, and of
    several such, the one that says the most.
    """
    from exposure.people.names import compare_names

    same = [
        r
        for r in extract_records(html, url, hints=hints, default_region=default_region)
        if compare_names(name, r.name).score >= _SAME_NAME
    ]
    if not same:
        return None
    return max(same, key=_facts)


def _facts(record: Record) -> int:
    return (
        len(record.places)
        + len(record.addresses)
        + len(record.phones)
        + len(record.emails)
        + (record.age is not None or record.birth_year is not None)
    )


def merge_detail(record: Record, detail: Record) -> tuple[Record, DetailAdded]:
    """``record`` with what ``detail`` adds: its places, streets, phones,
    emails and relatives after the results page's own, and its age where the
    results page gave none (an exact age or birth year replaces a band). The
    record keeps its own link and name."""

    def more(mine: list[str], theirs: list[str]) -> tuple[list[str], int]:
        seen = {x.casefold() for x in mine}
        extra = [x for x in dict.fromkeys(theirs) if x.casefold() not in seen]
        return [*mine, *extra], len(extra)

    places, n_places = more(record.places, detail.places)
    addresses, n_addresses = more(record.addresses, detail.addresses)
    phones, n_phones = more(record.phones, detail.phones)
    emails, n_emails = more(record.emails, detail.emails)
    relatives, n_relatives = more(record.relatives, detail.relatives)
    age, birth_year, band = record.age, record.birth_year, record.age_range
    added_age = False
    if age is None and birth_year is None:
        if detail.age is not None or detail.birth_year is not None:
            age, birth_year, band = detail.age, detail.birth_year, None
            added_age = True
        elif band is None and detail.age_range is not None:
            band, added_age = detail.age_range, True
    merged = replace(
        record,
        places=places,
        addresses=addresses,
        phones=phones,
        emails=emails,
        relatives=relatives,
        age=age,
        birth_year=birth_year,
        age_range=band,
    )
    added = DetailAdded(n_places, n_addresses, n_phones, n_emails, n_relatives, added_age)
    return merged, added
