"""Tiny datasets built in code, written as CSV folders the loader reads like any other.

Tests describe the rows they care about as dicts; ``write_dataset`` writes every table of the
format with the columns declared in ``data/schema.py`` (a row may leave out optional cells) and
copies the shared taxonomy beside it, so a test can also damage the taxonomy without touching
``data/taxonomy``. ``tiny_tables`` is a small valid dataset whose every project exercises a
different case of the views: dated, derived end, open-ended, undated, end only.
"""

from __future__ import annotations

import copy
import csv
import functools
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from data.engine.model import Dataset, load_dataset
from data.io import schema
from data.io.loader import DatasetError, Problem
from data.io.paths import TAXONOMY_DIR

REPO = Path(__file__).resolve().parent.parent
SEED_DIR = REPO / "data" / "seed"

Rows = list[dict[str, str]]
Tables = dict[str, Rows]

DOC_ID = "doc-1.txt"
# The one seed document of the tiny dataset. Every quote below is a passage of it, because the
# loader checks that quotes citing a seed document stand in it word for word.
DOC_TEXT = (
    "Tiny document.\n"
    "Alpha joins Nordcluster and Sudcluster with Somewhere Lab.\n"
    "Beta joins Nordcluster and a partner from Ukraine.\n"
    "Gamma has partners in Italy and Germany.\n"
    "Delta names no date.\n"
    "Epsilon ended in 2008 with Athens Hub.\n"
    "Programme A funds it. Programme B funds it.\n"
    "Alpha works on photonics for health. Beta works on nanotechnology and photonics for digital.\n"
    "Epsilon speaks of KETs in general.\n"
    "The consortium has three partners. The consortium has two partners.\n"
    "Alpha kick-off in Berlin.\n"
    "Regional cluster programme.\n"
)

TABLES_BY_NAME = {t.name: t for t in schema.DATASET_TABLES}


def _row(**cells: str) -> dict[str, str]:
    return dict(cells)


def tiny_tables() -> Tables:
    """A fresh copy of the tiny valid dataset; tests may change it freely.

    Projects (what each one is for):
      alpha   2010-01-01..2012-12-31, programme A, DE+FR (+ an organisation with no country),
              EU contribution 1.5M, budget 2M; photonics x health.
      beta    2012-06, 24 months stated, no end -> end derived; programme B; DE via an
              organisation and UA named as a country only; nanotechnology + photonics x digital.
      gamma   2015, no end, no duration -> open-ended; no programme; IT and DE named as countries
              only; no KET, no sector.
      delta   no dates at all; no partners, no tags.
      epsilon only an end date (2008); GR via an organisation; KETs unspecified.
    """
    tables: Tables = {
        "sources": [
            _row(source_id=DOC_ID, kind="seed", title="Tiny seed document"),
            _row(source_id="ext-1", kind="external", title="An external fact", url="https://example.org"),
        ],
        "programmes": [
            _row(programme_id="prog-a", name="Programme A", source=DOC_ID, quote="Programme A funds it."),
            _row(programme_id="prog-b", name="Programme B", source=DOC_ID, quote="Programme B funds it."),
        ],
        "projects": [
            _row(project_id="alpha", acronym="Alpha", title="Alpha light project", kind="project",
                 programme_id="prog-a", start_date="2010-01-01", end_date="2012-12-31",
                 budget_eur="2000000", eu_contribution_eur="1500000", summary="Light for health.",
                 url="https://alpha.example.org", source=DOC_ID,
                 quote="Alpha joins Nordcluster and Sudcluster"),
            _row(project_id="beta", acronym="Beta", title="Beta nano project", kind="project",
                 programme_id="prog-b", start_date="2012-06", duration_months="24",
                 eu_contribution_eur="500000", source=DOC_ID, quote="Beta joins Nordcluster"),
            _row(project_id="gamma", acronym="Gamma", kind="initiative", start_date="2015",
                 source=DOC_ID, quote="Gamma has partners in Italy"),
            _row(project_id="delta", acronym="Delta", kind="call", source=DOC_ID,
                 quote="Delta names no date."),
            _row(project_id="epsilon", acronym="Epsilon", title="Epsilon service", kind="service-contract",
                 programme_id="prog-a", end_date="2008", source="ext-1", quote="Not checked: external."),
        ],
        "organisations": [
            _row(organisation_id="nordcluster", name="Nordcluster", country="DE",
                 country_source="ext-1", country_quote="Nordcluster is in Germany.",
                 type="cluster-organisation", is_cluster_organisation="true", source=DOC_ID,
                 quote="Nordcluster"),
            _row(organisation_id="sudcluster", name="Sudcluster", country="FR",
                 country_source="ext-1", country_quote="Sudcluster is in France.", source=DOC_ID,
                 quote="Sudcluster"),
            _row(organisation_id="somewhere-lab", name="Somewhere Lab", source=DOC_ID, quote="Somewhere Lab"),
            _row(organisation_id="athens-hub", name="Athens Hub", country="GR",
                 country_source="ext-1", country_quote="Athens Hub is in Greece.", source=DOC_ID,
                 quote="Athens Hub"),
        ],
        "participations": [
            _row(project_id="alpha", organisation_id="nordcluster", role="coordinator",
                 work_packages_led="WP1;WP2", source=DOC_ID, quote="Alpha joins Nordcluster"),
            _row(project_id="alpha", organisation_id="sudcluster", role="partner", source=DOC_ID,
                 quote="Sudcluster"),
            _row(project_id="alpha", organisation_id="somewhere-lab", source=DOC_ID, quote="Somewhere Lab"),
            _row(project_id="beta", organisation_id="nordcluster", role="lead-partner", source=DOC_ID,
                 quote="Beta joins Nordcluster"),
            _row(project_id="epsilon", organisation_id="athens-hub", role="partner", source=DOC_ID,
                 quote="Epsilon ended in 2008 with Athens Hub."),
        ],
        "project_countries": [
            _row(project_id="beta", country="UA", role="associated-partner", source=DOC_ID,
                 quote="a partner from Ukraine"),
            _row(project_id="gamma", country="IT", role="partner", source=DOC_ID,
                 quote="Gamma has partners in Italy and Germany."),
            _row(project_id="gamma", country="DE", role="partner", source=DOC_ID,
                 quote="Gamma has partners in Italy and Germany."),
        ],
        "project_kets": [
            _row(project_id="alpha", ket="photonics", source=DOC_ID, quote="Alpha works on photonics"),
            _row(project_id="beta", ket="nanotechnology", origin="curated", source=DOC_ID,
                 quote="Beta works on nanotechnology"),
            _row(project_id="beta", ket="photonics", origin="inferred", source=DOC_ID,
                 quote="nanotechnology and photonics"),
            _row(project_id="epsilon", ket="unspecified", source=DOC_ID,
                 quote="Epsilon speaks of KETs in general."),
        ],
        "project_sectors": [
            _row(project_id="alpha", sector="health", source=DOC_ID, quote="photonics for health"),
            _row(project_id="beta", sector="digital", source=DOC_ID, quote="photonics for digital"),
        ],
        "activities": [
            _row(activity_id="alpha-kick-off", project_id="alpha", kind="event", title="Kick-off",
                 start_date="2010-02", location="Berlin", country="DE", source=DOC_ID,
                 quote="Alpha kick-off in Berlin."),
        ],
        "policy_instruments": [
            _row(instrument_id="alpha-regional", project_id="alpha", organisation_id="sudcluster",
                 name="Regional cluster programme", source=DOC_ID, quote="Regional cluster programme."),
        ],
        "project_facts": [
            _row(project_id="alpha", field="partner_count", value="3", source=DOC_ID,
                 quote="The consortium has three partners."),
            _row(project_id="beta", field="partner_count", value="2", source=DOC_ID,
                 quote="The consortium has two partners."),
        ],
    }
    return copy.deepcopy(tables)


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    """Write rows under a header; a row's missing cells are left empty, unknown keys fail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), restval="", extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)


def copy_taxonomy(root: Path) -> Path:
    """A private copy of ``data/taxonomy`` under ``root``."""
    target = root / "taxonomy"
    if not target.exists():
        shutil.copytree(TAXONOMY_DIR, target)
    return target


def write_dataset(
    root: Path,
    tables: Mapping[str, Rows] | None = None,
    documents: Mapping[str, str] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write a dataset folder ``root/dataset`` (and ``root/taxonomy``); return the dataset folder.

    ``tables`` defaults to ``tiny_tables()``; a table left out is not written (the loader then
    treats it as an absent optional file). ``documents`` are the seed texts (default: DOC_TEXT as
    ``doc-1.txt``). ``columns`` overrides a file's header, to leave a column out or add one.
    """
    tables = tiny_tables() if tables is None else tables
    documents = {DOC_ID: DOC_TEXT} if documents is None else documents
    columns = columns or {}
    folder = root / "dataset"
    folder.mkdir(parents=True, exist_ok=True)
    copy_taxonomy(root)
    for name, rows in tables.items():
        header = columns.get(name, TABLES_BY_NAME[name].columns)
        write_csv(folder / f"{name}.csv", header, rows)
    for source_id, text in documents.items():
        (folder / "sources").mkdir(exist_ok=True)
        (folder / "sources" / source_id).write_text(text, encoding="utf-8")
    return folder


def load_tiny(root: Path, tables: Mapping[str, Rows] | None = None) -> Dataset:
    """Write and load a tiny dataset (default: ``tiny_tables()``)."""
    folder = write_dataset(root, tables)
    return load_dataset(folder, taxonomy_dir=root / "taxonomy")


def load_problems(folder: Path, taxonomy_dir: Path | None = None) -> list[Problem]:
    """The problems the loader refuses ``folder`` with; fails the test if it loads."""
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, taxonomy_dir=taxonomy_dir or folder.parent / "taxonomy")
    assert caught.value.problems, "a DatasetError must list at least one problem"
    return caught.value.problems


@functools.cache
def load_seed() -> Dataset:
    """The bundled seed dataset, loaded once per test session (tests must not change it)."""
    return load_dataset(SEED_DIR)


def csv_rows(path: Path) -> int:
    """Data rows of a CSV file as a CSV reader counts them (header excluded)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1
