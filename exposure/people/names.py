"""Person names: structure, folding, variants and fuzzy comparison.

This is the foundation of identity matching. A people-search page prints a
name however it likes ("DOE, JANE Q", "Jane Doe", "J Doe", "Bill Gates" for
William Gates), so we compare *structure* (given / middle / family) after
folding away case, diacritics and punctuation, and we know common nicknames.

Everything that parses or expands a name is cached with ``functools.lru_cache``
because matching runs this over thousands of scraped records per scan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from exposure.textsafe import clean

__all__ = [
    "NameMatch",
    "NameParts",
    "clean_text",
    "compare_names",
    "fold",
    "given_variants",
    "name_variants",
    "parse_name",
]

# Letters NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ß": "ss",
    }
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_ALNUM = re.compile(r"[\W_]+")

MAX_NAME = 200


def clean_text(text: str, limit: int = MAX_NAME) -> str:
    """Drop control and bidi-override characters (scraped text is hostile) and cap the length."""
    return clean(text, limit=limit)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefold, strip diacritics and collapse punctuation/whitespace to single spaces.

    ``"José  GARCÍA-Müller"`` → ``"jose garcia muller"``; apostrophes vanish
    (``O'Brien`` → ``obrien``) because pages print both ``O'Brien`` and ``OBrien``.
    """
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _APOSTROPHES.sub("", stripped.casefold())
    return _NON_ALNUM.sub(" ", stripped).strip()


@dataclass(frozen=True)
class NameParts:
    """A name split into its parts, as written (tidied), not folded."""

    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""
    nickname: str = ""

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.given, self.middle, self.family, self.suffix) if p)


def _tidy_initial(part: str) -> str:
    """``"Q."`` → ``"Q"``; ``"J. R."`` → ``"J R"``; longer words are left alone."""
    words = [w[:-1] if len(w) == 2 and w.endswith(".") else w for w in part.split()]
    return " ".join(words)


@lru_cache(maxsize=65536)
def parse_name(text: str) -> NameParts:
    """Split a name with nameparser: "SURNAME, Given" order, all-caps, initials,
    particles (van der Berg, de la Cruz), suffixes (Jr, III), quoted nicknames.

    All-caps or all-lower input is recapitalised ("DOE, JANE Q" → Jane Q Doe).
    """
    from nameparser import HumanName

    text = " ".join(clean_text(text).split())
    if not text:
        return NameParts()
    human = HumanName(text)
    human.capitalize()  # only acts on all-upper / all-lower input
    return NameParts(
        given=_tidy_initial(human.first),
        middle=_tidy_initial(human.middle),
        family=human.last,
        suffix=_tidy_initial(human.suffix),
        nickname=human.nickname,
    )


@lru_cache(maxsize=1)
def _nicknamer() -> Any:
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=16384)
def _given_variants(given: str) -> frozenset[str]:
    key = fold(given)
    if not key:
        return frozenset()
    namer = _nicknamer()
    out = {key}
    # A multi-word given name ("Mary Ann") is also looked up by its first word.
    for probe in {key, key.split()[0]}:
        out |= {fold(n) for n in namer.nicknames_of(probe)}
        out |= {fold(n) for n in namer.canonicals_of(probe)}
    out.discard("")
    return frozenset(out)


def given_variants(given: str) -> set[str]:
    """The folded given name plus its nicknames and the names it is a nickname of.

    ``given_variants("Bill")`` contains ``"william"``; ``given_variants("William")``
    contains ``"bill"``. Siblings (Bill ~ Billy) are not expanded: that would
    make Bill ~ Bob via Robert.
    """
    return set(_given_variants(given))


def _family_forms(family: str) -> set[str]:
    """Folded family name, its particle-free compact form and each hyphenated part."""
    folded = fold(family)
    if not folded:
        return set()
    out = {folded}
    if " " in folded:
        out.add(folded.replace(" ", ""))  # "van der berg" → "vanderberg"
    if "-" in family:
        out |= {fold(p) for p in family.split("-") if fold(p)}
    return out


@lru_cache(maxsize=16384)
def _name_variants(full: str) -> frozenset[str]:
    parts = parse_name(full)
    given, middle = fold(parts.given), fold(parts.middle)
    families = _family_forms(parts.family)
    double = ""
    if middle and not _is_initials(middle) and parts.family:
        # Maybe a Spanish-style double surname parsed as middle + family (García Márquez).
        double = f"{middle} {fold(parts.family)}"
    if not families:
        return frozenset({given} if given else ())
    givens = set(_given_variants(parts.given)) if given else set()
    if parts.nickname:
        givens |= _given_variants(parts.nickname)
    out: set[str] = set()
    for fam in families | ({double} if double else set()):
        if not givens:
            out.add(fam)
        for g in givens:
            out.add(f"{g} {fam}")
            out.add(f"{fam} {g}")
        if given:
            out.add(f"{given[0]} {fam}")
    if given and middle:
        for fam in families:
            out.add(f"{given} {middle} {fam}")
            out.add(f"{given} {middle[0]} {fam}")
            out.add(f"{given[0]} {middle[0]} {fam}")
    return frozenset(v for v in out if v)


def name_variants(full: str) -> set[str]:
    """Folded forms of ``full`` a page might print.

    ``"Jane Quinn Doe"`` gives ``jane doe``, ``doe jane``, ``j doe``,
    ``jane q doe``, ``jane quinn doe``, nickname forms (``bill gates`` for
    William Gates) and, for a hyphenated surname, each part alone.
    """
    return set(_name_variants(full))


def _is_initials(folded: str) -> bool:
    return all(len(w) == 1 for w in folded.split())


@dataclass(frozen=True)
class NameMatch:
    """How well a seen name matches a profile name: ``score`` in 0..1 and why."""

    score: float
    reason: str


@dataclass(frozen=True)
class _Part:
    score: float
    note: str = ""


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) / 100.0


def _compare_given(mine: NameParts, seen: NameParts) -> _Part:
    a, b = fold(mine.given), fold(seen.given)
    if not a or not b:
        return _Part(0.4, "no given name")
    if a == b:
        return _Part(1.0)
    if _is_initials(a) or _is_initials(b):
        return _Part(0.7, "initial") if a[0] == b[0] else _Part(0.1, "initial differs")
    mine_v = _given_variants(mine.given) | (
        _given_variants(mine.nickname) if mine.nickname else frozenset()
    )
    seen_v = _given_variants(seen.given)
    if b in mine_v or a in seen_v:
        return _Part(0.95, "nickname")
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a)):
        return _Part(0.85, "short form")
    if mine_v & seen_v:
        return _Part(0.85, "nickname")
    ratio = _ratio(a, b)
    # Near-identical spellings (Jayne ~ Jane) count; different names (Jane ~ John) do not.
    return _Part(ratio, "spelling") if ratio >= 0.85 else _Part(ratio * 0.5)


def _compare_family(mine: NameParts, seen: NameParts) -> _Part:
    a, b = fold(mine.family), fold(seen.family)
    if not a or not b:
        return _Part(0.4, "no family name")
    if a == b:
        return _Part(1.0)
    if a.replace(" ", "") == b.replace(" ", ""):
        return _Part(1.0)
    mine_forms = _family_forms(mine.family)
    seen_forms = _family_forms(seen.family)
    if b in mine_forms or a in seen_forms:
        return _Part(0.9, "part of the surname")
    # Double surnames split differently by the parser (García Márquez).
    mine_long = fold(f"{mine.middle} {mine.family}")
    seen_long = fold(f"{seen.middle} {seen.family}")
    if mine.middle and mine_long == b:
        return _Part(0.95, "double surname")
    if seen.middle and seen_long == a:
        return _Part(0.95, "double surname")
    if mine.middle and not _is_initials(fold(mine.middle)) and fold(mine.middle) == b:
        return _Part(0.8, "first surname")
    ratio = _ratio(a.replace(" ", ""), b.replace(" ", ""))
    return _Part(ratio, "spelling") if ratio >= 0.85 else _Part(ratio * 0.5)


def _middle_factor(mine: NameParts, seen: NameParts, family: _Part) -> _Part:
    a, b = fold(mine.middle), fold(seen.middle)
    if not a or not b or family.note in ("double surname", "first surname"):
        return _Part(1.0)
    if a[0] != b[0]:
        return _Part(0.75, "middle initial conflicts")
    if not _is_initials(a) and not _is_initials(b) and a != b:
        return _Part(0.9, "middle name differs")
    return _Part(1.0)


def _suffix_factor(mine: NameParts, seen: NameParts) -> _Part:
    a, b = fold(mine.suffix), fold(seen.suffix)
    if a and b and a != b:
        return _Part(0.8, "suffix differs")
    return _Part(1.0)


def _structural(mine: NameParts, seen: NameParts) -> tuple[float, list[str]]:
    given = _compare_given(mine, seen)
    family = _compare_family(mine, seen)
    middle = _middle_factor(mine, seen, family)
    suffix = _suffix_factor(mine, seen)
    score = given.score * family.score * middle.score * suffix.score
    notes = [p.note for p in (given, family, middle, suffix) if p.note]
    return score, notes


def _swapped(parts: NameParts) -> NameParts:
    """Read "DOE JANE" (no comma) the other way round."""
    return NameParts(
        given=parts.family,
        middle=parts.middle,
        family=parts.given,
        suffix=parts.suffix,
        nickname=parts.nickname,
    )


@lru_cache(maxsize=65536)
def compare_names(profile_name: str, seen_name: str) -> NameMatch:
    """Score how likely ``seen_name`` (from a page) names the same person as ``profile_name``.

    The score multiplies a given-name score (exact 1, nickname 0.95, initial
    0.7, different name low) by a family-name score and penalties for a
    conflicting middle initial or suffix. The reason reads like
    ``name 0.97 (Jane Q Doe ~ DOE, JANE)`` plus what bent the score.
    """
    shown_mine = clean_text(" ".join(profile_name.split()))
    shown_seen = clean_text(" ".join(seen_name.split()))
    a_fold, b_fold = fold(profile_name), fold(seen_name)
    if not a_fold or not b_fold:
        return NameMatch(0.0, f"name 0.00 ({shown_mine} ~ {shown_seen}, empty)")
    mine, seen = parse_name(profile_name), parse_name(seen_name)
    if a_fold == b_fold or sorted(a_fold.split()) == sorted(b_fold.split()):
        score, notes = 1.0, list[str]()
    else:
        score, notes = _structural(mine, seen)
        if "," not in seen_name and seen.given and seen.family:
            swapped, swapped_notes = _structural(mine, _swapped(seen))
            swapped *= 0.95
            if swapped > score:
                score, notes = swapped, [*swapped_notes, "surname first"]
    score = max(0.0, min(1.0, score))
    extra = f", {', '.join(dict.fromkeys(notes))}" if notes else ""
    return NameMatch(score, f"name {score:.2f} ({shown_mine} ~ {shown_seen}{extra})")
