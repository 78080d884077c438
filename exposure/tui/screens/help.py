"""Help (? or F1): what this screen is for, and every key it and the app answer to."""

from __future__ import annotations

import inspect

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

ABOUT = (
    "exposure searches public sources for the person a profile describes, keeps dated "
    "evidence of what it finds, and turns it into a checklist. Audit yourself, or a child "
    "in your care. Nobody else.\n"
    "A source that blocked us is 'blocked', never 'absent': check it by hand.\n"
    "Ctrl+P opens the command palette: every screen is reachable by name.\n"
    "Quick exit: Ctrl+\\ on any screen clears the terminal and closes at once, "
    "stopping any scan.\n"
    "Every check is a passive lookup of public pages and APIs: nobody is notified."
)

SAFETY = (
    "Staying safe: if you think this device is watched (stalkerware, a shared account, "
    "someone who knows your passwords), use a device they have never had access to. "
    "An advocate for domestic violence or stalking can help you plan before removing "
    "anything, since a removal can tip someone off. Device clinics (such as Cornell's "
    "Clinic to End Tech Abuse, with its ISDi scanner) can check a phone with you."
)


def keys_text(screen: Screen) -> Text:
    """Each binding of ``screen`` and the app: key, description."""
    out = Text()
    seen: set[tuple[str, str]] = set()
    for node in (screen, screen.app):
        for binding in node._bindings:  # noqa: SLF001 - the merged bindings of the node
            _key, item = binding if isinstance(binding, tuple) else (None, binding)
            for b in item if isinstance(item, list) else [item]:
                if not isinstance(b, Binding) or not b.description:
                    continue
                key = b.key_display or screen.app.get_key_display(b)
                if (key, b.description) in seen:
                    continue
                seen.add((key, b.description))
                out.append(f"{key:>10}  ", style="bold")
                out.append(b.description + "\n")
    out.append(f"{'ctrl+p':>10}  ", style="bold")
    out.append("Command palette\n")
    out.rstrip()
    return out


class HelpScreen(ModalScreen[None]):
    """Keys and what the screen below is for."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="help.close"),
        Binding("f1,question_mark", "close", "Help", id="help.again", show=False),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        purpose = inspect.getdoc(type(self.below)) or ""
        with VerticalScroll(id="help"):
            yield Static(Text("Help", style="bold"), markup=False)
            yield Static(Text(purpose.splitlines()[0] if purpose else ""), markup=False)
            yield Static(keys_text(self.below), id="help-keys", markup=False)
            yield Static(Text(ABOUT), markup=False)
            yield Static(Text(SAFETY), id="help-safety", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
