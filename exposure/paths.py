"""Where exposure keeps things.

Everything lives under ``$EXPOSURE_HOME`` when it is set; otherwise in
platformdirs' user config / data / cache folders for "exposure". Folders that
hold personal data are created 0700, files 0600.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

APP = "exposure"
# The database file and the side files SQLite keeps next to it: the write-ahead
# log, its shared-memory index, a rollback journal.
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def profiles_dir(self) -> Path:
        return self.data_dir / "profiles"

    @property
    def database(self) -> Path:
        return self.data_dir / "exposure.db"

    @property
    def database_files(self) -> tuple[Path, ...]:
        """The database and its SQLite side files (:data:`DATABASE_SUFFIXES`)."""
        db = self.database
        return tuple(db.with_name(db.name + suffix) for suffix in DATABASE_SUFFIXES)

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def locks_dir(self) -> Path:
        return self.data_dir / "locks"

    def as_dict(self) -> dict[str, str]:
        return {
            "config": str(self.config_file),
            "profiles": str(self.profiles_dir),
            "database": str(self.database),
            "evidence": str(self.evidence_dir),
            "cache": str(self.cache_dir),
        }


def data_files(
    where: Paths,
    *,
    skip_dirs: Collection[str] = (),
    skip_files: Collection[str] = (),
    skip_tree: Path | None = None,
) -> Iterator[Path]:
    """The regular files under the data folder, top-down.

    Left out: the top-level folders named in ``skip_dirs``, the top-level
    files named in ``skip_files``, the folder ``skip_tree`` wherever it is,
    and symbolic links (never followed).
    """
    root = where.data_dir
    if not root.is_dir():
        return
    skip_at = skip_tree.resolve() if skip_tree is not None else None
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in skip_dirs]
        if skip_at is not None and here.resolve() == skip_at:
            dirnames[:] = []
            continue
        for name in filenames:
            path = here / name
            if here == root and name in skip_files:
                continue
            if path.is_symlink() or not path.is_file():
                continue
            yield path


def current() -> Paths:
    home = os.environ.get("EXPOSURE_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(config_dir=root, data_dir=root, cache_dir=root / "cache")
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP)),
        data_dir=Path(platformdirs.user_data_dir(APP)),
        cache_dir=Path(platformdirs.user_cache_dir(APP)),
    )


def private_dir(path: Path) -> Path:
    """Create ``path`` as a 0700 folder (missing parents too); tighten it if it exists."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        if not path.parent.exists():
            private_dir(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o700:
        try:
            os.chmod(path, 0o700)
        except OSError as exc:
            if exc.errno != errno.EROFS:
                raise
            # A read-only home: nobody can write here, so reading may go on.
    return path


def write_private(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write a file atomically, created 0600, inside a 0700 folder of ours.

    ``durable`` fsyncs before the rename (settings, profiles). Evidence
    captures skip it: a killed process loses nothing the OS already has, and
    hundreds of fsyncs would stall a scan.
    """
    private_dir(path.parent)
    write_file_0600(path, data, durable=durable)


def write_file_0600(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write ``path`` atomically with mode 0600, leaving its folder as it is.

    For files the person asked for in a folder of theirs (reports, evidence
    packs): that folder's mode is not ours to change.
    """
    atomic_write(path, data, mode=0o600, durable=durable)


def atomic_write(path: Path, data: bytes | str, *, mode: int = 0o600, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step, or leave it as it was.

    The temporary file is made by ``mkstemp`` in ``path``'s own folder
    (``O_EXCL``, a random name, mode 0600 from the start), so a symlink
    planted where a predictable temporary name would be is never followed,
    and the rename never crosses file systems.
    """

    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode != 0o600:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def bundled_data() -> Path:
    """Our own curated catalogues: inside the wheel, or ``data/`` in a checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "data"
    return inside if inside.is_dir() else here.parent / "data"
