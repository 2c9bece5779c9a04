"""Write normalized tables as a dataset folder: all or nothing, validated before it lands.

Importers build a ``dict[table name -> DataFrame]`` in the normalized format (``data/FORMAT.md``);
``write_dataset`` writes it to a temporary folder beside the target, loads that folder with the
app's own loader and builds the app's own indexes over it (exactly what ``python app.py --data``
does, so an import that exits 0 is one the app starts on), and only then moves it into place. An
interrupted or refused import leaves no half-written dataset.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from data.engine.model import Dataset, build_dataset
from data.importers.report import ImportFailure, ImportReport
from data.io import schema
from data.io.loader import DatasetError, load_tables, read_source_text

logger = logging.getLogger(__name__)

TABLES = {t.name: t for t in schema.DATASET_TABLES}

DATA_ERRORS: tuple[type[Exception], ...] = (
    ValueError, TypeError, KeyError, IndexError, NotImplementedError, pa.ArrowException,
)
"""What pandas, numpy and Arrow raise when code meets data it did not expect (ArrowInvalid is a
ValueError). Validated data that still raises one of these is a bug of ours, not the user's:
the boundaries that run a whole import turn it into an ``ImportFailure`` and log the traceback."""


def empty_tables() -> dict[str, pd.DataFrame]:
    """One empty all-string frame per table of the format, with its declared columns."""
    return {name: pd.DataFrame({c: pd.Series(dtype=str) for c in t.columns}) for name, t in TABLES.items()}


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the declared columns of table ``name``, as strings, '' for missing."""
    table = TABLES[name]
    out = pd.DataFrame(index=frame.index)
    for column in table.columns:
        out[column] = _text(frame[column]) if column in frame else ""
    return out.reset_index(drop=True)


def _text(values: pd.Series) -> pd.Series:
    """A column as text, '' where a value is missing, whatever its dtype. ``fillna('')`` alone
    raises on an Arrow-typed column that is all missing (an Arrow double refuses '') and is
    deprecated on a float one, so anything but a string column goes through Python objects."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("").astype(str)
    objects = values.astype(object)
    return objects.where(objects.notna(), "").astype(str)


def read_dataset(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The validated tables of an existing dataset (to merge into) and its seed documents."""
    tables = load_tables(folder)
    documents = {}
    for source_id in tables["sources"].loc[tables["sources"]["kind"] == "seed", "source_id"]:
        text = read_source_text(folder, source_id)
        if text is not None:
            documents[source_id] = text
    return {name: tables[name] for name in TABLES}, documents


def merge_tables(base: dict[str, pd.DataFrame], extra: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables of two datasets as one. Rows whose key is already in ``base`` are kept from
    ``base`` (the loader would refuse duplicates); sources and programmes shared by both are
    expected and kept once."""
    merged: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        left = conform(name, base.get(name, pd.DataFrame()))
        right = conform(name, extra.get(name, pd.DataFrame()))
        both = pd.concat([left, right], ignore_index=True)
        merged[name] = both.drop_duplicates(subset=list(table.key), keep="first").reset_index(drop=True)
    return merged


def index_folder(folder: Path, name: str) -> Dataset:
    """Load ``folder`` with the app's loader and build the app's indexes over it: what the app
    does at start-up. ``name`` is how the user knows the dataset, for the message.

    Raises ``DatasetError`` (every problem, by file, line and field) if it does not validate,
    ``ImportFailure`` if it validates but cannot be indexed (a bug, logged with its traceback)."""
    try:
        return build_dataset(load_tables(folder), folder)
    except DatasetError:
        raise
    except DATA_ERRORS as exc:
        logger.exception("indexing the dataset for %s in %s failed", name, folder)
        raise ImportFailure(
            f"{name}: the tables passed validation but the app could not index them "
            f"({type(exc).__name__}: {str(exc)[:200]}); this is a bug of the dashboard, please "
            "report it with the input") from exc
    except MemoryError as exc:
        raise ImportFailure(f"{name}: not enough memory to index the dataset; import it on a "
                            "machine with more memory, or split the input") from exc


def write_dataset(
    tables: dict[str, pd.DataFrame],
    out: Path,
    report: ImportReport,
    documents: dict[str, str] | None = None,
) -> Dataset:
    """Write ``tables`` (and seed ``documents`` by source id) as a dataset at ``out``.

    The folder appears complete and valid, or not at all; the report goes beside the tables.
    Returns the dataset as the app indexes it (loaded once, from the written files), so that a
    caller serving it need not load it again. Raises ``data.io.loader.DatasetError`` if the result
    would not load and ``ImportFailure`` if it would load but not index.
    """
    report.check_balanced()
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "projects.csv").exists())):
        raise ImportFailure(f"{out}: exists and is not a dataset folder; choose a new or empty "
                            "folder (an existing dataset folder is replaced whole)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name in TABLES:
            _write_csv(conform(name, tables.get(name, pd.DataFrame())), staging / f"{name}.csv")
        if documents:
            (staging / "sources").mkdir()
            for source_id, text in documents.items():
                (staging / "sources" / source_id).write_text(text, encoding="utf-8")
        dataset = index_folder(staging, str(out))
        report.write(staging / "import")
        _move_into_place(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dataclasses.replace(dataset, folder=out)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """One table as UTF-8 CSV. Arrow's writer takes 0.3 s for a million participations where
    ``DataFrame.to_csv`` takes 6; it quotes every cell (valid RFC 4180, which the loader and any
    spreadsheet read the same), and the columns are all text already, so nothing is converted."""
    pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def _move_into_place(staging: Path, out: Path) -> None:
    """Rename ``staging`` to ``out``, replacing a dataset there; the old one comes back if the
    rename fails, so ``out`` is always one whole dataset or absent."""
    if not out.exists():
        staging.rename(out)
        return
    retired = out.with_name(f".{out.name}-old")
    shutil.rmtree(retired, ignore_errors=True)
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
