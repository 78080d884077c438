"""Usernames a person might have picked, made from their names and birth year.

``scan --variants`` asks the username sites about these as well as the
person's own usernames: ``janedoe``, ``jane.doe``, ``jane_doe``, ``jdoe``,
``janedoe83``... An account under one of them may be the person's, or an
impostor using their name, so findings under a variant are marked as such
and carry a lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterator

from exposure.model import Profile
from exposure.people.names import fold, parse_name

DEFAULT_CAP = 12


def _parts(full_name: str) -> tuple[str, str] | None:
    parts = parse_name(full_name)
    given = fold(parts.given).replace(" ", "")
    family = fold(parts.family).replace(" ", "")
    if not given or not family or not given.isascii() or not family.isascii():
        return None
    return given, family


def _shapes(given: str, family: str, year: int | None) -> Iterator[str]:
    yield f"{given}{family}"
    yield f"{given}.{family}"
    yield f"{given}_{family}"
    yield f"{given[0]}{family}"
    if year is not None:
        yield f"{given}{family}{year % 100:02d}"
        yield f"{given}{family}{year}"
    yield f"{given}-{family}"
    yield f"{family}{given}"
    yield f"{given}{family[0]}"
    yield f"{family}.{given}"
    if year is not None:
        yield f"{given[0]}{family}{year % 100:02d}"
        yield f"{given}_{family}{year % 100:02d}"


def username_variants(profile: Profile, *, cap: int | None = None) -> list[str]:
    """Candidate usernames from the profile's names (primary first) and birth year, capped."""
    limit = DEFAULT_CAP if cap is None else max(0, cap)
    year = profile.birth_date.year if profile.birth_date else None
    out: dict[str, None] = {}
    for name in profile.names:
        split = _parts(name)
        if split is None:
            continue
        for candidate in _shapes(*split, year):
            if len(out) >= limit:
                return list(out)
            out.setdefault(candidate, None)
    return list(out)
