"""Who the person is (plain data; exposure.people validates and stores it)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

# The profile fields config's ``private_fields`` may name (config.PROFILE_FIELDS)
# and the Profile attribute holding each.
FIELD_ATTRIBUTES = {
    "name": "names",
    "email": "emails",
    "phone": "phones",
    "username": "usernames",
    "location": "locations",
    "address": "addresses",
    "birth_date": "birth_date",
}


@dataclass
class Profile:
    """Who the person is. ``names[0]`` is the primary name, the rest aliases."""

    id: str
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    usernames: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    birth_date: date | None = None
    accounts: list[str] = field(default_factory=list)  # URLs known to be the person's own
    # Relatives the person names: people-search pages list relatives, and a
    # record naming one of them is strong evidence it is hers.
    relatives: list[str] = field(default_factory=list)
    guardian: str | None = None  # profile id of the guardian when this is a child
    # An address-confidentiality program the person is enrolled in (an id from
    # data/requests.toml's [[address_program]], e.g. "ca-safe-at-home").
    address_program: str | None = None

    @property
    def primary_name(self) -> str:
        return self.names[0] if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "names": list(self.names),
            "emails": list(self.emails),
            "phones": list(self.phones),
            "usernames": list(self.usernames),
            "locations": list(self.locations),
            "addresses": list(self.addresses),
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "accounts": list(self.accounts),
            "relatives": list(self.relatives),
            "guardian": self.guardian,
            "address_program": self.address_program,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        birth = data.get("birth_date")
        return cls(
            id=str(data["id"]),
            names=list(data.get("names") or []),
            emails=list(data.get("emails") or []),
            phones=list(data.get("phones") or []),
            usernames=list(data.get("usernames") or []),
            locations=list(data.get("locations") or []),
            addresses=list(data.get("addresses") or []),
            birth_date=date.fromisoformat(birth) if birth else None,
            accounts=list(data.get("accounts") or []),
            relatives=list(data.get("relatives") or []),
            guardian=data.get("guardian"),
            address_program=data.get("address_program") or None,
        )


def sendable_profile(profile: Profile, private_fields: Collection[str]) -> Profile:
    """A copy of ``profile`` with every field in ``private_fields`` emptied: what a
    checker may put in a request (the scan runner gives checkers this one)."""
    emptied: dict[str, Any] = {
        FIELD_ATTRIBUTES[f]: None if f == "birth_date" else []
        for f in private_fields
        if f in FIELD_ATTRIBUTES
    }
    return replace(profile, **emptied)


def withheld_fields(profile: Profile, private_fields: Collection[str]) -> frozenset[str]:
    """The fields in ``private_fields`` that ``profile`` holds a value for."""
    return frozenset(
        f for f in private_fields if f in FIELD_ATTRIBUTES and getattr(profile, FIELD_ATTRIBUTES[f])
    )
