"""A dataset folder's storyboard: the presenter's ``storyboard.json`` beside the CSV files.

Only this layer reads files, so the bytes are read here, bounded; what they mean is the
engine's business (``data.engine.storyboard.from_json``). A folder without the file has no
storyboard; a file that cannot be read is logged and its problem returned, and the dataset
loads all the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

STORYBOARD_FILE = "storyboard.json"
MAX_STORYBOARD_BYTES = 256 * 1024
"""The same bound as ``data.engine.storyboard.MAX_FILE_BYTES`` (this layer imports no engine)."""


@dataclass(frozen=True)
class StoryboardFile:
    """What was found in a dataset folder: the file's bytes (cut one byte past the bound, so a
    larger file is recognised as such), or why it could not be read."""

    content: bytes | None = None
    problem: str = ""


def read_storyboard(folder: Path) -> StoryboardFile | None:
    """The ``storyboard.json`` of a dataset folder, or None if the folder has none."""
    path = Path(folder) / STORYBOARD_FILE
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return StoryboardFile(content=handle.read(MAX_STORYBOARD_BYTES + 1))
    except OSError as error:
        log.warning("%s: storyboard not read: %s", path, error)
        return StoryboardFile(problem=f"{STORYBOARD_FILE}: could not be read ({error.strerror or error})")
