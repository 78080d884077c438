"""``exposure completion bash|zsh|fish``: print the shell's tab-completion script.

Completion is argcomplete's: the script calls ``exposure`` back with
``_ARGCOMPLETE`` set, and :func:`exposure.cli.main` hands that call to
argcomplete (imported only then, so ordinary runs pay nothing for it).
Profile names complete after ``--profile`` and ``--guardian``.

    exposure completion bash >> ~/.bashrc
    exposure completion zsh > "${fpath[1]}/_exposure"
    exposure completion fish > ~/.config/fish/completions/exposure.fish
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "completion",
        help="print the tab-completion script for bash, zsh or fish",
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
        epilog="bash: exposure completion bash >> ~/.bashrc   "
        "fish: exposure completion fish > ~/.config/fish/completions/exposure.fish",
    )
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(["exposure"], shell=args.shell), end="")
    return 0


def profile_names(**_: object) -> list[str]:
    """The profiles there are, for completing ``--profile NAME``."""
    from exposure import paths
    from exposure.people.profile import ProfileStore

    try:
        return [p.id for p in ProfileStore(paths.current()).all()]
    except Exception:  # a broken home must not break the shell's tab key
        return []
