"""Where the bundled data files live: the seed dataset, the taxonomy and the map geometry.

The data folders hold data only; code that reads them is in ``data/io``. Every path to a
bundled file is built here, so moving a folder is a change to one module.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = DATA_DIR / "seed"
TAXONOMY_DIR = DATA_DIR / "taxonomy"
GEO_DIR = DATA_DIR / "geo"
REFERENCE_DIR = DATA_DIR / "reference"
LOCALE_DIR = DATA_DIR / "locale"
"""The interface's message catalogs: ``<lang>/LC_MESSAGES/messages.po`` (``data.io.i18n``)."""
