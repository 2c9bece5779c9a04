"""The vocabularies' words on the German, French and Spanish pages: participation roles, kinds
of projects, activities, sources and findings, the map's boundary credit, the upload dialog's
field labels and what the model finds about a project. Each has a translation in every language
(a missing row is named), and the pure render functions show them in the page's language while
the exports stay English."""

from __future__ import annotations

import base64
import csv
from pathlib import Path

import numpy as np
import pytest
from fixtures_data import copy_taxonomy, load_seed
from test_i18n import texts

from callbacks import views
from callbacks.upload import receive_upload
from callbacks.views import DROPDOWN_DIMENSIONS
from components.layout import build_layout
from data.engine import export, queries
from data.engine.model import FACT_FIELD_WORDS, finding_message
from data.engine.state import FilterState
from data.io import schema
from data.io.geo import COUNTRIES_ATTRIBUTION
from data.io.i18n import KIND_KEYS, kind_label, missing_translations, taxonomy_labels
from data.io.loader import DatasetError, load_vocabulary

SPREADSHEETS = Path(__file__).parent / "fixtures" / "spreadsheets"


# --- every word in every language ------------------------------------------------------------------


def test_every_role_kind_and_field_has_a_label_in_every_language() -> None:
    assert missing_translations() == []


def _without_row(path: Path, first_cells: tuple[str, ...]) -> None:
    """Rewrite the CSV at ``path`` without the row that starts with ``first_cells``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [r for r in rows if tuple(r[:len(first_cells)]) != first_cells]
    assert len(kept) == len(rows) - 1, f"no row {first_cells} in {path.name}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


@pytest.mark.parametrize(("table", "row", "named"), [
    (schema.ROLE_TRANSLATIONS, ("third-party", "de"), "no de label for role_id 'third-party'"),
    (schema.KIND_TRANSLATIONS, ("activities", "pilot-action", "fr"),
     "no fr label for activities kind 'pilot-action'"),
    (schema.KIND_TRANSLATIONS, ("projects", "call", "es"), "no es label for projects kind 'call'"),
    (schema.KIND_TRANSLATIONS, ("findings", "gap", "de"), "no de label for findings kind 'gap'"),
    (schema.SPREADSHEET_FIELD_TRANSLATIONS, ("partner_country", "fr"),
     "no fr label for field 'partner_country'"),
    (schema.KET_TRANSLATIONS, ("photonics", "es"), "no es label for ket_id 'photonics'"),
], ids=lambda v: v.name if isinstance(v, schema.Table) else None)
def test_a_removed_translation_is_named(tmp_path: Path, table: schema.Table, row: tuple[str, ...],
                                        named: str) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    _without_row(taxonomy / table.file, row)
    assert missing_translations(taxonomy) == [f"{table.file}: {named}"]


def test_a_new_role_without_translations_is_named_in_each_language(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    with (taxonomy / "roles.csv").open("a", encoding="utf-8") as handle:
        handle.write("observer,Observer,,,Watches the project.,dashboard\n")
    assert missing_translations(taxonomy) == [
        f"role_translations.csv: no {lang} label for role_id 'observer'" for lang in ("de", "fr", "es")]


def test_every_table_with_kinds_has_its_labels() -> None:
    assert set(KIND_KEYS) == set(schema.KINDS_OF)
    for lang in schema.TRANSLATED_LANGUAGES:
        labels = taxonomy_labels(lang)
        assert {table: set(labels[key]) for table, key in KIND_KEYS.items()} == {
            table: set(kinds) for table, kinds in schema.KINDS_OF.items()}


def test_a_kind_of_another_table_and_a_role_the_roles_file_lacks_are_refused(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    with (taxonomy / "kind_translations.csv").open("a", encoding="utf-8") as handle:
        handle.write("projects,pilot-action,de,Pilotmaßnahme\n")
    with pytest.raises(DatasetError) as caught:
        load_vocabulary(schema.KIND_TRANSLATIONS, taxonomy)
    assert [(p.field, p.message.split(" (")[0]) for p in caught.value.problems] == [
        ("kind", "is not a kind of projects")]
    with (taxonomy / "role_translations.csv").open("a", encoding="utf-8") as handle:
        handle.write("observer,de,Beobachter\n")
    with pytest.raises(DatasetError) as caught:
        load_vocabulary(schema.ROLE_TRANSLATIONS, taxonomy)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("role_id", "refers to a role_id that roles.csv does not have")]


# --- roles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "coordinator", "participant", "unstated"), [
    ("en", "Coordinator", "Participant (beneficiary)", "role not stated"),
    ("de", "Koordinator", "Teilnehmer (Begünstigter)", "Rolle nicht angegeben"),
    ("fr", "Coordinateur", "Participant (bénéficiaire)", "rôle non indiqué"),
    ("es", "Coordinador", "Participante (beneficiario)", "rol no indicado"),
])
def test_a_role_is_labelled_in_the_language_asked_for(lang: str, coordinator: str, participant: str,
                                                      unstated: str) -> None:
    seed = load_seed()
    assert queries.role_label(seed, "coordinator", lang=lang) == coordinator
    assert queries.role_label(seed, "participant", lang=lang) == participant
    assert queries.role_label(seed, "", lang=lang) == unstated
    # The source's own word stays as the source wrote it, in every language.
    assert queries.role_label(seed, "other", "Mentor", lang) == "Mentor"


def test_an_organisation_published_without_a_name_is_listed_in_the_language() -> None:
    german = queries.organisation_label("", "999888", "cordis-999888", "de")
    assert german == "Name nicht angegeben (ID 999888)"
    assert queries.organisation_label("", "", "anonymous-lab") == "name not stated (id anonymous-lab)"
    assert queries.organisation_label("Fraunhofer", "1", "f", "fr") == "Fraunhofer"


def test_the_project_panel_in_german_names_the_roles_in_german() -> None:
    seed = load_seed()
    shown = texts(views.render_detail(seed, FilterState(project="clustrat", lang="de"))["detail"])
    roles = [t.split(" — ")[-1] for t in shown if t.startswith(" — ") and t.count(" — ") == 1]
    assert "Koordinator" in roles and "Coordinator" not in " ".join(shown)
    assert any(t.startswith("Projekt · ") for t in shown)
    assert " (Pilotmaßnahme) " in shown and " (pilot action) " not in shown
    # The dates of a project that states no end: the panel's own words, not English.
    assert any(t.endswith("– Ende nicht angegeben (die Quelle nennt eine Laufzeit von 36 Monaten)")
               for t in shown)
    assert any(t.endswith("(Basisdokument)") for t in shown)
    unstated = texts(views.render_detail(seed, FilterState(project="clusternanoroad", lang="de"))["detail"])
    assert " — Rolle nicht angegeben" in unstated and " — role not stated" not in unstated


def test_the_countries_named_without_organisations_are_grouped_by_the_translated_role() -> None:
    seed = load_seed()
    detail = queries.project_detail(seed, "clustrat", "es")
    assert detail is not None
    assert set(detail.countries_named["role_label"]) == {"Socio", "Socio asociado"}
    shown = texts(views.render_detail(seed, FilterState(project="clustrat", lang="es"))["detail"])
    assert {"Socio: ", "Socio asociado: "} <= set(shown) and "Partner: " not in shown


def test_the_exports_keep_the_english_roles_on_a_german_page() -> None:
    seed = load_seed()
    rows = list(export.participation_rows(seed, FilterState(project="clustrat", lang="de")))
    roles = {row[5] for row in rows}
    assert "Coordinator" in roles and "Koordinator" not in roles


# --- kinds ---------------------------------------------------------------------------------------


def test_a_kind_is_shown_as_written_in_english_and_translated_otherwise() -> None:
    assert kind_label("activities", "pilot-action") == "pilot action"
    assert kind_label("projects", "service-contract", "fr") == "contrat de services"
    assert kind_label("activities", "call", "de") == "Aufruf"
    # A kind no file knows (an older dataset) is shown as written rather than failing.
    assert kind_label("activities", "hackathon", "es") == "hackathon"


def test_the_timeline_names_the_kinds_of_activities_in_spanish() -> None:
    figure = views.render_timeline(load_seed(), FilterState(lang="es"))["figure"].to_dict()
    names = {trace.get("name") for trace in figure["data"]}
    assert {"acción piloto", "evento", "conferencia"} <= names
    assert not {"pilot action", "event", "conference"} & names


def test_the_tables_notes_are_in_french() -> None:
    seed = load_seed()
    rows = queries.table_rows(seed, np.ones(seed.size, dtype=bool), lang="fr")
    notes = {row["id"]: row["notes"] for row in rows}
    assert notes["clustrat"] == "lacune" and notes["clusternanoroad"] == ""
    assert queries.table_rows(seed, np.ones(seed.size, dtype=bool))[1]["notes"] == "gap"


# --- the map's credit ----------------------------------------------------------------------------


def test_the_maps_credit_is_in_the_pages_language() -> None:
    seed = load_seed()
    figure = views.render_map(seed, FilterState(lang="de"), ["DE"], "/geo", COUNTRIES_ATTRIBUTION)["figure"]
    notes = figure.to_dict()["layout"]["annotations"][0]["text"]
    assert notes.endswith("Grenzen: Natural Earth (gemeinfrei)")
    english = views.render_map(seed, FilterState(), ["DE"], "/geo", COUNTRIES_ATTRIBUTION)["figure"]
    assert english.to_dict()["layout"]["annotations"][0]["text"].endswith(
        "Boundaries: Natural Earth (public domain)")
    vocab = {d: seed.vocabulary(d, "fr") for d in DROPDOWN_DIMENSIONS}
    page = texts(build_layout(vocab, (2010, 2024), COUNTRIES_ATTRIBUTION, lang="fr"))
    assert "Frontières\u00a0: Natural Earth (domaine public)" in page
    assert COUNTRIES_ATTRIBUTION not in page


# --- the upload dialog's mapping -------------------------------------------------------------------


def _labels(mapping: list[object]) -> list[str]:
    return [t for t in texts(mapping) if t and t[0].isupper()]


def test_the_upload_mapping_in_french_shows_french_field_labels(tmp_path: Path) -> None:
    content = (SPREADSHEETS / "handmade_de.csv").read_bytes()
    url = "data:text/csv;base64," + base64.b64encode(content).decode()
    french = _labels(receive_upload(tmp_path, url, "handmade_de.csv", "fr")["mapping"])
    assert {"Acronyme du projet (obligatoire)", "Pays du partenaire", "Date de début",
            "Technologies clés génériques (TCG)", "Quelle colonne contient quoi\u00a0?"} <= set(french)
    english = _labels(receive_upload(tmp_path, url, "handmade_de.csv", "en")["mapping"])
    assert "Partner country" in english and not {"Partner country", "Start date"} & set(french)


# --- what the model finds about a project ------------------------------------------------------------


def test_a_finding_is_said_in_the_panels_language_and_kept_in_english_in_the_data() -> None:
    seed = load_seed()
    inno = seed.findings[seed.findings["project_id"] == "inno-drop"].iloc[0]
    assert inno["message"] == "The source states 4 partners; 3 are named (001_12f6619e88ea2ffc.txt)."
    shown = texts(views.render_detail(seed, FilterState(project="inno-drop", lang="de"))["detail"])
    assert "Die Quelle nennt 4 Partner; 3 sind namentlich genannt (001_12f6619e88ea2ffc.txt)." in shown
    assert inno["message"] not in shown


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Sources disagree on the start date: 2011 (a); 2012 (b)"),
    ("fr", "Les sources divergent sur la date de début\u00a0: 2011 (a); 2012 (b)"),
    ("es", "Las fuentes discrepan sobre la fecha de inicio: 2011 (a); 2012 (b)"),
])
def test_a_conflict_names_its_fact_in_the_language(lang: str, expected: str) -> None:
    assert finding_message("conflict", "start_date", {"said": "2011 (a); 2012 (b)"}, lang) == expected


def test_every_fact_a_conflict_can_be_about_has_words() -> None:
    assert set(FACT_FIELD_WORDS) == set(schema.FACT_FIELDS)
