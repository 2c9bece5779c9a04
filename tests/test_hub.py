"""The hub: which interaction each control's event reaches (``next_state``), what the hub writes
for an event (``hub_update``, a pure function), and the registered wrapper, which alone reads
Dash's ``ctx`` (driven here through Dash's own HTTP endpoint, without a browser)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from dash import Dash, no_update
from fixtures_data import load_seed

from callbacks.hub import CLICKS, HUB_OUTPUTS, Trigger, fired_trigger, hub_update, next_state
from components import ids
from data.engine.state import FilterState
from server.factory import create_app
from server.registry import DatasetRegistry

BUSY = FilterState(country=("DE", "FR"), ket=("photonics",), sector=("health",), programme=("prog-a",),
                   instrument=("clusterfy-lt-inoklaster",),
                   year_from=2011, year_to=2014, project="alpha", q="light", map="partners")
BOUNDS = (2010, 2020)


def click(**point: Any) -> dict[str, Any]:
    return {"points": [point]}


# --- dispatch --------------------------------------------------------------------------------


@pytest.mark.parametrize(("trigger", "changes"), [
    (Trigger(ids.FILTER_COUNTRY, "value", ["IT"]), {"country": ("IT",)}),
    (Trigger(ids.FILTER_KET, "value", []), {"ket": ()}),
    (Trigger(ids.FILTER_SECTOR, "value", ["digital"]), {"sector": ("digital",)}),
    (Trigger(ids.FILTER_PROGRAMME, "value", None), {"programme": ()}),
    (Trigger(ids.FILTER_INSTRUMENT, "value", ["clusterfy-pl-national-key-clusters"]),
     {"instrument": ("clusterfy-pl-national-key-clusters",)}),
    (Trigger(ids.FILTER_PERIOD, "value", [2010, 2020]), {"year_from": None, "year_to": None}),
    (Trigger(ids.FILTER_SEARCH, "value", "  dark   matter "), {"q": "dark matter"}),
    (Trigger(ids.MAP_METRIC, "value", "projects"), {"map": "projects"}),
    (Trigger(ids.INFERRED, "value", False), {"inferred": False}),
    (Trigger(ids.MAP, "clickData", click(location="FR")), {"country": ("DE",)}),
    (Trigger(ids.MATRIX, "clickData", click(x="health", y="photonics")), {"ket": (), "sector": ()}),
    (Trigger(ids.TIMELINE, "clickData", click(customdata=["beta"])), {"project": "beta"}),
    (Trigger(ids.TIMELINE, "selectedData", {"range": {"x": ["2015-03-01", "2017-01-01"]}}),
     {"year_from": 2015, "year_to": 2017}),
    (Trigger(ids.TABLE, "cellClicked", {"rowId": "alpha"}), {"project": None}),
    (Trigger(ids.chip_id("country", "DE"), "n_clicks", 1), {"country": ("FR",)}),
    (Trigger(ids.undated_item_id("delta"), "n_clicks", 1), {"project": "delta"}),
    (Trigger(ids.DETAIL_CLOSE, "n_clicks", 1), {"project": None}),
    # Keyboard: Enter on a table row, the matrix's table, the timeline's list.
    (Trigger(ids.TABLE, "eventData", {"data": {"rowId": "beta"}, "timestamp": 1}), {"project": "beta"}),
    (Trigger(ids.matrix_cell_id("photonics", "health"), "n_clicks", 1), {"ket": (), "sector": ()}),
    (Trigger(ids.matrix_cell_id("nanotechnology", "digital"), "n_clicks", 1),
     {"ket": ("nanotechnology",), "sector": ("digital",)}),
    (Trigger(ids.timeline_item_id("beta"), "n_clicks", 2), {"project": "beta"}),
])
def test_each_control_reaches_its_interaction_and_changes_only_its_part(
    trigger: Trigger, changes: dict[str, Any]
) -> None:
    assert next_state(trigger, BUSY, BOUNDS) == FilterState(**{**BUSY.to_dict(), **changes})


def test_the_timeline_property_decides_between_a_click_and_a_dragged_period() -> None:
    event = {"points": [{"customdata": ["beta"]}], "range": {"x": ["2015", "2016"]}}
    assert next_state(Trigger(ids.TIMELINE, "clickData", event), BUSY, BOUNDS).project == "beta"
    dragged = next_state(Trigger(ids.TIMELINE, "selectedData", event), BUSY, BOUNDS)
    assert (dragged.year_from, dragged.year_to, dragged.project) == (2015, 2016, "alpha")


def test_reset_clears_the_filters_but_keeps_the_view_choices() -> None:
    assert next_state(Trigger(ids.RESET, "n_clicks", 1), BUSY, BOUNDS) == FilterState(map="partners")


def test_show_this_dataset_switches_to_the_upload_with_no_filter() -> None:
    upload = {"token": "t", "dataset_id": "abc123"}
    state = next_state(Trigger(ids.UPLOAD_SWITCH, "n_clicks", 1), BUSY, BOUNDS, upload)
    assert state == FilterState(map="partners", dataset="abc123")


@pytest.mark.parametrize("trigger", [
    Trigger({"type": "something-else"}, "n_clicks", 1),
    Trigger("no-such-control", "value", 1),
    Trigger(ids.UPLOAD_SWITCH, "n_clicks", 1),  # no upload in the store
])
def test_an_event_the_hub_cannot_place_leaves_the_state_alone(trigger: Trigger) -> None:
    assert next_state(trigger, BUSY, BOUNDS) == BUSY


# --- what the hub writes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetRegistry]:
    found = DatasetRegistry(load_seed(), tmp_path_factory.mktemp("uploads"))
    yield found
    found.close()


def changed(out: Any) -> set[str]:
    """The names of the outputs the hub updates."""
    return {k for k, v in out.items() if v is not no_update}


def test_the_first_call_reads_the_state_from_the_address_and_leaves_it_as_typed(
    registry: DatasetRegistry,
) -> None:
    out = hub_update(registry, Trigger(), "?country=DE,ZZ&map=partners", None)
    assert set(out) == set(HUB_OUTPUTS)
    assert out["search"] is no_update
    assert out["state"] == FilterState(country=("DE",), map="partners").to_dict()
    assert (out["country"], out["map"], out["q"]) == (["DE"], "partners", "")
    # The slider shows the dataset's whole range when the address names no period.
    assert out["period"] == [2011, 2021]
    # ZZ is not a country code: a visible notice says it was ignored.
    assert "ZZ" in json.dumps(out["notices"][0].to_plotly_json(), default=str)


def test_an_address_naming_a_gone_upload_falls_back_to_the_default_with_a_notice(
    registry: DatasetRegistry,
) -> None:
    out = hub_update(registry, Trigger(ids.URL, "search", "?dataset=gone"), "?dataset=gone", None)
    assert out["state"]["dataset"] is None
    assert len(out["notices"]) == 1


def test_a_control_event_writes_the_new_state_its_canonical_address_and_the_controls(
    registry: DatasetRegistry,
) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.FILTER_KET, "value", ["photonics"]), "?country=DE", stored)
    # The state, the address, the notices, the click data and the control that fired; the other
    # controls already show their values (the storyboard panel is left alone too).
    assert changed(out) == {"state", "search", "notices", "ket", "ket_options", *CLICKS}
    assert out["search"] == "?country=DE&ket=photonics"
    assert FilterState.from_dict(out["state"]) == FilterState(country=("DE",), ket=("photonics",))
    assert (out["ket"], out["notices"]) == (["photonics"], [])
    assert out["map_click"] is None and out["timeline_click"] is None


def test_a_control_whose_value_the_new_state_changes_is_written(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",), ket=("photonics",), q="laser").to_dict()
    out = hub_update(registry, Trigger(ids.RESET, "n_clicks", 1), "?country=DE", stored)
    assert {"country", "ket", "q"} <= changed(out)
    assert (out["country"], out["ket"], out["q"]) == ([], [], "")
    assert out["sector"] is no_update and out["map"] is no_update, "unchanged controls are not written"


def test_clearing_every_filter_writes_an_empty_address(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.RESET, "n_clicks", 1), "?country=DE", stored)
    assert out["search"] == ""
    assert out["country"] == []


def test_an_event_that_changes_nothing_only_clears_the_click_data(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.MAP, "clickData", {"points": []}), "?country=DE", stored)
    assert changed(out) == {"map_click", "matrix_click", "timeline_click", "region_map_click",
                            "org_map_click", "network_click"}
    assert out["map_click"] is None


@pytest.mark.parametrize("trigger", [
    Trigger(ids.chip_id("country", "DE"), "n_clicks", 0),
    Trigger(ids.undated_item_id("x"), "n_clicks", None),
    Trigger(ids.matrix_cell_id("photonics", "digital"), "n_clicks", 0),
    Trigger(ids.timeline_item_id("beta"), "n_clicks", None),
    Trigger(ids.UPLOAD_SWITCH, "n_clicks", 0),
])
def test_a_button_created_by_a_re_render_is_not_a_click(registry: DatasetRegistry, trigger: Trigger) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, trigger, "?country=DE", stored)
    assert set(out) == set(HUB_OUTPUTS)
    assert changed(out) == set()


def test_switching_to_a_dataset_the_server_does_not_hold_keeps_the_default(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.UPLOAD_SWITCH, "n_clicks", 1), "?country=DE", stored,
                     {"dataset_id": "evicted"})
    assert FilterState.from_dict(out["state"]) == FilterState()
    assert out["search"] == ""


# --- the registered wrapper, through Dash ----------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    return create_app(upload_dir=tmp_path_factory.mktemp("app-uploads"))


def post_hub(app: Dash, values: dict[str, Any],
             changed_prop: str | list[str] | None) -> tuple[int, dict[str, Any]]:
    """Call the hub as the browser does: ``values`` by 'id.property', ``changed_prop`` fired
    (a list: fired together, as Dash batches events that come while a request is out)."""
    key = next(k for k in app.callback_map if f"..{ids.STATE}.data..." in k)
    spec = app.callback_map[key]

    def item(dep: dict[str, Any]) -> Any:
        if isinstance(dep["id"], dict) or str(dep["id"]).startswith("{"):
            return []  # no chip or undated button on the page
        entry = {"id": dep["id"], "property": dep["property"]}
        if f"{dep['id']}.{dep['property']}" in values:
            entry["value"] = values[f"{dep['id']}.{dep['property']}"]
        return entry

    outputs = [{"id": i, "property": p} for i, p in
               (part.rsplit(".", 1) for part in key.strip(".").split("..."))]
    body = {"output": key, "outputs": outputs, "inputs": [item(d) for d in spec["inputs"]],
            "state": [item(d) for d in spec["state"]],
            "changedPropIds": [changed_prop] if isinstance(changed_prop, str) else changed_prop or []}
    answer = app.server.test_client().post("/_dash-update-component", json=body)
    if answer.status_code != 200:
        return answer.status_code, {}
    return answer.status_code, dict(answer.get_json().get("response", {}))


def test_the_page_load_reads_the_address(app: Dash) -> None:
    status, response = post_hub(app, {"url.search": "?ket=photonics"}, None)
    assert status == 200
    assert response[ids.STATE]["data"]["ket"] == ["photonics"]
    assert response[ids.FILTER_KET]["value"] == ["photonics"]
    assert ids.URL not in response  # the address stays as typed


def test_the_wrapper_passes_the_fired_property_so_a_timeline_drag_sets_the_period(app: Dash) -> None:
    values = {"url.search": "", f"{ids.STATE}.data": FilterState().to_dict(),
              f"{ids.TIMELINE}.selectedData": {"range": {"x": ["2013-01-01", "2015-06-30"]}}}
    status, response = post_hub(app, values, f"{ids.TIMELINE}.selectedData")
    assert status == 200
    assert response[ids.URL]["search"] == "?from=2013&to=2015"
    assert response[ids.FILTER_PERIOD]["value"] == [2013, 2015]


def test_the_wrapper_updates_nothing_for_a_button_that_was_only_drawn(app: Dash) -> None:
    values = {"url.search": "", f"{ids.STATE}.data": FilterState().to_dict(),
              f"{ids.UPLOAD_SWITCH}.n_clicks": 0}
    assert post_hub(app, values, f"{ids.UPLOAD_SWITCH}.n_clicks") == (200, {})


def test_the_hub_module_reads_dash_ctx_only_in_its_wrapper() -> None:
    source = (Path(__file__).resolve().parent.parent / "callbacks" / "hub.py").read_text()
    before_register = source.split("def register(")[0]
    assert "ctx." not in before_register


# --- the maps' pans and zooms ----------------------------------------------------------------


def moved(zoom: float = 5.4321, lat: float = 48.20849, lon: float = 16.37208) -> dict[str, Any]:
    """A relayout event as Plotly reports a user's pan or zoom of a MapLibre map."""
    return {"map.center": {"lon": lon, "lat": lat}, "map.zoom": zoom, "map.bearing": 0, "map.pitch": 0,
            "map._derived": {"coordinates": [[10.1, 52.3], [22.6, 52.3], [22.6, 44.0], [10.1, 44.0]]}}


PANNED = FilterState(**{**BUSY.to_dict(), "zoom": 3.0, "centre": (45.0, 5.0), "org_zoom": 2.5,
                        "org_centre": (40.0, 0.0), "geo": "nuts2"})


@pytest.mark.parametrize(("graph", "changes"), [
    (ids.MAP, {"zoom": 5.43, "centre": (48.208, 16.372)}),
    (ids.REGION_MAP, {"zoom": 5.43, "centre": (48.208, 16.372)}),
    (ids.ORG_MAP, {"org_zoom": 5.43, "org_centre": (48.208, 16.372)}),
])
def test_a_pan_of_each_map_changes_only_that_maps_view(graph: str, changes: dict[str, Any]) -> None:
    assert next_state(Trigger(graph, "relayoutData", moved()), PANNED, BOUNDS) == replace(PANNED, **changes)


@pytest.mark.parametrize("graph", [ids.REGION_MAP, ids.ORG_MAP])
@pytest.mark.parametrize("event", [{"autosize": True}, {"map.zoom": 5, "map.center": {"lon": 1, "lat": 2}},
                                   None])
def test_a_layout_event_of_a_map_that_is_no_pan_changes_nothing(graph: str, event: Any) -> None:
    assert next_state(Trigger(graph, "relayoutData", event), PANNED, BOUNDS) == PANNED


def test_the_organisation_maps_pan_is_bounded_like_the_country_maps() -> None:
    event = moved(zoom=40, lat=95, lon=190)
    state = next_state(Trigger(ids.ORG_MAP, "relayoutData", event), PANNED, BOUNDS)
    assert (state.org_zoom, state.org_centre) == (12.0, (90.0, -170.0))
    assert (state.zoom, state.centre) == (3.0, (45.0, 5.0))


def test_a_click_on_the_org_or_regional_map_is_still_a_click() -> None:
    point = click(customdata="nordcluster")
    org = next_state(Trigger(ids.ORG_MAP, "clickData", point), FilterState(), BOUNDS)
    assert (org.org, org.org_zoom) == (("nordcluster",), None)
    region = next_state(Trigger(ids.REGION_MAP, "clickData", click(location="DE21")),
                        FilterState(geo="nuts2"), BOUNDS)
    assert (region.region, region.zoom) == (("DE21",), None)


@pytest.mark.parametrize(("graph", "written"), [
    (ids.REGION_MAP, "?country=DE&zoom=5.43&centre=48.208,16.372&geo=nuts2"),
    (ids.ORG_MAP, "?country=DE&org_zoom=5.43&org_centre=48.208,16.372&geo=nuts2"),
])
def test_the_hub_writes_a_pan_of_the_regional_or_org_map_to_the_address(
    registry: DatasetRegistry, graph: str, written: str,
) -> None:
    before = FilterState(country=("DE",), geo="nuts2")
    out = hub_update(registry, Trigger(graph, "relayoutData", moved()), "?country=DE&geo=nuts2",
                     before.to_dict())
    assert out["search"] == written
    after = FilterState.from_dict(out["state"])
    assert after.without_map_views == before, "a pan changes the map's view and nothing else"
    assert after.filters == before.filters
    # The controls already show the filters, which a pan leaves: they are not written again.
    assert (out["country"], out["geo"], out["notices"]) == (no_update, no_update, [])
    # A layout event that is no pan writes nothing, not even the click data.
    quiet = hub_update(registry, Trigger(graph, "relayoutData", {"autosize": True}), "?country=DE&geo=nuts2",
                       before.to_dict())
    assert changed(quiet) == set()


def test_an_address_with_both_maps_views_opens_each_with_its_own(registry: DatasetRegistry) -> None:
    address = "?geo=nuts2&zoom=5&centre=50,10&org_zoom=6&org_centre=48.2,16.4"
    out = hub_update(registry, Trigger(), address, None)
    state = FilterState.from_dict(out["state"])
    assert (state.geo, state.zoom, state.centre) == ("nuts2", 5.0, (50.0, 10.0))
    assert (state.org_zoom, state.org_centre) == (6.0, (48.2, 16.4))
    assert out["notices"] == []


PAGE_MOVE = {"map.zoom": 2.2, "map.center": {"lat": 54.0, "lon": 13.0}}
"""The relayout Plotly reports when the page moves a map (back, forward): no ``map._derived``."""


@pytest.mark.parametrize(("fired", "chosen"), [
    ([(f"{ids.REGION_MAP}.relayoutData", PAGE_MOVE), (f"{ids.URL}.search", "?geo=nuts2")],
     Trigger(ids.URL, "search", "?geo=nuts2")),
    ([(f"{ids.ORG_MAP}.relayoutData", moved()), (f"{ids.URL}.search", "")], Trigger(ids.URL, "search", "")),
    ([(f"{ids.MAP}.relayoutData", {"autosize": True}), (f"{ids.ORG_MAP}.relayoutData", moved())],
     Trigger(ids.ORG_MAP, "relayoutData", moved())),
    ([(f"{ids.REGION_MAP}.relayoutData", PAGE_MOVE), (f"{ids.MAP}.relayoutData", PAGE_MOVE)],
     Trigger(ids.REGION_MAP, "relayoutData", PAGE_MOVE)),
    ([(f"{ids.FILTER_KET}.value", ["photonics"])], Trigger(ids.FILTER_KET, "value", ["photonics"])),
    ([(".", None)], Trigger(None, "", None)),
    ([], Trigger(None, "", None)),
])
def test_of_events_sent_together_the_address_wins_then_a_users_pan(fired: list[Any], chosen: Trigger) -> None:
    first_id = (fired[0][0].rpartition(".")[0] or None) if fired else None  # as ctx.triggered_id
    assert fired_trigger([{"prop_id": p, "value": v} for p, v in fired], first_id) == chosen


def test_back_sent_with_a_maps_own_move_reads_the_address(app: Dash) -> None:
    panned = FilterState(geo="nuts2", zoom=4.5, centre=(50.0, 10.0))
    values = {"url.search": "?geo=nuts2", f"{ids.STATE}.data": panned.to_dict(),
              f"{ids.REGION_MAP}.relayoutData": PAGE_MOVE}
    status, response = post_hub(app, values, [f"{ids.REGION_MAP}.relayoutData", "url.search"])
    assert status == 200
    assert FilterState.from_dict(response[ids.STATE]["data"]) == FilterState(geo="nuts2")


def test_a_maps_own_move_after_back_catches_up_with_the_address(registry: DatasetRegistry) -> None:
    panned = FilterState(geo="nuts2", zoom=4.5, centre=(50.0, 10.0))
    page_move = Trigger(ids.REGION_MAP, "relayoutData", PAGE_MOVE)
    out = hub_update(registry, page_move, "?geo=nuts2", panned.to_dict())
    assert FilterState.from_dict(out["state"]) == FilterState(geo="nuts2")
    assert out["search"] is no_update, "the address stays as it is"
    # When the store and the address agree, a move of the page writes nothing.
    agreed = hub_update(registry, page_move, "?zoom=4.5&centre=50,10&geo=nuts2", panned.to_dict())
    assert changed(agreed) == set()


# --- measuring: --forget-states ----------------------------------------------------------------


def test_under_forget_states_a_new_state_forgets_the_results_and_the_same_state_does_not() -> None:
    from callbacks.hub import forget_if_new_state
    from data.engine.masks import text_mask
    from data.engine.memo import forget_on_new_state

    dataset = load_seed()
    registry = DatasetRegistry(dataset)
    name = f"{text_mask.__module__}.{text_mask.__qualname__}"
    stored = FilterState().to_dict()
    new = {"state": FilterState(country=("DE",)).to_dict()}
    try:
        forget_on_new_state(False)
        dataset.memo.forget_results()
        text_mask(dataset, "cluster")
        assert not forget_if_new_state(registry, new, stored)
        assert dataset.memo.size(name) == 1
        forget_on_new_state(True)
        assert not forget_if_new_state(registry, {"state": stored}, stored)
        assert not forget_if_new_state(registry, {"state": no_update}, stored)
        assert dataset.memo.size(name) == 1
        assert forget_if_new_state(registry, new, stored)
        assert dataset.memo.size(name) == 0
    finally:
        forget_on_new_state(False)
        registry.close()
