"""Which records are one organisation: the same external id, else the same VAT number in one
country, else similar names in one country (rapidfuzz score >= threshold); never two different
external ids, never across countries, never a nameless record by name. Every merge is reported
with its basis and score; participations keep every distinct (project, organisation, role,
role_stated); an import merged into an existing dataset gives its records the existing ids."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.importers.orgmerge import (
    DEFAULT_MATCH_THRESHOLD,
    merge_into,
    merge_organisations,
    normalise_names,
    normalise_vat,
)
from data.io.loader import load_tables


def org(organisation_id: str, name: str, country: str = "DE", external_id: str = "", **cells: str) -> dict:
    return {"organisation_id": organisation_id, "name": name, "country": country,
            "external_id": external_id, "vat_number": "", "city": "", "note": "", "source": "s",
            "quote": f"{organisation_id} quote", **cells}


def part(project_id: str, organisation_id: str, role: str = "partner", role_stated: str = "",
         **cells: str) -> dict:
    return {"project_id": project_id, "organisation_id": organisation_id, "role": role,
            "role_stated": role_stated, "work_packages_led": "", "ec_contribution_eur": "", "source": "s",
            "quote": f"{project_id}/{organisation_id}", **cells}


def merge(orgs: list[dict], parts: list[dict] | None = None, **options: int):
    parts_frame = pd.DataFrame(parts or [], columns=list(part("p", "o")))
    return merge_organisations(pd.DataFrame(orgs), parts_frame, **options)


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["organisation_id"].tolist()


# --- normalised names and VAT numbers ---------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Fraunhofer-Gesellschaft e.V.", "FRAUNHOFER GESELLSCHAFT"),
    ("Fraunhofer Gesellschaft e. V.", "fraunhofer-gesellschaft"),
    ("Université de Liège", "UNIVERSITE DE LIEGE"),
    ("Acme S.p.A.", "ACME SpA"),
    ("Tecnalia S.L.", "TECNALIA"),
    ("Foo GmbH & Co. KG", "Foo"),
    ("Bar sp. z o.o.", "BAR"),
    ("Baz s.r.o.", "Baz"),
    ("Qux A/S", "QUX"),
    ("Nokia Oyj", "nokia"),
    ("Volvo AB", "Volvo"),
    ("Philips B.V.", "Philips"),
    ("Example Ltd.", "Example Limited"),
    ("The University of Manchester", "University of Manchester"),
    ("Silicon Saxony e.V.", "Silicon-Saxony"),
])
def test_names_differing_in_case_accents_punctuation_or_legal_form_normalise_alike(a: str, b: str) -> None:
    first, second = normalise_names(pd.Series([a, b]))
    assert first == second


@pytest.mark.parametrize(("a", "b"), [
    ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung", "Fraunhofer Gesellschaft"),
    ("Univ.Stuttgart", "Universität Stuttgart"),
    ("AB Volvo", "Volvo"),  # a legal form is removed only at the end of a name
])
def test_different_names_stay_different(a: str, b: str) -> None:
    first, second = normalise_names(pd.Series([a, b]))
    assert first != second


def test_a_name_that_is_only_a_legal_form_is_not_emptied() -> None:
    assert normalise_names(pd.Series(["S.A."])).tolist() == ["sa"]


@pytest.mark.parametrize(("vat", "country", "expected"), [
    ("DE 123456789", "DE", "DE123456789"),
    ("DE123456789", "DE", "DE123456789"),
    ("de.123.456.789", "DE", "DE123456789"),
    ("123456789", "DE", "DE123456789"),  # a bare number takes its record's country prefix
    ("123 456 789", "GR", "EL123456789"),  # Greece's VAT prefix is EL
    ("GR123456789", "GR", "EL123456789"),
    ("ATU12345678", "AT", "ATU12345678"),
    ("U12345678", "AT", "ATU12345678"),
    ("B12345678", "ES", "ESB12345678"),  # a letter that opens the number is not a prefix
    ("DE123456789", "", "DE123456789"),  # an explicit prefix needs no country
    ("123456789", "", ""),  # whose digits? unknown stays unknown
    ("MISSING", "DE", ""),
    ("NOTAPPLICABLE", "FR", ""),
    ("N/A", "FR", ""),
    ("000000000", "IT", ""),
    ("", "DE", ""),
])
def test_vat_numbers_compare_without_spaces_dots_and_with_an_explicit_prefix(
    vat: str, country: str, expected: str
) -> None:
    assert normalise_vat(pd.Series([vat]), pd.Series([country])).tolist() == [expected]


# --- by external id ---------------------------------------------------------------------------


def test_same_external_id_merges_different_spellings() -> None:
    orgs, _, described = merge([org("x1", "Alpha Research", "BE", "999884"),
                                org("x2", "ALPHA RESEARCH CENTRE NV", "BE", "999884")])
    assert ids(orgs) == ["x1"]
    assert described == ["x1: kept 'Alpha Research'; also 'ALPHA RESEARCH CENTRE NV' "
                         "(x2: same external id 999884)"]


def test_one_external_id_in_two_countries_is_one_body_and_the_report_names_both_countries() -> None:
    orgs, _, described = merge([org("z1", "Zeta", "DE", "5"), org("z2", "Zeta", "AT", "5")])
    assert orgs[["organisation_id", "country"]].values.tolist() == [["z1", "DE"]]
    assert described == ["z1: kept 'Zeta'; also 'Zeta' (z2: same external id 5, though listed in "
                         "AT, not DE)"]


def test_different_external_ids_are_never_merged_by_name_or_vat() -> None:
    orgs, _, described = merge([org("b1", "Beta", "BE", "1", vat_number="BE0123456789"),
                                org("b2", "Beta", "BE", "2", vat_number="BE 0123.456.789"),
                                org("b3", "Betta", "BE", "3")])
    assert ids(orgs) == ["b1", "b2", "b3"]
    assert described == ["kept apart: 'Beta' (b1, external id 1) and 'Beta' (b2, external id 2) "
                         "share VAT number BE0123456789 in BE but cannot be one body (different "
                         "external ids)"]


def test_a_record_without_id_joins_the_one_record_its_name_singles_out() -> None:
    orgs, _, described = merge([org("a1", "Alpha", "BE", "7"), org("a2", "ALPHA NV", "BE")])
    assert orgs[["organisation_id", "external_id"]].values.tolist() == [["a1", "7"]]
    assert described == ["a1: kept 'Alpha'; also 'ALPHA NV' (a2: same name in BE)"]


def test_a_record_without_id_stays_apart_when_its_name_fits_two_ids_and_the_report_says_so() -> None:
    orgs, _, described = merge([org("b1", "Beta", "BE", "1"), org("b2", "Beta", "BE", "2"),
                                org("b3", "BETA", "BE")])
    assert ids(orgs) == ["b1", "b2", "b3"]
    assert described == ["kept apart: 'BETA' (b3) in BE has a name like 'Beta' (b1, external id 1) "
                         "and 'Beta' (b2, external id 2), which cannot be one body (different "
                         "external ids); merged with none of them"]


# --- by VAT number ----------------------------------------------------------------------------


def test_same_vat_number_merges_differently_named_records_of_one_country() -> None:
    orgs, _, described = merge([org("v1", "Acme Photonics", vat_number="DE 123456789"),
                                org("v2", "AP Laser Works", vat_number="DE123456789"),
                                org("v3", "Acme Lasers", vat_number="123.456.789")])
    assert ids(orgs) == ["v1"]
    assert orgs.at[0, "note"] == "Also written 'AP Laser Works'; 'Acme Lasers'."
    assert described == ["v1: kept 'Acme Photonics'; also 'AP Laser Works' (v2: same VAT number "
                         "DE123456789 in DE); also 'Acme Lasers' (v3: same VAT number DE123456789 in DE)"]


def test_a_vat_number_joins_a_record_with_an_id_and_a_nameless_record() -> None:
    orgs, _, described = merge([
        org("cordis-org-42", "Gamma Institute", "FR", "42", vat_number="FR12345678901"),
        org("n1", "", "FR", vat_number="FR 12 345 678 901")])
    assert ids(orgs) == ["cordis-org-42"]
    assert described == ["cordis-org-42: kept 'Gamma Institute'; also (no name) "
                         "(n1: same VAT number FR12345678901 in FR)"]


def test_the_same_vat_number_in_two_countries_is_not_merged() -> None:
    orgs, _, described = merge([org("v1", "Acme", "DE", vat_number="DE123456789"),
                                org("v2", "Acme Austria", "AT", vat_number="DE123456789")])
    assert ids(orgs) == ["v1", "v2"]
    assert described == []


def test_records_with_different_vat_numbers_are_not_merged_by_name() -> None:
    orgs, _, _ = merge([org("v1", "Acme GmbH", vat_number="DE111111112"),
                        org("v2", "ACME", vat_number="DE222222223")])
    assert ids(orgs) == ["v1", "v2"]


# --- by name within a country -----------------------------------------------------------------


def test_same_name_in_one_country_is_merged_keeping_the_first_spelling_and_id() -> None:
    orgs, _, described = merge([org("fhg-1", "Fraunhofer-Gesellschaft e.V."),
                                org("fhg-2", "FRAUNHOFER GESELLSCHAFT", city="München")])
    assert orgs[["organisation_id", "name", "city"]].values.tolist() == [
        ["fhg-1", "Fraunhofer-Gesellschaft e.V.", "München"]]
    assert orgs.at[0, "note"] == "Also written 'FRAUNHOFER GESELLSCHAFT'."
    assert described == ["fhg-1: kept 'Fraunhofer-Gesellschaft e.V.'; also 'FRAUNHOFER GESELLSCHAFT' "
                         "(fhg-2: same name in DE)"]


def test_silicon_saxony_spellings_merge_and_the_report_gives_the_similarity_score() -> None:
    orgs, _, described = merge([org("cordis-org-999", "Silicon Saxony e.V.", external_id="999"),
                                org("s2", "SILICON SAXONY EV"), org("s3", "Silicon-Saxony"),
                                org("s4", "Siliconsaxony")])
    assert ids(orgs) == ["cordis-org-999"]
    assert described == ["cordis-org-999: kept 'Silicon Saxony e.V.'; "
                         "also 'SILICON SAXONY EV' (s2: same name in DE); "
                         "also 'Silicon-Saxony' (s3: same name in DE); "
                         "also 'Siliconsaxony' (s4: name similarity 96 in DE)"]


def test_a_typo_merges_at_the_default_threshold_with_its_score() -> None:
    orgs, _, described = merge([org("f1", "Fraunhofer Gesellschaft"), org("f2", "Fraunhofer Gesselschaft")])
    assert DEFAULT_MATCH_THRESHOLD == 92
    assert ids(orgs) == ["f1"]
    assert described == ["f1: kept 'Fraunhofer Gesellschaft'; also 'Fraunhofer Gesselschaft' "
                         "(f2: name similarity 95 in DE)"]


@pytest.mark.parametrize(("threshold", "merged"), [(95, True), (96, False), (100, False)])
def test_a_pair_scoring_95_7_merges_up_to_threshold_95_and_not_above(threshold: int, merged: bool) -> None:
    orgs, _, _ = merge([org("f1", "Fraunhofer Gesellschaft"), org("f2", "Fraunhofer Gesselschaft")],
                       threshold=threshold)
    assert ids(orgs) == (["f1"] if merged else ["f1", "f2"])


def test_a_pair_below_the_default_threshold_is_kept_apart_and_merges_when_it_is_lowered() -> None:
    pair = [org("s1", "Silicon Saxony"), org("s2", "Silicon Saxonia")]  # scores 89.7
    assert ids(merge(pair)[0]) == ["s1", "s2"]
    orgs, _, described = merge(pair, threshold=89)
    assert ids(orgs) == ["s1"]
    assert described == ["s1: kept 'Silicon Saxony'; also 'Silicon Saxonia' (s2: name similarity 89 in DE)"]


def test_threshold_100_merges_identical_normalised_names_only() -> None:
    orgs, _, _ = merge([org("a", "Acme GmbH"), org("b", "ACME"), org("c", "Acme Gmbh Lab"),
                        org("d", "Siliconsaxony"), org("e", "Silicon Saxony")], threshold=100)
    assert ids(orgs) == ["a", "c", "d", "e"]


@pytest.mark.parametrize("threshold", [-1, 101, 92.5, True])
def test_a_threshold_outside_0_to_100_is_refused(threshold: object) -> None:
    with pytest.raises(ValueError, match="threshold must be a whole number from 0 to 100"):
        merge([org("a", "Acme")], threshold=threshold)  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "b"), [
    ("Fraunhofer IPT", "Fraunhofer IPK"),  # 93: two institutes, told apart by an acronym
    ("Université Paris 7", "Université Paris 8"),  # 94: told apart by a number
    ("Technische Universität München", "Technische Universität München TUM"),
])
def test_names_differing_in_a_number_or_a_short_word_never_merge_by_similarity(a: str, b: str) -> None:
    orgs, _, _ = merge([org("a", a, "FR"), org("b", b, "FR")], threshold=80)
    assert ids(orgs) == ["a", "b"]


def test_filler_words_do_not_count_as_a_distinguishing_short_word() -> None:
    orgs, _, _ = merge([org("a", "University of Patras", "GR"), org("b", "University Patras", "GR")],
                       threshold=90)
    assert ids(orgs) == ["a"]


def test_same_name_in_two_countries_is_never_merged() -> None:
    orgs, _, described = merge([org("fhg-de", "Fraunhofer Gesellschaft", "DE"),
                                org("fhg-at", "Fraunhofer Gesellschaft", "AT"),
                                org("fhg-ch", "Fraunhofer Gesselschaft", "CH")], threshold=50)
    assert ids(orgs) == ["fhg-de", "fhg-at", "fhg-ch"]
    assert described == []


def test_unknown_country_is_not_merged_with_a_known_one() -> None:
    orgs, _, _ = merge([org("a", "Acme", "DE"), org("b", "Acme", "")])
    assert len(orgs) == 2


def test_records_without_a_country_merge_only_when_their_names_are_identical() -> None:
    orgs, _, described = merge([org("a", "Acme Photonics", ""), org("b", "ACME PHOTONICS GMBH", ""),
                                org("c", "Acme Photonic", "")], threshold=50)
    assert ids(orgs) == ["a", "c"]
    assert described == ["a: kept 'Acme Photonics'; also 'ACME PHOTONICS GMBH' (b: same name in no country)"]


def test_organisations_without_a_name_are_kept_and_never_merged_by_name() -> None:
    orgs, parts, described = merge(
        [org("cordis-org-1", ""), org("cordis-org-2", ""), org("cordis-org-name--de", ""),
         org("cordis-org-3", "", external_id="3"), org("x", "Acme")],
        [part("p", "cordis-org-1"), part("p", "cordis-org-2")], threshold=0)
    assert ids(orgs) == ["cordis-org-1", "cordis-org-2", "cordis-org-name--de", "cordis-org-3", "x"]
    assert parts["organisation_id"].tolist() == ["cordis-org-1", "cordis-org-2"]
    assert described == []


def test_a_nameless_record_joins_its_named_record_by_external_id() -> None:
    orgs, _, described = merge([org("o1", "", external_id="77"), org("o2", "Delta Lab", external_id="77")])
    assert orgs[["organisation_id", "name"]].values.tolist() == [["o1", "Delta Lab"]]
    assert described == ["o1: kept (no name); also 'Delta Lab' (o2: same external id 77)"]


def test_three_spellings_are_listed_in_one_description() -> None:
    _, _, described = merge([org("a", "Acme GmbH"), org("b", "ACME"), org("c", "acme gmbh.")])
    assert described == ["a: kept 'Acme GmbH'; also 'ACME' (b: same name in DE); "
                         "also 'acme gmbh.' (c: same name in DE)"]


# --- participations ---------------------------------------------------------------------------


def test_participations_point_to_the_kept_record() -> None:
    _, parts, _ = merge(
        [org("fhg-1", "Fraunhofer-Gesellschaft e.V."), org("fhg-2", "FRAUNHOFER GESELLSCHAFT")],
        [part("p", "fhg-1"), part("q", "fhg-2", "coordinator")])
    assert parts[["project_id", "organisation_id", "role", "quote"]].values.tolist() == [
        ["p", "fhg-1", "partner", "p/fhg-1"], ["q", "fhg-1", "coordinator", "q/fhg-2"]]


def test_two_roles_of_one_organisation_in_one_project_are_both_kept() -> None:
    _, parts, described = merge(
        [org("cordis-org-1", "Laser Zentrum Nord", external_id="1")],
        [part("p", "cordis-org-1", "participant", "participant"),
         part("p", "cordis-org-1", "third-party", "thirdParty")])
    assert parts[["project_id", "organisation_id", "role", "role_stated"]].values.tolist() == [
        ["p", "cordis-org-1", "participant", "participant"],
        ["p", "cordis-org-1", "third-party", "thirdParty"]]
    assert described == []


def test_two_roles_brought_together_by_a_merge_are_both_kept_and_reported() -> None:
    _, parts, described = merge(
        [org("fhg-1", "Fraunhofer-Gesellschaft e.V."), org("fhg-2", "FRAUNHOFER GESELLSCHAFT")],
        [part("p", "fhg-1", "partner"), part("p", "fhg-2", "coordinator")])
    assert parts[["organisation_id", "role"]].values.tolist() == [
        ["fhg-1", "partner"], ["fhg-1", "coordinator"]]
    assert described[-1] == ("'Fraunhofer-Gesellschaft e.V.' (fhg-1) in project p: listed as 'partner' "
                             "and 'coordinator' under the merged records fhg-1 and fhg-2; each role kept")


def test_a_role_stated_differently_is_a_different_participation() -> None:
    _, parts, _ = merge([org("a", "Acme")], [part("p", "a", "other", "Observer"),
                                             part("p", "a", "other", "Mentor")])
    assert parts["role_stated"].tolist() == ["Observer", "Mentor"]


def test_exact_duplicates_of_the_key_are_collapsed_filling_blanks_and_reported() -> None:
    _, parts, described = merge(
        [org("a", "Acme"), org("b", "ACME")],
        [part("p", "a", "participant", "participant"),
         part("p", "b", "participant", "participant", ec_contribution_eur="1200.50",
              work_packages_led="WP2")])
    assert parts[["organisation_id", "role", "ec_contribution_eur", "work_packages_led", "quote"]
                 ].values.tolist() == [["a", "participant", "1200.50", "WP2", "p/a"]]
    assert described == [
        "a: kept 'Acme'; also 'ACME' (b: same name in DE)",
        "'Acme' (a) in project p: 2 participations with the same key (project, organisation, role "
        "'participant', stated 'participant') collapsed into one"]


def test_a_collapsed_duplicate_with_another_amount_is_named_in_the_report() -> None:
    _, parts, described = merge([org("a", "Acme")], [part("p", "a", ec_contribution_eur="100"),
                                                     part("p", "a", ec_contribution_eur="250")])
    assert parts["ec_contribution_eur"].tolist() == ["100"]
    assert described == ["'Acme' (a) in project p: 2 participations with the same key (project, "
                         "organisation, role 'partner') collapsed into one; ec_contribution_eur "
                         "differed: kept '100' (also '250')"]


def test_participations_of_unmerged_organisations_are_untouched() -> None:
    orgs, parts, described = merge([org("a", "Acme"), org("b", "Beta")],
                                   [part("p", "a"), part("p", "b", "coordinator")])
    assert parts[["organisation_id", "role"]].values.tolist() == [["a", "partner"], ["b", "coordinator"]]
    assert len(orgs) == 2 and described == []


def test_columns_are_kept_as_given() -> None:
    orgs, parts, _ = merge([org("a", "Acme", short_name="AC"), org("b", "ACME")], [part("p", "a")])
    assert list(orgs.columns) == list(org("a", "Acme", short_name="AC"))
    assert list(parts.columns) == list(part("p", "a"))


# --- an import merged into an existing dataset ------------------------------------------------


def existing_and_imported(existing: list[dict], imported: list[dict], parts: list[dict]):
    base = {"organisations": pd.DataFrame(existing),
            "participations": pd.DataFrame(columns=list(part("p", "o")))}
    new = {"organisations": pd.DataFrame(imported), "participations": pd.DataFrame(parts)}
    return base, new


def test_merge_into_gives_an_imported_organisation_the_existing_id_and_fills_its_blanks() -> None:
    base, new = existing_and_imported(
        [org("silicon-saxony", "Silicon Saxony e.V.")],
        [org("cordis-org-999", "Siliconsaxony", external_id="999", city="Dresden"),
         org("cordis-org-5", "Other Body", external_id="5")],
        [part("cordis-1", "cordis-org-999", "participant"), part("cordis-1", "cordis-org-5")])
    base_out, new_out, described = merge_into(base, new)
    assert base_out["organisations"][["organisation_id", "external_id", "city", "note"]].values.tolist() == [
        ["silicon-saxony", "999", "Dresden", "Also written 'Siliconsaxony'."]]
    assert ids(new_out["organisations"]) == ["cordis-org-5"]
    assert new_out["participations"]["organisation_id"].tolist() == ["silicon-saxony", "cordis-org-5"]
    assert described == ["silicon-saxony: kept existing 'Silicon Saxony e.V.'; also imported "
                         "'Siliconsaxony' (cordis-org-999: name similarity 96 in DE)"]


def test_merge_into_never_merges_two_existing_records_and_keeps_an_ambiguous_import_apart() -> None:
    base, new = existing_and_imported(
        [org("beta-1", "Beta"), org("beta-2", "BETA")], [org("cordis-org-3", "Beta", external_id="3")],
        [part("cordis-1", "cordis-org-3")])
    base_out, new_out, described = merge_into(base, new)
    assert ids(base_out["organisations"]) == ["beta-1", "beta-2"]
    assert ids(new_out["organisations"]) == ["cordis-org-3"]
    assert new_out["participations"]["organisation_id"].tolist() == ["cordis-org-3"]
    assert described == []


def test_merge_into_leaves_an_imported_record_with_an_existing_id_to_the_table_merge() -> None:
    base, new = existing_and_imported([org("acme", "Acme", city="Jena")],
                                      [org("acme", "ACME", city="Erfurt")], [part("q", "acme")])
    base_out, new_out, described = merge_into(base, new)
    assert base_out["organisations"][["organisation_id", "city"]].values.tolist() == [["acme", "Jena"]]
    assert new_out["organisations"][["organisation_id", "city"]].values.tolist() == [["acme", "Erfurt"]]
    assert described == []


def test_merge_into_respects_the_threshold() -> None:
    base, new = existing_and_imported([org("s1", "Silicon Saxony")], [org("s2", "Silicon Saxonia")],
                                      [part("q", "s2")])
    assert ids(merge_into(base, new)[1]["organisations"]) == ["s2"]
    assert ids(merge_into(base, new, threshold=89)[1]["organisations"]) == []


CORDIS_HEADER = ["projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName",
                 "SME", "activityType", "street", "postCode", "city", "country", "nutsCode",
                 "geolocation", "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order",
                 "role", "ecContribution", "netEcContribution", "totalCost", "endOfParticipation",
                 "active"]


def cordis_organisations(path: Path, rows: list[dict[str, str]]) -> Path:
    """An organization.csv in the official layout (';'-separated, every cell quoted)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CORDIS_HEADER, delimiter=";", quoting=csv.QUOTE_ALL, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_cli_merge_with_merges_imported_organisations_into_the_existing_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from data.importers.__main__ import main

    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = cordis_organisations(tmp_path / "first" / "organization.csv", [
        {"projectID": "101000001", "projectAcronym": "ALPHA", "organisationID": "999000111",
         "name": "Silicon Saxony e.V.", "country": "DE", "city": "Dresden", "role": "coordinator"}])
    second = cordis_organisations(tmp_path / "second" / "organization.csv", [
        {"projectID": "101000002", "projectAcronym": "BETA", "organisationID": "",
         "name": "SILICON-SAXONY EV", "country": "DE", "role": "participant"},
        {"projectID": "101000002", "projectAcronym": "BETA", "organisationID": "",
         "name": "Silicon Saxonia", "country": "DE", "role": "participant"}])
    assert main(["cordis", "--organizations", str(first), "--out", str(tmp_path / "existing")]) == 0
    assert main(["cordis", "--organizations", str(second), "--merge-with", str(tmp_path / "existing"),
                 "--out", str(tmp_path / "merged")]) == 0
    out = capsys.readouterr().out
    tables = load_tables(tmp_path / "merged")
    orgs = tables["organisations"].set_index("organisation_id")
    # 'SILICON-SAXONY EV' is the existing body; 'Silicon Saxonia' (89.7) stays its own.
    assert sorted(orgs.index) == ["cordis-org-999000111", "cordis-org-name-silicon-saxonia-de"]
    parts = tables["participations"]
    assert sorted(zip(parts["project_id"], parts["organisation_id"], strict=True)) == [
        ("cordis-101000001", "cordis-org-999000111"), ("cordis-101000002", "cordis-org-999000111"),
        ("cordis-101000002", "cordis-org-name-silicon-saxonia-de")]
    line = ("cordis-org-999000111: kept existing 'Silicon Saxony e.V.'; also imported "
            "'SILICON-SAXONY EV' (cordis-org-name-silicon-saxony-ev-de: same name in DE)")
    assert line in out
    assert line in (tmp_path / "merged" / "import" / "report.txt").read_text(encoding="utf-8")

    # A lower threshold merges the 89.7 spelling too; the report gives its score.
    assert main(["cordis", "--organizations", str(second), "--merge-with", str(tmp_path / "existing"),
                 "--match-threshold", "89", "--out", str(tmp_path / "lowered")]) == 0
    assert "(cordis-org-name-silicon-saxonia-de: name similarity 89 in DE)" in capsys.readouterr().out
    assert load_tables(tmp_path / "lowered")["organisations"]["organisation_id"].tolist() == [
        "cordis-org-999000111"]


def test_cli_refuses_a_threshold_outside_0_to_100(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from data.importers.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["cordis", "--organizations", "x.csv", "--out", str(tmp_path / "o"), "--match-threshold", "101"])
    assert exited.value.code == 2
    assert "--match-threshold: 101 is not from 0 to 100" in capsys.readouterr().err


# --- scale ------------------------------------------------------------------------------------


def synthetic_organisations(n: int, seed: int = 11) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """``n`` organisations, a fifth of them in DE, with invented names: 90 % originals and 10 %
    planted variants of an original (upper case and a legal form, or one letter dropped from
    its first, long word). Returns the frame and the (original, variant) positions."""
    rng = np.random.default_rng(seed)
    syllables = np.array(["ka", "to", "ri", "men", "sa", "lo", "ber", "gen", "tech", "nor", "vi",
                          "del", "mar", "sil", "con", "ix", "um", "an", "ter", "plo", "qua", "zen"])
    long_words = pd.Series(["".join(rng.choice(syllables, 4)) for _ in range(8000)]).drop_duplicates()
    words = pd.Series(["".join(rng.choice(syllables, rng.integers(2, 4))) for _ in range(4000)])
    kinds = np.array(["University", "Institute", "Cluster", "Research Centre", "Association",
                      "Technology Park", "Agency", "Foundation"])
    countries = np.array(["DE"] * 20 + ["FR"] * 14 + ["IT"] * 14 + ["ES"] * 14 + ["NL"] * 10
                         + ["BE"] * 8 + ["PL"] * 8 + ["SE"] * 6 + ["GR"] * 6)
    originals = int(n * 0.9)
    first = long_words.sample(originals, replace=True, random_state=seed).str.capitalize().to_numpy()
    rest = (words.sample(originals, replace=True, random_state=seed + 1).str.capitalize().to_numpy()
            + " " + rng.choice(kinds, originals))
    names = pd.Series(first + " " + rest)
    country = rng.choice(countries, originals)
    source = rng.choice(originals, n - originals, replace=False)
    upper = pd.Series(names[source].str.upper().to_numpy()) + " GMBH"
    # The first word has at least eight letters: without its fifth it is still a long word.
    dropped = pd.Series([w[:4] + w[5:] for w in first[source]]) + " " + rest[source]
    variant = upper.where(pd.Series(rng.random(len(source)) < 0.5), dropped)
    frame = pd.DataFrame({
        "organisation_id": [f"org-{i}" for i in range(n)],
        "name": pd.concat([names, variant], ignore_index=True),
        "country": np.concatenate([country, country[source]]),
        "external_id": "", "vat_number": "", "city": "", "note": "", "source": "s", "quote": "q",
    })
    return frame, [(int(s), originals + k) for k, s in enumerate(source)]


def test_a_hundred_thousand_organisations_merge_planted_variants_and_nothing_across_countries() -> None:
    n = 100_000
    orgs, planted = synthetic_organisations(n)
    assert (orgs["country"] == "DE").sum() > 19_000
    # One participation per organisation, in a project of its own: where it points afterwards
    # says which record kept it.
    parts = pd.DataFrame({"project_id": [f"p{i}" for i in range(n)],
                          "organisation_id": orgs["organisation_id"], "role": "participant",
                          "role_stated": "participant", "ec_contribution_eur": "", "source": "s",
                          "quote": "q"})
    merged, merged_parts, described = merge_organisations(orgs, parts)
    kept = dict(zip(merged_parts["project_id"], merged_parts["organisation_id"], strict=True))
    assert len(merged_parts) == n and not merged_parts.duplicated(["project_id", "organisation_id"]).any()
    assert all(kept[f"p{a}"] == kept[f"p{b}"] for a, b in planted)
    country = dict(zip(orgs["organisation_id"], orgs["country"], strict=True))
    assert all(country[kept[f"p{i}"]] == country[f"org-{i}"] for i in range(n))
    # Originals are invented independently: few of them may be alike, never many.
    assert n - len(planted) - 500 < len(merged) <= n - len(planted)
    assert len(described) >= len(planted) // 2
    assert all(" (org-" in d for d in described if not d.startswith("kept apart"))
