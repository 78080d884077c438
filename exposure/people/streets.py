"""Street lines of addresses, for telling her house from a neighbour's.

``normalize_street`` reads "4812 Maple Avenue Apt 3, Austin" as house "4812",
unit "3", street words "maple ave"; ``street_match`` says whether two lines
name one house: the same number, and street words that agree allowing a slip,
a mistyped street kind ("Forbes Treet") or a slipped space ("Dodwel Lstreet").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from exposure.people.names import fold
from exposure.textsafe import clean

__all__ = ["HOUSE", "Street", "normalize_street", "street_match"]

HOUSE = re.compile(r"\d+[a-z]?", re.I)  # a house number at the start of a line

_STREET_ABBR = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "boulevard": "blvd",
    "court": "ct",
    "place": "pl",
    "terrace": "ter",
    "circle": "cir",
    "parkway": "pkwy",
    "highway": "hwy",
    "square": "sq",
    "crescent": "cres",
    "gardens": "gdns",
    "trail": "trl",
    "apartment": "apt",
    "suite": "ste",
    "unit": "apt",
    "flat": "apt",
    "number": "no",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_UNIT_WORDS = frozenset({"apt", "ste", "no"})
# The last word of a street line that names its kind, as written in full: a
# mistyped one ("Treet", "Ustreet", "Avenu") still only says "street".
_STREET_KINDS = (
    "street",
    "avenue",
    "road",
    "drive",
    "lane",
    "boulevard",
    "court",
    "place",
    "terrace",
    "circle",
    "parkway",
    "highway",
    "square",
    "crescent",
    "gardens",
    "trail",
    "close",
    "parade",
    "grove",
    "circuit",
    "way",
)
_KIND_ABBR = frozenset(_STREET_ABBR.get(k, k) for k in _STREET_KINDS) | {"cl", "pde", "gr", "cct"}


@dataclass(frozen=True)
class Street:
    house: str
    unit: str
    words: str
    shown: str
    # The rest of the address after the street line, folded ("deer park tas
    # 6112"): what tells two number-only lines ("11, Deer Park") apart.
    rest: str = ""
    # The street words as written, without spaces ("dodwellstreet"): the same
    # line with a space slipped ("Dodwel Lstreet").
    squeezed: str = ""


@lru_cache(maxsize=8192)
def normalize_street(address: str) -> Street | None:
    """The street line of an address as (house number, unit, street words):
    "4812 Maple Avenue Apt 3, Austin" → ("4812", "3", "maple ave")."""
    line = address.split(",")[0]
    folded = fold(line.replace("#", " apt "))
    tokens = [_STREET_ABBR.get(t, t) for t in folded.split()]
    if not tokens:
        return None
    numbers = [t for t in tokens if any(ch.isdigit() for ch in t)]
    if not numbers and len(tokens) < 2:
        return None
    # A line with no house number ("Pindari Crescent, Ottoway") names a street.
    house = numbers[0] if numbers else ""
    unit = ""
    words: list[str] = []
    after_unit = False
    for tok in tokens:
        if tok in _UNIT_WORDS:
            after_unit = True
            continue
        if after_unit:
            unit, after_unit = tok, False
            continue
        if tok != house:
            words.append(tok)
    if not unit and len(numbers) > 1:
        unit = numbers[-1]
    rest = " ".join(fold(address.partition(",")[2]).replace(",", " ").split())
    squeezed = "".join(t for t in folded.split() if t != house and t not in _UNIT_WORDS)
    return Street(house, unit, " ".join(words), clean(address, limit=200), rest, squeezed)


def _is_street_kind(word: str) -> bool:
    """A word naming the kind of street, abbreviated or (one or two slips) in full."""
    from rapidfuzz.distance import OSA

    if word in _KIND_ABBR:
        return True
    return len(word) >= 4 and any(
        len(kind) >= 5 and OSA.distance(word, kind) <= (1 if len(kind) <= 6 else 2)
        for kind in _STREET_KINDS
    )


def street_match(mine: Street, seen: Street) -> bool:
    from rapidfuzz import fuzz

    if mine.house != seen.house:
        return False
    if not mine.house:
        # Two lines naming a street and no house: the same street only in the
        # same town ("Pindari Crescent, Ottoway, QLD 2074").
        return bool(mine.words and mine.rest) and (mine.words, mine.rest) == (
            seen.words,
            seen.rest,
        )
    if mine.unit and seen.unit and mine.unit != seen.unit:
        return False
    if not mine.words and not seen.words:
        # Two lines with a house number only ("11, Deer Park, TAS 6112"): the
        # same only when the whole rest of the address is the same.
        return bool(mine.rest) and mine.rest == seen.rest
    if not mine.words or not seen.words:
        return False
    if (
        fuzz.ratio(mine.words, seen.words) >= 85
        or fuzz.token_set_ratio(mine.words, seen.words) >= 95
        or (len(mine.squeezed) >= 8 and mine.squeezed == seen.squeezed)
    ):
        return True
    # Her street's name with its kind mistyped ("2 Forbes Treet" for "2 Forbes
    # Street"): the names agree and both last words say "street" somehow.
    *mine_name, mine_kind = mine.words.split()
    *seen_name, seen_kind = seen.words.split()
    core = " ".join(mine_name)
    return (
        len(core) >= 4
        and fuzz.ratio(core, " ".join(seen_name)) >= 90
        and _is_street_kind(mine_kind)
        and _is_street_kind(seen_kind)
    )
