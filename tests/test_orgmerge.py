"""Merging one organisation's spellings and ids: by external id, else by normalized name within a
country; never across countries or external ids; participations keep the stronger role."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from data.importers.orgmerge import merge_organisations, normalise_names


def org(organisation_id: str, name: str, country: str = "DE", external_id: str = "", **cells: str) -> dict:
    return {"organisation_id": organisation_id, "name": name, "country": country,
            "external_id": external_id, "city": "", "note": "", "source": "s",
            "quote": f"{organisation_id} quote", **cells}


def part(project_id: str, organisation_id: str, role: str = "partner", **cells: str) -> dict:
    return {"project_id": project_id, "organisation_id": organisation_id, "role": role,
            "ec_contribution_eur": "", "source": "s", "quote": f"{project_id}/{organisation_id}", **cells}


def merge(orgs: list[dict], parts: list[dict] | None = None):
    parts_frame = pd.DataFrame(parts or [], columns=list(part("p", "o")))
    return merge_organisations(pd.DataFrame(orgs), parts_frame)


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


def test_same_name_in_one_country_is_merged_keeping_the_first_spelling_and_id() -> None:
    orgs, _, described = merge([org("fhg-1", "Fraunhofer-Gesellschaft e.V."),
                                org("fhg-2", "FRAUNHOFER GESELLSCHAFT", city="München")])
    assert orgs[["organisation_id", "name", "city"]].values.tolist() == [
        ["fhg-1", "Fraunhofer-Gesellschaft e.V.", "München"]]
    assert orgs.at[0, "note"] == "Also written 'FRAUNHOFER GESELLSCHAFT'."
    assert described == ["merged 'Fraunhofer-Gesellschaft e.V.' and 'FRAUNHOFER GESELLSCHAFT' (DE) by name"]


def test_same_name_in_two_countries_is_never_merged() -> None:
    orgs, _, described = merge([org("fhg-de", "Fraunhofer Gesellschaft", "DE"),
                                org("fhg-at", "Fraunhofer Gesellschaft", "AT")])
    assert list(orgs["organisation_id"]) == ["fhg-de", "fhg-at"]
    assert described == []


def test_unknown_country_is_not_merged_with_a_known_one() -> None:
    orgs, _, _ = merge([org("a", "Acme", "DE"), org("b", "Acme", "")])
    assert len(orgs) == 2


def test_same_external_id_merges_different_spellings() -> None:
    orgs, _, described = merge([org("x1", "Alpha Research", "BE", "999884"),
                                org("x2", "ALPHA RESEARCH CENTRE NV", "BE", "999884")])
    assert list(orgs["organisation_id"]) == ["x1"]
    assert described == ["merged 'Alpha Research' and 'ALPHA RESEARCH CENTRE NV' (BE) by external id 999884"]


def test_different_external_ids_are_never_merged_even_with_the_same_name() -> None:
    orgs, _, described = merge([org("b1", "Beta", "BE", "1"), org("b2", "Beta", "BE", "2")])
    assert list(orgs["organisation_id"]) == ["b1", "b2"]
    assert described == []


def test_a_record_without_id_joins_the_one_record_its_name_singles_out() -> None:
    orgs, _, described = merge([org("a1", "Alpha", "BE", "7"), org("a2", "ALPHA NV", "BE")])
    assert list(orgs["organisation_id"]) == ["a1"]
    assert described == ["merged 'Alpha' and 'ALPHA NV' (BE) by external id 7 and by name"]


def test_a_record_without_id_stays_apart_when_its_name_fits_two_ids() -> None:
    orgs, _, _ = merge([org("b1", "Beta", "BE", "1"), org("b2", "Beta", "BE", "2"), org("b3", "Beta", "BE")])
    assert list(orgs["organisation_id"]) == ["b1", "b2", "b3"]


def test_one_external_id_in_two_countries_is_kept_apart_and_reported() -> None:
    orgs, _, described = merge([org("z1", "Zeta", "DE", "5"), org("z2", "Zeta", "AT", "5")])
    assert len(orgs) == 2
    assert described == ["kept apart: 'Zeta (DE)' and 'Zeta (AT)' share external id 5 but not the country"]


def test_three_spellings_are_listed_in_one_description() -> None:
    _, _, described = merge([org("a", "Acme GmbH"), org("b", "ACME"), org("c", "acme gmbh.")])
    assert described == ["merged 'Acme GmbH', 'ACME' and 'acme gmbh.' (DE) by name"]


def test_participations_point_to_the_kept_record_and_keep_the_stronger_role() -> None:
    _, parts, described = merge(
        [org("fhg-1", "Fraunhofer-Gesellschaft e.V."), org("fhg-2", "FRAUNHOFER GESELLSCHAFT")],
        [part("p", "fhg-1", "partner"), part("p", "fhg-2", "coordinator"), part("q", "fhg-2", "partner")])
    assert parts[["project_id", "organisation_id", "role", "quote"]].values.tolist() == [
        ["p", "fhg-1", "coordinator", "p/fhg-2"], ["q", "fhg-1", "partner", "q/fhg-2"]]
    assert described[-1] == ("'Fraunhofer-Gesellschaft e.V.' in project 'p': kept role 'coordinator' "
                             "(also listed as 'partner')")


@pytest.mark.parametrize(("weaker", "stronger"), [
    ("lead-partner", "coordinator"), ("partner", "lead-partner"), ("associated-partner", "partner"),
    ("third-party", "associated-partner"), ("", "third-party"),
])
def test_role_strength_order(weaker: str, stronger: str) -> None:
    _, parts, _ = merge([org("a", "Acme"), org("b", "ACME")],
                        [part("p", "a", weaker), part("p", "b", stronger)])
    assert parts["role"].tolist() == [stronger]


def test_identical_duplicate_participations_are_dropped_without_a_role_note() -> None:
    _, parts, described = merge([org("a", "Acme"), org("b", "ACME")],
                                [part("p", "a", "partner"), part("p", "b", "partner")])
    assert len(parts) == 1
    assert described == ["merged 'Acme' and 'ACME' (DE) by name"]


def test_an_amount_stated_only_on_the_weaker_duplicate_is_kept() -> None:
    _, parts, _ = merge([org("a", "Acme"), org("b", "ACME")],
                        [part("p", "a", "partner", ec_contribution_eur="1200.50"),
                         part("p", "b", "coordinator")])
    assert parts[["role", "ec_contribution_eur"]].values.tolist() == [["coordinator", "1200.50"]]


def test_participations_of_unmerged_organisations_are_untouched() -> None:
    orgs, parts, described = merge([org("a", "Acme"), org("b", "Beta")],
                                   [part("p", "a"), part("p", "b", "coordinator")])
    assert parts[["organisation_id", "role"]].values.tolist() == [["a", "partner"], ["b", "coordinator"]]
    assert len(orgs) == 2 and described == []


def test_columns_are_kept_as_given() -> None:
    orgs, parts, _ = merge([org("a", "Acme", short_name="AC"), org("b", "ACME")], [part("p", "a")])
    assert list(orgs.columns) == list(org("a", "Acme", short_name="AC"))
    assert list(parts.columns) == list(part("p", "a"))


def test_a_hundred_thousand_participations_merge_in_a_few_seconds() -> None:
    n_orgs = 20_000
    orgs = pd.DataFrame({
        "organisation_id": [f"o{i}" for i in range(n_orgs)],
        # Every organisation twice: 'Org 7 GmbH' and 'ORG 7', so half the records merge.
        "name": [f"Org {i // 2} GmbH" if i % 2 else f"ORG {i // 2}" for i in range(n_orgs)],
        "country": ["DE" if i % 4 < 2 else "FR" for i in range(n_orgs)],
        "external_id": "", "city": "", "note": "", "source": "s", "quote": "q",
    })
    parts = pd.DataFrame({
        "project_id": [f"p{i // 10}" for i in range(100_000)],
        "organisation_id": [f"o{(i * 7919) % n_orgs}" for i in range(100_000)],
        "role": ["coordinator" if i % 10 == 0 else "partner" for i in range(100_000)],
        "ec_contribution_eur": "", "source": "s", "quote": "q",
    })
    started = time.perf_counter()
    merged, merged_parts, described = merge_organisations(orgs, parts)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"merging took {elapsed:.1f} s"
    assert len(merged) == n_orgs // 2
    assert len(described) >= n_orgs // 2
    assert not merged_parts.duplicated(["project_id", "organisation_id"]).any()
