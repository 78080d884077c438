"""Every command the checklist and advice show runs as shown (issue 13 item 14).

The checklist of a profile with every kind of item (people-search records,
sites checked by hand, an impostor, a common username's group, breaches,
passwords, search results, key servers, a child's items) is built through the
real Store; every ``exposure ...`` command in its titles and steps is split
as a shell would split it and parsed by the real argument parser. A command
that takes ``--profile`` must name the profile; none may keep a placeholder.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import replace
from pathlib import Path

import pytest
from test_checklist import ADDRESS_RECORD, CATALOGUE, broker, broker_check, items, record, scan
from test_checklist_groups import BREACH, account

from exposure.catalogues.brokers import BrokerCatalogue
from exposure.cli import build_parser
from exposure.engine.advice import load_advice
from exposure.engine.shown_commands import SAVED_FILE
from exposure.engine.store import Store
from exposure.model import Check, FindingKind, Outcome, Profile

PROFILE = Profile(
    id="jane-2", names=["Jane Doe"], emails=["jane@example.test"], locations=["Los Angeles, CA"]
)
CHILD = Profile(id="sam-kid", names=["Sam Doe"], guardian="jane-2")
# Two sites of one network: one request to the parent covers both.
BROKERS = BrokerCatalogue(
    brokers=[
        *CATALOGUE.brokers,
        replace(broker("netone"), network="netone"),
        replace(broker("nettwo"), network="netone"),
    ]
)
# A command is a backtick span, or what follows "then:" up to the end of the step.
_SHOWN = re.compile(r"`(exposure [^`]+)`|then: (exposure [^\n`]+)")
_PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z_]+|\.\.\.|<[^>]*>|\{[^}]*\})$")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as s:
        yield s


def everything(store: Store, profile: str) -> None:
    found = [
        ADDRESS_RECORD,
        record(
            FindingKind.PERSON_RECORD,
            "brokers",
            "netone",
            "n1",
            exposes=["phone"],
            broker_id="netone",
        ),  # fmt: skip
        BREACH,
        *(account(n, username="jane doe") for n in range(30)),
        record(
            FindingKind.ACCOUNT,
            "sites",
            "Hacker News",
            "hn:jd",
            own=False,
            site="Hacker News",
            username="jd",
        ),  # fmt: skip
        record(
            FindingKind.ACCOUNT, "sites", "Chirper", "c:jd", own=True, site="Chirper", username="jd"
        ),  # fmt: skip
        record(FindingKind.PASSWORD, "pwned_passwords", "Pwned Passwords", "p1", count=52),
        record(FindingKind.SEARCH_RESULT, "search", "SearXNG", "s1", domain="forum.test"),
        record(FindingKind.PUBLIC_KEY, "pgp", "keys.openpgp.org", "k1", email="jane@x.test"),
        record(FindingKind.PROFILE, "gravatar", "Gravatar", "g1", email="jane@x.test"),
    ]
    checks = [
        broker_check("walled", Outcome.BLOCKED, url="https://walled.example.test/s", detail="CF"),
        broker_check("nosearch", Outcome.SKIPPED, detail="no public search"),
        Check("sites", "Walled Site", Outcome.BLOCKED, url="https://walledsite.test/u/jd"),
        Check("rdap", "rdap.test", Outcome.ERROR, detail="timed out"),
    ]
    scan(store, found, checks, profile=profile)


def shown_texts(store: Store) -> list[str]:
    texts = []
    for profile in (PROFILE, CHILD):
        everything(store, profile.id)
        for item in items(store, profile, brokers=BROKERS).values():
            for each in item.walk():
                texts += [each.title, *each.steps]
    return texts


def shown_commands(texts: list[str]) -> list[str]:
    return sorted({m.group(1) or m.group(2) for t in texts for m in _SHOWN.finditer(t)})


class _Refused(Exception):
    pass


def parse(command: str) -> argparse.Namespace:
    parser = build_parser()

    def refuse(message: str) -> None:
        raise _Refused(message)

    for each in [parser, *_subparsers(parser)]:
        each.error = refuse  # type: ignore[method-assign]
    argv = shlex.split(command)
    assert argv[0] == "exposure"
    return parser.parse_args(argv[1:])


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out += [sub, *_subparsers(sub)]
    return out


def test_the_checklist_shows_commands_of_every_kind(store: Store) -> None:
    # The test below must have something to check: one command of each kind at least.
    commands = shown_commands(shown_texts(store))
    shown_kinds = {" ".join(shlex.split(c)[1:3]) for c in commands}
    assert {
        "checklist done",
        "checklist mine",
        "checklist not-mine",
        "checklist --profile",
        "profile edit",
        "request sent",
        "request draft",
        "assist --profile",
        "import --profile",
        "schedule install",
        "evidence export",
        "tui --profile",
    } <= shown_kinds, shown_kinds


def test_every_shown_command_parses_names_the_profile_and_has_no_placeholder(
    store: Store,
) -> None:
    problems = []
    for command in shown_commands(shown_texts(store)):
        try:
            args = parse(command)
        except _Refused as exc:
            problems.append(f"{command!r}: {exc}")
            continue
        words = shlex.split(command)
        if words[1] == "import" and words[-1] == SAVED_FILE:
            words.pop()  # the page the person saved: only they know its name
        left = [w for w in words if _PLACEHOLDER.match(w)]
        if left:
            problems.append(f"{command!r}: placeholder {left}")
        if "profile" in vars(args) and args.profile not in (PROFILE.id, CHILD.id):
            problems.append(f"{command!r}: no --profile (got {args.profile!r})")
    assert not problems, "\n".join(problems)


def test_advice_commands_parse_too() -> None:
    advice = load_advice()
    texts = [str(step) for item in advice.baseline() for step in item.get("steps", [])]
    problems = []
    for command in shown_commands(texts):
        try:
            parse(command)
        except _Refused as exc:
            problems.append(f"{command!r}: {exc}")
    assert not problems, "\n".join(problems)
