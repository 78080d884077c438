"""Profiles: validation, normalisation and the on-disk store.

A profile is what the person tells us about themselves. Everything entering a
profile is validated here with a one-line message naming the bad value
(``UsageError``, exit 2), and normalised so later matching compares like with
like: emails with a lower-case domain, phones in E.164, usernames without a
leading ``@``. Locations are free text and international; we never assume
the US "City, ST" form, but we recognise it.

Profiles live one per file in ``profiles_dir/<id>.json``, 0600 in 0700 folders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from exposure.engine import vault
from exposure.errors import ExposureError, UsageError, about
from exposure.model import Profile
from exposure.paths import Paths, private_dir
from exposure.people.locations import Location, parse_location, region_of_location
from exposure.textsafe import ANY_CONTROL
from exposure.urls import is_web_url

__all__ = [
    "Location",
    "ProfileStore",
    "age_on",
    "build_profile",
    "edit_profile",
    "normalize_account",
    "normalize_email",
    "normalize_free_text",
    "normalize_name",
    "normalize_phone",
    "normalize_username",
    "parse_birth_date",
    "parse_location",
    "region_of_location",
    "revalidate",
    "validate_id",
]

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
MAX_NAME = 200
MAX_TEXT = 300

# --------------------------------------------------------------------------- validation


def _show(value: str) -> str:
    """A value as it can safely appear in a one-line message."""
    return repr(ANY_CONTROL.sub("?", value)[:80])


def validate_id(profile_id: str) -> str:
    """A profile id names a file: ``[a-z0-9][a-z0-9_-]{0,63}``. We never silently rewrite it."""
    if ID_RE.fullmatch(profile_id):
        return profile_id
    hint = ""
    lowered = profile_id.strip().lower()
    if lowered != profile_id and ID_RE.fullmatch(lowered):
        hint = f"; did you mean {lowered!r}?"
    raise UsageError(
        f"invalid profile id {_show(profile_id)}: use 1-64 lower-case letters, digits, "
        f"'-' or '_', starting with a letter or digit{hint}"
    )


def _free(value: str, what: str, limit: int) -> str:
    if ANY_CONTROL.search(value):
        raise UsageError(f"{what} {_show(value)} contains control characters")
    text = " ".join(value.split())
    if not text:
        raise UsageError(f"{what} {_show(value)} is empty")
    if len(text) > limit:
        raise UsageError(f"{what} {_show(value)} is longer than {limit} characters")
    return text


def normalize_name(value: str) -> str:
    """A name: non-empty, no control characters, at most 200 characters; whitespace collapsed."""
    return _free(value, "name", MAX_NAME)


def normalize_free_text(value: str, what: str = "location") -> str:
    """A location or address: free international text, non-empty, no control characters."""
    return _free(value, what, MAX_TEXT)


def normalize_email(value: str) -> str:
    """A pragmatic email check (not RFC 5322): one @, a local part of 1-64 characters,
    a dotted domain of valid labels, no spaces. The domain is lower-cased."""
    email = value.strip()
    bad = UsageError(f"invalid email {_show(value)}")
    if not email or ANY_CONTROL.search(email) or any(ch.isspace() for ch in email):
        raise bad
    if email.count("@") != 1:
        raise bad
    local, domain = email.split("@")
    if (
        not local
        or len(local) > 64
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        raise bad
    domain = domain.lower().rstrip(".")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise bad from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise bad
    tld = labels[-1]
    if not (tld.isalpha() and len(tld) >= 2) and not tld.startswith("xn--"):
        raise bad
    if len(email) > 254:
        raise bad
    return f"{local}@{domain}"


def normalize_username(value: str) -> str:
    """A username: no whitespace or control characters; leading ``@`` are dropped
    (all of them, so normalising twice changes nothing)."""
    name = value.strip().lstrip("@")
    if not name or ANY_CONTROL.search(name) or any(ch.isspace() for ch in name):
        raise UsageError(f"invalid username {_show(value)}: it must be non-empty, without spaces")
    if len(name) > MAX_NAME:
        raise UsageError(f"username {_show(value)} is longer than {MAX_NAME} characters")
    return name


def normalize_account(value: str) -> str:
    """An account the person owns: an absolute http(s) URL."""
    url = value.strip()
    bad = UsageError(f"invalid account URL {_show(value)}: give an absolute http(s) URL")
    if not url or ANY_CONTROL.search(url) or any(ch.isspace() for ch in url):
        raise bad
    if not is_web_url(url):
        raise bad
    return url


def parse_birth_date(value: str, today: date | None = None) -> date:
    """``YYYY-MM-DD``, not in the future and not before 1900."""
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UsageError(f"invalid birth date {_show(value)}: use YYYY-MM-DD")
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"invalid birth date {_show(value)}: no such day") from None
    if born > (today or date.today()):
        raise UsageError(f"birth date {_show(value)} is in the future")
    if born.year < 1900:
        raise UsageError(f"birth date {_show(value)} is before 1900")
    return born


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` (someone born 29 Feb turns a year older on 1 Mar)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


# --------------------------------------------------------------------------- phones


def normalize_phone(value: str, regions: Sequence[str]) -> str:
    """Parse a phone number and return it in E.164.

    A number without a country code is tried against ``regions`` in order (the
    profile's locations first, then the configured default); the first region
    where it is a valid number wins.
    """
    import phonenumbers

    raw = value.strip()
    if not raw or ANY_CONTROL.search(raw):
        raise UsageError(f"invalid phone {_show(value)}")
    tried: list[str] = []
    for region in dict.fromkeys(r.upper() for r in regions if r):
        tried.append(region)
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if raw.startswith("+"):
            break  # the region does not matter for an international number
    where = f" (tried region {', '.join(tried)})" if tried and not raw.startswith("+") else ""
    raise UsageError(
        f"invalid phone {_show(value)}{where}: give a valid number, e.g. with its country code"
    )


# --------------------------------------------------------------------------- building


def _merge(
    existing: Iterable[str], new: Iterable[str], key: Callable[[str], str] = str.casefold
) -> list[str]:
    """Append ``new`` to ``existing``, keeping the first of each duplicate (case-insensitive)."""
    out: list[str] = []
    seen: set[str] = set()
    for value in (*existing, *new):
        k = key(value)
        if k not in seen:
            seen.add(k)
            out.append(value)
    return out


def _regions(locations: Iterable[str], addresses: Iterable[str], default: str) -> list[str]:
    found = [region_of_location(t) for t in (*locations, *addresses)]
    return [r for r in (*found, default) if r]


def _remove(
    values: list[str],
    drop: Iterable[str],
    what: str,
    normalise: Callable[[str], str],
    key: Callable[[str], str] = str.casefold,
) -> list[str]:
    """Remove each of ``drop`` from ``values``; a value not present is an error naming it."""
    out = list(values)
    for raw in drop:
        try:
            wanted = key(normalise(raw))
        except UsageError:
            wanted = key(raw.strip())
        hits = [v for v in out if key(v) == wanted]
        if not hits:
            raise UsageError(f"cannot remove {what} {_show(raw)}: the profile has no such {what}")
        out = [v for v in out if key(v) != wanted]
    return out


def build_profile(profile_id: str, **fields: Any) -> Profile:
    """A new, validated and normalised profile (nothing is saved).

    ``fields`` are :func:`edit_profile`'s: names, emails, phones, usernames,
    locations, addresses, birth_date, accounts, relatives, guardian, default_region.
    """
    with about("id"):
        profile = Profile(id=validate_id(profile_id))
    return edit_profile(profile, **fields)


def edit_profile(
    profile: Profile,
    *,
    names: Sequence[str] = (),
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    usernames: Sequence[str] = (),
    locations: Sequence[str] = (),
    addresses: Sequence[str] = (),
    birth_date: str | date | None = None,
    accounts: Sequence[str] = (),
    relatives: Sequence[str] = (),
    guardian: str | None = None,
    address_program: str | None = None,
    remove_names: Sequence[str] = (),
    remove_emails: Sequence[str] = (),
    remove_phones: Sequence[str] = (),
    remove_usernames: Sequence[str] = (),
    remove_locations: Sequence[str] = (),
    remove_addresses: Sequence[str] = (),
    remove_accounts: Sequence[str] = (),
    remove_relatives: Sequence[str] = (),
    clear_birth_date: bool = False,
    clear_guardian: bool = False,
    clear_address_program: bool = False,
    default_region: str = "US",
) -> Profile:
    """A copy of ``profile`` with values removed, then appended (de-duplicated).

    ``birth_date`` and ``guardian`` replace. Removing a value the profile does
    not hold is an error naming it. Whether the guardian profile exists is the
    store's business (see :meth:`ProfileStore.check_guardian`).
    """
    with about("locations"):
        new_locations = [normalize_free_text(v, "location") for v in locations]
        locs = _remove(
            profile.locations, remove_locations, "location", lambda v: normalize_free_text(v)
        )
        locs = _merge(locs, new_locations)
    with about("addresses"):
        new_addresses = [normalize_free_text(v, "address") for v in addresses]
        addrs = _remove(
            profile.addresses,
            remove_addresses,
            "address",
            lambda v: normalize_free_text(v, "address"),
        )
        addrs = _merge(addrs, new_addresses)
    regions = _regions(locs, addrs, default_region)

    def phone(v: str) -> str:
        return normalize_phone(v, regions)

    def updated(
        field: str,
        drop: Sequence[str],
        add: Sequence[str],
        normalise: Callable[[str], str],
        key: Callable[[str], str] = str.casefold,
    ) -> list[str]:
        with about(field):
            kept = _remove(getattr(profile, field), drop, field.removesuffix("s"), normalise, key)
            return _merge(kept, [normalise(v) for v in add], key=key)

    result = replace(
        profile,
        names=updated("names", remove_names, names, normalize_name),
        emails=updated("emails", remove_emails, emails, normalize_email),
        phones=updated("phones", remove_phones, phones, phone, key=str),
        usernames=updated("usernames", remove_usernames, usernames, normalize_username),
        locations=locs,
        addresses=addrs,
        accounts=updated("accounts", remove_accounts, accounts, normalize_account, key=str),
        relatives=updated("relatives", remove_relatives, relatives, normalize_name),
    )
    if clear_birth_date:
        result.birth_date = None
    if birth_date is not None:
        with about("birth_date"):
            born = birth_date if isinstance(birth_date, date) else parse_birth_date(birth_date)
        result.birth_date = born
    if clear_guardian:
        result.guardian = None
    if guardian is not None:
        with about("guardian"):
            gid = validate_id(guardian)
        if gid == result.id:
            raise UsageError(f"profile {result.id!r} cannot be its own guardian", field="guardian")
        result.guardian = gid
    if clear_address_program:
        result.address_program = None
    if address_program is not None:
        with about("address_program"):
            result.address_program = validate_id(address_program)
    return result


def revalidate(profile: Profile) -> Profile:
    """``profile`` as read from a (possibly hand-edited) file, checked by the CLI's rules.

    The same :func:`build_profile` the command line uses, so there is one copy
    of each rule; a bad value is a :class:`UsageError` naming its field.
    """
    return build_profile(
        profile.id,
        names=profile.names,
        emails=profile.emails,
        phones=profile.phones,
        usernames=profile.usernames,
        locations=profile.locations,
        addresses=profile.addresses,
        birth_date=profile.birth_date.isoformat() if profile.birth_date else None,
        accounts=profile.accounts,
        relatives=profile.relatives,
        guardian=profile.guardian,
        address_program=profile.address_program,
    )


# --------------------------------------------------------------------------- store

_LIST_FIELDS = (
    "names",
    "emails",
    "phones",
    "usernames",
    "locations",
    "addresses",
    "accounts",
    "relatives",
)


class ProfileStore:
    """Profiles on disk, one JSON file each, 0600 in a 0700 folder.

    A broken file is reported as a ``UsageError`` naming it, never a traceback:
    people edit these files by hand.
    """

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.dir = paths.profiles_dir

    def path(self, profile_id: str) -> Path:
        return self.dir / f"{validate_id(profile_id)}.json"

    def ids(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        return sorted(p.stem for p in self.dir.glob("*.json") if ID_RE.fullmatch(p.stem))

    def exists(self, profile_id: str) -> bool:
        return bool(ID_RE.fullmatch(profile_id)) and (self.dir / f"{profile_id}.json").is_file()

    def _unknown(self, profile_id: str) -> UsageError:
        known = self.ids()
        if not known:
            hint = "no profiles yet; add one with `exposure profile add NAME --name ...`"
        elif len(known) <= 10:
            hint = "known: " + ", ".join(known)
        else:
            hint = "see `exposure profile list`"
        return UsageError(f"unknown profile {_show(profile_id)} ({hint})")

    def get(self, profile_id: str) -> Profile:
        if not ID_RE.fullmatch(profile_id) or not self.exists(profile_id):
            raise self._unknown(profile_id)
        return self._load(self.dir / f"{profile_id}.json")

    def _load(self, path: Path) -> Profile:
        try:
            data = json.loads(vault.read_text(path, home=self.paths.data_dir))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"corrupted profile file {path}: {exc}") from None
        except RecursionError:
            raise UsageError(f"corrupted profile file {path}: nested too deeply") from None
        problem = self._shape_problem(data, path.stem)
        if problem:
            raise UsageError(f"corrupted profile file {path}: {problem}")
        try:
            stored = Profile.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"corrupted profile file {path}: {exc}") from None
        try:
            return revalidate(stored)
        except UsageError as exc:
            raise UsageError(
                f"profile file {path}: {exc.field or 'value'}: {exc}", field=exc.field
            ) from None

    @staticmethod
    def _shape_problem(data: object, stem: str) -> str:
        if not isinstance(data, dict):
            return "expected a JSON object"
        if data.get("id") != stem:
            return f"its id {data.get('id')!r} does not match the file name"
        for key in _LIST_FIELDS:
            value = data.get(key)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                return f"{key!r} must be a list of strings"
        for key in ("birth_date", "guardian"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                return f"{key!r} must be a string or null"
        return ""

    def all(self) -> list[Profile]:
        return [self.get(i) for i in self.ids()]

    def readable(self) -> tuple[list[Profile], list[ExposureError]]:
        """Every profile that loads, and one error (naming its file) per broken one.

        One hand-edited file gone wrong must not hide the others (``profile
        list``, ``scan --all``, the TUI's list).
        """
        good, broken = self.readable_by_id()
        return good, list(broken.values())

    def readable_by_id(self) -> tuple[list[Profile], dict[str, ExposureError]]:
        """:meth:`readable` with each broken file's error under its profile id."""
        good: list[Profile] = []
        broken: dict[str, ExposureError] = {}
        for pid in self.ids():
            try:
                good.append(self.get(pid))
            except ExposureError as exc:  # a bad file, or one sealed and damaged
                broken[pid] = exc
        return good, broken

    def save(self, profile: Profile) -> Path:
        path = self.path(profile.id)
        private_dir(self.paths.data_dir)
        private_dir(self.dir)
        text = json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) + "\n"
        vault.write_blob(path, text, home=self.paths.data_dir)
        return path

    def remove(self, profile_id: str) -> Path:
        if not self.exists(profile_id):
            raise self._unknown(profile_id)
        path = self.dir / f"{profile_id}.json"
        path.unlink()
        return path

    def check_guardian(self, profile: Profile) -> None:
        """A guardian must be another existing profile."""
        if profile.guardian is None:
            return
        if profile.guardian == profile.id:
            raise UsageError(f"profile {profile.id!r} cannot be its own guardian", field="guardian")
        if not self.exists(profile.guardian):
            raise UsageError(
                f"guardian profile {profile.guardian!r} does not exist; add it first "
                f"with `exposure profile add {profile.guardian} --name ...`",
                field="guardian",
            )

    def wards(self, guardian_id: str) -> list[str]:
        """Ids (sorted) of the profiles whose file names ``guardian_id`` as their guardian.

        A profile file that cannot be read (hand-edited wrong, or sealed and
        damaged) is skipped, not named: it may be a ward this list leaves out.
        A caller that must not miss one (``scan --guardian``) reads
        :meth:`readable_by_id` as well and names each broken file.
        """
        out = []
        for pid in self.ids():
            try:
                if self.get(pid).guardian == guardian_id:
                    out.append(pid)
            except ExposureError:  # a broken file, or a sealed one truncated or damaged
                continue
        return out
