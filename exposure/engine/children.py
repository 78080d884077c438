"""Who is a child: guardian mode's profiles, their ages, and coming of age.

A child profile names its guardian (``profile add kid --guardian parent``).
:func:`wards` lists a guardian's children (an unknown guardian is a
UsageError, exit 2); :func:`age` and :func:`coming_of_age_note` use the
birth date: a child who has turned 18 is flagged everywhere (their profile is
their own now), and child-specific weighting (engine/guardian.py) stops for
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from exposure.errors import ExposureError, UsageError
from exposure.model import Profile

if TYPE_CHECKING:
    from exposure.people.profile import ProfileStore

ADULT_AGE = 18


def age(profile: Profile, today: date | None = None) -> int | None:
    """The profile's age in whole years today, or None without a birth date."""
    if profile.birth_date is None:
        return None
    from exposure.people.profile import age_on

    return age_on(profile.birth_date, today or date.today())


def is_minor(profile: Profile, today: date | None = None) -> bool:
    """A child profile not known to be 18 or older (no birth date: treated as a child)."""
    if profile.guardian is None:
        return False
    years = age(profile, today)
    return years is None or years < ADULT_AGE


def coming_of_age_note(profile: Profile, today: date | None = None) -> str | None:
    """A one-line note when a child profile's owner has turned 18, else None."""
    years = age(profile, today)
    if profile.guardian is None or years is None or years < ADULT_AGE:
        return None
    return (
        f"profile {profile.id} is {years} now: their profile is their own; hand it over "
        f"(`exposure profile edit {profile.id} --clear-guardian`) and let them decide"
    )


def wards(profiles: ProfileStore, guardian_id: str) -> list[Profile]:
    """The guardian's children. Unknown guardian, or nobody's guardian: UsageError (exit 2)."""
    if not profiles.exists(guardian_id):
        known = ", ".join(profiles.ids()[:10]) or "none yet"
        raise UsageError(f"unknown guardian {guardian_id!r}: no such profile (known: {known})")
    children = [profiles.get(pid) for pid in profiles.wards(guardian_id)]
    if not children:
        raise UsageError(
            f"profile {guardian_id!r} is nobody's guardian: add a child with "
            f"`exposure profile add NAME --guardian {guardian_id} ...`"
        )
    return children


def unreadable(profiles: ProfileStore) -> list[ExposureError]:
    """Profile files that cannot be read. Any may be a child in someone's care, so
    whatever lists a guardian's children names these too: it never skips them."""
    return list(profiles.readable_by_id()[1].values())


UNREADABLE_NOTE = (
    "{count} profile file(s) could not be read, and any of them may be a child in your "
    "care: they are not in this report. Fix or remove them, then run it again."
)


def grouped(profiles: Sequence[Profile]) -> list[tuple[Profile, int]]:
    """Profiles in list order with each guardian's children right after it: (profile, depth).

    A child whose guardian is missing stays at the top level (depth 0).
    """
    ids = {p.id for p in profiles}
    children: dict[str, list[Profile]] = {}
    for p in profiles:
        if p.guardian and p.guardian in ids and p.guardian != p.id:
            children.setdefault(p.guardian, []).append(p)
    out: list[tuple[Profile, int]] = []
    placed: set[str] = set()

    def place(p: Profile, depth: int) -> None:
        if p.id in placed:
            return
        placed.add(p.id)
        out.append((p, depth))
        for child in children.get(p.id, []):
            place(child, depth + 1)

    for p in profiles:
        if not (p.guardian and p.guardian in ids and p.guardian != p.id):
            place(p, 0)
    for p in profiles:  # cycles (a guards b guards a): still listed once
        place(p, 0)
    return out
