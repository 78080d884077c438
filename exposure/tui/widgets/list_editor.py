"""A labelled list of values with add and remove, validated as each value is added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from exposure.errors import UsageError
from exposure.tui.safe import literal


class ValueRow(Horizontal):
    """One value with its remove button."""

    DEFAULT_CSS = """
    ValueRow { height: 1; }
    ValueRow > .value { width: 1fr; height: 1; padding: 0 1; }
    ValueRow > Button { min-width: 3; width: 3; margin: 0 1; }
    """

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        yield Static(literal(self.value), classes="value", markup=False)
        yield Button("✕", classes="remove", compact=True, tooltip="remove this value")


class ListEditor(Vertical):
    """Values of one profile field. ``validate`` normalises a value or raises UsageError."""

    DEFAULT_CSS = """
    ListEditor { height: auto; }
    ListEditor > .field-label { text-style: bold; }
    ListEditor > .values { height: auto; }
    ListEditor > .adder { height: auto; }
    ListEditor > .adder > Input { width: 1fr; }
    ListEditor > .adder > Button { min-width: 7; width: 7; }
    ListEditor > .error { color: $text-error; height: auto; display: none; }
    ListEditor > .error.-shown { display: block; }
    """

    @dataclass
    class Changed(Message):
        editor: ListEditor

    def __init__(
        self,
        label: str,
        values: list[str],
        validate: Callable[[str], str],
        *,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self._values = list(values)
        self.validate = validate
        self.placeholder = placeholder
        self._error = ""

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        with Vertical(classes="values"):
            for value in self._values:
                yield ValueRow(value)
        with Horizontal(classes="adder"):
            yield Input(placeholder=self.placeholder, classes="new-value")
            yield Button("Add", classes="add")
        yield Static("", classes="error", markup=False)

    @property
    def values(self) -> list[str]:
        return list(self._values)

    @property
    def pending(self) -> str:
        """Text typed but not added yet."""
        return self.query_one(".new-value", Input).value.strip()

    @property
    def error(self) -> str:
        """The message shown under the field ('' when none)."""
        return self._error

    def show_error(self, message: str) -> None:
        self._error = message
        box = self.query_one(".error", Static)
        box.update(literal(message))
        box.set_class(bool(message), "-shown")
        self.set_class(bool(message), "-invalid")

    def add_pending(self) -> bool:
        """Validate and add the typed value; False (with the message shown) when invalid."""
        box = self.query_one(".new-value", Input)
        raw = box.value.strip()
        if not raw:
            self.show_error("")
            return True
        try:
            value = self.validate(raw)
        except UsageError as exc:
            self.show_error(str(exc))
            return False
        self.show_error("")
        box.value = ""
        if value.casefold() not in {v.casefold() for v in self._values}:
            self._values.append(value)
            self.query_one(".values", Vertical).mount(ValueRow(value))
            self.post_message(self.Changed(self))
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.add_pending()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("add"):
            self.add_pending()
        elif event.button.has_class("remove"):
            row = event.button.parent
            if isinstance(row, ValueRow):
                if row.value in self._values:
                    self._values.remove(row.value)
                row.remove()
                self.post_message(self.Changed(self))
