"""What a scan will send where (the ``scan --dry-run`` plan), in a modal.

Shown before a profile's first scan, with a confirm (dismisses True to scan),
and from the command palette to read it again (a close button only). The plan
itself is :class:`exposure.engine.send_plan.SendPlan`, the same one the CLI prints.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from exposure.engine.send_plan import SendPlan
from exposure.tui.safe import literal


def plan_heading(plan: SendPlan, *, before_scan: bool) -> Text:
    checkers = len(plan.sends)
    text = Text()
    if before_scan:
        text.append("Before the first scan of ")
    else:
        text.append("What a scan of ")
    text.append(literal(plan.profile, style="bold"))
    text.append(" sends, and where" if not before_scan else ": what will be sent, and where")
    text.append(
        f"\n{checkers} checker{'s' if checkers != 1 else ''} would send these profile values "
        f"to {plan.host_count} host{'s' if plan.host_count != 1 else ''}."
    )
    if plan.private_fields:
        text.append(f" Never sent (private in config): {', '.join(plan.private_fields)}.")
    return text


class SendPlanScreen(ModalScreen[bool]):
    """The plan; with ``before_scan`` y scans and Escape does not, else Escape closes."""

    DEFAULT_CSS = """
    SendPlanScreen { align: center middle; }
    SendPlanScreen > #send-plan {
        width: 90%; max-width: 110; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SendPlanScreen #send-plan-heading { height: auto; margin: 0 0 1 0; }
    SendPlanScreen #send-plan-lines { height: 1fr; }
    SendPlanScreen #send-plan-buttons { height: auto; }
    SendPlanScreen #send-plan-buttons > Button { margin: 0 2 0 0; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="send_plan.yes"),
        Binding("escape", "answer(False)", "Back", id="send_plan.no"),
    ]

    def __init__(self, plan: SendPlan, *, before_scan: bool) -> None:
        super().__init__()
        self.plan = plan
        self.before_scan = before_scan

    def compose(self) -> ComposeResult:
        with Vertical(id="send-plan"):
            yield Static(
                plan_heading(self.plan, before_scan=self.before_scan),
                id="send-plan-heading",
                markup=False,
            )
            with VerticalScroll(id="send-plan-lines"):
                lines = self.plan.detail_lines() or ["  nothing would be sent"]
                yield Static(Text("\n").join(literal(line) for line in lines), markup=False)
            with Horizontal(id="send-plan-buttons"):
                if self.before_scan:
                    yield Button("Scan (y)", variant="warning", id="send-plan-yes")
                    yield Button("Not now (Esc)", variant="primary", id="send-plan-no")
                else:
                    yield Button("Close (Esc)", variant="primary", id="send-plan-no")

    def on_mount(self) -> None:
        self.query_one("#send-plan-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "send-plan-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes and self.before_scan)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (True,) and not self.before_scan:
            return None  # no "Scan" key when only reading the plan again
        return True
