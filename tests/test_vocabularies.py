"""The importers' vocabularies (data/taxonomy/*.csv beside the taxonomies) are data: each is
declared in data/io/schema.py and validated by the loader like every dataset file, and a bad
row is refused with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixtures_data import copy_taxonomy

from data.io import schema
from data.io.loader import DatasetError, load_vocabulary
from data.io.paths import TAXONOMY_DIR
from data.io.roles import cordis_roles, role_labels, role_of_word, unfunded_roles
from data.io.text import ascii_slugs, fold, fold_words, slugify


@pytest.mark.parametrize("table", schema.VOCABULARY_TABLES, ids=lambda t: t.name)
def test_every_shipped_vocabulary_validates(table: schema.Table) -> None:
    frame = load_vocabulary(table)
    assert not frame.empty
    assert list(frame.columns) == list(table.columns)


def _refused(taxonomy: Path, table: schema.Table) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(DatasetError) as caught:
        load_vocabulary(table, taxonomy)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_a_role_word_for_a_role_the_roles_file_lacks_is_refused(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    words = taxonomy / "role_words.csv"
    _append(words, "observer,observer-role")
    line = len(words.read_text(encoding="utf-8").splitlines())
    assert _refused(taxonomy, schema.ROLE_WORDS) == [
        (line, "role", "refers to a role_id that roles.csv does not have")]


def test_a_word_not_written_as_it_is_compared_is_refused(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    _append(taxonomy / "month_names.csv", "Février,2,French")
    problems = _refused(taxonomy, schema.MONTH_NAMES)
    assert [(field, message.split(":")[0]) for _, field, message in problems] == [
        ("word", "must be written as it is compared (lowercase, no accents or punctuation)")]


def test_a_repeated_alias_is_refused_naming_both_lines(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    aliases = taxonomy / "ket_aliases.csv"
    _append(aliases, "nano,photonics")
    problems = _refused(taxonomy, schema.KET_ALIASES)
    assert {field for _, field, _ in problems} == {"alias"}
    assert all("duplicate key (alias)" in message for _, _, message in problems)
    assert len(problems) == 2


def test_a_header_synonym_for_a_field_we_do_not_have_is_refused(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    _append(taxonomy / "header_synonyms.csv", "budget_usd,budget in dollars")
    problems = _refused(taxonomy, schema.HEADER_SYNONYMS)
    assert [(field, message.startswith("must be one of project_id, acronym")) for _, field, message
            in problems] == [("field", True)]


def test_a_vocabulary_file_missing_a_column_is_refused_on_the_header(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    (taxonomy / "not_stated_words.csv").write_text("word\nna\n", encoding="utf-8")
    assert _refused(taxonomy, schema.NOT_STATED_WORDS) == [(1, "code", "required column is missing")]


def test_roles_come_from_the_roles_vocabulary() -> None:
    labels = role_labels()
    assert labels["third-party"] == "Third party"
    mapping, listed = cordis_roles()
    assert mapping["thirdparty"] == "third-party" and "associatedPartner" in listed
    assert unfunded_roles() == ("partner", "associated-partner", "international-partner")
    assert role_of_word("Koordinator") == "coordinator"
    assert role_of_word("Observer") is None
    assert set(load_vocabulary(schema.ROLE_WORDS)["role"]) <= set(labels)


def test_the_roles_file_decides_which_roles_are_unfunded(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    roles = taxonomy / "roles.csv"
    roles.write_text(roles.read_text(encoding="utf-8").replace(
        "third-party,Third party,thirdParty,,", "third-party,Third party,thirdParty,false,"),
        encoding="utf-8")
    assert "third-party" in unfunded_roles(taxonomy)
    assert "third-party" not in unfunded_roles(TAXONOMY_DIR)


def test_fold_and_the_two_slug_makers() -> None:
    assert fold("  República\tCHECA ") == "republica checa"
    assert fold("l’Aquila") == "l'aquila"
    assert fold_words("Date de début (dd/mm)") == "date de debut dd mm"
    assert slugify("Fraunhofer-Gesellschaft e.V.") == "fraunhofer-gesellschaft-e-v"
    # The two slug makers differ where ids already stored depend on it: never unify them.
    assert slugify("Straße") == "strasse"
    assert list(ascii_slugs(pd.Series(["Straße", "Université de Liège"]))) == ["strae", "universite-de-liege"]
    assert len(slugify("word " * 40)) <= 80


def test_the_dialog_offers_every_spreadsheet_field_once_with_its_label_acronym_first() -> None:
    from data.importers.spreadsheet import mapping_fields

    fields = mapping_fields()
    assert sorted(fields) == sorted(schema.SPREADSHEET_FIELDS)
    assert next(iter(fields)) == "acronym"
    assert fields["budget_eur"] == "Total budget (EUR)"


def test_a_spreadsheet_fields_file_missing_a_field_is_refused_naming_it(tmp_path: Path) -> None:
    from data.importers.report import ImportFailure
    from data.importers.spreadsheet import mapping_fields

    taxonomy = copy_taxonomy(tmp_path)
    path = taxonomy / "spreadsheet_fields.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("partner_city,")), encoding="utf-8")
    with pytest.raises(ImportFailure, match="no row for partner_city"):
        mapping_fields(taxonomy)
