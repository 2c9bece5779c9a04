"""Start-up from a snapshot: the indexed dataset as it was last built from the same files.

Reading and indexing a million participations takes about 20 s; reading its snapshot back
takes about 2. ``load`` returns the snapshot when one matches the dataset's fingerprint
(``data.io.snapshot.fingerprint``: the files, the taxonomy, the geometry, the code and the
library versions), and otherwise builds the dataset from its files. ``save`` writes it once the
server has warmed its indexes (the functions marked ``per_dataset(..., index=True)``), so the
next start gets those too.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from data.engine.model import Dataset, load_dataset
from data.io import snapshot as files
from data.io.paths import TAXONOMY_DIR

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    """A dataset and where it came from."""

    dataset: Dataset
    key: str | None
    """The snapshot's fingerprint; None when the inputs could not be fingerprinted."""
    from_snapshot: bool


def load(folder: Path | str, snapshot_dir: Path | None,
         taxonomy_dir: Path = TAXONOMY_DIR) -> Loaded:
    """The dataset in ``folder``: from its snapshot in ``snapshot_dir`` if there is a good one,
    else loaded, validated and indexed (``load_dataset``; raises DatasetError). No
    ``snapshot_dir``: always from the files."""
    folder = Path(folder)
    if snapshot_dir is None:
        return Loaded(load_dataset(folder, taxonomy_dir), None, False)
    began = time.perf_counter()
    try:
        key: str | None = files.fingerprint(folder, taxonomy_dir)
    except files.NotFingerprinted as why:
        log.warning("%s: no snapshot: %s", folder, why)
        key = None
    if key is not None:
        found = files.read(snapshot_dir, key)
        if isinstance(found, Dataset):
            log.info("%s: read from its snapshot in %.1f s", folder, time.perf_counter() - began)
            return Loaded(found, key, True)
        if found is not None:
            log.warning("%s: snapshot %s holds a %s, not a dataset; ignored", folder, key,
                        type(found).__name__)
    return Loaded(load_dataset(folder, taxonomy_dir), key, False)


def save(loaded: Loaded, snapshot_dir: Path | None) -> Path | None:
    """Write the dataset's snapshot, unless it came from one (or has no fingerprint). The file
    written, or None."""
    if snapshot_dir is None or loaded.key is None or loaded.from_snapshot:
        return None
    began = time.perf_counter()
    written = files.write(snapshot_dir, loaded.key, loaded.dataset)
    if written is not None:
        log.info("%s: snapshot written to %s in %.1f s", loaded.dataset.folder, written,
                 time.perf_counter() - began)
    return written
