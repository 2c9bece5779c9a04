"""Write normalized tables as a dataset folder: all or nothing, validated before it lands.

Importers build a ``dict[table name -> DataFrame]`` in the normalized format (``data/FORMAT.md``);
``write_dataset`` writes it to a temporary folder beside the target, loads that folder with the
app's own loader (so an imported dataset is exactly as valid as the seed), and only then moves it
into place. An interrupted or refused import leaves no half-written dataset.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from data import schema
from data.importers.report import ImportFailure, ImportReport
from data.loader import load_tables, read_source_text

TABLES = {t.name: t for t in schema.DATASET_TABLES}


def empty_tables() -> dict[str, pd.DataFrame]:
    """One empty all-string frame per table of the format, with its declared columns."""
    return {name: pd.DataFrame({c: pd.Series(dtype=str) for c in t.columns}) for name, t in TABLES.items()}


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the declared columns of table ``name``, as strings, '' for missing."""
    table = TABLES[name]
    out = pd.DataFrame(index=frame.index)
    for column in table.columns:
        out[column] = frame[column].fillna("").astype(str) if column in frame else ""
    return out.reset_index(drop=True)


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


def write_dataset(
    tables: dict[str, pd.DataFrame],
    out: Path,
    report: ImportReport,
    documents: dict[str, str] | None = None,
) -> None:
    """Write ``tables`` (and seed ``documents`` by source id) as a dataset at ``out``.

    The folder appears complete and valid, or not at all; the report goes beside the tables.
    Raises ``data.loader.DatasetError`` if the result would not load.
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
            conform(name, tables.get(name, pd.DataFrame())).to_csv(
                staging / f"{name}.csv", index=False, encoding="utf-8")
        if documents:
            (staging / "sources").mkdir()
            for source_id, text in documents.items():
                (staging / "sources" / source_id).write_text(text, encoding="utf-8")
        load_tables(staging)
        report.write(staging / "import")
        if out.exists():
            retired = out.with_name(f".{out.name}-old")
            shutil.rmtree(retired, ignore_errors=True)
            out.rename(retired)
            staging.rename(out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
