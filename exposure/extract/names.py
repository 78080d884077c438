"""What on a page is a person's name, and which one is the record's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from exposure.extract.labels import _RELATIVE_LABEL
from exposure.extract.places import _PLACE_US, _UK_POSTCODE, _is_region, _us_place
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.extract.blocks import _Block

# --------------------------------------------------------------------------- names

_NAME_WORD = re.compile(r"^(?:[^\W\d_]\.?|[^\W\d_][^\W\d_'’.\-]*(?:['’\-][^\W\d_]+)*\.?)$")
_NOT_NAME_WORDS = frozenset(
    """
    age aged years old born phone phones number numbers address addresses email emails mail
    relatives relative associates associated related location locations city state zip country
    view details detail profile profiles report reports search searches result results people person
    name names current currently previous previously past lived lives living live home more see full
    background check contact info information records record public free privacy policy terms about
    sign login log opt out remove removal us our the of and for with by at in on to from your my
    premium unlock get new find street st avenue ave road rd drive dr lane ln boulevard blvd court
    ct way suite apt apartment unit cell mobile landline wireless also possible known family
    member members data date birth dob match matches page next prev back home menu help faq
    sponsored advertisement ad ads click here today now call text send message share filter sort
    show hide all none north south east west county united kingdom states america street road
    login signup account subscription trial only just best top verified updated update people's
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_PARTICLES = frozenset(
    "van von der den de del della di da du la le dos das st bin ibn al el ter ten".split()  # noqa: SIM905
)
_SUFFIXES = frozenset("jr sr ii iii iv v phd md esq".split())  # noqa: SIM905
# Words that label page elements but are family names too (Mark West, Lois Lane,
# Larry Page, George Best): a name word only in the family name's place after a
# given name we know ("Mark A West", "WEST, Mark"), never in "North Dakota" or
# "Read More".
_FAMILY_WORDS = frozenset(
    "west north south east lane page best more street court way hide".split()  # noqa: SIM905
)


def _known_given(word: str) -> bool:
    """A given name the nickname table knows (Mark, Lois, Larry; not Read or Main)."""
    from exposure.people.names import given_variants

    return len(given_variants(word.strip(".,"))) > 1


def _family_word_in_place(words: list[str], at: int, comma: bool) -> bool:
    """``words[at]`` (one of _FAMILY_WORDS) stands where a family name stands."""
    if words[at].casefold().strip(".,") not in _FAMILY_WORDS or len(words) < 2:
        return False
    if comma:  # "WEST, Mark A"
        return at == 0 and _known_given(words[1])
    return at == len(words) - 1 and at >= 1 and _known_given(words[0])


def looks_like_name(text: str) -> bool:
    """Whether ``text`` could be a person's name as a page prints it.

    Two to five words of letters (initials, hyphens, apostrophes and name
    particles allowed), optionally "SURNAME, Given", no digits, no words that
    label page elements ("Phone Number", "View Details").
    """
    text = " ".join(text.split())
    if not (3 <= len(text) <= 70) or any(ch.isdigit() for ch in text):
        return False
    if text.count(",") > 1:
        return False
    words = text.replace(",", " ").split()
    if not (2 <= len(words) <= 5):
        return False
    real = 0
    comma = "," in text
    for at, word in enumerate(words):
        low = word.casefold().strip(".")
        if low in _NOT_NAME_WORDS and not _family_word_in_place(words, at, comma):
            return False
        if not _NAME_WORD.match(word):
            return False
        if low in _PARTICLES or low in _SUFFIXES:
            continue
        if not word[0].isupper():
            return False
        if len(low) >= 2:
            real += 1
    if real < 2 and not (real == 1 and len(words) >= 2 and "," in text):
        return real >= 2
    if "," in text:
        head, _, tail = text.partition(",")
        tail = tail.strip()
        if not head.strip() or not tail:
            return False
        # "Austin, TX" / "Leeds, UK" are places, not "SURNAME, GIVEN".
        if tail.isupper() and len(tail) <= 3 and not head.isupper():
            return False
        if _is_region(tail):
            return False
    return True


_NAME_TAIL = re.compile(
    r"(?:\s*[,(\-–—|·•:]\s*|\s+)(?:age[ds]?\b|\d|born\b|b\.\s*\d|in\s|from\s|lives\b|of\s).*$",
    re.I,
)
_NAME_LABEL = re.compile(r"^\s*(?:full\s+)?name\s*:\s*", re.I)
_SPLITTERS = re.compile(r"\s*(?:[|•·;]|\s[-–—]\s)\s*")


def _name_candidates(text: str) -> Iterator[str]:
    text = " ".join(clean(text).split())
    text = _NAME_LABEL.sub("", text)
    if not text or _PLACE_US.fullmatch(text):
        return  # "Crown Point, IN" is a place, and no part of it a name
    yield text
    cut = _NAME_TAIL.sub("", text).strip(" ,")
    if cut != text:
        yield cut
    for part in _SPLITTERS.split(text):
        part = part.strip(" ,")
        if part and part != text:
            yield part
            cut = _NAME_TAIL.sub("", part).strip(" ,")
            if cut != part:
                yield cut
    # "DOE, JANE Q, 43, Austin TX": first two comma parts.
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) >= 2:
        yield f"{pieces[0]}, {pieces[1]}"
        yield pieces[0]


def _find_name(block: _Block) -> str:
    return _find_name_place(block)[0]


def _find_name_place(block: _Block) -> tuple[str, list[str]]:
    """The record's own name and the places printed right after it
    ("Siobhan O'Neill, Leeds, LS1" → the name and ["Leeds, LS1"])."""
    for hint in block.hints:
        for cand in _name_candidates(hint):
            if looks_like_name(cand):
                return _split_place_tail(cand, hint, block)
    for line in block.lines:
        if _RELATIVE_LABEL.search(line) and not _NAME_LABEL.match(line):
            break  # names after a relatives label are not the record's own
        for cand in _name_candidates(line):
            if looks_like_name(cand):
                return _split_place_tail(cand, line, block)
    return "", []


_PLACE_TAIL_CUT = re.compile(
    r"\s*(?:[—–|•·;:(]|\s-\s|,\s*(?:age[ds]?\b|\d|born\b|b\.\s*\d)|\s+(?:age[ds]?|born)\b).*$",
    re.I | re.S,
)


def _split_place_tail(name: str, source: str, block: _Block) -> tuple[str, list[str]]:
    """Split "Given Family, Town" into the name and the town.

    "DOE, Jane" is a surname first and stays a name; "Jane Doe, Leeds" is a name
    followed by where the person lives. The tail counts as a place when it is a
    region or postcode, when the page marked the name apart from it (a link or
    heading holding just the name), or when the head is a full "Given Family"
    name and the tail is a capitalised word that is not a given name.
    """
    head, comma, tail = name.partition(",")
    head, tail = head.strip(), tail.strip()
    if not comma or not head or not tail or not looks_like_name(head):
        return name, []
    if not _place_like_tail(head, tail, block):
        return name, []
    # The place as printed: the tail plus what follows it up to the next
    # separator or age ("Leeds, LS1 — Age guide 35-39" → "Leeds, LS1").
    text = " ".join(clean(source).split())
    at = text.find(tail, text.find(head) + len(head)) if head in text else -1
    place = tail
    if at >= 0:
        rest = _PLACE_TAIL_CUT.sub("", text[at:]).strip(" ,.")
        if rest.startswith(tail) and len(rest) <= 60:
            place = rest
    us = _PLACE_US.fullmatch(place)
    return head, [_us_place(us) if us else place]


def _place_like_tail(head: str, tail: str, block: _Block) -> bool:
    from exposure.people.names import fold, given_variants

    words = tail.split()
    if not (1 <= len(words) <= 3) or any(ch.isdigit() for ch in tail):
        return False
    if _is_region(tail) or _PLACE_US.fullmatch(tail) or _UK_POSTCODE.match(tail):
        return True
    if len(head.split()) < 2 or head.isupper():
        return False  # "DOE, JANE" / "GARCIA LOPEZ, MARIA": surname first
    key = fold(head)
    if any(fold(h) == key for h in block.hints if h.strip() != f"{head}, {tail}"):
        return True  # the page marked the name on its own (a link, a heading)
    if not all(w[:1].isupper() for w in words):
        return False
    # A known given name after the comma reads as "SURNAME, Given".
    return not any(len(given_variants(w)) > 1 for w in words)


def _names_in(text: str) -> list[str]:
    out = []
    for piece in re.split(r"\s*(?:[,;|•·]|\band\b|&)\s*", text):
        piece = piece.strip(" .:")
        cut = _NAME_TAIL.sub("", piece).strip(" ,")
        if looks_like_name(piece):
            out.append(piece)
        elif cut and looks_like_name(cut):
            out.append(cut)
    return out
