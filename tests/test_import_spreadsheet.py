"""Spreadsheet import (data/importers/spreadsheet.py) on the fixtures in
tests/fixtures/spreadsheets (made by make_fixtures.py): a keep.eu-like CSV with one row per
project, an ECCP-like XLSX with French headers and one row per participation, a German list made
by hand, and broken files. Every import checks rows read = imported + rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from data.importers.report import ImportFailure, ImportReport
from data.importers.spreadsheet import import_spreadsheet, parse_date, preview, suggest_mapping
from data.importers.writer import merge_tables, read_dataset, write_dataset
from data.loader import DEFAULT_DATASET, load_dataset

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "spreadsheets"

KEEP_MAPPING = {
    "acronym": "Project acronym", "title": "Project name", "programme": "Programme",
    "start_date": "Start date", "end_date": "End date", "budget_eur": "Total budget",
    "eu_contribution_eur": "ERDF", "summary": "Project description", "partner_name": "Partners",
    "partner_country": "Partner countries", "partner_role": "Partner roles", "kets": "KETs",
    "sectors": "Sectors",
}
ECCP_MAPPING = {
    "acronym": "Acronyme", "title": "Titre du projet", "programme": "Programme",
    "start_date": "Date de début", "end_date": "Date de fin", "budget_eur": "Budget total",
    "partner_name": "Partenaire", "partner_country": "Pays", "partner_role": "Rôle",
    "partner_city": "Ville", "sectors": "Secteurs",
}
HANDMADE_MAPPING = {
    "acronym": "Projekt", "title": "Titel", "programme": "Förderprogramm", "start_date": "Beginn",
    "end_date": "Ende", "budget_eur": "Gesamtbudget", "eu_contribution_eur": "EU-Förderung",
    "partner_name": "Partner", "partner_country": "Land", "partner_role": "Rolle",
    "partner_city": "Stadt", "kets": "Schlüsseltechnologien",
}


def run(path: Path, mapping: dict[str, str], sheet: str | None = None):
    """Import and check the report's arithmetic: every row is imported or rejected."""
    report = ImportReport()
    tables, documents = import_spreadsheet(path, mapping, report, sheet=sheet)
    (entry,) = report.files
    assert entry.rows_read == entry.rows_imported + entry.rows_rejected
    assert documents == {}
    return tables, report


def rows(frame: pd.DataFrame, *columns: str) -> list[list[str]]:
    return frame[list(columns)].values.tolist()


def rejected(report: ImportReport) -> list[tuple[int | None, str | None]]:
    return [(r.line, r.column) for r in report.rejections]


@pytest.fixture(scope="module")
def keep() -> tuple[dict[str, pd.DataFrame], ImportReport]:
    return run(FIXTURES / "keep_eu_projects.csv", KEEP_MAPPING)


@pytest.fixture(scope="module")
def eccp() -> tuple[dict[str, pd.DataFrame], ImportReport]:
    return run(FIXTURES / "eccp_participations.xlsx", ECCP_MAPPING)


@pytest.fixture(scope="module")
def handmade() -> tuple[dict[str, pd.DataFrame], ImportReport]:
    return run(FIXTURES / "handmade_de.csv", HANDMADE_MAPPING)


def write_csv(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- suggesting a mapping and previewing ------------------------------------------------------


@pytest.mark.parametrize(("fixture", "expected"), [
    ("keep_eu_projects.csv", KEEP_MAPPING),
    ("eccp_participations.xlsx", ECCP_MAPPING),
    ("handmade_de.csv", HANDMADE_MAPPING),
])
def test_suggested_mapping_reads_english_french_and_german_headers(fixture: str, expected: dict) -> None:
    columns, _ = preview(FIXTURES / fixture)
    assert suggest_mapping(columns) == expected


def test_suggested_mapping_reads_spanish_headers() -> None:
    columns = ["Acrónimo", "Título del proyecto", "Fecha de inicio", "Fecha de fin", "Presupuesto",
               "Socio", "País", "Rol", "Ciudad", "Sectores"]
    assert suggest_mapping(columns) == {
        "acronym": "Acrónimo", "title": "Título del proyecto", "start_date": "Fecha de inicio",
        "end_date": "Fecha de fin", "budget_eur": "Presupuesto", "partner_name": "Socio",
        "partner_country": "País", "partner_role": "Rol", "partner_city": "Ciudad",
        "sectors": "Sectores"}


def test_suggested_mapping_prefers_exact_headers_and_uses_each_column_once() -> None:
    columns = ["Project", "Acronym", "Project start date (dd/mm/yyyy)", "Partner", "Partner country",
               "Notes", "Name"]
    mapping = suggest_mapping(columns)
    # 'Acronym' and 'Project' both fit the acronym; the more specific name wins and 'Project'
    # is not reused for anything else. 'Name' alone could be a project or a partner: left out.
    assert mapping == {"acronym": "Acronym", "start_date": "Project start date (dd/mm/yyyy)",
                       "partner_name": "Partner", "partner_country": "Partner country"}


def test_preview_of_a_workbook_skips_the_title_row_and_gives_text() -> None:
    columns, first = preview(FIXTURES / "eccp_participations.xlsx", rows=2)
    assert columns[:4] == ["Acronyme", "Titre du projet", "Programme", "Date de début"]
    assert first.shape == (2, 11)
    assert first.iloc[0].tolist()[:6] == ["ALPHA", "Alliance photonique", "COSME", "2018-01-01",
                                          "2020-12-31", "3000000"]
    assert all(isinstance(v, str) for v in first.to_numpy().ravel())


def test_preview_of_a_csv_gives_columns_and_the_first_rows() -> None:
    columns, first = preview(FIXTURES / "handmade_de.csv", rows=3)
    assert columns[0] == "Projekt" and columns[-1] == "Schlüsseltechnologien"
    assert first["Partner"].tolist() == ["Fraunhofer-Gesellschaft e.V.", "Joanneum Research",
                                         "FRAUNHOFER GESELLSCHAFT"]


def test_preview_of_another_sheet_by_name() -> None:
    columns, first = preview(FIXTURES / "eccp_participations.xlsx", sheet="Notes")
    assert columns == ["Exporté depuis la plateforme"] and first.empty


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso"), [
    ("2016-04-01", "2016-04-01"), ("01/04/2016", "2016-04-01"), ("01.04.2016", "2016-04-01"),
    ("1-4-2016", "2016-04-01"), ("2016/04/01", "2016-04-01"), ("1 April 2016", "2016-04-01"),
    ("April 1, 2016", "2016-04-01"), ("1st April 2016", "2016-04-01"), ("1er avril 2016", "2016-04-01"),
    ("1. April 2016", "2016-04-01"), ("1 de abril de 2016", "2016-04-01"),
    ("Friday, 1 April, 2016", "2016-04-01"), ("April 2016", "2016-04"), ("avril 2016", "2016-04"),
    ("März 2017", "2017-03"), ("Sept. 2019", "2019-09"), ("04/2016", "2016-04"), ("2016-04", "2016-04"),
    ("2016", "2016"), ("2016-04-01T00:00:00", "2016-04-01"), ("2016-04-01 12:30", "2016-04-01"),
    ("", ""),
])
def test_dates_in_common_formats_keep_their_precision(text: str, iso: str) -> None:
    assert parse_date(text) == (iso, None)


@pytest.mark.parametrize(("text", "why"), [
    ("04/13/2016", "month and day look swapped"), ("31.02.2016", "not a date on the calendar"),
    ("01/04/16", "two-digit year is ambiguous"), ("Apr-16", "two-digit year is ambiguous"),
    ("2016-13", "month 13 does not exist"), ("next spring", "not a date in a known format"),
    ("1850", "outside 1900-2100"), ("1 April", "two-digit year is ambiguous"),
])
def test_ambiguous_or_impossible_dates_are_refused_with_a_reason(text: str, why: str) -> None:
    iso, error = parse_date(text)
    assert iso == "" and why in error


# --- keep.eu-like CSV: one row per project ----------------------------------------------------


def test_keep_rows_are_imported_or_rejected_with_line_column_and_value(keep) -> None:
    _, report = keep
    (entry,) = report.files
    assert (entry.rows_read, entry.rows_imported, entry.rows_rejected) == (8, 4, 4)
    assert rejected(report) == [(5, "Start date"), (6, "Partner countries"), (8, "Total budget"),
                                (9, "End date")]
    reasons = [r.reason for r in report.rejections]
    assert reasons[0].startswith("start date '04/13/2016': month and day look swapped")
    assert reasons[1] == "unknown country 'Atlantis'"
    assert reasons[2] == "budget 'abc': not an amount in euro"
    assert reasons[3] == "ends before it starts: end 2018-12-31, start 2019-01-01"
    # The rejected row's cells travel with it, for rejects.csv.
    assert report.rejections[1].row["Partners"] == "Poseidon Lab"


def test_keep_projects_have_day_first_dates_and_decimal_comma_amounts(keep) -> None:
    tables, _ = keep
    assert rows(tables["projects"], "project_id", "acronym", "start_date", "end_date", "budget_eur",
                "eu_contribution_eur", "programme_id", "kind") == [
        ["clusterfy", "ClusterFY", "2016-04-01", "2020-03-31", "1234567.89", "1000000.00",
         "interreg-europe", "project"],
        ["nanoroad", "NanoRoad", "2011-10-01", "2014-09-30", "", "", "interreg-europe", "project"],
        ["plasma-eu", "PLASMA-EU", "2017", "2019", "", "", "interreg-central-europe", "project"],
        ["formula", "Formula", "2018-03", "2019-06", "", "", "interreg-europe", "project"],
    ]
    assert rows(tables["programmes"], "programme_id", "name") == [
        ["interreg-europe", "Interreg Europe"], ["interreg-central-europe", "Interreg Central Europe"]]


def test_keep_text_that_looks_like_a_formula_is_kept_as_text(keep) -> None:
    tables, report = keep
    title = tables["projects"].set_index("project_id").at["formula", "title"]
    assert title == '=HYPERLINK("http://example.org","Click")'
    assert "1 cell(s) begin with '=' and were kept as text, never run" in report.files[0].notes


def test_keep_partners_in_one_cell_get_their_aligned_countries_and_roles(keep) -> None:
    tables, _ = keep
    orgs = tables["organisations"].set_index("organisation_id")
    parts = tables["participations"]
    clusterfy = parts[parts["project_id"] == "clusterfy"]
    assert [(orgs.at[o, "name"], orgs.at[o, "country"], role) for o, role in
            zip(clusterfy["organisation_id"], clusterfy["role"], strict=True)] == [
        ("Fraunhofer-Gesellschaft e.V.", "DE", "lead-partner"), ("Silicon Saxony", "DE", "partner"),
        ("Université de Liège", "BE", "partner")]


def test_keep_countries_that_do_not_line_up_with_partners_belong_to_the_project(keep) -> None:
    tables, report = keep
    assert rows(tables["project_countries"], "project_id", "country", "role", "quote") == [
        ["plasma-eu", "DE", "", "keep_eu_projects.csv line 4"],
        ["plasma-eu", "FR", "", "keep_eu_projects.csv line 4"]]
    plasma = tables["participations"][tables["participations"]["project_id"] == "plasma-eu"]
    orgs = tables["organisations"].set_index("organisation_id")
    assert set(orgs.loc[plasma["organisation_id"], "country"]) == {""}
    assert any("line 4: 2 for 3 partners" in n for n in report.files[0].notes)


def test_keep_spellings_of_one_organisation_are_merged_and_reported(keep) -> None:
    tables, report = keep
    assert report.merged_organisations == [
        "merged 'Fraunhofer-Gesellschaft e.V.' and 'FRAUNHOFER GESELLSCHAFT' (DE) by name"]
    fraunhofer = tables["participations"][tables["participations"]["organisation_id"]
                                          == "fraunhofer-gesellschaft-e-v-de"]
    assert list(fraunhofer["project_id"]) == ["clusterfy", "nanoroad"]


def test_keep_stated_tags_are_curated_and_unknown_labels_are_warned_not_rejected(keep) -> None:
    tables, report = keep
    curated = tables["project_kets"][tables["project_kets"]["origin"] == "curated"]
    assert rows(curated, "project_id", "ket", "quote") == [
        ["nanoroad", "photonics", "keep_eu_projects.csv line 3"],
        ["nanoroad", "nanotechnology", "keep_eu_projects.csv line 3"]]
    # A sector label with a comma in it ('Mobility, transport and automotive') stays whole.
    sectors = tables["project_sectors"]
    assert rows(sectors[sectors["origin"] == "curated"], "project_id", "sector") == [
        ["nanoroad", "mobility-transport-automotive"], ["nanoroad", "health"]]
    assert report.warnings == [
        "keep_eu_projects.csv, line 3, column 'KETs': KET 'Quantum' is not in the taxonomy "
        "(data/taxonomy/kets.csv); tag dropped, row imported"]


def test_keep_projects_without_tags_get_inferred_ones_with_the_triggering_words(keep) -> None:
    tables, report = keep
    inferred = tables["project_kets"][tables["project_kets"]["origin"] == "inferred"]
    assert rows(inferred, "project_id", "ket", "quote") == [
        ["clusterfy", "nanotechnology", "Graphene; nanoparticles"],
        ["clusterfy", "photonics", "photonic"],
        ["plasma-eu", "photonics", "Laser"]]
    # NanoRoad states its KETs, so none are inferred for it although it says 'nanotechnology'.
    assert "nanoroad" not in set(inferred["project_id"])
    assert report.inferred_tags == 4


def test_keep_every_record_cites_the_import_source_and_its_line(keep) -> None:
    tables, _ = keep
    (source,) = tables["sources"].to_dict("records")
    assert source["source_id"] == "keep-eu-projects-csv" and source["kind"] == "import"
    assert source["title"] == f"keep_eu_projects.csv, imported {dt.date.today().isoformat()}"
    for name in ("projects", "programmes", "organisations", "participations", "project_countries",
                 "project_kets", "project_sectors"):
        assert set(tables[name]["source"]) == {"keep-eu-projects-csv"}, name
    assert rows(tables["projects"], "quote")[0] == ["keep_eu_projects.csv line 2"]


# --- ECCP-like XLSX: one row per participation, French ----------------------------------------


def test_eccp_rows_are_imported_or_rejected(eccp) -> None:
    _, report = eccp
    (entry,) = report.files
    assert entry.kind == "spreadsheet (XLSX, sheet 'Participations')"
    assert (entry.rows_read, entry.rows_imported, entry.rows_rejected) == (7, 5, 2)
    assert rejected(report) == [(8, "Date de début"), (10, "Titre du projet")]
    assert report.rejections[0].reason == "start date '31/02/2017': not a date on the calendar"
    assert report.rejections[1].reason.startswith(
        "same project id 'delta' as line 9, but the title differs ('Delta, autre titre' here, 'Delta' there)")


def test_eccp_title_row_is_skipped_and_lines_are_sheet_rows(eccp) -> None:
    tables, report = eccp
    assert "header on row 3; 1 title row(s) above it skipped" in report.files[0].notes
    assert tables["projects"]["quote"].tolist() == ["eccp_participations.xlsx line 4",
                                                    "eccp_participations.xlsx line 7",
                                                    "eccp_participations.xlsx line 9"]


def test_eccp_excel_dates_serial_numbers_and_numeric_years_are_read(eccp) -> None:
    tables, _ = eccp
    assert rows(tables["projects"], "project_id", "start_date", "end_date") == [
        ["alpha", "2018-01-01", "2020-12-31"],   # date cells
        ["beta", "2016-04-01", "2017"],          # serial number 42461; the number 2017 is a year
        ["delta", "2019-05", "2021-04"]]


def test_eccp_formula_cells_give_their_saved_value_and_text_starting_with_equals_stays_text(eccp) -> None:
    tables, report = eccp
    projects = tables["projects"].set_index("project_id")
    assert projects.at["alpha", "budget_eur"] == "3000000"
    assert projects.at["beta", "title"] == "=Titre qui commence par égal"
    notes = report.files[0].notes
    assert "2 cell(s) hold formulas; their last computed values were imported (first at F4)" in notes
    assert any("have no saved value" in n and "J5" in n for n in notes)
    # The formula without a saved value leaves the city empty rather than the formula text.
    assert "CONCATENATE" not in " ".join(tables["organisations"]["city"])


def test_eccp_project_fields_left_blank_on_partner_rows_are_filled_from_other_rows(eccp) -> None:
    tables, _ = eccp
    alpha = tables["projects"].set_index("project_id").loc["alpha"]
    assert (alpha["title"], alpha["programme_id"]) == ("Alliance photonique", "cosme")


def test_eccp_french_roles_countries_and_sector_labels_are_understood(eccp) -> None:
    tables, report = eccp
    orgs = tables["organisations"].set_index("organisation_id")
    parts = tables["participations"]
    assert [(p, orgs.at[o, "name"], orgs.at[o, "country"], orgs.at[o, "city"], r) for p, o, r in
            parts[["project_id", "organisation_id", "role"]].itertuples(index=False)] == [
        ("alpha", "Pôle Minalogic", "FR", "Grenoble", "coordinator"),
        ("alpha", "Tecnalia S.L.", "ES", "", "partner"),
        ("beta", "Silicon Saxony e.V.", "DE", "Dresden", ""),
        ("delta", "ZINNAE", "ES", "Vitoria-Gasteiz", "partner")]
    assert rows(tables["project_sectors"], "project_id", "sector") == [
        ["alpha", "health"], ["alpha", "digital"], ["beta", "electronics"], ["delta", "textile"]]
    assert report.warnings == [
        "eccp_participations.xlsx, line 7, column 'Rôle': role 'Observateur' not understood; left "
        "empty (coordinator, lead partner, partner, associated partner, third party)",
        "eccp_participations.xlsx, line 7, column 'Secteurs': sector 'Chimie verte' is not in the "
        "taxonomy (data/taxonomy/sectors.csv); tag dropped, row imported"]


def test_eccp_duplicate_partner_spellings_merge_and_keep_the_stronger_role(eccp) -> None:
    _, report = eccp
    assert report.merged_organisations == [
        "merged 'Tecnalia S.L.' and 'TECNALIA' (ES) by name",
        "'Tecnalia S.L.' in project 'alpha': kept role 'partner' (also listed as 'associated-partner')"]


def test_eccp_other_sheet_is_chosen_by_name_and_an_unknown_one_lists_the_sheets() -> None:
    with pytest.raises(ImportFailure, match="no data rows under the header"):
        import_spreadsheet(FIXTURES / "eccp_participations.xlsx",
                           {"acronym": "Exporté depuis la plateforme"}, ImportReport(), sheet="Notes")
    with pytest.raises(ImportFailure) as caught:
        import_spreadsheet(FIXTURES / "eccp_participations.xlsx", ECCP_MAPPING, ImportReport(),
                           sheet="Projets")
    assert "no sheet named 'Projets'; the sheets are: 'Participations', 'Notes'" in str(caught.value)


# --- German list made by hand -----------------------------------------------------------------


def test_handmade_cp1252_file_with_german_dates_and_amounts(handmade) -> None:
    tables, report = handmade
    (entry,) = report.files
    assert "encoding: not UTF-8; read as Windows-1252 (cp1252)" in entry.notes
    assert (entry.rows_read, entry.rows_imported, entry.rows_rejected) == (7, 6, 1)
    assert rejected(report) == [(7, "Beginn")]
    assert rows(tables["projects"], "project_id", "title", "start_date", "end_date", "budget_eur",
                "eu_contribution_eur") == [
        ["nanofab", "Nanofabrikation für KMU", "2016-04-01", "2019-03-31", "2500000.00", "1875000.50"],
        ["bioproc", "Bioprozesse im Alpenraum", "2017-04-01", "2020-03", "800000", ""],
        ["yearonly", "Nur Jahr", "2018", "2020", "", ""]]


def test_handmade_namesakes_merge_within_a_country_and_not_across(handmade) -> None:
    tables, report = handmade
    orgs = tables["organisations"]
    fraunhofer = orgs[orgs["name"].str.casefold().str.startswith("fraunhofer")]
    assert rows(fraunhofer, "organisation_id", "country") == [
        ["fraunhofer-gesellschaft-e-v-de", "DE"], ["fraunhofer-gesellschaft-at", "AT"]]
    assert report.merged_organisations == [
        "merged 'Fraunhofer-Gesellschaft e.V.' and 'FRAUNHOFER GESELLSCHAFT' (DE) by name",
        "'Fraunhofer-Gesellschaft e.V.' in project 'nanofab': kept role 'coordinator' "
        "(also listed as 'partner')"]


def test_handmade_german_roles_and_ket_labels(handmade) -> None:
    tables, _ = handmade
    assert rows(tables["participations"], "project_id", "organisation_id", "role") == [
        ["nanofab", "fraunhofer-gesellschaft-e-v-de", "coordinator"],
        ["nanofab", "joanneum-research-at", "partner"],
        ["bioproc", "fraunhofer-gesellschaft-at", "partner"],
        ["bioproc", "universitat-wien-at", "associated-partner"],
        ["yearonly", "somewhere-gmbh-ch", "partner"]]
    assert rows(tables["project_kets"], "project_id", "ket", "origin") == [
        ["nanofab", "nanotechnology", "curated"], ["nanofab", "photonics", "curated"],
        ["bioproc", "industrial-biotechnology", "curated"]]


# --- the result is a dataset the app loads ----------------------------------------------------


@pytest.mark.parametrize(("fixture", "mapping"), [
    ("keep_eu_projects.csv", KEEP_MAPPING), ("eccp_participations.xlsx", ECCP_MAPPING),
    ("handmade_de.csv", HANDMADE_MAPPING)])
def test_imported_tables_load_alone_and_merged_into_the_seed(tmp_path: Path, fixture: str, mapping) -> None:
    tables, report = run(FIXTURES / fixture, mapping)
    write_dataset(tables, tmp_path / "alone", report)
    alone = load_dataset(tmp_path / "alone")
    assert sorted(alone.projects["project_id"]) == sorted(tables["projects"]["project_id"])
    assert len(alone.participations) == len(tables["participations"])
    base, documents = read_dataset(DEFAULT_DATASET)
    write_dataset(merge_tables(base, tables), tmp_path / "merged", report, documents)
    merged = load_dataset(tmp_path / "merged")
    # An id the seed already has (ClusterFY) is kept once, from the seed (writer.merge_tables).
    assert set(merged.projects["project_id"]) == set(base["projects"]["project_id"]) | set(
        tables["projects"]["project_id"])
    assert (tmp_path / "alone" / "import" / "rejects.csv").exists()


# --- small hand-written lists -----------------------------------------------------------------


def test_role_in_brackets_after_the_name_and_roles_in_several_languages(tmp_path: Path) -> None:
    path = write_csv(tmp_path, (
        "Acronym;Partners;Countries;Roles\n"
        'A;"Acme (coordinator); Beta Lab";"FR; IT";\n'
        "B;Gamma;ES;Coordinador\n"
        "C;Delta;DE;Koordinatorin\n"
        "D;Epsilon;BE;Partenaire associé\n"
        "E;Zeta;PL;Linked third party\n"
    ))
    tables, _ = run(path, {"acronym": "Acronym", "partner_name": "Partners",
                           "partner_country": "Countries", "partner_role": "Roles"})
    orgs = tables["organisations"].set_index("organisation_id")
    assert [(orgs.at[o, "name"], r) for o, r in
            tables["participations"][["organisation_id", "role"]].itertuples(index=False)] == [
        ("Acme", "coordinator"), ("Beta Lab", ""), ("Gamma", "coordinator"), ("Delta", "coordinator"),
        ("Epsilon", "associated-partner"), ("Zeta", "third-party")]


def test_tags_by_slug_label_short_label_or_translation(tmp_path: Path) -> None:
    path = write_csv(tmp_path, (
        "Acronym,KETs,Sectors\n"
        'A,"advanced-materials, Adv. manufacturing","Energy – renewables; Santé"\n'
        'B,"Micro- and nanoelectronics; Photonik","Proximity, social economy and civil security"\n'
    ))
    tables, report = run(path, {"acronym": "Acronym", "kets": "KETs", "sectors": "Sectors"})
    assert rows(tables["project_kets"], "project_id", "ket") == [
        ["a", "advanced-materials"], ["a", "advanced-manufacturing"],
        ["b", "micro-nano-electronics"], ["b", "photonics"]]
    assert rows(tables["project_sectors"], "project_id", "sector") == [
        ["a", "renewable-energy"], ["a", "health"], ["b", "proximity-social-economy"]]
    assert report.warnings == []


def test_a_project_id_column_keeps_two_projects_with_one_acronym_apart(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Id,Acronym,Title\n101,SMART,Smart cities\n202,SMART,Smart farming\n")
    tables, report = run(path, {"project_id": "Id", "acronym": "Acronym", "title": "Title"})
    assert rows(tables["projects"], "project_id", "acronym", "external_id") == [
        ["101", "SMART", "101"], ["202", "SMART", "202"]]
    assert report.rejections == []


def test_one_acronym_with_two_titles_and_no_id_column_rejects_the_second_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Title\nSMART,Smart cities\nSMART,Smart farming\n")
    tables, report = run(path, {"acronym": "Acronym", "title": "Title"})
    assert rows(tables["projects"], "title") == [["Smart cities"]]
    assert rejected(report) == [(3, "Title")]
    assert "map a project id column" in report.rejections[0].reason


def test_an_acronym_without_latin_letters_gets_a_stable_id(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Partner,Country\nΦΩΣ,Εθνικό Ίδρυμα,Ελλάδα\n")
    tables, _ = run(path, {"acronym": "Acronym", "partner_name": "Partner", "partner_country": "Country"})
    (project_id,) = tables["projects"]["project_id"]
    assert project_id.startswith("project-") and len(project_id) == len("project-") + 10
    assert tables["organisations"]["country"].tolist() == ["GR"]
    assert tables["organisations"]["organisation_id"].iloc[0].startswith("organisation-")


def test_empty_acronym_rejects_the_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Title\n,No name\nOK,Named\n")
    tables, report = run(path, {"acronym": "Acronym", "title": "Title"})
    assert rows(tables["projects"], "acronym") == [["OK"]]
    assert [(r.line, r.column, r.reason) for r in report.rejections] == [
        (2, "Acronym", "the acronym is empty")]


def test_every_problem_of_a_row_is_named_in_its_one_rejection(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start,Budget,Partner,Country\nX,13/13/2020,lots,Acme,Narnia\n")
    _, report = run(path, {"acronym": "Acronym", "start_date": "Start", "budget_eur": "Budget",
                           "partner_name": "Partner", "partner_country": "Country"})
    (rejection,) = report.rejections
    assert rejection.column == "Start"
    assert rejection.reason == ("start date '13/13/2020': month 13 does not exist; budget 'lots': not an "
                                "amount in euro; unknown country 'Narnia'")


def test_countries_without_partner_names_become_project_countries(tmp_path: Path) -> None:
    path = write_csv(tmp_path, 'Acronym,Countries\nA,"Alemania; República Checa; EL"\n')
    tables, _ = run(path, {"acronym": "Acronym", "partner_country": "Countries"})
    assert rows(tables["project_countries"], "country") == [["DE"], ["CZ"], ["GR"]]
    assert tables["organisations"].empty


# --- files that cannot be imported at all -----------------------------------------------------


@pytest.mark.parametrize(("fixture", "mapping", "message"), [
    ("empty.csv", {"acronym": "x"}, "empty.csv: the file is empty"),
    ("header_only.csv", {"acronym": "Project acronym"}, "no data rows under the header"),
    ("pdf_named.csv", {"acronym": "x"}, "this is a PDF document"),
    ("not_a_workbook.xlsx", {"acronym": "x"}, "not an Excel workbook, although named .xlsx"),
    ("old_excel.xls", {"acronym": "x"}, "old Excel (.xls)"),
    ("zip_not_workbook.xlsx", {"acronym": "x"}, "not a readable Excel workbook"),
    ("empty_sheet.xlsx", {"acronym": "x"}, "sheet 'Vide' is empty"),
    ("missing.csv", {"acronym": "x"}, "no such file"),
    ("keep_eu_projects.csv", {"title": "Project name"}, "must say which column holds the project acronym"),
    ("keep_eu_projects.csv", {"acronym": "Project acronym", "colour": "Programme"},
     "unknown field(s) in the column mapping: colour"),
])
def test_files_that_cannot_be_imported_fail_clearly_and_count_nothing(fixture: str, mapping, message) -> None:
    report = ImportReport()
    with pytest.raises(ImportFailure) as caught:
        import_spreadsheet(FIXTURES / fixture, mapping, report)
    assert message in str(caught.value)
    assert report.files == [] and report.rejections == []


def test_mapping_a_column_the_file_does_not_have_lists_the_files_columns() -> None:
    with pytest.raises(ImportFailure) as caught:
        import_spreadsheet(FIXTURES / "keep_eu_projects.csv", {"acronym": "Acronym"}, ImportReport())
    assert str(caught.value).startswith(
        "keep_eu_projects.csv: the mapping names column(s) the file does not have: 'Acronym' (for acronym). "
        "The file's columns are: 'Project acronym', 'Project name', 'Programme'")


def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    with pytest.raises(ImportFailure, match="over the limit of 100 bytes"):
        import_spreadsheet(FIXTURES / "keep_eu_projects.csv", KEEP_MAPPING, ImportReport(), max_bytes=100)
