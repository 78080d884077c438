"""The commands the checklist and advice show, built one way.

Each is ``exposure`` and its words, every word shell-quoted, and every command
that takes ``--profile`` is given it, so what a person copies runs as shown
(tests/unit/test_shown_commands.py parses each with the real parser). The
templates in ``data/advice.toml`` name these by key (``{done}``, ``{mine}``...).
"""

from __future__ import annotations

import shlex

# The one word a person supplies themselves: the page they saved (``exposure import``).
SAVED_FILE = "FILE"


def shown(*words: str) -> str:
    """``exposure WORDS...`` as a person types it, each word quoted for the shell."""
    return " ".join(["exposure", *(shlex.quote(word) for word in words)])


def profile_commands(profile_id: str) -> dict[str, str]:
    """Commands about a whole profile, by template key."""
    return {
        "list_json": shown("checklist", "--profile", profile_id, "--format", "json"),
        "findings_json": shown("findings", "--profile", profile_id, "--format", "json"),
        "report_json": shown("report", "--profile", profile_id, "--format", "json"),
        "tui": shown("tui", "--profile", profile_id),
        "schedule": shown("schedule", "install", "--profile", profile_id, "--every", "monthly"),
        "evidence_export": shown(
            "evidence", "export", "--profile", profile_id, "--output", f"{profile_id}-evidence.zip"
        ),
    }


def item_commands(profile_id: str, item_id: str) -> dict[str, str]:
    """Commands about one checklist item, by template key."""
    return {
        "done": shown("checklist", "done", item_id, "--profile", profile_id),
        "mine": shown("checklist", "mine", item_id, "--profile", profile_id),
        "not_mine": shown("checklist", "not-mine", item_id, "--profile", profile_id),
        "draft": shown("request", "draft", item_id, "--profile", profile_id),
        "sent": shown("request", "sent", item_id, "--via", "form", "--profile", profile_id),
    }


def add_account(profile_id: str, url: str) -> str:
    """Record an account as the person's own."""
    return shown("profile", "edit", profile_id, "--account", url)


def hand_commands(profile_id: str, source: str) -> dict[str, str]:
    """The two ways to check a source by hand (``{assist}``, ``{import}``)."""
    return {
        "assist": shown("assist", "--profile", profile_id, "--source", source),
        "import": shown("import", "--profile", profile_id, "--source", source) + f" {SAVED_FILE}",
    }
