"""The profile editor: a form for every profile field, validated like the CLI.

Values are validated as they are added (the same ``normalize_*`` functions as
``exposure profile add``), and the whole profile again on save with
:func:`exposure.people.profile.build_profile`; a message is shown under the field it
names. Dismisses with the saved profile id, or None when cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static

from exposure.errors import UsageError
from exposure.model import Profile
from exposure.people.profile import (
    build_profile,
    normalize_account,
    normalize_email,
    normalize_free_text,
    normalize_name,
    normalize_phone,
    normalize_username,
    parse_birth_date,
    region_of_location,
    validate_id,
)
from exposure.tui.safe import literal
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.widgets.footer import Footer
from exposure.tui.widgets.list_editor import ListEditor

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

# (field, label, placeholder) in form order
LIST_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("names", "Names (the first is the primary name; add maiden names, nicknames)", "Jane Q. Doe"),
    ("emails", "Emails", "jane@example.org"),
    ("phones", "Phones (stored as +countrycode...)", "+44 20 7946 0000"),
    ("usernames", "Usernames", "janedoe"),
    ("locations", "Locations (City, Region[ Postcode][, Country])", "Leeds, West Yorkshire, UK"),
    ("addresses", "Street addresses", "1 High Street, Leeds LS1 4AP"),
    ("accounts", "Accounts that are yours (profile URLs)", "https://social.example/@jane"),
)

# Where the editor shows an error about a profile field (UsageError.field).
_SHOWN_AT = {"birth_date": "birth"}


_NO_ID = "give the profile a name: its id, such as jane (lower-case letters, digits, - _)"


def field_of(exc: UsageError) -> str:
    return _SHOWN_AT.get(exc.field or "", exc.field or "")


class ProfileEditorScreen(Screen[str | None]):
    """Describe a person: add values to each list, then save (Ctrl+S)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="profile.save", priority=True),
        Binding("escape", "cancel", "Back", id="profile.cancel"),
    ]

    def __init__(self, profile: Profile | None) -> None:
        super().__init__()
        self.profile = profile
        self._saved_state: tuple[object, ...] = ()
        self._birth_checked: str | None = None  # the value the birth message is about

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        p = self.profile or Profile(id="")
        yield Header()
        with VerticalScroll(id="profile-form"):
            title = f"Edit profile {p.id}" if self.profile else "New profile"
            yield Label(title, classes="pane-title")
            yield Label(
                "Profile id (a short name for the file: lower-case letters, digits, - _)",
                classes="field-label",
            )
            yield Input(p.id, placeholder="jane", id="profile-id", disabled=bool(self.profile))
            yield Static("", id="id-error", classes="error", markup=False)
            for name, label, placeholder in LIST_FIELDS:
                yield ListEditor(
                    label,
                    list(getattr(p, name)),
                    self._validator(name),
                    placeholder=placeholder,
                    id=f"field-{name}",
                )
            yield Label("Birth date", classes="field-label")
            yield Input(
                p.birth_date.isoformat() if p.birth_date else "",
                placeholder="YYYY-MM-DD",
                id="birth-date",
            )
            yield Static("", id="birth-error", classes="error", markup=False)
            yield Label(
                "Guardian (set when this profile is a child audited by another)",
                classes="field-label",
            )
            yield Select(
                self._guardian_options(),
                value=p.guardian or Select.NULL,
                allow_blank=True,
                prompt="no guardian",
                id="guardian",
            )
            yield Static("", id="guardian-error", classes="error", markup=False)
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._saved_state = self._state()
        first = self.query_one("#profile-id", Input)
        if self.profile is None:
            first.focus()
        else:
            self.query_one("#field-names Input", Input).focus()

    def _guardian_options(self) -> list[tuple[str, str]]:
        own = self.profile.id if self.profile else None
        return [(pid, pid) for pid in self.exposure.profiles.ids() if pid != own]

    def _regions(self) -> list[str]:
        places = [
            *self.query_one("#field-locations", ListEditor).values,
            *self.query_one("#field-addresses", ListEditor).values,
        ]
        found = [region_of_location(t) for t in places]
        return [r for r in (*found, self.exposure.config.default_region) if r]

    def _validator(self, name: str):  # noqa: ANN202 - a small closure per field
        if name == "names":
            return normalize_name
        if name == "emails":
            return normalize_email
        if name == "phones":
            return lambda v: normalize_phone(v, self._regions())
        if name == "usernames":
            return normalize_username
        if name == "locations":
            return lambda v: normalize_free_text(v, "location")
        if name == "addresses":
            return lambda v: normalize_free_text(v, "address")
        return normalize_account

    # -- inline checks ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "profile-id":
            self._check_id(event.value, typing=True)
        elif event.input.id == "birth-date" and event.value != self._birth_checked:
            self._error("birth", "")  # a new value: the old message no longer applies

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "profile-id":
            self._check_id(event.value)
        elif event.input.id == "birth-date":
            self._check_birth(event.value)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id == "birth-date":
            self._check_birth(event.value)
        elif event.input.id == "profile-id" and event.value:
            self._check_id(event.value)

    def _check_id(self, value: str, *, typing: bool = False) -> bool:
        if self.profile is not None:
            return True
        try:
            if not value.strip():
                if typing:  # an emptied box is not an error until the person moves on
                    self._error("id", "")
                    return False
                raise UsageError(_NO_ID, field="id")
            validate_id(value)
        except UsageError as exc:
            self._error("id", str(exc))
            return False
        self._error("id", "")
        return True

    def _check_birth(self, value: str) -> bool:
        self._birth_checked = value
        try:
            if value.strip():
                parse_birth_date(value)
        except UsageError as exc:
            self._error("birth", str(exc))
            return False
        self._error("birth", "")
        return True

    def _error(self, where: str, message: str) -> None:
        targets = {"id": "#id-error", "birth": "#birth-error", "guardian": "#guardian-error"}
        if where in targets:
            box = self.query_one(targets[where], Static)
            if str(box.render()) != message:  # no re-layout on every key press
                box.update(literal(message))
            box.set_class(bool(message), "-shown")
        elif where:
            self.query_one(f"#field-{where}", ListEditor).show_error(message)

    def _focus_field(self, where: str) -> None:
        """Move to the field ``where`` names (and scroll it into view)."""
        targets = {"id": "#profile-id", "birth": "#birth-date", "guardian": "#guardian"}
        selector = targets.get(where, f"#field-{where} Input")
        found = self.query(selector)
        if found:
            widget = found.first()
            widget.focus(scroll_visible=False)
            error = {"id": "#id-error", "birth": "#birth-error", "guardian": "#guardian-error"}
            below = self.query(error[where]) if where in error else self.query(f"#field-{where}")
            shown = below.first() if below else widget
            # after the error is laid out: the field and its message both in view
            self.call_after_refresh(shown.scroll_visible, animate=False)

    def _clear_errors(self) -> None:
        for where in ("id", "birth", "guardian"):
            self._error(where, "")
        for editor in self.query(ListEditor):
            editor.show_error("")
        self.query_one("#form-error", Static).update("")
        self.query_one("#form-error", Static).remove_class("-shown")

    # -- save / cancel ------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def _state(self) -> tuple[object, ...]:
        """Everything the form holds, typed-but-not-added values included."""
        editors = [self.query_one(f"#field-{name}", ListEditor) for name, _, _ in LIST_FIELDS]
        return (
            self.query_one("#profile-id", Input).value,
            *((tuple(e.values), e.pending) for e in editors),
            self.query_one("#birth-date", Input).value.strip(),
            self.query_one("#guardian", Select).value,
        )

    @property
    def changed(self) -> bool:
        return self._state() != self._saved_state

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "This form has changes that are not saved. Throw them away?",
                yes="Discard changes",
                no="Keep editing",
            ),
            answered,
        )

    def action_save(self) -> None:
        self._clear_errors()
        editors = {name: self.query_one(f"#field-{name}", ListEditor) for name, _, _ in LIST_FIELDS}
        for editor in editors.values():
            if not editor.add_pending():  # a value typed but not added counts too
                field = (editor.id or "").removeprefix("field-")
                self._fail(field, f"{editor.label.split(' (')[0]}: {editor.error}", shown=True)
                return
        profile_id = self.profile.id if self.profile else self.query_one("#profile-id", Input).value
        if not profile_id.strip():
            self._fail("id", _NO_ID)
            return
        guardian = self.query_one("#guardian", Select).value
        birth = self.query_one("#birth-date", Input).value.strip()
        try:
            profile = build_profile(
                profile_id,
                **{name: editor.values for name, editor in editors.items()},
                birth_date=birth or None,
                guardian=guardian if isinstance(guardian, str) else None,
                default_region=self.exposure.config.default_region,
            )
            if self.profile is None and self.exposure.profiles.exists(profile.id):
                raise UsageError(
                    f"invalid profile id {profile.id!r}: that profile exists already", field="id"
                )
            self.exposure.profiles.check_guardian(profile)
        except UsageError as exc:
            if field_of(exc) == "birth":
                self._birth_checked = birth
            self._fail(field_of(exc), str(exc))
            return
        self.exposure.profiles.save(profile)
        self.notify(f"Saved profile {profile.id}.", title="Profile", markup=False)
        self.dismiss(profile.id)

    def _fail(self, where: str, message: str, *, shown: bool = False) -> None:
        """Show why beside the field, focus it, and say it in a notification."""
        if where and not shown:
            self._error(where, message)
        box = self.query_one("#form-error", Static)
        box.update(literal(f"Not saved: {message}"))
        box.add_class("-shown")
        self._focus_field(where or "id")
        self.notify(message, title="Profile not saved", severity="error", markup=False)
