"""The checklist screen carries removal to the end: countdowns, overdue, draft, copy, mail, sent.

And the common-username checklist: groups, search and filter, one verdict for
a folded accounts item. The app's clock is fixed (tui_data.NOW, 9 March
2026): every countdown is counted from it, never from the wall clock.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Input, OptionList, Static
from tui_data import NOW, Clock, add_profile, finding

from exposure import paths
from exposure.engine.request_log import RequestLog
from exposure.engine.requests import Via
from exposure.engine.store import Store
from exposure.model import AccountAction, Check, Finding, FindingKind, Outcome, RequestKind, Whose
from exposure.people.profile import ProfileStore
from exposure.tui.screens.checklist import ChecklistScreen
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.request import RequestScreen

SIZE = (120, 35)
HOSTILE = "Evil[/bold][link=javascript:alert(1)]Broker\u202ekcab\x1b[31m"


def account(n: int) -> Finding:
    site = f"Site{n:02d}"
    return Finding(
        checker="sites",
        source=site,
        kind=FindingKind.ACCOUNT,
        key=f"{site.lower()}:janedoe",
        url=f"https://{site.lower()}.example/janedoe",
        confidence=0.7,
        title=f"{site} account 'janedoe'",
        reasons=["an account under your username"],
        whose=Whose.UNKNOWN,
        remedy=AccountAction(site=site, username="janedoe"),
    )


def seed_requests(clock: Clock, *, accounts: int = 0) -> None:
    """Jane in Leeds (UK GDPR: one month to answer), listed at MyLife (with a privacy
    address, not asked yet), Records4U (asked on 1 March), PeopleFinderz (asked on
    20 January: overdue by NOW) and a broker with a hostile name."""
    add_profile("jane", locations=["Leeds, West Yorkshire, UK"])
    where = paths.current()
    found = [
        finding("mylife", FindingKind.PERSON_RECORD, 0.93, "Jane Q Doe, Leeds",
                matched={"name": "Jane Q Doe", "exposes": ["home_address"]}),
        finding("PeopleFinderz", FindingKind.PERSON_RECORD, 0.9, "Jane Q Doe, 43",
                matched={"name": "Jane Q Doe", "exposes": ["phone"]}),
        finding("Records4U", FindingKind.PERSON_RECORD, 0.9, "J. Doe, phone match",
                matched={"name": "Jane Q Doe", "exposes": ["phone"]}),
        finding(HOSTILE, FindingKind.PERSON_RECORD, 0.9, "Jane Doe", url="https://evil.example/1",
                matched={"name": "Jane Doe", "exposes": ["age"]}),
        *(account(n) for n in range(accounts)),
    ]  # fmt: skip
    with Store(where.database, where.evidence_dir) as store:
        scan = store.begin_scan("jane", ["brokers", "sites"])
        for f in found:
            store.record_check(scan.scan_id, Check(f.checker, f.source, Outcome.FOUND))
            store.record_finding(scan.scan_id, "jane", f)
        store.finish_scan(scan)
        log = RequestLog(store)
        for item_id, day in (("broker:Records4U", date(2026, 3, 1)),
                             ("broker:PeopleFinderz", date(2026, 1, 20))):  # fmt: skip
            log.mark_sent(
                "jane", item_id, via=Via.EMAIL, on=day, kind=RequestKind.REQUEST, jurisdiction="gb"
            )
    clock.moment = NOW


def prompt(screen: ChecklistScreen, item_id: str) -> str:
    return str(screen.query_one(OptionList).get_option(item_id).prompt)


def listed(screen: ChecklistScreen) -> list[str]:
    options = screen.query_one(OptionList)
    return [o.id for o in options.options if o.id]


async def open_checklist(pilot, item_id: str | None = None) -> ChecklistScreen:  # noqa: ANN001
    await pilot.press("c")
    screen = pilot.app.screen
    assert isinstance(screen, ChecklistScreen)
    if item_id is not None:
        options = screen.query_one(OptionList)
        options.highlighted = options.get_option_index(item_id)
        await pilot.pause()
    return screen


def plain(widget: Static) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def test_countdowns_count_from_the_app_clock_and_overdue_shows_at_a_glance(
    make_app, clock: Clock
) -> None:
    seed_requests(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot)
        # sent 1 March under UK GDPR (one month): due 1 April, 23 days after 9 March
        assert "23 days left" in prompt(screen, "broker:Records4U")
        # sent 20 January: due 20 February, 17 days before 9 March, still listed
        assert "OVERDUE by 17 days" in prompt(screen, "broker:PeopleFinderz")
        summary = plain(screen.query_one("#checklist-summary", Static))
        assert "1 OVERDUE" in summary
        await pilot.press("w", "w")  # everything -> to do -> overdue
        assert listed(screen) == ["broker:PeopleFinderz"]
        assert "showing 1" in plain(screen.query_one("#checklist-summary", Static))
        detail = plain(screen.query_one("#checklist-detail-text", Static))
        assert "overdue, sent 2026-01-20 by email" in detail and "next: reminder" in detail
        await pilot.press("w")
        assert "broker:Records4U" in listed(screen)


async def test_draft_copy_open_the_mailto_and_mark_sent(make_app, clock: Clock) -> None:
    seed_requests(clock)
    opened: list[str] = []
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot, "broker:mylife")
        screen.mail_opener = lambda url: opened.append(url) or True
        await pilot.press("d")
        modal = app.screen
        assert isinstance(modal, RequestScreen)
        letter = plain(modal.query_one("#request-letter", Static))
        assert "To: MyLife <privacy@mylife.com>" in letter
        assert "Subject: Request to delete my personal information" in letter
        assert "mailto: mailto:privacy@mylife.com?subject=" in letter
        await pilot.press("k")
        assert app.clipboard.startswith("To: MyLife <privacy@mylife.com>\nSubject: Request to")
        assert opened == []  # nothing opens until o is pressed
        await pilot.press("o")
        assert len(opened) == 1 and opened[0] == modal.draft.mailto
        assert "\n" not in opened[0] and "%0D%0A" in opened[0]

        async def sent_on(day: str) -> str:
            box = modal.query_one("#request-on", Input)
            box.value = day
            await pilot.press("ctrl+s")
            return plain(modal.query_one("#request-message", Static))

        # the day defaults to today by the app's clock, not the wall clock's
        assert modal.query_one("#request-on", Input).value == "2026-03-09"
        assert "in the future (today is 2026-03-09)" in await sent_on("2026-03-10")
        assert "before the listing was first seen (2026-03-01)" in await sent_on("2026-02-28")
        assert "YYYY-MM-DD" in await sent_on("9 March")
        assert app.screen is modal  # refused: still open, nothing recorded
        with Store.open_current() as store:
            [kept] = RequestLog(store).records("jane", "broker:mylife")
        assert kept.sent_on is None and kept.kind is RequestKind.REQUEST  # the draft is kept
        modal.query_one("#request-on", Input).value = "2026-03-09"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        with Store.open_current() as store:
            [sent] = RequestLog(store).records("jane", "broker:mylife")
        assert sent.sent_on == date(2026, 3, 9) and sent.via == "email"
        assert "31 days left" in prompt(screen, "broker:mylife")  # due 9 April


async def test_a_hostile_broker_name_is_inert_and_without_an_address_nothing_opens(
    make_app, clock: Clock
) -> None:
    seed_requests(clock)
    opened: list[str] = []
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot)
        [hostile] = [i for i in listed(screen) if i.startswith("broker:Evil")]
        options = screen.query_one(OptionList)
        options.highlighted = options.get_option_index(hostile)
        await pilot.pause()
        screen.mail_opener = lambda url: opened.append(url) or True
        await pilot.press("d")
        modal = app.screen
        assert isinstance(modal, RequestScreen)
        title = plain(modal.query_one("#request-title", Static))
        letter = plain(modal.query_one("#request-letter", Static))
        for text in (title, letter):
            assert "[link=javascript:alert(1)]" in text  # shown as text, not markup
            assert "\u202e" not in text and "\x1b" not in text
        assert "No privacy email in our catalogue" in letter
        await pilot.press("o")
        assert opened == []
        assert "No privacy email" in plain(modal.query_one("#request-message", Static))
        await pilot.press("escape")
        assert app.screen is screen


async def test_search_and_groups_with_a_folded_common_username(make_app, clock: Clock) -> None:
    seed_requests(clock, accounts=6)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot)
        options = screen.query_one(OptionList)
        headings = [str(o.prompt) for o in options.options if o.disabled]
        assert headings[0].startswith("Your home address and phone")
        assert headings.index("Accounts — 1 to do") > 0
        assert "accounts:janedoe" in listed(screen)
        assert not [i for i in listed(screen) if i.startswith("impostor:")]
        await pilot.press("slash")
        box = screen.query_one("#checklist-search", Input)
        assert box.has_focus
        box.value = "site03"  # a member's site: the folded item holding it is found
        await pilot.pause()
        assert listed(screen) == ["accounts:janedoe"]
        box.value = "peoplefinderz"
        await pilot.pause()
        assert listed(screen) == ["broker:PeopleFinderz"]
        box.value = "no such thing"
        await pilot.pause()
        assert listed(screen) == []
        box.value = ""
        await pilot.press("enter")
        assert options.has_focus and len(listed(screen)) > 3


async def test_not_mine_for_every_account_of_the_folded_item_asks_first(
    make_app, clock: Clock
) -> None:
    seed_requests(clock, accounts=6)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot, "accounts:janedoe")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: nothing changes
        with Store.open_current() as store:
            assert store.verdicts("jane") == {}
        await pilot.press("x")
        await pilot.press("y")
        assert app.screen is screen
        with Store.open_current() as store:
            verdicts = store.verdicts("jane")
        assert len(verdicts) == 6 and set(verdicts.values()) == {"not_me"}
        assert "accounts:janedoe" not in listed(screen)
        options = screen.query_one(OptionList)
        options.highlighted = options.get_option_index("broker:mylife")
        await pilot.press("m")  # not an account item: refused, nothing recorded
        with Store.open_current() as store:
            assert len(store.verdicts("jane")) == 6


async def test_all_mine_and_reported_for_the_folded_item(make_app, clock: Clock) -> None:
    seed_requests(clock, accounts=6)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot, "accounts:janedoe")
        await pilot.press("space")  # reported: the item and every account in it
        with Store.open_current() as store:
            state = store.checklist_state("jane")
        done = [k for k, (status, _) in state.items() if status == "done"]
        assert "accounts:janedoe" in done and len([k for k in done if "impostor:" in k]) == 6
        assert "(done)" in prompt(screen, "accounts:janedoe")
        await pilot.press("m")  # all mine: no question, they become her own accounts
        assert not isinstance(app.screen, ConfirmScreen)
        with Store.open_current() as store:
            assert set(store.verdicts("jane").values()) == {"me"}
        assert "accounts:janedoe" not in listed(screen)
        assert len([i for i in listed(screen) if i.startswith("account:")]) == 6


async def test_drop_is_marked_sent_from_the_tui_without_a_letter(make_app, clock: Clock) -> None:
    """California's DROP is asked on the state's site: d shows how, o opens the site
    (through the injected opener), Ctrl+S records it; before DROP opened is refused."""
    add_profile("jane", locations=["Oakland, CA"])
    clock.moment = NOW
    opened: list[str] = []
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot, "drop:california")
        screen.mail_opener = lambda url: opened.append(url) or True
        await pilot.press("d")
        modal = app.screen
        assert isinstance(modal, RequestScreen) and modal.draft is None
        assert "Made on the site itself" in plain(modal.query_one("#request-letter", Static))
        await pilot.press("k")
        assert "Nothing to copy" in plain(modal.query_one("#request-message", Static))
        await pilot.press("o")
        assert opened == [screen.current().url] and opened[0].startswith("https://")
        modal.query_one("#request-on", Input).value = "2025-12-31"
        await pilot.press("ctrl+s")
        assert "before 2026-01-01" in plain(modal.query_one("#request-message", Static))
        modal.query_one("#request-on", Input).value = "2026-03-09"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        with Store.open_current() as store:
            [sent] = RequestLog(store).records("jane", "drop:california")
        assert sent.sent_on == date(2026, 3, 9) and sent.via == "form"
        # brokers must process DROP every 45 days from 1 August 2026: due 15 September
        assert "190 days left" in prompt(screen, "drop:california")


async def test_one_account_is_added_to_the_profile_with_a_key_not_a_command(
    make_app, clock: Clock
) -> None:
    """Issue 13 item 14: the TUI offers "add this account to my profile" as a key."""
    seed_requests(clock, accounts=1)
    item_id = next(i for i in checklist_ids() if i.startswith("impostor:"))
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(pilot, item_id)
        detail = plain(screen.query_one("#checklist-detail-text", Static))
        assert "press m (add this account to my profile)" in detail
        assert "exposure profile edit" not in detail  # no command to type
        await pilot.press("m")
        await pilot.pause()
    profile = ProfileStore(paths.current()).get("jane")
    assert profile.accounts == ["https://site00.example/janedoe"]
    with Store.open_current() as store:
        assert set(store.verdicts("jane").values()) == {"me"}


def checklist_ids() -> list[str]:
    from exposure.engine.checklist import checklist

    profile = ProfileStore(paths.current()).get("jane")
    with Store.open_current() as store:
        return [i.id for i in checklist(store, profile, persist=False)]
