"""Black out the person's own details in a copy of the case file that will be shared.

``--redact home_address,phone`` names profile fields; every piece of text
that goes into the case file passes through :meth:`Redactor.apply`, which
replaces each occurrence of those values (in the usual ways of writing them)
with a black bar. Phone numbers match however they are spaced or punctuated,
with the country code or the national trunk 0; an address matches whole and
by each of its comma-separated parts that holds a digit (street line,
postcode), so "1 High St" goes even where the town stays.

Pictures cannot be blacked out this way: a redacted export leaves out the
screenshots and the raw captures (their hashes are still listed), and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from exposure.errors import UsageError
from exposure.model import Profile

BAR = "█" * 8
FIELDS = ("home_address", "phone", "email", "name", "username", "birth_date")


class RedactError(UsageError):
    """An unknown field name in ``--redact`` (exit 2)."""


def parse_fields(text: str | None) -> tuple[str, ...]:
    """``"home_address,phone"`` -> ("home_address", "phone"); unknown names are an error."""
    if not text:
        return ()
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise RedactError(
            f"--redact: unknown field {unknown[0]!r} (choose from {', '.join(FIELDS)})"
        )
    return names


def _flexible(text: str) -> str:
    """A pattern for ``text`` that allows any run of spaces where it has one."""
    return r"\s+".join(re.escape(part) for part in text.split())


def _phone_patterns(phone: str) -> list[str]:
    import phonenumbers

    digits = re.sub(r"\D", "", phone)
    sep = r"[\s().\-/]*"
    out = []
    try:
        parsed = phonenumbers.parse(phone if phone.startswith("+") else "+" + digits)
        national = str(parsed.national_number)
        country = str(parsed.country_code)
    except phonenumbers.NumberParseException:
        national, country = digits, ""
    if len(national) >= 5:
        body = sep.join(re.escape(d) for d in national)
        prefix = rf"(?:\+?{country}{sep}(?:\(0\){sep})?|\(?0{sep})?" if country else ""
        out.append(rf"(?<!\d){prefix}{body}(?!\d)")
    return out


def _address_patterns(address: str) -> list[str]:
    """The whole address, each comma part with a digit in it, and postcode-like runs."""
    out = [_flexible(address)] if address.strip() else []
    for part in address.split(","):
        if not re.search(r"\d", part):
            continue
        out.append(_flexible(part))
        run: list[str] = []
        for token in [*part.split(), ""]:
            if token and re.search(r"\d", token):
                run.append(token)
                continue
            if len(run) >= 2 or (len(run) == 1 and len(run[0]) >= 5):
                out.append(rf"(?<!\w){_flexible(' '.join(run))}(?!\w)")
            run = []
    return out


def _date_patterns(day: object) -> list[str]:
    if not isinstance(day, date):
        return []
    d, m, y = day.day, day.month, day.year
    month = day.strftime("%B")
    return [
        re.escape(day.isoformat()),
        rf"(?<!\d)0?{d}[/.\-]0?{m}[/.\-]{y}(?!\d)",
        rf"(?<!\d)0?{m}[/.\-]0?{d}[/.\-]{y}(?!\d)",
        rf"(?<!\d){d}(?:st|nd|rd|th)?\s+{month}\s+{y}",
        rf"{month}\s+{d}(?:st|nd|rd|th)?,?\s+{y}",
    ]


@dataclass(frozen=True)
class Redactor:
    fields: tuple[str, ...]
    pattern: re.Pattern[str] | None

    @classmethod
    def for_profile(cls, profile: Profile, fields: Iterable[str]) -> Redactor:
        chosen = tuple(fields)
        parts: list[str] = []
        for name in chosen:
            if name == "home_address":
                for address in profile.addresses:
                    parts += _address_patterns(address)
            elif name == "phone":
                for phone in profile.phones:
                    parts += _phone_patterns(phone)
            elif name == "email":
                parts += [re.escape(e) for e in profile.emails]
            elif name == "name":
                parts += [_flexible(n) for n in profile.names if n.strip()]
            elif name == "username":
                parts += [rf"@?{re.escape(u.lstrip('@'))}\b" for u in profile.usernames]
            elif name == "birth_date":
                parts += _date_patterns(profile.birth_date)
        parts = [p for p in parts if p]
        # longest first, so a whole address goes before its parts
        parts.sort(key=len, reverse=True)
        pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        return cls(chosen, pattern)

    @property
    def active(self) -> bool:
        return bool(self.fields)

    def apply(self, text: object) -> str:
        value = "" if text is None else str(text)
        if self.pattern is None:
            return value
        return self.pattern.sub(BAR, value)


NO_REDACTION = Redactor((), None)
