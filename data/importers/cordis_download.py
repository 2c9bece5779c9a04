"""Finding the files of a CORDIS download: a zip as CORDIS publishes it
(``cordis-HORIZONprojects-csv.zip``), its unpacked folder, or single files.

CORDIS names the tables of a programme ``project``, ``organization``, ``euroSciVoc``,
``topics``, ``legalBasis``, ``webLink`` and ``policyPriorities`` (``.csv``, ``.xlsx`` or
``.json``); exports before 2021 call them ``cordis-fp7projects.csv`` and
``cordis-fp7organizations.csv``. Files that carry nothing the dashboard shows (``webItem``,
report summaries, deliverables) are listed as not read, never silently skipped.

A zip is unpacked into a temporary folder with bounds on the number of members and their
unpacked size, so a zip bomb is refused before it fills the disk.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from data.importers.csvio import DEFAULT_MAX_BYTES
from data.importers.report import ImportFailure
from data.importers.tables import FORMATS

logger = logging.getLogger(__name__)

# The tables, in the order they are imported, and their file names (lower case, without
# 'cordis-' and the programme: 'cordis-fp7projects' -> 'projects'). Exact names: CORDIS's other
# downloads ('projectDeliverables', 'projectPublications') start alike but are other tables.
KINDS = ("project", "organization", "euroSciVoc", "topics", "legalBasis", "webLink",
         "policyPriorities")
NAMES = {
    "project": ("project", "projects"),
    "organization": ("organization", "organizations", "organisation", "organisations"),
    "euroSciVoc": ("euroscivoc",),
    "topics": ("topics", "topic"),
    "legalBasis": ("legalbasis",),
    "webLink": ("weblink", "weblinks"),
    "policyPriorities": ("policypriorities",),
}
MAX_MEMBERS = 200


@dataclass
class Download:
    """The tables found, by kind, and the files that were not read (with why)."""

    files: dict[str, Path] = field(default_factory=dict)
    not_read: list[str] = field(default_factory=list)


def kind_of(name: str) -> str | None:
    """The CORDIS table a file name stands for, or None: 'project.csv' -> 'project',
    'cordis-fp7organizations.xlsx' -> 'organization', 'webItem.csv' -> None."""
    path = PurePosixPath(name)
    if path.suffix.lower() not in FORMATS:
        return None
    stem = path.stem.lower().removeprefix("cordis-")
    for programme in ("h2020", "horizon", "fp7", "fp6", "fp5", "he"):
        if stem.startswith(programme) and len(stem) > len(programme):
            stem = stem[len(programme):].lstrip("-_")
            break
    for kind in KINDS:
        if stem in NAMES[kind]:
            return kind
    return None


def _add(download: Download, path: Path, shown: str) -> None:
    kind = kind_of(path.name)
    if kind is None:
        download.not_read.append(f"{shown}: not a CORDIS table the dashboard reads")
    elif kind in download.files:
        raise ImportFailure(f"{shown}: a second '{kind}' table (also {download.files[kind].name}); "
                            "import one programme's download at a time, or name the files")
    else:
        download.files[kind] = path


def _unzip(archive: Path, into: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise ImportFailure(f"{archive.name}: {len(members)} files in the zip; a CORDIS "
                                    f"download has fewer than {MAX_MEMBERS}")
            total = sum(m.file_size for m in members)
            if total > max_bytes:
                raise ImportFailure(f"{archive.name}: unpacks to {total:,} bytes, over the limit of "
                                    f"{max_bytes:,} bytes (--max-bytes)")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.name.startswith(".") or "__MACOSX" in name.parts:
                    continue
                # Only the file name is kept: no member can write outside the folder.
                target = into / name.name
                if target.exists():
                    target = into / f"{len(list(into.iterdir()))}-{name.name}"
                with zipped.open(member) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
    except zipfile.BadZipFile as exc:
        raise ImportFailure(f"{archive.name}: not a readable zip archive ({exc})") from exc


@contextmanager
def open_download(paths: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Download]:
    """The CORDIS tables among ``paths`` (zips, folders, single files), unpacked while in use."""
    download = Download()
    scratch: Path | None = None
    try:
        for given in map(Path, paths):
            if given.is_dir():
                for path in sorted(p for p in given.rglob("*") if p.is_file()):
                    _add(download, path, str(path.relative_to(given)))
            elif given.suffix.lower() == ".zip" and given.is_file():
                scratch = scratch or Path(tempfile.mkdtemp(prefix="cordis-download-"))
                folder = scratch / str(len(list(scratch.iterdir())))
                folder.mkdir()
                _unzip(given, folder, max_bytes)
                for path in sorted(folder.iterdir()):
                    _add(download, path, f"{given.name}: {path.name}")
            elif given.is_file():
                if kind_of(given.name) is None:
                    raise ImportFailure(f"{given.name}: not a CORDIS table (project, organization, "
                                        "euroSciVoc, topics, legalBasis, webLink, policyPriorities; "
                                        ".csv, .xlsx or .json) nor a zip of them")
                _add(download, given, given.name)
            else:
                raise ImportFailure(f"{given}: no such file or folder")
        if not download.files:
            raise ImportFailure("no CORDIS table found in " + ", ".join(map(str, paths))
                                + " (expected project.csv, organization.csv, ... or a zip of them)")
        logger.info("CORDIS download: %s", ", ".join(f"{k}={p.name}" for k, p in download.files.items()))
        yield download
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
