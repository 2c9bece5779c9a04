"""Spreadsheet import (data/importers/spreadsheet.py) on the fixtures in
tests/fixtures/spreadsheets (made by make_fixtures.py): a keep.eu-like CSV with one row per
project, an ECCP-like XLSX with French headers and one row per participation, a German list made
by hand, and broken files. Every import checks rows read = imported + rejected."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data.engine.model import load_dataset
from data.importers import spreadsheet
from data.importers.__main__ import main as importers_main
from data.importers.report import ImportFailure, ImportReport
from data.importers.spreadsheet import import_spreadsheet, parse_date, preview, suggest_mapping
from data.importers.writer import merge_tables, read_dataset, write_dataset
from data.io.paths import DEFAULT_DATASET

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
    (merge,) = report.merged_organisations  # the wording is orgmerge's; the facts are ours
    assert "kept 'Fraunhofer-Gesellschaft e.V.'; also 'FRAUNHOFER GESELLSCHAFT'" in merge
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
    assert [(p, orgs.at[o, "name"], orgs.at[o, "country"], orgs.at[o, "city"], r, stated)
            for p, o, r, stated in parts[["project_id", "organisation_id", "role", "role_stated"]]
            .itertuples(index=False)] == [
        ("alpha", "Pôle Minalogic", "FR", "Grenoble", "coordinator", "Coordinateur"),
        ("alpha", "Tecnalia S.L.", "ES", "", "partner", "Partenaire"),
        ("alpha", "Tecnalia S.L.", "ES", "", "associated-partner", "Partenaire associé"),
        # A role word we do not know is kept: role 'other', the word as stated.
        ("beta", "Silicon Saxony e.V.", "DE", "Dresden", "other", "Observateur"),
        ("delta", "ZINNAE", "ES", "Vitoria-Gasteiz", "partner", "Partenaire")]
    assert rows(tables["project_sectors"], "project_id", "sector") == [
        ["alpha", "health"], ["alpha", "digital"], ["beta", "electronics"], ["delta", "textile"]]
    assert report.warnings == [
        "eccp_participations.xlsx, column 'Rôle': role 'Observateur' is not one of ours "
        "(data/taxonomy/roles.csv); kept as role 'other', as stated (1 row(s), first line 7)",
        "eccp_participations.xlsx, line 7, column 'Secteurs': sector 'Chimie verte' is not in the "
        "taxonomy (data/taxonomy/sectors.csv); tag dropped, row imported"]


def test_eccp_duplicate_partner_spellings_merge_and_keep_each_stated_role(eccp) -> None:
    tables, report = eccp
    merge, roles = report.merged_organisations
    assert "kept 'Tecnalia S.L.'; also 'TECNALIA'" in merge
    assert "each role kept" in roles
    tecnalia = tables["participations"][tables["participations"]["organisation_id"] == "tecnalia-s-l-es"]
    assert rows(tecnalia, "project_id", "role", "role_stated") == [
        ["alpha", "partner", "Partenaire"], ["alpha", "associated-partner", "Partenaire associé"]]


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
    merge, roles = report.merged_organisations
    assert "kept 'Fraunhofer-Gesellschaft e.V.'; also 'FRAUNHOFER GESELLSCHAFT'" in merge
    assert "in project nanofab" in roles and "each role kept" in roles


def test_handmade_german_roles_and_ket_labels(handmade) -> None:
    tables, _ = handmade
    # Fraunhofer is listed twice in nanofab under two spellings and two roles: both are kept.
    assert rows(tables["participations"], "project_id", "organisation_id", "role", "role_stated") == [
        ["nanofab", "fraunhofer-gesellschaft-e-v-de", "coordinator", "Koordinator"],
        ["nanofab", "joanneum-research-at", "partner", "Partner"],
        ["nanofab", "fraunhofer-gesellschaft-e-v-de", "partner", "Partner"],
        ["bioproc", "fraunhofer-gesellschaft-at", "partner", "Partner"],
        ["bioproc", "universitat-wien-at", "associated-partner", "assoziierter Partner"],
        ["yearonly", "somewhere-gmbh-ch", "partner", "Partner"]]
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


# --- spreadsheets as people make them: compact dates, "NA" cells, id columns, dry run -------


def write_xlsx(tmp_path: Path, header: list[str], body: list[list[object]], name: str = "list.xlsx") -> Path:
    """A one-sheet workbook; numbers stay numbers, as a number-formatted cell stores them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in body:
        sheet.append(values)
    path = tmp_path / name
    workbook.save(path)
    return path


def notes_about(report: ImportReport, column: str) -> list[str]:
    return [n for n in report.files[0].notes if n.startswith(f"column '{column}'")]


COMPACT_MAPPING = {"acronym": "Acronym", "start_date": "Start", "end_date": "End"}


def test_eight_digit_dates_are_read_day_first_or_year_first_as_each_column_shows(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start,End\nA,01042016,20190331\nB,15102017,20201231\n")
    tables, report = run(path, COMPACT_MAPPING)
    assert rows(tables["projects"], "acronym", "start_date", "end_date") == [
        ["A", "2016-04-01", "2019-03-31"], ["B", "2017-10-15", "2020-12-31"]]
    assert notes_about(report, "Start") == [
        "column 'Start' (start date): 8-digit dates read as DDMMYYYY (2 cell(s), e.g. '01042016' -> "
        "2016-04-01)"]
    assert notes_about(report, "End") == [
        "column 'End' (end date): 8-digit dates read as YYYYMMDD (2 cell(s), e.g. '20190331' -> 2019-03-31)"]
    assert report.rejections == []


def test_seven_digit_dates_are_day_first_dates_that_lost_their_leading_zero(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start\nA,1042016\nB,15042016\n")
    tables, report = run(path, {"acronym": "Acronym", "start_date": "Start"})
    assert rows(tables["projects"], "start_date") == [["2016-04-01"], ["2016-04-15"]]
    (note,) = notes_about(report, "Start")
    assert "read as DDMMYYYY (2 cell(s)" in note
    assert "1 of them have 7 digits, a leading zero dropped by a number format, read as DMMYYYY" in note


def test_compact_dates_stored_as_numbers_in_a_workbook_are_read_and_serial_dates_still_work(
        tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, ["Acronym", "Start", "End"], [
        ["A", 1042016, 20190331],      # number cells: the leading zero of 01042016 is gone
        ["B", 31122015, 20200101],
        ["C", 42461, 2017],            # an Excel serial number and a year stay as before
    ])
    tables, report = run(path, COMPACT_MAPPING)
    assert rows(tables["projects"], "acronym", "start_date", "end_date") == [
        ["A", "2016-04-01", "2019-03-31"], ["B", "2015-12-31", "2020-01-01"], ["C", "2016-04-01", "2017"]]
    assert "read as DDMMYYYY" in notes_about(report, "Start")[0]
    assert "read as YYYYMMDD" in notes_about(report, "End")[0]


def test_an_eight_digit_value_that_is_no_date_in_the_columns_layout_rejects_its_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start\nA,01042016\nB,31022016\nC,99999999\n")
    tables, report = run(path, {"acronym": "Acronym", "start_date": "Start"})
    assert rows(tables["projects"], "acronym") == [["A"]]
    assert [(r.line, r.column, r.reason) for r in report.rejections] == [
        (3, "Start", "start date '31022016': not a date as DDMMYYYY, the layout of this column: "
                     "not a date on the calendar"),
        (4, "Start", "start date '99999999': not a date as DDMMYYYY, the layout of this column: "
                     "year 9999 is outside 1900-2100")]


def test_a_column_mixing_day_first_and_year_first_dates_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start\nA,01042016\nB,20170501\nC,02052018\n")
    tables, report = run(path, {"acronym": "Acronym", "start_date": "Start"})
    # Each value fits only one layout, so reading it is no guess; the mix is said in the notes.
    assert rows(tables["projects"], "start_date") == [["2016-04-01"], ["2017-05-01"], ["2018-05-02"]]
    assert notes_about(report, "Start") == [
        "column 'Start' (start date): 8-digit dates mix layouts: DDMMYYYY (2 cell(s), e.g. '01042016' "
        "-> 2016-04-01) and YYYYMMDD (1 cell(s), e.g. '20170501' -> 2017-05-01); each value was read "
        "in the one layout it fits: check the column"]


def test_a_value_that_reads_both_ways_takes_the_layout_of_the_rest_of_its_column(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With years 1900-2100 no 8-digit value fits both layouts; widen the range to see the rule.
    monkeypatch.setattr(spreadsheet, "YEAR_RANGE", (1, 9999))
    path = write_csv(tmp_path, "Acronym,Start,End\nA,01020304,01020304\nB,25122016,\n")
    tables, report = run(path, COMPACT_MAPPING)
    # 25122016 is only day-first, so the Start column is; End has nothing to decide by.
    assert rows(tables["projects"], "acronym", "start_date") == [["B", "2016-12-25"]]
    assert [(r.line, r.column) for r in report.rejections] == [(2, "End")]
    assert "reads as a date both as DDMMYYYY and as YYYYMMDD" in report.rejections[0].reason
    assert "0304-02-01" not in report.rejections[0].reason
    # Without the End cell, the ambiguous start date is read day-first like the rest of Start.
    path = write_csv(tmp_path, "Acronym,Start\nA,01020304\nB,25122016\n", name="start_only.csv")
    tables, _ = run(path, {"acronym": "Acronym", "start_date": "Start"})
    assert rows(tables["projects"], "start_date") == [["0304-02-01"], ["2016-12-25"]]


def test_existing_date_formats_are_unchanged_beside_compact_ones(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Start\nA,01/04/2016\nB,1 April 2016\nC,2016\nD,01042016\n")
    tables, report = run(path, {"acronym": "Acronym", "start_date": "Start"})
    assert rows(tables["projects"], "start_date") == [["2016-04-01"], ["2016-04-01"], ["2016"],
                                                      ["2016-04-01"]]
    assert report.rejections == []


NA_HEADER = ["Acronym", "Project ID", "Title", "Start", "Budget", "Partner", "Country", "Role", "City",
             "KETs"]
NA_MAPPING = {"acronym": "Acronym", "project_id": "Project ID", "title": "Title", "start_date": "Start",
              "budget_eur": "Budget", "partner_name": "Partner", "partner_country": "Country",
              "partner_role": "Role", "partner_city": "City", "kets": "KETs"}
NA_BODY = [
    # R's NA for the budget and the title; 'NA' in the country column is Namibia.
    ["SOLAR", "P1", "NA", "2016-04-01", "NA", "Namibia University of Science and Technology", "NA",
     "Coordinator", "Windhoek", "none"],
    # Every other spelling of "not stated", in every kind of column.
    ["SOLAR", "P1", "n.a.", "N/A", "-", "Acme GmbH", "DE", "#N/A", "NULL", "--"],
    ["WIND", "na", "Wind power", "n/a", "1000", "Beta SA", "N/A", "None", "-", "photonics"],
]


def check_not_stated(tables: dict[str, pd.DataFrame], report: ImportReport) -> None:
    assert report.rejections == []
    projects = tables["projects"].set_index("project_id")
    assert projects.loc["p1", ["title", "start_date", "budget_eur"]].tolist() == ["", "2016-04-01", ""]
    # 'NA' in an id column is an id, as written.
    assert projects.loc["na", ["acronym", "external_id", "budget_eur"]].tolist() == ["WIND", "na", "1000"]
    orgs = tables["organisations"].set_index("name")
    assert orgs.loc["Namibia University of Science and Technology", ["country", "city"]].tolist() == [
        "NA", "Windhoek"]
    assert orgs.loc["Acme GmbH", ["country", "city"]].tolist() == ["DE", ""]
    # 'N/A' is no country code: read as empty, so the row is kept with the country unknown.
    assert orgs.loc["Beta SA", ["country", "city"]].tolist() == ["", ""]
    assert rows(tables["participations"], "role", "role_stated") == [["coordinator", "Coordinator"],
                                                                    ["", ""], ["", ""]]
    curated = tables["project_kets"][tables["project_kets"]["origin"] == "curated"]
    assert rows(curated, "project_id", "ket") == [["na", "photonics"]]
    notes = report.files[0].notes
    for expected in (
        "column 'Title': 2 cell(s) read as empty (not stated): 'NA' x1, 'n.a.' x1",
        "column 'Start': 2 cell(s) read as empty (not stated): 'N/A' x1, 'n/a' x1",
        "column 'Budget': 2 cell(s) read as empty (not stated): 'NA' x1, '-' x1",
        "column 'Country': 1 cell(s) read as empty (not stated): 'N/A' x1",
        "column 'Country': 'NA' kept as Namibia's country code in 1 cell(s), not read as empty",
        "column 'Project ID': 'NA' kept as an id in 1 cell(s), not read as empty",
        "column 'Role': 2 cell(s) read as empty (not stated): '#N/A' x1, 'None' x1",
        "column 'City': 2 cell(s) read as empty (not stated): 'NULL' x1, '-' x1",
        "column 'KETs': 2 cell(s) read as empty (not stated): 'none' x1, '--' x1",
    ):
        assert expected in notes


def test_not_stated_words_are_empty_but_namibia_stays_namibia_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "r_export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([NA_HEADER, *NA_BODY])
    check_not_stated(*run(path, NA_MAPPING))


def test_not_stated_words_are_empty_but_namibia_stays_namibia_in_a_workbook(tmp_path: Path) -> None:
    # openpyxl stores the text '#N/A' as an error cell, as Excel shows a failed lookup.
    path = write_xlsx(tmp_path, NA_HEADER, NA_BODY)
    check_not_stated(*run(path, NA_MAPPING))


@pytest.mark.parametrize("make", ["csv", "xlsx"])
def test_preview_keeps_na_as_text(tmp_path: Path, make: str) -> None:
    # pandas' default NA parsing would make these missing; the reader must not use it.
    if make == "csv":
        path = write_csv(tmp_path, "Acronym,Country,Budget\nSOLAR,NA,NA\n")
    else:
        path = write_xlsx(tmp_path, ["Acronym", "Country", "Budget"], [["SOLAR", "NA", "NA"]])
    _, first = preview(path)
    assert first.iloc[0].tolist() == ["SOLAR", "NA", "NA"]


def test_an_acronym_that_says_not_stated_rejects_the_row_and_says_why(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Acronym,Title\nN/A,Nameless\nOK,Named\n")
    tables, report = run(path, {"acronym": "Acronym", "title": "Title"})
    assert rows(tables["projects"], "acronym") == [["OK"]]
    assert [(r.line, r.reason, r.category) for r in report.rejections] == [
        (2, "the acronym is empty ('N/A' means not stated)", "the acronym is empty")]


def test_role_stated_keeps_the_word_as_written_and_unknown_words_become_other(tmp_path: Path) -> None:
    path = write_csv(tmp_path, (
        "Acronym;Partner;Country;Role\n"
        "A;Acme;FR;Coord.\n"
        "A;Beta;IT;Beneficiary\n"
        "A;Gamma;ES;Observer\n"
        "B;Delta;DE;observer\n"
        "B;Epsilon (Lead Partner);BE;\n"
        "B;Zeta;PL;International partner\n"
    ))
    tables, report = run(path, {"acronym": "Acronym", "partner_name": "Partner",
                                "partner_country": "Country", "partner_role": "Role"})
    names = tables["organisations"].set_index("organisation_id")["name"]
    assert [(names[o], r, s) for o, r, s in tables["participations"][
            ["organisation_id", "role", "role_stated"]].itertuples(index=False)] == [
        ("Acme", "coordinator", "Coord."), ("Beta", "participant", "Beneficiary"),
        ("Gamma", "other", "Observer"), ("Delta", "other", "observer"),
        ("Epsilon", "lead-partner", "Lead Partner"),
        ("Zeta", "international-partner", "International partner")]
    assert report.rejections == []
    assert report.warnings == [
        "list.csv, column 'Role': role 'Observer' is not one of ours (data/taxonomy/roles.csv); kept as "
        "role 'other', as stated (1 row(s), first line 4)",
        "list.csv, column 'Role': role 'observer' is not one of ours (data/taxonomy/roles.csv); kept as "
        "role 'other', as stated (1 row(s), first line 5)"]


def test_id_number_and_code_headers_are_never_guessed_as_names() -> None:
    assert suggest_mapping(["Partner ID", "Partner", "Project No", "Acronym"]) == {
        "project_id": "Project No", "acronym": "Acronym", "partner_name": "Partner"}
    # Without a better column the id column is still not taken for the partner or the project.
    assert suggest_mapping(["Partner ID", "PIC", "Project number", "Projekt-Nr.", "Partner #",
                            "Organisation code", "Acronym"]) == {
        "project_id": "Project number", "acronym": "Acronym"}


def test_columns_whose_values_are_numbers_are_never_guessed_as_names() -> None:
    columns = ["Project", "Title", "Partner", "Country"]
    samples = {"Project": ["101", "102", ""], "Title": ["Smart cities", "2020"],
               "Partner": ["4711", "NA", "815"], "Country": ["DE", "FR"]}
    assert suggest_mapping(columns, samples) == {"title": "Title", "partner_country": "Country"}
    # Without the values the headers alone decide, as before.
    assert suggest_mapping(columns) == {"acronym": "Project", "title": "Title", "partner_name": "Partner",
                                        "partner_country": "Country"}


def test_suggested_mapping_takes_the_preview_frame_as_samples(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Partner,Organisation,Acronym\n12,Acme,A\n13,Beta,B\n")
    columns, first = preview(path)
    assert suggest_mapping(columns, first) == {"acronym": "Acronym", "partner_name": "Organisation"}


# --- the command line: dry run ---------------------------------------------------------------

DRY_CSV = (
    "Partner ID,Acronym,Start,Budget,Partner,Country,Role\n"
    "901,SOLAR,01042016,\"1.500,50\",Acme GmbH,Deutschland,Coord.\n"
    "902,SOLAR,01042016,NA,Namibia Energy Institute,NA,Observer\n"
    "903,WIND,31022016,NA,Beta SA,France,Partner\n"
    "904,TIDE,NA,2000,Gamma Oy,Atlantis,Partner\n"
    "905,WAVE,15052017,,Delta,ES,Partner\n"
)


def test_dry_run_prints_mapping_rows_and_rejections_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path, DRY_CSV)
    before = sorted(p.name for p in tmp_path.iterdir())
    code = importers_main(["spreadsheet", str(path), "--dry-run", "--map", "acronym=Acronym",
                           "--map", "partner_name=Partner"])
    out = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert "Dry run of list.csv (spreadsheet (CSV)): nothing was written." in out
    assert "5 rows read: 3 would be imported, 2 rejected." in out
    mapping = out.split("Column mapping (our field <- your column):\n")[1].split("\n\n")[0]
    assert mapping.splitlines() == [
        "  acronym         <- 'Acronym'  given",
        "  start_date      <- 'Start'    GUESSED from the header",
        "  budget_eur      <- 'Budget'   GUESSED from the header",
        "  partner_name    <- 'Partner'  given",
        "  partner_country <- 'Country'  GUESSED from the header",
        "  partner_role    <- 'Role'     GUESSED from the header",
        "  (check the GUESSED ones; override with --map FIELD=COLUMN, or --no-guess)",
        "Columns not imported: 'Partner ID'"]
    shown = out.split("First 3 of 3 rows as they would be imported:\n")[1].split("\n\n")[0]
    assert shown.splitlines() == [
        "  line 2", "    project_id: solar", "    acronym: SOLAR", "    start_date: 2016-04-01",
        "    budget_eur: 1500.50",
        "    partner: Acme GmbH, country DE, role coordinator (as stated: 'Coord.')",
        "  line 3", "    project_id: solar", "    acronym: SOLAR", "    start_date: 2016-04-01",
        "    budget_eur: blank on this row; the project's, from another row: 1500.50",
        "    partner: Namibia Energy Institute, country NA, role other (as stated: 'Observer')",
        "  line 6", "    project_id: wave", "    acronym: WAVE", "    start_date: 2017-05-15",
        "    budget_eur: not stated", "    partner: Delta, country ES, role partner (as stated: 'Partner')"]
    rejections = out.split("Rows that would be rejected: 2, by reason:\n")[1].split("\n\n")[0]
    assert rejections.splitlines() == [
        "  1 x Country: unknown country",
        "  1 x Start: start date: not a date as DDMMYYYY, the layout of this column: not a date on the "
        "calendar",
        "The first 2:",
        "  line 4, column 'Start': start date '31022016': not a date as DDMMYYYY, the layout of this "
        "column: not a date on the calendar",
        "  line 5, column 'Country': unknown country 'Atlantis'"]
    assert "  column 'Start' (start date): 8-digit dates read as DDMMYYYY (3 cell(s), e.g. '01042016' -> " \
           "2016-04-01)" in out
    assert "  column 'Budget': 2 cell(s) read as empty (not stated): 'NA' x2" in out


def test_dry_run_shows_as_many_rows_as_asked_and_ignores_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path, DRY_CSV)
    code = importers_main(["spreadsheet", str(path), "--dry-run", "--rows", "1", "--out",
                           str(tmp_path / "dataset")])
    out = capsys.readouterr().out
    assert code == 0
    assert not (tmp_path / "dataset").exists()
    assert "First 1 of 3 rows as they would be imported:" in out
    assert "  line 2\n" in out and "  line 3\n" not in out
    assert "(--out and --merge-with are not used in a dry run)" in out


def test_dry_run_of_a_workbook_says_where_a_partner_rows_blank_project_fields_come_from(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = importers_main(["spreadsheet", str(FIXTURES / "eccp_participations.xlsx"), "--dry-run",
                           "--rows", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "  title           <- 'Titre du projet'  GUESSED from the header" in out
    second = out.split("  line 5\n")[1].split("\n\n")[0].splitlines()
    assert second == [
        "    project_id: alpha", "    acronym: ALPHA",
        "    title: blank on this row; the project's, from another row: Alliance photonique",
        "    programme: blank on this row; the project's, from another row: COSME",
        "    start_date: blank on this row; the project's, from another row: 2018-01-01",
        "    end_date: blank on this row; the project's, from another row: 2020-12-31",
        "    budget_eur: blank on this row; the project's, from another row: 3000000",
        "    partner: Tecnalia S.L., country ES, role partner (as stated: 'Partenaire'), city not stated"]


def test_dry_run_of_a_file_that_cannot_be_imported_fails_like_an_import(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = importers_main(["spreadsheet", str(FIXTURES / "header_only.csv"), "--dry-run"])
    assert code == 2
    assert "no data rows under the header" in capsys.readouterr().err


def test_import_without_out_and_without_dry_run_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path, DRY_CSV)
    with pytest.raises(SystemExit) as exited:
        importers_main(["spreadsheet", str(path)])
    assert exited.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_command_line_import_of_compact_dates_and_na_cells_loads_in_the_app(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path, DRY_CSV)
    code = importers_main(["spreadsheet", str(path), "--out", str(tmp_path / "dataset")])
    assert code == 0, capsys.readouterr().err
    load_dataset(tmp_path / "dataset")  # the app loads it
    written, _ = read_dataset(tmp_path / "dataset")
    projects = written["projects"].set_index("project_id")
    assert projects.loc["solar", ["start_date", "budget_eur"]].tolist() == ["2016-04-01", "1500.50"]
    assert projects.loc["wave", "budget_eur"] == ""
    parts = written["participations"]
    assert sorted(zip(parts["role"], parts["role_stated"], strict=True)) == [
        ("coordinator", "Coord."), ("other", "Observer"), ("partner", "Partner")]
    assert "NA" in set(written["organisations"]["country"])


def test_report_says_how_many_projects_got_a_ket_stated_or_inferred(tmp_path: Path) -> None:
    from data.importers.__main__ import main

    out = tmp_path / "out"
    assert main(["spreadsheet", str(FIXTURES / "keep_eu_projects.csv"), "--out", str(out)]) == 0
    report = (out / "import" / "report.txt").read_text(encoding="utf-8")
    assert "projects with a KET: 3 of 4 (1 stated in the file, 2 by keyword)" in report
