"""What each view shows, computed from masks over the tiny dataset (and a few seed checks)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures_data import DOC_ID, copy_taxonomy, load_seed, load_tiny, tiny_tables

from data.engine import queries
from data.engine.model import NOT_STATED, Dataset

API_FIELDS = {"id", "acronym", "title", "kind", "programme", "start_date", "end_date", "countries",
              "partners", "kets", "sectors", "sources"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def only(dataset: Dataset, *project_ids: str) -> np.ndarray:
    """A mask selecting exactly the given projects."""
    return dataset.projects["project_id"].isin(project_ids).to_numpy()


def everything(dataset: Dataset) -> np.ndarray:
    return np.ones(dataset.size, dtype=bool)


# --- headline --------------------------------------------------------------------------------


def test_headline_counts_the_whole_tiny_dataset(tiny: Dataset) -> None:
    h = queries.headline(tiny, everything(tiny))
    assert h.projects == 5
    assert h.organisations == 4  # Nordcluster takes part twice but is one organisation
    assert h.countries == 5  # DE FR GR (organisations) + IT UA (named as countries only)
    assert h.eu_contribution_eur == 2_000_000.0
    assert h.eu_contribution_known == 2
    assert h.budget_known == 1
    assert h.dates_known == 1  # only alpha states both ends
    assert h.partners_named == 3  # alpha, beta, epsilon
    assert h.period_undetermined == 0


def test_headline_counts_shared_organisations_once(tiny: Dataset) -> None:
    assert queries.headline(tiny, only(tiny, "alpha", "beta")).organisations == 3


@pytest.mark.parametrize("selected", [("gamma",), ("gamma", "delta", "epsilon"), ()])
def test_headline_eu_contribution_is_none_not_zero_when_no_project_states_one(
    tiny: Dataset, selected: tuple[str, ...]
) -> None:
    h = queries.headline(tiny, only(tiny, *selected))
    assert h.eu_contribution_eur is None
    assert h.eu_contribution_known == 0
    assert h.projects == len(selected)


def test_headline_sums_only_stated_amounts(tiny: Dataset) -> None:
    # beta states 500 000; gamma states nothing, which must not count as 0 in 'known'.
    h = queries.headline(tiny, only(tiny, "beta", "gamma"))
    assert h.eu_contribution_eur == 500_000.0
    assert h.eu_contribution_known == 1


def test_headline_reports_the_undetermined_count_it_is_given(tiny: Dataset) -> None:
    h = queries.headline(tiny, only(tiny), only(tiny, "gamma", "delta"))
    assert h.period_undetermined == 2


def test_seed_headline_states_no_eu_contribution_rather_than_zero() -> None:
    seed = load_seed()
    h = queries.headline(seed, everything(seed))
    assert h.projects == 7
    assert h.eu_contribution_eur is None


def test_headline_with_a_country_filter_counts_organisations_in_the_projects_and_in_the_country(
    tiny: Dataset,
) -> None:
    # Projects in Germany: alpha, beta (Nordcluster) and gamma (named as a country).
    h = queries.headline(tiny, only(tiny, "alpha", "beta", "gamma"), countries=("DE",))
    assert h.organisations == 3  # Nordcluster (DE), Sudcluster (FR), Somewhere Lab (not stated)
    assert h.organisations_in_countries == 1  # only Nordcluster is located in Germany
    assert h.in_countries == ("DE",)
    assert h.countries == 4  # taking part in these projects: DE FR IT UA, not just Germany


def test_headline_counts_organisations_located_in_any_of_the_filtered_countries(tiny: Dataset) -> None:
    h = queries.headline(tiny, only(tiny, "alpha", "beta", "gamma"), countries=("DE", "FR"))
    assert (h.organisations, h.organisations_in_countries) == (3, 2)


def test_headline_organisation_of_unstated_country_is_in_no_filtered_country(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["project_countries"].append({"project_id": "alpha", "country": "IT", "source": DOC_ID,
                                        "quote": "Tiny document."})
    dataset = load_tiny(tmp_path, tables)
    h = queries.headline(dataset, only(dataset, "alpha", "gamma"), countries=("IT",))
    # Italy is named for both projects, but no organisation of theirs is stated to be there.
    assert (h.organisations, h.organisations_in_countries) == (3, 0)


def test_headline_without_a_country_filter_has_no_in_country_count(tiny: Dataset) -> None:
    h = queries.headline(tiny, everything(tiny))
    assert h.organisations_in_countries is None
    assert h.in_countries == ()


def test_headline_counts_a_body_in_two_roles_as_one_organisation_and_one_partner(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["participations"].append({"project_id": "alpha", "organisation_id": "sudcluster",
                                     "role": "third-party", "source": DOC_ID, "quote": "Sudcluster"})
    dataset = load_tiny(tmp_path, tables)
    h = queries.headline(dataset, only(dataset, "alpha"), countries=("FR",))
    assert (h.organisations, h.organisations_in_countries) == (3, 1)
    assert dataset.projects.set_index("project_id").at["alpha", "partners_named"] == 3
    # alpha states three partners and names three bodies: no gap is reported.
    assert dataset.findings[dataset.findings["project_id"] == "alpha"].empty


# --- map: country summary --------------------------------------------------------------------


def test_country_summary_counts_projects_and_distinct_organisations_per_country(tiny: Dataset) -> None:
    summary = queries.country_summary(tiny, everything(tiny)).set_index("country")
    assert list(summary.index) == ["DE", "FR", "GR", "IT", "UA"]
    assert summary.at["DE", "projects"] == 3  # alpha, beta (Nordcluster) and gamma (named)
    assert summary.at["DE", "organisations"] == 1  # Nordcluster once, though in two projects
    assert summary.at["FR", "organisations"] == 1
    assert summary.at["DE", "name"] == "Germany"
    assert summary.at["DE", "project_list"] == "Alpha, Beta, Gamma"


def test_country_summary_flags_countries_named_without_organisations(tiny: Dataset) -> None:
    summary = queries.country_summary(tiny, everything(tiny)).set_index("country")
    # IT and UA are named as countries only: 0 named organisations, but they do take part.
    assert summary.at["IT", "organisations"] == 0
    assert bool(summary.at["IT", "country_only"])
    assert bool(summary.at["UA", "country_only"])
    # DE is both: named for gamma, through Nordcluster for alpha and beta.
    assert bool(summary.at["DE", "country_only"])
    assert not bool(summary.at["FR", "country_only"])


def test_country_summary_follows_the_mask(tiny: Dataset) -> None:
    summary = queries.country_summary(tiny, only(tiny, "gamma")).set_index("country")
    assert list(summary.index) == ["DE", "IT"]
    assert summary.at["DE", "organisations"] == 0
    assert bool(summary.at["DE", "country_only"])


def test_country_summary_of_nothing_is_an_empty_frame_with_the_columns(tiny: Dataset) -> None:
    summary = queries.country_summary(tiny, only(tiny, "delta"))
    assert summary.empty
    assert list(summary.columns) == ["country", "name", "projects", "organisations", "country_only",
                                     "project_list", "project_share", "organisation_share"]


def test_organisation_without_a_country_adds_no_country(tiny: Dataset) -> None:
    # Somewhere Lab takes part in alpha but its country is not stated.
    assert tiny.projects.set_index("project_id").at["alpha", "countries"] == ("DE", "FR")


def test_map_tooltip_lists_at_most_eight_acronyms_then_says_how_many_more(tmp_path: Path) -> None:
    tables = tiny_tables()
    for i in range(10):
        tables["projects"].append({"project_id": f"extra-{i}", "acronym": f"X{i}", "kind": "project",
                                   "source": "ext-1", "quote": "external"})
        tables["project_countries"].append({"project_id": f"extra-{i}", "country": "PT",
                                            "source": "ext-1", "quote": "external"})
    dataset = load_tiny(tmp_path, tables)
    summary = queries.country_summary(dataset, everything(dataset)).set_index("country")
    assert summary.at["PT", "project_list"] == "X0, X1, X2, X3, X4, X5, X6, X7 +2 more"


def test_country_summary_counts_organisations_by_id_like_the_headline(tmp_path: Path) -> None:
    tables = tiny_tables()
    # A second, different organisation that happens to carry the same name, in the same country.
    tables["organisations"].append({"organisation_id": "nordcluster-hamburg", "name": "Nordcluster",
                                    "country": "DE", "source": DOC_ID, "quote": "Nordcluster"})
    tables["participations"].append({"project_id": "beta", "organisation_id": "nordcluster-hamburg",
                                     "source": DOC_ID, "quote": "Nordcluster"})
    dataset = load_tiny(tmp_path, tables)
    mask = only(dataset, "alpha", "beta")
    summary = queries.country_summary(dataset, mask).set_index("country")
    assert queries.headline(dataset, mask).organisations == 4
    assert summary.at["DE", "organisations"] == 2


# --- KET x sector matrix ---------------------------------------------------------------------


def test_matrix_keeps_every_row_and_column_of_the_taxonomy_plus_not_stated(tiny: Dataset) -> None:
    matrix = queries.ket_sector_matrix(tiny, only(tiny, "alpha"))
    kets = [*tiny.kets["ket_id"], NOT_STATED]
    sectors = [*tiny.sectors["sector_id"], NOT_STATED]
    assert len(matrix) == len(kets) * len(sectors)
    assert list(dict.fromkeys(matrix["ket"])) == kets
    assert list(dict.fromkeys(matrix["sector"])) == sectors
    assert set(zip(matrix["ket"], matrix["sector"], strict=True)) == {(k, s) for k in kets for s in sectors}


def test_matrix_counts_each_project_in_every_pair_of_its_tags(tiny: Dataset) -> None:
    matrix = queries.ket_sector_matrix(tiny, everything(tiny))
    counts = {(k, s): n for k, s, n in matrix.itertuples(index=False) if n}
    assert counts == {
        ("photonics", "health"): 1,  # alpha
        ("nanotechnology", "digital"): 1,  # beta
        ("photonics", "digital"): 1,  # beta, second KET
        (NOT_STATED, NOT_STATED): 2,  # gamma, delta: untagged projects stay visible
        ("unspecified", NOT_STATED): 1,  # epsilon: KETs in general, no sector
    }


def test_matrix_of_nothing_is_all_zeros_but_keeps_its_shape(tiny: Dataset) -> None:
    matrix = queries.ket_sector_matrix(tiny, only(tiny))
    assert len(matrix) == (len(tiny.kets) + 1) * (len(tiny.sectors) + 1)
    assert (matrix["projects"] == 0).all()


# --- timeline --------------------------------------------------------------------------------


def test_timeline_frame_and_undated_projects_split_the_context(tiny: Dataset) -> None:
    selected = only(tiny, "beta")
    frame = queries.timeline_frame(tiny, everything(tiny), selected)
    undated = queries.undated_projects(tiny, everything(tiny))
    # Ordered by start; the project known only by its end comes last.
    assert list(frame["project_id"]) == ["alpha", "beta", "gamma", "epsilon"]
    assert list(undated["project_id"]) == ["delta"]
    assert list(undated.columns) == ["project_id", "acronym"]
    assert dict(zip(frame["project_id"], frame["selected"], strict=True)) == {
        "alpha": False, "beta": True, "gamma": False, "epsilon": False}


def test_timeline_frame_carries_stated_and_derived_dates(tiny: Dataset) -> None:
    frame = queries.timeline_frame(tiny, everything(tiny), everything(tiny)).set_index("project_id")
    assert frame.at["beta", "start_date"] == "2012-06"
    assert frame.at["beta", "end_date"] == ""
    assert bool(frame.at["beta", "end_derived"])
    assert frame.at["beta", "end"] == pd.Timestamp("2014-05-31")
    assert frame.at["alpha", "end"] == pd.Timestamp("2012-12-31")
    assert pd.isna(frame.at["gamma", "end"])  # open-ended: no end is invented
    assert not bool(frame.at["gamma", "end_derived"])
    assert pd.isna(frame.at["epsilon", "start"])
    # A year-only end means the last day of that year.
    assert frame.at["epsilon", "end"] == pd.Timestamp("2008-12-31")


def test_timeline_frame_follows_the_context(tiny: Dataset) -> None:
    frame = queries.timeline_frame(tiny, only(tiny, "gamma", "delta"), everything(tiny))
    assert list(frame["project_id"]) == ["gamma"]
    assert list(queries.undated_projects(tiny, only(tiny, "gamma", "delta"))["project_id"]) == ["delta"]


def test_timeline_activities_are_placed_at_their_start(tiny: Dataset) -> None:
    acts = queries.timeline_activities(tiny, everything(tiny))
    assert list(acts["title"]) == ["Kick-off"]
    assert acts.at[0, "start"] == pd.Timestamp("2010-02-01")
    assert acts.at[0, "start_date"] == "2010-02"
    assert acts.at[0, "acronym"] == "Alpha"
    assert queries.timeline_activities(tiny, only(tiny, "beta")).empty


def test_seed_deadline_stating_only_an_end_is_placed_at_that_end() -> None:
    seed = load_seed()
    acts = queries.timeline_activities(seed, everything(seed)).set_index("title")
    deadline = acts.loc["Deadline for concept notes (max. 5 pages)"]
    assert deadline["start"] == pd.Timestamp("2014-05-12")
    assert deadline["start_date"] == "2014-05-12"
    # Activities with no date at all (the CluStrat pilot actions) are not placed.
    assert "Smart Housing" not in acts.index


# --- table -----------------------------------------------------------------------------------


def test_table_rows_say_not_stated_and_derived_instead_of_leaving_blanks(tiny: Dataset) -> None:
    rows = {r["id"]: r for r in queries.table_rows(tiny, everything(tiny))}
    assert rows["beta"]["end"] == "derived from duration"
    assert rows["gamma"]["end"] == "not stated"
    assert rows["gamma"]["programme"] == "not stated"
    assert rows["delta"]["start"] == "not stated"
    assert rows["alpha"]["countries"] == "DE, FR"
    # beta's photonics tag was inferred by a rule: the table says so.
    assert rows["beta"]["kets"] == "Nano, Photonics (inferred)"


def test_table_rows_leave_out_inferred_tags_when_they_are_switched_off(tiny: Dataset) -> None:
    rows = {r["id"]: r for r in queries.table_rows(tiny, everything(tiny), include_inferred=False)}
    assert rows["beta"]["kets"] == "Nano"
    assert rows["alpha"]["partners"] == 3
    assert rows["beta"]["notes"] == "gap"  # 2 partners stated, 1 named
    assert rows["alpha"]["notes"] == ""  # 3 stated, 3 named


# --- API records -----------------------------------------------------------------------------


def test_project_record_has_the_api_contract_fields(tiny: Dataset) -> None:
    record = queries.project_record(tiny, tiny.position("alpha"))
    assert set(record) >= API_FIELDS
    assert record["id"] == "alpha"
    assert record["acronym"] == "Alpha"
    assert record["title"] == "Alpha light project"
    assert record["kind"] == "project"
    assert record["programme"] == "Programme A"
    assert record["start_date"] == "2010-01-01"
    assert record["end_date"] == "2012-12-31"
    assert record["countries"] == ["DE", "FR"]
    assert record["partners"] == [
        {"name": "Nordcluster", "country": "DE", "role": "coordinator"},
        {"name": "Sudcluster", "country": "FR", "role": "partner"},
        {"name": "Somewhere Lab", "country": None, "role": None},  # unknown stays null
    ]
    assert record["kets"] == ["photonics"]
    assert record["sectors"] == ["health"]
    # The project's own source and the external source of its partners' countries.
    assert record["sources"] == [DOC_ID, "ext-1"]
    assert record["budget_eur"] == 2_000_000.0
    assert record["eu_contribution_eur"] == 1_500_000.0


def test_project_record_uses_null_for_what_the_sources_do_not_say(tiny: Dataset) -> None:
    gamma = queries.project_record(tiny, tiny.position("gamma"))
    assert gamma["title"] is None
    assert gamma["programme"] is None
    assert gamma["start_date"] == "2015"  # stated precision, not padded
    assert gamma["end_date"] is None
    assert gamma["budget_eur"] is None
    assert gamma["eu_contribution_eur"] is None
    assert gamma["countries"] == ["DE", "IT"]
    assert gamma["partners"] == []
    # 'not-stated' is a filter value, never a tag the record claims.
    assert gamma["kets"] == []
    assert gamma["sectors"] == []


def test_project_record_keeps_a_derived_end_out_of_the_data(tiny: Dataset) -> None:
    beta = queries.project_record(tiny, tiny.position("beta"))
    assert beta["end_date"] is None
    assert beta["duration_months"] == 24
    assert beta["kets"] == ["nanotechnology", "photonics"]
    assert beta["countries"] == ["DE", "UA"]


def test_project_records_are_json_ready_and_in_dataset_order(tiny: Dataset) -> None:
    records = queries.project_records(tiny, everything(tiny))
    assert [r["id"] for r in records] == ["alpha", "beta", "gamma", "delta", "epsilon"]
    # No numpy scalars or NaN may leak: json.dumps would fail or write NaN.
    text = json.dumps(records, allow_nan=False)
    assert json.loads(text) == records


def test_seed_records_are_json_ready() -> None:
    seed = load_seed()
    json.dumps(queries.project_records(seed, everything(seed)), allow_nan=False)


# --- detail panel ----------------------------------------------------------------------------


def test_project_detail_gathers_rows_with_their_sources(tiny: Dataset) -> None:
    assert queries.project_detail(tiny, "omega") is None
    detail = queries.project_detail(tiny, "alpha")
    assert detail is not None
    assert list(detail.partners["name"]) == ["Nordcluster", "Sudcluster", "Somewhere Lab"]
    assert list(detail.kets["label"]) == ["Photonics"]
    assert list(detail.instruments["partner"]) == ["Sudcluster"]
    assert set(detail.sources["source_id"]) == {DOC_ID, "ext-1"}
    assert detail.findings.empty


def test_project_detail_lists_countries_named_without_organisations_and_findings(tiny: Dataset) -> None:
    detail = queries.project_detail(tiny, "beta")
    assert detail is not None
    assert list(detail.countries_named["country"]) == ["UA"]
    assert list(detail.findings["kind"]) == ["gap"]


# --- partners without a name, roles from the vocabulary ---------------------------------------


def unnamed_partner_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny dataset plus two organisations CORDIS publishes without a name (one with its
    CORDIS id, one without), a body in two roles and a role outside the vocabulary."""
    tables = tiny_tables()
    tables["organisations"] += [
        {"organisation_id": "cordis-999888", "external_id": "999888", "country": "FR",
         "country_source": "ext-1", "country_quote": "In France.", "source": DOC_ID,
         "quote": "Tiny document."},
        {"organisation_id": "anonymous-lab", "source": DOC_ID, "quote": "Tiny document."},
    ]
    tables["participations"] += [
        {"project_id": "alpha", "organisation_id": "sudcluster", "role": "third-party",
         "work_packages_led": "WP3", "source": "ext-1", "quote": "Sudcluster"},
        {"project_id": "beta", "organisation_id": "cordis-999888", "role": "other",
         "role_stated": "internationalCooperationPartner", "source": DOC_ID, "quote": "Tiny document."},
        {"project_id": "beta", "organisation_id": "anonymous-lab", "role": "participant",
         "source": DOC_ID, "quote": "Tiny document."},
    ]
    tables["policy_instruments"].append(
        {"instrument_id": "beta-scheme", "project_id": "beta", "organisation_id": "cordis-999888",
         "name": "A scheme", "source": DOC_ID, "quote": "Tiny document."})
    return tables


@pytest.fixture(scope="module")
def unnamed(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("unnamed"), unnamed_partner_tables())


def test_api_record_lists_an_unnamed_partner_by_its_id_never_as_an_empty_name(unnamed: Dataset) -> None:
    beta = queries.project_record(unnamed, unnamed.position("beta"))
    names = [p["name"] for p in beta["partners"]]
    assert names == ["Nordcluster", "name not stated (id 999888)", "name not stated (id anonymous-lab)"]
    assert beta["partners"][1] == {"name": "name not stated (id 999888)", "country": "FR", "role": "other"}


def test_api_record_lists_a_body_in_two_roles_once_per_role(unnamed: Dataset) -> None:
    alpha = queries.project_record(unnamed, unnamed.position("alpha"))
    assert [(p["name"], p["role"]) for p in alpha["partners"] if p["name"] == "Sudcluster"] == [
        ("Sudcluster", "partner"), ("Sudcluster", "third-party")]


def test_project_detail_labels_an_unnamed_partner_by_its_external_id_else_its_own_id(
    unnamed: Dataset,
) -> None:
    detail = queries.project_detail(unnamed, "beta")
    assert detail is not None
    partners = detail.partners.set_index("organisation_id")
    assert partners.at["cordis-999888", "label"] == "name not stated (id 999888)"
    assert partners.at["cordis-999888", "name"] == ""  # the data keeps what the source says
    assert partners.at["anonymous-lab", "label"] == "name not stated (id anonymous-lab)"
    assert partners.at["nordcluster", "label"] == "Nordcluster"
    assert list(detail.instruments["partner"]) == ["name not stated (id 999888)"]


def test_project_detail_role_labels_come_from_the_roles_vocabulary(unnamed: Dataset) -> None:
    detail = queries.project_detail(unnamed, "beta")
    assert detail is not None
    roles = dict(zip(detail.partners["organisation_id"], detail.partners["role_label"], strict=True))
    assert roles == {
        "nordcluster": "Lead partner",
        "cordis-999888": "internationalCooperationPartner",  # role 'other': the source's word
        "anonymous-lab": "Participant (beneficiary)",
    }
    assert list(detail.countries_named["role_label"]) == ["Associated partner"]


def test_project_detail_says_role_not_stated_for_an_empty_role(unnamed: Dataset) -> None:
    detail = queries.project_detail(unnamed, "alpha")
    assert detail is not None
    partners = detail.partners.set_index("organisation_id")
    assert partners.at["somewhere-lab", "role_label"] == "role not stated"


def test_project_detail_lists_a_body_in_two_roles_once_with_both(unnamed: Dataset) -> None:
    detail = queries.project_detail(unnamed, "alpha")
    assert detail is not None
    assert list(detail.partners["organisation_id"]) == ["nordcluster", "sudcluster", "somewhere-lab"]
    sud = detail.partners.set_index("organisation_id").loc["sudcluster"]
    assert sud["role_label"] == "Partner; Third party"
    assert sud["roles"] == ("partner", "third-party")
    assert sud["work_packages_led"] == "WP3"
    assert sud["sources"] == (DOC_ID, "ext-1")  # each participation keeps its citation
    rows = {r["id"]: r for r in queries.table_rows(unnamed, only(unnamed, "alpha", "beta"))}
    assert rows["alpha"]["partners"] == 3  # Sudcluster once, though it takes part twice
    assert rows["beta"]["partners"] == 3


def test_role_labels_follow_the_vocabulary_file_not_the_code(tmp_path: Path) -> None:
    taxonomy = copy_taxonomy(tmp_path)
    roles = taxonomy / "roles.csv"
    roles.write_text(roles.read_text(encoding="utf-8").replace(
        "coordinator,Coordinator,", "coordinator,Leading body,"), encoding="utf-8")
    dataset = load_tiny(tmp_path)
    detail = queries.project_detail(dataset, "alpha")
    assert detail is not None
    assert detail.partners.set_index("organisation_id").at["nordcluster", "role_label"] == "Leading body"


@pytest.mark.parametrize(("role", "stated", "shown"), [
    ("", "", "role not stated"),
    ("", "beneficiary", "beneficiary"),  # a word kept without a slug is still the source's word
    ("other", "", "other role (not named by the source)"),
    ("other", "Subcontractor", "Subcontractor"),
    ("third-party", "thirdParty", "Third party"),
])
def test_role_label_of_stated_and_unstated_roles(tiny: Dataset, role: str, stated: str, shown: str) -> None:
    assert queries.role_label(tiny, role, stated) == shown
