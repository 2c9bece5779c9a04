"""The datasets a server serves: its default dataset and the ones users upload.

An upload becomes a dataset folder of its own under the server's upload folder and gets an id;
a view names it in its state (``?dataset=<id>``), so one person's upload never changes what
anyone else sees, and the default dataset is never touched. Each dataset is loaded and indexed
once, when it is added.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from data.engine.model import Dataset, load_dataset

log = logging.getLogger(__name__)

DEFAULT_ID = "default"
MAX_UPLOADED = 8
"""How many uploaded datasets stay in memory; the least recently used goes first."""


class DatasetRegistry:
    """Id -> indexed dataset. Thread-safe: Dash may serve callbacks from several threads."""

    def __init__(self, default: Dataset, upload_root: Path | None = None, limit: int = MAX_UPLOADED):
        self.default = default
        self._uploads: OrderedDict[str, Dataset] = OrderedDict()
        self._labels: dict[str, str] = {}
        self._limit = limit
        self._lock = threading.Lock()
        self._own_root = upload_root is None
        self.upload_root = Path(upload_root or tempfile.mkdtemp(prefix="ket-uploads-"))
        self.upload_root.mkdir(parents=True, exist_ok=True)

    def get(self, dataset_id: str | None) -> Dataset | None:
        """The dataset with this id (None or 'default': the default), or None if unknown."""
        if not dataset_id or dataset_id == DEFAULT_ID:
            return self.default
        with self._lock:
            found = self._uploads.get(dataset_id)
            if found is not None:
                self._uploads.move_to_end(dataset_id)
            return found

    def resolve(self, dataset_id: str | None) -> Dataset:
        """Like ``get``, but an unknown id falls back to the default dataset."""
        return self.get(dataset_id) or self.default

    def new_folder(self) -> tuple[str, Path]:
        """A fresh id and the folder an upload with that id is written to (not created)."""
        dataset_id = secrets.token_hex(6)
        return dataset_id, self.upload_root / dataset_id

    def label(self, dataset_id: str | None) -> str:
        """What to call a dataset on the page: the uploaded file's name, or 'default'."""
        return self._labels.get(dataset_id or "", DEFAULT_ID)

    def add(self, dataset_id: str, folder: Path, label: str = "") -> Dataset:
        """Load the dataset in ``folder`` under ``dataset_id``. Raises DatasetError if invalid."""
        dataset = load_dataset(folder)
        with self._lock:
            self._uploads[dataset_id] = dataset
            self._labels[dataset_id] = label or dataset_id
            while len(self._uploads) > self._limit:
                old_id, _ = self._uploads.popitem(last=False)
                log.info("evicted uploaded dataset %s (%s): over %d in memory", old_id,
                         self._labels.get(old_id, old_id), self._limit)
                shutil.rmtree(self.upload_root / old_id, ignore_errors=True)
        log.info("added dataset %s (%s): %d projects", dataset_id, label or dataset_id, dataset.size)
        return dataset

    def close(self) -> None:
        """Remove the upload folder if the registry made it."""
        if self._own_root:
            log.info("removing the upload folder %s", self.upload_root)
            shutil.rmtree(self.upload_root, ignore_errors=True)
