"""A locked home: the TUI asks for the passphrase first, in a small box."""

from __future__ import annotations

from pathlib import Path

import pytest
from lockkit import run
from textual.widgets import Input, Static

from exposure.engine import vault
from exposure.tui import app as app_mod
from exposure.tui.unlock import UnlockApp

PASS = "correct horse battery"


@pytest.fixture
def locked(exposure_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))
    assert run("profile", "add", "jane", "--name", "Jane Doe")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    vault.forget_keys()
    return exposure_home


async def test_wrong_then_right_passphrase(locked: Path) -> None:
    app = UnlockApp(locked)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#passphrase", Input)
        assert box.password  # never echoed
        box.value = "not it"
        await pilot.press("enter")
        await pilot.pause()
        assert "wrong passphrase" in str(app.query_one("#unlock-error", Static).render()).lower()
        assert box.value == "" and app.is_running
        assert vault.opened(locked) is None
        box.value = PASS
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value is True
    assert vault.opened(locked) is not None


async def test_escape_leaves_without_opening(locked: Path) -> None:
    app = UnlockApp(locked)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is False
    assert vault.opened(locked) is None


def test_run_app_asks_first_and_opens_nothing_when_left(
    locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Path] = []

    def left(self: UnlockApp) -> bool:
        asked.append(self.home)
        return False

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the main app must not be built without the key")

    monkeypatch.setattr(UnlockApp, "run", left)
    monkeypatch.setattr(app_mod, "ExposureApp", never)
    assert app_mod.run_app() == 0
    assert asked == [locked]


def test_run_app_does_not_ask_when_the_key_is_at_hand(
    locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", PASS)
    assert app_mod._unlocked(locked) is True  # noqa: SLF001


async def test_quick_exit_works_on_the_passphrase_screen(
    locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exposure.tui import quick_exit

    ended: list[int] = []
    monkeypatch.setattr(quick_exit, "end_process", ended.append)
    app = UnlockApp(locked)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(quick_exit.KEY)
        await pilot.pause()
    assert ended == [0]
