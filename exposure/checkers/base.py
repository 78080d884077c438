"""The checker plug-in API.

A checker looks for the person in one kind of public source. It splits its
work into :class:`Task`s (one per site, broker, API call...) so the scan
runner can run them concurrently, report progress per source and stop between
them when cancelled. Each task returns a :class:`TaskResult`: the checks it
made and the findings it produced.

Checkers are registered through the ``exposure.checkers`` entry-point group,
built-in ones included. One that fails to import is reported and skipped.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar

from exposure.config import HttpUrl
from exposure.errors import CheckerInputError as CheckerInputError  # re-exported for plug-ins
from exposure.model import Check, Finding, Profile
from exposure.model.profile import sendable_profile, withheld_fields

if TYPE_CHECKING:
    from exposure.config import Config
    from exposure.net.http import HttpClient

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "exposure.checkers"


@dataclass(frozen=True)
class Transmission:
    """One profile field a checker would send to one host (for ``scan --dry-run``)."""

    field: str  # e.g. "username", "email"
    value: str
    host: str


@dataclass
class TaskResult:
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Task:
    """One unit of a checker's work: usually one request to one source."""

    checker: str
    source: str
    run: Callable[[], TaskResult]
    host: str | None = None  # where it sends its request, when known: the pool sizes on it


@dataclass
class ScanContext:
    """Everything a checker may use while it runs.

    The private-field rule lives here, once, for every checker: a context is
    built with the whole profile, and ``profile`` becomes a copy with every
    field config marks private (``private_fields``) emptied. That copy is what
    a checker may put in a request; it never sees the private values, so it
    cannot send them and need not check config for them.

    ``match_profile`` is the profile as given, private fields included. It is
    never sent: it is for comparing what a source shows against the person on
    this machine (a broker record listing her private phone is recognised by
    it). Nothing that builds a URL or a request may read it.

    ``withheld`` names the private fields the profile does hold, so a checker
    can say a search was not made because the field is private rather than
    missing; it decides nothing, the values are gone from ``profile``.

    Build a new context rather than ``dataclasses.replace`` one: a copy would
    take the emptied profile as the whole one.
    """

    profile: Profile
    config: Config
    http: HttpClient
    cancel: threading.Event = field(default_factory=threading.Event)
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"sites_file": Path}
    # Never sent: for comparing on this machine only (see above).
    match_profile: Profile = field(init=False, repr=False)
    withheld: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        private = self.config.private_fields
        self.match_profile = self.profile
        self.withheld = withheld_fields(self.profile, private)
        self.profile = sendable_profile(self.profile, private)

    def checker_config(self, checker_id: str) -> dict[str, Any]:
        return self.config.checker(checker_id)


class Checker(ABC):
    """Base class of every checker. Subclasses set the three class attributes.

    Every built-in checker is *passive*: it reads public pages and asks public
    APIs, and nothing it does notifies the person looked up or anyone else.
    A checker that might (a password-reset or sign-up probe, anything that makes
    a site send a mail or a text) sets ``noisy = True``: it never runs unless it
    is named (``scan --only NAME``).
    """

    id: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    # What its requests are, in one plain sentence: whom it asks, and that (for a
    # passive checker) nobody is notified. Shown by ``sources list`` and in the README.
    lookup: ClassVar[str] = ""
    noisy: ClassVar[bool] = False
    # What its ``[checkers.<id>]`` config section may hold: a dataclass whose fields
    # (names, types, ranges) config.load checks. None: the checker takes no options.
    options: ClassVar[type | None] = None

    @abstractmethod
    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        """Which profile fields this checker would send to which hosts."""

    @abstractmethod
    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        """The work to do for ``ctx.profile``. May raise :class:`CheckerInputError`."""


@dataclass
class ApiOptions:
    """``[checkers.<id>]`` of a checker that asks one API: where the API lives."""

    base_url: HttpUrl = ""


@dataclass
class Registry:
    checkers: dict[str, type[Checker]]
    broken: dict[str, str]  # entry-point name -> one-line reason

    def select(self, only: Iterable[str] | None, disabled: Iterable[str] = ()) -> list[Checker]:
        """Instantiate the chosen checkers; unknown names raise KeyError.

        Without ``only``, every checker that is neither disabled nor noisy: a
        noisy one runs only when named.
        """
        off = set(disabled)
        names = (
            list(only)
            if only
            else [n for n, c in self.checkers.items() if n not in off and not c.noisy]
        )
        unknown = [n for n in names if n not in self.checkers]
        if unknown:
            raise KeyError(", ".join(unknown))
        return [self.checkers[n]() for n in names]


def checker_names() -> list[str]:
    """The names registered under the entry-point group (nothing is imported)."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def load_registry(names: Iterable[str] | None = None) -> Registry:
    """Load the checkers registered under the entry-point group.

    With ``names``, only those entry points are imported: ``scan --only
    sites`` need not pay for the parsers and matchers other checkers import.
    """
    wanted = set(names) if names is not None else None
    checkers: dict[str, type[Checker]] = {}
    broken: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if wanted is not None and ep.name not in wanted:
            continue
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Checker)):
                raise TypeError(f"{ep.value} is not a Checker subclass")
        except Exception as exc:  # a broken plug-in must never stop a scan
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            log.warning("checker %s failed to load and is skipped: %s", ep.name, reason)
            broken[ep.name] = reason
            continue
        checkers[cls.id] = cls
    return Registry(checkers=dict(sorted(checkers.items())), broken=broken)
