"""The render functions of ``callbacks/views.py``, called as plain functions of a dataset and a
filter state: what each view shows for a state, without Dash or a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures_data import load_seed, load_tiny, tiny_tables
from test_panels import find, text

from callbacks import views
from components import ids
from components.figure_kit import PERIOD_SHADE, Figure
from components.layout import build_layout
from data.engine import queries
from data.engine.model import NOT_STATED, Dataset
from data.engine.state import FilterState
from data.io.geo import country_ids
from server.factory import create_app

GEOJSON_URL = "/geo/countries.geojson"
ATTRIBUTION = "Boundaries: test"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def as_list(values: Any) -> list[Any]:
    return [] if values is None else [v.item() if isinstance(v, np.generic) else v for v in values]


def trace(fig: Figure, name: str) -> Any:
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def headline_values(panel: list[Any]) -> dict[str, str]:
    """Headline figure id -> its value, as the page shows it."""
    return {c.id: text(c) for c in find(panel, lambda c: getattr(c, "className", None) == "headline-value")}


# --- headline --------------------------------------------------------------------------------


def test_headline_counts_every_project_without_a_filter(tiny: Dataset) -> None:
    shown = headline_values(views.render_headline(tiny, FilterState()))
    assert shown[ids.HEADLINE_PROJECTS] == "5"
    assert ids.HEADLINE_ORGANISATIONS_IN_COUNTRIES not in shown


def test_headline_with_a_country_filter_counts_its_projects_and_its_organisations(tiny: Dataset) -> None:
    shown = headline_values(views.render_headline(tiny, FilterState(country=("FR",))))
    # Only alpha has a partner in France; its organisations in France: Sudcluster.
    assert shown[ids.HEADLINE_PROJECTS] == "1"
    assert shown[ids.HEADLINE_ORGANISATIONS_IN_COUNTRIES] == "1"


def test_headline_of_a_period_names_projects_whose_dates_cannot_tell(tiny: Dataset) -> None:
    panel = views.render_headline(tiny, FilterState(year_from=2011, year_to=2011))
    completeness = find(panel, lambda c: getattr(c, "id", None) == ids.HEADLINE_COMPLETENESS)
    # delta has no dates at all: it may fall in 2011, and the headline says so.
    assert "may fall in the period" in text(completeness)


# --- filter bar ------------------------------------------------------------------------------


def test_filter_bar_returns_every_named_output(tiny: Dataset) -> None:
    assert set(views.render_filter_bar(tiny, FilterState())) == set(views.FILTER_BAR_OUTPUTS)


def test_filter_bar_offers_the_dataset_vocabularies_and_its_years(tiny: Dataset) -> None:
    # The dropdowns' options go out with their values from the hub (views.dropdown_options).
    bar = views.render_filter_bar(tiny, FilterState())
    offered = views.dropdown_options(tiny, FilterState())
    assert [o["value"] for o in offered["ket_options"]] == list(tiny.vocabulary("ket"))
    assert [o["label"] for o in offered["country_options"]] == list(tiny.vocabulary("country").values())
    assert "ket_options" not in bar
    first, last = queries.year_bounds(tiny)
    assert (bar["period_min"], bar["period_max"]) == (first, last)
    assert bar["period_marks"][first] == str(first) and bar["period_marks"][last] == str(last)


def test_filter_bar_shows_the_inferred_switch_only_where_rules_inferred_tags(tiny: Dataset) -> None:
    # beta's photonics tag is inferred in the tiny dataset; the seed has none.
    assert views.render_filter_bar(tiny, FilterState())["inferred_style"] == {"display": "block"}
    assert views.render_filter_bar(load_seed(), FilterState())["inferred_style"] == {"display": "none"}


def test_the_instrument_picker_shows_only_where_the_dataset_names_policy_instruments(
    tiny: Dataset, tmp_path: Path,
) -> None:
    tables = {name: rows for name, rows in tiny_tables().items() if name != "policy_instruments"}
    none = load_tiny(tmp_path, tables)
    assert len(tiny.policy_instruments) == 1 and len(none.policy_instruments) == 0
    assert views.render_filter_bar(tiny, FilterState())["instrument_style"] == {"display": "block"}
    assert views.render_filter_bar(none, FilterState())["instrument_style"] == {"display": "none"}
    offered = views.dropdown_options(tiny, FilterState())["instrument_options"]
    assert [o["value"] for o in offered] == ["alpha-regional"]


def test_filter_bar_counts_the_listed_projects_in_words(tiny: Dataset) -> None:
    def count(state: FilterState) -> str:
        return str(views.render_filter_bar(tiny, state)["table_count"])

    assert count(FilterState()).startswith("5 projects;")
    # A selected project stays listed with the others: the count ignores the project filter.
    assert count(FilterState(project="alpha")).startswith("5 projects;")
    assert count(FilterState(country=("FR",))).startswith("1 project;")


def test_filter_bar_api_link_carries_the_query_of_the_state(tiny: Dataset) -> None:
    assert views.render_filter_bar(tiny, FilterState())["api_link"] == "/api/projects"
    bar = views.render_filter_bar(tiny, FilterState(country=("DE",), q="light"), api_path="/app/api/projects")
    assert bar["api_link"] == "/app/api/projects?country=DE&q=light"


def test_filter_bar_has_one_chip_per_value_and_names_an_upload_by_its_label(tiny: Dataset) -> None:
    bar = views.render_filter_bar(tiny, FilterState(country=("DE", "FR"), dataset="abc123"),
                                  dataset_label="my-projects.xlsx")
    chips = [text(chip) for chip in bar["chips"]]
    assert chips == ["dataset: my-projects.xlsx (× back to the default)×",
                     "country: Germany×", "country: France×"]
    buttons = find(bar["chips"], lambda c: type(c).__name__ == "Button")
    assert [b.id for b in buttons][1] == ids.chip_id("country", "DE")


# --- map -------------------------------------------------------------------------------------


def draw_map(dataset: Dataset, state: FilterState) -> Figure:
    figure: Figure = views.render_map(dataset, state, country_ids(), GEOJSON_URL, ATTRIBUTION)["figure"]
    return figure


def test_map_colours_the_countries_of_the_projects_passing_the_other_filters(tiny: Dataset) -> None:
    # The map ignores its own dimension: with France chosen every country is still coloured.
    drawn = trace(draw_map(tiny, FilterState(country=("FR",))), "projects")
    summary = queries.country_summary(tiny, np.ones(tiny.size, dtype=bool))
    assert dict(zip(as_list(drawn.locations), as_list(drawn.z), strict=True)) == dict(
        zip(summary["country"], summary["projects"], strict=True))
    assert drawn.geojson == GEOJSON_URL


def test_map_outlines_the_chosen_countries(tiny: Dataset) -> None:
    assert as_list(trace(draw_map(tiny, FilterState(country=("FR",))), "selected").locations) == ["FR"]
    assert "selected" not in [t.name for t in draw_map(tiny, FilterState()).data]


def test_map_counts_only_the_projects_of_the_other_filters(tiny: Dataset) -> None:
    drawn = trace(draw_map(tiny, FilterState(programme=("prog-b",))), "projects")
    # Only beta is in programme B: Germany through Nordcluster, Ukraine named as a country.
    assert dict(zip(as_list(drawn.locations), as_list(drawn.z), strict=True)) == {"DE": 1, "UA": 1}


# --- matrix ----------------------------------------------------------------------------------


def matrix_cell(fig: Figure, ket: str, sector: str) -> int:
    heat = fig.data[0]
    return int(np.asarray(heat.z)[as_list(heat.y).index(ket), as_list(heat.x).index(sector)])


def test_matrix_counts_projects_per_ket_and_sector(tiny: Dataset) -> None:
    fig = views.render_matrix(tiny, FilterState())["figure"]
    assert matrix_cell(fig, "photonics", "health") == 1
    assert matrix_cell(fig, "photonics", "digital") == 1  # beta's inferred tag counts by default
    assert matrix_cell(fig, NOT_STATED, NOT_STATED) == 2
    assert list(fig.layout.yaxis.ticktext)[-1] == "No KET stated"


def test_matrix_leaves_out_inferred_tags_when_they_are_switched_off(tiny: Dataset) -> None:
    fig = views.render_matrix(tiny, FilterState(inferred=False))["figure"]
    assert matrix_cell(fig, "photonics", "digital") == 0
    assert matrix_cell(fig, "nanotechnology", "digital") == 1


def test_matrix_keeps_its_context_and_outlines_the_chosen_cell(tiny: Dataset) -> None:
    fig = views.render_matrix(tiny, FilterState(ket=("photonics",), sector=("health",)))["figure"]
    # The matrix ignores KET and sector filters: the other cells still count.
    assert matrix_cell(fig, "nanotechnology", "digital") == 1
    assert len(fig.layout.shapes) == 1


# --- timeline --------------------------------------------------------------------------------


def bar_projects(fig: Figure) -> set[str]:
    return {p for t in fig.data if t.type == "bar" for p in as_list(t.y)}


def test_timeline_draws_a_bar_per_dated_project_and_lists_the_undated(tiny: Dataset) -> None:
    out = views.render_timeline(tiny, FilterState())
    assert set(out) == set(views.TIMELINE_OUTPUTS)
    assert bar_projects(out["figure"]) == {"alpha", "beta"}
    undated = find(out["undated"], lambda c: type(c).__name__ == "Button")
    assert [b.id for b in undated] == [ids.undated_item_id("delta")]


def test_timeline_keeps_projects_outside_the_period_as_grey_context(tiny: Dataset) -> None:
    fig = views.render_timeline(tiny, FilterState(year_from=2013, year_to=2014))["figure"]
    # alpha ended in 2012: still drawn, greyed; beta runs into 2014: coloured.
    greyed = [t for t in fig.data if t.type == "bar" and t.name.endswith("(not in selection)")]
    assert {p for t in greyed for p in as_list(t.y)} == {"alpha"}
    assert bar_projects(fig) == {"alpha", "beta"}
    # The period is shaded once, over the programming periods' bands behind it.
    assert [s.fillcolor for s in fig.layout.shapes].count(PERIOD_SHADE) == 1
    assert fig.layout.shapes[-1].fillcolor == PERIOD_SHADE


def test_timeline_of_more_projects_than_bars_draws_the_monthly_band(
    tiny: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MAX_BARS", 1)
    fig = views.render_timeline(tiny, FilterState())["figure"]
    assert [t.name for t in fig.data] == ["in context, not in the selection",
                                          "projects active in the selection"]
    assert bar_projects(fig) == set()


# --- table -----------------------------------------------------------------------------------


def page(dataset: Dataset, state: FilterState, **request: Any) -> dict[str, Any]:
    return views.render_table_page(dataset, state, {"startRow": 0, "endRow": 100, **request})


def test_table_page_lists_the_selection_and_marks_the_chosen_project(tiny: Dataset) -> None:
    out = page(tiny, FilterState(project="beta"))
    assert out["rowCount"] == 5
    assert [r["id"] for r in out["rowData"] if r["selected"]] == ["beta"]


def test_table_page_is_sorted_on_the_server_and_sliced(tiny: Dataset) -> None:
    sort = [{"colId": "acronym", "sort": "desc"}]
    everything = page(tiny, FilterState(), sortModel=sort)
    assert [r["acronym"] for r in everything["rowData"]] == ["Gamma", "Epsilon", "Delta", "Beta", "Alpha"]
    second = page(tiny, FilterState(), sortModel=sort, startRow=1, endRow=3)
    assert [r["acronym"] for r in second["rowData"]] == ["Epsilon", "Delta"]
    assert second["rowCount"] == 5


def test_table_page_of_a_filter_counts_only_its_rows(tiny: Dataset) -> None:
    out = page(tiny, FilterState(ket=("photonics",), inferred=False))
    assert [r["id"] for r in out["rowData"]] == ["alpha"]
    assert out["rowCount"] == 1


# --- detail ----------------------------------------------------------------------------------


def test_detail_without_a_project_invites_a_choice_and_hides_close(tiny: Dataset) -> None:
    out = views.render_detail(tiny, FilterState())
    assert set(out) == set(views.DETAIL_OUTPUTS)
    assert text(out["detail"]).startswith("Select a project")
    assert out["close_style"] == {"display": "none"}


def test_detail_of_the_chosen_project_shows_it_and_its_close_button(tiny: Dataset) -> None:
    out = views.render_detail(tiny, FilterState(project="alpha"))
    assert text(out["detail"][0]) == "Alpha"
    assert out["close_style"] == {"display": "inline-block"}


def test_detail_of_an_unknown_project_is_the_empty_panel(tiny: Dataset) -> None:
    assert views.render_detail(tiny, FilterState(project="nope"))["close_style"] == {"display": "none"}


# --- memos -----------------------------------------------------------------------------------


def test_the_views_of_one_state_share_one_selection_kept_by_the_dataset(tmp_path: Any) -> None:
    dataset = load_tiny(tmp_path)
    name = "callbacks.views._selection"
    state = FilterState(country=("DE",))
    views.render_headline(dataset, state)
    views.render_matrix(dataset, state)
    views.render_timeline(dataset, state)
    assert dataset.memo.size(name) == 1
    views.render_headline(dataset, FilterState())
    assert dataset.memo.size(name) == 2
    # A change of view (theme, sort, presentation) selects nothing anew.
    views.render_headline(dataset, FilterState(country=("DE",), theme="dark", sort="-start", present=True))
    assert dataset.memo.size(name) == 2
    # Another dataset remembers its own selections, not these.
    assert load_tiny(tmp_path / "other").memo.size(name) == 0


def test_the_table_order_of_a_state_and_sort_is_remembered_by_the_dataset(tmp_path: Any) -> None:
    dataset = load_tiny(tmp_path)
    page(dataset, FilterState(), startRow=0, endRow=2)
    page(dataset, FilterState(), startRow=2, endRow=4)
    assert dataset.memo.size("callbacks.views.table_order") == 1


def test_a_chart_alternative_is_sent_only_while_its_disclosure_is_open() -> None:
    out = {"figure": {"data": [1]}, "table": ["the table"], "label": "name"}
    alternatives = {"table": ids.MATRIX_TABLE}
    assert views.only_open(out, alternatives, (True,)) == out
    assert views.only_open(out, alternatives, (False,)) == {**out, "table": []}
    assert views.only_open(out, alternatives, (None,))["table"] == []
    # A callback that fills two tells them apart.
    two = {"list": ids.TIMELINE_LIST, "table": ids.MATRIX_TABLE}
    both = {**out, "list": ["the list"]}
    assert views.only_open(both, two, (True, False)) == {**out, "table": [], "list": ["the list"]}


def test_every_disclosure_of_the_page_is_wired_to_send_its_body(tiny: Dataset) -> None:
    page = build_layout({d: tiny.vocabulary(d) for d in views.DROPDOWN_DIMENSIONS}, (2010, 2020), "©")
    disclosures = {c.id for c in find(page, lambda c: type(c).__name__ == "Details"
                                      and "chart-alternative-wrap" in str(getattr(c, "className", "")))}
    assert disclosures >= {ids.disclosure_id(ids.MATRIX_TABLE), ids.disclosure_id(ids.TIMELINE_LIST)}
    app = create_app()
    wired = {i["id"] for cb in app.callback_map.values() for i in cb["inputs"] if i["property"] == "open"}
    assert disclosures <= wired, disclosures - wired


def test_one_request_redraws_every_view_at_the_top_of_the_page(tiny: Dataset) -> None:
    app = create_app()
    page_callbacks = [cb for cb in app.callback_map.values()
                      if any(i["id"] == ids.VIEW_FILTERS for i in cb["inputs"])
                      and any(o in str(cb["output"])
                              for o in (f"{ids.HEADLINE}.children", f"{ids.MATRIX}.figure"))]
    assert len(page_callbacks) == 1
    wired = str(page_callbacks[0]["output"])
    for outputs in views.PAGE_VIEWS.values():
        for output in outputs.values():
            assert f"{output.component_id}.{output.component_property}" in wired
    # Drawn together, each view is named view.output and is what its own render draws.
    state = FilterState(country=("DE",))
    out = views.render_page({"headline": lambda d, s: {"children": views.render_headline(d, s)},
                             "matrix": views.render_matrix}, tiny, state)
    assert set(out) == {"headline.children", "matrix.figure", "matrix.table", "matrix.label"}
    assert text(out["headline.children"]) == text(views.render_headline(tiny, state))
    assert out["matrix.label"] == views.render_matrix(tiny, state)["label"]
    assert set(views.page_outputs(views.PAGE_VIEWS)) >= set(out)


def test_after_warming_a_new_state_builds_no_index_and_forgetting_keeps_them() -> None:
    from data.engine.memo import INDEXES
    from server.factory import _warm

    dataset = load_seed()
    _warm(dataset)
    indexes = {name for name in dataset.memo._tables if name in INDEXES}
    # The filter bar's vocabularies and the caption's source codes are among them.
    assert {"callbacks.views.vocabularies", "data.engine.export._source_codes"} <= indexes
    dataset.memo.forget_results()
    assert set(dataset.memo._tables) == indexes
    state = FilterState(country=("DE",), ket=("nanotechnology",))
    views.render_filter_bar(dataset, state)
    views.render_export_caption(dataset, state)
    views.render_map(dataset, state, country_ids(), "", "")
    views.render_timeline(dataset, state)
    assert {name for name in dataset.memo._tables if name in INDEXES} == indexes
