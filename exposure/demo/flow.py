"""``exposure demo``: the real engine, end to end, against the bundled demo web.

Why it is built like this:

* **The real engine.** The demo runs the same commands a person runs —
  ``exposure.cli.main(["scan", ...])``, ``checklist``, ``report`` — so what it
  shows is what exposure does, not a recording. Only the sources differ:
  ``config.toml`` points every checker's ``base_url`` at the demo web, and
  ``--sites``/``--brokers`` give the demo's own catalogues.
* **Offline and private.** The demo web is ours (:mod:`exposure.demo.server`)
  on 127.0.0.1; only checkers the demo web can answer are run (``--only``), so
  nothing is ever sent anywhere else. Inside the demo the environment is
  changed and put back afterwards: ``EXPOSURE_HOME`` is the demo folder,
  ``EXPOSURE_HIBP_API_KEY`` a demo value, real API keys and proxies are hidden,
  and the keyring is the null backend (the person's real keyring is never read).
* **Throw-away by default.** The demo folder is a ``tempfile.mkdtemp`` removed
  at the end, unless ``--keep``; ``--home DIR`` uses (and keeps) DIR, which
  must be empty or an earlier demo folder, so a real EXPOSURE_HOME is never
  touched.
* **Guardian mode too.** Robin Example's child Sam is scanned with
  ``scan --guardian robin``, and the guardian report is written.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from exposure.config import DEMO_MARKER
from exposure.errors import ExitStatus, ExposureError, UsageError

MARKER = DEMO_MARKER  # read by exposure.config: a demo folder stays on loopback
DEMO_HIBP_KEY = "exposure-demo-key-not-real"
PERSON = "robin"
# Checkers the demo web can answer. Anything else is left out: it would go online.
DEMO_CHECKERS = ("sites", "brokers", "hibp", "gravatar", "pgp", "github", "search", "rdap")
_HIDDEN_ENV = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "EXPOSURE_PROXY",
    "EXPOSURE_GITHUB_TOKEN",
    "EXPOSURE_GITHUB_API_KEY",
    "EXPOSURE_GRAVATAR_API_KEY",
    "EXPOSURE_BRAVE_API_KEY",
)


@dataclass
class DemoOptions:
    home: Path | None = None  # keep the demo here (implies keep)
    keep: bool = False
    tui: bool = False


def own_command(argv0: str | None = None) -> str:
    """How to run exposure again, as this run was started: the README installs it in
    ``.venv`` without putting it on PATH, so the closing hint says ``.venv/bin/exposure``
    (or ``python -m exposure.cli``), not a bare ``exposure`` that would not be found.
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    path = Path(argv0)
    if path.name == "exposure":
        if (
            shutil.which("exposure")
            and Path(shutil.which("exposure") or "").resolve() == path.resolve()
        ):
            return "exposure"  # on PATH: the short form works
        return shlex.quote(argv0)
    return f"{shlex.quote(sys.executable)} -m exposure.cli"


def config_text(base: str) -> str:
    """config.toml for the demo folder: every source is the demo web."""
    return f"""# exposure demo config: every source is the demo web on 127.0.0.1 (fictional people)
default_region = "US"

[http]
loopback_only = true      # a kept demo folder never reaches a real host
connect_timeout = 2.0
timeout = 5.0
deadline = 10.0
retries = 0
min_interval = 0.0
per_host_concurrency = 16

[checkers.hibp]
base_url = "{base}/hibp"
min_interval = 0.0

[checkers.gravatar]
base_url = "{base}/gravatar"

[checkers.pgp]
base_url = "{base}/pgp"

[checkers.github]
base_url = "{base}/github"

[checkers.search]
engine = "searxng"
base_url = "{base}/searx"

[checkers.rdap]
base_url = "{base}/rdap"
"""


@contextlib.contextmanager
def demo_environment(home: Path) -> Iterator[None]:
    """The process environment for the demo; restored afterwards, whatever happens."""
    saved = dict(os.environ)
    try:
        for name in _HIDDEN_ENV:
            os.environ.pop(name, None)
        os.environ["EXPOSURE_HOME"] = str(home)
        os.environ["EXPOSURE_HIBP_API_KEY"] = DEMO_HIBP_KEY
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        no_proxy = os.environ.get("NO_PROXY", "")
        os.environ["NO_PROXY"] = ",".join(x for x in ("127.0.0.1", "localhost", no_proxy) if x)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def prepare_home(home: Path | None) -> tuple[Path, bool]:
    """(the demo folder, whether it is throw-away). A given folder must be safe to use."""
    if home is None:
        return Path(tempfile.mkdtemp(prefix="exposure-demo-")).resolve(), True
    home = home.expanduser().resolve()
    if home.exists() and not home.is_dir():
        raise UsageError(f"--home {home}: not a folder")
    if home.is_dir() and any(home.iterdir()) and not (home / MARKER).exists():
        raise UsageError(
            f"--home {home}: the folder is not empty and is not an exposure demo folder; "
            "give a new or empty folder"
        )
    from exposure.paths import private_dir

    private_dir(home)
    return home, False


def _write(path: Path, text: str) -> None:
    from exposure.paths import write_private

    write_private(path, text)


def _install_demo(home: Path, base: str) -> tuple[Path, Path]:
    """Config, catalogues and profiles in the demo folder; returns (sites, brokers) files."""
    from exposure.demo.server import demo_root, render
    from exposure.paths import current
    from exposure.people.profile import ProfileStore, build_profile

    root = demo_root()
    _write(home / MARKER, "This folder was made by `exposure demo`: fictional people only.\n")
    _write(home / "config.toml", config_text(base))
    sites = home / "demo" / "sites.json"
    brokers = home / "demo" / "brokers.toml"
    _write(sites, render((root / "sites.json").read_text(encoding="utf-8"), base))
    _write(brokers, render((root / "brokers.toml").read_text(encoding="utf-8"), base))
    people = tomllib.loads(render((root / "profiles.toml").read_text(encoding="utf-8"), base))
    store = ProfileStore(current())
    for entry in people["profile"]:  # guardians come first in the file
        fields = {k: v for k, v in entry.items() if k != "id"}
        store.save(build_profile(entry["id"], **fields))
    return sites, brokers


def run_demo(options: DemoOptions, out: TextIO | None = None) -> int:
    """Run the whole demo; returns the exit status (0 when everything worked)."""
    from exposure import cli
    from exposure.checkers.base import load_registry
    from exposure.demo.server import DemoWeb

    out = out or sys.stdout
    home, throwaway = prepare_home(options.home)
    keep = options.keep or not throwaway

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    status: int = ExitStatus.OK
    try:
        with DemoWeb() as web, demo_environment(home):
            sites, brokers = _install_demo(home, web.base)
            registry = load_registry()
            names = [n for n in DEMO_CHECKERS if n in registry.checkers]
            common = ["--sites", str(sites), "--brokers", str(brokers), "--only", ",".join(names)]
            say("exposure demo: everything below is the real engine, run against a demo web")
            say(f"on {web.base} about fictional people (Robin Example and Robin's child Sam).")
            say(f"Nothing leaves this machine. Demo folder: {home}")
            say(f"Sources: {', '.join(names)}")
            say()
            say("$ exposure scan --profile robin")
            status = _worst(status, cli.main(["scan", "--profile", PERSON, *common]))
            say()
            say("$ exposure scan --guardian robin      # guardian mode: Robin's child Sam")
            status = _worst(status, cli.main(["scan", "--guardian", PERSON, *common]))
            say()
            say("$ exposure checklist --profile robin")
            status = _worst(status, cli.main(["checklist", "--profile", PERSON]))
            # A throw-away demo folder goes away: its reports (fictional people only) stay.
            outdir = home if keep else Path(tempfile.mkdtemp(prefix="exposure-demo-report-"))
            written = _reports(outdir)
            if written:
                say()
                for label, path in written:
                    say(f"{label}: {path}")
            if options.tui:
                status = _worst(status, _open_tui(sites, brokers, names))
    finally:
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
    say()
    me = own_command()
    if keep:
        say(f"The demo folder is kept: {home}")
        where = shlex.quote(str(home))
        say(f"Look around with: EXPOSURE_HOME={where} {me} findings --profile robin")
    else:
        say("The demo folder was removed (keep it with --keep). Now audit yourself:")
        say(f'  {me} profile add me --name "Your Name" --email you@example.org --username you')
        say(f"  {me} scan --profile me")
    return status


def _worst(status: int, new: int) -> int:
    """Scans exit 3 when they found something new: in the demo that is success."""
    if new in (ExitStatus.OK, ExitStatus.NEW_FINDINGS):
        return status
    return new if status == ExitStatus.OK else status


def _reports(outdir: Path) -> list[tuple[str, Path]]:
    """Write the HTML report(s) to ``outdir``; one that fails is a note, not a failed demo."""
    from exposure import cli

    written: list[tuple[str, Path]] = []
    target = outdir / "report-robin.html"
    with contextlib.redirect_stdout(_Null()), contextlib.redirect_stderr(_Null()):
        code = cli.main(
            ["report", "--profile", PERSON, "--format", "html", "--output", str(target)]
        )
    if code == 0 and target.exists():
        written.append(("Report", target))
    try:
        from exposure.engine.guardian import guardian_report
        from exposure.engine.store import Store

        with Store.open_current() as store:
            text = guardian_report(store, PERSON, "html")
        target = outdir / "guardian-robin.html"
        _write(target, text)
        written.append(("Guardian report", target))
    except ExposureError as exc:
        print(f"exposure: note: no guardian report: {exc}", file=sys.stderr)
    return written


def _open_tui(sites: Path, brokers: Path, names: list[str]) -> int:
    """The TUI on the demo, limited to the demo's catalogues and checkers (a rescan stays
    offline too)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("exposure: note: --tui needs a terminal; skipped", file=sys.stderr)
        return ExitStatus.OK
    try:
        from exposure.tui.app import ExposureApp
    except ImportError:
        print("exposure: note: the terminal UI is not available; skipped", file=sys.stderr)
        return ExitStatus.OK
    from exposure import config, paths
    from exposure.checkers.base import Registry, load_registry
    from exposure.engine.scan import ScanOptions

    full = load_registry()
    registry = Registry({n: full.checkers[n] for n in names}, {})
    app = ExposureApp(
        PERSON,
        config=config.load(paths.current().config_file),
        scan_options=ScanOptions(sites_file=sites, brokers_file=brokers),
        registry=registry,
    )
    result = app.run()
    return int(result or app.return_code or 0)


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
