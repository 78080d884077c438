"""What to do about a finding: one typed remedy per kind of finding."""

from __future__ import annotations

import msgspec


class BrokerOptOut(msgspec.Struct, frozen=True, tag="opt_out"):
    """Remedy for a people-search listing: ask the broker to remove it, this way.

    The facts are those of the catalogue the scan used, so the checklist can
    give the steps even when the scan used a one-off ``--brokers`` file.
    """

    broker_id: str
    broker_name: str
    url: str = ""  # the opt-out page (or the site when it has none)
    method: str = "web-form"  # empty: the steps are not known
    requires: tuple[str, ...] = ()
    days: int | None = None
    notes: str = ""
    email: str = ""
    relists: bool = False


class AccountAction(msgspec.Struct, frozen=True, tag="account"):
    """Remedy for an account: delete or lock down one's own, report an impostor's."""

    site: str
    username: str = ""
    category: str = ""  # the site catalogue's category (gaming, social...)
    variant: bool = False  # the username was made from the person's names (scan --variants)


class ChangePassword(msgspec.Struct, frozen=True, tag="breach"):
    """Remedy for a breach: change that password and where it was reused."""

    breach: str
    title: str = ""
    date: str = ""
    domain: str = ""
    email: str = ""
    data_classes: tuple[str, ...] = ()

    @property
    def leaked_passwords(self) -> bool:
        return any("password" in c.lower() for c in self.data_classes)


class ReplacePassword(msgspec.Struct, frozen=True, tag="password"):
    """Remedy for a password seen in breach lists (``breached``) or a weak one.

    ``seen`` is how often, as stored: exact below 100, else "at least 10,000".
    """

    breached: bool = False
    seen: str = ""


class AskToRemove(msgspec.Struct, frozen=True, tag="source"):
    """Remedy for details on another source: ask it (or change them there).

    ``advice`` names the text in advice.toml's ``[source]`` table that says
    what the source is (``search_result``, ``public_key``, ``profile``,
    ``rdap``...); empty means "by the finding's kind".
    """

    where: str
    advice: str = ""


Remedy = BrokerOptOut | AccountAction | ChangePassword | ReplacePassword | AskToRemove
