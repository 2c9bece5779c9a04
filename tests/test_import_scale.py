"""A million participation rows, optional columns left empty, imported and served by the app.

A spreadsheet of 527,000 rows with no programme column once imported with exit 0 and then stopped
``python app.py --data`` with ``ArrowInvalid: Could not convert ''``: columns long enough to arrive
in several Arrow chunks changed dtype when they were joined into one, and a lookup that found
nothing (no programmes) then came back as an Arrow double that refused a '' fill. It loaded at
20,000 projects and failed at 40,000. The first tests rebuild that case small (a column in two
chunks); the million-row tests import at full size what users import.

The inputs are generated here with vectorised numpy and Arrow (no fixture files), imported with the
command line's ``main`` and served with ``server.factory.create_app``; the counts the app answers are compared
with the same counts computed from the generated input with pandas.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pytest
from dash import _get_app as dash_app

from data.engine.model import build_dataset
from data.importers.__main__ import main
from data.importers.report import ImportReport
from data.importers.writer import conform, read_dataset, write_dataset
from data.io.columns import contiguous
from data.io.loader import load_tables
from server.factory import create_app

PROJECTS = 60_000
ROWS = 1_000_000
ORG_POOL = 200_003
"""Prime, so that organisation (project * 31 + k * 1009) % ORG_POOL never repeats within a project."""
COUNTRIES = np.array(["DE", "FR", "IT", "ES", "NL", "BE", "EL", "UK", "PL", "AT", "SE", "FI", "PT"])
"""As the sources write them: EL and UK must come out as GR and GB."""
ISO = {"EL": "GR", "UK": "GB"}
NO_COUNTRY_EVERY = 97
"""Every 97th organisation states no country: unknown stays unknown, it is not a country."""


# --- fast unit checks of the root cause (no big input needed) --------------------------------


def test_joining_chunks_keeps_the_column_dtype() -> None:
    chunked = pd.concat([pd.Series(["a", ""], dtype="str"), pd.Series(["", ""], dtype="str")],
                        ignore_index=True)
    assert chunked.array._pa_array.num_chunks == 2
    joined = contiguous(chunked)
    assert joined.array._pa_array.num_chunks == 1
    assert joined.dtype == chunked.dtype
    # The lookup that failed: nothing found, then a '' fill. With the dtype kept it stays text.
    assert joined.map({}).isna().all()


def test_an_all_empty_programme_column_in_several_chunks_builds(tmp_path: Path) -> None:
    """The reported failure, small: projects without programmes whose columns arrive chunked."""
    from fixtures_data import tiny_tables, write_dataset

    tables = tiny_tables()
    for row in tables["projects"]:
        row["programme_id"] = ""
    tables["programmes"] = []
    folder = write_dataset(tmp_path / "d", tables)
    loaded = load_tables(folder)
    projects = loaded["projects"]
    # As the loader treats a long column: read in two chunks, then joined into one.
    half = len(projects) // 2
    loaded["projects"] = pd.DataFrame({
        c: contiguous(pd.concat([projects[c].iloc[:half], projects[c].iloc[half:]]))
        for c in projects.columns})
    assert loaded["projects"]["programme_id"].dtype == projects["programme_id"].dtype
    dataset = build_dataset(loaded, folder)
    assert (dataset.projects["programme"] == "").all()
    assert dataset.vocabulary("programme") == {"not-stated": "Programme not stated"}


def test_tables_with_all_missing_non_text_columns_are_written_as_empty_text() -> None:
    frame = pd.DataFrame({
        "project_id": ["a", "b"],
        "budget_eur": pd.Series([None, None], dtype="double[pyarrow]"),  # refuses fillna('')
        "duration_months": [float("nan"), 36.0],
    })
    out = conform("projects", frame)
    assert out["budget_eur"].tolist() == ["", ""]
    assert out["duration_months"].tolist() == ["", "36.0"]
    assert out["title"].tolist() == ["", ""], "a column the importer did not give is empty"


def test_write_dataset_returns_the_indexed_dataset_where_it_landed(tmp_path: Path) -> None:
    from fixtures_data import write_dataset as write_fixture

    tables, documents = read_dataset(write_fixture(tmp_path / "src"))
    dataset = write_dataset(tables, tmp_path / "out", ImportReport(), documents)
    assert dataset.folder == tmp_path / "out"
    assert set(dataset.projects["project_id"]) == set(tables["projects"]["project_id"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"], "no staging folder left"


# --- generated inputs ------------------------------------------------------------------------


def _layout(seed: int) -> pd.DataFrame:
    """One row per participation: project index, organisation index, rank in the project.

    Every project has at least one row; an organisation is in a project at most once."""
    rng = np.random.default_rng(seed)
    project = np.sort(np.concatenate([np.arange(PROJECTS), rng.integers(0, PROJECTS, ROWS - PROJECTS)]))
    starts = np.searchsorted(project, np.arange(PROJECTS))
    rank = np.arange(ROWS) - starts[project]
    organisation = (project * 31 + rank * 1009) % ORG_POOL
    country = COUNTRIES[organisation % len(COUNTRIES)]
    country[organisation % NO_COUNTRY_EVERY == 0] = ""
    return pd.DataFrame({"project": project, "organisation": organisation, "rank": rank,
                         "country": country})


def _text(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def _dates(project: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Start on the first of a month from 2000 to 2023, end three years later, less a day."""
    first = np.datetime64("2000-01") + ((project % 24) * 12 + project % 12).astype("timedelta64[M]")
    start = first.astype("datetime64[D]")
    end = (first + np.timedelta64(36, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return pa.array(np.datetime_as_string(start)), pa.array(np.datetime_as_string(end))


def _write(path: Path, columns: dict[str, pa.Array | str], rows: int, delimiter: str) -> Path:
    """A CSV file with these columns; a str value is one value for every row ('' for empty)."""
    arrays = {name: value if isinstance(value, (pa.Array, pa.ChunkedArray))
              else pa.array(np.full(rows, value, dtype=object), pa.string())
              for name, value in columns.items()}
    pa_csv.write_csv(pa.table(arrays), path, pa_csv.WriteOptions(delimiter=delimiter))
    return path


def _expected_countries(layout: pd.DataFrame) -> pd.Series:
    """Projects per ISO country, from the input."""
    named = layout[layout["country"] != ""]
    return named.groupby(named["country"].replace(ISO))["project"].nunique()


def _cordis_inputs(folder: Path, layout: pd.DataFrame) -> tuple[Path, Path]:
    ids = 100_000 + np.arange(PROJECTS)
    start, end = _dates(np.arange(PROJECTS))
    empty = ""
    projects = _write(folder / "project.csv", {
        "id": pa.array(ids.astype(str)), "acronym": _text("P", np.arange(PROJECTS)),
        "status": pa.array(np.where(np.arange(PROJECTS) % 3, "CLOSED", "SIGNED")),
        "title": _text("Generated project ", np.arange(PROJECTS)),
        "startDate": start, "endDate": end,
        "totalCost": empty,
        "ecMaxContribution": pa.array(np.where(np.arange(PROJECTS) % 2, "", "250000.5")),
        "legalBasis": empty, "topics": empty, "ecSignatureDate": empty,
        "frameworkProgramme": "H2020", "masterCall": empty, "subCall": empty,
        "fundingScheme": "RIA", "nature": empty, "objective": empty,
        "contentUpdateDate": "2022-08-01 10:00:00", "rcn": pa.array((ids + 7).astype(str)),
        "grantDoi": empty,
    }, PROJECTS, ";")
    org = layout["organisation"].to_numpy()
    first = layout["rank"].to_numpy() == 0
    organisations = _write(folder / "organization.csv", {
        "projectID": pa.array((100_000 + layout["project"].to_numpy()).astype(str)),
        "projectAcronym": _text("P", layout["project"].to_numpy()),
        "organisationID": pa.array((900_000_000 + org).astype(str)),
        "vatNumber": empty, "name": _text("Organisation ", org), "shortName": empty, "SME": empty,
        "activityType": pa.array(np.array(["HES", "REC", "PRC", "PUB", "OTH"])[org % 5]),
        "street": empty, "postCode": empty, "city": empty,
        "country": pa.array(layout["country"].to_numpy()), "nutsCode": empty, "geolocation": empty,
        "organizationURL": empty, "contactForm": empty, "contentUpdateDate": empty, "rcn": empty,
        "order": pa.array((layout["rank"].to_numpy() + 1).astype(str)),
        "role": pa.array(np.where(first, "coordinator", "participant")),
        "ecContribution": pa.array(np.where(org % 2 == 0, "", "10000")),
        "netEcContribution": empty, "totalCost": empty, "endOfParticipation": empty, "active": empty,
    }, ROWS, ";")
    return projects, organisations


def _spreadsheet_input(folder: Path, layout: pd.DataFrame) -> Path:
    project = layout["project"].to_numpy()
    start, end = (dates.take(pa.array(project)) for dates in _dates(np.arange(PROJECTS)))
    return _write(folder / "participations.csv", {
        "Acronym": _text("P", project), "Title": _text("Generated project ", project),
        "Start": start, "End": end,
        "Partner": _text("Organisation ", layout["organisation"].to_numpy()),
        "Country": pa.array(layout["country"].to_numpy()),
        "Role": pa.array(np.where(layout["rank"].to_numpy() == 0, "coordinator", "partner")),
    }, ROWS, ",")


# --- the app on each import --------------------------------------------------------------------


class Served:
    """An imported dataset served by the app, and what the input says it should show."""

    def __init__(self, app, layout: pd.DataFrame, project_id: str, programme: str | None) -> None:
        self.client = app.server.test_client()
        self.countries = _expected_countries(layout)
        self.layout = layout
        self.project_id = project_id
        """The id the import gives project 12 of the input."""
        self.programme = programme


def _serve(out: Path, upload_dir: Path, layout: pd.DataFrame, project_id: str,
           programme: str | None) -> Iterator[Served]:
    app = create_app(out, upload_dir)
    served = Served(app, layout, project_id, programme)
    yield served
    # The app and its million-row dataset must go before the next import, or the two come on top
    # of each other. Dash keeps the last app it made (dash._get_app.APP and its app_context
    # variable); results remembered for the dataset live on the dataset and go with it, and
    # create_app leaves the garbage collector's settings alone (server.main makes them).
    served.client = None
    del app
    dash_app.APP = None
    dash_app.app_context.set(None)
    gc.collect()
    # Half a gigabyte of CSV that pytest would otherwise keep for its last three runs.
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="class")
def cordis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("cordis-1m")
    layout = _layout(seed=1)
    projects, organisations = _cordis_inputs(folder, layout)
    out = folder / "dataset"
    code = main(["cordis", "--projects", str(projects), "--organizations", str(organisations),
                 "--out", str(out)])
    assert code == 0, "the CORDIS import refused the generated input"
    projects.unlink()
    organisations.unlink()
    # Project 12 of the input is cordis-h2020-100012.
    yield from _serve(out, folder / "uploads", layout, "cordis-h2020-100012", "Horizon 2020")


@pytest.fixture(scope="class")
def spreadsheet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("sheet-1m")
    layout = _layout(seed=2)
    path = _spreadsheet_input(folder, layout)
    out = folder / "dataset"
    assert main(["spreadsheet", str(path), "--out", str(out)]) == 0, \
        "the spreadsheet import refused the generated input"
    path.unlink()
    yield from _serve(out, folder / "uploads", layout, "p12", None)


def _check_served(served: Served) -> None:
    client = served.client
    everything = client.get("/api/projects?limit=1")
    assert everything.status_code == 200
    assert int(everything.headers["X-Total-Count"]) == PROJECTS
    assert {"DE", "GR", "GB"} <= set(served.countries.index)
    for country, expected in served.countries.items():
        answer = client.get(f"/api/projects?country={country}&limit=5")
        assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
        assert int(answer.headers["X-Total-Count"]) == expected, country
        assert len(answer.get_json()) == 5
        assert all(country in p["countries"] for p in answer.get_json())

    one = client.get(f"/api/projects/{served.project_id}")
    assert one.status_code == 200
    rows = served.layout[served.layout["project"] == 12]
    record = one.get_json()
    assert record["programme"] == served.programme
    assert (record["start_date"], record["end_date"]) == ("2012-01-01", "2014-12-31")
    assert len(record["partners"]) == len(rows)
    stated = sorted(ISO.get(c, c) for c in rows["country"] if c)
    assert sorted(p["country"] for p in record["partners"] if p["country"]) == stated

    page = client.get("/")
    assert page.status_code == 200
    assert "KET cluster cooperation in Europe" in page.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 200


class TestCordisMillion:
    def test_app_serves_every_project_and_counts_projects_per_country_as_the_input(
        self, cordis: Served
    ) -> None:
        _check_served(cordis)


class TestSpreadsheetMillionWithoutProgramme:
    def test_app_serves_every_project_and_counts_projects_per_country_as_the_input(
        self, spreadsheet: Served
    ) -> None:
        _check_served(spreadsheet)
