"""The comparison of two to four projects: its fields on the tiny dataset and the seed, the
refusals, the address (``compare=``, ``/compare?projects=``), the panel, its figure and the API.

Expected values are worked out by hand from ``fixtures_data.tiny_tables`` (its docstring says
what each project states) or from the seed's CSV rows, never read back from the code under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fixtures_data import SEED_DIR, load_seed, load_tiny, write_dataset
from flask.testing import FlaskClient

from callbacks import interactions as act
from callbacks.compare import compare_button, page_redirect, render_compare
from callbacks.hub import Trigger, next_state
from components import ids
from components.compare_figure import compare_timeline
from data.engine.compare import CompareError, compare, periods, to_json
from data.engine.model import Dataset
from data.engine.state import FilterState, parse_query
from server.factory import create_app


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("compare-tiny"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    return create_app(write_dataset(tmp_path_factory.mktemp("compare-api"))).server.test_client()


def text_of(component: Any) -> str:
    """Every string inside a Dash component tree, joined by spaces."""
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return text_of(children) if children is not None else ""


def row_text(body: list[Any], title: str) -> list[str]:
    """The cells (one per project) of the panel table's row headed ``title``."""
    table = next(c for c in body if getattr(c, "className", "") == "table-responsive").children
    for row in table.children[1].children:
        if text_of(row.children[0]) == title:
            return [text_of(cell) for cell in row.children[1:]]
    raise AssertionError(f"no row {title!r}")


# --- the engine -----------------------------------------------------------------------------


def test_shared_partners_and_countries_are_exactly_those_in_two_or_more(tiny: Dataset) -> None:
    # alpha: Nordcluster (DE), Sudcluster (FR), Somewhere Lab (no country); beta: Nordcluster,
    # UA named as a country only.
    c = compare(tiny, ["alpha", "beta"])
    assert [(s.id, s.projects) for s in c.shared_partners] == [("nordcluster", ("alpha", "beta"))]
    assert c.shared_partners[0].country == "DE"
    assert [(s.id, s.projects) for s in c.shared_countries] == [("DE", ("alpha", "beta"))]
    # A third project with no partner in common shares nothing new; the order asked is kept.
    three = compare(tiny, ["gamma", "alpha", "beta"])
    assert three.ids == ("gamma", "alpha", "beta")
    assert [(s.id, s.projects) for s in three.shared_countries] == [("DE", ("gamma", "alpha", "beta"))]


def test_overlap_counts_both_days_and_states_months(tiny: Dataset) -> None:
    # alpha 2010-01-01..2012-12-31; beta from 2012-06 for 24 months, so to 2014-05-31.
    c = compare(tiny, ["alpha", "beta"])
    beta = c.projects[1]
    assert beta.end == date(2014, 5, 31) and beta.end_derived and beta.end_date is None
    assert (c.overlap.start, c.overlap.end) == (date(2012, 6, 1), date(2012, 12, 31))
    assert c.overlap.days == 30 + 31 + 31 + 30 + 31 + 30 + 31
    assert c.overlap.months == round(c.overlap.days / (365.25 / 12), 1) == 7.0


def test_overlap_on_the_seed_and_periods_that_do_not_meet() -> None:
    seed = load_seed()
    # ClusterNanoRoad 2016-04-01..2019-03-31, ClusterFY 2017-01-01..2021-12-31.
    c = compare(seed, ["clusternanoroad", "clusterfy"])
    assert (c.overlap.start, c.overlap.end) == (date(2017, 1, 1), date(2019, 3, 31))
    assert c.overlap.days == 365 + 365 + 31 + 28 + 31
    # CluStrat: from 2011-10 for 36 months, over before ClusterFY begins.
    apart = compare(seed, ["clusterfy", "clustrat"])
    assert apart.overlap.days == 0 and apart.overlap.start is None and apart.overlap.unknown == ()


def test_overlap_is_unknown_when_a_period_is_not_stated(tiny: Dataset) -> None:
    # gamma states a start and no end or duration; delta no date at all.
    c = compare(tiny, ["alpha", "gamma", "delta"])
    assert c.overlap.days is None and c.overlap.months is None
    assert c.overlap.unknown == ("gamma", "delta")


def test_unknown_amounts_stay_none_and_partner_counts_say_not_stated(tiny: Dataset) -> None:
    alpha, beta = compare(tiny, ["alpha", "beta"]).projects
    assert (alpha.budget_eur, alpha.eu_contribution_eur) == (2_000_000, 1_500_000)
    assert (beta.budget_eur, beta.eu_contribution_eur) == (None, 500_000)
    assert alpha.partners == 3
    assert [(n.value, n.count) for n in alpha.partners_by_country] == [("DE", 1), ("FR", 1), (None, 1)]
    assert [(n.value, n.count) for n in alpha.partners_by_type] == [("cluster-organisation", 1), (None, 2)]
    assert beta.countries_without_organisation == ("UA",)
    assert compare(tiny, ["delta", "alpha"]).projects[0].partners_by_country == ()


def test_inferred_tags_are_marked_and_left_out_when_switched_off(tiny: Dataset) -> None:
    beta = compare(tiny, ["alpha", "beta"]).projects[1]
    assert {(t.id, t.inferred) for t in beta.kets} == {("nanotechnology", False), ("photonics", True)}
    curated = compare(tiny, ["alpha", "beta"], include_inferred=False).projects[1]
    assert [t.id for t in curated.kets] == ["nanotechnology"]


def test_every_fact_cites_a_source_of_its_project(tiny: Dataset) -> None:
    for side in compare(tiny, ["alpha", "beta", "epsilon"]).projects:
        listed = {s.source_id for s in side.sources}
        cited = {side.project_source, *(t.source for t in side.kets + side.sectors),
                 *(a.source for a in side.activities), *(i.source for i in side.instruments)}
        assert cited <= listed, (side.id, cited - listed)
    alpha = compare(tiny, ["alpha", "beta"]).projects[0]
    assert [(a.title, a.start_date, a.location) for a in alpha.activities] == [
        ("Kick-off", "2010-02", "Berlin")]
    assert [(i.name, i.partner) for i in alpha.instruments] == [("Regional cluster programme", "Sudcluster")]


@pytest.mark.parametrize("wanted", [
    ["alpha"], ["alpha", "alpha"], ["alpha", "beta", "gamma", "delta", "epsilon"], []])
def test_fewer_than_two_or_more_than_four_projects_are_refused(tiny: Dataset, wanted: list[str]) -> None:
    with pytest.raises(CompareError, match="2 to 4"):
        compare(tiny, wanted)


def test_an_unknown_id_is_refused_by_name(tiny: Dataset) -> None:
    with pytest.raises(CompareError) as caught:
        compare(tiny, ["alpha", "no-such", "beta", "nor-this"])
    assert caught.value.unknown == ("no-such", "nor-this")
    assert "'no-such'" in caught.value.message and "'nor-this'" in caught.value.message


def test_json_has_iso_dates_and_nulls_for_what_is_not_stated(tiny: Dataset) -> None:
    data = to_json(compare(tiny, ["alpha", "beta"]))
    assert data["ids"] == ["alpha", "beta"]
    assert data["overlap"] == {"start": "2012-06-01", "end": "2012-12-31", "days": 214, "months": 7.0,
                               "unknown": []}
    beta = data["projects"][1]
    assert beta["budget_eur"] is None and beta["end_date"] is None and beta["end"] == "2014-05-31"
    assert data["shared_partners"][0]["projects"] == ["alpha", "beta"]


# --- the address ----------------------------------------------------------------------------


def test_the_address_keeps_the_order_and_notices_what_it_drops(tiny: Dataset) -> None:
    state, notices = parse_query("compare=beta,alpha,nope", tiny)
    assert state.compare == ("beta", "alpha")
    assert [(n.param, n.value) for n in notices] == [("compare", "nope")]
    assert state.to_query() == "compare=beta,alpha"
    assert parse_query(state.to_query(), tiny)[0] == state
    one, found = parse_query("compare=alpha", tiny)
    assert one.compare == () and [n.param for n in found] == ["compare"]
    five, found = parse_query("compare=alpha,beta,gamma,delta,epsilon", tiny)
    assert five.compare == ("alpha", "beta", "gamma", "delta") and found[0].value == "epsilon"
    # The comparison selects nothing: the filters a memo keys on are the same without it.
    assert state.filters == FilterState()


def test_a_stored_state_is_bounded_field_by_field() -> None:
    assert FilterState.from_dict({"compare": ["a", "b"]}).compare == ("a", "b")
    for junk in (["a"], ["a", "b", "c", "d", "e"], "a,b", [1, 2], ["x" * 500, "b"], None):
        assert FilterState.from_dict({"compare": junk}).compare == ()


def test_compare_page_address_becomes_the_main_page_with_compare() -> None:
    assert page_redirect({"projects": ["alpha,beta"], "lang": ["de"]}) == "compare=alpha,beta&lang=de"
    assert page_redirect({}) == ""
    seed_client = create_app(SEED_DIR).server.test_client()
    answer = seed_client.get("/compare?projects=clusterfy,clustrat&theme=dark")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/?compare=clusterfy,clustrat&theme=dark"


def test_compare_button_and_close_change_only_the_comparison() -> None:
    state = FilterState(country=("DE",), project="alpha")
    pressed = next_state(Trigger(ids.COMPARE_REQUEST, "data", {"ids": ["beta", "alpha"], "at": 1}), state,
                         (2000, 2030))
    assert pressed == FilterState(country=("DE",), project="alpha", compare=("beta", "alpha"))
    assert next_state(Trigger(ids.COMPARE_CLOSE, "n_clicks", 1), pressed, (2000, 2030)) == state
    assert act.on_compare(state, {"ids": ["alpha"]}) == state
    assert act.on_compare(state, "junk") == state


def test_ticking_a_row_opens_no_project() -> None:
    state = FilterState()
    tick = {"colId": act.SELECTION_COLUMN, "rowId": "alpha", "value": None}
    assert act.on_table_click(state, tick) == state
    assert act.on_table_click(state, {"colId": "acronym", "rowId": "alpha"}).project == "alpha"


def test_the_button_says_how_many_rows_are_ticked() -> None:
    none = compare_button([], "en")
    assert none["label"] == "Compare" and none["disabled"] and "Tick 2 to 4 rows" in none["hint"]
    two = compare_button([{"id": "a"}, {"id": "b"}])
    assert two["label"] == "Compare (2)" and not two["disabled"] and two["hint"] == ""
    assert compare_button([{"id": str(i)} for i in range(5)])["disabled"]
    assert compare_button(None)["disabled"]


# --- the panel and its figure ---------------------------------------------------------------


def test_the_panel_shows_unknowns_as_not_stated_and_the_overlap(tiny: Dataset) -> None:
    hidden = render_compare(tiny, FilterState())
    assert hidden["style"] == {"display": "none"} and hidden["body"] == []
    out = render_compare(tiny, FilterState(compare=("alpha", "beta")))
    assert out["style"] == {"display": "block"}
    assert row_text(out["body"], "Budget") == ["€2.0 m", "not stated"]
    assert row_text(out["body"], "EU contribution") == ["€1.5 m", "€500,000"]
    assert "photonics" in row_text(out["body"], "Key Enabling Technologies")[1].lower()
    assert "(inferred by rules)" in row_text(out["body"], "Key Enabling Technologies")[1]
    assert "not stated 1" in row_text(out["body"], "Partners by country")[0]
    text = text_of(out["body"])
    assert "2012-06-01 to 2012-12-31, 214 days" in text
    assert "Shared partners (1)" in text and "Nordcluster (Germany) — Alpha, Beta" in text
    assert "Shared countries (1)" in text


def test_the_panel_is_in_the_page_language(tiny: Dataset) -> None:
    out = render_compare(tiny, FilterState(compare=("alpha", "beta"), lang="de"))
    text = text_of(out["body"])
    assert "not stated" not in text and "Shared partners" not in text
    assert "Deutschland" in text


def test_unknown_ids_in_a_stored_state_say_why_not_fail(tiny: Dataset) -> None:
    out = render_compare(tiny, FilterState(compare=("alpha", "gone")))
    assert "'gone'" in text_of(out["body"])


def test_the_timeline_draws_one_bar_per_dated_project_and_shades_the_overlap(tiny: Dataset) -> None:
    c = compare(tiny, ["alpha", "beta", "gamma"])
    fig = compare_timeline(periods(c), (date(2012, 6, 1), date(2012, 12, 31)), FilterState()).to_plotly_json()
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [b["y"] for b in bars] == [["alpha"], ["beta"]]
    assert [b["marker"]["pattern"]["shape"] for b in bars] == ["", "/"]  # beta's end is derived
    marks = [t for t in fig["data"] if t["type"] == "scatter"]
    assert [(m["y"], m["marker"]["symbol"]) for m in marks] == [(["gamma"], "triangle-right")]
    (shade,) = fig["layout"]["shapes"]
    assert (shade["x0"], shade["x1"][:10]) == ("2012-06-01", "2013-01-01")
    assert fig["layout"]["yaxis"]["ticktext"] == ["Alpha", "Beta", "Gamma"]
    none = compare_timeline(periods(c), None, FilterState()).to_plotly_json()
    assert none["layout"].get("shapes", []) == []


# --- the API --------------------------------------------------------------------------------


def test_api_returns_the_comparison(client: FlaskClient, tiny: Dataset) -> None:
    answer = client.get("/api/compare?projects=alpha,beta")
    assert answer.status_code == 200
    data = answer.get_json()
    assert data == to_json(compare(tiny, ["alpha", "beta"]))
    assert set(data["projects"][0]) >= {
        "acronym", "title", "programme", "start_date", "end_date", "budget_eur", "eu_contribution_eur",
        "partners_by_country", "partners_by_type", "kets", "sectors", "activities", "instruments", "sources"}
    off = client.get("/api/compare?projects=alpha,beta&inferred=off").get_json()
    assert [t["id"] for t in off["projects"][1]["kets"]] == ["nanotechnology"]


@pytest.mark.parametrize(("query", "named"), [
    ("projects=alpha,nope", ["nope"]),
    ("projects=nope,alpha,never", ["nope", "never"]),
])
def test_api_unknown_ids_are_a_400_naming_them(client: FlaskClient, query: str, named: list[str]) -> None:
    answer = client.get(f"/api/compare?{query}")
    assert answer.status_code == 400
    assert [p["value"] for p in answer.get_json()["problems"]] == named


@pytest.mark.parametrize("query", [
    "projects=alpha", "projects=alpha,beta,gamma,delta,epsilon", "", "projects=,,,",
    "projects=alpha,beta&colour=red", "projects=alpha,beta&inferred=maybe",
    "projects=alpha,beta&dataset=nope",
    "projects=" + "x," * 5000, "projects=%00,%ff"])
def test_api_bad_requests_are_400_never_500(client: FlaskClient, query: str) -> None:
    answer = client.get(f"/api/compare?{query}")
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert answer.get_json()["error"]


def test_seed_pair_of_the_browser_tests_exists() -> None:
    seed_ids = set(load_seed().projects["project_id"])
    assert {"clusterfy", "clustrat"} <= seed_ids
    assert Path(SEED_DIR, "projects.csv").exists()
