"""What a scan would send where: each profile field, to which hosts (nothing is sent).

One plan, shown by every front end: ``exposure scan --dry-run`` prints it
(text or JSON) and the TUI shows it before a profile's first scan and from
the command palette. Checkers that may not run (a private field) are listed
with the reason, by the same rule the runner applies
(:func:`exposure.engine.scan.without_private`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.checkers.base import Checker
    from exposure.config import Config
    from exposure.engine.scan import ScanOptions
    from exposure.model import Profile


@dataclass(frozen=True)
class HostSends:
    """The profile values one checker would send to one host, as ``field=value``."""

    host: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class CheckerSends:
    checker: str
    hosts: tuple[HostSends, ...]


@dataclass(frozen=True)
class SendPlan:
    """One profile's plan: what each checker sends where, and which do not run (why)."""

    profile: str
    sends: tuple[CheckerSends, ...]
    not_run: dict[str, str]
    private_fields: tuple[str, ...]

    @property
    def host_count(self) -> int:
        return len({h.host for c in self.sends for h in c.hosts})

    def to_dict(self) -> dict[str, Any]:
        """The ``scan --dry-run --format json`` document."""
        return {
            "profile": self.profile,
            "sends": {c.checker: {h.host: list(h.values) for h in c.hosts} for c in self.sends},
            "not_run": dict(self.not_run),
            "private_fields": list(self.private_fields),
        }

    def lines(self) -> list[str]:
        """The ``scan --dry-run`` text: a heading, then :meth:`detail_lines`."""
        return [f"Dry run for {clean(self.profile)}: nothing is sent.", *self.detail_lines()]

    def detail_lines(self) -> list[str]:
        """Per checker, its hosts and what each gets; control characters cleaned (hosts
        come from catalogues, which may be hostile)."""
        out: list[str] = []
        for checker in self.sends:
            out.append(f"  {checker.checker}: {len(checker.hosts)} host(s)")
            for host in checker.hosts:
                out.append(f"    {clean(host.host)}  <-  {clean(', '.join(host.values))}")
        for checker_id, why in self.not_run.items():
            out.append(f"  {checker_id}: does not run: {why}")
        return out


def plan_sends(
    profile: Profile, checkers: Iterable[Checker], config: Config, options: ScanOptions
) -> SendPlan:
    """Ask each checker what it would send; open no connection."""
    from exposure.checkers.base import ScanContext
    from exposure.engine.scan import without_private
    from exposure.net.http import HttpClient, settings_from

    http = HttpClient(settings_from(config.http))  # only for planning: it sends nothing
    ctx = ScanContext(profile=profile, config=config, http=http, options=options.context_options())
    sends: list[CheckerSends] = []
    try:
        allowed, left_out = without_private(checkers, ctx)
        for checker in allowed:
            hosts: dict[str, set[str]] = {}
            for t in checker.transmissions(ctx):
                hosts.setdefault(t.host, set()).add(f"{t.field}={t.value}")
            sends.append(
                CheckerSends(
                    checker.id,
                    tuple(HostSends(h, tuple(sorted(v))) for h, v in sorted(hosts.items())),
                )
            )
    finally:
        http.close()
    return SendPlan(
        profile=profile.id,
        sends=tuple(sends),
        not_run=left_out,
        private_fields=tuple(sorted(config.private_fields)),
    )
