"""Snapshot files: an indexed dataset kept on disk, so a restart skips reading and indexing.

A snapshot is a pickle named by a fingerprint of everything the dataset was built from: the
content of every file of the dataset folder, of the taxonomy, of the bundled geometry and
reference vocabularies, the source of the code that builds it (``data/``) and the versions of
Python and of the libraries whose objects it holds. Change any of them and the fingerprint
changes, so a stale snapshot is never read; it is removed when more than ``KEPT`` snapshots
lie in the folder.

Unpickling runs code named in the file, so a snapshot is read only from a folder that belongs
to the user running the server and that nobody else may write to (``safe_folder``); the server
makes it so (mode 0700). Reading or writing a snapshot never stops a server: whatever goes
wrong is logged and the dataset is built from its files instead.

The engine decides what goes in (``data.engine.snapshot``); this module only reads and writes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import platform
import stat
import tempfile
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from data.io.paths import DATA_DIR, GEO_DIR, REFERENCE_DIR, TAXONOMY_DIR

log = logging.getLogger(__name__)

KEPT = 3
"""Snapshots kept per folder (one per dataset and code version); older ones are removed."""
SUFFIX = ".snapshot"
MAX_FILES = 1_000
"""Files fingerprinted per folder at most: a dataset folder holds a few dozen; a folder with
more is not a dataset folder, and is not snapshotted."""
STALE_SECONDS = 3600
"""A temporary file older than this was left by a writer that was killed."""
LIBRARIES = ("numpy", "pandas", "pyarrow")
"""Whose objects a snapshot holds: another version may not read them back the same."""


class NotFingerprinted(Exception):
    """The inputs cannot be fingerprinted (too many files, a file unreadable): no snapshot."""


def default_folder() -> Path:
    """Where snapshots go unless told: ``$XDG_CACHE_HOME/ket-dashboard/snapshots``
    (``~/.cache/...`` when the variable is not set)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ket-dashboard" / "snapshots"


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, links to folders not followed, at most ``MAX_FILES``."""
    found: list[Path] = []
    for root, _, names in os.walk(folder):
        # Regular files only: a FIFO would block the read.
        found += [path for name in names if (path := Path(root) / name).is_file()]
        if len(found) > MAX_FILES:
            raise NotFingerprinted(f"{folder}: more than {MAX_FILES} files")
    return sorted(found)


def fingerprint(dataset_folder: Path, taxonomy_dir: Path = TAXONOMY_DIR) -> str:
    """The hex digest naming the snapshot of ``dataset_folder``: its path; the content of its
    files (the seed documents under ``sources/`` included: quotes are checked against them), of
    the taxonomy, of the bundled geometry and of the code under ``data/``; the versions of
    Python and of ``LIBRARIES``. Raises NotFingerprinted."""
    digest = hashlib.sha256()
    versions = [platform.python_version()] + [metadata.version(name) for name in LIBRARIES]
    # The folder's own path too: the dataset remembers where it was loaded from.
    digest.update("\0".join([*versions, str(dataset_folder.resolve())]).encode())
    code = sorted(DATA_DIR.rglob("*.py"))
    groups: Iterable[tuple[str, Path, list[Path]]] = (
        ("dataset", dataset_folder, _files(dataset_folder)),
        ("taxonomy", taxonomy_dir, _files(taxonomy_dir)),
        ("geo", GEO_DIR, _files(GEO_DIR)), ("reference", REFERENCE_DIR, _files(REFERENCE_DIR)),
        ("code", DATA_DIR, code))
    try:
        for group, root, files in groups:
            for path in files:
                digest.update(f"\0{group}\0{path.relative_to(root)}\0".encode())
                with path.open("rb") as handle:
                    digest.update(hashlib.file_digest(handle, "sha256").digest())
    except OSError as error:
        raise NotFingerprinted(str(error)) from error
    return digest.hexdigest()


def safe_folder(folder: Path) -> bool:
    """The folder exists, is a directory (not a link), belongs to this process's user and no
    one else may write to it: only then is a pickle in it read."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def read(folder: Path, key: str) -> object | None:
    """The object in the snapshot ``key``, or None when there is none or it cannot be read
    (then the file is removed, so the next start writes a good one)."""
    path = folder / f"{key}{SUFFIX}"
    if not safe_folder(folder):
        if folder.exists():
            log.warning("%s: not read: the folder must be yours and writable by you alone", folder)
        return None
    try:
        with path.open("rb") as handle:
            found: object = pickle.load(handle)
            return found
    except FileNotFoundError:
        return None
    # A file cut short, written by other code, or naming a class since renamed: all mean
    # "build it again", and none may stop the server.
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
            ValueError, IndexError, KeyError) as error:
        log.warning("%s: snapshot not read (%s: %s); building the dataset from its files",
                    path, type(error).__name__, error)
        path.unlink(missing_ok=True)
        return None


def write(folder: Path, key: str, value: object) -> Path | None:
    """Write ``value`` as the snapshot ``key`` (whole or not at all: a temporary file renamed
    into place) and remove all but the ``KEPT`` newest snapshots. None when it could not be
    written (disk full, folder not ours); the server carries on without."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        log.warning("%s: no snapshot written: %s", folder, error)
        return None
    if not safe_folder(folder):
        log.warning("%s: no snapshot written: the folder must be yours and writable by you alone", folder)
        return None
    path = folder / f"{key}{SUFFIX}"
    handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError) as error:
        log.warning("%s: no snapshot written: %s", path, error)
        Path(temporary).unlink(missing_ok=True)
        return None
    prune(folder)
    return path


def prune(folder: Path, keep: int = KEPT) -> None:
    """Remove all but the ``keep`` newest snapshots, and temporary files a killed writer left."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    now = time.time()
    dated: list[tuple[float, Path]] = []
    for path in entries:
        try:
            modified = path.stat().st_mtime
            if path.suffix == SUFFIX:
                dated.append((modified, path))
            # Another server may be writing one now; a killed writer's file is old.
            elif path.name.startswith(".") and path.suffix == ".tmp" and now - modified > STALE_SECONDS:
                path.unlink()
        except FileNotFoundError:
            continue
    for _, old in sorted(dated, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
