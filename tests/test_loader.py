"""The loader refuses bad input with file, line (header = line 1) and field, and loses nothing.

Each bad-input test damages one cell or file of the tiny valid dataset (``fixtures_data``), so a
failure points at exactly one rule. The last part checks the real seed dataset.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from fixtures_data import (
    DOC_ID,
    DOC_TEXT,
    SEED_DIR,
    TABLES_BY_NAME,
    csv_rows,
    load_problems,
    load_seed,
    load_tiny,
    tiny_tables,
    write_dataset,
)

from data.engine.model import Dataset, load_dataset
from data.engine.queries import project_record
from data.io import schema
from data.io.loader import (
    MAX_PROBLEMS_SHOWN,
    DatasetError,
    Problem,
    load_tables,
    read_source_text,
)
from data.io.paths import TAXONOMY_DIR

# 'Café' in Windows-1252: the byte 0xE9 is not valid UTF-8.
CP1252_ROW = "sudcluster,Café Sud,".encode("cp1252")


def problem_at(problems: list[Problem], file: str, field: str | None) -> Problem:
    """The one problem reported for ``file``/``field``; fails if there is none or several."""
    found = [p for p in problems if p.file == file and p.field == field]
    assert len(found) == 1, f"expected one problem for {file}/{field}, got: {[str(p) for p in problems]}"
    return found[0]


def assert_names_location(exc_text: str, problem: Problem) -> None:
    """The user reads the message, not the object: it must say file, line and field."""
    assert problem.file in exc_text
    if problem.line is not None:
        assert f"line {problem.line}" in exc_text
    if problem.field is not None:
        assert f"field '{problem.field}'" in exc_text


def refused(folder: Path) -> tuple[list[Problem], str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, taxonomy_dir=folder.parent / "taxonomy")
    return caught.value.problems, str(caught.value)


# --- a good dataset -------------------------------------------------------------------------


def test_tiny_valid_dataset_loads_with_every_project(tmp_path: Path) -> None:
    dataset = load_tiny(tmp_path)
    assert list(dataset.projects["project_id"]) == ["alpha", "beta", "gamma", "delta", "epsilon"]
    assert dataset.folder == tmp_path / "dataset"


def test_loaded_tables_keep_every_csv_row(tmp_path: Path) -> None:
    # Nothing may be silently dropped on the way in: one loaded row per CSV data row.
    folder = write_dataset(tmp_path)
    tables = load_tables(folder, tmp_path / "taxonomy")
    for table in schema.DATASET_TABLES:
        path = folder / table.file
        assert len(tables[table.name]) == (csv_rows(path) if path.exists() else 0), table.name


def test_optional_file_may_be_absent_and_loads_as_an_empty_table(tmp_path: Path) -> None:
    tables = tiny_tables()
    del tables["activities"], tables["policy_instruments"]
    dataset = load_tiny(tmp_path, tables)
    assert dataset.activities.empty
    assert dataset.policy_instruments.empty
    assert dataset.size == 5


def test_file_with_only_a_header_loads_as_an_empty_table(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["activities"] = []
    dataset = load_tiny(tmp_path, tables)
    assert dataset.activities.empty


def test_optional_columns_may_be_left_out_of_a_file(tmp_path: Path) -> None:
    required = [f.name for f in schema.PROGRAMMES.fields if f.required]
    folder = write_dataset(tmp_path, columns={"programmes": required})
    assert len(load_tables(folder, tmp_path / "taxonomy")["programmes"]) == 2


def test_cells_are_stripped_of_surrounding_spaces(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][0]["acronym"] = "  Alpha  "
    tables["organisations"][0]["country"] = " DE "
    dataset = load_tiny(tmp_path, tables)
    assert dataset.projects.at[0, "acronym"] == "Alpha"
    assert dataset.organisations.at[0, "country"] == "DE"


def test_partial_dates_are_kept_at_their_stated_precision(tmp_path: Path) -> None:
    # '2012-06' must not become '2012-06-01' in the data: the source never said the 1st.
    dataset = load_tiny(tmp_path)
    beta = dataset.projects.set_index("project_id").loc["beta"]
    assert beta["start_date"] == "2012-06"
    assert project_record(dataset, dataset.position("gamma"))["start_date"] == "2015"


def test_el_and_country_names_are_accepted_and_stored_as_iso(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["organisations"][3]["country"] = "EL"  # Athens Hub, written the EU way
    tables["project_countries"][1]["country"] = "Italia"
    tables["project_countries"][2]["country"] = "Alemania"
    tables["activities"][0]["country"] = "Deutschland"
    dataset = load_tiny(tmp_path, tables)
    assert dataset.organisations.set_index("organisation_id").at["athens-hub", "country"] == "GR"
    assert set(dataset.project_countries["country"]) == {"DE", "FR", "GR", "IT", "UA"}
    assert dataset.activities.at[0, "country"] == "DE"
    # The normalised code is what the filters see.
    assert dataset.members["country"]["GR"][dataset.position("epsilon")]
    assert "EL" not in dataset.members["country"]


def test_quotes_match_their_document_whatever_the_line_breaks(tmp_path: Path) -> None:
    # The document breaks the line after 'Tiny document.'; the quote writes a space.
    tables = tiny_tables()
    tables["projects"][0]["quote"] = "Tiny   document. Alpha joins"
    load_tiny(tmp_path, tables)


def test_quotes_citing_external_sources_are_not_checked_against_documents(tmp_path: Path) -> None:
    # epsilon cites 'ext-1' (kind external) with a quote that is in no document.
    dataset = load_tiny(tmp_path)
    assert dataset.projects.set_index("project_id").at["epsilon", "quote"] == "Not checked: external."


def test_end_in_the_same_month_as_a_more_precise_start_is_not_before_it(tmp_path: Path) -> None:
    # '2012-06' as an end means 'some day of June 2012', which may be after 2012-06-15.
    tables = tiny_tables()
    tables["projects"][0].update(start_date="2012-06-15", end_date="2012-06")
    tables["projects"][2].update(start_date="2015-03", end_date="2015")
    load_tiny(tmp_path, tables)


# --- bad input: columns and files ------------------------------------------------------------


def test_loader_names_file_line_and_field_of_a_missing_required_column(tmp_path: Path) -> None:
    header = [c for c in schema.PROJECTS.columns if c != "acronym"]
    tables = tiny_tables()
    for row in tables["projects"]:
        del row["acronym"]
    folder = write_dataset(tmp_path, tables, columns={"projects": header})
    problems, text = refused(folder)
    problem = problem_at(problems, "projects.csv", "acronym")
    assert problem.line == 1
    assert "required column is missing" in problem.message
    assert_names_location(text, problem)


def test_loader_refuses_an_unknown_extra_column_that_would_be_lost(tmp_path: Path) -> None:
    tables = tiny_tables()
    for row in tables["programmes"]:
        row["colour"] = "blue"
    folder = write_dataset(tmp_path, tables, columns={"programmes": [*schema.PROGRAMMES.columns, "colour"]})
    problems, text = refused(folder)
    problem = problem_at(problems, "programmes.csv", "colour")
    assert problem.line == 1
    assert "unknown column" in problem.message
    assert_names_location(text, problem)


def test_loader_names_a_required_file_that_is_missing(tmp_path: Path) -> None:
    tables = tiny_tables()
    del tables["projects"]
    folder = write_dataset(tmp_path, tables)
    problems, text = refused(folder)
    assert any(p.file == "projects.csv" and "missing" in p.message for p in problems), problems
    assert "projects.csv" in text


def test_loader_names_an_empty_file(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    (folder / "programmes.csv").write_bytes(b"")
    problems, text = refused(folder)
    problem = problem_at(problems, "programmes.csv", None)
    assert "empty" in problem.message
    assert "programmes.csv" in text


def test_loader_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    path = folder / "organisations.csv"
    assert b"sudcluster,Sudcluster," in path.read_bytes()
    path.write_bytes(path.read_bytes().replace(b"sudcluster,Sudcluster,", CP1252_ROW))
    problems, text = refused(folder)
    problem = problem_at(problems, "organisations.csv", None)
    assert "UTF-8" in problem.message
    assert "organisations.csv" in text


def test_loader_names_the_line_of_a_non_utf8_byte(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    path = folder / "organisations.csv"
    path.write_bytes(path.read_bytes().replace(b"sudcluster,Sudcluster,", CP1252_ROW))
    problem = problem_at(load_problems(folder), "organisations.csv", None)
    assert problem.line == 3  # Sudcluster is the second data row


def test_loader_names_a_row_with_too_many_cells(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    path = folder / "programmes.csv"
    path.write_text(path.read_text(encoding="utf-8") + "prog-c,C,doc-1.txt,Tiny document.,extra\n",
                    encoding="utf-8")
    problem = problem_at(load_problems(folder), "programmes.csv", None)
    assert problem.line == 4
    assert "not valid CSV" in problem.message


def test_loader_refuses_a_path_that_is_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(tmp_path / "nowhere")
    assert "is not a folder" in str(caught.value)


def test_loader_refuses_a_damaged_taxonomy_and_names_its_file(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    kets = tmp_path / "taxonomy" / "kets.csv"
    kets.write_text(kets.read_text(encoding="utf-8").replace("photonics,Photonics", "Photo Nics,Photonics"),
                    encoding="utf-8")
    problems, text = refused(folder)
    problem = problem_at(problems, "kets.csv", "ket_id")
    assert problem.line is not None and problem.line > 1
    assert_names_location(text, problem)


# --- bad input: cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "row", "field", "value", "line", "message"),
    [
        pytest.param("projects", 0, "acronym", "", 2, "is required but empty", id="empty-required-cell"),
        pytest.param("projects", 0, "acronym", "   ", 2, "is required but empty", id="blank-required-cell"),
        pytest.param("projects", 1, "project_id", "Beta Project", 3, "must be a slug", id="bad-slug"),
        pytest.param("organisations", 0, "organisation_id", "nord_cluster", 2, "must be a slug",
                     id="slug-with-underscore"),
        pytest.param("projects", 1, "start_date", "01/06/2012", 3, "must be an ISO date",
                     id="bad-date-format"),
        pytest.param("projects", 1, "start_date", "2012-6", 3, "must be an ISO date", id="unpadded-month"),
        pytest.param("projects", 0, "end_date", "2019-02-30", 2, "not a date on the calendar",
                     id="impossible-calendar-date"),
        pytest.param("projects", 1, "start_date", "2012-13", 3, "month outside 01-12", id="month-13"),
        pytest.param("projects", 1, "duration_months", "two years", 3, "whole number", id="bad-int"),
        pytest.param("projects", 0, "budget_eur", "2,000,000", 2, "amount in euro", id="money-with-commas"),
        pytest.param("projects", 0, "kind", "programme", 2, "must be one of", id="unknown-enum"),
        pytest.param("organisations", 0, "is_cluster_organisation", "yes", 2, "true or false", id="bad-bool"),
        pytest.param("organisations", 1, "country", "Atlantis", 3, "unknown country",
                     id="unknown-country-name"),
        pytest.param("project_countries", 0, "country", "", 2, "is required but empty",
                     id="empty-required-country"),
        pytest.param("project_countries", 2, "country", "Westeros", 4, "unknown country",
                     id="unknown-country-in-project-countries"),
    ],
)
def test_loader_names_file_line_and_field_of_a_bad_cell(
    tmp_path: Path, table: str, row: int, field: str, value: str, line: int, message: str
) -> None:
    tables = tiny_tables()
    tables[table][row][field] = value
    problems, text = refused(write_dataset(tmp_path, tables))
    found = [p for p in problems if p.file == f"{table}.csv" and p.field == field and p.line == line]
    assert any(message in p.message for p in found), [str(p) for p in problems]
    assert_names_location(text, found[0])


def test_loader_names_file_line_and_field_of_an_end_before_its_start(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][0]["end_date"] = "2009-12-31"  # alpha starts 2010-01-01
    problems, text = refused(write_dataset(tmp_path, tables))
    problem = problem_at(problems, "projects.csv", "end_date")
    assert problem.line == 2
    assert "ends before it starts" in problem.message
    assert_names_location(text, problem)


def test_loader_checks_date_order_in_activities_too(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["activities"][0].update(start_date="2010-02", end_date="2010-01")
    problem = problem_at(load_problems(write_dataset(tmp_path, tables)), "activities.csv", "end_date")
    assert problem.line == 2


def test_loader_names_every_row_of_a_duplicate_key(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["participations"].append(dict(tables["participations"][0]))  # alpha + nordcluster again
    problems, text = refused(write_dataset(tmp_path, tables))
    duplicates = [p for p in problems if p.file == "participations.csv" and "duplicate key" in p.message]
    # The repeated row is line 7 (header + 5 rows + 1); its twin is line 2. One message per row.
    assert {p.line for p in duplicates} == {2, 7}
    assert len(duplicates) == 2
    assert all(p.field in schema.PARTICIPATIONS.key for p in duplicates)
    assert "line 7" in text


def test_loader_refuses_a_duplicate_project_id(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][4]["project_id"] = "alpha"
    problems = load_problems(write_dataset(tmp_path, tables))
    assert {p.line for p in problems if "duplicate key" in p.message} == {2, 6}


@pytest.mark.parametrize(
    ("table", "row", "field", "value", "target"),
    [
        pytest.param("participations", 1, "project_id", "omega", "projects.csv", id="missing-project"),
        pytest.param("participations", 1, "organisation_id", "ghost-cluster", "organisations.csv",
                     id="missing-organisation"),
        pytest.param("projects", 1, "programme_id", "horizon", "programmes.csv", id="missing-programme"),
        pytest.param("project_kets", 1, "ket", "quantum-computing", "kets.csv", id="unknown-ket-slug"),
        pytest.param("project_sectors", 1, "sector", "space-mining", "sectors.csv", id="unknown-sector-slug"),
        pytest.param("projects", 1, "source", "doc-9.txt", "sources.csv", id="missing-source"),
        pytest.param("organisations", 1, "country_source", "ext-9", "sources.csv",
                     id="missing-country-source"),
    ],
)
def test_loader_names_file_line_and_field_of_a_reference_to_nothing(
    tmp_path: Path, table: str, row: int, field: str, value: str, target: str
) -> None:
    tables = tiny_tables()
    tables[table][row][field] = value
    problems, text = refused(write_dataset(tmp_path, tables))
    problem = problem_at(problems, f"{table}.csv", field)
    assert problem.line == row + 2
    assert target in problem.message
    assert problem.value == value
    assert_names_location(text, problem)


def test_loader_names_a_quote_not_found_in_its_seed_document(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][1]["quote"] = "Beta joins nobody at all"
    problems, text = refused(write_dataset(tmp_path, tables))
    problem = problem_at(problems, "projects.csv", "quote")
    assert problem.line == 3
    assert DOC_ID in problem.message
    assert_names_location(text, problem)


def test_loader_names_a_country_quote_not_found_in_its_seed_document(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["organisations"][0].update(country_source=DOC_ID, country_quote="Nordcluster sits in Hamburg")
    problem = problem_at(load_problems(write_dataset(tmp_path, tables)), "organisations.csv", "country_quote")
    assert problem.line == 2


def test_loader_names_a_seed_document_that_is_missing(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path, documents={})
    problems, text = refused(folder)
    problem = problem_at(problems, "sources.csv", "source_id")
    assert "sources/doc-1.txt is missing" in problem.message
    assert "sources.csv" in text


def test_loader_refuses_a_seed_document_that_is_not_utf8(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    (folder / "sources" / DOC_ID).write_bytes((DOC_TEXT + "Café.\n").encode("cp1252"))
    problems = load_problems(folder)
    assert any(DOC_ID in str(p) and "UTF-8" in p.message for p in problems), problems


def test_loader_counts_physical_lines_when_a_quoted_cell_spans_lines(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][0]["summary"] = "Light\nfor\nhealth."  # alpha spans lines 2-4
    tables["projects"][1]["start_date"] = "2012-13"  # so beta starts on line 5
    problem = problem_at(load_problems(write_dataset(tmp_path, tables)), "projects.csv", "start_date")
    assert problem.line == 5


def test_loader_names_the_right_line_after_a_blank_line(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][1]["start_date"] = "2012-13"
    folder = write_dataset(tmp_path, tables)
    path = folder / "projects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "\r\n")  # a blank line between alpha and beta: beta moves to line 4
    path.write_text("".join(lines), encoding="utf-8", newline="")
    problem = problem_at(load_problems(folder), "projects.csv", "start_date")
    assert problem.line == 4


# --- every problem at once -------------------------------------------------------------------


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][0]["end_date"] = "2019-02-30"
    tables["projects"][1]["start_date"] = "June 2012"
    tables["projects"][2]["kind"] = "thing"
    tables["projects"][3]["acronym"] = ""
    problems, text = refused(write_dataset(tmp_path, tables))
    located = {(p.line, p.field) for p in problems if p.file == "projects.csv"}
    assert {(2, "end_date"), (3, "start_date"), (4, "kind"), (5, "acronym")} <= located
    for line in (2, 3, 4, 5):
        assert f"projects.csv, line {line}" in text


def test_problems_of_different_files_are_reported_together(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["programmes"][0]["programme_id"] = "Prog A"
    tables["organisations"][1]["country"] = "Atlantis"
    tables["activities"][0]["kind"] = "party"
    problems = load_problems(write_dataset(tmp_path, tables))
    assert {p.file for p in problems} >= {"programmes.csv", "organisations.csv", "activities.csv"}


def test_a_long_list_of_problems_is_kept_whole_and_the_message_says_how_many_more(tmp_path: Path) -> None:
    tables = tiny_tables()
    extra = MAX_PROBLEMS_SHOWN + 10
    tables["programmes"] += [
        {"programme_id": f"Bad Slug {i}", "name": "x", "source": DOC_ID, "quote": "Tiny document."}
        for i in range(extra)
    ]
    problems, text = refused(write_dataset(tmp_path, tables))
    assert len(problems) == extra
    assert f"has {extra} problem(s)" in text
    assert "... and 10 more" in text


def test_problem_text_names_file_line_field_and_value() -> None:
    problem = Problem("projects.csv", "is not a date on the calendar", 7, "end_date", "2019-02-30")
    assert str(problem) == (
        "projects.csv, line 7, field 'end_date': is not a date on the calendar (value: '2019-02-30')"
    )


# --- source documents beside the dataset -----------------------------------------------------


def test_read_source_text_returns_a_kept_document_and_none_for_anything_else(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    assert read_source_text(folder, DOC_ID) == DOC_TEXT
    assert read_source_text(folder, "doc-9.txt") is None
    # A path out of sources/ is refused even though the file exists.
    assert read_source_text(folder, "../projects.csv") is None
    assert read_source_text(folder, "..") is None
    assert read_source_text(folder, str(folder / "projects.csv")) is None


# --- the seed dataset ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    return load_tables(SEED_DIR, TAXONOMY_DIR)


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    return load_seed()


def test_seed_dataset_loads_without_problems_and_keeps_every_row(
    seed_tables: dict[str, pd.DataFrame],
) -> None:
    for table in schema.DATASET_TABLES:
        path = SEED_DIR / table.file
        expected = csv_rows(path) if path.exists() else 0
        assert len(seed_tables[table.name]) == expected, table.name
    assert len(seed_tables["projects"]) == 7


def test_seed_inno_drop_partners_are_the_three_named_clusters(seed_dataset: Dataset) -> None:
    record = project_record(seed_dataset, seed_dataset.position("inno-drop"))
    partners = {(p["name"], p["country"], p["role"]) for p in record["partners"]}
    assert partners == {
        ("BalticNet-PlasmaTec", "DE", "coordinator"),
        ("Nanoprogress", "CZ", "partner"),
        ("ZINNAE", "ES", "partner"),
    }
    assert record["countries"] == ["CZ", "DE", "ES"]


def test_seed_clustrat_names_ukraine_as_associated_partner_country_only(seed_dataset: Dataset) -> None:
    rows = seed_dataset.project_countries
    ukraine = rows[(rows["project_id"] == "clustrat") & (rows["country"] == "UA")]
    assert list(ukraine["role"]) == ["associated-partner"]
    assert list(ukraine["via"]) == ["country"]
    assert list(ukraine["organisation"]) == [""]


def test_seed_clusternanoroad_has_no_budget_rather_than_zero(seed_dataset: Dataset) -> None:
    record = project_record(seed_dataset, seed_dataset.position("clusternanoroad"))
    assert record["budget_eur"] is None
    assert record["eu_contribution_eur"] is None
    budget = seed_dataset.projects.set_index("project_id").at["clusternanoroad", "budget_eur"]
    assert math.isnan(budget)


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_every_seed_quote_appears_in_its_source_document() -> None:
    # Checked here independently of the loader: read the CSVs and the documents directly.
    with (SEED_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        seeds = {r["source_id"] for r in csv.DictReader(handle) if r["kind"] == "seed"}
    documents = {s: _fold((SEED_DIR / "sources" / s).read_text(encoding="utf-8")) for s in seeds}
    checked = 0
    for name in TABLES_BY_NAME:
        path = SEED_DIR / f"{name}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                for source_col, quote_col in (("source", "quote"), ("country_source", "country_quote")):
                    source = row.get(source_col, "")
                    if source in documents and row[quote_col]:
                        assert _fold(row[quote_col]) in documents[source], f"{name}.csv line {line}"
                        checked += 1
    assert checked > 80  # the seeds cite their documents throughout; a broken reader finds none


def test_seed_reports_the_inno_drop_gap_of_four_stated_and_three_named(seed_dataset: Dataset) -> None:
    findings = seed_dataset.findings
    inno = findings[findings["project_id"] == "inno-drop"]
    assert list(inno["kind"]) == ["gap"]
    assert list(inno["field"]) == ["partner_count"]
    assert "states 4 partners; 3 are named" in inno["message"].iloc[0]


def test_seed_clustrat_duration_gives_a_derived_end_but_no_stated_end(seed_dataset: Dataset) -> None:
    projects = seed_dataset.projects.set_index("project_id")
    assert projects.at["clustrat", "end_date"] == ""
    assert bool(projects.at["clustrat", "end_derived"])
    # October 2011 + 36 months, less a day.
    assert str(projects.at["clustrat", "end"].date()) == "2014-09-30"
    assert project_record(seed_dataset, seed_dataset.position("clustrat"))["end_date"] is None
