"""Scheduled rescans: one tagged cron entry per scan target.

``exposure schedule install`` writes a crontab line such as::

    0 9 * * 1 EXPOSURE_HOME='/home/jane/audit' '/usr/local/bin/exposure' scan \\
        --profile jane --new-only --quiet --scheduled # exposure:jane

Why it looks like this:

* **Tagged, so it is idempotent.** The entry's comment is ``exposure:<target>``
  (``exposure:jane``, ``exposure:all``, ``exposure:guardian:robin``); installing
  again replaces the entry with that tag and leaves every other line of the
  crontab (other jobs, ``MAILTO=``, comments) as it was. python-crontab does the
  parsing and rendering.
* **Absolute paths.** cron runs with a bare ``PATH``: the command is the
  ``exposure`` that is running now, by absolute path (or this Python with
  ``-m exposure.cli``), and ``EXPOSURE_HOME`` is pinned when — and only when —
  it is set now. Without it, the scan finds the same platformdirs folders
  because cron runs it as the same user.
* **Quiet unless something is new.** ``--new-only --quiet`` prints nothing when
  nothing is new, and cron mails whatever a job prints: the person hears from
  it only when there is something to hear. A per-profile lock keeps a slow scan
  and the next one from overlapping.
* **``--tabfile FILE``** edits a crontab file instead of the user's crontab (for
  tests, and for systems without a ``crontab`` program: install it by hand).

Errors: a crontab that cannot be read or written is an ExposureError with one
line (exit 1); bad input (an unknown profile, a bad ``--at``) is a UsageError
(exit 2).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.errors import ExposureError, UsageError

if TYPE_CHECKING:
    from crontab import CronTab

TAG_PREFIX = "exposure:"
EVERY = ("daily", "weekly", "monthly")
DEFAULT_AT = "09:00"
_AT = re.compile(r"(\d{1,2}):(\d{2})")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True)
class Target:
    """What a scheduled scan scans: one profile, every profile, or a guardian's children."""

    kind: str  # profile | all | guardian
    name: str = ""

    @property
    def tag(self) -> str:
        if self.kind == "all":
            return f"{TAG_PREFIX}all"
        if self.kind == "guardian":
            return f"{TAG_PREFIX}guardian:{self.name}"
        return f"{TAG_PREFIX}{self.name}"

    @property
    def scan_args(self) -> list[str]:
        if self.kind == "all":
            return ["--all"]
        return [f"--{self.kind}", self.name]


@dataclass(frozen=True)
class Entry:
    """One tagged entry as found in a crontab."""

    tag: str
    slices: str
    command: str
    enabled: bool = True

    @property
    def when(self) -> str:
        return describe(self.slices)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "schedule": self.slices,
            "when": self.when,
            "command": self.command,
            "enabled": self.enabled,
        }


def parse_at(text: str) -> tuple[int, int]:
    """``HH:MM`` (24-hour) as (hour, minute); anything else is a UsageError."""
    m = _AT.fullmatch(text.strip())
    if not m or not (0 <= int(m.group(1)) <= 23 and 0 <= int(m.group(2)) <= 59):
        raise UsageError(f"invalid --at {text!r}: use HH:MM, 24-hour (e.g. 09:30)")
    return int(m.group(1)), int(m.group(2))


def slices_for(every: str, hour: int, minute: int) -> str:
    """The five cron time fields: weekly on Mondays, monthly on the 1st."""
    if every == "daily":
        return f"{minute} {hour} * * *"
    if every == "weekly":
        return f"{minute} {hour} * * 1"
    if every == "monthly":
        return f"{minute} {hour} 1 * *"
    raise UsageError(f"invalid --every {every!r}: use daily, weekly or monthly")


def describe(slices: str) -> str:
    """Our own schedules in words; anything hand-edited is shown as it is."""
    parts = slices.split()
    if len(parts) == 5 and parts[0].isdigit() and parts[1].isdigit():
        at = f"{int(parts[1]):02d}:{int(parts[0]):02d}"
        rest = parts[2:]
        if rest == ["*", "*", "*"]:
            return f"daily at {at}"
        if rest[:2] == ["*", "*"] and rest[2].isdigit() and int(rest[2]) <= 7:
            return f"weekly on {_DAYS[int(rest[2]) % 7]} at {at}"
        if rest[1:] == ["*", "*"] and rest[0].isdigit():
            return f"monthly on day {int(rest[0])} at {at}"
    return slices


def exposure_argv() -> list[str]:
    """How cron should start this exposure: absolute, independent of cron's PATH."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "exposure" and argv0.is_file():
        return [os.path.abspath(argv0)]
    beside = Path(sys.executable).parent / "exposure"  # a virtualenv's bin/ folder
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [os.path.abspath(sys.executable), "-m", "exposure.cli"]


def _no_newline(value: str, what: str) -> str:
    if "\n" in value or "\r" in value or "\0" in value:
        raise UsageError(f"{what} cannot hold a line break in a crontab")
    return value


def command_line(
    target: Target,
    *,
    notify: str | None = None,
    home: str | None = None,
    argv: list[str] | None = None,
) -> str:
    """The cron command: ``[EXPOSURE_HOME=...] exposure scan TARGET ... --scheduled``.

    ``%`` is special to cron (it starts stdin); python-crontab escapes it as
    ``\\%`` when it writes the line, and un-escapes it when it reads it back.
    """
    words = [*(argv or exposure_argv()), "scan", *target.scan_args, "--new-only", "--quiet"]
    words.append("--scheduled")  # no prompt; a locked home's key only from the keyring
    if notify:
        from exposure.engine.notify import parse_command

        parse_command(notify)  # refuse now what the scan would refuse later
        words += ["--notify-command", _no_newline(notify, "--notify-command")]
    line = " ".join(shlex.quote(w) for w in words)
    if home:
        line = f"EXPOSURE_HOME={shlex.quote(_no_newline(home, 'EXPOSURE_HOME'))} {line}"
    return line


def current_home() -> str | None:
    """``EXPOSURE_HOME`` resolved, when it is set now (else cron uses platformdirs)."""
    home = os.environ.get("EXPOSURE_HOME")
    return str(Path(home).expanduser().resolve()) if home else None


# --------------------------------------------------------------------------- crontab I/O


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def open_tab(tabfile: Path | None) -> CronTab:
    """The user's crontab, or ``tabfile`` (missing = empty). Unreadable: ExposureError."""
    from crontab import CronTab

    if tabfile is None:
        try:
            return CronTab(user=True)
        except OSError as exc:
            raise ExposureError(
                f"cannot read your crontab ({_one_line(exc)}); use --tabfile FILE"
            ) from None
    try:
        text = tabfile.read_text(encoding="utf-8") if tabfile.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ExposureError(f"cannot read the crontab file {tabfile}: {_one_line(exc)}") from None
    return CronTab(tab=text)


def save_tab(tab: CronTab, tabfile: Path | None) -> None:
    """Write the crontab back; any failure is an ExposureError with one line (exit 1)."""
    if tabfile is None:
        try:
            tab.write_to_user(user=True)
        except OSError as exc:
            raise ExposureError(f"cannot write your crontab: {_one_line(exc)}") from None
        return
    from exposure.paths import atomic_write

    try:
        mode = tabfile.stat().st_mode & 0o777 if tabfile.exists() else 0o600
        atomic_write(tabfile, tab.render(), mode=mode)
    except OSError as exc:
        raise ExposureError(
            f"cannot write the crontab file {tabfile}: {exc.strerror or _one_line(exc)}"
        ) from None


def _tagged(tab: CronTab) -> list[Any]:
    return [job for job in tab if (job.comment or "").startswith(TAG_PREFIX)]


def entries(tabfile: Path | None = None) -> list[Entry]:
    """Every exposure entry in the crontab."""
    return [
        Entry(job.comment, str(job.slices), job.command, job.is_enabled())
        for job in _tagged(open_tab(tabfile))
    ]


def install(
    target: Target,
    every: str,
    at: str = DEFAULT_AT,
    *,
    tabfile: Path | None = None,
    notify: str | None = None,
    argv: list[str] | None = None,
) -> Entry:
    """Install (or replace) the entry for ``target``; other lines stay untouched."""
    hour, minute = parse_at(at)
    slices = slices_for(every, hour, minute)
    command = command_line(target, notify=notify, home=current_home(), argv=argv)
    tab = open_tab(tabfile)
    for job in _tagged(tab):
        if job.comment == target.tag:
            tab.remove(job)
    job = tab.new(command=command, comment=target.tag)
    job.setall(slices)
    if not job.is_valid():  # pragma: no cover - our slices are always valid
        raise ExposureError(f"cron refused the schedule {slices!r}")
    save_tab(tab, tabfile)
    return Entry(target.tag, slices, command)


def remove(target: Target, *, tabfile: Path | None = None) -> int:
    """Remove the entry for ``target``; returns how many lines went (0 when none was there)."""
    tab = open_tab(tabfile)
    gone = [job for job in _tagged(tab) if job.comment == target.tag]
    if not gone:
        return 0
    for job in gone:
        tab.remove(job)
    save_tab(tab, tabfile)
    return len(gone)
