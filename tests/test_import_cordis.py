"""CORDIS import: each fixture's outcome, the command line end to end, and the round trip into
the app (import -> dataset folder -> ``create_app`` -> ``/api/projects``).

The fixtures in ``tests/fixtures/cordis/`` are tiny CORDIS files: the official layout, a ','
copy with BOM and decimal comma, an older export, broken rows, and files that cannot be read at
all. Every import must account for every row: rows read = imported + rejected.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fixtures_data import REPO, SEED_DIR

from data.importers.cordis import import_cordis, parse_dates, parse_geolocation, source_id_for
from data.importers.report import ImportFailure, ImportReport
from data.importers.writer import merge_tables, read_dataset, write_dataset
from data.io.loader import load_tables

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cordis"
TIMEOUT = 180  # seconds for one CLI run; an import of the fixtures takes about two


def run_import(
    name: str, projects: bool = True, organisations: bool = True, **kwargs: int
) -> tuple[dict[str, pd.DataFrame], ImportReport]:
    report = ImportReport()
    folder = FIXTURES / name
    tables, documents = import_cordis(
        folder / "project.csv" if projects else None,
        folder / "organization.csv" if organisations else None,
        report,
        **kwargs,
    )
    assert documents == {}, "CORDIS keeps no documents"
    return tables, report


def by_id(frame: pd.DataFrame, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in frame.to_dict("records")}


def assert_balanced(report: ImportReport) -> None:
    for f in report.files:
        assert f.rows_read == f.rows_imported + f.rows_rejected, f


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the importer as a user would, from the repository root."""
    return subprocess.run([sys.executable, "-m", "data.importers", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path -> content hash, to prove it is untouched."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def official() -> tuple[dict[str, pd.DataFrame], ImportReport]:
    return run_import("official")


@pytest.fixture(scope="module")
def broken() -> tuple[dict[str, pd.DataFrame], ImportReport]:
    return run_import("broken")


@pytest.fixture(scope="module")
def official_dataset(tmp_path_factory: pytest.TempPathFactory,
                     official: tuple[dict[str, pd.DataFrame], ImportReport]) -> Path:
    tables, report = official
    out = tmp_path_factory.mktemp("official") / "dataset"
    write_dataset(tables, out, report)
    return out


# --- the official layout ----------------------------------------------------------------------


def test_official_projects_are_mapped_with_programme_dates_amounts_and_doi(official) -> None:
    tables, _ = official
    projects = by_id(tables["projects"], "project_id")
    assert list(projects) == ["cordis-h2020-101000123", "cordis-h2020-824001", "cordis-horizon-101057999"]
    photon = projects["cordis-h2020-101000123"]
    assert photon["acronym"] == "PHOTONCLUST"
    assert photon["kind"] == "project"
    assert photon["programme_id"] == "horizon-2020"
    assert (photon["start_date"], photon["end_date"]) == ("2020-10-01", "2023-09-30")
    assert (photon["budget_eur"], photon["eu_contribution_eur"]) == ("2500000", "2000000")
    assert photon["external_id"] == "101000123"
    assert photon["status"] == "CLOSED"
    assert photon["topics"] == "INNOSUP-01-2019-2020;H2020-EU.2.3.2.1."
    assert photon["summary"].startswith("Clusters bring photonics")
    assert photon["url"] == "https://doi.org/10.3030/101000123"
    assert photon["source"] == "cordis-h2020-horizon-project-csv"
    assert photon["quote"] == "project.csv line 2 (id 101000123)"
    # No grantDoi: no URL is invented.
    assert projects["cordis-h2020-824001"]["url"] == ""
    bio = projects["cordis-horizon-101057999"]
    assert bio["programme_id"] == "horizon-europe"
    assert bio["eu_contribution_eur"] == "2999999.75"  # decimal comma in the official file


def test_formula_looking_cell_is_kept_verbatim_as_text(official) -> None:
    tables, _ = official
    title = by_id(tables["projects"], "project_id")["cordis-h2020-824001"]["title"]
    assert title == '=HYPERLINK("http://example.com/nano","Nanotechnology regions")'


def test_programmes_and_import_sources_are_declared(official) -> None:
    tables, _ = official
    programmes = by_id(tables["programmes"], "programme_id")
    assert {k: v["name"] for k, v in programmes.items()} == {
        "horizon-2020": "Horizon 2020", "horizon-europe": "Horizon Europe"}
    assert programmes["horizon-europe"]["quote"] == "project.csv column frameworkProgramme: HORIZON"
    sources = by_id(tables["sources"], "source_id")
    assert set(sources) == {"cordis-h2020-horizon-project-csv", "cordis-h2020-horizon-organization-csv"}
    today = datetime.date.today().isoformat()
    for source_id, file_name in (("cordis-h2020-horizon-project-csv", "project.csv"),
                                 ("cordis-h2020-horizon-organization-csv", "organization.csv")):
        assert sources[source_id]["kind"] == "import"
        assert file_name in sources[source_id]["title"]
        assert today in sources[source_id]["title"]
        assert "H2020, HORIZON" in sources[source_id]["title"]


def test_source_ids_keep_extracts_of_different_programmes_apart() -> None:
    # Every CORDIS extract names its files project.csv: merged H2020 and Horizon Europe imports
    # must still cite two sources.
    assert source_id_for(Path("project.csv"), ("H2020",)) == "cordis-h2020-project-csv"
    assert source_id_for(Path("project.csv"), ("HORIZON",)) == "cordis-horizon-project-csv"
    assert source_id_for(Path("cordis-organization.csv")) == "cordis-organization-csv"


def test_organisations_are_one_per_organisation_id_with_iso_countries(official) -> None:
    tables, report = official
    orgs = by_id(tables["organisations"], "organisation_id")
    # Seven rows, five organisationIDs: 999999002 and 999999003 take part twice.
    assert sorted(orgs) == [f"cordis-org-99999900{i}" for i in range(1, 6)]
    hellas = orgs["cordis-org-999999001"]
    assert hellas["country"] == "GR"  # CORDIS writes EL
    assert hellas["nuts_code"] == "EL303"  # kept as CORDIS gives it
    assert hellas["country_source"] == "cordis-h2020-horizon-organization-csv"
    assert hellas["country_quote"].endswith(": country EL")
    assert (hellas["latitude"], hellas["longitude"]) == ("37.9838", "23.7275")
    assert hellas["type"] == "other"
    assert hellas["url"] == "https://fotonika.example.gr"
    assert hellas["external_id"] == "999999001"
    university = orgs["cordis-org-999999002"]
    assert university["country"] == "GB"  # CORDIS writes UK
    assert university["short_name"] == "UPHOT"
    assert university["name"] == "University of Photonics"  # the first spelling is kept
    assert (university["latitude"], university["longitude"]) == ("51.7520", "-1.2577")  # "[lat, lon]"
    assert {o["type"] for o in orgs.values()} == {
        "other", "university", "company", "public-authority", "research-organisation"}
    assert orgs["cordis-org-999999004"]["name"] == "Pôle Nano Région"
    merges = report.merged_organisations
    assert len(merges) == 1
    assert "cordis-org-999999002" in merges[0] and "'UNIVERSITY OF PHOTONICS'" in merges[0]


def test_participations_map_roles_and_contributions(official) -> None:
    tables, _ = official
    parts = tables["participations"]
    roles = {(r.project_id, r.organisation_id): (r.role, r.ec_contribution_eur)
             for r in parts.itertuples(index=False)}
    assert roles == {
        ("cordis-h2020-101000123", "cordis-org-999999001"): ("coordinator", "800000"),
        ("cordis-h2020-101000123", "cordis-org-999999002"): ("participant", "700000"),
        ("cordis-h2020-101000123", "cordis-org-999999003"): ("third-party", "500000"),
        ("cordis-h2020-824001", "cordis-org-999999002"): ("coordinator", "600000"),
        ("cordis-h2020-824001", "cordis-org-999999004"): ("partner", "400000"),
        ("cordis-horizon-101057999", "cordis-org-999999005"): ("coordinator", "1500000.5"),
        # No ecContribution: empty, never 0.
        ("cordis-horizon-101057999", "cordis-org-999999003"): ("associated-partner", ""),
    }
    assert parts["quote"].iloc[0] == "organization.csv line 2 (projectID 101000123, organisationID 999999001)"


def test_official_report_accounts_for_every_row_and_notes_what_it_detected(official) -> None:
    _, report = official
    assert_balanced(report)
    files = {f.file: f for f in report.files}
    assert (files["project.csv"].rows_read, files["project.csv"].rows_imported) == (3, 3)
    assert (files["organization.csv"].rows_read, files["organization.csv"].rows_imported) == (7, 7)
    assert report.rejections == []
    assert "delimiter: ';'" in files["project.csv"].notes
    assert "framework programmes: H2020 (2 projects), HORIZON (1 project)" in files["project.csv"].notes
    assert "country codes normalised to ISO 3166-1: EL -> GR, UK -> GB" in files["organization.csv"].notes


def test_every_project_is_offered_to_the_tagging_rules(official) -> None:
    tables, report = official
    tags = pd.concat([tables["project_kets"], tables["project_sectors"]], ignore_index=True)
    assert report.inferred_tags == len(tags) > 0
    assert set(tags["origin"]) == {"inferred"}
    assert tags["rule"].ne("").all()
    assert set(tags["source"]) == {"cordis-h2020-horizon-project-csv"}
    assert set(tags["project_id"]) <= set(tables["projects"]["project_id"])
    # The photonics project's title and objective speak of photonics and lasers.
    kets = tables["project_kets"]
    assert "photonics" in set(kets.loc[kets["project_id"] == "cordis-h2020-101000123", "ket"])


def test_official_import_writes_a_dataset_the_loader_accepts(official_dataset: Path) -> None:
    tables = load_tables(official_dataset)
    assert len(tables["projects"]) == 3
    report_text = (official_dataset / "import" / "report.txt").read_text(encoding="utf-8")
    assert report_text.startswith("Import report")
    assert (official_dataset / "import" / "rejects.csv").exists()


# --- copies and older exports -----------------------------------------------------------------


def test_comma_copy_with_bom_decimal_comma_and_day_first_dates() -> None:
    tables, report = run_import("comma_bom_decimal")
    assert_balanced(report)
    assert report.rejections == []
    projects = by_id(tables["projects"], "project_id")
    semi = projects["cordis-h2020-101100500"]
    assert (semi["budget_eur"], semi["eu_contribution_eur"]) == ("1234567.89", "999999.5")
    assert (semi["start_date"], semi["end_date"]) == ("2021-03-01", "2024-02-28")
    mat = projects["cordis-horizon-101100501"]
    assert (mat["start_date"], mat["budget_eur"]) == ("2022-09-15", "2000000.00")
    assert mat["eu_contribution_eur"] == ""  # empty stays empty, never 0
    parts = {r.organisation_id: r.ec_contribution_eur for r in tables["participations"].itertuples()}
    assert parts == {"cordis-org-999999101": "600000.50", "cordis-org-999999102": "399999.00",
                     "cordis-org-999999103": ""}
    notes = report.files[0].notes
    assert "encoding: UTF-8 with byte-order mark" in notes
    assert "delimiter: ','" in notes
    assert "amounts use a decimal comma: read as decimals" in notes
    assert any(n.startswith("dates written day first") for n in notes)
    # A missing geolocation is simply unknown: no note, no guess.
    orgs = by_id(tables["organisations"], "organisation_id")
    assert orgs["cordis-org-999999102"]["latitude"] == ""


def test_older_export_without_late_columns_imports_and_says_what_was_absent() -> None:
    tables, report = run_import("older_export")
    assert_balanced(report)
    assert report.rejections == []
    project = tables["projects"].iloc[0]
    assert (project["project_id"], project["url"]) == ("cordis-h2020-654321", "")
    project_notes, org_notes = report.files[0].notes, report.files[1].notes
    assert "column 'grantDoi' is absent (older export): left empty" in project_notes
    for column in ("netEcContribution", "endOfParticipation", "active"):
        assert f"column '{column}' is absent (older export): left empty" in org_notes
    assert len(tables["participations"]) == 2


def test_cp1252_copy_is_read_with_its_accents() -> None:
    tables, report = run_import("cp1252")
    assert tables["organisations"]["name"].tolist() == ["Université de Liège"]
    assert tables["organisations"]["city"].tolist() == ["Liège"]
    assert tables["projects"]["title"].tolist() == ["Clusters de la région liégeoise"]
    for f in report.files:
        assert "encoding: not UTF-8; read as Windows-1252 (cp1252)" in f.notes


# --- broken rows ------------------------------------------------------------------------------


def test_broken_rows_are_rejected_only_when_they_cannot_be_stored(broken) -> None:
    _, report = broken
    assert_balanced(report)
    found = {(r.file, r.line, r.column): r.reason for r in report.rejections}
    assert found == {
        ("project.csv", 3, "id"): "duplicate project id 101100001: line 2 already has it",
        ("project.csv", 5, "id"): "missing project id",
        ("organization.csv", 5, "projectID"): "project '999' is not among the imported projects "
                                              "(absent from or rejected in the project file)",
    }
    files = {f.file: f for f in report.files}
    assert (files["project.csv"].rows_read, files["project.csv"].rows_imported) == (6, 4)
    assert (files["organization.csv"].rows_read, files["organization.csv"].rows_imported) == (9, 8)
    assert files["organization.csv"].rejections_by_reason() == {
        "projectID: project not among the imported projects": 1}
    # A cell that cannot be read costs the cell, not the project: it is unknown, and said.
    notes = files["project.csv"].notes
    assert "endDate before startDate, left unknown on 1 row(s) (line 4: '2021-06-30 before " \
           "2022-01-01')" in notes
    assert "startDate not a date, left unknown on 1 row(s) (line 6: 'next spring')" in notes
    # Each rejection carries the raw row, so rejects.csv shows what was left out.
    duplicate = next(r for r in report.rejections if r.line == 3 and r.file == "project.csv")
    assert duplicate.row["acronym"] == "DUPLICATE"


def test_broken_file_keeps_its_good_rows_and_leaves_unknowns_empty(broken) -> None:
    tables, report = broken
    projects = by_id(tables["projects"], "project_id")
    assert set(projects) == {"cordis-h2020-101100001", "cordis-h2020-101100002",
                             "cordis-horizon-101100003", "cordis-horizon-101100004"}
    assert (projects["cordis-h2020-101100002"]["start_date"], projects["cordis-h2020-101100002"][
        "end_date"]) == ("2022-01-01", "")
    assert projects["cordis-horizon-101100004"]["start_date"] == ""
    assert projects["cordis-h2020-101100001"]["acronym"] == "GOODONE"  # the first occurrence
    kept = projects["cordis-horizon-101100003"]
    assert (kept["end_date"], kept["budget_eur"], kept["eu_contribution_eur"]) == ("", "", "")
    orgs = by_id(tables["organisations"], "organisation_id")
    london = orgs["cordis-org-999999307"]
    assert (london["country"], london["latitude"], london["longitude"]) == ("GB", "", "")
    org_notes = report.files[1].notes
    assert any(n.startswith("geolocation not understood") and "line 8: 'somewhere north'" in n
               for n in org_notes)


def test_rows_without_organisation_id_become_one_organisation_by_name_and_country(broken) -> None:
    tables, report = broken
    orgs = tables["organisations"]
    sans_id = orgs[orgs["external_id"] == ""]
    assert sans_id["organisation_id"].tolist() == ["cordis-org-name-cluster-sans-id-fr"]
    assert sans_id["name"].tolist() == ["Cluster Sans Id"]
    parts = tables["participations"]
    assert sorted(parts.loc[parts["organisation_id"] == "cordis-org-name-cluster-sans-id-fr",
                            "project_id"]) == ["cordis-h2020-101100001", "cordis-horizon-101100003"]
    assert any("'CLUSTER SANS ID'" in m and "same name and country" in m
               for m in report.merged_organisations)


def test_rejects_csv_lists_every_rejected_row_with_formulas_neutralised(broken, tmp_path: Path) -> None:
    tables, report = broken
    write_dataset(tables, tmp_path / "out", report)
    with (tmp_path / "out" / "import" / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    no_id = next(r for r in rows if r["file"] == "project.csv" and r["line"] == "5")
    assert no_id["title"] == "'=HYPERLINK(\"http://evil.example\",\"click me\")"
    assert no_id["reason"] == "missing project id"
    # The dataset itself has no rejected project: the duplicate's acronym is not there.
    assert "DUPLICATE" not in load_tables(tmp_path / "out")["projects"]["acronym"].tolist()


def test_second_listing_of_an_organisation_in_a_project_is_rejected(tmp_path: Path) -> None:
    lines = (FIXTURES / "official" / "organization.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "organization.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    report = ImportReport()
    tables, _ = import_cordis(FIXTURES / "official" / "project.csv", tmp_path / "organization.csv", report)
    assert_balanced(report)
    assert [(r.line, r.column, r.reason) for r in report.rejections] == [
        (9, "organisationID", "organisation already listed for this project with the same role on line 2")]
    assert len(tables["participations"]) == 7


# --- files that cannot be imported at all -----------------------------------------------------


@pytest.mark.parametrize(("name", "message"), [
    ("missing_column", "project.csv: required column(s) missing: frameworkProgramme"),
    ("empty", "project.csv: the file is empty"),
    ("xlsx_as_csv", "project.csv: this is a ZIP archive or an XLSX workbook, not a delimited text"),
])
def test_unreadable_project_file_fails_with_a_message_naming_it(name: str, message: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        run_import(name, organisations=False)
    assert message in str(failure.value)


def test_header_only_file_is_refused_as_nothing_to_import(tmp_path: Path) -> None:
    header = (FIXTURES / "official" / "project.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "project.csv").write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match="header but no data rows"):
        import_cordis(tmp_path / "project.csv", None, ImportReport())


def test_import_whose_every_project_is_rejected_says_so(tmp_path: Path) -> None:
    lines = (FIXTURES / "broken" / "project.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "project.csv").write_text("\n".join([lines[0], lines[4]]) + "\n", encoding="utf-8")
    report = ImportReport()
    tables, _ = import_cordis(tmp_path / "project.csv", None, report)
    assert tables["projects"].empty
    assert_balanced(report)
    assert report.warnings == ["no project was imported: every project row was rejected (see rejects.csv)"]


def test_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ImportFailure, match="over the limit of 100 bytes"):
        run_import("official", max_bytes=100)


def test_import_needs_at_least_one_file() -> None:
    with pytest.raises(ImportFailure, match=r"project\.csv, organization\.csv or both"):
        import_cordis(None, None, ImportReport())


# --- one file alone ---------------------------------------------------------------------------


def test_organisations_alone_create_projects_known_by_id_and_acronym() -> None:
    tables, report = run_import("official", projects=False)
    assert_balanced(report)
    projects = tables["projects"]
    assert projects["project_id"].tolist() == ["cordis-101000123", "cordis-824001", "cordis-101057999"]
    assert projects["acronym"].tolist() == ["PHOTONCLUST", "NANOREGIO", "BIOCLUST"]
    assert projects["external_id"].tolist() == ["101000123", "824001", "101057999"]
    for column in ("start_date", "end_date", "programme_id", "budget_eur", "title"):
        assert projects[column].eq("").all(), column
    assert set(projects["source"]) == {"cordis-organization-csv"}
    assert len(tables["participations"]) == 7
    assert tables["programmes"].empty
    assert any(n.startswith("no project file: 3 project(s) created") for n in report.files[0].notes)


def test_projects_alone_import_without_partners() -> None:
    tables, report = run_import("official", organisations=False)
    assert_balanced(report)
    assert len(tables["projects"]) == 3
    assert tables["organisations"].empty and tables["participations"].empty
    assert tables["sources"]["source_id"].tolist() == ["cordis-h2020-horizon-project-csv"]


# --- parsing helpers --------------------------------------------------------------------------


def test_dates_are_read_iso_or_day_first_and_calendar_checked() -> None:
    values = pd.Series(["2020-10-01", "2020-10-01T00:00:00Z", "01/04/2016", "1.4.2016", "",
                        "2019-02-30", "04/31/2016", "soon"])
    iso, bad, day_first = parse_dates(values)
    assert iso.tolist() == ["2020-10-01", "2020-10-01", "2016-04-01", "2016-04-01", "", "", "", ""]
    assert bad.tolist() == [False, False, False, False, False, True, True, True]
    assert day_first.tolist() == [False, False, True, True, False, False, False, False]


def test_geolocation_is_read_in_the_shapes_cordis_and_copies_use() -> None:
    values = pd.Series(["50.85,4.35", "[50.85, 4.35]", "(50.85 , 4.35)", "", "95.0,4.35", "Brussels"])
    lat, lon, bad = parse_geolocation(values)
    assert lat.tolist() == ["50.85", "50.85", "50.85", "", "", ""]
    assert lon.tolist() == ["4.35", "4.35", "4.35", "", "", ""]
    assert bad.tolist() == [False, False, False, False, True, True]


# --- round trip: import -> dataset -> app -> API ----------------------------------------------


def test_imported_dataset_serves_projects_with_iso_countries_and_dates(official_dataset: Path) -> None:
    from server.factory import create_app

    client = create_app(official_dataset).server.test_client()
    response = client.get("/api/projects?country=GR&ket=photonics")
    assert response.status_code == 200, response.get_json()
    records = response.get_json()
    assert [r["id"] for r in records] == ["cordis-h2020-101000123"]
    photon = records[0]
    assert photon["countries"] == ["DE", "GB", "GR"]
    assert (photon["start_date"], photon["end_date"]) == ("2020-10-01", "2023-09-30")
    assert photon["programme"] == "Horizon 2020"
    assert {(p["name"], p["country"], p["role"]) for p in photon["partners"]} == {
        ("Fotonika Hellas Cluster", "GR", "coordinator"),
        ("University of Photonics", "GB", "participant"),
        ("Laser Zentrum Nord GmbH", "DE", "third-party"),
    }
    assert "photonics" in photon["kets"]
    # CORDIS's own spelling of the country finds the same projects.
    greek = {r["id"] for r in client.get("/api/projects?country=EL").get_json()}
    assert greek == {"cordis-h2020-101000123", "cordis-horizon-101057999"}
    british = {r["id"] for r in client.get("/api/projects?country=GB").get_json()}
    assert british == {"cordis-h2020-101000123", "cordis-h2020-824001"}


def test_merging_with_the_seed_serves_seed_and_cordis_projects_together(
    official: tuple[dict[str, pd.DataFrame], ImportReport], tmp_path: Path
) -> None:
    from server.factory import create_app

    tables, report = official
    seed_tables, seed_documents = read_dataset(SEED_DIR)
    write_dataset(merge_tables(seed_tables, tables), tmp_path / "merged", report, seed_documents)
    client = create_app(tmp_path / "merged").server.test_client()
    ids = [r["id"] for r in client.get("/api/projects").get_json()]
    seed_ids = pd.read_csv(SEED_DIR / "projects.csv", dtype=str)["project_id"].tolist()
    assert ids == [*seed_ids, *tables["projects"]["project_id"]]
    programmes = {r["programme"] for r in client.get("/api/projects?programme=horizon-2020,cosme").get_json()}
    assert programmes == {"Horizon 2020", "COSME"}


# --- the command line -------------------------------------------------------------------------


def test_cli_imports_the_official_pair_and_prints_the_report(tmp_path: Path) -> None:
    folder = FIXTURES / "official"
    out = tmp_path / "out"
    result = run_cli("cordis", "--projects", folder / "project.csv",
                     "--organizations", folder / "organization.csv", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "project.csv (CORDIS projects): 3 rows read, 3 imported, 0 rejected" in result.stdout
    assert "organization.csv (CORDIS organisations): 7 rows read, 7 imported, 0 rejected" in result.stdout
    assert f"Dataset written to {out}: 3 projects, 5 organisations, 7 participations" in result.stdout
    assert len(load_tables(out)["projects"]) == 3
    assert (out / "import" / "report.txt").exists()


def test_cli_writes_the_dataset_even_with_rejected_rows(tmp_path: Path) -> None:
    folder = FIXTURES / "broken"
    out = tmp_path / "out"
    result = run_cli("cordis", "--projects", folder / "project.csv",
                     "--organizations", folder / "organization.csv", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Rejected rows: 3 (all listed in rejects.csv)" in result.stdout
    assert "project.csv, line 5, column 'id': missing project id" in result.stdout
    assert "endDate before startDate, left unknown on 1 row(s)" in result.stdout
    assert len(load_tables(out)["projects"]) == 4


def test_cli_failure_exits_2_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("cordis", "--projects", FIXTURES / "xlsx_as_csv" / "project.csv", "--out", out)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: project.csv: this is a ZIP archive or an XLSX workbook, not a delimited text (CSV) file; "
        "nothing was written"]
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind either


def test_cli_failure_leaves_an_existing_dataset_untouched(tmp_path: Path) -> None:
    folder = FIXTURES / "official"
    out = tmp_path / "out"
    first = run_cli("cordis", "--projects", folder / "project.csv", "--out", out)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    for broken_file in ("empty", "missing_column"):
        result = run_cli("cordis", "--projects", FIXTURES / broken_file / "project.csv", "--out", out)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_without_any_cordis_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("cordis", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "cordis needs a download (zip, folder or files)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_merges_with_the_seed_and_refuses_an_invalid_merge_source(tmp_path: Path) -> None:
    folder = FIXTURES / "official"
    out = tmp_path / "merged"
    result = run_cli("cordis", "--projects", folder / "project.csv",
                     "--organizations", folder / "organization.csv",
                     "--merge-with", SEED_DIR, "--out", out)
    assert result.returncode == 0, result.stderr
    merged = load_tables(out)
    seed_projects = load_tables(SEED_DIR)["projects"]
    assert len(merged["projects"]) == len(seed_projects) + 3
    assert {"clusterfy", "cordis-horizon-101057999"} <= set(merged["projects"]["project_id"])
    assert (out / "sources" / "003_678ec545fc67de90.txt").exists()  # seed documents come along

    not_a_dataset = tmp_path / "nowhere"
    refused = run_cli("cordis", "--projects", folder / "project.csv",
                      "--merge-with", not_a_dataset, "--out", tmp_path / "second")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: --merge-with {not_a_dataset} is not a valid dataset")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "second").exists()


def test_cli_spreadsheet_refuses_a_mapping_that_is_not_a_json_object(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text('["acronym", "Acronym"]', encoding="utf-8")
    result = run_cli("spreadsheet", FIXTURES / "official" / "project.csv", "--mapping", mapping,
                     "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "the mapping must be a JSON object of target column -> source column" in result.stderr
    assert "Traceback" not in result.stderr
    bad_pair = run_cli("spreadsheet", FIXTURES / "official" / "project.csv", "--map", "acronym",
                       "--out", tmp_path / "out")
    assert bad_pair.returncode == 2
    assert "write target=Source Column" in bad_pair.stderr
    assert not (tmp_path / "out").exists()


def test_organisation_without_id_or_latin_letters_gets_a_valid_distinct_slug(tmp_path: Path) -> None:
    source = (FIXTURES / "official" / "organization.csv").read_text(encoding="utf-8").splitlines()
    greek = [line.replace('"999999005"', '""').replace("BioCluster Hellas", name)
             for line, name in ((source[6], "Πανεπιστήμιο Κρήτης"), (source[6], "Ερευνητικό Κέντρο"))]
    (tmp_path / "organization.csv").write_text("\n".join([*source, *greek]) + "\n", encoding="utf-8")
    report = ImportReport()
    tables, _ = import_cordis(FIXTURES / "official" / "project.csv", tmp_path / "organization.csv", report)
    assert_balanced(report)
    orgs = tables["organisations"]
    new = orgs[orgs["external_id"] == ""]
    assert sorted(new["name"]) == ["Ερευνητικό Κέντρο", "Πανεπιστήμιο Κρήτης"]
    assert new["organisation_id"].str.fullmatch(r"cordis-org-name-[0-9a-f]{12}-gr").all()
    assert new["organisation_id"].nunique() == 2
    write_dataset(tables, tmp_path / "out", report)  # the loader accepts the ids
    assert len(load_tables(tmp_path / "out")["organisations"]) == 7


def test_merge_keeps_existing_rows_and_warns_about_imported_rows_that_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from data.importers.__main__ import main

    folder = FIXTURES / "official"
    assert main(["cordis", "--projects", str(folder / "project.csv"), "--out", str(tmp_path / "first")]) == 0
    # The same file again: identical rows merge silently.
    assert main(["cordis", "--projects", str(folder / "project.csv"), "--merge-with",
                 str(tmp_path / "first"), "--out", str(tmp_path / "again")]) == 0
    assert "Warning" not in capsys.readouterr().out
    assert len(load_tables(tmp_path / "again")["projects"]) == 3
    # A re-titled project: the existing row wins and the report says so.
    changed = (folder / "project.csv").read_text(encoding="utf-8").replace(
        "Photonics cluster cooperation for health", "Renamed")
    (tmp_path / "project.csv").write_text(changed, encoding="utf-8")
    assert main(["cordis", "--projects", str(tmp_path / "project.csv"), "--merge-with",
                 str(tmp_path / "first"), "--out", str(tmp_path / "third")]) == 0
    out = capsys.readouterr().out
    assert (f"Warning: projects: 1 imported row(s) share a key with a row of {tmp_path / 'first'} "
            "and differ from it; the existing row was kept") in out
    titles = load_tables(tmp_path / "third")["projects"]["title"].tolist()
    assert "Photonics cluster cooperation for health" in titles and "Renamed" not in titles


def test_cli_spreadsheet_delegates_with_the_mapping_and_merges_with_the_seed(tmp_path: Path) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text("Acronym,Title,Start,Partner,Country\n"
                     "SHEETCLUST,Photonics clusters from a sheet,01/04/2016,Cluster One;Cluster Two,DE;EL\n",
                     encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    # --map wins over the file: the title comes from 'Title', not 'Acronym'.
    mapping.write_text('{"acronym": "Acronym", "title": "Acronym"}', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("spreadsheet", sheet, "--mapping", mapping, "--map", "title=Title",
                     "--map", "start_date=Start", "--map", "partner_name=Partner",
                     "--map", "partner_country=Country", "--merge-with", SEED_DIR, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "list.csv (spreadsheet (CSV)): 1 rows read, 1 imported, 0 rejected" in result.stdout
    tables = load_tables(out)
    project = tables["projects"].set_index("acronym").loc["SHEETCLUST"]
    assert (project["title"], project["start_date"]) == ("Photonics clusters from a sheet", "2016-04-01")
    assert len(tables["projects"]) == len(load_tables(SEED_DIR)["projects"]) + 1
    assert {"DE", "GR"} <= set(tables["organisations"]["country"])
